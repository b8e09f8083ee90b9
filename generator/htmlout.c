/*
** HTML backend: styled DOM → one HTML5 page (after cmark's html.c: one walk, one switch).
**
** The body is serialised first, into its own buffer, because the walk learns what the head
** needs (the first h1 for a missing title, the <style> elements a template put in its body);
** the head is then written and the body appended. Text and attribute values come from the
** DOM as text and are escaped where they land; nothing is re-parsed. What the walk changes:
** tables go inside a scrolling <div class="table-wrap">, header cells get a scope, cells
** whose text is a number get class="num", obsolete presentational attributes (GFM's
** align="right") become classes the backend's sheet styles, chart blocks are expanded
** into inline SVG first (chartdom.c, the same drawing the PDF shows),
** <script> and on* handler attributes are dropped (a report is a static document).
*/
#include "htmlout.h"

#include <assert.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "dom.h"
#include "escape.h"
#include "fileio.h"
#include "style.h"
#include "xalloc.h"

#define HTMLOUT_MAX_FONTS 64     /* a sheet with more font files than this is a mistake */
#define HTMLOUT_MAX_STYLES 64    /* <style> elements kept from one template */
#define HTMLOUT_DEFAULT_TITLE "Báo cáo"
#define HTMLOUT_CHART_FAMILY "\"Liberation Serif\", \"Noto Serif\", serif" /* base.css body */

#ifndef BAOCAO_VERSION
#define BAOCAO_VERSION "0.0.0"
#endif

/* The backend's own sheet, after the report's: only what a screen or the browser's Print
 * needs beyond the shared CSS (which the PDF reads too). Kept short; README-html.md. */
static const char backend_css[] =
    "/* baocao HTML: tables that scroll, charts that shrink, phones, the browser's Print */\n"
    ".table-wrap { overflow-x: auto; max-width: 100%; margin: 6pt 0 }\n"
    ".table-wrap > table { margin: 0 }\n"
    ".table-wrap:focus-visible { outline: 2px solid #1a5fb4; outline-offset: 2px }\n"
    "figure.chart svg { display: block; max-width: 100%; height: auto; margin: 0 auto }\n"
    ".chart-error { border: 0.5pt dashed red; padding: 12pt; text-indent: 0 }\n"
    "/* from align/valign attributes: below every author rule, as the PDF ranks them */\n"
    ":where(.align-left) { text-align: left } :where(.align-center) { text-align: center }\n"
    ":where(.align-right) { text-align: right } :where(.align-justify) { text-align: justify }\n"
    ":where(.valign-top) { vertical-align: top } :where(.valign-middle) { vertical-align: middle }\n"
    ":where(.valign-bottom) { vertical-align: bottom }\n"
    ":where(.valign-baseline) { vertical-align: baseline }\n"
    "td.num, th.num { white-space: nowrap; font-variant-numeric: tabular-nums }\n"
    "@media screen { a[href] { color: #1a4f8b; text-decoration: underline } }\n"
    "@media screen and (max-width: 600px) {\n"
    "  html, body { font-size: 12pt }\n"
    "  body { margin: 4vw auto; padding: 0 4vw; text-align: left }\n"
    "  p { text-indent: 0.6cm }\n"
    "  table { font-size: 11pt }\n"
    "  figure.chart { overflow-x: auto }\n"
    "  figure.chart svg { min-width: 480px }\n"
    "}\n"
    "@media print {\n"
    "  body { max-width: none; margin: 0; padding: 0 }\n"
    "  .table-wrap { overflow: visible }\n"
    "  thead { display: table-header-group }\n"
    "  tr, figure, svg { break-inside: avoid }\n"
    "}\n";

/***  State  ***/

typedef struct font_copy {
    char *src;  /* the font file as the sheet names it (resolved against the sheet's folder) */
    char *name; /* its file name in OUT_ROOT/fonts/ */
} font_copy;

typedef struct writer {
    const htmlout_opts *o;
    diag *d;
    const char *file; /* the document, for messages */
    buf *out;
    buf text;         /* scratch: plain text of cells, headings */
    buf title;        /* the first h1's plain text */
    arena *a;         /* font names; freed with the writer */
    const xmlNode *style[HTMLOUT_MAX_STYLES];
    size_t nstyle;
    int last_level;   /* level of the last heading, 0 before the first */
    unsigned tables;
    int failed;
    int warned_script, warned_handler;
    /* Fonts: the folder the page is in, the folder fonts are copied to (NULL: fonts are
     * referenced where they are), the files referenced. */
    const char *page_dir;
    const char *fonts_dir;
    font_copy font[HTMLOUT_MAX_FONTS];
    size_t nfont;
} writer;

/***  Small helpers  ***/

static int name_is(const xmlNode *n, const char *name)
{
    return n && n->type == XML_ELEMENT_NODE && strcmp((const char *)n->name, name) == 0;
}

