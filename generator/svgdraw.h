/*
** SVG → page model: draws the SVG subset that chart.c writes (svg, g, rect, line, polyline,
** polygon, path with M/L/H/V/Z, text; fill, stroke, stroke-width, stroke-dasharray,
** transform) as vector items on a page, so the PDF shows charts as vectors with real,
** selectable text. Anything outside the subset is reported as a warning and not drawn; a
** document with a DTD is refused (entity expansion).
*/
#ifndef BAOCAO_SVGDRAW_H
#define BAOCAO_SVGDRAW_H

#include <stddef.h>

#include <libxml/tree.h>

#include "diag.h"
#include "pages.h"

#define SVGDRAW_MAX_DEPTH 64 /* nested <g> deeper than this is not a drawing but an attack */

typedef struct svgdraw_opts {
    /* The font-family list text is set in (the report's font, e.g. "'Liberation Serif',
     * serif"); NULL uses the SVG's own font-family, else "sans-serif". */
    const char *families;
    /* The face for FAMILIES at WEIGHT (400, 700). NULL: font_match on the pages' fontset. */
    int (*face)(void *self, const char *families, int weight);
    /* Width in points of S[0..N) in FACE at SIZE points. NULL: font_width. */
    float (*measure)(void *self, int face, const char *s, size_t n, float size);
    void *self;
    const char *file; /* for messages: where the SVG came from */
    unsigned line;
} svgdraw_opts;

/* Parses SVG[0..LEN) and appends its drawing to PG (of P), fitted into the box whose
 * bottom-left corner is (X, Y) and size W × H points (PDF user space), keeping the aspect
 * ratio and centring (xMidYMid meet). Returns 0, or -1 after reporting an SVG that does not
 * parse; elements outside the subset are warned about and skipped. */
int svgdraw_render(pages *p, page *pg, const char *svg, size_t len, float x, float y, float w,
                   float h, const svgdraw_opts *o, diag *d);

/* The intrinsic size of SVG[0..LEN) in px (its width/height, else its viewBox); 0 or -1. */
int svgdraw_size(const char *svg, size_t len, float *w, float *h);

/* The same two on an <svg> element already in a tree (an inline SVG in the document's DOM,
 * e.g. a chart that chartdom.c expanded): nothing is parsed again. */
int svgdraw_render_node(pages *p, page *pg, const xmlNode *svg, float x, float y, float w,
                        float h, const svgdraw_opts *o, diag *d);
int svgdraw_size_node(const xmlNode *svg, float *w, float *h);

#endif
