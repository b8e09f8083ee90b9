/*
** Charts in the document model. The blocks are collected first and replaced afterwards, so
** the walk never runs over nodes it has just freed. Each chart is drawn with its own arena
** (spec strings, series) and its SVG text parsed back with libxml2 (no network, no DTD) and
** copied into the document, namespace and all; the SVG keeps its <title>/<desc>.
*/
#include "chartdom.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>

#include "buf.h"
#include "xalloc.h"

/***  Finding the blocks  ***/

static int is_named(const xmlNode *n, const char *name)
{
    return n && n->type == XML_ELEMENT_NODE && n->name &&
           strcmp((const char *)n->name, name) == 0;
}

/* CLASS attribute of N has the whitespace-separated token TOK. */
static int has_class(const xmlNode *n, const char *tok)
{
    xmlChar *c = xmlGetProp(n, (const xmlChar *)"class");
    size_t k = strlen(tok);
    int found = 0;

    for (const char *p = (const char *)c; p && *p && !found;) {
        size_t m;
        while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r' || *p == '\f')
            p++;
        m = strcspn(p, " \t\n\r\f");
        found = m == k && memcmp(p, tok, k) == 0;
        p += m;
    }
    xmlFree(c);
    return found;
}

static int has_data_attr(const xmlNode *n)
{
    for (const xmlAttr *a = n->properties; a; a = a->next)
        if (strncmp((const char *)a->name, "data-", 5) == 0)
            return 1;
    return 0;
}

/* The block a chart replaces: the <pre> around <code class="language-chart">, or the
 * <figure class="chart" data-…> itself. NULL when N is no chart. */
static xmlNode *chart_block(xmlNode *n)
{
    if (is_named(n, "code") && is_named(n->parent, "pre") && has_class(n, "language-chart"))
        return n->parent;
    if (is_named(n, "figure") && has_class(n, "chart") && has_data_attr(n))
        return n;
    return NULL;
}

/* Every chart block of DOC, in document order (the caller frees the array). */
static xmlNode **collect(xmlDoc *doc, size_t *count, const char *file, diag *d)
{
    xmlNode **v = NULL, *n = doc->children;
    size_t cap = 0;

    *count = 0;
    while (n) {
        xmlNode *b = n->type == XML_ELEMENT_NODE ? chart_block(n) : NULL;
        if (b && *count == CHARTDOM_MAX_CHARTS) {
            diag_error(d, file, (unsigned)xmlGetLineNo(b), 0,
                       "more than %d charts in one document; the rest are left out",
                       CHARTDOM_MAX_CHARTS);
            break;
        }
        if (b) {
            if (*count == cap) {
                cap = cap ? cap * 2 : 8;
                v = xrealloc(v, cap * sizeof *v);
            }
            v[(*count)++] = b;
        }
        if (!b && n->type == XML_ELEMENT_NODE && n->children) { /* no charts in charts */
            n = n->children;
            continue;
        }
        while (n && !n->next) {
            n = n->parent;
            if (n == (xmlNode *)doc)
                n = NULL;
        }
        if (n)
            n = n->next;
    }
    return v;
}

/***  Inline rows  ***/

static int is_blank(int c)
{
    return c == ' ' || c == '\t' || c == '\r';
}

static void trim(const char **s, size_t *n)
{
    while (*n > 0 && is_blank((unsigned char)**s))
        (*s)++, (*n)--;
    while (*n > 0 && is_blank((unsigned char)(*s)[*n - 1]))
        (*n)--;
}

/* The line "rows:" (blanks around allowed) ends the chart's keys; *AT is its offset and
 * *BODY the offset of the line after it. 0 when found. */
static int find_rows(const char *t, size_t len, size_t *at, size_t *body, unsigned *skip)
{
    unsigned ln = 0;

    for (size_t p = 0; p < len; ln++) {
        const char *e = memchr(t + p, '\n', len - p), *s = t + p;
        size_t n = (e ? (size_t)(e - t) : len) - p;

        trim(&s, &n);
        if (n == 5 && memcmp(s, "rows:", 5) == 0) {
            *at = p;
            *body = e ? (size_t)(e - t) + 1 : len;
            *skip = ln + 1;
            return 0;
        }
        p = e ? (size_t)(e - t) + 1 : len;
    }
    return -1;
}