static const char *attr(const xmlNode *n, const char *name)
{
    xmlAttr *at = xmlHasProp(n, (const xmlChar *)name);

    if (!at)
        return NULL;
    if (at->children && at->children->type == XML_TEXT_NODE && !at->children->next)
        return (const char *)at->children->content;
    return at->children ? NULL : ""; /* several children: not from the HTML parser */
}

static const xmlNode *first_element(const xmlNode *n)
{
    for (n = n ? n->children : NULL; n; n = n->next)
        if (n->type == XML_ELEMENT_NODE)
            return n;
    return NULL;
}

static const xmlNode *child_named(const xmlNode *n, const char *name)
{
    for (n = n ? n->children : NULL; n; n = n->next)
        if (name_is(n, name))
            return n;
    return NULL;
}

/* Names the serialiser writes: ASCII letters, digits, '-', '_', ':', '.' (anything else
 * would end the tag early or open an attribute; libxml2 may keep such names). */
static int safe_name(const char *s)
{
    if (!*s)
        return 0;
    for (; *s; s++)
        if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9') ||
              *s == '-' || *s == '_' || *s == ':' || *s == '.'))
            return 0;
    return 1;
}

static void put_text(buf *b, const char *s)
{
    escape_html(b, s, strlen(s));
}

static void put_attr_value(buf *b, const char *s)
{
    escape_html_attr(b, s, strlen(s));
}

static const char *plain_of(writer *r, const xmlNode *n)
{
    buf_reset(&r->text);
    dom_plain_text(n, &r->text);
    return buf_cstr(&r->text);
}

/***  Numbers  ***/

static int is_digit(int c)
{
    return c >= '0' && c <= '9';
}

int htmlout_is_number(const char *s, size_t len)
{
    const char *e = s + len;
    size_t group = 0, digits = 0;
    int dotted = 0;

    while (s < e && (*s == ' ' || *s == '\t' || *s == '\n'))
        s++;
    while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\n'))
        e--;
    if (e > s && e[-1] == '%') {
        e--;
        while (e > s && e[-1] == ' ')
            e--;
    } else if (e - s >= 3 && memcmp(e - 3, "\xe2\x80\xaf", 3) == 0) { /* narrow nbsp */
        return 0;
    }
    if (s < e && (*s == '-' || *s == '+'))
        s++;
    else if (e - s >= 3 && memcmp(s, "\xe2\x88\x92", 3) == 0) /* U+2212 minus */
        s += 3;
    for (; s < e && *s != ','; s++) {
        if (is_digit(*s)) {
            group++;
            digits++;
        } else if (*s == '.') {
            if (group == 0 || group > 3 || (dotted && group != 3))
                return 0;
            dotted = 1;
            group = 0;
        } else {
            return 0;
        }
    }
    if (digits == 0 || (dotted && group != 3))
        return 0;
    if (s < e) { /* ',' then at least one digit, nothing else */
        if (++s == e)
            return 0;
        for (; s < e; s++)
            if (!is_digit(*s))
                return 0;
    }
    return 1;
}

/***  Paths and fonts  ***/

/* Splits an absolute, lexically resolved form of PATH into segments stored in SEG (pointers
 * into STORE, which the caller frees). Returns the count. */
static size_t split_path(const char *path, char **store, const char ***seg)
{
    buf b = BUF_INIT;
    size_t n = 0, cap = 16;
    const char **v = xmalloc(cap * sizeof *v);
    char *p, *save = NULL;

    if (path[0] != '/') {
        char cwd[4096];

        if (getcwd(cwd, sizeof cwd))
            buf_puts(&b, cwd);
        buf_putc(&b, '/');
    }
    buf_puts(&b, path);
    *store = buf_detach(&b, NULL);
    for (p = strtok_r(*store, "/", &save); p; p = strtok_r(NULL, "/", &save)) {
        if (strcmp(p, ".") == 0)
            continue;
        if (strcmp(p, "..") == 0) {
            if (n)
                n--;
            continue;
        }
        if (n == cap)
            v = xrealloc(v, (cap *= 2) * sizeof *v);
        v[n++] = p;
    }
    *seg = v;
    return n;
}

/* A URL path segment: unreserved bytes as they are, the rest (spaces, quotes, non-ASCII)
 * percent-encoded, so the URL is safe inside url("…") and an attribute alike. */
static void put_url_segment(buf *b, const char *s)
{
    static const char hex[] = "0123456789ABCDEF";

    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;

        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || is_digit(c) || c == '-' ||
            c == '.' || c == '_' || c == '~')
            buf_putc(b, c);
        else
            buf_printf(b, "%%%c%c", hex[c >> 4], hex[c & 15]);
    }
}

void htmlout_relpath(const char *from_dir, const char *to, buf *out)
{
    char *fs, *ts;
    const char **f, **t;
    size_t nf = split_path(from_dir, &fs, &f), nt = split_path(to, &ts, &t), k = 0;

    while (k < nf && k + 1 < nt && strcmp(f[k], t[k]) == 0)
        k++;
    buf_put(out, "", 0);
    for (size_t i = k; i < nf; i++)
        buf_puts(out, "../");
    for (size_t i = k; i < nt; i++) {
        if (i > k)
            buf_putc(out, '/');
        put_url_segment(out, t[i]);
    }
    free(f);
    free(t);
    free(fs);
    free(ts);
}

