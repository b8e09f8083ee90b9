/*
** SVG → page model. One recursive walk over the libxml2 tree with a graphics state per
** element (current transform, fill, stroke, font) as SVG inherits them; each drawable becomes
** one page item with its coordinates mapped through the transform stack into PDF user space
** (y up). Level rectangles stay PG_RECT; rotated ones become paths. Text stays text: its
** baseline start, size and angle are computed here, its width measured with the report's
** font so that text-anchor middle/end land where the browser puts them.
*/
#include "svgdraw.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>
#include <libxml/tree.h>

#include "font.h"
#include "xalloc.h"

typedef struct mat {
    double a, b, c, d, e, f; /* x' = a x + c y + e, y' = b x + d y + f */
} mat;

typedef struct gstate {
    mat m;
    rgba fill, stroke;
    float sw;
    pg_dash dash;
    float fsize;
    int weight;
    int anchor; /* 0 start, 1 middle, 2 end */
    const char *family;
} gstate;

typedef struct walk {
    pages *p;
    page *pg;
    const svgdraw_opts *o;
    diag *d;
    /* path being built */
    pg_op *op;
    float *pt;
    size_t nop, npt, cap_op, cap_pt;
} walk;

static mat mul(mat p, mat q) /* p after q */
{
    mat r = { p.a * q.a + p.c * q.b, p.b * q.a + p.d * q.b, p.a * q.c + p.c * q.d,
              p.b * q.c + p.d * q.d, p.a * q.e + p.c * q.f + p.e, p.b * q.e + p.d * q.f + p.f };
    return r;
}

static void apply(const mat *m, double x, double y, float *ox, float *oy)
{
    *ox = (float)(m->a * x + m->c * y + m->e);
    *oy = (float)(m->b * x + m->d * y + m->f);
}

static double mscale(const mat *m)
{
    return sqrt(fabs(m->a * m->d - m->b * m->c));
}

/***  Attribute values  ***/

static const char *attr(const xmlNode *n, const char *name)
{
    for (const xmlAttr *a = n->properties; a; a = a->next)
        if (strcmp((const char *)a->name, name) == 0 && a->children && a->children->content)
            return (const char *)a->children->content;
    return NULL;
}

static const char *skip_sep(const char *s)
{
    while (*s == ' ' || *s == ',' || *s == '\t' || *s == '\n' || *s == '\r')
        s++;
    return s;
}

/* Reads one number at *S (after separators); 0, or -1 when there is none. */
static int scan_num(const char **s, double *v)
{
    const char *p = skip_sep(*s);
    char *end;

    if (!((*p >= '0' && *p <= '9') || *p == '-' || *p == '+' || *p == '.'))
        return -1;
    *v = strtod(p, &end);
    if (end == p || !isfinite(*v))
        return -1;
    *s = end;
    return 0;
}

static double num_attr(const xmlNode *n, const char *name, double dflt)
{
    const char *s = attr(n, name);
    double v;

    if (!s || scan_num(&s, &v) != 0)
        return dflt;
    return v;
}

static int hexval(int c)
{
    return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10
         : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
}

