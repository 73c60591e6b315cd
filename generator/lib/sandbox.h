/*
 * sandbox: a computation on untrusted input run in a child process, with
 * a time and memory limit.
 *
 * Owns the child: sandbox_run forks, the child runs the caller's function,
 * which writes its result to a buffer, and sends that buffer back through a
 * pipe; the parent reads it within a wall-clock deadline and kills the
 * child when it passes. For libraries that have no limits of their own
 * (libsass runs a theme's @while loops for as long as they say), so that a
 * hostile input costs at most the limit. The child shares the parent's
 * memory as it was at the fork (copy on write) and changes nothing of it;
 * it must not be run while another thread holds a lock the function needs
 * (malloc is safe: glibc takes its locks around fork).
 *
 * The child's stdout and stderr are a second pipe, never the parent's
 * terminal: a library that prints (libsass's deprecation warnings) cannot
 * write raw bytes, a forged diagnostic line or a terminal escape, to the
 * build's stderr. What it printed comes back as text for the caller to
 * report through diag, which escapes it.
 */
#ifndef DOSSIER_SANDBOX_H
#define DOSSIER_SANDBOX_H

#include <stdbool.h>
#include <stddef.h>

#include "strbuf.h"

struct sandbox_limits {
	unsigned seconds; /* wall-clock deadline, and the child's CPU limit */
	size_t memory_mb; /* the child's address space; 0: unlimited (and
			       always under AddressSanitizer, which needs more) */
};

/* How much of the child's stdout and stderr is kept; the rest is read and
 * counted, and a note of the count ends the text. */
#define SANDBOX_PRINTED_MAX 8192

/*
 * Runs fn(arg, out) in a child process and gives back what it wrote to
 * `out` (appended to *result), and what it printed on stdout or stderr
 * (appended to *printed, up to SANDBOX_PRINTED_MAX bytes; discarded when
 * printed is NULL). fn returns 0; the child's exit status is
 * what it returns. Returns 0 when the child finished with status 0 and
 * sent everything; -1 otherwise, with *why set (owned) to the reason:
 * "took longer than N s", "was stopped by signal N (out of memory?)",
 * "exited with status N", or a system call's failure.
 */
int sandbox_run(int (*fn)(void *arg, struct strbuf *out), void *arg,
		const struct sandbox_limits *lim, struct strbuf *result, struct strbuf *printed, char **why);

#endif
