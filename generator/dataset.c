/*
** Datasets: units × periods, derived figures computed once, and the context a template sees.
**
** Design. A statistics table is indexed once: each row gets a unit (its key after vnkey
** normalisation) and a period. Virtual rows are appended after the table's rows: one total
** row per period and one subtotal row per (period, region); they are "units" of their own
** (the total unit, one unit per region), so `.prev`, `.delta` and `periods` work for them with
** the same code. Every numeric figure a member prints (value, previous value, growth, rank,
** share) is an array of doubles [row × column] filled here, so a lookup is a hash probe, an
** array read and a vnfmt call. Targets (long or wide) become a list per (unit, period) and an
** index [row × column] for the column members.
**
** The context is a stack of frames (document row, section values, list items); a dotted name
** resolves its first part from the top frame down (the Mustache rule) and the rest inside
** what it found. Nothing is allocated per lookup: frames live in a growable array kept across
** documents and printed text in one scratch buffer.
*/
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "dataset.h"
#include "dom.h"
#include "fileio.h"
#include "vnfmt.h"
#include "vnkey.h"
#include "vntext.h"
#include "xalloc.h"

#define NONE DATASET_NONE

enum tkind { T_ABSOLUTE, T_SHARE, T_GROWTH, T_RATIO, T_EXACT };
static const char *const tkind_names[] = { "absolute", "share_pct", "growth_pct", "ratio",
                                           "exact" };

typedef struct target {
    size_t unit, period;
    long col;
    int kind;
    double min, max;
    const char *unit_text, *label; /* don_vi, mo_ta: borrowed from the targets table */
    long base;                     /* share_pct denominator column, -1: the dataset's */
} target;

/* A narrative file split at its `### ` headings. */
typedef struct narrative {
    char *text;
    size_t len;
    size_t n;
    char **names; /* slugs with '_' */
    str *bodies;
} narrative;

/* Open-addressing map from a name to an index. */
typedef struct namemap {
    const char **keys;
    size_t *lens, *vals;
    size_t cap;
} namemap;

enum row_kind { ROW_REAL, ROW_TOTAL, ROW_REGION };

struct dataset {
    const table *t;
    size_t nrows, nall, ncols;
    long key, period, name, region, base;
    unsigned char *numeric;  /* per column */
    unsigned char *money;    /* per column: unit in triệu đồng */
    /* units: table units, then the total unit, then one per region */
    size_t nunits, nreal_units, nregions;
    const char **unit_keys;  /* normalised, for the table units: a plain key is the table's
                                own text, not a copy (unit_key_owned[u] == 0) */
    unsigned char *unit_key_owned;
    char **region_names;
    size_t nperiods;
    char **period_text;
    double *period_num;
    int period_numeric;
    size_t *prev_period, *next_period;
    size_t *row_unit, *row_period, *row_region;
    unsigned char *row_kind;
    size_t *cell;            /* [unit × nperiods] → row or NONE */
    size_t *prev_row;        /* [nall] */
    /* values of the numeric columns and the period column (the others are text: NAN) */
    size_t *vcol, nvcols;    /* per column: its place among those, or NONE */
    double *val;             /* [nall × nvcols]; growth and share are derived from it when
                                asked (growth_at, share_at), not kept for every row */
    uint32_t *rank;          /* [nall × nvcols]: 1 = largest, 0 = not ranked */
    double *of;              /* [nperiods × ncols] */
    /* the DATASET_TOP_N units with the largest/smallest value and growth of each numeric
     * column in each period: [nperiods × ncols × BEST_KINDS × DATASET_TOP_N] rows */
    size_t *best, *best_n;
    /* targets */
    target *targets;
    size_t ntargets;
    /* [unit × nperiods] → range in tgt_list (NULL when there is no targets table); a cell's
     * target is looked up there (target_at), not kept per row and column */
    size_t *tgt_start, *tgt_n, *tgt_list;
    /* lists */
    size_t *units_list, *units_start, *units_n;        /* per period, sorted */
    size_t *runits_list, *runits_start, *runits_n;     /* per period × region, sorted */
    size_t *periods_list, *periods_start, *periods_n;  /* per unit, oldest first */
    size_t *regions_list, *regions_start, *regions_n;  /* per period: region rows */
    /* narratives, loaded on first use (a dataset is not shared between threads) */
    const char *narr_dir;
    narrative **narr;
    unsigned char *narr_tried;
    namemap cols;
    long today;
};

/***  Names  ***/

static size_t hash_name(const char *s, size_t n)
{
    uint64_t h = 1469598103934665603ull;
    for (size_t i = 0; i < n; i++)
        h = (h ^ (unsigned char)s[i]) * 1099511628211ull;
    return (size_t)h;
}

static void map_init(namemap *m, size_t n)
{
    m->cap = 16;
    while (m->cap < n * 2 + 2)
        m->cap *= 2;
    m->keys = xcalloc(m->cap, sizeof *m->keys);
    m->lens = xcalloc(m->cap, sizeof *m->lens);
    m->vals = xcalloc(m->cap, sizeof *m->vals);
}

static void map_free(namemap *m)
{
    free(m->keys);
    free(m->lens);
    free(m->vals);
}

/* Adds NAME (borrowed, kept) unless present; M must have room (map_init's count). */
static void map_put(namemap *m, const char *name, size_t len, size_t v)
{
    size_t i = hash_name(name, len) & (m->cap - 1);
    while (m->keys[i]) {
        if (m->lens[i] == len && memcmp(m->keys[i], name, len) == 0)
            return;
        i = (i + 1) & (m->cap - 1);
    }
    m->keys[i] = name, m->lens[i] = len, m->vals[i] = v;
}

static size_t map_get(const namemap *m, const char *name, size_t len)
{
    size_t i = hash_name(name, len) & (m->cap - 1);
    while (m->keys[i]) {
        if (m->lens[i] == len && memcmp(m->keys[i], name, len) == 0)
            return m->vals[i];
        i = (i + 1) & (m->cap - 1);
    }
    return NONE;
}

/* The words a context answers besides column names: members, collections, fields. */
enum word {
    W_RAW, W_PREV, W_DELTA, W_DELTA_ABS, W_GROWTH, W_GROWTH_ABS, W_TREND, W_UP, W_DOWN, W_SAME,
    W_TARGET, W_ATTAIN, W_MET, W_RANK, W_OF, W_TOTAL, W_SHARE, W_WORDS, W_TY, W_PAD,
    W_PRESENT, W_MISSING, W_LABEL, W_UNIT, W_LONG, W_SHORT, W_WEEKDAY, W_ISO, W_UPPER, W_SLUG,
    W_UNITS, W_PERIODS, W_REGIONS, W_TARGETS, W_NEXT_TARGETS, W_NARRATIVE, W_PREVIOUS,
    W_TODAY, W_TITLE, W_PARAMS, W_FIRST, W_LAST, W_INDEX, W_KIND, W_COLUMN, W_ACTUAL, W_MIN,
    W_MAX, W_IS_TOTAL, W_IS_REGION, W_HTML, W_TOP, W_BOTTOM, W_TOP_GROWTH, W_BOTTOM_GROWTH,
    W_COUNT
};
static const char *const word_names[W_COUNT] = {
    "raw", "prev", "delta", "delta_abs", "growth", "growth_abs", "trend", "up", "down", "same",
    "target", "attain", "met", "rank", "of", "total", "share", "words", "ty", "pad",
    "present", "missing", "label", "unit", "long", "short", "weekday", "iso", "upper", "slug",
    "units", "periods", "regions", "targets", "next_targets", "narrative", "previous",
    "today", "title", "params", "first", "last", "index", "kind", "column", "actual", "min",
    "max", "is_total", "is_region", "html", "top", "bottom", "top_growth", "bottom_growth"
};
static namemap words; /* built once; read-only afterwards */

static void init_words(void)
{
    if (words.cap)
        return;
    map_init(&words, W_COUNT);
    for (size_t i = 0; i < W_COUNT; i++)
        map_put(&words, word_names[i], strlen(word_names[i]), i);
}

static size_t word_of(const char *s, size_t n)
{
    return map_get(&words, s, n);
}

/***  Building  ***/

static long find_role(const table *t, table_role role, const char *fallback)
{
    for (size_t c = 0; c < table_cols(t); c++)
        if (table_column(t, c)->role == role)
            return (long)c;
    return fallback ? table_find(t, fallback) : -1;
}

static int is_numeric(const column *c)
{
    return c->type == TABLE_INTEGER || c->type == TABLE_DECIMAL || c->type == TABLE_PERCENT;
}

static double num_or_nan(const char *s)
{
    char *end;
    double v;

    if (!s || !*s)
        return NAN;
    v = strtod(s, &end);
    return *end ? NAN : v;
}

/* Period ids: distinct texts sorted numerically when every one is a number. */
typedef struct period_ent {
    const char *text;
    double num;
} period_ent;

static int by_period(const void *a, const void *b)
{
    const period_ent *x = a, *y = b;
    if (!isnan(x->num) && !isnan(y->num))
        return (x->num > y->num) - (x->num < y->num);
    return strcmp(x->text, y->text);
}

static size_t period_id(const namemap *pm, const char *text)
{
    return map_get(pm, text, strlen(text));
}

