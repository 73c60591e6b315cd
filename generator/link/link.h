/*
 * link: the one pass that writes cross-references.
 *
 * Owns everything that connects pages: annotation anchoring and block
 * numbering of articles, heading ids (through markdown.h and anchor.h),
 * internal links and citations (resolved as a forge resolves them, checked
 * and rewritten from source paths to output pages), the entity registry and
 * its mentions (one scan of every page's text for all names), claims, and
 * the reverse indexes: cited-by, mentioned-in, related entities, section
 * membership and order. Issue 16: article relations and their evidence,
 * the `follows` groups (union-find) that make sources dependent, each
 * claim's independent sources and the status rules checked on them,
 * quotations checked against the paragraphs they cite (quote.h), and the
 * wording articles share (wording.h). After it, the model is complete and
 * only read.
 *
 * It stores data and writes no markup: cited-by lists, ids and the marks
 * markdown.h leaves in the trees (entity links, annotations' parts) are
 * turned into HTML by markdown_render, which reads the model through them.
 * Rewriting a link's URL to the output page is the one edit it makes to
 * what a tree says.
 */
#ifndef DOSSIER_LINK_H
#define DOSSIER_LINK_H

#include "diag.h"
#include "site.h"

/* Runs the pass. Bad references are reported; returns -1 only on a
 * system error. */
int link_site(struct site *s, struct diag *d);
struct link_trace;
/* link_site, keeping in `tr` (relink.h) what relink_page needs to take
 * one page's contributions back. */
int link_site_traced(struct site *s, struct diag *d, struct link_trace *tr);
struct theme;
/* Checks the files theme_load listed in the theme's static/ against the
 * pages, content/'s files and each other as link_site checks those
 * (published at a page's path, or under names differing only in letter
 * case or Unicode normalization; a mention list's file), and against
 * `reserved` (NULL-terminated): names the build writes at the output root
 * for itself. Each problem is an error at the file that would replace or
 * be replaced (a theme's over a page's, content/'s over a theme's). Run
 * after link_site, in check as in build, so check reports what build
 * would; files only written by render (atom.xml, data/, search/) are
 * refused when written (theme_write). */
void link_check_theme(const struct site *s, const struct theme *t, const char *const *reserved,
		      struct diag *d);
/* Resolves `url` written in `from` (at line:col) to a page and fragment,
 * as a forge does: the path and fragment are percent-decoded, a query is
 * ignored, a folder means its _index.md, README.md or generated list page.
 * Returns the page, or NULL (reported). *frag is the decoded fragment
 * (owned by the caller) or NULL when the URL has none. */
struct page *link_resolve(const struct site *s, const struct page *from,
			  const char *url, char **frag, int line, int col,
			  struct diag *d);

#endif
