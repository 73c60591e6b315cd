/*
 * diag: collecting and printing diagnostics.
 *
 * Owns the list of messages of one run and the error/warning counts. Every
 * module reports bad input here instead of printing or exiting, so one run
 * lists every problem. Messages are printed sorted by file, line, column and
 * then arrival order, one per line, GNU style:
 *
 *     content/topics/cost-claims.md:14:7: error: link target 'x.md' not found
 *
 * Work done in threads (workq.h) reports into a diag of its own per task;
 * diag_merge then appends each task's messages in task order, so the
 * arrival order, and so the printed order, is the serial run's.
 *
 * Lines and columns are 1-based, columns count bytes; 0 means "unknown" and
 * is left out of the printed position. The file names are copied.
 *
 * Every printed item is exactly one line, whatever its file name and message
 * hold (issue 11): control characters are escaped (\n, \r, \t, other C0
 * bytes and DEL as \xHH); C1 controls (U+0080..U+009F), the line and
 * paragraph separators U+2028 and U+2029 and the bidirectional-text
 * controls (Unicode's Bidi_Control: U+061C, U+200E, U+200F, U+202A..U+202E,
 * U+2066..U+2069) as \uHHHH; and bytes that are not valid UTF-8 as \xHH.
 * So no input can print a line that reads as a diagnostic of its own, nor
 * reorder one.
 */
#ifndef DOSSIER_DIAG_H
#define DOSSIER_DIAG_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

struct strbuf;

enum diag_level {
	DIAG_NOTE,
	DIAG_WARNING,
	DIAG_ERROR
};

struct srcpos {
	const char *file;
	int line, col;
};

struct diag_item {
	enum diag_level level;
	char *file; /* may be NULL for messages about the run itself */
	int line, col;
	size_t seq;
	char *msg;
};

struct diag {
	struct diag_item *items;
	size_t n, cap;
	int errors, warnings;
	FILE *immediate; /* when set, each message is also printed on arrival */
};

void diag_init(struct diag *d);
void diag_free(struct diag *d);

/* Moves every message of `from` to the end of `into`, in arrival order,
 * with the counts; `from` is left empty (diag_init'ed). */
void diag_merge(struct diag *into, struct diag *from);

void diag_emit(struct diag *d, enum diag_level level, const char *file,
	       int line, int col, const char *fmt, ...)
	__attribute__((format(printf, 6, 7)));
void diag_vemit(struct diag *d, enum diag_level level, const char *file,
		int line, int col, const char *fmt, va_list ap);
void diag_error(struct diag *d, const char *file, int line, int col,
		const char *fmt, ...) __attribute__((format(printf, 5, 6)));
void diag_warning(struct diag *d, const char *file, int line, int col,
		  const char *fmt, ...) __attribute__((format(printf, 5, 6)));
void diag_note(struct diag *d, const char *file, int line, int col,
	       const char *fmt, ...) __attribute__((format(printf, 5, 6)));

/* Appends `s` to `sb` with the escaping described above. */
void diag_escape(struct strbuf *sb, const char *s);
/* Formats one item as it is printed, without the newline. */
void diag_format(const struct diag_item *it, char **out);
/* Sorts the items (file, line, col, arrival) and prints them to `f`,
 * coloured as GCC does when diag_use_colour(f). */
void diag_print(struct diag *d, FILE *f);
/* True when `f` is a terminal, NO_COLOR is unset or empty and TERM is not
 * "dumb" (https://no-color.org). */
bool diag_use_colour(FILE *f);
/* Line and column (1-based, bytes) of byte `off` in `src`. */
void diag_linecol(const char *src, size_t off, int *line, int *col);
/* Damerau-free Levenshtein distance, for "did you mean" suggestions. */
size_t diag_distance(const char *a, const char *b);
/* The same when it is at most `max`, else max + 1; stops at the first row
 * of the table past `max`. */
size_t diag_distance_max(const char *a, const char *b, size_t max);

enum {
	DIAG_SUGGEST_MAX_LEN = 64,     /* longer words and candidates: no suggestion */
	DIAG_SUGGEST_MAX_CANDS = 1000, /* candidates compared, in order, at most */
};
/* The candidate nearest to `word` within a distance that makes sense for
 * its length (strlen / 3 + 1), the first of the nearest, or NULL.
 * `cands` is NULL-terminated. Bounded work: names longer than
 * DIAG_SUGGEST_MAX_LEN are not compared, nor candidates whose length alone
 * puts them too far, and at most DIAG_SUGGEST_MAX_CANDS are. */
const char *diag_suggest(const char *word, const char *const *cands);

#endif
