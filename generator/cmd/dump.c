#include "dump.h"

#include <stdio.h>

#include "external.h"
#include "history.h"
#include "json.h"
#include "strbuf.h"

/* A page is named by its output path: unique, and set for every page. */
static void set_page(struct value *t, const char *key, const struct page *p)
{
	value_set_str(t, key, p ? p->out : NULL);
}

static struct value *push_table(struct value *a)
{
	return value_array_push(a, value_new_table());
}

static struct value *set_array(struct value *t, const char *key)
{
	return value_table_set(t, key, value_new_array());
}

static void dump_headings(struct value *t, const struct page *p)
{
	struct value *a = set_array(t, "headings");
	for (size_t i = 0; i < p->nheadings; i++) {
		struct value *h = push_table(a);
		value_set_str(h, "id", p->headings[i].id);
		value_set_int(h, "level", p->headings[i].level);
		value_set_str(h, "text", p->headings[i].text);
	}
}

/* The number of blocks, then only the blocks something cites. */
static void dump_blocks(struct value *t, const struct page *p)
{
	value_set_int(t, "blocks", (int64_t)p->nblocks);
	struct value *a = set_array(t, "cited_blocks");
	for (size_t i = 0; i < p->nblocks; i++) {
		const struct block *b = &p->blocks[i];
		if (!b->ncited)
			continue;
		struct value *bt = push_table(a);
		value_set_int(bt, "block", (int64_t)i + 1);
		struct value *by = set_array(bt, "cited_by");
		for (size_t j = 0; j < b->ncited; j++) {
			struct value *c = push_table(by);
			set_page(c, "from", b->cited_by[j].from);
			value_set_str(c, "under", b->cited_by[j].under ? b->cited_by[j].under->id : NULL);
			value_set_int(c, "note", b->cited_by[j].note);
		}
	}
}

static void dump_pages_list(struct value *t, const char *key, struct page *const *v, size_t n)
{
	struct value *a = set_array(t, key);
	for (size_t i = 0; i < n; i++)
		value_array_push(a, value_new_cstr(v[i]->out));
}

static void dump_annotations(struct value *t, const struct page *p)
{
	struct value *a = set_array(t, "annotations");
	for (size_t i = 0; i < p->nannotations; i++) {
		const struct annotation_entry *e = &p->annotations[i];
		struct value *at = push_table(a);
		value_set_int(at, "number", e->number);
		value_set_int(at, "block", e->block);
		value_set_str(at, "quote", e->quote);
		value_set_str(at, "prefix", e->prefix);
		value_set_str(at, "suffix", e->suffix);
		value_set_int(at, "line", e->line);
	}
}

static void dump_claim_sources(struct value *t, const struct claim *c)
{
	struct value *a = set_array(t, "sources");
	for (size_t i = 0; i < c->nsources; i++) {
		const struct claim_source *cs = &c->sources[i];
		struct value *st = push_table(a);
		value_set_str(st, "cite", cs->cite);
		set_page(st, "target", cs->target);
		value_set_int(st, "block", cs->block);
		value_set_bool(st, "disagrees", cs->disagrees);
		value_set_str(st, "wording", cs->wording);
	}
	a = set_array(t, "articles");
	for (size_t i = 0; i < c->narticles; i++) {
		struct value *at = push_table(a);
		set_page(at, "article", c->articles[i].article);
		value_set_int(at, "group", (int64_t)c->articles[i].group);
		value_set_bool(at, "disagrees", c->articles[i].disagrees);
	}
}

