/*
** Unit tests for layout: the page model it produces for small documents (margins collapsing,
** alignment, keeps, anchors and outline, hidden elements, missing glyphs, margin boxes).
** Fonts come from fonts/ (tests run from the repository's top).
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
#include "diag.h"
#include "dom.h"
#include "font.h"
#include "layout.h"
#include "style.h"

#define FACES                                                                                \
    "@font-face { font-family: \"Liberation Serif\"; "                                       \
    "src: url(fonts/LiberationSerif-Regular.ttf) }\n"                                        \
    "@font-face { font-family: \"Liberation Serif\"; font-weight: bold; "                    \
    "src: url(fonts/LiberationSerif-Bold.ttf) }\n"                                           \
    "body { font-family: \"Liberation Serif\"; font-size: 10pt; line-height: 12pt; "         \
    "margin: 0 }\n"                                                                          \
    "@page { size: 200pt 100pt; margin: 10pt }\n"

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
    assert_non_null(r->ss);
    r->doc = dom_from_html("test.html", html, strlen(html), r->d);
    assert_non_null(r->doc);
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

/* The first text item starting with S, and its page (or NULL). */
static const pg_text *find_text(const pages *pg, const char *s, size_t *page_no)
{
    for (size_t p = 0; p < pg->count; p++)
        for (size_t i = 0; i < pg->page[p].count; i++) {
            const pg_item *it = &pg->page[p].item[i];
            if (it->kind == PG_TEXT && it->u.text.len >= strlen(s) &&
                memcmp(it->u.text.text, s, strlen(s)) == 0) {
                if (page_no)
                    *page_no = p;
                return &it->u.text;
            }
        }
    return NULL;
}

static void margins_collapse(void **state)
{
    doc_run r;
    const pg_text *a, *b;

    (void)state;
    lay_out(&r, "p { margin: 10pt 0 } .big { margin-top: 20pt }",
            "<body><p>Một</p><p class=big>Hai</p></body>");
    a = find_text(r.pg, "Một", NULL);
    b = find_text(r.pg, "Hai", NULL);
    assert_non_null(a);
    assert_non_null(b);
    /* one line (12pt) plus max(10, 20) = 20pt between, not 30 */
    assert_true(fabsf((a->y - b->y) - 32.0f) < 0.01f);
    /* the first margin is dropped at the top of the page: baseline within the first line */
    assert_true(a->y > 100 - 10 - 12);
    done(&r);
}

static void alignment(void **state)
{
    doc_run r;
    const pg_text *t;

    (void)state;
    lay_out(&r, ".r { text-align: right } .c { text-align: center }",
            "<body><p class=r>phải</p><p class=c>giữa</p></body>");
    t = find_text(r.pg, "phải", NULL);
    assert_non_null(t);
    assert_true(fabsf(t->x + t->width - 190) < 0.01f);
    t = find_text(r.pg, "giữa", NULL);
    assert_non_null(t);
    assert_true(fabsf(t->x + t->width / 2 - 100) < 0.01f);
    done(&r);
}

static void hidden_and_title(void **state)
{
    doc_run r;

    (void)state;
    lay_out(&r, ".x { display: none }",
            "<html><head><title>Báo cáo</title></head><body><p class=x>ẩn</p><p>hiện</p></body></html>");
    assert_null(find_text(r.pg, "ẩn", NULL));
    assert_non_null(find_text(r.pg, "hiện", NULL));
    assert_non_null(r.pg->title);
    assert_string_equal(r.pg->title, "Báo cáo");
    done(&r);
}

static void heading_kept_with_next(void **state)
{
    doc_run r;
    size_t hp = 9, pp = 9;

    (void)state;
    /* 80pt of content per page (6 lines of 12pt + a bit): 5 lines, then a heading that would
     * end the page, then a paragraph */
    lay_out(&r, "p, h2 { margin: 0; font-size: 10pt }",
            "<body><p>1<br>2<br>3<br>4<br>5</p><h2 id=h>Tiêu đề</h2><p>a<br>b</p></body>");
    assert_non_null(find_text(r.pg, "Tiêu", &hp));
    assert_non_null(find_text(r.pg, "a", &pp));
    assert_int_equal(hp, 1);
    assert_int_equal(pp, 1);
    /* the anchor and the bookmark moved with it */
    assert_int_equal(r.pg->nanchor, 1);
    assert_int_equal(r.pg->anchor[0].page, 1);
    assert_int_equal(r.pg->noutline, 1);
    assert_int_equal(r.pg->outline[0].page, 1);
    assert_string_equal(r.pg->outline[0].title, "Tiêu đề");
    done(&r);
}

