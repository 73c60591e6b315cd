/*
 * libFuzzer target for the article importer (article.c, and content.c's
 * page_import_text for a whole .txt file with its +++ header).
 *
 * The first input byte holds options: bit 0 treats the rest as a whole
 * article file (header, `drop` patterns, body) given to page_import_text;
 * otherwise the rest is a body given to article_convert with two fixed
 * rule sets. Invariants checked on success: the Markdown is NUL-terminated
 * and every line ends in '\n'; the line map has one entry per line, each a
 * line of the text; the dropped lines are in text order; cmark-gfm parses
 * the Markdown (any failure is ASan/UBSan's to report); a failure is a
 * control byte in the text, each reported.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "article.h"
#include "content.h"
#include "diag.h"
#include "markdown.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct article_rules *rules[2];

static void init_rules(void)
{
	struct diag d;
	diag_init(&d);
	rules[0] = article_rules_new();
	rules[1] = article_rules_new();
	if (article_rules_add(rules[0], "^Advertisement$", "site.toml", 1, 1, &d) ||
	    article_rules_add(rules[0], "Subscribe to", "site.toml", 2, 1, &d) ||
	    article_rules_add(rules[1], "^(Share|Tweet)( this)?$", "a.txt", 3, 1, &d))
		abort();
	diag_free(&d);
}

/* A byte article.h's article_convert refuses: a C0 control but tab, line
 * feed and carriage return, or DEL. */
static bool has_control(const char *text, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)text[i];
		if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0x7f)
			return true;
	}
	return false;
}

static void check_result(const char *text, size_t len, const struct article_result *r)
{
	size_t lines = 1, n = strlen(r->markdown), count = 0;
	for (size_t i = 0; i < len; i++)
		lines += text[i] == '\n';
	if (n && r->markdown[n - 1] != '\n')
		abort();
	for (size_t i = 0; i < n; i++)
		count += r->markdown[i] == '\n';
	if (count != r->nlines)
		abort();
	for (size_t i = 0; i < r->nlines; i++)
		if (r->line_map[i] < 1 || (size_t)r->line_map[i] > lines)
			abort();
	for (size_t i = 0; i < r->ndropped; i++)
		if (r->dropped[i].line < 1 || (size_t)r->dropped[i].line > lines ||
		    (i && r->dropped[i].line <= r->dropped[i - 1].line))
			abort();
	cmark_node *doc = markdown_parse(r->markdown, n);
	char *html = markdown_render(doc, false);
	free(html);
	cmark_node_free(doc);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	if (!rules[0])
		init_rules();
	const char *text = (const char *)data + 1;
	size_t len = size - 1;
	if (data[0] & 1) {
		struct diag d;
		char *md = NULL;
		diag_init(&d);
		int rc = page_import_text(text, len, "content/articles/a.txt", NULL, 1, &md, &d);
		if ((rc == 0) != (md != NULL) || (rc == 0 && d.errors))
			abort();
		if (md) {
			cmark_node *doc = markdown_parse(md, strlen(md));
			cmark_node_free(doc);
		}
		free(md);
		diag_free(&d);
		return 0;
	}
	struct article_result r;
	memset(&r, 0, sizeof r);
	const struct article_rules *const sets[2] = { rules[0], rules[1] };
	int rc = article_convert(text, len, sets, 2, &r);
	if (rc == 0)
		check_result(text, len, &r);
	else if (!has_control(text, len) || !r.nerrors)
		abort(); /* the only documented failure: a control byte, reported */
	article_result_free(&r);
	return 0;
}
