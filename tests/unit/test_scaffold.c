#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "scaffold.h"
#include "unit_site.h"

static char *made(struct unit_site *u, const char *theme, const char *kind, const char *name,
		  const char *from, int want_rc)
{
	char *path = NULL;
	int rc = scaffold_new(u->dir, theme, kind, name, from, &path, &u->d);
	char *diags = unit_site_diags(&u->d);
	cr_assert_eq(rc, want_rc, "%s", diags);
	free(diags);
	if (rc != 0) {
		free(path);
		return NULL;
	}
	size_t n = strlen(u->dir);
	cr_assert(!strncmp(path, u->dir, n) && path[n] == '/', "%s", path);
	char *text = unit_read(u->dir, path + n + 1, NULL);
	cr_assert_not_null(text);
	free(path);
	return text;
}

Test(scaffold, a_topic_from_the_builtin_template)
{
	struct unit_site u;
	unit_site_make(&u, NULL);
	char *text = made(&u, NULL, "topic", "Hello, \"World\" 2025!", NULL, 0);
	cr_expect_str_eq(text, "+++\ntitle = \"Hello, \\\"World\\\" 2025!\"\ndescription = \"\"\nweight = 10\n+++\n\n"
			       "## Summary\n\n## Open questions\n");
	free(text);
	char *again = unit_read(u.dir, "content/topics/hello-world-2025.md", NULL);
	cr_expect_not_null(again, "the slug: lowercase letters and digits joined by '-'");
	free(again);
	unit_site_free(&u);
}

Test(scaffold, the_sites_template_then_the_themes)
{
	struct unit_site u;
	unit_site_make(&u, NULL);
	unit_site_write(&u, "themes/t/archetypes/entity.md", "+++\ntitle = \"{{title}}\"\nkind = \"person\"\n+++\n");
	char *text = made(&u, "t", "entity", "Jane Q. Public", NULL, 0);
	cr_expect_str_eq(text, "+++\ntitle = \"Jane Q. Public\"\nkind = \"person\"\n+++\n");
	free(text);
	unit_site_write(&u, "content/_templates/entity.md", "+++\ntitle = \"{{title}}\" # site\n+++\n");
	text = made(&u, "t", "entity", "Other one", NULL, 0);
	cr_expect_str_eq(text, "+++\ntitle = \"Other one\" # site\n+++\n");
	free(text);
	unit_site_free(&u);
}

/* A template linked outside its tree (a pull request's archetype pointing
 * at a file of the maintainer's machine) was copied into the new page. */
Test(scaffold, templates_linked_outside_are_not_read)
{
	struct unit_site u;
	unit_site_make(&u, NULL);
	unit_site_write(&u, "themes/t/archetypes/keep.md", "x\n");
	unit_site_write(&u, "content/_templates/.keep", "");
	unit_sh(u.dir, "echo SECRET >outside.txt && "
		       "ln -s ../../../outside.txt themes/t/archetypes/topic.md && "
		       "ln -s ../../outside.txt content/_templates/entity.md && "
		       "ln -s ../../themes/t/archetypes/keep.md content/_templates/article.md");
	cr_expect_null(made(&u, "t", "topic", "Hello", NULL, -1));
	cr_expect_null(made(&u, "t", "entity", "Someone", NULL, -1));
	char *diags = unit_site_diags(&u.d);
	cr_expect(strstr(diags, "/themes/t/archetypes/topic.md: error: symbolic link leads outside the theme; not read\n"),
		  "%s", diags);
	cr_expect(strstr(diags, "/content/_templates/entity.md: error: symbolic link leads outside the site's content; "
				"not read\n"),
		  "%s", diags);
	free(diags);
	char *none = unit_read(u.dir, "content/topics/hello.md", NULL);
	cr_expect_null(none, "no page made");
	free(none);
	/* A link to the theme from the site's templates leaves content/ too. */
	cr_expect_null(made(&u, "t", "article", "A", NULL, -1));
	unit_site_free(&u);
}

Test(scaffold, an_article_from_a_scraped_file)
{
	struct unit_site u;
	unit_site_make(&u, NULL);
	unit_site_write(&u, "scrape.txt", "First line.\nSecond “line”.\n");
	char *from = fs_join(u.dir, "scrape.txt");
	char *text = made(&u, NULL, "article", "A source", from, 0);
	cr_expect(strstr(text, "seed = \"scrape.txt\"\n"), "%s", text);
	const char *body = strstr(text, "\n+++\n");
	cr_assert_not_null(body);
	cr_expect_str_eq(body + 5, "First line.\nSecond “line”.\n", "copied verbatim below the header");
	free(text);
	char *file = unit_read(u.dir, "content/articles/a-source.txt", NULL);
	cr_expect_not_null(file);
	free(file);
	free(from);
	unit_site_free(&u);
}

Test(scaffold, refusals)
{
	struct unit_site u;
	unit_site_make(&u, NULL);
	char *text = made(&u, NULL, "topic", "Same", NULL, 0);
	free(text);
	unit_site_write(&u, "content/topics/same.md", "mine\n");
	cr_expect_null(made(&u, NULL, "topic", "same", NULL, -1));
	char *kept = unit_read(u.dir, "content/topics/same.md", NULL);
	cr_expect_str_eq(kept, "mine\n", "never overwritten");
	free(kept);
	cr_expect_null(made(&u, NULL, "page", "x", NULL, -2));
	cr_expect_null(made(&u, NULL, "topic", "x", "f.txt", -2));
	cr_expect_null(made(&u, NULL, "topic", "!!! ?!?", NULL, -1));
	unit_sh(u.dir, "printf 'ok\\000x' >bin.txt && printf 'caf\\351\\n' >latin1.txt");
	char *bin = fs_join(u.dir, "bin.txt"), *latin = fs_join(u.dir, "latin1.txt");
	cr_expect_null(made(&u, NULL, "article", "b", bin, -1));
	cr_expect_null(made(&u, NULL, "article", "l", latin, -1));
	char *diags = unit_site_diags(&u.d);
	cr_expect(strstr(diags, "content/topics/same.md: error: already exists; not overwriting it\n"), "%s", diags);
	cr_expect(strstr(diags, "error: unknown kind 'page' (article, topic or entity)\n"), "%s", diags);
	cr_expect(strstr(diags, "error: --from goes with 'new article' only\n"), "%s", diags);
	cr_expect(strstr(diags, "error: name '!!! ?!?' gives an empty file name\n"), "%s", diags);
	cr_expect(strstr(diags, "bin.txt:1:3: error: NUL byte: not a text file\n"), "%s", diags);
	cr_expect(strstr(diags, "latin1.txt:1:4: error: invalid UTF-8\n"), "%s", diags);
	free(diags);
	char *none = unit_read(u.dir, "content/articles/b.txt", NULL);
	cr_expect_null(none);
	free(none);
	free(bin);
	free(latin);
	unit_site_free(&u);
}
