#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "json.h"
#include "mustache.h"
#include "strbuf.h"
#include "value.h"

/* All diagnostics of `d`, formatted, one per line (arrival order). */
static char *diags(const struct diag *d)
{
	struct strbuf sb = STRBUF_INIT;
	for (size_t i = 0; i < d->n; i++) {
		char *line = NULL;
		diag_format(&d->items[i], &line);
		sb_puts(&sb, line);
		sb_putc(&sb, '\n');
		free(line);
	}
	return sb_detach(&sb);
}

/* Adds `src` as template `name` from file "<name>.mustache". */
static int add(struct mustache_set *s, const char *name, const char *src,
	       struct diag *d)
{
	char file[64];
	snprintf(file, sizeof(file), "%s.mustache", name);
	return mustache_set_add(s, name, src, strlen(src), file, d);
}

/* A set of (name, source) pairs that must compile. */
static struct mustache_set *set_of(const char *const *pairs)
{
	struct mustache_set *s = mustache_set_new();
	struct diag d;
	diag_init(&d);
	for (size_t i = 0; pairs[i]; i += 2) {
		int rc = add(s, pairs[i], pairs[i + 1], &d);
		char *msg = diags(&d);
		cr_assert_eq(rc, 0, "%s: %s", pairs[i], msg);
		free(msg);
	}
	diag_free(&d);
	return s;
}

static struct value *ctx(const char *json)
{
	struct diag d;
	diag_init(&d);
	struct value *v = json_parse(json, strlen(json), "ctx.json", &d);
	cr_assert_not_null(v, "bad test context: %s", json);
	diag_free(&d);
	return v;
}

/* Renders `name`; returns the output, or NULL with *err set. */
static char *render(const struct mustache_set *s, const char *name,
		    const char *json, unsigned flags, char **err)
{
	struct value *v = json ? ctx(json) : NULL;
	struct strbuf out = STRBUF_INIT;
	struct diag d;
	diag_init(&d);
	int rc = mustache_render(s, name, v, flags, &out, &d);
	*err = diags(&d);
	diag_free(&d);
	value_free(v);
	if (rc < 0) {
		sb_free(&out);
		return NULL;
	}
	cr_assert_str_empty(*err, "render reported: %s", *err);
	return sb_detach(&out);
}

/* One template rendered with one context must give `want`. */
static void expect(const char *src, const char *json, const char *want)
{
	const char *pairs[] = { "t", src, NULL };
	struct mustache_set *s = set_of(pairs);
	char *err;
	char *got = render(s, "t", json, 0, &err);
	cr_assert_not_null(got, "%s", err);
	cr_assert_str_eq(got, want, "template %s", src);
	free(got);
	free(err);
	mustache_set_free(s);
}

/* Compiling `src` must fail with exactly the diagnostics `want`. */
static void expect_syntax(const char *src, const char *want)
{
	struct mustache_set *s = mustache_set_new();
	struct diag d;
	diag_init(&d);
	int rc = add(s, "t", src, &d);
	char *got = diags(&d);
	cr_assert_eq(rc, -1, "accepted: %s", src);
	cr_assert_str_eq(got, want, "template %s", src);
	cr_assert_not(mustache_set_has(s, "t"), "failed template was added");
	free(got);
	diag_free(&d);
	mustache_set_free(s);
}

/* ---- syntax errors ---- */

Test(mustache, error_unclosed_tag)
{
	expect_syntax("a\n  {{name", "t.mustache:2:3: error: unclosed tag (missing '}}')\n");
	expect_syntax("{{{x}}", "t.mustache:1:1: error: unclosed tag (missing '}}}')\n");
	expect_syntax("x {{! never closed\n",
		      "t.mustache:1:3: error: unclosed tag (missing '}}')\n");
}

Test(mustache, error_unclosed_tag_after_set_delimiter)
{
	expect_syntax("{{=<% %>=}}\n<% x }}",
		      "t.mustache:2:1: error: unclosed tag (missing '%>')\n");
}

