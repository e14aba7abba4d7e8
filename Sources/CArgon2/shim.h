#include <argon2.h>

#include <malloc.h>

// Argon2id allocates its whole memory cost (12 MiB by default) for every hash. glibc
// raises its mmap threshold after the first such block is freed, and from then on keeps
// them in per-thread heaps that are never given back. A fixed threshold keeps every
// hash's memory in its own mapping, returned to the kernel when the hash is done.
static inline void cargon2_return_hash_memory_on_free(void) {
    mallopt(M_MMAP_THRESHOLD, 256 * 1024);
}
