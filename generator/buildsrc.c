/*
** The build_source of `baocao build`: fan-out and filling by the dataset stage (fill.h), inputs
** hashed by rows, and the three backends.
**
** Fan-out: the rows of `data` (read with table_read, typed by the dictionary columns.csv
** beside it) that pass every `where` filter, grouped by the values of the `each` columns; one
** document per distinct tuple (no `each`: one document over all rows). Each group is paired
** with fill.h's document of the same fan-out values, which gives the output name, the title,
** the period and the filled text. A template without data (or a document fill.h does not
** have) falls back to plain `{{column}}` substitution from the group's first row.
**
** Inputs: the template, every partial and parent it uses (tmpl_deps), the style sheet and
** its fonts, the targets and dictionary files as whole files, the narrative, and the rows of
** data the document can see: every row of its unit (the key column: previous periods) and
** every row of each of its periods (ranks, shares and totals over the period). A group of
** several rows is hashed once per build, a group of one row when a document asks for it.
** Without a key column the whole data file is the input.
**
** Render: md is the filled text; pdf goes through the DOM, the style sheet (parsed once in
** the main process) and render_pdf; html through htmlout_write.
*/
#include "buildsrc.h"

#include <dirent.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "arena.h"
#include "buf.h"
#include "fileio.h"
#include "fill.h"
#include "htmlout.h"
#include "table.h"
#include "tmpl.h"
#include "dom.h"
#include "render.h"
#include "style.h"
#include "xalloc.h"

#define SUPPORTED_FORMATS (FM_PDF | FM_HTML | FM_MD) /* what render() below can write */

/***  Data files  ***/

/* The digest of a group of several rows sharing one value of a column, kept raw (32 bytes,
 * not 65 of hex); AT is where the group starts in its column's order. */
typedef struct group {
    uint32_t at;
    unsigned char digest[BUILD_DIGEST_LEN / 2];
} group;

/* A column the rows are grouped by, made on first use: the rows sorted by value (4 bytes a
 * row), and the digests of the groups of more than one row. A group of one row, as a key
 * column has for every unit of a one-period table, is hashed when asked: two small hashes
 * cost less than keeping 36 bytes for each of 10.000 units. */
typedef struct colgroups {
    uint32_t *order;
    group *multi;     /* sorted by at */
    size_t nmulti;
} colgroups;

typedef struct rows {
    char *path;
    table *tab;      /* read by table.h: decoded, NFC, typed by the dictionary */
    size_t ncols, nrows;
    char digest[BUILD_DIGEST_LEN + 1];
    colgroups *groups; /* per column, lazily */
} rows;

/* A cell's canonical text: "1468" whether the file wrote 1.468 or 1468, so regrouping a
 * number is not a change; "" when missing. */
static const char *cell(const rows *t, size_t r, size_t c)
{
    return table_text(t->tab, r, c);
}

static long find_col(const rows *t, const char *name)
{
    return table_find(t->tab, name);
}

/* The column with ROLE in the dictionary, or -1. */
static long find_role(const rows *t, table_role role)
{
    for (size_t c = 0; c < t->ncols; c++)
        if (table_column(t->tab, c)->role == role)
            return (long)c;
    return -1;
}

/* Reads a data file with table_read(), typed by the dictionary columns.csv beside it when
 * there is one, and hashes its rows. */
static rows *rows_read(const char *path, const char *dict_path, diag *d)
{
    table_opts o = { 0 };
    table_dict *dict = dict_path ? table_dict_read(dict_path, d) : NULL;
    table *tab;
    char *text;
    size_t len;
    rows *t;

    o.dict = dict;
    tab = (!dict_path || dict) ? table_read(path, &o, d) : NULL;
    table_dict_free(dict); /* the table keeps copies of the columns it uses */
    if (!tab || fileio_read(path, &text, &len, d) != 0) {
        table_free(tab);
        return NULL;
    }
    t = xcalloc(1, sizeof *t);
    t->path = xstrdup(path);
    t->tab = tab;
    t->ncols = table_cols(tab);
    t->nrows = table_rows(tab);
    build_digest_bytes(text, len, t->digest);
    free(text);
    t->groups = xcalloc(t->ncols + 1, sizeof *t->groups);
    return t;
}

static void rows_free(rows *t)
{
    if (!t)
        return;
    for (size_t c = 0; c < t->ncols; c++)
        free(t->groups[c].order), free(t->groups[c].multi);
    table_free(t->tab);
    free(t->groups);
    free(t->path);
    free(t);
}

/* Sorting row indices by one or more columns (qsort has no context argument). */
static const rows *sort_t;
static const long *sort_cols;
static size_t sort_n;

static int by_cols(const void *a, const void *b)
{
    size_t x = *(const size_t *)a, y = *(const size_t *)b;

    for (size_t i = 0; i < sort_n; i++) {
        int c = strcmp(cell(sort_t, x, (size_t)sort_cols[i]), cell(sort_t, y, (size_t)sort_cols[i]));

        if (c)
            return c;
    }
    return x < y ? -1 : x > y;
}

