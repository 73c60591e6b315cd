#!/usr/bin/env python3
"""Random edits in a running `dossier serve`, each checked against a fresh
build: the incremental rebuild (issue 13) must write what `dossier build`
writes for the same tree, whatever the edit.

For each of COUNT sites of tests/e2e/random_sites.py (valid by
construction; every other one with a git history), `dossier serve` runs on
it and EDITS random edits are saved the way editors save (a hidden copy
renamed over the file, or one time in four in place, in two writes up to
200 ms apart): a sentence with entity mentions, citations and
links appended to a page, topic, entity page or the home page; a line of a
page removed; a heading renamed (a link to it may break); a link to a
missing page added and later taken out; an article paragraph reworded (a
claim or quotation of it may break); an alias added to an entity; a page
added, another deleted, another renamed; the theme's template or Sass or
site.toml edited; with history, a page put back as committed, every
uncommitted change thrown away (`git checkout -- content`), and
now and then a commit before the edit (the server's History must follow
both). One time in seven or so, two to four of these come in a burst, 0 to
300 ms apart, some landing while the server rebuilds. After each, once the
server's log shows the rebuild (and, after an incremental one, its deferred
update; after a burst, a save in place or a checkout, 2 s without a new
line): when a fresh `dossier build` of the
tree succeeds, the served output folder must equal it byte for byte; when
it fails, the server's build must have failed too and the output must be
the last good one.

    python3 random_serve.py DOSSIER WORKDIR [COUNT [EDITS [SEED]]]

COUNT defaults to 3, EDITS to 15, SEED to 1. Prints "N passed, N failed"
(one check per edit).
"""
import os
import random
import re
import shutil
import subprocess
import sys
import time
import zlib

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import random_sites  # noqa: E402


def digest(root):
    return random_sites.sha_tree(root) if os.path.isdir(root) else {}


