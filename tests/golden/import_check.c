/*
 * import_check: the article importer against hand-written truth (issue 14).
 *
 *   import-check [--seeds DIR] FILE.txt ...
 *
 * Each FILE.txt is an article source (+++ header, then text). When FILE.md
 * sits beside it (the labelled corpus, tests/golden/import/), it is the
 * expected Markdown, written by hand: the headings of the importer's output
 * are compared with its headings (precision and recall over all files), and
 * so are list items and block quotes. For every file, the word-level round
 * trip is checked on the importer's output and on the expected Markdown
 * alike: the words cmark-gfm reads from the Markdown equal the words of the
 * source minus the lines its `drop` patterns declare boilerplate. With
 * --seeds, a file naming `seed = "x.txt"` must hold DIR/x.txt verbatim.
 *
 * Words are blank-separated tokens. Bullet glyphs standing alone (- * • ·
 * – — ◦ ▪ ● ○ ■ ► ▶ ➤) are markup, not words, on both sides; a list number ("3." "3)"
 * "(3)") is the word "3." on both sides: cmark gives each ordered item its
 * number, so a renumbered list fails the check.
 *
 * Prints one line per problem and a summary; exit 1 on any round-trip
 * failure, or heading precision or recall under 95%.
 */
#include <regex.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmark-gfm-core-extensions.h>
#include <cmark-gfm.h>

#include "content.h"
#include "diag.h"
#include "fsutil.h"
#include "strbuf.h"
#include "value.h"
#include "xalloc.h"

#define MIN_SCORE 0.95

struct words {
	char **w;
	size_t n, cap;
};

static bool bullet_glyph(const char *t)
{
	static const char *const g[] = { "-", "*", "\u2022", "\u00b7", "\u2013",
					 "\u2014", "\u25e6", "\u25aa", "\u25cf", "\u25cb",
					 "\u25a0", "\u25ba", "\u25b6", "\u27a4", NULL };
	for (size_t i = 0; g[i]; i++)
		if (!strcmp(t, g[i]))
			return true;
	return false;
}

static void words_add(struct words *ws, const char *p, size_t n)
{
	char *t = xstrndup(p, n);
	size_t k = 0, digits = 0, open = t[0] == '(';

	if (bullet_glyph(t)) {
		free(t);
		return;
	}
	/* A bullet a scrape ran into the end of a sentence ("potential.-")
	 * is markup too. */
	size_t tn = strlen(t);
	if (tn >= 2 && t[tn - 1] == '-' && strchr(".!?:)\"", t[tn - 2]))
		t[tn - 1] = '\0';
	/* "(3)", "3)", "3." -> "3." */
	while (t[open + digits] >= '0' && t[open + digits] <= '9')
		digits++;
	k = open + digits;
	if (digits && t[k] && !t[k + 1] &&
	    (open ? t[k] == ')' : (t[k] == '.' || t[k] == ')'))) {
		memmove(t, t + open, digits);
		t[digits] = '.';
		t[digits + 1] = '\0';
	}
	ws->w = xgrow(ws->w, &ws->cap, ws->n + 1, sizeof(*ws->w));
	ws->w[ws->n++] = t;
}

static void words_of(struct words *ws, const char *s, size_t n)
{
	size_t i = 0;
	while (i < n) {
		while (i < n && strchr(" \t\r\n", s[i]))
			i++;
		size_t start = i;
		while (i < n && !strchr(" \t\r\n", s[i]))
			i++;
		if (i > start)
			words_add(ws, s + start, i - start);
	}
}

static void words_free(struct words *ws)
{
	for (size_t i = 0; i < ws->n; i++)
		free(ws->w[i]);
	free(ws->w);
	*ws = (struct words){ 0 };
}

/* ---- Markdown as cmark-gfm reads it -------------------------------------- */

static cmark_node *parse_gfm(const char *md)
{
	static const char *const names[] = { "table", "strikethrough", "autolink",
					     "tagfilter", "tasklist", NULL };
	cmark_gfm_core_extensions_ensure_registered();
	cmark_parser *p = cmark_parser_new(CMARK_OPT_DEFAULT | CMARK_OPT_FOOTNOTES);
	for (size_t i = 0; names[i]; i++)
		cmark_parser_attach_syntax_extension(p, cmark_find_syntax_extension(names[i]));
	cmark_parser_feed(p, md, strlen(md));
	cmark_node *doc = cmark_parser_finish(p);
	cmark_parser_free(p);
	return doc;
}

