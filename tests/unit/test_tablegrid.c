/*
** Unit tests for tablegrid (grid with spans, column widths, collapsed borders) and listmark
** (marker text and numbering). Text is "measured" at 10 pt per byte, so widths are exact.
*/
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "buf.h"
#include "diag.h"
#include "dom.h"
#include "imgsize.h"
#include "listmark.h"
#include "style.h"
#include "tablegrid.h"

typedef struct fixture {
    diag *d;
    stylesheet *ss;
    xmlDoc *doc;
    arena *a;
    tablegrid *tg;
} fixture;

#define BASE "td, th { padding: 0; border: none } table { border-spacing: 0 }\n"

/* min = longest word, max = all of it on one line, 10 pt per byte */
static void measure(void *self, const xmlNode *cell, float *min, float *max)
{
    buf b = BUF_INIT;
    size_t run = 0, best = 0;

    (void)self;
    dom_plain_text(cell, &b);
    for (size_t i = 0; i < b.len; i++) {
        run = b.ptr[i] == ' ' ? 0 : run + 1;
        if (run > best)
            best = run;
    }
    *min = (float)best * 10;
    *max = (float)b.len * 10;
    buf_free(&b);
}

static xmlNode *find(xmlNode *n, const char *name)
{
    for (; n; n = n->next) {
        xmlNode *f;
        if (n->type == XML_ELEMENT_NODE && strcmp((const char *)n->name, name) == 0)
            return n;
        if ((f = find(n->children, name)) != NULL)
            return f;
    }
    return NULL;
}

static void build(fixture *f, const char *css, const char *html)
{
    char *all = malloc(strlen(BASE) + strlen(css) + 1);

    strcpy(all, BASE);
    strcat(all, css);
    memset(f, 0, sizeof *f);
    f->d = diag_new(NULL, 1);
    f->ss = style_parse("t.css", all, strlen(all), f->d);
    free(all);
    f->doc = dom_from_html("t.html", html, strlen(html), f->d);
    f->a = arena_new();
    assert_int_equal(style_apply(f->ss, f->doc, f->a, f->d), 0);
    f->tg = tablegrid_build(find(xmlDocGetRootElement(f->doc), "table"));
}

static void done(fixture *f)
{
    tablegrid_free(f->tg);
    dom_free(f->doc);
    arena_free(f->a);
    style_free(f->ss);
    diag_free(f->d);
}

static const char *text_at(const tablegrid *tg, int r, int c)
{
    const tg_cell *cell = tablegrid_at(tg, r, c);
    return cell && cell->node->children ? (const char *)cell->node->children->content : "";
}

static void test_spans(void **state)
{
    fixture f;
    (void)state;
    build(&f, "", "<table><tr><td rowspan=2>A</td><td colspan=2>B</td></tr>"
                  "<tr><td>C</td><td>D</td></tr><tr><td colspan=3>E</td></tr></table>");
    assert_int_equal(f.tg->ncols, 3);
    assert_int_equal(f.tg->nrows, 3);
    assert_string_equal(text_at(f.tg, 0, 0), "A");
    assert_string_equal(text_at(f.tg, 1, 0), "A");
    assert_string_equal(text_at(f.tg, 0, 2), "B");
    assert_string_equal(text_at(f.tg, 1, 1), "C"); /* shifted right by the rowspan */
    assert_string_equal(text_at(f.tg, 1, 2), "D");
    assert_string_equal(text_at(f.tg, 2, 1), "E");
    assert_int_equal(tablegrid_at(f.tg, 0, 1)->colspan, 2);
    assert_int_equal(tablegrid_at(f.tg, 0, 0)->rowspan, 2);
    done(&f);
}

static void test_span_clamps(void **state)
{
    fixture f;
    (void)state;
    build(&f, "", "<table><tfoot><tr><td>F</td></tr></tfoot>"
                  "<tbody><tr><td rowspan=0>Z</td><td colspan=5000>W</td><td rowspan=99>Q</td></tr>"
                  "<tr><td>X</td></tr></tbody>"
                  "<thead><tr><th>H</th></tr></thead></table>");
    assert_int_equal(f.tg->nrows, 4);
    assert_int_equal(f.tg->nhead, 1);
    assert_int_equal(f.tg->nfoot, 1);
    assert_string_equal(text_at(f.tg, 0, 0), "H");            /* thead first */
    assert_string_equal(text_at(f.tg, 3, 0), "F");            /* tfoot last */
    assert_int_equal(tablegrid_at(f.tg, 1, 0)->rowspan, 2);   /* 0: to the group's end */
    assert_int_equal(tablegrid_at(f.tg, 1, 1)->colspan, 1);   /* > 1000 counts as 1 */
    assert_int_equal(tablegrid_at(f.tg, 1, 2)->rowspan, 2);   /* clamped to the group */
    assert_string_equal(text_at(f.tg, 2, 1), "X");
    assert_int_equal(f.tg->ncols, 3);
    done(&f);
}

