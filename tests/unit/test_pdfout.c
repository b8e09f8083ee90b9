/*
** Unit tests for the PDF backend: pages built by hand are written and checked with the
** tools a reader would use: qpdf --check, pdffonts (embedded subsets, Identity-H, ToUnicode),
** pdftotext (Vietnamese text back in NFC) and byte identity under SOURCE_DATE_EPOCH.
** Set BAOCAO_KEEP_PDF=DIR to keep the written PDF for looking at.
*/
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cJSON.h>

#include "buf.h"
#include "diag.h"
#include "fileio.h"
#include "font.h"
#include "pages.h"
#include "pdfout.h"

#define A4_W 595.28f
#define A4_H 841.89f

static char tmpdir[64];
static fontset *fonts;
static int serif, serif_bold, serif_italic, sans;

static const rgba black = { 0, 0, 0, 255 };

/* The strings the document shows, one run each; pdftotext must give each back. */
static const char *const lines[] = {
    "Báo cáo tổng kết năm 2023",
    "Liên minh Hợp tác xã tỉnh Thái Nguyên",
    "ơ ư ạ ặ ề Ư Đ đ ỹ ự ẩm thực",
    "Tổng số thành viên tăng 12,5%",
    "Nghị quyết số 30/2020/NĐ-CP",
};

static void text(pages *p, page *pg, int fi, float size, float x, float y, const char *s)
{
    pg_item *it = pages_push(p, pg, PG_TEXT);

    it->u.text.x = x;
    it->u.text.y = y;
    it->u.text.size = size;
    it->u.text.face = fi;
    it->u.text.color = black;
    it->u.text.text = arena_strdup(p->arena, s);
    it->u.text.len = strlen(s);
    it->u.text.width = font_width(fonts, fi, s, strlen(s), size);
}

static pages *build_doc(void)
{
    pages *p = pages_new(fonts);
    page *pg = pages_add(p, A4_W, A4_H);
    pg_item *it;
    static const pg_op ops[] = { PG_MOVE, PG_LINETO, PG_LINETO, PG_CLOSE };
    static const float pts[] = { 300, 100, 400, 100, 350, 180 };

    p->title = "Báo cáo tổng kết năm 2023 — Thái Nguyên";
    p->author = "Liên minh HTX tỉnh";
    p->subject = "Tổng kết";
    p->keywords = "HTX, hợp tác xã";
    p->lang = "vi";
    text(p, pg, serif_bold, 18, 72, 770, lines[0]);
    text(p, pg, serif, 12, 72, 740, lines[1]);
    text(p, pg, serif_italic, 12, 72, 720, lines[2]);
    text(p, pg, sans, 12, 72, 700, lines[3]);
    text(p, pg, serif, 600, 40, 300, "Đ"); /* beyond libharu's 600pt limit once scaled */
    it = pages_push(p, pg, PG_RECT);
    it->u.rect = (pg_rect){ 70, 650, 200, 30, { 230, 230, 250, 255 }, { 0, 0, 128, 255 }, 1 };
    it = pages_push(p, pg, PG_RECT); /* half transparent, over the first */
    it->u.rect = (pg_rect){ 170, 640, 200, 30, { 255, 0, 0, 128 }, { 0, 0, 0, 0 }, 0 };
    it = pages_push(p, pg, PG_LINE);
    it->u.line = (pg_line){ 72, 640, 520, 640, 1, black, PG_DOTTED };
    it = pages_push(p, pg, PG_LINE);
    it->u.line = (pg_line){ 72, 630, 520, 630, 0.5f, { 200, 0, 0, 255 }, PG_DASHED };
    it = pages_push(p, pg, PG_PATH);
    it->u.path = (pg_path){ ops, pts, 4, { 0, 128, 0, 255 }, black, 1, PG_SOLID };
    it = pages_push(p, pg, PG_LINK);
    it->u.link = (pg_link){ 72, 695, 200, 15, "https://vca.org.vn/", NULL };
    it = pages_push(p, pg, PG_LINK);
    it->u.link = (pg_link){ 72, 735, 200, 15, NULL, "phan-2" };
    pages_add_outline(p, 1, "Báo cáo tổng kết", 0, 790);
    pages_add_outline(p, 2, "Kết quả đạt được", 0, 740);

    pg = pages_add(p, A4_W, A4_H);
    text(p, pg, serif, 12, 72, 770, lines[4]);
    pages_add_anchor(p, "phan-2", 1, 790);
    pages_add_outline(p, 2, "Phần 2: Phương hướng", 1, 790);
    pages_add_outline(p, 1, "Phụ lục", 1, 700);
    return p;
}

