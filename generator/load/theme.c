#include "theme.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <sass/context.h>

#include "config.h"
#include "fsutil.h"
#include "mustache.h"
#include "sandbox.h"
#include "strbuf.h"
#include "xalloc.h"

/* Whether a template's text names {{search_index_url}} (or the variable
 * in any tag): then the theme loads search-index.js. */
static bool names_whole_index(const char *src, size_t len)
{
	static const char key[] = "search_index_url";
	for (size_t i = 0; i + sizeof key - 1 <= len; i++)
		if (!memcmp(src + i, key, sizeof key - 1))
			return true;
	return false;
}

/* <bindir>/../share/dossier/themes/<name>: an install relocated or
 * staged with a PREFIX other than the one the binary was built with. */
static char *beside_binary(const char *name)
{
	char *exe = realpath("/proc/self/exe", NULL);
	char *slash = exe ? strrchr(exe, '/') : NULL;
	char *dir = NULL;
	if (slash) {
		*slash = '\0';
		struct strbuf sb = STRBUF_INIT;
		sb_printf(&sb, "%s/../share/dossier/themes/%s", exe, name);
		dir = sb_detach(&sb);
		if (!fs_is_dir(dir)) {
			free(dir);
			dir = NULL;
		}
	}
	free(exe);
	return dir;
}

/* A theme in the site's themes/ (a pull request may change it) must stay
 * inside the site; an installed theme is the maintainer's. *outside is set
 * when the site's copy leads out of the site. */
static char *find_dir(const struct site *s, bool *outside, char **shown)
{
	char *local = fs_join(s->dir, "themes");
	char *dir = fs_join(local, s->cfg.theme);
	free(local);
	*outside = false;
	if (fs_is_dir(dir)) {
		char *site = realpath(s->dir, NULL);
		*outside = !site || !fs_resolves_inside(dir, site);
		free(site);
		*shown = fs_join("themes", s->cfg.theme);
		return dir;
	}
	free(dir);
	char *installed = fs_join(DOSSIER_DATADIR "/themes", s->cfg.theme);
	if (!fs_is_dir(installed)) {
		free(installed);
		installed = beside_binary(s->cfg.theme);
	}
	*shown = installed ? xstrdup(installed) : NULL;
	return installed;
}

/* A path under t->dir as diagnostics name it, under t->shown: a site's
 * theme file relative to the site folder, as content files are
 * ("themes/dossier/sass/x.scss"), whatever -C and the working folder.
 * Owned by the caller. */
static char *shown(const struct theme *t, const char *path)
{
	size_t n = strlen(t->dir);
	if (strncmp(path, t->dir, n) || (path[n] && path[n] != '/'))
		return xstrdup(path);
	return path[n] ? fs_join(t->shown, path + n + 1) : xstrdup(t->shown);
}

/* The theme's file `file` (a path in any form, as libsass gives it) as
 * shown(), found by its real path; NULL when it is not in the theme. */
static char *shown_real(const struct theme *t, const char *file)
{
	char *real = realpath(file, NULL);
	size_t n = strlen(t->real);
	char *r = NULL;
	if (real && !strncmp(real, t->real, n) && real[n] == '/')
		r = fs_join(t->shown, real + n + 1);
	free(real);
	return r;
}

/* strerror, with the reason fs_read_file_within adds. */
static const char *why(int err)
{
	return err == EXDEV ? "it leads outside the theme" : strerror(err);
}

/* The one report of a theme file that is not read: a link leaving the
 * theme, a loop, a FIFO or an unreadable entry. */
static void refuse(const struct theme *t, const struct fs_walk_entry *e, struct diag *d)
{
	char *f = shown(t, e->path);
	switch (e->kind) {
	case FS_WALK_OUTSIDE:
		diag_error(d, f, 0, 0, "symbolic link leads outside the theme; not read");
		break;
	case FS_WALK_LOOP:
		diag_error(d, f, 0, 0, "symbolic link to a folder read anyway (a loop?); not read");
		break;
	case FS_WALK_SPECIAL:
		diag_error(d, f, 0, 0, "not a regular file or folder; not read");
		break;
	case FS_WALK_ERROR:
		diag_error(d, f, 0, 0, "cannot read: %s", strerror(e->err));
		break;
	default:
		break;
	}
	free(f);
}

struct template_walk {
	struct theme *t;
	struct diag *d;
	int rc;
};