struct shape {
	struct strbuf text;    /* all text, blocks separated by '\n' */
	struct words headings; /* each heading's text as one entry */
	struct words items;    /* each list item's own text */
	struct words quotes;   /* each quote paragraph's text */
	int html;              /* raw HTML nodes: text turned into markup */
};

static void plain(cmark_node *n, struct strbuf *sb)
{
	for (cmark_node *c = cmark_node_first_child(n); c; c = cmark_node_next(c)) {
		cmark_node_type t = cmark_node_get_type(c);
		if (t == CMARK_NODE_TEXT || t == CMARK_NODE_CODE)
			sb_puts(sb, cmark_node_get_literal(c));
		else if (t == CMARK_NODE_SOFTBREAK || t == CMARK_NODE_LINEBREAK)
			sb_putc(sb, ' ');
		else if (t == CMARK_NODE_PARAGRAPH || t == CMARK_NODE_HEADING)
			return;
		else
			plain(c, sb);
	}
}

static void entry(struct words *ws, cmark_node *n)
{
	struct strbuf sb = STRBUF_INIT;
	plain(n, &sb);
	ws->w = xgrow(ws->w, &ws->cap, ws->n + 1, sizeof(*ws->w));
	ws->w[ws->n++] = sb_detach(&sb);
}

/* The first paragraph of an item: its own text, not its sub-items'. */
static void item_entry(struct words *ws, cmark_node *item)
{
	for (cmark_node *c = cmark_node_first_child(item); c; c = cmark_node_next(c))
		if (cmark_node_get_type(c) == CMARK_NODE_PARAGRAPH) {
			entry(ws, c);
			return;
		}
	entry(ws, item);
}

static void walk(cmark_node *n, struct shape *sh, bool in_quote)
{
	for (cmark_node *c = cmark_node_first_child(n); c; c = cmark_node_next(c)) {
		cmark_node_type t = cmark_node_get_type(c);
		switch (t) {
		case CMARK_NODE_TEXT:
		case CMARK_NODE_CODE:
			sb_puts(&sh->text, cmark_node_get_literal(c));
			break;
		case CMARK_NODE_SOFTBREAK:
		case CMARK_NODE_LINEBREAK:
			sb_putc(&sh->text, ' ');
			break;
		case CMARK_NODE_HTML_INLINE:
		case CMARK_NODE_HTML_BLOCK:
			sh->html++;
			break;
		case CMARK_NODE_HEADING:
			entry(&sh->headings, c);
			walk(c, sh, in_quote);
			sb_putc(&sh->text, '\n');
			break;
		case CMARK_NODE_PARAGRAPH:
			if (in_quote)
				entry(&sh->quotes, c);
			walk(c, sh, in_quote);
			sb_putc(&sh->text, '\n');
			break;
		case CMARK_NODE_ITEM: {
			cmark_node *list = cmark_node_parent(c);
			if (cmark_node_get_list_type(list) == CMARK_ORDERED_LIST) {
				int k = cmark_node_get_list_start(list);
				for (cmark_node *s = cmark_node_first_child(list); s != c; s = cmark_node_next(s))
					k++;
				sb_printf(&sh->text, "%d. ", k);
			}
			item_entry(&sh->items, c);
			walk(c, sh, in_quote);
			break;
		}
		case CMARK_NODE_BLOCK_QUOTE:
			walk(c, sh, true);
			break;
		default:
			walk(c, sh, in_quote);
		}
	}
}

static void shape_of(const char *md, struct shape *sh)
{
	*sh = (struct shape){ .text = STRBUF_INIT };
	cmark_node *doc = parse_gfm(md);
	walk(doc, sh, false);
	cmark_node_free(doc);
}

static void shape_free(struct shape *sh)
{
	sb_free(&sh->text);
	words_free(&sh->headings);
	words_free(&sh->items);
	words_free(&sh->quotes);
}

/* ---- one article ----------------------------------------------------------- */

