#include "snippet.h"

#include <stdbool.h>
#include <string.h>
#include <strings.h>

#include "html.h"
#include "strbuf.h"
#include "utf8.h"

static bool is_space(unsigned char c)
{
	return c == ' ' || c == '\n' || c == '\t' || c == '\r';
}

/* Closing quotes and brackets that may follow a sentence's full stop:
 * ' " ) ] and the UTF-8 ’ (E2 80 99) and ” (E2 80 9D). Returns the length
 * of the one at s[i], or 0. */
static size_t closer_at(const char *s, size_t len, size_t i)
{
	unsigned char c = (unsigned char)s[i];
	if (c == '"' || c == '\'' || c == ')' || c == ']')
		return 1;
	if (c == 0xe2 && i + 2 < len && (unsigned char)s[i + 1] == 0x80 &&
	    ((unsigned char)s[i + 2] == 0x99 || (unsigned char)s[i + 2] == 0x9d))
		return 3;
	return 0;
}

/* Is the '.' at s[i] the end of an abbreviation: a single letter ("J.",
 * "U.S.", "e.g.") or a title ("Mr.", "Dr.", "vs.")? */
static bool abbreviation(const char *s, size_t i)
{
	static const char *const titles[] = { "mr", "mrs", "ms", "dr", "prof", "st", "vs", "approx" };
	size_t k = i;
	/* Seven letters are enough to tell (the longest title has six). */
	while (k > 0 && i - k < 7 &&
	       ((s[k - 1] >= 'a' && s[k - 1] <= 'z') || (s[k - 1] >= 'A' && s[k - 1] <= 'Z')))
		k--;
	size_t n = i - k;
	if (n == 1 && (k == 0 || s[k - 1] == '.' || is_space((unsigned char)s[k - 1]) || s[k - 1] == '(' ||
		       s[k - 1] == '"'))
		return true;
	for (size_t t = 0; t < sizeof(titles) / sizeof(*titles); t++)
		if (strlen(titles[t]) == n && !strncasecmp(s + k, titles[t], n) &&
		    (k == 0 || is_space((unsigned char)s[k - 1])))
			return true;
	return false;
}

/* Does a sentence end at s[i] (a . ! ?), i.e. is it followed (after
 * closers) by white space and then something that can start a sentence?
 * Returns the offset just past the closers, or 0. Initials ("U.S.", "J.
 * Smith", "e.g.") and titles ("Dr.") do not end sentences. */
static size_t sentence_end(const char *s, size_t len, size_t i)
{
	char c = s[i];
	if (c != '.' && c != '!' && c != '?')
		return 0;
	if (c == '.' && abbreviation(s, i))
		return 0;
	size_t j = i + 1, k;
	while (j < len && (k = closer_at(s, len, j)))
		j += k;
	if (j < len && !is_space((unsigned char)s[j]))
		return 0;
	size_t n = j;
	while (n < len && is_space((unsigned char)s[n]))
		n++;
	if (n < len && s[n] >= 'a' && s[n] <= 'z')
		return 0; /* "e.g. this", "approx. five" */
	return j;
}

/* A clause boundary at s[i]: ", " "; " ": " or a spaced dash " — " " – ".
 * Returns the offset where the next clause starts, or 0. */
static size_t clause_end(const char *s, size_t len, size_t i)
{
	char c = s[i];
	if ((c == ',' || c == ';' || c == ':') && i + 1 < len && is_space((unsigned char)s[i + 1]))
		return i + 1;
	if (c == ' ' && i + 4 < len && (unsigned char)s[i + 1] == 0xe2 && (unsigned char)s[i + 2] == 0x80 &&
	    ((unsigned char)s[i + 3] == 0x94 || (unsigned char)s[i + 3] == 0x93) && s[i + 4] == ' ')
		return i + 4;
	return 0;
}

/* Punctuation that must not open an excerpt. */
static size_t leading_punct(const char *s, size_t len, size_t i)
{
	unsigned char c = (unsigned char)s[i];
	if (strchr(",.;:!?)]}-", c) && c)
		return 1;
	if (c == 0xe2 && i + 2 < len && (unsigned char)s[i + 1] == 0x80) {
		unsigned char d = (unsigned char)s[i + 2];
		/* – — ’ ” … */
		if (d == 0x93 || d == 0x94 || d == 0x99 || d == 0x9d || d == 0xa6)
			return 3;
	}
	return 0;
}

