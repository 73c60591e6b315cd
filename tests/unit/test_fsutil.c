#include <criterion/criterion.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fsutil.h"
#include "strbuf.h"
#include "xalloc.h"

/* --- input side: walking and reading inside a tree --------------------- */

/* Each event of a walk as one line "KIND rel [other]", in order. */
static int record(void *arg, const struct fs_walk_entry *e)
{
	static const char *const names[] = { "file", "dir", "outside", "loop", "special", "error" };
	struct strbuf *sb = arg;
	sb_printf(sb, "%s %s", names[e->kind], e->rel);
	if (e->kind == FS_WALK_LOOP)
		sb_printf(sb, " -> '%s'%s", e->other, e->ancestor ? " (ancestor)" : "");
	if (e->link)
		sb_puts(sb, " (link)");
	sb_putc(sb, '\n');
	return 0;
}

static char *tree(void)
{
	char *dir = xstrdup("/tmp/dossier-test-fsutil-XXXXXX");
	cr_assert_not_null(mkdtemp(dir));
	return dir;
}

static void in(const char *dir, const char *cmd)
{
	struct strbuf sb = STRBUF_INIT;
	sb_printf(&sb, "cd '%s' && %s", dir, cmd);
	cr_assert_eq(system(sb.ptr), 0, "%s", cmd);
	sb_free(&sb);
}

static char *walk(const char *dir)
{
	struct strbuf sb = STRBUF_INIT;
	char *real = realpath(dir, NULL);
	cr_assert_eq(fs_walk(dir, real, record, &sb), 0);
	free(real);
	return sb_detach(&sb);
}

static void cleanup(char *dir)
{
	in(dir, "cd / && rm -rf \"$OLDPWD\"");
	free(dir);
}

Test(fsutil, walk_sorted_skips_hidden)
{
	char *d = tree();
	in(d, "mkdir -p b a/c .git && touch a/c/x a/y b/z .hidden .git/config");
	char *got = walk(d);
	cr_expect_str_eq(got, "dir a\ndir a/c\nfile a/c/x\nfile a/y\ndir b\nfile b/z\n");
	free(got);
	cleanup(d);
}

Test(fsutil, walk_refuses_links_leaving_the_root)
{
	char *d = tree();
	in(d, "mkdir root && ln -s /etc/passwd root/pw && ln -s .. root/up && "
	      "ln -s ../root/f root/alias && touch root/f && ln -s missing root/dangling");
	char *sub = fs_join(d, "root");
	char *got = walk(sub);
	cr_expect_str_eq(got, "file alias (link)\nerror dangling (link)\nfile f\n"
			      "outside pw (link)\noutside up (link)\n");
	free(got);
	free(sub);
	cleanup(d);
}

Test(fsutil, walk_reads_each_folder_once)
{
	char *d = tree();
	/* The case: two links to "." would make 2^40 paths. */
	in(d, "mkdir -p t e && touch t/p && ln -s . t/loop && ln -s . t/loop2 && "
	      "ln -s ../t e/alias && ln -s .. e/up");
	char *got = walk(d);
	cr_expect_str_eq(got, "dir e\n"
			      "dir e/alias (link)\nloop e/alias -> 't' (link)\n"
			      "dir e/up (link)\nloop e/up -> '' (ancestor) (link)\n"
			      "dir t\n"
			      "dir t/loop (link)\nloop t/loop -> 't' (ancestor) (link)\n"
			      "dir t/loop2 (link)\nloop t/loop2 -> 't' (ancestor) (link)\n"
			      "file t/p\n");
	free(got);
	cleanup(d);
}

Test(fsutil, walk_is_linear_in_a_tower_of_doubled_links)
{
	/* d0/{a,b} -> d1, d1/{a,b} -> d2, ...: 2^20 paths, 21 folders. */
	char *d = tree();
	in(d, "i=0; while [ $i -lt 20 ]; do mkdir d$i; ln -s ../d$((i+1)) d$i/a; "
	      "ln -s ../d$((i+1)) d$i/b; i=$((i+1)); done; mkdir d20; touch d20/leaf");
	char *got = walk(d);
	size_t files = 0, lines = 0;
	for (const char *p = got; *p; p++)
		lines += *p == '\n';
	for (const char *p = got; (p = strstr(p, "file ")); p++)
		files++;
	cr_expect_eq(files, 1, "the leaf is read once, not 2^20 times");
	cr_expect_lt(lines, 200);
	free(got);
	cleanup(d);
}

