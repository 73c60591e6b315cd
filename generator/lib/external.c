#include "external.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <curl/curl.h>

static int link_cmp(const void *a, const void *b)
{
	const struct external_link *x = a, *y = b;
	int c = strcmp(x->url, y->url);
	if (!c)
		c = strcmp(x->file, y->file);
	if (!c)
		c = (x->line > y->line) - (x->line < y->line);
	return c;
}

static size_t discard(char *p, size_t size, size_t n, void *arg)
{
	(void)p;
	(void)arg;
	return size * n;
}

/* One request; returns 0 when the URL answers with a status below 400,
 * else writes why into `why`. */
static int probe(CURL *c, const char *url, long timeout_s, char *why, size_t whyn)
{
	for (int head = 1; head >= 0; head--) {
		curl_easy_reset(c);
		curl_easy_setopt(c, CURLOPT_URL, url);
		curl_easy_setopt(c, CURLOPT_NOBODY, (long)head);
		curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 1L);
		curl_easy_setopt(c, CURLOPT_MAXREDIRS, 10L);
		curl_easy_setopt(c, CURLOPT_TIMEOUT, timeout_s);
		curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, timeout_s);
		curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
		curl_easy_setopt(c, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
		curl_easy_setopt(c, CURLOPT_USERAGENT, "dossier-linkcheck/" DOSSIER_VERSION);
		curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, discard);
		curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
		CURLcode rc = curl_easy_perform(c);
		long status = 0;
		curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
		if (rc != CURLE_OK) {
			snprintf(why, whyn, "%s", curl_easy_strerror(rc));
			return -1;
		}
		/* Some servers refuse HEAD; ask again with GET. */
		if (head && (status == 405 || status == 501 || status == 403))
			continue;
		if (status >= 400) {
			snprintf(why, whyn, "HTTP %ld", status);
			return -1;
		}
		return 0;
	}
	return -1;
}

int external_check(struct external_link *links, size_t n, long timeout_s, struct diag *d)
{
	if (curl_global_init(CURL_GLOBAL_DEFAULT) != 0)
		return -1;
	CURL *c = curl_easy_init();
	if (!c) {
		curl_global_cleanup();
		return -1;
	}
	if (n)
		qsort(links, n, sizeof(*links), link_cmp);
	int failed = 0;
	for (size_t i = 0; i < n;) {
		size_t j = i;
		while (j < n && !strcmp(links[j].url, links[i].url))
			j++;
		char why[256] = "";
		bool web = !strncasecmp(links[i].url, "http://", 7) ||
			   !strncasecmp(links[i].url, "https://", 8);
		if (web && probe(c, links[i].url, timeout_s, why, sizeof why) < 0) {
			failed++;
			for (size_t k = i; k < j; k++)
				diag_warning(d, links[k].file, links[k].line, links[k].col,
					     "external link '%s' does not answer: %s", links[k].url, why);
		}
		i = j;
	}
	curl_easy_cleanup(c);
	curl_global_cleanup();
	return failed;
}
