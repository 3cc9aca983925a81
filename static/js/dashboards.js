/* Dashboards: draw every <canvas data-chart="ID"> from the JSON in <script id="ID" type="application/json">
   (Django's json_script), with the vendored Chart.js. No inline scripts or styles are needed (strict CSP). */
(function () {
  "use strict";

  var PALETTE = ["#0b5cad", "#c2410c", "#1f6f3a", "#7c3aed", "#a4161a", "#0e7490", "#6b7280"];

  function euro(value) {
    return "€ " + Number(value).toLocaleString("nl-NL", { maximumFractionDigits: 0 });
  }

  function number(value) {
    return Number(value).toLocaleString("nl-NL");
  }

  function percent(value) {
    return number(value) + " %";
  }

  function draw(canvas) {
    var source = document.getElementById(canvas.getAttribute("data-chart"));
    if (!source || typeof window.Chart === "undefined") {
      return;
    }
    var spec = JSON.parse(source.textContent);
    if (!spec) {
      return;
    }
    var horizontal = Boolean(spec.horizontal);
    if (horizontal) {
      // One band per label: the box grows with the number of rows (CSSOM, allowed under a strict CSP).
      var band = 12 * spec.datasets.length + 10;
      canvas.parentElement.style.height = Math.max(220, Math.min(2400, spec.labels.length * band + 70)) + "px";
    }
    var format = spec.money ? euro : (spec.percent ? percent : number);
    var valueAxis = { beginAtZero: true, ticks: { callback: function (value) { return format(value); } } };
    if (spec.percent) {
      valueAxis.max = 100;  /* a share: the whole scale, also when every value is hidden */
    }
    var datasets = spec.datasets.map(function (dataset, index) {
      var colour = PALETTE[index % PALETTE.length];
      return {
        label: dataset.label,
        data: dataset.data,
        borderColor: colour,
        backgroundColor: spec.type === "line" ? colour : colour + "cc",
        borderWidth: 2,
        pointRadius: spec.type === "line" ? 2 : 0,
        tension: 0.2,
        spanGaps: false
      };
    });
    var scales = horizontal ? { x: valueAxis } : { y: valueAxis };
    new window.Chart(canvas, {
      type: spec.type,
      data: { labels: spec.labels, datasets: datasets },
      options: {
        animation: false,
        responsive: true,
        maintainAspectRatio: false,
        indexAxis: horizontal ? "y" : "x",
        scales: scales,
        plugins: {
          legend: { position: "bottom", display: datasets.length > 1 },
          tooltip: {
            callbacks: {
              label: function (context) {
                var value = horizontal ? context.parsed.x : context.parsed.y;
                return context.dataset.label + ": " + (value === null ? (spec.hidden || "x") : format(value));
              }
            }
          }
        }
      }
    });
    canvas.setAttribute("data-rendered", "true");
  }

  /* WCAG 1.4.13: the reason beside a hidden figure ("te weinig gegevens") can be dismissed with Escape
     without moving focus or the pointer; it comes back on the next hover or focus. */
  function dismissible() {
    var hovered = null;
    document.addEventListener("mouseover", function (event) {
      var cell = event.target.closest ? event.target.closest(".suppressed") : null;
      if (cell !== hovered && hovered) { hovered.classList.remove("dismissed"); }
      hovered = cell;
    });
    document.addEventListener("focusout", function (event) {
      if (event.target.classList && event.target.classList.contains("suppressed")) {
        event.target.classList.remove("dismissed");
      }
    });
    document.addEventListener("keydown", function (event) {
      if (event.key !== "Escape") { return; }
      [document.activeElement, hovered].forEach(function (cell) {
        if (cell && cell.classList && cell.classList.contains("suppressed")) { cell.classList.add("dismissed"); }
      });
    });
  }

  function start() {
    dismissible();
    Array.prototype.forEach.call(document.querySelectorAll("canvas[data-chart]"), draw);
    Array.prototype.forEach.call(document.querySelectorAll("[data-print]"), function (button) {
      button.addEventListener("click", function () { window.print(); });
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
