/*
 * print: print.html, the whole dossier in one document, for printing or a
 * PDF (as mdBook's print page).
 *
 * Owns the reading order of that document (the home page, then the pages
 * of the topics, articles and entities sections in their lists' order) and
 * the relocation of a page's rendered HTML into it: every id gets the
 * page's prefix ("pg-articles-x-html--p4"), references to ids (aria-*,
 * for, data-note) follow, and internal links become fragments of the
 * document when their target is in it, or URLs from the output root when
 * not. It rewrites only attribute values of the tags in HTML the generator
 * rendered itself (cmark's output and its own custom nodes); text is
 * copied as it is.
 *
 * A dossier of more than PRINT_MAX_PAGES pages in that order gets no
 * whole document (a browser cannot lay out or print one of tens of MB):
 * print.html is then its contents alone, each entry linking to the page's
 * own file (which prints without the site's navigation), and the footers
 * do not offer it.
 */
#ifndef DOSSIER_PRINT_H
#define DOSSIER_PRINT_H

#include <stdbool.h>
#include <stddef.h>

#include "site.h"
#include "strbuf.h"

/* Pages print.html holds whole (mdBook's print page is a book's, of some
 * hundreds of pages); beyond, it is a table of contents. */
#define PRINT_MAX_PAGES 1000

struct print_doc {
	const struct page **pages; /* reading order */
	size_t n;
	const struct page **sorted; /* by address, for membership */
};

/* The pages of print.html in reading order. */
void print_doc_init(struct print_doc *pd, const struct site *s);
void print_doc_free(struct print_doc *pd);
bool print_doc_has(const struct print_doc *pd, const struct page *p);
/* The pages of print.html (print_doc_init's n), counted without a list. */
size_t print_doc_count(const struct site *s);
/* Whether print.html holds every page whole (at most PRINT_MAX_PAGES). */
bool print_doc_whole(const struct site *s);

/* The id of page `p`'s part of the document: "pg-" and its output path
 * with every other byte than [A-Za-z0-9_-] as '-'. */
void print_page_id(const struct page *p, struct strbuf *out);

/* Appends `html`, rendered for page `p`, relocated into print.html (which
 * sits at the output root). */
void print_relocate(const struct site *s, const struct print_doc *pd, const struct page *p,
		    const char *html, struct strbuf *out);

#endif
