/*
** Rendering a parsed document to PDF: the pipeline's tail, DOM + CSS → PDF file.
*/
#include "render.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "arena.h"
#include "buf.h"
#include "dom.h"
#include "font.h"
#include "layout.h"
#include "pdfout.h"
#include "xalloc.h"

/* Adds every @font-face of SS to FS; a missing file is an error naming it. */
static int load_faces(const stylesheet *ss, fontset *fs, diag *d)
{
    const style_font_face *ff;
    size_t n = style_font_faces(ss, &ff);
    int rc = 0;

    for (size_t i = 0; i < n; i++)
        if (font_add(fs, ff[i].family, ff[i].weight, ff[i].italic, ff[i].path, style_name(ss),
                     ff[i].line, d) < 0)
            rc = -1;
    return rc;
}

/* Loading the faces (FreeType open, metrics, then the advance pages filled again) is redone
 * for nothing when a process renders many documents with one style sheet: `baocao build`'s
 * workers render thousands. So fontsets are kept for the life of the process, keyed by the
 * resolved @font-face list (family, weight, style, path, in order: the same list gives the
 * same face indices). A fontset only holds what the files say (metrics, advances, match
 * answers), never anything of a document, so reuse cannot change output; pdfout embeds
 * per document only the code points the document shows. Workers are forked processes, so
 * nothing is shared between them that one could change. A failed load is not kept (the next
 * document reports it again). At most RENDER_FONT_CACHE lists are kept (oldest replaced),
 * so memory does not grow with the number of documents; freed at exit. */
#define RENDER_FONT_CACHE 4

static struct {
    char *key;
    fontset *fs;
} font_cache[RENDER_FONT_CACHE];
static size_t font_cache_next;
static int font_cache_registered;

static void font_cache_free(void)
{
    for (size_t i = 0; i < RENDER_FONT_CACHE; i++) {
        font_free(font_cache[i].fs);
        free(font_cache[i].key);
        font_cache[i].fs = NULL;
        font_cache[i].key = NULL;
    }
}

/* SS's faces as one string: fields separated by NUL-free separators (\x1f, \x1e). */
static char *faces_key(const stylesheet *ss)
{
    const style_font_face *ff;
    size_t n = style_font_faces(ss, &ff);
    buf b = BUF_INIT;
    char *key;

    for (size_t i = 0; i < n; i++)
        buf_printf(&b, "%s\x1f%d\x1f%d\x1f%s\x1e", ff[i].family ? ff[i].family : "",
                   ff[i].weight, ff[i].italic, ff[i].path ? ff[i].path : "");
    key = xstrdup(buf_cstr(&b));
    buf_free(&b);
    return key;
}

/* The fontset of SS's faces (borrowed: owned by the cache), or NULL after reporting. */
static fontset *faces_for(const stylesheet *ss, diag *d)
{
    char *key = faces_key(ss);
    fontset *fs;
    size_t slot;

    for (size_t i = 0; i < RENDER_FONT_CACHE; i++)
        if (font_cache[i].key && strcmp(font_cache[i].key, key) == 0) {
            free(key);
            return font_cache[i].fs;
        }
    fs = font_new();
    if (load_faces(ss, fs, d) != 0) {
        font_free(fs);
        free(key);
        return NULL;
    }
    if (!font_cache_registered) {
        atexit(font_cache_free);
        font_cache_registered = 1;
    }
    slot = font_cache_next;
    font_cache_next = (font_cache_next + 1) % RENDER_FONT_CACHE;
    font_free(font_cache[slot].fs);
    free(font_cache[slot].key);
    font_cache[slot].key = key;
    font_cache[slot].fs = fs;
    return fs;
}

/* Draws DOC's charts in the body's font (styles applied), then styles the new elements.
 * Returns 0, or -1 when a chart failed (reported). */
