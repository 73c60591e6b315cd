#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "strbuf.h"

/* Everything diag_print writes for `d`, as one string (owned). */
static char *printed(struct diag *d)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);
	cr_assert_not_null(f);
	diag_print(d, f);
	cr_assert_eq(fclose(f), 0);
	return text;
}

static size_t count_lines(const char *s)
{
	size_t n = 0;
	for (; *s; s++)
		n += *s == '\n';
	return n;
}

Test(diag, plain_message_is_unchanged)
{
	struct diag d;
	diag_init(&d);
	diag_error(&d, "content/topics/a.md", 14, 7, "link target '%s' not found", "x.md");
	char *out = printed(&d);
	cr_expect_str_eq(out, "content/topics/a.md:14:7: error: link target 'x.md' not found\n");
	free(out);
	diag_free(&d);
}

Test(diag, newline_in_file_name_cannot_forge_a_line)
{
	struct diag d;
	diag_init(&d);
	diag_error(&d, "content/a\nsite.toml:1:1: error: forged.md", 2, 3, "bad");
	char *out = printed(&d);
	cr_expect_eq(count_lines(out), 1);
	cr_expect_str_eq(out, "content/a\\nsite.toml:1:1: error: forged.md:2:3: error: bad\n");
	free(out);
	diag_free(&d);
}

Test(diag, newline_and_cr_in_message)
{
	struct diag d;
	diag_init(&d);
	diag_warning(&d, "f.md", 1, 1, "quote '%s'", "a\r\nb.md:1:1: error: x\tz");
	char *out = printed(&d);
	cr_expect_str_eq(out, "f.md:1:1: warning: quote 'a\\r\\nb.md:1:1: error: x\\tz'\n");
	free(out);
	diag_free(&d);
}

Test(diag, escape_del_and_c0)
{
	struct diag d;
	diag_init(&d);
	diag_error(&d, NULL, 0, 0, "a\x1b[31mred\x7f\x01");
	char *out = printed(&d);
	cr_expect_str_eq(out, "dossier: error: a\\x1b[31mred\\x7f\\x01\n");
	free(out);
	diag_free(&d);
}

Test(diag, escape_c1_bidi_and_invalid_utf8)
{
	struct diag d;
	diag_init(&d);
	/* U+0085 (NEL, a C1 line break), U+202E (right-to-left override),
	 * a lone continuation byte and a truncated sequence. */
	diag_error(&d, "x\xc2\x85y", 1, 0, "\xe2\x80\xae"
					   "evil \x80 \xe2\x82");
	char *out = printed(&d);
	cr_expect_str_eq(out, "x\\u0085y:1: error: \\u202eevil \\x80 \\xe2\\x82\n");
	free(out);
	diag_free(&d);
}

/* U+2028 and U+2029 end a line in some terminals and editors: a file name
 * holding one could print what reads as a diagnostic of its own. */
Test(diag, escape_line_and_paragraph_separators)
{
	struct diag d;
	diag_init(&d);
	diag_error(&d, "content/a\xe2\x80\xa8site.toml:1:1: error: x.md", 2, 3,
		   "target 'b\xe2\x80\xa9"
		   "c.md' not found");
	char *out = printed(&d);
	cr_expect_str_eq(out, "content/a\\u2028site.toml:1:1: error: x.md:2:3: error: "
			      "target 'b\\u2029c.md' not found\n");
	free(out);
	diag_free(&d);
}

/* Every Bidi_Control character (the ones GCC's -Wbidi-chars reports):
 * U+061C, U+200E, U+200F, U+202A..U+202E, U+2066..U+2069. */
Test(diag, escape_every_bidi_control)
{
	static const char *const raw[] = {
		"\xd8\x9c", "\xe2\x80\x8e", "\xe2\x80\x8f", "\xe2\x80\xaa",
		"\xe2\x80\xab", "\xe2\x80\xac", "\xe2\x80\xad", "\xe2\x80\xae",
		"\xe2\x81\xa6", "\xe2\x81\xa7", "\xe2\x81\xa8", "\xe2\x81\xa9"
	};
	static const char *const escaped[] = {
		"\\u061c", "\\u200e", "\\u200f", "\\u202a", "\\u202b", "\\u202c",
		"\\u202d", "\\u202e", "\\u2066", "\\u2067", "\\u2068", "\\u2069"
	};
	for (size_t i = 0; i < sizeof(raw) / sizeof(raw[0]); i++) {
		struct diag d;
		diag_init(&d);
		diag_error(&d, raw[i], 0, 0, "'%s'", raw[i]);
		char *out = printed(&d);
		struct strbuf want = STRBUF_INIT;
		sb_printf(&want, "%s: error: '%s'\n", escaped[i], escaped[i]);
		cr_expect_str_eq(out, want.ptr);
		sb_free(&want);
		free(out);
		diag_free(&d);
	}
}

