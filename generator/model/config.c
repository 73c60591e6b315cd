#include "config.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "fsutil.h"
#include "toml.h"
#include "utf8.h"
#include "xalloc.h"

/* One schema entry: a key, its type (VALUE_NULL = any), for tables the
 * schema of their keys, and its flags. */
enum {
	/* Missing: an error. */
	KEY_REQUIRED = 1,
	/* A string a page shows as text of its own (a title, a claim, a quoted
	 * wording): one without a visible character (utf8_has_visible) is an
	 * error, as it would print as nothing or match any paragraph. */
	KEY_TEXT = 2,
};
struct key_schema {
	const char *key;
	enum value_type type;
	const struct key_schema *sub; /* for tables; NULL = free-form */
	unsigned flags;
};

static const struct key_schema markdown_keys[] = {
	{ "unsafe", VALUE_BOOL, NULL, 0 },
	{ "footnotes", VALUE_BOOL, NULL, 0 },
	{ NULL, 0, NULL, 0 },
};
static const struct key_schema repo_keys[] = {
	{ "url", VALUE_STRING, NULL, 0 },
	{ "branch", VALUE_STRING, NULL, 0 },
	{ NULL, 0, NULL, 0 },
};
static const struct key_schema import_keys[] = {
	{ "drop", VALUE_ARRAY, NULL, 0 },
	{ NULL, 0, NULL, 0 },
};
static const struct key_schema entities_keys[] = {
	{ "link", VALUE_STRING, NULL, 0 },
	{ NULL, 0, NULL, 0 },
};
static const struct key_schema history_keys[] = {
	{ "enabled", VALUE_BOOL, NULL, 0 },
	{ "ignore", VALUE_ARRAY, NULL, 0 },
	{ "diffs", VALUE_INT, NULL, 0 },
	{ "emails", VALUE_BOOL, NULL, 0 },
	{ NULL, 0, NULL, 0 },
};
static const struct key_schema site_keys[] = {
	{ "title", VALUE_STRING, NULL, KEY_TEXT },
	{ "description", VALUE_STRING, NULL, 0 },
	{ "base_url", VALUE_STRING, NULL, 0 },
	{ "language", VALUE_STRING, NULL, 0 },
	{ "theme", VALUE_STRING, NULL, 0 },
	{ "markdown", VALUE_TABLE, markdown_keys, 0 },
	{ "params", VALUE_TABLE, NULL, 0 },
	{ "repo", VALUE_TABLE, repo_keys, 0 },
	{ "import", VALUE_TABLE, import_keys, 0 },
	{ "entities", VALUE_TABLE, entities_keys, 0 },
	{ "history", VALUE_TABLE, history_keys, 0 },
	{ NULL, 0, NULL, 0 },
};

/* Front matter. */
/* clang-format would indent the rows as a block. */
/* clang-format off */
#define COMMON_FM                                                   \
	{ "title", VALUE_STRING, NULL, KEY_REQUIRED | KEY_TEXT },                      \
	{ "description", VALUE_STRING, NULL, 0 },               \
	{ "date", VALUE_NULL, NULL, 0 },                        \
	{ "draft", VALUE_BOOL, NULL, 0 },                       \
	{ "weight", VALUE_INT, NULL, 0 },                       \
	{ "slug", VALUE_STRING, NULL, 0 },                      \
	{ "redirect_from", VALUE_ARRAY, NULL, 0 },              \
	{ "entities_exclude", VALUE_ARRAY, NULL, 0 }
/* clang-format on */

