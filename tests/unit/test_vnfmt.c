/*
** Unit tests for vnfmt: numbers, rounding, percents, deltas, money, dates, words, numbering.
*/
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "vnfmt.h"

#define M VNFMT_MINUS_SIGN

struct numcase {
    double v;
    int dec;
    unsigned flags;
    const char *want;
};

static const struct numcase num_cases[] = {
    { 337082, 0, 0, "337.082" },
    { 36.52, 2, 0, "36,52" },
    { 5500, 0, 0, "5.500" },
    { -1234.5, 1, 0, "-1.234,5" },
    { -1234.5, 1, VNFMT_MINUS, M "1.234,5" },
    { 0, 0, 0, "0" },
    { 0, 2, 0, "0,00" },
    { -0.0, 0, VNFMT_MINUS, "0" },
    { -0.001, 2, VNFMT_MINUS, "0,00" },
    { -0.004, 2, VNFMT_PLUS, "0,00" },
    { 999, 0, 0, "999" },
    { 1000, 0, 0, "1.000" },
    { 999999, 0, 0, "999.999" },
    { 1000000, 0, 0, "1.000.000" },
    { 1234567.891, 2, 0, "1.234.567,89" },
    { 2023, 0, VNFMT_NOGROUP, "2023" },
    { 1234567.5, 1, VNFMT_NOGROUP, "1234567,5" },
    /* rounding on the decimal value, half away from zero */
    { 2.675, 2, 0, "2,68" },
    { -2.675, 2, 0, "-2,68" },
    { 1.005, 2, 0, "1,01" },
    { 0.125, 2, 0, "0,13" },
    { 0.5, 0, 0, "1" },
    { 1.5, 0, 0, "2" },
    { 2.5, 0, 0, "3" },
    { -0.5, 0, 0, "-1" },
    { -2.5, 0, VNFMT_MINUS, M "3" },
    { 0.45, 1, 0, "0,5" },
    { 1.45, 1, 0, "1,5" },
    { 8.345, 2, 0, "8,35" },
    { 1.0000000000000002, 2, 0, "1,00" },
    { 0.1 + 0.2, 1, 0, "0,3" },
    { 0.1 + 0.2, 15, VNFMT_TRIM, "0,3" },
    { 9.995, 2, 0, "10,00" },
    { 99.95, 1, 0, "100,0" },
    { 999999.5, 0, 0, "1.000.000" },
    { 0.0049, 2, 0, "0,00" },
    { 0.005, 2, 0, "0,01" },
    { 0.0005, 2, 0, "0,00" },
    { 0.000001, 6, 0, "0,000001" },
    { 1e-300, 2, 0, "0,00" },
    { 123.456, 0, 0, "123" },
    { 123.456, 1, 0, "123,5" },
    { 36.5, 2, 0, "36,50" },
    { 36.5, 2, VNFMT_TRIM, "36,5" },
    { 36, 2, VNFMT_TRIM, "36" },
    { 36.04, 1, VNFMT_TRIM, "36" },
    { 12.3, -3, 0, "12" },
    { 1.0 / 3, 40, 0, "0,333333333333333" },
    /* huge and integral */
    { 9007199254740992.0, 0, 0, "9.007.199.254.740.992" },
    { 9007199254740993.0, 0, 0, "9.007.199.254.740.992" },
    { 1e20, 0, 0, "100.000.000.000.000.000.000" },
    { 1e20, 2, 0, "100.000.000.000.000.000.000,00" },
    { 1.5e21, 0, VNFMT_NOGROUP, "1500000000000000000000" },
    { -123456789012.0, 0, VNFMT_MINUS, M "123.456.789.012" },
    { 4294967296.0, 0, 0, "4.294.967.296" },
    /* signs */
    { 39, 0, VNFMT_PLUS, "+39" },
    { 0, 0, VNFMT_PLUS, "0" },
    /* padding */
    { 2, 0, VNFMT_PAD2, "02" },
    { 0, 0, VNFMT_PAD2, "00" },
    { 12, 0, VNFMT_PAD2, "12" },
    { 1234, 0, VNFMT_PAD2, "1.234" },
    { -3, 0, VNFMT_PAD2, "-03" },
    /* missing */
    { NAN, 0, 0, "\xe2\x80\x93" },
    { NAN, 2, VNFMT_BLANK, "" },
    { INFINITY, 0, 0, "\xe2\x80\x93" },
    { -INFINITY, 1, 0, "\xe2\x80\x93" },
};

