/*
 * revisions: a page's revision history as the templates show it, and the
 * revision pages (a word diff of each of the last `[history] diffs`
 * changes) (render/context.h).
 */
#include "context.h"

#include <stdlib.h>
#include <string.h>

#include "context.h"
#include "wdiff.h"

void revision_out(const struct page *p, const struct history_commit *c, struct strbuf *out)
{
	if (*p->section)
		sb_printf(out, "revisions/%s/%s-%s.html", p->section, p->slug, c->short_hash);
	else
		sb_printf(out, "revisions/%s-%s.html", *p->slug ? p->slug : "index", c->short_hash);
}

struct value *history_ctx(const struct site *s, const struct page *p)
{
	struct value *h = value_new_table();
	struct value *entries = value_new_array();
	bool available = s->history && history_available(s->history);
	value_set_bool(h, "unavailable", !available);
	const struct history_file *f = available ? p->history : NULL;
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
		value_set_str(e, "subject", cm->subject);
		if (*s->cfg.repo_url) {
			struct strbuf u = STRBUF_INIT;
			sb_printf(&u, "%s/commit/%s", s->cfg.repo_url, cm->hash);
			value_set_str(e, "commit_url", u.ptr);
			sb_free(&u);
		}
		if ((int)i < s->cfg.history_diffs) {
			struct strbuf out = STRBUF_INIT;
			revision_out(p, cm, &out);
			set_url(e, "diff_url", p, out.ptr, NULL);
			sb_free(&out);
		}
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

int render_revisions(const struct site *s, const struct theme *t, const struct page *p,
		     const char *out_dir, struct diag *d)
{
	const struct history_file *f = p->history;
	int rc = 0;
	for (size_t i = 0; f && i < f->n && (int)i < s->cfg.history_diffs; i++) {
		const struct history_change *c = &f->changes[i];
		char *old = NULL, *new = NULL;
		size_t on = 0, nn = 0;
		if (history_blobs(s->history, c, &old, &on, &new, &nn, d) < 0)
			continue;
		struct strbuf diff = STRBUF_INIT, out = STRBUF_INIT, title = STRBUF_INIT;
		wdiff_html(&diff, old, on, new, nn);
		revision_out(p, c->commit, &out);
		sb_printf(&title, "%s — revision %s", p->title, c->commit->short_hash);
		struct page rp;
		memset(&rp, 0, sizeof rp);
		rp.kind = PAGE_REVISION;
		rp.out = out.ptr;
		rp.section = (char *)"";
		rp.title = title.ptr;
		rp.description = "";
		rp.date = "";
		rp.fm = value_new_table();
		struct value *ctx = value_new_table();
		common_ctx(s, t, &rp, ctx);
		struct value *pc = value_table_set(ctx, "page", page_ctx(s, &rp, NULL));
		struct value *rv = value_table_set(pc, "revision", value_new_table());
		char date[32], datetime[40];
		history_format_date(c->commit, date, sizeof date, datetime, sizeof datetime);
		value_set_str(rv, "hash", c->commit->hash);
		value_set_str(rv, "short", c->commit->short_hash);
		value_set_str(rv, "date", date);
		value_set_str(rv, "datetime", datetime);
		value_set_str(rv, "author", c->commit->author);
		value_set_str(rv, "subject", c->commit->subject);
		value_set_str(rv, "page_title", p->title);
		set_url(rv, "page_url", &rp, p->out, NULL);
		value_set_str(rv, "diff", diff.ptr);
		if (render_ctx(t, "revision", ctx, out_dir, out.ptr, d) < 0)
			rc = -1;
		value_free(ctx);
		value_free(rp.fm);
		sb_free(&diff);
		sb_free(&out);
		sb_free(&title);
		free(old);
		free(new);
	}
	return rc;
}