static const char *base_name(const char *p)
{
    const char *s = strrchr(p, '/');

    return s ? s + 1 : p;
}

static int is_font_file(const char *p, size_t n)
{
    static const char *const ext[] = { ".ttf", ".otf", ".woff", ".woff2" };

    for (size_t i = 0; i < sizeof ext / sizeof *ext; i++) {
        size_t k = strlen(ext[i]);

        if (n > k && strncasecmp(p + n - k, ext[i], k) == 0)
            return 1;
    }
    return 0;
}

/* Registers the font file SRC for copying and appends its URL from the page to OUT. */
static void put_font_url(writer *r, const char *src, buf *out)
{
    const char *name = base_name(src);
    size_t i;
    buf dst = BUF_INIT;

    if (!r->fonts_dir) {
        htmlout_relpath(r->page_dir, src, out);
        return;
    }
    for (i = 0; i < r->nfont; i++)
        if (strcmp(r->font[i].name, name) == 0)
            break;
    if (i == r->nfont && i < HTMLOUT_MAX_FONTS) {
        r->font[i].src = arena_strdup(r->a, src);
        r->font[i].name = arena_strdup(r->a, name);
        r->nfont++;
    } else if (i == r->nfont) {
        diag_warning(r->d, src, 0, 0, "more than %d font files: not copied", HTMLOUT_MAX_FONTS);
    } else if (strcmp(r->font[i].src, src) != 0) {
        diag_warning(r->d, src, 0, 0, "font file name also used by %s; that one is copied",
                     r->font[i].src);
    }
    buf_printf(&dst, "%s/%s", r->fonts_dir, name);
    htmlout_relpath(r->page_dir, dst.ptr, out);
    buf_free(&dst);
}

static int in_ident(char c)
{
    return c == '-' || c == '_' || ((c | 32) >= 'a' && (c | 32) <= 'z') || is_digit(c);
}

/* "</" anywhere in OUT from START becomes "<\\/" (in a CSS string "\\/" is "/"; elsewhere the
 * sequence is no CSS anyway), so the text cannot end the <style> element it sits in. */
static void close_guard(buf *out, size_t start)
{
    size_t n = 0;

    for (size_t i = start; i + 1 < out->len; i++)
        n += out->ptr[i] == '<' && out->ptr[i + 1] == '/';
    if (!n)
        return;
    buf_grow(out, n);
    for (size_t i = out->len, j = out->len + n; i > start; ) {
        char c = out->ptr[--i];

        if (c == '/' && i > start && out->ptr[i - 1] == '<')
            out->ptr[--j] = c, out->ptr[--j] = '\\';
        else
            out->ptr[--j] = c;
    }
    out->len += n;
    out->ptr[out->len] = '\0';
}

/* Copies CSS[0..LEN) to OUT, rewriting url(…) of font files (resolved against the sheet's
 * folder CSS_DIR) into URLs from the page to the copies. Comments and strings are copied
 * as they are; "</" becomes "<\/" so the text cannot close the <style> element. */
static void put_css(writer *r, const char *css, size_t len, const char *css_dir, buf *out)
{
    size_t i = 0, run = 0, start = out->len;
    buf path = BUF_INIT;

    while (i < len) {
        char c = css[i];

        if (c == '/' && i + 1 < len && css[i + 1] == '*') {
            for (i += 2; i + 1 < len && !(css[i] == '*' && css[i + 1] == '/'); i++)
                ;
            i += 2;
        } else if (c == '"' || c == '\'') {
            for (i++; i < len && css[i] != c && css[i] != '\n'; i++)
                if (css[i] == '\\')
                    i++;
            i++;
        } else if ((c == 'u' || c == 'U') && i + 4 <= len && strncasecmp(css + i, "url(", 4) == 0 &&
                   (i == 0 || !in_ident(css[i - 1]))) {
            size_t s = i + 4, e;
            char q = 0;

            while (s < len && (css[s] == ' ' || css[s] == '\t' || css[s] == '\n'))
                s++;
            if (s < len && (css[s] == '"' || css[s] == '\''))
                q = css[s++];
            for (e = s; e < len && (q ? css[e] != q : css[e] != ')' && css[e] != ' '); e++)
                ;
            {
                size_t close = e + (q != 0);

                while (close < len && css[close] != ')' && css[close] != '\n')
                    close++;
                if (close >= len || css[close] != ')' || !is_font_file(css + s, e - s) ||
                    memchr(css + s, ':', e - s) || memchr(css + s, '\\', e - s)) {
                    i = e > i + 4 ? e : i + 4;
                    continue;
                }
                buf_reset(&path);
                if (css[s] != '/' && css_dir)
                    buf_printf(&path, "%s/", css_dir);
                buf_put(&path, css + s, e - s);
                buf_put(out, css + run, i - run);
                buf_puts(out, "url(\"");
                put_font_url(r, path.ptr, out);
                buf_puts(out, "\")");
                run = i = close + 1;
            }
        } else {
            i++;
        }
        if (i > len)
            i = len;
    }
    buf_put(out, css + run, len - run);
    buf_free(&path);
    close_guard(out, start);
}

