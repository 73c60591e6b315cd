/*
 * claims: claims as the templates show them (render/context.h): a topic
 * page's claims with their sources, and the claims page grouped by status.
 */
#include "context.h"

#include <string.h>

#include "anchor.h"
#include "context.h"
#include "independence.h"

static const char *status_label(const char *status)
{
	if (!strcmp(status, "consistent"))
		return "Consistent across sources";
	if (!strcmp(status, "disputed"))
		return "Disputed";
	if (!strcmp(status, "unsupported"))
		return "Unsupported";
	return "Reported only";
}

static struct value *claim_ctx(const struct page *from, const struct claim *c)
{
	struct value *v = value_new_table();
	value_set_str(v, "id", c->id);
	value_set_str(v, "claim", c->text);
	value_set_str(v, "status", c->status);
	value_set_str(v, "status_label", status_label(c->status));
	value_set_str(v, "topic", c->topic->title);
	set_url(v, "topic_url", from, c->topic->out, c->id);
	set_url(v, "section_url", from, c->topic->out, *c->section ? c->section : c->id);
	struct value *srcs = value_new_array();
	for (size_t i = 0; i < c->nsources; i++) {
		const struct claim_source *cs = &c->sources[i];
		if (!cs->target)
			continue;
		struct value *sv = push_table(srcs);
		struct strbuf frag = STRBUF_INIT, label = STRBUF_INIT;
		anchor_block(&frag, (size_t)cs->block);
		sb_printf(&label, "%s ", cs->target->short_title);
		anchor_block_label(&label, (size_t)cs->block);
		value_set_str(sv, "title", label.ptr);
		set_url(sv, "url", from, cs->target->out, frag.ptr);
		sb_free(&frag);
		sb_free(&label);
		value_set_str(sv, "wording", cs->wording);
	}
	independence_claim(from, c, v, srcs);
	set_list(v, "sources", srcs, "has_sources");
	return v;
}

struct value *claims_ctx(const struct page *p)
{
	struct value *list = value_new_array();
	for (size_t i = 0; i < p->nclaims; i++)
		value_array_push(list, claim_ctx(p, &p->claims[i]));
	return list;
}

/* The claims page: every claim, grouped by status, then topic order. */
struct value *claim_groups(const struct site *s, const struct page *p)
{
	static const char *const statuses[] = { "disputed", "unsupported", "reported", "consistent" };
	struct value *groups = value_new_array();
	for (size_t k = 0; k < 4; k++) {
		struct value *items = value_new_array();
		for (size_t i = 0; i < s->nclaims; i++)
			if (!strcmp(s->claims[i]->status, statuses[k]))
				value_array_push(items, claim_ctx(p, s->claims[i]));
		if (!items->u.a.n) {
			value_free(items);
			continue;
		}
		struct value *g = push_table(groups);
		value_set_str(g, "title", status_label(statuses[k]));
		value_set_str(g, "status", statuses[k]);
		value_table_set(g, "items", items);
	}
	return groups;
}
