/*
** Fonts: faces read with FreeType, CSS font matching, fallback per character, and a glyph
** advance cache so that a width lookup is an array index.
**
** Each face keeps its FT_Face open for the life of the fontset. Advances and glyph indices
** are filled lazily one 256-codepoint page at a time (FT_Get_Char_Index + FT_Get_Advance
** with FT_LOAD_NO_SCALE, scaled to 1/1000 em), so a paragraph of Vietnamese touches about
** three pages (Basic Latin, Latin-1/Extended-A/B, Latin Extended Additional) and every later
** lookup is `page[cp >> 8]->adv[cp & 255]`.
**
** Vertical metrics follow what browsers use for `line-height: normal` on Linux: the hhea
** ascender/descender/lineGap, unless the OS/2 table sets USE_TYPO_METRICS (fsSelection bit
** 7), in which case the OS/2 typo values. Liberation 2.x and Noto do not set the bit, so
** hhea it is (Liberation Serif: 891/-216/42).
*/
#include "font.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <ft2build.h>
#include FT_FREETYPE_H
#include FT_ADVANCES_H
#include FT_TRUETYPE_TABLES_H

#include "xalloc.h"

#define FONT_MAX_CP 0x110000u              /* Unicode's end */
#define FONT_NPAGES (FONT_MAX_CP >> 8)     /* 256-codepoint pages per face */
#define FONT_MAX_FAMILIES 16               /* names looked at in one font-family list */
#define FONT_MAX_NAME 128                  /* a family name longer than this never matches */
#define USE_TYPO_METRICS (1u << 7)         /* OS/2 fsSelection bit */

typedef struct adv_page {
    float adv[256];    /* 1/1000 em; 0 when missing */
    uint32_t gid[256]; /* 0 when the face has no glyph */
} adv_page;

typedef struct face_rec {
    face pub;
    FT_Face ft;
    float scale; /* 1000 / units_per_em */
    adv_page **page; /* FONT_NPAGES pointers, filled lazily */
} face_rec;

typedef struct match_rec {
    char *families;
    int weight, italic;
    int result;
    unsigned hash;
} match_rec;

struct fontset {
    FT_Library lib;
    face_rec *face;
    size_t count, cap;
    match_rec *match;
    size_t nmatch, match_cap;
};

/***  Faces  ***/

fontset *font_new(void)
{
    fontset *fs = xcalloc(1, sizeof *fs);

    if (FT_Init_FreeType(&fs->lib) != 0) {
        fputs("baocao: error: cannot initialise FreeType\n", stderr);
        abort(); /* only fails on allocation failure, like xmalloc */
    }
    return fs;
}

void font_free(fontset *fs)
{
    if (!fs)
        return;
    for (size_t i = 0; i < fs->count; i++) {
        face_rec *f = &fs->face[i];

        if (f->page)
            for (size_t p = 0; p < FONT_NPAGES; p++)
                free(f->page[p]);
        free(f->page);
        FT_Done_Face(f->ft);
        free((char *)f->pub.family);
        free((char *)f->pub.path);
    }
    free(fs->face);
    for (size_t i = 0; i < fs->nmatch; i++)
        free(fs->match[i].families);
    free(fs->match);
    FT_Done_FreeType(fs->lib);
    free(fs);
}

