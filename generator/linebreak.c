/*
** Line breaking: Knuth–Plass (Knuth & Plass, "Breaking paragraphs into lines", 1981) and
** first fit.
**
** Knuth–Plass keeps a list of active breakpoints (where a line may start). At each legal
** breakpoint B every active node A is tried as the start of a line ending at B: its adjustment
** ratio r gives the badness 100|r|^3; demerits are (line_penalty + badness)^2 plus the
** penalty's square, plus extra demerits for flagged pairs and fitness-class jumps. For each
** fitness class (and line-width class, when the first lines differ in width) the best
** predecessor is kept, and a node is added for each class whose total is within the
** fitness demerits of the best (others can never win). A node leaves the list once its line
** would be overfull (r < -1), so the list holds only the breakpoints within one line width:
** the run is linear in the paragraph length in practice.
**
** With no tolerance (the default) every line that is not overfull is feasible, so the result
** is optimal over every breaking without overfull lines, greedy's included. If every active
** node is dropped at once (a box wider than the line), the latest one is kept as the start of
** an overfull line ("rescue") so that breaking always finishes.
*/
#include "linebreak.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <utf8proc.h>

#include "xalloc.h"

typedef struct node {
    size_t pos;   /* the break item; (size_t)-1 for the paragraph start */
    size_t start; /* first item of the line after this break */
    size_t line;  /* lines before this break */
    int fitness;
    int flagged;
    double total; /* total demerits up to here */
    size_t prev;  /* index of the previous node, or (size_t)-1 */
    float ratio;  /* of the line ending here */
    int overfull;
} node;

#define NONE ((size_t)-1)
#define NO_STRETCH 1e-3 /* points: the stretch of a line without glue */

struct linebreaker {
    double *sw, *sy, *sz; /* prefix sums of width, stretch, shrink */
    size_t sums_cap;
    node *node;
    size_t nnode, node_cap;
    size_t *active;
    size_t nactive, active_cap;
    /* best candidates per (width class, fitness) */
    double *bd;
    size_t *bn;
    float *br;
    size_t best_cap;
    lb_line *line;
    size_t line_cap;
};

linebreaker *linebreak_new(void)
{
    return xcalloc(1, sizeof(linebreaker));
}

void linebreak_free(linebreaker *lb)
{
    if (!lb)
        return;
    free(lb->sw);
    free(lb->sy);
    free(lb->sz);
    free(lb->node);
    free(lb->active);
    free(lb->bd);
    free(lb->bn);
    free(lb->br);
    free(lb->line);
    free(lb);
}

/*** Helpers ***/

static void prepare_sums(linebreaker *lb, const lb_item *it, size_t n)
{
    if (n + 1 > lb->sums_cap) {
        lb->sums_cap = (n + 1) * 2;
        lb->sw = xrealloc(lb->sw, lb->sums_cap * sizeof *lb->sw);
        lb->sy = xrealloc(lb->sy, lb->sums_cap * sizeof *lb->sy);
        lb->sz = xrealloc(lb->sz, lb->sums_cap * sizeof *lb->sz);
    }
    lb->sw[0] = lb->sy[0] = lb->sz[0] = 0;
    for (size_t i = 0; i < n; i++) {
        double w = it[i].kind == LB_PENALTY ? 0 : it[i].width;
        double y = it[i].kind == LB_GLUE ? it[i].stretch : 0;
        double z = it[i].kind == LB_GLUE ? it[i].shrink : 0;
        lb->sw[i + 1] = lb->sw[i] + w;
        lb->sy[i + 1] = lb->sy[i] + y;
        lb->sz[i + 1] = lb->sz[i] + z;
    }
}

static int is_forced(const lb_item *it)
{
    return it->kind == LB_PENALTY && it->penalty <= -LINEBREAK_INF;
}

/* A break is legal at glue preceded by a box, and at a penalty that is not infinite. */
static int is_legal(const lb_item *it, size_t n, size_t b)
{
    if (it[b].kind == LB_GLUE)
        return b > 0 && it[b - 1].kind == LB_BOX;
    if (it[b].kind == LB_PENALTY)
        return it[b].penalty < LINEBREAK_INF;
    (void)n;
    return 0;
}

/* The first item of a line after a break at B: glue and penalties after a break vanish,
 * up to the next box or forced break. */
