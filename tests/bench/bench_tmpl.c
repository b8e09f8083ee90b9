/*
** Benchmark: one ~3-page annual-report template (about 150 tags, a table over 63 units, a
** partial) parsed once and filled 10.000 times from a simple in-memory data provider.
** Prints "tmpl: 1 fill X ms; 10000 fills Y s; RSS before/after A/B MB (...)".
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "buf.h"
#include "diag.h"
#include "tmpl.h"
#include "xalloc.h"

#define FILLS 10000
#define UNITS 63

/***  In-memory data: a document row, plus the 63 unit rows of "units"  ***/

typedef struct field {
    const char *name, *value;
} field;

static const field doc[] = {
    { "tinh", "Thái Nguyên" }, { "nam", "2023" }, { "so_htx", "337" },
    { "so_htx.prev", "320" }, { "so_htx.delta", "+17" }, { "so_htx.growth", "5,3%" },
    { "so_htx.target", "ít nhất 330" }, { "so_htx.met", "1" }, { "so_htx.up", "1" },
    { "so_tv", "36.520" }, { "so_tv.growth", "4,1%" }, { "so_tv.up", "1" },
    { "doanh_thu", "1.234,5" }, { "doanh_thu.growth", "−2,3%" }, { "doanh_thu.down", "1" },
    { "ld", "5.500" }, { "ld.rank", "12" }, { "ld.of", "63" }, { "ld.share", "1,6%" },
    { "today", "ngày 06 tháng 01 năm 2024" }, { "nguoi_ky", "Nguyễn Văn A" },
    { "chuc_vu", "Chủ tịch" }, { "co_quan", "Liên minh HTX tỉnh <Thái Nguyên>" },
    { NULL, NULL },
};

/* Unit rows are formatted once, as the dataset computes its members once per dataset. */
typedef struct bench_data {
    int in_units, idx, depth;
    char names[UNITS][32], rank[UNITS][8], nums[UNITS][16];
} bench_data;

static size_t doc_len[64];

static int find_field(const char *name, size_t len)
{
    for (int i = 0; doc[i].name; i++)
        if (doc_len[i] == len && memcmp(doc[i].name, name, len) == 0)
            return i;
    return -1;
}

static int b_enter(void *self, const char *name, size_t len)
{
    bench_data *b = self;
    int i;

    if (len == 5 && memcmp(name, "units", 5) == 0) {
        b->in_units = 1;
        b->idx = 0;
        return 1;
    }
    i = find_field(name, len);
    if (i < 0 || strcmp(doc[i].value, "0") == 0 || !*doc[i].value)
        return 0;
    b->depth++;
    return 1;
}

static int b_next(void *self)
{
    bench_data *b = self;

    if (b->in_units && b->depth == 0 && b->idx + 1 < UNITS) {
        b->idx++;
        return 1;
    }
    return 0;
}

static void b_leave(void *self)
{
    bench_data *b = self;

    if (b->depth)
        b->depth--;
    else
        b->in_units = 0;
}

static int b_lookup(void *self, const char *name, size_t len, str *out)
{
    bench_data *b = self;
    int i;

    if (b->in_units) {
        if (len == 3 && memcmp(name, "ten", 3) == 0) {
            *out = (str){ b->names[b->idx], strlen(b->names[b->idx]) };
            return 0;
        }
        if (len == 4 && memcmp(name, "rank", 4) == 0) {
            *out = (str){ b->rank[b->idx], strlen(b->rank[b->idx]) };
            return 0;
        }
        if (len >= 3 && memcmp(name, "so_", 3) == 0) {
            *out = (str){ b->nums[b->idx], strlen(b->nums[b->idx]) };
            return 0;
        }
    }
    i = find_field(name, len);
    if (i < 0)
        return -1;
    *out = (str){ doc[i].value, strlen(doc[i].value) };
    return 0;
}

/***  The template  ***/

static const char *const partials[] = {
    "chu_ky",
    "\n| | |\n|---|---|\n| {{co_quan}} | {{chuc_vu}} |\n| {{today}} | **{{nguoi_ky}}** |\n",
    NULL,
};

static int map_load(void *self, const char *name, size_t len, tmpl_source *src, buf *why)
{
    const char *const *m = self;

    (void)why;
    for (; m[0]; m += 2)
        if (strlen(m[0]) == len && memcmp(m[0], name, len) == 0) {
            src->len = strlen(m[1]);
            src->text = xmemdup(m[1], src->len + 1);
            src->path = NULL;
            return 0;
        }
    return 1;
}

