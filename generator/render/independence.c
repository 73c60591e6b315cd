#include "independence.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "anchor.h"
#include "fsutil.h"
#include "strbuf.h"
#include "xalloc.h"

static void set_url(struct value *t, const char *key, const struct page *from, const struct page *to,
		    int block)
{
	struct strbuf sb = STRBUF_INIT;
	if (to != from) {
		char *rel = fs_relurl(from->out, to->out);
		sb_puts(&sb, rel);
		free(rel);
	}
	if (block > 0) {
		sb_putc(&sb, '#');
		anchor_block(&sb, (size_t)block);
	}
	value_set_str(t, key, sb.ptr);
	sb_free(&sb);
}

static void set_para(struct value *t, const char *key, const struct page *from,
		     const struct page *to, int block)
{
	struct strbuf sb = STRBUF_INIT, k = STRBUF_INIT;
	if (to != from)
		sb_printf(&sb, "%s ", to->short_title);
	anchor_block_label(&sb, (size_t)block);
	value_set_str(t, key, sb.ptr);
	sb_printf(&k, "%s_url", key);
	set_url(t, k.ptr, from, to, block);
	sb_free(&sb);
	sb_free(&k);
}

static const char *relation_label(enum relation_kind k, bool incoming)
{
	switch (k) {
	case RELATION_FOLLOWS:
		return incoming ? "Followed by" : "Follows";
	case RELATION_SHARES_WORDING:
		return "Shares wording with";
	case RELATION_CITES:
		return incoming ? "Cited by" : "Cites";
	}
	return "";
}

/* One relation seen from article `p`: declared by it, or naming it. */
static void relation_item(const struct page *p, const struct relation *r, struct value *list)
{
	bool in = r->from != p;
	const struct page *other = in ? r->from : r->target;
	struct value *v = value_array_push(list, value_new_table());
	value_set_str(v, "kind", r->kind_name);
	value_set_str(v, "label", relation_label(r->kind, in));
	value_set_str(v, "direction", in ? "in" : "out");
	value_set_str(v, "title", other->title);
	value_set_str(v, "short", other->short_title);
	set_url(v, "url", p, other, 0);
	struct value *ev = value_new_array();
	for (size_t i = 0; i < r->nevidence; i++) {
		const struct relation_evidence *e = &r->evidence[i];
		if (!e->here_block || !e->there_block)
			continue;
		struct value *x = value_array_push(ev, value_new_table());
		set_para(x, "here", p, p, in ? e->there_block : e->here_block);
		set_para(x, "there", p, other, in ? e->here_block : e->there_block);
	}
	value_set_bool(v, "has_evidence", ev->u.a.n > 0);
	value_table_set(v, "evidence", ev);
}

static struct value *shared_ctx(const struct page *p)
{
	struct value *groups = value_new_array(), *g = NULL, *items = NULL;
	const struct page *cur = NULL;
	for (size_t i = 0; i < p->nshared; i++) {
		const struct shared_passage *sp = &p->shared[i];
		if (sp->other != cur) {
			cur = sp->other;
			g = value_array_push(groups, value_new_table());
			value_set_str(g, "title", cur->title);
			value_set_str(g, "short", cur->short_title);
			set_url(g, "url", p, cur, 0);
			items = value_table_set(g, "passages", value_new_array());
		}
		struct value *x = value_array_push(items, value_new_table());
		set_para(x, "here", p, p, sp->block);
		set_para(x, "there", p, cur, sp->other_block);
		value_set_str(x, "text", sp->text);
		value_set_str(x, "other_text", sp->other_text);
		value_set_int(x, "words", (int64_t)sp->words);
		value_set_int(g, "count", (int64_t)items->u.a.n);
	}
	return groups;
}

void independence_article(const struct page *p, struct value *v)
{
	struct value *rel = value_new_array();
	for (size_t i = 0; i < p->nrelations; i++)
		if (p->relations[i].target)
			relation_item(p, &p->relations[i], rel);
	for (size_t i = 0; i < p->nrelated_by; i++)
		relation_item(p, p->related_by[i], rel);
	value_set_bool(v, "has_relations", rel->u.a.n > 0);
	value_table_set(v, "relations", rel);
	struct value *sh = shared_ctx(p);
	value_set_bool(v, "has_shared", sh->u.a.n > 0);
	value_table_set(v, "shared", sh);
}

static const struct page *root_of(const struct page *a)
{
	return a->source_parent ? a->source_parent : a;
}

static bool in_claim(const struct claim *c, const struct page *a)
{
	for (size_t i = 0; i < c->narticles; i++)
		if (c->articles[i].article == a)
			return true;
	return false;
}

/* The `follows` relations that make two of the claim's articles one
 * source: each one touching an article of the claim whose group holds
 * another article of the claim (a chain through an uncited article shows
 * both of its links). */
static void dependence_ctx(const struct page *from, const struct claim *c, struct value *list)
{
	const struct relation **seen = NULL;
	size_t nseen = 0, cap = 0;
	for (size_t i = 0; i < c->narticles; i++) {
		const struct page *a = c->articles[i].article;
		size_t same = 0;
		for (size_t k = 0; k < c->narticles; k++)
			same += c->articles[k].group == c->articles[i].group;
		if (same < 2)
			continue;
		for (size_t j = 0; j < a->nrelations + a->nrelated_by; j++) {
			const struct relation *r = j < a->nrelations ? &a->relations[j]
								     : a->related_by[j - a->nrelations];
			if (r->kind != RELATION_FOLLOWS || !r->target)
				continue;
			size_t k = 0;
			while (k < nseen && seen[k] != r)
				k++;
			if (k < nseen)
				continue;
			seen = xgrow(seen, &cap, nseen + 1, sizeof(*seen));
			seen[nseen++] = r;
		}
	}
	for (size_t k = 0; k < nseen; k++) {
		const struct relation *r = seen[k];
		struct value *v = value_array_push(list, value_new_table());
		struct strbuf t = STRBUF_INIT;
		sb_printf(&t, "%s follows %s", r->from->short_title, r->target->short_title);
		value_set_str(v, "text", t.ptr);
		sb_free(&t);
		value_set_str(v, "from", r->from->short_title);
		set_url(v, "from_url", from, r->from, 0);
		value_set_str(v, "to", r->target->short_title);
		set_url(v, "to_url", from, r->target, 0);
		value_set_bool(v, "cited", in_claim(c, r->from) && in_claim(c, r->target));
	}
	free(seen);
}

