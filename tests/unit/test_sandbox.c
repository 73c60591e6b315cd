#include <criterion/criterion.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sandbox.h"
#include "strbuf.h"

static int say_hello(void *arg, struct strbuf *out)
{
	(void)arg;
	sb_puts(out, "hello");
	return 0;
}

/* More than a pipe holds, with every byte value. */
static int big(void *arg, struct strbuf *out)
{
	size_t n = *(size_t *)arg;
	for (size_t i = 0; i < n; i++)
		sb_putc(out, (char)(i * 7 % 256));
	return 0;
}

static int spin(void *arg, struct strbuf *out)
{
	(void)arg;
	(void)out;
	for (volatile unsigned long i = 0;; i++)
		;
	return 0;
}

static int sleep_forever(void *arg, struct strbuf *out)
{
	(void)arg;
	(void)out;
	for (;;)
		pause();
	return 0;
}

static int status3(void *arg, struct strbuf *out)
{
	(void)arg;
	sb_puts(out, "partial");
	return 3;
}

static int killed(void *arg, struct strbuf *out)
{
	(void)arg;
	(void)out;
	raise(SIGTERM);
	return 0;
}

static const struct sandbox_limits one_second = { 1, 64 };

Test(sandbox, the_result_comes_back)
{
	struct strbuf r = STRBUF_INIT;
	char *why = NULL;
	cr_assert_eq(sandbox_run(say_hello, NULL, &one_second, &r, NULL, &why), 0, "%s", why);
	cr_expect_null(why);
	cr_expect_eq(r.size, 5);
	cr_expect(!memcmp(r.ptr, "hello", 5));
	sb_free(&r);
}

Test(sandbox, a_large_result_comes_back_whole)
{
	struct strbuf r = STRBUF_INIT;
	char *why = NULL;
	size_t n = 3 << 20;
	cr_assert_eq(sandbox_run(big, &n, &one_second, &r, NULL, &why), 0, "%s", why);
	cr_assert_eq(r.size, n);
	for (size_t i = 0; i < n; i++)
		cr_assert_eq((unsigned char)r.ptr[i], i * 7 % 256, "byte %zu", i);
	sb_free(&r);
}

Test(sandbox, the_deadline_stops_a_busy_or_idle_child)
{
	int (*fns[])(void *, struct strbuf *) = { spin, sleep_forever };
	for (size_t i = 0; i < 2; i++) {
		struct strbuf r = STRBUF_INIT;
		char *why = NULL;
		cr_assert_eq(sandbox_run(fns[i], NULL, &one_second, &r, NULL, &why), -1);
		cr_assert_not_null(why);
		cr_expect(strstr(why, "longer than 1 s"), "%s", why);
		free(why);
		sb_free(&r);
	}
}

Test(sandbox, a_failing_child_is_a_failure)
{
	struct strbuf r = STRBUF_INIT;
	char *why = NULL;
	cr_assert_eq(sandbox_run(status3, NULL, &one_second, &r, NULL, &why), -1);
	cr_expect_str_eq(why, "exited with status 3");
	free(why);
	why = NULL;
	cr_assert_eq(sandbox_run(killed, NULL, &one_second, &r, NULL, &why), -1);
	cr_expect(strstr(why, "signal 15"), "%s", why);
	free(why);
	sb_free(&r);
}

/* A library that prints (libsass's deprecation warnings go to stderr). */
static int chatty(void *arg, struct strbuf *out)
{
	(void)arg;
	fputs("to stderr\n\033[31m", stderr);
	printf("to stdout");
	if (write(STDERR_FILENO, "raw", 3) != 3)
		return 1;
	sb_puts(out, "result");
	return 0;
}

static int floods(void *arg, struct strbuf *out)
{
	(void)arg;
	(void)out;
	for (int i = 0; i < 100000; i++)
		fputs("0123456789", stderr);
	return 0;
}

Test(sandbox, what_the_child_prints_comes_back_not_to_the_terminal)
{
	struct strbuf r = STRBUF_INIT, printed = STRBUF_INIT;
	char *why = NULL;
	cr_assert_eq(sandbox_run(chatty, NULL, &one_second, &r, &printed, &why), 0, "%s", why);
	cr_expect_str_eq(r.ptr, "result");
	cr_expect(strstr(printed.ptr, "to stderr\n\033[31m"), "%s", printed.ptr);
	cr_expect(strstr(printed.ptr, "to stdout"), "%s", printed.ptr);
	cr_expect(strstr(printed.ptr, "raw"), "%s", printed.ptr);
	sb_free(&printed);
	sb_free(&r);
	/* Without a buffer for it, it is dropped. */
	cr_assert_eq(sandbox_run(chatty, NULL, &one_second, &r, NULL, &why), 0, "%s", why);
	sb_free(&r);
}

Test(sandbox, what_the_child_prints_is_kept_up_to_a_bound)
{
	struct strbuf r = STRBUF_INIT, printed = STRBUF_INIT;
	char *why = NULL;
	cr_assert_eq(sandbox_run(floods, NULL, &one_second, &r, &printed, &why), 0, "%s", why);
	cr_expect_lt(printed.size, SANDBOX_PRINTED_MAX + 64);
	cr_expect(strstr(printed.ptr, "[991808 more bytes not shown]"), "%s", printed.ptr + SANDBOX_PRINTED_MAX);
	sb_free(&printed);
	sb_free(&r);
}
