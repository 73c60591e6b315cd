#include "pagehistory.h"

#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "fsutil.h"
#include "history.h"
#include "strbuf.h"
#include "workq.h"
#include "xalloc.h"

/* Whether change c gets a revision page: one with a diff to show. Not the
 * addition of the file, whose diff would be the whole text again (the page
 * shows it; once changed, the next revision's diff shows what the text
 * was), nor a change that keeps the blob (a pure rename): their History
 * entries say "added", "renamed from" instead (render/revisions.c), and
 * neither reads a blob. */
static bool has_diff(const struct history_change *c)
{
	return c->status != 'A' && strcmp(c->blob, c->old_blob) != 0;
}

/* --- reading blobs on several threads ----------------------------------------
 *
 * A repository handle serves one thread at a time, so the page tasks share
 * a pool of handles, one per thread: the walk's, and others opened on first
 * use. A task takes the first free handle; one that cannot be opened is
 * left unused, and the walk's handle always works, so what a task reports
 * never depends on the thread that ran it. libgit2 shares a pack's cache
 * of delta bases between handles, and the tasks run in page order (by
 * path), which keeps that cache warm: versions of one file, and files of
 * similar names, sit on the same delta chains. */

struct repo_slot {
	pthread_mutex_t lock;
	struct history_repo *repo; /* slot 0: the walk's (borrowed) */
	bool tried, failed;
};

struct repo_pool {
	const char *content;
	struct repo_slot *slots;
	size_t n;
};

static void pool_init(struct repo_pool *rp, const char *content, struct history_repo *walk,
		      unsigned jobs)
{
	rp->content = content;
	rp->n = jobs > 1 ? jobs : 1;
	rp->slots = xcalloc(rp->n, sizeof(*rp->slots));
	for (size_t i = 0; i < rp->n; i++)
		pthread_mutex_init(&rp->slots[i].lock, NULL);
	rp->slots[0].repo = walk;
	rp->slots[0].tried = true;
}

/* A handle for this thread, locked: release it with pool_put. */
static struct repo_slot *pool_get(struct repo_pool *rp)
{
	for (size_t i = 1; i < rp->n; i++) {
		struct repo_slot *sl = &rp->slots[i];
		if (pthread_mutex_trylock(&sl->lock))
			continue;
		if (!sl->tried) {
			struct diag d;
			diag_init(&d);
			sl->tried = true;
			sl->repo = history_repo_open(rp->content, &d);
			sl->failed = !sl->repo;
			diag_free(&d);
		}
		if (!sl->failed)
			return sl;
		pthread_mutex_unlock(&sl->lock);
	}
	pthread_mutex_lock(&rp->slots[0].lock);
	return &rp->slots[0];
}

static void pool_put(struct repo_slot *sl)
{
	pthread_mutex_unlock(&sl->lock);
}

static void pool_free(struct repo_pool *rp)
{
	for (size_t i = 0; i < rp->n; i++) {
		if (i > 0)
			history_repo_free(rp->slots[i].repo);
		pthread_mutex_destroy(&rp->slots[i].lock);
	}
	free(rp->slots);
}

/* The text of a version of page p's file: the file itself for the newest
 * change (the work tree holds that blob unless the file has uncommitted
 * changes, and then its hash tells; reading it is much cheaper than
 * resolving the blob's chain of deltas), else the blob. */
static int version_text(struct repo_pool *rp, const struct page *p, const struct history_change *c,
			const char *hex, char **out, size_t *n, struct diag *d)
{
	if (c == &p->history->changes[0] && hex == c->blob && *hex && fs_rel_is_safe(p->src)) {
		char *file = fs_join(rp->content, p->src);
		int rc = history_blob_from_file(file, hex, out, n);
		free(file);
		if (rc == 0)
			return 0;
	}
	struct repo_slot *sl = pool_get(rp);
	int rc = history_blob(sl->repo, hex, c->path, out, n, d);
	pool_put(sl);
	return rc;
}

