/*
** Layout: styled DOM → pages.
**
** One walk over the DOM, iterative (parent pointers, no recursion), places content as it
** goes, MuPDF's "place what fits, report whether more is left" in streaming form:
**   - a block element opens a frame (margins collapse through a pending margin, borders and
**     padding shrink the content box, a background gets a placeholder rectangle that is sized
**     when the block's fragment on the page ends);
**   - inline content (text, inline elements, <br>) between block boundaries accumulates into
**     one paragraph of line-breaker items (linebreak.h) with a fragment per item (face, size,
**     colour, rise, decoration, link); at the next block boundary the paragraph is broken
**     (Knuth–Plass when justified, first fit otherwise) and its lines placed, splitting
**     across pages with orphans and widows;
**   - keeps (a heading with what follows, break-inside: avoid) are a rewind point: when the
**     page fills before the kept content has started, the page is cut back to the point and
**     the walk resumes there on a new page.
** Margin boxes are drawn at the end, when the page count is known.
**
** Tables, lists and images (issue 5) join as further cases of the block walk: a table is laid
** out by its own measure/place code using the same page primitives (ensure_space, new_page)
** and paragraph breaker (break_para/place_lines with a greedy breaker for cells).
**
** Named pages (css-page-3 §3.2): a block or table whose used `page` value differs from the
** current page's name starts a new page of that name (in place when the current page is
** still empty); the open blocks' horizontal geometry is then resolved again against the new
** content box.
**
** Limits: horizontal geometry comes from the first page of each run of same-named pages (the
** document's first page for a document without named pages; later pages of a different
** width keep it); a block with a background stops margin collapsing through its top;
** margin-box corners are not drawn; a page name is looked at on block boxes and tables only
** (an inline box or image with its own `page` value is laid out on the current page).
*/
#include "layout.h"

#include <assert.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <utf8proc.h>

#include "buf.h"
#include "dom.h"
#include "linebreak.h"
#include "imgsize.h"
#include "listmark.h"
#include "svgdraw.h"
#include "tablegrid.h"
#include "xalloc.h"

#define MIN_FONT_SIZE 0.5f
#define MAX_FONT_SIZE 2000.0f   /* bigger than any page; keeps sums finite */
#define MIN_CONTENT 1.0f        /* a content box never narrower than 1 pt */
#define MAX_WARNED 64           /* distinct missing code points reported per document */
#define HUGE_PARA 200000        /* items; beyond, first fit (Knuth–Plass is slower there) */
#define CLUSTER_PENALTY 50.0f   /* cost of breaking a too-long word between characters */

/***  State  ***/

typedef enum frag_kind { FR_BOX, FR_GLUE, FR_BREAK } frag_kind;

/* What an inline piece is drawn with. */
typedef struct run {
    int face;
    float size;
    rgba color;
    float rise;        /* baseline shift (sup/sub), points */
    int decor;         /* DECOR_* bits, inherited from inline ancestors */
    const char *href;  /* of the enclosing <a>, or NULL */
    float asc, desc;   /* line-box contribution above/below the baseline (half-leading in) */
} run;

/* One paragraph item beside its line-breaker item. */
typedef struct frag {
    frag_kind kind;
    size_t off, len; /* text in the paragraph buffer (a glue's is its space) */
    const run *r;
} frag;

typedef struct inline_ctx {
    int decor;
    const char *href;
    float rise;
} inline_ctx;

typedef struct frame {
    const xmlNode *node;
    const style *st;
    float x, w;         /* content box */
    float bx, bw;       /* border box */
    int heading;        /* 1..6 for h1–h6 */
    int bg;             /* has a background placeholder on the current page */
    size_t bg_item;     /* its item index */
    size_t frag_page;   /* the page of the current fragment */
    float frag_top;     /* top of the border box on that page */
    int first_frag;     /* the fragment holds the block's top */
    int has_border;
    int is_list;        /* ol/ul/menu/dir: numbers its items with LM */
    listmark lm;
    int vn_alpha;       /* class="vn-alpha": lower-alpha in Vietnamese letters */
} frame;

typedef struct keep {
    int active;
    int avoid;              /* break-inside: avoid (ends when the block closes) */
    size_t depth;           /* frame depth at the kept block's open */
    const xmlNode *node;    /* where to resume */
    size_t page, nitems, noutline, nanchor;
    float y, mpos, mneg;
    int at_top, break_pending;
    frame *frames;          /* copy of frames[0..depth) */
    size_t inl_depth;
} keep;

/* What a page was opened as, for its margin boxes. */
typedef struct page_info {
    const char *name; /* its page type (`page` value), NULL for the unnamed pages */
    int run_no;       /* 1-based number in its run of consecutive pages of that name */
} page_info;

typedef struct lay {
    pages *pg;
    const stylesheet *ss;
    fontset *fs;
    diag *d;
    const char *source;
    arena *a; /* = pg->arena */
    const style *root;
    /* the page being filled */
    size_t pno;
    float top, bottom, left, width;
    float y;
    const char *pname; /* the page type of the page being filled (and of the next) */
    int name_changed;  /* the next page opened starts a run of another page type */
    page_info *pinfo;  /* per page */
    size_t pinfo_cap;
    float mpos, mneg; /* pending collapsed margin: largest positive, most negative */
    int at_top;       /* nothing placed on this page yet */
    int break_pending;
    int failed;
    /* open blocks */
    frame *fr;
    size_t nfr, fr_cap;
    size_t skipped_depth; /* blocks past LAYOUT_MAX_DEPTH, flowing into their ancestor */
    int depth_warned;
    /* inline context */
    inline_ctx *inl;
    size_t ninl, inl_cap;
    /* the paragraph being collected */
    buf text;
    lb_item *item;
    frag *frag;
    size_t nitem, item_cap;
    int pending_space;
    const run *space_run;
    int space_wrap;          /* the pending space may break the line (its own white-space) */
    const xmlNode *para_node; /* first text node, for messages */
    linebreaker *lb;
    /* run cache: the last run built, reused while the style and context are the same */
    const style *run_st;
    inline_ctx run_ctx;
    const run *run_cur;
    /* rewind point */
    keep kp;
    const xmlNode *rewind_to;
    /* warnings */
    uint32_t warned[MAX_WARNED];
    size_t nwarned;
    /* the list marker waiting for its item's first line */
    int mk_pending;
    size_t mk_depth;     /* frame depth of its li */
    const style *mk_st;
    const char *mk_text; /* marker text (arena), or NULL for a bullet */
    uint32_t mk_bullet;
    float mk_x;          /* right edge of the marker area (the li's content edge) */
    int measuring;       /* table cells being measured: no anchors */
} lay;

/***  Small helpers  ***/

static float clampf(float v, float lo, float hi)
{
    if (!(v >= lo)) /* NaN too */
        return lo;
    return v > hi ? hi : v;
}

static float resolve(length l, float base)
{
    float v;

    if (l.unit == LEN_PT)
        v = l.v;
    else if (l.unit == LEN_PCT)
        v = l.v * base / 100.0f;
    else
        return 0;
    return isfinite(v) ? clampf(v, -1e5f, 1e5f) : 0;
}

static int is_named(const xmlNode *n, const char *name)
{
    return n->type == XML_ELEMENT_NODE && n->name && strcmp((const char *)n->name, name) == 0;
}

static int heading_level(const xmlNode *n)
{
    const char *s = (const char *)n->name;

    if (n->type == XML_ELEMENT_NODE && s && (s[0] == 'h' || s[0] == 'H') && s[1] >= '1' &&
        s[1] <= '6' && s[2] == 0)
        return s[1] - '0';
    return 0;
}

static int is_block(const style *st)
{
    return st->display != DISPLAY_INLINE && st->display != DISPLAY_INLINE_BLOCK &&
           st->display != DISPLAY_NONE;
}

static float font_size_of(const style *st)
{
    return clampf(st->font_size, MIN_FONT_SIZE, MAX_FONT_SIZE);
}

static int face_of(lay *L, const style *st)
{
    int f = font_match(L->fs, st->font_family, st->font_weight, st->font_italic);

    if (f < 0 && font_count(L->fs) > 0)
        f = 0;
    return f;
}

/* Line-box contribution of a face at SIZE under ST's line-height: ascent and descent with
 * half the leading added to each (CSS 2.1 §10.8.1). */
static void line_metrics(lay *L, const style *st, int face_i, float size, float *asc,
                         float *desc)
{
    const face *f = face_i >= 0 ? font_at(L->fs, face_i) : NULL;
    float a = f ? f->ascent * size / 1000 : 0.8f * size;
    float dsc = f ? -f->descent * size / 1000 : 0.2f * size;
    float gap = f ? f->line_gap * size / 1000 : 0;
    float lh;

    if (st->line_height_kind == LH_FACTOR)
        lh = st->line_height * size;
    else if (st->line_height_kind == LH_PT)
        lh = st->line_height;
    else
        lh = a + dsc + gap;
    lh = clampf(lh, 0, 1e5f);
    *asc = a + (lh - a - dsc) / 2;
    *desc = dsc + (lh - a - dsc) / 2;
}

static const char *attr(const xmlNode *n, const char *name)
{
    for (const xmlAttr *a = n->properties; a; a = a->next)
        if (a->name && strcmp((const char *)a->name, name) == 0 && a->children &&
            a->children->content)
            return (const char *)a->children->content;
    return NULL;
}

/* The plain text of N (dom_plain_text) as a C string the caller frees. */
static char *plain_text(const xmlNode *n)
{
    buf b = BUF_INIT;

    dom_plain_text(n, &b);
    buf_putc(&b, 0);
    return buf_detach(&b, NULL);
}

/***  Pages  ***/

static page *cur_page(lay *L)
{
    return &L->pg->page[L->pno];
}

/* Sets the vertical extent of the page (W x H, page style PS) being filled, and with
 * HORIZONTAL its content box's left edge and width too. */
static void page_geometry(lay *L, const page_style *ps, float w, float h, int horizontal)
{
    L->top = h - clampf(ps->margin[SIDE_TOP], 0, h);
    L->bottom = clampf(ps->margin[SIDE_BOTTOM], 0, L->top);
    if (L->top - L->bottom < 1) { /* no room at all: use the whole page */
        L->top = h;
        L->bottom = 0;
    }
    if (horizontal) {
        L->left = clampf(ps->margin[SIDE_LEFT], 0, w);
        L->width = w - L->left - clampf(ps->margin[SIDE_RIGHT], 0, w);
        if (L->width < MIN_CONTENT) {
            L->left = 0;
            L->width = w;
        }
    }
}

/* Starts page number L->pg->count + 1 with its @page geometry: of page type L->pname, the
 * first of a run (new horizontal geometry) on the first page and after a change of name. */
static int open_page(lay *L)
{
    page_style ps;
    float w, h;
    int run_start = L->pg->count == 0 || L->name_changed;
    int run_no = run_start ? 1 : L->pinfo[L->pg->count - 1].run_no + 1;

    if (L->pg->count >= LAYOUT_MAX_PAGES) {
        if (!L->failed)
            diag_error(L->d, L->source, 0, 0,
                       "document longer than %d pages (is the page too small?)",
                       LAYOUT_MAX_PAGES);
        L->failed = 1;
        return -1;
    }
    memset(&ps, 0, sizeof ps);
    style_page(L->ss, L->root, (int)L->pg->count + 1, L->pname, run_no, &ps, L->a);
    w = clampf(ps.width, 1, 1e5f);
    h = clampf(ps.height, 1, 1e5f);
    if (L->pg->count == L->pinfo_cap) {
        L->pinfo_cap = L->pinfo_cap ? L->pinfo_cap * 2 : 16;
        L->pinfo = xrealloc(L->pinfo, L->pinfo_cap * sizeof *L->pinfo);
    }
    L->pinfo[L->pg->count] = (page_info){ L->pname, run_no };
    pages_add(L->pg, w, h);
    L->pno = L->pg->count - 1;
    page_geometry(L, &ps, w, h, run_start);
    L->name_changed = 0;
    L->y = L->top;
    L->mpos = L->mneg = 0;
    L->at_top = 1;
    return 0;
}

static pg_item *push(lay *L, pg_kind k)
{
    return pages_push(L->pg, cur_page(L), k);
}

static void draw_line(lay *L, float x1, float y1, float x2, float y2, float w, rgba c,
                      pg_dash dash)
{
    pg_item *it = push(L, PG_LINE);

    it->u.line = (pg_line){ .x1 = x1, .y1 = y1, .x2 = x2, .y2 = y2, .width = w, .color = c, .dash = dash };
}

static pg_dash dash_of(border_style s)
{
    return s == BORDER_DOTTED ? PG_DOTTED : s == BORDER_DASHED ? PG_DASHED : PG_SOLID;
}

/* Ends frame F's fragment on the current page at BOTTOM: sizes its background and draws its
 * borders (the top one only on the first fragment, the bottom one only on the last). */
