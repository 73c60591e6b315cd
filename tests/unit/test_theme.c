#include <criterion/criterion.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "link.h"
#include "theme.h"
#include "unit_site.h"

/* A site using theme "mini": one template, one stylesheet with a partial,
 * static files; `extra` (pairs of path and text, NULL-terminated) adds or
 * replaces files. */
static void mini(struct unit_site *u, const char *params, const char *const *extra)
{
	unit_site_make(u, NULL);
	struct strbuf toml = STRBUF_INIT;
	sb_printf(&toml, "title = \"T\"\ntheme = \"mini\"\n[history]\nenabled = false\n[params]\n%s",
		  params ? params : "");
	unit_site_write(u, "site.toml", toml.ptr);
	sb_free(&toml);
	unit_site_write(u, "content/_index.md", "+++\ntitle = \"Home\"\n+++\n");
	unit_site_write(u, "themes/mini/templates/page.mustache", "<title>{{title}}</title>\n");
	unit_site_write(u, "themes/mini/sass/style.scss", "@import \"part\";\nbody { color: $accent; }\n");
	unit_site_write(u, "themes/mini/sass/_part.scss", "$accent: blue !default;\np { margin: 0; }\n");
	unit_site_write(u, "themes/mini/static/b.js", "b();\n");
	unit_site_write(u, "themes/mini/static/img/x.png", "PNG");
	for (; extra && extra[0]; extra += 2)
		unit_site_write(u, extra[0], extra[1]);
	cr_assert_eq(unit_site_load(u), 0);
}

/* Whether one of the diagnostics lines starts with `s`: theme files are
 * named from the site folder ("themes/mini/..."), as content files are,
 * not from wherever the site is. */
static bool has_line(const char *diags, const char *s)
{
	size_t n = strlen(s);
	for (const char *p = diags; p; p = strchr(p, '\n'), p = p ? p + 1 : NULL)
		if (!strncmp(p, s, n))
			return true;
	return false;
}

static char *load_theme(struct unit_site *u, struct theme *t, int want)
{
	int rc = theme_load(t, &u->s, &u->d);
	char *diags = unit_site_diags(&u->d);
	cr_expect_eq(rc, want, "%s", diags);
	return diags;
}

Test(theme, templates_stylesheets_and_static_files)
{
	struct unit_site u;
	struct theme t;
	mini(&u, "accent = \"#c00\"\n", NULL);
	char *diags = load_theme(&u, &t, 0);
	cr_expect_str_eq(diags, "");
	free(diags);
	cr_expect_str_eq(t.dir + strlen(t.dir) - strlen("themes/mini"), "themes/mini");
	cr_assert_eq(t.ncss, 1, "partials starting with '_' are not outputs");
	cr_expect_str_eq(t.css[0], "style.css");
	/* The [params] value overrides the !default, as a quoted string. */
	cr_expect(strstr(t.css_text[0], "color: \"#c00\""), "%s", t.css_text[0]);
	cr_expect(strstr(t.css_text[0], "p {"), "the partial is imported: %s", t.css_text[0]);
	cr_expect(!t.has_js);
	cr_assert_eq(t.nstatics, 3);
	cr_expect_str_eq(t.statics[0], "b.js");
	cr_expect_str_eq(t.statics[1], "img");
	cr_expect(t.static_dir[1]);
	cr_expect_str_eq(t.statics[2], "img/x.png");
	char *out = fs_join(u.dir, "out");
	cr_assert_eq(fs_mkdir_p(out), 0);
	cr_assert_eq(theme_write(&t, out, &u.d), 0);
	char *css = unit_read(out, "style.css", NULL), *png = unit_read(out, "img/x.png", NULL);
	cr_expect_str_eq(css, t.css_text[0]);
	cr_expect_str_eq(png, "PNG");
	free(css);
	free(png);
	free(out);
	theme_free(&t);
	unit_site_free(&u);
}

