/*
** baocao check [-C DIR]: validates DIR/input/ without writing anything. Every CSV table is
** read against the dictionary (input/columns.csv: types, min/max) and the consistency rules
** (input/rules.csv), and its (key, period) pairs must be unique, keys compared after NFC and
** tone-placement normalisation (vnkey.h). All problems are printed; exit 1 if any is an error.
**
** Each kind of input has its own checker function (the kinds[] table below); template checks
** belong in a check_templates() beside them, called from cmd_check().
*/
#include <dirent.h>
#include <fnmatch.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "cmd.h"
#include "diag.h"
#include "fill.h"
#include "table.h"
#include "vnkey.h"
#include "xalloc.h"

typedef struct rule {
    const char *left, *op, *right, *message;
    unsigned line;
} rule;

typedef struct checker {
    const char *dir; /* DIR/input */
    const table_dict *dict;
    table *rules_table; /* owns the rule strings */
    rule *rules;
    size_t nrules;
    diag *d;
} checker;

/***  Rules  ***/

static int load_rules(checker *k, const char *path)
{
    static const char *const ops[] = { "<=", "<", ">=", ">", "=" };
    table_opts o = { NULL, TABLE_CONV_AUTO, 1 };
    table *t;
    long at[4];
    size_t errors = diag_errors(k->d);

    if (access(path, R_OK) != 0)
        return 0; /* rules are optional */
    if (!(t = table_read(path, &o, k->d)))
        return -1;
    at[0] = table_find(t, "left"), at[1] = table_find(t, "op");
    at[2] = table_find(t, "right"), at[3] = table_find(t, "message");
    if (at[0] < 0 || at[1] < 0 || at[2] < 0) {
        diag_error(k->d, path, 1, 1, "rules need the columns left,op,right[,message]");
        table_free(t);
        return -1;
    }
    k->rules = xcalloc(table_rows(t) + 1, sizeof *k->rules);
    for (size_t r = 0; r < table_rows(t); r++) {
        rule *u = &k->rules[k->nrules];
        unsigned line, col;
        int known = 0;
        u->left = table_text(t, r, (size_t)at[0]);
        u->op = table_text(t, r, (size_t)at[1]);
        u->right = table_text(t, r, (size_t)at[2]);
        u->message = at[3] >= 0 ? table_text(t, r, (size_t)at[3]) : "";
        u->line = table_line(t, r);
        for (size_t i = 0; i < 5; i++)
            known |= strcmp(u->op, ops[i]) == 0;
        table_pos(t, r, (size_t)at[1], &line, &col);
        if (!known)
            diag_error(k->d, path, line, col, "unknown operator '%s' (<=, <, >=, >, =)", u->op);
        else if (!*u->left || !*u->right)
            diag_error(k->d, path, line, 1, "a rule needs a left and a right side");
        else
            k->nrules++;
    }
    k->rules_table = t;
    return diag_errors(k->d) > errors ? -1 : 0;
}

static int holds(double a, const char *op, double b)
{
    if (!strcmp(op, "<="))
        return a <= b;
    if (!strcmp(op, "<"))
        return a < b;
    if (!strcmp(op, ">="))
        return a >= b;
    if (!strcmp(op, ">"))
        return a > b;
    return fabs(a - b) <= 1e-9 * fmax(1, fabs(a));
}

/* A rule applies to every table having its columns; missing values are not checked. */
static void apply_rules(const checker *k, const table *t)
{
    for (size_t i = 0; i < k->nrules; i++) {
        const rule *u = &k->rules[i];
        long l = table_find(t, u->left), r = table_find(t, u->right);
        char *end;
        double constant = strtod(u->right, &end);
        int is_const = r < 0 && *end == '\0' && end != u->right;

        if (l < 0 || (r < 0 && !is_const))
            continue;
        for (size_t row = 0; row < table_rows(t); row++) {
            double a = table_num(t, row, (size_t)l), b = is_const ? constant
                                                                  : table_num(t, row, (size_t)r);
            unsigned line, col;
            if (isnan(a) || isnan(b) || holds(a, u->op, b))
                continue;
            table_pos(t, row, (size_t)l, &line, &col);
            diag_error(k->d, table_name(t), line, col, "%s %s %s fails (%s %s %s)%s%s",
                       u->left, u->op, u->right, table_text(t, row, (size_t)l), u->op,
                       is_const ? u->right : table_text(t, row, (size_t)r),
                       *u->message ? ": " : "", u->message);
        }
    }
}

/***  Per-cell bounds, unique keys  ***/

static void check_bounds(const checker *k, const table *t)
{
    for (size_t c = 0; c < table_cols(t); c++) {
        const column *col = table_column(t, c);
        if (col->type == TABLE_TEXT || (isnan(col->min) && isnan(col->max)))
            continue;
        for (size_t r = 0; r < table_rows(t); r++) {
            double v = table_num(t, r, c);
            unsigned line, pos;
            if (isnan(v) || ((isnan(col->min) || v >= col->min) &&
                             (isnan(col->max) || v <= col->max)))
                continue;
            table_pos(t, r, c, &line, &pos);
            diag_error(k->d, table_name(t), line, pos, "%s = %s is %s the %s %g", col->name,
                       table_text(t, r, c), v < col->min ? "below" : "above",
                       v < col->min ? "minimum" : "maximum", v < col->min ? col->min : col->max);
        }
    }
}

