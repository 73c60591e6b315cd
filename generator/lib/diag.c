#include "diag.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "strbuf.h"
#include "utf8.h" /* the project's one UTF-8 decoder */
#include "xalloc.h"

void diag_init(struct diag *d)
{
	memset(d, 0, sizeof(*d));
}

void diag_free(struct diag *d)
{
	for (size_t i = 0; i < d->n; i++) {
		free(d->items[i].file);
		free(d->items[i].msg);
	}
	free(d->items);
	memset(d, 0, sizeof(*d));
}

static const char *level_name(enum diag_level l)
{
	switch (l) {
	case DIAG_ERROR:
		return "error";
	case DIAG_WARNING:
		return "warning";
	case DIAG_NOTE:
		return "note";
	}
	return "note";
}

/* Printed as \uHHHH: the C1 controls (U+0085 NEL is a line break), the
 * line and paragraph separators U+2028 and U+2029 (some terminals and
 * editors break the line there) and Unicode's Bidi_Control characters,
 * which reorder what a terminal shows: U+061C, U+200E, U+200F,
 * U+202A..U+202E and U+2066..U+2069, the list GCC's -Wbidi-chars
 * reports. Other format characters (U+200B, U+FEFF) neither break a line
 * nor reorder one, and pass. */
static bool is_escaped_char(uint32_t cp)
{
	return (cp >= 0x80 && cp <= 0x9f) || cp == 0x061c || cp == 0x200e || cp == 0x200f ||
	       cp == 0x2028 || cp == 0x2029 || (cp >= 0x202a && cp <= 0x202e) ||
	       (cp >= 0x2066 && cp <= 0x2069);
}

void diag_escape(struct strbuf *sb, const char *s)
{
	size_t n = strlen(s);
	for (size_t i = 0; i < n;) {
		unsigned char c = (unsigned char)s[i];
		uint32_t cp = 0;
		size_t len = utf8_decode(s + i, n - i, &cp);
		if (c == '\n' || c == '\r' || c == '\t') {
			sb_putc(sb, '\\');
			sb_putc(sb, c == '\n' ? 'n' : (c == '\r' ? 'r' : 't'));
			i++;
		} else if (len == 0 || cp < 0x20 || cp == 0x7f) {
			sb_printf(sb, "\\x%02x", c);
			i++;
		} else if (is_escaped_char(cp)) {
			sb_printf(sb, "\\u%04x", (unsigned)cp);
			i += len;
		} else {
			sb_put(sb, s + i, len);
			i += len;
		}
	}
}

/* GCC's colours: the position bold, error red, warning magenta, note
 * cyan. The escapes are ours; user text is escaped, so it cannot add any. */
static const char *level_colour(enum diag_level level)
{
	return level == DIAG_ERROR ? "\033[1;31m" : (level == DIAG_WARNING ? "\033[1;35m" : "\033[1;36m");
}

static void format_item(const struct diag_item *it, struct strbuf *sb, bool colour)
{
	if (colour)
		sb_puts(sb, "\033[1m");
	if (it->file) {
		diag_escape(sb, it->file);
		if (it->line > 0) {
			sb_printf(sb, ":%d", it->line);
			if (it->col > 0)
				sb_printf(sb, ":%d", it->col);
		}
		sb_puts(sb, ": ");
	} else {
		sb_puts(sb, "dossier: ");
	}
	if (colour)
		sb_printf(sb, "\033[0m%s%s:\033[0m ", level_colour(it->level), level_name(it->level));
	else
		sb_printf(sb, "%s: ", level_name(it->level));
	diag_escape(sb, it->msg);
}

void diag_format(const struct diag_item *it, char **out)
{
	struct strbuf sb = STRBUF_INIT;
	format_item(it, &sb, false);
	*out = sb_detach(&sb);
}

bool diag_use_colour(FILE *f)
{
	const char *no = getenv("NO_COLOR"), *term = getenv("TERM");
	return isatty(fileno(f)) && !(no && *no) && !(term && !strcmp(term, "dumb"));
}

static void print_immediate(const struct diag *d, const struct diag_item *it)
{
	char *s;
	diag_format(it, &s);
	fprintf(d->immediate, "%s\n", s);
	free(s);
}

void diag_vemit(struct diag *d, enum diag_level level, const char *file,
		int line, int col, const char *fmt, va_list ap)
{
	struct strbuf sb = STRBUF_INIT;
	sb_vprintf(&sb, fmt, ap);
	d->items = xgrow(d->items, &d->cap, d->n + 1, sizeof(*d->items));
	struct diag_item *it = &d->items[d->n];
	it->level = level;
	it->file = file ? xstrdup(file) : NULL;
	it->line = line;
	it->col = col;
	it->seq = d->n++;
	it->msg = sb_detach(&sb);
	if (level == DIAG_ERROR)
		d->errors++;
	else if (level == DIAG_WARNING)
		d->warnings++;
	if (d->immediate)
		print_immediate(d, it);
}

