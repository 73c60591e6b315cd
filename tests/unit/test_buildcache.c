#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buildcache.h"
#include "fsutil.h"
#include "strbuf.h"
#include "xalloc.h"

/* A site folder with one input file and an output folder inside it. */
static char *site(void)
{
	char *dir = xstrdup("/tmp/dossier-test-buildcache-XXXXXX");
	cr_assert_not_null(mkdtemp(dir));
	return dir;
}

static void sh(const char *dir, const char *cmd)
{
	struct strbuf sb = STRBUF_INIT;
	sb_printf(&sb, "cd '%s' && %s", dir, cmd);
	cr_assert_eq(system(sb.ptr), 0, "%s", cmd);
	sb_free(&sb);
}

/* A "build": reads input.txt through fsutil while recording, writes one
 * output file, records with one warning and 3 pages. */
static void record(const struct buildcache_run *o, const char *out)
{
	struct buildcache *c = buildcache_start(o, out);
	char *in = fs_join(o->dir, "input.txt"), *text = NULL;
	size_t len = 0;
	cr_assert_eq(fs_read_file(in, &text, &len), 0);
	free(text);
	free(in);
	fs_mkdir_p(out);
	char *page = fs_join(out, "index.html");
	cr_assert_eq(fs_write_file(page, "<p>hi</p>\n", 10), 0);
	free(page);
	struct diag d;
	diag_init(&d);
	diag_warning(&d, "content/x.md", 3, 7, "a warning with\ta tab and 100%% of it");
	cr_assert_eq(buildcache_write(c, out, &d, 3), 0);
	diag_free(&d);
	buildcache_free(c);
}

Test(buildcache, an_unchanged_tree_is_fresh_and_its_diagnostics_come_back)
{
	char *dir = site();
	sh(dir, "printf one >input.txt");
	char *out = fs_join(dir, "public");
	struct buildcache_run o = { .dir = dir };
	record(&o, out);
	struct diag d;
	diag_init(&d);
	int pages = 0;
	char *why = NULL;
	cr_assert(buildcache_fresh(&o, out, &d, &pages, &why), "%s", why ? why : "");
	cr_assert_eq(pages, 3);
	cr_assert_eq(d.n, 1);
	cr_assert_eq(d.warnings, 1);
	cr_assert_str_eq(d.items[0].file, "content/x.md");
	cr_assert_eq(d.items[0].line, 3);
	cr_assert_eq(d.items[0].col, 7);
	cr_assert_str_eq(d.items[0].msg, "a warning with\ta tab and 100% of it");
	diag_free(&d);
	free(why);
	free(out);
	sh(dir, "rm -rf \"$PWD\"");
	free(dir);
}

Test(buildcache, a_change_to_an_input_or_the_output_or_the_options_is_not_fresh)
{
	char *dir = site();
	sh(dir, "printf one >input.txt");
	char *out = fs_join(dir, "public");
	struct buildcache_run o = { .dir = dir };
	struct diag d;
	diag_init(&d);
	int pages = 0;
	char *why = NULL;

	record(&o, out);
	sh(dir, "printf two >input.txt");
	cr_assert(!buildcache_fresh(&o, out, &d, &pages, &why));
	cr_assert_str_eq(why, "input.txt changed");
	cr_assert_eq(d.n, 0, "nothing replayed");
	free(why);
	why = NULL;

	record(&o, out);
	sh(dir, "printf x >public/index.html");
	cr_assert(!buildcache_fresh(&o, out, &d, &pages, &why));
	cr_assert_str_eq(why, "the output folder was changed");
	free(why);
	why = NULL;

	record(&o, out);
	o.drafts = true;
	cr_assert(!buildcache_fresh(&o, out, &d, &pages, &why));
	cr_assert_str_eq(why, "the program, the options or the commit changed");
	free(why);
	why = NULL;
	o.drafts = false;

	sh(dir, "rm public/.dossier-cache");
	cr_assert(!buildcache_fresh(&o, out, &d, &pages, &why));
	cr_assert_str_eq(why, "no record of the previous build");
	free(why);
	diag_free(&d);
	free(out);
	sh(dir, "rm -rf \"$PWD\"");
	free(dir);
}

Test(buildcache, the_record_holds_no_absolute_path_for_the_site)
{
	char *dir = site();
	sh(dir, "printf one >input.txt");
	char *out = fs_join(dir, "public");
	struct buildcache_run o = { .dir = dir };
	record(&o, out);
	char *path = fs_join(out, BUILDCACHE_FILE), *text = NULL;
	size_t len = 0;
	cr_assert_eq(fs_read_file(path, &text, &len), 0);
	cr_assert_null(strstr(text, dir), "%s", text);
	cr_assert_not_null(strstr(text, " site/input.txt\n"), "%s", text);
	cr_assert_not_null(strstr(text, "\nout 10 index.html\n"), "%s", text);
	free(text);
	free(path);
	free(out);
	sh(dir, "rm -rf \"$PWD\"");
	free(dir);
}
