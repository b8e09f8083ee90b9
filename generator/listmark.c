/*
** List markers: numbering (start, reversed, value) and marker text per list-style-type.
*/
#include "listmark.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "vnfmt.h"

#define LISTMARK_MAX_ABS 1000000000 /* numbers are clamped to ±this: counters stay finite */

static int is_li(const xmlNode *n)
{
    return n->type == XML_ELEMENT_NODE && n->name && strcmp((const char *)n->name, "li") == 0;
}

static const char *attr(const xmlNode *n, const char *name)
{
    for (const xmlAttr *a = n->properties; a; a = a->next)
        if (a->name && strcmp((const char *)a->name, name) == 0)
            return a->children && a->children->content ? (const char *)a->children->content
                                                        : "";
    return NULL;
}

/* An HTML integer attribute ("valid integer", leading whitespace allowed, junk after the
 * digits ignored as browsers do). Returns 0 and sets *V, or -1. */
static int int_attr(const xmlNode *n, const char *name, int *v)
{
    const char *s = attr(n, name);
    char *end;
    long x;

    if (!s)
        return -1;
    errno = 0;
    x = strtol(s, &end, 10);
    if (end == s)
        return -1;
    if (x > LISTMARK_MAX_ABS || errno == ERANGE)
        x = x < 0 ? -LISTMARK_MAX_ABS : LISTMARK_MAX_ABS;
    if (x < -LISTMARK_MAX_ABS)
        x = -LISTMARK_MAX_ABS;
    *v = (int)x;
    return 0;
}

void listmark_start(listmark *m, const xmlNode *list)
{
    int reversed = attr(list, "reversed") != NULL;

    m->step = reversed ? -1 : 1;
    if (int_attr(list, "start", &m->next) == 0)
        return;
    m->next = 1;
    if (reversed) {
        int count = 0;
        for (const xmlNode *c = list->children; c; c = c->next)
            if (is_li(c) && count < LISTMARK_MAX_ABS)
                count++;
        m->next = count;
    }
}

int listmark_next(listmark *m, const xmlNode *li)
{
    int n;

    if (li && int_attr(li, "value", &n) == 0)
        m->next = n;
    n = m->next;
    if (m->next > -LISTMARK_MAX_ABS && m->next < LISTMARK_MAX_ABS)
        m->next += m->step;
    return n;
}

uint32_t listmark_bullet(list_style type)
{
    switch (type) {
    case LIST_DISC:
        return 0x2022;
    case LIST_CIRCLE:
        return 0x25E6;
    case LIST_SQUARE:
        return 0x25AA;
    default:
        return 0;
    }
}

/* CSS "alphabetic": a..z, aa..az, ... (bijective base 26). */
static void latin(buf *out, int n, int upper)
{
    char tmp[16];
    int k = 0;

    while (n > 0 && k < (int)sizeof tmp) {
        n--;
        tmp[k++] = (char)((upper ? 'A' : 'a') + n % 26);
        n /= 26;
    }
    while (k > 0)
        buf_putc(out, tmp[--k]);
}

static void lower_ascii(buf *out, size_t from)
{
    for (size_t i = from; i < out->len; i++)
        if (out->ptr[i] >= 'A' && out->ptr[i] <= 'Z')
            out->ptr[i] = (char)(out->ptr[i] - 'A' + 'a');
}

void listmark_text(buf *out, list_style type, const char *s, int n, int vn_alpha)
{
    size_t from = out->len;

    switch (type) {
    case LIST_NONE: case LIST_DISC: case LIST_CIRCLE: case LIST_SQUARE:
        return;
    case LIST_STRING:
        if (s)
            buf_puts(out, s);
        return;
    case LIST_LOWER_ALPHA: case LIST_UPPER_ALPHA:
        if (n < 1)
            break;
        if (vn_alpha && type == LIST_LOWER_ALPHA)
            vnfmt_alpha(out, n);
        else
            latin(out, n, type == LIST_UPPER_ALPHA);
        buf_putc(out, '.');
        return;
    case LIST_LOWER_ROMAN: case LIST_UPPER_ROMAN:
        if (n < 1 || n > 3999)
            break;
        vnfmt_roman(out, n);
        if (type == LIST_LOWER_ROMAN)
            lower_ascii(out, from);
        buf_putc(out, '.');
        return;
    default:
        break;
    }
    buf_printf(out, "%d.", n);
}