static void collect_periods(dataset *ds, const table *targets, long tperiod, namemap *pm)
{
    size_t cap = table_rows(ds->t) + (targets ? table_rows(targets) : 0) + 1, n = 0;
    period_ent *e = xcalloc(cap, sizeof *e);
    namemap seen;

    map_init(&seen, cap);
    for (int pass = 0; pass < 2; pass++) {
        const table *t = pass ? targets : ds->t;
        long c = pass ? tperiod : ds->period;
        if (!t || c < 0)
            continue;
        for (size_t r = 0; r < table_rows(t); r++) {
            const char *s = table_text(t, r, (size_t)c);
            if (!*s || map_get(&seen, s, strlen(s)) != NONE)
                continue;
            map_put(&seen, s, strlen(s), n);
            e[n].text = s, e[n].num = num_or_nan(s);
            n++;
        }
    }
    map_free(&seen);
    ds->period_numeric = 1;
    for (size_t i = 0; i < n; i++)
        if (isnan(e[i].num))
            ds->period_numeric = 0;
    qsort(e, n, sizeof *e, by_period);
    ds->nperiods = n;
    ds->period_text = xcalloc(n + 1, sizeof *ds->period_text);
    ds->period_num = xcalloc(n + 1, sizeof *ds->period_num);
    ds->prev_period = xcalloc(n + 1, sizeof *ds->prev_period);
    ds->next_period = xcalloc(n + 1, sizeof *ds->next_period);
    map_init(pm, n);
    for (size_t i = 0; i < n; i++) {
        ds->period_text[i] = xstrdup(e[i].text);
        ds->period_num[i] = e[i].num;
        map_put(pm, ds->period_text[i], strlen(ds->period_text[i]), i);
    }
    for (size_t i = 0; i < n; i++) {
        /* numeric periods (years) follow each other only when one apart: a gap is no
         * "previous year" */
        int ok_prev = i > 0 && (!ds->period_numeric || e[i - 1].num == e[i].num - 1);
        int ok_next = i + 1 < n && (!ds->period_numeric || e[i + 1].num == e[i].num + 1);
        ds->prev_period[i] = ok_prev ? i - 1 : NONE;
        ds->next_period[i] = ok_next ? i + 1 : NONE;
    }
    free(e);
}

/* vnkey_normalise, with a copy-only path for plain ASCII keys ("01", "37"): codes need no
 * tone placement, and thousands of target rows would otherwise each pay for utf8proc. */
static int plain_key(const char *s, size_t n)
{
    int plain = n > 0 && s[0] != ' ' && s[n - 1] != ' ';
    for (size_t i = 0; plain && i < n; i++)
        plain = (unsigned char)s[i] < 0x80 && s[i] != '\t' && !(s[i] == ' ' && s[i + 1] == ' ');
    return plain;
}

static char *norm_key(const char *s)
{
    size_t n = strlen(s);
    return plain_key(s, n) ? xmemdup(s, n + 1) : vnkey_normalise(s, n);
}

static size_t unit_id(const dataset *ds, const namemap *um, const char *text)
{
    char *k = norm_key(text);
    size_t u = map_get(um, k, strlen(k));
    free(k);
    (void)ds;
    return u;
}

static void index_rows(dataset *ds, namemap *um, const namemap *pm)
{
    size_t nr = ds->nrows;
    namemap rm;

    ds->unit_keys = xcalloc(nr + 1, sizeof *ds->unit_keys);
    ds->unit_key_owned = xcalloc(nr + 1, 1);
    ds->region_names = xcalloc(nr + 1, sizeof *ds->region_names);
    map_init(um, nr + 1);
    map_init(&rm, nr + 1);
    ds->row_unit = xcalloc(nr + 1, sizeof *ds->row_unit);
    ds->row_period = xcalloc(nr + 1, sizeof *ds->row_period);
    ds->row_region = xcalloc(nr + 1, sizeof *ds->row_region);
    for (size_t r = 0; r < nr; r++) {
        const char *kt = table_text(ds->t, r, (size_t)ds->key);
        size_t klen = strlen(kt);
        char *own = plain_key(kt, klen) ? NULL : vnkey_normalise(kt, klen);
        const char *nk = own ? own : kt;
        size_t u = map_get(um, nk, strlen(nk));
        if (u == NONE) {
            u = ds->nreal_units++;
            ds->unit_keys[u] = nk;
            ds->unit_key_owned[u] = own != NULL;
            map_put(um, nk, strlen(nk), u);
        } else {
            free(own);
        }
        ds->row_unit[r] = u;
        ds->row_period[r] = period_id(pm, table_text(ds->t, r, (size_t)ds->period));
        ds->row_region[r] = NONE;
        if (ds->region >= 0 && !table_missing(ds->t, r, (size_t)ds->region)) {
            char *ng = norm_key(table_text(ds->t, r, (size_t)ds->region));
            size_t id = map_get(&rm, ng, strlen(ng));
            if (id == NONE) {
                id = ds->nregions++;
                ds->region_names[id] = ng;
                map_put(&rm, ng, strlen(ng), id);
            } else {
                free(ng);
            }
            ds->row_region[r] = id;
        }
    }
    map_free(&rm);
    /* sized by rows while counting: units (several periods) and regions are fewer */
    ds->unit_keys = xrealloc(ds->unit_keys, (ds->nreal_units + 1) * sizeof *ds->unit_keys);
    ds->unit_key_owned = xrealloc(ds->unit_key_owned, ds->nreal_units + 1);
    ds->region_names = xrealloc(ds->region_names, (ds->nregions + 1) * sizeof *ds->region_names);
    ds->nunits = ds->nreal_units + 1 + ds->nregions;
}

/* Appends the virtual rows and aggregates every numeric column into them. */
static void add_virtual_rows(dataset *ds)
{
    size_t np = ds->nperiods, ng = ds->nregions, nc = ds->ncols, nr = ds->nrows, nv;
    size_t nall = nr + np * (1 + ng);
    double *cnt;

    ds->nall = nall;
    ds->row_unit = xrealloc(ds->row_unit, nall * sizeof *ds->row_unit);
    ds->row_period = xrealloc(ds->row_period, nall * sizeof *ds->row_period);
    ds->row_region = xrealloc(ds->row_region, nall * sizeof *ds->row_region);
    ds->row_kind = xcalloc(nall, 1);
    for (size_t p = 0; p < np; p++) {
        size_t tr = nr + p * (1 + ng);
        ds->row_unit[tr] = ds->nreal_units, ds->row_period[tr] = p, ds->row_region[tr] = NONE;
        ds->row_kind[tr] = ROW_TOTAL;
        for (size_t g = 0; g < ng; g++) {
            ds->row_unit[tr + 1 + g] = ds->nreal_units + 1 + g;
            ds->row_period[tr + 1 + g] = p, ds->row_region[tr + 1 + g] = g;
            ds->row_kind[tr + 1 + g] = ROW_REGION;
        }
    }
    ds->vcol = xcalloc(nc + 1, sizeof *ds->vcol);
    for (size_t c = 0; c < nc; c++)
        ds->vcol[c] = ds->numeric[c] || (long)c == ds->period ? ds->nvcols++ : NONE;
    nv = ds->nvcols;
    ds->val = xcalloc(nall * nv + 1, sizeof *ds->val);
    cnt = xcalloc(nall * nv + 1, sizeof *cnt);
    for (size_t r = 0; r < nr; r++) {
        size_t p = ds->row_period[r];
        for (size_t c = 0; c < nc; c++) {
            size_t k = ds->vcol[c];
            if (k == NONE)
                continue;
            double v = ds->numeric[c] ? table_num(ds->t, r, c) : NAN;
            ds->val[r * nv + k] = v;
            if (isnan(v) || p == NONE)
                continue;
            size_t tr = nr + p * (1 + ng);
            ds->val[tr * nv + k] += v, cnt[tr * nv + k]++;
            if (ds->row_region[r] != NONE) {
                size_t gr = tr + 1 + ds->row_region[r];
                ds->val[gr * nv + k] += v, cnt[gr * nv + k]++;
            }
        }
    }
    for (size_t r = nr; r < nall; r++)
        for (size_t c = 0; c < nc; c++) {
            size_t k = ds->vcol[c];
            if (k == NONE)
                continue;
            double *v = &ds->val[r * nv + k];
            table_aggregate a = table_column(ds->t, c)->aggregate;
            if (!ds->numeric[c] || cnt[r * nv + k] == 0 || a == TABLE_AGG_NONE)
                *v = NAN;
            else if (a == TABLE_AGG_MEAN)
                *v /= cnt[r * nv + k];
            if ((long)c == ds->period)
                *v = ds->period_num[ds->row_period[r]];
        }
    free(cnt);
}

static void index_cells(dataset *ds)
{
    size_t np = ds->nperiods;
    ds->cell = xcalloc(ds->nunits * np + 1, sizeof *ds->cell);
    for (size_t i = 0; i < ds->nunits * np; i++)
        ds->cell[i] = NONE;
    for (size_t r = 0; r < ds->nall; r++)
        if (ds->row_period[r] != NONE && ds->cell[ds->row_unit[r] * np + ds->row_period[r]] == NONE)
            ds->cell[ds->row_unit[r] * np + ds->row_period[r]] = r;
    ds->prev_row = xcalloc(ds->nall, sizeof *ds->prev_row);
    for (size_t r = 0; r < ds->nall; r++) {
        size_t p = ds->row_period[r];
        size_t pp = p == NONE ? NONE : ds->prev_period[p];
        ds->prev_row[r] = pp == NONE ? NONE : ds->cell[ds->row_unit[r] * np + pp];
    }
}

static double value_at(const dataset *ds, size_t row, size_t c)
{
    return row == NONE || ds->vcol[c] == NONE ? NAN : ds->val[row * ds->nvcols + ds->vcol[c]];
}

static size_t total_row_of(const dataset *ds, size_t row)
{
    size_t p = ds->row_period[row];
    return p == NONE ? NONE : ds->nrows + p * (1 + ds->nregions);
}

/* Growth in percent of column C from the previous period; a zero or missing base has no
 * growth (never infinity). */
static double growth_at(const dataset *ds, size_t row, size_t c)
{
    double v = value_at(ds, row, c), pv = value_at(ds, ds->prev_row[row], c);
    return isnan(v) || isnan(pv) || pv == 0 ? NAN : (v - pv) / fabs(pv) * 100;
}

