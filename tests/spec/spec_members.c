/*
** Runs tests/spec/baocao-members.json: baocao's own members in the shape of the Mustache
** spec (name, desc, template, expected) plus the tables they read: "dict", "csv" and
** "targets" (top level, or per test to override), "key"/"period" picking the document row,
** "sort" (["-so_htx"]) and "escape" ("html" | "markdown"). Prints "N passed, N failed".
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cJSON.h>

#include "dataset.h"
#include "diag.h"
#include "escape.h"
#include "fileio.h"
#include "table.h"
#include "tmpl.h"

static const char *text_of(const cJSON *test, const cJSON *root, const char *key)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(test, key);
    if (!cJSON_IsString(v))
        v = cJSON_GetObjectItemCaseSensitive(root, key);
    return cJSON_IsString(v) ? v->valuestring : NULL;
}

/* 1 passed, 0 failed. */
static int run(const cJSON *test, const cJSON *root, diag *d)
{
    const char *dict_csv = text_of(test, root, "dict"), *csv = text_of(test, root, "csv");
    const char *tcsv = text_of(test, root, "targets"), *esc = text_of(test, root, "escape");
    const char *tpl = text_of(test, root, "template"), *want = text_of(test, root, "expected");
    const char *key = text_of(test, root, "key"), *period = text_of(test, root, "period");
    const cJSON *sort = cJSON_GetObjectItemCaseSensitive(test, "sort");
    table_dict *dict = NULL;
    table *st = NULL, *tg = NULL;
    dataset *ds = NULL;
    dataset_ctx *cx = NULL;
    tmpl *t = NULL;
    fm_sort so[8];
    dataset_opts o = { 0 };
    buf out = BUF_INIT;
    int ok = 0;

    if (!csv || !tpl || !want || !key)
        goto done;
    if (dict_csv && !(dict = table_dict_parse("dict", dict_csv, strlen(dict_csv), d)))
        goto done;
    table_opts to = { dict, TABLE_CONV_AUTO, 0 };
    if (!(st = table_parse("csv", csv, strlen(csv), &to, d)))
        goto done;
    if (tcsv && !(tg = table_parse("targets", tcsv, strlen(tcsv), &to, d)))
        goto done;
    for (int i = 0; cJSON_IsArray(sort) && i < cJSON_GetArraySize(sort) && i < 8; i++) {
        const char *s = cJSON_GetArrayItem(sort, i)->valuestring;
        so[i].descending = s[0] == '-';
        so[i].column = s + (s[0] == '-');
        o.nsort = (size_t)i + 1;
    }
    o.sort = so;
    if (!(ds = dataset_build(st, tg, &o, d)))
        goto done;
    cx = dataset_ctx_new(ds, NULL);
    if (!(t = tmpl_parse("template", tpl, strlen(tpl), NULL, d)))
        goto done;
    dataset_ctx_reset(cx, dataset_find(ds, key, period));
    tmpl_data data = dataset_ctx_data(cx);
    if (tmpl_render(t, &data,
                    esc && strcmp(esc, "html") == 0       ? escape_html
                    : esc && strcmp(esc, "markdown") == 0 ? escape_markdown
                                                          : NULL,
                    &out, d) < 0)
        goto done;
    ok = strcmp(buf_cstr(&out), want) == 0;
    if (!ok)
        printf("FAIL %s\n  want: %s\n  got:  %s\n", text_of(test, root, "name"), want,
               buf_cstr(&out));
done:
    if (!ok && !out.len)
        printf("FAIL %s (could not run)\n", text_of(test, root, "name"));
    buf_free(&out);
    tmpl_free(t);
    dataset_ctx_free(cx);
    dataset_free(ds);
    table_free(st);
    table_free(tg);
    table_dict_free(dict);
    return ok;
}

int main(int argc, char **argv)
{
    const char *path = argc > 1 ? argv[1] : "tests/spec/baocao-members.json";
    diag *d = diag_new(stdout, 0);
    char *text;
    size_t len, passed = 0, failed = 0;
    cJSON *root, *tests, *test;

    if (fileio_read(path, &text, &len, d) < 0 || !(root = cJSON_Parse(text))) {
        puts("0 passed, 1 failed");
        return 1;
    }
    tests = cJSON_GetObjectItemCaseSensitive(root, "tests");
    cJSON_ArrayForEach(test, tests)
    {
        if (run(test, root, d))
            passed++;
        else
            failed++;
    }
    printf("%zu passed, %zu failed\n", passed, failed);
    cJSON_Delete(root);
    free(text);
    diag_free(d);
    return failed != 0;
}
