/*
 * theme: a theme folder, loaded.
 *
 * Owns finding the theme (themes/<name>/ in the site, else the installed
 * copy), compiling its templates once (each templates/NAME.mustache, named
 * NAME), compiling its stylesheets with libsass (each sass/NAME.scss not starting
 * with '_', with site.toml [params] scalars prepended as Sass variables),
 * and copying static/ into the output. Problems are reported with the
 * template's or stylesheet's file:line:col; so are Sass @warn and @debug,
 * as warnings, and anything libsass prints is one warning on the
 * stylesheet: nothing of a theme reaches stderr but through diag.
 *
 * The CSS of all stylesheets together is at most 32 MB (it is held here
 * until theme_write): the stylesheet that would pass it is an error. The
 * files the Sass importer reads and probes in the sandbox's child are
 * reported to fsutil's watcher (fs_seen_elsewhere), so the build cache
 * records an @import-ed partial as an input.
 *
 * Nothing outside the theme folder is read (issue 11): a theme in the
 * site's themes/ must resolve inside the site; templates, stylesheets,
 * Sass imports and static files are read through fs_walk or a check that
 * they resolve inside the theme, so a symbolic link to /etc/passwd or
 * /proc/self/environ is an error naming the link, and the file is neither
 * read nor copied. libsass resolves no import itself: a custom importer
 * finds every @import relative to the importing file or sass/, inside the
 * theme. [params] strings reach Sass as quoted, escaped strings.
 */
#ifndef DOSSIER_THEME_H
#define DOSSIER_THEME_H

#include "diag.h"
#include "site.h"

struct theme {
	char *dir;   /* as opened: the site folder joined with "themes/dossier" */
	char *shown; /* as diagnostics name it: "themes/dossier" (an installed
	                theme: its folder) */
	char *real;  /* its realpath: nothing outside it is read */
	struct mustache_set *templates;
	char **css; /* output names of compiled stylesheets, sorted */
	char **css_text;
	size_t ncss;
	size_t css_bytes; /* of all css_text: at most 32 MB (theme.c's SASS_CSS_MB) */
	bool has_js;      /* static/dossier.js exists */
	/* A template names {{search_index_url}}: search-index.js is written. */
	bool whole_index;
	char **statics;   /* static/ entries to copy, relative, walk order */
	bool *static_dir; /* whether each is a folder */
	size_t nstatics;
};

int theme_load(struct theme *t, const struct site *s, struct diag *d);
/* Writes stylesheets and copies the static files theme_load accepted into
 * out_dir, after the pages and the build's other files: a path written
 * already is an error at the theme's file, not replaced (O_EXCL). */
int theme_write(const struct theme *t, const char *out_dir, struct diag *d);
void theme_free(struct theme *t);

#endif
