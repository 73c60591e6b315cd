#include <criterion/criterion.h>
#include <signal.h>
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
	cr_assert_eq(sandbox_run(say_hello, NULL, &one_second, &r, &why), 0, "%s", why);
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
	cr_assert_eq(sandbox_run(big, &n, &one_second, &r, &why), 0, "%s", why);
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
		cr_assert_eq(sandbox_run(fns[i], NULL, &one_second, &r, &why), -1);
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
	cr_assert_eq(sandbox_run(status3, NULL, &one_second, &r, &why), -1);
	cr_expect_str_eq(why, "exited with status 3");
	free(why);
	why = NULL;
	cr_assert_eq(sandbox_run(killed, NULL, &one_second, &r, &why), -1);
	cr_expect(strstr(why, "signal 15"), "%s", why);
	free(why);
	sb_free(&r);
}
