/*
** libFuzzer harness for table (and list) layout: the input bytes drive a generator of tables
** with random spans (0, 1, huge, negative, overlapping), contents (empty, long words, nested
** inline and block elements, <br>), widths (pt, %, attributes), fixed or automatic layout,
** collapsed or separate borders, thead/tfoot anywhere and captions, on pages from tiny to A4
** landscape; then the table model and layout run and their invariants are checked: every
** slot's cell covers it, column widths are finite, non-negative and within the available
** width, every page item has finite coordinates. Fonts come from fonts/ (run from the top).
*/
#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "buf.h"
#include "diag.h"
#include "dom.h"
#include "font.h"
#include "layout.h"
#include "style.h"
#include "tablegrid.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

typedef struct src {
    const uint8_t *p;
    size_t n, i;
} src;

static unsigned take(src *s)
{
    return s->i < s->n ? s->p[s->i++] : 0;
}

static const char *const pages_css[4] = {
    "@page { size: A4; margin: 2cm }",
    "@page { size: A4 landscape; margin: 1cm }",
    "@page { size: 60pt 40pt; margin: 5pt }",
    "@page { size: A6; margin: 0 }",
};
static const char *const table_css[8] = {
    "table { border-collapse: collapse } td, th { border: 0.5pt solid black; padding: 2pt }",
    "table { border-spacing: 3pt; border: 2pt dotted red; padding: 1pt }",
    "table { width: 100%; table-layout: fixed; border-collapse: collapse } td { border: 3pt double blue }",
    "table { width: 50% } td { vertical-align: bottom; background-color: #eee }",
    "table { width: 5000pt } th { vertical-align: baseline } tr { border-top: 4pt solid green; border-collapse: collapse }",
    "td { width: 30%; padding: 10pt } table { table-layout: fixed }",
    "table { border-collapse: collapse; border: 9pt solid black; margin: 0 auto }",
    "td:first-child { width: 400pt } td { text-align: justify; font-size: 30pt }",
};
static const char *const words[16] = {
    "Hà", "Nội", "1.234", "hợp tác xã", "", " ", "Thànhphốrấtdàikhôngcókhoảngtrắngnàocả",
    "<b>đậm</b>", "<br>", "<p>đoạn</p>", "<ul><li>một</li><li>hai</li></ul>", "&nbsp;",
    "<table><tr><td>lồng</td></tr></table>", "<span style=\"font-size: 200pt\">to</span>",
    "<img src=\"x.png\">", "<ol start=3 reversed><li>ba<li value=-7>x</ol>",
};

static void gen(src *s, buf *b)
{
    unsigned rows = take(s) % 40, opt = take(s);

    buf_printf(b, "<html><head><style>%s %s</style></head><body><p>Trước.</p>",
               pages_css[opt & 3], table_css[(opt >> 2) & 7]);
    buf_puts(b, "<table>");
    if (opt & 0x20)
        buf_puts(b, "<caption>Bảng thử</caption>");
    if (opt & 0x40)
        buf_puts(b, "<colgroup><col width=40><col style=\"width: 20%\" span=3></colgroup>");
    for (unsigned r = 0; r < rows && s->i < s->n; r++) {
        unsigned k = take(s), cells = k % 9;
        if (k >= 250)
            buf_puts(b, k == 250 ? "<thead>" : k == 251 ? "<tfoot>" : k == 252 ? "</thead>" :
                        k == 253 ? "<tbody>" : k == 254 ? "</tbody>" : "</tfoot>");
        buf_puts(b, "<tr>");
        for (unsigned c = 0; c < cells; c++) {
            unsigned a = take(s), w = take(s);
            buf_puts(b, a & 1 ? "<th" : "<td");
            if (a & 2)
                buf_printf(b, " colspan=%d", (int)(take(s) % 6) - (a & 64 ? 3 : 0) + (a & 128 ? 2000 : 0));
            if (a & 4)
                buf_printf(b, " rowspan=%d", (int)(take(s) % 5) + (a & 128 ? 70000 : 0));
            if (a & 8)
                buf_printf(b, " width=\"%u%s\"", take(s), a & 16 ? "%" : "");
            buf_putc(b, '>');
            for (unsigned q = 0; q < (w & 3); q++) {
                buf_puts(b, words[(w >> 2) & 15]);
                buf_putc(b, ' ');
                w = take(s);
            }
            buf_puts(b, a & 1 ? "</th>" : "</td>");
        }
        buf_puts(b, "</tr>");
    }
    buf_puts(b, "</table><ol><li>sau</li></ol></body></html>");
}

