/*
** Unit tests for style.c: tokens and recovery, selectors and the cascade, values and units,
** shorthands, @page and @font-face, the user-agent sheet.
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
#include <time.h>

#include "arena.h"
#include "diag.h"
#include "dom.h"
#include "style.h"

#define NEAR(a, b) (fabsf((float)(a) - (float)(b)) < 0.01f)

/* A document styled with CSS: its tree, the sheet, an arena and the kept messages. */
typedef struct fixture {
    diag *d;
    stylesheet *ss;
    xmlDoc *doc;
    arena *a;
} fixture;

static void setup(fixture *f, const char *css, const char *html)
{
    f->d = diag_new(NULL, 1);
    f->ss = style_parse("t/x.css", css, strlen(css), f->d);
    assert_non_null(f->ss);
    f->doc = dom_from_html("t/x.html", html, strlen(html), f->d);
    assert_non_null(f->doc);
    f->a = arena_new();
    assert_int_equal(style_apply(f->ss, f->doc, f->a, f->d), 0);
}

static void teardown(fixture *f)
{
    dom_free(f->doc);
    style_free(f->ss);
    arena_free(f->a);
    diag_free(f->d);
}

static xmlNode *find_id(xmlNode *n, const char *id)
{
    for (; n; n = n->next) {
        xmlChar *v;
        xmlNode *r;

        if (n->type != XML_ELEMENT_NODE)
            continue;
        v = xmlGetProp(n, (const xmlChar *)"id");
        if (v && strcmp((const char *)v, id) == 0) {
            xmlFree(v);
            return n;
        }
        xmlFree(v);
        if ((r = find_id(n->children, id)))
            return r;
    }
    return NULL;
}

static const style *st(fixture *f, const char *id)
{
    xmlNode *n = find_id(xmlDocGetRootElement(f->doc), id);
    const style *s;

    assert_non_null(n);
    s = style_of(n);
    assert_non_null(s);
    return s;
}

static const char *msgs(fixture *f)
{
    return diag_text(f->d);
}

/***  Parser  ***/

static void comments_strings_escapes(void **state)
{
    fixture f;

    (void)state;
    setup(&f,
          "/* a comment { p { color: red } */\n"
          "p { font-family: \"Liberation\\20 Serif\", 'Noto Serif', serif; }\n"
          "#b\\31 { color: #0f0 }\n"
          ".c { list-style-type: \"\\2013  \" }\n",
          "<p id=a>x</p><div id=b1>y</div><ul><li id=c class=c>z</li></ul>");
    assert_string_equal(msgs(&f), "");
    assert_string_equal(st(&f, "a")->font_family,
                        "\"Liberation Serif\", \"Noto Serif\", serif");
    assert_int_equal(st(&f, "b1")->color.g, 255);
    assert_int_equal(st(&f, "c")->list_style_type, LIST_STRING);
    assert_string_equal(st(&f, "c")->list_style_string, "\xE2\x80\x93 ");
    teardown(&f);
}

static void recovery_reports_line_and_column(void **state)
{
    fixture f;

    (void)state;
    setup(&f,
          "p { colr: red; color: blue }\n"        /* unknown property at 1:5 */
          "p { margin: 1px 2px 3px 4px 5px }\n"   /* bad value at 2:13 */
          "div { font-size 12pt; color: green }\n" /* missing colon at 3:17 */
          "span { color: red\n"                    /* never closed: error at 4:6 */
          "\n",
          "<p id=p>x</p><div id=d>y</div><span id=s>z</span>");
    assert_string_equal(msgs(&f),
                        "t/x.css:1:5: warning: unknown property 'colr'; declaration ignored\n"
                        "t/x.css:2:13: warning: bad value for 'margin'; declaration ignored\n"
                        "t/x.css:3:17: error: expected ':' after 'font-size'\n"
                        "t/x.css:4:6: error: unclosed block: '}' missing\n");
    /* the good declarations around the bad ones still apply */
    assert_int_equal(st(&f, "p")->color.b, 255);
    assert_int_equal(st(&f, "d")->color.g, 128);
    assert_int_equal(st(&f, "s")->color.r, 255);
    teardown(&f);
}

static void recovery_at_next_rule(void **state)
{
    fixture f;

    (void)state;
    setup(&f,
          "p + p { color: red }\n"
          "p::before { content: 'x' }\n"
          "a[href] { color: red }\n"
          "@keyframes spin { from { color: red } }\n"
          "@media screen { p { color: red } }\n"
          "@media print { p { font-weight: bold } }\n"
          "@import url(other.css);\n"
          "p } { color: red }\n"
          "p { color: #12 }\n"
          "p { text-indent: 2em; }\n",
          "<p id=p>x</p>");
    assert_string_equal(msgs(&f),
                        "t/x.css:1:3: warning: unsupported combinator '+'; rule ignored\n"
                        "t/x.css:2:2: warning: unsupported pseudo-element or pseudo-class; "
                        "rule ignored\n"
                        "t/x.css:3:2: warning: unsupported attribute selector; rule ignored\n"
                        "t/x.css:4:1: warning: unsupported at-rule '@keyframes'; ignored\n"
                        "t/x.css:7:1: warning: @import after other rules or inside a block; ignored (it "
        "must come first, after @charset only)\n"
                        "t/x.css:8:3: error: bad selector\n"
                        "t/x.css:9:12: warning: bad value for 'color'; declaration ignored\n");
    assert_int_equal(st(&f, "p")->color.r, 0);
    assert_int_equal(st(&f, "p")->font_weight, 700);
    assert_true(NEAR(st(&f, "p")->text_indent.v, 24));
    teardown(&f);
}

static void broken_syntax_is_an_error(void **state)
{
    diag *d = diag_new(NULL, 1);
    const char *css = "p { color: \"red\n}\n/* open";
    stylesheet *ss = style_parse("b.css", css, strlen(css), d);

    (void)state;
    assert_non_null(ss);
    assert_string_equal(diag_text(d), "b.css:1:12: error: unterminated string\n"
                                      "b.css:3:1: error: unterminated comment\n");
    assert_int_equal(diag_errors(d), 2);
    style_free(ss);
    style_free(NULL);
    diag_free(d);
}

/***  Selectors and the cascade  ***/

