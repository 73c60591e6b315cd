#!/usr/bin/env python3
"""Whole sites nobody wrote: seeded random dossiers, each built twice, and
the promises of the README checked on every build.

Each site is first made valid by construction: articles (.txt, one
paragraph per line, a unique token in each so that quotes are unique),
quote-anchored annotations, topics with claims whose wording is taken from
the cited paragraph, quotations copied from it, entities with aliases
(ASCII, accented, possessives), pages in folders with names that need
percent-encoding (spaces, `#`, `%`, accents), links to pages, headings,
folders and article paragraphs, a git history of two commits for some, safe
or unsafe Markdown, the dossier or the plain theme. That site must build
(exit 0). Then up to four mutations are applied, drawn from: the random GFM
documents of tests/conformance/gfm_random.py appended to a page, broken
links, anchors and citations, quotations and annotations that match
nothing, bad TOML and YAML, duplicate entity names, control bytes in a
file and in a file name, CRLF and a BOM, and hostile input: symbolic links
to a secret file and folder outside the site (in content/ and in the
theme), links, images, slugs and redirects that climb out of the site, a
theme partial and a Sass import outside it, markup in site.toml; and
names and shapes that trip path and anchor code: the same file name in
NFC and NFD, two pages with one slug, a redirect over a page, an alias that
is another entity's name, a fragment to no heading, a 20,000-word line, a
folder 25 deep, file names starting with "-" or ".", duplicate headings
and their "-1" anchors; files of content/ that hold markup or script
(HTML, SVG, JavaScript, no extension: published only in unsafe mode), one
at the home or a list page's path, two names that differ only in case, an
article url that is no address. The mutated site is built into the same output
folder.

Checked on every build:
- the exit status is 0 or 1, and 1 exactly when an "error:" line was
  printed; every diagnostic is one `file:line:col: error|warning|note:`
  line (or a `dossier` summary line) naming a file of the site, with no
  control byte;
- no file of the site changed, nothing was written beside the output
  folder, and the secret outside the site appears in no output file;
- a failed build leaves the previous output byte for byte;
- a successful one writes the same bytes with -j 1 and -j 4; every
  relative href and src of every HTML file opens a file of the output, and
  its fragment an id of that page; in safe mode no script but the theme's
  (a src, or JSON-LD), no on* attribute, no javascript:, vbscript: or
  data: URL other than an image's;
- a site holding a mutation that must fail (a climb out of the site, a
  broken reference, a bad header) fails.

    python3 random_sites.py DOSSIER WORKDIR [COUNT [SEED]]

COUNT defaults to 40, SEED to 1; a failure prints its seed and site number,
and KEEP=1 keeps WORKDIR to look at the site.
"""
import hashlib
import html.parser
import os
import random
import re
import shutil
import subprocess
import sys
import urllib.parse

HERE = os.path.dirname(os.path.abspath(__file__))
TOP = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.join(TOP, "tests", "conformance"))
import gfm_random  # noqa: E402

WORDS = ("market chips model price cost launch open source lab rival shares investors export rules "
         "training reasoning benchmark answers users week quarter analysts research compute").split()
SYLL = ["ka", "vo", "ze", "mi", "ra", "tu", "lo", "ne", "si", "por", "dan", "kel", "ri", "mo", "fa"]
ACCENTED = ["Ærø", "Zoë", "Ångel", "Čapek", "Øre", "Müller", "Señor", "Łódź"]
SUFFIX = ["Labs", "Capital", "Systems", "Research", "", "", ""]
# Names with what a matcher, an escaper or a slug may trip on.
TRICKY = ["C++ Group", "AT&T Labs", "O\u2019Neil", "O'Brien Capital", "Q.E.D. Research", "Node.js",
          "R&D Capital", "X-Ray", "\u00dcnal", "e\u0301clair Labs", "<Tag> Systems", "A*B Labs", "50% Fund",
          "Zo\u00eb", "Zoe\u0308 Two"]
KINDS = ["person", "organization", "model", "product", "place", "market", "concept"]
# file:line:col: kind: message, or file: kind: message for a whole file.
DIAG = re.compile(r"^(?P<file>[^\s].*?)(:(?P<line>\d+):(?P<col>\d+))?: (?P<kind>error|warning|note): \S")


class Fail(Exception):
    pass


def sha_tree(root, skip=None):
    """path -> sha256 of every file (and symlink target) under root."""
    out = {}
    for d, dirs, files in os.walk(root):
        if skip:
            dirs[:] = [x for x in dirs if os.path.join(d, x) != skip]
        for f in files + [x for x in dirs if os.path.islink(os.path.join(d, x))]:
            p = os.path.join(d, f)
            rel = os.path.relpath(p, root)
            if os.path.islink(p):
                out[rel] = "link:" + os.readlink(p)
            else:
                with open(p, "rb") as fh:
                    out[rel] = hashlib.sha256(fh.read()).hexdigest()
    return out


