/*
** Layout: measures and places a styled DOM (style_apply done) onto pages (pages.h); the PDF
** backend draws them. Blocks, inline runs in several faces, Knuth–Plass paragraphs,
** pagination with keeps, orphans and widows, @page margin boxes, links, anchors, outline.
*/
#ifndef BAOCAO_LAYOUT_H
#define BAOCAO_LAYOUT_H

#include <libxml/tree.h>

#include "diag.h"
#include "font.h"
#include "pages.h"
#include "style.h"

#define LAYOUT_MAX_PAGES 100000 /* a document longer than this is a runaway (1 pt pages) */
#define LAYOUT_MAX_DEPTH 256    /* deeper blocks flow into their ancestor: stacks are finite */

typedef struct layout_opts {
    const char *source; /* the document's file name, for messages (FILE:LINE: ...) */
} layout_opts;

/* Lays out DOC, whose elements carry computed styles from SS (style_apply), with the faces
 * of FS (every @font-face of SS already added). Characters no face has are warned about
 * ("FILE:LINE: warning: no font has U+XXXX 'c'") and drawn as '?'. Returns the pages (the
 * caller frees them with pages_free(); they borrow FS), or NULL after reporting to D. */
pages *layout_run(xmlDoc *doc, const stylesheet *ss, fontset *fs, const layout_opts *o,
                  diag *d);

#endif