static long find_role(const table *t, table_role role)
{
    for (size_t c = 0; c < table_cols(t); c++)
        if (table_column(t, c)->role == role)
            return (long)c;
    return -1;
}

typedef struct keyed {
    char *key; /* normalised key, a tab, the period, extra columns */
    size_t row;
} keyed;

static int by_key(const void *a, const void *b)
{
    const keyed *x = a, *y = b;
    int c = strcmp(x->key, y->key);
    return c ? c : (x->row > y->row) - (x->row < y->row);
}

/* Rows must be unique on the columns COLS[0..N) (text compared as vnkey). */
static void check_unique(const checker *k, const table *t, const long *cols, size_t n)
{
    size_t rows = table_rows(t);
    keyed *v = xcalloc(rows + 1, sizeof *v);
    buf names = BUF_INIT;

    for (size_t i = 0; i < n; i++)
        buf_printf(&names, "%s%s", i ? ", " : "", table_column(t, (size_t)cols[i])->name);
    for (size_t r = 0; r < rows; r++) {
        buf key = BUF_INIT;
        for (size_t i = 0; i < n; i++) {
            const char *s = table_text(t, r, (size_t)cols[i]);
            char *norm = vnkey_normalise(s, strlen(s));
            buf_printf(&key, "%s%s", i ? "\t" : "", norm);
            free(norm);
        }
        v[r].key = buf_detach(&key, NULL);
        v[r].row = r;
    }
    qsort(v, rows, sizeof *v, by_key);
    for (size_t r = 1; r < rows; r++) {
        unsigned line, col;
        if (strcmp(v[r].key, v[r - 1].key) != 0)
            continue;
        table_pos(t, v[r].row, (size_t)cols[0], &line, &col);
        diag_error(k->d, table_name(t), line, col, "duplicate (%s): the same as line %u",
                   names.ptr, table_line(t, v[r - 1].row));
    }
    for (size_t r = 0; r < rows; r++)
        free(v[r].key);
    free(v);
    buf_free(&names);
}

/***  Input kinds  ***/

/* A statistics table: one row per unit (key, else name) and period. */
static void check_statistics(const checker *k, const table *t)
{
    long key = find_role(t, TABLE_ROLE_KEY), cols[2];
    size_t n = 0;

    if (key < 0)
        key = find_role(t, TABLE_ROLE_NAME);
    if (key >= 0)
        cols[n++] = key;
    if ((cols[n] = find_role(t, TABLE_ROLE_PERIOD)) >= 0)
        n++;
    check_bounds(k, t);
    apply_rules(k, t);
    if (key >= 0)
        check_unique(k, t, cols, n);
}

/* A targets table (long format): one row per unit, period, statistic and kind; the statistic must
 * be a column of the dictionary. */
static void check_targets(const checker *k, const table *t)
{
    long key = find_role(t, TABLE_ROLE_KEY), period = find_role(t, TABLE_ROLE_PERIOD);
    long stat = table_find(t, "chi_tieu"), kind = table_find(t, "loai"), cols[4];
    size_t n = 0;

    check_bounds(k, t);
    if (stat >= 0)
        for (size_t r = 0; r < table_rows(t); r++) {
            const char *s = table_text(t, r, (size_t)stat);
            unsigned line, col;
            if (!*s || table_dict_lookup(k->dict, s))
                continue;
            table_pos(t, r, (size_t)stat, &line, &col);
            diag_error(k->d, table_name(t), line, col,
                       "chi_tieu '%s' is not a column of the dictionary", s);
        }
    if (key >= 0)
        cols[n++] = key;
    if (period >= 0)
        cols[n++] = period;
    if (stat >= 0)
        cols[n++] = stat;
    if (kind >= 0)
        cols[n++] = kind;
    if (n)
        check_unique(k, t, cols, n);
}

typedef struct input_kind {
    const char *pattern; /* fnmatch pattern on the file name; the first match wins */
    void (*check)(const checker *k, const table *t);
} input_kind;

static const input_kind kinds[] = {
    { "columns.csv", NULL }, /* the dictionary and the rules are read first, not as data */
    { "rules.csv", NULL },
    { "chi_tieu*.csv", check_targets },
    { "*.csv", check_statistics },
};

static void check_file(const checker *k, const char *name)
{
    buf path = BUF_INIT;
    table_opts o = { k->dict, TABLE_CONV_AUTO, 0 };

    for (size_t i = 0; i < sizeof kinds / sizeof *kinds; i++) {
        if (fnmatch(kinds[i].pattern, name, 0) != 0)
            continue;
        if (kinds[i].check) {
            buf_printf(&path, "%s/%s", k->dir, name);
            table *t = table_read(path.ptr, &o, k->d);
            if (t)
                kinds[i].check(k, t);
            table_free(t);
        }
        break;
    }
    buf_free(&path);
}

