/*
** The batch engine: plan, decide, render in forked workers, write the manifest and index.
**
** Design. The main process plans every document (build_source.expand), asks each selected
** one for its inputs and compares their digests with output/manifest.json. The documents out
** of date go to a pool of worker processes forked after planning, so each worker inherits
** whatever the source loaded (tables, fonts) without sharing any state that can change: a
** worker that crashes costs one document, which is marked failed, and is replaced. A worker
** gets a document index on its job pipe and answers on its result pipe with the status, the
** outputs it wrote (size, pages, SHA-256) and the error text. Results are stored by document
** index and everything written afterwards (manifest, index, messages) walks the plan in id
** order, so the files do not depend on which worker finished first: -j 1 and -j 8 give the
** same bytes.
**
** Cron safety: the renderer writes a temporary file beside each output; the worker renames
** them only when every format of the document succeeded. SIGINT/SIGTERM set a flag; the main
** loop stops handing out work, terminates the workers, removes the temporaries of the
** documents in flight, writes the manifest of what was finished, and exits 128+signal.
** output/.baocao.lock (flock, holding the pid for the message) keeps two builds apart; the
** kernel drops a flock when its process dies, so a stale lock is simply taken over.
*/
#include "build.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <nettle/sha2.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <dirent.h>
#include <time.h>
#include <unistd.h>

#include "arena.h"
#include "buf.h"
#include "fileio.h"
#include "xalloc.h"

#define OUT_DIR "output"
#define MANIFEST_NAME "manifest.json"
#define INDEX_NAME "index.html"
#define MAX_WORKERS 256          /* more processes than this is a typo in -j, not a machine */
#define MAX_RESULT_BYTES (1u << 24) /* a result message longer than this is a broken worker */
#define MANIFEST_VERSION 1

/***  Digests  ***/

struct build_hash {
    struct sha256_ctx ctx;
};

build_hash *build_hash_new(void)
{
    build_hash *h = xmalloc(sizeof *h);

    sha256_init(&h->ctx);
    return h;
}

void build_hash_put(build_hash *h, const void *p, size_t n)
{
    sha256_update(&h->ctx, n, p);
}

void build_hash_puts(build_hash *h, const char *s)
{
    sha256_update(&h->ctx, strlen(s) + 1, (const uint8_t *)s);
}

static void to_hex(const uint8_t *p, size_t n, char *out)
{
    static const char hex[] = "0123456789abcdef";

    for (size_t i = 0; i < n; i++) {
        out[2 * i] = hex[p[i] >> 4];
        out[2 * i + 1] = hex[p[i] & 15];
    }
    out[2 * n] = '\0';
}

void build_hash_done(build_hash *h, char *out)
{
    uint8_t dig[SHA256_DIGEST_SIZE];

    sha256_digest(&h->ctx, sizeof dig, dig);
    to_hex(dig, sizeof dig, out);
    free(h);
}

void build_digest_bytes(const void *p, size_t n, char *out)
{
    build_hash *h = build_hash_new();

    build_hash_put(h, p, n);
    build_hash_done(h, out);
}

int build_digest_file(const char *path, char *out, diag *d)
{
    char *data;
    size_t len;

    if (fileio_read(path, &data, &len, d) != 0)
        return -1;
    build_digest_bytes(data, len, out);
    free(data);
    return 0;
}

/***  Inputs  ***/

/* Names and digests in one buffer ("name\0digest\0..."), located by offsets: a document out of
 * date keeps its inputs until its result arrives, 10.000 of them at once. */
struct build_inputs {
    buf text;
    size_t *off; /* 2 per input */
    size_t count, cap;
};

build_inputs *build_inputs_new(void)
{
    return xcalloc(1, sizeof(build_inputs));
}

void build_inputs_free(build_inputs *in)
{
    if (!in)
        return;
    buf_free(&in->text);
    free(in->off);
    free(in);
}

void build_inputs_add(build_inputs *in, const char *name, const char *digest)
{
    if (in->count == in->cap) {
        in->cap = in->cap ? 2 * in->cap : 8;
        in->off = xrealloc(in->off, 2 * in->cap * sizeof *in->off);
    }
    in->off[2 * in->count] = in->text.len;
    buf_put(&in->text, name, strlen(name) + 1);
    in->off[2 * in->count + 1] = in->text.len;
    buf_put(&in->text, digest, strlen(digest) + 1);
    in->count++;
}

size_t build_inputs_count(const build_inputs *in)
{
    return in->count;
}

const char *build_inputs_name(const build_inputs *in, size_t i)
{
    return in->text.ptr + in->off[2 * i];
}

const char *build_inputs_digest(const build_inputs *in, size_t i)
{
    return in->text.ptr + in->off[2 * i + 1];
}

static void add_input(void *arg, const char *name, const char *digest)
{
    build_inputs_add(arg, name, digest);
}

/***  Formats  ***/

static const struct {
    unsigned bit;
    const char *ext;
} formats[] = { { FM_PDF, "pdf" }, { FM_HTML, "html" }, { FM_MD, "md" } };
#define NFORMATS (sizeof formats / sizeof formats[0])

/***  The plan  ***/

struct build_plan {
    arena *a;
    build_doc *docs;
    size_t count, cap;
    size_t failed;              /* templates that could not be planned */
    const char **failed_tmpl;   /* their paths (arena) */
    const char **failed_msg;    /* and their messages (arena) */
    size_t failed_cap;
};

/* Appends S to B with the characters that separate an id's parts (and controls) escaped,
 * so that the id of (a="x&y") differs from that of (a="x", y=...). */
static void put_id_part(buf *b, const char *s)
{
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;

        if (c < 0x20 || c == '%' || c == '&' || c == '=' || c == '?')
            buf_printf(b, "%%%02X", c);
        else
            buf_putc(b, c);
    }
}

static int take_doc(void *arg, const build_doc *doc, diag *d)
{
    build_plan *p = arg;
    build_doc *c;
    buf id = BUF_INIT;

    if (doc->nfan > BUILD_MAX_FANOUT) {
        diag_error(d, doc->tmpl, 0, 0, "more than %d fan-out columns", BUILD_MAX_FANOUT);
        return -1;
    }
    if (!doc->output || !*doc->output || doc->output[0] == '/' || strstr(doc->output, "..")) {
        diag_error(d, doc->tmpl, 0, 0, "output path '%s' must be relative and stay inside output/",
                   doc->output ? doc->output : "");
        return -1;
    }
    if (p->count == p->cap) {
        p->cap = p->cap ? 2 * p->cap : 64;
        p->docs = xrealloc(p->docs, p->cap * sizeof *p->docs);
    }
    c = &p->docs[p->count++];
    *c = *doc;
    buf_puts(&id, doc->tmpl);
    for (size_t i = 0; i < doc->nfan; i++) {
        buf_putc(&id, i ? '&' : '?');
        put_id_part(&id, doc->fan_keys[i]);
        buf_putc(&id, '=');
        put_id_part(&id, doc->fan_values[i]);
        c->fan_keys[i] = arena_strdup(p->a, doc->fan_keys[i]);
        c->fan_values[i] = arena_strdup(p->a, doc->fan_values[i]);
    }
    c->id = arena_strdup(p->a, buf_cstr(&id));
    c->tmpl = arena_strdup(p->a, doc->tmpl);
    c->output = arena_strdup(p->a, doc->output);
    c->title = doc->title ? arena_strdup(p->a, doc->title) : NULL;
    c->period = doc->period ? arena_strdup(p->a, doc->period) : NULL;
    buf_free(&id);
    return 0;
}

static int by_id(const void *a, const void *b)
{
    return strcmp(((const build_doc *)a)->id, ((const build_doc *)b)->id);
}

static int by_output(const void *a, const void *b)
{
    const build_doc *x = *(const build_doc *const *)a, *y = *(const build_doc *const *)b;

    return strcmp(x->output, y->output);
}

