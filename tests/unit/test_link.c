#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "link.h"
#include "markdown.h"
#include "site.h"
#include "value.h"
#include "xalloc.h"

#include "unit_site.h"

/* A site of a few pages with bodies, headings collected, sorted. */
static struct site site;
static struct diag diag;

static struct page *add(const char *src, const char *out, enum page_kind kind, const char *md)
{
	struct page *p = site_add_page(&site);
	p->src = src ? xstrdup(src) : NULL;
	p->out = xstrdup(out);
	p->file = src ? xstrdup(src) : NULL;
	p->section = xstrdup("");
	p->slug = xstrdup("x");
	p->kind = kind;
	p->fm = value_new_table();
	p->body_line = 1;
	p->doc = markdown_parse(md, strlen(md));
	if (kind == PAGE_ARTICLE)
		markdown_number_blocks(p);
	markdown_collect_headings(p);
	return p;
}

static void setup(void)
{
	site_init(&site);
	diag_init(&diag);
	add("_index.md", "index.html", PAGE_HOME, "Home.\n");
	add("topics/my page.md", "topics/my page.html", PAGE_TOPIC, "# Über uns\n\ntext\n");
	add("topics/a#b?c%d.md", "topics/a#b?c%d.html", PAGE_TOPIC, "text\n");
	add("topics/_index.md", "topics/index.html", PAGE_SECTION, "Topics.\n");
	add("guides/README.md", "guides/README.html", PAGE_PLAIN, "Guides.\n");
	add(NULL, "entities/index.html", PAGE_ENTITIES, "");
	add("entities/meta.md", "entities/meta.html", PAGE_ENTITY, "Meta.\n");
	add("articles/src.txt", "articles/src.html", PAGE_ARTICLE, "One.\n\nTwo.\n");
	site_sort(&site, &diag);
}

static void teardown(void)
{
	site_free(&site);
	diag_free(&diag);
}

static const char *resolve(const char *from, const char *url, char **frag)
{
	const struct page *p = site_find_src(&site, from);
	cr_assert(p);
	struct page *t = link_resolve(&site, p, url, frag, 3, 7, &diag);
	return t ? (t->src ? t->src : t->out) : NULL;
}

static void expect(const char *from, const char *url, const char *want, const char *want_frag)
{
	char *frag = NULL;
	const char *got = resolve(from, url, &frag);
	cr_expect(got && !strcmp(got, want), "'%s' from %s: got %s, want %s", url, from, got ? got : "NULL", want);
	if (want_frag)
		cr_expect(frag && !strcmp(frag, want_frag), "'%s': fragment %s, want %s", url,
			  frag ? frag : "NULL", want_frag);
	else
		cr_expect_null(frag, "'%s': fragment %s", url, frag);
	free(frag);
}

static void expect_error(const char *from, const char *url, const char *msg)
{
	char *frag = NULL;
	size_t before = diag.n;
	cr_expect_null(resolve(from, url, &frag), "'%s' resolved", url);
	cr_expect_null(frag);
	cr_assert_eq(diag.n, before + 1, "'%s': no diagnostic", url);
	char *s = NULL;
	diag_format(&diag.items[diag.n - 1], &s);
	cr_expect_str_eq(s, msg);
	free(s);
}

TestSuite(link, .init = setup, .fini = teardown);

Test(link, plain_relative_paths)
{
	expect("topics/my page.md", "../entities/meta.md", "entities/meta.md", NULL);
	expect("entities/meta.md", "../articles/src.txt#p2", "articles/src.txt", "p2");
	expect("entities/meta.md", "./meta.md", "entities/meta.md", NULL);
}

Test(link, percent_encoded_targets_decode)
{
	expect("entities/meta.md", "../topics/my%20page.md", "topics/my page.md", NULL);
	expect("entities/meta.md", "../topics/my page.md", "topics/my page.md", NULL);
	expect("entities/meta.md", "../topics/a%23b%3Fc%25d.md", "topics/a#b?c%d.md", NULL);
	expect("entities/meta.md", "../topics/my%20page.md#%C3%BCber-uns", "topics/my page.md", "über-uns");
	expect("entities/meta.md", "../topics/my%20page.md#über-uns", "topics/my page.md", "über-uns");
}

Test(link, query_is_ignored)
{
	expect("entities/meta.md", "meta.md?plain=1", "entities/meta.md", NULL);
}

Test(link, same_page_fragment)
{
	expect("topics/my page.md", "#über-uns", "topics/my page.md", "über-uns");
}

Test(link, folders_resolve_to_their_index)
{
	expect("entities/meta.md", "../topics/", "topics/_index.md", NULL);
	expect("entities/meta.md", "../topics", "topics/_index.md", NULL);
	expect("entities/meta.md", "../guides/", "guides/README.md", NULL);
	expect("entities/meta.md", "../", "_index.md", NULL);
	expect("topics/my page.md", "..", "_index.md", NULL);
	expect("topics/my page.md", "../entities/", "entities/index.html", NULL);
}

