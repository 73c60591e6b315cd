#include <cmark-gfm-extension_api.h>
#include <criterion/criterion.h>
#include <malloc.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "markdown.h"
#include "strbuf.h"
#include "site.h"
#include "value.h"

/* A page of `kind` with body `md`, through the passes a build runs on one
 * page (no link pass: nothing is cited), rendered. */
static char *render_page(enum page_kind kind, const char *md, bool unsafe)
{
	struct page p;
	memset(&p, 0, sizeof(p));
	p.kind = kind;
	p.file = "content/x.md";
	p.out = "x.html";
	p.body_line = 1;
	p.doc = markdown_parse(md, strlen(md));
	struct diag d;
	diag_init(&d);
	markdown_sanitize(p.doc, unsafe, &p, &d);
	if (kind == PAGE_ARTICLE)
		markdown_number_blocks(&p);
	markdown_collect_headings(&p);
	markdown_join_lines(p.doc);
	char *html = markdown_render(p.doc, unsafe);
	cmark_node_free(p.doc);
	for (size_t i = 0; i < p.nheadings; i++) {
		free(p.headings[i].id);
		free(p.headings[i].text);
	}
	free(p.headings);
	free(p.heading_order);
	free(p.blocks);
	diag_free(&d);
	return html;
}

#define TRAIL(n) " <a class=\"para-link\" href=\"#p" #n "\" aria-label=\"Link to paragraph " #n "\">¶" #n "</a>"

static void expect_article(const char *md, const char *want)
{
	char *html = render_page(PAGE_ARTICLE, md, false);
	cr_expect_str_eq(html, want);
	free(html);
}

/* The expected HTML below is string literals around macros (TRAIL), broken
 * where it reads best; clang-format would join each into one line. */
/* clang-format off */
/* Issue 14: article lists were rebuilt as custom blocks, so tight lists
 * rendered loose, task items lost their checkbox, `0.` lost its start. */
Test(markdown, article_tight_list_stays_tight)
{
	expect_article("- one\n- two\n",
		       "<ul>\n<li id=\"p1\">one" TRAIL(1) "</li>\n<li id=\"p2\">two" TRAIL(2) "</li>\n</ul>\n");
}

Test(markdown, article_loose_list_stays_loose)
{
	expect_article("- one\n\n- two\n",
		       "<ul>\n<li id=\"p1\">\n<p>one" TRAIL(1) "</p>\n</li>\n<li id=\"p2\">\n<p>two" TRAIL(2)
		       "</p>\n</li>\n</ul>\n");
}

Test(markdown, article_task_items_keep_checkboxes)
{
	expect_article("- [ ] open\n- [x] done\n",
		       "<ul>\n<li id=\"p1\"><input type=\"checkbox\" disabled=\"\" /> open" TRAIL(1)
		       "</li>\n<li id=\"p2\"><input type=\"checkbox\" checked=\"\" disabled=\"\" /> done" TRAIL(2)
		       "</li>\n</ul>\n");
}

Test(markdown, article_ordered_list_keeps_start)
{
	expect_article("0. zero\n1. one\n",
		       "<ol start=\"0\">\n<li id=\"p1\">zero" TRAIL(1) "</li>\n<li id=\"p2\">one" TRAIL(2) "</li>\n</ol>\n");
}

Test(markdown, article_blocks_get_ids)
{
	expect_article("# Title\n\nText.\n\n> quoted\n\n```\ncode\n```\n",
		       "<h1 id=\"p1\"><a class=\"anchor\" href=\"#p1\" aria-hidden=\"true\" tabindex=\"-1\">#</a>Title" TRAIL(1)
		       "</h1>\n<p id=\"p2\">Text." TRAIL(2) "</p>\n<blockquote id=\"p3\">\n<p>quoted" TRAIL(3)
		       "</p>\n</blockquote>\n<div class=\"block\" id=\"p4\">\n<pre><code>code\n</code></pre>\n" TRAIL(4)
		       "\n</div>\n");
}

