#include <criterion/criterion.h>
#include <string.h>
#include <stdlib.h>

#include "strbuf.h"
#include "utf8.h"

/* --- edge cases ------------------------------------------------------------ */

static const struct {
	const char *s;
	size_t n;
	size_t len; /* utf8_decode's result */
	uint32_t cp;
	const char *what;
} cases[] = {
	{ "", 0, 0, 0, "empty" },
	{ "\0", 1, 1, 0, "NUL" },
	{ "\x7f", 1, 1, 0x7F, "last ASCII" },
	{ "\x80", 1, 0, 0, "lone continuation" },
	{ "\xbf", 1, 0, 0, "lone continuation" },
	{ "\xc0\x80", 2, 0, 0, "overlong NUL" },
	{ "\xc1\xbf", 2, 0, 0, "overlong U+007F" },
	{ "\xc2\x80", 2, 2, 0x80, "first 2-byte" },
	{ "\xdf\xbf", 2, 2, 0x7FF, "last 2-byte" },
	{ "\xc2", 1, 0, 0, "truncated 2-byte" },
	{ "\xc2\x41", 2, 0, 0, "2-byte lead, ASCII" },
	{ "\xc2\xc2\x80", 3, 0, 0, "2-byte lead, lead" },
	{ "\xe0\x80\xaf", 3, 0, 0, "overlong '/'" },
	{ "\xe0\x9f\xbf", 3, 0, 0, "overlong U+07FF" },
	{ "\xe0\xa0\x80", 3, 3, 0x800, "first 3-byte" },
	{ "\xe2\x82\xac", 3, 3, 0x20AC, "euro sign" },
	{ "\xe2\x82", 2, 0, 0, "truncated 3-byte" },
	{ "\xed\x9f\xbf", 3, 3, 0xD7FF, "before the surrogates" },
	{ "\xed\xa0\x80", 3, 0, 0, "first surrogate" },
	{ "\xed\xbf\xbf", 3, 0, 0, "last surrogate" },
	{ "\xee\x80\x80", 3, 3, 0xE000, "after the surrogates" },
	{ "\xef\xb7\x90", 3, 3, 0xFDD0, "noncharacter U+FDD0" },
	{ "\xef\xbf\xbd", 3, 3, 0xFFFD, "replacement character" },
	{ "\xef\xbf\xbe", 3, 3, 0xFFFE, "noncharacter U+FFFE" },
	{ "\xef\xbf\xbf", 3, 3, 0xFFFF, "noncharacter U+FFFF" },
	{ "\xf0\x8f\xbf\xbf", 4, 0, 0, "overlong U+FFFF" },
	{ "\xf0\x90\x80\x80", 4, 4, 0x10000, "first 4-byte" },
	{ "\xf0\x9f\x98\x80", 4, 4, 0x1F600, "emoji" },
	{ "\xf0\x9f\x98", 3, 0, 0, "truncated 4-byte" },
	{ "\xf4\x8f\xbf\xbf", 4, 4, 0x10FFFF, "last scalar value" },
	{ "\xf4\x90\x80\x80", 4, 0, 0, "above U+10FFFF" },
	{ "\xf5\x80\x80\x80", 4, 0, 0, "lead 0xF5" },
	{ "\xf8\x88\x80\x80\x80", 5, 0, 0, "5-byte form" },
	{ "\xfe", 1, 0, 0, "0xFE" },
	{ "\xff", 1, 0, 0, "0xFF" },
	{ "a\x80", 2, 1, 'a', "one character of two" },
};

Test(utf8, decode_edge_cases)
{
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		uint32_t cp = 0xDEAD;
		size_t len = utf8_decode(cases[i].s, cases[i].n, &cp);
		cr_expect_eq(len, cases[i].len, "%s: length %zu", cases[i].what, len);
		cr_expect_eq(cp, cases[i].len ? cases[i].cp : 0xDEAD, "%s: U+%04X", cases[i].what, cp);
	}
}