void diag_merge(struct diag *into, struct diag *from)
{
	into->items = xgrow(into->items, &into->cap, into->n + from->n, sizeof(*into->items));
	for (size_t i = 0; i < from->n; i++) {
		struct diag_item *it = &into->items[into->n];
		*it = from->items[i];
		it->seq = into->n++;
		if (into->immediate)
			print_immediate(into, it);
	}
	into->errors += from->errors;
	into->warnings += from->warnings;
	free(from->items);
	diag_init(from);
}

void diag_emit(struct diag *d, enum diag_level level, const char *file,
	       int line, int col, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	diag_vemit(d, level, file, line, col, fmt, ap);
	va_end(ap);
}

#define DIAG_LEVEL_FN(name, level)                                     \
	void name(struct diag *d, const char *file, int line, int col, \
		  const char *fmt, ...)                                \
	{                                                              \
		va_list ap;                                            \
		va_start(ap, fmt);                                     \
		diag_vemit(d, level, file, line, col, fmt, ap);        \
		va_end(ap);                                            \
	}

DIAG_LEVEL_FN(diag_error, DIAG_ERROR)
DIAG_LEVEL_FN(diag_warning, DIAG_WARNING)
DIAG_LEVEL_FN(diag_note, DIAG_NOTE)

static int item_cmp(const void *a, const void *b)
{
	const struct diag_item *x = a, *y = b;
	/* Messages about the run itself (no file) come first. */
	if (!x->file != !y->file)
		return x->file ? 1 : -1;
	if (x->file) {
		int c = strcmp(x->file, y->file);
		if (c)
			return c;
	}
	if (x->line != y->line)
		return x->line < y->line ? -1 : 1;
	if (x->col != y->col)
		return x->col < y->col ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

void diag_print(struct diag *d, FILE *f)
{
	if (d->n)
		qsort(d->items, d->n, sizeof(*d->items), item_cmp);
	bool colour = diag_use_colour(f);
	struct strbuf sb = STRBUF_INIT;
	for (size_t i = 0; i < d->n; i++) {
		sb_clear(&sb);
		format_item(&d->items[i], &sb, colour);
		fprintf(f, "%s\n", sb.ptr);
	}
	sb_free(&sb);
}

void diag_linecol(const char *src, size_t off, int *line, int *col)
{
	int l = 1;
	size_t bol = 0;
	for (size_t i = 0; i < off && src[i]; i++) {
		if (src[i] == '\n') {
			l++;
			bol = i + 1;
		}
	}
	*line = l;
	*col = (int)(off - bol) + 1;
}

size_t diag_distance(const char *a, const char *b)
{
	return diag_distance_max(a, b, (size_t)-1 - 1);
}

/* Row by row; once a row's smallest cell is past `max`, so is the result
 * (cells never decrease down a column's diagonal). */
size_t diag_distance_max(const char *a, const char *b, size_t max)
{
	size_t n = strlen(a), m = strlen(b);
	if ((n > m ? n - m : m - n) > max)
		return max + 1;
	size_t *row = xmalloc((m + 1) * sizeof(*row));
	for (size_t j = 0; j <= m; j++)
		row[j] = j;
	for (size_t i = 1; i <= n; i++) {
		size_t diag = row[0];
		row[0] = i;
		size_t least = i;
		for (size_t j = 1; j <= m; j++) {
			size_t up = row[j];
			size_t best = diag + (a[i - 1] != b[j - 1]);
			if (up + 1 < best)
				best = up + 1;
			if (row[j - 1] + 1 < best)
				best = row[j - 1] + 1;
			row[j] = best;
			diag = up;
			if (best < least)
				least = best;
		}
		if (least > max) {
			free(row);
			return max + 1;
		}
	}
	size_t r = row[m];
	free(row);
	return r <= max ? r : max + 1;
}

const char *diag_suggest(const char *word, const char *const *cands)
{
	const char *best = NULL;
	size_t n = strlen(word);
	if (n > DIAG_SUGGEST_MAX_LEN)
		return NULL;
	size_t bestd = n / 3 + 1; /* the farthest a suggestion may be */
	size_t compared = 0;
	for (size_t i = 0; cands[i] && compared < DIAG_SUGGEST_MAX_CANDS; i++) {
		size_t m = strnlen(cands[i], DIAG_SUGGEST_MAX_LEN + 1);
		if (m > DIAG_SUGGEST_MAX_LEN || (n > m ? n - m : m - n) > bestd)
			continue;
		compared++;
		size_t dist = diag_distance_max(word, cands[i], bestd);
		if (dist < bestd || (dist == bestd && !best)) {
			bestd = dist;
			best = cands[i];
		}
	}
	return best;
}
