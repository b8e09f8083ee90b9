/*
** Vietnamese formatting of numbers, percents, money, dates and number words.
**
** Rounding works on decimal digits, not on the double: the value is first written in its
** shortest form that reads back as the same double (%.15e, %.16e or %.17e), so that 2.675,
** stored as 2.67499999…, is rounded as the 2.675 the data file said. Integers below 2^53 skip
** that step. The digits live on the stack (a double has at most 309 integer digits), so no
** call allocates anything but the caller's buffer.
*/
#include "vnfmt.h"

#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* A rounded decimal: integer digits r[0..ilen) then fraction digits r[ilen..ilen+flen). */
typedef struct rounded {
    char r[360];
    int ilen, flen;
    int neg, zero;
} rounded;

static int clamp_decimals(int decimals)
{
    if (decimals < 0)
        return 0;
    return decimals > VNFMT_MAX_DECIMALS ? VNFMT_MAX_DECIMALS : decimals;
}

/* Mantissa digits D[0..*N) with the point after *POINT digits, shortest round-trip form. */
static void shortest_digits(double a, char *d, int *n, int *point)
{
    char tmp[40];
    int prec, k = 0, exp;
    const char *p;

    for (prec = 15; prec <= 17; prec++) {
        snprintf(tmp, sizeof tmp, "%.*e", prec - 1, a);
        if (prec == 17 || strtod(tmp, NULL) == a)
            break;
    }
    for (p = tmp; *p && *p != 'e'; p++)
        if (*p >= '0' && *p <= '9')
            d[k++] = *p;
    exp = atoi(p + 1);
    while (k > 1 && d[k - 1] == '0')
        k--;
    *n = k;
    *point = exp + 1;
}

/* Sets OUT to the digits of U, read as a number with DECIMALS fraction digits. */
static void set_scaled(rounded *out, uint64_t u, int decimals)
{
    char t[24];
    int k = 0, i;

    out->zero = u == 0;
    if (out->zero)
        out->neg = 0;
    do {
        t[k++] = (char)('0' + u % 10);
        u /= 10;
    } while (u);
    while (k < decimals + 1)
        t[k++] = '0';
    for (i = 0; i < k; i++)
        out->r[i] = t[k - 1 - i];
    out->ilen = k - decimals;
    out->flen = decimals;
}

/* The fast path: A * 10^DECIMALS in a double is within a few ulps of the decimal value's, so
 * unless its fraction is that close to .5, rounding it gives the same integer. Returns 0 when
 * it cannot decide (then the digit path runs). */
static int round_scaled(double a, int decimals, rounded *out)
{
    static const double pow10[VNFMT_MAX_DECIMALS + 1] = {
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15
    };
    double s = a * pow10[decimals], fl, f;

    if (!(s < 4503599627370496.0)) /* 2^52: beyond it the fraction is not kept */
        return 0;
    fl = floor(s);
    f = s - fl;
    if (fabs(f - 0.5) <= s * 1e-15 + 1e-300)
        return 0;
    set_scaled(out, (uint64_t)fl + (f > 0.5), decimals);
    return 1;
}

static void round_value(double v, int decimals, rounded *out)
{
    char d[24];
    int n, point, ilen, L, i, j, carry = 0;
    double a = fabs(v);

    out->neg = signbit(v) != 0;
    if (round_scaled(a, decimals, out))
        return;
    if (a < 9007199254740992.0 && a == floor(a)) {
        uint64_t u = (uint64_t)a;
        char t[24];
        int k = 0;
        do {
            t[k++] = (char)('0' + u % 10);
            u /= 10;
        } while (u);
        for (i = 0; i < k; i++)
            d[i] = t[k - 1 - i];
        n = k;
        point = k;
    } else {
        shortest_digits(a, d, &n, &point);
    }
    ilen = point > 0 ? point : 0;
    L = ilen + decimals;
    for (i = 0; i < L; i++) {
        j = i + point - ilen;
        out->r[i] = (j >= 0 && j < n) ? d[j] : '0';
    }
    j = point + decimals;
    if (j >= 0 && j < n && d[j] >= '5')
        carry = 1;
    for (i = L - 1; i >= 0 && carry; i--) {
        if (out->r[i] == '9') {
            out->r[i] = '0';
        } else {
            out->r[i]++;
            carry = 0;
        }
    }
    if (carry) {
        memmove(out->r + 1, out->r, (size_t)L);
        out->r[0] = '1';
        ilen++;
        L++;
    }
    if (ilen == 0) {
        memmove(out->r + 1, out->r, (size_t)L);
        out->r[0] = '0';
        ilen = 1;
        L++;
    }
    out->ilen = ilen;
    out->flen = decimals;
    out->zero = 1;
    for (i = 0; i < L; i++)
        if (out->r[i] != '0')
            out->zero = 0;
    if (out->zero)
        out->neg = 0;
}

