#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmark-gfm-core-extensions.h>
#include <cmark-gfm.h>

#include "article.h"
#include "diag.h"
#include "fsutil.h"
#include "strbuf.h"
#include "toml.h"
#include "value.h"

/* Converts `text` with the given drop patterns (NULL-terminated list). */
static char *convert_with(const char *text, const char *const *patterns,
			  struct article_result *keep)
{
	struct diag d;
	struct article_rules *r = article_rules_new();
	const struct article_rules *sets[] = {r};
	struct article_result res;
	char *md;

	diag_init(&d);
	for (size_t i = 0; patterns && patterns[i]; i++)
		cr_assert_eq(article_rules_add(r, patterns[i], "t.txt", 1, 1, &d), 0);
	cr_assert_eq(article_convert(text, strlen(text), sets, 1, &res), 0);
	md = res.markdown;
	res.markdown = NULL;
	if (keep)
		*keep = res;
	else
		article_result_free(&res);
	article_rules_free(r);
	diag_free(&d);
	return md;
}

static void expect_md(const char *text, const char *want)
{
	char *md = convert_with(text, NULL, NULL);

	cr_assert_str_eq(md, want, "input:\n%s\n--- got:\n%s--- want:\n%s", text,
			 md, want);
	free(md);
}

/* Renders Markdown as the site does: cmark-gfm with its GFM extensions
 * and footnotes, default (safe) options. */
static char *render_gfm(const char *md)
{
	static const char *const names[] = {"table", "strikethrough", "autolink",
					    "tagfilter", "tasklist", NULL};
	cmark_parser *p;
	cmark_node *doc;
	char *html;

	cmark_gfm_core_extensions_ensure_registered();
	p = cmark_parser_new(CMARK_OPT_DEFAULT | CMARK_OPT_FOOTNOTES);
	for (size_t i = 0; names[i]; i++)
		cmark_parser_attach_syntax_extension(
			p, cmark_find_syntax_extension(names[i]));
	cmark_parser_feed(p, md, strlen(md));
	doc = cmark_parser_finish(p);
	html = cmark_render_html(doc, CMARK_OPT_DEFAULT,
				 cmark_parser_get_syntax_extensions(p));
	cmark_node_free(doc);
	cmark_parser_free(p);
	return html;
}

/* ---- paragraphs ---------------------------------------------------------- */

Test(article, paragraph_per_line)
{
	expect_md("First line.\nSecond line.", "First line.\n\nSecond line.\n");
}

Test(article, paragraph_blank_lines_and_blanks_trimmed)
{
	expect_md("\n  First line.  \r\n\n\n\tSecond line.\t\n\n",
		  "First line.\n\nSecond line.\n");
}

Test(article, empty_text)
{
	expect_md("", "");
	expect_md("\n \n", "");
}

/* ---- headings ----------------------------------------------------------- */

Test(article, heading_short_title_line)
{
	expect_md("Intro sentence.\nMarket Impact\nStocks fell sharply.",
		  "Intro sentence.\n\n## Market Impact\n\nStocks fell sharply.\n");
}

Test(article, heading_with_colon_inside_and_curly_apostrophe)
{
	expect_md("Wall Street’s Reaction: Nervousness in the U.S. Tech Sector\n"
		  "The unveiling sent shockwaves.",
		  "## Wall Street’s Reaction: Nervousness in the U.S. Tech "
		  "Sector\n\nThe unveiling sent shockwaves.\n");
}

Test(article, heading_may_be_a_question)
{
	expect_md("What’s Next for DeepSeek and U.S. AI Companies?\n"
		  "It is still early days.",
		  "## What’s Next for DeepSeek and U.S. AI Companies?\n\n"
		  "It is still early days.\n");
}

Test(article, heading_not_a_sentence)
{
	/* Ends with a period, a colon, a comma: sentences and introductions. */
	expect_md("Market Impact Was Large.\nBody text.",
		  "Market Impact Was Large.\n\nBody text.\n");
	expect_md("Market Impact:\nBody text.", "Market Impact:\n\nBody text.\n");
	expect_md("Market Impact,\nBody text.", "Market Impact,\n\nBody text.\n");
}

