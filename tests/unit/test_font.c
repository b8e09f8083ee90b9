/*
** Unit tests for the font module: metrics, advances, glyph coverage, CSS matching and
** fallback, and the error for a missing file. Runs from the repository root (fonts/).
*/
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "diag.h"
#include "font.h"

static fontset *fs;
static int serif[4], sans[4], noto_serif[4], mono; /* regular, bold, italic, bold italic */

static const char *const styles[4] = { "Regular", "Bold", "Italic", "BoldItalic" };

static int add_family(const char *family, const char *file, int out[4], diag *d)
{
    char path[128];

    for (int i = 0; i < 4; i++) {
        snprintf(path, sizeof path, "fonts/%s-%s.ttf", file, styles[i]);
        out[i] = font_add(fs, family, i & 1 ? 700 : 400, i >= 2, path, NULL, 0, d);
        if (out[i] < 0)
            return -1;
    }
    return 0;
}

static int setup(void **state)
{
    diag *d = diag_new(stderr, 0);
    int rc = 0;

    (void)state;
    fs = font_new();
    rc |= add_family("Liberation Serif", "LiberationSerif", serif, d);
    rc |= add_family("Liberation Sans", "LiberationSans", sans, d);
    rc |= add_family("Noto Serif", "NotoSerif", noto_serif, d);
    mono = font_add(fs, "Liberation Mono", 400, 0, "fonts/LiberationMono-Regular.ttf", NULL, 0, d);
    diag_free(d);
    return rc != 0 || mono < 0 ? -1 : 0;
}

static int teardown(void **state)
{
    (void)state;
    font_free(fs);
    return 0;
}

static void metrics_are_sane(void **state)
{
    const face *f = font_at(fs, serif[0]);

    (void)state;
    assert_non_null(f);
    assert_string_equal(f->family, "Liberation Serif");
    assert_int_equal(f->weight, 400);
    assert_int_equal(f->italic, 0);
    /* Liberation Serif 2.x hhea: ascender 1825, descender -443, lineGap 87 of 2048 units. */
    assert_float_equal(f->ascent, 1825 * 1000.0 / 2048, 0.01);
    assert_float_equal(f->descent, -443 * 1000.0 / 2048, 0.01);
    assert_float_equal(f->line_gap, 87 * 1000.0 / 2048, 0.01);
    assert_true(f->cap_height > 600 && f->cap_height < 700);
    assert_true(f->x_height > 400 && f->x_height < 500);
    assert_true(f->underline_pos < 0 && f->underline_thickness > 0);
    assert_null(font_at(fs, -1));
    assert_null(font_at(fs, 1000));
    assert_int_equal(font_count(fs), 13);
}

static void advances_match_times_metrics(void **state)
{
    (void)state;
    /* Liberation Serif is metric-compatible with Times New Roman: a = 444, space = 250,
     * M = 889 (1/1000 em, from the AFM of Times-Roman). */
    assert_float_equal(font_advance(fs, serif[0], 'a'), 909 * 1000.0 / 2048, 0.01);
    assert_float_equal(font_advance(fs, serif[0], ' '), 512 * 1000.0 / 2048, 0.01);
    assert_float_equal(font_advance(fs, serif[0], 'M'), 1821 * 1000.0 / 2048, 0.01);
    assert_float_equal(font_advance(fs, mono, 'i'), font_advance(fs, mono, 'W'), 0.001);
    /* Width of a string at 12 pt: the sum of its advances. */
    assert_float_equal(font_width(fs, serif[0], "aa a", 4, 12),
                       (3 * font_advance(fs, serif[0], 'a') + font_advance(fs, serif[0], ' ')) * 12 / 1000,
                       0.001);
    assert_float_equal(font_width(fs, serif[0], "ư", strlen("ư"), 10),
                       font_advance(fs, serif[0], 0x01B0) * 10 / 1000, 0.001);
    assert_float_equal(font_width(fs, serif[0], "", 0, 12), 0, 0);
    /* Malformed UTF-8 reads as U+FFFD and does not crash. */
    assert_true(font_width(fs, serif[0], "\xff\xc3", 2, 12) >= 0);
    assert_float_equal(font_advance(fs, serif[0], 0x110000), 0, 0);
}

static void vietnamese_letters_have_glyphs(void **state)
{
    static const uint32_t vn[] = { 0x01A1 /* ơ */, 0x01B0 /* ư */, 0x1EA1 /* ạ */,
                                   0x1EB7 /* ặ */, 0x1EC1 /* ề */, 0x0111 /* đ */,
                                   0x0110 /* Đ */, 0x1EF9 /* ỹ */ };
    int faces[] = { serif[0], serif[1], serif[2], serif[3], sans[0], noto_serif[0], noto_serif[3] };

    (void)state;
    for (size_t i = 0; i < sizeof faces / sizeof *faces; i++)
        for (size_t j = 0; j < sizeof vn / sizeof *vn; j++) {
            assert_true(font_has_glyph(fs, faces[i], vn[j]));
            assert_true(font_advance(fs, faces[i], vn[j]) > 0);
        }
}

