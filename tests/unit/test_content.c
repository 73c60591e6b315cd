#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "fsutil.h"
#include "content.h"
#include "site.h"
#include "strbuf.h"
#include "value.h"
#include "xalloc.h"

/* Every diagnostic of `d`, formatted, one a line, in arrival order. */
static char *all_diags(struct diag *d)
{
	struct strbuf sb = STRBUF_INIT;
	for (size_t i = 0; i < d->n; i++) {
		char *s = NULL;
		diag_format(&d->items[i], &s);
		sb_printf(&sb, "%s\n", s);
		free(s);
	}
	return sb_detach(&sb);
}

/* --- the split of a file into front matter and body -------------------- */

struct split {
	int rc;
	size_t fm_end, body;
	int body_line;
	char *err;
};

static struct split split(const char *src)
{
	struct diag d;
	diag_init(&d);
	struct split r = { 0, 0, 0, 0, NULL };
	r.rc = page_split(src, strlen(src), "f.md", &r.fm_end, &r.body, &r.body_line, &d);
	r.err = all_diags(&d);
	cr_expect_eq(r.rc<0, d.errors> 0, "an error exactly when it fails");
	diag_free(&d);
	return r;
}

Test(content, split_toml_front_matter)
{
	const char *src = "+++\ntitle = \"T\"\n+++\nBody\n";
	struct split r = split(src);
	cr_assert_eq(r.rc, 0, "%s", r.err);
	cr_expect_eq(r.fm_end, 16, "the offset of the closing line");
	cr_expect_str_eq(src + r.body, "Body\n");
	cr_expect_eq(r.body_line, 4);
	free(r.err);
}

Test(content, split_yaml_and_trailing_blanks_and_crlf)
{
	const char *src = "--- \r\ntitle: T\r\n---\t\r\n\r\nBody";
	struct split r = split(src);
	cr_assert_eq(r.rc, 0, "%s", r.err);
	cr_expect_str_eq(src + r.body, "\r\nBody");
	cr_expect_eq(r.body_line, 4);
	free(r.err);
}

Test(content, split_needs_the_same_delimiter_on_a_line_of_its_own)
{
	/* "+++" closes TOML, "---" does not; "+++x" is no delimiter line. */
	struct split r = split("+++\na = 1\n---\n+++x\n");
	cr_expect_eq(r.rc, -1);
	cr_expect_str_eq(r.err, "f.md:1:1: error: front matter is not closed: no '+++' line after the opening one\n");
	free(r.err);
	r = split("---\na: 1\n");
	cr_expect_eq(r.rc, -1);
	cr_expect_str_eq(r.err, "f.md:1:1: error: front matter is not closed: no '---' line after the opening one\n");
	free(r.err);
	r = split(" +++\ntitle = 1\n+++\n");
	cr_expect_eq(r.rc, -1);
	cr_expect(strstr(r.err, "f.md:1:1: error: missing front matter") == r.err, "%s", r.err);
	free(r.err);
}

Test(content, split_a_file_that_ends_at_the_closing_line)
{
	const char *src = "+++\ntitle = \"T\"\n+++";
	struct split r = split(src);
	cr_assert_eq(r.rc, 0, "%s", r.err);
	cr_expect_eq(r.body, strlen(src), "an empty body");
	free(r.err);
}

Test(content, has_front_matter)
{
	cr_expect(page_has_front_matter("+++\n", 4));
	cr_expect(page_has_front_matter("---", 3));
	cr_expect(page_has_front_matter("+++  \n", 6));
	cr_expect(!page_has_front_matter("++\n", 3));
	cr_expect(!page_has_front_matter("# Title\n", 8));
	cr_expect(!page_has_front_matter("----\n", 5));
	cr_expect(!page_has_front_matter("", 0));
}

