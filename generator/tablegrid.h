/*
** The table model: a styled DOM <table> (caption, thead/tbody/tfoot, tr, th/td, col/colgroup)
** as a grid of slots with colspan and rowspan (HTML's table-processing rules), column widths
** (CSS 2.1 §17.5.2: automatic layout as browsers do it, and table-layout: fixed), and
** collapsed-border conflict resolution (CSS 2.1 §17.6.2.1).
**
** Pure: text is measured through a callback; no fonts, no pages. Rows are ordered for
** drawing: the first thead's rows, then tbody and bare rows in source order, then the first
** tfoot's rows (later thead/tfoot groups are drawn where they stand, as body rows).
** Cost: linear in cells plus rows × columns for the slot map (int per slot).
*/
#ifndef BAOCAO_TABLEGRID_H
#define BAOCAO_TABLEGRID_H

#include <stddef.h>

#include <libxml/tree.h>

#include "style.h"

#define TABLEGRID_MAX_COLSPAN 1000  /* HTML: larger colspans count as 1 */
#define TABLEGRID_MAX_ROWSPAN 65534 /* HTML: larger rowspans are clamped */
#define TABLEGRID_MAX_COLS 1000     /* cells beyond are dropped: wider is no table for paper */

typedef enum tg_group { TG_HEAD, TG_BODY, TG_FOOT } tg_group;

typedef struct tg_cell {
    const xmlNode *node; /* the th/td element */
    const style *st;
    int row, col;          /* top-left slot */
    int rowspan, colspan;  /* >= 1, clamped to the grid */
    float min, max;        /* content widths from the callback (no padding, no border) */
    float extra;           /* horizontal padding + borders, as the border model counts them */
} tg_cell;

typedef struct tg_row {
    const xmlNode *node; /* the tr element */
    const style *st;
    const xmlNode *group_node; /* its thead/tbody/tfoot, or NULL for rows outside one */
    const style *group_st;     /* that group's style, or NULL */
    tg_group group;
    size_t first, ncells;  /* its cells: cell[first .. first+ncells) (those starting here) */
} tg_row;

/* A resolved border edge: width 0 or style BORDER_NONE means nothing is drawn. */
typedef struct tg_border {
    float width;
    border_style style;
    rgba color;
} tg_border;

typedef struct tablegrid {
    const xmlNode *table;
    const style *st;
    const xmlNode *caption; /* the first caption, or NULL */
    tg_row *row;
    size_t nrows;
    size_t nhead, nfoot;    /* rows [0, nhead) are the header, the last nfoot the footer */
    tg_cell *cell;
    size_t ncells;
    int ncols;
    int collapse;           /* border-collapse: collapse */
    float spacing;          /* border-spacing (separate model; 0 when collapsed) */
    int *slot;              /* nrows × ncols: index of the cell covering the slot, or -1 */
    float *colw;            /* ncols: column widths, cell extras included (after widths) */
    float width;            /* the table's border-box width (after widths) */
    /* column specs from col/colgroup and cells: LEN_AUTO, LEN_PT or LEN_PCT */
    length *colspec;
} tablegrid;

/* Measures the content of cell element CELL: its minimum width (the widest unbreakable
 * piece) and maximum width (no wrapping but forced breaks), in points. */
typedef void (*tablegrid_measure_fn)(void *self, const xmlNode *cell, float *min, float *max);

/* Builds the grid of TABLE (an element with display: table, styled). Never fails on
 * malformed tables: spans are clamped, stray content is ignored. Free with tablegrid_free. */
tablegrid *tablegrid_build(const xmlNode *table);
void tablegrid_free(tablegrid *tg);

/* Resolves column widths for a containing block AVAIL points wide: the table's `width`
 * (length or % of AVAIL) or else its content, never wider than AVAIL (long words then break
 * inside cells). Automatic layout measures every cell through MEASURE; fixed layout only
 * the columns' and first row's specified widths. Fills tg->colw and tg->width. */
void tablegrid_widths(tablegrid *tg, float avail, tablegrid_measure_fn measure, void *self);

/* The cell covering slot (ROW, COL), or NULL. */
const tg_cell *tablegrid_at(const tablegrid *tg, int row, int col);

/* The collapsed border on side SIDE (SIDE_TOP ...) of slot (ROW, COL), after conflict
 * resolution with the neighbouring slot, the rows, row groups and the table: the wider
 * wins, then the style (double, solid, dashed, dotted), then cell over row over row group
 * over table, then the cell above / to the left. */
tg_border tablegrid_border(const tablegrid *tg, int row, int col, int side);

#endif
