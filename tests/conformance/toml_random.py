#!/usr/bin/env python3
"""TOML on inputs nobody wrote: seeded random documents decoded by our
decoder (build/toml-decoder, generator/lib/toml.c) and by Python's tomllib
(TOML 1.0.0, the standard library's), which must agree: the same values
for a document both accept (toml-test's comparison: same tables, arrays and
types; numbers equal as numbers, nan equal to nan, the sign of zero
counting; offset date-times equal as instants, local ones as fields), and
a rejection by both of a document either rejects. Where tomllib departs
from TOML 1.0 (it keeps integers beyond 64 bits, which the spec says must
be an error, and refuses a leap second, which the spec's ABNF allows) or
the spec leaves the choice open (a float beyond binary64: our decoder
refuses it, as toml-test's own Go decoder does; tomllib makes it inf),
the document is counted apart under that rule, never as passed.

Documents come from a grammar of TOML 1.0: bare, quoted and dotted keys;
tables, arrays of tables and inline tables, nested, redefined and extended
(legally and not); basic, literal and multi-line strings with every escape
(and bad ones); integers in four bases with underscores and signs (and
leading zeros); floats with exponents, underscores, inf and nan; offset,
local and partial date-times; arrays nested and mixed; comments and
blank lines. A third of them then have one byte inserted, deleted or
replaced, for the edges of the grammar a rule misses.

    python3 toml_random.py DECODER [COUNT [SEED]]

COUNT defaults to 2000, SEED to 1; a failure names the seed and document,
which the same seed gives again. Exit 1 on any disagreement.
"""
import datetime
import json
import math
import random
import re
import subprocess
import sys
import tomllib

WORDS = ["a", "b", "key", "title", "x-y", "under_score", "9", "true", "inf"]

# Each form as TOML text, valid ones then invalid ones.
KEYS_BASIC = [r'"a b"', r'""', r'"quote\"d"', r'"tab\t"', r'"\u00e9"', r'"dot.ted"', '"ü"']
KEYS_LITERAL = ["'lit'", r"'a\b'", "''", "'x.y'"]
KEYS_DOTTED = ["a.b", "a . b", '"a".b', "a.'b'", "1.2"]
KEYS_BAD = ["", "a..b", ".a", "a b", "=", "#", '"open', "a.", "[a]"]
STRINGS = [
    '"plain"', '""', r'"esc \n \t \\ \" \b \f \r"', r'"\u00E9\U0001F600"', r"'lit \n'", "''", "'ü'",
    '"""\nline one\nline two"""', '"""a \\\n   b"""', '"""quotes "" inside"""', '"""ends with quote\""""',
    '"""\r\ncrlf"""', '"""x\\  \n  y"""', "'''\nraw\\n'''", "'''it's'''", "'''two '''''", '"tab\there"',
    '"ü"']
STRINGS_BAD = [r'"bad \x41"', r'"\uD800"', r'"\U00110000"', '"ctl\x01"', "'it''s'", "'''a'''b'''",
               '"unterminated', '"""""""', '"new\nline"', r'"\u12"']
INTEGERS = ["0", "+0", "-0", "42", "-17", "1_000", "0xDEAD_beef", "0o755", "0b1101", "0x0",
            "9223372036854775807", "-9223372036854775808", "+99"]
INTEGERS_BAD = ["1__0", "_1", "1_", "0x_ff", "0b", "07", "00", "+0x1", "9223372036854775808", "0o8", "0xg",
                "-0b1", "0X1"]
FLOATS = ["1.0", "-0.0", "+0.0", "3.14_15", "1e10", "1E-5", "6.02e+23", "1.5e0_1", "inf", "+inf", "-inf", "nan",
          "+nan", "-nan", "1.0E+0", "1e400", "0.0e0", "-1e-400"]
FLOATS_BAD = [".5", "5.", "1.e3", "1e", "1_.0", "0.1_", "00.5", "Inf", "NaN", "1e_1", "1.0e"]
DATETIMES = ["1979-05-27T07:32:00Z", "1979-05-27T00:32:00.999999-07:00", "1979-05-27 07:32:00+01:30",
             "1979-05-27t07:32:00z", "1979-05-27T07:32:00", "1979-05-27T00:32:00.5", "1979-05-27", "07:32:00",
             "00:32:00.999", "2000-02-29", "1979-05-27T07:32:60", "1979-05-27T00:32:00.123456789Z"]
DATETIMES_BAD = ["1979-13-27", "1979-02-30", "1979-05-27T25:00:00", "1979-05-27T07:32", "1979-5-27",
                 "1979-05-27T07:32:00+24:00", "1979-05-27T07:32:61", "2001-02-29", "1979-05-27T", "07:32"]
