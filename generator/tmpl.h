/*
** Mustache templates (the official spec, with inheritance and dynamic names; no lambdas):
** parsed once into a compiled form, rendered many times against data seen only through
** the tmpl_data callbacks.
*/
#ifndef BAOCAO_TMPL_H
#define BAOCAO_TMPL_H

#include <stddef.h>

#include "buf.h"
#include "diag.h"

#define TMPL_MAX_PARTIAL_DEPTH 64 /* deeper is recursion by mistake; stacks are finite */
#define TMPL_MAX_NESTING 256      /* sections, parents and blocks inside each other in one
                                     template; parsing is iterative, this bounds rendering */

typedef struct tmpl tmpl;

/* The data a template sees, and nothing else (md4c's MD_PARSER, mustach's mustach_itf).
 * NAME is a tag's name as written: dotted ("a.b.c") or "." for the current item. */
typedef struct tmpl_data {
    void *self;
    /* Resolves NAME from the context stack. 1: entered (a list's first item is active, or
     * the value is pushed); 0: falsey or empty list (nothing pushed). */
    int (*enter)(void *self, const char *name, size_t len);
    /* 1: the next list item is active; 0: done (also for a value that is not a list). */
    int (*next)(void *self);
    /* Pops what the last successful enter() pushed. */
    void (*leave)(void *self);
    /* 0: found, the text in OUT (valid until the next call); -1: missing (prints nothing). */
    int (*lookup)(void *self, const char *name, size_t len, str *out);
} tmpl_data;

/* Appends S (N bytes) to OUT escaped for the target format. */
typedef void (*tmpl_escape_fn)(buf *out, const char *s, size_t n);

/* The spec's HTML escaping: & " < > become entities; everything else is copied. */
void tmpl_escape_html(buf *out, const char *s, size_t n);

/* A partial's text as a loader hands it over: TEXT and PATH are malloc'd and the engine
 * takes them (PATH, a display path for errors, may be NULL: the name is used). */
typedef struct tmpl_source {
    char *text;
    size_t len;
    char *path;
} tmpl_source;

/* Where partials come from. The struct is copied into the template; SELF must outlive every
 * template parsed with it (dynamic partials are loaded while rendering). */
typedef struct tmpl_loader {
    void *self;
    /* Finds partial NAME (LEN bytes, no NUL). 0: found, SRC filled; 1: no such partial and
     * the policy is to render it as empty (the spec's rule); -1: an error, its message
     * (without position) in WHY; the engine reports it at the tag. */
    int (*load)(void *self, const char *name, size_t len, tmpl_source *src, buf *why);
    /* Frees SELF (tmpl_loader_free); NULL when there is nothing to free. */
    void (*release)(void *self);
} tmpl_loader;

/* A loader reading ROOT/NAME+EXT (EXT such as ".md", may be NULL; NAME as written is
 * tried when NAME+EXT does not exist). A name that would leave ROOT ("..", an absolute
 * path, a symlink resolving outside, checked with realpath) is an error and no file is
 * read; an unknown partial is an error. Returns NULL after reporting when ROOT cannot be
 * resolved. Free with tmpl_loader_free(). */
tmpl_loader *tmpl_loader_dir(const char *root, const char *ext, diag *d);
/* Releases a loader from tmpl_loader_dir(); NULL is a no-op. */
void tmpl_loader_free(tmpl_loader *ld);

/* Parses SRC (LEN bytes; NAME is the display path in errors as NAME:LINE:COL, columns
 * count UTF-8 characters) and every partial it names statically, each loaded and compiled
 * once through LD (NULL: no partials, every partial renders empty). On failure returns NULL
 * after reporting every problem to D. The caller frees the result with tmpl_free(). */
tmpl *tmpl_parse(const char *name, const char *src, size_t len, const tmpl_loader *ld, diag *d);

/* Appends T filled from DATA to OUT, values passed through ESC (NULL: raw). Returns 0, or
 * -1 after reporting (partial recursion deeper than TMPL_MAX_PARTIAL_DEPTH, a dynamic
 * partial the loader refuses); OUT then holds a partial result. Dynamic partials are loaded
 * and compiled on first use and cached in T, so one T must not be rendered from two threads. */
int tmpl_render(const tmpl *t, const tmpl_data *data, tmpl_escape_fn esc, buf *out, diag *d);

/* Calls FN for every partial T depends on statically (transitively; dynamic ones loaded so
 * far included), with its name and display path (NULL when the loader had none or the
 * partial is missing). For incremental builds. */
void tmpl_deps(const tmpl *t, void (*fn)(void *self, const char *name, const char *path),
               void *self);

/* tmpl_free(NULL) is a no-op. */
void tmpl_free(tmpl *t);

#endif
