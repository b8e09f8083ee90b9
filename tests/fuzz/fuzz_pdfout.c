/*
** Fuzz harness for the PDF backend: the input bytes become a page model (pages of odd
** sizes, text runs with any bytes, faces that exist or not, rects, lines, paths with any
** operation order, links to anchors that exist or not, bookmarks of any level, numbers
** including NaN, infinities and huge values) which pdfout_write must write or refuse
** without crashing. Needs fonts/ (run from the repository root, as make fuzz does).
**
** Layout: byte 0 options (bit 0: uncompressed), then records: a kind byte, then its
** fields, each number one byte mapped through NUMBERS (so specials are common).
*/
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "diag.h"
#include "font.h"
#include "pages.h"
#include "pdfout.h"

#define FUZZ_MAX_ITEMS 2000 /* more adds time, not coverage */

static fontset *fonts;

typedef struct reader {
    const uint8_t *p, *end;
} reader;

static int byte(reader *r)
{
    return r->p < r->end ? *r->p++ : 0;
}

static float number(reader *r)
{
    int b = byte(r);

    switch (b) {
    case 0: return NAN;
    case 1: return INFINITY;
    case 2: return -INFINITY;
    case 3: return 1e30f;
    case 4: return -1e30f;
    case 5: return 0;
    case 6: return 20000;
    default: return (float)(b - 7) * 4.0f; /* 0 .. 992 pt */
    }
}

static rgba colour(reader *r)
{
    int b = byte(r);

    return (rgba){ (uint8_t)(b * 37), (uint8_t)(b * 91), (uint8_t)(b * 13), (uint8_t)(b & 3 ? 255 : b) };
}

static const char *string(reader *r, pages *pg, size_t *len)
{
    size_t n = (size_t)byte(r);

    if (n > (size_t)(r->end - r->p))
        n = (size_t)(r->end - r->p);
    *len = n;
    r->p += n;
    return arena_strndup(pg->arena, (const char *)r->p - n, n);
}

static void add_path(reader *r, pages *pg, page *p)
{
    size_t nop = (size_t)(byte(r) & 31), npt = 0;
    pg_op *op = arena_alloc(pg->arena, (nop + 1) * sizeof *op);
    float *pt = arena_alloc(pg->arena, (2 * nop + 1) * sizeof *pt);
    pg_item *it = pages_push(pg, p, PG_PATH);

    for (size_t i = 0; i < nop; i++) {
        op[i] = (pg_op)(byte(r) % 3);
        if (op[i] != PG_CLOSE) {
            pt[npt++] = number(r);
            pt[npt++] = number(r);
        }
    }
    it->u.path = (pg_path){ op, pt, nop, colour(r), colour(r), number(r) / 100, (pg_dash)(byte(r) % 3) };
}

static void add_item(reader *r, pages *pg, page *p)
{
    pg_item *it;
    size_t len;

    switch (byte(r) % 8) {
    case 0:
        it = pages_push(pg, p, PG_TEXT);
        it->u.text = (pg_text){ number(r), number(r), number(r) / 8, 0, byte(r) % 4 - 1, colour(r), NULL, 0 };
        it->u.text.text = string(r, pg, &len);
        it->u.text.len = len;
        break;
    case 1:
        it = pages_push(pg, p, PG_RECT);
        it->u.rect = (pg_rect){ number(r), number(r), number(r), number(r), colour(r), colour(r), number(r) / 50 };
        break;
    case 2:
        it = pages_push(pg, p, PG_LINE);
        it->u.line = (pg_line){ number(r), number(r), number(r), number(r), number(r) / 50, colour(r), (pg_dash)(byte(r) % 3) };
        break;
    case 3:
        add_path(r, pg, p);
        break;
    case 4:
        it = pages_push(pg, p, PG_LINK);
        it->u.link = (pg_link){ number(r), number(r), number(r), number(r), NULL, NULL };
        if (byte(r) & 1)
            it->u.link.uri = string(r, pg, &len);
        else
            it->u.link.anchor = byte(r) & 1 ? "a" : "missing";
        break;
    case 5:
        pages_add_outline(pg, byte(r) % 8 - 1, string(r, pg, &len), (size_t)byte(r), number(r));
        break;
    case 6:
        pages_add_anchor(pg, "a", (size_t)byte(r), number(r));
        break;
    default:
        it = pages_push(pg, p, PG_IMAGE);
        it->u.image = (pg_image){ number(r), number(r), number(r), number(r), "/nonexistent.png" };
        break;
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    reader r = { data, data + size };
    diag *d = diag_new(NULL, 0);
    pdf_opts o = { 0 };
    pages *pg;
    page *p = NULL;
    char path[64];
    int n = 0;

    if (!fonts) {
        fonts = font_new();
        font_add(fonts, "Liberation Serif", 400, 0, "fonts/LiberationSerif-Regular.ttf", NULL, 0, d);
        font_add(fonts, "Noto Sans", 700, 0, "fonts/NotoSans-Bold.ttf", NULL, 0, d);
    }
    o.uncompressed = byte(&r) & 1;
    o.has_date = 1;
    pg = pages_new(fonts);
    while (r.p < r.end && n++ < FUZZ_MAX_ITEMS) {
        if (!p || byte(&r) == 0xFF)
            p = pages_add(pg, number(&r), number(&r));
        add_item(&r, pg, p);
    }
    snprintf(path, sizeof path, "/tmp/fuzz_pdfout.%d.pdf", (int)getpid());
    pdfout_write(pg, &o, path, d);
    unlink(path);
    pages_free(pg);
    diag_free(d);
    return 0;
}
