/*
** Unit tests for charts: the description parser with positions, nice ticks, Vietnamese
** numbers, the SVG read back with libxml2 (bar sizes against the data, gaps for missing
** values, highlight, no two labels overlapping), and svgdraw's items and transforms.
*/
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <libxml/parser.h>
#include <libxml/tree.h>

#include "arena.h"
#include "buf.h"
#include "chart.h"
#include "diag.h"
#include "font.h"
#include "pages.h"
#include "pdfout.h"
#include "svgdraw.h"

/***  Helpers  ***/

/* A stand-in for font_width: digits narrower than letters, bold wider. */
static float stub_measure(void *self, const char *s, size_t n, float size, int bold)
{
    float w = 0;

    (void)self;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if ((c & 0xC0) == 0x80)
            continue;
        w += (c >= '0' && c <= '9') ? 0.5f : c == ' ' ? 0.25f : 0.58f;
    }
    return w * size * (bold ? 1.08f : 1.0f);
}

static const chart_opts opts = { stub_measure, NULL, "Liberation Sans", 12, "c1", 0 };

static const char *const provinces[63] = {
    "An Giang", "Bà Rịa – Vũng Tàu", "Bắc Giang", "Bắc Kạn", "Bạc Liêu", "Bắc Ninh", "Bến Tre",
    "Bình Định", "Bình Dương", "Bình Phước", "Bình Thuận", "Cà Mau", "Cần Thơ", "Cao Bằng",
    "Đà Nẵng", "Đắk Lắk", "Đắk Nông", "Điện Biên", "Đồng Nai", "Đồng Tháp", "Gia Lai", "Hà Giang",
    "Hà Nam", "Hà Nội", "Hà Tĩnh", "Hải Dương", "Hải Phòng", "Hậu Giang", "Hòa Bình", "Hưng Yên",
    "Khánh Hòa", "Kiên Giang", "Kon Tum", "Lai Châu", "Lâm Đồng", "Lạng Sơn", "Lào Cai",
    "Long An", "Nam Định", "Nghệ An", "Ninh Bình", "Ninh Thuận", "Phú Thọ", "Phú Yên",
    "Quảng Bình", "Quảng Nam", "Quảng Ngãi", "Quảng Ninh", "Quảng Trị", "Sóc Trăng", "Sơn La",
    "Tây Ninh", "Thái Bình", "Thái Nguyên", "Thanh Hóa", "Thừa Thiên Huế", "Tiền Giang",
    "Thành phố Hồ Chí Minh", "Trà Vinh", "Tuyên Quang", "Vĩnh Long", "Vĩnh Phúc", "Yên Bái"
};

static char *make_svg(const chart_spec *s, const chart_series *d)
{
    buf b = BUF_INIT;
    diag *dg = diag_new(stderr, 0);

    assert_int_equal(chart_svg(s, d, &opts, &b, dg), 0);
    assert_int_equal(diag_errors(dg), 0);
    diag_free(dg);
    return buf_detach(&b, NULL);
}

static xmlDoc *read_svg(const char *svg)
{
    xmlDoc *doc = xmlReadMemory(svg, (int)strlen(svg), NULL, NULL, XML_PARSE_NONET);

    if (!doc)
        fprintf(stderr, "%s\n", svg);
    assert_non_null(doc);
    return doc;
}

static double dattr(const xmlNode *n, const char *name)
{
    xmlChar *v = xmlGetProp(n, (const xmlChar *)name);
    double r = v ? strtod((const char *)v, NULL) : NAN;

    xmlFree(v);
    return r;
}

static int sattr_is(const xmlNode *n, const char *name, const char *want)
{
    xmlChar *v = xmlGetProp(n, (const xmlChar *)name);
    int r = v && strcmp((const char *)v, want) == 0;

    xmlFree(v);
    return r;
}

/* Collects the elements named NAME (with class CLS when given) in document order. */
static void collect(xmlNode *n, const char *name, const char *cls, xmlNode **out, size_t *k,
                    size_t cap)
{
    for (; n; n = n->next) {
        if (n->type != XML_ELEMENT_NODE)
            continue;
        if (strcmp((const char *)n->name, name) == 0 && (!cls || sattr_is(n, "class", cls))) {
            assert_true(*k < cap);
            out[(*k)++] = n;
        }
        collect(n->children, name, cls, out, k, cap);
    }
}

/* Pixels per data unit along the value axis, from the first and last grid ticks. */
static double axis_ppu(xmlNode *root, int vertical, double *zero_px)
{
    xmlNode *t[64];
    size_t n = 0;
    double v0, v1, p0, p1;

    collect(root, "line", NULL, t, &n, 64);
    {
        size_t k = 0;
        for (size_t i = 0; i < n; i++)
            if (!isnan(dattr(t[i], "data-tick")))
                t[k++] = t[i];
        n = k;
    }
    assert_true(n >= 2);
    v0 = dattr(t[0], "data-tick");
    v1 = dattr(t[n - 1], "data-tick");
    p0 = dattr(t[0], vertical ? "y1" : "x1");
    p1 = dattr(t[n - 1], vertical ? "y1" : "x1");
    *zero_px = p0 + (0 - v0) * (p1 - p0) / (v1 - v0);
    return fabs(p1 - p0) / (v1 - v0);
}

/***  Parsing  ***/

