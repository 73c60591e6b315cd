#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "markdown.h"
#include "mdlimits.h"
#include "strbuf.h"

static size_t check(const struct strbuf *md, struct mdlimits_hit *hits)
{
	return mdlimits_check(md->ptr ? md->ptr : "", md->size, hits);
}

static void repeat(struct strbuf *sb, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		sb_puts(sb, s);
}

/* A table of `columns` columns: header and delimiter rows. */
static void table_head(struct strbuf *sb, size_t columns)
{
	sb_puts(sb, "|");
	repeat(sb, "h|", columns);
	sb_puts(sb, "\n|");
	repeat(sb, "-|", columns);
	sb_puts(sb, "\n");
}

static void expect_none(const struct strbuf *md, const char *what)
{
	struct mdlimits_hit hits[MDLIMITS_RULES];
	size_t n = check(md, hits);
	cr_assert_eq(n, 0, "%s: %zu hits, the first at line %d: %s", what, n, n ? hits[0].line : 0,
		     n ? hits[0].why : "");
}

/* Exactly one hit, of `rule`, at `line`:`col`; its message is returned
 * for further checks. */
static void expect_one(const struct strbuf *md, enum mdlimits_rule rule, int line, int col,
		       struct mdlimits_hit *h)
{
	struct mdlimits_hit hits[MDLIMITS_RULES];
	size_t n = check(md, hits);
	cr_assert_eq(n, 1, "%zu hits", n);
	cr_assert_eq(hits[0].rule, rule, "rule %d: %s", hits[0].rule, hits[0].why);
	cr_assert_eq(hits[0].line, line, "line %d, want %d: %s", hits[0].line, line, hits[0].why);
	cr_assert_eq(hits[0].col, col, "col %d, want %d", hits[0].col, col);
	*h = hits[0];
}

Test(mdlimits, ordinary_markdown_passes)
{
	struct strbuf md = STRBUF_INIT;
	sb_puts(&md, "# Title\n\nSome *text* with a [link](x.md) and `code | pipe`.\n\n"
		     "| a | b |\n|:--|--:|\n| 1 | 2 |\n| 3 |\n\n> quoted | text\n> -|-\n\n"
		     "- item\n- item | two\n\n```\n-|-\n-|-\n```\n\nSetext\n---\n");
	expect_none(&md, "a mixed document");
	sb_free(&md);
	struct strbuf empty = STRBUF_INIT;
	expect_none(&empty, "an empty body");
}

Test(mdlimits, large_documents_that_cost_the_parser_nothing_extra_pass)
{
	struct strbuf md = STRBUF_INIT;
	/* 100,000 full rows of 4 columns (1.4 MB). */
	table_head(&md, 4);
	repeat(&md, "|1|2|3|4|\n", 100000);
	expect_none(&md, "a table of 100,000 full rows");
	/* A 1 MB paragraph, then one table under it. */
	sb_free(&md);
	repeat(&md, "a line of a very long paragraph without a blank line in it\n", 18000);
	sb_puts(&md, "a|b\n-|-\n1|2\n");
	expect_none(&md, "a 1 MB paragraph with a table under it");
	/* 2,000 list items, each holding a small table, no blank line. */
	sb_free(&md);
	repeat(&md, "- a|b|c\n  -|-|-\n  1|2|3\n", 2000);
	expect_none(&md, "a list of 2,000 tables");
	/* A row of exactly the limit. */
	sb_free(&md);
	sb_puts(&md, "a|b\n-|-\n");
	repeat(&md, "|", MDLIMITS_ROW_PIPES);
	sb_puts(&md, "\n");
	expect_none(&md, "a row at the limit");
	sb_free(&md);
}

Test(mdlimits, a_row_of_too_many_cells)
{
	struct strbuf md = STRBUF_INIT;
	struct mdlimits_hit h;
	sb_puts(&md, "Text.\n\na|b\n-|-\n1|2\n  ");
	repeat(&md, "|", MDLIMITS_ROW_PIPES + 1);
	sb_puts(&md, "\n");
	expect_one(&md, MDLIMITS_PIPES, 6, 3, &h);
	cr_assert_str_eq(h.why, "a table row of 1001 '|' (at most 1000): the Markdown parser's time "
				"grows with the square of a row's cells");
	/* The header above a delimiter row is a row too, and so is the
	 * delimiter row. */
	sb_free(&md);
	repeat(&md, "x|", 5000);
	sb_puts(&md, "\n-|-\n");
	expect_one(&md, MDLIMITS_PIPES, 1, 1, &h);
	sb_free(&md);
	sb_puts(&md, "x\n");
	repeat(&md, "-|", 2000);
	sb_puts(&md, "\n");
	expect_one(&md, MDLIMITS_PIPES, 2, 1, &h);
	cr_assert(strstr(h.why, "a table delimiter row of 2000 '|'"), "%s", h.why);
	/* Outside a table, pipes cost nothing. */
	sb_free(&md);
	repeat(&md, "x|", 5000);
	sb_puts(&md, "\n\n");
	repeat(&md, "x|", 5000);
	sb_puts(&md, "\n");
	expect_none(&md, "pipes in paragraphs");
	sb_free(&md);
}

