#include "history.h"

#include <errno.h>
#include <iconv.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <git2.h>

#include "fsutil.h"
#include "strbuf.h"
#include "xalloc.h"

#define NONE ((size_t)-1)

/* A listed commit; `pub` first so a history_commit pointer casts back. */
struct commit_rec {
	struct history_commit pub;
	size_t seq; /* position in the walk, 0 = newest */
};

struct history {
	bool available;
	git_repository *repo;
	char *prefix; /* content folder relative to the work tree: "" or "x/" */
	struct history_file *files; /* sorted by path */
	size_t nfiles;
	const struct history_file **filep;
	struct commit_rec **commits;
	size_t ncommits, ccap;
	const struct history_change **all;
	size_t nall;
};

/* --- names: the path each file has at this point of the walk ------------- */

/* Open addressing, keys owned; a key whose chain empties stays (renames are
 * few). Files sharing a name are chained through loader.next. */
struct slot {
	char *key;
	size_t head;   /* first file with this name, or NONE */
	bool outside;  /* listed in loader.outside */
};

struct pathmap {
	struct slot *slots;
	size_t cap, n;
};

static size_t path_hash(const char *s)
{
	size_t h = 2166136261u;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 16777619u;
	return h;
}

static struct slot *map_get(struct pathmap *m, const char *key, bool create);

static void map_grow(struct pathmap *m)
{
	struct pathmap old = *m;
	m->cap = old.cap ? old.cap * 2 : 64;
	m->slots = xcalloc(m->cap, sizeof(*m->slots));
	m->n = 0;
	for (size_t i = 0; i < old.cap; i++) {
		if (!old.slots[i].key)
			continue;
		struct slot *s = map_get(m, old.slots[i].key, true);
		free(s->key);
		*s = old.slots[i];
	}
	free(old.slots);
}

static struct slot *map_get(struct pathmap *m, const char *key, bool create)
{
	if (create && (m->n + 1) * 2 > m->cap)
		map_grow(m);
	if (!m->cap)
		return NULL;
	for (size_t i = path_hash(key) & (m->cap - 1);; i = (i + 1) & (m->cap - 1)) {
		struct slot *s = &m->slots[i];
		if (s->key && !strcmp(s->key, key))
			return s;
		if (!s->key) {
			if (!create)
				return NULL;
			s->key = xstrdup(key);
			s->head = NONE;
			m->n++;
			return s;
		}
	}
}

static void map_free(struct pathmap *m)
{
	for (size_t i = 0; i < m->cap; i++)
		free(m->slots[i].key);
	free(m->slots);
}

/* --- loading state ---------------------------------------------------------- */

struct pending {
	git_oid id;
	int64_t time;
};

struct loader {
	struct history *h;
	const struct history_options *opts;
	struct diag *d;
	git_mailmap *mailmap;
	struct pathmap names;
	size_t *next;        /* per file: next file with the same name */
	size_t *caps;        /* per file: capacity of its changes */
	size_t fcap;
	const char **outside; /* names outside the prefix: extra pathspecs */
	size_t nout, outcap;
	git_oid *shallow;    /* sorted */
	bool *shallow_seen;
	size_t nshallow;
	struct pending *pend; /* shallow commits met, by date as git queues */
	size_t npend, pendcap;
	git_oid *ignored;    /* sorted */
	size_t nignored;
	size_t seq;
	struct commit_rec *rec; /* of the commit being processed, once made */
	int error;
};

/* Turns a libgit2 failure into a diagnostic naming what was attempted. */
static int git_fail(struct diag *d, const char *what, const char *arg)
{
	const git_error *e = git_error_last();
	diag_error(d, NULL, 0, 0, "git: %s%s%s: %s", what, arg ? " " : "",
		   arg ? arg : "", e && e->message ? e->message : "unknown error");
	return -1;
}

static int oid_cmp(const void *a, const void *b)
{
	return git_oid_cmp(a, b);
}

static bool oid_in(const git_oid *set, size_t n, const git_oid *id)
{
	return n && bsearch(id, set, n, sizeof(*set), oid_cmp);
}

static size_t oid_sort_unique(git_oid *set, size_t n)
{
	size_t k = 0;
	if (!n)
		return 0;
	if (n)
		qsort(set, n, sizeof(*set), oid_cmp);
	for (size_t i = 0; i < n; i++)
		if (!k || git_oid_cmp(&set[k - 1], &set[i]))
			set[k++] = set[i];
	return k;
}

/* --- text: valid UTF-8 for the page and the feed -------------------------- */

/* Length of the valid UTF-8 sequence at s (n bytes left), or 0. */
static size_t utf8_len(const unsigned char *s, size_t n)
{
	unsigned char c = s[0], lo = 0x80, hi = 0xBF;
	size_t len;
	if (c < 0x80)
		return 1;
	if (c >= 0xC2 && c <= 0xDF)
		len = 2;
	else if (c >= 0xE0 && c <= 0xEF)
		len = 3, lo = c == 0xE0 ? 0xA0 : 0x80, hi = c == 0xED ? 0x9F : 0xBF;
	else if (c >= 0xF0 && c <= 0xF4)
		len = 4, lo = c == 0xF0 ? 0x90 : 0x80, hi = c == 0xF4 ? 0x8F : 0xBF;
	else
		return 0;
	if (n < len || s[1] < lo || s[1] > hi)
		return 0;
	for (size_t i = 2; i < len; i++)
		if ((s[i] & 0xC0) != 0x80)
			return 0;
	/* U+FFFE and U+FFFF are not characters (and not allowed in XML). */
	if (len == 3 && c == 0xEF && s[1] == 0xBF && s[2] >= 0xBE)
		return 0;
	return len;
}

/* A copy where every byte that is not part of valid UTF-8, and every control
 * character but tab, is U+FFFD: subjects go into HTML and an Atom feed. */
static char *utf8_clean(const char *s)
{
	struct strbuf sb = STRBUF_INIT;
	const unsigned char *p = (const unsigned char *)s;
	size_t n = strlen(s);
	for (size_t i = 0; i < n;) {
		size_t len = utf8_len(p + i, n - i);
		if (!len || (p[i] < 0x20 && p[i] != '\t')) {
			sb_puts(&sb, "\xEF\xBF\xBD");
			i++;
			continue;
		}
		sb_put(&sb, s + i, len);
		i += len;
	}
	return sb_detach(&sb);
}