Test(mustache, error_unclosed_section)
{
	expect_syntax("x\n{{#a}}\ny", "t.mustache:2:1: error: unclosed section 'a'\n");
	expect_syntax("{{^a}}", "t.mustache:1:1: error: unclosed inverted section 'a'\n");
	expect_syntax("{{<base}}{{$x}}",
		      "t.mustache:1:10: error: unclosed block 'x'\n"
		      "t.mustache:1:1: error: unclosed parent 'base'\n");
}

Test(mustache, error_mismatched_close)
{
	/* One mistake, one error: the stray closer closes the section. */
	expect_syntax("{{#a}}x{{/b}}",
		      "t.mustache:1:8: error: closing tag 'b' does not match open "
		      "section 'a' (opened at 1:1)\n");
	expect_syntax("x{{/a}}",
		      "t.mustache:1:2: error: closing tag 'a' without open section\n");
	/* Closing an outer section reports the inner one as unclosed. */
	expect_syntax("{{#a}}\n  {{#b}}\n{{/a}}",
		      "t.mustache:2:3: error: unclosed section 'b'\n");
}

Test(mustache, error_bad_tag)
{
	expect_syntax("{{}}", "t.mustache:1:1: error: empty tag\n");
	expect_syntax("ab{{ a b }}", "t.mustache:1:3: error: invalid tag name 'a b'\n");
	expect_syntax("{{a..b}}", "t.mustache:1:1: error: invalid tag name 'a..b'\n");
	expect_syntax("{{#.a}}{{/.a}}",
		      "t.mustache:1:1: error: invalid tag name '.a'\n");
	expect_syntax("{{> }}", "t.mustache:1:1: error: empty tag\n");
	/* Every error of a template is reported, not only the first. */
	expect_syntax("{{a b}}\n{{c d}}",
		      "t.mustache:1:1: error: invalid tag name 'a b'\n"
		      "t.mustache:2:1: error: invalid tag name 'c d'\n");
}

Test(mustache, error_bad_set_delimiter)
{
	const char *msg = "error: invalid set-delimiter tag (expected two "
			  "delimiters without blanks or '=')\n";
	char want[200];
	snprintf(want, sizeof(want), "t.mustache:1:3: %s", msg);
	expect_syntax("x {{=<% =}}", want);
	expect_syntax("x {{=<% %> ]]=}}", want);
	expect_syntax("x {{=a=b c=}}", want);
	snprintf(want, sizeof(want), "t.mustache:2:1: %s", msg);
	expect_syntax("\n{{==}}", want);
}

Test(mustache, error_set_delimiter_with_nul)
{
	/* Found by fuzzing: a NUL made the new opening delimiter "" and the
	 * lexer stopped advancing. */
	static const char src[] = "{{=\0a b=}}\0a";
	struct mustache_set *s = mustache_set_new();
	struct diag d;
	diag_init(&d);
	cr_assert_eq(mustache_set_add(s, "t", src, sizeof(src) - 1, "t.mustache", &d), -1);
	char *got = diags(&d);
	cr_assert_str_eq(got, "t.mustache:1:1: error: invalid set-delimiter tag "
			      "(expected two delimiters without blanks or '=')\n");
	free(got);
	diag_free(&d);
	mustache_set_free(s);
}

Test(mustache, error_nesting_too_deep)
{
	struct strbuf sb = STRBUF_INIT;
	for (int i = 0; i <= MUSTACHE_MAX_NESTING; i++)
		sb_puts(&sb, "{{#a}}");
	for (int i = 0; i <= MUSTACHE_MAX_NESTING; i++)
		sb_puts(&sb, "{{/a}}");
	char want[100];
	snprintf(want, sizeof(want),
		 "t.mustache:1:%d: error: sections nested deeper than %d\n",
		 6 * MUSTACHE_MAX_NESTING + 1, MUSTACHE_MAX_NESTING);
	expect_syntax(sb.ptr, want);
	sb_free(&sb);
}

