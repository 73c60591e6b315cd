/* renameat2 and RENAME_EXCHANGE (Linux); everything else is POSIX. */
#define _GNU_SOURCE
#include "fsutil.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "strbuf.h"
#include "utf8.h"
#include "workq.h"
#include "xalloc.h"

/* The watcher (fsutil.h); set before reading threads start. */
static fs_seen_fn seen_fn;
static void *seen_arg;

void fs_watch(fs_seen_fn fn, void *arg)
{
	seen_fn = fn;
	seen_arg = arg;
}

static void seen(enum fs_seen what, const char *path, const char *data, size_t len)
{
	if (seen_fn)
		seen_fn(seen_arg, what, path, data, len);
}

bool fs_watching(void)
{
	return seen_fn != NULL;
}

void fs_seen_elsewhere(enum fs_seen what, const char *path, const char *data, size_t len)
{
	seen(what, path, data, len);
}

static void seen_answer(enum fs_seen what, const char *path, bool yes)
{
	seen(what, path, yes ? "1" : "0", 1);
}

static int read_file(const char *path, char **out, size_t *len)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	struct strbuf sb = STRBUF_INIT;
	for (;;) {
		sb_grow(&sb, 65536);
		ssize_t r = read(fd, sb.ptr + sb.size, sb.asize - sb.size - 1);
		if (r < 0) {
			if (errno == EINTR)
				continue;
			int e = errno;
			close(fd);
			sb_free(&sb);
			errno = e;
			return -1;
		}
		if (r == 0)
			break;
		sb.size += (size_t)r;
		sb.ptr[sb.size] = '\0';
	}
	close(fd);
	*len = sb.size;
	*out = sb_detach(&sb);
	return 0;
}

int fs_read_file(const char *path, char **out, size_t *len)
{
	int rc = read_file(path, out, len);
	if (seen_fn) {
		int e = errno;
		seen(FS_SEEN_FILE, path, rc < 0 ? NULL : *out, rc < 0 ? 0 : *len);
		errno = e;
	}
	return rc;
}

static int write_all(int fd, const void *data, size_t len)
{
	const char *p = data;
	while (len) {
		ssize_t w = write(fd, p, len);
		if (w < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		p += w;
		len -= (size_t)w;
	}
	return 0;
}

/* Six letters or digits, different at each call. */
static void random_suffix(struct strbuf *sb)
{
	static const char digits[] =
		"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
	static unsigned long long x;
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	x ^= (unsigned long long)ts.tv_nsec ^ ((unsigned long long)getpid() << 32) ^
	     (unsigned long long)ts.tv_sec;
	x = x * 6364136223846793005ULL + 1442695040888963407ULL;
	unsigned long long y = x >> 16;
	for (int i = 0; i < 6; i++, y /= 62)
		sb_putc(sb, digits[y % 62]);
}

static int write_flags(const char *path, int flags, const void *data, size_t len)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC | flags, 0666);
	if (fd < 0)
		return -1;
	if (write_all(fd, data, len) < 0) {
		int e = errno;
		close(fd);
		errno = e;
		return -1;
	}
	return close(fd);
}

int fs_write_file(const char *path, const void *data, size_t len)
{
	return write_flags(path, O_TRUNC, data, len);
}

int fs_write_new(const char *path, const void *data, size_t len)
{
	return write_flags(path, O_EXCL, data, len);
}