static void avoid_break_inside(void **state)
{
    doc_run r;
    size_t p1 = 9, p2 = 9;

    (void)state;
    /* 4 lines, then a 3-line block that must not be split: it moves whole to page 2 */
    lay_out(&r, "p, div { margin: 0 } .k { break-inside: avoid }",
            "<body><p>1<br>2<br>3<br>4</p><div class=k>x<br>y<br>z</div></body>");
    assert_non_null(find_text(r.pg, "x", &p1));
    assert_non_null(find_text(r.pg, "z", &p2));
    assert_int_equal(p1, 1);
    assert_int_equal(p2, 1);
    done(&r);
}

static void orphans_and_widows(void **state)
{
    doc_run r;
    size_t p;

    (void)state;
    /* 6 lines fit a page; 5 lines, then a paragraph of 3: one line would be an orphan, so
     * the paragraph starts page 2 */
    lay_out(&r, "p { margin: 0 }", "<body><p>1<br>2<br>3<br>4<br>5</p><p>a<br>b<br>c</p></body>");
    assert_non_null(find_text(r.pg, "a", &p));
    assert_int_equal(p, 1);
    done(&r);
    /* a paragraph of 8 lines: 6 fit, but then 2 are left (widows 2): fine; with widows 3,
     * page 1 keeps only 5 */
    lay_out(&r, "p { margin: 0; widows: 3 }", "<body><p>1<br>2<br>3<br>4<br>5<br>6<br>7<br>8</p></body>");
    assert_non_null(find_text(r.pg, "6", &p));
    assert_int_equal(p, 1);
    assert_non_null(find_text(r.pg, "5", &p));
    assert_int_equal(p, 0);
    done(&r);
}

static void missing_glyph_warns(void **state)
{
    doc_run r;

    (void)state;
    lay_out(&r, "", "<body>\n<p>tuyết ☃</p></body>");
    assert_non_null(strstr(diag_text(r.d), "test.html:2: warning: no font has U+2603"));
    assert_non_null(find_text(r.pg, "?", NULL) ? find_text(r.pg, "?", NULL)
                                               : find_text(r.pg, "tuyết ?", NULL));
    done(&r);
}

static void page_numbers(void **state)
{
    doc_run r;
    size_t p;

    (void)state;
    lay_out(&r, "@page { @bottom-right { content: counter(page) \"/\" counter(pages) } }\n"
                ".pb { break-before: page }",
            "<body><p>một</p><p class=pb>hai</p></body>");
    assert_int_equal(r.pg->count, 2);
    assert_non_null(find_text(r.pg, "2/2", &p));
    assert_int_equal(p, 1);
    done(&r);
}

/* The largest right edge of the texts on page P. */
static float right_edge(const pages *pg, size_t p)
{
    float r = 0;

    for (size_t i = 0; i < pg->page[p].count; i++) {
        const pg_item *it = &pg->page[p].item[i];
        if (it->kind == PG_TEXT && it->u.text.x + it->u.text.width > r)
            r = it->u.text.x + it->u.text.width;
    }
    return r;
}

#define WIDE                                                                                 \
    "@page wide { size: 400pt 100pt; margin: 20pt }\n"                                       \
    "@page { @bottom-center { content: counter(page) \"/\" counter(pages) } }\n"             \
    "body { margin: 0 5% } .w { page: wide }\n"
#define WORDS "một hai ba bốn năm sáu bảy tám chín mười một hai ba bốn năm sáu bảy tám"

/* A named landscape page between portrait ones: breaks before and after it, its size and
 * side margins, the body's margin resolved against its width, page numbers counting on. */
static void named_page_between(void **state)
{
    doc_run r;
    size_t p;
    const pg_text *t;

    (void)state;
    lay_out(&r, WIDE, "<body><p>Alpha</p><div class=w><p>Beta " WORDS "</p></div>"
                      "<p>Gamma " WORDS "</p></body>");
    assert_int_equal(r.pg->count, 3);
    assert_float_equal(r.pg->page[0].width, 200, 0.01);
    assert_float_equal(r.pg->page[1].width, 400, 0.01);
    assert_float_equal(r.pg->page[1].height, 100, 0.01);
    assert_float_equal(r.pg->page[2].width, 200, 0.01);
    assert_non_null(t = find_text(r.pg, "Alpha", &p));
    assert_int_equal(p, 0);
    assert_float_equal(t->x, 10 + 9, 0.01); /* 5% of 180 */
    assert_non_null(t = find_text(r.pg, "Beta", &p));
    assert_int_equal(p, 1);
    assert_float_equal(t->x, 20 + 18, 0.01); /* 5% of 360 */
    assert_true(right_edge(r.pg, 1) > 200);  /* lines as wide as the landscape page's */
    assert_true(right_edge(r.pg, 1) <= 400 - 20 - 18 + 0.01);
    assert_non_null(t = find_text(r.pg, "Gamma", &p));
    assert_int_equal(p, 2);
    assert_float_equal(t->x, 10 + 9, 0.01);
    assert_true(right_edge(r.pg, 2) <= 200 - 10 - 9 + 0.01);
    assert_non_null(find_text(r.pg, "2/3", &p));
    assert_int_equal(p, 1);
    assert_non_null(find_text(r.pg, "3/3", &p));
    assert_int_equal(p, 2);
    done(&r);
}