/* ---- interpolation and escaping ---- */

Test(mustache, escaping_uses_html_rules)
{
	const char *data = "{\"x\": \"<a href=\\\"u\\\">&'</a>\"}";
	expect("{{x}}", data, "&lt;a href=&quot;u&quot;&gt;&amp;&#39;&lt;/a&gt;");
	expect("{{{x}}}", data, "<a href=\"u\">&'</a>");
	expect("{{& x }}", data, "<a href=\"u\">&'</a>");
	/* Template text is never escaped. */
	expect("<p>&amp;{{x}}</p>", "{\"x\": \"<\"}", "<p>&amp;&lt;</p>");
}

Test(mustache, values)
{
	expect("{{i}} {{f}} {{g}} {{h}} {{t}} {{n}}|{{a}}|{{o}}",
	       "{\"i\": 85, \"f\": 1.210, \"g\": 0.1, \"h\": 1e21, \"t\": true,"
	       " \"n\": null, \"a\": [1], \"o\": {}}",
	       "85 1.21 0.1 1e+21 true ||");
	expect("{{i}}", "{\"i\": -9223372036854775808}", "-9223372036854775808");
}

Test(mustache, dotted_names_and_context_stack)
{
	const char *data = "{\"a\": {\"b\": {}}, \"b\": {\"c\": \"outer\"}, \"n\": \"top\","
			   " \"list\": [{\"n\": \"one\"}, {\"m\": 2}]}";
	/* b is found in a's context, so b.c does not fall back to the root. */
	expect("[{{#a}}{{b.c}}{{/a}}]", data, "[]");
	expect("{{b.c}}", data, "outer");
	expect("{{#list}}{{n}},{{/list}}", data, "one,top,");
	expect("{{#list}}{{#m}}{{.}}{{/m}}{{/list}}", data, "2");
	expect("{{#b}}{{.}}{{/b}}", "{\"b\": \"x\"}", "x");
}

Test(mustache, truthiness)
{
	expect("{{#s}}yes{{/s}}{{^s}}no{{/s}}", "{\"s\": \"\"}", "no");
	expect("{{#s}}yes{{/s}}{{^s}}no{{/s}}", "{\"s\": []}", "no");
	expect("{{#s}}yes{{/s}}{{^s}}no{{/s}}", "{\"s\": null}", "no");
	expect("{{#s}}yes{{/s}}{{^s}}no{{/s}}", "{}", "no");
	expect("{{#s}}yes{{/s}}{{^s}}no{{/s}}", "{\"s\": 0}", "yes");
	expect("{{#s}}yes{{/s}}{{^s}}no{{/s}}", "{\"s\": {}}", "yes");
}

/* ---- partials ---- */

Test(mustache, standalone_partial_is_indented)
{
	const char *pairs[] = {
		"page", "<body>\n  {{> nav }}\n</body>\n",
		"nav", "<ul>\n{{#items}}\n  <li>{{{.}}}</li>\n{{/items}}\n\n</ul>\n",
		NULL
	};
	struct mustache_set *s = set_of(pairs);
	char *err;
	char *got = render(s, "page", "{\"items\": [\"a\", \"b\\nc\"]}", 0, &err);
	/* Data is not re-indented, and blank template lines get no blanks. */
	cr_assert_str_eq(got, "<body>\n  <ul>\n    <li>a</li>\n    <li>b\nc</li>\n"
			      "\n  </ul>\n</body>\n");
	free(got);
	free(err);
	mustache_set_free(s);
}