static const struct key_schema page_fm[] = {
	COMMON_FM,
	{ NULL, 0, NULL, 0 },
};
static const struct key_schema annotation_keys[] = {
	{ "quote", VALUE_STRING, NULL, KEY_REQUIRED },
	{ "prefix", VALUE_STRING, NULL, 0 },
	{ "suffix", VALUE_STRING, NULL, 0 },
	{ "note", VALUE_STRING, NULL, KEY_REQUIRED | KEY_TEXT },
	{ NULL, 0, NULL, 0 },
};
static const struct key_schema relation_keys[] = {
	{ "article", VALUE_STRING, NULL, KEY_REQUIRED },
	{ "kind", VALUE_STRING, NULL, KEY_REQUIRED },
	{ "evidence", VALUE_ARRAY, NULL, KEY_REQUIRED },
	{ NULL, 0, NULL, 0 },
};
static const struct key_schema article_fm[] = {
	COMMON_FM,
	{ "title_source", VALUE_STRING, NULL, 0 },
	{ "short", VALUE_STRING, NULL, KEY_TEXT },
	{ "publisher", VALUE_STRING, NULL, KEY_REQUIRED | KEY_TEXT },
	{ "published", VALUE_NULL, NULL, KEY_REQUIRED },
	{ "url", VALUE_STRING, NULL, KEY_REQUIRED | KEY_TEXT },
	{ "author", VALUE_STRING, NULL, 0 },
	{ "seed", VALUE_STRING, NULL, 0 },
	{ "drop", VALUE_ARRAY, NULL, 0 },
	{ "headings", VALUE_ARRAY, NULL, 0 },
	{ "not_headings", VALUE_ARRAY, NULL, 0 },
	{ "annotations", VALUE_ARRAY, annotation_keys, 0 },
	{ "relations", VALUE_ARRAY, relation_keys, 0 },
	{ NULL, 0, NULL, 0 },
};
static const struct key_schema entity_fm[] = {
	COMMON_FM,
	{ "kind", VALUE_STRING, NULL, KEY_REQUIRED },
	{ "aliases", VALUE_ARRAY, NULL, 0 },
	{ "wikidata", VALUE_STRING, NULL, 0 },
	{ "links", VALUE_ARRAY, NULL, 0 },
	{ "case_sensitive", VALUE_BOOL, NULL, 0 },
	{ "link", VALUE_BOOL, NULL, 0 },
	{ NULL, 0, NULL, 0 },
};
static const struct key_schema source_keys[] = {
	{ "cite", VALUE_STRING, NULL, KEY_REQUIRED },
	{ "wording", VALUE_STRING, NULL, KEY_REQUIRED | KEY_TEXT },
	{ "disagrees", VALUE_BOOL, NULL, 0 },
	{ NULL, 0, NULL, 0 },
};
static const struct key_schema claim_keys[] = {
	{ "id", VALUE_STRING, NULL, KEY_REQUIRED },
	{ "claim", VALUE_STRING, NULL, KEY_REQUIRED | KEY_TEXT },
	{ "status", VALUE_STRING, NULL, KEY_REQUIRED },
	{ "section", VALUE_STRING, NULL, 0 },
	{ "sources", VALUE_ARRAY, source_keys, KEY_REQUIRED },
	{ "contradicts", VALUE_ARRAY, NULL, 0 },
	{ NULL, 0, NULL, 0 },
};
static const struct key_schema topic_fm[] = {
	COMMON_FM,
	{ "claims", VALUE_ARRAY, claim_keys, 0 },
	{ NULL, 0, NULL, 0 },
};

static bool type_ok(const struct value *v, enum value_type want)
{
	if (want == VALUE_NULL)
		return true;
	if (want == VALUE_FLOAT)
		return v->type == VALUE_FLOAT || v->type == VALUE_INT;
	return v->type == want;
}

static void check_table(const struct value *t, const struct key_schema *schema,
			const char *file, const char *where, struct diag *d);
static void check_strings(const struct value *v, const char *key, const char *file,
			  int line, int col, bool controls, struct diag *d);

