#include "build.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "archive.h"
#include "buildcache.h"
#include "clock.h"
#include "config.h"
#include "content.h"
#include "dump.h"
#include "external.h"
#include "fsutil.h"
#include "generated.h"
#include "link.h"
#include "pagehistory.h"
#include "relink.h"
#include "render.h"
#include "site.h"
#include "strbuf.h"
#include "theme.h"
#include "workq.h"
#include "xalloc.h"

/* Built with AddressSanitizer (gcc's macro, or clang's feature test):
 * its leak checker wants everything freed. */
#if defined(__SANITIZE_ADDRESS__)
#define LEAK_CHECKED 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define LEAK_CHECKED 1
#endif
#endif

/* A progress line on a terminal for a build that takes more than a second
 * (DOSSIER_PROGRESS_AFTER seconds, for the tests): the current phase on
 * standard error, rewritten in place by a small thread and cleared when the
 * build ends, so it never mixes with the diagnostics printed after it. */
struct progress {
	pthread_mutex_t lock;
	pthread_cond_t wake;
	pthread_t thread;
	const char *phase;
	double after;
	bool running, done, shown;
};

static void *progress_loop(void *arg)
{
	struct progress *pg = arg;
	double start = clock_wall();
	const char *last = NULL;
	pthread_mutex_lock(&pg->lock);
	while (!pg->done) {
		if (clock_wall() - start >= pg->after && pg->phase != last) {
			last = pg->phase;
			fprintf(stderr, "\r\033[Kdossier: %s...", last);
			fflush(stderr);
			pg->shown = true;
		}
		struct timespec ts;
		clock_gettime(CLOCK_REALTIME, &ts);
		ts.tv_nsec += 200000000L;
		if (ts.tv_nsec >= 1000000000L) {
			ts.tv_sec++;
			ts.tv_nsec -= 1000000000L;
		}
		pthread_cond_timedwait(&pg->wake, &pg->lock, &ts);
	}
	if (pg->shown) {
		fputs("\r\033[K", stderr);
		fflush(stderr);
	}
	pthread_mutex_unlock(&pg->lock);
	return NULL;
}

static void progress_start(struct progress *pg, const struct build_options *o)
{
	memset(pg, 0, sizeof *pg);
	const char *after = getenv("DOSSIER_PROGRESS_AFTER");
	pg->after = after && *after ? atof(after) : 1.0;
	if (o->quiet || o->verbose || !isatty(STDERR_FILENO))
		return;
	pthread_mutex_init(&pg->lock, NULL);
	pthread_cond_init(&pg->wake, NULL);
	pg->phase = "reading the configuration";
	pg->running = pthread_create(&pg->thread, NULL, progress_loop, pg) == 0;
}

static void progress_set(struct progress *pg, const char *phase)
{
	if (!pg->running)
		return;
	pthread_mutex_lock(&pg->lock);
	pg->phase = phase;
	pthread_mutex_unlock(&pg->lock);
}

static void progress_stop(struct progress *pg)
{
	if (!pg->running)
		return;
	pthread_mutex_lock(&pg->lock);
	pg->done = true;
	pthread_cond_signal(&pg->wake);
	pthread_mutex_unlock(&pg->lock);
	pthread_join(pg->thread, NULL);
	pthread_cond_destroy(&pg->wake);
	pthread_mutex_destroy(&pg->lock);
	pg->running = false;
}

/* Resident memory in MB (Linux /proc; 0 elsewhere). */
static long resident_mb(void)
{
	long pages = 0, rss = 0;
	FILE *f = fopen("/proc/self/statm", "r");
	if (f) {
		if (fscanf(f, "%ld %ld", &pages, &rss) != 2)
			rss = 0;
		fclose(f);
	}
	return rss * (sysconf(_SC_PAGESIZE) / 1024) / 1024;
}

/* -v: what is done, after the seconds since the build started, the CPU
 * seconds spent by then (on every thread: the ratio of the two deltas
 * between lines is how many cores a phase kept busy) and the memory
 * resident then. */
static double say_t0, say_cpu0;
static void say(const struct build_options *o, const char *fmt, const char *arg)
{
	if (o->verbose) {
		fprintf(stderr, "%6.2f s %6.2f cpu %5ld MB  ", clock_wall() - say_t0, clock_cpu() - say_cpu0,
			resident_mb());
		fprintf(stderr, fmt, arg);
		fputc('\n', stderr);
	}
}