/* Share in percent of the period's total, for a summed column. */
static double share_at(const dataset *ds, size_t row, size_t c)
{
    double v = value_at(ds, row, c), tot = value_at(ds, total_row_of(ds, row), c);
    return isnan(v) || isnan(tot) || tot == 0 ||
                   table_column(ds->t, c)->aggregate != TABLE_AGG_SUM
               ? NAN
               : v / tot * 100;
}

static double rank_at(const dataset *ds, size_t row, size_t c)
{
    uint32_t k = ds->vcol[c] == NONE ? 0 : ds->rank[row * ds->nvcols + ds->vcol[c]];
    return k ? (double)k : NAN;
}

static int by_value_desc(const void *a, const void *b)
{
    double x = ((const double *)a)[0], y = ((const double *)b)[0];
    return (x < y) - (x > y);
}

/* The four "best" lists of a column in a period, in the order of W_TOP ... W_BOTTOM_GROWTH. */
enum { BEST_TOP, BEST_BOTTOM, BEST_TOP_GROWTH, BEST_BOTTOM_GROWTH, BEST_KINDS };

static size_t best_slot(const dataset *ds, size_t p, size_t c, int kind)
{
    return (p * ds->ncols + c) * BEST_KINDS + (size_t)kind;
}

/* Fills one best list from TMP: N (value, row) pairs sorted largest first. */
static void put_best(dataset *ds, size_t p, size_t c, const double *tmp, size_t n, int kind_hi,
                     int kind_lo)
{
    size_t hi = best_slot(ds, p, c, kind_hi), lo = best_slot(ds, p, c, kind_lo);
    size_t k = n < DATASET_TOP_N ? n : DATASET_TOP_N;

    for (size_t i = 0; i < k; i++) {
        ds->best[hi * DATASET_TOP_N + i] = (size_t)tmp[2 * i + 1];
        ds->best[lo * DATASET_TOP_N + i] = (size_t)tmp[2 * (n - 1 - i) + 1];
    }
    ds->best_n[hi] = ds->best_n[lo] = k;
}

/* The units of period P that have a value (or, with BY_GROWTH, a growth) for column C, as
 * (metric, row) pairs in TMP, largest first. Returns how many. */
static size_t sorted_units(const dataset *ds, size_t p, size_t c, int by_growth, double *tmp)
{
    size_t n = 0;

    for (size_t i = 0; i < ds->units_n[p]; i++) {
        size_t r = ds->units_list[ds->units_start[p] + i];
        double v = by_growth ? growth_at(ds, r, c) : value_at(ds, r, c);
        if (!isnan(v))
            tmp[2 * n] = v, tmp[2 * n + 1] = (double)r, n++;
    }
    qsort(tmp, n, 2 * sizeof *tmp, by_value_desc);
    return n;
}

static void compute_figures(dataset *ds)
{
    size_t nc = ds->ncols, nall = ds->nall, np = ds->nperiods;
    double *tmp = xcalloc(ds->nrows * 2 + 2, sizeof *tmp);

    ds->rank = xcalloc(nall * ds->nvcols + 1, sizeof *ds->rank);
    ds->of = xcalloc(np * nc + 1, sizeof *ds->of);
    ds->best_n = xcalloc(np * nc * BEST_KINDS + 1, sizeof *ds->best_n);
    ds->best = xcalloc((np * nc * BEST_KINDS + 1) * DATASET_TOP_N, sizeof *ds->best);
    /* rank among the table's units of one period: 1 = largest, ties share a rank */
    for (size_t c = 0; c < nc; c++) {
        if (!ds->numeric[c])
            continue;
        for (size_t p = 0; p < np; p++) {
            size_t n = sorted_units(ds, p, c, 0, tmp);
            for (size_t i = 0; i < n; i++) {
                size_t r = (size_t)tmp[2 * i + 1];
                uint32_t rk = i > 0 && tmp[2 * i] == tmp[2 * (i - 1)]
                                  ? ds->rank[(size_t)tmp[2 * (i - 1) + 1] * ds->nvcols + ds->vcol[c]]
                                  : (uint32_t)(i + 1);
                ds->rank[r * ds->nvcols + ds->vcol[c]] = rk;
            }
            ds->of[p * nc + c] = (double)n;
            put_best(ds, p, c, tmp, n, BEST_TOP, BEST_BOTTOM);
            n = sorted_units(ds, p, c, 1, tmp);
            put_best(ds, p, c, tmp, n, BEST_TOP_GROWTH, BEST_BOTTOM_GROWTH);
        }
    }
    free(tmp);
}

/* Sorting the units of a period by the front matter's `sort`. */
typedef struct sorter {
    const dataset *ds;
    const fm_sort *s;
    const long *cols;
    size_t n;
} sorter;
static sorter sort_by; /* qsort has no user pointer in C11; building is single-threaded */

static int by_sort(const void *a, const void *b)
{
    size_t x = *(const size_t *)a, y = *(const size_t *)b;
    const dataset *ds = sort_by.ds;
    for (size_t i = 0; i < sort_by.n; i++) {
        size_t c = (size_t)sort_by.cols[i];
        int cmp, mx = table_missing(ds->t, x, c), my = table_missing(ds->t, y, c);
        if (mx || my) {
            if (mx != my)
                return mx - my; /* missing last, either way */
            continue;
        }
        if (ds->numeric[c] || table_column(ds->t, c)->type == TABLE_DATE) {
            double u = table_num(ds->t, x, c), v = table_num(ds->t, y, c);
            cmp = (u > v) - (u < v);
        } else {
            cmp = strcmp(table_text(ds->t, x, c), table_text(ds->t, y, c));
        }
        if (cmp)
            return sort_by.s[i].descending ? -cmp : cmp;
    }
    return (x > y) - (x < y);
}

static void build_lists(dataset *ds, const dataset_opts *o, const long *sort_cols)
{
    size_t np = ds->nperiods, ng = ds->nregions, nr = ds->nrows, nu = ds->nunits;

    /* units per period, sorted */
    ds->units_start = xcalloc(np + 1, sizeof(size_t));
    ds->units_n = xcalloc(np + 1, sizeof(size_t));
    ds->units_list = xcalloc(nr + 1, sizeof(size_t));
    for (size_t r = 0; r < nr; r++)
        if (ds->row_period[r] != NONE)
            ds->units_n[ds->row_period[r]]++;
    for (size_t p = 1; p < np; p++)
        ds->units_start[p] = ds->units_start[p - 1] + ds->units_n[p - 1];
    {
        size_t *fillp = xcalloc(np + 1, sizeof(size_t));
        for (size_t r = 0; r < nr; r++) {
            size_t p = ds->row_period[r];
            if (p != NONE)
                ds->units_list[ds->units_start[p] + fillp[p]++] = r;
        }
        free(fillp);
    }
    sort_by = (sorter){ ds, o ? o->sort : NULL, sort_cols, o ? o->nsort : 0 };
    for (size_t p = 0; p < np; p++)
        qsort(ds->units_list + ds->units_start[p], ds->units_n[p], sizeof(size_t), by_sort);
    /* units per (period, region), in the same order */
    ds->runits_start = xcalloc(np * ng + 1, sizeof(size_t));
    ds->runits_n = xcalloc(np * ng + 1, sizeof(size_t));
    ds->runits_list = xcalloc(nr + 1, sizeof(size_t));
    {
        size_t k = 0;
        for (size_t p = 0; p < np; p++)
            for (size_t g = 0; g < ng; g++) {
                ds->runits_start[p * ng + g] = k;
                for (size_t i = 0; i < ds->units_n[p]; i++) {
                    size_t r = ds->units_list[ds->units_start[p] + i];
                    if (ds->row_region[r] == g)
                        ds->runits_list[k++] = r;
                }
                ds->runits_n[p * ng + g] = k - ds->runits_start[p * ng + g];
            }
    }
    /* periods per unit, oldest first */
    ds->periods_start = xcalloc(nu + 1, sizeof(size_t));
    ds->periods_n = xcalloc(nu + 1, sizeof(size_t));
    ds->periods_list = xcalloc(nu * np + 1, sizeof(size_t));
    for (size_t u = 0, k = 0; u < nu; u++) {
        ds->periods_start[u] = k;
        for (size_t p = 0; p < np; p++) {
            size_t r = ds->cell[u * np + p];
            /* a total or region row of a period without statistics (a plan's year) is no
             * period of the unit */
            if (r == NONE || (r >= nr && (ds->row_kind[r] == ROW_TOTAL
                                              ? ds->units_n[p] == 0
                                              : ds->runits_n[p * ng + ds->row_region[r]] == 0)))
                continue;
            ds->periods_list[k++] = r;
        }
        ds->periods_n[u] = k - ds->periods_start[u];
    }
    /* region rows per period that have units */
    ds->regions_start = xcalloc(np + 1, sizeof(size_t));
    ds->regions_n = xcalloc(np + 1, sizeof(size_t));
    ds->regions_list = xcalloc(np * ng + 1, sizeof(size_t));
    for (size_t p = 0, k = 0; p < np; p++) {
        ds->regions_start[p] = k;
        for (size_t g = 0; g < ng; g++)
            if (ds->runits_n[p * ng + g])
                ds->regions_list[k++] = nr + p * (1 + ng) + 1 + g;
        ds->regions_n[p] = k - ds->regions_start[p];
    }
}

/***  Targets  ***/

static long find_any(const table *t, const char *a, const char *b)
{
    long c = table_find(t, a);
    return c >= 0 || !b ? c : table_find(t, b);
}

static int parse_kind(const char *s)
{
    for (int k = 0; k < 5; k++)
        if (strcmp(s, tkind_names[k]) == 0)
            return k;
    return -1;
}

