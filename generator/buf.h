/*
** Growable byte buffers (always NUL-terminated once used) and borrowed string slices.
*/
#ifndef BAOCAO_BUF_H
#define BAOCAO_BUF_H

#include <stdarg.h>
#include <stddef.h>

/* A borrowed slice: PTR is not owned and not necessarily NUL-terminated. */
typedef struct str {
    const char *ptr;
    size_t len;
} str;

#define STR_LIT(s) ((str){ (s), sizeof(s) - 1 })

/* An owned, growable buffer. Zero-initialise (`buf b = BUF_INIT;`) before use. */
typedef struct buf {
    char *ptr;
    size_t len;
    size_t cap;
} buf;

#define BUF_INIT { NULL, 0, 0 }

/* Makes room for EXTRA more bytes (plus the terminating NUL). */
void buf_grow(buf *b, size_t extra);
void buf_put(buf *b, const void *p, size_t n);
void buf_puts(buf *b, const char *s);
void buf_putc(buf *b, int c);
void buf_printf(buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void buf_vprintf(buf *b, const char *fmt, va_list ap);
/* Borrowed: the contents as a C string ("" for an unused buffer). */
const char *buf_cstr(const buf *b);
/* Empties B, keeping its storage. */
void buf_reset(buf *b);
/* Hands the storage to the caller (free() it); B is empty afterwards. LEN may be NULL. */
char *buf_detach(buf *b, size_t *len);
void buf_free(buf *b);

#endif