Test(mustache, strict_missing_partial)
{
	const char *pairs[] = { "page", "a\n  {{>nav}}\n{{<base}}{{/base}}", NULL };
	struct mustache_set *s = set_of(pairs);
	char *err;
	char *got = render(s, "page", "{}", 0, &err);
	cr_assert_str_eq(got, "a\n", "the spec renders a missing partial as ''");
	free(got);
	free(err);
	got = render(s, "page", "{}", MUSTACHE_STRICT, &err);
	cr_assert_null(got);
	cr_assert_str_eq(err, "page.mustache:2:3: error: partial 'nav' not found\n");
	free(err);
	mustache_set_free(s);

	const char *pairs2[] = { "page", "{{<base}}{{/base}}", NULL };
	s = set_of(pairs2);
	got = render(s, "page", NULL, MUSTACHE_STRICT, &err);
	cr_assert_null(got);
	cr_assert_str_eq(err, "page.mustache:1:1: error: parent 'base' not found\n");
	free(err);
	mustache_set_free(s);
}

Test(mustache, missing_template)
{
	struct mustache_set *s = mustache_set_new();
	char *err;
	cr_assert_null(render(s, "page", NULL, 0, &err));
	cr_assert_str_eq(err, "dossier: error: template 'page' not found\n");
	free(err);
	mustache_set_free(s);
}

Test(mustache, recursion_limit)
{
	const char *pairs[] = { "t", "x\n {{>t}}", NULL };
	struct mustache_set *s = set_of(pairs);
	char *err;
	cr_assert_null(render(s, "t", "{}", 0, &err));
	char want[200];
	snprintf(want, sizeof(want),
		 "t.mustache:2:2: error: partial 't' nested deeper than %d levels "
		 "(endless recursion?)\n",
		 MUSTACHE_MAX_DEPTH);
	cr_assert_str_eq(err, want);
	free(err);
	mustache_set_free(s);
}

Test(mustache, recursion_guarded_by_data)
{
	const char *pairs[] = {
		"tree", "{{name}}{{#kids}}({{>tree}}){{/kids}}",
		NULL
	};
	struct mustache_set *s = set_of(pairs);
	char *err;
	char *got = render(s, "tree",
			   "{\"name\": \"a\", \"kids\": [{\"name\": \"b\", \"kids\": "
			   "[{\"name\": \"c\", \"kids\": []}]}, {\"name\": \"d\", "
			   "\"kids\": []}]}",
			   MUSTACHE_STRICT, &err);
	cr_assert_str_eq(got, "a(b(c))(d)");
	free(got);
	free(err);
	mustache_set_free(s);
}

/* {"a": {"a": ... {"a": false}}}, `levels` deep. */
static char *nested(int levels)
{
	struct strbuf sb = STRBUF_INIT;
	for (int i = 0; i < levels; i++)
		sb_puts(&sb, "{\"a\": ");
	sb_puts(&sb, "false");
	for (int i = 0; i < levels; i++)
		sb_putc(&sb, '}');
	return sb_detach(&sb);
}

Test(mustache, limits_stop_exponential_templates)
{
	/* Each level renders the next one twice: 2^30 expansions. */
	const char *pairs[] = { "t", "{{#a}}{{>t}}{{>t}}{{/a}}", NULL };
	struct mustache_set *s = set_of(pairs);
	mustache_set_limits(s, &(struct mustache_limits){
				       .max_depth = 40,
				       .max_steps = 10000,
				       .max_output = 1000,
			       });
	char *data = nested(30);
	char *err;
	cr_assert_null(render(s, "t", data, 0, &err));
	cr_assert(strstr(err, "error: rendering takes more than 10000 steps"), "%s", err);
	free(err);
	mustache_set_free(s);

	const char *pairs2[] = { "t", "{{#a}}0123456789{{>t}}{{>t}}{{/a}}", NULL };
	s = set_of(pairs2);
	mustache_set_limits(s, &(struct mustache_limits){
				       .max_depth = 40,
				       .max_steps = 1000000,
				       .max_output = 1000,
			       });
	cr_assert_null(render(s, "t", data, 0, &err));
	cr_assert(strstr(err, "error: output exceeds 1000 bytes"), "%s", err);
	free(err);
	free(data);
	mustache_set_free(s);
}