/* Copies SRC to DST unless DST has the same size and modification time already (as rsync
 * decides), then gives DST SRC's time. Atomic, so parallel builds may race harmlessly. */
static int copy_if_changed(const char *src, const char *dst, diag *d)
{
    struct stat s, t;
    char *data = NULL;
    size_t len = 0;
    int rc = -1;

    if (stat(src, &s) != 0) {
        diag_error(d, src, 0, 0, "cannot read font: %s", strerror(errno));
        return -1;
    }
    if (stat(dst, &t) == 0 && t.st_size == s.st_size && t.st_mtim.tv_sec == s.st_mtim.tv_sec)
        return 0;
    if (fileio_read(src, &data, &len, d) != 0)
        goto out;
    if (fileio_write_atomic(dst, data, len, d) != 0)
        goto out;
    {
        struct timespec ts[2] = { s.st_atim, s.st_mtim };

        utimensat(AT_FDCWD, dst, ts, 0); /* only a later copy's shortcut depends on it */
    }
    rc = 0;
out:
    free(data);
    return rc;
}

static int copy_fonts(writer *r)
{
    buf dst = BUF_INIT;
    int rc = 0;

    if (!r->fonts_dir || r->nfont == 0)
        return 0;
    if (fileio_mkdirs(r->fonts_dir, r->d) != 0)
        return -1;
    for (size_t i = 0; i < r->nfont; i++) {
        buf_reset(&dst);
        buf_printf(&dst, "%s/%s", r->fonts_dir, r->font[i].name);
        if (copy_if_changed(r->font[i].src, dst.ptr, r->d) != 0)
            rc = -1;
    }
    buf_free(&dst);
    return rc;
}

/***  Tags  ***/

typedef enum tag {
    T_OTHER, T_VOID, T_RAWSKIP, T_STYLE, T_HEADING, T_TABLE, T_ROW, T_TH, T_TD, T_PRE, T_IMG
} tag;

static tag classify(const xmlNode *n)
{
    static const char *const voids[] = { "area", "base", "br", "col", "embed", "hr", "input",
                                         "link", "meta", "source", "track", "wbr", "param" };
    const char *s = (const char *)n->name;

    if (s[0] == 'h' && s[1] >= '1' && s[1] <= '6' && !s[2])
        return T_HEADING;
    if (strcmp(s, "table") == 0)
        return T_TABLE;
    if (strcmp(s, "td") == 0)
        return T_TD;
    if (strcmp(s, "tr") == 0)
        return T_ROW;
    if (strcmp(s, "th") == 0)
        return T_TH;
    if (strcmp(s, "pre") == 0)
        return T_PRE;
    if (strcmp(s, "img") == 0)
        return T_IMG;
    if (strcmp(s, "style") == 0)
        return T_STYLE;
    if (strcmp(s, "script") == 0 || strcmp(s, "noscript") == 0 || strcmp(s, "template") == 0)
        return T_RAWSKIP;
    for (size_t i = 0; i < sizeof voids / sizeof *voids; i++)
        if (strcmp(s, voids[i]) == 0)
            return T_VOID;
    return T_OTHER;
}

/* A presentational attribute (obsolete in HTML5) turned into a class of the backend sheet;
 * NULL when VALUE is not one the sheet knows (the attribute is then dropped). */
static const char *presentational_class(const char *name, const char *value)
{
    static const char *const align[][2] = { { "left", "align-left" },
                                            { "center", "align-center" },
                                            { "right", "align-right" },
                                            { "justify", "align-justify" } };
    static const char *const valign[][2] = { { "top", "valign-top" },
                                             { "middle", "valign-middle" },
                                             { "bottom", "valign-bottom" },
                                             { "baseline", "valign-baseline" } };
    const char *const(*v)[2] = strcmp(name, "valign") == 0 ? valign : align;

    for (int i = 0; i < 4; i++)
        if (strcasecmp(value, v[i][0]) == 0)
            return v[i][1];
    return NULL;
}

/* 1 when attribute NAME holds a URL whose scheme runs script (javascript:, vbscript:), as
 * browsers read it: leading blanks and controls skipped, tabs and newlines inside ignored. */
static int script_url(const char *name, const char *v)
{
    static const char *const url_attrs[] = { "href", "src", "action", "formaction",
                                             "xlink:href", "poster", "cite" };
    static const char *const schemes[] = { "javascript:", "vbscript:" };
    char head[16];
    size_t k = 0, i;

    for (i = 0; i < sizeof url_attrs / sizeof *url_attrs; i++)
        if (strcmp(name, url_attrs[i]) == 0)
            break;
    if (i == sizeof url_attrs / sizeof *url_attrs || !v)
        return 0;
    while (*v && (unsigned char)*v <= ' ')
        v++;
    for (; *v && k < sizeof head - 1; v++)
        if (*v != '\t' && *v != '\n' && *v != '\r')
            head[k++] = (char)(*v | ((*v >= 'A' && *v <= 'Z') ? 32 : 0));
    head[k] = '\0';
    for (i = 0; i < sizeof schemes / sizeof *schemes; i++)
        if (strncmp(head, schemes[i], strlen(schemes[i])) == 0)
            return 1;
    return 0;
}

