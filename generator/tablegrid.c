/*
** The table model: grid, column widths, collapsed borders (see tablegrid.h).
**
** Grid: HTML's "forming a table" in one pass over the rows. A column is busy in row R while
** `until[col] > R` (the row where a rowspan from above ends), so a cell starts at the first
** free slot after the previous cell; its colspan is cut where it would run into a busy slot
** (HTML calls that overlap a table model error and browsers draw cells over each other: we
** keep cells disjoint instead, which keeps every slot owned by one cell and the work linear).
** Rowspans stop at the end of their row group; rowspan=0 means "to the end of the group".
**
** Widths: CSS 2.1 §17.5.2.2 leaves automatic layout to browsers; this follows what they do
** (the de-facto algorithm of Gecko's BasicTableLayoutStrategy, simplified):
**   1. per column, min = widest minimum and max = widest maximum of its single-column cells
**      (content plus padding and borders); a cell's CSS width (pt) makes the column "fixed"
**      at max(width, min), a percentage makes it a "percent" column;
**   2. spanning cells, narrowest span first, spread what their min/max exceed the spanned
**      columns' sums over those columns, in proportion to the columns' max widths;
**   3. the table is its CSS width, else min(sum of max, available), never narrower than the
**      sum of mins unless that exceeds the available width, and never wider than that;
**   4. columns start at their min; the room left goes first to percent columns (up to their
**      percentage), then fixed ones (up to their width), then auto ones: those needing no
**      more than an equal share get their max (short cells do not wrap: a typesetter's choice,
**      not browsers'), the others share the rest in proportion to max − min; what is still left (a wide table of narrow content) goes to auto columns in
**      proportion to their max; when even the mins do not fit, columns shrink toward a hard
**      minimum (their extras) in proportion to what they have above it, and long words break.
*/
#include "tablegrid.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "xalloc.h"

#define MAX_LEN 1e5f /* lengths beyond a page of a page are clamped: sums stay finite */

/***  Helpers  ***/

static int is_named(const xmlNode *n, const char *name)
{
    return n->type == XML_ELEMENT_NODE && n->name && strcmp((const char *)n->name, name) == 0;
}

static const char *attr(const xmlNode *n, const char *name)
{
    for (const xmlAttr *a = n->properties; a; a = a->next)
        if (a->name && strcmp((const char *)a->name, name) == 0)
            return a->children && a->children->content ? (const char *)a->children->content
                                                        : "";
    return NULL;
}

/* A non-negative HTML integer attribute, DEF when absent or not a number. */
static long int_attr(const xmlNode *n, const char *name, long def)
{
    const char *s = attr(n, name);
    char *end;
    long v;

    if (!s)
        return def;
    v = strtol(s, &end, 10);
    if (end == s || v < 0)
        return def;
    return v;
}

static float clampf(float v, float lo, float hi)
{
    if (!(v >= lo))
        return lo;
    return v > hi ? hi : v;
}

static float resolve(length l, float base)
{
    if (l.unit == LEN_PT)
        return clampf(l.v, 0, MAX_LEN);
    if (l.unit == LEN_PCT)
        return clampf(l.v * base / 100, 0, MAX_LEN);
    return 0;
}

static float side_width(const style *st, int side)
{
    if (!st || st->border_style[side] == BORDER_NONE || st->border_color[side].a == 0)
        return 0;
    return clampf(st->border_width[side], 0, MAX_LEN);
}

static int is_hidden(const xmlNode *n)
{
    const style *st = style_of(n);
    return st && st->display == DISPLAY_NONE;
}

/***  Building the grid  ***/

typedef struct builder {
    tablegrid *tg;
    int *until; /* per column: the first row where the column is free again */
    int cols_cap;
    size_t row_cap, cell_cap;
} builder;

static void ensure_cols(builder *b, int n)
{
    if (n <= b->cols_cap)
        return;
    b->until = xrealloc(b->until, (size_t)n * sizeof *b->until);
    for (int i = b->cols_cap; i < n; i++)
        b->until[i] = 0;
    b->cols_cap = n;
}

static int is_row(const xmlNode *n)
{
    return is_named(n, "tr") && !is_hidden(n);
}

static int is_cell(const xmlNode *n)
{
    return (is_named(n, "td") || is_named(n, "th")) && !is_hidden(n);
}

