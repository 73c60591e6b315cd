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
#include "print.h"
#include "workq.h"
#include "xalloc.h"

/* The render phase's tasks on s->jobs threads: one per page (the page, its
 * revision pages, its paragraph script), and beside them the outputs made
 * from the whole site whose files no page and no content file can write
 * (the search index first: it is the longest task). What a task reports
 * goes to its own diag; the diags are merged in the serial order (pages,
 * then those outputs), so the diagnostics are a serial run's. */
typedef int (*site_output)(const struct site *, const char *, struct diag *);
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

/* The data files (data.h), made beside the pages and kept, to be written
 * after them in their order: a content file may name the same path, and
 * the last write wins. */
struct data_file {
	char *rel;
	struct strbuf bytes;
};
struct data_files {
	struct data_file *v;
	size_t n, cap;
};

static int keep_data_file(void *arg, const char *out_dir, const char *rel, const char *data, size_t len,
			  struct diag *d)
{
	(void)out_dir;
	(void)d;
	struct data_files *f = arg;
	f->v = xgrow(f->v, &f->cap, f->n + 1, sizeof(*f->v));
	struct data_file *x = &f->v[f->n++];
	x->rel = xstrdup(rel);
	x->bytes = (struct strbuf)STRBUF_INIT;
	sb_put(&x->bytes, data, len);
	return 0;
}

static int write_data_file(void *arg, const char *out_dir, const char *rel, const char *data, size_t len,
			   struct diag *d)
{
	(void)arg;
	return write_out(out_dir, rel, data, len, d);
}

/* Writes the kept files in order and frees them; every one is attempted. */
static int write_kept(struct data_files *f, const char *out_dir, struct diag *d)
{
	int rc = 0;
	for (size_t i = 0; i < f->n; i++) {
		if (write_out(out_dir, f->v[i].rel, f->v[i].bytes.ptr ? f->v[i].bytes.ptr : "", f->v[i].bytes.size,
			      d) < 0)
			rc = -1;
		free(f->v[i].rel);
		sb_free(&f->v[i].bytes);
	}
	free(f->v);
	f->v = NULL;
	f->n = f->cap = 0;
	return rc;
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
	struct data_files data;
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
		r->ok = data_write_files(j->s, j->out_dir, keep_data_file, &j->data, &r->d) == 0;
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

/* Returns the pages written; *ok is false if any output failed. The data
 * files are left in *data, their task's diagnostics in *data_d. */
static int render_parallel(const struct site *s, const struct theme *t, const char *out_dir,
			   struct diag *d, bool *ok, struct data_files *data, struct diag *data_d, bool *data_ok)
{
	size_t n = NFIRST + s->npages;
	struct render_job j = { s, t, out_dir, s->history && history_available(s->history), xcalloc(n, sizeof(*j.res)), { NULL, 0, 0 } };
	workq_run(n, s->jobs, render_task, &j);
	int pages = 0;
	*ok = true;
	for (size_t k = 0; k < n; k++) {
		size_t i = k < s->npages ? NFIRST + k : k - s->npages;
		if (i == NBESIDE)
			continue;
		diag_merge(d, &j.res[i].d);
		pages += j.res[i].written;
		*ok = *ok && j.res[i].ok;
	}
	diag_merge(data_d, &j.res[NBESIDE].d);
	*data_ok = j.res[NBESIDE].ok;
	*data = j.data;
	free(j.res);
	return pages;
}

int render_site(const struct site *s, const struct theme *t, const char *out_dir,
		struct diag *d)
{
	context_init(s, print_doc_whole(s));
	int rc = theme_write(t, out_dir, d);
	if (render_root_probe(out_dir, d) < 0)
		rc = -1;
	bool ok, data_ok;
	struct data_files data;
	struct diag data_d;
	diag_init(&data_d);
	int pages = render_parallel(s, t, out_dir, d, &ok, &data, &data_d, &data_ok);
	if (!ok)
		rc = -1;
	/* Then, in this order, the files whose paths content chooses (a
	 * redirect, a content file, a data file may name a page's file, and
	 * the last write wins). Every output is attempted, so one run reports
	 * every error. */
	const site_output after_pages[] = { render_redirects, render_assets };
	for (size_t i = 0; i < sizeof after_pages / sizeof *after_pages; i++)
		if (after_pages[i](s, out_dir, d) < 0)
			rc = -1;
	diag_merge(d, &data_d);
	diag_free(&data_d);
	if (write_kept(&data, out_dir, d) < 0 || !data_ok)
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