/* A value: a plain number (strtod in the C locale), or empty / "-" / "–" for missing. */
static int parse_value(const char *s, size_t n, double *v)
{
    char tmp[64], *end;

    if (n == 0 || (n == 1 && s[0] == '-') || (n == 3 && memcmp(s, "\xe2\x80\x93", 3) == 0)) {
        *v = NAN;
        return 0;
    }
    if (n >= sizeof tmp)
        return -1;
    memcpy(tmp, s, n);
    tmp[n] = 0;
    *v = strtod(tmp, &end);
    return end == tmp + n && isfinite(*v) && !memchr(tmp, 'x', n) && !memchr(tmp, 'X', n) ? 0
                                                                                        : -1;
}

/* One row LINE[0..N) (line number LN) into label *LBL and values V[0..ny). */
static int parse_row(const char *line, size_t n, unsigned col0, const char *file, unsigned ln,
                     const chart_spec *spec, arena *a, const char **lbl, double *v, diag *d)
{
    const char *colon = NULL, *s = line;
    size_t ln_len, k = 0;

    for (size_t i = 0; i < n; i++)
        if (line[i] == ':')
            colon = line + i; /* the last one: labels may hold ':', numbers never do */
    if (!colon) {
        diag_error(d, file, ln, col0 + 1, "expected 'label: value' in chart rows");
        return -1;
    }
    ln_len = (size_t)(colon - line);
    trim(&s, &ln_len);
    if (ln_len == 0) {
        diag_error(d, file, ln, col0 + 1, "empty label in chart rows");
        return -1;
    }
    *lbl = arena_strndup(a, s, ln_len);
    for (const char *p = colon + 1, *end = line + n;; k++) {
        const char *c = memchr(p, ',', (size_t)(end - p)), *vs = p;
        size_t vn = (size_t)((c ? c : end) - p);
        trim(&vs, &vn);
        if (k >= spec->ny) {
            diag_error(d, file, ln, col0 + (unsigned)(p - line) + 1,
                       "more values than y columns (%zu) in chart row", spec->ny);
            return -1;
        }
        if (parse_value(vs, vn, &v[k]) != 0) {
            diag_error(d, file, ln, col0 + (unsigned)(vs - line) + 1,
                       "not a number in chart row: '%.*s' (write 1234.5; '-' when missing)",
                       (int)vn, vs);
            return -1;
        }
        if (!c)
            break;
        p = c + 1;
    }
    if (k + 1 < spec->ny) {
        diag_error(d, file, ln, col0 + (unsigned)n + 1, "%zu values in chart row, %zu y columns",
                   k + 1, spec->ny);
        return -1;
    }
    return 0;
}

int chartdom_rows(const char *text, size_t len, const char *file, unsigned line,
                  const chart_spec *spec, arena *a, chart_series *out, diag *d)
{
    size_t cap = 16, n = 0;
    const char **lbl = xmalloc(cap * sizeof *lbl);
    double *vals = xmalloc(cap * CHART_MAX_SERIES * sizeof *vals);
    int rc = 0;

    memset(out, 0, sizeof *out);
    for (size_t p = 0, ln = line; p < len; ln++) {
        const char *e = memchr(text + p, '\n', len - p), *s = text + p, *start = s;
        size_t k = (e ? (size_t)(e - text) : len) - p;
        double v[CHART_MAX_SERIES];
        p = e ? (size_t)(e - text) + 1 : len;
        trim(&s, &k);
        if (k == 0 || s[0] == '#')
            continue;
        if (n == CHART_MAX_CATEGORIES) {
            diag_error(d, file, (unsigned)ln, 1, "more than %d chart rows",
                       CHART_MAX_CATEGORIES);
            rc = -1;
            break;
        }
        if (n == cap) {
            cap *= 2;
            lbl = xrealloc(lbl, cap * sizeof *lbl);
            vals = xrealloc(vals, cap * CHART_MAX_SERIES * sizeof *vals);
        }
        if (parse_row(s, k, (unsigned)(s - start), file, (unsigned)ln, spec, a, &lbl[n], v, d) != 0) {
            rc = -1; /* keep going: every bad row is reported */
            continue;
        }
        for (size_t s2 = 0; s2 < spec->ny; s2++)
            vals[n * CHART_MAX_SERIES + s2] = v[s2];
        n++;
    }
    if (rc == 0 && n == 0) {
        diag_error(d, file, line, 0, "chart has 'rows:' but no rows under it");
        rc = -1;
    }
    if (rc == 0) {
        const char **labels = arena_alloc(a, n * sizeof *labels);
        const double **cols = arena_alloc(a, spec->ny * sizeof *cols);
        memcpy(labels, lbl, n * sizeof *labels);
        for (size_t s2 = 0; s2 < spec->ny; s2++) {
            double *c = arena_alloc(a, n * sizeof *c);
            for (size_t i = 0; i < n; i++)
                c[i] = vals[i * CHART_MAX_SERIES + s2];
            cols[s2] = c;
        }
        out->n = n;
        out->label = labels;
        out->value = cols;
    }
    free(lbl);
    free(vals);
    return rc;
}

