/*
** Unit tests for template front matter.
*/
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "arena.h"
#include "diag.h"
#include "frontmatter.h"

typedef struct fixture {
    arena *a;
    diag *d;
    frontmatter fm;
} fixture;

static int setup(void **state)
{
    fixture *f = test_calloc(1, sizeof *f);

    f->a = arena_new();
    f->d = diag_new(NULL, 1);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;

    arena_free(f->a);
    diag_free(f->d);
    test_free(f);
    return 0;
}

static int parse(fixture *f, const char *src)
{
    diag_clear(f->d);
    return frontmatter_parse("t.md", src, strlen(src), &f->fm, f->a, f->d);
}

static void reads_every_key(void **state)
{
    fixture *f = *state;
    const char *src =
        "---\n"
        "title: \"Báo cáo tổng kết năm {{nam}} — {{ten_tinh}}\"\n"
        "data: ../input/htx_tinh_63.csv   # relative to the template\n"
        "key: ma_tinh\n"
        "period: nam\n"
        "targets: ../input/chi_tieu_63.csv\n"
        "each: [ma_tinh, nam]\n"
        "where:\n"
        "  nam: 2022\n"
        "sort: [vung, -so_htx]\n"
        "output: \"{{nam}}/tong-ket-{{ma_tinh}}-{{nam}}\"\n"
        "formats: [pdf, html]\n"
        "style: nd30.css\n"
        "params:\n"
        "  so_hieu: 05/BC-LMHTX\n"
        "  noi_nhan:\n"
        "    - Liên minh HTX Việt Nam\n"
        "    - Lưu VT\n"
        "---\n"
        "# Body {{nam}}\n";

    assert_int_equal(parse(f, src), 0);
    assert_string_equal(diag_text(f->d), "");
    assert_string_equal(f->fm.title, "Báo cáo tổng kết năm {{nam}} — {{ten_tinh}}");
    assert_string_equal(f->fm.data, "../input/htx_tinh_63.csv");
    assert_int_equal(f->fm.data_line, 3);
    assert_int_equal(f->fm.data_col, 7);
    assert_string_equal(f->fm.key, "ma_tinh");
    assert_string_equal(f->fm.period, "nam");
    assert_int_equal(f->fm.neach, 2);
    assert_string_equal(f->fm.each[1], "nam");
    assert_int_equal(f->fm.nwhere, 1);
    assert_string_equal(f->fm.where[0].column, "nam");
    assert_string_equal(f->fm.where[0].value, "2022");
    assert_int_equal(f->fm.where[0].line, 9);
    assert_int_equal(f->fm.nsort, 2);
    assert_string_equal(f->fm.sort[1].column, "so_htx");
    assert_true(f->fm.sort[1].descending);
    assert_false(f->fm.sort[0].descending);
    assert_int_equal(f->fm.formats, FM_PDF | FM_HTML);
    assert_string_equal(f->fm.style, "nd30.css");
    assert_string_equal(frontmatter_param(&f->fm, "so_hieu")->text, "05/BC-LMHTX");
    assert_int_equal(frontmatter_param(&f->fm, "noi_nhan")->count, 2);
    assert_null(frontmatter_param(&f->fm, "so_hieu.x"));
    assert_null(frontmatter_param(&f->fm, "khong_co"));
    assert_string_equal(src + f->fm.body_offset, "# Body {{nam}}\n");
    assert_int_equal(f->fm.body_line, 20);
}

static void no_front_matter_is_all_body(void **state)
{
    fixture *f = *state;

    assert_int_equal(parse(f, "# Tiêu đề\n\n---\n"), 0);
    assert_int_equal(f->fm.body_offset, 0);
    assert_int_equal(f->fm.body_line, 1);
    assert_null(f->fm.data);
    assert_int_equal(parse(f, "\xEF\xBB\xBF---\ntitle: x\n...\nbody"), 0);
    assert_string_equal(f->fm.title, "x");
    assert_int_equal(parse(f, "---\r\ntitle: y\r\n---\r\nbody"), 0);
    assert_string_equal(f->fm.title, "y");
    assert_int_equal(parse(f, "---\n---\nbody"), 0);
}

static void scalars_become_nfc(void **state)
{
    fixture *f = *state;

    /* "Hòa Bình" with the grave and the i's grave as combining marks (NFD) */
    assert_int_equal(parse(f, "---\ntitle: Ho\xCC\x80""a Bi\xCC\x80nh\n---\n"), 0);
    assert_string_equal(f->fm.title, "H\xC3\xB2""a B\xC3\xACnh");
}