static void selectors_match(void **state)
{
    fixture f;

    (void)state;
    setup(&f,
          "* { orphans: 3 }\n"
          "div p { widows: 4 }\n"
          "div > p { text-indent: 5pt }\n"
          ".x { color: red }\n"
          "p.x.y { color: blue }\n"
          "#z { color: lime }\n"
          "li:first-child { font-weight: bold }\n"
          "li:last-child { font-style: italic }\n"
          "h1, h2 { text-transform: uppercase }\n"
          "section p:first-child > em { text-decoration: line-through }\n"
          "a:hover, h2 { font-style: italic }\n",
          "<div><p id=a class=x>1</p><section><p id=b class='y x'>2 <em id=e>e</em></p>"
          "<p id=c>3</p></section></div>"
          "<ul><li id=l1>a</li><li id=l2>b</li><li id=l3>c</li></ul>"
          "<h1 id=h1>t</h1><h2 id=h2>u</h2><p id=z class=x>z</p>");
    assert_string_equal(msgs(&f), "");
    assert_int_equal(st(&f, "a")->orphans, 3);
    assert_int_equal(st(&f, "a")->widows, 4);
    assert_int_equal(st(&f, "b")->widows, 4);   /* descendant, not a child */
    assert_true(NEAR(st(&f, "a")->text_indent.v, 5));
    assert_true(NEAR(st(&f, "b")->text_indent.v, 0)); /* child only */
    assert_int_equal(st(&f, "a")->color.r, 255);
    assert_int_equal(st(&f, "b")->color.b, 255); /* p.x.y beats .x */
    assert_int_equal(st(&f, "z")->color.g, 255); /* #z beats .x */
    assert_int_equal(st(&f, "l1")->font_weight, 700);
    assert_int_equal(st(&f, "l2")->font_weight, 400);
    assert_int_equal(st(&f, "l3")->font_italic, 1);
    assert_int_equal(st(&f, "l2")->font_italic, 0);
    assert_int_equal(st(&f, "h1")->text_transform, TRANSFORM_UPPERCASE);
    assert_int_equal(st(&f, "h2")->text_transform, TRANSFORM_UPPERCASE);
    assert_int_equal(st(&f, "h2")->font_italic, 1); /* :hover never holds, h2 still does */
    assert_int_equal(st(&f, "e")->text_decoration, DECOR_LINE_THROUGH);
    teardown(&f);
}

static void specificity_then_source_order(void **state)
{
    fixture f;

    (void)state;
    setup(&f,
          "#i { color: red }\n"
          "p.c { color: blue }\n"
          "p { color: green; font-weight: bold !important }\n"
          ".c { font-size: 10pt }\n"
          ".c { font-size: 11pt }\n"
          "#i { font-weight: normal }\n"
          "p { text-align: center !important }\n",
          "<p id=i class=c style='color: navy; text-align: right'>x</p>"
          "<p id=j class=c>y</p>");
    assert_string_equal(msgs(&f), "");
    assert_int_equal(st(&f, "i")->color.b, 128);       /* style="" beats #id */
    assert_int_equal(st(&f, "j")->color.b, 255);       /* p.c beats p */
    assert_true(NEAR(st(&f, "j")->font_size, 11));     /* later wins at equal specificity */
    assert_int_equal(st(&f, "i")->font_weight, 700);   /* !important beats #id */
    assert_int_equal(st(&f, "i")->text_align, ALIGN_CENTER); /* and beats style="" */
    teardown(&f);
}

static void inheritance(void **state)
{
    fixture f;

    (void)state;
    setup(&f,
          "body { color: #336699; font-size: 14pt; line-height: 1.5; text-align: justify;\n"
          "       margin-left: 7pt; border: 1pt solid red; background: yellow }\n"
          "div { font-size: 2em; line-height: 120% }\n"
          "span { margin-left: inherit }\n",
          "<body><p id=p>x <span id=s>y</span></p><div id=d><b id=b>z</b></div></body>");
    assert_string_equal(msgs(&f), "");
    assert_int_equal(st(&f, "p")->color.r, 0x33);
    assert_int_equal(st(&f, "p")->text_align, ALIGN_JUSTIFY);
    assert_true(NEAR(st(&f, "p")->font_size, 14));
    assert_int_equal(st(&f, "p")->line_height_kind, LH_FACTOR);
    assert_true(NEAR(st(&f, "p")->line_height, 1.5));
    /* not inherited */
    assert_true(NEAR(st(&f, "p")->margin[SIDE_LEFT].v, 0));
    assert_true(NEAR(st(&f, "p")->border_width[SIDE_TOP], 0));
    assert_int_equal(st(&f, "p")->background_color.a, 0);
    assert_true(NEAR(st(&f, "s")->margin[SIDE_LEFT].v, 0)); /* inherit from p, not body */
    /* em against the parent's size; a percentage line-height is computed, then inherited */
    assert_true(NEAR(st(&f, "d")->font_size, 28));
    assert_int_equal(st(&f, "b")->line_height_kind, LH_PT);
    assert_true(NEAR(st(&f, "b")->line_height, 33.6));
    teardown(&f);
}

static void text_nodes_use_parent_style(void **state)
{
    fixture f;
    xmlNode *p;

    (void)state;
    setup(&f, "p { font-size: 9pt }", "<p id=p>chữ</p>");
    p = find_id(xmlDocGetRootElement(f.doc), "p");
    assert_non_null(p->children);
    assert_int_equal(p->children->type, XML_TEXT_NODE);
    assert_ptr_equal(style_of(p->children), style_of(p));
    assert_null(style_of((xmlNode *)f.doc));
    assert_null(style_of(NULL));
    teardown(&f);
}

/***  Values  ***/

static void units_to_points(void **state)
{
    fixture f;
    const style *s;

    (void)state;
    setup(&f,
          "html { font-size: 10pt }\n"
          "p { font-size: 20px; margin: 10mm 1cm 1in 2em; padding: 6pc 1rem 50% 0;\n"
          "    text-indent: 3q; width: 80%; max-width: none; min-width: 1ex }\n",
          "<p id=p>x</p>");
    assert_string_equal(msgs(&f), "");
    s = st(&f, "p");
    assert_true(NEAR(s->font_size, 15));
    assert_true(NEAR(s->margin[SIDE_TOP].v, 28.3465));
    assert_true(NEAR(s->margin[SIDE_RIGHT].v, 28.3465));
    assert_true(NEAR(s->margin[SIDE_BOTTOM].v, 72));
    assert_true(NEAR(s->margin[SIDE_LEFT].v, 30));    /* 2em of 15pt */
    assert_int_equal(s->margin[SIDE_LEFT].unit, LEN_PT);
    assert_true(NEAR(s->padding[SIDE_TOP].v, 72));
    assert_true(NEAR(s->padding[SIDE_RIGHT].v, 10));  /* rem: the root's 10pt */
    assert_int_equal(s->padding[SIDE_BOTTOM].unit, LEN_PCT);
    assert_true(NEAR(s->padding[SIDE_BOTTOM].v, 50));
    assert_true(NEAR(s->text_indent.v, 3 * 18 / 25.4));
    assert_int_equal(s->width.unit, LEN_PCT);
    assert_true(NEAR(s->width.v, 80));
    assert_int_equal(s->max_width.unit, LEN_AUTO);
    assert_true(NEAR(s->min_width.v, 7.5));
    teardown(&f);
}

static void font_values(void **state)
{
    fixture f;

    (void)state;
    setup(&f,
          "body { font-size: 12pt; font-weight: 300 }\n"
          "#a { font-size: large; font-weight: bolder }\n"
          "#b { font-size: smaller; font-weight: lighter }\n"
          "#c { font-size: 150%; font-weight: 900 }\n"
          "#d { font: italic bold 10pt/14pt \"Liberation Sans\", sans-serif }\n"
          "#e { font: 8pt serif; }\n"
          "#f { font-style: oblique; line-height: normal }\n"
          "#g { line-height: 2em; font-size: 10pt }\n",
          "<body><p id=a>a</p><p id=b>b</p><p id=c>c</p><p id=d>d</p><p id=e>e</p>"
          "<p id=f>f</p><p id=g>g</p></body>");
    assert_string_equal(msgs(&f), "");
    assert_true(NEAR(st(&f, "a")->font_size, 14.4));
    assert_int_equal(st(&f, "a")->font_weight, 400);
    assert_true(NEAR(st(&f, "b")->font_size, 10));
    assert_int_equal(st(&f, "b")->font_weight, 100);
    assert_true(NEAR(st(&f, "c")->font_size, 18));
    assert_int_equal(st(&f, "c")->font_weight, 900);
    assert_int_equal(st(&f, "d")->font_italic, 1);
    assert_int_equal(st(&f, "d")->font_weight, 700);
    assert_true(NEAR(st(&f, "d")->font_size, 10));
    assert_int_equal(st(&f, "d")->line_height_kind, LH_PT);
    assert_true(NEAR(st(&f, "d")->line_height, 14));
    assert_string_equal(st(&f, "d")->font_family, "\"Liberation Sans\", sans-serif");
    assert_int_equal(st(&f, "e")->font_weight, 400); /* the shorthand resets */
    assert_int_equal(st(&f, "e")->line_height_kind, LH_NORMAL);
    assert_string_equal(st(&f, "e")->font_family, "serif");
    assert_int_equal(st(&f, "f")->font_italic, 1);
    assert_int_equal(st(&f, "f")->line_height_kind, LH_NORMAL);
    assert_true(NEAR(st(&f, "g")->line_height, 20)); /* em against its own size */
    teardown(&f);
}

