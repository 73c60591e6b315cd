#include <arpa/inet.h>
#include <criterion/criterion.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "diag.h"
#include "external.h"
#include "unit_site.h"

/* --- collection: the link pass records every URL with a scheme ---------- */

Test(external, every_url_with_a_scheme_is_collected_where_written)
{
	struct unit_site u;
	unit_site_make(&u, NULL);
	unit_site_write(&u, "site.toml", "title = \"T\"\n[history]\nenabled = false\n");
	unit_site_write(&u, "content/_index.md",
			"+++\ntitle = \"Home\"\n+++\n[a](https://example.invalid/a) and\n"
			"[b](http://example.invalid/b), [m](mailto:x@example.invalid).\n\n"
			"[again](https://example.invalid/a) [local](#top)\n");
	cr_assert_eq(unit_site_load(&u), 0);
	cr_assert_eq(u.s.nexternal, 4);
	const struct {
		const char *url;
		int line, col;
	} want[] = {
		{ "https://example.invalid/a", 4, 1 },
		{ "http://example.invalid/b", 5, 1 },
		{ "mailto:x@example.invalid", 5, 32 },
		{ "https://example.invalid/a", 7, 1 },
	};
	for (size_t i = 0; i < 4; i++) {
		cr_expect_str_eq(u.s.external[i].url, want[i].url);
		cr_expect_str_eq(u.s.external[i].file, "content/_index.md");
		cr_expect_eq(u.s.external[i].line, want[i].line, "%s", want[i].url);
		cr_expect_eq(u.s.external[i].col, want[i].col, "%s", want[i].url);
	}
	char *diags = unit_site_diags(&u.d);
	cr_expect(strstr(diags, "content/_index.md:5:1: warning: external link 'http://example.invalid/b' uses "
				"http://; use https:// where the site supports it\n"),
		  "%s", diags);
	free(diags);
	unit_site_free(&u);
}

/* --- checking, on loopback only ----------------------------------------- */

/* A server on 127.0.0.1 answering `n` connections: HEAD with `head_status`,
 * GET with 200 (404 for /missing); it counts the requests of each method. */
struct server {
	int fd, port, n, head_status;
	int heads, gets;
	pthread_t thread;
};

static void *serve(void *arg)
{
	struct server *sv = arg;
	for (int i = 0; i < sv->n; i++) {
		int c = accept(sv->fd, NULL, NULL);
		if (c < 0)
			break;
		char req[4096];
		size_t got = 0;
		ssize_t r;
		while (got < sizeof req - 1 && (r = read(c, req + got, sizeof req - 1 - got)) > 0) {
			got += (size_t)r;
			req[got] = '\0';
			if (strstr(req, "\r\n\r\n"))
				break;
		}
		req[got] = '\0';
		bool head = !strncmp(req, "HEAD ", 5);
		int status = head ? sv->head_status : (strstr(req, " /missing ") ? 404 : 200);
		head ? sv->heads++ : sv->gets++;
		char resp[128];
		int len = snprintf(resp, sizeof resp, "HTTP/1.1 %d X\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
				   status);
		if (write(c, resp, (size_t)len) < 0)
			break;
		close(c);
	}
	return NULL;
}

/* A loopback socket bound to a free port; listening only when `listen_too`
 * (a bound socket that does not listen refuses every connection). */
static int loopback(int *port, bool listen_too)
{
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	cr_assert_geq(fd, 0);
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = 0 };
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	cr_assert_eq(bind(fd, (struct sockaddr *)&a, sizeof a), 0);
	socklen_t n = sizeof a;
	cr_assert_eq(getsockname(fd, (struct sockaddr *)&a, &n), 0);
	*port = ntohs(a.sin_port);
	if (listen_too)
		cr_assert_eq(listen(fd, 8), 0);
	return fd;
}

static void server_start(struct server *sv, int n, int head_status)
{
	memset(sv, 0, sizeof *sv);
	sv->fd = loopback(&sv->port, true);
	sv->n = n;
	sv->head_status = head_status;
	cr_assert_eq(pthread_create(&sv->thread, NULL, serve, sv), 0);
}

static void server_stop(struct server *sv)
{
	pthread_join(sv->thread, NULL);
	close(sv->fd);
}

static struct external_link link_at(const char *url, const char *file, int line)
{
	return (struct external_link){ .url = strdup(url), .file = file, .line = line, .col = 1 };
}

static void free_links(struct external_link *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i].url);
}

Test(external, a_refused_url_is_one_request_and_a_warning_at_each_place)
{
	int port;
	int fd = loopback(&port, false);
	char url[64], ok[64];
	snprintf(url, sizeof url, "http://127.0.0.1:%d/x", port);
	snprintf(ok, sizeof ok, "mailto:someone@example.invalid");
	struct external_link v[] = {
		link_at(url, "content/b.md", 9), link_at(ok, "content/a.md", 1), link_at(url, "content/a.md", 3),
		link_at("ftp://127.0.0.1:1/never-asked", "content/a.md", 4)
	};
	struct diag d;
	diag_init(&d);
	cr_expect_eq(external_check(v, 4, 5, &d), 1, "one URL failed, however often it is written");
	cr_assert_eq(d.warnings, 2);
	cr_expect_eq(d.errors, 0, "an outside site being down never fails a build by itself");
	/* Sorted by URL, then file, then line. */
	cr_expect_str_eq(d.items[0].file, "content/a.md");
	cr_expect_eq(d.items[0].line, 3);
	cr_expect_str_eq(d.items[1].file, "content/b.md");
	char want[160];
	snprintf(want, sizeof want, "external link '%s' does not answer: Couldn't connect to server", url);
	cr_expect_str_eq(d.items[0].msg, want);
	diag_free(&d);
	free_links(v, 4);
	close(fd);
}

Test(external, head_refused_is_asked_again_with_get)
{
	struct server sv;
	server_start(&sv, 2, 405);
	char url[64];
	snprintf(url, sizeof url, "http://127.0.0.1:%d/page", sv.port);
	struct external_link v[] = { link_at(url, "content/a.md", 1) };
	struct diag d;
	diag_init(&d);
	cr_expect_eq(external_check(v, 1, 5, &d), 0);
	cr_expect_eq(d.n, 0);
	server_stop(&sv);
	cr_expect_eq(sv.heads, 1);
	cr_expect_eq(sv.gets, 1);
	diag_free(&d);
	free_links(v, 1);
}

Test(external, a_status_of_400_or_more_fails)
{
	struct server sv;
	server_start(&sv, 1, 404);
	char url[64];
	snprintf(url, sizeof url, "http://127.0.0.1:%d/gone", sv.port);
	struct external_link v[] = { link_at(url, "content/a.md", 2) };
	struct diag d;
	diag_init(&d);
	cr_expect_eq(external_check(v, 1, 5, &d), 1);
	server_stop(&sv);
	cr_expect_eq(sv.heads, 1, "404 to HEAD is believed: no GET");
	cr_expect_eq(sv.gets, 0);
	cr_assert_eq(d.n, 1);
	char want[128];
	snprintf(want, sizeof want, "external link '%s' does not answer: HTTP 404", url);
	cr_expect_str_eq(d.items[0].msg, want);
	diag_free(&d);
	free_links(v, 1);
}

Test(external, nothing_to_check)
{
	struct diag d;
	diag_init(&d);
	cr_expect_eq(external_check(NULL, 0, 5, &d), 0);
	cr_expect_eq(d.n, 0);
	diag_free(&d);
}