int fs_write_atomic(const char *path, const void *data, size_t len)
{
	struct strbuf tmp = STRBUF_INIT;
	int fd = -1, rc = -1, e = 0;
	/* Not mkstemp: its 0600 would ignore the umask. */
	for (int tries = 0; fd < 0 && tries < 1000; tries++) {
		sb_clear(&tmp);
		sb_printf(&tmp, "%s.tmp.", path);
		random_suffix(&tmp);
		fd = open(tmp.ptr, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
		if (fd < 0 && errno != EEXIST)
			break;
	}
	if (fd < 0) {
		e = errno;
		goto out;
	}
	if (write_all(fd, data, len) < 0 || fsync(fd) < 0) {
		e = errno;
		close(fd);
		unlink(tmp.ptr);
		goto out;
	}
	if (close(fd) < 0 || rename(tmp.ptr, path) < 0) {
		e = errno;
		unlink(tmp.ptr);
		goto out;
	}
	rc = 0;
out:
	sb_free(&tmp);
	if (rc)
		errno = e;
	return rc;
}

int fs_mkdir_p(const char *path)
{
	char *p = xstrdup(path);
	int rc = 0;
	for (char *s = p + 1; *s; s++) {
		if (*s != '/')
			continue;
		*s = '\0';
		if (mkdir(p, 0777) < 0 && errno != EEXIST) {
			rc = -1;
			break;
		}
		*s = '/';
	}
	if (rc == 0 && mkdir(p, 0777) < 0 && errno != EEXIST)
		rc = -1;
	if (rc == 0 && !fs_is_dir(p)) {
		errno = ENOTDIR;
		rc = -1;
	}
	int e = errno;
	free(p);
	errno = e;
	return rc;
}

int fs_mkdir_parent(const char *path)
{
	const char *slash = strrchr(path, '/');
	if (!slash || slash == path)
		return 0;
	char *dir = xstrndup(path, (size_t)(slash - path));
	int rc = fs_mkdir_p(dir);
	int e = errno;
	free(dir);
	errno = e;
	return rc;
}

int fs_rm_rf(const char *path)
{
	struct stat st;
	if (lstat(path, &st) < 0)
		return errno == ENOENT ? 0 : -1;
	if (!S_ISDIR(st.st_mode))
		return unlink(path);
	char **names = NULL;
	size_t n = 0;
	if (fs_list_dir(path, &names, &n) < 0)
		return -1;
	int rc = 0;
	for (size_t i = 0; i < n && rc == 0; i++) {
		char *child = fs_join(path, names[i]);
		rc = fs_rm_rf(child);
		free(child);
	}
	fs_free_list(names, n);
	if (rc == 0)
		rc = rmdir(path);
	return rc;
}

static int copy_flags(const char *from, const char *to, int flags)
{
	char *data = NULL;
	size_t len = 0;
	if (fs_read_file(from, &data, &len) < 0)
		return -1;
	int rc = write_flags(to, flags, data, len);
	int e = errno;
	free(data);
	errno = e;
	return rc;
}

int fs_copy_file(const char *from, const char *to)
{
	return copy_flags(from, to, O_TRUNC);
}

int fs_copy_new(const char *from, const char *to)
{
	return copy_flags(from, to, O_EXCL);
}

bool fs_is_dir(const char *path)
{
	struct stat st;
	bool yes = stat(path, &st) == 0 && S_ISDIR(st.st_mode);
	seen_answer(FS_SEEN_IS_DIR, path, yes);
	return yes;
}

bool fs_is_file(const char *path)
{
	struct stat st;
	bool yes = stat(path, &st) == 0 && S_ISREG(st.st_mode);
	seen_answer(FS_SEEN_IS_FILE, path, yes);
	return yes;
}

bool fs_exists(const char *path)
{
	struct stat st;
	bool yes = lstat(path, &st) == 0;
	seen_answer(FS_SEEN_EXISTS, path, yes);
	return yes;
}

static int name_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* A listing as the watcher sees it: each name, its type and a link's
 * target, so that a file replaced by a folder or a link pointed elsewhere
 * reads as a change. */
static void describe_listing(const char *dir, char *const *names, size_t n, struct strbuf *sb)
{
	for (size_t i = 0; i < n; i++) {
		char *path = fs_join(dir, names[i]);
		struct stat st;
		char type = 'o';
		sb_puts(sb, names[i]);
		sb_putc(sb, '\0');
		if (lstat(path, &st) == 0)
			type = S_ISREG(st.st_mode) ? 'f' : S_ISDIR(st.st_mode) ? 'd'
						   : S_ISLNK(st.st_mode)       ? 'l'
									       : 'o';
		sb_putc(sb, type);
		if (type == 'l') {
			char target[4096];
			ssize_t k = readlink(path, target, sizeof(target));
			if (k > 0)
				sb_put(sb, target, (size_t)k);
		}
		sb_putc(sb, '\0');
		free(path);
	}
}

static int list_dir(const char *dir, char ***names, size_t *n);

int fs_list_dir(const char *dir, char ***names, size_t *n)
{
	int rc = list_dir(dir, names, n);
	if (seen_fn) {
		int e = errno;
		struct strbuf sb = STRBUF_INIT;
		if (rc == 0)
			describe_listing(dir, *names, *n, &sb);
		seen(FS_SEEN_DIR, dir, rc < 0 ? NULL : sb.ptr ? sb.ptr
							      : "",
		     sb.size);
		sb_free(&sb);
		errno = e;
	}
	return rc;
}

static int list_dir(const char *dir, char ***names, size_t *n)
{
	DIR *d = opendir(dir);
	if (!d)
		return -1;
	char **v = NULL;
	size_t cnt = 0, cap = 0;
	struct dirent *de;
	errno = 0;
	while ((de = readdir(d))) {
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		v = xgrow(v, &cap, cnt + 1, sizeof(*v));
		v[cnt++] = xstrdup(de->d_name);
	}
	int e = errno;
	closedir(d);
	if (e) {
		fs_free_list(v, cnt);
		errno = e;
		return -1;
	}
	if (cnt)
		qsort(v, cnt, sizeof(*v), name_cmp);
	*names = v;
	*n = cnt;
	return 0;
}

void fs_free_list(char **names, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	free(names);
}

char *fs_join(const char *a, const char *b)
{
	struct strbuf sb = STRBUF_INIT;
	sb_puts(&sb, a);
	if (sb.size && sb.ptr[sb.size - 1] != '/' && *b)
		sb_putc(&sb, '/');
	sb_puts(&sb, b);
	return sb_detach(&sb);
}

bool fs_rel_is_safe(const char *rel)
{
	if (!*rel || rel[0] == '/' || strchr(rel, '\\'))
		return false;
	const char *p = rel;
	while (*p) {
		const char *e = strchr(p, '/');
		size_t n = e ? (size_t)(e - p) : strlen(p);
		if (n == 0 || n > FS_NAME_MAX || (n == 1 && p[0] == '.') ||
		    (n == 2 && p[0] == '.' && p[1] == '.'))
			return false;
		p += n;
		if (*p == '/')
			p++;
	}
	return true;
}

char *fs_resolve(const char *base, const char *rel)
{
	/* Components of the result, as views into a working copy. */
	struct strbuf work = STRBUF_INIT;
	if (rel[0] != '/') {
		const char *slash = strrchr(base, '/');
		if (slash)
			sb_put(&work, base, (size_t)(slash - base + 1));
	}
	sb_puts(&work, rel[0] == '/' ? rel + 1 : rel);
	char **parts = NULL;
	size_t np = 0, cap = 0;
	char *save = NULL;
	bool bad = false;
	for (char *tok = strtok_r(work.ptr, "/", &save); tok;
	     tok = strtok_r(NULL, "/", &save)) {
		if (!strcmp(tok, "."))
			continue;
		if (!strcmp(tok, "..")) {
			if (np == 0) {
				bad = true;
				break;
			}
			np--;
			continue;
		}
		parts = xgrow(parts, &cap, np + 1, sizeof(*parts));
		parts[np++] = tok;
	}
	char *res = NULL;
	if (!bad) {
		struct strbuf out = STRBUF_INIT;
		for (size_t i = 0; i < np; i++) {
			if (i)
				sb_putc(&out, '/');
			sb_puts(&out, parts[i]);
		}
		size_t rl = strlen(rel);
		if (rl && rel[rl - 1] == '/' && out.size)
			sb_putc(&out, '/');
		res = sb_detach(&out);
	}
	free(parts);
	sb_free(&work);
	return res;
}

char *fs_root_of(const char *from)
{
	struct strbuf sb = STRBUF_INIT;
	for (const char *p = from; *p; p++)
		if (*p == '/')
			sb_puts(&sb, "../");
	return sb_detach(&sb);
}

char *fs_relurl(const char *from, const char *to)
{
	/* Skip the folders both paths share, then climb out of the rest. */
	size_t common = 0;
	for (size_t i = 0; from[i] && from[i] == to[i]; i++)
		if (from[i] == '/')
			common = i + 1;
	struct strbuf sb = STRBUF_INIT;
	for (const char *p = from + common; *p; p++)
		if (*p == '/')
			sb_puts(&sb, "../");
	sb_puts(&sb, to + common);
	return sb_detach(&sb);
}

const char *fs_basename(const char *path)
{
	const char *s = strrchr(path, '/');
	return s ? s + 1 : path;
}

const char *fs_extension(const char *path)
{
	const char *b = fs_basename(path);
	const char *dot = strrchr(b, '.');
	return dot && dot != b ? dot : b + strlen(b);
}

/* ---- reading a tree that must not be left ----------------------------- */

bool fs_has_control(const char *s)
{
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		if (*p < 0x20 || *p == 0x7f)
			return true;
	return false;
}

const char *fs_name_problem(const char *name)
{
	if (utf8_invalid(name, strlen(name)) != UTF8_VALID)
		return "file name is not valid UTF-8; rename it";
	if (fs_has_control(name))
		return "file name holds a control character; rename it";
	return NULL;
}

static bool path_within(const char *path, const char *root)
{
	size_t n = strlen(root);
	if (n == 1 && root[0] == '/')
		return path[0] == '/';
	return !strncmp(path, root, n) && (path[n] == '\0' || path[n] == '/');
}

bool fs_resolves_inside(const char *path, const char *root_real)
{
	char *real = realpath(path, NULL);
	if (!real)
		return false;
	bool ok = path_within(real, root_real);
	free(real);
	if (!ok)
		errno = EXDEV;
	return ok;
}

/* Where the open file `fd` (`st` its fstat) is, every link resolved: the
 * kernel's answer, so it names what was opened, not what the path names now. */
static char *fd_realpath(int fd, const struct stat *st, const char *path)
{
	char link[32], buf[PATH_MAX];
	snprintf(link, sizeof(link), "/proc/self/fd/%d", fd);
	/* The link's target is the kernel's canonical path of the open file:
	 * one readlink, where realpath(3) would walk every component again.
	 * Only an absolute answer is a path ("pipe:[N]" and the like, or a
	 * deleted file's " (deleted)", go the slow way). */
	ssize_t k = readlink(link, buf, sizeof(buf) - 1);
	if (k > 0 && buf[0] == '/') {
		buf[k] = '\0';
		struct stat a;
		/* A name whose bytes the kernel could not give back as they are
		 * (a deleted or renamed-away file) resolves to another file. */
		if (stat(buf, &a) == 0 && a.st_dev == st->st_dev && a.st_ino == st->st_ino)
			return xstrndup(buf, (size_t)k);
	}
	char *real = realpath(link, NULL);
	/* Without /proc, the path (checked, but not atomically). */
	return real ? real : realpath(path, NULL);
}

static int read_file_within(const char *path, const char *root_real, char **real_out, char **out,
			    size_t *len);

/* What fs_read_file_within reports: the canonical path read (`real`,
 * NULL if the read failed), then the bytes (the same file reached through
 * another link is another input). */
static void seen_within(const char *path, const char *real, const char *data, size_t len)
{
	int e = errno;
	if (!real) {
		seen(FS_SEEN_FILE_WITHIN, path, NULL, 0);
	} else {
		struct strbuf sb = STRBUF_INIT;
		sb_puts(&sb, real);
		sb_putc(&sb, '\n');
		sb_put(&sb, data, len);
		seen(FS_SEEN_FILE_WITHIN, path, sb.ptr, sb.size);
		sb_free(&sb);
	}
	errno = e;
}

int fs_read_file_within(const char *path, const char *root_real, char **out, size_t *len)
{
	char *real = NULL;
	int rc = read_file_within(path, root_real, seen_fn ? &real : NULL, out, len);
	if (seen_fn)
		seen_within(path, real, rc < 0 ? NULL : *out, rc < 0 ? 0 : *len);
	free(real);
	return rc;
}

int fs_look(enum fs_seen what, const char *path, struct strbuf *data)
{
	char *text = NULL, **names = NULL;
	size_t len = 0, n = 0;
	int rc = 0;
	switch (what) {
	case FS_SEEN_FILE:
		if ((rc = read_file(path, &text, &len)) == 0)
			sb_put(data, text, len);
		break;
	case FS_SEEN_FILE_WITHIN: {
		/* As fs_read_file_within saw it, but anywhere: where the open
		 * file is (one readlink, not realpath's one per component). */
		char *real = NULL;
		if (read_file_within(path, NULL, &real, &text, &len) < 0) {
			rc = -1;
		} else {
			sb_puts(data, real);
			sb_putc(data, '\n');
			sb_put(data, text, len);
		}
		free(real);
		break;
	}
	case FS_SEEN_DIR:
		if ((rc = list_dir(path, &names, &n)) == 0)
			describe_listing(path, names, n, data);
		fs_free_list(names, n);
		break;
	case FS_SEEN_IS_DIR:
	case FS_SEEN_IS_FILE:
	case FS_SEEN_EXISTS: {
		struct stat st;
		bool yes = what == FS_SEEN_EXISTS ? lstat(path, &st) == 0
						  : stat(path, &st) == 0 && (what == FS_SEEN_IS_DIR ? S_ISDIR(st.st_mode)
												    : S_ISREG(st.st_mode));
		sb_putc(data, yes ? '1' : '0');
		break;
	}
	}
	free(text);
	return rc;
}

/* Reads the regular file `path` if it resolves inside `root_real` (any
 * place when NULL); *real_out (when not NULL) gets where it is, on success. */
static int read_file_within(const char *path, const char *root_real, char **real_out, char **out,
			    size_t *len)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
	if (fd < 0)
		return -1;
	struct stat st;
	char *real = NULL;
	int e = 0;
	if (fstat(fd, &st) < 0)
		e = errno;
	else if (!S_ISREG(st.st_mode))
		e = EINVAL;
	else if (!(real = fd_realpath(fd, &st, path)))
		e = errno;
	else if (root_real && !path_within(real, root_real))
		e = EXDEV;
	if (e || !real_out)
		free(real);
	else
		*real_out = real;
	struct strbuf sb = STRBUF_INIT;
	/* Room for the whole file and one byte more (to see the end in one
	 * read); a file that grows meanwhile still reads to its end. */
	size_t want = !e && st.st_size > 0 ? (size_t)st.st_size + 1 : 65536;
	while (!e) {
		sb_grow(&sb, want);
		want = 65536;
		ssize_t r = read(fd, sb.ptr + sb.size, sb.asize - sb.size - 1);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			e = errno;
		if (r <= 0)
			break;
		sb.size += (size_t)r;
		sb.ptr[sb.size] = '\0';
	}
	close(fd);
	if (e) {
		sb_free(&sb);
		errno = e;
		return -1;
	}
	*len = sb.size;
	*out = sb_detach(&sb);
	return 0;
}

