// Small progressive enhancements; every page works without them.
(function () {
  "use strict";

  function formatLeft(ms) {
    if (ms <= 0) return "time is up";
    const total = Math.floor(ms / 1000);
    const h = Math.floor(total / 3600), m = Math.floor((total % 3600) / 60), s = total % 60;
    return h + " h " + String(m).padStart(2, "0") + " min " + String(s).padStart(2, "0") + " s";
  }

  document.querySelectorAll(".countdown[data-deadline]").forEach(function (el) {
    const deadline = Date.parse(el.dataset.deadline);
    const out = el.querySelector(".countdown-value");
    function tick() {
      const left = deadline - Date.now();
      out.textContent = formatLeft(left);
      el.classList.toggle("over", left <= 0);
    }
    tick();
    setInterval(tick, 1000);
  });

  document.querySelectorAll("button.copy[data-copy]").forEach(function (btn) {
    btn.addEventListener("click", function () {
      const input = document.getElementById(btn.dataset.copy);
      input.select();
      navigator.clipboard.writeText(input.value).then(function () { btn.textContent = "Copied"; });
    });
  });

  // Live progress: poll while a grading run is queued or running, then reload once.
  function poll(el, url, isDone) {
    function check() {
      fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (r) { return r.ok ? r.json() : null; })
        .then(function (data) {
          if (data && isDone(data)) { window.location.reload(); return; }
          setTimeout(check, 2000);
        })
        .catch(function () { setTimeout(check, 5000); });
    }
    setTimeout(check, 2000);
  }
  document.querySelectorAll(".grading-panel[data-poll-url]").forEach(function (el) {
    if (el.dataset.finished === "yes") return;
    poll(el, el.dataset.pollUrl, function (d) { return d && d.status && !["queued", "running"].includes(d.status); });
  });
  document.querySelectorAll(".grading[data-status-url]").forEach(function (el) {
    if (!el.querySelector(".grading-state") || !/queued|running|waiting/.test(el.textContent)) return;
    poll(el, el.dataset.statusUrl, function (d) { return d.grading && d.grading.finished; });
  });
  // A table wider than the screen scrolls sideways: make it reachable with the keyboard.
  document.querySelectorAll(".table-scroll").forEach(function (el) {
    if (el.scrollWidth <= el.clientWidth || el.hasAttribute("tabindex")) return;
    var heading = el.closest("section, main").querySelector("h1, h2");
    el.tabIndex = 0;
    el.setAttribute("role", "region");
    el.setAttribute("aria-label", heading ? heading.textContent.trim() : "Table");
  });
})();