static int by_string(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Top-level templates of DIR, sorted; partials/ and layouts/ are folders and so skipped. */
static char **list_templates(const char *dir, size_t *count, diag *d)
{
    DIR *dh = opendir(dir);
    struct dirent *e;
    char **names = NULL;
    size_t n = 0, cap = 0;

    *count = 0;
    if (!dh) {
        diag_error(d, dir, 0, 0, "cannot read the templates folder: %s", strerror(errno));
        return NULL;
    }
    while ((e = readdir(dh))) {
        const char *dot = strrchr(e->d_name, '.');
        buf path = BUF_INIT;
        struct stat st;

        if (e->d_name[0] == '_' || e->d_name[0] == '.' || !dot ||
            (strcmp(dot, ".md") != 0 && strcmp(dot, ".html") != 0))
            continue;
        buf_printf(&path, "%s/%s", dir, e->d_name);
        if (stat(path.ptr, &st) != 0 || !S_ISREG(st.st_mode)) {
            buf_free(&path);
            continue;
        }
        if (n == cap) {
            cap = cap ? 2 * cap : 16;
            names = xrealloc(names, cap * sizeof *names);
        }
        names[n++] = buf_detach(&path, NULL);
    }
    closedir(dh);
    if (n)
        qsort(names, n, sizeof *names, by_string);
    *count = n;
    return names;
}

static void plan_failed(build_plan *p, const char *path, const char *msg)
{
    if (p->failed == p->failed_cap) {
        p->failed_cap = p->failed_cap ? 2 * p->failed_cap : 8;
        p->failed_tmpl = xrealloc(p->failed_tmpl, p->failed_cap * sizeof *p->failed_tmpl);
        p->failed_msg = xrealloc(p->failed_msg, p->failed_cap * sizeof *p->failed_msg);
    }
    p->failed_msg[p->failed] = arena_strdup(p->a, msg);
    p->failed_tmpl[p->failed++] = arena_strdup(p->a, path);
}

/* Plans one template. Its messages are kept (for the manifest and the index) as well as
 * printed to stderr. */
static void plan_template(build_plan *p, const build_source *src, const char *path)
{
    char *text = NULL;
    size_t len, before = p->count;
    frontmatter fm;
    arena *fa = arena_new();
    diag *d = diag_new(NULL, 1);

    if (fileio_read(path, &text, &len, d) != 0 ||
        frontmatter_parse(path, text, len, &fm, fa, d) != 0 ||
        src->expand(src->self, path, text, len, &fm, take_doc, p, d) != 0 ||
        diag_errors(d) > 0) {
        p->count = before; /* a template plans whole or not at all */
        plan_failed(p, path, diag_text(d));
    }
    fputs(diag_text(d), stderr);
    diag_free(d);
    free(text);
    arena_free(fa);
}

/* Reports documents sharing an id or an output path; drops the second of each pair. */
static void check_unique(build_plan *p, diag *d)
{
    const build_doc **v = xmalloc((p->count + 1) * sizeof *v);
    size_t n = 0;

    for (size_t i = 0; i < p->count; i++) {
        if (i > 0 && strcmp(p->docs[i].id, p->docs[i - 1].id) == 0) {
            diag_error(d, p->docs[i].tmpl, 0, 0, "two documents with the same fan-out values: %s",
                       p->docs[i].id);
            continue;
        }
        v[n++] = &p->docs[i];
    }
    qsort(v, n, sizeof *v, by_output);
    for (size_t i = 1; i < n; i++)
        if (strcmp(v[i]->output, v[i - 1]->output) == 0)
            diag_error(d, v[i]->tmpl, 0, 0, "output '%s' is written by both %s and %s: add the "
                       "fan-out columns to the output pattern", v[i]->output, v[i - 1]->id, v[i]->id);
    free(v);
}

build_plan *build_plan_new(const build_source *src, const char *templates_dir, diag *d)
{
    build_plan *p = xcalloc(1, sizeof *p);
    size_t n;
    char **names = list_templates(templates_dir, &n, d);

    p->a = arena_new();
    if (!names && n == 0 && diag_errors(d))
        plan_failed(p, templates_dir, "");
    for (size_t i = 0; i < n; i++) {
        plan_template(p, src, names[i]);
        free(names[i]);
    }
    free(names);
    if (p->count)
        qsort(p->docs, p->count, sizeof *p->docs, by_id);
    check_unique(p, d);
    return p;
}

void build_plan_free(build_plan *p)
{
    if (!p)
        return;
    arena_free(p->a);
    free(p->docs);
    free(p->failed_tmpl);
    free(p->failed_msg);
    free(p);
}

size_t build_plan_count(const build_plan *p)
{
    return p->count;
}

const build_doc *build_plan_at(const build_plan *p, size_t i)
{
    return i < p->count ? &p->docs[i] : NULL;
}

size_t build_plan_failed(const build_plan *p)
{
    return p->failed;
}

static int plan_template_failed(const build_plan *p, const char *tmpl)
{
    for (size_t i = 0; i < p->failed; i++)
        if (strcmp(p->failed_tmpl[i], tmpl) == 0)
            return 1;
    return 0;
}

/***  Selection  ***/

unsigned build_shard_of(const char *id, unsigned n)
{
    uint8_t dig[SHA256_DIGEST_SIZE];
    struct sha256_ctx c;
    uint64_t v = 0;

    sha256_init(&c);
    sha256_update(&c, strlen(id), (const uint8_t *)id);
    sha256_digest(&c, sizeof dig, dig);
    for (int i = 0; i < 8; i++)
        v = v << 8 | dig[i];
    return n ? (unsigned)(v % n) + 1 : 1;
}

int build_matches(const build_doc *doc, const char *pattern)
{
    buf b = BUF_INIT;
    int hit = fnmatch(pattern, doc->id, 0) == 0 || fnmatch(pattern, doc->output, 0) == 0;

    for (size_t i = 0; i < NFORMATS && !hit; i++) {
        if (!(doc->formats & formats[i].bit))
            continue;
        buf_reset(&b);
        buf_printf(&b, "%s.%s", doc->output, formats[i].ext);
        hit = fnmatch(pattern, b.ptr, 0) == 0;
        buf_reset(&b);
        buf_printf(&b, OUT_DIR "/%s.%s", doc->output, formats[i].ext);
        hit = hit || fnmatch(pattern, b.ptr, 0) == 0;
    }
    buf_free(&b);
    return hit;
}

static int selected(const build_doc *doc, const build_opts *o)
{
    if (o->shard_n && build_shard_of(doc->id, o->shard_n) != o->shard_k)
        return 0;
    return !o->only || build_matches(doc, o->only);
}

/***  The previous manifest  ***/

/* One document of a manifest as read: its compact JSON text, and the fields the index and
 * the carry-over need. The text is parsed again only when a decision needs the details, so
 * a 10.000-document manifest is held as text, not as a tree of 300.000 nodes. */
typedef struct entry {
    char *id, *tmpl, *period, *status;
    char *text;
} entry;

struct build_manifest {
    entry *e;
    size_t count, cap;
    cJSON *cur; /* the last entry parsed by entry_json() */
};

static int by_entry(const void *a, const void *b)
{
    return strcmp(((const entry *)a)->id, ((const entry *)b)->id);
}

static const char *entry_string(const cJSON *e, const char *key)
{
    return cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(e, key));
}

static char *dup_or_null(const char *s)
{
    return s ? xstrdup(s) : NULL;
}

/* Adds the document J to M (when it has an id), with TEXT as its text (NULL: J printed). */
static void manifest_add(build_manifest *m, const cJSON *j, const char *text, size_t len)
{
    const char *id = entry_string(j, "id");
    entry *e;

    if (!id)
        return;
    if (m->count == m->cap) {
        m->cap = m->cap ? 2 * m->cap : 256;
        m->e = xrealloc(m->e, m->cap * sizeof *m->e);
    }
    e = &m->e[m->count++];
    e->id = xstrdup(id);
    e->tmpl = dup_or_null(entry_string(j, "template"));
    e->period = dup_or_null(entry_string(j, "period"));
    e->status = dup_or_null(entry_string(j, "status"));
    if (text) { /* a line baocao wrote with cJSON_PrintUnformatted: kept as it is */
        e->text = cJSON_malloc(len + 1);
        memcpy(e->text, text, len);
        e->text[len] = '\0';
    } else {
        e->text = cJSON_PrintUnformatted(j);
    }
}

/* The manifests baocao writes hold one document a line; those lines are parsed one at a
 * time. Returns the number of documents found. */
static size_t read_lines(build_manifest *m, const char *text)
{
    for (const char *p = text; *p;) {
        const char *nl = strchr(p, '\n'), *end = nl ? nl : p + strlen(p);
        size_t n = (size_t)(end - p);

        while (n > 0 && (p[n - 1] == ',' || p[n - 1] == ' ' || p[n - 1] == '\r'))
            n--;
        if (n > 1 && p[0] == '{' && p[n - 1] == '}') {
            cJSON *j = cJSON_ParseWithLength(p, n);

            if (j)
                manifest_add(m, j, p, n);
            cJSON_Delete(j);
        }
        p = nl ? nl + 1 : end;
    }
    return m->count;
}

build_manifest *build_manifest_read(const char *path, diag *d)
{
    build_manifest *m = xcalloc(1, sizeof *m);
    char *text = NULL;
    size_t len;
    struct stat st;

    if (stat(path, &st) != 0)
        return m; /* a first build */
    if (fileio_read(path, &text, &len, d) != 0)
        return m;
    if (read_lines(m, text) == 0) { /* written by another tool: parse the whole */
        cJSON *root = cJSON_ParseWithLength(text, len), *it;
        cJSON *docs = cJSON_GetObjectItemCaseSensitive(root, "documents");

        if (!cJSON_IsArray(docs))
            diag_warning(d, path, 0, 0, "not a baocao manifest; every document is rebuilt");
        cJSON_ArrayForEach(it, docs)
            manifest_add(m, it, NULL, 0);
        cJSON_Delete(root);
    }
    free(text);
    if (m->count)
        qsort(m->e, m->count, sizeof *m->e, by_entry);
    return m;
}