int fs_copy_file_within(const char *from, const char *root_real, const char *to)
{
	char *data = NULL;
	size_t len = 0;
	if (fs_read_file_within(from, root_real, &data, &len) < 0)
		return -1;
	int rc = fs_write_file(to, data, len);
	int e = errno;
	free(data);
	errno = e;
	return rc;
}

/* The folders walked so far: an open-addressing set of (device, inode),
 * each with the relative path of its first walk. */
struct dir_seen {
	dev_t dev;
	ino_t ino;
	char *rel; /* NULL: free slot */
};

struct walker {
	const char *root_real;
	fs_walk_fn fn;
	void *arg;
	bool hidden; /* names starting with '.' are walked too */
	struct dir_seen *seen;
	size_t nseen, cap; /* cap is a power of two */
};

static size_t seen_slot(const struct walker *w, dev_t dev, ino_t ino)
{
	uint64_t h = ((uint64_t)dev * 0x9E3779B97F4A7C15u) ^ ((uint64_t)ino * 0xC2B2AE3D27D4EB4Fu);
	size_t i = (size_t)(h ^ (h >> 29)) & (w->cap - 1);
	while (w->seen[i].rel && !(w->seen[i].dev == dev && w->seen[i].ino == ino))
		i = (i + 1) & (w->cap - 1);
	return i;
}