static int expand_charts(xmlDoc *doc, const stylesheet *ss, fontset *fs, const render_opts *o,
                         arena *a, diag *d)
{
    const xmlNode *body = dom_body(doc);
    const style *st = body ? style_of(body) : NULL;
    chart_font cf = { fs, st && st->font_family ? st->font_family : "serif" };
    chartdom_opts co = { .file = o ? o->source : NULL, .measure = chart_font_measure,
                         .self = &cf, .font_family = cf.families,
                         .font_size = 0 }; /* chart.c's 12 px, as in the HTML page */
    int n = chartdom_expand(doc, o ? o->charts : NULL, &co, d);
    diag *quiet;

    if (n == 0)
        return 0;
    /* the new elements need styles; the rest of the document was reported on already */
    quiet = diag_new(NULL, 0);
    style_apply(ss, doc, a, quiet);
    diag_free(quiet);
    return n < 0 ? -1 : 0;
}

/* 1 when DOC has <style> elements of its own. */
static int has_own_style(const xmlDoc *doc)
{
    const xmlNode *top = xmlDocGetRootElement(doc);

    for (const xmlNode *n = top; n; n = dom_next(n, top))
        if (n->type == XML_ELEMENT_NODE && xmlStrcasecmp(n->name, (const xmlChar *)"style") == 0)
            return 1;
    return 0;
}

/* The sheet for DOC: SS itself, or, when DOC has <style> elements, a fresh copy of SS's file
 * with them appended (in *OWN, for the caller to free). SS is shared by every document of a
 * fan-out and must not collect one document's rules. NULL after reporting. */
static const stylesheet *sheet_for(xmlDoc *doc, const stylesheet *ss, stylesheet **own, diag *d)
{
    diag *quiet;

    *own = NULL;
    if (!has_own_style(doc))
        return ss;
    quiet = diag_new(NULL, 0); /* its warnings were reported when SS was read */
    *own = style_read(style_name(ss), quiet);
    diag_free(quiet);
    if (!*own) {
        diag_error(d, style_name(ss), 0, 0,
                   "cannot read the style sheet again to add the document's <style>");
        return NULL;
    }
    return style_add_document(*own, doc, d) == 0 ? *own : NULL;
}

int render_pdf(xmlDoc *doc, const stylesheet *ss, const char *out_path, const render_opts *o,
               diag *d)
{
    arena *a = arena_new();
    fontset *fs = NULL;
    pages *pg = NULL;
    layout_opts lo = { o ? o->source : NULL };
    pdf_opts po = { 0 };
    stylesheet *own;
    int rc = -1, charts_ok;

    if ((ss = sheet_for(doc, ss, &own, d)) == NULL)
        goto out;
    if (style_apply(ss, doc, a, d) != 0 || (fs = faces_for(ss, d)) == NULL)
        goto out;
    charts_ok = expand_charts(doc, ss, fs, o, a, d) == 0;
    if ((pg = layout_run(doc, ss, fs, &lo, d)) == NULL || !charts_ok)
        goto out; /* laid out all the same, so that one run reports every problem */
    po.uncompressed = o ? o->uncompressed : 0;
    rc = pdfout_write(pg, &po, out_path, d);
out:
    pages_free(pg);
    arena_free(a);
    style_free(own);
    return rc;
}

static char *existing(const char *dir, const char *rel)
{
    size_t n = strlen(dir) + strlen(rel) + 2;
    char *p = xmalloc(n);

    snprintf(p, n, "%s/%s", dir, rel);
    if (access(p, R_OK) == 0)
        return p;
    free(p);
    return NULL;
}

char *render_default_css(void)
{
    char exe[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    char *p;

    if (n > 0) {
        exe[n] = 0;
        for (int up = 0; up < 4; up++) { /* ./baocao, or build/release/baocao */
            char *slash = strrchr(exe, '/');
            if (!slash)
                break;
            *slash = 0;
            if ((p = existing(exe[0] ? exe : "/", RENDER_DEFAULT_CSS)) != NULL)
                return p;
        }
    }
    return existing(".", RENDER_DEFAULT_CSS);
}

xmlDoc *render_dom(const char *name, const char *text, size_t len, int html, unsigned lead,
                   diag *d)
{
    xmlDoc *doc = html ? dom_from_html(name, text ? text : "", len, d)
                       : dom_from_markdown(name, text ? text : "", len, d);

    dom_shift_lines(doc, lead);
    return doc;
}