static void colours(void **state)
{
    fixture f;

    (void)state;
    setup(&f,
          "#a { color: #abc } #b { color: #11223344 } #c { color: rgb(10, 20, 30) }\n"
          "#d { color: rgba(255,0,0,0.5) } #e { color: rgb(100% 0% 50%) }\n"
          "#f { color: transparent } #g { color: Navy; background-color: currentColor }\n"
          "#h { color: DarkOrange; border: thin dotted }\n",
          "<p id=a>a</p><p id=b>b</p><p id=c>c</p><p id=d>d</p><p id=e>e</p><p id=f>f</p>"
          "<p id=g>g</p><p id=h>h</p>");
    assert_string_equal(msgs(&f), "");
    assert_int_equal(st(&f, "a")->color.r, 0xaa);
    assert_int_equal(st(&f, "a")->color.b, 0xcc);
    assert_int_equal(st(&f, "b")->color.a, 0x44);
    assert_int_equal(st(&f, "c")->color.g, 20);
    assert_int_equal(st(&f, "d")->color.a, 128);
    assert_int_equal(st(&f, "e")->color.b, 128);
    assert_int_equal(st(&f, "f")->color.a, 0);
    assert_int_equal(st(&f, "g")->background_color.b, 128);
    assert_int_equal(st(&f, "h")->border_color[SIDE_LEFT].r, 0xff); /* currentColor */
    assert_int_equal(st(&f, "h")->border_color[SIDE_LEFT].g, 0x8c);
    assert_int_equal(st(&f, "h")->border_style[SIDE_LEFT], BORDER_DOTTED);
    assert_true(NEAR(st(&f, "h")->border_width[SIDE_LEFT], 0.75));
    teardown(&f);
}

static void shorthands(void **state)
{
    fixture f;
    const style *s;

    (void)state;
    setup(&f,
          "#a { margin: 1pt 2pt; padding: 1pt 2pt 3pt }\n"
          "#b { margin: 0 auto; border-top: 2pt dashed #f00; border-bottom: medium double }\n"
          "#c { border: 1pt solid; border-width: 1pt 2pt 3pt 4pt; border-left-style: none }\n"
          "#d { border-color: red green; border-style: solid }\n"
          "#e { list-style: square inside } #f { list-style: none } #g { list-style: '- ' }\n"
          "#h { page-break-before: always; page-break-after: avoid; page-break-inside: avoid }\n"
          "#i { break-before: page; break-after: auto; orphans: 3; widows: 4 }\n"
          "#j { text-decoration: underline line-through; vertical-align: super }\n"
          "#k { border-collapse: collapse; border-spacing: 3pt; table-layout: fixed }\n"
          "#l { white-space: pre-wrap; text-align: end; display: none }\n",
          "<p id=a>a</p><p id=b>b</p><p id=c>c</p><p id=d>d</p><ul><li id=e>e</li>"
          "<li id=f>f</li><li id=g>g</li></ul><p id=h>h</p><p id=i>i</p><p id=j>j</p>"
          "<table id=k><tr><td>x</td></tr></table><p id=l>l</p>");
    assert_string_equal(msgs(&f), "");
    s = st(&f, "a");
    assert_true(NEAR(s->margin[0].v, 1) && NEAR(s->margin[1].v, 2) && NEAR(s->margin[2].v, 1) &&
                NEAR(s->margin[3].v, 2));
    assert_true(NEAR(s->padding[0].v, 1) && NEAR(s->padding[1].v, 2) &&
                NEAR(s->padding[2].v, 3) && NEAR(s->padding[3].v, 2));
    s = st(&f, "b");
    assert_int_equal(s->margin[SIDE_LEFT].unit, LEN_AUTO);
    assert_int_equal(s->margin[SIDE_TOP].unit, LEN_PT);
    assert_int_equal(s->border_style[SIDE_TOP], BORDER_DASHED);
    assert_true(NEAR(s->border_width[SIDE_TOP], 2));
    assert_int_equal(s->border_color[SIDE_TOP].r, 255);
    assert_int_equal(s->border_style[SIDE_BOTTOM], BORDER_DOUBLE);
    assert_true(NEAR(s->border_width[SIDE_BOTTOM], 2.25));
    assert_true(NEAR(s->border_width[SIDE_LEFT], 0)); /* style none: width 0 */
    s = st(&f, "c");
    assert_true(NEAR(s->border_width[0], 1) && NEAR(s->border_width[1], 2) &&
                NEAR(s->border_width[2], 3) && NEAR(s->border_width[3], 0));
    s = st(&f, "d");
    assert_int_equal(s->border_color[SIDE_TOP].r, 255);
    assert_int_equal(s->border_color[SIDE_RIGHT].g, 128);
    assert_int_equal(s->border_color[SIDE_BOTTOM].r, 255);
    assert_int_equal(st(&f, "e")->list_style_type, LIST_SQUARE);
    assert_int_equal(st(&f, "f")->list_style_type, LIST_NONE);
    assert_int_equal(st(&f, "g")->list_style_type, LIST_STRING);
    assert_string_equal(st(&f, "g")->list_style_string, "- ");
    s = st(&f, "h");
    assert_int_equal(s->break_before, BREAK_PAGE);
    assert_int_equal(s->break_after, BREAK_AVOID);
    assert_int_equal(s->break_inside, BREAK_AVOID);
    s = st(&f, "i");
    assert_int_equal(s->break_before, BREAK_PAGE);
    assert_int_equal(s->orphans, 3);
    assert_int_equal(s->widows, 4);
    assert_int_equal(st(&f, "j")->text_decoration, DECOR_UNDERLINE | DECOR_LINE_THROUGH);
    assert_int_equal(st(&f, "j")->vertical_align, VALIGN_SUPER);
    s = st(&f, "k");
    assert_int_equal(s->border_collapse, 1);
    assert_true(NEAR(s->border_spacing, 3));
    assert_int_equal(s->table_layout_fixed, 1);
    s = st(&f, "l");
    assert_int_equal(s->white_space, WS_PRE_WRAP);
    assert_int_equal(s->text_align, ALIGN_RIGHT);
    assert_int_equal(s->display, DISPLAY_NONE);
    teardown(&f);
}