/* Runs CMD (a shell line) and returns its standard output; NULL when it failed. */
static char *run(const char *cmd)
{
    FILE *f = popen(cmd, "r");
    buf b = BUF_INIT;
    char chunk[4096];
    size_t n;

    if (!f)
        return NULL;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
        buf_put(&b, chunk, n);
    if (pclose(f) != 0) {
        fprintf(stderr, "failed: %s\n%s", cmd, buf_cstr(&b));
        buf_free(&b);
        return NULL;
    }
    buf_putc(&b, 0);
    return buf_detach(&b, NULL);
}

static int count(const char *hay, const char *needle)
{
    int n = 0;

    for (const char *p = hay; (p = strstr(p, needle)) != NULL; p++)
        n++;
    return n;
}

static int setup(void **state)
{
    diag *d = diag_new(stderr, 0);

    (void)state;
    snprintf(tmpdir, sizeof tmpdir, "/tmp/baocao-pdfout-XXXXXX");
    if (!mkdtemp(tmpdir))
        return -1;
    fonts = font_new();
    serif = font_add(fonts, "Liberation Serif", 400, 0, "fonts/LiberationSerif-Regular.ttf", NULL, 0, d);
    serif_bold = font_add(fonts, "Liberation Serif", 700, 0, "fonts/LiberationSerif-Bold.ttf", NULL, 0, d);
    serif_italic = font_add(fonts, "Liberation Serif", 400, 1, "fonts/LiberationSerif-Italic.ttf", NULL, 0, d);
    /* Registered but never used: must not be embedded. */
    font_add(fonts, "Noto Serif", 400, 0, "fonts/NotoSerif-Regular.ttf", NULL, 0, d);
    sans = font_add(fonts, "Noto Sans", 400, 0, "fonts/NotoSans-Regular.ttf", NULL, 0, d);
    diag_free(d);
    return serif < 0 || serif_bold < 0 || serif_italic < 0 || sans < 0 ? -1 : 0;
}

static int teardown(void **state)
{
    char cmd[128];

    (void)state;
    font_free(fonts);
    if (getenv("BAOCAO_KEEP_PDF")) {
        snprintf(cmd, sizeof cmd, "cp %s/doc.pdf \"$BAOCAO_KEEP_PDF\"/", tmpdir);
        if (system(cmd) != 0)
            return -1;
    }
    snprintf(cmd, sizeof cmd, "rm -rf %s", tmpdir);
    return system(cmd) == 0 ? 0 : -1;
}

static void write_doc(const char *name)
{
    char path[128];
    diag *d = diag_new(stderr, 1);
    pages *p = build_doc();

    snprintf(path, sizeof path, "%s/%s", tmpdir, name);
    assert_int_equal(pdfout_write(p, NULL, path, d), 0);
    assert_int_equal(diag_errors(d), 0);
    assert_int_equal(diag_warnings(d), 0);
    pages_free(p);
    diag_free(d);
}

static void passes_qpdf_check(void **state)
{
    char cmd[256], *out;

    (void)state;
    write_doc("doc.pdf");
    snprintf(cmd, sizeof cmd, "qpdf --check %s/doc.pdf 2>&1", tmpdir);
    out = run(cmd);
    assert_non_null(out);
    assert_non_null(strstr(out, "No syntax or stream encoding errors found"));
    free(out);
}

static void embeds_used_faces_as_subsets(void **state)
{
    char cmd[256], *out, *line;
    int n = 0;

    (void)state;
    snprintf(cmd, sizeof cmd, "pdffonts %s/doc.pdf", tmpdir);
    out = run(cmd);
    assert_non_null(out);
    /* name type encoding emb sub uni: every used face, none unused. */
    for (line = strtok(out, "\n"); line; line = strtok(NULL, "\n")) {
        if (!strchr(line, '+'))
            continue;
        n++;
        assert_non_null(strstr(line, "CID TrueType"));
        assert_non_null(strstr(line, "Identity-H"));
        assert_non_null(strstr(line, "yes yes yes"));
        assert_null(strstr(line, "NotoSerif"));
    }
    assert_int_equal(n, 4);
    free(out);
}