/***  Drawing one chart  ***/

typedef struct ctx {
    xmlDoc *doc;
    const chartdom_source *src;
    const chartdom_opts *o;
    const char *file;
    diag *d;
    arena *a;
    int drawn;
} ctx;

/* Marks N's subtree with LINE, so later messages about the drawing point at its block. */
static void set_lines(xmlNode *n, unsigned line)
{
    unsigned short l = (unsigned short)(line > 65535 ? 65535 : line);

    for (xmlNode *c = n; c; c = c->next) {
        c->line = l;
        if (c->type == XML_ELEMENT_NODE && c->children)
            set_lines(c->children, line); /* depth is chart.c's: a few levels */
    }
}

/* The SVG text parsed and copied into the document as a new element. */
static xmlNode *svg_node(ctx *c, const buf *svg, unsigned line)
{
    xmlDoc *sd;
    xmlNode *root, *copy = NULL;

    if (svg->len > (size_t)INT32_MAX)
        return NULL;
    sd = xmlReadMemory(svg->ptr, (int)svg->len, NULL, "UTF-8",
                       XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
    root = sd && !sd->intSubset && !sd->extSubset ? xmlDocGetRootElement(sd) : NULL;
    if (root)
        copy = xmlDocCopyNode(root, c->doc, 1);
    xmlFreeDoc(sd);
    if (!copy) {
        diag_error(c->d, c->file, line, 0, "the chart's SVG does not parse (a bug in chart.c)");
        return NULL;
    }
    set_lines(copy, line);
    return copy;
}

/* Spec and data for BLOCK (a <pre> or a <figure>) into *SPEC and *DATA. 0 or -1. */
static int read_chart(ctx *c, xmlNode *block, chart_spec *spec, chart_series *data)
{
    unsigned line = (unsigned)xmlGetLineNo(block);
    xmlChar *text;
    size_t len, at, body;
    unsigned skip;
    int rc, has_rows;

    if (is_named(block, "figure")) {
        if (chart_parse_figure(block, c->file, c->a, spec, c->d) != 0)
            return -1;
        has_rows = 0;
        text = NULL;
        len = at = body = 0;
        skip = 0;
    } else {
        text = xmlNodeGetContent(block);
        len = text ? strlen((const char *)text) : 0;
        has_rows = find_rows((const char *)text, len, &at, &body, &skip) == 0;
        /* the body starts on the line after the opening fence */
        if (chart_parse((const char *)text, has_rows ? at : len, c->file, line + 1, 1, c->a,
                        spec, c->d) != 0) {
            xmlFree(text);
            return -1;
        }
    }
    if (has_rows && strcmp(spec->data, CHARTDOM_INLINE) != 0) {
        diag_error(c->d, c->file, line + skip, 1,
                   "chart has inline 'rows:' but 'data: %s' (write 'data: " CHARTDOM_INLINE "')",
                   spec->data);
        rc = -1;
    } else if (has_rows) {
        rc = chartdom_rows((const char *)text + body, len - body, c->file, line + 1 + skip, spec,
                           c->a, data, c->d);
    } else if (strcmp(spec->data, CHARTDOM_INLINE) == 0) {
        diag_error(c->d, spec->file, spec->line, spec->col,
                   "chart has 'data: " CHARTDOM_INLINE "' but no 'rows:' section");
        rc = -1;
    } else if (!c->src || !c->src->series) {
        diag_error(c->d, spec->file, spec->line, spec->col,
                   "no dataset to draw '%s' from (without a data set, write the rows in the "
                   "chart: 'data: " CHARTDOM_INLINE "' and a 'rows:' section)",
                   spec->data);
        rc = -1;
    } else {
        rc = c->src->series(c->src->self, spec, data, c->a, c->d);
    }
    xmlFree(text);
    return rc;
}

static xmlNode *new_elem(xmlDoc *doc, const char *name, const char *cls, unsigned line)
{
    xmlNode *n = xmlNewDocNode(doc, NULL, (const xmlChar *)name, NULL);

    if (cls)
        xmlNewProp(n, (const xmlChar *)"class", (const xmlChar *)cls);
    n->line = (unsigned short)(line > 65535 ? 65535 : line);
    return n;
}

static void add_caption(xmlDoc *doc, xmlNode *fig, const char *title, unsigned line)
{
    xmlNode *cap = new_elem(doc, "figcaption", NULL, line);

    xmlAddChild(cap, xmlNewDocText(doc, (const xmlChar *)title));
    xmlAddChild(fig, cap);
}

/* Puts SVG in the place of BLOCK: a new figure for a <pre>; a <figure> keeps its own
 * children (its figcaption) and loses its data-* attributes, which are now drawn. */
static void install(ctx *c, xmlNode *block, xmlNode *svg, const chart_spec *spec, unsigned line)
{
    int has_caption = 0;

    if (is_named(block, "figure")) {
        for (xmlAttr *a = block->properties, *next; a; a = next) {
            next = a->next;
            if (strncmp((const char *)a->name, "data-", 5) == 0)
                xmlRemoveProp(a);
        }
        for (xmlNode *k = block->children; k; k = k->next)
            has_caption |= is_named(k, "figcaption");
        if (block->children)
            xmlAddPrevSibling(block->children, svg);
        else
            xmlAddChild(block, svg);
        if (!has_caption && spec->title)
            add_caption(c->doc, block, spec->title, line);
        return;
    }
    {
        xmlNode *fig = new_elem(c->doc, "figure", "chart", line);
        xmlAddChild(fig, svg);
        if (spec->title)
            add_caption(c->doc, fig, spec->title, line);
        xmlReplaceNode(block, fig);
        xmlFreeNode(block);
    }
}

/* A visible mark where a chart failed, so the reader of a draft sees the gap. */
static void install_error(ctx *c, xmlNode *block, unsigned line)
{
    buf msg = BUF_INIT; /* not a fixed array: a cut could fall inside a character */
    xmlNode *p = new_elem(c->doc, "p", "chart-error", line);

    buf_printf(&msg, "[Lỗi biểu đồ: %s:%u — xem thông báo lỗi]", c->file, line);
    xmlAddChild(p, xmlNewDocText(c->doc, (const xmlChar *)msg.ptr));
    xmlReplaceNode(block, p);
    xmlFreeNode(block);
    buf_free(&msg);
}

static int draw_one(ctx *c, xmlNode *block)
{
    unsigned line = (unsigned)xmlGetLineNo(block);
    chart_spec spec;
    chart_series data;
    char id[32];
    chart_opts co = { c->o ? c->o->measure : NULL, c->o ? c->o->self : NULL,
                      c->o ? c->o->font_family : NULL, c->o ? c->o->font_size : 0, id,
                      1 /* the <figcaption> carries the title */ };
    buf svg = BUF_INIT;
    xmlNode *node = NULL;

    memset(&spec, 0, sizeof spec);
    snprintf(id, sizeof id, "chart-%d", c->drawn + 1);
    if (read_chart(c, block, &spec, &data) == 0 && chart_svg(&spec, &data, &co, &svg, c->d) == 0)
        node = svg_node(c, &svg, line);
    buf_free(&svg);
    if (node)
        install(c, block, node, &spec, line); /* before the reset: the title is in the arena */
    else
        install_error(c, block, line);
    arena_reset(c->a);
    if (!node)
        return -1;
    c->drawn++;
    return 0;
}

int chartdom_expand(xmlDoc *doc, const chartdom_source *src, const chartdom_opts *o, diag *d)
{
    ctx c = { doc, src, o, NULL, d, NULL, 0 };
    size_t n;
    xmlNode **blocks;
    int failed = 0;

    if (!doc)
        return 0;
    c.file = o && o->file ? o->file : doc->URL ? (const char *)doc->URL : "<document>";
    blocks = collect(doc, &n, c.file, d);
    if (n > 0)
        c.a = arena_new();
    for (size_t i = 0; i < n; i++)
        if (draw_one(&c, blocks[i]) != 0)
            failed = 1;
    arena_free(c.a);
    free(blocks);
    return failed ? -1 : c.drawn;
}
