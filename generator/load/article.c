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
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "strbuf.h"
#include "utf8.h"
#include "xalloc.h"

/* A heading or lead-in is short: seed headings are 2-11 words. */
#define TITLE_MAX_BYTES 120
#define TITLE_MAX_WORDS 14
/* Sentence-case headings are shorter still ("What the numbers say"); a
 * longer unpunctuated phrase is more likely a photo caption. */
#define SENTENCE_MAX_BYTES 90
#define SENTENCE_MAX_WORDS 9
/* An unpunctuated line this long is prose, not a heading or label. */
#define PROSE_MIN_WORDS 13
/* How far a quoted post may run before its closing quote is given up. */
#define QUOTE_MAX_LINES 40
/* Nesting deeper than this stays at this depth. */
#define LIST_MAX_DEPTH 8
/* cmark reads at most 9 digits as a list number. */
#define LIST_MAX_DIGITS 9

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
	int no;             /* 1-based */
	int indent;         /* columns of leading blanks (tab stops of 4) */
};

enum block_kind {
	BLOCK_PARA,
	BLOCK_HEADING,
	BLOCK_QUOTE,
	BLOCK_ITEM
};

struct block {
	enum block_kind kind;
	int depth;       /* list items: 0 .. LIST_MAX_DEPTH */
	bool quote_cont; /* a quote paragraph continuing the previous one */
	bool leadin;     /* a list item opened by a bold lead-in */
	char marker[16]; /* list items: "- ", "3. ", "4) " */
	int line;
	struct strbuf md; /* escaped text, without the block prefix */
};

/* One open level of the current list run. */
struct level {
	int indent; /* source indentation of its items */
	bool ordered;
	long number; /* the last item's number */
	char delim;  /* the last item's Markdown delimiter ('.' or ')') */
};

/* What became of a kept line, for the override check. */
enum line_fate {
	FATE_PARA,
	FATE_HEADING,
	FATE_QUOTE,
	FATE_ITEM
};

struct conv {
	struct line *lines; /* kept, non-blank */
	size_t n, cap;
	struct block *blocks;
	size_t nb, bcap;
	size_t dcap, ecap; /* capacities of res->dropped, res->decisions */
	long pending;      /* lead-in item waiting for its text, or -1 */
	bool under_leadin; /* the list's last top-level item has a lead-in */
	struct level lv[LIST_MAX_DEPTH + 1];
	int nlv;              /* open levels; 0: no list */
	signed char *force;   /* per kept line: +1 heading, -1 not, 0 */
	bool *heur;           /* per kept line: the heuristics made a heading */
	enum line_fate *fate; /* per kept line */
	bool seen_body;       /* prose, a list or a quote came before */
	const struct article_options *opt;
	struct article_result *res;
};

static bool in_set(const char *set, char ch)
{
	return ch != '\0' && strchr(set, ch) != NULL;
}

static bool is_blank(int c)
{
	return c == ' ' || c == '\t' || c == '\r';
}

static bool is_upper(int c)
{
	return c >= 'A' && c <= 'Z';
}

static bool is_lower(int c)
{
	return c >= 'a' && c <= 'z';
}

static bool is_digit(int c)
{
	return c >= '0' && c <= '9';
}