# Tables defined, extended and redefined, legally and not.
TABLE_LINES = ["a = 1", "a.b = 2", "[a]", "[a.b]", "[[a]]", "a = {b = 1}", "a.c = 3", "[a.b.c]", "[[a.b]]",
               "b = []", "[[b]]"]
COMMENTS = ["# comment", "", "   ", "#", "# ctl \x7f", "# ü \t tab"]


class Gen:
    """One document's choices: a "clean" document draws almost only from
    the valid forms and numbers its keys, so most are valid; the others
    draw an invalid form three times in ten and repeat keys freely."""

    def __init__(self, r):
        self.r = r
        self.clean = r.random() < 0.5
        self.n = 0

    def pick(self, valid, invalid):
        bad = 0.02 if self.clean else 0.3
        return self.r.choice(invalid if invalid and self.r.random() < bad else valid)

    def key(self):
        r = self.r
        self.n += 1
        tag = str(self.n) if self.clean else ""
        k = self.pick(["bare", "bare", "bare", "basic", "literal", "dotted"], ["invalid"])
        if k == "bare":
            return r.choice(WORDS) + tag
        if k == "basic":
            return r.choice(KEYS_BASIC)[:-1] + tag + '"'
        if k == "literal":
            return r.choice(KEYS_LITERAL)[:-1] + tag + "'"
        if k == "dotted":
            return r.choice(KEYS_DOTTED) + tag
        return r.choice(KEYS_BAD)

    def value(self, depth=0):
        r = self.r
        k = r.randint(0, 9 if depth < 3 else 5)
        if k in (0, 5):
            return self.pick(STRINGS, STRINGS_BAD)
        if k == 1:
            return self.pick(INTEGERS, INTEGERS_BAD)
        if k == 2:
            return self.pick(FLOATS, FLOATS_BAD)
        if k == 3:
            return self.pick(["true", "false"], ["True", "tru", "FALSE"])
        if k == 4:
            return self.pick(DATETIMES, DATETIMES_BAD)
        if k in (6, 7):
            items = [self.value(depth + 1) for _ in range(r.randint(0, 4))]
            sep = r.choice([", ", ",", ",\n  ", " , # c\n"])
            trail = r.choice(["", ",", ",\n"]) if items else ""
            return "[" + sep.join(items) + trail + "]"
        pairs = ["%s = %s" % (self.key(), self.value(depth + 1)) for _ in range(r.randint(0, 3))]
        return "{" + r.choice([", ", ","]).join(pairs) + self.pick([""], [",", "\n"]) + "}"

    def line(self):
        r = self.r
        k = r.randint(0, 11)
        if k < 6:
            return "%s%s=%s%s" % (self.key(), r.choice([" ", "", "\t"]), r.choice([" ", ""]), self.value())
        if k == 6:
            return "[%s]" % self.key()
        if k == 7:
            return "[[%s]]" % self.key()
        if k == 8:
            return r.choice(COMMENTS)
        if k == 9:
            return "[ %s . %s ]" % (self.key(), self.key())
        if k == 10:
            return "%s = %s # trailing" % (self.key(), self.value())
        return r.choice(TABLE_LINES)


def document(r):
    g = Gen(r)
    text = "\n".join(g.line() for _ in range(r.randint(1, 8))) + r.choice(["\n", "", "\r\n"])
    if r.random() < 1 / 3 and text:
        b = bytearray(text.encode("utf-8"))
        i = r.randrange(len(b) + 1)
        op = r.randint(0, 2)
        c = r.choice(b"\"'[]{}=.,#\\\n _0x+-:TZe")
        if op == 0:
            b.insert(i, c)
        elif op == 1 and i < len(b):
            del b[i]
        elif i < len(b):
            b[i] = c
        return bytes(b)
    return text.encode("utf-8")


# --- the comparison ------------------------------------------------------------


def from_tagged(v):
    """Our decoder's toml-test JSON as Python values like tomllib's."""
    if isinstance(v, list):
        return [from_tagged(x) for x in v]
    if isinstance(v, dict) and set(v) == {"type", "value"} and isinstance(v["value"], str):
        t, s = v["type"], v["value"]
        if t == "string":
            return s
        if t == "integer":
            return int(s)
        if t == "float":
            return float(s)
        if t == "bool":
            return s == "true"
        if t in ("datetime", "datetime-local"):
            return datetime.datetime.fromisoformat(s.replace("z", "Z").replace("t", "T"))
        if t == "date-local":
            return datetime.date.fromisoformat(s)
        if t == "time-local":
            return datetime.time.fromisoformat(s[:15])
        raise ValueError("unknown type " + t)
    return {k: from_tagged(x) for k, x in v.items()}