/* Commit text in a declared legacy encoding (the "encoding" header), as
 * git log re-encodes it; unknown encodings are left to utf8_clean. */
static char *to_utf8(const char *s, const char *enc)
{
	if (!enc || !strcasecmp(enc, "UTF-8") || !strcasecmp(enc, "utf8"))
		return utf8_clean(s);
	iconv_t cd = iconv_open("UTF-8", enc);
	if (cd == (iconv_t)-1)
		return utf8_clean(s);
	size_t inleft = strlen(s), outcap = inleft * 4 + 1, outleft = outcap - 1;
	char *out = xmalloc(outcap), *in = (char *)s, *o = out;
	size_t r = iconv(cd, &in, &inleft, &o, &outleft);
	iconv_close(cd);
	*o = '\0';
	char *clean = utf8_clean(r == (size_t)-1 ? s : out);
	free(out);
	return clean;
}

/* --- commit records --------------------------------------------------------- */

static struct commit_rec *commit_record(struct loader *L, git_commit *c)
{
	if (L->rec)
		return L->rec;
	struct commit_rec *r = xcalloc(1, sizeof(*r));
	const git_oid *id = git_commit_id(c);
	git_oid_tostr(r->pub.hash, sizeof(r->pub.hash), id);
	memcpy(r->pub.short_hash, r->pub.hash, 7);
	const char *enc = git_commit_message_encoding(c);
	git_signature *sig = NULL;
	const git_signature *who = git_commit_author(c);
	if (L->mailmap && !git_commit_author_with_mailmap(&sig, c, L->mailmap))
		who = sig;
	r->pub.author = to_utf8(who->name ? who->name : "", enc);
	if (L->opts->emails)
		r->pub.email = to_utf8(who->email ? who->email : "", enc);
	git_signature_free(sig);
	r->pub.time = git_commit_time(c);
	r->pub.offset_min = git_commit_time_offset(c);
	const char *summary = git_commit_summary(c);
	r->pub.subject = to_utf8(summary ? summary : "", enc);
	r->pub.ignored = oid_in(L->ignored, L->nignored, id);
	r->seq = L->seq;
	struct history *h = L->h;
	h->commits = xgrow(h->commits, &h->ccap, h->ncommits + 1, sizeof(*h->commits));
	h->commits[h->ncommits++] = r;
	return L->rec = r;
}

static void record(struct loader *L, size_t f, git_commit *c, char status,
		   const char *path, const char *old_path, int add, int del)
{
	struct commit_rec *r = commit_record(L, c);
	struct history_file *hf = &L->h->files[f];
	hf->changes = xgrow(hf->changes, &L->caps[f], hf->n + 1, sizeof(*hf->changes));
	hf->changes[hf->n++] = (struct history_change){
		.commit = &r->pub,
		.path = xstrdup(path),
		.old_path = old_path ? xstrdup(old_path) : NULL,
		.status = status,
		.added = add,
		.removed = del,
	};
}

/* --- what changed: tree ids first ------------------------------------------ */

/* Changed paths of one commit, as deltas: a zero id (and mode) on the side
 * where the path is absent. `v` holds the paths, for a pathspec. */
struct paths {
	char **v;
	git_diff_delta *d;
	size_t n, cap, dcap;
};

static void paths_add(struct paths *p, const char *path, const git_tree_entry *x,
		      const git_tree_entry *y)
{
	p->v = xgrow(p->v, &p->cap, p->n + 1, sizeof(*p->v));
	p->d = xgrow(p->d, &p->dcap, p->n + 1, sizeof(*p->d));
	p->v[p->n] = xstrdup(path);
	git_diff_delta *dd = memset(&p->d[p->n], 0, sizeof(*p->d));
	dd->status = !x ? GIT_DELTA_ADDED : (!y ? GIT_DELTA_DELETED : GIT_DELTA_MODIFIED);
	dd->old_file.path = dd->new_file.path = p->v[p->n];
	if (x) {
		git_oid_cpy(&dd->old_file.id, git_tree_entry_id(x));
		dd->old_file.mode = (uint16_t)git_tree_entry_filemode(x);
	}
	if (y) {
		git_oid_cpy(&dd->new_file.id, git_tree_entry_id(y));
		dd->new_file.mode = (uint16_t)git_tree_entry_filemode(y);
	}
	p->n++;
}

static void paths_free(struct paths *p)
{
	for (size_t i = 0; i < p->n; i++)
		free(p->v[i]);
	free(p->v);
	free(p->d);
}

/* The tree at `path` in `root` (NULL root, no such path, or not a tree:
 * *out = NULL and 0). */
static int subtree_at(git_repository *repo, git_tree *root, const char *path, git_tree **out)
{
	git_tree_entry *e = NULL;
	int err = 0;
	*out = NULL;
	if (root && !git_tree_entry_bypath(&e, root, path) &&
	    git_tree_entry_type(e) == GIT_OBJECT_TREE)
		err = git_tree_lookup(out, repo, git_tree_entry_id(e)) < 0 ? -1 : 0;
	git_tree_entry_free(e);
	return err;
}

/* A followed name outside the content folder: added to `p` when its blob
 * (id or mode) differs between the trees. */
static void outside_change(git_tree *a, git_tree *b, const char *path, struct paths *p)
{
	git_tree_entry *ea = NULL, *eb = NULL;
	if (a && (git_tree_entry_bypath(&ea, a, path) < 0 || git_tree_entry_type(ea) != GIT_OBJECT_BLOB)) {
		git_tree_entry_free(ea);
		ea = NULL;
	}
	if (b && (git_tree_entry_bypath(&eb, b, path) < 0 || git_tree_entry_type(eb) != GIT_OBJECT_BLOB)) {
		git_tree_entry_free(eb);
		eb = NULL;
	}
	bool same = (!ea && !eb) ||
		    (ea && eb && git_oid_equal(git_tree_entry_id(ea), git_tree_entry_id(eb)) &&
		     git_tree_entry_filemode(ea) == git_tree_entry_filemode(eb));
	if (!same)
		paths_add(p, path, ea, eb);
	git_tree_entry_free(ea);
	git_tree_entry_free(eb);
}

static int changed_paths(git_repository *repo, git_tree *a, git_tree *b, struct strbuf *base,
			 const char *skip, struct paths *out);

/* One entry present in only one tree, or changed: a blob's path, or the
 * paths below a tree (unless it is `skip`). */
