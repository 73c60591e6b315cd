/*
 * markdown: cmark-gfm trees, from parsing to HTML.
 *
 * Owns how Markdown becomes a tree (GitHub's extensions: tables, footnotes,
 * strikethrough, autolinks, task lists), the safety pass (raw HTML removed
 * and dangerous URLs reported unless the configuration opts in), heading
 * ids (anchor.h's GitHub slugs), article block numbering (p1..pN), and the
 * rendering of a tree to HTML. It never looks at other pages while the
 * passes run: cross-page work is the link pass's, and it only stores data.
 *
 * Two halves with one boundary. The passes (parsing, sanitizing, numbering,
 * heading ids; numbering and heading ids run from link, as do annotate.h
 * and the entity scan) shape the tree and leave marks in nodes' user data:
 * each heading and numbered block is handed to a private syntax
 * extension, the paragraph that ends an item or quote is marked as the
 * place of its paragraph link, a block that cannot carry an id (code,
 * table, rule, raw HTML) moves into an empty wrapper, and annotations'
 * marks, references and notes are empty custom nodes made here
 * (markdown_annotation_node); a TEXT node holding entity names carries
 * them as data (markdown_link_mentions). A mark points to its page (a
 * TEXT node's names also to their entities). markdown_render() then
 * writes, from the model through const pointers, what the marks stand for:
 * the tags and ids, the paragraph links, the cited-by lists
 * (page->blocks[].cited_by, filled by link), the entity links' relative
 * URLs. Rendering writes nothing to the tree or the model, so a page
 * renders to the same bytes every time and pages render in parallel.
 *
 * Why one module: cmark_render_html() hands an extension's callback no
 * user data (and the renderer's opaque field is the table extension's), so
 * the callback reaches the model through the marks, and the extension a
 * node is handed to must exist when the passes mark it; render/ may include
 * this header, load/ no render/ one (generator/README.md).
 *
 * One rendering path: every page is rendered by cmark's HTML renderer.
 * Marked nodes keep their cmark type and place in the tree (so a tight list
 * stays tight and a task item keeps its checkbox). User text stays in TEXT
 * nodes, so cmark's renderer escapes it; generated text is escaped with
 * html.h; no generated node holds literal markup. No pass frees a node whose
 * children survive it (inline literals borrow their block's text until
 * rendered).
 */
#ifndef DOSSIER_MARKDOWN_H
#define DOSSIER_MARKDOWN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <cmark-gfm.h>

#include "diag.h"
#include "page.h"
#include "strbuf.h"

/* Parses Markdown with the GFM extensions. Never NULL. Safe on several
 * threads at once when markdown_parse_parallel() is true. Soft line
 * breaks are joined into the texts (markdown_join_lines) unless a text
 * holds a "\n" of its own (markdown_lines_joined says). */
cmark_node *markdown_parse(const char *md, size_t len);
/* A new node for the tree of `near`, with its allocator: cmark joins only
 * nodes of one allocator, and the trees markdown_parse makes have the
 * node pool's (nodepool.h), cmark_node_new's default one. */
cmark_node *markdown_node_new(cmark_node_type type, cmark_node *near);
/* markdown_parse of a body of `p` (`note`: of that annotation's note)
 * that keeps mdlimits' limits, under which the parse is linear. A body
 * over one is reported, each limit at its place in p's file, and parses
 * as an empty document: the build fails with its errors, not after
 * minutes of the parser. */
cmark_node *markdown_parse_within(const struct page *p, const struct annotation_entry *note,
				  const char *md, size_t len, struct diag *d);
/* Whether parses may run on several threads: cmark-gfm 0.29 shares its
 * table of special inline characters between parsers, and this module's
 * fix for that (markdown.c, "parsing on several threads") is in effect. */
bool markdown_parse_parallel(void);
/* Unless `unsafe`: removes raw HTML nodes and reports each one, and each
 * link or image URL cmark's renderer will blank (url_is_dangerous), as a
 * warning at its position in p's file: in p's body, or in the TOML string
 * of the annotation of p whose note `doc` is. */
void markdown_sanitize(cmark_node *doc, bool unsafe, const struct page *p, struct diag *d);
/* Fills p->headings with ids (a numbered heading's is its pN) and hands
 * each heading to the extension that writes its id. */
