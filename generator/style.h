/*
** Styles: a documented subset of CSS (README, "CSS subset"), parsed from a style sheet and
** cascaded onto a libxml2 DOM. Each element gets a computed `style`, attached to its
** node->_private; text nodes use their parent's. The HTML backend embeds the same CSS file
** (with the files it @imports inlined: style_read_imports).
**
** Computed values follow CSS: lengths in em, px, mm, cm, in are resolved to points at cascade
** time (em against the element's font-size, or the parent's for font-size itself);
** percentages stay percentages for layout to resolve against the containing block.
*/
#ifndef BAOCAO_STYLE_H
#define BAOCAO_STYLE_H

#include <stddef.h>
#include <stdint.h>

#include <libxml/tree.h>

#include "arena.h"
#include "diag.h"
#include "pages.h" /* rgba */

typedef enum len_unit { LEN_AUTO, LEN_PT, LEN_PCT } len_unit;

typedef struct length {
    float v;
    len_unit unit;
} length;

typedef enum display {
    DISPLAY_INLINE, DISPLAY_BLOCK, DISPLAY_NONE, DISPLAY_LIST_ITEM, DISPLAY_INLINE_BLOCK,
    DISPLAY_TABLE, DISPLAY_TABLE_CAPTION, DISPLAY_TABLE_HEADER_GROUP, DISPLAY_TABLE_ROW_GROUP,
    DISPLAY_TABLE_FOOTER_GROUP, DISPLAY_TABLE_ROW, DISPLAY_TABLE_CELL,
    DISPLAY_TABLE_COLUMN_GROUP, DISPLAY_TABLE_COLUMN
} display;

typedef enum text_align { ALIGN_LEFT, ALIGN_RIGHT, ALIGN_CENTER, ALIGN_JUSTIFY } text_align;
typedef enum text_transform { TRANSFORM_NONE, TRANSFORM_UPPERCASE, TRANSFORM_LOWERCASE,
                              TRANSFORM_CAPITALIZE } text_transform;
enum { DECOR_UNDERLINE = 1, DECOR_LINE_THROUGH = 2, DECOR_OVERLINE = 4 }; /* bit set */
typedef enum white_space { WS_NORMAL, WS_NOWRAP, WS_PRE, WS_PRE_WRAP, WS_PRE_LINE } white_space;
typedef enum vertical_align { VALIGN_BASELINE, VALIGN_SUB, VALIGN_SUPER, VALIGN_TOP,
                              VALIGN_MIDDLE, VALIGN_BOTTOM, VALIGN_TEXT_TOP,
                              VALIGN_TEXT_BOTTOM } vertical_align;
typedef enum border_style { BORDER_NONE, BORDER_SOLID, BORDER_DOTTED, BORDER_DASHED,
                            BORDER_DOUBLE } border_style;
typedef enum break_kind { BREAK_AUTO, BREAK_PAGE, BREAK_AVOID } break_kind;
typedef enum line_height_kind { LH_NORMAL, LH_FACTOR, LH_PT } line_height_kind;
typedef enum list_style { LIST_DISC, LIST_CIRCLE, LIST_SQUARE, LIST_DECIMAL, LIST_LOWER_ALPHA,
                          LIST_UPPER_ALPHA, LIST_LOWER_ROMAN, LIST_UPPER_ROMAN, LIST_NONE,
                          LIST_STRING /* list_style_string, e.g. "- " */ } list_style;

/* Box sides, in CSS order. */
enum { SIDE_TOP, SIDE_RIGHT, SIDE_BOTTOM, SIDE_LEFT };

typedef struct style {
    display display;
    /* Fonts and text (inherited) */
    const char *font_family; /* the family list as written, e.g. "Liberation Serif", serif */
    float font_size;         /* points */
    int font_weight;         /* 100 ... 900 */
    int font_italic;
    line_height_kind line_height_kind;
    float line_height; /* a factor for LH_FACTOR, points for LH_PT */
    rgba color;
    text_align text_align;
    length text_indent;
    text_transform text_transform;
    white_space white_space;
    int orphans, widows;
    list_style list_style_type;
    const char *list_style_string;
    int border_collapse; /* 1 collapse, 0 separate */
    float border_spacing;
    /* Not inherited */
    int text_decoration; /* DECOR_* bits; drawn for the element's text and descendants' */
    vertical_align vertical_align;
    rgba background_color;
    length margin[4];  /* LEN_AUTO allowed */
    length padding[4];
    float border_width[4]; /* points; 0 when the style is none */
    border_style border_style[4];
    rgba border_color[4];
    length width, height, min_width, max_width;
    break_kind break_before, break_after, break_inside;
    int table_layout_fixed;
    const char *page; /* `page`: a page name (CSS Paged Media 3 §3.2), NULL for auto */
} style;

/* Borrowed: the computed style of element N (its parent's for a text node), or NULL when N
 * was not styled. */
const style *style_of(const xmlNode *n);
/* The used value of `page` on element N: N's own page name, or else its nearest styled
 * ancestor's non-auto one (css-page-3 §3.2: `page` is not inherited, but an auto box lies on
 * its parent's page); NULL when all are auto. Borrowed from the style sheet. */
const char *style_used_page(const xmlNode *n);

typedef struct stylesheet stylesheet;

/* Parses CSS text; NAME is the file name for messages and the base for url(). Bad rules are
 * reported with NAME:LINE:COL and skipped (parsing recovers at the next rule). Returns NULL
 * only when nothing could be parsed at all. */
