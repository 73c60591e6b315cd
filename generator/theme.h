/*
 * theme: a theme folder, loaded.
 *
 * Owns finding the theme (themes/<name>/ in the site, else the installed
 * copy), compiling its templates once (each templates/NAME.mustache, named
 * NAME), compiling its stylesheets with libsass (each sass/NAME.scss not starting
 * with '_', with site.toml [params] scalars prepended as Sass variables),
 * and copying static/ into the output. Problems are reported with the
 * template's or stylesheet's file:line:col.
 */
#ifndef DOSSIER_THEME_H
#define DOSSIER_THEME_H

#include "diag.h"
#include "site.h"

struct theme {
	char *dir; /* e.g. "themes/dossier" */
	struct mustache_set *templates;
	char **css;    /* output names of compiled stylesheets, sorted */
	char **css_text;
	size_t ncss;
	bool has_js;   /* static/dossier.js exists */
};

int theme_load(struct theme *t, const struct site *s, struct diag *d);
/* Writes stylesheets and copies static files into out_dir. */
int theme_write(const struct theme *t, const char *out_dir, struct diag *d);
void theme_free(struct theme *t);

#endif