static void test_overlap_cut(void **state)
{
    fixture f;
    (void)state;
    /* row 2's colspan runs into the rowspan from row 1: cut, cells stay disjoint */
    build(&f, "", "<table><tr><td>a</td><td rowspan=2>b</td></tr>"
                  "<tr><td colspan=3>c</td></tr></table>");
    assert_int_equal(tablegrid_at(f.tg, 1, 0)->colspan, 1);
    assert_string_equal(text_at(f.tg, 1, 1), "b");
    done(&f);
}

static void test_auto_widths(void **state)
{
    fixture f;
    (void)state;
    build(&f, "", "<table><tr><td>aaa</td><td>bb bb bb</td></tr></table>");
    tablegrid_widths(f.tg, 500, measure, NULL); /* everything fits: max widths */
    assert_float_equal(f.tg->colw[0], 30, 0.01);
    assert_float_equal(f.tg->colw[1], 80, 0.01);
    assert_float_equal(f.tg->width, 110, 0.01);
    tablegrid_widths(f.tg, 60, measure, NULL); /* between min and max: grow by max - min */
    assert_float_equal(f.tg->colw[0], 30, 0.01);
    assert_float_equal(f.tg->colw[1], 30, 0.01);
    tablegrid_widths(f.tg, 40, measure, NULL); /* below the mins: never wider than allowed */
    assert_float_equal(f.tg->colw[0] + f.tg->colw[1], 40, 0.01);
    assert_float_equal(f.tg->colw[0] / f.tg->colw[1], 30.0 / 20.0, 0.01);
    done(&f);
}

static void test_short_columns_first(void **state)
{
    fixture f;
    (void)state;
    /* a long-text column and a short one ("Không đạt"): the short one gets its max first */
    build(&f, "", "<table><tr><td>a b c d e f g h i j k l m n o p</td><td>xx yy</td></tr></table>");
    tablegrid_widths(f.tg, 200, measure, NULL);
    assert_float_equal(f.tg->colw[1], 50, 0.01);
    assert_float_equal(f.tg->colw[0], 150, 0.01);
    done(&f);
}

static void test_table_width(void **state)
{
    fixture f;
    (void)state;
    build(&f, "table { width: 100% }", "<table><tr><td>aaa</td><td>bb bb bb</td></tr></table>");
    tablegrid_widths(f.tg, 220, measure, NULL); /* stretched in proportion to max */
    assert_float_equal(f.tg->colw[0], 60, 0.01);
    assert_float_equal(f.tg->colw[1], 160, 0.01);
    done(&f);
}

static void test_percent_and_fixed(void **state)
{
    fixture f;
    (void)state;
    build(&f, "table { width: 200pt } td.p { width: 50% } td.f { width: 40pt }",
          "<table><tr><td class=p>a</td><td class=f>b</td><td>c</td></tr></table>");
    tablegrid_widths(f.tg, 500, measure, NULL);
    assert_float_equal(f.tg->colw[0], 100, 0.01);
    assert_float_equal(f.tg->colw[1], 40, 0.01);
    assert_float_equal(f.tg->colw[2], 60, 0.01);
    done(&f);
}

static void test_fixed_layout(void **state)
{
    fixture f;
    (void)state;
    build(&f, "table { table-layout: fixed; width: 300pt } td.w { width: 100pt }",
          "<table><col style='width: 50pt'><tr><td>a</td><td class=w>b</td><td>c</td><td>d</td></tr>"
          "<tr><td>a very long text that fixed layout never measures</td></tr></table>");
    tablegrid_widths(f.tg, 500, measure, NULL);
    assert_float_equal(f.tg->colw[0], 50, 0.01);
    assert_float_equal(f.tg->colw[1], 100, 0.01);
    assert_float_equal(f.tg->colw[2], 75, 0.01);
    assert_float_equal(f.tg->colw[3], 75, 0.01);
    done(&f);
}

static void test_spanning_widths(void **state)
{
    fixture f;
    (void)state;
    build(&f, "", "<table><tr><td colspan=2>xxxxxxxxxx</td></tr>"
                  "<tr><td>a</td><td>bb</td></tr></table>");
    tablegrid_widths(f.tg, 500, measure, NULL);
    assert_float_equal(f.tg->colw[0] + f.tg->colw[1], 100, 0.01);
    assert_float_equal(f.tg->colw[0], 10 + 70.0 / 3, 0.01);
    done(&f);
}

