/* Search across all meetings, in the browser: the index comes from search-index.js (a script, so it loads
   from file:// too). Substring matching over NFKC-normalised, lower-cased text: 经济工作 matches inside
   全市经济工作会议, and one- or two-character queries work. Results are built with DOM nodes and
   textContent, never innerHTML. */
(function () {
  "use strict";
  var root = document.documentElement.getAttribute("data-root") || "";
  var form = document.getElementById("search-form");
  var input = document.getElementById("search-q");
  var list = document.getElementById("search-results");
  var status = document.getElementById("search-status");
  if (!form || !input || !list) { return; }
  var LIMIT = 50, CONTEXT = 36;

  function normal(text) {
    /* The normalised text, and for each of its code units the index of the original character it came from. */
    var out = "", from = [];
    for (var i = 0; i < text.length; i++) {
      var n = text[i].normalize("NFKC").toLowerCase();
      out += n;
      for (var k = 0; k < n.length; k++) { from.push(i); }
    }
    return { text: out, from: from };
  }

  var index = (window.HUIWU_INDEX || []).map(function (e) {
    return { url: e.u, title: e.t, section: e.s, text: e.x, nt: normal(e.t).text, nx: normal(e.x) };
  });

  function terms(query) {
    return query.normalize("NFKC").toLowerCase().split(/\s+/).filter(function (t) { return t.length > 0; });
  }

  function find(words) {
    var found = [];
    index.forEach(function (e) {
      var all = e.nt + "\n" + e.nx.text;
      if (!words.every(function (w) { return all.indexOf(w) >= 0; })) { return; }
      var at = -1, word = words[0];
      for (var i = 0; i < words.length && at < 0; i++) { at = e.nx.text.indexOf(words[i]); word = words[i]; }
      found.push({ entry: e, at: at, length: word.length, inTitle: e.nt.indexOf(words[0]) >= 0 });
    });
    found.sort(function (a, b) { return (b.inTitle ? 1 : 0) - (a.inTitle ? 1 : 0); });
    return found;
  }

  function highlighted(parent, text, words) {
    /* text with every occurrence of the words marked; appended as text nodes and <mark> elements */
    var n = normal(text), spans = [];
    words.forEach(function (w) {
      for (var at = n.text.indexOf(w); at >= 0; at = n.text.indexOf(w, at + w.length)) {
        spans.push([n.from[at], n.from[at + w.length - 1] + 1]);
      }
    });
    spans.sort(function (a, b) { return a[0] - b[0]; });
    var pos = 0;
    spans.forEach(function (s) {
      if (s[0] < pos) { return; }
      parent.appendChild(document.createTextNode(text.slice(pos, s[0])));
      var mark = document.createElement("mark");
      mark.textContent = text.slice(s[0], s[1]);
      parent.appendChild(mark);
      pos = s[1];
    });
    parent.appendChild(document.createTextNode(text.slice(pos)));
  }

  function snippet(hit) {
    var text = hit.entry.text;
    if (hit.at < 0) { return text.slice(0, CONTEXT * 2) + (text.length > CONTEXT * 2 ? "…" : ""); }
    var start = hit.entry.nx.from[hit.at], end = hit.entry.nx.from[hit.at + hit.length - 1] + 1;
    var a = Math.max(0, start - CONTEXT), b = Math.min(text.length, end + CONTEXT);
    return (a > 0 ? "…" : "") + text.slice(a, b) + (b < text.length ? "…" : "");
  }

  function show(query) {
    while (list.firstChild) { list.removeChild(list.firstChild); }
    var words = terms(query);
    if (!words.length) { status.textContent = "请输入要搜索的词语。"; return; }
    var hits = find(words);
    status.textContent = hits.length ? "找到 " + hits.length + " 处" + (hits.length > LIMIT ? "，显示前 " + LIMIT + " 处" : "") + "："
      : "没有找到“" + query.trim() + "”。请换一个词，或减少字数。";
    hits.slice(0, LIMIT).forEach(function (hit) {
      var li = document.createElement("li");
      var a = document.createElement("a");
      a.href = root + hit.entry.url;
      highlighted(a, hit.entry.title, words);
      var where = document.createElement("span");
      where.className = "where";
      where.textContent = hit.entry.section;
      var p = document.createElement("p");
      highlighted(p, snippet(hit), words);
      li.appendChild(a);
      li.appendChild(where);
      li.appendChild(p);
      list.appendChild(li);
    });
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    show(input.value);
    try { history.replaceState(null, "", "?q=" + encodeURIComponent(input.value)); } catch (e) { /* some file:// setups */ }
  });
  var params = new URLSearchParams(location.search);
  var q = params.get("q");
  if (q) { input.value = q; show(q); }
  var top = document.getElementById("site-q");
  if (top && q) { top.value = q; }
})();
