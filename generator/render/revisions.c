/*
 * revisions: a page's revision history as the templates show it, and the
 * revision pages (a word diff of each of the last `[history] diffs`
 * changes that changed the text; an addition or a pure rename has no page,
 * its History entry says "added" or "renamed from") (render/context.h).
 * Load made the revision pages, their paths and their diffs
 * (model/page.h); this file only formats them.
 */
#include "context.h"

#include <stdlib.h>
#include <string.h>

#include "wdiff.h"

/* The path of a rename's old side as the History shows it: relative to
 * the content folder when it was inside it. */
static const char *shown_path(const struct site *s, const char *path)
{
	const char *pre = s->history->prefix;
	size_t n = strlen(pre);
	return n && !strncmp(path, pre, n) ? path + n : path;
}

struct value *history_ctx(const struct site *s, const struct page *p)
{
	struct value *h = value_new_table();
	struct value *entries = value_new_array();
	bool available = s->history && history_available(s->history);
	value_set_bool(h, "unavailable", !available);
	const struct history_file *f = available ? p->history : NULL;
	size_t next = 0; /* p->revisions[next] is the next change's, if any */
	for (size_t i = 0; f && i < f->n; i++) {
		const struct history_change *c = &f->changes[i];
		const struct history_commit *cm = c->commit;
		struct value *e = push_table(entries);
		char date[32], datetime[40];
		history_format_date(cm, date, sizeof date, datetime, sizeof datetime);
		value_set_str(e, "hash", cm->hash);
		value_set_str(e, "short", cm->short_hash);
		value_set_str(e, "date", date);
		value_set_str(e, "datetime", datetime);
		value_set_str(e, "author", cm->author);
		set_email(e, cm);
		value_set_str(e, "subject", cm->subject);
		if (*s->cfg.repo_url) {
			struct strbuf u = STRBUF_INIT;
			sb_printf(&u, "%s/commit/%s", s->cfg.repo_url, cm->hash);
			value_set_str(e, "commit_url", u.ptr);
			sb_free(&u);
		}
		if (next < p->nrevisions && p->revisions[next].change == c)
			set_url(e, "diff_url", p, p->revisions[next++].page->out, NULL);
		/* What a change without a revision page did (pagehistory.c). */
		value_set_bool(e, "added", c->status == 'A');
		value_set_str(e, "renamed_from",
			      c->status == 'R' && c->old_path ? shown_path(s, c->old_path) : "");
	}
	if (f) {
		char date[32], datetime[40];
		if (f->added) {
			history_format_date(f->added, date, sizeof date, datetime, sizeof datetime);
			value_set_str(h, "added", date);
		}
		if (f->updated) {
			history_format_date(f->updated, date, sizeof date, datetime, sizeof datetime);
			value_set_str(h, "updated", date);
		}
		value_set_bool(h, "truncated", f->truncated);
		value_set_bool(h, "uncommitted", f->uncommitted);
	}
	set_list(h, "entries", entries, "has_entries");
	return h;
}

/* One revision page: the model's revision (a change with a diff to show),
 * formatted: the word diff, unchanged stretches collapsed (wdiff.h), a
 * rename's old name, and links to the older and newer revision pages of
 * the same page. */
static int render_revision(const struct site *s, const struct theme *t, const struct page *p,
			   size_t i, const char *out_dir, struct diag *d)
{
	const struct revision *r = &p->revisions[i];
	const struct history_change *c = r->change;
	const struct history_commit *cm = c->commit;
	struct strbuf diff = STRBUF_INIT;
	value_arena_begin(); /* the file's context: one arena (value.h) */
	struct value *ctx = value_new_table();
	common_ctx(s, t, r->page, ctx);
	struct value *pc = value_table_set(ctx, "page", page_ctx(s, r->page, NULL));
	struct value *rv = value_table_set(pc, "revision", value_new_table());
	char date[32], datetime[40];
	history_format_date(cm, date, sizeof date, datetime, sizeof datetime);
	value_set_str(rv, "hash", cm->hash);
	value_set_str(rv, "short", cm->short_hash);
	value_set_str(rv, "date", date);
	value_set_str(rv, "datetime", datetime);
	value_set_str(rv, "author", cm->author);
	set_email(rv, cm);
	value_set_str(rv, "subject", cm->subject);
	value_set_str(rv, "page_title", p->title);
	set_url(rv, "page_url", r->page, p->out, NULL);
	if (*s->cfg.repo_url) {
		struct strbuf u = STRBUF_INIT;
		sb_printf(&u, "%s/commit/%s", s->cfg.repo_url, cm->hash);
		value_set_str(rv, "commit_url", u.ptr);
		sb_free(&u);
	} else {
		value_set_str(rv, "commit_url", "");
	}
	const struct page *older = i + 1 < p->nrevisions ? p->revisions[i + 1].page : NULL;
	const struct page *newer = i > 0 ? p->revisions[i - 1].page : NULL;
	value_set_bool(rv, "has_nav", older || newer);
	if (older)
		set_url(rv, "older_url", r->page, older->out, NULL);
	else
		value_set_str(rv, "older_url", "");
	if (newer)
		set_url(rv, "newer_url", r->page, newer->out, NULL);
	else
		value_set_str(rv, "newer_url", "");
	value_set_str(rv, "renamed_from", c->old_path ? shown_path(s, c->old_path) : "");
	value_set_bool(rv, "has_diff", r->diff.n > 0);
	wdiff_format_html(&diff, &r->diff);
	value_set_str(rv, "diff", diff.ptr);
	int rc = render_ctx(t, "revision", ctx, out_dir, r->page->out, d);
	value_free(ctx);
	value_arena_end();
	sb_free(&diff);
	return rc;
}

int render_revisions(const struct site *s, const struct theme *t, const struct page *p,
		     const char *out_dir, struct diag *d)
{
	int rc = 0;
	for (size_t i = 0; i < p->nrevisions; i++)
		if (render_revision(s, t, p, i, out_dir, d) < 0)
			rc = -1;
	return rc;
}
