/*
** Diagnostics in the FILE:LINE:COL: error: MESSAGE form.
*/
#include "diag.h"

#include <stdarg.h>
#include <stdlib.h>

#include "buf.h"
#include "xalloc.h"

struct diag {
    FILE *out;
    int keep;
    size_t limit, errors, warnings, printed;
    buf text;
};

diag *diag_new(FILE *out, int keep)
{
    diag *d = xcalloc(1, sizeof *d);

    d->out = out;
    d->keep = keep;
    d->limit = DIAG_DEFAULT_LIMIT;
    return d;
}

void diag_free(diag *d)
{
    if (!d)
        return;
    buf_free(&d->text);
    free(d);
}

void diag_set_limit(diag *d, size_t max_printed)
{
    d->limit = max_printed;
}

static void report(diag *d, const char *kind, const char *file, unsigned line, unsigned col,
                   const char *fmt, va_list ap)
{
    buf m = BUF_INIT;

    if (d->printed >= d->limit) {
        if (d->printed++ == d->limit && d->out)
            fprintf(d->out, "%s: note: too many problems, the rest are not shown\n",
                    file ? file : "baocao");
        return;
    }
    d->printed++;
    buf_puts(&m, file ? file : "baocao");
    if (line)
        buf_printf(&m, ":%u", line);
    if (line && col)
        buf_printf(&m, ":%u", col);
    buf_printf(&m, ": %s: ", kind);
    buf_vprintf(&m, fmt, ap);
    buf_putc(&m, '\n');
    if (d->out)
        fputs(m.ptr, d->out);
    if (d->keep)
        buf_put(&d->text, m.ptr, m.len);
    buf_free(&m);
}

void diag_error(diag *d, const char *file, unsigned line, unsigned col, const char *fmt, ...)
{
    va_list ap;

    d->errors++;
    va_start(ap, fmt);
    report(d, "error", file, line, col, fmt, ap);
    va_end(ap);
}

void diag_warning(diag *d, const char *file, unsigned line, unsigned col, const char *fmt, ...)
{
    va_list ap;

    d->warnings++;
    va_start(ap, fmt);
    report(d, "warning", file, line, col, fmt, ap);
    va_end(ap);
}

void diag_note(diag *d, const char *file, unsigned line, unsigned col, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    report(d, "note", file, line, col, fmt, ap);
    va_end(ap);
}

size_t diag_errors(const diag *d)
{
    return d->errors;
}

size_t diag_warnings(const diag *d)
{
    return d->warnings;
}

const char *diag_text(const diag *d)
{
    return buf_cstr(&d->text);
}

void diag_clear(diag *d)
{
    buf_reset(&d->text);
    d->errors = d->warnings = d->printed = 0;
}