void build_manifest_free(build_manifest *m)
{
    if (!m)
        return;
    for (size_t i = 0; i < m->count; i++) {
        free(m->e[i].id);
        free(m->e[i].tmpl);
        free(m->e[i].period);
        free(m->e[i].status);
        cJSON_free(m->e[i].text);
    }
    cJSON_Delete(m->cur);
    free(m->e);
    free(m);
}

size_t build_manifest_count(const build_manifest *m)
{
    return m->count;
}

static entry *manifest_lookup(const build_manifest *m, const char *id)
{
    entry key = { .id = (char *)id };

    if (!m || !m->count)
        return NULL;
    return bsearch(&key, m->e, m->count, sizeof *m->e, by_entry);
}

/* Borrowed: E parsed, valid until the next call for M. */
static const cJSON *entry_json(build_manifest *m, const entry *e)
{
    cJSON_Delete(m->cur);
    m->cur = cJSON_Parse(e->text);
    return m->cur;
}

int build_manifest_has(const build_manifest *m, const char *id)
{
    const entry *e = manifest_lookup(m, id);

    return e && e->status && strcmp(e->status, "ok") == 0;
}

static cJSON *recorded_output(const cJSON *e, const char *path)
{
    cJSON *it;

    cJSON_ArrayForEach(it, cJSON_GetObjectItemCaseSensitive(e, "outputs"))
        if (entry_string(it, "path") && strcmp(entry_string(it, "path"), path) == 0)
            return it;
    return NULL;
}

const char *build_reason(build_manifest *m, const build_doc *doc, const build_inputs *in,
                         const char *out_dir, int force)
{
    static buf why = BUF_INIT;
    const entry *me = manifest_lookup(m, doc->id);
    const cJSON *e, *ins;
    buf path = BUF_INIT;
    int nrec = 0;

    buf_reset(&why);
    if (force)
        return "forced";
    if (!me)
        return "new";
    if (!me->status || strcmp(me->status, "ok") != 0)
        return "failed before";
    e = entry_json(m, me);
    ins = cJSON_GetObjectItemCaseSensitive(e, "inputs");
    for (size_t i = 0; i < in->count && !why.len; i++) {
        const char *name = build_inputs_name(in, i);
        const char *old = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(ins, name));

        if (!old)
            buf_printf(&why, "new input %s", name);
        else if (strcmp(old, build_inputs_digest(in, i)) != 0)
            buf_printf(&why, "changed %s", name);
    }
    nrec = cJSON_GetArraySize(ins);
    if (!why.len && (size_t)nrec != in->count)
        buf_puts(&why, "dropped input");
    for (size_t i = 0; i < NFORMATS && !why.len; i++) {
        const cJSON *o;
        struct stat sb;

        if (!(doc->formats & formats[i].bit))
            continue;
        buf_reset(&path);
        buf_printf(&path, "%s.%s", doc->output, formats[i].ext);
        o = recorded_output(e, path.ptr);
        if (!o) {
            buf_printf(&why, "new output %s", path.ptr);
            break;
        }
        buf_reset(&path);
        buf_printf(&path, "%s/%s.%s", out_dir, doc->output, formats[i].ext);
        if (stat(path.ptr, &sb) != 0 ||
            (double)sb.st_size != cJSON_GetNumberValue(cJSON_GetObjectItemCaseSensitive(o, "bytes")))
            buf_printf(&why, "missing output %s", path.ptr);
    }
    buf_free(&path);
    return why.len ? why.ptr : NULL;
}

/***  Results  ***/

enum { R_SKIPPED, R_UNCHANGED, R_TODO, R_BUILT, R_FAILED };

typedef struct out_rec {
    const char *format;
    char *path; /* relative to output/ */
    long long bytes;
    int pages;
    char sha[BUILD_DIGEST_LEN + 1];
} out_rec;

typedef struct result {
    int state;
    char *reason;
    build_inputs *in;
    size_t nout;
    out_rec out[NFORMATS];
    char *errors; /* the worker's messages, one a line */
    char *json;   /* the manifest entry, made as soon as the result is in (seal) */
} result;

static void clear_outputs(result *r)
{
    for (size_t i = 0; i < r->nout; i++)
        free(r->out[i].path);
    r->nout = 0;
}

static void result_clear(result *r)
{
    clear_outputs(r);
    free(r->errors);
    r->errors = NULL;
}

/***  Manifest entries  ***/

static cJSON *new_entry(const build_doc *doc, const result *res, const char *status)
{
    cJSON *e = cJSON_CreateObject(), *fan = cJSON_CreateObject(), *ins, *outs, *errs;

    cJSON_AddStringToObject(e, "id", doc->id);
    cJSON_AddStringToObject(e, "template", doc->tmpl);
    if (doc->title)
        cJSON_AddStringToObject(e, "title", doc->title);
    if (doc->period)
        cJSON_AddStringToObject(e, "period", doc->period);
    for (size_t i = 0; i < doc->nfan; i++)
        cJSON_AddStringToObject(fan, doc->fan_keys[i], doc->fan_values[i]);
    cJSON_AddItemToObject(e, "fanout", fan);
    cJSON_AddStringToObject(e, "status", status);
    ins = cJSON_AddObjectToObject(e, "inputs");
    for (size_t i = 0; res->in && i < res->in->count; i++)
        cJSON_AddStringToObject(ins, build_inputs_name(res->in, i), build_inputs_digest(res->in, i));
    outs = cJSON_AddArrayToObject(e, "outputs");
    for (size_t i = 0; i < res->nout; i++) {
        cJSON *o = cJSON_CreateObject();

        cJSON_AddStringToObject(o, "format", res->out[i].format ? res->out[i].format : "");
        cJSON_AddStringToObject(o, "path", res->out[i].path);
        cJSON_AddNumberToObject(o, "bytes", (double)res->out[i].bytes);
        if (res->out[i].pages > 0)
            cJSON_AddNumberToObject(o, "pages", res->out[i].pages);
        cJSON_AddStringToObject(o, "sha256", res->out[i].sha);
        cJSON_AddItemToArray(outs, o);
    }
    errs = cJSON_AddArrayToObject(e, "errors");
    if (res->errors) {
        const char *s = res->errors, *nl;

        for (; *s; s = nl ? nl + 1 : s + strlen(s)) {
            nl = strchr(s, '\n');
            size_t n = nl ? (size_t)(nl - s) : strlen(s);
            char *line = xstrndup(s, n);

            if (n)
                cJSON_AddItemToArray(errs, cJSON_CreateString(line));
            free(line);
        }
    }
    return e;
}

/* Turns RES into its manifest entry (compact JSON text) and drops what the entry now holds,
 * so a finished document costs one string until the manifest is written. */
static void seal(const build_doc *doc, result *res, const char *status)
{
    cJSON *e = new_entry(doc, res, status);

    cJSON_free(res->json);
    res->json = cJSON_PrintUnformatted(e);
    cJSON_Delete(e);
    build_inputs_free(res->in);
    res->in = NULL;
    clear_outputs(res);
}

static const char *state_name(int state)
{
    return state == R_BUILT ? "ok" : state == R_FAILED ? "failed" : "pending";
}

/***  Signals  ***/

static volatile sig_atomic_t stop_signal;

static void on_signal(int sig)
{
    stop_signal = sig;
}

static void catch_signals(int on)
{
    struct sigaction sa;

    memset(&sa, 0, sizeof sa);
    sigemptyset(&sa.sa_mask);
    sa.sa_handler = on ? on_signal : SIG_DFL;
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    sa.sa_handler = on ? SIG_IGN : SIG_DFL;
    sigaction(SIGPIPE, &sa, NULL);
}

/***  Temporary files  ***/

/* Removes every temporary left beside DOC's outputs: the engine's "X.tmp-build-PID" and
 * fileio_write_atomic's "X.tmp-XXXXXX", whatever the worker was doing when it died. */
static void remove_temps(const build_doc *doc)
{
    buf dir = BUF_INIT, pre = BUF_INIT, path = BUF_INIT;
    const char *slash;
    DIR *dh;
    struct dirent *e;

    buf_printf(&dir, OUT_DIR "/%s", doc->output);
    slash = strrchr(dir.ptr, '/');
    buf_puts(&pre, slash + 1);
    dir.len = (size_t)(slash - dir.ptr);
    dir.ptr[dir.len] = '\0';
    if ((dh = opendir(dir.ptr))) {
        while ((e = readdir(dh))) {
            for (size_t i = 0; i < NFORMATS; i++) {
                size_t n = pre.len + 1 + strlen(formats[i].ext);

                if (strncmp(e->d_name, pre.ptr, pre.len) != 0 || e->d_name[pre.len] != '.' ||
                    strncmp(e->d_name + pre.len + 1, formats[i].ext, n - pre.len - 1) != 0 ||
                    strncmp(e->d_name + n, ".tmp-", 5) != 0)
                    continue;
                buf_reset(&path);
                buf_printf(&path, "%s/%s", dir.ptr, e->d_name);
                unlink(path.ptr);
            }
        }
        closedir(dh);
    }
    buf_free(&dir);
    buf_free(&pre);
    buf_free(&path);
}