static size_t line_start(const lb_item *it, size_t n, size_t b)
{
    size_t s = b == NONE ? 0 : b + 1;

    if (b == NONE)
        return 0;
    while (s < n && it[s].kind != LB_BOX && !is_forced(&it[s]))
        s++;
    return s;
}

static float width_of_line(const float *widths, size_t nwidths, size_t line)
{
    float w = widths[line < nwidths ? line : nwidths - 1];
    return w > 0 ? w : 0;
}

/* Natural width of the line [S, B) ending with a break at B. */
static double natural(const linebreaker *lb, const lb_item *it, size_t s, size_t b)
{
    double l = lb->sw[b] - lb->sw[s];

    if (it[b].kind == LB_PENALTY)
        l += it[b].width;
    return l;
}

static float ratio_of(const linebreaker *lb, const lb_item *it, size_t s, size_t b, float w)
{
    double l = natural(lb, it, s, b);

    if (s > b)
        return 0;
    if (l < w) {
        /* no stretch at all (a word split between characters): a large finite ratio that
         * still grows with the shortfall, so fuller lines win */
        double y = lb->sy[b] - lb->sy[s];
        return (float)((w - l) / (y > 0 ? y : NO_STRETCH));
    }
    if (l > w) {
        double z = lb->sz[b] - lb->sz[s];
        return z > 0 ? (float)((w - l) / z) : -INFINITY;
    }
    return 0;
}

static int fitness_of(float r)
{
    if (r < -0.5f)
        return 0; /* tight */
    if (r <= 0.5f)
        return 1; /* decent */
    if (r <= 1.0f)
        return 2; /* loose */
    return 3;     /* very loose */
}

/* Demerits of a line at ratio R ending at ITEM after a line of class PREV_FIT (flagged
 * PREV_FLAG). */
static double demerits_of(float r, const lb_item *item, int prev_fit, int prev_flag,
                          const linebreak_opts *o)
{
    double bad = 100.0 * fabs((double)r * r * r); /* up to ~1e26: doubles hold it */
    double d = (o->line_penalty + bad) * (o->line_penalty + bad);
    int flag = item->kind == LB_PENALTY && item->flagged;

    if (item->kind == LB_PENALTY) {
        double p = item->penalty;
        if (p >= 0)
            d += p * p;
        else if (p > -LINEBREAK_INF)
            d -= p * p;
    }
    if (flag && prev_flag)
        d += o->flagged_demerits;
    if (abs(fitness_of(r) - prev_fit) > 1)
        d += o->fitness_demerits;
    return d;
}

static size_t add_node(linebreaker *lb, size_t pos, size_t start, size_t line, int fit,
                       int flagged, double total, size_t prev, float r, int overfull)
{
    node *nd;

    if (lb->nnode == lb->node_cap) {
        lb->node_cap = lb->node_cap ? lb->node_cap * 2 : 256;
        lb->node = xrealloc(lb->node, lb->node_cap * sizeof *lb->node);
    }
    nd = &lb->node[lb->nnode];
    *nd = (node){ pos, start, line, fit, flagged, total, prev, r, overfull };
    return lb->nnode++;
}

static void activate(linebreaker *lb, size_t k)
{
    if (lb->nactive == lb->active_cap) {
        lb->active_cap = lb->active_cap ? lb->active_cap * 2 : 64;
        lb->active = xrealloc(lb->active, lb->active_cap * sizeof *lb->active);
    }
    lb->active[lb->nactive++] = k;
}

static void reserve_lines(linebreaker *lb, size_t n)
{
    if (n > lb->line_cap) {
        lb->line_cap = n * 2;
        lb->line = xrealloc(lb->line, lb->line_cap * sizeof *lb->line);
    }
}

/* Follows the chain back from node K and writes the lines in order. */
static void collect(linebreaker *lb, const lb_item *it, size_t n, size_t k, lb_result *out)
{
    size_t count = 0;

    for (size_t j = k; lb->node[j].prev != NONE; j = lb->node[j].prev)
        count++;
    reserve_lines(lb, count + 1);
    out->line = lb->line;
    out->nlines = count;
    out->demerits = lb->node[k].total;
    for (size_t j = k, i = count; lb->node[j].prev != NONE; j = lb->node[j].prev) {
        const node *nd = &lb->node[j], *pv = &lb->node[nd->prev];
        lb_line *ln = &lb->line[--i];
        ln->start = pv->start;
        ln->end = nd->pos;
        ln->ratio = nd->ratio;
        ln->overfull = nd->overfull;
        ln->natural = nd->pos < n ? (float)natural(lb, it, pv->start, nd->pos) : 0;
    }
}