static int changed_entry(git_repository *repo, const git_tree_entry *x, const git_tree_entry *y,
			 struct strbuf *base, const char *skip, struct paths *out)
{
	const git_tree_entry *e = x ? x : y;
	size_t len = base->size;
	int err = 0;
	sb_puts(base, git_tree_entry_name(e));
	if (git_tree_entry_type(e) == GIT_OBJECT_TREE) {
		git_tree *ta = NULL, *tb = NULL;
		sb_putc(base, '/');
		if (skip && !strcmp(base->ptr, skip))
			goto out;
		if ((x && git_tree_lookup(&ta, repo, git_tree_entry_id(x)) < 0) ||
		    (y && git_tree_lookup(&tb, repo, git_tree_entry_id(y)) < 0))
			err = -1;
		else
			err = changed_paths(repo, ta, tb, base, skip, out);
		git_tree_free(ta);
		git_tree_free(tb);
	} else if (git_tree_entry_type(e) == GIT_OBJECT_BLOB) {
		paths_add(out, base->ptr, x, y);
	}
out:
	sb_truncate(base, len);
	return err;
}

/* The blob paths that differ between trees `a` and `b` (either may be
 * NULL) under `base`: both are sorted in git's order, so one merge pass;
 * subtrees with the same id are not entered, so the cost follows the
 * change, not the size of the folder (libgit2's tree diff reads every
 * entry under its pathspec). */
static int changed_paths(git_repository *repo, git_tree *a, git_tree *b, struct strbuf *base,
			 const char *skip, struct paths *out)
{
	size_t na = a ? git_tree_entrycount(a) : 0, nb = b ? git_tree_entrycount(b) : 0;
	size_t i = 0, j = 0;
	int err = 0;
	while (!err && (i < na || j < nb)) {
		const git_tree_entry *ea = i < na ? git_tree_entry_byindex(a, i) : NULL;
		const git_tree_entry *eb = j < nb ? git_tree_entry_byindex(b, j) : NULL;
		int cmp = !ea ? 1 : (!eb ? -1 : git_tree_entry_cmp(ea, eb));
		if (cmp == 0 && git_oid_equal(git_tree_entry_id(ea), git_tree_entry_id(eb)) &&
		    git_tree_entry_filemode(ea) == git_tree_entry_filemode(eb)) {
			i++, j++;
			continue;
		}
		err = changed_entry(repo, cmp <= 0 ? ea : NULL, cmp >= 0 ? eb : NULL, base, skip, out);
		i += cmp <= 0;
		j += cmp >= 0;
	}
	return err;
}

/* --- one commit --------------------------------------------------------------- */

/* The per-commit view: trees, the diff of what changed in the content
 * folder, and (only when a followed file appears from nowhere) the diff of
 * what changed outside it, which can show a rename into the folder. */
struct step {
	git_commit *commit;
	git_tree *tree, *ptree;
	git_diff *diff, *full;
	bool full_tried;
};

/* A rename seen from its new name: the files that follow that name,
 * detached from it, get the old name once the whole commit is applied (so
 * two renames in one commit, even a swap, do not mix their files). */
struct move {
	size_t head; /* detached chain */
	const char *to;
};

/* Gives the chain of files `head` the name `to`; a name outside the content
 * folder joins the pathspec of later commits (outside_change). */
static void chain_attach(struct loader *L, size_t head, const char *to)
{
	struct slot *s = map_get(&L->names, to, true);
	size_t tail = head;
	while (L->next[tail] != NONE)
		tail = L->next[tail];
	L->next[tail] = s->head;
	s->head = head;
	size_t plen = strlen(L->h->prefix);
	if (!s->outside && strncmp(to, L->h->prefix, plen)) {
		s->outside = true;
		L->outside = xgrow(L->outside, &L->outcap, L->nout + 1, sizeof(*L->outside));
		L->outside[L->nout++] = s->key;
	}
}

/* Lines of a blob as git's --numstat counts an addition or a deletion;
 * 0 when binary. */
static int blob_lines(git_repository *repo, const git_oid *id)
{
	git_blob *b = NULL;
	int n = 0;
	if (git_oid_is_zero(id) || git_blob_lookup(&b, repo, id) < 0)
		return 0;
	const char *p = git_blob_rawcontent(b);
	size_t len = (size_t)git_blob_rawsize(b);
	if (!git_blob_is_binary(b)) {
		for (size_t i = 0; i < len; i++)
			n += p[i] == '\n' && n < INT_MAX;
		n += len && p[len - 1] != '\n' && n < INT_MAX;
	}
	git_blob_free(b);
	return n;
}

/* Lines added and removed by one delta. The blobs are diffed as buffers,
 * without the repository: libgit2 would otherwise look up .gitattributes
 * (several stat and readlink calls) for every change. */
static void line_stats(git_repository *repo, const git_diff_delta *dd, int *add, int *del)
{
	git_blob *a = NULL, *b = NULL;
	git_patch *p = NULL;
	size_t na = 0, nr = 0;
	*add = *del = 0;
	if (git_oid_is_zero(&dd->old_file.id) || git_oid_is_zero(&dd->new_file.id)) {
		*add = blob_lines(repo, &dd->new_file.id);
		*del = blob_lines(repo, &dd->old_file.id);
		return;
	}
	if (git_blob_lookup(&a, repo, &dd->old_file.id) < 0 ||
	    git_blob_lookup(&b, repo, &dd->new_file.id) < 0 ||
	    git_patch_from_buffers(&p, git_blob_rawcontent(a), (size_t)git_blob_rawsize(a), NULL,
				   git_blob_rawcontent(b), (size_t)git_blob_rawsize(b), NULL, NULL) < 0 ||
	    git_patch_line_stats(NULL, &na, &nr, p) < 0)
		na = nr = 0;
	*add = na > INT_MAX ? INT_MAX : (int)na;
	*del = nr > INT_MAX ? INT_MAX : (int)nr;
	git_patch_free(p);
	git_blob_free(b);
	git_blob_free(a);
}

static void diff_options(git_diff_options *o, git_strarray *spec)
{
	git_diff_options_init(o, GIT_DIFF_OPTIONS_VERSION);
	o->flags = GIT_DIFF_DISABLE_PATHSPEC_MATCH | GIT_DIFF_INCLUDE_TYPECHANGE;
	if (spec)
		o->pathspec = *spec;
}

