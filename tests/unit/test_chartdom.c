/*
** Unit tests for chartdom.c (chart blocks → <figure class="chart"><svg>…) and for the
** layout of an inline <svg> (layout.c place_svg): the DOM before and after, errors with
** their lines, the inline rows, a data source callback, sizes and page breaks.
** Fonts come from fonts/ (tests run from the repository's top).
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

#include "arena.h"
#include "chartdom.h"
#include "diag.h"
#include "dom.h"
#include "font.h"
#include "layout.h"
#include "style.h"

#define SVG_NS "http://www.w3.org/2000/svg"

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

static size_t count_class(xmlNode *n, const char *cls)
{
    size_t k = 0;

    for (; n; n = n->next) {
        if (n->type == XML_ELEMENT_NODE) {
            xmlChar *c = xmlGetProp(n, (const xmlChar *)"class");
            k += c && strcmp((const char *)c, cls) == 0;
            xmlFree(c);
            k += count_class(n->children, cls);
        }
    }
    return k;
}

/* The data-value of the bar whose data-label is LABEL (NAN when none). */
static double bar_value(xmlNode *n, const char *label)
{
    for (; n; n = n->next) {
        double v;

        if (n->type != XML_ELEMENT_NODE)
            continue;
        xmlChar *l = xmlGetProp(n, (const xmlChar *)"data-label");
        xmlChar *val = xmlGetProp(n, (const xmlChar *)"data-value");
        if (l && val && strcmp((const char *)l, label) == 0) {
            v = strtod((const char *)val, NULL);
            xmlFree(l);
            xmlFree(val);
            return v;
        }
        xmlFree(l);
        xmlFree(val);
        if (!isnan(v = bar_value(n->children, label)))
            return v;
    }
    return NAN;
}

static const char *text_of(xmlNode *n, buf *b)
{
    buf_reset(b);
    dom_plain_text(n, b);
    return buf_cstr(b);
}

static void inline_rows_markdown(void **state)
{
    const char *md = "# Tỉnh\n"
                     "\n"
                     "```chart\n"                       /* line 3 */
                     "type: bar\n"
                     "data: rows\n"
                     "x: ten_tinh\n"
                     "y: so_htx\n"
                     "title: Số hợp tác xã\n"
                     "rows:\n"
                     "  Thái Nguyên: 1021\n"
                     "  # a comment\n"
                     "  Bắc Kạn: 412.5\n"
                     "  Cao Bằng: -\n"
                     "```\n"
                     "\n"
                     "Hết.\n";
    diag *d = diag_new(NULL, 1);
    xmlDoc *doc = dom_from_markdown("r.md", md, strlen(md), d);
    xmlNode *body = dom_body(doc), *fig, *svg, *cap;
    buf b = BUF_INIT;

    (void)state;
    assert_non_null(find(body, "pre"));
    assert_int_equal(chartdom_expand(doc, NULL, NULL, d), 1);
    assert_int_equal(diag_errors(d), 0);
    assert_null(find(body, "pre"));
    assert_null(find(body, "code"));
    fig = find(body, "figure");
    assert_non_null(fig);
    assert_int_equal(count_class(fig, "chart"), 1);
    svg = fig->children;
    assert_non_null(svg);
    assert_string_equal((const char *)svg->name, "svg");
    assert_non_null(svg->ns);
    assert_string_equal((const char *)svg->ns->href, SVG_NS);
    assert_int_equal(xmlGetLineNo(svg), 3);
    assert_non_null(find(svg, "title"));
    assert_non_null(find(svg, "desc"));
    assert_string_equal(text_of(find(svg, "title"), &b), "Số hợp tác xã");
    cap = svg->next;
    assert_non_null(cap);
    assert_string_equal((const char *)cap->name, "figcaption");
    assert_string_equal(text_of(cap, &b), "Số hợp tác xã");
    assert_null(cap->next);
    /* two bars (the missing value is a gap, not a zero bar) with the values written */
    assert_int_equal(count_class(svg, "bar"), 2);
    assert_true(fabs(bar_value(svg, "Thái Nguyên") - 1021) < 1e-9);
    assert_true(fabs(bar_value(svg, "Bắc Kạn") - 412.5) < 1e-9);
    /* the paragraph after the chart is still there, in order */
    assert_string_equal((const char *)fig->next->next->name, "p");
    buf_free(&b);
    dom_free(doc);
    diag_free(d);
}

