#ifndef CWIDTH_H
#define CWIDTH_H
#include <wchar.h>
/* glibc declares wcwidth only under _XOPEN_SOURCE; the symbol is always in libc. */
extern int wcwidth(wchar_t c);
#endif
