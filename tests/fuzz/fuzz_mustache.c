/*
 * libFuzzer target for the Mustache engine: compile, check and render.
 *
 * The first input byte selects the options: bit 0 renders with
 * MUSTACHE_STRICT, bit 1 runs mustache_set_check, bits 2-3 pick the context
 * (a fixed table, an array, a string, none). The rest is split at NUL bytes
 * into up to eight templates named "a", "b", ... "h", so {{>b}} and
 * {{<c}}...{{/c}} reach each other; "a" is rendered. Limits are lowered so
 * that exponential templates end quickly.
 *
 * Besides ASan/UBSan it checks: compiling fails exactly when an error is
 * reported, and every error has a position; rendering fails exactly when
 * an error is reported; the same render twice gives the same bytes.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "json.h"
#include "mustache.h"
#include "strbuf.h"
#include "value.h"

static const char context_json[] =
	"{\"a\": true, \"b\": [{\"a\": false, \"c\": \"x\"}, 1, \"s\", [2, 3]],"
	" \"c\": \"<&\\\"'>\", \"d\": {\"a\": {\"b\": 1.5}, \"e\": []},"
	" \"e\": [], \"f\": 0, \"g\": null, \"h\": \"\\n  line\\n\","
	" \"list\": [{\"name\": \"n1\", \"list\": []}, {\"name\": \"n2\"}]}";

static struct value *contexts[4];

static void init_contexts(void)
{
	struct diag d;
	diag_init(&d);
	contexts[0] = json_parse(context_json, strlen(context_json), "ctx", &d);
	contexts[1] = json_parse("[1, {\"a\": 2}, \"x\"]", 18, "ctx", &d);
	contexts[2] = value_new_cstr("text & more");
	contexts[3] = NULL;
	if (!contexts[0] || !contexts[1] || d.errors)
		abort();
	diag_free(&d);
}

static void check_positions(const struct diag *d)
{
	for (size_t i = 0; i < d->n; i++)
		if (d->items[i].level == DIAG_ERROR &&
		    (!d->items[i].file || d->items[i].line < 1 || d->items[i].col < 1))
			abort();
}

/* Splits the input into templates a, b, ... and adds those that compile. */
static void add_templates(struct mustache_set *s, const char *p, size_t n)
{
	char name[2] = "a";
	for (int k = 0; k < 8; k++, name[0]++) {
		const char *nul = memchr(p, '\0', n);
		size_t len = nul && k < 7 ? (size_t)(nul - p) : n;
		struct diag d;
		diag_init(&d);
		int rc = mustache_set_add(s, name, p, len, name, &d);
		if ((rc == 0) != (d.errors == 0) || (rc == 0) != mustache_set_has(s, name))
			abort();
		check_positions(&d);
		diag_free(&d);
		if (len == n)
			break;
		p += len + 1;
		n -= len + 1;
	}
}

static int render(const struct mustache_set *s, const struct value *ctx,
		  unsigned flags, struct strbuf *out)
{
	struct diag d;
	diag_init(&d);
	int rc = mustache_render(s, "a", ctx, flags, out, &d);
	if ((rc == 0) != (d.errors == 0))
		abort();
	check_positions(&d);
	diag_free(&d);
	return rc;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	if (!contexts[0])
		init_contexts();
	unsigned opts = data[0];
	struct mustache_set *s = mustache_set_new();
	mustache_set_limits(s, &(struct mustache_limits){
				       .max_depth = 12,
				       .max_steps = 20000,
				       .max_output = 1 << 16,
			       });
	add_templates(s, (const char *)data + 1, size - 1);
	if (opts & 2) {
		struct diag d;
		diag_init(&d);
		if ((mustache_set_check(s, &d) == 0) != (d.errors == 0))
			abort();
		check_positions(&d);
		diag_free(&d);
	}
	if (mustache_set_has(s, "a")) {
		const struct value *ctx = contexts[(opts >> 2) & 3];
		unsigned flags = opts & 1 ? MUSTACHE_STRICT : 0;
		struct strbuf one = STRBUF_INIT, two = STRBUF_INIT;
		int rc1 = render(s, ctx, flags, &one);
		int rc2 = render(s, ctx, flags, &two);
		if (rc1 != rc2 || one.size != two.size || memcmp(one.ptr, two.ptr, one.size))
			abort();
		sb_free(&one);
		sb_free(&two);
	}
	mustache_set_free(s);
	return 0;
}