static void style_attribute_and_its_warnings(void **state)
{
    fixture f;

    (void)state;
    setup(&f, "",
          "<p>\n<p id=a style='color: red; bogus: 1; margin-top: 3mm'>x</p>\n"
          "<p id=b style='font-size: 16pt !important; display: none'>y</p>");
    assert_string_equal(msgs(&f),
                        "t/x.html:2: warning: unknown property 'bogus'; declaration ignored\n");
    assert_int_equal(st(&f, "a")->color.r, 255);
    assert_true(NEAR(st(&f, "a")->margin[SIDE_TOP].v, 8.5039));
    assert_true(NEAR(st(&f, "b")->font_size, 16));
    assert_int_equal(st(&f, "b")->display, DISPLAY_NONE);
    teardown(&f);
}

static void user_agent_defaults(void **state)
{
    fixture f;
    diag *d = diag_new(NULL, 1);
    stylesheet *ua;

    (void)state;
    ua = style_parse("ua.css", style_ua_sheet, strlen(style_ua_sheet), d);
    assert_string_equal(diag_text(d), ""); /* the built-in sheet is within the subset */
    style_free(ua);
    diag_free(d);
    setup(&f, "",
          "<html><head><title id=t>T</title><style id=st>p{}</style></head><body id=body>"
          "<h1 id=h1>H</h1><h2 id=h2>H</h2><p id=p>a <b id=b>b</b> <i id=i>i</i> "
          "<u id=u>u</u> <sub id=sub>2</sub><sup id=sup>3</sup> <code id=code>c</code> "
          "<a id=a href='#x'>l</a><strong id=strong><em id=em>se</em></strong></p>"
          "<pre id=pre>x</pre><ul id=ul><li id=li>l</li></ul><ol id=ol><li>x</li></ol>"
          "<blockquote id=bq>q</blockquote>"
          "<table id=table><thead id=thead><tr id=tr><th id=th>h</th></tr></thead>"
          "<tbody id=tbody><tr><td id=td>d</td></tr></tbody></table></body></html>");
    assert_string_equal(msgs(&f), "");
    assert_int_equal(st(&f, "t")->display, DISPLAY_NONE);
    assert_int_equal(st(&f, "st")->display, DISPLAY_NONE);
    assert_int_equal(st(&f, "body")->display, DISPLAY_BLOCK);
    assert_true(NEAR(st(&f, "body")->font_size, 12));
    assert_true(NEAR(st(&f, "h1")->font_size, 24));
    assert_true(NEAR(st(&f, "h1")->margin[SIDE_TOP].v, 24 * 0.67));
    assert_int_equal(st(&f, "h1")->font_weight, 700);
    assert_int_equal(st(&f, "h2")->break_after, BREAK_AVOID);
    assert_true(NEAR(st(&f, "p")->margin[SIDE_TOP].v, 12));
    assert_int_equal(st(&f, "p")->display, DISPLAY_BLOCK);
    assert_int_equal(st(&f, "b")->font_weight, 700);
    assert_int_equal(st(&f, "b")->display, DISPLAY_INLINE);
    assert_int_equal(st(&f, "i")->font_italic, 1);
    assert_int_equal(st(&f, "u")->text_decoration, DECOR_UNDERLINE);
    assert_int_equal(st(&f, "sub")->vertical_align, VALIGN_SUB);
    assert_int_equal(st(&f, "sup")->vertical_align, VALIGN_SUPER);
    assert_true(NEAR(st(&f, "sup")->font_size, 10));
    assert_string_equal(st(&f, "code")->font_family, "monospace");
    assert_int_equal(st(&f, "a")->text_decoration, DECOR_UNDERLINE);
    assert_int_equal(st(&f, "em")->font_weight, 700);
    assert_int_equal(st(&f, "em")->font_italic, 1);
    assert_int_equal(st(&f, "pre")->white_space, WS_PRE);
    assert_int_equal(st(&f, "ul")->list_style_type, LIST_DISC);
    assert_int_equal(st(&f, "ol")->list_style_type, LIST_DECIMAL);
    assert_int_equal(st(&f, "li")->display, DISPLAY_LIST_ITEM);
    assert_true(NEAR(st(&f, "ul")->padding[SIDE_LEFT].v, 30));
    assert_true(NEAR(st(&f, "bq")->margin[SIDE_LEFT].v, 30));
    assert_int_equal(st(&f, "table")->display, DISPLAY_TABLE);
    assert_int_equal(st(&f, "thead")->display, DISPLAY_TABLE_HEADER_GROUP);
    assert_int_equal(st(&f, "tbody")->display, DISPLAY_TABLE_ROW_GROUP);
    assert_int_equal(st(&f, "tr")->display, DISPLAY_TABLE_ROW);
    assert_int_equal(st(&f, "th")->display, DISPLAY_TABLE_CELL);
    assert_int_equal(st(&f, "th")->font_weight, 700);
    assert_int_equal(st(&f, "th")->text_align, ALIGN_CENTER);
    assert_int_equal(st(&f, "td")->display, DISPLAY_TABLE_CELL);
    assert_int_equal(st(&f, "td")->font_weight, 400);
    teardown(&f);
}

static void decorations_reach_descendants(void **state)
{
    fixture f;

    (void)state;
    setup(&f, ".s { text-decoration: line-through }",
          "<p><u>a <b id=b>b</b></u> <span class=s><i id=i>i</i></span></p>");
    assert_int_equal(st(&f, "b")->text_decoration, DECOR_UNDERLINE);
    assert_int_equal(st(&f, "i")->text_decoration, DECOR_LINE_THROUGH);
    teardown(&f);
}

static void inherit_initial_unset(void **state)
{
    fixture f;

    (void)state;
    setup(&f,
          "div { color: red; border: 2pt solid blue; padding: 5pt }\n"
          "p { color: initial; border: inherit; padding: unset; font-size: inherit }\n",
          "<div><p id=p>x</p></div>");
    assert_string_equal(msgs(&f), "");
    assert_int_equal(st(&f, "p")->color.r, 0);
    assert_int_equal(st(&f, "p")->border_style[SIDE_TOP], BORDER_SOLID);
    assert_true(NEAR(st(&f, "p")->border_width[SIDE_TOP], 2));
    assert_int_equal(st(&f, "p")->border_color[SIDE_TOP].b, 255);
    assert_true(NEAR(st(&f, "p")->padding[SIDE_TOP].v, 0));
    teardown(&f);
}

/***  @media, @page, @font-face  ***/

static void font_faces_resolve_paths(void **state)
{
    diag *d = diag_new(NULL, 1);
    const char *css = "@font-face { font-family: \"Liberation Serif\"; font-weight: bold;\n"
                      "  font-style: italic; src: url(../fonts/LiberationSerif-BoldItalic.ttf)\n"
                      "  format(\"truetype\") }\n"
                      "@font-face { font-family: Noto Sans; src: url('x.woff2') format('woff2'),\n"
                      "  url(\"/abs/NotoSans-Regular.ttf\") }\n"
                      "@font-face { src: url(a.ttf) }\n";
    stylesheet *ss = style_parse("templates/base.css", css, strlen(css), d);
    const style_font_face *ff;
    size_t n = style_font_faces(ss, &ff);

    (void)state;
    assert_string_equal(diag_text(d), "templates/base.css:6:1: warning: @font-face needs "
                                      "font-family and src; ignored\n");
    assert_int_equal(n, 2);
    assert_string_equal(ff[0].family, "Liberation Serif");
    assert_int_equal(ff[0].weight, 700);
    assert_int_equal(ff[0].italic, 1);
    assert_string_equal(ff[0].path, "templates/../fonts/LiberationSerif-BoldItalic.ttf");
    assert_int_equal(ff[0].line, 1);
    assert_string_equal(ff[1].family, "Noto Sans");
    assert_int_equal(ff[1].weight, 400);
    assert_string_equal(ff[1].path, "/abs/NotoSans-Regular.ttf");
    assert_string_equal(style_name(ss), "templates/base.css");
    style_free(ss);
    ss = style_parse("base.css", css, strlen(css), NULL);
    style_font_faces(ss, &ff);
    assert_string_equal(ff[0].path, "../fonts/LiberationSerif-BoldItalic.ttf");
    style_free(ss);
    diag_free(d);
}