Test(article, heading_needs_title_case)
{
	expect_md("Read our Privacy Policy\nBody text.",
		  "Read our Privacy Policy\n\nBody text.\n");
	expect_md("market Impact\nBody text.", "market Impact\n\nBody text.\n");
}

Test(article, heading_needs_body_after_it)
{
	/* Last line, or followed by another heading-like line. */
	expect_md("Body text.\nMarket Impact", "Body text.\n\nMarket Impact\n");
	expect_md("Market Impact\nConsumer Adoption\nBody.",
		  "Market Impact\n\n## Consumer Adoption\n\nBody.\n");
}

Test(article, heading_not_too_long)
{
	expect_md("One Two Three Four Five Six Seven Eight Nine Ten Eleven "
		  "Twelve Thirteen Fourteen Fifteen\nBody.",
		  "One Two Three Four Five Six Seven Eight Nine Ten Eleven "
		  "Twelve Thirteen Fourteen Fifteen\n\nBody.\n");
}

Test(article, heading_followed_by_list)
{
	expect_md("Industry Reactions\n- First point.\n- Second point.",
		  "## Industry Reactions\n\n- First point.\n- Second point.\n");
}

/* ---- lists -------------------------------------------------------------- */

Test(article, list_plain_items_and_end)
{
	expect_md("Intro.\n- One thing.\n- Another thing.\nAfter the list.",
		  "Intro.\n\n- One thing.\n- Another thing.\n\nAfter the list.\n");
}

Test(article, list_bullet_character)
{
	expect_md("\u2022 One thing.\n\u2022 Another.", "- One thing.\n- Another.\n");
}

Test(article, list_leadin_takes_next_line)
{
	expect_md("- U.S. Markets Hit Hard:\nU.S. futures plunged.",
		  "- **U.S. Markets Hit Hard:** U.S. futures plunged.\n");
}

Test(article, list_leadin_text_on_same_line)
{
	expect_md("- Optimism and Acclaim: Andreessen called it a gift.",
		  "- Optimism and Acclaim: Andreessen called it a gift.\n");
}

Test(article, list_ran_together_with_space)
{
	/* Seed 003: "...resources. - Skepticism and Criticism:" */
	expect_md("- Optimism and Acclaim:\nHe praised it. - Skepticism and "
		  "Criticism:\nOthers doubted it.",
		  "- **Optimism and Acclaim:** He praised it.\n"
		  "- **Skepticism and Criticism:** Others doubted it.\n");
}

Test(article, list_ran_together_without_space_nests)
{
	/* Seed 003: "...potential.- The Hang Seng Tech Index climbed 2%". */
	expect_md("- Mixed Asian Reactions:\nMarkets rallied.- The Hang Seng "
		  "rose 2%.\n- Conversely, the Nikkei fell.\nNext Section\nBody.",
		  "- **Mixed Asian Reactions:** Markets rallied.\n"
		  "  - The Hang Seng rose 2%.\n"
		  "  - Conversely, the Nikkei fell.\n\n"
		  "## Next Section\n\nBody.\n");
}

Test(article, list_hyphens_inside_text_do_not_split)
{
	expect_md("- A low-cost model - cheaper than most. Mid-2025 - Maybe.",
		  "- A low-cost model - cheaper than most. Mid-2025 - Maybe.\n");
	/* Outside a list, a ran-together bullet is left as written. */
	expect_md("Prices fell. - The index rose.",
		  "Prices fell. - The index rose.\n");
}

Test(article, list_leadin_without_text)
{
	expect_md("- Alone Here:\n- Plain item.",
		  "- **Alone Here:**\n  - Plain item.\n");
}

Test(article, list_leadin_text_is_escaped)
{
	expect_md("- Stars and Bars:\n*Really* [so].",
		  "- **Stars and Bars:** \\*Really\\* \\[so\\].\n");
}

/* ---- block quotes ------------------------------------------------------- */

Test(article, quote_multi_line_post)
{
	expect_md("LeCun posted:\n“To people who think:\n‘China is ahead.’\n"
		  "That is the power of open source.”\nAfter the quote.",
		  "LeCun posted:\n\n> “To people who think:\n>\n> ‘China is "
		  "ahead.’\n>\n> That is the power of open source.”\n\n"
		  "After the quote.\n");
}