/* Issue 11, finding 2: inline raw HTML borrows its paragraph's text until
 * rendered; the paragraph was freed when replaced (ASan in `make check`). */
Test(markdown, article_inline_html_survives_unsafe)
{
	char *html = render_page(PAGE_ARTICLE, "a <b>bold</b> and <i>x</i>\n\n# <em>head</em>\n", true);
	cr_expect_str_eq(html, "<p id=\"p1\">a <b>bold</b> and <i>x</i>" TRAIL(1)
			       "</p>\n<h1 id=\"p2\"><a class=\"anchor\" href=\"#p2\" aria-hidden=\"true\" "
			       "tabindex=\"-1\">#</a><em>head</em>" TRAIL(2) "</h1>\n");
	free(html);
}
/* clang-format on */

Test(markdown, topic_headings_get_github_ids)
{
	char *html = render_page(PAGE_TOPIC, "# What’s new in Ärger?\n\n## Notes\n\n## Notes\n\n- # <b>in</b> item\n",
				 true);
	cr_expect_str_eq(html,
			 "<h1 id=\"whats-new-in-ärger\"><a class=\"anchor\" href=\"#whats-new-in-%C3%A4rger\" "
			 "aria-hidden=\"true\" tabindex=\"-1\">#</a>What’s new in Ärger?</h1>\n"
			 "<h2 id=\"notes\"><a class=\"anchor\" href=\"#notes\" aria-hidden=\"true\" tabindex=\"-1\">#</a>Notes</h2>\n"
			 "<h2 id=\"notes-1\"><a class=\"anchor\" href=\"#notes-1\" aria-hidden=\"true\" tabindex=\"-1\">#</a>Notes</h2>\n"
			 "<ul>\n<li>\n<h1 id=\"in-item\"><a class=\"anchor\" href=\"#in-item\" aria-hidden=\"true\" "
			 "tabindex=\"-1\">#</a><b>in</b> item</h1>\n</li>\n</ul>\n");
	free(html);
}

/* md parsed as the body of content/x.md from line body_line, then through
 * the safety pass (its reports in d). */
static void sanitize_md(struct page *p, struct diag *d, const char *md, int body_line, bool unsafe)
{
	memset(p, 0, sizeof(*p));
	p->file = "content/x.md";
	p->body_line = body_line;
	p->doc = markdown_parse(md, strlen(md));
	diag_init(d);
	markdown_sanitize(p->doc, unsafe, p, d);
}

/* Every dropped piece of raw HTML or URL is a warning at its position. */
Test(markdown, sanitize_reports_each_drop)
{
	const char *md = "Text <span>x</span>\n\n<div>\nblock\n</div>\n\n[a](javascript:alert(1)) "
			 "![i](data:image/png;base64,AA) ![j](data:text/html,x)\n";
	struct page p;
	struct diag d;
	sanitize_md(&p, &d, md, 3, false); /* two lines of front matter */
	cr_assert_eq(d.n, 5);
	const char *want[] = {
		"content/x.md:3:6: warning: raw HTML '<span>' dropped (to keep it, set [markdown] unsafe = true)",
		"content/x.md:3:13: warning: raw HTML '</span>' dropped (to keep it, set [markdown] unsafe = true)",
		"content/x.md:5:1: warning: raw HTML block '<div>' dropped (to keep it, set [markdown] unsafe = true)",
		"content/x.md:9:1: warning: link URL 'javascript:alert(1)' dropped (to keep it, set [markdown] unsafe = true)",
		"content/x.md:9:57: warning: image URL 'data:text/html,x' dropped (to keep it, set [markdown] unsafe = true)",
	};
	for (size_t i = 0; i < d.n; i++) {
		char *s = NULL;
		diag_format(&d.items[i], &s);
		cr_expect_str_eq(s, want[i]);
		free(s);
	}
	char *html = markdown_render(p.doc, false);
	cr_expect(!strstr(html, "span") && !strstr(html, "<div>"));
	free(html);
	diag_free(&d);
	cmark_node_free(p.doc);
}