/***  Workers  ***/

typedef struct worker {
    pid_t pid;
    int job_fd, res_fd;
    long doc; /* index in the plan, -1 when idle */
} worker;

typedef struct run {
    const build_opts *o;
    const build_source *src;
    build_plan *plan;
    result *res;
    worker w[MAX_WORKERS];
    size_t nworkers;
    int lock_fd;
    unsigned delay_ms; /* BAOCAO_BUILD_DELAY_MS: a test hook, see render_one */
    int stale;         /* the last build was killed: look for its temporaries */
    char prog[BUILD_DIGEST_LEN + 1]; /* the program's digest, the first input of every document */
} run;

static int write_all(int fd, const void *p, size_t n)
{
    const char *c = p;

    while (n > 0) {
        ssize_t w = write(fd, c, n);

        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return -1;
        c += w;
        n -= (size_t)w;
    }
    return 0;
}

/* Reads exactly N bytes; 0 ok, -1 end of file or error. */
static int read_all(int fd, void *p, size_t n)
{
    char *c = p;

    while (n > 0) {
        ssize_t r = read(fd, c, n);

        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            return -1;
        c += r;
        n -= (size_t)r;
    }
    return 0;
}

static int make_dirs_for(const char *path, diag *d)
{
    char *dir = xstrdup(path), *slash = strrchr(dir, '/');
    int rc = 0;

    if (slash) {
        *slash = '\0';
        rc = fileio_mkdirs(dir, d);
    }
    free(dir);
    return rc;
}

/* Appends TEXT to B with each FROM[i] replaced by TO[i]: messages about a temporary name the
 * file the user knows. */
static void put_replaced(buf *b, const char *text, const char *const *from,
                         const char *const *to, size_t n)
{
    while (*text) {
        size_t i = 0, len = 0;

        for (; i < n; i++)
            if (strncmp(text, from[i], len = strlen(from[i])) == 0)
                break;
        if (i < n) {
            buf_puts(b, to[i]);
            text += len;
        } else {
            buf_putc(b, *text++);
        }
    }
}

/* Renders one document in a worker: the source writes the temporaries, then they are hashed
 * and renamed into place together. Appends the result message to MSG. */
static void render_one(run *r, const build_doc *doc, buf *msg)
{
    build_output out[NFORMATS];
    char *path[NFORMATS], *tmp[NFORMATS];
    size_t n = 0;
    diag *d = diag_new(NULL, 1);
    int rc = 0;

    for (size_t i = 0; i < NFORMATS; i++) {
        buf p = BUF_INIT, t = BUF_INIT;

        if (!(doc->formats & formats[i].bit))
            continue;
        buf_printf(&p, OUT_DIR "/%s.%s", doc->output, formats[i].ext);
        buf_printf(&t, "%s.tmp-build-%ld", p.ptr, (long)getpid());
        path[n] = buf_detach(&p, NULL);
        tmp[n] = buf_detach(&t, NULL);
        out[n] = (build_output){ formats[i].ext, path[n], tmp[n], 0 };
        n++;
    }
    if (n == 0 || make_dirs_for(path[0], d) != 0)
        rc = -1;
    else if (r->stale)
        remove_temps(doc); /* left by a build killed with SIGKILL */
    if (rc == 0 && r->src->render(r->src->self, doc, out, n, d) != 0)
        rc = -1;
    if (rc == 0 && diag_errors(d) > 0)
        rc = -1;
    if (rc == 0 && r->delay_ms) /* lets tests interrupt a build while temporaries exist */
        usleep(r->delay_ms * 1000u);
    for (size_t i = 0; i < n && rc == 0; i++) {
        char sha[BUILD_DIGEST_LEN + 1];
        struct stat st;

        if (stat(tmp[i], &st) != 0) {
            diag_error(d, doc->tmpl, 0, 0, "the %s renderer wrote no file for %s", out[i].format,
                       path[i]);
            rc = -1;
        } else if (build_digest_file(tmp[i], sha, d) != 0) {
            rc = -1;
        } else {
            buf_printf(msg, "O %s %lld %d %s %s\n", out[i].format, (long long)st.st_size,
                       out[i].pages, sha, path[i] + strlen(OUT_DIR "/"));
        }
    }
    for (size_t i = 0; i < n && rc == 0; i++) {
        if (rename(tmp[i], path[i]) != 0) {
            diag_error(d, path[i], 0, 0, "cannot write: %s", strerror(errno));
            rc = -1;
        }
    }
    for (size_t i = 0; i < n && rc != 0; i++)
        unlink(tmp[i]);
    if (rc != 0 && diag_errors(d) == 0)
        diag_error(d, doc->tmpl, 0, 0, "rendering %s failed", doc->id);
    if (rc != 0)
        remove_temps(doc);
    {
        buf head = BUF_INIT;

        buf_printf(&head, "S %d\n", rc == 0 ? 0 : 1);
        if (rc != 0)
            buf_reset(msg); /* no outputs when the document failed */
        buf_put(&head, msg->ptr, msg->len);
        buf_puts(&head, "E\n");
        put_replaced(&head, diag_text(d), (const char *const *)tmp, (const char *const *)path, n);
        buf_reset(msg);
        buf_put(msg, head.ptr, head.len);
        buf_free(&head);
    }
    for (size_t i = 0; i < n; i++) {
        free(path[i]);
        free(tmp[i]);
    }
    diag_free(d);
}

static void worker_main(run *r, int job_fd, int res_fd)
{
    uint32_t idx, len;
    buf msg = BUF_INIT;

    while (read_all(job_fd, &idx, sizeof idx) == 0) {
        if (idx >= r->plan->count)
            break;
        buf_reset(&msg);
        render_one(r, &r->plan->docs[idx], &msg);
        len = (uint32_t)msg.len;
        if (write_all(res_fd, &len, sizeof len) != 0 || write_all(res_fd, msg.ptr, msg.len) != 0)
            break;
    }
    buf_free(&msg);
    _exit(0);
}

static int spawn(run *r, worker *w, diag *d)
{
    int job[2], res[2];
    pid_t pid;

    if (pipe(job) != 0 || pipe(res) != 0) {
        diag_error(d, NULL, 0, 0, "cannot start a worker: %s", strerror(errno));
        return -1;
    }
    fflush(NULL);
    pid = fork();
    if (pid < 0) {
        diag_error(d, NULL, 0, 0, "cannot start a worker: %s", strerror(errno));
        close(job[0]), close(job[1]), close(res[0]), close(res[1]);
        return -1;
    }
    if (pid == 0) {
        catch_signals(0);
        signal(SIGINT, SIG_IGN); /* Ctrl-C reaches the whole group: the main process decides */
        prctl(PR_SET_PDEATHSIG, SIGTERM); /* no orphan outlives a killed build */
        if (getppid() == 1)
            _exit(1);
        for (size_t i = 0; i < r->nworkers; i++)
            if (&r->w[i] != w && r->w[i].pid > 0)
                close(r->w[i].job_fd), close(r->w[i].res_fd);
        if (r->lock_fd >= 0)
            close(r->lock_fd);
        close(job[1]);
        close(res[0]);
        worker_main(r, job[0], res[1]);
    }
    close(job[0]);
    close(res[1]);
    fcntl(job[1], F_SETFD, FD_CLOEXEC);
    fcntl(res[0], F_SETFD, FD_CLOEXEC);
    *w = (worker){ pid, job[1], res[0], -1 };
    return 0;
}

static void retire(worker *w)
{
    int st;

    if (w->pid <= 0)
        return;
    close(w->job_fd);
    close(w->res_fd);
    while (waitpid(w->pid, &st, 0) < 0 && errno == EINTR)
        ;
    w->pid = 0;
    w->doc = -1;
}

