/*
 * config: site.toml, read and checked.
 *
 * Owns the schema of site.toml: which tables and keys exist, their types and
 * defaults; and struct config, the checked configuration, with its
 * destructor config_free(). Parses the file with the project's TOML parser,
 * fills a `struct config` (whose strings borrow from the parsed table it
 * keeps), and reports type errors and unknown keys (with the nearest known key) at the
 * key's file:line:col. Front-matter schemas per section live here too, so
 * one table describes every key the generator understands.
 *
 * Beyond types (issue 11): no string anywhere may hold a NUL character;
 * [params] keys are identifiers and their values scalars; base_url and
 * [repo] url are http(s) URLs. Each violation is an error at its position.
 */
#ifndef DOSSIER_CONFIG_H
#define DOSSIER_CONFIG_H

#include <stdbool.h>
#include <stddef.h>

#include "diag.h"
#include "page.h"
#include "value.h"

enum link_policy {
	LINK_FIRST,
	LINK_ALL,
	LINK_NONE
};

struct config {
	struct value *root; /* the whole site.toml table (owned) */
	const char *title, *description, *base_url, *language, *theme;
	int theme_line, theme_col; /* where `theme` is written, 0 for the default */
	const char *repo_url, *repo_branch;
	bool unsafe;
	enum link_policy entity_links;
	bool history_enabled, history_emails;
	int history_diffs;
	const struct value *params;      /* [params] table or NULL */
	const struct value *import_drop; /* [import] drop array or NULL */
	const struct value *history_ignore;
};

/* Reads `path` (shown as `shown` in messages). Returns 0, or -1 when the
 * file cannot be read or parsed; schema problems are reported and the
 * defaults used. */
int config_load(struct config *cfg, const char *path, const char *shown,
		struct diag *d);
void config_free(struct config *cfg);

/* True for a [params] key that may become a Sass variable name: a letter or
 * '_', then letters, digits, '-' and '_' (and no NUL: `len` is the key's
 * TOML length). config_load reports every other key at its position. */
bool config_param_key_ok(const char *key, size_t len);
/* True for an absolute http:// or https:// URL with a host and no spaces,
 * control characters, quotes or angle brackets: what base_url and
 * [repo] url must be. */
bool config_http_url_ok(const char *url);

/* Checks a page's front matter against the schema of its kind: unknown
 * keys (warning with a suggestion), wrong types and missing required keys
 * (errors). */
void config_check_front_matter(const struct value *fm, enum page_kind kind,
			       const char *file, struct diag *d);

#endif
