/*
** Mustache parse and render (tmpl_).
**
** Parsing runs three passes over the source, none of them recursive:
**   1. scan:  split the source into tokens (text split after every '\n', and tags), follow
**             delimiter changes, match every closing tag with its opener on an explicit
**             stack (so 10.000 nested sections cost memory, not C stack), report errors;
**   2. lines: find standalone lines (whitespace plus one section/partial/comment/... tag,
**             or one of the inheritance pairs such as {{<p}}{{/p}}) and drop their
**             whitespace; the whitespace before a standalone partial, parent or block
**             becomes its indentation;
**   3. build: emit the compiled form, a flat pre-order array of nodes in which a container
**             (section, parent, block) records the index after its subtree.
** Indentation is an INDENT node at the start of every line that survives: rendering puts
** the indentation of the enclosing standalone partials there, so interpolated newlines are
** never indented (the spec's rule). A standalone block's own content is dedented at its
** definition and indented at its site (the inheritance spec's reindentation tests).
**
** Partials with static names are loaded and compiled at parse time through the loader,
** once each, into a cache shared by the root template and every partial; dynamic ones
** ({{>*name}}) are looked up while rendering and then cached the same way. Rendering
** appends to one buffer and allocates only two scratch buffers per call.
*/
#include "tmpl.h"

#include <assert.h>
#include <errno.h>
#include <stdarg.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "xalloc.h"

#define TMPL_MAX_RENDER_DEPTH 1000 /* render recursion (sections, partials, blocks) at most;
                                      keeps a block that overrides itself off the stack */
#define TMPL_MAX_STEPS 10000000    /* nodes visited by one render: a thousand times a 3-page
                                      report; more is a runaway, e.g. a partial including
                                      itself twice (2^64 expansions within the depth limit) */
#define TMPL_MAX_OUTPUT (256u << 20) /* bytes one render may append: reports are a few MB;
                                        the step limit alone allows steps x text size */

/***  Compiled form  ***/

enum kind {
    K_TEXT,
    K_VAR,      /* {{name}} escaped */
    K_RAW,      /* {{{name}}} or {{&name}} */
    K_SECTION,  /* {{#name}} */
    K_INVERTED, /* {{^name}} */
    K_CLOSE,    /* {{/name}} (tokens only) */
    K_COMMENT,  /* {{!...}} (tokens only) */
    K_PARTIAL,  /* {{>name}} */
    K_PARENT,   /* {{<name}} */
    K_BLOCK,    /* {{$name}} */
    K_DELIM,    /* {{=a b=}} (tokens only) */
    K_INDENT    /* start of a line (nodes only) */
};

typedef struct entry entry;

typedef struct node {
    unsigned char kind;
    unsigned char standalone; /* partial, parent, block: on a line of its own */
    unsigned char dynamic;    /* partial, parent: {{>*name}} */
    const char *s;            /* text, or name */
    size_t n;
    const char *ind; /* standalone partial, parent, block: indentation added to its lines */
    size_t ilen;
    size_t end;  /* containers: index after the subtree */
    entry *ref;  /* static partial, parent: resolved at parse time */
    unsigned line, col;
} node;

/* A partial as loaded: T is NULL when missing (renders empty) or broken. */
struct entry {
    char *name;
    size_t nlen;
    char *path;
    tmpl *t;
    int linked; /* its static partials are resolved */
    int failed; /* did not compile: reported once, then NULL for every use */
};

typedef struct cache {
    tmpl_loader ld;
    int has_loader;
    entry **e;
    size_t n, cap;
} cache;

struct tmpl {
    char *name;
    char *src;
    size_t len;
    node *nodes;
    size_t n, cap;
    cache *cache;
    int root; /* owns the cache */
};

/***  Helpers  ***/

static int is_ws(int c)
{
    return c == ' ' || c == '\t';
}

