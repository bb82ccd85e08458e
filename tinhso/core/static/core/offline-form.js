// Tỉnh Số — the one script for a form used on a cheap phone over a weak network, or none.
// data-keep="draft": the form is one submission. Its fields stay in localStorage as they are typed (chosen
//   photos in IndexedDB, made smaller first), come back when the page is opened again, and are sent again by
//   themselves when the network returns.
// data-keep="outbox": each "Save" puts a record into an outbox in localStorage and clears the form for the next;
//   the outbox is sent record by record whenever there is a network.
// Every submission carries its own id, so one sent twice (the answer was lost) is recorded once. The
// attributes a form sets are listed in docs/development.md. Without this file the form is a plain HTML form.
(function () {
  "use strict";
  var form = document.querySelector("form[data-offline-form]");
  if (!form || !window.XMLHttpRequest || !window.FormData || !window.localStorage || !window.crypto) { return; }
  var options = form.dataset;
  var outboxMode = options.keep === "outbox";
  var storageKey = "tinhso:" + (outboxMode ? "outbox:" : "draft:") + options.offlineForm;
  var keyField = form.elements[options.key];
  var status = form.querySelector("[data-status]");
  var button = form.querySelector("button[type=submit]");
  var renamed = pairs(options.rename);
  var pending = []; // draft mode: the photos chosen, as {name, type, blob}
  var retryDelay = 15000;
  var retryTimer = null;
  var waiting = false;
  var sending = false;

  function words(text) { return (text || "").split(/\s+/).filter(Boolean); }
  function pairs(text) { // "village:village_code" -> {village: "village_code", village_code: "village"}
    var map = { to: {}, from: {} };
    words(text).forEach(function (pair) {
      var parts = pair.split(":");
      map.to[parts[0]] = parts[1];
      map.from[parts[1]] = parts[0];
    });
    return map;
  }
  function say(situation, extra, kind) {
    if (!status) { return; }
    var text = situation ? options["text" + situation.charAt(0).toUpperCase() + situation.slice(1)] || "" : "";
    status.textContent = extra ? (text ? text + " " : "") + extra : text;
    status.className = "status " + (kind || "");
  }
  function newKey() {
    var bytes = new Uint8Array(16);
    window.crypto.getRandomValues(bytes);
    bytes[6] = (bytes[6] & 15) | 64;
    bytes[8] = (bytes[8] & 63) | 128;
    var hex = Array.prototype.map.call(bytes, function (b) { return (b + 256).toString(16).slice(1); }).join("");
    var uuid = [hex.slice(0, 8), hex.slice(8, 12), hex.slice(12, 16), hex.slice(16, 20), hex.slice(20)].join("-");
    return (options.keyPrefix || "") + uuid;
  }
  function read(fallback) {
    try { return JSON.parse(localStorage.getItem(storageKey) || "null") || fallback; } catch (error) { return fallback; }
  }

  // --- Fields ---------------------------------------------------------------------------------------
  var draftFields = words(options.draftFields); // empty: every field but files and the CSRF token
  function values(onlyDraft) {
    var kept = {};
    Array.prototype.forEach.call(form.elements, function (element) {
      var name = element.name;
      if (!name || name === "csrfmiddlewaretoken" || /^(file|submit|button|reset)$/.test(element.type)) { return; }
      if (onlyDraft && draftFields.length && draftFields.indexOf(name) < 0) { return; }
      if (element.type === "checkbox") { kept[name] = element.checked; }
      else if (element.type !== "radio" || element.checked) { kept[name] = element.value; }
    });
    return kept;
  }
  function fill(kept) {
    Object.keys(kept).forEach(function (name) {
      var element = form.elements[name];
      if (!element || kept[name] === undefined) { return; }
      if (element.type === "checkbox") { element.checked = kept[name] === true; } else { element.value = kept[name]; }
    });
  }
  function body(fields, files) {
    var data = new FormData();
    Object.keys(fields).forEach(function (name) {
      var value = fields[name];
      if (options.keyHeader && name === options.key) { return; }
      if (value === false) { return; } // an unticked box is not sent, as in a plain form
      data.append(renamed.to[name] || name, value === true ? "on" : value);
    });
    (files || []).forEach(function (item) { data.append(options.files, item.blob, item.name); });
    return data;
  }
  function withChosenFiles(data) { // draft mode: files in inputs not kept by data-files go as the browser has them
    Array.prototype.forEach.call(form.querySelectorAll("input[type=file][name]"), function (input) {
      if (input.name === options.files) { return; }
      Array.prototype.forEach.call(input.files || [], function (file) { data.append(input.name, file, file.name); });
    });
    return data;
  }

  // --- Sending: one POST, answered in JSON --------------------------------------------------------------
  // "sent"; "later" (no network, or the server is down: try again); "login" (the answer is a login page);
  // "conflict" (this id was recorded with other details); "refused" (the server says what to correct).
  function post(data, key, progress) {
    return new Promise(function (resolve) {
      var request = new XMLHttpRequest();
      request.open("POST", options.sendTo || form.getAttribute("action") || window.location.href);
      request.timeout = 120000;
      request.setRequestHeader("Accept", "application/json");
      request.setRequestHeader("X-CSRFToken", form.elements.csrfmiddlewaretoken.value);
      if (options.keyHeader) { request.setRequestHeader(options.keyHeader, key); }
      if (progress && request.upload) {
        request.upload.onprogress = function (event) { if (event.lengthComputable) { progress(event.loaded / event.total); } };
      }
      request.onload = function () {
        var json = (request.getResponseHeader("Content-Type") || "").indexOf("application/json") === 0;
        var answer = {};
        try { answer = json ? JSON.parse(request.responseText || "{}") : {}; } catch (error) { json = false; }
        resolve({ outcome: outcome(request.status, json), status: request.status, answer: answer });
      };
      request.onerror = request.ontimeout = function () { resolve({ outcome: "later", status: 0, answer: {} }); };
      request.send(data);
    });
  }
  function outcome(code, json) {
    if (code === 0 || code === 429 || code >= 500) { return "later"; }
    if (code === 401 || (!json && (code < 400 || code === 403))) { return "login"; }
    if (code === 200 || code === 201) { return "sent"; }
    return code === 409 ? "conflict" : "refused";
  }
  function problems(answer) {
    return Object.keys(answer).map(function (name) {
      return [].concat(answer[name]).map(function (m) { return typeof m === "string" ? m : m.message || JSON.stringify(m); }).join(" ");
    }).join(" ");
  }
  function tryAgainLater(send) {
    waiting = true;
    clearTimeout(retryTimer);
    retryTimer = setTimeout(send, retryDelay);
    retryDelay = Math.min(retryDelay * 2, 1000 * (Number(options.retryMax) || 300));
  }

  // --- Draft mode: photos in IndexedDB (a Blob does not fit in localStorage) ------------------------------
  function store(mode, work) {
    return new Promise(function (resolve, reject) {
      if (!window.indexedDB) { resolve(null); return; }
      var opening = indexedDB.open("tinhso-drafts", 1);
      opening.onupgradeneeded = function () { opening.result.createObjectStore("files"); };
      opening.onerror = function () { reject(opening.error); };
      opening.onsuccess = function () {
        var transaction = opening.result.transaction("files", mode);
        var request = work(transaction.objectStore("files"));
        transaction.oncomplete = function () { resolve(request ? request.result : null); };
        transaction.onerror = function () { reject(transaction.error); };
      };
    }).catch(function () { return null; });
  }
  function keepPhotos() { return store("readwrite", function (files) { return files.put(pending, storageKey); }); }
  function shrink(file) {
    if (!/^image\/(jpeg|png|webp)$/.test(file.type) || !window.createImageBitmap) { return Promise.resolve(file); }
    return createImageBitmap(file).then(function (bitmap) {
      var scale = Math.min(1, 1600 / Math.max(bitmap.width, bitmap.height));
      var canvas = document.createElement("canvas");
      canvas.width = Math.round(bitmap.width * scale);
      canvas.height = Math.round(bitmap.height * scale);
      canvas.getContext("2d").drawImage(bitmap, 0, 0, canvas.width, canvas.height);
      return new Promise(function (resolve) {
        canvas.toBlob(function (blob) {
          var smaller = blob && blob.size < file.size;
          resolve(smaller ? { name: file.name.replace(/\.\w+$/, "") + ".jpg", type: "image/jpeg", blob: blob } : file);
        }, "image/jpeg", 0.8);
      });
    }).catch(function () { return file; });
  }
  function showPhotos() {
    var list = form.querySelector("[data-photos]");
    if (!list) { return; }
    list.innerHTML = "";
    pending.forEach(function (item, index) {
      var row = document.createElement("li");
      row.textContent = item.name + " (" + Math.max(1, Math.round(item.blob.size / 1024)) + " KB) ";
      var remove = document.createElement("button");
      remove.type = "button";
      remove.className = "link";
      remove.textContent = options.textRemove;
      remove.addEventListener("click", function () { pending.splice(index, 1); showPhotos(); keepPhotos(); });
      row.appendChild(remove);
      list.appendChild(row);
    });
  }
  var fileInput = options.files && !outboxMode ? form.elements[options.files] : null;
  if (fileInput) {
    fileInput.addEventListener("change", function () {
      var chosen = Array.prototype.slice.call(fileInput.files);
      fileInput.value = "";
      say("preparing");
      Promise.all(chosen.map(shrink)).then(function (ready) {
        ready.forEach(function (item) { pending.push(item.blob ? item : { name: item.name, type: item.type, blob: item }); });
        showPhotos();
        keepPhotos();
        say("");
      });
    });
  }

  // --- Draft mode: errors next to their fields and in the summary above the form ----------------------------
  var summary = document.querySelector("[data-summary]");
  function clearErrors() {
    Array.prototype.forEach.call(form.querySelectorAll(".errorlist.sent"), function (list) { list.remove(); });
    if (summary) { summary.hidden = true; summary.querySelector("[data-summary-list]").textContent = ""; }
  }
  function showErrors(errors) {
    var first = null;
    var list = summary ? summary.querySelector("[data-summary-list]") : null;
    Object.keys(errors).forEach(function (name) {
      var element = form.elements[renamed.from[name] || name];
      var label = element && element.id ? form.querySelector('label[for="' + element.id + '"]') : null;
      var title = label ? label.textContent.replace(/:\s*$/, "") : (/^(detail|non_field_errors|__all__)$/.test(name) ? "" : name);
      var near = document.createElement("ul");
      near.className = "errorlist sent";
      [].concat(errors[name]).forEach(function (message) {
        var text = typeof message === "string" ? message : message.message || JSON.stringify(message);
        var item = document.createElement("li");
        item.textContent = text;
        near.appendChild(item);
        if (list) {
          var line = document.createElement("li");
          line.textContent = (title ? title + ": " : "") + text;
          list.appendChild(line);
        }
      });
      var anchor = element && element.closest ? element.closest(".field") : null;
      if (anchor) { anchor.appendChild(near); first = first || element; }
      else if (!list && status) { status.insertAdjacentElement("beforebegin", near); }
    });
    if (summary && list.children.length) { summary.hidden = false; summary.scrollIntoView({ block: "start" }); }
    if (first && first.focus) { first.focus(); }
  }

  // --- Draft mode ---------------------------------------------------------------------------------------
  function saveDraft() { localStorage.setItem(storageKey, JSON.stringify({ fields: values(true), savedAt: Date.now() })); }
  function forgetDraft() {
    localStorage.removeItem(storageKey);
    store("readwrite", function (files) { return files.delete(storageKey); });
  }
  function sendDraft() {
    clearTimeout(retryTimer);
    waiting = false;
    clearErrors();
    saveDraft();
    button.disabled = true;
    say("sending");
    post(withChosenFiles(body(values(false), pending)), keyField ? keyField.value : "", function (share) { say("sending", Math.round(share * 100) + "%"); })
      .then(function (reply) {
        button.disabled = reply.outcome === "sent" && Boolean(reply.answer.url); // the page moves on to it
        if (reply.outcome === "sent") {
          forgetDraft();
          say("sent", "", "ok");
          if (reply.answer.url) { window.location.assign(reply.answer.url + (options.sentSuffix || "")); }
        } else if (reply.outcome === "conflict") {
          say("conflict", "", "warn");
          if (keyField) { keyField.value = newKey(); } // sending again records it as a new submission
          saveDraft();
        } else if (reply.outcome === "refused") {
          var errors = reply.status === 400 ? reply.answer : { detail: reply.answer.detail || options.textInvalid };
          say(reply.answer.detail ? "" : "invalid", reply.answer.detail || "", "error");
          showErrors(errors);
        } else if (reply.outcome === "login") {
          say("login", "", "error");
        } else {
          say("offline", "", "warn");
          tryAgainLater(sendDraft);
        }
      });
  }
  function startDraft() {
    var saved = read(null);
    if (saved && saved.fields) {
      fill(saved.fields);
      say("restored", "", "note");
      if (fileInput) {
        store("readonly", function (files) { return files.get(storageKey); }).then(function (photos) {
          if (photos && photos.length) { pending = photos; showPhotos(); }
        });
      }
    }
    if (keyField && !keyField.value) { keyField.value = newKey(); }
    form.addEventListener("input", saveDraft);
    form.addEventListener("change", saveDraft);
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      retryDelay = 15000;
      sendDraft();
    });
    window.addEventListener("online", function () { if (waiting) { sendDraft(); } });
  }

  // --- Outbox mode ----------------------------------------------------------------------------------------
  var panel = document.querySelector("[data-outbox-list]");
  function outbox() { return read([]); }
  function keep(records) { localStorage.setItem(storageKey, JSON.stringify(records)); show(records); }
  function idOf(record) { return record.fields[options.key]; }
  function shown(name, value) {
    var element = form.elements[name];
    var option = element && element.options ? element.querySelector('option[value="' + String(value).replace(/"/g, "") + '"]') : null;
    return option ? option.textContent : String(value).replace(/^(\d{4}-\d\d-\d\d)T/, "$1 ");
  }
  function label(record) { // "{tree} — {kind}[ — {quantity_kg} kg]": a part in brackets only when its field is filled
    function put(text) {
      var empty = false;
      var done = text.replace(/\{(\w+)\}/g, function (whole, name) {
        var value = record.fields[name];
        empty = empty || value === undefined || value === "";
        return value === undefined ? "" : shown(name, value);
      });
      return { text: done, empty: empty };
    }
    var template = (options.outboxLabel || "").replace(/\[([^\]]*)\]/g, function (whole, part) { return put(part).empty ? "" : part; });
    return put(template).text;
  }
  function show(records) {
    var list = panel.querySelector("ul");
    list.innerHTML = "";
    panel.hidden = records.length === 0;
    records.forEach(function (record) {
      var item = document.createElement("li");
      item.dataset.key = idOf(record);
      item.appendChild(document.createTextNode(label(record)));
      if (record.problem) {
        var problem = document.createElement("p");
        problem.className = "error";
        problem.textContent = record.problem;
        item.appendChild(problem);
        var forget = document.createElement("button");
        forget.type = "button";
        forget.className = "link";
        forget.textContent = options.textForget;
        forget.addEventListener("click", function () {
          keep(outbox().filter(function (other) { return idOf(other) !== idOf(record); }));
        });
        item.appendChild(forget);
      }
      list.appendChild(item);
    });
  }
  function flush() {
    if (sending) { return; }
    clearTimeout(retryTimer);
    waiting = false;
    var records = outbox().filter(function (record) { return !record.problem; });
    if (!records.length) { return; }
    sending = true;
    say("sending");
    var stop = null;
    var chain = Promise.resolve();
    records.forEach(function (record) {
      chain = chain.then(function () {
        if (stop) { return null; }
        return post(body(record.fields), idOf(record)).then(function (reply) {
          var now = outbox();
          if (reply.outcome === "sent") {
            now = now.filter(function (other) { return idOf(other) !== idOf(record); });
          } else if (reply.outcome === "conflict" || reply.outcome === "refused") {
            var why = reply.outcome === "conflict" ? options.textConflict : problems(reply.answer);
            now.forEach(function (other) { if (idOf(other) === idOf(record)) { other.problem = options.textRefused + " " + why; } });
          } else {
            stop = reply.outcome;
          }
          keep(now);
        });
      });
    });
    chain.then(function () {
      sending = false;
      if (stop === "login") { say("login", "", "error"); }
      else if (stop === "later") { say("offline", "", "warn"); tryAgainLater(flush); }
      else if (outbox().some(function (record) { return record.problem; })) { say("refused", "", "error"); }
      else { say("sent", "", "ok"); }
    });
  }
  function startOutbox() {
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      if (form.checkValidity && !form.checkValidity()) { form.reportValidity(); return; }
      var records = outbox();
      records.push({ fields: values(false), savedAt: Date.now() });
      keep(records);
      say("saved");
      keyField.value = newKey(); // the next record is another record
      words(options.clear).forEach(function (name) { if (form.elements[name]) { form.elements[name].value = ""; } });
      retryDelay = 15000;
      flush();
    });
    var now = panel.querySelector("[data-send-now]");
    if (now) { now.addEventListener("click", function () { retryDelay = 15000; flush(); }); }
    window.addEventListener("online", flush);
    keyField.value = newKey();
    show(outbox());
    flush();
  }

  // --- With a service worker (core/offline-worker.js) the page also opens with no network at all ---------
  function registerWorker() {
    if (!options.worker || !navigator.serviceWorker || !window.isSecureContext) { return; }
    navigator.serviceWorker.register(options.worker, { scope: window.location.pathname })
      .then(function () { return navigator.serviceWorker.ready; })
      .then(function (registration) {
        var files = document.querySelectorAll("script[src], link[rel~=stylesheet][href], link[rel~=icon][href], img[src]");
        var urls = [window.location.pathname].concat(Array.prototype.map.call(files, function (file) {
          return file.src || file.href;
        }));
        navigator.serviceWorker.addEventListener("message", function (event) {
          if (event.data && event.data.kept) { document.documentElement.dataset.offlineReady = "1"; }
        });
        if (registration.active) { registration.active.postMessage({ keep: urls }); }
      })
      .catch(function () { /* the form still works online, and what it keeps stays on the phone */ });
  }

  if (outboxMode) { startOutbox(); } else { startDraft(); }
  registerWorker();
})();
