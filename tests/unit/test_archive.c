#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "archive.h"
#include "diag.h"
#include "fsutil.h"
#include "strbuf.h"
#include "xalloc.h"

Test(archive, names)
{
	cr_expect(archive_name_ok("dossier.zip"));
	cr_expect(archive_name_ok("a b.zip"));
	cr_expect(!archive_name_ok(".zip"));
	cr_expect(!archive_name_ok("x.ZIP"));
	cr_expect(!archive_name_ok("x.tar"));
	cr_expect(!archive_name_ok("sub/x.zip"));
	cr_expect(!archive_name_ok("../x.zip"));
	cr_expect(!archive_name_ok("/tmp/x.zip"));
	cr_expect(!archive_name_ok(".hidden.zip"));
	cr_expect(!archive_name_ok("a\\b.zip"));
}

static char *folder(void)
{
	char tmpl[] = "/tmp/dossier-test-archive-XXXXXX";
	cr_assert_not_null(mkdtemp(tmpl));
	return xstrdup(tmpl);
}

static void sh(const char *dir, const char *cmd)
{
	struct strbuf sb = STRBUF_INIT;
	sb_printf(&sb, "cd '%s' && %s", dir, cmd);
	cr_assert_eq(system(sb.ptr), 0, "%s", cmd);
	sb_free(&sb);
}

/* The output of `cmd` run in `dir` (owned). */
static char *run(const char *dir, const char *cmd)
{
	struct strbuf sb = STRBUF_INIT, out = STRBUF_INIT;
	sb_printf(&sb, "cd '%s' && %s", dir, cmd);
	FILE *f = popen(sb.ptr, "r");
	cr_assert_not_null(f);
	char buf[4096];
	size_t n;
	while ((n = fread(buf, 1, sizeof buf, f)) > 0)
		sb_put(&out, buf, n);
	cr_assert_eq(pclose(f), 0, "%s", cmd);
	sb_free(&sb);
	return sb_detach(&out);
}

static const char *const skip[] = { ".dossier-output", NULL };

Test(archive, sorted_files_under_one_folder_without_itself_or_links)
{
	char *d = folder();
	sh(d, "mkdir -p b/c && printf one >b/c/z.html && printf two >a.html && printf mark >.dossier-output && "
	      "ln -s a.html link.html && printf 'old zip' >site.zip");
	struct diag dg;
	diag_init(&dg);
	long size = archive_write(d, "site.zip", skip, &dg);
	cr_assert_gt(size, 0);
	cr_expect_eq(dg.n, 0);
	char *list = run(d, "unzip -Z1 site.zip");
	cr_expect_str_eq(list, "site/a.html\nsite/b/c/z.html\n");
	free(list);
	char *text = run(d, "unzip -p site.zip site/b/c/z.html");
	cr_expect_str_eq(text, "one");
	free(text);
	/* Fixed time and mode, whatever the files have. */
	char *info = run(d, "unzip -Z -l site.zip site/a.html");
	cr_expect(strstr(info, "-rw-r--r--"), "%s", info);
	cr_expect(strstr(info, "00-Jan-01 00:00"), "%s", info);
	free(info);
	char *sz = run(d, "stat -c %s site.zip");
	cr_expect_eq(atol(sz), size, "the size returned is the file's");
	free(sz);
	diag_free(&dg);
	sh(d, "cd / && rm -rf \"$OLDPWD\"");
	free(d);
}

Test(archive, the_same_files_give_the_same_bytes)
{
	char *d = folder();
	sh(d, "mkdir -p one two && printf '<p>x</p>' >one/index.html && printf '<p>x</p>' >two/index.html && "
	      "touch -d 2001-02-03 one/index.html && touch -d 2024-05-06 two/index.html && chmod 600 two/index.html");
	char *one = fs_join(d, "one"), *two = fs_join(d, "two");
	struct diag dg;
	diag_init(&dg);
	cr_assert_gt(archive_write(one, "s.zip", skip, &dg), 0);
	cr_assert_gt(archive_write(two, "s.zip", skip, &dg), 0);
	sh(d, "cmp one/s.zip two/s.zip");
	/* Rewriting replaces the old archive; it is not read into the new one. */
	cr_assert_gt(archive_write(one, "s.zip", skip, &dg), 0);
	sh(d, "cmp one/s.zip two/s.zip");
	diag_free(&dg);
	free(one);
	free(two);
	sh(d, "cd / && rm -rf \"$OLDPWD\"");
	free(d);
}

Test(archive, an_unwritable_place_is_an_error)
{
	struct diag dg;
	diag_init(&dg);
	cr_expect_eq(archive_write("/nonexistent-dossier-folder", "s.zip", skip, &dg), -1);
	cr_expect_eq(dg.errors, 1);
	/* libzip creates the file only when closing: the listing fails first. */
	cr_expect_str_eq(dg.items[0].file, "/nonexistent-dossier-folder");
	cr_expect_str_eq(dg.items[0].msg, "cannot list folder for the archive: No such file or directory");
	diag_free(&dg);
}
