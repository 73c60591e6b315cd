/*
 * changes: the outputs of the site's change list: the changes page's
 * context (commits by day, with the pages each touched) and the Atom feed
 * atom.xml (render/context.h).
 */
#include "context.h"

#include <string.h>

#include "fsutil.h"
#include "html.h"

/* The page a change belongs to: its file's current path, relative to
 * content/ like a page's source. */
static const struct page *page_of_change(const struct site *s, const struct history_change *c)
{
	return c->file ? site_find_src(s, c->file->path) : NULL;
}

/* The changes page: the commits that touched content/, newest first, by
 * day; one entry per commit with the pages it touched. */
void render_changes_ctx(const struct site *s, const struct page *p, struct value *pc)
{
	struct value *days = value_new_array();
	const struct history_change *const *all = NULL;
	size_t n = s->history && history_available(s->history) ? history_all(s->history, &all) : 0;
	struct value *day = NULL, *commits = NULL, *pages = NULL;
	const struct history_commit *cur = NULL;
	size_t ncommits = 0;
	for (size_t i = 0; i < n && i < 500; i++) {
		const struct history_change *c = all[i];
		const struct page *target = page_of_change(s, c);
		char date[32], datetime[40];
		history_format_date(c->commit, date, sizeof date, datetime, sizeof datetime);
		if (!day || strcmp(value_get_str(day, "date", ""), date)) {
			day = push_table(days);
			value_set_str(day, "date", date);
			commits = value_table_set(day, "commits", value_new_array());
			cur = NULL;
		}
		if (c->commit != cur) {
			cur = c->commit;
			ncommits++;
			struct value *e = push_table(commits);
			value_set_str(e, "time", datetime + 11);
			value_set_str(e, "datetime", datetime);
			value_set_str(e, "subject", c->commit->subject);
			value_set_str(e, "author", c->commit->author);
			set_email(e, c->commit);
			value_set_str(e, "short", c->commit->short_hash);
			value_set_str(e, "hash", c->commit->hash);
			if (*s->cfg.repo_url) {
				struct strbuf u = STRBUF_INIT;
				sb_printf(&u, "%s/commit/%s", s->cfg.repo_url, c->commit->hash);
				value_set_str(e, "commit_url", u.ptr);
				sb_free(&u);
			}
			pages = value_table_set(e, "pages", value_new_array());
		}
		struct value *pg = push_table(pages);
		value_set_str(pg, "title", target ? target->title : fs_basename(c->path));
		if (target) {
			set_url(pg, "url", p, target->out, NULL);
			for (size_t k = 0; k < target->nrevisions; k++)
				if (target->revisions[k].change->commit == c->commit)
					set_url(pg, "diff_url", p, target->revisions[k].page->out, NULL);
		}
		char st[2] = { c->status, 0 };
		value_set_str(pg, "status", st);
		value_set_str(pg, "status_label", c->status == 'A' ? "added" : c->status == 'D' ? "deleted"
								       : c->status == 'R'       ? "renamed"
												: "changed");
	}
	value_set_int(pc, "commit_count", (int64_t)ncommits);
	set_list(pc, "changes", days, "has_changes");
}

/* Atom feed of the changes; ids are stable (commit hash + path). */
static void feed(const struct site *s, struct strbuf *out)
{
	const struct history_change *const *all = NULL;
	size_t n = s->history && history_available(s->history) ? history_all(s->history, &all) : 0;
	const char *base = s->cfg.base_url;
	const char *sep = *base && base[strlen(base) - 1] == '/' ? "" : "/";
	char date[32], updated[40] = "1970-01-01T00:00:00+00:00";
	if (n)
		history_format_date(all[0]->commit, date, sizeof date, updated, sizeof updated);
	sb_puts(out, "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\">\n  <title>");
	xml_text(out, s->cfg.title);
	sb_puts(out, " — changes</title>\n  <id>");
	if (*base) {
		xml_text(out, base);
		sb_printf(out, "%schanges.html", sep);
	} else {
		sb_puts(out, "urn:dossier:changes:");
		url_escape_path(out, s->cfg.title, strlen(s->cfg.title));
	}
	sb_printf(out, "</id>\n  <updated>%s</updated>\n", updated);
	if (*base) {
		sb_puts(out, "  <link rel=\"alternate\" href=\"");
		xml_text(out, base);
		sb_printf(out, "%schanges.html\"/>\n  <link rel=\"self\" href=\"", sep);
		xml_text(out, base);
		sb_printf(out, "%satom.xml\"/>\n", sep);
	}
	for (size_t i = 0; i < n && i < 50; i++) {
		const struct history_change *c = all[i];
		const struct page *p = page_of_change(s, c);
		char dt[40];
		history_format_date(c->commit, date, sizeof date, dt, sizeof dt);
		sb_puts(out, "  <entry>\n    <title>");
		xml_text(out, p ? p->title : c->path);
		sb_puts(out, ": ");
		xml_text(out, c->commit->subject);
		sb_printf(out, "</title>\n    <id>urn:sha1:%s:", c->commit->hash);
		url_escape_path(out, c->path, strlen(c->path));
		sb_printf(out, "</id>\n    <updated>%s</updated>\n    <author><name>", dt);
		xml_text(out, c->commit->author);
		sb_puts(out, "</name>");
		if (commit_email(c->commit)) {
			sb_puts(out, "<email>");
			xml_text(out, commit_email(c->commit));
			sb_puts(out, "</email>");
		}
		sb_puts(out, "</author>\n");
		if (p && *base) {
			sb_puts(out, "    <link href=\"");
			xml_text(out, base);
			sb_puts(out, sep);
			url_escape_path(out, p->out, strlen(p->out));
			sb_puts(out, "\"/>\n");
		}
		/* An entry needs content or an alternate link (RFC 4287
		 * 4.1.2); without base_url there is no absolute link. */
		sb_puts(out, "    <content type=\"text\">");
		xml_text(out, c->commit->subject);
		sb_puts(out, "</content>\n  </entry>\n");
	}
	sb_puts(out, "</feed>\n");
}

int render_feed(const struct site *s, const char *out_dir, struct diag *d)
{
	struct strbuf sb = STRBUF_INIT;
	feed(s, &sb);
	int rc = write_out(out_dir, "atom.xml", sb.ptr, sb.size, d);
	sb_free(&sb);
	return rc;
}
