/*
 * sitemap: sitemap.xml (when the site has a base_url) and the redirect
 * pages of `redirect_from` (render/context.h).
 */
#include "context.h"

#include <stdlib.h>
#include <string.h>

#include "context.h"
#include "fsutil.h"
#include "html.h"
#include "mentions.h"

static void sitemap(const struct site *s, struct strbuf *out)
{
	const char *base = s->cfg.base_url;
	const char *sep = base[strlen(base) - 1] == '/' ? "" : "/";
	sb_puts(out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
		     "<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n");
	for (size_t i = 0; i < s->npages; i++) {
		if (s->pages[i]->kind == PAGE_404)
			continue;
		const struct entity *e = s->pages[i]->entity;
		size_t files = e ? entity_files(e) : 1;
		struct strbuf file = STRBUF_INIT;
		for (size_t k = 1; k <= files; k++) {
			if (e)
				entity_file_out(e, k, &file);
			else
				sb_puts(&file, s->pages[i]->out);
			sb_puts(out, "  <url><loc>");
			xml_text(out, base);
			sb_puts(out, sep);
			url_escape_path(out, file.ptr, file.size);
			sb_puts(out, "</loc></url>\n");
		}
		sb_free(&file);
	}
	sb_puts(out, "</urlset>\n");
}

/* redirect_from: a small page at each old path pointing at the new one. */
int render_redirects(const struct site *s, const char *out_dir, const struct out_paths *data,
		     struct diag *d)
{
	int rc = 0;
	for (size_t i = 0; i < s->npages; i++) {
		const struct page *p = s->pages[i];
		const struct value *rf = value_table_get(p->fm, "redirect_from");
		for (size_t k = 0; rf && rf->type == VALUE_ARRAY && k < rf->u.a.n; k++) {
			const struct value *v = rf->u.a.items[k];
			if (v->type != VALUE_STRING)
				continue;
			struct strbuf old = STRBUF_INIT, html = STRBUF_INIT;
			sb_puts(&old, v->u.s.p);
			if (!strcmp(fs_extension(old.ptr), ".md") || !strcmp(fs_extension(old.ptr), ".txt")) {
				sb_truncate(&old, old.size - strlen(fs_extension(old.ptr)));
				sb_puts(&old, ".html");
			}
			/* A folder, as Jekyll's redirect_from and Hugo's
			 * aliases mean it: its index page. */
			if (old.size && old.ptr[old.size - 1] == '/')
				sb_puts(&old, "index.html");
			if (!fs_rel_is_safe(old.ptr) || site_find_out(s, old.ptr) || entity_file_owner(s, old.ptr, NULL)) {
				diag_error(d, p->file, v->line, v->col,
					   "redirect_from '%s' must be a relative path inside the site that no page uses "
					   "(no '..', no name over %d bytes)",
					   v->u.s.p, FS_NAME_MAX);
				rc = -1;
			} else {
				char *url = fs_relurl(old.ptr, p->out);
				sb_puts(&html, "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>");
				html_escape_text(&html, p->title, strlen(p->title));
				sb_puts(&html, "</title><meta http-equiv=\"refresh\" content=\"0; url=");
				url_escape_path(&html, url, strlen(url));
				sb_puts(&html, "\"><link rel=\"canonical\" href=\"");
				/* Canonical is the page's absolute address when the
				 * site has one (as Hugo's alias pages do). */
				if (*s->cfg.base_url) {
					const char *b = s->cfg.base_url;
					html_escape_attr(&html, b, strlen(b));
					if (b[strlen(b) - 1] != '/')
						sb_putc(&html, '/');
					url_escape_path(&html, p->out, strlen(p->out));
				} else {
					url_escape_path(&html, url, strlen(url));
				}
				sb_puts(&html, "\"></head><body><p>This page has moved to <a href=\"");
				url_escape_path(&html, url, strlen(url));
				sb_puts(&html, "\">");
				html_escape_text(&html, p->title, strlen(p->title));
				sb_puts(&html, "</a>.</p></body></html>\n");
				/* The archive comes after the redirects: not
				 * written, refused. */
				bool archive = render_is_archive(s, old.ptr);
				int w = archive ? 1 : write_out_new(out_dir, old.ptr, NULL, html.ptr, html.size, d);
				if (w == 1)
					diag_error(d, p->file, v->line, v->col,
						   "redirect_from '%s' would replace %s, %s; choose another path",
						   v->u.s.p, old.ptr,
						   archive                        ? "the archive the build writes (--archive)"
						   : out_paths_has(data, old.ptr) ? "a data file the build writes"
										  : "a file the theme or another redirect writes");
				if (w != 0)
					rc = -1;
				free(url);
			}
			sb_free(&old);
			sb_free(&html);
		}
	}
	return rc;
}

int render_sitemap(const struct site *s, const char *out_dir, struct diag *d)
{
	if (!*s->cfg.base_url)
		return 0;
	struct strbuf sb = STRBUF_INIT;
	sitemap(s, &sb);
	int rc = write_out(out_dir, "sitemap.xml", sb.ptr, sb.size, d);
	sb_free(&sb);
	return rc;
}
