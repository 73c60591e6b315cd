/*
 * render: the render phase's entry point (render.h). Each output kind has
 * its own file in generator/render/ (context.h lists them); this one
 * decides the order they are written in.
 */
#include "render.h"

#include <stdlib.h>
#include <string.h>

#include "archive.h"
#include "context.h"
#include "data.h"
#include "mustache.h"
#include "print.h"
#include "workq.h"
#include "xalloc.h"

/* The render phase's tasks on s->jobs threads: one per page (the page, its
 * revision pages, its paragraph script), and beside them the outputs made
 * from the whole site whose files no page and no content file can write
 * (the search index first: it is the longest task). What a task reports
 * goes to its own diag; the diags are merged in the serial order (pages,
 * then those outputs), so the diagnostics are a serial run's. */
static int search_output(const struct site *s, const struct theme *t, const char *out_dir,
			 struct diag *d)
{
	return render_search(s, t, out_dir, d);
}

static int entities_js_output(const struct site *s, const struct theme *t, const char *out_dir,
			      struct diag *d)
{
	(void)t;
	return render_entities_js(s, out_dir, d);
}

static int feed_output(const struct site *s, const struct theme *t, const char *out_dir,
		       struct diag *d)
{
	(void)t;
	return render_feed(s, out_dir, d);
}

static int sitemap_output(const struct site *s, const struct theme *t, const char *out_dir,
			  struct diag *d)
{
	(void)t;
	return render_sitemap(s, out_dir, d);
}

typedef int (*whole_output)(const struct site *, const struct theme *, const char *, struct diag *);
static const whole_output beside_pages[] = {
	search_output, entities_js_output, feed_output, sitemap_output
};
enum { NBESIDE = sizeof beside_pages / sizeof *beside_pages };