Test(theme, params_cannot_inject_sass)
{
	struct unit_site u;
	struct theme t;
	mini(&u, "accent = \"red; } body { background: url(x) \"\n", NULL);
	char *diags = load_theme(&u, &t, 0);
	free(diags);
	cr_assert_eq(t.ncss, 1);
	/* The value stays one quoted string: two rules (p, body), not three. */
	cr_expect(strstr(t.css_text[0], "color: \"red; } body { background: url(x) \";"), "%s", t.css_text[0]);
	size_t rules = 0;
	for (const char *c = t.css_text[0]; (c = strstr(c, " {\n")); c++)
		rules++;
	cr_expect_eq(rules, 2, "a rule was injected: %s", t.css_text[0]);
	theme_free(&t);
	unit_site_free(&u);
}

Test(theme, a_template_error_points_at_its_line)
{
	static const char *const extra[] = { "themes/mini/templates/list.mustache", "ok\n{{#items}}\n{{/other}}\n", NULL };
	struct unit_site u;
	struct theme t;
	mini(&u, NULL, extra);
	char *diags = load_theme(&u, &t, -1);
	cr_expect(has_line(diags, "themes/mini/templates/list.mustache:3:1: error: "), "%s", diags);
	free(diags);
	theme_free(&t);
	unit_site_free(&u);
}

Test(theme, nothing_outside_the_theme_is_read)
{
	static const char *const extra[] = { "themes/mini/sass/leak.scss", "@import \"../../../../../../etc/passwd\";\n",
					     NULL };
	struct unit_site u;
	struct theme t;
	mini(&u, NULL, extra);
	unit_sh(u.dir, "ln -s /etc/passwd themes/mini/static/passwd && ln -s /etc/hostname themes/mini/templates/x.mustache");
	char *diags = load_theme(&u, &t, -1);
	cr_expect(has_line(diags, "themes/mini/static/passwd: error: symbolic link leads outside the theme; not read\n"),
		  "%s", diags);
	cr_expect(has_line(diags, "themes/mini/templates/x.mustache: error: symbolic link leads outside the theme; "
				  "not read\n"),
		  "%s", diags);
	cr_expect(has_line(diags, "themes/mini/sass/leak.scss:1:9: error: @import \"../../../../../../etc/passwd\" "
				  "leads outside the theme; not read\n"),
		  "the import is refused: %s", diags);
	cr_expect(!strstr(diags, "root:"), "no byte of /etc/passwd in a message: %s", diags);
	for (size_t i = 0; i < t.nstatics; i++)
		cr_expect_str_neq(t.statics[i], "passwd");
	free(diags);
	theme_free(&t);
	unit_site_free(&u);
}

/* The folder static/ itself a link out of the theme: one error naming it,
 * as a link inside it gets, and nothing listed (the build used to copy
 * through it and fail at the first file, naming the output folder). */
Test(theme, a_static_folder_leading_outside_is_not_read)
{
	struct unit_site u;
	struct theme t;
	mini(&u, NULL, NULL);
	unit_sh(u.dir, "mkdir ../outside-static-$$ && echo secret >../outside-static-$$/a.txt && "
		       "rm -r themes/mini/static && ln -s \"$(cd .. && pwd)/outside-static-$$\" themes/mini/static");
	char *diags = load_theme(&u, &t, -1);
	cr_expect_str_eq(diags, "themes/mini/static: error: symbolic link leads outside the theme; not read\n");
	cr_expect_eq(t.nstatics, 0);
	free(diags);
	theme_free(&t);
	unit_sh(u.dir, "rm -rf ../outside-static-*");
	unit_site_free(&u);
}

/* A static file's name becomes an output path and an href: it must be
 * UTF-8 without control characters, as a name under content/ must. */