static void parses_every_key(void **state)
{
    arena *a = arena_new();
    diag *d = diag_new(NULL, 1);
    chart_spec s;
    const char *txt = "# a comment\n"
                      "type: hbar\n"
                      "data: units\n"
                      "x: ten_tinh\n"
                      "y: so_htx, so_thanh_vien , von\n"
                      "title: \"Số HTX: theo tỉnh\"\n"
                      "unit: 'hợp tác xã'\n"
                      "sort: -so_htx\n"
                      "highlight: Thái Nguyên\n"
                      "width: 500\n"
                      "height: 300px\r\n";

    (void)state;
    assert_int_equal(chart_parse(txt, strlen(txt), "r.md", 12, 1, a, &s, d), 0);
    assert_string_equal(diag_text(d), "");
    assert_int_equal(s.type, CHART_HBAR);
    assert_string_equal(s.data, "units");
    assert_string_equal(s.x, "ten_tinh");
    assert_int_equal(s.ny, 3);
    assert_string_equal(s.y[1], "so_thanh_vien");
    assert_string_equal(s.y[2], "von");
    assert_string_equal(s.title, "Số HTX: theo tỉnh");
    assert_string_equal(s.unit, "hợp tác xã");
    assert_string_equal(s.sort, "-so_htx");
    assert_string_equal(s.highlight, "Thái Nguyên");
    assert_true(s.width == 500 && s.height == 300);
    assert_int_equal(s.line, 12);
    arena_free(a);
    diag_free(d);
}

static void reports_errors_with_positions(void **state)
{
    arena *a = arena_new();
    diag *d = diag_new(NULL, 1);
    chart_spec s;
    const char *txt = "type: pie\n"
                      "  colour: red\n"
                      "y: a,,b\n"
                      "width: wide\n"
                      "just words\n"
                      "title: \"open\n"
                      "type: bar\n";

    (void)state;
    assert_int_equal(chart_parse(txt, strlen(txt), "r.md", 20, 5, a, &s, d), -1);
    assert_string_equal(
        diag_text(d),
        "r.md:20:11: error: unknown chart type 'pie' (expected bar, hbar, grouped, line or stacked)\n"
        "r.md:21:3: error: unknown chart key 'colour'\n"
        "r.md:22:6: error: empty column name in 'y'\n"
        "r.md:23:8: error: 'width' must be a number of px from 50 to 20000, not 'wide'\n"
        "r.md:24:6: error: expected 'key: value' in chart\n"
        "r.md:25:8: error: unterminated quote\n"
        "r.md:26:1: error: chart key 'type' given twice\n"
        "r.md:20:5: error: chart needs 'data' (a collection, e.g. units)\n"
        "r.md:20:5: error: chart needs 'x' (the label column)\n");
    arena_free(a);
    diag_free(d);
}

static void reads_figure_attributes(void **state)
{
    const char *html = "<div>\n<figure class=\"chart\" data-type=\"grouped\" data-data=\"periods\""
                       " data-x=\"nam\" data-y=\"a,b\" data-title=\"T &amp; U\" data-zoom=\"2\"/>"
                       "</div>";
    xmlDoc *doc = xmlReadMemory(html, (int)strlen(html), NULL, NULL, 0);
    xmlNode *fig = xmlDocGetRootElement(doc)->children->next;
    arena *a = arena_new();
    diag *d = diag_new(NULL, 1);
    chart_spec s;

    (void)state;
    assert_int_equal(chart_parse_figure(fig, "t.html", a, &s, d), 0);
    assert_int_equal(s.type, CHART_GROUPED);
    assert_string_equal(s.data, "periods");
    assert_string_equal(s.y[1], "b");
    assert_string_equal(s.title, "T & U");
    assert_string_equal(diag_text(d), "t.html:2: warning: unknown chart attribute 'data-zoom' ignored\n");
    xmlFreeDoc(doc);
    arena_free(a);
    diag_free(d);
}

/***  Numbers  ***/

static void ticks_are_nice(void **state)
{
    static const double r[][2] = { { 0, 97 },      { 0, 1 },      { -3.2, 7.9 }, { 0, 0.0034 },
                                   { 1234, 98765 }, { 0, 0 },     { 5, 5 },      { -40, -2 },
                                   { 0, 1e9 },     { 0.1, 0.11 }, { -1, 1 },     { 0, 63 } };
    (void)state;
    for (size_t i = 0; i < sizeof r / sizeof *r; i++)
        for (int target = 2; target <= 10; target++) {
            double t0, step, m;
            int n;

            chart_ticks(r[i][0], r[i][1], target, &t0, &step, &n);
            m = step / pow(10, floor(log10(step) + 1e-9));
            assert_true(fabs(m - 1) < 1e-9 || fabs(m - 2) < 1e-9 || fabs(m - 5) < 1e-9);
            assert_true(t0 <= r[i][0] + 1e-9 * step);
            assert_true(t0 + (n - 1) * step >= r[i][1] - 1e-9 * step);
            assert_true(n >= 2 && n <= target + 2);
            assert_true(fabs(t0 / step - round(t0 / step)) < 1e-6);
        }
    {
        double t0, step;
        int n;
        chart_ticks(0, 97, 5, &t0, &step, &n);
        assert_true(t0 == 0 && step == 20 && n == 6);
        chart_ticks(-3.2, 7.9, 5, &t0, &step, &n);
        assert_true(t0 == -5 && step == 5 && n == 4);
        chart_ticks(-3.2, 7.9, 10, &t0, &step, &n);
        assert_true(t0 == -4 && step == 2 && n == 7);
    }
}

static void formats_vietnamese_numbers(void **state)
{
    char t[64];

    (void)state;
    chart_format(1234567, 0, t, sizeof t);
    assert_string_equal(t, "1.234.567");
    chart_format(1000, 0, t, sizeof t);
    assert_string_equal(t, "1.000");
    chart_format(999, 0, t, sizeof t);
    assert_string_equal(t, "999");
    chart_format(2.5, -1, t, sizeof t);
    assert_string_equal(t, "2,5");
    chart_format(-0.25, -1, t, sizeof t);
    assert_string_equal(t, "-0,25");
    chart_format(-0.001, 0, t, sizeof t);
    assert_string_equal(t, "0");
    chart_format(12345.678, 1, t, sizeof t);
    assert_string_equal(t, "12.345,7");
    chart_format(0.2, 1, t, sizeof t);
    assert_string_equal(t, "0,2");
}

/***  SVG geometry  ***/

