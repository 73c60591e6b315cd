/*
 * json: values to JSON text and JSON text (RFC 8259) to values.
 *
 * Owns the JSON syntax only; the value tree is value.h's. json_write() always
 * produces valid JSON: strings are escaped (quote, backslash, control
 * characters, DEL), UTF-8 is passed through, and any byte that is not part
 * of valid UTF-8 becomes \ufffd. Floats are written in their shortest form
 * that reads back to the same double and always with a '.' or an exponent,
 * so json_parse(json_write(v)) gives back the same types; plain JSON has no
 * infinity or NaN, so those are written as null (tagged mode writes them as
 * toml-test does: "inf", "-inf", "nan"). Table keys keep their order.
 *
 * json_parse() reads one JSON text: objects become VALUE_TABLE (a repeated
 * name is an error), arrays VALUE_ARRAY, numbers without fraction or
 * exponent that fit in int64 VALUE_INT and all others VALUE_FLOAT. Strings
 * must be valid UTF-8; \u escapes must not leave a lone surrogate. Values
 * carry the line/col where they start, table entries the line/col of their
 * name. The first error is reported to `d` as file:line:col (1-based, byte
 * columns) and NULL is returned. Nesting deeper than JSON_MAX_DEPTH is an
 * error rather than a stack overflow. What valid UTF-8 is, is utf8.h's.
 */
#ifndef DOSSIER_JSON_H
#define DOSSIER_JSON_H

#include <stddef.h>

#include "diag.h"
#include "strbuf.h"
#include "value.h"

enum { JSON_PRETTY = 1,
       JSON_TOML_TAGGED = 2 };
enum { JSON_MAX_DEPTH = 512 };

/* Appends `v` as JSON to `sb`. JSON_PRETTY indents by two spaces, one member
 * or element a line. JSON_TOML_TAGGED writes every scalar in toml-test's
 * form {"type": "integer", "value": "42"} (types string, integer, float,
 * bool, datetime, datetime-local, date-local, time-local; null, which TOML
 * lacks, stays null). */
void json_write(struct strbuf *sb, const struct value *v, unsigned flags);
/* Appends bytes [s, s + n) as one JSON string, quoted and escaped as
 * json_write escapes (well-formed UTF-8 as it is, a bad byte as \ufffd). */
void json_write_string(struct strbuf *sb, const char *s, size_t n);

/* Parses `len` bytes of `src`; `file` names them in diagnostics. Returns an
 * owned tree, or NULL after reporting an error to `d`. */
struct value *json_parse(const char *src, size_t len, const char *file,
			 struct diag *d);

#endif
