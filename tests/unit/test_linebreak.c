/*
** Unit tests for the line breaker: known breaks, optimal never worse than greedy, overfull and
** underfull lines, long words, forced breaks, variable widths, linear time.
*/
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "linebreak.h"

/* Items for words of the given lengths: a box of LEN units, glue of 1 unit (stretch 1/2,
 * shrink 1/3 as TeX's interword space), then parfillskip and a forced break. */
static lb_item *para(const int *len, size_t nw, size_t *n)
{
    lb_item *it = calloc(nw * 2 + 2, sizeof *it);
    size_t k = 0;

    for (size_t i = 0; i < nw; i++) {
        if (i > 0)
            it[k++] = (lb_item){ .kind = LB_GLUE, .width = 1, .stretch = 0.5f, .shrink = 1.0f / 3 };
        it[k++] = (lb_item){ .kind = LB_BOX, .width = (float)len[i] };
    }
    it[k++] = (lb_item){ .kind = LB_GLUE, .stretch = LINEBREAK_FIL };
    it[k++] = (lb_item){ .kind = LB_PENALTY, .penalty = -LINEBREAK_INF };
    *n = k;
    return it;
}

/* Lines cover the items in order, each starting at a box after the previous break. */
static void assert_lines_cover(const lb_item *it, size_t n, const lb_result *r)
{
    size_t prev_end = 0;

    assert_true(r->nlines > 0);
    for (size_t i = 0; i < r->nlines; i++) {
        assert_true(r->line[i].start >= prev_end);
        assert_true(r->line[i].end >= r->line[i].start);
        for (size_t j = prev_end; j < r->line[i].start; j++)
            assert_true(it[j].kind != LB_BOX);
        prev_end = r->line[i].end + 1;
    }
    assert_true(r->line[r->nlines - 1].end >= n - 1);
}

static const char *const words[] = {
    "Năm", "2022,", "toàn", "tỉnh", "có", "thêm", "32", "hợp", "tác", "xã", "thành", "lập",
    "mới,", "nâng", "tổng", "số", "lên", "337", "HTX", "với", "hơn", "45.000", "thành",
    "viên;", "doanh", "thu", "bình", "quân", "đạt", "3,2", "tỷ", "đồng", "mỗi", "HTX,",
    "tăng", "12,5%", "so", "với", "năm", "trước."
};

static void known_paragraph(void **state)
{
    size_t nw = sizeof words / sizeof *words, n;
    int len[64];
    lb_item *it;
    linebreaker *lb = linebreak_new();
    lb_result r;
    float w = 30;
    /* The break after each line, as word indices (line I ends after word BRK[I]). */
    static const size_t brk[] = { 5, 12, 19, 24, 31, 38 };

    (void)state;
    for (size_t i = 0; i < nw; i++) {
        /* width = code points */
        int c = 0;
        for (const char *p = words[i]; *p; p++)
            c += (*p & 0xC0) != 0x80;
        len[i] = c;
    }
    it = para(len, nw, &n);
    linebreak_optimal(lb, it, n, &w, 1, NULL, &r);
    assert_lines_cover(it, n, &r);
    assert_int_equal(r.nlines, sizeof brk / sizeof *brk + 1); /* "trước." ends alone */
    for (size_t i = 0; i + 1 < r.nlines; i++) {
        /* word k is item 2k; the line ends at the glue after it (item 2k+1) */
        assert_int_equal(r.line[i].end, 2 * brk[i] + 1);
        assert_true(r.line[i].ratio >= -1 && r.line[i].ratio <= 1.25f);
        assert_false(r.line[i].overfull);
    }
    assert_int_equal(r.line[r.nlines - 1].end, n - 1);
    free(it);
    linebreak_free(lb);
}