/* A raw HTML block dropped between two paragraphs of a tight list item
 * keeps their words apart, as cmark-gfm's rendering with it does ("a" and
 * "b" on two lines, not "ab"); at the end of a footnote after a paragraph
 * it keeps the back link after the paragraph. Elsewhere it leaves nothing.
 * (Found by tests/conformance/gfm_random.py.) */
static char *sanitized(const char *md)
{
	struct page p;
	struct diag d;
	sanitize_md(&p, &d, md, 1, false);
	char *html = markdown_render(p.doc, false);
	diag_free(&d);
	cmark_node_free(p.doc);
	return html;
}

Test(markdown, sanitize_keeps_tight_paragraphs_apart)
{
	char *html = sanitized("- a\n  <!-- c -->\n  b\n");
	cr_expect_str_eq(html, "<ul>\n<li>a\nb</li>\n</ul>\n");
	free(html);
	html = sanitized("- a\n  <!-- c -->\n  <!-- d -->\n  b\n"); /* a run of two */
	cr_expect_str_eq(html, "<ul>\n<li>a\nb</li>\n</ul>\n");
	free(html);
	html = sanitized("- a\n  <!-- c -->\n\n  b\n"); /* loose: its <p> keep them apart */
	cr_expect_str_eq(html, "<ul>\n<li>\n<p>a</p>\n<p>b</p>\n</li>\n</ul>\n");
	free(html);
	html = sanitized("- a\n  <!-- c -->\n- b\n"); /* last in its item: nothing to keep apart */
	cr_expect_str_eq(html, "<ul>\n<li>a</li>\n<li>b</li>\n</ul>\n");
	free(html);
	html = sanitized("a\n<!-- c -->\nb\n"); /* paragraphs outside lists have their <p> */
	cr_expect_str_eq(html, "<p>a</p>\n<p>b</p>\n");
	free(html);
	html = sanitized("x[^1]\n\n[^1]: a\n\n    <!-- c -->\n");
	cr_expect(strstr(html, "<p>a</p>\n<a href=\"#fnref-1\" class=\"footnote-backref\""), "%s", html);
	free(html);
}

Test(markdown, unsafe_keeps_everything_silently)
{
	const char *md = "Text <span>x</span> [a](javascript:x)\n";
	struct page p;
	struct diag d;
	sanitize_md(&p, &d, md, 1, true);
	cr_expect_eq(d.n, 0);
	diag_free(&d);
	cmark_node_free(p.doc);
}

/* A tree's shape as text: each node's type, depth-first, so two walks can
 * be compared. */
static char *tree_shape(cmark_node *doc)
{
	struct strbuf sb = STRBUF_INIT;
	cmark_iter *it = cmark_iter_new(doc);
	cmark_event_type ev;
	while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		cmark_node *n = cmark_iter_get_node(it);
		const char *lit = cmark_node_get_literal(n);
		sb_printf(&sb, "%c%s:%s ", ev == CMARK_EVENT_ENTER ? '+' : '-',
			  cmark_node_get_type_string(n), lit ? lit : "");
	}
	cmark_iter_free(it);
	return sb_detach(&sb);
}

/* Issue 12: the paragraph links and cited-by lists are written while
 * rendering, from the model (a change to cited_by shows in the next
 * render), and rendering leaves the tree as it was. */
