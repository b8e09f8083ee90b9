/*
** Filling a template: front matter → data → dataset → Mustache → the fan-out's documents.
**
** The template body is compiled from a copy of the file in which the front matter is
** blanked to its newlines, so Mustache errors carry the line and column of the file itself.
*/
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "arena.h"
#include "escape.h"
#include "fileio.h"
#include "fill.h"
#include "table.h"
#include "tmpl.h"
#include "vnkey.h"
#include "vntext.h"
#include "xalloc.h"

struct fill {
    char *path, *dir, *stem;
    char *src;
    size_t len;
    arena *a;
    frontmatter fm;
    int html;
    char *data_path, *targets_path, *narr_dir;
    table_dict *dict;
    const table *stats;  /* the data: read here (owned), or the caller's (fill_opts.stats) */
    table *own_stats, *targets;
    dataset *ds;
    dataset_ctx *cx;
    tmpl_loader *ld;
    tmpl *body, *title, *output;
    size_t ndocs;
    size_t fm_lines; /* newlines standing for the front matter in the compiled body */
    size_t *rows;   /* the row each document is filled from; NULL: its first row (doc_row) */
    size_t *firsts; /* a table row of each document's group (its fan-out values) */
    long *each_cols;
    fm_filter *where;
    size_t nwhere;
    long *where_cols;
};

static char *join_path(const char *dir, const char *rel)
{
    buf b = BUF_INIT;
    if (rel[0] == '/' || !dir[0])
        buf_puts(&b, rel);
    else
        buf_printf(&b, "%s/%s", dir, rel);
    return buf_detach(&b, NULL);
}

static char *dir_of(const char *path)
{
    const char *slash = strrchr(path, '/');
    return slash ? xstrndup(path, (size_t)(slash - path)) : xstrdup(".");
}

static unsigned count_chars(const char *s, size_t n)
{
    unsigned k = 0;
    for (size_t i = 0; i < n; i++)
        k += ((unsigned char)s[i] & 0xC0) != 0x80;
    return k;
}

/* Where WORD is written under front matter key KEY (for an unknown column), else where KEY
 * is; 0/0 when neither is found. */
static void key_pos(const fill *f, const char *key, const char *word, unsigned *line,
                    unsigned *col)
{
    size_t end = f->fm.body_offset, klen = strlen(key), wlen = strlen(word);
    unsigned ln = 1;
    int in_key = 0;

    *line = *col = 0;
    for (size_t i = 0; i < end;) {
        size_t eol = i;
        while (eol < end && f->src[eol] != '\n')
            eol++;
        if (in_key && i < eol && f->src[i] != ' ' && f->src[i] != '-' && f->src[i] != '\t')
            break; /* the next key: the word was not found under KEY */
        if (!in_key && eol - i > klen && memcmp(f->src + i, key, klen) == 0 &&
            f->src[i + klen] == ':') {
            in_key = 1;
            *line = ln, *col = 1;
        }
        if (in_key && wlen)
            for (size_t k = i; k + wlen <= eol; k++)
                if (memcmp(f->src + k, word, wlen) == 0) {
                    *line = ln, *col = count_chars(f->src + i, k - i) + 1;
                    return;
                }
        i = eol + 1, ln++;
    }
}

static long need_column(fill *f, const char *key, const char *name, diag *d)
{
    long c = table_find(f->stats, name);
    if (c < 0) {
        unsigned line, col;
        key_pos(f, key, name, &line, &col);
        diag_error(d, f->path, line, col, "%s: no column '%s' in %s", key, name,
                   table_name(f->stats));
    }
    return c;
}