static void trim_fraction(rounded *x)
{
    while (x->flen > 0 && x->r[x->ilen + x->flen - 1] == '0')
        x->flen--;
}

void vnfmt_missing(buf *b, unsigned flags)
{
    if (!(flags & VNFMT_BLANK))
        buf_put(b, VNFMT_MISSING, sizeof VNFMT_MISSING - 1);
}

static void put_sign(buf *b, const rounded *x, unsigned flags)
{
    if (x->neg) {
        if (flags & VNFMT_MINUS)
            buf_put(b, VNFMT_MINUS_SIGN, sizeof VNFMT_MINUS_SIGN - 1);
        else
            buf_putc(b, '-');
    } else if ((flags & VNFMT_PLUS) && !x->zero) {
        buf_putc(b, '+');
    }
}

static void put_rounded(buf *b, const rounded *x, unsigned flags)
{
    char out[480];
    int i, k = 0;

    if ((flags & VNFMT_PAD2) && x->ilen == 1)
        out[k++] = '0';
    for (i = 0; i < x->ilen; i++) {
        if (i > 0 && (x->ilen - i) % 3 == 0 && !(flags & VNFMT_NOGROUP))
            out[k++] = '.';
        out[k++] = x->r[i];
    }
    if (x->flen > 0) {
        out[k++] = ',';
        memcpy(out + k, x->r + x->ilen, (size_t)x->flen);
        k += x->flen;
    }
    put_sign(b, x, flags);
    buf_put(b, out, (size_t)k);
}

void vnfmt_num(buf *b, double v, int decimals, unsigned flags)
{
    rounded x;

    if (!isfinite(v)) {
        vnfmt_missing(b, flags);
        return;
    }
    round_value(v, clamp_decimals(decimals), &x);
    if (flags & VNFMT_TRIM)
        trim_fraction(&x);
    put_rounded(b, &x, flags);
}

void vnfmt_pct(buf *b, double v, int decimals, unsigned flags)
{
    vnfmt_num(b, v, decimals, flags);
    if (isfinite(v))
        buf_putc(b, '%');
}

void vnfmt_delta(buf *b, double v, int decimals, unsigned flags)
{
    vnfmt_num(b, v, decimals, flags | VNFMT_PLUS | VNFMT_MINUS);
}

void vnfmt_ty_dong(buf *b, double trieu, int decimals, unsigned flags)
{
    vnfmt_num(b, trieu / 1000.0, decimals, flags);
    if (isfinite(trieu))
        buf_puts(b, " tỷ đồng");
}

void vnfmt_trieu_dong(buf *b, double trieu, int decimals, unsigned flags)
{
    vnfmt_num(b, trieu, decimals, flags);
    if (isfinite(trieu))
        buf_puts(b, " triệu đồng");
}

/* ---- number words ---- */

static const char *const digit_word[10] = {
    "không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín"
};

static void put_word(buf *b, size_t start, const char *w)
{
    if (b->len > start)
        buf_putc(b, ' ');
    buf_puts(b, w);
}

/* One group of three digits. FULL reads "không trăm" and "linh" as a group after a larger
 * one must ("một nghìn không trăm linh năm"). */
static void group_words(buf *b, size_t start, unsigned g, int full)
{
    unsigned h = g / 100, t = g / 10 % 10, u = g % 10;

    if (full || h > 0) {
        put_word(b, start, digit_word[h]);
        put_word(b, start, "trăm");
    }
    if (t == 0) {
        if (u != 0) {
            if (full || h > 0)
                put_word(b, start, "linh");
            put_word(b, start, digit_word[u]);
        }
    } else if (t == 1) {
        put_word(b, start, "mười");
        if (u == 5)
            put_word(b, start, "lăm");
        else if (u != 0)
            put_word(b, start, digit_word[u]);
    } else {
        put_word(b, start, digit_word[t]);
        put_word(b, start, "mươi");
        if (u == 1)
            put_word(b, start, "mốt");
        else if (u == 4)
            put_word(b, start, "tư");
        else if (u == 5)
            put_word(b, start, "lăm");
        else if (u != 0)
            put_word(b, start, digit_word[u]);
    }
}

