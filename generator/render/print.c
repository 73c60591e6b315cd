#include "print.h"

#include <ctype.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "context.h"
#include "fsutil.h"
#include "html.h"
#include "markdown.h"
#include "xalloc.h"

static int addr_cmp(const void *a, const void *b)
{
	uintptr_t x = (uintptr_t) * (const struct page *const *)a;
	uintptr_t y = (uintptr_t) * (const struct page *const *)b;
	return (x > y) - (x < y);
}

static const char *const sections[] = { "topics/index.html", "articles/index.html",
					"entities/index.html" };

size_t print_doc_count(const struct site *s)
{
	size_t n = site_find_out(s, "index.html") ? 1 : 0;
	for (size_t k = 0; k < sizeof(sections) / sizeof(*sections); k++) {
		const struct page *sec = site_find_out(s, sections[k]);
		n += sec ? sec->nchildren : 0;
	}
	return n;
}

bool print_doc_whole(const struct site *s)
{
	return print_doc_count(s) <= PRINT_MAX_PAGES;
}

void print_doc_init(struct print_doc *pd, const struct site *s)
{
	size_t cap = 0;
	pd->pages = NULL;
	pd->n = 0;
	const struct page *home = site_find_out(s, "index.html");
	if (home) {
		pd->pages = xgrow(pd->pages, &cap, pd->n + 1, sizeof(*pd->pages));
		pd->pages[pd->n++] = home;
	}
	for (size_t k = 0; k < sizeof(sections) / sizeof(*sections); k++) {
		const struct page *sec = site_find_out(s, sections[k]);
		for (size_t i = 0; sec && i < sec->nchildren; i++) {
			pd->pages = xgrow(pd->pages, &cap, pd->n + 1, sizeof(*pd->pages));
			pd->pages[pd->n++] = sec->children[i];
		}
	}
	pd->sorted = xmalloc((pd->n + 1) * sizeof(*pd->sorted));
	if (pd->n)
		memcpy(pd->sorted, pd->pages, pd->n * sizeof(*pd->sorted));
	if (pd->n)
		qsort(pd->sorted, pd->n, sizeof(*pd->sorted), addr_cmp);
}

void print_doc_free(struct print_doc *pd)
{
	free(pd->pages);
	free(pd->sorted);
	pd->pages = pd->sorted = NULL;
	pd->n = 0;
}

bool print_doc_has(const struct print_doc *pd, const struct page *p)
{
	return p && pd->n && bsearch(&p, pd->sorted, pd->n, sizeof(*pd->sorted), addr_cmp);
}

void print_page_id(const struct page *p, struct strbuf *out)
{
	sb_puts(out, "pg-");
	for (const char *c = p->out; *c; c++)
		sb_putc(out, isalnum((unsigned char)*c) || *c == '_' || *c == '-' ? *c : '-');
}

static bool has_scheme(const char *v, size_t n)
{
	size_t i = 0;
	if (!n || !isalpha((unsigned char)v[0]))
		return false;
	while (i < n && (isalnum((unsigned char)v[i]) || v[i] == '+' || v[i] == '-' || v[i] == '.'))
		i++;
	return i < n && v[i] == ':';
}

/* An id, or each id of a space-separated list, with the page's prefix. */
static void put_ids(struct strbuf *out, const char *prefix, const char *v, size_t n)
{
	size_t i = 0;
	bool first = true;
	while (i < n) {
		while (i < n && v[i] == ' ')
			i++;
		size_t j = i;
		while (j < n && v[j] != ' ')
			j++;
		if (j > i) {
			if (!first)
				sb_putc(out, ' ');
			sb_printf(out, "%s--", prefix);
			sb_put(out, v + i, j - i);
			first = false;
		}
		i = j;
	}
}

/* A URL of page `p`, as print.html (at the root) must write it. The value
 * is still attribute-escaped, as in the source; internal URLs hold no '&'. */
static void put_url(struct strbuf *out, const struct site *s, const struct print_doc *pd,
		    const struct page *p, const char *prefix, const char *v, size_t n)
{
	if (n && v[0] == '#') {
		sb_putc(out, '#');
		put_ids(out, prefix, v + 1, n - 1);
		return;
	}
	if (!n || has_scheme(v, n) || v[0] == '/' || memchr(v, '&', n)) {
		sb_put(out, v, n);
		return;
	}
	size_t plen = 0;
	while (plen < n && v[plen] != '#' && v[plen] != '?')
		plen++;
	char *path = xstrndup(v, plen);
	char *res = plen ? fs_resolve(p->out, path) : NULL;
	const struct page *t = res ? site_find_out(s, res) : NULL;
	if (t && print_doc_has(pd, t) && (plen == n || v[plen] == '#')) {
		struct strbuf id = STRBUF_INIT;
		print_page_id(t, &id);
		sb_putc(out, '#');
		if (plen + 1 < n) {
			put_ids(out, id.ptr, v + plen + 1, n - plen - 1);
		} else {
			sb_puts(out, id.ptr);
		}
		sb_free(&id);
	} else if (res) {
		sb_puts(out, res);
		sb_put(out, v + plen, n - plen);
	} else {
		sb_put(out, v, n);
	}
	free(res);
	free(path);
}

static bool attr_is(const char *name, size_t n, const char *want)
{
	return strlen(want) == n && !strncasecmp(name, want, n);
}

