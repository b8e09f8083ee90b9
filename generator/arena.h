/*
** Arenas: one per document. Every node, string and box of a report comes from its arena and
** is freed at once with it, so memory stays flat across 10.000 fills (MuPDF's fz_pool).
*/
#ifndef BAOCAO_ARENA_H
#define BAOCAO_ARENA_H

#include <stddef.h>

typedef struct arena arena;

arena *arena_new(void);
/* Frees every block; arena_free(NULL) is a no-op. */
void arena_free(arena *a);
/* Releases everything allocated so far but keeps one block for reuse. */
void arena_reset(arena *a);
/* N zeroed bytes, aligned for any type; valid until the arena is reset or freed. */
void *arena_alloc(arena *a, size_t n);
char *arena_strndup(arena *a, const char *s, size_t n);
char *arena_strdup(arena *a, const char *s);
/* Bytes handed out since creation or the last reset. */
size_t arena_used(const arena *a);

#endif