/* Parses an SVG paint into *C; -1 when not understood (C unchanged). */
static int parse_color(const char *s, rgba *c)
{
    static const struct { const char *name; rgba c; } names[] = {
        { "none", { 0, 0, 0, 0 } },         { "transparent", { 0, 0, 0, 0 } },
        { "black", { 0, 0, 0, 255 } },      { "white", { 255, 255, 255, 255 } },
        { "red", { 255, 0, 0, 255 } },      { "green", { 0, 128, 0, 255 } },
        { "blue", { 0, 0, 255, 255 } },     { "gray", { 128, 128, 128, 255 } },
        { "grey", { 128, 128, 128, 255 } }, { "currentColor", { 0, 0, 0, 255 } },
    };
    size_t n;

    while (*s == ' ')
        s++;
    n = strlen(s);
    while (n && s[n - 1] == ' ')
        n--;
    if (n && s[0] == '#') {
        int v[6];

        if (n != 4 && n != 7)
            return -1;
        for (size_t i = 1; i < n; i++)
            if ((v[i - 1] = hexval(s[i])) < 0)
                return -1;
        if (n == 4)
            *c = (rgba){ (uint8_t)(v[0] * 17), (uint8_t)(v[1] * 17), (uint8_t)(v[2] * 17), 255 };
        else
            *c = (rgba){ (uint8_t)(v[0] * 16 + v[1]), (uint8_t)(v[2] * 16 + v[3]),
                         (uint8_t)(v[4] * 16 + v[5]), 255 };
        return 0;
    }
    if (strncmp(s, "rgb(", 4) == 0) {
        const char *p = s + 4;
        double r, g, b;

        if (scan_num(&p, &r) || scan_num(&p, &g) || scan_num(&p, &b))
            return -1;
        *c = (rgba){ (uint8_t)fmin(fmax(r, 0), 255), (uint8_t)fmin(fmax(g, 0), 255),
                     (uint8_t)fmin(fmax(b, 0), 255), 255 };
        return 0;
    }
    for (size_t i = 0; i < sizeof names / sizeof *names; i++)
        if (strlen(names[i].name) == n && strncmp(names[i].name, s, n) == 0) {
            *c = names[i].c;
            return 0;
        }
    return -1;
}

/* Composes the transform list S onto *M; -1 at the first unknown function. */
static int parse_transform(const char *s, mat *m)
{
    for (;;) {
        const char *p = skip_sep(s), *nm = p;
        double v[6];
        int k = 0;
        size_t len;
        mat t = { 1, 0, 0, 1, 0, 0 };

        if (!*p)
            return 0;
        while ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z'))
            p++;
        len = (size_t)(p - nm);
        while (*p == ' ')
            p++;
        if (*p++ != '(')
            return -1;
        while (k < 6 && scan_num(&p, &v[k]) == 0)
            k++;
        p = skip_sep(p);
        if (*p++ != ')')
            return -1;
        if (len == 9 && strncmp(nm, "translate", 9) == 0 && (k == 1 || k == 2)) {
            t.e = v[0];
            t.f = k == 2 ? v[1] : 0;
        } else if (len == 5 && strncmp(nm, "scale", 5) == 0 && (k == 1 || k == 2)) {
            t.a = v[0];
            t.d = k == 2 ? v[1] : v[0];
        } else if (len == 6 && strncmp(nm, "rotate", 6) == 0 && (k == 1 || k == 3)) {
            double r = v[0] * M_PI / 180, cx = k == 3 ? v[1] : 0, cy = k == 3 ? v[2] : 0;

            t = (mat){ cos(r), sin(r), -sin(r), cos(r), 0, 0 };
            t.e = cx - t.a * cx - t.c * cy;
            t.f = cy - t.b * cx - t.d * cy;
        } else if (len == 6 && strncmp(nm, "matrix", 6) == 0 && k == 6) {
            t = (mat){ v[0], v[1], v[2], v[3], v[4], v[5] };
        } else {
            return -1;
        }
        *m = mul(*m, t);
        s = p;
    }
}

/* Applies the presentation attributes of N to *G. */
static void inherit(walk *w, const xmlNode *n, gstate *g)
{
    const char *s;

    if ((s = attr(n, "transform")) && parse_transform(s, &g->m) != 0)
        diag_warning(w->d, w->o->file, w->o->line, 0, "SVG transform '%s' not understood", s);
    if ((s = attr(n, "fill")) && parse_color(s, &g->fill) != 0)
        diag_warning(w->d, w->o->file, w->o->line, 0, "SVG colour '%s' not understood", s);
    if ((s = attr(n, "stroke")) && parse_color(s, &g->stroke) != 0)
        diag_warning(w->d, w->o->file, w->o->line, 0, "SVG colour '%s' not understood", s);
    g->sw = (float)num_attr(n, "stroke-width", g->sw);
    if ((s = attr(n, "stroke-dasharray"))) {
        double first;

        g->dash = scan_num(&s, &first) != 0 || first <= 0 ? PG_SOLID
                : first <= g->sw * 1.5 ? PG_DOTTED : PG_DASHED;
    }
    g->fsize = (float)num_attr(n, "font-size", g->fsize);
    if ((s = attr(n, "font-weight")))
        g->weight = strcmp(s, "bold") == 0 || strcmp(s, "bolder") == 0 ? 700
                  : strcmp(s, "normal") == 0 ? 400 : (int)num_attr(n, "font-weight", 400);
    if ((s = attr(n, "text-anchor")))
        g->anchor = strcmp(s, "middle") == 0 ? 1 : strcmp(s, "end") == 0 ? 2 : 0;
    if ((s = attr(n, "font-family")))
        g->family = s;
}

