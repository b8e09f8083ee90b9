/*
** Unit tests for htmlout.c: the page's structure, title fallbacks, escaping kept (text,
** attributes, dropped scripts and handlers), header scopes, number cells, the table wrap,
** font URLs and copies, relative paths, heading order, charts through the data hook.
*/
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "buf.h"
#include "diag.h"
#include "dom.h"
#include "fileio.h"
#include "htmlout.h"

/* Renders HTML or Markdown TEXT with O into a page the caller frees; *RC gets the result. */
static char *page_of(const char *text, int markdown, const htmlout_opts *o, diag *d, int *rc)
{
    xmlDoc *doc = markdown ? dom_from_markdown("t.md", text, strlen(text), d)
                           : dom_from_html("t.html", text, strlen(text), d);
    buf b = BUF_INIT;
    char *s;

    assert_non_null(doc);
    *rc = htmlout_render(doc, o, &b, d);
    dom_free(doc);
    s = buf_detach(&b, NULL);
    return s ? s : calloc(1, 1);
}

static size_t count(const char *hay, const char *needle)
{
    size_t n = 0;

    for (const char *p = hay; (p = strstr(p, needle)); p += strlen(needle))
        n++;
    return n;
}

static void page_structure(void **state)
{
    diag *d = diag_new(NULL, 1);
    htmlout_opts o = { .title = "Báo cáo <năm> 2022", .css = "p { color: black }", .css_len = 18 };
    int rc;
    char *p = page_of("# Tiêu đề\n\nMột đoạn.\n", 1, &o, d, &rc);

    (void)state;
    assert_int_equal(rc, 0);
    assert_true(strncmp(p, "<!DOCTYPE html>\n<html lang=\"vi\">\n<head>\n<meta charset=\"utf-8\">", 62) == 0);
    assert_non_null(strstr(p, "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"));
    assert_non_null(strstr(p, "<title>Báo cáo &lt;năm&gt; 2022</title>"));
    assert_non_null(strstr(p, "<style>\np { color: black }\n</style>"));
    assert_non_null(strstr(p, ".table-wrap { overflow-x: auto"));
    assert_non_null(strstr(p, "@media print"));
    assert_non_null(strstr(p, "</head>\n<body>"));
    assert_non_null(strstr(p, "<h1>Tiêu đề</h1>"));
    assert_non_null(strstr(p, "<p>Một đoạn.</p>"));
    assert_non_null(strstr(p, "</body>\n</html>\n"));
    assert_int_equal(count(p, "<head>"), 1);
    assert_int_equal(diag_warnings(d), 0);
    free(p);
    diag_free(d);
}

/* Named pages pass through to the browser, which prints them (Chromium does). */
static void named_pages_kept(void **state)
{
    static const char css[] = "@page wide { size: A4 landscape; margin: 1.5cm }\n"
                              ".phu-luc { page: wide }";
    diag *d = diag_new(NULL, 1);
    htmlout_opts o = { .css = css, .css_len = sizeof css - 1 };
    int rc;
    char *p = page_of("Một.\n\n<div class=\"phu-luc\">\n\nHai.\n\n</div>\n", 1, &o, d, &rc);

    (void)state;
    assert_int_equal(rc, 0);
    assert_non_null(strstr(p, "<style>\n@page wide { size: A4 landscape; margin: 1.5cm }\n"
                              ".phu-luc { page: wide }\n</style>"));
    assert_non_null(strstr(p, "<div class=\"phu-luc\">"));
    assert_int_equal(diag_warnings(d), 0);
    free(p);
    diag_free(d);
}

