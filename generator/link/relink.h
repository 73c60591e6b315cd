/*
 * relink: one page linked again in a linked site (`dossier serve`).
 *
 * Owns taking back what one page contributed to the reverse indexes and
 * adding what its new body contributes, in the places a full link pass
 * would have put them, so the model after relink_page is the model a full
 * build of the same tree links. For that it keeps a trace of the full pass
 * (filled by link_site_traced): how many cited-by entries of each page and
 * block came from page links (the rest come from claims, later), and each
 * page's groups of co-occurring entities.
 *
 * What it relinks: a page that is not an article or entity page and has no
 * claims (relink_eligible), whose front matter is unchanged: its links and
 * citations (cited-by of the pages and paragraphs it cites), its headings,
 * its entity mentions and their co-occurrence. It reports which pages'
 * outputs may have changed; it never renders. When the new body changes
 * the headings of a page other pages link to, their link checks and labels
 * would change: it answers RELINK_FALLBACK and the caller rebuilds.
 */
#ifndef DOSSIER_RELINK_H
#define DOSSIER_RELINK_H

#include <stdint.h>

#include "diag.h"
#include "site.h"

/* Separates the groups (one per top-level block) of a page's entities. */
#define LINK_TRACE_GROUP_END SIZE_MAX

struct link_trace;

/* A trace for `s`, whose pages are final (after generated_add). */
struct link_trace *link_trace_new(const struct site *s);
void link_trace_free(struct link_trace *tr);

/* Called by the link pass: after every page's links, and with each page's
 * co-occurrence groups (entity indexes, LINK_TRACE_GROUP_END between
 * groups; owned by the trace from here). */
void link_trace_links_done(struct link_trace *tr, const struct site *s);
void link_trace_set_cooc(struct link_trace *tr, const struct page *p, size_t *groups, size_t n);

/* The link pass's steps for one page (link.c). */
void link_page_prepare(struct page *p);
void link_page_links(struct site *s, struct page *p, struct diag *d);
void link_page_mentions(struct site *s, struct page *p, struct link_trace *tr);
/* Cuts the snippets the entity's page shows that are not cut yet
 * (entity_run_shows_snippets, mentions.h): after its mentions change. */
void link_entity_snippets(struct entity *e);

/* NULL when `p` can be relinked, else why not (for the log line). */
const char *relink_eligible(const struct page *p);

/* The pages whose outputs may differ after a relink (no repeats). */
struct relink_effects {
	const struct page **pages;
	size_t npages, cap;
	bool entities_changed; /* some entity's mentions changed */
};

void relink_effects_add(struct relink_effects *fx, const struct page *p);
void relink_effects_free(struct relink_effects *fx);

enum relink_result {
	RELINK_DONE,
	RELINK_FALLBACK
};

/* Gives `p` the body `doc` (parsed and sanitized as load does; owned from
 * here) and links it again. Diagnostics of the page's links go to `d`, as
 * the full pass reports them. On RELINK_FALLBACK, *why says why and the
 * model must be rebuilt. */
enum relink_result relink_page(struct site *s, struct link_trace *tr, struct page *p,
			       cmark_node *doc, struct relink_effects *fx, const char **why,
			       struct diag *d);

#endif
