/*
 * bench_matcher: matcher_scan() against a naive per-name search (issue 4).
 *
 *     bench_matcher [CHUNKS]        (default 10000)
 *
 * Generates CHUNKS page-sized chunks of prose (about 2.5 kB each, the same
 * generator as gen_corpus, mentioning 1,000 entities) and, for the first
 * 10, 100 and 1,000 entities (title and aliases), times
 * - matcher: build the automaton, then one matcher_scan() per chunk (best
 *   of three passes);
 * - naive: for every name, a strstr() loop over each chunk with a
 *   whole-word check. It runs on a sample of the chunks (all of them for
 *   few names, fewer as names grow, a fixed amount of work) and its speed
 *   is given per byte of text, so the two columns compare directly.
 * Prints figures only; there is no pass or fail.
 */
#define GEN_CORPUS_NO_MAIN
#include "gen_corpus.c"

#include <ctype.h>
#include <time.h>

#define BENCH_CLOCK CLOCK_PROCESS_CPUTIME_ID

#include "matcher.h"

struct text {
	char **chunk;
	size_t *len;
	size_t n, bytes;
};

static double now(void)
{
	struct timespec ts;
	clock_gettime(BENCH_CLOCK, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void text_make(struct text *t, const struct corpus_entity *ents,
		      size_t nents, size_t chunks)
{
	struct rng r = { 42 };
	struct strbuf sb = STRBUF_INIT;

	t->chunk = xcalloc(chunks, sizeof(*t->chunk));
	t->len = xcalloc(chunks, sizeof(*t->len));
	t->n = chunks;
	t->bytes = 0;
	for (size_t i = 0; i < chunks; i++) {
		corpus_page(&r, ents, nents, 2500, &sb);
		t->len[i] = sb.size;
		t->bytes += sb.size;
		t->chunk[i] = sb_detach(&sb);
	}
}

static void text_free(struct text *t)
{
	for (size_t i = 0; i < t->n; i++)
		free(t->chunk[i]);
	free(t->chunk);
	free(t->len);
}

/* The names of the first n entities, and the matcher built from them. */
static struct matcher *names_make(const struct corpus_entity *ents, size_t n,
				  const char ***names, size_t *nnames)
{
	struct matcher *m = matcher_new();
	*names = xcalloc(n * (CORPUS_MAX_ALIASES + 1), sizeof(**names));
	*nnames = 0;
	for (size_t i = 0; i < n; i++) {
		const struct corpus_entity *e = &ents[i];
		for (size_t k = 0; k <= e->naliases; k++) {
			const char *s = k ? e->aliases[k - 1] : e->title;
			if (matcher_add(m, s, strlen(s), (int)i,
					e->case_sensitive, NULL) == 0)
				(*names)[(*nnames)++] = s;
		}
	}
	return m;
}

/* Seconds for one pass over all chunks, the best of three. */
static double time_matcher(const struct matcher *m, const struct text *t,
			   size_t *hits)
{
	struct matcher_hit *h = NULL;
	size_t cap = 0;
	double best = 1e30;

	for (int rep = 0; rep < 3; rep++) {
		double t0 = now();
		*hits = 0;
		for (size_t i = 0; i < t->n; i++)
			*hits += matcher_scan(m, t->chunk[i], t->len[i], &h, &cap);
		double dt = now() - t0;
		if (dt < best)
			best = dt;
	}
	free(h);
	return best;
}

static bool naive_word(const char *s, size_t i, size_t len)
{
	return i < len && (isalnum((unsigned char)s[i]) || s[i] == '_');
}

/* Seconds for the naive search over the first `chunks` chunks. */
static double time_naive(const char *const *names, size_t nnames,
			 const struct text *t, size_t chunks, size_t *hits)
{
	double t0 = now();
	*hits = 0;
	for (size_t i = 0; i < chunks; i++) {
		const char *c = t->chunk[i];
		for (size_t k = 0; k < nnames; k++) {
			size_t nl = strlen(names[k]);
			for (const char *p = strstr(c, names[k]); p;
			     p = strstr(p + 1, names[k])) {
				size_t at = (size_t)(p - c);
				if ((at == 0 || !naive_word(c, at - 1, t->len[i])) &&
				    !naive_word(c, at + nl, t->len[i]))
					(*hits)++;
			}
		}
	}
	return now() - t0;
}

static void bench_one(const struct corpus_entity *ents, size_t n,
		      const struct text *t)
{
	const char **names;
	size_t nnames, mhits, nhits, sample;
	double t0 = now();
	struct matcher *m = names_make(ents, n, &names, &nnames);
	matcher_build(m);
	double build = now() - t0;
	double tm = time_matcher(m, t, &mhits);
	/* A fixed amount of naive work: about 2e9 name-bytes compared. */
	sample = (size_t)(2e9 / ((double)nnames * (double)t->bytes / (double)t->n));
	if (sample > t->n)
		sample = t->n;
	if (sample < 1)
		sample = 1;
	size_t sbytes = 0;
	for (size_t i = 0; i < sample; i++)
		sbytes += t->len[i];
	double tn = time_naive(names, nnames, t, sample, &nhits);
	double mrate = (double)t->bytes / 1e6 / tm;
	double nrate = (double)sbytes / 1e6 / tn;
	printf("%8zu %6zu %8zu %9.2f %10.1f %10.3f %9.1f %8zu %10.3f %7.1f %9zu\n",
	       n, nnames, matcher_state_count(m), build * 1e3, mrate, tm, nrate,
	       sample, (double)t->bytes / 1e6 / nrate, mrate / nrate, mhits);
	free(names);
	matcher_free(m);
}

int main(int argc, char **argv)
{
	size_t chunks = argc > 1 ? (size_t)atol(argv[1]) : 10000;
	const size_t counts[] = { 10, 100, 1000 };
	const size_t nents = 1000;
	struct corpus_entity *ents = xcalloc(nents, sizeof(*ents));
	struct text t;

	if (chunks < 1) {
		fprintf(stderr, "usage: bench_matcher [CHUNKS]\n");
		return 2;
	}
	for (size_t i = 0; i < nents; i++)
		corpus_entity(i, &ents[i]);
	text_make(&t, ents, nents, chunks);
	printf("matcher vs naive: %zu chunks, %.1f MB of prose (%.0f B per "
	       "chunk), mentions of %zu entities\n",
	       t.n, (double)t.bytes / 1e6, (double)t.bytes / (double)t.n, nents);
	printf("(matcher: best of 3 full passes; naive: strstr per name on the "
	       "first 'sample' chunks;\n naive_s = its time extrapolated to all "
	       "chunks; speedup = matcher MB/s / naive MB/s)\n\n");
	printf("%8s %6s %8s %9s %10s %10s %9s %8s %10s %7s %9s\n", "entities",
	       "names", "states", "build_ms", "match_MB/s", "match_s",
	       "naive_MB/s", "sample", "naive_s", "speedup", "hits");
	for (size_t i = 0; i < sizeof(counts) / sizeof(counts[0]); i++)
		bench_one(ents, counts[i], &t);
	text_free(&t);
	for (size_t i = 0; i < nents; i++)
		corpus_entity_free(&ents[i]);
	free(ents);
	return 0;
}