Test(fsutil, walk_reports_special_files)
{
	char *d = tree();
	in(d, "mkfifo pipe && touch file");
	char *got = walk(d);
	cr_expect_str_eq(got, "file file\nspecial pipe\n");
	free(got);
	cleanup(d);
}

Test(fsutil, resolves_inside)
{
	char *d = tree();
	in(d, "mkdir -p r/s && touch r/s/f && ln -s ../.. r/s/out && ln -s s/f r/in");
	char *r = fs_join(d, "r");
	char *real = realpath(r, NULL);
	char *p1 = fs_join(r, "in"), *p2 = fs_join(r, "s/out"), *p3 = fs_join(r, "nope");
	cr_expect(fs_resolves_inside(p1, real));
	cr_expect(fs_resolves_inside(real, real));
	cr_expect(!fs_resolves_inside(p2, real));
	cr_expect(!fs_resolves_inside(p3, real));
	/* A sibling sharing the prefix is not inside. */
	in(d, "mkdir r2 && touch r2/x");
	char *p4 = fs_join(d, "r2/x");
	cr_expect(!fs_resolves_inside(p4, real));
	free(p1);
	free(p2);
	free(p3);
	free(p4);
	free(real);
	free(r);
	cleanup(d);
}

Test(fsutil, has_control)
{
	cr_expect(!fs_has_control("plain name.md"));
	cr_expect(!fs_has_control("caf\xc3\xa9"));
	cr_expect(fs_has_control("a\nb"));
	cr_expect(fs_has_control("a\rb"));
	cr_expect(fs_has_control("\x1b[31m"));
	cr_expect(fs_has_control("del\x7f"));
}

Test(fsutil, read_file_within_checks_what_was_opened)
{
	char *d = tree();
	in(d, "mkdir r && printf inside >r/f && ln -s f r/in && printf secret >out && "
	      "ln -s ../out r/leak && mkfifo r/pipe");
	char *r = fs_join(d, "r");
	char *real = realpath(r, NULL);
	char *f = fs_join(r, "in"), *leak = fs_join(r, "leak"), *pipe = fs_join(r, "pipe");
	char *text = NULL;
	size_t len = 0;
	cr_assert_eq(fs_read_file_within(f, real, &text, &len), 0);
	cr_expect_eq(len, 6);
	cr_expect_str_eq(text, "inside");
	free(text);
	text = NULL;
	cr_expect_eq(fs_read_file_within(leak, real, &text, &len), -1);
	cr_expect_eq(errno, EXDEV);
	cr_expect_null(text);
	/* A FIFO is refused at once, never read (it would block). */
	cr_expect_eq(fs_read_file_within(pipe, real, &text, &len), -1);
	cr_expect_eq(errno, EINVAL);
	free(f);
	free(leak);
	free(pipe);
	free(real);
	free(r);
	cleanup(d);
}

/* --- output side: temporary folders, the swap, the lock, fsync ---------- */

/* A fresh folder under /tmp, canonical (realpath). */
static char *scratch(void)
{
	char tmpl[] = "/tmp/dossier-fsutil-XXXXXX";
	cr_assert_not_null(mkdtemp(tmpl));
	char *r = realpath(tmpl, NULL);
	cr_assert_not_null(r);
	return r;
}

static char *cat(const char *a, const char *b)
{
	char *s = malloc(strlen(a) + strlen(b) + 1);
	strcpy(s, a);
	strcat(s, b);
	return s;
}

Test(fsutil, realpath_any_resolves_the_existing_part)
{
	char *d = scratch();
	char *sub = cat(d, "/real");
	cr_assert_eq(mkdir(sub, 0755), 0);
	char *link = cat(d, "/link");
	cr_assert_eq(symlink("real", link), 0);
	char *q = cat(d, "/link/not/yet/../there/./x");
	char *got = fs_realpath_any(q);
	char *want = cat(d, "/real/not/there/x");
	cr_assert_str_eq(got, want);
	free(got);
	got = fs_realpath_any("/");
	cr_assert_str_eq(got, "/");
	free(got);
	char *up = cat(d, "/real/../../");
	got = fs_realpath_any(up);
	char *parent = strdup(d);
	*strrchr(parent, '/') = '\0';
	cr_assert_str_eq(got, *parent ? parent : "/");
	free(got);
	free(parent);
	free(up);
	free(want);
	free(q);
	unlink(link);
	rmdir(sub);
	rmdir(d);
	free(link);
	free(sub);
	free(d);
}