static void end_fragment(lay *L, frame *f, float bottom, int last)
{
    const style *st = f->st;
    float top = f->frag_top;

    if (f->bg && f->frag_page == L->pno) {
        pg_rect *r = &cur_page(L)->item[f->bg_item].u.rect;
        r->x = f->bx;
        r->w = f->bw;
        r->y = bottom;
        r->h = top - bottom;
    }
    if (!f->has_border)
        return;
    for (int s = 0; s < 4; s++) {
        float bw = st->border_width[s];
        if (bw <= 0 || st->border_style[s] == BORDER_NONE || st->border_color[s].a == 0)
            continue;
        if ((s == SIDE_TOP && !f->first_frag) || (s == SIDE_BOTTOM && !last))
            continue;
        if (s == SIDE_TOP)
            draw_line(L, f->bx, top - bw / 2, f->bx + f->bw, top - bw / 2, bw,
                      st->border_color[s], dash_of(st->border_style[s]));
        else if (s == SIDE_BOTTOM)
            draw_line(L, f->bx, bottom + bw / 2, f->bx + f->bw, bottom + bw / 2, bw,
                      st->border_color[s], dash_of(st->border_style[s]));
        else if (s == SIDE_LEFT)
            draw_line(L, f->bx + bw / 2, top, f->bx + bw / 2, bottom, bw, st->border_color[s],
                      dash_of(st->border_style[s]));
        else
            draw_line(L, f->bx + f->bw - bw / 2, top, f->bx + f->bw - bw / 2, bottom, bw,
                      st->border_color[s], dash_of(st->border_style[s]));
    }
}

/* Starts frame F's fragment at TOP on the current page. */
static void begin_fragment(lay *L, frame *f, float top)
{
    f->frag_page = L->pno;
    f->frag_top = top;
    f->bg = f->st->background_color.a != 0;
    if (f->bg) {
        pg_item *it = push(L, PG_RECT);
        it->u.rect.fill = f->st->background_color;
        f->bg_item = cur_page(L)->count - 1;
    }
}

/* The rewind point is usable: its content has not started, and it sits on this page below
 * the top (moving it to a new page gains room). */
static int can_rewind(const lay *L)
{
    return L->kp.active && L->kp.page == L->pno && !L->kp.at_top;
}

static void frame_geometry(frame *f, float cx, float cw);

/* Resolves the open blocks' horizontal geometry again, against a new page's content box. */
static void reflow_frames(lay *L)
{
    for (size_t i = 0; i < L->nfr; i++) {
        const frame *parent = i ? &L->fr[i - 1] : NULL;

        frame_geometry(&L->fr[i], parent ? parent->x : L->left, parent ? parent->w : L->width);
    }
    if (L->mk_pending && L->mk_depth < L->nfr)
        L->mk_x = L->fr[L->mk_depth].x;
}

/* Moves on to a new page, continuing the open blocks there. Returns 0, 1 when the caller
 * must stop because the walk rewinds to the keep point instead, -1 on a runaway. */
static int new_page(lay *L, int allow_rewind)
{
    if (allow_rewind && can_rewind(L)) {
        L->rewind_to = L->kp.node;
        return 1;
    }
    int run_start = L->name_changed;

    for (size_t i = L->nfr; i-- > 0;)
        end_fragment(L, &L->fr[i], L->bottom, 0);
    if (open_page(L) != 0)
        return -1;
    if (run_start)
        reflow_frames(L);
    for (size_t i = 0; i < L->nfr; i++) {
        L->fr[i].first_frag = 0;
        begin_fragment(L, &L->fr[i], L->top);
    }
    L->break_pending = 0;
    return 0;
}

static float pending_margin(const lay *L)
{
    return L->mpos + L->mneg;
}

static void add_margin(lay *L, float m)
{
    if (m > L->mpos)
        L->mpos = m;
    if (m < L->mneg)
        L->mneg = m;
}

/* Puts the pending margin in (dropped at the top of a page: CSS truncates margins at page
 * breaks). */
static void flush_margin(lay *L)
{
    if (!L->at_top)
        L->y -= pending_margin(L);
    L->mpos = L->mneg = 0;
}

/***  Keep points  ***/

static void set_keep(lay *L, const xmlNode *n, int avoid)
{
    keep *k = &L->kp;

    k->active = 1;
    k->avoid = avoid;
    k->depth = L->nfr;
    k->node = n;
    k->page = L->pno;
    k->nitems = cur_page(L)->count;
    k->noutline = L->pg->noutline;
    k->nanchor = L->pg->nanchor;
    k->y = L->y;
    k->mpos = L->mpos;
    k->mneg = L->mneg;
    k->at_top = L->at_top;
    k->break_pending = L->break_pending;
    k->inl_depth = L->ninl;
    k->frames = xrealloc(k->frames, (L->nfr + 1) * sizeof *k->frames);
    memcpy(k->frames, L->fr, L->nfr * sizeof *L->fr);
}

/* Cuts the page back to the keep point and starts a new page there. */
static int rewind_keep(lay *L)
{
    keep *k = &L->kp;
    page *pg = cur_page(L);

    pg->count = k->nitems;
    L->pg->noutline = k->noutline;
    L->pg->nanchor = k->nanchor;
    L->y = k->y;
    L->mpos = k->mpos;
    L->mneg = k->mneg;
    L->at_top = k->at_top;
    L->break_pending = 0;
    L->nfr = k->depth;
    memcpy(L->fr, k->frames, k->depth * sizeof *L->fr);
    L->ninl = k->inl_depth;
    L->skipped_depth = 0;
    L->nitem = 0;
    L->text.len = 0;
    L->pending_space = 0;
    k->active = 0;
    L->rewind_to = NULL;
    return new_page(L, 0);
}

/***  Paragraphs: collecting  ***/

static void reserve_items(lay *L, size_t extra)
{
    if (L->nitem + extra > L->item_cap) {
        L->item_cap = (L->nitem + extra) * 2;
        L->item = xrealloc(L->item, L->item_cap * sizeof *L->item);
        L->frag = xrealloc(L->frag, L->item_cap * sizeof *L->frag);
    }
}

static void add_item(lay *L, lb_item it, frag fr)
{
    reserve_items(L, 1);
    L->item[L->nitem] = it;
    L->frag[L->nitem] = fr;
    L->nitem++;
}

/* The run for text under element style ST in the current inline context (cached). */
static const run *run_for(lay *L, const style *st)
{
    inline_ctx c = L->ninl ? L->inl[L->ninl - 1] : (inline_ctx){ 0, NULL, 0 };
    run *r;

    if (L->run_cur && L->run_st == st && L->run_ctx.decor == c.decor &&
        L->run_ctx.href == c.href && L->run_ctx.rise == c.rise)
        return L->run_cur;
    r = arena_alloc(L->a, sizeof *r);
    r->face = face_of(L, st);
    r->size = font_size_of(st);
    r->color = st->color;
    r->rise = c.rise;
    r->decor = c.decor | st->text_decoration;
    r->href = c.href;
    line_metrics(L, st, r->face, r->size, &r->asc, &r->desc);
    L->run_st = st;
    L->run_ctx = c;
    L->run_cur = r;
    return r;
}

/* A run like R but in face FACE (a fallback for some characters). */
static const run *run_in_face(lay *L, const run *r, int fi)
{
    run *n;

    if (fi == r->face)
        return r;
    n = arena_alloc(L->a, sizeof *n);
    *n = *r;
    n->face = fi;
    return n;
}

static unsigned line_of(const xmlNode *n)
{
    while (n && n->line == 0)
        n = n->parent;
    return n ? n->line : 0;
}

static void warn_missing(lay *L, const xmlNode *n, uint32_t cp)
{
    char u[8];
    utf8proc_ssize_t k;

    for (size_t i = 0; i < L->nwarned; i++)
        if (L->warned[i] == cp)
            return;
    if (L->nwarned < MAX_WARNED)
        L->warned[L->nwarned++] = cp;
    k = utf8proc_encode_char((utf8proc_int32_t)cp, (utf8proc_uint8_t *)u);
    u[k > 0 ? k : 0] = 0;
    diag_warning(L->d, L->source, line_of(n), 0, "no font has U+%04X '%s'", (unsigned)cp, u);
}

static size_t decode(const unsigned char *s, size_t n, uint32_t *cp)
{
    utf8proc_int32_t c;
    utf8proc_ssize_t k;

    if (s[0] < 0x80) {
        *cp = s[0];
        return 1;
    }
    k = utf8proc_iterate(s, (utf8proc_ssize_t)n, &c);
    if (k <= 0) {
        *cp = 0xFFFD;
        return 1;
    }
    *cp = (uint32_t)c;
    return (size_t)k;
}

/* Appends a box for TEXT[0..N) in run R (already known to have every glyph). */
static void add_box(lay *L, const char *s, size_t n, const run *r, float w)
{
    size_t off = L->text.len;

    buf_put(&L->text, s, n);
    add_item(L, (lb_item){ .kind = LB_BOX, .width = w }, (frag){ FR_BOX, off, n, r });
}

/* Appends the word S[0..N) in run R: one box per stretch of characters in one face (a
 * character the face lacks goes to a fallback face; one no face has becomes '?'). */
static void add_word(lay *L, const xmlNode *n, const style *st, const char *s, size_t len,
                     const run *r)
{
    const unsigned char *u = (const unsigned char *)s;
    size_t i = 0, seg = 0;
    float w = 0, k = r->size / 1000;
    const run *cur = r;

    while (i < len) {
        uint32_t cp;
        size_t step = decode(u + i, len - i, &cp);
        float adv = cur->face >= 0 ? font_advance(L->fs, cur->face, cp) : 0;
        if (adv == 0 && (cur->face < 0 || !font_has_glyph(L->fs, cur->face, cp))) {
            int f = font_for_char(L->fs, st->font_family, st->font_weight, st->font_italic,
                                  r->face, cp);
            if (f < 0 && (cp < 0x20 || (cp >= 0x7F && cp < 0xA0) || cp == 0x200B ||
                          cp == 0xFEFF || cp == 0xAD)) {
                /* controls and invisible format characters: drop silently */
                if (i > seg)
                    add_box(L, s + seg, i - seg, cur, w);
                i += step;
                seg = i;
                w = 0;
                continue;
            }
            if (i > seg)
                add_box(L, s + seg, i - seg, cur, w);
            w = 0;
            if (f < 0) {
                warn_missing(L, n, cp);
                add_box(L, "?", 1, r, r->face >= 0 ? font_advance(L->fs, r->face, '?') * k : 0);
                i += step;
                seg = i;
                cur = r;
                continue;
            }
            cur = run_in_face(L, r, f);
            seg = i;
            adv = font_advance(L->fs, f, cp);
        } else if (cur != r && i > seg && font_has_glyph(L->fs, r->face, cp)) {
            add_box(L, s + seg, i - seg, cur, w); /* back to the element's face */
            cur = r;
            seg = i;
            w = 0;
            adv = font_advance(L->fs, r->face, cp);
        }
        w += adv * k;
        i += step;
    }
    if (i > seg)
        add_box(L, s + seg, i - seg, cur, w);
}

static void add_space(lay *L, const run *r, int stretchy)
{
    float w = r->face >= 0 ? font_advance(L->fs, r->face, ' ') * r->size / 1000 : r->size / 4;
    size_t off = L->text.len;

    buf_putc(&L->text, ' ');
    add_item(L,
             (lb_item){ .kind = LB_GLUE, .width = w, .stretch = stretchy ? w / 2 : 0,
                        .shrink = stretchy ? w / 3 : 0 },
             (frag){ FR_GLUE, off, 1, r });
}

static void add_forced_break(lay *L, const run *r)
{
    add_item(L, (lb_item){ .kind = LB_GLUE, .stretch = LINEBREAK_FIL }, (frag){ FR_GLUE, 0, 0, r });
    add_item(L, (lb_item){ .kind = LB_PENALTY, .penalty = -LINEBREAK_INF },
             (frag){ FR_BREAK, 0, 0, r });
}

static int is_space(int c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
}

/* Text transformed as ST asks (uppercase: per code point, then NFC again, so "ư" → "Ư",
 * "đ" → "Đ"), and in NFC when it holds combining marks (NFD input). Returns S itself or a
 * string the caller frees. */
static char *prepare_text(const style *st, const char *s, size_t *len)
{
    int comb = 0;
    buf b = BUF_INIT;
    char *out;

    for (size_t i = 0; i < *len; i++)
        if ((unsigned char)s[i] == 0xCC || (unsigned char)s[i] == 0xCD) {
            comb = 1;
            break;
        }
    if (!comb && st->text_transform != TRANSFORM_UPPERCASE &&
        st->text_transform != TRANSFORM_LOWERCASE)
        return NULL;
    for (size_t i = 0; i < *len;) {
        uint32_t cp;
        size_t k = decode((const unsigned char *)s + i, *len - i, &cp);
        utf8proc_uint8_t u[4];
        utf8proc_ssize_t m;
        if (st->text_transform == TRANSFORM_UPPERCASE)
            cp = (uint32_t)utf8proc_toupper((utf8proc_int32_t)cp);
        else if (st->text_transform == TRANSFORM_LOWERCASE)
            cp = (uint32_t)utf8proc_tolower((utf8proc_int32_t)cp);
        m = utf8proc_encode_char((utf8proc_int32_t)cp, u);
        buf_put(&b, u, (size_t)(m > 0 ? m : 0));
        i += k;
    }
    out = (char *)utf8proc_NFC((const utf8proc_uint8_t *)buf_cstr(&b));
    buf_free(&b);
    if (!out)
        return NULL;
    *len = strlen(out);
    return out;
}

