/*
** Escapers: one per place a value lands (HTML text, HTML attribute, Markdown, URL).
**
** Like cmark's houdini, each walks the input once and copies runs of safe bytes with one
** buf_put, so a value with nothing to escape costs one copy.
*/
#include "escape.h"

#include <string.h>

/* buf_grow, keeping B a valid C string even when nothing is appended after it. */
static void reserve(buf *b, size_t n)
{
    buf_grow(b, n);
    b->ptr[b->len] = '\0';
}

/* Copies S[0..LEN), replacing bytes that TABLE maps to a string. */
static void escape_with(buf *b, const char *s, size_t len, const char *const table[256])
{
    size_t i = 0, run = 0;

    reserve(b, len);
    for (i = 0; i < len; i++) {
        const char *rep = table[(unsigned char)s[i]];
        if (!rep)
            continue;
        buf_put(b, s + run, i - run);
        buf_puts(b, rep);
        run = i + 1;
    }
    buf_put(b, s + run, len - run);
}

static const char *const html_table[256] = {
    ['&'] = "&amp;", ['<'] = "&lt;", ['>'] = "&gt;", ['"'] = "&quot;", ['\''] = "&#39;",
};

static const char *const attr_table[256] = {
    ['&'] = "&amp;", ['<'] = "&lt;", ['>'] = "&gt;", ['"'] = "&quot;", ['\''] = "&#39;",
    ['`'] = "&#96;", ['\n'] = "&#10;", ['\r'] = "&#13;", ['\t'] = "&#9;",
};

void escape_html(buf *b, const char *s, size_t len)
{
    escape_with(b, s, len, html_table);
}

void escape_html_attr(buf *b, const char *s, size_t len)
{
    escape_with(b, s, len, attr_table);
}

