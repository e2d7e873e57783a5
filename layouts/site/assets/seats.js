/* Seat finder: type a name or its pinyin initials (zs for 张三); the seat lights up on the map and its
   place is shown as 第X排第Y座. The people come from the page's own table (data attributes), so the page
   also works without JavaScript: then the table is the list. */
(function () {
  "use strict";
  var form = document.getElementById("seat-form");
  var input = document.getElementById("seat-q");
  var matches = document.getElementById("seat-matches");
  var status = document.getElementById("seat-status");
  var table = document.getElementById("seat-list");
  if (!form || !input || !table) { return; }
  var people = Array.prototype.map.call(table.querySelectorAll("tbody tr"), function (tr) {
    return { name: tr.getAttribute("data-name"), keys: (tr.getAttribute("data-keys") || "").split(" "),
             seat: tr.getAttribute("data-seat"), where: tr.getAttribute("data-where") };
  });
  form.hidden = false;
  var all = document.getElementById("seat-all");
  if (all) { all.open = false; }

  function clear() {
    Array.prototype.forEach.call(document.querySelectorAll("#seat-map .hit"), function (g) { g.classList.remove("hit"); });
  }

  function select(p) {
    clear();
    var seat = document.getElementById(p.seat);
    if (seat) {
      seat.classList.add("hit");
      if (seat.scrollIntoView) { seat.scrollIntoView({ block: "center", inline: "center" }); }
    }
    status.textContent = "";
    var strong = document.createElement("span");
    strong.className = "found";
    strong.textContent = p.name + "：" + p.where;
    status.appendChild(strong);
  }

  function search() {
    var q = input.value.normalize("NFKC").toLowerCase().replace(/\s+/g, "");
    while (matches.firstChild) { matches.removeChild(matches.firstChild); }
    clear();
    status.textContent = "";
    if (!q) { return []; }
    var found = people.filter(function (p) {
      return p.name.indexOf(q) >= 0 || p.keys.some(function (k) { return k.indexOf(q) === 0; });
    });
    if (!found.length) { status.textContent = "没有找到“" + input.value.trim() + "”，请核对姓名，或在下方全部名单中查找。"; }
    found.slice(0, 30).forEach(function (p) {
      var li = document.createElement("li");
      var b = document.createElement("button");
      b.type = "button";
      b.textContent = p.name + "（" + p.where + "）";
      b.addEventListener("click", function () { select(p); });
      li.appendChild(b);
      matches.appendChild(li);
    });
    if (found.length === 1) { select(found[0]); }
    return found;
  }

  input.addEventListener("input", search);
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var found = search();
    if (found.length) { select(found[0]); }
  });
})();
