/*
** Unit tests for the build source's row digests (buildsrc.c): a document's "rows:" input is
** hashed from the groups of rows it can see (its unit, its period). The same rows give the
** same digest; a change in a row the document sees changes it; a change elsewhere does not.
** And the pairing of planned documents with the dataset stage's (fill.h) by fan-out values.
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
#include <sys/stat.h>
#include <unistd.h>

#include "build.h"
#include "buildsrc.h"

static char top[PATH_MAX];

static void write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");

    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

typedef struct found {
    char digest[BUILD_DIGEST_LEN + 1];
    int n;
} found;

static void take_rows(void *arg, const char *name, const char *digest)
{
    found *f = arg;

    if (strncmp(name, "rows:", 5) == 0) {
        snprintf(f->digest, sizeof f->digest, "%s", digest);
        f->n++;
    }
}

/* The "rows:" digest of document ID after a fresh plan of the project in the working folder. */
static void rows_digest(const char *id, char *out)
{
    build_source *src = buildsrc_new();
    diag *d = diag_new(stderr, 1);
    build_plan *p = build_plan_new(src, "templates", d);
    found f = { "", 0 };
    size_t i;

    assert_int_equal(diag_errors(d), 0);
    for (i = 0; i < build_plan_count(p); i++)
        if (strcmp(build_plan_at(p, i)->id, id) == 0)
            break;
    assert_true(i < build_plan_count(p));
    assert_int_equal(src->inputs(src->self, build_plan_at(p, i), take_rows, &f, d), 0);
    assert_int_equal(f.n, 1);
    assert_int_equal(strlen(f.digest), BUILD_DIGEST_LEN);
    strcpy(out, f.digest);
    build_plan_free(p);
    buildsrc_free(src);
    diag_free(d);
}

#define HEADER "ma,nam,x\n"
#define ROWS_A "A,2023,1\nA,2024,2\n"

static void row_digests_follow_the_rows(void **state)
{
    char tmp[] = "/tmp/test_buildsrc.XXXXXX", path[PATH_MAX], cmd[PATH_MAX + 16];
    char base[BUILD_DIGEST_LEN + 1], dig[BUILD_DIGEST_LEN + 1], other[BUILD_DIGEST_LEN + 1];
    const char *id = "templates/t.md?ma=A&nam=2024";

    (void)state;
    assert_non_null(mkdtemp(tmp));
    assert_int_equal(chdir(tmp), 0);
    assert_int_equal(mkdir("input", 0777), 0);
    assert_int_equal(mkdir("templates", 0777), 0);
    write_file("templates/t.md", "---\ndata: ../input/d.csv\nkey: ma\nperiod: nam\n"
                                 "each: [ma, nam]\nformats: [md]\n---\n{{x}}\n");
    write_file("input/d.csv", HEADER ROWS_A "B,2023,3\nB,2024,4\nC,2022,5\n");
    rows_digest(id, base);
    /* the digest the per-row hex digests gave: manifests written before stay valid */
    assert_string_equal(base, "fae013dead9a490a8d55a4d352065024c96b6e57cdaecbdf76a355f2391ee252");
    rows_digest("templates/t.md?ma=C&nam=2022", other);
    assert_string_not_equal(base, other);

    /* the same rows: the same digest, also when rows of other groups move */
    rows_digest(id, dig);
    assert_string_equal(dig, base);
    write_file("input/d.csv", HEADER "C,2022,5\n" ROWS_A "B,2023,3\nB,2024,4\n");
    rows_digest(id, dig);
    assert_string_equal(dig, base);

    /* a row the document does not see (another unit, another period) */
    write_file("input/d.csv", HEADER ROWS_A "B,2023,3\nB,2024,4\nC,2022,6\n");
    rows_digest(id, dig);
    assert_string_equal(dig, base);
    write_file("input/d.csv", HEADER ROWS_A "B,2023,9\nB,2024,4\nC,2022,5\n");
    rows_digest(id, dig);
    assert_string_equal(dig, base);

    /* a row of its period (ranks, totals), of its unit (previous period), or a new one */
    write_file("input/d.csv", HEADER ROWS_A "B,2023,3\nB,2024,7\nC,2022,5\n");
    rows_digest(id, dig);
    assert_string_not_equal(dig, base);
    write_file("input/d.csv", HEADER "A,2023,8\nA,2024,2\nB,2023,3\nB,2024,4\nC,2022,5\n");
    rows_digest(id, dig);
    assert_string_not_equal(dig, base);
    write_file("input/d.csv", HEADER ROWS_A "B,2023,3\nB,2024,4\nC,2022,5\nD,2024,1\n");
    rows_digest(id, dig);
    assert_string_not_equal(dig, base);

    /* back to the first rows: the first digest */
    write_file("input/d.csv", HEADER ROWS_A "B,2023,3\nB,2024,4\nC,2022,5\n");
    rows_digest(id, dig);
    assert_string_equal(dig, base);

    assert_int_equal(chdir(top), 0);
    snprintf(path, sizeof path, "%s", tmp);
    snprintf(cmd, sizeof cmd, "rm -rf %s", path);
    assert_int_equal(system(cmd), 0);
}

/* Every planned document is paired with the dataset stage's document of the same fan-out
 * values (its title is filled by fill.h: a rank, which the plain stand-in cannot give). */
static void plan_pairs_fill_documents(void **state)
{
    char tmp[] = "/tmp/test_buildsrc.XXXXXX", cmd[PATH_MAX + 16];
    static const char *const want[][3] = {
        { "templates/t.md?ma=A&nam=2023", "1", "2023" },
        { "templates/t.md?ma=A&nam=2024", "2", "2024" },
        { "templates/t.md?ma=B&nam=2024", "1", "2024" },
        { "templates/t.md?ma=C&nam=2024", "3", "2024" },
    };
    build_source *src = buildsrc_new();
    diag *d = diag_new(stderr, 1);
    build_plan *p;

    (void)state;
    assert_non_null(mkdtemp(tmp));
    assert_int_equal(chdir(tmp), 0);
    assert_int_equal(mkdir("input", 0777), 0);
    assert_int_equal(mkdir("templates", 0777), 0);
    write_file("templates/t.md", "---\ntitle: \"{{x.rank}}\"\ndata: ../input/d.csv\nkey: ma\n"
                                 "period: nam\neach: [ma, nam]\nformats: [md]\n---\n{{x}}\n");
    write_file("input/d.csv", "ma,nam,x\nB,2024,9\nA,2024,5\nC,2024,1\nA,2023,1\n");
    p = build_plan_new(src, "templates", d);
    assert_int_equal(diag_errors(d), 0);
    assert_int_equal(build_plan_count(p), 4);
    for (size_t i = 0; i < 4; i++) {
        const build_doc *doc = build_plan_at(p, i);

        assert_string_equal(doc->id, want[i][0]);
        assert_string_equal(doc->title, want[i][1]);
        assert_string_equal(doc->period, want[i][2]);
    }
    build_plan_free(p);
    buildsrc_free(src);
    diag_free(d);
    assert_int_equal(chdir(top), 0);
    snprintf(cmd, sizeof cmd, "rm -rf %s", tmp);
    assert_int_equal(system(cmd), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(row_digests_follow_the_rows),
        cmocka_unit_test(plan_pairs_fill_documents),
    };

    if (!getcwd(top, sizeof top))
        return 1;
    return cmocka_run_group_tests(tests, NULL, NULL);
}
