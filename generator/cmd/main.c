/*
 * main: the command line.
 *
 * Owns argv -> options and the exit status (0 ok, 1 content or
 * configuration errors, 2 usage errors). Each command calls one function of
 * the library and prints its diagnostics; nothing else happens here.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmark-gfm.h>
#include <curl/curl.h>
#include <git2.h>
#include <microhttpd.h>
#include <sass.h>
#include <yaml.h>

#include "build.h"
#include "config.h"
#include "content.h"
#include "convert.h"
#include "diag.h"
#include "fsutil.h"
#include "init.h"
#include "scaffold.h"
#include "serve.h"
#include "strbuf.h"
#include "xalloc.h"

static const char usage_main[] =
	"usage: dossier COMMAND [OPTIONS]\n"
	"\n"
	"Commands:\n"
	"  init     write a new dossier site into a folder\n"
	"  build    build the site into the output folder (default ./public)\n"
	"  check    run every validation of a build, write nothing\n"
	"  serve    build, serve on 127.0.0.1, rebuild and reload on changes\n"
	"  import   convert an article's plain text to Markdown\n"
	"  new      create a page from its section's template\n"
	"  help     show help for a command\n"
	"\n"
	"Options: dossier --help, dossier --version, dossier help COMMAND\n";

static const char usage_init[] =
	"usage: dossier init [DIR] [--force]\n"
	"\n"
	"Writes a new dossier site into DIR (default .): site.toml with every key\n"
	"commented, a home page, an about page, an example article with two\n"
	"annotations, a topic with a claim, two entities, .gitignore, and the\n"
	"pull-request and publishing workflows. Refuses a folder that is not empty\n"
	"unless --force; never overwrites a file.\n"
	"  --force   add the missing files to a folder that is not empty\n";

static const char usage_build[] =
	"usage: dossier build [-C DIR] [-o OUT] [--config FILE] [--base-url URL]\n"
	"                     [--drafts] [--external] [--archive NAME.zip] [--dump-model]\n"
	"                     [--if-changed] [-j N] [-q|-v]\n"
	"\n"
	"  -C DIR          the site folder (holding site.toml, content/, themes/)\n"
	"  -o OUT          output folder (default DIR/public); replaced atomically\n"
	"  --config FILE   configuration file (default DIR/site.toml)\n"
	"  --base-url URL  override base_url (absolute links in feeds, sitemap)\n"
	"  --drafts        include pages with draft = true\n"
	"  --archive NAME.zip  also write the site as OUT/NAME.zip, for reading\n"
	"                  offline; the home page links to it\n"
	"  --dump-model    print the loaded and linked model as JSON on stdout and\n"
	"                  write nothing else (for tests and for reading)\n"
	"  --if-changed    do nothing when no input changed since the last\n"
	"                  --if-changed build (recorded in OUT/.dossier-cache);\n"
	"                  its warnings are shown again\n"
	"  -j N            load, link and render on N threads (default: the\n"
	"                  processors online; -j 1 serial); same output for any N\n"
	"  -q              no summary line;  -v  say what is done\n";

static const char usage_check[] =
	"usage: dossier check [-C DIR] [--config FILE] [--drafts] [--strict] [--external]\n"
	"                     [-j N] [-q|-v]\n"
	"\n"
	"Runs every validation of a build and writes nothing. Prints each problem\n"
	"as FILE:LINE:COL: error|warning: message, sorted, then a summary.\n"
	"Exit 1 on errors (with --strict, on warnings too), else 0.\n"
	"  --external   also request every http(s) link (10 s timeout each); a link\n"
	"               that does not answer is a warning. Off by default: offline.\n"
	"  -j N         load and link on N threads (default: the processors online)\n"
	"  -v           also list, as notes, the wording articles share (6+ words)\n";

static const char usage_serve[] =
	"usage: dossier serve [-C DIR] [--port N] [--bind ADDR] [-o OUT] [--drafts] [--open]\n"
	"                     [-j N]\n"
	"\n"
	"Builds, serves OUT over HTTP on ADDR:N (default 127.0.0.1:8000), watches\n"
	"content/, themes/ and site.toml, rebuilds and reloads open pages.\n"
	"  --open   open the site in the browser ($BROWSER, else xdg-open)\n"
	"  -j N     build on N threads (default: the processors online)\n";

static const char usage_import[] =
	"usage: dossier import FILE.txt [-o FILE.md] [--explain|-v]\n"
	"       dossier import --from hugo|mdbook SRC -o OUT\n"
	"\n"
	"Prints the Markdown a plain-text article becomes in the build (its +++\n"
	"header's drop patterns and site.toml's [import] drop apply).\n"
	"--explain (or -v) lists on stderr, as FILE:LINE notes, what each line\n"
	"became (heading, list item, quote, boilerplate) and the rule that decided,\n"
	"and why lines shaped like headings are not headings. The header may list\n"
	"headings = [12] / not_headings = [7] (file lines) to override them.\n"
	"  --from hugo|mdbook  convert a Hugo content folder or an mdBook into a new\n"
	"                      content folder OUT, reporting every loss\n";

static const char usage_new[] =
	"usage: dossier new article|topic|entity \"Name\" [-C DIR] [--from FILE]\n"
	"\n"
	"Writes content/<section>/<slug>.md (articles: .txt) from the section's\n"
	"template (content/_templates/<kind>.md, else the theme's), never\n"
	"overwriting a file.\n"
	"  --from FILE   articles: the scraped text, copied verbatim below the\n"
	"                header, whose seed names FILE\n";

struct args {
	struct build_options b;
	bool strict, force, open;
	bool explain; /* import --explain */
	const char *port, *bind, *from, *jobs;
	const char *positional[3];
	int npositional;
};

