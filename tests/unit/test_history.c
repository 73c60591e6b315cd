/* history: what can be checked in-process. Repositories are made by the git
 * CLI in each test's set-up; tests/history/run.sh compares with git log. */
#include <criterion/criterion.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "diag.h"
#include "history.h"
#include "strbuf.h"
#include "xalloc.h"

static char dir[64];
static struct diag d;
static struct history *h;
static struct history_repo *repo; /* of the last load, for history_blobs */

/* Shell helpers for the scripts: commit at a fixed, increasing time;
 * raw_commit for messages git commit would repair. */
static const char prelude[] =
	"set -e\n"
	"export GIT_CONFIG_NOSYSTEM=1 GIT_CONFIG_GLOBAL=/dev/null\n"
	"export GIT_AUTHOR_NAME='Ada Author' GIT_AUTHOR_EMAIL=ada@example.org\n"
	"export GIT_COMMITTER_NAME='Ada Author' GIT_COMMITTER_EMAIL=ada@example.org\n"
	"T=1737950400; Z=+0000\n"
	"commit() { T=$((T + 60)); GIT_AUTHOR_DATE=\"@$T $Z\" GIT_COMMITTER_DATE=\"@$T $Z\" "
	"git commit -q --allow-empty-message \"$@\"; }\n"
	"raw_commit() { T=$((T + 60)); { echo \"tree $(git write-tree)\";"
	" git rev-parse -q --verify HEAD >/dev/null && echo \"parent $(git rev-parse HEAD)\";"
	" echo \"author A <a@x> $T +0000\"; echo \"committer A <a@x> $T +0000\"; echo;"
	" printf \"$1\\n\"; } >../raw; git update-ref HEAD \"$(git hash-object -t commit -w ../raw)\"; }\n"
	"lines() { i=1; while [ $i -le $2 ]; do echo \"$1 $i $(echo $1$i | cksum)\"; i=$((i+1)); done; }\n";

static void run(const char *fmt, ...)
{
	struct strbuf cmd = STRBUF_INIT, script = STRBUF_INIT;
	va_list ap;
	va_start(ap, fmt);
	sb_vprintf(&script, fmt, ap);
	va_end(ap);
	char *path = NULL;
	struct strbuf p = STRBUF_INIT;
	sb_printf(&p, "%s/script.sh", dir);
	path = sb_detach(&p);
	FILE *f = fopen(path, "w");
	cr_assert(f);
	fprintf(f, "%scd '%s/repo'\n%s\n", prelude, dir, script.ptr);
	cr_assert_eq(fclose(f), 0);
	sb_printf(&cmd, "sh '%s' >'%s/log' 2>&1", path, dir);
	int rc = system(cmd.ptr);
	cr_assert_eq(rc, 0, "script failed:\n%s", script.ptr);
	free(path);
	sb_free(&cmd);
	sb_free(&script);
}

static void setup(void)
{
	strcpy(dir, "/tmp/dossier-history-test.XXXXXX");
	cr_assert(mkdtemp(dir));
	struct strbuf sb = STRBUF_INIT;
	sb_printf(&sb, "mkdir -p '%s/repo' && cd '%s/repo' && git init -q -b main . "
		       ">/dev/null 2>&1",
		  dir, dir);
	cr_assert_eq(system(sb.ptr), 0);
	sb_free(&sb);
	diag_init(&d);
	h = NULL;
}

static void teardown(void)
{
	history_free(h);
	history_repo_free(repo);
	repo = NULL;
	diag_free(&d);
	struct strbuf sb = STRBUF_INIT;
	sb_printf(&sb, "rm -rf '%s'", dir);
	if (system(sb.ptr) != 0)
		fprintf(stderr, "could not remove %s\n", dir);
	sb_free(&sb);
}

TestSuite(history, .init = setup, .fini = teardown);

