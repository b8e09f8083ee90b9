/*
** libFuzzer harness for tmpl: the first byte holds the options (cmark-fuzz style), the rest
** is the template, then partials separated by NUL bytes. Every partial name maps to one of
** those partials by its hash, so named and dynamic partials, parents and recursion are all
** reachable; data answers from a hash of the name (falsey, a value, or a list of 1-3).
*/
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "diag.h"
#include "tmpl.h"
#include "xalloc.h"

#define MAX_INPUT (64 * 1024)
#define MAX_PARTS 8
#define MAX_STACK 2048 /* more than the engine's render depth */

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

typedef struct fz {
    unsigned flags;
    const char *part[MAX_PARTS];
    size_t plen[MAX_PARTS];
    int nparts;
    int depth, idx[MAX_STACK], cnt[MAX_STACK];
    buf val;
} fz;

static unsigned hash(const char *s, size_t n, unsigned seed)
{
    unsigned h = 2166136261u ^ seed;

    for (size_t i = 0; i < n; i++)
        h = (h ^ (unsigned char)s[i]) * 16777619u;
    return h;
}

static int fz_enter(void *self, const char *name, size_t len)
{
    fz *f = self;
    unsigned h = hash(name, len, f->flags);

    if (h % 4 == 0 || f->depth == MAX_STACK)
        return 0;
    f->idx[f->depth] = 0;
    f->cnt[f->depth++] = 1 + (int)(h / 4 % 3);
    return 1;
}

static int fz_next(void *self)
{
    fz *f = self;
    int d = f->depth - 1;

    if (f->idx[d] + 1 >= f->cnt[d])
        return 0;
    f->idx[d]++;
    return 1;
}

static void fz_leave(void *self)
{
    ((fz *)self)->depth--;
}

static int fz_lookup(void *self, const char *name, size_t len, str *out)
{
    fz *f = self;

    if (hash(name, len, f->flags) % 5 == 0)
        return -1;
    buf_reset(&f->val);
    buf_put(&f->val, name, len); /* the name itself: {{>*a}} then names partial "a" */
    if (f->flags & 4)
        buf_puts(&f->val, "<&\"\n>");
    *out = (str){ f->val.ptr, f->val.len };
    return 0;
}

static int fz_load(void *self, const char *name, size_t len, tmpl_source *src, buf *why)
{
    fz *f = self;
    int i;

    if (f->nparts == 0)
        return 1;
    if ((f->flags & 2) && hash(name, len, 7) % 8 == 0) {
        buf_puts(why, "refused");
        return -1;
    }
    i = (int)(hash(name, len, 0) % (unsigned)f->nparts);
    src->text = xmalloc(f->plen[i] + 1);
    memcpy(src->text, f->part[i], f->plen[i]);
    src->text[f->plen[i]] = '\0';
    src->len = f->plen[i];
    src->path = (f->flags & 8) ? xstrndup(name, len) : NULL;
    return 0;
}

static void count_dep(void *self, const char *name, const char *path)
{
    (void)name;
    (void)path;
    (*(size_t *)self)++;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fz f = { 0 };
    const char *src, *end, *p;
    tmpl_loader ld = { &f, fz_load, NULL };
    tmpl_data td = { &f, fz_enter, fz_next, fz_leave, fz_lookup };
    diag *d;
    tmpl *t;
    buf out = BUF_INIT;
    size_t deps = 0, tlen;

    if (size < 1 || size > MAX_INPUT)
        return 0;
    f.flags = data[0];
    src = (const char *)data + 1;
    end = (const char *)data + size;
    p = memchr(src, '\0', (size_t)(end - src));
    tlen = (size_t)((p ? p : end) - src);
    while (p && f.nparts < MAX_PARTS) {
        const char *q = memchr(p + 1, '\0', (size_t)(end - p - 1));

        f.part[f.nparts] = p + 1;
        f.plen[f.nparts++] = (size_t)((q ? q : end) - p - 1);
        p = q;
    }
    d = diag_new(NULL, 0);
    t = tmpl_parse("fuzz", src, tlen, (f.flags & 1) ? NULL : &ld, d);
    if (t) {
        for (int i = 0; i < 2; i++) { /* twice: the second render uses cached dynamic partials */
            buf_reset(&out);
            tmpl_render(t, &td, (f.flags & 16) ? NULL : tmpl_escape_html, &out, d);
            if (f.depth != 0)
                abort(); /* enter/leave out of balance */
        }
        tmpl_deps(t, count_dep, &deps);
    }
    tmpl_free(t);
    buf_free(&out);
    buf_free(&f.val);
    diag_free(d);
    return 0;
}
