/*
** Unit tests for the escapers. The Markdown escaper is checked against cmark-gfm itself (with
** the table, strikethrough, tasklist and autolink extensions): an escaped value placed in a
** paragraph, at a line start, after a paragraph line, and in a table cell must come back as
** exactly its text; and escaped after the text a template puts before it (the escape looks at
** the line so far), in a sentence, a cell, a list item or a quote.
*/
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmark-gfm-core-extensions.h>
#include <cmark-gfm.h>

#include "buf.h"
#include "escape.h"

static char *render(const char *md)
{
    static const char *const ext[] = { "table", "strikethrough", "tasklist", "autolink" };
    cmark_parser *p;
    cmark_node *doc;
    char *html;

    cmark_gfm_core_extensions_ensure_registered();
    p = cmark_parser_new(CMARK_OPT_DEFAULT);
    for (size_t i = 0; i < sizeof ext / sizeof ext[0]; i++)
        cmark_parser_attach_syntax_extension(p, cmark_find_syntax_extension(ext[i]));
    cmark_parser_feed(p, md, strlen(md));
    doc = cmark_parser_finish(p);
    html = cmark_render_html(doc, CMARK_OPT_DEFAULT, cmark_parser_get_syntax_extensions(p));
    cmark_node_free(doc);
    cmark_parser_free(p);
    return html;
}

/* The text a value should show: line breaks as one space, blanks at line starts dropped (and
 * at both ends too when TRIM: the placement makes its own line or cell), then HTML-escaped the way cmark escapes text (& < > "). */
static void expected_text(buf *out, const char *v, int trim)
{
    buf t = BUF_INIT;
    int bol = 1;

    for (const char *p = v; *p; p++) {
        if (*p == '\r' || *p == '\n') {
            if (*p == '\r' && p[1] == '\n')
                p++;
            buf_putc(&t, ' ');
            bol = 1;
        } else if (bol && (*p == ' ' || *p == '\t')) {
            continue;
        } else {
            bol = 0;
            buf_putc(&t, *p);
        }
    }
    while (trim && t.len > 0 && (t.ptr[t.len - 1] == ' ' || t.ptr[t.len - 1] == '\t'))
        t.ptr[--t.len] = '\0';
    buf_puts(out, "");
    for (size_t i = trim ? strspn(t.ptr ? t.ptr : "", " \t") : 0; i < t.len; i++) {
        switch (t.ptr[i]) {
        case '&': buf_puts(out, "&amp;"); break;
        case '<': buf_puts(out, "&lt;"); break;
        case '>': buf_puts(out, "&gt;"); break;
        case '"': buf_puts(out, "&quot;"); break;
        default: buf_putc(out, t.ptr[i]);
        }
    }
    buf_free(&t);
}

/* Returns 0 when V survives every placement; prints the first failure. */
static int literal_everywhere(const char *v)
{
    buf esc = BUF_INIT, text = BUF_INIT, mid = BUF_INIT, md = BUF_INIT, want = BUF_INIT;
    int bad = 0;

    escape_markdown(&esc, v, strlen(v));
    expected_text(&text, v, 1);
    expected_text(&mid, v, 0);
    buf_puts(&esc, "");
    for (int where = 0; where < 5 && !bad; where++) {
        char *html;
        buf_reset(&md);
        buf_reset(&want);
        buf_puts(&want, "");
        switch (where) {
        case 0: /* mid-line, escaped alone (as at a line start: leading line breaks dropped) */
            buf_printf(&md, "Tên: %s hết\n", esc.ptr);
            buf_printf(&want, "<p>Tên: %s hết</p>\n", mid.ptr + strspn(mid.ptr, " \t"));
            break;
        case 1: /* whole paragraph */
            buf_printf(&md, "%s\n", esc.ptr);
            if (text.len)
                buf_printf(&want, "<p>%s</p>\n", text.ptr);
            break;
        case 2: /* a line after a paragraph line (setext underline, lazy continuation) */
            buf_printf(&md, "Tên\n%s\n", esc.ptr);
            buf_printf(&want, "<p>Tên%s%s</p>\n", text.len ? "\n" : "", text.ptr);
            break;
        case 3: /* a table cell */
            buf_printf(&md, "| A | B |\n|---|---|\n| x | %s |\n", esc.ptr);
            buf_printf(&want,
                       "<table>\n<thead>\n<tr>\n<th>A</th>\n<th>B</th>\n</tr>\n</thead>\n"
                       "<tbody>\n<tr>\n<td>x</td>\n<td>%s</td>\n</tr>\n</tbody>\n</table>\n",
                       text.ptr);
            break;
        case 4: /* first cell of a table row, no leading pipe */
            buf_printf(&md, "A | B\n--- | ---\n%s | y\n", esc.ptr);
            buf_printf(&want,
                       "<table>\n<thead>\n<tr>\n<th>A</th>\n<th>B</th>\n</tr>\n</thead>\n"
                       "<tbody>\n<tr>\n<td>%s</td>\n<td>y</td>\n</tr>\n</tbody>\n</table>\n",
                       text.ptr);
            break;
        }
        if (where == 4 && text.len == 0)
            continue; /* an empty first cell with no leading pipe is not a row */
        html = render(md.ptr);
        if (strcmp(html, want.ptr) != 0) {
            print_error("value '%s' placement %d\n  md:   '%s'\n  got:  '%s'\n  want: '%s'\n",
                        v, where, md.ptr, html, want.ptr);
            bad = 1;
        }
        free(html);
    }
    buf_free(&esc);
    buf_free(&text);
    buf_free(&mid);
    buf_free(&md);
    buf_free(&want);
    return bad;
}

