/*
** Fuzz harness for the escapers. escape_markdown has an oracle: cmark-gfm (table, strikethrough,
** tasklist, autolink) must give back the input's text, in a paragraph and in a table cell,
** escaped alone and escaped after the text before it (a cell's "| x | ", a list item's "- ").
** escape_html and escape_url outputs must hold no byte that could end their context.
*/
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmark-gfm-core-extensions.h>
#include <cmark-gfm.h>
#include <utf8proc.h>

#include "buf.h"
#include "escape.h"

static char *render(const char *md)
{
    static const char *const ext[] = { "table", "strikethrough", "tasklist", "autolink" };
    cmark_parser *p = cmark_parser_new(CMARK_OPT_DEFAULT);
    cmark_node *doc;
    char *html;

    for (size_t i = 0; i < sizeof ext / sizeof ext[0]; i++)
        cmark_parser_attach_syntax_extension(p, cmark_find_syntax_extension(ext[i]));
    cmark_parser_feed(p, md, strlen(md));
    doc = cmark_parser_finish(p);
    html = cmark_render_html(doc, CMARK_OPT_DEFAULT, cmark_parser_get_syntax_extensions(p));
    cmark_node_free(doc);
    cmark_parser_free(p);
    return html;
}

/* Only text cmark keeps byte for byte: valid UTF-8, no NUL, no other control than TAB, LF,
 * CR, and no '@' (e-mail autolinks cannot be escaped, a documented limit). */
static int oracle_applies(const uint8_t *s, size_t n)
{
    utf8proc_ssize_t i = 0;

    while ((size_t)i < n) {
        utf8proc_int32_t c;
        utf8proc_ssize_t k = utf8proc_iterate(s + i, (utf8proc_ssize_t)(n - (size_t)i), &c);
        if (k < 0)
            return 0;
        if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0x7f || c == '@')
            return 0;
        i += k;
    }
    return 1;
}

static void expected_text(buf *out, const char *v, size_t n)
{
    buf t = BUF_INIT;
    size_t a = 0;
    int bol = 1;

    buf_puts(&t, "");
    for (size_t i = 0; i < n; i++) {
        if (v[i] == '\r' || v[i] == '\n') {
            if (v[i] == '\r' && i + 1 < n && v[i + 1] == '\n')
                i++;
            buf_putc(&t, ' ');
            bol = 1;
        } else if (!(bol && (v[i] == ' ' || v[i] == '\t'))) {
            bol = 0;
            buf_putc(&t, v[i]);
        }
    }
    while (t.len > 0 && (t.ptr[t.len - 1] == ' ' || t.ptr[t.len - 1] == '\t'))
        t.len--;
    while (a < t.len && (t.ptr[a] == ' ' || t.ptr[a] == '\t'))
        a++;
    buf_puts(out, "");
    for (; a < t.len; a++) {
        switch (t.ptr[a]) {
        case '&': buf_puts(out, "&amp;"); break;
        case '<': buf_puts(out, "&lt;"); break;
        case '>': buf_puts(out, "&gt;"); break;
        case '"': buf_puts(out, "&quot;"); break;
        default: buf_putc(out, t.ptr[a]);
        }
    }
    buf_free(&t);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *s = (const char *)data;
    buf b = BUF_INIT, md = BUF_INIT, want = BUF_INIT, text = BUF_INIT;

    cmark_gfm_core_extensions_ensure_registered();
    escape_html(&b, s, size);
    for (size_t i = 0; i < b.len; i++)
        if (strchr("<>\"'", b.ptr[i]) && b.ptr[i])
            abort();
    buf_reset(&b);
    if (escape_url(&b, s, size) == 0)
        for (size_t i = 0; i < b.len; i++)
            if ((unsigned char)b.ptr[i] <= ' ' || (unsigned char)b.ptr[i] >= 0x7f ||
                strchr("<>\"'`", b.ptr[i]))
                abort();
    buf_reset(&b);
    escape_markdown(&b, s, size);
    if (size <= 256 && oracle_applies(data, size)) {
        char *html;
        expected_text(&text, s, size);
        buf_printf(&md, "| A | B |\n|---|---|\n| x | %s |\n", buf_cstr(&b));
        buf_printf(&want,
                   "<table>\n<thead>\n<tr>\n<th>A</th>\n<th>B</th>\n</tr>\n</thead>\n"
                   "<tbody>\n<tr>\n<td>x</td>\n<td>%s</td>\n</tr>\n</tbody>\n</table>\n",
                   text.ptr);
        html = render(md.ptr);
        if (strcmp(html, want.ptr) != 0)
            abort();
        free(html);
        /* escaped after the text before it: the escape reads the line so far */
        buf_reset(&md);
        buf_puts(&md, "| A | B |\n|---|---|\n| x | ");
        escape_markdown(&md, s, size);
        buf_puts(&md, " |\n");
        html = render(md.ptr);
        if (strcmp(html, want.ptr) != 0)
            abort();
        free(html);
        if (text.len) {
            buf_reset(&md);
            buf_reset(&want);
            buf_puts(&md, "- ");
            escape_markdown(&md, s, size);
            buf_printf(&want, "<ul>\n<li>%s</li>\n</ul>\n", text.ptr);
            html = render(buf_cstr(&md));
            if (strcmp(html, want.ptr) != 0)
                abort();
            free(html);
            buf_reset(&md);
            buf_reset(&want);
            buf_printf(&md, "Tên\n%s\n", buf_cstr(&b));
            buf_printf(&want, "<p>Tên\n%s</p>\n", text.ptr);
            html = render(md.ptr);
            if (strcmp(html, want.ptr) != 0)
                abort();
            free(html);
        }
    }
    buf_free(&b);
    buf_free(&md);
    buf_free(&want);
    buf_free(&text);
    return 0;
}
