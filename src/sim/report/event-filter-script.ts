/**
 * The event log's filters, inlined into the page: the report must work offline and load nothing.
 * It reads only the page's own attributes (the data stays in escaped markup, never in the
 * script), so no value from the run can break out of it. A reason's count is the number of rows
 * with that reason matching the object filter, as faceted search counts do. Names are compared
 * in lower case, as the rows store them.
 */
export const EVENT_FILTER_SCRIPT = `
(function () {
  var log = document.querySelector("[data-event-log]");
  if (!log) return;
  var rows = Array.prototype.slice.call(log.querySelectorAll("tbody tr"));
  var boxes = Array.prototype.slice.call(log.querySelectorAll("[data-reason-filter]"));
  var search = log.querySelector("[data-object-filter]");
  var shown = log.querySelector("[data-shown]");
  var names = {};
  rows.forEach(function (row) {
    row.getAttribute("data-related").split("\\n").forEach(function (name) { names[name] = true; });
  });
  // A whole name (as a click on it sets) matches only itself: Node/n-1 must not bring in Node/n-10.
  function concerns(row, query) {
    if (query === "") return true;
    var related = row.getAttribute("data-related").split("\\n");
    if (names[query]) return related.indexOf(query) !== -1;
    return related.some(function (name) { return name.indexOf(query) !== -1; });
  }
  function apply() {
    var wanted = {};
    boxes.forEach(function (box) { wanted[box.value] = box.checked; });
    var query = search.value.trim().toLowerCase();
    var counts = {};
    var visible = 0;
    rows.forEach(function (row) {
      var reason = row.getAttribute("data-reason");
      var matches = concerns(row, query);
      if (matches) counts[reason] = (counts[reason] || 0) + 1;
      row.hidden = !(matches && wanted[reason]);
      if (!row.hidden) visible++;
    });
    boxes.forEach(function (box) {
      var count = box.parentNode.querySelector("[data-count]");
      count.textContent = String(counts[box.value] || 0);
      box.parentNode.classList.toggle("nothing", !counts[box.value]);
    });
    shown.textContent = String(visible);
  }
  boxes.forEach(function (box) { box.addEventListener("change", apply); });
  search.addEventListener("input", apply);
  // Names in the violations table lead here too: what happened to the object that broke a rule.
  document.addEventListener("click", function (event) {
    var target = event.target;
    if (!(target instanceof Element)) return;
    if (target.hasAttribute("data-select")) {
      var all = target.getAttribute("data-select") === "all";
      boxes.forEach(function (box) { box.checked = all; });
      apply();
    } else if (target.hasAttribute("data-object")) {
      search.value = target.getAttribute("data-object");
      apply();
      if (!log.contains(target)) log.scrollIntoView();
    }
  });
  apply();
})();
`;