static void dump_claim(struct value *t, const struct claim *c)
{
	value_set_str(t, "id", c->id);
	value_set_str(t, "status", c->status);
	value_set_str(t, "section", c->section);
	value_set_str(t, "text", c->text);
	value_set_int(t, "line", c->line);
	value_set_int(t, "independent", (int64_t)c->nindependent);
	value_set_int(t, "groups", (int64_t)c->ngroups);
	value_set_int(t, "disagreeing", (int64_t)c->ndisagreeing);
	dump_claim_sources(t, c);
	struct value *a = set_array(t, "contradicts");
	for (size_t i = 0; i < c->ncontradicts; i++) {
		struct value *r = push_table(a);
		value_set_str(r, "ref", c->contradicts[i].ref);
		const struct claim *o = c->contradicts[i].target;
		set_page(r, "page", o ? o->topic : NULL);
		value_set_str(r, "claim", o ? o->id : NULL);
	}
	a = set_array(t, "contradicted_by");
	for (size_t i = 0; i < c->ncontradicted_by; i++) {
		struct value *r = push_table(a);
		set_page(r, "page", c->contradicted_by[i]->topic);
		value_set_str(r, "claim", c->contradicted_by[i]->id);
	}
}

static void dump_claims(struct value *t, const struct page *p)
{
	struct value *a = set_array(t, "claims");
	for (size_t i = 0; i < p->nclaims; i++)
		dump_claim(push_table(a), &p->claims[i]);
}

static void dump_relation(struct value *t, const struct relation *r)
{
	set_page(t, "from", r->from);
	value_set_str(t, "kind", r->kind_name);
	value_set_str(t, "article", r->article);
	set_page(t, "target", r->target);
	struct value *a = set_array(t, "evidence");
	for (size_t i = 0; i < r->nevidence; i++) {
		const struct relation_evidence *e = &r->evidence[i];
		struct value *et = push_table(a);
		value_set_str(et, "here", e->here);
		value_set_str(et, "there", e->there);
		value_set_int(et, "here_block", e->here_block);
		value_set_int(et, "there_block", e->there_block);
	}
}

static void dump_relations(struct value *t, const struct page *p)
{
	struct value *a = set_array(t, "relations");
	for (size_t i = 0; i < p->nrelations; i++)
		dump_relation(push_table(a), &p->relations[i]);
	a = set_array(t, "related_by");
	for (size_t i = 0; i < p->nrelated_by; i++) {
		struct value *r = push_table(a);
		set_page(r, "from", p->related_by[i]->from);
		value_set_str(r, "kind", p->related_by[i]->kind_name);
	}
	a = set_array(t, "shared_wording");
	for (size_t i = 0; i < p->nshared; i++) {
		const struct shared_passage *sp = &p->shared[i];
		struct value *st = push_table(a);
		set_page(st, "other", sp->other);
		value_set_int(st, "block", sp->block);
		value_set_int(st, "other_block", sp->other_block);
		value_set_int(st, "words", (int64_t)sp->words);
	}
	set_page(t, "source_parent", p->source_parent);
}

static void dump_change(struct value *t, const struct history_change *c)
{
	value_set_str(t, "commit", c->commit->hash);
	char st[2] = { c->status, '\0' };
	value_set_str(t, "status", st);
	value_set_str(t, "path", c->path);
	value_set_str(t, "old_path", c->old_path);
	value_set_str(t, "blob", c->blob);
	value_set_str(t, "old_blob", c->old_blob);
}

static void dump_history(struct value *t, const struct page *p)
{
	const struct history_file *h = p->history;
	if (!h) {
		value_table_set(t, "history", value_new_null());
		return;
	}
	struct value *ht = value_table_set(t, "history", value_new_table());
	value_set_str(ht, "added", h->added ? h->added->hash : NULL);
	value_set_str(ht, "updated", h->updated ? h->updated->hash : NULL);
	value_set_bool(ht, "truncated", h->truncated);
	value_set_bool(ht, "uncommitted", h->uncommitted);
	struct value *a = set_array(ht, "changes");
	for (size_t i = 0; i < h->n; i++)
		dump_change(push_table(a), &h->changes[i]);
	/* The revision pages load made of the newest changes. */
	a = set_array(ht, "revisions");
	for (size_t i = 0; i < p->nrevisions; i++) {
		const struct revision *r = &p->revisions[i];
		struct value *rt = push_table(a);
		value_set_str(rt, "out", r->page->out);
		value_set_str(rt, "title", r->title);
		value_set_str(rt, "commit", r->change->commit->hash);
		value_set_int(rt, "diff_runs", (int64_t)r->diff.n);
	}
}

