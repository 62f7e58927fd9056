// Export page: follow running exports and reload once one is finished, so its download link appears.
// Without this script the page still works: each running export has a "Refresh" link.
(function () {
  "use strict";
  var jobs = document.querySelectorAll("[data-job-url]");
  Array.prototype.forEach.call(jobs, function (job) {
    var bar = job.querySelector("progress");
    var status = job.querySelector(".job-status");
    var template = status ? status.textContent.replace(/\d+/, "{n}") : "";
    function poll() {
      fetch(job.getAttribute("data-job-url"), { headers: { Accept: "application/json" }, credentials: "same-origin" })
        .then(function (response) { return response.ok ? response.json() : null; })
        .then(function (data) {
          if (!data) { return; }
          if (data.finished) { window.location.reload(); return; }
          if (bar) { bar.value = data.percent; bar.textContent = data.percent + " %"; }
          if (status) { status.textContent = template.replace("{n}", data.percent); }
          window.setTimeout(poll, 1500);
        })
        .catch(function () { window.setTimeout(poll, 5000); });
    }
    window.setTimeout(poll, 1000);
  });
})();