static int load_data(fill *f, const fill_opts *o, diag *d)
{
    table_opts to = { NULL, TABLE_CONV_AUTO, 0 };
    buf dictp = BUF_INIT;
    char *ddir;

    if (o && o->data) {
        f->data_path = xstrdup(o->data);
        if (access(f->data_path, R_OK) != 0) {
            diag_error(d, f->data_path, 0, 0, "cannot read the data file (--data)");
            return -1;
        }
    } else if (f->fm.data) {
        f->data_path = join_path(f->dir, f->fm.data);
        if (access(f->data_path, R_OK) != 0) {
            diag_error(d, f->path, f->fm.data_line, f->fm.data_col,
                       "data file '%s' not found (%s)", f->fm.data, f->data_path);
            return -1;
        }
    } else {
        diag_error(d, f->path, 1, 1, "no `data:` in the front matter and no --data given");
        return -1;
    }
    ddir = dir_of(f->data_path);
    buf_printf(&dictp, "%s/columns.csv", ddir);
    if (access(dictp.ptr, R_OK) == 0 && !(f->dict = table_dict_read(dictp.ptr, d))) {
        buf_free(&dictp);
        free(ddir);
        return -1;
    }
    buf_free(&dictp);
    f->narr_dir = join_path(ddir, "narratives");
    free(ddir);
    to.dict = f->dict;
    if (o && o->stats)
        f->stats = o->stats;
    else if (!(f->stats = f->own_stats = table_read(f->data_path, &to, d)))
        return -1;
    if (f->fm.targets) {
        f->targets_path = join_path(f->dir, f->fm.targets);
        if (access(f->targets_path, R_OK) != 0) {
            diag_error(d, f->path, f->fm.targets_line, f->fm.targets_col,
                       "targets file '%s' not found (%s)", f->fm.targets, f->targets_path);
            return -1;
        }
        if (!(f->targets = table_read(f->targets_path, &to, d)))
            return -1;
    }
    return 0;
}

static int check_columns(fill *f, const fill_opts *o, diag *d)
{
    size_t errors = diag_errors(d);

    if (f->fm.key)
        need_column(f, "key", f->fm.key, d);
    if (f->fm.period)
        need_column(f, "period", f->fm.period, d);
    f->each_cols = xcalloc(f->fm.neach + 1, sizeof *f->each_cols);
    for (size_t i = 0; i < f->fm.neach; i++)
        f->each_cols[i] = need_column(f, "each", f->fm.each[i], d);
    for (size_t i = 0; i < f->fm.nsort; i++)
        need_column(f, "sort", f->fm.sort[i].column, d);
    f->nwhere = f->fm.nwhere + (o ? o->nwhere : 0);
    f->where = xcalloc(f->nwhere + 1, sizeof *f->where);
    f->where_cols = xcalloc(f->nwhere + 1, sizeof *f->where_cols);
    for (size_t i = 0; i < f->nwhere; i++) {
        int cli = i >= f->fm.nwhere;
        f->where[i] = cli ? o->where[i - f->fm.nwhere] : f->fm.where[i];
        f->where_cols[i] = table_find(f->stats, f->where[i].column);
        if (f->where_cols[i] >= 0)
            continue;
        if (cli) {
            diag_error(d, "--where", 0, 0, "no column '%s' in %s", f->where[i].column,
                       table_name(f->stats));
        } else {
            unsigned line, col;
            key_pos(f, "where", f->where[i].column, &line, &col);
            diag_error(d, f->path, line, col, "where: no column '%s' in %s",
                       f->where[i].column, table_name(f->stats));
        }
    }
    return diag_errors(d) > errors ? -1 : 0;
}

static int row_passes(const fill *f, size_t r)
{
    for (size_t i = 0; i < f->nwhere; i++)
        if (!dataset_cell_is(f->ds, r, (size_t)f->where_cols[i], f->where[i].value))
            return 0;
    return 1;
}