/* An existing output folder may be replaced only if we made it (it holds
 * our mark) or it is empty. */
static int check_out(const char *out, struct diag *d)
{
	struct stat st;
	if (lstat(out, &st) < 0) {
		if (errno == ENOENT)
			return 0;
		diag_error(d, out, 0, 0, "cannot inspect the output folder: %s", strerror(errno));
		return -1;
	}
	if (!S_ISDIR(st.st_mode)) {
		diag_error(d, out, 0, 0, "output path exists and is not a folder; refusing to replace it");
		return -1;
	}
	char *mark = fs_join(out, BUILD_MARK);
	bool ours = lstat(mark, &st) == 0 && S_ISREG(st.st_mode);
	free(mark);
	if (ours)
		return 0;
	char **names = NULL;
	size_t n = 0;
	if (fs_list_dir(out, &names, &n) < 0) {
		diag_error(d, out, 0, 0, "cannot list the output folder: %s", strerror(errno));
		return -1;
	}
	fs_free_list(names, n);
	if (n == 0)
		return 0;
	diag_error(d, out, 0, 0,
		   "output folder exists and was not made by dossier (no %s file); refusing to replace it",
		   BUILD_MARK);
	return -1;
}

/* What the output folder must keep clear of. */
struct source {
	const char *what;  /* as named in the error */
	char *real;        /* canonical path */
	bool may_hold_out; /* the output may sit inside it (site folder, repository) */
};

/* The repository holding `dir` (canonical): the nearest folder with .git. */
static char *repo_root(const char *dir)
{
	char *p = xstrdup(dir);
	for (;;) {
		char *git = fs_join(p, ".git");
		bool found = fs_exists(git);
		free(git);
		if (found)
			return p;
		char *slash = strrchr(p, '/');
		if (!slash || slash == p) {
			free(p);
			return NULL;
		}
		*slash = '\0';
	}
}

/* `path` made absolute without resolving links, split into its
 * components ("." and empty ones left out; ".." kept). */
static size_t components(const char *path, char ***out)
{
	char *abs = NULL;
	if (path[0] == '/') {
		abs = xstrdup(path);
	} else {
		char *cwd = getcwd(NULL, 0);
		abs = cwd ? fs_join(cwd, path) : xstrdup(path);
		free(cwd);
	}
	char **v = NULL;
	size_t n = 0, cap = 0;
	for (char *save = NULL, *c = strtok_r(abs, "/", &save); c; c = strtok_r(NULL, "/", &save)) {
		if (!strcmp(c, "."))
			continue;
		v = xgrow(v, &cap, n + 1, sizeof(*v));
		v[n++] = xstrdup(c);
	}
	free(abs);
	*out = v;
	return n;
}

/* The output folder as written below the site folder (the default
 * DIR/public, or -o DIR/x) is in the pull request's tree: a symbolic link
 * there (`public` committed as a link to ../www) would send the build to
 * replace whatever it points to, outside the site. Each component below
 * the site folder is looked at, not followed. */
static int check_output_links(const char *dir, const char *out, struct diag *d)
{
	char **dv = NULL, **ov = NULL;
	size_t nd = components(dir, &dv), no = components(out, &ov), k = 0;
	while (k < nd && k < no && !strcmp(dv[k], ov[k]))
		k++;
	int rc = 0;
	if (k == nd) {
		struct strbuf path = STRBUF_INIT;
		for (size_t i = 0; i < nd; i++)
			sb_printf(&path, "/%s", dv[i]);
		for (size_t i = k; i < no && rc == 0 && strcmp(ov[i], ".."); i++) {
			sb_printf(&path, "/%s", ov[i]);
			struct stat st;
			if (lstat(path.ptr, &st) < 0)
				break; /* not there yet: made by the build */
			if (S_ISLNK(st.st_mode)) {
				diag_error(d, out, 0, 0,
					   "the path of the output folder goes through a symbolic link inside the site (%s); "
					   "refusing to follow it: remove the link, or give -o a folder outside the site",
					   path.ptr);
				rc = -1;
			}
		}
		sb_free(&path);
	}
	for (size_t i = 0; i < nd; i++)
		free(dv[i]);
	for (size_t i = 0; i < no; i++)
		free(ov[i]);
	free(dv);
	free(ov);
	return rc;
}

