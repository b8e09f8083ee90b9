/*
** Fuzzes the chart path end to end: description text → spec → SVG → svgdraw page items.
** The first three bytes choose the options (category count, font size, width callback); the
** rest is the description. Invalid UTF-8 is skipped (the decode stage guarantees UTF-8 NFC
** before a template is read). Every SVG chart.c writes must parse and draw without error.
*/
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "buf.h"
#include "chart.h"
#include "diag.h"
#include "pages.h"
#include "svgdraw.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const labels[] = { "Hà Nội", "Thành phố Hồ Chí Minh", "", "a<b&c>\"d'",
                                      "Bà Rịa – Vũng Tàu", "2023", "x", "Thừa Thiên Huế",
                                      "Một tên rất rất rất dài không có chỗ ngắt dònggggggggggg" };

static float wide_measure(void *self, const char *s, size_t n, float size, int bold)
{
    (void)self;
    (void)s;
    (void)bold;
    return (float)n * size * 0.9f;
}

/* Well-formed UTF-8 without overlongs, surrogates or code points past U+10FFFF. */
static int valid_utf8(const uint8_t *s, size_t n)
{
    for (size_t i = 0; i < n;) {
        unsigned c = s[i];
        size_t k = c < 0x80 ? 0 : (c & 0xE0) == 0xC0 ? 1 : (c & 0xF0) == 0xE0 ? 2
                 : (c & 0xF8) == 0xF0 ? 3 : 9;

        if (k == 9 || i + k >= n + (k == 0) || c == 0xC0 || c == 0xC1 || c > 0xF4)
            return 0;
        for (size_t j = 1; j <= k; j++)
            if ((s[i + j] & 0xC0) != 0x80)
                return 0;
        if ((c == 0xE0 && s[i + 1] < 0xA0) || (c == 0xED && s[i + 1] >= 0xA0) ||
            (c == 0xF0 && s[i + 1] < 0x90) || (c == 0xF4 && s[i + 1] >= 0x90))
            return 0;
        i += k + 1;
    }
    return 1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    arena *a;
    diag *d;
    chart_spec s;
    chart_opts o = { 0 };
    buf b = BUF_INIT;
    size_t n;
    double *v[CHART_MAX_SERIES];
    const char *lab[100];

    if (size < 3 || !valid_utf8(data + 3, size - 3))
        return 0;
    n = data[0] % 100;
    o.font_size = 6 + data[1] % 16;
    if (data[2] & 1)
        o.measure = wide_measure;
    a = arena_new();
    d = diag_new(NULL, 0);
    chart_parse((const char *)data + 3, size - 3, "fuzz.md", 1, 1, a, &s, d);
    for (size_t i = 0; i < n; i++)
        lab[i] = labels[(i * 7 + data[2]) % (sizeof labels / sizeof *labels)];
    for (size_t k = 0; k < CHART_MAX_SERIES; k++) {
        v[k] = arena_alloc(a, (n + 1) * sizeof **v);
        for (size_t i = 0; i < n; i++) {
            unsigned h = (unsigned)(i * 2654435761u ^ k * 40503u ^ data[2] * 97u);
            v[k][i] = h % 11 == 0 ? NAN : h % 13 == 0 ? 0 : h % 17 == 0 ? 1e14
                    : h % 19 == 0 ? -(double)(h % 1000) : (double)(h % 100000) / ((h >> 20) % 100 + 1);
        }
    }
    if (s.ny > 0) {
        chart_series cs = { n, lab, (const double *const *)v, NULL };

        if (chart_svg(&s, &cs, &o, &b, d) == 0) {
            pages *p = pages_new(NULL);
            page *pg = pages_add(p, 595, 842);
            diag *d2 = diag_new(NULL, 0);

            if (svgdraw_render(p, pg, b.ptr, b.len, 40, 40, 500, 700, NULL, d2) != 0 ||
                diag_errors(d2) || diag_warnings(d2))
                abort(); /* chart.c wrote something svgdraw cannot draw */
            diag_free(d2);
            pages_free(p);
        }
    }
    /* svgdraw on the raw text as SVG too */
    {
        pages *p = pages_new(NULL);
        page *pg = pages_add(p, 595, 842);

        svgdraw_render(p, pg, (const char *)data + 3, size - 3, 0, 0, 100, 100, NULL, d);
        pages_free(p);
    }
    buf_free(&b);
    diag_free(d);
    arena_free(a);
    return 0;
}