Test(markdown, render_reads_the_model_and_writes_nothing)
{
	const char *md = "One.\n\n> Quoted.\n\n```\ncode\n```\n";
	struct page p, from;
	memset(&p, 0, sizeof(p));
	memset(&from, 0, sizeof(from));
	p.kind = PAGE_ARTICLE;
	p.file = "content/articles/x.md";
	p.out = "articles/x.html";
	p.body_line = 1;
	from.out = "topics/t.html";
	from.title = "T";
	p.doc = markdown_parse(md, strlen(md));
	markdown_number_blocks(&p);
	markdown_collect_headings(&p);
	cr_assert_eq(p.nblocks, 3);
	char *shape = tree_shape(p.doc);
	char *plain = markdown_render(p.doc, false);
	cr_expect(!strstr(plain, "cited-by"));
	struct citation c = { .from = &from };
	for (size_t i = 0; i < p.nblocks; i++) {
		p.blocks[i].cited_by = &c;
		p.blocks[i].ncited = 1;
	}
	char *cited = markdown_render(p.doc, false);
	/* clang-format off */
	const char *want =
		"<p id=\"p1\">One." TRAIL(1) "</p>\n"
		"<details class=\"cited-by\"><summary>Cited in 1 page<span class=\"visually-hidden\"> "
		"(paragraph 1)</span></summary>\n<ul>\n<li><a href=\"../topics/t.html\">T</a></li>\n"
		"</ul>\n</details>\n"
		"<blockquote id=\"p2\">\n<p>Quoted.</p>\n"
		"<details class=\"cited-by\"><summary>Cited in 1 page<span class=\"visually-hidden\"> "
		"(paragraph 2)</span></summary>\n<ul>\n<li><a href=\"../topics/t.html\">T</a></li>\n"
		"</ul>\n</details>\n" TRAIL(2) "\n</blockquote>\n"
		"<div class=\"block\" id=\"p3\">\n<pre><code>code\n</code></pre>\n" TRAIL(3) "\n"
		"<details class=\"cited-by\"><summary>Cited in 1 page<span class=\"visually-hidden\"> "
		"(paragraph 3)</span></summary>\n<ul>\n<li><a href=\"../topics/t.html\">T</a></li>\n"
		"</ul>\n</details>\n</div>\n";
	/* clang-format on */
	cr_expect_str_eq(cited, want);
	char *again = tree_shape(p.doc);
	cr_expect_str_eq(again, shape, "rendering changed the tree");
	for (size_t i = 0; i < p.nblocks; i++)
		p.blocks[i].ncited = 0;
	char *uncited = markdown_render(p.doc, false);
	cr_expect_str_eq(uncited, plain);
	free(shape);
	free(again);
	free(plain);
	free(cited);
	free(uncited);
	for (size_t i = 0; i < p.nheadings; i++) {
		free(p.headings[i].id);
		free(p.headings[i].text);
	}
	free(p.headings);
	free(p.heading_order);
	free(p.blocks);
	cmark_node_free(p.doc);
}

