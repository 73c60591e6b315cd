#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "convert.h"
#include "diag.h"
#include "unit_site.h"

/* Runs the converter on `src` under the temporary folder into "out". */
static int convert(struct unit_site *u, const char *tool, const char *src, struct convert_stats *st)
{
	char *from = fs_join(u->dir, src), *out = fs_join(u->dir, "out");
	int rc = convert_run(tool, from, out, st, &u->d);
	free(from);
	free(out);
	return rc;
}

static void expect_file(struct unit_site *u, const char *rel, const char *want)
{
	char *path = fs_join("out", rel);
	char *text = unit_read(u->dir, path, NULL);
	cr_assert_not_null(text, "%s not written", path);
	cr_expect_str_eq(text, want, "%s", path);
	free(text);
	free(path);
}

/* The diagnostics as printed (sorted), the temporary folder's name taken
 * out. */
static char *diags(struct unit_site *u)
{
	char *all = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&all, &len);
	cr_assert_not_null(f);
	diag_print(&u->d, f);
	fclose(f);
	struct strbuf sb = STRBUF_INIT;
	size_t n = strlen(u->dir);
	for (const char *p = all; *p;) {
		const char *hit = strstr(p, u->dir);
		size_t k = hit ? (size_t)(hit - p) : strlen(p);
		sb_put(&sb, p, k);
		p += k;
		if (hit)
			p += n + 1;
	}
	free(all);
	return sb_detach(&sb);
}

Test(convert, hugo_front_matter_shortcodes_and_bundles)
{
	struct unit_site u;
	unit_site_make(&u, NULL);
	unit_site_write(&u, "h/content/notes/a.md",
			"---\ntitle: \"A note\"\nsummary: Short.\naliases: [\"/old/a/\"]\ntags: [x]\ndraft: false\n---\n"
			"See [b]({{< ref \"b.md\" >}}) and [leaf]({{< relref \"/notes/leaf\" >}}).\n"
			"{{< youtube id=1 >}}\n{{% note %}}Inner text{{% /note %}}\n"
			"Literal: {{</* figure src=\"x\" */>}}.\n");
	unit_site_write(&u, "h/content/notes/b.md", "{\n  \"title\": \"B\",\n  \"weight\": 3\n}\nB body.\n");
	unit_site_write(&u, "h/content/notes/leaf/index.md", "---\ntitle: Leaf\n---\nLeaf ![p](p.png)\n");
	unit_site_write(&u, "h/content/notes/leaf/p.png", "PNG");
	unit_sh(u.dir, "ln -s /etc/passwd h/content/notes/link.md");
	struct convert_stats st = { 0, 0 };
	cr_assert_eq(convert(&u, "hugo", "h", &st), 0);
	cr_expect_eq(st.pages, 3);
	cr_expect_eq(st.files, 1);
	expect_file(&u, "notes/a.md",
		    "+++\ntitle = \"A note\"\ndescription = \"Short.\"\nredirect_from = [\"old/a/index.html\"]\n"
		    "draft = false\n+++\n"
		    "See [b](b.md) and [leaf](leaf/_index.md).\n\nInner text\n"
		    "Literal: {{< figure src=\"x\" >}}.\n");
	expect_file(&u, "notes/b.md", "+++\ntitle = \"B\"\nweight = 3\n+++\nB body.\n");
	expect_file(&u, "notes/leaf/_index.md", "+++\ntitle = \"Leaf\"\n+++\nLeaf ![p](p.png)\n");
	expect_file(&u, "notes/leaf/p.png", "PNG");
	char *d = diags(&u);
	cr_expect_str_eq(d,
			 "h/content/notes/a.md:5:1: warning: Hugo front matter key 'tags' has no dossier equivalent; left out\n"
			 "h/content/notes/a.md:9:1: warning: Hugo shortcode '{{< youtube >}}' has no dossier equivalent; "
			 "removed\n"
			 "h/content/notes/a.md:10:1: warning: Hugo shortcode '{{% note %}}' has no dossier equivalent; "
			 "removed, with its closing tag (the text between them is kept)\n"
			 "h/content/notes/leaf/index.md: note: leaf bundle: written as notes/leaf/_index.md (same URL, "
			 "resources beside it)\n"
			 "h/content/notes/link.md: warning: symbolic link: not followed, not converted\n");
	free(d);
	char *leak = unit_read(u.dir, "out/notes/link.md", NULL);
	cr_expect_null(leak);
	free(leak);
	unit_site_free(&u);
}