static void check_value(const struct value *v, const struct key_schema *k,
			const char *file, int line, int col, struct diag *d)
{
	if (!type_ok(v, k->type)) {
		const char *want = value_type_name(k->type);
		diag_error(d, file, line, col, "'%s' must be %s %s, not %s", k->key,
			   strchr("aeiou", want[0]) ? "an" : "a", want, value_type_name(v->type));
		return;
	}
	if ((k->flags & KEY_TEXT) && v->type == VALUE_STRING && !utf8_has_visible(v->u.s.p, v->u.s.n))
		diag_error(d, file, v->line > 0 ? v->line : line, v->line > 0 ? v->col : col,
			   "'%s' is empty or only white space%s", k->key,
			   !strcmp(k->key, "publisher") || !strcmp(k->key, "url")
				   ? " (write \"unknown\" when it is not known)"
				   : "");
	if (!k->sub)
		return;
	if (v->type == VALUE_TABLE) {
		check_table(v, k->sub, file, k->key, d);
	} else if (v->type == VALUE_ARRAY) {
		for (size_t i = 0; i < v->u.a.n; i++) {
			const struct value *it = v->u.a.items[i];
			if (it->type != VALUE_TABLE)
				diag_error(d, file, it->line, it->col,
					   "'%s' must hold tables", k->key);
			else
				check_table(it, k->sub, file, k->key, d);
		}
	}
}

static void check_table(const struct value *t, const struct key_schema *schema,
			const char *file, const char *where, struct diag *d)
{
	const char *names[64];
	size_t nn = 0;
	for (const struct key_schema *k = schema; k->key && nn < 63; k++)
		names[nn++] = k->key;
	names[nn] = NULL;
	for (size_t i = 0; i < t->u.t.n; i++) {
		const struct value_kv *kv = &t->u.t.items[i];
		const struct key_schema *k = schema;
		while (k->key && strcmp(k->key, kv->key))
			k++;
		if (!k->key) {
			const char *near = diag_suggest(kv->key, names);
			if (near)
				diag_warning(d, file, kv->line, kv->col,
					     "unknown key '%s' (did you mean '%s'?)",
					     kv->key, near);
			else
				diag_warning(d, file, kv->line, kv->col,
					     "unknown key '%s'%s%s", kv->key,
					     where ? " in " : "", where ? where : "");
			continue;
		}
		check_value(kv->val, k, file, kv->line, kv->col, d);
	}
	for (const struct key_schema *k = schema; k->key; k++)
		if ((k->flags & KEY_REQUIRED) && !value_table_get(t, k->key))
			diag_error(d, file, t->line ? t->line : 1, t->col ? t->col : 1,
				   "missing required key '%s'%s%s", k->key,
				   where ? " in " : "", where ? where : "");
}

void config_check_front_matter(const struct value *fm, enum page_kind kind,
			       const char *file, struct diag *d)
{
	const struct key_schema *schema = page_fm;
	if (kind == PAGE_ARTICLE)
		schema = article_fm;
	else if (kind == PAGE_ENTITY)
		schema = entity_fm;
	else if (kind == PAGE_TOPIC)
		schema = topic_fm;
	check_table(fm, schema, file, NULL, d);
	check_strings(fm, "", file, 0, 0, true, d);
}

/* The first control byte (utf8_is_control) of s, or -1. */
static int control_in(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (utf8_is_control((unsigned char)s[i]))
			return (unsigned char)s[i];
	return -1;
}

/* TOML strings may hold U+0000, but every string we read becomes a C
 * string (a path, a slug, HTML): a NUL would silently cut it (issue 11).
 * Nor may they hold another control character ("\u0007"): it would reach
 * every page's <title> and text, where HTML forbids it, as control bytes
 * in a page's text are refused (found by tests/e2e/random_sites.py and
 * the Nu Html Checker). Tab and line breaks are text. `controls` false:
 * NUL only ([params], whose own check refuses every control character). */
static void check_strings(const struct value *v, const char *key, const char *file,
			  int line, int col, bool controls, struct diag *d)
{
	if (v->line > 0) {
		line = v->line;
		col = v->col;
	}
	int c = v->type == VALUE_STRING ? control_in(v->u.s.p, v->u.s.n) : -1;
	if (c == 0) {
		diag_error(d, file, line, col, "'%s' contains a NUL character (\\u0000)", key);
	} else if (c > 0 && controls) {
		diag_error(d, file, line, col, "'%s' contains control character U+%04X (%s), which no page can show",
			   key, (unsigned)c, utf8_control_name((unsigned char)c));
	} else if (v->type == VALUE_ARRAY) {
		for (size_t i = 0; i < v->u.a.n; i++)
			check_strings(v->u.a.items[i], key, file, line, col, controls, d);
	} else if (v->type == VALUE_TABLE) {
		for (size_t i = 0; i < v->u.t.n; i++) {
			const struct value_kv *kv = &v->u.t.items[i];
			if (memchr(kv->key, '\0', kv->keylen))
				diag_error(d, file, kv->line, kv->col,
					   "a key contains a NUL character (\\u0000)");
			else
				check_strings(kv->val, kv->key, file, kv->line, kv->col,
					      controls && !(!*key && !strcmp(kv->key, "params")), d);
		}
	}
}

