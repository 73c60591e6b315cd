/*
 * article: plain-text scrape -> Markdown. See article.h for the heuristics.
 *
 * Two steps, as cmark's blocks.c separates block structure from inline
 * text: the kept lines are first classified into a flat list of blocks
 * (paragraph, heading, quote paragraph, list item with its depth), each
 * holding its already-escaped text; then the blocks are written out with
 * their Markdown prefixes and separators, recording the line map.
 */
#include "article.h"

#include <regex.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "strbuf.h"
#include "xalloc.h"

/* A heading or lead-in is short: seed headings are 2-11 words. */
#define TITLE_MAX_BYTES 120
#define TITLE_MAX_WORDS 14
/* How far a quoted post may run before its closing quote is given up. */
#define QUOTE_MAX_LINES 40

struct article_rules {
	regex_t *re;
	size_t n, cap;
};

struct article_rules *article_rules_new(void)
{
	return xcalloc(1, sizeof(struct article_rules));
}

int article_rules_add(struct article_rules *r, const char *pattern,
		      const char *file, int line, int col, struct diag *d)
{
	regex_t re;
	int rc = regcomp(&re, pattern, REG_EXTENDED | REG_NOSUB);

	if (rc != 0) {
		size_t need = regerror(rc, &re, NULL, 0);
		char *msg = xmalloc(need);

		regerror(rc, &re, msg, need);
		diag_error(d, file, line, col, "invalid drop pattern '%s': %s",
			   pattern, msg);
		free(msg);
		return -1;
	}
	r->re = xgrow(r->re, &r->cap, r->n + 1, sizeof(*r->re));
	r->re[r->n++] = re;
	return 0;
}

size_t article_rules_count(const struct article_rules *r)
{
	return r ? r->n : 0;
}

void article_rules_free(struct article_rules *r)
{
	if (!r)
		return;
	for (size_t i = 0; i < r->n; i++)
		regfree(&r->re[i]);
	free(r->re);
	free(r);
}

/* ---- lines -------------------------------------------------------------- */

struct line {
	struct strview raw; /* as written, without '\n' (and a final '\r') */
	struct strview s;   /* trimmed of blanks */
	int no;		    /* 1-based */
};

enum block_kind { BLOCK_PARA, BLOCK_HEADING, BLOCK_QUOTE, BLOCK_ITEM };

struct block {
	enum block_kind kind;
	int depth;	 /* list items: 0 or 1 */
	bool quote_cont; /* a quote paragraph continuing the previous one */
	bool leadin;	 /* a list item opened by a bold lead-in */
	int line;
	struct strbuf md; /* escaped text, without the block prefix */
};

struct conv {
	struct line *lines; /* kept, non-blank */
	size_t n, cap;
	struct block *blocks;
	size_t nb, bcap;
	size_t dcap;	  /* capacity of res->dropped */
	long pending;	  /* lead-in item waiting for its text, or -1 */
	bool under_leadin; /* the list's last top-level item has a lead-in */
	struct article_result *res;
};

static bool in_set(const char *set, char ch)
{
	return ch != '\0' && strchr(set, ch) != NULL;
}

static bool is_blank(int c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f';
}

static struct strview sv_trim(struct strview v)
{
	while (v.n > 0 && is_blank((unsigned char)v.p[0])) {
		v.p++;
		v.n--;
	}
	while (v.n > 0 && is_blank((unsigned char)v.p[v.n - 1]))
		v.n--;
	return v;
}

static bool sv_ends_with(struct strview v, const char *suffix)
{
	size_t k = strlen(suffix);

	return v.n >= k && memcmp(v.p + v.n - k, suffix, k) == 0;
}

static bool sv_starts_with(struct strview v, const char *prefix)
{
	size_t k = strlen(prefix);

	return v.n >= k && memcmp(v.p, prefix, k) == 0;
}