static int load_targets(dataset *ds, const table *tt, const namemap *um, const namemap *pm,
                        diag *d)
{
    long tkey = table_find(tt, table_column(ds->t, (size_t)ds->key)->name);
    long tper = table_find(tt, table_column(ds->t, (size_t)ds->period)->name);
    long ind = find_any(tt, "chi_tieu", "indicator"), kind = find_any(tt, "loai", "kind");
    long cmin = table_find(tt, "min"), cmax = table_find(tt, "max");
    long cunit = find_any(tt, "don_vi", "unit"), clabel = find_any(tt, "mo_ta", "label");
    long cbase = find_any(tt, "mau_so", "base"); /* optional: what a share is a share of */
    size_t n = table_rows(tt), cap = n + 1, np = ds->nperiods;
    size_t errors = diag_errors(d);
    int wide = ind < 0 || kind < 0;

    if (tkey < 0 || tper < 0) {
        diag_error(d, table_name(tt), 1, 1, "targets need the key and period columns '%s', '%s'",
                   table_column(ds->t, (size_t)ds->key)->name,
                   table_column(ds->t, (size_t)ds->period)->name);
        return -1;
    }
    if (wide)
        cap = n * table_cols(tt) + 1;
    ds->targets = xcalloc(cap, sizeof *ds->targets);
    for (size_t r = 0; r < n; r++) {
        size_t u = unit_id(ds, um, table_text(tt, r, (size_t)tkey));
        size_t p = period_id(pm, table_text(tt, r, (size_t)tper));
        unsigned line, col;
        if (u == NONE || p == NONE)
            continue; /* a plan for a unit the statistics do not have: nothing to cite */
        if (wide) {
            /* wide: a column per indicator, holding the planned floor */
            for (size_t c = 0; c < table_cols(tt); c++) {
                long sc = table_find(ds->t, table_column(tt, c)->name);
                if ((long)c == tkey || (long)c == tper || sc < 0 || !ds->numeric[sc] ||
                    table_missing(tt, r, c))
                    continue;
                ds->targets[ds->ntargets++] = (target){ u, p, sc, T_ABSOLUTE,
                                                        table_num(tt, r, c), NAN, NULL, NULL,
                                                        -1 };
            }
            continue;
        }
        const char *name = table_text(tt, r, (size_t)ind), *ks = table_text(tt, r, (size_t)kind);
        long sc = table_find(ds->t, name);
        int k = parse_kind(ks);
        if (sc < 0 || !ds->numeric[sc]) {
            table_pos(tt, r, (size_t)ind, &line, &col);
            diag_error(d, table_name(tt), line, col, "target for '%s', not a numeric column of %s",
                       name, table_name(ds->t));
            continue;
        }
        if (k < 0) {
            table_pos(tt, r, (size_t)kind, &line, &col);
            diag_error(d, table_name(tt), line, col,
                       "unknown target kind '%s' (absolute, share_pct, growth_pct, ratio, exact)",
                       ks);
            continue;
        }
        target tg = { u, p, sc, k, cmin >= 0 ? table_num(tt, r, (size_t)cmin) : NAN,
                      cmax >= 0 ? table_num(tt, r, (size_t)cmax) : NAN,
                      cunit >= 0 ? table_text(tt, r, (size_t)cunit) : NULL,
                      clabel >= 0 ? table_text(tt, r, (size_t)clabel) : NULL, -1 };
        if (cbase >= 0 && !table_missing(tt, r, (size_t)cbase)) {
            const char *bn = table_text(tt, r, (size_t)cbase);
            if ((tg.base = table_find(ds->t, bn)) < 0 || !ds->numeric[tg.base]) {
                table_pos(tt, r, (size_t)cbase, &line, &col);
                diag_error(d, table_name(tt), line, col,
                           "denominator '%s' is not a numeric column of %s", bn,
                           table_name(ds->t));
                continue;
            }
        }
        if (isnan(tg.min) && isnan(tg.max)) {
            table_pos(tt, r, (size_t)(cmin >= 0 ? cmin : ind), &line, &col);
            diag_error(d, table_name(tt), line, col, "target '%s' has neither min nor max", name);
            continue;
        }
        if (k == T_EXACT && isnan(tg.min))
            tg.min = tg.max;
        ds->targets[ds->ntargets++] = tg;
    }
    if (diag_errors(d) > errors)
        return -1;
    /* lists per (unit, period), in file order */
    ds->tgt_start = xcalloc(ds->nunits * np + 1, sizeof(size_t));
    ds->tgt_n = xcalloc(ds->nunits * np + 1, sizeof(size_t));
    ds->tgt_list = xcalloc(ds->ntargets + 1, sizeof(size_t));
    for (size_t i = 0; i < ds->ntargets; i++)
        ds->tgt_n[ds->targets[i].unit * np + ds->targets[i].period]++;
    for (size_t i = 1; i < ds->nunits * np; i++)
        ds->tgt_start[i] = ds->tgt_start[i - 1] + ds->tgt_n[i - 1];
    {
        size_t *fillc = xcalloc(ds->nunits * np + 1, sizeof(size_t));
        for (size_t i = 0; i < ds->ntargets; i++) {
            size_t up = ds->targets[i].unit * np + ds->targets[i].period;
            ds->tgt_list[ds->tgt_start[up] + fillc[up]++] = i;
        }
        free(fillc);
    }
    return 0;
}

static long column_or_error(const table *t, const char *name, const char *what, const char *src,
                            diag *d)
{
    long c = table_find(t, name);
    if (c < 0)
        diag_error(d, src, 0, 0, "%s column '%s' is not in %s", what, name, table_name(t));
    return c;
}

dataset *dataset_build(const table *stats, const table *targets, const dataset_opts *o,
                       diag *d)
{
    dataset *ds = xcalloc(1, sizeof *ds);
    const char *src = o && o->source ? o->source : table_name(stats);
    namemap um = { 0 }, pm = { 0 };
    long *sort_cols = NULL;
    size_t errors = diag_errors(d);

    init_words();
    ds->t = stats;
    ds->nrows = table_rows(stats);
    ds->ncols = table_cols(stats);
    ds->key = o && o->key ? column_or_error(stats, o->key, "key", src, d)
                          : find_role(stats, TABLE_ROLE_KEY, "ma_tinh");
    ds->period = o && o->period ? column_or_error(stats, o->period, "period", src, d)
                                : find_role(stats, TABLE_ROLE_PERIOD, "nam");
    ds->name = find_role(stats, TABLE_ROLE_NAME, "ten_tinh");
    ds->region = find_role(stats, TABLE_ROLE_REGION, "vung");
    ds->base = table_find(stats, o && o->share_base ? o->share_base : "so_htx");
    if (diag_errors(d) > errors)
        goto fail;
    if (ds->key < 0 || ds->period < 0) {
        diag_error(d, src, 0, 0, "%s has no %s column (give `%s:` in the front matter)",
                   table_name(stats), ds->key < 0 ? "key" : "period",
                   ds->key < 0 ? "key" : "period");
        goto fail;
    }
    sort_cols = xcalloc((o ? o->nsort : 0) + 1, sizeof *sort_cols);
    for (size_t i = 0; o && i < o->nsort; i++)
        if ((sort_cols[i] = column_or_error(stats, o->sort[i].column, "sort", src, d)) < 0)
            goto fail;
    ds->numeric = xcalloc(ds->ncols + 1, 1);
    ds->money = xcalloc(ds->ncols + 1, 1);
    map_init(&ds->cols, ds->ncols);
    for (size_t c = 0; c < ds->ncols; c++) {
        const column *col = table_column(stats, c);
        ds->numeric[c] = (unsigned char)is_numeric(col);
        ds->money[c] = strncmp(col->unit, "triệu đồng", strlen("triệu đồng")) == 0;
        map_put(&ds->cols, col->name, strlen(col->name), c);
    }
    collect_periods(ds, targets, targets ? table_find(targets, table_column(stats,
                                               (size_t)ds->period)->name) : -1, &pm);
    index_rows(ds, &um, &pm);
    add_virtual_rows(ds);
    index_cells(ds);
    build_lists(ds, o, sort_cols);
    compute_figures(ds);
    if (targets && load_targets(ds, targets, &um, &pm, d) < 0)
        goto fail;
    if (!targets)
        ds->tgt_list = xcalloc(1, sizeof(size_t));
    ds->narr_dir = o && o->narratives ? xstrdup(o->narratives) : NULL;
    ds->today = vnfmt_today_days();
    map_free(&um);
    map_free(&pm);
    free(sort_cols);
    return ds;
fail:
    map_free(&um);
    map_free(&pm);
    free(sort_cols);
    dataset_free(ds);
    return NULL;
}

static void narrative_free(narrative *n)
{
    if (!n)
        return;
    for (size_t i = 0; i < n->n; i++)
        free(n->names[i]);
    free(n->names);
    free(n->bodies);
    free(n->text);
    free(n);
}

void dataset_free(dataset *ds)
{
    if (!ds)
        return;
    for (size_t i = 0; i < ds->nreal_units; i++)
        if (ds->unit_key_owned[i])
            free((char *)ds->unit_keys[i]);
    for (size_t i = 0; i < ds->nregions; i++)
        free(ds->region_names[i]);
    for (size_t i = 0; i < ds->nperiods; i++)
        free(ds->period_text[i]);
    if (ds->narr)
        for (size_t i = 0; i < ds->nrows; i++)
            narrative_free(ds->narr[i]);
    void *arrays[] = { ds->numeric, ds->money, (void *)ds->unit_keys, ds->unit_key_owned, ds->region_names, ds->period_text,
                       ds->period_num, ds->prev_period, ds->next_period, ds->row_unit,
                       ds->row_period, ds->row_region, ds->row_kind, ds->cell, ds->prev_row,
                       ds->vcol, ds->val, ds->rank, ds->of, ds->best, ds->best_n, ds->targets,
                       ds->tgt_start, ds->tgt_n, ds->tgt_list, ds->units_list,
                       ds->units_start, ds->units_n, ds->runits_list, ds->runits_start,
                       ds->runits_n, ds->periods_list, ds->periods_start, ds->periods_n,
                       ds->regions_list, ds->regions_start, ds->regions_n, ds->narr,
                       ds->narr_tried, (void *)ds->narr_dir };
    for (size_t i = 0; i < sizeof arrays / sizeof *arrays; i++)
        free(arrays[i]);
    map_free(&ds->cols);
    free(ds);
}