/* ---- inheritance ---- */

static const char *const layout[] = {
	"base",
	"<html>\n"
	"<head><title>{{$title}}Dossier{{/title}}</title></head>\n"
	"<body>\n"
	"  {{>header}}\n"
	"  <main>\n"
	"    {{$content}}\n"
	"    <p>No content.</p>\n"
	"    {{/content}}\n"
	"  </main>\n"
	"</body>\n"
	"</html>\n",
	"header", "<h1>{{$title}}Dossier{{/title}}</h1>\n",
	"article",
	"{{<base}}\n"
	"{{$title}}{{page.title}}{{/title}}\n"
	"{{$content}}\n"
	"<article>\n"
	"  {{{page.body}}}\n"
	"</article>\n"
	"{{/content}}\n"
	"{{/base}}\n",
	"plain", "{{<base}}{{/base}}",
	NULL
};

Test(mustache, inheritance_overrides_and_indents_blocks)
{
	struct mustache_set *s = set_of(layout);
	char *err;
	char *got = render(s, "article",
			   "{\"page\": {\"title\": \"R1 & co\", \"body\": \"<p>x</p>\"}}",
			   MUSTACHE_STRICT, &err);
	cr_assert_str_eq(got, "<html>\n"
			      "<head><title>R1 &amp; co</title></head>\n"
			      "<body>\n"
			      "  <h1>R1 &amp; co</h1>\n"
			      "  <main>\n"
			      "    <article>\n"
			      "      <p>x</p>\n"
			      "    </article>\n"
			      "  </main>\n"
			      "</body>\n"
			      "</html>\n");
	free(got);
	free(err);
	got = render(s, "plain", "{}", MUSTACHE_STRICT, &err);
	cr_assert_str_eq(got, "<html>\n"
			      "<head><title>Dossier</title></head>\n"
			      "<body>\n"
			      "  <h1>Dossier</h1>\n"
			      "  <main>\n"
			      "    <p>No content.</p>\n"
			      "  </main>\n"
			      "</body>\n"
			      "</html>\n");
	free(got);
	free(err);
	mustache_set_free(s);
}

Test(mustache, inheritance_outermost_override_wins)
{
	const char *pairs[] = {
		"grand", "[{{$a}}g{{/a}}|{{$b}}g{{/b}}|{{$c}}g{{/c}}]",
		"mid", "{{<grand}}{{$a}}m{{/a}}{{$b}}m{{/b}}{{/grand}}",
		"leaf", "{{<mid}}{{$a}}l{{/a}}{{/mid}}",
		NULL
	};
	struct mustache_set *s = set_of(pairs);
	char *err;
	char *got = render(s, "leaf", NULL, MUSTACHE_STRICT, &err);
	cr_assert_str_eq(got, "[l|m|g]");
	free(got);
	free(err);
	mustache_set_free(s);
}

Test(mustache, inheritance_block_uses_context_at_the_block)
{
	const char *pairs[] = {
		"base", "{{#items}}{{$item}}-{{/item}}{{/items}}",
		"page", "{{<base}}{{$item}}<{{name}}>{{/item}}{{/base}}",
		NULL
	};
	struct mustache_set *s = set_of(pairs);
	char *err;
	char *got = render(s, "page",
			   "{\"name\": \"root\", \"items\": [{\"name\": \"a\"}, {}]}", 0,
			   &err);
	cr_assert_str_eq(got, "<a><root>");
	free(got);
	free(err);
	mustache_set_free(s);
}

Test(mustache, inheritance_override_cannot_substitute_itself)
{
	const char *pairs[] = {
		"base", "{{$a}}base{{/a}}",
		"page", "{{<base}}{{$a}}[{{$a}}inner{{/a}}]{{/a}}{{/base}}",
		NULL
	};
	struct mustache_set *s = set_of(pairs);
	char *err;
	char *got = render(s, "page", NULL, 0, &err);
	cr_assert_str_eq(got, "[inner]");
	free(got);
	free(err);
	mustache_set_free(s);
}