def same(a, b):
    if isinstance(a, bool) or isinstance(b, bool):
        return type(a) is type(b) and a == b
    if isinstance(a, float) and isinstance(b, float):
        if math.isnan(a) or math.isnan(b):
            return math.isnan(a) and math.isnan(b)
        return a == b and math.copysign(1, a) == math.copysign(1, b)
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(same(a[k], b[k]) for k in a)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b))
    if isinstance(a, datetime.datetime) and isinstance(b, datetime.datetime):
        if (a.tzinfo is None) != (b.tzinfo is None):
            return False
        return a == b if a.tzinfo else a.replace(microsecond=0) == b.replace(microsecond=0) and \
            a.microsecond == b.microsecond
    return type(a) is type(b) and a == b


def walk(v):
    if isinstance(v, dict):
        for x in v.values():
            yield from walk(x)
    elif isinstance(v, list):
        for x in v:
            yield from walk(x)
    else:
        yield v


LEAP = re.compile(rb"(\d\d:\d\d):60")


def deviation(doc, want_ok, want, got_ok, err):
    """Where tomllib departs from TOML 1.0 or the spec leaves the choice
    open, the rule our decoder follows; None when neither applies."""
    if want_ok and not got_ok and any(isinstance(x, int) and not isinstance(x, bool) and
                                      not -2**63 <= x < 2**63 for x in walk(want)):
        return "integers beyond 64 bits are errors (TOML 1.0: \"an error must be thrown\"); tomllib keeps them"
    if want_ok and not got_ok and re.search(r"float '.*' out of range", err) and \
            any(isinstance(x, float) and math.isinf(x) for x in walk(want)):
        return "a float beyond binary64 is an error, as in toml-test's own decoder; tomllib makes it inf"
    if not want_ok and got_ok and LEAP.search(doc):
        try:
            tomllib.loads(LEAP.sub(rb"\1:59", doc).decode("utf-8"))
            return "a leap second (:60) is valid (TOML 1.0's ABNF, RFC 3339); Python's datetime has none"
        except (tomllib.TOMLDecodeError, UnicodeDecodeError):
            return None
    return None


def main():
    decoder = sys.argv[1]
    count = int(sys.argv[2]) if len(sys.argv) > 2 else 2000
    seed = int(sys.argv[3]) if len(sys.argv) > 3 else 1
    passed = accepted = failed = 0
    deviations = {}
    for i in range(count):
        doc = document(random.Random("%d/toml/%d" % (seed, i)))
        try:
            want = tomllib.loads(doc.decode("utf-8"))
            want_ok = True
        except (tomllib.TOMLDecodeError, UnicodeDecodeError):
            want, want_ok = None, False
        p = subprocess.run([decoder], input=doc, capture_output=True)
        got_ok = p.returncode == 0
        why = None
        if p.returncode not in (0, 1):
            why = "decoder exited %d: %s" % (p.returncode, p.stderr.decode("utf-8", "replace")[:300])
        elif got_ok != want_ok:
            why = "tomllib %s it, ours %s it%s" % (
                "accepts" if want_ok else "rejects", "accepts" if got_ok else "rejects",
                "" if got_ok else ": " + p.stderr.decode("utf-8", "replace").strip()[:300])
        elif got_ok:
            got = from_tagged(json.loads(p.stdout))
            if not same(got, want):
                why = "values differ:\n    ours:    %r\n    tomllib: %r" % (got, want)
        elif p.stderr.count(b"\n") < 1 or b": error: " not in p.stderr:
            why = "rejected without a file:line:col error: %r" % p.stderr[:200]
        rule = why and deviation(doc, want_ok, want, got_ok, p.stderr.decode("utf-8", "replace"))
        if rule:
            deviations[rule] = deviations.get(rule, 0) + 1
        elif why:
            failed += 1
            if failed <= 10:
                print("  FAIL seed %d, document %d: %s\n    toml: %r" % (seed, i, why, doc))
        else:
            passed += 1
            accepted += got_ok
    print("toml-random: %d passed (%d valid, %d invalid), %d failed, %d where tomllib is not the oracle, seed %d"
          % (passed, accepted, passed - accepted, failed, sum(deviations.values()), seed))
    for rule, n in sorted(deviations.items()):
        print("    %s: %d" % (rule, n))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
