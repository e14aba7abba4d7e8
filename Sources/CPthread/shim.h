// glibc's pthread_setname_np, which it declares only with _GNU_SOURCE and so the Glibc
// module does not bring in. Part of the C library itself, so there is nothing to link.
#if defined(__linux__)
#include <pthread.h>
int pthread_setname_np(pthread_t thread, const char *name);
#endif