/* Rename detection as git's default: 50% similarity, whitespace counts. */
static int find_renames(git_diff *diff)
{
	bool added = false, deleted = false;
	for (size_t i = 0, n = git_diff_num_deltas(diff); i < n; i++) {
		git_delta_t t = git_diff_get_delta(diff, i)->status;
		added |= t == GIT_DELTA_ADDED;
		deleted |= t == GIT_DELTA_DELETED;
	}
	if (!added || !deleted)
		return 0;
	git_diff_find_options fo;
	git_diff_find_options_init(&fo, GIT_DIFF_FIND_OPTIONS_VERSION);
	fo.flags = GIT_DIFF_FIND_RENAMES | GIT_DIFF_FIND_DONT_IGNORE_WHITESPACE;
	return git_diff_find_similar(diff, &fo);
}

/* libgit2's diff of just `p` (DISABLE_PATHSPEC_MATCH makes its iterators
 * skip every other folder), with rename detection. */
static int narrow_diff(struct loader *L, struct step *st, struct paths *p, git_diff **out)
{
	git_strarray spec = { p->v, p->n };
	git_diff_options o;
	diff_options(&o, &spec);
	int err = git_diff_tree_to_tree(out, L->h->repo, st->ptree, st->tree, &o);
	if (!err)
		err = find_renames(*out);
	return err < 0 ? git_fail(L->d, "diff", git_oid_tostr_s(git_commit_id(st->commit))) : 0;
}

/* A followed name added in the content diff: was it renamed from outside
 * the content folder? Returns the rename's delta in st->full, or NULL. */
static const git_diff_delta *follow_outside(struct loader *L, struct step *st, const char *name)
{
	if (!st->full_tried && *L->h->prefix) {
		struct paths p = { 0 };
		struct strbuf base = STRBUF_INIT;
		bool deleted = false;
		st->full_tried = true;
		int err = changed_paths(L->h->repo, st->ptree, st->tree, &base, L->h->prefix, &p);
		if (err < 0)
			git_fail(L->d, "compare trees of", git_oid_tostr_s(git_commit_id(st->commit)));
		for (size_t i = 0; i < p.n; i++)
			deleted |= p.d[i].status == GIT_DELTA_DELETED;
		if (!err && deleted) {
			paths_add(&p, name, NULL, NULL);
			err = narrow_diff(L, st, &p, &st->full);
		}
		paths_free(&p);
		sb_free(&base);
		if (err < 0) {
			L->error = -1;
			return NULL;
		}
	}
	for (size_t i = 0, n = st->full ? git_diff_num_deltas(st->full) : 0; i < n; i++) {
		const git_diff_delta *dd = git_diff_get_delta(st->full, i);
		if (dd->status == GIT_DELTA_RENAMED && !strcmp(dd->new_file.path, name))
			return dd;
	}
	return NULL;
}

static void record_chain(struct loader *L, size_t head, struct step *st, char status,
			 const char *path, const char *old_path, int add, int del)
{
	for (size_t f = head; f != NONE; f = L->next[f])
		record(L, f, st->commit, status, path, old_path, add, del);
}

/* One delta of the content diff: records it for the files that have its
 * name now, and schedules their switch to the old name at a rename. */
static void apply_delta(struct loader *L, struct step *st, const git_diff_delta *dd,
			struct move **moves, size_t *nmoves, size_t *mcap)
{
	const char *oldp = dd->old_file.path, *newp = dd->new_file.path;
	int add = 0, del = 0;
	if (dd->status == GIT_DELTA_RENAMED) {
		/* The old name is deleted, for whoever follows it (git --follow on
		 * that name shows a deletion; the rename is seen from the new). */
		struct slot *os = map_get(&L->names, oldp, false);
		if (os && os->head != NONE)
			record_chain(L, os->head, st, 'D', oldp, NULL, 0,
				     blob_lines(L->h->repo, &dd->old_file.id));
	}
	struct slot *s = map_get(&L->names, dd->status == GIT_DELTA_DELETED ? oldp : newp, false);
	if (!s || s->head == NONE)
		return;
	char status = 'M';
	const git_diff_delta *from;
	switch (dd->status) {
	case GIT_DELTA_ADDED:
		status = 'A';
		if ((from = follow_outside(L, st, newp)) != NULL) {
			dd = from;
			oldp = dd->old_file.path;
			status = git_oid_equal(&dd->old_file.id, &dd->new_file.id) ? 'R' : 'C';
		}
		break;
	case GIT_DELTA_DELETED:
		status = 'D';
		break;
	case GIT_DELTA_RENAMED:
		status = git_oid_equal(&dd->old_file.id, &dd->new_file.id) ? 'R' : 'C';
		break;
	default:
		break;
	}
	if (status != 'R')
		line_stats(L->h->repo, dd, &add, &del);
	size_t head = s->head;
	record_chain(L, head, st, status, status == 'D' ? oldp : newp,
		     status == 'R' || status == 'C' ? oldp : NULL, add, del);
	if (status == 'R' || status == 'C') {
		s->head = NONE;
		*moves = xgrow(*moves, mcap, *nmoves + 1, sizeof(**moves));
		(*moves)[(*nmoves)++] = (struct move){ head, oldp };
	}
}

/* The content folder's changed paths, and those of followed names outside
 * it: tree ids first, so only subtrees that differ are entered. */
static int content_paths(struct loader *L, struct step *st, struct paths *p)
{
	struct history *h = L->h;
	struct strbuf base = STRBUF_INIT;
	int err = 0;
	if (!*h->prefix) {
		err = changed_paths(h->repo, st->ptree, st->tree, &base, NULL, p);
	} else {
		git_tree *a = NULL, *b = NULL;
		char *dir = xstrndup(h->prefix, strlen(h->prefix) - 1);
		err = subtree_at(h->repo, st->ptree, dir, &a) | subtree_at(h->repo, st->tree, dir, &b);
		sb_puts(&base, h->prefix);
		if (!err && (a || b) && (!a || !b || !git_oid_equal(git_tree_id(a), git_tree_id(b))))
			err = changed_paths(h->repo, a, b, &base, NULL, p);
		git_tree_free(a);
		git_tree_free(b);
		free(dir);
	}
	for (size_t i = 0; i < L->nout && !err; i++)
		outside_change(st->ptree, st->tree, L->outside[i], p);
	sb_free(&base);
	return err;
}

/* Renames matter only when a followed name is added while some path is
 * deleted: then libgit2's diff of these paths, with rename detection. */