struct score {
	size_t tp, fp, fn;
};

/* Multiset match of entries, in order-independent fashion. */
static void score_add(struct score *s, const struct words *got, const struct words *want,
		      const char *file, const char *what, bool report)
{
	bool *used = xcalloc(want->n + 1, sizeof(*used));
	for (size_t i = 0; i < got->n; i++) {
		size_t j = 0;
		while (j < want->n && (used[j] || strcmp(got->w[i], want->w[j])))
			j++;
		if (j < want->n) {
			used[j] = true;
			s->tp++;
		} else {
			s->fp++;
			if (report)
				printf("%s: %s not expected: %s\n", file, what, got->w[i]);
		}
	}
	for (size_t j = 0; j < want->n; j++)
		if (!used[j]) {
			s->fn++;
			if (report)
				printf("%s: %s missed: %s\n", file, what, want->w[j]);
		}
	free(used);
}

/* The source's words: the body's lines minus those the drop patterns match. */
static int source_words(const char *body, size_t len, const struct value *drop,
			const char *file, struct words *ws)
{
	regex_t *re = NULL;
	size_t nre = 0;
	int rc = 0;
	for (size_t i = 0; drop && drop->type == VALUE_ARRAY && i < drop->u.a.n; i++) {
		re = xrealloc(re, (nre + 1) * sizeof(*re));
		if (drop->u.a.items[i]->type != VALUE_STRING ||
		    regcomp(&re[nre], drop->u.a.items[i]->u.s.p, REG_EXTENDED | REG_NOSUB)) {
			printf("%s: bad drop pattern %zu\n", file, i);
			rc = -1;
			continue;
		}
		nre++;
	}
	size_t off = 0;
	while (off < len) {
		const char *nl = memchr(body + off, '\n', len - off);
		size_t end = nl ? (size_t)(nl - body) : len;
		char *line = xstrndup(body + off, end - off);
		size_t n = strlen(line);
		if (n && line[n - 1] == '\r')
			line[--n] = '\0';
		bool dropped = false;
		for (size_t k = 0; k < nre && !dropped; k++)
			dropped = regexec(&re[k], line, 0, NULL, 0) == 0;
		if (!dropped)
			words_of(ws, line, n);
		free(line);
		off = nl ? end + 1 : len;
	}
	for (size_t k = 0; k < nre; k++)
		regfree(&re[k]);
	free(re);
	return rc;
}

/* Words equal? Reports the first difference. */
static bool same_words(const struct words *a, const struct words *b, const char *file,
		       const char *what)
{
	size_t i = 0;
	while (i < a->n && i < b->n && !strcmp(a->w[i], b->w[i]))
		i++;
	if (i == a->n && i == b->n)
		return true;
	printf("%s: %s: word %zu differs: source '%s', Markdown '%s' (%zu vs %zu words)\n", file, what,
	       i + 1, i < a->n ? a->w[i] : "(end)", i < b->n ? b->w[i] : "(end)", a->n, b->n);
	return false;
}

static bool round_trip(const struct words *src, const char *md, const char *file, const char *what)
{
	struct shape sh;
	struct words ws = { 0 };
	shape_of(md, &sh);
	words_of(&ws, sh.text.ptr, sh.text.size);
	bool ok = same_words(src, &ws, file, what);
	if (sh.html) {
		printf("%s: %s: %d raw HTML node(s): text became markup\n", file, what, sh.html);
		ok = false;
	}
	words_free(&ws);
	shape_free(&sh);
	return ok;
}

struct totals {
	struct score heads, items, quotes;
	int files, labelled, exact, trips, trip_failures, seeds, seed_failures;
};

static char *expected_path(const char *path)
{
	size_t n = strlen(path);
	if (n < 4 || strcmp(path + n - 4, ".txt"))
		return NULL;
	char *p = xstrdup(path);
	strcpy(p + n - 4, ".md");
	return p;
}