/* Adds text node N to the paragraph. */
static void add_text(lay *L, const xmlNode *n)
{
    const style *st = style_of(n);
    const char *s = (const char *)n->content;
    size_t len, i = 0;
    const run *r;
    char *owned;
    int pre, wrap;

    if (!st || !s)
        return;
    len = strlen(s);
    owned = prepare_text(st, s, &len);
    if (owned)
        s = owned;
    r = run_for(L, st);
    pre = st->white_space == WS_PRE || st->white_space == WS_PRE_WRAP;
    wrap = st->white_space != WS_NOWRAP && st->white_space != WS_PRE;
    if (!L->para_node)
        L->para_node = n;
    while (i < len) {
        size_t j = i;
        if (pre) {
            while (j < len && s[j] != '\n')
                j++;
            if (j > i) {
                /* tabs as four spaces; spaces kept (they do not stretch) */
                for (size_t k = i; k < j; k++) {
                    size_t e = k;
                    while (e < j && s[e] != '\t')
                        e++;
                    if (e > k)
                        add_word(L, n, st, s + k, e - k, r);
                    if (e < j)
                        add_word(L, n, st, "    ", 4, r);
                    k = e;
                }
            }
            if (j < len)
                add_forced_break(L, r);
            i = j + 1;
            continue;
        }
        if (is_space((unsigned char)s[i])) {
            if (L->nitem > 0 && L->frag[L->nitem - 1].kind != FR_BREAK) {
                L->pending_space = 1;
                L->space_run = r;
                L->space_wrap = wrap;
            }
            i++;
            continue;
        }
        while (j < len && !is_space((unsigned char)s[j]))
            j++;
        if (L->pending_space) {
            /* a space breaks by the white-space of the text it stands in (CSS Text 3 §5.1):
             * "Hà Nội, <span nowrap>ngày …</span>" may break before the span */
            if (L->space_wrap)
                add_space(L, L->space_run, 1);
            else
                add_word(L, n, st, " ", 1, L->space_run);
            L->pending_space = 0;
        }
        add_word(L, n, st, s + i, j - i, r);
        i = j;
    }
    free(owned);
}

/***  Paragraphs: breaking and placing  ***/

/* Splits boxes wider than WIDTH into grapheme clusters with penalties between them, so that
 * a long word breaks rather than overflows. Rare: only copies when a box is too wide. */
static void split_long_words(lay *L, float width)
{
    size_t n = L->nitem, *ends = NULL, ends_cap = 0;
    lb_item *it;
    frag *fr;
    int any = 0;

    for (size_t i = 0; i < n; i++)
        if (L->item[i].kind == LB_BOX && L->item[i].width > width)
            any = 1;
    if (!any)
        return;
    it = L->item;
    fr = L->frag;
    L->item = NULL;
    L->frag = NULL;
    L->item_cap = L->nitem = 0;
    reserve_items(L, n + 16);
    for (size_t i = 0; i < n; i++) {
        const char *s;
        size_t nc, start = 0;
        float k;
        if (it[i].kind != LB_BOX || it[i].width <= width) {
            add_item(L, it[i], fr[i]);
            continue;
        }
        if (fr[i].len > ends_cap) {
            ends_cap = fr[i].len;
            ends = xrealloc(ends, ends_cap * sizeof *ends);
        }
        s = L->text.ptr + fr[i].off;
        nc = linebreak_clusters(s, fr[i].len, ends, ends_cap);
        k = fr[i].r->size / 1000;
        for (size_t c = 0; c < nc; c++) {
            float w = 0;
            for (size_t p = start; p < ends[c];) {
                uint32_t cp;
                p += decode((const unsigned char *)s + p, ends[c] - p, &cp);
                w += font_advance(L->fs, fr[i].r->face, cp) * k;
            }
            if (c > 0) /* after a hyphen is the better place */
                add_item(L, (lb_item){ .kind = LB_PENALTY,
                                       .penalty = s[start - 1] == '-' ? 0 : CLUSTER_PENALTY },
                         (frag){ FR_BREAK, 0, 0, fr[i].r });
            add_item(L, (lb_item){ .kind = LB_BOX, .width = w },
                     (frag){ FR_BOX, fr[i].off + start, ends[c] - start, fr[i].r });
            start = ends[c];
        }
    }
    free(ends);
    free(it);
    free(fr);
}

typedef struct line_box {
    float above, below; /* extent of the line box around its baseline */
} line_box;

static line_box measure_line(const lay *L, const lb_line *ln, float sa, float sd)
{
    line_box b = { sa, sd };

    for (size_t i = ln->start; i < ln->end && i < L->nitem; i++) {
        const frag *f = &L->frag[i];
        if (f->kind != FR_BOX)
            continue;
        if (f->r->asc + f->r->rise > b.above)
            b.above = f->r->asc + f->r->rise;
        if (f->r->desc - f->r->rise > b.below)
            b.below = f->r->desc - f->r->rise;
    }
    return b;
}

static int same_look(const run *a, const run *b)
{
    return a == b || (a->face == b->face && a->size == b->size && a->rise == b->rise &&
                      memcmp(&a->color, &b->color, sizeof a->color) == 0 &&
                      a->decor == b->decor && a->href == b->href);
}

static void emit_text(lay *L, const run *r, size_t off, size_t len, float x, float base,
                      float w)
{
    pg_item *it;

    if (len == 0 || r->face < 0)
        return;
    it = push(L, PG_TEXT);
    it->u.text = (pg_text){ .x = x, .y = base + r->rise, .size = r->size, .width = w,
                            .face = r->face, .color = r->color,
                            .text = arena_strndup(L->a, L->text.ptr + off, len), .len = len };
}

static void emit_link(lay *L, const char *href, float x, float y, float w, float h)
{
    pg_item *it = push(L, PG_LINK);

    it->u.link.x = x;
    it->u.link.y = y;
    it->u.link.w = w;
    it->u.link.h = h;
    if (href[0] == '#')
        it->u.link.anchor = arena_strdup(L->a, href + 1);
    else
        it->u.link.uri = arena_strdup(L->a, href);
}

static void emit_decor(lay *L, const run *r, float x, float base, float w)
{
    const face *f = r->face >= 0 ? font_at(L->fs, r->face) : NULL;
    float k = r->size / 1000;
    float th = f && f->underline_thickness > 0 ? f->underline_thickness * k : r->size / 18;

    if (w <= 0)
        return;
    if (r->decor & DECOR_UNDERLINE) {
        float pos = f && f->underline_pos != 0 ? f->underline_pos * k : -r->size / 10;
        draw_line(L, x, base + r->rise + pos, x + w, base + r->rise + pos, th, r->color,
                  PG_SOLID);
    }
    if (r->decor & DECOR_LINE_THROUGH) {
        float pos = f && f->x_height > 0 ? f->x_height * k / 2 : r->size / 4;
        draw_line(L, x, base + r->rise + pos, x + w, base + r->rise + pos, th, r->color,
                  PG_SOLID);
    }
}

/* Segments of a line that are drawn as one piece: a text run, a decoration, a link. */
typedef struct span {
    int open;
    float x, end; /* from x to end */
    const run *r;
    size_t off, stop; /* text runs: bytes [off, stop) of the paragraph buffer */
} span;

/* Draws line LN with its baseline at BASE, content box [X, X+W), aligned as ALIGN. Text
 * runs merge boxes and natural-width spaces of one look; justified glue splits them. */
static void draw_para_line(lay *L, const lb_line *ln, float x, float w, float base,
                           text_align align, int last, line_box lb)
{
    float r = ln->ratio, pos;
    size_t end = ln->end < L->nitem ? ln->end : L->nitem;
    span t = { 0 }, dec = { 0 }, lnk = { 0 };
    int glue_ok = 0; /* the text run may continue over the space just passed */

    if (align != ALIGN_JUSTIFY || last || !isfinite(r))
        r = 0;
    if (align == ALIGN_RIGHT)
        pos = x + w - ln->natural;
    else if (align == ALIGN_CENTER)
        pos = x + (w - ln->natural) / 2;
    else
        pos = x;
    while (end > ln->start && L->frag[end - 1].kind != FR_BOX)
        end--; /* trailing glue (a space before a <br>) is not drawn */
    for (size_t i = ln->start; i < end; i++) {
        const frag *f = &L->frag[i];
        const lb_item *it = &L->item[i];
        float fw = it->width;
        if (f->kind == FR_BREAK)
            continue;
        if (f->kind == FR_GLUE) {
            if (r != 0)
                fw += r > 0 ? r * it->stretch : r * it->shrink;
            glue_ok = t.open && r == 0 && f->len == 1 && f->off == t.stop && same_look(t.r, f->r);
            pos += fw;
            continue;
        }
        /* a box */
        if (t.open && same_look(t.r, f->r) &&
            (f->off == t.stop || (glue_ok && f->off == t.stop + 1))) {
            t.stop = f->off + f->len;
            t.end = pos + fw;
        } else {
            if (t.open)
                emit_text(L, t.r, t.off, t.stop - t.off, t.x, base, t.end - t.x);
            t = (span){ 1, pos, pos + fw, f->r, f->off, f->off + f->len };
        }
        glue_ok = 0;
        if (f->r->decor) {
            if (dec.open && same_look(dec.r, f->r)) {
                dec.end = pos + fw;
            } else {
                if (dec.open)
                    emit_decor(L, dec.r, dec.x, base, dec.end - dec.x);
                dec = (span){ 1, pos, pos + fw, f->r, 0, 0 };
            }
        } else if (dec.open) {
            emit_decor(L, dec.r, dec.x, base, dec.end - dec.x);
            dec.open = 0;
        }
        if (lnk.open && lnk.r->href != f->r->href) {
            emit_link(L, lnk.r->href, lnk.x, base - lb.below, lnk.end - lnk.x, lb.above + lb.below);
            lnk.open = 0;
        }
        if (f->r->href) {
            if (!lnk.open)
                lnk = (span){ 1, pos, pos, f->r, 0, 0 };
            lnk.end = pos + fw;
        }
        pos += fw;
    }
    if (t.open)
        emit_text(L, t.r, t.off, t.stop - t.off, t.x, base, t.end - t.x);
    if (dec.open)
        emit_decor(L, dec.r, dec.x, base, dec.end - dec.x);
    if (lnk.open)
        emit_link(L, lnk.r->href, lnk.x, base - lb.below, lnk.end - lnk.x, lb.above + lb.below);
}

static void draw_marker(lay *L, float base);

static frame *top_frame(lay *L)
{
    return &L->fr[L->nfr - 1];
}

/* Breaks the paragraph collected so far and places its lines. Returns 0, 1 to rewind, -1
 * on a runaway. */
static int flush_para(lay *L)
{
    frame *f;
    const style *st;
    int has_box = 0, face_i, heading, rc = 0;
    float widths[2], indent, sa, sd, size;
    lb_result res;
    line_box *boxes = NULL;
    size_t i;

    for (i = 0; i < L->nitem && !has_box; i++)
        has_box = L->frag[i].kind == FR_BOX || L->frag[i].kind == FR_BREAK;
    L->pending_space = 0;
    if (!has_box || L->nfr == 0) {
        L->nitem = 0;
        L->text.len = 0;
        L->para_node = NULL;
        return 0;
    }
    f = top_frame(L);
    st = f->st;
    heading = f->heading;
    indent = resolve(st->text_indent, f->w);
    widths[0] = f->w - (indent > 0 ? indent : 0);
    widths[1] = f->w;
    if (widths[0] < MIN_CONTENT)
        widths[0] = MIN_CONTENT;
    /* a <br> that ends a paragraph makes no empty line (as in browsers), unless it is all
     * the paragraph holds */
    if (L->nitem > 2 && L->frag[L->nitem - 1].kind == FR_BREAK &&
        L->item[L->nitem - 1].penalty <= -LINEBREAK_INF)
        L->nitem -= 2;
    split_long_words(L, f->w);
    add_item(L, (lb_item){ .kind = LB_GLUE, .stretch = LINEBREAK_FIL },
             (frag){ FR_GLUE, 0, 0, L->frag[0].r });
    add_item(L, (lb_item){ .kind = LB_PENALTY, .penalty = -LINEBREAK_INF },
             (frag){ FR_BREAK, 0, 0, L->frag[0].r });
    if (st->text_align == ALIGN_JUSTIFY && L->nitem < HUGE_PARA) {
        linebreak_optimal(L->lb, L->item, L->nitem, widths, 2, NULL, &res);
    } else {
        for (i = 0; i < L->nitem; i++) /* ragged lines never shrink their spaces */
            L->item[i].shrink = 0;
        linebreak_greedy(L->lb, L->item, L->nitem, widths, 2, NULL, &res);
    }
    face_i = face_of(L, st);
    size = font_size_of(st);
    line_metrics(L, st, face_i, size, &sa, &sd);
    boxes = xmalloc((res.nlines + 1) * sizeof *boxes);
    for (i = 0; i < res.nlines; i++)
        boxes[i] = measure_line(L, &res.line[i], sa, sd);
    flush_margin(L);
    i = 0;
    while (i < res.nlines) {
        size_t fit = 0, k, left = res.nlines - i;
        float y = L->y;
        int orphans = st->orphans > 0 ? st->orphans : 1;
        int widows = st->widows > 0 ? st->widows : 1;
        if (L->break_pending && (rc = new_page(L, 0)) != 0)
            goto out;
        y = L->y;
        while (fit < left && y - (boxes[i + fit].above + boxes[i + fit].below) >= L->bottom - 0.01f) {
            y -= boxes[i + fit].above + boxes[i + fit].below;
            fit++;
        }
        k = fit;
        if (k < left) {
            if (i == 0 && k < (size_t)orphans)
                k = 0;
            if (k > 0 && left - k < (size_t)widows)
                k = left > (size_t)widows ? left - (size_t)widows : 0;
            if (i == 0 && k > 0 && k < (size_t)orphans)
                k = 0;
            if (k == 0 && L->at_top)
                k = fit > 0 ? fit : 1; /* progress: an empty page takes a line anyway */
        }
        for (size_t j = 0; j < k; j++) {
            lb_line *ln = &res.line[i + j];
            float lx = f->x + (i + j == 0 && indent > 0 ? indent : 0);
            float lw = i + j == 0 ? widths[0] : widths[1];
            float base = L->y - boxes[i + j].above;
            draw_para_line(L, ln, lx, lw, base, st->text_align, i + j + 1 == res.nlines ||
                           (ln->end < L->nitem && L->item[ln->end].kind == LB_PENALTY &&
                            L->item[ln->end].penalty <= -LINEBREAK_INF),
                           boxes[i + j]);
            if (L->mk_pending && i + j == 0)
                draw_marker(L, base);
            L->y -= boxes[i + j].above + boxes[i + j].below;
            L->at_top = 0;
        }
        if (k > 0 && !heading && L->kp.active && !L->kp.avoid)
            L->kp.active = 0; /* what the heading keeps with has started here */
        i += k;
        if (i < res.nlines && (rc = new_page(L, 1)) != 0)
            goto out;
    }
out:
    free(boxes);
    L->nitem = 0;
    L->text.len = 0;
    L->para_node = NULL;
    return rc;
}

