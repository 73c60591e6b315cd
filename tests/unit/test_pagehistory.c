/* pagehistory: the revision pages load makes from the git history, on a
 * repository made here with the git CLI: which changes get a page (those
 * that changed the text), their diffs (the newest version read from the
 * file when it is the committed one, the others by blob id on several
 * threads), and the same model whether the walk ran on a thread of its own
 * or in place. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pagehistory.h"
#include "revlog.h"
#include "unit_site.h"
#include "wdiff.h"

static const char git_env[] =
	"export GIT_CONFIG_NOSYSTEM=1 GIT_CONFIG_GLOBAL=/dev/null "
	"GIT_AUTHOR_NAME=Ada GIT_AUTHOR_EMAIL=ada@example.org "
	"GIT_COMMITTER_NAME=Ada GIT_COMMITTER_EMAIL=ada@example.org; ";

static void git(struct unit_site *u, const char *cmd)
{
	struct strbuf sb = STRBUF_INIT;
	sb_printf(&sb, "%s%s >/dev/null 2>&1", git_env, cmd);
	unit_sh(u->dir, sb.ptr);
	sb_free(&sb);
}

/* a.md: added, then edited twice; b.md: added, then renamed to c.md. */
static void make_repo(struct unit_site *u)
{
	unit_site_make(u, NULL);
	unit_site_write(u, "site.toml", "title = \"T\"\ntheme = \"dossier\"\n[history]\nenabled = true\n");
	unit_site_write(u, "content/topics/a.md",
			"+++\ntitle = \"A\"\n+++\nfirst line\nthe old words here\nlast line\n");
	unit_site_write(u, "content/topics/b.md", "+++\ntitle = \"B\"\n+++\nunchanged text\n");
	git(u, "git init -q -b main . && git add -A && git commit -q -m add");
	unit_site_write(u, "content/topics/a.md",
			"+++\ntitle = \"A\"\n+++\nfirst line\nthe new words here\nlast line\n");
	git(u, "git commit -q -am edit1");
	unit_site_write(u, "content/topics/a.md",
			"+++\ntitle = \"A\"\n+++\nfirst line\nthe new words here\nlast line\nmore\n");
	git(u, "git mv content/topics/b.md content/topics/c.md && git commit -q -am 'edit2 and rename'");
}

static void load(struct unit_site *u, unsigned jobs, bool threaded)
{
	char *cfg = fs_join(u->dir, "site.toml"), *content = fs_join(u->dir, "content");
	u->s.dir = u->dir;
	u->s.config_file = "site.toml";
	u->s.content_prefix = "";
	u->s.jobs = jobs;
	cr_assert_eq(config_load(&u->s.cfg, cfg, "site.toml", &u->d), 0);
	struct pagehistory_walk *w = threaded ? pagehistory_start(&u->s, content) : NULL;
	cr_assert(!threaded || jobs < 2 || w, "a thread of its own with -j %u", jobs);
	cr_assert_eq(page_load_all(&u->s, content, &u->d), 0);
	cr_assert_eq(pagehistory_load(&u->s, content, w, &u->d), 0, "%s", unit_site_diags(&u->d));
	free(cfg);
	free(content);
}

static const struct page *page(const struct unit_site *u, const char *src)
{
	for (size_t i = 0; i < u->s.npages; i++)
		if (u->s.pages[i]->src && !strcmp(u->s.pages[i]->src, src))
			return u->s.pages[i];
	cr_assert_fail("no page %s", src);
	return NULL;
}

/* The diff's runs as "=same" "-del" "+ins" "~N" joined by '|'. */
static char *runs(const struct wdiff *w)
{
	struct strbuf sb = STRBUF_INIT;
	for (size_t i = 0; i < w->n; i++) {
		const struct wdiff_run *r = &w->runs[i];
		if (r->kind == WDIFF_SKIP) {
			sb_printf(&sb, "~%ld|", r->lines);
			continue;
		}
		sb_putc(&sb, "=-+"[r->kind]);
		sb_put(&sb, w->text + r->off, r->len);
		sb_putc(&sb, '|');
	}
	return sb_detach(&sb);
}

Test(pagehistory, only_changes_of_the_text_get_a_page)
{
	struct unit_site u;
	make_repo(&u);
	load(&u, 2, true);
	const struct page *a = page(&u, "topics/a.md");
	cr_assert_eq(a->history->n, 3);
	cr_assert_eq(a->nrevisions, 2, "the two edits, not the addition");
	cr_assert_eq(a->revisions[0].change, &a->history->changes[0]);
	cr_assert_eq(a->revisions[1].change, &a->history->changes[1]);
	char *r0 = runs(&a->revisions[0].diff), *r1 = runs(&a->revisions[1].diff);
	cr_assert_str_eq(r0, "~3|=first line\nthe new words here\nlast line\n|+more\n|", "%s", r0);
	cr_assert_str_eq(r1, "=+++\ntitle = \"A\"\n+++\nfirst line\n|=the |-old|+new|= words here\n|=last line\n|",
			 "%s", r1);
	free(r0);
	free(r1);
	cr_assert(!strncmp(a->revisions[0].page->out, "revisions/topics/a-", 19));
	const struct page *c = page(&u, "topics/c.md");
	cr_assert_eq(c->history->n, 2, "the rename and the addition");
	cr_assert_eq(c->nrevisions, 0, "a pure rename and an addition: no revision page");
	unit_site_free(&u);
}

/* The same model with the walk on its own thread or in place, on one or
 * two threads; an uncommitted edit is not taken for the newest version. */
Test(pagehistory, same_model_for_any_jobs_and_uncommitted_files)
{
	for (int k = 0; k < 3; k++) {
		struct unit_site u;
		make_repo(&u);
		if (k == 2)
			unit_site_write(&u, "content/topics/a.md",
					"+++\ntitle = \"A\"\n+++\nnot committed\n");
		load(&u, k == 1 ? 1 : 2, k != 1);
		const struct page *a = page(&u, "topics/a.md");
		cr_assert_eq(a->nrevisions, 2);
		char *r0 = runs(&a->revisions[0].diff);
		cr_assert_str_eq(r0, "~3|=first line\nthe new words here\nlast line\n|+more\n|", "run %d: %s", k, r0);
		free(r0);
		cr_assert_eq(a->history->uncommitted, k == 2);
		unit_site_free(&u);
	}
}