Test(utf8, encode)
{
	struct strbuf sb = STRBUF_INIT;
	const uint32_t cps[] = { 0, 0x7F, 0x80, 0x7FF, 0x800, 0x20AC, 0xFFFF, 0x10000, 0x10FFFF };
	for (size_t i = 0; i < sizeof cps / sizeof *cps; i++)
		utf8_put(&sb, cps[i]);
	cr_assert_eq(sb.size, 1 + 1 + 2 + 2 + 3 + 3 + 3 + 4 + 4);
	cr_assert_eq(memcmp(sb.ptr, "\0\x7f\xc2\x80\xdf\xbf\xe0\xa0\x80\xe2\x82\xac\xef\xbf\xbf"
				    "\xf0\x90\x80\x80\xf4\x8f\xbf\xbf",
			    sb.size),
		     0);
	sb_free(&sb);
}

Test(utf8, invalid_names_the_first_bad_byte)
{
	cr_assert_eq(utf8_invalid("", 0), UTF8_VALID);
	cr_assert_eq(utf8_invalid("caf\xc3\xa9 \xe2\x82\xac", 9), UTF8_VALID);
	cr_assert_eq(utf8_invalid("caf\xc3", 4), 3, "truncated at the end");
	cr_assert_eq(utf8_invalid("ab\xed\xa0\x80", 5), 2, "surrogate");
	cr_assert_eq(utf8_invalid("\xef\xbf\xbf"
				  "x\xc0\xaf",
				  6),
		     4, "U+FFFF passes, overlong fails");
	cr_assert_eq(utf8_invalid("a\0b", 3), UTF8_VALID, "NUL is a character");
}

/* The loader's check of every content file (test_content.c had these). */
Test(utf8, invalid_as_the_loader_uses_it)
{
	const char ok[] = "ascii caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80";
	cr_expect_eq(utf8_invalid(ok, sizeof ok - 1), UTF8_VALID);
	cr_expect_eq(utf8_invalid("", 0), UTF8_VALID);
	cr_expect_eq(utf8_invalid("ab\x80", 3), 2, "a lone continuation byte");
	cr_expect_eq(utf8_invalid("a\xc3", 2), 1, "cut short at the end");
	cr_expect_eq(utf8_invalid("a\xc3(", 3), 1, "no continuation");
	cr_expect_eq(utf8_invalid("\xc0\xaf", 2), 0, "overlong '/'");
	cr_expect_eq(utf8_invalid("\xe0\x80\xaf", 3), 0, "overlong, three bytes");
	cr_expect_eq(utf8_invalid("xy\xed\xa0\x80", 5), 2, "a surrogate");
	cr_expect_eq(utf8_invalid("\xf4\x90\x80\x80", 4), 0, "above U+10FFFF");
	cr_expect_eq(utf8_invalid("\xff", 1), 0);
	cr_expect_eq(utf8_invalid("\xf8\x88\x80\x80\x80", 5), 0, "five-byte form");
	cr_expect_eq(utf8_invalid("a\0\xc3\xa9", 4), UTF8_VALID);
	cr_expect_eq(utf8_invalid("a\0\x80", 3), 2);
}

Test(utf8, classes)
{
	cr_assert(utf8_is_scalar(0xD7FF) && utf8_is_scalar(0xE000) && utf8_is_scalar(0x10FFFF));
	cr_assert(!utf8_is_scalar(0xD800) && !utf8_is_scalar(0xDFFF) && !utf8_is_scalar(0x110000));
	cr_assert(utf8_is_xml_char('\t') && utf8_is_xml_char('\n') && utf8_is_xml_char('\r'));
	cr_assert(!utf8_is_xml_char(0) && !utf8_is_xml_char(0x1F) && utf8_is_xml_char(0x20));
	cr_assert(utf8_is_xml_char(0xFFFD) && utf8_is_xml_char(0xFDD0) && utf8_is_xml_char(0x10000));
	cr_assert(!utf8_is_xml_char(0xFFFE) && !utf8_is_xml_char(0xFFFF) && !utf8_is_xml_char(0xD800));
}

Test(utf8, floor_cuts_on_a_boundary)
{
	const char *s = "a\xe2\x82\xac"
			"b"; /* a € b */
	cr_assert_eq(utf8_floor(s, 0), 0);
	cr_assert_eq(utf8_floor(s, 1), 1);
	cr_assert_eq(utf8_floor(s, 2), 1);
	cr_assert_eq(utf8_floor(s, 3), 1);
	cr_assert_eq(utf8_floor(s, 4), 4);
	cr_assert_eq(utf8_floor(s, 5), 5, "the NUL ends the last character");
	cr_assert_eq(utf8_floor("\x80\x80", 1), 0, "no boundary but the start");
}