static int usage_error(const char *cmd, const char *fmt, const char *arg)
{
	fprintf(stderr, "dossier %s: ", cmd);
	fprintf(stderr, fmt, arg);
	fprintf(stderr, "\nTry 'dossier help %s'.\n", cmd);
	return 2;
}

static const char *help_for(const char *cmd)
{
	if (!strcmp(cmd, "build"))
		return usage_build;
	if (!strcmp(cmd, "check"))
		return usage_check;
	if (!strcmp(cmd, "serve"))
		return usage_serve;
	if (!strcmp(cmd, "import"))
		return usage_import;
	if (!strcmp(cmd, "new"))
		return usage_new;
	if (!strcmp(cmd, "init"))
		return usage_init;
	return NULL;
}

/* Parses the options all commands share; returns 0 or an exit status. */
static int parse(const char *cmd, int argc, char **argv, struct args *a)
{
	for (int i = 0; i < argc; i++) {
		const char *o = argv[i];
		const char **slot = NULL;
		if (!strcmp(o, "-C"))
			slot = &a->b.dir;
		else if (!strcmp(o, "-o"))
			slot = &a->b.out;
		else if (!strcmp(o, "--config"))
			slot = &a->b.config;
		else if (!strcmp(o, "--base-url"))
			slot = &a->b.base_url;
		else if (!strcmp(o, "--port"))
			slot = &a->port;
		else if (!strcmp(o, "--bind"))
			slot = &a->bind;
		else if (!strcmp(o, "--from"))
			slot = &a->from;
		else if (!strcmp(o, "--archive"))
			slot = &a->b.archive;
		else if (!strcmp(o, "-j") &&
			 (!strcmp(cmd, "build") || !strcmp(cmd, "check") || !strcmp(cmd, "serve")))
			slot = &a->jobs;
		if (slot) {
			if (i + 1 >= argc)
				return usage_error(cmd, "option '%s' needs a value", o);
			*slot = argv[++i];
		} else if (!strcmp(o, "--drafts")) {
			a->b.drafts = true;
		} else if (!strcmp(o, "--if-changed") && !strcmp(cmd, "build")) {
			a->b.if_changed = true;
		} else if (!strcmp(o, "--dump-model") && !strcmp(cmd, "build")) {
			a->b.dump_model = true;
		} else if (!strcmp(o, "--external")) {
			a->b.external = true;
		} else if (!strcmp(o, "--explain") && !strcmp(cmd, "import")) {
			a->explain = true;
		} else if (!strcmp(o, "--strict")) {
			a->strict = true;
		} else if (!strcmp(o, "--force")) {
			a->force = true;
		} else if (!strcmp(o, "--open")) {
			a->open = true;
		} else if (!strcmp(o, "-q") || !strcmp(o, "--quiet")) {
			a->b.quiet = true;
		} else if (!strcmp(o, "-v") || !strcmp(o, "--verbose")) {
			a->b.verbose++;
		} else if (!strcmp(o, "-h") || !strcmp(o, "--help")) {
			fputs(help_for(cmd), stdout);
			return -1;
		} else if (o[0] == '-' && o[1]) {
			return usage_error(cmd, "unknown option '%s'", o);
		} else if (a->npositional < 3) {
			a->positional[a->npositional++] = o;
		} else {
			return usage_error(cmd, "unexpected argument '%s'", o);
		}
	}
	if (a->jobs) {
		char *end = NULL;
		long n = strtol(a->jobs, &end, 10);
		if (!*a->jobs || *end || n < 1 || n > 1024)
			return usage_error(cmd, "-j takes a number of threads from 1 to 1024, not '%s'",
					   a->jobs);
		a->b.jobs = (unsigned)n;
	}
	return 0;
}

