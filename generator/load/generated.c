/*
 * generated: the pages load adds to those of content/ (generated.h).
 */
#include "generated.h"

#include <stdlib.h>
#include <string.h>

#include "fsutil.h"
#include "strbuf.h"
#include "value.h"
#include "xalloc.h"

static struct page *add_generated(struct site *s, enum page_kind kind,
				  const char *out, const char *section,
				  const char *title)
{
	struct page *p = site_add_page(s);
	p->kind = kind;
	p->out = xstrdup(out);
	p->section = xstrdup(section);
	p->slug = xstrdup(fs_basename(out));
	p->fm = value_new_table();
	value_set_str(p->fm, "title", title);
	p->title = value_get_str(p->fm, "title", "");
	p->description = "";
	p->short_title = p->title;
	p->date = "";
	return p;
}

static void section_title(const char *section, struct strbuf *sb)
{
	static const char *const known[][2] = {
		{ "articles", "Sources" },
		{ "topics", "Topics" },
		{ "entities", "Entities" },
	};
	for (size_t i = 0; i < sizeof(known) / sizeof(*known); i++)
		if (!strcmp(known[i][0], section)) {
			sb_puts(sb, known[i][1]);
			return;
		}
	sb_puts(sb, section);
	if (sb->size && sb->ptr[0] >= 'a' && sb->ptr[0] <= 'z')
		sb->ptr[0] = (char)(sb->ptr[0] - 'a' + 'A');
}

static bool has_home(const struct site *s)
{
	for (size_t i = 0; i < s->npages; i++)
		if (s->pages[i]->kind == PAGE_HOME)
			return true;
	return false;
}

void generated_add(struct site *s, struct diag *d)
{
	/* Sections without an _index.md get a generated list page: one
	 * look-up of "<section>/index.html" in the sorted pages per page, and
	 * the missing ones are queued (few) before the array grows. */
	site_sort(s, d);
	char **missing = NULL;
	size_t nmissing = 0, cap = 0;
	for (size_t i = 0; i < s->npages; i++) {
		const char *sec = s->pages[i]->section;
		if (!*sec || (nmissing && !strcmp(missing[nmissing - 1], sec)))
			continue;
		char *out = NULL;
		struct strbuf sb = STRBUF_INIT;
		sb_printf(&sb, "%s/index.html", sec);
		out = sb_detach(&sb);
		bool queued = false;
		for (size_t k = 0; k < nmissing && !queued; k++)
			queued = !strcmp(missing[k], sec);
		if (!queued && !site_find_out(s, out)) {
			missing = xgrow(missing, &cap, nmissing + 1, sizeof(*missing));
			missing[nmissing++] = xstrdup(sec);
		}
		free(out);
	}
	for (size_t k = 0; k < nmissing; k++) {
		struct strbuf out = STRBUF_INIT, title = STRBUF_INIT;
		sb_printf(&out, "%s/index.html", missing[k]);
		section_title(missing[k], &title);
		add_generated(s, PAGE_SECTION, out.ptr, missing[k], title.ptr);
		sb_free(&out);
		sb_free(&title);
		free(missing[k]);
	}
	free(missing);
	for (size_t i = 0; i < s->npages; i++)
		if (s->pages[i]->kind == PAGE_SECTION && !strcmp(s->pages[i]->section, "entities"))
			s->pages[i]->kind = PAGE_ENTITIES;
	if (!site_find_out(s, "index.html") && !has_home(s))
		add_generated(s, PAGE_HOME, "index.html", "", s->cfg.title);
	add_generated(s, PAGE_CLAIMS, "claims.html", "", "Claims");
	add_generated(s, PAGE_CHANGES, "changes.html", "", "Changes");
	add_generated(s, PAGE_SEARCH, "search.html", "", "Search");
	add_generated(s, PAGE_404, "404.html", "", "Page not found");
	add_generated(s, PAGE_PRINT, "print.html", "", "The whole dossier");
	site_sort(s, d);
}