Test(content, front_matter_positions_match_the_file)
{
	struct diag d;
	diag_init(&d);
	const char *toml = "+++\ntitle = \"T\"\nweight = 3\n+++\n";
	struct value *fm = page_front_matter(toml, 27, "f.md", &d);
	cr_assert_not_null(fm);
	cr_expect_str_eq(value_get_str(fm, "title", NULL), "T");
	cr_expect_eq(value_get_int(fm, "weight", 0), 3);
	const struct value_kv *kv = value_table_getkv(fm, "weight");
	cr_expect_eq(kv->line, 3, "TOML lines count from the file's first line");
	cr_expect_eq(kv->col, 1);
	value_free(fm);
	const char *yaml = "---\ntitle: T\ntags: [a, b]\n---\n";
	fm = page_front_matter(yaml, 26, "f.md", &d);
	cr_assert_not_null(fm);
	cr_expect_str_eq(value_get_str(fm, "title", NULL), "T");
	cr_expect_eq(value_table_get(fm, "tags")->u.a.n, 2);
	cr_expect_eq(value_table_getkv(fm, "tags")->line, 3);
	value_free(fm);
	/* A TOML error points into the file, not into the header alone. */
	const char *bad = "+++\ntitle = \"T\"\nx = = 1\n+++\n";
	cr_expect_null(page_front_matter(bad, 24, "f.md", &d));
	cr_assert_eq(d.errors, 1);
	cr_expect_eq(d.items[0].line, 3);
	diag_free(&d);
}

static void expect_alias(const char *alias, const char *want)
{
	struct value *v = page_alias_redirect(alias);
	cr_expect_str_eq(v->u.s.p, want, "alias '%s'", alias);
	cr_expect_eq(v->u.s.n, strlen(want));
	value_free(v);
}

Test(content, alias_redirects)
{
	expect_alias("/old/path/", "old/path/index.html");
	expect_alias("/old/path", "old/path/index.html");
	expect_alias("old/page.html", "old/page.html");
	expect_alias("///x/", "x/index.html");
	expect_alias("/", "index.html");
	expect_alias("", "index.html");
	/* A dot in a folder name is not an extension. */
	expect_alias("/v1.2/notes", "v1.2/notes/index.html");
}

/* --- loading a tree ---------------------------------------------------- */

