// Filters, search and sorting for the matrix report. Without scripts the page is a plain
// table whose not-applicable rows a checkbox shows and hides (CSS only).
(function () {
  "use strict";
  var table = document.getElementById("matrix");
  var form = document.getElementById("filters");
  var showNa = document.getElementById("show-na");
  var count = document.getElementById("count");
  var search = document.getElementById("f-search");
  if (!table || !form || !showNa || !count || !search) {
    return;
  }
  var body = table.tBodies[0];
  var each = function (list, f) { Array.prototype.forEach.call(list, f); };
  // Nothing is read from a row until a filter needs it: with 200 roles (37,200 rows) reading
  // every cell up front cost most of the load. No row starts with the class that hides it
  // (`shown` says it has not got it); the CSS hides not-applicable rows until the box is
  // ticked, so loading writes nothing to the rows either.
  var data = Array.prototype.map.call(body.rows, function (tr, index) {
    var na = tr.classList.contains("not-applicable");
    return { tr: tr, index: index, text: null, search: null, na: na, shown: true };
  });
  function cell(d, col) {
    if (d.text === null) {
      d.text = Array.prototype.map.call(d.tr.cells, function (c) { return c.textContent; });
    }
    return d.text[col];
  }
  function haystack(d) {
    if (d.search === null) {
      d.search = d.tr.textContent.toLowerCase();
    }
    return d.search;
  }
  // The column each select filters on, by exact cell text.
  var selects = [
    ["f-role", 0], ["f-channel", 1], ["f-action", 2], ["f-stage", 3], ["f-decision", 4]
  ].map(function (p) { return { el: document.getElementById(p[0]), col: p[1] }; });
  var roleSelect = selects[0].el;
  each(document.querySelectorAll("#summary tbody tr"), function (tr) {
    var option = document.createElement("option");
    option.textContent = tr.cells[0].textContent;
    option.value = option.textContent;
    roleSelect.appendChild(option);
  });

  // Rows are shown and hidden by a class, and only those whose state changes are touched.
  function apply() {
    var needle = search.value.trim().toLowerCase();
    var active = selects.filter(function (s) { return s.el.value !== ""; });
    var shown = 0;
    data.forEach(function (d) {
      var ok = (showNa.checked || !d.na) &&
        active.every(function (s) { return cell(d, s.col) === s.el.value; }) &&
        (needle === "" || haystack(d).indexOf(needle) >= 0);
      if (ok !== d.shown) {
        d.tr.classList.toggle("off", !ok);
        d.shown = ok;
      }
      if (ok) {
        shown += 1;
      }
    });
    count.textContent = "Showing " + shown + " of " + data.length + " rows" +
      (showNa.checked ? "." : " (not-applicable rows hidden).");
  }

  // Typing in the search box waits for a pause on a large report, so ten keystrokes filter
  // the rows once rather than ten times; a small report filters at once.
  var pause = data.length > 10000 ? 150 : 0;
  var timer = null;
  function later() {
    if (timer !== null) {
      window.clearTimeout(timer);
    }
    timer = window.setTimeout(function () { timer = null; apply(); }, pause);
  }
  var decision = selects[4].el;
  decision.addEventListener("change", function () {
    if (decision.value === "not-applicable") {
      showNa.checked = true;
    }
  });
  form.addEventListener("input", function (e) {
    if (e.target === search && pause > 0) {
      later();
    } else {
      apply();
    }
  });
  form.addEventListener("change", function (e) {
    if (e.target !== search) {
      apply();
    }
  });
  form.addEventListener("submit", function (e) { e.preventDefault(); });
  // Clear resets every filter, the not-applicable box (outside the form) included.
  form.addEventListener("reset", function () {
    showNa.checked = false;
    window.setTimeout(apply, 0);
  });
  showNa.addEventListener("change", apply);

  var heads = table.tHead.rows[0].cells;
  var collator = new Intl.Collator(undefined, { numeric: true, sensitivity: "base" });
  function key(d, col) {
    var td = d.tr.cells[col];
    return td.hasAttribute("data-k") ? Number(td.getAttribute("data-k")) : cell(d, col);
  }
  function sortBy(col, dir) {
    data.sort(function (a, b) {
      var x = key(a, col);
      var y = key(b, col);
      var c = typeof x === "number" ? x - y : collator.compare(x, y);
      return c !== 0 ? c * dir : a.index - b.index;
    });
    var fragment = document.createDocumentFragment();
    data.forEach(function (d) { fragment.appendChild(d.tr); });
    body.appendChild(fragment);
    each(heads, function (th) { th.removeAttribute("aria-sort"); });
    heads[col].setAttribute("aria-sort", dir > 0 ? "ascending" : "descending");
  }
  each(heads, function (th, col) {
    var button = document.createElement("button");
    button.type = "button";
    button.textContent = th.textContent;
    button.title = "Sort by " + th.textContent;
    // The column's name stays in the header as text for print, where the buttons are hidden
    // and the header row repeats on every page.
    var label = document.createElement("span");
    label.className = "print-label";
    label.setAttribute("aria-hidden", "true");
    label.textContent = th.textContent;
    th.textContent = "";
    th.appendChild(button);
    th.appendChild(label);
    button.addEventListener("click", function () {
      sortBy(col, th.getAttribute("aria-sort") === "ascending" ? -1 : 1);
    });
  });

  // The search text of every row is read while the page is idle, so the first search does not
  // wait for it.
  var next = 0;
  function warm(deadline) {
    while (next < data.length && (!deadline || deadline.timeRemaining() > 2)) {
      haystack(data[next]);
      next += 1;
    }
    if (next < data.length) {
      (window.requestIdleCallback || window.setTimeout)(warm);
    }
  }
  (window.requestIdleCallback || window.setTimeout)(warm);

  form.hidden = false;
  count.textContent = "Showing " + data.filter(function (d) { return !d.na; }).length +
    " of " + data.length + " rows (not-applicable rows hidden).";
})();
