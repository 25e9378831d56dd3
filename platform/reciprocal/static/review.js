// Review workspace: click a line number to comment on it (shift-click extends to a range).
// Without this script the line links lead to the plain form at the bottom of the page.
(function () {
  "use strict";
  var table = document.querySelector("table.code[data-comment-url]");
  var form = document.querySelector("form.comment-form");
  if (table && form) {
    var start = form.querySelector("[name=line_start]");
    var end = form.querySelector("[name=line_end]");
    var anchorLine = null;
    table.addEventListener("click", function (event) {
      var link = event.target.closest("a[data-line]");
      if (!link) return;
      event.preventDefault();
      var line = parseInt(link.dataset.line, 10);
      if (event.shiftKey && anchorLine !== null) {
        start.value = Math.min(anchorLine, line);
        end.value = Math.max(anchorLine, line);
      } else {
        anchorLine = line;
        start.value = line;
        end.value = line;
      }
      table.querySelectorAll("tr.selected").forEach(function (row) { row.classList.remove("selected"); });
      for (var n = parseInt(start.value, 10); n <= parseInt(end.value, 10); n++) {
        var row = document.getElementById("L" + n);
        if (row) row.classList.add("selected");
      }
      var last = document.getElementById("L" + end.value);
      var holder = document.createElement("tr");
      holder.className = "inline-form-row";
      var cell = document.createElement("td");
      cell.colSpan = 2;
      holder.appendChild(cell);
      table.querySelectorAll("tr.inline-form-row").forEach(function (row) { row.remove(); });
      last.after(holder);
      cell.appendChild(form);
      form.querySelector("textarea").focus();
    });
  }
  document.querySelectorAll("[data-print]").forEach(function (button) {
    button.addEventListener("click", function () { window.print(); });
  });
})();