/* ---- the set ---- */

Test(mustache, add_replaces_and_has)
{
	const char *pairs[] = { "t", "one", "t", "two", NULL };
	struct mustache_set *s = set_of(pairs);
	cr_assert(mustache_set_has(s, "t"));
	cr_assert_not(mustache_set_has(s, "u"));
	char *err;
	char *got = render(s, "t", NULL, 0, &err);
	cr_assert_str_eq(got, "two");
	free(got);
	free(err);
	mustache_set_free(s);
	mustache_set_free(NULL);
}

Test(mustache, many_templates)
{
	struct mustache_set *s = mustache_set_new();
	struct diag d;
	diag_init(&d);
	char name[16], src[32];
	for (int i = 0; i < 200; i++) {
		snprintf(name, sizeof(name), "t%d", i);
		snprintf(src, sizeof(src), "%d{{>t%d}}", i, i + 1);
		cr_assert_eq(add(s, name, src, &d), 0);
	}
	cr_assert(mustache_set_has(s, "t0") && mustache_set_has(s, "t199"));
	cr_assert_not(mustache_set_has(s, "t200"));
	char *err;
	char *got = render(s, "t190", NULL, 0, &err);
	cr_assert_str_eq(got, "190191192193194195196197198199");
	free(got);
	free(err);
	diag_free(&d);
	mustache_set_free(s);
}

static char *check(const char *const *pairs, int want_rc)
{
	struct mustache_set *s = set_of(pairs);
	struct diag d;
	diag_init(&d);
	int rc = mustache_set_check(s, &d);
	char *msg = diags(&d);
	cr_assert_eq(rc, want_rc, "check returned %d: %s", rc, msg);
	diag_free(&d);
	mustache_set_free(s);
	return msg;
}

Test(mustache, check_missing_references)
{
	const char *pairs[] = {
		"page", "{{#x}}\n  {{> heder }}{{/x}}{{<bsae}}{{/bsae}}{{>zzz}}",
		"header", "h",
		"base", "b",
		NULL
	};
	char *msg = check(pairs, -1);
	cr_assert_str_eq(msg,
			 "page.mustache:2:3: error: partial 'heder' not found (did "
			 "you mean 'header'?)\n"
			 "page.mustache:2:21: error: parent 'bsae' not found (did "
			 "you mean 'base'?)\n"
			 "page.mustache:2:39: error: partial 'zzz' not found\n");
	free(msg);
}

Test(mustache, check_unguarded_recursion)
{
	const char *pairs[] = {
		"a", "x\n{{>b}}",
		"b", "{{<c}}{{$blk}}{{>a}}{{/blk}}{{/c}}",
		"c", "{{$blk}}{{/blk}}",
		NULL
	};
	char *msg = check(pairs, -1);
	cr_assert_str_eq(msg, "b.mustache:1:15: error: partial 'a' recurses without "
			      "a section guard (a -> b -> a)\n");
	free(msg);

	const char *self[] = { "t", "{{>t}}", NULL };
	msg = check(self, -1);
	cr_assert_str_eq(msg, "t.mustache:1:1: error: partial 't' recurses without a "
			      "section guard (t -> t)\n");
	free(msg);
}

Test(mustache, check_accepts_guarded_recursion)
{
	const char *pairs[] = {
		"tree", "{{#kids}}{{>tree}}{{/kids}}{{^kids}}{{>leaf}}{{/kids}}",
		"leaf", ".",
		/* The spec's recursion through block defaults terminates. */
		"parent", "{{$foo}}d{{/foo}} {{$bar}}{{<parent2}}{{/parent2}}{{/bar}}",
		"parent2", "{{$foo}}p{{/foo}} {{<parent}}{{$bar}}x{{/bar}}{{/parent}}",
		NULL
	};
	char *msg = check(pairs, 0);
	cr_assert_str_empty(msg);
	free(msg);
}

