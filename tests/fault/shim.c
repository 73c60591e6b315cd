/*
 * A fault-injection shim for the build (LD_PRELOAD). It counts the calls
 * that create or change files -- open/openat/creat (any mode), write and
 * pwrite (not to stdout or stderr), rename/renameat/renameat2,
 * mkdir/mkdirat, fsync/fdatasync, ftruncate -- and makes call number
 * FAULT_AT fail with FAULT_ERRNO (ENOSPC, EACCES, EIO or a number).
 *
 *   FAULT_AT=N      the call to fail (0 or unset: none)
 *   FAULT_ERRNO=E   the errno it fails with (default ENOSPC)
 *   FAULT_REPORT=F  at exit, F gets "calls N" and, when a call was failed,
 *                   "failed OP PATH" (the path of a descriptor is read
 *                   from /proc/self/fd)
 *   FAULT_TRACE=F   every counted call is appended to F as "N OP PATH"
 *   FAULT_KILL=1    at call FAULT_AT, kill the process with SIGKILL instead
 *                   (before the call is made)
 *   FAULT_ALSO=M:E  fail call M with errno E too (E a name as above or
 *                   EINVAL, which tells the build renameat2 is unsupported)
 *
 * Only calls made through the dynamic linker are seen: libc's own internal
 * opens (fopen, opendir) are not, which is why the tests also check that
 * the count covers every file the build writes. Only the process the shim
 * started in counts: a child it forks (the Sass compiler's sandbox,
 * lib/sandbox.h, which reads the theme and writes only to its pipe) has a
 * copy of the counter, so its calls would take numbers the build's own
 * calls take too.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

static long calls, fail_at = -1, also_at;
static int ready;
static pid_t owner;
static int fail_errno = ENOSPC, also_errno, kill_at;
static char failed_op[32];
static char failed_path[4096];

static int errno_of(const char *e)
{
	if (!e || !strcmp(e, "ENOSPC"))
		return ENOSPC;
	if (!strcmp(e, "EACCES"))
		return EACCES;
	if (!strcmp(e, "EIO"))
		return EIO;
	if (!strcmp(e, "EINVAL"))
		return EINVAL;
	return atoi(e);
}

/* Run as a constructor, once libc is set up: a sanitizer runtime makes
 * calls earlier than that, which are neither counted nor failed. */
__attribute__((constructor)) static void init(void)
{
	const char *at = getenv("FAULT_AT");
	fail_at = at ? atol(at) : 0;
	fail_errno = errno_of(getenv("FAULT_ERRNO"));
	const char *k = getenv("FAULT_KILL");
	kill_at = k && *k == '1';
	const char *also = getenv("FAULT_ALSO");
	if (also) {
		also_at = atol(also);
		const char *c = strchr(also, ':');
		also_errno = errno_of(c ? c + 1 : NULL);
	}
	owner = getpid();
	ready = 1;
}

