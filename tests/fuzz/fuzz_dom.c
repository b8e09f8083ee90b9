/*
** libFuzzer harness for the DOM stage: the input after the first byte is Markdown (bit 0 of
** the first byte clear) or HTML (set), parsed into a DOM whose every element's plain text is
** then taken, as bookmarks and running heads do.
*/
#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "diag.h"
#include "dom.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    diag *d = diag_new(NULL, 0);
    const char *text = size ? (const char *)data + 1 : "";
    size_t len = size ? size - 1 : 0;
    xmlDoc *doc = size && (data[0] & 1) ? dom_from_html("fuzz.html", text, len, d)
                                        : dom_from_markdown("fuzz.md", text, len, d);
    buf b = BUF_INIT;
    xmlNode *n = doc ? xmlDocGetRootElement(doc) : NULL;

    while (n) {
        if (n->type == XML_ELEMENT_NODE) {
            buf_reset(&b);
            dom_plain_text(n, &b);
        }
        if (n->type == XML_ELEMENT_NODE && n->children) {
            n = n->children;
            continue;
        }
        while (n && !n->next)
            n = n->parent && n->parent->type == XML_ELEMENT_NODE ? n->parent : NULL;
        if (n)
            n = n->next;
    }
    buf_free(&b);
    dom_free(doc);
    diag_free(d);
    return 0;
}