Test(convert, mdbook_summary_order_titles_and_losses)
{
	struct unit_site u;
	unit_site_make(&u, NULL);
	unit_site_write(&u, "m/book.toml", "[book]\ntitle = \"B\"\n");
	unit_site_write(&u, "m/src/SUMMARY.md",
			"# Summary\n\n[Intro](README.md)\n\n- [First](first.md)\n    - [Nested](sub/nested.md)\n"
			"- [Draft]()\n");
	unit_site_write(&u, "m/src/README.md", "# Welcome\n\nHello, see [first](first.md).\n");
	unit_site_write(&u, "m/src/first.md", "# First chapter\n\n{{#include other.rs}}\nText.\n");
	unit_site_write(&u, "m/src/sub/nested.md", "No heading here.\n");
	unit_site_write(&u, "m/src/orphan.md", "orphan\n");
	struct convert_stats st = { 0, 0 };
	cr_assert_eq(convert(&u, "mdbook", "m", &st), 0);
	cr_expect_eq(st.pages, 3);
	expect_file(&u, "_index.md", "+++\ntitle = \"Welcome\"\nweight = 10\n+++\n\nHello, see [first](first.md).\n");
	expect_file(&u, "first.md", "+++\ntitle = \"First chapter\"\nweight = 20\n+++\n\n\nText.\n");
	expect_file(&u, "sub/nested.md", "+++\ntitle = \"Nested\"\nweight = 30\n+++\nNo heading here.\n");
	char *orphan = unit_read(u.dir, "out/orphan.md", NULL);
	cr_expect_null(orphan);
	free(orphan);
	char *d = diags(&u);
	cr_expect_str_eq(d,
			 "m/book.toml: note: the book's title is 'B': put it in site.toml's title\n"
			 "m/src/SUMMARY.md:7:3: note: draft chapter 'Draft' (no file) is left out\n"
			 "m/src/first.md:3:1: warning: mdBook '{{#include}}' has no dossier equivalent; removed\n"
			 "m/src/orphan.md: warning: not listed in SUMMARY.md (mdBook does not render it); left out\n");
	free(d);
	unit_site_free(&u);
}

/* A blank title (Hugo's title: "", an mdBook chapter whose heading and
 * SUMMARY entry hold only spaces) would be dossier's error: it is taken
 * from the file name, as a missing one is, and "_" stays "_". */
Test(convert, blank_titles_come_from_the_file_name)
{
	struct unit_site u;
	unit_site_make(&u, NULL);
	unit_site_write(&u, "h/content/my_note.md", "---\ntitle: \"  \"\n---\nBody.\n");
	unit_site_write(&u, "h/content/_.md", "+++\ntitle = \"\\u200b\"\n+++\nBody.\n");
	struct convert_stats st = { 0, 0 };
	cr_assert_eq(convert(&u, "hugo", "h", &st), 0);
	expect_file(&u, "my_note.md", "+++\ntitle = \"My note\"\n+++\nBody.\n");
	expect_file(&u, "_.md", "+++\ntitle = \"_\"\n+++\nBody.\n");
	char *d = diags(&u);
	cr_expect_str_eq(d,
			 "h/content/_.md:1:1: note: no title: using '_', from the file name\n"
			 "h/content/my_note.md:1:1: note: no title: using 'My note', from the file name\n");
	free(d);
	unit_site_free(&u);

	unit_site_make(&u, NULL);
	unit_site_write(&u, "m/book.toml", "[book]\n");
	unit_site_write(&u, "m/src/SUMMARY.md", "- [ ](blank-one.md)\n");
	unit_site_write(&u, "m/src/blank-one.md", "#   \n\nBody.\n");
	cr_assert_eq(convert(&u, "mdbook", "m", &st), 0);
	expect_file(&u, "blank-one.md", "+++\ntitle = \"Blank one\"\nweight = 10\n+++\n\nBody.\n");
	d = diags(&u);
	cr_expect_str_eq(d, "m/src/blank-one.md:1:1: note: no title: using 'Blank one', from the file name\n");
	free(d);
	unit_site_free(&u);
}

Test(convert, the_converted_content_builds)
{
	struct unit_site u;
	unit_site_make(&u, NULL);
	char *src = realpath("tests/fixtures/mdbook", NULL);
	cr_assert_not_null(src);
	struct convert_stats st = { 0, 0 };
	char *out = fs_join(u.dir, "content");
	cr_assert_eq(convert_run("mdbook", src, out, &st, &u.d), 0);
	unit_site_write(&u, "site.toml", "title = \"Book\"\n[history]\nenabled = false\n");
	diag_free(&u.d);
	diag_init(&u.d);
	cr_assert_eq(unit_site_load(&u), 0);
	cr_expect_eq(u.d.errors, 0);
	cr_expect_not_null(site_find_src(&u.s, "_index.md"));
	cr_expect_not_null(site_find_src(&u.s, "guide/start.md"));
	free(src);
	free(out);
	unit_site_free(&u);
}

Test(convert, refusals)
{
	struct unit_site u;
	unit_site_make(&u, NULL);
	struct convert_stats st = { 0, 0 };
	cr_expect_eq(convert(&u, "jekyll", "x", &st), -2);
	unit_site_write(&u, "h/content/a.md", "---\ntitle: A\n---\n");
	unit_site_write(&u, "out/keep.md", "mine");
	cr_expect_eq(convert(&u, "hugo", "h", &st), -1);
	char *d = diags(&u);
	cr_expect(strstr(d, "out: error: folder is not empty; convert into a new folder"), "%s", d);
	free(d);
	expect_file(&u, "keep.md", "mine");
	char *a = unit_read(u.dir, "out/a.md", NULL);
	cr_expect_null(a);
	free(a);
	unit_site_free(&u);
}