static void missing_glyphs_fall_back(void **state)
{
    int f;

    (void)state;
    /* U+4E2D (CJK) and U+1F600 (emoji) are in none of the bundled faces. */
    assert_false(font_has_glyph(fs, serif[0], 0x4E2D));
    assert_int_equal(font_for_char(fs, "Liberation Serif, serif", 400, 0, serif[0], 0x4E2D), -1);
    assert_int_equal(font_for_char(fs, "Liberation Serif", 400, 0, serif[0], 0x1F600), -1);
    assert_float_equal(font_advance(fs, serif[0], 0x1F600), 0, 0);
    /* Present in the preferred face: that face. */
    assert_int_equal(font_for_char(fs, "Liberation Serif", 700, 0, serif[1], 0x1EB7), serif[1]);
    /* U+2E3A (two-em dash) and U+0237 (dotless j) are in Noto Serif but not Liberation:
     * the fallback family gives it, with the same weight and style. */
    f = font_for_char(fs, "'Liberation Serif', \"Noto Serif\"", 700, 1, serif[3], 0x0237);
    if (!font_has_glyph(fs, serif[3], 0x0237)) {
        assert_int_equal(f, noto_serif[3]);
    }
    /* A family list that does not have it: any registered face that does. */
    f = font_for_char(fs, "Liberation Mono", 400, 0, mono, 0x0237);
    assert_true(f >= 0 && font_has_glyph(fs, f, 0x0237));
}

static void css_matching(void **state)
{
    (void)state;
    assert_int_equal(font_match(fs, "Liberation Serif", 400, 0), serif[0]);
    assert_int_equal(font_match(fs, "'Liberation Serif'", 700, 1), serif[3]);
    assert_int_equal(font_match(fs, "\"liberation serif\"", 400, 1), serif[2]);
    /* Nearest weight: 600 and 900 go bold, 300 and 500 regular (CSS Fonts 4 §5.2). */
    assert_int_equal(font_match(fs, "Liberation Serif", 600, 0), serif[1]);
    assert_int_equal(font_match(fs, "Liberation Serif", 900, 0), serif[1]);
    assert_int_equal(font_match(fs, "Liberation Serif", 300, 0), serif[0]);
    assert_int_equal(font_match(fs, "Liberation Serif", 500, 0), serif[0]);
    /* First family with any face wins; unknown names are skipped. */
    assert_int_equal(font_match(fs, "Times New Roman, 'Noto Serif', serif", 400, 0), noto_serif[0]);
    /* Generic names. */
    assert_int_equal(font_match(fs, "Arial, sans-serif", 700, 0), sans[1]);
    assert_int_equal(font_match(fs, "serif", 400, 1), serif[2]);
    assert_int_equal(font_match(fs, "monospace", 700, 1), mono); /* the only Mono face */
    assert_int_equal(font_match(fs, "Comic Sans", 400, 0), -1);
    assert_int_equal(font_match(fs, "", 400, 0), -1);
    /* Cached answers are the same answers. */
    assert_int_equal(font_match(fs, "Arial, sans-serif", 700, 0), sans[1]);
    /* Registering the same file twice gives the first index. */
    assert_int_equal(font_add(fs, "Other", 400, 0, "fonts/LiberationSerif-Regular.ttf", NULL, 0, NULL),
                     serif[0]);
}

static void missing_file_names_the_file(void **state)
{
    diag *d = diag_new(NULL, 1);

    (void)state;
    assert_int_equal(font_add(fs, "X", 400, 0, "fonts/Nope-Regular.ttf", "style.css", 12, d), -1);
    assert_non_null(strstr(diag_text(d),
                           "fonts/Nope-Regular.ttf: error: cannot load font: No such file or directory"));
    assert_non_null(strstr(diag_text(d), "style.css:12: note:"));
    diag_clear(d);
    assert_int_equal(font_add(fs, "X", 400, 0, "fonts/LICENSE-Noto.txt", NULL, 0, d), -1);
    assert_non_null(strstr(diag_text(d), "fonts/LICENSE-Noto.txt: error: cannot load font: not a TrueType"));
    assert_int_equal(diag_errors(d), 1);
    diag_free(d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(metrics_are_sane),
        cmocka_unit_test(advances_match_times_metrics),
        cmocka_unit_test(vietnamese_letters_have_glyphs),
        cmocka_unit_test(missing_glyphs_fall_back),
        cmocka_unit_test(css_matching),
        cmocka_unit_test(missing_file_names_the_file),
    };

    return cmocka_run_group_tests(tests, setup, teardown);
}
