#!/usr/bin/env python3
"""make format's first step: drops the trailing comma of brace initializers
of flat lists that hold several elements a line ("a", "b", "c",), so clang-format
(ColumnLimit 0, .clang-format) keeps their rows: given a trailing comma it
puts one element on each line. The comma is optional in C, so the code's
meaning is unchanged. Prints each line it changes."""
import re, sys

def unquote(s):
    """`s` with string and character literals emptied, comments dropped."""
    s = re.sub(r'"(\\.|[^"\\])*"', '""', s)
    s = re.sub(r"'(\\.|[^'\\])*'", "''", s)
    return re.sub(r'/\*.*?\*/', '', s)


def strip(s):
    """`s` unquoted, with bracketed groups folded to X (top level only)."""
    s = unquote(s)
    prev = None
    while prev != s:
        prev = s
        s = re.sub(r'\{[^{}]*\}|\([^()]*\)|\[[^\[\]]*\]', 'X', s)
    return s.strip()

for path in sys.argv[1:]:
    L = open(path, encoding='utf-8').read().split('\n')
    changed = False
    for i, line in enumerate(L):
        m = re.match(r'^(\s*)\};?\s*$', line)
        if not m or i == 0:
            continue
        ind = m.group(1)
        j = i - 1
        if not L[j].rstrip().endswith(','):
            continue
        # find the opening line: same indentation, ending with "{"
        k = j
        while k >= 0 and not (L[k].rstrip().endswith('{') and re.match(r'^' + re.escape(ind) + r'\S', L[k])):
            k -= 1
        if k < 0 or i - k > 400:
            continue
        head = L[k].rstrip()
        if not re.search(r'(=|\)|\]) *\{$', head) and not head.endswith('= {'):
            continue
        if re.match(r'^\s*(if|for|while|switch|else|do)\b', head) or re.search(r'\)\s*\{$', head) and not re.search(r'=\s*\(?[^=]*\)\s*\{$', head):
            continue
        inner = [x for x in L[k + 1:i] if x.strip() and not x.strip().startswith(('/*', '*', '//'))]
        # Only flat lists: rows of braces and designated initializers
        # lose their line breaks without the comma, so they keep it (and
        # clang-format gives them one element a line).
        if any('{' in unquote(x) or x.strip().startswith('.') for x in inner):
            continue
        if any(strip(x).rstrip(',').count(',') >= 1 for x in inner):
            L[j] = L[j].rstrip()[:-1]
            changed = True
            print('%s:%d: %s' % (path, j + 1, L[j].strip()[:70]))
    if changed:
        open(path, 'w', encoding='utf-8').write('\n'.join(L))
