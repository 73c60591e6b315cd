/*
 * render: the render phase's entry point (render.h). Each output kind has
 * its own file in generator/render/ (context.h lists them); this one
 * decides the order they are written in.
 */
#include "render.h"

#include <stdlib.h>

#include "archive.h"
#include "context.h"
#include "data.h"
#include "workq.h"
#include "xalloc.h"

/* One page's outputs (the page, its revision pages, its paragraph script)
 * as one task of the parallel loop: what it reports goes to its own diag,
 * merged in page order afterwards. */
struct page_job {
	const struct site *s;
	const struct theme *t;
	const char *out_dir;
	bool history;
	struct page_result {
		struct diag d;
		bool ok, written;
	} *res;
};

static void render_one(size_t i, void *arg)
{
	struct page_job *j = arg;
	const struct page *p = j->s->pages[i];
	struct page_result *r = &j->res[i];
	diag_init(&r->d);
	r->written = render_page(j->s, j->t, p, j->out_dir, 0, &r->d) == 0;
	r->ok = r->written;
	if (j->history && render_revisions(j->s, j->t, p, j->out_dir, &r->d) < 0)
		r->ok = false;
	if (render_paragraphs(p, j->out_dir, &r->d) < 0)
		r->ok = false;
}

/* Every page on s->jobs threads; diagnostics in page order, as a serial
 * run reports them. Returns the pages written, -1 if any output failed. */
static int render_pages(const struct site *s, const struct theme *t, const char *out_dir,
			struct diag *d)
{
	struct page_job j = { s, t, out_dir, s->history && history_available(s->history),
			      xcalloc(s->npages ? s->npages : 1, sizeof(*j.res)) };
	workq_run(s->npages, s->jobs, render_one, &j);
	int pages = 0;
	bool ok = true;
	for (size_t i = 0; i < s->npages; i++) {
		diag_merge(d, &j.res[i].d);
		pages += j.res[i].written;
		ok = ok && j.res[i].ok;
	}
	free(j.res);
	return ok ? pages : -1;
}

int render_site(const struct site *s, const struct theme *t, const char *out_dir,
		struct diag *d)
{
	context_init(s);
	int rc = theme_write(t, out_dir, d);
	if (render_root_probe(out_dir, d) < 0)
		rc = -1;
	int pages = render_pages(s, t, out_dir, d);
	if (pages < 0)
		rc = -1;
	/* Every output is attempted, so one run reports every error. */
	int (*const outputs[])(const struct site *, const char *, struct diag *) = {
		render_search, render_entities_js, render_feed, render_sitemap,
		render_redirects, render_assets,
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