static void build_template(buf *t)
{
    buf_puts(t, "# Báo cáo tổng kết năm {{nam}} — {{tinh}}\n\n"
                "{{! three pages: text, sections, a table over every unit }}\n");
    for (int s = 1; s <= 7; s++) {
        buf_printf(t, "## %d. Kết quả phần %d\n\n", s, s);
        buf_puts(t, "Năm {{nam}}, toàn tỉnh {{tinh}} có {{so_htx}} hợp tác xã "
                    "({{#so_htx.up}}tăng{{/so_htx.up}}{{^so_htx.up}}giảm{{/so_htx.up}} "
                    "{{so_htx.delta}} so với {{so_htx.prev}}, {{so_htx.growth}}); "
                    "kế hoạch {{so_htx.target}}{{#so_htx.met}}, đã đạt{{/so_htx.met}}. "
                    "Thành viên: {{so_tv}} ({{so_tv.growth}}), doanh thu {{doanh_thu}} tỷ "
                    "đồng{{#doanh_thu.down}}, giảm {{doanh_thu.growth}}{{/doanh_thu.down}}.\n\n");
    }
    buf_puts(t, "## Bảng số liệu các đơn vị\n\n"
                "| # | Đơn vị | HTX | Thành viên | Lao động |\n|---|---|---|---|---|\n"
                "{{#units}}\n| {{rank}} | {{ten}} | {{so_htx}} | {{so_tv}} | {{so_ld}} |\n"
                "{{/units}}\n\n"
                "Lao động {{ld}} người, hạng {{ld.rank}}/{{ld.of}} ({{ld.share}}).\n"
                "{{>chu_ky}}\n");
}

static double now(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

static double rss_mb(void)
{
    FILE *f = fopen("/proc/self/status", "r");
    char line[256];
    double kb = 0;

    while (f && fgets(line, sizeof line, f))
        if (strncmp(line, "VmRSS:", 6) == 0)
            kb = atof(line + 6);
    if (f)
        fclose(f);
    return kb / 1024;
}

int main(void)
{
    buf src = BUF_INIT, out = BUF_INIT;
    bench_data bd = { 0 };
    tmpl_data data = { &bd, b_enter, b_next, b_leave, b_lookup };
    tmpl_loader ld = { (void *)partials, map_load, NULL };
    diag *d = diag_new(stderr, 0);
    size_t tags = 0;
    double t0, one, all, rss0, rss1;
    clock_t c0;
    tmpl *t;

    for (int i = 0; doc[i].name; i++)
        doc_len[i] = strlen(doc[i].name);
    for (int i = 0; i < UNITS; i++) {
        snprintf(bd.names[i], sizeof bd.names[i], "Huyện số %d", i + 1);
        snprintf(bd.rank[i], sizeof bd.rank[i], "%d", i + 1);
        snprintf(bd.nums[i], sizeof bd.nums[i], "%d.%03d", 1 + i % 7, 100 + i * 13 % 900);
    }
    build_template(&src);
    for (const char *p = src.ptr; (p = strstr(p, "{{")); p += 2)
        tags++;
    t = tmpl_parse("bench.md", src.ptr, src.len, &ld, d);
    if (!t)
        return 1;
    t0 = now();
    if (tmpl_render(t, &data, tmpl_escape_html, &out, d) != 0)
        return 1;
    one = now() - t0;
    rss0 = rss_mb();
    t0 = now();
    c0 = clock();
    for (int i = 0; i < FILLS; i++) {
        buf_reset(&out);
        if (tmpl_render(t, &data, tmpl_escape_html, &out, d) != 0)
            return 1;
    }
    all = now() - t0;
    rss1 = rss_mb();
    printf("tmpl: 1 fill %.3f ms; %d fills %.3f s; RSS before/after %.1f/%.1f MB "
           "(%zu tags, %zu bytes out, mean fill %.4f ms, CPU %.3f s)\n",
           one * 1e3, FILLS, all, rss0, rss1, tags, out.len, all * 1e3 / FILLS,
           (double)(clock() - c0) / CLOCKS_PER_SEC);
    tmpl_free(t);
    buf_free(&src);
    buf_free(&out);
    diag_free(d);
    return 0;
}