static void load_opts(const char *sub, const struct history_options *o)
{
	struct strbuf p = STRBUF_INIT;
	sb_printf(&p, "%s/%s", dir, sub);
	history_repo_free(repo);
	cr_assert_eq(history_load(p.ptr, o, &h, &repo, &d), 0);
	cr_assert(h);
	sb_free(&p);
}

static void load(const char *sub)
{
	load_opts(sub, NULL);
}

static const struct history_file *file(const char *path)
{
	const struct history_file *f = history_find(h, path);
	cr_assert(f, "no history for %s", path);
	return f;
}

/* The statuses of a file's changes, newest first: "CRMA". */
static char *statuses(const struct history_file *f)
{
	char *s = xcalloc(f->n + 1, 1);
	for (size_t i = 0; i < f->n; i++)
		s[i] = f->changes[i].status;
	return s;
}

static const char *hash_of(const char *rev)
{
	static char out[4][41];
	static int k;
	struct strbuf sb = STRBUF_INIT;
	sb_printf(&sb, "cd '%s/repo' && git rev-parse %s", dir, rev);
	FILE *p = popen(sb.ptr, "r");
	cr_assert(p);
	char *r = out[k++ % 4];
	cr_assert(fgets(r, 41, p));
	pclose(p);
	sb_free(&sb);
	return r;
}

Test(history, not_a_repository)
{
	struct strbuf sb = STRBUF_INIT;
	sb_printf(&sb, "mkdir -p '%s/plain/content'", dir);
	cr_assert_eq(system(sb.ptr), 0);
	sb_free(&sb);
	load("plain/content");
	cr_assert_not(history_available(h));
	cr_assert_eq(d.n, 1);
	cr_assert_eq(d.items[0].level, DIAG_NOTE);
	cr_assert(strstr(d.items[0].msg, "not in a git repository"));
	cr_assert_null(history_find(h, "a.md"));
	const struct history_change *const *all;
	cr_assert_eq(history_all(h, &all), 0);
}

Test(history, no_commits)
{
	run("mkdir content && echo x >content/a.md");
	load("repo/content");
	cr_assert_not(history_available(h));
	cr_assert_eq(d.n, 1);
	cr_assert_eq(d.items[0].level, DIAG_NOTE);
}

Test(history, statuses_renames_and_stats)
{
	run("mkdir content\n"
	    "lines a 10 >content/a.md && lines x 3 >content/x.md && git add . && commit -m add\n"
	    "sed -i 2d content/a.md && echo more >>content/a.md && git add . && commit -m edit\n"
	    "git mv content/a.md content/b.md && commit -m move\n"
	    "git mv content/b.md content/c.md && sed -i 3s/.*/changed/ content/c.md && git add . && commit -m 'move+edit'\n"
	    "git rm -q content/x.md && commit -m 'drop x'");
	load("repo/content");
	cr_assert(history_available(h));
	cr_assert_eq(d.n, 0);
	const struct history_file *f = file("c.md");
	char *st = statuses(f);
	cr_assert_str_eq(st, "CRMA");
	free(st);
	cr_assert_str_eq(f->changes[0].path, "content/c.md");
	cr_assert_str_eq(f->changes[0].old_path, "content/b.md");
	cr_assert_str_eq(f->changes[1].old_path, "content/a.md");
	cr_assert_null(f->changes[2].old_path);
	/* Blob ids: a pure rename keeps its blob, an edit changes it, an
	 * addition has no old side (tests/history compares line stats made
	 * from them with git log --numstat). */
	cr_assert_str_eq(f->changes[1].blob, f->changes[1].old_blob);
	cr_assert_str_neq(f->changes[0].blob, f->changes[0].old_blob);
	cr_assert_str_eq(f->changes[0].old_blob, f->changes[1].blob);
	cr_assert_str_eq(f->changes[2].blob, f->changes[1].old_blob);
	cr_assert_str_eq(f->changes[3].old_blob, "");
	cr_assert_eq(strlen(f->changes[3].blob), 40);
	cr_assert_eq(f->added, f->changes[3].commit);
	cr_assert_eq(f->updated, f->changes[0].commit);
	cr_assert_str_eq(f->changes[0].commit->subject, "move+edit");
	cr_assert_str_eq(f->changes[0].commit->hash, hash_of("HEAD~1"));
	cr_assert_eq(strlen(f->changes[0].commit->short_hash), 7);
	cr_assert_eq(strncmp(f->changes[0].commit->short_hash, hash_of("HEAD~1"), 7), 0);
	cr_assert_null(history_find(h, "x.md"), "deleted files have no page");
	cr_assert_not(f->truncated);
	cr_assert_not(f->uncommitted);
}