static int add_template(void *arg, const struct fs_walk_entry *e)
{
	struct template_walk *w = arg;
	if (e->kind == FS_WALK_DIR)
		return 1; /* templates/ is flat */
	if (strcmp(fs_extension(e->name), ".mustache"))
		return 0;
	if (e->kind != FS_WALK_FILE) {
		refuse(w->t, e, w->d);
		w->rc = -1;
		return 0;
	}
	char *f = shown(w->t, e->path);
	char *src = NULL;
	size_t len = 0;
	if (fs_read_file_within(e->path, w->t->real, &src, &len) < 0) {
		diag_error(w->d, f, 0, 0, "cannot read template: %s", why(errno));
		w->rc = -1;
	} else {
		char *name = xstrndup(e->name, strlen(e->name) - strlen(".mustache"));
		if (names_whole_index(src, len))
			w->t->whole_index = true;
		if (mustache_set_add(w->t->templates, name, src, len, f, w->d) < 0)
			w->rc = -1;
		free(name);
	}
	free(src);
	free(f);
	return 0;
}

static int load_templates(struct theme *t, struct diag *d)
{
	char *dir = fs_join(t->dir, "templates");
	struct template_walk w = { t, d, 0 };
	if (fs_walk(dir, t->real, add_template, &w) < 0) {
		diag_error(d, t->shown, 0, 0, "cannot list templates/: %s", strerror(errno));
		free(dir);
		return -1;
	}
	free(dir);
	int rc = w.rc;
	if (rc == 0 && !mustache_set_has(t->templates, "page")) {
		diag_error(d, t->shown, 0, 0, "theme has no templates/page.mustache (the default page template)");
		rc = -1;
	}
	if (rc == 0 && mustache_set_check(t->templates, d) < 0)
		rc = -1;
	return rc;
}

/* A [params] string as a Sass quoted string: '"' and '\\' escaped, '#'
 * escaped so that "#{...}" is not interpolation, control characters as
 * hex escapes. Nothing in it can end the string, so nothing can become Sass
 * (an @import, a variable) (issue 11). */
static void sass_quote(struct strbuf *sb, const char *s, size_t n)
{
	sb_putc(sb, '"');
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c == '"' || c == '\\' || c == '#')
			sb_printf(sb, "\\%c", c);
		else if (c < 0x20 || c == 0x7f)
			sb_printf(sb, "\\%x ", c);
		else
			sb_putc(sb, (char)c);
	}
	sb_putc(sb, '"');
}

/* site.toml [params] scalars as Sass variables, on one line so the
 * stylesheet's own line numbers shift by exactly one. config_load reported
 * every key that is not an identifier and every non-scalar value; they are
 * left out here. */
static void sass_params(const struct site *s, struct strbuf *sb)
{
	const struct value *p = s->cfg.params;
	for (size_t i = 0; p && p->type == VALUE_TABLE && i < p->u.t.n; i++) {
		const struct value_kv *kv = &p->u.t.items[i];
		const struct value *v = kv->val;
		if (!config_param_key_ok(kv->key, kv->keylen))
			continue;
		switch (v->type) {
		case VALUE_STRING:
			sb_printf(sb, "$%s: ", kv->key);
			sass_quote(sb, v->u.s.p, v->u.s.n);
			sb_puts(sb, "; ");
			break;
		case VALUE_INT:
			sb_printf(sb, "$%s: %lld; ", kv->key, (long long)v->u.i);
			break;
		case VALUE_FLOAT:
			if (isfinite(v->u.f))
				sb_printf(sb, "$%s: %.15g; ", kv->key, v->u.f);
			break;
		case VALUE_BOOL:
			sb_printf(sb, "$%s: %s; ", kv->key, v->u.b ? "true" : "false");
			break;
		default:
			break;
		}
	}
	sb_putc(sb, '\n');
}

/* ---- Sass imports, inside the theme ---------------------------------- */

struct sass_jail {
	const struct theme *t;
	const char *sassdir;
	/* The list holding a refusal: libsass throws on it before freeing
	 * it, so it is freed after the compile. */
	Sass_Import_List refused;
};

/* A plain CSS @import that libsass leaves in the output without reading
 * anything: "x.css", "//host/x", "https://host/x" (not file://). */