static int is_alnum(int c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* At a line start: a run of 1..9 digits then '.' or ')' then blank or end is an ordered list
 * marker. Returns the index of that '.' or ')', or 0 when there is none. */
static size_t list_number_end(const char *s, size_t len, size_t i)
{
    size_t j = i;

    while (j < len && j - i < 10 && s[j] >= '0' && s[j] <= '9')
        j++;
    if (j == i || j - i > 9 || j >= len || (s[j] != '.' && s[j] != ')'))
        return 0;
    if (j + 1 < len && s[j + 1] != ' ' && s[j + 1] != '\t' && s[j + 1] != '\n' && s[j + 1] != '\r')
        return 0;
    return j;
}

/* 1 when S[I] is the '.' of "www." (any case), which GFM's autolink extension would link. */
static int after_www(const char *s, size_t i)
{
    return i >= 3 && (s[i - 1] | 0x20) == 'w' && (s[i - 2] | 0x20) == 'w' &&
           (s[i - 3] | 0x20) == 'w';
}

/* Bytes that may need a backslash somewhere, or are line breaks; runs of others are copied. */
static const unsigned char md_special[256] = {
    ['\\'] = 1, ['`'] = 1, ['*'] = 1, ['_'] = 1, ['['] = 1, [']'] = 1, ['<'] = 1, ['>'] = 1,
    ['|'] = 1, ['~'] = 1, ['&'] = 1, ['.'] = 1, [')'] = 1, [':'] = 1, ['\n'] = 1, ['\r'] = 1,
};

/* 1 when the special byte S[I] needs a backslash; MARK is the current line's list number end. */
static int needs_backslash(const char *s, size_t len, size_t i, size_t mark)
{
    switch (s[i]) {
    case '&':
        return i + 1 < len && (is_alnum((unsigned char)s[i + 1]) || s[i + 1] == '#');
    case '.':
        return (mark && i == mark) || after_www(s, i);
    case ')':
        return mark && i == mark;
    case ':':
        return i + 2 < len && s[i + 1] == '/' && s[i + 2] == '/';
    default:
        return 1;
    }
}

/* Where the text appended next to B lands on its Markdown line. */
enum { AT_TEXT, AT_BLOCK, AT_NUMBER, AT_CELL };

/* AT_BLOCK when B's last line (all of B when it holds no line break) is empty or holds only
 * blanks and container markers (">", a bullet "-" "+" "*", a list number "1." "1)"): only
 * there can a value's first character open a heading, a list, a thematic break or a setext
 * underline. AT_NUMBER when such a line ends in digits ("1", "- 2022"): a value starting
 * with ". " or ") " would make them a list number. AT_CELL when the line's last non-blank byte
 * is '|': a value starting a cell could complete a table's delimiter row ("| :--- | --- |").
 * Else AT_TEXT: paragraph text, where none of these can start. A value rendered into a buffer of its own is at AT_BLOCK,
 * so the answer errs towards escaping. */
static int line_context(const buf *b)
{
    static const char prefix[] = " \t>-+*.)0123456789"; /* all a line before AT_BLOCK holds */
    size_t start = b->len, i, j, end;

    /* Only a line of such bytes alone can be AT_BLOCK or AT_NUMBER, so the look back stops at
     * the first other byte: a value late in a long paragraph costs what one early does. */
    while (start > 0 && memchr(prefix, b->ptr[start - 1], sizeof prefix - 1))
        start--;
    if (start == 0 || b->ptr[start - 1] == '\n' || b->ptr[start - 1] == '\r') {
        for (i = start; i < b->len;) {
            char c = b->ptr[i];

            if (c == ' ' || c == '\t' || c == '>' || c == '-' || c == '+' || c == '*') {
                i++;
                continue;
            }
            for (j = i; j < b->len && j - i < 9 && b->ptr[j] >= '0' && b->ptr[j] <= '9'; j++)
                ;
            if (j > i && j == b->len)
                return AT_NUMBER;
            if (j == i || (b->ptr[j] != '.' && b->ptr[j] != ')'))
                break;
            i = j + 1;
        }
        if (i == b->len)
            return AT_BLOCK;
    }
    for (end = b->len; end > 0 && (b->ptr[end - 1] == ' ' || b->ptr[end - 1] == '\t'); end--)
        ;
    return end > 0 && b->ptr[end - 1] == '|' ? AT_CELL : AT_TEXT;
}

void escape_markdown(buf *b, const char *s, size_t len)
{
    size_t i = 0, run, mark = 0;
    int bol = 1;              /* at the start of a line of the value: its blanks are dropped */
    int at = line_context(b); /* where the value's first printed byte lands */

    reserve(b, len + len / 8);
    while (i < len) {
        char c;
        if (bol) {
            /* after digits a blank ends the number: kept, it cannot join "1" and ". x" */
            while (at != AT_NUMBER && i < len && (s[i] == ' ' || s[i] == '\t'))
                i++;
            if (i >= len)
                break;
            bol = 0;
            c = s[i];
            mark = at == AT_BLOCK || at == AT_NUMBER ? list_number_end(s, len, i) : 0;
            if ((at == AT_BLOCK && (c == '#' || c == '+' || c == '-' || c == '=' || c == ':')) ||
                (at == AT_CELL && (c == '-' || c == ':')) ||
                (at == AT_NUMBER && (c == '.' || c == ')') &&
                 (i + 1 == len || s[i + 1] == ' ' || s[i + 1] == '\t' || s[i + 1] == '\n' ||
                  s[i + 1] == '\r'))) {
                buf_putc(b, '\\');
                buf_putc(b, c);
                i++;
                at = AT_TEXT;
                continue;
            }
            /* a line break prints no byte at a line start, so the context holds until one
             * is printed (after digits it prints a blank, which ends the number) */
            if ((c != '\n' && c != '\r') || at == AT_NUMBER)
                at = AT_TEXT;
        }
        run = i;
        while (i < len && !md_special[(unsigned char)s[i]])
            i++;
        buf_put(b, s + run, i - run);
        if (i >= len)
            break;
        c = s[i];
        if (c == '\n' || c == '\r') {
            /* a blank before the first byte at a line start would indent it (five make a
             * list item's code block), so there it is dropped like the value's leading blanks */
            if (at != AT_BLOCK)
                buf_putc(b, ' ');
            i += (c == '\r' && i + 1 < len && s[i + 1] == '\n') ? 2 : 1;
            bol = 1;
            continue;
        }
        if (needs_backslash(s, len, i, mark))
            buf_putc(b, '\\');
        buf_putc(b, c);
        i++;
    }
}

static int lower(int c)
{
    return c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c;
}

/* 1 when S, after leading blanks and controls, starts with scheme NAME (lower case, with ':'). */
static int has_scheme(const char *s, size_t len, const char *name)
{
    size_t i = 0, n = strlen(name), k = 0;

    while (i < len && (unsigned char)s[i] <= ' ')
        i++;
    for (; k < n && i < len; i++) {
        if (s[i] == '\t' || s[i] == '\n' || s[i] == '\r') /* browsers drop these inside URLs */
            continue;
        if (lower((unsigned char)s[i]) != name[k])
            return 0;
        k++;
    }
    return k == n;
}

int escape_url(buf *b, const char *s, size_t len)
{
    static const char hex[] = "0123456789ABCDEF";
    static const char *const bad[] = { "javascript:", "vbscript:", "file:", "data:" };
    size_t i;

    for (i = 0; i < sizeof bad / sizeof bad[0]; i++)
        if (has_scheme(s, len, bad[i]))
            return -1;
    reserve(b, len);
    for (i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        if (is_alnum(c) || (c && strchr("-_.+!*(),%#@?=;:/$~", c))) {
            buf_putc(b, (char)c);
        } else if (c == '&') {
            buf_puts(b, "&amp;");
        } else if (c == '\'') {
            buf_puts(b, "&#x27;");
        } else {
            buf_putc(b, '%');
            buf_putc(b, hex[c >> 4]);
            buf_putc(b, hex[c & 15]);
        }
    }
    return 0;
}