static void page_sizes(void **state)
{
    static const struct {
        const char *css;
        float w, h;
    } cases[] = {
        { "", 595.28f, 841.89f },
        { "@page { size: A5 }", 419.53f, 595.28f },
        { "@page { size: A4 landscape }", 841.89f, 595.28f },
        { "@page { size: landscape }", 841.89f, 595.28f },
        { "@page { size: letter portrait }", 612, 792 },
        { "@page { size: legal }", 612, 1008 },
        { "@page { size: 100mm 50mm }", 283.46f, 141.73f },
        { "@page { size: 5in }", 360, 360 },
    };

    (void)state;
    for (size_t k = 0; k < sizeof cases / sizeof *cases; k++) {
        diag *d = diag_new(NULL, 1);
        stylesheet *ss = style_parse("p.css", cases[k].css, strlen(cases[k].css), d);
        arena *a = arena_new();
        page_style ps;

        style_page(ss, NULL, 1, NULL, 1, &ps, a);
        assert_string_equal(diag_text(d), "");
        if (!NEAR(ps.width, cases[k].w) || !NEAR(ps.height, cases[k].h))
            fail_msg("%s: %g x %g", cases[k].css, ps.width, ps.height);
        style_free(ss);
        arena_free(a);
        diag_free(d);
    }
}

static void page_margins_first_and_boxes(void **state)
{
    const char *css =
        "@page { size: A4; margin: 20mm 15mm 20mm 30mm; font-size: 10pt; color: gray;\n"
        "  @top-center { content: counter(page) }\n"
        "  @bottom-right { content: \"Trang \" counter(page) \" / \" counter(pages);\n"
        "                  font-style: italic; text-align: left } }\n"
        "@page :first { margin-top: 4cm; @top-center { content: none } }\n"
        "@page :left { margin: 0 }\n";
    diag *d = diag_new(NULL, 1);
    stylesheet *ss = style_parse("p.css", css, strlen(css), d);
    arena *a = arena_new();
    style root = { 0 };
    page_style ps;
    const page_box *b;

    (void)state;
    assert_string_equal(diag_text(d), "p.css:6:7: warning: unsupported @page selector; "
                                      "rule ignored\n");
    root.font_size = 14;
    root.font_family = "serif";
    root.font_weight = 400;
    root.color = (rgba){ 0, 0, 0, 255 };
    style_page(ss, &root, 2, NULL, 2, &ps, a);
    assert_true(NEAR(ps.margin[SIDE_TOP], 56.69) && NEAR(ps.margin[SIDE_RIGHT], 42.52) &&
                NEAR(ps.margin[SIDE_BOTTOM], 56.69) && NEAR(ps.margin[SIDE_LEFT], 85.04));
    b = &ps.box[MB_TOP_CENTER];
    assert_true(b->present);
    assert_int_equal(b->ncontent, 1);
    assert_int_equal(b->content[0].kind, CONTENT_PAGE);
    assert_int_equal(b->style.text_align, ALIGN_CENTER);
    assert_true(NEAR(b->style.font_size, 10));
    assert_int_equal(b->style.color.r, 128);
    assert_string_equal(b->style.font_family, "serif");
    b = &ps.box[MB_BOTTOM_RIGHT];
    assert_int_equal(b->ncontent, 4);
    assert_int_equal(b->content[0].kind, CONTENT_STRING);
    assert_string_equal(b->content[0].text, "Trang ");
    assert_int_equal(b->content[1].kind, CONTENT_PAGE);
    assert_string_equal(b->content[2].text, " / ");
    assert_int_equal(b->content[3].kind, CONTENT_PAGES);
    assert_int_equal(b->style.font_italic, 1);
    assert_int_equal(b->style.text_align, ALIGN_LEFT);
    assert_false(ps.box[MB_TOP_LEFT].present);
    assert_int_equal(ps.box[MB_TOP_RIGHT].style.text_align, ALIGN_RIGHT);
    /* page 1: :first wins */
    style_page(ss, &root, 1, NULL, 1, &ps, a);
    assert_true(NEAR(ps.margin[SIDE_TOP], 113.39));
    assert_true(NEAR(ps.margin[SIDE_LEFT], 85.04));
    assert_false(ps.box[MB_TOP_CENTER].present);
    assert_true(ps.box[MB_BOTTOM_RIGHT].present);
    style_free(ss);
    arena_free(a);
    diag_free(d);
}

/* Named pages: @page < @page :first < @page NAME < @page NAME:first, by specificity before
 * source order, !important above all; NAME:first on the first page of a run of NAME pages;
 * margin boxes cascade the same way; a name without a rule gets the unnamed style. */
static void page_named_cascade(void **state)
{
    static const char css[] =
        "@page wide:first { margin-top: 5pt; @top-center { content: \"F\" } }\n"
        "@page wide { size: A4 landscape; margin-left: 1pt; margin-top: 4pt;\n"
        "  @top-center { content: \"W\" } }\n"
        "@page :first { margin-left: 2pt !important; margin-top: 3pt }\n"
        "@page { margin: 10pt; @bottom-center { content: counter(page) } }\n"
        "@page narrow { size: A5 }\n"
        "@page Wide { margin: 0 }\n"
        "@page auto { margin: 0 }\n"
        "@page wide :left { margin: 0 }\n";
    diag *d = diag_new(NULL, 1);
    stylesheet *ss = style_parse("p.css", css, strlen(css), d);
    arena *a = arena_new();
    page_style ps;

    (void)state;
    assert_string_equal(diag_text(d),
                        "p.css:8:7: warning: unsupported @page selector; rule ignored\n"
                        "p.css:9:12: warning: unsupported @page selector; rule ignored\n");
    style_page(ss, NULL, 3, NULL, 3, &ps, a); /* unnamed */
    assert_true(NEAR(ps.width, 595.28) && NEAR(ps.margin[SIDE_TOP], 10));
    assert_false(ps.box[MB_TOP_CENTER].present);
    assert_true(ps.box[MB_BOTTOM_CENTER].present);
    style_page(ss, NULL, 3, "wide", 2, &ps, a); /* a later page of a wide run */
    assert_true(NEAR(ps.width, 841.89) && NEAR(ps.height, 595.28));
    assert_true(NEAR(ps.margin[SIDE_TOP], 4) && NEAR(ps.margin[SIDE_LEFT], 1) &&
                NEAR(ps.margin[SIDE_RIGHT], 10));
    assert_string_equal(ps.box[MB_TOP_CENTER].content[0].text, "W");
    assert_true(ps.box[MB_BOTTOM_CENTER].present);
    style_page(ss, NULL, 3, "wide", 1, &ps, a); /* the run's first page */
    assert_true(NEAR(ps.margin[SIDE_TOP], 5) && NEAR(ps.margin[SIDE_LEFT], 1));
    assert_string_equal(ps.box[MB_TOP_CENTER].content[0].text, "F");
    style_page(ss, NULL, 1, "wide", 1, &ps, a); /* the document's first page too */
    assert_true(NEAR(ps.margin[SIDE_TOP], 5));
    assert_true(NEAR(ps.margin[SIDE_LEFT], 2)); /* !important :first wins */
    style_page(ss, NULL, 1, "narrow", 1, &ps, a);
    assert_true(NEAR(ps.width, 419.53) && NEAR(ps.margin[SIDE_TOP], 3));
    style_page(ss, NULL, 4, "nosuch", 1, &ps, a); /* unknown: the unnamed style */
    assert_true(NEAR(ps.width, 595.28) && NEAR(ps.margin[SIDE_TOP], 10));
    style_page(ss, NULL, 4, "WIDE", 1, &ps, a); /* names are case-sensitive */
    assert_true(NEAR(ps.width, 595.28) && NEAR(ps.margin[SIDE_TOP], 10));
    style_free(ss);
    arena_free(a);
    diag_free(d);
}

