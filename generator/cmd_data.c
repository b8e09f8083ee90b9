/*
** baocao data FILE.csv [--json] [--dict FILE | --no-dict] [--convention vn|en]: prints a
** table as read (decoded, NFC, typed), and on stderr one line saying what was detected.
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "cmd.h"
#include "diag.h"
#include "table.h"
#include "xalloc.h"

/* The dictionary a CSV file is read with when none is named: columns.csv in the file's own
 * folder (input/), else ../input/columns.csv beside that folder, else ./input/columns.csv. */
static char *default_dict(const char *csv)
{
    const char *slash = strrchr(csv, '/');
    int dir = slash ? (int)(slash - csv) : 1;
    const char *base = slash ? csv : ".";
    buf b = BUF_INIT;

    buf_printf(&b, "%.*s/columns.csv", dir, base);
    if (access(b.ptr, R_OK) == 0)
        return buf_detach(&b, NULL);
    buf_reset(&b);
    buf_printf(&b, "%.*s/../input/columns.csv", dir, base);
    if (access(b.ptr, R_OK) == 0)
        return buf_detach(&b, NULL);
    buf_free(&b);
    return access("input/columns.csv", R_OK) == 0 ? xstrdup("input/columns.csv") : NULL;
}

/* TSV cells escape what would break a line or a field: \t \n \r and the backslash. */
static void put_tsv(buf *o, const char *s)
{
    for (; *s; s++) {
        switch (*s) {
        case '\t': buf_puts(o, "\\t"); break;
        case '\n': buf_puts(o, "\\n"); break;
        case '\r': buf_puts(o, "\\r"); break;
        case '\\': buf_puts(o, "\\\\"); break;
        default: buf_putc(o, *s);
        }
    }
}

static void put_json_string(buf *o, const char *s)
{
    buf_putc(o, '"');
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '"' || c == '\\')
            buf_putc(o, '\\'), buf_putc(o, c);
        else if (c == '\n')
            buf_puts(o, "\\n");
        else if (c == '\t')
            buf_puts(o, "\\t");
        else if (c == '\r')
            buf_puts(o, "\\r");
        else if (c < 0x20)
            buf_printf(o, "\\u%04x", c);
        else
            buf_putc(o, c);
    }
    buf_putc(o, '"');
}

static void flush(buf *o, int force)
{
    if (o->len >= (1u << 16) || (force && o->len)) {
        fwrite(o->ptr, 1, o->len, stdout);
        buf_reset(o);
    }
}

static void print_tsv(const table *t)
{
    size_t rows = table_rows(t), cols = table_cols(t);
    buf o = BUF_INIT;

    for (size_t c = 0; c < cols; c++) {
        put_tsv(&o, table_column(t, c)->name);
        buf_putc(&o, c + 1 < cols ? '\t' : '\n');
    }
    for (size_t r = 0; r < rows; r++) {
        for (size_t c = 0; c < cols; c++) {
            put_tsv(&o, table_text(t, r, c));
            buf_putc(&o, c + 1 < cols ? '\t' : '\n');
        }
        flush(&o, 0);
    }
    flush(&o, 1);
    buf_free(&o);
}

static void print_json(const table *t)
{
    size_t rows = table_rows(t), cols = table_cols(t);
    buf o = BUF_INIT;

    buf_putc(&o, '[');
    for (size_t r = 0; r < rows; r++) {
        buf_puts(&o, r ? ",\n {" : "\n {");
        for (size_t c = 0; c < cols; c++) {
            const column *col = table_column(t, c);
            if (c)
                buf_puts(&o, ", ");
            put_json_string(&o, col->name);
            buf_puts(&o, ": ");
            if (table_missing(t, r, c))
                buf_puts(&o, "null");
            else if (col->type == TABLE_TEXT || col->type == TABLE_DATE)
                put_json_string(&o, table_text(t, r, c));
            else
                buf_puts(&o, table_text(t, r, c));
        }
        buf_putc(&o, '}');
        flush(&o, 0);
    }
    buf_puts(&o, rows ? "\n]\n" : "]\n");
    flush(&o, 1);
    buf_free(&o);
}

static void print_detected(const table *t)
{
    const table_info *in = table_detected(t);
    const char *delim = in->delimiter == '\t' ? "tab" : in->delimiter == ';' ? "';'" : "','";

    fprintf(stderr, "%s: %s, delimiter %s, numbers %s, %zu rows, %zu columns:", table_name(t),
            decode_encoding_name(in->encoding), delim, table_convention_name(in->convention),
            table_rows(t), table_cols(t));
    for (size_t c = 0; c < table_cols(t); c++)
        fprintf(stderr, " %s=%s", table_column(t, c)->name,
                table_type_name(table_column(t, c)->type));
    fputc('\n', stderr);
}

static int usage(void)
{
    fputs("usage: baocao data FILE.csv [--json] [--dict FILE | --no-dict] "
          "[--convention vn|en]\n", stderr);
    return 2;
}

int cmd_data(int argc, char **argv)
{
    const char *file = NULL, *dict_path = NULL;
    char *found = NULL;
    int json = 0, no_dict = 0, rc = 1;
    table_opts o = { NULL, TABLE_CONV_AUTO, 0 };
    table_dict *dict = NULL;
    table *t = NULL;
    diag *d = diag_new(stderr, 0);

    for (int i = 0; i < argc; i++) {
        if (strcmp(argv[i], "--json") == 0)
            json = 1;
        else if (strcmp(argv[i], "--no-dict") == 0)
            no_dict = 1;
        else if (strcmp(argv[i], "--dict") == 0 && i + 1 < argc)
            dict_path = argv[++i];
        else if (strcmp(argv[i], "--convention") == 0 && i + 1 < argc && !strcmp(argv[i + 1], "vn"))
            o.convention = TABLE_CONV_VN, i++;
        else if (strcmp(argv[i], "--convention") == 0 && i + 1 < argc && !strcmp(argv[i + 1], "en"))
            o.convention = TABLE_CONV_EN, i++;
        else if (argv[i][0] == '-' && argv[i][1])
            goto usage;
        else if (!file)
            file = argv[i];
        else
            goto usage;
    }
    if (!file)
        goto usage;
    if (!dict_path && !no_dict)
        dict_path = found = default_dict(file);
    if (dict_path && !no_dict && !(dict = table_dict_read(dict_path, d)))
        goto out;
    o.dict = dict;
    t = table_read(file, &o, d);
    if (!t)
        goto out;
    print_detected(t);
    if (json)
        print_json(t);
    else
        print_tsv(t);
    rc = fflush(stdout) == 0 ? 0 : 1;
out:
    table_free(t);
    table_dict_free(dict);
    free(found);
    diag_free(d);
    return rc;
usage:
    diag_free(d);
    return usage();
}
