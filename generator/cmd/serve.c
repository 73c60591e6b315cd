#include "serve.h"

#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/inotify.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <microhttpd.h>

#include "clock.h"
#include "fsutil.h"
#include "strbuf.h"
#include "xalloc.h"

#define TEXT_PLAIN "text/plain; charset=utf-8"
#define TEXT_HTML "text/html; charset=utf-8"
#define STATUS_URL "/__dossier/status"
#define LIVE_JS_URL "/__dossier/live.js"
/* Quiet time that ends a burst of file events, and the longest a steady
 * stream of events may delay a rebuild. */
#define DEBOUNCE_MS 50
#define SETTLE_MAX_MS 1000
/* Quiet time before a build's deferred work (*again) starts, so edits in
 * quick succession are not slowed by it. */
#define CATCH_UP_MS 1000
/* Connection bounds (see server_start). */
#define SERVE_PER_CLIENT 32
#define SERVE_MAX_CONNECTIONS 512
#define SERVE_IDLE_SECONDS 10
#define SERVE_THREADS 4

/* ---- pure helpers ----------------------------------------------------- */

static int hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Percent-decodes `url`; refuses bad escapes, control bytes (NUL too) and
 * backslashes, whether literal or escaped. */
static int decode_path(const char *url, struct strbuf *out)
{
	for (const char *p = url; *p; p++) {
		int c = (unsigned char)*p;
		if (c == '%') {
			int hi = hexval((unsigned char)p[1]);
			int lo = hi < 0 ? -1 : hexval((unsigned char)p[2]);
			if (lo < 0)
				return -1;
			c = hi * 16 + lo;
			p += 2;
		}
		if (c < 0x20 || c == 0x7f || c == '\\')
			return -1;
		sb_putc(out, c);
	}
	return 0;
}

int serve_path_from_url(const char *url, char **rel, bool *dir_slash)
{
	struct strbuf dec = STRBUF_INIT, res = STRBUF_INIT;
	*rel = NULL;
	*dir_slash = false;
	/* Segments are split after decoding, so "..%2f" is a ".." segment. */
	if (url[0] != '/' || decode_path(url, &dec) < 0)
		goto fail;
	for (const char *p = dec.ptr; *p;) {
		size_t n = strcspn(p, "/");
		bool dots = (n == 1 && p[0] == '.') ||
			    (n == 2 && p[0] == '.' && p[1] == '.');
		if (dots)
			goto fail;
		if (n > 0) {
			if (res.size)
				sb_putc(&res, '/');
			sb_put(&res, p, n);
		}
		p += n + (p[n] == '/');
	}
	*dir_slash = dec.ptr[dec.size - 1] == '/';
	sb_free(&dec);
	*rel = sb_detach(&res);
	return 0;
fail:
	sb_free(&dec);
	sb_free(&res);
	return -1;
}

static const struct {
	const char *ext, *type;
} mime_types[] = {
	{ ".html", TEXT_HTML },
	{ ".htm", TEXT_HTML },
	{ ".css", "text/css; charset=utf-8" },
	{ ".js", "text/javascript; charset=utf-8" },
	{ ".mjs", "text/javascript; charset=utf-8" },
	{ ".json", "application/json" },
	{ ".map", "application/json" },
	{ ".webmanifest", "application/manifest+json" },
	{ ".xml", "application/xml" },
	{ ".atom", "application/atom+xml" },
	{ ".rss", "application/rss+xml" },
	{ ".svg", "image/svg+xml" },
	{ ".png", "image/png" },
	{ ".jpg", "image/jpeg" },
	{ ".jpeg", "image/jpeg" },
	{ ".gif", "image/gif" },
	{ ".webp", "image/webp" },
	{ ".avif", "image/avif" },
	{ ".ico", "image/x-icon" },
	{ ".txt", TEXT_PLAIN },
	{ ".md", "text/markdown; charset=utf-8" },
	{ ".woff", "font/woff" },
	{ ".woff2", "font/woff2" },
	{ ".pdf", "application/pdf" },
};

const char *serve_mime_type(const char *path)
{
	const char *ext = fs_extension(path);
	for (size_t i = 0; i < sizeof(mime_types) / sizeof(mime_types[0]); i++)
		if (!strcasecmp(ext, mime_types[i].ext))
			return mime_types[i].type;
	return "application/octet-stream";
}

static bool is_html(const char *path)
{
	return !strcmp(serve_mime_type(path), TEXT_HTML);
}

char *serve_inject_script(const char *html, size_t len, unsigned long build,
			  size_t *outlen)
{
	struct strbuf sb = STRBUF_INIT;
	size_t at = len;
	for (size_t i = 0; i + 6 <= len; i++)
		if (html[i] == '<' && !strncasecmp(html + i, "</body", 6))
			at = i;
	sb_put(&sb, html, at);
	sb_printf(&sb, "<script src=\"%s\" data-build=\"%lu\"></script>",
		  LIVE_JS_URL, build);
	sb_put(&sb, html + at, len - at);
	*outlen = sb.size;
	return sb_detach(&sb);
}

static void json_string(struct strbuf *sb, const char *s, size_t n)
{
	sb_putc(sb, '"');
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c == '"' || c == '\\')
			sb_printf(sb, "\\%c", c);
		else if (c < 0x20 || c == 0x7f)
			sb_printf(sb, "\\u%04x", c);
		else
			sb_putc(sb, c);
	}
	sb_putc(sb, '"');
}

char *serve_status_json(unsigned long build, bool ok, const char *errors)
{
	struct strbuf sb = STRBUF_INIT;
	bool first = true;
	sb_printf(&sb, "{\"build\":%lu,\"ok\":%s,\"errors\":[", build,
		  ok ? "true" : "false");
	for (const char *p = errors ? errors : ""; *p;) {
		size_t n = strcspn(p, "\n");
		if (n > 0) {
			if (!first)
				sb_putc(&sb, ',');
			json_string(&sb, p, n);
			first = false;
		}
		p += n + (p[n] == '\n');
	}
	sb_puts(&sb, "]}");
	return sb_detach(&sb);
}

