/*
** Decoding CSV bytes to UTF-8 NFC.
**
** The order is Excel's (domain.md §3.2): a BOM decides (UTF-8, UTF-16LE, UTF-16BE); else
** strictly valid UTF-8 is UTF-8; else the bytes are an 8-bit Vietnamese code page, and we
** choose between Windows-1258 and TCVN3 by which one turns the high bytes into Vietnamese
** letters rather than symbols (TCVN3 puts its letters at 0xA1-0xFF, where Windows-1258 has
** punctuation and symbols such as ¸ · µ ©). Everything goes through NFC at the end: iconv's
** Windows-1258 output and macOS files may carry combining marks.
*/
#include "decode.h"

#include <errno.h>
#include <iconv.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#include "xalloc.h"

const char *decode_encoding_name(decode_encoding e)
{
    switch (e) {
    case DECODE_UTF8: return "UTF-8";
    case DECODE_UTF8_BOM: return "UTF-8 (BOM)";
    case DECODE_UTF16LE: return "UTF-16LE";
    case DECODE_UTF16BE: return "UTF-16BE";
    case DECODE_CP1258: return "Windows-1258";
    case DECODE_TCVN3: return "TCVN3";
    }
    return "?";
}

/***  UTF-8 validation  ***/

static int is_stable(int32_t cp);

/* decode_utf8_valid(), also clearing *STABLE when a code point is not is_stable(): text
 * without such code points is NFC as it is, which saves the NFC copy (decode_take). */
static size_t scan_utf8(const char *text, size_t len, int *stable)
{
    const unsigned char *s = (const unsigned char *)text;
    size_t i = 0;

    while (i < len) {
        unsigned c = s[i];
        size_t n;
        uint32_t cp, min;
        uint64_t w;

        if (i + 8 <= len && (memcpy(&w, s + i, 8), (w & 0x8080808080808080u) == 0)) {
            i += 8; /* eight ASCII bytes at once: most of a CSV file */
            continue;
        }
        if (c < 0x80) {
            i++;
            continue;
        }
        if (c >= 0xC2 && c <= 0xDF)
            n = 1, cp = c & 0x1F, min = 0x80;
        else if (c >= 0xE0 && c <= 0xEF)
            n = 2, cp = c & 0x0F, min = 0x800;
        else if (c >= 0xF0 && c <= 0xF4)
            n = 3, cp = c & 0x07, min = 0x10000;
        else
            return i;
        if (len - i <= n)
            return i;
        for (size_t k = 1; k <= n; k++) {
            if ((s[i + k] & 0xC0) != 0x80)
                return i;
            cp = (cp << 6) | (s[i + k] & 0x3F);
        }
        if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
            return i;
        if (!is_stable((int32_t)cp))
            *stable = 0;
        i += n + 1;
    }
    return len;
}

size_t decode_utf8_valid(const char *text, size_t len)
{
    int stable;

    return scan_utf8(text, len, &stable);
}

/***  NFC  ***/

/* Characters that are NFC on their own and never combine with a neighbour: Latin-1, Latin
 * Extended A/B, IPA and spacing modifiers, Latin Extended Additional (all precomposed
 * Vietnamese letters), general punctuation dashes and quotes, currency signs (₫). */
static int is_stable(int32_t cp)
{
    return (cp >= 0x80 && cp <= 0x2FF) || (cp >= 0x1E00 && cp <= 0x1EFF) ||
           (cp >= 0x2010 && cp <= 0x2027) || (cp >= 0x20A0 && cp <= 0x20BF);
}

static int run_is_stable(const unsigned char *s, size_t len)
{
    for (size_t i = 0; i < len;) {
        int32_t cp;
        utf8proc_ssize_t n = utf8proc_iterate(s + i, (utf8proc_ssize_t)(len - i), &cp);

        if (n <= 0 || !is_stable(cp))
            return 0;
        i += (size_t)n;
    }
    return 1;
}

