/*
** Tables: libcsv → typed columns.
**
** Design. The decoded text (decode.h) is the string pool, and every cell stays where libcsv
** found it: libcsv does not trim (no_space) and runs over the pool in one call, so an
** unquoted field's content is its raw bytes and a quoted one's the bytes after its opening
** quote. The builder keeps a cursor of its own that steps over each field's raw bytes with
** libcsv's rules (non-strict quoting), and NUL-terminates the cell over the delimiter, line
** end or closing quote that libcsv has already read. Only a quoted field that libcsv changed
** ("" or a CR in it) is copied, from libcsv's buffer, over its own raw bytes. No cell is
** malloc'd; a cell costs a 32-bit pool offset, rows are stored row-major.
**
** Positions are not counted as the file is read (that cost as much as the tokenising) but
** when a message asks: table_pos() counts the row from its start up to the cell. This is
** exact because every later change to those bytes keeps their count of characters and line
** breaks (locate()); the rows where that is not so, those with a copied quoted field, have
** their positions counted as they are read and kept in t->exact.
**
** After the last row, each column gets its type (the dictionary's, or inferred), the file's
** number convention is settled from the unambiguous values, and number and date cells are
** rewritten in place to their canonical text (never longer than the raw text, except dates,
** which go to a small side pool).
**
** Cost (make bench, 100.000 x 25, 16 MB; callgrind): 1,4 G instructions, of which libcsv's
** own tokenising is 0,68 G; typing 0,38 G; the callbacks 0,25 G; decoding 0,07 G.
*/
#include "table.h"

#include <csv.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "buf.h"
#include "fileio.h"
#include "xalloc.h"

#define TABLE_MAX_BYTES 0x7FFFFFF0u /* pool offsets are 31 bits; bigger files are refused */
#define EXTRA_BIT 0x80000000u       /* an offset with this bit set is in the side pool */
#define POS_COL_MAX 0xFFFFFFu       /* 24 bits of column; longer lines saturate */
#define POS_LINES_MAX 0xFFu         /* 8 bits of lines after the row's first line */

struct table {
    char *name;
    char *pool; /* the decoded file, rewritten in place into NUL-terminated cells */
    size_t pool_len;
    buf extra;  /* canonical texts longer than their raw text (dates) */
    size_t nrows, ncols, cap;
    uint32_t *cell;     /* nrows * ncols pool offsets */
    uint32_t *line;     /* per row: its first line */
    uint32_t *row_off;  /* per row: where it starts in the pool, to locate its cells */
    uint32_t *exact;    /* rows that cannot be located: row, then ncols packed positions */
    size_t exact_len, exact_cap;
    uint32_t *head_pos; /* per column: packed position of the header cell */
    unsigned head_line;
    column *cols;
    arena *strings; /* column names and dictionary strings */
    table_info info;
};

const char *table_type_name(table_type t)
{
    static const char *const names[] = { "text", "integer", "decimal", "percent", "date" };
    return (unsigned)t < 5 ? names[t] : "?";
}

const char *table_aggregate_name(table_aggregate a)
{
    static const char *const names[] = { "none", "sum", "mean" };
    return (unsigned)a < 3 ? names[a] : "?";
}

const char *table_role_name(table_role r)
{
    static const char *const names[] = { "", "key", "period", "name", "region" };
    return (unsigned)r < 5 ? names[r] : "?";
}

const char *table_convention_name(table_convention c)
{
    return c == TABLE_CONV_EN ? "1,234.5 (English)"
         : c == TABLE_CONV_VN ? "1.234,5 (Vietnamese)"
                              : "auto";
}

/***  Numbers and dates  ***/

/* What a number token tells about the file's convention. */
typedef enum numkind {
    NUM_NONE,  /* not a number */
    NUM_PLAIN, /* digits only: no separator */
    NUM_VN,    /* only readable as 1.234,5 */
    NUM_EN,    /* only readable as 1,234.5 */
    NUM_AMBIG  /* 1.234 or 1,234: a thousands group or a decimal */
} numkind;

typedef struct number {
    numkind kind;
    int negative, percent, leading_zero;
    const char *digits; /* body: digits and separators */
    size_t len;
    char sep;         /* the one separator of an ambiguous token */
    size_t seps;      /* how many separators the body holds */
    const char *mark; /* the last of them */
} number;

static int is_digit(char c)
{
    return c >= '0' && c <= '9';
}

/* Checks that S[0..LEN) is digits grouped by SEP in threes after a 1-3 digit lead. */
static int grouped(const char *s, size_t len, char sep)
{
    size_t run = 0, groups = 0;

    for (size_t i = 0; i < len; i++) {
        if (s[i] == sep) {
            if ((groups == 0 && (run < 1 || run > 3)) || (groups > 0 && run != 3))
                return 0;
            groups++, run = 0;
        } else if (is_digit(s[i])) {
            run++;
        } else {
            return 0;
        }
    }
    return groups == 0 ? run > 0 : run == 3;
}

static int all_digits(const char *s, size_t len)
{
    for (size_t i = 0; i < len; i++)
        if (!is_digit(s[i]))
            return 0;
    return len > 0;
}

static int trim(const char **s, size_t *len)
{
    if (*len && (*s)[0] > ' ' && (*s)[*len - 1] > ' ')
        return 1; /* nothing to trim: the usual case */
    while (*len && ((*s)[0] == ' ' || (*s)[0] == '\t'))
        (*s)++, (*len)--;
    while (*len && ((*s)[*len - 1] == ' ' || (*s)[*len - 1] == '\t'))
        (*len)--;
    return *len > 0;
}

/* Sets N->kind from the separators of the body S[0..LEN) (digits, '.' and ',' only, a digit at
 * both ends): how many of each and where the last one is. */
static void decide(number *n, const char *s, size_t len, size_t dots, size_t commas,
                   const char *last_dot, const char *last_comma)
{
    n->seps = dots + commas;
    n->mark = last_dot > last_comma ? last_dot : last_comma;
    if (!dots && !commas) {
        n->kind = NUM_PLAIN;
    } else if (dots && commas) {
        /* the last separator is the decimal mark and appears once */
        int vn = last_comma > last_dot;
        const char *mark = vn ? last_comma : last_dot;
        if ((vn ? commas : dots) == 1 && grouped(s, (size_t)(mark - s), vn ? '.' : ',') &&
            all_digits(mark + 1, len - (size_t)(mark - s) - 1))
            n->kind = vn ? NUM_VN : NUM_EN;
    } else {
        char sep = dots ? '.' : ',';
        const char *mark = dots ? last_dot : last_comma;
        size_t ip = (size_t)(mark - s), fp = len - ip - 1;
        if (dots + commas > 1)
            n->kind = grouped(s, len, sep) ? (sep == '.' ? NUM_VN : NUM_EN) : NUM_NONE;
        else if (fp == 3 && ip >= 1 && ip <= 3 && s[0] != '0')
            n->kind = NUM_AMBIG, n->sep = sep;
        else
            n->kind = sep == ',' ? NUM_VN : NUM_EN;
    }
}

