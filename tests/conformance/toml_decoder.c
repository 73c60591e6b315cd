/*
 * toml-decoder: the toml-test decoder interface for generator/lib/toml.c.
 *
 *   toml-decoder < file.toml
 *       valid: toml-test's tagged JSON on stdout, exit 0;
 *       invalid: "<stdin>:LINE:COL: error: ..." on stderr, exit 1.
 *   toml-decoder --compare expected.json < file.toml
 *       decodes, then compares with the expected tagged JSON as toml-test
 *       does: same tables, arrays and types; integers and floats equal as
 *       numbers (nan equals nan, and the sign of zero counts); date-times
 *       equal as instants (offset ones) or as fields (local ones); strings
 *       and bools byte for byte. Exit 0 if equal, 1 if the TOML is invalid
 *       or the trees differ (each difference on stderr), 2 on usage or I/O
 *       errors.
 *
 * Our own JSON writer produces the tagged form and json_parse() reads it
 * back, so the comparison exercises both directions of json.c too.
 */
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "fsutil.h"
#include "json.h"
#include "strbuf.h"
#include "toml.h"
#include "value.h"

struct cmp {
	struct strbuf path; /* key path of the value being compared */
	int diffs;
};

static bool is_tagged(const struct value *v)
{
	const struct value *type = value_table_get(v, "type");
	const struct value *val = value_table_get(v, "value");
	return v->type == VALUE_TABLE && v->u.t.n == 2 && type &&
	       type->type == VALUE_STRING && val && val->type == VALUE_STRING;
}

static void report(struct cmp *c, const struct value *want,
		   const struct value *have, const char *why)
{
	struct strbuf w = STRBUF_INIT, h = STRBUF_INIT;
	json_write(&w, want, 0);
	json_write(&h, have, 0);
	fprintf(stderr, "%s: %s: expected %s, got %s\n",
		c->path.size ? c->path.ptr : "(root)", why, w.ptr, h.ptr);
	sb_free(&w);
	sb_free(&h);
	c->diffs++;
}

