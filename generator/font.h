/*
** Fonts: the faces a document may use (from @font-face), CSS font matching with fallbacks,
** and glyph advances from a cache built once per face (FreeType reads the TTF; libharu is
** never asked for widths, its per-character glyph lookup being the slow part of libharu).
** Only pdfout.c embeds the same files into the PDF.
*/
#ifndef BAOCAO_FONT_H
#define BAOCAO_FONT_H

#include <stddef.h>
#include <stdint.h>

#include "diag.h"

typedef struct fontset fontset;

/* One TrueType face. Metrics are in 1/1000 em (PDF glyph space); DESCENT is negative. */
typedef struct face {
    const char *family; /* as declared in @font-face */
    int weight;         /* 100 ... 900 */
    int italic;         /* 0 or 1 */
    const char *path;   /* the TTF file */
    float ascent, descent, line_gap;
    float cap_height, x_height;
    float underline_pos, underline_thickness;
} face;

fontset *font_new(void);
/* font_free(NULL) is a no-op. */
void font_free(fontset *fs);

/* Registers the face in PATH under FAMILY/WEIGHT/ITALIC and reads its metrics at once. A
 * missing or unreadable file is reported as "PATH: error: cannot load font: ..." with
 * FROM_FILE:FROM_LINE (the @font-face rule) as a note when given. Returns the face index
 * or -1. Registering the same path twice returns the first index. */
int font_add(fontset *fs, const char *family, int weight, int italic, const char *path,
             const char *from_file, unsigned from_line, diag *d);

size_t font_count(const fontset *fs);
/* Borrowed: face I, valid until FS is freed. */
const face *font_at(const fontset *fs, int i);

/* CSS font matching: the first family in the comma-separated FAMILIES list ("Liberation
 * Serif", 'Noto Serif', serif) that has any face, then the nearest weight and style.
 * Generic families: serif, sans-serif, monospace map to the bundled Liberation faces when
 * registered. Returns a face index, or -1 when no family in the list is known. Cached. */
int font_match(fontset *fs, const char *families, int weight, int italic);

/* The face to draw CP with: PREFERRED when it has the glyph, else the first face of the
 * FAMILIES fallbacks (same weight/style matching) that has it, else the first registered face
 * that has it, else -1 (the caller warns naming the character and where it is). */
int font_for_char(fontset *fs, const char *families, int weight, int italic, int preferred,
                  uint32_t cp);

int font_has_glyph(fontset *fs, int face, uint32_t cp);
/* Advance of CP in 1/1000 em; 0 when the face lacks it. O(1) after the first call. */
float font_advance(fontset *fs, int face, uint32_t cp);
/* Width in points of the UTF-8 text S[0..N) at SIZE points (every glyph from FACE). */
float font_width(fontset *fs, int face, const char *s, size_t n, float size);

#endif