/*** Knuth–Plass ***/

/* Node K breaks later than node J (or at the same place with fewer demerits). */
static int later(const linebreaker *lb, size_t k, size_t j)
{
    size_t pk = lb->node[k].pos == NONE ? 0 : lb->node[k].pos + 1;
    size_t pj = lb->node[j].pos == NONE ? 0 : lb->node[j].pos + 1;

    return pk > pj || (pk == pj && lb->node[k].total < lb->node[j].total);
}

static void reset_best(linebreaker *lb, size_t nclass)
{
    if (nclass * 4 > lb->best_cap) {
        lb->best_cap = nclass * 4;
        lb->bd = xrealloc(lb->bd, lb->best_cap * sizeof *lb->bd);
        lb->bn = xrealloc(lb->bn, lb->best_cap * sizeof *lb->bn);
        lb->br = xrealloc(lb->br, lb->best_cap * sizeof *lb->br);
    }
    for (size_t i = 0; i < nclass * 4; i++)
        lb->bd[i] = INFINITY;
}

/* Adds the nodes for breakpoint B from the best candidates, class by class. */
static void add_candidates(linebreaker *lb, const lb_item *it, size_t n, size_t b,
                           size_t nclass, const linebreak_opts *o)
{
    size_t start = line_start(it, n, b);
    int flag = it[b].kind == LB_PENALTY && it[b].flagged;

    for (size_t lc = 0; lc < nclass; lc++) {
        double dmin = INFINITY;
        for (int c = 0; c < 4; c++)
            if (lb->bd[lc * 4 + c] < dmin)
                dmin = lb->bd[lc * 4 + c];
        if (dmin == INFINITY)
            continue;
        for (int c = 0; c < 4; c++) {
            size_t i = lc * 4 + c;
            if (lb->bd[i] <= dmin + o->fitness_demerits) {
                size_t k = add_node(lb, b, start, lb->node[lb->bn[i]].line + 1, c, flag,
                                    lb->bd[i], lb->bn[i], lb->br[i], 0);
                activate(lb, k);
            }
        }
    }
}

void linebreak_optimal(linebreaker *lb, const lb_item *it, size_t n, const float *widths,
                       size_t nwidths, const linebreak_opts *o, lb_result *out)
{
    linebreak_opts dflt = LINEBREAK_OPTS_DEFAULT;
    float tol;
    size_t nclass = nwidths ? nwidths : 1;
    float one = 0;

    if (!o)
        o = &dflt;
    if (!widths || nwidths == 0) {
        widths = &one;
        nwidths = 1;
    }
    tol = o->tolerance > 0 ? o->tolerance : INFINITY;
    memset(out, 0, sizeof *out);
    lb->nnode = lb->nactive = 0;
    prepare_sums(lb, it, n);
    activate(lb, add_node(lb, NONE, 0, 0, 1, 0, 0, NONE, 0, 0));
    for (size_t b = 0; b < n; b++) {
        size_t kept = 0, rescue = NONE;
        int any = 0, forced;

        if (!is_legal(it, n, b))
            continue;
        forced = is_forced(&it[b]);
        reset_best(lb, nclass);
        for (size_t i = 0; i < lb->nactive; i++) {
            size_t k = lb->active[i];
            const node *a = &lb->node[k];
            size_t lc = a->line < nclass - 1 ? a->line : nclass - 1;
            float r = ratio_of(lb, it, a->start, b, width_of_line(widths, nwidths, a->line));
            if (r < -1 || forced) {
                if (rescue == NONE || later(lb, k, rescue))
                    rescue = k;
            } else {
                lb->active[kept++] = k;
            }
            if (r >= -1 && r <= tol) {
                double d = a->total + demerits_of(r, &it[b], a->fitness, a->flagged, o);
                size_t j = lc * 4 + fitness_of(r);
                if (d < lb->bd[j]) {
                    lb->bd[j] = d;
                    lb->bn[j] = k;
                    lb->br[j] = r;
                    any = 1;
                }
            }
        }
        lb->nactive = kept;
        if (any) {
            add_candidates(lb, it, n, b, nclass, o);
        } else if (lb->nactive == 0 && rescue != NONE) {
            const node *a = &lb->node[rescue];
            float r = ratio_of(lb, it, a->start, b, width_of_line(widths, nwidths, a->line));
            double d = a->total + demerits_of(r < -1 ? -1 : r, &it[b], a->fitness, a->flagged, o);
            activate(lb, add_node(lb, b, line_start(it, n, b), a->line + 1, 1, 0, d, rescue, r,
                                  r < -1));
        }
    }
    /* The best node at the end of the paragraph (the last item is a forced break; without
     * one, the best active node of any position). */
    {
        size_t best = NONE;
        for (size_t i = 0; i < lb->nactive; i++) {
            size_t k = lb->active[i];
            if (best == NONE || later(lb, k, best))
                best = k;
        }
        if (best == NONE)
            return;
        collect(lb, it, n, best, out);
        /* Items after the last break (a paragraph without a final forced break) form one
         * more line. */
        if (lb->node[best].pos == NONE || lb->node[best].pos + 1 < n) {
            size_t s = lb->node[best].start;
            if (s < n) {
                lb_line *ln;
                reserve_lines(lb, out->nlines + 1);
                out->line = lb->line;
                ln = &lb->line[out->nlines++];
                ln->start = s;
                ln->end = n;
                ln->ratio = 0;
                ln->overfull = 0;
                ln->natural = (float)(lb->sw[n] - lb->sw[s]);
            }
        }
    }
}

