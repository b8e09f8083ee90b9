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
#include <malloc.h>
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

/* Read in pieces: fonts and the program itself are megabytes, and a digest needs no copy. */
int build_digest_file(const char *path, char *out, diag *d)
{
    char chunk[65536];
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    build_hash *h;
    ssize_t n;

    if (fd < 0) {
        diag_error(d, path, 0, 0, "cannot read: %s", strerror(errno));
        return -1;
    }
    h = build_hash_new();
    while ((n = read(fd, chunk, sizeof chunk)) != 0) {
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            diag_error(d, path, 0, 0, "cannot read: %s", strerror(errno));
            build_hash_done(h, out);
            close(fd);
            return -1;
        }
        build_hash_put(h, chunk, (size_t)n);
    }
    close(fd);
    build_hash_done(h, out);
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

/***  Shared strings  ***/

/* The strings many documents share (template paths, fan-out names, periods) are copied once:
 * a new value is looked up among the last NAMES_MAX kept. The lookup is linear, so the table
 * stays small; a value that fell out of it is copied again, which costs memory, not truth. */
#define NAMES_MAX 32

typedef struct strtab {
    const char *v[NAMES_MAX];
    size_t n, next;
} strtab;

static const char *intern(strtab *t, arena *a, const char *s)
{
    const char *c;

    if (!s)
        return NULL;
    for (size_t i = 0; i < t->n; i++)
        if (strcmp(t->v[i], s) == 0)
            return t->v[i];
    c = arena_strdup(a, s);
    t->v[t->next] = c;
    t->next = (t->next + 1) % NAMES_MAX;
    if (t->n < NAMES_MAX)
        t->n++;
    return c;
}

/***  The plan  ***/

/* Every planned document is held until the build ends (results and the manifest are kept in
 * plan order), so a document costs its build_doc and its own strings (id, output, title,
 * fan-out values) in one arena: about 200 bytes, 2 MB for 10.000 documents. */