/* Fills the metrics of F from its hhea/OS/2/post tables (see the file comment). */
static void read_metrics(face_rec *f)
{
    FT_Face ft = f->ft;
    TT_OS2 *os2 = FT_Get_Sfnt_Table(ft, FT_SFNT_OS2);
    TT_HoriHeader *hhea = FT_Get_Sfnt_Table(ft, FT_SFNT_HHEA);
    float s = f->scale;

    if (os2 && os2->version != 0xFFFF && (os2->fsSelection & USE_TYPO_METRICS)) {
        f->pub.ascent = os2->sTypoAscender * s;
        f->pub.descent = os2->sTypoDescender * s;
        f->pub.line_gap = os2->sTypoLineGap * s;
    } else if (hhea) {
        f->pub.ascent = hhea->Ascender * s;
        f->pub.descent = hhea->Descender * s;
        f->pub.line_gap = hhea->Line_Gap * s;
    } else {
        f->pub.ascent = ft->ascender * s;
        f->pub.descent = ft->descender * s;
        f->pub.line_gap = (ft->height - ft->ascender + ft->descender) * s;
    }
    if (f->pub.descent > 0) /* a few fonts store it positive */
        f->pub.descent = -f->pub.descent;
    /* OS/2 version 2 has cap and x height; older tables: the usual proportions. */
    if (os2 && os2->version != 0xFFFF && os2->version >= 2 && os2->sCapHeight > 0) {
        f->pub.cap_height = os2->sCapHeight * s;
        f->pub.x_height = os2->sxHeight * s;
    } else {
        f->pub.cap_height = f->pub.ascent * 0.7f;
        f->pub.x_height = f->pub.ascent * 0.5f;
    }
    f->pub.underline_pos = ft->underline_position * s;
    f->pub.underline_thickness = ft->underline_thickness * s;
    if (f->pub.underline_thickness <= 0)
        f->pub.underline_thickness = 50;
}

/* Why PATH could not be opened: the system's reason when it cannot be read at all. */
static const char *load_reason(const char *path, FT_Error err, char *tmp, size_t n)
{
    FILE *fp = fopen(path, "rb");

    if (!fp)
        return strerror(errno);
    fclose(fp);
    snprintf(tmp, n, "not a TrueType/OpenType font (FreeType error 0x%02x)", (unsigned)err);
    return tmp;
}

int font_add(fontset *fs, const char *family, int weight, int italic, const char *path,
             const char *from_file, unsigned from_line, diag *d)
{
    FT_Face ft = NULL;
    FT_Error err;
    face_rec *f;
    char tmp[96];

    for (size_t i = 0; i < fs->count; i++)
        if (strcmp(fs->face[i].pub.path, path) == 0)
            return (int)i;
    err = FT_New_Face(fs->lib, path, 0, &ft);
    if (err == 0 && (!FT_IS_SCALABLE(ft) || ft->units_per_EM == 0)) {
        FT_Done_Face(ft);
        ft = NULL;
        err = FT_Err_Invalid_File_Format;
    }
    if (err != 0) {
        diag_error(d, path, 0, 0, "cannot load font: %s", load_reason(path, err, tmp, sizeof tmp));
        if (from_file)
            diag_note(d, from_file, from_line, 0, "in this @font-face rule");
        return -1;
    }
    if (fs->count == fs->cap) {
        fs->cap = fs->cap ? fs->cap * 2 : 8;
        fs->face = xrealloc(fs->face, fs->cap * sizeof *fs->face);
    }
    f = &fs->face[fs->count];
    memset(f, 0, sizeof *f);
    f->ft = ft;
    f->scale = 1000.0f / (float)ft->units_per_EM;
    f->pub.family = xstrdup(family);
    f->pub.weight = weight < 100 ? 100 : weight > 900 ? 900 : weight;
    f->pub.italic = italic != 0;
    f->pub.path = xstrdup(path);
    f->page = xcalloc(FONT_NPAGES, sizeof *f->page);
    read_metrics(f);
    /* A new face can change earlier answers. */
    for (size_t i = 0; i < fs->nmatch; i++)
        free(fs->match[i].families);
    fs->nmatch = 0;
    return (int)fs->count++;
}

size_t font_count(const fontset *fs)
{
    return fs->count;
}

const face *font_at(const fontset *fs, int i)
{
    if (i < 0 || (size_t)i >= fs->count)
        return NULL;
    return &fs->face[i].pub;
}

/***  Advance cache  ***/