/* Defined with lists, tables and the walk, below. */
static int has_class(const xmlNode *n, const char *cls);
static int is_list_element(const xmlNode *n);
static void set_marker(lay *L, const xmlNode *n, const style *st, const frame *f);
static void push_inline(lay *L, const xmlNode *n, const style *st);
static int skip_element(const xmlNode *n);

/***  Blocks  ***/

static void push_frame(lay *L, frame f)
{
    if (L->nfr == L->fr_cap) {
        L->fr_cap = L->fr_cap ? L->fr_cap * 2 : 32;
        L->fr = xrealloc(L->fr, L->fr_cap * sizeof *L->fr);
    }
    L->fr[L->nfr++] = f;
}

/* Sets F's content and border box across from its style F->st in a containing block at
 * CX of width CW. */
static void frame_geometry(frame *f, float cx, float cw)
{
    const style *st = f->st;
    float ml, mr, bl, br, pl, pr, w;

    ml = resolve(st->margin[SIDE_LEFT], cw);
    mr = resolve(st->margin[SIDE_RIGHT], cw);
    bl = st->border_style[SIDE_LEFT] != BORDER_NONE ? clampf(st->border_width[SIDE_LEFT], 0, 1e4f) : 0;
    br = st->border_style[SIDE_RIGHT] != BORDER_NONE ? clampf(st->border_width[SIDE_RIGHT], 0, 1e4f) : 0;
    pl = resolve(st->padding[SIDE_LEFT], cw);
    pr = resolve(st->padding[SIDE_RIGHT], cw);
    if (st->width.unit != LEN_AUTO) {
        w = resolve(st->width, cw);
        if (st->margin[SIDE_LEFT].unit == LEN_AUTO && st->margin[SIDE_RIGHT].unit == LEN_AUTO)
            ml = (cw - w - bl - br - pl - pr) / 2;
    } else {
        w = cw - ml - mr - bl - br - pl - pr;
    }
    if (st->max_width.unit != LEN_AUTO && w > resolve(st->max_width, cw))
        w = resolve(st->max_width, cw);
    if (w < MIN_CONTENT)
        w = MIN_CONTENT;
    f->bx = cx + ml;
    f->bw = w + bl + br + pl + pr;
    f->x = f->bx + bl + pl;
    f->w = w;
}

/* A block whose used `page` value is not the current page's starts a page of its type
 * (css-page-3 §3.2, a forced break); an empty current page becomes that page instead.
 * Returns what new_page returns. */
static int page_type_break(lay *L, const xmlNode *n)
{
    const char *name = style_used_page(n);
    page_style ps;
    page *pg;
    float old_top, dy, w, h;

    if (name == L->pname || (name && L->pname && strcmp(name, L->pname) == 0))
        return 0;
    L->pname = name;
    L->name_changed = 1;
    if (!L->at_top || cur_page(L)->count != 0)
        return new_page(L, 0);
    /* nothing drawn yet: restyle this page (the document starts with a named block) */
    pg = cur_page(L);
    memset(&ps, 0, sizeof ps);
    style_page(L->ss, L->root, (int)L->pno + 1, name, 1, &ps, L->a);
    w = clampf(ps.width, 1, 1e5f);
    h = clampf(ps.height, 1, 1e5f);
    pg->width = w;
    pg->height = h;
    L->pinfo[L->pno] = (page_info){ name, 1 };
    old_top = L->top;
    page_geometry(L, &ps, w, h, 1);
    L->name_changed = 0;
    dy = L->top - old_top;
    L->y += dy;
    for (size_t i = 0; i < L->nfr; i++)
        if (L->fr[i].frag_page == L->pno)
            L->fr[i].frag_top += dy;
    for (size_t i = 0; i < L->pg->nanchor; i++)
        if (L->pg->anchor[i].page == L->pno)
            L->pg->anchor[i].y += dy;
    for (size_t i = 0; i < L->pg->noutline; i++)
        if (L->pg->outline[i].page == L->pno)
            L->pg->outline[i].y += dy;
    reflow_frames(L);
    return 0;
}

static int open_block(lay *L, const xmlNode *n, const style *st)
{
    frame f = { 0 }, *parent = L->nfr ? top_frame(L) : NULL;
    float cw = parent ? parent->w : L->width, cx = parent ? parent->x : L->left;
    float pt, bt;
    int rc;
    const char *id;

    if ((rc = page_type_break(L, n)) != 0)
        return rc;
    parent = L->nfr ? top_frame(L) : NULL; /* its geometry may have changed */
    cw = parent ? parent->w : L->width;
    cx = parent ? parent->x : L->left;
    if (st->break_before == BREAK_PAGE && !L->at_top)
        L->break_pending = 1;
    if (L->break_pending && (rc = new_page(L, 0)) != 0)
        return rc;
    f.node = n;
    f.st = st;
    f.heading = heading_level(n);
    frame_geometry(&f, cx, cw);
    f.first_frag = 1;
    for (int s = 0; s < 4; s++)
        f.has_border |= st->border_width[s] > 0 && st->border_style[s] != BORDER_NONE;
    if ((f.heading || st->break_inside == BREAK_AVOID) && !L->kp.active)
        set_keep(L, n, !f.heading);
    add_margin(L, resolve(st->margin[SIDE_TOP], cw));
    pt = resolve(st->padding[SIDE_TOP], cw);
    bt = st->border_style[SIDE_TOP] != BORDER_NONE ? clampf(st->border_width[SIDE_TOP], 0, 1e4f) : 0;
    if (pt > 0 || bt > 0 || st->background_color.a || f.has_border) {
        flush_margin(L);
        begin_fragment(L, &f, L->y);
        L->y -= pt + bt;
        if (pt + bt > 0)
            L->at_top = 0;
    } else {
        f.frag_page = L->pno;
        f.frag_top = L->y - pending_margin(L);
    }
    if ((id = attr(n, "id")) != NULL)
        pages_add_anchor(L->pg, id, L->pno, L->y - (L->at_top ? 0 : pending_margin(L)));
    if (f.heading >= 1 && f.heading <= 3) {
        char *t = plain_text(n);
        if (t[0])
            pages_add_outline(L->pg, f.heading, t, L->pno,
                              L->y - (L->at_top ? 0 : pending_margin(L)));
        free(t);
    }
    if (is_list_element(n)) {
        f.is_list = 1;
        listmark_start(&f.lm, n);
        f.vn_alpha = has_class(n, "vn-alpha");
    }
    if (st->display == DISPLAY_LIST_ITEM)
        set_marker(L, n, st, &f);
    push_frame(L, f);
    return 0;
}

static int close_block(lay *L)
{
    frame *f = top_frame(L);
    const style *st = f->st;
    float cw = L->nfr > 1 ? L->fr[L->nfr - 2].w : L->width;
    float pb = resolve(st->padding[SIDE_BOTTOM], cw);
    float bb = st->border_style[SIDE_BOTTOM] != BORDER_NONE ? clampf(st->border_width[SIDE_BOTTOM], 0, 1e4f) : 0;

    if (is_named(f->node, "hr") && !f->has_border) {
        flush_margin(L);
        draw_line(L, f->bx, L->y - 0.5f, f->bx + f->bw, L->y - 0.5f, 0.75f,
                  (rgba){ 128, 128, 128, 255 }, PG_SOLID);
        L->y -= 1;
        L->at_top = 0;
    }
    if (pb > 0 || bb > 0 || f->bg || f->has_border) {
        flush_margin(L);
        L->y -= pb + bb;
        if (L->y < L->bottom)
            L->y = L->bottom;
        L->at_top = 0;
        end_fragment(L, f, L->y, 1);
    }
    if (L->mk_pending && L->mk_depth == L->nfr - 1) { /* an item without text */
        float a, dsc;
        line_metrics(L, L->mk_st, face_of(L, L->mk_st), font_size_of(L->mk_st), &a, &dsc);
        if (f->frag_page == L->pno)
            draw_marker(L, f->frag_top - a);
        L->mk_pending = 0;
    }
    if (L->kp.active && L->kp.avoid && L->kp.depth == L->nfr - 1)
        L->kp.active = 0; /* the avoided block ended on the page it began */
    add_margin(L, resolve(st->margin[SIDE_BOTTOM], cw));
    if (st->break_after == BREAK_PAGE)
        L->break_pending = 1;
    L->nfr--;
    return 0;
}

/***  Lists  ***/

static int has_class(const xmlNode *n, const char *cls)
{
    const char *c = attr(n, "class");
    size_t k = strlen(cls);

    while (c && *c) {
        while (*c == ' ' || *c == '\t' || *c == '\n')
            c++;
        if (strncmp(c, cls, k) == 0 && (c[k] == 0 || c[k] == ' ' || c[k] == '\t' || c[k] == '\n'))
            return 1;
        while (*c && *c != ' ' && *c != '\t' && *c != '\n')
            c++;
    }
    return 0;
}

static int is_list_element(const xmlNode *n)
{
    return is_named(n, "ol") || is_named(n, "ul") || is_named(n, "menu") || is_named(n, "dir");
}

/* Every character of S[0..N) is in face FI. */
static int face_covers(lay *L, int fi, const char *s, size_t n)
{
    for (size_t i = 0; i < n;) {
        uint32_t cp;
        i += decode((const unsigned char *)s + i, n - i, &cp);
        if (!font_has_glyph(L->fs, fi, cp))
            return 0;
    }
    return 1;
}

/* Prepares the marker of list item N (frame F about to open): its number from the nearest
 * list, its text or bullet; it is drawn beside the item's first line (draw_marker). */
static void set_marker(lay *L, const xmlNode *n, const style *st, const frame *f)
{
    frame *list = NULL;
    int num = 1, fi = face_of(L, st);
    uint32_t bullet = listmark_bullet(st->list_style_type);
    buf b = BUF_INIT;

    for (size_t i = L->nfr; i-- > 0;)
        if (L->fr[i].is_list) {
            list = &L->fr[i];
            break;
        }
    if (list)
        num = listmark_next(&list->lm, n);
    L->mk_pending = 0;
    L->mk_text = NULL;
    L->mk_bullet = 0;
    if (bullet) {
        utf8proc_uint8_t u[4];
        utf8proc_ssize_t k = utf8proc_encode_char((utf8proc_int32_t)bullet, u);
        if (fi >= 0 && font_has_glyph(L->fs, fi, bullet))
            L->mk_text = arena_strndup(L->a, (const char *)u, (size_t)k);
        else
            L->mk_bullet = bullet; /* drawn as a shape */
    } else {
        listmark_text(&b, st->list_style_type, st->list_style_string, num,
                      list && list->vn_alpha);
        if (b.len)
            L->mk_text = arena_strndup(L->a, b.ptr, b.len);
        buf_free(&b);
        if (!L->mk_text)
            return;
    }
    L->mk_pending = 1;
    L->mk_depth = L->nfr;
    L->mk_st = st;
    L->mk_x = f->x;
}

/* Draws the pending marker with its baseline at BASE on the current page, its right edge a
 * space before the item's content edge (a string marker such as "- " brings its own). */
