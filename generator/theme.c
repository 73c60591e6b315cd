#include "theme.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <sass/context.h>

#include "fsutil.h"
#include "mustache.h"
#include "strbuf.h"
#include "xalloc.h"

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

static char *find_dir(const struct site *s)
{
	char *local = fs_join(s->dir, "themes");
	char *dir = fs_join(local, s->cfg.theme);
	free(local);
	if (fs_is_dir(dir))
		return dir;
	free(dir);
	char *installed = fs_join(DOSSIER_DATADIR "/themes", s->cfg.theme);
	if (fs_is_dir(installed))
		return installed;
	free(installed);
	return beside_binary(s->cfg.theme);
}

static int load_templates(struct theme *t, struct diag *d)
{
	char *dir = fs_join(t->dir, "templates");
	char **names = NULL;
	size_t n = 0;
	int rc = 0;
	if (fs_list_dir(dir, &names, &n) < 0) {
		diag_error(d, dir, 0, 0, "cannot list templates: %s", strerror(errno));
		free(dir);
		return -1;
	}
	for (size_t i = 0; i < n; i++) {
		if (strcmp(fs_extension(names[i]), ".mustache"))
			continue;
		char *path = fs_join(dir, names[i]);
		char *src = NULL;
		size_t len = 0;
		if (fs_read_file(path, &src, &len) < 0) {
			diag_error(d, path, 0, 0, "cannot read template: %s", strerror(errno));
			rc = -1;
		} else {
			char *name = xstrndup(names[i], strlen(names[i]) - strlen(".mustache"));
			if (mustache_set_add(t->templates, name, src, len, path, d) < 0)
				rc = -1;
			free(name);
		}
		free(src);
		free(path);
	}
	fs_free_list(names, n);
	free(dir);
	if (rc == 0 && !mustache_set_has(t->templates, "page")) {
		diag_error(d, t->dir, 0, 0, "theme has no templates/page.mustache (the default page template)");
		rc = -1;
	}
	if (rc == 0 && mustache_set_check(t->templates, d) < 0)
		rc = -1;
	return rc;
}

/* site.toml [params] scalars as Sass variables, on one line so the
 * stylesheet's own line numbers shift by exactly one. */