void print_relocate(const struct site *s, const struct print_doc *pd, const struct page *p,
		    const char *html, struct strbuf *out)
{
	struct strbuf prefix = STRBUF_INIT;
	print_page_id(p, &prefix);
	const char *c = html;
	while (*c) {
		if (c[0] == '<' && c[1] == '!' && c[2] == '-' && c[3] == '-') {
			const char *e = strstr(c + 4, "-->");
			size_t n = e ? (size_t)(e + 3 - c) : strlen(c);
			sb_put(out, c, n);
			c += n;
			continue;
		}
		if (c[0] != '<' || !isalpha((unsigned char)c[1])) {
			const char *e = strchr(c + 1, '<');
			size_t n = e ? (size_t)(e - c) : strlen(c);
			sb_put(out, c, n);
			c += n;
			continue;
		}
		/* A start tag: its name, then attributes up to '>'. */
		const char *t = c + 1;
		while (isalnum((unsigned char)*t) || *t == '-')
			t++;
		sb_put(out, c, (size_t)(t - c));
		c = t;
		while (*c && *c != '>') {
			if (isspace((unsigned char)*c) || *c == '/') {
				sb_putc(out, *c++);
				continue;
			}
			const char *name = c;
			while (*c && !isspace((unsigned char)*c) && *c != '=' && *c != '>' && *c != '/')
				c++;
			size_t nlen = (size_t)(c - name);
			sb_put(out, name, nlen);
			if (*c != '=')
				continue;
			sb_putc(out, *c++);
			char q = (*c == '"' || *c == '\'') ? *c++ : 0;
			const char *v = c;
			while (*c && (q ? *c != q : !isspace((unsigned char)*c) && *c != '>'))
				c++;
			size_t vlen = (size_t)(c - v);
			if (q)
				sb_putc(out, q);
			if (attr_is(name, nlen, "id") || attr_is(name, nlen, "for") ||
			    attr_is(name, nlen, "aria-describedby") || attr_is(name, nlen, "aria-labelledby") ||
			    attr_is(name, nlen, "aria-controls") || attr_is(name, nlen, "data-note") ||
			    attr_is(name, nlen, "headers"))
				put_ids(out, prefix.ptr, v, vlen);
			else if (attr_is(name, nlen, "href") || attr_is(name, nlen, "src"))
				put_url(out, s, pd, p, prefix.ptr, v, vlen);
			else
				sb_put(out, v, vlen);
			if (q && *c == q)
				sb_putc(out, *c++);
		}
		if (*c == '>')
			sb_putc(out, *c++);
	}
	sb_free(&prefix);
}

/* print.html: `page.parts`, the home page and then one part per section
 * (topics, articles, entities), each page's HTML relocated into the one
 * document (print.h). */
void print_ctx(const struct site *s, const struct page *p, struct value *pc)
{
	struct print_doc pd;
	print_doc_init(&pd, s);
	bool whole = pd.n <= PRINT_MAX_PAGES;
	struct value *parts = value_new_array();
	struct value *part = NULL, *pages = NULL;
	const char *cur = NULL;
	for (size_t i = 0; i < pd.n; i++) {
		const struct page *q = pd.pages[i];
		if (!cur || strcmp(cur, q->section)) {
			cur = q->section;
			part = push_table(parts);
			struct strbuf sec = STRBUF_INIT;
			sb_printf(&sec, "%s/index.html", q->section);
			const struct page *sp = *q->section ? site_find_out(s, sec.ptr) : NULL;
			value_set_str(part, "title", sp ? sp->title : "");
			value_set_bool(part, "has_title", sp != NULL);
			if (sp && !whole)
				set_url(part, "section_url", p, sp->out, NULL);
			sb_clear(&sec);
			sb_printf(&sec, "part-%s", *q->section ? q->section : "home");
			value_set_str(part, "id", sec.ptr);
			sb_free(&sec);
			pages = value_table_set(part, "pages", value_new_array());
		}
		struct value *v = push_table(pages);
		struct strbuf id = STRBUF_INIT, body = STRBUF_INIT;
		print_page_id(q, &id);
		value_set_str(v, "id", id.ptr);
		value_set_str(v, "title", q->title);
		if (whole) {
			struct strbuf url = STRBUF_INIT;
			sb_printf(&url, "#%s", id.ptr);
			value_set_str(v, "url", url.ptr);
			sb_free(&url);
		} else {
			set_url(v, "url", p, q->out, NULL);
			sb_free(&id);
			continue;
		}
		value_set_str(v, "description", q->description);
		value_set_str(v, "kind", q->entity ? q->entity->kind : page_kind_name(q->kind));
		value_set_bool(v, "is_article", q->kind == PAGE_ARTICLE);
		if (q->kind == PAGE_ARTICLE) {
			value_table_set(v, "meta", article_meta(q));
			value_set_str(v, "short", q->short_title ? q->short_title : q->title);
		}
		char *html = q->doc ? markdown_render(q->doc, s->cfg.unsafe) : NULL;
		if (html)
			print_relocate(s, &pd, q, html, &body);
		size_t n = body.size;
		value_table_set(v, "content", value_new_string_take(sb_detach(&body), n));
		free(html);
		sb_free(&id);
		sb_free(&body);
	}
	value_set_int(pc, "page_count", (int64_t)pd.n);
	value_set_bool(pc, "whole", whole);
	value_set_int(pc, "print_max", PRINT_MAX_PAGES);
	set_list(pc, "parts", parts, "has_parts");
	print_doc_free(&pd);
}