def md(text):
    """Text as Markdown that renders as itself (names like "A*B Labs")."""
    return re.sub(r"([\\*_`\[\]<>])", r"\\\1", text)


def sentence(r, token, names, n=None):
    ws = [r.choice(WORDS) for _ in range(n or r.randint(6, 14))]
    for name in names:
        ws.insert(r.randint(0, len(ws)), name + r.choice(["", "", "'s", "\u2019s"]))
    ws.insert(r.randint(1, len(ws)), token)
    s = " ".join(ws)
    return s[0].upper() + s[1:] + "."


class Site:
    def __init__(self, r, root, secret_dir):
        self.r, self.root, self.secret_dir = r, root, secret_dir
        self.files = {}        # content-relative path -> text
        self.must_fail = []    # what the mutations promise to reject
        self.active = []       # files of content/ published only in unsafe mode
        self.passive = []      # files of content/ always published
        self.tokens = 0
        self.unsafe = r.random() < 0.3
        self.theme = r.choice(["dossier", "dossier", "plain"])
        self.history = r.random() < 0.3

    def token(self):
        self.tokens += 1
        return "zq%d" % self.tokens

    def name(self):
        r = self.r
        if r.random() < 0.15:
            return r.choice(TRICKY)
        if r.random() < 0.2:
            base = r.choice(ACCENTED) + r.choice(SYLL)
        else:
            base = "".join(r.choice(SYLL) for _ in range(r.randint(2, 3))).capitalize()
        suf = r.choice(SUFFIX)
        return base + (" " + suf if suf else "")

    # --- the valid site ---------------------------------------------------
    def make(self):
        r = self.r
        used = set()
        self.entities = []
        for i in range(r.randint(2, 7)):
            n = self.name()
            while n.lower() in used:
                n = self.name() + str(i)
            used.add(n.lower())
            aliases = []
            if r.random() < 0.5:
                a = n.split()[0] + "X" + str(i)
                used.add(a.lower())
                aliases.append(a)
            self.entities.append((n, aliases, "e%d" % i))
        self.articles = []
        for i in range(r.randint(1, 4)):
            paras = []
            for _ in range(r.randint(2, 8)):
                names = [r.choice(self.mentionable())] if r.random() < 0.5 else []
                paras.append(sentence(r, self.token(), names))
            self.articles.append(("a%d" % i, paras))
        for slug, paras in self.articles:
            self.files["articles/%s.txt" % slug] = self.article(slug, paras)
        for n, aliases, slug in self.entities:
            a, k = self.cite()
            self.files["entities/%s.md" % slug] = (
                '+++\ntitle = "%s"\nkind = "%s"\n%s+++\n\nDescribed in [](../articles/%s.txt#p%d).\n'
                % (n, r.choice(KINDS), ("aliases = [%s]\n" % ", ".join('"%s"' % x for x in aliases))
                   if aliases else "", a, k))
        self.pages = []
        names = ["notes", "more notes", "caf\u00e9", "a#b", "50%", "plain"]
        for i in range(r.randint(2, 6)):
            folder = "notes" if i == 0 else r.choice(["notes", "notes", "guides/deep"])
            stem = r.choice(names) + ("" if i == 0 else "-%d" % i)
            self.pages.append((folder, stem, ["Overview %d" % i, "Details %d" % i]))
        for i, (folder, stem, heads) in enumerate(self.pages):
            self.files["%s/%s.md" % (folder, stem)] = self.page(i)
        for i in range(r.randint(1, 3)):
            self.files["topics/t%d.md" % i] = self.topic(i)
        self.files["_index.md"] = ('+++\ntitle = "Home"\n+++\n\nSee the [topics](topics/), the [notes](notes/) '
                                   'and [the first article](articles/%s.txt).\n' % self.articles[0][0])
        self.site_toml = 'title = "Random"\ntheme = "%s"\n[markdown]\nunsafe = %s\n[history]\nenabled = %s\n' % (
            self.theme, "true" if self.unsafe else "false", "true" if self.history else "false")

    def mentionable(self):
        return [n for n, _, _ in self.entities] + [a for _, al, _ in self.entities for a in al]

    def cite(self):
        slug, paras = self.r.choice(self.articles)
        return slug, self.r.randint(1, len(paras))

    def para(self, slug, k):
        return dict(self.articles)[slug][k - 1]

    def words_of(self, slug, k, n):
        ws = self.para(slug, k).rstrip(".").split(" ")
        i = self.r.randint(0, max(0, len(ws) - n))
        return " ".join(ws[i:i + n])

    def article(self, slug, paras):
        r = self.r
        head = ['title = "Article %s"' % slug, 'title_source = "editor"', 'short = "Src%s"' % slug,
                'publisher = "unknown"', 'published = "unknown"', 'url = "unknown"']
        for k in range(1, len(paras) + 1):
            if r.random() < 0.3:
                tok = [w for w in paras[k - 1].split(" ") if w.startswith("zq")][0]
                head.append('\n[[annotations]]\nquote = "%s"\nnote = "A note citing [](%s.txt#p1)."'
                            % (tok, r.choice(self.articles)[0] if self.articles else slug))
        return "+++\n" + "\n".join(head) + "\n+++\n" + "\n".join(paras) + "\n"

    def link_to_page(self, i, j):
        ff, fs, heads = self.pages[i][0], self.pages[i][1], None
        tf, ts, heads = self.pages[j]
        rel = os.path.relpath(os.path.join(tf, ts + ".md"), ff)
        frag = ""
        if self.r.random() < 0.4:
            frag = "#" + heads[self.r.randint(0, 1)].lower().replace(" ", "-")
        form = self.r.randint(0, 2)
        if form == 0 or (" " not in rel and "#" not in rel and "%" not in rel):
            return "(%s%s)" % (urllib.parse.quote(rel), frag)
        if form == 1 and "#" not in rel and "%" not in rel and "<" not in rel:
            return "(<%s%s>)" % (rel, frag)
        return "(%s%s)" % (urllib.parse.quote(rel), frag)

    def page(self, i):
        r = self.r
        folder, stem, heads = self.pages[i]
        up = os.path.relpath(".", folder)
        out = ['+++\ntitle = "Page %d %s"\n+++\n' % (i, r.choice(WORDS))]
        for h in heads:
            out.append("## %s\n" % h)
            for _ in range(r.randint(1, 3)):
                names = [r.choice(self.mentionable()) for _ in range(r.randint(0, 2))]
                s = md(sentence(r, r.choice(WORDS), names))
                a, k = self.cite()
                s = s[:-1] + " [](%s/articles/%s.txt#p%d)." % (up, a, k)
                if r.random() < 0.5:
                    j = r.randrange(len(self.pages))
                    s += " See [page %d]%s." % (j, self.link_to_page(i, j))
                if r.random() < 0.3:
                    s += " Also [the notes](%s/notes/) and [here](.)." % up
                out.append(s + "\n")
        return "\n".join(out)

    def topic(self, i):
        r = self.r
        claims = []
        body = []
        for c in range(r.randint(1, 3)):
            a, k = self.cite()
            srcs = [(a, k)]
            status = "reported"
            others = [s for s, _ in self.articles if s != a]
            if others and r.random() < 0.5:
                b = r.choice(others)
                srcs.append((b, r.randint(1, len(dict(self.articles)[b]))))
                status = "consistent"
            t = ['[[claims]]', 'id = "claim-%d"' % c, 'claim = "Claim %d"' % c, 'status = "%s"' % status,
                 'section = "part-%d"' % c]
            for s, kk in srcs:
                t += ['[[claims.sources]]', 'cite = "../articles/%s.txt#p%d"' % (s, kk),
                      'wording = "%s"' % self.words_of(s, kk, r.randint(2, 4))]
            claims.append("\n".join(t))
            q = self.words_of(a, k, r.randint(2, 5))
            names = [r.choice(self.entities)[0]] if r.random() < 0.7 else []
            body.append("## Part %d\n\n%s As it said, \u201c%s\u201d [](../articles/%s.txt#p%d).\n"
                        % (c, md(sentence(r, r.choice(WORDS), names)), md(q), a, k))
        return ('+++\ntitle = "Topic %d"\ndescription = "About %s."\n\n' % (i, r.choice(WORDS))
                + "\n\n".join(claims) + "\n+++\n\n" + "\n".join(body))

    # --- mutations ------------------------------------------------------------
    def front(self, page, line, what):
        """Puts `line` at the top of the page's TOML front matter, if it has one."""
        t = self.files[page]
        bom = t.startswith("\ufeff")
        t = t.lstrip("\ufeff")
        nl = "\r\n" if t.startswith("+++\r\n") else "\n"
        if t.startswith("+++" + nl):
            self.files[page] = ("\ufeff" if bom else "") + "+++" + nl + line.replace("\n", nl) + t[3 + len(nl):]
            if what:
                self.must_fail.append(what)

    def mutate(self, k):
        if k >= 39:
            return self.mutate_files(k)
        r = self.r
        page = r.choice([p for p in self.files if p.endswith(".md")])
        up = os.path.relpath(".", os.path.dirname(page) or ".")
        f = self.files
        if k == 0:
            # Its images name files nobody wrote (a missing file is an error).
            f[page] += "\n" + re.sub(r"!\[([^\]]*)\]\(img/[^)]*\)", r"\1", gfm_random.grammar_doc(r))
        elif k == 1:
            f[page] += "\n" + gfm_random.chaos_doc(r)
        elif k == 2:
            f[page] += "\nA [broken](missing-%d.md) link.\n" % r.randint(0, 9)
            self.must_fail.append("broken link")
        elif k == 3:
            a, _ = self.cite()
            f[page] += "\nA citation [](%s/articles/%s.txt#p999).\n" % (up, a)
            self.must_fail.append("citation past the end")
        elif k == 4:
            a, kk = self.cite()
            f[page] += "\nIt said \u201cnothing of the sort here\u201d [](%s/articles/%s.txt#p%d).\n" % (up, a, kk)
            self.must_fail.append("quotation not in the paragraph")
        elif k == 5:
            self.front(page, 'title = "unterminated\nx', "bad TOML")
        elif k == 6:
            n, _, _ = self.entities[0]
            f["entities/dup.md"] = '+++\ntitle = "%s"\nkind = "person"\n+++\nAgain.\n' % n
            self.must_fail.append("two entities, one name")
        elif k == 7:
            f[page] += "\nA control byte \x01 and a NUL \x00 here.\n"
            self.must_fail.append("control bytes")
        elif k == 8:
            f["notes/bad\x01name.md"] = '+++\ntitle = "Bad name"\n+++\nText.\n'
        elif k == 9:
            f[page] = "\ufeff" + f[page].replace("\n", "\r\n")
        elif k == 10:
            self.links.append(("notes/leak.md", os.path.join(self.secret_dir, "secret.md")))
        elif k == 11:
            self.links.append(("notes/leakdir", self.secret_dir))
        elif k == 12:
            self.links.append(("THEME/static/leak.js", os.path.join(self.secret_dir, "secret.md")))
        elif k == 13:
            f[page] += "\nOut: [x](%s/../../../../../etc/passwd) ![i](%s/../secret/secret.png)\n" % (up, up)
            self.must_fail.append("a link out of the site")
        elif k == 14:
            # On an _index.md a slug does nothing (a warning).
            self.front(page, 'slug = "../../escape"\n', None if page.endswith("_index.md") else "a slug that climbs")
        elif k == 15:
            self.front(page, 'redirect_from = ["../../../evil.html"]\n', "a redirect out of the output")
        elif k == 16:
            tdir = os.path.join(self.root, "themes", self.theme, "templates")
            self.theme_edits.append(("templates/base.mustache", "{{> %s}}" % os.path.relpath(
                os.path.join(self.secret_dir, "secret"), tdir), "a partial out of the theme"))
        elif k == 17:
            self.theme_edits.append(("sass/style.scss", '@import "%s/secret";' % self.secret_dir,
                                     "a Sass import out of the theme"))
        elif k == 18:
            self.site_toml = self.site_toml.replace('title = "Random"',
                                                    'title = "R <script>alert(1)</script> \\" & <b>"')
        elif k == 22:
            self.site_toml = self.site_toml.replace('title = "Random"', 'title = "R \\u0007 bell"')
            self.must_fail.append("a control character in site.toml")
        elif k == 19:
            f[page] += ("\n[js](javascript:alert(1)) [vb](VBScript:x) <img src=x onerror=alert(1)>"
                        " <script>alert(2)</script>\n")
        elif k == 20:
            f[page] = "---\ntitle: &a Yaml\nother: *a\n---\nText.\n"
            self.must_fail.append("YAML anchors")
        elif k == 21:
            a, _ = self.cite()
            f["articles/%s.txt" % a] = f["articles/%s.txt" % a].replace(
                "+++\n", '+++\n[[annotations]]\nquote = "no such words anywhere"\nnote = "x"\n', 1)
            self.must_fail.append("an annotation that matches nothing")
        elif k == 23:
            f["notes/cafe\u0301.md"] = '+++\ntitle = "NFD"\n+++\nDecomposed name.\n'
            f["notes/caf\u00e9.md"] = '+++\ntitle = "NFC"\n+++\nComposed name.\n'
            self.must_fail.append("one name in NFC and NFD (one file on macOS)")
        elif k == 24:
            f["notes/dup-a.md"] = '+++\ntitle = "A"\nslug = "same"\n+++\nA.\n'
            f["notes/dup-b.md"] = '+++\ntitle = "B"\nslug = "same"\n+++\nB.\n'
            self.must_fail.append("two pages, one slug")
        elif k == 25:
            tgt = [p for p in f if p.endswith(".md") and p != page and not p.startswith("entities")]
            if tgt:
                self.front(page, 'redirect_from = ["%s"]\n' % tgt[0], "a redirect over a page")
        elif k == 26:
            n0 = self.entities[0][0]
            e1 = self.entities[1][2]
            t = f["entities/%s.md" % e1]
            if "aliases = [" in t:
                f["entities/%s.md" % e1] = t.replace("aliases = [", 'aliases = ["%s", ' % n0, 1)
            else:
                f["entities/%s.md" % e1] = t.replace("kind =", 'aliases = ["%s"]\nkind =' % n0, 1)
            self.must_fail.append("an alias that is another entity's name")
        elif k == 27:
            f[page] += "\nSee [here](#no-such-heading-here).\n"
            self.must_fail.append("a fragment to nothing")
        elif k == 28:
            f[page] += "\n" + " ".join(r.choice(WORDS) for _ in range(20000)) + "\n"
        elif k == 29:
            f["/".join("d%d" % x for x in range(25)) + "/deep.md"] = '+++\ntitle = "Deep"\n+++\nDeep [home](%s_index.md).\n' % ("../" * 25)
        elif k == 30:
            f["notes/-dash.md"] = '+++\ntitle = "Dash"\n+++\nDash.\n'
            f["notes/.hidden.md"] = '+++\ntitle = "Hidden"\n+++\nHidden.\n'
        elif k == 31:
            f[page] += "\n## Same\n\ntext\n\n## Same\n\nmore [x](#same-1) [y](#same)\n"
        elif k == 32:
            # A file renamed (git sees the rename): its history follows it.
            n, al, slug = self.entities[-1]
            old = "entities/%s.md" % slug
            if old in f:
                f["entities/renamed-%s.md" % slug] = f.pop(old)
        elif k == 33:
            # A topic deleted: its history ends, nothing may still list it.
            # Not after a mutation that must fail: it may be in that topic.
            ts = sorted(p for p in f if p.startswith("topics/"))
            if len(ts) > 1 and not self.must_fail:
                del f[ts[-1]]
        elif k == 34:
            # History turned on for a site that had none (its first commit).
            self.history = True
            self.site_toml = self.site_toml.replace("enabled = false", "enabled = true")
        elif k == 35:
            # Names as long as the output allows: an article's longest
            # output name, "<slug>.annotations.jsonld", is then 255 bytes.
            a = [p for p in f if p.startswith("articles/")][0]
            f["articles/" + "l" * 236 + ".txt"] = f[a]
            f["notes/" + "\u00e9" * 118 + ".md"] = '+++\ntitle = "Long"\n+++\nLong name.\n'
            f["notes/short.md"] = '+++\ntitle = "Short"\nslug = "%s"\n+++\nShort.\n' % ("s" * 236)
        elif k == 36:
            f["notes/" + "m" * 237 + ".md"] = '+++\ntitle = "Too long"\n+++\nA name too long.\n'
            self.must_fail.append("a file name too long for its outputs")
        elif k == 37:
            # A title that prints as nothing: empty, white space, format
            # characters, or a '# ' heading with no text.
            blank = r.choice(['""', '" "', '"\\t"', '"\\u00a0\\u200b"', '"\\u3000\\ufeff"'])
            titled = [q for q in f if re.search(r'^title = "[^"\n]*"$', f[q], re.M)]
            if r.random() < 0.25 or not titled:
                f["notes/blank-heading.md"] = "#" + r.choice(["", " ", "  \u200b"]) + "\n\nText.\n"
            else:
                q = r.choice(titled)
                f[q] = re.sub(r'^title = "[^"\n]*"$', lambda m: "title = " + blank, f[q], count=1, flags=re.M)
            self.must_fail.append("a blank title")
        elif k == 38:
            # A claim id that is no id: empty, with a space, the theme's
            # prefix, non-ASCII, or another claim's of the page.
            topics = [q for q in f if re.search(r'^id = "claim-\d+"$', f[q], re.M)]
            if topics:
                q = r.choice(topics)
                ids = re.findall(r'^id = "(claim-\d+)"$', f[q], re.M)
                bad = r.choice(['""', '"a b"', '"ds-main"', '"caf\u00e9"', '"%s"' % ids[0]])
                if bad == '"%s"' % ids[0] and len(ids) < 2:
                    bad = '""'
                last = list(re.finditer(r'^id = "claim-\d+"$', f[q], re.M))[-1]
                f[q] = f[q][:last.start()] + "id = " + bad + f[q][last.end():]
                self.must_fail.append("a claim id that is no id")

    def mutate_files(self, k):
        """Files of content/ that are no pages, and an article url (mutations 39-42)."""
        f = self.files
        if k == 39:
            # Active content: published as is only in unsafe mode.
            for rel, text in (("media/evil.html", "<script>alert(1)</script>\n"),
                              ("media/pic.svg", '<svg xmlns="http://www.w3.org/2000/svg"><script>alert(2)</script></svg>\n'),
                              ("media/app.js", "alert(3)\n"), ("media/NOTES", "<b>sniffed</b>\n")):
                f[rel] = text
                self.active.append(rel)
            f["media/chart.png"] = "not really a png\n"
            self.passive.append("media/chart.png")
        elif k == 40:
            # A file of content/ at a page's output path, or the home page's.
            # (the home page and the articles' list page always exist,
            # written from content/ or made by the build)
            rel = self.r.choice(["index.html", "articles/index.html"])
            f[rel] = "<h1>not the page</h1>\n"
            if self.unsafe:
                self.must_fail.append("a file of content/ over a page")
            else:
                self.active.append(rel)
        elif k == 41:
            # Two names one case-insensitive file system takes as one.
            f["notes/Case.md"] = '+++\ntitle = "Upper"\n+++\nUpper.\n'
            f["notes/case.md"] = '+++\ntitle = "Lower"\n+++\nLower.\n'
            self.must_fail.append("two names that differ only in case")
        elif k == 42:
            # An article's url that is no address.
            arts = [p for p in f if p.startswith("articles/") and p.endswith(".txt")]
            if arts:
                a = self.r.choice(arts)
                bad = self.r.choice(["javascript:alert(1)", "data:text/html,x", "vbscript:x", "https://"])
                f[a] = f[a].replace('url = "unknown"', 'url = "%s"' % bad, 1)
                self.must_fail.append("an article url that is no address")

    def write(self, mutations=()):
        shutil.rmtree(os.path.join(self.root, "content"), ignore_errors=True)
        self.links, self.theme_edits = [], []
        for k in mutations:
            self.mutate(k)
        theme_dir = os.path.join(self.root, "themes")
        shutil.rmtree(theme_dir, ignore_errors=True)
        shutil.copytree(os.path.join(TOP, "themes"), theme_dir, symlinks=True)
        for rel, text in self.files.items():
            p = os.path.join(self.root, "content", rel)
            os.makedirs(os.path.dirname(p), exist_ok=True)
            with open(p, "w", encoding="utf-8", newline="") as fh:
                fh.write(text)
        for rel, target in self.links:
            rel = rel.replace("THEME", "../themes/" + self.theme)
            p = os.path.normpath(os.path.join(self.root, "content", rel))
            os.makedirs(os.path.dirname(p), exist_ok=True)
            if not os.path.lexists(p):
                os.symlink(target, p)
        for rel, line, what in self.theme_edits:
            p = os.path.join(theme_dir, self.theme, rel)
            if os.path.exists(p):  # the plain theme may have no such file
                with open(p, "a", encoding="utf-8") as fh:
                    fh.write("\n" + line + "\n")
                self.must_fail.append(what)
        with open(os.path.join(self.root, "site.toml"), "w", encoding="utf-8") as fh:
            fh.write(self.site_toml)
        if self.history:
            self.commit()

    def commit(self, message="Edit"):
        """Commits content/ and site.toml as they are (a repository made if
        there is none)."""
        env = dict(os.environ, GIT_AUTHOR_NAME="A", GIT_AUTHOR_EMAIL="a@x", GIT_COMMITTER_NAME="A",
                   GIT_COMMITTER_EMAIL="a@x", GIT_AUTHOR_DATE="2025-01-27T10:00:00+00:00",
                   GIT_COMMITTER_DATE="2025-01-27T10:00:00+00:00", GIT_CONFIG_GLOBAL="/dev/null",
                   GIT_CONFIG_NOSYSTEM="1")
        g = ["git", "-C", self.root]
        if not os.path.isdir(os.path.join(self.root, ".git")):
            subprocess.run(g + ["init", "-q", "-b", "main"], env=env, check=True)
        subprocess.run(g + ["add", "-A", "content", "site.toml"], env=env, check=True)
        subprocess.run(g + ["commit", "-q", "--allow-empty", "-m", message], env=env, check=True)