/* Adds the cells of row element TR as row R (rows of its group end at GROUP_END). */
static void add_row(builder *b, const xmlNode *tr, const xmlNode *group, tg_group kind,
                    size_t group_end)
{
    tablegrid *tg = b->tg;
    tg_row *row;
    int col = 0, r;

    if (tg->nrows == b->row_cap) {
        b->row_cap = b->row_cap ? b->row_cap * 2 : 64;
        tg->row = xrealloc(tg->row, b->row_cap * sizeof *tg->row);
    }
    r = (int)tg->nrows;
    row = &tg->row[tg->nrows++];
    row->node = tr;
    row->st = style_of(tr);
    row->group_node = group;
    row->group_st = group ? style_of(group) : NULL;
    row->group = kind;
    row->first = tg->ncells;
    row->ncells = 0;
    for (const xmlNode *c = tr->children; c; c = c->next) {
        long cs, rs;
        int span;
        tg_cell *cell;
        if (!is_cell(c))
            continue;
        ensure_cols(b, col + 1);
        while (col < TABLEGRID_MAX_COLS && b->until[col] > r) {
            col++;
            ensure_cols(b, col + 1);
        }
        if (col >= TABLEGRID_MAX_COLS)
            break;
        cs = int_attr(c, "colspan", 1);
        if (cs < 1 || cs > TABLEGRID_MAX_COLSPAN)
            cs = 1;
        rs = int_attr(c, "rowspan", 1);
        if (rs == 0 || rs > (long)(group_end - (size_t)r))
            rs = (long)(group_end - (size_t)r);
        if (rs < 1)
            rs = 1;
        span = 0;
        while (span < cs && col + span < TABLEGRID_MAX_COLS) {
            ensure_cols(b, col + span + 1);
            if (b->until[col + span] > r)
                break; /* overlap: cut the span (see the file comment) */
            b->until[col + span] = r + (int)rs;
            span++;
        }
        if (tg->ncells == b->cell_cap) {
            b->cell_cap = b->cell_cap ? b->cell_cap * 2 : 256;
            tg->cell = xrealloc(tg->cell, b->cell_cap * sizeof *tg->cell);
        }
        cell = &tg->cell[tg->ncells++];
        memset(cell, 0, sizeof *cell);
        cell->node = c;
        cell->st = style_of(c);
        cell->row = r;
        cell->col = col;
        cell->colspan = span;
        cell->rowspan = (int)rs;
        row->ncells++;
        col += span;
        if (col > tg->ncols)
            tg->ncols = col;
    }
}

static size_t count_rows(const xmlNode *first, const xmlNode *group)
{
    size_t n = 0;

    if (group) {
        for (const xmlNode *c = group->children; c; c = c->next)
            n += is_row(c);
        return n;
    }
    for (const xmlNode *c = first; c && (is_row(c) || !c->name || c->type != XML_ELEMENT_NODE ||
                                         !(is_named(c, "thead") || is_named(c, "tbody") ||
                                           is_named(c, "tfoot")));
         c = c->next)
        n += is_row(c);
    return n;
}

/* Adds a group's rows: GROUP's tr children, or (GROUP NULL) the bare tr run from FIRST.
 * Returns the node after a bare run. */
static const xmlNode *add_group(builder *b, const xmlNode *first, const xmlNode *group,
                                tg_group kind)
{
    size_t end = b->tg->nrows + count_rows(first, group);
    const xmlNode *c = group ? group->children : first;

    for (; c; c = c->next) {
        if (!group && c->type == XML_ELEMENT_NODE &&
            (is_named(c, "thead") || is_named(c, "tbody") || is_named(c, "tfoot")))
            break;
        if (is_row(c))
            add_row(b, c, group, kind, end);
    }
    for (int i = 0; i < b->cols_cap; i++) /* rowspans end with their group */
        if (b->until[i] > (int)end)
            b->until[i] = (int)end;
    return c;
}