Test(mdlimits, short_rows_filled_past_the_budget)
{
	struct strbuf md = STRBUF_INIT;
	struct mdlimits_hit h;
	/* 999 columns, then one-cell rows: 998 cells filled in each. */
	table_head(&md, 999);
	repeat(&md, "x\n", 200);
	/* 65536 + 4,400 bytes allows 70 such rows: the 71st passes. */
	expect_one(&md, MDLIMITS_FILLED, 2 + 71, 1, &h);
	char want[160];
	snprintf(want, sizeof(want), "add %d empty cells (at most %zu:", 200 * 998,
		 (size_t)MDLIMITS_FILLED_BASE + md.size);
	cr_assert(strstr(h.why, want), "'%s' not in: %s", want, h.why);
	/* The same rows with their cells: nothing is filled. */
	sb_free(&md);
	table_head(&md, 999);
	for (int i = 0; i < 200; i++) {
		repeat(&md, "x|", 1000);
		sb_puts(&md, "\n");
	}
	expect_none(&md, "full rows");
	/* A blank line ends the table: the lines after it fill nothing. */
	sb_free(&md);
	table_head(&md, 999);
	sb_puts(&md, "x\n\n");
	repeat(&md, "x\n", 1000);
	expect_none(&md, "rows after the table");
	/* An escaped pipe splits nothing: "a\|b\|c\|d" is one cell, and
	 * "a\\|b\\|c\\|d" (escaped backslashes) is four. The scan counts a
	 * row's cells at least one less than its splitting pipes. */
	const char *rows[] = { "a\\|b\\|c\\|d\n", "a|b|c|d\n", "a\\\\|b\\\\|c\\\\|d\n" };
	const int filled[] = { 100 * 998, 100 * 997, 100 * 997 };
	for (int k = 0; k < 3; k++) {
		sb_free(&md);
		table_head(&md, 999);
		repeat(&md, rows[k], 100);
		/* The first row whose filled cells pass 65536 + the bytes. */
		int over = (int)((MDLIMITS_FILLED_BASE + md.size) / (size_t)(filled[k] / 100)) + 1;
		expect_one(&md, MDLIMITS_FILLED, 2 + over, 1, &h);
		snprintf(want, sizeof(want), "add %d empty cells", filled[k]);
		cr_assert(strstr(h.why, want), "row '%s': '%s' not in: %s", rows[k], want, h.why);
	}
	sb_free(&md);
}

Test(mdlimits, delimiter_lines_under_one_paragraph)
{
	struct strbuf md = STRBUF_INIT;
	struct mdlimits_hit h;
	repeat(&md, "abcde\n-|-\n", 100);
	expect_none(&md, "100 of them");
	sb_free(&md);
	repeat(&md, "abcde\n-|-\n", 20000);
	/* The k-th "-|-" re-reads the paragraph above it: 10 (k - 1) + 6
	 * bytes. The first k that passes 16 times the text and 1 MiB: */
	unsigned long long reread = 0, max = 16ULL * md.size + MDLIMITS_REREAD_BASE;
	int k = 0;
	while (reread <= max)
		reread += 10ULL * (unsigned long long)k++ + 6;
	expect_one(&md, MDLIMITS_REREAD, 2 * k, 1, &h);
	cr_assert(strstr(h.why, "put a blank line before each table"), "%s", h.why);
	/* In a block quote, the same. */
	sb_free(&md);
	repeat(&md, "> abcde\n> -|-\n", 20000);
	struct mdlimits_hit hits[MDLIMITS_RULES];
	cr_assert_eq(check(&md, hits), 1);
	cr_assert_eq(hits[0].rule, MDLIMITS_REREAD);
	cr_assert_eq(hits[0].col, 3);
	/* Fences and list items end the paragraph; "``` `" is no fence. */
	sb_free(&md);
	repeat(&md, "abcde\n```\n-|-\n", 20000);
	expect_none(&md, "fences between them");
	sb_free(&md);
	repeat(&md, "abcde\n``` `\n-|-\n", 20000);
	cr_assert_eq(check(&md, hits), 1, "a backtick in the info string: no fence");
	cr_assert_eq(hits[0].rule, MDLIMITS_REREAD);
	sb_free(&md);
	repeat(&md, "- abcde\n  -|-\n", 20000);
	expect_none(&md, "list items");
	sb_free(&md);
	repeat(&md, "2. abcde\n  -|-\n", 20000);
	cr_assert_eq(check(&md, hits), 1, "an item '2.' is taken to go on a paragraph");
	/* "-\v", "-\f" and ":-" are one-column delimiter rows to gfm.6
	 * (10,000 of them took 14-17 s); "---" and "-" are underlines. */
	const char *lines[] = { "a|b\n-\v\n", "a|b\n:-\n", "a|b\n-\f\n" };
	for (int i = 0; i < 3; i++) {
		sb_free(&md);
		repeat(&md, lines[i], 20000);
		cr_assert_eq(check(&md, hits), 1, "'%s'", lines[i]);
		cr_assert_eq(hits[0].rule, MDLIMITS_REREAD);
	}
	sb_free(&md);
	repeat(&md, "a|b\n---\nc|d\n-\n", 20000);
	expect_none(&md, "setext underlines");
	/* A one-column table is a table: its rows' cells count. */
	sb_free(&md);
	sb_puts(&md, "bbb\n-\v\n");
	repeat(&md, "|", MDLIMITS_ROW_PIPES + 1);
	sb_puts(&md, "\n");
	cr_assert_eq(check(&md, hits), 1);
	cr_assert_eq(hits[0].rule, MDLIMITS_PIPES);
	cr_assert_eq(hits[0].line, 3);
	/* Blank lines between them: each paragraph is read once. */
	sb_free(&md);
	repeat(&md, "abcde\n-|-\n\n", 20000);
	expect_none(&md, "paragraphs apart");
	sb_free(&md);
}

