#!/usr/bin/env python3
"""Writes one adversarial site for tests/bench/adversarial.sh (finding 12 of
issue 11): adversarial_gen.py KIND N DIR, KIND one of
  article      an imported article of N MB (one paragraph per line)
  emphasis     N-deep nested emphasis with text at every level (*a *a ... b* b*)
  lists        N-deep nested bullet lists ("- - - ... x")
  quotes       N-deep nested block quotes ("> > > ... x")
  annotations  an article of N paragraphs with one annotation on each
  aliases      one entity with N aliases, a topic mentioning 1,000 of them
  aliases-utf8 one entity with N aliases of 60 random Greek, Cyrillic and
               Latin-1/Extended-A letters (many distinct bytes: wide DFA rows)
  cooccur      N entities, every one named in one paragraph (N^2 pairs)
  emphasis-entities  the same with every name emphasised (snippets cut from
               the paragraph's text, not one TEXT node)
  toml-keys    a site.toml whose [params] table has N keys
  heading-links  a page of N headings and a page linking to each of them
               (each fragment looked up among the N)
  quote-long   a quotation of N words, found, in a paragraph of 2N words
  quote-wrong  the same with one word wrong (the nearest text is sought)
  yaml-deep    YAML front matter nested N deep in flow style ([[[...]]])
The site has a site.toml and content/; the caller links the themes in."""
import os
import sys

kind, n, top = sys.argv[1], int(sys.argv[2]), sys.argv[3]
os.makedirs(os.path.join(top, "content", "topics"), exist_ok=True)
os.makedirs(os.path.join(top, "content", "articles"), exist_ok=True)
with open(os.path.join(top, "site.toml"), "w") as f:
    f.write('title = "Adversarial"\ntheme = "plain"\n[history]\nenabled = false\n')
ARTICLE_HEAD = ('+++\ntitle = "Big"\npublisher = "P"\npublished = "2025-01-27"\n'
                'url = "https://example.org/big"\n')


def write(rel, text):
    with open(os.path.join(top, "content", rel), "w", encoding="utf-8") as f:
        f.write(text)


def topic(body):
    write("topics/t.md", '+++\ntitle = "T"\n+++\n' + body + "\n")


words = ("the model was trained on a cluster of accelerators and the results "
         "were compared with the reports of other laboratories").split()
if kind == "article":
    target = n * 1024 * 1024
    with open(os.path.join(top, "content", "articles", "big.txt"), "w") as f:
        f.write(ARTICLE_HEAD + "+++\n")
        size, i = 0, 0
        while size < target:
            line = "Paragraph %d: %s.\n" % (i, " ".join(words[i % 7:] + words[:i % 7]))
            f.write(line)
            size += len(line)
            i += 1
    topic("See [the article](../articles/big.txt#p1).")
elif kind == "emphasis":
    # Text at every level: *a *a ... deep b* b* (n nested <em>).
    topic("*a " * n + "deep" + " b*" * n)
elif kind == "lists":
    topic("- " * n + "deep")
elif kind == "quotes":
    topic("> " * n + "deep")
elif kind == "annotations":
    parts = [ARTICLE_HEAD]
    for i in range(n):
        parts.append('[[annotations]]\nquote = "w%dx"\nnote = "Note %d."\n' % (i, i))
    parts.append("+++\n")
    for i in range(n):
        parts.append("Paragraph %d says w%dx here, among other words.\n" % (i, i))
    write("articles/a.txt", "".join(parts))
    topic("See [the article](../articles/a.txt#p1).")
elif kind == "aliases":
    names = ", ".join('"Alias%05d Corp"' % i for i in range(n))
    os.makedirs(os.path.join(top, "content", "entities"), exist_ok=True)
    write("entities/e.md", '+++\ntitle = "Entity"\nkind = "organization"\naliases = [%s]\n+++\nAn entity.\n' % names)
    step = max(1, n // 1000)
    topic("\n\n".join("Mention of Alias%05d Corp here." % i for i in range(0, n, step)))
elif kind == "aliases-utf8":
    import random
    rng = random.Random(1)
    alpha = [chr(c) for c in list(range(0x3b1, 0x3ca)) + list(range(0x430, 0x450))
             + list(range(0xe0, 0xff)) + list(range(0x100, 0x17f))]
    names = set()
    while len(names) < n:
        names.add("".join(rng.choice(alpha) for _ in range(60)))
    names = sorted(names)
    os.makedirs(os.path.join(top, "content", "entities"), exist_ok=True)
    write("entities/e.md", '+++\ntitle = "Entity"\nkind = "organization"\naliases = [%s]\n+++\nAn entity.\n'
          % ", ".join('"%s"' % a for a in names))
    step = max(1, n // 1000)
    topic("\n\n".join("Mention of %s here." % names[i] for i in range(0, n, step)))
elif kind == "cooccur":
    os.makedirs(os.path.join(top, "content", "entities"), exist_ok=True)
    for i in range(n):
        write("entities/e%05d.md" % i, '+++\ntitle = "Entity%05d"\nkind = "organization"\n+++\nAn entity.\n' % i)
    topic(", ".join("Entity%05d" % i for i in range(n)) + ".")
elif kind == "emphasis-entities":
    os.makedirs(os.path.join(top, "content", "entities"), exist_ok=True)
    for i in range(n):
        write("entities/e%05d.md" % i, '+++\ntitle = "Entity%05d"\nkind = "organization"\n+++\nAn entity.\n' % i)
    topic(", ".join("*Entity%05d*" % i for i in range(n)) + ".")
elif kind == "toml-keys":
    with open(os.path.join(top, "site.toml"), "a") as f:
        f.write("[params]\n" + "".join("key%07d = %d\n" % (i, i) for i in range(n)))
    topic("A page.")
elif kind == "heading-links":
    write("topics/h.md", '+++\ntitle = "H"\n+++\n' +
          "\n\n".join("## Heading number %d\n\nText." % i for i in range(n)) + "\n")
    topic("[home](h.md)\n\n" + "\n".join("[x](h.md#heading-number-%d)" % i for i in range(n)))
elif kind in ("quote-long", "quote-wrong"):
    ws = ["w%d" % i for i in range(2 * n)]
    with open(os.path.join(top, "content", "articles", "a.txt"), "w") as f:
        f.write(ARTICLE_HEAD + "+++\n" + " ".join(ws) + " end.\nThe second paragraph.\n")
    q = ws[:n]
    if kind == "quote-wrong":
        q[n // 2] = "x"
    topic("The article says \u201c%s\u201d [](../articles/a.txt#p1)." % " ".join(q))
elif kind == "yaml-deep":
    write("topics/t.md", "---\ntitle: T\nz: " + "[" * n + "]" * n + "\n---\nA page.\n")
else:
    sys.exit("unknown kind " + kind)
