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

/* Copied last: a path the build has written by then (a data file, a
 * redirect, a file of the theme or of the search index) or the archive's
 * (written after) is an error, not replaced. Link has refused the pages' paths already (check_output_names). */
static int copy_assets(const struct site *s, const char *out_dir, const struct out_paths *data,
		       struct diag *d)
{
	int rc = 0;
	char *cdir = fs_join(s->dir, "content");
	for (size_t i = 0; i < s->nassets; i++) {
		char *from = fs_join(cdir, s->assets[i]);
		/* The archive comes after this file: not written, refused. */
		bool archive = render_is_archive(s, s->assets[i]);
		int w = archive ? 1 : write_out_new(out_dir, s->assets[i], from, NULL, 0, d);
		if (w == 1) {
			char *file = fs_join("content", s->assets[i]);
			diag_error(d, file, 0, 0, "this file would be published as '%s', replacing %s; rename or move it",
				   s->assets[i],
				   archive                             ? "the archive the build writes (--archive)"
				   : out_paths_has(data, s->assets[i]) ? "a data file the build writes"
								       : "a file the theme, a redirect or the build writes");
			free(file);
		}
		if (w != 0)
			rc = -1;
		free(from);
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

int render_assets(const struct site *s, const char *out_dir, const struct out_paths *data,
		  struct diag *d)
{
	return copy_assets(s, out_dir, data, d);
}