/* <NAME attributes…> with EXTRA classes merged into class="" and EXTRA_ATTR (already
 * escaped, with its leading space) appended. Handler attributes (on*) are dropped. */
static void open_tag(writer *r, const xmlNode *n, const char *extra, const char *extra_attr)
{
    buf *b = r->out;
    char cls[128] = "";
    const xmlAttr *class_at = NULL;

    if (extra)
        snprintf(cls, sizeof cls, "%s", extra);
    for (const xmlAttr *at = n->properties; at; at = at->next) {
        const char *an = (const char *)at->name, *v = attr(n, an);
        const char *pc;

        if ((strcmp(an, "align") == 0 || strcmp(an, "valign") == 0) && v &&
            strcmp((const char *)n->name, "img") != 0) {
            if ((pc = presentational_class(an, v)))
                snprintf(cls + strlen(cls), sizeof cls - strlen(cls), "%s%s", cls[0] ? " " : "",
                         pc);
        }
    }
    buf_putc(b, '<');
    buf_puts(b, (const char *)n->name);
    for (const xmlAttr *at = n->properties; at; at = at->next) {
        const char *an = (const char *)at->name;

        if (!safe_name(an) || (strcmp(an, "align") == 0 && strcmp((const char *)n->name, "img")) ||
            strcmp(an, "valign") == 0)
            continue;
        if (((an[0] == 'o' || an[0] == 'O') && (an[1] == 'n' || an[1] == 'N')) ||
            script_url(an, attr(n, an))) {
            if (!r->warned_handler++)
                diag_warning(r->d, r->file, n->line, 0,
                             "script attribute %s dropped (reports are static pages)", an);
            continue;
        }
        buf_putc(b, ' ');
        buf_puts(b, an);
        buf_puts(b, "=\"");
        if (strcmp(an, "class") == 0) {
            class_at = at;
            if (attr(n, "class"))
                put_attr_value(b, attr(n, "class"));
            if (cls[0]) {
                buf_putc(b, ' ');
                buf_puts(b, cls);
            }
        } else {
            for (const xmlNode *t = at->children; t; t = t->next)
                if (t->content)
                    put_attr_value(b, (const char *)t->content);
        }
        buf_putc(b, '"');
    }
    if (!class_at && cls[0])
        buf_printf(b, " class=\"%s\"", cls);
    if (extra_attr)
        buf_puts(b, extra_attr);
    buf_putc(b, '>');
}

static void close_tag(writer *r, const xmlNode *n)
{
    buf_printf(r->out, "</%s>", (const char *)n->name);
}

/***  Elements that need more than a tag  ***/

static void enter_heading(writer *r, const xmlNode *n)
{
    int level = n->name[1] - '0';

    if (r->last_level && level > r->last_level + 1)
        diag_warning(r->d, r->file, n->line, 0,
                     "heading level skipped: h%d after h%d (screen readers navigate by level)",
                     level, r->last_level);
    r->last_level = level;
    if (level == 1 && r->title.len == 0)
        buf_puts(&r->title, plain_of(r, n));
    open_tag(r, n, NULL, NULL);
}

/* 1 for a table used for layout (the Nghị định 30 header and signature blocks): marked
 * role="presentation", it is neither a data table to scroll nor one to count. */
static int is_layout_table(const xmlNode *n)
{
    xmlChar *role = xmlGetProp(n, (const xmlChar *)"role");
    int yes = role && strcmp((const char *)role, "presentation") == 0;

    xmlFree(role);
    return yes;
}

/* <div class="table-wrap"> scrolls a wide table sideways; as a scrolling region it takes
 * the keyboard focus and a name (the caption, else "Bảng N"). */
static void enter_table(writer *r, const xmlNode *n)
{
    const xmlNode *cap = child_named(n, "caption");

    if (is_layout_table(n)) {
        open_tag(r, n, NULL, NULL);
        return;
    }
    r->tables++;
    buf_puts(r->out, "<div class=\"table-wrap\" tabindex=\"0\" role=\"region\" aria-label=\"");
    if (cap && *plain_of(r, cap))
        put_attr_value(r->out, buf_cstr(&r->text));
    else
        buf_printf(r->out, "Bảng %u", r->tables);
    buf_puts(r->out, "\">");
    open_tag(r, n, NULL, NULL);
}

/* The row group of cell N: "thead", "tbody", "tfoot" or "table" (rows directly in it). */
static const char *row_group(const xmlNode *cell)
{
    const xmlNode *row = cell->parent, *grp = row ? row->parent : NULL;

    return grp && grp->type == XML_ELEMENT_NODE ? (const char *)grp->name : "";
}