/* The output folder never contains, equals or sits inside the site's
 * sources, whatever marks are there: compared as canonical paths, so no
 * spelling of -o (".", "..", a symlink) gets round it. */
static int check_conflicts(const struct build_options *o, const char *cfg, const struct theme *t,
			   const char *out, struct diag *d)
{
	const char *dir = o->dir ? o->dir : ".";
	char *rout = fs_realpath_any(out);
	char *rdir = fs_realpath_any(dir);
	if (!rout || !rdir) {
		diag_error(d, rout ? dir : out, 0, 0, "cannot resolve the path: %s", strerror(errno));
		free(rout);
		free(rdir);
		return -1;
	}
	struct source src[7];
	size_t n = 0;
	char *content = fs_join(rdir, "content"), *themes = fs_join(rdir, "themes");
	char *repo = repo_root(rdir);
	if (repo) {
		char *git = fs_join(repo, ".git");
		src[n++] = (struct source){ "repository", repo, true };
		src[n++] = (struct source){ "repository's .git", fs_realpath_any(git), false };
		free(git);
	}
	src[n++] = (struct source){ "site folder", xstrdup(rdir), true };
	src[n++] = (struct source){ "content folder", fs_realpath_any(content), false };
	src[n++] = (struct source){ "themes folder", fs_realpath_any(themes), false };
	src[n++] = (struct source){ "configuration file", fs_realpath_any(cfg), false };
	if (t->dir)
		src[n++] = (struct source){ "theme folder", fs_realpath_any(t->dir), false };
	free(content);
	free(themes);
	int rc = 0;
	for (size_t i = 0; i < n && rc == 0; i++) {
		const char *r = src[i].real;
		if (!r)
			continue;
		const char *how = NULL;
		if (!strcmp(rout, r))
			how = "is";
		else if (fs_path_within(r, rout))
			how = "contains";
		else if (!src[i].may_hold_out && fs_path_within(rout, r))
			how = "is inside";
		if (how) {
			diag_error(d, out, 0, 0, "output folder %s the %s (%s); refusing to write there",
				   how, src[i].what, r);
			rc = -1;
		}
	}
	for (size_t i = 0; i < n; i++)
		free(src[i].real);
	free(rout);
	free(rdir);
	/* After the sources: a link to content/ is named as that conflict. */
	if (rc == 0 && check_output_links(dir, out, d) < 0)
		rc = -1;
	return rc;
}

/* "<out>.tmp-XXXXXX" and "<out>.old-XXXXXX": a build's own folders. */
static bool leftover_name(const char *name, const char *base)
{
	size_t n = strlen(base);
	if (strncmp(name, base, n) || (strncmp(name + n, ".tmp-", 5) && strncmp(name + n, ".old-", 5)))
		return false;
	const char *x = name + n + 5;
	size_t k = 0;
	for (; x[k]; k++)
		if (!((x[k] >= 'a' && x[k] <= 'z') || (x[k] >= 'A' && x[k] <= 'Z') ||
		      (x[k] >= '0' && x[k] <= '9')))
			return false;
	return k == 6;
}

/* Removes what interrupted builds left beside `out` (under the lock, so
 * never a running build's folder): folders with our name that hold our
 * mark or nothing. Anything else with such a name is left alone. */
static int clean_leftovers(const char *parent, const char *base, struct diag *d)
{
	char **names = NULL;
	size_t n = 0;
	if (fs_list_dir(parent, &names, &n) < 0) {
		diag_error(d, parent, 0, 0, "cannot list the folder of the output: %s", strerror(errno));
		return -1;
	}
	int rc = 0;
	for (size_t i = 0; i < n; i++) {
		if (!leftover_name(names[i], base))
			continue;
		char *path = fs_join(parent, names[i]);
		struct stat st;
		char *mark = fs_join(path, BUILD_MARK);
		char **sub = NULL;
		size_t nsub = 0;
		bool ours = lstat(path, &st) == 0 && S_ISDIR(st.st_mode) &&
			    ((lstat(mark, &st) == 0 && S_ISREG(st.st_mode)) ||
			     (fs_list_dir(path, &sub, &nsub) == 0 && nsub == 0));
		fs_free_list(sub, nsub);
		if (ours && fs_rm_rf(path) < 0) {
			diag_error(d, path, 0, 0, "cannot remove what an interrupted build left: %s",
				   strerror(errno));
			rc = -1;
		}
		free(mark);
		free(path);
	}
	fs_free_list(names, n);
	return rc;
}

