/*
** libFuzzer harness for chartdom.c: the input after the first byte is Markdown (bit 0 of the
** first byte clear) or HTML (set); its chart blocks (inline rows, or a small fixed data
** source for other collections) are expanded into the DOM, which is then serialised.
*/
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "chartdom.h"
#include "diag.h"
#include "dom.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int three_rows(void *self, const chart_spec *spec, chart_series *out, arena *a, diag *d)
{
    static const char *const labels[] = { "Huế", "Đà Nẵng", "" };
    static const double v[] = { 1, -2.5, 1e300 };
    static const double *const cols[CHART_MAX_SERIES] = { v, v, v, v, v, v, v, v };

    (void)self, (void)a;
    if (strcmp(spec->data, "units") != 0) {
        diag_error(d, spec->file, spec->line, spec->col, "unknown collection");
        return -1;
    }
    *out = (chart_series){ 3, labels, cols, NULL };
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    diag *d = diag_new(NULL, 0);
    const char *text = size ? (const char *)data + 1 : "";
    size_t len = size ? size - 1 : 0;
    xmlDoc *doc = size && (data[0] & 1) ? dom_from_html("fuzz.html", text, len, d)
                                        : dom_from_markdown("fuzz.md", text, len, d);
    chartdom_source src = { NULL, three_rows };
    xmlChar *out = NULL;
    int n = 0;

    if (doc) {
        chartdom_expand(doc, size && (data[0] & 2) ? &src : NULL, NULL, d);
        xmlDocDumpMemory(doc, &out, &n);
        xmlFree(out);
    }
    dom_free(doc);
    diag_free(d);
    return 0;
}