struct build_plan {
    arena *a;
    strtab names;
    const char *const *keys;    /* the fan-out names of the last document, shared */
    size_t nkeys;
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

/* DOC's fan-out names as a copy the plan owns: the last document's when they are the same,
 * as they are for every document of a template. */
static const char *const *share_keys(build_plan *p, const build_doc *doc)
{
    const char **k;

    if (p->keys && p->nkeys == doc->nfan) {
        size_t i = 0;

        while (i < doc->nfan && strcmp(p->keys[i], doc->fan_keys[i]) == 0)
            i++;
        if (i == doc->nfan)
            return p->keys;
    }
    k = arena_alloc(p->a, (doc->nfan + 1) * sizeof *k);
    for (size_t i = 0; i < doc->nfan; i++)
        k[i] = intern(&p->names, p->a, doc->fan_keys[i]);
    p->keys = k;
    p->nkeys = doc->nfan;
    return k;
}

static int take_doc(void *arg, const build_doc *doc, diag *d)
{
    build_plan *p = arg;
    build_doc *c;
    const char **vals;
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
    vals = arena_alloc(p->a, (doc->nfan + 1) * sizeof *vals);
    buf_puts(&id, doc->tmpl);
    for (size_t i = 0; i < doc->nfan; i++) {
        buf_putc(&id, i ? '&' : '?');
        put_id_part(&id, doc->fan_keys[i]);
        buf_putc(&id, '=');
        put_id_part(&id, doc->fan_values[i]);
        vals[i] = arena_strdup(p->a, doc->fan_values[i]);
    }
    c->fan_keys = share_keys(p, doc);
    c->fan_values = vals;
    c->id = arena_strdup(p->a, buf_cstr(&id));
    c->tmpl = intern(&p->names, p->a, doc->tmpl);
    c->output = arena_strdup(p->a, doc->output);
    c->title = doc->title ? arena_strdup(p->a, doc->title) : NULL;
    c->period = intern(&p->names, p->a, doc->period);
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
    if (p->count) {
        p->docs = xrealloc(p->docs, p->count * sizeof *p->docs); /* held to the end: no slack */
        p->cap = p->count;
        qsort(p->docs, p->count, sizeof *p->docs, by_id);
    }
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

/***  Entry texts on disk  ***/

/* Manifest entries live in files, not in memory: the previous manifest is read where it
 * lies, and each entry this build makes is appended to an unlinked spool file as soon as its
 * document is finished. Memory keeps an offset and a length per document, so the build's
 * footprint does not grow with the 600-odd bytes of JSON each document has. */
typedef struct store {
    int fd;    /* -1: not open */
    off_t end; /* where the next text goes */
    int err;   /* the errno of the first failed write, 0 */
} store;

/* A text in a store. LEN 0: none. */
typedef struct ref {
    off_t off;
    uint32_t len;
} ref;

#define MAX_ENTRY_BYTES (1u << 24) /* a manifest line longer than this is not ours */

/* Opens S as an anonymous file: in output/ when it can (beside what it describes, and on
 * the disk whose space the build uses anyway), else in the temporary folder. The kernel
 * removes it when the build ends, however it ends. */
static void store_temp(store *s)
{
    FILE *f;

    s->end = 0;
    s->err = 0;
#ifdef O_TMPFILE
    if ((s->fd = open(OUT_DIR, O_TMPFILE | O_RDWR | O_CLOEXEC, 0600)) >= 0)
        return;
#endif
    if ((f = tmpfile())) {
        s->fd = dup(fileno(f));
        fclose(f);
        if (s->fd >= 0)
            return;
    }
    s->err = errno ? errno : EIO;
    s->fd = -1;
}

/* Appends TEXT (LEN bytes) to S and sets *R to it. Returns 0, or -1 (recorded in S->err)
 * when the disk refuses: the build then fails rather than write a manifest with holes. */
static int store_put(store *s, const char *text, size_t len, ref *r)
{
    size_t done = 0;

    r->len = 0;
    if (s->fd < 0 && !s->err)
        store_temp(s);
    if (s->err)
        return -1;
    if (len == 0 || len >= MAX_ENTRY_BYTES) {
        s->err = EFBIG;
        return -1;
    }
    while (done < len) {
        ssize_t w = pwrite(s->fd, text + done, len - done, s->end + (off_t)done);

        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0) {
            s->err = w < 0 ? errno : ENOSPC;
            return -1;
        }
        done += (size_t)w;
    }
    r->off = s->end;
    r->len = (uint32_t)len;
    s->end += (off_t)len;
    return 0;
}

/* R's text, read into B (NUL-terminated). Returns B's text, or NULL when it cannot be read. */
static const char *store_get(const store *s, ref r, buf *b)
{
    size_t done = 0;

    buf_reset(b);
    if (s->fd < 0 || r.len == 0)
        return NULL;
    buf_grow(b, r.len);
    while (done < r.len) {
        ssize_t n = pread(s->fd, b->ptr + done, r.len - done, r.off + (off_t)done);

        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return NULL;
        done += (size_t)n;
    }
    b->len = r.len;
    b->ptr[b->len] = '\0';
    return b->ptr;
}

static void store_close(store *s)
{
    if (s->fd >= 0)
        close(s->fd);
    s->fd = -1;
}

/***  The previous manifest  ***/

/* A document's state in this build; in a manifest, ok is R_BUILT, failed R_FAILED and
 * anything else R_TODO ("pending"). */
enum { R_SKIPPED, R_UNCHANGED, R_TODO, R_BUILT, R_FAILED };

/* One document of a manifest as read: where its compact JSON text is, and the fields the
 * decisions, the carry-over and the index look up without reading it. The text is read and
 * parsed again only when a decision needs the details. */
typedef struct entry {
    const char *id;             /* arena */
    const char *tmpl, *period;  /* shared (names) */
    ref text;
    int state;                  /* R_BUILT, R_FAILED or R_TODO, from its status */
} entry;

struct build_manifest {
    arena *a;
    strtab names;
    entry *e;
    size_t count, cap;
    store st;  /* the manifest file itself, or a copy of another tool's entries */
    buf text;  /* the last entry read... */
    cJSON *cur; /* ...and parsed by entry_json() */
};

static int by_entry(const void *a, const void *b)
{
    return strcmp(((const entry *)a)->id, ((const entry *)b)->id);
}

static const char *entry_string(const cJSON *e, const char *key)
{
    return cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(e, key));
}

