/*
 * toml: TOML 1.0 text to a value tree.
 *
 * Owns the TOML syntax and its table rules; the tree is value.h's and the
 * diagnostics go to diag.h. It does not know what any key means (config and
 * front matter do that). Verified against toml-test's files-toml-1.0.0 list
 * (tests/conformance/toml-test.sh).
 *
 * toml_parse() returns the root table, or NULL when the text is not valid
 * TOML, after reporting every error it found as file:line:col (1-based,
 * columns in bytes). Errors that leave the parser in sync (a duplicate key,
 * a table defined twice, extending an inline table, a malformed number or
 * date) are reported and the item skipped, so one run lists them all; any
 * other syntax error ends the parse. Invalid UTF-8 anywhere is reported
 * (at its first bad byte) before parsing. A leading UTF-8 BOM is skipped
 * but still counts in the columns of line 1.
 *
 * The tree:
 * - Integers are VALUE_INT (int64; out of range is an error), floats
 *   VALUE_FLOAT (inf and nan included), booleans VALUE_BOOL.
 * - Strings are VALUE_STRING, escapes decoded; they may hold NUL (\u0000).
 *   A newline in a multi-line string is "\n" even when written as CRLF.
 * - Date-times are VALUE_STRING with subtype VALUE_STR_DATETIME,
 *   _DATETIME_LOCAL, _DATE_LOCAL or _TIME_LOCAL, holding the text as
 *   written except that the date/time separator is written 'T' and a 'z'
 *   offset 'Z' (so "1979-05-27 07:32:00z" is "1979-05-27T07:32:00Z"), which
 *   makes it RFC 3339. Fractional seconds are kept as written.
 * - Tables (the root, [headers], inline tables, dotted keys) are
 *   VALUE_TABLE in the order the keys were written; [[arrays]] are
 *   VALUE_ARRAY of tables.
 * - Every value carries the line/col where it starts: a scalar, array or
 *   inline table its first byte, a [table] or [[table]] element its '[',
 *   a table made by a dotted key or by a header's prefix (`a` in [a.b]) that
 *   key part, the root 1:1. Each table entry (struct value_kv) carries the
 *   line/col of its key (for a table defined by a header after it was
 *   implied by another, the defining header's key).
 * - `flags` is 0 on every value returned (the parser uses it for table
 *   state while parsing and clears it).
 */
#ifndef DOSSIER_TOML_H
#define DOSSIER_TOML_H

#include <stddef.h>

#include "diag.h"
#include "strbuf.h"
#include "value.h"

/* Deepest nesting of arrays and inline tables, and most parts in one key:
 * bounds recursion on hostile input (toml-test suggests 128 or 256). */
enum {
	TOML_MAX_DEPTH = 256
};

/* Parses `len` bytes of `src` (need not be NUL-terminated); `file` names
 * them in diagnostics. Returns an owned VALUE_TABLE or NULL. */
struct value *toml_parse(const char *src, size_t len, const char *file,
			 struct diag *d);

/* Appends `root` (a VALUE_TABLE) as a TOML document that toml_parse reads
 * back to an equal tree: scalars and inline arrays first, then [tables],
 * then [[arrays of tables]]; keys bare when they can be, strings escaped,
 * date-times as literals, floats exact (%.17g). NULL values, which TOML
 * lacks, are left out. */
void toml_write(struct strbuf *sb, const struct value *root);

#endif