static void numbers(void **state)
{
    buf b = BUF_INIT;
    char msg[128];

    (void)state;
    for (size_t i = 0; i < sizeof num_cases / sizeof num_cases[0]; i++) {
        const struct numcase *c = &num_cases[i];
        buf_reset(&b);
        vnfmt_num(&b, c->v, c->dec, c->flags);
        if (strcmp(buf_cstr(&b), c->want) != 0) {
            snprintf(msg, sizeof msg, "case %zu: %.17g dec %d", i, c->v, c->dec);
            print_error("%s: got '%s' want '%s'\n", msg, buf_cstr(&b), c->want);
            fail();
        }
    }
    /* appends, never overwrites */
    buf_reset(&b);
    buf_puts(&b, "có ");
    vnfmt_num(&b, 337082, 0, 0);
    buf_puts(&b, " thành viên");
    assert_string_equal(buf_cstr(&b), "có 337.082 thành viên");
    buf_free(&b);
}

/* Values as a data file writes them, K / 10^M with K < 10^13, many of them exact halves at the
 * rounding place: the expected digits come from integer arithmetic on K. */
static void rounding_property(void **state)
{
    static const uint64_t p10[8] = { 1, 10, 100, 1000, 10000, 100000, 1000000, 10000000 };
    uint64_t seed = 42;
    buf b = BUF_INIT, want = BUF_INIT;

    (void)state;
    for (int n = 0; n < 200000; n++) {
        uint64_t k, q, r, unit, ip;
        int m, d, neg;
        char frac[16];

        seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
        k = (seed >> 20) % 10000000000000ULL;
        if (n & 1)
            k = k / 10 * 10 + 5; /* a half at the last place */
        m = 1 + (int)((seed >> 8) % 6);
        d = (int)((seed >> 4) % (unsigned)(m + 1));
        neg = (seed >> 3) & 1;
        unit = p10[m - d];
        q = k / unit;
        r = k % unit;
        if (d < m && r * 2 >= unit)
            q++;
        ip = q / p10[d];
        snprintf(frac, sizeof frac, "%0*llu", d, (unsigned long long)(q % p10[d]));
        buf_reset(&want);
        if (neg && q != 0)
            buf_putc(&want, '-');
        {
            char t[32];
            int len = snprintf(t, sizeof t, "%llu", (unsigned long long)ip);
            for (int i = 0; i < len; i++) {
                if (i > 0 && (len - i) % 3 == 0)
                    buf_putc(&want, '.');
                buf_putc(&want, t[i]);
            }
        }
        if (d > 0)
            buf_printf(&want, ",%s", frac);
        buf_reset(&b);
        vnfmt_num(&b, (neg ? -1.0 : 1.0) * ((double)k / (double)p10[m]), d, 0);
        if (strcmp(buf_cstr(&b), buf_cstr(&want)) != 0) {
            print_error("%llu/10^%d to %d: got '%s' want '%s'\n", (unsigned long long)k, m, d,
                        buf_cstr(&b), buf_cstr(&want));
            fail();
        }
    }
    buf_free(&b);
    buf_free(&want);
}

static void largest_double(void **state)
{
    buf b = BUF_INIT;

    (void)state;
    vnfmt_num(&b, 1.7976931348623157e308, 15, VNFMT_MINUS);
    assert_int_equal(b.len, 309 + 102 + 1 + 15);
    assert_memory_equal(b.ptr, "179.769.313.486.231.570.000", 27);
    buf_reset(&b);
    vnfmt_num(&b, -1.7976931348623157e308, 0, VNFMT_MINUS);
    assert_memory_equal(b.ptr, M "179.769", 3 + 7);
    buf_reset(&b);
    vnfmt_num(&b, 5e-324, 15, 0);
    assert_string_equal(buf_cstr(&b), "0,000000000000000");
    buf_free(&b);
}

static void check(void (*f)(buf *, double, int, unsigned), double v, int dec, unsigned flags,
                  const char *want)
{
    buf b = BUF_INIT;
    f(&b, v, dec, flags);
    if (strcmp(buf_cstr(&b), want) != 0) {
        print_error("%.17g: got '%s' want '%s'\n", v, buf_cstr(&b), want);
        fail();
    }
    buf_free(&b);
}