/* Adds the document J (when it has an id), whose text is at R in M's store. */
static void manifest_add(build_manifest *m, const cJSON *j, ref r)
{
    const char *id = entry_string(j, "id"), *st = entry_string(j, "status");
    entry *e;

    if (!id)
        return;
    if (m->count == m->cap) {
        m->cap = m->cap ? 2 * m->cap : 256;
        m->e = xrealloc(m->e, m->cap * sizeof *m->e);
    }
    e = &m->e[m->count++];
    e->id = arena_strdup(m->a, id);
    e->tmpl = intern(&m->names, m->a, entry_string(j, "template"));
    e->period = intern(&m->names, m->a, entry_string(j, "period"));
    e->text = r;
    e->state = !st ? R_TODO : strcmp(st, "ok") == 0 ? R_BUILT
                            : strcmp(st, "failed") == 0 ? R_FAILED : R_TODO;
}

/* The manifests baocao writes hold one document a line; they are read a line at a time and
 * each line is kept where it is in the file. Returns the number of documents found. */
static size_t read_lines(build_manifest *m, FILE *f)
{
    char *line = NULL;
    size_t cap = 0;
    ssize_t got;
    off_t at = 0;

    while ((got = getline(&line, &cap, f)) > 0) {
        size_t n = (size_t)got;

        while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == ',' || line[n - 1] == ' ' ||
                         line[n - 1] == '\r'))
            n--;
        if (n > 1 && n < MAX_ENTRY_BYTES && line[0] == '{' && line[n - 1] == '}') {
            cJSON *j = cJSON_ParseWithLength(line, n);

            if (j)
                manifest_add(m, j, (ref){ at, (uint32_t)n });
            cJSON_Delete(j);
        }
        at += got;
    }
    free(line);
    return m->count;
}

/* A manifest written by another tool (pretty-printed, say): parsed whole, and each document
 * printed compactly into a temporary store. */
static void read_whole(build_manifest *m, const char *path, diag *d)
{
    char *text;
    size_t len;
    cJSON *root, *docs, *it;

    if (fileio_read(path, &text, &len, d) != 0)
        return;
    root = cJSON_ParseWithLength(text, len);
    free(text);
    docs = cJSON_GetObjectItemCaseSensitive(root, "documents");
    if (!cJSON_IsArray(docs))
        diag_warning(d, path, 0, 0, "not a baocao manifest; every document is rebuilt");
    store_close(&m->st);
    cJSON_ArrayForEach(it, docs) {
        char *one = cJSON_PrintUnformatted(it);
        ref r;

        if (one && store_put(&m->st, one, strlen(one), &r) == 0)
            manifest_add(m, it, r);
        cJSON_free(one);
    }
    cJSON_Delete(root);
}

build_manifest *build_manifest_read(const char *path, diag *d)
{
    build_manifest *m = xcalloc(1, sizeof *m);
    FILE *f;

    m->a = arena_new();
    m->st.fd = -1;
    if (!(f = fopen(path, "re"))) {
        if (errno != ENOENT) /* missing: a first build */
            diag_warning(d, path, 0, 0, "cannot read (%s); every document is rebuilt",
                         strerror(errno));
        return m;
    }
    m->st.fd = dup(fileno(f));
    if (m->st.fd < 0 || read_lines(m, f) == 0)
        read_whole(m, path, d);
    fclose(f);
    if (m->count) {
        m->e = xrealloc(m->e, m->count * sizeof *m->e); /* held to the end: no slack */
        m->cap = m->count;
        qsort(m->e, m->count, sizeof *m->e, by_entry);
    }
    return m;
}

void build_manifest_free(build_manifest *m)
{
    if (!m)
        return;
    store_close(&m->st);
    cJSON_Delete(m->cur);
    buf_free(&m->text);
    arena_free(m->a);
    free(m->e);
    free(m);
}

size_t build_manifest_count(const build_manifest *m)
{
    return m->count;
}

static entry *manifest_lookup(const build_manifest *m, const char *id)
{
    entry key = { .id = id };

    if (!m || !m->count)
        return NULL;
    return bsearch(&key, m->e, m->count, sizeof *m->e, by_entry);
}

/* Borrowed: E parsed, valid until the next call for M; NULL when the text is gone. */
static const cJSON *entry_json(build_manifest *m, const entry *e)
{
    const char *text = store_get(&m->st, e->text, &m->text);

    cJSON_Delete(m->cur);
    m->cur = text ? cJSON_ParseWithLength(text, m->text.len) : NULL;
    return m->cur;
}

const char *build_manifest_id(const build_manifest *m, size_t i)
{
    return i < m->count ? m->e[i].id : NULL;
}

