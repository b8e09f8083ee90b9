/*
** Unit tests for decode.c (encodings, NFC) and vnkey.c (tone placement).
*/
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "decode.h"
#include "diag.h"
#include "vnkey.h"

/* Decodes BYTES, expecting success with encoding WANT_ENC and text WANT. */
static void expect_text(const char *bytes, size_t len, decode_encoding want_enc, const char *want)
{
    diag *d = diag_new(NULL, 1);
    decode_encoding enc;
    size_t n;
    char *s = decode_bytes("t.csv", bytes, len, &enc, &n, d);

    assert_non_null(s);
    assert_string_equal(decode_encoding_name(enc), decode_encoding_name(want_enc));
    assert_int_equal(n, strlen(want));
    assert_string_equal(s, want);
    free(s);
    /* decode_take() gives the same text from a buffer it owns */
    char *own = malloc(len + 1);
    memcpy(own, bytes, len);
    own[len] = '\0';
    s = decode_take("t.csv", own, len, &enc, &n, d);
    assert_non_null(s);
    assert_string_equal(decode_encoding_name(enc), decode_encoding_name(want_enc));
    assert_int_equal(n, strlen(want));
    assert_string_equal(s, want);
    free(s);
    diag_free(d);
}

static void nfc_utf8_is_taken_without_a_copy(void **state)
{
    diag *d = diag_new(NULL, 1);
    decode_encoding enc;
    size_t n;
    char *own = strdup("ma;ten\n01;Thừa Thiên Huế\n");
    char *s = decode_take("t.csv", own, strlen(own), &enc, &n, d);

    (void)state;
    assert_ptr_equal(s, own);
    assert_int_equal(enc, DECODE_UTF8);
    free(s);
    own = strdup("Ho\xCC\x80" "a");     /* NFD: a new NFC buffer */
    s = decode_take("t.csv", own, strlen(own), &enc, &n, d);
    assert_string_equal(s, "Hòa");
    free(s);
    own = strdup("a\x81");              /* no encoding: an error, the buffer freed */
    assert_null(decode_take("t.csv", own, strlen(own), &enc, &n, d));
    diag_free(d);
}

static void utf8_plain_and_bom(void **state)
{
    (void)state;
    expect_text("a,b\n", 4, DECODE_UTF8, "a,b\n");
    expect_text("\xEF\xBB\xBFHà Nội", 12, DECODE_UTF8_BOM, "Hà Nội");
    expect_text("", 0, DECODE_UTF8, "");
}

static void utf16_with_bom(void **state)
{
    (void)state;
    /* "Hà\n" */
    expect_text("\xFF\xFEH\0\xE0\0\n\0", 8, DECODE_UTF16LE, "Hà\n");
    expect_text("\xFE\xFF\0H\0\xE0\0\n", 8, DECODE_UTF16BE, "Hà\n");
}

static void windows_1258_is_composed(void **state)
{
    (void)state;
    /* Hợp tác xã as Windows-1258 stores it: tone marks as combining characters */
    expect_text("H\xF5\xF2p t\xE1\x63 x\x61\xDE", 12, DECODE_CP1258, "Hợp tác xã");
}

static void tcvn3_is_recognised_with_a_note(void **state)
{
    diag *d = diag_new(NULL, 1);
    decode_encoding enc;
    size_t n;
    char *s = decode_bytes("t.csv", "h\xEEp t\xB8\x63 x\xB7", 10, &enc, &n, d);

    (void)state;
    assert_non_null(s);
    assert_int_equal(enc, DECODE_TCVN3);
    assert_string_equal(s, "hợp tác xã");
    assert_non_null(strstr(diag_text(d), "t.csv: note: read as TCVN3"));
    assert_int_equal(diag_errors(d), 0);
    free(s);
    diag_free(d);
}

static void nfd_becomes_nfc(void **state)
{
    (void)state;
    /* "Hoà" with a combining grave, "Nội" as o + circumflex + dot below */
    expect_text("Hoa\xCC\x80 No\xCC\x82\xCC\xA3i", 13, DECODE_UTF8, "Hoà Nội");
    /* the dot below and circumflex in the other order still compose */
    expect_text("o\xCC\xA3\xCC\x82", 5, DECODE_UTF8, "ộ");
}

static void bad_bytes_have_a_position(void **state)
{
    diag *d = diag_new(NULL, 1);
    decode_encoding enc;
    size_t n;

    (void)state;
    assert_null(decode_bytes("t.csv", "a,b\n1,\x81x\n", 9, &enc, &n, d));
    assert_non_null(strstr(diag_text(d), "t.csv:2:3: error: byte 0x81 decodes in no supported"));
    diag_clear(d);
    assert_null(decode_bytes("t.csv", "a\nb\0c", 5, &enc, &n, d));
    assert_non_null(strstr(diag_text(d), "t.csv:2:2: error: NUL character"));
    diag_clear(d);
    assert_null(decode_bytes("t.csv", "\xFF\xFEH", 3, &enc, &n, d));
    assert_non_null(strstr(diag_text(d), "invalid UTF-16LE"));
    diag_free(d);
}

static void utf8_validation_is_strict(void **state)
{
    (void)state;
    assert_int_equal(decode_utf8_valid("abc", 3), 3);
    assert_int_equal(decode_utf8_valid("a\xC0\x80", 3), 1);          /* overlong NUL */
    assert_int_equal(decode_utf8_valid("a\xED\xA0\x80", 4), 1);      /* surrogate */
    assert_int_equal(decode_utf8_valid("\xF4\x90\x80\x80", 4), 0);   /* above U+10FFFF */
    assert_int_equal(decode_utf8_valid("\xE1\xBB", 2), 0);           /* truncated */
    assert_int_equal(decode_utf8_valid("\xE1\xBB\x99", 3), 3);       /* ộ */
}

static void expect_key(const char *in, const char *want)
{
    char *k = vnkey_normalise(in, strlen(in));
    assert_string_equal(k, want);
    free(k);
}

static void tone_placement(void **state)
{
    (void)state;
    expect_key("Hòa Bình", "Hoà Bình");
    expect_key("Hoà Bình", "Hoà Bình");
    expect_key("Thủy", "Thuỷ");
    expect_key("Khỏe", "Khoẻ");
    expect_key("  Khánh   Hòa ", "Khánh Hoà");
    expect_key("người", "người");
    expect_key("hoàng", "hoàng");
    expect_key("Quý", "Quý");
    expect_key("giữ", "giữ");
    expect_key("Ha\xCC\x80 No\xCC\x82\xCC\xA3i", "Hà Nội");
    expect_key("Bà Rịa - Vũng Tàu", "Bà Rịa - Vũng Tàu");
    expect_key("", "");
    assert_true(vnkey_equal("Thừa Thiên Huế", "Thừa Thiên Huế"));
    assert_true(vnkey_equal("Hòa", "Hoà"));
    assert_false(vnkey_equal("Hòa", "Hóa"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(utf8_plain_and_bom),
        cmocka_unit_test(utf16_with_bom),
        cmocka_unit_test(windows_1258_is_composed),
        cmocka_unit_test(tcvn3_is_recognised_with_a_note),
        cmocka_unit_test(nfd_becomes_nfc),
        cmocka_unit_test(bad_bytes_have_a_position),
        cmocka_unit_test(utf8_validation_is_strict),
        cmocka_unit_test(nfc_utf8_is_taken_without_a_copy),
        cmocka_unit_test(tone_placement),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