/* True when a line matches a drop rule of any set. */
static bool line_dropped(struct strview raw,
			 const struct article_rules *const *rules,
			 size_t nrules, struct strbuf *tmp)
{
	sb_clear(tmp);
	sb_put(tmp, raw.p, raw.n);
	for (size_t i = 0; i < nrules; i++) {
		if (!rules[i])
			continue;
		for (size_t j = 0; j < rules[i]->n; j++)
			if (regexec(&rules[i]->re[j], tmp->ptr, 0, NULL, 0) == 0)
				return true;
	}
	return false;
}

static void drop_line(struct conv *c, const struct line *l)
{
	struct article_result *res = c->res;

	res->dropped = xgrow(res->dropped, &c->dcap, res->ndropped + 1,
			     sizeof(*res->dropped));
	res->dropped[res->ndropped].line = l->no;
	res->dropped[res->ndropped].text = xstrndup(l->raw.p, l->raw.n);
	res->ndropped++;
}

/* Splits the text into lines, keeping the non-blank ones that no rule
 * drops. */
static void lines_read(struct conv *c, const char *text, size_t len,
		       const struct article_rules *const *rules, size_t nrules)
{
	struct strbuf tmp = STRBUF_INIT;
	size_t off = 0;

	for (int no = 1; off < len; no++) {
		const char *nl = memchr(text + off, '\n', len - off);
		size_t end = nl ? (size_t)(nl - text) : len;
		struct line l = {.raw = {text + off, end - off}, .no = no};

		if (l.raw.n > 0 && l.raw.p[l.raw.n - 1] == '\r')
			l.raw.n--;
		l.s = sv_trim(l.raw);
		off = nl ? end + 1 : len;
		if (l.s.n == 0)
			continue;
		if (line_dropped(l.raw, rules, nrules, &tmp)) {
			drop_line(c, &l);
			continue;
		}
		c->lines = xgrow(c->lines, &c->cap, c->n + 1, sizeof(*c->lines));
		c->lines[c->n++] = l;
	}
	sb_free(&tmp);
}

/* ---- escaping ----------------------------------------------------------- */

/* "&name;" or "&#123;": cmark would turn it into a character. */
static bool entity_like(const char *p, size_t n)
{
	size_t i = 1;

	if (i < n && p[i] == '#')
		i++;
	while (i < n && ((p[i] >= 'a' && p[i] <= 'z') ||
			 (p[i] >= 'A' && p[i] <= 'Z') ||
			 (p[i] >= '0' && p[i] <= '9')))
		i++;
	return i > 1 && i < n && p[i] == ';';
}

/* What only matters at the start of a block's text: ATX headings, block
 * quotes, bullets and ordered-list markers ("1." / "1)"). */
static size_t md_escape_start(struct strbuf *sb, const char *p, size_t n)
{
	size_t i = 0;

	if (n == 0)
		return 0;
	if (in_set("#>+-=", p[0])) {
		sb_putc(sb, '\\');
		return 0;
	}
	while (i < n && p[i] >= '0' && p[i] <= '9')
		i++;
	if (i > 0 && i < n && (p[i] == '.' || p[i] == ')')) {
		sb_put(sb, p, i);
		sb_putc(sb, '\\');
		return i;
	}
	return 0;
}

/* Appends text so that cmark-gfm (with the GFM extensions) reads it back
 * as the same characters: emphasis, code, links, footnotes, task boxes,
 * raw HTML/autolinks, tables, strikethrough and entities are disarmed;
 * `at_start` also disarms block markers; `heading` every '#' (a trailing
 * "#" run would be taken as a closing sequence). */
static void md_escape(struct strbuf *sb, struct strview v, bool at_start,
		      bool heading)
{
	size_t i = at_start ? md_escape_start(sb, v.p, v.n) : 0;

	for (; i < v.n; i++) {
		char ch = v.p[i];

		if (in_set("\\*_[]<`|~", ch))
			sb_putc(sb, '\\');
		else if (ch == '&' && entity_like(v.p + i, v.n - i))
			sb_putc(sb, '\\');
		else if (ch == '#' && heading)
			sb_putc(sb, '\\');
		sb_putc(sb, ch);
	}
}