Test(fsutil, path_within_compares_components)
{
	cr_assert(fs_path_within("/a/b", "/a"));
	cr_assert(fs_path_within("/a", "/a"));
	cr_assert(fs_path_within("/a/b/c", "/a/b"));
	cr_assert_not(fs_path_within("/ab", "/a"));
	cr_assert_not(fs_path_within("/a", "/a/b"));
	cr_assert(fs_path_within("/x", "/"));
}

Test(fsutil, mkdtemp_respects_the_umask)
{
	char *d = scratch();
	char *prefix = cat(d, "/out.tmp-");
	mode_t old = umask(022);
	char *p = NULL;
	cr_assert_eq(fs_mkdtemp(prefix, &p), 0);
	umask(old);
	struct stat st;
	cr_assert_eq(stat(p, &st), 0);
	cr_assert_eq(st.st_mode & 07777, 0755);
	cr_assert_eq(strncmp(p, prefix, strlen(prefix)), 0);
	cr_assert_eq(strlen(p), strlen(prefix) + 6);
	rmdir(p);
	free(p);
	free(prefix);
	rmdir(d);
	free(d);
}

Test(fsutil, swap_exchanges_two_folders)
{
	char *d = scratch();
	char *a = cat(d, "/new"), *b = cat(d, "/out");
	cr_assert_eq(mkdir(a, 0755), 0);
	enum fs_swap_how how;
	cr_assert_eq(fs_swap(a, b, &how), 0);
	cr_assert_eq(how, FS_SWAP_RENAMED);
	cr_assert(fs_is_dir(b));
	cr_assert_not(fs_exists(a));
	cr_assert_eq(mkdir(a, 0755), 0);
	char *marker = cat(a, "/marker");
	cr_assert_eq(fs_write_file(marker, "n", 1), 0);
	cr_assert_eq(fs_swap(a, b, &how), 0);
	/* tmpfs and ext4 both exchange; the old tree is now at `a`. */
	cr_assert_eq(how, FS_SWAP_EXCHANGED);
	char *moved = cat(b, "/marker");
	cr_assert(fs_exists(moved));
	cr_assert_not(fs_exists(marker));
	cr_assert(fs_is_dir(a));
	fs_rm_rf(d);
	free(moved);
	free(marker);
	free(a);
	free(b);
	free(d);
}

Test(fsutil, lock_is_exclusive_and_writes_nothing)
{
	char *d = scratch();
	struct fs_lock l = { -1, false };
	cr_assert_eq(fs_lock_dir(d, &l), 0);
	cr_assert_not(l.waited);
	/* Another open file description cannot take it meanwhile. */
	int fd = open(d, O_RDONLY | O_DIRECTORY);
	cr_assert_geq(fd, 0);
	cr_assert_eq(flock(fd, LOCK_EX | LOCK_NB), -1);
	cr_assert_eq(errno, EWOULDBLOCK);
	fs_unlock(&l);
	cr_assert_eq(flock(fd, LOCK_EX | LOCK_NB), 0);
	close(fd);
	cr_assert_eq(rmdir(d), 0, "the lock left something in the folder");
	free(d);
}

/* On several threads: every file of a tree with folders is flushed; a file
 * that cannot be opened fails the flush and is the one named. */
Test(fsutil, sync_tree_on_threads)
{
	char *d = scratch();
	char *sub = cat(d, "/a");
	cr_assert_eq(mkdir(sub, 0777), 0);
	for (int i = 0; i < 20; i++) {
		char name[32];
		snprintf(name, sizeof name, "/%s%02d", i % 2 ? "a/" : "", i);
		char *f = cat(d, name);
		cr_assert_eq(fs_write_file(f, "x", 1), 0);
		free(f);
	}
	char *failed = NULL;
	cr_assert_eq(fs_sync_tree(d, &failed, 4), 0);
	cr_assert_null(failed);
	char *locked = cat(d, "/a/07");
	cr_assert_eq(chmod(locked, 0), 0);
	if (geteuid() != 0) {
		cr_assert_eq(fs_sync_tree(d, &failed, 4), -1);
		cr_assert_str_eq(failed, locked);
		cr_assert_eq(errno, EACCES);
		free(failed);
	}
	fs_rm_rf(d);
	free(locked);
	free(sub);
	free(d);
}

