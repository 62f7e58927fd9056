// The scoring page: autosave drafts, zoom the illustration, Alt+Arrow keys for next/previous.
// Everything here is an enhancement: the form saves and submits without JavaScript.
(function () {
  "use strict";

  // Keyboard shortcuts: Alt+ArrowRight for the next entry, Alt+ArrowLeft for the previous one.
  var form = document.querySelector("form.score-form");
  var pending = null;
  var dirty = false;

  document.addEventListener("keydown", function (event) {
    if (!event.altKey || event.ctrlKey || event.metaKey || event.shiftKey) { return; }
    var rel = event.key === "ArrowRight" ? "next" : (event.key === "ArrowLeft" ? "prev" : null);
    if (!rel) { return; }
    var link = document.querySelector("a[rel='" + rel + "']");
    if (!link) { return; }
    event.preventDefault();
    if (dirty) { save(true); }
    window.location.href = link.href;
  });

  // Zoom: show the illustration at its full size inside a scrolling frame.
  Array.prototype.forEach.call(document.querySelectorAll("[data-zoom]"), function (figure) {
    var button = figure.querySelector(".zoom-toggle");
    if (!button) { return; }
    button.hidden = false;
    button.addEventListener("click", function () {
      var zoomed = figure.classList.toggle("is-zoomed");
      button.setAttribute("aria-pressed", zoomed ? "true" : "false");
      button.textContent = zoomed ? button.dataset.labelOut : button.dataset.labelIn;
    });
  });

  if (!form || !window.fetch || !window.FormData) { return; }
  var status = document.getElementById("autosave-status");
  var url = form.dataset.autosaveUrl;

  function say(text) { if (status) { status.textContent = text; } }

  function showErrors(errors) {
    Array.prototype.forEach.call(form.querySelectorAll(".error-message"), function (p) {
      var name = p.id.replace(/-error$/, "");
      var field = document.getElementById(name);
      var messages = errors[name];
      if (messages && messages.length) {
        p.textContent = messages.join(" ");
        p.hidden = false;
        if (field) { field.setAttribute("aria-invalid", "true"); }
      } else if (!p.hidden) {
        p.textContent = "";
        p.hidden = true;
        if (field) { field.removeAttribute("aria-invalid"); }
      }
    });
  }

  function save(leaving) {
    if (pending) { window.clearTimeout(pending); pending = null; }
    dirty = false;
    var body = new FormData(form);
    body.delete("action");
    if (!leaving) { say(form.dataset.saving); }
    return window.fetch(url, {
      method: "POST", body: body, credentials: "same-origin", keepalive: !!leaving,
      headers: { "Accept": "application/json", "X-CSRFToken": body.get("csrf_token") || "" }
    }).then(function (response) {
      return response.json().then(function (data) { return data; }, function () { return { saved: false }; });
    }).then(function (data) {
      if (leaving) { return; }
      showErrors(data.errors || {});
      say(data.message || form.dataset.failed);
    }, function () {
      dirty = true;
      if (!leaving) { say(form.dataset.failed); }
    });
  }

  function schedule() {
    dirty = true;
    if (pending) { window.clearTimeout(pending); }
    pending = window.setTimeout(function () { save(false); }, 1000);
  }

  form.addEventListener("input", schedule);
  form.addEventListener("change", schedule);
  form.addEventListener("submit", function () {
    if (pending) { window.clearTimeout(pending); pending = null; }
    dirty = false;
  });
  window.addEventListener("pagehide", function () { if (dirty) { save(true); } });
})();