static void title_fallbacks(void **state)
{
    diag *d = diag_new(NULL, 1);
    int rc;
    char *p = page_of("## Mở đầu\n\n# Báo cáo *năm* `2022` & \"tỉnh\"\n\n# Khác\n", 1, NULL, d, &rc);

    (void)state;
    assert_non_null(strstr(p, "<title>Báo cáo năm 2022 &amp; &quot;tỉnh&quot;</title>"));
    free(p);
    p = page_of("<html><head><title>Của tài liệu</title></head><body><h1>H1</h1></body></html>",
                0, NULL, d, &rc);
    assert_non_null(strstr(p, "<title>Của tài liệu</title>"));
    assert_int_equal(count(p, "<title>"), 1);
    free(p);
    p = page_of("Không có tiêu đề.\n", 1, NULL, d, &rc);
    assert_non_null(strstr(p, "<title>Báo cáo</title>"));
    free(p);
    p = page_of("<html lang=\"en\"><body><p>x</p></body></html>", 0, NULL, d, &rc);
    assert_non_null(strstr(p, "<html lang=\"en\">"));
    free(p);
    diag_free(d);
}

static void escaping_kept(void **state)
{
    diag *d = diag_new(NULL, 1);
    int rc;
    const char *html =
        "<body><table><tr><td>&lt;script&gt;alert(1)&lt;/script&gt;</td></tr></table>"
        "<p title=\"a &quot;b&quot; &amp; 'c' &lt;d&gt;\" onclick=\"evil()\">x &amp;amp; y</p>"
        "<script>alert(2)</script><p>&lt;/style&gt;</p></body>";
    char *p = page_of(html, 0, NULL, d, &rc);

    (void)state;
    assert_int_equal(rc, 0);
    assert_non_null(strstr(p, "<td>&lt;script&gt;alert(1)&lt;/script&gt;</td>"));
    assert_non_null(strstr(p, "title=\"a &quot;b&quot; &amp; &#39;c&#39; &lt;d&gt;\""));
    assert_non_null(strstr(p, ">x &amp;amp; y</p>"));
    assert_null(strstr(p, "<script"));
    assert_null(strstr(p, "alert(2)"));
    assert_null(strstr(p, "onclick"));
    assert_non_null(strstr(p, "<p>&lt;/style&gt;</p>"));
    assert_int_equal(diag_warnings(d), 2); /* the script, the handler */
    free(p);

    /* script URLs go, other URLs stay as written */
    p = page_of("<body><a href=\" Java&#9;Script:alert(1)\">a</a><a href=\"vbscript:x\">b</a>"
                "<a href=\"https://x.vn/?a=1&amp;b=2\">c</a><img src=\"javascript:x\" alt=\"\">"
                "</body>", 0, NULL, d, &rc);
    assert_null(strstr(p, "script:"));
    assert_non_null(strstr(p, "<a>a</a><a>b</a><a href=\"https://x.vn/?a=1&amp;b=2\">c</a>"));
    free(p);

    /* Markdown: a value escaped by the template stage arrives as text */
    p = page_of("| a |\n|---|\n| \\<script\\>alert(1)\\</script\\> & \"q\" |\n", 1, NULL, d, &rc);
    assert_non_null(strstr(p, "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;q&quot;"));
    assert_null(strstr(p, "<script"));
    free(p);

    /* a sheet cannot close its <style> early */
    {
        htmlout_opts o = { .css = "p::after { content: \"</style><script>\" }", .css_len = 39 };

        p = page_of("x\n", 1, &o, d, &rc);
        assert_null(strstr(p, "</style><script>"));
        assert_non_null(strstr(p, "<\\/style><script>"));
        free(p);
    }
    diag_free(d);
}