static void remove_tree(const char *path, struct diag *d)
{
	if (fs_rm_rf(path) < 0)
		diag_error(d, path, 0, 0, "cannot remove the temporary folder: %s", strerror(errno));
}

/* Renders into "<out>.tmp-XXXXXX", makes it durable, and swaps it in,
 * holding a lock on the output's folder throughout, so builds into one
 * output serialise (and leftovers are never a running build's). */
static int write_output(const struct build_options *o, const struct site *s, const struct theme *t,
			const char *out, struct buildcache *cache, struct diag *d, int *pages)
{
	char *tmp = NULL, *rout = fs_realpath_any(out);
	struct strbuf prefix = STRBUF_INIT, old = STRBUF_INIT;
	struct fs_lock lock = { -1, false };
	int rc = -1;
	*pages = -1;
	if (!rout) {
		diag_error(d, out, 0, 0, "cannot resolve the path: %s", strerror(errno));
		goto done;
	}
	/* Work on the canonical path: the folder beside which the temporary
	 * output, the lock and leftovers live is then unambiguous. */
	char *slash = strrchr(rout, '/');
	if (!slash[1]) {
		diag_error(d, out, 0, 0, "the output folder cannot be the root folder");
		goto done;
	}
	char *parent = slash == rout ? xstrdup("/") : xstrndup(rout, (size_t)(slash - rout));
	const char *base = slash + 1;
	if (fs_mkdir_p(parent) < 0) {
		diag_error(d, parent, 0, 0, "cannot create the folder of the output: %s", strerror(errno));
		free(parent);
		goto done;
	}
	/* Builds writing beside each other serialise on the folder that
	 * holds their outputs. */
	if (fs_lock_dir(parent, &lock) < 0) {
		diag_error(d, parent, 0, 0, "cannot lock the folder of the output: %s", strerror(errno));
		free(parent);
		goto done;
	}
	if (lock.waited && o->verbose)
		fprintf(stderr, "waited for another build writing beside %s\n", out);
	int lrc = clean_leftovers(parent, base, d);
	if (lrc < 0 || check_out(rout, d) < 0) {
		free(parent);
		goto done;
	}
	sb_printf(&prefix, "%s.tmp-", rout);
	if (fs_mkdtemp(prefix.ptr, &tmp) < 0) {
		diag_error(d, tmp, 0, 0, "cannot create the temporary output folder: %s", strerror(errno));
		free(tmp);
		tmp = NULL;
		free(parent);
		goto done;
	}
	char *mark = fs_join(tmp, BUILD_MARK);
	if (fs_write_file(mark, "dossier output folder; safe to delete\n", 38) < 0) {
		diag_error(d, mark, 0, 0, "cannot write: %s", strerror(errno));
		free(mark);
		goto fail;
	}
	free(mark);
	*pages = render_site(s, t, tmp, d);
	if (*pages < 0 || d->errors)
		goto fail;
	if (cache && buildcache_write(cache, tmp, d, *pages) < 0)
		diag_warning(d, tmp, 0, 0, "cannot record the build for --if-changed: %s", strerror(errno));
	/* Durable before visible: every file and folder reaches the disk
	 * before the new tree takes the output's name. */
	char *failed = NULL;
	if (fs_sync_tree(tmp, &failed, s->jobs) < 0) {
		diag_error(d, failed, 0, 0, "cannot flush to disk: %s", strerror(errno));
		free(failed);
		goto fail;
	}
	enum fs_swap_how how;
	if (fs_swap(tmp, rout, &how) < 0) {
		if (how != FS_SWAP_UNSUPPORTED) {
			diag_error(d, out, 0, 0, "cannot replace it with %s: %s", tmp, strerror(errno));
			goto fail;
		}
		/* No atomic exchange here: move the old tree aside first. */
		sb_printf(&old, "%s.old-%s", rout, tmp + prefix.size);
		if (rename(rout, old.ptr) < 0) {
			diag_error(d, out, 0, 0, "cannot move the previous output aside to %s: %s", old.ptr,
				   strerror(errno));
			goto fail;
		}
		if (rename(tmp, rout) < 0) {
			diag_error(d, out, 0, 0, "cannot replace it with %s: %s", tmp, strerror(errno));
			if (rename(old.ptr, rout) < 0)
				diag_error(d, old.ptr, 0, 0, "cannot move the previous output back to %s: %s",
					   out, strerror(errno));
			goto fail;
		}
		free(tmp);
		tmp = sb_detach(&old);
	} else if (how == FS_SWAP_RENAMED) {
		free(tmp);
		tmp = NULL;
	}
	/* The new tree is in place: record the rename, drop the old tree. */
	if (fs_sync_dir(parent) < 0)
		diag_warning(d, parent, 0, 0, "cannot flush the folder to disk: %s", strerror(errno));
	if (tmp && fs_rm_rf(tmp) < 0)
		diag_warning(d, tmp, 0, 0, "cannot remove the previous output: %s", strerror(errno));
	free(parent);
	rc = 0;
	goto done;
fail:
	remove_tree(tmp, d);
	free(parent);
done:
	fs_unlock(&lock);
	free(tmp);
	free(rout);
	sb_free(&prefix);
	sb_free(&old);
	if (rc < 0 && !d->errors)
		diag_error(d, out, 0, 0, "writing the output failed");
	return rc;
}

