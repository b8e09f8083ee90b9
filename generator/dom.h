/*
** The document model: Markdown (cmark-gfm) or HTML text parsed into a libxml2 HTML DOM, the
** one tree that style, layout and both backends read. Elements keep the source line they
** came from (node->line; for Markdown, the line in the .md file) so later stages can point
** at it in messages.
*/
#ifndef BAOCAO_DOM_H
#define BAOCAO_DOM_H

#include <stddef.h>

#include <libxml/HTMLtree.h>
#include <libxml/tree.h>

#include "buf.h"
#include "diag.h"

/* Markdown (CommonMark plus GFM tables, strikethrough, autolinks and the tag filter; raw
 * HTML kept, since template values are escaped upstream) to HTML text, as cmark-gfm renders
 * it. A fenced block with the info string `chart` stays <pre><code class="language-chart">.
 * With SOURCEPOS set, block elements carry data-sourcepos="L:C-L:C" attributes. The caller
 * frees the result; *LEN (if not NULL) is its length. */
char *dom_html_from_markdown(const char *md, size_t len, int sourcepos, size_t *out_len);

/* Parses Markdown MD[0..LEN) into a DOM (html/head/body). NAME is the file name, kept as the
 * document's URL for messages; every node's line is its Markdown source line. Returns NULL
 * after reporting to D on failure. The caller frees the tree with dom_free(). */
xmlDoc *dom_from_markdown(const char *name, const char *md, size_t len, diag *d);

/* Parses HTML (UTF-8, no network access, libxml2's own messages silenced) into a DOM. Line
 * numbers are those of the HTML text. NULL after reporting to D on failure. */
xmlDoc *dom_from_html(const char *name, const char *html, size_t len, diag *d);

/* dom_free(NULL) is a no-op. */
void dom_free(xmlDoc *doc);

/* Borrowed: the <body> element of DOC (NULL when there is none). */
xmlNode *dom_body(xmlDoc *doc);

/* Appends the plain text of N's subtree to OUT: text nodes in document order, an <img>'s alt
 * text, whitespace runs collapsed to one space and trimmed at both ends of what is appended;
 * <script>, <style> and <head> contents are left out. For bookmarks, titles, running heads. */
void dom_plain_text(const xmlNode *n, buf *out);

/* The node after N in document order (pre-order) within the subtree TOP, or NULL: a walk
 * without recursion, since documents may nest deeply. Goes into N's children when N is an
 * element. */
xmlNode *dom_next(const xmlNode *n, const xmlNode *top);

/* Adds BY to the source line of every node of DOC: a document filled from a template starts
 * below the template's front matter, and messages should cite the template's own lines.
 * Lines saturate at 65535 (libxml2 keeps them in 16 bits). */
void dom_shift_lines(xmlDoc *doc, unsigned by);

#endif