static void header_scopes_and_numbers(void **state)
{
    diag *d = diag_new(NULL, 1);
    int rc;
    const char *html = "<body><table><caption>Bảng 1. Số <b>HTX</b></caption>"
                       "<thead><tr><th>Tỉnh</th><th>2023</th></tr></thead>"
                       "<tbody><tr><th>Lạng Sơn</th><td class=\"x\">1.234</td></tr>"
                       "<tr><th scope=\"col\">Tổng</th><td>12,5 %</td></tr>"
                       "<tr><td>a</td><th>b</th></tr></tbody></table>"
                       "<table><tr><td>không</td></tr></table></body>";
    char *p = page_of(html, 0, NULL, d, &rc);

    (void)state;
    assert_int_equal(rc, 0);
    assert_non_null(strstr(p, "<div class=\"table-wrap\" tabindex=\"0\" role=\"region\" "
                              "aria-label=\"Bảng 1. Số HTX\"><table>"));
    assert_non_null(strstr(p, "<th scope=\"col\">Tỉnh</th>"));
    assert_non_null(strstr(p, "<th class=\"num\" scope=\"col\">2023</th>"));
    assert_non_null(strstr(p, "<th scope=\"row\">Lạng Sơn</th>"));
    assert_non_null(strstr(p, "<td class=\"x num\">1.234</td>"));
    assert_non_null(strstr(p, "<th scope=\"col\">Tổng</th>"));
    assert_int_equal(count(p, "scope="), 4);
    assert_non_null(strstr(p, "<td class=\"num\">12,5 %</td>"));
    assert_non_null(strstr(p, "<th>b</th>")); /* not first, not a header row: no guess */
    assert_non_null(strstr(p, "aria-label=\"Bảng 2\"><table>"));
    assert_int_equal(count(p, "</table></div>"), 2);
    free(p);

    /* a header row without <thead> is put in one; a later all-th row is not */
    p = page_of("<body><table><tr><th>Tỉnh</th><th>Số</th></tr><tr><td>A</td><td>1</td></tr>"
                "<tr><th>x</th><th>y</th></tr></table>"
                "<table><thead><tr><th>h</th></tr></thead><tr><th>z</th></tr></table></body>",
                0, NULL, d, &rc);
    assert_int_equal(count(p, "<thead>"), 2);
    assert_non_null(strstr(p, "<table><thead><tr><th scope=\"col\">Tỉnh</th><th scope=\"col\">Số</th></tr></thead><tr>"));
    assert_non_null(strstr(p, "<tr><th scope=\"col\">x</th>"));
    free(p);

    /* GFM alignment: the obsolete align attribute becomes a class of the backend sheet */
    p = page_of("| Tỉnh | Số |\n| :-- | --: |\n| A | 337.082 |\n", 1, NULL, d, &rc);
    assert_null(strstr(p, "align=\""));
    assert_non_null(strstr(p, "<th class=\"align-left\" scope=\"col\">Tỉnh</th>"));
    assert_non_null(strstr(p, "<td class=\"num align-right\">337.082</td>"));
    free(p);
    diag_free(d);
}

static void numbers(void **state)
{
    static const char *const yes[] = { "0", "2022", "337.082", "1.234.567", "36,52", "-0,25",
                                       "+12,5%", "12,5 %", " 468 ", "\xe2\x88\x92" "3", "100%" };
    static const char *const no[] = { "", "-", "–", "1.2", "1,", "12.34", "1.2345", "a1",
                                      "1 2", "1.234.56", ",5", "%", "12,5%%", "Toàn tỉnh",
                                      ".123", "1..234" };

    (void)state;
    for (size_t i = 0; i < sizeof yes / sizeof *yes; i++)
        if (!htmlout_is_number(yes[i], strlen(yes[i])))
            fail_msg("not a number: \"%s\"", yes[i]);
    for (size_t i = 0; i < sizeof no / sizeof *no; i++)
        if (htmlout_is_number(no[i], strlen(no[i])))
            fail_msg("a number: \"%s\"", no[i]);
}