static void add_colspecs(tablegrid *tg)
{
    int col = 0, cap = 0;

    for (const xmlNode *g = tg->table->children; g; g = g->next) {
        int in_group = is_named(g, "colgroup");
        const xmlNode *first = in_group ? g->children : g;
        int any = 0;
        if (!in_group && !is_named(g, "col"))
            continue;
        for (const xmlNode *c = first; c; c = c->next) {
            long span;
            if (!is_named(c, "col")) {
                if (!in_group)
                    break;
                continue;
            }
            any = 1;
            span = int_attr(c, "span", 1);
            if (span < 1 || span > TABLEGRID_MAX_COLSPAN)
                span = 1;
            for (long k = 0; k < span && col < TABLEGRID_MAX_COLS; k++, col++) {
                if (col >= cap) {
                    cap = cap ? cap * 2 : 16;
                    tg->colspec = xrealloc(tg->colspec, (size_t)cap * sizeof *tg->colspec);
                }
                tg->colspec[col] = style_of(c) ? style_of(c)->width : (length){ 0, LEN_AUTO };
            }
            if (!in_group)
                break;
        }
        if (in_group && !any) { /* <colgroup span=N width=...> */
            long span = int_attr(g, "span", 1);
            if (span < 1 || span > TABLEGRID_MAX_COLSPAN)
                span = 1;
            for (long k = 0; k < span && col < TABLEGRID_MAX_COLS; k++, col++) {
                if (col >= cap) {
                    cap = cap ? cap * 2 : 16;
                    tg->colspec = xrealloc(tg->colspec, (size_t)cap * sizeof *tg->colspec);
                }
                tg->colspec[col] = style_of(g) ? style_of(g)->width : (length){ 0, LEN_AUTO };
            }
        }
    }
    if (col > tg->ncols)
        tg->ncols = col;
    /* pad to ncols (cells may define more columns than the col elements) */
    tg->colspec = xrealloc(tg->colspec, (size_t)(tg->ncols + 1) * sizeof *tg->colspec);
    for (int i = col; i < tg->ncols; i++)
        tg->colspec[i] = (length){ 0, LEN_AUTO };
}

tablegrid *tablegrid_build(const xmlNode *table)
{
    tablegrid *tg = xcalloc(1, sizeof *tg);
    builder b = { .tg = tg };
    const xmlNode *head = NULL, *foot = NULL;

    tg->table = table;
    tg->st = style_of(table);
    tg->collapse = tg->st && tg->st->border_collapse;
    tg->spacing = tg->st && !tg->collapse ? clampf(tg->st->border_spacing, 0, MAX_LEN) : 0;
    for (const xmlNode *c = table->children; c; c = c->next) {
        if (is_hidden(c))
            continue;
        if (!tg->caption && is_named(c, "caption"))
            tg->caption = c;
        else if (!head && is_named(c, "thead"))
            head = c;
        else if (!foot && is_named(c, "tfoot"))
            foot = c;
    }
    if (head)
        add_group(&b, NULL, head, TG_HEAD);
    tg->nhead = tg->nrows;
    for (const xmlNode *c = table->children; c;) {
        if (c == head || c == foot || is_hidden(c)) {
            c = c->next;
        } else if (is_named(c, "thead") || is_named(c, "tbody") || is_named(c, "tfoot")) {
            add_group(&b, NULL, c, TG_BODY);
            c = c->next;
        } else if (is_row(c)) {
            c = add_group(&b, c, NULL, TG_BODY);
        } else {
            c = c->next;
        }
    }
    if (foot) {
        size_t before = tg->nrows;
        add_group(&b, NULL, foot, TG_FOOT);
        tg->nfoot = tg->nrows - before;
    }
    free(b.until);
    add_colspecs(tg);
    if (tg->ncols > 0 && tg->nrows > 0) {
        tg->slot = xmalloc(tg->nrows * (size_t)tg->ncols * sizeof *tg->slot);
        for (size_t i = 0; i < tg->nrows * (size_t)tg->ncols; i++)
            tg->slot[i] = -1;
        for (size_t i = 0; i < tg->ncells; i++) {
            const tg_cell *c = &tg->cell[i];
            for (int r = c->row; r < c->row + c->rowspan; r++)
                for (int k = c->col; k < c->col + c->colspan; k++)
                    tg->slot[(size_t)r * (size_t)tg->ncols + (size_t)k] = (int)i;
        }
    }
    tg->colw = xcalloc((size_t)tg->ncols + 1, sizeof *tg->colw);
    return tg;
}