/* 1 when ROW has header cells and no data cell. */
static int row_all_th(const xmlNode *row)
{
    int th = 0;

    for (const xmlNode *c = row->children; c; c = c->next)
        if (name_is(c, "td"))
            return 0;
        else
            th |= name_is(c, "th");
    return th;
}

static void enter_cell(writer *r, const xmlNode *n, int th)
{
    const char *scope = NULL, *text = plain_of(r, n);
    int num = htmlout_is_number(text, r->text.len);

    if (th && !xmlHasProp(n, (const xmlChar *)"scope")) {
        if (strcmp(row_group(n), "thead") == 0 || row_all_th(n->parent))
            scope = " scope=\"col\"";
        else if (first_element(n->parent) == n)
            scope = " scope=\"row\"";
    }
    open_tag(r, n, num ? "num" : NULL, scope);
}

/* A first row of only <th> directly in a <table> that has no <thead>: written inside a
 * <thead>, so the header row is marked as such (and repeats on printed pages). */
static int implied_head_row(const xmlNode *tr)
{
    const xmlNode *t = tr->parent;

    if (!name_is(t, "table") || child_named(t, "thead") || !row_all_th(tr))
        return 0;
    for (const xmlNode *c = t->children; c && c != tr; c = c->next)
        if (name_is(c, "tr") || name_is(c, "tbody"))
            return 0;
    return 1;
}

static void enter_img(writer *r, const xmlNode *n)
{
    if (!xmlHasProp(n, (const xmlChar *)"alt")) {
        diag_warning(r->d, r->file, n->line, 0,
                     "image without alt text: give it one (empty if decorative)");
        open_tag(r, n, NULL, " alt=\"\"");
        return;
    }
    open_tag(r, n, NULL, NULL);
}

/* <pre> drops a newline right after its start tag; keep one that the text starts with. */
static void enter_pre(writer *r, const xmlNode *n)
{
    const xmlNode *t = n->children;

    open_tag(r, n, NULL, NULL);
    while (t && t->type == XML_ELEMENT_NODE && t->children) /* <pre><code>\n… */
        t = t->children;
    if (t && t->type == XML_TEXT_NODE && t->content && t->content[0] == '\n')
        buf_putc(r->out, '\n');
}

/***  The walk  ***/

/* Writes what comes before N's children; 1 when the walk should visit them and then call
 * leave(), 0 when N is done (written whole, or dropped). */
static int enter_element(writer *r, const xmlNode *n)
{
    if (!safe_name((const char *)n->name))
        return 1; /* children only: a name we cannot write safely */
    switch (classify(n)) {
    case T_RAWSKIP:
        if (!r->warned_script++)
            diag_warning(r->d, r->file, n->line, 0, "<%s> dropped (reports are static pages)",
                         (const char *)n->name);
        return 0;
    case T_STYLE:
        if (r->nstyle < HTMLOUT_MAX_STYLES)
            r->style[r->nstyle++] = n; /* moved into <head> */
        else
            diag_warning(r->d, r->file, n->line, 0, "more than %d <style> elements: dropped",
                         HTMLOUT_MAX_STYLES);
        return 0;
    case T_HEADING: enter_heading(r, n); return 1;
    case T_TABLE: enter_table(r, n); return 1;
    case T_TH: enter_cell(r, n, 1); return 1;
    case T_TD: enter_cell(r, n, 0); return 1;
    case T_IMG: enter_img(r, n); return 0;
    case T_VOID: open_tag(r, n, NULL, NULL); return 0;
    case T_PRE: enter_pre(r, n); return 1;
    case T_ROW:
        if (implied_head_row(n))
            buf_puts(r->out, "<thead>");
        open_tag(r, n, NULL, NULL);
        return 1;
    case T_OTHER: open_tag(r, n, NULL, NULL); return 1;
    }
    return 1;
}

static void leave_element(writer *r, const xmlNode *n)
{
    if (!safe_name((const char *)n->name))
        return;
    close_tag(r, n);
    if (name_is(n, "table") && !is_layout_table(n))
        buf_puts(r->out, "</div>");
    else if (name_is(n, "tr") && implied_head_row(n))
        buf_puts(r->out, "</thead>");
}

static int enter(writer *r, const xmlNode *n)
{
    switch (n->type) {
    case XML_ELEMENT_NODE: return enter_element(r, n);
    case XML_TEXT_NODE:
    case XML_CDATA_SECTION_NODE:
        if (n->content)
            put_text(r->out, (const char *)n->content);
        return 0;
    case XML_COMMENT_NODE: /* the author's notes; not part of the report */
    case XML_PI_NODE:
    case XML_DTD_NODE:
    case XML_ENTITY_REF_NODE: /* the HTML parser resolves references; none are left */
        return 0;
    default: assert(!"unhandled node"); return 0;
    }
}