/* A phase that failed without saying why would let the run pass for a
 * success; name it instead. */
static int phase(int rc, const char *what, struct diag *d, int errors_before)
{
	if (rc < 0 && d->errors == errors_before)
		diag_error(d, NULL, 0, 0, "%s failed", what);
	return rc < 0 ? -1 : 0;
}

/* A build into `s` and `t` (freed by the caller); with `tr`, a link
 * trace is made for relink (relink.h) and left in *tr. */
static int build_model(const struct build_options *o, struct site *sp, struct theme *tp,
		       struct link_trace **tr, struct buildcache *cache, struct diag *d,
		       struct build_result *r)
{
	double t0 = clock_wall();
	say_t0 = t0;
	say_cpu0 = clock_cpu();
	site_init(sp);
	memset(tp, 0, sizeof *tp);
	r->pages = 0;
	sp->dir = o->dir ? o->dir : ".";
	sp->drafts = o->drafts;
	sp->archive = o->archive;
	sp->verbose = o->verbose;
	sp->jobs = o->jobs ? o->jobs : workq_default_jobs();
	sp->content_prefix = "";
	char *cfg = o->config ? xstrdup(o->config) : fs_join(sp->dir, "site.toml");
	char *content = fs_join(sp->dir, "content");
	char *out = o->out ? xstrdup(o->out) : fs_join(sp->dir, "public");
	sp->config_file = o->config ? o->config : "site.toml";
	int rc = -1, e;
	struct pagehistory_walk *hw = NULL;
	struct pagehistory_diffs *hd = NULL;
	struct progress pg;
	progress_start(&pg, o);
	say(o, "reading %s", cfg);
	e = d->errors;
	if (phase(config_load(&sp->cfg, cfg, sp->config_file, d), "reading the configuration", d, e) < 0)
		goto out;
	if (o->base_url)
		sp->cfg.base_url = o->base_url;
	if (o->archive && !archive_name_ok(o->archive))
		diag_error(d, NULL, 0, 0, "--archive takes a file name ending in .zip, written into the output folder, not '%s'",
			   o->archive);
	/* The history walk needs no page: on a thread of its own, it overlaps
	 * loading content/ (pagehistory.h). */
	hw = pagehistory_start(sp, content);
	progress_set(&pg, "loading content");
	say(o, "loading %s/", content);
	e = d->errors;
	if (phase(page_load_all(sp, content, d), "loading content/", d, e) < 0)
		goto out;
	progress_set(&pg, "reading the git history");
	say(o, "reading git history of %s/", content);
	e = d->errors;
	/* The end of the walk and the revision diffs go on while link runs
	 * (pagehistory.h); link's diagnostics wait in `ld` for the walk's,
	 * so that they arrive in the serial order. The generated pages come
	 * first: adding them sorts the pages and frees a page that writes
	 * another's file, which the diffs' thread must never have seen. */
	struct diag ld;
	diag_init(&ld);
	generated_add(sp, &ld);
	hd = pagehistory_load_start(sp, content, hw, d);
	hw = NULL;
	progress_set(&pg, "linking");
	say(o, "linking %s", "pages, citations, annotations and entities");
	if (tr)
		*tr = link_trace_new(sp);
	int lrc = link_site_traced(sp, &ld, tr ? *tr : NULL);
	pagehistory_load_walked(hd, d);
	/* An error of the walk stops the build before link, as if link had
	 * not run: its findings are dropped. */
	if (phase(d->errors > e ? -1 : 0, "reading the git history", d, e) < 0) {
		diag_free(&ld);
		goto out;
	}
	e = d->errors;
	diag_merge(d, &ld);
	say(o, "%s", "waiting for the revision diffs");
	int hrc = pagehistory_load_finish(hd, d);
	hd = NULL;
	if (phase(lrc, "linking", d, e) < 0 || phase(hrc, "reading the git history", d, e) < 0)
		goto out;
	site_check(sp);
	if (o->dump_model) {
		if (model_dump_write(sp, stdout) < 0)
			diag_error(d, NULL, 0, 0, "cannot write the model: %s", strerror(errno));
		rc = 0;
		goto out;
	}
	if (o->external) {
		progress_set(&pg, "checking external links");
		say(o, "checking %s", "external links over the network");
		if (external_check(sp->external, sp->nexternal,
				   o->external_timeout ? o->external_timeout : 10, d) < 0)
			diag_error(d, NULL, 0, 0, "cannot start the HTTP client for --external");
	}
	progress_set(&pg, "loading the theme");
	say(o, "loading theme %s", sp->cfg.theme);
	e = d->errors;
	int trc = phase(theme_load(tp, sp, d), "loading the theme", d, e);
	if (trc == 0) {
		/* The files the build writes for itself at the output root. */
		const char *const reserved[] = { BUILD_MARK, BUILDCACHE_FILE, o->archive, NULL };
		link_check_theme(sp, tp, reserved, d);
	}
	if (o->check) {
		r->pages = (int)sp->npages;
	} else if (trc == 0 && !d->errors && check_conflicts(o, cfg, tp, out, d) == 0) {
		progress_set(&pg, "rendering the pages");
		say(o, "writing %s/", out);
		e = d->errors;
		if (phase(write_output(o, sp, tp, out, cache, d, &r->pages), "writing the output", d, e) < 0)
			r->pages = 0;
	}
	rc = d->errors ? -1 : 0;
	say(o, "%s", "done");
out:
	pagehistory_abandon(hw);
	if (hd)
		pagehistory_load_finish(hd, d);
	progress_stop(&pg);
	if (d->errors)
		rc = -1;
	r->seconds = clock_wall() - t0;
	free(cfg);
	free(content);
	free(out);
	return rc;
}