/***  Items  ***/

static float line_width(const gstate *g)
{
    return (float)(g->sw * mscale(&g->m));
}

static void add_op(walk *w, pg_op op, const mat *m, double x, double y)
{
    if (w->nop == w->cap_op) {
        w->cap_op = w->cap_op ? 2 * w->cap_op : 32;
        w->op = xrealloc(w->op, w->cap_op * sizeof *w->op);
    }
    w->op[w->nop++] = op;
    if (op == PG_CLOSE)
        return;
    if (w->npt + 2 > w->cap_pt) {
        w->cap_pt = w->cap_pt ? 2 * w->cap_pt : 64;
        w->pt = xrealloc(w->pt, w->cap_pt * sizeof *w->pt);
    }
    apply(m, x, y, &w->pt[w->npt], &w->pt[w->npt + 1]);
    w->npt += 2;
}

/* Emits the path built so far (fill only for closed shapes when FILLABLE). */
static void flush_path(walk *w, const gstate *g, int fillable)
{
    pg_item *it;
    pg_path *pp;
    pg_op *op;
    float *pt;

    if (w->nop >= 2 && ((fillable && g->fill.a) || (g->stroke.a && g->sw > 0))) {
        op = arena_alloc(w->p->arena, w->nop * sizeof *op);
        pt = arena_alloc(w->p->arena, (w->npt ? w->npt : 1) * sizeof *pt);
        memcpy(op, w->op, w->nop * sizeof *op);
        memcpy(pt, w->pt, w->npt * sizeof *pt);
        it = pages_push(w->p, w->pg, PG_PATH);
        pp = &it->u.path;
        pp->op = op;
        pp->pt = pt;
        pp->nop = w->nop;
        pp->fill = fillable ? g->fill : (rgba){ 0, 0, 0, 0 };
        pp->stroke = g->sw > 0 ? g->stroke : (rgba){ 0, 0, 0, 0 };
        pp->line_width = line_width(g);
        pp->dash = g->dash;
    }
    w->nop = w->npt = 0;
}

static void draw_rect(walk *w, const xmlNode *n, const gstate *g)
{
    double x = num_attr(n, "x", 0), y = num_attr(n, "y", 0);
    double rw = num_attr(n, "width", 0), rh = num_attr(n, "height", 0);
    float x0, y0, x1, y1;

    if (!(rw > 0 && rh > 0) || (!g->fill.a && !(g->stroke.a && g->sw > 0)))
        return;
    if (g->m.b == 0 && g->m.c == 0) {
        pg_rect *r = &pages_push(w->p, w->pg, PG_RECT)->u.rect;

        apply(&g->m, x, y, &x0, &y0);
        apply(&g->m, x + rw, y + rh, &x1, &y1);
        r->x = fminf(x0, x1);
        r->y = fminf(y0, y1);
        r->w = fabsf(x1 - x0);
        r->h = fabsf(y1 - y0);
        r->fill = g->fill;
        r->stroke = g->sw > 0 ? g->stroke : (rgba){ 0, 0, 0, 0 };
        r->line_width = line_width(g);
        return;
    }
    add_op(w, PG_MOVE, &g->m, x, y);
    add_op(w, PG_LINETO, &g->m, x + rw, y);
    add_op(w, PG_LINETO, &g->m, x + rw, y + rh);
    add_op(w, PG_LINETO, &g->m, x, y + rh);
    add_op(w, PG_CLOSE, &g->m, 0, 0);
    flush_path(w, g, 1);
}

