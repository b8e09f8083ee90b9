/*
** Vietnamese text keys: two spellings of one name compare equal after NFC and tone-mark
** placement normalisation ("Hòa Bình" / "Hoà Bình", "Thủy" / "Thuỷ"; domain.md §3.5).
*/
#ifndef BAOCAO_VNKEY_H
#define BAOCAO_VNKEY_H

#include <stddef.h>

/* Returns a new NUL-terminated string (the caller frees it): S[0..LEN) in NFC with each
 * syllable's tone mark moved to one canonical vowel (the "new" style: hoà, khoẻ, thuỷ,
 * quý, giữ, người), spaces trimmed and runs of white space collapsed to one space. Case
 * is kept. Invalid UTF-8 is copied unchanged. */
char *vnkey_normalise(const char *s, size_t len);

/* 1 when A and B are the same key after vnkey_normalise(). */
int vnkey_equal(const char *a, const char *b);

#endif
