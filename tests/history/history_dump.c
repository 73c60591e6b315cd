/*
 * history_dump: prints what history_load() found, for tests/history/run.sh
 * (compared with `git log --follow`) and tests/bench/history.sh.
 *
 *   history_dump [--emails] [--ignore REV]... DIR      every file, every change
 *   history_dump --hashes DIR FILE                     FILE's hashes, newest first
 *   history_dump --all DIR                             history_all(), newest first
 *   history_dump --blobs DIR FILE N                    old and new text of change N
 *   history_dump --blob-ids DIR                        per change: commit, status,
 *                                                      path, blob, old path, old blob
 *   history_dump --time DIR                            load time and counts
 *
 * DIR is the content folder; FILE is relative to it. Line stats (+added
 * -removed, as git log --numstat counts them) are computed here from each
 * change's blob ids (history_load keeps no line stats), so the tests that
 * compare them with git check the blob ids too. Diagnostics go to
 * stderr. Exit status: 0, 1 when history_load fails, 2 on bad usage.
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <git2.h>

#include "diag.h"
#include "history.h"
#include "xalloc.h"

/* The repository of DIR, for the line stats. */
static git_repository *repo_git;

/* Lines of blob `hex` as git's --numstat counts an addition or a deletion;
 * 0 when binary or absent. */
static int blob_lines(const char *hex)
{
	git_oid id;
	git_blob *b = NULL;
	int n = 0;
	if (!*hex || git_oid_fromstr(&id, hex) < 0 || git_blob_lookup(&b, repo_git, &id) < 0)
		return 0;
	const char *p = git_blob_rawcontent(b);
	size_t len = (size_t)git_blob_rawsize(b);
	if (!git_blob_is_binary(b)) {
		for (size_t i = 0; i < len; i++)
			n += p[i] == '\n' && n < INT_MAX;
		n += len && p[len - 1] != '\n' && n < INT_MAX;
	}
	git_blob_free(b);
	return n;
}

/* Lines added and removed by a change, from its two blobs: none for a pure
 * rename, the whole file for an addition or a deletion, else git's diff. */
static void line_stats(const struct history_change *c, int *add, int *del)
{
	git_oid ia, ib;
	git_blob *a = NULL, *b = NULL;
	git_patch *p = NULL;
	size_t na = 0, nr = 0;
	*add = *del = 0;
	if (c->status == 'R')
		return;
	if (!*c->old_blob || !*c->blob) {
		*add = blob_lines(c->blob);
		*del = blob_lines(c->old_blob);
		return;
	}
	if (git_oid_fromstr(&ia, c->old_blob) < 0 || git_oid_fromstr(&ib, c->blob) < 0 ||
	    git_blob_lookup(&a, repo_git, &ia) < 0 || git_blob_lookup(&b, repo_git, &ib) < 0 ||
	    git_patch_from_buffers(&p, git_blob_rawcontent(a), (size_t)git_blob_rawsize(a), NULL,
				   git_blob_rawcontent(b), (size_t)git_blob_rawsize(b), NULL, NULL) < 0 ||
	    git_patch_line_stats(NULL, &na, &nr, p) < 0)
		na = nr = 0;
	*add = na > INT_MAX ? INT_MAX : (int)na;
	*del = nr > INT_MAX ? INT_MAX : (int)nr;
	git_patch_free(p);
	git_blob_free(b);
	git_blob_free(a);
}

static void print_change(const struct history_change *c)
{
	char date[16], datetime[32];
	const struct history_commit *k = c->commit;
	int add, del;
	history_format_date(k, date, sizeof date, datetime, sizeof datetime);
	line_stats(c, &add, &del);
	printf("  %s %c +%d -%d %s", k->hash, c->status, add, del, c->path);
	if (c->old_path)
		printf(" <- %s", c->old_path);
	printf(" %s %s", datetime, k->author);
	if (k->email)
		printf(" <%s>", k->email);
	printf("%s | %s\n", k->ignored ? " ignored" : "", k->subject);
}

static void dump_all_files(const struct history *h)
{
	const struct history_file *const *files;
	size_t n = history_files(h, &files);
	printf("available %s\n", history_available(h) ? "yes" : "no");
	for (size_t i = 0; i < n; i++) {
		const struct history_file *f = files[i];
		printf("file %s n=%zu added=%s updated=%s%s%s\n", f->path, f->n,
		       f->added ? f->added->short_hash : "-",
		       f->updated ? f->updated->short_hash : "-", f->truncated ? " truncated" : "",
		       f->uncommitted ? " uncommitted" : "");
		for (size_t k = 0; k < f->n; k++)
			print_change(&f->changes[k]);
	}
}