static void draw_line(walk *w, const xmlNode *n, const gstate *g)
{
    pg_line *l;

    if (!g->stroke.a || g->sw <= 0)
        return;
    l = &pages_push(w->p, w->pg, PG_LINE)->u.line;
    apply(&g->m, num_attr(n, "x1", 0), num_attr(n, "y1", 0), &l->x1, &l->y1);
    apply(&g->m, num_attr(n, "x2", 0), num_attr(n, "y2", 0), &l->x2, &l->y2);
    l->width = line_width(g);
    l->color = g->stroke;
    l->dash = g->dash;
}

static void draw_poly(walk *w, const xmlNode *n, const gstate *g, int closed)
{
    const char *s = attr(n, "points");
    double x, y;

    if (!s)
        return;
    while (scan_num(&s, &x) == 0 && scan_num(&s, &y) == 0)
        add_op(w, w->nop ? PG_LINETO : PG_MOVE, &g->m, x, y);
    if (closed && w->nop)
        add_op(w, PG_CLOSE, &g->m, 0, 0);
    flush_path(w, g, 1);
}

/* The path data subset: M/L/H/V/Z, absolute and relative; stops at anything else. */
static void draw_path(walk *w, const xmlNode *n, const gstate *g)
{
    const char *s = attr(n, "d");
    double cx = 0, cy = 0, sx = 0, sy = 0, a, b;
    int cmd = 0;

    if (!s)
        return;
    for (;;) {
        const char *p = skip_sep(s);
        int rel;

        if (!*p)
            break;
        if (strchr("MmLlHhVvZz", *p) && *p) {
            cmd = *p++;
        } else if (!cmd || cmd == 'Z' || cmd == 'z' || !strchr("+-.0123456789", *p)) {
            size_t k = 1; /* the whole character, so the message stays valid UTF-8 */

            while (((unsigned char)p[k] & 0xC0) == 0x80)
                k++;
            diag_warning(w->d, w->o->file, w->o->line, 0,
                         "SVG path command '%.*s' is not drawn (only M, L, H, V, Z)", (int)k, p);
            break;
        }
        rel = cmd >= 'a';
        s = p;
        switch (cmd | 0x20) {
        case 'z':
            if (w->nop)
                add_op(w, PG_CLOSE, &g->m, 0, 0);
            cx = sx, cy = sy;
            continue;
        case 'h':
            if (scan_num(&s, &a))
                goto bad;
            cx = rel ? cx + a : a;
            break;
        case 'v':
            if (scan_num(&s, &a))
                goto bad;
            cy = rel ? cy + a : a;
            break;
        default: /* m, l */
            if (scan_num(&s, &a) || scan_num(&s, &b))
                goto bad;
            cx = rel ? cx + a : a;
            cy = rel ? cy + b : b;
            break;
        }
        if ((cmd | 0x20) == 'm' || !w->nop) {
            add_op(w, PG_MOVE, &g->m, cx, cy);
            sx = cx, sy = cy;
            if ((cmd | 0x20) == 'm') /* further pairs are lines */
                cmd = rel ? 'l' : 'L';
        } else {
            add_op(w, PG_LINETO, &g->m, cx, cy);
        }
    }
    flush_path(w, g, 1);
    return;
bad:
    diag_warning(w->d, w->o->file, w->o->line, 0, "SVG path data is malformed; drawn up to it");
    flush_path(w, g, 1);
}

static int face_for(walk *w, const gstate *g)
{
    const char *fam = w->o->families ? w->o->families : g->family ? g->family : "sans-serif";
    int f;

    if (w->o->face)
        return w->o->face(w->o->self, fam, g->weight);
    f = w->p->fonts ? font_match(w->p->fonts, fam, g->weight, 0) : -1;
    return f >= 0 ? f : 0;
}

