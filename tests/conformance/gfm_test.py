#!/usr/bin/env python3
"""GFM conformance of every page kind: the examples of cmark-gfm's spec.txt,
extensions.txt and regression.txt, each placed as an article .md, a topic, an
entity and a top-level page of one site, built with `dossier build` in safe and
unsafe mode, and compared (after the spec's normalize.py) with what Debian's
`cmark-gfm` command renders with dossier's extensions.

    python3 gfm_test.py SPEC_DIR DOSSIER CMARK_GFM WORKDIR

Before comparing, dossier's documented additions are taken out of its HTML,
each by one narrow pattern (ADDITIONS below), and in safe mode the
`<!-- raw HTML omitted -->` comments cmark writes where dossier writes nothing
are taken out of cmark's (REMOVALS). An example a documented check rejects
(links must resolve and be relative, content must be valid UTF-8) is reported
with the rule that rejects it, never as passed. Every other difference is a
failure; cmark's links to the page's own folder are made the list page's
(REWRITES), as dossier documents. Prints "N passed, N failed" per page kind
and mode; exit 1 on any
failure.
"""
import os
import re
import shutil
import subprocess
import sys
import urllib.parse
import warnings

EXTENSIONS = ["footnotes", "table", "strikethrough", "autolink", "tagfilter", "tasklist"]

KINDS = {
    # kind: (folder under content/, front matter)
    "article .md": ("articles", 'publisher = "unknown"\npublished = "unknown"\nurl = "unknown"\n'),
    "topic": ("topics", ""),
    "entity": ("entities", 'kind = "concept"\n'),
    "top-level page": ("", ""),
}

# Documented additions (README, "Content"): each a pattern and its
# replacement, applied to dossier's HTML in this order.
ADDITIONS = [
    ("heading id and self-link",
     re.compile(r'(<h[1-6]) id="[^"]*"><a class="anchor" href="#[^"]*" aria-hidden="true" tabindex="-1">#</a>'),
     r"\1>"),
    ("block id on a wrapper (code, table, rule, raw HTML)",
     re.compile(r'<div class="block" id="p(\d+)">\n((?:.|\n)*?) <a class="para-link" href="#p\1" '
                r'aria-label="Link to paragraph \1">¶\1</a>\n?</div>\n'),
     r"\2"),
    ("block id", re.compile(r'<(p|li|blockquote) id="p\d+">'), r"<\1>"),
    # After a raw HTML block (a quote's or an item's last), the link has a
    # line of its own: the line goes with it.
    ("paragraph link on a line of its own",
     re.compile(r'\n <a class="para-link" href="#p(\d+)" aria-label="Link to paragraph \1">¶\1</a>(?=\n)'), ""),
    ("paragraph link",
     re.compile(r' <a class="para-link" href="#p(\d+)" aria-label="Link to paragraph \1">¶\1</a>'), ""),
    ("entity link", re.compile(r'<a class="entity" href="[^"]*">((?:.|\n)*?)</a>'), r"\1"),
]
REMOVALS = [
    ("raw HTML dropped in safe mode (cmark leaves a comment)",
     re.compile(r"^<!-- raw HTML omitted -->\n|<!-- raw HTML omitted -->", re.M), ""),
]
# Documented link rewrites (README, Links), applied to cmark's HTML: a link
# to the page's own folder opens the folder's list page, index.html beside
# every example page.
REWRITES = [
    ("link to the page's folder opens its list page", re.compile(r'href="\./?"'), 'href="index.html"'),
]

# Diagnostics that a documented check gives for an example; the example is
# then reported as rejected, with the rule.
REJECTIONS = [
    (re.compile(r"link '.*' is absolute"), "links are relative paths (README, Links)"),
    (re.compile(r"link target '.*' not found"), "link targets must exist (README, Links)"),
    (re.compile(r"link target '.*' is not published"),
     "safe mode publishes only passive files of content/, so a link to an extensionless one is an error "
     "(README, Content)"),
    (re.compile(r"no heading or anchor"), "link fragments must exist (README, Links)"),
    (re.compile(r"invalid UTF-8"), "content is valid UTF-8 (README, check)"),
]