static const char *const nasty[] = {
    "", "plain", "Hợp tác xã Đại Phát", "*a*", "_a_", "**b**", "__b__", "a_b_c", "a*b*c",
    "`code`", "``a``", "`", "<script>alert(1)</script>", "<b>", "<!-- c -->", "<http://x.y>",
    "a | b", "x|y|z", "|", "\\|", "# heading", "## x", "#", "#5", "- item", "+ item", "* item",
    "-", "--", "---", "***", "___", "===", "=", "-12", "+39", "1. item", "1) item", "1.",
    "10)", "2023. Năm", "123456789. x", "1234567890. x", "1.5", "337.082", "36,52",
    "2023-01-06", "[link](http://x)", "![img](x.png)", "[x]", "[^1]", "[ ] task",
    "- [ ] x", "a]b[c", "a\\b", "\\*", "\\", "\\\\", "a\\", "~~del~~", "~x~", "~", "&amp;",
    "&#123;", "&#x41;", "&copy", "&copy;", "A & B", "&", "&&", "> quote", ">", "<", "a > b",
    "a\nb", "a\r\nb", "a\rb", "line\n# h", "line\n- x", "line\n===", "line\n---", "foo\n\nbar",
    "    code", "\tx", "  x", "a  \nb", "\"'", "!", "!!", "!x", "(a)", "{{x}}", "$x$",
    ":smile:", "12,5%", "Hợp tác xã *Đại Phát* | 12,5%", "a\n\n\n", "\n", "\n\n", " ",
    "x\n    y", "1. a\n2. b", "* * *", "- - -", "a<br>b", "<div>\nx\n</div>", "```\ncode\n```",
    "~~~", "    ", "\\\n", "http://x.vn", "https://a.b/c?d=1", "www.example.com", "WWW.X.COM",
    "see www.x.vn now", "ftp://a.b", "(www.x.vn)", "xem tại https://x.vn.", "a.www.b", "a\\\nb", "|---|---|", "| a | b |", ":---:", "\\`", "*\\*",
};

static void markdown_literal(void **state)
{
    int bad = 0;

    (void)state;
    for (size_t i = 0; i < sizeof nasty / sizeof nasty[0]; i++)
        bad += literal_everywhere(nasty[i]);
    assert_int_equal(bad, 0);
}

/* Random strings over the characters Markdown cares about. */
static void markdown_random(void **state)
{
    static const char alphabet[] = "wwW.:/h*_`<>[]|#+-=.)(!~&\\\n\r \t1a;:/x9\"'{}";
    unsigned seed = 12345;
    char v[16];
    int bad = 0;

    (void)state;
    for (int n = 0; n < 8000 && bad < 5; n++) {
        int len = n % 16;
        for (int i = 0; i < len; i++) {
            seed = seed * 1103515245u + 12345u;
            v[i] = alphabet[(seed >> 16) % (sizeof alphabet - 1)];
        }
        v[len] = '\0';
        bad += literal_everywhere(v);
    }
    assert_int_equal(bad, 0);
}

