// The boots-per-day chart, drawn by Chart.js (the WebJar's chart.umd.js, a classic script that
// the page loads before its modules and that defines window.Chart).

const COLOURS = {PASS: '#2e7d32', FAIL: '#c62828', OFFLINE: '#757575', UNTRIED: '#f9a825'};
let current = null;

export function drawBootsPerDay(canvas, days, series) {
  if (current) current.destroy();
  if (typeof window.Chart !== 'function') {
    canvas.replaceWith(document.createTextNode('The chart library did not load; the table below has the numbers.'));
    return;
  }
  current = new window.Chart(canvas, {
    type: 'bar',
    data: {
      labels: days,
      datasets: series.map(({status, counts}) => ({label: status, data: counts, backgroundColor: COLOURS[status] || '#1565c0'})),
    },
    options: {
      animation: false,
      responsive: true,
      maintainAspectRatio: false,
      scales: {x: {stacked: true}, y: {stacked: true, beginAtZero: true, ticks: {precision: 0}}},
      plugins: {legend: {position: 'bottom'}},
    },
  });
}