Test(link, errors_name_the_link_as_written)
{
	expect_error("entities/meta.md", "../topics/nope%20x.md",
		     "entities/meta.md:3:7: error: link target '../topics/nope%20x.md' not found");
	expect_error("entities/meta.md", "../../outside.md",
		     "entities/meta.md:3:7: error: link target '../../outside.md' not found (it leaves content/)");
	expect_error("entities/meta.md", "../topics/my%20page.md#nope",
		     "entities/meta.md:3:7: error: link target '../topics/my%20page.md#nope': no heading or anchor "
		     "'nope' in topics/my page.md");
	expect_error("entities/meta.md", "../articles/src.txt#p3",
		     "entities/meta.md:3:7: error: citation '../articles/src.txt#p3': articles/src.txt has 2 "
		     "paragraphs, no paragraph 3");
	expect_error("entities/meta.md", "../nothing/",
		     "entities/meta.md:3:7: error: link target '../nothing/' not found");
}

Test(link, encoded_steps_up_still_cannot_leave_content)
{
	/* Decoding comes before resolving: an encoded ".." or "/" is one. */
	expect_error("entities/meta.md", "%2e%2e/%2E%2E/outside.md",
		     "entities/meta.md:3:7: error: link target '%2e%2e/%2E%2E/outside.md' not found (it leaves "
		     "content/)");
	expect_error("entities/meta.md", "..%2f..%2Foutside.md",
		     "entities/meta.md:3:7: error: link target '..%2f..%2Foutside.md' not found (it leaves "
		     "content/)");
	expect_error("entities/meta.md", "/../entities/meta.md",
		     "entities/meta.md:3:7: error: link target '/../entities/meta.md' not found (it leaves "
		     "content/)");
	/* Via a real folder and back out. */
	expect_error("topics/my page.md", "../entities/../../x.md",
		     "topics/my page.md:3:7: error: link target '../entities/../../x.md' not found (it leaves "
		     "content/)");
}

Test(link, decoding_happens_once)
{
	/* %2520 is "%20" after one decoding, which is not "my page.md". */
	expect_error("entities/meta.md", "../topics/my%2520page.md",
		     "entities/meta.md:3:7: error: link target '../topics/my%2520page.md' not found");
	expect("entities/meta.md", "../topics/a%23b%3Fc%25d.md", "topics/a#b?c%d.md", NULL);
}

Test(link, nul_is_never_decoded)
{
	/* %00 stays literal, so "meta.md%00.png" cannot end at "meta.md". */
	expect_error("entities/meta.md", "meta.md%00.png",
		     "entities/meta.md:3:7: error: link target 'meta.md%00.png' not found");
	expect_error("entities/meta.md", "meta.md#p%001",
		     "entities/meta.md:3:7: error: link target 'meta.md#p%001': no heading or anchor 'p%001' in "
		     "entities/meta.md");
}

Test(link, empty_components_and_root_relative_paths)
{
	expect("entities/meta.md", "..//topics//my%20page.md", "topics/my page.md", NULL);
	expect("entities/meta.md", ".//meta.md", "entities/meta.md", NULL);
	/* A leading '/' is the content folder's root, as on a forge's tree. */
	expect("articles/src.txt", "/entities/meta.md", "entities/meta.md", NULL);
	/* Protocol-relative: a host, never a content path. */
	expect_error("entities/meta.md", "//evil.example/entities/meta.md",
		     "entities/meta.md:3:7: error: link target '//evil.example/entities/meta.md' not found");
}

Test(link, fragments_query_and_paragraph_bounds)
{
	expect("entities/meta.md", "../articles/src.txt?x=1#p1", "articles/src.txt", "p1");
	/* An empty fragment is the page itself. */
	expect("entities/meta.md", "../articles/src.txt#", "articles/src.txt", "");
	expect_error("entities/meta.md", "../articles/src.txt#p0",
		     "entities/meta.md:3:7: error: link target '../articles/src.txt#p0': no heading or anchor 'p0' "
		     "in articles/src.txt");
	expect_error("entities/meta.md", "../articles/src.txt#p01",
		     "entities/meta.md:3:7: error: link target '../articles/src.txt#p01': no heading or anchor "
		     "'p01' in articles/src.txt");
	/* A paragraph id on a page without paragraphs is no citation. */
	expect_error("entities/meta.md", "../topics/my%20page.md#p1",
		     "entities/meta.md:3:7: error: link target '../topics/my%20page.md#p1': no heading or anchor "
		     "'p1' in topics/my page.md");
	/* Heading ids are exact: no case folding. */
	expect_error("entities/meta.md", "../topics/my%20page.md#Über-uns",
		     "entities/meta.md:3:7: error: link target '../topics/my%20page.md#Über-uns': no heading or "
		     "anchor 'Über-uns' in topics/my page.md");
}

Test(link, a_file_name_is_not_a_folder)
{
	/* "meta.md/" names a folder that does not exist. */
	expect_error("entities/meta.md", "meta.md/",
		     "entities/meta.md:3:7: error: link target 'meta.md/' not found");
	/* The folder's generated page, not its output file name. */
	expect_error("entities/meta.md", "index.html",
		     "entities/meta.md:3:7: error: link target 'index.html' not found");
}

