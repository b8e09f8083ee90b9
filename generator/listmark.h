/*
** List markers: the text of an ol/ul item's marker (CSS list-style-type, HTML start,
** reversed and value) and the numbering state of a list walk. Pure: no fonts, no pages.
*/
#ifndef BAOCAO_LISTMARK_H
#define BAOCAO_LISTMARK_H

#include <stdint.h>

#include <libxml/tree.h>

#include "buf.h"
#include "style.h"

/* Numbering state of one list: call listmark_start when entering the ol/ul, then
 * listmark_next for each of its li in document order. */
typedef struct listmark {
    int next; /* the number the next item gets */
    int step; /* +1, or -1 for <ol reversed> */
} listmark;

/* From LIST's `start` and `reversed` (a reversed list without start counts down from its
 * number of li children). */
void listmark_start(listmark *m, const xmlNode *list);
/* The number of item LI: its `value` when it has one (numbering goes on from there). */
int listmark_next(listmark *m, const xmlNode *li);

/* The bullet character for DISC, CIRCLE, SQUARE (U+2022, U+25E6, U+25AA), else 0. */
uint32_t listmark_bullet(list_style type);

/* Appends the marker text of item number N to OUT: "3.", "c.", "iv.", "IV.", or S for
 * LIST_STRING (as written, e.g. "- "); nothing for LIST_NONE and for bullets (see
 * listmark_bullet). VN_ALPHA numbers lower-alpha lists with Vietnamese letters (a b c d đ
 * e g …, vnfmt_alpha) instead of CSS's Latin a–z. Numbers outside a style's range (0,
 * negatives, roman above 3999, alpha below 1) fall back to decimal, as CSS does. */
void listmark_text(buf *out, list_style type, const char *s, int n, int vn_alpha);

#endif