static void classify(const char *s, size_t len, number *n)
{
    const char *last_dot = NULL, *last_comma = NULL;
    size_t dots = 0, commas = 0;

    memset(n, 0, sizeof *n);
    if (!trim(&s, &len))
        return;
    if (s[len - 1] == '%') {
        n->percent = 1;
        len--;
        while (len && s[len - 1] == ' ')
            len--;
    }
    if (len && (s[0] == '-' || s[0] == '+'))
        n->negative = s[0] == '-', s++, len--;
    if (!len || !is_digit(s[0]) || !is_digit(s[len - 1]))
        return;
    n->digits = s, n->len = len;
    n->leading_zero = len > 1 && s[0] == '0' && is_digit(s[1]);
    for (size_t i = 0; i < len; i++) {
        if (s[i] == '.')
            dots++, last_dot = s + i;
        else if (s[i] == ',')
            commas++, last_comma = s + i;
        else if (!is_digit(s[i]))
            return;
    }
    decide(n, s, len, dots, commas, last_dot, last_comma);
}

/* classify() for the NUL-terminated cell S; returns its length. Nearly every numeric cell is
 * digits and separators alone (no sign, space or %), and those are read in this one loop,
 * with no strlen, trim or second walk: the typing passes call this for 2,5 million cells of
 * the benchmark table, and it halved their cost. Anything else goes through classify(). */
static size_t scan(const char *s, number *n)
{
    const char *p = s, *last_dot = NULL, *last_comma = NULL;
    size_t dots = 0, commas = 0, len;

    for (;; p++) {
        if (is_digit(*p))
            continue;
        if (*p == '.')
            dots++, last_dot = p;
        else if (*p == ',')
            commas++, last_comma = p;
        else
            break;
    }
    len = (size_t)(p - s);
    if (*p || !len || !is_digit(s[0]) || !is_digit(p[-1])) {
        len += strlen(p);
        classify(s, len, n);
        return len;
    }
    *n = (number){ .digits = s, .len = len, .leading_zero = s[0] == '0' && is_digit(s[1]) };
    if (dots + commas == 1 && (dots ? last_dot : last_comma) - s > 3) {
        /* one separator, too far in for a thousands group: the decimal mark (decide()) */
        n->kind = dots ? NUM_EN : NUM_VN;
        n->seps = 1, n->mark = dots ? last_dot : last_comma;
    } else {
        decide(n, s, len, dots, commas, last_dot, last_comma);
    }
    return len;
}

/* 1 when S (of length LEN, as scan() read it into N) is digits alone with no leading zero:
 * already canonical. */
static int is_plain_count(const char *s, size_t len, const number *n)
{
    return n->kind == NUM_PLAIN && n->digits == s && n->len == len && s[0] != '0';
}

/* What the first typing pass learnt of a numeric cell, one byte a cell, so that the second
 * need not read it again: a plain count, or digits with one separator at index MEMO_AT
 * (no sign, space, % or leading zero) that is either the decimal mark or, in an ambiguous
 * token, the convention's choice. 0: anything else, read again. */
#define MEMO_PLAIN 0x40u
#define MEMO_AMBIG 0x80u
#define MEMO_DECIMAL 0xC0u
#define MEMO_AT 0x3Fu

static uint8_t memo(const char *s, size_t len, const number *n)
{
    size_t at = (size_t)(n->mark - s);

    if (is_plain_count(s, len, n))
        return MEMO_PLAIN;
    if (n->digits != s || n->len != len || n->seps != 1 || at > MEMO_AT)
        return 0;
    if (n->kind == NUM_AMBIG)
        return (uint8_t)(MEMO_AMBIG | at);
    if ((n->kind == NUM_VN || n->kind == NUM_EN) && (at == 1 || s[0] != '0'))
        return (uint8_t)(MEMO_DECIMAL | at);
    return 0;
}

/* Writes the canonical form of N under CONV to OUT ([-]digits[.digits], leading zeros of the
 * integer part dropped); returns its length, never more than the token's. */
static size_t canonical(const number *n, table_convention conv, char *out)
{
    char group, mark;
    size_t k = 0, start;
    int in_int = 1;

    if (n->kind == NUM_VN || (n->kind == NUM_AMBIG && conv != TABLE_CONV_EN))
        group = '.', mark = ',';
    else
        group = ',', mark = '.';
    if (n->negative)
        out[k++] = '-';
    start = k;
    for (size_t i = 0; i < n->len; i++) {
        char c = n->digits[i];
        if (c == group)
            continue;
        if (c == mark) {
            if (k == start)
                out[k++] = '0';
            out[k++] = '.', in_int = 0;
            continue;
        }
        if (in_int && c == '0' && k == start)
            continue; /* a leading zero */
        out[k++] = c;
    }
    if (k == start)
        out[k++] = '0';
    if (k == 2 && out[0] == '-' && out[1] == '0')
        out[0] = '0', k = 1;
    return k;
}

/* Days from 1970-01-01 to Y-M-D (proleptic Gregorian; H. Hinnant's days_from_civil). */
static long days_from_civil(long y, unsigned m, unsigned d)
{
    y -= m <= 2;
    long era = (y >= 0 ? y : y - 399) / 400;
    unsigned yoe = (unsigned)(y - era * 400);
    unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + (long)doe - 719468;
}

static int read_uint(const char *s, size_t len, unsigned *v)
{
    *v = 0;
    if (len == 0 || len > 4)
        return 0;
    for (size_t i = 0; i < len; i++) {
        if (!is_digit(s[i]))
            return 0;
        *v = *v * 10 + (unsigned)(s[i] - '0');
    }
    return 1;
}

