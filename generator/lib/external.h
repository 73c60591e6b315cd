/*
 * external: checking external links over the network (`dossier check
 * --external`, `dossier build --external`).
 *
 * Owns the HTTP requests, with libcurl: each distinct URL is asked once
 * (HEAD, then GET where a server refuses HEAD), with a bounded timeout and
 * redirects followed. A URL that fails is a warning at every place that
 * links to it: an outside site may be down for a moment, so it does not
 * fail a build unless --strict says so. Off by default: the generator works
 * offline by design.
 */
#ifndef DOSSIER_EXTERNAL_H
#define DOSSIER_EXTERNAL_H

#include <stddef.h>

#include "diag.h"

struct external_link {
	char *url;
	const char *file; /* borrowed from the page */
	int line, col;
};

/* Checks the links (http and https only); returns the number of URLs that
 * failed, or -1 when libcurl cannot start. */
int external_check(struct external_link *links, size_t n, long timeout_s, struct diag *d);

#endif