/* A file of content/ withheld from publishing (content.h) is named as
 * such, not as missing. */
Test(link, a_withheld_file_is_not_published)
{
	site.withheld = xcalloc(1, sizeof(*site.withheld));
	site.withheld[site.nwithheld++] = xstrdup("topics/chart.svg");
	expect_error("topics/_index.md", "chart.svg",
		     "topics/_index.md:3:7: error: link target 'chart.svg' is not published: content/topics/chart.svg "
		     "could run markup or script on the site (its warning says more)");
	expect_error("topics/_index.md", "chart.png", "topics/_index.md:3:7: error: link target 'chart.png' not found");
}

/* A file of content/ may not take a page's name (a generated one
 * included), and no two names may differ only in case or Unicode
 * normalization (one file on macOS and Windows); `dossier check` sees it,
 * since link does. */
Test(link, output_names_are_one_file_each_everywhere)
{
	struct unit_site u;
	unit_site_make(&u, NULL);
	unit_site_write(&u, "site.toml", "title = \"S\"\n[markdown]\nunsafe = true\n");
	unit_site_write(&u, "content/_index.md", "+++\ntitle = \"Home\"\n+++\nHi.\n");
	unit_site_write(&u, "content/topics/my page.md", "+++\ntitle = \"A\"\n+++\nA.\n");
	unit_site_write(&u, "content/topics/My Page.md", "+++\ntitle = \"B\"\n+++\nB.\n");
	unit_site_write(&u, "content/notes/caf\xc3\xa9.md", "+++\ntitle = \"NFC\"\n+++\nC.\n");
	unit_site_write(&u, "content/notes/cafe\xcc\x81.md", "+++\ntitle = \"NFD\"\n+++\nD.\n");
	unit_site_write(&u, "content/guides/README.md", "+++\ntitle = \"G\"\n+++\nG.\n");
	unit_site_write(&u, "content/guides/readme.html", "<p>mine</p>\n");
	unit_site_write(&u, "content/topics/index.html", "<p>mine</p>\n");
	unit_site_write(&u, "content/index.html", "<p>mine</p>\n");
	unit_site_write(&u, "content/pic.png", "png\n");
	unit_site_write(&u, "content/PIC.png", "png\n");
	cr_assert_eq(unit_site_load(&u), 0);
	struct strbuf got = STRBUF_INIT;
	for (size_t i = 0; i < u.d.n; i++) {
		char *line = NULL;
		diag_format(&u.d.items[i], &line);
		if (strstr(line, "published as"))
			sb_printf(&got, "%s\n", line);
		free(line);
	}
	const char *tail = " only in letter case or Unicode normalization: on macOS and Windows, where the site "
			   "is read offline, one would replace the other; rename one of them\n";
	struct strbuf want = STRBUF_INIT;
	sb_printf(&want, "content/guides/readme.html: error: published as 'guides/readme.html', which differs from "
			 "'guides/README.html' (content/guides/README.md)%s",
		  tail);
	sb_puts(&want, "content/index.html: error: this file would be published as 'index.html', replacing the page "
		       "of content/_index.md; rename or move it\n");
	sb_printf(&want, "content/notes/cafe\xcc\x81.md:1:1: error: published as 'notes/cafe\xcc\x81.html', which differs "
			 "from 'notes/caf\xc3\xa9.html' (content/notes/caf\xc3\xa9.md)%s",
		  tail);
	sb_printf(&want, "content/pic.png: error: published as 'pic.png', which differs from 'PIC.png' (content/PIC.png)%s", tail);
	sb_puts(&want, "content/topics/index.html: error: this file would be published as 'topics/index.html', "
		       "replacing a page the build makes; rename or move it\n");
	sb_printf(&want, "content/topics/My Page.md:1:1: error: published as 'topics/My Page.html', which differs "
			 "from 'topics/my page.html' (content/topics/my page.md)%s",
		  tail);
	cr_expect_str_eq(got.ptr ? got.ptr : "", want.ptr);
	sb_free(&got);
	sb_free(&want);
	unit_site_free(&u);
}

/* Two folders one on macOS: their generated list pages are one file;
 * the error is at the one output (no source to name). */
Test(link, generated_pages_whose_names_fold_together)
{
	struct unit_site u;
	unit_site_make(&u, NULL);
	unit_site_write(&u, "site.toml", "title = \"S\"\n");
	unit_site_write(&u, "content/_index.md", "+++\ntitle = \"Home\"\n+++\nHi.\n");
	unit_site_write(&u, "content/Topics/a.md", "+++\ntitle = \"A\"\n+++\nA.\n");
	unit_site_write(&u, "content/topics/b.md", "+++\ntitle = \"B\"\n+++\nB.\n");
	cr_assert_eq(unit_site_load(&u), 0);
	char *all = unit_site_diags(&u.d);
	cr_expect(strstr(all, "topics/index.html:1:1: error: published as 'topics/index.html', which differs from "
			      "'Topics/index.html' (a page the build makes) only in letter case"),
		  "%s", all);
	free(all);
	unit_site_free(&u);
}