/* N < 10^18, in groups of nghìn, triệu, tỷ, nghìn tỷ, triệu tỷ; zero groups are skipped. */
static void int_words(buf *b, size_t start, uint64_t n)
{
    static const char *const scale[6] = { "", "nghìn", "triệu", "tỷ", "nghìn tỷ", "triệu tỷ" };
    unsigned g[6];
    int k, top = 0, first = 1;

    if (n == 0) {
        put_word(b, start, "không");
        return;
    }
    for (k = 0; k < 6; k++) {
        g[k] = (unsigned)(n % 1000);
        n /= 1000;
        if (g[k])
            top = k;
    }
    for (k = top; k >= 0; k--) {
        if (g[k] == 0)
            continue;
        group_words(b, start, g[k], !first);
        if (k > 0)
            put_word(b, start, scale[k]);
        first = 0;
    }
}

static uint64_t digits_value(const char *d, int n)
{
    uint64_t v = 0;
    for (int i = 0; i < n; i++)
        v = v * 10 + (uint64_t)(d[i] - '0');
    return v;
}

static void capitalise(buf *b, size_t start)
{
    unsigned char *p = (unsigned char *)b->ptr + start;

    if (b->len <= start)
        return;
    if (p[0] >= 'a' && p[0] <= 'z')
        p[0] = (unsigned char)(p[0] - 'a' + 'A');
    else if (b->len > start + 1 && p[0] == 0xC3 && p[1] == 0xA2) /* â -> Â */
        p[1] = 0x82;
}

void vnfmt_words(buf *b, double v, int decimals, unsigned flags)
{
    rounded x;
    size_t start = b->len;
    int i;

    if (!isfinite(v) || fabs(v) >= 1e18) {
        vnfmt_num(b, v, decimals, flags);
        return;
    }
    round_value(v, clamp_decimals(decimals), &x);
    if (flags & VNFMT_TRIM)
        trim_fraction(&x);
    if (x.ilen > 18) { /* 999999999999999999.5 rounded up */
        put_rounded(b, &x, flags);
        return;
    }
    if (x.neg)
        put_word(b, start, "âm");
    int_words(b, start, digits_value(x.r, x.ilen));
    if (x.flen > 0) {
        const char *f = x.r + x.ilen;
        put_word(b, start, "phẩy");
        for (i = 0; i < x.flen - 1 && f[i] == '0'; i++)
            put_word(b, start, "không");
        int_words(b, start, digits_value(f + i, x.flen - i));
    }
    if (flags & VNFMT_CAP)
        capitalise(b, start);
}

/* ---- dates ---- */