Test(theme, static_names_must_be_utf8_without_control_characters)
{
	struct unit_site u;
	struct theme t;
	mini(&u, NULL, NULL);
	unit_sh(u.dir, "cd themes/mini/static && echo y >\"bad$(printf '\\377').txt\" && "
		       "echo y >\"$(printf 'a\\nb.txt')\" && mkdir \"d$(printf '\\t')\" && echo y >\"d$(printf '\\t')/in.txt\"");
	char *diags = load_theme(&u, &t, -1);
	cr_expect(has_line(diags, "themes/mini/static/bad\\xff.txt: error: file name is not valid UTF-8; rename it\n"),
		  "%s", diags);
	cr_expect(has_line(diags, "themes/mini/static/a\\nb.txt: error: file name holds a control character; rename it\n"),
		  "%s", diags);
	cr_expect(has_line(diags, "themes/mini/static/d\\t: error: file name holds a control character; rename it\n"),
		  "%s", diags);
	cr_expect(!strstr(diags, "in.txt"), "a refused folder is not walked: %s", diags);
	cr_expect_eq(t.nstatics, 3, "only b.js, img and img/x.png are listed");
	free(diags);
	theme_free(&t);
	unit_site_free(&u);
}

/* A static file at a page's path, or one differing from a page's, a
 * content file's or another static file's only in letter case, or at a
 * name the build keeps: errors at the theme's file (content/'s file is
 * blamed over the theme's), found before render, so by check too. */
Test(theme, static_files_may_not_take_the_names_of_pages_or_files)
{
	static const char *const extra[] = { "themes/mini/static/index.html", "theme home\n",
					     "themes/mini/static/Index.html", "theme home\n",
					     "themes/mini/static/B.js", "B();\n",
					     "themes/mini/static/site.zip", "zip\n",
					     "content/img/x.png", "content PNG",
					     NULL };
	struct unit_site u;
	struct theme t;
	mini(&u, NULL, extra);
	char *diags = load_theme(&u, &t, 0);
	free(diags);
	static const char *const reserved[] = { ".dossier-output", "site.zip", NULL };
	link_check_theme(&u.s, &t, reserved, &u.d);
	diags = unit_site_diags(&u.d);
	cr_expect(has_line(diags, "themes/mini/static/index.html: error: this file would be published as 'index.html', "
				  "replacing the page of content/_index.md; rename or move it\n"),
		  "%s", diags);
	cr_expect(has_line(diags, "themes/mini/static/Index.html: error: published as 'Index.html', which differs from "
				  "'index.html' (content/_index.md) only in letter case or Unicode normalization: "),
		  "%s", diags);
	cr_expect(has_line(diags, "themes/mini/static/b.js: error: published as 'b.js', which differs from 'B.js' "
				  "(themes/mini/static/B.js) only in letter case"),
		  "%s", diags);
	cr_expect(has_line(diags, "content/img/x.png: error: this file would be published as 'img/x.png', replacing "
				  "themes/mini/static/img/x.png; rename or move it\n"),
		  "%s", diags);
	cr_expect(has_line(diags, "themes/mini/static/site.zip: error: 'site.zip' is a name the build keeps for a file "
				  "of its own in the output folder; rename it\n"),
		  "%s", diags);
	cr_expect_eq(u.d.errors, 5, "%s", diags);
	free(diags);
	theme_free(&t);
	unit_site_free(&u);
}

/* Written after the build's files, a static file at one of their paths
 * (atom.xml, data/, search/: no page) is an error at the theme's file,
 * and the build's file stays. */
Test(theme, static_files_do_not_replace_the_build_files)
{
	static const char *const extra[] = { "themes/mini/static/atom.xml", "theme feed\n", NULL };
	struct unit_site u;
	struct theme t;
	mini(&u, NULL, extra);
	char *diags = load_theme(&u, &t, 0);
	free(diags);
	char *out = fs_join(u.dir, "out");
	unit_sh(u.dir, "mkdir out && echo feed >out/atom.xml");
	cr_expect_eq(theme_write(&t, out, &u.d), -1);
	diags = unit_site_diags(&u.d);
	cr_expect_str_eq(diags, "themes/mini/static/atom.xml: error: this file would be published as 'atom.xml', "
				"replacing a file the build writes; rename or move it\n");
	char *feed = unit_read(out, "atom.xml", NULL), *png = unit_read(out, "img/x.png", NULL);
	cr_expect_str_eq(feed, "feed\n");
	cr_expect_str_eq(png, "PNG", "the other files are written");
	free(feed);
	free(png);
	free(diags);
	free(out);
	theme_free(&t);
	unit_site_free(&u);
}

