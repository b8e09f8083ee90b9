/*
** libFuzzer harness for the CSS parser and the cascade: the input is a style sheet, parsed,
** applied to a small fixed document, and asked for the @page boxes of pages 1 and 2. The
** first byte picks options (cmark's fuzz harness does the same): bit 0 also sets the rest
** of the input as a style="" attribute of one element; bit 1 appends the input to the sheet
** a second time (style_add: re-indexing, later source order). An @import in the input is
** parsed and refused: a sheet given as text reads no file (style.h), so the fuzzer never opens
** a path the input names; the check below traps if one was read.
*/
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "diag.h"
#include "dom.h"
#include "style.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char doc_html[] =
    "<!DOCTYPE html><html><head><title>T</title></head><body class='b'>"
    "<h1 id='t'>Báo cáo <em>năm</em></h1><p class='lead x'>Hợp tác xã <b>tăng</b>"
    "<sup>2</sup> <a href='#t'>liên kết</a></p><ul><li>một</li><li>hai<ol><li>ba</li></ol>"
    "</li></ul><table><thead><tr><th>Tỉnh</th></tr></thead><tbody><tr><td class='num' align='right' width='40'>1"
    "</td></tr></tbody></table><div><section><p id='z' style='color: red'>z</p></section>"
    "</div></body></html>";

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static xmlDoc *doc;
    diag *d = diag_new(NULL, 0);
    unsigned opts = size ? data[0] : 0;
    const char *css = size ? (const char *)data + 1 : "";
    size_t len = size ? size - 1 : 0;
    stylesheet *ss;
    arena *a = arena_new();
    page_style ps;
    xmlNode *body;

    if (!doc)
        doc = dom_from_html("fuzz.html", doc_html, sizeof doc_html - 1, NULL);
    body = dom_body(doc);
    if (opts & 1) {
        char *attr = strndup(css, len);

        xmlSetProp(body, (const xmlChar *)"style", (const xmlChar *)attr);
        free(attr);
    } else {
        xmlUnsetProp(body, (const xmlChar *)"style");
    }
    ss = style_parse("fuzz.css", css, len, d);
    if (ss && (opts & 2))
        style_add(ss, "fuzz2.css", 7, css, len, d);
    if (ss) {
        const style_font_face *ff;
        const style_file *sf;

        style_apply(ss, doc, a, d);
        style_font_faces(ss, &ff);
        if (style_files(ss, &sf) != 0)
            __builtin_trap(); /* text must read no file */
        style_page(ss, style_of(xmlDocGetRootElement(doc)), 1, NULL, 1, &ps, a);
        style_page(ss, style_of(xmlDocGetRootElement(doc)), 3, "x", 1, &ps, a);
        style_page(ss, style_of(xmlDocGetRootElement(doc)), 2, NULL, 2, &ps, a);
    }
    style_free(ss);
    arena_free(a);
    diag_free(d);
    return 0;
}
