/*
** Unit tests for the build engine: planning and fan-out on tests/build/proj, shards, --only
** matching, the manifest round trip and the incremental decisions.
*/
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "build.h"
#include "buildsrc.h"

#define FIXTURE "tests/build/proj"

static char top[PATH_MAX];

static void add(void *arg, const char *name, const char *digest)
{
    build_inputs_add(arg, name, digest);
}

static const build_doc *find_doc(const build_plan *p, const char *id)
{
    for (size_t i = 0; i < build_plan_count(p); i++)
        if (strcmp(build_plan_at(p, i)->id, id) == 0)
            return build_plan_at(p, i);
    return NULL;
}

static void plan_expands_fanout(void **state)
{
    build_source *src = buildsrc_new();
    diag *d = diag_new(stderr, 1);
    build_plan *p;
    const build_doc *doc;

    (void)state;
    assert_int_equal(chdir(FIXTURE), 0);
    p = build_plan_new(src, "templates", d);
    assert_int_equal(diag_errors(d), 0);
    assert_int_equal(build_plan_failed(p), 0);
    /* gioi-thieu: 1; so-sanh: 1 (where nam = 2024); tong-ket: 3 provinces x 2 years; _nhap: 0 */
    assert_int_equal(build_plan_count(p), 8);
    for (size_t i = 1; i < build_plan_count(p); i++)
        assert_true(strcmp(build_plan_at(p, i - 1)->id, build_plan_at(p, i)->id) < 0);
    assert_string_equal(build_plan_at(p, 0)->id, "templates/gioi-thieu.md");
    assert_string_equal(build_plan_at(p, 0)->output, "gioi-thieu");
    assert_int_equal(build_plan_at(p, 0)->nfan, 0);
    doc = find_doc(p, "templates/tong-ket.md?ma_tinh=37&nam=2024");
    assert_non_null(doc);
    assert_string_equal(doc->output, "2024/tong-ket-37-2024");
    assert_string_equal(doc->title, "Báo cáo tổng kết năm 2024 — Ninh Bình");
    assert_string_equal(doc->period, "2024");
    assert_int_equal(doc->nfan, 2);
    assert_string_equal(doc->fan_keys[0], "ma_tinh");
    assert_string_equal(doc->fan_values[1], "2024");
    assert_int_equal(doc->formats, FM_MD);
    assert_non_null(find_doc(p, "templates/so-sanh.md?nam=2024"));
    assert_null(find_doc(p, "templates/so-sanh.md?nam=2023"));
    build_plan_free(p);
    assert_int_equal(chdir(top), 0);
    buildsrc_free(src);
    diag_free(d);
}

static void shards_are_disjoint_and_complete(void **state)
{
    enum { N = 7, IDS = 3000 };
    size_t count[N + 1] = { 0 }, total = 0;
    char id[64];

    (void)state;
    for (int i = 0; i < IDS; i++) {
        unsigned k;

        snprintf(id, sizeof id, "templates/htx.md?ma_htx=%05d", i);
        k = build_shard_of(id, N);
        assert_true(k >= 1 && k <= N);
        assert_int_equal(k, build_shard_of(id, N)); /* stable */
        count[k]++;
    }
    for (int k = 1; k <= N; k++) {
        assert_true(count[k] > IDS / N / 2); /* each share gets a fair part */
        total += count[k];
    }
    assert_int_equal(total, IDS);
    assert_int_equal(build_shard_of("anything", 1), 1);
}

static void only_matches_id_and_outputs(void **state)
{
    build_doc doc = { 0 };

    (void)state;
    doc.id = "templates/tong-ket.md?ma_tinh=37&nam=2024";
    doc.tmpl = "templates/tong-ket.md";
    doc.output = "2024/tong-ket-37-2024";
    doc.formats = FM_PDF | FM_HTML;
    assert_true(build_matches(&doc, "*ma_tinh=37*"));
    assert_true(build_matches(&doc, "templates/tong-ket.md*"));
    assert_true(build_matches(&doc, "2024/*"));
    assert_true(build_matches(&doc, "*.pdf"));
    assert_true(build_matches(&doc, "output/2024/tong-ket-37-2024.html"));
    assert_false(build_matches(&doc, "*.md"));
    assert_false(build_matches(&doc, "2023/*"));
    assert_false(build_matches(&doc, "*ma_tinh=01*"));
}

/* Builds a temporary copy of the fixture, then reads its manifest back and asks for the
 * incremental decisions. */
