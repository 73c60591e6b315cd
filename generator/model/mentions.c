/*
 * mentions: co-occurrence tables and the paging of mention lists
 * (mentions.h).
 */
#include "mentions.h"

#include <stdlib.h>
#include <string.h>

#include "fsutil.h"
#include "site.h"
#include "xalloc.h"

static size_t slot_of(size_t other, size_t cap)
{
	return (size_t)(((uint64_t)other * 0x9E3779B97F4A7C15ull) >> 32) & (cap - 1);
}

static struct cooccur_slot *find_slot(struct cooccur_slot *slots, size_t cap, size_t key)
{
	size_t i = slot_of(key, cap);
	while (slots[i].other && slots[i].other != key)
		i = (i + 1) & (cap - 1);
	return &slots[i];
}

static void rehash(struct cooccur *c)
{
	size_t cap = c->cap ? c->cap * 2 : 16;
	struct cooccur_slot *slots = xcalloc(cap, sizeof(*slots));
	for (size_t i = 0; i < c->cap; i++)
		if (c->slots[i].other)
			*find_slot(slots, cap, c->slots[i].other) = c->slots[i];
	free(c->slots);
	c->slots = slots;
	c->cap = cap;
}

void cooccur_add(struct cooccur *c, size_t other)
{
	if (4 * (c->n + 1) > 3 * c->cap)
		rehash(c);
	struct cooccur_slot *s = find_slot(c->slots, c->cap, other + 1);
	if (!s->other) {
		s->other = (uint32_t)(other + 1);
		c->n++;
	}
	s->count++;
}

size_t cooccur_get(const struct cooccur *c, size_t other)
{
	if (!c->cap)
		return 0;
	return find_slot(c->slots, c->cap, other + 1)->count;
}

void cooccur_free(struct cooccur *c)
{
	free(c->slots);
	c->slots = NULL;
	c->n = c->cap = 0;
}

size_t entity_files(const struct entity *e)
{
	return e->npages <= ENTITY_PAGE_SIZE ? 1 : (e->npages + ENTITY_PAGE_SIZE - 1) / ENTITY_PAGE_SIZE;
}

/* "entities/x.html" -> "entities/x" */
static void file_dir(const char *page_out, struct strbuf *out)
{
	sb_puts(out, page_out);
	size_t ext = strlen(fs_extension(page_out));
	sb_truncate(out, out->size - ext);
}

void entity_file_out(const struct entity *e, size_t k, struct strbuf *out)
{
	sb_clear(out);
	if (k <= 1) {
		sb_puts(out, e->page->out);
		return;
	}
	file_dir(e->page->out, out);
	sb_printf(out, "/page-%zu.html", k);
}

const struct entity *entity_file_owner(const struct site *s, const char *out, size_t *k)
{
	const char *slash = strrchr(out, '/');
	if (!slash || strncmp(slash + 1, "page-", 5))
		return NULL;
	const char *d = slash + 6;
	size_t n = 0, digits = 0;
	for (; *d >= '0' && *d <= '9' && digits < 12; d++, digits++)
		n = n * 10 + (size_t)(*d - '0');
	if (!digits || d[-(long)digits] == '0' || strcmp(d, ".html") || n < 2)
		return NULL;
	struct strbuf page = STRBUF_INIT;
	sb_put(&page, out, (size_t)(slash - out));
	sb_puts(&page, ".html");
	const struct page *p = site_find_out(s, page.ptr);
	sb_free(&page);
	if (!p || !p->entity || n > entity_files(p->entity))
		return NULL;
	if (k)
		*k = n;
	return p->entity;
}
