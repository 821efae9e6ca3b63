#ifndef CALLOCATOR_H
#define CALLOCATOR_H

/* The C library's allocator, as the streaming jobs want it (see
   SystemCalls.shareAllocatorArenas). */

/* Limits the arenas that threads allocate from to `count` in all (glibc's M_ARENA_MAX),
   for the threads that take one from now on. Returns 1 when the limit was set, 0 where the
   C library has no such setting or refused it. */
int allocator_limit_arenas(int count);

#endif
