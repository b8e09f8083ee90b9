/*
** baocao render INPUT [--data CSV] [--where COL=VALUE]... [--style FILE.css]
**                     [--format pdf|html|md] [--uncompressed] -o OUT|-
**
** INPUT is a template (front matter, or --data given: filled through fill.h) or a plain
** HTML/Markdown file. md writes the filled text, html the HTML body of filled Markdown
** (dom_html_from_markdown; an HTML template as filled), pdf the document laid out through
** render.h with the style sheet (--style, else the front matter's `style`, else the default).
** Without --format the format follows OUT's extension (.pdf, .html, .md; "-" is md), else pdf.
**
** One document: OUT is the file ("-" for stdout, not for pdf). A fan-out of several
** documents: OUT names a folder and each document goes to OUT/<output>.<format>; "-" is
** refused (pick one document with --where).
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "diag.h"
#include "dom.h"
#include "fileio.h"
#include "fill.h"
#include "htmlout.h"
#include "render.h"
#include "style.h"
#include "xalloc.h"

#define USAGE                                                                              \
    "usage: baocao render INPUT [--data CSV] [--where COL=VALUE]... [--style FILE.css]\n" \
    "                           [--format pdf|html|md] -o OUT|-\n"

typedef struct render_job {
    const char *format; /* "pdf", "html", "md" */
    const char *css;    /* --style, or NULL */
    render_opts ro;
    stylesheet *ss;     /* loaded on first PDF */
    const char *out_root; /* HTML fonts go to OUT_ROOT/fonts/; NULL: beside the page */
    unsigned lead;        /* template lines above the filled text (its front matter) */
    diag *d;
} render_job;

/* The filled front matter title of document I of F (in *TITLE), or NULL when it has none. */
static const char *doc_title(fill *f, size_t i, buf *title, diag *d)
{
    buf_reset(title);
    return fill_title(f, i, title, d) == 0 && title->len ? title->ptr : NULL;
}

static int usage_error(const char *msg, const char *arg)
{
    fprintf(stderr, "baocao render: error: %s%s%s\n", msg, arg ? " " : "", arg ? arg : "");
    fputs(USAGE, stderr);
    return 2;
}

static int ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), k = strlen(suffix);

    return n >= k && strcmp(s + n - k, suffix) == 0;
}

static int is_html_name(const char *s)
{
    return ends_with(s, ".html") || ends_with(s, ".htm");
}

/* Loads the style sheet once: --style, else STYLE_PATH (the template's), else the default. */
static int load_style(render_job *j, const char *style_path)
{
    char *dflt = NULL;
    const char *css = j->css ? j->css : style_path;

    if (j->ss)
        return 0;
    if (!css && (css = dflt = render_default_css()) == NULL) {
        diag_error(j->d, RENDER_DEFAULT_CSS, 0, 0,
                   "cannot find the default style sheet; give one with --style");
        return -1;
    }
    j->ss = style_read(css, j->d);
    free(dflt);
    return j->ss ? 0 : -1;
}

/* Writes DOC as a complete HTML page to PATH (htmlout.h): the style sheet embedded, the
 * fonts copied into fonts/ under the output root (the folder of a fan-out, else the page's
 * own folder). Frees DOC. */
static int emit_page(render_job *j, xmlDoc *doc, const char *path, const char *style_path,
                     const char *title, const chartdom_source *charts)
{
    char *dflt = NULL;
    htmlout_opts ho;
    int rc;

    memset(&ho, 0, sizeof ho);
    ho.title = title;
    ho.css_path = j->css ? j->css : style_path ? style_path : (dflt = render_default_css());
    ho.out_root = j->out_root;
    ho.charts = charts;
    rc = doc ? htmlout_write(doc, &ho, path, j->d) : -1;
    dom_free(doc);
    free(dflt);
    return rc;
}

/* Writes TEXT (Markdown, or HTML when HTML is set) named NAME to PATH in the job's format;
 * TITLE (the front matter's, filled; or NULL) names an HTML page; CHARTS (or NULL) gives
 * chart blocks their data. */
static int emit(render_job *j, const char *name, const buf *text, int html, const char *path,
                const char *style_path, const char *title, const chartdom_source *charts)
{
    const char *s = buf_cstr(text);
    int rc = -1;

    if (strcmp(j->format, "md") == 0)
        return fileio_write_atomic(path, s, text->len, j->d);
    xmlDoc *doc = render_dom(name, s, text->len, html, j->lead, j->d);
    if (strcmp(j->format, "html") == 0) /* the whole page, as `baocao build` writes it */
        return emit_page(j, doc, path, style_path, title, charts);
    if (load_style(j, style_path) < 0) {
        dom_free(doc);
        return -1;
    }
    if (doc) { /* render_pdf adds the document's own <style> elements */
        j->ro.source = name;
        j->ro.charts = charts;
        rc = render_pdf(doc, j->ss, path, &j->ro, j->d);
    }
    dom_free(doc);
    return rc;
}

