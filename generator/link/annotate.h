/*
 * annotate: quote-anchored annotations on an article's cmark-gfm tree.
 *
 * Owns finding an annotation's quote in the rendered text of a document (a
 * W3C Web Annotation TextQuoteSelector: quote, optional prefix/suffix) and
 * placing each match in the tree: a mark (a <mark> once rendered) around the
 * quoted text, a numbered reference after it, and the note (an <aside>)
 * after the top-level block that holds the quote. It does not read the article's header, parse or
 * number blocks, or resolve links inside notes: the caller parses each
 * note into a document. It numbers the annotations in reading order (where
 * their quotes start in the text), whatever order they are declared in.
 *
 * Matching is on the document's text: TEXT and CODE content, soft and hard
 * line breaks as a space, leaf blocks inside one top-level block joined by
 * a space (so a quote may run across the paragraphs of one block quote),
 * top-level blocks and the items of a top-level list kept apart (a quote
 * never spans two). Runs of white space count as one space, and curly
 * quotes and apostrophes equal straight ones. The prefix must end right
 * before the match and the suffix start right after it, ignoring white
 * space (and a block boundary) between them and the quote. A quote in a
 * table is an error: cmark-gfm's table cells take no custom inline.
 *
 * Cost: linear in the document plus the quotes and selectors (all are
 * searched in one pass); each mark costs the nodes it covers.
 *
 * The marks, reference and note are the empty CUSTOM_INLINE / CUSTOM_BLOCK
 * nodes markdown_annotation_node() makes; markdown_render writes their tags
 * from the annotation's number (this module writes no HTML). The text
 * itself stays in TEXT nodes (split where the quote starts and ends) and
 * cmark's renderer escapes it. Inline nodes fully inside the quote (emphasis, a
 * whole link) are wrapped as they are; where the quote starts or ends
 * inside one, the <mark> goes inside it, which gives several marks; only
 * the first carries the id. The asides are top-level CUSTOM_BLOCKs: a
 * later pass that numbers an article's blocks must skip them.
 */
#ifndef DOSSIER_ANNOTATE_H
#define DOSSIER_ANNOTATE_H

#include <stddef.h>

#include <cmark-gfm.h>

#include "diag.h"

struct annotation {
	const char *quote, *prefix, *suffix; /* prefix/suffix may be NULL */
	cmark_node *note;                    /* a parsed Markdown document: its children are
			     moved into the aside (the document is left empty,
			     still owned by the caller) */
	const char *file;                    /* the [[annotations]] table's position */
	int line, col;
	int number;            /* out: 1-based, in reading order: ids aN, aN-note */
	cmark_node *block_out; /* out: the top-level block holding the quote
				  (a whole list for a quote in a list item),
				  NULL when the annotation failed */
	cmark_node *leaf_out;  /* out: the innermost block (paragraph,
				  heading) where the quote starts: in a list,
				  its ancestor whose parent is the list is the
				  item to number; NULL when it failed */
	cmark_node *aside_out; /* out: the inserted aside, whose children are
				  the note (so a later pass that rewrites
				  links rewrites them there, and an
				  "Annotations" list renders them from
				  there); NULL when it failed */
};

/* Numbers the annotations in reading order and applies them in that
 * order (notes of one block follow each other in it). Each one whose quote matches nothing,
 * or more than once after its prefix/suffix are taken into account, is
 * reported at its file:line:col and left out; the others are applied.
 * Returns 0 when all were applied, else -1. */
int annotate_apply(cmark_node *doc, struct annotation *a, size_t n,
		   struct diag *d);

#endif
