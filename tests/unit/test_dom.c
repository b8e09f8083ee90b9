/*
** Unit tests for dom.c: Markdown (with GFM tables) and HTML into the DOM, source lines, the
** plain-text helper, Unicode left as written.
*/
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "diag.h"
#include "dom.h"

/* The first element named NAME in document order. */
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

static xmlNode *next_element(xmlNode *n)
{
    for (n = n->next; n && n->type != XML_ELEMENT_NODE; n = n->next)
        ;
    return n;
}

static const char *plain(xmlNode *n, buf *b)
{
    buf_reset(b);
    dom_plain_text(n, b);
    return buf_cstr(b);
}

static void markdown_blocks_and_lines(void **state)
{
    const char *md = "# Báo cáo tổng kết\n"
                     "\n"
                     "Năm 2023, toàn tỉnh có **337** hợp tác xã, *tăng* ~~12~~ 15.\n"
                     "\n"
                     "- một\n"
                     "- hai\n"
                     "\n"
                     "## Kết quả\n";
    diag *d = diag_new(NULL, 1);
    xmlDoc *doc = dom_from_markdown("r.md", md, strlen(md), d);
    buf b = BUF_INIT;
    xmlNode *h1, *p, *ul, *h2;

    (void)state;
    assert_non_null(doc);
    assert_string_equal((const char *)doc->URL, "r.md");
    h1 = find(xmlDocGetRootElement(doc), "h1");
    assert_non_null(h1);
    assert_int_equal(h1->line, 1);
    assert_null(xmlHasProp(h1, (const xmlChar *)"data-sourcepos"));
    assert_string_equal(plain(h1, &b), "Báo cáo tổng kết");
    p = next_element(h1);
    assert_string_equal((const char *)p->name, "p");
    assert_int_equal(p->line, 3);
    assert_non_null(find(p, "strong"));
    assert_int_equal(find(p, "strong")->line, 3);
    assert_non_null(find(p, "em"));
    assert_non_null(find(p, "del"));
    assert_string_equal(plain(p, &b), "Năm 2023, toàn tỉnh có 337 hợp tác xã, tăng 12 15.");
    ul = next_element(p);
    assert_string_equal((const char *)ul->name, "ul");
    assert_int_equal(ul->line, 5);
    h2 = next_element(ul);
    assert_int_equal(h2->line, 8);
    assert_ptr_equal(dom_body(doc), h1->parent);
    assert_string_equal(diag_text(d), "");
    buf_free(&b);
    dom_free(doc);
    dom_free(NULL);
    diag_free(d);
}

static void gfm_tables(void **state)
{
    const char *md = "Bảng 1\n"
                     "\n"
                     "| Tỉnh | Số HTX |\n"
                     "| :--- | ---: |\n"
                     "| Thái Nguyên | 1.234 |\n"
                     "| Hà Giang | 56 |\n";
    xmlDoc *doc = dom_from_markdown("t.md", md, strlen(md), NULL);
    buf b = BUF_INIT;
    xmlNode *table, *thead, *tbody, *tr, *td;
    xmlChar *align;

    (void)state;
    table = find(xmlDocGetRootElement(doc), "table");
    assert_non_null(table);
    assert_int_equal(table->line, 3);
    thead = find(table, "thead");
    tbody = find(table, "tbody");
    assert_non_null(thead);
    assert_non_null(tbody);
    assert_string_equal(plain(find(thead, "tr"), &b), "Tỉnh Số HTX");
    tr = find(tbody, "tr");
    assert_string_equal(plain(tr, &b), "Thái Nguyên 1.234");
    assert_string_equal(plain(next_element(tr), &b), "Hà Giang 56");
    td = next_element(find(tr, "td"));
    align = xmlGetProp(td, (const xmlChar *)"align");
    assert_non_null(align);
    assert_string_equal((const char *)align, "right");
    xmlFree(align);
    assert_string_equal(plain(table, &b), "Tỉnh Số HTX Thái Nguyên 1.234 Hà Giang 56");
    buf_free(&b);
    dom_free(doc);
}

