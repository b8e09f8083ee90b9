/*
** Unit tests for tmpl: every error with its message and position, the partial root rule,
** depth limits, pathological inputs under a time bound, and flat memory over many fills.
*/
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "buf.h"
#include "diag.h"
#include "tmpl.h"
#include "xalloc.h"

/***  A small data provider: names with a text value, or lists of N items  ***/

typedef struct kv {
    const char *k, *v; /* V NULL or "": falsey unless N */
    int n;             /* a list of N items (each item's "." is its number) */
} kv;

typedef struct tdata {
    const kv *kv;
    int depth, idx[512], cnt[512];
    char num[16];
} tdata;

static const kv *find_kv(tdata *t, const char *name, size_t len)
{
    for (const kv *p = t->kv; p && p->k; p++)
        if (strlen(p->k) == len && memcmp(p->k, name, len) == 0)
            return p;
    return NULL;
}

static int t_enter(void *self, const char *name, size_t len)
{
    tdata *t = self;
    const kv *p = find_kv(t, name, len);

    if (!p || (!p->n && !(p->v && *p->v)) || t->depth == 512)
        return 0;
    t->idx[t->depth] = 0;
    t->cnt[t->depth++] = p->n ? p->n : 1;
    return 1;
}

static int t_next(void *self)
{
    tdata *t = self;
    int d = t->depth - 1;

    if (t->idx[d] + 1 >= t->cnt[d])
        return 0;
    t->idx[d]++;
    return 1;
}

static void t_leave(void *self)
{
    ((tdata *)self)->depth--;
}

static int t_lookup(void *self, const char *name, size_t len, str *out)
{
    tdata *t = self;
    const kv *p;

    if (len == 1 && name[0] == '.' && t->depth) {
        snprintf(t->num, sizeof t->num, "%d", t->idx[t->depth - 1] + 1);
        *out = (str){ t->num, strlen(t->num) };
        return 0;
    }
    p = find_kv(t, name, len);
    if (!p || !p->v)
        return -1;
    *out = (str){ p->v, strlen(p->v) };
    return 0;
}

/***  Partials from a NULL-terminated name/text array; missing ones render empty  ***/

static int map_load(void *self, const char *name, size_t len, tmpl_source *src, buf *why)
{
    const char *const *m = self;

    (void)why;
    for (; m[0]; m += 2)
        if (strlen(m[0]) == len && memcmp(m[0], name, len) == 0) {
            src->len = strlen(m[1]);
            src->text = xmemdup(m[1], src->len + 1);
            src->path = NULL;
            return 0;
        }
    return 1;
}

/* Parses and renders SRC; returns the diag text or the output (static storage). */
static const char *run(const char *src, const kv *data, const char *const *partials,
                       const tmpl_loader *ld, int *rc)
{
    static buf res;
    tmpl_loader mld = { (void *)partials, map_load, NULL };
    tdata td = { .kv = data };
    tmpl_data dt = { &td, t_enter, t_next, t_leave, t_lookup };
    diag *d = diag_new(NULL, 1);
    buf out = BUF_INIT;
    tmpl *t = tmpl_parse("t.md", src, strlen(src), ld ? ld : partials ? &mld : NULL, d);

    *rc = -1;
    if (t)
        *rc = tmpl_render(t, &dt, tmpl_escape_html, &out, d);
    buf_reset(&res);
    buf_puts(&res, *rc == 0 ? buf_cstr(&out) : diag_text(d));
    tmpl_free(t);
    buf_free(&out);
    diag_free(d);
    return buf_cstr(&res);
}

static const char *errors_of(const char *src)
{
    int rc;
    const char *r = run(src, NULL, NULL, NULL, &rc);

    assert_int_equal(rc, -1);
    return r;
}

