/*
** The speed floor: a bare libharu program that writes the benchmark report (report.txt:
** "# " and "## " headings, paragraphs separated by blank lines) with the same faces as the
** real pipeline (Liberation Serif Regular and Bold, embedded subsets, UTF-8) and no layout:
** fixed line positions, lines split naively every FLOOR_LINE_CHARS characters at a space,
** no justification, no measuring. Body 13 pt with 1.5 line spacing on A4 with 1 in margins
** (Nghị định 30/2020 sizes), which makes 3 pages. Whatever baocao does on top of this is layout's cost.
**
** usage: floor REPORT.txt FONTDIR OUT.pdf
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <hpdf.h>

#define FLOOR_LINE_CHARS 78 /* about what fits 451 pt of 13 pt Liberation Serif */
#define FLOOR_LEADING 1.5f  /* Nghị định 30 body text: 13-14 pt, spacing up to 1.5 lines */
#define FLOOR_MAX_LINE 4096 /* a longer source line is cut */
#define A4_W 595.28f
#define A4_H 841.89f
#define MARGIN 72.0f

typedef struct floor_doc {
    HPDF_Doc doc;
    HPDF_Page page;
    HPDF_Font regular, bold;
    float y;
    int pages;
    HPDF_STATUS status;
} floor_doc;

static void on_error(HPDF_STATUS e, HPDF_STATUS detail, void *user)
{
    floor_doc *f = user;

    (void)detail;
    if (f->status == HPDF_OK)
        f->status = e;
}

static void new_page(floor_doc *f)
{
    if (f->page)
        HPDF_Page_EndText(f->page);
    f->page = HPDF_AddPage(f->doc);
    HPDF_Page_SetWidth(f->page, A4_W);
    HPDF_Page_SetHeight(f->page, A4_H);
    HPDF_Page_BeginText(f->page);
    f->y = A4_H - MARGIN;
    f->pages++;
}

/* Shows one line at the left margin, starting a page when this one is full. */
static void put_line(floor_doc *f, HPDF_Font font, float size, const char *s)
{
    if (f->y - size * FLOOR_LEADING < MARGIN)
        new_page(f);
    f->y -= size * FLOOR_LEADING;
    HPDF_Page_SetFontAndSize(f->page, font, size);
    HPDF_Page_SetTextMatrix(f->page, 1, 0, 0, 1, MARGIN, f->y);
    HPDF_Page_ShowText(f->page, s);
}

/* Splits paragraph P into lines of at most FLOOR_LINE_CHARS characters at spaces. */
static void put_paragraph(floor_doc *f, char *p)
{
    while (*p) {
        char *cut = NULL, *q = p, save;
        int n = 0;

        for (; *q && n <= FLOOR_LINE_CHARS; q++) {
            if ((*q & 0xC0) != 0x80)
                n++;
            if (*q == ' ' && n <= FLOOR_LINE_CHARS)
                cut = q;
        }
        if (!*q)
            cut = q;
        else if (!cut)
            cut = q;
        save = *cut;
        *cut = '\0';
        put_line(f, f->regular, 13, p);
        *cut = save;
        p = *cut ? cut + 1 : cut;
    }
    f->y -= 6;
}

static int write_report(FILE *in, const char *fontdir, const char *out)
{
    floor_doc f = { 0 };
    char path[1024], line[FLOOR_MAX_LINE];
    const char *name;

    f.doc = HPDF_New(on_error, &f);
    if (!f.doc)
        return -1;
    HPDF_SetCompressionMode(f.doc, HPDF_COMP_ALL);
    HPDF_UseUTFEncodings(f.doc);
    snprintf(path, sizeof path, "%s/LiberationSerif-Regular.ttf", fontdir);
    name = HPDF_LoadTTFontFromFile(f.doc, path, HPDF_TRUE);
    f.regular = name ? HPDF_GetFont(f.doc, name, "UTF-8") : NULL;
    snprintf(path, sizeof path, "%s/LiberationSerif-Bold.ttf", fontdir);
    name = HPDF_LoadTTFontFromFile(f.doc, path, HPDF_TRUE);
    f.bold = name ? HPDF_GetFont(f.doc, name, "UTF-8") : NULL;
    if (!f.regular || !f.bold) {
        fprintf(stderr, "floor: cannot load the Liberation Serif faces from %s\n", fontdir);
        HPDF_Free(f.doc);
        return -1;
    }
    new_page(&f);
    while (fgets(line, sizeof line, in)) {
        line[strcspn(line, "\n")] = '\0';
        if (strncmp(line, "## ", 3) == 0)
            put_line(&f, f.bold, 13, line + 3);
        else if (strncmp(line, "# ", 2) == 0)
            put_line(&f, f.bold, 16, line + 2);
        else if (line[0])
            put_paragraph(&f, line);
    }
    HPDF_Page_EndText(f.page);
    HPDF_SaveToFile(f.doc, out);
    HPDF_Free(f.doc);
    if (f.status != HPDF_OK) {
        fprintf(stderr, "floor: libharu error 0x%04X\n", (unsigned)f.status);
        return -1;
    }
    if (getenv("FLOOR_VERBOSE"))
        fprintf(stderr, "floor: %d pages\n", f.pages);
    return 0;
}

int main(int argc, char **argv)
{
    FILE *in;
    int rc;

    if (argc != 4) {
        fputs("usage: floor REPORT.txt FONTDIR OUT.pdf\n", stderr);
        return 2;
    }
    if (!(in = fopen(argv[1], "r"))) {
        perror(argv[1]);
        return 1;
    }
    rc = write_report(in, argv[2], argv[3]);
    fclose(in);
    return rc == 0 ? 0 : 1;
}
