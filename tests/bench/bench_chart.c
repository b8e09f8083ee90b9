/*
** Chart speed: a 63-bar chart (the provinces) to SVG, and that SVG to page items.
** usage: bench_chart [OUT.svg]   (writes the SVG too when a path is given, to look at)
** Prints "chart: 63-bar SVG X ms; SVG to page model Y ms" (the median of many runs).
*/
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "buf.h"
#include "chart.h"
#include "diag.h"
#include "font.h"
#include "pages.h"
#include "pdfout.h"
#include "svgdraw.h"

#define RUNS 301

static const char *const provinces[63] = {
    "An Giang", "Bà Rịa – Vũng Tàu", "Bắc Giang", "Bắc Kạn", "Bạc Liêu", "Bắc Ninh", "Bến Tre",
    "Bình Định", "Bình Dương", "Bình Phước", "Bình Thuận", "Cà Mau", "Cần Thơ", "Cao Bằng",
    "Đà Nẵng", "Đắk Lắk", "Đắk Nông", "Điện Biên", "Đồng Nai", "Đồng Tháp", "Gia Lai", "Hà Giang",
    "Hà Nam", "Hà Nội", "Hà Tĩnh", "Hải Dương", "Hải Phòng", "Hậu Giang", "Hòa Bình", "Hưng Yên",
    "Khánh Hòa", "Kiên Giang", "Kon Tum", "Lai Châu", "Lâm Đồng", "Lạng Sơn", "Lào Cai",
    "Long An", "Nam Định", "Nghệ An", "Ninh Bình", "Ninh Thuận", "Phú Thọ", "Phú Yên",
    "Quảng Bình", "Quảng Nam", "Quảng Ngãi", "Quảng Ninh", "Quảng Trị", "Sóc Trăng", "Sơn La",
    "Tây Ninh", "Thái Bình", "Thái Nguyên", "Thanh Hóa", "Thừa Thiên Huế", "Tiền Giang",
    "Thành phố Hồ Chí Minh", "Trà Vinh", "Tuyên Quang", "Vĩnh Long", "Vĩnh Phúc", "Yên Bái"
};

static double now_ms(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static int cmp(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

int main(int argc, char **argv)
{
    static double t_svg[RUNS], t_draw[RUNS];
    double v[63];
    const double *vv[] = { v };
    chart_series d = { 63, provinces, vv, NULL };
    chart_spec s = { .type = CHART_HBAR, .x = "ten_tinh", .y = { "so_htx" }, .ny = 1,
                     .title = "Số hợp tác xã theo tỉnh, thành phố năm 2023", .unit = "HTX",
                     .sort = "-so_htx", .highlight = "Thái Nguyên" };
    fontset *fs = font_new();
    diag *dg = diag_new(stderr, 0);
    chart_font cf = { fs, "Liberation Sans" };
    chart_opts o = { .measure = chart_font_measure, .self = &cf, .font_family = "Liberation Sans",
                     .font_size = 12 };
    svgdraw_opts so = { .families = "Liberation Sans" };
    static double t_pdf[21], t_empty[21];
    buf b = BUF_INIT;
    size_t items = 0;

    /* the report's font measures the text, as in a real run (run from the top directory) */
    if (font_add(fs, "Liberation Sans", 400, 0, "fonts/LiberationSans-Regular.ttf", NULL, 0, dg) < 0 ||
        font_add(fs, "Liberation Sans", 700, 0, "fonts/LiberationSans-Bold.ttf", NULL, 0, dg) < 0)
        return 1;

    for (int i = 0; i < 63; i++)
        v[i] = i == 11 ? NAN : 40 + (i * 37 % 63) * 31.5;
    for (int r = 0; r < RUNS; r++) {
        double t0 = now_ms();

        buf_reset(&b);
        if (chart_svg(&s, &d, &o, &b, dg) != 0)
            return 1;
        t_svg[r] = now_ms() - t0;
    }
    for (int r = 0; r < RUNS; r++) {
        pages *p = pages_new(fs);
        page *pg = pages_add(p, 595, 842);
        double t0 = now_ms();

        if (svgdraw_render(p, pg, b.ptr, b.len, 40, 40, 515, 760, &so, dg) != 0)
            return 1;
        t_draw[r] = now_ms() - t0;
        items = pg->count;
        pages_free(p);
    }
    /* The whole way into a PDF file, less a document that uses the same faces and glyphs
     * (all the chart's text in one run a face) but draws no chart: what drawing the chart
     * adds to pdfout_write, font subsetting and embedding being a per-document cost. */
    for (int r = 0; r < 21; r++) {
        for (int empty = 0; empty < 2; empty++) {
            pages *p = pages_new(fs);
            page *pg = pages_add(p, 595, 842);
            double t0;

            if (svgdraw_render(p, pg, b.ptr, b.len, 40, 40, 515, 760, &so, dg) != 0)
                return 1;
            if (empty) { /* keep the glyphs, drop the drawing */
                buf all[2] = { BUF_INIT, BUF_INIT };
                size_t n = pg->count;

                for (size_t i = 0; i < n; i++)
                    if (pg->item[i].kind == PG_TEXT && pg->item[i].u.text.face < 2)
                        buf_put(&all[pg->item[i].u.text.face], pg->item[i].u.text.text,
                                pg->item[i].u.text.len);
                pg->count = 0;
                for (int f = 0; f < 2; f++) {
                    pg_item *it = pages_push(p, pg, PG_TEXT);
                    it->u.text = (pg_text){ .x = 40, .y = 20, .size = 9, .face = f,
                                            .color = { 0, 0, 0, 255 },
                                            .text = arena_strdup(p->arena, buf_cstr(&all[f])),
                                            .len = all[f].len };
                    buf_free(&all[f]);
                }
            }
            t0 = now_ms();
            if (pdfout_write(p, NULL, "/dev/null", dg) != 0)
                return 1;
            (empty ? t_empty : t_pdf)[r] = now_ms() - t0;
            pages_free(p);
        }
    }
    qsort(t_pdf, 21, sizeof *t_pdf, cmp);
    qsort(t_empty, 21, sizeof *t_empty, cmp);
    qsort(t_svg, RUNS, sizeof *t_svg, cmp);
    qsort(t_draw, RUNS, sizeof *t_draw, cmp);
    if (argc > 1) {
        FILE *f = fopen(argv[1], "w");
        if (f) {
            fwrite(b.ptr, 1, b.len, f);
            fclose(f);
        }
    }
    printf("chart: 63-bar SVG %.3f ms; SVG to page model %.3f ms (%zu bytes, %zu items; "
           "median of %d)\n",
           t_svg[RUNS / 2], t_draw[RUNS / 2], b.len, items, RUNS);
    printf("chart: pdfout_write of a one-page PDF with the 63-bar chart %.3f ms; the same page with "
           "only the chart's text (same faces and glyphs) %.3f ms\n",
           t_pdf[10], t_empty[10]);
    buf_free(&b);
    diag_free(dg);
    font_free(fs);
    return 0;
}
