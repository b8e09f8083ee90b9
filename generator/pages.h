/*
** The page model: what layout places and the PDF backend draws, in drawing order.
** Coordinates are points with the origin at the bottom-left of the page (PDF user space).
** Everything hangs off one arena and is freed with pages_free().
*/
#ifndef BAOCAO_PAGES_H
#define BAOCAO_PAGES_H

#include <stddef.h>
#include <stdint.h>

#include "arena.h"

typedef struct fontset fontset;

/* A colour; A = 0 means none (nothing drawn), 255 opaque. */
typedef struct rgba {
    uint8_t r, g, b, a;
} rgba;

typedef enum pg_kind {
    PG_TEXT,  /* a run of text in one face and size */
    PG_RECT,  /* a filled and/or stroked rectangle */
    PG_LINE,  /* a straight line (rules, borders, underlines) */
    PG_IMAGE, /* a PNG or JPEG file scaled into a box */
    PG_PATH,  /* a vector path (charts): moves, lines, closes */
    PG_LINK   /* a clickable area: external URI or internal anchor */
} pg_kind;

typedef enum pg_dash { PG_SOLID, PG_DOTTED, PG_DASHED } pg_dash;

typedef struct pg_text {
    float x, y;       /* start of the baseline */
    float size;       /* font size in points */
    float width;      /* advance width as layout measured it, in points */
    int face;         /* index in the fontset (font_at) */
    rgba color;
    const char *text; /* UTF-8, NFC, arena-owned; never contains a newline */
    size_t len;
    float angle; /* baseline direction in degrees counter-clockwise about (x, y); 0 = level
                  * (charts: rotated axis labels). pdfout: Tm = cos a, sin a, -sin a, cos a, x, y */
} pg_text;

typedef struct pg_rect {
    float x, y, w, h;
    rgba fill, stroke;
    float line_width;
} pg_rect;

typedef struct pg_line {
    float x1, y1, x2, y2;
    float width;
    rgba color;
    pg_dash dash;
} pg_line;

typedef struct pg_image {
    float x, y, w, h;
    const char *path; /* resolved file path; layout has checked that it decodes */
} pg_image;

typedef enum pg_op { PG_MOVE, PG_LINETO, PG_CLOSE } pg_op;

typedef struct pg_path {
    const pg_op *op; /* NOP operations; each MOVE and LINETO takes two numbers from PT */
    const float *pt;
    size_t nop;
    rgba fill, stroke;
    float line_width;
    pg_dash dash;
} pg_path;

typedef struct pg_link {
    float x, y, w, h;
    const char *uri;    /* an external target, or NULL */
    const char *anchor; /* an internal target id (href="#id"), or NULL */
} pg_link;

typedef struct pg_item {
    pg_kind kind;
    union {
        pg_text text;
        pg_rect rect;
        pg_line line;
        pg_image image;
        pg_path path;
        pg_link link;
    } u;
} pg_item;

typedef struct page {
    float width, height;
    pg_item *item;
    size_t count, cap;
} page;

/* A named destination (an element's id) and a bookmark (from h1–h3). */
typedef struct pg_anchor {
    const char *id;
    size_t page; /* 0-based */
    float y;
} pg_anchor;

typedef struct pg_outline {
    int level; /* 1 for h1 ... */
    const char *title;
    size_t page;
    float y;
} pg_outline;

typedef struct pages {
    arena *arena; /* owns every page, item and string below */
    page *page;
    size_t count, cap;
    pg_outline *outline;
    size_t noutline, outline_cap;
    pg_anchor *anchor;
    size_t nanchor, anchor_cap;
    fontset *fonts; /* borrowed: the faces PG_TEXT items refer to */
    /* Document information; NULL when unknown. */
    const char *title, *author, *subject, *keywords, *lang;
} pages;

pages *pages_new(fontset *fonts);
/* pages_free(NULL) is a no-op. */
void pages_free(pages *p);
/* Appends an empty page and lends it (valid until the next pages_add). */
page *pages_add(pages *p, float width, float height);
/* Appends a zeroed item of KIND to PG and lends it. */
pg_item *pages_push(pages *p, page *pg, pg_kind kind);
void pages_add_outline(pages *p, int level, const char *title, size_t page_no, float y);
void pages_add_anchor(pages *p, const char *id, size_t page_no, float y);
/* Borrowed: the anchor named ID, or NULL. */
const pg_anchor *pages_lookup_anchor(const pages *p, const char *id);

#endif
