#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "init.h"
#include "skel.h"
#include "unit_site.h"

static size_t nskel(void)
{
	size_t n = 0;
	while (skel_files[n].path)
		n++;
	return n;
}

Test(init, writes_every_skeleton_file_as_it_is)
{
	struct unit_site u;
	unit_site_make(&u, NULL);
	char *dir = fs_join(u.dir, "new/site");
	int n = init_site(dir, false, &u.d);
	cr_assert_eq(n, (int)nskel(), "%d of %zu files", n, nskel());
	cr_expect_eq(n, 11);
	cr_expect_eq(u.d.n, 0);
	for (size_t i = 0; skel_files[i].path; i++) {
		char *text = unit_read(dir, skel_files[i].path, NULL);
		cr_assert_not_null(text, "%s", skel_files[i].path);
		cr_expect_str_eq(text, skel_files[i].text, "%s", skel_files[i].path);
		free(text);
	}
	free(dir);
	unit_site_free(&u);
}

Test(init, the_new_site_loads_and_links_without_a_problem)
{
	struct unit_site u;
	unit_site_make(&u, NULL);
	/* The folder holds themes/ already: --force adds the site beside it. */
	cr_assert_eq(init_site(u.dir, true, &u.d), 11);
	cr_assert_eq(unit_site_load(&u), 0);
	char *diags = unit_site_diags(&u.d);
	cr_expect_str_eq(diags, "");
	free(diags);
	cr_expect_gt(u.s.nentities, 0);
	cr_expect_gt(u.s.nclaims, 0);
	unit_site_free(&u);
}

Test(init, refuses_a_folder_that_is_not_empty)
{
	struct unit_site u;
	unit_site_make(&u, NULL);
	unit_sh(u.dir, "touch a b c d e f");
	cr_expect_eq(init_site(u.dir, false, &u.d), -1);
	char *diags = unit_site_diags(&u.d);
	char want[512];
	snprintf(want, sizeof want,
		 "%s: error: folder is not empty (a, b, c, d, e, …); use --force to add the missing files (existing "
		 "ones are never overwritten)\n",
		 u.dir);
	cr_expect_str_eq(diags, want);
	free(diags);
	char *toml = unit_read(u.dir, "site.toml", NULL);
	cr_expect_null(toml, "nothing written");
	free(toml);
	unit_site_free(&u);
}

Test(init, force_keeps_what_exists)
{
	struct unit_site u;
	unit_site_make(&u, NULL);
	unit_site_write(&u, "site.toml", "title = \"Mine\"\n");
	cr_expect_eq(init_site(u.dir, true, &u.d), 10);
	char *toml = unit_read(u.dir, "site.toml", NULL);
	cr_expect_str_eq(toml, "title = \"Mine\"\n");
	free(toml);
	cr_assert_eq(u.d.n, 1);
	cr_expect_eq(u.d.items[0].level, DIAG_NOTE);
	cr_expect_str_eq(u.d.items[0].msg, "exists; kept as it is");
	unit_site_free(&u);
}

Test(init, never_writes_through_a_link_out_of_the_site)
{
	struct unit_site u;
	unit_site_make(&u, NULL);
	unit_sh(u.dir, "mkdir outside site && ln -s ../outside site/content && ln -s ../outside/x site/site.toml");
	char *dir = fs_join(u.dir, "site");
	cr_expect_eq(init_site(dir, true, &u.d), -1);
	char *diags = unit_site_diags(&u.d);
	cr_expect(strstr(diags, "/site/content/_index.md: error: a symbolic link leads this file outside the new "
				"site; not writing it\n"),
		  "%s", diags);
	free(diags);
	/* The dangling link is not followed to create outside/x either. */
	unit_sh(u.dir, "[ -z \"$(ls outside)\" ]");
	free(dir);
	unit_site_free(&u);
}

Test(init, a_file_is_not_a_folder)
{
	struct unit_site u;
	unit_site_make(&u, NULL);
	unit_site_write(&u, "file", "x");
	char *dir = fs_join(u.dir, "file");
	cr_expect_eq(init_site(dir, true, &u.d), -1);
	cr_expect_str_eq(u.d.items[0].msg, "exists and is not a folder");
	free(dir);
	unit_site_free(&u);
}
