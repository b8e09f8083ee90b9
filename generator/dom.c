/*
** The document model: cmark-gfm turns Markdown into HTML, libxml2's HTML parser turns HTML
** into the DOM. Markdown source lines survive the trip through CMARK_OPT_SOURCEPOS: each
** block element's data-sourcepos attribute sets node->line for its subtree, then goes.
*/
#include "dom.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include <cmark-gfm-core-extensions.h>
#include <cmark-gfm.h>
#include <libxml/HTMLparser.h>

#include "xalloc.h"

/* Options for libxml2's HTML parser: never touch the network, keep quiet (problems in
 * HTML are recovered by the parser, as browsers do). */
#define DOM_HTML_OPTIONS (HTML_PARSE_NONET | HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING)

static const char *const extensions[] = { "table", "strikethrough", "autolink", "tagfilter" };

char *dom_html_from_markdown(const char *md, size_t len, int sourcepos, size_t *out_len)
{
    int opts = CMARK_OPT_UNSAFE | CMARK_OPT_VALIDATE_UTF8 | (sourcepos ? CMARK_OPT_SOURCEPOS : 0);
    cmark_parser *p;
    cmark_node *doc;
    char *html, *copy;

    cmark_gfm_core_extensions_ensure_registered();
    p = cmark_parser_new(opts);
    for (size_t k = 0; k < sizeof extensions / sizeof *extensions; k++) {
        cmark_syntax_extension *ext = cmark_find_syntax_extension(extensions[k]);

        if (ext)
            cmark_parser_attach_syntax_extension(p, ext);
    }
    cmark_parser_feed(p, md ? md : "", md ? len : 0);
    doc = cmark_parser_finish(p);
    html = cmark_render_html(doc, opts, cmark_parser_get_syntax_extensions(p));
    cmark_node_free(doc);
    cmark_parser_free(p);
    /* cmark allocates with its own allocator (plain malloc by default); hand back ours */
    copy = xstrdup(html ? html : "");
    free(html);
    if (out_len)
        *out_len = strlen(copy);
    return copy;
}

static xmlDoc *parse_html(const char *name, const char *html, size_t len, diag *d)
{
    xmlDoc *doc;

    if (len > INT_MAX) {
        diag_error(d, name, 0, 0, "document too large (%zu bytes)", len);
        return NULL;
    }
    doc = htmlReadMemory(html ? html : "", (int)len, name, "UTF-8", DOM_HTML_OPTIONS);
    if (!doc || !xmlDocGetRootElement(doc)) {
        diag_error(d, name, 0, 0, "cannot parse the document as HTML");
        xmlFreeDoc(doc);
        return NULL;
    }
    return doc;
}

xmlDoc *dom_from_html(const char *name, const char *html, size_t len, diag *d)
{
    return parse_html(name, html, len, d);
}

static unsigned sourcepos_line(xmlNode *n)
{
    xmlAttr *at = xmlHasProp(n, (const xmlChar *)"data-sourcepos");
    xmlChar *v;
    unsigned line;

    if (!at)
        return 0;
    v = xmlNodeListGetString(n->doc, at->children, 1);
    line = v ? (unsigned)strtoul((const char *)v, NULL, 10) : 0;
    xmlFree(v);
    xmlRemoveProp(at);
    return line;
}

/* Gives every node the Markdown line of its nearest block ancestor with a data-sourcepos
 * (walked without recursion: nesting may be deep). Lines past 65535 are clamped, libxml2's
 * node->line being an unsigned short. */
static void set_md_lines(xmlDoc *doc)
{
    xmlNode *n = xmlDocGetRootElement(doc);
    unsigned short cur = 1;

    while (n) {
        unsigned short line = n->parent && n->parent->type == XML_ELEMENT_NODE
                                  ? n->parent->line : 1;

        if (n->type == XML_ELEMENT_NODE) {
            unsigned l = sourcepos_line(n);

            if (l)
                line = (unsigned short)(l > 65535 ? 65535 : l);
        }
        n->line = line ? line : cur;
        cur = n->line;
        if (n->type == XML_ELEMENT_NODE && n->children) {
            n = n->children;
            continue;
        }
        while (n && !n->next) {
            n = n->parent;
            if (n && n->type == XML_DOCUMENT_NODE)
                n = NULL;
            if (n && n->type == XML_HTML_DOCUMENT_NODE)
                n = NULL;
        }
        if (n)
            n = n->next;
    }
}

