/*
** Allocation that never returns NULL: on failure print a message and abort (as cmark's
** xcalloc). Output files are written to a temporary and renamed, so an abort never leaves
** a half-written report.
*/
#ifndef BAOCAO_XALLOC_H
#define BAOCAO_XALLOC_H

#include <stddef.h>

void *xmalloc(size_t n);
void *xcalloc(size_t count, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
void *xmemdup(const void *p, size_t n);

#endif
