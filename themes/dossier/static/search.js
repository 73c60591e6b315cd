/* search.js: the dossier's search engine in the browser. Plain ES2017, no
 * modules, no network beyond <script> tags: it works from file://.
 *
 * The index is built by the generator (generator/lib/search.c):
 * search/index.js (the manifest), search/t-<hex>.js (per term of one
 * first letter, or more letters where that shard would be large, its pages
 * and weighted counts), search/p-<hex>.js (the same terms' positions,
 * loaded only for a phrase) and search/d-<n>.js (8 pages' records: title,
 * URL, kind, description, headings, the start of the text). The numbers
 * are bit strings of Elias gamma and Rice codes, 13 bits in two printable
 * characters (Bits below). A query loads the manifest, the shards of its
 * terms, and the records of the results it shows — never the whole
 * index. The format is documented in themes/README.md.
 *
 * Terms are made here exactly as the generator makes them: fold (ASCII
 * case, Latin letters to their base letter, combining marks dropped, curly
 * quotes straight), split into words, drop English stop words, and stem
 * with Snowball English (Porter2), written here from the published
 * algorithm (snowballstem.org/algorithms/english/stemmer.html). A browser
 * test checks that this stemmer and libstemmer agree on every word of the
 * dossier and of the bench corpus.
 *
 * Queries: words are OR-ed and ranked with BM25 (title, names and headings
 * weigh more), pages matching every word or phrase first; "quoted words"
 * are a phrase (the words in that order; stop words between them count as
 * gaps); a word of 4 or more letters that is not in the index matches the
 * indexed terms at edit distance 1 (2 from 8 letters) in its shard (those
 * sharing its first letters: one, or up to four in a large index).
 *
 * Exports window.DossierSearch (and module.exports under node).
 */
