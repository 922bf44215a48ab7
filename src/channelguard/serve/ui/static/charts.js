// The dashboard's charts: each <canvas data-chart="ID"> is drawn by Chart.js from
// the JSON in <script type="application/json" id="ID"> (written by the server).
(function () {
  "use strict";

  function usd(value) {
    return "$" + Number(value).toLocaleString("en-US", { maximumFractionDigits: 0 });
  }

  function stamp(ms) {
    return new Date(ms).toISOString().slice(0, 16).replace("T", " ");
  }

  function datasets(spec) {
    return spec.datasets.map(function (d) {
      return {
        label: d.label,
        data: d.data,
        type: d.line ? "line" : undefined,
        yAxisID: d.axis || undefined,
        backgroundColor: d.color,
        borderColor: d.color,
        pointRadius: spec.type === "scatter" ? 4 : 2,
      };
    });
  }

  function diagonal(spec) {
    // "impact = cost": above it an attack pays
    var values = [];
    spec.datasets.forEach(function (d) {
      d.data.forEach(function (p) { values.push(p.x, p.y); });
    });
    if (!values.length) { return null; }
    var lo = Math.min.apply(null, values), hi = Math.max.apply(null, values);
    return {
      label: "impact = cost", type: "line", data: [{ x: lo, y: lo }, { x: hi, y: hi }],
      borderColor: "#555", borderDash: [6, 4], pointRadius: 0, borderWidth: 1,
    };
  }

  function options(spec) {
    var out = {
      responsive: true, maintainAspectRatio: false, animation: false,
      plugins: { legend: { position: "bottom" } },
    };
    if (spec.type === "scatter") {
      var kind = spec.log ? "logarithmic" : "linear";
      // on a log axis only the powers of ten are labelled
      var ticks = { callback: function (v) {
        return !spec.log || Math.abs(Math.log10(v) % 1) < 1e-9 ? usd(v) : "";
      }, autoSkip: false, maxRotation: 0 };
      out.scales = {
        x: { type: kind, title: { display: true, text: spec.xTitle }, ticks: ticks },
        y: { type: kind, title: { display: true, text: spec.yTitle }, ticks: ticks },
      };
      out.plugins.tooltip = { callbacks: { label: function (ctx) {
        var p = ctx.raw;
        return (p.label || "") + ": cost " + usd(p.x) + ", impact " + usd(p.y);
      } } };
    } else if (spec.stacked) {
      out.scales = { x: { stacked: true }, y: { stacked: true, beginAtZero: true } };
    } else {
      out.scales = { y: { beginAtZero: true } };
      if (spec.time) {
        // points spaced by when they were saved: x is ms since the epoch, read in UTC
        out.scales.x = { type: "linear", title: { display: true, text: spec.xTitle },
          ticks: { callback: stamp, maxRotation: 0, autoSkipPadding: 24 } };
        out.plugins.tooltip = { callbacks: { title: function (items) {
          return items.length ? stamp(items[0].parsed.x) : "";
        } } };
      }
      if (spec.yTitle) { out.scales.y.title = { display: true, text: spec.yTitle }; }
      if (spec.y2Title) {
        // a second scale on the right, for a series in other units (dollars)
        out.scales.y2 = { position: "right", beginAtZero: true,
          title: { display: true, text: spec.y2Title },
          ticks: { callback: usd }, grid: { drawOnChartArea: false } };
      }
    }
    return out;
  }

  function draw(canvas) {
    var spec = JSON.parse(document.getElementById(canvas.dataset.chart).textContent);
    var sets = datasets(spec);
    if (spec.type === "scatter") {
      var line = diagonal(spec);
      if (line) { sets.push(line); }
    }
    new window.Chart(canvas, {
      type: spec.type, data: { labels: spec.labels, datasets: sets }, options: options(spec),
    });
  }

  document.querySelectorAll("canvas[data-chart]").forEach(draw);
})();