static void relpath(void **state)
{
    static const char *const cases[][3] = {
        { "output/2022", "output/fonts/A.ttf", "../fonts/A.ttf" },
        { "output", "output/fonts/A.ttf", "fonts/A.ttf" },
        { "output/a/b", "output/fonts/A.ttf", "../../fonts/A.ttf" },
        { "./output/./2022/", "output//fonts/A.ttf", "../fonts/A.ttf" },
        { "output/x/../2022", "output/fonts/A.ttf", "../fonts/A.ttf" },
        { "/srv/www/2022", "/srv/www/fonts/Noto Serif.ttf", "../fonts/Noto%20Serif.ttf" },
        { "/a/b", "/c/d.ttf", "../../c/d.ttf" },
        { ".", "fonts/Ấ.ttf", "fonts/%E1%BA%A4.ttf" },
    };
    buf b = BUF_INIT;

    (void)state;
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        buf_reset(&b);
        htmlout_relpath(cases[i][0], cases[i][1], &b);
        assert_string_equal(buf_cstr(&b), cases[i][2]);
    }
    buf_free(&b);
}

static void font_urls(void **state)
{
    static const char css[] =
        "@font-face { font-family: A; src: url(../fonts/A.ttf) format(\"truetype\"); }\n"
        "@font-face { font-family: B; src: url( 'sub/B b.otf' ); }\n"
        "/* url(../fonts/C.ttf) in a comment */\n"
        "body { background: url(bg.png); font-family: A }\n"
        "p::before { content: \"url(../fonts/D.ttf)\" }\n";
    diag *d = diag_new(NULL, 1);
    htmlout_opts o = { .css = css, .css_len = sizeof css - 1, .css_path = "tpl/base.css",
                       .out_root = "out", .page_path = "out/2022/r.html" };
    int rc;
    char *p = page_of("x\n", 1, &o, d, &rc);

    (void)state;
    assert_non_null(strstr(p, "src: url(\"../fonts/A.ttf\") format(\"truetype\");"));
    assert_non_null(strstr(p, "src: url(\"../fonts/B%20b.otf\");"));
    assert_non_null(strstr(p, "/* url(../fonts/C.ttf) in a comment */"));
    assert_non_null(strstr(p, "background: url(bg.png)"));
    assert_non_null(strstr(p, "content: \"url(../fonts/D.ttf)\""));
    free(p);

    /* no page path (stdout): fonts referenced where they are, from the current folder */
    o.page_path = NULL;
    p = page_of("x\n", 1, &o, d, &rc);
    assert_non_null(strstr(p, "src: url(\"fonts/A.ttf\")"));
    assert_non_null(strstr(p, "src: url(\"tpl/sub/B%20b.otf\")"));
    free(p);
    diag_free(d);
}

