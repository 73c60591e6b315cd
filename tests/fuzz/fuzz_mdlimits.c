/*
 * libFuzzer target for mdlimits_check against the parser it guards.
 *
 * Input: the first byte sets how many times the rest is repeated (1 to
 * 64), so inputs reach the sizes where a quadratic cost shows; the
 * repeated text is a Markdown body. When the scan passes it, the body is
 * parsed as a page's is (markdown_parse), and the tree may hold no more
 * table cells than the scan allows: the cells written (at most one per
 * '|' and one per line) and the filled ones (MDLIMITS_FILLED_BASE plus
 * one per byte). A body that breaks that bound, or that the parser takes
 * longer than libFuzzer's -timeout on, is a case the scan
 * under-approximates.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "markdown.h"
#include "mdlimits.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	size_t reps = 1 + data[0] % 64, n = size - 1;
	char *md = malloc(n * reps + 1);
	for (size_t i = 0; i < reps; i++)
		memcpy(md + i * n, data + 1, n);
	size_t len = n * reps;
	md[len] = '\0';
	struct mdlimits_hit hits[MDLIMITS_RULES];
	if (mdlimits_check(md, len, hits) == 0) {
		size_t written = 1; /* lines and pipes: the cells the text holds */
		for (size_t i = 0; i < len; i++)
			written += md[i] == '|' || md[i] == '\n' || md[i] == '\r';
		cmark_node *doc = markdown_parse(md, len);
		size_t cells = 0;
		cmark_iter *it = cmark_iter_new(doc);
		cmark_event_type ev;
		while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE)
			if (ev == CMARK_EVENT_ENTER &&
			    !strcmp(cmark_node_get_type_string(cmark_iter_get_node(it)), "table_cell"))
				cells++;
		cmark_iter_free(it);
		cmark_node_free(doc);
		if (cells > written + MDLIMITS_FILLED_BASE + len) {
			fprintf(stderr, "mdlimits passed a body of %zu bytes whose tree has %zu table cells\n",
				len, cells);
			abort();
		}
	}
	free(md);
	return 0;
}
