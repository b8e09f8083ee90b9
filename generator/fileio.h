/*
** Whole-file reads and atomic writes: a report appears whole or not at all.
*/
#ifndef BAOCAO_FILEIO_H
#define BAOCAO_FILEIO_H

#include <stddef.h>

#include "diag.h"

/* Reads PATH into a NUL-terminated buffer the caller frees. On failure returns -1 after
 * reporting "PATH: error: cannot read: REASON" to D. */
int fileio_read(const char *path, char **data, size_t *len, diag *d);

/* Writes DATA to PATH through a temporary file in the same folder, flushed and renamed into
 * place, so a reader sees the old file or the new one, never half of one. PATH "-" writes
 * to stdout. Returns 0, or -1 after reporting to D (and removing the temporary). */
int fileio_write_atomic(const char *path, const void *data, size_t len, diag *d);

/* Makes DIR and its parents (mode 0777 less umask). Returns 0 or -1 after reporting. */
int fileio_mkdirs(const char *dir, diag *d);

#endif
