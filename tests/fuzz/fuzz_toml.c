/*
 * libFuzzer target for the TOML parser (and, through it, the JSON module).
 *
 * The first input byte holds options, the rest is the document (as cmark's
 * fuzz/cmark-fuzz.c reads its options from the input):
 *   bit 0: also feed the document to json_parse().
 * Invariants checked: toml_parse() returns a tree exactly when it reported
 * no error; every value in the tree has a position; json_write() of the
 * tree, plain and tagged, is JSON that json_parse() accepts.
 */
#include <assert.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "diag.h"
#include "json.h"
#include "strbuf.h"
#include "toml.h"
#include "value.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_positions(const struct value *v)
{
	assert(v->line > 0 && v->col > 0);
	assert(v->flags == 0);
	if (v->type == VALUE_TABLE) {
		for (size_t i = 0; i < v->u.t.n; i++) {
			assert(v->u.t.items[i].line > 0 && v->u.t.items[i].col > 0);
			check_positions(v->u.t.items[i].val);
		}
	} else if (v->type == VALUE_ARRAY) {
		for (size_t i = 0; i < v->u.a.n; i++)
			check_positions(v->u.a.items[i]);
	}
}

static void check_json(const struct value *v, unsigned flags)
{
	struct strbuf sb = STRBUF_INIT;
	struct diag d;
	diag_init(&d);
	json_write(&sb, v, flags);
	struct value *back = json_parse(sb.ptr, sb.size, "<json>", &d);
	assert(back && d.errors == 0);
	value_free(back);
	diag_free(&d);
	sb_free(&sb);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size == 0)
		return 0;
	unsigned opts = data[0];
	const char *src = (const char *)data + 1;
	size_t len = size - 1;
	struct diag d;
	diag_init(&d);
	struct value *v = toml_parse(src, len, "<fuzz>", &d);
	assert((v != NULL) == (d.errors == 0));
	if (v) {
		check_positions(v);
		check_json(v, 0);
		check_json(v, JSON_TOML_TAGGED | JSON_PRETTY);
		value_free(v);
	}
	diag_free(&d);
	if (opts & 1) {
		diag_init(&d);
		v = json_parse(src, len, "<fuzz>", &d);
		assert((v != NULL) == (d.errors == 0));
		value_free(v);
		diag_free(&d);
	}
	return 0;
}
