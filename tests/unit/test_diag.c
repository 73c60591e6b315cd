#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"

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
