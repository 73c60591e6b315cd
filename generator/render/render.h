/*
 * render: page -> template context -> file.
 *
 * Owns the template context (documented in themes/README.md): it turns a
 * read-only, linked site model into one value tree per page, renders it
 * with the theme's templates, and writes every output file under the
 * (temporary) output folder: pages, redirects, the search index, the Atom
 * feed and the sitemap. Every URL in a context is relative to the page it
 * is rendered for, so the site works from file:// and any sub-path.
 */
#ifndef DOSSIER_RENDER_H
#define DOSSIER_RENDER_H

#include <stdbool.h>

#include "diag.h"
#include "site.h"

struct theme;

/* Writes every page and generated file of `s` under `out_dir`. Returns
 * the number of pages written, or -1 after reporting errors. */
int render_site(const struct site *s, const struct theme *t,
		const char *out_dir, struct diag *d);

/* Asked during long work whether to give up (NULL fn: never). */
struct render_stop {
	bool (*fn)(void *arg);
	void *arg;
};

/* Writes only `pages` (with their paragraph scripts) under `out_dir`,
 * entities.js with `entities_js` (it reads the mention counts), and with
 * `site_files` (which implies entities.js) the files every page's text feeds
 * (the search index and the data files), for `dossier serve` after a
 * relink; those give up as soon as site_files->fn says so (-2, nothing
 * reported). The theme's files, feeds, sitemap, redirects, assets, history
 * pages and the archive are not written. Returns 0, -2, or -1 after
 * reporting errors. */
int render_subset(const struct site *s, const struct theme *t, const char *out_dir,
		  const struct page *const *pages, size_t n, bool entities_js,
		  const struct render_stop *site_files, struct diag *d);

#endif