/* `page`: auto or a name, not inherited; the used value is the nearest non-auto one. */
static void page_property(void **state)
{
    fixture f;

    (void)state;
    setup(&f, ".w { page: wide } #c { page: auto } #d { page: 3 } #e { page: inherit }",
          "<body id=b><div class=w id=a><p id=c>x</p><p id=d>y</p><p id=e>z</p></div></body>");
    assert_null(st(&f, "b")->page);
    assert_string_equal(st(&f, "a")->page, "wide");
    assert_null(st(&f, "c")->page);
    assert_string_equal(style_used_page(find_id(xmlDocGetRootElement(f.doc), "c")), "wide");
    assert_null(style_used_page(find_id(xmlDocGetRootElement(f.doc), "b")));
    assert_null(st(&f, "d")->page);
    assert_string_equal(st(&f, "e")->page, "wide");
    assert_string_equal(msgs(&f), "t/x.css:1:48: warning: bad value for 'page'; "
                                  "declaration ignored\n");
    teardown(&f);
}

static void media_print_honoured(void **state)
{
    fixture f;

    (void)state;
    setup(&f,
          "@media print { #a { color: red } @media (min-width: 10cm) { #b { color: red } } }\n"
          "@media screen, print { #c { color: red } }\n"
          "@media not print { #d { color: red } }\n"
          "@media only screen and (max-width: 600px) { #e { color: red } }\n"
          "@media all { #f { color: red } }\n"
          "@media print { @page { size: A5 } }\n"
          "@media screen { @page { size: letter } }\n",
          "<p id=a>a</p><p id=b>b</p><p id=c>c</p><p id=d>d</p><p id=e>e</p><p id=f>f</p>");
    assert_string_equal(msgs(&f), "");
    assert_int_equal(st(&f, "a")->color.r, 255);
    assert_int_equal(st(&f, "b")->color.r, 255);
    assert_int_equal(st(&f, "c")->color.r, 255);
    assert_int_equal(st(&f, "d")->color.r, 0);
    assert_int_equal(st(&f, "e")->color.r, 0);
    assert_int_equal(st(&f, "f")->color.r, 255);
    {
        page_style ps;

        style_page(f.ss, NULL, 1, NULL, 1, &ps, f.a);
        assert_true(NEAR(ps.width, 419.53));
    }
    teardown(&f);
}

/***  Speed  ***/

static void cascade_is_fast(void **state)
{
    buf css = BUF_INIT, html = BUF_INIT;
    diag *d = diag_new(NULL, 1);
    stylesheet *ss;
    xmlDoc *doc;
    struct timespec t0, t1;
    double best = 1e9;

    (void)state;
    for (int k = 0; k < 100; k++) /* ~100 rules of the usual kinds */
        buf_printf(&css, "%s%d { margin: %dpt; color: #%06x }\n",
                   k % 4 == 0 ? ".c" : k % 4 == 1 ? "div.c" : k % 4 == 2 ? "section p.k" : "#i",
                   k, k % 7, k * 997);
    buf_puts(&html, "<body>");
    for (int k = 0; k < 60; k++) /* 3 pages: headings and paragraphs */
        buf_printf(&html, "<section class=c%d><h2 id=i%d>Mục %d</h2><p class='k c%d'>Hợp tác "
                          "xã <b>tăng</b> <em>mạnh</em>.</p><p>Đoạn văn.</p></section>",
                   k % 100, k, k, k % 100);
    buf_puts(&html, "</body>");
    ss = style_parse("bench.css", css.ptr, css.len, d);
    doc = dom_from_html("bench.html", html.ptr, html.len, d);
    for (int run = 0; run < 5; run++) {
        arena *a = arena_new();
        double ms;

        clock_gettime(CLOCK_MONOTONIC, &t0);
        assert_int_equal(style_apply(ss, doc, a, d), 0);
        clock_gettime(CLOCK_MONOTONIC, &t1);
        ms = (double)(t1.tv_sec - t0.tv_sec) * 1e3 + (double)(t1.tv_nsec - t0.tv_nsec) / 1e6;
        if (ms < best)
            best = ms;
        arena_free(a);
    }
    print_message("cascade: 100 rules, 3 pages: %.3f ms\n", best);
    assert_true(best < 5); /* under 1 ms in a release build; sanitizers are slower */
    assert_string_equal(diag_text(d), "");
    dom_free(doc);
    style_free(ss);
    buf_free(&css);
    buf_free(&html);
    diag_free(d);
}

static void base_css_is_clean(void **state)
{
    diag *d = diag_new(NULL, 1);
    stylesheet *ss = style_read("templates/base.css", d);
    const char *html = "<h2 id=h>Phần thứ nhất</h2><p id=p>Đoạn</p>"
                       "<table><tr><td id=n class=num>337.082</td><td id=t>Thái Nguyên</td></tr>"
                       "</table>";
    xmlDoc *doc = dom_from_html("b.html", html, strlen(html), d);
    arena *a = arena_new();
    const style_font_face *ff;
    page_style ps;
    fixture f;

    (void)state;
    assert_non_null(ss);
    assert_string_equal(diag_text(d), "");
    assert_int_equal(style_font_faces(ss, &ff), 20);
    assert_string_equal(ff[0].path, "templates/../fonts/LiberationSerif-Regular.ttf");
    assert_int_equal(style_apply(ss, doc, a, d), 0);
    f.doc = doc;
    assert_int_equal(st(&f, "h")->text_transform, TRANSFORM_UPPERCASE);
    assert_int_equal(st(&f, "h")->font_weight, 700);
    assert_int_equal(st(&f, "p")->text_align, ALIGN_JUSTIFY);
    assert_true(NEAR(st(&f, "p")->text_indent.v, 28.3465));
    assert_true(NEAR(st(&f, "p")->font_size, 14));
    assert_true(NEAR(st(&f, "p")->margin[SIDE_TOP].v, 6));
    assert_string_equal(st(&f, "p")->font_family, "\"Liberation Serif\", \"Noto Serif\", serif");
    assert_int_equal(st(&f, "n")->text_align, ALIGN_RIGHT);
    assert_int_equal(st(&f, "t")->text_align, ALIGN_LEFT);
    assert_true(NEAR(st(&f, "t")->border_width[SIDE_LEFT], 0.5));
    assert_true(NEAR(st(&f, "t")->text_indent.v, 0));
    style_page(ss, style_of(xmlDocGetRootElement(doc)), 2, NULL, 2, &ps, a);
    assert_true(NEAR(ps.margin[SIDE_LEFT], 85.04) && NEAR(ps.margin[SIDE_RIGHT], 42.52));
    assert_true(ps.box[MB_TOP_CENTER].present);
    style_page(ss, style_of(xmlDocGetRootElement(doc)), 1, NULL, 1, &ps, a);
    assert_false(ps.box[MB_TOP_CENTER].present);
    dom_free(doc);
    arena_free(a);
    style_free(ss);
    diag_free(d);
}

