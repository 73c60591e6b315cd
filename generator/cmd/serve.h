/*
 * serve: the development server behind `dossier serve` (issue 7).
 *
 * Owns one run of the preview loop: the first build, an HTTP server
 * (libmicrohttpd, its own thread) for the files of the output folder, the
 * inotify watches on the sources, and the rebuild after each burst of
 * changes. It does not know how a site is built: the caller passes a build
 * function, which decides what is rebuilt. A failed build keeps the last good
 * output folder in place (the build swaps folders only on success), so the
 * server keeps serving it and shows the errors over the page instead.
 *
 * Invariants: only regular files inside the output folder are served (after
 * percent-decoding; "..", ".", NUL, backslashes and symbolic links are
 * refused); a folder never lists its files, and a file is not answered
 * at its path with a trailing slash (404); only requests whose Host is
 * the bound address or localhost are answered (421 otherwise: DNS
 * rebinding); each client address holds a bounded number of connections
 * and idle ones time out, so slow clients cannot starve the others; during
 * a rebuild a file is looked up in the folder swapped in, never reported
 * missing because of the swap; the reload script is
 * added to HTML responses only, never to the built files. Served pages load
 * /__dossier/live.js, which polls /__dossier/status once a second and
 * reloads when a newer build succeeded.
 *
 * The pure helpers below the run function are exposed for the unit tests.
 */
#ifndef DOSSIER_SERVE_H
#define DOSSIER_SERVE_H

#include <stdbool.h>
#include <stddef.h>

#include "diag.h"

#define SERVE_DEFAULT_PORT 8000

struct serve_options {
	const char *bind;         /* address to listen on; NULL: "127.0.0.1" */
	int port;                 /* 1..65535; 0 lets the system pick a free port */
	const char *out_dir;      /* the folder served */
	const char *const *watch; /* folders (recursively) and files */
	size_t nwatch;
	bool open; /* --open: start $BROWSER (else xdg-open) on the address */
};

/* What changed since the last build: the paths the watcher saw (a watched
 * folder's path joined with the name), and whether it lost track (first
 * build, queue overflow, a folder created, moved or deleted). */
struct serve_changes {
	const char *const *paths;
	size_t n;
	bool unknown;
	bool deferred; /* no change: the call the last build asked for */
	/* For a deferred call: true once a change is waiting (give up). */
	bool (*changed_since)(void *arg);
	void *changed_arg;
};

/* Called to (re)build. Returns 0 on success, else -1 and sets *errors to
 * owned text, one diagnostic per line. On success *errors may hold
 * warnings, which are printed but do not count as a failure. *summary may
 * be set to owned text for the build's log line (what was rebuilt). When
 * it sets *again, it is called once more with `deferred` when no change
 * came for a second (work that can follow the pages, as the search index);
 * that call is logged as "update N: ..." and reloads no page. */
typedef int (*serve_build_fn)(void *arg, const struct serve_changes *ch, char **errors,
			      char **summary, bool *again);

/* Defaults: 127.0.0.1:8000, out_dir "public", watching content/, themes/
 * and site.toml (relative to the current folder). */
void serve_options_init(struct serve_options *o);

/* Builds, serves and rebuilds until SIGINT or SIGTERM, then returns 0.
 * Returns -1 with an error in `d` when the server cannot start (address in
 * use, bad bind address, no inotify). Prints "serving http://ADDR:PORT/
 * (Ctrl-C to stop)" and one line per build on stdout, build errors on
 * stderr. A second Ctrl-C during a long build ends the process. */
int serve_run(const struct serve_options *o, serve_build_fn build, void *arg,
	      struct diag *d);

/* Formats the items of `d` as the build prints them (sorted, one per line),
 * for a build function's *errors. Owned; "" when `d` is empty. */
char *serve_diag_text(struct diag *d);

/* The raw request path (before any decoding, query already removed) to a
 * relative path under the served folder: percent-decoded, empty segments
 * dropped, "" for the root. Returns -1 for anything that must be refused:
 * no leading '/', a bad %-escape, NUL or another control byte, a
 * backslash, a "." or ".." segment (also when spelled %2e or joined by
 * %2f). *dir_slash tells whether the path ended with '/'. */
int serve_path_from_url(const char *url, char **rel, bool *dir_slash);

/* Whether a request's Host header (NULL when absent) names this server:
 * "localhost" or the bound numeric address `bound` ("127.0.0.1", "::1";
 * IPv6 in brackets in the header), with the bound port (which may be left
 * out only when it is 80). When bound to a wildcard (0.0.0.0 or ::), any
 * address literal is accepted too. Any other name is refused: a page
 * whose DNS name is rebound to this machine must not read the preview. */
bool serve_host_allowed(const char *host, const char *bound, unsigned port);

/* The Content-Type for a file name, by extension (case-insensitive);
 * "application/octet-stream" when unknown. */
const char *serve_mime_type(const char *path);

/* A copy of `html` with the reload script tag inserted before the last
 * </body> (any case), or appended when there is none. Owned; *outlen is
 * its length. */
char *serve_inject_script(const char *html, size_t len, unsigned long build,
			  size_t *outlen);

/* The body of /__dossier/status:
 * {"build":N,"ok":true|false,"errors":["line",...]}. Owned. */
char *serve_status_json(unsigned long build, bool ok, const char *errors);

/* The reload script served as /__dossier/live.js (static text). */
extern const char serve_live_js[];

#endif