static size_t skip_lead(const char *s, size_t len, size_t from, size_t limit)
{
	size_t k;
	for (;;) {
		while (from < limit && is_space((unsigned char)s[from]))
			from++;
		if (from < limit && (k = leading_punct(s, len, from)) && from + k <= limit)
			from += k;
		else
			return from;
	}
}

/* Escaped text with white space runs as one space. */
static void put_text(struct strbuf *sb, const char *s, size_t n)
{
	size_t i = 0;
	while (i < n) {
		size_t j = i;
		while (j < n && !is_space((unsigned char)s[j]))
			j++;
		html_escape_text(sb, s + i, j - i);
		if (j < n) {
			sb_putc(sb, ' ');
			while (j < n && is_space((unsigned char)s[j]))
				j++;
		}
		i = j;
	}
}

char *snippet_html(const char *text, size_t len, size_t a, size_t b)
{
	/* The sentence: after the last sentence end before a, up to and
	 * including the first one at or after b, looked for within
	 * SNIPPET_WINDOW bytes of the span (whole characters): where there is
	 * none, the sentence is cut at the window's edge, which is too far
	 * for the excerpt to reach. Unbounded, the search made a paragraph
	 * with n mentions cost n times its length. */
	size_t lo = a > SNIPPET_WINDOW ? a - SNIPPET_WINDOW : 0;
	size_t hi = len - b > SNIPPET_WINDOW ? b + SNIPPET_WINDOW : len;
	while (lo < a && utf8_is_cont((unsigned char)text[lo]))
		lo++;
	while (hi < len && utf8_is_cont((unsigned char)text[hi]))
		hi++;
	size_t from = lo, to = hi, k;
	for (size_t i = a; i-- > lo;)
		if ((k = sentence_end(text, hi, i))) {
			from = k;
			break;
		}
	for (size_t i = b > 0 ? b - 1 : 0; i < hi; i++)
		if ((k = sentence_end(text, hi, i))) {
			to = k;
			break;
		}
	if (to < b)
		to = b;
	size_t sent_from = skip_lead(text, len, from, a), sent_to = to;
	while (sent_to > b && is_space((unsigned char)text[sent_to - 1]))
		sent_to--;
	/* Too long: whole clauses around the span, widest that fits. */
	if (to - from > SNIPPET_MAX) {
		size_t cf = a, ct = b;
		while (cf > from && !clause_end(text, len, cf - 1))
			cf--;
		while (ct < to && !clause_end(text, len, ct))
			ct++;
		if (ct < to && text[ct] != ' ')
			ct++; /* keep the comma, drop the space */
		for (bool grew = true; grew;) {
			grew = false;
			if (cf > from) {
				size_t p = cf - 1;
				while (p > from && !clause_end(text, len, p - 1))
					p--;
				if (ct - p <= SNIPPET_MAX) {
					cf = p;
					grew = true;
				}
			}
			if (ct < to) {
				size_t q = ct + 1;
				while (q < to && !clause_end(text, len, q))
					q++;
				if (q < to && text[q] != ' ')
					q++;
				if (q - cf <= SNIPPET_MAX) {
					ct = q;
					grew = true;
				}
			}
		}
		from = cf;
		to = ct;
	}
	/* Still too long (one long clause): words around the span. */
	if (to - from > SNIPPET_MAX) {
		size_t room = SNIPPET_MAX > b - a ? (SNIPPET_MAX - (b - a)) / 2 : 0;
		size_t f = a > from + room ? a - room : from;
		size_t t = b + room < to ? b + room : to;
		while (f > from && utf8_is_cont((unsigned char)text[f]))
			f--;
		while (t < to && utf8_is_cont((unsigned char)text[t]))
			t++;
		if (f > from)
			while (f < a && !is_space((unsigned char)text[f - 1]))
				f++;
		if (t < to)
			while (t > b && !is_space((unsigned char)text[t]))
				t--;
		from = f;
		to = t;
	}
	from = skip_lead(text, len, from, a);
	while (to > b && is_space((unsigned char)text[to - 1]))
		to--;
	struct strbuf sb = STRBUF_INIT;
	if (from > sent_from)
		sb_puts(&sb, "… ");
	put_text(&sb, text + from, a - from);
	sb_puts(&sb, "<mark>");
	put_text(&sb, text + a, b - a);
	sb_puts(&sb, "</mark>");
	put_text(&sb, text + b, to - b);
	if (to < sent_to)
		sb_puts(&sb, " …");
	return sb_detach(&sb);
}
