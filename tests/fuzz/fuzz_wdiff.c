/*
 * libFuzzer target for the word diff (wdiff.c).
 *
 * Input: the old and the new text, split at the first NUL byte. Invariants:
 * identical texts give exactly the "no change" paragraph and different
 * texts never do; <ins> and <del> are balanced and never nested; apart
 * from the diff's own tags every '<' of the output is escaped (the output
 * holds no other tag); the same call twice gives the same bytes.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "strbuf.h"
#include "wdiff.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char same[] = "<p class=\"wdiff-same\">No change to the text.</p>";

static const char *const tags[] = {
	"<ins>", "</ins>", "<del>", "</del>", "<pre class=\"wdiff\">", "</pre>",
	"<p class=\"wdiff-skip\">", "<p class=\"wdiff-same\">", "</p>"
};

static void check_tags(const char *s, size_t n)
{
	int open = 0; /* 0, or 1 inside <ins>, 2 inside <del> */
	for (size_t i = 0; i < n; i++) {
		if (s[i] != '<')
			continue;
		size_t k = 0, tl = 0;
		for (; k < sizeof tags / sizeof *tags; k++) {
			tl = strlen(tags[k]);
			if (i + tl <= n && !memcmp(s + i, tags[k], tl))
				break;
		}
		if (k == sizeof tags / sizeof *tags)
			abort();
		if (k < 4) {
			if ((k % 2 == 0) != (open == 0) || (k % 2 == 1 && open != (int)(k / 2) + 1))
				abort();
			open = k % 2 == 0 ? (int)(k / 2) + 1 : 0;
		}
		i += tl - 1;
	}
	if (open)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *p = (const char *)data;
	const char *nul = memchr(p, '\0', size);
	size_t an = nul ? (size_t)(nul - p) : size;
	const char *b = nul ? nul + 1 : p + size;
	size_t bn = nul ? size - an - 1 : 0;
	struct strbuf one = STRBUF_INIT, two = STRBUF_INIT;
	wdiff_html(&one, p, an, b, bn);
	wdiff_html(&two, p, an, b, bn);
	if (one.size != two.size || memcmp(one.ptr, two.ptr, one.size))
		abort();
	bool is_same = one.size >= sizeof same - 1 && !memcmp(one.ptr, same, sizeof same - 1);
	bool equal = an == bn && !memcmp(p, b, an);
	if (is_same != equal)
		abort();
	check_tags(one.ptr ? one.ptr : "", one.size);
	sb_free(&one);
	sb_free(&two);
	return 0;
}