char *serve_diag_text(struct diag *d)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);
	if (!f)
		return xstrdup("dossier: error: out of memory\n");
	diag_print(d, f);
	if (fclose(f) != 0 || !text) {
		free(text);
		return xstrdup("dossier: error: cannot format diagnostics\n");
	}
	return text;
}

void serve_options_init(struct serve_options *o)
{
	static const char *const watch[] = { "content", "themes", "site.toml" };
	*o = (struct serve_options){
		.bind = "127.0.0.1",
		.port = SERVE_DEFAULT_PORT,
		.out_dir = "public",
		.watch = watch,
		.nwatch = sizeof(watch) / sizeof(watch[0]),
	};
}

/* Served as /__dossier/live.js and loaded by every served HTML page. It
 * builds the overlay with textContent, so messages are never parsed as
 * HTML, and it keeps polling while the server is down (restarts). */
const char serve_live_js[] =
	"(function () {\n"
	"  \"use strict\";\n"
	"  var me = document.currentScript;\n"
	"  var seen = me ? Number(me.getAttribute(\"data-build\")) : -1;\n"
	"  var box = null, dismissed = -1;\n"
	"  function el(tag, css, text) {\n"
	"    var e = document.createElement(tag);\n"
	"    // The page's own styles must not reach in (a theme's <pre>\n"
	"    // background made pink on beige): every box paints its own.\n"
	"    e.style.cssText = \"all:revert;box-sizing:border-box;\" +\n"
	"      \"background:#181818;border:0;box-shadow:none;\" + css;\n"
	"    if (text) e.textContent = text;\n"
	"    return e;\n"
	"  }\n"
	"  function hide() { if (box) { box.remove(); box = null; } }\n"
	"  function show(s) {\n"
	"    if (s.build === dismissed) return;\n"
	"    hide();\n"
	"    box = el(\"div\", \"position:fixed;top:0;left:0;right:0;bottom:0;\""
	" +\n"
	"      \"z-index:2147483647;overflow:auto;padding:2em;margin:0;\" +\n"
	"      \"display:block;color-scheme:dark;color:#f4f4f4;\" +\n"
	"      \"font:14px/1.5 ui-monospace,Menlo,Consolas,monospace\");\n"
	"    box.id = \"dossier-build-errors\";\n"
	"    box.setAttribute(\"role\", \"alert\");\n"
	"    box.appendChild(el(\"div\", \"font-size:1.4em;font-weight:bold\",\n"
	"      \"dossier: build \" + s.build + \" failed\"));\n"
	"    box.appendChild(el(\"div\", \"margin:.5em 0 1em;color:#bbb\",\n"
	"      \"The last good build is still served. This page reloads \" +\n"
	"      \"when a build succeeds.\"));\n"
	"    box.appendChild(el(\"pre\", \"white-space:pre-wrap;color:#ffb3b3;\""
	" +\n"
	"      \"margin:0;font:inherit\", s.errors.join(\"\\n\")));\n"
	"    var b = el(\"button\", \"margin-top:1.5em;font:inherit;\" +\n"
	"      \"padding:.3em 1em;background:#f4f4f4;color:#181818;\" +\n"
	"      \"border:1px solid #f4f4f4;border-radius:3px;cursor:pointer\", \"Dismiss\");\n"
	"    b.type = \"button\";\n"
	"    b.addEventListener(\"click\", function () {\n"
	"      dismissed = s.build;\n"
	"      hide();\n"
	"    });\n"
	"    box.appendChild(b);\n"
	"    (document.body || document.documentElement).appendChild(box);\n"
	"  }\n"
	"  function tick() {\n"
	"    fetch(\"" STATUS_URL "\", { cache: \"no-store\" })\n"
	"      .then(function (r) { return r.json(); })\n"
	"      .then(function (s) {\n"
	"        if (s.ok && s.build !== seen) { location.reload(); return; }\n"
	"        if (s.ok) hide(); else if (!box) show(s);\n"
	"        setTimeout(tick, 1000);\n"
	"      }, function () { setTimeout(tick, 2000); });\n"
	"  }\n"
	"  tick();\n"
	"})();\n";

/* ---- HTTP ------------------------------------------------------------- */

struct server {
	const char *out_dir;
	struct MHD_Daemon *mhd;
	char host[NI_MAXHOST]; /* the bound address, numeric */
	unsigned port;         /* the bound port */
	pthread_mutex_t lock;  /* guards the fields below */
	unsigned long build;   /* number of the last finished build */
	bool building;         /* a build is running (its swap may be under way) */
	bool ok;
	char *errors; /* the last build's messages when it failed */
};

static bool server_building(struct server *s)
{
	pthread_mutex_lock(&s->lock);
	bool b = s->building;
	pthread_mutex_unlock(&s->lock);
	return b;
}

static unsigned long server_build_number(struct server *s)
{
	pthread_mutex_lock(&s->lock);
	unsigned long n = s->build;
	pthread_mutex_unlock(&s->lock);
	return n;
}

static enum MHD_Result queue(struct MHD_Connection *c, unsigned code,
			     struct MHD_Response *r, const char *type)
{
	if (!r)
		return MHD_NO;
	if (type)
		MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, type);
	MHD_add_response_header(r, MHD_HTTP_HEADER_CACHE_CONTROL, "no-cache");
	MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
	enum MHD_Result ret = MHD_queue_response(c, code, r);
	MHD_destroy_response(r);
	return ret;
}

