// A story's words and estimated A4 pages, updated as the coordinator types (the server checks again on save).
// The numbers follow campaign/checks.py: 500 words or 3,000 characters per page, at most 1.3 pages.
(function () {
  "use strict";
  var field = document.getElementById("text");
  var out = document.getElementById("story-length-live");
  if (!field || !out) { return; }
  var template = out.getAttribute("data-template");
  var tooLong = out.getAttribute("data-too-long");
  var decimal = out.getAttribute("data-decimal") || ".";
  function update() {
    var text = field.value || "";
    var words = (text.match(/[\p{L}\p{N}_]+(?:['’-][\p{L}\p{N}_]+)*/gu) || []).length;
    var chars = text.replace(/\s+/g, "").length;
    var pages = Math.max(words / 500, chars / 3000);
    var shown = (Math.round(pages * 100) / 100).toString().replace(".", decimal);
    out.textContent = template.replace("WORDS", words).replace("PAGES", shown) + (pages > 1.3 ? " " + tooLong : "");
  }
  field.addEventListener("input", update);
  update();
})();
