// Review workspace. Every page works without this script (line links open the comment form
// under the line after a reload, unchanged regions show unfolded); with it:
// - selecting a line number opens the comment form under that line in place (shift extends
//   the range), in the file view and on the new side of the Changes view;
// - unchanged regions between hunks are folded behind a "Show N unchanged lines" button;
// - a file can be marked viewed (kept in this browser), which collapses it;
// - keys: j / k next and previous file, n / p next and previous comment thread;
// - choosing a snippet of the comment library puts its text into the comment box, to edit.
(function () {
  "use strict";
  var template = document.getElementById("comment-template");
  var anchor = null; // { table, line } of the last plain click, for shift-click ranges

  function rowOf(table, line) {
    var link = table.querySelector("a[data-line='" + line + "']");
    return link ? link.closest("tr") : null;
  }

  function closeForms() {
    document.querySelectorAll("tr.inline-form-row").forEach(function (row) { row.remove(); });
    document.querySelectorAll("table.code tr.selected").forEach(function (row) { row.classList.remove("selected"); });
  }

  function openForm(table, first, last) {
    closeForms();
    for (var n = first; n <= last; n++) {
      var row = rowOf(table, n);
      if (row) row.classList.add("selected");
    }
    var after = rowOf(table, last);
    if (!after || !template) return;
    var holder = document.createElement("tr");
    holder.className = "inline-form-row";
    var cell = document.createElement("td");
    cell.colSpan = after.children.length;
    holder.appendChild(cell);
    cell.appendChild(template.content.cloneNode(true));
    var form = cell.querySelector("form");
    form.querySelector("[name=path]").value = table.dataset.path;
    form.querySelector("[name=back]").value = location.pathname + location.search;
    form.querySelector("[name=line_start]").value = first;
    form.querySelector("[name=line_end]").value = last;
    if (table.dataset.max) {
      form.querySelector("[name=line_start]").max = table.dataset.max;
      form.querySelector("[name=line_end]").max = table.dataset.max;
    }
    form.querySelector(".cancel-comment").addEventListener("click", function (event) {
      event.preventDefault();
      var link = after.querySelector("a[data-line]");
      closeForms();
      if (link) link.focus();
    });
    after.after(holder);
    form.querySelector("textarea").focus();
  }

  document.querySelectorAll("table.code[data-path]").forEach(function (table) {
    if (table.classList.contains("diff-table") && !table.hasAttribute("data-commentable")) return;
    table.addEventListener("click", function (event) {
      var link = event.target.closest("a[data-line]");
      if (!link || !template) return;
      event.preventDefault();
      var line = parseInt(link.dataset.line, 10);
      if (event.shiftKey && anchor && anchor.table === table) {
        openForm(table, Math.min(anchor.line, line), Math.max(anchor.line, line));
      } else {
        anchor = { table: table, line: line };
        openForm(table, line, line);
      }
    });
  });

  // Folded unchanged regions.
  document.querySelectorAll("tr.fold-row").forEach(function (foldRow) {
    var table = foldRow.closest("table");
    var fold = foldRow.dataset.fold;
    var rows = table.querySelectorAll("tr[data-folded='" + fold + "']");
    rows.forEach(function (row) { row.hidden = true; });
    foldRow.hidden = false;
    foldRow.querySelector("button").addEventListener("click", function () {
      rows.forEach(function (row) { row.hidden = false; });
      var next = rows.length ? rows[0].querySelector("a[data-line]") : null;
      foldRow.remove();
      if (next) next.focus();
    });
  });

  // Viewed files, remembered in this browser per commit and path.
  var files = Array.prototype.slice.call(document.querySelectorAll("[data-file]"));
  var counter = document.querySelector("[data-viewed-count]");
  function store(key, value) {
    try {
      if (value) localStorage.setItem("reciprocal:viewed:" + key, "1");
      else localStorage.removeItem("reciprocal:viewed:" + key);
    } catch (e) { /* storage disabled: the mark lasts for this page only */ }
  }
  function stored(key) {
    try { return localStorage.getItem("reciprocal:viewed:" + key) === "1"; } catch (e) { return false; }
  }
  function count() {
    if (!counter || !files.length) return;
    var done = files.filter(function (f) { return f.classList.contains("is-viewed"); }).length;
    counter.textContent = done + " of " + files.length + " files viewed. ";
  }
  files.forEach(function (file) {
    var box = file.querySelector("[data-viewed]");
    if (!box) return;
    var body = file.querySelector(".diff-body");
    function apply() {
      file.classList.toggle("is-viewed", box.checked);
      if (body) body.hidden = box.checked;
    }
    box.checked = stored(file.dataset.key);
    apply();
    box.addEventListener("change", function () { store(file.dataset.key, box.checked); apply(); count(); });
  });
  count();

  // Keyboard navigation.
  function jump(items, forward) {
    if (!items.length) return;
    var top = 80;
    var target = null;
    for (var i = 0; i < items.length; i++) {
      var y = items[i].getBoundingClientRect().top;
      if (forward && y > top + 1) { target = items[i]; break; }
      if (!forward && y < top - 1) target = items[i];
    }
    if (!target) return;
    if (!target.hasAttribute("tabindex")) target.setAttribute("tabindex", "-1");
    target.scrollIntoView({ block: "start" });
    window.scrollBy(0, -top + 16);
    target.focus({ preventScroll: true });
  }
  document.addEventListener("keydown", function (event) {
    if (event.altKey || event.ctrlKey || event.metaKey) return;
    var tag = (event.target.tagName || "").toLowerCase();
    if (tag === "input" || tag === "textarea" || tag === "select" || event.target.isContentEditable) return;
    var threads = Array.prototype.slice.call(document.querySelectorAll("[data-thread]")).filter(function (t) {
      return t.offsetParent !== null;
    });
    if (event.key === "j") jump(files, true);
    else if (event.key === "k") jump(files, false);
    else if (event.key === "n") jump(threads, true);
    else if (event.key === "p") jump(threads, false);
    else return;
    event.preventDefault();
  });

  // The comment library: the chosen snippet's text goes where the cursor is (the whole box
  // when it is empty) and its kind is suggested; the reviewer then edits it for this code.
  document.addEventListener("change", function (event) {
    var select = event.target;
    if (!select.classList || !select.classList.contains("snippet-select")) return;
    var option = select.options[select.selectedIndex];
    var box = select.form.querySelector("textarea[name=body]");
    if (!option || !option.value || !box) return;
    var text = option.dataset.body || "";
    var start = box.selectionStart, end = box.selectionEnd;
    if (!box.value) box.value = text;
    else box.value = box.value.slice(0, start) + text + box.value.slice(end);
    var kind = select.form.querySelector("select[name=kind]");
    if (kind && option.dataset.kind) kind.value = option.dataset.kind;
    box.focus();
    var caret = box.value ? (start || 0) + text.length : 0;
    box.setSelectionRange(caret, caret);
  });

  document.querySelectorAll("[data-print]").forEach(function (button) {
    button.addEventListener("click", function () { window.print(); });
  });
})();
