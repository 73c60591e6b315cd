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
#include "relink.h"
#include "render.h"
#include "site.h"
#include "theme.h"

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
	unsigned jobs;         /* -j: threads; 0 = the processors online */
	bool if_changed;       /* --if-changed: nothing to do when the tree is as recorded (buildcache.h) */
	bool exiting;          /* the process ends after the run: its model need not be freed */
};

struct build_result {
	int pages;
	double seconds;
	bool up_to_date; /* --if-changed found nothing changed: nothing was written */
};

/* Runs a build; diagnostics go to d. Returns 0, or -1 when errors were
 * reported (the previous output is then unchanged). */
int build_run(const struct build_options *o, struct diag *d, struct build_result *r);

#define BUILD_MARK ".dossier-output"

/* --- a model kept between builds (`dossier serve`, issue 13) ---------- */

/* The loaded and linked site of the last full build, kept so that a change
 * to one page's body is relinked (relink.h) and only the outputs that can
 * change are rendered again (update.c). */
struct build_state {
	struct build_options o;
	char *content, *out; /* <dir>/content, the output folder */
	struct site s;       /* valid when `loaded` */
	struct theme t;
	struct link_trace *tr;
	bool loaded;                   /* s and t hold the last full build's model */
	bool usable;                   /* ...which built without errors */
	struct relink_effects pending; /* relinked while errors kept the output */
	bool deferred;                 /* search index, data files, print.html are behind */
	double render_ms;              /* of the last build_state_write, for the log */
	char **error_srcs;             /* pages whose relink reported errors */
	size_t nerror_srcs;
};

struct build_state *build_state_new(const struct build_options *o);
void build_state_free(struct build_state *st);
/* A full build (build_run) that keeps the model in `st`. */
int build_state_full(struct build_state *st, struct diag *d, struct build_result *r);
/* Renders `pages` (with `entities_js` entities.js, with `site_files` also
 * the search index and the data files: render_subset) into a folder beside the output,
 * then moves each file whose bytes differ into the output by rename
 * (readers never see a half-written file). Returns the number of files
 * moved or removed, -2 when site_files->fn stopped it (nothing moved), or
 * -1 after reporting. */
int build_state_write(struct build_state *st, const struct page *const *pages, size_t n,
		      bool entities_js, const struct render_stop *site_files, struct diag *d);
/* After a burst of changes to `changed` (paths as watched; `unknown` when
 * the watcher lost track): relinks and re-renders the changed pages when
 * only the bodies of relinkable pages changed, else builds in full. The
 * outputs that read every page (search index, data files, print.html) are
 * left for a call with `deferred` (and no changes), which the server makes
 * when no change is waiting (*again asks for it); it gives up when
 * deferred->fn says a change came in, and *again asks again. *summary (owned) says what
 * was done, for the server's log line. Returns 0, or -1 when errors were
 * reported (the output is then unchanged). */
int build_state_update(struct build_state *st, const char *const *changed, size_t n,
		       bool unknown, const struct render_stop *deferred, struct diag *d,
		       struct build_result *r, char **summary, bool *again);

#endif
