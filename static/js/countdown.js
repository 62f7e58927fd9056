// Ticks the deadline countdown on the public edition page. The server already wrote the text;
// without this file the page simply shows it as of loading. Texts come from data-text-* attributes.
(function () {
  "use strict";
  var node = document.querySelector("[data-countdown]");
  if (!node || !window.Intl || !Intl.PluralRules) { return; }
  var data = node.dataset;
  var deadline = Date.parse(data.deadline);
  // Trust the server's clock, not the device's: keep the difference between the two.
  var skew = Date.parse(data.now) - Date.now();
  var plural = new Intl.PluralRules(data.lang || "en");
  if (isNaN(deadline) || isNaN(skew)) { return; }

  function count(name, n) {
    var form = plural.select(n) === "one" ? "one" : "other";
    return (data["text" + name + form.charAt(0).toUpperCase() + form.slice(1)] || "").replace("{n}", n);
  }

  function fill(template, values) {
    return template.replace(/\{(\w+)\}/g, function (all, key) { return values[key]; });
  }

  function text() {
    var seconds = Math.floor((deadline - (Date.now() + skew)) / 1000);
    if (seconds < 0) { return data.textClosed; }
    var days = Math.floor(seconds / 86400);
    var hours = Math.floor((seconds % 86400) / 3600);
    var minutes = Math.floor((seconds % 3600) / 60);
    var values = { days: count("Day", days), hours: count("Hour", hours), minutes: count("Minute", minutes) };
    if (days) { return fill(data.textDaysHours, values); }
    if (hours) { return fill(data.textHoursMinutes, values); }
    return fill(data.textMinutes, values);
  }

  function tick() {
    var next = text();
    if (next && node.textContent !== next) { node.textContent = next; }
    if (next === data.textClosed) {
      node.classList.add("countdown-closed");
      window.clearInterval(timer);
    }
  }

  var timer = window.setInterval(tick, 15000);
  tick();
})();