Test(history, blobs_of_each_side)
{
	run("mkdir content\n"
	    "printf 'one\\ntwo\\n' >content/a.md && git add . && commit -m add\n"
	    "printf 'one\\nTWO\\n' >content/a.md && git add . && commit -m edit\n"
	    "git mv content/a.md content/b.md && printf 'one\\nTWO\\nthree\\n' >content/b.md && "
	    "git add . && commit -m rename");
	load("repo/content");
	const struct history_file *f = file("b.md");
	cr_assert_eq(f->n, 3);
	/* The walk keeps each side's blob id, as git names it. */
	cr_assert_str_eq(f->changes[0].blob, hash_of("HEAD:content/b.md"));
	cr_assert_str_eq(f->changes[0].old_blob, hash_of("HEAD~1:content/a.md"));
	cr_assert_str_eq(f->changes[1].blob, hash_of("HEAD~1:content/a.md"));
	cr_assert_str_eq(f->changes[1].old_blob, hash_of("HEAD~2:content/a.md"));
	cr_assert_str_eq(f->changes[2].blob, hash_of("HEAD~2:content/a.md"));
	cr_assert_str_eq(f->changes[2].old_blob, "");
	char *o, *n;
	size_t on, nn;
	cr_assert_eq(history_blobs(repo, &f->changes[0], &o, &on, &n, &nn, &d), 0);
	cr_assert_str_eq(o, "one\nTWO\n");
	cr_assert_str_eq(n, "one\nTWO\nthree\n");
	cr_assert_eq(nn, 14);
	free(o);
	free(n);
	cr_assert_eq(history_blobs(repo, &f->changes[2], &o, &on, &n, &nn, &d), 0);
	cr_assert_str_eq(o, "");
	cr_assert_eq(on, 0);
	cr_assert_str_eq(n, "one\ntwo\n");
	free(o);
	free(n);
}

/* The blob reading the revision pages use: by id through a second handle
 * (another thread's), and from the work tree file when its bytes are the
 * blob (the newest version, read without resolving a chain of deltas). */