/* Parses a worker's message into R's result for DOC. */
static void take_result(result *res, char *msg)
{
    char *line = msg, *nl;

    result_clear(res);
    res->state = R_FAILED;
    while (line && *line) {
        nl = strchr(line, '\n');
        if (nl)
            *nl = '\0';
        if (line[0] == 'S') {
            res->state = atoi(line + 2) == 0 ? R_BUILT : R_FAILED;
        } else if (line[0] == 'O' && res->nout < NFORMATS) {
            out_rec *o = &res->out[res->nout];
            char fmt[8], path[4096];

            if (sscanf(line + 2, "%7s %lld %d %64s %4095[^\n]", fmt, &o->bytes, &o->pages, o->sha,
                       path) == 5) {
                for (size_t i = 0; i < NFORMATS; i++)
                    if (strcmp(fmt, formats[i].ext) == 0)
                        o->format = formats[i].ext;
                o->path = xstrdup(path);
                res->nout++;
            }
        } else if (line[0] == 'E') {
            res->errors = xstrdup(nl ? nl + 1 : "");
            return;
        }
        line = nl ? nl + 1 : NULL;
    }
}

/* The inputs of document I again, for its manifest entry. They were dropped after the
 * decision so that 10.000 documents waiting for a worker do not each hold their list; the
 * source hashes shared inputs once per template, so asking again is cheap. */
static void refill_inputs(run *r, size_t i)
{
    result *res = &r->res[i];
    diag *quiet = diag_new(NULL, 0);

    if (!res->in) {
        res->in = build_inputs_new();
        build_inputs_add(res->in, "program", r->prog);
        r->src->inputs(r->src->self, &r->plan->docs[i], add_input, res->in, quiet);
    }
    diag_free(quiet);
}

static void crashed(run *r, long doc, int status)
{
    result *res = &r->res[doc];
    buf m = BUF_INIT;

    result_clear(res);
    res->state = R_FAILED;
    if (WIFSIGNALED(status))
        buf_printf(&m, "%s: error: rendering %s crashed (signal %d)\n", r->plan->docs[doc].tmpl,
                   r->plan->docs[doc].id, WTERMSIG(status));
    else
        buf_printf(&m, "%s: error: rendering %s stopped (exit %d)\n", r->plan->docs[doc].tmpl,
                   r->plan->docs[doc].id, WIFEXITED(status) ? WEXITSTATUS(status) : -1);
    res->errors = buf_detach(&m, NULL);
    remove_temps(&r->plan->docs[doc]);
    refill_inputs(r, (size_t)doc);
    seal(&r->plan->docs[doc], res, "failed");
}

/* Reads one message from W; on end of file the worker died: its document fails (unless the
 * build is stopping) and the worker is reaped. */
static void collect(run *r, worker *w)
{
    uint32_t len;
    char *msg;
    long doc = w->doc;

    if (read_all(w->res_fd, &len, sizeof len) == 0 && len < MAX_RESULT_BYTES) {
        msg = xmalloc((size_t)len + 1);
        if (read_all(w->res_fd, msg, len) == 0) {
            msg[len] = '\0';
            take_result(&r->res[doc], msg);
            refill_inputs(r, (size_t)doc);
            seal(&r->plan->docs[doc], &r->res[doc], state_name(r->res[doc].state));
            free(msg);
            w->doc = -1;
            return;
        }
        free(msg);
    }
    {
        int st = 0;

        close(w->job_fd);
        close(w->res_fd);
        while (waitpid(w->pid, &st, 0) < 0 && errno == EINTR)
            ;
        w->pid = 0;
        w->doc = -1;
        if (doc >= 0) {
            if (stop_signal)
                remove_temps(&r->plan->docs[doc]);
            else
                crashed(r, doc, st);
        }
    }
}

static void progress(const run *r, size_t done, size_t total)
{
    int width = 30, fill = total ? (int)(done * (size_t)width / total) : width;

    if (r->o->quiet || !isatty(STDOUT_FILENO) || !isatty(STDERR_FILENO))
        return;
    fprintf(stderr, "\r[%.*s%*s] %zu/%zu", fill, "##############################", width - fill,
            "", done, total);
    if (done == total)
        fputs("\r\033[K", stderr);
    fflush(stderr);
}

/* Renders the documents listed in TODO. Returns 0, or -1 when no worker could be started. */
static int render_all(run *r, const size_t *todo, size_t ntodo, diag *d)
{
    size_t next = 0, done = 0;
    size_t want = (size_t)r->o->jobs < ntodo ? (size_t)r->o->jobs : ntodo;
    struct pollfd pf[MAX_WORKERS];
    worker *pw[MAX_WORKERS];

    r->nworkers = want;
    for (size_t i = 0; i < want; i++)
        r->w[i] = (worker){ 0, -1, -1, -1 };
    progress(r, 0, ntodo);
    while (!stop_signal) {
        size_t np = 0;

        for (size_t i = 0; i < r->nworkers && next < ntodo; i++) {
            worker *w = &r->w[i];
            uint32_t idx = (uint32_t)todo[next];

            if (w->pid == 0 && spawn(r, w, d) != 0)
                return done ? 0 : -1;
            if (w->doc >= 0)
                continue;
            if (write_all(w->job_fd, &idx, sizeof idx) != 0) {
                retire(w); /* died idle: start another next round */
                continue;
            }
            w->doc = (long)todo[next++];
        }
        for (size_t i = 0; i < r->nworkers; i++)
            if (r->w[i].pid > 0 && r->w[i].doc >= 0) {
                pf[np] = (struct pollfd){ r->w[i].res_fd, POLLIN, 0 };
                pw[np++] = &r->w[i];
            }
        if (np == 0)
            break;
        if (poll(pf, np, -1) < 0) {
            if (errno == EINTR)
                continue;
            diag_error(d, NULL, 0, 0, "poll: %s", strerror(errno));
            break;
        }
        for (size_t i = 0; i < np; i++)
            if (pf[i].revents) {
                collect(r, pw[i]);
                progress(r, ++done, ntodo);
            }
    }
    if (stop_signal)
        for (size_t i = 0; i < r->nworkers; i++)
            if (r->w[i].pid > 0)
                kill(r->w[i].pid, SIGTERM);
    for (size_t i = 0; i < r->nworkers; i++) {
        long doc = r->w[i].doc;

        retire(&r->w[i]);
        if (doc >= 0)
            remove_temps(&r->plan->docs[doc]);
    }
    return 0;
}

/***  The lock  ***/

/* Takes output/.baocao.lock (or NAME) within WAIT seconds. Returns the descriptor, or -1
 * after reporting who holds it. *STALE (may be NULL) is set when the file still named a pid:
 * the last build holding it did not finish (killed), so temporaries may be left. */
