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
	const struct article_rules *sets[] = { r };
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
	static const char *const names[] = { "table", "strikethrough", "autolink",
					     "tagfilter", "tasklist", NULL };
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
	expect_md("Intro.\nWall Street’s Reaction: Nervousness in the U.S. Tech Sector\n"
		  "The unveiling sent shockwaves.",
		  "Intro.\n\n## Wall Street’s Reaction: Nervousness in the U.S. Tech "
		  "Sector\n\nThe unveiling sent shockwaves.\n");
}

Test(article, heading_may_be_a_question)
{
	expect_md("Intro.\nWhat’s Next for DeepSeek and U.S. AI Companies?\n"
		  "It is still early days.",
		  "Intro.\n\n## What’s Next for DeepSeek and U.S. AI Companies?\n\n"
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
	expect_md("Intro.\nMarket Impact\nConsumer Adoption\nBody.",
		  "Intro.\n\nMarket Impact\n\n## Consumer Adoption\n\nBody.\n");
}

Test(article, heading_needs_body_before_it)
{
	/* Issue 14: a line before any body text is a headline, a kicker or a
	 * box title ("Key Points"), not a section heading. */
	expect_md("Key Points\nThe model is free to use.",
		  "Key Points\n\nThe model is free to use.\n");
	expect_md("TechDaily\nBy Tom Baker\nBody.\nMarket Impact\nStocks fell.",
		  "TechDaily\n\nBy Tom Baker\n\nBody.\n\n## Market Impact\n\nStocks "
		  "fell.\n");
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
	expect_md("Intro.\nIndustry Reactions\n- First point.\n- Second point.",
		  "Intro.\n\n## Industry Reactions\n\n- First point.\n- Second point.\n");
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
	/* A number at the start of a list item's text is no marker. */
	expect_md("- 12. twelve", "- 12\\. twelve\n");
	expect_md("1. 3) three", "1. 3\\) three\n");
	expect_md("1234567890. ten digits", "1234567890\\. ten digits\n");
	expect_md("2025 was busy.", "2025 was busy.\n");
}

Test(article, escape_heading_hashes)
{
	expect_md("Intro.\nClosing Hashes #\nBody.",
		  "Intro.\n\n## Closing Hashes \\#\n\nBody.\n");
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
		{ "*not emphasis* and _not_ either", "*not emphasis* and _not_ either" },
		{ "# not a heading", "# not a heading" },
		{ "> not a quote", "&gt; not a quote" },
		{ "1.not a list", "1.not a list" },
		{ "1234567890) nor this", "1234567890) nor this" },
		{ "+ not a bullet", "+ not a bullet" },
		{ "--- not a rule", "--- not a rule" },
		{ "[a link](x.html) and [ref] and ![img](i.png)",
		  "[a link](x.html) and [ref] and ![img](i.png)" },
		{ "<b>html</b> and <!-- comment --> <x:y>",
		  "&lt;b&gt;html&lt;/b&gt; and &lt;!-- comment --&gt; &lt;x:y&gt;" },
		{ "`code` and back\\slash \\*", "`code` and back\\slash \\*" },
		{ "a | b | c", "a | b | c" },
		{ "~~strike~~ and ~one~", "~~strike~~ and ~one~" },
		{ "&amp; &#35; &copy; AT&T", "&amp;amp; &amp;#35; &amp;copy; AT&amp;T" },
		{ "Footnote[^1] and [ ] box", "Footnote[^1] and [ ] box" },
		{ "trailing backslash\\", "trailing backslash\\" },
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
	static const char *const pats[] = { "^Subscribe", "^An error occured\\.$",
					    NULL };
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
	const struct article_rules *sets[] = { site, NULL, art };
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
	static const char *const pats[] = { "^Drop", NULL };
	struct article_result res;
	char *md = convert_with("Drop me\nIntro.\nMarket Impact\nBody.\n- Lead In:\nText.\n"
				"- Plain.\nSaid:\n“One\nTwo.”",
				pats, &res);
	static const int want[] = { 2, 2, 3, 3, 4, 4, 5, 7, 7, 8, 8, 9, 9, 10 };

	cr_assert_str_eq(md, "Intro.\n\n## Market Impact\n\nBody.\n\n- **Lead In:** Text.\n"
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

/* ---- issue 14: sentence-case headings and page furniture ----------------- */

Test(article, heading_sentence_case)
{
	expect_md("Intro sentence.\nWhat the numbers say\nThe figures are large.",
		  "Intro sentence.\n\n## What the numbers say\n\nThe figures are "
		  "large.\n");
	expect_md("Intro.\n5 things to know about R1\n- It is cheap.",
		  "Intro.\n\n## 5 things to know about R1\n\n- It is cheap.\n");
	expect_md("Intro.\nWhy did Nvidia shares fall?\nInvestors feared less demand.",
		  "Intro.\n\n## Why did Nvidia shares fall?\n\nInvestors feared "
		  "less demand.\n");
}

Test(article, heading_sentence_case_negatives)
{
	/* The cut-off end of a long paragraph. */
	expect_md("The company said on Monday that it had trained the model for a "
		  "small fraction of what rivals spend on\nComputing power and chips\n"
		  "Analysts disagreed.",
		  "The company said on Monday that it had trained the model for a "
		  "small fraction of what rivals spend on\n\nComputing power and "
		  "chips\n\nAnalysts disagreed.\n");
	/* Before any body text: the headline or a kicker. */
	expect_md("Chinese start-up rattles markets\nStocks fell sharply.",
		  "Chinese start-up rattles markets\n\nStocks fell sharply.\n");
	/* Followed by a line that does not read as prose. */
	expect_md("Intro.\nWhat the numbers say\nA short line",
		  "Intro.\n\nWhat the numbers say\n\nA short line\n");
	/* A quotation, two sentences, a lower-case start. */
	expect_md("Intro.\n“We will win this race”\nHe said so.",
		  "Intro.\n\n“We will win this race”\n\nHe said so.\n");
	expect_md("Intro.\nShares fell. Then they rose\nBody text.",
		  "Intro.\n\nShares fell. Then they rose\n\nBody text.\n");
	expect_md("Intro.\nwhat the numbers say\nBody text.",
		  "Intro.\n\nwhat the numbers say\n\nBody text.\n");
}

Test(article, heading_not_furniture)
{
	static const char *const lines[] = {
		"By Jane Doe",
		"By Jane Doe and John Roe, Reuters",
		"Photo: Reuters",
		"Photograph: Andy Wong/AP",
		"Image credit: Getty Images",
		"Updated Jan 27, 2025",
		"Published 27 January 2025",
		"January 27, 2025",
		"Mon 27 Jan 2025 10.42 GMT",
		"27 Jan 2025",
		"10:42 a.m. ET",
		"3 hours ago",
		"Read more: DeepSeek explained",
		"READ MORE",
		"Related Coverage",
		"Sign up for The Download",
		"Advertisement",
		"Q: What Is DeepSeek?",
		"Technology \u00b7 Artificial Intelligence",
		"Follow us on X @example",
		"\u00a9 2025 Example Media",
	};

	for (size_t i = 0; i < sizeof(lines) / sizeof(lines[0]); i++) {
		struct strbuf in = STRBUF_INIT, want = STRBUF_INIT;

		sb_printf(&in, "Intro.\n%s\nThe body goes on here.", lines[i]);
		sb_printf(&want, "Intro.\n\n%s\n\nThe body goes on here.\n", lines[i]);
		expect_md(in.ptr, want.ptr);
		sb_free(&in);
		sb_free(&want);
	}
	/* Headings that start like furniture but are not. */
	expect_md("Intro.\nBy the numbers\nRevenue rose.",
		  "Intro.\n\n## By the numbers\n\nRevenue rose.\n");
	expect_md("Intro.\nPhotography and AI\nRevenue rose.",
		  "Intro.\n\n## Photography and AI\n\nRevenue rose.\n");
}

Test(article, heading_not_before_furniture)
{
	/* A caption above its credit, a newsletter box's title, a headline
	 * above its byline. */
	expect_md("Intro.\nJensen Huang speaks at CES in Las Vegas\nPhoto: Getty Images\n"
		  "Body.",
		  "Intro.\n\nJensen Huang speaks at CES in Las Vegas\n\nPhoto: Getty "
		  "Images\n\nBody.\n");
	expect_md("Intro.\nThe Daily Brief\nGet the day’s top AI stories in your "
		  "inbox.\nBody.",
		  "Intro.\n\nThe Daily Brief\n\nGet the day’s top AI stories in your "
		  "inbox.\n\nBody.\n");
	expect_md("DeepSeek Rattles Wall Street\nBy Jane Doe\nBody.",
		  "DeepSeek Rattles Wall Street\n\nBy Jane Doe\n\nBody.\n");
}

Test(article, heading_after_live_blog_timestamp)
{
	expect_md("Follow our live coverage.\n10:42 a.m. ET\nNvidia shares slide 17%\n"
		  "The chipmaker lost $593 billion.",
		  "Follow our live coverage.\n\n10:42 a.m. ET\n\n## Nvidia shares slide "
		  "17%\n\nThe chipmaker lost $593 billion.\n");
}

Test(article, heading_not_label_caption_or_abbreviation_break)
{
	/* Transcript speakers and Q&A labels are body text, never headings,
	 * and do not stop the heading before them. */
	expect_md("Intro.\nHOST: How surprised should we be?\nREPORTER: Not very.",
		  "Intro.\n\nHOST: How surprised should we be?\n\nREPORTER: Not very.\n");
	expect_md("Intro.\nThe Chip Question\nHOST: Does this make the rules pointless?",
		  "Intro.\n\n## The Chip Question\n\nHOST: Does this make the rules "
		  "pointless?\n");
	/* A caption: a comma, or more words than a heading has. */
	expect_md("Intro.\nLiang Wenfeng, the founder, in Beijing\nHe rarely speaks.",
		  "Intro.\n\nLiang Wenfeng, the founder, in Beijing\n\nHe rarely speaks.\n");
	expect_md("Intro.\nTraders on the floor of the New York Stock Exchange on Monday\n"
		  "The slump spread.",
		  "Intro.\n\nTraders on the floor of the New York Stock Exchange on "
		  "Monday\n\nThe slump spread.\n");
	expect_md("Intro.\nSource: Bloomberg\nThe figures are final.",
		  "Intro.\n\nSource: Bloomberg\n\nThe figures are final.\n");
	/* One comma is a heading's, two a caption's apposition. */
	expect_md("Intro.\nLower costs, more users\nEconomists argue so.",
		  "Intro.\n\n## Lower costs, more users\n\nEconomists argue so.\n");
	/* "vs." is no sentence break. */
	expect_md("Intro.\nBenchmarks vs. reality\nTesters found it strong.",
		  "Intro.\n\n## Benchmarks vs. reality\n\nTesters found it strong.\n");
}

Test(article, list_lone_dash_line_is_prose)
{
	expect_md("Shares fell 7%.\n\u2014 With assistance from Carla Mozee",
		  "Shares fell 7%.\n\n\u2014 With assistance from Carla Mozee\n");
	expect_md("Notes:\n\u2014 One.\n\u2014 Two.", "Notes:\n\n- One.\n- Two.\n");
	/* Other bullets may stand alone. */
	expect_md("Notes:\n\u2022 One.", "Notes:\n\n- One.\n");
}

/* ---- issue 14: lists ----------------------------------------------------- */

Test(article, list_every_bullet_character)
{
	static const char *const bullets[] = {
		"-", "*", "\u2022", "\u00b7", "\u2013", "\u2014", "\u25e6",
		"\u25aa", "\u25cf", "\u25cb", "\u25a0", "\u25ba", "\u25b6", "\u27a4"
	};

	for (size_t i = 0; i < sizeof(bullets) / sizeof(bullets[0]); i++) {
		struct strbuf in = STRBUF_INIT;

		sb_printf(&in, "Intro.\n%s One thing.\n%s Another.", bullets[i],
			  bullets[i]);
		expect_md(in.ptr, "Intro.\n\n- One thing.\n- Another.\n");
		sb_free(&in);
	}
}

Test(article, list_bullet_negatives)
{
	expect_md("*Bold claim* here.", "\\*Bold claim\\* here.\n");
	expect_md("—and then it fell.", "—and then it fell.\n");
	expect_md("1.5 million users joined.", "1.5 million users joined.\n");
	expect_md("2024: a year.", "2024: a year.\n");
	expect_md("-", "\\-\n");
}

Test(article, list_ordered_keeps_numbering)
{
	expect_md("Intro.\n1. One.\n2. Two.\n3. Three.",
		  "Intro.\n\n1. One.\n2. Two.\n3. Three.\n");
	expect_md("(1) One.\n(2) Two.", "1. One.\n2. Two.\n");
	expect_md("1) One.\n2) Two.", "1) One.\n2) Two.\n");
}

Test(article, list_ordered_start_and_gaps_render)
{
	char *md = convert_with("Intro.\n3. Three.\nBody.\n4. Four.\n1. One.\n3. Three.",
				NULL, NULL);
	char *html = render_gfm(md);

	/* Each jump starts a new list, with the other delimiter. */
	cr_assert_str_eq(md, "Intro.\n\n3. Three.\n\nBody.\n\n4. Four.\n1) One.\n3. "
			     "Three.\n");
	cr_assert_str_eq(html, "<p>Intro.</p>\n<ol start=\"3\">\n<li>Three.</li>\n</ol>\n"
			       "<p>Body.</p>\n<ol start=\"4\">\n<li>Four.</li>\n</ol>\n"
			       "<ol>\n<li>One.</li>\n</ol>\n<ol start=\"3\">\n"
			       "<li>Three.</li>\n</ol>\n");
	free(html);
	free(md);
}

Test(article, list_nesting_by_indentation)
{
	char *md = convert_with("- Top.\n  - Sub.\n    \u2022 Subsub.\n\t- Tab sub.\n"
				"- Back.\n1. First.\n   - Under it.\n10. Tenth.\n    - "
				"Under ten.",
				NULL, NULL);
	char *html = render_gfm(md);

	/* A tab is 4 columns: as deep as "Subsub". */
	cr_assert_str_eq(md, "- Top.\n  - Sub.\n    - Subsub.\n    - Tab sub.\n- Back.\n"
			     "1. First.\n   - Under it.\n10) Tenth.\n    - Under ten.\n");
	/* Tight at every depth, as written. */
	cr_assert_null(strstr(html, "<p>"), "%s", html);
	cr_assert_not_null(strstr(html, "<li>Top.\n<ul>\n<li>Sub.\n<ul>\n<li>Subsub.</li>"),
			   "%s", html);
	free(html);
	free(md);
}

Test(article, list_nested_ordered_keeps_its_start)
{
	char *md = convert_with("- Steps:\n  3. Third step.\n  4. Fourth step.", NULL, NULL);
	char *html = render_gfm(md);

	cr_assert_str_eq(md, "- **Steps:**\n\n  3. Third step.\n  4. Fourth step.\n");
	cr_assert_not_null(strstr(html, "<ol start=\"3\">\n<li>Third step.</li>"), "%s", html);
	free(html);
	free(md);
}

Test(article, list_leadin_on_ordered_item)
{
	expect_md("1. The Cost:\nIt was cheap.\n2. The Chips:\nThey were old.",
		  "1. **The Cost:** It was cheap.\n2. **The Chips:** They were old.\n");
}

/* ---- issue 14: quotes ---------------------------------------------------- */

Test(article, quote_pull_quote_with_attribution)
{
	expect_md("Intro.\n“A gift to the world.”\n\u2014 Marc Andreessen\nBody.",
		  "Intro.\n\n> “A gift to the world.”\n>\n> \u2014 Marc Andreessen\n\n"
		  "Body.\n");
	expect_md("He posted:\n“We will win.”\n\u2013 Jane Doe, CEO\nBody.",
		  "He posted:\n\n> “We will win.”\n>\n> \u2013 Jane Doe, CEO\n\nBody.\n");
	/* Without an attribution a pull quote stays a paragraph. */
	expect_md("Intro.\n“A gift to the world.”\nBody.",
		  "Intro.\n\n“A gift to the world.”\n\nBody.\n");
}

/* ---- issue 11 finding 11: line endings and control bytes ------------------ */

Test(article, cr_lf_and_lone_cr)
{
	char *md = convert_with("One.\r\nTwo # x\r> three\r1. four\r| a | b |\r\n"
				"Five.\r",
				NULL, NULL);
	char *html = render_gfm(md);

	cr_assert_str_eq(md, "One.\n\nTwo # x > three 1. four \\| a \\| b \\|\n\nFive.\n");
	cr_assert_str_eq(html, "<p>One.</p>\n<p>Two # x &gt; three 1. four | a | b "
			       "|</p>\n<p>Five.</p>\n");
	free(html);
	free(md);
}

Test(article, control_bytes_are_errors)
{
	struct article_result res;
	const char text[] = "Fine line.\nA\0B\nTab\tis fine.\nx\x1b[31my \x7f\n";

	cr_assert_eq(article_convert(text, sizeof text - 1, NULL, 0, &res), -1);
	cr_assert_str_eq(res.markdown, "");
	cr_assert_eq(res.nerrors, 2);
	cr_assert_eq(res.errors[0].line, 2);
	cr_assert_eq(res.errors[0].col, 2);
	cr_assert_str_eq(res.errors[0].message,
			 "control character U+0000 (NUL) in article text; remove it "
			 "(it would be lost or misread)");
	cr_assert_eq(res.errors[1].line, 4);
	cr_assert_eq(res.errors[1].col, 2);
	cr_assert(strstr(res.errors[1].message, "U+001B (ESC)"));
	article_result_free(&res);
}

/* ---- issue 11 finding 9: URLs read back exactly --------------------------- */

struct readback {
	struct strbuf text;
	struct strbuf urls; /* each link's URL, then '\n' */
	int html;           /* raw HTML nodes */
};

static void read_back(cmark_node *n, struct readback *rb)
{
	for (cmark_node *c = cmark_node_first_child(n); c; c = cmark_node_next(c)) {
		switch (cmark_node_get_type(c)) {
		case CMARK_NODE_TEXT:
		case CMARK_NODE_CODE:
			sb_puts(&rb->text, cmark_node_get_literal(c));
			break;
		case CMARK_NODE_SOFTBREAK:
		case CMARK_NODE_LINEBREAK:
			sb_putc(&rb->text, ' ');
			break;
		case CMARK_NODE_HTML_INLINE:
		case CMARK_NODE_HTML_BLOCK:
			rb->html++;
			break;
		case CMARK_NODE_LINK:
			sb_puts(&rb->urls, cmark_node_get_url(c));
			sb_putc(&rb->urls, '\n');
			read_back(c, rb);
			break;
		default:
			read_back(c, rb);
		}
	}
}

/* Parses Markdown as the site does (GFM extensions, autolink included). */
static cmark_node *parse_gfm(const char *md)
{
	static const char *const names[] = { "table", "strikethrough", "autolink",
					     "tagfilter", "tasklist", NULL };
	cmark_parser *p;
	cmark_node *doc;

	cmark_gfm_core_extensions_ensure_registered();
	p = cmark_parser_new(CMARK_OPT_DEFAULT | CMARK_OPT_FOOTNOTES);
	for (size_t i = 0; names[i]; i++)
		cmark_parser_attach_syntax_extension(
			p, cmark_find_syntax_extension(names[i]));
	cmark_parser_feed(p, md, strlen(md));
	doc = cmark_parser_finish(p);
	cmark_parser_free(p);
	return doc;
}

Test(article, url_reads_back_exactly)
{
	/* Input, then the links cmark-gfm must find (URLs, one per line). */
	static const char *const cases[][2] = {
		{ "See https://x.<img src=y onerror=alert(1)> now.", "https://x\n" },
		{ "https://en.wikipedia.org/wiki/DeepSeek_(company)",
		  "https://en.wikipedia.org/wiki/DeepSeek_(company)\n" },
		{ "(see https://en.wikipedia.org/wiki/DeepSeek_(company)).",
		  "https://en.wikipedia.org/wiki/DeepSeek_(company)\n" },
		{ "Go to https://a.example/x_y_z*w~v~ now", "https://a.example/x_y_z*w~v\n" },
		{ "Plain https://a.example/path, then more.", "https://a.example/path\n" },
		{ "Query https://a.example/?q=1&amp;r=2 today",
		  "https://a.example/?q=1&amp;r=2\n" },
		{ "Code https://a.example/`x`/[y] end", "https://a.example/`x`/[y]\n" },
		{ "Mail mailto:a_b@example.com now", "mailto:a_b@example.com\n" },
		{ "Two https://a.example/_a_ and https://b.example/*b*",
		  "https://a.example/_a\nhttps://b.example/*b\n" },
		{ "Digit 1https://a.example/_x_ here", "https://a.example/_x\n" },
		{ "Bare https://_ and http://", "" },
		{ "Site www.example.com/path.", "http://www.example.com/path\n" },
		{ "Site www.example.com/a_b<i>x</i> end", "" },
		{ "Text right after https://x.example<script>alert(1)</script>",
		  "https://x.example\n" },
		{ "Letters xhttps://a.example/_y_ stay text", "" },
		{ "Write to a_b@example.com today.", "mailto:a_b@example.com\n" },
		{ "Or (first_last@news.example.co.uk).", "mailto:first_last@news.example.co.uk\n" },
		{ "Plain ab@example.com stays bare.", "mailto:ab@example.com\n" },
		/* The extension's own reading of addresses, whatever they are. */
		{ "Odd x(_@.rtask_list) here", "mailto:_@.rtask_list\n" },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *md = convert_with(cases[i][0], NULL, NULL);
		cmark_node *doc = parse_gfm(md);
		struct readback rb = { STRBUF_INIT, STRBUF_INIT, 0 };

		read_back(doc, &rb);
		cr_expect_str_eq(rb.text.ptr, cases[i][0], "markdown: %s", md);
		cr_expect_str_eq(rb.urls.ptr, cases[i][1], "markdown: %s", md);
		cr_expect_eq(rb.html, 0, "markdown: %s", md);
		cr_expect_null(strchr(rb.urls.ptr, '\\'), "markdown: %s", md);
		sb_free(&rb.text);
		sb_free(&rb.urls);
		cmark_node_free(doc);
		free(md);
	}
}

Test(article, url_without_specials_stays_bare)
{
	expect_md("Read https://example.com/a/b today.",
		  "Read https://example.com/a/b today.\n");
	expect_md("Read https://en.wikipedia.org/wiki/DeepSeek_(company) today.",
		  "Read <https://en.wikipedia.org/wiki/DeepSeek_(company)> today.\n");
}

/* ---- issue 14: overrides and --explain ----------------------------------- */

static char *convert_opts(const char *text, const int *heads, size_t nh,
			  const int *nots, size_t nn, struct article_result *res)
{
	struct article_options opt = { .headings = heads,
				       .nheadings = nh,
				       .not_headings = nots,
				       .nnot_headings = nn,
				       .first_line = 11 };
	char *md;

	cr_assert_eq(article_convert_with(text, strlen(text), &opt, res), 0);
	md = res->markdown;
	res->markdown = NULL;
	return md;
}

Test(article, override_headings_apply)
{
	struct article_result res;
	static const int heads[] = { 2, 5 };
	static const int nots[] = { 3 };
	char *md = convert_opts("Intro.\nwhat we know so far\nMarket Impact\nBody text.\n"
				"1. Numbered heading\nMore.",
				heads, 2, nots, 1, &res);

	cr_assert_str_eq(md, "Intro.\n\n## what we know so far\n\nMarket Impact\n\nBody "
			     "text.\n\n## 1\\. Numbered heading\n\nMore.\n");
	cr_assert_eq(res.nstale, 0);
	article_result_free(&res);
	free(md);
}

Test(article, override_stale_warnings)
{
	struct article_result res;
	static const int heads[] = { 2, 3, 9, 7 };
	static const int nots[] = { 4, 1 };
	char *md = convert_opts("Intro.\nMarket Impact\n\nBody text.\nHe said:\n“One\n"
				"two.”",
				heads, 4, nots, 2, &res);

	cr_assert_eq(res.nstale, 6);
	cr_assert_str_eq(res.stale[0].message,
			 "line 12 is a heading without the override");
	cr_assert_str_eq(res.stale[1].message, "line 13 of the article is blank or dropped");
	cr_assert_str_eq(res.stale[2].message, "line 19 is not in the article text");
	cr_assert(res.stale[3].heading && res.stale[3].index == 3);
	cr_assert_str_eq(res.stale[3].message,
			 "line 17 is part of a quote; it cannot be a heading");
	cr_assert(!res.stale[4].heading && res.stale[4].index == 0);
	cr_assert_str_eq(res.stale[4].message, "line 14 is a paragraph without the override");
	cr_assert_str_eq(res.stale[5].message, "line 11 is a paragraph without the override");
	article_result_free(&res);
	free(md);
}

Test(article, explain_lists_decisions)
{
	static const char *const pats[] = { "^Subscribe", NULL };
	struct article_result res;
	char *md = convert_with("Intro.\nMarket Impact\nBody text.\nBy Jane Doe\n"
				"Subscribe now\n- Item.\n  - Sub.\nHe said:\n“Go.”",
				pats, &res);
	static const struct {
		int line;
		const char *what, *rule;
	} want[] = {
		{ 2, "heading", "title case, followed by body text" },
		{ 4, "not a heading", "byline" },
		{ 5, "boilerplate", "matches a drop pattern" },
		{ 6, "list item", "line starts with a list marker" },
		{ 7, "list item", "list marker, indented deeper than the item before" },
		{ 9, "quote", "quotation introduced by a line ending in ':'" },
	};

	cr_assert_eq(res.ndecisions, sizeof(want) / sizeof(want[0]));
	for (size_t i = 0; i < res.ndecisions; i++) {
		cr_expect_eq(res.decisions[i].line, want[i].line, "%zu", i);
		cr_expect_str_eq(res.decisions[i].what, want[i].what, "%zu", i);
		cr_expect_str_eq(res.decisions[i].rule, want[i].rule, "%zu", i);
	}
	article_result_free(&res);
	free(md);
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
	const struct article_rules *sets[] = { r };
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
						      "output",
			  path.ptr);
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