static bool is_alnum(int c)
{
	return is_upper(c) || is_lower(c) || is_digit(c);
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

/* ASCII case-insensitive prefix, ending at a word boundary unless the
 * prefix itself ends in a blank or punctuation. */
static bool sv_starts_word(struct strview v, const char *prefix)
{
	size_t k = strlen(prefix);

	if (v.n < k || strncasecmp(v.p, prefix, k) != 0)
		return false;
	return !is_alnum((unsigned char)prefix[k - 1]) || v.n == k ||
	       !is_alnum((unsigned char)v.p[k]);
}

/* ASCII case-insensitive substring. */
static bool sv_contains_ci(struct strview v, const char *needle)
{
	size_t k = strlen(needle);

	for (size_t i = 0; i + k <= v.n; i++)
		if (strncasecmp(v.p + i, needle, k) == 0)
			return true;
	return false;
}

static size_t word_count(struct strview v)
{
	size_t words = 0;

	for (size_t i = 0; i < v.n; i++)
		if (v.p[i] != ' ' && (i == 0 || v.p[i - 1] == ' '))
			words++;
	return words;
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

static void decide(struct conv *c, const struct line *l, const char *what,
		   const char *rule)
{
	struct article_result *res = c->res;

	res->decisions = xgrow(res->decisions, &c->ecap, res->ndecisions + 1,
			       sizeof(*res->decisions));
	res->decisions[res->ndecisions++] = (struct article_decision){
		.line = l->no, .what = what, .rule = rule, .text = l->s.p, .len = l->s.n
	};
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

/* Adds the dropped lines to the decisions, keeping text order (both lists
 * are in it already). */
static void decisions_merge_drops(struct conv *c)
{
	struct article_result *res = c->res;
	size_t n = res->ndecisions + res->ndropped, a = 0, b = 0;
	struct article_decision *all = xcalloc(n + 1, sizeof(*all));

	for (size_t k = 0; k < n; k++) {
		if (b < res->ndropped &&
		    (a == res->ndecisions || res->dropped[b].line < res->decisions[a].line)) {
			all[k] = (struct article_decision){
				.line = res->dropped[b].line,
				.what = "boilerplate",
				.rule = "matches a drop pattern",
				.text = res->dropped[b].text,
				.len = strlen(res->dropped[b].text)
			};
			b++;
		} else
			all[k] = res->decisions[a++];
	}
	free(res->decisions);
	res->decisions = all;
	res->ndecisions = n;
	c->ecap = n + 1;
}

static int indent_of(struct strview raw)
{
	int col = 0;

	for (size_t i = 0; i < raw.n && (raw.p[i] == ' ' || raw.p[i] == '\t'); i++)
		col = raw.p[i] == '\t' ? (col / 4 + 1) * 4 : col + 1;
	return col;
}

/* Splits the text into lines at '\n' (a '\r' before it belongs to the line
 * ending), keeping the non-blank ones that no rule drops. */
static void lines_read(struct conv *c, const char *text, size_t len)
{
	struct strbuf tmp = STRBUF_INIT;
	size_t off = 0;

	for (int no = 1; off < len; no++) {
		const char *nl = memchr(text + off, '\n', len - off);
		size_t end = nl ? (size_t)(nl - text) : len;
		struct line l = { .raw = { text + off, end - off }, .no = no };

		if (l.raw.n > 0 && l.raw.p[l.raw.n - 1] == '\r')
			l.raw.n--;
		l.s = sv_trim(l.raw);
		l.indent = indent_of(l.raw);
		off = nl ? end + 1 : len;
		if (l.s.n == 0)
			continue;
		if (line_dropped(l.raw, c->opt->rules, c->opt->nrules, &tmp)) {
			drop_line(c, &l);
			continue;
		}
		c->lines = xgrow(c->lines, &c->cap, c->n + 1, sizeof(*c->lines));
		c->lines[c->n++] = l;
	}
	sb_free(&tmp);
}

struct control_errors {
	struct article_result *res;
	size_t cap;
};

static void control_error(void *arg, int line, int col, unsigned char ch)
{
	struct control_errors *c = arg;
	struct strbuf msg = STRBUF_INIT;
	sb_printf(&msg, "control character U+%04X (%s) in article text; remove it (it would be lost or misread)", ch,
		  utf8_control_name(ch));
	c->res->errors = xgrow(c->res->errors, &c->cap, c->res->nerrors + 1, sizeof(*c->res->errors));
	c->res->errors[c->res->nerrors++] = (struct article_error){
		.line = line,
		.col = col,
		.message = sb_detach(&msg),
	};
}

/* Reports the first control byte of each line; true if there was one. */
static bool controls_check(const char *text, size_t len, struct article_result *res)
{
	struct control_errors c = { res, 0 };
	return utf8_line_controls(text, len, control_error, &c) > 0;
}

/* ---- escaping ----------------------------------------------------------- */

/* "&name;" or "&#123;": cmark would turn it into a character. */
static bool entity_like(const char *p, size_t n)
{
	size_t i = 1;

	if (i < n && p[i] == '#')
		i++;
	while (i < n && is_alnum((unsigned char)p[i]))
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
	while (i < n && is_digit((unsigned char)p[i]))
		i++;
	/* A marker needs a blank or the end after it: "1.5 million" is none. */
	if (i > 0 && i < n && (p[i] == '.' || p[i] == ')') &&
	    (i + 1 == n || is_blank((unsigned char)p[i + 1]))) {
		sb_put(sb, p, i);
		sb_putc(sb, '\\');
		return i;
	}
	return 0;
}

/* A character md_escape would put a backslash before (or rewrite). */
static bool needs_escape(const char *p, size_t n, size_t i)
{
	return in_set("\\*_[]<`|~\r", p[i]) ||
	       (p[i] == '&' && entity_like(p + i, n - i));
}

/* The scheme prefixes cmark-gfm's autolink extension reads as links. */
static size_t url_scheme(const char *p, size_t n)
{
	static const char *const schemes[] = { "https://", "http://", "ftp://",
					       "mailto:", "xmpp:", NULL };

	for (size_t k = 0; schemes[k]; k++) {
		size_t m = strlen(schemes[k]);

		if (n > m && strncasecmp(p, schemes[k], m) == 0)
			return m;
	}
	return 0;
}

/* Where the autolink extension ends a link that starts at p: the first
 * blank or '<', then trailing punctuation trimmed, an unbalanced ')' and a
 * final entity-like "&name;" given back (the rule of its autolink_delim). */
static size_t url_trim(const char *p, size_t end)
{
	while (end > 0) {
		char last = p[end - 1];

		if (in_set("?!.,:*_~'\"", last)) {
			end--;
		} else if (last == ';') {
			size_t k = end - 1;

			while (k > 0 && ((p[k - 1] >= 'a' && p[k - 1] <= 'z') ||
					 (p[k - 1] >= 'A' && p[k - 1] <= 'Z')))
				k--;
			end = k > 0 && k < end - 1 && p[k - 1] == '&' ? k - 1 : end - 1;
		} else if (last == ')') {
			size_t open = 0, close = 0;

			for (size_t k = 0; k < end; k++) {
				open += p[k] == '(';
				close += p[k] == ')';
			}
			if (close <= open)
				break;
			end--;
		} else {
			break;
		}
	}
	return end;
}

/* A URL starting at byte i of the text: 0, or the end of the span the
 * autolink extension scans (to a blank or '<'). *www: no scheme. */
static size_t url_at(const char *p, size_t n, size_t i, bool *www)
{
	size_t end = i;

	/* The extension takes the letters before "://" as the scheme, so a
	 * letter before it makes no link ("xhttp://"); a digit does not. */
	if (i > 0 && (is_upper((unsigned char)p[i - 1]) ||
		      is_lower((unsigned char)p[i - 1])))
		return 0;
	*www = n - i > 4 && strncasecmp(p + i, "www.", 4) == 0;
	if (!*www && !url_scheme(p + i, n - i))
		return 0;
	while (end < n && !is_blank((unsigned char)p[end]) && p[end] != '<')
		end++;
	return end;
}

/* Writes a URL so that cmark-gfm reads back exactly its characters. With
 * nothing to escape and no '<' right after it, it is written as is (the
 * autolink extension takes it, or it stays plain text). Otherwise a
 * backslash inside or right after the span would be read as part of the
 * link (issue 11 finding 9), so a URL with a scheme becomes a <...>
 * autolink of the span the extension would have linked (inside which
 * nothing is escaped) and the rest is escaped as text; a www. URL is
 * disarmed instead (its first 'w' as "&#119;") and escaped as text.
 * Returns the number of bytes of p[i..] consumed. */
static size_t md_escape_url(struct strbuf *sb, const char *p, size_t n,
			    size_t i, size_t end, bool www)
{
	bool care = end < n && p[end] == '<';
	size_t link;

	for (size_t k = i; k < end && !care; k++)
		care = needs_escape(p, n, k);
	if (!care) {
		sb_put(sb, p + i, end - i);
		return end - i;
	}
	if (www) {
		sb_puts(sb, "&#119;");
		return 1;
	}
	link = i + url_trim(p + i, end - i);
	for (size_t k = i; k < link; k++)
		if (p[k] == '>' || p[k] == '\r')
			link = k;
	if (link <= i + url_scheme(p + i, n - i)) {
		/* Nothing left to link: "\:" keeps the extension from seeing
		 * the scheme's ':' at all. */
		size_t colon = i;

		while (p[colon] != ':')
			colon++;
		sb_put(sb, p + i, colon - i);
		sb_puts(sb, "\\:");
		return colon + 1 - i;
	}
	/* cmark decodes entities in an autolink: "&amp;" must stay as
	 * written, so its '&' is written "&amp;". */
	sb_putc(sb, '<');
	for (size_t k = i; k < link; k++) {
		if (p[k] == '&' && entity_like(p + k, link - k))
			sb_puts(sb, "&amp;");
		else
			sb_putc(sb, p[k]);
	}
	sb_putc(sb, '>');
	return link - i;
}

/* Appends text so that cmark-gfm (with the GFM extensions) reads it back
 * as the same characters: emphasis, code, links, footnotes, task boxes,
 * raw HTML/autolinks, tables, strikethrough and entities are disarmed;
 * `at_start` also disarms block markers; `heading` every '#' (a trailing
 * "#" run would be taken as a closing sequence). A lone CR is a space. */
static void md_escape(struct strbuf *sb, struct strview v, bool at_start,
		      bool heading)
{
	size_t i = at_start ? md_escape_start(sb, v.p, v.n) : 0;

	while (i < v.n) {
		char ch = v.p[i];
		bool www = false;
		size_t end = url_at(v.p, v.n, i, &www), used = 0;

		/* E-mail addresses need nothing: the extension links them in
		 * the text after escapes are read. */
		if (end > i && (used = md_escape_url(sb, v.p, v.n, i, end, www)) > 0) {
			i += used;
			continue;
		}
		if (ch == '\r') {
			sb_putc(sb, ' ');
			i++;
			continue;
		}
		if (needs_escape(v.p, v.n, i) || (ch == '#' && heading))
			sb_putc(sb, '\\');
		sb_putc(sb, ch);
		i++;
	}
}

/* ---- classification: headings ------------------------------------------- */

/* Words a title may leave in lower case (English title case). */
static bool minor_word(const char *p, size_t n)
{
	static const char *const minor[] = {
		"a", "an", "the", "and", "but", "or", "nor", "for",
		"so", "yet", "as", "at", "by", "in", "of", "on",
		"to", "up", "via", "vs.", "per", "off", "out", "with",
		"from", "into", "over", "upon", "onto", "than", "amid", NULL
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

	if (v.n == 0 || v.n > TITLE_MAX_BYTES || !is_upper((unsigned char)v.p[0]))
		return false;
	while (i < v.n) {
		size_t start = i;

		while (i < v.n && v.p[i] != ' ')
			i++;
		if (++words > TITLE_MAX_WORDS)
			return false;
		if (is_lower((unsigned char)v.p[start]) &&
		    !minor_word(v.p + start, i - start))
			return false;
		while (i < v.n && v.p[i] == ' ')
			i++;
	}
	return true;
}

/* Ends like a sentence or an introduction; a question may be a heading. */
static bool ends_like_sentence(struct strview v)
{
	return v.n == 0 || in_set(".,;:-!", v.p[v.n - 1]);
}

/* Ends with a closing quotation mark (a quotation, not a heading). */
static bool ends_with_quote(struct strview v)
{
	return sv_ends_with(v, "\u201d") || sv_ends_with(v, "\u2019") ||
	       sv_ends_with(v, "\"") || sv_ends_with(v, "'");
}

static bool opens_quote(struct strview v)
{
	return sv_starts_with(v, "\u201c") || sv_starts_with(v, "\"") ||
	       sv_starts_with(v, "\u2018");
}

/* A sentence break inside the line ("Shares fell. Then they rose"): a
 * lower-case word ending in . ! or ? before a blank. */
static bool inner_sentence_break(struct strview v)
{
	static const char *const abbrev[] = { "vs", "etc", "approx", "incl", "est",
					      "no", "ca", NULL };

	for (size_t i = 2; i + 1 < v.n; i++) {
		size_t w = i;
		bool known = false;

		if (!in_set(".!?", v.p[i]) || v.p[i + 1] != ' ' ||
		    !is_lower((unsigned char)v.p[i - 1]) ||
		    !is_lower((unsigned char)v.p[i - 2]))
			continue;
		while (w > 0 && is_lower((unsigned char)v.p[w - 1]))
			w--;
		for (size_t k = 0; v.p[i] == '.' && abbrev[k] && !known; k++)
			known = strlen(abbrev[k]) == i - w &&
				!memcmp(abbrev[k], v.p + w, i - w);
		if (!known)
			return true;
	}
	return false;
}

static size_t comma_count(struct strview v)
{
	size_t n = 0;

	for (size_t i = 0; i < v.n; i++)
		n += v.p[i] == ',';
	return n;
}

/* Sentence case: a short phrase starting with a capital or a digit, not a
 * quotation, at most one comma (a caption's apposition has two: "Liang,
 * the founder, in Beijing"), not two sentences ("What the numbers say", "5 things to know
 * about R1"). */
static bool sentence_like(struct strview v)
{
	size_t words = word_count(v);

	return v.n > 0 && v.n <= SENTENCE_MAX_BYTES && words >= 2 &&
	       words <= SENTENCE_MAX_WORDS &&
	       (is_upper((unsigned char)v.p[0]) || is_digit((unsigned char)v.p[0])) &&
	       comma_count(v) <= 1 && !ends_with_quote(v) &&
	       !inner_sentence_break(v);
}

static bool month_or_day(struct strview w)
{
	static const char *const names[] = {
		"jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep",
		"sept", "oct", "nov", "dec", "january", "february", "march",
		"april", "june", "july", "august", "september", "october",
		"november", "december", "mon", "tue", "tues", "wed", "thu",
		"thurs", "fri", "sat", "sun", "monday", "tuesday", "wednesday",
		"thursday", "friday", "saturday", "sunday", NULL
	};

	while (w.n > 0 && (w.p[w.n - 1] == '.' || w.p[w.n - 1] == ','))
		w.n--;
	for (size_t i = 0; names[i]; i++)
		if (strlen(names[i]) == w.n && strncasecmp(names[i], w.p, w.n) == 0)
			return true;
	return false;
}

/* A clock time: "10:42", "9:05". */
static bool has_clock(struct strview v)
{
	for (size_t i = 1; i + 2 < v.n; i++)
		if (v.p[i] == ':' && is_digit((unsigned char)v.p[i - 1]) &&
		    is_digit((unsigned char)v.p[i + 1]) &&
		    is_digit((unsigned char)v.p[i + 2]) &&
		    (i + 3 == v.n || !is_digit((unsigned char)v.p[i + 3])))
			return true;
	return false;
}

#define DATELINE_MAX_WORDS 8

/* A dateline or timestamp: "January 27, 2025", "Mon 27 Jan 2025 10.42
 * GMT", "10:42 a.m. ET", "27 Jan 2025", "3 hours ago", "5 min read". */
static bool dateline(struct strview v)
{
	struct strview first = { v.p, 0 };
	bool digit = false;

	while (first.n < v.n && v.p[first.n] != ' ')
		first.n++;
	for (size_t i = 0; i < v.n && !digit; i++)
		digit = is_digit((unsigned char)v.p[i]);
	/* A dateline is a few words; a dated entry ("July 2023: Liang
	 * founds DeepSeek as a lab ...") is prose. */
	if (!digit || word_count(v) > DATELINE_MAX_WORDS)
		return false;
	if (month_or_day(first) || has_clock(v))
		return true;
	if (sv_contains_ci(v, " ago") || sv_contains_ci(v, "min read") ||
	    sv_contains_ci(v, "a.m.") || sv_contains_ci(v, "p.m."))
		return true;
	if (is_digit((unsigned char)v.p[0])) {
		/* "27 Jan 2025": a day then a month name. */
		struct strview second = { v.p + first.n, v.n - first.n };

		second = sv_trim(second);
		for (size_t k = 0; k < second.n; k++)
			if (second.p[k] == ' ') {
				second.n = k;
				break;
			}
		return month_or_day(second);
	}
	return false;
}

/* An upper-case word of two letters or more and a colon, first. */
static bool speaker_label(struct strview v)
{
	size_t i = 0;

	while (i < v.n && (is_upper((unsigned char)v.p[i]) || v.p[i] == '-'))
		i++;
	return i >= 2 && i < v.n && v.p[i] == ':';
}

/* Body text that opens with a label: an interview's "Q:" / "A:", a
 * transcript's speaker. Never a heading, but not furniture either. */
static const char *label_rule(struct strview v)
{
	static const char *const qa[] = { "Q:", "A:", "Q.", "A.", "Question:", "Answer:", NULL };

	for (size_t i = 0; qa[i]; i++)
		if (sv_starts_word(v, qa[i]))
			return "Q&A label";
	return speaker_label(v) ? "speaker label" : NULL;
}

#define NEWSLETTER "newsletter box"
/* Datelines, credits and sign-up lines are short. */
#define FURNITURE_MAX_WORDS 20

/* Prefixes of page furniture, with the rule --explain names. */
static const struct {
	const char *prefix, *rule;
} furniture_prefixes[] = {
	{ "Photo", "photo or image credit" },
	{ "Photos", "photo or image credit" },
	{ "Photograph", "photo or image credit" },
	{ "Image", "photo or image credit" },
	{ "Illustration", "photo or image credit" },
	{ "Picture", "photo or image credit" },
	{ "Credit:", "photo or image credit" },
	{ "Credits:", "photo or image credit" },
	{ "Source:", "source credit" },
	{ "Sources:", "source credit" },
	{ "Chart:", "source credit" },
	{ "Graphic:", "source credit" },
	{ "Getty Images", "photo or image credit" },
	{ "Video:", "media label" },
	{ "Watch:", "media label" },
	{ "Listen:", "media label" },
	{ "Updated", "dateline" },
	{ "Published", "dateline" },
	{ "Posted", "dateline" },
	{ "Last updated", "dateline" },
	{ "First published", "dateline" },
	{ "Reporting by", "byline" },
	{ "Editing by", "byline" },
	{ "Written by", "byline" },
	{ "Additional reporting", "byline" },
	{ "Contributed by", "byline" },
	{ "Read more", "read-more link" },
	{ "Read also", "read-more link" },
	{ "Also read", "read-more link" },
	{ "Related:", "read-more link" },
	{ "Related coverage", "read-more link" },
	{ "Related articles", "read-more link" },
	{ "Related stories", "read-more link" },
	{ "See also", "read-more link" },
	{ "More from", "read-more link" },
	{ "Recommended", "read-more link" },
	{ "Most read", "read-more link" },
	{ "Advertisement", "page furniture" },
	{ "Sponsored", "page furniture" },
	{ "Sign up", NEWSLETTER },
	{ "Subscribe", NEWSLETTER },
	{ "Follow us", "page furniture" },
	{ "Share this", "page furniture" },
	{ "Copyright", "page furniture" },
	{ "\u00a9", "page furniture" },
	{ "All rights reserved", "page furniture" },
};

/* Lines of a page's furniture, never section headings: the rule that says
 * so, or NULL. */
static const char *furniture_rule(struct strview v)
{
	for (size_t i = 0; i < sizeof(furniture_prefixes) / sizeof(furniture_prefixes[0]); i++)
		if (sv_starts_word(v, furniture_prefixes[i].prefix))
			return furniture_prefixes[i].rule;
	/* "By Jane Doe", not "By the numbers". */
	if (sv_starts_word(v, "By ") && v.n > 3 && is_upper((unsigned char)v.p[3]))
		return "byline";
	/* The rest are shapes of short lines: a paragraph may mention a
	 * date, a newsletter or a web address. */
	if (word_count(v) > FURNITURE_MAX_WORDS)
		return NULL;
	if (dateline(v))
		return "dateline or timestamp";
	if (sv_contains_ci(v, " | ") || sv_contains_ci(v, " \u00b7 ") ||
	    sv_contains_ci(v, " \u2022 "))
		return "metadata line with separators";
	if (sv_contains_ci(v, "http://") || sv_contains_ci(v, "https://") ||
	    sv_contains_ci(v, "www.") || memchr(v.p, '@', v.n))
		return "link or address";
	if (sv_contains_ci(v, "newsletter") || sv_contains_ci(v, "subscribe") ||
	    sv_contains_ci(v, "sign up") || sv_contains_ci(v, "inbox"))
		return NEWSLETTER;
	return NULL;
}

/* ---- classification: list markers ---------------------------------------- */

struct marker {
	size_t len; /* bytes of marker and blanks after it; 0: none */
	bool ordered;
	long number;
	char delim; /* Markdown delimiter for an ordered item */
};

/* A bullet ("- ", "• ", "* ", "· ", "– ", "— ", "◦ ", "▪ ", "● ", "○ ", "■ ",
 * "► ", "▶ ", "➤ ") or an ordered
 * marker ("1. ", "1) ", "(1) ") at the start of a trimmed line, followed
 * by text. */
static struct marker marker_of(struct strview v)
{
	static const char *const bullets[] = {
		"-", "*", "\u2022", "\u00b7", "\u2013", "\u2014", "\u25e6",
		"\u25aa", "\u25cf", "\u25cb", "\u25a0", "\u25ba", "\u25b6", "\u27a4",
		NULL
	};
	struct marker m = { 0 };
	size_t k = 0, digits = 0;

	for (size_t i = 0; bullets[i] && !m.len; i++)
		if (sv_starts_with(v, bullets[i]))
			m.len = strlen(bullets[i]);
	if (!m.len) {
		k = v.n > 0 && v.p[0] == '(' ? 1 : 0;
		while (k + digits < v.n && is_digit((unsigned char)v.p[k + digits]))
			digits++;
		if (digits == 0 || digits > LIST_MAX_DIGITS || k + digits >= v.n)
			return (struct marker){ 0 };
		char d = v.p[k + digits];

		if (k ? d != ')' : (d != '.' && d != ')'))
			return (struct marker){ 0 };
		m = (struct marker){ .len = k + digits + 1, .ordered = true, .delim = k ? '.' : d };
		m.number = strtol(v.p + k, NULL, 10);
	}
	if (m.len >= v.n || !is_blank((unsigned char)v.p[m.len]))
		return (struct marker){ 0 };
	while (m.len < v.n && is_blank((unsigned char)v.p[m.len]))
		m.len++;
	if (m.len == v.n)
		return (struct marker){ 0 };
	return m;
}

static bool item_line(struct strview v)
{
	return marker_of(v).len > 0;
}

/* An attribution under a quotation: "— Yann LeCun", "– Jensen Huang, Nvidia". */
static bool attribution(struct strview v)
{
	return (sv_starts_with(v, "\u2014 ") || sv_starts_with(v, "\u2013 ") ||
		sv_starts_with(v, "-- ") || sv_starts_with(v, "\u2015 ")) &&
	       word_count(v) <= TITLE_MAX_WORDS + 1;
}

/* ---- classification: heading decisions ----------------------------------- */

/* Reads as prose: ends like a sentence, or is longer than a heading. */
static bool prose(struct strview v)
{
	return in_set(".!?:)\"", v.p[v.n - 1]) || ends_with_quote(v) ||
	       word_count(v) >= PROSE_MIN_WORDS || v.n > TITLE_MAX_BYTES;
}

/* A body line: text or a list, not furniture and not a heading-shaped
 * line; `strict` (after a sentence-case candidate) also wants it to read
 * as prose: ending like a sentence or longer than a heading can be. */
static bool body_line(const struct conv *c, size_t j, bool strict)
{
	struct strview v;

	if (j >= c->n)
		return false;
	v = c->lines[j].s;
	if (item_line(v) || opens_quote(v))
		return true;
	if (furniture_rule(v))
		return false;
	if (!ends_like_sentence(v) && title_like(v))
		return false;
	return !strict || prose(v);
}

/* The line before is a paragraph cut off mid-sentence (long, with no final
 * punctuation), so this line is its end, not a heading. */
static bool continues_previous(const struct conv *c, size_t i)
{
	struct strview prev;

	if (i == 0 || c->nb == 0 || c->blocks[c->nb - 1].kind != BLOCK_PARA)
		return false;
	prev = c->lines[i - 1].s;
	if (in_set(".!?:;)\"", prev.p[prev.n - 1]) || ends_with_quote(prev) ||
	    sv_ends_with(prev, "\u2026"))
		return false;
	return word_count(prev) > TITLE_MAX_WORDS || prev.n > TITLE_MAX_BYTES;
}

/* Whether kept line i is a heading by the heuristics; *rule says why, or
 * why a heading-shaped line is not one (NULL: not heading-shaped). */
static bool heading_rule(const struct conv *c, size_t i, const char **rule)
{
	struct strview v = c->lines[i].s;
	bool title = title_like(v), sentence = !title && sentence_like(v);
	const char *furn;

	*rule = NULL;
	if (ends_like_sentence(v) || (!title && !sentence))
		return false;
	if ((furn = furniture_rule(v)) || (furn = label_rule(v))) {
		*rule = furn;
		return false;
	}
	if (i + 1 < c->n && (furn = furniture_rule(c->lines[i + 1].s)) &&
	    !strcmp(furn, NEWSLETTER)) {
		*rule = "title of a newsletter box";
		return false;
	}
	if (!body_line(c, i + 1, sentence)) {
		*rule = i + 1 >= c->n ? "last line of the text"
				      : "not followed by body text or a list";
		return false;
	}
	if (!c->seen_body) {
		*rule = "before any body text (a headline, kicker or box title)";
		return false;
	}
	if (title) {
		*rule = "title case, followed by body text";
		return true;
	}
	if (continues_previous(c, i)) {
		*rule = "end of the unfinished paragraph before it";
		return false;
	}
	*rule = "sentence case, followed by body text";
	return true;
}

/* ---- blocks: lists ------------------------------------------------------ */

/* A bullet's lead-in: "U.S. Markets Hit Hard:". */
static bool leadin_text(struct strview v)
{
	return v.n > 1 && v.p[v.n - 1] == ':' &&
	       title_like((struct strview){ v.p, v.n - 1 });
}

/* Text that may open a ran-together bullet: a capital, a digit or an
 * opening quote. */
static bool bullet_start(const char *p, size_t n)
{
	struct strview v = { p, n };

	return n > 0 && (is_upper((unsigned char)p[0]) ||
			 is_digit((unsigned char)p[0]) || p[0] == '"' ||
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

static struct block *block_add(struct conv *c, enum block_kind kind, int line)
{
	struct block *b;

	c->blocks = xgrow(c->blocks, &c->bcap, c->nb + 1, sizeof(*c->blocks));
	b = &c->blocks[c->nb++];
	*b = (struct block){ .kind = kind, .line = line, .md = STRBUF_INIT };
	return b;
}

static void list_end(struct conv *c)
{
	c->pending = -1;
	c->under_leadin = false;
	c->nlv = 0;
}

/* The depth of an item indented `indent` columns: deeper than the open
 * level's items nests one level, as deep as an open level returns to it. */
static int list_depth(struct conv *c, int indent)
{
	if (c->nlv == 0) {
		c->lv[0] = (struct level){ .indent = indent };
		c->nlv = 1;
		return 0;
	}
	if (indent > c->lv[c->nlv - 1].indent && c->nlv <= LIST_MAX_DEPTH) {
		c->lv[c->nlv] = (struct level){ .indent = indent };
		return c->nlv++;
	}
	while (c->nlv > 1 && indent < c->lv[c->nlv - 1].indent &&
	       indent <= c->lv[c->nlv - 2].indent)
		c->nlv--;
	return c->nlv - 1;
}

/* The Markdown marker of an item at level `lv`, continuing its list when
 * the numbering does and starting a new one otherwise: cmark numbers a
 * list from its first item, so "1. 3." would show 1, 2. A new ordered
 * list right after one at the same level needs the other delimiter. */
static void item_marker(struct level *lv, bool fresh, const struct marker *m,
			char *out, size_t size)
{
	if (!m->ordered) {
		lv->ordered = false;
		snprintf(out, size, "- ");
		return;
	}
	char delim = m->delim;

	if (!fresh && lv->ordered && m->number != lv->number + 1 &&
	    delim == lv->delim)
		delim = delim == '.' ? ')' : '.';
	else if (!fresh && lv->ordered && m->number == lv->number + 1)
		delim = lv->delim;
	lv->ordered = true;
	lv->number = m->number;
	lv->delim = delim;
	snprintf(out, size, "%ld%c ", m->number, delim);
}

/* The depth an item finally takes. Plain bullets after a lead-in item are
 * its sub-points (a level of their own at the same indentation), and the
 * next lead-in item returns to the top. Levels deeper than it close. */
static int item_depth(struct conv *c, struct strview seg,
		      const struct marker *m, int depth)
{
	bool synthetic = c->nlv >= 2 && c->lv[1].indent == c->lv[0].indent;

	if (synthetic && depth == 1 && leadin_text(seg))
		depth = 0;
	else if (depth == 0 && c->under_leadin && !m->ordered &&
		 !leadin_text(seg)) {
		if (!synthetic)
			c->lv[1] = (struct level){ .indent = c->lv[0].indent };
		depth = 1;
	}
	c->nlv = depth + 1;
	return depth;
}

/* One item's text: a bold lead-in waiting for its text, or a plain item. */
static void list_item(struct conv *c, struct strview seg, int line,
		      const struct marker *m, int depth)
{
	struct block *b;
	bool fresh;

	depth = item_depth(c, seg, m, depth);
	fresh = c->nb == 0 || c->blocks[c->nb - 1].kind != BLOCK_ITEM ||
		c->blocks[c->nb - 1].depth < depth;
	b = block_add(c, BLOCK_ITEM, line);
	b->depth = depth;
	c->seen_body = true;
	item_marker(&c->lv[depth], fresh, m, b->marker, sizeof b->marker);
	if (leadin_text(seg)) {
		sb_puts(&b->md, "**");
		md_escape(&b->md, seg, false, false);
		sb_puts(&b->md, "**");
		b->leadin = true;
		c->pending = (long)(c->nb - 1);
		if (depth == 0)
			c->under_leadin = true;
		return;
	}
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

/* A line of a list: `m` is its marker, or NULL when the line is the text
 * of the pending lead-in. Bullets ran into the line split it; they are
 * siblings of the line's item (or top-level items after a lead-in's
 * text). */
static void list_line(struct conv *c, const struct line *l,
		      const struct marker *m)
{
	static const struct marker dash = { .len = 2 };
	struct strview v = l->s;
	bool first = true;
	int depth = 0;

	if (m) {
		v = sv_trim((struct strview){ v.p + m->len, v.n - m->len });
		depth = list_depth(c, l->indent);
		decide(c, l, m->ordered ? "ordered list item" : "list item",
		       depth ? "list marker, indented deeper than the item before"
			     : "line starts with a list marker");
	}
	while (v.n > 0) {
		size_t k = m && m->ordered ? v.n : bullet_split(v);
		struct strview seg = sv_trim((struct strview){ v.p, k });

		if (seg.n > 0 && first && !m) {
			list_body(c, seg);
		} else if (seg.n > 0) {
			if (!first)
				decide(c, l, "list item",
				       "bullet run into the text before it");
			list_item(c, seg, l->no, first ? m : &dash, depth);
		}
		first = false;
		v = k < v.n ? sv_trim((struct strview){ v.p + k + 1, v.n - k - 1 })
			    : (struct strview){ v.p + v.n, 0 };
	}
}

/* ---- blocks: quotes, paragraphs, headings -------------------------------- */

/* Ends with a double quote (scrapes use either curly one, or a straight
 * one, to close), possibly followed by '.' or ','. */
static bool closes_quote(struct strview v)
{
	if (v.n > 0 && (v.p[v.n - 1] == '.' || v.p[v.n - 1] == ','))
		v.n--;
	return sv_ends_with(v, "\u201d") || sv_ends_with(v, "\u201c") ||
	       sv_ends_with(v, "\"");
}

static bool double_quote_open(struct strview v)
{
	return sv_starts_with(v, "\u201c") || sv_starts_with(v, "\"");
}

/* Number of lines of a quoted post starting at line i, or 0: the previous
 * line is a paragraph ending in ':', line i opens a double quote, and a
 * line (i itself if it is longer than the quote mark) closes it before any
 * bullet. An attribution line after the closing one belongs to it. A pull
 * quote (line i one whole quotation) followed by an attribution is a
 * quote without an introduction. */
static size_t quote_span(const struct conv *c, size_t i, const char **rule)
{
	const struct block *prev = c->nb ? &c->blocks[c->nb - 1] : NULL;
	struct strview v = c->lines[i].s;

	if (!double_quote_open(v))
		return 0;
	if (closes_quote(v) && v.n > 3 && i + 1 < c->n &&
	    attribution(c->lines[i + 1].s)) {
		*rule = "pull quote with an attribution line";
		return 2;
	}
	if (!prev || prev->kind != BLOCK_PARA || i == 0 ||
	    !sv_ends_with(c->lines[i - 1].s, ":"))
		return 0;
	for (size_t j = i; j < c->n && j - i < QUOTE_MAX_LINES; j++) {
		struct strview w = c->lines[j].s;

		if (j > i && item_line(w) && !attribution(w))
			return 0;
		if (closes_quote(w) && (j > i || w.n > 3)) {
			*rule = "quotation introduced by a line ending in ':'";
			return j - i + 1 +
			       (j + 1 < c->n && attribution(c->lines[j + 1].s));
		}
	}
	return 0;
}

static void quote_add(struct conv *c, size_t i, size_t count, const char *rule)
{
	for (size_t j = i; j < i + count; j++) {
		struct block *b = block_add(c, BLOCK_QUOTE, c->lines[j].no);

		b->quote_cont = j > i;
		md_escape(&b->md, c->lines[j].s, true, false);
		c->fate[j] = FATE_QUOTE;
		c->seen_body = true;
		decide(c, &c->lines[j], "quote", rule);
	}
}

/* A text line: a heading or a paragraph, by the heuristics unless an
 * override says otherwise. */
static void text_add(struct conv *c, size_t i, bool other_kind)
{
	const char *rule = NULL;
	/* `other_kind`: without its override the line would be a list item
	 * or a quote, never a heading. */
	bool heading = !other_kind && heading_rule(c, i, &rule);
	struct block *b;

	c->heur[i] = heading;
	if (c->force[i] != 0 && heading != (c->force[i] > 0)) {
		heading = c->force[i] > 0;
		rule = heading ? "override: listed in the header's headings"
			       : "override: listed in the header's not_headings";
	}
	if (rule)
		decide(c, &c->lines[i], heading ? "heading" : "not a heading", rule);
	b = block_add(c, heading ? BLOCK_HEADING : BLOCK_PARA, c->lines[i].no);
	md_escape(&b->md, c->lines[i].s, true, heading);
	c->fate[i] = heading ? FATE_HEADING : FATE_PARA;
	if (!heading && prose(c->lines[i].s))
		c->seen_body = true;
}

/* A line opening with an em or en dash is a list item only in a run of
 * such lines: alone it is prose or a credit ("— With assistance from
 * ..."). */
static bool lone_dash(const struct conv *c, size_t i, const struct marker *m)
{
	struct strview v = c->lines[i].s;

	if (m->len == 0 || (!sv_starts_with(v, "\u2014") && !sv_starts_with(v, "\u2013")))
		return false;
	for (int d = -1; d <= 1; d += 2) {
		size_t j = i + (size_t)d;

		if ((d < 0 && i == 0) || j >= c->n)
			continue;
		if (c->lines[j].s.n >= 3 && !memcmp(c->lines[j].s.p, v.p, 3) &&
		    marker_of(c->lines[j].s).len > 0)
			return false;
	}
	return true;
}

/* Classifies every kept line into blocks, in order. */
static void blocks_build(struct conv *c)
{
	size_t i = 0;

	while (i < c->n) {
		const struct line *l = &c->lines[i];
		struct marker m = marker_of(l->s);
		const char *rule = NULL;
		size_t span = 0;

		if (m.len > 0 && lone_dash(c, i, &m))
			m.len = 0;
		if (m.len > 0 && c->force[i] <= 0) {
			list_line(c, l, &m);
			c->fate[i++] = FATE_ITEM;
		} else if (c->pending >= 0 && c->force[i] <= 0) {
			list_line(c, l, NULL);
			c->fate[i++] = FATE_ITEM;
		} else if ((span = quote_span(c, i, &rule)) > 0 && c->force[i] <= 0) {
			list_end(c);
			quote_add(c, i, span, rule);
			i += span;
		} else {
			bool other_kind = m.len > 0 || c->pending >= 0 || span > 0;

			list_end(c);
			text_add(c, i++, other_kind);
		}
	}
}

/* ---- overrides ----------------------------------------------------------- */

/* The kept line numbered `no` (lines are in order), or -1. */
static long line_index(const struct conv *c, int no)
{
	size_t lo = 0, hi = c->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (c->lines[mid].no < no)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < c->n && c->lines[lo].no == no ? (long)lo : -1;
}

static void stale_add(struct conv *c, bool heading, size_t index, size_t *cap,
		      const char *fmt, int no, const char *extra)
{
	struct article_result *res = c->res;
	struct strbuf msg = STRBUF_INIT;

	sb_printf(&msg, fmt, no + (c->opt->first_line ? c->opt->first_line - 1 : 0), extra);
	res->stale = xgrow(res->stale, cap, res->nstale + 1, sizeof(*res->stale));
	res->stale[res->nstale++] = (struct article_stale){
		.heading = heading, .index = index, .message = sb_detach(&msg)
	};
}

static void overrides_mark(struct conv *c)
{
	const struct article_options *o = c->opt;

	for (size_t k = 0; k < o->nheadings + o->nnot_headings; k++) {
		bool heading = k < o->nheadings;
		int no = heading ? o->headings[k] : o->not_headings[k - o->nheadings];
		long at = line_index(c, no);

		if (at >= 0)
			c->force[at] = heading ? 1 : -1;
	}
}

/* Each override that no longer matches the text: the line is blank,
 * dropped or past the end, became something a heading cannot be, or the
 * heuristics already decide it that way. */
static void overrides_check(struct conv *c, int nlines)
{
	const struct article_options *o = c->opt;
	static const char *const fates[] = { "a paragraph", "a heading", "part of a quote",
					     "a list item" };
	size_t cap = 0;

	for (size_t k = 0; k < o->nheadings + o->nnot_headings; k++) {
		bool heading = k < o->nheadings;
		size_t idx = heading ? k : k - o->nheadings;
		int no = heading ? o->headings[idx] : o->not_headings[idx];
		long at = line_index(c, no);

		if (at < 0)
			stale_add(c, heading, idx, &cap,
				  no < 1 || no > nlines
					  ? "line %d is not in the article text%s"
					  : "line %d of the article is blank or dropped%s",
				  no, "");
		else if (heading && c->fate[at] != FATE_HEADING)
			stale_add(c, heading, idx, &cap, "line %d is %s; it cannot be a heading",
				  no, fates[c->fate[at]]);
		else if (heading && c->heur[at])
			stale_add(c, heading, idx, &cap,
				  "line %d is a heading without the override%s", no, "");
		else if (!heading && !c->heur[at])
			stale_add(c, heading, idx, &cap,
				  "line %d is %s without the override", no,
				  fates[c->fate[at]]);
	}
}

/* ---- output ------------------------------------------------------------- */

struct out {
	struct strbuf md;
	int *map;
	size_t n, cap;
};

static void out_line(struct out *o, const char *prefix, size_t indent,
		     const struct strbuf *text, int line)
{
	for (size_t k = 0; k < indent; k++)
		sb_putc(&o->md, ' ');
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
		return b->marker;
	case BLOCK_PARA:
		break;
	}
	return "";
}

/* A nested ordered list starting at a number other than 1 cannot
 * interrupt its parent item's text (CommonMark), so it would be read as
 * more of that text: it needs a blank line (the parent list turns loose,
 * the numbers stay). */
static bool interrupts_item(const struct block *b, const struct block *prev)
{
	return b->kind == BLOCK_ITEM && prev->kind == BLOCK_ITEM &&
	       b->depth > prev->depth && is_digit((unsigned char)b->marker[0]) &&
	       strtol(b->marker, NULL, 10) != 1;
}

/* Blocks are separated by a blank line, except the items of one list run
 * (tight) and the paragraphs of one quote (a '>' line). A nested item is
 * indented to the text of its parent item, whatever the parent's marker
 * width ("- " 2 columns, "10. " 4). */
static void blocks_write(const struct conv *c, struct out *o)
{
	size_t width[LIST_MAX_DEPTH + 1] = { 0 };

	for (size_t k = 0; k < c->nb; k++) {
		const struct block *b = &c->blocks[k];
		size_t indent = 0;

		if (k > 0 && b->quote_cont)
			out_line(o, ">", 0, NULL, c->blocks[k - 1].line);
		else if (k > 0 && (!(b->kind == BLOCK_ITEM &&
				     c->blocks[k - 1].kind == BLOCK_ITEM) ||
				   interrupts_item(b, &c->blocks[k - 1])))
			out_line(o, "", 0, NULL, c->blocks[k - 1].line);
		if (b->kind == BLOCK_ITEM) {
			indent = b->depth > 0 ? width[b->depth - 1] : 0;
			width[b->depth] = indent + strlen(b->marker);
		}
		out_line(o, block_prefix(b), indent, &b->md, b->line);
	}
}

static int count_lines(const char *text, size_t len)
{
	int n = len > 0 && text[len - 1] != '\n';

	for (size_t i = 0; i < len; i++)
		n += text[i] == '\n';
	return n;
}

int article_convert_with(const char *text, size_t len,
			 const struct article_options *opt,
			 struct article_result *res)
{
	static const struct article_options none = { 0 };
	struct conv c = { .pending = -1, .opt = opt ? opt : &none, .res = res };
	struct out o = { .md = STRBUF_INIT };

	*res = (struct article_result){ 0 };
	if (controls_check(text, len, res)) {
		res->markdown = xstrdup("");
		return -1;
	}
	lines_read(&c, text, len);
	c.force = xcalloc(c.n + 1, sizeof(*c.force));
	c.heur = xcalloc(c.n + 1, sizeof(*c.heur));
	c.fate = xcalloc(c.n + 1, sizeof(*c.fate));
	overrides_mark(&c);
	blocks_build(&c);
	overrides_check(&c, count_lines(text, len));
	decisions_merge_drops(&c);
	blocks_write(&c, &o);
	res->markdown = sb_detach(&o.md);
	res->line_map = o.map;
	res->nlines = o.n;
	for (size_t k = 0; k < c.nb; k++)
		sb_free(&c.blocks[k].md);
	free(c.blocks);
	free(c.lines);
	free(c.force);
	free(c.heur);
	free(c.fate);
	return 0;
}

int article_convert(const char *text, size_t len,
		    const struct article_rules *const *rules, size_t nrules,
		    struct article_result *res)
{
	struct article_options opt = { .rules = rules, .nrules = nrules };

	return article_convert_with(text, len, &opt, res);
}

void article_result_free(struct article_result *res)
{
	if (!res)
		return;
	for (size_t i = 0; i < res->ndropped; i++)
		free(res->dropped[i].text);
	for (size_t i = 0; i < res->nerrors; i++)
		free(res->errors[i].message);
	for (size_t i = 0; i < res->nstale; i++)
		free(res->stale[i].message);
	free(res->dropped);
	free(res->decisions);
	free(res->errors);
	free(res->stale);
	free(res->line_map);
	free(res->markdown);
	*res = (struct article_result){ 0 };
}