/* Hidden files of static/ are host configuration a theme ships: published
 * (they were left out without a word); the names the build keeps for
 * itself are errors. */
Test(theme, hidden_static_files_are_published_but_not_the_build_names)
{
	static const char *const extra[] = { "themes/mini/static/.nojekyll", "",
					     "themes/mini/static/.well-known/security.txt", "Contact: x@example.org\n",
					     "themes/mini/static/.dossier-cache", "forged\n",
					     NULL };
	struct unit_site u;
	struct theme t;
	mini(&u, NULL, extra);
	char *diags = load_theme(&u, &t, 0);
	free(diags);
	static const char *const reserved[] = { ".dossier-output", ".dossier-cache", NULL };
	link_check_theme(&u.s, &t, reserved, &u.d);
	diags = unit_site_diags(&u.d);
	cr_expect_str_eq(diags, "themes/mini/static/.dossier-cache: error: '.dossier-cache' is a name the build keeps "
				"for a file of its own in the output folder; rename it\n");
	free(diags);
	char *out = fs_join(u.dir, "out");
	cr_assert_eq(fs_mkdir_p(out), 0);
	cr_expect_eq(theme_write(&t, out, &u.d), 0);
	char *txt = unit_read(out, ".well-known/security.txt", NULL), *nj = unit_read(out, ".nojekyll", NULL);
	cr_expect_str_eq(txt, "Contact: x@example.org\n");
	cr_expect_str_eq(nj, "");
	free(txt);
	free(nj);
	free(out);
	theme_free(&t);
	unit_site_free(&u);
}

Test(theme, a_theme_needs_a_page_template)
{
	struct unit_site u;
	struct theme t;
	mini(&u, NULL, NULL);
	unit_sh(u.dir, "rm themes/mini/templates/page.mustache && printf x >themes/mini/templates/home.mustache");
	char *diags = load_theme(&u, &t, -1);
	cr_expect(has_line(diags, "themes/mini: error: theme has no templates/page.mustache (the default page "
				  "template)\n"),
		  "%s", diags);
	free(diags);
	theme_free(&t);
	unit_site_free(&u);
}

Test(theme, a_missing_theme_is_named)
{
	struct unit_site u;
	struct theme t;
	mini(&u, NULL, NULL);
	unit_sh(u.dir, "rm -r themes/mini");
	char *diags = load_theme(&u, &t, -1);
	/* At the key's value, as every other key error of site.toml is. */
	cr_expect(strstr(diags, "site.toml:2:9: error: theme 'mini' not found in themes/, "), "%s", diags);
	free(diags);
	theme_free(&t);
	unit_site_free(&u);
}

/* @warn and @debug (which libsass printed raw on the build's stderr,
 * where a newline forged a diagnostic line) are warnings at their line,
 * counted in the stylesheet's own lines, escaped by diag. */
Test(theme, sass_warn_and_debug_are_warnings_at_their_line)
{
	static const char *const extra[] = {
		"themes/mini/sass/style.scss",
		".a { b: c; }\n@warn \"x\\a site.toml:1:1: error: forged \\1b[31m\";\n  @debug \"y\";\n", NULL
	};
	struct unit_site u;
	struct theme t;
	mini(&u, "accent = \"#c00\"\n", extra);
	char *diags = load_theme(&u, &t, 0);
	cr_expect(has_line(diags, "themes/mini/sass/style.scss:2:7: warning: @warn: x\\nsite.toml:1:1: error: forged "
				  "\\x1b[31m\n"),
		  "%s", diags);
	cr_expect(has_line(diags, "themes/mini/sass/style.scss:3:10: warning: @debug: y\n"), "%s", diags);
	cr_expect(!has_line(diags, "site.toml:1:1"), "%s", diags);
	cr_expect_eq(u.d.warnings, 2, "%s", diags);
	cr_assert_eq(t.ncss, 1);
	free(diags);
	theme_free(&t);
	unit_site_free(&u);
}