/* One document per distinct combination of the `each` values among the rows that pass. */
static void plan_docs(fill *f)
{
    const table *t = f->stats;
    size_t n = table_rows(t), ngroups = 0;
    char **gkeys = xcalloc(n + 1, sizeof *gkeys);
    /* open addressing over the group keys: tables of many thousand units stay linear */
    size_t cap = 16;
    while (cap < 2 * n + 2)
        cap *= 2;
    size_t *slots = xcalloc(cap, sizeof *slots); /* group + 1, 0 = empty */
    int has_key = 0, has_period = 0, has_region = 0;
    long region = -1;
    buf k = BUF_INIT;

    for (size_t c = 0; c < table_cols(t); c++)
        if (table_column(t, c)->role == TABLE_ROLE_REGION)
            region = (long)c;
    for (size_t i = 0; i < f->fm.neach; i++) {
        has_key |= f->each_cols[i] == dataset_key_col(f->ds);
        has_period |= f->each_cols[i] == dataset_period_col(f->ds);
        has_region |= f->each_cols[i] == region;
    }
    f->rows = xcalloc(n + 1, sizeof *f->rows);
    f->firsts = xcalloc(n + 1, sizeof *f->firsts);
    for (size_t r = 0; r < n; r++) {
        size_t g;
        if (!row_passes(f, r))
            continue;
        buf_reset(&k);
        for (size_t i = 0; i < f->fm.neach; i++) {
            const char *s = table_text(t, r, (size_t)f->each_cols[i]);
            char *nk = vnkey_normalise(s, strlen(s));
            buf_puts(&k, nk);
            buf_putc(&k, '\x1f');
            free(nk);
        }
        size_t h = 1469598103934665603ull;
        for (size_t b = 0; b < k.len; b++)
            h = (h ^ (unsigned char)k.ptr[b]) * 1099511628211ull;
        for (h &= cap - 1, g = ngroups; slots[h]; h = (h + 1) & (cap - 1))
            if (strcmp(gkeys[slots[h] - 1], buf_cstr(&k)) == 0) {
                g = slots[h] - 1;
                break;
            }
        if (g < ngroups) {
            if (!f->fm.neach) /* no fan-out: one document over every row that passes */
                f->rows[g] = DATASET_NONE;
            continue;
        }
        gkeys[ngroups] = xstrdup(buf_cstr(&k));
        slots[h] = ngroups + 1;
        f->firsts[ngroups] = r;
        f->rows[ngroups] = r;
        if (f->fm.neach && !has_key && has_period)
            f->rows[ngroups] = has_region ? dataset_region_row(f->ds, r)
                                          : dataset_total_row(f->ds, r);
        ngroups++;
    }
    /* no fan-out and several rows: the latest period's total */
    if (!f->fm.neach && ngroups == 1 && f->rows[0] == DATASET_NONE) {
        size_t last = f->firsts[0];
        long pc = dataset_period_col(f->ds);
        for (size_t r = 0; r < n; r++)
            if (row_passes(f, r) && table_num(t, r, (size_t)pc) > table_num(t, last, (size_t)pc))
                last = r;
        f->rows[0] = dataset_total_row(f->ds, last);
    }
    f->ndocs = ngroups;
    /* sized by rows while grouping: a fan-out by year has a handful of documents */
    f->rows = xrealloc(f->rows, (ngroups + 1) * sizeof *f->rows);
    f->firsts = xrealloc(f->firsts, (ngroups + 1) * sizeof *f->firsts);
    if (memcmp(f->rows, f->firsts, ngroups * sizeof *f->rows) == 0) {
        free(f->rows); /* a fan-out by unit fills each document from its own row */
        f->rows = NULL;
    }
    for (size_t g = 0; g < ngroups; g++)
        free(gkeys[g]);
    free(gkeys);
    free(slots);
    buf_free(&k);
}

/* The row document I is filled from (I < ndocs). */
static size_t doc_row(const fill *f, size_t i)
{
    return f->rows ? f->rows[i] : f->firsts[i];
}

static tmpl *compile_pattern(fill *f, const char *what, const char *pattern, diag *d)
{
    buf name = BUF_INIT;
    tmpl *t;
    buf_printf(&name, "%s (%s)", f->path, what);
    t = tmpl_parse(name.ptr, pattern, strlen(pattern), f->ld, d);
    buf_free(&name);
    return t;
}

static int compile(fill *f, diag *d)
{
    const char *ext = strrchr(f->path, '.');
    buf body = BUF_INIT;
    int rc = 0;

    if (!(f->ld = tmpl_loader_dir(f->dir, ext, d)))
        return -1;
    /* the front matter blanked to its newlines: positions stay those of the file */
    for (size_t i = 0; i < f->fm.body_offset; i++)
        if (f->src[i] == '\n')
            buf_putc(&body, '\n'), f->fm_lines++;
    buf_put(&body, f->src + f->fm.body_offset, f->len - f->fm.body_offset);
    if (!(f->body = tmpl_parse(f->path, buf_cstr(&body), body.len, f->ld, d)))
        rc = -1;
    buf_free(&body);
    if (f->fm.title && !(f->title = compile_pattern(f, "title", f->fm.title, d)))
        rc = -1;
    if (f->fm.output && !(f->output = compile_pattern(f, "output", f->fm.output, d)))
        rc = -1;
    return rc;
}