const table *dataset_table(const dataset *ds) { return ds->t; }
size_t dataset_rows(const dataset *ds) { return ds->nall; }
long dataset_key_col(const dataset *ds) { return ds->key; }
long dataset_period_col(const dataset *ds) { return ds->period; }

size_t dataset_total_row(const dataset *ds, size_t row)
{
    return row < ds->nall ? total_row_of(ds, row) : NONE;
}

size_t dataset_region_row(const dataset *ds, size_t row)
{
    if (row >= ds->nrows || ds->row_region[row] == NONE || ds->row_period[row] == NONE)
        return NONE;
    return total_row_of(ds, row) + 1 + ds->row_region[row];
}

size_t dataset_find(const dataset *ds, const char *key, const char *period)
{
    char *k = vnkey_normalise(key, strlen(key));
    size_t r = NONE;
    for (size_t i = 0; i < ds->nrows && r == NONE; i++)
        if (strcmp(ds->unit_keys[ds->row_unit[i]], k) == 0 &&
            (!period || dataset_cell_is(ds, i, (size_t)ds->period, period)))
            r = i;
    free(k);
    return r;
}

int dataset_cell_is(const dataset *ds, size_t row, size_t c, const char *value)
{
    const char *s;
    char *a, *b;
    int eq;

    if (row >= ds->nrows || c >= ds->ncols)
        return 0;
    if (ds->numeric[c]) {
        double x = table_num(ds->t, row, c), y = num_or_nan(value);
        if (!isnan(x) && !isnan(y))
            return x == y;
    }
    s = table_text(ds->t, row, c);
    a = vnkey_normalise(s, strlen(s));
    b = vnkey_normalise(value, strlen(value));
    eq = strcmp(a, b) == 0;
    free(a);
    free(b);
    return eq;
}

/***  Narratives  ***/

static narrative *load_narrative(const dataset *ds, size_t row)
{
    dataset *m = (dataset *)ds; /* the cache is the only thing a lookup changes */
    buf path = BUF_INIT, slug = BUF_INIT;
    narrative *n;
    char *text;
    size_t len;

    if (row >= ds->nrows || !ds->narr_dir)
        return NULL;
    if (!ds->narr) { /* on first use: the process that plans a build reads none */
        m->narr = xcalloc(ds->nrows + 1, sizeof *m->narr);
        m->narr_tried = xcalloc(ds->nrows + 1, 1);
    }
    if (ds->narr_tried[row])
        return ds->narr[row];
    m->narr_tried[row] = 1;
    buf_printf(&path, "%s/%s-%s.md", ds->narr_dir, table_text(ds->t, row, (size_t)ds->key),
               table_text(ds->t, row, (size_t)ds->period));
    {
        /* no narrative for this unit and period is normal: the member is then falsey */
        diag *quiet = access(path.ptr, R_OK) == 0 ? diag_new(NULL, 0) : NULL;
        int rc = quiet ? fileio_read(path.ptr, &text, &len, quiet) : -1;
        diag_free(quiet);
        buf_free(&path);
        if (rc < 0)
            return NULL;
    }
    n = xcalloc(1, sizeof *n);
    n->text = text, n->len = len;
    /* sections start at lines "### Heading" */
    size_t cap = 0;
    for (const char *p = text; (p = strstr(p, "### ")); p += 4)
        cap++;
    n->names = xcalloc(cap + 1, sizeof *n->names);
    n->bodies = xcalloc(cap + 1, sizeof *n->bodies);
    for (size_t i = 0; i < len;) {
        size_t eol = i;
        while (eol < len && text[eol] != '\n')
            eol++;
        if (eol - i > 4 && memcmp(text + i, "### ", 4) == 0 && n->n < cap) {
            buf_reset(&slug);
            vntext_slug(&slug, text + i + 4, eol - i - 4);
            for (size_t k = 0; k < slug.len; k++)
                if (slug.ptr[k] == '-')
                    slug.ptr[k] = '_';
            n->names[n->n] = xstrdup(buf_cstr(&slug));
            n->bodies[n->n].ptr = text + (eol < len ? eol + 1 : eol);
            if (n->n)
                n->bodies[n->n - 1].len = (size_t)(text + i - n->bodies[n->n - 1].ptr);
            n->n++;
        }
        i = eol + 1;
    }
    if (n->n)
        n->bodies[n->n - 1].len = (size_t)(text + len - n->bodies[n->n - 1].ptr);
    for (size_t i = 0; i < n->n; i++) {
        str *b = &n->bodies[i];
        while (b->len && (b->ptr[0] == '\n' || b->ptr[0] == '\r'))
            b->ptr++, b->len--;
        while (b->len && (b->ptr[b->len - 1] == '\n' || b->ptr[b->len - 1] == '\r' ||
                          b->ptr[b->len - 1] == ' '))
            b->len--;
    }
    buf_free(&slug);
    m->narr[row] = n;
    return n;
}

/***  Values  ***/

enum vkind {
    V_MISSING, /* known name, no value: prints the missing marker, falsey */
    V_ROW,     /* a row of the dataset */
    V_CELL,    /* a column of a row: answers members */
    V_NUM,     /* a computed figure with its printed form */
    V_BOOL,
    V_TEXT,
    V_DATE,
    V_LIST,
    V_TARGET,
    V_WORDING, /* a target's wording */
    V_FM,      /* a front matter value (params) */
    V_NARR,
    V_RAW      /* a canonical number */
};

#define MARKDOWN_TEXT 255 /* a V_TEXT style: narrative Markdown, answers .html */

enum numstyle { S_NUM, S_PCT, S_DELTA, S_DELTA_PCT, S_WORDS, S_TY, S_PAD, S_INT };

enum listkind { L_ROWS, L_TARGETS, L_FM };

typedef struct val {
    unsigned char kind, style, lkind;
    int dec;
    size_t row;
    long col;
    double x;
    const void *p;  /* text, list items, fm value, narrative */
    size_t n;       /* text length, list length */
} val;

typedef struct frame {
    val v;          /* the value, or the list (then v.kind == V_LIST) */
    size_t pos;     /* the active item of a list */
} frame;

struct dataset_ctx {
    const dataset *ds;
    const fm_value *params;
    frame *st;
    size_t n, cap;
    buf scratch;
    buf *unknown; /* names that resolved to nothing, one a line (dataset_ctx_collect_unknown) */
    char *title;
    size_t title_len;
};

static const val missing = { .kind = V_MISSING };

static val mk_num(double x, int style, int dec)
{
    val v = { .kind = V_NUM, .style = (unsigned char)style, .dec = dec, .x = x };
    return v;
}

static val mk_bool(int b)
{
    val v = { .kind = V_BOOL, .x = b };
    return v;
}

static val mk_text(const char *s, size_t n)
{
    val v = { .kind = V_TEXT, .p = s, .n = n };
    return v;
}

static val mk_list(int lk, const size_t *items, size_t n)
{
    val v = { .kind = V_LIST, .lkind = (unsigned char)lk, .p = items, .n = n };
    return v;
}

static int col_dec(const dataset *ds, long c)
{
    int dec = table_column(ds->t, (size_t)c)->decimals;
    return dec < 0 ? (table_column(ds->t, (size_t)c)->type == TABLE_INTEGER ? 0 : 2) : dec;
}

/* The printed style of column C's own figures. */
static val col_num(const dataset *ds, long c, double x)
{
    return mk_num(x, table_column(ds->t, (size_t)c)->type == TABLE_PERCENT ? S_PCT : S_NUM,
                  col_dec(ds, c));
}

/* The target of column C for table row ROW: the last one the targets table gives for its
 * unit and period (file order), and only for the first row of that unit and period. */
static const target *target_at(const dataset *ds, size_t row, long c)
{
    size_t p = row < ds->nrows ? ds->row_period[row] : NONE, np = ds->nperiods, up;
    const target *found = NULL;

    if (p == NONE || !ds->tgt_start)
        return NULL;
    up = ds->row_unit[row] * np + p;
    if (ds->cell[up] != row)
        return NULL;
    for (size_t k = 0; k < ds->tgt_n[up]; k++) {
        const target *tg = &ds->targets[ds->tgt_list[ds->tgt_start[up] + k]];
        if (tg->col == c)
            found = tg;
    }
    return found;
}

/* What a target is measured on: the value, its share, its growth or its ratio. */
static double target_actual(const dataset *ds, const target *tg, size_t row)
{
    size_t c = (size_t)tg->col;
    double v = value_at(ds, row, c);
    switch (tg->kind) {
    case T_SHARE: {
        long bc = tg->base >= 0 ? tg->base : ds->base;
        double b = bc >= 0 ? value_at(ds, row, (size_t)bc) : NAN;
        return isnan(v) || isnan(b) || b == 0 ? NAN : v / b * 100;
    }
    case T_GROWTH:
        return growth_at(ds, row, c);
    case T_RATIO: {
        double pv = value_at(ds, ds->prev_row[row], c);
        return isnan(v) || isnan(pv) || pv == 0 ? NAN : v / pv;
    }
    default:
        return v;
    }
}

/* 1 met, 0 not met, -1 unknown (a figure is missing). A plan's range ("tăng 5–7%", "25–30
 * HTX") is met from its floor up: going past the top is over-achievement (vượt kế hoạch), not
 * a miss. Only a target with no floor is a ceiling ("không quá 5%"). */