/* What libsass prints itself (a deprecation warning, which has no hook)
 * is one escaped warning on the stylesheet, not the terminal's. */
Test(theme, what_libsass_prints_is_one_escaped_warning)
{
	static const char *const extra[] = { "themes/mini/sass/style.scss", ".a { b: call(\"nth\", 1 2, 1); }\n",
					     NULL };
	struct unit_site u;
	struct theme t;
	mini(&u, NULL, extra);
	char *diags = load_theme(&u, &t, 0);
	cr_expect(has_line(diags, "themes/mini/sass/style.scss: warning: the Sass compiler printed: DEPRECATION "
				  "WARNING: Passing a string to call() is deprecated and will be illegal\\nin Sass 4.0."),
		  "%s", diags);
	cr_expect_eq(u.d.warnings, 1, "%s", diags);
	free(diags);
	theme_free(&t);
	unit_site_free(&u);
}

struct seen_list {
	struct strbuf sb; /* "kind path\n" of each observation */
};

static void note_seen(void *arg, enum fs_seen what, const char *path, const char *data, size_t len)
{
	struct seen_list *l = arg;
	char *text = data ? xstrndup(data, len) : NULL;
	sb_printf(&l->sb, "%d %s %s\n", (int)what, path, text && strstr(text, "!default") ? "partial" : "");
	free(text);
}

/* The partial is read by the importer in the Sass sandbox's child: the
 * watcher (the build cache's record of inputs) hears of it as if it had
 * been read here, with its bytes, and of the candidates probed. */
Test(theme, an_imported_partial_is_seen_by_the_watcher)
{
	struct unit_site u;
	struct theme t;
	struct seen_list l = { STRBUF_INIT };
	mini(&u, NULL, NULL);
	fs_watch(note_seen, &l);
	char *diags = load_theme(&u, &t, 0);
	fs_watch(NULL, NULL);
	char *want = NULL;
	struct strbuf sb = STRBUF_INIT;
	sb_printf(&sb, "%d %s/themes/mini/sass/_part.scss partial\n", (int)FS_SEEN_FILE_WITHIN, u.dir);
	want = sb_detach(&sb);
	cr_expect(strstr(l.sb.ptr, want), "%s", l.sb.ptr);
	sb_printf(&sb, "%d %s/themes/mini/sass/part.scss \n", (int)FS_SEEN_IS_FILE, u.dir);
	cr_expect(strstr(l.sb.ptr, sb.ptr), "the probe of part.scss: %s", l.sb.ptr);
	sb_free(&sb);
	free(want);
	sb_free(&l.sb);
	free(diags);
	theme_free(&t);
	unit_site_free(&u);
}

/* The CSS of all stylesheets is bounded (the build holds it): over 32 MB
 * is an error on the stylesheet that crosses it, the others are kept. */
Test(theme, the_css_of_all_stylesheets_is_bounded)
{
	static const char *const extra[] = {
		"themes/mini/sass/a.scss", "$s: \"a\";\n@for $i from 1 through 22 { $s: $s + $s; }\n.x { a: $s; b: $s; c: $s; d: $s; e: $s; }\n",
		"themes/mini/sass/b.scss", "$s: \"a\";\n@for $i from 1 through 22 { $s: $s + $s; }\n.x { a: $s; b: $s; c: $s; }\n",
		NULL
	};
	struct unit_site u;
	struct theme t;
	mini(&u, NULL, extra);
	char *diags = load_theme(&u, &t, -1);
	cr_expect(has_line(diags, "themes/mini/sass/b.scss: error: its CSS (12.0 MB) would take the theme's CSS past 32 MB "
				  "in all (20.0 MB before it); the stylesheet is not used\n"),
		  "%s", diags);
	cr_expect_eq(u.d.errors, 1, "%s", diags);
	cr_assert_eq(t.ncss, 2);
	cr_expect_str_eq(t.css[0], "a.css");
	cr_expect_str_eq(t.css[1], "style.css");
	cr_expect_leq(t.css_bytes, (size_t)32 << 20);
	free(diags);
	theme_free(&t);
	unit_site_free(&u);
}