static void test_separate_spacing(void **state)
{
    fixture f;
    (void)state;
    build(&f, "table { border-spacing: 5pt } td { padding: 2pt; border: 1pt solid black }",
          "<table><tr><td>aaa</td><td>b</td></tr></table>");
    tablegrid_widths(f.tg, 500, measure, NULL);
    assert_float_equal(f.tg->colw[0], 36, 0.01);
    assert_float_equal(f.tg->colw[1], 16, 0.01);
    assert_float_equal(f.tg->width, 36 + 16 + 15, 0.01);
    done(&f);
}

static void test_collapsed_borders(void **state)
{
    fixture f;
    tg_border b;
    (void)state;
    build(&f, "table { border-collapse: collapse; border: 3pt solid black }"
              "td { border: 1pt solid black } td.d { border-right: 2pt dotted red }"
              "td.s { border-left: 2pt solid blue } tr.t { border-bottom: 4pt dashed green }",
          "<table><tr class=t><td class=d>a</td><td class=s>b</td></tr>"
          "<tr><td>c</td><td>d</td></tr></table>");
    b = tablegrid_border(f.tg, 0, 0, SIDE_LEFT); /* the table's is wider */
    assert_float_equal(b.width, 3, 0.01);
    b = tablegrid_border(f.tg, 0, 0, SIDE_RIGHT); /* same width: solid beats dotted */
    assert_float_equal(b.width, 2, 0.01);
    assert_int_equal(b.style, BORDER_SOLID);
    assert_int_equal(b.color.b, 255);
    b = tablegrid_border(f.tg, 1, 1, SIDE_LEFT); /* the same edge from the other side... */
    assert_float_equal(b.width, 1, 0.01);        /* ...one row down: cells' own 1pt */
    b = tablegrid_border(f.tg, 1, 0, SIDE_TOP);  /* the row's 4pt beats the cells' */
    assert_float_equal(b.width, 4, 0.01);
    assert_int_equal(b.style, BORDER_DASHED);
    b = tablegrid_border(f.tg, 0, 0, SIDE_BOTTOM);
    assert_float_equal(b.width, 4, 0.01);
    done(&f);
}

static void test_collapsed_equal_tie(void **state)
{
    fixture f;
    tg_border b;
    (void)state;
    build(&f, "table { border-collapse: collapse } td.l { border-right: 1pt solid red }"
              "td.r { border-left: 1pt solid blue }",
          "<table><tr><td class=l>a</td><td class=r>b</td></tr></table>");
    b = tablegrid_border(f.tg, 0, 1, SIDE_LEFT); /* the left cell wins ties */
    assert_int_equal(b.color.r, 255);
    b = tablegrid_border(f.tg, 0, 0, SIDE_RIGHT);
    assert_int_equal(b.color.r, 255);
    done(&f);
}

static void test_malformed(void **state)
{
    fixture f;
    (void)state;
    build(&f, "", "<table><caption>Cap</caption><tr></tr><tr><td colspan=-3 rowspan=x>a</td>"
                  "</tr></table>");
    assert_non_null(f.tg->caption);
    assert_int_equal(f.tg->nrows, 2);
    assert_int_equal(f.tg->ncols, 1);
    assert_null(tablegrid_at(f.tg, 0, 0));
    tablegrid_widths(f.tg, 100, measure, NULL);
    assert_float_equal(f.tg->colw[0], 10, 0.01);
    done(&f);
    build(&f, "", "<table></table>");
    tablegrid_widths(f.tg, 100, measure, NULL);
    assert_int_equal(f.tg->ncols, 0);
    done(&f);
}

/***  listmark  ***/

static const char *mark(list_style t, const char *s, int n, int vn)
{
    static buf b;
    buf_reset(&b);
    listmark_text(&b, t, s, n, vn);
    buf_putc(&b, 0);
    return b.ptr;
}