static int64_t days_from_civil(int64_t y, int m, int d)
{
	y -= m <= 2;
	int64_t era = (y >= 0 ? y : y - 399) / 400;
	int64_t yoe = y - era * 400;
	int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

static bool take_int(const char **s, int ndig, int *out)
{
	int v = 0;
	for (int i = 0; i < ndig; i++, (*s)++) {
		if (**s < '0' || **s > '9')
			return false;
		v = v * 10 + (**s - '0');
	}
	*out = v;
	return true;
}

/* RFC 3339 date-time, local date-time, date or time → seconds since the
 * epoch (UTC for offset ones) and nanoseconds (truncated to 9 digits). */
static bool parse_instant(const char *s, int64_t *secs, long *nanos)
{
	int y = 1970, mo = 1, d = 1, h = 0, mi = 0, sec = 0, oh = 0, om = 0;
	*nanos = 0;
	if (strlen(s) >= 10 && s[4] == '-') {
		if (!take_int(&s, 4, &y) || *s++ != '-' || !take_int(&s, 2, &mo) ||
		    *s++ != '-' || !take_int(&s, 2, &d))
			return false;
		if (*s == 'T' || *s == 't' || *s == ' ')
			s++;
	}
	if (*s) {
		if (!take_int(&s, 2, &h) || *s++ != ':' || !take_int(&s, 2, &mi) ||
		    *s++ != ':' || !take_int(&s, 2, &sec))
			return false;
		if (*s == '.') {
			long scale = 100000000;
			for (s++; *s >= '0' && *s <= '9'; s++, scale /= 10)
				*nanos += scale * (*s - '0');
		}
		int sign = *s == '-' ? -1 : 1;
		if (*s == 'Z' || *s == 'z') {
			s++;
		} else if (*s == '+' || *s == '-') {
			s++;
			if (!take_int(&s, 2, &oh) || *s++ != ':' || !take_int(&s, 2, &om))
				return false;
			oh *= sign, om *= sign;
		}
	}
	*secs = days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + sec -
		oh * 3600 - om * 60;
	return *s == '\0';
}

static bool equal_floats(const char *w, const char *h)
{
	bool wn = strstr(w, "nan") != NULL, hn = strstr(h, "nan") != NULL;
	if (wn || hn)
		return wn && hn;
	char *end1, *end2;
	double a = strtod(w, &end1), b = strtod(h, &end2);
	return !*end1 && !*end2 && a == b && signbit(a) == signbit(b);
}

static bool equal_ints(const char *w, const char *h)
{
	char *end1, *end2;
	errno = 0;
	long long a = strtoll(w, &end1, 10), b = strtoll(h, &end2, 10);
	return !errno && !*end1 && !*end2 && a == b;
}

static bool equal_scalars(const char *type, const struct value *w,
			  const struct value *h)
{
	if (strcmp(type, "float") == 0)
		return equal_floats(w->u.s.p, h->u.s.p);
	if (strcmp(type, "integer") == 0)
		return equal_ints(w->u.s.p, h->u.s.p);
	if (strncmp(type, "date", 4) == 0 || strcmp(type, "time-local") == 0) {
		int64_t s1, s2;
		long n1, n2;
		return parse_instant(w->u.s.p, &s1, &n1) &&
		       parse_instant(h->u.s.p, &s2, &n2) && s1 == s2 && n1 == n2;
	}
	return w->u.s.n == h->u.s.n && memcmp(w->u.s.p, h->u.s.p, w->u.s.n) == 0;
}

static void compare(struct cmp *c, const struct value *want,
		    const struct value *have);

static void compare_tables(struct cmp *c, const struct value *want,
			   const struct value *have)
{
	size_t len = c->path.size;
	for (size_t i = 0; i < want->u.t.n; i++) {
		const struct value_kv *kv = &want->u.t.items[i];
		sb_printf(&c->path, "%s%s", len ? "." : "", kv->key);
		struct value *h = value_table_getn(have, kv->key, kv->keylen);
		if (!h)
			report(c, kv->val, have, "missing key");
		else
			compare(c, kv->val, h);
		sb_truncate(&c->path, len);
	}
	for (size_t i = 0; i < have->u.t.n; i++) {
		const struct value_kv *kv = &have->u.t.items[i];
		if (!value_table_getn(want, kv->key, kv->keylen)) {
			sb_printf(&c->path, "%s%s", len ? "." : "", kv->key);
			report(c, want, kv->val, "unexpected key");
			sb_truncate(&c->path, len);
		}
	}
}

static void compare(struct cmp *c, const struct value *want,
		    const struct value *have)
{
	if (is_tagged(want) != is_tagged(have) || want->type != have->type) {
		report(c, want, have, "different kinds");
	} else if (is_tagged(want)) {
		const char *wt = value_get_str(want, "type", "");
		if (strcmp(wt, value_get_str(have, "type", "")) != 0)
			report(c, want, have, "different types");
		else if (!equal_scalars(wt, value_table_get(want, "value"),
					value_table_get(have, "value")))
			report(c, want, have, "different values");
	} else if (want->type == VALUE_TABLE) {
		compare_tables(c, want, have);
	} else if (want->type == VALUE_ARRAY) {
		if (want->u.a.n != have->u.a.n) {
			report(c, want, have, "different lengths");
			return;
		}
		size_t len = c->path.size;
		for (size_t i = 0; i < want->u.a.n; i++) {
			sb_printf(&c->path, "[%zu]", i);
			compare(c, want->u.a.items[i], have->u.a.items[i]);
			sb_truncate(&c->path, len);
		}
	} else {
		report(c, want, have, "unexpected value in expected JSON");
	}
}

/* Compares `doc` with the tagged JSON in file `path`: 0 equal, 1 not. */
static int run_compare(const struct value *doc, const char *path, struct diag *d)
{
	char *src = NULL;
	size_t len = 0;
	if (fs_read_file(path, &src, &len) < 0) {
		fprintf(stderr, "toml-decoder: %s: %s\n", path, strerror(errno));
		return 2;
	}
	struct strbuf out = STRBUF_INIT;
	json_write(&out, doc, JSON_TOML_TAGGED);
	struct value *want = json_parse(src, len, path, d);
	struct value *have = json_parse(out.ptr, out.size, "<output>", d);
	int rc = 2;
	if (want && have) {
		struct cmp c = { STRBUF_INIT, 0 };
		compare(&c, want, have);
		sb_free(&c.path);
		rc = c.diffs ? 1 : 0;
	}
	if (d->n) /* diag_print() hands qsort a NULL array when empty */
		diag_print(d, stderr);
	value_free(want);
	value_free(have);
	sb_free(&out);
	free(src);
	return rc;
}

int main(int argc, char **argv)
{
	const char *expected = NULL;
	if (argc == 3 && strcmp(argv[1], "--compare") == 0) {
		expected = argv[2];
	} else if (argc != 1) {
		fprintf(stderr, "usage: toml-decoder [--compare expected.json] < file.toml\n");
		return 2;
	}
	char *src = NULL;
	size_t len = 0;
	if (fs_read_file("/dev/stdin", &src, &len) < 0) {
		fprintf(stderr, "toml-decoder: <stdin>: %s\n", strerror(errno));
		return 2;
	}
	struct diag d;
	diag_init(&d);
	struct value *doc = toml_parse(src, len, "<stdin>", &d);
	int rc = 1;
	if (!doc) {
		diag_print(&d, stderr);
	} else if (expected) {
		rc = run_compare(doc, expected, &d);
	} else {
		struct strbuf out = STRBUF_INIT;
		json_write(&out, doc, JSON_TOML_TAGGED | JSON_PRETTY);
		sb_putc(&out, '\n');
		rc = fwrite(out.ptr, 1, out.size, stdout) == out.size && fflush(stdout) == 0 ? 0 : 2;
		sb_free(&out);
	}
	value_free(doc);
	diag_free(&d);
	free(src);
	return rc;
}