fill *fill_parse(const char *path, const char *src, size_t len, const fill_opts *o, diag *d)
{
    fill *f = xcalloc(1, sizeof *f);
    dataset_opts dso = { 0 };
    const char *slash = strrchr(path, '/'), *dot;
    size_t errors = diag_errors(d);

    f->path = xstrdup(path);
    f->dir = dir_of(path);
    f->stem = xstrdup(slash ? slash + 1 : path);
    if ((dot = strrchr(f->stem, '.')))
        f->stem[dot - f->stem] = '\0';
    f->html = (dot = strrchr(path, '.')) && (strcmp(dot, ".html") == 0 || strcmp(dot, ".htm") == 0);
    f->src = xmemdup(src, len + 1);
    f->src[len] = '\0';
    f->len = len;
    f->a = arena_new();
    if (frontmatter_parse(path, f->src, len, &f->fm, f->a, d) < 0)
        goto fail;
    if (load_data(f, o, d) < 0 || check_columns(f, o, d) < 0)
        goto fail;
    dso.key = f->fm.key, dso.period = f->fm.period;
    dso.sort = f->fm.sort, dso.nsort = f->fm.nsort;
    dso.narratives = f->narr_dir;
    dso.source = f->path;
    if (!(f->ds = dataset_build(f->stats, f->targets, &dso, d)))
        goto fail;
    if (compile(f, d) < 0)
        goto fail;
    f->cx = dataset_ctx_new(f->ds, f->fm.params);
    plan_docs(f);
    if (diag_errors(d) > errors)
        goto fail;
    return f;
fail:
    fill_free(f);
    return NULL;
}

fill *fill_open(const char *path, const fill_opts *o, diag *d)
{
    char *src;
    size_t len;
    fill *f;
    if (fileio_read(path, &src, &len, d) < 0)
        return NULL;
    f = fill_parse(path, src, len, o, d);
    free(src);
    return f;
}

void fill_free(fill *f)
{
    if (!f)
        return;
    tmpl_free(f->body);
    tmpl_free(f->title);
    tmpl_free(f->output);
    tmpl_loader_free(f->ld);
    dataset_ctx_free(f->cx);
    dataset_free(f->ds);
    table_free(f->own_stats);
    table_free(f->targets);
    table_dict_free(f->dict);
    arena_free(f->a);
    free(f->path), free(f->dir), free(f->stem), free(f->src);
    free(f->data_path), free(f->targets_path), free(f->narr_dir);
    free(f->rows), free(f->firsts), free(f->each_cols), free(f->where), free(f->where_cols);
    free(f);
}

const frontmatter *fill_frontmatter(const fill *f) { return &f->fm; }
const dataset *fill_dataset(const fill *f) { return f->ds; }
int fill_is_html(const fill *f) { return f->html; }
size_t fill_count(const fill *f) { return f->ndocs; }
size_t fill_row(const fill *f, size_t i) { return i < f->ndocs ? doc_row(f, i) : DATASET_NONE; }
const char *fill_data_path(const fill *f) { return f->data_path; }
const char *fill_targets_path(const fill *f) { return f->targets_path; }

int fill_narrative_path(const fill *f, size_t i, buf *out)
{
    size_t row = i < f->ndocs ? doc_row(f, i) : DATASET_NONE;
    if (row >= table_rows(f->stats))
        return 0; /* total and region rows have no narrative */
    buf_printf(out, "%s/%s-%s.md", f->narr_dir,
               table_text(f->stats, row, (size_t)dataset_key_col(f->ds)),
               table_text(f->stats, row, (size_t)dataset_period_col(f->ds)));
    return access(buf_cstr(out), R_OK) == 0;
}

const char *fill_period(const fill *f, size_t i)
{
    long pc = f->ds ? dataset_period_col(f->ds) : -1;
    if (i >= f->ndocs || pc < 0 || table_missing(f->stats, f->firsts[i], (size_t)pc))
        return NULL;
    return table_text(f->stats, f->firsts[i], (size_t)pc);
}

void fill_fan(const fill *f, size_t i, buf *out)
{
    for (size_t k = 0; k < f->fm.neach && i < f->ndocs; k++)
        buf_printf(out, "%s%s=%s", k ? "&" : "", f->fm.each[k],
                   table_text(f->stats, f->firsts[i], (size_t)f->each_cols[k]));
}