static int dump_one(const struct history *h, const char *file)
{
	const struct history_file *f = history_find(h, file);
	if (!f) {
		fprintf(stderr, "history_dump: no file '%s'\n", file);
		return 1;
	}
	for (size_t k = 0; k < f->n; k++)
		printf("%s\n", f->changes[k].commit->hash);
	return 0;
}

static int dump_blobs(const struct history *h, const struct history_repo *repo,
		      const char *file, const char *idx, struct diag *d)
{
	const struct history_file *f = history_find(h, file);
	size_t k = (size_t)strtoul(idx, NULL, 10), on, nn;
	char *o, *n;
	if (!f || k >= f->n)
		return 1;
	if (history_blobs(repo, &f->changes[k], &o, &on, &n, &nn, d) < 0)
		return 1;
	printf("--- old (%zu)\n%s--- new (%zu)\n%s", on, o, nn, n);
	free(o);
	free(n);
	return 0;
}

/* One line per change of every file: "-" for an absent blob; the old path
 * is the path when the change is not a rename. */
static void dump_blob_ids(const struct history *h)
{
	const struct history_file *const *files;
	size_t n = history_files(h, &files);
	for (size_t i = 0; i < n; i++)
		for (size_t k = 0; k < files[i]->n; k++) {
			const struct history_change *c = &files[i]->changes[k];
			printf("%s %c %s %s %s %s\n", c->commit->hash, c->status, c->path,
			       *c->blob ? c->blob : "-", c->old_path ? c->old_path : c->path,
			       *c->old_blob ? c->old_blob : "-");
		}
}

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
	const char *mode = "dump", *ignore[64];
	struct history_options opts = { .ignore = ignore };
	int i = 1;
	for (; i < argc && argv[i][0] == '-'; i++) {
		if (!strcmp(argv[i], "--emails"))
			opts.emails = true;
		else if (!strcmp(argv[i], "--ignore") && i + 1 < argc && opts.nignore < 64)
			ignore[opts.nignore++] = argv[++i];
		else
			mode = argv[i] + 2;
	}
	if (i >= argc) {
		fprintf(stderr, "usage: history_dump [--emails] [--ignore REV]... "
				"[--hashes|--all|--blobs|--blob-ids|--time] DIR [FILE [N]]\n");
		return 2;
	}
	struct diag d;
	struct history *h = NULL;
	struct history_repo *repo = NULL;
	diag_init(&d);
	double t0 = now();
	int rc = history_load(argv[i], &opts, &h, &repo, &d) < 0;
	git_libgit2_init();
	if (!rc && git_repository_open_ext(&repo_git, argv[i], 0, NULL) < 0)
		repo_git = NULL;
	double t1 = now();
	if (!rc && !strcmp(mode, "dump")) {
		dump_all_files(h);
	} else if (!rc && !strcmp(mode, "hashes") && i + 1 < argc) {
		rc = dump_one(h, argv[i + 1]);
	} else if (!rc && !strcmp(mode, "all")) {
		const struct history_change *const *all;
		size_t n = history_all(h, &all);
		for (size_t k = 0; k < n; k++) {
			printf("%s", all[k]->file->path);
			print_change(all[k]);
		}
	} else if (!rc && !strcmp(mode, "blobs") && i + 2 < argc) {
		rc = dump_blobs(h, repo, argv[i + 1], argv[i + 2], &d);
	} else if (!rc && !strcmp(mode, "blob-ids")) {
		dump_blob_ids(h);
	} else if (!rc && !strcmp(mode, "time")) {
		const struct history_change *const *all;
		const struct history_file *const *files;
		size_t nf = history_files(h, &files), nc = history_all(h, &all);
		printf("history_load: %.3f s, %zu files, %zu changes\n", t1 - t0, nf, nc);
	} else if (!rc) {
		rc = 2;
	}
	diag_print(&d, stderr);
	diag_free(&d);
	history_free(h);
	history_repo_free(repo);
	git_repository_free(repo_git);
	git_libgit2_shutdown();
	return rc;
}