static void percents_deltas_money(void **state)
{
    (void)state;
    check(vnfmt_pct, 12.5, 1, 0, "12,5%");
    check(vnfmt_pct, 34.3, 1, 0, "34,3%");
    check(vnfmt_pct, 100, 0, 0, "100%");
    check(vnfmt_pct, 75, 1, VNFMT_TRIM, "75%");
    check(vnfmt_pct, 0.05, 1, 0, "0,1%");
    check(vnfmt_pct, -4.25, 1, VNFMT_MINUS, M "4,3%");
    check(vnfmt_pct, 1234.5, 1, 0, "1.234,5%");
    check(vnfmt_pct, NAN, 1, 0, "\xe2\x80\x93");
    check(vnfmt_delta, 39, 0, 0, "+39");
    check(vnfmt_delta, -12, 0, 0, M "12");
    check(vnfmt_delta, 0, 0, 0, "0");
    check(vnfmt_delta, -0.0, 0, 0, "0");
    check(vnfmt_delta, 0.04, 1, 0, "0,0");
    check(vnfmt_delta, 2.5, 1, 0, "+2,5");
    check(vnfmt_delta, -1234, 0, 0, M "1.234");
    check(vnfmt_delta, NAN, 0, 0, "\xe2\x80\x93");
    check(vnfmt_ty_dong, 36520, 2, 0, "36,52 tỷ đồng");
    check(vnfmt_ty_dong, 7500, 1, 0, "7,5 tỷ đồng");
    check(vnfmt_ty_dong, 7500, 2, VNFMT_TRIM, "7,5 tỷ đồng");
    check(vnfmt_ty_dong, 2675, 2, 0, "2,68 tỷ đồng");
    check(vnfmt_ty_dong, 1234567, 1, 0, "1.234,6 tỷ đồng");
    check(vnfmt_ty_dong, NAN, 1, 0, "\xe2\x80\x93");
    check(vnfmt_trieu_dong, 5500, 0, 0, "5.500 triệu đồng");
    check(vnfmt_trieu_dong, 12.75, 1, 0, "12,8 triệu đồng");
}

struct wordcase {
    double v;
    int dec;
    const char *want;
};

static const char *const zero_to_30[31] = {
    "không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín",
    "mười", "mười một", "mười hai", "mười ba", "mười bốn", "mười lăm", "mười sáu",
    "mười bảy", "mười tám", "mười chín", "hai mươi", "hai mươi mốt", "hai mươi hai",
    "hai mươi ba", "hai mươi tư", "hai mươi lăm", "hai mươi sáu", "hai mươi bảy",
    "hai mươi tám", "hai mươi chín", "ba mươi",
};

static const struct wordcase word_cases[] = {
    { 39, 0, "ba mươi chín" },
    { 44, 0, "bốn mươi tư" },
    { 55, 0, "năm mươi lăm" },
    { 71, 0, "bảy mươi mốt" },
    { 90, 0, "chín mươi" },
    { 99, 0, "chín mươi chín" },
    { 100, 0, "một trăm" },
    { 101, 0, "một trăm linh một" },
    { 104, 0, "một trăm linh bốn" },
    { 105, 0, "một trăm linh năm" },
    { 110, 0, "một trăm mười" },
    { 111, 0, "một trăm mười một" },
    { 115, 0, "một trăm mười lăm" },
    { 121, 0, "một trăm hai mươi mốt" },
    { 200, 0, "hai trăm" },
    { 999, 0, "chín trăm chín mươi chín" },
    { 1000, 0, "một nghìn" },
    { 1001, 0, "một nghìn không trăm linh một" },
    { 1005, 0, "một nghìn không trăm linh năm" },
    { 1010, 0, "một nghìn không trăm mười" },
    { 1015, 0, "một nghìn không trăm mười lăm" },
    { 1024, 0, "một nghìn không trăm hai mươi tư" },
    { 1100, 0, "một nghìn một trăm" },
    { 2023, 0, "hai nghìn không trăm hai mươi ba" },
    { 10000, 0, "mười nghìn" },
    { 21000, 0, "hai mươi mốt nghìn" },
    { 100000, 0, "một trăm nghìn" },
    { 337082, 0, "ba trăm ba mươi bảy nghìn không trăm tám mươi hai" },
    { 1000000, 0, "một triệu" },
    { 1000005, 0, "một triệu không trăm linh năm" },
    { 1005000, 0, "một triệu không trăm linh năm nghìn" },
    { 2500000, 0, "hai triệu năm trăm nghìn" },
    { 1000000000, 0, "một tỷ" },
    { 1234567890, 0,
      "một tỷ hai trăm ba mươi tư triệu năm trăm sáu mươi bảy nghìn tám trăm chín mươi" },
    { 5000000001.0, 0, "năm tỷ không trăm linh một" },
    { 1e12, 0, "một nghìn tỷ" },
    { 1e15, 0, "một triệu tỷ" },
    { -3, 0, "âm ba" },
    { -21, 0, "âm hai mươi mốt" },
    { 36.52, 2, "ba mươi sáu phẩy năm mươi hai" },
    { 7.5, 1, "bảy phẩy năm" },
    { 1.05, 2, "một phẩy không năm" },
    { 0.25, 2, "không phẩy hai mươi lăm" },
    { 12.5, 3, "mười hai phẩy năm trăm" },
    { -0.5, 1, "âm không phẩy năm" },
    { -0.04, 1, "không phẩy không" },
    { 2.675, 2, "hai phẩy sáu mươi tám" },
    { 1e18, 0, "1.000.000.000.000.000.000" },
    { NAN, 0, "\xe2\x80\x93" },
};