Test(article, quote_single_line_closed_by_wrong_curly_quote)
{
	/* Seed 001 closes Zuckerberg's post with a left double quote. */
	expect_md("As he put it:\n“Let’s go build!“\nHe shared a graphic.",
		  "As he put it:\n\n> “Let’s go build!“\n\nHe shared a graphic.\n");
}

Test(article, quote_straight_quotes)
{
	expect_md("He said:\n\"We will win.\"", "He said:\n\n> \"We will win.\"\n");
}

Test(article, quote_needs_introduction)
{
	expect_md("He spoke.\n“We will win.”", "He spoke.\n\n“We will win.”\n");
}

Test(article, quote_needs_closing_quote)
{
	expect_md("He said:\n“We will win.\nOthers disagreed.",
		  "He said:\n\n“We will win.\n\nOthers disagreed.\n");
}

Test(article, quote_inline_stays_paragraph)
{
	expect_md("He posted on X today: “A gift to the world.”",
		  "He posted on X today: “A gift to the world.”\n");
}

/* ---- escaping ----------------------------------------------------------- */

Test(article, escape_inline_specials)
{
	expect_md("a*b_c [d](e) <f> `g` h\\i j|k ~~l~~ AT&T &amp; &#35;",
		  "a\\*b\\_c \\[d\\](e) \\<f> \\`g\\` h\\\\i j\\|k \\~\\~l\\~\\~ "
		  "AT&T \\&amp; \\&#35;\n");
}

Test(article, escape_line_starts)
{
	expect_md("# hash", "\\# hash\n");
	expect_md("> gt", "\\> gt\n");
	expect_md("+ plus", "\\+ plus\n");
	expect_md("-dash", "\\-dash\n");
	expect_md("= eq", "\\= eq\n");
	expect_md("12. twelve", "12\\. twelve\n");
	expect_md("3) three", "3\\) three\n");
	expect_md("2025 was busy.", "2025 was busy.\n");
}

Test(article, escape_heading_hashes)
{
	expect_md("Closing Hashes #\nBody.", "## Closing Hashes \\#\n\nBody.\n");
}

Test(article, escape_utf8_kept)
{
	expect_md("“Quotes” — dashes ‘and’ emoji 🤖 stay.",
		  "“Quotes” — dashes ‘and’ emoji 🤖 stay.\n");
}

/* Text that looks like Markdown renders as the same text. */
Test(article, escape_renders_as_text)
{
	static const char *const cases[][2] = {
		{"*not emphasis* and _not_ either", "*not emphasis* and _not_ either"},
		{"# not a heading", "# not a heading"},
		{"> not a quote", "&gt; not a quote"},
		{"1. not a list", "1. not a list"},
		{"2) nor this", "2) nor this"},
		{"+ not a bullet", "+ not a bullet"},
		{"--- not a rule", "--- not a rule"},
		{"[a link](x.html) and [ref] and ![img](i.png)",
		 "[a link](x.html) and [ref] and ![img](i.png)"},
		{"<b>html</b> and <!-- comment --> <x:y>",
		 "&lt;b&gt;html&lt;/b&gt; and &lt;!-- comment --&gt; &lt;x:y&gt;"},
		{"`code` and back\\slash \\*", "`code` and back\\slash \\*"},
		{"a | b | c", "a | b | c"},
		{"~~strike~~ and ~one~", "~~strike~~ and ~one~"},
		{"&amp; &#35; &copy; AT&T", "&amp;amp; &amp;#35; &amp;copy; AT&amp;T"},
		{"Footnote[^1] and [ ] box", "Footnote[^1] and [ ] box"},
		{"trailing backslash\\", "trailing backslash\\"},
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *md = convert_with(cases[i][0], NULL, NULL);
		char *html = render_gfm(md);
		struct strbuf want = STRBUF_INIT;

		sb_printf(&want, "<p>%s</p>\n", cases[i][1]);
		cr_expect_str_eq(html, want.ptr, "input %s\nmarkdown %s", cases[i][0],
				 md);
		sb_free(&want);
		free(html);
		free(md);
	}
}