/* Reads yyyy-mm-dd, dd/mm/yyyy, dd-mm-yyyy or dd.mm.yyyy; writes yyyy-mm-dd to OUT. */
static int parse_date(const char *s, size_t len, char out[11])
{
    const char *p[3];
    size_t l[3], k = 0, a = 0;
    unsigned y, m, d;
    static const unsigned mdays[] = { 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };

    if (!trim(&s, &len) || len > 10)
        return 0;
    for (size_t i = 0; i <= len && k < 3; i++) {
        if (i == len || s[i] == '-' || s[i] == '/' || s[i] == '.') {
            p[k] = s + a, l[k] = i - a, k++, a = i + 1;
        }
    }
    if (k != 3 || a != len + 1)
        return 0;
    if (l[0] == 4 && l[1] <= 2 && l[2] <= 2) {
        if (!read_uint(p[0], 4, &y) || !read_uint(p[1], l[1], &m) || !read_uint(p[2], l[2], &d))
            return 0;
    } else if (l[2] == 4 && l[0] <= 2 && l[1] <= 2) {
        if (!read_uint(p[2], 4, &y) || !read_uint(p[1], l[1], &m) || !read_uint(p[0], l[0], &d))
            return 0;
    } else {
        return 0;
    }
    if (m < 1 || m > 12 || d < 1 || d > mdays[m - 1] || y < 1000)
        return 0;
    if (m == 2 && d == 29 && !(y % 4 == 0 && (y % 100 != 0 || y % 400 == 0)))
        return 0;
    snprintf(out, 11, "%04u-%02u-%02u", y % 10000, m % 100, d % 100);
    return 1;
}

/* Missing: empty, "-", "–" (en dash) or "—" (em dash), spaces around allowed. */
static int is_missing(const char *s, size_t len)
{
    if (len && is_digit(s[0]))
        return 0;
    if (!trim(&s, &len))
        return 1;
    return (len == 1 && s[0] == '-') || (len == 3 && (!memcmp(s, "\xE2\x80\x93", 3) ||
                                                      !memcmp(s, "\xE2\x80\x94", 3)));
}

/* A canonical number ([-]digits[.digits]) to double: exact for up to 15 significant digits
 * with a short fraction (Clinger's fast path), strtod otherwise. */
static double canonical_to_double(const char *s)
{
    static const double pow10[] = { 1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10,
                                    1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19,
                                    1e20, 1e21, 1e22 };
    const char *p = s;
    uint64_t m = 0;
    int digits = 0, frac = -1, neg = 0;

    if (*p == '-')
        neg = 1, p++;
    for (; *p; p++) {
        if (*p == '.' && frac < 0) {
            frac = 0;
            continue;
        }
        if (!is_digit(*p) || ++digits > 15)
            return strtod(s, NULL);
        m = m * 10 + (uint64_t)(*p - '0');
        if (frac >= 0)
            frac++;
    }
    double v = (double)m / pow10[frac > 0 ? frac : 0];
    return neg ? -v : v;
}

/***  Positions  ***/

static uint32_t pack_pos(unsigned lines_after, unsigned col)
{
    if (lines_after > POS_LINES_MAX)
        lines_after = POS_LINES_MAX;
    if (col > POS_COL_MAX)
        col = POS_COL_MAX;
    return (uint32_t)lines_after << 24 | col;
}

static int is_term(char c)
{
    return c == '\r' || c == '\n';
}

/* Steps *LINE and *COL over S[FROM..TO): a line break is LF, CR LF or a lone CR; a column is
 * a character (a byte that is not a UTF-8 continuation byte). END bounds the look at the
 * byte after a CR. */
static void count_chars(const char *s, size_t from, size_t to, size_t end, unsigned *line,
                        unsigned *col)
{
    for (size_t i = from; i < to; i++) {
        char c = s[i];
        if (c == '\n' || (c == '\r' && (i + 1 >= end || s[i + 1] != '\n')))
            ++*line, *col = 1;
        else if (c != '\r' && ((unsigned char)c & 0xC0) != 0x80)
            ++*col;
    }
}

/* The packed position of byte OFF of the row that starts at ROW_OFF, counted over the pool
 * as it is after reading. That gives the raw file's count because every rewrite of a row
 * that has no entry in t->exact keeps the characters and line breaks of the bytes it
 * touches: a NUL replaces one delimiter, line end, closing quote or a missing cell's first
 * byte, and numbers and dates are ASCII before and after. */
static uint32_t locate(const char *pool, size_t len, size_t row_off, size_t off)
{
    unsigned line = 0, col = 1;

    count_chars(pool, row_off, off, len, &line, &col);
    return pack_pos(line, col);
}

/***  The builder: libcsv callbacks  ***/

typedef struct builder {
    table *t;
    diag *d;
    char *src; /* the pool, its cells NUL-terminated in place behind the parser */
    size_t len;
    size_t cur;                   /* raw start of the next field (our own cursor) */
    unsigned line;                /* the line CUR is on, between rows */
    size_t row_off;               /* where the current row starts */
    unsigned row_line;
    int row_open;                 /* a field of the current row has been seen */
    int header_done;
    int row_bad;                  /* more fields than the header: the row is dropped */
    int row_blank;
    size_t field;                 /* fields seen in the current row */
    size_t end;                   /* raw end of the row's last field */
    size_t brk;                   /* length of the line break after it (0 at the end) */
    int unterminated;
    unsigned open_line, open_col; /* a quote left open, for the error */
    /* A row whose cells cannot be located afterwards (a quoted field rewritten: "" or CR in
     * it) is counted as it is read, from AT on: positions per field in ROWPOS. */
    int exact;
    size_t at;
    unsigned eline, ecol;
    uint32_t end_pos;             /* the end of its last field */
    uint32_t *rowpos;
    size_t rowpos_cap;
    uint32_t *hcell;              /* header cells, until the header row ends */
    size_t hcap;
} builder;

/* Where raw byte OFF of the current row is, packed as lines after the row's first line and
 * a column. */
static uint32_t where(builder *b, size_t off)
{
    if (!b->exact)
        return locate(b->src, b->len, b->row_off, off);
    count_chars(b->src, b->at, off, b->len, &b->eline, &b->ecol);
    b->at = off;
    return pack_pos(b->eline - b->row_line, b->ecol);
}

/* Switches the current row to counting as it is read: the fields before this one are
 * located over the pool (their rewrites keep the count), the rest as they come. */
static void begin_exact(builder *b)
{
    size_t n = b->header_done ? b->t->ncols : b->field + 1;

    if (b->exact)
        return;
    if (b->rowpos_cap < n + 1) {
        b->rowpos_cap = 2 * n + 16;
        b->rowpos = xrealloc(b->rowpos, b->rowpos_cap * sizeof *b->rowpos);
    }
    b->exact = 1;
    b->at = b->row_off, b->eline = b->row_line, b->ecol = 1;
    for (size_t f = 0; f < b->field && f < n && b->t->nrows < b->t->cap; f++) {
        uint32_t off = b->header_done ? b->t->cell[b->t->nrows * b->t->ncols + f] : b->hcell[f];
        size_t start = off > b->row_off && b->src[off - 1] == '"' ? off - 1 : off;
        b->rowpos[f] = locate(b->src, b->len, b->row_off, start);
    }
}

