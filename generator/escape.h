/*
** Escapers: one per place a value lands (HTML text, HTML attribute, Markdown, URL).
**
** Each appends the escaped form of S[0..LEN) to B; S need not be NUL-terminated. Bytes that
** are not ASCII pass through unchanged (the text is UTF-8 NFC already).
*/
#ifndef BAOCAO_ESCAPE_H
#define BAOCAO_ESCAPE_H

#include <stddef.h>

#include "buf.h"

/* HTML text: & < > " ' become &amp; &lt; &gt; &quot; &#39;. */
void escape_html(buf *b, const char *s, size_t len);
/* A double- or single-quoted attribute value: as escape_html, plus ` as &#96; and
 * newline/tab/CR as character references so the value survives attribute normalisation. */
void escape_html_attr(buf *b, const char *s, size_t len);
/* A value inside a Markdown template (cmark-gfm with GFM tables, strikethrough, autolinks)
 * that must print literally, also inside a table cell: backslash before \ ` * _ [ ] < > | ~,
 * before & that could start an entity, and before the ':' of "://" and the '.' of "www."
 * (autolinks). Where B's last line shows the value opens a Markdown line (B's line so far is
 * empty or only blanks and container markers such as "> " or "- "; also an empty B), also
 * before a first # + - = : and a list number's . or ); after such a line's digits ("1" +
 * ". x"), before a first . or ) with a blank after it; where it opens a table cell (the
 * line's last non-blank byte is '|'), before a first - or : (a delimiter row). So in a
 * sentence ("tăng {{x}}") or a cell ("| {{x}} |") a signed "+24" stays as it is. Leading
 * blanks of a line are dropped (not right after digits); every line break (\n, \r\n, \r)
 * becomes one space, since a cell cannot hold one and a paragraph would split (none while the
 * value has printed nothing at a line start: blanks there would indent it into a code block).
 * E-mail addresses still get autolinked (the extension works after escapes are resolved),
 * their text unchanged. */
void escape_markdown(buf *b, const char *s, size_t len);
/* A URL for href/src: percent-encodes bytes outside the URL-safe set (keeping existing %XX),
 * and HTML-escapes & and '. Returns -1 and appends nothing when the scheme is javascript:,
 * vbscript:, file: or data: (any case, ignoring leading blanks and controls), else 0. */
int escape_url(buf *b, const char *s, size_t len);

#endif
