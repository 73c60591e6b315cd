/*
 * serve_driver: runs serve_run with a build function that runs a command,
 * for tests/e2e/serve.sh while `dossier serve` is not wired in main.c (and
 * to test the server on its own, with a stand-in build).
 *
 *     serve_driver [--port N] [--bind ADDR] [-o DIR] [-C DIR] -- CMD ARG...
 *
 * The command runs in the site folder; its stderr becomes the build's
 * messages and a non-zero exit status a failed build.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "diag.h"
#include "serve.h"
#include "strbuf.h"

static int read_all(int fd, struct strbuf *sb)
{
	char buf[4096];
	for (;;) {
		ssize_t n = read(fd, buf, sizeof(buf));
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return (int)n;
		sb_put(sb, buf, (size_t)n);
	}
}

static int run_command(void *arg, const struct serve_changes *ch, char **errors, char **summary,
		       bool *again)
{
	(void)ch;
	(void)summary;
	(void)again;
	char *const *argv = arg;
	struct strbuf err = STRBUF_INIT;
	int fds[2], status = 0;
	if (pipe(fds) < 0)
		return -1;
	pid_t pid = fork();
	if (pid == 0) {
		dup2(fds[1], 2);
		close(fds[0]);
		close(fds[1]);
		execvp(argv[0], argv);
		fprintf(stderr, "serve_driver: %s: %s\n", argv[0],
			strerror(errno));
		_exit(127);
	}
	close(fds[1]);
	if (pid > 0)
		read_all(fds[0], &err);
	close(fds[0]);
	while (pid > 0 && waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	*errors = sb_detach(&err);
	return pid > 0 && WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0
									: -1;
}

int main(int argc, char **argv)
{
	struct serve_options o;
	struct diag d;
	int i;
	serve_options_init(&o);
	diag_init(&d);
	for (i = 1; i < argc && strcmp(argv[i], "--"); i++) {
		if (i + 1 >= argc)
			break;
		if (!strcmp(argv[i], "--port"))
			o.port = atoi(argv[++i]);
		else if (!strcmp(argv[i], "--bind"))
			o.bind = argv[++i];
		else if (!strcmp(argv[i], "-o"))
			o.out_dir = argv[++i];
		else if (!strcmp(argv[i], "-C") && chdir(argv[++i]) < 0) {
			perror(argv[i]);
			return 2;
		}
	}
	if (i + 1 >= argc) {
		fprintf(stderr, "usage: serve_driver [--port N] [--bind ADDR] "
				"[-o DIR] [-C DIR] -- CMD ARG...\n");
		return 2;
	}
	int rc = serve_run(&o, run_command, argv + i + 1, &d);
	diag_print(&d, stderr);
	diag_free(&d);
	return rc == 0 ? 0 : 1;
}
