/*
 * render: the render phase's entry point (render.h). Each output kind has
 * its own file in generator/render/ (context.h lists them); this one
 * decides the order they are written in.
 */
#include "render.h"

#include "archive.h"
#include "context.h"
#include "data.h"

int render_site(const struct site *s, const struct theme *t, const char *out_dir,
		struct diag *d)
{
	context_init(s);
	int rc = theme_write(t, out_dir, d);
	if (render_root_probe(out_dir, d) < 0)
		rc = -1;
	int pages = 0;
	bool history = s->history && history_available(s->history);
	for (size_t i = 0; i < s->npages; i++) {
		if (render_page(s, t, s->pages[i], out_dir, 0, d) < 0)
			rc = -1;
		else
			pages++;
		if (history && render_revisions(s, t, s->pages[i], out_dir, d) < 0)
			rc = -1;
		if (render_paragraphs(s->pages[i], out_dir, d) < 0)
			rc = -1;
	}
	/* Every output is attempted, so one run reports every error. */
	int (*const outputs[])(const struct site *, const char *, struct diag *) = {
		render_search, render_entities_js, render_feed, render_sitemap,
		render_redirects, render_assets
	};
	for (size_t i = 0; i < sizeof outputs / sizeof *outputs; i++)
		if (outputs[i](s, out_dir, d) < 0)
			rc = -1;
	if (data_write_files(s, out_dir, write_out, d) < 0)
		rc = -1;
	/* The archive holds the site as rendered so far, so its own home
	 * page has no link to a file it cannot contain; then the published
	 * home page gets the link. */
	const struct page *home = s->archive && rc == 0 ? site_find_out(s, "index.html") : NULL;
	if (home) {
		static const char *const skip[] = { ".dossier-output", NULL };
		long bytes = archive_write(out_dir, s->archive, skip, d);
		if (bytes < 0 || render_page(s, t, home, out_dir, bytes, d) < 0)
			rc = -1;
	}
	return rc < 0 ? -1 : pages;
}
