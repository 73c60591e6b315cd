/*
 * snippet: a short excerpt of a paragraph around one span of it.
 *
 * Owns how an excerpt is cut: the whole sentence holding the span when it
 * is short enough, else the clauses around the span (cut after , ; : and
 * dashes), else words; never starting or ending inside a word, never
 * starting with punctuation, "… " / " …" where text was left out. The
 * result is HTML: the text escaped (html.h), white space runs as one space,
 * the span in <mark>.
 */
#ifndef DOSSIER_SNIPPET_H
#define DOSSIER_SNIPPET_H

#include <stddef.h>

/* Longest excerpt, in bytes of text, before clauses or words are cut. */
#define SNIPPET_MAX 240
/* How far from the span a sentence's start or end is looked for; a
 * sentence reaching further is cut there (it is over SNIPPET_MAX anyway),
 * so an excerpt costs O(SNIPPET_WINDOW), not the paragraph's length. */
#define SNIPPET_WINDOW (4 * SNIPPET_MAX)

/* The excerpt of text[0, len) around the span [a, b) (byte offsets,
 * a <= b <= len). Caller frees. */
char *snippet_html(const char *text, size_t len, size_t a, size_t b);

#endif
