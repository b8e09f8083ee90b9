/*
** Template front matter, read with libyaml's document loader (nodes keep their positions).
**
** The YAML text is handed to libyaml as it is; line numbers in messages are the template
** file's (the YAML starts on line 2). Scalars are normalised to NFC like every other text.
*/
#include "frontmatter.h"

#include <stdlib.h>
#include <string.h>

#include <yaml.h>

#include "buf.h"
#include "vntext.h"

#define FM_MAX_DEPTH 64 /* front matter is a header; deeper nesting is a mistake or an attack */
/* Plain YAML holds at most one value per two bytes of its text; more can only come from
 * aliases repeating anchored nodes ("billion laughs": 300 bytes naming 10^9 values). */
#define FM_MAX_VALUES (FRONTMATTER_MAX_BYTES / 2)

typedef struct loader {
    const char *name;
    yaml_document_t *doc;
    arena *a;
    diag *d;
    unsigned first_line; /* file line of the YAML's first line */
    size_t values;       /* converted so far, aliased nodes once per use */
    int failed;
} loader;

/*** Helpers ***/

static unsigned line_of(const loader *ld, yaml_mark_t m)
{
    return ld->first_line + (unsigned)m.line;
}

static const char *nfc_dup(arena *a, const char *s, size_t n)
{
    buf b = BUF_INIT;
    const char *out;

    if (vntext_nfc(&b, s, n) != 0)
        return arena_strndup(a, s, n); /* libyaml has validated UTF-8; keep it as is */
    out = arena_strndup(a, buf_cstr(&b), b.len);
    buf_free(&b);
    return out;
}

/* Returns the end of the line starting at P (the '\n' or END). */
static const char *line_end(const char *p, const char *end)
{
    const char *nl = memchr(p, '\n', (size_t)(end - p));

    return nl ? nl : end;
}

/* Is [P, E) a front matter fence ("---" or "...", trailing blanks and CR allowed)? */
static int is_fence(const char *p, const char *e, int closing)
{
    if (e - p < 3 || !(memcmp(p, "---", 3) == 0 || (closing && memcmp(p, "...", 3) == 0)))
        return 0;
    for (p += 3; p < e; p++)
        if (*p != ' ' && *p != '\t' && *p != '\r')
            return 0;
    return 1;
}

/*** YAML nodes to values ***/

static fm_value *convert(loader *ld, yaml_node_t *n, int depth)
{
    fm_value *v;

    if (!n)
        return NULL;
    if (depth > FM_MAX_DEPTH) {
        diag_error(ld->d, ld->name, line_of(ld, n->start_mark), (unsigned)n->start_mark.column + 1,
                   "front matter nested deeper than %d levels", FM_MAX_DEPTH);
        ld->failed = 1;
        return NULL;
    }
    if (++ld->values > FM_MAX_VALUES) {
        diag_error(ld->d, ld->name, line_of(ld, n->start_mark), (unsigned)n->start_mark.column + 1,
                   "front matter expands to more than %u values (aliases of aliases?)",
                   (unsigned)FM_MAX_VALUES);
        ld->failed = 1;
        return NULL;
    }
    v = arena_alloc(ld->a, sizeof *v);
    v->line = line_of(ld, n->start_mark);
    v->col = (unsigned)n->start_mark.column + 1;
    switch (n->type) {
    case YAML_SCALAR_NODE:
        v->kind = FM_SCALAR;
        v->text = nfc_dup(ld->a, (const char *)n->data.scalar.value, n->data.scalar.length);
        break;
    case YAML_SEQUENCE_NODE: {
        yaml_node_item_t *it = n->data.sequence.items.start;
        size_t count = (size_t)(n->data.sequence.items.top - it);

        v->kind = FM_LIST;
        v->items = arena_alloc(ld->a, (count ? count : 1) * sizeof *v->items);
        for (size_t i = 0; i < count && !ld->failed; i++)
            v->items[v->count++] = convert(ld, yaml_document_get_node(ld->doc, it[i]), depth + 1);
        break;
    }
    case YAML_MAPPING_NODE: {
        yaml_node_pair_t *p = n->data.mapping.pairs.start;
        size_t count = (size_t)(n->data.mapping.pairs.top - p);

        v->kind = FM_MAP;
        v->keys = arena_alloc(ld->a, (count ? count : 1) * sizeof *v->keys);
        v->items = arena_alloc(ld->a, (count ? count : 1) * sizeof *v->items);
        for (size_t i = 0; i < count && !ld->failed; i++) {
            yaml_node_t *k = yaml_document_get_node(ld->doc, p[i].key);

            if (!k || k->type != YAML_SCALAR_NODE) {
                diag_error(ld->d, ld->name, line_of(ld, k ? k->start_mark : n->start_mark),
                           (unsigned)(k ? k->start_mark : n->start_mark).column + 1,
                           "front matter keys must be plain names");
                ld->failed = 1;
                break;
            }
            v->keys[v->count] = nfc_dup(ld->a, (const char *)k->data.scalar.value,
                                        k->data.scalar.length);
            v->items[v->count++] = convert(ld, yaml_document_get_node(ld->doc, p[i].value),
                                           depth + 1);
        }
        break;
    }
    default:
        v->kind = FM_SCALAR;
        v->text = "";
        break;
    }
    return v;
}