void tablegrid_free(tablegrid *tg)
{
    if (!tg)
        return;
    free(tg->row);
    free(tg->cell);
    free(tg->slot);
    free(tg->colw);
    free(tg->colspec);
    free(tg);
}

const tg_cell *tablegrid_at(const tablegrid *tg, int row, int col)
{
    int i;

    if (!tg->slot || row < 0 || col < 0 || (size_t)row >= tg->nrows || col >= tg->ncols)
        return NULL;
    i = tg->slot[(size_t)row * (size_t)tg->ncols + (size_t)col];
    return i >= 0 ? &tg->cell[i] : NULL;
}

/***  Collapsed borders  ***/

static tg_border border_from(const style *st, int side)
{
    tg_border b = { 0, BORDER_NONE, { 0, 0, 0, 0 } };
    float w = side_width(st, side);

    if (w > 0) {
        b.width = w;
        b.style = st->border_style[side];
        b.color = st->border_color[side];
    }
    return b;
}

static int style_rank(border_style s)
{
    switch (s) {
    case BORDER_DOUBLE: return 4;
    case BORDER_SOLID: return 3;
    case BORDER_DASHED: return 2;
    case BORDER_DOTTED: return 1;
    default: return 0;
    }
}

/* Candidate B beats the current winner A (earlier candidates win ties). */
static int beats(tg_border b, tg_border a)
{
    if (b.width != a.width)
        return b.width > a.width;
    return style_rank(b.style) > style_rank(a.style);
}

static void consider(tg_border *win, tg_border b)
{
    if (b.width > 0 && beats(b, *win))
        *win = b;
}

tg_border tablegrid_border(const tablegrid *tg, int row, int col, int side)
{
    tg_border win = { 0, BORDER_NONE, { 0, 0, 0, 0 } };
    const tg_cell *me = tablegrid_at(tg, row, col), *nb;
    int nr = row, nc = col, opp = (side + 2) % 4, outer;
    const tg_row *rw, *nrw;

    if (side == SIDE_TOP)
        nr--;
    else if (side == SIDE_BOTTOM)
        nr++;
    else if (side == SIDE_LEFT)
        nc--;
    else
        nc++;
    nb = tablegrid_at(tg, nr, nc);
    if (me && nb == me)
        return win; /* inside a spanning cell */
    outer = nr < 0 || nc < 0 || (size_t)nr >= tg->nrows || nc >= tg->ncols;
    /* cells: the one above / to the left first, so that it wins ties */
    if (side == SIDE_TOP || side == SIDE_LEFT) {
        if (nb)
            consider(&win, border_from(nb->st, opp));
        if (me)
            consider(&win, border_from(me->st, side));
    } else {
        if (me)
            consider(&win, border_from(me->st, side));
        if (nb)
            consider(&win, border_from(nb->st, opp));
    }
    rw = row >= 0 && (size_t)row < tg->nrows ? &tg->row[row] : NULL;
    nrw = nr >= 0 && (size_t)nr < tg->nrows ? &tg->row[nr] : NULL;
    if (side == SIDE_TOP || side == SIDE_BOTTOM) {
        const tg_row *first = side == SIDE_TOP ? nrw : rw, *second = side == SIDE_TOP ? rw : nrw;
        if (first)
            consider(&win, border_from(first->st, SIDE_BOTTOM));
        if (second)
            consider(&win, border_from(second->st, SIDE_TOP));
        if (first && (!second || first->group_node != second->group_node))
            consider(&win, border_from(first->group_st, SIDE_BOTTOM));
        if (second && (!first || first->group_node != second->group_node))
            consider(&win, border_from(second->group_st, SIDE_TOP));
    } else if (outer && rw) {
        consider(&win, border_from(rw->st, side));
        consider(&win, border_from(rw->group_st, side));
    }
    if (outer)
        consider(&win, border_from(tg->st, side));
    return win;
}

/***  Column widths  ***/

typedef struct colinfo {
    float min, max;
    float fixed; /* > 0: a specified width (pt, extras included) */
    float pct;   /* > 0: a specified percentage */
    float hard;  /* the least it can have: its cells' padding and borders */
} colinfo;