/* Normalises one run (a starter and what follows it up to the next ASCII byte). */
static void normalise_run(const unsigned char *s, size_t len, buf *out)
{
    utf8proc_option_t opt = UTF8PROC_STABLE | UTF8PROC_COMPOSE;
    int32_t small[256], *cps = small;
    utf8proc_ssize_t n = utf8proc_decompose(s, (utf8proc_ssize_t)len, cps, 256, opt);

    if (n > 256) {
        cps = xmalloc((size_t)n * sizeof *cps);
        n = utf8proc_decompose(s, (utf8proc_ssize_t)len, cps, n, opt);
    }
    if (n < 0) { /* cannot happen for valid UTF-8; keep the bytes rather than lose text */
        buf_put(out, s, len);
    } else {
        n = utf8proc_normalize_utf32(cps, n, opt);
        buf_grow(out, (size_t)n * 4);
        for (utf8proc_ssize_t k = 0; k < n; k++)
            out->len += (size_t)utf8proc_encode_char(cps[k], (uint8_t *)out->ptr + out->len);
        out->ptr[out->len] = '\0';
    }
    if (cps != small)
        free(cps);
}

void decode_nfc(const char *text, size_t len, buf *out)
{
    const unsigned char *s = (const unsigned char *)text;
    size_t i = 0;

    buf_grow(out, len);
    out->ptr[out->len] = '\0';
    while (i < len) {
        size_t a = i, b;

        uint64_t w;
        while (i + 8 <= len && (memcpy(&w, s + i, 8), (w & 0x8080808080808080u) == 0))
            i += 8;
        while (i < len && s[i] < 0x80)
            i++;
        if (i == len) {
            buf_put(out, s + a, i - a);
            break;
        }
        /* s[i] starts a non-ASCII run; the ASCII byte before it may compose with it */
        b = i > a ? i - 1 : i;
        buf_put(out, s + a, b - a);
        size_t run = i;
        while (i < len && s[i] >= 0x80)
            i++;
        if (run_is_stable(s + run, i - run))
            buf_put(out, s + b, i - b);
        else
            normalise_run(s + b, i - b, out);
    }
}

/***  Errors at the first bad byte  ***/

/* LINE:COL of byte OFF; COL counts characters when S is UTF-8 (CHARS), bytes otherwise. */
static void position_of(const char *s, size_t off, int chars, unsigned *line, unsigned *col)
{
    unsigned l = 1, c = 1;

    for (size_t i = 0; i < off; i++) {
        if (s[i] == '\n' || (s[i] == '\r' && (i + 1 >= off || s[i + 1] != '\n')))
            l++, c = 1;
        else if (s[i] != '\r' && (!chars || ((unsigned char)s[i] & 0xC0) != 0x80))
            c++;
    }
    *line = l;
    *col = c;
}

/* NUL bytes are never text: a UTF-16 file without BOM, or a binary file. */
static int check_no_nul(const char *name, const char *s, size_t len, diag *d)
{
    const char *z = memchr(s, '\0', len);
    unsigned line, col;

    if (!z)
        return 0;
    position_of(s, (size_t)(z - s), 1, &line, &col);
    diag_error(d, name, line, col, "NUL character: not a text file (UTF-16 without a BOM?)");
    return -1;
}

/***  iconv  ***/

/* Converts with iconv from CHARSET; on an invalid or incomplete sequence returns -1 with the
 * input offset of the bad byte in *BAD. */