static bool needs_renames(struct loader *L, const struct paths *p)
{
	bool added = false, deleted = false;
	for (size_t i = 0; i < p->n && !(added && deleted); i++) {
		if (p->d[i].status == GIT_DELTA_DELETED) {
			deleted = true;
		} else if (p->d[i].status == GIT_DELTA_ADDED && !added) {
			struct slot *s = map_get(&L->names, p->v[i], false);
			added = s && s->head != NONE;
		}
	}
	return added && deleted;
}

/* A non-merge commit against its parent (git log --follow shows no merge
 * and follows no rename through one: it runs without simplification). */
static int process_commit(struct loader *L, git_commit *c)
{
	struct step st = { .commit = c };
	struct paths p = { 0 };
	struct move *moves = NULL;
	size_t nmoves = 0, mcap = 0;
	git_commit *parent = NULL;
	int err = 0;
	L->rec = NULL;
	if (git_commit_parentcount(c) > 1)
		return 0;
	if (git_commit_tree(&st.tree, c) < 0 ||
	    (git_commit_parentcount(c) == 1 &&
	     (git_commit_parent(&parent, c, 0) < 0 || git_commit_tree(&st.ptree, parent) < 0)) ||
	    content_paths(L, &st, &p) < 0) {
		err = git_fail(L->d, "read commit", git_oid_tostr_s(git_commit_id(c)));
		goto out;
	}
	if (needs_renames(L, &p) && (err = narrow_diff(L, &st, &p, &st.diff)) < 0)
		goto out;
	size_t n = st.diff ? git_diff_num_deltas(st.diff) : p.n;
	for (size_t i = 0; i < n && !L->error; i++)
		apply_delta(L, &st, st.diff ? git_diff_get_delta(st.diff, i) : &p.d[i], &moves, &nmoves,
			    &mcap);
	for (size_t i = 0; i < nmoves; i++)
		chain_attach(L, moves[i].head, moves[i].to);
	err = L->error;
out:
	paths_free(&p);
	free(moves);
	git_diff_free(st.full);
	git_diff_free(st.diff);
	git_tree_free(st.ptree);
	git_tree_free(st.tree);
	git_commit_free(parent);
	return err;
}

/* --- shallow boundaries --------------------------------------------------- */

static int read_shallow(struct loader *L)
{
	char *path = fs_join(git_repository_commondir(L->h->repo), "shallow");
	char *text = NULL;
	size_t len = 0, cap = 0;
	if (fs_read_file(path, &text, &len) < 0) {
		free(path);
		return 0; /* no file: not shallow */
	}
	for (char *line = strtok(text, "\n"); line; line = strtok(NULL, "\n")) {
		git_oid id;
		if (git_oid_fromstrn(&id, line, strlen(line)) < 0 || strlen(line) != GIT_OID_HEXSZ)
			continue;
		L->shallow = xgrow(L->shallow, &cap, L->nshallow + 1, sizeof(*L->shallow));
		L->shallow[L->nshallow++] = id;
	}
	L->nshallow = oid_sort_unique(L->shallow, L->nshallow);
	L->shallow_seen = xcalloc(L->nshallow + 1, sizeof(*L->shallow_seen));
	free(text);
	free(path);
	return 0;
}

/* The revwalk asks whether to hide each commit it is about to queue or
 * return: shallow commits are hidden (libgit2 1.5 would read their missing
 * parents and fail), and remembered in the date order git would queue them,
 * to be handled when their turn comes. */
static int hide_shallow(const git_oid *id, void *payload)
{
	struct loader *L = payload;
	git_oid *hit = L->nshallow ? bsearch(id, L->shallow, L->nshallow, sizeof(*id), oid_cmp) : NULL;
	if (!hit)
		return 0;
	size_t k = (size_t)(hit - L->shallow);
	if (L->shallow_seen[k])
		return 1;
	L->shallow_seen[k] = true;
	git_commit *c = NULL;
	int64_t t = INT64_MIN;
	if (!git_commit_lookup(&c, L->h->repo, id))
		t = git_commit_time(c);
	git_commit_free(c);
	L->pend = xgrow(L->pend, &L->pendcap, L->npend + 1, sizeof(*L->pend));
	size_t at = L->npend;
	while (at > 0 && L->pend[at - 1].time < t)
		at--;
	memmove(L->pend + at + 1, L->pend + at, (L->npend - at) * sizeof(*L->pend));
	L->pend[at] = (struct pending){ *id, t };
	L->npend++;
	return 1;
}

/* At a boundary: every file whose current name exists there has history
 * beyond what this clone holds. */
static int process_shallow(struct loader *L, const git_oid *id)
{
	git_commit *c = NULL;
	git_tree *tree = NULL;
	if (git_commit_lookup(&c, L->h->repo, id) < 0 || git_commit_tree(&tree, c) < 0) {
		git_commit_free(c);
		return git_fail(L->d, "read commit", git_oid_tostr_s(id));
	}
	for (size_t i = 0; i < L->names.cap; i++) {
		struct slot *s = &L->names.slots[i];
		git_tree_entry *e = NULL;
		if (!s->key || s->head == NONE || git_tree_entry_bypath(&e, tree, s->key) < 0)
			continue;
		git_tree_entry_free(e);
		for (size_t f = s->head; f != NONE; f = L->next[f])
			L->h->files[f].truncated = true;
	}
	git_tree_free(tree);
	git_commit_free(c);
	L->seq++;
	return 0;
}

/* Handles the shallow commits git would have popped before one of time t. */
static int flush_shallow(struct loader *L, int64_t t)
{
	size_t k = 0;
	int err = 0;
	while (k < L->npend && L->pend[k].time > t && !err)
		err = process_shallow(L, &L->pend[k++].id);
	if (k)
		memmove(L->pend, L->pend + k, (L->npend - k) * sizeof(*L->pend));
	L->npend -= k;
	return err;
}

/* --- the walk ------------------------------------------------------------------ */

