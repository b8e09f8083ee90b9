/*
** baocao render TEMPLATE [--data CSV] [--where COL=VALUE]... [--format md|html|pdf] -o OUT|-
**
** Fills a template (fill.h) and writes the filled Markdown/HTML, or the HTML body of filled
** Markdown (dom_html_from_markdown: cmark-gfm with GFM tables). One document: OUT is the file ("-" for stdout). A fan-out of
** several documents: OUT names a folder and each document goes to OUT/<output>.<format>;
** "-" is then refused (pick one document with --where). PDF needs the layout pipeline
** (render.h), which joins this command when it lands in main.
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "diag.h"
#include "dom.h"
#include "fileio.h"
#include "fill.h"
#include "xalloc.h"

#define USAGE "usage: baocao render TEMPLATE [--data CSV] [--where COL=VALUE]... " \
              "[--format md|html|pdf] -o OUT|-\n"

static int usage_error(const char *msg, const char *arg)
{
    fprintf(stderr, "baocao render: error: %s%s%s\n", msg, arg ? " " : "", arg ? arg : "");
    fputs(USAGE, stderr);
    return 2;
}

/* Fills document I in FORMAT into OUT. */
static int produce(fill *f, size_t i, const char *format, buf *out, diag *d)
{
    buf text = BUF_INIT;
    int rc = fill_render(f, i, &text, d);

    if (rc == 0 && strcmp(format, "html") == 0 && !fill_is_html(f)) {
        char *html = dom_html_from_markdown(buf_cstr(&text), text.len, 0, NULL);
        buf_puts(out, html);
        free(html);
    } else if (rc == 0) {
        buf_put(out, buf_cstr(&text), text.len);
    }
    buf_free(&text);
    return rc;
}

static int write_all(fill *f, const char *format, const char *out, diag *d)
{
    size_t n = fill_count(f);
    buf doc = BUF_INIT, path = BUF_INIT, name = BUF_INIT;
    int rc = 0;

    if (n == 0) {
        diag_error(d, fill_data_path(f), 0, 0, "no row matches the template's `where` and --where");
        return -1;
    }
    if (n > 1 && strcmp(out, "-") == 0) {
        diag_error(d, fill_data_path(f), 0, 0,
                   "the fan-out gives %zu documents: pick one with --where COL=VALUE, or give -o "
                   "a folder",
                   n);
        return -1;
    }
    for (size_t i = 0; i < n; i++) {
        buf_reset(&doc);
        if (produce(f, i, format, &doc, d) < 0) {
            rc = -1;
            continue;
        }
        if (n == 1) {
            if (fileio_write_atomic(out, doc.ptr ? doc.ptr : "", doc.len, d) < 0)
                rc = -1;
            continue;
        }
        buf_reset(&name);
        buf_reset(&path);
        if (fill_output(f, i, &name, d) < 0) {
            rc = -1;
            continue;
        }
        buf_printf(&path, "%s/%s.%s", out, name.ptr, format);
        {
            char *dir = xstrdup(path.ptr), *slash = strrchr(dir, '/');
            *slash = '\0';
            if (fileio_mkdirs(dir, d) < 0 ||
                fileio_write_atomic(path.ptr, doc.ptr ? doc.ptr : "", doc.len, d) < 0)
                rc = -1;
            free(dir);
        }
    }
    buf_free(&doc);
    buf_free(&path);
    buf_free(&name);
    return rc;
}

int cmd_render(int argc, char **argv)
{
    const char *in = NULL, *out = NULL, *format = "md", *data = NULL;
    fm_filter *where = xcalloc((size_t)argc + 1, sizeof *where);
    size_t nwhere = 0;
    fill_opts fo = { 0 };
    diag *d;
    fill *f;
    int rc;

    for (int i = 0; i < argc; i++) {
        const char *a = argv[i];
        if ((strcmp(a, "--data") == 0 || strcmp(a, "--where") == 0 ||
             strcmp(a, "--format") == 0 || strcmp(a, "-o") == 0) && i + 1 >= argc) {
            free(where);
            return usage_error("missing value after", a);
        }
        if (strcmp(a, "--data") == 0) {
            data = argv[++i];
        } else if (strcmp(a, "--where") == 0) {
            char *eq = strchr(argv[++i], '=');
            if (!eq || eq == argv[i]) {
                free(where);
                return usage_error("--where wants COL=VALUE, not", argv[i]);
            }
            *eq = '\0';
            where[nwhere++] = (fm_filter){ argv[i], eq + 1, 0, 0 };
        } else if (strcmp(a, "--format") == 0) {
            format = argv[++i];
        } else if (strcmp(a, "-o") == 0) {
            out = argv[++i];
        } else if (a[0] == '-' && a[1]) {
            free(where);
            return usage_error("unknown option", a);
        } else if (in) {
            free(where);
            return usage_error("more than one template:", a);
        } else {
            in = a;
        }
    }
    if (!in || !out) {
        free(where);
        return usage_error(!in ? "no template given" : "no output given (-o OUT or -o -)", NULL);
    }
    if (strcmp(format, "md") != 0 && strcmp(format, "html") != 0) {
        free(where);
        if (strcmp(format, "pdf") == 0) {
            fprintf(stderr, "baocao render: error: --format pdf of a template needs the layout "
                            "pipeline, not in this build yet\n");
            return 1;
        }
        return usage_error("unknown format", format);
    }
    d = diag_new(stderr, 0);
    fo.data = data, fo.where = where, fo.nwhere = nwhere;
    f = fill_open(in, &fo, d);
    rc = f && write_all(f, format, out, d) == 0 && diag_errors(d) == 0 ? 0 : 1;
    fill_free(f);
    diag_free(d);
    free(where);
    return rc;
}
