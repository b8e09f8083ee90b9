/*
** The floor's report (tests/bench/report.txt) through our own backend: the same lines at
** the same positions as floor.c, but placed into the page model with widths from font.c
** and written by pdfout_write. The difference to the floor is the backend's own cost.
**
** With a fourth argument "words" every word is its own run at its own x, spaces stretched
** to the right margin, which is how a justified line reaches the backend (Identity-H text
** cannot use the PDF word-spacing operator Tw, which applies to single-byte code 32 only).
**
** usage: pdfout_report REPORT.txt FONTDIR OUT.pdf [words]
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "font.h"
#include "pages.h"
#include "pdfout.h"

#define LINE_CHARS 78 /* as floor.c */
#define LEADING 1.5f
#define A4_W 595.28f
#define A4_H 841.89f
#define MARGIN 72.0f

typedef struct report {
    pages *pg;
    page *cur;
    float y;
    int regular, bold;
    int words;
} report;

static void put_run(report *r, int fi, float size, float x, const char *s, size_t n)
{
    pg_item *it = pages_push(r->pg, r->cur, PG_TEXT);

    it->u.text = (pg_text){ .x = x, .y = r->y, .size = size,
                            .width = font_width(r->pg->fonts, fi, s, n, size), .face = fi,
                            .color = { 0, 0, 0, 255 },
                            .text = arena_strndup(r->pg->arena, s, n), .len = n };
}

/* One line: a single run, or (words mode) one run per word with the gaps stretched. */
static void put_line(report *r, int fi, float size, const char *s, size_t n)
{
    const char *w, *end = s + n;
    float x = MARGIN, gap, total = 0;
    int nword = 0;

    if (!r->cur || r->y - size * LEADING < MARGIN) {
        r->cur = pages_add(r->pg, A4_W, A4_H);
        r->y = A4_H - MARGIN;
    }
    r->y -= size * LEADING;
    if (!r->words) {
        put_run(r, fi, size, x, s, n);
        return;
    }
    for (w = s; w < end; nword++) {
        const char *e = memchr(w, ' ', (size_t)(end - w));

        e = e ? e : end;
        total += font_width(r->pg->fonts, fi, w, (size_t)(e - w), size);
        w = e + 1;
    }
    gap = nword > 1 ? (A4_W - 2 * MARGIN - total) / (nword - 1) : 0;
    for (w = s; w < end;) {
        const char *e = memchr(w, ' ', (size_t)(end - w));

        e = e ? e : end;
        put_run(r, fi, size, x, w, (size_t)(e - w));
        x += font_width(r->pg->fonts, fi, w, (size_t)(e - w), size) + gap;
        w = e + 1;
    }
}

static void put_paragraph(report *r, const char *p)
{
    while (*p) {
        const char *cut = NULL, *q = p;
        int n = 0;

        for (; *q && n <= LINE_CHARS; q++) {
            if ((*q & 0xC0) != 0x80)
                n++;
            if (*q == ' ' && n <= LINE_CHARS)
                cut = q;
        }
        if (!*q || !cut)
            cut = q;
        put_line(r, r->regular, 13, p, (size_t)(cut - p));
        p = *cut ? cut + 1 : cut;
    }
    r->y -= 6;
}

int main(int argc, char **argv)
{
    diag *d = diag_new(stderr, 0);
    fontset *fs = font_new();
    report r = { 0 };
    char path[1024], line[4096];
    FILE *in;
    int rc = 1;

    if (argc < 4 || argc > 5) {
        fputs("usage: pdfout_report REPORT.txt FONTDIR OUT.pdf [words]\n", stderr);
        return 2;
    }
    r.words = argc == 5 && strcmp(argv[4], "words") == 0;
    snprintf(path, sizeof path, "%s/LiberationSerif-Regular.ttf", argv[2]);
    r.regular = font_add(fs, "Liberation Serif", 400, 0, path, NULL, 0, d);
    snprintf(path, sizeof path, "%s/LiberationSerif-Bold.ttf", argv[2]);
    r.bold = font_add(fs, "Liberation Serif", 700, 0, path, NULL, 0, d);
    if (r.regular < 0 || r.bold < 0 || !(in = fopen(argv[1], "r")))
        goto out;
    r.pg = pages_new(fs);
    while (fgets(line, sizeof line, in)) {
        line[strcspn(line, "\n")] = '\0';
        if (strncmp(line, "## ", 3) == 0)
            put_line(&r, r.bold, 13, line + 3, strlen(line + 3));
        else if (strncmp(line, "# ", 2) == 0)
            put_line(&r, r.bold, 16, line + 2, strlen(line + 2));
        else if (line[0])
            put_paragraph(&r, line);
    }
    fclose(in);
    rc = pdfout_write(r.pg, NULL, argv[3], d) == 0 ? 0 : 1;
    pages_free(r.pg);
out:
    font_free(fs);
    diag_free(d);
    return rc;
}