static void draw_marker(lay *L, float base)
{
    const style *st = L->mk_st;
    int fi = face_of(L, st);
    float size = font_size_of(st), gap;
    pg_item *it;

    L->mk_pending = 0;
    if (fi < 0)
        return;
    gap = st->list_style_type == LIST_STRING ? 0 : font_advance(L->fs, fi, ' ') * size / 1000;
    if (L->mk_text) {
        size_t len = strlen(L->mk_text);
        float w;
        if (!face_covers(L, fi, L->mk_text, len)) {
            uint32_t cp = 0;
            for (size_t i = 0; i < len;) { /* the first character the face lacks */
                uint32_t c;
                i += decode((const unsigned char *)L->mk_text + i, len - i, &c);
                if (!font_has_glyph(L->fs, fi, c)) {
                    cp = c;
                    break;
                }
            }
            fi = font_for_char(L->fs, st->font_family, st->font_weight, st->font_italic, fi, cp);
            if (fi < 0 || !face_covers(L, fi, L->mk_text, len)) {
                warn_missing(L, NULL, cp);
                return;
            }
        }
        w = font_width(L->fs, fi, L->mk_text, len, size);
        it = push(L, PG_TEXT);
        it->u.text = (pg_text){ .x = L->mk_x - gap - w, .y = base, .size = size, .width = w,
                                .face = fi, .color = st->color, .text = L->mk_text, .len = len };
    } else if (L->mk_bullet) { /* no glyph: a drawn disc, circle or square */
        float r = size * 0.16f, cx = L->mk_x - gap - r, cy = base + size * 0.3f;
        if (L->mk_bullet == 0x25AA) {
            it = push(L, PG_RECT);
            it->u.rect =
                (pg_rect){ .x = cx - r, .y = cy - r, .w = 2 * r, .h = 2 * r, .fill = st->color };
        } else {
            enum { NPT = 16 };
            pg_op *op = arena_alloc(L->a, (NPT + 1) * sizeof *op);
            float *pt = arena_alloc(L->a, 2 * NPT * sizeof *pt);
            for (int k = 0; k < NPT; k++) {
                op[k] = k ? PG_LINETO : PG_MOVE;
                pt[2 * k] = cx + r * cosf(6.2831853f * (float)k / NPT);
                pt[2 * k + 1] = cy + r * sinf(6.2831853f * (float)k / NPT);
            }
            op[NPT] = PG_CLOSE;
            it = push(L, PG_PATH);
            it->u.path.op = op;
            it->u.path.pt = pt;
            it->u.path.nop = NPT + 1;
            if (L->mk_bullet == 0x2022)
                it->u.path.fill = st->color;
            else
                it->u.path.stroke = st->color;
            it->u.path.line_width = size / 20;
        }
    }
}

/***  Images  ***/

/* SRC resolved against the folder of the document (an absolute SRC stays). */
static char *image_path(const lay *L, const char *src)
{
    const char *slash = strrchr(L->source, '/');
    buf b = BUF_INIT;

    if (src[0] != '/' && slash) {
        buf_put(&b, L->source, (size_t)(slash - L->source) + 1);
    }
    buf_puts(&b, src);
    buf_putc(&b, 0);
    return buf_detach(&b, NULL);
}

static float px_attr(const xmlNode *n, const char *name)
{
    const char *v = attr(n, name);
    char *end;
    double d;

    if (!v)
        return 0;
    d = strtod(v, &end);
    if (end == v || *end == '%' || !(d > 0) || d > 1e6)
        return 0;
    return (float)d * 0.75f; /* CSS px */
}

/* Places <img> N as a block of its own: sized by CSS or attributes keeping the aspect ratio,
 * never wider than the text block nor taller than the page; moved to the next page when it
 * does not fit. Returns 0, 1 to rewind, -1 on a runaway. */
static int place_image(lay *L, const xmlNode *n, const style *st)
{
    const char *src = attr(n, "src");
    frame *parent = L->nfr ? top_frame(L) : NULL;
    float cw = parent ? parent->w : L->width, cx = parent ? parent->x : L->left;
    float w = 0, h = 0, nw, nh, mw, x;
    int pw, ph, rc;
    char why[256], *path;
    pg_item *it;

    if (!src || !src[0]) {
        diag_warning(L->d, L->source, line_of(n), 0, "image without src is left out");
        return 0;
    }
    if (strncmp(src, "data:", 5) == 0 || strstr(src, "://")) {
        diag_warning(L->d, L->source, line_of(n), 0,
                     "image '%.200s' is not a local file: left out", src);
        return 0;
    }
    path = image_path(L, src);
    if (imgsize_read(path, &pw, &ph, why, sizeof why) < 0) {
        diag_error(L->d, L->source, line_of(n), 0, "cannot read image '%s': %s", src, why);
        L->failed = 1;
        free(path);
        return 0;
    }
    nw = (float)pw * 0.75f; /* 96 pixels to the inch, as browsers */
    nh = (float)ph * 0.75f;
    if (st->width.unit != LEN_AUTO)
        w = resolve(st->width, cw);
    if (st->height.unit == LEN_PT)
        h = resolve(st->height, 0);
    else if (st->height.unit == LEN_AUTO)
        h = px_attr(n, "height");
    if (w > 0 && h <= 0)
        h = w * nh / nw;
    else if (h > 0 && w <= 0)
        w = h * nw / nh;
    else if (w <= 0 && h <= 0) {
        w = nw;
        h = nh;
    }
    mw = st->max_width.unit != LEN_AUTO ? resolve(st->max_width, cw) : cw;
    if (mw > cw)
        mw = cw;
    if (w > mw && w > 0) {
        h *= mw / w;
        w = mw;
    }
    if (h > L->top - L->bottom && h > 0) {
        w *= (L->top - L->bottom) / h;
        h = L->top - L->bottom;
    }
    add_margin(L, resolve(st->margin[SIDE_TOP], cw));
    flush_margin(L);
    if (L->break_pending || (L->y - h < L->bottom - 0.01f && !L->at_top)) {
        if ((rc = new_page(L, 1)) != 0) {
            free(path);
            return rc;
        }
    }
    if (st->text_align == ALIGN_CENTER)
        x = cx + (cw - w) / 2;
    else if (st->text_align == ALIGN_RIGHT)
        x = cx + cw - w;
    else
        x = cx + resolve(st->margin[SIDE_LEFT], cw);
    it = push(L, PG_IMAGE);
    it->u.image = (pg_image){ .x = x, .y = L->y - h, .w = w, .h = h,
                              .path = arena_strdup(L->a, path) };
    free(path);
    L->y -= h;
    L->at_top = 0;
    if (L->kp.active && !L->kp.avoid)
        L->kp.active = 0;
    add_margin(L, resolve(st->margin[SIDE_BOTTOM], cw));
    return 0;
}

/***  Replaced blocks: inline SVG  ***/

/* Draws the <svg> element N (a chart from chartdom.c, or an SVG written in an HTML template)
 * as a block: its own size (svgdraw_size_node, px → 0.75 pt), CSS width if given, shrunk to
 * the containing block's width and to the page's height keeping the aspect ratio, aligned
 * by the parent's text-align, kept whole on one page. Text is set in ST's font-family (the
 * report's font). Returns 0, 1 to rewind, -1 on a runaway. */
static int place_svg(lay *L, const xmlNode *n, const style *st)
{
    const frame *f = L->nfr ? top_frame(L) : NULL;
    float cx = f ? f->x : L->left, cw = f ? f->w : L->width;
    float pw, ph, w, h, x;
    svgdraw_opts so = { .families = st->font_family, .file = L->source, .line = line_of(n) };
    int rc;

    if (svgdraw_size_node(n, &pw, &ph) != 0) {
        diag_warning(L->d, L->source, line_of(n), 0, "SVG without a size (width/height or "
                                                    "viewBox) is not drawn");
        return 0;
    }
    w = st->width.unit != LEN_AUTO ? resolve(st->width, cw) : pw * 0.75f;
    if (st->max_width.unit != LEN_AUTO && w > resolve(st->max_width, cw))
        w = resolve(st->max_width, cw);
    w = clampf(w, MIN_CONTENT, cw);
    h = w * ph / pw;
    if (h > L->top - L->bottom) { /* taller than a page: shrink to fit one */
        h = L->top - L->bottom;
        w = h * pw / ph;
    }
    add_margin(L, resolve(st->margin[SIDE_TOP], cw));
    if (L->break_pending && (rc = new_page(L, 0)) != 0)
        return rc;
    flush_margin(L);
    if (L->y - h < L->bottom - 0.01f && !L->at_top && (rc = new_page(L, 1)) != 0)
        return rc;
    x = cx;
    if (f && f->st->text_align == ALIGN_CENTER)
        x += (cw - w) / 2;
    else if (f && f->st->text_align == ALIGN_RIGHT)
        x += cw - w;
    if (svgdraw_render_node(L->pg, cur_page(L), n, x, L->y - h, w, h, &so, L->d) != 0)
        L->failed = 1;
    L->y -= h;
    L->at_top = 0;
    if (L->kp.active && !L->kp.avoid)
        L->kp.active = 0; /* what a heading keeps with has started here */
    add_margin(L, resolve(st->margin[SIDE_BOTTOM], cw));
    return 0;
}

/***  Tables  ***/

/* Adds the inline content of ROOT's subtree to the paragraph (blocks inside become forced
 * breaks): what a table cell or caption holds, laid out as one ragged paragraph. */
static void block_break(lay *L, const run *r)
{
    if (L->nitem > 0 && L->frag[L->nitem - 1].kind != FR_BREAK)
        add_forced_break(L, r);
    L->pending_space = 0;
}

static void collect_inline(lay *L, const xmlNode *root)
{
    size_t base = L->ninl;
    const xmlNode *n = root->children;

    push_inline(L, root, style_of(root));
    while (n) {
        int down = 0;
        const style *st = n->type == XML_ELEMENT_NODE ? style_of(n) : NULL;
        if (n->type == XML_ELEMENT_NODE) {
            if (st && st->display != DISPLAY_NONE && !skip_element(n)) {
                if (is_named(n, "br")) {
                    add_forced_break(L, run_for(L, st));
                } else if (!is_named(n, "img")) {
                    if (is_block(st))
                        block_break(L, run_for(L, st));
                    push_inline(L, n, st);
                    down = 1;
                }
            }
        } else if (n->type == XML_TEXT_NODE || n->type == XML_CDATA_SECTION_NODE) {
            add_text(L, n);
        }
        if (down && n->children) {
            n = n->children;
            continue;
        }
        if (down) {
            L->ninl--;
            if (is_block(st))
                block_break(L, run_for(L, st));
        }
        while (n != root && !n->next) {
            n = n->parent;
            if (n == root)
                break;
            L->ninl--;
            if (is_block(style_of(n)))
                block_break(L, run_for(L, style_of(n)));
        }
        n = n == root ? NULL : n->next;
    }
    L->ninl = base;
    L->pending_space = 0;
}

static void drop_para(lay *L)
{
    L->nitem = 0;
    L->text.len = 0;
    L->para_node = NULL;
    L->pending_space = 0;
}

/* tablegrid's measuring callback: the cell's widest unbreakable piece and its widest line. */
static void measure_cell(void *self, const xmlNode *cell, float *mn, float *mx)
{
    lay *L = self;
    float piece = 0, line = 0;

    *mn = *mx = 0;
    L->measuring = 1;
    collect_inline(L, cell);
    L->measuring = 0;
    for (size_t i = 0; i < L->nitem; i++) {
        const lb_item *it = &L->item[i];
        if (it->kind == LB_BOX) {
            piece += it->width;
            line += it->width;
            if (piece > *mn)
                *mn = piece;
        } else if (it->kind == LB_GLUE) {
            piece = 0;
            if (it->stretch < LINEBREAK_FIL)
                line += it->width;
        } else {
            piece = 0;
            if (it->penalty <= -LINEBREAK_INF) {
                if (line > *mx)
                    *mx = line;
                line = 0;
            }
        }
    }
    if (line > *mx)
        *mx = line;
    drop_para(L);
}

/* Breaks the collected paragraph (greedy) into [X, X+W) from TOP down, draws it, and returns
 * its height; *FIRST_ABOVE is the first line's extent above its baseline. */
static float draw_cell_text(lay *L, const style *st, float x, float w, float top,
                            float *first_above)
{
    int has_box = 0;
    float widths[2] = { w + 0.05f, w + 0.05f }, sa, sd, y = top; /* measured = fits */
    lb_result res;

    *first_above = 0;
    for (size_t i = 0; i < L->nitem && !has_box; i++)
        has_box = L->frag[i].kind == FR_BOX;
    if (!has_box || w <= 0) {
        drop_para(L);
        return 0;
    }
    split_long_words(L, w);
    add_item(L, (lb_item){ .kind = LB_GLUE, .stretch = LINEBREAK_FIL },
             (frag){ FR_GLUE, 0, 0, L->frag[0].r });
    add_item(L, (lb_item){ .kind = LB_PENALTY, .penalty = -LINEBREAK_INF },
             (frag){ FR_BREAK, 0, 0, L->frag[0].r });
    for (size_t i = 0; i < L->nitem; i++)
        L->item[i].shrink = 0;
    linebreak_greedy(L->lb, L->item, L->nitem, widths, 2, NULL, &res);
    line_metrics(L, st, face_of(L, st), font_size_of(st), &sa, &sd);
    for (size_t i = 0; i < res.nlines; i++) {
        lb_line *ln = &res.line[i];
        line_box b = measure_line(L, ln, sa, sd);
        int last = i + 1 == res.nlines ||
                   (ln->end < L->nitem && L->item[ln->end].kind == LB_PENALTY &&
                    L->item[ln->end].penalty <= -LINEBREAK_INF);
        if (i == 0)
            *first_above = b.above;
        draw_para_line(L, ln, x, w, y - b.above, st->text_align, last, b);
        y -= b.above + b.below;
    }
    drop_para(L);
    return top - y;
}

