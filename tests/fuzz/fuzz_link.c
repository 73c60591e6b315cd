/*
 * libFuzzer target for link resolution (link_resolve, and fs_resolve
 * under it) on a fixed linked site: an article with numbered paragraphs,
 * a topic with headings, an entity and the generated pages.
 *
 * The first input byte picks the page the link is written in; the rest is
 * the URL. Invariants: a page is returned exactly when no error was
 * reported; a fragment (owned, percent-decoded) is returned only for a URL
 * with a '#', and only with a page; a returned page has a source, or is a
 * generated folder index (a folder link) or the page itself (a same-page
 * fragment).
 */
#include <stdint.h>

#include "fuzz_site.h"
#include "xalloc.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct site site;
static bool loaded;

static const char article[] =
	"+++\ntitle = \"Example\"\npublisher = \"P\"\npublished = \"2025-01-27\"\nurl = \"https://example.org/a\"\n[[annotations]]\nquote = \"spent only\"\n"
	"note = \"See [the costs](../topics/costs.md#the-figure).\"\n+++\n"
	"The lab spent only $5.6 million.\n\nIt Was Cheap\n\nA second paragraph here.\n"
	"- one item\n- two items\n";
static const char topic[] =
	"+++\ntitle = \"Costs\"\n+++\n# Costs\n\n## The figure\n\nAcme said so "
	"[](../articles/ex.txt#p1).\n\n## The figure\n\nAgain.\n";
static const char entity[] =
	"+++\ntitle = \"Acme Labs\"\nkind = \"organization\"\n+++\nA lab. See [x](../topics/costs.md).\n";

static void load(void)
{
	struct diag d;
	diag_init(&d);
	fuzz_reset(false, false);
	fuzz_write("content/articles/ex.txt", article, sizeof article - 1);
	fuzz_write("content/topics/costs.md", topic, sizeof topic - 1);
	fuzz_write("content/entities/acme.md", entity, sizeof entity - 1);
	fuzz_write("content/img/x.png", "png", 3);
	if (fuzz_load(&site, &d) < 0 || d.errors || site.npages < 3) {
		diag_print(&d, stderr);
		abort();
	}
	diag_free(&d);
	loaded = true;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	if (!loaded)
		load();
	const struct page *from = site.pages[data[0] % site.npages];
	char *url = xstrndup((const char *)data + 1, size - 1);
	char *frag = NULL;
	struct diag d;
	diag_init(&d);
	struct page *to = link_resolve(&site, from, url, &frag, 1, 1, &d);
	if ((to != NULL) != (d.errors == 0))
		abort();
	const char *hash = strchr(url, '#');
	if (frag && (!hash || !to))
		abort();
	free(frag);
	/* A page without a source is a generated folder index, which a
	 * folder link reaches ("../topics/", find_target). */
	if (to && !to->src && to != from && strcmp(fs_basename(to->out), "index.html"))
		abort();
	diag_free(&d);
	free(url);
	return 0;
}