/* Checks every bar of the chart against DATA (values of series S at label L). */
static void check_bars(const char *svg, const chart_series *d, int vertical, size_t want_bars)
{
    xmlDoc *doc = read_svg(svg);
    xmlNode *root = xmlDocGetRootElement(doc), *bars[2000];
    size_t nb = 0;
    double zero, ppu = axis_ppu(root, vertical, &zero);

    collect(root, "rect", "bar", bars, &nb, 2000);
    assert_int_equal(nb, want_bars);
    for (size_t k = 0; k < nb; k++) {
        xmlChar *lab = xmlGetProp(bars[k], (const xmlChar *)"data-label");
        size_t s = (size_t)dattr(bars[k], "data-series"), i;
        double v, len, x0, x1;

        for (i = 0; i < d->n && strcmp(d->label[i], (const char *)lab) != 0; i++)
            ;
        assert_true(i < d->n);
        v = d->value[s][i];
        assert_false(isnan(v));
        assert_true(dattr(bars[k], "data-value") == v);
        len = dattr(bars[k], vertical ? "height" : "width");
        if (fabs(len - fabs(v) * ppu) >= 0.01)
            fail_msg("bar %s: %g px for %g (%g px/unit)", lab, len, v, ppu);
        /* and it starts at zero */
        x0 = dattr(bars[k], vertical ? "y" : "x");
        x1 = x0 + len;
        assert_true(fabs(x0 - zero) < 0.01 || fabs(x1 - zero) < 0.01);
        xmlFree(lab);
    }
    xmlFreeDoc(doc);
}

static void bar_heights_match_data(void **state)
{
    static const char *const lab[] = { "Hà Nội", "Huế", "Đà Nẵng", "Cần Thơ", "Sơn La" };
    static const double v[] = { 1250, 980.5, NAN, 0, 2217 };
    const double *vv[] = { v };
    chart_series d = { 5, lab, vv, NULL };
    chart_spec s = { .type = CHART_BAR, .x = "tinh", .y = { "so_htx" }, .ny = 1,
                     .title = "Số hợp tác xã", .unit = "HTX", .highlight = "Huế" };
    char *svg = make_svg(&s, &d);
    xmlDoc *doc = read_svg(svg);
    xmlNode *root = xmlDocGetRootElement(doc), *bars[8];
    size_t nb = 0;

    (void)state;
    check_bars(svg, &d, 1, 4); /* NaN: no bar; 0: a bar of height 0 */
    collect(root, "rect", "bar", bars, &nb, 8);
    for (size_t k = 0; k < nb; k++) {
        int hl = sattr_is(bars[k], "data-label", "Huế");
        assert_true(sattr_is(bars[k], "fill", hl ? "#e15759" : "#4e79a7"));
        assert_false(sattr_is(bars[k], "data-label", "Đà Nẵng"));
    }
    assert_non_null(strstr(svg, "role=\"img\""));
    assert_non_null(strstr(svg, "<title id=\"c1-title\">Số hợp tác xã</title>"));
    assert_non_null(strstr(svg, "Đà Nẵng: không có số liệu"));
    assert_non_null(strstr(svg, "Hà Nội: 1.250 HTX"));
    assert_non_null(strstr(svg, ">980,5</text>")); /* value label, Vietnamese format */
    assert_non_null(strstr(svg, ">2.500</text>"));  /* tick label */
    xmlFreeDoc(doc);
    free(svg);
}

static void many_categories_become_hbar(void **state)
{
    double v[63];
    const double *vv[] = { v };
    chart_series d = { 63, provinces, vv, NULL };
    chart_spec s = { .type = CHART_BAR, .x = "tinh", .y = { "so_htx" }, .ny = 1,
                     .sort = "-so_htx", .highlight = "Thái Nguyên" };
    char *svg;
    xmlDoc *doc;
    xmlNode *bars[64];
    size_t nb = 0;

    (void)state;
    for (int i = 0; i < 63; i++)
        v[i] = i == 7 ? NAN : (i * 37 % 63) * 41.5 + 12;
    svg = make_svg(&s, &d);
    check_bars(svg, &d, 0, 62);
    doc = read_svg(svg);
    assert_true(dattr(xmlDocGetRootElement(doc), "height") > 63 * 16);
    collect(xmlDocGetRootElement(doc), "rect", "bar", bars, &nb, 64);
    for (size_t k = 1; k < nb; k++) /* sorted descending: widths never grow */
        assert_true(dattr(bars[k], "width") <= dattr(bars[k - 1], "width") + 1e-9);
    xmlFreeDoc(doc);
    free(svg);
}

static void grouped_stacked_and_negative(void **state)
{
    static const char *const lab[] = { "2019", "2020", "2021", "2022" };
    static const double a[] = { 120, -35.5, 80, NAN }, b[] = { 60, 40, NAN, 12.25 };
    const double *vv[] = { a, b };
    static const char *const names[] = { "Nông nghiệp", "Dịch vụ" };
    chart_series d = { 4, lab, vv, names };
    chart_spec s = { .type = CHART_GROUPED, .x = "nam", .y = { "a", "b" }, .ny = 2,
                     .highlight = "2020" };
    char *svg = make_svg(&s, &d);

    (void)state;
    check_bars(svg, &d, 1, 6);
    assert_non_null(strstr(svg, ">Nông nghiệp</text>"));
    assert_non_null(strstr(svg, "class=\"highlight\""));
    free(svg);
    s.type = CHART_STACKED;
    svg = make_svg(&s, &d);
    {   /* stacked segments have the data's lengths; each starts where the previous ended */
        xmlDoc *doc = read_svg(svg);
        xmlNode *root = xmlDocGetRootElement(doc), *bars[16];
        size_t nb = 0;
        double zero, ppu = axis_ppu(root, 1, &zero);

        collect(root, "rect", "bar", bars, &nb, 16);
        assert_int_equal(nb, 6);
        for (size_t k = 0; k < nb; k++)
            assert_true(fabs(dattr(bars[k], "height") - fabs(dattr(bars[k], "data-value")) * ppu) <
                        0.01);
        /* 2019: a from zero up, b on top of it */
        assert_true(fabs(dattr(bars[0], "y") + dattr(bars[0], "height") - zero) < 0.01);
        assert_true(fabs(dattr(bars[1], "y") + dattr(bars[1], "height") - dattr(bars[0], "y")) < 0.01);
        xmlFreeDoc(doc);
    }
    free(svg);
    s.type = CHART_HBAR;
    svg = make_svg(&s, &d);
    check_bars(svg, &d, 0, 6);
    free(svg);
}