/* Escapes V into a buffer that already holds PRE (the template's text before the value),
 * renders PRE + value + POST and compares with WANT_PRE + the value's text + WANT_POST.
 * TRIM: the placement trims the value's outer blanks (a cell, a list item). */
static int literal_after(const char *v, const char *pre, const char *post, const char *want_pre,
                         const char *want_post, int trim)
{
    buf md = BUF_INIT, text = BUF_INIT, want = BUF_INIT;
    char *html;
    int bad = 0;

    buf_puts(&md, pre);
    escape_markdown(&md, v, strlen(v));
    buf_puts(&md, post);
    expected_text(&text, v, trim);
    buf_puts(&want, want_pre);
    buf_put(&want, text.ptr, text.len);
    buf_puts(&want, want_post);
    html = render(md.ptr);
    if (strcmp(html, want.ptr) != 0) {
        print_error("value '%s' after '%s'\n  md:   '%s'\n  got:  '%s'\n  want: '%s'\n", v, pre,
                    md.ptr, html, want.ptr);
        bad = 1;
    }
    free(html);
    buf_free(&md);
    buf_free(&text);
    buf_free(&want);
    return bad;
}

/* V after a line's digits ("1" + V): a paragraph "1…", the value's first blanks kept (a
 * blank ends the number), its line breaks as blanks, its trailing blanks gone. */
static int after_digits(const char *v)
{
    buf md = BUF_INIT, text = BUF_INIT, want = BUF_INIT;
    size_t lead = strspn(v, " \t");
    char *html;
    int bad = 0;

    buf_puts(&md, "1");
    escape_markdown(&md, v, strlen(v));
    buf_puts(&md, "\n");
    buf_puts(&text, "");
    buf_put(&text, v, lead);
    expected_text(&text, v + lead, 0);
    while (text.len > 0 && (text.ptr[text.len - 1] == ' ' || text.ptr[text.len - 1] == '\t'))
        text.ptr[--text.len] = '\0';
    buf_printf(&want, "<p>1%s</p>\n", text.ptr);
    html = render(md.ptr);
    if (strcmp(html, want.ptr) != 0) {
        print_error("value '%s' after '1'\n  md:   '%s'\n  got:  '%s'\n  want: '%s'\n", v, md.ptr,
                    html, want.ptr);
        bad = 1;
    }
    free(html);
    buf_free(&md);
    buf_free(&text);
    buf_free(&want);
    return bad;
}

/* The escape depends on where the value lands, so every value is also tried after the text a
 * template puts before it: mid-sentence, in a data cell, in a cell of the row under a header
 * row (where it could make a delimiter row), in a list item, in a quote and after digits. */