static void contradicts_item(const struct page *from, const struct claim *o, struct value *list)
{
	struct value *v = value_array_push(list, value_new_table());
	value_set_str(v, "id", o->id);
	value_set_str(v, "claim", o->text);
	value_set_str(v, "topic", o->topic->title);
	char *rel = o->topic == from ? xstrdup("") : fs_relurl(from->out, o->topic->out);
	struct strbuf u = STRBUF_INIT;
	sb_printf(&u, "%s#%s", rel, o->id);
	value_set_str(v, "url", u.ptr);
	sb_free(&u);
	free(rel);
}

void independence_claim(const struct page *from, const struct claim *c, struct value *v,
			struct value *sources)
{
	struct value *arts = value_new_array();
	for (size_t i = 0; i < c->narticles; i++) {
		const struct claim_article *a = &c->articles[i];
		struct value *x = value_array_push(arts, value_new_table());
		value_set_str(x, "title", a->article->short_title);
		set_url(x, "url", from, a->article, 0);
		value_set_int(x, "group", (int64_t)a->group + 1);
		value_set_bool(x, "disagrees", a->disagrees);
	}
	value_table_set(v, "articles", arts);
	value_set_int(v, "narticles", (int64_t)c->narticles);
	value_set_int(v, "independent", (int64_t)c->ngroups);
	value_set_int(v, "independent_agreeing", (int64_t)c->nindependent);
	value_set_int(v, "disagreeing", (int64_t)c->ndisagreeing);
	value_set_bool(v, "all_independent", c->ngroups == c->narticles);
	struct strbuf label = STRBUF_INIT;
	sb_printf(&label, "%zu source%s, %zu independent", c->narticles, c->narticles == 1 ? "" : "s",
		  c->ngroups);
	if (c->ndisagreeing)
		sb_printf(&label, " (%zu disagree%s)", c->ndisagreeing, c->ndisagreeing == 1 ? "s" : "");
	value_set_str(v, "count_label", label.ptr);
	sb_free(&label);
	struct value *dep = value_new_array();
	dependence_ctx(from, c, dep);
	value_set_bool(v, "has_dependence", dep->u.a.n > 0);
	value_table_set(v, "dependence", dep);
	struct value *con = value_new_array();
	for (size_t i = 0; i < c->ncontradicts; i++)
		if (c->contradicts[i].target)
			contradicts_item(from, c->contradicts[i].target, con);
	for (size_t i = 0; i < c->ncontradicted_by; i++)
		contradicts_item(from, c->contradicted_by[i], con);
	value_set_bool(v, "has_contradicts", con->u.a.n > 0);
	value_table_set(v, "contradicts", con);
	size_t k = 0;
	for (size_t i = 0; i < c->nsources && k < sources->u.a.n; i++)
		if (c->sources[i].target)
			value_set_bool(sources->u.a.items[k++], "disagrees", c->sources[i].disagrees);
}

static int by_group(const void *x, const void *y)
{
	const struct page *a = *(const struct page *const *)x, *b = *(const struct page *const *)y;
	int c = strcmp(root_of(a)->out, root_of(b)->out);
	return c ? c : strcmp(a->out, b->out);
}

struct value *independence_site(const struct site *s, const struct page *from)
{
	struct value *v = value_new_table(), *groups = value_new_array();
	const struct page **arts = xcalloc(s->npages + 1, sizeof(*arts));
	size_t n = 0;
	for (size_t i = 0; i < s->npages; i++)
		if (s->pages[i]->kind == PAGE_ARTICLE)
			arts[n++] = s->pages[i];
	if (n)
		qsort(arts, n, sizeof(*arts), by_group);
	struct value *list = NULL, *rels = NULL, *g = NULL;
	for (size_t i = 0; i < n; i++) {
		const struct page *a = arts[i];
		if (!i || root_of(a) != root_of(arts[i - 1])) {
			g = value_array_push(groups, value_new_table());
			list = value_table_set(g, "articles", value_new_array());
			rels = value_table_set(g, "relations", value_new_array());
		}
		struct value *x = value_array_push(list, value_new_table());
		value_set_str(x, "title", a->title);
		value_set_str(x, "short", a->short_title);
		set_url(x, "url", from, a, 0);
		for (size_t k = 0; k < a->nrelations; k++) {
			const struct relation *r = &a->relations[k];
			if (r->kind != RELATION_FOLLOWS || !r->target)
				continue;
			struct value *y = value_array_push(rels, value_new_table());
			struct strbuf t = STRBUF_INIT;
			sb_printf(&t, "%s follows %s", a->short_title, r->target->short_title);
			value_set_str(y, "text", t.ptr);
			sb_free(&t);
		}
		value_set_bool(g, "single", list->u.a.n == 1);
		value_set_bool(g, "has_relations", rels->u.a.n > 0);
	}
	free(arts);
	value_set_int(v, "articles", (int64_t)n);
	value_set_int(v, "independent", (int64_t)groups->u.a.n);
	value_table_set(v, "groups", groups);
	return v;
}
