/*
** Charts in the document model: finds every chart block in a DOM (```chart from Markdown,
** <figure class="chart" data-…> from HTML templates), draws it with chart.c and puts the SVG
** into the tree as <figure class="chart"><svg>…</svg><figcaption>…</figcaption></figure>.
** After this both backends see an ordinary inline <svg>: the HTML backend serialises it,
** layout draws it (svgdraw.c). The data come from a small callback (the dataset stage's), or
** from rows written in the chart block itself (docs/README-charts.md).
*/
#ifndef BAOCAO_CHARTDOM_H
#define BAOCAO_CHARTDOM_H

#include <stddef.h>

#include <libxml/tree.h>

#include "arena.h"
#include "chart.h"
#include "diag.h"

#define CHARTDOM_INLINE "rows" /* `data: rows` names the rows written in the block itself */
#define CHARTDOM_MAX_CHARTS 10000 /* more chart blocks than this in one document is a runaway */

/* Where a chart's data come from (the dataset stage implements it). SERIES fills *OUT for
 * SPEC (spec->data, spec->x, spec->y) with memory from A (freed after the chart is drawn);
 * returns 0, or -1 after reporting at spec->file:spec->line:spec->col (unknown collection
 * or column). */
typedef struct chartdom_source {
    void *self;
    int (*series)(void *self, const chart_spec *spec, chart_series *out, arena *a, diag *d);
} chartdom_source;

typedef struct chartdom_opts {
    const char *file;        /* for messages; NULL: the document's URL */
    chart_measure_fn measure; /* text widths (chart_font_measure); NULL: an estimate */
    void *self;
    const char *font_family; /* the report's font-family list, written on the <svg> */
    float font_size;         /* px; 0 means 12 */
} chartdom_opts;

/* Replaces every chart block of DOC by its drawing. Blocks with inline rows use them; the
 * others ask SRC (NULL: such a chart is an error, there is no dataset). A chart that fails
 * is reported (FILE:LINE:COL at the block or the offending line) and replaced by a visible
 * <p class="chart-error">; the others are still drawn. Returns the number of charts drawn,
 * or -1 when any failed. */
int chartdom_expand(xmlDoc *doc, const chartdom_source *src, const chartdom_opts *o, diag *d);

/* The inline rows of a chart block: lines `label: value[, value]…` (one value per y column
 * of SPEC; plain numbers such as 1234.5, empty or "-" for a missing value), TEXT[0..LEN)
 * starting at FILE:LINE. Blank lines and lines starting with '#' are skipped. Fills *OUT
 * from A; returns 0, or -1 after reporting every bad line. */
int chartdom_rows(const char *text, size_t len, const char *file, unsigned line,
                  const chart_spec *spec, arena *a, chart_series *out, diag *d);

#endif