static int literal_in_context(const char *v)
{
    int bad = 0, blank = 1;

    for (const char *p = v; *p; p++)
        blank = blank && (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r');
    bad += literal_after(v, "Tên: ", " hết\n", "<p>Tên: ", " hết</p>\n", 0);
    bad += literal_after(v, "| A | B |\n|---|---|\n| x | ", " |\n",
                         "<table>\n<thead>\n<tr>\n<th>A</th>\n<th>B</th>\n</tr>\n</thead>\n"
                         "<tbody>\n<tr>\n<td>x</td>\n<td>",
                         "</td>\n</tr>\n</tbody>\n</table>\n", 1);
    if (!blank) { /* "| A | B |\n|  | --- |" is a paragraph whose blanks cmark keeps as written */
        bad += literal_after(v, "| A | B |\n| ", " | --- |\n", "<p>| A | B |\n| ", " | --- |</p>\n", 0);
        bad += literal_after(v, "- ", "\n", "<ul>\n<li>", "</li>\n</ul>\n", 1);
        bad += literal_after(v, "> ", "\n", "<blockquote>\n<p>", "</p>\n</blockquote>\n", 1);
    }
    bad += after_digits(v);
    return bad;
}

static void markdown_context(void **state)
{
    static const char alphabet[] = "wwW.:/h*_`<>[]|#+-=.)(!~&\\\n\r \t1a;:/x9\"'{}";
    unsigned seed = 54321;
    char v[16];
    int bad = 0;

    (void)state;
    for (size_t i = 0; i < sizeof nasty / sizeof nasty[0]; i++)
        bad += literal_in_context(nasty[i]);
    for (int n = 0; n < 4000 && bad < 5; n++) {
        int len = n % 16;
        for (int i = 0; i < len; i++) {
            seed = seed * 1103515245u + 12345u;
            v[i] = alphabet[(seed >> 16) % (sizeof alphabet - 1)];
        }
        v[len] = '\0';
        bad += literal_in_context(v);
    }
    assert_int_equal(bad, 0);
}

/* A signed figure in a sentence or a table cell prints as it is (no "\+24" in the .md);
 * where the value opens a line, or a cell under a header row, the escape is still there. */
static void markdown_position(void **state)
{
    static const struct { const char *pre, *in, *out; } cases[] = {
        { "Tổng số HTX tăng ", "+24", "Tổng số HTX tăng +24" },
        { "| 2022 | 468 | ", "+24", "| 2022 | 468 | +24" },
        { "| 2022 | 468 | ", "+5,4%", "| 2022 | 468 | +5,4%" },
        { "Số: ", "# 5", "Số: # 5" },
        { "Năm ", "2023. Năm", "Năm 2023. Năm" },
        { "x ", "=", "x =" },
        { "", "+24", "\\+24" },            /* the value opens the line: "+ 24" would be a list */
        { "Tên\n", "+ 5", "Tên\n\\+ 5" },
        { "  ", "# x", "  \\# x" },
        { "- ", "+ x", "- \\+ x" },         /* a nested list */
        { "> ", "1. x", "> 1\\. x" },
        { "| ", "---", "| \\---" },          /* a delimiter row */
        { "| a | ", ":--", "| a | \\:--" },
        { "| a | ", "+1", "| a | +1" },
        { "Tên: ", "*x*", "Tên: \\*x\\*" },  /* inline markup: everywhere */
        { "Tên: ", "a\n- x", "Tên: a - x" },
        { "", "a\n- x", "a - x" },           /* a line break is a blank: mid-line after it */
        { "", "\n- x", "\\- x" },         /* leading line breaks print nothing at a line start */
        { "- ", "\n\n\n\n\nx", "- x" },      /* five blanks would make a code block */
        { "Tên: ", "\nx", "Tên:  x" },
        { "1", ". x", "1\\. x" },          /* digits before it: "1. x" would be a list */
        { "- 2022", ") x", "- 2022\\) x" },
        { "1", "0. x", "10\\. x" },
        { "1", ".5", "1.5" },
        { "1", " . x", "1 . x" },          /* a blank ends the number: kept */
        { "Năm 2022", ". x", "Năm 2022. x" },
    };
    buf b = BUF_INIT;

    (void)state;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        buf_reset(&b);
        buf_puts(&b, cases[i].pre);
        escape_markdown(&b, cases[i].in, strlen(cases[i].in));
        assert_string_equal(buf_cstr(&b), cases[i].out);
    }
    buf_free(&b);
}

/* A known limit: GFM's autolink extension links e-mail addresses after escapes are resolved,
 * so no escape can stop it; the text still prints literally, inside a mailto link. */
static void markdown_email(void **state)
{
    buf esc = BUF_INIT;
    char *html;

    (void)state;
    escape_markdown(&esc, "hoptacxa@ninhbinh.vn", 20);
    assert_string_equal(buf_cstr(&esc), "hoptacxa@ninhbinh.vn");
    html = render("Thư: hoptacxa@ninhbinh.vn\n");
    assert_string_equal(html, "<p>Thư: <a href=\"mailto:hoptacxa@ninhbinh.vn\">"
                              "hoptacxa@ninhbinh.vn</a></p>\n");
    free(html);
    buf_free(&esc);
}