/* Serialises TOP's children (without recursion: nesting may be deep). */
static void walk(writer *r, const xmlNode *top)
{
    const xmlNode *n = top->children;

    while (n) {
        int open = enter(r, n);

        if (open && n->children) {
            n = n->children;
            continue;
        }
        if (open)
            leave_element(r, n);
        while (!n->next) {
            n = n->parent;
            if (n == top)
                return;
            leave_element(r, n);
        }
        n = n->next;
    }
}

/***  The page  ***/

static const xmlNode *find_head(xmlDoc *doc)
{
    const xmlNode *root = xmlDocGetRootElement(doc);

    return root ? child_named(root, "head") : NULL;
}

static void put_title(writer *r, xmlDoc *doc)
{
    const xmlNode *head = find_head(doc), *t = head ? child_named(head, "title") : NULL;
    const char *title = r->o->title;

    if (!title && t && *plain_of(r, t))
        title = buf_cstr(&r->text);
    if (!title && r->title.len)
        title = buf_cstr(&r->title);
    buf_puts(r->out, "<title>");
    put_text(r->out, title && *title ? title : HTMLOUT_DEFAULT_TITLE);
    buf_puts(r->out, "</title>\n");
}

/* Writes file FI of SF[0..N) (a style sheet, then the sheets it imports, as style_files()
 * lists them) with each of its @import rules replaced by the file it imports, inside
 * @media when the rule names media: the page gets the cascade the PDF gets, self-contained
 * (no request for another file, so it works opened from output/ alone). url()s resolve
 * against each file's own folder, as the PDF's @font-face src do. */
static void put_sheet_file(writer *r, const style_file *sf, size_t n, size_t fi)
{
    const char *path = sf[fi].path, *slash = strrchr(path, '/');
    const char *text = sf[fi].text;
    char *dir = slash ? xstrndup(path, (size_t)(slash - path)) : xstrdup(".");
    size_t pos = 0, len = sf[fi].len;

    if (fi > 0) { /* an imported file's byte order mark and @charset mean nothing here */
        if (len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0)
            pos = 3;
        if (len - pos >= 10 && memcmp(text + pos, "@charset \"", 10) == 0 &&
            memchr(text + pos, ';', len - pos))
            pos = (size_t)((const char *)memchr(text + pos, ';', len - pos) - text) + 1;
    }
    for (size_t k = fi + 1; k < n; k++) {
        if (sf[k].parent != fi || sf[k].from < pos)
            continue;
        put_css(r, text + pos, sf[k].from - pos, dir, r->out);
        if (sf[k].media) {
            buf_puts(r->out, "@media ");
            put_css(r, sf[k].media, strlen(sf[k].media), NULL, r->out);
            buf_puts(r->out, " {\n");
        }
        put_sheet_file(r, sf, n, k);
        if (sf[k].media)
            buf_puts(r->out, "\n}");
        pos = sf[k].to;
    }
    put_css(r, text + pos, len - pos, dir, r->out);
    free(dir);
}

static int put_sheet(writer *r)
{
    const htmlout_opts *o = r->o;
    stylesheet *ss = NULL;
    const style_file *sf;
    size_t nf = 0;

    if (o->css_path) { /* the sheet and the sheets it imports */
        if (!(ss = style_read_imports(o->css_path, o->css, o->css_len, r->d)))
            return -1;
        nf = style_files(ss, &sf);
    }
    if (nf || o->css) {
        buf_puts(r->out, "<style>\n");
        if (nf)
            put_sheet_file(r, sf, nf, 0);
        else
            put_css(r, o->css, o->css_len, NULL, r->out);
        buf_puts(r->out, "\n</style>\n");
    }
    buf_puts(r->out, "<style>\n");
    buf_puts(r->out, backend_css);
    buf_puts(r->out, "</style>\n");
    style_free(ss);
    return 0;
}

/* The template's own <style> elements (head first, then those in the body), after both
 * sheets as style_add_document() orders them; url()s resolve against the page. */
static void put_doc_styles(writer *r, const xmlNode *head)
{
    for (const xmlNode *n = head ? head->children : NULL; n; n = n->next)
        if (name_is(n, "style") && r->nstyle < HTMLOUT_MAX_STYLES) {
            memmove(r->style + 1, r->style, r->nstyle * sizeof *r->style);
            r->style[0] = n;
            r->nstyle++;
        }
    for (size_t i = 0; i < r->nstyle; i++) {
        const xmlNode *s = r->style[i];
        const char *media = attr(s, "media");

        buf_reset(&r->text);
        for (const xmlNode *t = s->children; t; t = t->next)
            if ((t->type == XML_TEXT_NODE || t->type == XML_CDATA_SECTION_NODE) && t->content)
                buf_puts(&r->text, (const char *)t->content);
        buf_puts(r->out, "<style");
        if (media) {
            buf_puts(r->out, " media=\"");
            put_attr_value(r->out, media);
            buf_putc(r->out, '"');
        }
        buf_puts(r->out, ">\n");
        put_css(r, r->text.ptr ? r->text.ptr : "", r->text.len, NULL, r->out);
        buf_puts(r->out, "\n</style>\n");
    }
}