static void write_copies_fonts(void **state)
{
    char dir[] = "/tmp/test_htmlout-XXXXXX";
    buf css = BUF_INIT, font = BUF_INIT, page = BUF_INIT, copy = BUF_INIT, root = BUF_INIT;
    diag *d = diag_new(NULL, 1);
    xmlDoc *doc = dom_from_markdown("t.md", "# Tên\n", 6, d);
    struct stat st1, st2;
    char *text = NULL;
    size_t len;

    (void)state;
    assert_non_null(mkdtemp(dir));
    buf_printf(&font, "%s/fonts/F.ttf", dir);
    buf_printf(&css, "%s/tpl/base.css", dir);
    buf_printf(&root, "%s/out", dir);
    buf_printf(&page, "%s/out/2022/sub/r.html", dir);
    buf_printf(&copy, "%s/out/fonts/F.ttf", dir);
    {
        buf f = BUF_INIT;

        buf_printf(&f, "%s/fonts", dir);
        assert_int_equal(fileio_mkdirs(f.ptr, d), 0);
        buf_reset(&f);
        buf_printf(&f, "%s/tpl", dir);
        assert_int_equal(fileio_mkdirs(f.ptr, d), 0);
        buf_free(&f);
    }
    assert_int_equal(fileio_write_atomic(font.ptr, "TTFDATA", 7, d), 0);
    assert_int_equal(fileio_write_atomic(css.ptr, "@font-face{font-family:F;src:url(../fonts/F.ttf)}", 49, d), 0);
    {
        htmlout_opts o = { .css_path = css.ptr, .out_root = root.ptr };

        assert_int_equal(htmlout_write(doc, &o, page.ptr, d), 0);
        assert_int_equal(stat(copy.ptr, &st1), 0);
        assert_int_equal(st1.st_size, 7);
        assert_int_equal(fileio_read(page.ptr, &text, &len, d), 0);
        assert_non_null(strstr(text, "src:url(\"../../fonts/F.ttf\")"));
        assert_non_null(strstr(text, "<title>Tên</title>"));
        free(text);
        /* up to date: not copied again (same inode: no rename over it) */
        assert_int_equal(htmlout_write(doc, &o, page.ptr, d), 0);
        assert_int_equal(stat(copy.ptr, &st2), 0);
        assert_int_equal(st1.st_ino, st2.st_ino);
        /* changed source: copied again */
        assert_int_equal(fileio_write_atomic(font.ptr, "TTFDATA-2", 9, d), 0);
        assert_int_equal(htmlout_write(doc, &o, page.ptr, d), 0);
        assert_int_equal(stat(copy.ptr, &st2), 0);
        assert_int_equal(st2.st_size, 9);
    }
    assert_int_equal(diag_errors(d), 0);
    {
        char cmd[128];

        snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
        assert_int_equal(system(cmd), 0);
    }
    dom_free(doc);
    diag_free(d);
    buf_free(&css);
    buf_free(&font);
    buf_free(&page);
    buf_free(&copy);
    buf_free(&root);
}


/* @import: the imported sheets are inlined where their @import stands, in cascade order,
 * each url() resolved against its own file; media lists become @media blocks. */
static void imports_inlined(void **state)
{
    char dir[] = "/tmp/test_htmlout-XXXXXX";
    buf a = BUF_INIT, b = BUF_INIT, c = BUF_INIT, sub = BUF_INIT;
    diag *d = diag_new(NULL, 1);
    htmlout_opts o = { .out_root = "out", .page_path = "out/r.html" };
    int rc;
    char *p, *fa, *fb, *pa;

    (void)state;
    assert_non_null(mkdtemp(dir));
    buf_printf(&sub, "%s/tpl/sub", dir);
    assert_int_equal(fileio_mkdirs(sub.ptr, d), 0);
    buf_printf(&a, "%s/tpl/a.css", dir);
    buf_printf(&b, "%s/tpl/sub/b.css", dir);
    buf_printf(&c, "%s/tpl/c.css", dir);
    assert_int_equal(fileio_write_atomic(a.ptr, "/* a */\n@import url(\"sub/b.css\");\n"
                                                "@import 'c.css' screen and (min-width: 30em);\n"
                                                "p { color: blue }\n", 98, d), 0);
    assert_int_equal(fileio_write_atomic(b.ptr, "@charset \"utf-8\";\n@font-face { font-family: B; "
                                                "src: url(../../fonts/B.ttf) }\n", 77, d), 0);
    assert_int_equal(fileio_write_atomic(c.ptr, "p { color: red }", 16, d), 0);
    o.css_path = a.ptr;
    p = page_of("x\n", 1, &o, d, &rc);
    assert_int_equal(rc, 0);
    assert_string_equal(diag_text(d), "");
    assert_null(strstr(p, "@import"));
    assert_null(strstr(p, "@charset"));
    fa = strstr(p, "/* a */");
    fb = strstr(p, "@font-face { font-family: B; src: url(\"");
    pa = strstr(p, "p { color: blue }");
    assert_true(fa && fb && pa && fa < fb && fb < pa);
    assert_non_null(strstr(p, "fonts/B.ttf\") }"));
    assert_non_null(strstr(p, "@media screen and (min-width: 30em) {\np { color: red }\n}"));
    free(p);
    /* a missing import fails the page, as it fails the PDF */
    assert_int_equal(fileio_write_atomic(a.ptr, "@import 'nope.css';", 19, d), 0);
    p = page_of("x\n", 1, &o, d, &rc);
    assert_int_equal(rc, -1);
    assert_non_null(strstr(diag_text(d), "a.css:1:1: error: cannot read imported style sheet"));
    free(p);
    {
        char cmd[128];

        snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
        assert_int_equal(system(cmd), 0);
    }
    buf_free(&a);
    buf_free(&b);
    buf_free(&c);
    buf_free(&sub);
    diag_free(d);
}