static void line_breaks_at_missing_values(void **state)
{
    static const char *const lab[] = { "T1", "T2", "T3", "T4", "T5", "T6" };
    static const double a[] = { 3.5, 4, NAN, 5, 5.5, 6.25 };
    const double *vv[] = { a };
    chart_series d = { 6, lab, vv, NULL };
    chart_spec s = { .type = CHART_LINE, .x = "thang", .y = { "a" }, .ny = 1 };
    char *svg = make_svg(&s, &d);
    xmlDoc *doc = read_svg(svg);
    xmlNode *pl[8], *pts[8];
    size_t npl = 0, npt = 0;

    (void)state;
    collect(xmlDocGetRootElement(doc), "polyline", NULL, pl, &npl, 8);
    collect(xmlDocGetRootElement(doc), "rect", "point", pts, &npt, 8);
    assert_int_equal(npl, 2);
    assert_int_equal(npt, 5);
    xmlFreeDoc(doc);
    free(svg);
}

/***  Labels never overlap  ***/

typedef struct quad {
    double x[4], y[4];
} quad;

static void parse_tf(const char *s, double m[6])
{
    double tx, ty, r;

    m[0] = 1, m[1] = 0, m[2] = 0, m[3] = 1, m[4] = 0, m[5] = 0;
    if (!s)
        return;
    if (sscanf(s, "translate(%lf %lf) rotate(%lf)", &tx, &ty, &r) == 3) {
        r *= M_PI / 180;
        m[0] = cos(r), m[1] = sin(r), m[2] = -sin(r), m[3] = cos(r), m[4] = tx, m[5] = ty;
    }
}

static void text_quads(xmlNode *n, quad *q, size_t *k, size_t cap)
{
    for (; n; n = n->next) {
        if (n->type != XML_ELEMENT_NODE)
            continue;
        if (strcmp((const char *)n->name, "text") == 0) {
            xmlChar *t = xmlNodeGetContent(n), *tf = NULL, *an = xmlGetProp(n, (const xmlChar *)"text-anchor");
            double fs = dattr(n, "font-size"), x = dattr(n, "x"), y = dattr(n, "y"), m[6];
            int bold = sattr_is(n, "font-weight", "bold");
            double w = stub_measure(NULL, (const char *)t, strlen((const char *)t), (float)fs, bold);
            double lx[4], ly[4];

            if (n->parent && strcmp((const char *)n->parent->name, "g") == 0)
                tf = xmlGetProp(n->parent, (const xmlChar *)"transform");
            parse_tf((const char *)tf, m);
            if (an && strcmp((const char *)an, "middle") == 0)
                x -= w / 2;
            else if (an && strcmp((const char *)an, "end") == 0)
                x -= w;
            /* a slightly smaller box than the layout's own, so touching is not overlap */
            lx[0] = x, ly[0] = y - 0.72 * fs;
            lx[1] = x + w, ly[1] = y - 0.72 * fs;
            lx[2] = x + w, ly[2] = y + 0.18 * fs;
            lx[3] = x, ly[3] = y + 0.18 * fs;
            assert_true(*k < cap);
            for (int j = 0; j < 4; j++) {
                q[*k].x[j] = m[0] * lx[j] + m[2] * ly[j] + m[4];
                q[*k].y[j] = m[1] * lx[j] + m[3] * ly[j] + m[5];
            }
            (*k)++;
            xmlFree(t);
            xmlFree(tf);
            xmlFree(an);
        }
        text_quads(n->children, q, k, cap);
    }
}

static int separated_on(const quad *a, const quad *b, const quad *e)
{
    for (int j = 0; j < 4; j++) {
        double nx = -(e->y[(j + 1) % 4] - e->y[j]), ny = e->x[(j + 1) % 4] - e->x[j];
        double amin = INFINITY, amax = -INFINITY, bmin = INFINITY, bmax = -INFINITY, l = hypot(nx, ny);

        if (l == 0)
            continue;
        for (int i = 0; i < 4; i++) {
            double pa = (a->x[i] * nx + a->y[i] * ny) / l, pb = (b->x[i] * nx + b->y[i] * ny) / l;
            amin = fmin(amin, pa), amax = fmax(amax, pa), bmin = fmin(bmin, pb), bmax = fmax(bmax, pb);
        }
        if (amax <= bmin + 0.01 || bmax <= amin + 0.01)
            return 1;
    }
    return 0;
}

static void assert_no_overlap(const char *svg)
{
    xmlDoc *doc = read_svg(svg);
    xmlNode *root = xmlDocGetRootElement(doc);
    double W = dattr(root, "width"), H = dattr(root, "height");
    static quad q[4000];
    size_t n = 0;

    text_quads(root, q, &n, 4000);
    assert_true(n > 0);
    for (size_t i = 0; i < n; i++) {
        for (int j = 0; j < 4; j++) /* inside the drawing */
            if (q[i].x[j] < -0.01 || q[i].x[j] > W + 0.01 || q[i].y[j] < -0.01 || q[i].y[j] > H + 0.01)
                fail_msg("text %zu outside the chart (%g,%g)", i, q[i].x[j], q[i].y[j]);
        for (size_t k = i + 1; k < n; k++)
            if (!separated_on(&q[i], &q[k], &q[i]) && !separated_on(&q[i], &q[k], &q[k]))
                fail_msg("texts %zu and %zu overlap (%g,%g / %g,%g)", i, k, q[i].x[0], q[i].y[0],
                         q[k].x[0], q[k].y[0]);
    }
    xmlFreeDoc(doc);
}