/* The rel of the folder's first walk, or NULL after recording this one. */
static const char *seen_add(struct walker *w, const struct stat *st, const char *rel)
{
	if (2 * (w->nseen + 1) > w->cap) {
		struct dir_seen *old = w->seen;
		size_t oldcap = w->cap;
		w->cap = oldcap ? 2 * oldcap : 64;
		w->seen = xcalloc(w->cap, sizeof(*w->seen));
		for (size_t i = 0; i < oldcap; i++)
			if (old[i].rel)
				w->seen[seen_slot(w, old[i].dev, old[i].ino)] = old[i];
		free(old);
	}
	size_t i = seen_slot(w, st->st_dev, st->st_ino);
	if (w->seen[i].rel)
		return w->seen[i].rel;
	w->seen[i] = (struct dir_seen){ st->st_dev, st->st_ino, xstrdup(rel) };
	w->nseen++;
	return NULL;
}

static int walk_dir(struct walker *w, const char *dir, const char *rel);

static int walk_entry(struct walker *w, struct fs_walk_entry *e)
{
	struct stat st;
	if (lstat(e->path, &st) < 0) {
		e->kind = FS_WALK_ERROR;
		e->err = errno;
		return w->fn(w->arg, e);
	}
	e->link = S_ISLNK(st.st_mode);
	if (e->link) {
		if (!fs_resolves_inside(e->path, w->root_real)) {
			e->err = errno;
			e->kind = e->err == EXDEV ? FS_WALK_OUTSIDE : FS_WALK_ERROR;
			return w->fn(w->arg, e);
		}
		if (stat(e->path, &st) < 0) {
			e->kind = FS_WALK_ERROR;
			e->err = errno;
			return w->fn(w->arg, e);
		}
	}
	if (S_ISREG(st.st_mode)) {
		e->kind = FS_WALK_FILE;
		return w->fn(w->arg, e);
	}
	if (!S_ISDIR(st.st_mode)) {
		e->kind = FS_WALK_SPECIAL;
		return w->fn(w->arg, e);
	}
	e->kind = FS_WALK_DIR;
	int r = w->fn(w->arg, e);
	if (r != 0)
		return r > 0 ? 0 : r;
	/* Real folders were recorded by the first pass; a link to one of
	 * them (or to a folder an earlier link reached) is not walked, nor a
	 * real folder met again under another name (a bind mount). */
	const char *first = seen_add(w, &st, e->rel);
	if (first && (e->link || strcmp(first, e->rel))) {
		size_t n = strlen(first);
		e->kind = FS_WALK_LOOP;
		e->other = first;
		e->ancestor = !*first || (!strncmp(e->rel, first, n) && e->rel[n] == '/');
		return w->fn(w->arg, e);
	}
	return walk_dir(w, e->path, e->rel);
}