static void style_elements_of_the_document(void **state)
{
    const char *html = "<html><head>\n"
                       "<style>p { color: red }\n"
                       "  h1 { colour: blue }\n"
                       "  @page { size: A5; @bottom-center { content: counter(page) } }\n"
                       "  @font-face { font-family: X; src: url(f/x.ttf) }</style>\n"
                       "<style media=screen>p { color: green }</style>\n"
                       "<style media='print, screen'>h1 { font-size: 30pt }</style>\n"
                       "</head><body><h1 id=h>T</h1><p id=p style='font-weight: bold'>x</p>"
                       "</body></html>";
    const char *css = "p { color: blue; font-style: italic } h1 { font-size: 10pt }";
    diag *d = diag_new(NULL, 1);
    stylesheet *ss = style_parse("t/base.css", css, strlen(css), d);
    xmlDoc *doc = dom_from_html("r/doc.html", html, strlen(html), d);
    arena *a = arena_new();
    const style_font_face *ff;
    page_style ps;
    fixture f;

    (void)state;
    assert_int_equal(style_add_document(ss, doc, d), 0);
    assert_string_equal(diag_text(d), "r/doc.html:3:8: warning: unknown property 'colour'; "
                                      "declaration ignored\n");
    assert_int_equal(style_apply(ss, doc, a, d), 0);
    f.doc = doc;
    assert_int_equal(st(&f, "p")->color.r, 255);   /* the document's sheet comes later */
    assert_int_equal(st(&f, "p")->font_italic, 1); /* the base sheet still applies */
    assert_int_equal(st(&f, "p")->font_weight, 700);
    assert_true(NEAR(st(&f, "h")->font_size, 30));
    style_page(ss, NULL, 1, NULL, 1, &ps, a);
    assert_true(NEAR(ps.width, 419.53));
    assert_true(ps.box[MB_BOTTOM_CENTER].present);
    assert_int_equal(style_font_faces(ss, &ff), 1);
    assert_string_equal(ff[0].path, "r/f/x.ttf");
    assert_int_equal(ff[0].line, 5);
    assert_int_equal(style_add(NULL, "x", 1, "", 0, d), -1);
    dom_free(doc);
    arena_free(a);
    style_free(ss);
    diag_free(d);
}

static void presentational_attributes(void **state)
{
    fixture f;

    (void)state;
    setup(&f, "td.l { text-align: left }",
          "<table width=80%><tr><th id=h align=right>h</th><th id=h2>h</th></tr>"
          "<tr><td id=a align=right valign=top bgcolor=#ff0000>1</td>"
          "<td id=b align=center class=l width=120>2</td><td id=c align=bogus>3</td>"
          "</tr></table><p id=p align=justify>x</p><img id=i width=96 src=x.png>");
    assert_string_equal(msgs(&f), "");
    assert_int_equal(st(&f, "h")->text_align, ALIGN_RIGHT); /* over the UA's th centre */
    assert_int_equal(st(&f, "h2")->text_align, ALIGN_CENTER);
    assert_int_equal(st(&f, "a")->text_align, ALIGN_RIGHT);
    assert_int_equal(st(&f, "a")->vertical_align, VALIGN_TOP);
    assert_int_equal(st(&f, "a")->background_color.r, 255);
    assert_int_equal(st(&f, "b")->text_align, ALIGN_LEFT);  /* an author rule wins */
    assert_true(NEAR(st(&f, "b")->width.v, 90));
    assert_int_equal(st(&f, "c")->text_align, ALIGN_LEFT);  /* bad value dropped */
    assert_int_equal(st(&f, "p")->text_align, ALIGN_JUSTIFY);
    assert_true(NEAR(st(&f, "i")->width.v, 72));
    teardown(&f);
}

static void read_missing_file(void **state)
{
    diag *d = diag_new(NULL, 1);

    (void)state;
    assert_null(style_read("/nonexistent/x.css", d));
    assert_int_equal(diag_errors(d), 1);
    diag_free(d);
}


/***  @import  ***/