/* One cell's content as drawn at a provisional place, before the row is final. */
typedef struct cell_box {
    const tg_cell *c;
    size_t bg;           /* its background placeholder, relative to the block's first item,
                            or SIZE_MAX */
    size_t first, last;  /* its content items, relative to the block's first item */
    float h, above;      /* content height, first line's ascent */
    float pt, pb;        /* top and bottom padding + border */
    float x, w;          /* border box (collapsed: from grid line to grid line) */
    rgba fill;
} cell_box;

typedef struct vrun {
    size_t page, item; /* an open vertical border line that the next row may extend */
    tg_border b;
    float y;           /* its lower end */
    int open;
} vrun;

typedef struct tbl {
    tablegrid *tg;
    const style *st;
    float x;           /* table border box, left */
    float *gx;         /* ncols + 1: left edge of each column's cells (collapsed: grid lines) */
    float sp;          /* border-spacing (separate model) */
    float fl, fr, ft, fb; /* separate model: the table's own border + padding per side */
    cell_box *cb;
    size_t ncb, cb_cap;
    float *rowh;       /* per row of the block being placed */
    size_t rowh_cap;
    vrun *vr;          /* ncols + 1 */
    size_t blk;        /* the block's first item on the current page */
    size_t frag_item;  /* the table's first item on the current page */
    float frag_top;    /* the table box's top on the current page (separate model) */
    float head_h;      /* height of the repeated header, 0 when not repeated */
    float foot_h;      /* height of the repeated footer, 0 when not repeated */
    size_t edge_page;  /* the last bottom edge drawn (collapsed model): page and y */
    float edge_y;
    /* the header's own cell boxes and row heights (it is placed while a block waits) */
    cell_box *hcb;
    size_t hcb_cap;
    float *hrowh;
    size_t hrowh_cap;
} tbl;

static float bwidth(const style *st, int side)
{
    if (!st || st->border_style[side] == BORDER_NONE || st->border_color[side].a == 0)
        return 0;
    return clampf(st->border_width[side], 0, 1e4f);
}

static void shift_item(pg_item *it, float dy)
{
    switch (it->kind) {
    case PG_TEXT: it->u.text.y += dy; break;
    case PG_RECT: it->u.rect.y += dy; break;
    case PG_LINE: it->u.line.y1 += dy; it->u.line.y2 += dy; break;
    case PG_IMAGE: it->u.image.y += dy; break;
    case PG_LINK: it->u.link.y += dy; break;
    case PG_PATH: {
        float *pt = (float *)it->u.path.pt;
        size_t k = 0;
        for (size_t i = 0; i < it->u.path.nop; i++)
            if (it->u.path.op[i] != PG_CLOSE) {
                pt[2 * k + 1] += dy;
                k++;
            }
        break;
    }
    default:
        assert(!"unhandled page item");
    }
}

/* A cell's background colour: its own, else its row's, else its row group's. */
static rgba cell_fill(const tablegrid *tg, const tg_cell *c)
{
    const tg_row *r = &tg->row[c->row];

    if (c->st && c->st->background_color.a)
        return c->st->background_color;
    if (r->st && r->st->background_color.a)
        return r->st->background_color;
    if (r->group_st && r->group_st->background_color.a)
        return r->group_st->background_color;
    return (rgba){ 0, 0, 0, 0 };
}

/* Lays out the cells of rows [R0, R1) with the block's top at Y (first row's top edge,
 * spacing included) and computes the row heights (T->rowh). Items are drawn at these
 * provisional places; finish_rows aligns, backgrounds and borders them. Returns the
 * block's height. */
static float build_rows(lay *L, tbl *T, size_t r0, size_t r1, float y)
{
    tablegrid *tg = T->tg;
    float top = y, h = 0;
    size_t n = r1 - r0;

    if (n > T->rowh_cap) {
        T->rowh_cap = n * 2;
        T->rowh = xrealloc(T->rowh, T->rowh_cap * sizeof *T->rowh);
    }
    T->ncb = 0;
    T->blk = cur_page(L)->count;
    for (size_t r = r0; r < r1; r++) {
        const tg_row *row = &tg->row[r];
        float rh = 0;
        top -= T->sp;
        if (row->st && row->st->height.unit == LEN_PT)
            rh = clampf(row->st->height.v, 0, 1e5f);
        for (size_t i = 0; i < row->ncells; i++) {
            const tg_cell *c = &tg->cell[row->first + i];
            const style *cs = c->st;
            cell_box *b;
            float pl, pr, bl, br, cw;
            if (!cs)
                continue;
            if (T->ncb == T->cb_cap) {
                T->cb_cap = T->cb_cap ? T->cb_cap * 2 : 64;
                T->cb = xrealloc(T->cb, T->cb_cap * sizeof *T->cb);
            }
            b = &T->cb[T->ncb++];
            b->c = c;
            b->x = T->gx[c->col];
            b->w = T->gx[c->col + c->colspan] - b->x - T->sp;
            pl = resolve(cs->padding[SIDE_LEFT], T->gx[tg->ncols] - T->gx[0]);
            pr = resolve(cs->padding[SIDE_RIGHT], T->gx[tg->ncols] - T->gx[0]);
            if (tg->collapse) {
                bl = tablegrid_border(tg, c->row, c->col, SIDE_LEFT).width / 2;
                br = tablegrid_border(tg, c->row, c->col + c->colspan - 1, SIDE_RIGHT).width / 2;
                b->pt = tablegrid_border(tg, c->row, c->col, SIDE_TOP).width / 2;
                b->pb = tablegrid_border(tg, c->row + c->rowspan - 1, c->col, SIDE_BOTTOM).width /
                        2;
            } else {
                bl = bwidth(cs, SIDE_LEFT);
                br = bwidth(cs, SIDE_RIGHT);
                b->pt = bwidth(cs, SIDE_TOP);
                b->pb = bwidth(cs, SIDE_BOTTOM);
            }
            b->pt += resolve(cs->padding[SIDE_TOP], 0);
            b->pb += resolve(cs->padding[SIDE_BOTTOM], 0);
            b->fill = cell_fill(tg, c);
            b->bg = SIZE_MAX;
            if (b->fill.a) {
                pg_item *it = push(L, PG_RECT);
                it->u.rect.fill = b->fill;
                b->bg = cur_page(L)->count - 1 - T->blk;
            }
            cw = b->w - pl - pr - bl - br;
            b->first = cur_page(L)->count - T->blk;
            collect_inline(L, c->node);
            b->h = draw_cell_text(L, cs, b->x + bl + pl, cw > MIN_CONTENT ? cw : MIN_CONTENT,
                                  top - b->pt, &b->above);
            b->last = cur_page(L)->count - T->blk;
            if (cs->height.unit == LEN_PT && b->h < cs->height.v)
                b->h = clampf(cs->height.v, 0, 1e5f);
            if (c->rowspan == 1 && b->h + b->pt + b->pb > rh)
                rh = b->h + b->pt + b->pb;
        }
        T->rowh[r - r0] = rh;
        /* cells spanning down to this row: the last row takes what they need beyond */
        for (size_t k = 0; k < T->ncb; k++) {
            const tg_cell *c = T->cb[k].c;
            float have = 0;
            if (c->rowspan == 1 || (size_t)(c->row + c->rowspan - 1) != r)
                continue;
            for (size_t q = (size_t)c->row; q <= r; q++)
                have += T->rowh[q - r0];
            have += T->sp * (float)(c->rowspan - 1);
            if (T->cb[k].h + T->cb[k].pt + T->cb[k].pb > have)
                T->rowh[r - r0] += T->cb[k].h + T->cb[k].pt + T->cb[k].pb - have;
        }
        top -= T->rowh[r - r0];
    }
    h = y - top;
    return h;
}

static int same_border(tg_border a, tg_border b)
{
    return a.width == b.width && a.style == b.style &&
           memcmp(&a.color, &b.color, sizeof a.color) == 0;
}

static void draw_border(lay *L, tg_border b, float x1, float y1, float x2, float y2)
{
    if (b.width > 0 && b.style != BORDER_NONE)
        draw_line(L, x1, y1, x2, y2, b.width, b.color, dash_of(b.style));
}

/* The collapsed borders of rows [R0, R1) whose top is at Y: one line per run of equal
 * segments along each row edge, and vertical lines extended from row to row. */
static void collapsed_borders(lay *L, tbl *T, size_t r0, size_t r1, float y)
{
    tablegrid *tg = T->tg;
    int nc = tg->ncols;

    for (size_t r = r0; r <= r1; r++) {
        int row = r < r1 ? (int)r : (int)r1 - 1, side = r < r1 ? SIDE_TOP : SIDE_BOTTOM;
        int c0 = 0;
        if (r == r0 && T->edge_page == L->pno && fabsf(T->edge_y - y) < 0.01f)
            goto vertical; /* the block above drew this edge as its bottom */
        tg_border cur = tablegrid_border(tg, row, 0, side);
        for (int c = 1; c <= nc; c++) {
            tg_border b = c < nc ? tablegrid_border(tg, row, c, side) : (tg_border){ -1, 0, { 0 } };
            if (c < nc && same_border(b, cur))
                continue;
            draw_border(L, cur, T->gx[c0], y, T->gx[c], y);
            cur = b;
            c0 = c;
        }
    vertical:
        if (r == r1) {
            T->edge_page = L->pno;
            T->edge_y = y;
        }
        if (r < r1) {
            float yb = y - T->rowh[r - r0];
            for (int k = 0; k <= nc; k++) {
                tg_border b = k < nc ? tablegrid_border(tg, (int)r, k, SIDE_LEFT)
                                     : tablegrid_border(tg, (int)r, nc - 1, SIDE_RIGHT);
                vrun *v = &T->vr[k];
                if (v->open && v->page == L->pno && same_border(v->b, b) &&
                    fabsf(v->y - y) < 0.01f) {
                    cur_page(L)->item[v->item].u.line.y2 = yb;
                    v->y = yb;
                    continue;
                }
                v->open = 0;
                if (b.width > 0 && b.style != BORDER_NONE) {
                    draw_border(L, b, T->gx[k], y, T->gx[k], yb);
                    *v = (vrun){ L->pno, cur_page(L)->count - 1, b, yb, 1 };
                }
            }
            y = yb;
        }
    }
}

/* Aligns the cells of the block built at Y vertically, sizes their backgrounds and draws
 * the borders. */
static void finish_rows(lay *L, tbl *T, size_t r0, size_t r1, float y)
{
    tablegrid *tg = T->tg;
    page *pg = cur_page(L);
    float *rtop = xmalloc((r1 - r0 + 1) * sizeof *rtop), *rbase;
    float t = y;

    rbase = xcalloc(r1 - r0 + 1, sizeof *rbase);
    for (size_t r = r0; r < r1; r++) {
        t -= T->sp;
        rtop[r - r0] = t;
        t -= T->rowh[r - r0];
    }
    rtop[r1 - r0] = t;
    for (size_t k = 0; k < T->ncb; k++) { /* baseline of each row: the lowest first line */
        const cell_box *b = &T->cb[k];
        if (b->c->st->vertical_align == VALIGN_BASELINE && b->h > 0 &&
            b->pt + b->above > rbase[b->c->row - (int)r0])
            rbase[b->c->row - (int)r0] = b->pt + b->above;
    }
    for (size_t k = 0; k < T->ncb; k++) {
        const cell_box *b = &T->cb[k];
        const tg_cell *c = b->c;
        size_t ri = (size_t)c->row - r0, re = ri + (size_t)c->rowspan;
        float top = rtop[ri], bottom = rtop[re] + (re < r1 - r0 + 1 && re > ri ? 0 : 0);
        float boxh, free_h, dy = 0;
        bottom = top - T->sp * (float)(c->rowspan - 1);
        for (size_t q = ri; q < re; q++)
            bottom -= T->rowh[q];
        boxh = top - bottom;
        free_h = boxh - b->h - b->pt - b->pb;
        if (free_h > 0) {
            vertical_align va = c->st->vertical_align;
            if (va == VALIGN_MIDDLE)
                dy = free_h / 2;
            else if (va == VALIGN_BOTTOM)
                dy = free_h;
            else if (va == VALIGN_BASELINE && b->h > 0)
                dy = clampf(rbase[ri] - b->pt - b->above, 0, free_h);
        }
        if (dy != 0)
            for (size_t i = b->first; i < b->last; i++)
                shift_item(&pg->item[T->blk + i], -dy);
        if (b->bg != SIZE_MAX) {
            pg_rect *rc = &pg->item[T->blk + b->bg].u.rect;
            float il = 0, ir = 0, it = 0, ib = 0;
            if (tg->collapse) { /* inside the borders, which are drawn over it */
                il = tablegrid_border(tg, c->row, c->col, SIDE_LEFT).width / 2;
                ir = tablegrid_border(tg, c->row, c->col + c->colspan - 1, SIDE_RIGHT).width / 2;
                it = tablegrid_border(tg, c->row, c->col, SIDE_TOP).width / 2;
                ib = tablegrid_border(tg, c->row + c->rowspan - 1, c->col, SIDE_BOTTOM).width / 2;
            }
            rc->x = b->x + il;
            rc->w = b->w - il - ir;
            rc->y = bottom + ib;
            rc->h = boxh - it - ib;
        }
        if (!tg->collapse) {
            const style *cs = c->st;
            float bw;
            if ((bw = bwidth(cs, SIDE_TOP)) > 0)
                draw_line(L, b->x, top - bw / 2, b->x + b->w, top - bw / 2, bw,
                          cs->border_color[SIDE_TOP], dash_of(cs->border_style[SIDE_TOP]));
            if ((bw = bwidth(cs, SIDE_BOTTOM)) > 0)
                draw_line(L, b->x, bottom + bw / 2, b->x + b->w, bottom + bw / 2, bw,
                          cs->border_color[SIDE_BOTTOM], dash_of(cs->border_style[SIDE_BOTTOM]));
            if ((bw = bwidth(cs, SIDE_LEFT)) > 0)
                draw_line(L, b->x + bw / 2, top, b->x + bw / 2, bottom, bw,
                          cs->border_color[SIDE_LEFT], dash_of(cs->border_style[SIDE_LEFT]));
            if ((bw = bwidth(cs, SIDE_RIGHT)) > 0)
                draw_line(L, b->x + b->w - bw / 2, top, b->x + b->w - bw / 2, bottom, bw,
                          cs->border_color[SIDE_RIGHT], dash_of(cs->border_style[SIDE_RIGHT]));
        }
    }
    if (tg->collapse && tg->ncols > 0)
        collapsed_borders(L, T, r0, r1, y);
    free(rtop);
    free(rbase);
}