static int is_space(int c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

static int name_eq(const char *a, size_t an, const char *b, size_t bn)
{
    return an == bn && memcmp(a, b, an) == 0;
}

static const char *find(const char *hay, size_t hn, const char *needle, size_t nn)
{
    if (nn == 0 || hn < nn)
        return NULL;
    for (const char *p = hay, *last = hay + hn - nn; p <= last; p++) {
        p = memchr(p, needle[0], (size_t)(last - p) + 1);
        if (!p)
            return NULL;
        if (memcmp(p, needle, nn) == 0)
            return p;
    }
    return NULL;
}

void tmpl_escape_html(buf *out, const char *s, size_t n)
{
    size_t from = 0;

    for (size_t i = 0; i < n; i++) {
        const char *rep;

        switch (s[i]) {
        case '&': rep = "&amp;"; break;
        case '"': rep = "&quot;"; break;
        case '<': rep = "&lt;"; break;
        case '>': rep = "&gt;"; break;
        default: continue;
        }
        buf_put(out, s + from, i - from);
        buf_puts(out, rep);
        from = i + 1;
    }
    buf_put(out, s + from, n - from);
}

/***  Pass 1: tokens  ***/

typedef struct tok {
    unsigned char kind;
    unsigned char removed;     /* whitespace of a standalone line */
    unsigned char line_start;  /* first token of a line */
    unsigned char indent_pt;   /* line_start and the line is not standalone */
    unsigned char standalone;
    unsigned char keep_nl;     /* {{$b}}{{/b}} standalone: the newline stays */
    unsigned char dynamic;
    unsigned char opener;      /* close: the kind it closes */
    size_t start, end;         /* the whole token in the source */
    size_t name, nlen;         /* trimmed name ('*' of a dynamic name dropped) */
    size_t match;              /* opener: index of its close */
    size_t ind, ilen;          /* standalone: the whitespace before it on its line */
    unsigned line, col;
} tok;

typedef struct parser {
    tmpl *t;
    diag *d;
    tok *tk;
    size_t ntk, captk;
    size_t *open; /* stack of opener token indices */
    size_t nopen;
    size_t pos;   /* cursor for line/column counting */
    unsigned line, col;
    int failed;
} parser;

static tok *push_tok(parser *p, int kind, size_t start, size_t end)
{
    tok *k;

    if (p->ntk == p->captk) {
        p->captk = p->captk ? 2 * p->captk : 64;
        p->tk = xrealloc(p->tk, p->captk * sizeof *p->tk);
    }
    k = &p->tk[p->ntk++];
    memset(k, 0, sizeof *k);
    k->kind = (unsigned char)kind;
    k->start = start;
    k->end = end;
    k->match = SIZE_MAX;
    return k;
}

/* Moves the line/column cursor to OFF (never backwards). Columns count UTF-8 characters. */
static void locate(parser *p, size_t off)
{
    const char *s = p->t->src;

    for (; p->pos < off; p->pos++) {
        if (s[p->pos] == '\n') {
            p->line++;
            p->col = 1;
        } else if (((unsigned char)s[p->pos] & 0xC0) != 0x80) {
            p->col++;
        }
    }
}

static void error_at(parser *p, unsigned line, unsigned col, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static void error_at(parser *p, unsigned line, unsigned col, const char *fmt, ...)
{
    buf m = BUF_INIT;
    va_list ap;

    va_start(ap, fmt);
    buf_vprintf(&m, fmt, ap);
    va_end(ap);
    diag_error(p->d, p->t->name, line, col, "%s", m.ptr);
    buf_free(&m);
    p->failed = 1;
}

static void add_text(parser *p, size_t a, size_t b)
{
    const char *s = p->t->src;

    while (a < b) {
        const char *nl = memchr(s + a, '\n', b - a);
        size_t e = nl ? (size_t)(nl - s) + 1 : b;

        push_tok(p, K_TEXT, a, e);
        a = e;
    }
}

static const char *kind_word(int kind)
{
    switch (kind) {
    case K_PARENT: return "parent";
    case K_BLOCK: return "block";
    default: return "section";
    }
}

/* Parses "{{=OPEN CLOSE=}}" content C (N bytes) into new delimiters. */
static int set_delims(const char *c, size_t n, str *open, str *close)
{
    size_t a = 0, b = n, m;

    while (a < b && is_space(c[a]))
        a++;
    while (b > a && is_space(c[b - 1]))
        b--;
    for (m = a; m < b && !is_space(c[m]); m++)
        ;
    if (m == a || m == b)
        return -1;
    open->ptr = c + a;
    open->len = m - a;
    while (m < b && is_space(c[m]))
        m++;
    for (size_t i = m; i < b; i++)
        if (is_space(c[i]))
            return -1;
    close->ptr = c + m;
    close->len = b - m;
    if (memchr(open->ptr, '=', open->len) || memchr(close->ptr, '=', close->len))
        return -1;
    return 0;
}

static int open_section(parser *p, size_t ti)
{
    tok *k = &p->tk[ti];

    if (p->nopen == TMPL_MAX_NESTING) {
        error_at(p, k->line, k->col, "sections nested deeper than %d levels", TMPL_MAX_NESTING);
        return -1;
    }
    p->open[p->nopen++] = ti;
    return 0;
}

static void close_section(parser *p, size_t ti)
{
    tok *k = &p->tk[ti];
    const char *s = p->t->src;
    tok *o;

    if (p->nopen == 0) {
        error_at(p, k->line, k->col, "closing tag '%.*s' without an open section",
                 (int)k->nlen, s + k->name);
        p->ntk--;
        return;
    }
    o = &p->tk[p->open[p->nopen - 1]];
    if (!name_eq(s + k->name, k->nlen, s + o->name, o->nlen) || k->dynamic != o->dynamic) {
        error_at(p, k->line, k->col,
                 "mismatched closing tag '%s%.*s': the open %s is '%s%.*s' from %u:%u",
                 k->dynamic ? "*" : "", (int)k->nlen, s + k->name, kind_word(o->kind),
                 o->dynamic ? "*" : "", (int)o->nlen, s + o->name, o->line, o->col);
        p->ntk--;
        return;
    }
    o->match = ti;
    k->opener = o->kind;
    p->nopen--;
}

/* Reads one tag starting at offset AT (the open delimiter); returns the offset after it,
 * or 0 when the rest of the source cannot be read as tags. */
static size_t scan_tag(parser *p, size_t at, str *open, str *close)
{
    const char *s = p->t->src;
    size_t len = p->t->len, c0 = at + open->len, cend, after;
    const char *e;
    int kind = K_VAR;
    tok *k;

    locate(p, at);
    if (c0 < len && (s[c0] == '{' || s[c0] == '=')) {
        /* {{{name}}} ends at "}" + close, {{=a b=}} at "=" + close */
        char lead = s[c0] == '{' ? '}' : '=';
        const char *q = s + c0 + 1;

        kind = lead == '}' ? K_RAW : K_DELIM;
        for (e = NULL; (q = find(q, (size_t)(s + len - q), close->ptr, close->len)); q++)
            if (q[-1] == lead && q - 1 >= s + c0 + 1) {
                e = q - 1;
                break;
            }
        c0++;
        after = e ? (size_t)(e - s) + 1 + close->len : 0;
    } else {
        e = find(s + c0, len - c0, close->ptr, close->len);
        after = e ? (size_t)(e - s) + close->len : 0;
    }
    if (!e) {
        error_at(p, p->line, p->col, "unclosed tag: no '%s%.*s' after '%.*s'",
                 kind == K_RAW ? "}" : kind == K_DELIM ? "=" : "", (int)close->len,
                 close->ptr, (int)open->len, open->ptr);
        return 0;
    }
    cend = (size_t)(e - s);
    if (kind == K_VAR && c0 < cend) {
        switch (s[c0]) {
        case '#': kind = K_SECTION; break;
        case '^': kind = K_INVERTED; break;
        case '/': kind = K_CLOSE; break;
        case '!': kind = K_COMMENT; break;
        case '>': kind = K_PARTIAL; break;
        case '<': kind = K_PARENT; break;
        case '$': kind = K_BLOCK; break;
        case '&': kind = K_RAW; break;
        default: break;
        }
        if (kind != K_VAR)
            c0++;
    }
    k = push_tok(p, kind, at, after);
    k->line = p->line;
    k->col = p->col;
    if (kind == K_COMMENT)
        return after;
    if (kind == K_DELIM) {
        str no, nc;

        if (set_delims(s + c0, cend - c0, &no, &nc) != 0) {
            error_at(p, k->line, k->col,
                     "bad delimiter change '%.*s': expected two delimiters, without spaces "
                     "or '=', between the '=' signs",
                     (int)(after - at), s + at);
            return 0; /* the rest would be read with the wrong delimiters */
        }
        *open = no;
        *close = nc;
        return after;
    }
    while (c0 < cend && is_space(s[c0]))
        c0++;
    while (cend > c0 && is_space(s[cend - 1]))
        cend--;
    if ((kind == K_PARTIAL || kind == K_PARENT || kind == K_CLOSE) && c0 < cend &&
        s[c0] == '*') {
        k->dynamic = 1;
        for (c0++; c0 < cend && is_space(s[c0]); c0++)
            ;
    }
    k->name = c0;
    k->nlen = cend - c0;
    if (k->nlen == 0) {
        error_at(p, k->line, k->col, "empty tag name in '%.*s'", (int)(after - at), s + at);
        p->ntk--;
        return after;
    }
    for (size_t i = c0; i < cend; i++)
        if (is_space(s[i])) {
            error_at(p, k->line, k->col, "bad tag name '%.*s': a name has no spaces",
                     (int)(cend - c0), s + c0);
            p->ntk--;
            return after;
        }
    if (kind == K_SECTION || kind == K_INVERTED || kind == K_PARENT || kind == K_BLOCK) {
        if (open_section(p, p->ntk - 1) != 0)
            return 0; /* what follows cannot be matched; its errors would be noise */
    } else if (kind == K_CLOSE)
        close_section(p, p->ntk - 1);
    return after;
}

static int scan(parser *p)
{
    const char *s = p->t->src;
    size_t len = p->t->len, pos = 0;
    str open = STR_LIT("{{"), close = STR_LIT("}}");

    p->open = xmalloc(TMPL_MAX_NESTING * sizeof *p->open);
    while (pos < len) {
        const char *o = find(s + pos, len - pos, open.ptr, open.len);
        size_t at = o ? (size_t)(o - s) : len;

        add_text(p, pos, at);
        if (!o)
            break;
        pos = scan_tag(p, at, &open, &close);
        if (pos == 0)
            return -1;
    }
    for (size_t i = 0; i < p->nopen; i++) {
        tok *k = &p->tk[p->open[i]];

        error_at(p, k->line, k->col, "unclosed %s '%s%.*s'", kind_word(k->kind),
                 k->dynamic ? "*" : "", (int)k->nlen, s + k->name);
    }
    return p->failed ? -1 : 0;
}

/***  Pass 2: standalone lines  ***/

static int may_stand_alone(int kind)
{
    return kind != K_TEXT && kind != K_VAR && kind != K_RAW;
}

/* Two tags that make a standalone line together (the inheritance spec). */
static int standalone_pair(const parser *p, size_t a, size_t b)
{
    const tok *x = &p->tk[a], *y = &p->tk[b];

    if (b != a + 1)
        return 0;
    if ((x->kind == K_PARENT || x->kind == K_BLOCK) && x->match == b)
        return 1;
    if (x->kind == K_PARENT && y->kind == K_BLOCK)
        return 1;
    return x->kind == K_CLOSE && x->opener == K_BLOCK && y->kind == K_CLOSE &&
           y->opener == K_PARENT;
}

/* Is token K whitespace only, allowing a final "\n" or "\r\n" when LAST? */
static int blank_text(const parser *p, const tok *k, int last)
{
    const char *s = p->t->src;
    size_t e = k->end;

    if (last && e > k->start && s[e - 1] == '\n') {
        e--;
        if (e > k->start && s[e - 1] == '\r')
            e--;
    }
    for (size_t i = k->start; i < e; i++)
        if (!is_ws(s[i]))
            return 0;
    return 1;
}

static void mark_line(parser *p, size_t a, size_t b)
{
    size_t tags = 0, t1 = 0, t2 = 0;
    int ok = 1;

    p->tk[a].line_start = 1;
    for (size_t i = a; i < b && ok; i++) {
        const tok *k = &p->tk[i];

        if (k->kind == K_TEXT)
            ok = blank_text(p, k, i == b - 1);
        else if (++tags == 1)
            t1 = i;
        else
            t2 = i;
    }
    ok = ok && ((tags == 1 && may_stand_alone(p->tk[t1].kind)) ||
                (tags == 2 && standalone_pair(p, t1, t2)));
    if (!ok) {
        p->tk[a].indent_pt = 1;
        return;
    }
    p->tk[t1].standalone = 1;
    if (tags == 2)
        p->tk[t2].standalone = 1;
    if (a < t1) {
        p->tk[a].removed = 1;
        p->tk[t1].ind = p->tk[a].start;
        p->tk[t1].ilen = p->tk[a].end - p->tk[a].start;
    }
    if (tags == 2 && p->tk[t1].kind == K_BLOCK && p->tk[t1].match == t2)
        p->tk[t1].keep_nl = 1; /* an empty block keeps its line (spec "Standalone block") */
    else if (b - 1 > (tags == 2 ? t2 : t1))
        p->tk[b - 1].removed = 1;
}

static void mark_lines(parser *p)
{
    const char *s = p->t->src;
    size_t a = 0;

    while (a < p->ntk) {
        size_t b = a;

        while (b < p->ntk) {
            const tok *k = &p->tk[b++];

            if (k->kind == K_TEXT && s[k->end - 1] == '\n')
                break;
        }
        mark_line(p, a, b);
        a = b;
    }
}

/***  Pass 3: nodes  ***/

static node *push_node(tmpl *t, int kind)
{
    node *n;

    if (t->n == t->cap) {
        t->cap = t->cap ? 2 * t->cap : 32;
        t->nodes = xrealloc(t->nodes, t->cap * sizeof *t->nodes);
    }
    n = &t->nodes[t->n++];
    memset(n, 0, sizeof *n);
    n->kind = (unsigned char)kind;
    return n;
}

/* The common leading whitespace of the non-blank lines in [A, B) (textwrap.dedent's
 * margin); *AT gets the start of a line carrying it. */
static size_t margin(const char *s, size_t a, size_t b, size_t *at)
{
    size_t m = 0;
    int first = 1;

    *at = a;
    while (a < b) {
        size_t w = a, e;

        while (w < b && is_ws(s[w]))
            w++;
        for (e = w; e < b && s[e] != '\n'; e++)
            ;
        if (w < e && !(s[w] == '\r' && w + 1 == e)) { /* a non-blank line */
            size_t k = 0;

            if (first) {
                m = w - a;
                *at = a;
                first = 0;
            }
            while (k < m && k < w - a && s[*at + k] == s[a + k])
                k++;
            m = k;
        }
        a = e + 1;
    }
    return m;
}

/* A standalone block: dedent its content (stripping MARGIN from its lines) and indent it
 * at its site by what it had beyond the enclosing block's margin OUTER. */
static size_t block_margin(parser *p, size_t ti, node *n, size_t outer)
{
    const char *s = p->t->src;
    const tok *k = &p->tk[ti], *c = &p->tk[k->match];
    size_t a = k->end, b = c->start, at, m = 0;

    if (k->match != ti + 1) {
        while (a < b && s[a] != '\n')
            a++;
        if (a < b)
            a++;
        if (c->standalone)
            while (b > a && s[b - 1] != '\n')
                b--;
        m = margin(s, a, b, &at);
    }
    if (m > outer) {
        n->ind = s + at + outer;
        n->ilen = m - outer;
    } else if (k->ilen > outer) {
        n->ind = s + k->ind + outer;
        n->ilen = k->ilen - outer;
    }
    return m > outer ? m : outer;
}

static void build(parser *p)
{
    tmpl *t = p->t;
    const char *s = t->src;
    size_t *stack = p->open, depth = 0, strip = 0;
    size_t *strips = xmalloc((TMPL_MAX_NESTING + 1) * sizeof *strips);

    strips[0] = 0;
    for (size_t i = 0; i < p->ntk; i++) {
        const tok *k = &p->tk[i];
        node *n;

        if (k->line_start && k->indent_pt)
            push_node(t, K_INDENT);
        if (k->removed || k->kind == K_COMMENT || k->kind == K_DELIM)
            continue;
        if (k->kind == K_TEXT) {
            size_t a = k->start;

            if (k->line_start)
                for (size_t j = 0; j < strip && a < k->end && is_ws(s[a]); j++)
                    a++;
            if (a < k->end) {
                n = push_node(t, K_TEXT);
                n->s = s + a;
                n->n = k->end - a;
            }
            continue;
        }
        if (k->kind == K_CLOSE) {
            t->nodes[stack[--depth]].end = t->n;
            strip = strips[depth];
            continue;
        }
        n = push_node(t, k->kind);
        n->s = s + k->name;
        n->n = k->nlen;
        n->line = k->line;
        n->col = k->col;
        n->dynamic = k->dynamic;
        n->standalone = k->standalone;
        if (k->standalone && (k->kind == K_PARTIAL || k->kind == K_PARENT)) {
            n->ind = s + k->ind;
            n->ilen = k->ilen;
        }
        if (k->kind == K_SECTION || k->kind == K_INVERTED || k->kind == K_PARENT ||
            k->kind == K_BLOCK) {
            if (k->kind == K_BLOCK && k->standalone)
                strip = block_margin(p, i, n, strip);
            stack[depth++] = t->n - 1;
            strips[depth] = strip;
        }
    }
    free(strips);
}

static tmpl *compile(const char *name, const char *src, size_t len, cache *c, diag *d)
{
    tmpl *t = xcalloc(1, sizeof *t);
    parser p = { .t = t, .d = d, .line = 1, .col = 1 };

    t->name = xstrdup(name ? name : "template");
    t->src = xmalloc(len + 1);
    memcpy(t->src, src, len);
    t->src[len] = '\0';
    t->len = len;
    t->cache = c;
    if (scan(&p) == 0) {
        mark_lines(&p);
        build(&p);
    }
    free(p.tk);
    free(p.open);
    if (p.failed) {
        t->cache = NULL;
        tmpl_free(t);
        return NULL;
    }
    return t;
}

/***  Partials  ***/

static void free_cache(cache *c)
{
    if (!c)
        return;
    for (size_t i = 0; i < c->n; i++) {
        tmpl_free(c->e[i]->t);
        free(c->e[i]->name);
        free(c->e[i]->path);
        free(c->e[i]);
    }
    free(c->e);
    free(c);
}

/* The cache entry for partial NAME, loaded and compiled on first use; NULL after
 * reporting an error at node N of FROM. */
static entry *obtain(cache *c, const char *name, size_t len, const tmpl *from, const node *n,
                     diag *d)
{
    entry *e;
    tmpl_source src = { 0 };
    buf why = BUF_INIT;
    int rc = 1;

    for (size_t i = 0; i < c->n; i++)
        if (name_eq(c->e[i]->name, c->e[i]->nlen, name, len))
            return c->e[i]->failed ? NULL : c->e[i];
    if (c->has_loader)
        rc = c->ld.load(c->ld.self, name, len, &src, &why);
    if (rc < 0) {
        diag_error(d, from->name, n->line, n->col, "%s",
                   why.len ? why.ptr : "cannot load partial");
        buf_free(&why);
        return NULL;
    }
    buf_free(&why);
    e = xcalloc(1, sizeof *e);
    e->name = xstrndup(name, len);
    e->nlen = len;
    e->path = src.path;
    e->linked = 1;
    if (rc == 0) {
        e->t = compile(src.path ? src.path : e->name, src.text ? src.text : "",
                       src.text ? src.len : 0, c, d);
        e->linked = 0;
        free(src.text);
        if (!e->t)
            diag_note(d, from->name, n->line, n->col, "partial '%s' is included here", e->name);
        e->failed = !e->t;
        e->linked = e->failed;
    }
    if (c->n == c->cap) {
        c->cap = c->cap ? 2 * c->cap : 8;
        c->e = xrealloc(c->e, c->cap * sizeof *c->e);
    }
    c->e[c->n++] = e;
    return e->failed ? NULL : e;
}

/* Resolves T's static partials, loading what is new. */
static int link_partials(cache *c, tmpl *t, diag *d)
{
    int rc = 0;

    for (size_t i = 0; i < t->n; i++) {
        node *n = &t->nodes[i];

        if ((n->kind == K_PARTIAL || n->kind == K_PARENT) && !n->dynamic) {
            n->ref = obtain(c, n->s, n->n, t, n, d);
            if (!n->ref)
                rc = -1;
        }
    }
    return rc;
}

/* Links every cached partial not linked yet, including those this loads (a worklist, so a
 * chain of a thousand partials costs no stack). */
static int link_pending(cache *c, diag *d)
{
    int rc = 0;

    for (size_t i = 0; i < c->n; i++)
        if (!c->e[i]->linked) {
            c->e[i]->linked = 1;
            if (link_partials(c, c->e[i]->t, d) != 0)
                rc = -1;
        }
    return rc;
}

tmpl *tmpl_parse(const char *name, const char *src, size_t len, const tmpl_loader *ld, diag *d)
{
    cache *c = xcalloc(1, sizeof *c);
    tmpl *t;
    int rc;

    if (ld) {
        c->ld = *ld;
        c->has_loader = 1;
    }
    t = compile(name, src, len, c, d);
    if (!t) {
        free_cache(c);
        return NULL;
    }
    t->root = 1;
    rc = link_partials(c, t, d);
    if (link_pending(c, d) != 0 || rc != 0) {
        tmpl_free(t);
        return NULL;
    }
    return t;
}

void tmpl_deps(const tmpl *t, void (*fn)(void *self, const char *name, const char *path),
               void *self)
{
    for (size_t i = 0; t && t->cache && i < t->cache->n; i++)
        fn(self, t->cache->e[i]->name, t->cache->e[i]->path);
}

void tmpl_free(tmpl *t)
{
    if (!t)
        return;
    if (t->root)
        free_cache(t->cache);
    free(t->nodes);
    free(t->src);
    free(t->name);
    free(t);
}

/***  Rendering  ***/

/* The parents being rendered, innermost first: their blocks override the blocks of the
 * templates they include; the outermost override wins (spec "Multi-level inheritance"). */
typedef struct ovr {
    const tmpl *t;
    size_t at; /* the K_PARENT node */
    const struct ovr *up;
} ovr;

typedef struct render_st {
    const tmpl_data *data;
    tmpl_escape_fn esc;
    buf *out;
    diag *d;
    cache *c;
    buf indent;   /* the indentation of the enclosing standalone partials and blocks */
    buf name;     /* a dynamic name, copied out of lookup()'s borrowed text */
    unsigned partials, level;
    size_t steps, start; /* START: OUT's length before rendering */
} render_st;

static int render(render_st *rs, const tmpl *t, size_t a, size_t b, const ovr *ov);

static void put_value(render_st *rs, const node *n)
{
    str v;

    if (rs->data->lookup(rs->data->self, n->s, n->n, &v) != 0)
        return;
    if (n->kind == K_RAW || !rs->esc)
        buf_put(rs->out, v.ptr, v.len);
    else
        rs->esc(rs->out, v.ptr, v.len);
}

static int render_section(render_st *rs, const tmpl *t, size_t i, const ovr *ov)
{
    const node *n = &t->nodes[i];
    void *self = rs->data->self;
    int rc = 0;

    if (!rs->data->enter(self, n->s, n->n)) {
        if (n->kind == K_INVERTED)
            rc = render(rs, t, i + 1, n->end, ov);
        return rc;
    }
    if (n->kind == K_SECTION)
        do
            rc = render(rs, t, i + 1, n->end, ov);
        while (rc == 0 && rs->data->next(self));
    rs->data->leave(self);
    return rc;
}

/* The partial a K_PARTIAL or K_PARENT node names: NULL renders nothing; *RC -1 on error. */
static const tmpl *partial_of(render_st *rs, const tmpl *t, const node *n, int *rc)
{
    entry *e = n->ref;
    str v;

    *rc = 0;
    if (n->dynamic) {
        if (rs->data->lookup(rs->data->self, n->s, n->n, &v) != 0 || v.len == 0)
            return NULL;
        buf_reset(&rs->name);
        buf_put(&rs->name, v.ptr, v.len);
        e = obtain(rs->c, rs->name.ptr, rs->name.len, t, n, rs->d);
        if (!e || link_pending(rs->c, rs->d) != 0) {
            *rc = -1;
            return NULL;
        }
    }
    if (e && e->t && rs->partials >= TMPL_MAX_PARTIAL_DEPTH) {
        diag_error(rs->d, t->name, n->line, n->col,
                   "partial recursion deeper than %d levels (through '%s')",
                   TMPL_MAX_PARTIAL_DEPTH, e->name);
        *rc = -1;
        return NULL;
    }
    return e ? e->t : NULL;
}

/* Renders [A, B) of T (a partial or a block's content) with N's indentation added.
 * MIDLINE: the content does not begin at a line start (a block defined inline), so no
 * INDENT node opens it and its first line is indented here. */
static int render_indented(render_st *rs, const node *n, const tmpl *t, size_t a, size_t b,
                           const ovr *ov, int midline)
{
    size_t keep = rs->indent.len;
    int rc;

    if (n->standalone) {
        buf_put(&rs->indent, n->ind, n->ilen);
        if (midline && a < b)
            buf_put(rs->out, rs->indent.ptr, rs->indent.len);
    }
    rc = render(rs, t, a, b, ov);
    rs->indent.len = keep;
    return rc;
}

static int render_partial(render_st *rs, const tmpl *t, size_t i, const ovr *ov)
{
    const node *n = &t->nodes[i];
    ovr self = { t, i, ov };
    const tmpl *p;
    int rc;

    p = partial_of(rs, t, n, &rc);
    if (!p)
        return rc;
    rs->partials++;
    rc = render_indented(rs, n, p, 0, p->n, n->kind == K_PARENT ? &self : ov, 0);
    rs->partials--;
    return rc;
}

static int render_block(render_st *rs, const tmpl *t, size_t i, const ovr *ov)
{
    const node *n = &t->nodes[i];
    const tmpl *ft = t;
    size_t fk = i;

    for (const ovr *o = ov; o; o = o->up) {
        const node *pn = &o->t->nodes[o->at];

        for (size_t k = o->at + 1; k < pn->end;) {
            const node *c = &o->t->nodes[k];

            if (c->kind == K_BLOCK && name_eq(c->s, c->n, n->s, n->n)) {
                ft = o->t;
                fk = k;
            }
            k = (c->kind == K_SECTION || c->kind == K_INVERTED || c->kind == K_PARENT ||
                 c->kind == K_BLOCK) ? c->end : k + 1;
        }
    }
    return render_indented(rs, n, ft, fk + 1, ft->nodes[fk].end, ov,
                           !ft->nodes[fk].standalone);
}

static int render(render_st *rs, const tmpl *t, size_t a, size_t b, const ovr *ov)
{
    int rc = 0;

    if (++rs->level > TMPL_MAX_RENDER_DEPTH) {
        const node *n = a < t->n ? &t->nodes[a] : NULL;

        diag_error(rs->d, t->name, n ? n->line : 0, n ? n->col : 0,
                   "templates nested deeper than %d levels", TMPL_MAX_RENDER_DEPTH);
        rs->level--;
        return -1;
    }
    for (size_t i = a; i < b && rc == 0; i++) {
        const node *n = &t->nodes[i];

        if (++rs->steps > TMPL_MAX_STEPS) {
            diag_error(rs->d, t->name, n->line, n->col,
                       "template expands to more than %d steps (a runaway recursion?)",
                       TMPL_MAX_STEPS);
            rc = -1;
            break;
        }
        if (rs->out->len - rs->start > TMPL_MAX_OUTPUT) {
            diag_error(rs->d, t->name, n->line, n->col,
                       "template output larger than %u MB (a runaway recursion?)",
                       TMPL_MAX_OUTPUT >> 20);
            rc = -1;
            break;
        }
        switch (n->kind) {
        case K_TEXT: buf_put(rs->out, n->s, n->n); break;
        case K_INDENT:
            if (rs->indent.len)
                buf_put(rs->out, rs->indent.ptr, rs->indent.len);
            break;
        case K_VAR:
        case K_RAW: put_value(rs, n); break;
        case K_SECTION:
        case K_INVERTED: rc = render_section(rs, t, i, ov), i = n->end - 1; break;
        case K_PARTIAL: rc = render_partial(rs, t, i, ov); break;
        case K_PARENT: rc = render_partial(rs, t, i, ov), i = n->end - 1; break;
        case K_BLOCK: rc = render_block(rs, t, i, ov), i = n->end - 1; break;
        default: assert(!"unhandled node"); abort();
        }
    }
    rs->level--;
    return rc;
}

int tmpl_render(const tmpl *t, const tmpl_data *data, tmpl_escape_fn esc, buf *out, diag *d)
{
    render_st rs = { .data = data, .esc = esc, .out = out, .d = d, .c = t->cache,
                     .start = out->len };
    int rc;

    buf_put(out, "", 0); /* OUT is a C string even when nothing is rendered */
    rc = render(&rs, t, 0, t->n, NULL);
    buf_free(&rs.indent);
    buf_free(&rs.name);
    return rc;
}

/***  Directory loader  ***/

typedef struct dir_loader {
    tmpl_loader ld;
    char *root;    /* as given, for display paths */
    char *real;    /* realpath of the root */
    char *ext;
} dir_loader;

/* Is NAME (LEN bytes) a relative path that stays below the root by its spelling? */
static int safe_name(const char *name, size_t len)
{
    size_t a = 0;

    if (len == 0 || memchr(name, '\0', len) || name[0] == '/' || memchr(name, '\\', len))
        return 0;
    while (a < len) {
        size_t b = a;

        while (b < len && name[b] != '/')
            b++;
        if (b - a == 2 && name[a] == '.' && name[a + 1] == '.')
            return 0;
        a = b + 1;
    }
    return 1;
}

static int read_all(const char *path, tmpl_source *src, buf *why)
{
    FILE *f = fopen(path, "rb");
    buf b = BUF_INIT;
    char chunk[8192];
    size_t n;

    if (!f) {
        buf_printf(why, "cannot read partial %s: %s", path, strerror(errno));
        return -1;
    }
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
        buf_put(&b, chunk, n);
    if (ferror(f)) {
        buf_printf(why, "cannot read partial %s: %s", path, strerror(errno));
        fclose(f);
        buf_free(&b);
        return -1;
    }
    fclose(f);
    buf_put(&b, "", 0);
    src->text = buf_detach(&b, &src->len);
    return 0;
}

static int dir_load(void *self, const char *name, size_t len, tmpl_source *src, buf *why)
{
    dir_loader *dl = self;
    buf path = BUF_INIT;
    char *real = NULL;
    size_t rl = strlen(dl->real);
    int rc = -1;

    if (!safe_name(name, len)) {
        buf_printf(why, "partial name '%.*s' leaves the template folder %s", (int)len, name,
                   dl->root);
        return -1;
    }
    for (int pass = dl->ext ? 0 : 1; pass < 2 && !real; pass++) {
        buf_reset(&path);
        buf_printf(&path, "%s/%.*s%s", dl->root, (int)len, name, pass == 0 ? dl->ext : "");
        real = realpath(path.ptr, NULL);
    }
    if (!real) {
        buf_printf(why, "unknown partial '%.*s': no file %s/%.*s%s", (int)len, name, dl->root,
                   (int)len, name, dl->ext ? dl->ext : "");
        goto out;
    }
    if (strncmp(real, dl->real, rl) != 0 || (real[rl] != '/' && dl->real[rl - 1] != '/')) {
        buf_printf(why, "partial '%.*s' resolves to %s, outside the template folder %s",
                   (int)len, name, real, dl->root);
        goto out;
    }
    if (read_all(real, src, why) != 0)
        goto out;
    src->path = buf_detach(&path, NULL);
    rc = 0;
out:
    free(real);
    buf_free(&path);
    return rc;
}

static void dir_release(void *self)
{
    dir_loader *dl = self;

    free(dl->root);
    free(dl->real);
    free(dl->ext);
    free(dl);
}

tmpl_loader *tmpl_loader_dir(const char *root, const char *ext, diag *d)
{
    dir_loader *dl;
    char *real = realpath(root, NULL);

    if (!real) {
        diag_error(d, root, 0, 0, "cannot open the template folder: %s", strerror(errno));
        return NULL;
    }
    dl = xcalloc(1, sizeof *dl);
    dl->root = xstrdup(root);
    dl->real = real;
    dl->ext = ext && *ext ? xstrdup(ext) : NULL;
    dl->ld.self = dl;
    dl->ld.load = dir_load;
    dl->ld.release = dir_release;
    return &dl->ld;
}

void tmpl_loader_free(tmpl_loader *ld)
{
    if (ld && ld->release)
        ld->release(ld->self);
}