static void optimal_never_worse_than_greedy(void **state)
{
    linebreaker *lb = linebreak_new();
    unsigned seed = 12345;
    int better = 0;

    (void)state;
    for (int t = 0; t < 500; t++) {
        int len[300];
        size_t nw = 20 + (size_t)(rand_r(&seed) % 280), n;
        float w = (float)(20 + rand_r(&seed) % 60);
        lb_item *it;
        lb_result g, o;
        double gd;

        for (size_t i = 0; i < nw; i++)
            len[i] = 1 + rand_r(&seed) % 12;
        it = para(len, nw, &n);
        linebreak_greedy(lb, it, n, &w, 1, NULL, &g);
        assert_lines_cover(it, n, &g);
        gd = g.demerits;
        linebreak_optimal(lb, it, n, &w, 1, NULL, &o);
        assert_lines_cover(it, n, &o);
        assert_true(o.demerits <= gd * (1 + 1e-9) + 1e-6);
        better += o.demerits < gd * 0.999;
        for (size_t i = 0; i < o.nlines; i++)
            assert_false(o.line[i].overfull);
        free(it);
    }
    assert_true(better > 100); /* and usually strictly better */
    linebreak_free(lb);
}

static void overfull_box_gets_its_own_line(void **state)
{
    int len[] = { 3, 4, 50, 2, 5 };
    size_t n;
    lb_item *it = para(len, 5, &n);
    linebreaker *lb = linebreak_new();
    lb_result r;
    float w = 20;
    int over = 0;

    (void)state;
    linebreak_optimal(lb, it, n, &w, 1, NULL, &r);
    assert_lines_cover(it, n, &r);
    for (size_t i = 0; i < r.nlines; i++) {
        if (r.line[i].overfull) {
            over++;
            assert_int_equal(r.line[i].start, 4); /* the 50-wide box alone */
            assert_int_equal(r.line[i].end, 5);
        }
    }
    assert_int_equal(over, 1);
    linebreak_greedy(lb, it, n, &w, 1, NULL, &r);
    assert_lines_cover(it, n, &r);
    free(it);
    linebreak_free(lb);
}

static void underfull_without_stretch(void **state)
{
    /* glue that cannot stretch: lines are underfull (ratio infinite) but still break */
    lb_item it[] = {
        { LB_BOX, 5, 0, 0, 0, 0 },   { LB_GLUE, 1, 0, 0, 0, 0 }, { LB_BOX, 5, 0, 0, 0, 0 },
        { LB_GLUE, 1, 0, 0, 0, 0 },  { LB_BOX, 5, 0, 0, 0, 0 },  { LB_GLUE, 0, LINEBREAK_FIL, 0, 0, 0 },
        { LB_PENALTY, 0, 0, 0, -LINEBREAK_INF, 0 },
    };
    linebreaker *lb = linebreak_new();
    lb_result r;
    float w = 12;

    (void)state;
    linebreak_optimal(lb, it, 7, &w, 1, NULL, &r);
    assert_lines_cover(it, 7, &r);
    assert_int_equal(r.nlines, 2);
    assert_true(r.line[0].ratio > 500); /* no stretch: very loose, still ordered */
    linebreak_free(lb);
}

static void long_word_breaks_between_clusters(void **state)
{
    /* "Nguyễn" in NFD (e + circumflex + tilde as combining marks) is 6 clusters */
    const char *nfd = "Nguye\xcc\x82\xcc\x83n";
    size_t ends[16], nc = linebreak_clusters(nfd, strlen(nfd), ends, 16);
    lb_item it[200];
    size_t n = 0;
    linebreaker *lb = linebreak_new();
    lb_result r;
    float w = 10;

    (void)state;
    assert_int_equal(nc, 6);
    assert_int_equal(ends[4], strlen("Nguye\xcc\x82\xcc\x83"));
    /* a 60-character word of 1-unit clusters with penalties between them */
    for (int i = 0; i < 60; i++) {
        if (i > 0)
            it[n++] = (lb_item){ .kind = LB_PENALTY, .penalty = 50 };
        it[n++] = (lb_item){ .kind = LB_BOX, .width = 1 };
    }
    it[n++] = (lb_item){ .kind = LB_GLUE, .stretch = LINEBREAK_FIL };
    it[n++] = (lb_item){ .kind = LB_PENALTY, .penalty = -LINEBREAK_INF };
    linebreak_optimal(lb, it, n, &w, 1, NULL, &r);
    assert_lines_cover(it, n, &r);
    assert_int_equal(r.nlines, 6);
    for (size_t i = 0; i < r.nlines; i++) {
        assert_false(r.line[i].overfull);
        assert_true(r.line[i].natural <= w + 1e-3f);
    }
    linebreak_free(lb);
}