static enum MHD_Result reply_static(struct MHD_Connection *c, unsigned code,
				    const char *text, const char *type)
{
	struct MHD_Response *r = MHD_create_response_from_buffer(
		strlen(text), (void *)text, MHD_RESPMEM_PERSISTENT);
	return queue(c, code, r, type);
}

static enum MHD_Result reply_owned(struct MHD_Connection *c, unsigned code,
				   char *buf, size_t len, const char *type)
{
	struct MHD_Response *r =
		MHD_create_response_from_buffer(len, buf, MHD_RESPMEM_MUST_FREE);
	if (!r)
		free(buf);
	return queue(c, code, r, type);
}

static enum MHD_Result reply_status(struct server *s, struct MHD_Connection *c)
{
	pthread_mutex_lock(&s->lock);
	char *json = serve_status_json(s->build, s->ok, s->errors);
	pthread_mutex_unlock(&s->lock);
	return reply_owned(c, MHD_HTTP_OK, json, strlen(json),
			   "application/json");
}

/* Opens `rel` beneath the folder `root` one component at a time, with
 * O_NOFOLLOW: a symbolic link anywhere in the path is refused (ELOOP), so
 * nothing outside the folder can be reached (the build writes no links).
 * O_NONBLOCK: a FIFO must not hang the server; the caller serves regular
 * files only. */
static int open_beneath(int root, const char *rel, struct stat *st)
{
	int dir = dup(root), fd = -1, err = errno;
	char *copy = xstrdup(rel), *save = NULL;
	char *part = strtok_r(copy, "/", &save);
	if (!part) {
		fd = dir;
		dir = -1;
	}
	while (part && dir >= 0) {
		char *next = strtok_r(NULL, "/", &save);
		int flags = O_RDONLY | O_NOFOLLOW | O_CLOEXEC | (next ? O_DIRECTORY : O_NONBLOCK);
		int f = openat(dir, part, flags);
		err = errno;
		close(dir);
		dir = -1;
		if (f < 0)
			break;
		if (next)
			dir = f;
		else
			fd = f;
		part = next;
	}
	if (dir >= 0)
		close(dir);
	if (fd >= 0 && fstat(fd, st) < 0) {
		err = errno;
		close(fd);
		fd = -1;
	}
	free(copy);
	errno = err;
	return fd;
}

/* Whether the folder open as `root` is no longer the one named `path`: a
 * build swapped a new output in while a request was being answered. */
static bool swapped(int root, const char *path)
{
	struct stat a, b;
	return fstat(root, &a) < 0 || stat(path, &b) < 0 || a.st_dev != b.st_dev ||
	       a.st_ino != b.st_ino;
}

/* Opens out_dir/rel in the output folder as it is now. A rebuild swaps a
 * new folder in and removes the old one (issue 11: pages that exist must
 * never be 404 during a rebuild): a lookup that failed in a folder since
 * swapped out, or while no folder had the name during a build (between two
 * renames), is tried again in the new one, a bounded number of times. */
static int open_inside(struct server *s, const char *rel, struct stat *st)
{
	const struct timespec pause = { 0, 10 * 1000 * 1000 };
	const char *out_dir = s->out_dir;
	for (int tries = 0;; tries++) {
		int root = open(out_dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (root < 0) {
			if (errno == ENOENT && tries < 200 && server_building(s)) {
				nanosleep(&pause, NULL);
				continue;
			}
			return -1;
		}
		int fd = open_beneath(root, rel, st);
		int err = errno;
		bool again = fd < 0 && (err == ENOENT || err == ENOTDIR) && tries < 200 &&
			     swapped(root, out_dir);
		close(root);
		if (!again) {
			errno = err;
			return fd;
		}
	}
}

static int read_fd(int fd, size_t size, char **out, size_t *len)
{
	struct strbuf sb = STRBUF_INIT;
	sb_grow(&sb, size + 1);
	for (;;) {
		sb_grow(&sb, 4096);
		ssize_t n = read(fd, sb.ptr + sb.size, sb.asize - sb.size - 1);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			sb_free(&sb);
			return -1;
		}
		if (n == 0)
			break;
		sb.size += (size_t)n;
		sb.ptr[sb.size] = '\0';
	}
	*len = sb.size;
	*out = sb_detach(&sb);
	return 0;
}

static enum MHD_Result reply_html(struct server *s, struct MHD_Connection *c,
				  unsigned code, int fd, const struct stat *st)
{
	char *html = NULL, *out;
	size_t len, outlen;
	int rc = read_fd(fd, (size_t)st->st_size, &html, &len);
	close(fd);
	if (rc < 0)
		return reply_static(c, MHD_HTTP_INTERNAL_SERVER_ERROR,
				    "cannot read the file\n", TEXT_PLAIN);
	out = serve_inject_script(html, len, server_build_number(s), &outlen);
	free(html);
	return reply_owned(c, code, out, outlen, TEXT_HTML);
}

static const char not_found_html[] =
	"<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
	"<title>Not found</title></head>\n<body><h1>Not found</h1>\n"
	"<p><a href=\"/\">Home</a></p>\n</body></html>\n";

/* The site's own 404.html when it has one, else a minimal page; both
 * carry the reload script, so a failed first build still shows its
 * errors. */
static enum MHD_Result reply_not_found(struct server *s,
				       struct MHD_Connection *c)
{
	struct stat st;
	int fd = open_inside(s, "404.html", &st);
	if (fd >= 0 && S_ISREG(st.st_mode))
		return reply_html(s, c, MHD_HTTP_NOT_FOUND, fd, &st);
	if (fd >= 0)
		close(fd);
	size_t outlen;
	char *out = serve_inject_script(not_found_html,
					sizeof(not_found_html) - 1,
					server_build_number(s), &outlen);
	return reply_owned(c, MHD_HTTP_NOT_FOUND, out, outlen, TEXT_HTML);
}

