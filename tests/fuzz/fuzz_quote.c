/*
 * libFuzzer target for the quotation check (issue 16).
 *
 * The input is Markdown; every link whose URL holds "#p" is a citation.
 * Besides ASan/UBSan, it checks that each quotation found points at a
 * quotation mark inside its text node and has a citation run, and that a
 * quotation always occurs in a paragraph made of its own text (exactly and
 * folded), with quote_nearest() returning a window of that paragraph.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "markdown.h"
#include "quote.h"
#include "strbuf.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static bool is_cite(cmark_node *link, void *ctx)
{
	(void)ctx;
	const char *u = cmark_node_get_url(link);
	return u && strstr(u, "#p");
}

static bool gap_free(const char *s)
{
	return !strstr(s, "...") && !strstr(s, "\xe2\x80\xa6") && !strchr(s, '[');
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size > 1 << 16)
		return 0;
	cmark_node *doc = markdown_parse((const char *)data, size);
	cmark_consolidate_text_nodes(doc);
	struct quote_use *u = NULL;
	size_t n = quote_collect(doc, markdown_lines_joined(doc), is_cite, NULL, &u);
	for (size_t i = 0; i < n; i++) {
		const char *lit = u[i].node ? cmark_node_get_literal(u[i].node) : NULL;
		if (!lit || u[i].offset >= strlen(lit) || !u[i].nlinks)
			abort();
		if (lit[u[i].offset] != '"' && strncmp(lit + u[i].offset, "\xe2\x80\x9c", 3))
			abort();
		/* A quotation is in a paragraph that is its own text (gaps
		 * aside, which split it). */
		struct strbuf para = STRBUF_INIT, near = STRBUF_INIT;
		sb_printf(&para, "x %s y", u[i].text);
		bool has_word = false;
		for (const char *c = u[i].text; *c; c++)
			has_word |= *c != ' ' && *c != '\n' && *c != '\t' && *c != '\r';
		if (has_word && gap_free(u[i].text) &&
		    (!quote_occurs(para.ptr, u[i].text) || !quote_occurs_folded(para.ptr, u[i].text)))
			abort();
		quote_nearest(para.ptr, u[i].text, &near);
		if (near.size > para.size)
			abort();
		sb_free(&para);
		sb_free(&near);
	}
	quote_uses_free(u, n);
	cmark_node_free(doc);
	return 0;
}
