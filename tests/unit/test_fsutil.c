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

Test(fsutil, sync_tree_names_what_failed)
{
	char *d = scratch();
	char *f = cat(d, "/f");
	cr_assert_eq(fs_write_file(f, "x", 1), 0);
	char *failed = NULL;
	cr_assert_eq(fs_sync_tree(d, &failed), 0);
	cr_assert_null(failed);
	char *missing = cat(d, "/missing");
	cr_assert_eq(fs_sync_tree(missing, &failed), -1);
	cr_assert_str_eq(failed, missing);
	free(failed);
	fs_rm_rf(d);
	free(missing);
	free(f);
	free(d);
}
