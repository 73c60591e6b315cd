#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "strbuf.h"
#include "wdiff.h"

static char *wd(const char *a, const char *b)
{
	struct strbuf sb = STRBUF_INIT;
	wdiff_html(&sb, a, strlen(a), b, strlen(b));
	return sb_detach(&sb);
}

#define expect_diff(a, b, want)                                                 \
	do {                                                                    \
		char *got_ = wd(a, b);                                          \
		cr_assert_str_eq(got_, want, "diff of \"%s\" -> \"%s\"", a, b); \
		free(got_);                                                     \
	} while (0)

Test(wdiff, identical)
{
	expect_diff("same\ntext\n", "same\ntext\n", "<p class=\"wdiff-same\">No change to the text.</p>\n");
	expect_diff("", "", "<p class=\"wdiff-same\">No change to the text.</p>\n");
}

Test(wdiff, one_word)
{
	expect_diff("the quick fox\n", "the slow fox\n",
		    "<pre class=\"wdiff\">the <del>quick</del><ins>slow</ins> fox\n</pre>\n");
}

Test(wdiff, added_and_removed_files)
{
	expect_diff("", "new\ntext\n", "<pre class=\"wdiff\"><ins>new\ntext\n</ins></pre>\n");
	expect_diff("old\n", "", "<pre class=\"wdiff\"><del>old\n</del></pre>\n");
}

Test(wdiff, escapes_everything)
{
	expect_diff("a <b> & \"c\"\n", "a <i> & 'c'\n",
		    "<pre class=\"wdiff\">a &lt;<del>b</del><ins>i</ins>&gt; &amp; "
		    "<del>&quot;</del><ins>&#39;</ins>c<del>&quot;</del><ins>&#39;</ins>\n</pre>\n");
}

Test(wdiff, blanks_join_neighbouring_changes)
{
	expect_diff("keep a b c keep\n", "keep x y z keep\n",
		    "<pre class=\"wdiff\">keep <del>a b c</del><ins>x y z</ins> keep\n</pre>\n");
}

Test(wdiff, markdown_link_pieces)
{
	expect_diff("see [Reuters ¶4](../articles/r.txt#p4) now\n",
		    "see [Reuters ¶5](../articles/r.txt#p5) now\n",
		    "<pre class=\"wdiff\">see [Reuters <del>¶4</del><ins>¶5</ins>](../articles/r.txt#<del>p4</del><ins>p5</ins>) now\n</pre>\n");
}

Test(wdiff, no_final_newline)
{
	expect_diff("a\nb", "a\nc", "<pre class=\"wdiff\">a\n<del>b</del><ins>c</ins></pre>\n");
	expect_diff("a\nb", "a\nb\n", "<pre class=\"wdiff\">a\nb<ins>\n</ins></pre>\n");
}

static char *lines(int from, int to, int changed, const char *with)
{
	struct strbuf sb = STRBUF_INIT;
	for (int i = from; i <= to; i++)
		if (i == changed)
			sb_printf(&sb, "%s\n", with);
		else
			sb_printf(&sb, "line %d\n", i);
	return sb_detach(&sb);
}

Test(wdiff, long_stretches_collapse_to_context)
{
	char *a = lines(1, 30, 0, NULL), *b = lines(1, 30, 15, "line fifteen");
	expect_diff(a, b,
		    "<p class=\"wdiff-skip\">11 unchanged lines</p>\n"
		    "<pre class=\"wdiff\">line 12\nline 13\nline 14\n"
		    "line <del>15</del><ins>fifteen</ins>\n"
		    "line 16\nline 17\nline 18\n</pre>\n"
		    "<p class=\"wdiff-skip\">12 unchanged lines</p>\n");
	free(a);
	free(b);
}

Test(wdiff, short_stretches_stay)
{
	/* 7 unchanged lines between two changes: 3 + 1 hidden + 3 would hide
	 * a single line, so everything is shown. */
	char *a = lines(1, 9, 0, NULL), *b = lines(1, 9, 1, "one");
	b[strlen(b) - 2] = 'X'; /* line 9 -> line X */
	expect_diff(a, b,
		    "<pre class=\"wdiff\"><del>line 1</del><ins>one</ins>\n"
		    "line 2\nline 3\nline 4\nline 5\nline 6\nline 7\nline 8\n"
		    "line <del>9</del><ins>X</ins>\n</pre>\n");
	free(a);
	free(b);
}

