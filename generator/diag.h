/*
** Diagnostics: every problem is reported as "FILE:LINE:COL: error: MESSAGE" (LINE and COL
** where known, 1-based; 0 leaves them out). A diag counts errors and warnings, prints up to
** a limit, and can keep the text for tests.
*/
#ifndef BAOCAO_DIAG_H
#define BAOCAO_DIAG_H

#include <stddef.h>
#include <stdio.h>

#define DIAG_DEFAULT_LIMIT 100 /* a file with more problems than this is not worth reading on */

typedef struct diag diag;

/* Messages go to OUT (stderr usually; NULL prints nothing). With KEEP set the text is also
 * kept for diag_text(). */
diag *diag_new(FILE *out, int keep);
void diag_free(diag *d);
void diag_set_limit(diag *d, size_t max_printed);

void diag_error(diag *d, const char *file, unsigned line, unsigned col, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));
void diag_warning(diag *d, const char *file, unsigned line, unsigned col, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));
/* A line of context after an error or warning ("note: ..."). */
void diag_note(diag *d, const char *file, unsigned line, unsigned col, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

size_t diag_errors(const diag *d);
size_t diag_warnings(const diag *d);
/* Borrowed: everything reported so far, one message a line ("" unless kept). */
const char *diag_text(const diag *d);
/* Forgets the kept text and the counts (the limit stays). */
void diag_clear(diag *d);

#endif
