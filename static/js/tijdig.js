/* Tijdig's own script: no inline scripts anywhere (strict CSP). Data comes from json_script blocks
   and data- attributes. Works on the first page load and on content htmx swaps in. */
(function () {
  "use strict";

  var euro = new Intl.NumberFormat("nl-NL", { style: "currency", currency: "EUR" });

  function monthLabel(month) {
    // "2026-03" → "03-2026", the Dutch order.
    return month.slice(5) + "-" + month.slice(0, 4);
  }

  function drawCharts(root) {
    if (!window.Chart || !root.querySelectorAll) return;
    root.querySelectorAll("canvas[data-chart='arrears-history']").forEach(function (canvas) {
      if (canvas.dataset.drawn) return;
      var source = document.getElementById(canvas.dataset.source);
      if (!source) return;
      var rows = JSON.parse(source.textContent);
      canvas.dataset.drawn = "1";
      new window.Chart(canvas, {
        type: "line",
        data: {
          labels: rows.map(function (r) { return monthLabel(r.month); }),
          datasets: [{
            label: canvas.dataset.label || "",
            data: rows.map(function (r) { return r.balance === null ? null : Number(r.balance); }),
            spanGaps: false,
            borderColor: "#0b5cad",
            backgroundColor: "rgba(11, 92, 173, 0.12)",
            pointRadius: 3,
            fill: true,
            stepped: false,
          }],
        },
        options: {
          animation: false,
          responsive: true,
          maintainAspectRatio: false,
          plugins: {
            legend: { display: false },
            tooltip: { callbacks: { label: function (ctx) { return euro.format(ctx.parsed.y); } } },
          },
          scales: { y: { beginAtZero: true, ticks: { callback: function (v) { return euro.format(v); } } } },
        },
      });
    });
  }

  // "Select all" in the queue ticks the row checkboxes that belong to the bulk form.
  document.addEventListener("change", function (event) {
    var box = event.target;
    if (!box.matches || !box.matches("input[data-select-all]")) return;
    document.querySelectorAll("input[type=checkbox][name='" + box.dataset.selectAll + "'][form]").forEach(function (cb) {
      cb.checked = box.checked;
    });
  });

  // After htmx swapped content in, put the keyboard focus where the user continues: the first field
  // with an error, else the message that says what happened, else the swapped part's heading.
  document.addEventListener("htmx:afterSettle", function (event) {
    var id = event.detail.target && event.detail.target.id;
    var swapped = id ? document.getElementById(id) : null;
    if (!swapped) return;
    var invalid = swapped.querySelector("[aria-invalid='true']");
    if (invalid) { invalid.focus(); return; }
    if (swapped.tagName === "TR") {
      var link = swapped.querySelector("a");
      if (link) { link.focus(); }
      return;
    }
    var verb = event.detail.requestConfig && event.detail.requestConfig.verb;
    var messages = document.getElementById("messages");
    if (verb === "post" && messages && messages.textContent.trim()) {
      messages.focus();
      return;
    }
    var heading = swapped.querySelector("[data-focus-after-swap]");
    if (heading) { heading.focus(); }
  });

  document.addEventListener("htmx:load", function (event) { drawCharts(event.detail.elt); });
  document.addEventListener("DOMContentLoaded", function () { drawCharts(document); });
})();
