/*
** Rendering a parsed document to PDF: style sheet → computed styles → fonts → layout →
** pdfout. One function that `baocao render` and `baocao build` (with templates) both call.
*/
#ifndef BAOCAO_RENDER_H
#define BAOCAO_RENDER_H

#include <libxml/tree.h>

#include "chartdom.h"
#include "diag.h"
#include "style.h"

#define RENDER_DEFAULT_CSS "templates/base.css" /* relative to the folder of the program,
                                                   then to the current folder */

typedef struct render_opts {
    const char *source; /* the document's file name, for messages */
    int uncompressed;   /* PDF content streams left readable (debugging) */
    /* Where chart blocks get their data (the dataset stage's source); NULL: only charts
     * with inline rows can be drawn (chartdom.h). */
    const chartdom_source *charts;
} render_opts;

/* Applies SS to DOC, then DOC's own <style> elements (on a fresh copy of SS's file: SS itself
 * is never changed; styles live in an arena freed before returning), loads SS's
 * @font-face files (once per process for the same face list: kept until exit), replaces DOC's chart blocks by their drawings (chartdom_expand, text
 * in the body's font), lays DOC out and writes OUT_PATH atomically. Returns 0, or -1 after
 * reporting to D (then no file is written; a chart that failed fails the document).
 * Warnings (missing glyphs) do not fail. */
int render_pdf(xmlDoc *doc, const stylesheet *ss, const char *out_path, const render_opts *o,
               diag *d);

/* The default style sheet's path (RENDER_DEFAULT_CSS found beside the program or in the
 * current folder), or NULL when there is none. The caller frees it. */
char *render_default_css(void);

/* A document's filled text as a DOM: parsed as HTML when HTML is set, else as Markdown;
 * source lines moved down by LEAD (the template lines above the text, its front matter) so
 * that messages cite the template. NAME names it in messages. NULL after reporting. */
xmlDoc *render_dom(const char *name, const char *text, size_t len, int html, unsigned lead,
                   diag *d);

#endif