static void words(void **state)
{
    buf b = BUF_INIT;

    (void)state;
    for (int i = 0; i <= 30; i++) {
        buf_reset(&b);
        vnfmt_words(&b, i, 0, 0);
        assert_string_equal(buf_cstr(&b), zero_to_30[i]);
    }
    for (size_t i = 0; i < sizeof word_cases / sizeof word_cases[0]; i++) {
        buf_reset(&b);
        vnfmt_words(&b, word_cases[i].v, word_cases[i].dec, 0);
        if (strcmp(buf_cstr(&b), word_cases[i].want) != 0) {
            print_error("%.17g: got '%s' want '%s'\n", word_cases[i].v, buf_cstr(&b),
                        word_cases[i].want);
            fail();
        }
    }
    check(vnfmt_words, 12.5, 3, VNFMT_TRIM, "mười hai phẩy năm");
    check(vnfmt_words, 39, 0, VNFMT_CAP, "Ba mươi chín");
    check(vnfmt_words, -39, 0, VNFMT_CAP, "Âm ba mươi chín");
    check(vnfmt_words, 0, 0, VNFMT_CAP, "Không");
    buf_free(&b);
}

static void dates(void **state)
{
    static const char *const want_long[12] = {
        "ngày 06 tháng 01 năm 2023", "ngày 06 tháng 02 năm 2023", "ngày 06 tháng 3 năm 2023",
        "ngày 06 tháng 4 năm 2023", "ngày 06 tháng 5 năm 2023", "ngày 06 tháng 6 năm 2023",
        "ngày 06 tháng 7 năm 2023", "ngày 06 tháng 8 năm 2023", "ngày 06 tháng 9 năm 2023",
        "ngày 06 tháng 10 năm 2023", "ngày 06 tháng 11 năm 2023", "ngày 06 tháng 12 năm 2023",
    };
    buf b = BUF_INIT;
    long d;

    (void)state;
    for (int m = 1; m <= 12; m++) {
        buf_reset(&b);
        vnfmt_date_long(&b, vnfmt_days_from_ymd(2023, m, 6));
        assert_string_equal(buf_cstr(&b), want_long[m - 1]);
    }
    buf_reset(&b);
    vnfmt_date_long(&b, vnfmt_days_from_ymd(2019, 6, 29));
    assert_string_equal(buf_cstr(&b), "ngày 29 tháng 6 năm 2019");
    buf_reset(&b);
    vnfmt_date_long(&b, vnfmt_days_from_ymd(2020, 1, 5));
    assert_string_equal(buf_cstr(&b), "ngày 05 tháng 01 năm 2020");
    buf_reset(&b);
    vnfmt_date_long(&b, vnfmt_days_from_ymd(2020, 2, 29));
    assert_string_equal(buf_cstr(&b), "ngày 29 tháng 02 năm 2020");
    buf_reset(&b);
    vnfmt_date_long(&b, vnfmt_days_from_ymd(2024, 12, 10));
    assert_string_equal(buf_cstr(&b), "ngày 10 tháng 12 năm 2024");

    d = vnfmt_days_from_ymd(2023, 1, 6);
    assert_int_equal(d, 19363);
    buf_reset(&b);
    vnfmt_date_short(&b, d);
    assert_string_equal(buf_cstr(&b), "06/01/2023");
    buf_reset(&b);
    vnfmt_date_iso(&b, d);
    assert_string_equal(buf_cstr(&b), "2023-01-06");
    buf_reset(&b);
    vnfmt_weekday_name(&b, d, 0);
    buf_puts(&b, ", ");
    vnfmt_date_short(&b, d);
    assert_string_equal(buf_cstr(&b), "Thứ Sáu, 06/01/2023");

    assert_int_equal(vnfmt_days_from_ymd(1970, 1, 1), 0);
    assert_int_equal(vnfmt_days_from_ymd(1969, 12, 31), -1);
    assert_int_equal(vnfmt_days_from_ymd(2000, 3, 1), 11017);
    buf_reset(&b);
    vnfmt_date_iso(&b, -1);
    assert_string_equal(buf_cstr(&b), "1969-12-31");
    buf_reset(&b);
    vnfmt_date_short(&b, vnfmt_days_from_ymd(1, 1, 1));
    assert_string_equal(buf_cstr(&b), "01/01/0001");
    /* round trip over 1600..2400 */
    for (long x = vnfmt_days_from_ymd(1600, 1, 1); x < vnfmt_days_from_ymd(2400, 1, 1); x++) {
        int y, m, dd;
        vnfmt_ymd_from_days(x, &y, &m, &dd);
        assert_true(vnfmt_is_valid_ymd(y, m, dd));
        assert_int_equal(vnfmt_days_from_ymd(y, m, dd), x);
    }
    buf_free(&b);
}