static void errors_with_lines(void **state)
{
    const char *md = "```chart\n"           /* 1 */
                     "type: bar\n"
                     "data: rows\n"
                     "x: t\n"
                     "y: a, b\n"            /* 5 */
                     "rows:\n"
                     "  Huế: 1, abc\n"      /* 7: not a number, column 12 */
                     "  Hà Nội: 2\n"        /* 8: one value for two columns */
                     "  Cần Thơ\n"          /* 9: no colon */
                     "```\n"
                     "\n"
                     "```chart\n"           /* 12 */
                     "type: pie\n"          /* 13: unknown type */
                     "data: rows\n"
                     "x: t\n"
                     "y: a\n"
                     "rows:\n"
                     "  A: 1\n"
                     "```\n"
                     "\n"
                     "```chart\n"           /* 21 */
                     "data: units\n"        /* 22: no data source */
                     "x: t\n"
                     "y: a\n"
                     "```\n"
                     "\n"
                     "```chart\n"           /* 27 */
                     "data: rows\n"
                     "x: t\n"
                     "y: a\n"
                     "```\n"
                     "\n"
                     "```chart\n"           /* 33: this one is fine */
                     "data: rows\n"
                     "x: t\n"
                     "y: a\n"
                     "rows:\n"
                     "  A: 1\n"
                     "```\n";
    diag *d = diag_new(NULL, 1);
    xmlDoc *doc = dom_from_markdown("e.md", md, strlen(md), d);
    xmlNode *body = dom_body(doc);
    const char *t;

    (void)state;
    assert_int_equal(chartdom_expand(doc, NULL, NULL, d), -1);
    t = diag_text(d);
    assert_non_null(strstr(t, "e.md:7:13: error: not a number in chart row: 'abc'"));
    assert_non_null(strstr(t, "e.md:8:"));
    assert_non_null(strstr(t, "1 values in chart row, 2 y columns"));
    assert_non_null(strstr(t, "e.md:9:3: error: expected 'label: value'"));
    assert_non_null(strstr(t, "e.md:13:"));
    assert_non_null(strstr(t, "e.md:22:1: error: no dataset to draw 'units' from"));
    assert_non_null(strstr(t, "e.md:28:1: error: chart has 'data: rows' but no 'rows:'"));
    assert_int_equal(diag_errors(d), 6);
    /* four visible marks, one drawing, nothing left as a code block */
    assert_int_equal(count_class(body, "chart-error"), 4);
    assert_int_equal(count_class(body, "chart"), 1);
    assert_null(find(body, "pre"));
    assert_non_null(strstr(diag_text(d), "e.md"));
    {
        buf b = BUF_INIT;
        dom_plain_text(body, &b);
        assert_non_null(strstr(buf_cstr(&b), "[Lỗi biểu đồ: e.md:1"));
        buf_free(&b);
    }
    dom_free(doc);
    diag_free(d);
}

/* A data source as the dataset stage gives one: three provinces for "units". */
typedef struct fake {
    int calls;
    char asked[32]; /* a copy: the spec's strings go with the chart's arena */
} fake;

static int fake_series(void *self, const chart_spec *spec, chart_series *out, arena *a, diag *d)
{
    static const char *const labels[] = { "Huế", "Đà Nẵng", "Quảng Nam" };
    static const double v[] = { 10, 20, 30 };
    static const double *const cols[] = { v };
    fake *f = self;

    (void)a;
    f->calls++;
    snprintf(f->asked, sizeof f->asked, "%s", spec->y[0]);
    if (strcmp(spec->data, "units") != 0) {
        diag_error(d, spec->file, spec->line, spec->col, "unknown collection '%s'", spec->data);
        return -1;
    }
    *out = (chart_series){ 3, labels, cols, NULL };
    return 0;
}