/* A table on a named page takes that page's width; a document that starts with a named
 * block starts on that page (no blank page before it). */
static void named_page_table_first(void **state)
{
    doc_run r;
    size_t p;

    (void)state;
    lay_out(&r, WIDE "td { padding: 0 }",
            "<body><table class=w><tr><td>Beta " WORDS "</td><td>Cột hai " WORDS
            "</td></tr></table><p>Gamma</p></body>");
    assert_int_equal(r.pg->count, 2);
    assert_float_equal(r.pg->page[0].width, 400, 0.01);
    assert_float_equal(r.pg->page[1].width, 200, 0.01);
    assert_non_null(find_text(r.pg, "Beta", &p));
    assert_int_equal(p, 0);
    assert_true(right_edge(r.pg, 0) > 200);
    assert_non_null(find_text(r.pg, "Gamma", &p));
    assert_int_equal(p, 1);
    assert_non_null(find_text(r.pg, "1/2", &p));
    assert_int_equal(p, 0);
    done(&r);
}

/* @page NAME:first styles the first page of each run of NAME pages; @page NAME's margin
 * boxes add to the unnamed @page's; a name without an @page rule gets the unnamed style
 * (the break before and after it is still forced). */
static void named_page_first_and_unknown(void **state)
{
    doc_run r;
    size_t p;

    (void)state;
    lay_out(&r, WIDE "@page wide { @top-center { content: \"W\" } }\n"
                     "@page wide:first { @top-center { content: \"F\" } }\n"
                     ".pb { break-before: page } .u { page: nosuch }",
            "<body><p>Alpha</p><div class=w><p>Beta</p><p class=pb>Beta2</p></div>"
            "<p class=u>Delta</p><p>Gamma</p></body>");
    assert_int_equal(r.pg->count, 5);
    assert_float_equal(r.pg->page[1].width, 400, 0.01);
    assert_float_equal(r.pg->page[2].width, 400, 0.01);
    assert_float_equal(r.pg->page[3].width, 200, 0.01);
    assert_non_null(find_text(r.pg, "F", &p));
    assert_int_equal(p, 1);
    assert_non_null(find_text(r.pg, "W", &p));
    assert_int_equal(p, 2);
    assert_non_null(find_text(r.pg, "Beta2", &p));
    assert_int_equal(p, 2);
    assert_non_null(find_text(r.pg, "Delta", &p));
    assert_int_equal(p, 3);
    assert_non_null(find_text(r.pg, "Gamma", &p));
    assert_int_equal(p, 4);
    assert_non_null(find_text(r.pg, "5/5", &p));
    assert_int_equal(p, 4);
    done(&r);
}

/* A space breaks by the white-space of the text it stands in: the space before a nowrap
 * span is a break opportunity, the spaces inside it are not. */
static void nowrap_span_breaks_before(void **state)
{
    doc_run r;
    const pg_text *a, *b;
    int n = 0;

    (void)state;
    lay_out(&r, "p { margin-right: 100pt } .n { white-space: nowrap }",
            "<body><p>aaaa aaaa <span class=n>bbbb cccc dddd</span></p></body>");
    a = find_text(r.pg, "aaaa", NULL);
    b = find_text(r.pg, "bbbb", NULL);
    assert_non_null(a);
    assert_non_null(b);
    assert_true(b->y < a->y - 1);            /* the span starts the second line */
    assert_true(fabsf(b->x - 10) < 0.01f);   /* at its left edge */
    for (size_t i = 0; i < r.pg->page[0].count; i++) {
        const pg_item *it = &r.pg->page[0].item[i];

        if (it->kind == PG_TEXT && fabsf(it->u.text.y - b->y) < 0.01f)
            n += memchr(it->u.text.text, 'd', it->u.text.len) != NULL;
    }
    assert_int_equal(n, 1);                  /* and stays whole on it */
    done(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(margins_collapse),     cmocka_unit_test(alignment),
        cmocka_unit_test(hidden_and_title),     cmocka_unit_test(heading_kept_with_next),
        cmocka_unit_test(missing_glyph_warns),  cmocka_unit_test(page_numbers),
        cmocka_unit_test(avoid_break_inside),   cmocka_unit_test(orphans_and_widows),
        cmocka_unit_test(nowrap_span_breaks_before),
        cmocka_unit_test(named_page_between),  cmocka_unit_test(named_page_table_first),
        cmocka_unit_test(named_page_first_and_unknown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
