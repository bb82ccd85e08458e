// The attempt page: autosave each answer through the API, one question per screen, a countdown that submits
// at zero. The server keeps the deadline; this only shows it. Without script the form still saves and submits.
document.addEventListener("DOMContentLoaded", function () {
  var form = document.querySelector("form.paper");
  if (!form) { return; }
  var csrf = form.querySelector("input[name=csrfmiddlewaretoken]").value;
  var status = form.querySelector("[data-save-status]");
  var questions = Array.prototype.slice.call(form.querySelectorAll(".question"));

  function answerOf(fieldset) {
    var id = fieldset.dataset.question, kind = fieldset.dataset.kind, name = "q-" + id;
    if (kind === "multiple") {
      return Array.prototype.map.call(fieldset.querySelectorAll("input:checked"), function (box) { return parseInt(box.value, 10); });
    }
    if (kind === "matching") {
      return Array.prototype.map.call(fieldset.querySelectorAll("select"), function (select) { return select.value || null; });
    }
    var field = fieldset.querySelector("[name='" + name + "']:checked") || fieldset.querySelector("input[type=text][name='" + name + "']");
    if (!field || field.value === "") { return null; }
    if (kind === "single") { return parseInt(field.value, 10); }
    if (kind === "truefalse") { return field.value === "true"; }
    return field.value;
  }

  function save(fieldset) {
    var answers = {};
    answers[fieldset.dataset.question] = answerOf(fieldset);
    status.textContent = status.dataset.saving || "…";
    return fetch(form.dataset.saveUrl, {
      method: "PUT", credentials: "same-origin",
      headers: {"Content-Type": "application/json", "X-CSRFToken": csrf},
      body: JSON.stringify({answers: answers})
    }).then(function (response) {
      return response.json().then(function (body) {
        if (response.ok) { status.textContent = "✓ " + new Date().toLocaleTimeString("vi-VN"); return; }
        var message = body.detail || (body.non_field_errors || Object.values(body)[0] || [""])[0] || "";
        status.textContent = message;
        if (/hết giờ|Time is up|đã đóng|closed/.test(message)) { window.location.reload(); }
      });
    }).catch(function () { status.textContent = "⚠"; });
  }

  form.addEventListener("change", function (event) {
    var fieldset = event.target.closest(".question");
    if (fieldset) { save(fieldset); }
  });

  // One question per screen on a narrow display.
  var pager = form.querySelector(".pager"), current = 0;
  function show(index) {
    current = Math.max(0, Math.min(questions.length - 1, index));
    questions.forEach(function (q, i) { if (i === current) { q.removeAttribute("data-hidden"); } else { q.setAttribute("data-hidden", ""); } });
    pager.querySelector("[data-position]").textContent = (current + 1) + "/" + questions.length;
  }
  if (window.matchMedia("(max-width: 700px)").matches && questions.length > 1) {
    form.classList.add("one-by-one");
    pager.hidden = false;
    pager.querySelector("[data-previous]").addEventListener("click", function () { show(current - 1); });
    pager.querySelector("[data-next]").addEventListener("click", function () { show(current + 1); });
    show(0);
  }

  form.querySelector("[data-finish]").addEventListener("click", function (event) {
    if (!window.confirm(this.dataset.confirm)) { event.preventDefault(); }
  });

  // The countdown; at zero the form is submitted (the server closes the attempt at the deadline anyway).
  var timer = document.querySelector("[data-seconds-left]");
  if (timer) {
    var ends = Date.now() + parseInt(timer.dataset.secondsLeft, 10) * 1000;
    var clock = timer.querySelector("[data-clock]");
    var tick = function () {
      var left = Math.max(0, Math.round((ends - Date.now()) / 1000));
      clock.textContent = Math.floor(left / 60) + ":" + ("0" + (left % 60)).slice(-2);
      timer.classList.toggle("low", left < 60);
      if (left === 0) {
        var finish = document.createElement("input");
        finish.type = "hidden"; finish.name = "finish"; finish.value = "1";
        form.appendChild(finish); form.submit();
        return;
      }
      window.setTimeout(tick, 1000);
    };
    tick();
  }
});
