/*
** HTML speed (issue 6: ≤ 2 ms): a 3-page report (a title, 12 paragraphs under headings, a
** 34-row GFM table and a 34-bar chart) to a complete page. Times htmlout_render on a DOM
** whose chart is expanded already (the backend's own share: the style sheet embedded with
** its font URLs rewritten, the walk), and Markdown → DOM → chart → page (one HTML document
** in all).
** usage: bench_html [OUT.html]   (writes the page too when a path is given, to look at)
** Prints "html: 3-page report X ms (DOM to page …; from Markdown Y ms …)": medians of wall
** and CPU time.
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "buf.h"
#include "diag.h"
#include "dom.h"
#include "fileio.h"
#include "htmlout.h"

#define RUNS 301
#define ROWS 34

static const char *const units[ROWS] = {
    "Hà Nội", "Huế", "Lai Châu", "Điện Biên", "Sơn La", "Lạng Sơn", "Quảng Ninh", "Thanh Hóa",
    "Nghệ An", "Hà Tĩnh", "Cao Bằng", "Tuyên Quang", "Lào Cai", "Thái Nguyên", "Phú Thọ",
    "Bắc Ninh", "Hưng Yên", "Hải Phòng", "Ninh Bình", "Quảng Trị", "Đà Nẵng", "Quảng Ngãi",
    "Gia Lai", "Khánh Hòa", "Lâm Đồng", "Đắk Lắk", "Thành phố Hồ Chí Minh", "Đồng Nai",
    "Tây Ninh", "Cần Thơ", "Vĩnh Long", "Đồng Tháp", "Cà Mau", "An Giang"
};
static double htx[ROWS];

static double clock_ms(clockid_t c)
{
    struct timespec ts;

    clock_gettime(c, &ts);
    return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static double now_ms(void)
{
    return clock_ms(CLOCK_MONOTONIC);
}

/* CPU time of this process: what the figure would be on an idle machine (the 2 cores are
 * shared with other builds). */
static double cpu_ms(void)
{
    return clock_ms(CLOCK_PROCESS_CPUTIME_ID);
}

static int cmp(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static int series(void *self, const chart_spec *spec, chart_series *out, arena *a, diag *d)
{
    const double **v = arena_alloc(a, sizeof *v);

    (void)self, (void)spec, (void)d;
    v[0] = htx;
    *out = (chart_series){ .n = ROWS, .label = units, .value = v };
    return 0;
}

/* The report's Markdown, as the template stage would fill it. */
static void report(buf *md)
{
    static const char para[] =
        "Năm 2024, kinh tế tập thể tiếp tục phát triển ổn định; toàn tỉnh có 507 hợp tác xã, "
        "3 liên hiệp hợp tác xã và 240 tổ hợp tác với 36.520 thành viên. Doanh thu bình quân "
        "một hợp tác xã đạt 5.500 triệu đồng, tăng 12,5% so với năm trước; lãi bình quân 310 "
        "triệu đồng. Số hợp tác xã hoạt động hiệu quả chiếm 72,5%, vượt 2,5 điểm phần trăm kế "
        "hoạch. Quỹ hỗ trợ phát triển hợp tác xã có vốn điều lệ 7.500 triệu đồng, dư nợ 3.600 "
        "triệu đồng cho 18 hợp tác xã vay.\n\n";

    buf_puts(md, "# Báo cáo tổng kết kinh tế tập thể năm 2024\n\n");
    for (int s = 0; s < 4; s++) {
        buf_printf(md, "## %d. Phần %d\n\n", s + 1, s + 1);
        for (int p = 0; p < 3; p++)
            buf_puts(md, para);
        if (s == 1) {
            buf_puts(md, "| STT | Tỉnh, thành phố | Số HTX | Thành viên | Doanh thu (tr.đ) "
                         "| Tăng, giảm |\n| ---: | :--- | ---: | ---: | ---: | ---: |\n");
            for (int i = 0; i < ROWS; i++)
                buf_printf(md, "| %d | %s | %d | %d.%03d | %d.%03d | +%d,%d%% |\n", i + 1,
                           units[i], (int)htx[i], 10 + i * 7 % 90, i * 37 % 1000,
                           3 + i % 5, i * 113 % 1000, i % 9, i % 10);
            buf_puts(md, "\n```chart\ntype: hbar\ndata: units\nx: ten_tinh\ny: so_htx\n"
                         "title: Số hợp tác xã năm 2024\nunit: HTX\nsort: -so_htx\n"
                         "highlight: Lạng Sơn\n```\n\n");
        }
    }
}

static const chartdom_source source = { NULL, series };

int main(int argc, char **argv)
{
    static double t_dom[RUNS], t_all[RUNS], c_dom[RUNS], c_all[RUNS];
    diag *d = diag_new(stderr, 0);
    buf md = BUF_INIT, page = BUF_INIT;
    char *css = NULL;
    size_t css_len = 0;
    xmlDoc *doc;

    for (int i = 0; i < ROWS; i++)
        htx[i] = 60 + i * 53 % 700;
    report(&md);
    if (fileio_read("templates/base.css", &css, &css_len, d) != 0)
        return 1;
    htmlout_opts o = { .css = css, .css_len = css_len, .css_path = "templates/base.css",
                       .out_root = "output", .page_path = "output/2024/bao-cao-20-2024.html",
                       .charts = &source };
    doc = dom_from_markdown("bench.md", md.ptr, md.len, d);
    if (!doc)
        return 1;
    for (int r = 0; r < RUNS; r++) {
        double t0 = now_ms(), c0 = cpu_ms();

        buf_reset(&page);
        if (htmlout_render(doc, &o, &page, d) != 0)
            return 1;
        t_dom[r] = now_ms() - t0;
        c_dom[r] = cpu_ms() - c0;
    }
    for (int r = 0; r < RUNS; r++) {
        double t0 = now_ms(), c0 = cpu_ms();
        xmlDoc *x = dom_from_markdown("bench.md", md.ptr, md.len, d);

        buf_reset(&page);
        if (!x || htmlout_render(x, &o, &page, d) != 0)
            return 1;
        dom_free(x);
        t_all[r] = now_ms() - t0;
        c_all[r] = cpu_ms() - c0;
    }
    if (argc > 1 && fileio_write_atomic(argv[1], page.ptr, page.len, d) != 0)
        return 1;
    qsort(t_dom, RUNS, sizeof *t_dom, cmp);
    qsort(t_all, RUNS, sizeof *t_all, cmp);
    qsort(c_dom, RUNS, sizeof *c_dom, cmp);
    qsort(c_all, RUNS, sizeof *c_all, cmp);
    printf("html: 3-page report %.3f ms (DOM to page, %zu KB with a 34-bar chart, CPU %.3f ms; "
           "from Markdown %.3f ms, CPU %.3f ms)\n",
           t_dom[RUNS / 2], page.len / 1024, c_dom[RUNS / 2], t_all[RUNS / 2], c_all[RUNS / 2]);
    dom_free(doc);
    free(css);
    buf_free(&md);
    buf_free(&page);
    diag_free(d);
    return 0;
}