static int walk_dir(struct walker *w, const char *dir, const char *rel)
{
	char **names = NULL;
	size_t n = 0;
	if (fs_list_dir(dir, &names, &n) < 0) {
		struct fs_walk_entry e = { .kind = FS_WALK_ERROR, .path = dir, .rel = rel, .name = fs_basename(dir), .err = errno };
		return w->fn(w->arg, &e);
	}
	int rc = 0;
	for (size_t i = 0; i < n && rc >= 0; i++) {
		if (names[i][0] == '.' && !w->hidden)
			continue;
		char *path = fs_join(dir, names[i]), *child = fs_join(rel, names[i]);
		struct fs_walk_entry e = { .path = path, .rel = child, .name = names[i] };
		rc = walk_entry(w, &e);
		free(path);
		free(child);
	}
	fs_free_list(names, n);
	return rc < 0 ? rc : 0;
}

/* The first pass: every real folder (links not followed), so that a link
 * is the one reported whichever of it and its target sorts first. */
static void record_real(struct walker *w, const char *dir, const char *rel)
{
	char **names = NULL;
	size_t n = 0;
	if (fs_list_dir(dir, &names, &n) < 0)
		return; /* reported by the second pass */
	for (size_t i = 0; i < n; i++) {
		struct stat st;
		if (names[i][0] == '.' && !w->hidden)
			continue;
		char *path = fs_join(dir, names[i]), *child = fs_join(rel, names[i]);
		if (lstat(path, &st) == 0 && S_ISDIR(st.st_mode) && !seen_add(w, &st, child))
			record_real(w, path, child);
		free(path);
		free(child);
	}
	fs_free_list(names, n);
}

