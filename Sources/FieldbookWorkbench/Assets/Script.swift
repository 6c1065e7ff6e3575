/// The one script: pages work without it (forms post, links link); it adds what a browser
/// cannot do alone.
/// - Live: the server's change feed (`/events`, server-sent events) says when the workspace
///   changed (the CLI, a bundle import, a sync); the page's `<main>` is fetched again and
///   swapped in, unless the assessor is typing in a form on it.
/// - Drag and drop: a file dropped on an upload zone fills its file input.
/// - Busy: a form marked `data-busy` (a sync) says so in the page's status region and cannot
///   be sent twice while it runs.
enum Script {
    static let text = #"""
"use strict";
(function () {
  function editing() {
    var active = document.activeElement;
    if (active && /^(INPUT|TEXTAREA|SELECT)$/.test(active.tagName)) return true;
    return document.querySelector("form[data-dirty]") !== null;
  }
  document.addEventListener("input", function (event) {
    var form = event.target.form;
    if (form) form.setAttribute("data-dirty", "");
  });
  var pending = false;
  function refresh() {
    if (editing()) { pending = true; return; }
    pending = false;
    fetch(location.href, { credentials: "same-origin", headers: { "X-Fieldbook-Refresh": "1" } })
      .then(function (response) { return response.ok ? response.text() : null; })
      .then(function (text) {
        if (text === null) return;
        var next = new DOMParser().parseFromString(text, "text/html");
        var main = next.querySelector("main"), current = document.querySelector("main");
        if (main && current) {
          current.innerHTML = main.innerHTML;
          current.setAttribute("data-refreshed", String(Date.now()));
        }
        var nav = next.querySelector("header nav"), currentNav = document.querySelector("header nav");
        if (nav && currentNav) currentNav.innerHTML = nav.innerHTML;
      });
  }
  if (window.EventSource) {
    var feed = new EventSource("/events");
    feed.addEventListener("change", refresh);
    document.addEventListener("focusout", function () { if (pending) setTimeout(function () { if (pending) refresh(); }, 200); });
  }
  document.addEventListener("submit", function (event) {
    var form = event.target, message = form.getAttribute("data-busy");
    if (!message) return;
    if (form.hasAttribute("data-sending")) { event.preventDefault(); return; }
    form.setAttribute("data-sending", "");
    var status = document.querySelector("[data-busy-status]");
    if (status) status.textContent = message;
  });
  document.addEventListener("dragover", function (event) {
    var zone = event.target.closest && event.target.closest("[data-drop]");
    if (zone) { event.preventDefault(); zone.classList.add("over"); }
  });
  document.addEventListener("dragleave", function (event) {
    var zone = event.target.closest && event.target.closest("[data-drop]");
    if (zone) zone.classList.remove("over");
  });
  document.addEventListener("drop", function (event) {
    var zone = event.target.closest && event.target.closest("[data-drop]");
    if (!zone) return;
    event.preventDefault();
    zone.classList.remove("over");
    var input = zone.querySelector("input[type=file]");
    if (input && event.dataTransfer && event.dataTransfer.files.length) {
      input.files = event.dataTransfer.files;
      var label = zone.querySelector("[data-drop-name]");
      if (label) label.textContent = Array.prototype.map.call(input.files, function (f) { return f.name; }).join(", ");
    }
  });
})();
"""#
}
