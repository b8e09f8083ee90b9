/*
** The batch engine behind `baocao build`: plans every document of every template in
** templates/, decides which ones are out of date, renders those in a pool of forked worker
** processes and writes output/manifest.json and output/index.html.
**
** The engine knows nothing about how a document is filled or typeset. It sees the data and
** the renderers only through one small interface, build_source: the source expands a
** template's fan-out into documents, names the inputs each document depends on (with their
** digests), and renders one document into temporary files the engine then renames into
** place. buildsrc.c is the first such source; the dataset stage may replace it.
*/
#ifndef BAOCAO_BUILD_H
#define BAOCAO_BUILD_H

#include <stddef.h>

#include "diag.h"
#include "frontmatter.h"

#define BUILD_DIGEST_LEN 64     /* SHA-256 in lower-case hex, without the NUL */
#define BUILD_MAX_FANOUT 16     /* `each` columns; more is a mistake, not a report */
#define BUILD_LOCK_NAME ".baocao.lock"

/***  Documents and the source interface  ***/

/* One document: a template filled with one value of its fan-out. Every string is borrowed
 * (the engine copies what the source hands over into its own arena, sharing the strings its
 * documents have in common: the template, the fan-out names, the periods). */
typedef struct build_doc {
    const char *id;       /* stable identity: "templates/x.md?ma_tinh=01&nam=2024" (engine-made) */
    const char *tmpl;     /* the template, relative to the project: "templates/x.md" */
    const char *output;   /* path under output/ without extension: "2024/tong-ket-01-2024" */
    const char *title;    /* the filled title, or NULL */
    const char *period;   /* the value of the period column, or NULL: groups the index */
    unsigned formats;     /* FM_PDF | FM_HTML | FM_MD: one output file each */
    size_t nfan;          /* fan-out columns and their values, in `each` order */
    const char *const *fan_keys;
    const char *const *fan_values;
    void *ctx;            /* the source's own handle (its rows, say); copied as is */
} build_doc;

/* Hands one planned document to the engine, which copies it. Returns 0, or -1 after
 * reporting (a duplicate id or output path). */
typedef int (*build_doc_fn)(void *arg, const build_doc *doc, diag *d);

/* Names one input of a document and its digest (BUILD_DIGEST_LEN hex characters, or any
 * stable text). NAME is a kind and a path: "template:templates/x.md", "rows:input/a.csv". */
typedef void (*build_input_fn)(void *arg, const char *name, const char *digest);

/* One file to write. The renderer writes TMP (a temporary path in the final folder) and
 * nothing else; the engine hashes it and renames it to PATH once every output of the
 * document succeeded, or removes it. */
typedef struct build_output {
    const char *format; /* "pdf", "html", "md" */
    const char *path;   /* the final path, relative to the project: "output/2024/x.pdf" */
    const char *tmp;    /* write here */
    int pages;          /* set by the renderer when it knows (PDF), else left 0 */
} build_output;

/* What the engine needs from the data and the renderers. Called in this order: expand for
 * every template (in the main process; what it loads is inherited by the workers through
 * fork), inputs for every planned document (main process), render for the documents out of
 * date (in a worker process; it may keep caches: a worker renders many documents). Paths are
 * relative to the project folder, which is the working directory. Errors go to D as
 * FILE:LINE:COL: error: MESSAGE; every function returns 0 or -1 after reporting. */
typedef struct build_source {
    void *self;
    /* Expands template PATH (SRC, LEN bytes; front matter FM already parsed) into its
     * documents, calling FN(ARG, doc, D) for each; id is made by the engine from tmpl and
     * the fan-out values. A template whose data cannot be read fails here as a whole. */
    int (*expand)(void *self, const char *path, const char *src, size_t len,
                  const frontmatter *fm, build_doc_fn fn, void *arg, diag *d);
    /* Names every input DOC depends on (template, partials, style sheet, fonts, its rows of
     * data), calling FN once per input, in a stable order. The engine adds "program". */
    int (*inputs)(void *self, const build_doc *doc, build_input_fn fn, void *arg, diag *d);
    /* Renders DOC into OUT[0..NOUT-1].tmp (one per format bit, in the order pdf, html, md). */
    int (*render)(void *self, const build_doc *doc, build_output *out, size_t nout, diag *d);
    /* Frees SELF; NULL when there is nothing to free. */
    void (*release)(void *self);
} build_source;

/***  Digests (SHA-256, nettle)  ***/

typedef struct build_hash build_hash;

