/*
** libFuzzer harness for the HTML backend. Bit 0 of the first byte: the rest is HTML (set) or
** Markdown (clear); bit 1: charts get data from a hook (set) or none. The page is parsed back
** with libxml2 and must hold no <script> element and no on* attribute; when the input has no
** chart, script, noscript, template or style, the page's body must read as the document's
** body did (dom_plain_text): the backend neither loses text nor makes text into markup.
*/
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <utf8proc.h>

#include "buf.h"
#include "diag.h"
#include "dom.h"
#include "htmlout.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int series(void *self, const chart_spec *spec, chart_series *out, arena *a, diag *d)
{
    static const char *const label[] = { "Lạng Sơn", "<b>&amp;", "" };
    static const double v0[] = { 507, -3.5, 0 };
    const double **v = arena_alloc(a, CHART_MAX_SERIES * sizeof *v);

    (void)self, (void)d;
    for (size_t s = 0; s < spec->ny; s++)
        v[s] = v0;
    *out = (chart_series){ .n = 3, .label = label, .value = v };
    return 0;
}

static int contains(const uint8_t *s, size_t n, const char *w)
{
    size_t k = strlen(w);

    for (size_t i = 0; i + k <= n; i++)
        if (strncasecmp((const char *)s + i, w, k) == 0)
            return 1;
    return 0;
}

/* Valid UTF-8 without NUL: what the decode stage guarantees every later stage. */
static int valid_utf8(const uint8_t *s, size_t n)
{
    utf8proc_int32_t cp;

    for (size_t i = 0; i < n;) {
        utf8proc_ssize_t k = utf8proc_iterate(s + i, (utf8proc_ssize_t)(n - i), &cp);

        if (k <= 0 || cp == 0)
            return 0;
        i += (size_t)k;
    }
    return 1;
}

/* No <script> element and no on* attribute anywhere in the tree. */
static void check_tree(const xmlNode *n)
{
    for (; n; n = n->next) {
        if (n->type != XML_ELEMENT_NODE)
            continue;
        if (strcmp((const char *)n->name, "script") == 0)
            abort();
        for (const xmlAttr *at = n->properties; at; at = at->next)
            if ((at->name[0] | 32) == 'o' && (at->name[1] | 32) == 'n')
                abort();
        check_tree(n->children);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    diag *d = diag_new(NULL, 0);
    const char *text = size ? (const char *)data + 1 : "";
    size_t len = size ? size - 1 : 0;
    int html = size && (data[0] & 1);
    static const chartdom_source src = { NULL, series };
    htmlout_opts o = { .charts = size && (data[0] & 2) ? &src : NULL };
    xmlDoc *doc = html ? dom_from_html("fuzz.html", text, len, d)
                       : dom_from_markdown("fuzz.md", text, len, d);
    xmlDoc *back = NULL;
    buf page = BUF_INIT, a = BUF_INIT, b = BUF_INIT;

    if (!doc || htmlout_render(doc, &o, &page, d) < -1)
        goto out;
    back = dom_from_html("page.html", page.ptr, page.len, d);
    if (!back)
        abort();
    check_tree(xmlDocGetRootElement(back));
    if (!contains((const uint8_t *)text, len, "chart") && !contains((const uint8_t *)text, len, "script") &&
        !contains((const uint8_t *)text, len, "template") && !contains((const uint8_t *)text, len, "style") &&
        !contains((const uint8_t *)text, len, "<body") && !contains((const uint8_t *)text, len, "<html") &&
        !contains((const uint8_t *)text, len, "<head") && !contains((const uint8_t *)text, len, "<title") &&
        !contains((const uint8_t *)text, len, "<!") && !contains((const uint8_t *)text, len, "<?") &&
        valid_utf8((const uint8_t *)text, len)) {
        dom_plain_text(dom_body(doc), &a);
        dom_plain_text(dom_body(back), &b);
        if (strcmp(buf_cstr(&a), buf_cstr(&b)) != 0)
            abort();
    }
out:
    buf_free(&page);
    buf_free(&a);
    buf_free(&b);
    dom_free(doc);
    dom_free(back);
    diag_free(d);
    return 0;
}