/* Civil-from-days and days-from-civil after Howard Hinnant's algorithms (eras of 400 years). */
long vnfmt_days_from_ymd(int y, int m, int d)
{
    long yy = (long)y - (m <= 2);
    long era = (yy >= 0 ? yy : yy - 399) / 400;
    long yoe = yy - era * 400;
    long doy = (153L * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

void vnfmt_ymd_from_days(long days, int *y, int *m, int *d)
{
    long z = days + 719468;
    long era = (z >= 0 ? z : z - 146096) / 146097;
    long doe = z - era * 146097;
    long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    long mp = (5 * doy + 2) / 153;
    long dd = doy - (153 * mp + 2) / 5 + 1;
    long mm = mp < 10 ? mp + 3 : mp - 9;
    *y = (int)(yoe + era * 400 + (mm <= 2));
    *m = (int)mm;
    *d = (int)dd;
}

int vnfmt_is_valid_ymd(int y, int m, int d)
{
    static const int mdays[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
    int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;

    if (y < 1 || y > 9999 || m < 1 || m > 12 || d < 1)
        return 0;
    return d <= mdays[m - 1] + (m == 2 && leap);
}

int vnfmt_weekday(long days)
{
    long w = (days + 4) % 7; /* 1970-01-01 was a Thursday */
    return (int)(w < 0 ? w + 7 : w);
}

/* Appends N (0..9999) with at least WIDTH digits; wider years print in full. printf would
 * do, but costs several times more and dates print in every header. */
static void put_int(buf *b, int n, int width)
{
    char t[12];
    int k = 0;
    unsigned u = n < 0 ? 0u - (unsigned)n : (unsigned)n;

    do {
        t[k++] = (char)('0' + u % 10);
        u /= 10;
    } while (u);
    while (k < width)
        t[k++] = '0';
    if (n < 0)
        t[k++] = '-';
    while (k > 0)
        buf_putc(b, t[--k]);
}

void vnfmt_date_long(buf *b, long days)
{
    int y, m, d;

    vnfmt_ymd_from_days(days, &y, &m, &d);
    buf_puts(b, "ngày ");
    put_int(b, d, 2);
    buf_puts(b, " tháng ");
    put_int(b, m, m <= 2 ? 2 : 1);
    buf_puts(b, " năm ");
    put_int(b, y, 1);
}

void vnfmt_date_short(buf *b, long days)
{
    int y, m, d;

    vnfmt_ymd_from_days(days, &y, &m, &d);
    put_int(b, d, 2);
    buf_putc(b, '/');
    put_int(b, m, 2);
    buf_putc(b, '/');
    put_int(b, y, 4);
}

void vnfmt_date_iso(buf *b, long days)
{
    int y, m, d;

    vnfmt_ymd_from_days(days, &y, &m, &d);
    put_int(b, y, 4);
    buf_putc(b, '-');
    put_int(b, m, 2);
    buf_putc(b, '-');
    put_int(b, d, 2);
}

void vnfmt_weekday_name(buf *b, long days, unsigned flags)
{
    static const char *const day[7] = { "nhật", "Hai", "Ba", "Tư", "Năm", "Sáu", "Bảy" };
    int w = vnfmt_weekday(days);
    int lower = (flags & VNFMT_LOWER) != 0;

    if (w == 0)
        buf_puts(b, lower ? "chủ nhật" : "Chủ nhật");
    else {
        buf_puts(b, lower ? "thứ " : "Thứ ");
        buf_puts(b, day[w]);
    }
}

/* Reads 1..MAXN digits at S[*I]; returns the value or -1. */
static int read_num(const char *s, size_t len, size_t *i, int minn, int maxn)
{
    int v = 0, k = 0;

    while (*i < len && k < maxn && s[*i] >= '0' && s[*i] <= '9') {
        v = v * 10 + (s[*i] - '0');
        (*i)++;
        k++;
    }
    return k >= minn ? v : -1;
}

int vnfmt_parse_date(const char *s, size_t len, long *days)
{
    size_t i = 0;
    int y, m, d;

    if (len == 10 && s[4] == '-' && s[7] == '-') {
        y = read_num(s, len, &i, 4, 4);
        i++;
        m = read_num(s, len, &i, 2, 2);
        i++;
        d = read_num(s, len, &i, 2, 2);
    } else {
        d = read_num(s, len, &i, 1, 2);
        if (i >= len || s[i++] != '/')
            return -1;
        m = read_num(s, len, &i, 1, 2);
        if (i >= len || s[i++] != '/')
            return -1;
        y = read_num(s, len, &i, 4, 4);
    }
    if (i != len || y < 0 || m < 0 || d < 0 || !vnfmt_is_valid_ymd(y, m, d))
        return -1;
    *days = vnfmt_days_from_ymd(y, m, d);
    return 0;
}

static long floor_div(long long a, long long b)
{
    long long q = a / b;
    return (long)(q - ((a % b != 0) && ((a < 0) != (b < 0))));
}

long vnfmt_today_days(void)
{
    const char *e = getenv("SOURCE_DATE_EPOCH");
    long long secs = (long long)time(NULL);

    if (e && *e) {
        char *end;
        long long v;
        errno = 0;
        v = strtoll(e, &end, 10);
        if (errno == 0 && *end == '\0' && v >= -62135596800LL && v <= 253402300799LL)
            secs = v;
    }
    return floor_div(secs + 7 * 3600, 86400);
}

/* ---- list numbering ---- */

void vnfmt_roman(buf *b, int n)
{
    static const struct { int v; const char *s; } r[] = {
        { 1000, "M" }, { 900, "CM" }, { 500, "D" }, { 400, "CD" }, { 100, "C" }, { 90, "XC" },
        { 50, "L" }, { 40, "XL" }, { 10, "X" }, { 9, "IX" }, { 5, "V" }, { 4, "IV" }, { 1, "I" }
    };

    if (n < 1 || n > 3999) {
        buf_printf(b, "%d", n);
        return;
    }
    for (size_t i = 0; i < sizeof r / sizeof r[0]; i++)
        for (; n >= r[i].v; n -= r[i].v)
            buf_puts(b, r[i].s);
}

void vnfmt_alpha(buf *b, int n)
{
    static const char *const letter[23] = {
        "a", "b", "c", "d", "đ", "e", "g", "h", "i", "k", "l", "m",
        "n", "o", "p", "q", "r", "s", "t", "u", "v", "x", "y"
    };
    int idx[8], k = 0;

    if (n < 1) {
        buf_printf(b, "%d", n);
        return;
    }
    while (n > 0 && k < 8) { /* bijective base 23: y, aa, ab, … */
        n--;
        idx[k++] = n % 23;
        n /= 23;
    }
    while (k > 0)
        buf_puts(b, letter[idx[--k]]);
}