static void check_seed(const struct value *fm, const char *body, size_t len, const char *seeds,
		       const char *file, struct totals *t)
{
	const char *seed = value_get_str(fm, "seed", NULL);
	if (!seeds || !seed)
		return;
	char *path = fs_join(seeds, seed), *text = NULL;
	size_t n = 0;
	t->seeds++;
	if (fs_read_file(path, &text, &n) < 0) {
		printf("%s: seed %s cannot be read\n", file, path);
		t->seed_failures++;
	} else if (n != len || memcmp(text, body, n)) {
		printf("%s: text differs from its seed %s\n", file, path);
		t->seed_failures++;
	}
	free(text);
	free(path);
}

static void check_file(const char *path, const char *seeds, struct totals *t)
{
	char *src = NULL, *md = NULL, *want = NULL, *wpath = expected_path(path);
	size_t len = 0, wlen = 0, fm_end = 0, body = 0;
	int body_line = 1;
	struct diag d;
	struct value *fm = NULL;
	struct words sw = { 0 };
	diag_init(&d);
	t->files++;
	if (fs_read_file(path, &src, &len) < 0 || page_split(src, len, path, &fm_end, &body, &body_line, &d) < 0 ||
	    !(fm = page_front_matter(src, fm_end, path, &d)) ||
	    page_import_text(src, len, path, NULL, 0, &md, &d) < 0) {
		diag_print(&d, stdout);
		printf("%s: cannot be imported\n", path);
		t->trip_failures++;
		goto out;
	}
	check_seed(fm, src + body, len - body, seeds, path, t);
	if (source_words(src + body, len - body, value_table_get(fm, "drop"), path, &sw) < 0)
		t->trip_failures++;
	t->trips++;
	if (!round_trip(&sw, md, path, "importer output"))
		t->trip_failures++;
	if (wpath && fs_read_file(wpath, &want, &wlen) == 0) {
		struct shape got, exp;
		t->labelled++;
		if (!round_trip(&sw, want, wpath, "expected Markdown"))
			t->trip_failures++;
		t->exact += !strcmp(md, want);
		shape_of(md, &got);
		shape_of(want, &exp);
		score_add(&t->heads, &got.headings, &exp.headings, path, "heading", true);
		score_add(&t->items, &got.items, &exp.items, path, "list item", false);
		score_add(&t->quotes, &got.quotes, &exp.quotes, path, "quote", false);
		shape_free(&got);
		shape_free(&exp);
	}
out:
	words_free(&sw);
	value_free(fm);
	diag_free(&d);
	free(src);
	free(md);
	free(want);
	free(wpath);
}

static double ratio(size_t a, size_t b)
{
	return b ? (double)a / (double)b : 1.0;
}

static void print_score(const char *what, const struct score *s)
{
	printf("  %-11s precision %5.1f%% (%zu/%zu)  recall %5.1f%% (%zu/%zu)\n", what,
	       100 * ratio(s->tp, s->tp + s->fp), s->tp, s->tp + s->fp,
	       100 * ratio(s->tp, s->tp + s->fn), s->tp, s->tp + s->fn);
}

int main(int argc, char **argv)
{
	struct totals t = { 0 };
	const char *seeds = NULL;
	int i = 1;
	if (argc > 2 && !strcmp(argv[1], "--seeds")) {
		seeds = argv[2];
		i = 3;
	}
	for (; i < argc; i++)
		check_file(argv[i], seeds, &t);
	printf("import corpus: %d labelled scrapes, %d converted exactly as labelled\n", t.labelled,
	       t.exact);
	print_score("headings", &t.heads);
	print_score("list items", &t.items);
	print_score("quotes", &t.quotes);
	printf("round trip: %d passed, %d failed (%d articles, the expected Markdown of %d)\n",
	       t.trips + t.labelled - t.trip_failures, t.trip_failures, t.trips, t.labelled);
	if (seeds)
		printf("seeds: %d passed, %d failed\n", t.seeds - t.seed_failures, t.seed_failures);
	double p = ratio(t.heads.tp, t.heads.tp + t.heads.fp), r = ratio(t.heads.tp, t.heads.tp + t.heads.fn);
	if (p < MIN_SCORE || r < MIN_SCORE)
		printf("FAIL: heading precision and recall must stay at or above %.0f%%\n", 100 * MIN_SCORE);
	return t.trip_failures || t.seed_failures || p < MIN_SCORE || r < MIN_SCORE || t.files == 0;
}
