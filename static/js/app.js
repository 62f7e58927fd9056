// Small progressive enhancements. Every page works without this file.
(function () {
  "use strict";
  // Move focus to the error summary so screen readers and keyboards land on it.
  var summary = document.querySelector(".error-summary");
  if (summary) { summary.focus(); }
  // Tables that stack into cards on a phone: each cell carries its column's header as a label.
  Array.prototype.forEach.call(document.querySelectorAll("table.stack-on-phone"), function (table) {
    var heads = table.querySelectorAll("thead tr:last-child th");
    Array.prototype.forEach.call(table.querySelectorAll("tbody tr"), function (row) {
      var column = 0;
      Array.prototype.forEach.call(row.children, function (cell) {
        var head = heads[column];
        // The header's own words, without the hint under them ("Score", not "Score mean").
        var label = head ? (head.firstChild && head.firstChild.nodeType === 3 ? head.firstChild : head).textContent.trim() : "";
        if (cell.tagName === "TD" && label && !cell.hasAttribute("data-label")) {
          cell.setAttribute("data-label", label);
        }
        column += cell.colSpan || 1;
      });
    });
  });
})();