static void unknown_key_warns_with_line(void **state)
{
    fixture *f = *state;

    assert_int_equal(parse(f, "---\ntitle: x\ntieu_de: y\n---\n"), 0);
    assert_string_equal(diag_text(f->d), "t.md:3: warning: unknown front matter key 'tieu_de'\n");
}

static void errors_have_positions(void **state)
{
    fixture *f = *state;

    assert_int_equal(parse(f, "---\ntitle: x\n"), -1);
    assert_string_equal(diag_text(f->d),
                        "t.md:1:1: error: front matter is not closed: no '---' line after it\n");
    assert_int_equal(parse(f, "---\ndata: [a, b]\n---\n"), -1);
    assert_string_equal(diag_text(f->d), "t.md:2:7: error: front matter 'data' must be a text\n");
    assert_int_equal(parse(f, "---\nformats: [pdf, docx]\n---\n"), -1);
    assert_string_equal(diag_text(f->d),
                        "t.md:2:16: error: unknown format 'docx' (pdf, html or md)\n");
    assert_int_equal(parse(f, "---\nwhere: [nam]\n---\n"), -1);
    assert_string_equal(diag_text(f->d),
                        "t.md:2:8: error: front matter 'where' must be a map of column: value\n");
    assert_int_equal(parse(f, "---\n- a\n- b\n---\n"), -1);
    assert_string_equal(diag_text(f->d), "t.md:2:1: error: front matter must be a map of keys\n");
    assert_int_equal(parse(f, "---\ntitle: \"x\n---\n"), -1);
    assert_non_null(strstr(diag_text(f->d), "t.md:2:8: error: front matter: found unexpected end of stream while scanning a quoted scalar"));
    assert_int_equal(parse(f, "---\ntitle: x\n  bad: indent\n---\n"), -1);
    assert_non_null(strstr(diag_text(f->d), "t.md:3:6: error: front matter: mapping values are not allowed"));
}

static void deep_nesting_is_an_error(void **state)
{
    fixture *f = *state;
    char src[4096] = "---\nparams: ";
    size_t n = strlen(src);

    for (int i = 0; i < 200; i++)
        src[n++] = '[';
    for (int i = 0; i < 200; i++)
        src[n++] = ']';
    memcpy(src + n, "\n---\n", 6);
    assert_int_equal(parse(f, src), -1);
    assert_non_null(strstr(diag_text(f->d), "nested deeper than 64 levels"));
}

/* "Billion laughs": nine levels of ten aliases each name 10^9 values in 300 bytes. The
 * expansion is capped instead of taking minutes and gigabytes. */
static void alias_bomb_is_an_error(void **state)
{
    fixture *f = *state;
    char src[4096] = "---\nparams:\n  l0: &l0 [x, x, x, x, x, x, x, x, x, x]\n";
    size_t n = strlen(src);

    for (int i = 1; i < 9; i++)
        n += (size_t)snprintf(src + n, sizeof src - n,
                              "  l%d: &l%d [*l%d, *l%d, *l%d, *l%d, *l%d, *l%d, *l%d, *l%d, *l%d, "
                              "*l%d]\n",
                              i, i, i - 1, i - 1, i - 1, i - 1, i - 1, i - 1, i - 1, i - 1, i - 1,
                              i - 1);
    snprintf(src + n, sizeof src - n, "---\nbody\n");
    assert_int_equal(parse(f, src), -1);
    assert_non_null(strstr(diag_text(f->d), "t.md:"));
    assert_non_null(strstr(diag_text(f->d), "error: front matter expands to more than"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(reads_every_key, setup, teardown),
        cmocka_unit_test_setup_teardown(no_front_matter_is_all_body, setup, teardown),
        cmocka_unit_test_setup_teardown(scalars_become_nfc, setup, teardown),
        cmocka_unit_test_setup_teardown(unknown_key_warns_with_line, setup, teardown),
        cmocka_unit_test_setup_teardown(errors_have_positions, setup, teardown),
        cmocka_unit_test_setup_teardown(deep_nesting_is_an_error, setup, teardown),
        cmocka_unit_test_setup_teardown(alias_bomb_is_an_error, setup, teardown),
    };
    return cmocka_run_group_tests_name("frontmatter", tests, NULL, NULL);
}