/* The first TEXT node of `doc` whose literal is `lit`. */
static cmark_node *text_node(cmark_node *doc, const char *lit)
{
	cmark_node *found = NULL;
	cmark_iter *it = cmark_iter_new(doc);
	cmark_event_type ev;
	while (!found && (ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		cmark_node *n = cmark_iter_get_node(it);
		if (ev == CMARK_EVENT_ENTER && cmark_node_get_type(n) == CMARK_NODE_TEXT &&
		    !strcmp(cmark_node_get_literal(n), lit))
			found = n;
	}
	cmark_iter_free(it);
	return found;
}

/* Issue 13: a TEXT node's entity links are data on the node, written
 * while its text is (escaped as cmark escapes text), relative to the page;
 * the tree keeps one text node; a table cell's names stay plain. */
Test(markdown, mentions_render_from_data_on_the_text_node)
{
	const char *md = "Tom & Meta's x < y Meta.\n\n| Meta |\n|---|\n| Meta |\n";
	struct page p, ep;
	struct entity e;
	memset(&p, 0, sizeof(p));
	memset(&ep, 0, sizeof(ep));
	memset(&e, 0, sizeof(e));
	p.out = "topics/t.html";
	ep.out = "entities/meta.html";
	e.page = &ep;
	e.slug = "meta";
	p.doc = markdown_parse(md, strlen(md));
	cmark_consolidate_text_nodes(p.doc);
	cmark_node *t = text_node(p.doc, "Tom & Meta's x < y Meta.");
	cr_assert(t);
	struct markdown_mention v[] = { { 6, 10, &e }, { 19, 23, &e } };
	cr_expect(markdown_link_mentions(t, &p, v, 2));
	cmark_node *cell = text_node(p.doc, "Meta");
	cr_assert(cell);
	cr_expect(!markdown_link_mentions(cell, &p, v, 1), "a table cell holds no link");
	char *shape = tree_shape(p.doc);
	char *html = markdown_render(p.doc, false);
	const char *a = "<a class=\"entity\" href=\"../entities/meta.html\">";
	struct strbuf want = STRBUF_INIT;
	sb_printf(&want, "<p>Tom &amp; %sMeta</a>'s x &lt; y %sMeta</a>.</p>\n", a, a);
	sb_puts(&want, "<table>\n<thead>\n<tr>\n<th>Meta</th>\n</tr>\n</thead>\n<tbody>\n<tr>\n"
		       "<td>Meta</td>\n</tr>\n</tbody>\n</table>\n");
	cr_expect_str_eq(html, want.ptr);
	char *again = tree_shape(p.doc);
	cr_expect_str_eq(again, shape, "rendering changed the tree");
	cr_expect(!cmark_node_next(t) && !cmark_node_previous(t), "the text node was split");
	sb_free(&want);
	free(html);
	free(shape);
	free(again);
	cmark_node_free(p.doc);
}

/* Issue 13: pages are parsed on several threads. cmark-gfm 0.29 shares
 * its table of special inline characters between parsers (markdown.c says
 * how and the fix); without the fix, four threads lose the strikethrough
 * or the autolink of a few thousand of these 80,000 parses. */
enum { RACE_THREADS = 4,
       RACE_PARSES = 20000 };

static void *parse_many(void *arg)
{
	size_t *lost = arg;
	const char *md = "A ~~struck~~ word and www.example.com";
	for (int i = 0; i < RACE_PARSES; i++) {
		cmark_node *doc = markdown_parse(md, strlen(md));
		char *html = markdown_render(doc, false);
		if (!strstr(html, "<del>struck</del>") ||
		    !strstr(html, "<a href=\"http://www.example.com\">www.example.com</a>"))
			(*lost)++;
		free(html);
		cmark_node_free(doc);
	}
	return NULL;
}

Test(markdown, parses_on_threads_keep_every_extension)
{
	cr_assert(markdown_parse_parallel(),
		  "the special-character fix is not in effect: parsing must stay on one thread");
	pthread_t t[RACE_THREADS];
	size_t lost[RACE_THREADS] = { 0 };
	for (int i = 0; i < RACE_THREADS; i++)
		cr_assert_eq(pthread_create(&t[i], NULL, parse_many, &lost[i]), 0);
	size_t total = 0;
	for (int i = 0; i < RACE_THREADS; i++) {
		pthread_join(t[i], NULL);
		total += lost[i];
	}
	cr_expect_eq(total, 0, "%zu of %d parses lost an extension", total, RACE_THREADS * RACE_PARSES);
}

/* The first TEXT node of `doc`. */
static cmark_node *first_text(cmark_node *doc)
{
	cmark_iter *it = cmark_iter_new(doc);
	cmark_node *found = NULL;
	cmark_event_type ev;
	while (!found && (ev = cmark_iter_next(it)) != CMARK_EVENT_DONE)
		if (ev == CMARK_EVENT_ENTER && cmark_node_get_type(cmark_iter_get_node(it)) == CMARK_NODE_TEXT)
			found = cmark_iter_get_node(it);
	cmark_iter_free(it);
	return found;
}

/* A parse joins a paragraph's lines into one text (the entity scan needs
 * a name broken across lines as one string); positions in it are still
 * those of the source lines, and the passes read a joined break as the
 * space it was. */
Test(markdown, lines_joined_at_parse_keep_their_positions)
{
	const char *md = "First line\nsecond “quoted” line\nthird\n";
	struct page p;
	memset(&p, 0, sizeof(p));
	p.file = "content/x.md";
	p.body_line = 5; /* after 4 lines of front matter */
	p.doc = markdown_parse(md, strlen(md));
	cr_assert(markdown_lines_joined(p.doc));
	cmark_node *text = first_text(p.doc);
	cr_assert(text);
	const char *lit = cmark_node_get_literal(text);
	cr_assert_str_eq(lit, "First line\nsecond “quoted” line\nthird");
	cr_assert_null(cmark_node_next(text), "one text: the soft breaks are in it");
	int line, col;
	size_t q = (size_t)(strstr(lit, "“") - lit);
	markdown_pos(&p, text, q, &line, &col);
	cr_assert_eq(line, 6, "line %d", line);
	cr_assert_eq(col, 8, "col %d (after 'second ')", col);
	markdown_pos(&p, text, 0, &line, &col);
	cr_assert(line == 5 && col == 1, "%d:%d", line, col);
	size_t t = (size_t)(strstr(lit, "third") - lit);
	markdown_pos(&p, text, t + 2, &line, &col);
	cr_assert(line == 7 && col == 3, "%d:%d", line, col);
	struct strbuf sb = STRBUF_INIT;
	markdown_source_text(&p, cmark_node_parent(text), &sb);
	cr_assert_str_eq(sb.ptr, "First line second “quoted” line third");
	sb_free(&sb);
	cmark_node_free(p.doc);
}

/* A text holding a newline of its own (here "&#10;") is not a soft break:
 * such a tree is left as parsed, for markdown_join_lines. */
Test(markdown, a_newline_of_its_own_keeps_the_breaks)
{
	const char *md = "a&#10;b\nc\n";
	cmark_node *doc = markdown_parse(md, strlen(md));
	cr_assert_not(markdown_lines_joined(doc));
	cmark_node *para = cmark_node_first_child(doc);
	bool soft = false;
	for (cmark_node *n = cmark_node_first_child(para); n; n = cmark_node_next(n))
		soft = soft || cmark_node_get_type(n) == CMARK_NODE_SOFTBREAK;
	cr_assert(soft);
	cmark_node_free(doc);
}

/* After the parse no node keeps its source text (the cmark-gfm `content`
 * buffer, issue 13), and every string the tree still holds is its own:
 * rendering after the parser and its buffers are gone (under ASan in `make
 * asan`) gives each literal, URL, title and fence info back. */
Test(markdown, parse_releases_the_source_text_and_keeps_every_string)
{
	const char *md = "# Head *x*\n\nText `span` <b>raw</b> [l](http://a.example/p \"ttl\") "
			 "![i](pic.png \"alt-t\") www.example.com ~~gone~~ &amp; soft\nbreak[^n]\n\n"
			 "| a | b |\n|---|---|\n| cell `c` | *e* |\n\n```info words\nthe code\n```\n\n"
			 "<div>\nblock html\n</div>\n\n- [x] task\n\n> quote\n\n[^n]: the note\n";
	char *copy = strdup(md);
	cmark_node *doc = markdown_parse(copy, strlen(copy));
	memset(copy, 'Z', strlen(copy));
	free(copy);
	size_t nodes = 0, kept = 0;
	cmark_iter *it = cmark_iter_new(doc);
	cmark_event_type ev;
	while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		if (ev != CMARK_EVENT_ENTER)
			continue;
		nodes++;
		const char *c = cmark_node_get_string_content(cmark_iter_get_node(it));
		kept += c && *c;
	}
	cmark_iter_free(it);
	cr_expect_gt(nodes, 30);
	cr_expect_eq(kept, 0, "%zu of %zu nodes keep source text", kept, nodes);
	char *html = markdown_render(doc, true);
	const char *want[] = { "<h1>Head <em>x</em></h1>",
			       "<code>span</code>",
			       "<b>raw</b>",
			       "<a href=\"http://a.example/p\" title=\"ttl\">l</a>",
			       "<img src=\"pic.png\" alt=\"i\" title=\"alt-t\" />",
			       "<a href=\"http://www.example.com\">www.example.com</a>",
			       "<del>gone</del>",
			       "&amp; soft\nbreak",
			       "<td>cell <code>c</code></td>",
			       "<pre lang=\"info\"><code>the code\n</code></pre>",
			       "<div>\nblock html\n</div>",
			       "checked=\"\" disabled=\"\" /> task",
			       "<blockquote>\n<p>quote</p>",
			       "the note" };
	for (size_t i = 0; i < sizeof(want) / sizeof(*want); i++)
		cr_expect(strstr(html, want[i]) != NULL, "missing %s in:\n%s", want[i], html);
	free(html);
	cmark_node_free(doc);
}

