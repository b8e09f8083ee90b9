/*
** Line breaking over boxes, glue and penalties: Knuth–Plass optimal breaking (justified
** paragraphs) and first-fit greedy breaking (ragged text, table cells). Pure: the input is
** items with widths in points, the output is break positions and adjustment ratios.
**
** Vietnamese needs no hyphenation (syllables are space-separated): breaks are at glue and at
** the penalties the caller puts in, e.g. between the grapheme clusters of a word longer than
** the line (linebreak_clusters finds them) so that it breaks rather than overflows.
*/
#ifndef BAOCAO_LINEBREAK_H
#define BAOCAO_LINEBREAK_H

#include <stddef.h>

#define LINEBREAK_INF 10000.0f /* a penalty >= this forbids a break, <= -this forces one */
#define LINEBREAK_FIL 1.0e6f   /* "infinite" stretch, as TeX's fil (parfillskip) */

typedef enum lb_kind { LB_BOX, LB_GLUE, LB_PENALTY } lb_kind;

typedef struct lb_item {
    lb_kind kind;
    float width;   /* box and glue: natural width; penalty: width added if broken here */
    float stretch; /* glue only */
    float shrink;  /* glue only */
    float penalty; /* penalty only: the cost of breaking here */
    int flagged;   /* penalty only: flagged breaks (hyphens) should not follow each other */
} lb_item;

typedef struct linebreak_opts {
    float tolerance;        /* largest adjustment ratio accepted; 0 means no limit */
    float line_penalty;     /* added to each line's badness (TeX \linepenalty, 10) */
    float flagged_demerits; /* two flagged breaks in a row (TeX, 3000) */
    float fitness_demerits; /* adjacent lines in non-adjacent fitness classes (TeX, 100) */
} linebreak_opts;

#define LINEBREAK_OPTS_DEFAULT { 0.0f, 10.0f, 3000.0f, 100.0f }

/* One line: items [start, end) are on it; END is the break item (a glue, a penalty, or N for
 * the last line), and the line's glue is set at RATIO (-1 fully shrunk, 0 natural, 1 fully
 * stretched; > 1 looser than the glue allows). OVERFULL: the line is wider than its width
 * even fully shrunk (a single box wider than the line). */
typedef struct lb_line {
    size_t start, end;
    float ratio;
    float natural; /* natural width of the line's content */
    int overfull;
} lb_line;

typedef struct lb_result {
    lb_line *line; /* borrowed from the breaker: valid until its next run */
    size_t nlines;
    double demerits; /* total demerits, for comparing breakers */
} lb_result;

typedef struct linebreaker linebreaker;

/* A breaker keeps its working memory between paragraphs (no allocation per paragraph once
 * warm). The caller frees it with linebreak_free(); linebreak_free(NULL) is a no-op. */
linebreaker *linebreak_new(void);
void linebreak_free(linebreaker *lb);

/* Knuth–Plass: the breaks of ITEMS[0..N) minimising total demerits, line I being WIDTHS[I]
 * wide (the last width repeats; NWIDTHS >= 1). The paragraph should end with glue of FIL
 * stretch and a forced penalty (parfillskip). Always succeeds: with no tolerance every line
 * that is not overfull is feasible, and a box wider than the line is put on a line of its own
 * (marked overfull). Cost O(N × breaks within one line width). */
void linebreak_optimal(linebreaker *lb, const lb_item *items, size_t n, const float *widths,
                       size_t nwidths, const linebreak_opts *o, lb_result *out);

/* First fit: each line takes as much as fits at natural width (shrinking if needed), as
 * browsers break ragged text. Demerits are computed as linebreak_optimal would. */
void linebreak_greedy(linebreaker *lb, const lb_item *items, size_t n, const float *widths,
                      size_t nwidths, const linebreak_opts *o, lb_result *out);

/* Grapheme cluster boundaries of the UTF-8 text S[0..LEN) (utf8proc): writes the byte offset
 * of each cluster's end to ENDS (up to MAX) and returns the number of clusters. */
size_t linebreak_clusters(const char *s, size_t len, size_t *ends, size_t max);

#endif