static int walk(struct loader *L)
{
	git_revwalk *w = NULL;
	git_oid id;
	int err;
	if (git_revwalk_new(&w, L->h->repo) < 0)
		return git_fail(L->d, "revwalk", NULL);
	/* GIT_SORT_NONE on purpose: libgit2's unsorted walk queues parents by
	 * committer date exactly as git log's default walk does (so renames are
	 * switched in git's order), and it is lazy, so shallow commits can be
	 * hidden; every sorted mode of libgit2 1.5 reads all parents first. */
	git_revwalk_sorting(w, GIT_SORT_NONE);
	git_revwalk_add_hide_cb(w, hide_shallow, L);
	/* libgit2 1.5 asks the callback about parents only: a shallow HEAD
	 * (git clone --depth 1) is not pushed at all. */
	if (git_reference_name_to_id(&id, L->h->repo, "HEAD") < 0 ||
	    (!hide_shallow(&id, L) && git_revwalk_push(w, &id) < 0)) {
		err = git_fail(L->d, "revwalk from", "HEAD");
		goto out;
	}
	while (!(err = git_revwalk_next(&id, w))) {
		git_commit *c = NULL;
		if (git_commit_lookup(&c, L->h->repo, &id) < 0) {
			err = git_fail(L->d, "read commit", git_oid_tostr_s(&id));
			goto out;
		}
		err = flush_shallow(L, git_commit_time(c));
		if (!err)
			err = process_commit(L, c);
		git_commit_free(c);
		L->seq++;
		if (err)
			goto out;
	}
	if (err != GIT_ITEROVER) {
		err = git_fail(L->d, "revwalk", NULL);
		goto out;
	}
	err = flush_shallow(L, INT64_MIN);
out:
	git_revwalk_free(w);
	return err;
}

/* --- files, ignore lists, status ------------------------------------------- */

static void add_file(struct loader *L, const char *path)
{
	struct history *h = L->h;
	h->files = xgrow(h->files, &L->fcap, h->nfiles + 1, sizeof(*h->files));
	h->files[h->nfiles++] = (struct history_file){ .path = xstrdup(path) };
}

static int tree_file(const char *root, const git_tree_entry *e, void *payload)
{
	if (git_tree_entry_type(e) != GIT_OBJECT_BLOB)
		return 0;
	char *path = fs_join(root, git_tree_entry_name(e));
	add_file(payload, path);
	free(path);
	return 0;
}

static int file_cmp(const void *a, const void *b)
{
	return strcmp(((const struct history_file *)a)->path,
		      ((const struct history_file *)b)->path);
}

/* The files under the content folder at HEAD, each followed under its name. */
static int head_files(struct loader *L, git_commit *head)
{
	struct history *h = L->h;
	git_tree *root = NULL, *sub = NULL;
	git_tree_entry *e = NULL;
	int err = 0;
	if (git_commit_tree(&root, head) < 0)
		return git_fail(L->d, "read tree of", "HEAD");
	if (*h->prefix) {
		char *dir = xstrndup(h->prefix, strlen(h->prefix) - 1);
		if (!git_tree_entry_bypath(&e, root, dir) &&
		    git_tree_entry_type(e) == GIT_OBJECT_TREE &&
		    git_tree_lookup(&sub, h->repo, git_tree_entry_id(e)) < 0)
			err = git_fail(L->d, "read tree", dir);
		free(dir);
	}
	if (!err && (sub || !*h->prefix) &&
	    git_tree_walk(sub ? sub : root, GIT_TREEWALK_PRE, tree_file, L) < 0)
		err = git_fail(L->d, "walk tree of", "HEAD");
	git_tree_entry_free(e);
	git_tree_free(sub);
	git_tree_free(root);
	if (err)
		return err;
	if (h->nfiles)
		qsort(h->files, h->nfiles, sizeof(*h->files), file_cmp);
	L->next = xmalloc((h->nfiles + 1) * sizeof(*L->next));
	L->caps = xcalloc(h->nfiles + 1, sizeof(*L->caps));
	for (size_t i = 0; i < h->nfiles; i++) {
		char *name = fs_join(h->prefix, h->files[i].path);
		struct slot *s = map_get(&L->names, name, true);
		L->next[i] = s->head;
		s->head = i;
		free(name);
	}
	return 0;
}

static void add_ignored(struct loader *L, const git_oid *id, size_t *cap)
{
	L->ignored = xgrow(L->ignored, cap, L->nignored + 1, sizeof(*L->ignored));
	L->ignored[L->nignored++] = *id;
}

/* .git-blame-ignore-revs (git's convention: full hashes, '#' comments) and
 * [history] ignore. Bad entries are warnings: they only affect dates. */
static void read_ignored(struct loader *L, size_t *cap)
{
	char *path = fs_join(git_repository_workdir(L->h->repo), ".git-blame-ignore-revs");
	char *root = realpath(git_repository_workdir(L->h->repo), NULL);
	char *text = NULL;
	size_t len = 0;
	/* A pull request may commit it as a link to /proc/self/environ: the
	 * warnings below would quote every line (issue 11). */
	if (root && !fs_resolves_inside(path, root) && errno == EXDEV)
		diag_warning(L->d, path, 0, 0, "symbolic link leads outside the repository; not read");
	else if (!fs_read_file(path, &text, &len)) {
		int line = 0;
		for (char *p = text, *eol; p < text + len; p = eol + 1) {
			eol = memchr(p, '\n', (size_t)(text + len - p));
			eol = eol ? eol : text + len;
			*eol = '\0';
			line++;
			p[strcspn(p, "#")] = '\0';
			size_t skip = strspn(p, " \t\r");
			char *w = p + skip;
			size_t n = strcspn(w, " \t\r");
			git_oid id;
			if (!n && !w[strspn(w, " \t\r")])
				continue;
			if (n == GIT_OID_HEXSZ && !w[n + strspn(w + n, " \t\r")] &&
			    !git_oid_fromstrn(&id, w, n))
				add_ignored(L, &id, cap);
			else
				diag_warning(L->d, path, line, (int)skip + 1,
					     "not a full commit hash: '%s'", w);
		}
	}
	free(text);
	free(root);
	free(path);
}

static void opts_ignored(struct loader *L, size_t *cap)
{
	for (size_t i = 0; i < L->opts->nignore; i++) {
		git_object *o = NULL, *c = NULL;
		if (git_revparse_single(&o, L->h->repo, L->opts->ignore[i]) < 0 ||
		    git_object_peel(&c, o, GIT_OBJECT_COMMIT) < 0)
			diag_warning(L->d, NULL, 0, 0,
				     "[history] ignore: '%s' is not a commit of this repository",
				     L->opts->ignore[i]);
		else
			add_ignored(L, git_object_id(c), cap);
		git_object_free(c);
		git_object_free(o);
	}
}