/* The visible mark names the whole file, however long, and stays valid UTF-8 (it used to be
 * cut at 512 bytes, inside a character of a long Vietnamese path). */
static void error_mark_keeps_long_names_whole(void **state)
{
    const char *md = "```chart\ndata: units\nx: t\ny: a\n```\n";
    diag *d = diag_new(NULL, 0);
    xmlDoc *doc = dom_from_markdown("e.md", md, strlen(md), d);
    buf name = BUF_INIT, b = BUF_INIT;
    chartdom_opts o = { 0 };

    (void)state;
    while (name.len < 600)
        buf_puts(&name, "báo-cáo-tổng-kết/");
    buf_puts(&name, "e.md");
    o.file = name.ptr;
    assert_int_equal(chartdom_expand(doc, NULL, &o, d), -1);
    dom_plain_text(dom_body(doc), &b);
    assert_non_null(strstr(buf_cstr(&b), name.ptr));
    assert_non_null(strstr(buf_cstr(&b), "e.md:1 — xem thông báo lỗi]"));
    buf_free(&b);
    buf_free(&name);
    dom_free(doc);
    diag_free(d);
}

static void html_figure_with_source(void **state)
{
    const char *html = "<html><body>\n"
                       "<figure class=\"chart\" data-type=\"hbar\" data-data=\"units\"\n"
                       "        data-x=\"ten_tinh\" data-y=\"so_htx\" data-title=\"Ba tỉnh\">\n"
                       "  <figcaption>Hình 1. Ba tỉnh miền Trung</figcaption>\n"
                       "</figure>\n"
                       "<figure class=\"chart\" data-data=\"periods\" data-x=\"nam\" "
                       "data-y=\"so_htx\"></figure>\n"
                       "<figure class=\"photo\"><img alt=\"x\"></figure>\n"
                       "</body></html>\n";
    diag *d = diag_new(NULL, 1);
    xmlDoc *doc = dom_from_html("t.html", html, strlen(html), d);
    xmlNode *body = dom_body(doc), *fig, *svg, *k;
    fake f = { 0 };
    chartdom_source src = { &f, fake_series };
    int captions = 0;
    buf b = BUF_INIT;

    (void)state;
    assert_int_equal(chartdom_expand(doc, &src, NULL, d), -1); /* the second one fails */
    assert_int_equal(f.calls, 2);
    assert_string_equal(f.asked, "so_htx");
    assert_non_null(strstr(diag_text(d), "t.html:6:"));
    assert_non_null(strstr(diag_text(d), "unknown collection 'periods'"));
    fig = find(body, "figure");
    assert_null(xmlHasProp(fig, (const xmlChar *)"data-data")); /* drawn: attributes gone */
    svg = find(fig, "svg");
    assert_non_null(svg);
    assert_int_equal(xmlGetLineNo(svg), xmlGetLineNo(fig)); /* the start tag's */
    assert_int_equal(count_class(svg, "bar"), 3);
    assert_true(fabs(bar_value(svg, "Đà Nẵng") - 20) < 1e-9);
    for (k = fig->children; k; k = k->next)
        if (k->type == XML_ELEMENT_NODE && strcmp((const char *)k->name, "figcaption") == 0) {
            captions++;
            assert_string_equal(text_of(k, &b), "Hình 1. Ba tỉnh miền Trung");
        }
    assert_int_equal(captions, 1); /* its own caption kept, no second one */
    assert_int_equal(count_class(body, "chart-error"), 1);
    assert_int_equal(count_class(body, "photo"), 1); /* other figures untouched */
    /* expanding again finds nothing left to draw */
    diag_clear(d);
    assert_int_equal(chartdom_expand(doc, &src, NULL, d), 0);
    assert_int_equal(f.calls, 2);
    buf_free(&b);
    dom_free(doc);
    diag_free(d);
}

