/*
** Fuzz harness for vnfmt and vntext. The first 8 bytes are a double and the 9th a decimals
** count for the number functions; the whole input is a date string and a text for vntext.
** Checks: the printed number reads back within half a unit of the last place; parsed dates
** print and parse back to the same day; NFC is idempotent; slugs hold only [a-z0-9-].
*/
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "vnfmt.h"
#include "vntext.h"

static double read_back(const buf *b)
{
    char t[600];
    size_t k = 0;

    for (size_t i = 0; i < b->len && k + 1 < sizeof t; i++) {
        char c = b->ptr[i];
        if (c == ',')
            t[k++] = '.';
        else if (c != '.')
            t[k++] = c;
    }
    t[k] = '\0';
    return strtod(t, NULL);
}

static void check_number(double v, int dec)
{
    buf b = BUF_INIT;
    double back, tol;

    vnfmt_num(&b, v, dec, 0);
    if (!isfinite(v)) {
        if (strcmp(buf_cstr(&b), VNFMT_MISSING) != 0)
            abort();
        buf_free(&b);
        return;
    }
    back = read_back(&b);
    tol = 0.5 * pow(10, -dec) + fabs(v) * 1e-15;
    if (fabs(back - v) > tol * (1 + 1e-9))
        abort();
    buf_reset(&b);
    vnfmt_words(&b, v, dec, VNFMT_CAP);
    vnfmt_pct(&b, v, dec, VNFMT_TRIM | VNFMT_MINUS);
    vnfmt_delta(&b, v, dec, VNFMT_PAD2);
    vnfmt_ty_dong(&b, v, dec, 0);
    if (fabs(v) < 1e9) {
        long d = (long)v;
        vnfmt_date_long(&b, d);
        vnfmt_weekday_name(&b, d, 0);
        vnfmt_roman(&b, (int)d);
        vnfmt_alpha(&b, (int)d);
    }
    buf_free(&b);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *s = (const char *)data;
    buf b = BUF_INIT, c = BUF_INIT;
    long days, again;

    if (size >= 9) {
        double v;
        memcpy(&v, data, sizeof v);
        check_number(v, data[8] % (VNFMT_MAX_DECIMALS + 1));
    }
    if (vnfmt_parse_date(s, size, &days) == 0) {
        vnfmt_date_iso(&b, days);
        if (vnfmt_parse_date(b.ptr, b.len, &again) != 0 || again != days)
            abort();
        buf_reset(&b);
        vnfmt_date_short(&b, days);
        if (vnfmt_parse_date(b.ptr, b.len, &again) != 0 || again != days)
            abort();
        buf_reset(&b);
    }
    if (vntext_nfc(&b, s, size) == 0) {
        if (vntext_nfc(&c, b.ptr, b.len) != 0 || c.len != b.len || memcmp(c.ptr, b.ptr, b.len))
            abort();
        buf_reset(&b);
        if (vntext_upper(&b, s, size) != 0 || vntext_lower(&b, s, size) != 0)
            abort();
        buf_reset(&b);
        if (vntext_slug(&b, s, size) != 0)
            abort();
        for (size_t i = 0; i < b.len; i++)
            if (!((b.ptr[i] >= 'a' && b.ptr[i] <= 'z') || (b.ptr[i] >= '0' && b.ptr[i] <= '9') ||
                  (b.ptr[i] == '-' && i > 0 && i + 1 < b.len && b.ptr[i - 1] != '-')))
                abort();
    } else if (vntext_slug(&b, s, size) != -1) {
        abort();
    }
    buf_free(&b);
    buf_free(&c);
    return 0;
}
