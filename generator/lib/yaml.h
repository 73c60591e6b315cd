/*
 * yaml: YAML front matter -> value.
 *
 * Owns reading the YAML that front matter uses (the `---` headers of Hugo,
 * Jekyll and most Markdown editors) into the project's one value type, with
 * Debian's libyaml as the parser (its event API; no document tree).
 *
 *   mappings  -> tables (plain string keys, no duplicates)
 *   sequences -> arrays
 *   plain scalars resolved by the YAML 1.2 core schema: null (~, null, empty),
 *     bool (true/false), int (decimal, 0x, 0o), float (incl. .inf/.nan),
 *     dates and date-times -> date-time strings with the same subtypes and
 *     spelling as TOML's ("2025-01-27T10:00:00Z")
 *   quoted and block scalars, and !!str -> strings
 *
 * Anchors, aliases, merge keys and tags other than the core schema's are
 * errors: front matter does not need them, and aliases are YAML's classic
 * denial-of-service path ("billion laughs"). Nesting is limited to 64
 * levels. The top level must be a mapping (an empty header is an empty
 * table). Positions are 1-based; `line0` is the file line of the text's
 * first line, so diagnostics point into the file.
 */
#ifndef DOSSIER_YAML_H
#define DOSSIER_YAML_H

#include <stddef.h>

#include "diag.h"
#include "value.h"

/* Returns the table, or NULL after reporting every problem found. */
struct value *yaml_parse(const char *src, size_t len, const char *file, int line0,
			 struct diag *d);

#endif
