#!/usr/bin/env python3
"""GFM conformance on inputs nobody wrote: seeded random Markdown documents,
built by dossier as every page kind in both modes and compared with what
Debian's `cmark-gfm` command renders, exactly as gfm_test.py compares the
spec's examples (the same documented additions taken out, the same
normalize.py, the same rejections).

Two generators, COUNT documents each:
- "grammar": 1 to 6 blocks (headings, fences, quotes, nested lists, tables
  with short and long rows, task items, footnote definitions, raw HTML
  blocks of every kind, indented code, setext headings, link reference
  definitions of every form, tab-indented and two-paragraph list items,
  repeated headings, paragraphs)
  of inlines (emphasis nested three deep, code spans, links, images,
  strikethrough, bare and angle autolinks, www and e-mail autolinks, entity
  and numeric references, escapes, hard breaks, footnote references,
  reference links, curly quotes, comments, pipes, and hostile ones:
  javascript:, vbscript:, file: and data: URLs, event handlers, the tags
  the tagfilter escapes, bad entity references);
- "chaos": 5 to 120 tokens drawn from Markdown's punctuation and markers
  (`*_[]()!<>#-+|~\\`, tabs, blank lines, fences, list and quote markers,
  delimiter rows, HTML tags, non-ASCII), the edges the grammar misses.

    python3 gfm_random.py SPEC_DIR DOSSIER CMARK_GFM WORKDIR [COUNT [SEED]]

COUNT defaults to 1000, SEED to 1; the same seed gives the same documents,
so a failure is reproduced by its seed (printed with each failure).
"""
import os
import random
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import gfm_test  # noqa: E402

WORDS = "alpha beta gamma delta cost chip model price open source market lab".split()


def words(r, lo=1, hi=3):
    return " ".join(r.choice(WORDS) for _ in range(r.randint(lo, hi)))


def inline(r, depth=0):
    parts = []
    for _ in range(r.randint(1, 6)):
        k = 0 if depth > 2 else r.randint(0, 23)
        w = words(r)
        parts.append([
            lambda: w,
            lambda: "*%s*" % inline(r, depth + 1),
            lambda: "**%s**" % inline(r, depth + 1),
            lambda: "_%s_" % w,
            lambda: "`%s`" % w,
            lambda: "[%s](https://example.org/%s)" % (w, r.choice(WORDS)),
            lambda: "~~%s~~" % w,
            lambda: "https://example.org/%s" % r.choice(WORDS),
            lambda: "&amp; &copy; &#35;",
            lambda: "<span>%s</span>" % w,
            lambda: "\\*%s\\*" % w,
            lambda: "[^%d]" % r.randint(1, 3),
            lambda: "![%s](img/%s.png)" % (w, r.choice(WORDS)),
            lambda: "%s  \n%s" % (w, r.choice(WORDS)),
            lambda: "www.example.com/%s" % r.choice(WORDS),
            lambda: "<https://example.org/%s>" % r.choice(WORDS),
            lambda: "a|b",
            lambda: "\u201c%s\u201d \u2019s" % w,
            lambda: "***%s***" % w,
            lambda: "<!-- %s -->" % w,
            lambda: "foo@example.com",
            lambda: "[%s][ref]" % w,
            lambda: r.choice(HOSTILE),
            lambda: w,
        ][k]())
    return " ".join(parts)


# What a hostile or careless page holds: URLs of the schemes safe mode
# empties (any case, with entities), raw HTML inlines with handlers, the
# tags GFM's tagfilter escapes, entity references valid and not, intraword
# underscores, backslash breaks.
HOSTILE = [
    "[x](javascript:alert(1))", "[x](JaVaScRiPt:alert(1))", "[x](java&#115;cript:alert(1))",
    "[x](vbscript:msgbox)", "[x](file:///etc/passwd)", "[x](data:text/html,hi)",
    "![x](data:image/png;base64,AAAA)", "<javascript:alert(1)>", "<a href=\"javascript:alert(1)\">x</a>",
    "<img src=x onerror=alert(1)>", "<script>alert(1)</script>", "<textarea>", "<iframe src=x>",
    "<style>p{}</style>", "<xmp>", "<plaintext>", "&nbsp; &#x1F600; &bogus; &#0;", "snake_case_word",
    "foo\\\nbar", "[a [nested] b](https://example.org/n)", "[x](<https://example.org/a b>)",
    "[x](https://example.org/q?a=1&b=2 \"t\")", "\u00e9t\u00e9 \u4e2d\u6587",
]