static int by_path(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

void out_paths_sort(struct out_paths *o)
{
	if (o->n)
		qsort(o->v, o->n, sizeof(*o->v), by_path);
}

bool out_paths_has(const struct out_paths *o, const char *rel)
{
	return o && o->n && bsearch(&rel, o->v, o->n, sizeof(*o->v), by_path);
}

bool render_is_archive(const struct site *s, const char *rel)
{
	return s->archive && !strcmp(rel, s->archive);
}

void out_paths_free(struct out_paths *o)
{
	for (size_t i = 0; i < o->n; i++)
		free(o->v[i]);
	free(o->v);
	o->v = NULL;
	o->n = o->cap = 0;
}

/* The data files (data.h) are made and written beside the pages: no page
 * or whole-site output writes their paths, and a redirect or content file
 * with one is written after them and refused (render_assets). Only their
 * paths are kept, for that error, not their bytes (11 MB at 10,000 pages,
 * issue 13). */
static int write_data_file(void *arg, const char *out_dir, const char *rel, const char *data, size_t len,
			   struct diag *d)
{
	struct out_paths *kept = arg;
	if (kept) {
		kept->v = xgrow(kept->v, &kept->cap, kept->n + 1, sizeof(*kept->v));
		kept->v[kept->n++] = xstrdup(rel);
	}
	return write_out(out_dir, rel, data, len, d);
}

struct render_job {
	const struct site *s;
	const struct theme *t;
	const char *out_dir;
	bool history;
	struct task_result {
		struct diag d;
		bool ok, written;
	} * res; /* NBESIDE outputs, the data files, then the pages */
	struct out_paths data;
};
enum { NFIRST = NBESIDE + 1 }; /* the tasks before the pages' */

static void render_task(size_t i, void *arg)
{
	struct render_job *j = arg;
	struct task_result *r = &j->res[i];
	diag_init(&r->d);
	if (i < NBESIDE) {
		r->ok = beside_pages[i](j->s, j->t, j->out_dir, &r->d) == 0;
		return;
	}
	if (i == NBESIDE) {
		r->ok = data_write_files(j->s, j->out_dir, write_data_file, &j->data, &r->d) == 0;
		return;
	}
	const struct page *p = j->s->pages[i - NFIRST];
	r->written = render_page(j->s, j->t, p, j->out_dir, 0, &r->d) == 0;
	r->ok = r->written;
	if (render_entity_files(j->s, j->t, p, j->out_dir, &r->d) < 0)
		r->ok = false;
	if (j->history && render_revisions(j->s, j->t, p, j->out_dir, &r->d) < 0)
		r->ok = false;
	if (render_paragraphs(p, j->out_dir, &r->d) < 0)
		r->ok = false;
}

/* The templates' budget for one build (mustache_budget_reset): a base plus
 * an allowance for each page and revision page. The shipped themes use
 * about 700 steps and 13 kB a page on the 10,000-page bench corpus (11
 * million steps and 209 MB in all, 18,729 steps and 280 kB at most), so a
 * real site stays far below; a template that repeats itself meets it after
 * a few pages at its own per-page limits (mustache.h). */
enum { BUDGET_BASE_STEPS = 100000000,
       BUDGET_PAGE_STEPS = 20000 };
#define BUDGET_BASE_OUTPUT ((size_t)256 << 20)
#define BUDGET_PAGE_OUTPUT ((size_t)256 << 10)

static size_t sat_add_mul(size_t base, size_t per, size_t n)
{
	return n > (SIZE_MAX - base) / per ? SIZE_MAX : base + per * n;
}

static void budget_reset(const struct theme *t, size_t units)
{
	mustache_budget_reset(t->templates, sat_add_mul(BUDGET_BASE_STEPS, BUDGET_PAGE_STEPS, units),
			      sat_add_mul(BUDGET_BASE_OUTPUT, BUDGET_PAGE_OUTPUT, units));
}

/* Past the budget, which pages rendered before it was found depends on the
 * threads, and so would their diagnostics: they are dropped for one error
 * about the build. */
static void budget_report(size_t units, struct diag *d)
{
	diag_error(d, NULL, 0, 0,
		   "the theme's templates take more than %zu steps or %zu bytes of output in all "
		   "to render this site's %zu pages (a section that repeats itself?); the pages' "
		   "own diagnostics are left out",
		   sat_add_mul(BUDGET_BASE_STEPS, BUDGET_PAGE_STEPS, units),
		   sat_add_mul(BUDGET_BASE_OUTPUT, BUDGET_PAGE_OUTPUT, units), units);
}

/* Returns the pages written; *ok is false if any output failed. The data
 * files' paths are left in *data, sorted, their task's diagnostics in
 * *data_d. */
static int render_parallel(const struct site *s, const struct theme *t, const char *out_dir,
			   struct diag *d, bool *ok, struct out_paths *data, struct diag *data_d, bool *data_ok)
{
	size_t n = NFIRST + s->npages;
	struct render_job j = { s, t, out_dir, s->history && history_available(s->history), xcalloc(n, sizeof(*j.res)), { NULL, 0, 0 } };
	size_t units = s->npages;
	for (size_t i = 0; i < s->npages; i++)
		units += j.history ? s->pages[i]->nrevisions : 0;
	budget_reset(t, units);
	workq_run(n, s->jobs, render_task, &j);
	bool over = mustache_budget_exceeded(t->templates);
	if (over)
		budget_report(units, d);
	int pages = 0;
	*ok = !over;
	for (size_t k = 0; k < n; k++) {
		size_t i = k < s->npages ? NFIRST + k : k - s->npages;
		if (i == NBESIDE)
			continue;
		if (over && i >= NFIRST)
			diag_free(&j.res[i].d);
		diag_merge(d, &j.res[i].d);
		pages += j.res[i].written;
		*ok = *ok && j.res[i].ok;
	}
	diag_merge(data_d, &j.res[NBESIDE].d);
	*data_ok = j.res[NBESIDE].ok;
	*data = j.data;
	out_paths_sort(data);
	free(j.res);
	return pages;
}

int render_site(const struct site *s, const struct theme *t, const char *out_dir,
		struct diag *d)
{
	context_init(s, print_doc_whole(s));
	int rc = render_root_probe(out_dir, d) < 0 ? -1 : 0;
	bool ok, data_ok;
	struct out_paths data;
	struct diag data_d;
	diag_init(&data_d);
	int pages = render_parallel(s, t, out_dir, d, &ok, &data, &data_d, &data_ok);
	if (!ok)
		rc = -1;
	/* Then, in this order, the files whose paths the theme or content
	 * chooses: the theme's stylesheets and static files, a redirect, a
	 * file of content/. None replaces a file written before it (an
	 * error); every output is attempted, so one run reports every
	 * error. */
	if (theme_write(t, out_dir, d) < 0)
		rc = -1;
	if (render_redirects(s, out_dir, &data, d) < 0)
		rc = -1;
	if (render_assets(s, out_dir, &data, d) < 0)
		rc = -1;
	diag_merge(d, &data_d);
	diag_free(&data_d);
	out_paths_free(&data);
	if (!data_ok)
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
	context_done();
	return rc < 0 ? -1 : pages;
}

static bool stopped(const struct render_stop *st)
{
	return st && st->fn && st->fn(st->arg);
}

int render_subset(const struct site *s, const struct theme *t, const char *out_dir,
		  const struct page *const *pages, size_t n, bool entities_js,
		  const struct render_stop *site_files, struct diag *d)
{
	context_init(s, print_doc_whole(s));
	budget_reset(t, n);
	int rc = 0;
	/* The search index first: it is the longest, and gives up quickest. */
	if (site_files)
		rc = render_search_until(s, t, out_dir, site_files->fn, site_files->arg, d);
	for (size_t i = 0; i < n && rc == 0; i++)
		if (stopped(site_files))
			rc = -2;
		else if (render_page(s, t, pages[i], out_dir, 0, d) < 0 ||
			 render_entity_files(s, t, pages[i], out_dir, d) < 0 ||
			 render_paragraphs(pages[i], out_dir, d) < 0)
			rc = -1;
	if (rc == 0 && (entities_js || site_files) && render_entities_js(s, out_dir, d) < 0)
		rc = -1;
	if (rc == 0 && stopped(site_files))
		rc = -2;
	if (rc == 0 && site_files && data_write_files(s, out_dir, write_data_file, NULL, d) < 0)
		rc = -1;
	context_done();
	return rc;
}