/* Ends the table box's fragment on this page at BOTTOM (separate model: its background
 * behind everything of the table on the page, and its borders). */
static void end_table_fragment(lay *L, tbl *T, float bottom)
{
    const style *st = T->st;
    float x = T->x, w = T->gx[T->tg->ncols] + T->fr - T->x, top = T->frag_top;
    page *pg = cur_page(L);

    if (T->tg->collapse)
        return;
    if (st->background_color.a && T->frag_item <= pg->count) {
        pg_item *it = push(L, PG_RECT); /* moved in front of the table's items */
        pg_item bg = *it;
        bg.u.rect = (pg_rect){ .x = x, .y = bottom, .w = w, .h = top - bottom,
                            .fill = st->background_color };
        memmove(&pg->item[T->frag_item + 1], &pg->item[T->frag_item],
                (pg->count - 1 - T->frag_item) * sizeof *pg->item);
        pg->item[T->frag_item] = bg;
    }
    for (int s = 0; s < 4; s++) {
        float bw = bwidth(st, s);
        rgba c = st->border_color[s];
        pg_dash ds = dash_of(st->border_style[s]);
        if (bw <= 0)
            continue;
        if (s == SIDE_TOP)
            draw_line(L, x, top - bw / 2, x + w, top - bw / 2, bw, c, ds);
        else if (s == SIDE_BOTTOM)
            draw_line(L, x, bottom + bw / 2, x + w, bottom + bw / 2, bw, c, ds);
        else if (s == SIDE_LEFT)
            draw_line(L, x + bw / 2, top, x + bw / 2, bottom, bw, c, ds);
        else
            draw_line(L, x + w - bw / 2, top, x + w - bw / 2, bottom, bw, c, ds);
    }
}

/* Draws rows [R0, R1) (the header or a repeated footer) at the current position, with their
 * own cell boxes: a block may be waiting in T->cb meanwhile. Returns their height. */
static float place_group(lay *L, tbl *T, size_t r0, size_t r1)
{
    float h;
    cell_box *cb = T->cb;
    size_t ncb = T->ncb, cb_cap = T->cb_cap, rowh_cap = T->rowh_cap, blk = T->blk;
    float *rowh = T->rowh;

    if (r1 <= r0)
        return 0;
    T->cb = T->hcb; /* swap in the group's arrays */
    T->cb_cap = T->hcb_cap;
    T->rowh = T->hrowh;
    T->rowh_cap = T->hrowh_cap;
    h = build_rows(L, T, r0, r1, L->y);
    finish_rows(L, T, r0, r1, L->y);
    T->hcb = T->cb;
    T->hcb_cap = T->cb_cap;
    T->hrowh = T->rowh;
    T->hrowh_cap = T->rowh_cap;
    T->cb = cb;
    T->ncb = ncb;
    T->cb_cap = cb_cap;
    T->rowh = rowh;
    T->rowh_cap = rowh_cap;
    T->blk = blk;
    L->y -= h;
    L->at_top = 0;
    return h;
}

static void place_header(lay *L, tbl *T)
{
    place_group(L, T, 0, T->tg->nhead);
}

/* The footer rows of a table whose <tfoot class="repeat"> is drawn at the bottom of every
 * page, at the current position. */
static void place_footer(lay *L, tbl *T)
{
    if (T->foot_h > 0)
        place_group(L, T, T->tg->nrows - T->tg->nfoot, T->tg->nrows);
}

/* Moves the items [FROM, count) of the current page to a new page, shifted so that OLD_TOP
 * lands at the new position: for the FIRST block, the table's start (caption and header
 * included) goes to the top of the page; later blocks go below the repeated header. Returns
 * 0, 1 to rewind, -1 on a runaway; *DY is the shift. */
static int move_to_new_page(lay *L, tbl *T, size_t from, float old_top, int first,
                            float bottom, float *dy)
{
    page *pg = cur_page(L);
    size_t n = pg->count - from, base;
    pg_item *save = xmalloc((n + 1) * sizeof *save);
    int rc;

    memcpy(save, &pg->item[from], n * sizeof *save);
    pg->count = from;
    if (!first && T->foot_h > 0) {
        L->y = bottom;
        place_footer(L, T);
        bottom = L->y;
    }
    if (!first)
        end_table_fragment(L, T, bottom);
    if ((rc = new_page(L, first)) != 0) {
        free(save);
        return rc;
    }
    for (int k = 0; k <= T->tg->ncols; k++)
        T->vr[k].open = 0;
    if (first) {
        *dy = L->y - old_top;
        base = cur_page(L)->count;
        T->frag_item = base + (T->frag_item - from);
        T->frag_top += *dy;
        if (T->edge_page != SIZE_MAX) { /* the header's bottom edge moved along */
            T->edge_page = L->pno;
            T->edge_y += *dy;
        }
    } else {
        T->frag_item = cur_page(L)->count;
        T->frag_top = L->y;
        L->y -= T->ft;
        if (T->head_h > 0)
            place_header(L, T);
        *dy = L->y - old_top;
        base = cur_page(L)->count;
    }
    T->blk = base + (T->blk - from);
    for (size_t i = 0; i < n; i++) {
        pg_item *it = push(L, save[i].kind);
        *it = save[i];
        shift_item(it, *dy);
    }
    free(save);
    return 0;
}

typedef struct slice_ref {
    size_t i;  /* index in the saved items */
    size_t k;  /* pages down */
} slice_ref;

static int by_pages_down(const void *a, const void *b)
{
    const slice_ref *x = a, *y = b;

    if (x->k != y->k)
        return x->k < y->k ? -1 : 1;
    return x->i < y->i ? -1 : x->i > y->i;
}

/* Items of the block [T->blk, count) that lie below the page's bottom go to the next pages
 * (a block taller than a page is cut between its lines; its borders and backgrounds stop
 * at the first page's bottom). *Y, the block's bottom, is moved along. */
static int slice_tall(lay *L, tbl *T, float *y)
{
    float ph = L->top - L->bottom, bottom = L->bottom;
    page *pg = cur_page(L);
    size_t n = pg->count - T->blk, nref = 0, kmax;
    pg_item *save;
    slice_ref *ref;
    int rc = 0;

    if (*y >= bottom - 0.01f || ph <= 1)
        return 0;
    save = xmalloc((n + 1) * sizeof *save);
    ref = xmalloc((n + 1) * sizeof *ref);
    memcpy(save, &pg->item[T->blk], n * sizeof *save);
    pg->count = T->blk;
    for (size_t i = 0; i < n; i++) {
        pg_item it = save[i];
        float yy = it.kind == PG_TEXT ? it.u.text.y : it.kind == PG_LINK ? it.u.link.y
                 : it.kind == PG_IMAGE ? it.u.image.y : bottom;
        if (yy < bottom && (it.kind == PG_TEXT || it.kind == PG_LINK || it.kind == PG_IMAGE)) {
            ref[nref].i = i;
            ref[nref].k = (size_t)ceilf((bottom - yy) / ph);
            if (ref[nref].k < 1)
                ref[nref].k = 1;
            nref++;
            continue;
        }
        if (it.kind == PG_LINE) {
            if (it.u.line.y1 < bottom && it.u.line.y2 < bottom)
                continue;
            it.u.line.y1 = clampf(it.u.line.y1, bottom, 1e5f);
            it.u.line.y2 = clampf(it.u.line.y2, bottom, 1e5f);
        } else if (it.kind == PG_RECT && it.u.rect.y < bottom) {
            it.u.rect.h -= bottom - it.u.rect.y;
            it.u.rect.y = bottom;
            if (it.u.rect.h <= 0)
                continue;
        } else if (it.kind == PG_PATH) {
            continue; /* drawn markers of a cut row: rare, dropped */
        }
        *pages_push(L->pg, cur_page(L), it.kind) = it;
    }
    qsort(ref, nref, sizeof *ref, by_pages_down);
    kmax = (size_t)ceilf((bottom - *y) / ph);
    for (size_t k = 1, j = 0; k <= kmax; k++) {
        if ((rc = new_page(L, 0)) != 0)
            break;
        for (int c = 0; c <= T->tg->ncols; c++)
            T->vr[c].open = 0;
        for (; j < nref && ref[j].k == k; j++) {
            pg_item *it = pages_push(L->pg, cur_page(L), save[ref[j].i].kind);
            *it = save[ref[j].i];
            shift_item(it, ph * (float)k);
        }
    }
    *y += ph * (float)kmax;
    T->frag_item = cur_page(L)->count;
    T->frag_top = L->top;
    free(save);
    free(ref);
    return rc;
}

/* Lays out table N: caption, header (repeated on each page), rows in blocks that keep
 * rowspans together, each block moved whole to the next page when it does not fit. Returns
 * 0, 1 to rewind to a keep point, -1 on a runaway. */
static int layout_table(lay *L, const xmlNode *n, const style *st)
{
    frame *parent = L->nfr ? top_frame(L) : NULL;
    float cw = parent ? parent->w : L->width, cx = parent ? parent->x : L->left;
    float ml = resolve(st->margin[SIDE_LEFT], cw), mr = resolve(st->margin[SIDE_RIGHT], cw);
    float avail = cw - ml - mr, table_top, dy, y;
    size_t table_item, r, body_end;
    int rc = 0, first = 1, table_at_top;
    tbl T;

    memset(&T, 0, sizeof T);
    T.tg = tablegrid_build(n);
    T.st = st;
    T.edge_page = SIZE_MAX;
    tablegrid_widths(T.tg, avail > MIN_CONTENT ? avail : MIN_CONTENT, measure_cell, L);
    T.sp = T.tg->spacing;
    if (!T.tg->collapse) {
        T.fl = bwidth(st, SIDE_LEFT) + resolve(st->padding[SIDE_LEFT], avail);
        T.fr = bwidth(st, SIDE_RIGHT) + resolve(st->padding[SIDE_RIGHT], avail);
        T.ft = bwidth(st, SIDE_TOP) + resolve(st->padding[SIDE_TOP], avail);
        T.fb = bwidth(st, SIDE_BOTTOM) + resolve(st->padding[SIDE_BOTTOM], avail);
    }
    T.x = cx + ml;
    if (st->margin[SIDE_LEFT].unit == LEN_AUTO && st->margin[SIDE_RIGHT].unit == LEN_AUTO &&
        T.tg->width < avail)
        T.x = cx + (cw - T.tg->width) / 2;
    T.gx = xmalloc(((size_t)T.tg->ncols + 1) * sizeof *T.gx);
    T.vr = xcalloc((size_t)T.tg->ncols + 1, sizeof *T.vr);
    T.gx[0] = T.x + T.fl + T.sp;
    for (int k = 0; k < T.tg->ncols; k++)
        T.gx[k + 1] = T.gx[k] + T.tg->colw[k] + T.sp;
    if (st->break_before == BREAK_PAGE && !L->at_top)
        L->break_pending = 1;
    if (L->break_pending && (rc = new_page(L, 0)) != 0)
        goto out;
    add_margin(L, resolve(st->margin[SIDE_TOP], cw));
    flush_margin(L);
    if (attr(n, "id"))
        pages_add_anchor(L->pg, attr(n, "id"), L->pno, L->y);
    table_at_top = L->at_top;
    table_top = L->y;
    table_item = cur_page(L)->count;
    if (T.tg->caption) { /* the caption spans the table, above it */
        const style *cs = style_of(T.tg->caption);
        float above, h, tw = T.tg->width > MIN_CONTENT ? T.tg->width : MIN_CONTENT;
        collect_inline(L, T.tg->caption);
        h = draw_cell_text(L, cs, T.x, tw, L->y - resolve(cs->margin[SIDE_TOP], tw), &above);
        L->y -= h + resolve(cs->margin[SIDE_TOP], tw) + resolve(cs->margin[SIDE_BOTTOM], tw);
    }
    T.frag_item = cur_page(L)->count;
    T.frag_top = L->y;
    L->y -= T.ft;
    place_header(L, &T);
    T.head_h = table_top - L->y;
    if (T.head_h > (L->top - L->bottom) / 2)
        T.head_h = 0; /* a header that big is not repeated: it would leave no room */
    body_end = T.tg->nrows;
    if (T.tg->nfoot > 0 && T.tg->row[T.tg->nrows - 1].group_node &&
        has_class(T.tg->row[T.tg->nrows - 1].group_node, "repeat")) {
        size_t mark = cur_page(L)->count; /* measure the footer once, then take it away */
        size_t edge_page = T.edge_page;
        float y0 = L->y, edge_y = T.edge_y;
        T.foot_h = place_group(L, &T, T.tg->nrows - T.tg->nfoot, T.tg->nrows);
        cur_page(L)->count = mark;
        L->y = y0;
        T.edge_page = edge_page;
        T.edge_y = edge_y;
        for (int k = 0; k <= T.tg->ncols; k++) /* they pointed at the items taken away */
            T.vr[k].open = 0;
        if (T.foot_h + T.head_h > (L->top - L->bottom) / 2)
            T.foot_h = 0; /* too big to repeat: drawn once at the end */
        else
            body_end -= T.tg->nfoot;
    }
    r = T.tg->nhead;
    while (r < body_end) {
        size_t r1 = r + 1;
        float h;
        for (size_t q = r; q < r1; q++) /* a block: rows bound together by rowspans */
            for (size_t i = 0; i < T.tg->row[q].ncells; i++) {
                const tg_cell *c = &T.tg->cell[T.tg->row[q].first + i];
                if ((size_t)(c->row + c->rowspan) > r1)
                    r1 = (size_t)(c->row + c->rowspan);
            }
        y = L->y;
        h = build_rows(L, &T, r, r1, y);
        if (y - h - T.sp - T.fb - T.foot_h < L->bottom - 0.01f && (!first || !table_at_top)) {
            if (first)
                rc = move_to_new_page(L, &T, table_item, table_top, 1, 0, &dy);
            else
                rc = move_to_new_page(L, &T, T.blk, y, 0, y, &dy);
            if (rc != 0)
                goto out;
            y += dy;
        }
        finish_rows(L, &T, r, r1, y);
        L->y = y - h;
        L->at_top = 0;
        if (L->y < L->bottom && (rc = slice_tall(L, &T, &L->y)) != 0)
            goto out;
        if (first && L->kp.active && !L->kp.avoid)
            L->kp.active = 0; /* what a heading keeps with has started */
        first = 0;
        r = r1;
    }
    place_footer(L, &T);
    L->y -= T.sp + T.fb;
    end_table_fragment(L, &T, L->y);
    L->at_top = 0;
    add_margin(L, resolve(st->margin[SIDE_BOTTOM], cw));
    if (st->break_after == BREAK_PAGE)
        L->break_pending = 1;
out:
    free(T.gx);
    free(T.vr);
    free(T.cb);
    free(T.rowh);
    free(T.hcb);
    free(T.hrowh);
    tablegrid_free(T.tg);
    return rc;
}

