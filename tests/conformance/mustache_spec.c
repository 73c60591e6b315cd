/*
 * mustache-spec: runs every test of one Mustache spec file (the JSON form
 * of github.com/mustache/spec) against the engine.
 *
 *     build/mustache-spec ../shared/conformance/mustache-spec/specs/sections.json
 *
 * Each test gives data, a template, optional partials and the expected
 * output. The template is added to a fresh set together with the partials
 * and rendered without MUSTACHE_STRICT (the spec renders a missing partial
 * as ""). Each failure is printed with its name, the template, the expected
 * and the actual output; the last line is "N passed, N failed". Exit
 * status: 0 if all passed, 1 if any failed, 2 if the file cannot be read.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "fsutil.h"
#include "json.h"
#include "mustache.h"
#include "strbuf.h"
#include "value.h"

/* The spec names partials freely; this name cannot be one of them in any
 * spec file, as it holds a control character. */
#define TEMPLATE_NAME "\001template"

static void print_quoted(const char *label, const char *s, size_t n)
{
	printf("    %-9s \"", label);
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c == '\n')
			fputs("\\n", stdout);
		else if (c == '\r')
			fputs("\\r", stdout);
		else if (c == '\t')
			fputs("\\t", stdout);
		else if (c == '"' || c == '\\')
			printf("\\%c", c);
		else if (c < 0x20 || c == 0x7f)
			printf("\\x%02x", c);
		else
			putchar(c);
	}
	fputs("\"\n", stdout);
}

static const struct value *get_string(const struct value *t, const char *key)
{
	const struct value *v = value_table_get(t, key);
	return v && v->type == VALUE_STRING ? v : NULL;
}

/* Adds the test's partials and template to `set`; -1 on a compile error. */
static int load(struct mustache_set *set, const struct value *test,
		const struct value *tpl, struct diag *d)
{
	const struct value *partials = value_table_get(test, "partials");
	int rc = 0;
	for (size_t i = 0; partials && partials->type == VALUE_TABLE &&
			   i < partials->u.t.n;
	     i++) {
		const struct value_kv *kv = &partials->u.t.items[i];
		if (kv->val->type != VALUE_STRING)
			continue;
		struct strbuf file = STRBUF_INIT;
		sb_printf(&file, "partials/%s.mustache", kv->key);
		if (mustache_set_add(set, kv->key, kv->val->u.s.p, kv->val->u.s.n,
				     file.ptr, d) < 0)
			rc = -1;
		sb_free(&file);
	}
	if (mustache_set_add(set, TEMPLATE_NAME, tpl->u.s.p, tpl->u.s.n,
			     "template", d) < 0)
		rc = -1;
	return rc;
}

static void report(const char *name, const struct value *tpl,
		   const struct value *want, const struct strbuf *got,
		   struct diag *d)
{
	printf("FAIL %s\n", name);
	print_quoted("template:", tpl->u.s.p, tpl->u.s.n);
	print_quoted("expected:", want->u.s.p, want->u.s.n);
	print_quoted("got:", got->ptr, got->size);
	for (size_t i = 0; i < d->n; i++) {
		char *line = NULL;
		diag_format(&d->items[i], &line);
		printf("    %s\n", line);
		free(line);
	}
}

static bool run_test(const struct value *test)
{
	const struct value *name = get_string(test, "name");
	const struct value *tpl = get_string(test, "template");
	const struct value *want = get_string(test, "expected");
	const char *title = name ? name->u.s.p : "(unnamed test)";
	if (!tpl || !want) {
		printf("FAIL %s\n    malformed test (no template or expected)\n", title);
		return false;
	}
	struct mustache_set *set = mustache_set_new();
	struct strbuf out = STRBUF_INIT;
	struct diag d;
	diag_init(&d);
	bool ok = load(set, test, tpl, &d) == 0 &&
		  mustache_render(set, TEMPLATE_NAME, value_table_get(test, "data"),
				  0, &out, &d) == 0 &&
		  out.size == want->u.s.n && !memcmp(out.ptr, want->u.s.p, out.size);
	if (!ok)
		report(title, tpl, want, &out, &d);
	diag_free(&d);
	sb_free(&out);
	mustache_set_free(set);
	return ok;
}

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: %s SPEC.json\n", argv[0]);
		return 2;
	}
	char *src = NULL;
	size_t len = 0;
	if (fs_read_file(argv[1], &src, &len) < 0) {
		fprintf(stderr, "%s: %s\n", argv[1], strerror(errno));
		return 2;
	}
	struct diag d;
	diag_init(&d);
	struct value *root = json_parse(src, len, argv[1], &d);
	const struct value *tests = root ? value_table_get(root, "tests") : NULL;
	if (!tests || tests->type != VALUE_ARRAY) {
		if (root)
			diag_error(&d, argv[1], 0, 0, "no \"tests\" array");
		diag_print(&d, stderr);
		diag_free(&d);
		value_free(root);
		free(src);
		return 2;
	}
	size_t passed = 0, failed = 0;
	for (size_t i = 0; i < tests->u.a.n; i++) {
		if (run_test(tests->u.a.items[i]))
			passed++;
		else
			failed++;
	}
	printf("%zu passed, %zu failed\n", passed, failed);
	diag_free(&d);
	value_free(root);
	free(src);
	return failed ? 1 : 0;
}