Test(history, blob_by_id_and_from_the_file)
{
	run("mkdir content\n"
	    "printf 'one\\ntwo\\n' >content/a.md && git add . && commit -m add\n"
	    "printf 'one\\nTWO\\n' >content/a.md && git add . && commit -m edit\n"
	    "ln -s a.md content/link.md && git add . && commit -m link");
	load("repo/content");
	const struct history_file *f = file("a.md");
	struct strbuf p = STRBUF_INIT;
	sb_printf(&p, "%s/repo/content", dir);
	struct history_repo *other = history_repo_open(p.ptr, &d);
	cr_assert(other);
	char *t;
	size_t n;
	cr_assert_eq(history_blob(other, f->changes[1].blob, "a.md", &t, &n, &d), 0);
	cr_assert_str_eq(t, "one\ntwo\n");
	cr_assert_eq(n, 8);
	free(t);
	cr_assert_eq(history_blob(other, "", "a.md", &t, &n, &d), 0, "no blob reads as empty");
	cr_assert_str_eq(t, "");
	free(t);
	cr_assert_eq(d.errors, 0);
	cr_assert_eq(history_blob(other, "0123456789012345678901234567890123456789", "a.md", &t, &n, &d), -1);
	cr_assert_null(t);
	cr_assert_eq(d.errors, 1, "a missing blob is an error naming the file");
	history_repo_free(other);

	sb_clear(&p);
	sb_printf(&p, "%s/repo/content/a.md", dir);
	cr_assert_eq(history_blob_from_file(p.ptr, f->changes[0].blob, &t, &n), 0);
	cr_assert_str_eq(t, "one\nTWO\n");
	free(t);
	cr_assert_eq(history_blob_from_file(p.ptr, f->changes[1].blob, &t, &n), -1,
		     "bytes that are another blob are not taken");
	cr_assert_null(t);
	run("printf 'uncommitted\\n' >content/a.md");
	cr_assert_eq(history_blob_from_file(p.ptr, f->changes[0].blob, &t, &n), -1,
		     "an uncommitted file is not its HEAD blob");
	/* A link is not followed, even to a file holding the blob's bytes. */
	run("printf 'one\\nTWO\\n' >content/a.md");
	sb_clear(&p);
	sb_printf(&p, "%s/repo/content/link.md", dir);
	cr_assert_eq(history_blob_from_file(p.ptr, f->changes[0].blob, &t, &n), -1);
	sb_clear(&p);
	sb_printf(&p, "%s/repo/content/missing.md", dir);
	cr_assert_eq(history_blob_from_file(p.ptr, f->changes[0].blob, &t, &n), -1);
	cr_assert_eq(history_blob_from_file(p.ptr, "not a hash", &t, &n), -1);
	sb_free(&p);
}

Test(history, pure_rename_and_ignored_commits_do_not_update)
{
	run("mkdir content\n"
	    "lines a 6 >content/a.md && git add . && commit -m add\n"
	    "sed -i 1s/.*/real/ content/a.md && git add . && commit -m real\n"
	    "sed -i 2s/.*/bulk/ content/a.md && git add . && commit -m bulk\n"
	    "sed -i 3s/.*/other/ content/a.md && git add . && commit -m other\n"
	    "git mv content/a.md content/b.md && commit -m rename\n"
	    "printf '# bulk\\n%%s  # reformat\\n  zzz\\n' $(git rev-parse HEAD~2) >.git-blame-ignore-revs\n"
	    "git add . && commit -m ignore");
	char abbrev[8]; /* "other", by [history] ignore, abbreviated */
	snprintf(abbrev, sizeof abbrev, "%.7s", hash_of("HEAD~2"));
	const char *ignore_short[] = { abbrev, "no-such-rev" };
	struct history_options o = { .ignore = ignore_short, .nignore = 2 };
	load_opts("repo/content", &o);
	const struct history_file *f = file("b.md");
	cr_assert_eq(f->n, 5);
	cr_assert_eq(f->changes[0].status, 'R');
	cr_assert(f->changes[1].commit->ignored);
	cr_assert(f->changes[2].commit->ignored);
	cr_assert_not(f->changes[3].commit->ignored);
	cr_assert_eq(f->updated, f->changes[3].commit);
	cr_assert_str_eq(f->updated->subject, "real");
	cr_assert_eq(d.n, 2);
	bool file_warning = false, opt_warning = false;
	for (size_t i = 0; i < d.n; i++) {
		const struct diag_item *it = &d.items[i];
		cr_assert_eq(it->level, DIAG_WARNING);
		if (it->file && strstr(it->file, "/.git-blame-ignore-revs")) {
			cr_assert_eq(it->line, 3);
			cr_assert_eq(it->col, 3);
			cr_assert_str_eq(it->msg, "not a full commit hash: 'zzz'");
			file_warning = true;
		} else {
			cr_assert_str_eq(it->msg, "[history] ignore: 'no-such-rev' is not a commit of this repository");
			opt_warning = true;
		}
	}
	cr_assert(file_warning && opt_warning);
}

