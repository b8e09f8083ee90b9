/*
** Image headers: the pixel size of a PNG (IHDR) or JPEG (SOFn) file, read from its first
** bytes, so that layout can size an image without a PDF library (only pdfout.c decodes).
*/
#ifndef BAOCAO_IMGSIZE_H
#define BAOCAO_IMGSIZE_H

#include <stddef.h>

typedef enum imgsize_kind { IMGSIZE_PNG = 1, IMGSIZE_JPEG } imgsize_kind;

/* Reads PATH's header. Returns IMGSIZE_PNG or IMGSIZE_JPEG and sets *W, *H (pixels, >= 1),
 * or -1 with a reason in WHY ("No such file or directory", "not a PNG or JPEG file",
 * "truncated header", ...). Reads at most the JPEG segments before the first SOFn. */
int imgsize_read(const char *path, int *w, int *h, char *why, size_t whylen);

/* The same for the bytes P[0..N). */
int imgsize_parse(const unsigned char *p, size_t n, int *w, int *h, const char **why);

#endif