static void put_body_open(writer *r, const xmlNode *body)
{
    if (body) {
        open_tag(r, body, NULL, NULL);
        buf_putc(r->out, '\n');
    } else {
        buf_puts(r->out, "<body>\n");
    }
}

static void put_html_open(writer *r, xmlDoc *doc)
{
    const xmlNode *root = xmlDocGetRootElement(doc);
    const char *lang = r->o->lang;

    if (!lang && root)
        lang = attr(root, "lang");
    buf_puts(r->out, "<!DOCTYPE html>\n<html lang=\"");
    put_attr_value(r->out, lang && *lang ? lang : "vi");
    buf_puts(r->out, "\">\n<head>\n<meta charset=\"utf-8\">\n"
                     "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
                     "<meta name=\"generator\" content=\"baocao " BAOCAO_VERSION "\">\n");
}

/* Chart blocks become <figure class="chart"><svg>… in DOC itself (chartdom.c), as
 * render_pdf() does; a second expansion finds nothing to do. 0, or -1 when one failed. */
static int expand_charts(writer *r, xmlDoc *doc)
{
    chartdom_opts co = { 0 };

    if (r->o->chart)
        co = *r->o->chart;
    if (!co.font_family)
        co.font_family = HTMLOUT_CHART_FAMILY;
    return chartdom_expand(doc, r->o->charts, &co, r->d) < 0 ? -1 : 0;
}

static int write_page(writer *r, xmlDoc *doc, buf *out)
{
    buf body = BUF_INIT;
    const xmlNode *bodyn = dom_body(doc);
    int rc = -1;
    size_t errors = diag_errors(r->d);

    if (expand_charts(r, doc) != 0)
        r->failed = 1;
    r->out = &body;
    put_body_open(r, bodyn);
    if (bodyn)
        walk(r, bodyn);
    buf_puts(&body, "\n</body>\n</html>\n");
    r->out = out;
    put_html_open(r, doc);
    put_title(r, doc);
    if (put_sheet(r) != 0)
        goto out;
    put_doc_styles(r, find_head(doc));
    buf_puts(out, "</head>\n");
    buf_put(out, body.ptr, body.len);
    rc = r->failed || diag_errors(r->d) > errors ? -1 : 0;
out:
    buf_free(&body);
    return rc;
}

static void start_writer(writer *r, xmlDoc *doc, const htmlout_opts *o, diag *d)
{
    memset(r, 0, sizeof *r);
    r->o = o;
    r->d = d;
    r->file = doc && doc->URL ? (const char *)doc->URL : "<document>";
    r->a = arena_new();
}

static void end_writer(writer *r)
{
    buf_free(&r->text);
    buf_free(&r->title);
    arena_free(r->a);
}

/* The folder of PATH ("." when it has none). */
static char *dir_of(const char *path)
{
    const char *slash = strrchr(path, '/');

    if (!slash)
        return xstrdup(".");
    return slash == path ? xstrdup("/") : xstrndup(path, (size_t)(slash - path));
}

int htmlout_render(xmlDoc *doc, const htmlout_opts *o, buf *out, diag *d)
{
    static const htmlout_opts none = { 0 };
    writer r;
    char *page_dir = NULL;
    buf fonts = BUF_INIT;
    int rc;

    o = o ? o : &none;
    start_writer(&r, doc, o, d);
    if (o->page_path && strcmp(o->page_path, "-") != 0) {
        page_dir = dir_of(o->page_path);
        buf_printf(&fonts, "%s/fonts", o->out_root ? o->out_root : page_dir);
        r.fonts_dir = buf_cstr(&fonts);
    }
    r.page_dir = page_dir ? page_dir : ".";
    rc = doc ? write_page(&r, doc, out) : -1;
    end_writer(&r);
    free(page_dir);
    buf_free(&fonts);
    return rc;
}

int htmlout_write(xmlDoc *doc, const htmlout_opts *o, const char *path, diag *d)
{
    static const htmlout_opts none = { 0 };
    htmlout_opts po = o ? *o : none;
    writer r;
    buf text = BUF_INIT, fonts = BUF_INIT;
    char *page_dir = NULL;
    int rc = -1;

    po.page_path = path;
    start_writer(&r, doc, &po, d);
    if (strcmp(path, "-") != 0) {
        page_dir = dir_of(path);
        buf_printf(&fonts, "%s/fonts", po.out_root ? po.out_root : page_dir);
        r.fonts_dir = buf_cstr(&fonts);
    }
    r.page_dir = page_dir ? page_dir : ".";
    if (!doc || write_page(&r, doc, &text) != 0)
        goto out;
    if (page_dir && fileio_mkdirs(page_dir, d) != 0)
        goto out;
    if (copy_fonts(&r) != 0)
        goto out;
    rc = fileio_write_atomic(path, text.ptr ? text.ptr : "", text.len, d);
out:
    end_writer(&r);
    buf_free(&text);
    buf_free(&fonts);
    free(page_dir);
    return rc;
}