Test(history, only_ignored_changes_fall_back_to_added)
{
	run("mkdir content && lines a 3 >content/a.md && git add . && commit -m add");
	const char *ignore[] = { "HEAD" };
	struct history_options o = { .ignore = ignore, .nignore = 1 };
	load_opts("repo/content", &o);
	const struct history_file *f = file("a.md");
	cr_assert(f->changes[0].commit->ignored);
	cr_assert_eq(f->updated, f->added);
}

Test(history, dates_in_the_commit_time_zone)
{
	run("mkdir content\n"
	    "Z=+0800; echo a >content/a.md && git add . && commit -m east\n"
	    "Z=-0330; echo b >content/a.md && git add . && commit -m west");
	load("repo/content");
	const struct history_file *f = file("a.md");
	char date[11], datetime[26];
	history_format_date(f->changes[1].commit, date, sizeof date, datetime, sizeof datetime);
	cr_assert_str_eq(datetime, "2025-01-27T12:01:00+08:00");
	cr_assert_str_eq(date, "2025-01-27");
	cr_assert_eq(f->changes[1].commit->offset_min, 480);
	history_format_date(f->changes[0].commit, date, sizeof date, datetime, sizeof datetime);
	cr_assert_str_eq(datetime, "2025-01-27T00:32:00-03:30");
	cr_assert_eq(f->changes[0].commit->time, 1737950520);
	char small[10];
	history_format_date(f->changes[0].commit, small, sizeof small, NULL, 0);
	cr_assert_str_eq(small, "", "a buffer too small gives \"\", not a cut date");
}

Test(history, mailmap_and_emails)
{
	run("mkdir content\n"
	    "echo a >content/a.md && git add . && GIT_AUTHOR_NAME='Old Name' "
	    "GIT_AUTHOR_EMAIL=old@example.org commit -m a\n"
	    "echo 'New Name <new@example.org> Old Name <old@example.org>' >.mailmap\n"
	    "git add . && commit -m mailmap");
	load("repo/content");
	const struct history_commit *c = file("a.md")->changes[0].commit;
	cr_assert_str_eq(c->author, "New Name");
	cr_assert_null(c->email);
	history_free(h);
	h = NULL;
	struct history_options o = { .emails = true };
	load_opts("repo/content", &o);
	c = file("a.md")->changes[0].commit;
	cr_assert_str_eq(c->email, "new@example.org");
}

/* A .mailmap committed as a link to a file outside the repository is not
 * read (its names would be published as authors): one warning at it. */
Test(history, mailmap_linked_outside_is_not_read)
{
	run("echo 'Outside Name <outside@example.org> <ada@example.org>' >../people.txt\n"
	    "ln -s \"$(cd .. && pwd)/people.txt\" .mailmap\n"
	    "mkdir content && echo a >content/a.md && git add . && commit -m a");
	struct history_options o = { .emails = true };
	load_opts("repo/content", &o);
	const struct history_commit *c = file("a.md")->changes[0].commit;
	cr_assert_str_eq(c->author, "Ada Author");
	cr_assert_str_eq(c->email, "ada@example.org");
	cr_assert_eq(d.n, 1);
	cr_assert_eq(d.items[0].level, DIAG_WARNING);
	cr_assert(strstr(d.items[0].file, "/repo/.mailmap"), "at %s", d.items[0].file);
	cr_assert_eq(d.items[0].line, 0);
	cr_assert_str_eq(d.items[0].msg, "symbolic link leads outside the repository; not read");
}

/* Only the work tree's .mailmap counts: git's mailmap.file and mailmap.blob
 * settings (which libgit2 reads from every configuration, ~/.gitconfig
 * too) could name any file, and would make the output differ by machine. */
Test(history, mailmap_settings_of_git_config_are_not_read)
{
	run("echo 'File Name <file@example.org> <ada@example.org>' >../people.txt\n"
	    "git config mailmap.file \"$(cd .. && pwd)/people.txt\"\n"
	    "mkdir content && echo a >content/a.md\n"
	    "echo 'Blob Name <blob@example.org> <ada@example.org>' >people\n"
	    "git add . && commit -m a && git config mailmap.blob HEAD:people");
	struct history_options o = { .emails = true };
	load_opts("repo/content", &o);
	const struct history_commit *c = file("a.md")->changes[0].commit;
	cr_assert_str_eq(c->author, "Ada Author");
	cr_assert_str_eq(c->email, "ada@example.org");
	cr_assert_eq(d.n, 0);
}

