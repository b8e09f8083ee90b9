/*
** Benchmark: the cascade of templates/base.css (plus 40 report rules) over a 3-page report
** made from Markdown (headings, justified paragraphs, a table). Prints the best of 200 runs
** of each stage, in milliseconds: parsing the sheet, Markdown → DOM, style_apply.
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "arena.h"
#include "buf.h"
#include "diag.h"
#include "dom.h"
#include "fileio.h"
#include "style.h"

#define RUNS 200

static double now_ms(void)
{
    struct timespec t;

    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec * 1e3 + (double)t.tv_nsec / 1e6;
}

int main(void)
{
    diag *d = diag_new(stderr, 0);
    buf css = BUF_INIT, md = BUF_INIT;
    char *base;
    size_t base_len, elements = 0;
    double best_parse = 1e9, best_dom = 1e9, best_apply = 1e9;
    stylesheet *ss = NULL;
    xmlDoc *doc = NULL;

    if (fileio_read("templates/base.css", &base, &base_len, d) != 0)
        return 1;
    free(base); /* its size, for the line below; it is read with its @import by style_read */
    for (int k = 0; k < 40; k++)
        buf_printf(&css, "%s%d { margin-left: %dpt; color: #%06x }\n",
                   k % 4 == 0 ? ".muc" : k % 4 == 1 ? "table.bang-" : k % 4 == 2 ? "section p.k"
                                                                      : "#chi-tieu-",
                   k, k % 7, k * 997);
    for (int s = 0; s < 6; s++) {
        buf_printf(&md, "## Phần %d. Kết quả hoạt động\n\n", s + 1);
        for (int p = 0; p < 3; p++)
            buf_puts(&md, "Năm 2023, toàn tỉnh có **337** hợp tác xã, *tăng* 12 hợp tác xã so "
                          "với năm trước; doanh thu bình quân đạt 3,2 tỷ đồng một hợp tác xã, "
                          "lợi nhuận bình quân 250 triệu đồng; thu nhập bình quân của người lao "
                          "động thường xuyên đạt 58 triệu đồng một năm.\n\n");
        buf_puts(&md, "| Chỉ tiêu | 2022 | 2023 |\n| :--- | ---: | ---: |\n"
                      "| Số HTX | 325 | 337 |\n| Thành viên | 12.450 | 13.002 |\n\n");
    }
    for (int r = 0; r < RUNS; r++) {
        double t0 = now_ms(), t1, t2, t3;
        arena *a = arena_new();

        style_free(ss);
        ss = style_read("templates/base.css", d);
        style_add(ss, "bench.css", 1, css.ptr, css.len, d);
        t1 = now_ms();
        dom_free(doc);
        doc = dom_from_markdown("bench.md", md.ptr, md.len, d);
        t2 = now_ms();
        style_apply(ss, doc, a, d);
        t3 = now_ms();
        best_parse = t1 - t0 < best_parse ? t1 - t0 : best_parse;
        best_dom = t2 - t1 < best_dom ? t2 - t1 : best_dom;
        best_apply = t3 - t2 < best_apply ? t3 - t2 : best_apply;
        arena_free(a);
    }
    for (xmlNode *n = xmlDocGetRootElement(doc); n;) { /* count the elements styled */
        if (n->type == XML_ELEMENT_NODE)
            elements++;
        if (n->type == XML_ELEMENT_NODE && n->children) {
            n = n->children;
            continue;
        }
        while (n && !n->next)
            n = n->parent && n->parent->type == XML_ELEMENT_NODE ? n->parent : NULL;
        if (n)
            n = n->next;
    }
    printf("style: templates/base.css with its @import, plus %zu bytes of rules, read and parsed in %.3f ms; 3-page Markdown to DOM %.3f ms; "
           "cascade over %zu elements %.3f ms (best of %d)\n",
           css.len, best_parse, best_dom, elements, best_apply, RUNS);
    dom_free(doc);
    style_free(ss);
    buf_free(&css);
    buf_free(&md);
    diag_free(d);
    return 0;
}
