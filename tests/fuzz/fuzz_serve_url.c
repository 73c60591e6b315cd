/*
 * libFuzzer target for the `serve` URL decoder (serve_path_from_url), the
 * one piece of the preview server that reads bytes from the network.
 *
 * Invariants on an accepted path: it is relative (no leading '/'), has no
 * empty, "." or ".." segment, no NUL or other control byte, no backslash;
 * and decoding is consistent: the same URL gives the same answer twice.
 * A URL not starting with '/' is always refused.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "serve.h"
#include "xalloc.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_rel(const char *rel)
{
	if (rel[0] == '/')
		abort();
	const char *seg = rel;
	for (const char *c = rel;; c++) {
		if (*c == '/' || *c == '\0') {
			size_t n = (size_t)(c - seg);
			if (*rel && (n == 0 || (n == 1 && seg[0] == '.') ||
				     (n == 2 && seg[0] == '.' && seg[1] == '.')))
				abort();
			if (*c == '\0')
				break;
			seg = c + 1;
		} else if ((unsigned char)*c < 0x20 || *c == 0x7f || *c == '\\') {
			abort();
		}
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *url = xstrndup((const char *)data, size);
	char *rel = NULL, *rel2 = NULL;
	bool slash = false, slash2 = false;
	int rc = serve_path_from_url(url, &rel, &slash);
	int rc2 = serve_path_from_url(url, &rel2, &slash2);
	if (rc != rc2 || (rc == 0 && (strcmp(rel, rel2) || slash != slash2)))
		abort();
	if (rc == 0) {
		if (url[0] != '/')
			abort();
		check_rel(rel);
	}
	free(rel);
	free(rel2);
	free(url);
	return 0;
}
