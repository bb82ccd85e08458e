// Tỉnh Số — a farmer records care and harvests on a phone in a garden without a network.
// Every record goes first into an outbox in localStorage, then is sent (JSON) whenever there is a
// network: now, when the phone says it is online again, every minute, or on "Send now". Each record
// carries its own id (urn:uuid), so a record sent twice (the answer was lost) is recorded once.
// Without this file the form is a plain HTML form and still works online.
(function () {
  "use strict";
  var form = document.querySelector("form[data-outbox]");
  if (!form || !window.fetch || !window.localStorage || !window.crypto || !window.JSON) { return; }
  var key = "tinhso:outbox:" + form.dataset.outbox;
  var status = form.querySelector("[data-status]");
  var panel = document.querySelector("[data-outbox-list]");
  var list = panel.querySelector("ul");
  var sending = false;

  function uuid4() {
    var bytes = new Uint8Array(16);
    window.crypto.getRandomValues(bytes);
    bytes[6] = (bytes[6] & 15) | 64;
    bytes[8] = (bytes[8] & 63) | 128;
    var hex = Array.prototype.map.call(bytes, function (b) { return (b + 256).toString(16).slice(1); }).join("");
    return "urn:uuid:" + [hex.slice(0, 8), hex.slice(8, 12), hex.slice(12, 16), hex.slice(16, 20), hex.slice(20)].join("-");
  }
  function outbox() {
    try { return JSON.parse(localStorage.getItem(key) || "[]"); } catch (error) { return []; }
  }
  function keep(records) { localStorage.setItem(key, JSON.stringify(records)); show(records); }
  function say(text, kind) { status.textContent = text; status.className = "status " + (kind || ""); }

  function label(record) {
    var tree = form.elements.tree.querySelector('option[value="' + record.fields.tree + '"]');
    var kind = form.elements.kind.querySelector('option[value="' + record.fields.kind + '"]');
    var text = (tree ? tree.textContent : record.fields.tree) + " — " + (kind ? kind.textContent : record.fields.kind) +
      " — " + record.fields.event_time.replace("T", " ");
    if (record.fields.quantity_kg) { text += " — " + record.fields.quantity_kg + " kg"; }
    return text;
  }

  function show(records) {
    list.innerHTML = "";
    panel.hidden = records.length === 0;
    records.forEach(function (record) {
      var item = document.createElement("li");
      item.dataset.eventId = record.fields.event_id;
      item.appendChild(document.createTextNode(label(record)));
      if (record.problem) {
        var problem = document.createElement("p");
        problem.className = "error";
        problem.textContent = record.problem;
        item.appendChild(problem);
        var forget = document.createElement("button");
        forget.type = "button";
        forget.className = "link";
        forget.textContent = form.dataset.forget;
        forget.addEventListener("click", function () {
          keep(outbox().filter(function (other) { return other.fields.event_id !== record.fields.event_id; }));
        });
        item.appendChild(forget);
      }
      list.appendChild(item);
    });
  }

  function fields() {
    var values = {};
    Array.prototype.forEach.call(form.elements, function (element) {
      if (element.name && element.name !== "csrfmiddlewaretoken") { values[element.name] = element.value; }
    });
    return values;
  }

  function problemText(body) {
    return Object.keys(body).map(function (name) {
      var messages = [].concat(body[name]).map(function (m) { return typeof m === "string" ? m : m.message; });
      return messages.join(" ");
    }).join(" ");
  }

  function sendOne(record) {
    var data = new URLSearchParams();
    Object.keys(record.fields).forEach(function (name) { data.append(name, record.fields[name]); });
    return fetch(window.location.pathname, {
      method: "POST",
      body: data,
      credentials: "same-origin",
      headers: { "Accept": "application/json", "X-CSRFToken": form.elements.csrfmiddlewaretoken.value },
    }).then(function (response) {
      var json = (response.headers.get("Content-Type") || "").indexOf("application/json") === 0;
      if (!json || response.status === 401 || response.status === 403) { return "login"; }
      if (response.status === 200 || response.status === 201) { return "sent"; }
      if (response.status >= 500) { return "later"; }
      return response.json().then(function (body) {
        record.problem = form.dataset.refused + " " + (response.status === 409 ? form.dataset.conflict : problemText(body));
        return "refused";
      });
    }, function () { return "later"; });
  }

  function flush() {
    if (sending) { return; }
    var records = outbox().filter(function (record) { return !record.problem; });
    if (!records.length) { return; }
    sending = true;
    say(form.dataset.sending);
    var stop = null;
    var chain = Promise.resolve();
    records.forEach(function (record) {
      chain = chain.then(function () {
        if (stop) { return; }
        return sendOne(record).then(function (outcome) {
          var now = outbox();
          if (outcome === "sent") {
            now = now.filter(function (other) { return other.fields.event_id !== record.fields.event_id; });
          } else if (outcome === "refused") {
            now.forEach(function (other) { if (other.fields.event_id === record.fields.event_id) { other.problem = record.problem; } });
          } else {
            stop = outcome;
          }
          keep(now);
        });
      });
    });
    chain.then(function () {
      sending = false;
      var left = outbox();
      if (stop === "login") { say(form.dataset.login, "error"); }
      else if (stop === "later") { say(form.dataset.offline, "warn"); }
      else if (left.some(function (record) { return record.problem; })) { say(form.dataset.refused, "error"); }
      else { say(form.dataset.sent, "ok"); }
    });
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    if (form.checkValidity && !form.checkValidity()) { form.reportValidity(); return; }
    var records = outbox();
    records.push({ fields: fields(), savedAt: Date.now() });
    keep(records);
    say(form.dataset.saved);
    form.elements.event_id.value = uuid4();  // the next record is another record
    ["quantity_kg", "inputs", "note"].forEach(function (name) { form.elements[name].value = ""; });
    flush();
  });
  panel.querySelector("[data-send-now]").addEventListener("click", flush);
  window.addEventListener("online", flush);
  setInterval(function () { if (navigator.onLine !== false) { flush(); } }, 60000);
  form.elements.event_id.value = uuid4();
  show(outbox());
  flush();

  // With a service worker the page also opens with no network at all (it keeps this page and its files).
  if (form.dataset.serviceWorker && navigator.serviceWorker && window.isSecureContext) {
    navigator.serviceWorker.register(form.dataset.serviceWorker, { scope: window.location.pathname })
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
      .catch(function () { /* the form still works online, and the outbox still keeps records */ });
  }
})();
