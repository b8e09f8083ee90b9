/*
** Styles: CSS text → tokens → rules and declarations → computed style per element.
**
** The parser follows CSS Syntax Level 3 in miniature: a tokenizer (comments, strings with
** escapes, numbers and dimensions, hashes, at-keywords, functions, url()) feeds a parser of
** rule lists, at-rules and declaration blocks. Errors recover at the next rule or
** declaration, as browsers do: broken syntax is an `error:`, a property or value outside the
** subset (README.md, "CSS in baocao") is a `warning:`. Shorthands (margin, border, font, list-style, ...)
** are expanded to longhands when parsed, so the cascade only deals with longhands.
**
** The cascade indexes every selector by its rightmost compound (id, else a class, else the
** type, else universal), so an element is tested only against rules that can match it. For
** each element the matching declarations are sorted by origin, specificity and source order;
** the winner for each property is computed, font-size first because em depends on it.
** The user-agent sheet (style_ua_sheet) is parsed once per process.
**
** @import is honoured in sheets read from files only: the imported file is read and parsed
** where its @import stands, with its own folder as the base of url(), so its rules, @font-face
** and @page come before the importer's as if inlined. Each file read is kept (style_files),
** with its text and the bytes of the @import that pulled it in, for the HTML backend and for
** the build's inputs. Cycles are found by comparing lexically tidied paths along the chain of
** importers; STYLE_MAX_IMPORT_DEPTH bounds the rest.
*/
#include "style.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "buf.h"
#include "fileio.h"
#include "xalloc.h"

#define STYLE_MAX_COMPOUNDS 32   /* longer selectors are mistakes; bounds matching recursion */
#define STYLE_MAX_NESTING 64     /* nested @media blocks; deeper is a generator gone wrong */
#define STYLE_MAX_CONTENT 64     /* items in a margin box's content */
#define STYLE_MAX_IMPORT_DEPTH 16 /* sheets importing sheets; deeper is a loop gone unseen */

/***  Tokens  ***/

typedef enum tok_kind {
    T_EOF, T_WS, T_IDENT, T_FUNCTION, T_AT, T_HASH, T_STRING, T_BAD_STRING, T_URL, T_BAD_URL,
    T_NUMBER, T_PERCENT, T_DIMENSION, T_COLON, T_SEMI, T_COMMA, T_LBRACE, T_RBRACE, T_LPAREN,
    T_RPAREN, T_LBRACKET, T_RBRACKET, T_DELIM
} tok_kind;

typedef struct tok {
    tok_kind kind;
    int is_id;      /* T_HASH: the name is a valid identifier */
    int is_int;     /* T_NUMBER/T_DIMENSION: written without '.' or exponent */
    unsigned line, col;
    size_t off;     /* byte offset in the text: @import rules are cut out by the HTML backend */
    float num;      /* T_NUMBER, T_PERCENT, T_DIMENSION */
    int delim;      /* T_DELIM: the character */
    const char *s;  /* ident, function name, at-keyword, hash, string, url, unit */
} tok;

typedef struct lexer {
    const char *p, *end;
    const char *base, *start; /* the text; where the token being read starts */
    unsigned line, col;
    arena *a;
    tok *t;
    size_t n, cap;
} lexer;

/***  Declarations, rules, selectors  ***/

typedef enum prop {
    P_DISPLAY, P_FONT_FAMILY, P_FONT_SIZE, P_FONT_WEIGHT, P_FONT_STYLE, P_LINE_HEIGHT, P_COLOR,
    P_TEXT_ALIGN, P_TEXT_INDENT, P_TEXT_TRANSFORM, P_WHITE_SPACE, P_ORPHANS, P_WIDOWS,
    P_LIST_STYLE_TYPE, P_BORDER_COLLAPSE, P_BORDER_SPACING, P_TEXT_DECORATION,
    P_VERTICAL_ALIGN, P_BACKGROUND_COLOR,
    P_MARGIN_TOP, P_MARGIN_RIGHT, P_MARGIN_BOTTOM, P_MARGIN_LEFT,
    P_PADDING_TOP, P_PADDING_RIGHT, P_PADDING_BOTTOM, P_PADDING_LEFT,
    P_BORDER_TOP_WIDTH, P_BORDER_RIGHT_WIDTH, P_BORDER_BOTTOM_WIDTH, P_BORDER_LEFT_WIDTH,
    P_BORDER_TOP_STYLE, P_BORDER_RIGHT_STYLE, P_BORDER_BOTTOM_STYLE, P_BORDER_LEFT_STYLE,
    P_BORDER_TOP_COLOR, P_BORDER_RIGHT_COLOR, P_BORDER_BOTTOM_COLOR, P_BORDER_LEFT_COLOR,
    P_WIDTH, P_HEIGHT, P_MIN_WIDTH, P_MAX_WIDTH, P_BREAK_BEFORE, P_BREAK_AFTER,
    P_BREAK_INSIDE, P_TABLE_LAYOUT, P_PAGE,
    P_STYLE_COUNT, /* the properties above are fields of `style`; below, @page only */
    P_CONTENT = P_STYLE_COUNT, P_SIZE, P_COUNT
} prop;

typedef enum vkind { V_INHERIT = 1, V_INITIAL, V_UNSET, V_LEN, V_NUM, V_KW, V_COLOR, V_STR,
                     V_CONTENT } vkind;
typedef enum unit { U_PT, U_EM, U_REM, U_PCT, U_AUTO } unit;

typedef struct decl {
    unsigned char prop, kind, unit, important;
    float v, v2;           /* V_LEN, V_NUM; V2 the second length of `size` */
    int kw;                /* V_KW */
    rgba color;            /* V_COLOR */
    const char *s;         /* V_STR */
    const content_item *content;
    size_t ncontent;
} decl;

typedef struct decls {
    decl *d;
    size_t n, cap;
} decls;

enum { PSEUDO_FIRST = 1, PSEUDO_LAST = 2, PSEUDO_ROOT = 4, PSEUDO_LINK = 8,
       PSEUDO_NEVER = 16 /* :hover and friends: valid, but never true on paper */ };

typedef struct compound {
    const char *type; /* lower case; NULL for any */
    const char *id;
    const char **cls;
    unsigned ncls;
    unsigned pseudo;
    int comb; /* how it relates to the compound on its left: ' ' descendant, '>' child */
} compound;

typedef struct rule {
    const decl *d;
    size_t n;
} rule;

typedef struct selector {
    compound *c; /* left to right */
    unsigned n;
    unsigned spec;  /* ids << 16 | classes << 8 | types */
    unsigned order; /* source order of the rule */
    const rule *rule;
} selector;

/* Index bucket: every selector whose rightmost compound has this key. */
typedef struct bucket {
    const char *key; /* NULL: empty slot */
    int kind;        /* '#', '.', 't' */
    const selector **sel;
    size_t n, cap;
} bucket;

typedef struct page_rule {
    const char *name; /* @page NAME; NULL for any page */
    int first;
    decls page;
    decls box[MB_COUNT];
    int has_box[MB_COUNT];
} page_rule;

struct stylesheet {
    char *name;
    arena *a;
    selector *sel;
    size_t nsel, selcap;
    unsigned nrules;
    bucket *tab;
    size_t tabcap, tabn;
    const selector **any;
    size_t nany, anycap;
    style_font_face *ff;
    size_t nff, ffcap;
    page_rule *pr;
    size_t npr, prcap;
    style_file *files; /* the sheet and its imports, as read (style_read) */
    size_t nfiles, filecap;
};

/***  Parser state  ***/

typedef struct parser {
    stylesheet *ss;
    const char *file;
    diag *d;
    arena *a;
    const tok *t;
    size_t n, i;
    const char *dir; /* folder of FILE with a trailing '/', or "": the base of url() */
    unsigned line0; /* style="" attributes: every message points at the element's line */
    int depth;
    const char *src;   /* the text being parsed, for the bytes of its @import rules */
    size_t findex;     /* FILE's index in ss->files; STYLE_NO_PARENT: text not read from a file */
    int late;          /* a rule other than @charset/@import was seen: an @import is too late */
    int imports_only;  /* stop at the first rule after the @import rules */
    int print;         /* the rules are in the cascade (every @import on the way allows print) */
    int quiet;         /* style_read_imports: only errors about @import are reported */
} parser;