static void keep_pos(builder *b, size_t f, uint32_t pos)
{
    if (f >= b->rowpos_cap) {
        b->rowpos_cap = 2 * f + 16;
        b->rowpos = xrealloc(b->rowpos, b->rowpos_cap * sizeof *b->rowpos);
    }
    b->rowpos[f] = pos;
}

/* Steps over the quoted field at S[I] the way libcsv reads it: "" is a quote, and a quote
 * followed by anything but a delimiter or a line end is kept as a literal quote. Returns
 * where the field ends (its delimiter, line end, or the end of the text when the quote is
 * never closed) and adds the line breaks inside it to *LINES. */
static size_t skip_quoted(const char *s, size_t i, size_t n, char delim, int *closed,
                          unsigned *lines)
{
    for (i++; i < n; i++) {
        char c = s[i];
        if (c == '"') {
            if (i + 1 < n && s[i + 1] == '"')
                i++;
            else if (i + 1 >= n || s[i + 1] == delim || is_term(s[i + 1])) {
                *closed = 1;
                return i + 1;
            }
        } else if (c == '\n' || (c == '\r' && (i + 1 >= n || s[i + 1] != '\n'))) {
            ++*lines;
        }
    }
    *closed = 0;
    return n;
}

/* Line ends inside a quoted field become "\n", whatever the file used. */
static size_t unify_line_ends(char *s, size_t len)
{
    size_t k = 0;

    for (size_t i = 0; i < len; i++) {
        if (s[i] == '\r') {
            s[k++] = '\n';
            if (i + 1 < len && s[i + 1] == '\n')
                i++;
        } else {
            s[k++] = s[i];
        }
    }
    return k;
}

static void begin_row(builder *b)
{
    const char *s = b->src;

    for (; b->cur < b->len && is_term(s[b->cur]); b->cur++)
        if (s[b->cur] == '\n' || b->cur + 1 >= b->len || s[b->cur + 1] != '\n')
            b->line++;
    b->row_off = b->cur, b->row_line = b->line;
    b->row_open = 1;
    b->row_bad = 0;
    b->row_blank = 1;
    b->field = 0;
    b->exact = !b->header_done; /* the header is always counted as read: one row */
    b->at = b->row_off, b->eline = b->row_line, b->ecol = 1;
}

/* Sizes the cell arrays once, after the header: a row of N fields holds N-1 delimiters and
 * ends at a line break or the end, so rows <= min(breaks, bytes / (N-1)) + 1. malloc'd but
 * untouched pages cost no memory, and no realloc ever copies a big array. */
static void size_rows(builder *b)
{
    table *t = b->t;
    size_t breaks = 0, rows, per = t->ncols > 1 ? t->ncols - 1 : 1;

    for (const char *p = b->src + b->cur, *e = b->src + b->len; p < e; p++) {
        p = memchr(p, '\n', (size_t)(e - p));
        if (!p)
            break;
        breaks++;
    }
    for (const char *p = b->src + b->cur, *e = b->src + b->len; p < e; p++) {
        p = memchr(p, '\r', (size_t)(e - p));
        if (!p)
            break;
        breaks++;
    }
    rows = breaks + 1;
    if (rows > b->len / per + 1)
        rows = b->len / per + 1;
    t->cap = rows;
    t->cell = xmalloc(rows * (t->ncols ? t->ncols : 1) * sizeof *t->cell);
    t->line = xmalloc(rows * sizeof *t->line);
    t->row_off = xmalloc(rows * sizeof *t->row_off);
}

/* The field libcsv hands over is already in the pool: unquoted, its content is its raw
 * bytes; quoted, the bytes after the opening quote unless a "" or a CR in it made libcsv
 * change them. So a cell is NUL-terminated where it lies, and only such a rewritten quoted
 * field is copied (behind libcsv, which has read those bytes). Positions are not counted
 * here but when a message asks (locate), except in the rows of rewritten fields. */
static void on_field(void *data, size_t len, void *self)
{
    builder *b = self;
    table *t = b->t;
    char *s = b->src, delim = t->info.delimiter;
    size_t at, end, off;
    int closed;
    uint32_t pos = 0;

    if (!b->row_open)
        begin_row(b);
    at = b->cur;
    if (b->exact)
        pos = where(b, at);
    if (at < b->len && s[at] == '"') {
        unsigned lines = 0;
        end = skip_quoted(s, at, b->len, delim, &closed, &lines);
        b->line += lines;
        if (!closed && !b->unterminated) {
            uint32_t p = b->exact ? pos : where(b, at);
            b->open_line = b->row_line + (p >> 24), b->open_col = p & POS_COL_MAX;
            b->unterminated = 1;
        }
        off = at + 1;
        if (end - at != len + 2 || memchr(data, '\r', len)) {
            /* libcsv dropped a quote of a "" pair, or line ends are unified: rewritten */
            if (!b->exact) {
                begin_exact(b);
                pos = where(b, at);
            }
            b->end_pos = where(b, end);
            memmove(s + off, data, len);
            len = unify_line_ends(s + off, len);
        }
    } else {
        off = at;
        end = at + len;
        if (end > b->len || (end < b->len && s[end] != delim && !is_term(s[end]))) {
            /* cannot happen (libcsv's unquoted field is its raw bytes); a guard */
            for (end = at; end < b->len && s[end] != delim && !is_term(s[end]); end++)
                ;
            len = end - at < len ? end - at : len;
            memmove(s + off, data, len);
        }
    }
    b->end = end;
    b->brk = 0;
    if (end < b->len && s[end] == delim)
        b->cur = end + 1;
    else {
        b->cur = end;
        if (end < b->len)
            b->brk = s[end] == '\r' && end + 1 < b->len && s[end + 1] == '\n' ? 2 : 1;
    }
    if (b->exact)
        b->end_pos = where(b, end);
    s[off + len] = '\0'; /* over the delimiter, line end or closing quote */
    if (b->row_blank)
        for (size_t i = 0; i < len && b->row_blank; i++)
            if (s[off + i] != ' ' && s[off + i] != '\t')
                b->row_blank = 0;

    if (!b->header_done) {
        if (b->field == b->hcap) {
            b->hcap = b->hcap ? 2 * b->hcap : 16;
            b->hcell = xrealloc(b->hcell, b->hcap * sizeof *b->hcell);
        }
        b->hcell[b->field] = (uint32_t)off;
        keep_pos(b, b->field, pos);
    } else if (b->field < t->ncols && t->nrows < t->cap) {
        t->cell[t->nrows * t->ncols + b->field] = (uint32_t)off;
        if (b->exact)
            b->rowpos[b->field] = pos;
    } else if (b->field == t->ncols && !b->row_bad) {
        uint32_t p = b->exact ? pos : where(b, at);
        b->row_bad = 1;
        diag_error(b->d, t->name, b->row_line + (p >> 24), p & POS_COL_MAX,
                   "too many fields: the header has %zu", t->ncols);
    }
    b->field++;
}

