#include "mdlimits.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

/* One line: [s, e) without its ending; [c, e) after the blanks and '>'
 * that may be container prefixes; `indent` the columns of blank before c
 * since the last '>' (a tab counts 4). */
struct line {
	const char *s, *c, *e;
	size_t bytes; /* with the line ending */
	int indent;
	size_t pipes, unescaped;
};

static void split(struct line *l)
{
	const char *p = l->s;
	int indent = 0;
	for (; p < l->e; p++) {
		if (*p == '>')
			indent = 0;
		else if (*p == ' ')
			indent++;
		else if (*p == '\t')
			indent += 4;
		else
			break;
	}
	l->c = p;
	l->indent = indent;
	l->pipes = l->unescaped = 0;
	size_t slashes = 0;
	for (p = l->s; p < l->e; p++) {
		if (*p == '|') {
			l->pipes++;
			if (slashes % 2 == 0)
				l->unescaped++;
		}
		slashes = *p == '\\' ? slashes + 1 : 0;
	}
}

/* Whether c is one of the characters of `set` (never NUL). */
static bool one_of(const char *set, char c)
{
	return c && strchr(set, c);
}

/* Dashes, with spaces or tabs between and around them, at most 3
 * columns in: a setext underline, a thematic break or a list item, which
 * the parser takes before the table extension sees the line. */
static bool dashes_only(const struct line *l)
{
	if (l->indent > 3)
		return false;
	for (const char *p = l->c; p < l->e; p++)
		if (*p != '-' && *p != ' ' && *p != '\t')
			return false;
	return true;
}

/* Only the characters of a delimiter row (" \t\v\f|:-", as gfm.6 reads
 * them: "-\v" is a one-column delimiter row) with a '-', and not
 * dashes_only: a line that can make the parser try a table here. */
static bool delimiter_like(const struct line *l)
{
	bool dash = false;
	for (const char *p = l->c; p < l->e; p++) {
		if (*p == '-')
			dash = true;
		else if (!one_of(" \t\v\f|:", *p))
			return false;
	}
	return dash && !dashes_only(l);
}

/* A delimiter row's columns: one more than its '|', less a leading and a
 * trailing one (it holds no escapes). */
static size_t delimiter_columns(const struct line *l)
{
	const char *a = l->c, *b = l->e;
	while (b > a && one_of(" \t\v\f", b[-1]))
		b--;
	size_t n = l->pipes + 1;
	if (a < b && *a == '|')
		n--;
	if (b - a > 1 && b[-1] == '|')
		n--;
	return n ? n : 1;
}

static bool blank_or_end(const char *p, const char *e)
{
	return p == e || *p == ' ' || *p == '\t';
}

static bool has_content(const char *p, const char *e)
{
	for (; p < e; p++)
		if (*p != ' ' && *p != '\t')
			return true;
	return false;
}

/* A line that ends the paragraph above it wherever it stands, and starts
 * a new one or none: a bullet item with content, an ordered item "1." or
 * "1)" with content (the only ordered item that may interrupt a
 * paragraph), an ATX heading, a code fence or a line of dashes, each at
 * most 3 columns in.
 * Nothing else may count as one: a line taken for a new paragraph that
 * goes on with the old one would hide its cost. */
static bool starts_block(const struct line *l)
{
	const char *p = l->c, *e = l->e;
	if (l->indent > 3 || p == e)
		return false;
	if (dashes_only(l))
		return true;
	if ((*p == '-' || *p == '+' || *p == '*') && p + 1 < e && blank_or_end(p + 1, e))
		return has_content(p + 1, e);
	if (*p == '1' && p + 2 < e && (p[1] == '.' || p[1] == ')') && blank_or_end(p + 2, e))
		return has_content(p + 2, e);
	if (*p == '#') {
		const char *q = p;
		while (q < e && *q == '#')
			q++;
		return q - p <= 6 && blank_or_end(q, e);
	}
	if (*p == '`' || *p == '~') {
		const char *q = p;
		while (q < e && *q == *p)
			q++;
		/* "``` `" opens no fence (a backtick fence's info string holds
		 * no backtick): the paragraph goes on through it. */
		return q - p >= 3 && (*p == '~' || !memchr(q, '`', (size_t)(e - q)));
	}
	return false;
}

/* The first line over `rule`'s limit; its message is made at the end,
 * with the whole body's figure (or this line's, for MDLIMITS_PIPES). */
