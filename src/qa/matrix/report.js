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
  var data = Array.prototype.map.call(body.rows, function (tr, index) {
    return {
      tr: tr,
      index: index,
      text: Array.prototype.map.call(tr.cells, function (c) { return c.textContent; }),
      search: tr.textContent.toLowerCase(),
      na: tr.classList.contains("not-applicable")
    };
  });
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

  function apply() {
    var needle = search.value.trim().toLowerCase();
    var shown = 0;
    data.forEach(function (d) {
      var ok = (showNa.checked || !d.na) &&
        selects.every(function (s) { return s.el.value === "" || d.text[s.col] === s.el.value; }) &&
        (needle === "" || d.search.indexOf(needle) >= 0);
      d.tr.hidden = !ok;
      if (ok) {
        shown += 1;
      }
    });
    count.textContent = "Showing " + shown + " of " + data.length + " rows" +
      (showNa.checked ? "." : " (not-applicable rows hidden).");
  }

  var decision = selects[4].el;
  decision.addEventListener("change", function () {
    if (decision.value === "not-applicable") {
      showNa.checked = true;
    }
  });
  form.addEventListener("input", apply);
  form.addEventListener("change", apply);
  form.addEventListener("submit", function (e) { e.preventDefault(); });
  form.addEventListener("reset", function () { window.setTimeout(apply, 0); });
  showNa.addEventListener("change", apply);

  var heads = table.tHead.rows[0].cells;
  var collator = new Intl.Collator(undefined, { numeric: true, sensitivity: "base" });
  function key(d, col) {
    var cell = d.tr.cells[col];
    return cell.hasAttribute("data-k") ? Number(cell.getAttribute("data-k")) : d.text[col];
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
    th.textContent = "";
    th.appendChild(button);
    button.addEventListener("click", function () {
      sortBy(col, th.getAttribute("aria-sort") === "ascending" ? -1 : 1);
    });
  });

  form.hidden = false;
  apply();
})();
