/*
 * update: build_state_update (build.h), the rebuild after a change in
 * `dossier serve`. It decides between relinking the changed pages in the
 * kept model (relink.h) and writing only the outputs that can change, and
 * a full build; the summary says which and why.
 */
#include "build.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "clock.h"
#include "content.h"
#include "fsutil.h"
#include "history.h"
#include "strbuf.h"
#include "xalloc.h"

/* A page to relink and its new body. */
struct change {
	struct page *p;
	cmark_node *doc;
};

struct plan {
	struct change *v;
	size_t n, cap;
	struct strbuf why; /* why not incremental, or empty */
};

static void plan_free(struct plan *pl)
{
	for (size_t i = 0; i < pl->n; i++)
		if (pl->v[i].doc)
			cmark_node_free(pl->v[i].doc);
	free(pl->v);
	sb_free(&pl->why);
}

static void refuse(struct plan *pl, const char *what, const char *why)
{
	if (!pl->why.size)
		sb_printf(&pl->why, "%s%s%s", what ? what : "", what ? ": " : "", why);
}

/* `path` relative to content/, or NULL when it is not under it. */
static const char *content_rel(const struct build_state *st, const char *path)
{
	size_t n = strlen(st->content);
	if (strncmp(path, st->content, n) || path[n] != '/')
		return NULL;
	return path + n + 1;
}

/* One changed path: a page to relink, nothing (a temporary file that is
 * gone again), or a reason for a full build. */
static void plan_path(struct build_state *st, struct plan *pl, const char *path)
{
	const char *rel = content_rel(st, path);
	if (!rel) {
		refuse(pl, fs_basename(path), "changed (not under content/)");
		return;
	}
	struct stat sb;
	bool exists = lstat(path, &sb) == 0;
	struct page *p = *rel ? site_find_src(&st->s, rel) : NULL;
	if (!p) {
		if (exists)
			refuse(pl, rel, S_ISDIR(sb.st_mode) ? "is a folder that changed" : "was added or is not a page");
		return;
	}
	if (!exists || !S_ISREG(sb.st_mode)) {
		refuse(pl, rel, "was deleted or renamed");
		return;
	}
	for (size_t i = 0; i < pl->n; i++)
		if (pl->v[i].p == p)
			return;
	const char *why = relink_eligible(p);
	if (why) {
		refuse(pl, rel, why);
		return;
	}
	pl->v = xgrow(pl->v, &pl->cap, pl->n + 1, sizeof(*pl->v));
	pl->v[pl->n++] = (struct change){ p, NULL };
}

static void plan_changes(struct build_state *st, struct plan *pl, const char *const *changed,
			 size_t n, bool unknown, struct diag *d)
{
	if (!st->loaded)
		refuse(pl, NULL, "first build");
	else if (!st->usable)
		refuse(pl, NULL, "the last full build had errors");
	if (unknown)
		refuse(pl, NULL, "the watcher lost track of changes");
	for (size_t i = 0; i < n && !pl->why.size; i++)
		plan_path(st, pl, changed[i]);
	/* Errors elsewhere must be reported with this build's. */
	for (size_t i = 0; i < st->nerror_srcs && !pl->why.size; i++) {
		bool here = false;
		for (size_t k = 0; k < pl->n; k++)
			here |= !strcmp(pl->v[k].p->src, st->error_srcs[i]);
		if (!here)
			refuse(pl, st->error_srcs[i], "still has errors");
	}
	for (size_t i = 0; i < pl->n && !pl->why.size; i++) {
		int same = page_reload_body(&st->s, pl->v[i].p, st->content, &pl->v[i].doc, d);
		if (same < 0)
			refuse(pl, pl->v[i].p->src, "its body is over the Markdown parser's limits");
		else if (!same)
			refuse(pl, pl->v[i].p->src, "its front matter changed, or it cannot be read");
	}
	/* An edit can make a committed page differ from HEAD, or (undone) the
	 * same again: its History says so as a full build's would. A commit
	 * since the last full build changed the history itself. */
	if (!pl->why.size && pl->n) {
		const char **paths = xcalloc(pl->n, sizeof(*paths));
		for (size_t i = 0; i < pl->n; i++)
			paths[i] = pl->v[i].p->src;
		int held = history_refresh(st->s.history, st->content, paths, pl->n, d);
		free(paths);
		if (held < 1)
			refuse(pl, NULL, held < 0 ? "git's status cannot be read" : "HEAD moved (a commit, reset or checkout)");
	}
}

static void set_error_srcs(struct build_state *st, const struct diag *d, const struct plan *pl)
{
	for (size_t i = 0; i < st->nerror_srcs; i++)
		free(st->error_srcs[i]);
	st->nerror_srcs = 0;
	if (!d->errors)
		return;
	st->error_srcs = xrealloc(st->error_srcs, (pl->n + 1) * sizeof(*st->error_srcs));
	for (size_t i = 0; i < pl->n; i++)
		st->error_srcs[st->nerror_srcs++] = xstrdup(pl->v[i].p->src);
}

