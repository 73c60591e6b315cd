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
 * DIR is the content folder; FILE is relative to it. Diagnostics go to
 * stderr. Exit status: 0, 1 when history_load fails, 2 on bad usage.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "diag.h"
#include "history.h"
#include "xalloc.h"

static void print_change(const struct history_change *c)
{
	char date[16], datetime[32];
	const struct history_commit *k = c->commit;
	history_format_date(k, date, sizeof date, datetime, sizeof datetime);
	printf("  %s %c +%d -%d %s", k->hash, c->status, c->added, c->removed, c->path);
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
	return rc;
}