static void test_marker_text(void **state)
{
    (void)state;
    assert_string_equal(mark(LIST_DECIMAL, NULL, 12, 0), "12.");
    assert_string_equal(mark(LIST_LOWER_ALPHA, NULL, 5, 0), "e.");
    assert_string_equal(mark(LIST_LOWER_ALPHA, NULL, 5, 1), "đ.");
    assert_string_equal(mark(LIST_LOWER_ALPHA, NULL, 27, 0), "aa.");
    assert_string_equal(mark(LIST_UPPER_ALPHA, NULL, 2, 0), "B.");
    assert_string_equal(mark(LIST_LOWER_ROMAN, NULL, 14, 0), "xiv.");
    assert_string_equal(mark(LIST_UPPER_ROMAN, NULL, 1999, 0), "MCMXCIX.");
    assert_string_equal(mark(LIST_UPPER_ROMAN, NULL, 0, 0), "0.");
    assert_string_equal(mark(LIST_LOWER_ALPHA, NULL, -1, 0), "-1.");
    assert_string_equal(mark(LIST_STRING, "- ", 3, 0), "- ");
    assert_string_equal(mark(LIST_NONE, NULL, 3, 0), "");
    assert_string_equal(mark(LIST_DISC, NULL, 3, 0), "");
    assert_int_equal(listmark_bullet(LIST_DISC), 0x2022);
    assert_int_equal(listmark_bullet(LIST_DECIMAL), 0);
}

static void test_numbering(void **state)
{
    fixture f;
    listmark m;
    xmlNode *ol, *li;
    int got[4], k = 0;
    (void)state;
    build(&f, "", "<table></table><ol reversed><li>a<li value=10>b<li>c<li>d</ol>");
    ol = find(xmlDocGetRootElement(f.doc), "ol");
    listmark_start(&m, ol);
    for (li = ol->children; li; li = li->next)
        if (li->type == XML_ELEMENT_NODE)
            got[k++] = listmark_next(&m, li);
    assert_int_equal(k, 4);
    assert_int_equal(got[0], 4);
    assert_int_equal(got[1], 10);
    assert_int_equal(got[2], 9);
    assert_int_equal(got[3], 8);
    done(&f);
    build(&f, "", "<table></table><ol start=-2><li>a<li>b</ol>");
    ol = find(xmlDocGetRootElement(f.doc), "ol");
    listmark_start(&m, ol);
    assert_int_equal(listmark_next(&m, NULL), -2);
    assert_int_equal(listmark_next(&m, NULL), -1);
    done(&f);
}

/***  imgsize  ***/

static void test_imgsize(void **state)
{
    static const unsigned char png[24] = { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0, 0, 13,
                                           'I', 'H', 'D', 'R', 0, 0, 1, 0x90, 0, 0, 0, 200 };
    /* SOI, an APP0 segment of 4 bytes, SOF2 (progressive) 8 bits, 300 high, 640 wide */
    static const unsigned char jpg[] = { 0xFF, 0xD8, 0xFF, 0xE0, 0, 4, 1, 2, 0xFF, 0xC2, 0, 11,
                                         8, 0x01, 0x2C, 0x02, 0x80, 3, 0, 0, 0 };
    int w = 0, h = 0;
    const char *why = NULL;
    char msg[128];
    (void)state;
    assert_int_equal(imgsize_parse(png, sizeof png, &w, &h, &why), IMGSIZE_PNG);
    assert_int_equal(w, 400);
    assert_int_equal(h, 200);
    assert_int_equal(imgsize_parse(jpg, sizeof jpg, &w, &h, &why), IMGSIZE_JPEG);
    assert_int_equal(w, 640);
    assert_int_equal(h, 300);
    assert_int_equal(imgsize_parse(png, 20, &w, &h, &why), -1);
    assert_int_equal(imgsize_parse(jpg, 10, &w, &h, &why), -1);
    assert_int_equal(imgsize_parse((const unsigned char *)"GIF89a", 6, &w, &h, &why), -1);
    assert_string_equal(why, "not a PNG or JPEG file");
    assert_int_equal(imgsize_read("tests/tables/chart.png", &w, &h, msg, sizeof msg), IMGSIZE_PNG);
    assert_int_equal(w, 400);
    assert_int_equal(imgsize_read("tests/tables/nope.png", &w, &h, msg, sizeof msg), -1);
    assert_string_equal(msg, "No such file or directory");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_spans),         cmocka_unit_test(test_span_clamps),
        cmocka_unit_test(test_overlap_cut),   cmocka_unit_test(test_auto_widths),
        cmocka_unit_test(test_table_width),   cmocka_unit_test(test_percent_and_fixed),
        cmocka_unit_test(test_fixed_layout),  cmocka_unit_test(test_spanning_widths),
        cmocka_unit_test(test_separate_spacing), cmocka_unit_test(test_collapsed_borders),
        cmocka_unit_test(test_collapsed_equal_tie), cmocka_unit_test(test_malformed),
        cmocka_unit_test(test_marker_text),   cmocka_unit_test(test_numbering),
        cmocka_unit_test(test_imgsize),       cmocka_unit_test(test_short_columns_first),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
