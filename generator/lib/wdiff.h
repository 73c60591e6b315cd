/*
 * wdiff: a word-level diff of two texts, like a wiki's diff of the Markdown
 * source (issue 5's revision pages), as data, and its HTML.
 *
 * Owns a struct wdiff's runs and their bytes (a copy: the two texts can be
 * freed once the diff is computed). The texts are compared line by line
 * first (Myers' O(ND) algorithm, linear space, with a cost cut-off so a
 * rewritten file stays fast), then each block of changed lines word by
 * word (tokens: runs of letters/digits/UTF-8, runs of blanks, a newline,
 * one punctuation byte), unless its two sides share less than half their
 * words: then it was rewritten and is one deletion and one insertion (what
 * both sides start and end with kept), in linear time. Unchanged stretches keep 3 lines of context
 * around each change; longer ones are a WDIFF_SKIP run (a count of lines,
 * no text). No run is empty; identical texts give no runs at all.
 *
 * wdiff_format_html() escapes everything with html_escape_text, so any
 * input gives well-formed HTML:
 *
 *     <p class="wdiff-skip">12 unchanged lines</p>
 *     <pre class="wdiff">context
 *     the <del>old</del><ins>new</ins> words
 *     context</pre>
 *
 * and for no runs `<p class="wdiff-same">No change to the text.</p>`.
 * Output depends only on the two texts.
 */
#ifndef DOSSIER_WDIFF_H
#define DOSSIER_WDIFF_H

#include <stddef.h>

#include "strbuf.h"

/* Lines of context kept on each side of a change. */
#define WDIFF_CONTEXT 3

enum wdiff_kind {
	WDIFF_SAME,
	WDIFF_DEL,
	WDIFF_INS,
	WDIFF_SKIP
};

struct wdiff_run {
	enum wdiff_kind kind;
	size_t off, len; /* the run's bytes: text + off, len of them (not SKIP) */
	long lines;      /* WDIFF_SKIP: the unchanged lines left out */
};

struct wdiff {
	struct wdiff_run *runs; /* in reading order; none when identical */
	size_t n, caprun;
	char *text; /* every run's bytes, one after another */
	size_t ntext, captext;
};

/* The diff from `a` (old) to `b` (new) into *w (overwritten; free it with
 * wdiff_free). */
void wdiff_compute(struct wdiff *w, const char *a, size_t an, const char *b, size_t bn);
void wdiff_free(struct wdiff *w);
/* Appends the diff's HTML to `out`. */
void wdiff_format_html(struct strbuf *out, const struct wdiff *w);
/* wdiff_compute, wdiff_format_html, wdiff_free in one. */
void wdiff_html(struct strbuf *out, const char *a, size_t an, const char *b, size_t bn);

#endif