static int by_at(const void *a, const void *b)
{
    uint32_t x = ((const group *)a)->at, y = ((const group *)b)->at;

    return (x > y) - (x < y);
}

/* Row R's digest, in hex: every column name and canonical cell. Computed when a group is
 * hashed rather than kept per row (a grouped column hashes each row once). */
static void row_digest(const rows *t, size_t r, char *out)
{
    build_hash *h = build_hash_new();

    for (size_t c = 0; c < t->ncols; c++) {
        build_hash_puts(h, table_column(t->tab, c)->name);
        build_hash_puts(h, cell(t, r, c));
    }
    build_hash_done(h, out);
}

static int hexval(char c)
{
    return c <= '9' ? c - '0' : c - 'a' + 10;
}

/* Hashes the group of rows ORDER[A..Z-1] (one value of a column) from its rows' digests, in
 * row order (the hex digests, as when they were kept per row), into HEX. */
static void hash_group(const rows *t, const uint32_t *order, size_t a, size_t z, char *hex)
{
    build_hash *h = build_hash_new();

    for (size_t i = a; i < z; i++) {
        row_digest(t, order[i], hex);
        build_hash_puts(h, hex);
    }
    build_hash_done(h, hex);
}

static const char *at_value(const rows *t, long c, size_t at)
{
    return cell(t, t->groups[c].order[at], (size_t)c);
}

/* Sorts the rows by the value of column C and hashes its groups of more than one row. */
static void make_groups(rows *t, long c)
{
    colgroups *g = &t->groups[c];
    size_t *idx = xmalloc((t->nrows + 1) * sizeof *idx), n = 0;
    char hex[BUILD_DIGEST_LEN + 1];

    for (size_t r = 0; r < t->nrows; r++)
        idx[r] = r;
    sort_t = t, sort_cols = &c, sort_n = 1;
    qsort(idx, t->nrows, sizeof *idx, by_cols); /* equal values: in row order */
    g->order = xmalloc((t->nrows + 1) * sizeof *g->order);
    for (size_t r = 0; r < t->nrows; r++)
        g->order[r] = (uint32_t)idx[r];
    free(idx);
    for (size_t a = 0, z; a < t->nrows; a = z) {
        for (z = a + 1; z < t->nrows && strcmp(at_value(t, c, z), at_value(t, c, a)) == 0; z++)
            ;
        n += z - a > 1;
    }
    g->multi = xmalloc((n + 1) * sizeof *g->multi);
    for (size_t a = 0, z; a < t->nrows; a = z) {
        for (z = a + 1; z < t->nrows && strcmp(at_value(t, c, z), at_value(t, c, a)) == 0; z++)
            ;
        if (z - a > 1) {
            group *m = &g->multi[g->nmulti++];

            m->at = (uint32_t)a;
            hash_group(t, g->order, a, z, hex);
            for (size_t i = 0; i < sizeof m->digest; i++)
                m->digest[i] = (unsigned char)(hexval(hex[2 * i]) << 4 | hexval(hex[2 * i + 1]));
        }
    }
}

/* The digest of the rows whose column C is VALUE, in hex into OUT (BUILD_DIGEST_LEN + 1
 * bytes); "" when no row has it. */
