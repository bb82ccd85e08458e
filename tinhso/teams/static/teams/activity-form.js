// Tỉnh Số — the field-activity form on a cheap phone over a weak network.
// The draft (fields in localStorage, photos in IndexedDB) survives a dropped connection or a
// closed page; photos are made smaller before sending; every sending of one draft carries the
// same Idempotency-Key, so the server records it once however often it is resent.
// Without this file the form still works as a plain HTML form.
(function () {
  "use strict";
  var form = document.querySelector("form[data-draft]");
  if (!form || !window.XMLHttpRequest || !window.FormData || !window.localStorage) { return; }
  var draftKey = "tinhso:draft:" + form.dataset.draft;
  var keyField = form.elements.idempotency_key;
  var fileInput = form.elements.evidence;
  var status = form.querySelector("[data-status]");
  var photoList = form.querySelector("[data-photos]");
  var button = form.querySelector("button[type=submit]");
  var pending = [];
  var retryDelay = 15000;
  var retryTimer = null;
  var waiting = false;

  function say(text, kind) {
    status.textContent = text;
    status.className = "status " + (kind || "");
  }

  function uuid4() {
    var bytes = new Uint8Array(16);
    window.crypto.getRandomValues(bytes);
    bytes[6] = (bytes[6] & 15) | 64;
    bytes[8] = (bytes[8] & 63) | 128;
    var hex = Array.prototype.map.call(bytes, function (b) { return (b + 256).toString(16).slice(1); }).join("");
    return [hex.slice(0, 8), hex.slice(8, 12), hex.slice(12, 16), hex.slice(16, 20), hex.slice(20)].join("-");
  }

  // --- Photos kept in IndexedDB (a Blob does not fit in localStorage) -------------------------
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
  function keepPhotos() { return store("readwrite", function (files) { return files.put(pending, draftKey); }); }
  function forgetPhotos() { return store("readwrite", function (files) { return files.delete(draftKey); }); }

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
    photoList.innerHTML = "";
    pending.forEach(function (item, index) {
      var row = document.createElement("li");
      row.textContent = item.name + " (" + Math.max(1, Math.round(item.blob.size / 1024)) + " KB) ";
      var remove = document.createElement("button");
      remove.type = "button";
      remove.className = "link";
      remove.textContent = form.dataset.remove;
      remove.addEventListener("click", function () { pending.splice(index, 1); showPhotos(); keepPhotos(); });
      row.appendChild(remove);
      photoList.appendChild(row);
    });
  }

  if (fileInput) {
    fileInput.addEventListener("change", function () {
      var chosen = Array.prototype.slice.call(fileInput.files);
      fileInput.value = "";
      say(form.dataset.preparing);
      Promise.all(chosen.map(shrink)).then(function (ready) {
        ready.forEach(function (item) { pending.push(item.blob ? item : { name: item.name, type: item.type, blob: item }); });
        showPhotos();
        keepPhotos();
        say("");
      });
    });
  }

  // --- Fields kept in localStorage ---------------------------------------------------------
  function fields() {
    var values = {};
    Array.prototype.forEach.call(form.elements, function (element) {
      if (element.name && element.type !== "file" && element.name !== "csrfmiddlewaretoken") { values[element.name] = element.value; }
    });
    return values;
  }
  function saveDraft() { localStorage.setItem(draftKey, JSON.stringify({ fields: fields(), savedAt: Date.now() })); }
  function forgetDraft() { localStorage.removeItem(draftKey); forgetPhotos(); }

  function restore() {
    var saved = JSON.parse(localStorage.getItem(draftKey) || "null");
    if (!saved) { keyField.value = keyField.value || uuid4(); return; }
    Object.keys(saved.fields).forEach(function (name) {
      if (form.elements[name] && saved.fields[name] !== undefined) { form.elements[name].value = saved.fields[name]; }
    });
    say(form.dataset.restored, "note");
    store("readonly", function (files) { return files.get(draftKey); }).then(function (photos) {
      if (photos && photos.length) { pending = photos; showPhotos(); }
    });
  }

  form.addEventListener("input", saveDraft);
  form.addEventListener("change", saveDraft);

  // --- Sending ------------------------------------------------------------------------------
  var summary = document.querySelector("[data-summary]");
  function clearErrors() {
    Array.prototype.forEach.call(form.querySelectorAll(".errorlist.sent"), function (list) { list.remove(); });
    if (summary) { summary.hidden = true; summary.querySelector("[data-summary-list]").textContent = ""; }
  }
  function labelOf(element, name) {
    var label = element && element.id ? form.querySelector('label[for="' + element.id + '"]') : null;
    return label ? label.textContent.replace(/:\s*$/, "") : (name === "detail" || name === "non_field_errors" ? "" : name);
  }
  // Every error at once, above the form: the person sees that nothing was sent and what to correct.
  function summarise(errors) {
    if (!summary) { return; }
    var list = summary.querySelector("[data-summary-list]");
    Object.keys(errors).forEach(function (name) {
      var element = form.elements[name === "village_code" ? "village" : name];
      [].concat(errors[name]).forEach(function (message) {
        var item = document.createElement("li");
        var label = labelOf(element, name);
        item.textContent = (label ? label + ": " : "") + (typeof message === "string" ? message : JSON.stringify(message));
        list.appendChild(item);
      });
    });
    summary.hidden = false;
    summary.scrollIntoView({ block: "start" });
  }
  function showErrors(errors) {
    var first = null;
    Object.keys(errors).forEach(function (name) {
      var element = form.elements[name === "village_code" ? "village" : name];
      var list = document.createElement("ul");
      list.className = "errorlist sent";
      [].concat(errors[name]).forEach(function (message) {
        var item = document.createElement("li");
        item.textContent = typeof message === "string" ? message : JSON.stringify(message);
        list.appendChild(item);
      });
      var anchor = element && element.closest ? element.closest(".field") : null;
      (anchor || status).insertAdjacentElement(anchor ? "beforeend" : "beforebegin", list);
      first = first || element;
    });
    if (first && first.focus) { first.focus(); }
  }

  function payload() {
    var data = new FormData();
    var values = fields();
    Object.keys(values).forEach(function (name) {
      if (name !== "idempotency_key") { data.append(name === "village" ? "village_code" : name, values[name]); }
    });
    data.append("team", form.dataset.team);
    pending.forEach(function (item) { data.append("evidence", item.blob, item.name); });
    return data;
  }

  function later() {
    say(form.dataset.offline, "warn");
    button.disabled = false;
    waiting = true;
    clearTimeout(retryTimer);
    retryTimer = setTimeout(send, retryDelay);
    retryDelay = Math.min(retryDelay * 2, 300000);
  }

  function answered(request) {
    var body = {};
    try { body = JSON.parse(request.responseText || "{}"); } catch (error) { body = {}; }
    if (request.status === 200 || request.status === 201) {
      forgetDraft();
      say(form.dataset.sent, "ok");
      window.location.assign(body.url + "?saved=1");
    } else if (request.status === 409) {
      say(form.dataset.conflict, "warn");
      keyField.value = uuid4();
      saveDraft();
      button.disabled = false;
    } else if (request.status === 400 || request.status === 403) {
      say(body.detail || form.dataset.invalid, "error");
      showErrors(request.status === 400 ? body : {});
      summarise(request.status === 400 ? body : { detail: body.detail || form.dataset.invalid });
      button.disabled = false;
    } else {
      later();
    }
  }

  function send() {
    clearTimeout(retryTimer);
    waiting = false;
    clearErrors();
    saveDraft();
    button.disabled = true;
    say(form.dataset.sending);
    var request = new XMLHttpRequest();
    request.open("POST", form.dataset.api);
    request.timeout = 120000;
    request.setRequestHeader("Idempotency-Key", keyField.value);
    request.setRequestHeader("X-CSRFToken", form.elements.csrfmiddlewaretoken.value);
    request.setRequestHeader("Accept", "application/json");
    request.upload.onprogress = function (event) {
      if (event.lengthComputable) { say(form.dataset.sending + " " + Math.round((event.loaded * 100) / event.total) + "%"); }
    };
    request.onload = function () { answered(request); };
    request.onerror = later;
    request.ontimeout = later;
    request.send(payload());
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    retryDelay = 15000;
    send();
  });
  window.addEventListener("online", function () { if (waiting) { send(); } });
  restore();
})();