build_hash *build_hash_new(void);
void build_hash_put(build_hash *h, const void *p, size_t n);
/* Puts S and its NUL, so that ("ab","c") and ("a","bc") differ. */
void build_hash_puts(build_hash *h, const char *s);
/* Writes the digest as hex into OUT (BUILD_DIGEST_LEN + 1 bytes) and frees H. */
void build_hash_done(build_hash *h, char *out);
void build_digest_bytes(const void *p, size_t n, char *out);
/* The digest of the file at PATH. Returns 0, or -1 after reporting "PATH: error: cannot read". */
int build_digest_file(const char *path, char *out, diag *d);

/***  The plan  ***/

typedef struct build_plan build_plan;

/* Plans every template in TEMPLATES_DIR (top-level *.md and *.html, not partials/ or
 * layouts/, not names starting with '_' or '.'): parses its front matter and expands it
 * through SRC. A template that fails plans no document: its messages are printed to stderr
 * and kept for the manifest, and it is counted (build_plan_failed); the others are planned.
 * D gets the problems of the whole plan (a missing folder, two documents with one output).
 * Documents are sorted by id, so every listing derived from the plan is stable. The caller
 * frees the plan with build_plan_free(). */
build_plan *build_plan_new(const build_source *src, const char *templates_dir, diag *d);
void build_plan_free(build_plan *p);
size_t build_plan_count(const build_plan *p);
/* Borrowed: valid until P is freed. */
const build_doc *build_plan_at(const build_plan *p, size_t i);
/* How many templates could not be planned. */
size_t build_plan_failed(const build_plan *p);

/* The share (1..N) a document id belongs to: a stable hash of the id, the same on every
 * machine and in every version that keeps the id. */
unsigned build_shard_of(const char *id, unsigned n);
/* 1 when PATTERN (fnmatch, '*' crossing '/') matches the id or an output path of DOC. */
int build_matches(const build_doc *doc, const char *pattern);

/***  Incremental decisions  ***/

/* One document's inputs: names and digests, in the order the source gave them. */
typedef struct build_inputs build_inputs;

build_inputs *build_inputs_new(void);
void build_inputs_free(build_inputs *in);
void build_inputs_add(build_inputs *in, const char *name, const char *digest);
size_t build_inputs_count(const build_inputs *in);
/* Borrowed: the I-th input's name and digest (I < count). */
const char *build_inputs_name(const build_inputs *in, size_t i);
const char *build_inputs_digest(const build_inputs *in, size_t i);

/* The previous build's output/manifest.json, as read. */
typedef struct build_manifest build_manifest;

/* Reads PATH; a missing file is an empty manifest (a first build). A file that cannot be
 * parsed is reported as a warning and treated as empty: everything is rebuilt. */
build_manifest *build_manifest_read(const char *path, diag *d);
void build_manifest_free(build_manifest *m);
size_t build_manifest_count(const build_manifest *m);
/* 1 when the manifest has document ID with status "ok". */
int build_manifest_has(const build_manifest *m, const char *id);
/* The I-th document's id, in id order (I < count). Borrowed: valid until M is freed. */
const char *build_manifest_id(const build_manifest *m, size_t i);

/* Writes the index page INDEX (atomically) from the manifest file MANIFEST: every document
 * grouped by template and period, with its links, pages, sizes and status. Returns 0, or -1
 * after reporting. */
int build_index_write(const char *manifest, const char *index, diag *d);

/* Why DOC must be built, or NULL when it is up to date: "forced", "new", "failed before",
 * "changed NAME", "new input NAME", "dropped input NAME", "missing output PATH" (checked with
 * stat against the recorded size). The text is valid until the next call. OUT_DIR is the
 * folder the outputs live in ("output"). M is not changed, but caches the entry it parses. */
const char *build_reason(build_manifest *m, const build_doc *doc, const build_inputs *in,
                         const char *out_dir, int force);

/***  Running a build  ***/

typedef struct build_opts {
    const char *dir;        /* project folder (-C), NULL: the working directory */
    int jobs;               /* worker processes; 0: the number of cores */
    int force;              /* rebuild everything */
    const char *only;       /* fnmatch pattern on id or output path, or NULL */
    unsigned shard_k;       /* 1..shard_n; 0 when not sharding */
    unsigned shard_n;
    int quiet;              /* no progress, only errors and the summary line */
    int dry_run;            /* list what would be built, write nothing */
    double wait;            /* seconds to wait for the lock; 0 fails at once */
} build_opts;

/* Runs one build of the project in O->dir (the process changes into it and stays there)
 * with SRC. Messages go to D and stderr, the summary line to stdout. Returns the exit status: 0 all built or up to date; 1 a document or
 * template failed (the others are written), the lock is held, output/ is unwritable; 130
 * or 143 when interrupted by SIGINT or SIGTERM (nothing half-written is left). */
int build_run(const build_opts *o, const build_source *src, diag *d);

#endif
