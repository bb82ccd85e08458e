// Forms with data-confirm ask before they are sent (broadcast, cancel, new credentials).
document.addEventListener("submit", function (event) {
  var message = event.target.getAttribute("data-confirm");
  if (message && !window.confirm(message)) { event.preventDefault(); }
});