static void sass_params(const struct site *s, struct strbuf *sb)
{
	const struct value *p = s->cfg.params;
	for (size_t i = 0; p && p->type == VALUE_TABLE && i < p->u.t.n; i++) {
		const struct value_kv *kv = &p->u.t.items[i];
		const struct value *v = kv->val;
		switch (v->type) {
		case VALUE_STRING:
			sb_printf(sb, "$%s: %s; ", kv->key, v->u.s.p);
			break;
		case VALUE_INT:
			sb_printf(sb, "$%s: %lld; ", kv->key, (long long)v->u.i);
			break;
		case VALUE_FLOAT:
			sb_printf(sb, "$%s: %g; ", kv->key, v->u.f);
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

static int compile_one(struct theme *t, const struct site *s, const char *sassdir,
		       const char *name, struct diag *d)
{
	char *path = fs_join(sassdir, name);
	char *src = NULL;
	size_t len = 0;
	int rc = -1;
	if (fs_read_file(path, &src, &len) < 0) {
		diag_error(d, path, 0, 0, "cannot read stylesheet: %s", strerror(errno));
		free(path);
		return -1;
	}
	struct strbuf all = STRBUF_INIT;
	sass_params(s, &all);
	sb_put(&all, src, len);
	struct Sass_Data_Context *dc = sass_make_data_context(sass_copy_c_string(all.ptr));
	struct Sass_Context *c = sass_data_context_get_context(dc);
	struct Sass_Options *o = sass_context_get_options(c);
	sass_option_set_include_path(o, sassdir);
	sass_option_set_input_path(o, path);
	sass_option_set_output_style(o, SASS_STYLE_EXPANDED);
	if (sass_compile_data_context(dc) != 0) {
		const char *msg = sass_context_get_error_text(c);
		const char *efile = sass_context_get_error_file(c);
		int line = (int)sass_context_get_error_line(c);
		int col = (int)sass_context_get_error_column(c);
		bool here = !efile || !strcmp(efile, path) || !strcmp(efile, "stdin");
		if (here && line == 1)
			diag_error(d, s->config_file, 0, 0, "in [params] used by %s: %s", path, msg ? msg : "Sass error");
		else
			diag_error(d, here ? path : efile, here ? line - 1 : line, col, "%s", msg ? msg : "Sass error");
	} else {
		struct strbuf out = STRBUF_INIT;
		sb_puts(&out, name);
		sb_truncate(&out, out.size - strlen(".scss"));
		sb_puts(&out, ".css");
		t->css = xrealloc(t->css, (t->ncss + 1) * sizeof(*t->css));
		t->css_text = xrealloc(t->css_text, (t->ncss + 1) * sizeof(*t->css_text));
		t->css[t->ncss] = sb_detach(&out);
		t->css_text[t->ncss++] = xstrdup(sass_context_get_output_string(c));
		rc = 0;
	}
	sass_delete_data_context(dc);
	sb_free(&all);
	free(src);
	free(path);
	return rc;
}

static int compile_sass(struct theme *t, const struct site *s, struct diag *d)
{
	char *dir = fs_join(t->dir, "sass");
	char **names = NULL;
	size_t n = 0;
	int rc = 0;
	if (fs_is_dir(dir) && fs_list_dir(dir, &names, &n) == 0) {
		for (size_t i = 0; i < n; i++)
			if (names[i][0] != '_' && !strcmp(fs_extension(names[i]), ".scss") &&
			    compile_one(t, s, dir, names[i], d) < 0)
				rc = -1;
		fs_free_list(names, n);
	}
	free(dir);
	return rc;
}

int theme_load(struct theme *t, const struct site *s, struct diag *d)
{
	memset(t, 0, sizeof(*t));
	t->templates = mustache_set_new();
	t->dir = find_dir(s);
	if (!t->dir) {
		diag_error(d, s->config_file, 0, 0,
			   "theme '%s' not found in themes/, %s/themes or beside the binary",
			   s->cfg.theme, DOSSIER_DATADIR);
		return -1;
	}
	char *js = fs_join(t->dir, "static/dossier.js");
	t->has_js = fs_exists(js);
	free(js);
	int rc = load_templates(t, d);
	if (compile_sass(t, s, d) < 0)
		rc = -1;
	return rc;
}

static int copy_tree(const char *from, const char *to, struct diag *d)
{
	char **names = NULL;
	size_t n = 0;
	if (fs_list_dir(from, &names, &n) < 0)
		return 0;
	int rc = 0;
	for (size_t i = 0; i < n && rc == 0; i++) {
		char *a = fs_join(from, names[i]), *b = fs_join(to, names[i]);
		if (fs_is_dir(a)) {
			if (fs_mkdir_p(b) < 0) {
				diag_error(d, b, 0, 0, "cannot create folder: %s", strerror(errno));
				rc = -1;
			} else {
				rc = copy_tree(a, b, d);
			}
		} else if (fs_copy_file(a, b) < 0) {
			diag_error(d, b, 0, 0, "cannot copy %s: %s", a, strerror(errno));
			rc = -1;
		}
		free(a);
		free(b);
	}
	fs_free_list(names, n);
	return rc;
}

int theme_write(const struct theme *t, const char *out_dir, struct diag *d)
{
	char *stat = fs_join(t->dir, "static");
	int rc = copy_tree(stat, out_dir, d);
	free(stat);
	for (size_t i = 0; i < t->ncss && rc == 0; i++) {
		char *path = fs_join(out_dir, t->css[i]);
		if (fs_write_file(path, t->css_text[i], strlen(t->css_text[i])) < 0) {
			diag_error(d, path, 0, 0, "cannot write: %s", strerror(errno));
			rc = -1;
		}
		free(path);
	}
	return rc;
}

void theme_free(struct theme *t)
{
	free(t->dir);
	mustache_set_free(t->templates);
	for (size_t i = 0; i < t->ncss; i++) {
		free(t->css[i]);
		free(t->css_text[i]);
	}
	free(t->css);
	free(t->css_text);
	memset(t, 0, sizeof(*t));
}