static int full(struct build_state *st, const char *why, struct diag *d, struct build_result *r,
		char **summary)
{
	int rc = build_state_full(st, d, r);
	struct strbuf sb = STRBUF_INIT;
	sb_printf(&sb, "full rebuild (%s): %d pages in %.1f s", why, r->pages, r->seconds);
	*summary = sb_detach(&sb);
	return rc;
}

/* The pages to render now: the pending ones but print.html, which reads
 * every page and waits for the deferred step with the search index. */
static size_t fast_pages(const struct build_state *st, const struct page ***out)
{
	const struct page **v = xcalloc(st->pending.npages + 1, sizeof(*v));
	size_t n = 0;
	for (size_t i = 0; i < st->pending.npages; i++)
		if (st->pending.pages[i]->kind != PAGE_PRINT)
			v[n++] = st->pending.pages[i];
	*out = v;
	return n;
}

/* The deferred step: the outputs that read every page. */
static int catch_up(struct build_state *st, const struct render_stop *stop, struct diag *d,
		    struct build_result *r, char **summary, bool *again)
{
	double t0 = clock_wall();
	r->pages = 0;
	if (!st->deferred || !st->loaded || st->nerror_srcs) {
		r->seconds = 0;
		return 0;
	}
	struct relink_effects fx = { 0 };
	for (size_t i = 0; i < st->s.npages; i++)
		if (st->s.pages[i]->kind == PAGE_PRINT)
			relink_effects_add(&fx, st->s.pages[i]);
	int moved = build_state_write(st, fx.pages, fx.npages, true, stop, d);
	relink_effects_free(&fx);
	r->seconds = clock_wall() - t0;
	if (moved == -2) {
		*summary = xstrdup("search index, data files and print.html: put off by a change");
		*again = true;
		return 0;
	}
	if (moved < 0)
		return -1;
	st->deferred = false;
	struct strbuf sb = STRBUF_INIT;
	sb_printf(&sb, "search index, data files and print.html brought up to date: %d file%s in %.0f ms",
		  moved, moved == 1 ? "" : "s", r->seconds * 1e3);
	*summary = sb_detach(&sb);
	return 0;
}

int build_state_update(struct build_state *st, const char *const *changed, size_t n,
		       bool unknown, const struct render_stop *deferred, struct diag *d,
		       struct build_result *r, char **summary, bool *again)
{
	*again = false;
	if (deferred && !n && !unknown)
		return catch_up(st, deferred, d, r, summary, again);
	double t0 = clock_wall();
	struct plan pl = { .why = STRBUF_INIT };
	plan_changes(st, &pl, changed, n, unknown, d);
	if (!pl.why.size && !pl.n) {
		plan_free(&pl);
		r->pages = 0;
		r->seconds = clock_wall() - t0;
		*summary = xstrdup("no page changed");
		return st->nerror_srcs ? -1 : 0;
	}
	double t1 = clock_wall();
	for (size_t i = 0; i < pl.n && !pl.why.size; i++) {
		const char *why = NULL;
		cmark_node *doc = pl.v[i].doc;
		pl.v[i].doc = NULL;
		if (relink_page(&st->s, st->tr, pl.v[i].p, doc, &st->pending, &why, d) == RELINK_FALLBACK)
			refuse(&pl, pl.v[i].p->src, why);
	}
	if (pl.why.size) {
		/* The diagnostics so far were of a model being replaced. */
		diag_free(d);
		diag_init(d);
		char *why = sb_detach(&pl.why);
		plan_free(&pl);
		int rc = full(st, why, d, r, summary);
		free(why);
		return rc;
	}
	double t2 = clock_wall();
	set_error_srcs(st, d, &pl);
	struct strbuf sb = STRBUF_INIT;
	sb_printf(&sb, "%s%s", pl.v[0].p->src, pl.n > 1 ? " and others" : "");
	int rc = -1;
	if (d->errors) {
		sb_printf(&sb, " relinked with errors in %.0f ms; the last good output stays",
			  (clock_wall() - t0) * 1e3);
	} else {
		const struct page **pages = NULL;
		size_t np = fast_pages(st, &pages);
		int moved = build_state_write(st, pages, np, st->pending.entities_changed, NULL, d);
		free(pages);
		if (moved >= 0) {
			double t3 = clock_wall();
			sb_printf(&sb, " rebuilt incrementally: %d file%s in %.0f ms (read %.0f, relink %.0f, render %.0f, write %.0f)",
				  moved, moved == 1 ? "" : "s", (t3 - t0) * 1e3, (t1 - t0) * 1e3,
				  (t2 - t1) * 1e3, st->render_ms, (t3 - t2) * 1e3 - st->render_ms);
			relink_effects_free(&st->pending);
			st->deferred = true;
			*again = true;
			rc = 0;
		}
	}
	plan_free(&pl);
	r->pages = rc == 0 ? 1 : 0;
	r->seconds = clock_wall() - t0;
	*summary = sb_detach(&sb);
	return rc;
}