Test(history, subject_made_valid_utf8)
{
	run("mkdir content && echo a >content/a.md && git add . &&\n"
	    "raw_commit '<b>bold</b> & caf\\351 \\001 \\355\\240\\200 ok \\342\\202\\254 "
	    "\\357\\277\\276\\n\\nbody'");
	load("repo/content");
	const struct history_commit *c = file("a.md")->changes[0].commit;
	/* HTML stays data (the renderer escapes); bad bytes, a control
	 * character and an encoded surrogate (three bad bytes) become U+FFFD;
	 * the euro sign is valid and kept; the noncharacter U+FFFE, which XML
	 * refuses, is one U+FFFD. */
	cr_assert_str_eq(c->subject, "<b>bold</b> & caf\xEF\xBF\xBD \xEF\xBF\xBD "
				     "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD ok \xE2\x82\xAC \xEF\xBF\xBD");
}

Test(history, uncommitted_only_when_so)
{
	run("mkdir content && echo a >content/a.md && echo b >content/b.md && echo c >content/c.md\n"
	    "git add . && commit -m add\n"
	    "echo changed >content/a.md && echo staged >content/b.md && git add content/b.md\n"
	    "echo new >content/new.md && echo outside >outside.md");
	load("repo/content");
	cr_assert(file("a.md")->uncommitted);
	cr_assert(file("b.md")->uncommitted);
	cr_assert_not(file("c.md")->uncommitted);
	const struct history_file *f = file("new.md");
	cr_assert(f->uncommitted);
	cr_assert_eq(f->n, 0);
	cr_assert_null(f->added);
	cr_assert_null(history_find(h, "../outside.md"));
}

/* serve's refresh after an edit: the flag follows git status as a load's
 * would, and a moved HEAD says the history must be read again. */
Test(history, refresh_follows_status_and_head)
{
	run("mkdir content && echo a >content/a.md && echo b >content/b.md\n"
	    "printf 'ignored.md\\n' >.gitignore && git add . && commit -m add\n"
	    "echo new >content/new.md && echo x >content/ignored.md");
	load("repo/content");
	struct strbuf p = STRBUF_INIT;
	sb_printf(&p, "%s/repo/content", dir);
	const char *ab[] = { "a.md", "b.md", "new.md", "ignored.md", "no-such.md" };
	cr_assert_eq(history_refresh(h, p.ptr, ab, 5, &d), 1);
	cr_assert_not(file("a.md")->uncommitted);
	cr_assert(file("new.md")->uncommitted);
	cr_assert_null(history_find(h, "ignored.md"));
	run("echo changed >content/a.md && echo staged >content/b.md && git add content/b.md");
	cr_assert_eq(history_refresh(h, p.ptr, ab, 1, &d), 1);
	cr_assert(file("a.md")->uncommitted);
	cr_assert_not(file("b.md")->uncommitted, "only the paths given are refreshed");
	cr_assert_eq(history_refresh(h, p.ptr, ab + 1, 1, &d), 1);
	cr_assert(file("b.md")->uncommitted);
	run("echo a >content/a.md && git reset -q content/b.md && echo b >content/b.md");
	cr_assert_eq(history_refresh(h, p.ptr, ab, 2, &d), 1);
	cr_assert_not(file("a.md")->uncommitted, "a file put back as committed");
	cr_assert_not(file("b.md")->uncommitted);
	run("git add content/new.md && commit -m more");
	cr_assert_eq(history_refresh(h, p.ptr, ab, 2, &d), 0, "HEAD moved");
	cr_assert_eq(d.errors, 0);
	struct history none = { 0 };
	cr_assert_eq(history_refresh(&none, p.ptr, ab, 1, &d), 1);
	cr_assert_eq(history_refresh(NULL, p.ptr, ab, 1, &d), 1);
	sb_free(&p);
}