static void markdown_readable(void **state)
{
    static const struct { const char *in, *out; } cases[] = {
        { "337.082", "337.082" },
        { "36,52 tỷ đồng", "36,52 tỷ đồng" },
        { "12,5%", "12,5%" },
        { "A & B", "A & B" },
        { "A &amp; B", "A \\&amp; B" },
        { "a|b", "a\\|b" },
        { "*x*", "\\*x\\*" },
        { "# x", "\\# x" },
        { "x # y", "x # y" },
        { "-12", "\\-12" },
        { "x-y", "x-y" },
        { "1. x", "1\\. x" },
        { "1.5", "1.5" },
        { "Thời gian: 2023", "Thời gian: 2023" },
        { ":x", "\\:x" },
        { "http://x.vn", "http\\://x.vn" },
        { "www.x.vn", "www\\.x.vn" },
        { "a\nb", "a b" },
        { "a\r\n  b", "a b" },
        { "Hợp tác xã", "Hợp tác xã" },
    };
    buf b = BUF_INIT;

    (void)state;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        buf_reset(&b);
        escape_markdown(&b, cases[i].in, strlen(cases[i].in));
        assert_string_equal(buf_cstr(&b), cases[i].out);
    }
    buf_free(&b);
}

static void html(void **state)
{
    static const struct { const char *in, *out, *attr; } cases[] = {
        { "", "", "" },
        { "Hợp tác xã", "Hợp tác xã", "Hợp tác xã" },
        { "a & b", "a &amp; b", "a &amp; b" },
        { "<script>alert('x')</script>", "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;",
          "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;" },
        { "\"q\"", "&quot;q&quot;", "&quot;q&quot;" },
        { "&amp;", "&amp;amp;", "&amp;amp;" },
        { "a`b", "a`b", "a&#96;b" },
        { "a\nb\tc\r", "a\nb\tc\r", "a&#10;b&#9;c&#13;" },
        { "12,5% > 10%", "12,5% &gt; 10%", "12,5% &gt; 10%" },
    };
    buf b = BUF_INIT;

    (void)state;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        buf_reset(&b);
        escape_html(&b, cases[i].in, strlen(cases[i].in));
        assert_string_equal(buf_cstr(&b), cases[i].out);
        buf_reset(&b);
        escape_html_attr(&b, cases[i].in, strlen(cases[i].in));
        assert_string_equal(buf_cstr(&b), cases[i].attr);
    }
    /* LEN bounds the input and embedded NULs are copied */
    buf_reset(&b);
    escape_html(&b, "a<b>c", 2);
    assert_string_equal(buf_cstr(&b), "a&lt;");
    buf_reset(&b);
    escape_html(&b, "a\0<", 3);
    assert_int_equal(b.len, 6);
    assert_memory_equal(b.ptr, "a\0&lt;", 6);
    buf_free(&b);
}

static void url(void **state)
{
    static const struct { const char *in, *out; int rc; } cases[] = {
        { "https://example.com/a?b=1&c=2#x", "https://example.com/a?b=1&amp;c=2#x", 0 },
        { "bao-cao/ninh-binh.pdf", "bao-cao/ninh-binh.pdf", 0 },
        { "a b", "a%20b", 0 },
        { "Bình.pdf", "B%C3%ACnh.pdf", 0 },
        { "a%20b", "a%20b", 0 },
        { "a\"b<c>", "a%22b%3Cc%3E", 0 },
        { "it's", "it&#x27;s", 0 },
        { "mailto:a@b.vn", "mailto:a@b.vn", 0 },
        { "javascript:alert(1)", "", -1 },
        { "JavaScript:alert(1)", "", -1 },
        { "  javascript:x", "", -1 },
        { "java\tscript:x", "", -1 },
        { "vbscript:x", "", -1 },
        { "file:///etc/passwd", "", -1 },
        { "data:text/html,x", "", -1 },
        { "javascript", "javascript", 0 },
        { "#javascript:x", "#javascript:x", 0 },
        { "", "", 0 },
    };
    buf b = BUF_INIT;

    (void)state;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        buf_reset(&b);
        assert_int_equal(escape_url(&b, cases[i].in, strlen(cases[i].in)), cases[i].rc);
        assert_string_equal(buf_cstr(&b), cases[i].out);
    }
    buf_free(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(markdown_literal),
        cmocka_unit_test(markdown_random),
        cmocka_unit_test(markdown_context),
        cmocka_unit_test(markdown_position),
        cmocka_unit_test(markdown_email),
        cmocka_unit_test(markdown_readable),
        cmocka_unit_test(html),
        cmocka_unit_test(url),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
