/*
** Charts: chart description → spec, spec + data → standalone SVG.
**
** Geometry is decided here and only here: the HTML backend inlines this SVG and the PDF
** backend redraws it with svgdraw.c, so both show the same picture. Layout is a few passes
** over the categories: measure labels (with the caller's width callback), choose how the
** category labels fit (one line, two lines, rotated 45° with every k-th shown, or a
** horizontal chart whose height grows with the category count), pick "nice" ticks, then
** write the SVG in drawing order. Every text placed is kept clear of the others by
** construction; tests/unit/test_chart.c checks the bounding boxes.
*/
#define _GNU_SOURCE /* qsort_r: the sort key travels with the call, not in a global */
#include "chart.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "font.h"
#include "vnfmt.h"
#include "xalloc.h"

/***  The description: "key: value" lines  ***/

static const char *const key_names[] = { "type", "data",  "x",         "y",     "title", "unit",
                                          "sort", "highlight", "width", "height", NULL };
enum { K_TYPE, K_DATA, K_X, K_Y, K_TITLE, K_UNIT, K_SORT, K_HIGHLIGHT, K_WIDTH, K_HEIGHT };

static const char *const type_names[] = { "bar", "hbar", "grouped", "line", "stacked", NULL };

#define CHART_MAX_SIZE 20000.0f /* px; a larger chart is a typo in width/height */

static int find_key(const char *k, size_t n)
{
    for (int i = 0; key_names[i]; i++)
        if (strlen(key_names[i]) == n && memcmp(key_names[i], k, n) == 0)
            return i;
    return -1;
}