Test(history, shallow_clone_is_truncated)
{
	run("mkdir content && echo a >content/a.md && git add . && commit -m a\n"
	    "echo b >content/a.md && git add . && commit -m b\n"
	    "echo c >content/c.md && git add . && commit -m c\n"
	    "git clone -q --depth 1 file://$(pwd) ../shallow");
	load("shallow/content");
	cr_assert(history_available(h));
	const struct history_file *a = file("a.md"), *c = file("c.md");
	cr_assert(a->truncated);
	cr_assert(c->truncated);
	cr_assert_eq(a->n, 0);
	cr_assert_null(a->added);
	cr_assert_eq(d.n, 1);
	cr_assert_eq(d.items[0].level, DIAG_WARNING);
	cr_assert_str_eq(d.items[0].msg,
			 "shallow clone: history is truncated; fetch full history with git fetch --unshallow");
}

Test(history, shallow_boundary_inside_history)
{
	run("mkdir content && echo a >content/a.md && git add . && commit -m a\n"
	    "echo b >content/a.md && git add . && commit -m b\n"
	    "echo c >content/c.md && git add . && commit -m c\n"
	    "echo d >content/c.md && git add . && commit -m d\n"
	    "git clone -q --depth 3 file://$(pwd) ../shallow");
	load("shallow/content");
	const struct history_file *a = file("a.md"), *c = file("c.md");
	cr_assert(a->truncated);
	cr_assert_eq(a->n, 0);
	cr_assert_not(c->truncated, "added after the boundary (b): complete");
	cr_assert_eq(c->n, 2);
	cr_assert_str_eq(c->added->subject, "c");
}

Test(history, content_folder_is_a_prefix_not_a_pattern)
{
	run("mkdir -p 'con*' content2 && echo a >'con*/a.md' && echo b >content2/b.md\n"
	    "git add . && commit -m both\n"
	    "echo x >content2/b.md && git add . && commit -m 'other folder only'");
	load("repo/con*");
	const struct history_file *const *files;
	cr_assert_eq(history_files(h, &files), 1);
	cr_assert_eq(file("a.md")->n, 1);
	const struct history_change *const *all;
	cr_assert_eq(history_all(h, &all), 1);
	cr_assert_eq(all[0]->file, file("a.md"));
	cr_assert_str_eq(all[0]->path, "con*/a.md");
}

Test(history, whole_repository_as_content)
{
	run("echo a >a.md && mkdir t && echo b >t/b.md && git add . && commit -m one\n"
	    "echo c >t/b.md && git add . && commit -m two");
	load("repo");
	cr_assert_eq(file("a.md")->n, 1);
	cr_assert_eq(file("t/b.md")->n, 2);
	cr_assert_str_eq(file("t/b.md")->changes[0].path, "t/b.md");
}

Test(history, all_changes_newest_first)
{
	run("mkdir content\n"
	    "echo a >content/a.md && echo b >content/b.md && git add . && commit -m one\n"
	    "echo a2 >content/a.md && git add . && commit -m two\n"
	    "echo b2 >content/b.md && git add . && commit -m three");
	load("repo/content");
	const struct history_change *const *all;
	cr_assert_eq(history_all(h, &all), 4);
	cr_assert_str_eq(all[0]->commit->subject, "three");
	cr_assert_str_eq(all[1]->commit->subject, "two");
	cr_assert_str_eq(all[2]->file->path, "a.md", "same commit: by path");
	cr_assert_str_eq(all[3]->file->path, "b.md");
	cr_assert_eq(all[2]->commit, all[3]->commit, "one record per commit");
}

Test(history, free_null)
{
	history_free(NULL);
	cr_assert_not(history_available(NULL));
	cr_assert_null(history_find(NULL, "a.md"));
}