static int render_template(render_job *j, const char *in, const fill_opts *fo, const char *out)
{
    fill *f = fill_open(in, fo, j->d);
    buf text = BUF_INIT, path = BUF_INIT, name = BUF_INIT, title = BUF_INIT;
    char *style_path = NULL;
    size_t n;
    int rc = 0;

    if (!f)
        return -1;
    n = fill_count(f);
    if (fill_frontmatter(f)->style) {
        const char *slash = strrchr(in, '/');
        buf_printf(&path, "%.*s%s", slash ? (int)(slash - in + 1) : 0, in,
                   fill_frontmatter(f)->style);
        style_path = buf_detach(&path, NULL);
    }
    if (n == 0) {
        diag_error(j->d, in, 0, 0, "no row of %s matches the template's `where` and --where",
                   fill_data_path(f));
        rc = -1;
    } else if (n > 1 && strcmp(out, "-") == 0) {
        diag_error(j->d, in, 0, 0,
                   "the fan-out gives %zu documents: pick one with --where COL=VALUE, or give -o "
                   "a folder",
                   n);
        rc = -1;
    }
    j->out_root = n > 1 ? out : NULL; /* a fan-out's pages share one fonts/ folder */
    j->lead = fill_lead_lines(f);
    for (size_t i = 0; rc == 0 && i < n; i++) {
        fill_charts fc;

        fill_charts_init(f, i, &fc);
        buf_reset(&text);
        buf_reset(&path);
        buf_reset(&name);
        if (fill_render(f, i, &text, j->d) < 0) {
            rc = -1;
            continue;
        }
        if (n == 1) {
            if (emit(j, in, &text, fill_is_html(f), out, style_path, doc_title(f, i, &title, j->d),
                     &fc.src) < 0)
                rc = -1;
            continue;
        }
        if (fill_output(f, i, &name, j->d) < 0) {
            rc = -1;
            continue;
        }
        buf_printf(&path, "%s/%s.%s", out, name.ptr, j->format);
        char *dir = xstrdup(path.ptr);
        *strrchr(dir, '/') = '\0';
        if (fileio_mkdirs(dir, j->d) < 0 ||
            emit(j, in, &text, fill_is_html(f), path.ptr, style_path,
                 doc_title(f, i, &title, j->d), &fc.src) < 0)
            rc = -1;
        free(dir);
    }
    free(style_path);
    buf_free(&text);
    buf_free(&path);
    buf_free(&name);
    buf_free(&title);
    fill_free(f);
    return rc;
}

static int render_plain(render_job *j, const char *in, const char *out)
{
    char *data = NULL;
    size_t len;
    buf text = BUF_INIT;
    int rc;

    if (fileio_read(in, &data, &len, j->d) != 0)
        return -1;
    buf_put(&text, data, len);
    rc = emit(j, in, &text, is_html_name(in), out, NULL, NULL, NULL);
    buf_free(&text);
    free(data);
    return rc;
}

/* A template has front matter; a plain file does not. */
static int has_front_matter(const char *path)
{
    char head[5] = { 0 };
    FILE *f = fopen(path, "rb");
    size_t n = f ? fread(head, 1, 4, f) : 0;

    if (f)
        fclose(f);
    return n >= 4 && (memcmp(head, "---\n", 4) == 0 || memcmp(head, "---\r", 4) == 0);
}

int cmd_render(int argc, char **argv)
{
    const char *in = NULL, *out = NULL, *format = NULL, *data = NULL;
    fm_filter *where = xcalloc((size_t)argc + 1, sizeof *where);
    size_t nwhere = 0;
    render_job j = { 0 };
    fill_opts fo = { 0 };
    int rc = 2;

    for (int i = 0; i < argc; i++) {
        const char *a = argv[i];
        if ((strcmp(a, "--data") == 0 || strcmp(a, "--where") == 0 ||
             strcmp(a, "--style") == 0 || strcmp(a, "--format") == 0 || strcmp(a, "-o") == 0) &&
            i + 1 >= argc) {
            rc = usage_error("missing value after", a);
            goto done;
        }
        if (strcmp(a, "--data") == 0) {
            data = argv[++i];
        } else if (strcmp(a, "--where") == 0) {
            char *eq = strchr(argv[++i], '=');
            if (!eq || eq == argv[i]) {
                rc = usage_error("--where wants COL=VALUE, not", argv[i]);
                goto done;
            }
            *eq = '\0';
            where[nwhere++] = (fm_filter){ argv[i], eq + 1, 0, 0 };
        } else if (strcmp(a, "--style") == 0) {
            j.css = argv[++i];
        } else if (strcmp(a, "--format") == 0) {
            format = argv[++i];
        } else if (strcmp(a, "-o") == 0) {
            out = argv[++i];
        } else if (strcmp(a, "--uncompressed") == 0) {
            j.ro.uncompressed = 1;
        } else if (a[0] == '-' && a[1]) {
            rc = usage_error("unknown option", a);
            goto done;
        } else if (in) {
            rc = usage_error("more than one input:", a);
            goto done;
        } else {
            in = a;
        }
    }
    if (!in || !out) {
        rc = usage_error(!in ? "no input given" : "no output given (-o OUT or -o -)", NULL);
        goto done;
    }
    if (!format)
        format = strcmp(out, "-") == 0 || ends_with(out, ".md") ? "md"
                 : is_html_name(out)                             ? "html"
                                                                 : "pdf";
    if (strcmp(format, "md") != 0 && strcmp(format, "html") != 0 && strcmp(format, "pdf") != 0) {
        rc = usage_error("unknown --format (pdf, html, md):", format);
        goto done;
    }
    if (strcmp(format, "pdf") == 0 && strcmp(out, "-") == 0) {
        rc = usage_error("a PDF cannot go to stdout: give -o FILE.pdf", NULL);
        goto done;
    }
    j.format = format;
    j.d = diag_new(stderr, 0);
    fo.data = data, fo.where = where, fo.nwhere = nwhere;
    if (data || nwhere || has_front_matter(in))
        rc = render_template(&j, in, &fo, out);
    else
        rc = render_plain(&j, in, out);
    rc = rc == 0 && diag_errors(j.d) == 0 ? 0 : 1;
    style_free(j.ss);
    diag_free(j.d);
done:
    free(where);
    return rc;
}
