/*
** libFuzzer harness for template front matter (YAML through libyaml, then our checks).
*/
#include <stddef.h>
#include <stdint.h>

#include "arena.h"
#include "diag.h"
#include "frontmatter.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    arena *a = arena_new();
    diag *d = diag_new(NULL, 0);
    frontmatter fm;

    if (frontmatter_parse("fuzz.md", (const char *)data, size, &fm, a, d) == 0) {
        /* Touch what a caller touches. */
        (void)frontmatter_param(&fm, "a.b.c");
        for (size_t i = 0; i < fm.nwhere; i++)
            (void)fm.where[i].column[0];
    }
    diag_free(d);
    arena_free(a);
    return 0;
}
