/*
** Vietnamese text helpers: NFC normalisation, case mapping, slugs for file names (utf8proc).
**
** All four decompose into code points, work on those, and (but the slug) recompose with
** utf8proc_reencode, which writes the UTF-8 back into the same int32 array.
*/
#include "vntext.h"

#include <stdint.h>
#include <stdlib.h>
#include <utf8proc.h>

#include "xalloc.h"

enum { STACK_CPS = 256 };
enum { CASE_NONE, CASE_UPPER, CASE_LOWER };

static int is_ascii(const char *s, size_t len)
{
    for (size_t i = 0; i < len; i++)
        if ((unsigned char)s[i] >= 0x80)
            return 0;
    return 1;
}

/* Decomposes S with OPTS into *CPS (the stack array STACK, or a heap array the caller frees
 * when it differs from STACK). Returns the number of code points, or -1 on bad UTF-8.
 * One element is always left free after them: utf8proc_reencode writes a NUL after its
 * UTF-8, which takes all 4N bytes when every code point needs four. */
static utf8proc_ssize_t decompose(const char *s, size_t len, utf8proc_option_t opts,
                                  utf8proc_int32_t *stack, utf8proc_int32_t **cps)
{
    utf8proc_ssize_t n;

    *cps = stack;
    n = utf8proc_decompose((const utf8proc_uint8_t *)s, (utf8proc_ssize_t)len, stack,
                           STACK_CPS - 1, opts);
    if (n < 0)
        return -1;
    if (n > STACK_CPS - 1) {
        *cps = xmalloc(((size_t)n + 1) * sizeof **cps);
        n = utf8proc_decompose((const utf8proc_uint8_t *)s, (utf8proc_ssize_t)len, *cps, n, opts);
    }
    return n;
}

static int map_text(buf *b, const char *s, size_t len, int kase)
{
    const utf8proc_option_t opts = UTF8PROC_STABLE | UTF8PROC_COMPOSE;
    utf8proc_int32_t stack[STACK_CPS], *cps;
    utf8proc_ssize_t n, i;
    int rc = -1;

    if (is_ascii(s, len)) {
        size_t at = b->len;
        buf_put(b, s, len);
        for (i = 0; i < (utf8proc_ssize_t)len; i++) {
            char *c = b->ptr + at + i;
            if (kase == CASE_UPPER && *c >= 'a' && *c <= 'z')
                *c = (char)(*c - 'a' + 'A');
            else if (kase == CASE_LOWER && *c >= 'A' && *c <= 'Z')
                *c = (char)(*c - 'A' + 'a');
        }
        return 0;
    }
    n = decompose(s, len, opts, stack, &cps);
    if (n < 0)
        goto out;
    for (i = 0; i < n; i++) {
        if (kase == CASE_UPPER)
            cps[i] = utf8proc_toupper(cps[i]);
        else if (kase == CASE_LOWER)
            cps[i] = utf8proc_tolower(cps[i]);
    }
    n = utf8proc_reencode(cps, n, opts);
    if (n < 0)
        goto out;
    buf_put(b, cps, (size_t)n);
    rc = 0;
out:
    if (cps != stack)
        free(cps);
    return rc;
}

int vntext_nfc(buf *b, const char *s, size_t len)
{
    return map_text(b, s, len, CASE_NONE);
}

int vntext_upper(buf *b, const char *s, size_t len)
{
    return map_text(b, s, len, CASE_UPPER);
}

int vntext_lower(buf *b, const char *s, size_t len)
{
    return map_text(b, s, len, CASE_LOWER);
}

int vntext_slug(buf *b, const char *s, size_t len)
{
    const utf8proc_option_t opts = UTF8PROC_STABLE | UTF8PROC_DECOMPOSE | UTF8PROC_STRIPMARK |
                                   UTF8PROC_CASEFOLD;
    utf8proc_int32_t stack[STACK_CPS], *cps;
    utf8proc_ssize_t n, i;
    int pending = 0; /* a '-' is owed before the next letter */
    size_t start = b->len;

    n = decompose(s, len, opts, stack, &cps);
    if (n < 0)
        return -1;
    for (i = 0; i < n; i++) {
        utf8proc_int32_t c = cps[i];
        if (c == 0x110 || c == 0x111)
            c = 'd';
        else if (c >= 'A' && c <= 'Z')
            c += 'a' - 'A';
        if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
            if (pending && b->len > start)
                buf_putc(b, '-');
            pending = 0;
            buf_putc(b, (char)c);
        } else {
            pending = 1;
        }
    }
    if (cps != stack)
        free(cps);
    return 0;
}