static int take_lock(const char *name, double wait, int *stale, diag *d)
{
    buf path = BUF_INIT;
    int fd;
    struct timespec t0, now;
    char pid[32];

    buf_printf(&path, OUT_DIR "/%s", name);
    fd = open(path.ptr, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (fd < 0) {
        diag_error(d, path.ptr, 0, 0, "cannot write: %s", strerror(errno));
        buf_free(&path);
        return -1;
    }
    clock_gettime(CLOCK_MONOTONIC, &t0);
    while (flock(fd, LOCK_EX | LOCK_NB) != 0) {
        int err = errno;
        double waited;

        clock_gettime(CLOCK_MONOTONIC, &now);
        waited = (double)(now.tv_sec - t0.tv_sec) + (double)(now.tv_nsec - t0.tv_nsec) / 1e9;
        if ((err != EWOULDBLOCK && err != EINTR) || waited >= wait || stop_signal) {
            ssize_t n = pread(fd, pid, sizeof pid - 1, 0);

            pid[n > 0 ? n : 0] = '\0';
            pid[strcspn(pid, "\n")] = '\0';
            if (err != EWOULDBLOCK && err != EINTR)
                diag_error(d, path.ptr, 0, 0, "cannot lock: %s", strerror(err));
            else
                diag_error(d, path.ptr, 0, 0, "another build (pid %s) is writing output/%s%s",
                           *pid ? pid : "unknown", wait > 0 ? " and did not finish in time" : "",
                           wait > 0 ? "" : "; wait for it with --wait SECONDS");
            close(fd);
            buf_free(&path);
            return -1;
        }
        usleep(50 * 1000);
    }
    if (stale)
        *stale = pread(fd, pid, 1, 0) > 0;
    snprintf(pid, sizeof pid, "%ld\n", (long)getpid());
    if (ftruncate(fd, 0) != 0 || pwrite(fd, pid, strlen(pid), 0) < 0) {
        diag_error(d, path.ptr, 0, 0, "cannot write: %s", strerror(errno));
        close(fd);
        fd = -1;
    }
    buf_free(&path);
    return fd;
}

/***  Streamed atomic writes  ***/

#define SINK_CHUNK 65536 /* bytes gathered before a write: the files can be megabytes */

/* A file written through a temporary in the same folder, renamed into place by sink_close
 * once every byte is written; so a full disk or an unwritable output/ leaves the old file. */
typedef struct sink {
    buf b;
    FILE *f;
    char *tmp;
    int err; /* the first errno of a failed write */
} sink;

static int sink_open(sink *s, const char *path, diag *d)
{
    buf t = BUF_INIT;
    int fd;

    memset(s, 0, sizeof *s);
    buf_printf(&t, "%s.tmp-XXXXXX", path);
    fd = mkstemp(t.ptr);
    if (fd < 0 || !(s->f = fdopen(fd, "w"))) {
        diag_error(d, path, 0, 0, "cannot write: %s", strerror(errno));
        if (fd >= 0) {
            close(fd);
            unlink(t.ptr);
        }
        buf_free(&t);
        return -1;
    }
    fchmod(fd, 0644);
    s->tmp = buf_detach(&t, NULL);
    return 0;
}

static void sink_flush(sink *s, size_t at_least)
{
    if (s->b.len < at_least || s->b.len == 0)
        return;
    if (!s->err && fwrite(s->b.ptr, 1, s->b.len, s->f) != s->b.len)
        s->err = errno ? errno : EIO;
    buf_reset(&s->b);
}

static int sink_close(sink *s, const char *path, diag *d)
{
    int rc = 0;

    sink_flush(s, 0);
    if (fflush(s->f) != 0 && !s->err)
        s->err = errno;
    if (fclose(s->f) != 0 && !s->err)
        s->err = errno;
    if (!s->err && rename(s->tmp, path) != 0)
        s->err = errno;
    if (s->err) {
        unlink(s->tmp);
        diag_error(d, path, 0, 0, "cannot write: %s", strerror(s->err));
        rc = -1;
    }
    free(s->tmp);
    buf_free(&s->b);
    return rc;
}

/***  Writing the manifest  ***/

/* A document of the manifest being written: borrowed text and fields. */
typedef struct item {
    const char *id, *tmpl, *period, *status, *text;
} item;

typedef struct items {
    item *v;
    size_t n, cap;
    char **owned; /* texts made for the list itself (template failures) */
    size_t nowned;
} items;

static void items_free(items *l)
{
    for (size_t i = 0; i < l->nowned; i++)
        cJSON_free(l->owned[i]);
    free(l->owned);
    free(l->v);
}

/* An entry for a template that could not be planned: the index and the manifest show it
 * failed, with its messages, under the template's own path. */
static item failure_item(items *l, const char *tmpl, const char *msg)
{
    cJSON *e = cJSON_CreateObject(), *errs;
    char *text;

    cJSON_AddStringToObject(e, "id", tmpl);
    cJSON_AddStringToObject(e, "template", tmpl);
    cJSON_AddItemToObject(e, "fanout", cJSON_CreateObject());
    cJSON_AddStringToObject(e, "status", "failed");
    cJSON_AddItemToObject(e, "inputs", cJSON_CreateObject());
    cJSON_AddItemToObject(e, "outputs", cJSON_CreateArray());
    errs = cJSON_AddArrayToObject(e, "errors");
    for (const char *s = msg, *nl; s && *s; s = nl ? nl + 1 : s + strlen(s)) {
        char *line;

        nl = strchr(s, '\n');
        line = xstrndup(s, nl ? (size_t)(nl - s) : strlen(s));
        if (*line)
            cJSON_AddItemToArray(errs, cJSON_CreateString(line));
        free(line);
    }
    text = cJSON_PrintUnformatted(e);
    cJSON_Delete(e);
    l->owned = xrealloc(l->owned, (l->nowned + 1) * sizeof *l->owned);
    l->owned[l->nowned++] = text;
    return (item){ tmpl, tmpl, NULL, "failed", text };
}

static int by_item(const void *a, const void *b)
{
    return strcmp(((const item *)a)->id, ((const item *)b)->id);
}

static void items_add(items *l, item it)
{
    if (l->n == l->cap) {
        l->cap = l->cap ? 2 * l->cap : 256;
        l->v = xrealloc(l->v, l->cap * sizeof *l->v);
    }
    l->v[l->n++] = it;
}

static item item_of_entry(const entry *e)
{
    return (item){ e->id, e->tmpl, e->period, e->status, e->text };
}

/* The manifest of this build: every planned document in id order, each from this build's
 * result or carried over from the previous manifest; plus the old entries of templates that
 * could not be planned this time (their outputs are still there). */
static void make_manifest(run *r, const build_manifest *old, items *l)
{
    const build_plan *p = r->plan;
    item *carried = xcalloc(old->count + p->failed + 1, sizeof *carried);
    size_t ncarried = 0;

    for (size_t i = 0; i < p->failed; i++)
        if (!r->o->shard_n || build_shard_of(p->failed_tmpl[i], r->o->shard_n) == r->o->shard_k)
            carried[ncarried++] = failure_item(l, p->failed_tmpl[i], p->failed_msg[i]);
    for (size_t i = 0; i < old->count; i++)
        if (old->e[i].tmpl && plan_template_failed(p, old->e[i].tmpl) &&
            strcmp(old->e[i].id, old->e[i].tmpl) != 0) /* that one is the failure now */
            carried[ncarried++] = item_of_entry(&old->e[i]);
    if (ncarried)
        qsort(carried, ncarried, sizeof *carried, by_item);
    for (size_t i = 0, c = 0; i < p->count || c < ncarried;) {
        const build_doc *doc = i < p->count ? &p->docs[i] : NULL;
        result *res = doc ? &r->res[i] : NULL;
        const entry *prev;

        if (c < ncarried && (!doc || strcmp(carried[c].id, doc->id) < 0)) {
            items_add(l, carried[c++]);
            continue;
        }
        i++;
        if (r->o->shard_n && build_shard_of(doc->id, r->o->shard_n) != r->o->shard_k)
            continue; /* another share's document */
        prev = manifest_lookup(old, doc->id);
        if (res->state != R_BUILT && res->state != R_FAILED && prev) {
            items_add(l, item_of_entry(prev));
            continue;
        }
        if (!res->json)
            seal(doc, res, state_name(res->state));
        items_add(l, (item){ doc->id, doc->tmpl, doc->period, state_name(res->state), res->json });
    }
    free(carried);
}

/* The manifest as text: a header, then one document a line (compact, diff-friendly, and the
 * same bytes whether an entry was made now or carried over). */
static int write_manifest(const char *path, const items *l, const build_opts *o, diag *d)
{
    sink out;
    buf *b = &out.b;

    if (sink_open(&out, path, d) != 0)
        return -1;
    buf_printf(b, "{\n\"version\": %d,\n\"generator\": \"baocao %s\",\n", MANIFEST_VERSION,
               BAOCAO_VERSION);
    if (o->shard_n)
        buf_printf(b, "\"shard\": %u,\n\"shards\": %u,\n", o->shard_k, o->shard_n);
    buf_puts(b, "\"documents\": [");
    for (size_t i = 0; i < l->n; i++) {
        buf_puts(b, i ? ",\n" : "\n");
        buf_puts(b, l->v[i].text);
        sink_flush(&out, SINK_CHUNK);
    }
    buf_puts(b, "\n]\n}\n");
    return sink_close(&out, path, d);
}

/***  Writing the index  ***/

static void put_html(buf *b, const char *s)
{
    for (; s && *s; s++) {
        switch (*s) {
        case '&': buf_puts(b, "&amp;"); break;
        case '<': buf_puts(b, "&lt;"); break;
        case '>': buf_puts(b, "&gt;"); break;
        case '"': buf_puts(b, "&quot;"); break;
        default: buf_putc(b, *s);
        }
    }
}

/* A link target: the path with the characters an href must not hold percent-encoded. */
static void put_href(buf *b, const char *s)
{
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;

        if (c <= 0x20 || c == '"' || c == '%' || c == '<' || c == '>' || c == '#' || c == '?' ||
            c == '&' || c == '\'' || c >= 0x7f)
            buf_printf(b, "%%%02X", c);
        else
            buf_putc(b, c);
    }
}

/* 532 B, 12,3 kB, 1,2 MB: Vietnamese decimal comma. */
static void put_size(buf *b, double bytes)
{
    const char *unit = "B";
    char num[32], *dot;

    if (bytes >= 1e6)
        bytes /= 1e6, unit = "MB";
    else if (bytes >= 1e3)
        bytes /= 1e3, unit = "kB";
    snprintf(num, sizeof num, *unit == 'B' ? "%.0f" : "%.1f", bytes);
    if ((dot = strchr(num, '.')))
        *dot = ',';
    buf_printf(b, "%s %s", num, unit);
}

static int by_period_desc(const void *a, const void *b)
{
    return -strcmp(*(const char *const *)a, *(const char *const *)b);
}

