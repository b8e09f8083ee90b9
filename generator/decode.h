/*
** Decoding: CSV bytes as they arrive (UTF-8 with or without BOM, UTF-16LE/BE with BOM,
** Windows-1258, legacy TCVN3/ABC) → UTF-8 in NFC, which is what every later stage assumes.
*/
#ifndef BAOCAO_DECODE_H
#define BAOCAO_DECODE_H

#include <stddef.h>

#include "buf.h"
#include "diag.h"

typedef enum decode_encoding {
    DECODE_UTF8,     /* valid UTF-8, no BOM */
    DECODE_UTF8_BOM, /* Excel "CSV UTF-8" */
    DECODE_UTF16LE,  /* Excel "Unicode text", BOM FF FE */
    DECODE_UTF16BE,  /* BOM FE FF */
    DECODE_CP1258,   /* Excel "CSV" on a Vietnamese Windows (ANSI code page) */
    DECODE_TCVN3     /* legacy TCVN 5712:1993 (ABC, .Vn fonts) */
} decode_encoding;

/* Borrowed, static: "UTF-8", "UTF-8 (BOM)", "UTF-16LE", "UTF-16BE", "Windows-1258", "TCVN3". */
const char *decode_encoding_name(decode_encoding e);

/* Decodes LEN bytes (NAME is the file name for messages) into a new NUL-terminated UTF-8 NFC
 * buffer the caller frees, its length in *OUT_LEN and the encoding found in *ENC. TCVN3 is
 * converted with a note to D. Bytes that decode in no supported encoding, and NUL characters,
 * are errors at the LINE:COL of the first bad byte: returns NULL after reporting to D. */
char *decode_bytes(const char *name, const char *bytes, size_t len, decode_encoding *enc,
                   size_t *out_len, diag *d);

/* The same, taking BYTES (malloc'd, LEN bytes and a NUL after them): it is freed, or handed
 * back as the text when it is UTF-8 already in NFC, so a big file is never held twice. */
char *decode_take(const char *name, char *bytes, size_t len, decode_encoding *enc,
                  size_t *out_len, diag *d);

/* Length of the longest valid UTF-8 prefix of S (strict: no overlongs, surrogates or code
 * points above U+10FFFF): LEN when S is entirely valid. */
size_t decode_utf8_valid(const char *s, size_t len);

/* Appends S (valid UTF-8) in NFC to OUT. ASCII and precomposed Latin/Vietnamese stretches are
 * copied as they are; only runs holding other characters go through utf8proc. */
void decode_nfc(const char *s, size_t len, buf *out);

#endif
