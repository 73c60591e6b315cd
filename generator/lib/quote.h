/*
 * quote: quotations in prose that the build verifies (issue 16).
 *
 * Owns finding, in a page's cmark tree, every quotation — text between
 * “ and ” or between two " — that is directly followed, in the same
 * sentence, by a citation link, and deciding whether the quotation occurs
 * in a paragraph, character for character: case, curly and straight
 * quotes and apostrophes as written; only runs of white space count as
 * one space. An ellipsis (… or ...) or a bracketed insertion ("[heavily]")
 * inside the quotation marks a gap: the pieces must occur in order. A
 * comma or full stop closing the quotation (“…world,”) may be the
 * dossier's punctuation rather than the article's.
 *
 * It does not resolve links: the caller says which link nodes are
 * citations (a callback) and looks the cited paragraphs up. "Directly
 * followed" means: the quotation is the last one before the citation, and
 * no sentence ends between them (a '.', '!' or '?' followed by a space
 * and a capital, abbreviations like "U.S." and "e.g." aside) nor another
 * clause starts (a ';', '—' or '–': "the cost "to users" is quantified
 * nowhere; the other report says [](...)" cites for the second clause). Citations
 * separated only by spaces and punctuation form one run; the quotation
 * must occur in one paragraph of the run. Text inside a link that is not
 * a citation counts as prose; code spans do not.
 */
#ifndef DOSSIER_QUOTE_H
#define DOSSIER_QUOTE_H

#include <stdbool.h>
#include <stddef.h>

#include <cmark-gfm.h>

#include "strbuf.h"

struct quote_use {
	char *text;         /* the quotation without its marks (owned) */
	cmark_node *node;   /* the text node holding the opening mark */
	size_t offset;      /* byte offset of the mark in node's literal */
	cmark_node **links; /* the citation run that follows (owned array) */
	size_t nlinks;
};

typedef bool (*quote_is_citation)(cmark_node *link, void *ctx);

/* Every quotation of `doc` followed by a citation run, in document order.
 * Returns their number; free *out with quote_uses_free(). `soft`: a "\n"
 * in a text is a soft line break joined into it, read as a space. */
size_t quote_collect(cmark_node *doc, bool soft, quote_is_citation is_citation, void *ctx,
		     struct quote_use **out);
void quote_uses_free(struct quote_use *u, size_t n);

/* Does `quote` occur in `text` (see above)? */
bool quote_occurs(const char *text, const char *quote);
/* The same comparison with case, quotes and apostrophes folded: the
 * quotation is there, written differently. */
bool quote_occurs_folded(const char *text, const char *quote);
/* The window of `text` (as many words as the quotation has) that shares
 * the most words with it, folded (three points for a word in the same
 * place, two elsewhere in the window); appended to `out`. Returns its
 * score, 0 when no word is shared. */
size_t quote_nearest(const char *text, const char *quote, struct strbuf *out);

#endif
