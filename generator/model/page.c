#include "page.h"

#include <stdlib.h>
#include <string.h>

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

const struct heading *page_find_heading(const struct page *p, const char *id)
{
	for (size_t i = 0; i < p->nheadings; i++)
		if (!strcmp(p->headings[i].id, id))
			return &p->headings[i];
	return NULL;
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