static void index_row(buf *b, const cJSON *e)
{
    const char *title = entry_string(e, "title"), *st = entry_string(e, "status");
    const cJSON *it, *fan = cJSON_GetObjectItemCaseSensitive(e, "fanout");
    int failed = st && strcmp(st, "failed") == 0;

    buf_printf(b, "<tr%s><td>", failed ? " class=\"failed\"" : "");
    if (title) {
        put_html(b, title);
    } else {
        int first = 1;

        cJSON_ArrayForEach(it, fan) {
            buf_puts(b, first ? "" : ", ");
            put_html(b, it->string);
            buf_puts(b, " = ");
            put_html(b, cJSON_GetStringValue(it));
            first = 0;
        }
        if (first)
            put_html(b, entry_string(e, "template"));
    }
    buf_puts(b, "</td><td>");
    cJSON_ArrayForEach(it, cJSON_GetObjectItemCaseSensitive(e, "outputs")) {
        const char *path = entry_string(it, "path"), *fmt = entry_string(it, "format");
        const cJSON *pages = cJSON_GetObjectItemCaseSensitive(it, "pages");

        if (!path)
            continue;
        buf_puts(b, "<a href=\"");
        put_href(b, path);
        buf_puts(b, "\">");
        for (const char *f = fmt ? fmt : "?"; *f; f++)
            buf_putc(b, *f >= 'a' && *f <= 'z' ? *f - 32 : *f);
        buf_puts(b, "</a> <small>");
        if (cJSON_IsNumber(pages))
            buf_printf(b, "%d trang, ", (int)cJSON_GetNumberValue(pages));
        put_size(b, cJSON_GetNumberValue(cJSON_GetObjectItemCaseSensitive(it, "bytes")));
        buf_puts(b, "</small> ");
    }
    buf_puts(b, "</td><td>");
    if (failed) {
        buf_puts(b, "<span class=\"bad\">lỗi</span>");
        cJSON_ArrayForEach(it, cJSON_GetObjectItemCaseSensitive(e, "errors")) {
            buf_puts(b, "<br><code>");
            put_html(b, cJSON_GetStringValue(it));
            buf_puts(b, "</code>");
        }
    } else if (st && strcmp(st, "ok") == 0) {
        buf_puts(b, "<span class=\"ok\">xong</span>");
    } else {
        buf_puts(b, "chưa dựng");
    }
    buf_puts(b, "</td></tr>\n");
}

/* A row of the index: the entry's text parsed for the moment it takes to print it. */
static void index_item(buf *b, const item *it)
{
    cJSON *e = cJSON_Parse(it->text);

    if (e)
        index_row(b, e);
    cJSON_Delete(e);
}

/* One template's documents (V[a..z), consecutive in id order), grouped by period, newest
 * period first. */
static void index_template(sink *out, const item *v, size_t a, size_t z)
{
    buf *b = &out->b;
    const char **per = xmalloc((z - a) * sizeof *per);
    size_t np = 0;

    buf_puts(b, "<div class=\"template\">\n<h2>");
    put_html(b, v[a].tmpl);
    buf_printf(b, " <small>(%zu)</small></h2>\n", z - a);
    for (size_t i = a; i < z; i++)
        per[np++] = v[i].period ? v[i].period : "";
    qsort(per, np, sizeof *per, by_period_desc);
    for (size_t k = 0; k < np; k++) {
        if (k > 0 && strcmp(per[k], per[k - 1]) == 0)
            continue;
        if (*per[k]) {
            buf_puts(b, "<h3>");
            put_html(b, per[k]);
            buf_puts(b, "</h3>\n");
        }
        buf_puts(b, "<table>\n<thead><tr><th>Báo cáo</th><th>Tệp</th><th>Trạng thái</th></tr>"
                    "</thead>\n<tbody>\n");
        for (size_t i = a; i < z; i++)
            if (strcmp(v[i].period ? v[i].period : "", per[k]) == 0) {
                index_item(b, &v[i]);
                sink_flush(out, SINK_CHUNK);
            }
        buf_puts(b, "</tbody>\n</table>\n");
    }
    buf_puts(b, "</div>\n");
    free(per);
}

/* "ngày 06 tháng 01 năm 2023, 14:05 UTC": SOURCE_DATE_EPOCH when set, so that two builds
 * of the same input write the same bytes. */
static void put_date(buf *b)
{
    const char *sde = getenv("SOURCE_DATE_EPOCH");
    time_t t = sde && *sde ? (time_t)strtoll(sde, NULL, 10) : time(NULL);
    struct tm tm;

    gmtime_r(&t, &tm);
    buf_printf(b, "ngày %02d tháng %02d năm %04d, %02d:%02d UTC", tm.tm_mday, tm.tm_mon + 1,
               tm.tm_year + 1900, tm.tm_hour, tm.tm_min);
}

static int write_index(const char *path, const items *l, diag *d)
{
    size_t n = l->n, nok = 0, nfail = 0;
    const item *v = l->v;
    sink out;
    buf *b = &out.b;

    if (sink_open(&out, path, d) != 0)
        return -1;

    for (size_t i = 0; i < n; i++) {
        const char *st = v[i].status;

        nok += st && strcmp(st, "ok") == 0;
        nfail += st && strcmp(st, "failed") == 0;
    }
    buf_puts(b, "<!DOCTYPE html>\n<html lang=\"vi\">\n<head>\n<meta charset=\"utf-8\">\n"
                 "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
                 "<title>Báo cáo — mục lục</title>\n<style>\n"
                 "body{font-family:\"Noto Sans\",\"Liberation Sans\",Arial,sans-serif;margin:2em auto;"
                 "max-width:60em;padding:0 1em;color:#222;line-height:1.4}\n"
                 "h1{font-size:1.6em}h2{font-size:1.2em;margin-top:2em;border-bottom:1px solid #ccc}\n"
                 "h3{font-size:1em;color:#555}table{border-collapse:collapse;width:100%}\n"
                 "th,td{text-align:left;padding:.25em .5em;border-bottom:1px solid #eee;vertical-align:top}\n"
                 "small{color:#666}a{color:#0645ad}.ok{color:#1a7f37}.bad{color:#b42318;font-weight:bold}\n"
                 "tr.failed{background:#fff1f0}code{font-size:.85em;white-space:pre-wrap}\n"
                 "</style>\n</head>\n<body>\n<h1>Báo cáo</h1>\n<p>");
    buf_printf(b, "%zu báo cáo, %zu xong, %zu lỗi. Cập nhật ", n, nok, nfail);
    put_date(b);
    buf_puts(b, ".</p>\n");
    for (size_t a = 0, z; a < n; a = z) {
        for (z = a + 1; z < n; z++)
            if (!v[a].tmpl || !v[z].tmpl || strcmp(v[a].tmpl, v[z].tmpl) != 0)
                break;
        index_template(&out, v, a, z);
    }
    buf_puts(b, "</body>\n</html>\n");
    return sink_close(&out, path, d);
}

/* With --shard, every share keeps its own manifest-K-of-N.json; the union of all shares
 * present is written as manifest.json and index.html under the main lock, so whichever
 * share finishes last leaves the complete index. */
static int merge_shards(const build_opts *o, diag *d)
{
    build_manifest **m = xcalloc(o->shard_n + 1, sizeof *m);
    items l = { 0 };
    build_opts whole = *o;
    int rc = -1, fd;

    for (unsigned k = 1; k <= o->shard_n; k++) {
        buf p = BUF_INIT;

        buf_printf(&p, OUT_DIR "/manifest-%u-of-%u.json", k, o->shard_n);
        m[k - 1] = build_manifest_read(p.ptr, d);
        for (size_t i = 0; i < m[k - 1]->count; i++)
            items_add(&l, item_of_entry(&m[k - 1]->e[i]));
        buf_free(&p);
    }
    if (l.n)
        qsort(l.v, l.n, sizeof *l.v, by_item);
    whole.shard_n = whole.shard_k = 0;
    fd = take_lock(BUILD_LOCK_NAME, 60, NULL, d);
    if (fd >= 0) {
        rc = write_manifest(OUT_DIR "/" MANIFEST_NAME, &l, &whole, d) == 0 &&
                     write_index(OUT_DIR "/" INDEX_NAME, &l, d) == 0 ? 0 : -1;
        if (ftruncate(fd, 0) != 0)
            rc = -1;
        close(fd);
    }
    items_free(&l);
    for (unsigned k = 0; k < o->shard_n; k++)
        build_manifest_free(m[k]);
    free(m);
    return rc;
}

/***  Running a build  ***/

static double seconds_since(const struct timespec *t0)
{
    struct timespec now;

    clock_gettime(CLOCK_MONOTONIC, &now);
    return (double)(now.tv_sec - t0->tv_sec) + (double)(now.tv_nsec - t0->tv_nsec) / 1e9;
}

/* The program's own digest: its version and its executable, so a rebuilt baocao with a
 * fixed renderer rebuilds the reports. */
static void program_digest(char *out)
{
    build_hash *h = build_hash_new();
    char *exe;
    size_t len;
    diag *quiet = diag_new(NULL, 0);

    build_hash_puts(h, "baocao " BAOCAO_VERSION);
    if (fileio_read("/proc/self/exe", &exe, &len, quiet) == 0) {
        build_hash_put(h, exe, len);
        free(exe);
    }
    diag_free(quiet);
    build_hash_done(h, out);
}