static void dump_page(struct value *t, const struct page *p)
{
	value_set_str(t, "out", p->out);
	value_set_str(t, "src", p->src);
	value_set_str(t, "kind", page_kind_name(p->kind));
	value_set_str(t, "title", p->title);
	value_set_str(t, "section", p->section);
	value_set_str(t, "slug", p->slug);
	value_set_str(t, "date", p->date);
	value_set_int(t, "weight", p->weight);
	set_page(t, "parent", p->parent);
	dump_pages_list(t, "children", p->children, p->nchildren);
	value_set_bool(t, "linked_from_list", p->linked_from_list);
	dump_headings(t, p);
	dump_blocks(t, p);
	dump_pages_list(t, "cited_by_pages", p->cited_by_pages, p->ncited_by_pages);
	dump_annotations(t, p);
	dump_claims(t, p);
	dump_relations(t, p);
	value_set_int(t, "mention_total", (int64_t)p->mention_total);
	dump_history(t, p);
}

static void dump_entity(struct value *t, const struct site *s, const struct entity *e)
{
	value_set_str(t, "slug", e->slug);
	set_page(t, "page", e->page);
	value_set_str(t, "kind", e->kind);
	value_set_bool(t, "link", e->link);
	value_set_bool(t, "case_sensitive", e->case_sensitive);
	struct value *a = set_array(t, "mentions");
	for (size_t i = 0; i < e->nmentions; i++) {
		struct value *m = push_table(a);
		set_page(m, "page", e->mentions[i].page);
		value_set_int(m, "block", e->mentions[i].block);
		value_set_str(m, "anchor", e->mentions[i].anchor);
	}
	/* Co-occurrence by the other entity's slug, those above zero. */
	struct value *co = value_table_set(t, "cooccur", value_new_table());
	for (size_t i = 0; e->cooccur && i < s->nentities; i++)
		if (e->cooccur[s->entities[i]->index])
			value_set_int(co, s->entities[i]->slug, (int64_t)e->cooccur[s->entities[i]->index]);
}

static void dump_site(struct value *t, const struct site *s)
{
	value_set_str(t, "title", s->cfg.title);
	value_set_str(t, "base_url", s->cfg.base_url);
	value_set_str(t, "theme", s->cfg.theme);
	value_set_bool(t, "unsafe", s->cfg.unsafe);
	value_set_bool(t, "history", s->history && history_available(s->history));
}

struct value *model_dump(const struct site *s)
{
	struct value *root = value_new_table();
	dump_site(value_table_set(root, "site", value_new_table()), s);
	struct value *a = set_array(root, "pages");
	for (size_t i = 0; i < s->npages; i++)
		dump_page(push_table(a), s->pages[i]);
	a = set_array(root, "entities");
	for (size_t i = 0; i < s->nentities; i++)
		dump_entity(push_table(a), s, s->entities[i]);
	a = set_array(root, "assets");
	for (size_t i = 0; i < s->nassets; i++)
		value_array_push(a, value_new_cstr(s->assets[i]));
	a = set_array(root, "external");
	for (size_t i = 0; i < s->nexternal; i++) {
		struct value *x = push_table(a);
		value_set_str(x, "url", s->external[i].url);
		value_set_str(x, "file", s->external[i].file);
		value_set_int(x, "line", s->external[i].line);
		value_set_int(x, "col", s->external[i].col);
	}
	return root;
}

int model_dump_write(const struct site *s, FILE *f)
{
	struct value *v = model_dump(s);
	struct strbuf sb = STRBUF_INIT;
	json_write(&sb, v, JSON_PRETTY);
	sb_putc(&sb, '\n');
	value_free(v);
	int rc = fwrite(sb.ptr, 1, sb.size, f) == sb.size && fflush(f) == 0 ? 0 : -1;
	sb_free(&sb);
	return rc;
}