/*** Known keys ***/

static void type_error(loader *ld, const char *key, const fm_value *v, const char *want)
{
    diag_error(ld->d, ld->name, v->line, v->col, "front matter '%s' must be %s", key, want);
    ld->failed = 1;
}

static const char *want_text(loader *ld, const char *key, const fm_value *v)
{
    if (v->kind != FM_SCALAR) {
        type_error(ld, key, v, "a text");
        return NULL;
    }
    return v->text;
}

/* A scalar or a list of scalars, as an array of strings. */
static const char **want_texts(loader *ld, const char *key, const fm_value *v, size_t *n)
{
    const char **out;

    if (v->kind == FM_SCALAR) {
        out = arena_alloc(ld->a, sizeof *out);
        out[0] = v->text;
        *n = 1;
        return out;
    }
    if (v->kind != FM_LIST) {
        type_error(ld, key, v, "a text or a list of texts");
        return NULL;
    }
    out = arena_alloc(ld->a, (v->count ? v->count : 1) * sizeof *out);
    for (size_t i = 0; i < v->count; i++) {
        if (v->items[i]->kind != FM_SCALAR) {
            type_error(ld, key, v->items[i], "a list of texts");
            return NULL;
        }
        out[i] = v->items[i]->text;
    }
    *n = v->count;
    return out;
}

static void set_where(loader *ld, frontmatter *fm, const fm_value *v)
{
    if (v->kind != FM_MAP) {
        type_error(ld, "where", v, "a map of column: value");
        return;
    }
    fm->where = arena_alloc(ld->a, (v->count ? v->count : 1) * sizeof *fm->where);
    for (size_t i = 0; i < v->count; i++) {
        const fm_value *val = v->items[i];

        if (val->kind != FM_SCALAR) {
            type_error(ld, "where", val, "a map of column: value");
            return;
        }
        fm->where[i] = (fm_filter){ v->keys[i], val->text, val->line, val->col };
    }
    fm->nwhere = v->count;
}

static void set_sort(loader *ld, frontmatter *fm, const fm_value *v)
{
    size_t n = 0;
    const char **cols = want_texts(ld, "sort", v, &n);

    if (!cols)
        return;
    fm->sort = arena_alloc(ld->a, (n ? n : 1) * sizeof *fm->sort);
    for (size_t i = 0; i < n; i++) {
        const char *c = cols[i];
        int desc = (c[0] == '-');

        if (c[0] == '-' || c[0] == '+')
            c++;
        fm->sort[i] = (fm_sort){ c, desc };
    }
    fm->nsort = n;
}

static void set_formats(loader *ld, frontmatter *fm, const fm_value *v)
{
    size_t n = 0;
    const char **f = want_texts(ld, "formats", v, &n);

    for (size_t i = 0; f && i < n; i++) {
        if (strcmp(f[i], "pdf") == 0)
            fm->formats |= FM_PDF;
        else if (strcmp(f[i], "html") == 0)
            fm->formats |= FM_HTML;
        else if (strcmp(f[i], "md") == 0)
            fm->formats |= FM_MD;
        else {
            const fm_value *at = v->kind == FM_LIST ? v->items[i] : v;

            diag_error(ld->d, ld->name, at->line, at->col,
                       "unknown format '%s' (pdf, html or md)", f[i]);
            ld->failed = 1;
        }
    }
}