/* Horizontal padding and borders of cell C as the border model counts them. */
static float cell_extra(const tablegrid *tg, const tg_cell *c, float avail)
{
    float e = 0;

    if (!c->st)
        return 0;
    e += resolve(c->st->padding[SIDE_LEFT], avail) + resolve(c->st->padding[SIDE_RIGHT], avail);
    if (tg->collapse) {
        e += tablegrid_border(tg, c->row, c->col, SIDE_LEFT).width / 2;
        e += tablegrid_border(tg, c->row, c->col + c->colspan - 1, SIDE_RIGHT).width / 2;
    } else {
        e += side_width(c->st, SIDE_LEFT) + side_width(c->st, SIDE_RIGHT);
    }
    return e;
}

/* Spreads AMOUNT over columns [C0, C0+N) in proportion to their WEIGHT (max widths), equally
 * when all weights are 0; adds to the MIN (which=0) or MAX (which=1) field. */
static void spread(colinfo *ci, int c0, int n, float amount, int which)
{
    float total = 0;

    for (int k = c0; k < c0 + n; k++)
        total += ci[k].max;
    for (int k = c0; k < c0 + n; k++) {
        float share = total > 0 ? amount * ci[k].max / total : amount / (float)n;
        if (which)
            ci[k].max += share;
        else
            ci[k].min += share;
    }
    for (int k = c0; k < c0 + n; k++)
        if (ci[k].max < ci[k].min)
            ci[k].max = ci[k].min;
}

static int by_span(const void *a, const void *b)
{
    const tg_cell *x = *(const tg_cell *const *)a, *y = *(const tg_cell *const *)b;

    if (x->colspan != y->colspan)
        return x->colspan < y->colspan ? -1 : 1;
    return x < y ? -1 : x > y;
}

static void measure_cells(tablegrid *tg, colinfo *ci, float avail, tablegrid_measure_fn measure,
                          void *self)
{
    const tg_cell **spanning = NULL;
    size_t nspan = 0;

    for (size_t i = 0; i < tg->ncells; i++) {
        tg_cell *c = &tg->cell[i];
        colinfo *k = &ci[c->col];
        float mn = 0, mx = 0;
        if (measure)
            measure(self, c->node, &mn, &mx);
        c->min = clampf(mn, 0, MAX_LEN);
        c->max = clampf(mx, c->min, MAX_LEN);
        c->extra = cell_extra(tg, c, avail);
        if (c->colspan > 1) {
            if (!spanning)
                spanning = xmalloc(tg->ncells * sizeof *spanning);
            spanning[nspan++] = c;
            continue;
        }
        if (c->extra > k->hard)
            k->hard = c->extra;
        if (c->min + c->extra > k->min)
            k->min = c->min + c->extra;
        if (c->max + c->extra > k->max)
            k->max = c->max + c->extra;
        if (c->st && c->st->width.unit == LEN_PT && c->st->width.v + c->extra > k->fixed)
            k->fixed = clampf(c->st->width.v, 0, MAX_LEN) + c->extra;
        if (c->st && c->st->width.unit == LEN_PCT && c->st->width.v > k->pct)
            k->pct = clampf(c->st->width.v, 0, 100);
    }
    for (int k = 0; k < tg->ncols; k++) {
        if (ci[k].hard > ci[k].min)
            ci[k].hard = ci[k].min;
        if (ci[k].fixed > 0 && ci[k].fixed > ci[k].max)
            ci[k].max = ci[k].fixed;
        if (ci[k].max < ci[k].min)
            ci[k].max = ci[k].min;
    }
    if (nspan)
        qsort(spanning, nspan, sizeof *spanning, by_span);
    for (size_t i = 0; i < nspan; i++) {
        const tg_cell *c = spanning[i];
        float smin = 0, smax = 0, sp = tg->spacing * (float)(c->colspan - 1);
        for (int k = c->col; k < c->col + c->colspan; k++) {
            smin += ci[k].min;
            smax += ci[k].max;
        }
        if (c->min + c->extra > smin + sp) {
            spread(ci, c->col, c->colspan, c->min + c->extra - smin - sp, 0);
            smax = 0; /* the mins may have raised the maxes */
            for (int k = c->col; k < c->col + c->colspan; k++)
                smax += ci[k].max;
        }
        if (c->max + c->extra > smax + sp)
            spread(ci, c->col, c->colspan, c->max + c->extra - smax - sp, 1);
    }
    free(spanning);
}