static int target_met(const dataset *ds, const target *tg, size_t row)
{
    double a = target_actual(ds, tg, row);
    if (isnan(a))
        return -1;
    if (tg->kind == T_EXACT)
        return fabs(a - tg->min) < 1e-9;
    if (!isnan(tg->min))
        return a >= tg->min - 1e-9;
    return isnan(tg->max) || a <= tg->max + 1e-9;
}

static void put_plain(buf *b, double x)
{
    vnfmt_num(b, x, 2, VNFMT_TRIM);
}

/* "ít nhất 25", "từ 75% trở lên", "tăng 5–7%", "gấp 0,8–1 lần", "25". */
static void put_wording(buf *b, const target *tg)
{
    int lo = !isnan(tg->min), hi = !isnan(tg->max);
    const char *pct = tg->kind == T_SHARE || tg->kind == T_GROWTH ? "%" : "";
    if (lo && hi && tg->min == tg->max && tg->kind != T_GROWTH && tg->kind != T_RATIO) {
        put_plain(b, tg->min);
        buf_puts(b, pct);
        return;
    }
    switch (tg->kind) {
    case T_EXACT:
        put_plain(b, lo ? tg->min : tg->max);
        return;
    case T_GROWTH:
        buf_puts(b, "tăng ");
        break;
    case T_RATIO:
        if (lo && !hi && tg->min == 1) {
            buf_puts(b, "không thấp hơn năm trước");
            return;
        }
        buf_puts(b, "gấp ");
        break;
    default:
        break;
    }
    if (lo && hi) {
        if (tg->kind == T_ABSOLUTE || tg->kind == T_SHARE) {
            buf_puts(b, "từ ");
            put_plain(b, tg->min), buf_puts(b, pct), buf_puts(b, " đến ");
            put_plain(b, tg->max), buf_puts(b, pct);
        } else {
            put_plain(b, tg->min), buf_puts(b, "\xe2\x80\x93"), put_plain(b, tg->max);
            buf_puts(b, pct);
        }
    } else if (lo) {
        if (tg->kind == T_SHARE) {
            buf_puts(b, "từ "), put_plain(b, tg->min), buf_puts(b, "% trở lên");
            return;
        }
        buf_puts(b, "ít nhất "), put_plain(b, tg->min), buf_puts(b, pct);
    } else {
        buf_puts(b, "không quá "), put_plain(b, tg->max), buf_puts(b, pct);
    }
    if (tg->kind == T_RATIO)
        buf_puts(b, " lần");
}

static size_t row_of_period(const dataset *ds, size_t row)
{
    return ds->row_period[row];
}

static val collection(const dataset *ds, size_t row, size_t w)
{
    size_t p = row_of_period(ds, row), np = ds->nperiods, u = ds->row_unit[row];
    switch (w) {
    case W_UNITS:
        if (p == NONE)
            return missing;
        if (ds->row_kind[row] == ROW_REGION) {
            size_t k = p * ds->nregions + ds->row_region[row];
            return mk_list(L_ROWS, ds->runits_list + ds->runits_start[k], ds->runits_n[k]);
        }
        return mk_list(L_ROWS, ds->units_list + ds->units_start[p], ds->units_n[p]);
    case W_PERIODS:
        return mk_list(L_ROWS, ds->periods_list + ds->periods_start[u], ds->periods_n[u]);
    case W_REGIONS:
        if (p == NONE)
            return missing;
        return mk_list(L_ROWS, ds->regions_list + ds->regions_start[p], ds->regions_n[p]);
    case W_TOTAL: {
        val v = { .kind = V_ROW, .row = total_row_of(ds, row) };
        return v.row == NONE ? missing : v;
    }
    case W_PREVIOUS: {
        val v = { .kind = V_ROW, .row = ds->prev_row[row] };
        return v.row == NONE ? missing : v;
    }
    case W_TARGETS:
    case W_NEXT_TARGETS: {
        size_t q = p == NONE ? NONE : w == W_TARGETS ? p : ds->next_period[p];
        if (q == NONE)
            return missing;
        if (!ds->tgt_start)
            return mk_list(L_TARGETS, ds->tgt_list, 0);
        return mk_list(L_TARGETS, ds->tgt_list + ds->tgt_start[u * np + q], ds->tgt_n[u * np + q]);
    }
    case W_NARRATIVE: {
        narrative *n = load_narrative(ds, row);
        val v = { .kind = V_NARR, .p = n };
        return n ? v : mk_text("", 0); /* text, not a figure: nothing printed, falsey */
    }
    case W_IS_TOTAL:
        return mk_bool(ds->row_kind[row] == ROW_TOTAL);
    case W_IS_REGION:
        return mk_bool(ds->row_kind[row] == ROW_REGION);
    default:
        return missing;
    }
}

/* The text of column C in ROW (virtual rows: the name says what they total); NULL: missing. */
static const char *row_text(const dataset *ds, size_t row, long c, size_t *len)
{
    const char *s = NULL;
    if (row < ds->nrows) {
        s = table_text(ds->t, row, (size_t)c); /* "" when missing (table.h) */
        if (!*s)
            s = NULL;
    } else if (c == ds->period) {
        s = ds->period_text[ds->row_period[row]];
    } else if (ds->row_kind[row] == ROW_TOTAL && c == ds->name) {
        s = "Tổng cộng";
    } else if (ds->row_kind[row] == ROW_REGION && (c == ds->name || c == ds->region)) {
        /* the region as first written in the table */
        size_t g = ds->row_region[row], p = ds->row_period[row];
        size_t k = p * ds->nregions + g;
        s = ds->runits_n[k] ? table_text(ds->t, ds->runits_list[ds->runits_start[k]],
                                         (size_t)ds->region)
                            : ds->region_names[g];
    }
    if (s)
        *len = strlen(s);
    return s;
}

static val member_of_cell(const dataset *ds, size_t row, long c, size_t w)
{
    const column *col = table_column(ds->t, (size_t)c);
    size_t nc = ds->ncols;
    switch (w) {
    case W_LABEL:
        return mk_text(col->label, strlen(col->label));
    case W_UNIT:
        return mk_text(col->unit, strlen(col->unit));
    default:
        break;
    }
    if (ds->numeric[c]) {
        double v = value_at(ds, row, (size_t)c), pv = value_at(ds, ds->prev_row[row], (size_t)c);
        double dl = v - pv;
        const target *tg = target_at(ds, row, c);
        int dec = col_dec(ds, c);
        switch (w) {
        case W_RAW: {
            val r = { .kind = V_RAW, .x = v };
            return isnan(v) ? missing : r;
        }
        case W_PREV: return col_num(ds, c, pv);
        case W_DELTA: return mk_num(dl, S_DELTA, dec);
        case W_DELTA_ABS: return mk_num(fabs(dl), S_NUM, dec);
        case W_GROWTH: return mk_num(growth_at(ds, row, (size_t)c), S_DELTA_PCT, 1);
        case W_GROWTH_ABS: return mk_num(fabs(growth_at(ds, row, (size_t)c)), S_PCT, 1);
        case W_TREND:
            if (isnan(dl))
                return missing;
            return dl > 0 ? mk_text("tăng", strlen("tăng"))
                   : dl < 0 ? mk_text("giảm", strlen("giảm"))
                            : mk_text("không đổi", strlen("không đổi"));
        case W_UP: return isnan(dl) ? missing : mk_bool(dl > 0);
        case W_DOWN: return isnan(dl) ? missing : mk_bool(dl < 0);
        case W_SAME: return isnan(dl) ? missing : mk_bool(dl == 0);
        case W_TARGET: {
            val t = { .kind = V_WORDING, .p = tg };
            return tg ? t : missing;
        }
        case W_ATTAIN:
            if (!tg || (tg->kind != T_ABSOLUTE && tg->kind != T_EXACT) || isnan(tg->min) ||
                tg->min == 0)
                return missing;
            return mk_num(v / tg->min * 100, S_PCT, 1);
        case W_MET: {
            int m = tg ? target_met(ds, tg, row) : -1;
            return m < 0 ? missing : mk_bool(m);
        }
        case W_RANK: return isnan(v) ? missing : mk_num(rank_at(ds, row, (size_t)c), S_INT, 0);
        case W_OF:
            if (isnan(v) || ds->row_period[row] == NONE)
                return missing;
            return mk_num(ds->of[ds->row_period[row] * nc + (size_t)c], S_INT, 0);
        case W_TOTAL: return col_num(ds, c, value_at(ds, total_row_of(ds, row), (size_t)c));
        case W_SHARE: return mk_num(share_at(ds, row, (size_t)c), S_PCT, 1);
        case W_WORDS: return mk_num(v, S_WORDS, dec);
        case W_TY: return ds->money[c] ? mk_num(v, S_TY, 2) : missing;
        case W_PAD: return mk_num(v, S_PAD, dec);
        case W_PRESENT: return mk_bool(!isnan(v));
        case W_MISSING: return mk_bool(isnan(v));
        case W_TOP:
        case W_BOTTOM:
        case W_TOP_GROWTH:
        case W_BOTTOM_GROWTH: {
            size_t p = ds->row_period[row], k;
            if (p == NONE)
                return missing;
            k = best_slot(ds, p, (size_t)c, (int)(w - W_TOP));
            return mk_list(L_ROWS, ds->best + k * DATASET_TOP_N, ds->best_n[k]);
        }
        default: return missing;
        }
    }
    size_t len = 0;
    const char *s = row_text(ds, row, c, &len);
    if (col->type == TABLE_DATE && row < ds->nrows) {
        double days = table_num(ds->t, row, (size_t)c);
        val dv = { .kind = V_DATE, .x = days };
        switch (w) {
        case W_LONG: case W_SHORT: case W_WEEKDAY: case W_ISO:
            if (isnan(days))
                return missing;
            dv.style = (unsigned char)w;
            return dv;
        default:
            break;
        }
    }
    switch (w) {
    case W_RAW: return s ? mk_text(s, len) : missing;
    case W_UPPER:
    case W_SLUG: {
        val t = { .kind = V_TEXT, .style = (unsigned char)w, .p = s, .n = len };
        return s ? t : missing;
    }
    case W_PRESENT: return mk_bool(s != NULL);
    case W_MISSING: return mk_bool(s == NULL);
    default: return missing;
    }
}

