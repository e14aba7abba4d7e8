#include <libpq-fe.h>

// The diagnostic field codes are character-literal macros, which Swift does not import.
static const int CPOSTGRES_DIAG_SQLSTATE = PG_DIAG_SQLSTATE;
static const int CPOSTGRES_DIAG_MESSAGE_PRIMARY = PG_DIAG_MESSAGE_PRIMARY;
static const int CPOSTGRES_DIAG_CONSTRAINT_NAME = PG_DIAG_CONSTRAINT_NAME;

// Notices (such as "relation already exists, skipping") would otherwise be printed on
// stderr by libpq's default processor; Latchkey's own logs say what matters.
static void cpostgres_ignore_notice(void *argument, const char *message) {
    (void)argument;
    (void)message;
}

static inline void cpostgres_silence_notices(PGconn *connection) {
    PQsetNoticeProcessor(connection, cpostgres_ignore_notice, 0);
}