/* The text joined from a paragraph's lines keeps no room its buffer grew
 * by: the allocation holding the literal is about its length (glibc's
 * malloc_usable_size rounds up to 16 bytes, plus 8 for its header). */
Test(markdown, parse_gives_back_the_room_of_joined_text)
{
	struct strbuf md = STRBUF_INIT;
	for (int i = 0; i < 200; i++)
		sb_puts(&md, "a line of words\n");
	cmark_node *doc = markdown_parse(md.ptr, md.size);
	cmark_node *text = cmark_node_first_child(cmark_node_first_child(doc));
	cr_assert_eq(cmark_node_get_type(text), CMARK_NODE_TEXT);
	cr_assert_null(cmark_node_next(text), "the lines are one TEXT node");
	const char *lit = cmark_node_get_literal(text);
	size_t len = strlen(lit);
	cr_expect_eq(len, md.size - 1);
	size_t room = malloc_usable_size((void *)lit);
	cr_expect(room >= len + 1 && room <= len + 1 + 24, "%zu bytes held for %zu", room, len + 1);
	cmark_node_free(doc);
	sb_free(&md);
}

static char *keep_url(const char *url, void *arg)
{
	(void)url;
	(void)arg;
	return NULL;
}

static char *prefix_url(const char *url, void *arg)
{
	struct strbuf sb = STRBUF_INIT;
	sb_printf(&sb, "%s%s", (const char *)arg, url);
	return sb_detach(&sb);
}