static void rows_parser(void **state)
{
    const char *rows = "A: 1, 2\n\n  B  :  -3.5 ,  \n# no\nC: –, 1e3\nD:E: 4, 5\n";
    chart_spec s = { .ny = 2 };
    chart_series out;
    arena *a = arena_new();
    diag *d = diag_new(NULL, 1);

    (void)state;
    assert_int_equal(chartdom_rows(rows, strlen(rows), "x.md", 10, &s, a, &out, d), 0);
    assert_int_equal(out.n, 4);
    assert_string_equal(out.label[1], "B");
    assert_string_equal(out.label[3], "D:E"); /* the last colon splits */
    assert_true(out.value[0][1] == -3.5);
    assert_true(isnan(out.value[1][1]));
    assert_true(isnan(out.value[0][2]));
    assert_true(out.value[1][2] == 1000);
    assert_true(out.value[1][3] == 5);
    assert_int_equal(chartdom_rows("A: 1, 2, 3\nB: 0x10, 1\n", 22, "x.md", 10, &s, a, &out, d),
                     -1);
    assert_non_null(strstr(diag_text(d), "x.md:10:"));
    assert_non_null(strstr(diag_text(d), "more values than y columns (2)"));
    assert_non_null(strstr(diag_text(d), "x.md:11:4: error: not a number"));
    assert_int_equal(chartdom_rows("\n# none\n", 8, "x.md", 10, &s, a, &out, d), -1);
    assert_non_null(strstr(diag_text(d), "no rows under it"));
    arena_free(a);
    diag_free(d);
}

/***  Layout of an inline <svg>  ***/

#define FACES                                                                                \
    "@font-face { font-family: \"Liberation Serif\"; "                                       \
    "src: url(fonts/LiberationSerif-Regular.ttf) }\n"                                        \
    "body { font-family: \"Liberation Serif\"; font-size: 10pt; line-height: 12pt; "         \
    "margin: 0 }\n"                                                                          \
    "figure, p { margin: 0 } figure { text-align: center }\n"                                             \
    "@page { size: 300pt 300pt; margin: 10pt }\n"

typedef struct doc_run {
    diag *d;
    stylesheet *ss;
    xmlDoc *doc;
    arena *a;
    fontset *fs;
    pages *pg;
} doc_run;

static void lay_out(doc_run *r, const char *css, const char *html)
{
    const style_font_face *ff;
    size_t n;
    char *all = malloc(strlen(FACES) + strlen(css) + 1);

    strcpy(all, FACES);
    strcat(all, css);
    memset(r, 0, sizeof *r);
    r->d = diag_new(NULL, 1);
    r->ss = style_parse("test.css", all, strlen(all), r->d);
    free(all);
    r->doc = dom_from_html("test.html", html, strlen(html), r->d);
    r->a = arena_new();
    assert_int_equal(style_apply(r->ss, r->doc, r->a, r->d), 0);
    r->fs = font_new();
    n = style_font_faces(r->ss, &ff);
    for (size_t i = 0; i < n; i++)
        assert_true(font_add(r->fs, ff[i].family, ff[i].weight, ff[i].italic, ff[i].path, NULL,
                             0, r->d) >= 0);
    r->pg = layout_run(r->doc, r->ss, r->fs, &(layout_opts){ "test.html" }, r->d);
    assert_non_null(r->pg);
}

static void done(doc_run *r)
{
    pages_free(r->pg);
    font_free(r->fs);
    arena_free(r->a);
    dom_free(r->doc);
    style_free(r->ss);
    diag_free(r->d);
}

/* The first filled rectangle of page P whose fill is red (the test drawings' marker). */
static const pg_rect *red_rect(const pages *pg, size_t p)
{
    for (size_t i = 0; i < pg->page[p].count; i++) {
        const pg_item *it = &pg->page[p].item[i];
        if (it->kind == PG_RECT && it->u.rect.fill.r == 255 && it->u.rect.fill.g == 0)
            return &it->u.rect;
    }
    return NULL;
}