static fontset *fs;

static void check_grid(const xmlNode *n, float avail)
{
    for (; n; n = n->next) {
        if (n->type == XML_ELEMENT_NODE && strcmp((const char *)n->name, "table") == 0 &&
            style_of(n)) {
            tablegrid *tg = tablegrid_build(n);
            tablegrid_widths(tg, avail, NULL, NULL);
            for (int r = 0; r < (int)tg->nrows; r++)
                for (int c = 0; c < tg->ncols; c++) {
                    const tg_cell *cell = tablegrid_at(tg, r, c);
                    if (cell && (cell->row > r || cell->row + cell->rowspan <= r ||
                                 cell->col > c || cell->col + cell->colspan <= c))
                        abort();
                }
            float sum = 0;
            for (int c = 0; c < tg->ncols; c++) {
                if (!isfinite(tg->colw[c]) || tg->colw[c] < 0)
                    abort();
                sum += tg->colw[c];
            }
            if (!(sum <= avail + 0.5f)) /* spacing and frame may overflow, columns not */
                abort();
            tablegrid_free(tg);
        }
        check_grid(n->children, avail);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    diag *d = diag_new(NULL, 0);
    src s = { data, size, 0 };
    buf html = BUF_INIT;
    static const char faces[] =
        "@font-face { font-family: \"Liberation Serif\"; src: url(fonts/LiberationSerif-Regular.ttf) }\n"
        "@font-face { font-family: \"Liberation Serif\"; font-weight: bold; "
        "src: url(fonts/LiberationSerif-Bold.ttf) }\n"
        "body { font-family: \"Liberation Serif\"; font-size: 11pt }\n";
    stylesheet *ss = style_parse("fuzz.css", faces, sizeof faces - 1, d);
    xmlDoc *doc = NULL;
    arena *a = NULL;
    pages *pg = NULL;

    if (!fs) {
        const style_font_face *ff;
        size_t n = style_font_faces(ss, &ff);
        fs = font_new();
        for (size_t i = 0; i < n; i++)
            font_add(fs, ff[i].family, ff[i].weight, ff[i].italic, ff[i].path, NULL, 0, d);
    }
    gen(&s, &html);
    doc = dom_from_html("fuzz.html", html.ptr, html.len, d);
    if (!doc || style_add_document(ss, doc, d) != 0)
        goto out;
    a = arena_new();
    if (style_apply(ss, doc, a, d) != 0)
        goto out;
    check_grid(xmlDocGetRootElement(doc), 400);
    pg = layout_run(doc, ss, fs, &(layout_opts){ "fuzz.html" }, d);
    for (size_t p = 0; pg && p < pg->count; p++)
        for (size_t i = 0; i < pg->page[p].count; i++) {
            const pg_item *it = &pg->page[p].item[i];
            if (it->kind == PG_TEXT && (!isfinite(it->u.text.x) || !isfinite(it->u.text.y) ||
                                        it->u.text.face < 0 ||
                                        (size_t)it->u.text.face >= font_count(fs)))
                abort();
            if (it->kind == PG_LINE && (!isfinite(it->u.line.y1) || !isfinite(it->u.line.x2)))
                abort();
            if (it->kind == PG_RECT && (!isfinite(it->u.rect.h) || !isfinite(it->u.rect.w)))
                abort();
        }
out:
    pages_free(pg);
    arena_free(a);
    dom_free(doc);
    style_free(ss);
    buf_free(&html);
    diag_free(d);
    return 0;
}