static void labels_never_overlap(void **state)
{
    double v[63], w[63];
    const double *vv[] = { v, w };
    static const char *const names[] = { "Số hợp tác xã nông nghiệp", "Số thành viên của các hợp "
                                         "tác xã và liên hiệp hợp tác xã trên địa bàn tỉnh" };
    chart_series d = { 63, provinces, vv, names };
    chart_spec s = { .x = "tinh", .y = { "a", "b" }, .title = "Hợp tác xã theo tỉnh, thành phố "
                     "trực thuộc Trung ương năm 2023 (so với năm trước)", .unit = "nghìn người",
                     .highlight = "Thái Nguyên" };
    static const chart_type types[] = { CHART_BAR, CHART_HBAR, CHART_GROUPED, CHART_LINE,
                                        CHART_STACKED };

    (void)state;
    for (int i = 0; i < 63; i++) {
        v[i] = (i * 29 % 63) * 1234.5 - (i % 9 == 0 ? 20000 : 0);
        w[i] = i % 5 == 0 ? NAN : i * 0.37;
    }
    /* every type, with many, some and few categories; one and two series; two widths */
    for (size_t t = 0; t < sizeof types / sizeof *types; t++)
        for (size_t ny = 1; ny <= 2; ny++)
            for (size_t n = 3; n <= 63; n += 12)
                for (float width = 320; width <= 800; width += 480) {
                    char *svg;

                    s.type = types[t];
                    s.ny = ny;
                    s.width = width;
                    d.n = n;
                    svg = make_svg(&s, &d);
                    assert_no_overlap(svg);
                    if (n == 63) /* the highlighted label is never among the skipped ones */
                        assert_non_null(strstr(svg, "font-weight=\"bold\">Thái Nguyên</text>"));
                    free(svg);
                }
}

static void long_names_wrap_or_rotate(void **state)
{
    static const char *const lab[] = { "Thành phố Hồ Chí Minh", "Bà Rịa – Vũng Tàu", "Hà Nội",
                                       "Thừa Thiên Huế", "Đắk Nông", "Quảng Ngãi" };
    static const double v[] = { 10, 20, 30, 40, 50, 60 };
    const double *vv[] = { v };
    chart_series d = { 6, lab, vv, NULL };
    chart_spec s = { .type = CHART_BAR, .x = "t", .y = { "v" }, .ny = 1, .width = 560 };
    char *svg = make_svg(&s, &d);

    (void)state;
    /* 560 px: about 88 px a band, two lines fit */
    assert_non_null(strstr(svg, ">Thành phố</text>"));
    assert_non_null(strstr(svg, ">Hồ Chí Minh</text>"));
    assert_null(strstr(svg, "rotate"));
    assert_no_overlap(svg);
    free(svg);
    s.width = 300; /* too narrow: rotated 45° */
    svg = make_svg(&s, &d);
    assert_non_null(strstr(svg, "rotate(-45)"));
    assert_no_overlap(svg);
    free(svg);
}

static size_t measure_calls;

static float counting_measure(void *self, const char *s, size_t n, float size, int bold)
{
    measure_calls++;
    return stub_measure(self, s, n, size, bold);
}

/* A label from a hostile cell (20 KB here, 1 MB possible) is cut to fit with a handful of
 * measurements, not one per character it loses (that was quadratic in the label). */
static void huge_label_is_cut_in_few_measures(void **state)
{
    const chart_opts copts = { counting_measure, NULL, "Liberation Sans", 12, "c1", 0 };
    static const double v[] = { 10, 20, 30 };
    const double *vv[] = { v };
    const char *lab[3] = { "Hà Nội", NULL, "Huế" };
    chart_series d = { 3, lab, vv, NULL };
    chart_spec s = { .type = CHART_BAR, .x = "t", .y = { "v" }, .ny = 1, .width = 560 };
    buf big = BUF_INIT, b = BUF_INIT;
    diag *dg = diag_new(stderr, 0);

    (void)state;
    while (big.len < 20000)
        buf_puts(&big, "Hợp tác xã Đồng Tâm ");
    lab[1] = big.ptr;
    measure_calls = 0;
    assert_int_equal(chart_svg(&s, &d, &copts, &b, dg), 0);
    assert_int_equal(diag_errors(dg), 0);
    assert_true(measure_calls < 2000);
    assert_non_null(strstr(b.ptr, "…"));
    assert_no_overlap(b.ptr);
    diag_free(dg);
    buf_free(&big);
    buf_free(&b);
}

/***  svgdraw  ***/

