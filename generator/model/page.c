#include "page.h"

#include <assert.h>
#include <stdlib.h>
#include <string.h>

#include "xalloc.h"

static void revision_clear(struct revision *r)
{
	page_free(r->page);
	free(r->title);
	wdiff_free(&r->diff);
}

void page_free(struct page *p)
{
	if (!p)
		return;
	for (size_t i = 0; i < p->nrevisions; i++)
		revision_clear(&p->revisions[i]);
	free(p->revisions);
	free(p->src);
	free(p->file);
	free(p->out);
	free(p->section);
	free(p->slug);
	value_free(p->fm);
	free(p->body_md);
	free(p->line_map_owned);
	if (p->doc)
		cmark_node_free(p->doc);
	for (size_t i = 0; i < p->nheadings; i++) {
		free(p->headings[i].id);
		free(p->headings[i].text);
	}
	free(p->headings);
	free(p->heading_order);
	free(p->claim_order);
	for (size_t i = 0; i < p->nblocks; i++)
		free(p->blocks[i].cited_by);
	free(p->blocks);
	for (size_t i = 0; i < p->nannotations; i++) {
		free(p->annotations[i].quote);
		free(p->annotations[i].prefix);
		free(p->annotations[i].suffix);
		if (p->annotations[i].note)
			cmark_node_free(p->annotations[i].note);
	}
	free(p->annotations);
	for (size_t i = 0; i < p->nclaims; i++) {
		struct claim *c = &p->claims[i];
		free(c->id);
		free(c->text);
		free(c->status);
		free(c->section);
		for (size_t j = 0; j < c->nsources; j++) {
			free(c->sources[j].cite);
			free(c->sources[j].wording);
		}
		free(c->sources);
		for (size_t j = 0; j < c->ncontradicts; j++)
			free(c->contradicts[j].ref);
		free(c->contradicts);
		free(c->contradicted_by);
		free(c->articles);
	}
	free(p->claims);
	for (size_t i = 0; i < p->nrelations; i++) {
		struct relation *r = &p->relations[i];
		free(r->article);
		for (size_t j = 0; j < r->nevidence; j++) {
			free(r->evidence[j].here);
			free(r->evidence[j].there);
		}
		free(r->evidence);
	}
	free(p->relations);
	free(p->related_by);
	for (size_t i = 0; i < p->nshared; i++) {
		free(p->shared[i].text);
		free(p->shared[i].other_text);
	}
	free(p->shared);
	if (p->entity) {
		free(p->entity->slug);
		for (size_t i = 0; i < p->entity->nmentions; i++)
			free(p->entity->mentions[i].snippet_html);
		free(p->entity->mentions);
		cooccur_free(&p->entity->cooccur);
		free(p->entity);
	}
	free(p->cited_by_pages);
	free(p->children);
	free((void *)p->exclude);
	free(p);
}

/* By id, then by place in the array (page order). */
static int heading_ptr_cmp(const void *a, const void *b)
{
	const struct heading *x = *(const struct heading *const *)a, *y = *(const struct heading *const *)b;
	int c = strcmp(x->id, y->id);
	return c ? c : (x > y) - (x < y);
}

static int claim_ptr_cmp(const void *a, const void *b)
{
	const struct claim *x = *(const struct claim *const *)a, *y = *(const struct claim *const *)b;
	int c = strcmp(x->id, y->id);
	return c ? c : (x > y) - (x < y);
}

void page_index_headings(struct page *p)
{
	free(p->heading_order);
	p->heading_order = xcalloc(p->nheadings + 1, sizeof(*p->heading_order));
	for (size_t i = 0; i < p->nheadings; i++)
		p->heading_order[i] = &p->headings[i];
	if (p->nheadings > 1)
		qsort(p->heading_order, p->nheadings, sizeof(*p->heading_order), heading_ptr_cmp);
}

void page_index_claims(struct page *p)
{
	free(p->claim_order);
	p->claim_order = xcalloc(p->nclaims + 1, sizeof(*p->claim_order));
	for (size_t i = 0; i < p->nclaims; i++)
		p->claim_order[i] = &p->claims[i];
	if (p->nclaims > 1)
		qsort(p->claim_order, p->nclaims, sizeof(*p->claim_order), claim_ptr_cmp);
}

/* The first of v[0..n) (sorted by id) whose id is `id`, or NULL; `id_at`
 * reads element i's id. */
static const void *lower_bound(const void *const *v, size_t n, const char *id,
			       const char *(*id_at)(const void *))
{
	size_t lo = 0, hi = n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (strcmp(id_at(v[mid]), id) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < n && !strcmp(id_at(v[lo]), id) ? v[lo] : NULL;
}

static const char *heading_id(const void *h)
{
	return ((const struct heading *)h)->id;
}

static const char *claim_id(const void *c)
{
	return ((const struct claim *)c)->id;
}

const struct heading *page_find_heading(const struct page *p, const char *id)
{
	if (!p->nheadings)
		return NULL;
	assert(p->heading_order);
	return lower_bound((const void *const *)p->heading_order, p->nheadings, id, heading_id);
}

const struct claim *page_find_claim(const struct page *p, const char *id)
{
	if (!p->nclaims)
		return NULL;
	assert(p->claim_order);
	return lower_bound((const void *const *)p->claim_order, p->nclaims, id, claim_id);
}

const struct annotation_entry *page_find_annotation(const struct page *p, int number)
{
	size_t lo = 0, hi = p->nannotations;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (p->annotations[mid].number < number)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < p->nannotations && p->annotations[lo].number == number ? &p->annotations[lo] : NULL;
}

const char *page_kind_name(enum page_kind k)
{
	static const char *const names[PAGE_KIND_COUNT] = {
		"home", "article", "topic", "entity", "page", "section",
		"entities", "claims", "changes", "search", "revision", "404",
		"print"
	};
	return names[k];
}