static adv_page *fill_page(face_rec *f, uint32_t pno)
{
    adv_page *p = xcalloc(1, sizeof *p);

    for (uint32_t i = 0; i < 256; i++) {
        FT_UInt gid = FT_Get_Char_Index(f->ft, (pno << 8) | i);
        FT_Fixed a = 0;

        if (gid == 0 || FT_Get_Advance(f->ft, gid, FT_LOAD_NO_SCALE, &a) != 0)
            continue;
        p->gid[i] = gid;
        p->adv[i] = (float)a * f->scale;
    }
    f->page[pno] = p;
    return p;
}

static inline const adv_page *page_of(fontset *fs, int fi, uint32_t cp)
{
    face_rec *f;

    if (fi < 0 || (size_t)fi >= fs->count || cp >= FONT_MAX_CP)
        return NULL;
    f = &fs->face[fi];
    return f->page[cp >> 8] ? f->page[cp >> 8] : fill_page(f, cp >> 8);
}

int font_has_glyph(fontset *fs, int fi, uint32_t cp)
{
    const adv_page *p = page_of(fs, fi, cp);

    return p && p->gid[cp & 255] != 0;
}

float font_advance(fontset *fs, int fi, uint32_t cp)
{
    const adv_page *p = page_of(fs, fi, cp);

    return p ? p->adv[cp & 255] : 0;
}

/* Decodes one UTF-8 sequence at S (N bytes left, N > 0) into *CP; returns its length.
 * A malformed byte reads as U+FFFD, one byte long. */
static size_t decode_utf8(const unsigned char *s, size_t n, uint32_t *cp)
{
    uint32_t c = s[0];
    size_t len;

    if (c < 0x80) {
        *cp = c;
        return 1;
    }
    len = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 0;
    if (len == 0 || len > n || c > 0xF4)
        goto bad;
    c &= 0x3F >> (len - 1);
    for (size_t i = 1; i < len; i++) {
        if ((s[i] & 0xC0) != 0x80)
            goto bad;
        c = (c << 6) | (s[i] & 0x3F);
    }
    if (c >= FONT_MAX_CP)
        goto bad;
    *cp = c;
    return len;
bad:
    *cp = 0xFFFD;
    return 1;
}

float font_width(fontset *fs, int fi, const char *s, size_t n, float size)
{
    const unsigned char *u = (const unsigned char *)s;
    float w = 0;
    face_rec *f;

    if (fi < 0 || (size_t)fi >= fs->count)
        return 0;
    f = &fs->face[fi];
    for (size_t i = 0; i < n;) {
        uint32_t cp;
        const adv_page *p;

        if (u[i] < 0x80) { /* the common case, without the decoder */
            cp = u[i++];
        } else {
            i += decode_utf8(u + i, n - i, &cp);
        }
        p = f->page[cp >> 8] ? f->page[cp >> 8] : fill_page(f, cp >> 8);
        w += p->adv[cp & 255];
    }
    return w * size / 1000.0f;
}

/***  Matching  ***/

/* Copies the next family name of the list at *S into NAME (unquoted, trimmed) and advances
 * *S past its comma. Returns 0 at the end of the list. */
static int next_family(const char **s, char *name, size_t n)
{
    const char *p = *s, *end;
    size_t len;

    while (*p == ' ' || *p == '\t' || *p == '\n' || *p == ',')
        p++;
    if (!*p)
        return 0;
    if (*p == '"' || *p == '\'') {
        char q = *p++;

        end = strchr(p, q);
        if (!end)
            end = p + strlen(p);
        len = (size_t)(end - p);
        *s = *end ? end + 1 : end;
    } else {
        end = strchr(p, ',');
        if (!end)
            end = p + strlen(p);
        *s = end;
        while (end > p && (end[-1] == ' ' || end[-1] == '\t' || end[-1] == '\n'))
            end--;
        len = (size_t)(end - p);
    }
    if (len >= n)
        len = 0; /* too long to be a family anybody declared */
    memcpy(name, p, len);
    name[len] = '\0';
    while (**s && **s != ',')
        (*s)++;
    return 1;
}