static struct history_file *find_mut(struct history *h, const char *path)
{
	struct history_file key = { .path = (char *)path };
	return h->nfiles ? bsearch(&key, h->files, h->nfiles, sizeof(key), file_cmp) : NULL;
}

/* Files that differ from HEAD in the index or work tree, and untracked ones
 * (added as files without history). */
static int mark_uncommitted(struct loader *L)
{
	struct history *h = L->h;
	git_status_options so;
	git_status_list *list = NULL;
	size_t plen = strlen(h->prefix), n0 = h->nfiles;
	char *dir = plen ? xstrndup(h->prefix, plen - 1) : NULL;
	git_status_options_init(&so, GIT_STATUS_OPTIONS_VERSION);
	so.show = GIT_STATUS_SHOW_INDEX_AND_WORKDIR;
	so.flags = GIT_STATUS_OPT_INCLUDE_UNTRACKED | GIT_STATUS_OPT_RECURSE_UNTRACKED_DIRS |
		   GIT_STATUS_OPT_DISABLE_PATHSPEC_MATCH | GIT_STATUS_OPT_EXCLUDE_SUBMODULES;
	so.pathspec = (git_strarray){ &dir, dir ? 1 : 0 };
	int err = git_status_list_new(&list, h->repo, &so);
	for (size_t i = 0, n = err ? 0 : git_status_list_entrycount(list); i < n; i++) {
		const git_status_entry *e = git_status_byindex(list, i);
		const git_diff_delta *dd = e->index_to_workdir ? e->index_to_workdir : e->head_to_index;
		const char *path = dd ? dd->new_file.path : NULL;
		if (e->status == GIT_STATUS_CURRENT || !path || strncmp(path, h->prefix, plen))
			continue;
		struct history_file *f = find_mut(h, path + plen);
		if (!f && (e->status & (GIT_STATUS_WT_DELETED | GIT_STATUS_INDEX_DELETED)) == 0) {
			add_file(L, path + plen);
			f = &h->files[h->nfiles - 1];
		}
		if (f)
			f->uncommitted = true;
	}
	git_status_list_free(list);
	free(dir);
	if (h->nfiles != n0)
		qsort(h->files, h->nfiles, sizeof(*h->files), file_cmp);
	return err < 0 ? git_fail(L->d, "status of", h->prefix) : 0;
}

/* --- results ------------------------------------------------------------------- */

static int all_cmp(const void *a, const void *b)
{
	const struct history_change *x = *(const struct history_change *const *)a;
	const struct history_change *y = *(const struct history_change *const *)b;
	size_t sx = ((const struct commit_rec *)x->commit)->seq;
	size_t sy = ((const struct commit_rec *)y->commit)->seq;
	if (sx != sy)
		return sx < sy ? -1 : 1;
	return strcmp(x->file->path, y->file->path);
}

static void finish(struct history *h)
{
	size_t nall = 0;
	h->filep = xmalloc((h->nfiles + 1) * sizeof(*h->filep));
	for (size_t i = 0; i < h->nfiles; i++) {
		struct history_file *f = &h->files[i];
		h->filep[i] = f;
		nall += f->n;
		for (size_t k = 0; k < f->n; k++)
			f->changes[k].file = f;
		if (!f->n)
			continue;
		if (!f->truncated)
			f->added = f->changes[f->n - 1].commit;
		for (size_t k = 0; k < f->n && !f->updated; k++)
			if (f->changes[k].status != 'R' && !f->changes[k].commit->ignored)
				f->updated = f->changes[k].commit;
		if (!f->updated)
			f->updated = f->added;
	}
	h->all = xmalloc((nall + 1) * sizeof(*h->all));
	for (size_t i = 0; i < h->nfiles; i++)
		for (size_t k = 0; k < h->files[i].n; k++)
			h->all[h->nall++] = &h->files[i].changes[k];
	if (h->nall)
		qsort(h->all, h->nall, sizeof(*h->all), all_cmp);
}

/* --- opening ------------------------------------------------------------------- */

/* `dir` relative to the work tree, with a trailing '/' ("" for the root),
 * or NULL when it is not inside it. */
static char *content_prefix(const char *workdir, const char *dir)
{
	char *rw = realpath(workdir, NULL), *rd = realpath(dir, NULL), *out = NULL;
	if (rw && rd) {
		size_t n = strlen(rw);
		while (n > 1 && rw[n - 1] == '/')
			rw[--n] = '\0';
		if (!strcmp(rw, rd)) {
			out = xstrdup("");
		} else if (!strncmp(rd, rw, n) && (rd[n] == '/' || n == 1)) {
			struct strbuf sb = STRBUF_INIT;
			sb_printf(&sb, "%s/", rd + n + (n > 1));
			out = sb_detach(&sb);
		}
	}
	free(rw);
	free(rd);
	return out;
}

/* Opens the repository; 1 when history is unavailable (said once, as a
 * note), 0 when open, -1 on error. */
static int open_repo(struct history *h, const char *dir, struct diag *d)
{
	int err = git_repository_open_ext(&h->repo, dir, 0, NULL);
	if (err == GIT_ENOTFOUND) {
		diag_note(d, NULL, 0, 0, "%s is not in a git repository: building without history", dir);
		return 1;
	}
	if (err < 0) {
		const git_error *e = git_error_last();
		diag_note(d, NULL, 0, 0, "cannot open the git repository of %s (%s): building without history",
			  dir, e && e->message ? e->message : "unknown error");
		return 1;
	}
	const char *wd = git_repository_workdir(h->repo);
	if (!wd || !(h->prefix = content_prefix(wd, dir))) {
		diag_note(d, NULL, 0, 0, "%s is not in a git work tree: building without history", dir);
		return 1;
	}
	err = git_repository_head_unborn(h->repo);
	if (err == 1) {
		diag_note(d, NULL, 0, 0, "the git repository has no commits yet: building without history");
		return 1;
	}
	return err < 0 ? git_fail(d, "read", "HEAD") : 0;
}

