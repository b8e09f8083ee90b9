/*
** Tables: a CSV file read (libcsv), decoded (decode.h) and typed by column, with the data
** dictionary (input/columns.csv) that declares the types. Everything a later stage needs
** from a CSV file goes through this header.
*/
#ifndef BAOCAO_TABLE_H
#define BAOCAO_TABLE_H

#include <stddef.h>

#include "decode.h"
#include "diag.h"

typedef enum table_type {
    TABLE_TEXT,
    TABLE_INTEGER,
    TABLE_DECIMAL,
    TABLE_PERCENT, /* 12,5% reads as 12.5 */
    TABLE_DATE     /* dd/mm/yyyy or yyyy-mm-dd; canonical yyyy-mm-dd */
} table_type;

typedef enum table_aggregate { TABLE_AGG_NONE, TABLE_AGG_SUM, TABLE_AGG_MEAN } table_aggregate;

typedef enum table_role {
    TABLE_ROLE_NONE,
    TABLE_ROLE_KEY,    /* identifies a unit (ma_tinh) */
    TABLE_ROLE_PERIOD, /* time (nam) */
    TABLE_ROLE_NAME,   /* the unit's name (ten_tinh) */
    TABLE_ROLE_REGION  /* a grouping of units (vung) */
} table_role;

/* Number conventions: Vietnamese 1.234.567,89 or English 1,234,567.89. */
typedef enum table_convention { TABLE_CONV_AUTO, TABLE_CONV_VN, TABLE_CONV_EN } table_convention;

/* A column as the dictionary declares it, or as inferred (declared == 0: label is the name,
 * unit empty, aggregate sum for counts and none otherwise, no role, no bounds). */
typedef struct column {
    const char *name;
    const char *label;
    const char *unit;
    table_type type;
    int decimals; /* digits after the decimal mark when printed; -1 when not declared */
    table_aggregate aggregate;
    table_role role;
    double min, max; /* NAN when not declared */
    int declared;    /* 1 when the dictionary names the column */
} column;

/* Borrowed, static: "text", "integer", "decimal", "percent", "date" (and so on). */
const char *table_type_name(table_type t);
const char *table_aggregate_name(table_aggregate a);
const char *table_role_name(table_role r); /* "" for none */
const char *table_convention_name(table_convention c);

/***  The data dictionary  ***/

typedef struct table_dict table_dict;

/* Reads a dictionary (header column,label,unit,type,decimals,aggregate,role,min,max; only
 * column and type are required) with the same reader as the data. Returns NULL after
 * reporting every problem to D. Free with table_dict_free(). */
table_dict *table_dict_read(const char *path, diag *d);
/* The same from LEN bytes in memory; NAME is used in messages. */
table_dict *table_dict_parse(const char *name, const char *bytes, size_t len, diag *d);
void table_dict_free(table_dict *dict);
size_t table_dict_count(const table_dict *dict);
/* Borrowed: valid until DICT is freed. NULL when I is out of range or NAME unknown. */
const column *table_dict_at(const table_dict *dict, size_t i);
const column *table_dict_lookup(const table_dict *dict, const char *name);

/***  Reading a table  ***/

typedef struct table_opts {
    const table_dict *dict;      /* NULL: every column's type is inferred */
    table_convention convention; /* AUTO: detected from unambiguous values, else VN */
    int all_text;                /* 1: no typing, every column text (for dictionaries, rules) */
} table_opts;

typedef struct table table;

/* What was found while reading. */
typedef struct table_info {
    decode_encoding encoding;
    char delimiter;              /* ',', ';' or '\t' */
    table_convention convention; /* VN or EN, never AUTO */
} table_info;

/* Reads PATH into a typed table. On failure returns NULL after reporting every problem to D
 * (as "PATH:LINE:COL: error: ..."). OPTS may be NULL. The caller frees with table_free(). */
table *table_read(const char *path, const table_opts *opts, diag *d);
/* The same from LEN bytes in memory; NAME is used in messages. */
table *table_parse(const char *name, const char *bytes, size_t len, const table_opts *opts,
                   diag *d);
void table_free(table *t);

/* Borrowed: the file name the table was read from. */
const char *table_name(const table *t);
const table_info *table_detected(const table *t);
size_t table_rows(const table *t); /* data rows, the header excluded */
size_t table_cols(const table *t);
/* Borrowed: valid until T is freed; NULL when C is out of range. */
const column *table_column(const table *t, size_t c);
/* Index of the column called NAME, or -1. */
long table_find(const table *t, const char *name);

/* A cell as a number: integer/decimal/percent as read (12,5% → 12.5), date as days since
 * 1970-01-01; NAN when missing or in a text column. ROW and C must be in range. */
double table_num(const table *t, size_t row, size_t c);
/* A cell's text: NFC as read for text, canonical for numbers ("1234567.89", "12.5") and
 * dates ("2023-01-06"), "" when missing. Borrowed: valid until T is freed. */
const char *table_text(const table *t, size_t row, size_t c);
/* 1 when the cell is missing (empty, "-" or "–"), never the same as zero. */
int table_missing(const table *t, size_t row, size_t c);
/* The line (1-based) where ROW starts in the file, for messages. */
unsigned table_line(const table *t, size_t row);
/* Where a cell starts in the file (1-based line and column in characters), for messages:
 * counted from the row's start on each call, so it costs a read of the row up to the cell. */
void table_pos(const table *t, size_t row, size_t c, unsigned *line, unsigned *col);
/* Line and column of the header cell of column C. */
void table_header_pos(const table *t, size_t c, unsigned *line, unsigned *col);

#endif