static void svgdraw_maps_items_and_transforms(void **state)
{
    const char *svg =
        "<svg xmlns='http://www.w3.org/2000/svg' width='200' height='100' viewBox='0 0 200 100'"
        " font-size='10'>"
        "<title>t</title><desc>d</desc>"
        "<rect x='10' y='20' width='30' height='40' fill='#ff0000'/>"
        "<g transform='translate(100,50)'>"
        "<line x1='0' y1='0' x2='10' y2='0' stroke='#00f' stroke-width='2' stroke-dasharray='4 2'/>"
        "<g transform='rotate(-45)'><text x='0' y='0' text-anchor='end' fill='#333'>Hà  Nội</text></g>"
        "<rect x='0' y='0' width='10' height='10' fill='green' transform='rotate(90)'/>"
        "</g>"
        "<polyline points='0,0 10,10 20,0' fill='none' stroke='black'/>"
        "<path d='M 10 10 h 10 v 10 H 10 z m 50 0 l 5 5' fill='none' stroke='#000'/>"
        "<circle cx='1' cy='1' r='1'/>"
        "</svg>";
    pages *p = pages_new(NULL);
    page *pg = pages_add(p, 595, 842);
    diag *d = diag_new(NULL, 1);
    svgdraw_opts o = { .families = "Liberation Serif", .file = "r.md", .line = 7 };
    const pg_item *it;

    (void)state;
    /* the box is 400 × 200 pt at (50, 100): scale 2, y up */
    assert_int_equal(svgdraw_render(p, pg, svg, strlen(svg), 50, 100, 400, 200, &o, d), 0);
    assert_string_equal(diag_text(d), "r.md:7: warning: SVG element <circle> is not drawn\n");
    assert_int_equal(pg->count, 6);
    it = &pg->item[0];
    assert_int_equal(it->kind, PG_RECT);
    assert_true(it->u.rect.x == 70 && it->u.rect.w == 60 && it->u.rect.h == 80);
    assert_true(it->u.rect.y == 300 - 120 - 0); /* svg y 60 → 300 - 120 = 180 */
    assert_true(it->u.rect.fill.r == 255 && it->u.rect.fill.a == 255 && it->u.rect.stroke.a == 0);
    it = &pg->item[1];
    assert_int_equal(it->kind, PG_LINE);
    assert_true(it->u.line.x1 == 250 && it->u.line.y1 == 200 && it->u.line.x2 == 270);
    assert_true(it->u.line.width == 4 && it->u.line.dash == PG_DASHED && it->u.line.color.b == 255);
    it = &pg->item[2];
    assert_int_equal(it->kind, PG_TEXT);
    assert_int_equal(it->u.text.len, strlen("Hà Nội"));
    assert_memory_equal(it->u.text.text, "Hà Nội", it->u.text.len);
    assert_true(fabsf(it->u.text.angle - 45) < 1e-4);
    assert_true(fabsf(it->u.text.size - 20) < 1e-4);
    /* anchored at its end: the start lies down-left of (250, 200) along 45° */
    assert_true(it->u.text.width > 0);
    assert_true(fabsf(it->u.text.x - (250 - it->u.text.width * 0.70710678f)) < 1e-3);
    assert_true(fabsf(it->u.text.y - (200 - it->u.text.width * 0.70710678f)) < 1e-3);
    it = &pg->item[3]; /* a rotated rect is a path */
    assert_int_equal(it->kind, PG_PATH);
    assert_int_equal(it->u.path.nop, 5);
    assert_true(fabsf(it->u.path.pt[2] - 250) < 1e-4 && fabsf(it->u.path.pt[3] - 180) < 1e-4);
    it = &pg->item[4];
    assert_int_equal(it->kind, PG_PATH);
    assert_int_equal(it->u.path.nop, 3);
    assert_int_equal(it->u.path.fill.a, 0);
    it = &pg->item[5];
    assert_int_equal(it->kind, PG_PATH);
    assert_int_equal(it->u.path.nop, 7); /* M h v H z m l */
    assert_int_equal(it->u.path.op[4], PG_CLOSE);
    assert_int_equal(it->u.path.op[5], PG_MOVE);
    /* m 50 0 after z is relative to the subpath start (10,10): (60,10) → (170, 280) */
    assert_true(it->u.path.pt[8] == 170 && it->u.path.pt[9] == 280);
    assert_true(it->u.path.pt[10] == 180 && it->u.path.pt[11] == 270);
    diag_clear(d);
    assert_int_equal(svgdraw_render(p, pg, "<svg", 4, 0, 0, 10, 10, &o, d), -1);
    assert_int_equal(diag_errors(d), 1);
    {
        const char *dtd = "<!DOCTYPE svg [<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b \"&a;&a;&a;\">]>"
                          "<svg width='10' height='10'><text>&b;</text></svg>";

        assert_int_equal(svgdraw_render(p, pg, dtd, strlen(dtd), 0, 0, 10, 10, &o, d), -1);
        assert_int_equal(diag_errors(d), 2);
    }
    diag_free(d);
    pages_free(p);
}

static void svgdraw_inherits_and_warns(void **state)
{
    buf svg = BUF_INIT;
    pages *p = pages_new(NULL);
    page *pg = pages_add(p, 100, 100);
    diag *d = diag_new(NULL, 1);
    svgdraw_opts o = { .file = "f.md", .line = 3 };

    (void)state;
    buf_puts(&svg, "<svg xmlns='http://www.w3.org/2000/svg' width='100' height='100'>"
                   "<g fill='rgb(10,20,30)' stroke='#abc' stroke-width='3' stroke-dasharray='2,2'>"
                   "<rect width='5' height='5'/>"
                   "<line x2='5' stroke-dasharray='none'/>"
                   "<path d='M0 0 L 5 5 C 1 2 3 4 5 6'/>"
                   "<rect width='5' height='5' fill='chartreuse' transform='skewX(3)'/>"
                   "</g>");
    for (int i = 0; i < SVGDRAW_MAX_DEPTH + 5; i++) /* too deep: cut, not a stack overflow */
        buf_puts(&svg, "<g>");
    buf_puts(&svg, "<rect width='1' height='1'/>");
    for (int i = 0; i < SVGDRAW_MAX_DEPTH + 5; i++)
        buf_puts(&svg, "</g>");
    buf_puts(&svg, "</svg>");
    assert_int_equal(svgdraw_render(p, pg, svg.ptr, svg.len, 0, 0, 100, 100, &o, d), 0);
    assert_string_equal(diag_text(d),
                        "f.md:3: warning: SVG path command 'C' is not drawn (only M, L, H, V, Z)\n"
                        "f.md:3: warning: SVG transform 'skewX(3)' not understood\n"
                        "f.md:3: warning: SVG colour 'chartreuse' not understood\n"
                        "f.md:3: warning: SVG nested deeper than 64; cut\n");
    assert_int_equal(pg->count, 4);
    assert_int_equal(pg->item[0].kind, PG_RECT);
    assert_true(pg->item[0].u.rect.fill.r == 10 && pg->item[0].u.rect.fill.b == 30);
    assert_true(pg->item[0].u.rect.stroke.r == 0xaa && pg->item[0].u.rect.line_width == 3);
    assert_int_equal(pg->item[1].kind, PG_LINE);
    assert_int_equal(pg->item[1].u.line.dash, PG_SOLID);
    assert_int_equal(pg->item[2].kind, PG_PATH);
    assert_int_equal(pg->item[2].u.path.nop, 2);          /* drawn up to the curve */
    assert_int_equal(pg->item[2].u.path.dash, PG_DOTTED); /* 2 ≤ 1.5 × 3 */
    assert_int_equal(pg->item[3].kind, PG_RECT);          /* the inherited fill stays */
    assert_true(pg->item[3].u.rect.fill.g == 20);
    buf_free(&svg);
    diag_free(d);
    pages_free(p);
}

