/*
** Vietnamese text helpers: NFC normalisation, case mapping, slugs for file names (utf8proc).
**
** Each appends to B and returns 0, or -1 when S[0..LEN) is not valid UTF-8 (then B is left as
** it was). S need not be NUL-terminated. ASCII input takes a copy-only fast path; other input
** is worked on in a stack buffer of 256 code points, so only longer strings allocate.
*/
#ifndef BAOCAO_VNTEXT_H
#define BAOCAO_VNTEXT_H

#include <stddef.h>

#include "buf.h"

/* Canonical composition (NFC): "u" + U+031B + U+0323 becomes "ự". */
int vntext_nfc(buf *b, const char *s, size_t len);
/* Upper/lower case with NFC output, decomposed input too: "ư" -> "Ư", "đ" -> "Đ",
 * "ạ" -> "Ạ" (simple, one-to-one Unicode case mappings). */
int vntext_upper(buf *b, const char *s, size_t len);
int vntext_lower(buf *b, const char *s, size_t len);
/* A file-name slug: marks stripped, đ/Đ -> d, lower case, every run of other characters
 * -> one '-', no '-' at either end: "Ninh Bình" -> "ninh-binh", "Đắk Lắk" -> "dak-lak".
 * Characters with no Latin base letter (e.g. CJK) count as separators; the slug may be empty. */
int vntext_slug(buf *b, const char *s, size_t len);

#endif