/* Removes markup from wdiff output: keeps the text inside <pre>, with <del>
 * text when `old` and <ins> text otherwise, unescaped: that side's text. */
static char *side(const char *html, bool old)
{
	struct strbuf sb = STRBUF_INIT;
	bool skip = false, in_pre = false;
	static const struct {
		const char *ent, *c;
	} ents[] = { { "&lt;", "<" }, { "&gt;", ">" }, { "&amp;", "&" }, { "&quot;", "\"" }, { "&#39;", "'" } };
	for (const char *p = html; *p;) {
		if (!strncmp(p, old ? "<ins>" : "<del>", 5))
			skip = true;
		if (!strncmp(p, old ? "</ins>" : "</del>", 6))
			skip = false;
		if (!strncmp(p, "<pre", 4) || !strncmp(p, "</pre>", 6))
			in_pre = p[1] == 'p';
		if (*p == '<') {
			p = strchr(p, '>') + 1;
			continue;
		}
		size_t k = 0;
		for (; *p == '&' && k < sizeof(ents) / sizeof(*ents); k++)
			if (!strncmp(p, ents[k].ent, strlen(ents[k].ent)))
				break;
		if (*p == '&' && k < sizeof(ents) / sizeof(*ents)) {
			if (!skip && in_pre)
				sb_puts(&sb, ents[k].c);
			p += strlen(ents[k].ent);
			continue;
		}
		if (!skip && in_pre)
			sb_putc(&sb, *p);
		p++;
	}
	return sb_detach(&sb);
}

static char *random_text(unsigned *seed)
{
	static const char *const words[] = { "a", "b", "cat", "<x>", "&", " ", "  ", "\n", ".", "é" };
	struct strbuf sb = STRBUF_INIT;
	int n = (int)(rand_r(seed) % 24);
	for (int i = 0, nl = 0; i < n; i++) {
		const char *w = words[rand_r(seed) % 10];
		if (*w == '\n' && ++nl > 3) /* at most 4 lines: nothing collapses */
			continue;
		sb_puts(&sb, w);
	}
	return sb_detach(&sb);
}

Test(wdiff, both_texts_recoverable)
{
	unsigned seed = 42;
	for (int i = 0; i < 2000; i++) {
		char *a = random_text(&seed), *b = random_text(&seed);
		char *html = wd(a, b);
		if (!strstr(html, "wdiff-same")) {
			char *ra = side(html, true), *rb = side(html, false);
			cr_assert_str_eq(ra, a, "old side of %s", html);
			cr_assert_str_eq(rb, b, "new side of %s", html);
			free(ra);
			free(rb);
		} else {
			cr_assert_str_eq(a, b);
		}
		free(html);
		free(a);
		free(b);
	}
}

Test(wdiff, rewrite_of_a_large_file_finishes)
{
	struct strbuf a = STRBUF_INIT, b = STRBUF_INIT;
	for (int i = 0; i < 20000; i++) {
		sb_printf(&a, "old paragraph %d with words %d\n", i, i * 7);
		sb_printf(&b, "new text %d and other words %d\n", i * 3, i);
	}
	struct strbuf out = STRBUF_INIT;
	wdiff_html(&out, a.ptr, a.size, b.ptr, b.size);
	char *ra = side(out.ptr, true), *rb = side(out.ptr, false);
	cr_assert_str_eq(ra, a.ptr);
	cr_assert_str_eq(rb, b.ptr);
	free(ra);
	free(rb);
	sb_free(&out);
	sb_free(&a);
	sb_free(&b);
}

/* The diff as data, as load keeps it for a revision page: runs of text
 * and a count of unchanged lines, no HTML. */
static void expect_run(const struct wdiff *w, size_t i, enum wdiff_kind kind, const char *text)
{
	cr_assert_lt(i, w->n);
	cr_assert_eq(w->runs[i].kind, kind, "run %zu", i);
	cr_assert_eq(w->runs[i].len, strlen(text), "run %zu", i);
	cr_assert_eq(memcmp(w->text + w->runs[i].off, text, strlen(text)), 0, "run %zu", i);
}