Test(mdlimits, line_endings_as_cmark_reads_them)
{
	const char *ends[] = { "\n", "\r\n", "\r" };
	int line[3];
	for (int k = 0; k < 3; k++) {
		struct strbuf md = STRBUF_INIT;
		sb_printf(&md, "Text.%s%sa|b%s-|-%s", ends[k], ends[k], ends[k], ends[k]);
		repeat(&md, "|", MDLIMITS_ROW_PIPES + 1);
		sb_puts(&md, ends[k]);
		struct mdlimits_hit hits[MDLIMITS_RULES];
		cr_assert_eq(check(&md, hits), 1, "ending %d", k);
		line[k] = hits[0].line;
		sb_free(&md);
	}
	cr_assert_eq(line[0], 5);
	cr_assert_eq(line[1], 5);
	cr_assert_eq(line[2], 5);
}

Test(mdlimits, every_rule_once_in_rule_order)
{
	struct strbuf md = STRBUF_INIT;
	repeat(&md, "abcde\n-|-\n", 20000);
	sb_puts(&md, "\n");
	table_head(&md, 999);
	repeat(&md, "x\n", 2000);
	sb_puts(&md, "\n");
	repeat(&md, "x|", 3000);
	sb_puts(&md, "\n-|-\n");
	repeat(&md, "x|", 3000);
	sb_puts(&md, "\n");
	struct mdlimits_hit hits[MDLIMITS_RULES];
	cr_assert_eq(check(&md, hits), 3);
	cr_assert_eq(hits[0].rule, MDLIMITS_PIPES);
	cr_assert_eq(hits[1].rule, MDLIMITS_FILLED);
	cr_assert_eq(hits[2].rule, MDLIMITS_REREAD);
	cr_assert_lt(hits[2].line, hits[1].line, "found first, sorted by rule");
	sb_free(&md);
}

/* The bound against the parser itself: a body just inside the budget
 * parses into no more cells than the budget and the cells written. */
Test(mdlimits, the_parser_stays_within_what_the_scan_allows)
{
	struct strbuf md = STRBUF_INIT;
	table_head(&md, 999);
	size_t rows = 0;
	struct mdlimits_hit hits[MDLIMITS_RULES];
	while (mdlimits_check(md.ptr, md.size, hits) == 0) {
		sb_puts(&md, "x\n");
		rows++;
	}
	md.size -= 2; /* the last row passed the budget */
	md.ptr[md.size] = '\0';
	rows--;
	cr_assert_eq(mdlimits_check(md.ptr, md.size, hits), 0);
	cmark_node *doc = markdown_parse(md.ptr, md.size);
	size_t cells = 0;
	cmark_iter *it = cmark_iter_new(doc);
	cmark_event_type ev;
	while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE)
		if (ev == CMARK_EVENT_ENTER &&
		    !strcmp(cmark_node_get_type_string(cmark_iter_get_node(it)), "table_cell"))
			cells++;
	cmark_iter_free(it);
	cmark_node_free(doc);
	/* 999 header cells, and 999 in each row: the parser did fill them. */
	cr_assert_eq(cells, 999 * (rows + 1), "%zu cells for %zu rows", cells, rows);
	cr_assert_leq(cells - 999 - rows, (size_t)MDLIMITS_FILLED_BASE + md.size);
	sb_free(&md);
}
