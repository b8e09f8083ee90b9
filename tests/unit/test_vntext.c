/*
** Unit tests for vntext: NFC, Vietnamese upper/lower case, slugs.
*/
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "buf.h"
#include "vntext.h"

struct tcase {
    const char *in, *out;
};

static void run(int (*f)(buf *, const char *, size_t), const struct tcase *c, size_t n)
{
    buf b = BUF_INIT;

    for (size_t i = 0; i < n; i++) {
        buf_reset(&b);
        buf_puts(&b, "[");
        assert_int_equal(f(&b, c[i].in, strlen(c[i].in)), 0);
        buf_puts(&b, "]");
        if (strncmp(b.ptr + 1, c[i].out, b.len - 2) != 0 || strlen(c[i].out) != b.len - 2) {
            print_error("'%s': got '%s' want '[%s]'\n", c[i].in, b.ptr, c[i].out);
            fail();
        }
    }
    buf_free(&b);
}

#define RUN(f, cases) run(f, cases, sizeof cases / sizeof cases[0])

/* Decomposed spellings: U+0323 dot below, U+0309 hook above, U+031B horn, U+0302 circumflex,
 * U+0301 acute, U+0300 grave, U+0303 tilde, U+0306 breve. */
static const struct tcase nfc_cases[] = {
    { "", "" },
    { "Hop tac xa", "Hop tac xa" },
    { "Hợp tác xã", "Hợp tác xã" },
    { "Ho\xcc\x9b\xcc\xa3p ta\xcc\x81\x63 xa\xcc\x83", "Hợp tác xã" },
    { "u\xcc\x9b\xcc\xa3", "ự" },
    { "u\xcc\xa3\xcc\x9b", "ự" },  /* marks in the other order */
    { "e\xcc\x82\xcc\x81", "ế" },
    { "a\xcc\x86\xcc\x80", "ằ" },
    { "Vie\xcc\xa3\xcc\x82t Nam", "Việt Nam" },
    { "\xe1\xbb\xb1", "ự" },      /* already NFC */
    { "Ninh Bi\xcc\x80nh", "Ninh Bình" },
    { "\xc3\xa1\xcc\x89", "\xc3\xa1\xcc\x89" }, /* á + hook: no such letter, left as is */
};

static const struct tcase upper_cases[] = {
    { "", "" },
    { "abc xyz 123", "ABC XYZ 123" },
    { "ư", "Ư" },
    { "đ", "Đ" },
    { "ạ", "Ạ" },
    { "ơ ô ê ă â", "Ơ Ô Ê Ă Â" },
    { "báo cáo tổng kết", "BÁO CÁO TỔNG KẾT" },
    { "hợp tác xã", "HỢP TÁC XÃ" },
    { "liên minh hợp tác xã tỉnh ninh bình", "LIÊN MINH HỢP TÁC XÃ TỈNH NINH BÌNH" },
    { "cộng hòa xã hội chủ nghĩa việt nam", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" },
    { "u\xcc\x9b\xcc\xa3", "Ự" },
    { "a\xcc\xa3", "Ạ" },
    { "Ho\xcc\x9b\xcc\xa3p", "HỢP" },
    { "đắk lắk", "ĐẮK LẮK" },
    { "ỳ ỷ ỹ ý ỵ", "Ỳ Ỷ Ỹ Ý Ỵ" },
    { "Đã CÓ", "ĐÃ CÓ" },
};

static const struct tcase lower_cases[] = {
    { "", "" },
    { "ABC Xyz", "abc xyz" },
    { "Ư", "ư" },
    { "Đ", "đ" },
    { "Ạ", "ạ" },
    { "BÁO CÁO", "báo cáo" },
    { "HỢP TÁC XÃ", "hợp tác xã" },
    { "U\xcc\x9b\xcc\xa3", "ự" },
    { "ĐẮK LẮK", "đắk lắk" },
    { "Ỳ Ỷ Ỹ Ý Ỵ", "ỳ ỷ ỹ ý ỵ" },
};

static const struct tcase slug_cases[] = {
    { "", "" },
    { "Ninh Bình", "ninh-binh" },
    { "Đắk Lắk", "dak-lak" },
    { "đồng bằng", "dong-bang" },
    { "Thành phố Hồ Chí Minh", "thanh-pho-ho-chi-minh" },
    { "Bà Rịa - Vũng Tàu", "ba-ria-vung-tau" },
    { "  Hợp tác xã (HTX) 2023!  ", "hop-tac-xa-htx-2023" },
    { "Thừa Thiên Huế", "thua-thien-hue" },
    { "Ho\xcc\x9b\xcc\xa3p ta\xcc\x81\x63", "hop-tac" },
    { "ư ơ ă â ê ô", "u-o-a-a-e-o" },
    { "Quận 1", "quan-1" },
    { "a/b\\c..d", "a-b-c-d" },
    { "---", "" },
    { "漢字", "" },
    { "x漢y", "x-y" },
    { "ABC_def", "abc-def" },
};

static void nfc(void **state)
{
    (void)state;
    RUN(vntext_nfc, nfc_cases);
}

static void upper(void **state)
{
    (void)state;
    RUN(vntext_upper, upper_cases);
}

static void lower(void **state)
{
    (void)state;
    RUN(vntext_lower, lower_cases);
}

static void slug(void **state)
{
    (void)state;
    RUN(vntext_slug, slug_cases);
}

static void bad_utf8(void **state)
{
    static const char *const bad[] = { "\xff", "a\xc3", "\xc3\x28", "\xed\xa0\x80", "\xe1\xbb" };
    int (*const fns[])(buf *, const char *, size_t) = {
        vntext_nfc, vntext_upper, vntext_lower, vntext_slug
    };
    buf b = BUF_INIT;

    (void)state;
    for (size_t f = 0; f < 4; f++) {
        for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
            buf_reset(&b);
            buf_puts(&b, "keep");
            assert_int_equal(fns[f](&b, bad[i], strlen(bad[i])), -1);
            assert_string_equal(buf_cstr(&b), "keep");
        }
    }
    buf_free(&b);
}

