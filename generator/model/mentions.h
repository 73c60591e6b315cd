/*
 * mentions: the paging of an entity's mention list (MediaWiki's "What links
 * here"), for link to check and render to write.
 *
 * At most ENTITY_PAGE_SIZE mentioning pages per file: the first file is the
 * entity page itself ("entities/x.html"), the k-th (k >= 2)
 * "entities/x/page-k.html". Snippets only where they help: when at most
 * ENTITY_SNIPPET_PAGES pages mention the entity, each is listed with its
 * snippets; else the ENTITY_TOP_PAGES that mention it most come first, on
 * file 1, with their snippets, and every other page is a compact row (its
 * link and count). At most ENTITY_SNIPPETS_MAX snippets per mentioning page
 * (link cuts only those). Does not own the mentions (the entity,
 * model/page.h), how they are found (link) or shown (render).
 */
#ifndef DOSSIER_MENTIONS_H
#define DOSSIER_MENTIONS_H

#include <stdbool.h>
#include <stddef.h>

#include "site.h"
#include "strbuf.h"

/* Mentioning pages listed per file of an entity's mention list (the most
 * MediaWiki's "What links here" shows at once). */
#define ENTITY_PAGE_SIZE 1000
/* Up to this many mentioning pages, every one shows its snippets. */
#define ENTITY_SNIPPET_PAGES 50
/* Beyond, the pages that mention the entity most, shown with snippets. */
#define ENTITY_TOP_PAGES 5
/* Snippets shown per mentioning page; the others are counted. */
#define ENTITY_SNIPPETS_MAX 3

/* Files of the entity's mention list: 1 when no more than
 * ENTITY_PAGE_SIZE pages mention it. */
size_t entity_files(const struct entity *e);
/* The output path of file k (1-based) of the entity's mention list. */
void entity_file_out(const struct entity *e, size_t k, struct strbuf *out);
/* The entity whose mention list has a file `k` >= 2 at output path
 * `out`, or NULL (so a content page, asset or redirect writing the same
 * file can be reported). */
const struct entity *entity_file_owner(const struct site *s, const char *out, size_t *k);

/* One mentioning page: its mentions are consecutive in the entity's array
 * (site.h), `count` of them from `first`. */
struct mention_run {
	const struct mention *first;
	size_t count;
};

/* The entity's mentioning pages in the order its files list them
 * (above): when more than ENTITY_SNIPPET_PAGES pages mention it, the
 * ENTITY_TOP_PAGES that mention it most come first (*top of them, most
 * first); then every other page by section and output path. One pass to
 * group, a sort only when the mentions are not in that order already (a
 * build records them in page order; a live edit moves a page's to the
 * end), a selection for the top. */
struct mention_run *mention_list(const struct entity *e, size_t *n, size_t *top);
/* Whether entry i of an entity's mention list (mention_list: `nruns`
 * entries, the first `top` of them its top) is shown with its snippets:
 * the one rule render shows them by and link cuts them by. */
bool entity_run_shows_snippets(size_t nruns, size_t top, size_t i);

#endif
