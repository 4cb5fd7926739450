// The dashboard's charts: Chart.js draws what the page lists in #chart-data (the same numbers
// are in a table under each chart). Drawn again after htmx swaps in another period.
(function () {
  "use strict";
  function scales(c) {
    var out = { y: { beginAtZero: true } };
    if (c.series.some(function (s) { return s.axis === "y2"; })) {
      out.y2 = { beginAtZero: true, position: "right", grid: { drawOnChartArea: false } };
    }
    return out;
  }
  function draw() {
    var data = document.getElementById("chart-data");
    if (!data || !window.Chart) return;
    JSON.parse(data.textContent).forEach(function (c) {
      var canvas = document.getElementById("chart-" + c.key);
      if (!canvas || canvas.dataset.drawn) return;
      canvas.dataset.drawn = "1";
      new window.Chart(canvas, {
        type: c.kind,
        data: {
          labels: c.labels,
          datasets: c.series.map(function (s) {
            var set = { label: s.label, data: s.data, yAxisID: s.axis || "y" };
            if (s.type) set.type = s.type;
            return set;
          })
        },
        options: {
          responsive: true,
          maintainAspectRatio: false,
          animation: false,
          locale: "vi-VN",
          plugins: { legend: { display: c.series.length > 1 } },
          scales: scales(c)
        }
      });
    });
  }
  document.addEventListener("DOMContentLoaded", draw);
  document.addEventListener("htmx:afterSettle", draw);
})();