static const char *group_digest(rows *t, long c, const char *value, char *out)
{
    size_t lo = 0, hi = t->nrows;
    group key, *m;

    if (!t->groups[c].order)
        make_groups(t, c);
    while (lo < hi) { /* the first row of the order not below VALUE */
        size_t mid = (lo + hi) / 2;

        if (strcmp(at_value(t, c, mid), value) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    out[0] = '\0';
    if (lo == t->nrows || strcmp(at_value(t, c, lo), value) != 0)
        return out;
    if (lo + 1 == t->nrows || strcmp(at_value(t, c, lo + 1), value) != 0) {
        hash_group(t, t->groups[c].order, lo, lo + 1, out); /* one row */
        return out;
    }
    key.at = (uint32_t)lo;
    m = bsearch(&key, t->groups[c].multi, t->groups[c].nmulti, sizeof key, by_at);
    for (size_t i = 0; m && i < sizeof m->digest; i++) {
        out[2 * i] = "0123456789abcdef"[m->digest[i] >> 4];
        out[2 * i + 1] = "0123456789abcdef"[m->digest[i] & 15];
        out[2 * i + 2] = '\0';
    }
    return out;
}

/***  The source's state  ***/

typedef struct tinfo {
    char *path;
    char *body;          /* the template body (after the front matter) */
    unsigned body_line;
    int html;
    char *style, *targets, *dict; /* normalised paths, or NULL */
    unsigned style_line, style_col;
    rows *data;
    long key, period;    /* columns, or -1 */
    build_inputs *fixed; /* the inputs every document of the template shares, once */
    int fixed_rc;
    unsigned formats;    /* what its documents are rendered to */
    char *sheet_path;    /* the style sheet PDF output uses (style: or the default) */
    stylesheet *sheet;   /* parsed once in the main process, shared by the workers */
    fill *fl;            /* the dataset stage's filling (fill.h), NULL when it failed */
    size_t *fan_index;   /* fill's documents sorted by their fan-out values (by_fan), to */
    size_t nfan;         /* pair them with our groups without a key string per document */
} tinfo;

typedef struct dctx {
    tinfo *t;
    long fi;             /* the document's index in t->fl, -1 when fill has no such document */
    size_t *rows, nrows; /* the document's rows (indices into t->data) */
} dctx;

typedef struct state {
    arena *a;
    rows **tables;
    size_t ntables;
    tinfo **tmpls;
    size_t ntmpls;
    build_source src;
} state;

static rows *table_for(state *s, const char *path, const char *dict, diag *d)
{
    rows *t;

    for (size_t i = 0; i < s->ntables; i++)
        if (strcmp(s->tables[i]->path, path) == 0)
            return s->tables[i];
    if (!(t = rows_read(path, dict, d)))
        return NULL;
    s->tables = xrealloc(s->tables, (s->ntables + 1) * sizeof *s->tables);
    s->tables[s->ntables++] = t;
    return t;
}

/* DIR/REL with "x/../" folded, so that messages and input names read "input/a.csv". */
static char *join_path(const char *dir, const char *rel)
{
    buf b = BUF_INIT;
    char *p, *q;

    if (rel[0] == '/')
        buf_puts(&b, rel);
    else
        buf_printf(&b, "%s/%s", dir, rel);
    p = buf_detach(&b, NULL);
    while ((q = strstr(p, "/../"))) {
        char *start = q;

        while (start > p && start[-1] != '/')
            start--;
        if (q - start == 2 && start[0] == '.' && start[1] == '.')
            break;
        memmove(start, q + 4, strlen(q + 4) + 1);
    }
    while (strncmp(p, "./", 2) == 0)
        memmove(p, p + 2, strlen(p + 2) + 1);
    return p;
}

static char *dir_of(const char *path)
{
    const char *slash = strrchr(path, '/');

    return slash ? xstrndup(path, (size_t)(slash - path)) : xstrdup(".");
}

/***  Filling {{column}} patterns  ***/

/* Fills `{{name}}` in PAT from row R of T into OUT. Unknown names are an error when STRICT
 * (reported at FILE:LINE:COL, counted from BASE_LINE), else kept as written. Tags other than
 * plain names (sections, partials, comments) are dropped. */
static int fill_plain(buf *out, const char *pat, const rows *t, size_t r, int path_safe, int html,
                int strict, const char *file, unsigned base_line, diag *d)
{
    unsigned line = base_line, col = 1;
    int rc = 0;

    for (const char *p = pat; *p;) {
        const char *open = strstr(p, "{{"), *close, *name, *nend;
        int triple;

        if (!open) {
            buf_puts(out, p);
            break;
        }
        for (; p < open; p++) {
            buf_putc(out, *p);
            if (*p == '\n')
                line++, col = 1;
            else if (((unsigned char)*p & 0xC0) != 0x80)
                col++;
        }
        triple = open[2] == '{';
        close = strstr(open, triple ? "}}}" : "}}");
        if (!close) {
            buf_puts(out, open);
            break;
        }
        name = open + 2 + triple;
        if (*name == '&')
            name++;
        while (*name == ' ')
            name++;
        nend = close;
        while (nend > name && nend[-1] == ' ')
            nend--;
        if (strchr("#^/>!<$=", *name)) {
            /* not a value: dropped by the stand-in renderer */
        } else {
            char *key = xstrndup(name, (size_t)(nend - name)), *dot = strchr(key, '.');
            long c;

            if (dot)
                *dot = '\0';
            c = t ? find_col(t, key) : -1;
            if (c >= 0) {
                for (const char *v = cell(t, r, (size_t)c); *v; v++) {
                    if (path_safe && (*v == '/' || *v == '\\'))
                        buf_putc(out, '-');
                    else if (html && *v == '<')
                        buf_puts(out, "&lt;");
                    else if (html && *v == '&')
                        buf_puts(out, "&amp;");
                    else
                        buf_putc(out, *v);
                }
            } else if (strict) {
                diag_error(d, file, line, col, "unknown column '%s'%s%s", key,
                           t ? " in " : "", t ? t->path : "");
                rc = -1;
            } else {
                buf_put(out, open, (size_t)(close - open) + 2 + (size_t)triple);
            }
            free(key);
        }
        for (const char *q = open; q < close + 2 + triple; q++)
            if (*q == '\n')
                line++, col = 1;
            else
                col += ((unsigned char)*q & 0xC0) != 0x80;
        p = close + 2 + triple;
    }
    return rc;
}

/***  expand  ***/

static unsigned doc_formats(const frontmatter *fm)
{
    unsigned f = (fm->formats ? fm->formats : FM_PDF | FM_HTML) & SUPPORTED_FORMATS;

    return f ? f : FM_MD;
}

static tinfo *new_tinfo(state *s, const char *path, const char *src, size_t len,
                        const frontmatter *fm, diag *d)
{
    tinfo *t = arena_alloc(s->a, sizeof *t);
    char *dir = dir_of(path);

    t->path = arena_strdup(s->a, path);
    t->body = arena_strndup(s->a, src + fm->body_offset, len - fm->body_offset);
    t->body_line = fm->body_line ? fm->body_line : 1;
    t->html = strlen(path) > 5 && strcmp(path + strlen(path) - 5, ".html") == 0;
    t->formats = doc_formats(fm);
    t->key = t->period = -1;
    if (fm->style) {
        char *p = join_path(dir, fm->style);

        t->style = arena_strdup(s->a, p);
        t->style_line = fm->style_line, t->style_col = fm->style_col;
        free(p);
    }
    if (fm->targets) {
        char *p = join_path(dir, fm->targets);

        t->targets = arena_strdup(s->a, p);
        free(p);
    }
    if (fm->data) {
        char *p = join_path(dir, fm->data), *ddir = dir_of(p), *dict = join_path(ddir, "columns.csv");
        struct stat st;

        if (stat(dict, &st) == 0)
            t->dict = arena_strdup(s->a, dict);
        t->data = table_for(s, p, t->dict, d);
        free(p);
        free(ddir);
        free(dict);
    }
    free(dir);
    s->tmpls = xrealloc(s->tmpls, (s->ntmpls + 1) * sizeof *s->tmpls);
    s->tmpls[s->ntmpls++] = t;
    return t;
}

/* The template's file name without folder and extension: the default output name. */
static char *stem(const char *path)
{
    const char *base = strrchr(path, '/'), *dot;

    base = base ? base + 1 : path;
    dot = strrchr(base, '.');
    return xstrndup(base, dot ? (size_t)(dot - base) : strlen(base));
}

static const fill *sort_fill; /* qsort has no context argument */
static size_t sort_neach;

/* Fill's documents in the order of their fan-out values, column by column. */
static int by_fan(const void *a, const void *b)
{
    size_t x = *(const size_t *)a, y = *(const size_t *)b;

    for (size_t k = 0; k < sort_neach; k++) {
        int c = strcmp(fill_fan_value(sort_fill, x, k), fill_fan_value(sort_fill, y, k));

        if (c)
            return c;
    }
    return (x > y) - (x < y);
}

/* Opens T with fill.h and indexes its documents by fan-out values, to pair them with the
 * groups of rows planned here. Returns -1 after reporting when the template cannot be filled.
 * (A template without data is not given to fill.h, which needs a table: its body is copied
 * with the plain stand-in.) */
static int open_fill(state *s, tinfo *t, const char *src, size_t len, diag *d)
{
    fill_opts fo = { 0 };
    size_t n;

    fo.stats = t->data ? t->data->tab : NULL; /* one copy of the table: ours */
    if (!(t->fl = fill_parse(t->path, src, len, &fo, d)))
        return -1;
    n = fill_count(t->fl);
    t->fan_index = arena_alloc(s->a, (n + 1) * sizeof *t->fan_index);
    for (size_t i = 0; i < n; i++)
        t->fan_index[i] = i;
    sort_fill = t->fl, sort_neach = fill_frontmatter(t->fl)->neach;
    if (n)
        qsort(t->fan_index, n, sizeof *t->fan_index, by_fan);
    t->nfan = n;
    return 0;
}

/* fill's index of the document whose fan-out values are those of row R0, or -1 (the first
 * of equal ones, as the "col=v&col=v" strings found it). */
static long fill_index(const tinfo *t, const frontmatter *fm, const long *each, size_t r0,
                       size_t n)
{
    size_t lo = 0, hi = t->nfan;

    if (!t->fl)
        return -1;
    while (lo < hi) { /* the first document not below row R0's values */
        size_t mid = (lo + hi) / 2, k = 0;
        int c = 0;

        for (; k < fm->neach && n && c == 0; k++)
            c = strcmp(fill_fan_value(t->fl, t->fan_index[mid], k), cell(t->data, r0, (size_t)each[k]));
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    for (size_t k = 0; lo < t->nfan && k < fm->neach && n; k++)
        if (strcmp(fill_fan_value(t->fl, t->fan_index[lo], k), cell(t->data, r0, (size_t)each[k])) != 0)
            return -1;
    return lo < t->nfan ? (long)t->fan_index[lo] : -1;
}

static int emit(state *s, tinfo *t, const frontmatter *fm, long *each, size_t *idx, size_t n,
                build_doc_fn fn, void *arg, diag *d)
{
    build_doc doc;
    const char *keys[BUILD_MAX_FANOUT], *vals[BUILD_MAX_FANOUT];
    dctx *c = arena_alloc(s->a, sizeof *c);
    buf out = BUF_INIT, title = BUF_INIT;
    size_t r0 = n ? idx[0] : 0;
    int rc = 0;

    memset(&doc, 0, sizeof doc);
    c->t = t;
    c->nrows = n;
    c->rows = arena_alloc(s->a, (n + 1) * sizeof *c->rows);
    if (n)
        memcpy(c->rows, idx, n * sizeof *idx);
    doc.tmpl = t->path;
    doc.formats = t->formats;
    doc.nfan = fm->neach;
    for (size_t i = 0; i < fm->neach; i++) {
        keys[i] = fm->each[i];
        vals[i] = cell(t->data, r0, (size_t)each[i]);
        if (each[i] == t->period)
            doc.period = vals[i];
    }
    doc.fan_keys = keys;
    doc.fan_values = vals;
    c->fi = fill_index(t, fm, each, r0, n);
    if (c->fi >= 0) { /* names as the dataset stage fills them: formats, slugs */
        const char *per = fill_period(t->fl, (size_t)c->fi);

        rc = fill_output(t->fl, (size_t)c->fi, &out, d);
        if (fm->title && fill_title(t->fl, (size_t)c->fi, &title, d) != 0)
            rc = -1;
        if (per)
            doc.period = per; /* the table's text: it outlives the plan, which copies it */
    } else if (fm->output) {
        rc = fill_plain(&out, fm->output, n ? t->data : NULL, r0, 1, 0, 1, t->path, 1, d);
    } else {
        char *st = stem(t->path);

        buf_puts(&out, st);
        for (size_t i = 0; i < doc.nfan; i++)
            buf_printf(&out, "-%s", doc.fan_values[i]);
        free(st);
    }
    if (fm->title && c->fi < 0)
        fill_plain(&title, fm->title, n ? t->data : NULL, r0, 0, 0, 0, t->path, 1, d);
    doc.output = buf_cstr(&out);
    doc.title = fm->title ? buf_cstr(&title) : NULL;
    doc.ctx = c;
    if (rc == 0)
        rc = fn(arg, &doc, d);
    buf_free(&out);
    buf_free(&title);
    return rc;
}

static int keep_row(const tinfo *t, const frontmatter *fm, const long *where, size_t r)
{
    for (size_t i = 0; i < fm->nwhere; i++)
        if (strcmp(cell(t->data, r, (size_t)where[i]), fm->where[i].value) != 0)
            return 0;
    return 1;
}

static int expand(void *self, const char *path, const char *src, size_t len,
                  const frontmatter *fm, build_doc_fn fn, void *arg, diag *d)
{
    state *s = self;
    size_t errs = diag_errors(d);
    tinfo *t = new_tinfo(s, path, src, len, fm, d);
    long each[BUILD_MAX_FANOUT], *where;
    size_t *idx, n = 0;
    int rc = 0;

    if (diag_errors(d) > errs || (fm->data && open_fill(s, t, src, len, d) != 0))
        return -1;
    if (!fm->data)
        return emit(s, t, fm, NULL, NULL, 0, fn, arg, d);
    if (!t->data)
        return -1;
    if (fm->neach > BUILD_MAX_FANOUT) {
        diag_error(d, path, 1, 1, "more than %d 'each' columns", BUILD_MAX_FANOUT);
        return -1;
    }
    t->key = fm->key ? find_col(t->data, fm->key) : find_role(t->data, TABLE_ROLE_KEY);
    t->period = fm->period ? find_col(t->data, fm->period) : find_role(t->data, TABLE_ROLE_PERIOD);
    if (fm->key && t->key < 0)
        diag_error(d, path, 1, 1, "key: no column '%s' in %s", fm->key, t->data->path);
    if (fm->period && t->period < 0)
        diag_error(d, path, 1, 1, "period: no column '%s' in %s", fm->period, t->data->path);
    for (size_t i = 0; i < fm->neach; i++)
        if ((each[i] = find_col(t->data, fm->each[i])) < 0) {
            diag_error(d, path, 1, 1, "each: no column '%s' in %s", fm->each[i], t->data->path);
            rc = -1;
        }
    where = xmalloc((fm->nwhere + 1) * sizeof *where);
    for (size_t i = 0; i < fm->nwhere; i++)
        if ((where[i] = find_col(t->data, fm->where[i].column)) < 0) {
            diag_error(d, path, fm->where[i].line, fm->where[i].col, "where: no column '%s' in %s",
                       fm->where[i].column, t->data->path);
            rc = -1;
        }
    if (rc != 0) {
        free(where);
        return -1;
    }
    idx = xmalloc((t->data->nrows + 1) * sizeof *idx);
    for (size_t r = 0; r < t->data->nrows; r++)
        if (keep_row(t, fm, where, r))
            idx[n++] = r;
    sort_t = t->data, sort_cols = each, sort_n = fm->neach;
    qsort(idx, n, sizeof *idx, by_cols);
    for (size_t a = 0, z; a < n && rc == 0; a = z) {
        for (z = a + 1; z < n; z++) {
            size_t i = 0;

            while (i < fm->neach && strcmp(cell(t->data, idx[a], (size_t)each[i]),
                                           cell(t->data, idx[z], (size_t)each[i])) == 0)
                i++;
            if (i < fm->neach)
                break;
        }
        rc = emit(s, t, fm, each, idx + a, z - a, fn, arg, d);
    }
    free(idx);
    free(where);
    return rc;
}

/***  inputs  ***/

static int by_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static void add_file(build_input_fn fn, void *arg, const char *kind, const char *path, diag *d)
{
    char dig[BUILD_DIGEST_LEN + 1];
    buf name = BUF_INIT;

    if (build_digest_file(path, dig, d) == 0) {
        buf_printf(&name, "%s:%s", kind, path);
        fn(arg, name.ptr, dig);
    }
    buf_free(&name);
}

/* The rows the document can see: every row of its units and of its periods. */
static void rows_input(const dctx *c, build_input_fn fn, void *arg)
{
    tinfo *t = c->t;
    const char **vals = xmalloc((c->nrows + 1) * sizeof *vals);
    build_hash *h = build_hash_new();
    char dig[BUILD_DIGEST_LEN + 1], gdig[BUILD_DIGEST_LEN + 1];
    buf name = BUF_INIT;
    long cols[2] = { t->key, t->period };

    if (t->key < 0) { /* no unit to scope by: the whole file */
        buf_printf(&name, "data:%s", t->data->path);
        fn(arg, name.ptr, t->data->digest);
        build_hash_done(h, dig);
        buf_free(&name);
        free(vals);
        return;
    }
    for (int k = 0; k < 2; k++) {
        if (cols[k] < 0)
            continue;
        for (size_t i = 0; i < c->nrows; i++)
            vals[i] = cell(t->data, c->rows[i], (size_t)cols[k]);
        qsort(vals, c->nrows, sizeof *vals, by_str);
        for (size_t i = 0; i < c->nrows; i++) {
            if (i > 0 && strcmp(vals[i], vals[i - 1]) == 0)
                continue;
            build_hash_puts(h, vals[i]);
            build_hash_puts(h, group_digest(t->data, cols[k], vals[i], gdig));
        }
    }
    build_hash_done(h, dig);
    buf_printf(&name, "rows:%s", t->data->path);
    fn(arg, name.ptr, dig);
    buf_free(&name);
    free(vals);
}

static void add_fixed(void *arg, const char *name, const char *digest)
{
    build_inputs_add(arg, name, digest);
}

typedef struct deps {
    char **path;
    size_t n;
} deps;

static void take_dep(void *self, const char *name, const char *path)
{
    deps *dp = self;

    (void)name;
    if (!path)
        return; /* a missing partial: tmpl_parse has reported it */
    for (size_t i = 0; i < dp->n; i++)
        if (strcmp(dp->path[i], path) == 0)
            return;
    dp->path = xrealloc(dp->path, (dp->n + 1) * sizeof *dp->path);
    dp->path[dp->n++] = xstrdup(path);
}

/* The partials and parents T uses, transitively, as tmpl.c resolves them (tmpl_deps). The
 * body is parsed behind as many empty lines as the front matter took, so that errors point
 * at the template's own lines. */
static int partials_of(const tinfo *t, deps *dp, diag *d)
{
    char *dir = dir_of(t->path);
    const char *ext = strrchr(t->path, '.');
    tmpl_loader *ld = tmpl_loader_dir(dir, ext, d);
    buf src = BUF_INIT;
    tmpl *tp = NULL;

    for (unsigned i = 1; i < t->body_line; i++)
        buf_putc(&src, '\n');
    buf_puts(&src, t->body);
    if (ld && (tp = tmpl_parse(t->path, src.ptr, src.len, ld, d)))
        tmpl_deps(tp, take_dep, dp);
    tmpl_free(tp);
    tmpl_loader_free(ld);
    buf_free(&src);
    free(dir);
    return tp || !ld ? 0 : -1;
}

/* The style sheet (style: or, for PDF, the default one) and, for PDF, the font files its
 * @font-face rules name (one input "fonts:SHEET" over all of them: the fonts a document can
 * use). The sheet is parsed here, once, in the
 * main process; the workers inherit it. */
static int style_inputs(tinfo *t, build_input_fn fn, void *arg, diag *d)
{
    const style_font_face *ff;
    const char **paths;
    size_t n, np = 0;
    struct stat st;

    if (t->style && stat(t->style, &st) != 0) {
        diag_error(d, t->path, t->style_line, t->style_col, "style sheet %s not found", t->style);
        return -1;
    }
    if (!(t->formats & (FM_PDF | FM_HTML))) {
        if (t->style)
            add_file(fn, arg, "style", t->style, d);
        return 0;
    }
    if (t->style)
        t->sheet_path = xstrdup(t->style);
    else if ((t->sheet_path = render_default_css())) {
        char *tidy = join_path(".", t->sheet_path);

        free(t->sheet_path);
        t->sheet_path = tidy;
    }
    if (!t->sheet_path) {
        diag_error(d, t->path, 1, 1, "no style sheet: give one with style:, or install %s",
                   RENDER_DEFAULT_CSS);
        return -1;
    }
    add_file(fn, arg, "style", t->sheet_path, d);
    if (!(t->sheet = style_read(t->sheet_path, d)))
        return -1;
    {   /* each sheet it imports is an input as it is, under its own name: the manifest then
         * says which file changed, and fonts.css shared by three sheets is hashed alike */
        const style_file *sf;
        size_t nf = style_files(t->sheet, &sf);

        for (size_t i = 1; i < nf; i++) {
            int seen = strcmp(sf[i].path, sf[0].path) == 0;

            for (size_t k = 1; k < i; k++)
                seen = seen || strcmp(sf[k].path, sf[i].path) == 0;
            if (!seen) {
                char *tidy = join_path(".", sf[i].path);

                add_file(fn, arg, "style", tidy, d);
                free(tidy);
            }
        }
    }
    n = style_font_faces(t->sheet, &ff);
    paths = xmalloc((n + 1) * sizeof *paths);
    for (size_t i = 0; i < n; i++) {
        int seen = 0;

        for (size_t k = 0; k < np; k++)
            seen = seen || strcmp(paths[k], ff[i].path) == 0;
        if (!seen)
            paths[np++] = ff[i].path;
    }
    if (np)
        qsort(paths, np, sizeof *paths, by_str);
    if (np) { /* one input for them all: 20 faces would be 20 lines in every manifest entry */
        build_hash *h = build_hash_new();
        char dig[BUILD_DIGEST_LEN + 1];
        buf name = BUF_INIT;
        int rc = 0;

        for (size_t i = 0; i < np; i++) {
            char *tidy = join_path(".", paths[i]); /* "templates/../fonts/x.ttf" → "fonts/x.ttf" */

            if (build_digest_file(tidy, dig, d) != 0)
                rc = -1;
            build_hash_puts(h, tidy);
            build_hash_puts(h, dig);
            free(tidy);
        }
        build_hash_done(h, dig);
        buf_printf(&name, "fonts:%s", t->sheet_path);
        if (rc == 0)
            fn(arg, name.ptr, dig);
        buf_free(&name);
        free(paths);
        return rc;
    }
    free(paths);
    return 0;
}

/* The template, its partials, its style sheet, the fonts, the targets and the dictionary:
 * the same for every document of T, so hashed once per build. */
static int fixed_inputs(tinfo *t, diag *d)
{
    deps dp = { NULL, 0 };
    size_t errs = diag_errors(d);
    int rc = 0;
    build_input_fn fn = add_fixed;
    void *arg = t->fixed = build_inputs_new();

    add_file(fn, arg, "template", t->path, d);
    partials_of(t, &dp, d);
    if (dp.n)
        qsort(dp.path, dp.n, sizeof *dp.path, by_str);
    for (size_t i = 0; i < dp.n; i++) {
        add_file(fn, arg, "partial", dp.path[i], d);
        free(dp.path[i]);
    }
    free(dp.path);
    if (style_inputs(t, fn, arg, d) != 0)
        rc = -1;
    if (t->targets)
        add_file(fn, arg, "targets", t->targets, d);
    if (t->dict)
        add_file(fn, arg, "dictionary", t->dict, d);
    return rc != 0 || diag_errors(d) > errs ? -1 : 0;
}

static int inputs(void *self, const build_doc *doc, build_input_fn fn, void *arg, diag *d)
{
    (void)self;
    const dctx *c = doc->ctx;
    tinfo *t = c->t;

    if (!t->fixed)
        t->fixed_rc = fixed_inputs(t, d);
    if (t->fixed_rc != 0)
        return -1;
    for (size_t i = 0; i < build_inputs_count(t->fixed); i++)
        fn(arg, build_inputs_name(t->fixed, i), build_inputs_digest(t->fixed, i));
    if (t->data)
        rows_input(c, fn, arg);
    if (c->fi >= 0) { /* narratives/<key>-<period>.md beside the data, read by the filling */
        buf p = BUF_INIT, name = BUF_INIT;

        int have = fill_narrative_path(t->fl, (size_t)c->fi, &p) == 1;
        char *tidy = p.len ? join_path(".", p.ptr) : NULL;

        if (have) {
            add_file(fn, arg, "narrative", tidy, d);
        } else if (tidy) {
            buf_printf(&name, "narrative:%s", tidy);
            fn(arg, name.ptr, "absent"); /* appearing later is a change too */
        }
        free(tidy);
        buf_free(&p);
        buf_free(&name);
    }
    return 0;
}

/***  render (stand-in)  ***/

/* Pages of the PDF at PATH: its page objects ("/Type /Page", not "/Pages"); libharu writes
 * no object streams, so they are all in the clear. 0 when the file cannot be read. */
static int count_pages(const char *path)
{
    char *data;
    size_t len;
    int n = 0;

    if (fileio_read(path, &data, &len, NULL) != 0)
        return 0;
    for (size_t i = 0; i + 12 <= len; i++)
        if (data[i] == '/' && memcmp(data + i, "/Type /Page", 11) == 0)
            n += data[i + 11] != 's';
    free(data);
    return n;
}

/* Renders the document's DOM X to PDF (X is changed: styles, charts drawn). */
static int render_pdf_to(const tinfo *t, xmlDoc *x, const chartdom_source *charts,
                         build_output *out, diag *d)
{
    render_opts ro = { .source = t->path, .charts = charts };

    if (!t->sheet || render_pdf(x, t->sheet, out->tmp, &ro, d) != 0)
        return -1;
    out->pages = count_pages(out->tmp);
    return 0;
}

/* Renders the document's DOM X to HTML (X is changed: charts drawn). */
static int render_html_to(const tinfo *t, const build_doc *doc, xmlDoc *x,
                          const chartdom_source *charts, build_output *out, diag *d)
{
    htmlout_opts ho;

    memset(&ho, 0, sizeof ho);
    ho.title = doc->title;
    ho.css_path = t->sheet_path;
    ho.out_root = "output";
    ho.charts = charts;
    return htmlout_write(x, &ho, out->tmp, d);
}

/* A copy of X for one backend (each changes the DOM it renders: computed styles, and
 * chart blocks drawn for it, in the PDF's font or the page's). Copying is a tenth of
 * parsing the text again (70 against 900 us for a province report); xmlCopyDoc keeps
 * element lines only, so the lines of every node, which messages cite, are copied over. */
static xmlDoc *copy_dom(xmlDoc *x)
{
    xmlDoc *c = xmlCopyDoc(x, 1);
    xmlNode *top = xmlDocGetRootElement(x), *ctop = c ? xmlDocGetRootElement(c) : NULL;

    if (!c)
        return NULL;
    for (xmlNode *a = top, *b = ctop; a && b; a = dom_next(a, top), b = dom_next(b, ctop))
        b->line = a->line;
    return c;
}

/* The document's text filled by fill.h (the dataset context: formatted values, derived
 * members, collections, partials), then per format: the text itself (md), the DOM → style →
 * layout → PDF pipeline (render_pdf), or the HTML backend (htmlout_write). The text is
 * parsed into a DOM once; when both backends want it, the first gets a copy. */
static int render(void *self, const build_doc *doc, build_output *out, size_t nout, diag *d)
{
    const dctx *c = doc->ctx;
    buf text = BUF_INIT;
    fill_charts fc;
    xmlDoc *x = NULL;
    size_t left = 0; /* outputs still to render from the DOM */
    int rc;

    (void)self;
    if (c->fi >= 0)
        fill_charts_init(c->t->fl, (size_t)c->fi, &fc);
    if (c->fi >= 0)
        rc = fill_render(c->t->fl, (size_t)c->fi, &text, d) < 0 ? -1 : 0;
    else /* a document fill does not know: the plain {{column}} stand-in */
        rc = fill_plain(&text, c->t->body, c->nrows ? c->t->data : NULL, c->nrows ? c->rows[0] : 0, 0,
                  c->t->html, 1, c->t->path, c->t->body_line, d);
    for (size_t i = 0; i < nout; i++)
        left += strcmp(out[i].format, "pdf") == 0 || strcmp(out[i].format, "html") == 0;
    if (rc == 0 && left > 0) {
        x = render_dom(c->t->path, text.ptr, text.len, c->t->html,
                       c->t->fl ? fill_lead_lines(c->t->fl) : 0, d);
        rc = x ? 0 : -1;
    }
    for (size_t i = 0; i < nout && rc == 0; i++) {
        int pdf = strcmp(out[i].format, "pdf") == 0;
        xmlDoc *use;

        if (!pdf && strcmp(out[i].format, "html") != 0) {
            rc = fileio_write_atomic(out[i].tmp, text.ptr ? text.ptr : "", text.len, d);
            continue;
        }
        use = --left > 0 ? copy_dom(x) : x; /* the last one takes the parsed DOM itself */
        if (!use) {
            diag_error(d, c->t->path, 0, 0, "cannot copy the document (out of memory)");
            rc = -1;
        } else if (pdf) {
            rc = render_pdf_to(c->t, use, c->fi >= 0 ? &fc.src : NULL, &out[i], d);
        } else {
            rc = render_html_to(c->t, doc, use, c->fi >= 0 ? &fc.src : NULL, &out[i], d);
        }
        if (use != x)
            dom_free(use);
    }
    dom_free(x);
    buf_free(&text);
    return rc;
}

/***  Life cycle  ***/

static void release(void *self)
{
    state *s = self;

    for (size_t i = 0; i < s->ntmpls; i++) {
        build_inputs_free(s->tmpls[i]->fixed);
        style_free(s->tmpls[i]->sheet);
        fill_free(s->tmpls[i]->fl); /* before the tables it borrows */
        free(s->tmpls[i]->sheet_path);
    }
    for (size_t i = 0; i < s->ntables; i++)
        rows_free(s->tables[i]);
    free(s->tables);
    free(s->tmpls);
    arena_free(s->a);
    free(s);
}

build_source *buildsrc_new(void)
{
    state *s = xcalloc(1, sizeof *s);

    s->a = arena_new();
    s->src = (build_source){ s, expand, inputs, render, release };
    return &s->src;
}

void buildsrc_free(build_source *src)
{
    if (src)
        release(src->self);
}
