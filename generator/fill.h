/*
** Filling a template: its front matter, its data (statistics, targets, dictionary,
** narratives) as a dataset, its compiled Mustache, and the documents of its fan-out.
*/
#ifndef BAOCAO_FILL_H
#define BAOCAO_FILL_H

#include <stddef.h>

#include "buf.h"
#include "dataset.h"
#include "diag.h"
#include "frontmatter.h"
#include "table.h"
#include "chartdom.h"

typedef struct fill_opts {
    const char *data;        /* replaces the front matter's `data` (relative to the working
                                folder, as a command-line path); NULL: the front matter's */
    const fm_filter *where;  /* more filters (--where COL=VALUE), and-ed with the front matter's */
    size_t nwhere;
    const table *stats;      /* the data file already read (table_read, typed by its
                                dictionary), borrowed: must outlive the fill; NULL: read here.
                                Saves a second copy of a large table (baocao build) */
} fill_opts;

typedef struct fill fill;

/* Reads template PATH and prepares it: front matter, data file relative to the template
 * (its dictionary: columns.csv in the data's folder; narratives: its narratives/ folder),
 * targets, Mustache with partials from the template's folder, and the fan-out. Problems are
 * reported as PATH:LINE:COL (a missing data file at its front matter line, an unknown
 * column in key/period/each/where/sort at its line). Returns NULL after reporting. */
fill *fill_open(const char *path, const fill_opts *o, diag *d);
/* The same from SRC (LEN bytes) already read; PATH names it and anchors relative paths. */
fill *fill_parse(const char *path, const char *src, size_t len, const fill_opts *o, diag *d);
void fill_free(fill *f);

/* Borrowed. */
const frontmatter *fill_frontmatter(const fill *f);
const dataset *fill_dataset(const fill *f);
/* 1 for an HTML template (values HTML-escaped), 0 for Markdown (Markdown-escaped). */
int fill_is_html(const fill *f);
/* Number of documents of the fan-out (after `where`), in table order. */
size_t fill_count(const fill *f);
/* The dataset row document I is filled from: a table row, or a total/region row when the
 * fan-out does not name the key (e.g. `each: [nam]` gives each year's total row). */
size_t fill_row(const fill *f, size_t i);
/* Borrowed: the period text of document I ("2022"), or NULL (for grouping an index). */
const char *fill_period(const fill *f, size_t i);
/* Appends document I's fan-out values as "col=value&col=value" (for ids and messages). */
void fill_fan(const fill *f, size_t i, buf *out);
/* Borrowed: the value of document I's K-th `each` column (its text in the table), or NULL
 * when I or K is out of range. Looks a document up by its values without a string each. */
const char *fill_fan_value(const fill *f, size_t i, size_t k);

/* Appends document I's title (the `title` pattern filled, unescaped); nothing if none. */
int fill_title(fill *f, size_t i, buf *out, diag *d);
/* Appends document I's output name without extension: the `output` pattern filled, or
 * TEMPLATE-STEM plus the slugs of the fan-out values. A name with "..", an absolute path
 * or a control character is an error. */
int fill_output(fill *f, size_t i, buf *out, diag *d);
/* Appends document I filled (the template body, values escaped for the template's kind). */
int fill_render(fill *f, size_t i, buf *out, diag *d);
/* How many template lines (the front matter) stand above the filled text's first line: add it
 * to a line of the filled text to cite the template (dom_shift_lines). */
unsigned fill_lead_lines(const fill *f);
/* Collects names that resolve to nothing while filling (dataset_ctx_collect_unknown). */
void fill_collect_unknown(fill *f, buf *names);
/* Calls FN for every partial the template depends on (tmpl_deps). */
void fill_deps(const fill *f, void (*fn)(void *self, const char *name, const char *path),
               void *self);
/* Appends the narrative file document I reads (narratives/<key>-<period>.md beside the
 * data); returns 1 when it exists, 0 when not (the narrative members are then falsey). */
int fill_narrative_path(const fill *f, size_t i, buf *out);
/* Borrowed: the data, targets and dictionary paths in use (NULL when none). */
const char *fill_data_path(const fill *f);
const char *fill_targets_path(const fill *f);

/* Charts drawn from document I's collections (`data: units`, `periods`, `regions` in a chart
 * block): FC->src is the chartdom_source to hand to render_pdf (render_opts.charts) and
 * htmlout (htmlout_opts.charts). Valid while F lives. */
typedef struct fill_charts {
    chartdom_source src;
    const fill *f;
    size_t row;
} fill_charts;
void fill_charts_init(const fill *f, size_t i, fill_charts *fc);

#endif