# --- checking an output --------------------------------------------------------
# The elements the theme and cmark-gfm write; in safe mode no other may
# appear (a name like "<Tag> Systems" printed unescaped would).
ELEMENTS = set("""html head body title meta link script style main header footer nav section article aside
div span p a em strong del code pre blockquote ul ol li table thead tbody tr th td h1 h2 h3 h4 h5 h6 hr br
img input label button form details summary mark time abbr sup sub small figure figcaption dl dt dd
svg path title use template noscript kbd s q cite dfn var samp b i u caption colgroup col tfoot
select option textarea output progress meter picture source ins""".split())


class Collect(html.parser.HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.ids, self.urls, self.bad, self.scripts = set(), [], [], []
        self.in_script = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        for k in ("id", "name"):
            if a.get(k):
                self.ids.add(a[k])
        for k in ("href", "src"):
            if a.get(k) is not None:
                self.urls.append((tag, k, a[k]))
        for k, _ in attrs:
            if k.startswith("on"):
                self.bad.append("attribute %s on <%s>" % (k, tag))
        if tag == "script" and not a.get("src") and a.get("type") != "application/ld+json":
            self.in_script = ""

        if tag in ("iframe", "object", "embed"):
            self.bad.append("a <%s>" % tag)
        elif tag not in ELEMENTS:
            self.bad.append("an element <%s> no template or Markdown writes" % tag)


    def handle_data(self, data):
        if self.in_script is not None:
            self.in_script += data

    def handle_endtag(self, tag):
        if tag == "script" and self.in_script is not None:
            self.scripts.append(self.in_script)
            self.in_script = None


def parse(path, cache):
    if path not in cache:
        c = Collect()
        with open(path, encoding="utf-8", errors="replace") as fh:
            c.feed(fh.read())
        cache[path] = c
    return cache[path]


def theme_scripts(root):
    """A pattern for each inline <script> of the theme's templates, its
    Mustache tags standing for any text: the only inline scripts allowed."""
    pats = []
    for d, _, files in os.walk(os.path.join(root, "themes")):
        for f in files:
            if f.endswith(".mustache"):
                with open(os.path.join(d, f), encoding="utf-8", errors="replace") as fh:
                    for body in re.findall(r"<script>(.*?)</script>", fh.read(), re.S):
                        parts = re.split(r"\{\{[^}]*\}\}", body.strip())
                        pats.append(re.compile("^" + ".*?".join(re.escape(x) for x in parts) + "$", re.S))
    return pats


def check_output(out, safe, theme, raw):
    """`raw`: the text of the content, whose raw HTML unsafe mode keeps as
    written, broken URLs and all: those are not checked."""
    problems = []
    cache = {}
    for d, _, files in os.walk(out):
        for f in files:
            if not f.endswith(".html"):
                continue
            p = os.path.join(d, f)
            c = parse(p, cache)
            if safe:
                problems += ["%s: %s" % (os.path.relpath(p, out), b) for b in c.bad]
                problems += ["%s: an inline <script> no template holds: %r" % (os.path.relpath(p, out), t[:80])
                             for t in c.scripts if not any(x.match(t.strip()) for x in theme)]
            for tag, attr, u in c.urls:
                low = re.sub(r"[\x00-\x20]", "", u).lower()
                if safe and (low.startswith("javascript:") or low.startswith("vbscript:") or
                             (low.startswith("data:") and not (tag == "img" and low.startswith("data:image/")))):
                    problems.append("%s: %s=%r" % (os.path.relpath(p, out), attr, u))
                if re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*:", u) or u.startswith("//") or u == "":
                    continue
                if not safe and any(u == v or u.endswith("/" + v) for v in raw):
                    continue  # print.html moves it to the page's folder
                path, _, frag = u.partition("#")
                path = path.partition("?")[0]
                if path == "":
                    target = p
                else:
                    target = os.path.normpath(os.path.join(d, urllib.parse.unquote(path)))
                    if path.endswith("/"):
                        target = os.path.join(target, "index.html")
                if not (target + os.sep).startswith(out + os.sep) or not os.path.isfile(target):
                    problems.append("%s: %s=%r opens nothing" % (os.path.relpath(p, out), attr, u))
                elif frag and target.endswith(".html") and urllib.parse.unquote(frag) not in parse(target, cache).ids:
                    problems.append("%s: %s=%r: no id %r there" % (os.path.relpath(p, out), attr, u, frag))
    return problems


def build(dossier, root, out, jobs):
    p = subprocess.run([dossier, "build", "-C", root, "-o", out, "-j", str(jobs), "-q"],
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    return p.returncode, p.stderr


def check_build(dossier, site, out, secret, before_out, label, valid=False):
    root = site.root
    content_before = sha_tree(root, skip=os.path.join(root, ".git"))
    beside = lambda: sorted(set(os.listdir(os.path.dirname(out))) - {os.path.basename(out)})
    parent_before = beside()
    rc, err = build(dossier, root, out, 4)
    text = err.decode("utf-8", errors="replace")
    problems = []
    if rc not in (0, 1) or (valid and rc != 0):
        problems.append("exit status %d" % rc)
    if re.search(rb"[\x00-\x08\x0b-\x1f\x7f]", err):
        problems.append("a control byte on stderr")
    errors = 0
    for line in text.splitlines():
        if line.startswith("dossier"):
            continue
        m = DIAG.match(line)
        if not m:
            problems.append("not a diagnostic line: %r" % line[:200])
            continue
        errors += m.group("kind") == "error"
        f = m.group("file")
        if "\\" not in f and not os.path.lexists(os.path.join(root, f)):
            problems.append("diagnostic names no file of the site: %r" % line[:200])
    if (rc == 1) != (errors > 0):
        problems.append("exit %d with %d error lines" % (rc, errors))
    if sha_tree(root, skip=os.path.join(root, ".git")) != content_before:
        problems.append("the build changed a file of the site")
    if beside() != parent_before:
        problems.append("the build left something beside the output folder: %s" %
                        sorted(set(beside()) ^ set(parent_before)))
    if os.path.isdir(out):
        for d, _, files in os.walk(out):
            for f in files:
                with open(os.path.join(d, f), "rb") as fh:
                    if secret in fh.read():
                        problems.append("the secret outside the site is in %s" % os.path.relpath(os.path.join(d, f), out))
    if rc == 1:
        if before_out is not None and sha_tree(out) != before_out:
            problems.append("the failed build changed the previous output")
    else:
        if site.must_fail:
            problems.append("built (exit 0) although it holds: %s" % ", ".join(site.must_fail))
        first = sha_tree(out)
        rc1, _ = build(dossier, root, out + "-j1", 1)
        if rc1 != 0 or sha_tree(out + "-j1") != first:
            problems.append("-j 1 gives other bytes than -j 4 (exit %d)" % rc1)
        shutil.rmtree(out + "-j1", ignore_errors=True)
        raw = set(re.findall(r"""(?:src|href)\s*=\s*["']?([^"'\s>]+)""", "\n".join(site.files.values())))
        problems += check_output(out, not site.unsafe, theme_scripts(root), raw)
        for rel in site.active + site.passive:
            published = os.path.isfile(os.path.join(out, rel))
            with open(os.path.join(root, "content", rel), "rb") as fh:
                same = published and open(os.path.join(out, rel), "rb").read() == fh.read()
            if (site.unsafe or rel in site.passive) and not same:
                problems.append("content/%s is not published as it is" % rel)
            if not site.unsafe and rel in site.active and same:
                problems.append("content/%s is published in safe mode" % rel)
    if problems:
        raise Fail("%s:\n      %s\n    stderr:\n      %s" % (label, "\n      ".join(problems[:12]),
                                                            "\n      ".join(text.splitlines()[:12])))
    return rc


def main():
    dossier, work = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
    count = int(sys.argv[3]) if len(sys.argv) > 3 else 40
    seed = int(sys.argv[4]) if len(sys.argv) > 4 else 1
    secret_dir = os.path.join(work, "secret")
    os.makedirs(secret_dir, exist_ok=True)
    secret = b"SECRET-%d-not-for-publishing" % seed
    with open(os.path.join(secret_dir, "secret.md"), "wb") as fh:
        fh.write(b'+++\ntitle = "Secret"\n+++\n' + secret + b"\n")
    with open(os.path.join(secret_dir, "secret.scss"), "wb") as fh:
        fh.write(b"/* " + secret + b" */ p { color: red }\n")
    with open(os.path.join(secret_dir, "secret.mustache"), "wb") as fh:
        fh.write(secret + b"\n")
    failures = 0
    counts = {0: 0, 1: 0}
    for i in range(count):
        r = random.Random("%d:%d" % (seed, i))
        sdir = os.path.join(work, "s%d" % i)
        root = os.path.join(sdir, "site")
        out = os.path.join(sdir, "out", "public")
        os.makedirs(root)
        os.makedirs(os.path.dirname(out))
        site = Site(r, root, secret_dir)
        try:
            site.make()
            site.write()
            check_build(dossier, site, out, secret, None, "seed %d site %d (valid)" % (seed, i), valid=True)
            before = sha_tree(out)
            # Half the sites get only mutations a site may hold and build.
            benign = [0, 1, 9, 18, 19, 28, 29, 30, 31, 32, 33, 34, 35, 39]
            muts = [r.choice(benign) if i % 2 else r.randrange(43) for _ in range(r.randint(1, 4))]
            site.must_fail, site.active, site.passive = [], [], []
            site.write(muts)
            rc = check_build(dossier, site, out, secret, before,
                             "seed %d site %d (mutations %s)" % (seed, i, muts))
            counts[rc] += 1
        except Fail as e:
            failures += 1
            print("FAIL: %s" % e)
        except subprocess.CalledProcessError as e:
            failures += 1
            print("FAIL: seed %d site %d: %s" % (seed, i, e))
        if not os.environ.get("KEEP"):
            shutil.rmtree(sdir, ignore_errors=True)
    print("random sites: %d passed, %d failed (seed %d; mutated: %d built, %d refused)"
          % (count - failures, failures, seed, counts[0], counts[1]))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
