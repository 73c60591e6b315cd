#include "build.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "archive.h"
#include "config.h"
#include "external.h"
#include "fsutil.h"
#include "history.h"
#include "link.h"
#include "page.h"
#include "render.h"
#include "site.h"
#include "strbuf.h"
#include "theme.h"
#include "xalloc.h"

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void say(const struct build_options *o, const char *fmt, const char *arg)
{
	if (o->verbose) {
		fprintf(stderr, fmt, arg);
		fputc('\n', stderr);
	}
}

static void load_history(struct site *s, const char *content, struct diag *d)
{
	if (!s->cfg.history_enabled)
		return;
	const struct value *ign = s->cfg.history_ignore;
	size_t n = ign && ign->type == VALUE_ARRAY ? ign->u.a.n : 0;
	const char **v = xcalloc(n + 1, sizeof(*v));
	size_t k = 0;
	for (size_t i = 0; i < n; i++)
		if (ign->u.a.items[i]->type == VALUE_STRING)
			v[k++] = ign->u.a.items[i]->u.s.p;
	struct history_options ho = { .ignore = v, .nignore = k, .emails = s->cfg.history_emails };
	history_load(content, &ho, &s->history, d);
	free(v);
	for (size_t i = 0; i < s->npages; i++)
		if (s->history && history_available(s->history) && s->pages[i]->src)
			s->pages[i]->history = history_find(s->history, s->pages[i]->src);
}

/* An existing output folder may be replaced only if we made it (it holds
 * our mark) or it is empty. */
static int check_out(const char *out, struct diag *d)
{
	if (!fs_exists(out))
		return 0;
	if (!fs_is_dir(out)) {
		diag_error(d, out, 0, 0, "output path exists and is not a folder; refusing to replace it");
		return -1;
	}
	char *mark = fs_join(out, BUILD_MARK);
	bool ours = fs_exists(mark);
	free(mark);
	char **names = NULL;
	size_t n = 0;
	if (!ours && fs_list_dir(out, &names, &n) == 0) {
		fs_free_list(names, n);
		if (n == 0)
			return 0;
	}
	if (!ours) {
		diag_error(d, out, 0, 0,
			   "output folder exists and was not made by dossier (no %s file); refusing to replace it",
			   BUILD_MARK);
		return -1;
	}
	return 0;
}

/* Renders into "<out>.tmp-XXXXXX" and swaps it in. */
static int write_output(const struct site *s, const struct theme *t, const char *out,
			struct diag *d, int *pages)
{
	struct strbuf tmp = STRBUF_INIT, old = STRBUF_INIT;
	sb_printf(&tmp, "%s.tmp-XXXXXX", out);
	sb_printf(&old, "%s.old-XXXXXX", out);
	int rc = -1;
	if (fs_mkdir_parent(tmp.ptr) < 0 || !mkdtemp(tmp.ptr)) {
		diag_error(d, out, 0, 0, "cannot create a temporary output folder: %s", strerror(errno));
		goto done;
	}
	char *mark = fs_join(tmp.ptr, BUILD_MARK);
	int mrc = fs_write_file(mark, "dossier output folder; safe to delete\n", 38);
	free(mark);
	*pages = mrc < 0 ? -1 : render_site(s, t, tmp.ptr, d);
	if (*pages < 0 || d->errors) {
		fs_rm_rf(tmp.ptr);
		goto done;
	}
	if (fs_exists(out)) {
		if (!mkdtemp(old.ptr) || rename(out, old.ptr) < 0) {
			diag_error(d, out, 0, 0, "cannot move the previous output aside: %s", strerror(errno));
			fs_rm_rf(tmp.ptr);
			goto done;
		}
	}
	if (rename(tmp.ptr, out) < 0) {
		diag_error(d, out, 0, 0, "cannot move the new output in place: %s", strerror(errno));
		if (old.size && fs_exists(old.ptr) && old.ptr[old.size - 1] != 'X')
			rename(old.ptr, out);
		fs_rm_rf(tmp.ptr);
		goto done;
	}
	if (fs_exists(old.ptr))
		fs_rm_rf(old.ptr);
	rc = 0;
done:
	sb_free(&tmp);
	sb_free(&old);
	return rc;
}

int build_run(const struct build_options *o, struct diag *d, struct build_result *r)
{
	double t0 = now();
	struct site s;
	struct theme t;
	site_init(&s);
	memset(&t, 0, sizeof t);
	s.dir = o->dir ? o->dir : ".";
	s.drafts = o->drafts;
	s.archive = o->archive;
	s.verbose = o->verbose;
	s.content_prefix = "";
	char *cfg = o->config ? xstrdup(o->config) : fs_join(s.dir, "site.toml");
	char *content = fs_join(s.dir, "content");
	char *out = o->out ? xstrdup(o->out) : fs_join(s.dir, "public");
	s.config_file = o->config ? o->config : "site.toml";
	int rc = -1;
	say(o, "reading %s", cfg);
	if (config_load(&s.cfg, cfg, s.config_file, d) < 0)
		goto out;
	if (o->base_url)
		s.cfg.base_url = o->base_url;
	if (o->archive && !archive_name_ok(o->archive))
		diag_error(d, NULL, 0, 0, "--archive takes a file name ending in .zip, written into the output folder, not '%s'",
			   o->archive);
	say(o, "loading %s/", content);
	if (page_load_all(&s, content, d) < 0)
		goto out;
	say(o, "reading git history of %s/", content);
	load_history(&s, content, d);
	link_add_generated(&s, d);
	say(o, "linking %s", "pages, citations, annotations and entities");
	link_site(&s, d);
	site_check(&s);
	if (o->external) {
		say(o, "checking %s", "external links over the network");
		if (external_check(s.external, s.nexternal,
				   o->external_timeout ? o->external_timeout : 10, d) < 0)
			diag_error(d, NULL, 0, 0, "cannot start the HTTP client for --external");
	}
	say(o, "loading theme %s", s.cfg.theme);
	theme_load(&t, &s, d);
	if (!o->check && !d->errors && check_out(out, d) == 0) {
		say(o, "writing %s/", out);
		write_output(&s, &t, out, d, &r->pages);
	}
	rc = d->errors ? -1 : 0;
	if (o->check)
		r->pages = (int)s.npages;
out:
	r->seconds = now() - t0;
	theme_free(&t);
	site_free(&s);
	free(cfg);
	free(content);
	free(out);
	return rc;
}
