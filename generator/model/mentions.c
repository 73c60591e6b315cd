/*
 * mentions: the files of an entity's mention list (mentions.h).
 */
#include "mentions.h"

#include <stdlib.h>
#include <string.h>

#include "fsutil.h"

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
