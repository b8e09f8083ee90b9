/*
** Growable byte buffers.
*/
#include "buf.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xalloc.h"

/* A size no allocation can meet is out of memory too (xalloc's message, then abort). */
static void too_big(size_t len, size_t extra)
{
    fprintf(stderr, "baocao: out of memory (a buffer of %zu bytes asked for %zu more)\n", len,
            extra);
    abort();
}

void buf_grow(buf *b, size_t extra)
{
    size_t need, cap;

    if (extra > SIZE_MAX - 1 - b->len)
        too_big(b->len, extra); /* len + extra + 1 would wrap to a small, wrong size */
    need = b->len + extra + 1;
    if (need <= b->cap)
        return;
    cap = b->cap ? b->cap : 64;
    while (cap < need)
        cap = cap <= SIZE_MAX / 3 * 2 ? cap + cap / 2 : need; /* 1.5x until it would wrap */
    b->ptr = xrealloc(b->ptr, cap);
    b->cap = cap;
}

void buf_put(buf *b, const void *p, size_t n)
{
    buf_grow(b, n);
    if (n)
        memcpy(b->ptr + b->len, p, n);
    b->len += n;
    b->ptr[b->len] = '\0';
}

void buf_puts(buf *b, const char *s)
{
    buf_put(b, s, strlen(s));
}

void buf_putc(buf *b, int c)
{
    buf_grow(b, 1);
    b->ptr[b->len++] = (char)c;
    b->ptr[b->len] = '\0';
}

void buf_vprintf(buf *b, const char *fmt, va_list ap)
{
    va_list again;
    int n;

    va_copy(again, ap);
    buf_grow(b, 64);
    n = vsnprintf(b->ptr + b->len, b->cap - b->len, fmt, ap);
    if (n >= 0 && (size_t)n >= b->cap - b->len) {
        buf_grow(b, (size_t)n);
        n = vsnprintf(b->ptr + b->len, b->cap - b->len, fmt, again);
    }
    va_end(again);
    if (n > 0)
        b->len += (size_t)n;
}

void buf_printf(buf *b, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    buf_vprintf(b, fmt, ap);
    va_end(ap);
}

const char *buf_cstr(const buf *b)
{
    return b->ptr ? b->ptr : "";
}

void buf_reset(buf *b)
{
    b->len = 0;
    if (b->ptr)
        b->ptr[0] = '\0';
}

char *buf_detach(buf *b, size_t *len)
{
    char *p = b->ptr ? b->ptr : xstrdup("");

    if (len)
        *len = b->len;
    b->ptr = NULL;
    b->len = b->cap = 0;
    return p;
}

void buf_free(buf *b)
{
    free(b->ptr);
    b->ptr = NULL;
    b->len = b->cap = 0;
}