static void finish_header(builder *b)
{
    table *t = b->t;

    t->ncols = b->field;
    t->cols = xcalloc(t->ncols ? t->ncols : 1, sizeof *t->cols);
    t->head_pos = xmalloc((t->ncols ? t->ncols : 1) * sizeof *t->head_pos);
    memcpy(t->head_pos, b->rowpos, t->ncols * sizeof *t->head_pos);
    t->head_line = b->row_line;
    for (size_t c = 0; c < t->ncols; c++) {
        const char *s = b->src + b->hcell[c];
        size_t len = strlen(s);
        unsigned line = b->row_line + (t->head_pos[c] >> 24), col = t->head_pos[c] & POS_COL_MAX;

        trim(&s, &len);
        t->cols[c].name = arena_strndup(t->strings, s, len);
        t->cols[c].label = t->cols[c].name;
        t->cols[c].unit = "";
        t->cols[c].decimals = -1;
        t->cols[c].min = t->cols[c].max = NAN;
        if (len == 0)
            diag_error(b->d, t->name, line, col, "empty column name (column %zu)", c + 1);
        for (size_t k = 0; k < c && len; k++)
            if (strcmp(t->cols[k].name, t->cols[c].name) == 0) {
                diag_error(b->d, t->name, line, col, "duplicate column name '%s'",
                           t->cols[c].name);
                break;
            }
    }
    b->header_done = 1;
    b->exact = 0;
    size_rows(b);
}

/* Keeps the exact positions of row R (see builder.exact); t->exact is in row order. */
static void keep_exact(builder *b, size_t r)
{
    table *t = b->t;
    size_t n = t->ncols + 1;

    if (t->exact_len + n > t->exact_cap) {
        t->exact_cap = 2 * (t->exact_len + n);
        t->exact = xrealloc(t->exact, t->exact_cap * sizeof *t->exact);
    }
    t->exact[t->exact_len] = (uint32_t)r;
    memcpy(t->exact + t->exact_len + 1, b->rowpos, t->ncols * sizeof *t->exact);
    t->exact_len += n;
}

static void on_row(int c, void *self)
{
    builder *b = self;
    table *t = b->t;
    uint32_t p;

    (void)c;
    if (!b->row_open)
        return;
    b->cur += b->brk; /* one line end; begin_row skips blank lines */
    b->line += b->brk > 0;
    b->row_open = 0;
    if (!b->header_done) {
        finish_header(b);
        return;
    }
    if (b->row_blank && !b->row_bad)
        return; /* Excel's empty rows (";;;;") carry nothing */
    if (b->row_bad)
        return;
    if (t->nrows == t->cap) /* cannot happen (size_rows); a guard, not a limit */
        return;
    if (b->field < t->ncols && !b->unterminated) {
        p = b->exact ? b->end_pos : locate(b->src, b->len, b->row_off, b->end);
        diag_error(b->d, t->name, b->row_line + (p >> 24), p & POS_COL_MAX,
                   "too few fields: %zu, the header has %zu", b->field, t->ncols);
        return;
    }
    if (b->exact)
        keep_exact(b, t->nrows);
    t->row_off[t->nrows] = (uint32_t)b->row_off;
    t->line[t->nrows++] = b->row_line;
}

/* The delimiter is the most frequent of tab, ';' and ',' outside quotes on the header line. */
static char detect_delimiter(const char *s, size_t len)
{
    size_t tabs = 0, semis = 0, commas = 0;
    int quoted = 0;

    for (size_t i = 0; i < len; i++) {
        char c = s[i];
        if (c == '"')
            quoted = !quoted;
        else if (!quoted && is_term(c))
            break;
        else if (!quoted)
            tabs += c == '\t', semis += c == ';', commas += c == ',';
    }
    if (tabs > 0 && tabs >= semis && tabs >= commas)
        return '\t';
    if (semis > 0 && semis >= commas)
        return ';';
    return ',';
}

static int no_space(unsigned char c)
{
    (void)c;
    return 0;
}

static int split(builder *b)
{
    struct csv_parser p;
    int rc = 0;

    if (csv_init(&p, CSV_STRICT_FINI) != 0)
        return -1;
    csv_set_delim(&p, (unsigned char)b->t->info.delimiter);
    csv_set_space_func(&p, no_space);
    if (csv_parse(&p, b->src, b->len, on_field, on_row, b) != b->len ||
        csv_fini(&p, on_field, on_row, b) != 0) {
        uint32_t pos = b->row_open ? where(b, b->cur) : 0;
        diag_error(b->d, b->t->name, b->row_open ? b->row_line + (pos >> 24) : b->line,
                   b->row_open ? pos & POS_COL_MAX : 1, "%s", csv_strerror(csv_error(&p)));
        rc = -1;
    } else if (b->unterminated) {
        /* libcsv's strict end needs CSV_STRICT, which stops at the first stray quote */
        diag_error(b->d, b->t->name, b->open_line, b->open_col,
                   "unterminated quote: the field runs to the end of the file");
        rc = -1;
    }
    csv_free(&p);
    return rc;
}

/***  Typing  ***/

static const char *cell_text(const table *t, size_t k)
{
    uint32_t off = t->cell[k];
    return off & EXTRA_BIT ? t->extra.ptr + (off & ~EXTRA_BIT) : t->pool + off;
}

/* Where cell K's text lies in the pool; a text moved to the side pool keeps it in the four
 * bytes before it (convert_cell). */
static uint32_t pool_offset(const table *t, size_t k)
{
    uint32_t off = t->cell[k];

    if (off & EXTRA_BIT)
        memcpy(&off, t->extra.ptr + (off & ~EXTRA_BIT) - 4, 4);
    return off;
}

static void cell_error(const table *t, diag *d, size_t row, size_t c, const char *msg)
{
    unsigned line, col;

    table_pos(t, row, c, &line, &col);
    diag_error(d, t->name, line, col, "%s in column '%s' (%s): '%s'", msg, t->cols[c].name,
               table_type_name(t->cols[c].type), cell_text(t, row * t->ncols + c));
}