static int convert(const char *charset, const char *in, size_t len, buf *out, size_t *bad)
{
    iconv_t cd = iconv_open("UTF-8", charset);
    char *ip = (char *)in;
    size_t left = len;
    int rc = 0;

    if (cd == (iconv_t)-1) {
        *bad = 0;
        return -1;
    }
    buf_grow(out, len * 2 + 16);
    while (left > 0) {
        char *op = out->ptr + out->len;
        size_t room = out->cap - out->len - 1;
        size_t r = iconv(cd, &ip, &left, &op, &room);

        out->len = (size_t)(op - out->ptr);
        if (r != (size_t)-1)
            break;
        if (errno == E2BIG) {
            buf_grow(out, left * 2 + 16);
            continue;
        }
        *bad = (size_t)(ip - in);
        rc = -1;
        break;
    }
    /* Windows-1258 and TCVN decoders hold the last letter back in case a combining tone
     * follows: flush it */
    for (int tries = 0; rc == 0 && tries < 2; tries++) {
        char *op;
        size_t room;
        buf_grow(out, 16);
        op = out->ptr + out->len;
        room = out->cap - out->len - 1;
        size_t r = iconv(cd, NULL, NULL, &op, &room);
        out->len = (size_t)(op - out->ptr);
        if (r != (size_t)-1 || errno != E2BIG)
            break;
    }
    out->ptr[out->len] = '\0';
    iconv_close(cd);
    return rc;
}

/***  Windows-1258 or TCVN3?  ***/

/* How Vietnamese a decoding looks: letters and tone marks count for it, symbols against,
 * and a word with two tone marks (which no Vietnamese syllable has) strongly against. */
static long vietnamese_score(const char *s, size_t len)
{
    utf8proc_uint8_t *nfd = NULL;
    utf8proc_ssize_t n = utf8proc_map((const utf8proc_uint8_t *)s, (utf8proc_ssize_t)len, &nfd,
                                      UTF8PROC_DECOMPOSE | UTF8PROC_STABLE);
    long score = 0;
    int tones = 0;

    if (n < 0)
        return 0;
    for (utf8proc_ssize_t i = 0; i < n;) {
        int32_t cp;
        utf8proc_ssize_t m = utf8proc_iterate(nfd + i, n - i, &cp);
        if (m <= 0)
            break;
        i += m;
        utf8proc_category_t cat = utf8proc_category(cp);
        int letter = cat == UTF8PROC_CATEGORY_LL || cat == UTF8PROC_CATEGORY_LU ||
                     cat == UTF8PROC_CATEGORY_MN;
        if (!letter) {
            score -= tones > 1 ? 4 * (tones - 1) : 0;
            tones = 0;
            score -= cp >= 0x80 ? 2 : 0;
            continue;
        }
        if (cp == 0x300 || cp == 0x301 || cp == 0x303 || cp == 0x309 || cp == 0x323)
            tones++, score += 2;
        else if (cp >= 0x80)
            score += 1;
    }
    score -= tones > 1 ? 4 * (tones - 1) : 0;
    free(nfd);
    return score;
}

static int decode_8bit(const char *name, const char *bytes, size_t len, decode_encoding *enc,
                       buf *text, diag *d)
{
    buf w = BUF_INIT, t = BUF_INIT;
    size_t bad_w = 0, bad_t = 0;
    int ok_w = convert("CP1258", bytes, len, &w, &bad_w) == 0;
    int ok_t = convert("TCVN5712-1", bytes, len, &t, &bad_t) == 0;
    int rc = 0;

    /* glibc's TCVN5712-1 is VN1, which also gives letters to C0 controls and 0x80-0x9F;
     * TCVN3 text as offices wrote it (VN3, .Vn fonts) uses neither, so such bytes mean the
     * file is not TCVN3. */
    for (size_t i = 0; ok_t && i < len; i++) {
        unsigned char c = (unsigned char)bytes[i];
        if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r') || (c >= 0x80 && c <= 0x9F))
            ok_t = 0;
    }
    long score_t = ok_t ? vietnamese_score(t.ptr, t.len) : 0;
    if (ok_t && score_t > 0 && (!ok_w || score_t > vietnamese_score(w.ptr, w.len))) {
        *enc = DECODE_TCVN3;
        buf_free(text);
        *text = t, t = (buf)BUF_INIT;
        diag_note(d, name, 0, 0,
                  "read as TCVN3 (ABC), a legacy encoding; save the file as CSV UTF-8");
    } else if (ok_w) {
        *enc = DECODE_CP1258;
        buf_free(text);
        *text = w, w = (buf)BUF_INIT;
    } else {
        unsigned line, col;
        size_t first = decode_utf8_valid(bytes, len);

        position_of(bytes, bad_w, 0, &line, &col);
        diag_error(d, name, line, col,
                   "byte 0x%02X decodes in no supported encoding (UTF-8, UTF-16 with BOM, "
                   "Windows-1258, TCVN3); the first byte that is not UTF-8 is at offset %zu",
                   (unsigned char)bytes[bad_w], first);
        rc = -1;
    }
    buf_free(&w);
    buf_free(&t);
    return rc;
}