/* ---- classification ----------------------------------------------------- */

/* Words a title may leave in lower case (English title case). */
static bool minor_word(const char *p, size_t n)
{
	static const char *const minor[] = {
		"a",  "an",  "the", "and",  "but",  "or",	"nor",	"for",
		"so", "yet", "as",  "at",   "by",   "in",	"of",	"on",
		"to", "up",  "via", "vs.",  "per",  "off",	"out",	"with",
		"from", "into", "over", "upon", "onto", "than", "amid", NULL,
	};

	for (size_t i = 0; minor[i]; i++)
		if (strlen(minor[i]) == n && memcmp(minor[i], p, n) == 0)
			return true;
	return false;
}

/* Title-like: short, first word capitalised, every other word starting
 * with a lower-case letter a minor word ("Cost and Performance", "What’s
 * Next for DeepSeek and U.S. AI Companies?"). */
static bool title_like(struct strview v)
{
	size_t i = 0, words = 0;

	if (v.n == 0 || v.n > TITLE_MAX_BYTES || !(v.p[0] >= 'A' && v.p[0] <= 'Z'))
		return false;
	while (i < v.n) {
		size_t start = i;

		while (i < v.n && v.p[i] != ' ')
			i++;
		if (++words > TITLE_MAX_WORDS)
			return false;
		if (v.p[start] >= 'a' && v.p[start] <= 'z' &&
		    !minor_word(v.p + start, i - start))
			return false;
		while (i < v.n && v.p[i] == ' ')
			i++;
	}
	return true;
}

/* A heading's text: title-like and not ending like a sentence or an
 * introduction. A question may be a heading. */
static bool heading_text(struct strview v)
{
	return v.n > 0 && !in_set(".,;:-", v.p[v.n - 1]) &&
	       title_like(v);
}

/* A heading is followed by body text or a list, not by another heading
 * and not by the end of the article. */
static bool heading_at(const struct conv *c, size_t i)
{
	return heading_text(c->lines[i].s) && i + 1 < c->n &&
	       !heading_text(c->lines[i + 1].s);
}

/* The marker of a bullet line ("- " or "• "), 0 if it is none. */
static size_t bullet_marker(struct strview v)
{
	if (sv_starts_with(v, "- "))
		return 2;
	if (sv_starts_with(v, "\u2022 "))
		return 4;
	return 0;
}

static bool bullet_line(struct strview v)
{
	return bullet_marker(v) > 0;
}

/* A bullet's lead-in: "U.S. Markets Hit Hard:". */
static bool leadin_text(struct strview v)
{
	return v.n > 1 && v.p[v.n - 1] == ':' &&
	       title_like((struct strview){v.p, v.n - 1});
}

/* Text that may open a ran-together bullet: a capital, a digit or an
 * opening quote. */
static bool bullet_start(const char *p, size_t n)
{
	struct strview v = {p, n};

	return n > 0 && ((p[0] >= 'A' && p[0] <= 'Z') ||
			 (p[0] >= '0' && p[0] <= '9') || p[0] == '"' ||
			 sv_starts_with(v, "\u201c"));
}

/* Sentence-final punctuation (possibly followed by a closing quote or
 * parenthesis) just before byte `k` of `p`, blanks skipped. */
static bool sentence_end_before(const char *p, size_t k)
{
	while (k > 0 && p[k - 1] == ' ')
		k--;
	if (k == 0)
		return false;
	if (in_set(".!?:)\"", p[k - 1]))
		return true;
	return k >= 3 && (memcmp(p + k - 3, "\u201d", 3) == 0 ||
			  memcmp(p + k - 3, "\u2019", 3) == 0);
}

/* Finds a bullet a scrape ran into the text before it ("results. - Next",
 * "confidence.- The"): the offset of the '-' or v.n if none. */
