/* The live preview: reload the page after each rebuild, or show the build's messages over it until fixed. */
(function () {
  "use strict";
  var seen = null;
  var box = null;
  function show(problems) {
    if (!box) {
      box = document.createElement("div");
      box.id = "huiwu-problems";
      box.setAttribute("role", "alert");
      box.style.cssText = "position:fixed;inset:0;z-index:99999;overflow:auto;background:rgba(255,255,255,.96);" +
        "color:#1f2328;padding:1.5rem;font:15px/1.7 sans-serif;border:6px solid #b3261e";
      document.body.appendChild(box);
    }
    while (box.firstChild) { box.removeChild(box.firstChild); }
    var h = document.createElement("h2");
    h.textContent = "材料有错误，未生成（改正并保存后自动刷新；下面的页面仍是上次的结果）";
    h.style.color = "#b3261e";
    box.appendChild(h);
    var pre = document.createElement("pre");
    pre.style.whiteSpace = "pre-wrap";
    pre.textContent = problems.join("\n");
    box.appendChild(pre);
  }
  var note = null;
  function making(on) {  // the page is new; its PDFs are still being made
    if (on && !note) {
      note = document.createElement("div");
      note.id = "huiwu-pending";
      note.setAttribute("role", "status");
      note.textContent = "页面已更新，PDF 正在生成……";
      note.style.cssText = "position:fixed;right:1rem;bottom:1rem;z-index:99998;background:#1f2328;color:#fff;" +
        "padding:.4rem .8rem;border-radius:4px;font:14px/1.6 sans-serif;opacity:.9";
      document.body.appendChild(note);
    } else if (!on && note) {
      note.remove();
      note = null;
    }
  }
  var source = new EventSource("/__live/events");
  source.onmessage = function (e) {
    var s = JSON.parse(e.data);
    if (s.problems.length) { show(s.problems); seen = s.version; return; }
    if (seen !== null && s.version !== seen) { location.reload(); return; }
    if (box) { box.remove(); box = null; }
    making(s.pending);
    seen = s.version;
  };
})();