static void headings_and_images(void **state)
{
    diag *d = diag_new(NULL, 1);
    int rc;
    char *p = page_of("# A\n\n### B\n\n## C\n\n#### D\n\n![](x.png)\n", 1, NULL, d, &rc);

    (void)state;
    assert_int_equal(rc, 0);
    assert_int_equal(diag_warnings(d), 2);
    assert_non_null(strstr(diag_text(d), "t.md:3:0: warning: heading level skipped: h3 after h1") ||
                    strstr(diag_text(d), "t.md:3: warning: heading level skipped: h3 after h1"));
    assert_non_null(strstr(diag_text(d), "h4 after h2"));
    assert_non_null(strstr(p, "alt=\"\""));
    free(p);
    diag_clear(d);
    p = page_of("<body><img src=\"a.png\"><br><hr></body>", 0, NULL, d, &rc);
    assert_int_equal(diag_warnings(d), 1);
    assert_non_null(strstr(p, "<img src=\"a.png\" alt=\"\"><br><hr>"));
    assert_null(strstr(p, "</br>"));
    assert_null(strstr(p, "</img>"));
    free(p);
    diag_free(d);
}

/***  Charts  ***/

static int hook_calls;

static int hand_series(void *self, const chart_spec *spec, chart_series *out, arena *a, diag *d)
{
    static const char *const label[] = { "Lạng Sơn", "Ninh Bình", "A <b>&" };
    static const double v0[] = { 507, 493, 12 };
    const double **v = arena_alloc(a, sizeof *v);

    hook_calls++;
    assert_string_equal(spec->data, "units");
    if (self) {
        diag_error(d, spec->file, spec->line, spec->col, "unknown column %s", spec->y[0]);
        return -1;
    }
    v[0] = v0;
    *out = (chart_series){ .n = 3, .label = label, .value = v };
    return 0;
}

