#include "archive.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <zip.h>

#include "fsutil.h"
#include "strbuf.h"
#include "xalloc.h"

/* 1 January 2000, 00:00, as a DOS date and time: a fixed stamp, since the
 * zip format stores local time and the build's clock is not output. */
#define DOS_DATE ((20u << 9) | (1u << 5) | 1u)
#define DOS_TIME 0u

bool archive_name_ok(const char *name)
{
	size_t n = strlen(name);
	return n > 4 && !strcmp(name + n - 4, ".zip") && !strchr(name, '/') && name[0] != '.' &&
	       fs_rel_is_safe(name);
}

static bool skipped(const char *rel, const char *name, const char *const *skip)
{
	if (!strcmp(rel, name))
		return true;
	for (; skip && *skip; skip++)
		if (!strcmp(rel, *skip))
			return true;
	return false;
}

static int add_dir(zip_t *z, const char *root, const char *rel, const char *stem, const char *name,
		   const char *const *skip, struct diag *d)
{
	char *dir = *rel ? fs_join(root, rel) : xstrdup(root);
	char **names = NULL;
	size_t n = 0;
	int rc = 0;
	if (fs_list_dir(dir, &names, &n) < 0) {
		diag_error(d, dir, 0, 0, "cannot list folder for the archive: %s", strerror(errno));
		free(dir);
		return -1;
	}
	for (size_t i = 0; i < n && rc == 0; i++) {
		char *child = *rel ? fs_join(rel, names[i]) : xstrdup(names[i]);
		char *path = fs_join(root, child);
		struct stat st;
		if (skipped(child, name, skip) || lstat(path, &st) < 0 || S_ISLNK(st.st_mode)) {
		} else if (S_ISDIR(st.st_mode)) {
			rc = add_dir(z, root, child, stem, name, skip, d);
		} else {
			struct strbuf entry = STRBUF_INIT;
			sb_printf(&entry, "%s/%s", stem, child);
			zip_source_t *src = zip_source_file(z, path, 0, -1);
			zip_int64_t idx = src ? zip_file_add(z, entry.ptr, src, ZIP_FL_ENC_UTF_8) : -1;
			if (idx < 0) {
				if (src)
					zip_source_free(src);
				diag_error(d, path, 0, 0, "cannot add to the archive: %s", zip_strerror(z));
				rc = -1;
			} else if (zip_file_set_dostime(z, (zip_uint64_t)idx, DOS_TIME, DOS_DATE, 0) < 0 ||
				   zip_file_set_external_attributes(z, (zip_uint64_t)idx, 0, ZIP_OPSYS_UNIX,
								    (zip_uint32_t)0100644 << 16) < 0 ||
				   zip_set_file_compression(z, (zip_uint64_t)idx, ZIP_CM_DEFLATE, 9) < 0) {
				diag_error(d, path, 0, 0, "cannot add to the archive: %s", zip_strerror(z));
				rc = -1;
			}
			sb_free(&entry);
		}
		free(path);
		free(child);
	}
	fs_free_list(names, n);
	free(dir);
	return rc;
}

long archive_write(const char *dir, const char *name, const char *const *skip, struct diag *d)
{
	char *path = fs_join(dir, name);
	char *stem = xstrndup(name, strlen(name) - 4);
	int err = 0;
	long size = -1;
	zip_t *z = zip_open(path, ZIP_CREATE | ZIP_TRUNCATE, &err);
	if (!z) {
		zip_error_t ze;
		zip_error_init_with_code(&ze, err);
		diag_error(d, path, 0, 0, "cannot create the archive: %s", zip_error_strerror(&ze));
		zip_error_fini(&ze);
		goto out;
	}
	if (add_dir(z, dir, "", stem, name, skip, d) < 0) {
		zip_discard(z);
		goto out;
	}
	if (zip_close(z) < 0) {
		diag_error(d, path, 0, 0, "cannot write the archive: %s", zip_strerror(z));
		zip_discard(z);
		goto out;
	}
	struct stat st;
	if (stat(path, &st) == 0)
		size = (long)st.st_size;
	else
		diag_error(d, path, 0, 0, "archive missing after writing: %s", strerror(errno));
out:
	free(stem);
	free(path);
	return size;
}
