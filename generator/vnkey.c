/*
** Tone-mark placement normalisation. A syllable is decomposed (NFD); its tone mark (grave,
** acute, tilde, hook above, dot below) is taken off and put back on the vowel the modern rule
** chooses, computed from the toneless letters only. Two spellings that differ only in where
** the tone sits therefore give the same key, whatever the rule; the rule is the one of
** current dictionaries so keys also read naturally.
*/
#include "vnkey.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#include "buf.h"
#include "vntext.h"
#include "xalloc.h"

#define VNKEY_MAX_SYLLABLE 32 /* code points; longer "words" are not Vietnamese syllables */

static int is_tone(int32_t c)
{
    return c == 0x300 || c == 0x301 || c == 0x303 || c == 0x309 || c == 0x323;
}

/* Breve, circumflex, horn: they make ă â ê ô ơ ư, which take the tone first. */
static int is_shape_mark(int32_t c)
{
    return c == 0x302 || c == 0x306 || c == 0x31B;
}

static int is_vowel(int32_t c)
{
    switch (c | 0x20) {
    case 'a': case 'e': case 'i': case 'o': case 'u': case 'y': return c < 0x80;
    }
    return 0;
}

static int lower(int32_t c)
{
    return c < 0x80 ? (c | 0x20) : c;
}

/* The index (into BASE) of the letter that carries the tone in syllable BASE[0..N). */
static size_t tone_slot(const int32_t *base, const int *shaped, size_t n)
{
    size_t v0 = n, v1 = n, last_shaped = n;

    for (size_t i = 0; i < n; i++) {
        if (!is_vowel(base[i]))
            continue;
        /* the u of qu and the i of gi belong to the consonant when a vowel follows */
        if (i == 1 && i + 1 < n && is_vowel(base[i + 1]) &&
            ((lower(base[0]) == 'q' && lower(base[1]) == 'u') ||
             (lower(base[0]) == 'g' && lower(base[1]) == 'i')))
            continue;
        if (v0 == n)
            v0 = i;
        v1 = i;
        if (shaped[i])
            last_shaped = i;
    }
    if (v0 == n)
        return n;
    if (last_shaped != n)
        return last_shaped; /* người, tuấn, thuở */
    if (v1 + 1 < n || v0 == v1)
        return v1; /* a final consonant: hoàng, toán; or one vowel */
    if (v1 == v0 + 1) {
        int32_t a = lower(base[v0]), b = lower(base[v1]);
        if ((a == 'o' && (b == 'a' || b == 'e')) || (a == 'u' && b == 'y'))
            return v1; /* hoà, khoẻ, thuỷ */
    }
    return v1 - v0 >= 2 ? v0 + 1 : v0; /* mái, múa, khuỷu → khuỷu, người handled above */
}

/* Re-places the tone of one syllable CP[0..N) (NFD, letters and marks) into OUT. */
static void place_tone(const int32_t *cp, size_t n, buf *out)
{
    int32_t base[VNKEY_MAX_SYLLABLE], marks[VNKEY_MAX_SYLLABLE][3], tone = 0;
    int shaped[VNKEY_MAX_SYLLABLE], nmarks[VNKEY_MAX_SYLLABLE];
    size_t nb = 0, slot;
    uint8_t enc[4];

    for (size_t i = 0; i < n; i++) {
        if (is_tone(cp[i]) && nb > 0 && !tone) {
            tone = cp[i];
        } else if (utf8proc_get_property(cp[i])->combining_class != 0 && nb > 0 &&
                   nmarks[nb - 1] < 3) {
            shaped[nb - 1] |= is_shape_mark(cp[i]);
            marks[nb - 1][nmarks[nb - 1]++] = cp[i];
        } else if (nb < VNKEY_MAX_SYLLABLE) {
            base[nb] = cp[i], shaped[nb] = 0, nmarks[nb] = 0, nb++;
        } else {
            tone = 0; /* too long for a syllable: leave it as it is */
            break;
        }
    }
    if (!tone || (slot = tone_slot(base, shaped, nb)) == nb) {
        for (size_t i = 0; i < n; i++)
            buf_put(out, enc, (size_t)utf8proc_encode_char(cp[i], enc));
        return;
    }
    for (size_t i = 0; i < nb; i++) {
        buf_put(out, enc, (size_t)utf8proc_encode_char(base[i], enc));
        for (int k = 0; k < nmarks[i]; k++)
            buf_put(out, enc, (size_t)utf8proc_encode_char(marks[i][k], enc));
        if (i == slot)
            buf_put(out, enc, (size_t)utf8proc_encode_char(tone, enc));
    }
}

static int is_letter_or_mark(int32_t c)
{
    utf8proc_category_t k = utf8proc_category(c);
    return k == UTF8PROC_CATEGORY_LU || k == UTF8PROC_CATEGORY_LL ||
           k == UTF8PROC_CATEGORY_LT || k == UTF8PROC_CATEGORY_MN;
}

static int is_space(int32_t c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == 0xA0;
}

char *vnkey_normalise(const char *s, size_t len)
{
    utf8proc_uint8_t *nfd = NULL;
    utf8proc_ssize_t n = utf8proc_map((const utf8proc_uint8_t *)s, (utf8proc_ssize_t)len, &nfd,
                                      UTF8PROC_DECOMPOSE | UTF8PROC_STABLE);
    buf out = BUF_INIT, nfc = BUF_INIT;
    int32_t *cp;
    size_t ncp = 0, i = 0;
    int space = 0;

    if (n < 0)
        return xstrndup(s, len);
    cp = xmalloc(((size_t)n + 1) * sizeof *cp);
    for (utf8proc_ssize_t k = 0; k < n;) {
        utf8proc_ssize_t m = utf8proc_iterate(nfd + k, n - k, &cp[ncp]);
        k += m > 0 ? m : 1;
        ncp += m > 0;
    }
    free(nfd);
    while (i < ncp) {
        if (is_space(cp[i])) {
            space = out.len > 0;
            i++;
            continue;
        }
        if (space)
            buf_putc(&out, ' '), space = 0;
        size_t j = i;
        while (j < ncp && is_letter_or_mark(cp[j]))
            j++;
        if (j == i)
            j = i + 1; /* a digit or punctuation: copied as it is */
        place_tone(cp + i, j - i, &out);
        i = j;
    }
    free(cp);
    if (vntext_nfc(&nfc, out.ptr ? out.ptr : "", out.len) != 0)
        return buf_detach(&out, NULL);
    buf_free(&out);
    return buf_detach(&nfc, NULL);
}

int vnkey_equal(const char *a, const char *b)
{
    char *x = vnkey_normalise(a, strlen(a)), *y = vnkey_normalise(b, strlen(b));
    int eq = strcmp(x, y) == 0;

    free(x);
    free(y);
    return eq;
}
