// Tỉnh Số: the few behaviours plain HTML lacks. Pages work without this file.
document.addEventListener("DOMContentLoaded", function () {
  var button = document.querySelector(".menu-button");
  var nav = document.getElementById("main-nav");
  if (button && nav) {
    button.addEventListener("click", function () {
      var open = nav.classList.toggle("open");
      button.setAttribute("aria-expanded", open ? "true" : "false");
    });
  }
});
// Filters submit as the user types or picks, without a full page load.
document.addEventListener("change", function (event) {
  var form = event.target.closest("form[data-autosubmit]");
  if (form && window.htmx) { htmx.trigger(form, "submit"); }
});