static void set_key(loader *ld, frontmatter *fm, const char *key, const fm_value *v)
{
#define TEXT(field)                                                                            \
    do {                                                                                       \
        fm->field = want_text(ld, key, v);                                                     \
    } while (0)
    if (strcmp(key, "title") == 0)
        TEXT(title);
    else if (strcmp(key, "data") == 0) {
        TEXT(data);
        fm->data_line = v->line, fm->data_col = v->col;
    } else if (strcmp(key, "targets") == 0) {
        TEXT(targets);
        fm->targets_line = v->line, fm->targets_col = v->col;
    } else if (strcmp(key, "style") == 0) {
        TEXT(style);
        fm->style_line = v->line, fm->style_col = v->col;
    } else if (strcmp(key, "key") == 0)
        TEXT(key);
    else if (strcmp(key, "period") == 0)
        TEXT(period);
    else if (strcmp(key, "output") == 0)
        TEXT(output);
    else if (strcmp(key, "each") == 0)
        fm->each = want_texts(ld, key, v, &fm->neach);
    else if (strcmp(key, "where") == 0)
        set_where(ld, fm, v);
    else if (strcmp(key, "sort") == 0)
        set_sort(ld, fm, v);
    else if (strcmp(key, "formats") == 0)
        set_formats(ld, fm, v);
    else if (strcmp(key, "params") == 0) {
        if (v->kind != FM_MAP)
            type_error(ld, key, v, "a map");
        else
            fm->params = v;
    } else
        diag_warning(ld->d, ld->name, v->line, 0, "unknown front matter key '%s'", key);
#undef TEXT
}

/*** Entry point ***/

static int load_yaml(loader *ld, const char *yaml, size_t len, frontmatter *fm)
{
    yaml_parser_t parser;
    yaml_document_t doc;
    yaml_node_t *root;
    fm_value *v;

    if (!yaml_parser_initialize(&parser))
        return -1;
    yaml_parser_set_input_string(&parser, (const unsigned char *)yaml, len);
    yaml_parser_set_encoding(&parser, YAML_UTF8_ENCODING);
    if (!yaml_parser_load(&parser, &doc)) {
        /* Point at the construct that was left open ("while scanning a quoted scalar"),
         * not at the end of the stream where libyaml noticed. */
        yaml_mark_t at = parser.context ? parser.context_mark : parser.problem_mark;

        diag_error(ld->d, ld->name, ld->first_line + (unsigned)at.line,
                   (unsigned)at.column + 1, "front matter: %s%s%s",
                   parser.problem ? parser.problem : "broken YAML",
                   parser.context ? " " : "", parser.context ? parser.context : "");
        yaml_parser_delete(&parser);
        return -1;
    }
    ld->doc = &doc;
    root = yaml_document_get_root_node(&doc);
    if (root && !(root->type == YAML_SCALAR_NODE && root->data.scalar.length == 0)) {
        v = convert(ld, root, 0);
        if (v && !ld->failed && v->kind != FM_MAP) {
            diag_error(ld->d, ld->name, v->line, v->col, "front matter must be a map of keys");
            ld->failed = 1;
        }
        for (size_t i = 0; v && !ld->failed && v->kind == FM_MAP && i < v->count; i++)
            set_key(ld, fm, v->keys[i], v->items[i]);
    }
    yaml_document_delete(&doc);
    yaml_parser_delete(&parser);
    return ld->failed ? -1 : 0;
}

int frontmatter_parse(const char *name, const char *src, size_t len, frontmatter *fm, arena *a,
                      diag *d)
{
    const char *end = src + len, *p = src, *e, *yaml;
    unsigned line = 1;
    loader ld = { .name = name, .a = a, .d = d, .first_line = 2 };

    memset(fm, 0, sizeof *fm);
    fm->body_line = 1;
    if (len >= 3 && memcmp(p, "\xEF\xBB\xBF", 3) == 0) /* a BOM from a Windows editor */
        p += 3, fm->body_offset = 3;
    e = line_end(p, end);
    if (!is_fence(p, e, 0))
        return 0;
    yaml = e < end ? e + 1 : end;
    for (p = yaml, line = 2; p < end; p = e + 1, line++) {
        e = line_end(p, end);
        if (is_fence(p, e, 1))
            break;
        if (e == end) {
            p = end;
            break;
        }
    }
    if (p >= end) {
        diag_error(d, name, 1, 1, "front matter is not closed: no '---' line after it");
        return -1;
    }
    if ((size_t)(p - yaml) > FRONTMATTER_MAX_BYTES) {
        diag_error(d, name, 1, 1, "front matter longer than %u bytes", FRONTMATTER_MAX_BYTES);
        return -1;
    }
    fm->body_offset = e < end ? (size_t)(e + 1 - src) : len;
    fm->body_line = line + 1;
    return load_yaml(&ld, yaml, (size_t)(p - yaml), fm);
}

const fm_value *frontmatter_param(const frontmatter *fm, const char *path)
{
    const fm_value *v = fm->params;

    while (v && *path) {
        const char *dot = strchr(path, '.');
        size_t n = dot ? (size_t)(dot - path) : strlen(path);
        const fm_value *next = NULL;

        if (v->kind != FM_MAP)
            return NULL;
        for (size_t i = 0; i < v->count; i++)
            if (strlen(v->keys[i]) == n && memcmp(v->keys[i], path, n) == 0)
                next = v->items[i];
        v = next;
        path += n + (dot != NULL);
    }
    return v;
}
