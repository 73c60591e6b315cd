#include <criterion/criterion.h>
#include <string.h>

#include "anchor.h"
#include "strbuf.h"

/* Headings and the ids github.com gives them (its algorithm: downcase,
 * drop what is not a letter, mark, number, '_', '-' or ' ', spaces to
 * hyphens). */
static const char *const slugs[][2] = {
	{ "What’s new in Ärger?", "whats-new-in-ärger" },
	{ "Hello, World!", "hello-world" },
	{ "Über Änderungen — ein Überblick", "über-änderungen--ein-überblick" },
	{ "Ça coûte 5,6 M$", "ça-coûte-56-m" },
	{ "Cafe\xcc\x81 (decomposed)", "cafe\xcc\x81-decomposed" }, /* mark kept */
	{ "Ελληνικά Κείμενα", "ελληνικά-κείμενα" },
	{ "Привет, мир!", "привет-мир" },
	{ "日本語の見出し", "日本語の見出し" },
	{ "中文 标题", "中文-标题" },
	{ "مرحبا بالعالم", "مرحبا-بالعالم" },
	{ "हिन्दी शीर्षक", "हिन्दी-शीर्षक" },
	{ "Emoji 🎉 party", "emoji--party" },
	{ "“Quoted” heading", "quoted-heading" },
	{ "C++ & Rust?", "c--rust" },
	{ "snake_case and kebab-case", "snake_case-and-kebab-case" },
	{ "2025: the year", "2025-the-year" },
	{ "Tab\there", "tabhere" }, /* only ' ' becomes '-' */
	{ "  Leading and trailing  ", "--leading-and-trailing--" },
	{ "$5.6 million", "56-million" },
	{ "🎉", "" },
};

Test(anchor, github_slugs)
{
	for (size_t i = 0; i < sizeof(slugs) / sizeof(*slugs); i++) {
		struct strbuf sb = STRBUF_INIT;
		anchor_slug(slugs[i][0], strlen(slugs[i][0]), &sb);
		cr_expect_str_eq(sb.ptr, slugs[i][1], "slug of '%s'", slugs[i][0]);
		sb_free(&sb);
	}
}

Test(anchor, invalid_utf8_is_dropped)
{
	struct strbuf sb = STRBUF_INIT;
	anchor_slug("a\xff b\xc3", 6, &sb);
	cr_expect_str_eq(sb.ptr, "a-b");
	sb_free(&sb);
}

static const char *unique(struct anchor_set *set, const char *id, struct strbuf *sb)
{
	sb_clear(sb);
	sb_puts(sb, id);
	anchor_unique(set, sb);
	return sb->ptr;
}

Test(anchor, duplicates_numbered_as_github)
{
	struct anchor_set set = ANCHOR_SET_INIT;
	struct strbuf sb = STRBUF_INIT;
	cr_expect_str_eq(unique(&set, "notes", &sb), "notes");
	cr_expect_str_eq(unique(&set, "notes", &sb), "notes-1");
	cr_expect_str_eq(unique(&set, "notes", &sb), "notes-2");
	/* A heading whose own slug is a generated one comes next. */
	cr_expect_str_eq(unique(&set, "notes-1", &sb), "notes-1-1");
	cr_expect_str_eq(unique(&set, "other", &sb), "other");
	anchor_reserve(&set, "p1");
	cr_expect_str_eq(unique(&set, "p1", &sb), "p1-1");
	sb_free(&sb);
	anchor_set_free(&set);
}

Test(anchor, many_duplicates_stay_distinct)
{
	struct anchor_set set = ANCHOR_SET_INIT;
	struct strbuf sb = STRBUF_INIT, want = STRBUF_INIT;
	for (int i = 0; i < 5000; i++) {
		sb_clear(&want);
		if (i)
			sb_printf(&want, "x-%d", i);
		else
			sb_puts(&want, "x");
		cr_assert_str_eq(unique(&set, "x", &sb), want.ptr);
	}
	cr_expect_eq(set.n, 5000);
	sb_free(&sb);
	sb_free(&want);
	anchor_set_free(&set);
}

Test(anchor, block_ids)
{
	struct strbuf sb = STRBUF_INIT;
	anchor_block(&sb, 12);
	cr_expect_str_eq(sb.ptr, "p12");
	sb_clear(&sb);
	anchor_block_label(&sb, 3);
	cr_expect_str_eq(sb.ptr, "¶3");
	sb_clear(&sb);
	anchor_annotation(&sb, 4, ANCHOR_NOTE);
	cr_expect_str_eq(sb.ptr, "a4-note");
	sb_free(&sb);
	cr_expect_eq(anchor_block_number("p12"), 12);
	cr_expect_eq(anchor_block_number("p1"), 1);
	cr_expect_eq(anchor_block_number("p0"), 0);
	cr_expect_eq(anchor_block_number("p01"), 0); /* no such id is written */
	cr_expect_eq(anchor_block_number("p"), 0);
	cr_expect_eq(anchor_block_number("p3x"), 0);
	cr_expect_eq(anchor_block_number("q3"), 0);
	cr_expect_eq(anchor_block_number("p99999999999"), 0);
	cr_expect_eq(anchor_annotation_number("a12"), 12);
	cr_expect_eq(anchor_annotation_number("a1"), 1);
	cr_expect_eq(anchor_annotation_number("a0"), 0);
	cr_expect_eq(anchor_annotation_number("a01"), 0);
	cr_expect_eq(anchor_annotation_number("a3-note"), 0); /* a note, not the mark */
	cr_expect_eq(anchor_annotation_number("p3"), 0);
}

/* A claim id is an element's id and a fragment: "" and "a b" made invalid
 * HTML, "ds-title" a second element with the theme's heading id. */
Test(anchor, claim_ids_and_the_theme_prefix)
{
	cr_expect(anchor_claim_id_ok("cost-figure"));
	cr_expect(anchor_claim_id_ok("A_1-b"));
	char longest[66];
	memset(longest, 'x', 64);
	longest[64] = '\0';
	cr_expect(anchor_claim_id_ok(longest));
	longest[64] = 'x';
	longest[65] = '\0';
	cr_expect(!anchor_claim_id_ok(longest), "65 characters");
	cr_expect(!anchor_claim_id_ok(""));
	cr_expect(!anchor_claim_id_ok("a b"));
	cr_expect(!anchor_claim_id_ok("caf\xc3\xa9"));
	cr_expect(!anchor_claim_id_ok("a#b"));
	cr_expect(!anchor_claim_id_ok("ds-title"));
	cr_expect(anchor_claim_id_ok("ds"), "only the prefix 'ds-' is the theme's");
	cr_expect(anchor_is_theme("ds-main") && !anchor_is_theme("d-s") && !anchor_is_theme("ds"));
}