static void charts(void **state)
{
    const char *md = "# Biểu đồ\n\n```chart\ntype: bar\ndata: units\nx: ten_tinh\ny: so_htx\n"
                     "title: Số HTX <năm>\n```\n\nSau.\n\n```chart\ndata: units\nx: a\ny: b\n```\n";
    diag *d = diag_new(NULL, 1);
    chartdom_source src = { NULL, hand_series };
    htmlout_opts o = { .charts = &src };
    int rc;
    char *p;

    (void)state;
    hook_calls = 0;
    p = page_of(md, 1, &o, d, &rc);
    assert_int_equal(rc, 0);
    assert_int_equal(hook_calls, 2);
    assert_null(strstr(p, "language-chart"));
    assert_int_equal(count(p, "<figure class=\"chart\"><svg"), 2);
    assert_int_equal(count(p, "class=\"bar\""), 6);
    assert_int_equal(count(p, "</svg>"), 2);
    assert_non_null(strstr(p, "viewBox=\"0 0 "));   /* SVG names keep their case */
    assert_non_null(strstr(p, "<figcaption>Số HTX &lt;năm&gt;</figcaption></figure>"));
    assert_non_null(strstr(p, "A &lt;b&gt;&amp;"));
    assert_null(strstr(p, "A <b>"));
    free(p);

    /* no data source: an error at the block, the render fails */
    diag_clear(d);
    p = page_of(md, 1, NULL, d, &rc);
    assert_int_equal(rc, -1);
    assert_non_null(strstr(diag_text(d), "t.md:4:1: error: no dataset"));
    assert_non_null(strstr(p, "chart-error"));
    free(p);

    /* the source fails, or the block is wrong: errors, the render fails */
    diag_clear(d);
    src.self = &o;
    p = page_of(md, 1, &o, d, &rc);
    assert_int_equal(rc, -1);
    assert_non_null(strstr(diag_text(d), "unknown column so_htx"));
    free(p);
    diag_clear(d);
    src.self = NULL;
    p = page_of("```chart\ntype: pie\ndata: units\nx: a\ny: b\n```\n", 1, &o, d, &rc);
    assert_int_equal(rc, -1);
    assert_non_null(strstr(diag_text(d), "t.md:2:"));
    free(p);

    /* <figure class="chart" data-…> in an HTML template keeps its own figcaption */
    diag_clear(d);
    p = page_of("<body><figure class=\"chart\" data-type=\"hbar\" data-data=\"units\" data-x=\"t\" "
                "data-y=\"v\" data-title=\"T\"><figcaption>Hình 1</figcaption></figure></body>",
                0, &o, d, &rc);
    assert_int_equal(rc, 0);
    assert_int_equal(count(p, "<svg"), 1);
    assert_non_null(strstr(p, "</svg><figcaption>Hình 1</figcaption></figure>"));
    assert_null(strstr(p, "data-type"));
    assert_int_equal(diag_errors(d), 0);
    free(p);

    /* a document expanded already (render_pdf ran first) is serialised as it is */
    {
        xmlDoc *doc = dom_from_markdown("t.md", md, strlen(md), d);
        buf b1 = BUF_INIT, b2 = BUF_INIT;

        hook_calls = 0;
        assert_int_equal(htmlout_render(doc, &o, &b1, d), 0);
        assert_int_equal(htmlout_render(doc, &o, &b2, d), 0);
        assert_int_equal(hook_calls, 2);
        assert_string_equal(buf_cstr(&b1), buf_cstr(&b2));
        buf_free(&b1);
        buf_free(&b2);
        dom_free(doc);
    }
    diag_free(d);
}

static void styles_of_templates(void **state)
{
    diag *d = diag_new(NULL, 1);
    int rc;
    char *p = page_of("<html><head><style media=\"print\">h1{color:red}</style></head><body>"
                      "<style>p{margin:0}</style><h1 class=\"a\" data-x=\"1\">T</h1>"
                      "<pre>\nfirst line kept</pre><input type=\"checkbox\" disabled></body></html>",
                      0, NULL, d, &rc);

    (void)state;
    assert_int_equal(rc, 0);
    assert_non_null(strstr(p, "<style media=\"print\">\nh1{color:red}\n</style>\n<style>\np{margin:0}\n</style>\n</head>"));
    assert_int_equal(count(p, "p{margin:0}"), 1);
    assert_non_null(strstr(p, "<h1 class=\"a\" data-x=\"1\">T</h1>"));
    assert_non_null(strstr(p, "<pre>\n\nfirst line kept</pre>"));
    if (!strstr(p, "<input type=\"checkbox\" disabled=\"disabled\">"))
        fail_msg("%s", strstr(p, "</pre>"));
    free(p);
    diag_free(d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(page_structure), cmocka_unit_test(named_pages_kept),
        cmocka_unit_test(title_fallbacks),
        cmocka_unit_test(escaping_kept),
        cmocka_unit_test(header_scopes_and_numbers),
        cmocka_unit_test(numbers),
        cmocka_unit_test(relpath),
        cmocka_unit_test(font_urls),
        cmocka_unit_test(write_copies_fonts),
        cmocka_unit_test(imports_inlined),
        cmocka_unit_test(headings_and_images),
        cmocka_unit_test(charts),
        cmocka_unit_test(styles_of_templates),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
