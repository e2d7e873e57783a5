/* The desk: each scan or name (typed, from a USB scanner that types and presses Enter, or from the camera)
   goes to the desk, and its answer is shown at once. Everything shown is set as text, never as markup. */
(function () {
  "use strict";
  var input = document.getElementById("scan");
  var form = document.getElementById("scan-form");
  var mode = document.getElementById("mode");
  var staff = document.getElementById("staff");
  var box = document.getElementById("answer");
  var walkin = document.getElementById("walkin");
  var recent = document.getElementById("recent");
  var station = localStorage.getItem("huiwu-station") || ("台" + Math.random().toString(36).slice(2, 6));
  localStorage.setItem("huiwu-station", station);
  staff.value = localStorage.getItem("huiwu-staff") || "";
  mode.value = localStorage.getItem("huiwu-mode") || "both";
  staff.addEventListener("change", function () { localStorage.setItem("huiwu-staff", staff.value.trim()); });
  mode.addEventListener("change", function () { localStorage.setItem("huiwu-mode", mode.value); input.focus(); });

  function post(url, body) {
    return fetch(url, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) })
      .then(function (r) {
        if (!r.ok) { throw new Error("签到台回复 " + r.status); }
        return r.json();
      });
  }

  function clear(el) { while (el.firstChild) { el.removeChild(el.firstChild); } }

  function show(a) {
    box.className = "answer " + a.status;
    box.dataset.status = a.status;
    document.getElementById("answer-headline").textContent = a.headline;
    var lines = document.getElementById("answer-lines");
    clear(lines);
    a.lines.forEach(function (t) { var li = document.createElement("li"); li.textContent = t; lines.appendChild(li); });
    var offers = document.getElementById("answer-offers");
    clear(offers);
    a.offers.forEach(function (o) {
      var b = document.createElement("button");
      b.type = "button";
      b.textContent = o.label;
      b.addEventListener("click", function () { send(o.say); });
      offers.appendChild(b);
    });
    if (a.walkin) {
      var w = document.createElement("button");
      w.type = "button";
      w.textContent = "名单外签到";
      w.addEventListener("click", function () { openWalkin(a.walkin); });
      offers.appendChild(w);
    }
    var item = document.createElement("li");
    item.className = a.status;
    item.textContent = (a.at || "") + "　" + a.headline + (a.lines.length ? "　" + a.lines[0] : "");
    recent.insertBefore(item, recent.firstChild);
    while (recent.children.length > 12) { recent.removeChild(recent.lastChild); }
  }

  function failed(err) {
    show({ status: "wrong", headline: "没有记录：" + err.message, lines: ["请检查签到台是否还在运行，然后重新扫描"], offers: [], walkin: "" });
  }

  function send(text) {
    walkin.hidden = true;
    return post("/api/scan", { text: text, mode: mode.value, staff: staff.value.trim(), station: station })
      .then(show, failed).then(function () { input.focus(); });
  }
  window.huiwuDeskSend = send;

  form.addEventListener("submit", function (e) {
    e.preventDefault();
    var text = input.value;
    input.value = "";
    if (text.trim()) { send(text); }
  });

  function openWalkin(name) {
    walkin.hidden = false;
    walkin.reset();
    walkin.elements.name.value = name;
    walkin.elements.unit.focus();
  }
  walkin.addEventListener("submit", function (e) {
    e.preventDefault();
    var f = walkin.elements;
    post("/api/walkin", { name: f.name.value, unit: f.unit.value, title: f.title.value, note: f.note.value })
      .then(function (a) { walkin.hidden = a.status !== "wrong" ? true : false; show(a); }, failed)
      .then(function () { input.focus(); });
  });
  document.getElementById("walkin-cancel").addEventListener("click", function () { walkin.hidden = true; input.focus(); });

  var video = document.getElementById("camera");
  var cameraStatus = document.getElementById("camera-status");
  var toggle = document.getElementById("camera-toggle");
  toggle.addEventListener("click", function () {
    if (!video.hidden) {
      window.huiwuCamera.stop();
      video.hidden = true;
      toggle.textContent = "摄像头扫码";
      cameraStatus.textContent = "";
      return;
    }
    video.hidden = false;
    toggle.textContent = "关闭摄像头";
    cameraStatus.textContent = "正在打开摄像头…";
    window.huiwuCamera.start(video, function (text) { send(text); }).then(
      function () { cameraStatus.textContent = "请把证件二维码对准摄像头"; },
      function (err) { video.hidden = true; toggle.textContent = "摄像头扫码"; cameraStatus.textContent = err.message; });
  });
  input.focus();
})();