static void text_comes_back_in_nfc(void **state)
{
    char cmd[256], *out;

    (void)state;
    snprintf(cmd, sizeof cmd, "pdftotext -enc UTF-8 %s/doc.pdf - 2>&1", tmpdir);
    out = run(cmd);
    assert_non_null(out);
    /* libharu's own ToUnicode made poppler say "Invalid 'begincidrange' operator". */
    assert_null(strstr(out, "Warning"));
    for (size_t i = 0; i < sizeof lines / sizeof *lines; i++)
        if (!strstr(out, lines[i]))
            fail_msg("no \"%s\" in pdftotext output:\n%s", lines[i], out);
    free(out);
}

static void info_outline_and_links(void **state)
{
    char cmd[256], *out;

    (void)state;
    snprintf(cmd, sizeof cmd, "pdfinfo -enc UTF-8 %s/doc.pdf", tmpdir);
    out = run(cmd);
    assert_non_null(out);
    assert_non_null(strstr(out, " Báo cáo tổng kết năm 2023 — Thái Nguyên\n"));
    assert_non_null(strstr(out, " Liên minh HTX tỉnh\n"));
    assert_non_null(strstr(out, " hợp tác xã\n"));
    assert_non_null(strstr(out, " baocao " BAOCAO_VERSION "\n"));
    assert_non_null(strstr(out, "Pages: "));
    free(out);
    snprintf(cmd, sizeof cmd, "qpdf --qdf --object-streams=disable %s/doc.pdf -", tmpdir);
    out = run(cmd);
    assert_non_null(out);
    assert_non_null(strstr(out, "/URI (https://vca.org.vn/)"));
    assert_int_equal(count(out, "/Border [\n    0\n    0\n    0\n  ]"), 2); /* no visible box */
    assert_int_equal(count(out, "/XYZ"), 5); /* internal link + 4 bookmarks */
    assert_non_null(strstr(out, "/Outlines"));
    assert_int_equal(count(out, "/ca 0.50"), 1); /* the half-transparent rectangle */
    assert_non_null(strstr(out, "/Count"));
    free(out);
}

/* The bookmarks nest by level, as qpdf reads them back. */
static void outline_nests_by_level(void **state)
{
    char cmd[256], *out;
    cJSON *root, *ol, *first, *kids, *second;

    (void)state;
    snprintf(cmd, sizeof cmd, "qpdf --json --json-key=outlines %s/doc.pdf", tmpdir);
    out = run(cmd);
    assert_non_null(out);
    root = cJSON_Parse(out);
    assert_non_null(root);
    ol = cJSON_GetObjectItem(root, "outlines");
    assert_int_equal(cJSON_GetArraySize(ol), 2);
    first = cJSON_GetArrayItem(ol, 0);
    assert_string_equal(cJSON_GetObjectItem(first, "title")->valuestring, "Báo cáo tổng kết");
    kids = cJSON_GetObjectItem(first, "kids");
    assert_int_equal(cJSON_GetArraySize(kids), 2);
    second = cJSON_GetArrayItem(kids, 1);
    assert_string_equal(cJSON_GetObjectItem(second, "title")->valuestring, "Phần 2: Phương hướng");
    assert_int_equal(cJSON_GetObjectItem(second, "destpageposfrom1")->valueint, 2);
    assert_string_equal(cJSON_GetObjectItem(cJSON_GetArrayItem(ol, 1), "title")->valuestring, "Phụ lục");
    cJSON_Delete(root);
    free(out);
    snprintf(cmd, sizeof cmd, "qpdf --qdf --object-streams=disable %s/doc.pdf - | grep -aq '/Lang (vi)'", tmpdir);
    assert_int_equal(system(cmd), 0);
}

static void same_input_same_bytes(void **state)
{
    char cmd[256];

    (void)state;
    setenv("SOURCE_DATE_EPOCH", "1700000000", 1);
    write_doc("a.pdf");
    write_doc("b.pdf");
    unsetenv("SOURCE_DATE_EPOCH");
    snprintf(cmd, sizeof cmd, "cmp -s %s/a.pdf %s/b.pdf", tmpdir, tmpdir);
    assert_int_equal(system(cmd), 0);
    snprintf(cmd, sizeof cmd, "grep -aq 'D:20231114221320Z' %s/a.pdf", tmpdir);
    assert_int_equal(system(cmd), 0);
}

