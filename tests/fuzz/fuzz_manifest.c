/*
** libFuzzer harness for output/manifest.json as `baocao build` reads it: a file the next
** build trusts for its decisions, that a crash, a disk or a person may have mangled. The
** input is written to a file, read (line by line, or whole when it is not baocao's layout),
** asked for a decision about each document it names, and turned into the index page.
*/
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "build.h"
#include "diag.h"
#include "frontmatter.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static char dir[64];
    char manifest[128], index[128];
    diag *d = diag_new(NULL, 0);
    build_manifest *m;
    build_inputs *in;
    FILE *f;

    if (!*dir) {
        snprintf(dir, sizeof dir, "/tmp/fuzz_manifest.%ld", (long)getpid());
        if (mkdir(dir, 0700) != 0 && access(dir, W_OK) != 0)
            abort();
    }
    snprintf(manifest, sizeof manifest, "%s/manifest.json", dir);
    snprintf(index, sizeof index, "%s/index.html", dir);
    if (!(f = fopen(manifest, "wb")))
        abort();
    fwrite(data, 1, size, f);
    fclose(f);

    m = build_manifest_read(manifest, d);
    in = build_inputs_new();
    build_inputs_add(in, "program", "0");
    build_inputs_add(in, "template:templates/a.md", "1");
    for (size_t i = 0; i < build_manifest_count(m) && i < 64; i++) {
        build_doc doc = { 0 };

        doc.id = build_manifest_id(m, i);
        doc.tmpl = "templates/a.md";
        doc.output = "a";
        doc.formats = FM_PDF | FM_HTML | FM_MD;
        (void)build_reason(m, &doc, in, dir, 0);
        (void)build_manifest_has(m, doc.id);
    }
    build_inputs_free(in);
    build_manifest_free(m);
    build_index_write(manifest, index, d);
    diag_free(d);
    return 0;
}