static int date_word(size_t w)
{
    return w == W_LONG || w == W_SHORT || w == W_WEEKDAY || w == W_ISO;
}

static int fm_truthy(const fm_value *f)
{
    if (f->kind != FM_SCALAR)
        return f->count > 0;
    const char *s = f->text;
    return *s && strcmp(s, "false") != 0 && strcmp(s, "no") != 0 && strcmp(s, "~") != 0 &&
           strcmp(s, "null") != 0 && strcmp(s, "0") != 0;
}

/* The member NAME[0..N) of V; 0 found (in *OUT), -1 no such member. */
static int child(const dataset_ctx *cx, const val *v, const char *name, size_t n, val *out)
{
    const dataset *ds = cx->ds;
    size_t w;

    switch (v->kind) {
    case V_ROW: {
        size_t c = map_get(&ds->cols, name, n);
        if (c != NONE) {
            val cv = { .kind = V_CELL, .row = v->row, .col = (long)c };
            *out = cv;
            return 0;
        }
        w = word_of(name, n);
        if (w == W_UNITS || w == W_PERIODS || w == W_REGIONS || w == W_TOTAL || w == W_TARGETS ||
            w == W_NEXT_TARGETS || w == W_NARRATIVE || w == W_PREVIOUS || w == W_IS_TOTAL ||
            w == W_IS_REGION) {
            *out = collection(ds, v->row, w);
            return 0;
        }
        return -1;
    }
    case V_CELL:
        w = word_of(name, n);
        if (w == NONE)
            return -1;
        *out = member_of_cell(ds, v->row, v->col, w);
        return 0;
    case V_DATE:
        w = word_of(name, n);
        if (!date_word(w))
            return -1;
        *out = *v;
        out->style = (unsigned char)w;
        return 0;
    case V_TARGET: {
        const target *tg = &ds->targets[v->row];
        size_t row = v->col >= 0 ? (size_t)v->col : NONE;
        w = word_of(name, n);
        switch (w) {
        case W_LABEL:
            *out = tg->label ? mk_text(tg->label, strlen(tg->label)) : missing;
            return 0;
        case W_UNIT:
            *out = tg->unit_text ? mk_text(tg->unit_text, strlen(tg->unit_text)) : missing;
            return 0;
        case W_KIND:
            *out = mk_text(tkind_names[tg->kind], strlen(tkind_names[tg->kind]));
            return 0;
        case W_COLUMN: {
            const char *cn = table_column(ds->t, (size_t)tg->col)->name;
            *out = mk_text(cn, strlen(cn));
            return 0;
        }
        case W_TARGET: {
            val t = { .kind = V_WORDING, .p = tg };
            *out = t;
            return 0;
        }
        case W_MIN: *out = mk_num(tg->min, S_NUM, 2); out->style = S_NUM; return 0;
        case W_MAX: *out = mk_num(tg->max, S_NUM, 2); return 0;
        case W_ACTUAL: {
            double a = row == NONE ? NAN : target_actual(ds, tg, row);
            switch (tg->kind) {
            case T_SHARE: *out = mk_num(a, S_PCT, 1); break;
            case T_GROWTH: *out = mk_num(a, S_DELTA_PCT, 1); break;
            case T_RATIO: *out = mk_num(a, S_NUM, 2); break;
            default: *out = col_num(ds, tg->col, a); break;
            }
            return 0;
        }
        case W_MET: {
            int m = row == NONE ? -1 : target_met(ds, tg, row);
            *out = m < 0 ? missing : mk_bool(m);
            return 0;
        }
        case W_ATTAIN: {
            double a = row == NONE ? NAN : value_at(ds, row, (size_t)tg->col);
            *out = (tg->kind == T_ABSOLUTE || tg->kind == T_EXACT) && tg->min > 0
                       ? mk_num(a / tg->min * 100, S_PCT, 1)
                       : missing;
            return 0;
        }
        default:
            return -1;
        }
    }
    case V_FM: {
        const fm_value *f = v->p;
        if (f->kind != FM_MAP)
            return -1;
        for (size_t i = 0; i < f->count; i++)
            if (strlen(f->keys[i]) == n && memcmp(f->keys[i], name, n) == 0) {
                val fv = { .kind = V_FM, .p = f->items[i] };
                *out = fv;
                return 0;
            }
        return -1;
    }
    case V_NARR: {
        const narrative *nr = v->p;
        for (size_t i = 0; i < nr->n; i++)
            if (strlen(nr->names[i]) == n && memcmp(nr->names[i], name, n) == 0) {
                *out = mk_text(nr->bodies[i].ptr, nr->bodies[i].len);
                out->style = MARKDOWN_TEXT;
                return 0;
            }
        if (word_of(name, n) == W_HTML) {
            *out = mk_text(nr->text, nr->len);
            out->style = W_HTML;
            return 0;
        }
        *out = mk_text("", 0); /* a section this file lacks: falsey, as a missing file */
        return 0;
    }
    case V_TEXT:
        /* a narrative section as HTML, for .html templates */
        if (v->style != MARKDOWN_TEXT || word_of(name, n) != W_HTML)
            return -1;
        *out = *v;
        out->style = W_HTML;
        return 0;
    default:
        return -1;
    }
}

/* The value of list item I. */
static val item_of(const dataset_ctx *cx, const val *list, size_t i)
{
    const size_t *items = list->p;
    val v = { 0 };
    switch (list->lkind) {
    case L_ROWS:
        v.kind = V_ROW, v.row = items[i];
        break;
    case L_TARGETS: {
        const target *tg = &cx->ds->targets[items[i]];
        size_t r = cx->ds->cell[tg->unit * cx->ds->nperiods + tg->period];
        v.kind = V_TARGET, v.row = items[i], v.col = r == NONE ? -1 : (long)r;
        break;
    }
    default: {
        const fm_value *const *fi = list->p;
        v.kind = V_FM, v.p = fi[i];
        break;
    }
    }
    return v;
}

/* The value a frame stands for (a list frame: its active item). */
static val frame_val(const dataset_ctx *cx, const frame *f)
{
    return f->v.kind == V_LIST ? item_of(cx, &f->v, f->pos) : f->v;
}

/* Resolves the first part of a name from the top of the stack down, then the globals. */
static int resolve_first(const dataset_ctx *cx, const char *name, size_t n, val *out)
{
    size_t w;
    for (size_t i = cx->n; i-- > 0;) {
        const frame *f = &cx->st[i];
        if (f->v.kind == V_LIST && (n == 5 || n == 4)) {
            w = word_of(name, n);
            if (w == W_FIRST || w == W_LAST) {
                *out = mk_bool(w == W_FIRST ? f->pos == 0 : f->pos + 1 == f->v.n);
                return 0;
            }
            if (w == W_INDEX) {
                *out = mk_num((double)(f->pos + 1), S_INT, 0);
                return 0;
            }
        }
        val fv = frame_val(cx, f);
        if (child(cx, &fv, name, n, out) == 0)
            return 0;
    }
    w = word_of(name, n);
    switch (w) {
    case W_TODAY: {
        val dv = { .kind = V_DATE, .x = (double)cx->ds->today, .style = W_SHORT };
        *out = dv;
        return 0;
    }
    case W_TITLE:
        *out = cx->title ? mk_text(cx->title, cx->title_len) : missing;
        return 0;
    case W_PARAMS: {
        val pv = { .kind = V_FM, .p = cx->params };
        *out = cx->params ? pv : missing;
        return 0;
    }
    default:
        return -1;
    }
}

static int resolve(const dataset_ctx *cx, const char *name, size_t len, val *out)
{
    size_t i = 0;
    if (len == 1 && name[0] == '.') {
        if (!cx->n)
            return -1;
        *out = frame_val(cx, &cx->st[cx->n - 1]);
        return 0;
    }
    while (i < len && name[i] != '.')
        i++;
    if (resolve_first(cx, name, i, out) < 0)
        return -1;
    while (i < len) {
        size_t s = ++i;
        while (i < len && name[i] != '.')
            i++;
        if (out->kind == V_MISSING || (out->kind == V_TEXT && out->n == 0))
            return 0; /* a member of a missing value (or absent narrative) is missing */
        val next;
        if (child(cx, out, name + s, i - s, &next) < 0)
            return -1;
        *out = next;
    }
    return 0;
}

static int truthy(const val *v)
{
    switch (v->kind) {
    case V_MISSING: return 0;
    case V_CELL: return 1; /* decided by the caller (needs the dataset) */
    case V_NUM: case V_RAW: return !isnan(v->x);
    case V_BOOL: return v->x != 0;
    case V_TEXT: return v->n > 0;
    case V_LIST: return v->n > 0;
    case V_FM: return fm_truthy(v->p);
    case V_DATE: return !isnan(v->x);
    default: return 1;
    }
}

static int cell_present(const dataset *ds, const val *v)
{
    size_t len;
    if (ds->numeric[v->col])
        return !isnan(value_at(ds, v->row, (size_t)v->col));
    return row_text(ds, v->row, v->col, &len) != NULL;
}

static void put_raw(buf *b, double x)
{
    char tmp[40];
    for (int prec = 15; prec <= 17; prec++) {
        snprintf(tmp, sizeof tmp, "%.*g", prec, x);
        if (strtod(tmp, NULL) == x)
            break;
    }
    buf_puts(b, tmp);
}