static size_t bullet_split(struct strview v)
{
	for (size_t k = 1; k + 2 < v.n; k++) {
		if (v.p[k] == '-' && v.p[k + 1] == ' ' &&
		    sentence_end_before(v.p, k) &&
		    bullet_start(v.p + k + 2, v.n - k - 2))
			return k;
	}
	return v.n;
}

/* ---- blocks ------------------------------------------------------------- */

static struct block *block_add(struct conv *c, enum block_kind kind, int line)
{
	struct block *b;

	c->blocks = xgrow(c->blocks, &c->bcap, c->nb + 1, sizeof(*c->blocks));
	b = &c->blocks[c->nb++];
	*b = (struct block){.kind = kind, .line = line, .md = STRBUF_INIT};
	return b;
}

static void list_end(struct conv *c)
{
	c->pending = -1;
	c->under_leadin = false;
}

/* One bullet's text: a bold lead-in waiting for its text, or a plain item
 * (nested when it follows a lead-in item). */
static void list_item(struct conv *c, struct strview seg, int line)
{
	struct block *b = block_add(c, BLOCK_ITEM, line);

	if (leadin_text(seg)) {
		sb_puts(&b->md, "**");
		md_escape(&b->md, seg, false, false);
		sb_puts(&b->md, "**");
		b->leadin = true;
		c->pending = (long)(c->nb - 1);
		c->under_leadin = true;
		return;
	}
	b->depth = c->under_leadin ? 1 : 0;
	md_escape(&b->md, seg, true, false);
	c->pending = -1;
}

/* The text that completes a lead-in item. */
static void list_body(struct conv *c, struct strview seg)
{
	struct block *b = &c->blocks[c->pending];

	sb_putc(&b->md, ' ');
	md_escape(&b->md, seg, false, false);
	c->pending = -1;
}

/* A line of a list: `first_is_item` when it starts with a bullet, else it
 * is the text of the pending lead-in. Ran-together bullets split it. */
static void list_line(struct conv *c, struct strview v, int line,
		      bool first_is_item)
{
	bool first = true;

	while (v.n > 0) {
		size_t k = bullet_split(v);
		struct strview seg = sv_trim((struct strview){v.p, k});

		if (seg.n > 0) {
			if (first && !first_is_item)
				list_body(c, seg);
			else
				list_item(c, seg, line);
		}
		first = false;
		v = k < v.n ? sv_trim((struct strview){v.p + k + 1, v.n - k - 1})
			    : (struct strview){v.p + v.n, 0};
	}
}

static bool opens_quote(struct strview v)
{
	return sv_starts_with(v, "\u201c") || sv_starts_with(v, "\"");
}

/* Ends with a double quote (scrapes use either curly one, or a straight
 * one, to close), possibly followed by '.' or ','. */
static bool closes_quote(struct strview v)
{
	if (v.n > 0 && (v.p[v.n - 1] == '.' || v.p[v.n - 1] == ','))
		v.n--;
	return sv_ends_with(v, "\u201d") || sv_ends_with(v, "\u201c") ||
	       sv_ends_with(v, "\"");
}

/* Number of lines of a quoted post starting at line i, or 0: the previous
 * line is a paragraph ending in ':', line i opens a double quote, and a
 * line (i itself if it is longer than the quote mark) closes it before any
 * bullet. */
static size_t quote_span(const struct conv *c, size_t i)
{
	const struct block *prev = c->nb ? &c->blocks[c->nb - 1] : NULL;

	if (!prev || prev->kind != BLOCK_PARA || i == 0 ||
	    !sv_ends_with(c->lines[i - 1].s, ":") || !opens_quote(c->lines[i].s))
		return 0;
	for (size_t j = i; j < c->n && j - i < QUOTE_MAX_LINES; j++) {
		struct strview v = c->lines[j].s;

		if (j > i && bullet_line(v))
			return 0;
		if (closes_quote(v) && (j > i || v.n > 3))
			return j - i + 1;
	}
	return 0;
}