Test(fsutil, sync_tree_names_what_failed)
{
	char *d = scratch();
	char *f = cat(d, "/f");
	cr_assert_eq(fs_write_file(f, "x", 1), 0);
	char *failed = NULL;
	cr_assert_eq(fs_sync_tree(d, &failed, 1), 0);
	cr_assert_null(failed);
	char *missing = cat(d, "/missing");
	cr_assert_eq(fs_sync_tree(missing, &failed, 1), -1);
	cr_assert_str_eq(failed, missing);
	free(failed);
	fs_rm_rf(d);
	free(missing);
	free(f);
	free(d);
}

/* --- path arithmetic: what a link or a slug may name ------------------- */

static void expect_resolve(const char *base, const char *rel, const char *want)
{
	char *got = fs_resolve(base, rel);
	if (want)
		cr_expect(got && !strcmp(got, want), "fs_resolve('%s', '%s') = '%s', want '%s'", base, rel,
			  got ? got : "NULL", want);
	else
		cr_expect_null(got, "fs_resolve('%s', '%s') = '%s', want NULL (above the root)", base, rel,
			       got);
	free(got);
}

Test(fsutil, resolve_against_the_folder_of_base)
{
	expect_resolve("a/b.md", "c.md", "a/c.md");
	expect_resolve("a/b.md", "../c.md", "c.md");
	expect_resolve("a/b/c.md", "../../d/e.md", "d/e.md");
	expect_resolve("top.md", "x/y.md", "x/y.md");
	expect_resolve("a/b.md", "./x/./y.md", "a/x/y.md");
	expect_resolve("a/b.md", "x/../y.md", "a/y.md");
	/* "..." and "..x" are names, not steps up. */
	expect_resolve("a/b.md", ".../x", "a/.../x");
	expect_resolve("a/b.md", "..x/y", "a/..x/y");
}

Test(fsutil, resolve_collapses_empty_components_and_keeps_a_folder_slash)
{
	expect_resolve("a/b.md", "x//y.md", "a/x/y.md");
	expect_resolve("a/b.md", "x///", "a/x/");
	expect_resolve("a/b.md", "sub/", "a/sub/");
	/* The root itself: no slash to keep. */
	expect_resolve("a/b.md", "..", "");
	expect_resolve("a/b.md", "../", "");
}

Test(fsutil, resolve_leading_slash_is_the_root)
{
	expect_resolve("a/b/c.md", "/x/y.md", "x/y.md");
	expect_resolve("a/b/c.md", "//x//y.md", "x/y.md");
	expect_resolve("a/b/c.md", "/../x.md", NULL);
}

Test(fsutil, resolve_never_climbs_above_the_root)
{
	expect_resolve("b.md", "../c.md", NULL);
	expect_resolve("a/b.md", "../../c.md", NULL);
	expect_resolve("a/b/c.md", "../../..", NULL);
	/* Above the root for a moment is above it, even if a later name
	 * would come back down to an existing path. */
	expect_resolve("a/b.md", "../../a/b.md", NULL);
	expect_resolve("a/b.md", "x/../../../a/b.md", NULL);
	expect_resolve("a/b.md", "./../.././c", NULL);
}

