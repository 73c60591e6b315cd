/*
 * libFuzzer target for a content file's first steps: the UTF-8 check, the
 * split into +++ front matter and body, the front matter's TOML and its
 * schema check for a page kind (the first input byte picks the kind).
 *
 * Invariants: a split that succeeds gives fm_end <= body <= len and the
 * body line is the number of lines before the body plus one; a front matter
 * is a tree exactly when no error was reported; every error has a position
 * (a line, since the split and the TOML know where they are).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "content.h"
#include "diag.h"
#include "site.h"
#include "utf8.h"
#include "value.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_positions(const struct diag *d)
{
	for (size_t i = 0; i < d->n; i++)
		if (!d->items[i].file || d->items[i].line < 1)
			abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	enum page_kind kind = (enum page_kind)(data[0] % PAGE_KIND_COUNT);
	const char *src = (const char *)data + 1;
	size_t len = size - 1, fm_end = 0, body = 0;
	int body_line = 0;
	struct diag d;
	diag_init(&d);
	size_t bad = utf8_invalid(src, len);
	if (bad != UTF8_VALID && bad >= len)
		abort();
	if (page_split(src, len, "content/x.md", &fm_end, &body, &body_line, &d) == 0) {
		size_t lines = 1;
		if (d.errors || fm_end > body || body > len)
			abort();
		for (size_t i = 0; i < body; i++)
			lines += src[i] == '\n';
		if ((size_t)body_line != lines + (body == len && (!len || src[len - 1] != '\n')))
			abort();
		struct value *fm = page_front_matter(src, fm_end, "content/x.md", &d);
		if ((fm != NULL) != (d.errors == 0))
			abort();
		if (fm) {
			config_check_front_matter(fm, kind, "content/x.md", &d);
			value_free(fm);
		}
	} else if (!d.errors) {
		abort();
	}
	check_positions(&d);
	diag_free(&d);
	return 0;
}