/* A non-ASCII byte in path data is named as the whole character, never as one byte of it
 * (which would put invalid UTF-8 into the message). */
static void svgdraw_names_whole_characters(void **state)
{
    static const char svg[] = "<svg xmlns='http://www.w3.org/2000/svg' width='10' height='10'>"
                              "<path d='M0 0 → 5 5' stroke='#000'/></svg>";
    pages *p = pages_new(NULL);
    page *pg = pages_add(p, 100, 100);
    diag *d = diag_new(NULL, 1);
    svgdraw_opts o = { .file = "f.md", .line = 3 };

    (void)state;
    assert_int_equal(svgdraw_render(p, pg, svg, strlen(svg), 0, 0, 10, 10, &o, d), 0);
    assert_string_equal(diag_text(d),
                        "f.md:3: warning: SVG path command '→' is not drawn (only M, L, H, V, Z)\n");
    diag_free(d);
    pages_free(p);
}

static void svgdraw_draws_a_whole_chart(void **state)
{
    double v[63];
    const double *vv[] = { v };
    chart_series d = { 63, provinces, vv, NULL };
    chart_spec s = { .type = CHART_HBAR, .x = "tinh", .y = { "a" }, .ny = 1, .title = "Tỉnh" };
    char *svg;
    pages *p = pages_new(NULL);
    page *pg = pages_add(p, 595, 842);
    diag *dg = diag_new(NULL, 1);
    size_t nrect = 0, ntext = 0;
    float w, h;

    (void)state;
    for (int i = 0; i < 63; i++)
        v[i] = i == 3 ? NAN : i * 10.5;
    svg = make_svg(&s, &d);
    assert_int_equal(svgdraw_size(svg, strlen(svg), &w, &h), 0);
    assert_int_equal(svgdraw_render(p, pg, svg, strlen(svg), 50, 50, w * 0.75f, h * 0.75f, NULL, dg), 0);
    assert_string_equal(diag_text(dg), "");
    for (size_t i = 0; i < pg->count; i++) {
        nrect += pg->item[i].kind == PG_RECT;
        ntext += pg->item[i].kind == PG_TEXT;
        if (pg->item[i].kind == PG_TEXT) /* inside the box */
            assert_true(pg->item[i].u.text.y >= 50 && pg->item[i].u.text.y <= 50 + h * 0.75f);
    }
    assert_int_equal(nrect, 61); /* 62 bars, one of them zero-width */
    assert_true(ntext >= 63 + 1 + 3);
    free(svg);
    diag_free(dg);
    pages_free(p);
}

/* librsvg (the engine of many viewers) must draw what we write: non-empty PNG, exit 0. */
static void renders_with_rsvg(void **state)
{
    static const char *const lab[] = { "Hà Nội", "Huế", "Cần Thơ" };
    static const double a[] = { 3, NAN, 5 }, b[] = { 1.5, 2, -1 };
    const double *vv[] = { a, b };
    chart_series d = { 3, lab, vv, NULL };
    chart_spec s = { .x = "t", .y = { "a", "b" }, .ny = 2, .title = "Thử <&> \"quote\"" };
    char svgp[] = "/tmp/chart-XXXXXX", cmd[256];

    (void)state;
    if (system("command -v rsvg-convert >/dev/null 2>&1") != 0)
        skip();
    for (int t = CHART_BAR; t <= CHART_STACKED; t++) {
        char *svg;
        int fd = mkstemp(svgp);
        FILE *f;
        long size;

        assert_true(fd >= 0);
        s.type = (chart_type)t;
        svg = make_svg(&s, &d);
        assert_int_equal(write(fd, svg, strlen(svg)), (ssize_t)strlen(svg));
        close(fd);
        snprintf(cmd, sizeof cmd, "rsvg-convert -o %s.png %s 2>&1", svgp, svgp);
        assert_int_equal(system(cmd), 0);
        snprintf(cmd, sizeof cmd, "%s.png", svgp);
        f = fopen(cmd, "rb");
        assert_non_null(f);
        fseek(f, 0, SEEK_END);
        size = ftell(f);
        fclose(f);
        assert_true(size > 2000);
        unlink(cmd);
        unlink(svgp);
        strcpy(svgp, "/tmp/chart-XXXXXX");
        free(svg);
    }
}

/***  The PDF drawing against librsvg's  ***/

/* Reads a binary PGM (P5, maxval 255) written by pdftoppm -gray. */
static unsigned char *read_pgm(const char *path, int *w, int *h)
{
    FILE *f = fopen(path, "rb");
    unsigned char *px;
    int maxv;

    assert_non_null(f);
    assert_int_equal(fscanf(f, "P5 %d %d %d", w, h, &maxv), 3);
    assert_int_equal(maxv, 255);
    fgetc(f);
    px = malloc((size_t)*w * (size_t)*h);
    assert_int_equal(fread(px, 1, (size_t)*w * (size_t)*h, f), (size_t)*w * (size_t)*h);
    fclose(f);
    return px;
}

/* Share of pixels (in 1/10000) whose grey differs by more than 96 between the two PDFs'
 * first pages rendered at the same size by poppler. */
static long pdf_diff(const char *a, const char *b)
{
    char cmd[512];
    unsigned char *pa, *pb;
    int wa, ha, wb, hb;
    long bad = 0;

    snprintf(cmd, sizeof cmd, "pdftoppm -gray -singlefile -scale-to 600 %s %s && "
                              "pdftoppm -gray -singlefile -scale-to 600 %s %s", a, a, b, b);
    assert_int_equal(system(cmd), 0);
    snprintf(cmd, sizeof cmd, "%s.pgm", a);
    pa = read_pgm(cmd, &wa, &ha);
    unlink(cmd);
    snprintf(cmd, sizeof cmd, "%s.pgm", b);
    pb = read_pgm(cmd, &wb, &hb);
    unlink(cmd);
    assert_true(abs(wa - wb) <= 1 && abs(ha - hb) <= 1);
    for (int y = 0; y < ha && y < hb; y++)
        for (int x = 0; x < wa && x < wb; x++)
            bad += abs(pa[y * wa + x] - pb[y * wb + x]) > 96;
    free(pa);
    free(pb);
    return bad * 10000 / ((long)wa * ha);
}