#define REAL(ret, name, ...)                    \
	static ret (*real_##name)(__VA_ARGS__); \
	if (!real_##name)                       \
	real_##name = (ret(*)(__VA_ARGS__))dlsym(RTLD_NEXT, #name)

static void path_of(const char *path, int fd, char *buf, size_t size)
{
	if (path) {
		snprintf(buf, size, "%s", path);
		return;
	}
	char link[64];
	snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
	REAL(ssize_t, readlink, const char *, char *, size_t);
	ssize_t n = real_readlink(link, buf, size - 1);
	buf[n > 0 ? n : 0] = '\0';
}

static void trace(const char *op, const char *path, int fd, long n)
{
	const char *f = getenv("FAULT_TRACE");
	if (!f)
		return;
	char p[4096], line[4200];
	path_of(path, fd, p, sizeof p);
	int len = snprintf(line, sizeof line, "%ld %s %s\n", n, op, p);
	REAL(int, open, const char *, int, ...);
	REAL(ssize_t, write, int, const void *, size_t);
	int t = real_open(f, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
	if (t < 0)
		return;
	if (real_write(t, line, (size_t)len) < 0)
		len = 0;
	close(t);
}

/* True when this call is the one to fail (errno is then set). */
static int fault(const char *op, const char *path, int fd)
{
	if (!ready || getpid() != owner)
		return 0;
	/* Atomic: a build may write from several threads. */
	long n = __atomic_add_fetch(&calls, 1, __ATOMIC_SEQ_CST);
	trace(op, path, fd, n);
	if (n == also_at) {
		errno = also_errno;
		return 1;
	}
	if (n != fail_at)
		return 0;
	if (kill_at)
		kill(getpid(), SIGKILL);
	snprintf(failed_op, sizeof failed_op, "%s", op);
	path_of(path, fd, failed_path, sizeof failed_path);
	errno = fail_errno;
	return 1;
}

__attribute__((destructor)) static void report(void)
{
	const char *f = getenv("FAULT_REPORT");
	if (!f)
		return;
	REAL(int, open, const char *, int, ...);
	int fd = real_open(f, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0)
		return;
	char buf[4200];
	int n = snprintf(buf, sizeof buf, "calls %ld\n", calls);
	if (failed_op[0])
		n += snprintf(buf + n, sizeof buf - (size_t)n, "failed %s %s\n", failed_op, failed_path);
	REAL(ssize_t, write, int, const void *, size_t);
	if (real_write(fd, buf, (size_t)n) < 0)
		n = 0;
	close(fd);
}

static mode_t mode_arg(int flags, va_list ap)
{
	return (flags & (O_CREAT | O_TMPFILE)) ? (mode_t)va_arg(ap, int) : 0;
}

#define UNPAREN(...) __VA_ARGS__

/* `ret name params`: fails when `when` holds and this is the call to fail
 * (fault()), else calls the real function (parameter types `types`) with
 * `args`. */
#define WRAP(ret, name, op, path, fd, when, params, types, args) \
	ret name params                                          \
	{                                                        \
		if ((when) && fault(op, path, fd))               \
			return -1;                               \
		REAL(ret, name, UNPAREN types);                  \
		return real_##name args;                         \
	}

/* The open family: `flags` and `path` are among `params`, and the mode
 * argument is read only when the flags say there is one. */
#define WRAP_OPEN(name, op, params, types, args) \
	int name params                          \
	{                                        \
		va_list ap;                      \
		va_start(ap, flags);             \
		mode_t m = mode_arg(flags, ap);  \
		va_end(ap);                      \
		if (fault(op, path, -1))         \
			return -1;               \
		REAL(int, name, UNPAREN types);  \
		return real_##name args;         \
	}

WRAP_OPEN(open, "open", (const char *path, int flags, ...),
	  (const char *, int, ...), (path, flags, m))
WRAP_OPEN(open64, "open", (const char *path, int flags, ...),
	  (const char *, int, ...), (path, flags, m))
WRAP_OPEN(openat, "openat", (int dir, const char *path, int flags, ...),
	  (int, const char *, int, ...), (dir, path, flags, m))
WRAP_OPEN(openat64, "openat", (int dir, const char *path, int flags, ...),
	  (int, const char *, int, ...), (dir, path, flags, m))
WRAP(int, creat, "creat", path, -1, 1, (const char *path, mode_t m),
     (const char *, mode_t), (path, m))
/* Writes to stdin, stdout and stderr are not file changes. */
WRAP(ssize_t, write, "write", NULL, fd, fd > 2, (int fd, const void *buf, size_t n),
     (int, const void *, size_t), (fd, buf, n))
WRAP(ssize_t, pwrite, "pwrite", NULL, fd, fd > 2,
     (int fd, const void *buf, size_t n, off_t off),
     (int, const void *, size_t, off_t), (fd, buf, n, off))
WRAP(int, rename, "rename", a, -1, 1, (const char *a, const char *b),
     (const char *, const char *), (a, b))
WRAP(int, renameat, "renameat", a, -1, 1, (int da, const char *a, int db, const char *b),
     (int, const char *, int, const char *), (da, a, db, b))
WRAP(int, renameat2, "renameat2", a, -1, 1,
     (int da, const char *a, int db, const char *b, unsigned flags),
     (int, const char *, int, const char *, unsigned), (da, a, db, b, flags))
WRAP(int, mkdir, "mkdir", path, -1, 1, (const char *path, mode_t m),
     (const char *, mode_t), (path, m))
WRAP(int, mkdirat, "mkdirat", path, -1, 1, (int dir, const char *path, mode_t m),
     (int, const char *, mode_t), (dir, path, m))
WRAP(int, fsync, "fsync", NULL, fd, 1, (int fd), (int), (fd))
WRAP(int, fdatasync, "fdatasync", NULL, fd, 1, (int fd), (int), (fd))
WRAP(int, ftruncate, "ftruncate", NULL, fd, 1, (int fd, off_t len), (int, off_t), (fd, len))