Test(mustache, set_delimiters_and_comments)
{
	expect("{{=<% %>=}}<% x %>{{x}}<%={{ }}=%>{{x}}", "{\"x\": 1}", "1{{x}}1");
	expect("a\n  {{! note }}\nb\n", "{}", "a\nb\n");
	expect("{{=| |=}}|#s||.||/s|", "{\"s\": [1, 2]}", "12");
}

/* A context stack: names are looked up innermost first, then outwards,
 * for dotted names too; sections push above the stack. */
Test(mustache, render_stack_looks_outwards)
{
	const char *const pairs[] = {
		"t", "{{a}} {{b}} {{c.d}} {{#list}}{{x}}{{b}}{{/list}} {{#c}}{{a}}{{/c}}", NULL
	};
	struct mustache_set *s = set_of(pairs);
	struct value *outer = ctx("{\"a\":\"outer-a\",\"b\":\"outer-b\",\"c\":{\"d\":\"D\",\"a\":\"c-a\"}}");
	struct value *inner = ctx("{\"a\":\"inner-a\",\"list\":[{\"x\":1},{\"x\":2,\"b\":\"!\"}]}");
	const struct value *stack[] = { outer, inner };
	struct strbuf out = STRBUF_INIT;
	struct diag d;
	diag_init(&d);
	cr_assert_eq(mustache_render_stack(s, "t", stack, 2, MUSTACHE_STRICT, &out, &d), 0);
	cr_assert_str_eq(out.ptr, "inner-a outer-b D 1outer-b2! c-a");
	sb_clear(&out);
	cr_assert_eq(mustache_render_stack(s, "t", stack + 1, 1, MUSTACHE_STRICT, &out, &d), 0);
	cr_assert_str_eq(out.ptr, "inner-a   12! ");
	sb_free(&out);
	diag_free(&d);
	value_free(outer);
	value_free(inner);
	mustache_set_free(s);
}

/* ---- bounded cost ---- */

Test(mustache, budget_is_shared_by_all_renders)
{
	/* 1 + 3000 items + 3000 texts = 6001 steps a render: three fit in a
	 * budget of 20,000, the fourth passes it, and every later render
	 * fails at once, whatever the per-render limits allow. */
	const char *pairs[] = { "t", "{{#a}}x{{/a}}", NULL };
	struct mustache_set *s = set_of(pairs);
	struct strbuf json = STRBUF_INIT;
	sb_puts(&json, "{\"a\": [");
	for (int i = 0; i < 3000; i++)
		sb_puts(&json, i ? ",1" : "1");
	sb_puts(&json, "]}");
	mustache_budget_reset(s, 20000, (size_t)1 << 30);
	char *err, *out;
	for (int i = 0; i < 3; i++) {
		out = render(s, "t", json.ptr, 0, &err);
		cr_assert_not_null(out, "render %d: %s", i, err);
		free(out);
		free(err);
	}
	size_t steps, bytes;
	mustache_budget_used(s, &steps, &bytes);
	cr_assert_eq(steps, 18003);
	cr_assert_eq(bytes, 9000);
	cr_assert_not(mustache_budget_exceeded(s));
	for (int i = 0; i < 2; i++) {
		cr_assert_null(render(s, "t", json.ptr, 0, &err));
		cr_assert(strstr(err, "error: rendering takes more than 20000 steps or "
				      "1073741824 bytes of output in all"),
			  "%s", err);
		cr_assert(mustache_budget_exceeded(s));
		free(err);
	}
	/* The output budget, the same way. */
	mustache_budget_reset(s, (size_t)-1, 5000);
	out = render(s, "t", json.ptr, 0, &err);
	free(out);
	free(err);
	cr_assert_null(render(s, "t", json.ptr, 0, &err));
	cr_assert(mustache_budget_exceeded(s));
	free(err);
	/* Reset, it is a new build's. */
	mustache_budget_reset(s, 20000, 5000);
	out = render(s, "t", json.ptr, 0, &err);
	cr_assert_not_null(out, "%s", err);
	free(out);
	free(err);
	sb_free(&json);
	mustache_set_free(s);
}