/* markdown_render_urls renders a copy: with the URLs kept it writes what
 * markdown_render writes (tables, task items, footnotes, code included),
 * and with others it changes the links' and images' URLs only. */
Test(markdown, render_urls_changes_the_urls_only)
{
	const char *md = "A [link](a.html#x \"t\") and ![img](i.png), `c` *e* ~~s~~ www.example.com.\n\n"
			 "| a | b |\n|:-|-:|\n| [c](c.html) | 2 |\n\n- [x] done\n- [ ] open\n\n"
			 "3. three\n\n```sh\nx\n```\n\nNoted[^1].\n\n[^1]: The [note](#p1).\n";
	cmark_node *doc = markdown_parse(md, strlen(md));
	char *before = markdown_render(doc, false);
	char *same = markdown_render_urls(doc, false, keep_url, NULL);
	cr_expect_str_eq(same, before);
	char *moved = markdown_render_urls(doc, false, prefix_url, "../");
	cr_expect(strstr(moved, "<a href=\"../a.html#x\" title=\"t\">link</a>"), "%s", moved);
	cr_expect(strstr(moved, "<img src=\"../i.png\" alt=\"img\" />"), "%s", moved);
	cr_expect(strstr(moved, "<a href=\"../c.html\">c</a>"), "%s", moved);
	cr_expect(strstr(moved, "<a href=\"../#p1\">note</a>"), "%s", moved);
	cr_expect(strstr(moved, "<a href=\"../http://www.example.com\">"), "every URL goes to the function: %s", moved);
	char *after = markdown_render(doc, false);
	cr_expect_str_eq(after, before, "the tree is unchanged");
	free(after);
	free(moved);
	free(same);
	free(before);
	cmark_node_free(doc);
}