/* --- every sequence against the Unicode Standard's table ------------------- */

/* Table 3-7 of the Unicode Standard (well-formed UTF-8 byte sequences),
 * written as its byte ranges, independently of utf8.c's bit arithmetic:
 * the length of the well-formed sequence at the start of b[0, n), or 0. */
static size_t table_3_7(const unsigned char *b, size_t n)
{
	static const struct {
		unsigned char lo[UTF8_MAX], hi[UTF8_MAX];
		size_t len;
	} rows[] = {
		{ { 0x00 }, { 0x7F }, 1 },
		{ { 0xC2, 0x80 }, { 0xDF, 0xBF }, 2 },
		{ { 0xE0, 0xA0, 0x80 }, { 0xE0, 0xBF, 0xBF }, 3 },
		{ { 0xE1, 0x80, 0x80 }, { 0xEC, 0xBF, 0xBF }, 3 },
		{ { 0xED, 0x80, 0x80 }, { 0xED, 0x9F, 0xBF }, 3 },
		{ { 0xEE, 0x80, 0x80 }, { 0xEF, 0xBF, 0xBF }, 3 },
		{ { 0xF0, 0x90, 0x80, 0x80 }, { 0xF0, 0xBF, 0xBF, 0xBF }, 4 },
		{ { 0xF1, 0x80, 0x80, 0x80 }, { 0xF3, 0xBF, 0xBF, 0xBF }, 4 },
		{ { 0xF4, 0x80, 0x80, 0x80 }, { 0xF4, 0x8F, 0xBF, 0xBF }, 4 },
	};
	for (size_t r = 0; r < sizeof rows / sizeof *rows; r++) {
		size_t k = 0;
		while (k < rows[r].len && k < n && b[k] >= rows[r].lo[k] && b[k] <= rows[r].hi[k])
			k++;
		if (k == rows[r].len)
			return k;
	}
	return 0;
}

/* utf8_decode agrees with the table on `b[0, n)`, and a sequence it accepts
 * is the encoding of the code point it returns. */
static void check_sequence(const unsigned char *b, size_t n)
{
	uint32_t cp = 0;
	size_t len = utf8_decode((const char *)b, n, &cp);
	size_t want = table_3_7(b, n);
	if (len != want)
		cr_assert_fail("%02x %02x %02x %02x (%zu bytes): decoded %zu, table %zu", b[0], b[1], b[2],
			       b[3], n, len, want);
	char enc[UTF8_MAX];
	if (len && (utf8_encode(cp, enc) != len || memcmp(enc, b, len)))
		cr_assert_fail("%02x %02x %02x %02x: U+%04X does not encode back", b[0], b[1], b[2], b[3], cp);
}

/* Every sequence of one to three bytes (2^24 + 2^16 + 2^8), and every
 * four-byte one whose last byte is one of each class that matters: below,
 * at the ends of and above the continuation range, and the second-byte
 * bounds of table 3-7. Which of 0x80..0xBF the last byte is never decides
 * validity, so this covers the table whole. */
Test(utf8, every_sequence_matches_table_3_7)
{
	static const unsigned char last[] = { 0x00, 0x7F, 0x80, 0x8F, 0x90, 0xA0, 0xBF, 0xC0, 0xFF };
	unsigned char b[UTF8_MAX] = { 0 };
	for (unsigned v = 0; v < 1u << 24; v++) {
		b[0] = (unsigned char)(v >> 16), b[1] = (unsigned char)(v >> 8), b[2] = (unsigned char)v;
		if ((v & 0xFFFF) == 0)
			check_sequence(b, 1);
		if ((v & 0xFF) == 0)
			check_sequence(b, 2);
		check_sequence(b, 3);
		/* Below 0xF0 the fourth byte is never read: one (0x80) will do. */
		size_t from = b[0] < 0xF0 ? 2 : 0, to = b[0] < 0xF0 ? 3 : sizeof last;
		for (size_t k = from; k < to; k++) {
			b[3] = last[k];
			check_sequence(b, 4);
		}
		b[3] = 0;
	}
}