Test(mustache, a_long_chain_of_partials_is_checked_without_recursion)
{
	/* p0 -> p1 -> ... -> p99999 -> p0: the cycle search once recursed per
	 * template and overflowed the stack (SIGSEGV). */
	enum { N = 100000 };
	struct mustache_set *s = mustache_set_new();
	struct diag d;
	diag_init(&d);
	for (int i = 0; i < N; i++) {
		char name[16], src[32];
		snprintf(name, sizeof(name), "p%d", i);
		snprintf(src, sizeof(src), "{{>p%d}}", i + 1 < N ? i + 1 : 0);
		cr_assert_eq(add(s, name, src, &d), 0);
	}
	cr_assert_eq(mustache_set_check(s, &d), -1);
	cr_assert_eq(d.n, 1);
	cr_assert(strstr(d.items[0].msg, "partial 'p0' recurses without a section guard (p0 -> p1 -> "),
		  "%.200s", d.items[0].msg);
	cr_assert_str_eq(d.items[0].file, "p99999.mustache");
	diag_free(&d);
	mustache_set_free(s);
}

Test(mustache, syntax_errors_are_listed_up_to_a_limit_then_counted)
{
	/* 1000 empty tags, the 21st on line 2: 20 errors listed, then one line. */
	struct strbuf src = STRBUF_INIT;
	for (int i = 0; i < 1000; i++)
		sb_puts(&src, i == 20 ? "\n  {{}}" : "{{}}");
	struct mustache_set *s = mustache_set_new();
	struct diag d;
	diag_init(&d);
	cr_assert_eq(mustache_set_add(s, "t", src.ptr, src.size, "t.mustache", &d), -1);
	cr_assert_eq(d.n, MUSTACHE_MAX_ERRORS + 1);
	cr_assert_eq(d.errors, MUSTACHE_MAX_ERRORS + 1);
	char *all = diags(&d);
	cr_assert(strstr(all, "t.mustache:1:77: error: empty tag\n"), "%s", all);
	cr_assert(strstr(all, "t.mustache:2:3: error: and 980 more errors in this template "
			      "(the first 20 are listed)\n"),
		  "%s", all);
	free(all);
	diag_free(&d);
	sb_free(&src);
	mustache_set_free(s);
}

Test(mustache, suggestions_for_missing_names_are_bounded)
{
	/* 150 missing partials, each one edit from a template: the first 100
	 * get a suggestion, the rest none. */
	struct mustache_set *s = mustache_set_new();
	struct diag d;
	diag_init(&d);
	struct strbuf page = STRBUF_INIT;
	for (int i = 0; i < 150; i++) {
		char name[16];
		snprintf(name, sizeof(name), "part%03d", i);
		cr_assert_eq(add(s, name, "x", &d), 0);
		sb_printf(&page, "{{>part%03dx}}", i);
	}
	cr_assert_eq(add(s, "page", page.ptr, &d), 0);
	cr_assert_eq(mustache_set_check(s, &d), -1);
	cr_assert_eq(d.n, 150);
	size_t with = 0;
	for (size_t i = 0; i < d.n; i++)
		with += strstr(d.items[i].msg, "(did you mean 'part") != NULL;
	cr_assert_eq(with, 100);
	cr_assert(strstr(d.items[0].msg, "(did you mean 'part000'?)"), "%s", d.items[0].msg);
	diag_free(&d);
	sb_free(&page);
	mustache_set_free(s);
}
