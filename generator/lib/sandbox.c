#include "sandbox.h"

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdio_ext.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "clock.h"
#include "xalloc.h"

#if defined(__SANITIZE_ADDRESS__)
#define SANDBOX_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define SANDBOX_ASAN 1
#endif
#endif

static char *reason(const char *fmt, long n)
{
	struct strbuf sb = STRBUF_INIT;
	sb_printf(&sb, fmt, n);
	return sb_detach(&sb);
}

static void write_all(int fd, const char *p, size_t n)
{
	while (n) {
		ssize_t w = write(fd, p, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			_exit(125);
		p += w;
		n -= (size_t)w;
	}
}

/* In the child: stdout and stderr into errfd, limits, the function, its
 * result through fd; never returns. */
static void child(int fd, int errfd, int (*fn)(void *, struct strbuf *), void *arg,
		  const struct sandbox_limits *lim)
{
	/* The parent's unwritten stdio output is the parent's to write. */
	__fpurge(stdout);
	__fpurge(stderr);
	if (dup2(errfd, STDOUT_FILENO) < 0 || dup2(errfd, STDERR_FILENO) < 0)
		_exit(124);
	if (errfd != STDOUT_FILENO && errfd != STDERR_FILENO)
		close(errfd);
	struct rlimit cpu = { lim->seconds + 1, lim->seconds + 2 };
	setrlimit(RLIMIT_CPU, &cpu);
#ifndef SANDBOX_ASAN
	/* memory_mb more than the address space it starts with (the
	 * parent's, which may be large: mapped files, thread stacks). */
	unsigned long pages = 0;
	FILE *f = fopen("/proc/self/statm", "r");
	if (f) {
		if (fscanf(f, "%lu", &pages) != 1)
			pages = 0;
		fclose(f);
	}
	if (lim->memory_mb && pages) {
		rlim_t as = (rlim_t)pages * (rlim_t)sysconf(_SC_PAGESIZE) + ((rlim_t)lim->memory_mb << 20);
		struct rlimit r = { as, as };
		setrlimit(RLIMIT_AS, &r);
	}
#endif
	struct strbuf out = STRBUF_INIT;
	int rc = fn(arg, &out);
	write_all(fd, out.ptr ? out.ptr : "", out.size);
	close(fd);
	fflush(stdout);
	fflush(stderr);
	/* _exit: no atexit handler or stdio buffer of the parent's runs twice. */
	_exit(rc & 0x7f);
}

/* Keeps what the child printed, up to SANDBOX_PRINTED_MAX bytes. */
static void keep_printed(struct strbuf *printed, size_t *seen, const char *p, size_t n)
{
	if (printed && *seen < SANDBOX_PRINTED_MAX)
		sb_put(printed, p, n < SANDBOX_PRINTED_MAX - *seen ? n : SANDBOX_PRINTED_MAX - *seen);
	*seen += n;
}

int sandbox_run(int (*fn)(void *arg, struct strbuf *out), void *arg,
		const struct sandbox_limits *lim, struct strbuf *result, struct strbuf *printed, char **why)
{
	int fds[2], errfds[2];
	*why = NULL;
	if (pipe(fds) < 0) {
		*why = reason("could not be started (pipe: errno %ld)", errno);
		return -1;
	}
	if (pipe(errfds) < 0) {
		int e = errno;
		close(fds[0]);
		close(fds[1]);
		*why = reason("could not be started (pipe: errno %ld)", e);
		return -1;
	}
	pid_t pid = fork();
	if (pid < 0) {
		int e = errno;
		close(fds[0]);
		close(fds[1]);
		close(errfds[0]);
		close(errfds[1]);
		*why = reason("could not be started (fork: errno %ld)", e);
		return -1;
	}
	if (pid == 0) {
		close(fds[0]);
		close(errfds[0]);
		child(fds[1], errfds[1], fn, arg, lim);
	}
	close(fds[1]);
	close(errfds[1]);
	double deadline = clock_wall() + lim->seconds;
	bool timed_out = false, failed_read = false;
	size_t printed_seen = 0;
	char buf[65536];
	/* Both pipes are read until both end: a child blocked on a full
	 * stderr pipe would never finish its result. */
	struct pollfd p[2] = { { fds[0], POLLIN, 0 }, { errfds[0], POLLIN, 0 } };
	while (p[0].fd >= 0 || p[1].fd >= 0) {
		double left = deadline - clock_wall();
		if (left <= 0) {
			timed_out = true;
			break;
		}
		int r = poll(p, 2, (int)(left * 1000) + 1);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			failed_read = true;
			break;
		}
		for (int i = 0; i < 2 && r > 0 && !failed_read; i++) {
			if (p[i].fd < 0 || !p[i].revents)
				continue;
			ssize_t n = read(p[i].fd, buf, sizeof(buf));
			if (n < 0 && errno == EINTR)
				continue;
			if (n < 0 && i == 0) {
				failed_read = true;
			} else if (n <= 0) {
				close(p[i].fd);
				p[i].fd = -1;
			} else if (i == 0) {
				sb_put(result, buf, (size_t)n);
			} else {
				keep_printed(printed, &printed_seen, buf, (size_t)n);
			}
		}
		if (failed_read)
			break;
	}
	for (int i = 0; i < 2; i++)
		if (p[i].fd >= 0)
			close(p[i].fd);
	if (printed && printed_seen > SANDBOX_PRINTED_MAX)
		sb_printf(printed, " [%zu more bytes not shown]", printed_seen - SANDBOX_PRINTED_MAX);
	if (timed_out || failed_read)
		kill(pid, SIGKILL);
	int ws = 0;
	while (waitpid(pid, &ws, 0) < 0 && errno == EINTR)
		;
	if (timed_out) {
		*why = reason("took longer than %ld s", (long)lim->seconds);
		return -1;
	}
	if (WIFSIGNALED(ws)) {
		int sig = WTERMSIG(ws);
		*why = sig == SIGXCPU ? reason("took longer than %ld s of CPU", (long)lim->seconds)
				      : reason("was stopped by signal %ld (out of memory?)", sig);
		return -1;
	}
	if (failed_read || !WIFEXITED(ws)) {
		*why = reason("did not send its result (%ld)", -1);
		return -1;
	}
	if (WEXITSTATUS(ws) != 0) {
		*why = reason("exited with status %ld", WEXITSTATUS(ws));
		return -1;
	}
	return 0;
}