/* Longer than the 256 code point stack buffer: the heap path gives the same result. */
static void long_text(void **state)
{
    buf in = BUF_INIT, want = BUF_INIT, out = BUF_INIT;

    (void)state;
    for (int i = 0; i < 500; i++) {
        buf_puts(&in, "ho\xcc\x9b\xcc\xa3p ");
        buf_puts(&want, "HỢP ");
    }
    assert_int_equal(vntext_upper(&out, in.ptr, in.len), 0);
    assert_string_equal(buf_cstr(&out), want.ptr);
    buf_reset(&out);
    assert_int_equal(vntext_slug(&out, in.ptr, in.len), 0);
    assert_int_equal(out.len, 500 * 4 - 1);
    buf_reset(&out);
    assert_int_equal(vntext_nfc(&out, "", 0), 0);
    assert_string_equal(buf_cstr(&out), "");
    buf_free(&in);
    buf_free(&want);
    buf_free(&out);
}

/* utf8proc_reencode writes a NUL after the UTF-8 it produces: 300 (heap) or 256 (stack)
 * four-byte characters fill the code point array exactly, so the array needs one more. */
static void four_byte_text(void **state)
{
    static const size_t counts[] = { 255, 256, 300 };
    buf in = BUF_INIT, b = BUF_INIT;

    (void)state;
    for (size_t k = 0; k < sizeof counts / sizeof *counts; k++) {
        buf_reset(&in);
        for (size_t i = 0; i < counts[k]; i++)
            buf_puts(&in, "\xF0\x9F\x98\x80"); /* U+1F600 */
        buf_reset(&b);
        assert_int_equal(vntext_upper(&b, in.ptr, in.len), 0);
        assert_int_equal(b.len, in.len);
        assert_memory_equal(b.ptr, in.ptr, in.len);
        buf_reset(&b);
        assert_int_equal(vntext_nfc(&b, in.ptr, in.len), 0);
        assert_int_equal(b.len, in.len);
    }
    buf_free(&in);
    buf_free(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(nfc),
        cmocka_unit_test(upper),
        cmocka_unit_test(lower),
        cmocka_unit_test(slug),
        cmocka_unit_test(bad_utf8),
        cmocka_unit_test(long_text),
        cmocka_unit_test(four_byte_text),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
