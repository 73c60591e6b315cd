/*
 * wdiff: a word-level diff of two texts, as HTML, like a wiki's diff of the
 * Markdown source (issue 5's revision pages).
 *
 * Owns nothing between calls. The texts are compared line by line first
 * (Myers' O(ND) algorithm, linear space, with a cost cut-off so a rewritten
 * file stays fast), then each block of changed lines word by word (tokens:
 * runs of letters/digits/UTF-8, runs of blanks, a newline, one punctuation
 * byte). Unchanged stretches keep 3 lines of context around each change;
 * longer ones are collapsed into a note. Everything is escaped with
 * html_escape_text, so any input gives well-formed HTML:
 *
 *     <p class="wdiff-skip">12 unchanged lines</p>
 *     <pre class="wdiff">context
 *     the <del>old</del><ins>new</ins> words
 *     context</pre>
 *
 * Identical texts give `<p class="wdiff-same">No change to the text.</p>`.
 * Output depends only on the two texts.
 */
#ifndef DOSSIER_WDIFF_H
#define DOSSIER_WDIFF_H

#include <stddef.h>

#include "strbuf.h"

/* Lines of context kept on each side of a change. */
#define WDIFF_CONTEXT 3

/* Appends the diff from `a` (old) to `b` (new) to `out`. */
void wdiff_html(struct strbuf *out, const char *a, size_t an, const char *b, size_t bn);

#endif