static char *tree(void)
{
	char tmpl[] = "/tmp/dossier-test-content-XXXXXX";
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

struct loaded {
	struct site s;
	struct diag d;
	char *dir, *content, *diags;
	int rc;
};

static void load(struct loaded *l, const char *setup, bool drafts)
{
	l->dir = tree();
	sh(l->dir, setup);
	site_init(&l->s);
	diag_init(&l->d);
	l->s.dir = l->dir;
	l->s.drafts = drafts;
	l->content = fs_join(l->dir, "content");
	l->rc = page_load_all(&l->s, l->content, &l->d);
	site_sort(&l->s, &l->d);
	l->diags = all_diags(&l->d);
}

static void unload(struct loaded *l)
{
	site_free(&l->s);
	diag_free(&l->d);
	sh(l->dir, "cd / && rm -rf \"$OLDPWD\"");
	free(l->dir);
	free(l->content);
	free(l->diags);
}

static const char *const basic_tree =
	"mkdir -p content/topics content/entities content/articles content/guides content/_templates && "
	"printf '+++\\ntitle = \"Home\"\\n+++\\nHi.\\n' >content/_index.md && "
	"printf '+++\\ntitle = \"Costs\"\\nweight = 2\\ndate = 2025-01-27\\n+++\\n## The figure\\n' "
	"  >content/topics/costs.md && "
	"printf '+++\\ntitle = \"Meta\"\\nkind = \"organization\"\\n+++\\nMeta.\\n' >content/entities/meta.md && "
	"printf '+++\\ntitle = \"Src\"\\npublisher = \"P\"\\npublished = \"unknown\"\\nurl = \"unknown\"\\n+++\\n"
	"One.\\nTwo.\\n' >content/articles/src.txt && "
	"printf '# Getting started\\n\\nText.\\n' >content/guides/start.md && "
	"printf '+++\\ntitle = \"Later\"\\ndraft = true\\n+++\\n' >content/topics/later.md && "
	"printf '+++\\ntitle = \"Slugged\"\\nslug = \"other-name\"\\n+++\\n' >content/topics/slugged.md && "
	"printf 'x' >content/guides/picture.png && printf 'not a page' >content/notes.txt && "
	"printf '+++\\ntitle = \"T\"\\n+++\\n' >content/_templates/topic.md";

Test(content, load_all_reads_kinds_paths_and_titles)
{
	struct loaded l;
	load(&l, basic_tree, false);
	cr_assert_eq(l.rc, 0, "%s", l.diags);
	cr_expect_str_eq(l.diags, "");
	static const struct {
		const char *src, *out, *kind, *title;
	} want[] = {
		{ "_index.md", "index.html", "home", "Home" },
		{ "articles/src.txt", "articles/src.html", "article", "Src" },
		{ "entities/meta.md", "entities/meta.html", "entity", "Meta" },
		{ "guides/start.md", "guides/start.html", "page", "Getting started" },
		{ "topics/costs.md", "topics/costs.html", "topic", "Costs" },
		{ "topics/slugged.md", "topics/other-name.html", "topic", "Slugged" },
	};
	cr_assert_eq(l.s.npages, sizeof(want) / sizeof(*want), "the draft and the template are left out");
	for (size_t i = 0; i < l.s.npages; i++) {
		const struct page *p = site_find_src(&l.s, want[i].src);
		cr_assert_not_null(p, "%s", want[i].src);
		cr_expect_str_eq(p->out, want[i].out);
		cr_expect_str_eq(page_kind_name(p->kind), want[i].kind, "%s", want[i].src);
		cr_expect_str_eq(p->title, want[i].title);
	}
	const struct page *costs = site_find_src(&l.s, "topics/costs.md");
	cr_expect_eq(costs->weight, 2);
	cr_expect_str_eq(costs->date, "2025-01-27");
	cr_expect_eq(costs->body_line, 6);
	cr_expect_str_eq(costs->file, "content/topics/costs.md");
	cr_expect_str_eq(costs->section, "topics");
	/* The leading heading became the title and left the body. */
	const struct page *start = site_find_src(&l.s, "guides/start.md");
	cr_expect_eq(cmark_node_get_type(cmark_node_first_child(start->doc)), CMARK_NODE_PARAGRAPH);
	/* Non-page files are assets, sorted, .txt outside articles/ included. */
	cr_assert_eq(l.s.nassets, 2);
	cr_expect_str_eq(l.s.assets[0], "guides/picture.png");
	cr_expect_str_eq(l.s.assets[1], "notes.txt");
	unload(&l);
}

Test(content, passive_types_are_an_allowlist)
{
	static const char *const yes[] = { "a.png", "b.JPG", "c.jpeg", "d.pdf", "e.csv", "f.json", "g.txt",
					   "h.mp4", "i.woff2", "j.zip", "k.tar.gz", "l.docx", "m.webp" };
	for (size_t i = 0; i < sizeof yes / sizeof *yes; i++)
		cr_expect(content_file_is_passive(yes[i]), "%s", yes[i]);
	static const char *const no[] = { "a.html", "b.HTM", "c.xhtml", "d.svg", "e.svgz", "f.xml",
					  "g.js", "h.mjs", "i.css", "j.wasm", "k.swf", "README", ".png",
					  "l.png.html", "m.", "n.shtml", "o.xsl", "p.php" };
	for (size_t i = 0; i < sizeof no / sizeof *no; i++)
		cr_expect(!content_file_is_passive(no[i]), "%s", no[i]);
}

static const char *const active_tree =
	"mkdir -p content/media && printf '+++\\ntitle = \"Home\"\\n+++\\nHi.\\n' >content/_index.md && "
	"printf '<script>x</script>' >content/media/a.html && printf '<svg/>' >content/media/b.svg && "
	"printf 'x' >content/media/c.js && printf 'x' >content/media/NOTES && printf 'x' >content/media/d.png";

/* Safe mode withholds what a browser would run, each reported; unsafe
 * mode (a maintainer's trust in contributors) publishes every file. */
Test(content, load_all_withholds_active_files_in_safe_mode)
{
	struct loaded l;
	load(&l, active_tree, false);
	const char *why = " could hold markup or script that would run on the site (content/ publishes images, "
			  "audio, video, PDF, documents, text, CSV, JSON, archives and fonts as they are; "
			  "[markdown] unsafe = true publishes any file)\n";
	struct strbuf want = STRBUF_INIT;
	sb_printf(&want, "content/media/NOTES: warning: not published: a file without an extension%s", why);
	sb_printf(&want, "content/media/a.html: warning: not published: a .html file%s", why);
	sb_printf(&want, "content/media/b.svg: warning: not published: a .svg file%s", why);
	sb_printf(&want, "content/media/c.js: warning: not published: a .js file%s", why);
	cr_expect_str_eq(l.diags, want.ptr);
	sb_free(&want);
	cr_assert_eq(l.s.nassets, 1);
	cr_expect_str_eq(l.s.assets[0], "media/d.png");
	cr_assert_eq(l.s.nwithheld, 4);
	cr_expect_str_eq(l.s.withheld[0], "media/NOTES");
	cr_expect_str_eq(l.s.withheld[3], "media/c.js");
	unload(&l);
}

Test(content, load_all_publishes_every_file_in_unsafe_mode)
{
	struct loaded l;
	l.dir = tree();
	sh(l.dir, active_tree);
	site_init(&l.s);
	diag_init(&l.d);
	l.s.dir = l.dir;
	l.s.cfg.unsafe = true;
	l.content = fs_join(l.dir, "content");
	l.rc = page_load_all(&l.s, l.content, &l.d);
	l.diags = all_diags(&l.d);
	cr_expect_str_eq(l.diags, "");
	cr_expect_eq(l.s.nassets, 5);
	cr_expect_eq(l.s.nwithheld, 0);
	unload(&l);
}

Test(content, load_all_with_drafts)
{
	struct loaded l;
	load(&l, basic_tree, true);
	cr_expect_not_null(site_find_src(&l.s, "topics/later.md"));
	cr_expect(site_find_src(&l.s, "topics/later.md")->draft);
	unload(&l);
}

Test(content, load_all_refuses_what_leaves_the_tree)
{
	struct loaded l;
	load(&l,
	     "mkdir -p content/topics && printf '+++\\ntitle = \"Home\"\\n+++\\n' >content/_index.md && "
	     "printf 'secret' >outside.md && ln -s ../../outside.md content/topics/leak.md && "
	     "ln -s /etc content/topics/etc && ln -s .. content/topics/up && ln -s nothing content/dangling.md",
	     false);
	cr_expect_eq(l.rc, 0);
	cr_expect_str_eq(l.diags,
			 "content/dangling.md: error: cannot read: symbolic link to nothing\n"
			 "content/topics/etc: error: symbolic link leads outside content/; refusing to follow it\n"
			 "content/topics/leak.md: error: symbolic link leads outside content/; refusing to follow it\n"
			 "content/topics/up: error: symbolic link loop: leads back to content; refusing to follow it\n");
	cr_expect_eq(l.s.npages, 1);
	cr_expect_eq(l.s.nassets, 0);
	unload(&l);
}

Test(content, load_all_refuses_bad_bytes_and_bad_names)
{
	struct loaded l;
	load(&l,
	     "mkdir -p content/topics && printf '+++\\ntitle = \"A\"\\n+++\\nok \\303\\251\\nbad \\377 here\\n' "
	     ">content/topics/a.md && printf '+++\\ntitle = \"B\"\\n+++\\n' >\"content/topics/$(printf 'b\\033x').md\" && "
	     "printf '+++\\ntitle = \"C\"\\n+++\\n' >\"content/topics/$(printf 'c\\377').md\" && "
	     "printf 'no header\\n' >content/topics/d.md && "
	     "printf '+++\\ntitle = \"E\"\\nslug = \"../../etc\"\\n+++\\n' >content/topics/e.md",
	     false);
	cr_expect_eq(l.rc, 0);
	/* The control byte and the bad byte are shown escaped. */
	cr_expect_str_eq(l.diags,
			 "content/topics/a.md:5:5: error: invalid UTF-8\n"
			 "content/topics/b\\x1bx.md: error: file name holds a control character; rename it\n"
			 "content/topics/c\\xff.md: error: file name is not valid UTF-8; rename it\n"
			 "content/topics/d.md:1:1: error: no front matter and no leading '# Title' heading: start the "
			 "file with '+++', a line 'title = \"...\"' and '+++' (or a '# Title' line)\n"
			 "content/topics/e.md:3:8: error: slug '../../etc' must be a plain file name (no '/', '..', "
			 "control characters or 'index')\n");
	/* e.md is kept under its own name; a.md, b, c are not loaded. */
	cr_expect_eq(l.s.npages, 2, "d.md (empty body, reported) and e.md");
	const struct page *e = site_find_src(&l.s, "topics/e.md");
	cr_assert_not_null(e);
	cr_expect_str_eq(e->out, "topics/e.html");
	unload(&l);
}

Test(content, load_all_skips_a_byte_order_mark)
{
	/* Windows editors start a file with U+FEFF; it hid the front matter.
	 * TOML with CRLF, YAML, and an article; an error on line 1 is counted
	 * without the mark, as an editor shows it. */
	struct loaded l;
	load(&l,
	     "mkdir -p content/topics content/articles && "
	     "printf '\\357\\273\\277+++\\r\\ntitle = \"A\"\\r\\n+++\\r\\nBody.\\r\\n' >content/topics/a.md && "
	     "printf '\\357\\273\\277---\\ntitle: B\\n---\\nBody.\\n' >content/topics/b.md && "
	     "printf '\\357\\273\\277+++\\ntitle = \"C\"\\nshort = \"C\"\\npublisher = \"unknown\"\\n"
	     "published = \"unknown\"\\nurl = \"unknown\"\\n+++\\nText.\\n' >content/articles/c.txt && "
	     "printf '\\357\\273\\277+++ x\\n' >content/topics/d.md",
	     false);
	const char *titles[] = { "topics/a.md", "A", "topics/b.md", "B", "articles/c.txt", "C" };
	for (size_t i = 0; i < 6; i += 2) {
		const struct page *p = site_find_src(&l.s, titles[i]);
		cr_assert_not_null(p, "%s: %s", titles[i], l.diags);
		cr_expect_str_eq(p->title, titles[i + 1]);
	}
	cr_expect(strstr(l.diags, "content/topics/d.md:1:1: error: "), "%s", l.diags);
	cr_expect(!strstr(l.diags, "a.md") && !strstr(l.diags, "b.md") && !strstr(l.diags, "c.txt"), "%s", l.diags);
	unload(&l);
}

Test(content, load_all_refuses_control_bytes_in_pages)
{
	/* U+0001 went into the HTML as is, NUL became U+FFFD; tab and CR
	 * are text. One error per line, at the first; the page is not loaded. */
	struct loaded l;
	load(&l,
	     "mkdir -p content/topics && printf '+++\\ntitle = \"A\"\\n+++\\nok\\tfine\\r\\nbad \\001 and \\000\\n"
	     "del \\177\\n' >content/topics/a.md && printf '+++\\ntitle = \"B\"\\n+++\\nBody.\\n' >content/topics/b.md",
	     false);
	cr_expect_str_eq(l.diags,
			 "content/topics/a.md:5:5: error: control character U+0001 (SOH); remove it (it would be lost "
			 "or misread)\n"
			 "content/topics/a.md:6:5: error: control character U+007F (DEL); remove it (it would be lost "
			 "or misread)\n");
	cr_expect_null(site_find_src(&l.s, "topics/a.md"));
	cr_expect_not_null(site_find_src(&l.s, "topics/b.md"));
	unload(&l);
}

Test(content, load_all_warns_of_a_slug_on_an_index_page)
{
	/* The home page and a section's _index.md are written as their
	 * folder's index.html: a slug there did nothing, without a word. */
	struct loaded l;
	load(&l,
	     "mkdir -p content/topics && printf '+++\\ntitle = \"Home\"\\nslug = \"../../x\"\\n+++\\n' >content/_index.md && "
	     "printf '+++\\ntitle = \"Topics\"\\nslug = \"t\"\\n+++\\n' >content/topics/_index.md",
	     false);
	cr_expect_str_eq(l.diags,
			 "content/_index.md:3:8: warning: slug has no effect on the home page (it is written as its "
			 "folder's index.html); remove it\n"
			 "content/topics/_index.md:3:8: warning: slug has no effect on a section's _index.md (it is "
			 "written as its folder's index.html); remove it\n");
	const struct page *h = site_find_src(&l.s, "_index.md"), *t = site_find_src(&l.s, "topics/_index.md");
	cr_assert(h && t, "%s", l.diags);
	cr_expect_str_eq(h->out, "index.html");
	cr_expect_str_eq(t->out, "topics/index.html");
	unload(&l);
}

Test(content, load_all_refuses_a_slug_too_long_for_the_output)
{
	/* An article's longest output name is "<slug>.annotations.jsonld":
	 * a slug of 237 bytes would make a name of 256, which no file
	 * system here holds (the write failed, naming the temporary output
	 * folder). 236 bytes are fine, from the file name or the slug. */
	struct loaded l;
	load(&l,
	     "mkdir -p content/notes && "
	     "printf '+++\\ntitle = \"A\"\\n+++\\n' >content/notes/$(printf 'a%.0s' $(seq 236)).md && "
	     "printf '+++\\ntitle = \"B\"\\n+++\\n' >content/notes/$(printf 'b%.0s' $(seq 237)).md && "
	     "printf '+++\\ntitle = \"C\"\\nslug = \"%s\"\\n+++\\n' $(printf 'c%.0s' $(seq 237)) "
	     ">content/notes/c.md && "
	     "printf '+++\\ntitle = \"D\"\\nslug = \"%s\"\\n+++\\n' $(printf 'd%.0s' $(seq 236)) "
	     ">content/notes/d.md",
	     false);
	char b[238], want[1024];
	memset(b, 'b', 237);
	b[237] = '\0';
	snprintf(want, sizeof(want),
		 "content/notes/%s.md: error: file name is too long: the output's file names made from it "
		 "would pass the 255 bytes a file name may have; make it at most 236 bytes before the "
		 "extension (or give a shorter slug)\n"
		 "content/notes/c.md:3:8: error: slug is 237 bytes long: the output's file names made "
		 "from it would pass the 255 bytes a file name may have; make it at most 236\n",
		 b);
	cr_expect_str_eq(l.diags, want);
	char a[300] = "notes/";
	memset(a + 6, 'a', 236);
	strcpy(a + 6 + 236, ".md");
	cr_expect_not_null(site_find_src(&l.s, a), "236 bytes are a valid slug");
	unload(&l);
}

Test(content, load_all_refuses_blank_titles_and_wordings)
{
	/* title = "" printed an empty <h1> and an empty link in every list
	 * of pages, a '# ' heading the same, and a claim's wording "" was
	 * found verbatim in any paragraph it cited: each is an error at its
	 * value (or heading); prefix, suffix and description may be empty. */
	struct loaded l;
	load(&l,
	     "mkdir -p content/topics content/notes content/articles && "
	     "printf '+++\\ntitle = \"\\\\u00a0 \"\\ndescription = \"\"\\n+++\\nx\\n' >content/notes/a.md && "
	     "printf '#   \\n\\nBody.\\n' >content/notes/b.md && "
	     "printf '# Fine\\n\\nBody.\\n' >content/notes/c.md && "
	     "printf '+++\\ntitle = \"T\"\\n[[claims]]\\nid = \"c\"\\nclaim = \" \"\\nstatus = \"reported\"\\n"
	     "[[claims.sources]]\\ncite = \"x.md\"\\nwording = \"\"\\n+++\\n' >content/topics/t.md && "
	     "printf '+++\\ntitle = \"S\"\\npublisher = \"\"\\npublished = \"unknown\"\\nurl = \"unknown\"\\n"
	     "[[annotations]]\\nquote = \"One\"\\nprefix = \"\"\\nnote = \"\\t\"\\n+++\\nOne.\\n' "
	     ">content/articles/s.txt",
	     false);
	cr_expect_str_eq(l.diags,
			 "content/articles/s.txt:3:13: error: 'publisher' is empty or only white space (write "
			 "\"unknown\" when it is not known)\n"
			 "content/articles/s.txt:9:8: error: 'note' is empty or only white space\n"
			 "content/notes/a.md:2:9: error: 'title' is empty or only white space\n"
			 "content/notes/b.md:1:1: error: the '# Title' heading is empty: give the page a title\n"
			 "content/topics/t.md:5:9: error: 'claim' is empty or only white space\n"
			 "content/topics/t.md:9:11: error: 'wording' is empty or only white space\n");
	const struct page *c = site_find_src(&l.s, "notes/c.md");
	cr_assert_not_null(c, "%s", l.diags);
	cr_expect_str_eq(c->title, "Fine");
	unload(&l);
}

Test(content, drops_in_an_annotation_note_are_reported_where_they_are)
{
	/* Raw HTML and a javascript: URL in a note were reported at the
	 * [[annotations]] header (7:1), not at their place in the note's
	 * string, which a broken link in the same note already was. */
	struct loaded l;
	load(&l,
	     "mkdir -p content/articles && "
	     "printf '+++\\ntitle = \"S\"\\npublisher = \"P\"\\npublished = \"unknown\"\\nurl = \"unknown\"\\n"
	     "\\n[[annotations]]\\nquote = \"One\"\\nnote = \"<b>x</b> [js](javascript:alert(1)) text\"\\n"
	     "+++\\nOne.\\n' >content/articles/s.txt",
	     false);
	cr_expect_str_eq(l.diags,
			 "content/articles/s.txt:9:9: warning: raw HTML '<b>' dropped (to keep it, set [markdown] "
			 "unsafe = true)\n"
			 "content/articles/s.txt:9:13: warning: raw HTML '</b>' dropped (to keep it, set [markdown] "
			 "unsafe = true)\n"
			 "content/articles/s.txt:9:18: warning: link URL 'javascript:alert(1)' dropped (to keep it, "
			 "set [markdown] unsafe = true)\n");
	unload(&l);
}

Test(content, load_all_refuses_article_urls_that_are_no_addresses)
{
	/* url = "javascript:alert(1)" went into the article's JSON-LD and
	 * its header as it was: an article's url is "unknown", an http(s)
	 * URL with a host or a reference without a scheme, as a link. */
	struct loaded l;
	load(&l,
	     "mkdir -p content/articles && for u in unknown https://example.org/a?b=1 HTTP://x.example "
	     "/articles/a1/ 'javascript:alert(1)' 'data:text/html,x' 'file:///etc/passwd' "
	     "'https://example.org/a b' https://; do "
	     "printf '+++\\ntitle = \"S\"\\npublisher = \"unknown\"\\npublished = \"unknown\"\\nurl = \"%s\"\\n+++\\n"
	     "One.\\n' \"$u\" >content/articles/$(printf %s \"$u\" | md5sum | cut -c1-6).txt; done",
	     false);
	const char *msg = ": error: url must be \"unknown\" or the article's address: an http:// or https:// URL "
			  "with a host (no other scheme), without spaces or quotes; not '";
	const char *bad[] = { "javascript:alert(1)", "data:text/html,x", "file:///etc/passwd", "https://example.org/a b",
			      "https://" };
	for (size_t i = 0; i < 5; i++) {
		struct strbuf want = STRBUF_INIT;
		sb_printf(&want, ":5:7%s%s'\n", msg, bad[i]);
		cr_expect(strstr(l.diags, want.ptr), "%s in:\n%s", bad[i], l.diags);
		sb_free(&want);
	}
	size_t errors = 0;
	for (const char *q = l.diags; (q = strstr(q, "error:")); q++)
		errors++;
	cr_expect_eq(errors, 5, "%s", l.diags);
	unload(&l);
}

Test(content, load_all_refuses_entity_links_without_a_host)
{
	/* links = ["https://"] passed the scheme check and became a sameAs
	 * of no site; a link is an http(s) URL with a host, as base_url. */
	struct loaded l;
	load(&l,
	     "mkdir -p content/entities && printf '+++\\ntitle = \"E\"\\nkind = \"concept\"\\nlinks = [\"https://\", "
	     "\"https://ok.example/x\", \"HTTPS://#x\", \"javascript:x\", \"http://a b.example\"]\\n+++\\nE.\\n' "
	     ">content/entities/e.md",
	     false);
	const char *m = ": error: links must be http(s) URLs with a host, without spaces or quotes\n";
	struct strbuf want = STRBUF_INIT;
	sb_printf(&want, "content/entities/e.md:4:10%scontent/entities/e.md:4:46%scontent/entities/e.md:4:60%s"
			 "content/entities/e.md:4:76%s",
		  m, m, m, m);
	cr_expect_str_eq(l.diags, want.ptr);
	sb_free(&want);
	unload(&l);
}

Test(content, load_all_refuses_claim_ids_that_are_no_ids)
{
	/* A claim id is written as an element's id and a link's fragment:
	 * "" and "a b" made invalid HTML, "ds-main" met the theme's id. */
	struct loaded l;
	load(&l,
	     "mkdir -p content/topics && for id in ok-1 '' 'a b' ds-main; do "
	     "printf '+++\\ntitle = \"T\"\\n[[claims]]\\nid = \"%s\"\\nclaim = \"C\"\\nstatus = \"reported\"\\n"
	     "[[claims.sources]]\\ncite = \"x.md\"\\nwording = \"w\"\\n+++\\n' \"$id\" "
	     ">\"content/topics/t$(printf %s \"$id\" | tr -c a-z0-9 _).md\"; done",
	     false);
	cr_expect_str_eq(l.diags,
			 "content/topics/t.md:4:6: error: claim id '' must be 1 to 64 ASCII letters, digits, '-' and '_', "
			 "not starting with 'ds-' (it is an element's id and the fragment of links to it)\n"
			 "content/topics/ta_b.md:4:6: error: claim id 'a b' must be 1 to 64 ASCII letters, digits, '-' and "
			 "'_', not starting with 'ds-' (it is an element's id and the fragment of links to it)\n"
			 "content/topics/tds_main.md:4:6: error: claim id 'ds-main' must be 1 to 64 ASCII letters, digits, "
			 "'-' and '_', not starting with 'ds-' (it is an element's id and the fragment of links to it)\n");
	cr_expect_not_null(site_find_src(&l.s, "topics/tok_1.md"), "%s", l.diags);
	unload(&l);
}

Test(content, load_all_hugo_aliases_become_redirects)
{
	struct loaded l;
	load(&l,
	     "mkdir -p content/topics && printf '+++\\ntitle = \"A\"\\naliases = [\"/old/a/\", \"/x.html\"]\\n+++\\n' "
	     ">content/topics/a.md",
	     false);
	const struct page *a = site_find_src(&l.s, "topics/a.md");
	cr_assert_not_null(a, "%s", l.diags);
	cr_expect_null(value_table_get(a->fm, "aliases"));
	const struct value *rf = value_table_get(a->fm, "redirect_from");
	cr_assert_not_null(rf);
	cr_assert_eq(rf->u.a.n, 2);
	cr_expect_str_eq(rf->u.a.items[0]->u.s.p, "old/a/index.html");
	cr_expect_str_eq(rf->u.a.items[1]->u.s.p, "x.html");
	cr_expect_eq(rf->u.a.items[0]->line, 3, "positions kept for the diagnostics");
	unload(&l);
}

Test(content, load_all_without_a_content_folder)
{
	struct loaded l;
	load(&l, "true", false);
	cr_expect_eq(l.rc, -1);
	cr_expect(strstr(l.diags, "error: cannot open content folder: No such file or directory"), "%s", l.diags);
	unload(&l);
}

Test(content, load_all_refuses_content_linked_out_of_the_site)
{
	struct loaded l;
	/* A link to a folder inside the site is fine. */
	load(&l, "mkdir -p inner/topics && printf '+++\\ntitle = \"A\"\\n+++\\n' >inner/topics/a.md && "
		 "ln -s inner content",
	     false);
	cr_expect_eq(l.rc, 0, "%s", l.diags);
	cr_expect_not_null(site_find_src(&l.s, "topics/a.md"));
	unload(&l);
	load(&l, "ln -s /tmp content", false);
	cr_expect_eq(l.rc, -1);
	cr_expect_str_eq(l.diags, "content: error: content/ is a symbolic link leading outside the site; refusing to read it\n");
	cr_expect_eq(l.s.npages, 0);
	unload(&l);
}
