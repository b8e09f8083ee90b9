/*
** Template front matter: the YAML block between two `---` lines at the top of a template,
** saying what data the template reads, how it fans out and where its documents go.
*/
#ifndef BAOCAO_FRONTMATTER_H
#define BAOCAO_FRONTMATTER_H

#include <stddef.h>

#include "arena.h"
#include "diag.h"

#define FRONTMATTER_MAX_BYTES (1u << 20) /* a header, not a data file */

/* A YAML value as written: a scalar, a list or a map. Every value keeps where it starts. */
typedef enum fm_kind { FM_SCALAR, FM_LIST, FM_MAP } fm_kind;

typedef struct fm_value fm_value;
struct fm_value {
    fm_kind kind;
    const char *text;  /* FM_SCALAR: the text (NFC as written) */
    const char **keys; /* FM_MAP: the keys, in order */
    fm_value **items;  /* FM_LIST items, or FM_MAP values (parallel to KEYS) */
    size_t count;
    unsigned line, col;
};

enum { FM_PDF = 1, FM_HTML = 2, FM_MD = 4 };

typedef struct fm_filter {
    const char *column, *value;
    unsigned line, col;
} fm_filter;

typedef struct fm_sort {
    const char *column;
    int descending; /* written with a leading '-' */
} fm_sort;

typedef struct frontmatter {
    const char *title;           /* a Mustache pattern, or NULL */
    const char *data, *targets;  /* paths as written, relative to the template; or NULL */
    const char *key, *period;    /* column names, or NULL (then the dictionary's roles) */
    const char **each;           /* the fan-out columns */
    size_t neach;
    fm_filter *where;
    size_t nwhere;
    fm_sort *sort;
    size_t nsort;
    const char *output;          /* a Mustache pattern for the file name, without extension */
    unsigned formats;            /* FM_* bits; 0 when not given */
    const char *style;           /* a style sheet, relative to the template */
    const fm_value *params;      /* a map, or NULL */
    /* Where each path-valued key was written, for "missing file" errors. */
    unsigned data_line, data_col, targets_line, targets_col, style_line, style_col;
    /* The template body after the closing `---` line. */
    size_t body_offset;
    unsigned body_line; /* 1-based line of the body's first byte in the file */
} frontmatter;

/* Parses the front matter at the top of SRC (NAME for messages) into FM, allocating in A.
 * A template without front matter is valid: FM is zeroed and the body is all of SRC.
 * An unknown key is a warning with its line; a wrong type or broken YAML an error.
 * Returns 0, or -1 after reporting. */
int frontmatter_parse(const char *name, const char *src, size_t len, frontmatter *fm, arena *a,
                      diag *d);

/* Borrowed: the value at PATH ("a.b" through maps) in FM->params, or NULL. */
const fm_value *frontmatter_param(const frontmatter *fm, const char *path);

#endif
