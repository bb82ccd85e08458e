// The bulletin composer: show the parts of the form that fit the chosen content and time, preview the
// speech, record from the microphone (MediaRecorder) and filter the targets. Without JS the form still works.
(function () {
  "use strict";

  function checked(form, name) {
    var input = form.querySelector('input[name="' + name + '"]:checked');
    return input ? input.value : "";
  }

  function showSections(form) {
    var kind = checked(form, "kind") || "text";
    var when = checked(form, "when") || "now";
    form.querySelectorAll("[data-kind]").forEach(function (section) {
      section.hidden = section.getAttribute("data-kind") !== kind;
    });
    form.querySelectorAll("[data-when]").forEach(function (section) {
      section.hidden = section.getAttribute("data-when").split(" ").indexOf(when) < 0;
    });
  }

  function preview(form) {
    var button = form.querySelector("[data-preview]");
    var player = form.querySelector("[data-preview-audio]");
    var status = form.querySelector("[data-preview-status]");
    if (!button) { return; }
    button.addEventListener("click", function () {
      var data = new FormData();
      ["text", "voice", "rate"].forEach(function (name) {
        var field = form.elements[name];
        if (field) { data.append(name, field.value); }
      });
      if (form.elements.chime && form.elements.chime.checked) { data.append("chime", "on"); }
      data.append("csrfmiddlewaretoken", form.elements.csrfmiddlewaretoken.value);
      status.textContent = button.getAttribute("data-busy") || "…";
      fetch(form.getAttribute("data-preview-url"), { method: "POST", body: data, credentials: "same-origin" })
        .then(function (response) {
          if (!response.ok) { return response.text().then(function (text) { throw new Error(text); }); }
          return response.blob();
        })
        .then(function (blob) {
          player.src = URL.createObjectURL(blob);
          player.hidden = false;
          status.textContent = "";
          player.play().catch(function () {});
        })
        .catch(function (error) { status.textContent = error.message; });
    });
  }

  function recorder(form) {
    var start = form.querySelector("[data-record-start]");
    var stop = form.querySelector("[data-record-stop]");
    var status = form.querySelector("[data-recorder-status]");
    var player = form.querySelector("[data-recording-audio]");
    var input = form.elements.recording;
    if (!start || !input) { return; }
    if (!window.MediaRecorder || !navigator.mediaDevices) {
      start.disabled = true;
      status.textContent = start.getAttribute("data-unsupported") || status.textContent;
      return;
    }
    var media = null;
    var chunks = [];
    start.addEventListener("click", function () {
      navigator.mediaDevices.getUserMedia({ audio: true }).then(function (stream) {
        chunks = [];
        media = new MediaRecorder(stream);
        media.addEventListener("dataavailable", function (event) { chunks.push(event.data); });
        media.addEventListener("stop", function () {
          stream.getTracks().forEach(function (track) { track.stop(); });
          var type = media.mimeType || "audio/webm";
          var blob = new Blob(chunks, { type: type });
          var name = "recording." + (type.indexOf("ogg") >= 0 ? "ogg" : type.indexOf("mp4") >= 0 ? "m4a" : "webm");
          var transfer = new DataTransfer();
          transfer.items.add(new File([blob], name, { type: type }));
          input.files = transfer.files;
          player.src = URL.createObjectURL(blob);
          player.hidden = false;
          start.disabled = false;
          stop.disabled = true;
        });
        media.start();
        start.disabled = true;
        stop.disabled = false;
        status.textContent = "● REC";
      }).catch(function (error) { status.textContent = error.message; });
    });
    stop.addEventListener("click", function () {
      if (media && media.state !== "inactive") { media.stop(); status.textContent = ""; }
    });
  }

  function targetFilter(form) {
    var search = form.querySelector("[data-filter-targets]");
    if (!search) { return; }
    search.addEventListener("input", function () {
      var wanted = search.value.trim().toLowerCase();
      form.querySelectorAll("[data-targets] label").forEach(function (label) {
        var row = label.closest("div") || label;
        row.hidden = wanted && label.textContent.toLowerCase().indexOf(wanted) < 0;
      });
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    var form = document.getElementById("composer");
    if (!form) { return; }
    showSections(form);
    form.addEventListener("change", function (event) {
      if (event.target.name === "kind" || event.target.name === "when") { showSections(form); }
    });
    preview(form);
    recorder(form);
    targetFilter(form);
  });
})();
