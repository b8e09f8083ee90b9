/*
** Benchmark of the data side of templates (issue 3): building the dataset of the sample
** data (63 provinces × 7 years + targets), one fill of a ~3-page annual report, 10.000
** fills with RSS after 1.000 and after 10.000. Run from the project folder (input/).
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "buf.h"
#include "dataset.h"
#include "diag.h"
#include "escape.h"
#include "table.h"
#include "tmpl.h"

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static double cpu_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static long rss_kb(void)
{
    FILE *f = fopen("/proc/self/status", "r");
    char line[256];
    long kb = -1;
    while (f && fgets(line, sizeof line, f))
        if (strncmp(line, "VmRSS:", 6) == 0)
            kb = atol(line + 6);
    if (f)
        fclose(f);
    return kb;
}

/* An annual report: narrative paragraphs citing members, the plan table, a 63-row table of
 * every province, the unit's years: about three printed pages. */
static void make_template(buf *t)
{
    static const char *const cols[] = { "so_htx", "so_htx_moi", "so_htx_giai_the", "so_tht",
                                        "thanh_vien", "doanh_thu_bq", "htx_hieu_qua",
                                        "quy_von_dieu_le" };
    buf_puts(t, "# BÁO CÁO Tổng kết năm {{nam}} — {{ten_tinh.upper}}\n\n{{today.long}}\n\n");
    for (size_t i = 0; i < sizeof cols / sizeof *cols; i++)
        buf_printf(t, "- {{%1$s.label}}: {{%1$s}} {{%1$s.unit}} ({{%1$s.trend}} {{%1$s.delta_abs}}, "
                      "{{%1$s.growth}}; xếp thứ {{%1$s.rank}}/{{%1$s.of}}, chiếm {{%1$s.share}} "
                      "cả nước {{%1$s.total}}){{#%1$s.target}}, chỉ tiêu {{%1$s.target}}"
                      "{{#%1$s.met}} — đạt{{/%1$s.met}}{{/%1$s.target}}.\n",
                   cols[i]);
    buf_puts(t, "\n| STT | Chỉ tiêu | Kế hoạch | Thực hiện | Đánh giá |\n|---|---|---|---|---|\n"
                "{{#targets}}| {{index}} | {{label}} | {{target}} | {{actual}} | "
                "{{#met}}Đạt{{/met}}{{^met}}Chưa đạt{{/met}} |\n{{/targets}}\n");
    buf_puts(t, "\n| STT | Tỉnh | Vùng | HTX | Mới | Giải thể | THT | Thành viên | Tăng |\n"
                "|---|---|---|---|---|---|---|---|---|\n"
                "{{#units}}| {{index}} | {{ten_tinh}} | {{vung}} | {{so_htx}} | {{so_htx_moi}} | "
                "{{so_htx_giai_the}} | {{so_tht}} | {{thanh_vien}} | {{so_htx.growth}} |\n{{/units}}"
                "| | **Cộng** | | {{total.so_htx}} | {{total.so_htx_moi}} | {{total.so_htx_giai_the}} "
                "| {{total.so_tht}} | {{total.thanh_vien}} | {{total.so_htx.growth}} |\n\n");
    buf_puts(t, "{{#periods}}{{nam}}: {{so_htx}} HTX, {{so_htx_moi.words}} HTX mới"
                "{{^last}}; {{/last}}{{/periods}}.\n\n{{#next_targets}}- {{label}}\n{{/next_targets}}");
}

int main(void)
{
    diag *d = diag_new(stderr, 0);
    table_dict *dict = table_dict_read("input/columns.csv", d);
    table_opts to = { dict, TABLE_CONV_AUTO, 0 };
    double t0 = now_ms();
    table *stats = table_read("input/htx_tinh_63.csv", &to, d);
    table *tg = table_read("input/chi_tieu_63.csv", &to, d);
    double t1 = now_ms();
    dataset_opts o = { 0 };
    fm_sort sort = { "so_htx", 1 };
    buf src = BUF_INIT, out = BUF_INIT;
    tmpl *t;
    dataset *ds;
    dataset_ctx *cx;
    tmpl_data data;
    size_t row, nfills = 10000, bytes = 0;
    double best = 1e9, tb, t2;
    long rss1 = 0, rss0;

    if (!stats || !tg)
        return 1;
    o.sort = &sort, o.nsort = 1;
    o.narratives = "input/narratives";
    /* the build, best of 20 (the first run pays for page faults) */
    for (int i = 0; i < 20; i++) {
        double a = cpu_ms();
        ds = dataset_build(stats, tg, &o, d);
        double b = cpu_ms() - a;
        if (b < best)
            best = b;
        if (i < 19)
            dataset_free(ds);
    }
    tb = best;
    make_template(&src);
    t = tmpl_parse("bench.md", src.ptr, src.len, NULL, d);
    cx = dataset_ctx_new(ds, NULL);
    data = dataset_ctx_data(cx);
    row = dataset_find(ds, "37", "2022");
    /* one fill: the median of 201 */
    double times[201];
    for (int i = 0; i < 201; i++) {
        buf_reset(&out);
        double a = now_ms();
        dataset_ctx_reset(cx, row);
        tmpl_render(t, &data, escape_markdown, &out, d);
        times[i] = now_ms() - a;
    }
    for (int i = 0; i < 201; i++) /* insertion sort, small */
        for (int j = i; j > 0 && times[j] < times[j - 1]; j--) {
            double x = times[j];
            times[j] = times[j - 1], times[j - 1] = x;
        }
    rss0 = rss_kb();
    double c2 = cpu_ms();
    t2 = now_ms();
    for (size_t i = 0; i < nfills; i++) {
        buf_reset(&out);
        dataset_ctx_reset(cx, i % table_rows(stats));
        tmpl_render(t, &data, escape_markdown, &out, d);
        bytes += out.len;
        if (i + 1 == 1000)
            rss1 = rss_kb();
    }
    t2 = now_ms() - t2;
    c2 = cpu_ms() - c2;
    printf("dataset: read 63×7 + targets %.2f ms; build %.2f ms CPU, best of 20 (%zu rows incl. totals, budget 20 ms)\n",
           t1 - t0, tb, dataset_rows(ds));
    printf("dataset: one fill of a %zu-byte annual report (%zu bytes out) %.3f ms median (budget 0,2 ms)\n",
           src.len, out.len, times[100]);
    printf("dataset: %zu fills %.3f s wall, %.3f s CPU (budget 2 s), %.1f MB out\n", nfills,
           t2 / 1e3, c2 / 1e3, bytes / 1e6);
    printf("dataset: RSS %ld kB before, %ld kB after 1.000 fills, %ld kB after 10.000 (growth %ld kB)\n",
           rss0, rss1, rss_kb(), rss_kb() - rss1);
    if (getenv("BENCH_DUMP")) { /* the last document, to compare two builds */
        FILE *f = fopen(getenv("BENCH_DUMP"), "w");
        if (f) {
            fwrite(out.ptr, 1, out.len, f);
            fclose(f);
        }
    }
    buf_free(&src);
    buf_free(&out);
    tmpl_free(t);
    dataset_ctx_free(cx);
    dataset_free(ds);
    table_free(stats);
    table_free(tg);
    table_dict_free(dict);
    diag_free(d);
    return 0;
}
