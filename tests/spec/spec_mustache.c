/*
** The official Mustache spec: runs every test of every .json file in $SHARED/spec/mustache (default
** ../shared) through tmpl_parse/tmpl_render, with tmpl_data over the cJSON values.
*/
#include <cJSON.h>
#include <dirent.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "diag.h"
#include "fileio.h"
#include "tmpl.h"
#include "xalloc.h"

#define MAX_STACK 512 /* deeper than any spec test nests */

/***  tmpl_data over cJSON: the spec's context stack  ***/

typedef struct frame {
    cJSON *v;
    cJSON *list; /* when V is an item of LIST */
    int idx;
} frame;

typedef struct json_ctx {
    frame st[MAX_STACK];
    int n;
    buf text; /* lookup()'s formatted numbers */
} json_ctx;

static cJSON *member(cJSON *v, const char *name, size_t len)
{
    if (!cJSON_IsObject(v))
        return NULL;
    for (cJSON *c = v->child; c; c = c->next)
        if (c->string && strlen(c->string) == len && memcmp(c->string, name, len) == 0)
            return c;
    return NULL;
}

/* The spec's resolution: "." is the top; the first part of a dotted name is looked up from
 * the top of the stack down, the other parts inside what the first found. */
static cJSON *resolve(json_ctx *c, const char *name, size_t len)
{
    const char *dot = memchr(name, '.', len);
    size_t first = dot ? (size_t)(dot - name) : len;
    cJSON *v = NULL;

    if (len == 1 && name[0] == '.')
        return c->st[c->n - 1].v;
    for (int i = c->n - 1; i >= 0 && !v; i--)
        v = member(c->st[i].v, name, first);
    while (v && dot) {
        const char *part = dot + 1, *end = name + len;

        dot = memchr(part, '.', (size_t)(end - part));
        v = member(v, part, (size_t)((dot ? dot : end) - part));
    }
    return v;
}

static int falsey(const cJSON *v)
{
    return !v || cJSON_IsFalse(v) || cJSON_IsNull(v) ||
           (cJSON_IsArray(v) && cJSON_GetArraySize(v) == 0);
}

static int json_enter(void *self, const char *name, size_t len)
{
    json_ctx *c = self;
    cJSON *v = resolve(c, name, len);

    if (falsey(v) || c->n == MAX_STACK)
        return 0;
    if (cJSON_IsArray(v))
        c->st[c->n++] = (frame){ cJSON_GetArrayItem(v, 0), v, 0 };
    else
        c->st[c->n++] = (frame){ v, NULL, 0 };
    return 1;
}

static int json_next(void *self)
{
    json_ctx *c = self;
    frame *f = &c->st[c->n - 1];

    if (!f->list || f->idx + 1 >= cJSON_GetArraySize(f->list))
        return 0;
    f->v = cJSON_GetArrayItem(f->list, ++f->idx);
    return 1;
}

static void json_leave(void *self)
{
    json_ctx *c = self;

    c->n--;
}

static int json_lookup(void *self, const char *name, size_t len, str *out)
{
    json_ctx *c = self;
    cJSON *v = resolve(c, name, len);

    buf_reset(&c->text);
    if (!v || cJSON_IsNull(v))
        return -1;
    if (cJSON_IsString(v)) {
        buf_puts(&c->text, v->valuestring);
    } else if (cJSON_IsNumber(v)) {
        double d = v->valuedouble;

        if (d == floor(d) && fabs(d) < 1e15)
            buf_printf(&c->text, "%.0f", d);
        else
            buf_printf(&c->text, "%.15g", d);
    } else if (cJSON_IsBool(v)) {
        buf_puts(&c->text, cJSON_IsTrue(v) ? "true" : "false");
    } else {
        return -1;
    }
    out->ptr = c->text.ptr;
    out->len = c->text.len;
    return 0;
}

/***  Partials from the test's "partials" object; a missing one renders empty  ***/

static int json_load(void *self, const char *name, size_t len, tmpl_source *src, buf *why)
{
    cJSON *p = member(self, name, len);

    (void)why;
    if (!cJSON_IsString(p))
        return 1;
    src->len = strlen(p->valuestring);
    src->text = xmemdup(p->valuestring, src->len + 1);
    src->path = NULL;
    return 0;
}

