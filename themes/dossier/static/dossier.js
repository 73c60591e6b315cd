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
 * 4. Search (search page only): reads ?q=, runs it with search.js's engine
 *    (a sharded index, loaded on demand), highlights, links to the exact
 *    heading or paragraph; "/" focuses the search box on every page.
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
    var url = html.getAttribute('data-entities') || html.getAttribute('data-search-index') ||
      ROOT + 'entities.js';
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

  /* An entity mention's slug: the name of its page, entities/<slug>.html,
   * read from the href (themes/README.md: mentions carry no other id). */
  function entitySlug(link) {
    var m = /([^\/?#]*)\.html(?:[?#][\s\S]*)?$/.exec(link.getAttribute('href') || '');
    if (!m) return '';
    try { return decodeURIComponent(m[1]); } catch (err) { return m[1]; }
  }

  function initEntityCards() {
    var links = doc.querySelectorAll('a.entity');
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
        var slug = entitySlug(link);
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

  function debounce(fn, ms) {
    var t = 0;
    return function () {
      var args = arguments;
      clearTimeout(t);
      t = setTimeout(function () { fn.apply(null, args); }, ms);
    };
  }

  /* The engine of search.js over the index folder of <html data-search>. */
  var engineCache = null;
  function engine() {
    if (engineCache || !window.DossierSearch) return engineCache;
    var url = html.getAttribute('data-search') || ROOT + 'search/index.js';
    var base = new URL(url, location.href).href.replace(/[^\/]*$/, '');
    engineCache = new window.DossierSearch.Engine(base, loadScript);
    return engineCache;
  }

  /* The searchable text of a page as [anchor-id, text] segments:
   * p (block texts, anchors p1, p2, ...), b ([anchor, text] pairs, or a
   * string), a (annotations: [quote, note]; anchors aN, aN-note). */
  function segmentsOf(p) {
    var segs = [];
    (p.p || []).forEach(function (text, i) { segs.push(['p' + (i + 1), text || '']); });
    if (typeof p.b === 'string' && p.b) segs.push(['', p.b]);
    else if (Array.isArray(p.b)) p.b.forEach(function (x) { segs.push([x[0] || '', x[1] || '']); });
    (p.a || []).forEach(function (a, i) {
      var id = 'a' + (i + 1);
      if (typeof a === 'string') { segs.push([id, a]); return; }
      if (a[0]) segs.push([id, a[0]]);
      if (a[1]) segs.push([id + '-note', a[1]]);
    });
    return segs;
  }

  /* Appends `text` to el with the words whose term is in `want` marked. */
  function markTerms(el, text, want) {
    var pos = 0, n = 0;
    window.DossierSearch.terms(text).forEach(function (t) {
      if (!t.term || !want[t.term]) return;
      if (t.start > pos) el.appendChild(doc.createTextNode(text.slice(pos, t.start)));
      var m = doc.createElement('mark');
      m.textContent = text.slice(t.start, t.end);
      el.appendChild(m);
      pos = t.end;
      n++;
    });
    if (pos < text.length) el.appendChild(doc.createTextNode(text.slice(pos)));
    return n;
  }

  /* The segment that best shows the query: a phrase of it counts most,
   * then the number of its terms; and where in it the snippet starts (the
   * phrase, else the 150 characters holding the most terms). */
  function bestSegment(p, want, units) {
    var best = null;
    segmentsOf(p).forEach(function (seg) {
      var ts = window.DossierSearch.terms(seg[1]), hits = [], seen = {}, distinct = 0, phraseAt = -1;
      ts.forEach(function (t) {
        if (!t.term || !want[t.term]) return;
        hits.push(t);
        if (!seen[t.term]) { seen[t.term] = true; distinct++; }
      });
      if (!distinct) return;
      (units || []).forEach(function (u) {
        if (!u.phrase || phraseAt >= 0) return;
        for (var i = 0; i < ts.length && phraseAt < 0; i++) {
          if (u.words.every(function (w) { var x = ts[i + w.off]; return x && x.term === w.term; })) phraseAt = ts[i].start;
        }
      });
      var rank = distinct + (phraseAt >= 0 ? 100 : 0);
      if (best && rank <= best.rank) return;
      var at = phraseAt, most = 0;
      if (at < 0) {
        for (var a = 0; a < hits.length; a++) {
          var inWin = {}, n = 0;
          for (var b = a; b < hits.length && hits[b].start - hits[a].start < 150; b++)
            if (!inWin[hits[b].term]) { inWin[hits[b].term] = true; n++; }
          if (n > most) { most = n; at = hits[a].start; }
        }
      }
      best = { seg: seg, rank: rank, first: at };
    });
    return best;
  }

  /* About 220 characters of `text` around `at`, cut at spaces. */
  function around(text, at) {
    var start = Math.max(0, at - 70), end = Math.min(text.length, start + 220);
    if (start > 0) { var sp = text.indexOf(' ', start); if (sp !== -1 && sp < at) start = sp + 1; }
    if (end < text.length) { var ep = text.lastIndexOf(' ', end); if (ep > at) end = ep; }
    return (start > 0 ? '… ' : '') + text.slice(start, end) + (end < text.length ? ' …' : '');
  }

  function renderResult(p, want, units) {
    var li = doc.createElement('li');
    var a = doc.createElement('a');
    a.className = 'result-title';
    a.href = ROOT + p.u;
    markTerms(a, p.t, want);
    li.appendChild(a);
    if (p.k) {
      var k = doc.createElement('span');
      k.className = 'result-kind';
      k.textContent = p.k;
      li.appendChild(k);
    }
    // The record holds the start of the text: the best segment of it, else
    // the description, else the opening words.
    var best = bestSegment(p, want, units), first = segmentsOf(p)[0];
    var text = best ? around(best.seg[1], best.first) : p.d || (first ? first[1] : '');
    if (text) {
      var para = doc.createElement('p');
      para.className = 'result-snippet';
      var sa = doc.createElement('a');
      sa.href = ROOT + p.u + (best && best.seg[0] ? '#' + best.seg[0] : '');
      markTerms(sa, text, want);
      para.appendChild(sa);
      li.appendChild(para);
    }
    var heads = (p.h || []).filter(function (h) {
      return window.DossierSearch.terms(h[1] || '').some(function (t) { return t.term && want[t.term]; });
    });
    if (heads.length) {
      var ul = doc.createElement('ul');
      ul.className = 'result-sections';
      heads.slice(0, 5).forEach(function (h) {
        var hli = doc.createElement('li');
        var ha = doc.createElement('a');
        ha.href = ROOT + p.u + '#' + h[0];
        markTerms(ha, h[1], want);
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
    // The header's box says what is searched, too.
    var headerBox = doc.getElementById('ds-site-q');
    if (headerBox) headerBox.value = input.value;
    var eng = engine();
    var seq = 0, shown = 0, results = [], want = {}, units = [], lastQuery = null;
    var PAGE = 20;

    if (!eng) {
      status.textContent = 'Search could not start (search.js is missing); the list of all pages is below.';
      return;
    }

    function showMore(token, started, done) {
      var slice = results.slice(shown, shown + PAGE);
      eng.docs(slice.map(function (r) { return r.doc; }), function (pages) {
        if (token !== seq) return;
        var more = doc.getElementById('ds-search-more');
        if (more) more.parentNode.removeChild(more);
        var first = list.children.length;
        pages.forEach(function (p) { if (p) list.appendChild(renderResult(p, want, units)); });
        shown += slice.length;
        if (shown < results.length) {
          var li = doc.createElement('li');
          li.id = 'ds-search-more';
          var b = doc.createElement('button');
          b.type = 'button';
          b.className = 'search-more';
          b.textContent = 'Show more results';
          b.addEventListener('click', function () {
            showMore(seq, Date.now(), function () {
              var link = list.children[first + PAGE] && list.children[first + PAGE].querySelector('a');
              if (link) link.focus();
            });
          });
          li.appendChild(b);
          list.appendChild(li);
        }
        window.DOSSIER_SEARCH_LAST = { query: lastQuery, ms: Date.now() - started, results: results.length, shown: shown };
        if (done) done();
      });
    }

    function run(q) {
      q = q.trim();
      if (q === lastQuery) return;
      lastQuery = q;
      // Timed from the keystroke (DOSSIER_SEARCH_LAST.ms, for make bench).
      var token = ++seq, started = typedAt || Date.now();
      typedAt = 0;
      if (!q) {
        list.textContent = '';
        status.textContent = '';
        if (fallback) fallback.hidden = false;
        return;
      }
      eng.query(q, function (res) {
        if (token !== seq) return;
        list.textContent = '';
        shown = 0;
        if (!res) {
          status.textContent = 'The search index could not be loaded; the list of all pages is below.';
          if (fallback) fallback.hidden = false;
          return;
        }
        if (fallback) fallback.hidden = true;
        results = res.results;
        units = res.units;
        want = {};
        res.terms.forEach(function (t) { want[t] = true; });
        var n = results.length, units = res.units.length;
        status.textContent = !n ? 'No results for “' + q + '”.'
          : n + (n === 1 ? ' result' : ' results') + ' for “' + q + '”' +
            (units > 1 ? ' (' + res.all + ' with every word)' : '') + '.';
        showMore(token, started);
      });
    }

    function remember(q) {
      if (headerBox) headerBox.value = q;
      try {
        var url = location.pathname + (q ? '?q=' + encodeURIComponent(q) : '') + location.hash;
        history.replaceState(null, '', url);
      } catch (e) { /* some browsers refuse on file:// — the search still works */ }
    }

    var typedAt = 0;
    run(input.value);
    input.addEventListener('input', function () { typedAt = Date.now(); });
    input.addEventListener('input', debounce(function () {
      run(input.value);
      remember(input.value.trim());
    }, 120));
    form.addEventListener('submit', function (e) {
      e.preventDefault();
      run(input.value);
      remember(input.value.trim());
    });
  }

  /* "/" anywhere but in a field focuses the search box: the search page's
   * own, else the one in the header. */
  function initSearchKey() {
    doc.addEventListener('keydown', function (e) {
      if (e.key !== '/' || e.ctrlKey || e.metaKey || e.altKey) return;
      var t = e.target;
      if (t && (t.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName))) return;
      var box = doc.getElementById('ds-q') || doc.getElementById('ds-site-q');
      if (!box) return;
      e.preventDefault();
      box.focus();
      box.select();
    });
  }

  /* ----------------------------------------------------------------- start */

  initAnnotations();
  initEntityCards();
  initCitePreviews();
  initSearch();
  initSearchKey();
})();
