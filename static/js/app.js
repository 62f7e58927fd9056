// Small progressive enhancements. Every page works without this file.
(function () {
  "use strict";
  // Move focus to the error summary so screen readers and keyboards land on it.
  var summary = document.querySelector(".error-summary");
  if (summary) { summary.focus(); }
})();