/***  Runner  ***/

static void put_escaped(const char *label, const char *s)
{
    printf("  %-9s \"", label);
    for (; s && *s; s++) {
        if (*s == '\n')
            fputs("\\n", stdout);
        else if (*s == '\r')
            fputs("\\r", stdout);
        else if (*s == '\t')
            fputs("\\t", stdout);
        else
            putchar(*s);
    }
    puts("\"");
}

static int run_test(cJSON *test, diag *d)
{
    const char *name = cJSON_GetStringValue(cJSON_GetObjectItem(test, "name"));
    const char *desc = cJSON_GetStringValue(cJSON_GetObjectItem(test, "desc"));
    const char *src = cJSON_GetStringValue(cJSON_GetObjectItem(test, "template"));
    const char *want = cJSON_GetStringValue(cJSON_GetObjectItem(test, "expected"));
    tmpl_loader ld = { cJSON_GetObjectItem(test, "partials"), json_load, NULL };
    json_ctx *c = xcalloc(1, sizeof *c);
    tmpl_data data = { c, json_enter, json_next, json_leave, json_lookup };
    buf out = BUF_INIT;
    tmpl *t;
    int ok = 0;

    c->st[c->n++] = (frame){ cJSON_GetObjectItem(test, "data"), NULL, 0 };
    diag_clear(d);
    t = tmpl_parse(name, src, strlen(src), &ld, d);
    if (t && tmpl_render(t, &data, tmpl_escape_html, &out, d) == 0)
        ok = strcmp(buf_cstr(&out), want) == 0;
    if (!ok) {
        printf("FAIL %s\n", name);
        put_escaped("desc", desc);
        put_escaped("template", src);
        put_escaped("expected", want);
        put_escaped("got", buf_cstr(&out));
        if (diag_errors(d))
            put_escaped("errors", diag_text(d));
    }
    tmpl_free(t);
    buf_free(&out);
    buf_free(&c->text);
    free(c);
    return ok;
}

static int by_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

int main(void)
{
    const char *shared = getenv("SHARED");
    buf dir = BUF_INIT, path = BUF_INIT;
    char **names = NULL;
    size_t n = 0, passed = 0, failed = 0;
    diag *d = diag_new(NULL, 1);
    DIR *dp;
    struct dirent *de;

    buf_printf(&dir, "%s/spec/mustache", shared && *shared ? shared : "../shared");
    dp = opendir(dir.ptr);
    if (!dp) {
        printf("%s: cannot open\n0 passed, 1 failed\n", dir.ptr);
        return 1;
    }
    while ((de = readdir(dp))) {
        size_t l = strlen(de->d_name);

        if (l > 5 && strcmp(de->d_name + l - 5, ".json") == 0) {
            names = xrealloc(names, (n + 1) * sizeof *names);
            names[n++] = xstrdup(de->d_name);
        }
    }
    closedir(dp);
    qsort(names, n, sizeof *names, by_name);
    for (size_t i = 0; i < n; i++) {
        char *text = NULL;
        size_t len, p = 0, f = 0;
        cJSON *doc, *test;
        diag *rd = diag_new(stdout, 0);

        buf_reset(&path);
        buf_printf(&path, "%s/%s", dir.ptr, names[i]);
        if (fileio_read(path.ptr, &text, &len, rd) != 0 || !(doc = cJSON_Parse(text))) {
            printf("%s: cannot read or parse\n", path.ptr);
            if (text)
                free(text);
            failed++;
            diag_free(rd);
            continue;
        }
        cJSON_ArrayForEach(test, cJSON_GetObjectItem(doc, "tests"))
            run_test(test, d) ? p++ : f++;
        printf("%s: %zu passed, %zu failed\n", names[i], p, f);
        passed += p;
        failed += f;
        cJSON_Delete(doc);
        free(text);
        diag_free(rd);
    }
    printf("%zu passed, %zu failed\n", passed, failed);
    for (size_t i = 0; i < n; i++)
        free(names[i]);
    free(names);
    buf_free(&dir);
    buf_free(&path);
    diag_free(d);
    return failed != 0;
}