/* What the cells of a column not in the dictionary have shown so far. */
typedef struct guess {
    int numeric, date, percent, any;
} guess;

/* memo() for the two shapes of nearly every numeric cell, digits alone or digits with one
 * separator, read with no struct and no call: 0 for anything else (and for leading zeros),
 * which then goes through scan() and memo(). *KIND is what scan() would find. On the bench
 * table this takes the whole read from 1,59 to 1,40 G instructions. */
static uint8_t quick_memo(const char *s, numkind *kind)
{
    const char *p = s, *sep, *frac;
    size_t at;

    while (is_digit(*p))
        p++;
    if (p == s || s[0] == '0')
        return 0; /* not a number, or a leading zero that scan() must judge */
    if (!*p) {
        *kind = NUM_PLAIN;
        return MEMO_PLAIN;
    }
    if (*p != '.' && *p != ',')
        return 0;
    sep = p++, frac = p;
    while (is_digit(*p))
        p++;
    at = (size_t)(sep - s);
    if (*p || p == frac || at > MEMO_AT)
        return 0;
    if (p - frac == 3 && at <= 3) {
        *kind = NUM_AMBIG;
        return (uint8_t)(MEMO_AMBIG | at);
    }
    *kind = *sep == ',' ? NUM_VN : NUM_EN;
    return (uint8_t)(MEMO_DECIMAL | at);
}

/* Takes the missing cells out beforehand (type_columns). */
static void observe(guess *g, const char *s, size_t *vn, size_t *en, uint8_t *m)
{
    number n;
    char iso[11];
    size_t len;
    numkind kind;

    g->any = 1;
    if ((*m = quick_memo(s, &kind)) != 0) {
        /* a number, never a date (one separator at most) */
        *vn += kind == NUM_VN, *en += kind == NUM_EN;
        g->date = 0;
        return;
    }
    len = scan(s, &n);
    *m = memo(s, len, &n);
    if (is_plain_count(s, len, &n)) { /* the common plain count */
        g->date = 0;
        return;
    }
    if (n.kind == NUM_NONE || n.leading_zero) {
        g->numeric = 0;
    } else {
        g->percent |= n.percent;
        *vn += n.kind == NUM_VN, *en += n.kind == NUM_EN;
    }
    if (g->date && !parse_date(s, len, iso))
        g->date = 0;
}

/* Decimal until the convention says whether 1.234 has a fraction (type_columns). */
static table_type guessed_type(const guess *g)
{
    if (!g->any)
        return TABLE_TEXT;
    if (g->numeric)
        return g->percent ? TABLE_PERCENT : TABLE_DECIMAL;
    return g->date ? TABLE_DATE : TABLE_TEXT;
}

/* Rewrites cell (R, C) to its canonical text, reporting it when it does not fit the column's
 * type. Returns 1 when it is a number with a fraction. */
static int convert_cell(table *t, size_t r, size_t c, uint8_t seen, diag *d)
{
    size_t k = r * t->ncols + c;
    table_type type = t->cols[c].type;
    char *s = (char *)cell_text(t, k), iso[11], tmp[64], *out;
    size_t len, m;
    number n;
    int fraction;

    if (seen && type != TABLE_TEXT && type != TABLE_DATE) {
        /* what canonical() would write, in place: the separator dropped or made '.' */
        size_t at = seen & MEMO_AT;
        char group = t->info.convention == TABLE_CONV_EN ? ',' : '.';
        if (seen == MEMO_PLAIN)
            return 0;
        if ((seen & ~MEMO_AT) == MEMO_AMBIG && s[at] == group) {
            memmove(s + at, s + at + 1, 4); /* three digits and the NUL */
            return 0;
        }
        if (type != TABLE_INTEGER) {
            s[at] = '.';
            return 1;
        }
        /* a fraction in an integer column: the error below */
    }
    if (!is_digit(s[0]) && is_missing(s, strlen(s))) {
        s[0] = '\0';
        return 0;
    }
    if (type == TABLE_TEXT)
        return 0;
    if (type == TABLE_DATE) {
        len = strlen(s);
        if (!parse_date(s, len, iso)) {
            cell_error(t, d, r, c, "not a date (dd/mm/yyyy or yyyy-mm-dd)");
        } else if (len >= 10) {
            memcpy(s, iso, 11);
        } else if (t->extra.len < EXTRA_BIT - 15) { /* else the raw text stays: a limit */
            uint32_t off = t->cell[k]; /* for table_pos */
            buf_put(&t->extra, &off, 4);
            t->cell[k] = (uint32_t)t->extra.len | EXTRA_BIT;
            buf_put(&t->extra, iso, 11);
        }
        return 0;
    }
    len = scan(s, &n);
    if (is_plain_count(s, len, &n))
        return 0; /* already canonical: the common plain count */
    if (n.kind == NUM_NONE) {
        cell_error(t, d, r, c, "not a number");
        return 0;
    }
    if (n.percent && type != TABLE_PERCENT) {
        cell_error(t, d, r, c, "a percentage");
        return 0;
    }
    out = len < sizeof tmp ? tmp : xmalloc(len + 1);
    m = canonical(&n, t->info.convention, out);
    fraction = 0;
    for (size_t i = 0; i < m; i++)
        fraction |= out[i] == '.';
    if (type == TABLE_INTEGER && fraction) {
        cell_error(t, d, r, c, "not a whole number");
    } else {
        memcpy(s, out, m);
        s[m] = '\0';
    }
    if (out != tmp)
        free(out);
    return fraction;
}

/* Types every column, settles the convention, then rewrites the cells. Both passes walk the
 * pool in file order (row by row): column by column, every cell would be a cache miss. The
 * first leaves a memo() byte per cell, so the second rewrites most numbers without reading
 * them again (on the bench table: 1,1 G instructions for both passes before, 0,4 G after). */
