/*
 * article: a plain-text article scrape -> Markdown.
 *
 * Owns the conversion of the body of a content/articles/<slug>.txt source
 * (the text after its +++ header, kept verbatim) into the Markdown the rest
 * of the generator parses, and the boilerplate rules that drop lines from
 * it. It does not read files, parse the header or know about pages; the
 * caller compiles the header's `drop` patterns (and site.toml's [import]
 * ones) into rule sets and passes them in.
 *
 * Invariants: the output is a pure function of the text and the rules (no
 * locale, no clock); every byte of kept text appears in the output, with
 * Markdown-special characters backslash-escaped so text never turns into
 * markup; nothing is added but block syntax (`## `, `> `, `- `, `**` around
 * a list item's lead-in). No boilerplate string is known to this module:
 * what is dropped is what the content's rules say (issue 3).
 *
 * The heuristics, each a static function in article.c:
 *   - one paragraph per non-blank line;
 *   - a heading (`## `) for a short, title-cased line that does not end
 *     like a sentence (no final . , ; : -) and is followed by body text;
 *   - list items for lines starting with "- " and for bullets a scrape ran
 *     together into one line ("...results. - Next:", "...confidence.- The");
 *     a title-like lead-in ending in ':' becomes bold and takes the text
 *     that follows it (same line or next line) into the same item; plain
 *     bullets after a lead-in item are nested under it;
 *   - one block quote for a quoted post: a line ending in ':' introduces
 *     lines starting with an opening double quote, up to the line ending in
 *     a double quote (each line a paragraph of the quote).
 */
#ifndef DOSSIER_ARTICLE_H
#define DOSSIER_ARTICLE_H

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

/* A line dropped as boilerplate (for `dossier import -v`). */
struct article_dropped {
	int line;   /* 1-based line of the text (not of the file) */
	char *text; /* the line as written, without its newline */
};

struct article_result {
	char *markdown;	 /* NUL-terminated; every line ends in '\n' */
	int *line_map;	 /* markdown line i (0-based) -> text line (1-based);
			    a blank or '>' separator line maps to the line
			    of the block before it */
	size_t nlines;
	struct article_dropped *dropped; /* in text order */
	size_t ndropped;
};

/* Converts `text` (the article body: lines separated by '\n', a trailing
 * '\r' ignored). A line matching any pattern of any of the `nrules` sets is
 * dropped (patterns see the line as written, without its newline). Returns
 * 0, or -1 (with *res emptied) when the text holds a NUL byte, which no
 * pattern or Markdown parser could see past. Free *res with
 * article_result_free() either way. */
int article_convert(const char *text, size_t len,
		    const struct article_rules *const *rules, size_t nrules,
		    struct article_result *res);
void article_result_free(struct article_result *res);

#endif