static void forced_break_and_variable_widths(void **state)
{
    int len[] = { 4, 4, 4, 4, 4, 4, 4, 4 };
    size_t n;
    lb_item *it = para(len, 8, &n), *it2 = calloc(n + 2, sizeof *it2);
    linebreaker *lb = linebreak_new();
    lb_result r;
    float widths[] = { 9, 30 };

    (void)state;
    /* first line narrower (an indent): it holds one word only */
    linebreak_optimal(lb, it, n, widths, 2, NULL, &r);
    assert_lines_cover(it, n, &r);
    assert_true(r.line[0].natural <= 9 + 1e-3f);
    assert_true(r.nlines >= 2);
    /* a forced break after word 2 (as <br>: fil glue then a forced penalty) */
    memcpy(it2, it, 4 * sizeof *it2);
    it2[4] = (lb_item){ .kind = LB_GLUE, .stretch = LINEBREAK_FIL };
    it2[5] = (lb_item){ .kind = LB_PENALTY, .penalty = -LINEBREAK_INF };
    memcpy(it2 + 6, it + 4, (n - 4) * sizeof *it2);
    widths[0] = 100;
    linebreak_optimal(lb, it2, n + 2, widths, 1, NULL, &r);
    assert_lines_cover(it2, n + 2, &r);
    assert_int_equal(r.nlines, 2);
    assert_int_equal(r.line[0].end, 5);
    linebreak_greedy(lb, it2, n + 2, widths, 1, NULL, &r);
    assert_int_equal(r.nlines, 2);
    assert_int_equal(r.line[0].end, 5);
    free(it);
    free(it2);
    linebreak_free(lb);
}

static double time_words(linebreaker *lb, size_t nw)
{
    int *len = malloc(nw * sizeof *len);
    unsigned seed = 7;
    size_t n;
    lb_item *it;
    lb_result r;
    float w = 80;
    clock_t t0;
    double t;

    for (size_t i = 0; i < nw; i++)
        len[i] = 1 + rand_r(&seed) % 9;
    it = para(len, nw, &n);
    t0 = clock();
    linebreak_optimal(lb, it, n, &w, 1, NULL, &r);
    t = (double)(clock() - t0) / CLOCKS_PER_SEC;
    assert_lines_cover(it, n, &r);
    assert_true(r.nlines > nw / 20);
    free(it);
    free(len);
    return t;
}

static void linear_time(void **state)
{
    linebreaker *lb = linebreak_new();
    double t1, t4;

    (void)state;
    t1 = time_words(lb, 10000);
    t4 = time_words(lb, 40000);
    assert_true(t1 < 0.25); /* 10.000 words: milliseconds (sanitizer builds are slower) */
    assert_true(t4 < 8 * t1 + 0.02);
    linebreak_free(lb);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(known_paragraph),
        cmocka_unit_test(optimal_never_worse_than_greedy),
        cmocka_unit_test(overfull_box_gets_its_own_line),
        cmocka_unit_test(underfull_without_stretch),
        cmocka_unit_test(long_word_breaks_between_clusters),
        cmocka_unit_test(forced_break_and_variable_widths),
        cmocka_unit_test(linear_time),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