static bool css_import(const char *url)
{
	size_t n = strlen(url);
	if (n > 4 && !strcmp(url + n - 4, ".css"))
		return true;
	if (!strncmp(url, "//", 2))
		return true;
	const char *colon = strstr(url, "://");
	if (!colon || colon == url)
		return false;
	for (const char *p = url; p < colon; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z')))
			return false;
	return strncasecmp(url, "file", (size_t)(colon - url)) || colon - url != 4;
}

/* The first existing file among Sass's candidates for `url` in `dir`:
 * url, url.scss, _url.scss (a partial), url/_index.scss. Owned or NULL. */
static char *find_import(const char *dir, const char *url)
{
	const char *slash = strrchr(url, '/');
	size_t head = slash ? (size_t)(slash - url + 1) : 0;
	const char *forms[] = { "%s%.*s%s", "%s%.*s%s.scss", "%s%.*s_%s.scss", "%s%.*s%s/_index.scss" };
	for (size_t i = 0; i < sizeof(forms) / sizeof(forms[0]); i++) {
		struct strbuf sb = STRBUF_INIT;
		sb_printf(&sb, forms[i], dir, (int)head, url, url + head);
		if (fs_is_file(sb.ptr))
			return sb_detach(&sb);
		sb_free(&sb);
	}
	return NULL;
}

static Sass_Import_List import_error(struct sass_jail *j, const char *fmt, const char *url)
{
	struct strbuf msg = STRBUF_INIT;
	sb_printf(&msg, fmt, url);
	Sass_Import_List list = sass_make_import_list(1);
	list[0] = sass_make_import_entry(url, NULL, NULL);
	sass_import_set_error(list[0], msg.ptr, (size_t)-1, (size_t)-1);
	sb_free(&msg);
	if (j->refused)
		sass_delete_import_list(j->refused);
	j->refused = list;
	return list;
}

/* Every @import goes through here, and libsass's own loader is never
 * used: returning NULL would let it read any path (issue 11). */
static Sass_Import_List import_inside(const char *url, Sass_Importer_Entry cb,
				      struct Sass_Compiler *comp)
{
	struct sass_jail *j = sass_importer_get_cookie(cb);
	if (css_import(url))
		return NULL;
	if (url[0] == '/' || strstr(url, "://") || fs_has_control(url))
		return import_error(j, "@import \"%s\": only paths relative to the theme's sass/ folder", url);
	const char *from = sass_import_get_abs_path(sass_compiler_get_last_import(comp));
	char *fromdir = from && strrchr(from, '/') ? xstrndup(from, (size_t)(strrchr(from, '/') - from + 1)) : NULL;
	char *sassdir = fs_join(j->sassdir, "");
	char *found = fromdir ? find_import(fromdir, url) : NULL;
	if (!found)
		found = find_import(sassdir, url);
	free(fromdir);
	free(sassdir);
	if (!found)
		return import_error(j, "@import \"%s\": file not found in the theme", url);
	if (!fs_resolves_inside(found, j->t->real)) {
		free(found);
		return import_error(j, "@import \"%s\" leads outside the theme; not read", url);
	}
	char *src = NULL;
	size_t len = 0;
	if (fs_read_file_within(found, j->t->real, &src, &len) < 0) {
		/* The file is inside the theme: its name may be shown. */
		struct strbuf msg = STRBUF_INIT;
		sb_printf(&msg, "@import \"%s\": cannot read %s: %s", url, found, strerror(errno));
		free(found);
		Sass_Import_List l = import_error(j, "%s", msg.ptr);
		sb_free(&msg);
		return l;
	}
	Sass_Import_List list = sass_make_import_list(1);
	list[0] = sass_make_import_entry(found, sass_copy_c_string(src), NULL);
	free(src);
	free(found);
	return list;
}

/* A libsass error or warning, reported where it happened; a position in a
 * file outside the theme (which the importer prevents) is never shown.
 * line 0: the stylesheet as a whole. */
static void sass_report(const struct theme *t, const struct site *s, const char *path, enum diag_level level,
			const char *msg, const char *efile, int line, int col, struct diag *d)
{
	/* libsass names files in its own normal form ("themes/x" for
	 * "./themes/x"): the stylesheet itself is told by its real path, and
	 * only its positions are one line down (sass_params). */
	bool here = !efile || !*efile || !strcmp(efile, "stdin");
	char *f = shown(t, path), *ef = here ? NULL : shown_real(t, efile);
	if (ef) {
		char *a = realpath(efile, NULL), *b = realpath(path, NULL);
		here = a && b && !strcmp(a, b);
		free(a);
		free(b);
	}
	if (!msg || !*msg)
		msg = level == DIAG_ERROR ? "Sass error" : "Sass warning";
	if (line <= 0)
		line = col = 0;
	if (here && line == 1)
		diag_emit(d, level, s->config_file, 0, 0, "in [params] used by %s: %s", f, msg);
	else if (here)
		diag_emit(d, level, f, line ? line - 1 : 0, col, "%s", msg);
	else if (ef)
		diag_emit(d, level, ef, line, col, "%s", msg);
	else
		diag_emit(d, level, f, 0, 0, "Sass %s in a file outside the theme (not shown)",
			  level == DIAG_ERROR ? "error" : "warning");
	free(f);
	free(ef);
}

/* One stylesheet to compile, and where its imports may come from. */
struct sass_job {
	struct theme *t;
	const char *sassdir, *path, *src;
	size_t css_left; /* bytes of CSS the theme may still produce */
};

/* How many @warn and @debug messages of one stylesheet are reported, and
 * how much of each. */
#define SASS_WARNINGS_MAX 100
#define SASS_WARNING_BYTES 1000

/* The child's side of one compile: what it sends back before the result. */
struct sass_run {
	const struct sass_job *job;
	struct strbuf rec; /* records, see sass_child */
	size_t nwarn, dropped;
	char **seen; /* "kind path" of each observation recorded */
	size_t nseen;
};

/* One record: its letter, the payload's length, a space, the payload. */
static void put_record(struct strbuf *sb, char kind, const char *head, size_t headlen, const char *data,
		       size_t len)
{
	sb_printf(sb, "%c%zu ", kind, headlen + len);
	sb_put(sb, head, headlen);
	sb_put(sb, data, len);
}

/* A warning at `file`:line:col (libsass's positions), as 'W'. */
static void record_warning(struct sass_run *run, const char *file, size_t line, size_t col, const char *msg)
{
	struct strbuf head = STRBUF_INIT;
	sb_printf(&head, "%zu %zu\n%s", line, col, file ? file : "");
	sb_putc(&head, '\0');
	put_record(&run->rec, 'W', head.ptr, head.size, msg, strlen(msg));
	sb_free(&head);
}

/* @warn and @debug, through libsass's hook for them (a function named
 * "@warn" or "@debug"): without it libsass prints the message raw on
 * stderr. Each becomes a warning at the rule's place. */
static union Sass_Value *sass_message(const union Sass_Value *args, struct Sass_Compiler *comp,
				      struct sass_run *run, const char *rule)
{
	if (run->nwarn >= SASS_WARNINGS_MAX) {
		run->dropped++;
		return sass_make_null();
	}
	run->nwarn++;
	const union Sass_Value *v = sass_value_is_list(args) && sass_list_get_length(args) ? sass_list_get_value(args, 0)
											   : args;
	union Sass_Value *str = NULL;
	const char *text = "";
	if (sass_value_is_string(v)) {
		text = sass_string_get_value(v);
	} else if ((str = sass_value_stringify(v, false, 10)) && sass_value_is_string(str)) {
		text = sass_string_get_value(str);
	}
	struct strbuf msg = STRBUF_INIT;
	sb_printf(&msg, "%s: ", rule);
	size_t n = strlen(text), cut = n;
	if (cut > SASS_WARNING_BYTES) {
		cut = SASS_WARNING_BYTES;
		while (cut && ((unsigned char)text[cut] & 0xc0) == 0x80)
			cut--; /* not inside a UTF-8 sequence */
	}
	sb_put(&msg, text, cut);
	if (cut < n)
		sb_printf(&msg, "... (%zu bytes more)", n - cut);
	Sass_Callee_Entry ce = sass_compiler_get_last_callee(comp);
	record_warning(run, ce ? sass_callee_get_path(ce) : NULL, ce ? sass_callee_get_line(ce) : 0,
		       ce ? sass_callee_get_column(ce) : 0, msg.ptr);
	sb_free(&msg);
	if (str)
		sass_delete_value(str);
	return sass_make_null();
}

static union Sass_Value *sass_warn(const union Sass_Value *args, Sass_Function_Entry cb, struct Sass_Compiler *comp)
{
	return sass_message(args, comp, sass_function_get_cookie(cb), "@warn");
}

static union Sass_Value *sass_debug(const union Sass_Value *args, Sass_Function_Entry cb, struct Sass_Compiler *comp)
{
	return sass_message(args, comp, sass_function_get_cookie(cb), "@debug");
}

/* What the importer reads and probes in the child, as 'S' records, each
 * once: the parent hands them to its watcher (fs_seen_elsewhere), so an
 * @import-ed partial is an input of the build cache like the stylesheet. */
static void child_seen(void *arg, enum fs_seen what, const char *path, const char *data, size_t len)
{
	struct sass_run *run = arg;
	struct strbuf key = STRBUF_INIT;
	sb_printf(&key, "%d %s", (int)what, path);
	for (size_t i = 0; i < run->nseen; i++)
		if (!strcmp(run->seen[i], key.ptr)) {
			sb_free(&key);
			return;
		}
	run->seen = xrealloc(run->seen, (run->nseen + 1) * sizeof(*run->seen));
	run->seen[run->nseen++] = sb_detach(&key);
	struct strbuf head = STRBUF_INIT;
	sb_printf(&head, "%d %d\n%s", (int)what, data != NULL, path);
	sb_putc(&head, '\0');
	put_record(&run->rec, 'S', head.ptr, head.size, data ? data : "", data ? len : 0);
	sb_free(&head);
}

/*
 * In the sandbox (sandbox.h): libsass has no limit of its own, and a
 * theme's `@while` runs as long as it says (issue 13's hostile inputs).
 * The result goes back as records, each a letter, its length in decimal,
 * a space and that many bytes: 'W' a warning (line and column as text, a
 * newline, the file, a NUL, the message), 'S' an observation of the file
 * system (its fs_seen kind and whether it has data, a newline, the path, a
 * NUL, the data); then 'C' and the CSS, 'L' and the CSS's size when it
 * is more than the job's css_left, or 'E', the error's line and column as
 * text, its file, a NUL, and its message.
 */
static int sass_child(void *arg, struct strbuf *out)
{
	const struct sass_job *job = arg;
	struct sass_run run = { job, STRBUF_INIT, 0, 0, NULL, 0 };
	if (fs_watching())
		fs_watch(child_seen, &run);
	struct Sass_Data_Context *dc = sass_make_data_context(sass_copy_c_string(job->src));
	struct Sass_Context *c = sass_data_context_get_context(dc);
	struct Sass_Options *o = sass_context_get_options(c);
	struct sass_jail jail = { job->t, job->sassdir, NULL };
	Sass_Importer_List imps = sass_make_importer_list(1);
	sass_importer_set_list_entry(imps, 0, sass_make_importer(import_inside, 0, &jail));
	sass_option_set_c_importers(o, imps);
	Sass_Function_List fns = sass_make_function_list(2);
	sass_function_set_list_entry(fns, 0, sass_make_function("@warn($message)", sass_warn, &run));
	sass_function_set_list_entry(fns, 1, sass_make_function("@debug($message)", sass_debug, &run));
	sass_option_set_c_functions(o, fns);
	sass_option_set_input_path(o, job->path);
	sass_option_set_output_style(o, SASS_STYLE_EXPANDED);
	int failed = sass_compile_data_context(dc);
	fs_watch(NULL, NULL);
	if (run.dropped) {
		struct strbuf msg = STRBUF_INIT;
		sb_printf(&msg, "%zu more @warn and @debug messages not shown", run.dropped);
		record_warning(&run, NULL, 0, 0, msg.ptr);
		sb_free(&msg);
	}
	sb_put(out, run.rec.ptr, run.rec.size);
	if (failed) {
		const char *efile = sass_context_get_error_file(c);
		const char *msg = sass_context_get_error_text(c);
		sb_printf(out, "E%d %d\n%s", (int)sass_context_get_error_line(c),
			  (int)sass_context_get_error_column(c), efile ? efile : "");
		sb_putc(out, '\0');
		sb_puts(out, msg ? msg : "");
	} else {
		const char *css = sass_context_get_output_string(c);
		size_t n = css ? strlen(css) : 0;
		if (n > job->css_left) {
			sb_printf(out, "L%zu", n);
		} else {
			sb_putc(out, 'C');
			sb_put(out, css ? css : "", n);
		}
	}
	if (jail.refused)
		sass_delete_import_list(jail.refused);
	sass_delete_data_context(dc);
	for (size_t i = 0; i < run.nseen; i++)
		free(run.seen[i]);
	free(run.seen);
	sb_free(&run.rec);
	return 0;
}

/* The records before the result (sass_child), reported: warnings to `d`,
 * observations to the watcher. Returns where the result starts. */
static const char *sass_records(const struct theme *t, const struct site *s, const char *path, const char *p,
				const char *end, struct diag *d)
{
	while (p < end && (*p == 'W' || *p == 'S')) {
		char kind = *p;
		char *sp = NULL;
		errno = 0;
		unsigned long long len = strtoull(p + 1, &sp, 10);
		if (errno || !sp || sp >= end || *sp != ' ' || len > (unsigned long long)(end - sp - 1))
			break;
		const char *body = sp + 1, *bend = body + len;
		const char *nl = memchr(body, '\n', len), *nul = nl ? memchr(nl, '\0', (size_t)(bend - nl)) : NULL;
		p = bend;
		if (!nul)
			continue;
		int a = 0, b = 0;
		if (sscanf(body, "%d %d", &a, &b) != 2)
			continue;
		char *name = xstrndup(nl + 1, (size_t)(nul - nl - 1));
		const char *data = nul + 1;
		if (kind == 'W') {
			char *msg = xstrndup(data, (size_t)(bend - data));
			sass_report(t, s, path, DIAG_WARNING, msg, name, a, b, d);
			free(msg);
		} else if (a >= 0 && a < FS_SEEN_KINDS) {
			fs_seen_elsewhere((enum fs_seen)a, name, b ? data : NULL, b ? (size_t)(bend - data) : 0);
		}
		free(name);
	}
	return p;
}

/* What the child printed (libsass's own warnings, which have no hook),
 * one warning, escaped as every diagnostic is: never the terminal's. */
static void sass_printed(const char *f, struct strbuf *printed, struct diag *d)
{
	while (printed->size && (printed->ptr[printed->size - 1] == '\n' || printed->ptr[printed->size - 1] == ' '))
		sb_truncate(printed, printed->size - 1);
	if (printed->size)
		diag_warning(d, f, 0, 0, "the Sass compiler printed: %s", printed->ptr);
}

/* How long a stylesheet may take: SASS_SECONDS, or DOSSIER_SASS_SECONDS
 * (for the tests). */
#define SASS_SECONDS 60
#define SASS_MEMORY_MB 2048
/* The CSS of all of a theme's stylesheets together: the build holds it
 * until the output is written (theme.h). */
#define SASS_CSS_MB 32

static unsigned sass_seconds(void)
{
	const char *e = getenv("DOSSIER_SASS_SECONDS");
	long v = e ? strtol(e, NULL, 10) : 0;
	return v > 0 && v < 100000 ? (unsigned)v : SASS_SECONDS;
}

static int compile_one(struct theme *t, const struct site *s, const char *sassdir,
		       const char *name, struct diag *d)
{
	char *path = fs_join(sassdir, name), *f = shown(t, path);
	char *src = NULL;
	size_t len = 0;
	int rc = -1;
	if (fs_read_file_within(path, t->real, &src, &len) < 0) {
		diag_error(d, f, 0, 0, "cannot read stylesheet: %s", why(errno));
		free(path);
		free(f);
		return -1;
	}
	struct strbuf all = STRBUF_INIT, res = STRBUF_INIT, printed = STRBUF_INIT;
	sass_params(s, &all);
	sb_put(&all, src, len);
	size_t limit = (size_t)SASS_CSS_MB << 20;
	struct sass_job job = { t, sassdir, path, all.ptr, limit - t->css_bytes };
	struct sandbox_limits lim = { sass_seconds(), SASS_MEMORY_MB };
	char *fail = NULL;
	int run = sandbox_run(sass_child, &job, &lim, &res, &printed, &fail);
	const char *end = res.ptr + res.size;
	const char *r = sass_records(t, s, path, res.ptr, end, d);
	sass_printed(f, &printed, d);
	if (run < 0) {
		diag_error(d, f, 0, 0, "the Sass compiler %s; the stylesheet is not used (an endless @while or @for?)",
			   fail);
		free(fail);
	} else if (r < end && r[0] == 'C') {
		struct strbuf out = STRBUF_INIT;
		sb_puts(&out, name);
		sb_truncate(&out, out.size - strlen(".scss"));
		sb_puts(&out, ".css");
		t->css = xrealloc(t->css, (t->ncss + 1) * sizeof(*t->css));
		t->css_text = xrealloc(t->css_text, (t->ncss + 1) * sizeof(*t->css_text));
		t->css[t->ncss] = sb_detach(&out);
		t->css_text[t->ncss++] = xstrndup(r + 1, (size_t)(end - r - 1));
		t->css_bytes += (size_t)(end - r - 1);
		rc = 0;
	} else if (r < end && r[0] == 'L') {
		char *sized = xstrndup(r + 1, (size_t)(end - r - 1));
		double mb = strtod(sized, NULL) / (1 << 20);
		free(sized);
		diag_error(d, f, 0, 0,
			   "its CSS (%.1f MB) would take the theme's CSS past %d MB in all (%.1f MB before it); "
			   "the stylesheet is not used",
			   mb, SASS_CSS_MB, (double)t->css_bytes / (1 << 20));
	} else if (r < end && r[0] == 'E' && memchr(r, '\0', (size_t)(end - r))) {
		int line = 0, col = 0;
		const char *nl = memchr(r, '\n', (size_t)(end - r));
		sscanf(r + 1, "%d %d", &line, &col);
		const char *efile = nl ? nl + 1 : end - 1;
		const char *msg = efile + strlen(efile) + 1;
		sass_report(t, s, path, DIAG_ERROR, msg < end ? msg : "", efile, line, col, d);
	} else {
		diag_error(d, f, 0, 0, "the Sass compiler gave no result");
	}
	sb_free(&printed);
	sb_free(&res);
	sb_free(&all);
	free(src);
	free(path);
	free(f);
	return rc;
}

struct sass_walk {
	struct theme *t;
	const struct site *s;
	const char *dir;
	struct diag *d;
	int rc;
};

static int add_stylesheet(void *arg, const struct fs_walk_entry *e)
{
	struct sass_walk *w = arg;
	if (e->kind == FS_WALK_DIR)
		return 1; /* sass/ subfolders hold partials, read by @import */
	if (e->name[0] == '_' || strcmp(fs_extension(e->name), ".scss"))
		return 0;
	if (e->kind != FS_WALK_FILE) {
		refuse(w->t, e, w->d);
		w->rc = -1;
	} else if (compile_one(w->t, w->s, w->dir, e->name, w->d) < 0) {
		w->rc = -1;
	}
	return 0;
}

static int compile_sass(struct theme *t, const struct site *s, struct diag *d)
{
	char *dir = fs_join(t->dir, "sass");
	struct sass_walk w = { t, s, dir, d, 0 };
	if (fs_is_dir(dir) && fs_walk(dir, t->real, add_stylesheet, &w) < 0) {
		diag_error(d, t->shown, 0, 0, "cannot list sass/: %s", strerror(errno));
		w.rc = -1;
	}
	free(dir);
	return w.rc;
}

static int list_static(struct theme *t, struct diag *d);

int theme_load(struct theme *t, const struct site *s, struct diag *d)
{
	memset(t, 0, sizeof(*t));
	t->templates = mustache_set_new();
	bool outside = false;
	t->dir = find_dir(s, &outside, &t->shown);
	if (!t->dir) {
		diag_error(d, s->config_file, s->cfg.theme_line, s->cfg.theme_col,
			   "theme '%s' not found in themes/, %s/themes or beside the binary",
			   s->cfg.theme, DOSSIER_DATADIR);
		return -1;
	}
	if (outside) {
		diag_error(d, t->shown, 0, 0, "the theme folder leads outside the site (a symbolic link?); not read");
		return -1;
	}
	if (!(t->real = realpath(t->dir, NULL))) {
		diag_error(d, t->shown, 0, 0, "cannot open the theme folder: %s", strerror(errno));
		return -1;
	}
	char *js = fs_join(t->dir, "static/dossier.js");
	t->has_js = fs_exists(js);
	free(js);
	int rc = load_templates(t, d);
	if (compile_sass(t, s, d) < 0)
		rc = -1;
	if (list_static(t, d) < 0)
		rc = -1;
	return rc;
}

/* static/ is copied as is, hidden files included (.nojekyll,
 * .well-known/: host configuration), except what is not in the theme (a
 * link to /proc/self/environ is an error and never published) and names
 * that cannot be published, as content/'s cannot (fs_name_problem).
 * Listed at load time, so `dossier check` reports it too. */
static int add_static(void *arg, const struct fs_walk_entry *e)
{
	struct template_walk *w = arg;
	struct theme *t = w->t;
	if (e->kind != FS_WALK_FILE && e->kind != FS_WALK_DIR) {
		refuse(t, e, w->d);
		w->rc = -1;
		return 0;
	}
	const char *bad = fs_name_problem(e->name);
	if (bad) {
		char *f = shown(t, e->path);
		diag_error(w->d, f, 0, 0, "%s", bad);
		free(f);
		w->rc = -1;
		return e->kind == FS_WALK_DIR ? 1 : 0;
	}
	t->statics = xrealloc(t->statics, (t->nstatics + 1) * sizeof(*t->statics));
	t->static_dir = xrealloc(t->static_dir, (t->nstatics + 1) * sizeof(*t->static_dir));
	t->static_dir[t->nstatics] = e->kind == FS_WALK_DIR;
	t->statics[t->nstatics++] = xstrdup(e->rel);
	return 0;
}

static int list_static(struct theme *t, struct diag *d)
{
	char *dir = fs_join(t->dir, "static");
	struct template_walk w = { t, d, 0 };
	if (fs_is_dir(dir) && fs_walk_all(dir, t->real, add_static, &w) < 0) {
		diag_error(d, t->shown, 0, 0, "cannot list static/: %s", strerror(errno));
		w.rc = -1;
	}
	free(dir);
	return w.rc;
}

/* A static file or folder into the output, where the build's files are
 * written already: one at a path taken is an error at the theme's file,
 * never a silent replacement either way (link_check_theme finds those of
 * pages before render). */
static int write_static(const struct theme *t, const char *stat_dir, size_t i, const char *out_dir,
			struct diag *d)
{
	const char *rel = t->statics[i];
	char *a = fs_join(stat_dir, rel), *b = fs_join(out_dir, rel), *f = shown(t, a);
	char *data = NULL;
	size_t len = 0;
	int rc = 0;
	if (t->static_dir[i] ? fs_mkdir_p(b) < 0 : fs_read_file_within(a, t->real, &data, &len) < 0) {
		if (t->static_dir[i] && (errno == EEXIST || errno == ENOTDIR))
			diag_error(d, f, 0, 0, "this folder would be published as '%s', where the build writes a file; rename or move it",
				   rel);
		else
			diag_error(d, f, 0, 0, "cannot %s: %s", t->static_dir[i] ? "create the folder in the output" : "copy",
				   why(errno));
		rc = -1;
	} else if (!t->static_dir[i] && fs_write_new(b, data, len) < 0) {
		if (errno == EEXIST)
			diag_error(d, f, 0, 0, "this file would be published as '%s', replacing a file the build writes; rename or move it",
				   rel);
		else
			diag_error(d, f, 0, 0, "cannot copy into the output folder: %s", strerror(errno));
		rc = -1;
	}
	free(data);
	free(f);
	free(b);
	free(a);
	return rc;
}

int theme_write(const struct theme *t, const char *out_dir, struct diag *d)
{
	int rc = 0;
	for (size_t i = 0; i < t->ncss; i++) {
		char *path = fs_join(out_dir, t->css[i]);
		if (fs_write_new(path, t->css_text[i], strlen(t->css_text[i])) < 0) {
			if (errno == EEXIST)
				diag_error(d, t->shown, 0, 0, "its stylesheet '%s' would replace a file the build writes; rename it",
					   t->css[i]);
			else
				diag_error(d, path, 0, 0, "cannot write: %s", strerror(errno));
			rc = -1;
		}
		free(path);
	}
	/* Every file is attempted, so that one run reports every error. */
	char *stat_dir = fs_join(t->dir, "static");
	for (size_t i = 0; i < t->nstatics; i++)
		if (write_static(t, stat_dir, i, out_dir, d) < 0)
			rc = -1;
	free(stat_dir);
	return rc;
}

void theme_free(struct theme *t)
{
	free(t->dir);
	free(t->shown);
	free(t->real);
	mustache_set_free(t->templates);
	for (size_t i = 0; i < t->ncss; i++) {
		free(t->css[i]);
		free(t->css_text[i]);
	}
	free(t->css);
	free(t->css_text);
	for (size_t i = 0; i < t->nstatics; i++)
		free(t->statics[i]);
	free(t->statics);
	free(t->static_dir);
	memset(t, 0, sizeof(*t));
}
