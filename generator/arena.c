/*
** Arenas: bump allocation from a chain of blocks, freed all at once.
*/
#include "arena.h"

#include <stdalign.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xalloc.h"

#define ARENA_BLOCK 65536 /* most documents fit in a few blocks; larger asks get their own */

typedef struct block {
    struct block *next;
    size_t size, used;
    alignas(max_align_t) unsigned char data[];
} block;

struct arena {
    block *head;
    size_t used;
};

/* An ask no block can hold is out of memory too (xalloc's message, then abort): rounding it
 * up, or adding the block header, would wrap to a small size. */
static void too_big(size_t n)
{
    fprintf(stderr, "baocao: out of memory (asked the arena for %zu bytes)\n", n);
    abort();
}

static block *block_new(size_t size, block *next)
{
    block *b = xmalloc(sizeof *b + size);

    b->next = next;
    b->size = size;
    b->used = 0;
    return b;
}

arena *arena_new(void)
{
    return xcalloc(1, sizeof(arena));
}

void arena_free(arena *a)
{
    block *b, *next;

    if (!a)
        return;
    for (b = a->head; b; b = next) {
        next = b->next;
        free(b);
    }
    free(a);
}

void arena_reset(arena *a)
{
    block *b, *next, *keep = NULL;

    for (b = a->head; b; b = next) {
        next = b->next;
        if (!keep && b->size == ARENA_BLOCK) {
            keep = b;
            keep->next = NULL;
            keep->used = 0;
        } else {
            free(b);
        }
    }
    a->head = keep;
    a->used = 0;
}

void *arena_alloc(arena *a, size_t n)
{
    const size_t align = alignof(max_align_t);
    block *b = a->head;
    void *p;

    if (n > SIZE_MAX - sizeof(block) - align)
        too_big(n);
    n = (n + align - 1) & ~(align - 1);
    if (n == 0)
        n = align;
    if (n > ARENA_BLOCK / 4) {
        /* A big ask gets a block of its own behind the current one. */
        b = block_new(n, a->head ? a->head->next : NULL);
        if (a->head)
            a->head->next = b;
        else
            a->head = b;
    } else if (!b || b->size - b->used < n) {
        b = a->head = block_new(ARENA_BLOCK, a->head);
    }
    p = b->data + b->used;
    b->used += n;
    a->used += n;
    memset(p, 0, n);
    return p;
}

char *arena_strndup(arena *a, const char *s, size_t n)
{
    char *p;

    if (n == SIZE_MAX)
        too_big(n);
    p = arena_alloc(a, n + 1);

    memcpy(p, s, n);
    p[n] = '\0';
    return p;
}

char *arena_strdup(arena *a, const char *s)
{
    return arena_strndup(a, s, strlen(s));
}

size_t arena_used(const arena *a)
{
    return a->used;
}