class Server:
    def __init__(self, dossier, root, work):
        self.log_path = os.path.join(work, "serve.log")
        self.err_path = os.path.join(work, "serve.err")
        self.proc = subprocess.Popen([dossier, "serve", "--port", "0", "-C", root],
                                     stdout=open(self.log_path, "w"), stderr=open(self.err_path, "w"))

    def lines(self, kind):
        with open(self.log_path, encoding="utf-8", errors="replace") as fh:
            return [line for line in fh if re.match(r"^%s [0-9]+:" % kind, line)]

    def wait(self, kind, n, tries=600):
        """Until the log holds more than n `kind` lines (at most 60 s)."""
        for _ in range(tries):
            if len(self.lines(kind)) > n:
                return True
            if self.proc.poll() is not None:
                return False
            time.sleep(0.1)
        return False

    def settle(self, nb, quiet=2.0, tries=900):
        """After a burst of edits: until the log holds a build after the
        first nb, no new build or update line came for `quiet` seconds, and
        the last build, when incremental, has its deferred update logged
        after it (at most 90 s)."""
        seen, since = -1, time.time()
        for _ in range(tries):
            if self.proc.poll() is not None:
                return False
            with open(self.log_path, encoding="utf-8", errors="replace") as fh:
                log = [line for line in fh if re.match(r"^(build|update) [0-9]+:", line)]
            if len(log) != seen:
                seen, since = len(log), time.time()
            elif len(self.lines("build")) > nb and time.time() - since >= quiet:
                last = max(i for i, line in enumerate(log) if line.startswith("build"))
                if "incrementally" not in log[last] or any(x.startswith("update") for x in log[last + 1:]):
                    return True
            time.sleep(0.1)
        return False

    def stop(self):
        self.proc.terminate()
        try:
            self.proc.wait(10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()


class Editor:
    def __init__(self, r, site):
        self.r, self.site = r, site
        self.broken = None  # (path, text before) of a page holding a broken link
        # An edit since the last check may take the server several builds
        # (a save in place, a checkout).
        self.many_builds = False

    def save(self, path, text):
        """As editors save: mostly a hidden copy beside the file, renamed over
        it; one time in four in place, as some editors do (the file truncated,
        then written in two parts 0 to 200 ms apart, so the server may see it
        empty or half written before its last event). The choice is seeded by
        the path and text, so a seed gives the same saves."""
        rng = random.Random(zlib.crc32((path + "\0" + text).encode("utf-8")))
        if os.path.exists(path) and rng.random() < 0.25:
            self.many_builds = True
            data = text.encode("utf-8")
            cut = rng.randrange(len(data) + 1)
            with open(path, "wb") as fh:
                fh.write(data[:cut])
                fh.flush()
                time.sleep(rng.choice([0, 0.02, 0.2]))
                fh.write(data[cut:])
            return
        d, f = os.path.split(path)
        tmp = os.path.join(d, "." + f + ".new")
        with open(tmp, "w", encoding="utf-8", newline="") as fh:
            fh.write(text)
        os.rename(tmp, path)

    def path(self, rel):
        return os.path.join(self.site.root, "content", rel)

    def read(self, rel):
        with open(self.path(rel), encoding="utf-8") as fh:
            return fh.read()

    def pages(self, ext=".md"):
        out = []
        for d, _, files in os.walk(os.path.join(self.site.root, "content")):
            for f in files:
                if f.endswith(ext) and not f.startswith("."):
                    out.append(os.path.relpath(os.path.join(d, f), os.path.join(self.site.root, "content")))
        return sorted(out)

    def edit(self):
        """Makes one random edit; returns what it was."""
        r, s = self.r, self.site
        pre = ""
        if s.history and r.random() < 0.2:
            # A commit, which the server does not see until the edit after it.
            s.commit("Commit %d" % r.randrange(1000))
            pre = "commit, then "
        return pre + self.change()

    def change(self):
        r, s = self.r, self.site
        k = r.choice([0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 5, 6, 7, 8, 9, 11] + ([10, 10, 12] if s.history else []))
        g = ["git", "-C", s.root]
        if k == 12 and subprocess.run(g + ["diff", "--quiet", "HEAD", "--", "content"]).returncode == 1:
            # Every uncommitted change to content/ thrown away at once, as
            # `git checkout -- content` does (HEAD stays where it is; git
            # writes each file anew): several files change in one go.
            subprocess.run(g + ["checkout", "-q", "--", "content"], check=True)
            self.many_builds = True
            if self.broken and "no-such-page.md" not in self.read(self.broken[0]):
                self.broken = None
            return "git checkout -- content"
        if k == 11:
            # What rebuilds in full: the theme's template or Sass, site.toml,
            # a page renamed (a link to it may break).
            n = r.randrange(1000)
            theme = os.path.join(s.root, "themes", s.theme)
            what = r.randrange(4)
            if what == 0:
                t = os.path.join(theme, "templates", "base.mustache")
                self.save(t, open(t, encoding="utf-8").read().replace("</body>", "<!-- edit %d -->\n</body>" % n, 1))
                return "theme template edited"
            if what == 1:
                t = os.path.join(theme, "sass", "style.scss")
                self.save(t, open(t, encoding="utf-8").read() + "\n.edit-%d { color: #%06x; }\n" % (n, n * 997))
                return "theme Sass edited"
            if what == 2:
                t = os.path.join(s.root, "site.toml")
                text = re.sub(r'^title = "[^"]*"', 'title = "Random %d"' % n, open(t, encoding="utf-8").read(), 1, re.M)
                self.save(t, text)
                return "site title changed"
            plain = [p for p in self.pages() if p.startswith("notes/")]
            if plain:
                old = r.choice(plain)
                new = os.path.join(os.path.dirname(old), "renamed-%d.md" % n)
                os.rename(self.path(old), self.path(new))
                if self.broken and self.broken[0] == old:
                    self.broken = (new, self.broken[1])
                return "%s renamed %s" % (old, new)
        if k == 10:
            # A page put back as it is committed: its History no longer says
            # it has uncommitted changes.
            out = subprocess.run(g + ["diff", "-z", "--name-only", "HEAD", "--", "content"],
                                 capture_output=True, check=True).stdout.decode()
            dirty = sorted(x for x in out.split("\0") if x.endswith(".md"))
            if dirty:
                rel = r.choice(dirty)
                head = subprocess.run(g + ["show", "HEAD:" + rel], capture_output=True, check=True).stdout
                self.save(os.path.join(s.root, rel), head.decode("utf-8"))
                if self.broken and self.broken[0] == os.path.relpath(rel, "content"):
                    self.broken = None
                return "%s put back as committed" % rel
        if self.broken and r.random() < 0.5:
            rel, text = self.broken
            self.broken = None
            if os.path.exists(self.path(rel)):
                self.save(self.path(rel), text)
                return "broken link taken out of %s" % rel
        md = self.pages()
        # Mostly pages an edit of which is rebuilt incrementally (an edit
        # of an entity page, a topic with claims or an article is a full
        # rebuild, so is the build after one that failed).
        plain = [p for p in md if not p.startswith(("entities/", "topics/"))]
        rel = r.choice(plain if plain and r.random() < 0.8 else md)
        up = os.path.relpath(".", os.path.dirname(rel) or ".")
        text = self.read(rel)
        if k <= 2:
            names = [r.choice(s.mentionable()) for _ in range(r.randint(0, 3))]
            a, p = s.cite()
            line = random_sites.md(random_sites.sentence(r, r.choice(random_sites.WORDS), names))
            if r.random() < 0.5:
                line = line[:-1] + " [](%s/articles/%s.txt#p%d)." % (up, a, p)
            self.save(self.path(rel), text + "\n" + line + "\n")
            return "sentence appended to %s" % rel
        if k == 3:
            lines = text.split("\n")
            body = [i for i, x in enumerate(lines) if x and not x.startswith(("#", "+++", "[", "title", "id ", "cite",
                                                                             "wording", "claim", "status", "section",
                                                                             "kind", "aliases", "description", "---"))]
            if body:
                del lines[r.choice(body)]
                self.save(self.path(rel), "\n".join(lines))
                return "a line of %s removed" % rel
        if k == 4:
            heads = re.findall(r"^## (.+)$", text, re.M)
            if heads:
                h = r.choice(heads)
                self.save(self.path(rel), text.replace("## " + h, "## " + h + " " + r.choice(random_sites.WORDS), 1))
                return "heading of %s renamed" % rel
        if k == 5 and not self.broken:
            self.broken = (rel, text)
            self.save(self.path(rel), text + "\nA [broken](no-such-page.md) link.\n")
            return "broken link added to %s" % rel
        if k == 6:
            arts = self.pages(".txt")
            a = r.choice(arts)
            t = self.read(a)
            head, _, body = t.partition("\n+++\n")
            lines = body.split("\n")
            i = r.randrange(max(1, len(lines) - 1))
            ws = lines[i].split(" ")
            if len(ws) > 3:
                ws[r.randrange(len(ws))] = r.choice(random_sites.WORDS)
                lines[i] = " ".join(ws)
                self.save(self.path(a), head + "\n+++\n" + "\n".join(lines))
                return "paragraph %d of %s reworded" % (i + 1, a)
        if k == 7:
            ents = [p for p in md if p.startswith("entities/")]
            if ents:
                e = r.choice(ents)
                t = self.read(e)
                alias = "Alias%d" % r.randrange(1000)
                if "aliases = [" in t:
                    t = t.replace("aliases = [", 'aliases = ["%s", ' % alias, 1)
                else:
                    t = t.replace("+++\n\n", 'aliases = ["%s"]\n+++\n\n' % alias, 1)
                self.save(self.path(e), t)
                return "alias added to %s" % e
        if k == 8:
            new = "notes/new-%d.md" % r.randrange(1000)
            self.save(self.path(new), '+++\ntitle = "New %s"\n+++\n\nA new page about %s.\n'
                 % (r.choice(random_sites.WORDS), r.choice(s.mentionable())))
            return "page %s added" % new
        if k == 9:
            news = [p for p in md if os.path.basename(p).startswith("new-")]
            if news:
                os.remove(self.path(news[0]))
                return "page %s deleted" % news[0]
        self.save(self.path(rel), text + "\nOne more plain sentence.\n")
        return "plain sentence appended to %s" % rel


def main():
    dossier, work = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
    count = int(sys.argv[3]) if len(sys.argv) > 3 else 3
    edits = int(sys.argv[4]) if len(sys.argv) > 4 else 15
    seed = int(sys.argv[5]) if len(sys.argv) > 5 else 1
    passed = failed = 0
    for i in range(count):
        r = random.Random("serve:%d:%d" % (seed, i))
        sdir = os.path.join(work, "s%d" % i)
        root = os.path.join(sdir, "site")
        os.makedirs(root)
        site = random_sites.Site(r, root, os.path.join(work, "secret"))
        # Every other site has a git history (committed once, and again
        # now and then between edits).
        site.history = i % 2 == 1
        site.make()
        site.write()
        out, ref = os.path.join(root, "public"), os.path.join(sdir, "ref")
        srv = Server(dossier, root, sdir)
        try:
            if not srv.wait("build", 0) or "ok" not in srv.lines("build")[-1]:
                failed += 1
                print("FAIL: seed %d site %d: the first build: %s" % (seed, i, open(srv.err_path).read()[-2000:]))
                continue
            ed = Editor(r, site)
            good = digest(out)
            for e in range(edits):
                nb, nu = len(srv.lines("build")), len(srv.lines("update"))
                burst = r.random() < 0.15
                if burst:
                    # Several saves in quick succession, some landing while
                    # the server rebuilds or makes a deferred update.
                    whats = []
                    for _ in range(r.randint(2, 4)):
                        whats.append(ed.edit())
                        time.sleep(r.choice([0, 0.01, 0.05, 0.15, 0.3]))
                    what = "burst: " + "; ".join(whats)
                else:
                    what = ed.edit()
                # A save in place may be seen half written, then again:
                # as many builds as a burst.
                several, ed.many_builds = burst or ed.many_builds, False
                label = "seed %d site %d edit %d (%s)" % (seed, i, e, what)
                if not (srv.settle(nb) if several else srv.wait("build", nb)):
                    failed += 1
                    print("FAIL: %s: no rebuild seen" % label)
                    break
                last = srv.lines("build")[-1]
                if os.environ.get("VERBOSE"):
                    print("%s: %s" % (label, last.strip()))
                if not several and "incrementally" in last and not srv.wait("update", nu):
                    failed += 1
                    print("FAIL: %s: no deferred update after %r" % (label, last.strip()))
                    break
                shutil.rmtree(ref, ignore_errors=True)
                rc = subprocess.run([dossier, "build", "-C", root, "-o", ref, "-q"],
                                    stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL).returncode
                now, want = digest(out), digest(ref)
                if rc == 0 and now == want:
                    passed += 1
                    good = now
                elif rc == 1 and "failed" in last and now == good:
                    passed += 1
                elif (rc == 1 and "failed" in last and several and ".dossier-output" in now
                      and any(": ok " in b for b in srv.lines("build")[nb:-1])):
                    # A build within the burst (or of a file half saved)
                    # succeeded before the last failed: the output kept is
                    # that one's, a state of the tree no fresh build can
                    # make now.
                    passed += 1
                    good = now
                else:
                    failed += 1
                    diff = sorted(k for k in set(now) | set(want) if now.get(k) != want.get(k))
                    print("FAIL: %s: fresh build exit %d, server %r; files that differ: %s"
                          % (label, rc, last.strip(), diff[:8]))
        finally:
            srv.stop()
        with open(srv.err_path, encoding="utf-8", errors="replace") as fh:
            err = fh.read()
        # A sanitizer that does not stop the server still says so here.
        if re.search(r"runtime error:|ERROR: (Address|Leak|Thread)Sanitizer", err):
            failed += 1
            print("FAIL: seed %d site %d: a sanitizer report:\n%s" % (seed, i, err[-3000:]))
        if not os.environ.get("KEEP"):
            shutil.rmtree(sdir, ignore_errors=True)
    print("random serve: %d passed, %d failed (seed %d, %d sites, %d edits each)"
          % (passed, failed, seed, count, edits))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