static void manifest_round_trip_and_reasons(void **state)
{
    char tmp[] = "/tmp/test_build.XXXXXX", cmd[PATH_MAX + 64];
    build_source *src = buildsrc_new();
    diag *d = diag_new(stderr, 1);
    build_opts o = { 0 };
    build_manifest *m;
    build_plan *p;
    const build_doc *doc;
    build_inputs *in;
    const char *why;
    FILE *f;

    (void)state;
    assert_non_null(mkdtemp(tmp));
    snprintf(cmd, sizeof cmd, "cp -r " FIXTURE "/. %s/", tmp);
    assert_int_equal(system(cmd), 0);
    o.dir = tmp;
    o.jobs = 2;
    o.quiet = 1;
    assert_int_equal(build_run(&o, src, d), 0);
    buildsrc_free(src);

    /* build_run entered the project folder */
    m = build_manifest_read("output/manifest.json", d);
    assert_int_equal(build_manifest_count(m), 8);
    assert_true(build_manifest_has(m, "templates/tong-ket.md?ma_tinh=01&nam=2023"));
    assert_false(build_manifest_has(m, "templates/tong-ket.md?ma_tinh=02&nam=2023"));

    src = buildsrc_new();
    p = build_plan_new(src, "templates", d);
    doc = find_doc(p, "templates/tong-ket.md?ma_tinh=37&nam=2024");
    in = build_inputs_new();
    build_inputs_add(in, "program", "x"); /* not the real program digest */
    assert_int_equal(src->inputs(src->self, doc, add, in, d), 0);
    assert_true(build_inputs_count(in) >= 4);
    why = build_reason(m, doc, in, "output", 0);
    assert_non_null(why);
    assert_string_equal(why, "changed program");
    assert_string_equal(build_reason(m, doc, in, "output", 1), "forced");
    build_inputs_free(in);

    build_manifest_free(m);
    m = build_manifest_read("output/manifest.json", d);
    {
        build_doc other = *doc;

        other.id = "templates/tong-ket.md?ma_tinh=99&nam=2024";
        in = build_inputs_new();
        assert_string_equal(build_reason(m, &other, in, "output", 0), "new");
        build_inputs_free(in);
    }
    build_manifest_free(m);

    /* an unreadable manifest is a warning and an empty manifest */
    f = fopen("output/manifest.json", "w");
    fputs("{ not json", f);
    fclose(f);
    m = build_manifest_read("output/manifest.json", d);
    assert_int_equal(build_manifest_count(m), 0);
    assert_int_equal(diag_warnings(d), 1);
    build_manifest_free(m);

    build_plan_free(p);
    buildsrc_free(src);
    assert_int_equal(chdir(top), 0);
    snprintf(cmd, sizeof cmd, "rm -rf %s", tmp);
    assert_int_equal(system(cmd), 0);
    diag_free(d);
}

/* The decisions against a hand-written manifest. */
static void reasons_from_manifest(void **state)
{
    char tmp[] = "/tmp/test_build.XXXXXX", path[PATH_MAX];
    build_doc doc = { 0 };
    diag *d = diag_new(stderr, 1);
    build_manifest *m;
    build_inputs *in;
    FILE *f;

    (void)state;
    assert_non_null(mkdtemp(tmp));
    snprintf(path, sizeof path, "%s/a.md", tmp);
    f = fopen(path, "w");
    fputs("12345", f);
    fclose(f);
    snprintf(path, sizeof path, "%s/manifest.json", tmp);
    f = fopen(path, "w");
    fputs("{\"documents\":[{\"id\":\"t.md?k=1\",\"status\":\"ok\",\"inputs\":{\"a\":\"1\",\"b\":\"2\"},"
          "\"outputs\":[{\"format\":\"md\",\"path\":\"a.md\",\"bytes\":5}]},"
          "{\"id\":\"t.md?k=2\",\"status\":\"failed\",\"inputs\":{},\"outputs\":[]}]}", f);
    fclose(f);
    m = build_manifest_read(path, d);
    assert_int_equal(build_manifest_count(m), 2);
    doc.id = "t.md?k=1";
    doc.output = "a";
    doc.formats = FM_MD;
    in = build_inputs_new();
    build_inputs_add(in, "a", "1");
    build_inputs_add(in, "b", "2");
    assert_null(build_reason(m, &doc, in, tmp, 0));
    doc.formats = FM_MD | FM_PDF;
    assert_string_equal(build_reason(m, &doc, in, tmp, 0), "new output a.pdf");
    doc.formats = FM_MD;
    doc.output = "b";
    assert_string_equal(build_reason(m, &doc, in, tmp, 0), "new output b.md");
    doc.output = "a";
    build_inputs_add(in, "c", "3");
    assert_string_equal(build_reason(m, &doc, in, tmp, 0), "new input c");
    build_inputs_free(in);
    in = build_inputs_new();
    build_inputs_add(in, "a", "1");
    assert_string_equal(build_reason(m, &doc, in, tmp, 0), "dropped input");
    build_inputs_add(in, "b", "9");
    assert_string_equal(build_reason(m, &doc, in, tmp, 0), "changed b");
    build_inputs_free(in);
    in = build_inputs_new();
    build_inputs_add(in, "a", "1");
    build_inputs_add(in, "b", "2");
    snprintf(path, sizeof path, "%s/a.md", tmp);
    f = fopen(path, "w");
    fputs("1234", f); /* truncated behind our back */
    fclose(f);
    assert_non_null(strstr(build_reason(m, &doc, in, tmp, 0), "missing output"));
    unlink(path);
    assert_non_null(strstr(build_reason(m, &doc, in, tmp, 0), "missing output"));
    doc.id = "t.md?k=2";
    assert_string_equal(build_reason(m, &doc, in, tmp, 0), "failed before");
    build_inputs_free(in);
    build_manifest_free(m);
    snprintf(path, sizeof path, "%s/manifest.json", tmp);
    unlink(path);
    rmdir(tmp);
    diag_free(d);
}

