/* plain theme: offline search and entity previews (annotation notes are
 * always shown inline). Plain ES2017, no modules; works from file://. Reads
 * window.DOSSIER_INDEX from search-index.js (the search page loads it), and
 * window.DOSSIER_ENTITIES from entities.js on the first preview. Format in themes/README.md. */
(function () {
  'use strict';
  var html = document.documentElement;

  /* Entity previews: a.entity shows a card (role=tooltip) on hover or focus;
   * Escape or leaving hides it. */
  /* An entity mention's slug: the name of its page, entities/<slug>.html,
   * read from the href (themes/README.md: mentions carry no other id). */
  function entitySlug(link) {
    var m = /([^\/?#]*)\.html(?:[?#][\s\S]*)?$/.exec(link.getAttribute('href') || '');
    if (!m) return '';
    try { return decodeURIComponent(m[1]); } catch (err) { return m[1]; }
  }

  var links = document.querySelectorAll('a.entity');
  var card = null, owner = null;
  /* Cards need only the entities: entities.js (data-entities) is small
   * where search-index.js grows with the site. */
  function withIndex(cb) {
    if (window.DOSSIER_INDEX) { cb(window.DOSSIER_INDEX); return; }
    if (window.DOSSIER_ENTITIES) { cb({ pages: [], entities: window.DOSSIER_ENTITIES }); return; }
    var s = document.createElement('script');
    s.src = html.getAttribute('data-entities') || html.getAttribute('data-search-index');
    s.onload = function () {
      if (window.DOSSIER_INDEX) cb(window.DOSSIER_INDEX);
      else if (window.DOSSIER_ENTITIES) cb({ pages: [], entities: window.DOSSIER_ENTITIES });
    };
    document.head.appendChild(s);
  }
  function hideCard() {
    if (!card || card.hidden) return;
    card.hidden = true;
    if (owner) owner.removeAttribute('aria-describedby');
    owner = null;
  }
  function showCard(link) {
    withIndex(function (idx) {
      var e = (idx.entities || {})[entitySlug(link)];
      if (!e) return;
      if (!card) {
        card = document.createElement('div');
        card.id = 'entity-preview';
        card.className = 'preview';
        card.setAttribute('role', 'tooltip');
        document.body.appendChild(card);
      }
      card.textContent = '';
      var b = document.createElement('strong');
      b.textContent = e.t;
      card.appendChild(b);
      var about = e.d;
      if (!about) {
        var pg = (idx.pages || []).filter(function (x) { return x.u === e.u; })[0] || {};
        about = (pg.d || (typeof pg.b === 'string' ? pg.b : '') || (pg.p && pg.p[0]) || '').slice(0, 200);
        about = about.replace(/([.!?])\s[\s\S]*$/, '$1');
      }
      card.appendChild(document.createTextNode(' (' + e.k + ') ' + about));
      var r = link.getBoundingClientRect();
      card.style.left = Math.max(8, Math.min(r.left, html.clientWidth - 328)) + window.pageXOffset + 'px';
      card.style.top = r.bottom + 6 + window.pageYOffset + 'px';
      card.hidden = false;
      owner = link;
      link.setAttribute('aria-describedby', card.id);
    });
  }
  Array.prototype.forEach.call(links, function (link) {
    link.addEventListener('mouseenter', function () { showCard(link); });
    link.addEventListener('focus', function () { showCard(link); });
    link.addEventListener('mouseleave', hideCard);
    link.addEventListener('blur', hideCard);
  });
  document.addEventListener('keydown', function (e) { if (e.key === 'Escape') hideCard(); });

  var form = document.getElementById('ds-search-form');
  var index = window.DOSSIER_INDEX;
  if (!form || !index) return;
  var input = form.elements.q;
  var status = document.getElementById('ds-search-status');
  var list = document.getElementById('ds-search-results');
  var fallback = document.getElementById('ds-search-fallback');
  var root = document.documentElement.getAttribute('data-root') || '';

  function fold(s) {
    return String(s || '').normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase();
  }

  /* [anchor, text] pieces of a page: p (block texts, #pN), b, a (annotations, #aN). */
  function pieces(p) {
    var out = [];
    (p.p || []).forEach(function (t, i) { out.push(['p' + (i + 1), t]); });
    if (typeof p.b === 'string') out.push(['', p.b]);
    else (p.b || []).forEach(function (s) { out.push([s[0], s[1]]); });
    (p.a || []).forEach(function (a, i) {
      if (typeof a === 'string') out.push(['a' + (i + 1), a]);
      else { out.push(['a' + (i + 1), a[0] || '']); out.push(['a' + (i + 1) + '-note', a[1] || '']); }
    });
    (p.h || []).forEach(function (h) { out.push([h[0], h[1]]); });
    return out;
  }

  function search(q) {
    var terms = fold(q).split(/\s+/).filter(Boolean);
    if (!terms.length) return [];
    var hits = [];
    (index.pages || []).forEach(function (p) {
      var title = fold(p.t), score = 0, best = null;
      var ps = pieces(p);
      var all = terms.every(function (t) {
        var ok = false;
        if (title.indexOf(t) !== -1) { score += 50; ok = true; }
        if (fold(p.d).indexOf(t) !== -1) { score += 5; ok = true; }
        ps.forEach(function (piece) {
          if (fold(piece[1]).indexOf(t) !== -1) { score += 1; ok = true; if (!best) best = piece; }
        });
        return ok;
      });
      if (all) hits.push({ p: p, score: score, piece: best });
    });
    return hits.sort(function (a, b) { return b.score - a.score || a.p.t.localeCompare(b.p.t); });
  }

  function excerpt(text, terms) {
    var f = fold(text), i = -1;
    terms.forEach(function (t) { var j = f.indexOf(t); if (j !== -1 && (i === -1 || j < i)) i = j; });
    var start = Math.max(0, i - 60);
    return (start ? '… ' : '') + text.slice(start, start + 200) + (start + 200 < text.length ? ' …' : '');
  }

  function mark(el, text, terms) {
    var f = fold(text), pos = 0;
    if (f.length !== text.length) { el.textContent = text; return; }
    while (pos < text.length) {
      var next = -1, len = 0;
      terms.forEach(function (t) { var j = f.indexOf(t, pos); if (j !== -1 && (next === -1 || j < next)) { next = j; len = t.length; } });
      if (next === -1) break;
      el.appendChild(document.createTextNode(text.slice(pos, next)));
      var m = document.createElement('mark');
      m.textContent = text.slice(next, next + len);
      el.appendChild(m);
      pos = next + len;
    }
    el.appendChild(document.createTextNode(text.slice(pos)));
  }

  function show(q) {
    list.textContent = '';
    var terms = fold(q).split(/\s+/).filter(Boolean);
    if (fallback) fallback.hidden = terms.length > 0;
    if (!terms.length) { status.textContent = ''; return; }
    var hits = search(q);
    status.textContent = hits.length + (hits.length === 1 ? ' result' : ' results') + ' for “' + q + '”.';
    hits.slice(0, 50).forEach(function (h) {
      var li = document.createElement('li');
      var a = document.createElement('a');
      a.href = root + h.p.u;
      mark(a, h.p.t, terms);
      li.appendChild(a);
      if (h.piece) {
        var para = document.createElement('p');
        var pa = document.createElement('a');
        pa.href = root + h.p.u + (h.piece[0] ? '#' + h.piece[0] : '');
        mark(pa, excerpt(h.piece[1], terms), terms);
        para.appendChild(pa);
        li.appendChild(para);
      }
      list.appendChild(li);
    });
  }

  input.value = new URLSearchParams(location.search).get('q') || '';
  show(input.value.trim());
  form.addEventListener('submit', function (e) {
    e.preventDefault();
    show(input.value.trim());
    try { history.replaceState(null, '', '?q=' + encodeURIComponent(input.value.trim())); } catch (err) { /* file:// */ }
  });
})();