#define DRAWING(w, h)                                                                        \
    "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" #w "\" height=\"" #h "\" "          \
    "viewBox=\"0 0 " #w " " #h "\"><title>Hình</title><rect x=\"0\" y=\"0\" width=\"" #w     \
    "\" height=\"" #h "\" fill=\"#ff0000\"/><text x=\"10\" y=\"20\">Nhãn</text></svg>"

static void svg_sizes(void **state)
{
    doc_run r;
    const pg_rect *rc;
    int found = 0;

    (void)state;
    /* 200 × 100 px = 150 × 75 pt, centred in the 280 pt column under a 12 pt line */
    lay_out(&r, "", "<body><p>Trên</p><figure>" DRAWING(200, 100) "</figure></body>");
    assert_int_equal(r.pg->count, 1);
    rc = red_rect(r.pg, 0);
    assert_non_null(rc);
    assert_true(fabsf(rc->w - 150) < 0.01f && fabsf(rc->h - 75) < 0.01f);
    assert_true(fabsf(rc->x - (10 + (280 - 150) / 2.0f)) < 0.01f);
    assert_true(fabsf(rc->y + rc->h - (290 - 12)) < 0.01f);
    for (size_t i = 0; i < r.pg->page[0].count; i++) { /* the text is drawn, in the font */
        const pg_item *it = &r.pg->page[0].item[i];
        found |= it->kind == PG_TEXT && it->u.text.len == 5 &&
                 memcmp(it->u.text.text, "Nhãn", 5) == 0 && it->u.text.face == 0;
    }
    assert_true(found);
    assert_null(r.pg->title); /* the SVG's <title> is not the document's */
    done(&r);
    /* wider than the column: shrunk to 280 pt, the aspect ratio kept */
    lay_out(&r, "", "<body><figure>" DRAWING(800, 400) "</figure></body>");
    rc = red_rect(r.pg, 0);
    assert_true(fabsf(rc->w - 280) < 0.01f && fabsf(rc->h - 140) < 0.01f);
    done(&r);
    /* CSS width honoured */
    lay_out(&r, "svg { width: 100pt }", "<body><figure>" DRAWING(800, 400) "</figure></body>");
    rc = red_rect(r.pg, 0);
    assert_true(fabsf(rc->w - 100) < 0.01f && fabsf(rc->h - 50) < 0.01f);
    done(&r);
}

static void svg_kept_whole(void **state)
{
    doc_run r;
    const pg_rect *rc;

    (void)state;
    /* 280 × 140 pt each: the second does not fit under the first and a 12 pt line */
    lay_out(&r, "", "<body><p>Trên</p><figure>" DRAWING(800, 400) "</figure><figure>"
                    DRAWING(800, 400) "</figure><p>Dưới</p></body>");
    assert_int_equal(r.pg->count, 2);
    rc = red_rect(r.pg, 1);
    assert_non_null(rc);
    assert_true(fabsf(rc->y + rc->h - 290) < 0.01f); /* at the top of page 2 */
    done(&r);
    /* taller than a page: shrunk to the page's height */
    lay_out(&r, "", "<body><figure>" DRAWING(100, 1000) "</figure></body>");
    assert_int_equal(r.pg->count, 1);
    rc = red_rect(r.pg, 0);
    assert_true(fabsf(rc->h - 280) < 0.01f && fabsf(rc->w - 28) < 0.01f);
    done(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(inline_rows_markdown),
        cmocka_unit_test(errors_with_lines),
        cmocka_unit_test(error_mark_keeps_long_names_whole),
        cmocka_unit_test(html_figure_with_source),
        cmocka_unit_test(rows_parser),
        cmocka_unit_test(svg_sizes),
        cmocka_unit_test(svg_kept_whole),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