static void type_columns(table *t, const table_opts *o, diag *d)
{
    guess *g = xcalloc(t->ncols ? t->ncols : 1, sizeof *g);
    int *fraction = xcalloc(t->ncols ? t->ncols : 1, sizeof *fraction);
    uint8_t *seen = xcalloc(t->nrows * t->ncols + 1, 1); /* memo(): 2,5 MB for the bench */
    size_t vn = 0, en = 0;

    for (size_t c = 0; c < t->ncols; c++) {
        const column *dc = o->dict ? table_dict_lookup(o->dict, t->cols[c].name) : NULL;
        g[c] = (guess){ 1, 1, 0, 0 };
        if (dc) {
            const char *name = t->cols[c].name;
            t->cols[c] = *dc;
            t->cols[c].name = name;
            /* copies: the table outlives the dictionary (baocao build frees it at once) */
            t->cols[c].label = arena_strdup(t->strings, dc->label);
            t->cols[c].unit = arena_strdup(t->strings, dc->unit);
        }
        if (o->all_text)
            t->cols[c].type = TABLE_TEXT, t->cols[c].declared = 1;
    }
    for (size_t r = 0, k = 0; r < t->nrows; r++)
        for (size_t c = 0; c < t->ncols; c++, k++) {
            const char *s = cell_text(t, k);
            number n;
            if (!t->cols[c].declared) {
                if ((g[c].numeric || g[c].date) && (is_digit(s[0]) || !is_missing(s, strlen(s))))
                    observe(&g[c], s, &vn, &en, &seen[k]);
            } else if (t->cols[c].type != TABLE_TEXT && t->cols[c].type != TABLE_DATE) {
                numkind kind;
                if ((seen[k] = quick_memo(s, &kind)) == 0)
                    seen[k] = memo(s, scan(s, &n), &n), kind = n.kind;
                vn += kind == NUM_VN, en += kind == NUM_EN;
            }
        }
    for (size_t c = 0; c < t->ncols; c++)
        if (!t->cols[c].declared)
            t->cols[c].type = guessed_type(&g[c]);
    t->info.convention = o->convention != TABLE_CONV_AUTO ? o->convention
                       : en > vn                          ? TABLE_CONV_EN
                                                          : TABLE_CONV_VN;
    for (size_t r = 0, k = 0; r < t->nrows; r++)
        for (size_t c = 0; c < t->ncols; c++, k++)
            fraction[c] |= convert_cell(t, r, c, seen[k], d);
    for (size_t c = 0; c < t->ncols; c++) {
        column *col = &t->cols[c];
        if (!col->declared && col->type == TABLE_DECIMAL && !fraction[c])
            col->type = TABLE_INTEGER;
        if (!col->declared)
            col->aggregate = col->type == TABLE_INTEGER ? TABLE_AGG_SUM : TABLE_AGG_NONE;
    }
    free(g);
    free(fraction);
    free(seen);
}

/***  Reading  ***/

/* Parses LEN bytes; OWNED, when not NULL, is BYTES and is given to decode_take(), so a big
 * file is never held twice beside its cells (UTF-8 NFC files become the pool as they are). */
static table *parse(const char *name, const char *bytes, size_t len, char *owned,
                    const table_opts *opts, diag *d)
{
    static const table_opts defaults = { NULL, TABLE_CONV_AUTO, 0 };
    const table_opts *o = opts ? opts : &defaults;
    table *t = xcalloc(1, sizeof *t);
    builder b = { .t = t, .d = d, .line = 1 };
    size_t errors = diag_errors(d);

    t->name = xstrdup(name);
    t->strings = arena_new();
    if (len >= TABLE_MAX_BYTES) {
        diag_error(d, name, 0, 0, "file too large: %zu bytes (at most 2 GB)", len);
        goto fail;
    }
    if (owned)
        t->pool = decode_take(name, owned, len, &t->info.encoding, &b.len, d);
    else
        t->pool = decode_bytes(name, bytes, len, &t->info.encoding, &b.len, d);
    owned = NULL;
    if (!t->pool)
        goto fail;
    if (b.len >= TABLE_MAX_BYTES) { /* UTF-16 and 8-bit text grow when decoded */
        diag_error(d, name, 0, 0, "file too large: %zu bytes decoded (at most 2 GB)", b.len);
        goto fail;
    }
    b.src = t->pool;
    t->pool_len = b.len;
    t->info.delimiter = detect_delimiter(b.src, b.len);
    if (split(&b) != 0 || diag_errors(d) > errors)
        goto fail;
    if (!b.header_done) {
        diag_error(d, name, 1, 1, "no header line: the file is empty");
        goto fail;
    }
    type_columns(t, o, d);
    if (diag_errors(d) > errors)
        goto fail;
    free(b.hcell);
    free(b.rowpos);
    return t;
fail:
    free(owned);
    free(b.hcell);
    free(b.rowpos);
    table_free(t);
    return NULL;
}

table *table_parse(const char *name, const char *bytes, size_t len, const table_opts *opts,
                   diag *d)
{
    return parse(name, bytes, len, NULL, opts, d);
}

table *table_read(const char *path, const table_opts *opts, diag *d)
{
    char *data;
    size_t len;

    if (fileio_read(path, &data, &len, d) != 0)
        return NULL;
    return parse(path, data, len, data, opts, d);
}

void table_free(table *t)
{
    if (!t)
        return;
    free(t->name);
    free(t->pool);
    buf_free(&t->extra);
    free(t->cell);
    free(t->line);
    free(t->row_off);
    free(t->exact);
    free(t->head_pos);
    free(t->cols);
    arena_free(t->strings);
    free(t);
}

/***  Access  ***/

const char *table_name(const table *t) { return t->name; }
const table_info *table_detected(const table *t) { return &t->info; }
size_t table_rows(const table *t) { return t->nrows; }
size_t table_cols(const table *t) { return t->ncols; }

const column *table_column(const table *t, size_t c)
{
    return c < t->ncols ? &t->cols[c] : NULL;
}

long table_find(const table *t, const char *name)
{
    for (size_t c = 0; c < t->ncols; c++)
        if (strcmp(t->cols[c].name, name) == 0)
            return (long)c;
    return -1;
}

const char *table_text(const table *t, size_t row, size_t c)
{
    return cell_text(t, row * t->ncols + c);
}

int table_missing(const table *t, size_t row, size_t c)
{
    return table_text(t, row, c)[0] == '\0';
}

double table_num(const table *t, size_t row, size_t c)
{
    const char *s = table_text(t, row, c);
    unsigned y, m, d;

    if (!*s || t->cols[c].type == TABLE_TEXT)
        return NAN;
    if (t->cols[c].type == TABLE_DATE) {
        read_uint(s, 4, &y), read_uint(s + 5, 2, &m), read_uint(s + 8, 2, &d);
        return (double)days_from_civil((long)y, m, d);
    }
    return canonical_to_double(s);
}

unsigned table_line(const table *t, size_t row)
{
    return t->line[row];
}

/* Rows in t->exact are found by bisection; the others are located by reading the row up to
 * the cell, a cost paid only by messages. */