/* One page, one run of S in FACE: written to NAME under tmpdir. */
static void write_line(const char *name, int fi, const char *s)
{
    char path[128];
    diag *d = diag_new(stderr, 1);
    pages *p = pages_new(fonts);
    page *pg = pages_add(p, A4_W, A4_H);

    text(p, pg, fi, 12, 72, 770, s);
    snprintf(path, sizeof path, "%s/%s", tmpdir, name);
    assert_int_equal(pdfout_write(p, NULL, path, d), 0);
    assert_int_equal(diag_errors(d), 0);
    pages_free(p);
    diag_free(d);
}

static int same_file(const char *a, const char *b)
{
    char cmd[256];

    snprintf(cmd, sizeof cmd, "cmp -s %s/%s %s/%s", tmpdir, a, tmpdir, b);
    return system(cmd) == 0;
}

static unsigned long misses(void)
{
    pdfout_cache_stats cs;

    pdfout_cache_get_stats(&cs);
    return cs.misses;
}

/* Streams taken from the cache give the bytes of ones made afresh. Per face three are
 * looked up: its program, its CIDToGIDMap and its ToUnicode (the same for every face). */
static void font_cache_same_bytes(void **state)
{
    pdfout_cache_stats cs;

    (void)state;
    setenv("SOURCE_DATE_EPOCH", "1700000000", 1);
    pdfout_cache_limit(0, 0); /* keeps nothing: everything made afresh */
    write_doc("fresh.pdf");
    pdfout_cache_get_stats(&cs);
    assert_int_equal(cs.entries, 0);
    assert_int_equal(cs.hits, 0);
    assert_int_equal(cs.misses, 4 * 3);
    pdfout_cache_limit(64, 8u << 20);
    write_doc("first.pdf");
    pdfout_cache_get_stats(&cs);
    assert_int_equal(cs.misses, 4 + 4 + 1);
    assert_int_equal(cs.hits, 3); /* the ToUnicode of faces 2 to 4 */
    write_doc("again.pdf");
    pdfout_cache_get_stats(&cs);
    assert_int_equal(cs.entries, 9);
    assert_int_equal(cs.misses, 9);
    assert_int_equal(cs.hits, 3 + 12);
    assert_true(same_file("fresh.pdf", "first.pdf"));
    assert_true(same_file("fresh.pdf", "again.pdf"));
    unsetenv("SOURCE_DATE_EPOCH");
}

/* Another glyph set is another program; figures alone do not make one (whole digits). */
static void font_cache_tells_glyph_sets_apart(void **state)
{
    char cmd[256], *out;
    unsigned long m;

    (void)state;
    setenv("SOURCE_DATE_EPOCH", "1700000000", 1);
    pdfout_cache_limit(0, 0);
    write_line("b-fresh.pdf", serif, "Quảng Ninh");
    pdfout_cache_limit(64, 8u << 20);
    write_line("a.pdf", serif, "Hà Nội");
    assert_int_equal(misses(), 3);
    write_line("b.pdf", serif, "Quảng Ninh");
    assert_int_equal(misses(), 3 + 2); /* program and map; the ToUnicode is shared */
    assert_true(same_file("b-fresh.pdf", "b.pdf"));
    snprintf(cmd, sizeof cmd, "pdftotext %s/b.pdf -", tmpdir);
    out = run(cmd);
    assert_non_null(out);
    assert_non_null(strstr(out, "Quảng Ninh"));
    free(out);
    /* same face, other figures: nothing new, and the text still comes back */
    write_line("n1.pdf", serif, "Số 12");
    m = misses();
    write_line("n2.pdf", serif, "Số 3450");
    assert_int_equal(misses(), m);
    snprintf(cmd, sizeof cmd, "pdftotext %s/n2.pdf - && pdffonts %s/n2.pdf", tmpdir, tmpdir);
    out = run(cmd);
    assert_non_null(out);
    assert_non_null(strstr(out, "Số 3450"));
    assert_non_null(strstr(out, "yes yes yes"));
    free(out);
    /* the same glyphs in another face are another program */
    write_line("bold.pdf", serif_bold, "Số 12");
    assert_true(misses() > m);
    unsetenv("SOURCE_DATE_EPOCH");
}