stylesheet *style_parse(const char *name, const char *css, size_t len, diag *d);
/* The built-in user-agent style sheet (after browsers' html.css, for print), applied
 * before every author sheet; parsed once per process. */
extern const char style_ua_sheet[];

/* Appends the rules of CSS[0..LEN) to SS, after its own in source order (its @font-face and
 * @page rules too). NAME is the file for messages and the base for url(); LINE is the line
 * CSS starts at in NAME (1 for a whole file). Returns 0, or -1 when SS or CSS is missing. */
int style_add(stylesheet *ss, const char *name, unsigned line, const char *css, size_t len,
              diag *d);
/* Appends DOC's <style> elements whose media include print (or have no media attribute) to
 * SS, in document order, as browsers do; messages cite the document and the line. Parse a
 * fresh SS per document before calling this (a shared sheet would collect every document's
 * rules). Returns 0, or -1 when SS is NULL. */
int style_add_document(stylesheet *ss, const xmlDoc *doc, diag *d);

/* Reads and parses PATH. NULL after reporting when the file cannot be read. @import rules
 * (README, "CSS subset") are honoured only here: each imported file is read, relative to
 * the importing file's folder, and its rules cascade before the importing sheet's, as if
 * written where the @import stands; an @import whose media exclude print (PDF is print)
 * is read and listed (style_files) but adds no rule. Sheets given as text (style_parse,
 * style_add, style_add_document) read no file: their @import is an error and ignored. */
stylesheet *style_read(const char *path, diag *d);
void style_free(stylesheet *ss);

/* A file a style sheet read: the sheet itself, then each @import-ed sheet where its @import
 * stands, depth first (a file comes before the files it imports, which cascade before it). */
#define STYLE_NO_PARENT ((size_t)-1)
typedef struct style_file {
    const char *path;   /* the importing file's folder joined with the URL, "." and "x/.."
                         * segments removed; the sheet's own path as given */
    const char *media;  /* the @import's media list as written; NULL when it has none */
    size_t parent;      /* the importing file's index; STYLE_NO_PARENT for the sheet itself */
    unsigned line, col; /* the @import's position in the parent */
    size_t from, to;    /* the @import rule's bytes in the parent's text */
    int print;          /* its rules cascade: every @import on its way allows print */
    const char *text;   /* the file's text as read (NUL-terminated) */
    size_t len;
} style_file;
/* Borrowed: the files SS read, in the order above; 0 for a sheet given as text. */
size_t style_files(const stylesheet *ss, const style_file **out);
/* The @import rules only: reads PATH (or takes CSS[0..LEN) as its text, when CSS is not NULL)
 * and, recursively, the sheets it imports, stopping in each at its first other rule. Reports
 * import errors only (missing file, cycle, depth). For the HTML backend, which inlines the
 * files it lists. NULL after reporting when PATH cannot be read. */
stylesheet *style_read_imports(const char *path, const char *css, size_t len, diag *d);

/* @font-face rules in source order; PATH is resolved against the style sheet's folder. */
typedef struct style_font_face {
    const char *family;
    int weight, italic;
    const char *path;
    unsigned line;
} style_font_face;
size_t style_font_faces(const stylesheet *ss, const style_font_face **out);
/* Borrowed: the style sheet's file name (as given to style_parse). */
const char *style_name(const stylesheet *ss);

/* The cascade: user-agent sheet, then SS (specificity, then source order), then style=""
 * attributes; inheritance of inherited properties. Attaches a computed style to every
 * element of DOC (node->_private), allocated in A. Strings in computed styles (font_family,
 * list_style_string) may point into SS: keep SS until the styles are no longer used.
 * Returns 0, or -1 after reporting. */
int style_apply(const stylesheet *ss, xmlDoc *doc, arena *a, diag *d);

/* @page: the page box and its margin boxes (CSS Paged Media). */
typedef enum margin_box {
    MB_TOP_LEFT_CORNER, MB_TOP_LEFT, MB_TOP_CENTER, MB_TOP_RIGHT, MB_TOP_RIGHT_CORNER,
    MB_BOTTOM_LEFT_CORNER, MB_BOTTOM_LEFT, MB_BOTTOM_CENTER, MB_BOTTOM_RIGHT,
    MB_BOTTOM_RIGHT_CORNER, MB_COUNT
} margin_box;

typedef enum content_kind { CONTENT_STRING, CONTENT_PAGE, CONTENT_PAGES } content_kind;

typedef struct content_item {
    content_kind kind;
    const char *text; /* CONTENT_STRING */
} content_item;

typedef struct page_box {
    int present; /* the box has a content other than none */
    const content_item *content;
    size_t ncontent;
    style style; /* the box's computed style: root element's, then @page's, then the box's */
} page_box;

typedef struct page_style {
    float width, height; /* points, after `size` (A4, A5, letter, explicit, landscape) */
    float margin[4];     /* points */
    page_box box[MB_COUNT];
} page_style;

/* Fills OUT for page PAGE_NO (1-based; `@page :first` applies to page 1) of the page type
 * NAME (a `page` value; NULL for the unnamed pages). NAME_NO is the page's 1-based number
 * within its run of consecutive NAME pages (css-page-3's page group): `@page NAME:first`
 * applies where it is 1, i.e. to the first page of each run, as Prince reads it. The cascade,
 * by specificity then source order, !important last: @page < @page :first < @page NAME <
 * @page NAME:first; a name without a rule gets the unnamed style. ROOT is the root element's
 * computed style (for inheritance into margin boxes); A owns what OUT points to. */
void style_page(const stylesheet *ss, const style *root, int page_no, const char *name,
                int name_no, page_style *out, arena *a);

#endif