void table_pos(const table *t, size_t row, size_t c, unsigned *line, unsigned *col)
{
    size_t n = t->ncols + 1, lo = 0, hi = t->exact_len / n;
    uint32_t p, off;

    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (t->exact[mid * n] < row)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo < t->exact_len / n && t->exact[lo * n] == row) {
        p = t->exact[lo * n + 1 + c];
    } else {
        off = pool_offset(t, row * t->ncols + c);
        if (off > t->row_off[row] && t->pool[off - 1] == '"')
            off--; /* the opening quote */
        p = locate(t->pool, t->pool_len, t->row_off[row], off);
    }

    *line = t->line[row] + (p >> 24);
    *col = p & POS_COL_MAX;
}

void table_header_pos(const table *t, size_t c, unsigned *line, unsigned *col)
{
    *line = t->head_line + (t->head_pos[c] >> 24);
    *col = t->head_pos[c] & POS_COL_MAX;
}

/***  The data dictionary  ***/

struct table_dict {
    column *cols;
    size_t count;
    arena *strings;
};

static int lookup_word(const char *s, const char *const *words, int n)
{
    for (int i = 0; i < n; i++)
        if (strcmp(s, words[i]) == 0)
            return i;
    return -1;
}

/* A bound or decimals cell: a number in either convention, "" for none. */
static int read_bound(const char *s, double *v)
{
    number n;
    char out[64];

    *v = NAN;
    if (!*s)
        return 0;
    classify(s, strlen(s), &n);
    if (n.kind == NUM_NONE || n.percent || strlen(s) >= sizeof out)
        return -1;
    out[canonical(&n, TABLE_CONV_VN, out)] = '\0';
    *v = canonical_to_double(out);
    return 0;
}

static void dict_entry(table_dict *dict, const table *t, size_t r, const long *at, diag *d)
{
    static const char *const types[] = { "text", "integer", "decimal", "percent", "date" };
    static const char *const aggs[] = { "none", "sum", "mean" };
    static const char *const roles[] = { "", "key", "period", "name", "region" };
    column *c = &dict->cols[dict->count];
    const char *v[9];
    unsigned line, col;
    double dec;
    int k;

    for (int i = 0; i < 9; i++)
        v[i] = at[i] >= 0 ? table_text(t, r, (size_t)at[i]) : "";
    memset(c, 0, sizeof *c);
    c->name = arena_strdup(dict->strings, v[0]);
    c->label = arena_strdup(dict->strings, *v[1] ? v[1] : v[0]);
    c->unit = arena_strdup(dict->strings, v[2]);
    c->declared = 1;
    c->decimals = -1;
#define BAD(i, ...) (table_pos(t, r, (size_t)at[i], &line, &col), \
                     diag_error(d, table_name(t), line, col, __VA_ARGS__))
    if (!*v[0])
        BAD(0, "empty column name");
    for (size_t i = 0; i < dict->count && *v[0]; i++)
        if (strcmp(dict->cols[i].name, c->name) == 0)
            BAD(0, "column '%s' is described twice", c->name);
    if ((k = lookup_word(v[3], types, 5)) < 0)
        BAD(3, "unknown type '%s' (text, integer, decimal, percent, date)", v[3]);
    c->type = k < 0 ? TABLE_TEXT : (table_type)k;
    if ((k = lookup_word(*v[5] ? v[5] : "none", aggs, 3)) < 0)
        BAD(5, "unknown aggregate '%s' (sum, mean, none)", v[5]);
    c->aggregate = k < 0 ? TABLE_AGG_NONE : (table_aggregate)k;
    if ((k = lookup_word(v[6], roles, 5)) < 0)
        BAD(6, "unknown role '%s' (key, period, name, region or empty)", v[6]);
    c->role = k < 0 ? TABLE_ROLE_NONE : (table_role)k;
    if (read_bound(v[4], &dec) != 0 || (!isnan(dec) && (dec < 0 || dec > 15 || dec != (int)dec)))
        BAD(4, "decimals must be a whole number from 0 to 15: '%s'", v[4]);
    else if (!isnan(dec))
        c->decimals = (int)dec;
    if (read_bound(v[7], &c->min) != 0)
        BAD(7, "min is not a number: '%s'", v[7]);
    if (read_bound(v[8], &c->max) != 0)
        BAD(8, "max is not a number: '%s'", v[8]);
#undef BAD
    dict->count++;
}

static table_dict *dict_from_table(table *t, diag *d);

table_dict *table_dict_read(const char *path, diag *d)
{
    table_opts o = { NULL, TABLE_CONV_AUTO, 1 };
    table *t = table_read(path, &o, d);

    return t ? dict_from_table(t, d) : NULL;
}

table_dict *table_dict_parse(const char *name, const char *bytes, size_t len, diag *d)
{
    table_opts o = { NULL, TABLE_CONV_AUTO, 1 };
    table *t = table_parse(name, bytes, len, &o, d);

    return t ? dict_from_table(t, d) : NULL;
}

/* Builds a dictionary from its table, which it frees. */
static table_dict *dict_from_table(table *t, diag *d)
{
    static const char *const fields[] = { "column", "label", "unit", "type", "decimals",
                                          "aggregate", "role", "min", "max" };
    const char *path = table_name(t);
    table_dict *dict;
    size_t errors = diag_errors(d);
    long at[9];

    for (int i = 0; i < 9; i++)
        at[i] = table_find(t, fields[i]);
    if (at[0] < 0 || at[3] < 0) {
        diag_error(d, path, t->head_line, 1, "a dictionary needs the columns 'column' and "
                   "'type' (header column,label,unit,type,decimals,aggregate,role,min,max)");
        table_free(t);
        return NULL;
    }
    dict = xcalloc(1, sizeof *dict);
    dict->strings = arena_new();
    dict->cols = xcalloc(t->nrows ? t->nrows : 1, sizeof *dict->cols);
    for (size_t r = 0; r < t->nrows; r++)
        dict_entry(dict, t, r, at, d);
    table_free(t);
    if (diag_errors(d) > errors) {
        table_dict_free(dict);
        return NULL;
    }
    return dict;
}

void table_dict_free(table_dict *dict)
{
    if (!dict)
        return;
    free(dict->cols);
    arena_free(dict->strings);
    free(dict);
}

size_t table_dict_count(const table_dict *dict)
{
    return dict->count;
}

const column *table_dict_at(const table_dict *dict, size_t i)
{
    return i < dict->count ? &dict->cols[i] : NULL;
}

const column *table_dict_lookup(const table_dict *dict, const char *name)
{
    for (size_t i = 0; i < dict->count; i++)
        if (strcmp(dict->cols[i].name, name) == 0)
            return &dict->cols[i];
    return NULL;
}