static const char *generic_family(const char *name)
{
    if (strcasecmp(name, "serif") == 0)
        return "Liberation Serif";
    if (strcasecmp(name, "sans-serif") == 0)
        return "Liberation Sans";
    if (strcasecmp(name, "monospace") == 0)
        return "Liberation Mono";
    return NULL;
}

/* How far face weight FW is from the wanted weight W in CSS Fonts 4 order (§5.2 step 4):
 * smaller is preferred. */
static int weight_rank(int w, int fw)
{
    if (fw == w)
        return 0;
    if (w >= 400 && w <= 500) {
        if (fw > w && fw <= 500)
            return fw - w;           /* up to 500 first */
        if (fw < w)
            return 1000 + (w - fw);  /* then lighter, nearest first */
        return 2000 + (fw - w);      /* then heavier than 500 */
    }
    if (w < 400)
        return fw < w ? w - fw : 1000 + (fw - w);
    return fw > w ? fw - w : 1000 + (w - fw);
}

/* The best face of family NAME for WEIGHT/ITALIC, or -1 when the family has no face. */
static int match_family(const fontset *fs, const char *name, int weight, int italic)
{
    int best = -1, best_rank = 0;

    for (size_t i = 0; i < fs->count; i++) {
        const face *f = &fs->face[i].pub;
        int rank;

        if (strcasecmp(f->family, name) != 0)
            continue;
        /* Style first (italic falls back to normal and back), then weight. */
        rank = (f->italic != (italic != 0)) * 10000 + weight_rank(weight, f->weight);
        if (best < 0 || rank < best_rank) {
            best = (int)i;
            best_rank = rank;
        }
    }
    return best;
}

/* The face for one family name, mapping generic names when their own name has no face. */
static int match_name(const fontset *fs, const char *name, int weight, int italic)
{
    int r = match_family(fs, name, weight, italic);
    const char *g;

    if (r < 0 && (g = generic_family(name)) != NULL)
        r = match_family(fs, g, weight, italic);
    return r;
}

static unsigned hash_key(const char *s, int weight, int italic)
{
    unsigned h = 2166136261u;

    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 16777619u;
    return h ^ (unsigned)(weight * 2 + (italic != 0));
}

int font_match(fontset *fs, const char *families, int weight, int italic)
{
    unsigned h;
    const char *s;
    char name[FONT_MAX_NAME];
    int r = -1, n = 0;
    match_rec *m;

    if (!families)
        families = "";
    h = hash_key(families, weight, italic);
    s = families;
    for (size_t i = 0; i < fs->nmatch; i++) {
        m = &fs->match[i];
        if (m->hash == h && m->weight == weight && m->italic == (italic != 0) &&
            strcmp(m->families, families) == 0)
            return m->result;
    }
    while (r < 0 && n++ < FONT_MAX_FAMILIES && next_family(&s, name, sizeof name))
        if (name[0])
            r = match_name(fs, name, weight, italic);
    if (fs->nmatch == fs->match_cap) {
        fs->match_cap = fs->match_cap ? fs->match_cap * 2 : 16;
        fs->match = xrealloc(fs->match, fs->match_cap * sizeof *fs->match);
    }
    m = &fs->match[fs->nmatch++];
    m->families = xstrdup(families);
    m->weight = weight;
    m->italic = italic != 0;
    m->result = r;
    m->hash = h;
    return r;
}

int font_for_char(fontset *fs, const char *families, int weight, int italic, int preferred,
                  uint32_t cp)
{
    const char *s = families ? families : "";
    char name[FONT_MAX_NAME];
    int n = 0;

    if (preferred >= 0 && font_has_glyph(fs, preferred, cp))
        return preferred;
    while (n++ < FONT_MAX_FAMILIES && next_family(&s, name, sizeof name)) {
        int r = name[0] ? match_name(fs, name, weight, italic) : -1;

        if (r >= 0 && font_has_glyph(fs, r, cp))
            return r;
    }
    for (size_t i = 0; i < fs->count; i++)
        if (font_has_glyph(fs, (int)i, cp))
            return (int)i;
    return -1;
}