/* Writes SVG through svgdraw and pdfout into OURS (a page of the SVG's size, 1 px = 0.75 pt),
 * or an empty page when BLANK. */
static void write_pdf(fontset *fs, const char *svg, const char *ours, int blank)
{
    pages *p = pages_new(fs);
    diag *d = diag_new(stderr, 0);
    float w, h;
    page *pg;
    svgdraw_opts o = { .families = "Liberation Sans" };

    assert_int_equal(svgdraw_size(svg, strlen(svg), &w, &h), 0);
    pg = pages_add(p, w * 0.75f, h * 0.75f);
    if (!blank)
        assert_int_equal(svgdraw_render(p, pg, svg, strlen(svg), 0, 0, w * 0.75f, h * 0.75f, &o, d), 0);
    assert_int_equal(pdfout_write(p, NULL, ours, d), 0);
    assert_int_equal(diag_errors(d), 0);
    diag_free(d);
    pages_free(p);
}

static void pdf_matches_rsvg(void **state)
{
    double v[15], u[15];
    const double *vv[] = { v, u };
    static const char *const names[] = { "Nông nghiệp", "Phi nông nghiệp" };
    chart_series d = { 15, provinces + 20, vv, names };
    chart_spec s = { .type = CHART_HBAR, .x = "t", .y = { "v", "u" }, .ny = 1,
                     .title = "Số hợp tác xã theo tỉnh", .unit = "HTX", .highlight = "Hà Nội",
                     .sort = "-v" };
    fontset *fs;
    diag *dg;
    chart_font cf;
    chart_opts o = { chart_font_measure, &cf, "Liberation Sans", 12, "pdf", 0 };
    char ref[] = "/tmp/chart-ref-XXXXXX", ours[] = "/tmp/chart-pdf-XXXXXX", cmd[768];

    (void)state;
    if (system("command -v rsvg-convert >/dev/null 2>&1 && command -v pdftoppm >/dev/null 2>&1"))
        skip();
    fs = font_new();
    dg = diag_new(stderr, 0);
    assert_true(font_add(fs, "Liberation Sans", 400, 0, "fonts/LiberationSans-Regular.ttf", NULL, 0, dg) >= 0);
    assert_true(font_add(fs, "Liberation Sans", 700, 0, "fonts/LiberationSans-Bold.ttf", NULL, 0, dg) >= 0);
    cf = (chart_font){ fs, "Liberation Sans" };
    for (int i = 0; i < 15; i++)
        v[i] = i == 4 ? NAN : 30 + (i * 7 % 15) * 21.5, u[i] = i * 9.75 - 30;
    for (int round = 0; round < 3; round++) {
        buf b = BUF_INIT;
        int fd;
        long same, blank;

        if (round == 1) { /* vertical grouped bars with wrapped labels, negatives, a legend */
            s.type = CHART_GROUPED, s.ny = 2, d.n = 6, s.sort = NULL;
        }
        if (round == 2) /* rotated labels */
            s.type = CHART_LINE, d.n = 15, s.width = 400;
        assert_int_equal(chart_svg(&s, &d, &o, &b, dg), 0);
        assert_true((fd = mkstemp(ref)) >= 0);
        close(fd);
        assert_true((fd = mkstemp(ours)) >= 0);
        close(fd);
        {
            char svgp[64];
            FILE *f;

            snprintf(svgp, sizeof svgp, "%s.svg", ref);
            f = fopen(svgp, "w");
            fwrite(b.ptr, 1, b.len, f);
            fclose(f);
            snprintf(cmd, sizeof cmd, "rsvg-convert -f pdf -o %s %s", ref, svgp);
            assert_int_equal(system(cmd), 0);
            unlink(svgp);
        }
        write_pdf(fs, b.ptr, ours, 0);
        same = pdf_diff(ref, ours);
        write_pdf(fs, b.ptr, ours, 1);
        blank = pdf_diff(ref, ours);
        print_message("chart %d: PDF vs librsvg %ld/10000 pixels differ, blank page %ld\n", round,
                      same, blank);
        /* text antialiasing and hinting differ a little; a missing or moved bar, or a
         * label drawn level instead of turned, does not. */
        if (same > 30 || blank < 5 * same + 100)
            fail_msg("chart %d: PDF differs from librsvg in %ld/10000 pixels (blank page: %ld)",
                     round, same, blank);
        unlink(ref);
        unlink(ours);
        strcpy(ref, "/tmp/chart-ref-XXXXXX");
        strcpy(ours, "/tmp/chart-pdf-XXXXXX");
        buf_free(&b);
    }
    diag_free(dg);
    font_free(fs);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(parses_every_key),
        cmocka_unit_test(reports_errors_with_positions),
        cmocka_unit_test(reads_figure_attributes),
        cmocka_unit_test(ticks_are_nice),
        cmocka_unit_test(formats_vietnamese_numbers),
        cmocka_unit_test(bar_heights_match_data),
        cmocka_unit_test(many_categories_become_hbar),
        cmocka_unit_test(grouped_stacked_and_negative),
        cmocka_unit_test(line_breaks_at_missing_values),
        cmocka_unit_test(labels_never_overlap),
        cmocka_unit_test(long_names_wrap_or_rotate),
        cmocka_unit_test(huge_label_is_cut_in_few_measures),
        cmocka_unit_test(svgdraw_maps_items_and_transforms),
        cmocka_unit_test(svgdraw_inherits_and_warns),
        cmocka_unit_test(svgdraw_names_whole_characters),
        cmocka_unit_test(svgdraw_draws_a_whole_chart),
        cmocka_unit_test(renders_with_rsvg),
        cmocka_unit_test(pdf_matches_rsvg),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