/* However many glyph sets go by, the cache stays within its entries and bytes. */
static void font_cache_is_bounded(void **state)
{
    static const char *const words[] = { "a", "b", "c", "d", "e", "f", "g", "h", "ă", "đ" };
    pdfout_cache_stats cs;
    char name[32];
    unsigned long m;

    (void)state;
    pdfout_cache_limit(4, 1u << 20);
    for (size_t i = 0; i < sizeof words / sizeof *words; i++) {
        snprintf(name, sizeof name, "w%zu.pdf", i);
        write_line(name, serif, words[i]);
        pdfout_cache_get_stats(&cs);
        assert_true(cs.entries <= 4);
        assert_true(cs.bytes <= 1u << 20);
    }
    assert_int_equal(cs.entries, 4);
    assert_int_equal(cs.misses, 1 + 10 * 2);
    m = misses();
    write_line("w-again.pdf", serif, "đ"); /* the last one: still kept */
    assert_int_equal(misses(), m);
    write_line("w-old.pdf", serif, "a"); /* the oldest went first */
    assert_int_equal(misses(), m + 2);
    /* a stream larger than the whole budget is used once, not kept */
    setenv("SOURCE_DATE_EPOCH", "1700000000", 1);
    pdfout_cache_limit(32, 1000);
    write_line("w-big.pdf", serif, "a");
    pdfout_cache_get_stats(&cs);
    assert_true(cs.bytes <= 1000);
    assert_true(cs.entries < 3);
    pdfout_cache_limit(0, 0);
    write_line("w-big-fresh.pdf", serif, "a");
    assert_true(same_file("w-big.pdf", "w-big-fresh.pdf"));
    unsetenv("SOURCE_DATE_EPOCH");
    pdfout_cache_limit(64, 8u << 20);
}

/* The handle kept across documents carries nothing of one into the next: a face is tagged
 * and subset for the document alone, whatever was loaded before. */
static void kept_handle_forgets_documents(void **state)
{
    (void)state;
    setenv("SOURCE_DATE_EPOCH", "1700000000", 1);
    pdfout_cache_clear(); /* a fresh handle */
    write_line("k-fresh.pdf", serif, "Cà Mau 2024");
    pdfout_cache_clear();
    write_doc("k-doc.pdf"); /* four faces loaded, bold first: serif was HPDFAB+ */
    write_line("k-bold.pdf", serif_bold, "Bắc Kạn");
    write_line("k-again.pdf", serif, "Cà Mau 2024");
    assert_true(same_file("k-fresh.pdf", "k-again.pdf"));
    pdfout_cache_limit(0, 0); /* no stream kept, a fresh handle */
    write_line("k-none.pdf", serif, "Cà Mau 2024");
    assert_true(same_file("k-fresh.pdf", "k-none.pdf"));
    pdfout_cache_limit(64, 8u << 20);
    unsetenv("SOURCE_DATE_EPOCH");
}

static void reports_unknown_anchor_and_bad_face(void **state)
{
    char path[128];
    diag *d = diag_new(NULL, 1);
    pages *p = pages_new(fonts);
    page *pg = pages_add(p, 0, 0); /* zero-size page: clamped, not an error */
    pg_item *it = pages_push(p, pg, PG_LINK);

    (void)state;
    it->u.link = (pg_link){ 1, 1, 1, 1, NULL, "nowhere" };
    snprintf(path, sizeof path, "%s/warn.pdf", tmpdir);
    assert_int_equal(pdfout_write(p, NULL, path, d), 0);
    assert_non_null(strstr(diag_text(d), "nowhere"));
    it = pages_push(p, pg, PG_TEXT);
    it->u.text = (pg_text){ 1, 1, 10, 0, 99, black, "x", 1, 0 };
    snprintf(path, sizeof path, "%s/bad.pdf", tmpdir);
    assert_int_equal(pdfout_write(p, NULL, path, d), -1);
    assert_non_null(strstr(diag_text(d), "unknown font face 99"));
    assert_int_equal(access(path, F_OK), -1); /* nothing half-written */
    pages_free(p);
    diag_free(d);
}

