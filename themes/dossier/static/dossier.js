/* dossier.js: the dossier theme's script. Plain ES2017, no modules, no
 * network: it works from file:// and from any sub-path of a host.
 *
 * 1. Annotations: on narrow screens each note folds behind its number
 *    (a.annotation-ref toggles it, aria-expanded); on wide screens notes sit
 *    in the margin, aligned with their highlighted quote.
 * 2. Entity previews: hovering or focusing an a.entity shows a card
 *    (role="tooltip", tied with aria-describedby; Escape dismisses it).
 * 3. Citation previews: hovering or focusing a link to an article paragraph
 *    shows the paragraph's text (from the article's .paragraphs.js).
 * 4. Search (search page only): reads ?q=, ranks, highlights, links to the
 *    exact heading or paragraph.
 *
 * Data: window.DOSSIER_INDEX, defined by search-index.js (format in
 * themes/README.md). The search page loads it with a <script> tag; other pages
 * load it on the first entity preview, from <html data-search-index>
 * (or <html data-entities>, a smaller script with just the entities).
 * Without JavaScript every note is visible and the search page lists all pages.
 */
(function () {
  'use strict';

  var doc = document;
  var html = doc.documentElement;
  html.classList.add('js');

  var ROOT = html.getAttribute('data-root') || '';

  function wideQuery() {
    var w = getComputedStyle(html).getPropertyValue('--ds-wide').trim() || '1100px';
    return window.matchMedia('(min-width: ' + w + ')');
  }
  var WIDE = wideQuery();

  function onMediaChange(mq, fn) {
    if (mq.addEventListener) mq.addEventListener('change', fn);
    else if (mq.addListener) mq.addListener(fn);
  }

  /* ---------------------------------------------------------------- index */

  var indexWaiters = [];
  var indexLoading = false;

  function currentIndex() {
    if (window.DOSSIER_INDEX) return window.DOSSIER_INDEX;
    if (window.DOSSIER_ENTITIES) return { pages: [], entities: window.DOSSIER_ENTITIES };
    return null;
  }

  /* Calls cb(index) once the index script has run (cb(null) if it cannot load). */
  function loadIndex(cb) {
    var idx = currentIndex();
    if (idx) { cb(idx); return; }
    indexWaiters.push(cb);
    if (indexLoading) return;
    var url = html.getAttribute('data-entities') || html.getAttribute('data-search-index');
    if (!url) { flushIndex(); return; }
    indexLoading = true;
    var s = doc.createElement('script');
    s.src = url;
    s.onload = flushIndex;
    s.onerror = flushIndex;
    doc.head.appendChild(s);
  }

  function flushIndex() {
    indexLoading = false;
    var idx = currentIndex();
    var waiters = indexWaiters;
    indexWaiters = [];
    waiters.forEach(function (cb) { cb(idx); });
  }

  /* ---------------------------------------------------------- annotations */

  function notesOf(ref) {
    var id = (ref.getAttribute('href') || '').replace(/^#/, '');
    return id ? doc.getElementById(id) : null;
  }

  function marksFor(note) {
    return doc.querySelectorAll('mark.annotation[data-note="' + note.id + '"]');
  }

  function setActive(note, on) {
    note.classList.toggle('is-active', on);
    Array.prototype.forEach.call(marksFor(note), function (m) {
      m.classList.toggle('is-active', on);
    });
  }

  function setOpen(ref, note, open) {
    note.classList.toggle('is-collapsed', !open);
    ref.setAttribute('aria-expanded', open ? 'true' : 'false');
    if (open) placeNotes();
  }

  /* Narrow screens: an open note lies directly under the line holding its
   * marker (over the text that follows, until it is closed again). */
  function placeUnderRef(ref, note) {
    var body = note.offsetParent;
    if (!body) return;
    var rects = ref.getClientRects();
    var r = rects[rects.length - 1] || ref.getBoundingClientRect();
    var top = r.bottom - body.getBoundingClientRect().top + 2;
    note.style.top = Math.round(top) + 'px';
  }

  function initAnnotations() {
    // print.html keeps every note open under its block.
    if (doc.body.classList.contains('kind-print')) return;
    var refs = Array.prototype.slice.call(doc.querySelectorAll('a.annotation-ref'));
    var pairs = [];
    refs.forEach(function (ref) {
      var note = notesOf(ref);
      if (!note) return;
      pairs.push([ref, note]);
      ref.setAttribute('aria-controls', note.id);
      if (!ref.hasAttribute('aria-label')) {
        ref.setAttribute('aria-label', 'Annotation ' + ref.textContent.trim());
      }
      ref.addEventListener('click', function (e) {
        e.preventDefault();
        if (WIDE.matches) {
          setActive(note, true);
          setTimeout(function () { setActive(note, false); }, 1600);
          if (!onScreen(note)) note.scrollIntoView({ block: 'nearest' });
          return;
        }
        var opening = note.classList.contains('is-collapsed');
        setOpen(ref, note, opening);
        if (opening && !onScreen(note)) note.scrollIntoView({ block: 'nearest' });
      });
      // Escape folds an open note again (narrow screens), from its ref or from inside it.
      [ref, note].forEach(function (el) {
        el.addEventListener('keydown', function (e) {
          if ((e.key === 'Escape' || e.key === 'Esc') && !WIDE.matches &&
              !note.classList.contains('is-collapsed')) {
            setOpen(ref, note, false);
            ref.focus();
          }
        });
      });
      [ref, note].concat(Array.prototype.slice.call(marksFor(note))).forEach(function (el) {
        el.addEventListener('mouseenter', function () { setActive(note, true); });
        el.addEventListener('mouseleave', function () { setActive(note, false); });
      });
      ref.addEventListener('focus', function () { setActive(note, true); });
      ref.addEventListener('blur', function () { setActive(note, false); });
    });
    if (!pairs.length) return;

    function applyMode() {
      pairs.forEach(function (p) {
        if (WIDE.matches) {
          p[1].classList.remove('is-collapsed');
          p[0].removeAttribute('aria-expanded');
        } else {
          setOpen(p[0], p[1], false);
        }
      });
      openFromHash();
      placeNotes();
    }

    function openFromHash() {
      var id = decodeURIComponent(location.hash.replace(/^#/, ''));
      if (!id || WIDE.matches) return;
      var target = doc.getElementById(id);
      if (!target) return;
      pairs.forEach(function (p) {
        var mark = doc.getElementById(p[1].id.replace(/-note$/, ''));
        if (target === p[1] || target === mark || target === p[0]) setOpen(p[0], p[1], true);
      });
    }

    applyMode();
    onMediaChange(WIDE, applyMode);
    window.addEventListener('hashchange', openFromHash);
    window.addEventListener('resize', debounce(placeNotes, 100));
    window.addEventListener('load', placeNotes);
  }

  function onScreen(el) {
    var r = el.getBoundingClientRect();
    return r.bottom > 0 && r.top < window.innerHeight;
  }

  /* Wide screens: align each margin note with its first mark, without overlaps. */
  function placeNotes() {
    Array.prototype.forEach.call(doc.querySelectorAll('.article-body'), function (body) {
      var notes = body.querySelectorAll('aside.annotation-note');
      if (!notes.length) return;
      var wide = WIDE.matches;
      Array.prototype.forEach.call(notes, function (n) { n.style.top = ''; });
      body.style.minHeight = '';
      if (!wide) {
        Array.prototype.forEach.call(notes, function (n) {
          var ref = doc.getElementById(n.id.replace(/-note$/, '-ref'));
          if (ref && !n.classList.contains('is-collapsed')) placeUnderRef(ref, n);
        });
        return;
      }
      var base = body.getBoundingClientRect().top;
      var bottom = -Infinity;
      // Stack in the order of the marks on the page, not of the notes in the source.
      var wanted = Array.prototype.map.call(notes, function (note, i) {
        var mark = marksFor(note)[0];
        return { note: note, i: i, top: mark ? mark.getBoundingClientRect().top - base : note.offsetTop };
      });
      wanted.sort(function (a, b) { return a.top - b.top || a.i - b.i; });
      wanted.forEach(function (w) {
        var top = Math.max(w.top, bottom + 12);
        w.note.style.top = Math.round(top) + 'px';
        bottom = top + w.note.offsetHeight;
      });
      if (bottom > body.offsetHeight) body.style.minHeight = Math.ceil(bottom) + 'px';
    });
  }

  /* ------------------------------------------------------ entity previews */

  /* One line about an entity: its d, else the start of its page's text. */
  var pageByUrl = null;
  function describe(idx, e) {
    if (e.d) return e.d;
    if (!pageByUrl) {
      pageByUrl = {};
      (idx.pages || []).forEach(function (p) { pageByUrl[p.u] = p; });
    }
    var p = pageByUrl[e.u];
    if (!p) return '';
    var text = p.d || (typeof p.b === 'string' ? p.b : '') || (p.p && p.p[0]) || '';
    var m = /^[\s\S]{20,220}?[.!?](?=\s|$)/.exec(text);
    return m ? m[0] : text.length > 220 ? text.slice(0, 200).replace(/\s+\S*$/, '') + ' …' : text;
  }

  function initEntityCards() {
    var links = doc.querySelectorAll('a.entity[data-entity]');
    if (!links.length) return;
    var card = doc.createElement('div');
    card.id = 'ds-entity-card';
    card.className = 'entity-card';
    card.setAttribute('role', 'tooltip');
    card.hidden = true;
    doc.body.appendChild(card);
    var current = null;
    var savedDescribedBy = null;
    var hideTimer = 0;
    var showTimer = 0;

    function fill(e, slug, idx) {
      card.textContent = '';
      var t = doc.createElement('span');
      t.className = 'entity-card-title';
      t.textContent = e.t || slug;
      card.appendChild(t);
      if (e.k) {
        var k = doc.createElement('span');
        k.className = 'entity-card-kind';
        k.textContent = e.k;
        card.appendChild(k);
      }
      var about = describe(idx, e);
      if (about) {
        var d = doc.createElement('p');
        d.className = 'entity-card-desc';
        d.textContent = about;
        card.appendChild(d);
      }
    }

    function position(link) { positionCard(card, link); }

    function release() {
      if (!current) return;
      if (savedDescribedBy) current.setAttribute('aria-describedby', savedDescribedBy);
      else current.removeAttribute('aria-describedby');
      current = null;
    }

    function show(link) {
      clearTimeout(hideTimer);
      loadIndex(function (idx) {
        var slug = link.getAttribute('data-entity');
        var e = idx && idx.entities && idx.entities[slug];
        if (!e) return;
        if (current !== link) {
          release();
          current = link;
          savedDescribedBy = link.getAttribute('aria-describedby');
          link.setAttribute('aria-describedby',
            (savedDescribedBy ? savedDescribedBy + ' ' : '') + card.id);
        }
        fill(e, slug, idx);
        card.hidden = false;
        position(link);
      });
    }

    function hide() {
      clearTimeout(showTimer);
      card.hidden = true;
      release();
    }

    function hideSoon() {
      clearTimeout(showTimer);
      clearTimeout(hideTimer);
      hideTimer = setTimeout(hide, 250);
    }

    Array.prototype.forEach.call(links, function (link) {
      link.addEventListener('mouseenter', function () {
        clearTimeout(showTimer);
        showTimer = setTimeout(function () { show(link); }, 180);
      });
      link.addEventListener('mouseleave', hideSoon);
      link.addEventListener('focus', function () { show(link); });
      link.addEventListener('blur', hide);
    });
    card.addEventListener('mouseenter', function () { clearTimeout(hideTimer); });
    card.addEventListener('mouseleave', hideSoon);
    doc.addEventListener('keydown', function (ev) {
      if ((ev.key === 'Escape' || ev.key === 'Esc') && !card.hidden) hide();
    });
    window.addEventListener('resize', function () { if (current && !card.hidden) position(current); });
  }

  /* ---------------------------------------------------- citation previews */

  /* A citation is a link to an article paragraph: articles/<x>.html#pN. Its
   * preview shows that paragraph's text, read from the article's small
   * script (articles/<x>.paragraphs.js, defining DOSSIER_PARAGRAPHS[path]),
   * loaded on first use with a <script> tag, so it works from file://. */
  var rootAbs = new URL(ROOT || './', location.href).href;
  var scriptState = {};

  function loadScript(url, cb) {
    var st = scriptState[url];
    if (st === true) { cb(); return; }
    if (st) { st.push(cb); return; }
    scriptState[url] = [cb];
    var s = doc.createElement('script');
    s.src = url;
    s.onload = s.onerror = function () {
      var waiters = scriptState[url];
      scriptState[url] = true;
      waiters.forEach(function (f) { f(); });
    };
    doc.head.appendChild(s);
  }

  function citationOf(a) {
    var href = a.href;
    if (!href || href.indexOf(rootAbs) !== 0) return null;
    var m = /^(articles\/[^\/?#]+)\.html#p(\d+)$/.exec(href.slice(rootAbs.length));
    return m ? { page: m[1] + '.html', script: rootAbs + m[1] + '.paragraphs.js', n: Number(m[2]) } : null;
  }

  function initCitePreviews() {
    var links = Array.prototype.filter.call(doc.querySelectorAll('main a[href]'), function (a) {
      return !a.classList.contains('para-link') && !a.closest('details.cited-by') && citationOf(a);
    });
    if (!links.length) return;
    var card = doc.createElement('div');
    card.id = 'ds-cite-card';
    card.className = 'entity-card cite-card';
    card.setAttribute('role', 'tooltip');
    card.hidden = true;
    doc.body.appendChild(card);
    var current = null, showTimer = 0, hideTimer = 0;

    function fill(c, art) {
      card.textContent = '';
      var t = doc.createElement('span');
      t.className = 'entity-card-title';
      t.textContent = (art.s || art.t) + ' ¶' + c.n;
      card.appendChild(t);
      var k = doc.createElement('span');
      k.className = 'entity-card-kind';
      k.textContent = art.t;
      card.appendChild(k);
      var d = doc.createElement('p');
      d.className = 'cite-card-text';
      d.textContent = art.p[c.n - 1];
      card.appendChild(d);
    }

    function show(a) {
      clearTimeout(hideTimer);
      var c = citationOf(a);
      loadScript(c.script, function () {
        var art = window.DOSSIER_PARAGRAPHS && window.DOSSIER_PARAGRAPHS[c.page];
        if (!art || !art.p || !art.p[c.n - 1]) return;
        if (current && current !== a) current.removeAttribute('aria-describedby');
        current = a;
        a.setAttribute('aria-describedby', card.id);
        fill(c, art);
        card.hidden = false;
        positionCard(card, a);
      });
    }

    function hide() {
      clearTimeout(showTimer);
      card.hidden = true;
      if (current) current.removeAttribute('aria-describedby');
      current = null;
    }

    function hideSoon() {
      clearTimeout(showTimer);
      clearTimeout(hideTimer);
      hideTimer = setTimeout(hide, 250);
    }

    links.forEach(function (a) {
      a.addEventListener('mouseenter', function () {
        clearTimeout(showTimer);
        showTimer = setTimeout(function () { show(a); }, 180);
      });
      a.addEventListener('mouseleave', hideSoon);
      a.addEventListener('focus', function () { show(a); });
      a.addEventListener('blur', hide);
    });
    card.addEventListener('mouseenter', function () { clearTimeout(hideTimer); });
    card.addEventListener('mouseleave', hideSoon);
    doc.addEventListener('keydown', function (ev) {
      if ((ev.key === 'Escape' || ev.key === 'Esc') && !card.hidden) hide();
    });
  }

  /* Places a card under (or above) the first line box of `link`. */
  function positionCard(card, link) {
    var r = link.getClientRects()[0] || link.getBoundingClientRect();
    var sx = window.pageXOffset, sy = window.pageYOffset;
    var vw = doc.documentElement.clientWidth;
    var w = card.offsetWidth, h = card.offsetHeight;
    var left = Math.min(Math.max(8, r.left), Math.max(8, vw - w - 8));
    var below = r.bottom + 6;
    var top = (below + h > window.innerHeight && r.top - h - 6 > 0) ? r.top - h - 6 : below;
    card.style.left = Math.round(left + sx) + 'px';
    card.style.top = Math.round(top + sy) + 'px';
  }

  /* --------------------------------------------------------------- search */

  var FOLD_RE = /[\u0300-\u036f]/g;

  /* Lowercase, strip accents. Keeps string length when it can, so positions in
   * the folded text are positions in the original (checked by the caller). */
  function fold(s) {
    return s.normalize('NFD').replace(FOLD_RE, '').toLowerCase();
  }

  function foldAligned(s) {
    var f = fold(s);
    if (f.length === s.length) return f;
    var out = '';
    for (var i = 0; i < s.length; i++) {
      var c = fold(s[i]);
      out += c.length === 1 ? c : s[i];
    }
    return out;
  }

  function debounce(fn, ms) {
    var t = 0;
    return function () {
      var args = arguments;
      clearTimeout(t);
      t = setTimeout(function () { fn.apply(null, args); }, ms);
    };
  }

  /* The searchable text of a page as [anchor-id, text, folded] segments:
   * p (block texts, anchors p1, p2, ...), b (a string, or [anchor, text]
   * pairs), a (annotations: a quote, or [quote, note]; anchors aN, aN-note). */
  function segmentsOf(p) {
    var segs = [];
    (p.p || []).forEach(function (text, i) { segs.push(['p' + (i + 1), text || '', null]); });
    if (typeof p.b === 'string' && p.b) segs.push(['', p.b, null]);
    else if (Array.isArray(p.b)) p.b.forEach(function (s) { segs.push([s[0] || '', s[1] || '', null]); });
    (p.a || []).forEach(function (a, i) {
      var id = 'a' + (i + 1);
      if (typeof a === 'string') { segs.push([id, a, null]); return; }
      if (a[0]) segs.push([id, a[0], null]);
      if (a[1]) segs.push([id + '-note', a[1], null]);
    });
    return segs;
  }

  function prepare(index) {
    var entities = index.entities || {};
    var entityNames = {};
    var entityByUrl = {};
    Object.keys(entities).forEach(function (slug) {
      var e = entities[slug];
      entityNames[slug] = [e.t || slug].concat(e.a || []).map(fold);
      if (e.u) entityByUrl[e.u] = slug;
    });
    return (index.pages || []).map(function (p) {
      var own = entityByUrl[p.u];
      return {
        t: p.t || p.u,
        tf: fold(p.t || ''),
        u: p.u,
        k: p.k || '',
        d: p.d || '',
        df: fold(p.d || ''),
        h: (p.h || []).map(function (h) { return [h[0], h[1], fold(h[1] || '')]; }),
        s: segmentsOf(p),
        names: own ? entityNames[own].slice(1) : [],
        entity: !!own,
        e: (p.e || []).map(function (slug) { return entityNames[slug] || []; })
      };
    });
  }

  function terms(q) {
    return fold(q).split(/\s+/).filter(function (t) { return t.length > 0; });
  }

  function countIn(hay, term, max) {
    var n = 0, i = hay.indexOf(term);
    while (i !== -1 && n < max) { n++; i = hay.indexOf(term, i + term.length); }
    return n;
  }

  function segFold(seg) {
    if (seg[2] === null) seg[2] = foldAligned(seg[1]);
    return seg[2];
  }

  /* Score one page; null when a term is found nowhere. Title matches weigh
   * most, then entity names (the entity's own page and pages mentioning it),
   * then headings, description and body text. */
  function score(p, ts, phrase) {
    var total = 0, best = null, bestHits = 0, headings = [];
    for (var i = 0; i < ts.length; i++) {
      var t = ts[i], found = false;
      var ti = p.tf.indexOf(t);
      if (ti !== -1) {
        found = true;
        total += 40 + (p.tf === t ? 60 : 0) + (ti === 0 || /\W/.test(p.tf[ti - 1]) ? 15 : 0);
      }
      if (p.entity && ti !== -1) total += 25;
      if (p.names.some(function (n) { return n.indexOf(t) !== -1; })) { found = true; total += 35; }
      if (p.e.some(function (ns) { return ns.some(function (n) { return n.indexOf(t) !== -1; }); })) {
        found = true;
        total += 12;
      }
      p.h.forEach(function (h) {
        if (h[2].indexOf(t) !== -1) {
          found = true;
          total += 8;
          if (headings.indexOf(h) === -1) headings.push(h);
        }
      });
      if (p.df.indexOf(t) !== -1) { found = true; total += 5; }
      var bodyHits = 0;
      p.s.forEach(function (seg) {
        var n = countIn(segFold(seg), t, 20);
        bodyHits += n;
      });
      if (bodyHits) { found = true; total += Math.min(bodyHits, 20); }
      if (!found) return null;
    }
    if (ts.length > 1 && p.tf.indexOf(phrase) !== -1) total += 50;
    p.s.forEach(function (seg) {
      var f = segFold(seg), hits = 0;
      ts.forEach(function (t) { if (f.indexOf(t) !== -1) hits++; });
      if (ts.length > 1 && f.indexOf(phrase) !== -1) hits += ts.length;
      if (hits > bestHits) { bestHits = hits; best = seg; }
    });
    if (ts.length > 1 && best && segFold(best).indexOf(phrase) !== -1) total += 10;
    return { page: p, score: total, seg: best, headings: headings };
  }

  /* Append text to el with every occurrence of the terms wrapped in <mark>. */
  function highlight(el, text, folded, ts) {
    var ranges = [];
    ts.forEach(function (t) {
      var i = folded.indexOf(t);
      while (i !== -1) { ranges.push([i, i + t.length]); i = folded.indexOf(t, i + t.length); }
    });
    ranges.sort(function (a, b) { return a[0] - b[0] || b[1] - a[1]; });
    var pos = 0;
    ranges.forEach(function (r) {
      if (r[0] < pos) { if (r[1] > pos) r[0] = pos; else return; }
      if (r[0] > pos) el.appendChild(doc.createTextNode(text.slice(pos, r[0])));
      var m = doc.createElement('mark');
      m.textContent = text.slice(r[0], r[1]);
      el.appendChild(m);
      pos = r[1];
    });
    if (pos < text.length) el.appendChild(doc.createTextNode(text.slice(pos)));
  }

  /* A window of about 200 characters around the first match, cut at spaces. */
  function snippet(seg, ts) {
    var text = seg[1], f = segFold(seg), first = -1;
    ts.forEach(function (t) {
      var i = f.indexOf(t);
      if (i !== -1 && (first === -1 || i < first)) first = i;
    });
    if (first === -1) first = 0;
    var start = Math.max(0, first - 70), end = Math.min(text.length, start + 220);
    if (start > 0) { var sp = text.indexOf(' ', start); if (sp !== -1 && sp < first) start = sp + 1; }
    if (end < text.length) { var ep = text.lastIndexOf(' ', end); if (ep > first) end = ep; }
    return {
      text: (start > 0 ? '… ' : '') + text.slice(start, end) + (end < text.length ? ' …' : ''),
      folded: (start > 0 ? '… ' : '') + f.slice(start, end) + (end < text.length ? ' …' : '')
    };
  }

  function renderResult(r, ts) {
    var p = r.page;
    var li = doc.createElement('li');
    var a = doc.createElement('a');
    a.className = 'result-title';
    a.href = ROOT + p.u;
    highlight(a, p.t, foldAligned(p.t), ts);
    li.appendChild(a);
    if (p.k) {
      var k = doc.createElement('span');
      k.className = 'result-kind';
      k.textContent = p.k;
      li.appendChild(k);
    }
    var seg = r.seg;
    var text = seg ? seg[1] : p.d;
    if (text) {
      var sn = seg ? snippet(seg, ts) : { text: p.d, folded: foldAligned(p.d) };
      var para = doc.createElement('p');
      para.className = 'result-snippet';
      var sa = doc.createElement('a');
      sa.href = ROOT + p.u + (seg && seg[0] ? '#' + seg[0] : '');
      highlight(sa, sn.text, sn.folded, ts);
      para.appendChild(sa);
      li.appendChild(para);
    }
    if (r.headings.length) {
      var ul = doc.createElement('ul');
      ul.className = 'result-sections';
      r.headings.slice(0, 5).forEach(function (h) {
        var hli = doc.createElement('li');
        var ha = doc.createElement('a');
        ha.href = ROOT + p.u + '#' + h[0];
        highlight(ha, h[1], foldAligned(h[1]), ts);
        hli.appendChild(ha);
        ul.appendChild(hli);
      });
      li.appendChild(ul);
    }
    return li;
  }

  function initSearch() {
    var form = doc.getElementById('ds-search-form');
    if (!form) return;
    var input = form.elements.q;
    var status = doc.getElementById('ds-search-status');
    var list = doc.getElementById('ds-search-results');
    var fallback = doc.getElementById('ds-search-fallback');
    var params = new URLSearchParams(location.search);
    input.value = params.get('q') || '';
    var pages = null;
    var shown = 0, results = [], lastQuery = null;
    var PAGE = 30;

    function showMore(ts) {
      var more = doc.getElementById('ds-search-more');
      if (more) more.parentNode.removeChild(more);
      results.slice(shown, shown + PAGE).forEach(function (r) { list.appendChild(renderResult(r, ts)); });
      shown = Math.min(results.length, shown + PAGE);
      if (shown < results.length) {
        var li = doc.createElement('li');
        li.id = 'ds-search-more';
        var b = doc.createElement('button');
        b.type = 'button';
        b.className = 'search-more';
        b.textContent = 'Show more results';
        b.addEventListener('click', function () {
          var next = shown;
          showMore(ts);
          var link = list.children[next] && list.children[next].querySelector('a');
          if (link) link.focus();
        });
        li.appendChild(b);
        list.appendChild(li);
      }
    }

    function run(q) {
      q = q.trim();
      if (q === lastQuery) return;
      lastQuery = q;
      list.textContent = '';
      shown = 0;
      results = [];
      var ts = terms(q);
      if (!ts.length) {
        status.textContent = '';
        if (fallback) fallback.hidden = false;
        return;
      }
      if (fallback) fallback.hidden = true;
      var phrase = ts.join(' ');
      pages.forEach(function (p) {
        var r = score(p, ts, phrase);
        if (r) results.push(r);
      });
      results.sort(function (a, b) { return b.score - a.score || a.page.t.localeCompare(b.page.t); });
      status.textContent = results.length
        ? results.length + (results.length === 1 ? ' result' : ' results') + ' for “' + q + '”.'
        : 'No results for “' + q + '”. Try fewer or shorter words.';
      showMore(ts);
    }

    function remember(q) {
      try {
        var url = location.pathname + (q ? '?q=' + encodeURIComponent(q) : '') + location.hash;
        history.replaceState(null, '', url);
      } catch (e) { /* some browsers refuse on file:// — the search still works */ }
    }

    status.textContent = input.value ? 'Loading the search index…' : '';
    loadIndex(function (index) {
      if (!index || !index.pages) {
        status.textContent = 'The search index could not be loaded; the list of all pages is below.';
        if (fallback) fallback.hidden = false;
        return;
      }
      pages = prepare(index);
      run(input.value);
      input.addEventListener('input', debounce(function () {
        run(input.value);
        remember(input.value.trim());
      }, 250));
      form.addEventListener('submit', function (e) {
        e.preventDefault();
        run(input.value);
        remember(input.value.trim());
      });
    });
  }

  /* ----------------------------------------------------------------- start */

  initAnnotations();
  initEntityCards();
  initCitePreviews();
  initSearch();
})();