static int cmd_build(struct args *a, bool check)
{
	struct diag d;
	struct build_result r = { 0 };
	diag_init(&d);
	a->b.check = check;
	a->b.exiting = true;
	int rc = build_run(&a->b, &d, &r);
	diag_print(&d, stderr);
	if (check) {
		if (!a->b.quiet || d.errors || d.warnings)
			printf("dossier check: %d error%s, %d warning%s (%d pages)\n", d.errors,
			       d.errors == 1 ? "" : "s", d.warnings, d.warnings == 1 ? "" : "s", r.pages);
		if (a->strict && d.warnings)
			rc = -1;
	} else if (rc == 0 && !a->b.quiet && !a->b.dump_model) {
		if (r.up_to_date)
			printf("dossier: %s is up to date (%d pages; nothing changed since it was built), checked in %.2f s%s\n",
			       a->b.out ? a->b.out : "public", r.pages, r.seconds, d.warnings ? " (with warnings)" : "");
		else
			printf("dossier: built %d pages into %s in %.2f s%s\n", r.pages,
			       a->b.out ? a->b.out : "public", r.seconds,
			       d.warnings ? " (with warnings)" : "");
	} else if (rc != 0) {
		fprintf(stderr, "dossier: build failed: %d error%s; the previous output is unchanged\n",
			d.errors, d.errors == 1 ? "" : "s");
	}
	diag_free(&d);
	return rc == 0 ? 0 : 1;
}

static int cmd_convert(struct args *a)
{
	if (a->npositional != 1 || !a->b.out)
		return usage_error("import", "%s", "--from expects SRC and -o OUT");
	struct diag d;
	diag_init(&d);
	struct convert_stats st;
	int rc = convert_run(a->from, a->positional[0], a->b.out, &st, &d);
	diag_print(&d, stderr);
	if (rc == 0 && !a->b.quiet)
		printf("dossier: converted %d page%s and copied %d file%s into %s (%d warning%s)\n", st.pages,
		       st.pages == 1 ? "" : "s", st.files, st.files == 1 ? "" : "s", a->b.out, d.warnings,
		       d.warnings == 1 ? "" : "s");
	diag_free(&d);
	return rc == -2 ? 2 : (rc < 0 ? 1 : 0);
}

static int cmd_import(struct args *a)
{
	if (a->from)
		return cmd_convert(a);
	if (a->npositional != 1)
		return usage_error("import", "%s", "expects one FILE.txt");
	const char *path = a->positional[0];
	char *src = NULL, *md = NULL;
	size_t len = 0;
	struct diag d;
	diag_init(&d);
	int rc = 1;
	if (fs_read_file(path, &src, &len) < 0) {
		fprintf(stderr, "dossier import: %s: %s\n", path, strerror(errno));
		goto out;
	}
	/* --explain (or -v): every decision of the converter, as notes. */
	if (page_import_text(src, len, path, NULL, a->explain || a->b.verbose ? 2 : 0, &md, &d) == 0) {
		if (a->b.out)
			rc = fs_write_atomic(a->b.out, md, strlen(md)) < 0 ? 1 : 0;
		else
			rc = fputs(md, stdout) == EOF ? 1 : 0;
		if (a->b.out && rc)
			fprintf(stderr, "dossier import: %s: %s\n", a->b.out, strerror(errno));
	}
out:
	diag_print(&d, stderr);
	diag_free(&d);
	free(src);
	free(md);
	return rc;
}

static int serve_build(void *arg, const struct serve_changes *ch, char **errors, char **summary,
		       bool *again)
{
	struct build_state *st = arg;
	struct diag d;
	struct build_result r = { 0 };
	diag_init(&d);
	struct render_stop stop = { ch->changed_since, ch->changed_arg };
	int rc = build_state_update(st, ch->paths, ch->n, ch->unknown, ch->deferred ? &stop : NULL, &d,
				    &r, summary, again);
	*errors = serve_diag_text(&d);
	diag_free(&d);
	return rc;
}