int build_manifest_has(const build_manifest *m, const char *id)
{
    const entry *e = manifest_lookup(m, id);

    return e && e->state == R_BUILT;
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
    if (me->state != R_BUILT)
        return "failed before";
    if (!(e = entry_json(m, me)))
        return "unreadable manifest entry";
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

/* What a build knows of one planned document, kept until the manifest is written: 24 bytes.
 * The outputs and inputs go into the entry the moment the document is finished (seal). */
typedef struct result {
    unsigned char state;
    ref entry;          /* this build's manifest entry in the spool, or none */
    const char *errors; /* the messages of a failure, one a line (shared when repeated) */
} result;

/* One output as a worker reports it: only between its message and seal(). */
typedef struct out_rec {
    const char *format;
    const char *path; /* relative to output/, into the message */
    long long bytes;
    int pages;
    char sha[BUILD_DIGEST_LEN + 1];
} out_rec;

static const char *state_name(int state)
{
    return state == R_BUILT ? "ok" : state == R_FAILED ? "failed" : "pending";
}

/***  Manifest entries  ***/

/* ERRORS (lines) as a JSON array. */
static cJSON *error_lines(const char *errors)
{
    cJSON *a = cJSON_CreateArray();

    for (const char *s = errors, *nl; s && *s; s = nl ? nl + 1 : s + strlen(s)) {
        char *line;

        nl = strchr(s, '\n');
        line = xstrndup(s, nl ? (size_t)(nl - s) : strlen(s));
        if (*line)
            cJSON_AddItemToArray(a, cJSON_CreateString(line));
        free(line);
    }
    return a;
}

static cJSON *new_entry(const build_doc *doc, const char *status, const build_inputs *in,
                        const out_rec *out, size_t nout, const char *errors)
{
    cJSON *e = cJSON_CreateObject(), *fan = cJSON_CreateObject(), *ins, *outs;

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
    for (size_t i = 0; in && i < in->count; i++)
        cJSON_AddStringToObject(ins, build_inputs_name(in, i), build_inputs_digest(in, i));
    outs = cJSON_AddArrayToObject(e, "outputs");
    for (size_t i = 0; i < nout; i++) {
        cJSON *o = cJSON_CreateObject();

        cJSON_AddStringToObject(o, "format", out[i].format ? out[i].format : "");
        cJSON_AddStringToObject(o, "path", out[i].path);
        cJSON_AddNumberToObject(o, "bytes", (double)out[i].bytes);
        if (out[i].pages > 0)
            cJSON_AddNumberToObject(o, "pages", out[i].pages);
        cJSON_AddStringToObject(o, "sha256", out[i].sha);
        cJSON_AddItemToArray(outs, o);
    }
    cJSON_AddItemToObject(e, "errors", error_lines(errors));
    return e;
}

/* Writes J compactly to ST at *R. */
static void put_json(store *st, const cJSON *j, ref *r)
{
    char *text = cJSON_PrintUnformatted(j);

    store_put(st, text, strlen(text), r);
    cJSON_free(text);
}

/* Writes DOC's manifest entry to the spool ST: its status, inputs IN (NULL: none known),
 * outputs and RES's messages. RES keeps where the entry is. */
static void seal(store *st, const build_doc *doc, result *res, const build_inputs *in,
                 const out_rec *out, size_t nout)
{
    cJSON *e = new_entry(doc, state_name(res->state), in, out, nout, res->errors);

    put_json(st, e, &res->entry);
    cJSON_Delete(e);
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
    store spool;       /* this build's manifest entries */
    arena *a;          /* failure messages */
    const char *last_err; /* the last one kept, shared by the next document that repeats it */
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

/* MSG kept in R's arena, or the copy kept last time when it says the same. */
static const char *keep_errors(run *r, const char *msg)
{
    if (!r->last_err || strcmp(r->last_err, msg) != 0)
        r->last_err = arena_strdup(r->a, msg);
    return r->last_err;
}

/* The inputs of document I again, for its manifest entry. They were dropped after the
 * decision so that 10.000 documents waiting for a worker do not each hold their list; the
 * source hashes shared inputs once per template, so asking again is cheap. */
static build_inputs *inputs_of(run *r, size_t i)
{
    build_inputs *in = build_inputs_new();
    diag *quiet = diag_new(NULL, 0);

    build_inputs_add(in, "program", r->prog);
    r->src->inputs(r->src->self, &r->plan->docs[i], add_input, in, quiet);
    diag_free(quiet);
    return in;
}

/* Takes a worker's message MSG (changed in place) as the result of document I and seals
 * its entry. */
static void take_result(run *r, size_t i, char *msg)
{
    result *res = &r->res[i];
    out_rec out[NFORMATS];
    size_t nout = 0;
    build_inputs *in;

    res->state = R_FAILED;
    for (char *line = msg, *nl; line && *line; line = nl ? nl + 1 : NULL) {
        if ((nl = strchr(line, '\n')))
            *nl = '\0';
        if (line[0] == 'S') {
            res->state = atoi(line + 2) == 0 ? R_BUILT : R_FAILED;
        } else if (line[0] == 'O' && nout < NFORMATS) {
            out_rec *o = &out[nout];
            char fmt[8];
            int at = 0;

            if (sscanf(line + 2, "%7s %lld %d %64s %n", fmt, &o->bytes, &o->pages, o->sha,
                       &at) == 4 && at > 0 && line[2 + at]) {
                o->format = NULL;
                for (size_t k = 0; k < NFORMATS; k++)
                    if (strcmp(fmt, formats[k].ext) == 0)
                        o->format = formats[k].ext;
                o->path = line + 2 + at;
                nout++;
            }
        } else if (line[0] == 'E') {
            if (nl && nl[1])
                res->errors = keep_errors(r, nl + 1);
            break;
        }
    }
    in = inputs_of(r, i);
    seal(&r->spool, &r->plan->docs[i], res, in, out, nout);
    build_inputs_free(in);
}

static void crashed(run *r, long doc, int status)
{
    result *res = &r->res[doc];
    build_inputs *in;
    buf m = BUF_INIT;

    res->state = R_FAILED;
    if (WIFSIGNALED(status))
        buf_printf(&m, "%s: error: rendering %s crashed (signal %d)\n", r->plan->docs[doc].tmpl,
                   r->plan->docs[doc].id, WTERMSIG(status));
    else
        buf_printf(&m, "%s: error: rendering %s stopped (exit %d)\n", r->plan->docs[doc].tmpl,
                   r->plan->docs[doc].id, WIFEXITED(status) ? WEXITSTATUS(status) : -1);
    res->errors = keep_errors(r, m.ptr);
    buf_free(&m);
    remove_temps(&r->plan->docs[doc]);
    in = inputs_of(r, (size_t)doc);
    seal(&r->spool, &r->plan->docs[doc], res, in, NULL, 0);
    build_inputs_free(in);
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
            take_result(r, (size_t)doc, msg);
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

/* The documents of a manifest being written come one at a time, in id order, from NEXT: the
 * store and place of the next entry's text, or NULL at the end. Nothing holds the whole list:
 * the entries are copied from their stores to the file as they come. */
typedef const store *(*next_entry_fn)(void *arg, ref *text);

/* A text to write that is not a planned document: a template that could not be planned, or
 * an old entry of one. */
typedef struct extra {
    const char *id;
    const store *st;
    ref text;
} extra;

static int by_extra(const void *a, const void *b)
{
    return strcmp(((const extra *)a)->id, ((const extra *)b)->id);
}

/* This build's documents in id order: each from this build's result or carried over from
 * the previous manifest; merged with the extras. */
typedef struct merge {
    run *r;
    const build_manifest *old;
    extra *x;
    size_t nx, ix, i;
} merge;

/* An entry for a template that could not be planned: the index and the manifest show it
 * failed, with its messages, under the template's own path. Its text goes to R's spool. */
static extra failure_entry(run *r, const char *tmpl, const char *msg)
{
    cJSON *e = cJSON_CreateObject();
    extra x = { tmpl, &r->spool, { 0, 0 } };

    cJSON_AddStringToObject(e, "id", tmpl);
    cJSON_AddStringToObject(e, "template", tmpl);
    cJSON_AddItemToObject(e, "fanout", cJSON_CreateObject());
    cJSON_AddStringToObject(e, "status", "failed");
    cJSON_AddItemToObject(e, "inputs", cJSON_CreateObject());
    cJSON_AddItemToObject(e, "outputs", cJSON_CreateArray());
    cJSON_AddItemToObject(e, "errors", error_lines(msg));
    put_json(&r->spool, e, &x.text);
    cJSON_Delete(e);
    return x;
}

/* Starts M over R's plan: the extras are the failures of templates that could not be
 * planned this time and the old entries of those templates (their outputs are still there). */
static void merge_start(merge *m, run *r, const build_manifest *old)
{
    const build_plan *p = r->plan;
    size_t n = p->failed;

    memset(m, 0, sizeof *m);
    m->r = r;
    m->old = old;
    for (size_t i = 0; i < old->count && p->failed; i++)
        n += old->e[i].tmpl && plan_template_failed(p, old->e[i].tmpl);
    m->x = xmalloc((n + 1) * sizeof *m->x);
    for (size_t i = 0; i < p->failed; i++)
        if (!r->o->shard_n || build_shard_of(p->failed_tmpl[i], r->o->shard_n) == r->o->shard_k)
            m->x[m->nx++] = failure_entry(r, p->failed_tmpl[i], p->failed_msg[i]);
    for (size_t i = 0; i < old->count && p->failed; i++)
        if (old->e[i].tmpl && plan_template_failed(p, old->e[i].tmpl) &&
            strcmp(old->e[i].id, old->e[i].tmpl) != 0) /* that one is the failure now */
            m->x[m->nx++] = (extra){ old->e[i].id, &old->st, old->e[i].text };
    if (m->nx)
        qsort(m->x, m->nx, sizeof *m->x, by_extra);
}

static const store *merge_next(void *arg, ref *text)
{
    merge *m = arg;
    run *r = m->r;
    const build_plan *p = r->plan;

    while (m->i < p->count || m->ix < m->nx) {
        const build_doc *doc = m->i < p->count ? &p->docs[m->i] : NULL;
        result *res;
        const entry *prev;

        if (m->ix < m->nx && (!doc || strcmp(m->x[m->ix].id, doc->id) < 0)) {
            *text = m->x[m->ix].text;
            return m->x[m->ix++].st;
        }
        res = &r->res[m->i++];
        if (r->o->shard_n && build_shard_of(doc->id, r->o->shard_n) != r->o->shard_k)
            continue; /* another share's document */
        prev = manifest_lookup(m->old, doc->id);
        if (res->state != R_BUILT && res->state != R_FAILED && prev) {
            *text = prev->text;
            return &m->old->st;
        }
        if (!res->entry.len) /* not finished: pending, without inputs */
            seal(&r->spool, doc, res, NULL, NULL, 0);
        *text = res->entry;
        return &r->spool;
    }
    return NULL;
}

/* The manifest as text: a header, then one document a line (compact, diff-friendly, and the
 * same bytes whether an entry was made now or carried over). */
static int write_manifest(const char *path, const build_opts *o, next_entry_fn next, void *arg,
                          diag *d)
{
    sink out;
    buf *b = &out.b, text = BUF_INIT;
    const store *st;
    ref at;

    if (sink_open(&out, path, d) != 0)
        return -1;
    buf_printf(b, "{\n\"version\": %d,\n\"generator\": \"baocao %s\",\n", MANIFEST_VERSION,
               BAOCAO_VERSION);
    if (o->shard_n)
        buf_printf(b, "\"shard\": %u,\n\"shards\": %u,\n", o->shard_k, o->shard_n);
    buf_puts(b, "\"documents\": [");
    for (int first = 1; (st = next(arg, &at)); first = 0) {
        if (!store_get(st, at, &text)) {
            out.err = out.err ? out.err : EIO; /* a manifest with a hole is not written */
            continue;
        }
        buf_puts(b, first ? "\n" : ",\n");
        buf_put(b, text.ptr, text.len);
        sink_flush(&out, SINK_CHUNK);
    }
    buf_free(&text);
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

/* The index's order: by template, then by period (newest first), then by id. */
static int by_index_order(const void *a, const void *b)
{
    const entry *x = *(const entry *const *)a, *y = *(const entry *const *)b;
    int c = strcmp(x->tmpl ? x->tmpl : "", y->tmpl ? y->tmpl : "");

    if (!c)
        c = strcmp(y->period ? y->period : "", x->period ? x->period : "");
    return c ? c : strcmp(x->id, y->id);
}

static int same(const char *a, const char *b)
{
    return strcmp(a ? a : "", b ? b : "") == 0;
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

/* A row of the index: the entry's text read and parsed for the moment it takes to print it. */
static void index_item(buf *b, build_manifest *m, const entry *e)
{
    const cJSON *j = entry_json(m, e);

    if (j)
        index_row(b, j);
}

/* The documents of one template (V[0..N), in index order): a table for each period. */
static void index_template(sink *out, build_manifest *m, const entry *const *v, size_t n)
{
    buf *b = &out->b;

    buf_puts(b, "<div class=\"template\">\n<h2>");
    put_html(b, v[0]->tmpl ? v[0]->tmpl : "");
    buf_printf(b, " <small>(%zu)</small></h2>\n", n);
    for (size_t i = 0; i < n; i++) {
        if (i == 0 || !same(v[i]->period, v[i - 1]->period)) {
            if (i > 0)
                buf_puts(b, "</tbody>\n</table>\n");
            if (v[i]->period && *v[i]->period) {
                buf_puts(b, "<h3>");
                put_html(b, v[i]->period);
                buf_puts(b, "</h3>\n");
            }
            buf_puts(b, "<table>\n<thead><tr><th>Báo cáo</th><th>Tệp</th><th>Trạng thái</th>"
                        "</tr></thead>\n<tbody>\n");
        }
        index_item(b, m, v[i]);
        sink_flush(out, SINK_CHUNK);
    }
    buf_puts(b, "</tbody>\n</table>\n</div>\n");
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

/* The index of the manifest M (as written, read back): every document grouped by template
 * and period. */
static int write_index(const char *path, build_manifest *m, diag *d)
{
    size_t n = m->count, nok = 0, nfail = 0;
    const entry **v = xmalloc((n + 1) * sizeof *v);
    sink out;
    buf *b = &out.b;

    if (sink_open(&out, path, d) != 0) {
        free(v);
        return -1;
    }
    for (size_t i = 0; i < n; i++) {
        v[i] = &m->e[i];
        nok += v[i]->state == R_BUILT;
        nfail += v[i]->state == R_FAILED;
    }
    if (n)
        qsort(v, n, sizeof *v, by_index_order);
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
        for (z = a + 1; z < n && same(v[a]->tmpl, v[z]->tmpl); z++)
            ;
        index_template(&out, m, v + a, z - a);
    }
    buf_puts(b, "</body>\n</html>\n");
    free(v);
    return sink_close(&out, path, d);
}

/* The index is written from the manifest as written, read back: it shows exactly what the
 * manifest says, and no list of the documents is held for it meanwhile. */
int build_index_write(const char *manifest, const char *index, diag *d)
{
    build_manifest *m = build_manifest_read(manifest, d);
    int rc = write_index(index, m, d);

    build_manifest_free(m);
    return rc;
}

/* The union of the shares' manifests, in id order: each is sorted, so the next entry is the
 * smallest of their heads. */
typedef struct shares {
    build_manifest **m;
    size_t *pos;
    unsigned n;
} shares;

static const store *shares_next(void *arg, ref *text)
{
    shares *s = arg;
    long best = -1;

    for (unsigned k = 0; k < s->n; k++)
        if (s->pos[k] < s->m[k]->count &&
            (best < 0 || strcmp(s->m[k]->e[s->pos[k]].id, s->m[best]->e[s->pos[best]].id) < 0))
            best = (long)k;
    if (best < 0)
        return NULL;
    *text = s->m[best]->e[s->pos[best]++].text;
    return &s->m[best]->st;
}

/* With --shard, every share keeps its own manifest-K-of-N.json; the union of all shares
 * present is written as manifest.json and index.html under the main lock, so whichever
 * share finishes last leaves the complete index. */
static int merge_shards(const build_opts *o, diag *d)
{
    shares s = { xcalloc(o->shard_n + 1, sizeof *s.m), xcalloc(o->shard_n + 1, sizeof *s.pos),
                 o->shard_n };
    build_opts whole = *o;
    int rc = -1, fd;

    for (unsigned k = 1; k <= o->shard_n; k++) {
        buf p = BUF_INIT;

        buf_printf(&p, OUT_DIR "/manifest-%u-of-%u.json", k, o->shard_n);
        s.m[k - 1] = build_manifest_read(p.ptr, d);
        buf_free(&p);
    }
    whole.shard_n = whole.shard_k = 0;
    fd = take_lock(BUILD_LOCK_NAME, 60, NULL, d);
    if (fd >= 0) {
        rc = write_manifest(OUT_DIR "/" MANIFEST_NAME, &whole, shares_next, &s, d) == 0 &&
                     build_index_write(OUT_DIR "/" MANIFEST_NAME, OUT_DIR "/" INDEX_NAME, d) == 0 ? 0 : -1;
        if (ftruncate(fd, 0) != 0)
            rc = -1;
        close(fd);
    }
    for (unsigned k = 0; k < o->shard_n; k++)
        build_manifest_free(s.m[k]);
    free(s.m);
    free(s.pos);
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
    char exe[BUILD_DIGEST_LEN + 1] = "";
    build_hash *h = build_hash_new();
    diag *quiet = diag_new(NULL, 0);

    build_hash_puts(h, "baocao " BAOCAO_VERSION);
    if (build_digest_file("/proc/self/exe", exe, quiet) == 0)
        build_hash_puts(h, exe);
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
    run r = { .o = o, .src = src, .lock_fd = -1, .spool = { .fd = -1 } };
    build_manifest *old = NULL;
    struct timespec t0;
    size_t *todo = NULL, ntodo = 0, unchanged = 0, skipped = 0, failed = 0, built = 0, removed = 0;
    buf lockname = BUF_INIT, state = BUF_INIT;
    int status = 1, rc;
    merge mg;
    build_opts opts = *o;
    const char *delay = getenv("BAOCAO_BUILD_DELAY_MS"), *last_tmpl = NULL;
    const char *last_err = NULL;
    build_inputs *in;
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
    r.a = arena_new();
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
        in = build_inputs_new();
        build_inputs_add(in, "program", r.prog);
        diag_clear(dd);
        if (src->inputs(src->self, doc, add_input, in, dd) != 0 || diag_errors(dd) > 0) {
            /* a template-wide problem is reported for its first document only: repeat it */
            if (*diag_text(dd) || !last_err || strcmp(last_tmpl, doc->tmpl) != 0) {
                last_err = keep_errors(&r, diag_text(dd));
                last_tmpl = doc->tmpl;
            }
            res->state = R_FAILED;
            res->errors = last_err;
            seal(&r.spool, doc, res, in, NULL, 0);
            build_inputs_free(in);
            continue;
        }
        why = build_reason(old, doc, in, OUT_DIR, opts.force);
        build_inputs_free(in); /* asked again when a result is in: inputs_of */
        if (!why) {
            res->state = R_UNCHANGED; /* its old entry is carried */
            unchanged++;
            continue;
        }
        res->state = R_TODO;
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
    malloc_trim(0); /* planning's scratch goes back to the system, not into every worker */
    if (!stop_signal && ntodo && render_all(&r, todo, ntodo, d) != 0)
        goto out;
    for (size_t i = 0; i < r.plan->count; i++) {
        built += r.res[i].state == R_BUILT;
        failed += r.res[i].state == R_FAILED;
    }
    print_errors(&r);
    if (!stop_signal)
        removed = remove_vanished(&r, old);
    merge_start(&mg, &r, old);
    rc = write_manifest(state.ptr, &opts, merge_next, &mg, d);
    free(mg.x);
    if (r.spool.err) {
        diag_error(d, state.ptr, 0, 0, "cannot write: %s", strerror(r.spool.err));
        goto out;
    }
    if (rc != 0)
        goto out;
    /* Everything the index needs is in the manifest now: the plan, the results and the old
     * manifest go before it is read back, so the two are never held at once. */
    failed += r.plan->failed;
    build_manifest_free(old);
    old = NULL;
    build_plan_free(r.plan);
    r.plan = NULL;
    free(r.res);
    r.res = NULL;
    if (opts.shard_n ? merge_shards(&opts, d) != 0 : build_index_write(state.ptr, OUT_DIR "/" INDEX_NAME, d) != 0)
        goto out;
    status = failed || diag_errors(d) ? 1 : 0;
    if (stop_signal)
        status = 128 + stop_signal;
    summary(built, unchanged, failed, skipped, removed, seconds_since(&t0), 0);
out:
    if (stop_signal && status < 128)
        status = 128 + stop_signal;
    if (r.lock_fd >= 0) {
        if (ftruncate(r.lock_fd, 0) != 0) /* no pid left behind: outputs stay reproducible */
            status = status ? status : 1;
        close(r.lock_fd);
    }
    catch_signals(0);
    store_close(&r.spool);
    arena_free(r.a);
    diag_free(dd);
    free(r.res);
    free(todo);
    build_manifest_free(old);
    build_plan_free(r.plan);
    buf_free(&lockname);
    buf_free(&state);
    return status;
}