static int walk_tree(const char *dir, const char *root_real, bool hidden, fs_walk_fn fn, void *arg)
{
	struct stat st;
	if (stat(dir, &st) < 0)
		return -1;
	if (!S_ISDIR(st.st_mode)) {
		errno = ENOTDIR;
		return -1;
	}
	/* `dir` itself is a link (or under one) leading out: reported as
	 * its entries would be, and not listed. */
	if (!fs_resolves_inside(dir, root_real)) {
		struct fs_walk_entry e = { .kind = errno == EXDEV ? FS_WALK_OUTSIDE : FS_WALK_ERROR,
					   .path = dir,
					   .rel = "",
					   .name = fs_basename(dir),
					   .link = true,
					   .err = errno };
		return fn(arg, &e) < 0 ? -1 : 0;
	}
	struct walker w = { .root_real = root_real, .fn = fn, .arg = arg, .hidden = hidden };
	seen_add(&w, &st, "");
	record_real(&w, dir, "");
	int rc = walk_dir(&w, dir, "");
	for (size_t i = 0; i < w.cap; i++)
		free(w.seen[i].rel);
	free(w.seen);
	return rc;
}

int fs_walk(const char *dir, const char *root_real, fs_walk_fn fn, void *arg)
{
	return walk_tree(dir, root_real, false, fn, arg);
}

int fs_walk_all(const char *dir, const char *root_real, fs_walk_fn fn, void *arg)
{
	return walk_tree(dir, root_real, true, fn, arg);
}

/* --- the output side ------------------------------------------------------ */

int fs_mkdtemp(const char *prefix, char **path)
{
	struct strbuf sb = STRBUF_INIT;
	for (int tries = 0; tries < 1000; tries++) {
		sb_clear(&sb);
		sb_puts(&sb, prefix);
		random_suffix(&sb);
		/* mkdir applies the umask, as for any other folder. */
		if (mkdir(sb.ptr, 0777) == 0) {
			*path = sb_detach(&sb);
			return 0;
		}
		if (errno != EEXIST)
			break;
	}
	*path = sb_detach(&sb);
	return -1;
}

static int sync_path(const char *path, int flags)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | flags);
	if (fd < 0)
		return -1;
	if (fsync(fd) < 0) {
		int e = errno;
		close(fd);
		errno = e;
		return -1;
	}
	return close(fd);
}

int fs_sync_dir(const char *path)
{
	return sync_path(path, O_DIRECTORY);
}

/* The paths under `path` in the order they are flushed: every folder's
 * children before it (post-order), `path` last; files and folders apart. */
