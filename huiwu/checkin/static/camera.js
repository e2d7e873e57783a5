// The check-in desk's camera: reads the QR code on each badge, entirely offline.
//
//   <script src="/static/vendor/zxing-wasm/zxing-reader.iife.js"></script>
//   <script src="/static/camera.js"></script>
//
//   huiwuCamera.start(videoElement, text => ...)  // a Promise; rejects with an Error whose message is Chinese
//   huiwuCamera.stop()
//
// onText(text) is called for every payload read, but not for the same payload again within 3 s.
(function () {
  "use strict";

  const READ_EVERY_MS = 250;
  const REPEAT_AFTER_MS = 3000;
  // Badges carry UTF-8 text in byte mode without an ECI marker: name the character set rather than let the
  // decoder guess it (a guess can read Chinese names as Shift_JIS or Latin-1).
  const READER_OPTIONS = { formats: ["QRCode"], maxNumberOfSymbols: 1, tryHarder: true, characterSet: "UTF8" };
  // The library fetches its .wasm from a public CDN unless told otherwise: take ours, beside its script.
  const WASM_URL = new URL("vendor/zxing-wasm/zxing_reader.wasm", document.currentScript.src).href;
  const MODULE_OVERRIDES = { locateFile: (path, prefix) => (path.endsWith(".wasm") ? WASM_URL : prefix + path) };
  const CAMERA_ERRORS = {
    NotAllowedError: "未获准使用摄像头，请在浏览器中允许本页使用摄像头",
    SecurityError: "未获准使用摄像头，请在浏览器中允许本页使用摄像头",
    NotFoundError: "没有找到摄像头",
    OverconstrainedError: "没有找到合适的摄像头",
    NotReadableError: "摄像头正被其他程序占用，或无法读取",
    AbortError: "摄像头未能启动",
  };

  const canvas = document.createElement("canvas");
  const context = canvas.getContext("2d", { willReadFrequently: true });
  let session = null;

  function reason(error) {
    return (error && error.message) || String(error);
  }

  function loadDecoder() {
    if (!window.ZXingWASM) {
      return Promise.reject(new Error("无法加载二维码识别组件：页面未引入 zxing-reader.iife.js"));
    }
    // The same overrides object each time, so the module is instantiated once and then reused.
    return ZXingWASM.prepareZXingModule({ overrides: MODULE_OVERRIDES, fireImmediately: true })
      .catch(error => { throw new Error("无法加载二维码识别组件：" + reason(error)); });
  }

  async function openCamera() {
    if (!navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) {
      throw new Error("无法打开摄像头：浏览器不支持，或本页不是从 localhost 或 https 地址打开的");
    }
    try {
      // "ideal": the rear (environment-facing) camera where there is one, else any camera.
      const video = { facingMode: { ideal: "environment" }, width: { ideal: 1280 }, height: { ideal: 720 } };
      return await navigator.mediaDevices.getUserMedia({ video, audio: false });
    } catch (error) {
      throw new Error("无法打开摄像头：" + (CAMERA_ERRORS[error && error.name] || reason(error)));
    }
  }

  function report(s, text) {
    const now = performance.now();
    for (const [seen, at] of s.seen) if (now - at >= REPEAT_AFTER_MS) s.seen.delete(seen);
    if (s.seen.has(text)) return;
    s.seen.set(text, now);
    s.onText(text);
  }

  function scan(s) {
    if (session !== s) return;
    const video = s.video;
    const next = () => { if (session === s) s.timer = setTimeout(scan, READ_EVERY_MS, s); };
    if (video.readyState < video.HAVE_CURRENT_DATA || !video.videoWidth) return next();
    if (canvas.width !== video.videoWidth) canvas.width = video.videoWidth;
    if (canvas.height !== video.videoHeight) canvas.height = video.videoHeight;
    context.drawImage(video, 0, 0);
    const frame = context.getImageData(0, 0, canvas.width, canvas.height);
    ZXingWASM.readBarcodes(frame, READER_OPTIONS)
      .then(results => results.forEach(r => { if (session === s && r.isValid && r.text) report(s, r.text); }))
      .catch(error => console.error(error))
      .finally(next);
  }

  async function start(video, onText) {
    stop();
    const s = { video, onText, seen: new Map(), stream: null, timer: 0 };
    session = s;
    try {
      await loadDecoder();
      if (session !== s) return; // stopped meanwhile
      s.stream = await openCamera();
      if (session !== s) return release(s); // stopped meanwhile
      video.muted = true;
      video.playsInline = true;
      video.srcObject = s.stream;
      await video.play().catch(error => { throw new Error("无法打开摄像头：" + reason(error)); });
    } catch (error) {
      if (session === s) stop();
      throw error;
    }
    scan(s);
  }

  function release(s) {
    clearTimeout(s.timer);
    if (s.stream) s.stream.getTracks().forEach(track => track.stop());
    if (s.stream && s.video.srcObject === s.stream) s.video.srcObject = null;
  }

  function stop() {
    if (session) release(session);
    session = null;
  }

  window.huiwuCamera = { start, stop };
})();
