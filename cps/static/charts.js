/* Staff dashboard charts (Chart.js); the tables under them hold the same numbers. */
(function () {
  "use strict";
  var box = document.querySelector("[data-charts]");
  if (!box || !window.Chart) { return; }
  var data = JSON.parse(box.dataset.charts);
  box.querySelectorAll("canvas[data-chart]").forEach(function (canvas) {
    var series = data[canvas.dataset.chart];
    new window.Chart(canvas, {
      type: canvas.dataset.chart === "week" ? "line" : "bar",
      data: { labels: series.labels, datasets: [{ data: series.values, backgroundColor: "#0b5cad", borderColor: "#0b5cad" }] },
      options: { plugins: { legend: { display: false } }, scales: { y: { beginAtZero: true, ticks: { precision: 0 } } } }
    });
  });
}());