def block(r, depth=0):
    k = r.randint(0, 22)
    if depth > 2 and k in (3, 4, 5, 8):
        k = 0
    if k == 1:
        return "#" * r.randint(1, 6) + " " + inline(r)
    if k == 2:
        return "```%s\n%s\n```" % (r.choice(["", "python", "c"]), inline(r))
    if k == 3:
        return "\n".join("> " + line for line in block(r, depth + 1).split("\n"))
    if k == 4:
        marker = r.choice(["-", "*", "1.", "2)"])
        indent = " " * (len(marker) + 1)
        items = []
        for _ in range(r.randint(1, 4)):
            lines = block(r, depth + 1).split("\n")
            items.append(marker + " " + lines[0] +
                         "".join("\n" + indent + line if line else "\n" for line in lines[1:]))
        return ("\n\n" if r.random() < 0.3 else "\n").join(items)
    if k == 5:
        n = r.randint(1, 4)
        head = "| " + " | ".join(r.choice(WORDS) for _ in range(n)) + " |"
        delim = "|" + "|".join(r.choice(["---", ":--", "--:", ":-:"]) for _ in range(n)) + "|"
        rows = ["| " + " | ".join(inline(r, 3) for _ in range(r.randint(1, n + 1))) + " |"
                for _ in range(r.randint(0, 3))]
        return "\n".join([head, delim] + rows)
    if k == 6:
        return "---"
    if k == 7:
        return "- [%s] %s" % (r.choice([" ", "x"]), inline(r))
    if k == 8:
        return "[^%d]: %s" % (r.randint(1, 3), inline(r))
    if k == 9:
        return "<div>\n%s\n</div>" % inline(r)
    if k == 10:
        return "    " + inline(r)
    if k == 11:
        return inline(r) + "\n" + r.choice(["===", "---"])
    if k == 12:
        return '[ref]: https://example.org/ref "T"'
    if k == 13:
        return inline(r) + "\n" + inline(r)
    if k == 14:
        # HTML blocks of kinds 1 to 6 (CommonMark 4.6), and one the
        # tagfilter escapes.
        return r.choice([
            "<script>\nalert(1)\n</script>", "<pre>\n*%s*\n</pre>" % words(r),
            "<?php echo 1; ?>", "<!DOCTYPE html>", "<![CDATA[\n%s\n]]>" % words(r),
            "<style>\np { color: red }\n</style>", "<table><tr><td>\n%s\n</td></tr></table>" % words(r),
            "<textarea>\n%s\n</textarea>" % words(r), "<iframe src=\"x\">\n</iframe>"])
    if k == 15:
        # Tab and deep indentation in lists, a list item of two paragraphs.
        return r.choice(["-\t%s" % inline(r), "1.  %s\n\n    %s" % (inline(r), inline(r)),
                         "- %s\n\n\t%s" % (words(r), words(r)), " -  %s\n   - %s" % (words(r), words(r))])
    if k == 16:
        # Reference definitions of every form, used and not.
        return r.choice(['[ref]:\n  https://example.org/r\n  "title\nover lines"',
                         "[ref]: <https://example.org/a b> 'T'", "[Ref]: https://example.org/case (T)",
                         "[ref]: https://example.org/r\n[%s][ref] [ref] [REF][]" % words(r)])
    if k == 17:
        # The same heading twice: ids must stay unique.
        h = "## " + words(r)
        return h + "\n\n" + h
    return inline(r)


def grammar_doc(r):
    return "\n\n".join(block(r) for _ in range(r.randint(1, 6))) + "\n"


TOKENS = list("*_`[]()!<>#-+|~\\ \n\n\t:&;x1.=\"'/") + [
    "http://", "www.", "- ", "1. ", "> ", "```", "~~~", "|---|", "[^1]", "[x]", "<div>", "</div>",
    "&amp;", "a@b.co", "    ", "\n\n", "$", "\u201c", "\u00e9"]


def chaos_doc(r):
    return "".join(r.choice(TOKENS) for _ in range(r.randint(5, 120))) + "\n"


def main():
    spec_dir, dossier, cli, work = sys.argv[1:5]
    count = int(sys.argv[5]) if len(sys.argv) > 5 else 1000
    seed = int(sys.argv[6]) if len(sys.argv) > 6 else 1
    examples = []
    for name, make in (("grammar", grammar_doc), ("chaos", chaos_doc)):
        for i in range(count):
            # One generator per document, seeded from (seed, kind, i), so a
            # failure names the one document to reproduce.
            r = random.Random("%d/%s/%d" % (seed, name, i))
            examples.append({"md": make(r), "section": "seed %d, %s document %d" % (seed, name, i),
                             "file": "gfm_random.py"})
    print("gfm-random: %d documents (%d grammar, %d chaos), seed %d" % (len(examples), count, count, seed))
    return gfm_test.run(spec_dir, dossier, cli, work, examples)


if __name__ == "__main__":
    sys.exit(main())