const char *fill_fan_value(const fill *f, size_t i, size_t k)
{
    if (i >= f->ndocs || k >= f->fm.neach)
        return NULL;
    return table_text(f->stats, f->firsts[i], (size_t)f->each_cols[k]);
}

static void start_doc(fill *f, size_t i)
{
    dataset_ctx_reset(f->cx, doc_row(f, i));
    dataset_ctx_set_title(f->cx, NULL, 0);
}

int fill_title(fill *f, size_t i, buf *out, diag *d)
{
    tmpl_data data;
    if (i >= f->ndocs || !f->title)
        return 0;
    start_doc(f, i);
    data = dataset_ctx_data(f->cx);
    return tmpl_render(f->title, &data, NULL, out, d);
}

int fill_output(fill *f, size_t i, buf *out, diag *d)
{
    size_t start = out->len;
    tmpl_data data;

    if (i >= f->ndocs)
        return -1;
    start_doc(f, i);
    data = dataset_ctx_data(f->cx);
    if (f->output) {
        if (tmpl_render(f->output, &data, NULL, out, d) < 0)
            return -1;
    } else {
        buf_puts(out, f->stem);
        for (size_t k = 0; k < f->fm.neach; k++) {
            const char *s = table_text(f->stats, f->firsts[i], (size_t)f->each_cols[k]);
            buf_putc(out, '-');
            vntext_slug(out, s, strlen(s));
        }
    }
    const char *name = out->ptr + start;
    int bad = out->len == start || name[0] == '/' || strstr(name, "..") != NULL;
    for (size_t k = start; k < out->len && !bad; k++)
        bad = (unsigned char)out->ptr[k] < 0x20 || out->ptr[k] == '\\';
    if (bad) {
        diag_error(d, f->path, 0, 0, "output name '%s' is empty, absolute, has '..' or a "
                                     "control character", name);
        return -1;
    }
    return 0;
}

int fill_render(fill *f, size_t i, buf *out, diag *d)
{
    tmpl_data data;
    buf title = BUF_INIT;
    int rc;

    if (i >= f->ndocs)
        return -1;
    start_doc(f, i);
    data = dataset_ctx_data(f->cx);
    if (f->title) {
        if (tmpl_render(f->title, &data, NULL, &title, d) < 0) {
            buf_free(&title);
            return -1;
        }
        dataset_ctx_reset(f->cx, doc_row(f, i));
        dataset_ctx_set_title(f->cx, buf_cstr(&title), title.len);
        buf_free(&title);
    }
    {
        size_t start = out->len, skip = 0;
        rc = tmpl_render(f->body, &data, f->html ? escape_html : escape_markdown, out, d);
        /* drop the newlines that stood for the front matter */
        while (skip < f->fm_lines && start + skip < out->len && out->ptr[start + skip] == '\n')
            skip++;
        if (skip) {
            memmove(out->ptr + start, out->ptr + start + skip, out->len - start - skip + 1);
            out->len -= skip;
        }
    }
    return rc;
}

void fill_collect_unknown(fill *f, buf *names)
{
    dataset_ctx_collect_unknown(f->cx, names);
}

void fill_deps(const fill *f, void (*fn)(void *self, const char *name, const char *path),
               void *self)
{
    tmpl_deps(f->body, fn, self);
}

/***  Charts  ***/

static int chart_series_of(void *self, const chart_spec *spec, chart_series *out, arena *a,
                           diag *d)
{
    const fill_charts *fc = self;

    if (!fc->f->ds) {
        diag_error(d, spec->file, spec->line, spec->col,
                   "chart data '%s': the template reads no data (front matter `data:`)",
                   spec->data ? spec->data : "");
        return -1;
    }
    return dataset_chart_series(fc->f->ds, fc->row, spec, out, a, d);
}

void fill_charts_init(const fill *f, size_t i, fill_charts *fc)
{
    fc->f = f;
    fc->row = fill_row(f, i);
    fc->src.self = fc;
    fc->src.series = chart_series_of;
}

unsigned fill_lead_lines(const fill *f)
{
    return (unsigned)f->fm_lines;
}

