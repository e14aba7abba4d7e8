// glibc's allocator settings (mallopt), which the Glibc module does not bring in.
// Part of the C library itself, so there is nothing to link.
#if defined(__GLIBC__) || __has_include(<malloc.h>) && defined(__linux__)
#include <malloc.h>
#endif