static void warn(parser *p, unsigned line, unsigned col, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static void fail(parser *p, unsigned line, unsigned col, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static void report(parser *p, int err, unsigned line, unsigned col, const char *fmt, va_list ap)
{
    buf m = BUF_INIT;

    if (!p->d || p->quiet)
        return;
    buf_vprintf(&m, fmt, ap);
    if (p->line0) {
        line = p->line0;
        col = 0;
    }
    if (err)
        diag_error(p->d, p->file, line, col, "%s", buf_cstr(&m));
    else
        diag_warning(p->d, p->file, line, col, "%s", buf_cstr(&m));
    buf_free(&m);
}

static void warn(parser *p, unsigned line, unsigned col, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    report(p, 0, line, col, fmt, ap);
    va_end(ap);
}

static void fail(parser *p, unsigned line, unsigned col, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    report(p, 1, line, col, fmt, ap);
    va_end(ap);
}

/***  Tokenizer  ***/

static int peekc(const lexer *lx, size_t k)
{
    return (size_t)(lx->end - lx->p) > k ? (unsigned char)lx->p[k] : -1;
}

static void advance(lexer *lx, size_t k)
{
    while (k-- && lx->p < lx->end) {
        int c = (unsigned char)*lx->p++;

        if (c == '\n' || c == '\f' || (c == '\r' && (lx->p >= lx->end || *lx->p != '\n'))) {
            lx->line++;
            lx->col = 1;
        } else if ((c & 0xC0) != 0x80) {
            lx->col++; /* columns count characters, not bytes */
        }
    }
}

static int is_name_start(int c)
{
    return c >= 0x80 || isalpha(c) || c == '_';
}

static int is_name(int c)
{
    return is_name_start(c) || isdigit(c) || c == '-';
}

static int is_nl(int c)
{
    return c == '\n' || c == '\r' || c == '\f';
}

static int is_ws(int c)
{
    return c == ' ' || c == '\t' || is_nl(c);
}

static int valid_escape(const lexer *lx, size_t k)
{
    return peekc(lx, k) == '\\' && peekc(lx, k + 1) != -1 && !is_nl(peekc(lx, k + 1));
}

static int starts_ident(const lexer *lx, size_t k)
{
    int c = peekc(lx, k);

    if (c == '-')
        return is_name_start(peekc(lx, k + 1)) || peekc(lx, k + 1) == '-' ||
               valid_escape(lx, k + 1);
    return is_name_start(c) || valid_escape(lx, k);
}

static void put_utf8(buf *b, unsigned long cp)
{
    if (cp == 0 || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
        cp = 0xFFFD;
    if (cp < 0x80) {
        buf_putc(b, (int)cp);
    } else if (cp < 0x800) {
        buf_putc(b, (int)(0xC0 | (cp >> 6)));
        buf_putc(b, (int)(0x80 | (cp & 0x3F)));
    } else if (cp < 0x10000) {
        buf_putc(b, (int)(0xE0 | (cp >> 12)));
        buf_putc(b, (int)(0x80 | ((cp >> 6) & 0x3F)));
        buf_putc(b, (int)(0x80 | (cp & 0x3F)));
    } else {
        buf_putc(b, (int)(0xF0 | (cp >> 18)));
        buf_putc(b, (int)(0x80 | ((cp >> 12) & 0x3F)));
        buf_putc(b, (int)(0x80 | ((cp >> 6) & 0x3F)));
        buf_putc(b, (int)(0x80 | (cp & 0x3F)));
    }
}

/* After a backslash (already consumed): appends the escaped character. */
static void read_escape(lexer *lx, buf *b)
{
    int c = peekc(lx, 0);

    if (c == -1) {
        put_utf8(b, 0xFFFD);
    } else if (isxdigit(c)) {
        unsigned long cp = 0;

        for (int k = 0; k < 6 && isxdigit(peekc(lx, 0)); k++) {
            c = peekc(lx, 0);
            cp = cp * 16 + (unsigned long)(isdigit(c) ? c - '0' : (tolower(c) - 'a' + 10));
            advance(lx, 1);
        }
        if (peekc(lx, 0) == '\r' && peekc(lx, 1) == '\n')
            advance(lx, 2);
        else if (is_ws(peekc(lx, 0)))
            advance(lx, 1);
        put_utf8(b, cp);
    } else {
        buf_putc(b, c);
        advance(lx, 1);
    }
}

static const char *read_name(lexer *lx)
{
    buf b = BUF_INIT;
    const char *s;

    for (;;) {
        int c = peekc(lx, 0);

        if (c != -1 && is_name(c)) {
            buf_putc(&b, c);
            advance(lx, 1);
        } else if (valid_escape(lx, 0)) {
            advance(lx, 1);
            read_escape(lx, &b);
        } else {
            break;
        }
    }
    s = arena_strndup(lx->a, buf_cstr(&b), b.len);
    buf_free(&b);
    return s;
}

static tok *push_tok(lexer *lx, tok_kind k, unsigned line, unsigned col)
{
    tok *t;

    if (lx->n == lx->cap) {
        lx->cap = lx->cap ? lx->cap * 2 : 256;
        lx->t = xrealloc(lx->t, lx->cap * sizeof *lx->t);
    }
    t = &lx->t[lx->n++];
    memset(t, 0, sizeof *t);
    t->off = (size_t)(lx->start - lx->base);
    t->kind = k;
    t->line = line;
    t->col = col;
    return t;
}

static void read_string(lexer *lx, parser *p, tok *t)
{
    int q = peekc(lx, 0);
    buf b = BUF_INIT;

    advance(lx, 1);
    t->kind = T_STRING;
    for (;;) {
        int c = peekc(lx, 0);

        if (c == -1) {
            fail(p, t->line, t->col, "unterminated string");
            break;
        }
        if (c == q) {
            advance(lx, 1);
            break;
        }
        if (is_nl(c)) {
            fail(p, t->line, t->col, "unterminated string");
            t->kind = T_BAD_STRING;
            break;
        }
        if (c == '\\') {
            if (peekc(lx, 1) == -1) {
                advance(lx, 1);
            } else if (is_nl(peekc(lx, 1))) {
                advance(lx, peekc(lx, 1) == '\r' && peekc(lx, 2) == '\n' ? 3 : 2);
            } else {
                advance(lx, 1);
                read_escape(lx, &b);
            }
            continue;
        }
        buf_putc(&b, c);
        advance(lx, 1);
    }
    t->s = arena_strndup(lx->a, buf_cstr(&b), b.len);
    buf_free(&b);
}

static void read_url(lexer *lx, parser *p, tok *t)
{
    buf b = BUF_INIT;

    t->kind = T_URL;
    while (is_ws(peekc(lx, 0)))
        advance(lx, 1);
    for (;;) {
        int c = peekc(lx, 0);

        if (c == -1) {
            fail(p, t->line, t->col, "unterminated url()");
            break;
        }
        if (c == ')') {
            advance(lx, 1);
            break;
        }
        if (is_ws(c)) {
            while (is_ws(peekc(lx, 0)))
                advance(lx, 1);
            if (peekc(lx, 0) == ')' || peekc(lx, 0) == -1)
                continue;
            t->kind = T_BAD_URL;
        } else if (c == '"' || c == '\'' || c == '(') {
            t->kind = T_BAD_URL;
        } else if (c == '\\' && valid_escape(lx, 0)) {
            advance(lx, 1);
            read_escape(lx, &b);
            continue;
        }
        if (t->kind == T_BAD_URL) { /* consume the remnants up to ')' */
            while (peekc(lx, 0) != -1 && peekc(lx, 0) != ')')
                advance(lx, peekc(lx, 0) == '\\' ? 2 : 1);
            advance(lx, 1);
            fail(p, t->line, t->col, "bad url()");
            break;
        }
        buf_putc(&b, c);
        advance(lx, 1);
    }
    t->s = arena_strndup(lx->a, buf_cstr(&b), b.len);
    buf_free(&b);
}

static int starts_number(const lexer *lx)
{
    int c = peekc(lx, 0);

    if (c == '+' || c == '-') {
        c = peekc(lx, 1);
        return isdigit(c) || (c == '.' && isdigit(peekc(lx, 2)));
    }
    return isdigit(c) || (c == '.' && isdigit(peekc(lx, 1)));
}

static void read_number(lexer *lx, tok *t)
{
    char tmp[64];
    size_t k = 0;
    int c;

    t->is_int = 1;
    c = peekc(lx, k);
    if (c == '+' || c == '-')
        k++;
    while (isdigit(peekc(lx, k)))
        k++;
    if (peekc(lx, k) == '.' && isdigit(peekc(lx, k + 1))) {
        t->is_int = 0;
        k++;
        while (isdigit(peekc(lx, k)))
            k++;
    }
    c = peekc(lx, k);
    if ((c == 'e' || c == 'E') && (isdigit(peekc(lx, k + 1)) ||
                                   ((peekc(lx, k + 1) == '+' || peekc(lx, k + 1) == '-') &&
                                    isdigit(peekc(lx, k + 2))))) {
        t->is_int = 0;
        k += 2;
        while (isdigit(peekc(lx, k)))
            k++;
    }
    {
        size_t m = k < sizeof tmp - 1 ? k : sizeof tmp - 1;
        double v;

        memcpy(tmp, lx->p, m);
        tmp[m] = 0;
        v = strtod(tmp, NULL);
        if (!(v < 1e30 && v > -1e30)) /* keeps floats finite; such values are invalid anyway */
            v = v < 0 ? -1e30 : 1e30;
        t->num = (float)v;
    }
    advance(lx, k);
    if (starts_ident(lx, 0)) {
        t->kind = T_DIMENSION;
        t->s = read_name(lx);
    } else if (peekc(lx, 0) == '%') {
        t->kind = T_PERCENT;
        advance(lx, 1);
    } else {
        t->kind = T_NUMBER;
    }
}

static void read_ident_like(lexer *lx, parser *p, tok *t)
{
    const char *name = read_name(lx);

    t->s = name;
    if (peekc(lx, 0) != '(') {
        t->kind = T_IDENT;
        return;
    }
    advance(lx, 1);
    if (strcasecmp(name, "url") == 0) {
        size_t k = 0;

        while (is_ws(peekc(lx, k)))
            k++;
        if (peekc(lx, k) != '"' && peekc(lx, k) != '\'') {
            read_url(lx, p, t);
            return;
        }
    }
    t->kind = T_FUNCTION;
}

/* Tokenizes all of CSS into LX->t, ending with T_EOF; comments are dropped. */
static void tokenize(lexer *lx, parser *p)
{
    while (lx->p < lx->end) {
        int c = peekc(lx, 0);
        unsigned line = lx->line, col = lx->col;
        tok *t;

        lx->start = lx->p;
        if (c == '/' && peekc(lx, 1) == '*') {
            const char *e = NULL;

            for (const char *q = lx->p + 2; q + 1 < lx->end; q++)
                if (q[0] == '*' && q[1] == '/') {
                    e = q + 2;
                    break;
                }
            if (!e) {
                fail(p, line, col, "unterminated comment");
                e = lx->end;
            }
            advance(lx, (size_t)(e - lx->p));
            continue;
        }
        if (is_ws(c)) {
            while (is_ws(peekc(lx, 0)))
                advance(lx, 1);
            if (lx->n == 0 || lx->t[lx->n - 1].kind != T_WS)
                push_tok(lx, T_WS, line, col);
            continue;
        }
        if (c == '<' && peekc(lx, 1) == '!' && peekc(lx, 2) == '-' && peekc(lx, 3) == '-') {
            advance(lx, 4); /* CDO, CDC: HTML comment markers are ignored */
            continue;
        }
        if (c == '-' && peekc(lx, 1) == '-' && peekc(lx, 2) == '>') {
            advance(lx, 3);
            continue;
        }
        t = push_tok(lx, T_DELIM, line, col);
        if (c == '"' || c == '\'') {
            read_string(lx, p, t);
        } else if (starts_number(lx)) {
            read_number(lx, t);
        } else if (starts_ident(lx, 0)) {
            read_ident_like(lx, p, t);
        } else if (c == '#' && (is_name(peekc(lx, 1)) || valid_escape(lx, 1))) {
            advance(lx, 1);
            t->kind = T_HASH;
            t->is_id = starts_ident(lx, 0);
            t->s = read_name(lx);
        } else if (c == '@' && starts_ident(lx, 1)) {
            advance(lx, 1);
            t->kind = T_AT;
            t->s = read_name(lx);
        } else {
            static const char single[] = ":;,{}()[]";
            static const tok_kind kinds[] = { T_COLON,  T_SEMI,   T_COMMA,
                                              T_LBRACE, T_RBRACE, T_LPAREN,
                                              T_RPAREN, T_LBRACKET, T_RBRACKET };
            const char *s = c ? strchr(single, c) : NULL;

            if (s) {
                t->kind = kinds[s - single];
            } else {
                t->delim = c;
            }
            advance(lx, 1);
            if (c >= 0x80) /* a stray multi-byte character: one DELIM for all its bytes */
                while (lx->p < lx->end && ((unsigned char)*lx->p & 0xC0) == 0x80)
                    advance(lx, 1);
            if (t->kind == T_LBRACE && p->imports_only)
                break; /* the first block: the @import rules are all before it */
        }
    }
    lx->start = lx->p;
    push_tok(lx, T_EOF, lx->line, lx->col);
}

/***  Token helpers for the parser  ***/

static const tok *cur(const parser *p)
{
    return &p->t[p->i < p->n ? p->i : p->n - 1];
}

static void skip_ws(parser *p)
{
    while (cur(p)->kind == T_WS)
        p->i++;
}

static int is_open(tok_kind k)
{
    return k == T_LBRACE || k == T_LPAREN || k == T_LBRACKET || k == T_FUNCTION;
}

static tok_kind closer(tok_kind k)
{
    return k == T_LBRACE ? T_RBRACE : k == T_LBRACKET ? T_RBRACKET : T_RPAREN;
}

/* Index after the component value at I (a block or function is taken whole). */
static size_t skip_component(const tok *t, size_t n, size_t i)
{
    tok_kind stack[STYLE_MAX_NESTING];
    int depth = 0;

    if (i >= n || t[i].kind == T_EOF)
        return i;
    do {
        tok_kind k = t[i].kind;

        if (k == T_EOF)
            return i;
        if (is_open(k)) {
            if (depth < STYLE_MAX_NESTING)
                stack[depth] = closer(k);
            depth++;
        } else if (depth > 0 && depth <= STYLE_MAX_NESTING && k == stack[depth - 1]) {
            depth--;
        } else if (depth > STYLE_MAX_NESTING && (k == T_RPAREN || k == T_RBRACE ||
                                                 k == T_RBRACKET)) {
            depth--;
        }
        i++;
    } while (depth > 0 && i < n);
    return i;
}

static int ieq(const char *a, const char *b)
{
    return a && strcasecmp(a, b) == 0;
}

static int is_ident(const tok *t, const char *name)
{
    return t->kind == T_IDENT && ieq(t->s, name);
}

/***  Values  ***/

typedef struct kw {
    const char *name;
    int v;
} kw;

static const kw display_kw[] = {
    { "inline", DISPLAY_INLINE }, { "block", DISPLAY_BLOCK }, { "none", DISPLAY_NONE },
    { "list-item", DISPLAY_LIST_ITEM }, { "inline-block", DISPLAY_INLINE_BLOCK },
    { "table", DISPLAY_TABLE }, { "inline-table", DISPLAY_TABLE },
    { "table-caption", DISPLAY_TABLE_CAPTION },
    { "table-header-group", DISPLAY_TABLE_HEADER_GROUP },
    { "table-row-group", DISPLAY_TABLE_ROW_GROUP },
    { "table-footer-group", DISPLAY_TABLE_FOOTER_GROUP }, { "table-row", DISPLAY_TABLE_ROW },
    { "table-cell", DISPLAY_TABLE_CELL }, { "table-column-group", DISPLAY_TABLE_COLUMN_GROUP },
    { "table-column", DISPLAY_TABLE_COLUMN },
    { "flow-root", DISPLAY_BLOCK }, /* a block formatting context is all we have */
    { NULL, 0 }
};
static const kw align_kw[] = { { "left", ALIGN_LEFT }, { "right", ALIGN_RIGHT },
                               { "center", ALIGN_CENTER }, { "justify", ALIGN_JUSTIFY },
                               { "start", ALIGN_LEFT }, { "end", ALIGN_RIGHT },
                               { NULL, 0 } };
static const kw transform_kw[] = { { "none", TRANSFORM_NONE }, { "uppercase", TRANSFORM_UPPERCASE },
                                   { "lowercase", TRANSFORM_LOWERCASE },
                                   { "capitalize", TRANSFORM_CAPITALIZE }, { NULL, 0 } };
static const kw ws_kw[] = { { "normal", WS_NORMAL }, { "nowrap", WS_NOWRAP }, { "pre", WS_PRE },
                            { "pre-wrap", WS_PRE_WRAP }, { "pre-line", WS_PRE_LINE },
                            { "break-spaces", WS_PRE_WRAP }, { NULL, 0 } };
static const kw valign_kw[] = {
    { "baseline", VALIGN_BASELINE }, { "sub", VALIGN_SUB }, { "super", VALIGN_SUPER },
    { "top", VALIGN_TOP }, { "middle", VALIGN_MIDDLE }, { "bottom", VALIGN_BOTTOM },
    { "text-top", VALIGN_TEXT_TOP }, { "text-bottom", VALIGN_TEXT_BOTTOM }, { NULL, 0 }
};
static const kw bstyle_kw[] = {
    { "none", BORDER_NONE }, { "hidden", BORDER_NONE }, { "solid", BORDER_SOLID },
    { "dotted", BORDER_DOTTED }, { "dashed", BORDER_DASHED }, { "double", BORDER_DOUBLE },
    /* 3-D styles are drawn solid: a printed report has no light source */
    { "groove", BORDER_SOLID }, { "ridge", BORDER_SOLID }, { "inset", BORDER_SOLID },
    { "outset", BORDER_SOLID }, { NULL, 0 }
};
static const kw break_kw[] = { { "auto", BREAK_AUTO }, { "page", BREAK_PAGE },
                               { "always", BREAK_PAGE }, { "left", BREAK_PAGE },
                               { "right", BREAK_PAGE }, { "recto", BREAK_PAGE },
                               { "verso", BREAK_PAGE }, { "avoid", BREAK_AVOID },
                               { "avoid-page", BREAK_AVOID }, { NULL, 0 } };
static const kw break_inside_kw[] = { { "auto", BREAK_AUTO }, { "avoid", BREAK_AVOID },
                                      { "avoid-page", BREAK_AVOID }, { NULL, 0 } };
static const kw list_kw[] = {
    { "disc", LIST_DISC }, { "circle", LIST_CIRCLE }, { "square", LIST_SQUARE },
    { "decimal", LIST_DECIMAL }, { "lower-alpha", LIST_LOWER_ALPHA },
    { "lower-latin", LIST_LOWER_ALPHA }, { "upper-alpha", LIST_UPPER_ALPHA },
    { "upper-latin", LIST_UPPER_ALPHA }, { "lower-roman", LIST_LOWER_ROMAN },
    { "upper-roman", LIST_UPPER_ROMAN }, { "none", LIST_NONE }, { NULL, 0 }
};
static const kw collapse_kw[] = { { "collapse", 1 }, { "separate", 0 }, { NULL, 0 } };
static const kw layout_kw[] = { { "auto", 0 }, { "fixed", 1 }, { NULL, 0 } };
static const kw fstyle_kw[] = { { "normal", 0 }, { "italic", 1 }, { "oblique", 1 }, { NULL, 0 } };

enum { FW_BOLDER = -1, FW_LIGHTER = -2 };
enum { FS_LARGER = -1, FS_SMALLER = -2 };

static int lookup_kw(const kw *k, const char *s, int *out)
{
    for (; k->name; k++)
        if (ieq(s, k->name)) {
            *out = k->v;
            return 0;
        }
    return -1;
}

static const struct named_color {
    const char *name;
    uint32_t rgb;
} colors[] = {
    { "black", 0x000000 }, { "silver", 0xc0c0c0 }, { "gray", 0x808080 }, { "grey", 0x808080 },
    { "white", 0xffffff }, { "maroon", 0x800000 }, { "red", 0xff0000 }, { "purple", 0x800080 },
    { "fuchsia", 0xff00ff }, { "magenta", 0xff00ff }, { "green", 0x008000 },
    { "lime", 0x00ff00 }, { "olive", 0x808000 }, { "yellow", 0xffff00 }, { "navy", 0x000080 },
    { "blue", 0x0000ff }, { "teal", 0x008080 }, { "aqua", 0x00ffff }, { "cyan", 0x00ffff },
    { "orange", 0xffa500 }, { "darkblue", 0x00008b }, { "darkred", 0x8b0000 },
    { "darkgreen", 0x006400 }, { "darkgray", 0xa9a9a9 }, { "darkgrey", 0xa9a9a9 },
    { "dimgray", 0x696969 }, { "dimgrey", 0x696969 }, { "lightgray", 0xd3d3d3 },
    { "lightgrey", 0xd3d3d3 }, { "gainsboro", 0xdcdcdc }, { "whitesmoke", 0xf5f5f5 },
    { "brown", 0xa52a2a }, { "crimson", 0xdc143c }, { "firebrick", 0xb22222 },
    { "gold", 0xffd700 }, { "goldenrod", 0xdaa520 }, { "khaki", 0xf0e68c },
    { "beige", 0xf5f5dc }, { "ivory", 0xfffff0 }, { "linen", 0xfaf0e6 },
    { "lightblue", 0xadd8e6 }, { "lightyellow", 0xffffe0 }, { "lightgreen", 0x90ee90 },
    { "lightcyan", 0xe0ffff }, { "lightpink", 0xffb6c1 }, { "pink", 0xffc0cb },
    { "skyblue", 0x87ceeb }, { "steelblue", 0x4682b4 }, { "royalblue", 0x4169e1 },
    { "dodgerblue", 0x1e90ff }, { "midnightblue", 0x191970 }, { "slategray", 0x708090 },
    { "slategrey", 0x708090 }, { "tomato", 0xff6347 }, { "coral", 0xff7f50 },
    { "salmon", 0xfa8072 }, { "orangered", 0xff4500 }, { "darkorange", 0xff8c00 },
    { "indigo", 0x4b0082 }, { "violet", 0xee82ee }, { "forestgreen", 0x228b22 },
    { "seagreen", 0x2e8b57 }, { "darkslategray", 0x2f4f4f }, { "darkslategrey", 0x2f4f4f },
    { "tan", 0xd2b48c }, { "chocolate", 0xd2691e }, { "sienna", 0xa0522d },
    { "wheat", 0xf5deb3 }, { "lavender", 0xe6e6fa }, { "honeydew", 0xf0fff0 },
    { "aliceblue", 0xf0f8ff }, { "ghostwhite", 0xf8f8ff }, { "snow", 0xfffafa },
    { "mintcream", 0xf5fffa }, { "azure", 0xf0ffff }, { "cornsilk", 0xfff8dc },
    { "lemonchiffon", 0xfffacd }, { "papayawhip", 0xffefd5 }, { "olivedrab", 0x6b8e23 },
    { "darkcyan", 0x008b8b }, { "darkmagenta", 0x8b008b }, { "darkviolet", 0x9400d3 },
    { "cadetblue", 0x5f9ea0 }, { "cornflowerblue", 0x6495ed }, { "rebeccapurple", 0x663399 },
    { NULL, 0 }
};

static rgba mkrgba(uint32_t rgb, int a)
{
    return (rgba){ (uint8_t)(rgb >> 16), (uint8_t)(rgb >> 8), (uint8_t)rgb, (uint8_t)a };
}

static int hexval(int c)
{
    return isdigit(c) ? c - '0' : tolower(c) - 'a' + 10;
}

static int parse_hex_color(const char *s, rgba *out)
{
    size_t n = strlen(s);
    int v[8] = { 0 };

    if (n != 3 && n != 4 && n != 6 && n != 8)
        return -1;
    for (size_t k = 0; k < n; k++) {
        if (!isxdigit((unsigned char)s[k]))
            return -1;
        v[k] = hexval((unsigned char)s[k]);
    }
    if (n <= 4) {
        *out = (rgba){ (uint8_t)(v[0] * 17), (uint8_t)(v[1] * 17), (uint8_t)(v[2] * 17),
                       (uint8_t)(n == 4 ? v[3] * 17 : 255) };
    } else {
        *out = (rgba){ (uint8_t)(v[0] * 16 + v[1]), (uint8_t)(v[2] * 16 + v[3]),
                       (uint8_t)(v[4] * 16 + v[5]),
                       (uint8_t)(n == 8 ? v[6] * 16 + v[7] : 255) };
    }
    return 0;
}

static uint8_t clamp255(float f)
{
    if (!(f > 0))
        return 0;
    return f >= 255 ? 255 : (uint8_t)lrintf(f);
}

/* rgb()/rgba() arguments in T[0..N): comma- or space-separated, percentages allowed. */
static int parse_rgb_args(const tok *t, size_t n, rgba *out)
{
    float v[4] = { 0, 0, 0, 1 };
    int k = 0;

    for (size_t i = 0; i < n; i++) {
        if (t[i].kind == T_WS || t[i].kind == T_COMMA ||
            (t[i].kind == T_DELIM && t[i].delim == '/'))
            continue;
        if (k == 4)
            return -1;
        if (t[i].kind == T_NUMBER)
            v[k] = t[i].num;
        else if (t[i].kind == T_PERCENT)
            v[k] = k == 3 ? t[i].num / 100 : t[i].num * 255 / 100;
        else
            return -1;
        k++;
    }
    if (k != 3 && k != 4)
        return -1;
    *out = (rgba){ clamp255(v[0]), clamp255(v[1]), clamp255(v[2]), clamp255(v[3] * 255) };
    return 0;
}

enum { COLOR_CURRENT = 1 };

/* A colour from the value tokens at I; advances I. Returns 0, COLOR_CURRENT or -1. */
static int parse_color(const tok *t, size_t n, size_t *i, rgba *out)
{
    const tok *c = &t[*i];

    if (c->kind == T_HASH) {
        if (parse_hex_color(c->s, out) != 0)
            return -1;
        (*i)++;
        return 0;
    }
    if (c->kind == T_IDENT) {
        if (ieq(c->s, "transparent")) {
            *out = (rgba){ 0, 0, 0, 0 };
            (*i)++;
            return 0;
        }
        if (ieq(c->s, "currentcolor")) {
            (*i)++;
            return COLOR_CURRENT;
        }
        for (size_t k = 0; colors[k].name; k++)
            if (ieq(c->s, colors[k].name)) {
                *out = mkrgba(colors[k].rgb, 255);
                (*i)++;
                return 0;
            }
        return -1;
    }
    if (c->kind == T_FUNCTION && (ieq(c->s, "rgb") || ieq(c->s, "rgba"))) {
        size_t e = skip_component(t, n, *i);

        if (e - *i < 2 || t[e - 1].kind != T_RPAREN)
            return -1;
        if (parse_rgb_args(t + *i + 1, e - *i - 2, out) != 0)
            return -1;
        *i = e;
        return 0;
    }
    return -1;
}

/* A length: absolute units to points, relative ones kept. FLAGS say what is allowed. */
enum { L_AUTO = 1, L_PCT = 2, L_NEG = 4 };
#define STYLE_MAX_LENGTH 1e7f /* points; beyond is a typo or an attack, and overflows */

static int parse_length(const tok *c, int flags, float *v, unit *u)
{
    static const struct {
        const char *name;
        float k;
        unit u;
    } units[] = { { "pt", 1, U_PT },          { "px", 0.75f, U_PT },
                  { "mm", 72 / 25.4f, U_PT }, { "cm", 72 / 2.54f, U_PT },
                  { "in", 72, U_PT },         { "pc", 12, U_PT },
                  { "q", 18 / 25.4f, U_PT },  { "em", 1, U_EM },
                  { "rem", 1, U_REM },        { "ex", 0.5f, U_EM },
                  { "ch", 0.5f, U_EM },       { NULL, 0, U_PT } };

    if (c->kind == T_IDENT && (flags & L_AUTO) && ieq(c->s, "auto")) {
        *v = 0;
        *u = U_AUTO;
        return 0;
    }
    if (c->kind == T_NUMBER && c->num == 0) {
        *v = 0;
        *u = U_PT;
        return 0;
    }
    if (c->kind == T_PERCENT && (flags & L_PCT)) {
        if ((c->num < 0 && !(flags & L_NEG)) || fabsf(c->num) > STYLE_MAX_LENGTH)
            return -1;
        *v = c->num;
        *u = U_PCT;
        return 0;
    }
    if (c->kind != T_DIMENSION || (c->num < 0 && !(flags & L_NEG)))
        return -1;
    for (size_t k = 0; units[k].name; k++)
        if (ieq(c->s, units[k].name)) {
            *v = c->num * units[k].k;
            *u = units[k].u;
            return fabsf(*v) > STYLE_MAX_LENGTH ? -1 : 0;
        }
    return -1;
}

/***  Declarations  ***/

typedef struct prop_info {
    const char *name;
    size_t off, size;
    int inherited;
} prop_info;

#define F(field) offsetof(style, field), sizeof(((style *)0)->field)
static const prop_info props[P_COUNT] = {
    [P_DISPLAY] = { "display", F(display), 0 },
    [P_FONT_FAMILY] = { "font-family", F(font_family), 1 },
    [P_FONT_SIZE] = { "font-size", F(font_size), 1 },
    [P_FONT_WEIGHT] = { "font-weight", F(font_weight), 1 },
    [P_FONT_STYLE] = { "font-style", F(font_italic), 1 },
    [P_LINE_HEIGHT] = { "line-height", offsetof(style, line_height_kind),
                        offsetof(style, line_height) + sizeof(float) -
                            offsetof(style, line_height_kind), 1 },
    [P_COLOR] = { "color", F(color), 1 },
    [P_TEXT_ALIGN] = { "text-align", F(text_align), 1 },
    [P_TEXT_INDENT] = { "text-indent", F(text_indent), 1 },
    [P_TEXT_TRANSFORM] = { "text-transform", F(text_transform), 1 },
    [P_WHITE_SPACE] = { "white-space", F(white_space), 1 },
    [P_ORPHANS] = { "orphans", F(orphans), 1 },
    [P_WIDOWS] = { "widows", F(widows), 1 },
    [P_LIST_STYLE_TYPE] = { "list-style-type", offsetof(style, list_style_type),
                            offsetof(style, list_style_string) + sizeof(const char *) -
                                offsetof(style, list_style_type), 1 },
    [P_BORDER_COLLAPSE] = { "border-collapse", F(border_collapse), 1 },
    [P_BORDER_SPACING] = { "border-spacing", F(border_spacing), 1 },
    [P_TEXT_DECORATION] = { "text-decoration-line", F(text_decoration), 0 },
    [P_VERTICAL_ALIGN] = { "vertical-align", F(vertical_align), 0 },
    [P_BACKGROUND_COLOR] = { "background-color", F(background_color), 0 },
    [P_MARGIN_TOP] = { "margin-top", F(margin[0]), 0 },
    [P_MARGIN_RIGHT] = { "margin-right", F(margin[1]), 0 },
    [P_MARGIN_BOTTOM] = { "margin-bottom", F(margin[2]), 0 },
    [P_MARGIN_LEFT] = { "margin-left", F(margin[3]), 0 },
    [P_PADDING_TOP] = { "padding-top", F(padding[0]), 0 },
    [P_PADDING_RIGHT] = { "padding-right", F(padding[1]), 0 },
    [P_PADDING_BOTTOM] = { "padding-bottom", F(padding[2]), 0 },
    [P_PADDING_LEFT] = { "padding-left", F(padding[3]), 0 },
    [P_BORDER_TOP_WIDTH] = { "border-top-width", F(border_width[0]), 0 },
    [P_BORDER_RIGHT_WIDTH] = { "border-right-width", F(border_width[1]), 0 },
    [P_BORDER_BOTTOM_WIDTH] = { "border-bottom-width", F(border_width[2]), 0 },
    [P_BORDER_LEFT_WIDTH] = { "border-left-width", F(border_width[3]), 0 },
    [P_BORDER_TOP_STYLE] = { "border-top-style", F(border_style[0]), 0 },
    [P_BORDER_RIGHT_STYLE] = { "border-right-style", F(border_style[1]), 0 },
    [P_BORDER_BOTTOM_STYLE] = { "border-bottom-style", F(border_style[2]), 0 },
    [P_BORDER_LEFT_STYLE] = { "border-left-style", F(border_style[3]), 0 },
    [P_BORDER_TOP_COLOR] = { "border-top-color", F(border_color[0]), 0 },
    [P_BORDER_RIGHT_COLOR] = { "border-right-color", F(border_color[1]), 0 },
    [P_BORDER_BOTTOM_COLOR] = { "border-bottom-color", F(border_color[2]), 0 },
    [P_BORDER_LEFT_COLOR] = { "border-left-color", F(border_color[3]), 0 },
    [P_WIDTH] = { "width", F(width), 0 },
    [P_HEIGHT] = { "height", F(height), 0 },
    [P_MIN_WIDTH] = { "min-width", F(min_width), 0 },
    [P_MAX_WIDTH] = { "max-width", F(max_width), 0 },
    [P_BREAK_BEFORE] = { "break-before", F(break_before), 0 },
    [P_BREAK_AFTER] = { "break-after", F(break_after), 0 },
    [P_BREAK_INSIDE] = { "break-inside", F(break_inside), 0 },
    [P_TABLE_LAYOUT] = { "table-layout", F(table_layout_fixed), 0 },
    [P_PAGE] = { "page", F(page), 0 },
    [P_CONTENT] = { "content", 0, 0, 0 },
    [P_SIZE] = { "size", 0, 0, 0 },
};
#undef F

/* Properties of real CSS the PDF backend leaves to the HTML output: accepted silently, so
 * one style sheet serves both without a warning per rule (README.md, "CSS in baocao", lists them). */
static const char *const ignored_props[] = {
    "font-variant", "font-stretch", "font-kerning", "font-feature-settings", "letter-spacing",
    "word-spacing", "text-shadow", "box-shadow", "border-radius", "border-top-left-radius",
    "border-top-right-radius", "border-bottom-left-radius", "border-bottom-right-radius",
    "float", "clear", "position", "top", "left", "right", "bottom", "z-index", "overflow",
    "overflow-x", "overflow-y", "cursor", "transition", "opacity", "hyphens", "quotes",
    "counter-reset", "counter-increment", "list-style-position", "list-style-image",
    "background-image", "background-repeat", "background-position", "background-size",
    "background-attachment", "background-clip", "background-origin", "outline",
    "outline-color", "outline-style", "outline-width", "outline-offset", "min-height",
    "max-height", "box-sizing", "caption-side", "empty-cells", "text-decoration-color",
    "text-decoration-style", "text-decoration-thickness", "text-underline-offset",
    "text-rendering", "word-break", "overflow-wrap", "word-wrap", "tab-size", "direction",
    "unicode-bidi", "visibility", "object-fit", "font-synthesis", "font-display",
    "unicode-range", "columns", "column-count", "column-gap", "gap", "flex", "flex-direction",
    "flex-wrap", "justify-content", "align-items", "align-content", "grid-template-columns",
    "print-color-adjust", "-webkit-print-color-adjust", "color-adjust", "text-align-last",
    "vertical-align-last", "line-break", "white-space-collapse", NULL
};

typedef struct vals {
    const tok *t; /* value tokens, whitespace removed */
    size_t n;
} vals;

static decl *add_decl(decls *ds, parser *p, int prop_id, int important)
{
    decl *d;

    if (ds->n == ds->cap) {
        size_t cap = ds->cap ? ds->cap * 2 : 8;
        decl *nd = arena_alloc(p->a, cap * sizeof *nd);

        if (ds->n)
            memcpy(nd, ds->d, ds->n * sizeof *nd);
        ds->d = nd;
        ds->cap = cap;
    }
    d = &ds->d[ds->n++];
    memset(d, 0, sizeof *d);
    d->prop = (unsigned char)prop_id;
    d->important = (unsigned char)important;
    return d;
}

static void add_len(decls *ds, parser *p, int pr, int imp, float v, unit u)
{
    decl *d = add_decl(ds, p, pr, imp);

    d->kind = V_LEN;
    d->v = v;
    d->unit = (unsigned char)u;
}

static void add_kw(decls *ds, parser *p, int pr, int imp, int k)
{
    decl *d = add_decl(ds, p, pr, imp);

    d->kind = V_KW;
    d->kw = k;
}

static void add_color(decls *ds, parser *p, int pr, int imp, rgba c, int current)
{
    decl *d = add_decl(ds, p, pr, imp);

    d->kind = current ? V_KW : V_COLOR;
    d->kw = COLOR_CURRENT;
    d->color = c;
}

/* The family list as written, normalised: "Quoted Name", Ident Words, generic. */
static const char *family_text(parser *p, const vals *v)
{
    buf b = BUF_INIT;
    const char *s;
    int need_comma = 0, in_idents = 0;

    for (size_t i = 0; i < v->n; i++) {
        const tok *t = &v->t[i];

        if (t->kind == T_COMMA) {
            if (!need_comma)
                goto bad;
            need_comma = 0;
            in_idents = 0;
            continue;
        }
        if (t->kind == T_STRING) {
            if (need_comma)
                goto bad;
            if (b.len)
                buf_puts(&b, ", ");
            buf_printf(&b, "\"%s\"", t->s);
            need_comma = 1;
        } else if (t->kind == T_IDENT) {
            if (need_comma && !in_idents)
                goto bad;
            if (in_idents)
                buf_putc(&b, ' ');
            else if (b.len)
                buf_puts(&b, ", ");
            buf_puts(&b, t->s);
            need_comma = 1;
            in_idents = 1;
        } else {
            goto bad;
        }
    }
    if (!need_comma)
        goto bad;
    s = arena_strdup(p->a, buf_cstr(&b));
    buf_free(&b);
    return s;
bad:
    buf_free(&b);
    return NULL;
}

static int font_size_value(const tok *t, float *v, unit *u, int *k)
{
    static const kw size_kw[] = {
        { "xx-small", 60 }, { "x-small", 75 }, { "small", 89 }, { "medium", 100 },
        { "large", 120 }, { "x-large", 150 }, { "xx-large", 200 }, { "xxx-large", 300 },
        { "larger", FS_LARGER }, { "smaller", FS_SMALLER }, { NULL, 0 }
    };
    int x;

    *k = 0;
    if (t->kind == T_IDENT && lookup_kw(size_kw, t->s, &x) == 0) {
        if (x < 0) {
            *k = x;
        } else {
            *v = 12.0f * (float)x / 100; /* medium is 16px = 12pt */
            *u = U_PT;
        }
        return 0;
    }
    return parse_length(t, L_PCT, v, u);
}

static int font_weight_value(const tok *t, int *w)
{
    if (t->kind == T_IDENT) {
        static const kw wkw[] = { { "normal", 400 }, { "bold", 700 }, { "bolder", FW_BOLDER },
                                  { "lighter", FW_LIGHTER }, { NULL, 0 } };

        return lookup_kw(wkw, t->s, w);
    }
    if (t->kind == T_NUMBER && t->num >= 1 && t->num <= 1000) {
        *w = (int)t->num;
        return 0;
    }
    return -1;
}

static int line_height_value(const tok *t, decl *d)
{
    float v;
    unit u;

    if (is_ident(t, "normal")) {
        d->kind = V_KW;
        d->kw = LH_NORMAL;
        return 0;
    }
    if (t->kind == T_NUMBER && t->num >= 0) {
        d->kind = V_NUM;
        d->v = t->num;
        return 0;
    }
    if (parse_length(t, L_PCT, &v, &u) != 0)
        return -1;
    d->kind = V_LEN;
    d->v = v;
    d->unit = (unsigned char)u;
    return 0;
}

static void add_font_size(decls *ds, parser *p, int imp, float v, unit u, int k)
{
    decl *d = add_decl(ds, p, P_FONT_SIZE, imp);

    if (k) {
        d->kind = V_KW;
        d->kw = k;
    } else {
        d->kind = V_LEN;
        d->v = v;
        d->unit = (unsigned char)u;
    }
}

/* font: [style || weight || variant]? size[/line-height]? family */
static int parse_font(decls *ds, parser *p, const vals *v, int imp)
{
    size_t i = 0;
    int italic = 0, weight = 400, k = 0, have_lh = 0;
    float sz = 0;
    unit su = U_PT;
    decl lh = { 0 };
    vals fam;
    const char *family;

    for (; i < v->n && i < 4; i++) {
        int x;

        if (is_ident(&v->t[i], "normal") || is_ident(&v->t[i], "small-caps"))
            continue;
        if (v->t[i].kind == T_IDENT && lookup_kw(fstyle_kw, v->t[i].s, &x) == 0)
            italic = x;
        else if (v->t[i].kind == T_IDENT && font_weight_value(&v->t[i], &x) == 0)
            weight = x;
        else if (v->t[i].kind == T_NUMBER && font_weight_value(&v->t[i], &x) == 0)
            weight = x;
        else
            break;
    }
    if (i >= v->n || font_size_value(&v->t[i], &sz, &su, &k) != 0)
        return -1;
    i++;
    if (i < v->n && v->t[i].kind == T_DELIM && v->t[i].delim == '/') {
        if (i + 1 >= v->n || line_height_value(&v->t[i + 1], &lh) != 0)
            return -1;
        have_lh = 1;
        i += 2;
    }
    fam.t = v->t + i;
    fam.n = v->n - i;
    family = family_text(p, &fam);
    if (!family)
        return -1;
    add_kw(ds, p, P_FONT_STYLE, imp, italic);
    add_kw(ds, p, P_FONT_WEIGHT, imp, weight);
    add_font_size(ds, p, imp, sz, su, k);
    {
        decl *d = add_decl(ds, p, P_LINE_HEIGHT, imp);

        if (have_lh) {
            lh.prop = P_LINE_HEIGHT;
            lh.important = (unsigned char)imp;
            *d = lh;
        } else {
            d->kind = V_KW;
            d->kw = LH_NORMAL;
        }
    }
    {
        decl *d = add_decl(ds, p, P_FONT_FAMILY, imp);

        d->kind = V_STR;
        d->s = family;
    }
    return 0;
}

/* 1 to 4 values for the four sides of FIRST (P_MARGIN_TOP ...), CSS order. */
static int parse_sides(decls *ds, parser *p, const vals *v, int imp, int first, int flags)
{
    float x[4];
    unit u[4];
    static const int from[4][4] = {
        { 0, 0, 0, 0 }, { 0, 1, 0, 1 }, { 0, 1, 2, 1 }, { 0, 1, 2, 3 }
    };

    if (v->n < 1 || v->n > 4)
        return -1;
    for (size_t i = 0; i < v->n; i++)
        if (parse_length(&v->t[i], flags, &x[i], &u[i]) != 0)
            return -1;
    for (int s = 0; s < 4; s++)
        add_len(ds, p, first + s, imp, x[from[v->n - 1][s]], u[from[v->n - 1][s]]);
    return 0;
}

static int border_width_value(const tok *t, float *w, unit *u)
{
    if (is_ident(t, "thin")) {
        *w = 0.75f;
        *u = U_PT;
    } else if (is_ident(t, "medium")) {
        *w = 2.25f;
        *u = U_PT;
    } else if (is_ident(t, "thick")) {
        *w = 3.75f;
        *u = U_PT;
    } else {
        return parse_length(t, 0, w, u);
    }
    return 0;
}

/* border, border-top ...: width || style || colour, for the sides in MASK. Omitted parts
 * are reset to their initial values, as the shorthand does. */
static int parse_border(decls *ds, parser *p, const vals *v, int imp, unsigned mask)
{
    float w = 2.25f;
    unit wu = U_PT;
    int bs = BORDER_NONE, cur_color = 1;
    rgba c = { 0, 0, 0, 0 };
    int have_w = 0, have_s = 0, have_c = 0;
    size_t i = 0;

    if (v->n == 0)
        return -1;
    while (i < v->n) {
        int x;

        if (!have_w && border_width_value(&v->t[i], &w, &wu) == 0) {
            have_w = 1;
            i++;
        } else if (!have_s && v->t[i].kind == T_IDENT && lookup_kw(bstyle_kw, v->t[i].s, &x) == 0) {
            bs = x;
            have_s = 1;
            i++;
        } else if (!have_c && (x = parse_color(v->t, v->n, &i, &c)) >= 0) {
            cur_color = x == COLOR_CURRENT;
            have_c = 1;
        } else {
            return -1;
        }
    }
    for (int s = 0; s < 4; s++) {
        if (!(mask & (1u << s)))
            continue;
        add_len(ds, p, P_BORDER_TOP_WIDTH + s, imp, w, wu);
        add_kw(ds, p, P_BORDER_TOP_STYLE + s, imp, bs);
        add_color(ds, p, P_BORDER_TOP_COLOR + s, imp, c, cur_color);
    }
    return 0;
}

static int parse_list_type(const tok *t, decl *d)
{
    int x;

    if (t->kind == T_STRING) {
        d->kind = V_STR;
        d->s = t->s;
        return 0;
    }
    if (t->kind == T_IDENT && lookup_kw(list_kw, t->s, &x) == 0) {
        d->kind = V_KW;
        d->kw = x;
        return 0;
    }
    return -1;
}

static int parse_text_decoration(const vals *v, int *bits)
{
    *bits = 0;
    for (size_t i = 0; i < v->n; i++) {
        const tok *t = &v->t[i];
        rgba c;
        size_t j = i;

        if (is_ident(t, "none") && v->n == 1)
            return 0;
        if (is_ident(t, "underline"))
            *bits |= DECOR_UNDERLINE;
        else if (is_ident(t, "line-through"))
            *bits |= DECOR_LINE_THROUGH;
        else if (is_ident(t, "overline"))
            *bits |= DECOR_OVERLINE;
        else if (is_ident(t, "none") || is_ident(t, "solid") || is_ident(t, "double") ||
                 is_ident(t, "dotted") || is_ident(t, "dashed") || is_ident(t, "wavy"))
            continue; /* a style: drawn solid */
        else if (parse_color(v->t, v->n, &j, &c) >= 0)
            i = j - 1; /* a colour: drawn in the text colour */
        else
            return -1;
    }
    return v->n ? 0 : -1;
}

static int parse_content(parser *p, const vals *v, decl *d)
{
    content_item items[STYLE_MAX_CONTENT];
    size_t n = 0;

    d->kind = V_CONTENT;
    if (v->n == 1 && (is_ident(&v->t[0], "none") || is_ident(&v->t[0], "normal"))) {
        d->content = NULL;
        d->ncontent = 0;
        return 0;
    }
    for (size_t i = 0; i < v->n; i++) {
        const tok *t = &v->t[i];

        if (n == STYLE_MAX_CONTENT)
            return -1;
        if (t->kind == T_STRING) {
            items[n].kind = CONTENT_STRING;
            items[n++].text = t->s;
        } else if (t->kind == T_FUNCTION && ieq(t->s, "counter") && i + 2 < v->n &&
                   v->t[i + 1].kind == T_IDENT) {
            size_t e = skip_component(v->t, v->n, i);
            const char *name = v->t[i + 1].s;

            /* counter(page) and counter(page, decimal): a style other than decimal is not
             * supported and rejects the value */
            if (!(e == i + 3 || (e == i + 5 && v->t[i + 2].kind == T_COMMA &&
                                 is_ident(&v->t[i + 3], "decimal"))) ||
                v->t[e - 1].kind != T_RPAREN)
                return -1;
            if (ieq(name, "page"))
                items[n].kind = CONTENT_PAGE;
            else if (ieq(name, "pages"))
                items[n].kind = CONTENT_PAGES;
            else
                return -1;
            items[n++].text = NULL;
            i = e - 1;
        } else {
            return -1;
        }
    }
    if (n == 0)
        return -1;
    {
        content_item *c = arena_alloc(p->a, n * sizeof *c);

        memcpy(c, items, n * sizeof *c);
        d->content = c;
        d->ncontent = n;
    }
    return 0;
}

static int page_size_value(const vals *v, decl *d)
{
    static const struct {
        const char *name;
        float w, h;
    } sizes[] = { { "a5", 419.53f, 595.28f },   { "a4", 595.28f, 841.89f },
                  { "a3", 841.89f, 1190.55f },  { "b5", 498.90f, 708.66f },
                  { "b4", 708.66f, 1000.63f },  { "letter", 612, 792 },
                  { "legal", 612, 1008 },       { "ledger", 792, 1224 },
                  { NULL, 0, 0 } };
    float w = 595.28f, h = 841.89f;
    int orient = 0, have_size = 0; /* orient: 1 portrait, 2 landscape */
    size_t i = 0;

    if (v->n == 1 && is_ident(&v->t[0], "auto")) {
        d->kind = V_LEN;
        d->v = w;
        d->v2 = h;
        return 0;
    }
    for (; i < v->n; i++) {
        const tok *t = &v->t[i];
        float x;
        unit u;

        if (is_ident(t, "landscape") || is_ident(t, "portrait")) {
            if (orient)
                return -1;
            orient = is_ident(t, "landscape") ? 2 : 1;
            continue;
        }
        if (have_size)
            return -1;
        have_size = 1;
        if (t->kind == T_IDENT) {
            size_t k;

            for (k = 0; sizes[k].name; k++)
                if (ieq(t->s, sizes[k].name))
                    break;
            if (!sizes[k].name)
                return -1;
            w = sizes[k].w;
            h = sizes[k].h;
        } else if (parse_length(t, 0, &x, &u) == 0 && u == U_PT && x > 0) {
            float y = x;

            if (i + 1 < v->n && v->t[i + 1].kind == T_DIMENSION) {
                if (parse_length(&v->t[i + 1], 0, &y, &u) != 0 || u != U_PT || y <= 0)
                    return -1;
                i++;
            }
            if (orient)
                return -1; /* explicit lengths take no orientation */
            w = x;
            h = y;
            have_size = 2;
        } else {
            return -1;
        }
    }
    if (have_size == 2 && orient)
        return -1;
    if ((orient == 2 && w < h) || (orient == 1 && w > h)) {
        float t = w;

        w = h;
        h = t;
    }
    d->kind = V_LEN;
    d->v = w;
    d->v2 = h;
    return 0;
}

static int side_index(const char *name, const char *prefix, const char *suffix)
{
    static const char *const sides[4] = { "top", "right", "bottom", "left" };
    size_t pl = strlen(prefix), sl = strlen(suffix), nl = strlen(name);

    if (nl <= pl + sl || strncasecmp(name, prefix, pl) != 0 ||
        strcasecmp(name + nl - sl, suffix) != 0)
        return -1;
    for (int s = 0; s < 4; s++)
        if (strlen(sides[s]) == nl - pl - sl && strncasecmp(name + pl, sides[s], nl - pl - sl) == 0)
            return s;
    return -1;
}

static int find_prop(const char *name)
{
    for (int k = 0; k < P_COUNT; k++)
        if (ieq(name, props[k].name))
            return k;
    if (ieq(name, "text-decoration"))
        return P_TEXT_DECORATION;
    return -1;
}

/* A longhand with one value. Returns 0, or -1 for a bad value. */
static int parse_longhand(decls *ds, parser *p, int pr, const vals *v, int imp)
{
    const tok *t = v->t;
    decl tmp = { 0 };
    int x;
    float f;
    unit u;

    if (pr == P_FONT_FAMILY) {
        const char *fam = family_text(p, v);

        if (!fam)
            return -1;
        tmp.kind = V_STR;
        tmp.s = fam;
        goto add;
    }
    if (pr == P_TEXT_DECORATION) {
        if (parse_text_decoration(v, &x) != 0)
            return -1;
        add_kw(ds, p, pr, imp, x);
        return 0;
    }
    if (pr == P_CONTENT) {
        if (parse_content(p, v, &tmp) != 0)
            return -1;
        goto add;
    }
    if (pr == P_SIZE) {
        if (page_size_value(v, &tmp) != 0)
            return -1;
        goto add;
    }
    if (pr == P_PAGE) { /* auto | <custom-ident> (case-sensitive, as CSS names are) */
        if (v->n != 1 || t[0].kind != T_IDENT)
            return -1;
        if (is_ident(&t[0], "auto")) {
            tmp.kind = V_KW;
            tmp.kw = 0;
        } else if (is_ident(&t[0], "default")) {
            return -1; /* not a <custom-ident> */
        } else {
            tmp.kind = V_STR;
            tmp.s = arena_strdup(p->a, t[0].s);
        }
        goto add;
    }
    if (pr == P_BORDER_SPACING) {
        if (v->n < 1 || v->n > 2 || parse_length(&t[0], 0, &f, &u) != 0 ||
            (v->n == 2 && parse_length(&t[1], 0, &f, &u) != 0))
            return -1;
        if (v->n == 2) /* horizontal and vertical: one value is kept, the vertical */
            parse_length(&t[1], 0, &f, &u);
        add_len(ds, p, pr, imp, f, u);
        return 0;
    }
    if (pr >= P_BORDER_TOP_COLOR && pr <= P_BORDER_LEFT_COLOR) {
        size_t i = 0;
        rgba c;

        if ((x = parse_color(t, v->n, &i, &c)) < 0 || i != v->n)
            return -1;
        add_color(ds, p, pr, imp, c, x == COLOR_CURRENT);
        return 0;
    }
    if (pr == P_COLOR || pr == P_BACKGROUND_COLOR) {
        size_t i = 0;
        rgba c;

        if ((x = parse_color(t, v->n, &i, &c)) < 0 || i != v->n)
            return -1;
        add_color(ds, p, pr, imp, c, x == COLOR_CURRENT);
        return 0;
    }
    if (v->n != 1)
        return -1;
    switch (pr) {
    case P_DISPLAY:
        return t->kind == T_IDENT && lookup_kw(display_kw, t->s, &x) == 0
                   ? (add_kw(ds, p, pr, imp, x), 0) : -1;
    case P_FONT_SIZE:
        if (font_size_value(t, &f, &u, &x) != 0)
            return -1;
        add_font_size(ds, p, imp, f, u, x);
        return 0;
    case P_FONT_WEIGHT:
        return font_weight_value(t, &x) == 0 ? (add_kw(ds, p, pr, imp, x), 0) : -1;
    case P_FONT_STYLE:
        return t->kind == T_IDENT && lookup_kw(fstyle_kw, t->s, &x) == 0
                   ? (add_kw(ds, p, pr, imp, x), 0) : -1;
    case P_LINE_HEIGHT:
        if (line_height_value(t, &tmp) != 0)
            return -1;
        goto add;
    case P_TEXT_ALIGN:
        return t->kind == T_IDENT && lookup_kw(align_kw, t->s, &x) == 0
                   ? (add_kw(ds, p, pr, imp, x), 0) : -1;
    case P_TEXT_INDENT:
        if (parse_length(t, L_PCT | L_NEG, &f, &u) != 0)
            return -1;
        add_len(ds, p, pr, imp, f, u);
        return 0;
    case P_TEXT_TRANSFORM:
        return t->kind == T_IDENT && lookup_kw(transform_kw, t->s, &x) == 0
                   ? (add_kw(ds, p, pr, imp, x), 0) : -1;
    case P_WHITE_SPACE:
        return t->kind == T_IDENT && lookup_kw(ws_kw, t->s, &x) == 0
                   ? (add_kw(ds, p, pr, imp, x), 0) : -1;
    case P_ORPHANS:
    case P_WIDOWS:
        if (t->kind != T_NUMBER || !t->is_int || t->num < 1 || t->num > 1000)
            return -1;
        add_kw(ds, p, pr, imp, (int)t->num);
        return 0;
    case P_LIST_STYLE_TYPE:
        if (parse_list_type(t, &tmp) != 0)
            return -1;
        goto add;
    case P_BORDER_COLLAPSE:
        return t->kind == T_IDENT && lookup_kw(collapse_kw, t->s, &x) == 0
                   ? (add_kw(ds, p, pr, imp, x), 0) : -1;
    case P_VERTICAL_ALIGN:
        return t->kind == T_IDENT && lookup_kw(valign_kw, t->s, &x) == 0
                   ? (add_kw(ds, p, pr, imp, x), 0) : -1;
    case P_MARGIN_TOP: case P_MARGIN_RIGHT: case P_MARGIN_BOTTOM: case P_MARGIN_LEFT:
        if (parse_length(t, L_AUTO | L_PCT | L_NEG, &f, &u) != 0)
            return -1;
        add_len(ds, p, pr, imp, f, u);
        return 0;
    case P_PADDING_TOP: case P_PADDING_RIGHT: case P_PADDING_BOTTOM: case P_PADDING_LEFT:
        if (parse_length(t, L_PCT, &f, &u) != 0)
            return -1;
        add_len(ds, p, pr, imp, f, u);
        return 0;
    case P_BORDER_TOP_WIDTH: case P_BORDER_RIGHT_WIDTH: case P_BORDER_BOTTOM_WIDTH:
    case P_BORDER_LEFT_WIDTH:
        if (border_width_value(t, &f, &u) != 0)
            return -1;
        add_len(ds, p, pr, imp, f, u);
        return 0;
    case P_BORDER_TOP_STYLE: case P_BORDER_RIGHT_STYLE: case P_BORDER_BOTTOM_STYLE:
    case P_BORDER_LEFT_STYLE:
        return t->kind == T_IDENT && lookup_kw(bstyle_kw, t->s, &x) == 0
                   ? (add_kw(ds, p, pr, imp, x), 0) : -1;
    case P_WIDTH: case P_HEIGHT: case P_MIN_WIDTH: case P_MAX_WIDTH:
        if (pr == P_MAX_WIDTH && is_ident(t, "none")) {
            add_len(ds, p, pr, imp, 0, U_AUTO);
            return 0;
        }
        if (parse_length(t, L_AUTO | L_PCT, &f, &u) != 0)
            return -1;
        add_len(ds, p, pr, imp, f, u);
        return 0;
    case P_BREAK_BEFORE:
    case P_BREAK_AFTER:
        return t->kind == T_IDENT && lookup_kw(break_kw, t->s, &x) == 0
                   ? (add_kw(ds, p, pr, imp, x), 0) : -1;
    case P_BREAK_INSIDE:
        return t->kind == T_IDENT && lookup_kw(break_inside_kw, t->s, &x) == 0
                   ? (add_kw(ds, p, pr, imp, x), 0) : -1;
    case P_TABLE_LAYOUT:
        return t->kind == T_IDENT && lookup_kw(layout_kw, t->s, &x) == 0
                   ? (add_kw(ds, p, pr, imp, x), 0) : -1;
    default:
        return -1;
    }
add:
    {
        decl *d = add_decl(ds, p, pr, imp);
        unsigned char pid = d->prop, im = d->important;

        *d = tmp;
        d->prop = pid;
        d->important = im;
    }
    return 0;
}

/* Shorthands, expanded. Returns 0, -1 bad value, -2 not a shorthand. */
static int parse_shorthand(decls *ds, parser *p, const char *name, const vals *v, int imp)
{
    int s;

    if (ieq(name, "margin"))
        return parse_sides(ds, p, v, imp, P_MARGIN_TOP, L_AUTO | L_PCT | L_NEG);
    if (ieq(name, "padding"))
        return parse_sides(ds, p, v, imp, P_PADDING_TOP, L_PCT);
    if (ieq(name, "border"))
        return parse_border(ds, p, v, imp, 15);
    if ((s = side_index(name, "border-", "")) >= 0)
        return parse_border(ds, p, v, imp, 1u << s);
    if (ieq(name, "border-width") || ieq(name, "border-style") || ieq(name, "border-color")) {
        int first = ieq(name, "border-width") ? P_BORDER_TOP_WIDTH
                    : ieq(name, "border-style") ? P_BORDER_TOP_STYLE : P_BORDER_TOP_COLOR;
        static const int from[4][4] = {
            { 0, 0, 0, 0 }, { 0, 1, 0, 1 }, { 0, 1, 2, 1 }, { 0, 1, 2, 3 }
        };
        size_t at[4], k = 0, i = 0;

        while (i < v->n && k < 4) { /* split into per-side values (a colour may be rgb()) */
            at[k++] = i;
            i = skip_component(v->t, v->n, i);
        }
        if (k == 0 || i != v->n)
            return -1;
        for (int side = 0; side < 4; side++) {
            size_t j = at[from[k - 1][side]];
            size_t e = skip_component(v->t, v->n, j);
            vals one = { v->t + j, e - j };

            if (parse_longhand(ds, p, first + side, &one, imp) != 0)
                return -1;
        }
        return 0;
    }
    if (ieq(name, "font"))
        return parse_font(ds, p, v, imp);
    if (ieq(name, "background")) {
        /* only a colour is honoured; images and positions belong to the HTML output */
        for (size_t i = 0; i < v->n; i = skip_component(v->t, v->n, i)) {
            rgba c;
            size_t j = i;
            int x = parse_color(v->t, v->n, &j, &c);

            if (x >= 0) {
                add_color(ds, p, P_BACKGROUND_COLOR, imp, c, x == COLOR_CURRENT);
                return 0;
            }
        }
        if (v->n == 1 && is_ident(&v->t[0], "none")) {
            add_color(ds, p, P_BACKGROUND_COLOR, imp, (rgba){ 0, 0, 0, 0 }, 0);
            return 0;
        }
        return -1;
    }
    if (ieq(name, "list-style")) {
        decl tmp = { 0 };
        int have = 0;

        for (size_t i = 0; i < v->n; i++) {
            if (is_ident(&v->t[i], "inside") || is_ident(&v->t[i], "outside"))
                continue;
            if (have || parse_list_type(&v->t[i], &tmp) != 0)
                return -1;
            have = 1;
        }
        if (!have) {
            tmp.kind = V_KW;
            tmp.kw = LIST_DISC;
        }
        {
            decl *d = add_decl(ds, p, P_LIST_STYLE_TYPE, imp);

            tmp.prop = P_LIST_STYLE_TYPE;
            tmp.important = (unsigned char)imp;
            *d = tmp;
        }
        return 0;
    }
    if (ieq(name, "page-break-before") || ieq(name, "page-break-after") ||
        ieq(name, "page-break-inside")) {
        int pr = ieq(name, "page-break-before") ? P_BREAK_BEFORE
                 : ieq(name, "page-break-after") ? P_BREAK_AFTER : P_BREAK_INSIDE;

        return parse_longhand(ds, p, pr, v, imp);
    }
    if (ieq(name, "text-decoration-line"))
        return parse_longhand(ds, p, P_TEXT_DECORATION, v, imp);
    return -2;
}

static int is_shorthand_for(const char *name, int pr)
{
    static const struct {
        const char *name;
        int first, last;
    } sh[] = { { "margin", P_MARGIN_TOP, P_MARGIN_LEFT },
               { "padding", P_PADDING_TOP, P_PADDING_LEFT },
               { "border", P_BORDER_TOP_WIDTH, P_BORDER_LEFT_COLOR },
               { "border-width", P_BORDER_TOP_WIDTH, P_BORDER_LEFT_WIDTH },
               { "border-style", P_BORDER_TOP_STYLE, P_BORDER_LEFT_STYLE },
               { "border-color", P_BORDER_TOP_COLOR, P_BORDER_LEFT_COLOR },
               { "font", P_FONT_FAMILY, P_LINE_HEIGHT },
               { "background", P_BACKGROUND_COLOR, P_BACKGROUND_COLOR },
               { "list-style", P_LIST_STYLE_TYPE, P_LIST_STYLE_TYPE },
               { "page-break-before", P_BREAK_BEFORE, P_BREAK_BEFORE },
               { "page-break-after", P_BREAK_AFTER, P_BREAK_AFTER },
               { "page-break-inside", P_BREAK_INSIDE, P_BREAK_INSIDE },
               { NULL, 0, 0 } };
    int s;

    for (size_t k = 0; sh[k].name; k++)
        if (ieq(name, sh[k].name))
            return pr >= sh[k].first && pr <= sh[k].last;
    if ((s = side_index(name, "border-", "")) >= 0)
        return pr == P_BORDER_TOP_WIDTH + s || pr == P_BORDER_TOP_STYLE + s ||
               pr == P_BORDER_TOP_COLOR + s;
    return 0;
}

/* inherit / initial / unset for any property or shorthand. */
static int parse_global(decls *ds, parser *p, const char *name, const vals *v, int imp)
{
    int kind, pr;

    if (v->n != 1 || v->t[0].kind != T_IDENT)
        return -2;
    if (ieq(v->t[0].s, "inherit"))
        kind = V_INHERIT;
    else if (ieq(v->t[0].s, "initial"))
        kind = V_INITIAL;
    else if (ieq(v->t[0].s, "unset"))
        kind = V_UNSET;
    else
        return -2;
    pr = find_prop(name);
    if (pr >= P_STYLE_COUNT)
        return -1;
    if (pr < 0) {
        int any = 0;

        for (int k = 0; k < P_STYLE_COUNT; k++)
            if (is_shorthand_for(name, k)) {
                add_decl(ds, p, k, imp)->kind = (unsigned char)kind;
                any = 1;
            }
        return any ? 0 : -2;
    }
    add_decl(ds, p, pr, imp)->kind = (unsigned char)kind;
    return 0;
}

enum { CTX_STYLE, CTX_PAGE, CTX_MARGIN_BOX };

static int is_ignored(const char *name)
{
    if (name[0] == '-') /* vendor extensions */
        return 1;
    for (size_t k = 0; ignored_props[k]; k++)
        if (ieq(name, ignored_props[k]))
            return 1;
    return 0;
}

/* One declaration NAME: V into DS, reporting an unknown property or a bad value. */
static void parse_property(decls *ds, parser *p, const tok *name, const vals *v, int imp,
                           int ctx)
{
    int pr, rc;

    if (ctx == CTX_PAGE && (ieq(name->s, "margin") ||
                            side_index(name->s, "margin-", "") >= 0 || ieq(name->s, "size"))) {
        rc = parse_global(ds, p, name->s, v, imp);
        if (rc == -2)
            rc = ieq(name->s, "size") ? parse_longhand(ds, p, P_SIZE, v, imp)
                                      : parse_shorthand(ds, p, name->s, v, imp);
        if (rc == -2) {
            int s = side_index(name->s, "margin-", "");

            rc = parse_longhand(ds, p, P_MARGIN_TOP + s, v, imp);
        }
        goto done;
    }
    rc = parse_global(ds, p, name->s, v, imp);
    if (rc != -2)
        goto done;
    pr = find_prop(name->s);
    if (pr == P_SIZE && ctx != CTX_PAGE)
        pr = -1;
    if (pr == P_CONTENT && ctx != CTX_MARGIN_BOX)
        return; /* content belongs to ::before/::after, which the PDF output lacks */
    if (pr >= 0) {
        rc = parse_longhand(ds, p, pr, v, imp);
    } else {
        rc = parse_shorthand(ds, p, name->s, v, imp);
        if (rc == -2) {
            if (!is_ignored(name->s))
                warn(p, name->line, name->col, "unknown property '%s'; declaration ignored",
                     name->s);
            return;
        }
    }
done:
    if (rc != 0)
        warn(p, v->t[0].line, v->t[0].col, "bad value for '%s'; declaration ignored", name->s);
}

/***  Declaration blocks  ***/

/* A raw declaration: NAME and the value tokens [VB, VE) with whitespace kept. */
typedef void (*decl_fn)(parser *p, void *ctx, const tok *name, const vals *v, int important);
typedef void (*atrule_fn)(parser *p, void *ctx, const tok *at);

static vals strip(parser *p, size_t b, size_t e, tok *scratch)
{
    vals v = { scratch, 0 };

    for (size_t i = b; i < e; i++)
        if (p->t[i].kind != T_WS)
            scratch[v.n++] = p->t[i];
    return v;
}

/* Parses declarations up to the closing '}' (consumed) or EOF; at-rules go to AT. */
static void parse_decl_list(parser *p, void *ctx, decl_fn fn, atrule_fn at, unsigned oline,
                            unsigned ocol)
{
    for (;;) {
        const tok *t;

        skip_ws(p);
        t = cur(p);
        if (t->kind == T_EOF) {
            if (oline)
                fail(p, oline, ocol, "unclosed block: '}' missing");
            return;
        }
        if (t->kind == T_RBRACE) {
            p->i++;
            return;
        }
        if (t->kind == T_SEMI) {
            p->i++;
            continue;
        }
        if (t->kind == T_AT) {
            if (at) {
                at(p, ctx, t);
            } else {
                warn(p, t->line, t->col, "at-rule '@%s' not allowed here; ignored", t->s);
                p->i++;
                while (cur(p)->kind != T_EOF && cur(p)->kind != T_SEMI &&
                       cur(p)->kind != T_RBRACE) {
                    if (cur(p)->kind == T_LBRACE) {
                        p->i = skip_component(p->t, p->n, p->i);
                        break;
                    }
                    p->i = skip_component(p->t, p->n, p->i);
                }
            }
            continue;
        }
        {
            const tok *name = t;
            size_t vb, ve, end;
            int imp = 0;

            if (t->kind != T_IDENT) {
                fail(p, t->line, t->col, "expected a property name");
                goto recover;
            }
            p->i++;
            skip_ws(p);
            if (cur(p)->kind != T_COLON) {
                fail(p, cur(p)->line, cur(p)->col, "expected ':' after '%s'", name->s);
                goto recover;
            }
            p->i++;
            vb = p->i;
            while (cur(p)->kind != T_EOF && cur(p)->kind != T_SEMI && cur(p)->kind != T_RBRACE)
                p->i = skip_component(p->t, p->n, p->i);
            end = ve = p->i;
            /* !important at the end */
            {
                size_t k = ve;

                while (k > vb && p->t[k - 1].kind == T_WS)
                    k--;
                if (k > vb && is_ident(&p->t[k - 1], "important")) {
                    size_t j = k - 1;

                    while (j > vb && p->t[j - 1].kind == T_WS)
                        j--;
                    if (j > vb && p->t[j - 1].kind == T_DELIM && p->t[j - 1].delim == '!') {
                        imp = 1;
                        ve = j - 1;
                    }
                }
            }
            {
                tok *scratch = xmalloc((ve - vb + 1) * sizeof *scratch);
                vals v = strip(p, vb, ve, scratch);
                int bad = 0;

                if (v.n == 0) {
                    warn(p, name->line, name->col, "empty value for '%s'; declaration ignored",
                         name->s);
                    bad = 1;
                }
                for (size_t k = 0; k < v.n; k++)
                    if (v.t[k].kind == T_BAD_STRING || v.t[k].kind == T_BAD_URL ||
                        v.t[k].kind == T_LBRACE)
                        bad = 1; /* already reported, or a block where a value belongs */
                if (!bad)
                    fn(p, ctx, name, &v, imp);
                free(scratch);
            }
            p->i = end;
            continue;
        }
    recover:
        while (cur(p)->kind != T_EOF && cur(p)->kind != T_SEMI && cur(p)->kind != T_RBRACE)
            p->i = skip_component(p->t, p->n, p->i);
    }
}

static void style_decl(parser *p, void *ctx, const tok *name, const vals *v, int imp)
{
    parse_property(ctx, p, name, v, imp, CTX_STYLE);
}

/***  Selectors  ***/

/* Parses the selector list in tokens [B, E) and adds one selector per group member for R.
 * Returns 0, or -1 after a warning (the whole rule is dropped, as CSS does). */
static int parse_selectors(parser *p, size_t b, size_t e, const rule *r)
{
    stylesheet *ss = p->ss;
    size_t i = b, first_new = ss->nsel;

    for (;;) {
        compound c[STYLE_MAX_COMPOUNDS];
        unsigned nc = 0, ids = 0, classes = 0, types = 0;
        int comb = 0;
        const char *cls[32];

        while (i < e && p->t[i].kind == T_WS)
            i++;
        for (;;) { /* one compound, then a combinator */
            compound *k;
            unsigned ncls = 0;

            if (nc == STYLE_MAX_COMPOUNDS) {
                warn(p, p->t[i].line, p->t[i].col, "selector too long; rule ignored");
                goto bad;
            }
            k = &c[nc];
            memset(k, 0, sizeof *k);
            k->comb = nc ? comb : 0;
            if (i < e && p->t[i].kind == T_IDENT) {
                char *ty = arena_strdup(p->a, p->t[i].s);

                for (char *q = ty; *q; q++)
                    *q = (char)tolower((unsigned char)*q);
                k->type = ty;
                types++;
                i++;
            } else if (i < e && p->t[i].kind == T_DELIM && p->t[i].delim == '*') {
                i++;
            } else if (!(i < e && (p->t[i].kind == T_HASH || p->t[i].kind == T_COLON ||
                                   (p->t[i].kind == T_DELIM && p->t[i].delim == '.')))) {
                goto syntax;
            }
            for (;;) {
                const tok *t = &p->t[i];

                if (i >= e)
                    break;
                if (t->kind == T_HASH && t->is_id) {
                    if (k->id && strcmp(k->id, t->s) != 0)
                        k->id = "\x01"; /* two ids: matches nothing */
                    else
                        k->id = t->s;
                    ids++;
                    i++;
                } else if (t->kind == T_DELIM && t->delim == '.' && i + 1 < e &&
                           p->t[i + 1].kind == T_IDENT) {
                    if (ncls == 32) {
                        warn(p, t->line, t->col, "too many classes; rule ignored");
                        goto bad;
                    }
                    cls[ncls++] = p->t[i + 1].s;
                    classes++;
                    i += 2;
                } else if (t->kind == T_COLON && i + 1 < e && p->t[i + 1].kind == T_IDENT) {
                    const char *ps = p->t[i + 1].s;

                    if (ieq(ps, "first-child"))
                        k->pseudo |= PSEUDO_FIRST;
                    else if (ieq(ps, "last-child"))
                        k->pseudo |= PSEUDO_LAST;
                    else if (ieq(ps, "root"))
                        k->pseudo |= PSEUDO_ROOT;
                    else if (ieq(ps, "link") || ieq(ps, "any-link"))
                        k->pseudo |= PSEUDO_LINK;
                    else if (ieq(ps, "visited") || ieq(ps, "hover") || ieq(ps, "active") ||
                             ieq(ps, "focus") || ieq(ps, "focus-within") ||
                             ieq(ps, "focus-visible") || ieq(ps, "target"))
                        k->pseudo |= PSEUDO_NEVER;
                    else {
                        warn(p, t->line, t->col, "unsupported pseudo-class ':%s'; rule ignored",
                             ps);
                        goto bad;
                    }
                    classes++;
                    i += 2;
                } else if (t->kind == T_HASH || t->kind == T_DELIM || t->kind == T_COLON ||
                           t->kind == T_LBRACKET || t->kind == T_FUNCTION) {
                    if (t->kind == T_DELIM && (t->delim == '>'))
                        break;
                    if (t->kind == T_DELIM && (t->delim == '+' || t->delim == '~'))
                        warn(p, t->line, t->col,
                             "unsupported combinator '%c'; rule ignored", t->delim);
                    else if (t->kind == T_LBRACKET)
                        warn(p, t->line, t->col, "unsupported attribute selector; rule ignored");
                    else if (t->kind == T_COLON)
                        warn(p, t->line, t->col, "unsupported pseudo-element or pseudo-class; "
                                                 "rule ignored");
                    else if (t->kind == T_FUNCTION)
                        warn(p, t->line, t->col, "unsupported pseudo-class ':%s()'; "
                                                 "rule ignored", t->s);
                    else
                        goto syntax;
                    goto bad;
                } else {
                    break;
                }
            }
            if (ncls) {
                k->cls = arena_alloc(p->a, ncls * sizeof *k->cls);
                memcpy(k->cls, cls, ncls * sizeof *cls);
                k->ncls = ncls;
            }
            nc++;
            /* combinator */
            {
                int ws = 0;

                while (i < e && p->t[i].kind == T_WS) {
                    ws = 1;
                    i++;
                }
                if (i >= e || p->t[i].kind == T_COMMA)
                    break;
                if (p->t[i].kind == T_DELIM && p->t[i].delim == '>') {
                    comb = '>';
                    i++;
                    while (i < e && p->t[i].kind == T_WS)
                        i++;
                } else if (p->t[i].kind == T_DELIM &&
                           (p->t[i].delim == '+' || p->t[i].delim == '~')) {
                    warn(p, p->t[i].line, p->t[i].col,
                         "unsupported combinator '%c'; rule ignored", p->t[i].delim);
                    goto bad;
                } else if (ws) {
                    comb = ' ';
                } else {
                    goto syntax;
                }
            }
        }
        if (ss->nsel == ss->selcap) {
            ss->selcap = ss->selcap ? ss->selcap * 2 : 64;
            ss->sel = xrealloc(ss->sel, ss->selcap * sizeof *ss->sel);
        }
        {
            selector *s = &ss->sel[ss->nsel++];

            s->c = arena_alloc(p->a, nc * sizeof *s->c);
            memcpy(s->c, c, nc * sizeof *c);
            s->n = nc;
            /* each count saturates in its byte (32 compounds of 32 classes would carry) */
            s->spec = (ids > 255 ? 255 : ids) << 16 | (classes > 255 ? 255 : classes) << 8 |
                      (types > 255 ? 255 : types);
            s->order = ss->nrules;
            s->rule = r;
        }
        if (i >= e)
            return 0;
        i++; /* the comma */
    }
syntax:
    if (i < e)
        fail(p, p->t[i].line, p->t[i].col, "bad selector");
    else
        fail(p, p->t[b].line, p->t[b].col, "bad selector: unexpected end");
bad:
    ss->nsel = first_new;
    return -1;
}

/***  Rules  ***/

static void skip_at_rule(parser *p)
{
    while (cur(p)->kind != T_EOF) {
        if (cur(p)->kind == T_SEMI) {
            p->i++;
            return;
        }
        if (cur(p)->kind == T_LBRACE) {
            p->i = skip_component(p->t, p->n, p->i);
            return;
        }
        if (cur(p)->kind == T_RBRACE)
            return;
        p->i = skip_component(p->t, p->n, p->i);
    }
}

/* Skips to the '{' of the at-rule's block; returns its index, or (size_t)-1 when the rule
 * ends without one (';', '}' or EOF). */
static size_t find_block(parser *p)
{
    while (cur(p)->kind != T_EOF && cur(p)->kind != T_LBRACE && cur(p)->kind != T_SEMI &&
           cur(p)->kind != T_RBRACE)
        p->i = skip_component(p->t, p->n, p->i);
    return cur(p)->kind == T_LBRACE ? p->i : (size_t)-1;
}

/* @media: honoured when any query names print or all (PDF is print); features are not
 * evaluated. */
static int media_matches(const parser *p, size_t b, size_t e)
{
    int any = 0, not_ = 0, type_ok = -1;

    if (b == e)
        return 1;
    for (size_t i = b; i <= e; i = i == e ? e + 1 : skip_component(p->t, p->n, i)) {
        const tok *t = &p->t[i];

        if (i >= e || t->kind == T_COMMA) {
            if (type_ok == -1)
                type_ok = 1; /* only features: applies to all media */
            if (type_ok != not_)
                any = 1;
            not_ = 0;
            type_ok = -1;
            continue;
        }
        if (t->kind != T_IDENT || type_ok != -1)
            continue;
        if (ieq(t->s, "not"))
            not_ = 1;
        else if (ieq(t->s, "only"))
            ;
        else if (ieq(t->s, "and"))
            ;
        else
            type_ok = ieq(t->s, "print") || ieq(t->s, "all");
    }
    return any;
}

typedef struct ff_ctx {
    const char *family, *url;
    int weight, italic, url_bad;
} ff_ctx;

static void font_face_decl(parser *p, void *vctx, const tok *name, const vals *v, int imp)
{
    ff_ctx *c = vctx;
    int x;

    (void)imp;
    if (ieq(name->s, "font-family")) {
        const char *f = v->n == 1 && v->t[0].kind == T_STRING ? v->t[0].s : family_text(p, v);

        if (!f || strchr(f, ','))
            warn(p, name->line, name->col, "bad value for 'font-family' in @font-face");
        else
            c->family = f;
    } else if (ieq(name->s, "font-weight")) {
        if (v->n >= 1 && font_weight_value(&v->t[0], &x) == 0 && x > 0)
            c->weight = x; /* a range "100 900" keeps its first weight */
        else
            warn(p, v->t[0].line, v->t[0].col, "bad value for 'font-weight' in @font-face");
    } else if (ieq(name->s, "font-style")) {
        if (v->n >= 1 && v->t[0].kind == T_IDENT && lookup_kw(fstyle_kw, v->t[0].s, &x) == 0)
            c->italic = x;
        else
            warn(p, v->t[0].line, v->t[0].col, "bad value for 'font-style' in @font-face");
    } else if (ieq(name->s, "src")) {
        /* the first url() whose format() we can load (TrueType/OpenType, or none given) */
        for (size_t i = 0; i < v->n && !c->url; i = skip_component(v->t, v->n, i)) {
            const char *u = NULL;
            size_t j;

            if (v->t[i].kind == T_URL)
                u = v->t[i].s;
            else if (v->t[i].kind == T_FUNCTION && ieq(v->t[i].s, "url") && i + 1 < v->n &&
                     v->t[i + 1].kind == T_STRING)
                u = v->t[i + 1].s;
            if (!u)
                continue;
            j = skip_component(v->t, v->n, i);
            if (j < v->n && v->t[j].kind == T_FUNCTION && ieq(v->t[j].s, "format") &&
                j + 1 < v->n && v->t[j + 1].kind == T_STRING &&
                !ieq(v->t[j + 1].s, "truetype") && !ieq(v->t[j + 1].s, "opentype"))
                continue;
            c->url = u;
        }
        if (!c->url)
            warn(p, v->t[0].line, v->t[0].col, "no usable url() in 'src'");
    } else if (!ieq(name->s, "font-display") && !ieq(name->s, "unicode-range") &&
               name->s[0] != '-') {
        warn(p, name->line, name->col, "unknown descriptor '%s' in @font-face", name->s);
    }
}

static void at_font_face(parser *p, const tok *at)
{
    ff_ctx c = { NULL, NULL, 400, 0, 0 };
    stylesheet *ss = p->ss;
    size_t open = find_block(p);

    if (open == (size_t)-1) {
        fail(p, at->line, at->col, "@font-face without a block");
        skip_at_rule(p);
        return;
    }
    p->i++;
    parse_decl_list(p, &c, font_face_decl, NULL, at->line, at->col);
    if (!c.family || !c.url) {
        warn(p, at->line, at->col, "@font-face needs font-family and src; ignored");
        return;
    }
    if (ss->nff == ss->ffcap) {
        ss->ffcap = ss->ffcap ? ss->ffcap * 2 : 16;
        ss->ff = xrealloc(ss->ff, ss->ffcap * sizeof *ss->ff);
    }
    {
        style_font_face *f = &ss->ff[ss->nff++];
        const char *u = c.url;

        if (strncmp(u, "file://", 7) == 0)
            u += 7;
        f->family = c.family;
        f->weight = c.weight;
        f->italic = c.italic;
        f->line = at->line;
        if (u[0] == '/') {
            f->path = arena_strdup(p->a, u);
        } else {
            size_t dl = strlen(p->dir), ul = strlen(u);
            char *path = arena_alloc(p->a, dl + ul + 1);

            memcpy(path, p->dir, dl);
            memcpy(path + dl, u, ul + 1);
            f->path = path;
        }
    }
}

static const char *const box_names[MB_COUNT] = {
    "top-left-corner", "top-left", "top-center", "top-right", "top-right-corner",
    "bottom-left-corner", "bottom-left", "bottom-center", "bottom-right", "bottom-right-corner"
};

static void page_decl(parser *p, void *ctx, const tok *name, const vals *v, int imp)
{
    page_rule *pr = ctx;

    parse_property(&pr->page, p, name, v, imp, CTX_PAGE);
}

static void box_decl(parser *p, void *ctx, const tok *name, const vals *v, int imp)
{
    parse_property(ctx, p, name, v, imp, CTX_MARGIN_BOX);
}

static void page_at(parser *p, void *ctx, const tok *at)
{
    page_rule *pr = ctx;
    int k;

    for (k = 0; k < MB_COUNT; k++)
        if (ieq(at->s, box_names[k]))
            break;
    p->i++;
    if (k == MB_COUNT) {
        warn(p, at->line, at->col, "unknown at-rule '@%s' in @page; ignored", at->s);
        skip_at_rule(p);
        return;
    }
    if (find_block(p) == (size_t)-1) {
        fail(p, at->line, at->col, "@%s without a block", at->s);
        skip_at_rule(p);
        return;
    }
    p->i++;
    pr->has_box[k] = 1;
    parse_decl_list(p, &pr->box[k], box_decl, NULL, at->line, at->col);
}

static void at_page(parser *p, const tok *at)
{
    stylesheet *ss = p->ss;
    size_t b = p->i, e;
    int first = 0, ok = 1;
    const char *name = NULL;
    page_rule *pr;

    if (find_block(p) == (size_t)-1) {
        fail(p, at->line, at->col, "@page without a block");
        skip_at_rule(p);
        return;
    }
    e = p->i;
    for (size_t i = b; i < e; i++) {
        const tok *t = &p->t[i];

        if (t->kind == T_WS)
            continue;
        if (t->kind == T_COLON && i + 1 < e && is_ident(&p->t[i + 1], "first") && !first) {
            first = 1;
            i++;
        } else if (t->kind == T_IDENT && !name && !first && !is_ident(t, "auto")) {
            name = arena_strdup(p->a, t->s); /* @page NAME (css-page-3 §3.1) */
        } else {
            warn(p, t->line, t->col, "unsupported @page selector; rule ignored");
            ok = 0;
            break;
        }
    }
    if (!ok) {
        p->i = skip_component(p->t, p->n, p->i);
        return;
    }
    p->i++;
    if (ss->npr == ss->prcap) {
        ss->prcap = ss->prcap ? ss->prcap * 2 : 4;
        ss->pr = xrealloc(ss->pr, ss->prcap * sizeof *ss->pr);
    }
    pr = &ss->pr[ss->npr++];
    memset(pr, 0, sizeof *pr);
    pr->first = first;
    pr->name = name;
    /* the rule array may move while nested rules are parsed: parse into a copy */
    {
        page_rule tmp = *pr;
        size_t idx = ss->npr - 1;

        parse_decl_list(p, &tmp, page_decl, page_at, at->line, at->col);
        ss->pr[idx] = tmp;
    }
}

/***  @import  ***/

/* DIR (ending in '/', or "") joined with URL (absolute: URL alone), with "." segments and
 * "name/.." pairs removed lexically (no symlink is followed): the name cycles are found by. */
static char *join_tidy(arena *a, const char *dir, const char *url)
{
    size_t dl = url[0] == '/' ? 0 : strlen(dir), ul = strlen(url), o = 0, root;
    char *in = xmalloc(dl + ul + 1), *out = arena_alloc(a, dl + ul + 3);
    const char *s = in;

    memcpy(in, dir, dl);
    memcpy(in + dl, url, ul + 1);
    if (*s == '/')
        out[o++] = '/';
    root = o;
    while (*s) {
        const char *e = strchr(s, '/');
        size_t n = e ? (size_t)(e - s) : strlen(s), j = o;

        if (o > root) { /* the last segment kept: out[j..o-1) */
            for (j = o - 1; j > root && out[j - 1] != '/'; j--)
                ;
        }
        if (n == 0 || (n == 1 && s[0] == '.')) {
            ; /* "//" and "/./" */
        } else if (n == 2 && s[0] == '.' && s[1] == '.' && o > root &&
                   !(o - j == 3 && out[j] == '.' && out[j + 1] == '.')) {
            o = j; /* "name/.." */
        } else if (!(n == 2 && s[0] == '.' && s[1] == '.' && root)) { /* "/.." is "/" */
            memcpy(out + o, s, n);
            o += n;
            out[o++] = '/';
        }
        s += n + (e != NULL);
    }
    if (o > root)
        o--; /* the last '/' */
    if (o == 0)
        out[o++] = '.';
    out[o] = '\0';
    free(in);
    return out;
}

static size_t add_file(stylesheet *ss, const char *path, const char *text, size_t len,
                       size_t parent)
{
    style_file *f;
    char *copy = arena_alloc(ss->a, len + 1);

    if (ss->nfiles == ss->filecap) {
        ss->filecap = ss->filecap ? ss->filecap * 2 : 4;
        ss->files = xrealloc(ss->files, ss->filecap * sizeof *ss->files);
    }
    memcpy(copy, text, len);
    copy[len] = '\0';
    f = &ss->files[ss->nfiles];
    memset(f, 0, sizeof *f);
    f->path = path;
    f->parent = parent;
    f->text = copy;
    f->len = len;
    return ss->nfiles++;
}

static void parse_rule_list(parser *p, int nested, unsigned oline, unsigned ocol);
static void run_parser(parser *p, const char *css, size_t len, unsigned line, arena *a);

/* Parses file FI of SS (its text, read already) with its @import rules; NAME for messages. */
static void parse_file(stylesheet *ss, size_t fi, const char *name, const parser *outer, diag *d)
{
    parser q = { 0 };
    const char *path = ss->files[fi].path, *slash = strrchr(path, '/');

    q.ss = ss;
    q.file = name;
    q.dir = slash ? arena_strndup(ss->a, path, (size_t)(slash - path) + 1) : "";
    q.d = d;
    q.a = ss->a;
    q.findex = fi;
    q.print = ss->files[fi].print;
    q.imports_only = (outer && outer->imports_only) || !q.print;
    q.quiet = outer && outer->quiet;
    run_parser(&q, ss->files[fi].text, ss->files[fi].len, 1, ss->a);
    parse_rule_list(&q, 0, 0, 0);
    free((void *)q.t);
}

/* After "@import": the URL (url(…) or a string) and the media list up to ';'. 0, or -1
 * after reporting when the rule is malformed; P is past the rule either way. */
static int import_prelude(parser *p, const tok *at, const char **url, size_t *b, size_t *e)
{
    const tok *t;

    *url = NULL;
    skip_ws(p);
    t = cur(p);
    if (t->kind == T_URL || t->kind == T_STRING) {
        *url = t->s;
        p->i++;
    } else if (t->kind == T_FUNCTION && ieq(t->s, "url")) {
        size_t k = p->i + 1;

        while (p->t[k].kind == T_WS)
            k++;
        if (p->t[k].kind == T_STRING) {
            for (k++; p->t[k].kind == T_WS; k++)
                ;
            if (p->t[k].kind == T_RPAREN)
                *url = p->t[k - 1].kind == T_WS ? p->t[k - 2].s : p->t[k - 1].s;
        }
        p->i = skip_component(p->t, p->n, p->i);
    }
    skip_ws(p);
    *b = p->i;
    while (cur(p)->kind != T_EOF && cur(p)->kind != T_SEMI && cur(p)->kind != T_LBRACE &&
           cur(p)->kind != T_RBRACE)
        p->i = skip_component(p->t, p->n, p->i);
    *e = p->i;
    while (*e > *b && p->t[*e - 1].kind == T_WS)
        (*e)--;
    if (cur(p)->kind == T_LBRACE) {
        fail(p, at->line, at->col, "@import takes no block; ignored");
        skip_at_rule(p);
        return -1;
    }
    if (cur(p)->kind == T_SEMI)
        p->i++;
    if (!*url) {
        fail(p, at->line, at->col, "@import needs url(\"file.css\") or \"file.css\"; ignored");
        return -1;
    }
    return 0;
}

/* An error about an @import, reported even by style_read_imports (P->quiet). */
static void import_fail(parser *p, const tok *at, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void import_fail(parser *p, const tok *at, const char *fmt, ...)
{
    va_list ap;
    int quiet = p->quiet;

    p->quiet = 0;
    va_start(ap, fmt);
    report(p, 1, at->line, at->col, fmt, ap);
    va_end(ap);
    p->quiet = quiet;
}

/* Is the file PATH already open on the way from the sheet to file FI (a cycle)? Sets
 * *DEPTH to the number of files on that way. */
static int on_the_way(const stylesheet *ss, size_t fi, const char *path, unsigned *depth)
{
    *depth = 0;
    for (size_t k = fi; k != STYLE_NO_PARENT; k = ss->files[k].parent) {
        (*depth)++;
        if (strcmp(ss->files[k].path, path) == 0)
            return 1;
    }
    return 0;
}

/* @import url(x.css) [media]; — reads x.css (relative to this file's folder) and parses it
 * here, so its rules come before the rules of this file that follow, as if inlined. */
static void parse_import(parser *p, const tok *at)
{
    stylesheet *ss = p->ss;
    const char *url, *path, *u;
    size_t b, e, fi;
    unsigned depth;
    struct stat st;
    char *text = NULL;
    size_t len = 0;
    int print;

    if (import_prelude(p, at, &url, &b, &e) != 0)
        return;
    if (p->late || p->depth > 0) {
        warn(p, at->line, at->col, "@import after other rules or inside a block; ignored "
                                   "(it must come first, after @charset only)");
        return;
    }
    if (p->findex == STYLE_NO_PARENT) {
        import_fail(p, at, "@import of '%s' in a style sheet given as text reads no file; "
                           "ignored", url);
        return;
    }
    u = strncmp(url, "file://", 7) == 0 ? url + 7 : url;
    if (!*u || (strchr(u, ':') && (!strchr(u, '/') || strchr(u, ':') < strchr(u, '/')))) {
        import_fail(p, at, "@import of '%s': only local files are read", url);
        return;
    }
    path = join_tidy(p->a, p->dir, u);
    if (on_the_way(ss, p->findex, path, &depth)) {
        import_fail(p, at, "@import cycle: '%s' imports itself", path);
        return;
    }
    if (depth >= STYLE_MAX_IMPORT_DEPTH) {
        import_fail(p, at, "@import of '%s' nested deeper than %d sheets", path,
                    STYLE_MAX_IMPORT_DEPTH);
        return;
    }
    if (stat(path, &st) != 0 || (!S_ISDIR(st.st_mode) && fileio_read(path, &text, &len, NULL))) {
        import_fail(p, at, "cannot read imported style sheet '%s': %s", path, strerror(errno));
        return;
    }
    if (S_ISDIR(st.st_mode)) {
        import_fail(p, at, "cannot read imported style sheet '%s': is a directory", path);
        return;
    }
    print = p->print && media_matches(p, b, e);
    fi = add_file(ss, path, text, len, p->findex);
    free(text);
    {
        style_file *f = &ss->files[fi];

        f->media = b < e ? arena_strndup(p->a, p->src + p->t[b].off,
                                         p->t[e].off - p->t[b].off)
                         : NULL;
        f->line = at->line;
        f->col = at->col;
        f->from = at->off;
        f->to = p->i > 0 ? p->t[p->i - 1].off + 1 : at->off;
        if (p->i > 0 && p->t[p->i - 1].kind != T_SEMI)
            f->to = cur(p)->off; /* no ';': the rule ends where the text or block does */
        f->print = print;
    }
    parse_file(ss, fi, path, p, p->d);
}

static void parse_at_rule(parser *p)
{
    const tok *at = cur(p);

    p->i++;
    if (ieq(at->s, "media")) {
        size_t b = p->i, e;

        if (find_block(p) == (size_t)-1) {
            fail(p, at->line, at->col, "@media without a block");
            skip_at_rule(p);
            return;
        }
        e = p->i;
        if (!media_matches(p, b, e) || p->depth >= STYLE_MAX_NESTING) {
            p->i = skip_component(p->t, p->n, p->i);
            return;
        }
        p->i++;
        p->depth++;
        parse_rule_list(p, 1, at->line, at->col);
        p->depth--;
    } else if (ieq(at->s, "page")) { /* also inside @media print, as CSS allows */
        at_page(p, at);
    } else if (ieq(at->s, "font-face")) {
        at_font_face(p, at);
    } else if (ieq(at->s, "import")) {
        parse_import(p, at);
    } else if (ieq(at->s, "charset")) {
        skip_at_rule(p);
    } else {
        warn(p, at->line, at->col, "unsupported at-rule '@%s'; ignored", at->s);
        skip_at_rule(p);
    }
}

static void parse_qualified_rule(parser *p)
{
    const tok *start = cur(p);
    size_t b = p->i, e;
    rule *r;
    decls ds = { 0 };

    while (cur(p)->kind != T_EOF && cur(p)->kind != T_LBRACE)
        p->i = skip_component(p->t, p->n, p->i);
    if (cur(p)->kind == T_EOF) {
        fail(p, start->line, start->col, "rule without a '{' block");
        return;
    }
    e = p->i;
    while (e > b && p->t[e - 1].kind == T_WS)
        e--;
    r = arena_alloc(p->a, sizeof *r);
    if (parse_selectors(p, b, e, r) != 0) {
        p->i = skip_component(p->t, p->n, p->i);
        return;
    }
    {
        unsigned line = cur(p)->line, col = cur(p)->col;

        p->i++;
        parse_decl_list(p, &ds, style_decl, NULL, line, col);
    }
    r->d = ds.d;
    r->n = ds.n;
    p->ss->nrules++;
}

static void parse_rule_list(parser *p, int nested, unsigned oline, unsigned ocol)
{
    for (;;) {
        const tok *t;

        skip_ws(p);
        t = cur(p);
        if (t->kind == T_EOF) {
            if (nested)
                fail(p, oline, ocol, "unclosed block: '}' missing");
            return;
        }
        if (t->kind == T_RBRACE) {
            p->i++;
            if (nested)
                return;
            fail(p, t->line, t->col, "unexpected '}'");
            continue;
        }
        if (!nested && !(t->kind == T_AT && (ieq(t->s, "import") || ieq(t->s, "charset")))) {
            if (p->imports_only)
                return;
            p->late = 1;
        }
        if (t->kind == T_AT)
            parse_at_rule(p);
        else
            parse_qualified_rule(p);
    }
}

/***  The index  ***/

static uint64_t hash_key(int kind, const char *s)
{
    uint64_t h = 1469598103934665603ull ^ (uint64_t)kind;

    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211ull;
    return h;
}

static bucket *find_bucket(const stylesheet *ss, int kind, const char *key)
{
    size_t mask, i;

    if (!ss->tabcap)
        return NULL;
    mask = ss->tabcap - 1;
    for (i = hash_key(kind, key) & mask; ss->tab[i].key; i = (i + 1) & mask)
        if (ss->tab[i].kind == kind && strcmp(ss->tab[i].key, key) == 0)
            return &ss->tab[i];
    return &ss->tab[i];
}

static void index_add(stylesheet *ss, int kind, const char *key, const selector *s)
{
    bucket *b;

    if ((ss->tabn + 1) * 2 > ss->tabcap) {
        bucket *old = ss->tab;
        size_t oldcap = ss->tabcap;

        ss->tabcap = ss->tabcap ? ss->tabcap * 2 : 64;
        ss->tab = xcalloc(ss->tabcap, sizeof *ss->tab);
        for (size_t k = 0; k < oldcap; k++)
            if (old[k].key)
                *find_bucket(ss, old[k].kind, old[k].key) = old[k];
        free(old);
    }
    b = find_bucket(ss, kind, key);
    if (!b->key) {
        b->key = key;
        b->kind = kind;
        ss->tabn++;
    }
    if (b->n == b->cap) {
        b->cap = b->cap ? b->cap * 2 : 4;
        b->sel = xrealloc(b->sel, b->cap * sizeof *b->sel);
    }
    b->sel[b->n++] = s;
}

static void build_index(stylesheet *ss)
{
    for (size_t k = 0; k < ss->nsel; k++) {
        const selector *s = &ss->sel[k];
        const compound *c = &s->c[s->n - 1];

        if (c->id)
            index_add(ss, '#', c->id, s);
        else if (c->ncls)
            index_add(ss, '.', c->cls[0], s);
        else if (c->type)
            index_add(ss, 't', c->type, s);
        else {
            if (ss->nany == ss->anycap) {
                ss->anycap = ss->anycap ? ss->anycap * 2 : 8;
                ss->any = xrealloc(ss->any, ss->anycap * sizeof *ss->any);
            }
            ss->any[ss->nany++] = s;
        }
    }
}

/***  Style sheets  ***/

static void run_parser(parser *p, const char *css, size_t len, unsigned line, arena *a)
{
    lexer lx = { css, css + len, css, css, line ? line : 1, 1, a, NULL, 0, 0 };

    /* a UTF-8 byte order mark is not content */
    if (len >= 3 && memcmp(css, "\xEF\xBB\xBF", 3) == 0)
        lx.p += 3;
    p->src = css;
    tokenize(&lx, p);
    p->t = lx.t;
    p->n = lx.n;
    p->i = 0;
}

static void clear_index(stylesheet *ss)
{
    for (size_t k = 0; k < ss->tabcap; k++)
        free(ss->tab[k].sel);
    free(ss->tab);
    ss->tab = NULL;
    ss->tabcap = ss->tabn = 0;
    ss->nany = 0;
}

int style_add(stylesheet *ss, const char *name, unsigned line, const char *css, size_t len,
              diag *d)
{
    parser p = { 0 };
    const char *slash;
    char *dir;

    if (!ss || (!css && len))
        return -1;
    name = name ? name : ss->name;
    slash = strrchr(name, '/');
    dir = slash ? arena_strndup(ss->a, name, (size_t)(slash - name) + 1) : arena_strdup(ss->a, "");
    p.ss = ss;
    p.file = arena_strdup(ss->a, name);
    p.dir = dir;
    p.findex = STYLE_NO_PARENT; /* text: an @import would read a file named by anyone */
    p.print = 1;
    p.d = d;
    p.a = ss->a;
    run_parser(&p, css ? css : "", len, line, ss->a);
    parse_rule_list(&p, 0, 0, 0);
    free((void *)p.t);
    clear_index(ss); /* selectors may have moved: index them all again */
    build_index(ss);
    return 0;
}

static stylesheet *new_sheet(const char *name)
{
    stylesheet *ss = xcalloc(1, sizeof *ss);

    ss->a = arena_new();
    ss->name = xstrdup(name ? name : "style");
    return ss;
}

stylesheet *style_parse(const char *name, const char *css, size_t len, diag *d)
{
    stylesheet *ss;

    if (!css && len)
        return NULL;
    ss = new_sheet(name);
    style_add(ss, ss->name, 1, css, len, d);
    return ss;
}

/* Does the media attribute of a <style> element (NULL: none) include print? */
static int media_attr_matches(const char *media)
{
    parser p = { 0 };
    arena *a;
    int ok;

    if (!media)
        return 1;
    a = arena_new();
    p.a = a;
    run_parser(&p, media, strlen(media), 1, a);
    ok = media_matches(&p, 0, p.n - 1);
    free((void *)p.t);
    arena_free(a);
    return ok;
}

int style_add_document(stylesheet *ss, const xmlDoc *doc, diag *d)
{
    const char *name = doc && doc->URL ? (const char *)doc->URL : "<document>";
    xmlNode *n = doc ? xmlDocGetRootElement((xmlDoc *)doc) : NULL;

    if (!ss)
        return -1;
    while (n) { /* document order, without recursion */
        if (n->type == XML_ELEMENT_NODE && strcasecmp((const char *)n->name, "style") == 0) {
            xmlChar *media = xmlGetProp(n, (const xmlChar *)"media");
            xmlChar *text = xmlNodeGetContent(n);

            if (text && media_attr_matches((const char *)media))
                style_add(ss, name, (unsigned)xmlGetLineNo(n), (const char *)text,
                          strlen((const char *)text), d);
            xmlFree(text);
            xmlFree(media);
        } else if (n->type == XML_ELEMENT_NODE && n->children) {
            n = n->children;
            continue;
        }
        while (n && !n->next)
            n = n->parent && n->parent->type == XML_ELEMENT_NODE ? n->parent : NULL;
        if (n)
            n = n->next;
    }
    return 0;
}

/* PATH with its text (CSS, or read), as file 0 of a new sheet, parsed with its imports. */
static stylesheet *read_sheet(const char *path, const char *css, size_t len, int imports_only,
                              diag *d)
{
    char *data = NULL;
    stylesheet *ss;
    parser outer = { 0 };

    if (!css && fileio_read(path, &data, &len, d) != 0)
        return NULL;
    ss = new_sheet(path);
    add_file(ss, join_tidy(ss->a, "", ss->name), css ? css : data, len, STYLE_NO_PARENT);
    ss->files[0].print = 1;
    free(data);
    outer.imports_only = outer.quiet = imports_only;
    parse_file(ss, 0, ss->name, &outer, d);
    build_index(ss);
    return ss;
}

stylesheet *style_read(const char *path, diag *d)
{
    return read_sheet(path, NULL, 0, 0, d);
}

stylesheet *style_read_imports(const char *path, const char *css, size_t len, diag *d)
{
    return read_sheet(path, css, len, 1, d);
}

size_t style_files(const stylesheet *ss, const style_file **out)
{
    *out = ss ? ss->files : NULL;
    return ss ? ss->nfiles : 0;
}

void style_free(stylesheet *ss)
{
    if (!ss)
        return;
    clear_index(ss);
    free(ss->any);
    free(ss->sel);
    free(ss->ff);
    free(ss->pr);
    free(ss->files);
    arena_free(ss->a);
    free(ss->name);
    free(ss);
}

size_t style_font_faces(const stylesheet *ss, const style_font_face **out)
{
    *out = ss ? ss->ff : NULL;
    return ss ? ss->nff : 0;
}

const char *style_name(const stylesheet *ss)
{
    return ss ? ss->name : NULL;
}

/***  The user-agent sheet  ***/

/* After browsers' html.css, for print. Differences: body has no margin (the @page margins
 * frame the text on paper); headings avoid a break after them. */
const char style_ua_sheet[] =
    "html, address, blockquote, body, dd, div, dl, dt, fieldset, form, h1, h2, h3, h4, h5,\n"
    "h6, ol, p, ul, center, hr, menu, pre, article, aside, footer, header, hgroup, main,\n"
    "nav, section, figure, figcaption, details, summary, legend, dir { display: block }\n"
    "head, script, style, title, meta, link, base, template, noscript, area, datalist,\n"
    "param, source, track { display: none }\n"
    "li { display: list-item }\n"
    "table { display: table; border-collapse: separate; border-spacing: 2px;\n"
    "        text-indent: 0 }\n"
    "caption { display: table-caption; text-align: center }\n"
    "thead { display: table-header-group; vertical-align: middle }\n"
    "tbody { display: table-row-group; vertical-align: middle }\n"
    "tfoot { display: table-footer-group; vertical-align: middle }\n"
    "tr { display: table-row; vertical-align: middle }\n"
    "td, th { display: table-cell; padding: 1px; vertical-align: middle }\n"
    "th { font-weight: bold; text-align: center }\n"
    "col { display: table-column } colgroup { display: table-column-group }\n"
    "p, dl, multicol { margin: 1em 0 }\n"
    "blockquote, figure { margin: 1em 40px }\n"
    "dd { margin-left: 40px }\n"
    "ul, ol, menu, dir { margin: 1em 0; padding-left: 40px }\n"
    "ul, menu, dir { list-style-type: disc } ol { list-style-type: decimal }\n"
    "ul ul, ol ul, ul menu { list-style-type: circle }\n"
    "ul ul ul, ul ol ul, ol ul ul, ol ol ul { list-style-type: square }\n"
    "ul ul, ul ol, ol ul, ol ol { margin-top: 0; margin-bottom: 0 }\n"
    "h1 { font-size: 2em; margin: 0.67em 0 }\n"
    "h2 { font-size: 1.5em; margin: 0.83em 0 }\n"
    "h3 { font-size: 1.17em; margin: 1em 0 }\n"
    "h4 { font-size: 1em; margin: 1.33em 0 }\n"
    "h5 { font-size: 0.83em; margin: 1.67em 0 }\n"
    "h6 { font-size: 0.67em; margin: 2.33em 0 }\n"
    "h1, h2, h3, h4, h5, h6 { font-weight: bold; break-after: avoid }\n"
    "b, strong { font-weight: bolder }\n"
    "i, em, cite, var, dfn, address { font-style: italic }\n"
    "u, ins { text-decoration: underline }\n"
    "s, strike, del { text-decoration: line-through }\n"
    "sub { vertical-align: sub; font-size: smaller }\n"
    "sup { vertical-align: super; font-size: smaller }\n"
    "small { font-size: smaller } big { font-size: larger }\n"
    "code, kbd, samp, tt, pre { font-family: monospace }\n"
    "pre { white-space: pre; margin: 1em 0 }\n"
    "center { text-align: center }\n"
    ":link { color: #0000ee; text-decoration: underline }\n"
    "mark { background-color: yellow; color: black }\n"
    "hr { border: 1px inset gray; margin: 0.5em 0 }\n"
    "nobr { white-space: nowrap }\n";

static stylesheet *ua;
static pthread_once_t ua_once = PTHREAD_ONCE_INIT;

static void parse_ua(void)
{
    ua = style_parse("<user-agent>", style_ua_sheet, sizeof style_ua_sheet - 1, NULL);
}

/***  Cascade  ***/

/* An element as the cascade sees it; the computed style comes first so that node->_private
 * is at once a `style *` (style_of) and this record. */
typedef struct enode {
    style st;
    const char *id;
    const char **cls;
    size_t ncls;
    struct enode *parent; /* NULL for the root element */
    const xmlNode *node;
} enode;

static const style initial = {
    .display = DISPLAY_INLINE,
    .font_family = "serif",
    .font_size = 12,
    .font_weight = 400,
    .line_height_kind = LH_NORMAL,
    .line_height = 1.2f,
    .color = { 0, 0, 0, 255 },
    .text_indent = { 0, LEN_PT },
    .orphans = 2,
    .widows = 2,
    .list_style_type = LIST_DISC,
    .margin = { { 0, LEN_PT }, { 0, LEN_PT }, { 0, LEN_PT }, { 0, LEN_PT } },
    .padding = { { 0, LEN_PT }, { 0, LEN_PT }, { 0, LEN_PT }, { 0, LEN_PT } },
    .border_width = { 2.25f, 2.25f, 2.25f, 2.25f },
    .width = { 0, LEN_AUTO },
    .height = { 0, LEN_AUTO },
    .min_width = { 0, LEN_PT },
    .max_width = { 0, LEN_AUTO },
};

typedef struct match {
    const decl *d;
    size_t n;
    unsigned origin; /* 0 user agent, 1 author */
    unsigned spec, order;
} match;

typedef struct cascade {
    const stylesheet *ss;
    arena *a;
    diag *d;
    const char *file;
    float root_size; /* for rem */
    match *m;
    size_t nm, mcap;
} cascade;

static const char *attr_value(const xmlNode *n, const char *name, arena *a)
{
    for (const xmlAttr *at = n->properties; at; at = at->next) {
        if (strcasecmp((const char *)at->name, name) != 0)
            continue;
        if (!at->children)
            return "";
        if (at->children->type == XML_TEXT_NODE && !at->children->next)
            return (const char *)at->children->content;
        {
            xmlChar *v = xmlNodeListGetString(n->doc, at->children, 1);
            const char *s = arena_strdup(a, v ? (const char *)v : "");

            xmlFree(v);
            return s;
        }
    }
    return NULL;
}

static void split_classes(enode *e, const char *cls, arena *a)
{
    size_t n = 0, k = 0;
    const char *q;

    for (q = cls; *q;) {
        while (*q && is_ws((unsigned char)*q))
            q++;
        if (!*q)
            break;
        n++;
        while (*q && !is_ws((unsigned char)*q))
            q++;
    }
    if (!n)
        return;
    e->cls = arena_alloc(a, n * sizeof *e->cls);
    for (q = cls; *q;) {
        const char *s;

        while (*q && is_ws((unsigned char)*q))
            q++;
        if (!*q)
            break;
        s = q;
        while (*q && !is_ws((unsigned char)*q))
            q++;
        e->cls[k++] = arena_strndup(a, s, (size_t)(q - s));
    }
    e->ncls = n;
}

static int is_element(const xmlNode *n)
{
    return n->type == XML_ELEMENT_NODE;
}

static int compound_matches(const compound *c, const enode *e)
{
    if (c->type && strcasecmp(c->type, (const char *)e->node->name) != 0)
        return 0;
    if (c->id && (!e->id || strcmp(c->id, e->id) != 0))
        return 0;
    for (unsigned k = 0; k < c->ncls; k++) {
        size_t j;

        for (j = 0; j < e->ncls; j++)
            if (strcmp(c->cls[k], e->cls[j]) == 0)
                break;
        if (j == e->ncls)
            return 0;
    }
    if (c->pseudo) {
        const xmlNode *s;

        if (c->pseudo & PSEUDO_NEVER)
            return 0;
        if (c->pseudo & PSEUDO_FIRST) {
            for (s = e->node->prev; s && !is_element(s); s = s->prev)
                ;
            if (s || !e->parent)
                return 0;
        }
        if (c->pseudo & PSEUDO_LAST) {
            for (s = e->node->next; s && !is_element(s); s = s->next)
                ;
            if (s || !e->parent)
                return 0;
        }
        if ((c->pseudo & PSEUDO_ROOT) && e->parent)
            return 0;
        if (c->pseudo & PSEUDO_LINK) {
            const char *nm = (const char *)e->node->name;

            if (strcasecmp(nm, "a") != 0 && strcasecmp(nm, "area") != 0)
                return 0;
            for (const xmlAttr *at = e->node->properties; at; at = at->next)
                if (strcasecmp((const char *)at->name, "href") == 0)
                    return 1;
            return 0;
        }
    }
    return 1;
}

/* Does compound K of S and everything to its left match E and its ancestors? A failure
 * says how far it reaches (WebKit's SelectorChecker): FAIL_ALL when no ancestor further up
 * can help either, so a descendant combinator stops looking. Without it, `ol ul ul` on
 * 10.000 nested lists is cubic. */
enum { MATCHED, FAIL_HERE, FAIL_ALL };

static int match_from(const selector *s, unsigned k, const enode *e)
{
    if (!compound_matches(&s->c[k], e))
        return FAIL_HERE;
    if (k == 0)
        return MATCHED;
    if (s->c[k].comb == '>')
        return e->parent ? match_from(s, k - 1, e->parent) : FAIL_ALL;
    for (const enode *a = e->parent; a; a = a->parent) {
        int r = match_from(s, k - 1, a);

        if (r != FAIL_HERE)
            return r;
    }
    return FAIL_ALL;
}

static int matches_from(const selector *s, unsigned k, const enode *e)
{
    return match_from(s, k, e) == MATCHED;
}

static void add_match(cascade *c, const selector *s, unsigned origin)
{
    match *m;

    if (c->nm == c->mcap) {
        c->mcap = c->mcap ? c->mcap * 2 : 32;
        c->m = xrealloc(c->m, c->mcap * sizeof *c->m);
    }
    m = &c->m[c->nm++];
    m->d = s->rule->d;
    m->n = s->rule->n;
    m->origin = origin;
    m->spec = s->spec;
    m->order = s->order;
}

static void try_list(cascade *c, const selector *const *sel, size_t n, const enode *e,
                     unsigned origin)
{
    for (size_t k = 0; k < n; k++)
        if (matches_from(sel[k], sel[k]->n - 1, e))
            add_match(c, sel[k], origin);
}

static void collect(cascade *c, const stylesheet *ss, const enode *e, unsigned origin)
{
    const bucket *b;

    if (!ss || !ss->nsel)
        return;
    if (e->id && (b = find_bucket(ss, '#', e->id)) && b->key)
        try_list(c, b->sel, b->n, e, origin);
    for (size_t k = 0; k < e->ncls; k++) {
        size_t j;

        for (j = 0; j < k; j++) /* class="a a": the bucket once */
            if (strcmp(e->cls[j], e->cls[k]) == 0)
                break;
        if (j == k && (b = find_bucket(ss, '.', e->cls[k])) && b->key)
            try_list(c, b->sel, b->n, e, origin);
    }
    if ((b = find_bucket(ss, 't', (const char *)e->node->name)) && b->key)
        try_list(c, b->sel, b->n, e, origin);
    try_list(c, ss->any, ss->nany, e, origin);
}

static int match_before(const match *a, const match *b)
{
    if (a->origin != b->origin)
        return a->origin < b->origin;
    if (a->spec != b->spec)
        return a->spec < b->spec;
    return a->order < b->order;
}

static void sort_matches(match *m, size_t n)
{
    for (size_t i = 1; i < n; i++) { /* insertion sort: a handful of rules per element */
        match x = m[i];
        size_t j = i;

        while (j > 0 && match_before(&x, &m[j - 1])) {
            m[j] = m[j - 1];
            j--;
        }
        m[j] = x;
    }
}

static void pick(const decl **win, const decl *d, size_t n, int important)
{
    for (size_t k = 0; k < n; k++)
        if (d[k].important == important && d[k].prop < P_STYLE_COUNT)
            win[d[k].prop] = &d[k];
}

static float resolve_len(const decl *d, float font_size, float root_size, length *out)
{
    switch (d->unit) {
    case U_EM:
        *out = (length){ d->v * font_size, LEN_PT };
        break;
    case U_REM:
        *out = (length){ d->v * root_size, LEN_PT };
        break;
    case U_PCT:
        *out = (length){ d->v, LEN_PCT };
        break;
    case U_AUTO:
        *out = (length){ 0, LEN_AUTO };
        break;
    default:
        *out = (length){ d->v, LEN_PT };
        break;
    }
    return out->v;
}

static int bolder(int w)
{
    return w < 350 ? 400 : w < 550 ? 700 : 900;
}

static int lighter(int w)
{
    return w < 550 ? 100 : w < 750 ? 400 : 700;
}

/* Computes property PR of S from its winning declaration D. */
static void compute(style *s, const style *parent, int pr, const decl *d, float root_size)
{
    const prop_info *pi = &props[pr];
    length l;

    if (d->kind == V_INHERIT || (d->kind == V_UNSET && pi->inherited)) {
        memcpy((char *)s + pi->off, (const char *)parent + pi->off, pi->size);
        return;
    }
    if (d->kind == V_INITIAL || d->kind == V_UNSET) {
        memcpy((char *)s + pi->off, (const char *)&initial + pi->off, pi->size);
        if (pr >= P_BORDER_TOP_COLOR && pr <= P_BORDER_LEFT_COLOR)
            s->border_color[pr - P_BORDER_TOP_COLOR] = s->color;
        return;
    }
    switch (pr) {
    case P_DISPLAY: s->display = (display)d->kw; break;
    case P_FONT_FAMILY: s->font_family = d->s; break;
    case P_FONT_SIZE:
        if (d->kind == V_KW)
            s->font_size = d->kw == FS_LARGER ? parent->font_size * 1.2f
                                              : parent->font_size / 1.2f;
        else if (d->unit == U_EM)
            s->font_size = d->v * parent->font_size;
        else if (d->unit == U_PCT)
            s->font_size = d->v * parent->font_size / 100;
        else if (d->unit == U_REM)
            s->font_size = d->v * root_size;
        else
            s->font_size = d->v;
        break;
    case P_FONT_WEIGHT:
        s->font_weight = d->kw == FW_BOLDER ? bolder(parent->font_weight)
                         : d->kw == FW_LIGHTER ? lighter(parent->font_weight) : d->kw;
        break;
    case P_FONT_STYLE: s->font_italic = d->kw; break;
    case P_LINE_HEIGHT:
        if (d->kind == V_KW) {
            s->line_height_kind = LH_NORMAL;
            s->line_height = 1.2f;
        } else if (d->kind == V_NUM) {
            s->line_height_kind = LH_FACTOR;
            s->line_height = d->v;
        } else {
            s->line_height_kind = LH_PT;
            s->line_height = d->unit == U_PCT ? d->v * s->font_size / 100
                                              : resolve_len(d, s->font_size, root_size, &l);
        }
        break;
    case P_COLOR: s->color = d->kind == V_KW ? parent->color : d->color; break;
    case P_TEXT_ALIGN: s->text_align = (text_align)d->kw; break;
    case P_TEXT_INDENT: resolve_len(d, s->font_size, root_size, &s->text_indent); break;
    case P_TEXT_TRANSFORM: s->text_transform = (text_transform)d->kw; break;
    case P_WHITE_SPACE: s->white_space = (white_space)d->kw; break;
    case P_ORPHANS: s->orphans = d->kw; break;
    case P_WIDOWS: s->widows = d->kw; break;
    case P_LIST_STYLE_TYPE:
        if (d->kind == V_STR) {
            s->list_style_type = LIST_STRING;
            s->list_style_string = d->s;
        } else {
            s->list_style_type = (list_style)d->kw;
            s->list_style_string = NULL;
        }
        break;
    case P_BORDER_COLLAPSE: s->border_collapse = d->kw; break;
    case P_BORDER_SPACING: s->border_spacing = resolve_len(d, s->font_size, root_size, &l); break;
    case P_TEXT_DECORATION: s->text_decoration = d->kw; break;
    case P_VERTICAL_ALIGN: s->vertical_align = (vertical_align)d->kw; break;
    case P_BACKGROUND_COLOR: s->background_color = d->kind == V_KW ? s->color : d->color; break;
    case P_MARGIN_TOP: case P_MARGIN_RIGHT: case P_MARGIN_BOTTOM: case P_MARGIN_LEFT:
        resolve_len(d, s->font_size, root_size, &s->margin[pr - P_MARGIN_TOP]);
        break;
    case P_PADDING_TOP: case P_PADDING_RIGHT: case P_PADDING_BOTTOM: case P_PADDING_LEFT:
        resolve_len(d, s->font_size, root_size, &s->padding[pr - P_PADDING_TOP]);
        break;
    case P_BORDER_TOP_WIDTH: case P_BORDER_RIGHT_WIDTH: case P_BORDER_BOTTOM_WIDTH:
    case P_BORDER_LEFT_WIDTH:
        s->border_width[pr - P_BORDER_TOP_WIDTH] = resolve_len(d, s->font_size, root_size, &l);
        break;
    case P_BORDER_TOP_STYLE: case P_BORDER_RIGHT_STYLE: case P_BORDER_BOTTOM_STYLE:
    case P_BORDER_LEFT_STYLE:
        s->border_style[pr - P_BORDER_TOP_STYLE] = (border_style)d->kw;
        break;
    case P_BORDER_TOP_COLOR: case P_BORDER_RIGHT_COLOR: case P_BORDER_BOTTOM_COLOR:
    case P_BORDER_LEFT_COLOR:
        s->border_color[pr - P_BORDER_TOP_COLOR] = d->kind == V_KW ? s->color : d->color;
        break;
    case P_WIDTH: resolve_len(d, s->font_size, root_size, &s->width); break;
    case P_HEIGHT: resolve_len(d, s->font_size, root_size, &s->height); break;
    case P_MIN_WIDTH: resolve_len(d, s->font_size, root_size, &s->min_width); break;
    case P_MAX_WIDTH: resolve_len(d, s->font_size, root_size, &s->max_width); break;
    case P_BREAK_BEFORE: s->break_before = (break_kind)d->kw; break;
    case P_BREAK_AFTER: s->break_after = (break_kind)d->kw; break;
    case P_BREAK_INSIDE: s->break_inside = (break_kind)d->kw; break;
    case P_TABLE_LAYOUT: s->table_layout_fixed = d->kw; break;
    case P_PAGE: s->page = d->kind == V_STR ? d->s : NULL; break;
    default: break;
    }
}

/* The computed style of an element (or margin box) from the winners WIN over PARENT. */
static void compute_all(style *s, const style *parent, const decl *const *win, float root_size)
{
    *s = initial;
    for (int k = 0; k < P_STYLE_COUNT; k++)
        if (props[k].inherited)
            memcpy((char *)s + props[k].off, (const char *)parent + props[k].off,
                   props[k].size);
    if (win[P_FONT_SIZE])
        compute(s, parent, P_FONT_SIZE, win[P_FONT_SIZE], root_size);
    if (win[P_COLOR])
        compute(s, parent, P_COLOR, win[P_COLOR], root_size);
    for (int side = 0; side < 4; side++)
        s->border_color[side] = s->color; /* currentColor unless a rule says otherwise */
    for (int k = 0; k < P_STYLE_COUNT; k++)
        if (win[k] && k != P_FONT_SIZE && k != P_COLOR)
            compute(s, parent, k, win[k], root_size);
    for (int side = 0; side < 4; side++)
        if (s->border_style[side] == BORDER_NONE || !(s->border_width[side] > 0))
            s->border_width[side] = 0;
    if (!(s->font_size >= 0) || s->font_size > 1e6f) /* NaN and absurd sizes */
        s->font_size = s->font_size > 1e6f ? 1e6f : 0;
}

/* style="" of E, parsed into the document's arena. */
static void style_attribute(cascade *c, const enode *e, const char *text, decls *out)
{
    parser p = { 0 };

    p.file = c->file;
    p.d = c->d;
    p.a = c->a;
    p.line0 = (unsigned)xmlGetLineNo(e->node) > 0 ? (unsigned)xmlGetLineNo(e->node) : 1;
    run_parser(&p, text, strlen(text), 1, c->a);
    parse_decl_list(&p, out, style_decl, NULL, 0, 0);
    free((void *)p.t);
}

/* Presentational attributes, as browsers map them (HTML "Rendering", §15): align, valign,
 * width, bgcolor. GFM tables say `<td align="right">`, so this is how a Markdown table's
 * alignment reaches the PDF. They rank above the user-agent sheet and below every author
 * rule; a value CSS would reject is dropped silently, as browsers do. */
static void presentational_hints(cascade *c, const enode *e, decls *out)
{
    static const char *const align_on[] = { "td", "th", "tr", "p", "div", "h1", "h2", "h3",
                                            "h4", "h5", "h6", "caption", "thead", "tbody",
                                            "tfoot", NULL };
    static const char *const width_on[] = { "td", "th", "table", "col", "img", NULL };
    const char *name = (const char *)e->node->name, *v;
    buf b = BUF_INIT;
    parser p = { 0 };

    if (!e->node->properties)
        return;
    for (size_t k = 0; align_on[k]; k++)
        if (strcasecmp(name, align_on[k]) == 0) {
            if ((v = attr_value(e->node, "align", c->a)) && !strchr(v, ';'))
                buf_printf(&b, "text-align: %s;", v);
            if ((v = attr_value(e->node, "valign", c->a)) && !strchr(v, ';'))
                buf_printf(&b, "vertical-align: %s;", v);
            if ((v = attr_value(e->node, "bgcolor", c->a)) && !strchr(v, ';'))
                buf_printf(&b, "background-color: %s;", v);
            break;
        }
    for (size_t k = 0; width_on[k]; k++)
        if (strcasecmp(name, width_on[k]) == 0 && (v = attr_value(e->node, "width", c->a))) {
            char *end;
            double w = strtod(v, &end);

            if (end != v && w >= 0 && w < 1e6)
                buf_printf(&b, "width: %g%s;", w, *end == '%' ? "%" : "px");
        }
    if (!b.len)
        return;
    p.file = c->file;
    p.a = c->a;
    run_parser(&p, b.ptr, b.len, 1, c->a);
    parse_decl_list(&p, out, style_decl, NULL, 0, 0);
    free((void *)p.t);
    buf_free(&b);
}

static void style_element(cascade *c, enode *e)
{
    const decl *win[P_STYLE_COUNT] = { 0 };
    decls attr = { 0 }, hints = { 0 };
    size_t nua = 0;
    const char *sa = attr_value(e->node, "style", c->a);
    const style *parent;
    style root_parent;

    c->nm = 0;
    collect(c, ua, e, 0);
    collect(c, c->ss, e, 1);
    sort_matches(c->m, c->nm);
    if (sa)
        style_attribute(c, e, sa, &attr);
    presentational_hints(c, e, &hints);
    while (nua < c->nm && c->m[nua].origin == 0)
        nua++;
    for (size_t k = 0; k < nua; k++)
        pick(win, c->m[k].d, c->m[k].n, 0);
    pick(win, hints.d, hints.n, 0);
    for (size_t k = nua; k < c->nm; k++)
        pick(win, c->m[k].d, c->m[k].n, 0);
    pick(win, attr.d, attr.n, 0);
    for (size_t k = 0; k < c->nm; k++)
        pick(win, c->m[k].d, c->m[k].n, 1);
    pick(win, attr.d, attr.n, 1);
    if (e->parent) {
        parent = &e->parent->st;
    } else {
        root_parent = initial;
        parent = &root_parent;
    }
    compute_all(&e->st, parent, win, c->root_size);
    if (!e->parent)
        c->root_size = e->st.font_size;
    else if (e->st.display != DISPLAY_INLINE_BLOCK) /* decorations reach in-flow descendants */
        e->st.text_decoration |= parent->text_decoration;
}

static enode *new_enode(cascade *c, xmlNode *n, enode *parent)
{
    enode *e = arena_alloc(c->a, sizeof *e);
    const char *cls;

    e->node = n;
    e->parent = parent;
    e->id = attr_value(n, "id", c->a);
    if (e->id && !*e->id)
        e->id = NULL;
    if ((cls = attr_value(n, "class", c->a)))
        split_classes(e, cls, c->a);
    n->_private = e;
    return e;
}

int style_apply(const stylesheet *ss, xmlDoc *doc, arena *a, diag *d)
{
    cascade c = { 0 };
    xmlNode *n;

    if (!doc)
        return -1;
    c.ss = ss;
    c.a = a;
    c.d = d;
    c.file = doc->URL ? (const char *)doc->URL : "<document>";
    c.root_size = initial.font_size;
    pthread_once(&ua_once, parse_ua);
    /* pre-order walk without recursion: documents may nest 10.000 deep */
    n = doc->children;
    while (n) {
        if (is_element(n)) {
            xmlNode *up = n->parent;
            enode *parent = up && is_element(up) ? up->_private : NULL;

            style_element(&c, new_enode(&c, n, parent));
            if (n->children) {
                n = n->children;
                continue;
            }
        }
        while (n && !n->next) {
            n = n->parent;
            if (n == (xmlNode *)doc)
                n = NULL;
        }
        if (n)
            n = n->next;
    }
    free(c.m);
    return 0;
}

const style *style_of(const xmlNode *n)
{
    if (!n)
        return NULL;
    if (n->type != XML_ELEMENT_NODE) {
        n = n->parent;
        if (!n || n->type != XML_ELEMENT_NODE)
            return NULL;
    }
    return n->_private;
}

/***  Pages  ***/

static void pick_page(const decl **win, const decls *ds, int important)
{
    for (size_t k = 0; k < ds->n; k++)
        if (ds->d[k].important == important)
            win[ds->d[k].prop] = &ds->d[k];
}

/* The CSS Paged Media default text-align of a margin box, by position. */
static text_align box_align(int k)
{
    static const text_align align[MB_COUNT] = {
        ALIGN_RIGHT, ALIGN_LEFT, ALIGN_CENTER, ALIGN_RIGHT, ALIGN_LEFT,
        ALIGN_RIGHT, ALIGN_LEFT, ALIGN_CENTER, ALIGN_RIGHT, ALIGN_LEFT
    };

    return align[k];
}

const char *style_used_page(const xmlNode *n)
{
    for (; n && n->type == XML_ELEMENT_NODE; n = n->parent) {
        const style *st = n->_private;

        if (st && st->page)
            return st->page;
    }
    return NULL;
}

/* Whether page rule PR at specificity level LEVEL (0 @page, 1 @page :first, 2 @page NAME,
 * 3 @page NAME:first: names count before pseudo-classes, css-page-3 §4.2) applies. */
static int page_rule_applies(const page_rule *pr, int level, int page_no, const char *name,
                             int name_no)
{
    if (pr->first != (level & 1) || (pr->name != NULL) != (level >= 2))
        return 0;
    if (pr->name && (!name || strcmp(pr->name, name) != 0))
        return 0;
    if (pr->first && (pr->name ? name_no != 1 : page_no != 1))
        return 0;
    return 1;
}

void style_page(const stylesheet *ss, const style *root, int page_no, const char *name,
                int name_no, page_style *out, arena *a)
{
    const decl *win[P_COUNT] = { 0 };
    const decl *bwin[MB_COUNT][P_COUNT];
    const style *base = root ? root : &initial;
    float root_size = base->font_size;
    style page_ctx;

    memset(out, 0, sizeof *out);
    memset(bwin, 0, sizeof bwin);
    out->width = 595.28f;
    out->height = 841.89f;
    for (int s = 0; s < 4; s++)
        out->margin[s] = 72 / 2.54f * 2; /* 2cm when no @page says otherwise */
    /* by specificity (page_rule_applies), then source order; important ones last */
    for (int imp = 0; imp < 2; imp++)
        for (int level = 0; level < 4; level++)
            for (size_t k = 0; ss && k < ss->npr; k++) {
                const page_rule *pr = &ss->pr[k];

                if (!page_rule_applies(pr, level, page_no, name, name_no))
                    continue;
                pick_page(win, &pr->page, imp);
                for (int b = 0; b < MB_COUNT; b++)
                    if (pr->has_box[b])
                        pick_page(bwin[b], &pr->box[b], imp);
            }
    if (win[P_SIZE] && win[P_SIZE]->kind == V_LEN) {
        out->width = win[P_SIZE]->v;
        out->height = win[P_SIZE]->v2;
    }
    for (int s = 0; s < 4; s++) {
        const decl *d = win[P_MARGIN_TOP + s];
        length l;

        if (!d || d->kind != V_LEN)
            continue;
        resolve_len(d, base->font_size, root_size, &l);
        if (l.unit == LEN_PCT) /* page margins in % refer to the page width */
            l.v = l.v * out->width / 100;
        out->margin[s] = l.unit == LEN_AUTO ? 0 : l.v;
    }
    /* the page context: the root's inherited properties, then @page's declarations */
    compute_all(&page_ctx, base, win, root_size);
    for (int b = 0; b < MB_COUNT; b++) {
        page_box *pb = &out->box[b];
        const decl *c = bwin[b][P_CONTENT];
        style tmp;

        compute_all(&tmp, &page_ctx, bwin[b], root_size);
        pb->style = tmp;
        pb->style.page = NULL; /* a margin box is on no page of its own */
        if (!bwin[b][P_TEXT_ALIGN])
            pb->style.text_align = box_align(b);
        if (!bwin[b][P_VERTICAL_ALIGN])
            pb->style.vertical_align = VALIGN_MIDDLE;
        if (c && c->kind == V_CONTENT && c->ncontent) {
            content_item *it = arena_alloc(a, c->ncontent * sizeof *it);

            for (size_t k = 0; k < c->ncontent; k++) {
                it[k].kind = c->content[k].kind;
                it[k].text = c->content[k].text ? arena_strdup(a, c->content[k].text) : NULL;
            }
            pb->content = it;
            pb->ncontent = c->ncontent;
            pb->present = 1;
        }
        if (pb->style.font_family)
            pb->style.font_family = arena_strdup(a, pb->style.font_family);
        if (pb->style.list_style_string)
            pb->style.list_style_string = arena_strdup(a, pb->style.list_style_string);
    }
}