/* Their neighbours are not controls, and pass: U+061B (Arabic semicolon),
 * U+200D (zero width joiner, in emoji), U+2027, U+202F, U+2065 (unassigned),
 * U+206A; U+FEFF too, which neither breaks a line nor reorders text. */
Test(diag, neighbours_of_the_escaped_pass_through)
{
	static const char text[] = "\xd8\x9b \xe2\x80\x8d \xe2\x80\xa7 \xe2\x80\xaf "
				   "\xe2\x81\xa5 \xe2\x81\xaa \xef\xbb\xbf";
	struct diag d;
	diag_init(&d);
	diag_error(&d, NULL, 0, 0, "%s", text);
	char *out = printed(&d);
	struct strbuf want = STRBUF_INIT;
	sb_printf(&want, "dossier: error: %s\n", text);
	cr_expect_str_eq(out, want.ptr);
	sb_free(&want);
	free(out);
	diag_free(&d);
}

Test(diag, valid_utf8_passes_through)
{
	struct diag d;
	diag_init(&d);
	diag_error(&d, "content/articles/caf\xc3\xa9.md", 1, 1, "“quoted” ¶4 — 中文 😀");
	char *out = printed(&d);
	cr_expect_str_eq(out, "content/articles/caf\xc3\xa9.md:1:1: error: “quoted” ¶4 — 中文 😀\n");
	free(out);
	diag_free(&d);
}

Test(diag, immediate_output_is_escaped_too)
{
	char *text = NULL;
	size_t len = 0;
	struct diag d;
	diag_init(&d);
	d.immediate = open_memstream(&text, &len);
	cr_assert_not_null(d.immediate);
	diag_note(&d, "a\nb", 1, 1, "m\n");
	fclose(d.immediate);
	cr_expect_str_eq(text, "a\\nb:1:1: note: m\\n\n");
	free(text);
	diag_free(&d);
}

Test(diag, sorted_by_file_line_col)
{
	struct diag d;
	diag_init(&d);
	diag_error(&d, "b.md", 1, 1, "third");
	diag_error(&d, "a.md", 2, 1, "second");
	diag_error(&d, "a.md", 1, 5, "first");
	diag_error(&d, NULL, 0, 0, "run");
	char *out = printed(&d);
	cr_expect_str_eq(out, "dossier: error: run\na.md:1:5: error: first\n"
			      "a.md:2:1: error: second\nb.md:1:1: error: third\n");
	cr_expect_eq(d.errors, 4);
	free(out);
	diag_free(&d);
}

Test(diag, distance_with_a_cut_off)
{
	cr_assert_eq(diag_distance("kitten", "sitting"), 3);
	cr_assert_eq(diag_distance_max("kitten", "sitting", 3), 3);
	cr_assert_eq(diag_distance_max("kitten", "sitting", 2), 3);
	cr_assert_eq(diag_distance_max("a", "abcdef", 2), 3);
	cr_assert_eq(diag_distance_max("", "", 0), 0);
	cr_assert_eq(diag_distance_max("abc", "abd", 5), 1);
}

Test(diag, suggestions_are_kept_for_ordinary_names_and_bounded)
{
	const char *const keys[] = { "title", "base_url", "theme", "language", NULL };
	cr_assert_str_eq(diag_suggest("titel", keys), "title");
	cr_assert_str_eq(diag_suggest("base-url", keys), "base_url");
	cr_assert_null(diag_suggest("zzzzzz", keys));
	/* The first of the nearest wins, as before. */
	const char *const two[] = { "abcx", "abcy", NULL };
	cr_assert_str_eq(diag_suggest("abcz", two), "abcx");
	/* Names longer than DIAG_SUGGEST_MAX_LEN are not compared: a 200-byte
	 * name one edit from a candidate gets no suggestion (each comparison
	 * of two such names cost 40,000 cells, quadratic over a theme). */
	char longw[201], longc[201];
	memset(longw, 'y', 200);
	longw[200] = '\0';
	memcpy(longc, longw, sizeof(longc));
	longc[0] = 'x';
	const char *const lc[] = { longc, NULL };
	cr_assert_null(diag_suggest(longw, lc));
	longw[DIAG_SUGGEST_MAX_LEN] = longc[DIAG_SUGGEST_MAX_LEN] = '\0';
	cr_assert_eq(diag_suggest(longw, lc), longc);
	/* At most DIAG_SUGGEST_MAX_CANDS candidates are compared. */
	enum { N = DIAG_SUGGEST_MAX_CANDS + 1 };
	const char **many = calloc(N + 1, sizeof(*many));
	for (size_t i = 0; i < N; i++)
		many[i] = i + 1 < N ? "qqqqq" : "title";
	cr_assert_null(diag_suggest("titel", many));
	many[N - 2] = "title";
	cr_assert_str_eq(diag_suggest("titel", many), "title");
	free(many);
}