def get_examples(path):
    """The examples of a spec file, as cmark's spec_tests.py reads them."""
    examples, md, html, state, exts, section = [], [], [], 0, [], ""
    with open(path, encoding="utf-8", newline="\n") as f:
        for line in f:
            s = line.strip()
            if s.startswith("`" * 32 + " example"):
                state, exts = 1, s[32 + len(" example"):].split()
            elif s == "`" * 32:
                if "disabled" not in exts:
                    examples.append({"md": "".join(md).replace("→", "\t"), "section": section,
                                     "file": os.path.basename(path)})
                state, md, html = 0, [], []
            elif s == ".":
                state = 2
            elif state == 1:
                md.append(line)
            elif state == 2:
                html.append(line)
            elif state == 0 and re.match("#+ ", line):
                section = re.sub("#+ ", "", line).strip()
    return examples


def cmark(cli, md, unsafe):
    args = [cli, "--validate-utf8", "--github-pre-lang"] + sum((["-e", e] for e in EXTENSIONS), [])
    if unsafe:
        args.append("--unsafe")
    return subprocess.run(args, input=md.encode("utf-8"), stdout=subprocess.PIPE, check=True).stdout.decode("utf-8")


def page_path(site, kind, n):
    folder = KINDS[kind][0]
    return os.path.join(site, "content", folder, "ex%04d.md" % n)


def write_site(site, examples, live, unsafe):
    shutil.rmtree(site, ignore_errors=True)
    os.makedirs(os.path.join(site, "themes", "bare", "templates"))
    with open(os.path.join(site, "themes", "bare", "templates", "page.mustache"), "w") as f:
        f.write("{{{page.content}}}")
    with open(os.path.join(site, "site.toml"), "w") as f:
        f.write('title = "GFM conformance"\ntheme = "bare"\n[history]\nenabled = false\n'
                "[markdown]\nunsafe = %s\n" % ("true" if unsafe else "false"))
    os.makedirs(os.path.join(site, "content"))
    with open(os.path.join(site, "content", "_index.md"), "w") as f:
        f.write('+++\ntitle = "Home"\n+++\n')
    for kind, (folder, fm) in KINDS.items():
        os.makedirs(os.path.join(site, "content", folder), exist_ok=True)
        for n, ex in enumerate(examples, 1):
            if (kind, n) not in live:
                continue
            # Entity titles are names matched on every page: make them
            # words no example holds.
            title = "Qzxv%04dq" % n if kind == "entity" else "Example %d" % n
            with open(page_path(site, kind, n), "w", encoding="utf-8", newline="\n") as f:
                f.write('+++\ntitle = "%s"\n%s+++\n' % (title, fm))
                f.write(ex["md"])


DIAG = re.compile(r"^content/(?:(articles|topics|entities)/)?ex(\d{4,})\.md:\d+:\d+: error: (.*)$")
FOLDER_KIND = {v[0]: k for k, v in KINDS.items()}


def asset_for(site, folder, target):
    """A file for a missing relative link target, so the link is kept as an
    asset link (written as is) and the example can still be compared; None
    for targets that name pages or leave the folder."""
    path = urllib.parse.unquote(target)
    if (not path or path.endswith((".md", ".txt")) or path.startswith("/") or "\0" in path
            or any(seg == ".." for seg in path.split("/"))):
        return None
    if path.endswith("/"):
        return None
    return os.path.join(site, "content", folder, path)


def build(dossier, site, examples, live, unsafe, rejected):
    """Builds until it succeeds: missing link targets get asset files, other
    documented rejections take the example's page out."""
    write_site(site, examples, live, unsafe)
    assets = set()
    for _ in range(6):
        for a in assets:
            os.makedirs(os.path.dirname(a), exist_ok=True)
            if not os.path.isdir(a):
                open(a, "a").close()
        r = subprocess.run([dossier, "build", "-C", site, "-q"], stderr=subprocess.PIPE)
        err = r.stderr.decode("utf-8", "replace").splitlines()
        if r.returncode == 0:
            return True
        progress, fresh = False, set()
        for line in err:
            m = DIAG.match(line)
            if not m:
                if ": error: " in line:
                    print("gfm-test: unexpected build error: " + line)
                    return False
                continue
            folder, n, msg = m.group(1) or "", int(m.group(2)), m.group(3)
            kind = FOLDER_KIND[folder]
            t = re.match(r"link target '(.*)' not found$", msg)
            a = asset_for(site, folder, t.group(1)) if t else None
            if a and (a in fresh or (a not in assets and not os.path.exists(a))):
                assets.add(a)
                fresh.add(a)
                progress = True
                continue
            rule = next((why for pat, why in REJECTIONS if pat.search(msg)), None)
            if (kind, n) in live:
                live.discard((kind, n))
                rejected.setdefault((kind, n), rule or "unexplained error: " + msg)
                os.remove(page_path(site, kind, n))
                progress = True
        if not progress:
            print("gfm-test: build keeps failing:\n  " + "\n  ".join(err[:10]))
            return False
    return False


