/*
** baocao render FILE.html|FILE.md [--style FILE.css] --format pdf -o OUT.pdf
** Plain HTML/Markdown input for now; template filling joins here (see render.h).
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "diag.h"
#include "dom.h"
#include "fileio.h"
#include "render.h"
#include "style.h"

static int usage_error(const char *msg, const char *arg)
{
    fprintf(stderr, "baocao render: error: %s%s%s\n", msg, arg ? " " : "", arg ? arg : "");
    fputs("usage: baocao render FILE.html|FILE.md [--style FILE.css] --format pdf -o OUT.pdf\n",
          stderr);
    return 2;
}

static int ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), k = strlen(suffix);

    return n >= k && strcmp(s + n - k, suffix) == 0;
}

int cmd_render(int argc, char **argv)
{
    const char *in = NULL, *css = NULL, *out = NULL, *format = "pdf";
    char *data = NULL, *dflt = NULL;
    size_t len;
    diag *d;
    xmlDoc *doc = NULL;
    stylesheet *ss = NULL;
    render_opts ro = { 0 };
    int rc = 1;

    for (int i = 0; i < argc; i++) {
        const char *a = argv[i];
        if ((strcmp(a, "--style") == 0 || strcmp(a, "--format") == 0 || strcmp(a, "-o") == 0) &&
            i + 1 >= argc)
            return usage_error("missing value after", a);
        if (strcmp(a, "--style") == 0)
            css = argv[++i];
        else if (strcmp(a, "--format") == 0)
            format = argv[++i];
        else if (strcmp(a, "-o") == 0)
            out = argv[++i];
        else if (strcmp(a, "--uncompressed") == 0)
            ro.uncompressed = 1;
        else if (a[0] == '-' && a[1])
            return usage_error("unknown option", a);
        else if (in)
            return usage_error("more than one input file:", a);
        else
            in = a;
    }
    if (!in)
        return usage_error("no input file", NULL);
    if (!out)
        return usage_error("no output file (-o OUT.pdf)", NULL);
    if (strcmp(format, "pdf") != 0)
        return usage_error("unsupported --format (pdf is supported):", format);
    d = diag_new(stderr, 0);
    if (!css && (css = dflt = render_default_css()) == NULL) {
        diag_error(d, RENDER_DEFAULT_CSS, 0, 0, "cannot find the default style sheet; "
                                                "give one with --style");
        goto out;
    }
    if ((ss = style_read(css, d)) == NULL || fileio_read(in, &data, &len, d) != 0)
        goto out;
    doc = ends_with(in, ".md") || ends_with(in, ".markdown") ? dom_from_markdown(in, data, len, d)
                                                             : dom_from_html(in, data, len, d);
    if (!doc)
        goto out;
    ro.source = in;
    rc = render_pdf(doc, ss, out, &ro, d) == 0 && diag_errors(d) == 0 ? 0 : 1;
out:
    dom_free(doc);
    style_free(ss);
    free(data);
    free(dflt);
    diag_free(d);
    return rc;
}