static enum MHD_Result reply_redirect(struct MHD_Connection *c,
				      const char *rel)
{
	static const char keep[] = "-._~/";
	struct strbuf loc = STRBUF_INIT;
	sb_putc(&loc, '/');
	for (const char *p = rel; *p; p++) {
		unsigned char ch = (unsigned char)*p;
		bool alnum = (ch >= 'a' && ch <= 'z') ||
			     (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9');
		if (alnum || (ch && strchr(keep, ch)))
			sb_putc(&loc, ch);
		else
			sb_printf(&loc, "%%%02X", ch);
	}
	sb_putc(&loc, '/');
	struct MHD_Response *r =
		MHD_create_response_from_buffer(0, NULL, MHD_RESPMEM_PERSISTENT);
	if (r)
		MHD_add_response_header(r, MHD_HTTP_HEADER_LOCATION, loc.ptr);
	sb_free(&loc);
	return queue(c, MHD_HTTP_MOVED_PERMANENTLY, r, NULL);
}

static enum MHD_Result reply_error(struct server *s, struct MHD_Connection *c,
				   int err)
{
	if (err == EACCES || err == EPERM || err == ELOOP)
		return reply_static(c, MHD_HTTP_FORBIDDEN, "forbidden\n",
				    TEXT_PLAIN);
	return reply_not_found(s, c);
}

/* A folder: "dir" redirects to "dir/" (relative links need the slash),
 * "dir/" serves dir/index.html; never a listing. */
static enum MHD_Result reply_dir(struct server *s, struct MHD_Connection *c,
				 const char *rel, bool dir_slash)
{
	struct stat st;
	char *index = rel[0] ? fs_join(rel, "index.html") : xstrdup("index.html");
	int fd = open_inside(s, index, &st);
	int err = errno;
	free(index);
	if (fd >= 0 && !S_ISREG(st.st_mode)) {
		close(fd);
		return reply_not_found(s, c);
	}
	if (fd < 0)
		return reply_error(s, c, err);
	if (!dir_slash && rel[0]) {
		close(fd);
		return reply_redirect(c, rel);
	}
	return reply_html(s, c, MHD_HTTP_OK, fd, &st);
}

static enum MHD_Result reply_file(struct server *s, struct MHD_Connection *c,
				  const char *url)
{
	char *rel = NULL;
	bool dir_slash;
	struct stat st;
	if (serve_path_from_url(url, &rel, &dir_slash) < 0)
		return reply_static(c, MHD_HTTP_FORBIDDEN, "forbidden\n",
				    TEXT_PLAIN);
	int fd = open_inside(s, rel, &st);
	int err = errno;
	enum MHD_Result ret;
	if (fd < 0) {
		ret = reply_error(s, c, err);
	} else if (S_ISDIR(st.st_mode)) {
		close(fd);
		ret = reply_dir(s, c, rel, dir_slash);
	} else if (dir_slash) {
		/* "page.html/" names a folder and a file is none: 404, as a
		 * static host answers. Served as the page, its relative links
		 * would resolve one folder too deep. */
		close(fd);
		ret = reply_not_found(s, c);
	} else if (!S_ISREG(st.st_mode)) {
		close(fd);
		ret = reply_static(c, MHD_HTTP_FORBIDDEN, "forbidden\n",
				   TEXT_PLAIN);
	} else if (is_html(rel)) {
		ret = reply_html(s, c, MHD_HTTP_OK, fd, &st);
	} else {
		struct MHD_Response *r =
			MHD_create_response_from_fd((size_t)st.st_size, fd);
		if (!r)
			close(fd);
		ret = queue(c, MHD_HTTP_OK, r, serve_mime_type(rel));
	}
	free(rel);
	return ret;
}

/* Splits "host[:port]" or "[v6]:port"; false when malformed. */
static bool split_host(const char *h, struct strbuf *name, long *port)
{
	const char *end;
	if (h[0] == '[') {
		end = strchr(h, ']');
		if (!end)
			return false;
		sb_put(name, h + 1, (size_t)(end - h - 1));
		end++;
	} else {
		end = strchr(h, ':');
		if (!end)
			end = h + strlen(h);
		sb_put(name, h, (size_t)(end - h));
	}
	*port = -1;
	if (*end == ':') {
		char *stop;
		if (!end[1])
			return false;
		*port = strtol(end + 1, &stop, 10);
		if (*stop || *port <= 0 || *port > 65535)
			return false;
	} else if (*end) {
		return false;
	}
	return name->size > 0;
}

static bool is_ip_literal(const char *name)
{
	struct addrinfo hints = { .ai_flags = AI_NUMERICHOST }, *ai = NULL;
	if (getaddrinfo(name, NULL, &hints, &ai) != 0)
		return false;
	freeaddrinfo(ai);
	return true;
}

bool serve_host_allowed(const char *host, const char *bound, unsigned port)
{
	struct strbuf name = STRBUF_INIT;
	long p = -1;
	bool ok = host && split_host(host, &name, &p) &&
		  (p == (long)port || (p < 0 && port == 80));
	if (ok) {
		bool wildcard = !strcmp(bound, "0.0.0.0") || !strcmp(bound, "::");
		/* A name other than localhost is what DNS rebinding uses; an
		 * address literal cannot be rebound. */
		ok = !strcasecmp(name.ptr, "localhost") || !strcasecmp(name.ptr, bound) ||
		     (wildcard && is_ip_literal(name.ptr));
	}
	sb_free(&name);
	return ok;
}

static enum MHD_Result reply_bad_host(struct server *s, struct MHD_Connection *c)
{
	struct strbuf sb = STRBUF_INIT;
	sb_printf(&sb, "421 misdirected request: this server answers only to "
		       "Host %s%s%s:%u or localhost:%u\n",
		  strchr(s->host, ':') ? "[" : "", s->host, strchr(s->host, ':') ? "]" : "",
		  s->port, s->port);
	size_t n = sb.size;
	return reply_owned(c, MHD_HTTP_MISDIRECTED_REQUEST, sb_detach(&sb), n, TEXT_PLAIN);
}

static enum MHD_Result handle(void *cls, struct MHD_Connection *c,
			      const char *url, const char *method,
			      const char *version, const char *upload_data,
			      size_t *upload_size, void **con_cls)
{
	struct server *s = cls;
	(void)version;
	(void)upload_data;
	(void)upload_size;
	(void)con_cls;
	/* DNS rebinding: a web page whose name now resolves to 127.0.0.1
	 * sends its own name as Host; only ours is answered (issue 11). */
	if (!serve_host_allowed(MHD_lookup_connection_value(c, MHD_HEADER_KIND,
							    MHD_HTTP_HEADER_HOST),
				s->host, s->port))
		return reply_bad_host(s, c);
	if (strcmp(method, MHD_HTTP_METHOD_GET) &&
	    strcmp(method, MHD_HTTP_METHOD_HEAD))
		return reply_static(c, MHD_HTTP_METHOD_NOT_ALLOWED,
				    "method not allowed\n", TEXT_PLAIN);
	if (!strcmp(url, STATUS_URL))
		return reply_status(s, c);
	if (!strcmp(url, LIVE_JS_URL))
		return reply_static(c, MHD_HTTP_OK, serve_live_js,
				    "text/javascript; charset=utf-8");
	return reply_file(s, c, url);
}

/* MHD would percent-decode the path before the handler sees it; we decode
 * it ourselves, once, in serve_path_from_url. */
static size_t unescape_none(void *cls, struct MHD_Connection *c, char *s)
{
	(void)cls;
	(void)c;
	return strlen(s);
}

static bool addr_is_loopback(const struct sockaddr *sa)
{
	if (sa->sa_family == AF_INET) {
		const struct sockaddr_in *in = (const struct sockaddr_in *)sa;
		return (ntohl(in->sin_addr.s_addr) >> 24) == 127;
	}
	if (sa->sa_family == AF_INET6) {
		const struct sockaddr_in6 *in6 = (const struct sockaddr_in6 *)sa;
		return IN6_IS_ADDR_LOOPBACK(&in6->sin6_addr);
	}
	return false;
}

/* serve --open: $BROWSER (the convention of xdg-utils and git), else
 * xdg-open, started in the background; the server does not wait for it. */
static void open_browser(const char *url)
{
	const char *browser = getenv("BROWSER");
	const char *cmd = browser && *browser ? browser : "xdg-open";
	pid_t pid = fork();
	if (pid == 0) {
		if (fork() == 0) {
			execlp(cmd, cmd, url, (char *)NULL);
			fprintf(stderr, "dossier: warning: cannot start %s to open %s: %s\n", cmd, url,
				strerror(errno));
			_exit(127);
		}
		_exit(0);
	}
	if (pid > 0)
		waitpid(pid, NULL, 0);
}

static void print_serving(const struct addrinfo *ai, const char *host,
			  unsigned port, bool open)
{
	if (!addr_is_loopback(ai->ai_addr))
		fprintf(stderr, "dossier: warning: %s is not a loopback "
				"address: other machines can read this site\n",
			host);
	char url[300];
	snprintf(url, sizeof url, ai->ai_family == AF_INET6 ? "http://[%s]:%u/" : "http://%s:%u/", host, port);
	printf("serving %s (Ctrl-C to stop)\n", url);
	fflush(stdout);
	if (open)
		open_browser(url);
}

static int server_start(struct server *s, const struct serve_options *o,
			struct diag *d)
{
	const char *bind = o->bind ? o->bind : "127.0.0.1";
	struct addrinfo hints = { .ai_socktype = SOCK_STREAM,
				  .ai_flags = AI_PASSIVE | AI_NUMERICSERV };
	struct addrinfo *ai = NULL;
	char port[16];
	snprintf(port, sizeof(port), "%d", o->port);
	int rc = getaddrinfo(bind, port, &hints, &ai);
	if (rc != 0) {
		diag_error(d, NULL, 0, 0, "cannot use bind address '%s': %s",
			   bind, gai_strerror(rc));
		return -1;
	}
	unsigned flags = MHD_USE_AUTO_INTERNAL_THREAD | MHD_USE_ERROR_LOG;
	if (ai->ai_family == AF_INET6)
		flags |= MHD_USE_IPv6;
	if (getnameinfo(ai->ai_addr, ai->ai_addrlen, s->host, sizeof(s->host),
			NULL, 0, NI_NUMERICHOST) != 0)
		snprintf(s->host, sizeof(s->host), "%s", bind);
	errno = 0;
	/* Slow or many clients must not starve the others (issue 11): each
	 * address holds at most SERVE_PER_CLIENT connections, all of them
	 * at most SERVE_MAX_CONNECTIONS, an idle one is closed after
	 * SERVE_IDLE_SECONDS, and a small pool of threads answers. */
	s->mhd = MHD_start_daemon(
		flags, (uint16_t)o->port, NULL, NULL, handle, s,
		MHD_OPTION_SOCK_ADDR, ai->ai_addr, MHD_OPTION_UNESCAPE_CALLBACK,
		unescape_none, NULL, MHD_OPTION_CONNECTION_TIMEOUT,
		(unsigned)SERVE_IDLE_SECONDS, MHD_OPTION_PER_IP_CONNECTION_LIMIT,
		(unsigned)SERVE_PER_CLIENT, MHD_OPTION_CONNECTION_LIMIT,
		(unsigned)SERVE_MAX_CONNECTIONS, MHD_OPTION_THREAD_POOL_SIZE,
		(unsigned)SERVE_THREADS, MHD_OPTION_END);
	if (!s->mhd) {
		diag_error(d, NULL, 0, 0, "cannot listen on %s port %d: %s",
			   bind, o->port,
			   errno ? strerror(errno) : "address in use?");
		freeaddrinfo(ai);
		return -1;
	}
	const union MHD_DaemonInfo *info =
		MHD_get_daemon_info(s->mhd, MHD_DAEMON_INFO_BIND_PORT);
	s->port = info ? info->port : (unsigned)o->port;
	print_serving(ai, s->host, s->port, o->open);
	freeaddrinfo(ai);
	return 0;
}

/* ---- watching --------------------------------------------------------- */

enum { WATCH_CHANGED = 1,
       WATCH_REWATCH = 2 };

#define WATCH_MASK                                                        \
	(IN_CLOSE_WRITE | IN_MODIFY | IN_ATTRIB | IN_CREATE | IN_DELETE | \
	 IN_MOVED_FROM | IN_MOVED_TO | IN_DELETE_SELF | IN_MOVE_SELF |    \
	 IN_ONLYDIR)
#define WATCH_STRUCTURAL (IN_CREATE | IN_DELETE | IN_MOVED_FROM | IN_MOVED_TO)

/* A watched root (content/, site.toml) is seen through its parent folder,
 * filtered by name: editors replace files by rename, and a folder may
 * appear after the server started. */
struct watch_root {
	const char *path;
	char *parent, *base;
	int parent_wd;
};

struct watch_dir {
	int wd; /* -1 once the kernel dropped the watch */
	char *path;
};

struct watcher {
	int fd;
	struct watch_root *roots;
	size_t nroots;
	struct watch_dir *dirs; /* folders inside the roots */
	size_t ndirs, cap;
	bool warned;
	char **changed; /* paths seen since the last build */
	size_t nchanged, capchanged;
	bool lost; /* some change may not be in `changed` */
	int flags; /* read by watch_pending, not yet acted on */
};

static void watch_note(struct watcher *w, const char *dir, const char *name)
{
	char *path = *name ? fs_join(dir, name) : xstrdup(dir);
	for (size_t i = 0; i < w->nchanged; i++)
		if (!strcmp(w->changed[i], path)) {
			free(path);
			return;
		}
	w->changed = xgrow(w->changed, &w->capchanged, w->nchanged + 1, sizeof(*w->changed));
	w->changed[w->nchanged++] = path;
}

static void watch_forget_changes(struct watcher *w)
{
	for (size_t i = 0; i < w->nchanged; i++)
		free(w->changed[i]);
	w->nchanged = 0;
	w->lost = false;
}

static void watch_warn(struct watcher *w, const char *path)
{
	if (w->warned || errno == ENOENT || errno == ENOTDIR)
		return;
	w->warned = true;
	/* Through diag, which escapes the name: one line, whatever it holds. */
	struct diag d;
	diag_init(&d);
	diag_warning(&d, NULL, 0, 0, "cannot watch '%s': %s%s", path,
		     strerror(errno),
		     errno == ENOSPC ? " (raise fs.inotify.max_user_watches)"
				     : "");
	diag_print(&d, stderr);
	diag_free(&d);
}

static void watch_tree(struct watcher *w, const char *path)
{
	int wd = inotify_add_watch(w->fd, path, WATCH_MASK);
	if (wd < 0) {
		watch_warn(w, path);
		return;
	}
	w->dirs = xgrow(w->dirs, &w->cap, w->ndirs + 1, sizeof(*w->dirs));
	w->dirs[w->ndirs++] = (struct watch_dir){ wd, xstrdup(path) };
	char **names = NULL;
	size_t n = 0;
	if (fs_list_dir(path, &names, &n) < 0)
		return;
	for (size_t i = 0; i < n; i++) {
		struct stat st;
		char *child = fs_join(path, names[i]);
		/* lstat: symlinked folders could loop; hidden ones are VCS
		 * and editor state. */
		if (names[i][0] != '.' && lstat(child, &st) == 0 &&
		    S_ISDIR(st.st_mode))
			watch_tree(w, child);
		free(child);
	}
	fs_free_list(names, n);
}

static void watch_all(struct watcher *w)
{
	for (size_t i = 0; i < w->nroots; i++) {
		struct watch_root *r = &w->roots[i];
		struct stat st;
		r->parent_wd = inotify_add_watch(w->fd, r->parent, WATCH_MASK);
		if (r->parent_wd < 0)
			watch_warn(w, r->parent);
		if (stat(r->path, &st) == 0 && S_ISDIR(st.st_mode))
			watch_tree(w, r->path);
	}
}

static void watch_forget_dirs(struct watcher *w)
{
	for (size_t i = 0; i < w->ndirs; i++)
		free(w->dirs[i].path);
	w->ndirs = 0;
}

/* Drops every watch (closing the descriptor does that) and adds them
 * again: simpler and surer than patching paths after folders move. */
static int watch_rewatch(struct watcher *w)
{
	if (w->fd >= 0)
		close(w->fd);
	watch_forget_dirs(w);
	w->fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
	if (w->fd < 0)
		return -1;
	watch_all(w);
	return 0;
}

static char *parent_of(const char *path, const char **base)
{
	size_t n = strlen(path);
	while (n > 1 && path[n - 1] == '/')
		n--;
	size_t slash = n;
	while (slash > 0 && path[slash - 1] != '/')
		slash--;
	*base = path + slash;
	if (slash == 0)
		return xstrdup(".");
	return xstrndup(path, slash > 1 ? slash - 1 : 1);
}

static int watcher_open(struct watcher *w, const struct serve_options *o,
			struct diag *d)
{
	*w = (struct watcher){ .fd = -1 };
	w->roots = xcalloc(o->nwatch ? o->nwatch : 1, sizeof(*w->roots));
	w->nroots = o->nwatch;
	for (size_t i = 0; i < o->nwatch; i++) {
		const char *base;
		struct watch_root *r = &w->roots[i];
		r->path = o->watch[i];
		r->parent = parent_of(r->path, &base);
		r->base = xstrndup(base, strcspn(base, "/"));
		r->parent_wd = -1;
	}
	if (watch_rewatch(w) < 0) {
		diag_error(d, NULL, 0, 0, "inotify: %s", strerror(errno));
		return -1;
	}
	return 0;
}

static void watcher_close(struct watcher *w)
{
	if (w->fd >= 0)
		close(w->fd);
	watch_forget_dirs(w);
	free(w->dirs);
	watch_forget_changes(w);
	free(w->changed);
	for (size_t i = 0; i < w->nroots; i++) {
		free(w->roots[i].parent);
		free(w->roots[i].base);
	}
	free(w->roots);
	*w = (struct watcher){ .fd = -1 };
}

/* Editor droppings: hidden files (swap files, .#locks), backups, and the
 * file vim creates to test whether a folder is writable. */
static bool is_noise(const char *name)
{
	size_t n = strlen(name);
	return name[0] == '.' || (n > 0 && name[n - 1] == '~') ||
	       !strcmp(name, "4913");
}

static int watch_event(struct watcher *w, const struct inotify_event *ev)
{
	const char *name = ev->len ? ev->name : "";
	int r = 0;
	if (ev->mask & IN_Q_OVERFLOW) {
		w->lost = true;
		return WATCH_CHANGED | WATCH_REWATCH;
	}
	for (size_t i = 0; i < w->nroots; i++)
		if (ev->wd == w->roots[i].parent_wd &&
		    !strcmp(name, w->roots[i].base)) {
			r |= WATCH_CHANGED |
			     (ev->mask & WATCH_STRUCTURAL ? WATCH_REWATCH : 0);
			watch_note(w, w->roots[i].path, "");
			w->lost |= (ev->mask & (WATCH_STRUCTURAL | IN_ISDIR)) != 0;
		}
	for (size_t i = 0; i < w->ndirs; i++) {
		if (w->dirs[i].wd != ev->wd)
			continue;
		if (ev->mask & IN_IGNORED) {
			w->dirs[i].wd = -1;
		} else if (ev->mask & (IN_DELETE_SELF | IN_MOVE_SELF)) {
			r |= WATCH_CHANGED | WATCH_REWATCH;
			w->lost = true;
		} else if (!is_noise(name)) {
			r |= WATCH_CHANGED |
			     ((ev->mask & IN_ISDIR) &&
					      (ev->mask & WATCH_STRUCTURAL)
				      ? WATCH_REWATCH
				      : 0);
			watch_note(w, w->dirs[i].path, name);
			w->lost |= (ev->mask & IN_ISDIR) != 0;
		}
		break;
	}
	return r;
}

static int watch_drain(struct watcher *w, int *flags)
{
	_Alignas(struct inotify_event) char buf[4096];
	for (;;) {
		ssize_t len = read(w->fd, buf, sizeof(buf));
		if (len < 0 && errno == EINTR)
			continue;
		if (len < 0)
			return errno == EAGAIN ? 0 : -1;
		for (ssize_t off = 0; off < len;) {
			const struct inotify_event *ev =
				(const struct inotify_event *)(buf + off);
			*flags |= watch_event(w, ev);
			off += (ssize_t)(sizeof(*ev) + ev->len);
		}
	}
}

static long now_ms(void)
{
	return (long)(clock_wall() * 1e3);
}

/* Waits for a change and for the burst it belongs to to settle. Returns
 * 1 to rebuild, 2 when `idle` and no change came for CATCH_UP_MS, 0 on a
 * stop signal, -1 on a system error. */
static int watch_wait(struct watcher *w, int sigfd, bool idle)
{
	int flags = w->flags, timeout = idle ? CATCH_UP_MS : -1;
	long start = 0;
	w->flags = 0;
	if (flags & WATCH_CHANGED) {
		start = now_ms();
		timeout = DEBOUNCE_MS;
	}
	for (;;) {
		struct pollfd p[2] = { { .fd = sigfd, .events = POLLIN },
				       { .fd = w->fd, .events = POLLIN } };
		int n = poll(p, 2, timeout);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -1;
		if (p[0].revents)
			return 0;
		if (n == 0 && !(flags & WATCH_CHANGED))
			return 2;
		if (n == 0)
			break;
		if (watch_drain(w, &flags) < 0)
			return -1;
		if ((flags & WATCH_CHANGED) && !start) {
			start = now_ms();
			timeout = DEBOUNCE_MS;
		}
		if (start && now_ms() - start > SETTLE_MAX_MS)
			break;
	}
	if ((flags & WATCH_REWATCH) && watch_rewatch(w) < 0)
		return -1;
	return 1;
}

/* ---- signals ---------------------------------------------------------- */

/* The self-pipe: a handler may run on any thread (MHD's too), and all it
 * does is wake the main loop's poll. */
static int sig_pipe[2] = { -1, -1 };
static struct sigaction old_int, old_term, old_pipe;
static bool pipe_ignored;

static void on_signal(int sig)
{
	int saved = errno;
	unsigned char b = (unsigned char)sig;
	if (write(sig_pipe[1], &b, 1) < 0) {
		/* full pipe: a wake-up is already pending */
	}
	errno = saved;
}

static int signals_install(struct diag *d)
{
	if (pipe(sig_pipe) < 0) {
		diag_error(d, NULL, 0, 0, "pipe: %s", strerror(errno));
		return -1;
	}
	for (int i = 0; i < 2; i++) {
		fcntl(sig_pipe[i], F_SETFD, FD_CLOEXEC);
		fcntl(sig_pipe[i], F_SETFL, O_NONBLOCK);
	}
	struct sigaction sa = { .sa_handler = on_signal };
	sigemptyset(&sa.sa_mask);
	/* A second Ctrl-C, during a long build, ends the process. */
	sa.sa_flags = (int)SA_RESETHAND;
	sigaction(SIGINT, &sa, &old_int);
	sigaction(SIGTERM, &sa, &old_term);
	/* A client closing its connection must not kill the server; MHD
	 * suppresses SIGPIPE itself where the system lets it. */
	pipe_ignored = MHD_is_feature_supported(
			       MHD_FEATURE_AUTOSUPPRESS_SIGPIPE) != MHD_YES;
	if (pipe_ignored) {
		struct sigaction ign = { .sa_handler = SIG_IGN };
		sigemptyset(&ign.sa_mask);
		sigaction(SIGPIPE, &ign, &old_pipe);
	}
	return 0;
}

static void signals_restore(void)
{
	sigaction(SIGINT, &old_int, NULL);
	sigaction(SIGTERM, &old_term, NULL);
	if (pipe_ignored)
		sigaction(SIGPIPE, &old_pipe, NULL);
	pipe_ignored = false;
	for (int i = 0; i < 2; i++) {
		if (sig_pipe[i] >= 0)
			close(sig_pipe[i]);
		sig_pipe[i] = -1;
	}
}

/* ---- the loop --------------------------------------------------------- */

/* Has a change come in? Reads the events there are (the output's
 * temporary folders appear beside site.toml, which is watched) and keeps
 * what they say for watch_wait. */
static bool watch_pending(void *arg)
{
	struct watcher *w = arg;
	struct pollfd p = { .fd = w->fd, .events = POLLIN };
	if (poll(&p, 1, 0) > 0 && watch_drain(w, &w->flags) < 0)
		w->flags |= WATCH_CHANGED | WATCH_REWATCH;
	return (w->flags & WATCH_CHANGED) != 0;
}

/* The call a build asked for with *again: logged, but no page reloads. */
static void server_catch_up(struct server *s, struct watcher *w, serve_build_fn build, void *arg,
			    bool *again)
{
	char *errors = NULL, *summary = NULL;
	struct serve_changes ch = { .deferred = true, .changed_since = watch_pending, .changed_arg = w };
	long t0 = now_ms();
	*again = false;
	int rc = build(arg, &ch, &errors, &summary, again);
	if (errors && *errors)
		fprintf(stderr, "%s%s", errors, errors[strlen(errors) - 1] == '\n' ? "" : "\n");
	if (summary || rc != 0)
		printf("update %lu: %s (%ld ms)%s%s\n", server_build_number(s), rc == 0 ? "ok" : "failed",
		       now_ms() - t0, summary ? ": " : "", summary ? summary : "");
	fflush(stdout);
	free(errors);
	free(summary);
}

static void server_rebuild(struct server *s, struct watcher *w, serve_build_fn build, void *arg,
			   bool *again)
{
	char *errors = NULL, *summary = NULL;
	long t0 = now_ms();
	pthread_mutex_lock(&s->lock);
	s->building = true;
	pthread_mutex_unlock(&s->lock);
	struct serve_changes ch = { .paths = (const char *const *)w->changed, .n = w->nchanged, .unknown = w->lost || s->build == 0 };
	*again = false;
	int rc = build(arg, &ch, &errors, &summary, again);
	watch_forget_changes(w);
	long ms = now_ms() - t0;
	if (errors && *errors) {
		size_t n = strlen(errors);
		fputs(errors, stderr);
		if (errors[n - 1] != '\n')
			fputc('\n', stderr);
	}
	pthread_mutex_lock(&s->lock);
	s->building = false;
	unsigned long number = ++s->build;
	s->ok = rc == 0;
	free(s->errors);
	s->errors = NULL;
	if (rc != 0)
		s->errors = errors && *errors ? errors
					      : xstrdup("the build failed");
	else
		free(errors);
	pthread_mutex_unlock(&s->lock);
	if (rc == 0)
		printf("build %lu: ok (%ld ms)%s%s\n", number, ms, summary ? ": " : "",
		       summary ? summary : "");
	else
		printf("build %lu: failed (%ld ms); serving the last good "
		       "build%s%s\n",
		       number, ms, summary ? ": " : "", summary ? summary : "");
	fflush(stdout);
	free(summary);
}

int serve_run(const struct serve_options *o, serve_build_fn build, void *arg,
	      struct diag *d)
{
	struct server s = { .out_dir = o->out_dir };
	struct watcher w = { .fd = -1 };
	int ret = -1, rc;
	pthread_mutex_init(&s.lock, NULL);
	if (signals_install(d) < 0)
		goto out;
	/* Watch first, so edits made during the first build are not lost. */
	if (watcher_open(&w, o, d) < 0)
		goto out;
	bool again = false;
	server_rebuild(&s, &w, build, arg, &again);
	if (server_start(&s, o, d) < 0)
		goto out;
	while ((rc = watch_wait(&w, sig_pipe[0], again)) > 0) {
		if (rc == 2)
			server_catch_up(&s, &w, build, arg, &again);
		else
			server_rebuild(&s, &w, build, arg, &again);
	}
	if (rc < 0) {
		diag_error(d, NULL, 0, 0, "watching for changes: %s",
			   strerror(errno));
		goto out;
	}
	printf("stopped\n");
	fflush(stdout);
	ret = 0;
out:
	if (s.mhd)
		MHD_stop_daemon(s.mhd);
	watcher_close(&w);
	signals_restore();
	pthread_mutex_destroy(&s.lock);
	free(s.errors);
	return ret;
}
