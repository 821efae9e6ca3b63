#include <stdlib.h>
#if defined(__GLIBC__)
#include <malloc.h>
#endif
#include "CAllocator.h"

int allocator_limit_arenas(int count) {
#if defined(__GLIBC__) && defined(M_ARENA_MAX)
    return mallopt(M_ARENA_MAX, count) == 1;
#else
    (void)count;
    return 0;
#endif
}
