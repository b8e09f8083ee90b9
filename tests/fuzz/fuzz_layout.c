/*
** libFuzzer harness for HTML → DOM → style → layout (→ PDF): the first byte picks the options
** (page size, font size, alignment, white-space; the PDF is written when its top two bits are
** set), the rest is HTML. Fonts come from fonts/ (run from the repository top, as make fuzz does).
*/
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "arena.h"
#include "diag.h"
#include "dom.h"
#include "font.h"
#include "layout.h"
#include "pdfout.h"
#include "style.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const page_css[4] = {
    "@page { size: A4; margin: 2cm }",
    "@page { size: 30pt 20pt; margin: 5pt }",
    "@page { size: 0 0; margin: 0 }",
    ("@page { size: A5 landscape; margin: 1cm; } "
     "@page { @bottom-center { content: counter(page) \" / \" counter(pages) } }"),
};
static const char *const body_css[4] = {
    "body { font-size: 12pt; text-align: justify; orphans: 2; widows: 2 }",
    "body { font-size: 400pt; line-height: 0 }",
    "body { font-size: 3pt; text-align: center; white-space: pre }",
    ("body { text-align: right; text-transform: uppercase; line-height: 30pt } "
     "p { break-inside: avoid; border: 1pt solid red; padding: 3pt; background-color: #eee }"),
};

static fontset *fs;
static stylesheet *sheets[16];

static stylesheet *sheet(int k, diag *d)
{
    if (!sheets[k]) {
        char css[2048];
        snprintf(css, sizeof css,
                 "@font-face { font-family: \"Liberation Serif\"; "
                 "src: url(fonts/LiberationSerif-Regular.ttf) }\n"
                 "@font-face { font-family: \"Liberation Serif\"; font-weight: bold; "
                 "src: url(fonts/LiberationSerif-Bold.ttf) }\n"
                 "@font-face { font-family: \"Noto Serif\"; "
                 "src: url(fonts/NotoSerif-Regular.ttf) }\n"
                 "body { font-family: \"Liberation Serif\", \"Noto Serif\" }\n"
                 "h1, h2 { break-after: page }\n"
                 /* named pages: a wider and a narrower one, by class and by element */
                 "@page wide { size: 300pt 40pt; margin: 3pt 40pt }\n"
                 "@page wide:first { margin: 0; @top-center { content: counter(page) } }\n"
                 "@page thin { size: 15pt 900pt }\n"
                 ".w, aside { page: wide } section, .t { page: thin }\n%s\n%s\n",
                 page_css[k & 3], body_css[k >> 2]);
        sheets[k] = style_parse("fuzz.css", css, strlen(css), d);
    }
    return sheets[k];
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    diag *d = diag_new(NULL, 0);
    xmlDoc *doc = NULL;
    arena *a = NULL;
    pages *pg = NULL;
    stylesheet *ss;
    int opt;

    if (size < 1)
        goto out;
    opt = data[0];
    if (!fs) {
        const style_font_face *ff;
        size_t n;
        fs = font_new();
        ss = sheet(0, d);
        n = ss ? style_font_faces(ss, &ff) : 0;
        for (size_t i = 0; i < n; i++)
            font_add(fs, ff[i].family, ff[i].weight, ff[i].italic, ff[i].path, NULL, 0, d);
    }
    ss = sheet(opt & 15, d);
    doc = dom_from_html("fuzz.html", (const char *)data + 1, size - 1, d);
    if (!doc || !ss)
        goto out;
    a = arena_new();
    if (style_apply(ss, doc, a, d) != 0)
        goto out;
    pg = layout_run(doc, ss, fs, &(layout_opts){ "fuzz.html" }, d);
    if (pg && (opt & 0xC0) == 0xC0) { /* a quarter of the inputs: embedding fonts is slow */
        char path[64];
        snprintf(path, sizeof path, "/tmp/fuzz_layout.%d.pdf", (int)getpid());
        pdfout_write(pg, NULL, path, d);
        unlink(path);
    }
out:
    pages_free(pg);
    arena_free(a);
    dom_free(doc);
    diag_free(d);
    return 0;
}
