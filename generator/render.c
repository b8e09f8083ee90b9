/*
** Rendering a parsed document to PDF: the pipeline's tail, DOM + CSS → PDF file.
*/
#include "render.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "arena.h"
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

int render_pdf(xmlDoc *doc, const stylesheet *ss, const char *out_path, const render_opts *o,
               diag *d)
{
    arena *a = arena_new();
    fontset *fs = font_new();
    pages *pg = NULL;
    layout_opts lo = { o ? o->source : NULL };
    pdf_opts po = { 0 };
    int rc = -1, charts_ok;

    if (style_apply(ss, doc, a, d) != 0 || load_faces(ss, fs, d) != 0)
        goto out;
    charts_ok = expand_charts(doc, ss, fs, o, a, d) == 0;
    if ((pg = layout_run(doc, ss, fs, &lo, d)) == NULL || !charts_ok)
        goto out; /* laid out all the same, so that one run reports every problem */
    po.uncompressed = o ? o->uncompressed : 0;
    rc = pdfout_write(pg, &po, out_path, d);
out:
    pages_free(pg);
    font_free(fs);
    arena_free(a);
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
