#include <sqlite3.h>

// SQLITE_TRANSIENT is a cast of -1 to a function pointer, which Swift cannot import.
static inline sqlite3_destructor_type csqlite_transient(void) { return SQLITE_TRANSIENT; }

// Extended result codes are macros built with shifts, which Swift does not import.
static const int CSQLITE_CONSTRAINT_UNIQUE = SQLITE_CONSTRAINT_UNIQUE;
static const int CSQLITE_CONSTRAINT_PRIMARYKEY = SQLITE_CONSTRAINT_PRIMARYKEY;

// sqlite3_config is variadic, which Swift cannot call. Memory statistics make every
// allocation of every connection take one process-wide mutex, which the request threads
// then contend for; Latchkey never reads those statistics. Must run before SQLite
// initializes, that is before the first connection opens; later it returns SQLITE_MISUSE.
static inline int csqlite_disable_memory_statistics(void) {
    return sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
}