struct sync_list {
	char **files, **dirs;
	size_t nfiles, capfiles, ndirs, capdirs;
};

static void sync_list_add(char ***v, size_t *n, size_t *cap, char *path)
{
	*v = xgrow(*v, cap, *n + 1, sizeof(**v));
	(*v)[(*n)++] = path;
}

/* Returns -1 with *failed set when `path` cannot be read. */
static int sync_collect(const char *path, struct sync_list *l, char **failed)
{
	struct stat st;
	if (lstat(path, &st) < 0) {
		*failed = xstrdup(path);
		return -1;
	}
	if (S_ISLNK(st.st_mode))
		return 0;
	if (!S_ISDIR(st.st_mode)) {
		sync_list_add(&l->files, &l->nfiles, &l->capfiles, xstrdup(path));
		return 0;
	}
	char **names = NULL;
	size_t n = 0;
	if (fs_list_dir(path, &names, &n) < 0) {
		*failed = xstrdup(path);
		return -1;
	}
	int rc = 0;
	for (size_t i = 0; i < n && rc == 0; i++) {
		char *child = fs_join(path, names[i]);
		rc = sync_collect(child, l, failed);
		free(child);
	}
	int e = errno;
	fs_free_list(names, n);
	errno = e;
	if (rc == 0)
		sync_list_add(&l->dirs, &l->ndirs, &l->capdirs, xstrdup(path));
	return rc;
}

struct sync_job {
	char **files;
	int *err; /* per file: 0 or the errno of its failure */
};

static void sync_file_task(size_t i, void *arg)
{
	struct sync_job *j = arg;
	j->err[i] = sync_path(j->files[i], 0) < 0 ? errno : 0;
}

int fs_sync_tree(const char *path, char **failed, unsigned jobs)
{
	struct sync_list l = { 0 };
	*failed = NULL;
	int rc = sync_collect(path, &l, failed);
	if (rc == 0) {
		/* The flushes of files wait on the disk, not the processor: they
		 * overlap on `jobs` threads. The first failure in list order is
		 * the one reported, whichever thread met it first. */
		struct sync_job j = { l.files, xcalloc(l.nfiles + 1, sizeof(int)) };
		workq_run(l.nfiles, jobs, sync_file_task, &j);
		for (size_t i = 0; i < l.nfiles && rc == 0; i++)
			if (j.err[i]) {
				*failed = xstrdup(l.files[i]);
				errno = j.err[i];
				rc = -1;
			}
		free(j.err);
	}
	/* Then the folders, each after everything under it. */
	for (size_t i = 0; i < l.ndirs && rc == 0; i++)
		if (sync_path(l.dirs[i], O_DIRECTORY) < 0) {
			*failed = xstrdup(l.dirs[i]);
			rc = -1;
		}
	int e = errno;
	for (size_t i = 0; i < l.nfiles; i++)
		free(l.files[i]);
	for (size_t i = 0; i < l.ndirs; i++)
		free(l.dirs[i]);
	free(l.files);
	free(l.dirs);
	errno = e;
	return rc;
}

int fs_swap(const char *from, const char *to, enum fs_swap_how *how)
{
	struct stat st;
	if (lstat(to, &st) < 0) {
		if (errno != ENOENT)
			return -1;
		*how = FS_SWAP_RENAMED;
		/* Nothing to replace: one rename, refusing to clobber a folder
		 * that appeared meanwhile. */
		if (renameat2(AT_FDCWD, from, AT_FDCWD, to, RENAME_NOREPLACE) == 0)
			return 0;
		if (errno != EINVAL && errno != ENOSYS)
			return -1;
		return rename(from, to);
	}
	*how = FS_SWAP_EXCHANGED;
	if (renameat2(AT_FDCWD, from, AT_FDCWD, to, RENAME_EXCHANGE) == 0)
		return 0;
	if (errno != EINVAL && errno != ENOSYS)
		return -1;
	/* The file system cannot exchange: the caller moves `to` aside. */
	*how = FS_SWAP_UNSUPPORTED;
	return -1;
}

int fs_lock_dir(const char *dir, struct fs_lock *l)
{
	l->fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (l->fd < 0)
		return -1;
	if (flock(l->fd, LOCK_EX | LOCK_NB) == 0)
		return 0;
	while (errno == EWOULDBLOCK || errno == EINTR) {
		l->waited = true;
		if (flock(l->fd, LOCK_EX) == 0)
			return 0;
	}
	int e = errno;
	close(l->fd);
	l->fd = -1;
	errno = e;
	return -1;
}

void fs_unlock(struct fs_lock *l)
{
	if (l->fd >= 0)
		close(l->fd);
	l->fd = -1;
}

