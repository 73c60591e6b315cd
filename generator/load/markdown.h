/*
 * markdown: cmark-gfm parsing and the AST passes that belong to one page.
 *
 * Owns how Markdown becomes a tree (GitHub's extensions: tables, footnotes,
 * strikethrough, autolinks, task lists), the safety pass (raw HTML removed
 * and dangerous URLs reported unless the configuration opts in), heading
 * ids (anchor.h's GitHub slugs), article block numbering (p1..pN), and the
 * final pass that gives headings and numbered blocks their ids, paragraph
 * links and cited-by trails. It never looks at other pages: cross-page
 * work is the link pass's.
 *
 * One rendering path: every page is rendered by cmark's HTML renderer.
 * Nodes that carry an id keep their cmark type and place in the tree (so a
 * tight list stays tight and a task item keeps its checkbox); a private
 * syntax extension writes their opening tag with the id. Generated markup
 * (trails, wrappers around blocks that cannot carry an id) is inserted as
 * CUSTOM_BLOCK / CUSTOM_INLINE nodes built with html.h's escaping; user
 * text stays in TEXT nodes, so cmark's renderer escapes it. No pass frees a
 * node whose children survive it (inline literals borrow their block's
 * text until rendered).
 */
#ifndef DOSSIER_MARKDOWN_H
#define DOSSIER_MARKDOWN_H

#include <stdbool.h>
#include <stddef.h>

#include <cmark-gfm.h>

#include "diag.h"
#include "page.h"
#include "strbuf.h"

/* Parses Markdown with the GFM extensions. Never NULL. */
cmark_node *markdown_parse(const char *md, size_t len);
/* Unless `unsafe`: removes raw HTML nodes and reports each one, and each
 * link or image URL cmark's renderer will blank (url_is_dangerous), as a
 * warning at its position in p's file — or at line:col when line > 0 (the
 * front-matter value the tree was parsed from, e.g. an annotation note). */
void markdown_sanitize(cmark_node *doc, bool unsafe, const struct page *p,
		       int line, int col, struct diag *d);
/* Fills p->headings with ids; `number_blocks` uses pN ids (articles). */
void markdown_collect_headings(struct page *p);
/* Articles: numbers top-level blocks and list items (at every depth) into
 * p->blocks. */
void markdown_number_blocks(struct page *p);
/* The number of the block `node` is (1-based), or 0: O(1). */
int markdown_block_number(cmark_node *node);
/* Turns headings and numbered blocks into id-carrying custom nodes, with
 * paragraph links and cited-by trails (needs the link pass's results). */
void markdown_finalize(struct page *p);
/* Turns soft line breaks into "\n" text and merges adjacent text, so a
 * name broken across source lines is one string for the entity scan. The
 * HTML is unchanged: cmark renders a soft break as "\n" too. */
void markdown_join_lines(cmark_node *doc);
/* Renders a tree to HTML (caller frees). */
char *markdown_render(cmark_node *doc, bool unsafe);
/* The plain text of a subtree (TEXT, CODE; breaks as spaces). */
void markdown_text(cmark_node *node, struct strbuf *out);
/* A custom inline / block node with the given literal open and close. */
cmark_node *markdown_custom(cmark_node_type type, const char *enter,
			    const char *exit);
/* The source line of a node, mapped to the page's file. */
int markdown_line(const struct page *p, cmark_node *node);
int markdown_col(const struct page *p, cmark_node *node);

#endif
