/* The chair's board: the desk's state, pushed by the desk (server-sent events) after every scan. */
(function () {
  "use strict";
  var ORDER = ["应到", "实到", "请假", "未到", "迟到", "替会", "名单外"];
  function clear(el) { while (el.firstChild) { el.removeChild(el.firstChild); } }
  function cell(tr, text, cls) {
    var td = document.createElement("td");
    td.textContent = text;
    if (cls) { td.className = cls; }
    tr.appendChild(td);
    return td;
  }
  function render(s) {
    document.getElementById("start").textContent = s.start;
    document.getElementById("now").textContent = s.now;
    var counts = document.getElementById("counts");
    clear(counts);
    ORDER.forEach(function (k) {
      var div = document.createElement("div");
      div.className = "count";
      div.dataset.key = k;
      var dt = document.createElement("dt"); dt.textContent = k;
      var dd = document.createElement("dd"); dd.textContent = s.counts[k];
      div.appendChild(dt); div.appendChild(dd); counts.appendChild(div);
    });
    document.getElementById("basis").textContent = s.basis;
    var missing = document.getElementById("missing");
    clear(missing);
    s.missing.forEach(function (p) {
      var tr = document.createElement("tr");
      cell(tr, p.name); cell(tr, p.unit + p.title);
      var td = cell(tr, "");
      if (p.phone) { var a = document.createElement("a"); a.href = "tel:" + p.phone.replace(/[^0-9+]/g, ""); a.textContent = p.phone; td.appendChild(a); }
      missing.appendChild(tr);
    });
    document.getElementById("missing-count").textContent = "（" + s.missing.length + " 人）";
    var late = document.getElementById("late");
    clear(late);
    s.late.forEach(function (p) { var tr = document.createElement("tr"); cell(tr, p.name); cell(tr, p.unit); cell(tr, p.minutes + " 分钟"); late.appendChild(tr); });
    document.getElementById("late-count").textContent = "（" + s.late.length + " 人）";
    document.getElementById("late-section").hidden = !s.started && !s.late.length;
    var units = document.getElementById("units");
    clear(units);
    s.units.forEach(function (u) { var tr = document.createElement("tr"); cell(tr, u.unit); u.counts.forEach(function (n) { cell(tr, n, "n"); }); units.appendChild(tr); });
    printed(s);
    counts.dataset.change = s.change;
  }
  function printed(s) {
    /* The one page for the chair: the counts above, then who is missing and who came late, by name. */
    var box = document.getElementById("print-lists");
    clear(box);
    [["未到（" + s.missing.length + "人）：", s.missing.map(function (p) { return p.name; })],
     ["迟到（" + s.late.length + "人）：", s.late.map(function (p) { return p.name + p.minutes + "分钟"; })],
     ["替会（" + s.stand_ins.length + "人）：", s.stand_ins.map(function (p) { return p.name + "（代" + p["for"] + "）"; })]]
      .forEach(function (pair) {
        if (!pair[1].length) { return; }
        var p = document.createElement("p");
        p.textContent = pair[0] + pair[1].join("、");
        box.appendChild(p);
      });
    var foot = document.createElement("p");
    foot.textContent = "统计时间：" + s.now + "。" + s.basis;
    box.appendChild(foot);
  }
  var link = document.getElementById("link");
  var source = new EventSource("/api/events");
  source.onmessage = function (e) { render(JSON.parse(e.data)); link.textContent = "实时更新中"; link.className = "link-state on"; };
  source.onerror = function () { link.textContent = "与签到台的连接中断，正在重连…"; link.className = "link-state off"; };
  document.getElementById("print").addEventListener("click", function () { window.print(); });
})();