Test(article, escape_list_item_and_quote_render_as_text)
{
	char *md = convert_with("Intro:\n“*a* [b]”\n- # c\n- Lead In:\n_d_ <e>",
				NULL, NULL);
	char *html = render_gfm(md);

	cr_assert_str_eq(html, "<p>Intro:</p>\n<blockquote>\n<p>“*a* [b]”</p>\n"
			       "</blockquote>\n<ul>\n<li># c</li>\n<li><strong>Lead "
			       "In:</strong> _d_ &lt;e&gt;</li>\n</ul>\n");
	free(html);
	free(md);
}

/* ---- drop rules --------------------------------------------------------- */

Test(article, drop_lines_reported)
{
	static const char *const pats[] = {"^Subscribe", "^An error occured\\.$",
					   NULL};
	struct article_result res;
	char *md = convert_with("Subscribe now!\nBody.\n\nAn error occured.\nAn "
				"error occured. Really.",
				pats, &res);

	cr_assert_str_eq(md, "Body.\n\nAn error occured. Really.\n");
	cr_assert_eq(res.ndropped, 2);
	cr_assert_eq(res.dropped[0].line, 1);
	cr_assert_str_eq(res.dropped[0].text, "Subscribe now!");
	cr_assert_eq(res.dropped[1].line, 4);
	cr_assert_str_eq(res.dropped[1].text, "An error occured.");
	article_result_free(&res);
	free(md);
}

Test(article, drop_rules_from_several_sets)
{
	struct diag d;
	struct article_rules *site = article_rules_new(), *art = article_rules_new();
	const struct article_rules *sets[] = {site, NULL, art};
	struct article_result res;

	diag_init(&d);
	article_rules_add(site, "^Site boiler", "site.toml", 2, 10, &d);
	article_rules_add(art, "plate$", "a.txt", 3, 4, &d);
	cr_assert_eq(article_rules_count(art), 1);
	cr_assert_eq(article_convert("Site boilerplate here\nKeep.\nA plate",
				     strlen("Site boilerplate here\nKeep.\nA plate"),
				     sets, 3, &res),
		     0);
	cr_assert_str_eq(res.markdown, "Keep.\n");
	cr_assert_eq(res.ndropped, 2);
	article_result_free(&res);
	article_rules_free(site);
	article_rules_free(art);
	article_rules_free(NULL);
	diag_free(&d);
}

Test(article, drop_bad_pattern_diagnostic)
{
	struct diag d;
	struct article_rules *r = article_rules_new();
	char *msg;

	diag_init(&d);
	cr_assert_eq(article_rules_add(r, "(unclosed", "content/articles/x.txt", 14,
				       3, &d),
		     -1);
	cr_assert_eq(d.errors, 1);
	cr_assert_eq(article_rules_count(r), 0);
	diag_format(&d.items[0], &msg);
	cr_assert(strncmp(msg, "content/articles/x.txt:14:3: error: invalid drop "
			       "pattern '(unclosed': ",
			  strlen("content/articles/x.txt:14:3: error: invalid drop "
				 "pattern '(unclosed': ")) == 0,
		  "%s", msg);
	free(msg);
	article_rules_free(r);
	diag_free(&d);
}

/* ---- line map and errors ------------------------------------------------ */

Test(article, line_map_points_at_source_lines)
{
	static const char *const pats[] = {"^Drop", NULL};
	struct article_result res;
	char *md = convert_with("Drop me\nMarket Impact\nBody.\n- Lead In:\nText.\n"
				"- Plain.\nSaid:\n“One\nTwo.”",
				pats, &res);
	static const int want[] = {2, 2, 3, 3, 4, 6, 6, 7, 7, 8, 8, 9};

	cr_assert_str_eq(md, "## Market Impact\n\nBody.\n\n- **Lead In:** Text.\n"
			     "  - Plain.\n\nSaid:\n\n> “One\n>\n> Two.”\n");
	cr_assert_eq(res.nlines, sizeof(want) / sizeof(want[0]));
	for (size_t i = 0; i < res.nlines; i++)
		cr_expect_eq(res.line_map[i], want[i], "line %zu: %d", i,
			     res.line_map[i]);
	article_result_free(&res);
	free(md);
}

