/*
** HTML backend: the filled document's DOM → one complete, valid, accessible HTML5 page.
**
** The page embeds the report's style sheet (the same CSS file the PDF honours) with its
** @font-face URLs rewritten to copies of the fonts in OUT_ROOT/fonts/, adds a small sheet of
** its own for screens and print (tables that scroll sideways, phone widths, A4 printing), and
** serialises the DOM with one tree walk: text and attribute values are escaped where they
** land (escape.h), never re-parsed or un-escaped, so a cell holding <script> shows as text.
** Chart blocks (```chart in Markdown, <figure class="chart" data-…> in HTML) are expanded
** into <figure class="chart"><svg>… by chartdom.c, as for the PDF, then serialised.
** docs/README-html.md says what the page contains and why.
*/
#ifndef BAOCAO_HTMLOUT_H
#define BAOCAO_HTMLOUT_H

#include <stddef.h>

#include <libxml/tree.h>

#include "buf.h"
#include "chartdom.h"
#include "diag.h"

typedef struct htmlout_opts {
    /* The page's <title> (the front matter title). NULL: the document's own <title>, else
     * the plain text of its first h1, else "Báo cáo". */
    const char *title;
    /* <html lang>. NULL: the document root's lang attribute, else "vi". */
    const char *lang;
    /* The report's style sheet, embedded in <style>; url()s in it resolve against its
     * folder. The sheets it @imports (from CSS_PATH's folder) are inlined where their
     * @import stands, so the page needs no other CSS file. CSS/CSS_LEN give its text when the caller has read it already; NULL reads
     * CSS_PATH. Both NULL: no author sheet (the backend's own sheet still comes). */
    const char *css_path;
    const char *css;
    size_t css_len;
    /* The output root: fonts are copied once into OUT_ROOT/fonts/ and referenced from the
     * page by relative URLs. NULL: the page's own folder. */
    const char *out_root;
    /* For htmlout_render only: where the page will be written (relative URLs are computed
     * from its folder). NULL: the current folder, and fonts are referenced where they are
     * (not copied), as for a page written to stdout. */
    const char *page_path;
    /* Charts still in DOC as blocks are drawn by chartdom_expand() with these: CHARTS is
     * the data source (the dataset stage's; NULL: only charts with inline rows), CHART the
     * text measure and font (NULL: base.css's serif list, estimated widths). A DOC that
     * render_pdf() expanded already is left as it is, so both outputs show one drawing. */
    const chartdom_source *charts;
    const chartdom_opts *chart;
} htmlout_opts;

/* Renders DOC to an HTML page appended to OUT. DOC is changed only by the expansion of its
 * chart blocks. Font files are not copied (see htmlout_write). Reports every problem (a
 * chart that cannot be drawn, a heading level skipped, an image without alt text) to D,
 * citing the document (DOC->URL) and line. Returns 0, or -1 when an error was reported
 * (warnings do not fail). */
int htmlout_render(xmlDoc *doc, const htmlout_opts *o, buf *out, diag *d);

/* Renders DOC, copies the fonts the page uses into OUT_ROOT/fonts/ (only those missing or
 * different in size or date: cheap when up to date), makes PATH's folder and writes PATH
 * atomically. PATH "-" writes to stdout and copies no font. Returns 0, or -1 after reporting;
 * on failure PATH is left as it was. */
int htmlout_write(xmlDoc *doc, const htmlout_opts *o, const char *path, diag *d);

/* Appends to OUT the relative URL from folder FROM_DIR to file TO (both absolute or relative
 * to the current folder; "." and ".." segments resolved lexically, no symlinks followed),
 * with each segment percent-encoded as a URL path: ("output/2022", "output/fonts/A.ttf") →
 * "../fonts/A.ttf". */
void htmlout_relpath(const char *from_dir, const char *to, buf *out);

/* 1 when TEXT[0..LEN) (surrounding blanks ignored) is a number as Vietnamese reports print
 * them: an optional sign, digits grouped by '.' in threes, an optional ',' decimal part, an
 * optional '%' (a space before it allowed): "337.082", "-36,52", "+12,5 %", "2022". */
int htmlout_is_number(const char *text, size_t len);

#endif