static float text_width(walk *w, int fi, const char *s, size_t n, float size)
{
    size_t cps = 0;

    if (w->o->measure)
        return w->o->measure(w->o->self, fi, s, n, size);
    if (w->p->fonts && fi >= 0 && (size_t)fi < font_count(w->p->fonts))
        return font_width(w->p->fonts, fi, s, n, size);
    for (size_t i = 0; i < n; i++)
        cps += ((unsigned char)s[i] & 0xC0) != 0x80;
    return (float)cps * size * 0.55f;
}

static void draw_text(walk *w, const xmlNode *n, const gstate *g)
{
    xmlChar *raw = xmlNodeGetContent(n);
    char *t;
    size_t len = 0;
    pg_text *pt;
    double ang, ux, uy;
    float x, y, size;

    if (!raw || !g->fill.a || g->fsize <= 0)
        goto out;
    /* collapse white space as SVG does by default (no xml:space) */
    t = arena_alloc(w->p->arena, strlen((const char *)raw) + 1);
    for (const char *s = (const char *)raw; *s; s++) {
        int sp = *s == ' ' || *s == '\t' || *s == '\n' || *s == '\r';

        if (sp && (len == 0 || t[len - 1] == ' '))
            continue;
        t[len++] = sp ? ' ' : *s;
    }
    while (len && t[len - 1] == ' ')
        len--;
    t[len] = '\0';
    if (!len)
        goto out;
    ux = g->m.a;
    uy = g->m.b;
    size = (float)(g->fsize * hypot(ux, uy));
    if (!(size > 0))
        goto out;
    ang = atan2(uy, ux);
    pt = &pages_push(w->p, w->pg, PG_TEXT)->u.text;
    pt->face = face_for(w, g);
    pt->size = size;
    pt->text = t;
    pt->len = len;
    pt->color = g->fill;
    pt->width = text_width(w, pt->face, t, len, size);
    pt->angle = (float)(ang * 180 / M_PI);
    apply(&g->m, num_attr(n, "x", 0), num_attr(n, "y", 0), &x, &y);
    if (g->anchor) {
        float back = pt->width * (g->anchor == 1 ? 0.5f : 1.0f);

        x -= (float)(cos(ang) * back);
        y -= (float)(sin(ang) * back);
    }
    pt->x = x;
    pt->y = y;
out:
    xmlFree(raw);
}

/***  The walk  ***/

static void walk_node(walk *w, const xmlNode *n, gstate g, int depth)
{
    const char *name = (const char *)n->name;

    if (depth > SVGDRAW_MAX_DEPTH) {
        diag_warning(w->d, w->o->file, w->o->line, 0, "SVG nested deeper than %d; cut",
                     SVGDRAW_MAX_DEPTH);
        return;
    }
    if (strcmp(name, "title") == 0 || strcmp(name, "desc") == 0 ||
        strcmp(name, "metadata") == 0)
        return;
    inherit(w, n, &g);
    if (strcmp(name, "g") == 0 || strcmp(name, "svg") == 0) {
        for (const xmlNode *c = n->children; c; c = c->next)
            if (c->type == XML_ELEMENT_NODE)
                walk_node(w, c, g, depth + 1);
    } else if (strcmp(name, "rect") == 0) {
        draw_rect(w, n, &g);
    } else if (strcmp(name, "line") == 0) {
        draw_line(w, n, &g);
    } else if (strcmp(name, "polyline") == 0) {
        draw_poly(w, n, &g, 0);
    } else if (strcmp(name, "polygon") == 0) {
        draw_poly(w, n, &g, 1);
    } else if (strcmp(name, "path") == 0) {
        draw_path(w, n, &g);
    } else if (strcmp(name, "text") == 0) {
        draw_text(w, n, &g);
    } else {
        diag_warning(w->d, w->o->file, w->o->line, 0, "SVG element <%s> is not drawn", name);
    }
}

/* A document with a DTD is refused: its entities could expand without bound ("billion
 * laughs"), and chart.c never writes one. */
