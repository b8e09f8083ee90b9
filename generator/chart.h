/*
** Charts: a chart description (the body of a ```chart block, or the data-* attributes of
** <figure class="chart">) plus its data series → one standalone SVG. This is the one place
** that decides a chart's geometry; the HTML backend inlines the SVG and the PDF backend
** draws the same SVG as vectors through svgdraw.c.
**
** The SVG uses only the subset svgdraw.c draws (docs/README-charts.md): svg, g with
** transform, rect, line, polyline, path (M/L/H/V/Z), text, title, desc.
*/
#ifndef BAOCAO_CHART_H
#define BAOCAO_CHART_H

#include <stddef.h>

#include <libxml/tree.h>

#include "arena.h"
#include "buf.h"
#include "diag.h"

#define CHART_MAX_SERIES 8         /* more series than this cannot be told apart by colour */
#define CHART_MAX_CATEGORIES 10000 /* a chart with more bars is a data error, not a chart */

typedef enum chart_type {
    CHART_BAR,     /* vertical bars (more than CHART_HBAR_AUTO categories: drawn as hbar) */
    CHART_HBAR,    /* horizontal bars; the height grows with the category count */
    CHART_GROUPED, /* vertical bars, one per series side by side */
    CHART_LINE,    /* one polyline per series; missing values break the line */
    CHART_STACKED  /* vertical bars, series stacked (negatives stack below zero) */
} chart_type;

#define CHART_HBAR_AUTO 24 /* vertical bars thinner than this many per chart are unreadable */

/* A parsed description. Strings are NUL-terminated, owned by the arena given to the parser
 * (or by whoever fills the struct by hand); NULL when not given. */
typedef struct chart_spec {
    chart_type type;
    const char *data;  /* collection name: "units", "periods" */
    const char *x;     /* label column */
    const char *y[CHART_MAX_SERIES]; /* value columns */
    size_t ny;
    const char *title;
    const char *unit;      /* shown above the value axis and in the text alternative */
    const char *sort;      /* a column of x or y, "-" in front for descending; NULL keeps order */
    const char *highlight; /* a label to emphasise (accent colour) */
    float width, height;   /* in px (SVG user units); 0 chooses */
    const char *file;      /* where the description starts, for later messages */
    unsigned line, col;
} chart_spec;

/* The data the template stage extracts from the dataset for one spec: N categories, and for
 * each of spec->ny series N values (NAN = missing: drawn as a gap, never as zero). */
typedef struct chart_series {
    size_t n;
    const char *const *label;     /* N labels (UTF-8 NFC) */
    const double *const *value;   /* value[s][i], s < spec->ny */
    const char *const *name;      /* legend names for the series, or NULL (the y columns) */
} chart_series;

/* Width in px of UTF-8 text S[0..N) at SIZE px, BOLD or not (the report's font, usually
 * font_width on the matched face). */
typedef float (*chart_measure_fn)(void *self, const char *s, size_t n, float size, int bold);

/* The report's fonts as a chart_measure_fn: pass chart_font_measure with SELF a chart_font. */
typedef struct fontset fontset;
typedef struct chart_font {
    fontset *fonts;
    const char *families; /* the CSS font-family list the chart's text is set in */
} chart_font;
/* font_width in the face font_match gives for FONT->families at weight 400 or 700 (bold);
 * the estimate when no face matches. */
float chart_font_measure(void *font, const char *s, size_t n, float size, int bold);

typedef struct chart_opts {
    chart_measure_fn measure; /* NULL: an estimate (0.55 em a character) */
    void *self;
    const char *font_family;  /* written on <svg font-family>; NULL: "sans-serif" */
    float font_size;          /* px; 0 means 12 */
    const char *id;           /* prefix for the ids of <title>/<desc>; NULL means "chart" */
    int title_outside;        /* 1: the caller shows the title (a <figcaption>), so the
                                 drawing keeps it only in <title>, not as visible text */
} chart_opts;

/* Parses the body of a chart block, TEXT[0..LEN), whose first byte is at FILE:LINE:COL.
 * Fills *OUT (strings from A). Reports every problem with its position; returns 0, or -1
 * when anything was wrong. */
int chart_parse(const char *text, size_t len, const char *file, unsigned line, unsigned col,
                arena *a, chart_spec *out, diag *d);
/* Sets one key (as in a chart block; "data-" in front is dropped, so the attributes of
 * <figure class="chart" data-type="bar" data-data="units" ...> map one to one) from VALUE,
 * reported at FILE:LINE:COL. Returns 0 or -1. */
int chart_set(chart_spec *s, const char *key, const char *value, arena *a, const char *file,
              unsigned line, unsigned col, diag *d);
/* Checks that data, x and y are given (reported at the spec's own position). 0 or -1. */
int chart_check(const chart_spec *s, diag *d);
/* Reads the data-* attributes of FIG (a <figure class="chart">) into *OUT. 0 or -1. */
int chart_parse_figure(const xmlNode *fig, const char *file, arena *a, chart_spec *out,
                       diag *d);

/* Appends the SVG for SPEC drawn from DATA to OUT. Returns 0, or -1 after reporting (data
 * not matching the spec: series count, too many categories). */
int chart_svg(const chart_spec *spec, const chart_series *data, const chart_opts *o, buf *out,
              diag *d);

/* "Nice" axis: ticks T0, T0+STEP, ... (*N of them) covering [LO, HI] with STEP 1, 2 or 5 ×
 * 10^k and about TARGET ticks. */
void chart_ticks(double lo, double hi, int target, double *t0, double *step, int *n);
/* Vietnamese number format (vnfmt_num) into OUT (CAP bytes): "1.234.567", "2,5", "-0,25";
 * DECIMALS digits after the comma (negative: as many as needed, up to 2); NaN prints "–".
 * Returns the length written. */
size_t chart_format(double v, int decimals, char *out, size_t cap);

#endif
