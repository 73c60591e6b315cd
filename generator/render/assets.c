/*
 * assets: files copied or written as they are (render/context.h): the
 * content folder's other files, and dossier-root.js.
 */
#include "context.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "context.h"
#include "fsutil.h"

static int copy_assets(const struct site *s, const char *out_dir, const struct out_paths *keep,
		       struct diag *d)
{
	int rc = 0;
	char *cdir = fs_join(s->dir, "content");
	for (size_t i = 0; i < s->nassets; i++) {
		if (out_paths_has(keep, s->assets[i]))
			continue;
		char *from = fs_join(cdir, s->assets[i]);
		char *to = fs_join(out_dir, s->assets[i]);
		if (fs_mkdir_parent(to) < 0 || fs_copy_file(from, to) < 0) {
			diag_error(d, from, 0, 0, "cannot copy asset: %s", strerror(errno));
			rc = -1;
		}
		free(from);
		free(to);
	}
	free(cdir);
	return rc;
}

/* dossier-root.js, at the output root: a script that says where it was
 * loaded from. A 404 page served at an unknown depth (without base_url)
 * finds the site's root by loading it from each parent folder in turn. */
static const char root_probe_js[] =
	"/* Written by dossier: the site root is the folder this script is loaded from. */\n"
	"window.DOSSIER_SITE_ROOT = document.currentScript ?\n"
	"  document.currentScript.src.replace(/[^/]*$/, '') : '';\n";

int render_root_probe(const char *out_dir, struct diag *d)
{
	return write_out(out_dir, "dossier-root.js", root_probe_js, sizeof root_probe_js - 1, d);
}

int render_assets(const struct site *s, const char *out_dir, const struct out_paths *keep,
		  struct diag *d)
{
	return copy_assets(s, out_dir, keep, d);
}
