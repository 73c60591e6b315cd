#include "pagehistory.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "history.h"
#include "strbuf.h"
#include "workq.h"
#include "xalloc.h"

/* [history] ignore: its strings (other values were refused by config). */
static int read_history(struct site *s, const char *content, struct history_repo **repo,
			struct diag *d)
{
	const struct value *ign = s->cfg.history_ignore;
	size_t n = ign && ign->type == VALUE_ARRAY ? ign->u.a.n : 0;
	const char **v = xcalloc(n + 1, sizeof(*v));
	size_t k = 0;
	for (size_t i = 0; i < n; i++)
		if (ign->u.a.items[i]->type == VALUE_STRING)
			v[k++] = ign->u.a.items[i]->u.s.p;
	struct history_options ho = { .ignore = v, .nignore = k, .emails = s->cfg.history_emails };
	int rc = history_load(content, &ho, &s->history, repo, d);
	free(v);
	return rc;
}

/* Where the revision page of page p at commit c goes. */
static char *revision_out(const struct page *p, const struct history_commit *c)
{
	struct strbuf out = STRBUF_INIT;
	if (*p->section)
		sb_printf(&out, "revisions/%s/%s-%s.html", p->section, p->slug, c->short_hash);
	else
		sb_printf(&out, "revisions/%s-%s.html", *p->slug ? p->slug : "index", c->short_hash);
	return sb_detach(&out);
}

/* The page of revision r: generated (no source), in no section, titled
 * after the page it belongs to. */
static struct page *revision_page(const struct page *p, struct revision *r)
{
	struct strbuf title = STRBUF_INIT;
	sb_printf(&title, "%s — revision %s", p->title, r->change->commit->short_hash);
	r->title = sb_detach(&title);
	struct page *rp = xcalloc(1, sizeof(*rp));
	rp->kind = PAGE_REVISION;
	rp->out = revision_out(p, r->change->commit);
	rp->section = xstrdup("");
	rp->title = r->title;
	rp->description = "";
	rp->date = "";
	rp->fm = value_new_table();
	return rp;
}

/* Pages' revisions are made on s->jobs threads (pagehistory_load), and
 * libgit2 objects serve one thread at a time: the blobs are read under this
 * lock, the word diffs (most of the work) are made outside it. */
static pthread_mutex_t repo_lock = PTHREAD_MUTEX_INITIALIZER;

/* The word diff of change c, from its blobs (freed at once). */
static int revision_diff(const struct history_repo *repo, const struct history_change *c,
			 struct wdiff *w, struct diag *d)
{
	char *old = NULL, *new_ = NULL;
	size_t on = 0, nn = 0;
	pthread_mutex_lock(&repo_lock);
	int rc = history_blobs(repo, c, &old, &on, &new_, &nn, d);
	pthread_mutex_unlock(&repo_lock);
	if (rc == 0)
		wdiff_compute(w, old, on, new_, nn);
	free(old);
	free(new_);
	return rc;
}

/* Page p's revision pages, newest first; a change whose blobs cannot be
 * read has none (and the error is in d). */
static int page_revisions(const struct site *s, const struct history_repo *repo, struct page *p,
			  struct diag *d)
{
	const struct history_file *f = p->history;
	size_t n = f ? f->n : 0, max = (size_t)s->cfg.history_diffs;
	int rc = 0;
	if (n > max)
		n = max;
	p->revisions = n ? xcalloc(n, sizeof(*p->revisions)) : NULL;
	for (size_t i = 0; i < n; i++) {
		struct revision *r = &p->revisions[p->nrevisions];
		r->change = &f->changes[i];
		if (revision_diff(repo, r->change, &r->diff, d) < 0) {
			rc = -1;
			continue;
		}
		r->page = revision_page(p, r);
		p->nrevisions++;
	}
	return rc;
}

/* One page's revisions as a task of the parallel loop: what it reports
 * goes to its own diag, merged in page order afterwards. */
struct revisions_job {
	const struct site *s;
	const struct history_repo *repo;
	struct revisions_result {
		struct diag d;
		int rc;
	} * res;
};

static void revisions_task(size_t i, void *arg)
{
	struct revisions_job *j = arg;
	struct page *p = j->s->pages[i];
	diag_init(&j->res[i].d);
	if (p->history)
		j->res[i].rc = page_revisions(j->s, j->repo, p, &j->res[i].d);
}

int pagehistory_load(struct site *s, const char *content, struct diag *d)
{
	if (!s->cfg.history_enabled)
		return 0;
	struct history_repo *repo = NULL;
	int rc = read_history(s, content, &repo, d);
	if (!repo)
		return rc;
	for (size_t i = 0; i < s->npages; i++)
		if (s->pages[i]->src)
			s->pages[i]->history = history_find(s->history, s->pages[i]->src);
	struct revisions_job j = { s, repo, xcalloc(s->npages + 1, sizeof(*j.res)) };
	workq_run(s->npages, s->jobs, revisions_task, &j);
	for (size_t i = 0; i < s->npages; i++) {
		diag_merge(d, &j.res[i].d);
		if (j.res[i].rc < 0)
			rc = -1;
	}
	free(j.res);
	history_repo_free(repo);
	return rc;
}