static int by_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Checks every CSV file of K->dir, in name order so the output is stable. */
static void check_inputs(checker *k)
{
    DIR *dir = opendir(k->dir);
    struct dirent *e;
    char **names = NULL;
    size_t n = 0, cap = 0;

    if (!dir) {
        diag_error(k->d, k->dir, 0, 0, "cannot open the input folder");
        return;
    }
    while ((e = readdir(dir)))
        if (fnmatch("*.csv", e->d_name, 0) == 0) {
            if (n == cap)
                names = xrealloc(names, (cap = cap ? 2 * cap : 16) * sizeof *names);
            names[n++] = xstrdup(e->d_name);
        }
    closedir(dir);
    if (n)
        qsort(names, n, sizeof *names, by_name);
    for (size_t i = 0; i < n; i++) {
        check_file(k, names[i]);
        free(names[i]);
    }
    free(names);
}

/***  Templates  ***/

/* Prepares template PATH (front matter, data, targets, Mustache with partials) and fills every
 * document of its fan-out into memory, so a broken tag, an unknown column or a bad output
 * name is reported here; nothing is written. */
static void check_template(const checker *k, const char *path)
{
    fill *f = fill_open(path, NULL, k->d);
    buf out = BUF_INIT, unknown = BUF_INIT;

    if (f)
        fill_collect_unknown(f, &unknown);
    for (size_t i = 0; f && i < fill_count(f); i++) {
        buf_reset(&out);
        if (fill_output(f, i, &out, k->d) < 0 || fill_render(f, i, &out, k->d) < 0)
            break; /* one document's error stands for the rest */
    }
    /* a name nothing answers prints nothing: most likely a typo */
    for (const char *q = buf_cstr(&unknown); *q;) {
        const char *e = strchr(q, '\n');
        diag_warning(k->d, path, 0, 0, "{{%.*s}} names no column, member or collection here "
                     "(it prints nothing)", (int)(e - q), q);
        q = e + 1;
    }
    buf_free(&unknown);
    buf_free(&out);
    fill_free(f);
}

/* Every top-level *.md and *.html of DIR/templates (partials/ and layouts/ are checked
 * through the templates that use them; names starting with '_' or '.' are skipped). */
static void check_templates(const checker *k, const char *root)
{
    buf dirp = BUF_INIT, path = BUF_INIT;
    DIR *dir;
    struct dirent *e;
    char **names = NULL;
    size_t n = 0, cap = 0;

    buf_printf(&dirp, "%s/templates", root);
    if (!(dir = opendir(dirp.ptr))) {
        buf_free(&dirp);
        return; /* no templates yet */
    }
    while ((e = readdir(dir)))
        if (e->d_name[0] != '_' && e->d_name[0] != '.' &&
            (fnmatch("*.md", e->d_name, 0) == 0 || fnmatch("*.html", e->d_name, 0) == 0)) {
            if (n == cap)
                names = xrealloc(names, (cap = cap ? 2 * cap : 16) * sizeof *names);
            names[n++] = xstrdup(e->d_name);
        }
    closedir(dir);
    if (n)
        qsort(names, n, sizeof *names, by_name);
    for (size_t i = 0; i < n; i++) {
        buf_reset(&path);
        buf_printf(&path, "%s/%s", dirp.ptr, names[i]);
        check_template(k, path.ptr);
        free(names[i]);
    }
    free(names);
    buf_free(&dirp);
    buf_free(&path);
}

int cmd_check(int argc, char **argv)
{
    const char *root = ".";
    buf dir = BUF_INIT, path = BUF_INIT;
    checker k = { 0 };
    table_dict *dict = NULL;
    int rc;

    for (int i = 0; i < argc; i++) {
        if (strcmp(argv[i], "-C") == 0 && i + 1 < argc) {
            root = argv[++i];
        } else {
            fputs("usage: baocao check [-C DIR]\n", stderr);
            return 2;
        }
    }
    k.d = diag_new(stderr, 0);
    buf_printf(&dir, "%s/input", root);
    k.dir = dir.ptr;
    buf_printf(&path, "%s/columns.csv", dir.ptr);
    if (access(path.ptr, R_OK) == 0)
        dict = table_dict_read(path.ptr, k.d);
    else
        diag_warning(k.d, path.ptr, 0, 0, "no data dictionary: column types are inferred");
    k.dict = dict;
    if (!dict && access(path.ptr, R_OK) == 0) {
        /* the dictionary's own errors are reported; reading data against it would repeat them */
    } else {
        buf_reset(&path);
        buf_printf(&path, "%s/rules.csv", dir.ptr);
        if (load_rules(&k, path.ptr) == 0)
            check_inputs(&k);
    }
    check_templates(&k, root);
    rc = diag_errors(k.d) ? 1 : 0;
    fprintf(stderr, "check: %zu errors, %zu warnings\n", diag_errors(k.d), diag_warnings(k.d));
    free(k.rules);
    table_free(k.rules_table);
    table_dict_free(dict);
    diag_free(k.d);
    buf_free(&dir);
    buf_free(&path);
    return rc;
}
