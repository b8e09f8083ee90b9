/*
** The page model: growable arrays of pages and drawing items in one arena.
*/
#include "pages.h"

#include <stdlib.h>
#include <string.h>

#include "xalloc.h"

pages *pages_new(fontset *fonts)
{
    pages *p = xcalloc(1, sizeof *p);

    p->arena = arena_new();
    p->fonts = fonts;
    return p;
}

void pages_free(pages *p)
{
    if (!p)
        return;
    for (size_t i = 0; i < p->count; i++)
        free(p->page[i].item);
    free(p->page);
    free(p->outline);
    free(p->anchor);
    arena_free(p->arena);
    free(p);
}

/* Grows *ARR (of *CAP elements of SIZE bytes) to hold one more. */
static void *grow(void *arr, size_t *cap, size_t count, size_t size)
{
    if (count < *cap)
        return arr;
    *cap = *cap ? *cap * 2 : 16;
    return xrealloc(arr, *cap * size);
}

page *pages_add(pages *p, float width, float height)
{
    page *pg;

    p->page = grow(p->page, &p->cap, p->count, sizeof *p->page);
    pg = &p->page[p->count++];
    memset(pg, 0, sizeof *pg);
    pg->width = width;
    pg->height = height;
    return pg;
}

pg_item *pages_push(pages *p, page *pg, pg_kind kind)
{
    pg_item *it;

    (void)p;
    pg->item = grow(pg->item, &pg->cap, pg->count, sizeof *pg->item);
    it = &pg->item[pg->count++];
    memset(it, 0, sizeof *it);
    it->kind = kind;
    return it;
}

void pages_add_outline(pages *p, int level, const char *title, size_t page_no, float y)
{
    pg_outline *o;

    p->outline = grow(p->outline, &p->outline_cap, p->noutline, sizeof *p->outline);
    o = &p->outline[p->noutline++];
    o->level = level;
    o->title = arena_strdup(p->arena, title);
    o->page = page_no;
    o->y = y;
}

void pages_add_anchor(pages *p, const char *id, size_t page_no, float y)
{
    pg_anchor *a;

    p->anchor = grow(p->anchor, &p->anchor_cap, p->nanchor, sizeof *p->anchor);
    a = &p->anchor[p->nanchor++];
    a->id = arena_strdup(p->arena, id);
    a->page = page_no;
    a->y = y;
}

const pg_anchor *pages_lookup_anchor(const pages *p, const char *id)
{
    for (size_t i = 0; i < p->nanchor; i++)
        if (strcmp(p->anchor[i].id, id) == 0)
            return &p->anchor[i];
    return NULL;
}
