/*
** Datasets: a statistics table (and optional targets) turned once into everything a document
** cites: units × periods, and for every numeric column and row the derived figures (previous
** period, change, growth, rank, total, share, target wording and attainment) as arrays.
** A dataset_ctx is the tmpl_data a template sees (a context stack over one document's row).
**
** Members, collections and their printed forms are documented in README.md, "Templates: the data a template sees".
*/
#ifndef BAOCAO_DATASET_H
#define BAOCAO_DATASET_H

#include <stddef.h>

#include "arena.h"
#include "buf.h"
#include "chart.h"
#include "diag.h"
#include "frontmatter.h"
#include "table.h"
#include "tmpl.h"

#define DATASET_TOP_N 5 /* `.top`, `.bottom`, `.top_growth`, `.bottom_growth`: the five
                           units reports name ("top and bottom five by growth") */

#define DATASET_NONE ((size_t)-1)

typedef struct dataset_opts {
    const char *key, *period;   /* column names; NULL: the dictionary's roles, else ma_tinh/nam */
    const char *share_base;     /* denominator of share_pct targets; NULL: so_htx */
    const fm_sort *sort;        /* order of `units` (and region units); NULL: file order */
    size_t nsort;
    const char *narratives;     /* folder of <key>-<period>.md; NULL: none */
    const char *source;         /* file name for messages (the template); NULL: the table's */
} dataset_opts;

typedef struct dataset dataset;

/* Builds the dataset of STATS (borrowed: must outlive the dataset) with TARGETS (may be NULL;
 * wide or long, read and then kept by the caller too). Reports an unknown key/period/sort
 * column or a malformed targets table to D and returns NULL. Free with dataset_free(). */
dataset *dataset_build(const table *stats, const table *targets, const dataset_opts *o,
                       diag *d);
void dataset_free(dataset *ds);

/* Borrowed. */
const table *dataset_table(const dataset *ds);
/* Rows of the table, and the virtual rows after them (a total row per period, a subtotal
 * row per period and region), which answer the same members. */
size_t dataset_rows(const dataset *ds);
/* The total row of the period of ROW; DATASET_NONE if ROW's period is unknown. */
size_t dataset_total_row(const dataset *ds, size_t row);
/* The subtotal row of ROW's region in its period; DATASET_NONE when ROW has no region. */
size_t dataset_region_row(const dataset *ds, size_t row);
/* The column index of the key and period. */
long dataset_key_col(const dataset *ds);
long dataset_period_col(const dataset *ds);
/* The table row of UNIT's key (vnkey-normalised) in PERIOD (its text), or DATASET_NONE. */
size_t dataset_find(const dataset *ds, const char *key, const char *period);
/* 1 when the text of column C in ROW equals VALUE after NFC and tone normalisation (numbers:
 * equal as numbers). */
int dataset_cell_is(const dataset *ds, size_t row, size_t c, const char *value);

/***  The context a template sees  ***/

typedef struct dataset_ctx dataset_ctx;

/* A context over DS (borrowed). PARAMS (front matter params, may be NULL) answer params.*.
 * Reuse one context for many documents: dataset_ctx_reset() keeps its storage. */
dataset_ctx *dataset_ctx_new(const dataset *ds, const fm_value *params);
void dataset_ctx_free(dataset_ctx *c);
/* Starts a document on ROW (a table row or a virtual total/region row). */
void dataset_ctx_reset(dataset_ctx *c, size_t row);
/* Sets what {{title}} prints (copied). */
void dataset_ctx_set_title(dataset_ctx *c, const char *title, size_t len);
/* From now on appends every name that resolves to nothing (a typo, a column the data lacks)
 * to NAMES, once, one a line; NULL stops. For baocao check: such names print nothing. */
void dataset_ctx_collect_unknown(dataset_ctx *c, buf *names);
/* The callbacks for tmpl_render(); valid while C lives. */
tmpl_data dataset_ctx_data(dataset_ctx *c);

/* Fills *OUT for chart SPEC from a collection of the document at ROW (spec->data: units,
 * periods or regions; spec->x a column for the labels, spec->y numeric columns), with memory
 * from A: the chartdom_source of the template stage. Returns 0, or -1 after reporting at the
 * chart's position (not a collection, unknown or non-numeric column). */
int dataset_chart_series(const dataset *ds, size_t row, const chart_spec *spec, chart_series *out,
                         arena *a, diag *d);

#endif