void markdown_collect_headings(struct page *p);
/* Articles: numbers top-level blocks and list items (at every depth) into
 * p->blocks and readies each for rendering with its id, paragraph link and
 * cited-by list (a wrapper for a block that cannot carry an id). Runs once
 * the tree's blocks are final (after annotate_apply). */
void markdown_number_blocks(struct page *p);
/* The number of the block `node` is (1-based), or 0: O(1). */
int markdown_block_number(cmark_node *node);
/* Turns soft line breaks into "\n" text and merges adjacent text, so a
 * name broken across source lines is one string for the entity scan. The
 * HTML is unchanged: cmark renders a soft break as "\n" too. A parse has
 * done it already (markdown_lines_joined); it still merges the texts the
 * passes left adjacent. */
void markdown_join_lines(cmark_node *doc);
/* Renders a tree to HTML (caller frees), with what its marks stand for
 * (see above); reads the tree and the pages its marks point to only. */
char *markdown_render(cmark_node *doc, bool unsafe);
/* A URL of a page's tree as a file elsewhere needs it: `url` is a link's,
 * image's or entity link's URL as the page holds it (relative to the
 * page, percent-encoded); returns the one to write instead (owned), or
 * NULL to keep it. */
typedef char *markdown_url_fn(const char *url, void *arg);
/* markdown_render of the subtree `node` as it stands in a file other than
 * its page (an annotation's note in annotations.jsonld): each link, image
 * and entity link URL goes through `fn`. It renders a copy with the URLs
 * replaced, then frees it; the tree is unchanged, as markdown_render
 * leaves it. */
char *markdown_render_urls(cmark_node *node, bool unsafe, markdown_url_fn *fn, void *arg);
/* The plain text of a subtree (TEXT, CODE; breaks as spaces). */
void markdown_text(cmark_node *node, struct strbuf *out);
/* The same text as the passes before the mention scan read it: a line
 * break joined at parse (below) is a space too. */
void markdown_source_text(const struct page *p, cmark_node *node, struct strbuf *out);
/* Whether document `doc` (a tree's root) had its soft line breaks joined
 * at parse (markdown_parse does, unless a text holds a "\n" of its own):
 * each "\n" of its texts is then a soft break. */
bool markdown_lines_joined(cmark_node *doc);
/* Where byte `offset` of TEXT node `node`'s literal is in p's file (a
 * joined text remembers where each of its lines started). */
void markdown_pos(const struct page *p, cmark_node *node, size_t offset, int *line, int *col);
/* Drops what a TEXT node remembers of its lines (a pass that cuts its
 * literal makes it wrong: positions are then the node's own). */
void markdown_forget_lines(cmark_node *node);
/* The parts of annotation n that annotate.h places in a tree: a mark
 * around (part of) its quotation (`first`: the one carrying its id "aN"),
 * the numbered reference after the quotation, the note (a custom block,
 * "aN-note"). Written by markdown_render from the number alone. The node
 * is made with the allocator of `near`, a node of the tree it is to join
 * (cmark joins only nodes of one allocator, nodepool.h). */
enum markdown_note_part {
	MARKDOWN_NOTE_MARK,
	MARKDOWN_NOTE_REF,
	MARKDOWN_NOTE
};
cmark_node *markdown_annotation_node(enum markdown_note_part part, int n, bool first, cmark_node *near);
/* The number of the annotation whose note (MARKDOWN_NOTE) `node` is, or 0:
 * O(1). */
int markdown_note_number(cmark_node *node);
/* An entity name in a TEXT node's literal, bytes [start, end), to link to
 * entity's page. */
struct markdown_mention {
	uint32_t start, end;
	const struct entity *entity;
};
/* Links the names v[0, n) (in order, not overlapping) of TEXT node `text`
 * on page `from` to their entities' pages: they are kept as data on the
 * node (no node is split or added: about 200 bytes of nodes a mention
 * less, issue 13), and markdown_render writes each as an entity link,
 * relative to from's page, while it writes the text. Returns false and
 * changes nothing where no inline may wrap a name (directly in a table
 * cell, which holds no custom inline): the names stay plain text. */
bool markdown_link_mentions(cmark_node *text, const struct page *from,
			    const struct markdown_mention *v, size_t n);
/* Whether `node` is an annotation reference (a link). */
bool markdown_is_link(cmark_node *node);
/* The source line of a node, mapped to the page's file. */
int markdown_line(const struct page *p, cmark_node *node);
int markdown_col(const struct page *p, cmark_node *node);

#endif