/* Grows W[k] toward WANT[k] for the columns where SEL[k], sharing *ROOM in proportion to
 * what each still wants. */
static void grow(float *w, const float *want, const int *sel, int n, float *room)
{
    float need = 0;

    for (int k = 0; k < n; k++)
        if (sel[k] && want[k] > w[k])
            need += want[k] - w[k];
    if (need <= 0 || *room <= 0)
        return;
    for (int k = 0; k < n; k++)
        if (sel[k] && want[k] > w[k])
            w[k] += need <= *room ? want[k] - w[k] : (want[k] - w[k]) * *room / need;
    *room = need <= *room ? *room - need : 0;
}

/* Before sharing *ROOM in proportion to need, columns that need no more than an equal share
 * of it get all they need (repeatedly, as shares grow): short cells such as "Không đạt" or a
 * figure then stay on one line and the long-text columns take the wrapping. Browsers share
 * in proportion only; this is the typesetter's choice (LaTeX's tabulary does the same). */
static void satisfy_small(float *w, const float *want, int *sel, int n, float *room)
{
    int changed = 1;

    while (changed && *room > 0) {
        int cnt = 0;
        float share;
        changed = 0;
        for (int k = 0; k < n; k++)
            cnt += sel[k] && want[k] > w[k];
        if (cnt == 0)
            return;
        share = *room / (float)cnt;
        for (int k = 0; k < n; k++)
            if (sel[k] && want[k] > w[k] && want[k] - w[k] <= share) {
                *room -= want[k] - w[k];
                w[k] = want[k];
                changed = 1;
            }
        if (*room < 0)
            *room = 0;
    }
}

static void distribute(tablegrid *tg, colinfo *ci, float target)
{
    int n = tg->ncols;
    float *want = xmalloc((size_t)n * sizeof *want), room, smin = 0, hard = 0;
    int *sel = xmalloc((size_t)n * sizeof *sel), any;
    float *w = tg->colw;

    for (int k = 0; k < n; k++) {
        w[k] = ci[k].min;
        smin += ci[k].min;
    }
    if (smin > target) { /* the content does not fit: shrink toward the hard minimum */
        for (int k = 0; k < n; k++)
            hard += ci[k].hard;
        for (int k = 0; k < n; k++) {
            if (hard >= target || smin <= hard)
                w[k] = hard > 0 ? ci[k].hard * target / hard : target / (float)n;
            else
                w[k] = ci[k].hard + (ci[k].min - ci[k].hard) * (target - hard) / (smin - hard);
        }
        goto out;
    }
    room = target - smin;
    for (int k = 0; k < n; k++) { /* percent columns */
        sel[k] = ci[k].pct > 0;
        want[k] = ci[k].pct * target / 100;
    }
    grow(w, want, sel, n, &room);
    for (int k = 0; k < n; k++) { /* fixed columns */
        sel[k] = ci[k].pct <= 0 && ci[k].fixed > 0;
        want[k] = ci[k].fixed;
    }
    grow(w, want, sel, n, &room);
    any = 0;
    for (int k = 0; k < n; k++) { /* auto columns */
        sel[k] = ci[k].pct <= 0 && ci[k].fixed <= 0;
        want[k] = ci[k].max;
        any |= sel[k];
    }
    satisfy_small(w, want, sel, n, &room);
    grow(w, want, sel, n, &room);
    if (room > 0.001f) { /* a table wider than its content */
        float total = 0;
        if (!any)
            for (int k = 0; k < n; k++)
                sel[k] = ci[k].pct <= 0;
        for (int k = 0; k < n; k++)
            if (sel[k])
                total += w[k];
        if (total <= 0) {
            int cnt = 0;
            for (int k = 0; k < n; k++)
                cnt += sel[k] = 1;
            for (int k = 0; k < n; k++)
                w[k] += room / (float)cnt;
        } else {
            for (int k = 0; k < n; k++)
                if (sel[k])
                    w[k] += room * w[k] / total;
        }
    }
out:
    free(want);
    free(sel);
}