/* Images (made from our own PDF by pdftoppm, as PNG and JPEG) are embedded once each. */
static void embeds_png_and_jpeg(void **state)
{
    char cmd[512], png[128], jpg[128], path[128], *out;
    diag *d = diag_new(stderr, 1);
    pages *p = pages_new(fonts);
    page *pg = pages_add(p, A4_W, A4_H);

    (void)state;
    snprintf(cmd, sizeof cmd,
             "pdftoppm -r 10 -f 1 -l 1 -singlefile -png %s/doc.pdf %s/img && "
             "pdftoppm -r 10 -f 1 -l 1 -singlefile -jpeg %s/doc.pdf %s/img", tmpdir, tmpdir, tmpdir, tmpdir);
    assert_int_equal(system(cmd), 0);
    snprintf(png, sizeof png, "%s/img.png", tmpdir);
    snprintf(jpg, sizeof jpg, "%s/img.jpg", tmpdir);
    for (int i = 0; i < 3; i++) {
        pg_item *it = pages_push(p, pg, PG_IMAGE);

        it->u.image = (pg_image){ 50 + 150 * i, 500, 100, 141, i == 1 ? jpg : png };
    }
    snprintf(path, sizeof path, "%s/img.pdf", tmpdir);
    assert_int_equal(pdfout_write(p, NULL, path, d), 0);
    assert_int_equal(diag_errors(d) + diag_warnings(d), 0);
    snprintf(cmd, sizeof cmd, "pdfimages -list %s", path);
    out = run(cmd);
    assert_non_null(out);
    assert_int_equal(count(out, "\n"), 2 + 3); /* header, rule, three placements */
    assert_int_equal(count(out, " jpeg "), 1);
    pages_free(p);
    diag_free(d);
    free(out);
    /* two image objects: the PNG used twice is loaded once */
    snprintf(cmd, sizeof cmd, "test $(pdfimages -list %s | tail -n +3 | awk '{print $11}' | sort -u | wc -l) -eq 2", path);
    assert_int_equal(system(cmd), 0);
}

/* No pages, characters beyond the BMP, a missing image, paths without a MOVE: no crash,
 * a valid file, a warning for the image. */
static void odd_input_still_valid(void **state)
{
    char cmd[256], path[128];
    diag *d = diag_new(NULL, 1);
    pages *p = pages_new(fonts);
    page *pg;
    pg_item *it;
    static const pg_op ops[] = { PG_LINETO, PG_CLOSE };
    static const float pts[] = { 1, 1 };

    (void)state;
    snprintf(path, sizeof path, "%s/empty.pdf", tmpdir);
    assert_int_equal(pdfout_write(p, NULL, path, d), 0);
    snprintf(cmd, sizeof cmd, "qpdf --check %s >/dev/null 2>&1", path);
    assert_int_equal(system(cmd), 0);
    pg = pages_add(p, 100000, -5); /* clamped into libharu's 3..14400 */
    text(p, pg, serif, 12, 10, 10, "emoji \xF0\x9F\x98\x80 and \xE4\xB8\xAD");
    text(p, pg, serif, 0, 10, 10, "size zero is skipped");
    {
        /* A 100 kB run (a 1 MB word reaches here in pieces, but the backend must not care):
         * libharu cuts strings at 65535 bytes without a word, so it is shown in parts. */
        size_t n = 100000;
        char *big = arena_alloc(p->arena, n + 1);

        for (size_t i = 0; i < n; i += 2)
            memcpy(big + i, "\xC6\xB0", 2); /* ư */
        text(p, pg, serif, 0.2f, 0, 2, big); /* 5000 pt long: on the 14400 pt page */
        pages_add_outline(p, 1, big, 0, 0);    /* a 100 kB heading: its bookmark is cut */
        p->title = big;
    }
    it = pages_push(p, pg, PG_IMAGE);
    it->u.image = (pg_image){ 0, 0, 10, 10, "/nonexistent/picture.png" };
    it = pages_push(p, pg, PG_PATH);
    it->u.path = (pg_path){ ops, pts, 2, black, black, 1, PG_DOTTED };
    it = pages_push(p, pg, PG_LINE);
    it->u.line = (pg_line){ 0, 0, 1.0f / 0.0f, 0, 1, black, PG_SOLID }; /* not finite: skipped */
    pages_add(p, NAN, 1.0f / 0.0f); /* not numbers: the smallest page, still a valid file */
    assert_int_equal(pdfout_write(p, NULL, path, d), 0);
    assert_int_equal(diag_errors(d), 0);
    assert_non_null(strstr(diag_text(d), "/nonexistent/picture.png: warning: image not embedded"));
    assert_int_equal(system(cmd), 0);
    snprintf(cmd, sizeof cmd, "test $(pdftotext -f 1 -l 1 %s - | grep -o ư | wc -l) -eq 50000", path);
    assert_int_equal(system(cmd), 0); /* every character of the long run is there */
    pages_free(p);
    diag_free(d);
}