Test(fsutil, rel_is_safe_refuses_every_way_out)
{
	cr_expect(fs_rel_is_safe("a"));
	cr_expect(fs_rel_is_safe("a/b.html"));
	cr_expect(fs_rel_is_safe("..."));
	cr_expect(fs_rel_is_safe("a/..b/c.."));
	cr_expect(fs_rel_is_safe(".hidden"));
	cr_expect(!fs_rel_is_safe(""));
	cr_expect(!fs_rel_is_safe("/etc/passwd"));
	cr_expect(!fs_rel_is_safe(".."));
	cr_expect(!fs_rel_is_safe("../a"));
	cr_expect(!fs_rel_is_safe("a/../b"));
	cr_expect(!fs_rel_is_safe("a/.."));
	cr_expect(!fs_rel_is_safe("."));
	cr_expect(!fs_rel_is_safe("./a"));
	cr_expect(!fs_rel_is_safe("a/./b"));
	cr_expect(!fs_rel_is_safe("a//b"));
	cr_expect(!fs_rel_is_safe("//a"));
	/* A name no file system here can hold (NAME_MAX is 255 bytes). */
	char name[FS_NAME_MAX + 8];
	memset(name, 'n', FS_NAME_MAX);
	strcpy(name + FS_NAME_MAX, "/a");
	cr_expect(fs_rel_is_safe(name), "255 bytes fit");
	name[FS_NAME_MAX] = 'n';
	strcpy(name + FS_NAME_MAX + 1, "/a");
	cr_expect(!fs_rel_is_safe(name), "256 bytes do not");
	char *mid = fs_join("a", name);
	cr_expect(!fs_rel_is_safe(mid), "nor in the middle of a path");
	free(mid);
	cr_expect(!fs_rel_is_safe("a\\b"));
	cr_expect(!fs_rel_is_safe("..\\..\\windows"));
	/* A C string ends at its first NUL: what follows is never joined, so
	 * a "safe\0/../../x" cannot smuggle the rest in (callers holding a
	 * length check the NUL themselves, as config and page do). */
	const char nul[] = "safe\0/../../x";
	cr_expect(fs_rel_is_safe(nul));
	char *j = fs_join("root", nul);
	cr_expect_str_eq(j, "root/safe");
	free(j);
}

Test(fsutil, join_adds_one_slash)
{
	char *v[] = { fs_join("a", "b"), fs_join("a/", "b"), fs_join("", "b"), fs_join("a", "") };
	cr_expect_str_eq(v[0], "a/b");
	cr_expect_str_eq(v[1], "a/b");
	cr_expect_str_eq(v[2], "b");
	cr_expect_str_eq(v[3], "a");
	for (size_t i = 0; i < 4; i++)
		free(v[i]);
}

static void expect_relurl(const char *from, const char *to, const char *want)
{
	char *got = fs_relurl(from, to);
	cr_expect_str_eq(got, want, "fs_relurl('%s', '%s')", from, to);
	free(got);
}

Test(fsutil, relurl_climbs_only_out_of_what_differs)
{
	expect_relurl("index.html", "topics/a.html", "topics/a.html");
	expect_relurl("topics/a.html", "articles/b.html", "../articles/b.html");
	expect_relurl("topics/a.html", "topics/b.html", "b.html");
	expect_relurl("topics/a.html", "index.html", "../index.html");
	expect_relurl("a/b/c.html", "a/d.html", "../d.html");
	/* A shared prefix that is not a whole folder name is not shared. */
	expect_relurl("topics/a.html", "topicsx/b.html", "../topicsx/b.html");
	expect_relurl("ab/x.html", "a/y.html", "../a/y.html");
	expect_relurl("a/x.html", "a/x.html", "x.html");
}

Test(fsutil, root_of_counts_folders)
{
	char *v[] = { fs_root_of("index.html"), fs_root_of("a/b.html"), fs_root_of("a/b/c/d.html") };
	cr_expect_str_eq(v[0], "");
	cr_expect_str_eq(v[1], "../");
	cr_expect_str_eq(v[2], "../../../");
	for (size_t i = 0; i < 3; i++)
		free(v[i]);
}

Test(fsutil, basename_and_extension)
{
	cr_expect_str_eq(fs_basename("a/b/c.md"), "c.md");
	cr_expect_str_eq(fs_basename("c.md"), "c.md");
	cr_expect_str_eq(fs_basename("a/"), "");
	cr_expect_str_eq(fs_extension("a/b.tar.gz"), ".gz");
	cr_expect_str_eq(fs_extension("a.b/README"), "");
	cr_expect_str_eq(fs_extension(".hidden"), "");
	cr_expect_str_eq(fs_extension("x/.hidden"), "");
	cr_expect_str_eq(fs_extension("x.md"), ".md");
}

