/*
 * mdlimits: the Markdown that the packaged parser would take more than
 * linear time or memory on, found before the parse.
 *
 * Owns the limits a body must keep so that cmark-gfm stays linear. Debian
 * 12's libcmark-gfm is 0.29.0.gfm.6, older than upstream's table fixes
 * (CVE-2023-37463, fixed in gfm.12 and gfm.13; upstream now also caps the
 * cells it fills in), and its table extension has three costs that grow
 * with the square of the input (measured with the cmark-gfm CLI and
 * `dossier build`):
 *
 *   - a row's cells: each row costs the square of its '|' count (10 rows
 *     of 20,000 '|', 200 kB: 9 s);
 *   - short rows: each is filled up to the delimiter row's column count
 *     ("x|" * N, "-|" * N, then N lines "x": 30 kB became 25 M cells,
 *     more than 5.8 GB before a 60 s timeout);
 *   - a delimiter-like line ("-|-") under a paragraph whose last line has
 *     a different cell count makes the parser read the whole paragraph
 *     again ("abcde\n-|-\n" * 20,000, 200 kB: 61 s).
 *
 * The scan is one pass over the lines and over-approximates each cost:
 * it never passes an input that costs more, and refuses only inputs no
 * document needs (at the limits below, a 1 MB body costs the parser at
 * most about 16 times its ordinary parse). It knows containers only as
 * far as needed: a line's leading blanks and '>' are skipped, and a new
 * paragraph starts at a blank line, a list item with content, an ATX
 * heading or a code fence (each of which ends a paragraph wherever it
 * stands).
 */
#ifndef DOSSIER_MDLIMITS_H
#define DOSSIER_MDLIMITS_H

#include <stddef.h>

/* At most this many '|' in a line of a table (its header, delimiter row
 * or a body row). */
#define MDLIMITS_ROW_PIPES 1000
/* Cells filled in for short rows, in all the body's tables: at most this
 * many plus the body's size in bytes. */
#define MDLIMITS_FILLED_BASE 65536
/* Bytes re-read for delimiter-like lines: at most this factor times the
 * body's size, plus MDLIMITS_REREAD_BASE. */
#define MDLIMITS_REREAD_FACTOR 16
#define MDLIMITS_REREAD_BASE (1024 * 1024)

enum mdlimits_rule { MDLIMITS_PIPES,
		     MDLIMITS_FILLED,
		     MDLIMITS_REREAD,
		     MDLIMITS_RULES };

/* The first line where a limit is passed: 1-based line and byte column
 * in the body, and the message. */
struct mdlimits_hit {
	enum mdlimits_rule rule;
	int line, col;
	char why[240];
};

/* Scans `md` (len bytes; lines end at "\n", "\r\n" or "\r", as cmark's
 * do) and fills `out` with at most one hit per rule, in rule order.
 * Returns the number of hits: 0 means the parse is linear. */
size_t mdlimits_check(const char *md, size_t len, struct mdlimits_hit out[MDLIMITS_RULES]);

#endif