def strip(html, rules, used=None):
    """html with each rule applied; `used` counts the examples each rule
    changed, so the report names every addition it took out."""
    for name, pat, rep in rules:
        html, n = pat.subn(rep, html)
        if n and used is not None:
            used[name] = used.get(name, 0) + 1
    return html


def main():
    spec_dir, dossier, cli, work = sys.argv[1:5]
    examples = []
    for name in ("spec.txt", "extensions.txt", "regression.txt"):
        examples += get_examples(os.path.join(spec_dir, name))
    return run(spec_dir, dossier, cli, work, examples)


def run(spec_dir, dossier, cli, work, examples):
    """Builds `examples` (dicts of md, section and file) as every page kind
    in both modes and compares each page with cmark-gfm's HTML; prints the
    report and returns the exit status."""
    warnings.simplefilter("ignore")
    sys.path.insert(0, spec_dir)
    # normalize.py predates Python 3.8, which removed cgi.escape; html.escape
    # is the same function.
    import cgi
    import html
    cgi.escape = html.escape
    from normalize import normalize_html

    def norm(html):
        # Python's HTML parser, under normalize.py, gives up on some raw
        # HTML of random inputs (a "<![x" marked section): such a page is
        # then compared with its runs of white space made one space (words
        # run together still differ).
        try:
            return normalize_html(html)
        except AssertionError:
            return re.sub(r"\s+", " ", html).strip()

    failed_any = False
    for unsafe in (False, True):
        mode = "unsafe" if unsafe else "safe"
        site = os.path.join(work, mode)
        live = {(k, n) for k in KINDS for n in range(1, len(examples) + 1)}
        rejected = {}
        if not build(dossier, site, examples, live, unsafe, rejected):
            return 1
        expected = [cmark(cli, ex["md"], unsafe) for ex in examples]
        for kind, (folder, _) in KINDS.items():
            passed, failures, used = 0, [], {}
            for n, ex in enumerate(examples, 1):
                if (kind, n) not in live:
                    continue
                with open(os.path.join(site, "public", folder, "ex%04d.html" % n), encoding="utf-8") as f:
                    got = f.read()
                want = expected[n - 1]
                if not unsafe:
                    want = strip(want, REMOVALS, used)
                want = strip(want, REWRITES, used)
                if norm(strip(got, ADDITIONS, used)) == norm(want):
                    passed += 1
                else:
                    failures.append((n, got, want))
            rej = sorted((n, why) for (k, n), why in rejected.items() if k == kind)
            unexplained = [(n, why) for n, why in rej if why.startswith("unexplained")]
            nfail = len(failures) + len(unexplained)
            print("gfm-test: %-14s %-6s %d passed, %d failed, %d rejected by documented checks"
                  % (kind + ",", mode + ":", passed, nfail, len(rej) - len(unexplained)))
            if used:
                print("    taken out before comparing: " + "; ".join(
                    "%s (%d)" % (name, used[name]) for name, _, _ in ADDITIONS + REMOVALS + REWRITES if name in used))
            byrule = {}
            for n, why in rej:
                byrule.setdefault(why, []).append(n)
            for why, ns in sorted(byrule.items()):
                print("    %s: %d (examples %s)" % (why, len(ns), " ".join(map(str, ns[:12])) +
                                                 (" …" if len(ns) > 12 else "")))
            for n, got, want in failures[:5]:
                ex = examples[n - 1]
                print("  FAIL example %d (%s, %s):\n    markdown: %r\n    cmark-gfm: %r\n    dossier:   %r"
                      % (n, ex["file"], ex["section"], ex["md"], want, strip(got, ADDITIONS)))
            if len(failures) > 5:
                print("  … and %d more failures" % (len(failures) - 5))
            failed_any = failed_any or nfail > 0
    return 1 if failed_any else 0


if __name__ == "__main__":
    sys.exit(main())