static int load(struct loader *L)
{
	struct history *h = L->h;
	git_reference *ref = NULL;
	git_commit *head = NULL;
	size_t icap = 0;
	int err = 0;
	if (git_repository_head(&ref, h->repo) < 0 ||
	    git_commit_lookup(&head, h->repo, git_reference_target(ref)) < 0) {
		err = git_fail(L->d, "read", "HEAD");
		goto out;
	}
	if ((err = head_files(L, head)) < 0 || (err = read_shallow(L)) < 0)
		goto out;
	if (git_repository_is_shallow(h->repo) == 1 || L->nshallow)
		diag_warning(L->d, NULL, 0, 0,
			     "shallow clone: history is truncated; fetch full history with git fetch --unshallow");
	read_ignored(L, &icap);
	opts_ignored(L, &icap);
	L->nignored = L->nignored ? oid_sort_unique(L->ignored, L->nignored) : 0;
	if (git_mailmap_from_repository(&L->mailmap, h->repo) < 0) {
		err = git_fail(L->d, "read", ".mailmap");
		goto out;
	}
	if ((err = walk(L)) < 0 || (err = mark_uncommitted(L)) < 0)
		goto out;
	finish(h);
out:
	git_commit_free(head);
	git_reference_free(ref);
	return err;
}

int history_load(const char *dir, const struct history_options *opts,
		 struct history **out, struct diag *d)
{
	static const struct history_options defaults = { 0 };
	struct history *h = xcalloc(1, sizeof(*h));
	struct loader L = { .h = h, .opts = opts ? opts : &defaults, .d = d };
	git_libgit2_init();
	*out = NULL;
	int err = open_repo(h, dir, d);
	if (err == 0)
		err = load(&L);
	h->available = err == 0;
	if (err == 1) {
		git_repository_free(h->repo);
		h->repo = NULL;
		err = 0;
	}
	map_free(&L.names);
	git_mailmap_free(L.mailmap);
	free(L.next);
	free(L.caps);
	free(L.outside);
	free(L.shallow);
	free(L.shallow_seen);
	free(L.pend);
	free(L.ignored);
	if (err < 0) {
		history_free(h);
		return -1;
	}
	*out = h;
	return 0;
}

/* --- queries ------------------------------------------------------------------- */

bool history_available(const struct history *h)
{
	return h && h->available;
}

const struct history_file *history_find(const struct history *h, const char *path)
{
	return h && path ? find_mut((struct history *)h, path) : NULL;
}

size_t history_files(const struct history *h, const struct history_file *const **out)
{
	*out = h ? h->filep : NULL;
	return h && h->filep ? h->nfiles : 0;
}

size_t history_all(const struct history *h, const struct history_change *const **out)
{
	*out = h ? h->all : NULL;
	return h && h->all ? h->nall : 0;
}

static int blob_at(git_repository *repo, git_tree *tree, const char *path, char **out,
		   size_t *n)
{
	git_tree_entry *e = NULL;
	git_blob *b = NULL;
	int err = git_tree_entry_bypath(&e, tree, path);
	if (!err)
		err = git_blob_lookup(&b, repo, git_tree_entry_id(e));
	if (!err) {
		*n = (size_t)git_blob_rawsize(b);
		*out = xmalloc(*n + 1);
		if (*n)
			memcpy(*out, git_blob_rawcontent(b), *n);
		(*out)[*n] = '\0';
	}
	git_blob_free(b);
	git_tree_entry_free(e);
	return err;
}

int history_blobs(const struct history *h, const struct history_change *c, char **old,
		  size_t *oldn, char **new_, size_t *newn, struct diag *d)
{
	git_oid id;
	git_commit *commit = NULL, *parent = NULL;
	git_tree *tree = NULL, *ptree = NULL;
	int err = -1;
	*old = *new_ = NULL;
	*oldn = *newn = 0;
	if (!history_available(h) || git_oid_fromstr(&id, c->commit->hash) < 0 ||
	    git_commit_lookup(&commit, h->repo, &id) < 0 || git_commit_tree(&tree, commit) < 0)
		goto out;
	if (c->status != 'D' && blob_at(h->repo, tree, c->path, new_, newn) < 0)
		goto out;
	if (c->status != 'A' && git_commit_parentcount(commit) > 0 &&
	    (git_commit_parent(&parent, commit, 0) < 0 || git_commit_tree(&ptree, parent) < 0 ||
	     blob_at(h->repo, ptree, c->old_path ? c->old_path : c->path, old, oldn) < 0))
		goto out;
	err = 0;
out:
	if (err < 0) {
		git_fail(d, "read blob", c->path);
		free(*new_);
		*new_ = NULL;
		*newn = 0;
	}
	if (!*old)
		*old = xstrdup("");
	if (!*new_)
		*new_ = xstrdup("");
	git_tree_free(ptree);
	git_tree_free(tree);
	git_commit_free(parent);
	git_commit_free(commit);
	return err;
}

void history_format_date(const struct history_commit *c, char *date, size_t datesz,
			 char *datetime, size_t datetimesz)
{
	struct tm tm;
	time_t t = (time_t)(c->time + (int64_t)c->offset_min * 60);
	int off = c->offset_min < 0 ? -c->offset_min : c->offset_min;
	bool ok = gmtime_r(&t, &tm) && tm.tm_year >= -1900 && tm.tm_year <= 9999 - 1900;
	if (date && datesz) {
		int n = ok ? snprintf(date, datesz, "%04d-%02d-%02d", tm.tm_year + 1900,
				      tm.tm_mon + 1, tm.tm_mday)
			   : -1;
		if (n < 0 || (size_t)n >= datesz)
			date[0] = '\0';
	}
	if (datetime && datetimesz) {
		int n = ok ? snprintf(datetime, datetimesz, "%04d-%02d-%02dT%02d:%02d:%02d%c%02d:%02d",
				      tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
				      tm.tm_min, tm.tm_sec, c->offset_min < 0 ? '-' : '+',
				      off / 60 % 100, off % 60)
			   : -1;
		if (n < 0 || (size_t)n >= datetimesz)
			datetime[0] = '\0';
	}
}

void history_free(struct history *h)
{
	if (!h)
		return;
	for (size_t i = 0; i < h->nfiles; i++) {
		struct history_file *f = &h->files[i];
		for (size_t k = 0; k < f->n; k++) {
			free(f->changes[k].path);
			free(f->changes[k].old_path);
		}
		free(f->changes);
		free(f->path);
	}
	for (size_t i = 0; i < h->ncommits; i++) {
		free(h->commits[i]->pub.author);
		free(h->commits[i]->pub.email);
		free(h->commits[i]->pub.subject);
		free(h->commits[i]);
	}
	free(h->commits);
	free(h->files);
	free(h->filep);
	free(h->all);
	free(h->prefix);
	git_repository_free(h->repo);
	free(h);
	git_libgit2_shutdown();
}