/* A version's text kept from one change to the next older one, whose new
 * side is usually the old side just read. */
struct carry {
	char hex[41];
	char *text;
	size_t n;
};

/* The word diff of page p's change c (the blobs freed at once, but for
 * the old side, kept in *k for the next older change). */
static int change_diff(struct repo_pool *rp, const struct page *p, const struct history_change *c,
		       struct carry *k, struct wdiff *w, struct diag *d)
{
	char *old = NULL, *new_ = NULL;
	size_t on = 0, nn = 0;
	int rc = 0;
	if (k->text && !strcmp(k->hex, c->blob)) {
		new_ = k->text;
		nn = k->n;
		k->text = NULL;
	} else {
		rc = version_text(rp, p, c, c->blob, &new_, &nn, d);
	}
	if (rc == 0)
		rc = version_text(rp, p, c, c->old_blob, &old, &on, d);
	if (rc == 0)
		wdiff_compute(w, old, on, new_, nn);
	free(new_);
	free(k->text);
	k->text = old;
	k->n = on;
	memcpy(k->hex, c->old_blob, sizeof(k->hex));
	return rc;
}

/* --- the walk, on a thread of its own ------------------------------------------
 *
 * The walk needs nothing of the pages, only `[history]`: build starts it
 * before loading content/ (pagehistory_start), so the two overlap on two
 * cores, and pagehistory_load waits for it. Its diagnostics are kept and
 * merged where pagehistory_load would have made them, so the output is
 * the same as with the walk made in place (-j 1). */

struct pagehistory_walk {
	char *content;
	char **ignore; /* [history] ignore: its strings (other values were refused by config) */
	size_t nignore;
	bool emails;
	pthread_t thread;
	struct history *h;
	struct history_repo *repo;
	struct diag d;
	int rc;
};

static struct pagehistory_walk *walk_new(const struct site *s, const char *content)
{
	struct pagehistory_walk *w = xcalloc(1, sizeof(*w));
	const struct value *ign = s->cfg.history_ignore;
	size_t n = ign && ign->type == VALUE_ARRAY ? ign->u.a.n : 0;
	w->content = xstrdup(content);
	w->ignore = xcalloc(n + 1, sizeof(*w->ignore));
	for (size_t i = 0; i < n; i++)
		if (ign->u.a.items[i]->type == VALUE_STRING)
			w->ignore[w->nignore++] = xstrdup(ign->u.a.items[i]->u.s.p);
	w->emails = s->cfg.history_emails;
	diag_init(&w->d);
	return w;
}

static void *walk_run(void *arg)
{
	struct pagehistory_walk *w = arg;
	struct history_options ho = { .ignore = (const char *const *)w->ignore,
				      .nignore = w->nignore,
				      .emails = w->emails };
	w->rc = history_load(w->content, &ho, &w->h, &w->repo, &w->d);
	return NULL;
}

/* Frees w and what it holds (the history and the handle, unless taken). */
static void walk_free(struct pagehistory_walk *w)
{
	for (size_t i = 0; i < w->nignore; i++)
		free(w->ignore[i]);
	free(w->ignore);
	free(w->content);
	history_free(w->h);
	history_repo_free(w->repo);
	diag_free(&w->d);
	free(w);
}

struct pagehistory_walk *pagehistory_start(const struct site *s, const char *content)
{
	if (!s->cfg.history_enabled || s->jobs < 2)
		return NULL;
	struct pagehistory_walk *w = walk_new(s, content);
	if (pthread_create(&w->thread, NULL, walk_run, w)) {
		walk_free(w);
		return NULL;
	}
	return w;
}