static double now(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

/***  Errors  ***/

static void unclosed_section_points_at_opening(void **state)
{
    (void)state;
    assert_string_equal(errors_of("Tổng kết\n  {{#units}}\n{{ten}}\n"),
                        "t.md:2:3: error: unclosed section 'units'\n");
    assert_string_equal(errors_of("{{^a}}{{<p}}{{$b}}"),
                        "t.md:1:1: error: unclosed section 'a'\n"
                        "t.md:1:7: error: unclosed parent 'p'\n"
                        "t.md:1:13: error: unclosed block 'b'\n");
}

static void mismatched_closing_tag(void **state)
{
    (void)state;
    assert_string_equal(errors_of("{{#a}}\n x {{/b}}{{/a}}"),
                        "t.md:2:4: error: mismatched closing tag 'b': the open section is "
                        "'a' from 1:1\n");
    assert_string_equal(errors_of("ừ {{/a}}"),
                        "t.md:1:3: error: closing tag 'a' without an open section\n");
}

static void bad_delimiter_change(void **state)
{
    (void)state;
    assert_string_equal(errors_of("x\n{{=<% =}}"),
                        "t.md:2:1: error: bad delimiter change '{{=<% =}}': expected two "
                        "delimiters, without spaces or '=', between the '=' signs\n");
    assert_string_equal(errors_of("{{= a b c =}}"),
                        "t.md:1:1: error: bad delimiter change '{{= a b c =}}': expected two "
                        "delimiters, without spaces or '=', between the '=' signs\n");
    assert_string_equal(errors_of("{{=| |=}} |x"),
                        "t.md:1:11: error: unclosed tag: no '|' after '|'\n");
}

static void unclosed_and_bad_tags(void **state)
{
    (void)state;
    assert_string_equal(errors_of("Hợp tác {{name"),
                        "t.md:1:9: error: unclosed tag: no '}}' after '{{'\n");
    assert_string_equal(errors_of("{{{raw}}"),
                        "t.md:1:1: error: unclosed tag: no '}}}' after '{{'\n");
    assert_string_equal(errors_of("a{{ }}"), "t.md:1:2: error: empty tag name in '{{ }}'\n");
    assert_string_equal(errors_of("{{a b}}"),
                        "t.md:1:1: error: bad tag name 'a b': a name has no spaces\n");
}

/***  Partials and the template folder  ***/

typedef struct tmpdir {
    char root[64], out[64];
} tmpdir;

static void write_file(const char *dir, const char *name, const char *text)
{
    char path[256];
    FILE *f;

    snprintf(path, sizeof path, "%s/%s", dir, name);
    f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

static void make_dirs(tmpdir *td)
{
    char p[128];

    strcpy(td->root, "/tmp/baocao-tmpl-XXXXXX");
    assert_non_null(mkdtemp(td->root));
    strcpy(td->out, "/tmp/baocao-tmplout-XXXXXX");
    assert_non_null(mkdtemp(td->out));
    snprintf(p, sizeof p, "%s/sub", td->root);
    assert_int_equal(mkdir(p, 0700), 0);
    write_file(td->root, "header.md", "# {{title}}\n");
    write_file(td->root, "sub/row.md", "| {{.}} |\n");
    write_file(td->out, "secret.md", "SECRET\n");
    snprintf(p, sizeof p, "%s/secret.md", td->out);
    write_file(td->root, "plain", "plain {{>header}}");
    {
        char link[128];

        snprintf(link, sizeof link, "%s/out.md", td->root);
        assert_int_equal(symlink(p, link), 0);
        snprintf(link, sizeof link, "%s/up", td->root);
        assert_int_equal(symlink(td->out, link), 0);
    }
}

static void remove_dirs(tmpdir *td)
{
    char cmd[256];

    snprintf(cmd, sizeof cmd, "rm -rf '%s' '%s'", td->root, td->out);
    assert_int_equal(system(cmd), 0);
}

static void add_dep(void *self, const char *name, const char *path)
{
    buf *b = self;

    buf_printf(b, "%s=%s;", name, path ? strrchr(path, '/') + 1 : "-");
}

static void dir_loader_reads_partials_and_lists_deps(void **state)
{
    tmpdir td;
    diag *d = diag_new(NULL, 1);
    tmpl_loader *ld;
    const kv data[] = { { "title", "Báo cáo <2024>", 0 }, { "rows", NULL, 2 }, { 0 } };
    const char *src = "{{>header}}\n{{#rows}}\n  {{>sub/row}}\n{{/rows}}\n{{>plain}}";
    buf deps = BUF_INIT;
    tmpl *t;
    int rc;

    (void)state;
    make_dirs(&td);
    ld = tmpl_loader_dir(td.root, ".md", d);
    assert_non_null(ld);
    assert_string_equal(run(src, data, NULL, ld, &rc),
                        "# Báo cáo &lt;2024&gt;\n  | 1 |\n  | 2 |\nplain # Báo cáo &lt;2024&gt;\n");
    assert_int_equal(rc, 0);
    t = tmpl_parse("t.md", src, strlen(src), ld, d);
    assert_non_null(t);
    tmpl_deps(t, add_dep, &deps);
    assert_string_equal(buf_cstr(&deps), "header=header.md;sub/row=row.md;plain=plain;");
    tmpl_free(t);
    buf_free(&deps);
    tmpl_loader_free(ld);
    diag_free(d);
    remove_dirs(&td);
}

static void partial_names_cannot_leave_the_root(void **state)
{
    tmpdir td;
    diag *d = diag_new(NULL, 1);
    tmpl_loader *ld;
    buf want = BUF_INIT;
    const kv data[] = { { "name", "../secret", 0 }, { 0 } };
    int rc;

    (void)state;
    make_dirs(&td);
    ld = tmpl_loader_dir(td.root, ".md", d);
    assert_non_null(ld);
    buf_printf(&want, "t.md:1:3: error: partial name '../secret' leaves the template folder %s\n",
               td.root);
    assert_string_equal(run("x {{>../secret}}", NULL, NULL, ld, &rc), want.ptr);
    buf_reset(&want);
    buf_printf(&want, "t.md:1:1: error: partial name '/etc/passwd' leaves the template folder %s\n",
               td.root);
    assert_string_equal(run("{{> /etc/passwd }}", NULL, NULL, ld, &rc), want.ptr);
    buf_reset(&want);
    buf_printf(&want, "t.md:1:1: error: partial name 'sub/../../x' leaves the template folder %s\n",
               td.root);
    assert_string_equal(run("{{>sub/../../x}}", NULL, NULL, ld, &rc), want.ptr);
    buf_reset(&want);
    buf_printf(&want, "t.md:2:1: error: partial 'out' resolves to %s/secret.md, outside the "
               "template folder %s\n", td.out, td.root);
    assert_string_equal(run("\n{{<out}}{{/out}}", NULL, NULL, ld, &rc), want.ptr);
    buf_reset(&want);
    buf_printf(&want, "t.md:1:1: error: partial 'up/secret' resolves to %s/secret.md, outside "
               "the template folder %s\n", td.out, td.root);
    assert_string_equal(run("{{>up/secret}}", NULL, NULL, ld, &rc), want.ptr);
    /* dynamic names are checked the same way, at render time */
    buf_reset(&want);
    buf_printf(&want, "t.md:1:4: error: partial name '../secret' leaves the template folder %s\n",
               td.root);
    assert_string_equal(run("ok {{>*name}}", data, NULL, ld, &rc), want.ptr);
    assert_int_equal(rc, -1);
    buf_reset(&want);
    buf_printf(&want, "t.md:1:1: error: unknown partial 'nope': no file %s/nope.md\n", td.root);
    assert_string_equal(run("{{>nope}}", NULL, NULL, ld, &rc), want.ptr);
    buf_free(&want);
    tmpl_loader_free(ld);
    assert_null(tmpl_loader_dir("/no/such/folder", NULL, d));
    assert_string_equal(diag_text(d),
                        "/no/such/folder: error: cannot open the template folder: No such file "
                        "or directory\n");
    diag_free(d);
    remove_dirs(&td);
}

static void partial_errors_name_the_partial(void **state)
{
    const char *const parts[] = { "p", "line\n{{#open}}", NULL };
    int rc;

    (void)state;
    assert_string_equal(run("{{>p}}", NULL, parts, NULL, &rc),
                        "p:2:1: error: unclosed section 'open'\n"
                        "t.md:1:1: note: partial 'p' is included here\n");
    assert_int_equal(rc, -1);
}

static void indentation_of_standalone_partials_and_blocks(void **state)
{
    const char *const parts[] = { "p", "{{#a}}\nx\n{{/a}}\ny\n", "b",
                                  "Hi,\n  {{$blk}}\n  {{/blk}}\n", NULL };
    const kv data[] = { { "a", "yes", 0 }, { 0 } };
    int rc;

    (void)state;
    /* a partial whose first line is a standalone section is indented once */
    assert_string_equal(run("  {{>p}}\n", data, parts, NULL, &rc), "  x\n  y\n");
    /* a block defined inline gets its site's indentation on its first line too */
    assert_string_equal(run("{{<b}}{{$blk}}one{{/blk}}{{/b}}", data, parts, NULL, &rc),
                        "Hi,\n  one");
    assert_string_equal(run("{{<b}}{{$blk}}\n{{#a}}\none\n{{/a}}\n{{/blk}}{{/b}}", data,
                            parts, NULL, &rc),
                        "Hi,\n  one\n");
}

/***  Depth limits and pathological inputs  ***/

static void partial_recursion_is_an_error(void **state)
{
    const char *const parts[] = { "a", "x{{>b}}", "b", "{{>a}}", NULL };
    double t0 = now();
    int rc;

    (void)state;
    assert_string_equal(run("{{>a}}", NULL, parts, NULL, &rc),
                        "b:1:1: error: partial recursion deeper than 64 levels (through 'a')\n");
    assert_int_equal(rc, -1);
    assert_true(now() - t0 < 1.0);
}

static void block_overriding_itself_is_bounded(void **state)
{
    const char *const parts[] = { "p", "{{$a}}{{/a}}", NULL };
    int rc;

    (void)state;
    assert_string_equal(run("{{<p}}{{$a}}{{$a}}{{/a}}{{/a}}{{/p}}", NULL, parts, NULL, &rc),
                        "t.md:1:13: error: templates nested deeper than 1000 levels\n");
}

static void exponential_expansion_is_bounded(void **state)
{
    /* p0 includes p1 twice, p1 includes p2 twice...: 2^40 expansions, 40 levels deep */
    static char text[41][48], names[41][16];
    const char *parts[2 * 41 + 1];
    double t0 = now();
    int rc;

    (void)state;
    for (int i = 0; i <= 40; i++) {
        snprintf(names[i], sizeof names[i], "p%d", i);
        if (i < 40)
            snprintf(text[i], sizeof text[i], "{{>p%d}}{{>p%d}}", i + 1, i + 1);
        else
            strcpy(text[i], "x");
        parts[2 * i] = names[i];
        parts[2 * i + 1] = text[i];
    }
    parts[2 * 41] = NULL;
    assert_non_null(strstr(run("{{>p0}}", NULL, parts, NULL, &rc),
                           ": error: template expands to more than 10000000 steps (a runaway "
                           "recursion?)\n"));
    assert_int_equal(rc, -1);
    assert_true(now() - t0 < 5.0);
}

static void deep_nesting_is_bounded(void **state)
{
    buf src = BUF_INIT;
    double t0 = now();
    int rc;
    const char *r;

    (void)state;
    for (int i = 0; i < 10000; i++)
        buf_puts(&src, "{{#a}}");
    for (int i = 0; i < 10000; i++)
        buf_puts(&src, "{{/a}}");
    r = run(src.ptr, NULL, NULL, NULL, &rc);
    assert_string_equal(r, "t.md:1:1537: error: sections nested deeper than 256 levels\n");
    /* 200 levels are fine */
    buf_reset(&src);
    for (int i = 0; i < 200; i++)
        buf_puts(&src, "{{#a}}");
    buf_puts(&src, "deep");
    for (int i = 0; i < 200; i++)
        buf_puts(&src, "{{/a}}");
    {
        const kv data[] = { { "a", "yes", 0 }, { 0 } };

        assert_string_equal(run(src.ptr, data, NULL, NULL, &rc), "deep");
    }
    assert_true(now() - t0 < 2.0);
    buf_free(&src);
}

static void megabyte_inputs(void **state)
{
    buf src = BUF_INIT;
    const kv data[] = { { "v", "<&>", 0 }, { 0 } };
    double t0 = now();
    int rc;
    const char *r;

    (void)state;
    for (int i = 0; i < (1 << 20) / 16; i++)
        buf_puts(&src, "Hợp tác xã   \n");
    r = run(src.ptr, data, NULL, NULL, &rc);
    assert_int_equal(rc, 0);
    assert_int_equal(strlen(r), src.len);
    buf_reset(&src);
    for (int i = 0; i < (1 << 20) / 8; i++)
        buf_puts(&src, "{{v}}\n");
    r = run(src.ptr, data, NULL, NULL, &rc);
    assert_int_equal(rc, 0);
    assert_int_equal(strlen(r), (size_t)((1 << 20) / 8) * 14);
    /* an open delimiter with no close after a megabyte */
    buf_reset(&src);
    for (int i = 0; i < 1 << 16; i++)
        buf_puts(&src, "{{ and no end ");
    r = run(src.ptr, data, NULL, NULL, &rc);
    assert_int_equal(rc, -1);
    assert_true(now() - t0 < 3.0);
    buf_free(&src);
}

static void partials_including_each_other_under_sections(void **state)
{
    /* a tree walk: each level renders the other partial while the list lasts */
    const char *const parts[] = { "a", "[{{#items}}{{>b}}{{/items}}]", "b",
                                  "({{^items}}leaf{{/items}}{{#items}}{{>a}}{{/items}})", NULL };
    const kv data[] = { { "items", NULL, 2 }, { 0 } };
    double t0 = now();
    int rc;
    const char *r = run("{{>a}}", data, parts, NULL, &rc);

    (void)state;
    assert_int_equal(rc, -1); /* the data never ends, so the depth limit does */
    assert_non_null(strstr(r, "partial recursion deeper than 64 levels"));
    assert_true(now() - t0 < 2.0);
}

/***  Render many times: same output, flat memory  ***/

static void render_many_keeps_memory_flat(void **state)
{
    const char *const parts[] = { "row", "| {{.}} | {{name}} |\n", NULL };
    const char *src = "# {{title}}\n{{#rows}}\n{{>row}}\n{{/rows}}\n{{^none}}end{{/none}}\n";
    const kv data[] = { { "title", "Báo cáo", 0 }, { "rows", NULL, 63 }, { "name", "<b>", 0 },
                        { 0 } };
    tmpl_loader ld = { (void *)parts, map_load, NULL };
    tdata td = { .kv = data };
    tmpl_data dt = { &td, t_enter, t_next, t_leave, t_lookup };
    diag *d = diag_new(NULL, 1);
    tmpl *t = tmpl_parse("t.md", src, strlen(src), &ld, d);
    buf out = BUF_INIT;
    size_t first_len, used0 = 0;

    (void)state;
    assert_non_null(t);
    assert_int_equal(tmpl_render(t, &dt, tmpl_escape_html, &out, d), 0);
    first_len = out.len;
    {
        buf want = BUF_INIT;

        buf_puts(&want, "# Báo cáo\n");
        for (int i = 1; i <= 63; i++)
            buf_printf(&want, "| %d | &lt;b&gt; |\n", i);
        buf_puts(&want, "end\n");
        assert_string_equal(out.ptr, want.ptr);
        buf_free(&want);
    }
    for (int i = 0; i < 10000; i++) {
        buf_reset(&out);
        assert_int_equal(tmpl_render(t, &dt, tmpl_escape_html, &out, d), 0);
        assert_int_equal(out.len, first_len);
        if (i == 10)
            used0 = mallinfo2().uordblks;
    }
    assert_int_equal(mallinfo2().uordblks, used0);
    assert_int_equal(td.depth, 0);
    tmpl_free(t);
    buf_free(&out);
    diag_free(d);
}

static void escaping_and_nulls(void **state)
{
    buf b = BUF_INIT;

    (void)state;
    tmpl_escape_html(&b, "a & \"b\" <c> 'd'", 16);
    assert_string_equal(b.ptr, "a &amp; &quot;b&quot; &lt;c&gt; 'd'");
    buf_free(&b);
    tmpl_free(NULL);
    tmpl_loader_free(NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(unclosed_section_points_at_opening),
        cmocka_unit_test(mismatched_closing_tag),
        cmocka_unit_test(bad_delimiter_change),
        cmocka_unit_test(unclosed_and_bad_tags),
        cmocka_unit_test(dir_loader_reads_partials_and_lists_deps),
        cmocka_unit_test(partial_names_cannot_leave_the_root),
        cmocka_unit_test(partial_errors_name_the_partial),
        cmocka_unit_test(indentation_of_standalone_partials_and_blocks),
        cmocka_unit_test(partial_recursion_is_an_error),
        cmocka_unit_test(block_overriding_itself_is_bounded),
        cmocka_unit_test(exponential_expansion_is_bounded),
        cmocka_unit_test(deep_nesting_is_bounded),
        cmocka_unit_test(megabyte_inputs),
        cmocka_unit_test(partials_including_each_other_under_sections),
        cmocka_unit_test(render_many_keeps_memory_flat),
        cmocka_unit_test(escaping_and_nulls),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
