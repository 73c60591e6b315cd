#include "mdlimits.h"

#include <stdbool.h>
#include <stddef.h>
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
	/* Only the characters of a delimiter row (" \t\v\f|:-", as gfm.6
	 * reads them: "-\v" is a one-column delimiter row) with a '-', and
	 * not `dashes`: a line that can make the parser try a table here. */
	bool delimiter;
	/* Dashes, with spaces or tabs between and around them, at most 3
	 * columns in: a setext underline, a thematic break or a list item,
	 * which the parser takes before the table extension sees the line. */
	bool dashes;
};

/* The blanks a delimiter row may hold, as gfm.6's scanner reads them. */
static bool delimiter_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\v' || c == '\f';
}

/* Whether [p, e) holds only characters of `kind`: dashes and the
 * blanks around them (kind 0), or a delimiter row's (kind 1); at least
 * one dash either way. Stops at the first other character, which for
 * most lines is the first. */
static bool only(const char *p, const char *e, int kind)
{
	bool dash = false;
	for (; p < e; p++) {
		if (*p == '-')
			dash = true;
		else if (kind ? *p != '|' && *p != ':' && !delimiter_blank(*p) : *p != ' ' && *p != '\t')
			return false;
	}
	return dash;
}

/* Reads the line at s (before end): its ending as cmark's ("\n",
 * "\r\n" or "\r"), prefix, pipes and kind. memchr does the long scans. */
static struct line read_line(const char *s, const char *end)
{
	struct line l = { .s = s };
	const char *p = s;
	for (; p < end && (*p == '>' || *p == ' ' || *p == '\t'); p++)
		l.indent = *p == '>' ? 0 : l.indent + (*p == '\t' ? 4 : 1);
	l.c = p;
	const char *nl = memchr(p, '\n', (size_t)(end - p));
	if (!nl)
		nl = end;
	const char *cr = memchr(p, '\r', (size_t)(nl - p));
	l.e = cr ? cr : nl;
	for (const char *q = memchr(l.c, '|', (size_t)(l.e - l.c)); q;
	     q = memchr(q + 1, '|', (size_t)(l.e - q - 1))) {
		size_t slashes = 0; /* the run before it: runs never overlap */
		while (q - slashes > l.c && q[-1 - (ptrdiff_t)slashes] == '\\')
			slashes++;
		l.pipes++;
		l.unescaped += slashes % 2 == 0;
	}
	p = l.e;
	if (p < end && *p == '\r')
		p++;
	if (p < end && *p == '\n')
		p++;
	l.bytes = (size_t)(p - s);
	l.dashes = l.indent <= 3 && only(l.c, l.e, 0);
	l.delimiter = !l.dashes && only(l.c, l.e, 1);
	return l;
}

/* A delimiter row's columns: one more than its '|', less a leading and a
 * trailing one (it holds no escapes). */
static size_t delimiter_columns(const struct line *l)
{
	const char *a = l->c, *b = l->e;
	while (b > a && delimiter_blank(b[-1]))
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
	if (l->dashes)
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

/* The first line over a limit, in found[rule]; its message is made at
 * the end, with the body's figure. */
static void hit(struct mdlimits_hit *found, enum mdlimits_rule rule, int line, const struct line *l)
{
	if (found[rule].line)
		return;
	found[rule].rule = rule;
	found[rule].line = line;
	found[rule].col = (int)(l->c - l->s) + 1;
}

size_t mdlimits_check(const char *md, size_t len, struct mdlimits_hit out[MDLIMITS_RULES])
{
	const uint64_t filled_max = MDLIMITS_FILLED_BASE + (uint64_t)len;
	const uint64_t reread_max = MDLIMITS_REREAD_FACTOR * (uint64_t)len + MDLIMITS_REREAD_BASE;
	uint64_t filled = 0, reread = 0;
	size_t run = 0;           /* bytes of the paragraph the line is under */
	size_t columns = 0;       /* the table's, at most; 0: not in a table */
	struct line prev = { 0 }; /* the line above; prev.s is NULL after a blank */
	struct mdlimits_hit found[MDLIMITS_RULES] = { { 0 } };
	size_t wide = 0; /* the pipes of the first table line over the limit */
	bool wide_delimiter = false;
	const char *end = md + len;
	int lineno = 0;
	for (const char *s = md; s < end;) {
		struct line l = read_line(s, end);
		s += l.bytes;
		lineno++;
		if (l.c == l.e) { /* blank, or only '>': ends paragraphs and tables */
			run = 0;
			columns = 0;
			prev = (struct line){ 0 };
			continue;
		}
		const struct line *over = NULL; /* a table line with too many pipes */
		if (l.delimiter && prev.s) {
			/* The parser may read the paragraph above again, and the
			 * line above is a header row: a table can open here. */
			reread += run;
			if (reread > reread_max)
				hit(found, MDLIMITS_REREAD, lineno, &l);
			if (prev.pipes > MDLIMITS_ROW_PIPES)
				over = &prev;
			size_t c = delimiter_columns(&l);
			if (c > columns)
				columns = c;
		} else if (columns) {
			/* A body row: filled up to the table's columns. */
			size_t cells = l.unescaped >= 2 ? l.unescaped - 1 : 1;
			if (columns > cells)
				filled += columns - cells;
			if (filled > filled_max)
				hit(found, MDLIMITS_FILLED, lineno, &l);
		}
		if (!over && columns && l.pipes > MDLIMITS_ROW_PIPES)
			over = &l;
		if (over && !wide) {
			hit(found, MDLIMITS_PIPES, over == &prev ? lineno - 1 : lineno, over);
			wide = over->pipes;
			wide_delimiter = over->delimiter;
		}
		run = starts_block(&l) ? l.bytes : run + l.bytes;
		prev = l;
	}
	size_t n = 0;
	for (int r = 0; r < MDLIMITS_RULES; r++) {
		struct mdlimits_hit *h = &found[r];
		if (!h->line)
			continue;
		if (r == MDLIMITS_PIPES)
			snprintf(h->why, sizeof(h->why),
				 "a table %s of %zu '|' (at most %d): the Markdown parser's time grows "
				 "with the square of a row's cells",
				 wide_delimiter ? "delimiter row" : "row", wide, MDLIMITS_ROW_PIPES);
		else if (r == MDLIMITS_FILLED)
			snprintf(h->why, sizeof(h->why),
				 "table rows shorter than their table make the Markdown parser add "
				 "%llu empty cells (at most %llu: 65536 and one per byte of text; this "
				 "row passes it); give each row its cells, or end the table with a blank line",
				 (unsigned long long)filled, (unsigned long long)filled_max);
		else
			snprintf(h->why, sizeof(h->why),
				 "lines like '-|-' under a paragraph make the Markdown parser read it "
				 "again at each one, %llu bytes in all (at most %llu: 16 times the text "
				 "and 1 MiB); put a blank line before each table",
				 (unsigned long long)reread, (unsigned long long)reread_max);
		out[n++] = *h;
	}
	return n;
}