/* The table's own horizontal padding and borders plus spacing (not column widths). */
static float table_frame(const tablegrid *tg, float avail)
{
    const style *st = tg->st;
    float f;

    if (!st)
        return 0;
    if (tg->collapse) /* half of the outer borders lies outside the columns' widths */
        return 0;
    f = resolve(st->padding[SIDE_LEFT], avail) + resolve(st->padding[SIDE_RIGHT], avail) +
        side_width(st, SIDE_LEFT) + side_width(st, SIDE_RIGHT);
    return f + tg->spacing * (float)(tg->ncols + 1);
}

static void fixed_widths(tablegrid *tg, colinfo *ci, float target, tablegrid_measure_fn measure,
                         void *self)
{
    int n = tg->ncols, nauto = 0;
    float used = 0;

    (void)measure;
    (void)self;
    for (size_t i = 0; tg->nrows > 0 && i < tg->row[0].ncells; i++) {
        tg_cell *c = &tg->cell[tg->row[0].first + i];
        c->extra = cell_extra(tg, c, target);
        if (!c->st || c->st->width.unit == LEN_AUTO)
            continue;
        for (int k = c->col; k < c->col + c->colspan; k++)
            if (tg->colspec[k].unit == LEN_AUTO)
                ci[k].fixed = (resolve(c->st->width, target) + c->extra) / (float)c->colspan;
    }
    for (int k = 0; k < n; k++) {
        if (tg->colspec[k].unit != LEN_AUTO)
            ci[k].fixed = resolve(tg->colspec[k], target);
        if (ci[k].fixed > 0)
            used += ci[k].fixed;
        else
            nauto++;
    }
    for (int k = 0; k < n; k++) {
        if (ci[k].fixed > 0)
            tg->colw[k] = used > target && used > 0 ? ci[k].fixed * target / used : ci[k].fixed;
        else
            tg->colw[k] = used < target ? (target - used) / (float)nauto : 0;
    }
    if (nauto == 0 && used < target && used > 0) /* widen every column to the table */
        for (int k = 0; k < n; k++)
            tg->colw[k] += (target - used) * ci[k].fixed / used;
}

void tablegrid_widths(tablegrid *tg, float avail, tablegrid_measure_fn measure, void *self)
{
    const style *st = tg->st;
    colinfo *ci;
    float frame, target, smin = 0, smax = 0;
    int has_width = st && st->width.unit != LEN_AUTO;

    avail = clampf(avail, 0, MAX_LEN);
    frame = table_frame(tg, avail);
    if (tg->ncols == 0) {
        tg->width = has_width ? clampf(resolve(st->width, avail), 0, avail) : 0;
        return;
    }
    ci = xcalloc((size_t)tg->ncols, sizeof *ci);
    if (st && st->table_layout_fixed && has_width) {
        target = clampf(resolve(st->width, avail) - frame, 0, avail - frame);
        fixed_widths(tg, ci, target < 0 ? 0 : target, measure, self);
        goto done;
    }
    measure_cells(tg, ci, avail, measure, self);
    for (int k = 0; k < tg->ncols; k++) {
        if (tg->colspec[k].unit == LEN_PT) {
            float f = resolve(tg->colspec[k], avail);
            if (f > ci[k].fixed)
                ci[k].fixed = f;
            if (ci[k].max < f)
                ci[k].max = f;
        } else if (tg->colspec[k].unit == LEN_PCT && tg->colspec[k].v > ci[k].pct) {
            ci[k].pct = clampf(tg->colspec[k].v, 0, 100);
        }
        smin += ci[k].min;
        smax += ci[k].max;
    }
    if (has_width)
        target = resolve(st->width, avail) - frame;
    else
        target = smax;
    {
        float pct_total = 0; /* a percent column asks for a table wide enough for it */
        for (int k = 0; k < tg->ncols; k++)
            pct_total += ci[k].pct;
        if (!has_width && pct_total > 0 && pct_total < 100) {
            for (int k = 0; k < tg->ncols; k++)
                if (ci[k].pct > 0 && ci[k].max * 100 / ci[k].pct > target)
                    target = ci[k].max * 100 / ci[k].pct;
        } else if (!has_width && pct_total >= 100) {
            target = avail - frame;
        }
    }
    if (target < smin)
        target = smin;
    if (target > avail - frame)
        target = avail - frame;
    if (target < 0)
        target = 0;
    distribute(tg, ci, target);
done:
    tg->width = frame;
    for (int k = 0; k < tg->ncols; k++)
        tg->width += tg->colw[k];
    free(ci);
}