static void raw_html_chart_and_filter(void **state)
{
    const char *md = "<div class=\"ky\">Chủ tịch <span id=x>Nguyễn Văn A</span></div>\n"
                     "\n"
                     "```chart\n"
                     "type: bar\n"
                     "```\n"
                     "\n"
                     "<script>alert(1)</script>\n";
    size_t n;
    char *html = dom_html_from_markdown(md, strlen(md), 0, &n);
    xmlDoc *doc = dom_from_markdown("c.md", md, strlen(md), NULL);
    xmlNode *div, *code;
    xmlChar *cls;

    (void)state;
    assert_int_equal(n, strlen(html));
    assert_non_null(strstr(html, "<div class=\"ky\">"));
    assert_non_null(strstr(html, "<pre><code class=\"language-chart\">type: bar\n</code></pre>"));
    assert_non_null(strstr(html, "&lt;script>")); /* the tag filter */
    free(html);
    div = find(xmlDocGetRootElement(doc), "div");
    assert_non_null(div);
    assert_non_null(find(div, "span"));
    code = find(xmlDocGetRootElement(doc), "code");
    cls = xmlGetProp(code, (const xmlChar *)"class");
    assert_string_equal((const char *)cls, "language-chart");
    assert_int_equal(code->parent->line, 3);
    xmlFree(cls);
    assert_null(find(dom_body(doc), "script"));
    dom_free(doc);
}

static void unicode_left_as_written(void **state)
{
    /* "Hợp" in NFC and in NFD (o + combining horn + combining dot below) */
    const char *nfc = "H\xe1\xbb\xa3p";
    const char *nfd = "Ho\xcc\x9b\xcc\xa3p";
    buf md = BUF_INIT, b = BUF_INIT;
    xmlDoc *doc;
    xmlNode *p;

    (void)state;
    buf_printf(&md, "%s t\xc3\xa1\x63 x\xc3\xa3\n\n%s\n", nfc, nfd);
    doc = dom_from_markdown("u.md", md.ptr, md.len, NULL);
    p = find(xmlDocGetRootElement(doc), "p");
    assert_string_equal(plain(p, &b), "H\xe1\xbb\xa3p t\xc3\xa1\x63 x\xc3\xa3");
    assert_string_equal(plain(next_element(p), &b), nfd);
    dom_free(doc);
    buf_free(&md);
    buf_free(&b);
}

static void html_documents(void **state)
{
    const char *html = "<!DOCTYPE html>\n<html><head><title>Báo  cáo\n năm</title>\n"
                       "<style>p { color: red }</style></head>\n"
                       "<body>\n<h1 id=t>Tiêu <em>đề</em><br>hai <img alt='ảnh  biểu đồ'></h1>\n"
                       "<p>Không đóng thẻ\n<p>Thứ hai</body></html>";
    diag *d = diag_new(NULL, 1);
    xmlDoc *doc = dom_from_html("r.html", html, strlen(html), d);
    buf b = BUF_INIT;
    xmlNode *h1, *p;

    (void)state;
    assert_non_null(doc);
    assert_string_equal(diag_text(d), "");
    assert_string_equal(plain(find(xmlDocGetRootElement(doc), "title"), &b), "Báo cáo năm");
    h1 = find(xmlDocGetRootElement(doc), "h1");
    assert_int_equal(h1->line, 6);
    assert_string_equal(plain(h1, &b), "Tiêu đề hai ảnh biểu đồ");
    p = find(xmlDocGetRootElement(doc), "p");
    assert_int_equal(p->line, 7);
    assert_string_equal((const char *)next_element(p)->name, "p"); /* implied </p> */
    /* the head's text stays out of the body's plain text; appending keeps what was there */
    buf_reset(&b);
    buf_puts(&b, "[");
    dom_plain_text(xmlDocGetRootElement(doc), &b);
    assert_string_equal(buf_cstr(&b), "[Tiêu đề hai ảnh biểu đồ Không đóng thẻ Thứ hai");
    buf_free(&b);
    dom_free(doc);
    diag_free(d);
}

static void degenerate_inputs(void **state)
{
    diag *d = diag_new(NULL, 1);
    xmlDoc *doc;
    buf b = BUF_INIT;

    (void)state;
    doc = dom_from_markdown("e.md", "", 0, d);
    assert_non_null(doc);
    assert_non_null(dom_body(doc));
    assert_string_equal(plain(dom_body(doc), &b), "");
    dom_free(doc);
    doc = dom_from_markdown("z.md", "a\0b\xff\n", 5, d); /* NUL and bad UTF-8 replaced */
    assert_non_null(doc);
    dom_free(doc);
    doc = dom_from_html("x.html", "plain words", 11, d);
    assert_non_null(doc);
    assert_string_equal(plain(dom_body(doc), &b), "plain words");
    dom_free(doc);
    buf_free(&b);
    diag_free(d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(markdown_blocks_and_lines),
        cmocka_unit_test(gfm_tables),
        cmocka_unit_test(raw_html_chart_and_filter),
        cmocka_unit_test(unicode_left_as_written),
        cmocka_unit_test(html_documents),
        cmocka_unit_test(degenerate_inputs),
    };
    return cmocka_run_group_tests_name("dom", tests, NULL, NULL);
}
