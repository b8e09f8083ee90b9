/*
** Vietnamese formatting of numbers, percents, money, dates and number words.
**
** Every function appends to a `buf` and allocates nothing of its own (the buffer may grow),
** so the template stage can call them for every value it prints. Rules and examples are in
** docs/README-format.md; the sources are ../shared/data/domain.md §1.2 and §3.1.
*/
#ifndef BAOCAO_VNFMT_H
#define BAOCAO_VNFMT_H

#include <stddef.h>

#include "buf.h"

/* Printed for a missing value (NaN, ±infinity): U+2013 EN DASH. */
#define VNFMT_MISSING "\xe2\x80\x93"
/* U+2212 MINUS SIGN. */
#define VNFMT_MINUS_SIGN "\xe2\x88\x92"

/* Flags for the number functions; combine with |. */
enum {
    VNFMT_MINUS   = 1 << 0, /* negatives get U+2212 "−" instead of ASCII '-' */
    VNFMT_PLUS    = 1 << 1, /* positives get '+' (zero never gets a sign) */
    VNFMT_TRIM    = 1 << 2, /* drop trailing zeros of the fraction, and the ',' if none is left */
    VNFMT_NOGROUP = 1 << 3, /* no '.' between thousands (years, codes) */
    VNFMT_PAD2    = 1 << 4, /* integer part padded to 2 digits: 2 -> "02" (admin counts) */
    VNFMT_BLANK   = 1 << 5, /* a missing value prints nothing instead of VNFMT_MISSING */
    VNFMT_CAP     = 1 << 6, /* vnfmt_words: capitalise the first letter ("Ba mươi chín") */
    VNFMT_LOWER   = 1 << 7  /* vnfmt_weekday_name: running-text form ("thứ Sáu") */
};

/* Largest number of decimals honoured; more are clamped to it. */
#define VNFMT_MAX_DECIMALS 15

/* V rounded half away from zero to DECIMALS places of its shortest decimal form (so 2.675
 * gives "2,68" although the double is slightly below 2.675): "337.082", "36,52", "-1.234,5".
 * A value that rounds to zero prints without a sign. */
void vnfmt_num(buf *b, double v, int decimals, unsigned flags);
/* V is already a percentage: 12.5 -> "12,5%" (no space). */
void vnfmt_pct(buf *b, double v, int decimals, unsigned flags);
/* A signed change: "+39", "−12" (U+2212), "0"; FLAGS are or-ed with VNFMT_PLUS|VNFMT_MINUS. */
void vnfmt_delta(buf *b, double v, int decimals, unsigned flags);
/* Money held in triệu đồng: vnfmt_ty_dong(36520, 2) -> "36,52 tỷ đồng";
 * vnfmt_trieu_dong(5500, 0) -> "5.500 triệu đồng". A missing value prints the marker alone. */
void vnfmt_ty_dong(buf *b, double trieu, int decimals, unsigned flags);
void vnfmt_trieu_dong(buf *b, double trieu, int decimals, unsigned flags);
/* Appends the missing marker (nothing with VNFMT_BLANK). */
void vnfmt_missing(buf *b, unsigned flags);

/* Number words, CLDR-style with textbook group reading: 24 -> "hai mươi tư",
 * 1005 -> "một nghìn không trăm linh năm", -3 -> "âm ba", 36.52 with 2 decimals ->
 * "ba mươi sáu phẩy năm mươi hai" (the fraction digits are read as a number, leading zeros
 * as "không"). Rounds as vnfmt_num; VNFMT_TRIM drops trailing fraction zeros, VNFMT_CAP
 * capitalises. Magnitudes of 1e18 and above, and missing values, print as vnfmt_num would. */
void vnfmt_words(buf *b, double v, int decimals, unsigned flags);

/* Dates are counted in days since 1970-01-01 (proleptic Gregorian; negative before). */
long vnfmt_days_from_ymd(int y, int m, int d);
void vnfmt_ymd_from_days(long days, int *y, int *m, int *d);
/* 1 when Y-M-D names a real day (years 1..9999). */
int vnfmt_is_valid_ymd(int y, int m, int d);
/* 0 = Chủ nhật, 1 = Thứ Hai, …, 6 = Thứ Bảy. */
int vnfmt_weekday(long days);
/* Nghị định 30 long form: "ngày 06 tháng 01 năm 2023", "ngày 29 tháng 6 năm 2019" (day < 10
 * and months 1, 2 padded). */
void vnfmt_date_long(buf *b, long days);
/* "06/01/2023". */
void vnfmt_date_short(buf *b, long days);
/* "2023-01-06". */
void vnfmt_date_iso(buf *b, long days);
/* "Thứ Sáu", "Chủ nhật" (a dateline's form); with VNFMT_LOWER the running-text form of
 * ND30 PL2 ("thứ Sáu", "chủ nhật"). */
void vnfmt_weekday_name(buf *b, long days, unsigned flags);
/* Parses "yyyy-mm-dd" or "dd/mm/yyyy" (also "d/m/yyyy") of exactly LEN bytes into *DAYS.
 * Returns 0, or -1 (leaving *DAYS alone) when S is not one of those or not a real day. */
int vnfmt_parse_date(const char *s, size_t len, long *days);
/* The build date: SOURCE_DATE_EPOCH (seconds) when set to a valid number, else now; taken as
 * Vietnam time (UTC+7, no DST), the time zone the reports are dated in. */
long vnfmt_today_days(void);

/* Upper-case Roman numeral for 1..3999 ("IV", "XII"); other N print as decimal digits. */
void vnfmt_roman(buf *b, int n);
/* ND30 "điểm" letter for N >= 1 in Vietnamese alphabet order without the accented letters:
 * a b c d đ e g h i k l m n o p q r s t u v x y; after y it goes on "aa", "ab", … */
void vnfmt_alpha(buf *b, int n);

#endif
