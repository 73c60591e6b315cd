/*
 * site: the site model as a whole.
 *
 * Owns struct site and its destructor site_free(): the configuration
 * (config.h), every page (page.h: front matter, cmark tree, headings,
 * numbered blocks, annotations, claims, relations), the site-wide lists of
 * entities and claims, the external links, the assets, the git history
 * (history.h) and the entity name matcher, and the reverse indexes the link
 * pass fills in (cited-by, mentioned-in, related entities, related-by,
 * shared wording, claims' independent sources). Load fills it, link
 * completes it, render only reads it. Pages are kept sorted by output path
 * and indexed by source path, so every iteration over the model is
 * deterministic.
 */
#ifndef DOSSIER_SITE_H
#define DOSSIER_SITE_H

#include <stdbool.h>
#include <stddef.h>

#include "config.h"
#include "diag.h"
#include "page.h"
#include "value.h"

struct external_link;
struct history;
struct matcher;

struct site {
	const char *dir;            /* site folder (the -C folder), "." by default */
	const char *config_file;    /* "site.toml" */
	const char *content_prefix; /* the site folder within its repository: "" or "docs/" */
	struct config cfg;
	struct page **pages;  /* every page, sorted by output path */
	struct page **by_src; /* pages with a source, sorted by it */
	size_t nby_src;
	size_t npages, cappages;
	struct entity **entities; /* sorted by slug */
	size_t nentities;
	struct claim **claims;
	size_t nclaims;
	struct external_link *external; /* every http(s) link, for --external */
	size_t nexternal, capexternal;
	char **assets; /* other files under content/, relative to it, sorted */
	size_t nassets, capassets;
	char **withheld; /* the other files not published (content.h), sorted */
	size_t nwithheld, capwithheld;
	struct history *history;
	struct matcher *matcher;
	struct name_ref {
		size_t entity;
		const struct value *v; /* the title or alias value */
		bool used;
	} * names; /* in the matcher's name_index order */
	size_t nnames, capnames;
	bool drafts;
	int verbose;
	unsigned jobs;       /* -j: threads that load, link and render (0 or 1: serial) */
	const char *archive; /* build --archive: the zip's name in the output, or NULL */
};

void site_init(struct site *s);
void site_free(struct site *s);
/* A new, zeroed page appended to s->pages. */
struct page *site_add_page(struct site *s);
/* Appends `p` (allocated by the caller; the site owns it from now on). */
void site_append_page(struct site *s, struct page *p);
/* Sorts pages by output path and indexes them by source path; two pages
 * writing the same file is an error naming both. Call after loading and
 * after adding generated pages. */
void site_sort(struct site *s, struct diag *d);
/* By source path relative to content/ ("articles/x.txt"), or NULL. */
struct page *site_find_src(const struct site *s, const char *src);
struct page *site_find_out(const struct site *s, const char *out);
/* Checks the model's invariants after linking (asserts; bugs, not input). */
void site_check(const struct site *s);

#endif
