#include <criterion/criterion.h>
#include <criterion/redirect.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "build.h"
#include "diag.h"
#include "unit_site.h"

struct run {
	int rc;
	struct build_result r;
	char *diags;
};

static struct run build(struct unit_site *u, const char *out, bool check)
{
	struct build_options o;
	memset(&o, 0, sizeof o);
	o.dir = u->dir;
	char *outp = out ? fs_join(u->dir, out) : NULL;
	o.out = outp;
	o.quiet = true;
	o.check = check;
	struct run r;
	struct diag d;
	diag_init(&d);
	r.rc = build_run(&o, &d, &r.r);
	r.diags = unit_site_diags(&d);
	diag_free(&d);
	free(outp);
	return r;
}

/* "sha256  ./path" of every file under `dir` of the site (owned). */
static char *digest(struct unit_site *u, const char *dir)
{
	struct strbuf cmd = STRBUF_INIT;
	sb_printf(&cmd, "cd '%s/%s' && find . -type f | LC_ALL=C sort | xargs sha256sum", u->dir, dir);
	FILE *f = popen(cmd.ptr, "r");
	cr_assert_not_null(f);
	struct strbuf out = STRBUF_INIT;
	char buf[4096];
	size_t n;
	while ((n = fread(buf, 1, sizeof buf, f)) > 0)
		sb_put(&out, buf, n);
	cr_assert_eq(pclose(f), 0);
	sb_free(&cmd);
	return sb_detach(&out);
}

/* The names in the site folder, one a line. */
static char *listing(struct unit_site *u)
{
	char **names = NULL;
	size_t n = 0;
	cr_assert_eq(fs_list_dir(u->dir, &names, &n), 0);
	struct strbuf sb = STRBUF_INIT;
	for (size_t i = 0; i < n; i++)
		sb_printf(&sb, "%s\n", names[i]);
	fs_free_list(names, n);
	return sb_detach(&sb);
}

Test(build, writes_the_output_with_its_mark)
{
	struct unit_site u;
	unit_site_make(&u, "basic");
	struct run r = build(&u, NULL, false);
	cr_assert_eq(r.rc, 0, "%s", r.diags);
	cr_expect_eq(r.r.pages, 13);
	char *mark = unit_read(u.dir, "public/" BUILD_MARK, NULL);
	cr_expect_str_eq(mark, "dossier output folder; safe to delete\n");
	free(mark);
	char *home = unit_read(u.dir, "public/index.html", NULL);
	cr_expect(home && strstr(home, "Fixture home"));
	free(home);
	char *names = listing(&u);
	cr_expect_str_eq(names, "content\npublic\nsite.toml\nthemes\n", "no temporary folder left");
	free(names);
	free(r.diags);
	unit_site_free(&u);
}

Test(build, a_failed_build_leaves_the_previous_output_untouched)
{
	struct unit_site u;
	unit_site_make(&u, "basic");
	struct run r = build(&u, NULL, false);
	cr_assert_eq(r.rc, 0, "%s", r.diags);
	free(r.diags);
	char *before = digest(&u, "public");
	unit_site_write(&u, "content/topics/broken.md", "+++\ntitle = \"Broken\"\n+++\n[x](nowhere.md)\n");
	r = build(&u, NULL, false);
	cr_expect_eq(r.rc, -1);
	cr_expect_str_eq(r.diags, "content/topics/broken.md:4:1: error: link target 'nowhere.md' not found\n");
	char *after = digest(&u, "public");
	cr_expect_str_eq(after, before);
	char *names = listing(&u);
	cr_expect_str_eq(names, "content\npublic\nsite.toml\nthemes\n");
	free(names);
	free(before);
	free(after);
	free(r.diags);
	unit_site_free(&u);
}

Test(build, a_second_build_replaces_the_output_whole)
{
	struct unit_site u;
	unit_site_make(&u, "basic");
	struct run r = build(&u, "out", false);
	cr_assert_eq(r.rc, 0, "%s", r.diags);
	free(r.diags);
	unit_site_write(&u, "out/stale.html", "left by hand");
	unit_site_write(&u, "content/topics/new.md", "+++\ntitle = \"New\"\n+++\nText.\n");
	r = build(&u, "out", false);
	cr_assert_eq(r.rc, 0, "%s", r.diags);
	cr_expect_eq(r.r.pages, 14);
	char *stale = unit_read(u.dir, "out/stale.html", NULL), *fresh = unit_read(u.dir, "out/topics/new.html", NULL);
	cr_expect_null(stale, "the old tree is gone, not merged");
	cr_expect_not_null(fresh);
	free(stale);
	free(fresh);
	free(r.diags);
	unit_site_free(&u);
}

Test(build, check_and_refusals_write_nothing)
{
	struct unit_site u;
	unit_site_make(&u, "basic");
	struct run r = build(&u, NULL, true);
	cr_expect_eq(r.rc, 0, "%s", r.diags);
	cr_expect_eq(r.r.pages, 13);
	free(r.diags);
	char *names = listing(&u);
	cr_expect_str_eq(names, "content\nsite.toml\nthemes\n", "check writes nothing");
	free(names);
	/* A folder dossier did not make is never replaced. */
	unit_site_write(&u, "mine/notes.txt", "precious");
	r = build(&u, "mine", false);
	cr_expect_eq(r.rc, -1);
	cr_expect(strstr(r.diags, "/mine: error: output folder exists and was not made by dossier (no "
				  ".dossier-output file); refusing to replace it\n"),
		  "%s", r.diags);
	free(r.diags);
	char *kept = unit_read(u.dir, "mine/notes.txt", NULL);
	cr_expect_str_eq(kept, "precious");
	free(kept);
	/* Nor the sources. */
	r = build(&u, "content", false);
	cr_expect_eq(r.rc, -1);
	cr_expect(strstr(r.diags, "/content: error: output folder is the content folder ("), "%s", r.diags);
	free(r.diags);
	r = build(&u, "content/topics/out", false);
	cr_expect_eq(r.rc, -1);
	cr_expect(strstr(r.diags, "error: output folder is inside the content folder ("), "%s", r.diags);
	free(r.diags);
	names = listing(&u);
	cr_expect_str_eq(names, "content\nmine\nsite.toml\nthemes\n");
	free(names);
	unit_site_free(&u);
}

Test(build, dump_model_prints_the_golden_model_and_writes_nothing, .init = cr_redirect_stdout)
{
	struct unit_site u;
	unit_site_make(&u, "basic");
	struct build_options o;
	memset(&o, 0, sizeof o);
	o.dir = u.dir;
	o.quiet = true;
	o.dump_model = true;
	struct build_result res;
	struct diag d;
	diag_init(&d);
	cr_assert_eq(build_run(&o, &d, &res), 0);
	fflush(stdout);
	char *golden = NULL;
	size_t len = 0;
	cr_assert_eq(fs_read_file("tests/golden/model/basic.json", &golden, &len), 0);
	cr_expect_stdout_eq_str(golden);
	char *names = listing(&u);
	cr_expect_str_eq(names, "content\nsite.toml\nthemes\n");
	free(names);
	free(golden);
	diag_free(&d);
	unit_site_free(&u);
}