(function (root) {
  'use strict';

  /* ------------------------------------------------------------- terms */

  /* U+00C0 … U+017F: the folded form of each, "-" for unchanged. The same
   * table is in generator/search.c. */
  var LATIN = ('a a a a a a ae c e e e e i i i i d n o o o o o - o u u u u y th ss ' +
    'a a a a a a ae c e e e e i i i i d n o o o o o - o u u u u y th y ' +
    'a a a a a a c c c c c c c c d d d d e e e e e e e e e e g g g g ' +
    'g g g g h h h h i i i i i i i i i i ij ij j j k k k l l l l l l ' +
    'l l l l n n n n n n n n n o o o o o o oe oe r r r r r r s s s s ' +
    's s s s t t t t t t u u u u u u u u u u u u w w y y y z z z z z z s').split(' ');

  function foldChar(c, ch) {
    if (c >= 65 && c <= 90) return String.fromCharCode(c + 32);
    if (c === 0x2018 || c === 0x2019 || c === 0x201b || c === 0x02bc || c === 0x2032) return "'";
    if (c === 0x201c || c === 0x201d || c === 0x201e || c === 0x2033) return '"';
    if (c >= 0x300 && c <= 0x36f) return '';
    if (c >= 0xc0 && c < 0x180 && LATIN[c - 0xc0] !== '-') return LATIN[c - 0xc0];
    return ch;
  }

  function fold(s) {
    var out = '';
    for (var i = 0; i < s.length; i++) out += foldChar(s.charCodeAt(i), s[i]);
    return out;
  }

  /* The folded text and, for each of its characters, the index in `s` of
   * the character it comes from (map[folded.length] = s.length). */
  function foldMap(s) {
    var out = '', map = [];
    for (var i = 0; i < s.length; i++) {
      var f = foldChar(s.charCodeAt(i), s[i]);
      for (var k = 0; k < f.length; k++) map.push(i);
      out += f;
    }
    map.push(s.length);
    return { text: out, map: map };
  }

  function isWordChar(c) {
    if (c < 0x80) return (c >= 97 && c <= 122) || (c >= 48 && c <= 57);
    if (c <= 0xbf || c === 0xd7 || c === 0xf7) return false;
    if ((c >= 0x2000 && c <= 0x2bff) || (c >= 0x3000 && c <= 0x303f) || (c >= 0xd800 && c <= 0xdfff) ||
        (c >= 0xfe00 && c <= 0xfe6f) || (c >= 0xff00 && c <= 0xff20) || c >= 0xfff0) return false;
    return true;
  }

  function utf8Length(w) {
    var n = 0;
    for (var i = 0; i < w.length; i++) {
      var c = w.charCodeAt(i);
      n += c < 0x80 ? 1 : c < 0x800 ? 2 : 3;
    }
    return n;
  }

  var WORD_MAX = 60; /* bytes, as SEARCH_WORD_MAX */

  /* The words of folded text: [{ w, start, end }] (offsets in the text). */
  function words(t) {
    var out = [], start = -1;
    for (var i = 0; i <= t.length; i++) {
      var c = i < t.length ? t.charCodeAt(i) : 32;
      var w = isWordChar(c) || (c === 39 && start >= 0 && i + 1 < t.length && isWordChar(t.charCodeAt(i + 1)));
      if (w && start < 0) start = i;
      else if (!w && start >= 0) {
        var word = t.slice(start, i);
        if (utf8Length(word) <= WORD_MAX) out.push({ w: word, start: start, end: i });
        start = -1;
      }
    }
    return out;
  }

  var STOP = {};
  ('a an and are as at be but by for from has have he her his i in is it its of on or she that the ' +
   'their they this to was were which will with').split(' ').forEach(function (w) { STOP[w] = true; });

  function isStop(w) { return STOP.hasOwnProperty(w); }

  /* ---- Snowball English (Porter2) ---- */

  var EXCEPTION1 = {
    skis: 'ski', skies: 'sky', dying: 'die', lying: 'lie', tying: 'tie', idly: 'idl', gently: 'gentl',
    ugly: 'ugli', early: 'earli', only: 'onli', singly: 'singl', sky: 'sky', news: 'news', howe: 'howe',
    atlas: 'atlas', cosmos: 'cosmos', bias: 'bias', andes: 'andes'
  };
  var EXCEPTION2 = { inning: 1, outing: 1, canning: 1, herring: 1, earring: 1, proceed: 1, exceed: 1, succeed: 1 };
  var STEP2 = [
    ['ization', 'ize'], ['ational', 'ate'], ['fulness', 'ful'], ['ousness', 'ous'], ['iveness', 'ive'],
    ['tional', 'tion'], ['biliti', 'ble'], ['lessli', 'less'], ['entli', 'ent'], ['ation', 'ate'],
    ['alism', 'al'], ['aliti', 'al'], ['ousli', 'ous'], ['iviti', 'ive'], ['fulli', 'ful'], ['enci', 'ence'],
    ['anci', 'ance'], ['abli', 'able'], ['izer', 'ize'], ['ator', 'ate'], ['alli', 'al'], ['bli', 'ble'],
    ['ogi', 'og'], ['li', '']
  ];
  var STEP3 = [
    ['ational', 'ate'], ['tional', 'tion'], ['alize', 'al'], ['icate', 'ic'], ['iciti', 'ic'],
    ['ative', ''], ['ical', 'ic'], ['ness', ''], ['ful', '']
  ];
  var STEP4 = ['ement', 'ance', 'ence', 'able', 'ible', 'ment', 'ant', 'ent', 'ism', 'ate', 'iti', 'ous',
               'ive', 'ize', 'ion', 'al', 'er', 'ic'];

  function isV(ch) { return ch === 'a' || ch === 'e' || ch === 'i' || ch === 'o' || ch === 'u' || ch === 'y'; }
  function ends(w, s) { return w.length >= s.length && w.slice(w.length - s.length) === s; }
  function hasVowel(s) { for (var i = 0; i < s.length; i++) if (isV(s[i])) return true; return false; }

  /* After the first vowel from `from` and the non-vowel following it. */
  function region(w, from) {
    for (var i = from; i < w.length - 1; i++) if (isV(w[i]) && !isV(w[i + 1])) return i + 2;
    return w.length;
  }

  /* Ends in a short syllable. */
  function shortV(w) {
    var n = w.length;
    if (n >= 3 && !isV(w[n - 3]) && isV(w[n - 2]) && !isV(w[n - 1]) && 'wxY'.indexOf(w[n - 1]) < 0) return true;
    return n === 2 && isV(w[0]) && !isV(w[1]);
  }

  /* The longest of `list` (entries [suffix, …] or suffixes) ending w. */
  function longest(w, list) {
    var best = null;
    for (var i = 0; i < list.length; i++) {
      var s = typeof list[i] === 'string' ? list[i] : list[i][0];
      if (ends(w, s) && (!best || s.length > (typeof best === 'string' ? best : best[0]).length)) best = list[i];
    }
    return best;
  }

  function stem(word) {
    if (EXCEPTION1.hasOwnProperty(word)) return EXCEPTION1[word];
    if (word.length < 3) return word;
    var w = word[0] === "'" ? word.slice(1) : word;
    if (w[0] === 'y') w = 'Y' + w.slice(1);
    for (var i = 1; i < w.length; i++)
      if (w[i] === 'y' && isV(w[i - 1])) w = w.slice(0, i) + 'Y' + w.slice(i + 1);
    var m = /^(gener|commun|arsen)/.exec(w);
    var p1 = m ? m[1].length : region(w, 0);
    var p2 = region(w, p1);

    // Step 0 and 1a.
    if (ends(w, "'s'")) w = w.slice(0, -3);
    else if (ends(w, "'s")) w = w.slice(0, -2);
    else if (ends(w, "'")) w = w.slice(0, -1);
    if (ends(w, 'sses')) w = w.slice(0, -2);
    else if (ends(w, 'ied') || ends(w, 'ies')) w = w.length > 4 ? w.slice(0, -2) : w.slice(0, -1);
    else if (ends(w, 'us') || ends(w, 'ss')) { /* unchanged */ }
    else if (ends(w, 's') && hasVowel(w.slice(0, -2))) w = w.slice(0, -1);
    if (EXCEPTION2.hasOwnProperty(w)) return w.replace(/Y/g, 'y');

    // Step 1b.
    var s = longest(w, ['eedly', 'ingly', 'edly', 'eed', 'ing', 'ed']);
    if (s === 'eed' || s === 'eedly') {
      if (w.length - s.length >= p1) w = w.slice(0, -s.length) + 'ee';
    } else if (s && hasVowel(w.slice(0, -s.length))) {
      w = w.slice(0, -s.length);
      if (ends(w, 'at') || ends(w, 'bl') || ends(w, 'iz')) w += 'e';
      else if (/(bb|dd|ff|gg|mm|nn|pp|rr|tt)$/.test(w)) w = w.slice(0, -1);
      else if (w.length === p1 && shortV(w)) w += 'e';
    }

    // Step 1c.
    if ((ends(w, 'y') || ends(w, 'Y')) && w.length > 2 && !isV(w[w.length - 2])) w = w.slice(0, -1) + 'i';

    // Step 2.
    var e = longest(w, STEP2);
    if (e && w.length - e[0].length >= p1) {
      var before = w[w.length - e[0].length - 1];
      if (e[0] === 'ogi') { if (before === 'l') w = w.slice(0, -3) + 'og'; }
      else if (e[0] === 'li') { if (before && 'cdeghkmnrt'.indexOf(before) >= 0) w = w.slice(0, -2); }
      else w = w.slice(0, -e[0].length) + e[1];
    }

    // Step 3.
    e = longest(w, STEP3);
    if (e && w.length - e[0].length >= p1) {
      if (e[0] !== 'ative' || w.length - 5 >= p2) w = w.slice(0, -e[0].length) + e[1];
    }

    // Step 4.
    s = longest(w, STEP4);
    if (s && w.length - s.length >= p2) {
      if (s !== 'ion' || /[st]$/.test(w.slice(0, -3))) w = w.slice(0, -s.length);
    }

    // Step 5.
    if (ends(w, 'e')) {
      var k = w.length - 1;
      if (k >= p2 || (k >= p1 && !shortV(w.slice(0, -1)))) w = w.slice(0, -1);
    } else if (ends(w, 'l')) {
      if (w.length - 1 >= p2 && w[w.length - 2] === 'l') w = w.slice(0, -1);
    }
    return w.replace(/Y/g, 'y');
  }

  /* Every indexed term of a text, in order: [{ term, start, end, pos }]
   * (offsets in the original text; pos counts stop words too). */
  function terms(text) {
    var f = foldMap(text);
    return words(f.text).map(function (x, i) {
      return { term: isStop(x.w) ? null : stem(x.w), start: f.map[x.start], end: f.map[x.end], pos: i };
    });
  }

  /* Optimal string alignment distance, or max + 1 once it exceeds max. */
  function distance(a, b, max) {
    if (Math.abs(a.length - b.length) > max) return max + 1;
    var prev2 = null, prev = [], cur;
    for (var j = 0; j <= b.length; j++) prev.push(j);
    for (var i = 1; i <= a.length; i++) {
      cur = [i];
      var low = i;
      for (var k = 1; k <= b.length; k++) {
        var cost = a[i - 1] === b[k - 1] ? 0 : 1;
        var v = Math.min(prev[k] + 1, cur[k - 1] + 1, prev[k - 1] + cost);
        if (prev2 && i > 1 && k > 1 && a[i - 1] === b[k - 2] && a[i - 2] === b[k - 1]) v = Math.min(v, prev2[k - 2] + 1);
        cur.push(v);
        if (v < low) low = v;
      }
      if (low > max) return max + 1;
      prev2 = prev;
      prev = cur;
    }
    return prev[b.length];
  }

  /* ------------------------------------------------------------- query */

  /* Units of a query: a word, or a "phrase" of words with their offsets.
   * [{ phrase, words: [{ term, word, off }], text }] */
  function parse(q) {
    var units = [], f = fold(q), re = /"([^"]*)"?|[^\s"]+/g, m;
    while ((m = re.exec(f))) {
      var ws = words(m[1] !== undefined ? m[1] : m[0]);
      if (m[1] !== undefined) {
        var first = -1, list = [];
        ws.forEach(function (x, i) {
          if (isStop(x.w)) return;
          if (first < 0) first = i;
          list.push({ term: stem(x.w), word: x.w, off: i - first });
        });
        if (list.length > 1) units.push({ phrase: true, words: list, text: m[1] });
        else if (list.length) units.push({ phrase: false, words: list, text: m[1] });
      } else {
        ws.forEach(function (x) {
          if (!isStop(x.w)) units.push({ phrase: false, words: [{ term: stem(x.w), word: x.w, off: 0 }], text: x.w });
        });
      }
    }
    return units;
  }

  /* Hex of the UTF-8 bytes of a shard key (word characters are BMP). */
  function hexOf(s) {
    var out = '';
    function byte(b) { out += (b < 16 ? '0' : '') + b.toString(16); }
    for (var i = 0; i < s.length; i++) {
      var c = s.charCodeAt(i);
      if (c < 0x80) byte(c);
      else if (c < 0x800) { byte(0xc0 | (c >> 6)); byte(0x80 | (c & 63)); }
      else { byte(0xe0 | (c >> 12)); byte(0x80 | ((c >> 6) & 63)); byte(0x80 | (c & 63)); }
    }
    return out;
  }

  /* ---- the index's numbers: bit strings, 13 bits in two digits ---- */

  /* Printable ASCII but space, '"' and '\\': digit i is DIGITS[i]. */
  var DIGITS = '!#$%&\'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[]^_`abcdefghijklmnopqrstuvwxyz{|}~';
  var VAL = [];
  for (var di = 0; di < DIGITS.length; di++) VAL[DIGITS.charCodeAt(di)] = di;
  var ESCAPE = 20; /* SEARCH_RICE_ESCAPE */

  function Bits(s) { this.s = s; this.i = 0; this.acc = 0; this.n = 0; }
  Bits.prototype.bit = function () {
    if (!this.n) {
      var s = this.s, i = this.i;
      if (i + 1 < s.length) {
        this.acc = VAL[s.charCodeAt(i)] + 92 * VAL[s.charCodeAt(i + 1)];
        this.n = 13;
        this.i = i + 2;
      } else if (i < s.length) {
        this.acc = VAL[s.charCodeAt(i)];
        this.n = 6;
        this.i = i + 1;
      } else {
        throw new Error('search index: a bit string ends early');
      }
    }
    return (this.acc >> --this.n) & 1;
  };
  Bits.prototype.read = function (k) { var v = 0; while (k-- > 0) v = v * 2 + this.bit(); return v; };
  /* Elias gamma: floor(log2 v) zeros, then v. */
  Bits.prototype.gamma = function () {
    var z = 0;
    while (!this.bit()) z++;
    var v = 1;
    while (z-- > 0) v = v * 2 + this.bit();
    return v;
  };
  /* Rice with parameter k (ESCAPE ones: a gamma code follows). */
  Bits.prototype.rice = function (k) {
    var q = 0;
    while (q < ESCAPE && this.bit()) q++;
    if (q === ESCAPE) return this.gamma() - 1 + ESCAPE * Math.pow(2, k);
    return q * Math.pow(2, k) + this.read(k);
  };

  /* As search_rice_k: floor(log2(num / den)), 0 below 2, at most 24. */
  function riceK(num, den) {
    var m = den ? Math.floor(num / den) : 0, k = 0;
    while (k < 24 && m >= Math.pow(2, k + 1)) k++;
    return k;
  }

  /* The page lengths of the manifest. */
  function decodeLengths(str, n, k) {
    var b = new Bits(str), out = [];
    for (var i = 0; i < n; i++) out.push(b.rice(k));
    return out;
  }

  /* A term's postings (its "t" string; n documents in the index):
   * [{ doc, tf }] in document order. */
  function decodePostings(str, n) {
    var b = new Bits(str), df = b.gamma(), kw = b.gamma() - 1, kd = riceK(n * 11, df * 16);
    var out = [], doc = -1;
    for (var i = 0; i < df; i++) {
      doc += 1 + b.rice(kd);
      out.push({ doc: doc, tf: 1 + b.rice(kw), pos: null });
    }
    return out;
  }

  /* A term's positions (its "p" string) into its postings' pos. */
  function decodePositions(str, postings, dl) {
    var b = new Bits(str);
    postings.forEach(function (p) {
      var c = p.tf - b.rice(0), k = riceK(dl[p.doc] || 0, c), pos = [], at = -1;
      for (var i = 0; i < c; i++) { at += 1 + b.rice(k); pos.push(at); }
      p.pos = pos;
    });
    return postings;
  }

  /* An engine over the index in folder `base` (a URL ending in "/"). */
  function Engine(base, loadScript) {
    this.base = base;
    this.load = loadScript;
    this.decoded = {};
  }

  Engine.prototype.manifest = function (cb) {
    var self = this;
    function ready() {
      var man = root.DOSSIER_SEARCH || null;
      if (man && typeof man.dl === 'string') man.dl = decodeLengths(man.dl, man.n, man.dlk);
      cb(man);
    }
    if (root.DOSSIER_SEARCH) { ready(); return; }
    this.load(this.base + 'index.js', ready);
  };

  /* A term's shard: the one whose key is its longest prefix. */
  Engine.prototype.shardKey = function (term) {
    for (var n = Math.min(term.length, this.keymax); n > 0; n--)
      if (this.keys[term.slice(0, n)]) return term.slice(0, n);
    return null;
  };

  /* Loads the shards ("t", postings; "p", positions) of the terms, then cb(). */
  Engine.prototype.shards = function (list, kind, cb) {
    var self = this, want = {}, left = 0, global = kind === 't' ? 'DOSSIER_SEARCH_T' : 'DOSSIER_SEARCH_P';
    list.forEach(function (t) { var k = self.shardKey(t); if (k !== null) want[k] = true; });
    var keys = Object.keys(want).filter(function (k) {
      return !(root[global] && root[global][k]);
    });
    if (!keys.length) { cb(); return; }
    left = keys.length;
    keys.forEach(function (k) {
      self.load(self.base + kind + '-' + hexOf(k) + '.js', function () { if (--left === 0) cb(); });
    });
  };

  /* A term's entry in its loaded shard of `global`, or null. */
  Engine.prototype.entry = function (global, term) {
    var k = this.shardKey(term);
    var shard = k !== null && root[global] && root[global][k];
    return shard && Object.prototype.hasOwnProperty.call(shard, term) ? shard[term] : null;
  };

  Engine.prototype.postings = function (term) {
    if (this.decoded.hasOwnProperty(term)) return this.decoded[term];
    var e = this.entry('DOSSIER_SEARCH_T', term);
    var p = e !== null ? decodePostings(e, this.man.n) : null;
    this.decoded[term] = p;
    return p;
  };

  /* The postings with positions (the term's "p" shard is loaded). */
  Engine.prototype.positions = function (term) {
    var ps = this.postings(term);
    if (ps && ps.length && !ps[0].pos) {
      var e = this.entry('DOSSIER_SEARCH_P', term);
      if (e !== null) decodePositions(e, ps, this.man.dl);
      else ps.forEach(function (p) { p.pos = []; });
    }
    return ps;
  };

  /* The indexed terms a query word stands for: itself, or (not indexed,
   * 4+ letters) its near misses in its shard. [{ term, weight }] */
  Engine.prototype.expand = function (w) {
    var memo = this.expanded || (this.expanded = {}), key = w.term + '\u0000' + w.word;
    if (!memo.hasOwnProperty(key)) memo[key] = this.expandNew(w);
    return memo[key];
  };

  Engine.prototype.expandNew = function (w) {
    if (this.postings(w.term)) return [{ term: w.term, weight: 1 }];
    var len = w.word.length;
    var max = len >= 8 ? 2 : len >= 4 ? 1 : 0;
    if (!max) return [];
    var k = this.shardKey(w.term);
    var shard = k !== null && root.DOSSIER_SEARCH_T && root.DOSSIER_SEARCH_T[k];
    var out = [];
    if (!shard) return out;
    var word = w.word.replace(/'s$/, '');
    Object.keys(shard).forEach(function (t) {
      var d = Math.min(distance(w.term, t, max), distance(word, t, max));
      if (d <= max) out.push({ term: t, weight: d === 1 ? 0.7 : 0.5 });
    });
    return out;
  };

  /* Runs a query: cb({ units, results: [{ doc, score, matched }], all,
   * terms (every indexed term the query matched) }). */
  Engine.prototype.query = function (q, cb) {
    var self = this, units = parse(q);
    if (!units.length) { cb({ units: units, results: [], all: 0, terms: [] }); return; }
    this.manifest(function (man) {
      if (!man) { cb(null); return; }
      self.man = man;
      if (!self.keys) {
        self.keys = {};
        self.keymax = man.keymax || 2;
        man.shards.forEach(function (k) { self.keys[k] = true; });
      }
      var list = [];
      units.forEach(function (u) { u.words.forEach(function (w) { list.push(w.term); }); });
      self.shards(list, 't', function () {
        // Positions only for the terms of phrases.
        var need = [];
        units.forEach(function (u) {
          if (u.phrase) u.words.forEach(function (w) { self.expand(w).forEach(function (a) { need.push(a.term); }); });
        });
        self.shards(need, 'p', function () { cb(self.rank(man, units)); });
      });
    });
  };

  Engine.prototype.rank = function (man, units) {
    var self = this, N = man.n, avg = man.avgdl || 1, k1 = 1.2, b = 0.75;
    var docs = {}, matchedTerms = {};
    function bm25(p, weight, df) {
      var idf = Math.log(1 + (N - df + 0.5) / (df + 0.5));
      var tf = p.tf, dl = man.dl[p.doc] || avg;
      return weight * idf * tf * (k1 + 1) / (tf + k1 * (1 - b + b * dl / avg));
    }
    function hit(doc, ui, score) {
      var d = docs[doc] || (docs[doc] = { doc: doc, score: 0, units: {} });
      d.score += score;
      d.units[ui] = true;
    }
    units.forEach(function (u, ui) {
      var alts = u.words.map(function (w) { return self.expand(w); });
      if (!u.phrase) {
        alts[0].forEach(function (a) {
          var ps = self.postings(a.term);
          matchedTerms[a.term] = true;
          ps.forEach(function (p) { hit(p.doc, ui, bm25(p, a.weight, ps.length)); });
        });
        return;
      }
      // A phrase: every word at its offset from the first, in one document.
      if (alts.some(function (a) { return !a.length; })) return;
      var byDoc = alts.map(function (as) {
        var m = new Map();
        as.forEach(function (a) {
          var ps = self.positions(a.term);
          ps.forEach(function (p) {
            var e = m.get(p.doc);
            if (!e) m.set(p.doc, (e = { pos: [], score: 0 }));
            e.pos = e.pos.length ? e.pos.concat(p.pos) : p.pos;
            e.score += bm25(p, a.weight, ps.length);
          });
        });
        return m;
      });
      byDoc[0].forEach(function (first, doc) {
        var rest = [];
        for (var i = 1; i < byDoc.length; i++) {
          var e = byDoc[i].get(doc);
          if (!e) return;
          rest.push(e);
        }
        var sets = rest.map(function (e) { return new Set(e.pos); });
        var found = first.pos.some(function (at) {
          return sets.every(function (set, i) { return set.has(at + u.words[i + 1].off); });
        });
        if (!found) return;
        var score = first.score;
        rest.forEach(function (e) { score += e.score; });
        hit(doc, ui, score * 1.5);
      });
      alts.forEach(function (as) { as.forEach(function (a) { matchedTerms[a.term] = true; }); });
    });
    var results = Object.keys(docs).map(function (k) {
      var d = docs[k];
      d.matched = Object.keys(d.units).length;
      return d;
    });
    results.sort(function (x, y) { return y.matched - x.matched || y.score - x.score || x.doc - y.doc; });
    var all = results.filter(function (r) { return r.matched === units.length; }).length;
    return { units: units, results: results, all: all, terms: Object.keys(matchedTerms) };
  };

  /* Loads the texts of documents `ids`; cb([page objects]) in that order. */
  Engine.prototype.docs = function (ids, cb) {
    var self = this, per = (this.man && this.man.docs) || 8, want = {}, left;
    ids.forEach(function (id) { want[Math.floor(id / per)] = true; });
    var shards = Object.keys(want).filter(function (s) { return !(root.DOSSIER_SEARCH_D && root.DOSSIER_SEARCH_D[s]); });
    function done() {
      cb(ids.map(function (id) {
        var s = root.DOSSIER_SEARCH_D && root.DOSSIER_SEARCH_D[Math.floor(id / per)];
        return s ? s[id % per] : null;
      }));
    }
    if (!shards.length) { done(); return; }
    left = shards.length;
    shards.forEach(function (s) {
      self.load(self.base + 'd-' + s + '.js', function () { if (--left === 0) done(); });
    });
  };

  var api = {
    fold: fold, foldMap: foldMap, words: words, isStop: isStop, stem: stem, terms: terms,
    distance: distance, parse: parse, Bits: Bits, riceK: riceK, decodeLengths: decodeLengths,
    decodePostings: decodePostings, decodePositions: decodePositions, Engine: Engine
  };
  root.DossierSearch = api;
  if (typeof module !== 'undefined' && module.exports) module.exports = api;
})(typeof window !== 'undefined' ? window : globalThis);
