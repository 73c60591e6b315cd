/*
 * independence: the template context of how the sources depend on one
 * another (issue 16).
 *
 * Owns turning what the link pass recorded — the relations articles
 * declare (`[[relations]]`), the wording two articles share, and each
 * claim's articles grouped by `follows` — into template values: an
 * article's relations with their evidence and its shared passages, a
 * claim's source and independent-source counts with the relations that
 * make two sources one, and the site-wide source groups. Render calls it;
 * it reads the model through const pointers and writes no file. Every URL
 * is relative to the page being rendered. The variables are documented in
 * themes/README.md.
 */
#ifndef DOSSIER_INDEPENDENCE_H
#define DOSSIER_INDEPENDENCE_H

#include "site.h"
#include "value.h"

/* Adds relations, has_relations, shared, has_shared to an article's page
 * context `v`. */
void independence_article(const struct page *p, struct value *v);
/* Adds articles, narticles, independent, has_dependence, dependence,
 * contradicts and has_contradicts to the context `v` of claim `c`, and a
 * `disagrees` flag to each of `sources` (one table per resolved source). */
void independence_claim(const struct page *from, const struct claim *c, struct value *v,
			struct value *sources);
/* The source groups of the site: {articles, independent, groups: [{
 * articles: [{title, short, url}], relations: [...], single }]}. */
struct value *independence_site(const struct site *s, const struct page *from);

#endif