static void weekdays(void **state)
{
    static const struct { int y, m, d; const char *name, *lower; } cases[] = {
        { 2023, 1, 6, "Thứ Sáu", "thứ Sáu" },
        { 1970, 1, 1, "Thứ Năm", "thứ Năm" },
        { 1969, 12, 31, "Thứ Tư", "thứ Tư" },
        { 2000, 1, 1, "Thứ Bảy", "thứ Bảy" },
        { 1975, 4, 30, "Thứ Tư", "thứ Tư" },
        { 1945, 9, 2, "Chủ nhật", "chủ nhật" },
        { 2020, 3, 5, "Thứ Năm", "thứ Năm" },
        { 2024, 2, 29, "Thứ Năm", "thứ Năm" },
        { 2025, 7, 1, "Thứ Ba", "thứ Ba" },
        { 2026, 11, 23, "Thứ Hai", "thứ Hai" },
        { 2026, 11, 22, "Chủ nhật", "chủ nhật" },
    };
    buf b = BUF_INIT;

    (void)state;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        long d = vnfmt_days_from_ymd(cases[i].y, cases[i].m, cases[i].d);
        buf_reset(&b);
        vnfmt_weekday_name(&b, d, 0);
        assert_string_equal(buf_cstr(&b), cases[i].name);
        buf_reset(&b);
        vnfmt_weekday_name(&b, d, VNFMT_LOWER);
        assert_string_equal(buf_cstr(&b), cases[i].lower);
    }
    assert_int_equal(vnfmt_weekday(0), 4);
    assert_int_equal(vnfmt_weekday(-4), 0);
    assert_int_equal(vnfmt_weekday(-5), 6);
    buf_free(&b);
}

static void parse_dates(void **state)
{
    static const struct { const char *s; int ok, y, m, d; } cases[] = {
        { "2023-01-06", 1, 2023, 1, 6 },
        { "06/01/2023", 1, 2023, 1, 6 },
        { "6/1/2023", 1, 2023, 1, 6 },
        { "29/02/2024", 1, 2024, 2, 29 },
        { "2000-02-29", 1, 2000, 2, 29 },
        { "31/12/1999", 1, 1999, 12, 31 },
        { "29/02/2023", 0, 0, 0, 0 },
        { "1900-02-29", 0, 0, 0, 0 },
        { "2023-13-01", 0, 0, 0, 0 },
        { "2023-00-10", 0, 0, 0, 0 },
        { "32/01/2023", 0, 0, 0, 0 },
        { "00/01/2023", 0, 0, 0, 0 },
        { "2023-1-6", 0, 0, 0, 0 },
        { "06/01/23", 0, 0, 0, 0 },
        { "06-01-2023", 0, 0, 0, 0 },
        { "06/01/2023 ", 0, 0, 0, 0 },
        { "", 0, 0, 0, 0 },
        { "/", 0, 0, 0, 0 },
        { "2023-01-0x", 0, 0, 0, 0 },
        { "123/01/2023", 0, 0, 0, 0 },
    };

    (void)state;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        long d = 12345;
        int rc = vnfmt_parse_date(cases[i].s, strlen(cases[i].s), &d);
        if (cases[i].ok) {
            assert_int_equal(rc, 0);
            assert_int_equal(d, vnfmt_days_from_ymd(cases[i].y, cases[i].m, cases[i].d));
        } else {
            if (rc != -1)
                print_error("'%s' parsed\n", cases[i].s);
            assert_int_equal(rc, -1);
            assert_int_equal(d, 12345);
        }
    }
    /* LEN bounds the input: "2023-01-06" followed by junk */
    {
        long d;
        assert_int_equal(vnfmt_parse_date("2023-01-06xyz", 10, &d), 0);
        assert_int_equal(d, 19363);
    }
}