static xmlDoc *parse_svg(const char *svg, size_t len)
{
    xmlDoc *doc;

    xmlResetLastError();
    if (len > (size_t)INT32_MAX)
        return NULL;
    doc = xmlReadMemory(svg, (int)len, NULL, NULL,
                        XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
    if (doc && (doc->intSubset || doc->extSubset)) {
        xmlFreeDoc(doc);
        return NULL;
    }
    return doc;
}

/* The viewBox of ROOT, else 0 0 width height; -1 when neither gives a positive size. */
static int view_box(const xmlNode *root, double vb[4])
{
    const char *s = attr(root, "viewBox");

    if (!s) /* an <svg> written in an HTML template: the HTML parser lowercases names */
        s = attr(root, "viewbox");

    if (s && scan_num(&s, &vb[0]) == 0 && scan_num(&s, &vb[1]) == 0 &&
        scan_num(&s, &vb[2]) == 0 && scan_num(&s, &vb[3]) == 0 && vb[2] > 0 && vb[3] > 0)
        return 0;
    vb[0] = vb[1] = 0;
    vb[2] = num_attr(root, "width", 0);
    vb[3] = num_attr(root, "height", 0);
    return vb[2] > 0 && vb[3] > 0 ? 0 : -1;
}

int svgdraw_size_node(const xmlNode *root, float *w, float *h)
{
    double vb[4];

    if (!root || view_box(root, vb) != 0)
        return -1;
    *w = (float)num_attr(root, "width", vb[2]);
    *h = (float)num_attr(root, "height", vb[3]);
    return *w > 0 && *h > 0 ? 0 : -1;
}

int svgdraw_size(const char *svg, size_t len, float *w, float *h)
{
    xmlDoc *doc = parse_svg(svg, len);
    int rc = svgdraw_size_node(doc ? xmlDocGetRootElement(doc) : NULL, w, h);

    xmlFreeDoc(doc);
    return rc;
}

int svgdraw_render_node(pages *p, page *pg, const xmlNode *root, float x, float y, float w,
                        float h, const svgdraw_opts *o, diag *d)
{
    static const svgdraw_opts none = { 0 };
    walk wk = { .p = p, .pg = pg, .o = o ? o : &none, .d = d };
    double vb[4], s;
    gstate g = { .fill = { 0, 0, 0, 255 }, .sw = 1, .fsize = 16, .weight = 400 };

    if (!root || root->type != XML_ELEMENT_NODE || strcmp((const char *)root->name, "svg") != 0) {
        diag_error(d, wk.o->file, wk.o->line, 0, "not an SVG drawing");
        return -1;
    }
    if (view_box(root, vb) != 0 || !(w > 0 && h > 0)) {
        diag_error(d, wk.o->file, wk.o->line, 0, "SVG has no size (width/height or viewBox)");
        return -1;
    }
    s = fmin(w / vb[2], h / vb[3]);
    g.m = (mat){ s, 0, 0, -s, x + (w - vb[2] * s) / 2 - vb[0] * s,
                 y + h - (h - vb[3] * s) / 2 + vb[1] * s };
    walk_node(&wk, root, g, 0);
    free(wk.op);
    free(wk.pt);
    return 0;
}

int svgdraw_render(pages *p, page *pg, const char *svg, size_t len, float x, float y, float w,
                   float h, const svgdraw_opts *o, diag *d)
{
    xmlDoc *doc = parse_svg(svg, len);
    const xmlNode *root = doc ? xmlDocGetRootElement(doc) : NULL;
    int rc;

    if (!root) {
        const xmlError *e = xmlGetLastError();
        const char *file = o ? o->file : NULL;
        unsigned line = o ? o->line : 0;

        diag_error(d, file, e ? line + (unsigned)e->line - 1 : line, 0, "not an SVG drawing%s%s",
                   e ? ": " : "", e && e->message ? e->message : "");
        xmlFreeDoc(doc);
        return -1;
    }
    rc = svgdraw_render_node(p, pg, root, x, y, w, h, o, d);
    xmlFreeDoc(doc);
    return rc;
}
