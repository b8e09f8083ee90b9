/*
** Chart into the PDF (issue 6, ≤ 2 ms): a 63-bar chart written as a ```chart block with
** inline rows, expanded into the DOM by chartdom_expand, then drawn the way layout draws it
** (svgdraw_render_node on the <svg> element) and written by pdfout_write. A document of
** 1 + EXTRA chart pages less one of 1 chart page, over EXTRA: both embed the same glyphs, so
** font subsetting and embedding, a per-document cost, cancel out.
** usage: bench_chartpdf   (run from the repository's top: fonts/)
** Prints "chart: 63-bar chart into the PDF X ms (...)", the median of RUNS runs.
*/
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "buf.h"
#include "chartdom.h"
#include "diag.h"
#include "dom.h"
#include "font.h"
#include "pages.h"
#include "pdfout.h"
#include "svgdraw.h"

#define RUNS 11
#define EXTRA 20 /* chart pages added: the difference is 20 charts' drawing, no fonts */

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

    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts); /* CPU time: the machine is shared */
    return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static int cmp(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static xmlNode *find(xmlNode *n, const char *name)
{
    for (; n; n = n->next) {
        xmlNode *r;
        if (n->type == XML_ELEMENT_NODE && strcmp((const char *)n->name, name) == 0)
            return n;
        if ((r = find(n->children, name)))
            return r;
    }
    return NULL;
}

/* A document of NPAGES pages, each with the chart drawn from the DOM as layout draws it,
 * written by pdfout_write; its time in ms (*DRAW: the svgdraw part). -1 on failure. */
static double one_run(fontset *fs, const xmlNode *svg, float pw, float ph, int npages,
                      const svgdraw_opts *so, diag *dg, double *draw, size_t *items)
{
    pages *p = pages_new(fs);
    double t0 = now_ms(), t1;

    for (int i = 0; i < npages; i++) {
        page *pg = pages_add(p, 595, 842);
        if (svgdraw_render_node(p, pg, svg, 40, 800 - ph, pw, ph, so, dg) != 0)
            return -1;
        *items = pg->count;
    }
    t1 = now_ms();
    *draw = (t1 - t0) / npages;
    if (pdfout_write(p, NULL, "/dev/null", dg) != 0)
        return -1;
    t1 = now_ms() - t0;
    pages_free(p);
    return t1;
}

int main(void)
{
    static double t_one[RUNS], t_many[RUNS], t_chart[RUNS], t_draw[RUNS];
    buf md = BUF_INIT;
    diag *dg = diag_new(stderr, 0);
    fontset *fs = font_new();
    const char *fam = "Liberation Serif";
    chart_font cf = { fs, fam };
    chartdom_opts co = { .measure = chart_font_measure, .self = &cf, .font_family = fam };
    svgdraw_opts so = { .families = fam };
    xmlDoc *doc;
    xmlNode *svg;
    float pw, ph;
    size_t items = 0;

    if (font_add(fs, fam, 400, 0, "fonts/LiberationSerif-Regular.ttf", NULL, 0, dg) < 0 ||
        font_add(fs, fam, 700, 0, "fonts/LiberationSerif-Bold.ttf", NULL, 0, dg) < 0)
        return 1;
    buf_puts(&md, "```chart\ntype: bar\ndata: rows\nx: ten_tinh\ny: so_htx\nunit: HTX\n"
                  "title: Số hợp tác xã theo tỉnh, thành phố năm 2023\nsort: -so_htx\n"
                  "highlight: Thái Nguyên\nrows:\n");
    for (int i = 0; i < 63; i++)
        if (i == 11) /* a missing value, as in bench_chart */
            buf_printf(&md, "%s: -\n", provinces[i]);
        else
            buf_printf(&md, "%s: %g\n", provinces[i], 40 + (i * 37 % 63) * 31.5);
    buf_puts(&md, "```\n");
    doc = dom_from_markdown("bench.md", md.ptr, md.len, dg);
    if (!doc || chartdom_expand(doc, NULL, &co, dg) != 1 || !(svg = find(dom_body(doc), "svg")) ||
        svgdraw_size_node(svg, &pw, &ph) != 0)
        return 1;
    pw *= 0.75f, ph *= 0.75f; /* px → pt, as layout draws it */
    for (int r = 0; r < RUNS; r++) {
        double d1, dk;
        t_one[r] = one_run(fs, svg, pw, ph, 1, &so, dg, &d1, &items);
        t_many[r] = one_run(fs, svg, pw, ph, 1 + EXTRA, &so, dg, &dk, &items);
        t_draw[r] = dk;
        if (t_one[r] < 0 || t_many[r] < 0)
            return 1;
        t_chart[r] = (t_many[r] - t_one[r]) / EXTRA;
    }
    qsort(t_chart, RUNS, sizeof *t_chart, cmp);
    qsort(t_one, RUNS, sizeof *t_one, cmp);
    qsort(t_draw, RUNS, sizeof *t_draw, cmp);
    printf("chart: 63-bar chart into the PDF %.3f ms (svgdraw from the DOM %.3f ms + pdfout's "
           "drawing; %d more chart pages in one document, same glyphs; a one-chart document "
           "with font embedding %.1f ms; %.0f x %.0f pt, %zu items; median of %d; limit 2 ms)\n",
           t_chart[RUNS / 2], t_draw[RUNS / 2], EXTRA, t_one[RUNS / 2], pw, ph, items, RUNS);
    buf_free(&md);
    dom_free(doc);
    font_free(fs);
    diag_free(dg);
    return 0;
}