static void today(void **state)
{
    (void)state;
    setenv("SOURCE_DATE_EPOCH", "1672963200", 1); /* 2023-01-06T00:00:00Z */
    assert_int_equal(vnfmt_today_days(), 19363);
    setenv("SOURCE_DATE_EPOCH", "1672937999", 1); /* 2023-01-05T16:59:59Z = 23:59:59 +07 */
    assert_int_equal(vnfmt_today_days(), 19362);
    setenv("SOURCE_DATE_EPOCH", "1672938000", 1); /* 17:00Z = midnight in Hà Nội */
    assert_int_equal(vnfmt_today_days(), 19363);
    setenv("SOURCE_DATE_EPOCH", "0", 1);
    assert_int_equal(vnfmt_today_days(), 0);
    setenv("SOURCE_DATE_EPOCH", "-86400", 1);
    assert_int_equal(vnfmt_today_days(), -1);
    setenv("SOURCE_DATE_EPOCH", "junk", 1);
    assert_true(vnfmt_today_days() > 20000); /* falls back to the clock */
    unsetenv("SOURCE_DATE_EPOCH");
    assert_true(vnfmt_today_days() > 20000);
}

static void numbering(void **state)
{
    static const struct { int n; const char *roman; } romans[] = {
        { 1, "I" }, { 2, "II" }, { 3, "III" }, { 4, "IV" }, { 5, "V" }, { 6, "VI" },
        { 9, "IX" }, { 10, "X" }, { 14, "XIV" }, { 19, "XIX" }, { 40, "XL" }, { 49, "XLIX" },
        { 90, "XC" }, { 400, "CD" }, { 1994, "MCMXCIV" }, { 2023, "MMXXIII" },
        { 3999, "MMMCMXCIX" }, { 0, "0" }, { 4000, "4000" }, { -1, "-1" },
    };
    static const char *const letters =
        "a b c d đ e g h i k l m n o p q r s t u v x y aa ab ";
    buf b = BUF_INIT;

    (void)state;
    for (size_t i = 0; i < sizeof romans / sizeof romans[0]; i++) {
        buf_reset(&b);
        vnfmt_roman(&b, romans[i].n);
        assert_string_equal(buf_cstr(&b), romans[i].roman);
    }
    buf_reset(&b);
    for (int n = 1; n <= 25; n++) {
        vnfmt_alpha(&b, n);
        buf_putc(&b, ' ');
    }
    assert_string_equal(buf_cstr(&b), letters);
    buf_reset(&b);
    vnfmt_alpha(&b, 23 + 23 * 23);
    assert_string_equal(buf_cstr(&b), "yy");
    buf_reset(&b);
    vnfmt_alpha(&b, 23 + 23 * 23 + 1);
    assert_string_equal(buf_cstr(&b), "aaa");
    buf_reset(&b);
    vnfmt_alpha(&b, 2147483647);
    assert_true(b.len > 0);
    buf_free(&b);
}

/* The formatter must not allocate per call: once the buffer is big enough, a million values
 * leave its storage where it was. */
static void no_growth(void **state)
{
    buf b = BUF_INIT;
    char *p;

    (void)state;
    buf_grow(&b, 4096);
    p = b.ptr;
    for (int i = 0; i < 100000; i++) {
        buf_reset(&b);
        vnfmt_num(&b, i * 1.37, 2, VNFMT_MINUS);
        vnfmt_words(&b, i, 0, 0);
        vnfmt_date_long(&b, i);
    }
    assert_ptr_equal(b.ptr, p);
    buf_free(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(numbers),
        cmocka_unit_test(rounding_property),
        cmocka_unit_test(largest_double),
        cmocka_unit_test(percents_deltas_money),
        cmocka_unit_test(words),
        cmocka_unit_test(dates),
        cmocka_unit_test(weekdays),
        cmocka_unit_test(parse_dates),
        cmocka_unit_test(today),
        cmocka_unit_test(numbering),
        cmocka_unit_test(no_growth),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
