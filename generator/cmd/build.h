/*
 * build: the three phases, and the output folder's life.
 *
 * Owns a run: load (site.toml, content/, git history, theme), link, and
 * render into a temporary folder beside the output, swapped in only when
 * the whole run succeeded, so a failed build leaves the previous output
 * untouched. Output folders carry a mark file; a folder without it that is
 * not empty is never replaced (so `-o ~` cannot destroy anything).
 */
#ifndef DOSSIER_BUILD_H
#define DOSSIER_BUILD_H

#include <stdbool.h>

#include "diag.h"

struct build_options {
	const char *dir;      /* site folder (-C), default "." */
	const char *out;      /* output folder (-o), default "<dir>/public" */
	const char *config;   /* --config, default "<dir>/site.toml" */
	const char *base_url; /* --base-url override, or NULL */
	bool drafts;
	int verbose;           /* -v: say what is done */
	bool quiet;            /* -q: no summary */
	bool check;            /* validate only, write nothing */
	bool external;         /* --external: check http(s) links over the network */
	long external_timeout; /* seconds per request; 0 = 10 */
	const char *archive;   /* --archive NAME.zip: also zip the site into OUT/NAME.zip */
	bool dump_model;       /* --dump-model: print the linked model as JSON (dump.h), write nothing */
};

struct build_result {
	int pages;
	double seconds;
};

/* Runs a build; diagnostics go to d. Returns 0, or -1 when errors were
 * reported (the previous output is then unchanged). */
int build_run(const struct build_options *o, struct diag *d, struct build_result *r);

#define BUILD_MARK ".dossier-output"

#endif