void pagehistory_abandon(struct pagehistory_walk *w)
{
	if (!w)
		return;
	pthread_join(w->thread, NULL);
	walk_free(w);
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

/* Page p's revision pages, newest first: one for each of its newest
 * `[history] diffs` changes that has a diff to show (has_diff); a change
 * whose blobs cannot be read has none (and the error is in d). */
static int page_revisions(const struct site *s, struct repo_pool *rp, struct page *p,
			  struct diag *d)
{
	const struct history_file *f = p->history;
	size_t n = f ? f->n : 0, max = (size_t)s->cfg.history_diffs;
	int rc = 0;
	if (n > max)
		n = max;
	size_t want = 0;
	for (size_t i = 0; i < n; i++)
		want += has_diff(&f->changes[i]);
	p->revisions = want ? xcalloc(want, sizeof(*p->revisions)) : NULL;
	struct carry k = { .text = NULL };
	for (size_t i = 0; i < n; i++) {
		if (!has_diff(&f->changes[i]))
			continue;
		struct revision *r = &p->revisions[p->nrevisions];
		r->change = &f->changes[i];
		if (change_diff(rp, p, r->change, &k, &r->diff, d) < 0) {
			rc = -1;
			continue;
		}
		r->page = revision_page(p, r);
		p->nrevisions++;
	}
	free(k.text);
	return rc;
}

/* One page's revisions as a task of the parallel loop: what it reports
 * goes to its own diag, merged in page order afterwards. */
struct revisions_result {
	struct diag d;
	int rc;
};

struct pagehistory_diffs {
	struct site *s;
	char *content;
	struct history_repo *repo; /* the walk's handle, slot 0 of the pool */
	struct repo_pool rp;
	struct page **pages; /* the pages with a history, as they were at the start */
	size_t npages;
	struct page **cand; /* the pages with a source, at the start */
	size_t ncand;
	struct revisions_result *res;
	unsigned jobs;
	int rc; /* of the walk */
	bool threaded;
	pthread_t thread;
	/* The walk still running at _start (threaded): the thread above waits
	 * for it, takes its history and says so under `lock`. */
	struct pagehistory_walk *walk;
	struct history *h;
	pthread_mutex_t lock;
	pthread_cond_t cond;
	bool walked, merged;
	/* The diffs, one task per page, taken by the diffs' threads and, once
	 * link is done, by the caller of _finish; `pooled` once the pool
	 * and the loop are ready. */
	struct workq_loop loop;
	bool pooled;
};

static void revisions_task(size_t i, void *arg)
{
	struct pagehistory_diffs *x = arg;
	diag_init(&x->res[i].d);
	x->res[i].rc = page_revisions(x->s, &x->rp, x->pages[i], &x->res[i].d);
}

/* The handles for the diffs' threads and one for _finish's caller. */
static void diffs_ready(struct pagehistory_diffs *x)
{
	pool_init(&x->rp, x->content, x->repo, x->jobs + 1);
	workq_loop_init(&x->loop, x->npages, revisions_task, x);
	x->pooled = true;
}

static void *diffs_run(void *arg)
{
	struct pagehistory_diffs *x = arg;
	workq_loop_run(&x->loop, x->jobs);
	return NULL;
}

/* The walk's result into x: its history (x->h) and handle, and each page
 * of x->cand its file's history. */
static void take_walk(struct pagehistory_diffs *x, struct pagehistory_walk *w)
{
	x->rc = w->rc;
	x->repo = w->repo;
	x->h = w->h;
	w->h = NULL;
	w->repo = NULL;
	if (!x->repo)
		return;
	x->pages = xcalloc(x->ncand + 1, sizeof(*x->pages));
	for (size_t i = 0; i < x->ncand; i++)
		if ((x->cand[i]->history = history_find(x->h, x->cand[i]->src)))
			x->pages[x->npages++] = x->cand[i];
	x->res = xcalloc(x->npages + 1, sizeof(*x->res));
}

/* On a thread of its own while link runs: waits for the walk, gives the
 * pages their history, says the walk is done, then makes the diffs. */
static void *walk_then_diffs(void *arg)
{
	struct pagehistory_diffs *x = arg;
	pthread_join(x->walk->thread, NULL);
	take_walk(x, x->walk);
	if (x->repo)
		diffs_ready(x);
	pthread_mutex_lock(&x->lock);
	x->walked = true;
	pthread_cond_broadcast(&x->cond);
	pthread_mutex_unlock(&x->lock);
	if (x->repo)
		workq_loop_run(&x->loop, x->jobs);
	return NULL;
}

struct pagehistory_diffs *pagehistory_load_start(struct site *s, const char *content,
						 struct pagehistory_walk *w, struct diag *d)
{
	struct pagehistory_diffs *x = xcalloc(1, sizeof(*x));
	pthread_mutex_init(&x->lock, NULL);
	pthread_cond_init(&x->cond, NULL);
	x->s = s;
	x->content = xstrdup(content);
	x->walked = true;
	if (!s->cfg.history_enabled) {
		pagehistory_abandon(w);
		x->merged = true;
		return x;
	}
	x->cand = xcalloc(s->npages + 1, sizeof(*x->cand));
	for (size_t i = 0; i < s->npages; i++)
		if (s->pages[i]->src)
			x->cand[x->ncand++] = s->pages[i];
	/* With two cores or more, the diffs go on a thread of their own
	 * with one core fewer than the build's, while link runs (it reads
	 * neither page->history nor page->revisions) and fills the gaps its
	 * serial steps leave, and _finish's caller takes the pages left when
	 * link is done; -j 1 makes them here. A walk still running is
	 * waited for on that thread too, so that link does not wait. */
	x->jobs = s->jobs > 2 ? s->jobs - 1 : 1;
	if (w && s->jobs >= 2) {
		x->walk = w;
		x->walked = false;
		if (pthread_create(&x->thread, NULL, walk_then_diffs, x) == 0) {
			x->threaded = true;
			return x;
		}
		x->walk = NULL;
		x->walked = true;
		pthread_join(w->thread, NULL);
	} else if (!w) {
		w = walk_new(s, content);
		walk_run(w);
	} else {
		pthread_join(w->thread, NULL);
	}
	diag_merge(d, &w->d);
	x->merged = true;
	take_walk(x, w);
	walk_free(w);
	s->history = x->h;
	x->h = NULL;
	if (!x->repo)
		return x;
	diffs_ready(x);
	x->threaded = s->jobs >= 2 && pthread_create(&x->thread, NULL, diffs_run, x) == 0;
	if (!x->threaded)
		workq_loop_run(&x->loop, s->jobs);
	return x;
}

int pagehistory_load_walked(struct pagehistory_diffs *x, struct diag *d)
{
	if (!x)
		return 0;
	pthread_mutex_lock(&x->lock);
	while (!x->walked)
		pthread_cond_wait(&x->cond, &x->lock);
	pthread_mutex_unlock(&x->lock);
	if (!x->merged) {
		diag_merge(d, &x->walk->d);
		walk_free(x->walk);
		x->walk = NULL;
		x->merged = true;
		x->s->history = x->h;
		x->h = NULL;
	}
	return x->rc;
}

int pagehistory_load_finish(struct pagehistory_diffs *x, struct diag *d)
{
	if (!x)
		return 0;
	pagehistory_load_walked(x, d);
	/* Link is done: this thread takes the pages the diffs' threads
	 * have not reached (so no core waits while one makes the rest). */
	if (x->threaded && x->pooled)
		workq_loop_work(&x->loop);
	if (x->threaded)
		pthread_join(x->thread, NULL);
	if (x->pooled)
		pool_free(&x->rp);
	history_repo_free(x->repo);
	x->repo = NULL;
	int rc = x->rc;
	for (size_t i = 0; i < x->npages; i++) {
		diag_merge(d, &x->res[i].d);
		if (x->res[i].rc < 0)
			rc = -1;
	}
	pthread_mutex_destroy(&x->lock);
	pthread_cond_destroy(&x->cond);
	free(x->res);
	free(x->pages);
	free(x->cand);
	free(x->content);
	free(x);
	return rc;
}

int pagehistory_load(struct site *s, const char *content, struct pagehistory_walk *w,
		     struct diag *d)
{
	return pagehistory_load_finish(pagehistory_load_start(s, content, w, d), d);
}
