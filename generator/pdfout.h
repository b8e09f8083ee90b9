/*
** The PDF backend: draws the page model (pages.h) with libharu, embedding the faces it uses
** as TrueType subsets (Identity-H, ToUnicode), with outline, links and document info.
** Output is byte-identical for identical input when the date is fixed (SOURCE_DATE_EPOCH),
** whatever the process wrote before (see the caches below). All ten digits of a face are
** embedded when the document shows any, so that documents differing in figures share one.
*/
#ifndef BAOCAO_PDFOUT_H
#define BAOCAO_PDFOUT_H

#include "diag.h"
#include "pages.h"

typedef struct pdf_opts {
    int uncompressed; /* 1 leaves content streams readable (debugging); default compressed */
    int has_date;     /* 1: DATE is the creation date, else SOURCE_DATE_EPOCH, else now */
    long long date;   /* seconds since 1970-01-01 UTC */
} pdf_opts;

/* Writes PG to PATH (through a temporary file renamed into place; "-" is stdout). O may be
 * NULL for the defaults. Returns 0, or -1 after reporting to D; problems that do not stop
 * the document (an unknown link target, an image that does not load) are warnings. */
int pdfout_write(const pages *pg, const pdf_opts *o, const char *path, diag *d);

/* For a long-running process (build's workers) pdfout keeps, per process: the deflated
 * font streams (subset programs keyed by font file, subset tag and glyph set; ToUnicode and
 * CIDToGIDMap streams by their bytes), so that the next document with the same glyphs does
 * not subset and deflate its faces again; and the libharu handle with the faces it loaded
 * (at most 16), each document started afresh in it. libharu 2.3.0 only; output is the
 * same with or without. Bounded: at most 64 streams and 8 MB by default, least recently
 * used dropped first; freed at exit. */
typedef struct pdfout_cache_stats {
    size_t entries, bytes;       /* kept now */
    unsigned long hits, misses;  /* since the last clear */
} pdfout_cache_stats;

void pdfout_cache_get_stats(pdfout_cache_stats *s);
/* Drops every kept stream and the libharu handle kept with its loaded faces, and zeroes
 * the counters. */
void pdfout_cache_clear(void);
/* Clears, then keeps at most ENTRIES streams of at most BYTES in all (0 keeps none). */
void pdfout_cache_limit(size_t entries, size_t bytes);

#endif