Test(fsutil, read_write_and_list)
{
	char *d = scratch();
	char *f = cat(d, "/sub/deep/f.txt");
	cr_assert_eq(fs_mkdir_parent(f), 0);
	const char data[] = "a\0b";
	cr_assert_eq(fs_write_atomic(f, data, 3), 0);
	char *text = NULL;
	size_t len = 0;
	cr_assert_eq(fs_read_file(f, &text, &len), 0);
	cr_expect_eq(len, 3);
	cr_expect_eq(memcmp(text, data, 3), 0);
	cr_expect_eq(text[3], '\0', "read data is NUL-terminated");
	free(text);
	char *g = cat(d, "/sub/B"), *h = cat(d, "/sub/a"), *sub = cat(d, "/sub");
	cr_assert_eq(fs_write_file(g, "", 0), 0);
	cr_assert_eq(fs_copy_file(f, h), 0);
	char **names = NULL;
	size_t n = 0;
	cr_assert_eq(fs_list_dir(sub, &names, &n), 0);
	cr_assert_eq(n, 3);
	cr_expect_str_eq(names[0], "B");
	cr_expect_str_eq(names[1], "a");
	cr_expect_str_eq(names[2], "deep");
	fs_free_list(names, n);
	cr_assert_eq(fs_read_file(h, &text, &len), 0);
	cr_expect_eq(len, 3);
	free(text);
	cr_expect(fs_is_dir(sub));
	cr_expect(!fs_is_dir(f));
	cr_expect(fs_exists(f));
	cr_expect_eq(fs_read_file(sub, &text, &len), -1, "a folder is not read as a file");
	cr_assert_eq(fs_rm_rf(d), 0);
	cr_expect(!fs_exists(d));
	free(sub);
	free(g);
	free(h);
	free(f);
	free(d);
}

/* The writes of files the build must not have written already (render's
 * redirects and content files): an existing file stays as it is. */
Test(fsutil, write_new_and_copy_new_never_replace)
{
	char *d = scratch();
	char *a = cat(d, "/a"), *b = cat(d, "/b"), *c = cat(d, "/c");
	cr_assert_eq(fs_write_new(a, "first", 5), 0);
	errno = 0;
	cr_expect_eq(fs_write_new(a, "second", 6), -1);
	cr_expect_eq(errno, EEXIST);
	cr_assert_eq(fs_write_file(b, "bee", 3), 0);
	errno = 0;
	cr_expect_eq(fs_copy_new(b, a), -1);
	cr_expect_eq(errno, EEXIST);
	char *text = NULL;
	size_t len = 0;
	cr_assert_eq(fs_read_file(a, &text, &len), 0);
	cr_expect_str_eq(text, "first", "neither replaced it");
	free(text);
	cr_assert_eq(fs_copy_new(b, c), 0);
	cr_assert_eq(fs_read_file(c, &text, &len), 0);
	cr_expect_str_eq(text, "bee");
	free(text);
	cr_assert_eq(fs_rm_rf(d), 0);
	free(a);
	free(b);
	free(c);
	free(d);
}

/* --- serve's incremental writes: moving only what changed -------------- */

static char *put(const char *dir, const char *rel, const char *text)
{
	char *p = fs_join(dir, rel);
	cr_assert_eq(fs_mkdir_parent(p), 0);
	cr_assert_eq(fs_write_file(p, text, strlen(text)), 0);
	return p;
}

static char *read_all(const char *dir, const char *rel)
{
	char *p = fs_join(dir, rel), *text = NULL;
	size_t n = 0;
	int rc = fs_read_file(p, &text, &n);
	free(p);
	return rc < 0 ? NULL : text;
}

Test(fsutil, move_changed_moves_only_files_that_differ)
{
	char from[] = "/tmp/dossier-mv-from-XXXXXX", to[] = "/tmp/dossier-mv-to-XXXXXX";
	cr_assert_not_null(mkdtemp(from));
	cr_assert_not_null(mkdtemp(to));
	free(put(from, "same.html", "same"));
	free(put(to, "same.html", "same"));
	free(put(from, "a/changed.html", "new"));
	free(put(to, "a/changed.html", "old"));
	free(put(from, "b/c/added.js", "added"));
	free(put(from, ".mark", "mark"));
	free(put(to, "kept.html", "kept"));
	cr_assert_eq(fs_move_changed(from, to, ".mark"), 2);
	char *t = read_all(to, "a/changed.html");
	cr_assert_str_eq(t, "new");
	free(t);
	t = read_all(to, "b/c/added.js");
	cr_assert_str_eq(t, "added");
	free(t);
	t = read_all(to, "kept.html");
	cr_assert_str_eq(t, "kept");
	free(t);
	cr_assert_null(read_all(to, ".mark"));
	/* The unchanged file stays where it was rendered: nothing moved it. */
	t = read_all(from, "same.html");
	cr_assert_str_eq(t, "same");
	free(t);
	fs_rm_rf(from);
	fs_rm_rf(to);
}