xmlDoc *dom_from_markdown(const char *name, const char *md, size_t len, diag *d)
{
    static const char head[] = "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"></head>"
                               "<body>\n";
    static const char tail[] = "</body></html>\n";
    size_t hlen;
    char *html = dom_html_from_markdown(md, len, 1, &hlen);
    buf b = BUF_INIT;
    xmlDoc *doc;

    buf_put(&b, head, sizeof head - 1);
    buf_put(&b, html, hlen);
    buf_put(&b, tail, sizeof tail - 1);
    free(html);
    doc = parse_html(name, b.ptr, b.len, d);
    buf_free(&b);
    if (doc)
        set_md_lines(doc);
    return doc;
}

void dom_free(xmlDoc *doc)
{
    if (doc)
        xmlFreeDoc(doc);
}

xmlNode *dom_body(xmlDoc *doc)
{
    xmlNode *root = doc ? xmlDocGetRootElement(doc) : NULL;

    for (xmlNode *n = root ? root->children : NULL; n; n = n->next)
        if (n->type == XML_ELEMENT_NODE && strcmp((const char *)n->name, "body") == 0)
            return n;
    return NULL;
}

static int is_space(int c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
}

/* Appends S with whitespace collapsed; *SPACE says a space is pending. */
static void put_collapsed(buf *out, size_t start, const char *s, int *space)
{
    for (; *s; s++) {
        if (is_space((unsigned char)*s)) {
            *space = 1;
            continue;
        }
        if (*space && out->len > start)
            buf_putc(out, ' ');
        *space = 0;
        buf_putc(out, *s);
    }
}

static int skipped(const xmlNode *n)
{
    const char *name = (const char *)n->name;

    return strcmp(name, "script") == 0 || strcmp(name, "style") == 0 ||
           strcmp(name, "head") == 0 || strcmp(name, "template") == 0;
}

void dom_plain_text(const xmlNode *top, buf *out)
{
    size_t start = out->len;
    int space = 0;
    const xmlNode *n = top;

    buf_put(out, "", 0); /* NUL-terminated even when nothing is appended */
    while (n) {
        int descend = 0;

        if (n->type == XML_TEXT_NODE || n->type == XML_CDATA_SECTION_NODE) {
            if (n->content)
                put_collapsed(out, start, (const char *)n->content, &space);
        } else if (n->type == XML_ELEMENT_NODE && !skipped(n)) {
            if (strcmp((const char *)n->name, "br") == 0) {
                space = 1;
            } else if (strcmp((const char *)n->name, "img") == 0) {
                xmlChar *alt = xmlGetProp(n, (const xmlChar *)"alt");

                if (alt)
                    put_collapsed(out, start, (const char *)alt, &space);
                xmlFree(alt);
            }
            descend = n->children != NULL;
        } else if (n->type == XML_DOCUMENT_NODE || n->type == XML_HTML_DOCUMENT_NODE) {
            descend = n->children != NULL;
        }
        if (descend) {
            n = n->children;
            continue;
        }
        if (n == top)
            break;
        while (n != top && !n->next)
            n = n->parent;
        n = n == top ? NULL : n->next;
    }
}

xmlNode *dom_next(const xmlNode *n, const xmlNode *top)
{
    if (n->children && n->type == XML_ELEMENT_NODE)
        return n->children;
    while (n && n != top && !n->next)
        n = n->parent;
    return n && n != top ? n->next : NULL;
}

void dom_shift_lines(xmlDoc *doc, unsigned by)
{
    xmlNode *top = doc ? xmlDocGetRootElement(doc) : NULL;

    if (by == 0)
        return;
    for (xmlNode *n = top; n; n = dom_next(n, top))
        if (n->line) {
            unsigned line = n->line + by;

            n->line = (unsigned short)(line > 65535 ? 65535 : line);
        }
}

