/*
 * A site in a temporary folder for the unit tests that need a loaded and
 * linked model (dump, render, data, external, theme): a copy of a fixture
 * (tests/fixtures/NAME, with the project's themes/ beside it) or files
 * written by the test, loaded and linked as `dossier build` does before it
 * renders: config_load, page_load_all, generated_add, link_site,
 * site_check. The unit tests run from the repository root.
 *
 * Included by each test file that uses it (static functions, no state).
 */
#ifndef UNIT_SITE_H
#define UNIT_SITE_H

#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "diag.h"
#include "fsutil.h"
#include "generated.h"
#include "link.h"
#include "content.h"
#include "site.h"
#include "strbuf.h"
#include "xalloc.h"

struct unit_site {
	char *dir; /* the temporary site folder */
	struct site s;
	struct diag d;
};

static inline void unit_sh(const char *dir, const char *cmd)
{
	struct strbuf sb = STRBUF_INIT;
	sb_printf(&sb, "cd '%s' && %s", dir, cmd);
	cr_assert_eq(system(sb.ptr), 0, "%s", sb.ptr);
	sb_free(&sb);
}

/* A new folder holding a copy of fixture `fixture` (NULL: nothing) and
 * the project's themes. */
static inline void unit_site_make(struct unit_site *u, const char *fixture)
{
	char tmpl[] = "/tmp/dossier-unit-site-XXXXXX";
	cr_assert_not_null(mkdtemp(tmpl));
	u->dir = xstrdup(tmpl);
	struct strbuf sb = STRBUF_INIT;
	if (fixture)
		sb_printf(&sb, "cp -R tests/fixtures/%s/. '%s' && ", fixture, u->dir);
	sb_printf(&sb, "cp -R themes '%s/themes'", u->dir);
	cr_assert_eq(system(sb.ptr), 0, "%s", sb.ptr);
	sb_free(&sb);
	site_init(&u->s);
	diag_init(&u->d);
}

/* Writes `text` to `rel` under the site folder. */
static inline void unit_site_write(struct unit_site *u, const char *rel, const char *text)
{
	char *path = fs_join(u->dir, rel);
	cr_assert_eq(fs_mkdir_parent(path), 0);
	cr_assert_eq(fs_write_file(path, text, strlen(text)), 0, "%s", path);
	free(path);
}

/* Loads and links; returns what link_site returns (errors are in u->d). */
static inline int unit_site_load(struct unit_site *u)
{
	char *cfg = fs_join(u->dir, "site.toml");
	char *content = fs_join(u->dir, "content");
	u->s.dir = u->dir;
	u->s.config_file = "site.toml";
	u->s.content_prefix = "";
	int rc = -1;
	if (config_load(&u->s.cfg, cfg, "site.toml", &u->d) == 0 &&
	    page_load_all(&u->s, content, &u->d) == 0) {
		generated_add(&u->s, &u->d);
		rc = link_site(&u->s, &u->d);
		if (rc == 0)
			site_check(&u->s);
	}
	free(cfg);
	free(content);
	return rc;
}

/* Every diagnostic, formatted, one a line (owned). */
static inline char *unit_site_diags(const struct diag *d)
{
	struct strbuf sb = STRBUF_INIT;
	for (size_t i = 0; i < d->n; i++) {
		char *s = NULL;
		diag_format(&d->items[i], &s);
		sb_printf(&sb, "%s\n", s);
		free(s);
	}
	return sb_detach(&sb);
}

static inline void unit_site_free(struct unit_site *u)
{
	site_free(&u->s);
	diag_free(&u->d);
	unit_sh(u->dir, "cd / && rm -rf \"$OLDPWD\"");
	free(u->dir);
}

/* The bytes of `rel` under `dir` (owned, NUL-terminated), or NULL. */
static inline char *unit_read(const char *dir, const char *rel, size_t *len)
{
	char *path = fs_join(dir, rel), *text = NULL;
	size_t n = 0;
	if (fs_read_file(path, &text, &n) < 0)
		text = NULL;
	free(path);
	if (len)
		*len = n;
	return text;
}

#endif