int build_run(const struct build_options *o, struct diag *d, struct build_result *r)
{
	struct site s;
	struct theme t;
	struct buildcache *cache = NULL;
	r->up_to_date = false;
	struct buildcache_run run = { o->dir, o->config, o->base_url, o->archive, o->drafts, o->jobs };
	if (o->if_changed && !o->check && !o->dump_model && !o->external) {
		double t0 = clock_wall();
		say_t0 = t0;
		say_cpu0 = clock_cpu();
		char *out = o->out ? xstrdup(o->out) : fs_join(o->dir ? o->dir : ".", "public");
		char *why = NULL;
		r->up_to_date = buildcache_fresh(&run, out, d, &r->pages, o->verbose ? &why : NULL);
		if (why)
			say(o, "building: %s", why);
		free(why);
		if (!r->up_to_date)
			cache = buildcache_start(&run, out);
		free(out);
		if (r->up_to_date) {
			say(o, "%s", "up to date: nothing changed since the recorded build");
			r->seconds = clock_wall() - t0;
			return 0;
		}
	}
	int rc = build_model(o, &s, &t, NULL, cache, d, r);
	buildcache_free(cache);
	/* A process that ends now leaves its model to the system, as clang's
	 * -disable-free does: freeing a 10,000-page model one allocation at a
	 * time takes 0.8 s. AddressSanitizer builds free it, so that leak
	 * checking (make asan) still sees every allocation. */
#ifndef LEAK_CHECKED
	if (o->exiting)
		return rc;
#endif
	theme_free(&t);
	site_free(&s);
	return rc;
}