Test(fsutil, remove_absent_drops_what_the_new_folder_lacks)
{
	char from[] = "/tmp/dossier-ra-from-XXXXXX", to[] = "/tmp/dossier-ra-to-XXXXXX";
	cr_assert_not_null(mkdtemp(from));
	cr_assert_not_null(mkdtemp(to));
	free(put(from, "t-61.js", "a"));
	free(put(to, "t-61.js", "a"));
	free(put(to, "t-6162.js", "old shard"));
	free(put(to, "x/old.js", "old"));
	cr_assert_eq(fs_remove_absent(from, to), 2);
	char *t = read_all(to, "t-61.js");
	cr_assert_str_eq(t, "a");
	free(t);
	cr_assert_null(read_all(to, "t-6162.js"));
	cr_assert_null(read_all(to, "x/old.js"));
	char *missing = fs_join(to, "nowhere");
	cr_assert_eq(fs_remove_absent(from, missing), 0);
	free(missing);
	fs_rm_rf(from);
	fs_rm_rf(to);
}

/* --- the watcher (fsutil.h): what a run reads ---------------------------- */

struct seen_log {
	struct strbuf sb;
};

static void log_seen(void *arg, enum fs_seen what, const char *path, const char *data, size_t len)
{
	static const char *const kinds[] = { "file", "within", "dir", "is-dir", "is-file", "exists" };
	struct seen_log *l = arg;
	const char *base = strrchr(path, '/');
	sb_printf(&l->sb, "%s %s ", kinds[what], base ? base + 1 : path);
	if (!data) {
		sb_puts(&l->sb, "(failed)");
	} else {
		for (size_t i = 0; i < len; i++)
			sb_putc(&l->sb, data[i] ? data[i] : '|');
	}
	sb_putc(&l->sb, '\n');
}

Test(fsutil, watch_reports_each_observation_with_what_was_seen)
{
	char *dir = tree();
	in(dir, "printf abc >f && mkdir d && ln -s f l");
	char *f = fs_join(dir, "f"), *missing = fs_join(dir, "missing"), *d = fs_join(dir, "d");
	struct seen_log l = { STRBUF_INIT };
	fs_watch(log_seen, &l);
	char *text = NULL, **names = NULL;
	size_t len = 0, n = 0;
	cr_assert_eq(fs_read_file(f, &text, &len), 0);
	free(text);
	cr_assert_eq(fs_read_file(missing, &text, &len), -1);
	cr_assert_eq(fs_list_dir(dir, &names, &n), 0);
	fs_free_list(names, n);
	cr_assert(fs_is_dir(d));
	cr_assert(!fs_is_file(d));
	cr_assert(!fs_exists(missing));
	fs_watch(NULL, NULL);
	cr_assert(fs_is_dir(d)); /* not watched any more */
	char *base = strrchr(dir, '/') + 1;
	struct strbuf want = STRBUF_INIT;
	sb_printf(&want, "file f abc\nfile missing (failed)\ndir %s d|d|f|f|l|lf|\nis-dir d 1\nis-file d 0\nexists missing 0\n",
		  base);
	cr_assert_str_eq(l.sb.ptr, want.ptr);
	/* fs_look sees the same again, and a change. */
	struct strbuf again = STRBUF_INIT;
	cr_assert_eq(fs_look(FS_SEEN_FILE, f, &again), 0);
	cr_assert_str_eq(again.ptr, "abc");
	sb_clear(&again);
	in(dir, "rm l && ln -s d l");
	cr_assert_eq(fs_look(FS_SEEN_DIR, dir, &again), 0);
	cr_assert_eq(again.size, 13);
	cr_assert_eq(memcmp(again.ptr, "d\0d\0f\0f\0l\0ld\0", 13), 0, "a link pointed elsewhere lists differently");
	sb_clear(&again);
	cr_assert_eq(fs_look(FS_SEEN_FILE, missing, &again), -1);
	sb_free(&again);
	sb_free(&want);
	sb_free(&l.sb);
	free(f);
	free(missing);
	free(d);
	cleanup(dir);
}