static void print_num(buf *b, const val *v)
{
    switch (v->style) {
    case S_PCT: vnfmt_pct(b, v->x, v->dec, 0); break;
    case S_DELTA: vnfmt_delta(b, v->x, v->dec, 0); break;
    case S_DELTA_PCT:
        vnfmt_delta(b, v->x, v->dec, 0);
        if (!isnan(v->x))
            buf_putc(b, '%');
        break;
    case S_WORDS: vnfmt_words(b, v->x, v->dec, VNFMT_TRIM); break;
    case S_TY: vnfmt_ty_dong(b, v->x, v->dec, VNFMT_TRIM); break;
    case S_PAD: vnfmt_num(b, v->x, v->dec, VNFMT_PAD2); break;
    case S_INT: vnfmt_num(b, v->x, 0, VNFMT_NOGROUP); break;
    default: vnfmt_num(b, v->x, v->dec, VNFMT_MINUS); break;
    }
}

static void print_val(const dataset_ctx *cx, const val *v, buf *b)
{
    const dataset *ds = cx->ds;
    switch (v->kind) {
    case V_MISSING:
        buf_puts(b, VNFMT_MISSING);
        break;
    case V_CELL: {
        const column *col = table_column(ds->t, (size_t)v->col);
        if (ds->numeric[v->col]) {
            val nv = col_num(ds, v->col, value_at(ds, v->row, (size_t)v->col));
            if (v->col == ds->period)
                nv.style = S_INT; /* a year is not 2.022 */
            print_num(b, &nv);
        } else if (col->type == TABLE_DATE && v->row < ds->nrows) {
            double days = table_num(ds->t, v->row, (size_t)v->col);
            if (isnan(days))
                buf_puts(b, VNFMT_MISSING);
            else
                vnfmt_date_short(b, (long)days);
        } else {
            size_t len;
            const char *s = row_text(ds, v->row, v->col, &len);
            if (s)
                buf_put(b, s, len);
            else
                buf_puts(b, VNFMT_MISSING);
        }
        break;
    }
    case V_NUM:
        print_num(b, v);
        break;
    case V_RAW:
        put_raw(b, v->x);
        break;
    case V_BOOL:
        buf_puts(b, v->x ? "có" : "không");
        break;
    case V_TEXT:
        if (v->style == W_HTML) {
            size_t hn;
            char *html = dom_html_from_markdown(v->p, v->n, 0, &hn);
            buf_put(b, html, hn);
            free(html);
        } else if (v->style == W_UPPER)
            vntext_upper(b, v->p, v->n);
        else if (v->style == W_SLUG)
            vntext_slug(b, v->p, v->n);
        else
            buf_put(b, v->p, v->n);
        break;
    case V_DATE:
        switch (v->style) {
        case W_LONG: vnfmt_date_long(b, (long)v->x); break;
        case W_WEEKDAY: vnfmt_weekday_name(b, (long)v->x, 0); break;
        case W_ISO: vnfmt_date_iso(b, (long)v->x); break;
        default: vnfmt_date_short(b, (long)v->x); break;
        }
        break;
    case V_WORDING:
    case V_TARGET:
        put_wording(b, v->kind == V_WORDING ? v->p : &ds->targets[v->row]);
        break;
    case V_FM: {
        const fm_value *f = v->p;
        if (f->kind == FM_SCALAR)
            buf_puts(b, f->text);
        break;
    }
    case V_NARR: {
        const narrative *n = v->p;
        buf_put(b, n->text, n->len);
        break;
    }
    default:
        break; /* rows and lists print nothing */
    }
}

/***  The tmpl_data callbacks  ***/

static void push(dataset_ctx *cx, val v)
{
    if (cx->n == cx->cap) {
        cx->cap = cx->cap ? cx->cap * 2 : 64;
        cx->st = xrealloc(cx->st, cx->cap * sizeof *cx->st);
    }
    cx->st[cx->n].v = v;
    cx->st[cx->n].pos = 0;
    cx->n++;
}

/* Notes NAME as unknown once, for baocao check. */
static void note_unknown(dataset_ctx *cx, const char *name, size_t len)
{
    buf *u = cx->unknown;
    if (!u || (len == 1 && name[0] == '.'))
        return;
    for (const char *q = buf_cstr(u); *q;) {
        const char *e = strchr(q, '\n');
        if ((size_t)(e - q) == len && memcmp(q, name, len) == 0)
            return;
        q = e + 1;
    }
    buf_put(u, name, len);
    buf_putc(u, '\n');
}

static int ctx_enter(void *self, const char *name, size_t len)
{
    dataset_ctx *cx = self;
    val v;
    if (resolve(cx, name, len, &v) < 0) {
        note_unknown(cx, name, len);
        return 0;
    }
    if (v.kind == V_CELL ? !cell_present(cx->ds, &v) : !truthy(&v))
        return 0;
    if (v.kind == V_FM && ((const fm_value *)v.p)->kind == FM_LIST) {
        const fm_value *f = v.p;
        v = mk_list(L_FM, (const size_t *)(const void *)f->items, f->count);
    }
    push(cx, v);
    return 1;
}

static int ctx_next(void *self)
{
    dataset_ctx *cx = self;
    frame *f = cx->n ? &cx->st[cx->n - 1] : NULL;
    if (!f || f->v.kind != V_LIST || f->pos + 1 >= f->v.n)
        return 0;
    f->pos++;
    return 1;
}

static void ctx_leave(void *self)
{
    dataset_ctx *cx = self;
    if (cx->n > 1)
        cx->n--;
}

static int ctx_lookup(void *self, const char *name, size_t len, str *out)
{
    dataset_ctx *cx = self;
    val v;
    if (resolve(cx, name, len, &v) < 0) {
        note_unknown(cx, name, len);
        return -1;
    }
    if (v.kind == V_ROW || v.kind == V_LIST)
        return -1;
    buf_reset(&cx->scratch);
    print_val(cx, &v, &cx->scratch);
    out->ptr = buf_cstr(&cx->scratch);
    out->len = cx->scratch.len;
    return 0;
}

dataset_ctx *dataset_ctx_new(const dataset *ds, const fm_value *params)
{
    dataset_ctx *cx = xcalloc(1, sizeof *cx);
    cx->ds = ds;
    cx->params = params;
    dataset_ctx_reset(cx, ds->nrows ? 0 : (ds->nall ? ds->nrows : NONE));
    return cx;
}

void dataset_ctx_free(dataset_ctx *c)
{
    if (!c)
        return;
    free(c->st);
    free(c->title);
    buf_free(&c->scratch);
    free(c);
}

void dataset_ctx_reset(dataset_ctx *c, size_t row)
{
    val v = { .kind = V_ROW, .row = row };
    c->n = 0;
    push(c, row < c->ds->nall ? v : missing);
}

void dataset_ctx_set_title(dataset_ctx *c, const char *title, size_t len)
{
    free(c->title);
    c->title = title ? xstrndup(title, len) : NULL;
    c->title_len = title ? len : 0;
}

void dataset_ctx_collect_unknown(dataset_ctx *c, buf *names)
{
    c->unknown = names;
}

tmpl_data dataset_ctx_data(dataset_ctx *c)
{
    tmpl_data d = { c, ctx_enter, ctx_next, ctx_leave, ctx_lookup };
    return d;
}

/***  Charts  ***/

/* A chart's categories and series from a collection of ROW's document: labels from the x
 * column's text, values from the y columns (missing stays NAN: a gap, never a zero). */
int dataset_chart_series(const dataset *ds, size_t row, const chart_spec *spec, chart_series *out,
                         arena *a, diag *d)
{
    size_t w = spec->data ? word_of(spec->data, strlen(spec->data)) : NONE;
    size_t xc = spec->x ? map_get(&ds->cols, spec->x, strlen(spec->x)) : NONE, yc[CHART_MAX_SERIES];
    const size_t *items;
    const char **label, **name;
    double **value;
    val list;

    if (w != W_UNITS && w != W_PERIODS && w != W_REGIONS) {
        diag_error(d, spec->file, spec->line, spec->col,
                   "chart data '%s' is not a collection of the document (units, periods, "
                   "regions) or 'rows'", spec->data ? spec->data : "");
        return -1;
    }
    if (xc == NONE) {
        diag_error(d, spec->file, spec->line, spec->col, "chart x: no column '%s' in %s",
                   spec->x ? spec->x : "", table_name(ds->t));
        return -1;
    }
    for (size_t s = 0; s < spec->ny; s++) {
        yc[s] = map_get(&ds->cols, spec->y[s], strlen(spec->y[s]));
        if (yc[s] == NONE || !ds->numeric[yc[s]]) {
            diag_error(d, spec->file, spec->line, spec->col,
                       "chart y: '%s' is not a numeric column of %s", spec->y[s],
                       table_name(ds->t));
            return -1;
        }
    }
    list = row < ds->nall ? collection(ds, row, w) : missing;
    items = list.kind == V_LIST ? list.p : NULL;
    out->n = items ? list.n : 0;
    label = arena_alloc(a, (out->n + 1) * sizeof *label);
    value = arena_alloc(a, (spec->ny + 1) * sizeof *value);
    name = arena_alloc(a, (spec->ny + 1) * sizeof *name);
    for (size_t s = 0; s < spec->ny; s++) {
        value[s] = arena_alloc(a, (out->n + 1) * sizeof **value);
        name[s] = table_column(ds->t, yc[s])->label;
    }
    for (size_t i = 0; i < out->n; i++) {
        size_t len = 0;
        const char *t = row_text(ds, items[i], (long)xc, &len);

        label[i] = t ? arena_strndup(a, t, len) : "–";
        for (size_t s = 0; s < spec->ny; s++)
            value[s][i] = value_at(ds, items[i], yc[s]);
    }
    out->label = label;
    out->value = (const double *const *)value;
    out->name = name;
    return 0;
}