/*** First fit ***/

void linebreak_greedy(linebreaker *lb, const lb_item *it, size_t n, const float *widths,
                      size_t nwidths, const linebreak_opts *o, lb_result *out)
{
    linebreak_opts dflt = LINEBREAK_OPTS_DEFAULT;
    size_t s = 0, last = NONE, nl = 0;
    int prev_fit = 1, prev_flag = 0;
    float one = 0;

    if (!o)
        o = &dflt;
    if (!widths || nwidths == 0) {
        widths = &one;
        nwidths = 1;
    }
    memset(out, 0, sizeof *out);
    prepare_sums(lb, it, n);
    for (size_t b = 0; b <= n; b++) {
        float w = width_of_line(widths, nwidths, nl), r;
        size_t brk;
        int over = 0;

        if (b < n && !is_legal(it, n, b))
            continue;
        if (b == n) {
            if (s >= n)
                break;
            r = 0;
            brk = n;
        } else {
            r = ratio_of(lb, it, s, b, w);
            if (r >= -1 && !is_forced(&it[b])) {
                last = b;
                continue;
            }
            if (r >= -1 || last == NONE) {
                brk = b; /* forced, or nothing fits: overfull */
                over = r < -1;
            } else {
                brk = last;
                r = ratio_of(lb, it, s, brk, w);
            }
        }
        reserve_lines(lb, nl + 1);
        lb->line[nl] = (lb_line){ s, brk, r, brk < n ? (float)natural(lb, it, s, brk)
                                                     : (float)(lb->sw[n] - lb->sw[s]), over };
        if (brk < n) {
            out->demerits += demerits_of(r < -1 ? -1 : r, &it[brk], prev_fit, prev_flag, o);
            prev_fit = fitness_of(r);
            prev_flag = it[brk].kind == LB_PENALTY && it[brk].flagged;
        }
        nl++;
        if (brk >= n)
            break;
        s = line_start(it, n, brk);
        last = NONE;
        b = brk; /* resume after the break */
        if (s >= n)
            break;
    }
    out->line = lb->line;
    out->nlines = nl;
}

/*** Grapheme clusters ***/

size_t linebreak_clusters(const char *s, size_t len, size_t *ends, size_t max)
{
    size_t i = 0, count = 0;
    utf8proc_int32_t prev = -1, state = 0;

    while (i < len) {
        utf8proc_int32_t cp;
        utf8proc_ssize_t k = utf8proc_iterate((const utf8proc_uint8_t *)s + i,
                                              (utf8proc_ssize_t)(len - i), &cp);
        if (k <= 0) { /* invalid byte: a cluster of its own */
            k = 1;
            cp = -1;
        }
        if (prev >= 0 && cp >= 0 && !utf8proc_grapheme_break_stateful(prev, cp, &state)) {
            if (count > 0)
                ends[count - 1] = i + (size_t)k;
        } else if (count < max) {
            ends[count++] = i + (size_t)k;
        } else {
            break;
        }
        prev = cp;
        i += (size_t)k;
    }
    return count;
}