/* Each failure's messages, in document order; a template-wide message shared by its
 * documents is printed once. */
static void print_errors(const run *r)
{
    const char *last = NULL;

    for (size_t i = 0; i < r->plan->count; i++) {
        const char *e = r->res[i].errors;

        if (r->res[i].state != R_FAILED || !e || (last && strcmp(last, e) == 0))
            continue;
        fputs(e, stderr);
        last = e;
    }
    fflush(stderr);
}

static const build_doc *plan_lookup(const build_plan *p, const char *id)
{
    build_doc key;

    memset(&key, 0, sizeof key);
    key.id = id;
    return p->count ? bsearch(&key, p->docs, p->count, sizeof key, by_id) : NULL;
}

/* Removes the outputs of documents the last build made and this plan no longer has (a row
 * or a template deleted), so the web server stops serving them. Documents of templates that
 * failed to plan are kept. Returns how many documents were removed. */
static size_t remove_vanished(run *r, build_manifest *old)
{
    size_t n = 0;

    for (size_t i = 0; i < old->count; i++) {
        const entry *e = &old->e[i];
        const cJSON *j, *it;

        if (plan_lookup(r->plan, e->id) || !e->tmpl || plan_template_failed(r->plan, e->tmpl))
            continue;
        j = entry_json(old, e);
        cJSON_ArrayForEach(it, cJSON_GetObjectItemCaseSensitive(j, "outputs")) {
            const char *path = entry_string(it, "path");
            buf p = BUF_INIT;

            if (!path || path[0] == '/' || strstr(path, ".."))
                continue; /* not ours to delete */
            buf_printf(&p, OUT_DIR "/%s", path);
            unlink(p.ptr);
            buf_free(&p);
        }
        n++;
    }
    return n;
}

static void summary(size_t built, size_t unchanged, size_t failed, size_t skipped,
                    size_t removed, double secs, int dry)
{
    char t[32], *dot;

    snprintf(t, sizeof t, "%.2f", secs);
    if ((dot = strchr(t, '.')))
        *dot = ',';
    printf("%s %zu, unchanged %zu, failed %zu", dry ? "would build" : "built", built, unchanged,
           failed);
    if (skipped)
        printf(", skipped %zu", skipped);
    if (removed)
        printf(", removed %zu", removed);
    printf(" in %s s\n", t);
    fflush(stdout);
}

static void dry_line(const build_doc *doc, const char *why)
{
    printf("%s", doc->id);
    for (size_t i = 0; i < NFORMATS; i++)
        if (doc->formats & formats[i].bit)
            printf(" " OUT_DIR "/%s.%s", doc->output, formats[i].ext);
    printf(" (%s)\n", why);
}

int build_run(const build_opts *o, const build_source *src, diag *d)
{
    run r = { .o = o, .src = src, .lock_fd = -1 };
    build_manifest *old = NULL;
    struct timespec t0;
    size_t *todo = NULL, ntodo = 0, unchanged = 0, skipped = 0, failed = 0, built = 0, removed = 0;
    buf lockname = BUF_INIT, state = BUF_INIT;
    int status = 1;
    items man = { 0 };
    build_opts opts = *o;
    const char *delay = getenv("BAOCAO_BUILD_DELAY_MS"), *last_tmpl = NULL;
    char *last_err = NULL;
    diag *dd = diag_new(NULL, 1); /* one document's input messages, kept for the manifest */

    clock_gettime(CLOCK_MONOTONIC, &t0);
    r.o = &opts;
    if (opts.jobs <= 0) {
        long n = sysconf(_SC_NPROCESSORS_ONLN);

        opts.jobs = n > 0 ? (int)n : 1;
    }
    if (opts.jobs > MAX_WORKERS)
        opts.jobs = MAX_WORKERS;
    r.delay_ms = delay ? (unsigned)atoi(delay) : 0;
    if (o->dir && chdir(o->dir) != 0) {
        diag_error(d, o->dir, 0, 0, "cannot enter the project folder: %s", strerror(errno));
        return 1;
    }
    stop_signal = 0;
    catch_signals(1);
    if (opts.shard_n) {
        buf_printf(&lockname, ".baocao-%u-of-%u.lock", opts.shard_k, opts.shard_n);
        buf_printf(&state, OUT_DIR "/manifest-%u-of-%u.json", opts.shard_k, opts.shard_n);
    } else {
        buf_puts(&lockname, BUILD_LOCK_NAME);
        buf_puts(&state, OUT_DIR "/" MANIFEST_NAME);
    }
    if (!opts.dry_run) {
        struct stat st;

        if (stat(OUT_DIR, &st) == 0 && !S_ISDIR(st.st_mode)) {
            diag_error(d, OUT_DIR, 0, 0, "cannot write: not a folder");
            goto out;
        }
        if (fileio_mkdirs(OUT_DIR, d) != 0 || access(OUT_DIR, W_OK) != 0) {
            if (diag_errors(d) == 0)
                diag_error(d, OUT_DIR, 0, 0, "cannot write: %s", strerror(errno));
            goto out;
        }
        if ((r.lock_fd = take_lock(lockname.ptr, opts.wait, &r.stale, d)) < 0)
            goto out;
    }
    r.plan = build_plan_new(src, "templates", d);
    old = build_manifest_read(state.ptr, d);
    r.res = xcalloc(r.plan->count + 1, sizeof *r.res);
    todo = xmalloc((r.plan->count + 1) * sizeof *todo);
    program_digest(r.prog);
    for (size_t i = 0; i < r.plan->count && !stop_signal; i++) {
        const build_doc *doc = &r.plan->docs[i];
        result *res = &r.res[i];
        const char *why;

        if (!selected(doc, &opts)) {
            res->state = R_SKIPPED;
            skipped++;
            continue;
        }
        res->in = build_inputs_new();
        build_inputs_add(res->in, "program", r.prog);
        diag_clear(dd);
        if (src->inputs(src->self, doc, add_input, res->in, dd) != 0 || diag_errors(dd) > 0) {
            /* a template-wide problem is reported for its first document only: repeat it */
            if (*diag_text(dd) || !last_err || strcmp(last_tmpl, doc->tmpl) != 0) {
                free(last_err);
                last_err = xstrdup(diag_text(dd));
                last_tmpl = doc->tmpl;
            }
            res->state = R_FAILED;
            res->errors = xstrdup(last_err);
            seal(doc, res, "failed");
            continue;
        }
        why = build_reason(old, doc, res->in, OUT_DIR, opts.force);
        if (!why) {
            res->state = R_UNCHANGED; /* its old entry is carried: the inputs are not needed */
            build_inputs_free(res->in);
            res->in = NULL;
            unchanged++;
            continue;
        }
        res->state = R_TODO;
        res->reason = xstrdup(why);
        build_inputs_free(res->in); /* asked again when the result is in: refill_inputs */
        res->in = NULL;
        todo[ntodo++] = i;
        if (opts.dry_run)
            dry_line(doc, why);
    }
    if (opts.dry_run) {
        print_errors(&r);
        summary(ntodo, unchanged, 0, skipped, 0, seconds_since(&t0), 1);
        status = r.plan->failed || diag_errors(d) ? 1 : 0;
        goto out;
    }
    if (!stop_signal && ntodo && render_all(&r, todo, ntodo, d) != 0)
        goto out;
    for (size_t i = 0; i < r.plan->count; i++) {
        built += r.res[i].state == R_BUILT;
        failed += r.res[i].state == R_FAILED;
    }
    print_errors(&r);
    if (!stop_signal)
        removed = remove_vanished(&r, old);
    make_manifest(&r, old, &man);
    if (write_manifest(state.ptr, &man, &opts, d) != 0)
        goto out;
    if (opts.shard_n ? merge_shards(&opts, d) != 0 : write_index(OUT_DIR "/" INDEX_NAME, &man, d) != 0)
        goto out;
    status = failed || r.plan->failed || diag_errors(d) ? 1 : 0;
    if (stop_signal)
        status = 128 + stop_signal;
    summary(built, unchanged, failed + r.plan->failed, skipped, removed, seconds_since(&t0), 0);
out:
    if (stop_signal && status < 128)
        status = 128 + stop_signal;
    if (r.lock_fd >= 0) {
        if (ftruncate(r.lock_fd, 0) != 0) /* no pid left behind: outputs stay reproducible */
            status = status ? status : 1;
        close(r.lock_fd);
    }
    catch_signals(0);
    for (size_t i = 0; r.res && i < r.plan->count; i++) {
        result_clear(&r.res[i]);
        cJSON_free(r.res[i].json);
        free(r.res[i].reason);
        build_inputs_free(r.res[i].in);
    }
    items_free(&man);
    diag_free(dd);
    free(last_err);
    free(r.res);
    free(todo);
    build_manifest_free(old);
    build_plan_free(r.plan);
    buf_free(&lockname);
    buf_free(&state);
    return status;
}