static void quote_add(struct conv *c, size_t i, size_t count)
{
	for (size_t j = i; j < i + count; j++) {
		struct block *b = block_add(c, BLOCK_QUOTE, c->lines[j].no);

		b->quote_cont = j > i;
		md_escape(&b->md, c->lines[j].s, true, false);
	}
}

static void text_add(struct conv *c, size_t i, bool heading)
{
	struct block *b = block_add(c, heading ? BLOCK_HEADING : BLOCK_PARA,
				    c->lines[i].no);

	md_escape(&b->md, c->lines[i].s, true, heading);
}

/* Classifies every kept line into blocks, in order. */
static void blocks_build(struct conv *c)
{
	size_t i = 0;

	while (i < c->n) {
		const struct line *l = &c->lines[i];
		size_t span;

		if (bullet_line(l->s)) {
			size_t m = bullet_marker(l->s);

			list_line(c, sv_trim((struct strview){l->s.p + m, l->s.n - m}),
				  l->no, true);
			i++;
		} else if (c->pending >= 0) {
			list_line(c, l->s, l->no, false);
			i++;
		} else {
			list_end(c);
			span = quote_span(c, i);
			if (span > 0)
				quote_add(c, i, span);
			else
				text_add(c, i, heading_at(c, i));
			i += span > 0 ? span : 1;
		}
	}
}

/* ---- output ------------------------------------------------------------- */

struct out {
	struct strbuf md;
	int *map;
	size_t n, cap;
};

static void out_line(struct out *o, const char *prefix, int depth,
		     const struct strbuf *text, int line)
{
	for (int k = 0; k < depth; k++)
		sb_puts(&o->md, "  ");
	sb_puts(&o->md, prefix);
	if (text)
		sb_put(&o->md, text->ptr, text->size);
	sb_putc(&o->md, '\n');
	o->map = xgrow(o->map, &o->cap, o->n + 1, sizeof(*o->map));
	o->map[o->n++] = line;
}

static const char *block_prefix(const struct block *b)
{
	switch (b->kind) {
	case BLOCK_HEADING:
		return "## ";
	case BLOCK_QUOTE:
		return "> ";
	case BLOCK_ITEM:
		return "- ";
	case BLOCK_PARA:
		break;
	}
	return "";
}

/* Blocks are separated by a blank line, except the items of one list
 * (tight) and the paragraphs of one quote (a '>' line). */
static void blocks_write(const struct conv *c, struct out *o)
{
	for (size_t k = 0; k < c->nb; k++) {
		const struct block *b = &c->blocks[k];

		if (k > 0 && b->quote_cont)
			out_line(o, ">", 0, NULL, c->blocks[k - 1].line);
		else if (k > 0 && !(b->kind == BLOCK_ITEM &&
				    c->blocks[k - 1].kind == BLOCK_ITEM))
			out_line(o, "", 0, NULL, c->blocks[k - 1].line);
		out_line(o, block_prefix(b), b->depth, &b->md, b->line);
	}
}

int article_convert(const char *text, size_t len,
		    const struct article_rules *const *rules, size_t nrules,
		    struct article_result *res)
{
	struct conv c = {.pending = -1, .res = res};
	struct out o = {.md = STRBUF_INIT};

	*res = (struct article_result){0};
	if (memchr(text, '\0', len) != NULL) {
		res->markdown = xstrdup("");
		return -1;
	}
	lines_read(&c, text, len, rules, nrules);
	blocks_build(&c);
	blocks_write(&c, &o);
	res->markdown = sb_detach(&o.md);
	res->line_map = o.map;
	res->nlines = o.n;
	for (size_t k = 0; k < c.nb; k++)
		sb_free(&c.blocks[k].md);
	free(c.blocks);
	free(c.lines);
	return 0;
}

void article_result_free(struct article_result *res)
{
	if (!res)
		return;
	for (size_t i = 0; i < res->ndropped; i++)
		free(res->dropped[i].text);
	free(res->dropped);
	free(res->line_map);
	free(res->markdown);
	*res = (struct article_result){0};
}
