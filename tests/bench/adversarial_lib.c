/*
 * adversarial_lib: the in-process halves of tests/bench/adversarial.sh,
 * timing one module on one hostile input (CPU seconds, peak RSS in MB):
 *
 *     adversarial_lib CASE N
 *
 *   annotate-paras      N paragraphs, one annotation on each
 *   annotate-selectors  N paragraphs sharing one quote, each annotation
 *                       told apart by its suffix
 *   annotate-oneblock   one paragraph of N sentences, one annotation on
 *                       each (each mark re-reads the block: N x block)
 *   matcher             N entity aliases: build the automaton, then scan
 *                       1 MB of text mentioning them
 *
 * Prints "CASE N cpu_s peak_MB result". Figures only, no pass or fail.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include <cmark-gfm.h>

#include "annotate.h"
#include "diag.h"
#include "markdown.h"
#include "matcher.h"
#include "strbuf.h"
#include "xalloc.h"

static double cpu(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static long peak_mb(void)
{
	struct rusage ru;
	getrusage(RUSAGE_SELF, &ru);
	return ru.ru_maxrss / 1024;
}

static int annotate_case(const char *kind, size_t n, double *secs)
{
	struct strbuf md = STRBUF_INIT;
	struct annotation *a = xcalloc(n, sizeof(*a));
	char **q = xcalloc(n, sizeof(*q)), **suf = xcalloc(n, sizeof(*suf));
	bool one = !strcmp(kind, "annotate-oneblock");
	bool sel = !strcmp(kind, "annotate-selectors");
	for (size_t i = 0; i < n; i++) {
		struct strbuf s = STRBUF_INIT;
		if (sel) {
			sb_printf(&md, "Paragraph %zu: the figure is w%zux here.\n\n", i, i);
			q[i] = xstrdup("the figure");
			sb_printf(&s, "is w%zux", i);
			suf[i] = sb_detach(&s);
		} else {
			sb_printf(&md, one ? "Sentence %zu says w%zux. " : "Paragraph %zu says w%zux here.\n\n", i, i);
			sb_printf(&s, "w%zux", i);
			q[i] = sb_detach(&s);
		}
		a[i] = (struct annotation){ .quote = q[i], .suffix = suf[i], .note = markdown_parse("Note.", 5), .file = "a.txt", .line = (int)i + 1, .col = 1, .number = (int)i + 1 };
	}
	cmark_node *doc = markdown_parse(md.ptr, md.size);
	struct diag d;
	diag_init(&d);
	double t0 = cpu();
	int rc = annotate_apply(doc, a, n, &d);
	*secs = cpu() - t0;
	int errors = d.errors;
	diag_free(&d);
	for (size_t i = 0; i < n; i++) {
		cmark_node_free(a[i].note);
		free(q[i]);
		free(suf[i]);
	}
	cmark_node_free(doc);
	free(a);
	free(q);
	free(suf);
	sb_free(&md);
	return rc == 0 && errors == 0 ? 0 : -1;
}

static int matcher_case(size_t n, double *secs, size_t *hits_out)
{
	struct strbuf text = STRBUF_INIT;
	char name[32];
	size_t k = 0;
	while (text.size < (1 << 20))
		sb_printf(&text, "A report on Alias%05zu Corp and its rivals. ", k++ % n);
	double t0 = cpu();
	struct matcher *m = matcher_new();
	for (size_t i = 0; i < n; i++) {
		int len = snprintf(name, sizeof name, "Alias%05zu Corp", i);
		if (matcher_add(m, name, (size_t)len, (int)(i % 7), i % 2, NULL) != 0)
			return -1;
	}
	matcher_build(m);
	struct matcher_hit *hits = NULL;
	size_t cap = 0;
	*hits_out = matcher_scan(m, text.ptr, text.size, &hits, &cap);
	*secs = cpu() - t0;
	free(hits);
	matcher_free(m);
	sb_free(&text);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc != 3) {
		fprintf(stderr, "usage: adversarial_lib CASE N\n");
		return 2;
	}
	size_t n = strtoul(argv[2], NULL, 10), hits = 0;
	double secs = 0;
	int rc;
	if (!strncmp(argv[1], "annotate-", 9))
		rc = annotate_case(argv[1], n, &secs);
	else if (!strcmp(argv[1], "matcher"))
		rc = matcher_case(n, &secs, &hits);
	else
		rc = 2;
	printf("%s %zu %.3f %ld %s\n", argv[1], n, secs, peak_mb(), rc ? "failed" : "ok");
	return rc ? 1 : 0;
}