/* Reads a binary PGM (P5, maxval 255) as pdftoppm -gray writes it. NULL when it is not one. */
static unsigned char *read_pgm(const char *path, int *w, int *h)
{
    FILE *f = fopen(path, "rb");
    unsigned char *px = NULL;
    int maxval;

    if (!f)
        return NULL;
    if (fscanf(f, "P5 %d %d %d", w, h, &maxval) == 3 && maxval == 255 && fgetc(f) != EOF &&
        *w > 0 && *h > 0 && *w < 10000 && *h < 10000) {
        px = malloc((size_t)*w * (size_t)*h);
        if (fread(px, 1, (size_t)*w * (size_t)*h, f) != (size_t)*w * (size_t)*h) {
            free(px);
            px = NULL;
        }
    }
    fclose(f);
    return px;
}

/* The text lines of page 1, rendered at 48 dpi in grey, equal tests/unit/ref/pdfout-1.pgm
 * within a tolerance (a single wrong glyph is about 20 pixels off):
 * catches glyphs drawn wrong (boxes, blanks, wrong glyphs) that text extraction cannot see,
 * since ToUnicode gives the text back whatever the glyphs. Same Debian poppler, so renders
 * are stable; BAOCAO_UPDATE_REF=1 rewrites the reference. */
static void renders_like_the_reference(void **state)
{
    const char *ref = "tests/unit/ref/pdfout-1.pgm";
    char cmd[512], got_path[128];
    unsigned char *got, *want;
    int gw, gh, ww, wh;
    long total = 0, bad = 0;

    (void)state;
    snprintf(cmd, sizeof cmd, "pdftoppm -r 48 -gray -f 1 -l 1 -x 40 -y 30 -W 320 -H 80 -singlefile %s/doc.pdf %s/render", tmpdir, tmpdir);
    assert_int_equal(system(cmd), 0);
    snprintf(got_path, sizeof got_path, "%s/render.pgm", tmpdir);
    if (getenv("BAOCAO_UPDATE_REF")) {
        snprintf(cmd, sizeof cmd, "mkdir -p tests/unit/ref && cp %s %s", got_path, ref);
        assert_int_equal(system(cmd), 0);
    }
    got = read_pgm(got_path, &gw, &gh);
    want = read_pgm(ref, &ww, &wh);
    assert_non_null(got);
    assert_non_null(want);
    assert_int_equal(gw, ww);
    assert_int_equal(gh, wh);
    for (long i = 0; i < (long)gw * gh; i++) {
        int diff = abs(got[i] - want[i]);

        total += diff;
        bad += diff > 64;
    }
    if (total > (long)gw * gh / 2 || bad > 8) /* mean 0.5; 8 pixels */
        fail_msg("render differs from %s: mean %.2f, %ld pixels off", ref, (double)total / (gw * gh), bad);
    free(got);
    free(want);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(passes_qpdf_check),
        cmocka_unit_test(embeds_used_faces_as_subsets),
        cmocka_unit_test(text_comes_back_in_nfc),
        cmocka_unit_test(renders_like_the_reference),
        cmocka_unit_test(info_outline_and_links),
        cmocka_unit_test(outline_nests_by_level),
        cmocka_unit_test(same_input_same_bytes),
        cmocka_unit_test(font_cache_same_bytes),
        cmocka_unit_test(font_cache_tells_glyph_sets_apart),
        cmocka_unit_test(font_cache_is_bounded),
        cmocka_unit_test(kept_handle_forgets_documents),
        cmocka_unit_test(reports_unknown_anchor_and_bad_face),
        cmocka_unit_test(embeds_png_and_jpeg),
        cmocka_unit_test(odd_input_still_valid),
    };

    return cmocka_run_group_tests(tests, setup, teardown);
}