/***  Entry points  ***/

char *decode_take(const char *name, char *bytes, size_t len, decode_encoding *enc,
                  size_t *out_len, diag *d)
{
    const unsigned char *u = (const unsigned char *)bytes;
    size_t skip = len >= 3 && u[0] == 0xEF && u[1] == 0xBB && u[2] == 0xBF ? 3 : 0;
    int utf16 = len >= 2 && ((u[0] == 0xFF && u[1] == 0xFE) || (u[0] == 0xFE && u[1] == 0xFF));
    int stable = 1;
    char *text;

    if (!utf16 && scan_utf8(bytes + skip, len - skip, &stable) == len - skip && stable &&
        !memchr(bytes + skip, '\0', len - skip)) {
        /* UTF-8 in NFC already, as nearly every file is: the bytes are the text */
        *enc = skip ? DECODE_UTF8_BOM : DECODE_UTF8;
        if (skip)
            memmove(bytes, bytes + skip, len - skip);
        bytes[len - skip] = '\0';
        *out_len = len - skip;
        return bytes;
    }
    text = decode_bytes(name, bytes, len, enc, out_len, d);
    free(bytes);
    return text;
}

char *decode_bytes(const char *name, const char *bytes, size_t len, decode_encoding *enc,
                   size_t *out_len, diag *d)
{
    const unsigned char *u = (const unsigned char *)bytes;
    buf text = BUF_INIT, nfc = BUF_INIT;
    const char *src = bytes;
    size_t n = len, bad = 0;

    if (len >= 3 && u[0] == 0xEF && u[1] == 0xBB && u[2] == 0xBF) {
        *enc = DECODE_UTF8_BOM;
        src += 3, n -= 3;
    } else if (len >= 2 && ((u[0] == 0xFF && u[1] == 0xFE) || (u[0] == 0xFE && u[1] == 0xFF))) {
        *enc = u[0] == 0xFF ? DECODE_UTF16LE : DECODE_UTF16BE;
        if (convert(*enc == DECODE_UTF16LE ? "UTF-16LE" : "UTF-16BE", bytes + 2, len - 2,
                    &text, &bad) != 0) {
            diag_error(d, name, 0, 0, "invalid %s at byte offset %zu (truncated or unpaired "
                       "surrogate)", decode_encoding_name(*enc), bad + 2);
            goto fail;
        }
        src = text.ptr, n = text.len;
    } else {
        *enc = DECODE_UTF8;
    }
    if (*enc == DECODE_UTF8 || *enc == DECODE_UTF8_BOM) {
        bad = decode_utf8_valid(src, n);
        if (bad < n) {
            if (decode_8bit(name, src, n, enc, &text, d) != 0)
                goto fail;
            src = text.ptr, n = text.len;
        }
    }
    if (check_no_nul(name, src, n, d) != 0)
        goto fail;
    decode_nfc(src, n, &nfc);
    buf_free(&text);
    return buf_detach(&nfc, out_len);
fail:
    buf_free(&text);
    buf_free(&nfc);
    return NULL;
}