char *fs_realpath_any(const char *path)
{
	struct strbuf abs = STRBUF_INIT;
	if (path[0] != '/') {
		char *cwd = getcwd(NULL, 0);
		if (!cwd) {
			sb_free(&abs);
			return NULL;
		}
		sb_puts(&abs, cwd);
		sb_putc(&abs, '/');
		free(cwd);
	}
	sb_puts(&abs, path);
	/* The longest prefix that exists is resolved by realpath(3); the
	 * components after it name nothing yet and are applied as text. */
	size_t cut = abs.size;
	char *base = NULL;
	for (;;) {
		char *prefix = xstrndup(abs.ptr, cut ? cut : 1);
		base = realpath(prefix, NULL);
		int e = errno;
		free(prefix);
		if (base)
			break;
		if ((e != ENOENT && e != ENOTDIR) || cut <= 1) {
			sb_free(&abs);
			errno = e;
			return NULL;
		}
		while (cut > 1 && abs.ptr[cut - 1] == '/')
			cut--;
		while (cut > 1 && abs.ptr[cut - 1] != '/')
			cut--;
	}
	struct strbuf res = STRBUF_INIT;
	sb_puts(&res, base);
	free(base);
	char *rest = xstrdup(abs.ptr + cut);
	char *save = NULL;
	for (char *tok = strtok_r(rest, "/", &save); tok; tok = strtok_r(NULL, "/", &save)) {
		if (!strcmp(tok, "."))
			continue;
		if (!strcmp(tok, "..")) {
			while (res.size > 1 && res.ptr[res.size - 1] != '/')
				res.size--;
			if (res.size > 1)
				res.size--;
			res.ptr[res.size] = '\0';
			continue;
		}
		if (res.size > 1)
			sb_putc(&res, '/');
		sb_puts(&res, tok);
	}
	free(rest);
	sb_free(&abs);
	return sb_detach(&res);
}

bool fs_path_within(const char *inner, const char *outer)
{
	size_t n = strlen(outer);
	if (n == 1 && outer[0] == '/')
		return inner[0] == '/';
	return !strncmp(inner, outer, n) && (inner[n] == '\0' || inner[n] == '/');
}

static bool same_bytes(const char *a, const char *b)
{
	char *x = NULL, *y = NULL;
	size_t nx = 0, ny = 0;
	bool same = fs_read_file(a, &x, &nx) == 0 && fs_read_file(b, &y, &ny) == 0 && nx == ny &&
		    !memcmp(x, y, nx);
	free(x);
	free(y);
	return same;
}

static int move_changed(const char *from, const char *to, const char *skip)
{
	DIR *dir = opendir(from);
	if (!dir)
		return -1;
	int moved = 0;
	struct dirent *e;
	while (moved >= 0 && (e = readdir(dir))) {
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, "..") || (skip && !strcmp(e->d_name, skip)))
			continue;
		char *a = fs_join(from, e->d_name), *b = fs_join(to, e->d_name);
		struct stat st;
		if (lstat(a, &st) < 0) {
			moved = -1;
		} else if (S_ISDIR(st.st_mode)) {
			int n = (mkdir(b, 0777) < 0 && errno != EEXIST) ? -1 : move_changed(a, b, NULL);
			moved = n < 0 ? -1 : moved + n;
		} else if (S_ISREG(st.st_mode) && !same_bytes(a, b)) {
			moved = rename(a, b) < 0 ? -1 : moved + 1;
		}
		free(a);
		free(b);
	}
	int saved = errno;
	closedir(dir);
	errno = saved;
	return moved;
}

int fs_move_changed(const char *from, const char *to, const char *skip)
{
	return move_changed(from, to, skip);
}

int fs_remove_absent(const char *from, const char *to)
{
	DIR *dir = opendir(to);
	if (!dir)
		return errno == ENOENT ? 0 : -1;
	int removed = 0;
	struct dirent *e;
	while (removed >= 0 && (e = readdir(dir))) {
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		char *a = fs_join(from, e->d_name), *b = fs_join(to, e->d_name);
		struct stat st, sa;
		if (lstat(b, &st) < 0) {
			removed = -1;
		} else if (S_ISDIR(st.st_mode)) {
			int n = fs_remove_absent(a, b);
			removed = n < 0 ? -1 : removed + n;
		} else if (S_ISREG(st.st_mode) && lstat(a, &sa) < 0) {
			removed = errno != ENOENT || unlink(b) < 0 ? -1 : removed + 1;
		}
		free(a);
		free(b);
	}
	int saved = errno;
	closedir(dir);
	errno = saved;
	return removed;
}