static void hit(struct mdlimits_hit *out, size_t *n, bool *seen, enum mdlimits_rule rule,
		int line, const struct line *l, size_t pipes)
{
	if (seen[rule])
		return;
	seen[rule] = true;
	struct mdlimits_hit *h = &out[(*n)++];
	h->rule = rule;
	h->line = line;
	h->col = (int)(l->c - l->s) + 1;
	if (rule == MDLIMITS_PIPES)
		snprintf(h->why, sizeof(h->why),
			 "a table %s of %zu '|' (at most %d): the Markdown parser's time grows with "
			 "the square of a row's cells",
			 delimiter_like(l) ? "delimiter row" : "row", pipes, MDLIMITS_ROW_PIPES);
}

size_t mdlimits_check(const char *md, size_t len, struct mdlimits_hit out[MDLIMITS_RULES])
{
	const uint64_t filled_max = MDLIMITS_FILLED_BASE + (uint64_t)len;
	const uint64_t reread_max = MDLIMITS_REREAD_FACTOR * (uint64_t)len + MDLIMITS_REREAD_BASE;
	uint64_t filled = 0, reread = 0;
	size_t run = 0;           /* bytes of the paragraph the line is under */
	size_t columns = 0;       /* the table's, at most; 0: not in a table */
	struct line prev = { 0 }; /* the line above, when not blank */
	bool prev_text = false;
	size_t n = 0;
	bool seen[MDLIMITS_RULES] = { false };
	const char *end = md + len;
	int lineno = 0;
	for (const char *s = md; s < end;) {
		struct line l = { .s = s };
		const char *e = s;
		while (e < end && *e != '\n' && *e != '\r')
			e++;
		l.e = e;
		const char *next = e;
		if (next < end && *next == '\r')
			next++;
		if (next < end && *next == '\n')
			next++;
		l.bytes = (size_t)(next - s);
		s = next;
		lineno++;
		split(&l);
		if (l.c == l.e) { /* blank, or only '>': ends paragraphs and tables */
			run = 0;
			columns = 0;
			prev_text = false;
			continue;
		}
		if (delimiter_like(&l) && prev_text) {
			/* The parser may read the paragraph above again, and the
			 * line above is a header row: a table can open here. */
			reread += run;
			if (reread > reread_max)
				hit(out, &n, seen, MDLIMITS_REREAD, lineno, &l, 0);
			if (prev.pipes > MDLIMITS_ROW_PIPES)
				hit(out, &n, seen, MDLIMITS_PIPES, lineno - 1, &prev, prev.pipes);
			if (delimiter_columns(&l) > columns)
				columns = delimiter_columns(&l);
		} else if (columns) {
			/* A body row: filled up to the table's columns. */
			size_t cells = l.unescaped >= 2 ? l.unescaped - 1 : 1;
			if (columns > cells)
				filled += columns - cells;
			if (filled > filled_max)
				hit(out, &n, seen, MDLIMITS_FILLED, lineno, &l, 0);
		}
		if (columns && l.pipes > MDLIMITS_ROW_PIPES)
			hit(out, &n, seen, MDLIMITS_PIPES, lineno, &l, l.pipes);
		run = starts_block(&l) ? l.bytes : run + l.bytes;
		prev = l;
		prev_text = true;
	}
	for (size_t i = 0; i < n; i++) {
		struct mdlimits_hit *h = &out[i];
		if (h->rule == MDLIMITS_FILLED)
			snprintf(h->why, sizeof(h->why),
				 "table rows shorter than their table make the Markdown parser add "
				 "%llu empty cells (at most %llu: 65536 and one per byte of text; this "
				 "row passes it); give each row its cells, or end the table with a blank line",
				 (unsigned long long)filled, (unsigned long long)filled_max);
		else if (h->rule == MDLIMITS_REREAD)
			snprintf(h->why, sizeof(h->why),
				 "lines like '-|-' under a paragraph make the Markdown parser read it "
				 "again at each one, %llu bytes in all (at most %llu: 16 times the text "
				 "and 1 MiB); put a blank line before each table",
				 (unsigned long long)reread, (unsigned long long)reread_max);
	}
	/* In rule order, whatever order the lines found them in. */
	for (size_t i = 1; i < n; i++)
		for (size_t j = i; j > 0 && out[j].rule < out[j - 1].rule; j--) {
			struct mdlimits_hit t = out[j];
			out[j] = out[j - 1];
			out[j - 1] = t;
		}
	return n;
}