/* Every scalar value encodes to a sequence that decodes back to it. */
Test(utf8, every_scalar_value_round_trips)
{
	for (uint32_t cp = 0; cp <= 0x10FFFF; cp++) {
		if (!utf8_is_scalar(cp))
			continue;
		char b[UTF8_MAX];
		uint32_t back = 0;
		size_t len = utf8_encode(cp, b);
		if (utf8_decode(b, len, &back) != len || back != cp)
			cr_assert_fail("U+%04X: %zu bytes decode to U+%04X", cp, len, back);
	}
}

Test(utf8, control_bytes)
{
	size_t n = 0;
	for (unsigned c = 0; c < 256; c++)
		n += utf8_is_control((unsigned char)c);
	cr_expect_eq(n, 30, "C0 but tab, LF, CR (29), and DEL");
	cr_expect(!utf8_is_control('\t') && !utf8_is_control('\n') && !utf8_is_control('\r') && !utf8_is_control(' '));
	cr_expect(utf8_is_control(0) && utf8_is_control(0x1b) && utf8_is_control(0x7f) && !utf8_is_control(0x80));
	cr_expect_str_eq(utf8_control_name(0), "NUL");
	cr_expect_str_eq(utf8_control_name(0x1b), "ESC");
	cr_expect_str_eq(utf8_control_name(0x1f), "US");
	cr_expect_str_eq(utf8_control_name(0x7f), "DEL");
}

/* What prints as nothing: white space, controls and format characters
 * (U+200B, U+00AD, U+FEFF, U+2060); any letter, digit, mark or symbol
 * is seen, and so is an ill-formed byte (another check's error). */
Test(utf8, has_visible)
{
	cr_expect(!utf8_has_visible("", 0));
	cr_expect(!utf8_has_visible(" \t\r\n", 4));
	const char *blank = "\xc2\xa0\xe2\x80\x8b\xc2\xad\xef\xbb\xbf\xe2\x81\xa0\xe2\x80\xa8\xe2\x80\xa9\xe3\x80\x80";
	cr_expect(!utf8_has_visible(blank, strlen(blank)), "NBSP ZWSP SHY BOM WJ LS PS ideographic space");
	cr_expect(utf8_has_visible("  x ", 4));
	cr_expect(utf8_has_visible("\xc3\xa9", 2));
	cr_expect(utf8_has_visible("\xe2\x80\x8b"
				   "-",
				   4),
		  "a hyphen after a zero-width space");
	cr_expect(utf8_has_visible("\xcc\x81", 2), "a combining mark shows (on a dotted circle)");
	cr_expect(utf8_has_visible(" \xff", 2), "an ill-formed byte");
	cr_expect(!utf8_has_visible("x", 0), "the length bounds the text");
}

/* One file on APFS/HFS+ (case and normalization folded) or NTFS (case). */
Test(utf8, fold_name_is_what_case_insensitive_file_systems_compare)
{
	static const char *const same[][2] = {
		{ "Notes.html", "notes.html" },
		{ "topics/Index.HTML", "topics/index.html" },
		{ "caf\xc3\xa9.md", "cafe\xcc\x81.md" },                            /* NFC, NFD */
		{ "CAF\xc3\x89.md", "cafe\xcc\x81.md" },                            /* and case */
		{ "\xce\xa3\xce\xb9\xcf\x83.png", "\xcf\x83\xce\xb9\xcf\x82.png" }, /* Σισ, σις */
	};
	for (size_t i = 0; i < sizeof same / sizeof *same; i++) {
		char *a = utf8_fold_name(same[i][0]), *b = utf8_fold_name(same[i][1]);
		cr_expect_str_eq(a, b, "%s / %s", same[i][0], same[i][1]);
		free(a);
		free(b);
	}
	static const char *const apart[][2] = {
		{ "a.html", "b.html" },
		{ "notes.html", "notes.htm" },
		{ "caf\xc3\xa9.md", "cafe.md" },
		{ "r\xc3\xa9sum\xc3\xa9.md", "resume.md" },
	};
	for (size_t i = 0; i < sizeof apart / sizeof *apart; i++) {
		char *a = utf8_fold_name(apart[i][0]), *b = utf8_fold_name(apart[i][1]);
		cr_expect_str_neq(a, b, "%s / %s", apart[i][0], apart[i][1]);
		free(a);
		free(b);
	}
	char *bad = utf8_fold_name("A\xff");
	cr_expect_str_eq(bad, "A\xff", "a name that is no UTF-8 is its own key");
	free(bad);
}