static int is_space(int c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* Sets key K to VALUE (trimmed, unquoted by the caller); VALUE is at FILE:LINE:COL. */
static int set_key(chart_spec *s, int k, const char *v, size_t n, arena *a, const char *file,
                   unsigned line, unsigned col, diag *d)
{
    char *end;
    double f;

    switch (k) {
    case K_TYPE:
        for (int i = 0; type_names[i]; i++)
            if (strlen(type_names[i]) == n && memcmp(type_names[i], v, n) == 0) {
                s->type = (chart_type)i;
                return 0;
            }
        diag_error(d, file, line, col,
                   "unknown chart type '%.*s' (expected bar, hbar, grouped, line or stacked)",
                   (int)n, v);
        return -1;
    case K_Y:
        s->ny = 0;
        for (size_t i = 0; i <= n;) {
            size_t j = i, b, e;

            while (j < n && v[j] != ',')
                j++;
            for (b = i; b < j && is_space(v[b]); b++)
                ;
            for (e = j; e > b && is_space(v[e - 1]); e--)
                ;
            if (e == b) {
                diag_error(d, file, line, col + (unsigned)b, "empty column name in 'y'");
                return -1;
            }
            if (s->ny == CHART_MAX_SERIES) {
                diag_error(d, file, line, col + (unsigned)b,
                           "too many series in 'y' (at most %d)", CHART_MAX_SERIES);
                return -1;
            }
            s->y[s->ny++] = arena_strndup(a, v + b, e - b);
            i = j + 1;
        }
        return 0;
    case K_WIDTH:
    case K_HEIGHT: {
        char tmp[32];

        if (n == 0 || n >= sizeof tmp)
            goto bad_size;
        memcpy(tmp, v, n);
        tmp[n] = '\0';
        f = strtod(tmp, &end);
        if (strcmp(end, "px") == 0)
            end += 2;
        if (*end || !(f >= 50.0 && f <= CHART_MAX_SIZE))
            goto bad_size;
        if (k == K_WIDTH)
            s->width = (float)f;
        else
            s->height = (float)f;
        return 0;
    }
    default:
        break;
    }
    {
        const char **slot[] = { [K_DATA] = &s->data,   [K_X] = &s->x,       [K_TITLE] = &s->title,
                                [K_UNIT] = &s->unit,   [K_SORT] = &s->sort, [K_HIGHLIGHT] = &s->highlight };

        if (n == 0 && k != K_TITLE && k != K_UNIT && k != K_HIGHLIGHT) {
            diag_error(d, file, line, col, "'%s' needs a value", key_names[k]);
            return -1;
        }
        *slot[k] = arena_strndup(a, v, n);
    }
    return 0;
bad_size:
    diag_error(d, file, line, col, "'%s' must be a number of px from 50 to %.0f, not '%.*s'",
               key_names[k], (double)CHART_MAX_SIZE, (int)n, v);
    return -1;
}

/* Trims V[0..*N) and removes one pair of quotes; 0, or -1 for an unterminated quote. */
static int unquote(const char **v, size_t *n)
{
    while (*n && is_space((*v)[*n - 1]))
        (*n)--;
    if (*n && (**v == '"' || **v == '\'')) {
        if (*n < 2 || (*v)[*n - 1] != **v)
            return -1;
        (*v)++;
        *n -= 2;
    }
    return 0;
}

int chart_set(chart_spec *s, const char *key, const char *value, arena *a, const char *file,
              unsigned line, unsigned col, diag *d)
{
    size_t n = strlen(value);
    int k;

    if (strncmp(key, "data-", 5) == 0)
        key += 5;
    k = find_key(key, strlen(key));
    if (k < 0) {
        diag_error(d, file, line, col, "unknown chart key '%s'", key);
        return -1;
    }
    while (n && is_space(*value))
        value++, n--;
    if (unquote(&value, &n) != 0) {
        diag_error(d, file, line, col, "unterminated quote in '%s'", key);
        return -1;
    }
    return set_key(s, k, value, n, a, file, line, col, d);
}

int chart_check(const chart_spec *s, diag *d)
{
    int rc = 0;

    if (!s->data) {
        diag_error(d, s->file, s->line, s->col, "chart needs 'data' (a collection, e.g. units)");
        rc = -1;
    }
    if (!s->x) {
        diag_error(d, s->file, s->line, s->col, "chart needs 'x' (the label column)");
        rc = -1;
    }
    if (s->ny == 0) {
        diag_error(d, s->file, s->line, s->col, "chart needs 'y' (one or more value columns)");
        rc = -1;
    }
    return rc;
}

int chart_parse(const char *text, size_t len, const char *file, unsigned line, unsigned col,
                arena *a, chart_spec *out, diag *d)
{
    unsigned seen = 0;
    int rc = 0;

    memset(out, 0, sizeof *out);
    out->file = file;
    out->line = line;
    out->col = col;
    for (size_t p = 0, ln = line; p < len; ln++) {
        size_t e = p, i = p, kb, ke;
        unsigned base = (ln == line && col > 0) ? col - 1 : 0; /* column of the line's byte 0 */
        const char *v;
        size_t vn;
        int k;

        while (e < len && text[e] != '\n')
            e++;
        while (i < e && (text[i] == ' ' || text[i] == '\t'))
            i++;
        if (i == e || text[i] == '#' || (e - i == 1 && text[i] == '\r'))
            goto next;
        for (kb = i; i < e && (text[i] == '_' || text[i] == '-' || (text[i] >= 'a' && text[i] <= 'z') ||
                               (text[i] >= 'A' && text[i] <= 'Z'));
             i++)
            ;
        ke = i;
        while (i < e && (text[i] == ' ' || text[i] == '\t'))
            i++;
        if (ke == kb || i == e || text[i] != ':') {
            diag_error(d, file, (unsigned)ln, base + (unsigned)(i - p) + 1,
                       "expected 'key: value' in chart");
            rc = -1;
            goto next;
        }
        k = find_key(text + kb, ke - kb);
        if (k < 0) {
            diag_error(d, file, (unsigned)ln, base + (unsigned)(kb - p) + 1,
                       "unknown chart key '%.*s'", (int)(ke - kb), text + kb);
            rc = -1;
            goto next;
        }
        if (seen & (1u << k)) {
            diag_error(d, file, (unsigned)ln, base + (unsigned)(kb - p) + 1,
                       "chart key '%s' given twice", key_names[k]);
            rc = -1;
            goto next;
        }
        seen |= 1u << k;
        for (i++; i < e && (text[i] == ' ' || text[i] == '\t'); i++)
            ;
        v = text + i;
        vn = e - i;
        if (unquote(&v, &vn) != 0) {
            diag_error(d, file, (unsigned)ln, base + (unsigned)(i - p) + 1,
                       "unterminated quote");
            rc = -1;
            goto next;
        }
        if (memchr(v, '\0', vn)) {
            diag_error(d, file, (unsigned)ln, base + (unsigned)(i - p) + 1, "NUL byte in value");
            rc = -1;
            goto next;
        }
        if (set_key(out, k, v, vn, a, file, (unsigned)ln,
                    base + (unsigned)(v - text - (ptrdiff_t)p) + 1, d) != 0)
            rc = -1;
    next:
        p = e + 1;
    }
    if (chart_check(out, d) != 0)
        rc = -1;
    return rc;
}

int chart_parse_figure(const xmlNode *fig, const char *file, arena *a, chart_spec *out,
                       diag *d)
{
    unsigned line = (unsigned)xmlGetLineNo(fig);
    int rc = 0;

    memset(out, 0, sizeof *out);
    out->file = file;
    out->line = line;
    for (const xmlAttr *at = fig->properties; at; at = at->next) {
        const char *name = (const char *)at->name;
        xmlChar *v;

        if (strncmp(name, "data-", 5) != 0)
            continue;
        if (find_key(name + 5, strlen(name + 5)) < 0) {
            diag_warning(d, file, line, 0, "unknown chart attribute '%s' ignored", name);
            continue;
        }
        v = xmlNodeGetContent((const xmlNode *)at);
        if (chart_set(out, name, v ? (const char *)v : "", a, file, line, 0, d) != 0)
            rc = -1;
        xmlFree(v);
    }
    if (chart_check(out, d) != 0)
        rc = -1;
    return rc;
}

/***  Numbers  ***/

void chart_ticks(double lo, double hi, int target, double *t0, double *step, int *n)
{
    double raw, mag, f, s, a, b;

    if (!isfinite(lo) || !isfinite(hi))
        lo = 0, hi = 1;
    if (lo > hi) {
        double t = lo;
        lo = hi;
        hi = t;
    }
    if (hi == lo) {
        if (lo > 0)
            lo = 0;
        else if (hi < 0)
            hi = 0;
        else
            hi = 1;
    }
    if (target < 2)
        target = 2;
    raw = (hi - lo) / target;
    mag = pow(10.0, floor(log10(raw)));
    f = raw / mag;
    s = (f <= 1.0 + 1e-9 ? 1 : f <= 2.0 + 1e-9 ? 2 : f <= 5.0 + 1e-9 ? 5 : 10) * mag;
    a = floor(lo / s + 1e-9) * s;
    b = ceil(hi / s - 1e-9) * s;
    *t0 = a;
    *step = s;
    *n = (int)llround((b - a) / s) + 1;
}

size_t chart_format(double v, int decimals, char *out, size_t cap)
{
    buf b = BUF_INIT;
    size_t n;

    if (decimals < 0) /* as many as needed, up to 2 */
        vnfmt_num(&b, v, 2, VNFMT_TRIM);
    else
        vnfmt_num(&b, v, decimals, 0);
    n = b.len < cap ? b.len : cap ? cap - 1 : 0;
    if (cap) {
        memcpy(out, buf_cstr(&b), n);
        out[n] = '\0';
    }
    buf_free(&b);
    return n;
}

/***  Layout state  ***/

static const char *const palette[CHART_MAX_SERIES] = { "#4e79a7", "#f28e2b", "#59a14f", "#b07aa1",
                                                       "#76b7b2", "#edc948", "#9c755f", "#bab0ac" };
#define ACCENT "#e15759"
#define BAND "#fdecea"   /* behind a highlighted category of a multi-series chart */
#define GRID "#d9d9d9"
#define AXIS "#333333"
#define INK "#222222"
#define MUTED "#555555"

#define PAD 8.0f         /* outer margin, px */
#define TICK_GAP 6.0f    /* between an axis and its labels */
#define ASCENT 0.8f      /* text box above the baseline, in em (for overlap decisions) */
#define DESCENT 0.25f    /* ... and below it */
#define ROT_SIN 0.70710678f

typedef enum lab_mode { LAB_FLAT, LAB_WRAP, LAB_ROT } lab_mode;

/* A category label as drawn: one or two lines, each possibly cut and ended with "…". */
typedef struct label {
    const char *s[2];
    size_t n[2];
    int cut[2];
    int lines;
} label;

typedef struct geom {
    const chart_spec *s;
    const chart_series *d;
    const chart_opts *o;
    buf *b;
    chart_type type;
    size_t n, ny;
    size_t *ord; /* display order */
    label *lab;
    float fs, W, H;
    float top;           /* first y below title, legend, unit */
    float px0, px1, py0, py1;
    double lo, hi, t0, step;
    int nt, dec;
    lab_mode mode;
    size_t every; /* rotated labels: every k-th shown */
    float ell_w;  /* width of "…" */
} geom;

static float estimate(const char *s, size_t n, float size, int bold)
{
    size_t cps = 0;

    for (size_t i = 0; i < n; i++)
        cps += ((unsigned char)s[i] & 0xC0) != 0x80;
    return (float)cps * size * (bold ? 0.6f : 0.55f);
}

float chart_font_measure(void *font, const char *s, size_t n, float size, int bold)
{
    const chart_font *cf = font;
    int f = cf && cf->fonts ? font_match(cf->fonts, cf->families ? cf->families : "sans-serif",
                                         bold ? 700 : 400, 0)
                            : -1;

    return f >= 0 ? font_width(cf->fonts, f, s, n, size) : estimate(s, n, size, bold);
}

static float measure(const geom *g, const char *s, size_t n, float size, int bold)
{
    return g->o && g->o->measure ? g->o->measure(g->o->self, s, n, size, bold)
                                 : estimate(s, n, size, bold);
}

static float label_line_w(const geom *g, const label *l, int i, int bold)
{
    return measure(g, l->s[i], l->n[i], g->fs, bold) + (l->cut[i] ? g->ell_w : 0);
}

static float label_w(const geom *g, const label *l, int bold)
{
    float w = label_line_w(g, l, 0, bold);

    if (l->lines == 2) {
        float w2 = label_line_w(g, l, 1, bold);
        if (w2 > w)
            w = w2;
    }
    return w;
}

static int is_highlight(const geom *g, size_t i)
{
    return g->s->highlight && g->d->label[i] && strcmp(g->s->highlight, g->d->label[i]) == 0;
}

static double val(const geom *g, size_t s, size_t i)
{
    double v = g->d->value[s][i];

    return isfinite(v) ? v : NAN;
}

static int is_utf8_cont(char c)
{
    return ((unsigned char)c & 0xC0) == 0x80;
}

/* Cuts line I of L (from its start) so that it fits MAXW with "…": the longest prefix
 * ending at a character boundary, found by bisection (widths grow with the prefix), so a
 * label from a 1 MB cell costs about 20 measurements rather than one per character. */
static void cut_line(const geom *g, label *l, int i, float maxw, int bold)
{
    const char *s = l->s[i];
    size_t lo = 0, hi = l->n[i]; /* s[0..lo) fits (or is empty), s[0..hi) does not */

    if (measure(g, s, hi, g->fs, bold) <= maxw)
        return;
    l->cut[i] = 1;
    for (;;) {
        size_t mid = lo + (hi - lo) / 2;

        while (mid > lo && is_utf8_cont(s[mid]))
            mid--;
        if (mid == lo) { /* no boundary in the lower half: the first one after LO */
            mid = lo + 1;
            while (mid < hi && is_utf8_cont(s[mid]))
                mid++;
            if (mid == hi)
                break;
        }
        if (measure(g, s, mid, g->fs, bold) + g->ell_w <= maxw)
            lo = mid;
        else
            hi = mid;
    }
    l->n[i] = lo;
    while (l->n[i] > 0 && l->s[i][l->n[i] - 1] == ' ')
        l->n[i]--;
}

/* Splits L's one line at the space nearest its middle; 0 when there is no space. */
static int split_label(label *l)
{
    const char *s = l->s[0];
    size_t n = l->n[0], best = 0, bestd = (size_t)-1;

    for (size_t i = 1; i + 1 < n; i++)
        if (s[i] == ' ') {
            size_t dist = i > n / 2 ? i - n / 2 : n / 2 - i;
            if (dist < bestd)
                bestd = dist, best = i;
        }
    if (!best)
        return 0;
    l->lines = 2;
    l->n[0] = best;
    l->s[1] = s + best + 1;
    l->n[1] = n - best - 1;
    return 1;
}

static void reset_labels(geom *g)
{
    for (size_t i = 0; i < g->n; i++) {
        label *l = &g->lab[i];
        const char *t = g->d->label[i] ? g->d->label[i] : "";

        memset(l, 0, sizeof *l);
        l->s[0] = t;
        l->n[0] = strlen(t);
        l->lines = 1;
    }
}

/***  Writing SVG  ***/

/* Appends V rounded to 0.001 px, without trailing zeros. */
static void put_num(buf *b, double v)
{
    long long q = llround(v * 1000.0);
    long long ip;
    int fr;
    char tmp[32];
    size_t k = sizeof tmp;

    if (!(fabs(v) < 1e12))
        q = 0;
    if (q < 0)
        buf_putc(b, '-'), q = -q;
    ip = q / 1000;
    fr = (int)(q % 1000);
    if (fr) {
        int digits = 3;
        while (fr % 10 == 0)
            fr /= 10, digits--;
        for (int i = 0; i < digits; i++, fr /= 10)
            tmp[--k] = (char)('0' + fr % 10);
        tmp[--k] = '.';
    }
    do
        tmp[--k] = (char)('0' + ip % 10);
    while ((ip /= 10) > 0);
    buf_put(b, tmp + k, sizeof tmp - k);
}

static void put_esc(buf *b, const char *s, size_t n)
{
    size_t i = 0, from = 0;

    for (; i < n; i++) {
        const char *r;
        unsigned char c = (unsigned char)s[i];

        switch (c) {
        case '&': r = "&amp;"; break;
        case '<': r = "&lt;"; break;
        case '>': r = "&gt;"; break;
        case '"': r = "&quot;"; break;
        default:
            /* control characters and U+FFFE/U+FFFF are not XML; never in a label */
            if (c < 0x20 && c != '\t' && c != '\n') {
                r = " ";
                break;
            }
            if (c == 0xEF && i + 2 < n && (unsigned char)s[i + 1] == 0xBF &&
                ((unsigned char)s[i + 2] & 0xFE) == 0xBE) {
                buf_put(b, s + from, i - from);
                buf_putc(b, ' ');
                from = i + 3;
                i += 2;
            }
            continue;
        }
        buf_put(b, s + from, i - from);
        buf_puts(b, r);
        from = i + 1;
    }
    buf_put(b, s + from, n - from);
}

static void put_attr(buf *b, const char *name, double v)
{
    buf_putc(b, ' ');
    buf_puts(b, name);
    buf_puts(b, "=\"");
    put_num(b, v);
    buf_putc(b, '"');
}

typedef enum anchor { A_START, A_MIDDLE, A_END } anchor;

static void put_text(geom *g, float x, float y, anchor an, float size, int bold, const char *fill,
                     const char *s, size_t n, int cut)
{
    buf *b = g->b;
    static const char *const an_names[] = { "start", "middle", "end" };

    buf_puts(b, "<text");
    put_attr(b, "x", x);
    put_attr(b, "y", y);
    if (an != A_START)
        buf_printf(b, " text-anchor=\"%s\"", an_names[an]);
    put_attr(b, "font-size", size);
    if (bold)
        buf_puts(b, " font-weight=\"bold\"");
    if (strcmp(fill, INK) != 0)
        buf_printf(b, " fill=\"%s\"", fill);
    buf_putc(b, '>');
    put_esc(b, s, n);
    if (cut)
        buf_puts(b, "\xE2\x80\xA6");
    buf_puts(b, "</text>\n");
}

static void put_rect(geom *g, const char *cls, float x, float y, float w, float h,
                     const char *fill)
{
    buf_printf(g->b, "<rect class=\"%s\"", cls);
    put_attr(g->b, "x", x);
    put_attr(g->b, "y", y);
    put_attr(g->b, "width", w);
    put_attr(g->b, "height", h);
    buf_printf(g->b, " fill=\"%s\"/>\n", fill);
}

/* A data mark (CLS "bar" or "point") carrying its series, value and label for tests and
 * scripts. */
static void put_mark(geom *g, const char *cls, size_t s, size_t i, float x, float y, float w,
                     float h, const char *fill)
{
    buf *b = g->b;

    buf_printf(b, "<rect class=\"%s\"", cls);
    put_attr(b, "x", x);
    put_attr(b, "y", y);
    put_attr(b, "width", w);
    put_attr(b, "height", h);
    buf_printf(b, " fill=\"%s\" data-series=\"%zu\" data-value=\"%.17g\" data-label=\"", fill, s,
               g->d->value[s][i]);
    put_esc(b, g->d->label[i] ? g->d->label[i] : "", g->d->label[i] ? strlen(g->d->label[i]) : 0);
    buf_puts(b, "\"/>\n");
}

static void put_line(geom *g, float x1, float y1, float x2, float y2, const char *stroke,
                     float width)
{
    buf_puts(g->b, "<line");
    put_attr(g->b, "x1", x1);
    put_attr(g->b, "y1", y1);
    put_attr(g->b, "x2", x2);
    put_attr(g->b, "y2", y2);
    buf_printf(g->b, " stroke=\"%s\"", stroke);
    put_attr(g->b, "stroke-width", width);
    buf_puts(g->b, "/>\n");
}

static const char *series_name(const geom *g, size_t s)
{
    return g->d->name && g->d->name[s] ? g->d->name[s] : g->s->y[s] ? g->s->y[s] : "";
}

static const char *bar_fill(const geom *g, size_t s, size_t i)
{
    if (g->ny == 1)
        return is_highlight(g, i) ? ACCENT : palette[0];
    return palette[s % CHART_MAX_SERIES];
}

/***  Frame: title, legend, unit, text alternative  ***/

static void put_header(geom *g)
{
    buf *b = g->b;
    const char *id = g->o && g->o->id ? g->o->id : "chart";
    const char *title = g->s->title && *g->s->title ? g->s->title : "Biểu đồ";
    char num[64];

    buf_puts(b, "<svg xmlns=\"http://www.w3.org/2000/svg\"");
    put_attr(b, "width", g->W);
    put_attr(b, "height", g->H);
    buf_puts(b, " viewBox=\"0 0 ");
    put_num(b, g->W);
    buf_putc(b, ' ');
    put_num(b, g->H);
    buf_printf(b, "\" role=\"img\" aria-labelledby=\"%s-title %s-desc\" aria-label=\"", id, id);
    put_esc(b, title, strlen(title));
    buf_puts(b, "\" font-family=\"");
    {
        const char *ff = g->o && g->o->font_family ? g->o->font_family : "sans-serif";
        put_esc(b, ff, strlen(ff));
    }
    buf_puts(b, "\"");
    put_attr(b, "font-size", g->fs);
    buf_printf(b, " fill=\"%s\">\n<title id=\"%s-title\">", INK, id);
    put_esc(b, title, strlen(title));
    buf_printf(b, "</title>\n<desc id=\"%s-desc\">", id);
    for (size_t k = 0; k < g->n; k++) {
        size_t i = g->ord[k];
        const char *l = g->d->label[i] ? g->d->label[i] : "";

        if (k)
            buf_puts(b, "; ");
        put_esc(b, l, strlen(l));
        buf_puts(b, ":");
        for (size_t s = 0; s < g->ny; s++) {
            double v = val(g, s, i);

            if (g->ny > 1) {
                buf_puts(b, s ? ", " : " ");
                put_esc(b, series_name(g, s), strlen(series_name(g, s)));
            }
            buf_putc(b, ' ');
            if (isnan(v)) {
                buf_puts(b, "không có số liệu");
                continue;
            }
            chart_format(v, -1, num, sizeof num);
            buf_puts(b, num);
            if (g->s->unit && *g->s->unit) {
                buf_putc(b, ' ');
                put_esc(b, g->s->unit, strlen(g->s->unit));
            }
        }
    }
    buf_puts(b, "</desc>\n");
}

/* Title (wrapped on words), legend (rows of swatches), unit; sets g->top. With DRAW unset
 * only measures. */
static void put_frame(geom *g, int draw)
{
    float y = PAD, tsz = g->fs * 1.25f, maxw = g->W - 2 * PAD;
    const char *t = g->s->title;

    if (t && *t && !(g->o && g->o->title_outside)) {
        size_t n = strlen(t);

        while (n) {
            size_t len = 0, brk = 0;

            /* greedy: the longest prefix ending at a space that fits */
            while (len < n) {
                size_t e = len + 1;
                while (e < n && t[e] != ' ')
                    e++;
                if (brk && measure(g, t, e, tsz, 1) > maxw)
                    break;
                brk = len = e;
            }
            y += tsz * 1.2f;
            if (draw)
                put_text(g, g->W / 2, y, A_MIDDLE, tsz, 1, INK, t, len, 0);
            while (len < n && t[len] == ' ')
                len++;
            t += len;
            n -= len;
        }
        y += tsz * 0.4f;
    }
    if (g->ny > 1) {
        float x = PAD, row = g->fs * 1.5f;

        y += row;
        for (size_t s = 0; s < g->ny; s++) {
            label nm = { { series_name(g, s) }, { strlen(series_name(g, s)) }, { 0 }, 1 };
            float w;

            cut_line(g, &nm, 0, g->W - 2 * PAD - 14, 0); /* one name wider than the chart */
            w = 14 + label_w(g, &nm, 0);
            if (x > PAD && x + w > g->W - PAD)
                x = PAD, y += row;
            if (draw) {
                put_rect(g, "swatch", x, y - g->fs * 0.75f, 10, 10, palette[s]);
                put_text(g, x + 14, y, A_START, g->fs, 0, INK, nm.s[0], nm.n[0], nm.cut[0]);
            }
            x += w + 16;
        }
        y += g->fs * 0.5f;
    }
    if (g->s->unit && *g->s->unit) {
        y += g->fs * 1.3f;
        if (draw)
            put_text(g, PAD, y, A_START, g->fs * 0.9f, 0, MUTED, g->s->unit, strlen(g->s->unit), 0);
        y += g->fs * 0.3f;
    }
    g->top = y;
}

/***  Value scale  ***/

static void value_range(const geom *g, double *lo, double *hi)
{
    double a = INFINITY, b = -INFINITY;

    for (size_t i = 0; i < g->n; i++) {
        double pos = 0, neg = 0;
        for (size_t s = 0; s < g->ny; s++) {
            double v = val(g, s, i);

            if (isnan(v))
                continue;
            if (g->type == CHART_STACKED) {
                if (v >= 0)
                    pos += v;
                else
                    neg += v;
                continue;
            }
            if (v < a)
                a = v;
            if (v > b)
                b = v;
        }
        if (g->type == CHART_STACKED) {
            a = neg < a ? neg : a;
            b = pos > b ? pos : b;
        }
    }
    if (a > b) /* nothing to draw */
        a = 0, b = 1;
    if (g->type != CHART_LINE || (a > 0 && b - a > 0.5 * b))
        a = a > 0 ? 0 : a;
    if (g->type != CHART_LINE || (b < 0 && b - a > -0.5 * a))
        b = b < 0 ? 0 : b;
    *lo = a;
    *hi = b;
}

static void set_ticks(geom *g, int target)
{
    double lo, hi;

    value_range(g, &lo, &hi);
    chart_ticks(lo, hi, target, &g->t0, &g->step, &g->nt);
    g->lo = g->t0;
    g->hi = g->t0 + (g->nt - 1) * g->step;
    g->dec = g->step >= 1 ? 0 : (int)ceil(-log10(g->step) - 1e-9);
}

static float tick_label(const geom *g, int k, char *out, size_t cap)
{
    double v = g->t0 + k * g->step;

    if (fabs(v) < g->step * 1e-6)
        v = 0;
    chart_format(v, g->dec, out, cap);
    return measure(g, out, strlen(out), g->fs, 0);
}

static float max_tick_w(const geom *g)
{
    char t[64];
    float m = 0;

    for (int k = 0; k < g->nt; k++) {
        float w = tick_label(g, k, t, sizeof t);
        m = w > m ? w : m;
    }
    return m;
}

/* Value → px along the value axis. */
static float vy(const geom *g, double v)
{
    return (float)(g->py1 - (v - g->lo) / (g->hi - g->lo) * (g->py1 - g->py0));
}

static float vx(const geom *g, double v)
{
    return (float)(g->px0 + (v - g->lo) / (g->hi - g->lo) * (g->px1 - g->px0));
}

/* The fewest decimals (up to 2) that show V exactly. */
static int auto_decimals(double v)
{
    for (int d = 0; d < 2; d++) {
        double p = pow(10.0, d);
        if (fabs(fabs(v) * p - llround(fabs(v) * p)) < 1e-6 * (fabs(v) * p + 1))
            return d;
    }
    return 2;
}

/* Decimals for value labels: the most any value needs, so one chart reads alike. */
static int value_decimals(const geom *g)
{
    int dec = 0;

    for (size_t s = 0; s < g->ny; s++)
        for (size_t i = 0; i < g->n; i++) {
            double v = val(g, s, i);
            if (!isnan(v) && auto_decimals(v) > dec)
                dec = auto_decimals(v);
        }
    return dec;
}

/***  Vertical charts: bar, grouped, stacked, line  ***/

/* Rotated labels show every k-th; the highlighted one always, its near neighbours not. */
static int label_shown(const geom *g, size_t k)
{
    if (g->every <= 1)
        return 1;
    for (size_t j = k >= g->every ? k - g->every + 1 : 0; j < g->n && j < k + g->every; j++)
        if (is_highlight(g, g->ord[j]))
            return j == k;
    return k % g->every == 0;
}

/* Decides how category labels fit a band of BW px; returns the px they need below the axis. */
static float fit_x_labels(geom *g, float bw)
{
    float maxw = 0, lh = g->fs * 1.15f;

    reset_labels(g);
    for (size_t i = 0; i < g->n; i++) {
        float w = label_w(g, &g->lab[i], is_highlight(g, i));
        maxw = w > maxw ? w : maxw;
    }
    g->every = 1;
    if (maxw <= bw - 4) {
        g->mode = LAB_FLAT;
        return g->fs + TICK_GAP + g->fs * DESCENT;
    }
    {
        int ok = 1;

        for (size_t i = 0; i < g->n && ok; i++) {
            label *l = &g->lab[i];
            int bold = is_highlight(g, i);

            if (label_w(g, l, bold) > bw - 4 && (!split_label(l) || label_w(g, l, bold) > bw - 4))
                ok = 0;
        }
        if (ok) {
            g->mode = LAB_WRAP;
            return g->fs + lh + TICK_GAP + g->fs * DESCENT;
        }
    }
    /* rotated 45°: parallel strips k·bw apart horizontally, k·bw·sin45 apart across */
    reset_labels(g);
    g->mode = LAB_ROT;
    g->every = (size_t)ceilf(g->fs * (ASCENT + DESCENT + 0.1f) / (bw * ROT_SIN));
    if (g->every < 1)
        g->every = 1;
    {
        float cap = g->H * 0.3f / ROT_SIN, need = 0;

        for (size_t k = 0; k < g->n; k++) {
            float cx = g->px0 + ((float)k + 0.5f) * bw;
            /* the label runs down-left from its band centre; keep it inside the chart */
            float lim = (cx - PAD) / ROT_SIN;
            label *l = &g->lab[g->ord[k]];
            int bold = is_highlight(g, g->ord[k]);

            if (!label_shown(g, k))
                continue;
            cut_line(g, l, 0, lim < cap ? lim : cap, bold);
            if (label_w(g, l, bold) > need)
                need = label_w(g, l, bold);
        }
        return g->fs * (ASCENT + 0.9f) + 4 + need * ROT_SIN + g->fs * DESCENT;
    }
}

static int layout_vertical(geom *g, int target)
{
    float bottom, bw, tw;

    set_ticks(g, target);
    tw = max_tick_w(g);
    g->px0 = PAD + tw + TICK_GAP;
    g->px1 = g->W - PAD - 4;
    bw = (g->px1 - g->px0) / (float)(g->n ? g->n : 1);
    bottom = fit_x_labels(g, bw);
    /* headroom above the plot for a value label over the tallest bar */
    g->py0 = g->top + g->fs * (g->type == CHART_LINE ? 0.6f : 1.3f);
    g->py1 = g->H - PAD - bottom;
    if (g->py1 - g->py0 < 60) { /* too short: the chart grows */
        g->H += 60 - (g->py1 - g->py0);
        g->py1 = g->H - PAD - bottom;
    }
    /* tick labels need 1.4 em each; else fewer ticks */
    return g->nt < 2 || (g->py1 - g->py0) / (float)(g->nt - 1) >= g->fs * 1.4f;
}

static void put_value_axis_v(geom *g)
{
    char t[64];

    buf_puts(g->b, "<g class=\"grid\">\n");
    for (int k = 0; k < g->nt; k++) {
        double v = g->t0 + k * g->step;
        float y = vy(g, v);

        tick_label(g, k, t, sizeof t);
        buf_puts(g->b, "<line");
        put_attr(g->b, "x1", g->px0);
        put_attr(g->b, "y1", y);
        put_attr(g->b, "x2", g->px1);
        put_attr(g->b, "y2", y);
        buf_printf(g->b, " stroke=\"%s\" stroke-width=\"1\" data-tick=\"%.17g\"/>\n", GRID, v);
        put_text(g, g->px0 - TICK_GAP, y + g->fs * 0.35f, A_END, g->fs, 0, MUTED, t, strlen(t), 0);
    }
    buf_puts(g->b, "</g>\n");
}

static void put_x_labels(geom *g, float bw)
{
    buf_puts(g->b, "<g class=\"labels\">\n");
    for (size_t k = 0; k < g->n; k++) {
        size_t i = g->ord[k];
        label *l = &g->lab[i];
        float cx = g->px0 + ((float)k + 0.5f) * bw, y = g->py1 + TICK_GAP + g->fs * ASCENT;
        int bold = is_highlight(g, i);

        if (!label_shown(g, k))
            continue;
        if (g->mode == LAB_ROT) {
            buf_puts(g->b, "<g transform=\"translate(");
            put_num(g->b, cx);
            buf_putc(g->b, ' ');
            put_num(g->b, g->py1 + g->fs * (ASCENT + 0.9f) + 4);
            buf_puts(g->b, ") rotate(-45)\">");
            put_text(g, 0, 0, A_END, g->fs, bold, INK, l->s[0], l->n[0], l->cut[0]);
            buf_puts(g->b, "</g>\n");
            continue;
        }
        for (int j = 0; j < l->lines; j++)
            put_text(g, cx, y + (float)j * g->fs * 1.15f, A_MIDDLE, g->fs, bold, INK, l->s[j],
                     l->n[j], l->cut[j]);
    }
    buf_puts(g->b, "</g>\n");
}

/* A value label for a vertical bar from Y0 (zero) to Y1 (value end), centred at CX in a
 * space WMAX wide: above a positive bar (or inside it when there is no room), below a
 * negative one; none when it fits nowhere. */
static void put_vlabel(geom *g, float cx, float wmax, float y0, float y1, double v, int dec,
                       const char *fill_inside)
{
    char t[64];
    float w, h = fabsf(y1 - y0), asc = g->fs * ASCENT, dsc = g->fs * DESCENT;

    chart_format(v, dec, t, sizeof t);
    w = measure(g, t, strlen(t), g->fs, 0);
    if (w > wmax)
        return;
    if (v >= 0) {
        if (y1 - 3 - asc >= g->top)
            put_text(g, cx, y1 - 3 - dsc, A_MIDDLE, g->fs, 0, INK, t, strlen(t), 0);
        else if (h >= asc + dsc + 4)
            put_text(g, cx, y1 + 2 + asc, A_MIDDLE, g->fs, 0, fill_inside, t, strlen(t), 0);
    } else {
        if (y1 + 3 + asc + dsc <= g->py1)
            put_text(g, cx, y1 + 3 + asc, A_MIDDLE, g->fs, 0, INK, t, strlen(t), 0);
        else if (h >= asc + dsc + 4)
            put_text(g, cx, y1 - 2 - dsc, A_MIDDLE, g->fs, 0, fill_inside, t, strlen(t), 0);
    }
}

static void put_band(geom *g, size_t k, float bw)
{
    if (g->ny > 1 && is_highlight(g, g->ord[k]))
        put_rect(g, "highlight", g->px0 + (float)k * bw, g->py0, bw, g->py1 - g->py0, BAND);
}

static void put_bars_v(geom *g, float bw)
{
    int dec = value_decimals(g);
    float y0 = vy(g, 0 < g->lo ? g->lo : 0 > g->hi ? g->hi : 0);
    size_t ny = g->ny;
    float gw = bw * (ny > 1 ? 0.8f : 0.7f), sub = gw / (float)ny;

    buf_puts(g->b, "<g class=\"bars\">\n");
    for (size_t k = 0; k < g->n; k++) {
        size_t i = g->ord[k];
        float x = g->px0 + (float)k * bw + (bw - gw) / 2;

        put_band(g, k, bw);
        for (size_t s = 0; s < ny; s++) {
            double v = val(g, s, i);
            float y1;

            if (isnan(v))
                continue;
            y1 = vy(g, v);
            put_mark(g, "bar", s, i, x + (float)s * sub, y1 < y0 ? y1 : y0, sub, fabsf(y0 - y1),
                    bar_fill(g, s, i));
        }
    }
    for (size_t k = 0; k < g->n; k++) {
        size_t i = g->ord[k];
        float x = g->px0 + (float)k * bw + (bw - gw) / 2;

        for (size_t s = 0; s < ny; s++) {
            double v = val(g, s, i);

            if (!isnan(v))
                put_vlabel(g, x + ((float)s + 0.5f) * sub, ny > 1 ? sub - 2 : bw - 4, y0, vy(g, v),
                           v, dec, "#ffffff");
        }
    }
    buf_puts(g->b, "</g>\n");
}

static void put_stacked(geom *g, float bw)
{
    int dec = value_decimals(g);
    float gw = bw * 0.7f;

    buf_puts(g->b, "<g class=\"bars\">\n");
    for (size_t k = 0; k < g->n; k++) {
        size_t i = g->ord[k];
        float x = g->px0 + (float)k * bw + (bw - gw) / 2;
        double pos = 0, neg = 0;
        int any = 0;

        put_band(g, k, bw);
        for (size_t s = 0; s < g->ny; s++) {
            double v = val(g, s, i), from;
            float ya, yb;

            if (isnan(v))
                continue;
            any = 1;
            from = v >= 0 ? pos : neg;
            if (v >= 0)
                pos += v;
            else
                neg += v;
            ya = vy(g, from);
            yb = vy(g, from + v);
            put_mark(g, "bar", s, i, x, ya < yb ? ya : yb, gw, fabsf(ya - yb), bar_fill(g, s, i));
        }
        if (any && g->ny > 1) /* the total over the stack */
            put_vlabel(g, x + gw / 2, bw - 4, vy(g, 0), vy(g, pos), pos, dec, "#ffffff");
        else if (any)
            put_vlabel(g, x + gw / 2, bw - 4, vy(g, 0), vy(g, pos + neg), pos + neg, dec,
                       "#ffffff");
    }
    buf_puts(g->b, "</g>\n");
}

static void put_lines(geom *g, float bw)
{
    float m = 2.5f; /* half a marker */

    buf_puts(g->b, "<g class=\"lines\">\n");
    for (size_t k = 0; k < g->n; k++)
        put_band(g, k, bw);
    for (size_t s = 0; s < g->ny; s++) {
        const char *c = palette[s % CHART_MAX_SERIES];
        size_t k = 0;

        while (k < g->n) {
            size_t e;

            while (k < g->n && isnan(val(g, s, g->ord[k])))
                k++;
            for (e = k; e < g->n && !isnan(val(g, s, g->ord[e])); e++)
                ;
            if (e - k >= 2) {
                buf_printf(g->b, "<polyline class=\"line\" data-series=\"%zu\" fill=\"none\" "
                                 "stroke=\"%s\" stroke-width=\"2\" points=\"", s, c);
                for (size_t j = k; j < e; j++) {
                    if (j > k)
                        buf_putc(g->b, ' ');
                    put_num(g->b, g->px0 + ((float)j + 0.5f) * bw);
                    buf_putc(g->b, ',');
                    put_num(g->b, vy(g, val(g, s, g->ord[j])));
                }
                buf_puts(g->b, "\"/>\n");
            }
            for (size_t j = k; j < e; j++) {
                size_t i = g->ord[j];
                float cx = g->px0 + ((float)j + 0.5f) * bw, cy = vy(g, val(g, s, i));

                put_mark(g, "point", s, i, cx - m, cy - m, 2 * m, 2 * m,
                        g->ny == 1 && is_highlight(g, i) ? ACCENT : c);
            }
            k = e;
        }
    }
    buf_puts(g->b, "</g>\n");
}

static void draw_vertical(geom *g)
{
    int target = (int)((g->H - g->top - 3.5f * g->fs) / 50.0f);
    float bw;

    if (target > 10)
        target = 10;
    while (!layout_vertical(g, target) && target > 2)
        target--;
    bw = (g->px1 - g->px0) / (float)(g->n ? g->n : 1);
    put_header(g);
    put_frame(g, 1);
    put_value_axis_v(g);
    if (g->type == CHART_LINE)
        put_lines(g, bw);
    else if (g->type == CHART_STACKED)
        put_stacked(g, bw);
    else
        put_bars_v(g, bw);
    {
        float y0 = vy(g, 0 < g->lo ? g->lo : 0 > g->hi ? g->hi : 0);
        put_line(g, g->px0, y0, g->px1, y0, AXIS, 1);
    }
    put_x_labels(g, bw);
}

/***  Horizontal bars  ***/

static void draw_horizontal(geom *g)
{
    float lcap = g->W * 0.35f, lw = 0, rowh = g->fs * 1.6f, right = 0, bottom, barh, sub;
    int dec = value_decimals(g), target, two = 0;
    char t[64];

    if (rowh < 16)
        rowh = 16;
    reset_labels(g);
    for (size_t i = 0; i < g->n; i++) {
        label *l = &g->lab[i];
        int bold = is_highlight(g, i);

        if (label_w(g, l, bold) > lcap && split_label(l))
            two = 1;
        for (int j = 0; j < l->lines; j++)
            cut_line(g, l, j, lcap, bold);
        if (label_w(g, l, bold) > lw)
            lw = label_w(g, l, bold);
    }
    if (two)
        rowh = g->fs * 2.5f > rowh ? g->fs * 2.5f : rowh;
    for (size_t s = 0; s < g->ny; s++)
        for (size_t i = 0; i < g->n; i++) {
            double v = val(g, s, i);
            float w;

            if (isnan(v))
                continue;
            chart_format(v, dec, t, sizeof t);
            w = measure(g, t, strlen(t), g->fs, 0);
            right = w > right ? w : right;
        }
    if (right > g->W * 0.2f)
        right = g->W * 0.2f;
    g->px0 = PAD + lw + TICK_GAP;
    g->px1 = g->W - PAD - right - 4;
    if (g->px1 - g->px0 < 40)
        g->px1 = g->px0 + 40, g->W = g->px1 + right + 4 + PAD;
    bottom = TICK_GAP + g->fs * (ASCENT + DESCENT) + 2;
    g->py0 = g->top + 4;
    if (g->s->height > 0 && (g->s->height - g->py0 - bottom - PAD) / (float)g->n > rowh)
        rowh = (g->s->height - g->py0 - bottom - PAD) / (float)(g->n ? g->n : 1);
    g->py1 = g->py0 + rowh * (float)g->n;
    g->H = g->py1 + bottom + PAD;
    /* ticks: as many as fit side by side with a gap */
    for (target = (int)((g->px1 - g->px0) / 60.0f); ; target--) {
        set_ticks(g, target < 2 ? 2 : target);
        if (target <= 2 || g->nt < 2 ||
            max_tick_w(g) + 8 <= (g->px1 - g->px0) / (float)(g->nt - 1))
            break;
    }
    put_header(g);
    put_frame(g, 1);
    buf_puts(g->b, "<g class=\"grid\">\n");
    for (int k = 0; k < g->nt; k++) {
        double v = g->t0 + k * g->step;
        float x = vx(g, v);

        tick_label(g, k, t, sizeof t);
        buf_puts(g->b, "<line");
        put_attr(g->b, "x1", x);
        put_attr(g->b, "y1", g->py0);
        put_attr(g->b, "x2", x);
        put_attr(g->b, "y2", g->py1);
        buf_printf(g->b, " stroke=\"%s\" stroke-width=\"1\" data-tick=\"%.17g\"/>\n", GRID, v);
        put_text(g, x, g->py1 + TICK_GAP + g->fs * ASCENT, A_MIDDLE, g->fs, 0, MUTED, t,
                 strlen(t), 0);
    }
    buf_puts(g->b, "</g>\n<g class=\"bars\">\n");
    barh = rowh * (g->ny > 1 ? 0.8f : 0.7f);
    sub = barh / (float)g->ny;
    {
        float x0 = vx(g, 0 < g->lo ? g->lo : 0 > g->hi ? g->hi : 0);

        for (size_t k = 0; k < g->n; k++) {
            size_t i = g->ord[k];
            float ytop = g->py0 + (float)k * rowh, yb = ytop + (rowh - barh) / 2;

            if (g->ny > 1 && is_highlight(g, i))
                put_rect(g, "highlight", g->px0, ytop, g->px1 - g->px0, rowh, BAND);
            for (size_t s = 0; s < g->ny; s++) {
                double v = val(g, s, i);
                float x1, w, cy = yb + ((float)s + 0.5f) * sub + g->fs * 0.35f;

                if (isnan(v))
                    continue;
                x1 = vx(g, v);
                put_mark(g, "bar", s, i, x1 < x0 ? x1 : x0, yb + (float)s * sub, fabsf(x1 - x0), sub,
                        bar_fill(g, s, i));
                if (sub < g->fs * (ASCENT + DESCENT))
                    continue; /* a label would overlap the next sub-bar's */
                chart_format(v, dec, t, sizeof t);
                w = measure(g, t, strlen(t), g->fs, 0);
                if (v >= 0 && x1 + 4 + w <= g->W - PAD)
                    put_text(g, x1 + 4, cy, A_START, g->fs, 0, INK, t, strlen(t), 0);
                else if (v < 0 && x1 - 4 - w >= g->px0)
                    put_text(g, x1 - 4, cy, A_END, g->fs, 0, INK, t, strlen(t), 0);
                else if (w + 6 <= fabsf(x1 - x0))
                    put_text(g, v >= 0 ? x1 - 3 : x1 + 3, cy, v >= 0 ? A_END : A_START, g->fs, 0,
                             "#ffffff", t, strlen(t), 0);
            }
        }
        put_line(g, x0, g->py0, x0, g->py1, AXIS, 1);
    }
    buf_puts(g->b, "</g>\n<g class=\"labels\">\n");
    for (size_t k = 0; k < g->n; k++) {
        size_t i = g->ord[k];
        label *l = &g->lab[i];
        float cy = g->py0 + ((float)k + 0.5f) * rowh + g->fs * 0.35f;

        if (l->lines == 2)
            cy -= g->fs * 0.575f;
        for (int j = 0; j < l->lines; j++)
            put_text(g, g->px0 - TICK_GAP, cy + (float)j * g->fs * 1.15f, A_END, g->fs,
                     is_highlight(g, i), INK, l->s[j], l->n[j], l->cut[j]);
    }
    buf_puts(g->b, "</g>\n");
}

/***  Entry  ***/

typedef struct sort_key {
    const geom *g;
    int col; /* -1 the label, else a series */
    int desc;
} sort_key;

static int cmp_order(const void *pa, const void *pb, void *self)
{
    const sort_key *k = self;
    size_t a = *(const size_t *)pa, b = *(const size_t *)pb;
    int c;

    if (k->col < 0) {
        const char *la = k->g->d->label[a] ? k->g->d->label[a] : "";
        const char *lb = k->g->d->label[b] ? k->g->d->label[b] : "";
        c = strcmp(la, lb);
    } else {
        double va = val(k->g, (size_t)k->col, a), vb = val(k->g, (size_t)k->col, b);

        if (isnan(va) || isnan(vb)) /* missing values last, whichever the direction */
            return isnan(va) && isnan(vb) ? (a > b) - (a < b) : isnan(va) ? 1 : -1;
        c = (va > vb) - (va < vb);
    }
    if (k->desc)
        c = -c;
    return c ? c : (a > b) - (a < b); /* stable */
}

static void order(geom *g, diag *d)
{
    const char *k = g->s->sort;
    sort_key key = { g, -2, 0 };

    for (size_t i = 0; i < g->n; i++)
        g->ord[i] = i;
    if (!k || !*k)
        return;
    key.desc = *k == '-';
    k += *k == '-' || *k == '+';
    if (g->s->x && strcmp(k, g->s->x) == 0)
        key.col = -1;
    for (size_t s = 0; s < g->ny; s++)
        if (g->s->y[s] && strcmp(k, g->s->y[s]) == 0)
            key.col = (int)s;
    if (key.col == -2) {
        diag_warning(d, g->s->file, g->s->line, g->s->col,
                     "chart sorts by '%s', which is neither x nor y; kept in data order", k);
        return;
    }
    qsort_r(g->ord, g->n, sizeof *g->ord, cmp_order, &key);
}

int chart_svg(const chart_spec *spec, const chart_series *data, const chart_opts *o, buf *out,
              diag *d)
{
    geom g = { 0 };
    int rc = -1;

    if (spec->ny == 0 || spec->ny > CHART_MAX_SERIES) {
        diag_error(d, spec->file, spec->line, spec->col, "chart has no series to draw");
        return -1;
    }
    if (data->n > 0 && (!data->label || !data->value)) {
        diag_error(d, spec->file, spec->line, spec->col, "chart data has no labels or values");
        return -1;
    }
    for (size_t s = 0; data->n > 0 && s < spec->ny; s++)
        if (!data->value[s]) {
            diag_error(d, spec->file, spec->line, spec->col, "chart data lacks series '%s'",
                       spec->y[s] ? spec->y[s] : "?");
            return -1;
        }
    if (data->n > CHART_MAX_CATEGORIES) {
        diag_error(d, spec->file, spec->line, spec->col, "chart has %zu categories (at most %d)",
                   data->n, CHART_MAX_CATEGORIES);
        return -1;
    }
    g.s = spec;
    g.d = data;
    g.o = o;
    g.b = out;
    g.n = data->n;
    g.ny = spec->ny;
    g.type = spec->type;
    if (g.type == CHART_BAR && g.ny > 1)
        g.type = CHART_GROUPED;
    if ((g.type == CHART_BAR || g.type == CHART_GROUPED) && g.n * g.ny > CHART_HBAR_AUTO)
        g.type = CHART_HBAR;
    g.fs = o && o->font_size > 0 ? o->font_size : 12;
    g.W = spec->width > 0 ? spec->width : 640;
    g.H = spec->height > 0 ? spec->height : 360;
    g.ord = xcalloc(g.n + 1, sizeof *g.ord);
    g.lab = xcalloc(g.n + 1, sizeof *g.lab);
    g.ell_w = measure(&g, "\xE2\x80\xA6", 3, g.fs, 0);
    for (size_t s = 0; s < g.ny; s++)
        for (size_t i = 0; i < g.n; i++)
            if (fabs(data->value[s][i]) > 1e15 && isfinite(data->value[s][i])) {
                diag_error(d, spec->file, spec->line, spec->col,
                           "chart value %g is out of range", data->value[s][i]);
                goto out;
            }
    order(&g, d);
    put_frame(&g, 0);
    if (g.type == CHART_HBAR)
        draw_horizontal(&g);
    else
        draw_vertical(&g);
    buf_puts(out, "</svg>\n");
    rc = 0;
out:
    free(g.ord);
    free(g.lab);
    return rc;
}
