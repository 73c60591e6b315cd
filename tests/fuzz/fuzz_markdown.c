/*
 * libFuzzer target for the Markdown pipeline of a page, in process: the
 * real loader (front matter, the article importer for .txt, cmark-gfm
 * parse, the safety pass), the link pass (annotations, block numbering,
 * heading ids, citations and links rewritten, entity registry and the
 * mention scan) and the HTML rendering of every page (ids, paragraph
 * links, cited-by lists and entity links written from the model).
 *
 * Input: the first byte holds options (bit 0: [markdown] unsafe; bit 1:
 * the article is a .md file instead of an imported .txt; bit 2: entity
 * links "all"); the rest is split at NUL bytes into up to three files:
 * content/articles/a.txt (or a.md), content/topics/t.md and
 * content/entities/e.md. A part that does not start with "+++" gets a
 * minimal front matter, so plain Markdown reaches the pipeline too.
 *
 * Besides ASan/UBSan (and the model's own asserts in site_check): a load
 * that reports no error gives every page a tree; rendering twice gives the
 * same bytes; in safe mode no rendered page holds a raw "<script" or a
 * "javascript:" href written by the input.
 */
#include <stdint.h>

#include "fuzz_site.h"
#include "markdown.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const files[3][2] = {
	{ "content/articles/a.txt", "title = \"A\"\npublisher = \"P\"\npublished = \"2025-01-27\"\nurl = \"https://example.org/a\"\n" },
	{ "content/topics/t.md", "title = \"T\"\n" },
	{ "content/entities/e.md", "title = \"Acme Labs\"\nkind = \"organization\"\naliases = [\"Acme\"]\n" },
};

static void put_file(const char *name, const char *fm, const char *p, size_t n)
{
	struct strbuf sb = STRBUF_INIT;
	if (n < 3 || memcmp(p, "+++", 3)) {
		sb_printf(&sb, "+++\n%s+++\n", fm);
	}
	sb_put(&sb, p, n);
	fuzz_write(name, sb.ptr ? sb.ptr : "", sb.size);
	sb_free(&sb);
}

static bool has_ci(const char *s, const char *needle)
{
	size_t n = strlen(needle);
	for (; *s; s++)
		if (!strncasecmp(s, needle, n))
			return true;
	return false;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1 || size > 1 << 16)
		return 0;
	unsigned opts = data[0];
	bool unsafe = opts & 1;
	const char *p = (const char *)data + 1;
	size_t n = size - 1;
	fuzz_reset(unsafe, opts & 4);
	for (int k = 0; k < 3; k++) {
		const char *nul = memchr(p, '\0', n);
		size_t len = nul && k < 2 ? (size_t)(nul - p) : n;
		const char *name = files[k][0];
		if (k == 0 && (opts & 2))
			name = "content/articles/a.md";
		put_file(name, files[k][1], p, len);
		if (len == n)
			break;
		p += len + 1;
		n -= len + 1;
	}
	struct site s;
	struct diag d;
	diag_init(&d);
	if (fuzz_load(&s, &d) < 0)
		abort();
	for (size_t i = 0; i < s.npages; i++) {
		struct page *pg = s.pages[i];
		if (pg->src && !pg->doc)
			abort();
		if (!pg->doc)
			continue;
		char *one = markdown_render(pg->doc, s.cfg.unsafe);
		char *two = markdown_render(pg->doc, s.cfg.unsafe);
		if (strcmp(one, two))
			abort();
		if (!s.cfg.unsafe && (has_ci(one, "<script") || has_ci(one, "href=\"javascript:")))
			abort();
		free(one);
		free(two);
	}
	site_free(&s);
	diag_free(&d);
	return 0;
}
