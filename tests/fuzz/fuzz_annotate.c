/*
 * libFuzzer target for annotation anchoring (annotate.c) on a parsed
 * document, as the link pass runs it (text nodes consolidated first).
 *
 * Input: split at NUL bytes; the first part is Markdown, each further part
 * (up to 32) an annotation "quote\x1fprefix\x1fsuffix" (prefix and suffix
 * optional). Every annotation gets a one-paragraph note.
 *
 * Invariants: annotate_apply() returns 0 exactly when no error was
 * reported; an applied annotation has its block at the top level (its
 * parent is the document), its leaf inside that block and its aside at the
 * top level; a failed one has none; the text of the document (TEXT and CODE
 * literals outside the asides) is unchanged; rendering gives the same bytes
 * twice.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "annotate.h"
#include "diag.h"
#include "markdown.h"
#include "strbuf.h"
#include "xalloc.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

enum {
	MAX_ANNOTATIONS = 32
};

/* TEXT and CODE literals in order, skipping CUSTOM_BLOCK subtrees. */
static void doc_text(cmark_node *doc, struct strbuf *out)
{
	cmark_iter *it = cmark_iter_new(doc);
	cmark_event_type ev;
	while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		cmark_node *n = cmark_iter_get_node(it);
		cmark_node_type t = cmark_node_get_type(n);
		if (ev == CMARK_EVENT_ENTER && t == CMARK_NODE_CUSTOM_BLOCK) {
			cmark_iter_reset(it, n, CMARK_EVENT_EXIT);
			continue;
		}
		if (ev == CMARK_EVENT_ENTER && (t == CMARK_NODE_TEXT || t == CMARK_NODE_CODE)) {
			const char *lit = cmark_node_get_literal(n);
			sb_puts(out, lit ? lit : "");
			sb_putc(out, '\x1e');
		}
	}
	cmark_iter_free(it);
}

/* Like doc_text, but joins adjacent TEXT literals (splitting a text node
 * must not count as a change). */
static char *doc_text_joined(cmark_node *doc)
{
	struct strbuf sb = STRBUF_INIT, out = STRBUF_INIT;
	doc_text(doc, &sb);
	for (size_t i = 0; i < sb.size; i++)
		if (sb.ptr[i] != '\x1e')
			sb_putc(&out, sb.ptr[i]);
	sb_free(&sb);
	sb_putc(&out, '\0');
	return sb_detach(&out);
}

static bool is_ancestor(cmark_node *a, cmark_node *n)
{
	for (; n; n = cmark_node_parent(n))
		if (n == a)
			return true;
	return false;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *p = (const char *)data;
	size_t n = size;
	const char *nul = memchr(p, '\0', n);
	size_t mdlen = nul ? (size_t)(nul - p) : n;
	cmark_node *doc = markdown_parse(p, mdlen);
	cmark_consolidate_text_nodes(doc);
	struct annotation a[MAX_ANNOTATIONS];
	char *strs[MAX_ANNOTATIONS][3];
	size_t na = 0;
	memset(a, 0, sizeof a);
	memset(strs, 0, sizeof strs);
	if (nul) {
		p += mdlen + 1;
		n -= mdlen + 1;
		while (na < MAX_ANNOTATIONS) {
			const char *end = memchr(p, '\0', n);
			size_t len = end ? (size_t)(end - p) : n;
			const char *f = p, *fe = p + len;
			for (int k = 0; k < 3; k++) {
				const char *sep = k < 2 ? memchr(f, '\x1f', (size_t)(fe - f)) : NULL;
				const char *stop = sep ? sep : fe;
				strs[na][k] = xstrndup(f, (size_t)(stop - f));
				if (!sep)
					break;
				f = sep + 1;
			}
			a[na].quote = strs[na][0];
			a[na].prefix = strs[na][1];
			a[na].suffix = strs[na][2];
			a[na].note = markdown_parse("A *note*.", 9);
			a[na].file = "a.txt";
			a[na].line = (int)na + 1;
			a[na].col = 1;
			a[na].number = (int)na + 1;
			na++;
			if (!end)
				break;
			p += len + 1;
			n -= len + 1;
		}
	}
	char *before = doc_text_joined(doc);
	struct diag d;
	diag_init(&d);
	int rc = annotate_apply(doc, a, na, &d);
	if ((rc == 0) != (d.errors == 0))
		abort();
	for (size_t i = 0; i < na; i++) {
		if (!a[i].aside_out) {
			if (a[i].block_out || a[i].leaf_out)
				abort();
			continue;
		}
		if (cmark_node_parent(a[i].block_out) != doc ||
		    cmark_node_parent(a[i].aside_out) != doc ||
		    !a[i].leaf_out || !is_ancestor(a[i].block_out, a[i].leaf_out))
			abort();
	}
	char *after = doc_text_joined(doc);
	if (strcmp(before, after))
		abort();
	char *one = markdown_render(doc, false), *two = markdown_render(doc, false);
	if (strcmp(one, two))
		abort();
	free(one);
	free(two);
	free(before);
	free(after);
	diag_free(&d);
	for (size_t i = 0; i < na; i++) {
		cmark_node_free(a[i].note);
		for (int k = 0; k < 3; k++)
			free(strs[i][k]);
	}
	cmark_node_free(doc);
	return 0;
}