Test(article, nul_byte_refused)
{
	struct article_result res;

	cr_assert_eq(article_convert("a\0b", 3, NULL, 0, &res), -1);
	cr_assert_str_eq(res.markdown, "");
	cr_assert_eq(res.nlines, 0);
	article_result_free(&res);
}

/* ---- golden files ------------------------------------------------------- */

/* Compiles the `drop` patterns of an article's header. */
static void golden_rules(const struct value *hdr, const char *path,
			 struct article_rules *r, struct diag *d)
{
	const struct value *drop = value_table_get(hdr, "drop");

	cr_assert_not_null(drop, "%s: no drop key", path);
	cr_assert_eq(drop->type, VALUE_ARRAY);
	for (size_t i = 0; i < drop->u.a.n; i++) {
		const struct value *p = drop->u.a.items[i];

		cr_assert_eq(p->type, VALUE_STRING);
		/* +1: the header starts on the file's second line. */
		cr_assert_eq(article_rules_add(r, p->u.s.p, path, p->line + 1, p->col, d),
			     0);
	}
}

/* content/articles/<slug>.txt converted as the build converts it. */
static char *golden_convert(const char *slug)
{
	struct strbuf path = STRBUF_INIT;
	char *src = NULL, *md, *end;
	size_t len;
	struct diag d;
	struct value *hdr;
	struct article_rules *r = article_rules_new();
	const struct article_rules *sets[] = {r};
	struct article_result res;

	diag_init(&d);
	sb_printf(&path, "content/articles/%s.txt", slug);
	cr_assert_eq(fs_read_file(path.ptr, &src, &len), 0, "cannot read %s", path.ptr);
	cr_assert(strncmp(src, "+++\n", 4) == 0);
	end = strstr(src + 4, "\n+++\n");
	cr_assert_not_null(end);
	hdr = toml_parse(src + 4, (size_t)(end + 1 - (src + 4)), path.ptr, &d);
	cr_assert_not_null(hdr, "%s: bad header", path.ptr);
	golden_rules(hdr, path.ptr, r, &d);
	cr_assert_eq(article_convert(end + 5, len - (size_t)(end + 5 - src), sets, 1,
				     &res),
		     0);
	md = res.markdown;
	res.markdown = NULL;
	article_result_free(&res);
	value_free(hdr);
	article_rules_free(r);
	diag_free(&d);
	free(src);
	sb_free(&path);
	return md;
}

/* Compares with tests/golden/articles/<slug>.md; with DOSSIER_UPDATE_GOLDEN
 * set, rewrites it instead (then review the diff by hand: README.md). */
static void golden_check(const char *slug)
{
	struct strbuf path = STRBUF_INIT;
	char *md = golden_convert(slug), *want = NULL;
	size_t len;

	sb_printf(&path, "tests/golden/articles/%s.md", slug);
	if (getenv("DOSSIER_UPDATE_GOLDEN")) {
		cr_assert_eq(fs_write_file(path.ptr, md, strlen(md)), 0);
		cr_log_warn("rewrote %s", path.ptr);
	} else {
		cr_assert_eq(fs_read_file(path.ptr, &want, &len), 0, "cannot read %s",
			     path.ptr);
		cr_assert_eq(len, strlen(md), "%s: length %zu, converter gives %zu",
			     path.ptr, len, strlen(md));
		cr_assert(memcmp(want, md, len) == 0, "%s differs from the converter's "
						      "output", path.ptr);
	}
	free(want);
	free(md);
	sb_free(&path);
}

Test(article, golden_rivalry_and_reassessment)
{
	golden_check("deepseek-r1-rivalry-and-reassessment");
}

Test(article, golden_venturebeat_western_reactions)
{
	golden_check("venturebeat-deepseek-r1-western-reactions");
}

Test(article, golden_ink_post_low_cost_model)
{
	golden_check("ink-post-deepseek-r1-low-cost-model");
}

Test(article, golden_debates_and_market_impact)
{
	golden_check("deepseek-r1-debates-and-market-impact");
}

Test(article, golden_sputnik_moment_wall_street)
{
	golden_check("deepseek-sputnik-moment-wall-street");
}
