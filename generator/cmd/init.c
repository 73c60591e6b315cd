#include "init.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fsutil.h"
#include "skel.h"
#include "strbuf.h"
#include "xalloc.h"

/* The sorted names in `dir` (no "." or ".."), at most `max` of them in
 * `list` as "a, b, c" (with "…" after). Returns how many there are. */
static size_t entries(const char *dir, struct strbuf *list, size_t max)
{
	char **names = NULL;
	size_t n = 0;
	if (fs_list_dir(dir, &names, &n) < 0)
		return 0;
	for (size_t i = 0; i < n && i < max; i++)
		sb_printf(list, "%s%s", i ? ", " : "", names[i]);
	if (n > max)
		sb_puts(list, ", …");
	fs_free_list(names, n);
	return n;
}

/* True when the folder holding `path` is `root_real` or inside it: an
 * existing symbolic link on the way must not lead the write elsewhere. */
static bool parent_inside(const char *path, const char *root_real)
{
	char *parent = xstrdup(path);
	char *slash = strrchr(parent, '/');
	if (slash)
		*slash = '\0';
	char *real = realpath(slash ? parent : ".", NULL);
	size_t n = strlen(root_real);
	bool ok = real && !strncmp(real, root_real, n) && (real[n] == '/' || real[n] == '\0');
	free(real);
	free(parent);
	return ok;
}

/* Creates `path` (never replacing anything) with `text`. Returns 1 when
 * written, 0 when it existed, -1 on an error. */
static int write_new(const char *path, const char *text, const char *root_real, struct diag *d)
{
	if (fs_mkdir_parent(path) < 0) {
		diag_error(d, path, 0, 0, "cannot create folder: %s", strerror(errno));
		return -1;
	}
	if (!parent_inside(path, root_real)) {
		diag_error(d, path, 0, 0, "a symbolic link leads this file outside the new site; not writing it");
		return -1;
	}
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
	if (fd < 0 && errno == EEXIST) {
		diag_note(d, path, 0, 0, "exists; kept as it is");
		return 0;
	}
	if (fd < 0) {
		diag_error(d, path, 0, 0, "cannot create: %s", strerror(errno));
		return -1;
	}
	size_t len = strlen(text);
	ssize_t w = write(fd, text, len);
	int wer = errno;
	if (close(fd) < 0 || w != (ssize_t)len) {
		diag_error(d, path, 0, 0, "cannot write: %s", strerror(w < 0 ? wer : (errno ? errno : EIO)));
		return -1;
	}
	return 1;
}

int init_site(const char *dir, bool force, struct diag *d)
{
	struct stat st;
	if (lstat(dir, &st) == 0 && !S_ISDIR(st.st_mode)) {
		diag_error(d, dir, 0, 0, "exists and is not a folder");
		return -1;
	}
	struct strbuf list = STRBUF_INIT;
	size_t n = lstat(dir, &st) == 0 ? entries(dir, &list, 5) : 0;
	if (n && !force) {
		diag_error(d, dir, 0, 0, "folder is not empty (%s); use --force to add the missing files "
					 "(existing ones are never overwritten)",
			   list.ptr);
		sb_free(&list);
		return -1;
	}
	sb_free(&list);
	if (fs_mkdir_p(dir) < 0) {
		diag_error(d, dir, 0, 0, "cannot create folder: %s", strerror(errno));
		return -1;
	}
	char *root_real = realpath(dir, NULL);
	if (!root_real) {
		diag_error(d, dir, 0, 0, "cannot open folder: %s", strerror(errno));
		return -1;
	}
	int written = 0;
	for (const struct skel_file *f = skel_files; f->path && written >= 0; f++) {
		char *path = fs_join(dir, f->path);
		int rc = write_new(path, f->text, root_real, d);
		free(path);
		written = rc < 0 ? -1 : written + rc;
	}
	free(root_real);
	return written;
}
