#include "history.h"

#include <errno.h>
#include <fcntl.h>
#include <iconv.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include <sys/stat.h>

#include <git2.h>

#include "fsutil.h"
#include "gittree.h"
#include "strbuf.h"
#include "utf8.h"
#include "xalloc.h"

#define NONE ((size_t)-1)

/* The open repository, for reading blobs after the walk. */
struct history_repo {
	git_repository *repo;
};

/* --- names: the path each file has at this point of the walk ------------- */

/* Open addressing, keys owned; a key whose chain empties stays (renames are
 * few). Files sharing a name are chained through loader.next. */
struct slot {
	char *key;
	size_t head;  /* first file with this name, or NONE */
	bool outside; /* listed in loader.outside */
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
	git_repository *repo;
	const struct history_options *opts;
	struct diag *d;
	git_mailmap *mailmap;
	struct pathmap names;
	struct gittree_cache *trees;
	size_t *next; /* per file: next file with the same name */
	size_t *caps; /* per file: capacity of its changes */
	size_t fcap;
	const char **outside; /* names outside the prefix: extra pathspecs */
	size_t nout, outcap;
	git_oid *shallow; /* sorted */
	bool *shallow_seen;
	size_t nshallow;
	struct pending *pend; /* shallow commits met, by date as git queues */
	size_t npend, pendcap;
	git_oid *ignored; /* sorted */
	size_t nignored;
	size_t seq;
	struct history_commit *rec; /* of the commit being processed, once made */
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

/* A character a subject, name or address keeps: one XML allows (the feed
 * is XML), and no control character but tab. */
static bool keeps(uint32_t cp)
{
	return cp == '\t' || (cp >= 0x20 && utf8_is_xml_char(cp));
}

/* A copy where every byte that is not part of valid UTF-8, and every
 * character keeps() refuses, is U+FFFD: subjects go into HTML and an Atom
 * feed. */
static char *utf8_clean(const char *s)
{
	struct strbuf sb = STRBUF_INIT;
	size_t n = strlen(s);
	for (size_t i = 0; i < n;) {
		uint32_t cp = 0;
		size_t len = utf8_decode(s + i, n - i, &cp);
		if (len == 0 || !keeps(cp)) {
			utf8_put(&sb, 0xFFFD);
			i += len ? len : 1;
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

static struct history_commit *commit_record(struct loader *L, git_commit *c)
{
	if (L->rec)
		return L->rec;
	struct history_commit *r = xcalloc(1, sizeof(*r));
	const git_oid *id = git_commit_id(c);
	git_oid_tostr(r->hash, sizeof(r->hash), id);
	memcpy(r->short_hash, r->hash, 7);
	const char *enc = git_commit_message_encoding(c);
	git_signature *sig = NULL;
	const git_signature *who = git_commit_author(c);
	if (L->mailmap && !git_commit_author_with_mailmap(&sig, c, L->mailmap))
		who = sig;
	r->author = to_utf8(who->name ? who->name : "", enc);
	if (L->opts->emails)
		r->email = to_utf8(who->email ? who->email : "", enc);
	git_signature_free(sig);
	r->time = git_commit_time(c);
	r->offset_min = git_commit_time_offset(c);
	const char *summary = git_commit_summary(c);
	r->subject = to_utf8(summary ? summary : "", enc);
	r->ignored = oid_in(L->ignored, L->nignored, id);
	r->seq = L->seq;
	struct history *h = L->h;
	h->commits = xgrow(h->commits, &h->ccap, h->ncommits + 1, sizeof(*h->commits));
	h->commits[h->ncommits++] = r;
	return L->rec = r;
}

static void blob_hex(char *out, const git_oid *id)
{
	if (id && !git_oid_is_zero(id))
		git_oid_tostr(out, GIT_OID_HEXSZ + 1, id);
	else
		out[0] = '\0';
}

/* One change of file `f`; the blob ids come from the delta that shows it
 * (`dd`: the new side unless deleted, the old side unless added). */
static void record(struct loader *L, size_t f, git_commit *c, const git_diff_delta *dd,
		   char status, const char *path, const char *old_path)
{
	struct history_commit *r = commit_record(L, c);
	struct history_file *hf = &L->h->files[f];
	hf->changes = xgrow(hf->changes, &L->caps[f], hf->n + 1, sizeof(*hf->changes));
	struct history_change *hc = &hf->changes[hf->n++];
	*hc = (struct history_change){
		.commit = r,
		.path = xstrdup(path),
		.old_path = old_path ? xstrdup(old_path) : NULL,
		.status = status,
	};
	blob_hex(hc->blob, status == 'D' ? NULL : &dd->new_file.id);
	blob_hex(hc->old_blob, status == 'A' ? NULL : &dd->old_file.id);
}

/* --- what changed: tree ids first ------------------------------------------ */

/* Changed paths of one commit, as deltas: a zero id (and mode) on the side
 * where the path is absent. `v` holds the paths, for a pathspec. */
struct paths {
	char **v;
	git_diff_delta *d;
	size_t n, cap, dcap;
};

static void paths_add(struct paths *p, const char *path, const struct gittree_entry *x,
		      const struct gittree_entry *y)
{
	p->v = xgrow(p->v, &p->cap, p->n + 1, sizeof(*p->v));
	p->d = xgrow(p->d, &p->dcap, p->n + 1, sizeof(*p->d));
	p->v[p->n] = xstrdup(path);
	git_diff_delta *dd = memset(&p->d[p->n], 0, sizeof(*p->d));
	dd->status = !x ? GIT_DELTA_ADDED : (!y ? GIT_DELTA_DELETED : GIT_DELTA_MODIFIED);
	dd->old_file.path = dd->new_file.path = p->v[p->n];
	if (x) {
		gittree_entry_id(x, &dd->old_file.id);
		dd->old_file.mode = x->mode;
	}
	if (y) {
		gittree_entry_id(y, &dd->new_file.id);
		dd->new_file.mode = y->mode;
	}
	p->n++;
}

static void paths_add_cb(void *arg, const char *path, const struct gittree_entry *x,
			 const struct gittree_entry *y)
{
	paths_add(arg, path, x, y);
}

static void paths_free(struct paths *p)
{
	for (size_t i = 0; i < p->n; i++)
		free(p->v[i]);
	free(p->v);
	free(p->d);
}

/* A followed name outside the content folder: added to `p` when its blob
 * (id or mode) differs between the trees. */
static int outside_change(struct loader *L, struct gittree a, struct gittree b, const char *path,
			  struct paths *p)
{
	struct gittree_entry ea, eb;
	int ha = gittree_blob(L->trees, a, path, &ea), hb = gittree_blob(L->trees, b, path, &eb);
	if (ha < 0 || hb < 0)
		return -1;
	bool same = (!ha && !hb) ||
		    (ha && hb && ea.mode == eb.mode && !memcmp(ea.id, eb.id, GIT_OID_RAWSZ));
	if (!same)
		paths_add(p, path, ha ? &ea : NULL, hb ? &eb : NULL);
	return 0;
}

/* --- one commit --------------------------------------------------------------- */

/* The per-commit view: trees, the diff of what changed in the content
 * folder, and (only when a followed file appears from nowhere) the diff of
 * what changed outside it, which can show a rename into the folder. */
struct step {
	git_commit *commit;
	struct gittree tree, ptree; /* raw roots (ptree zero for a root commit) */
	git_tree *gtree, *gptree;   /* libgit2's, only for a rename diff */
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
	int err = 0;
	if (!st->gtree)
		err = git_tree_lookup(&st->gtree, L->repo, &st->tree.id);
	if (!err && st->ptree.p && !st->gptree)
		err = git_tree_lookup(&st->gptree, L->repo, &st->ptree.id);
	if (!err)
		err = git_diff_tree_to_tree(out, L->repo, st->gptree, st->gtree, &o);
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
		int err = gittree_changes(L->trees, st->ptree, st->tree, &base, L->h->prefix,
					  paths_add_cb, &p);
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

static void record_chain(struct loader *L, size_t head, struct step *st,
			 const git_diff_delta *dd, char status, const char *path,
			 const char *old_path)
{
	for (size_t f = head; f != NONE; f = L->next[f])
		record(L, f, st->commit, dd, status, path, old_path);
}

/* One delta of the content diff: records it for the files that have its
 * name now, and schedules their switch to the old name at a rename. */
static void apply_delta(struct loader *L, struct step *st, const git_diff_delta *dd,
			struct move **moves, size_t *nmoves, size_t *mcap)
{
	const char *oldp = dd->old_file.path, *newp = dd->new_file.path;
	if (dd->status == GIT_DELTA_RENAMED) {
		/* The old name is deleted, for whoever follows it (git --follow on
		 * that name shows a deletion; the rename is seen from the new). */
		struct slot *os = map_get(&L->names, oldp, false);
		if (os && os->head != NONE)
			record_chain(L, os->head, st, dd, 'D', oldp, NULL);
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
	size_t head = s->head;
	record_chain(L, head, st, dd, status, status == 'D' ? oldp : newp,
		     status == 'R' || status == 'C' ? oldp : NULL);
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
	struct gittree a = st->ptree, b = st->tree;
	int err = 0;
	if (*h->prefix) {
		char *dir = xstrndup(h->prefix, strlen(h->prefix) - 1);
		err = gittree_subtree(L->trees, st->ptree, dir, &a) |
		      gittree_subtree(L->trees, st->tree, dir, &b);
		sb_puts(&base, h->prefix);
		free(dir);
	}
	if (!err)
		err = gittree_changes(L->trees, a, b, &base, NULL, paths_add_cb, p);
	for (size_t i = 0; i < L->nout && !err; i++)
		err = outside_change(L, st->ptree, st->tree, L->outside[i], p);
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
	if (gittree_of_commit(L->trees, c, &st.tree) < 0 ||
	    (git_commit_parentcount(c) == 1 &&
	     (git_commit_parent(&parent, c, 0) < 0 ||
	      gittree_of_commit(L->trees, parent, &st.ptree) < 0)) ||
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
	git_tree_free(st.gptree);
	git_tree_free(st.gtree);
	git_commit_free(parent);
	gittree_age(L->trees);
	return err;
}

/* --- shallow boundaries --------------------------------------------------- */

static int read_shallow(struct loader *L)
{
	char *path = fs_join(git_repository_commondir(L->repo), "shallow");
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
	if (!git_commit_lookup(&c, L->repo, id))
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
	if (git_commit_lookup(&c, L->repo, id) < 0 || git_commit_tree(&tree, c) < 0) {
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
	if (git_revwalk_new(&w, L->repo) < 0)
		return git_fail(L->d, "revwalk", NULL);
	/* GIT_SORT_NONE on purpose: libgit2's unsorted walk queues parents by
	 * committer date exactly as git log's default walk does (so renames are
	 * switched in git's order), and it is lazy, so shallow commits can be
	 * hidden; every sorted mode of libgit2 1.5 reads all parents first. */
	git_revwalk_sorting(w, GIT_SORT_NONE);
	git_revwalk_add_hide_cb(w, hide_shallow, L);
	/* libgit2 1.5 asks the callback about parents only: a shallow HEAD
	 * (git clone --depth 1) is not pushed at all. */
	if (git_reference_name_to_id(&id, L->repo, "HEAD") < 0 ||
	    (!hide_shallow(&id, L) && git_revwalk_push(w, &id) < 0)) {
		err = git_fail(L->d, "revwalk from", "HEAD");
		goto out;
	}
	while (!(err = git_revwalk_next(&id, w))) {
		git_commit *c = NULL;
		if (git_commit_lookup(&c, L->repo, &id) < 0) {
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
		    git_tree_lookup(&sub, L->repo, git_tree_entry_id(e)) < 0)
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

/* The file `name` at the top of the work tree, read only when it is a
 * regular file inside the repository: 0 and *text (owned), or -1 when
 * there is none to read. A pull request may commit it as a link to a file
 * outside (/proc/self/environ, an address book): its bytes would be quoted
 * in warnings or published as authors (issue 11), so that is one warning
 * and the file is not read. */
static int read_top_file(struct loader *L, const char *name, char **text, size_t *len)
{
	char *path = fs_join(git_repository_workdir(L->repo), name);
	char *root = realpath(git_repository_workdir(L->repo), NULL);
	int rc = -1;
	*text = NULL;
	*len = 0;
	if (root && (rc = fs_read_file_within(path, root, text, len)) < 0 && errno == EXDEV)
		diag_warning(L->d, path, 0, 0, "symbolic link leads outside the repository; not read");
	free(root);
	free(path);
	return rc;
}

/* .git-blame-ignore-revs (git's convention: full hashes, '#' comments) and
 * [history] ignore. Bad entries are warnings: they only affect dates. */
static void read_ignored(struct loader *L, size_t *cap)
{
	char *path = fs_join(git_repository_workdir(L->repo), ".git-blame-ignore-revs");
	char *text = NULL;
	size_t len = 0;
	if (!read_top_file(L, ".git-blame-ignore-revs", &text, &len)) {
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
	free(path);
}

/* The .mailmap of the work tree, as git log reads it, and nothing else:
 * not git_mailmap_from_repository, which follows a .mailmap linked
 * outside the repository and also reads the files and blobs named by the
 * mailmap.file and mailmap.blob settings of any git configuration (the
 * user's ~/.gitconfig too), whose names would then be published and would
 * differ from one machine to the next. No .mailmap: L->mailmap stays NULL. */
static int read_mailmap(struct loader *L)
{
	char *text = NULL;
	size_t len = 0;
	int err = 0;
	if (!read_top_file(L, ".mailmap", &text, &len) &&
	    git_mailmap_from_buffer(&L->mailmap, text, len) < 0)
		err = git_fail(L->d, "read", ".mailmap");
	free(text);
	return err;
}

static void opts_ignored(struct loader *L, size_t *cap)
{
	for (size_t i = 0; i < L->opts->nignore; i++) {
		git_object *o = NULL, *c = NULL;
		if (git_revparse_single(&o, L->repo, L->opts->ignore[i]) < 0 ||
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
	int err = git_status_list_new(&list, L->repo, &so);
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
	size_t sx = x->commit->seq, sy = y->commit->seq;
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
		/* The room the walk grew the list by goes back (most files
		 * have one or two changes in lists grown to 8 or more: 8 MB
		 * at 10,000 pages, issue 13) before anything points into it. */
		if (f->n)
			f->changes = xrealloc(f->changes, f->n * sizeof(*f->changes));
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
static int open_repo(struct loader *L, const char *dir, struct diag *d)
{
	struct history *h = L->h;
	int err = git_repository_open_ext(&L->repo, dir, 0, NULL);
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
	const char *wd = git_repository_workdir(L->repo);
	if (!wd || !(h->prefix = content_prefix(wd, dir))) {
		diag_note(d, NULL, 0, 0, "%s is not in a git work tree: building without history", dir);
		return 1;
	}
	err = git_repository_head_unborn(L->repo);
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
	if (git_repository_head(&ref, L->repo) < 0 ||
	    git_commit_lookup(&head, L->repo, git_reference_target(ref)) < 0) {
		err = git_fail(L->d, "read", "HEAD");
		goto out;
	}
	git_oid_tostr(h->head, sizeof h->head, git_commit_id(head));
	if ((err = head_files(L, head)) < 0 || (err = read_shallow(L)) < 0)
		goto out;
	if (git_repository_is_shallow(L->repo) == 1 || L->nshallow)
		diag_warning(L->d, NULL, 0, 0,
			     "shallow clone: history is truncated; fetch full history with git fetch --unshallow");
	read_ignored(L, &icap);
	opts_ignored(L, &icap);
	L->nignored = L->nignored ? oid_sort_unique(L->ignored, L->nignored) : 0;
	if ((err = read_mailmap(L)) < 0)
		goto out;
	if (!(L->trees = gittree_cache_new(L->repo))) {
		err = git_fail(L->d, "open the object database of", git_repository_path(L->repo));
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
		 struct history **out, struct history_repo **repo, struct diag *d)
{
	static const struct history_options defaults = { 0 };
	struct history *h = xcalloc(1, sizeof(*h));
	struct loader L = { .h = h, .opts = opts ? opts : &defaults, .d = d };
	git_libgit2_init();
	/* The walk only reads: libgit2 would hash every object it inflates
	 * again to check its id (half the walk's time on a folder of 8,000
	 * files); git log does not either. */
	git_libgit2_opts(GIT_OPT_ENABLE_STRICT_HASH_VERIFICATION, 0);
	git_libgit2_opts(GIT_OPT_ENABLE_STRICT_OBJECT_CREATION, 0);
	/* On 64-bit systems libgit2 maps a pack in windows of 1 GB, up to 8 GB
	 * at once, and every page of them that was read stays resident until
	 * the repository is closed: the whole pack, 50 MB of the peak at
	 * 10,000 pages. Windows of 8 MB, at most 32 MB mapped (the least
	 * recently used unmapped first), bound that whatever the pack's size,
	 * for the same time (issue 13: peak 460-466 -> 437-449 MB). */
	git_libgit2_opts(GIT_OPT_SET_MWINDOW_SIZE, (size_t)8 << 20);
	git_libgit2_opts(GIT_OPT_SET_MWINDOW_MAPPED_LIMIT, (size_t)32 << 20);
	*out = NULL;
	if (repo)
		*repo = NULL;
	int err = open_repo(&L, dir, d);
	if (err == 0)
		err = load(&L);
	h->available = err == 0;
	if (err == 0 && repo) {
		*repo = xcalloc(1, sizeof(**repo));
		(*repo)->repo = L.repo;
	} else {
		git_repository_free(L.repo);
		git_libgit2_shutdown();
	}
	if (err == 1)
		err = 0;
	map_free(&L.names);
	gittree_cache_free(L.trees);
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

/* --- blobs, by id ---------------------------------------------------------------- */

/* The blob `hex` (a change's blob id; "" reads as empty). */
static int blob_read(git_repository *repo, const char *hex, char **out, size_t *n)
{
	git_oid id;
	git_blob *b = NULL;
	*out = NULL;
	*n = 0;
	if (!*hex) {
		*out = xstrdup("");
		return 0;
	}
	if (git_oid_fromstr(&id, hex) < 0 || git_blob_lookup(&b, repo, &id) < 0)
		return -1;
	*n = (size_t)git_blob_rawsize(b);
	*out = xmalloc(*n + 1);
	if (*n)
		memcpy(*out, git_blob_rawcontent(b), *n);
	(*out)[*n] = '\0';
	git_blob_free(b);
	return 0;
}

int history_blob(const struct history_repo *r, const char *hex, const char *path, char **out,
		 size_t *n, struct diag *d)
{
	*out = NULL;
	*n = 0;
	if (!r || blob_read(r->repo, hex, out, n) < 0)
		return git_fail(d, "read blob", path);
	return 0;
}

int history_blob_from_file(const char *path, const char *hex, char **out, size_t *n)
{
	git_oid want, got;
	struct stat st;
	*out = NULL;
	*n = 0;
	if (strlen(hex) != GIT_OID_HEXSZ || git_oid_fromstr(&want, hex) < 0)
		return -1;
	int fd = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0)
		return -1;
	char *buf = NULL;
	size_t len = 0;
	int rc = -1;
	if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size <= (off_t)64 << 20) {
		size_t want_len = (size_t)st.st_size;
		buf = xmalloc(want_len + 1);
		while (len < want_len) {
			ssize_t k = read(fd, buf + len, want_len - len);
			if (k <= 0)
				break;
			len += (size_t)k;
		}
		buf[len] = '\0';
		if (len == want_len && git_odb_hash(&got, buf, len, GIT_OBJECT_BLOB) == 0 &&
		    git_oid_equal(&got, &want))
			rc = 0;
	}
	close(fd);
	if (rc < 0) {
		free(buf);
		return -1;
	}
	*out = buf;
	*n = len;
	return 0;
}

struct history_repo *history_repo_open(const char *dir, struct diag *d)
{
	git_repository *repo = NULL;
	git_libgit2_init();
	if (git_repository_open_ext(&repo, dir, 0, NULL) < 0) {
		git_fail(d, "open the repository of", dir);
		git_libgit2_shutdown();
		return NULL;
	}
	struct history_repo *r = xcalloc(1, sizeof(*r));
	r->repo = repo;
	return r;
}

int history_refresh(struct history *h, const char *dir, const char *const *paths, size_t n,
		    struct diag *d)
{
	if (!h || !h->available)
		return 1;
	git_repository *repo = NULL;
	git_oid head;
	char hex[GIT_OID_HEXSZ + 1];
	struct strbuf full = STRBUF_INIT;
	int rc = 1;
	git_libgit2_init();
	if (git_repository_open_ext(&repo, dir, 0, NULL) < 0 ||
	    git_reference_name_to_id(&head, repo, "HEAD") < 0) {
		rc = git_fail(d, "read", "HEAD");
		goto out;
	}
	if (strcmp(git_oid_tostr(hex, sizeof hex, &head), h->head)) {
		rc = 0;
		goto out;
	}
	for (size_t i = 0; i < n; i++) {
		struct history_file *f = find_mut(h, paths[i]);
		unsigned int flags = 0;
		if (!f)
			continue;
		sb_clear(&full);
		sb_printf(&full, "%s%s", h->prefix, paths[i]);
		/* GIT_ENOTFOUND: in neither HEAD, the index nor the work tree. */
		int err = git_status_file(&flags, repo, full.ptr);
		if (err < 0 && err != GIT_ENOTFOUND) {
			rc = git_fail(d, "read the status of", full.ptr);
			goto out;
		}
		f->uncommitted = err == 0 && flags != GIT_STATUS_CURRENT && !(flags & GIT_STATUS_IGNORED);
	}
out:
	git_repository_free(repo);
	git_libgit2_shutdown();
	sb_free(&full);
	return rc;
}

int history_blobs(const struct history_repo *r, const struct history_change *c, char **old,
		  size_t *oldn, char **new_, size_t *newn, struct diag *d)
{
	*old = *new_ = NULL;
	*oldn = *newn = 0;
	if (!r || blob_read(r->repo, c->blob, new_, newn) < 0 ||
	    blob_read(r->repo, c->old_blob, old, oldn) < 0) {
		git_fail(d, "read blob", c->path);
		free(*new_);
		free(*old);
		*new_ = xstrdup("");
		*old = xstrdup("");
		*oldn = *newn = 0;
		return -1;
	}
	return 0;
}

void history_repo_free(struct history_repo *r)
{
	if (!r)
		return;
	git_repository_free(r->repo);
	free(r);
	git_libgit2_shutdown();
}
