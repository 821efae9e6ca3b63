#ifndef CWIDTH_H
#define CWIDTH_H
#include <stddef.h>
#include <wchar.h>
/* glibc declares these only under _XOPEN_SOURCE / _GNU_SOURCE; the symbols are always in libc. */
extern int wcwidth(wchar_t c);
extern void *memmem(const void *haystack, size_t haystacklen, const void *needle, size_t needlelen);
#endif