Test(wdiff, runs_as_data)
{
	struct wdiff w;
	const char *a = "the quick fox\n", *b = "the slow <fox>\n";
	wdiff_compute(&w, a, strlen(a), b, strlen(b));
	cr_assert_eq(w.n, 6);
	expect_run(&w, 0, WDIFF_SAME, "the ");
	expect_run(&w, 1, WDIFF_DEL, "quick "); /* the blank joins the changes */
	expect_run(&w, 2, WDIFF_INS, "slow <");
	expect_run(&w, 3, WDIFF_SAME, "fox");
	expect_run(&w, 4, WDIFF_INS, ">");
	expect_run(&w, 5, WDIFF_SAME, "\n");
	wdiff_free(&w);

	char *la = lines(1, 30, 0, NULL), *lb = lines(1, 30, 15, "line fifteen");
	wdiff_compute(&w, la, strlen(la), lb, strlen(lb));
	free(la);
	free(lb); /* the runs hold their own bytes */
	cr_assert_eq(w.runs[0].kind, WDIFF_SKIP);
	cr_assert_eq(w.runs[0].lines, 11);
	expect_run(&w, 1, WDIFF_SAME, "line 12\nline 13\nline 14\n");
	expect_run(&w, 2, WDIFF_SAME, "line ");
	expect_run(&w, 3, WDIFF_DEL, "15");
	expect_run(&w, 4, WDIFF_INS, "fifteen");
	cr_assert_eq(w.runs[w.n - 1].kind, WDIFF_SKIP);
	cr_assert_eq(w.runs[w.n - 1].lines, 12);
	wdiff_free(&w);

	wdiff_compute(&w, a, strlen(a), a, strlen(a));
	cr_assert_eq(w.n, 0, "identical texts: no runs");
	wdiff_free(&w);
}

/* A block of changed lines whose sides share less than half their words was
 * rewritten: one deletion and one insertion, not fragments of common words
 * (what the two sides start and end with stays). */
Test(wdiff, rewritten_block_is_replaced_whole)
{
	expect_diff("keep\nthe old text of a paragraph\nkeep\n",
		    "keep\nsomething new entirely said\nkeep\n",
		    "<pre class=\"wdiff\">keep\n<del>the old text of a paragraph</del>"
		    "<ins>something new entirely said</ins>\nkeep\n</pre>\n");
	/* Half the words in common or more: word by word. */
	expect_diff("keep\nthe old text of a paragraph\nkeep\n",
		    "keep\nthe new text of a page\nkeep\n",
		    "<pre class=\"wdiff\">keep\nthe <del>old</del><ins>new</ins> text of a "
		    "<del>paragraph</del><ins>page</ins>\nkeep\n</pre>\n");
	struct wdiff w;
	const char *a = "x\nalpha beta gamma delta\ny\n", *b = "x\none two three\ny\n";
	wdiff_compute(&w, a, strlen(a), b, strlen(b));
	cr_assert_eq(w.n, 5, "x, one deletion, one insertion, the newline, y");
	expect_run(&w, 1, WDIFF_DEL, "alpha beta gamma delta");
	expect_run(&w, 2, WDIFF_INS, "one two three");
	wdiff_free(&w);
}

/* Diffing a rewritten text stays linear: the shared-words test costs one
 * pass, where the word-by-word diff of two unrelated texts is the costliest
 * case of the algorithm. Both sides are still recoverable. */
Test(wdiff, rewrite_with_no_unchanged_line_is_two_runs)
{
	struct strbuf a = STRBUF_INIT, b = STRBUF_INIT;
	for (int i = 0; i < 5000; i++) {
		sb_printf(&a, "old paragraph %d with words %d\n", i, i * 7);
		sb_printf(&b, "new text %d and other %d\n", i * 3, i);
	}
	struct wdiff w;
	wdiff_compute(&w, a.ptr, a.size, b.ptr, b.size);
	cr_assert_leq(w.n, 4, "%zu runs", w.n);
	wdiff_free(&w);
	sb_free(&a);
	sb_free(&b);
}