/* A source of five documents: number 3 crashes its worker, number 4 reports an error. */
static int fake_expand(void *self, const char *path, const char *src, size_t len,
                       const frontmatter *fm, build_doc_fn fn, void *arg, diag *d)
{
    static const char *const key[] = { "so" };
    static const char *const val[] = { "1", "2", "3", "4", "5" };
    static const char *const out[] = { "d-1", "d-2", "d-3", "d-4", "d-5" };

    (void)self, (void)src, (void)len, (void)fm;
    for (int i = 0; i < 5; i++) {
        build_doc doc = { 0 };

        doc.tmpl = path;
        doc.output = out[i];
        doc.formats = FM_MD;
        doc.nfan = 1;
        doc.fan_keys = key;
        doc.fan_values = &val[i];
        if (fn(arg, &doc, d) != 0)
            return -1;
    }
    return 0;
}

static int fake_inputs(void *self, const build_doc *doc, build_input_fn fn, void *arg, diag *d)
{
    (void)self, (void)doc, (void)d;
    fn(arg, "fake", "1");
    return 0;
}

static int fake_render(void *self, const build_doc *doc, build_output *out, size_t nout, diag *d)
{
    FILE *f;

    (void)self;
    if (strcmp(doc->fan_values[0], "3") == 0)
        abort();
    if (strcmp(doc->fan_values[0], "4") == 0) {
        diag_error(d, doc->tmpl, 7, 3, "bad row %s", doc->fan_values[0]);
        return -1;
    }
    for (size_t i = 0; i < nout; i++) {
        if (!(f = fopen(out[i].tmp, "w")))
            return -1;
        fprintf(f, "document %s\n", doc->fan_values[0]);
        fclose(f);
    }
    return 0;
}

static void crash_and_error_fail_alone(void **state)
{
    char tmp[] = "/tmp/test_build.XXXXXX", cmd[PATH_MAX + 64];
    build_source src = { NULL, fake_expand, fake_inputs, fake_render, NULL };
    diag *d = diag_new(NULL, 1);
    build_opts o = { 0 };
    build_manifest *m;

    (void)state;
    assert_non_null(mkdtemp(tmp));
    snprintf(cmd, sizeof cmd, "mkdir -p %s/templates && echo x >%s/templates/t.md", tmp, tmp);
    assert_int_equal(system(cmd), 0);
    o.dir = tmp;
    o.jobs = 2;
    o.quiet = 1;
    assert_int_equal(build_run(&o, &src, d), 1);
    assert_int_equal(access("output/d-1.md", F_OK), 0);
    assert_int_equal(access("output/d-5.md", F_OK), 0);
    assert_int_not_equal(access("output/d-3.md", F_OK), 0);
    assert_int_not_equal(access("output/d-4.md", F_OK), 0);
    m = build_manifest_read("output/manifest.json", d);
    assert_int_equal(build_manifest_count(m), 5);
    assert_true(build_manifest_has(m, "templates/t.md?so=1"));
    assert_false(build_manifest_has(m, "templates/t.md?so=3"));
    assert_false(build_manifest_has(m, "templates/t.md?so=4"));
    build_manifest_free(m);
    assert_int_equal(system("grep -q 'rendering templates/t.md?so=3 crashed (signal 6)' output/manifest.json"), 0);
    assert_int_equal(system("grep -q 'templates/t.md:7:3: error: bad row 4' output/manifest.json"), 0);
    /* a second run retries only the two failures */
    assert_int_equal(build_run(&o, &src, d), 1);
    assert_int_equal(chdir(top), 0);
    snprintf(cmd, sizeof cmd, "rm -rf %s", tmp);
    assert_int_equal(system(cmd), 0);
    diag_free(d);
}

static void digests_are_sha256(void **state)
{
    char out[BUILD_DIGEST_LEN + 1];

    (void)state;
    build_digest_bytes("abc", 3, out);
    assert_string_equal(out, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(plan_expands_fanout),
        cmocka_unit_test(shards_are_disjoint_and_complete),
        cmocka_unit_test(only_matches_id_and_outputs),
        cmocka_unit_test(manifest_round_trip_and_reasons),
        cmocka_unit_test(reasons_from_manifest),
        cmocka_unit_test(crash_and_error_fail_alone),
        cmocka_unit_test(digests_are_sha256),
    };

    if (!getcwd(top, sizeof top))
        return 1;
    return cmocka_run_group_tests(tests, NULL, NULL);
}