/* DIR/NAME holds TEXT (folders made as needed: NAME may have one "sub/"). */
static void put_file(const char *dir, const char *name, const char *text)
{
    char path[512];
    FILE *f;

    snprintf(path, sizeof path, "%s/%s", dir, name);
    if (strchr(name, '/')) {
        char sub[512];

        snprintf(sub, sizeof sub, "%s/%.*s", dir, (int)(strchr(name, '/') - name), name);
        mkdir(sub, 0777);
    }
    f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

static void remove_tree(const char *dir)
{
    char cmd[600];

    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    assert_int_equal(system(cmd), 0);
}

static void import_cascades_first(void **state)
{
    char dir[] = "/tmp/test_style_XXXXXX", path[600];
    const char *html = "<h1 id=h>T</h1><p id=p>x</p>";
    diag *d = diag_new(NULL, 1);
    stylesheet *ss;
    xmlDoc *doc;
    arena *a = arena_new();
    const style_file *sf;
    const style_font_face *ff;
    fixture f;

    (void)state;
    assert_non_null(mkdtemp(dir));
    put_file(dir, "a.css", "@charset \"utf-8\";\n"
                           "@import url(\"sub/b.css\");\n"
                           "  @import 'c.css' screen;\n"
                           "@import url(d.css) print, tv;\n"
                           "p { color: blue }\n"
                           "@font-face { font-family: A; src: url(f/a.ttf) }\n");
    put_file(dir, "sub/b.css", "p { color: red; font-style: italic }\n"
                               "@font-face { font-family: B; src: url(../f/b.ttf) }\n");
    put_file(dir, "c.css", "p { font-weight: bold }\n@import 'sub/b.css';\n");
    put_file(dir, "d.css", "h1 { color: green } p { color: green }");
    snprintf(path, sizeof path, "%s/a.css", dir);
    ss = style_read(path, d);
    assert_non_null(ss);
    assert_string_equal(diag_text(d), "");
    doc = dom_from_html("i.html", html, strlen(html), d);
    assert_int_equal(style_apply(ss, doc, a, d), 0);
    f.doc = doc;
    assert_int_equal(st(&f, "p")->color.b, 255);   /* a's own rule comes after b and d */
    assert_int_equal(st(&f, "p")->font_italic, 1); /* b's rule cascades */
    assert_int_equal(st(&f, "p")->font_weight, 400); /* c is for screens */
    assert_int_equal(st(&f, "h")->color.g, 128);   /* d: print, tv */
    assert_int_equal(style_font_faces(ss, &ff), 2); /* b's first: imported rules come first */
    snprintf(path, sizeof path, "%s/sub/../f/b.ttf", dir);
    assert_string_equal(ff[0].path, path);          /* resolved against b's folder */
    snprintf(path, sizeof path, "%s/f/a.ttf", dir);
    assert_string_equal(ff[1].path, path);
    assert_int_equal(style_files(ss, &sf), 4);
    snprintf(path, sizeof path, "%s/sub/b.css", dir);
    assert_string_equal(sf[1].path, path);
    assert_int_equal(sf[1].parent, 0);
    assert_true(sf[1].print);
    assert_null(sf[1].media);
    assert_int_equal(sf[1].line, 2);
    assert_int_equal(sf[1].col, 1);
    assert_int_equal(sf[1].from, 18);
    assert_int_equal(sf[1].to, 18 + 25);
    assert_string_equal(sf[2].media, "screen");
    assert_int_equal(sf[2].col, 3);
    assert_false(sf[2].print);
    assert_string_equal(sf[3].media, "print, tv");
    assert_true(sf[3].print);
    assert_int_equal(sf[3].parent, 0);
    assert_string_equal(sf[0].text + sf[3].from, "@import url(d.css) print, tv;\np { color: blue }\n"
                                                  "@font-face { font-family: A; src: url(f/a.ttf) }\n");
    assert_int_equal(sf[3].to - sf[3].from, 29);
    assert_int_equal(sf[0].parent, STYLE_NO_PARENT);
    style_free(ss);
    dom_free(doc);
    arena_free(a);
    /* c.css's @import after a rule is too late: a warning, and b is not read for it */
    diag_clear(d);
    snprintf(path, sizeof path, "%s/c.css", dir);
    ss = style_read(path, d);
    snprintf(path, sizeof path, "%s/c.css:2:1: warning: @import after other rules or inside a "
                                "block; ignored (it must come first, after @charset only)\n", dir);
    assert_string_equal(diag_text(d), path);
    assert_int_equal(style_files(ss, &sf), 1);
    style_free(ss);
    diag_free(d);
    remove_tree(dir);
}

static void import_errors(void **state)
{
    char dir[] = "/tmp/test_style_XXXXXX", path[600], want[2000];
    diag *d = diag_new(NULL, 1);
    stylesheet *ss;
    const style_file *sf;

    (void)state;
    assert_non_null(mkdtemp(dir));
    put_file(dir, "a.css", "@import 'b.css';\np { color: red }\n");
    put_file(dir, "b.css", "/* b */\n  @import url(./sub/../a.css);\n");
    put_file(dir, "m.css", "\n  @import \"nope.css\" print;\n@import 'b.css' { p { x: y } }\n"
                           "@import 'http://example.com/x.css';\n");
    snprintf(path, sizeof path, "%s/a.css", dir);
    ss = style_read(path, d);
    snprintf(want, sizeof want, "%s/b.css:2:3: error: @import cycle: '%s/a.css' imports itself\n",
             dir, dir);
    assert_string_equal(diag_text(d), want);
    assert_int_equal(style_files(ss, &sf), 2);
    style_free(ss);
    diag_clear(d);
    snprintf(path, sizeof path, "%s/m.css", dir);
    ss = style_read(path, d);
    snprintf(want, sizeof want,
             "%s/m.css:2:3: error: cannot read imported style sheet '%s/nope.css': No such file "
             "or directory\n"
             "%s/m.css:3:1: error: @import takes no block; ignored\n"
             "%s/m.css:4:1: error: @import of 'http://example.com/x.css': only local files are "
             "read\n", dir, dir, dir, dir);
    assert_string_equal(diag_text(d), want);
    assert_int_equal(style_files(ss, &sf), 1);
    style_free(ss);
    /* deeper than 16: s0 imports s1 ... imports s20 */
    for (int k = 0; k < 20; k++) {
        char name[32], text[64];

        snprintf(name, sizeof name, "s%d.css", k);
        snprintf(text, sizeof text, "@import 's%d.css';\n", k + 1);
        put_file(dir, name, text);
    }
    put_file(dir, "s20.css", "p { color: red }");
    diag_clear(d);
    snprintf(path, sizeof path, "%s/s0.css", dir);
    ss = style_read(path, d);
    snprintf(want, sizeof want, "%s/s15.css:1:1: error: @import of '%s/s16.css' nested deeper "
                                "than 16 sheets\n", dir, dir);
    assert_string_equal(diag_text(d), want);
    assert_int_equal(style_files(ss, &sf), 16);
    style_free(ss);
    /* the HTML backend's reading: imports only, other messages are not repeated */
    diag_clear(d);
    snprintf(path, sizeof path, "%s/a.css", dir);
    ss = style_read_imports(path, "@import 'b.css'; p { colour: red } @import 'x.css';", 51, d);
    snprintf(want, sizeof want, "%s/b.css:2:3: error: @import cycle: '%s/a.css' imports itself\n",
             dir, dir);
    assert_string_equal(diag_text(d), want);
    assert_int_equal(style_files(ss, &sf), 2);
    style_free(ss);
    diag_free(d);
    remove_tree(dir);
}

/* A sheet given as text reads no file: a fuzzer's or a document's @import cannot open a path. */
static void import_in_text_reads_nothing(void **state)
{
    const char *css = "@import '/etc/passwd';\np { color: red }";
    diag *d = diag_new(NULL, 1);
    stylesheet *ss = style_parse("t/x.css", css, strlen(css), d);
    const style_file *sf;

    (void)state;
    assert_string_equal(diag_text(d), "t/x.css:1:1: error: @import of '/etc/passwd' in a style "
                                      "sheet given as text reads no file; ignored\n");
    assert_int_equal(style_files(ss, &sf), 0);
    style_free(ss);
    diag_free(d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(comments_strings_escapes),
        cmocka_unit_test(recovery_reports_line_and_column),
        cmocka_unit_test(recovery_at_next_rule),
        cmocka_unit_test(broken_syntax_is_an_error),
        cmocka_unit_test(selectors_match),
        cmocka_unit_test(specificity_then_source_order),
        cmocka_unit_test(inheritance),
        cmocka_unit_test(text_nodes_use_parent_style),
        cmocka_unit_test(units_to_points),
        cmocka_unit_test(font_values),
        cmocka_unit_test(colours),
        cmocka_unit_test(shorthands),
        cmocka_unit_test(style_attribute_and_its_warnings),
        cmocka_unit_test(user_agent_defaults),
        cmocka_unit_test(decorations_reach_descendants),
        cmocka_unit_test(inherit_initial_unset),
        cmocka_unit_test(font_faces_resolve_paths),
        cmocka_unit_test(page_sizes),
        cmocka_unit_test(page_margins_first_and_boxes),
        cmocka_unit_test(page_named_cascade),
        cmocka_unit_test(page_property),
        cmocka_unit_test(media_print_honoured),
        cmocka_unit_test(cascade_is_fast),
        cmocka_unit_test(base_css_is_clean),
        cmocka_unit_test(style_elements_of_the_document),
        cmocka_unit_test(presentational_attributes),
        cmocka_unit_test(read_missing_file),
        cmocka_unit_test(import_cascades_first),
        cmocka_unit_test(import_errors),
        cmocka_unit_test(import_in_text_reads_nothing),
    };
    return cmocka_run_group_tests_name("style", tests, NULL, NULL);
}