static int cmd_serve(struct args *a)
{
	struct serve_options o;
	serve_options_init(&o);
	const char *dir = a->b.dir ? a->b.dir : ".";
	char *out = a->b.out ? xstrdup(a->b.out) : fs_join(dir, "public");
	char *w[3] = { fs_join(dir, "content"), fs_join(dir, "themes"),
		       a->b.config ? xstrdup(a->b.config) : fs_join(dir, "site.toml") };
	a->b.out = out;
	a->b.quiet = true;
	o.out_dir = out;
	o.watch = (const char *const *)w;
	o.nwatch = 3;
	o.open = a->open;
	if (a->bind)
		o.bind = a->bind;
	if (a->port) {
		char *end = NULL;
		long p = strtol(a->port, &end, 10);
		if (!*a->port || *end || p < 0 || p > 65535)
			return usage_error("serve", "bad port '%s'", a->port);
		o.port = (int)p;
	}
	struct diag d;
	diag_init(&d);
	struct build_state *st = build_state_new(&a->b);
	int rc = serve_run(&o, serve_build, st, &d);
	build_state_free(st);
	diag_print(&d, stderr);
	diag_free(&d);
	for (int i = 0; i < 3; i++)
		free(w[i]);
	free(out);
	return rc == 0 ? 0 : 1;
}

static int cmd_new(struct args *a)
{
	if (a->npositional != 2)
		return usage_error("new", "%s", "expects a kind (article, topic, entity) and a name");
	struct diag d;
	diag_init(&d);
	char *path = NULL;
	/* The theme names where archetypes live; a site.toml that does not
	 * read leaves the built-in templates (its errors are for build). */
	const char *dir = a->b.dir ? a->b.dir : ".";
	char *cfgpath = a->b.config ? xstrdup(a->b.config) : fs_join(dir, "site.toml");
	struct config cfg;
	struct diag quiet;
	diag_init(&quiet);
	bool have_cfg = config_load(&cfg, cfgpath, cfgpath, &quiet) == 0;
	int rc = scaffold_new(dir, have_cfg ? cfg.theme : "dossier", a->positional[0],
			      a->positional[1], a->from, &path, &d);
	if (have_cfg)
		config_free(&cfg);
	diag_free(&quiet);
	free(cfgpath);
	diag_print(&d, stderr);
	if (rc == 0)
		printf("created %s\n", path);
	free(path);
	diag_free(&d);
	return rc == 0 ? 0 : (rc == -2 ? 2 : 1);
}

static int cmd_init(struct args *a)
{
	if (a->npositional > 1)
		return usage_error("init", "unexpected argument '%s'", a->positional[1]);
	const char *dir = a->npositional ? a->positional[0] : ".";
	struct diag d;
	diag_init(&d);
	int n = init_site(dir, a->force, &d);
	diag_print(&d, stderr);
	diag_free(&d);
	if (n < 0)
		return 1;
	if (!a->b.quiet)
		printf("dossier: wrote %d file%s into %s; next: dossier serve -C %s\n", n, n == 1 ? "" : "s",
		       dir, dir);
	return 0;
}

/* The generator's version and those of the libraries it runs with. */
static void print_version(void)
{
	int major = 0, minor = 0, rev = 0;
	git_libgit2_version(&major, &minor, &rev);
	printf("dossier %s\n", DOSSIER_VERSION);
	printf("cmark-gfm %s\n", cmark_version_string());
	printf("libgit2 %d.%d.%d\n", major, minor, rev);
	printf("libsass %s\n", libsass_version());
	printf("libyaml %s\n", yaml_get_version_string());
	printf("libcurl %s\n", curl_version_info(CURLVERSION_NOW)->version);
	printf("libmicrohttpd %s\n", MHD_get_version());
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		fputs(usage_main, stderr);
		return 2;
	}
	const char *cmd = argv[1];
	if (!strcmp(cmd, "--help") || !strcmp(cmd, "-h")) {
		fputs(usage_main, stdout);
		return 0;
	}
	if (!strcmp(cmd, "--version") || !strcmp(cmd, "-V")) {
		print_version();
		return 0;
	}
	if (!strcmp(cmd, "help")) {
		const char *h = argc > 2 ? help_for(argv[2]) : usage_main;
		if (!h)
			return usage_error("help", "unknown command '%s'", argv[2]);
		fputs(h, stdout);
		return 0;
	}
	if (!help_for(cmd)) {
		fprintf(stderr, "dossier: unknown command '%s'\n", cmd);
		fputs(usage_main, stderr);
		return 2;
	}
	struct args a;
	memset(&a, 0, sizeof a);
	int rc = parse(cmd, argc - 2, argv + 2, &a);
	if (rc)
		return rc < 0 ? 0 : rc;
	if (!strcmp(cmd, "build") || !strcmp(cmd, "check")) {
		if (a.npositional)
			return usage_error(cmd, "unexpected argument '%s'", a.positional[0]);
		return cmd_build(&a, !strcmp(cmd, "check"));
	}
	if (!strcmp(cmd, "import"))
		return cmd_import(&a);
	if (!strcmp(cmd, "serve"))
		return cmd_serve(&a);
	if (!strcmp(cmd, "init"))
		return cmd_init(&a);
	return cmd_new(&a);
}
