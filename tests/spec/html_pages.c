/*
** Renders the sample documents in tests/e2e/html/ (a Markdown report with a GFM table, a
** chart block and hostile text; an HTML template with a caption, row headers, a chart
** figure and its own <style>) into pages under an output root, with charts drawn from a
** hand-made series, and checks what every page must hold. tests/e2e/html.sh calls it with
** a folder, then runs the Nu HTML Checker and headless Chromium on the pages; without an
** argument it renders into a temporary folder and removes it.
*/
#define _XOPEN_SOURCE 700
#include <ftw.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "diag.h"
#include "dom.h"
#include "font.h"
#include "style.h"
#include "fileio.h"
#include "htmlout.h"

static int passed, failed;
/* Chart text measured in the report's fonts (base.css @font-face), as the build does. */
static chart_font measure_font;
static chartdom_opts chart_o = { .measure = chart_font_measure, .self = &measure_font,
                                 .font_family = "\"Liberation Serif\", \"Noto Serif\", serif" };
static int sample_series(void *self, const chart_spec *spec, chart_series *out, arena *a,
                         diag *d);
static const chartdom_source source = { NULL, sample_series };

static void expect(int ok, const char *what, const char *pg)
{
    if (ok) {
        passed++;
        return;
    }
    failed++;
    printf("FAIL: %s: %s\n", pg, what);
}

/* The hand-made data: district counts for ten_huyen, province counts for ten_tinh. */
static int sample_series(void *self, const chart_spec *spec, chart_series *out, arena *a,
                         diag *d)
{
    static const char *const huyen[] = { "Thành phố Ninh Bình", "Thành phố Tam Điệp",
                                         "Huyện Nho Quan", "Huyện Gia Viễn", "Huyện Hoa Lư",
                                         "Huyện Yên Khánh", "Huyện Kim Sơn", "Huyện Yên Mô" };
    static const double huyen_htx[] = { 42, 31, 78, 64, 55, 69, 71, 58 };
    static const char *const tinh[] = { "Lạng Sơn", "Ninh Bình", "Thái Nguyên",
                                        "Bà Rịa - Vũng Tàu", "Thừa Thiên Huế" };
    static const double tinh_htx[] = { 507, 493, 612, NAN, 398 };
    const double **v = arena_alloc(a, sizeof *v);

    (void)self;
    if (strcmp(spec->x, "ten_huyen") == 0) {
        v[0] = huyen_htx;
        *out = (chart_series){ .n = 8, .label = huyen, .value = v };
    } else if (strcmp(spec->x, "ten_tinh") == 0) {
        v[0] = tinh_htx;
        *out = (chart_series){ .n = 5, .label = tinh, .value = v };
    } else {
        diag_error(d, spec->file, spec->line, spec->col, "no sample column %s", spec->x);
        return -1;
    }
    return 0;
}

static int has(const char *pg, const char *s)
{
    return strstr(pg, s) != NULL;
}

static void render_one(const char *in, const char *out, const char *root, int markdown)
{
    diag *d = diag_new(stderr, 0);
    char *src = NULL, *pg = NULL;
    size_t len = 0;
    xmlDoc *doc = NULL;
    htmlout_opts o = { .css_path = "templates/base.css", .out_root = root,
                       .charts = &source, .chart = &chart_o };
    struct stat st;
    buf font = BUF_INIT;

    if (fileio_read(in, &src, &len, d) != 0) {
        expect(0, "read the sample", in);
        goto out;
    }
    doc = markdown ? dom_from_markdown(in, src, len, d) : dom_from_html(in, src, len, d);
    expect(doc != NULL, "parses", in);
    expect(doc && htmlout_write(doc, &o, out, d) == 0, "htmlout_write succeeds", in);
    expect(fileio_read(out, &pg, &len, d) == 0, "page written", out);
    if (!pg)
        goto out;
    expect(strncmp(pg, "<!DOCTYPE html>\n<html lang=\"vi\">", 32) == 0, "doctype, lang", out);
    expect(has(pg, "<meta charset=\"utf-8\">"), "charset", out);
    expect(has(pg, "&lt;script&gt;alert(1)&lt;/script&gt;"), "hostile text escaped", out);
    expect(!has(pg, "<script"), "no script element", out);
    expect(has(pg, "url(\"../fonts/LiberationSerif-Regular.ttf\")"), "relative font URL", out);
    expect(has(pg, "<div class=\"table-wrap\""), "table wrapped", out);
    expect(has(pg, "<figure class=\"chart\"") && has(pg, "<svg "), "chart inlined",
           out);
    expect(has(pg, "scope=\"col\""), "header scope", out);
    expect(has(pg, "class=\"num"), "numbers marked", out);
    buf_printf(&font, "%s/fonts/LiberationSerif-Regular.ttf", root);
    expect(stat(font.ptr, &st) == 0 && st.st_size > 100000, "font copied", font.ptr);
out:
    buf_free(&font);
    free(src);
    free(pg);
    dom_free(doc);
    diag_free(d);
}