/***  The walk  ***/

static int skip_element(const xmlNode *n)
{
    static const char *const skip[] = { "head", "script", "style", "title", "template",
                                        "noscript", NULL };

    for (int i = 0; skip[i]; i++)
        if (is_named(n, skip[i]))
            return 1;
    return 0;
}

static void push_inline(lay *L, const xmlNode *n, const style *st)
{
    inline_ctx c = L->ninl ? L->inl[L->ninl - 1] : (inline_ctx){ 0, NULL, 0 };
    const char *href;
    float size = font_size_of(st);

    /* an inline target: the top of the current line (not while measuring table cells) */
    if (!L->measuring && (href = attr(n, "id")) != NULL)
        pages_add_anchor(L->pg, href, L->pno, L->y);
    c.decor |= st->text_decoration;
    if (is_named(n, "a") && (href = attr(n, "href")) != NULL && href[0])
        c.href = arena_strdup(L->a, href);
    if (st->vertical_align == VALIGN_SUPER)
        c.rise += size * 0.45f;
    else if (st->vertical_align == VALIGN_SUB)
        c.rise -= size * 0.25f;
    if (L->ninl == L->inl_cap) {
        L->inl_cap = L->inl_cap ? L->inl_cap * 2 : 32;
        L->inl = xrealloc(L->inl, L->inl_cap * sizeof *L->inl);
    }
    L->inl[L->ninl++] = c;
}

/* Enter element N: returns 1 to descend into its children, 0 to skip them, or a negative
 * value / 2 for rewind (through *RC). */
static int enter(lay *L, const xmlNode *n, int *rc)
{
    const style *st = style_of(n);

    *rc = 0;
    if (!st || st->display == DISPLAY_NONE || skip_element(n))
        return 0;
    if (is_named(n, "svg")) { /* a replaced block; its children are the drawing */
        if ((*rc = flush_para(L)) == 0)
            *rc = place_svg(L, n, st);
        return 0;
    }
    if (is_named(n, "img")) {
        if ((*rc = flush_para(L)) == 0)
            *rc = place_image(L, n, st);
        return 0;
    }
    if (st->display == DISPLAY_TABLE) {
        if ((*rc = flush_para(L)) == 0 && (*rc = page_type_break(L, n)) == 0)
            *rc = layout_table(L, n, st);
        return 0;
    }
    if (is_block(st)) {
        if ((*rc = flush_para(L)) != 0)
            return 0;
        if (L->nfr >= LAYOUT_MAX_DEPTH) {
            if (!L->depth_warned)
                diag_warning(L->d, L->source, line_of(n), 0,
                             "blocks nested deeper than %d levels are laid out flat",
                             LAYOUT_MAX_DEPTH);
            L->depth_warned = 1;
            L->skipped_depth++;
            return 1;
        }
        *rc = open_block(L, n, st);
        return *rc == 0;
    }
    if (is_named(n, "br")) {
        L->pending_space = 0; /* a space before <br> ends the line: it is not drawn */
        add_forced_break(L, run_for(L, st));
        return 0;
    }
    push_inline(L, n, st);
    return 1;
}

static int leave(lay *L, const xmlNode *n)
{
    const style *st = style_of(n);
    int rc;

    if (is_block(st)) {
        if ((rc = flush_para(L)) != 0)
            return rc;
        if (L->skipped_depth > 0) {
            L->skipped_depth--;
            return 0;
        }
        return close_block(L);
    }
    if (L->ninl > 0)
        L->ninl--;
    return 0;
}

/* The walk: enter each element, add each text, leave each entered element; when placing
 * asks to rewind (1), resume at the keep point. */
static int walk(lay *L, xmlNode *root)
{
    xmlNode *n;
    int rc = 0;

    if (!enter(L, root, &rc))
        return rc < 0 ? -1 : 0;
    n = root->children;
    for (;;) {
        int down = 0;
        if (rc == 1) {
            n = (xmlNode *)L->kp.node;
            if (rewind_keep(L) != 0)
                return -1;
            rc = 0;
        }
        if (!n) {
            if ((rc = flush_para(L)) == 1)
                continue;
            if (rc < 0)
                return -1;
            break;
        }
        if (n->type == XML_ELEMENT_NODE) {
            down = enter(L, n, &rc);
            if (rc == 1)
                continue;
            if (rc < 0)
                return -1;
        } else if (n->type == XML_TEXT_NODE || n->type == XML_CDATA_SECTION_NODE) {
            add_text(L, n);
        }
        if (down && n->children) {
            n = n->children;
            continue;
        }
        if (down && (rc = leave(L, n)) != 0) {
            if (rc < 0)
                return -1;
            continue;
        }
        while (n != root && !n->next) {
            n = n->parent;
            if (n == root)
                break;
            if ((rc = leave(L, n)) != 0)
                break;
        }
        if (rc < 0)
            return -1;
        if (rc == 1)
            continue;
        n = n == root ? NULL : n->next;
    }
    while (L->nfr > 0)
        close_block(L);
    return 0;
}

/***  Margin boxes  ***/

static void draw_margin_boxes(lay *L)
{
    char num[32];

    for (size_t p = 0; p < L->pg->count; p++) {
        page_style ps;
        page *pg = &L->pg->page[p];
        memset(&ps, 0, sizeof ps);
        style_page(L->ss, L->root, (int)p + 1, L->pinfo[p].name, L->pinfo[p].run_no, &ps,
                   L->a);
        for (int b = 0; b < MB_COUNT; b++) {
            const page_box *pb = &ps.box[b];
            buf t = BUF_INIT;
            int face_i, top;
            float size, w, x, base, a, dsc, area_lo, area_hi;
            pg_item *it;
            const face *fc;
            if (!pb->present)
                continue;
            for (size_t i = 0; i < pb->ncontent; i++) {
                const content_item *c = &pb->content[i];
                if (c->kind == CONTENT_STRING && c->text)
                    buf_puts(&t, c->text);
                else if (c->kind == CONTENT_PAGE || c->kind == CONTENT_PAGES) {
                    snprintf(num, sizeof num, "%zu", c->kind == CONTENT_PAGE ? p + 1 : L->pg->count);
                    buf_puts(&t, num);
                }
            }
            if (t.len == 0) {
                buf_free(&t);
                continue;
            }
            face_i = face_of(L, &pb->style);
            if (face_i < 0) {
                buf_free(&t);
                continue;
            }
            size = font_size_of(&pb->style);
            w = font_width(L->fs, face_i, t.ptr, t.len, size);
            fc = font_at(L->fs, face_i);
            a = fc->ascent * size / 1000;
            dsc = fc->descent * size / 1000;
            top = b <= MB_TOP_RIGHT_CORNER;
            area_lo = top ? pg->height - ps.margin[SIDE_TOP] : 0;
            area_hi = top ? pg->height : ps.margin[SIDE_BOTTOM];
            base = (area_lo + area_hi) / 2 - (a + dsc) / 2;
            /* corner boxes fill the page's corners, outside the content's columns; as CSS
             * Paged Media aligns them, the left ones end where the content starts, the right
             * ones start where it ends */
            if (b == MB_TOP_LEFT_CORNER || b == MB_BOTTOM_LEFT_CORNER)
                x = ps.margin[SIDE_LEFT] - w;
            else if (b == MB_TOP_RIGHT_CORNER || b == MB_BOTTOM_RIGHT_CORNER)
                x = pg->width - ps.margin[SIDE_RIGHT];
            else if (b == MB_TOP_LEFT || b == MB_BOTTOM_LEFT)
                x = ps.margin[SIDE_LEFT];
            else if (b == MB_TOP_RIGHT || b == MB_BOTTOM_RIGHT)
                x = pg->width - ps.margin[SIDE_RIGHT] - w;
            else /* centred between the corner boxes, i.e. on the content area */
                x = ps.margin[SIDE_LEFT] +
                    (pg->width - ps.margin[SIDE_LEFT] - ps.margin[SIDE_RIGHT] - w) / 2;
            it = pages_push(L->pg, pg, PG_TEXT);
            it->u.text = (pg_text){ .x = x, .y = base, .size = size, .width = w,
                                    .face = face_i, .color = pb->style.color,
                                    .text = arena_strndup(L->a, t.ptr, t.len), .len = t.len };
            buf_free(&t);
        }
    }
}

/***  Entry  ***/

static xmlNode *find_element(xmlNode *n, const char *name)
{
    while (n) {
        if (is_named(n, name))
            return n;
        if (n->type == XML_ELEMENT_NODE && n->children && !is_named(n, "svg")) { /* its
                                                     <title> is a drawing's, not the page's */
            n = n->children;
            continue;
        }
        while (n && !n->next)
            n = n->parent;
        if (n)
            n = n->next;
    }
    return NULL;
}

pages *layout_run(xmlDoc *doc, const stylesheet *ss, fontset *fs, const layout_opts *o,
                  diag *d)
{
    lay L;
    xmlNode *root = doc ? xmlDocGetRootElement(doc) : NULL, *t;
    pages *pg = pages_new(fs);
    int rc;

    memset(&L, 0, sizeof L);
    L.pg = pg;
    L.ss = ss;
    L.fs = fs;
    L.d = d;
    L.source = o && o->source ? o->source : "<document>";
    L.a = pg->arena;
    L.root = root ? style_of(root) : NULL;
    L.lb = linebreak_new();
    if (L.root == NULL) {
        static const style none = { .font_size = 12, .font_weight = 400, .orphans = 2,
                                    .widows = 2 };
        L.root = &none;
    }
    if (open_page(&L) != 0)
        goto fail;
    if (root && (t = find_element(root, "title")) != NULL) {
        char *s = plain_text(t);
        if (s[0])
            pg->title = arena_strdup(pg->arena, s);
        free(s);
    }
    if (root && attr(root, "lang"))
        pg->lang = arena_strdup(pg->arena, attr(root, "lang"));
    if (root && font_count(fs) == 0)
        diag_warning(d, L.source, 0, 0, "no font faces: text is not drawn");
    rc = root ? walk(&L, root) : 0;
    if (rc < 0 || L.failed)
        goto fail;
    draw_margin_boxes(&L);
    free(L.kp.frames);
    free(L.pinfo);
    free(L.fr);
    free(L.inl);
    free(L.item);
    free(L.frag);
    buf_free(&L.text);
    linebreak_free(L.lb);
    return pg;
fail:
    free(L.kp.frames);
    free(L.pinfo);
    free(L.fr);
    free(L.inl);
    free(L.item);
    free(L.frag);
    buf_free(&L.text);
    linebreak_free(L.lb);
    pages_free(pg);
    return NULL;
}