/* --- a model kept between builds (serve) ------------------------------- */

struct build_state *build_state_new(const struct build_options *o)
{
	struct build_state *st = xcalloc(1, sizeof(*st));
	st->o = *o;
	const char *dir = o->dir ? o->dir : ".";
	st->content = fs_join(dir, "content");
	st->out = o->out ? xstrdup(o->out) : fs_join(dir, "public");
	return st;
}

static void drop_model(struct build_state *st)
{
	if (st->loaded) {
		theme_free(&st->t);
		site_free(&st->s);
	}
	link_trace_free(st->tr);
	st->tr = NULL;
	st->loaded = false;
	st->deferred = false;
	relink_effects_free(&st->pending);
	for (size_t i = 0; i < st->nerror_srcs; i++)
		free(st->error_srcs[i]);
	free(st->error_srcs);
	st->error_srcs = NULL;
	st->nerror_srcs = 0;
}

void build_state_free(struct build_state *st)
{
	if (!st)
		return;
	drop_model(st);
	free(st->content);
	free(st->out);
	free(st);
}

int build_state_full(struct build_state *st, struct diag *d, struct build_result *r)
{
	drop_model(st);
	int rc = build_model(&st->o, &st->s, &st->t, &st->tr, NULL, d, r);
	/* Only a model that linked and rendered cleanly is built upon. */
	st->loaded = true;
	st->usable = rc == 0 && !d->errors;
	return rc;
}

/* Renders `pages` and the site-wide files into a folder beside the output
 * and moves each file whose bytes differ into the output (a rename, so
 * readers never see half a file). Returns the number of files moved, or
 * -1 after reporting. */
int build_state_write(struct build_state *st, const struct page *const *pages, size_t n,
		      bool entities_js, const struct render_stop *site_files, struct diag *d)
{
	char *tmp = NULL, *rout = fs_realpath_any(st->out);
	struct strbuf prefix = STRBUF_INIT;
	struct fs_lock lock = { -1, false };
	int moved = -1;
	char *slash = rout ? strrchr(rout, '/') : NULL;
	if (!slash || !slash[1]) {
		diag_error(d, st->out, 0, 0, "cannot resolve the output folder");
		goto done;
	}
	char *parent = slash == rout ? xstrdup("/") : xstrndup(rout, (size_t)(slash - rout));
	int lrc = fs_lock_dir(parent, &lock);
	free(parent);
	if (lrc < 0) {
		diag_error(d, st->out, 0, 0, "cannot lock the folder of the output: %s", strerror(errno));
		goto done;
	}
	sb_printf(&prefix, "%s.tmp-", rout);
	if (fs_mkdtemp(prefix.ptr, &tmp) < 0) {
		diag_error(d, prefix.ptr, 0, 0, "cannot create a temporary folder: %s", strerror(errno));
		free(tmp);
		tmp = NULL;
		goto done;
	}
	char *mark = fs_join(tmp, BUILD_MARK);
	int mrc = fs_write_file(mark, "dossier output folder; safe to delete\n", 38);
	free(mark);
	double t0 = clock_wall();
	int rrc = mrc < 0 ? -1 : render_subset(&st->s, &st->t, tmp, pages, n, entities_js, site_files, d);
	st->render_ms = (clock_wall() - t0) * 1e3;
	if (rrc == -2)
		moved = -2;
	if (rrc < 0 || d->errors)
		goto fail;
	/* search/ is written whole: shards the new index has no more go. */
	char *from = fs_join(tmp, "search"), *to = fs_join(rout, "search");
	int gone = site_files ? fs_remove_absent(from, to) : 0;
	free(from);
	free(to);
	moved = gone < 0 ? -1 : fs_move_changed(tmp, rout, BUILD_MARK);
	if (moved >= 0)
		moved += gone;
	if (moved < 0)
		diag_error(d, st->out, 0, 0, "cannot move the new files into the output: %s", strerror(errno));
fail:
	remove_tree(tmp, d);
done:
	fs_unlock(&lock);
	free(tmp);
	free(rout);
	sb_free(&prefix);
	return moved;
}
