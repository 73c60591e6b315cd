/*
 * A tiny site for the fuzz targets that need the model: the pages are
 * written to a private temporary folder (under /dev/shm when it exists) and
 * loaded with the real loader, then linked as `dossier build` links them.
 * Only what build_run does before rendering with a theme: config_load,
 * page_load_all, generated_add, link_site, site_check.
 *
 * Included by one target each (static functions, no shared state).
 */
#ifndef FUZZ_SITE_H
#define FUZZ_SITE_H

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config.h"
#include "content.h"
#include "diag.h"
#include "fsutil.h"
#include "generated.h"
#include "link.h"
#include "site.h"
#include "strbuf.h"

static char fuzz_dir[64];

static void fuzz_cleanup(void)
{
	if (fuzz_dir[0])
		fs_rm_rf(fuzz_dir);
}

/* Creates the folder once (removed at exit). */
static const char *fuzz_site_dir(void)
{
	if (!fuzz_dir[0]) {
		snprintf(fuzz_dir, sizeof fuzz_dir, "%s/dossier-fuzz-XXXXXX",
			 access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp");
		if (!mkdtemp(fuzz_dir))
			abort();
		atexit(fuzz_cleanup);
	}
	return fuzz_dir;
}

static void fuzz_write(const char *rel, const char *data, size_t len)
{
	char *path = fs_join(fuzz_site_dir(), rel);
	if (fs_mkdir_parent(path) < 0 || fs_write_file(path, data, len) < 0)
		abort();
	free(path);
}

/* Empties content/ and writes site.toml. */
static void fuzz_reset(bool unsafe, bool link_all)
{
	struct strbuf sb = STRBUF_INIT;
	char *content = fs_join(fuzz_site_dir(), "content");
	fs_rm_rf(content);
	free(content);
	sb_printf(&sb, "title = \"Fuzz\"\n[markdown]\nunsafe = %s\n"
		       "[entities]\nlink = \"%s\"\n[import]\ndrop = [\"^Advertisement$\"]\n",
		  unsafe ? "true" : "false", link_all ? "all" : "first");
	fuzz_write("site.toml", sb.ptr, sb.size);
	sb_free(&sb);
}

/* Loads and links the site written so far; returns -1 if site.toml did not
 * load (a bug in the harness). The site must be freed with site_free. */
static int fuzz_load(struct site *s, struct diag *d)
{
	char *cfg = fs_join(fuzz_site_dir(), "site.toml");
	char *content = fs_join(fuzz_site_dir(), "content");
	int rc = -1;
	site_init(s);
	s->dir = fuzz_site_dir();
	s->config_file = "site.toml";
	s->content_prefix = "";
	if (config_load(&s->cfg, cfg, s->config_file, d) < 0)
		goto out;
	if (!fs_is_dir(content) && fs_mkdir_p(content) < 0)
		goto out;
	if (page_load_all(s, content, d) < 0)
		goto out;
	generated_add(s, d);
	link_site(s, d);
	site_check(s);
	rc = 0;
out:
	free(cfg);
	free(content);
	return rc;
}

#endif