bool config_param_key_ok(const char *key, size_t len)
{
	if (len == 0 || !(key[0] == '_' || (key[0] >= 'a' && key[0] <= 'z') ||
			  (key[0] >= 'A' && key[0] <= 'Z')))
		return false;
	for (size_t i = 1; i < len; i++) {
		char c = key[i];
		if (!(c == '_' || c == '-' || (c >= 'a' && c <= 'z') ||
		      (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')))
			return false;
	}
	return true;
}

/* [params] reach Sass: keys become variable names, so they must be plain
 * identifiers; values must be scalars (the theme quotes strings). */
static void check_params(const struct value *p, const char *file, struct diag *d)
{
	for (size_t i = 0; p && p->type == VALUE_TABLE && i < p->u.t.n; i++) {
		const struct value_kv *kv = &p->u.t.items[i];
		const struct value *v = kv->val;
		if (!config_param_key_ok(kv->key, kv->keylen))
			diag_error(d, file, kv->line, kv->col,
				   "[params] key '%s' must be an identifier (letters, digits, '-' and '_', "
				   "starting with a letter or '_')",
				   kv->key);
		else if (v->type == VALUE_ARRAY || v->type == VALUE_TABLE || v->type == VALUE_NULL)
			diag_error(d, file, kv->line, kv->col,
				   "[params] %s must be a string, a number or a boolean, not %s", kv->key,
				   value_type_name(v->type));
		else if (v->type == VALUE_STRING && (strpbrk(v->u.s.p, ";{}\\") || fs_has_control(v->u.s.p)))
			/* Themes interpolate params (#{$accent}): these would end
			 * the CSS declaration and start another rule. */
			diag_error(d, file, v->line ? v->line : kv->line, v->line ? v->col : kv->col,
				   "[params] %s must not hold ';', '{', '}', '\\' or control characters "
				   "(it is pasted into CSS values)",
				   kv->key);
		else if (v->type == VALUE_FLOAT && !isfinite(v->u.f))
			diag_error(d, file, kv->line, kv->col, "[params] %s must be a finite number",
				   kv->key);
	}
}

bool config_http_url_ok(const char *url)
{
	size_t skip;
	if (!strncasecmp(url, "https://", 8))
		skip = 8;
	else if (!strncasecmp(url, "http://", 7))
		skip = 7;
	else
		return false;
	if (!url[skip] || strchr("/?#", url[skip]))
		return false; /* no host */
	for (const unsigned char *p = (const unsigned char *)url; *p; p++)
		if (*p <= 0x20 || *p == 0x7f || strchr("\"<>\\^`{|}", *p))
			return false;
	return true;
}

/* base_url and [repo] url end up in href attributes of every page: only
 * http(s), so a javascript: or data: URL is never published (issue 11). */
static const char *checked_url(const struct value *t, const char *key, const char *name,
			       const char *file, struct diag *d)
{
	const struct value *v = value_table_get(t, key);
	if (!v || v->type != VALUE_STRING || !*v->u.s.p)
		return "";
	if (config_http_url_ok(v->u.s.p))
		return v->u.s.p;
	diag_error(d, file, v->line, v->col,
		   "%s must be an http:// or https:// URL with a host, not '%s'", name, v->u.s.p);
	return "";
}

static const char *str_or(const struct value *t, const char *key, const char *def)
{
	return value_get_str(t, key, def);
}

static void fill(struct config *cfg, const char *shown, struct diag *d)
{
	const struct value *r = cfg->root;
	const struct value *md = value_table_get(r, "markdown");
	const struct value *repo = value_table_get(r, "repo");
	const struct value *ent = value_table_get(r, "entities");
	const struct value *hist = value_table_get(r, "history");
	const struct value *imp = value_table_get(r, "import");
	cfg->title = str_or(r, "title", "Untitled dossier");
	cfg->description = str_or(r, "description", "");
	cfg->base_url = checked_url(r, "base_url", "base_url", shown, d);
	cfg->language = str_or(r, "language", "en");
	cfg->theme = str_or(r, "theme", "dossier");
	const struct value *theme_v = value_table_get(r, "theme");
	if (theme_v) {
		cfg->theme_line = theme_v->line;
		cfg->theme_col = theme_v->col;
	}
	cfg->unsafe = value_get_bool(md, "unsafe", false);
	cfg->repo_url = checked_url(repo, "url", "[repo] url", shown, d);
	cfg->repo_branch = str_or(repo, "branch", "main");
	cfg->params = value_table_get(r, "params");
	cfg->import_drop = value_table_get(imp, "drop");
	cfg->history_enabled = value_get_bool(hist, "enabled", true);
	cfg->history_emails = value_get_bool(hist, "emails", false);
	cfg->history_diffs = (int)value_get_int(hist, "diffs", 20);
	cfg->history_ignore = value_table_get(hist, "ignore");
	const char *policy = str_or(ent, "link", "first");
	if (!strcmp(policy, "first")) {
		cfg->entity_links = LINK_FIRST;
	} else if (!strcmp(policy, "all")) {
		cfg->entity_links = LINK_ALL;
	} else if (!strcmp(policy, "none")) {
		cfg->entity_links = LINK_NONE;
	} else {
		const struct value *v = value_table_get(ent, "link");
		diag_error(d, shown, v->line, v->col,
			   "[entities] link must be \"first\", \"all\" or \"none\", not \"%s\"",
			   policy);
	}
	if (cfg->history_diffs < 0) {
		const struct value *v = value_table_get(hist, "diffs");
		diag_error(d, shown, v->line, v->col, "[history] diffs must be >= 0");
		cfg->history_diffs = 0;
	}
	if (strchr(cfg->theme, '/') || !strcmp(cfg->theme, "..") || !*cfg->theme) {
		const struct value *v = value_table_get(r, "theme");
		diag_error(d, shown, v->line, v->col,
			   "theme must be a folder name under themes/, not '%s'",
			   cfg->theme);
		cfg->theme = "dossier";
	}
}

int config_load(struct config *cfg, const char *path, const char *shown,
		struct diag *d)
{
	char *src = NULL;
	size_t len = 0;
	memset(cfg, 0, sizeof(*cfg));
	/* A pull request may commit site.toml as a link to /proc/self/environ:
	 * parse errors would quote it. It must stay in its own folder. */
	const char *slash = strrchr(path, '/');
	char *dir = slash ? xstrndup(path, slash == path ? 1 : (size_t)(slash - path)) : xstrdup(".");
	char *dir_real = realpath(dir, NULL);
	int rc = dir_real ? fs_read_file_within(path, dir_real, &src, &len)
			  : fs_read_file(path, &src, &len);
	int err = errno;
	free(dir);
	free(dir_real);
	if (rc < 0 && err == EXDEV) {
		diag_error(d, shown, 0, 0, "symbolic link leads outside the site; refusing to read it");
		return -1;
	}
	if (rc < 0) {
		diag_error(d, shown, 0, 0, "cannot read configuration: %s", strerror(err));
		return -1;
	}
	cfg->root = toml_parse(src, len, shown, d);
	free(src);
	if (!cfg->root)
		return -1;
	check_table(cfg->root, site_keys, shown, NULL, d);
	check_strings(cfg->root, "", shown, 0, 0, true, d);
	check_params(value_table_get(cfg->root, "params"), shown, d);
	fill(cfg, shown, d);
	return 0;
}

void config_free(struct config *cfg)
{
	value_free(cfg->root);
	memset(cfg, 0, sizeof(*cfg));
}
