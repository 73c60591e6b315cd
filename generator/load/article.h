/*
 * article: a plain-text article scrape -> Markdown.
 *
 * Owns the conversion of the body of a content/articles/<slug>.txt source
 * (the text after its +++ header, kept verbatim) into the Markdown the rest
 * of the generator parses, the boilerplate rules that drop lines from it,
 * and the record of why each line became what it became (`dossier import
 * --explain`). It does not read files, parse the header or know about
 * pages; the caller compiles the header's `drop` patterns (and site.toml's
 * [import] ones) into rule sets, passes the header's `headings` /
 * `not_headings` overrides as text line numbers, and turns the problems
 * reported here into diagnostics.
 *
 * Invariants: the output is a pure function of the text, the rules and the
 * overrides (no locale, no clock); every byte of kept text appears in the
 * output, with Markdown-special characters backslash-escaped so text never
 * turns into markup (a URL is written so that cmark-gfm's autolink reads
 * back exactly its characters: bare when it holds nothing to escape, else
 * as a <scheme:...> autolink, issue 11 finding 9); nothing is added but
 * block syntax (`## `, `> `, list markers and their indentation, `**`
 * around a list item's lead-in). No boilerplate string is known to this
 * module: what is dropped is what the content's rules say (issue 3); the
 * byline and dateline shapes below only keep such lines from becoming
 * headings.
 *
 * Line endings: "\n" and "\r\n" end a line. A lone "\r" inside a line is
 * blank space within that line (written as a space), never a line break,
 * so it cannot open a heading, quote, code block or table, nor shift the
 * pN numbering (issue 11 finding 11). NUL and the other control bytes
 * (U+0000-U+001F except tab, LF and CR, and U+007F) are errors.
 *
 * The heuristics, each a static function in article.c:
 *   - one paragraph per non-blank line;
 *   - a heading (`## `) for a short line that does not end like a sentence
 *     (no final . , ; : - !), is followed by body text or a list, and is
 *     either title-cased, or sentence-cased with body text before it and
 *     not the cut-off end of the paragraph before; never a byline ("By
 *     ..."), credit ("Photo: ...", "Image credit ..."), dateline or
 *     timestamp, "Read more"/"Related" link, Q&A label, a line with " | "
 *     separators, or the title of a newsletter box;
 *   - list items for lines starting with a bullet (- * • · – — ◦ ▪ ● ○ ■ ► ▶
 *     ➤ and a space; an em or en dash only in a run of such lines) and for bullets a scrape ran together into one line
 *     ("...results. - Next:"); ordered items for "1." "1)" "(1)", keeping
 *     their numbers (a list whose numbering jumps is split, so each item
 *     shows its own number); deeper indentation nests; a title-like
 *     lead-in ending in ':' becomes bold and takes the text that follows
 *     it (same line or next line) into the same item; plain bullets after
 *     a lead-in item are nested under it;
 *   - one block quote for a quoted post: a line ending in ':' introduces
 *     lines starting with an opening double quote, up to the line ending in
 *     a double quote (each line a paragraph of the quote); a pull quote (a
 *     line that is one quotation) followed by an attribution line ("— Name")
 *     becomes a quote too, the attribution included.
 */
#ifndef DOSSIER_ARTICLE_H
#define DOSSIER_ARTICLE_H

#include <stdbool.h>
#include <stddef.h>

#include "diag.h"

/* A set of compiled drop patterns (POSIX extended regexes). */
struct article_rules;

struct article_rules *article_rules_new(void);
/* Compiles `pattern` (REG_EXTENDED | REG_NOSUB). A bad pattern is reported
 * at file:line:col (the pattern's position in its TOML file) and -1 is
 * returned; the set is unchanged. */
int article_rules_add(struct article_rules *r, const char *pattern,
		      const char *file, int line, int col, struct diag *d);
size_t article_rules_count(const struct article_rules *r);
void article_rules_free(struct article_rules *r);

/* What the conversion takes besides the text. Line numbers are 1-based
 * lines of the text (not of the file); the caller maps the header's file
 * line numbers. Every member may be zero. */
struct article_options {
	const struct article_rules *const *rules; /* drop rule sets */
	size_t nrules;
	const int *headings; /* lines that must be headings */
	size_t nheadings;
	const int *not_headings; /* lines that must not be headings */
	size_t nnot_headings;
	int first_line; /* file line of the text's line 1, for messages (0: 1) */
};

/* A line dropped as boilerplate (for `dossier import -v`). */
struct article_dropped {
	int line;   /* 1-based line of the text (not of the file) */
	char *text; /* the line as written, without its newline */
};

/* One decision for `dossier import --explain`: what a line became, or why a
 * line shaped like a heading did not become one. */
struct article_decision {
	int line;         /* of the text */
	const char *what; /* "heading", "not a heading", "list item", "ordered
			     list item", "quote", "boilerplate" (static) */
	const char *rule; /* the rule that decided (static) */
	const char *text; /* the line, trimmed: borrowed from the text */
	size_t len;
};

/* A bad byte of the text (conversion fails). */
struct article_error {
	int line, col; /* of the text; col in bytes */
	char *message;
};

/* An override that no longer matches the text (conversion goes on). */
struct article_stale {
	bool heading;  /* from `headings` (else `not_headings`) */
	size_t index;  /* into that array */
	char *message; /* says why, naming the file line */
};

struct article_result {
	char *markdown; /* NUL-terminated; every line ends in '\n' */
	int *line_map;  /* markdown line i (0-based) -> text line (1-based);
			    a blank or '>' separator line maps to the line
			    of the block before it */
	size_t nlines;
	struct article_dropped *dropped; /* in text order */
	size_t ndropped;
	struct article_decision *decisions; /* in text order */
	size_t ndecisions;
	struct article_error *errors; /* in text order, one per line */
	size_t nerrors;
	struct article_stale *stale; /* headings first, then not_headings */
	size_t nstale;
};

/* Converts `text` (the article body, valid UTF-8, which the caller checks:
 * see "Line endings" above). Returns 0,
 * or -1 (with res->errors listing each line holding a NUL or other control
 * byte, and no Markdown) when the text cannot be converted faithfully.
 * Free *res with article_result_free() either way. */
int article_convert_with(const char *text, size_t len,
			 const struct article_options *opt,
			 struct article_result *res);
/* The same with drop rules only: a line matching any pattern of any of the
 * `nrules` sets is dropped (patterns see the line as written, without its
 * newline). */
int article_convert(const char *text, size_t len,
		    const struct article_rules *const *rules, size_t nrules,
		    struct article_result *res);
void article_result_free(struct article_result *res);

#endif