/* A page two folders down whose only font is a family no system has: Chromium can show it
 * only through the copied file and the relative URL (tests/e2e/html.sh checks the PDF). */
static void render_font_probe(const char *out, const char *root)
{
    static const char css[] =
        "@font-face { font-family: \"Kiem Tra\"; src: url(\"../fonts/NotoSerif-Regular.ttf\"); }\n"
        "body { font-family: \"Kiem Tra\", monospace; font-size: 14pt }\n";
    static const char html[] = "<h1>Kiểm tra phông chữ</h1><p>Tiếng Việt: ắ ẳ ặ ề ổ ữ ỵ đ.</p>";
    diag *d = diag_new(stderr, 0);
    xmlDoc *doc = dom_from_html("probe.html", html, sizeof html - 1, d);
    htmlout_opts o = { .css = css, .css_len = sizeof css - 1, .css_path = "templates/probe.css",
                       .out_root = root };

    expect(doc && htmlout_write(doc, &o, out, d) == 0, "font probe written", out);
    dom_free(doc);
    diag_free(d);
}

static int remove_one(const char *p, const struct stat *s, int flag, struct FTW *f)
{
    (void)s, (void)flag, (void)f;
    return remove(p);
}

int main(int argc, char **argv)
{
    char tmp[] = "/tmp/html_pages-XXXXXX";
    const char *root = argc > 1 ? argv[1] : mkdtemp(tmp);
    buf a = BUF_INIT, b = BUF_INIT, c = BUF_INIT;

    diag *d = diag_new(stderr, 0);
    stylesheet *ss = style_read("templates/base.css", d);
    const style_font_face *ff;
    size_t nff = ss ? style_font_faces(ss, &ff) : 0;

    if (!root) {
        perror("mkdtemp");
        return 1;
    }
    measure_font.fonts = font_new();
    measure_font.families = chart_o.font_family;
    for (size_t i = 0; i < nff; i++)
        font_add(measure_font.fonts, ff[i].family, ff[i].weight, ff[i].italic, ff[i].path,
                 style_name(ss), ff[i].line, d);
    expect(nff > 0 && diag_errors(d) == 0, "fonts of base.css load", "templates/base.css");
    buf_printf(&a, "%s/2022/bao-cao-37-2022.html", root);
    buf_printf(&b, "%s/2024/so-sanh-tinh.html", root);
    render_one("tests/e2e/html/report.md", a.ptr, root, 1);
    render_one("tests/e2e/html/sheet.html", b.ptr, root, 0);
    buf_printf(&c, "%s/probe/a/font-probe.html", root);
    render_font_probe(c.ptr, root);
    if (argc <= 1)
        nftw(root, remove_one, 16, FTW_DEPTH | FTW_PHYS);
    buf_free(&a);
    buf_free(&b);
    buf_free(&c);
    font_free(measure_font.fonts);
    style_free(ss);
    diag_free(d);
    printf("%d passed, %d failed\n", passed, failed);
    return failed != 0;
}
