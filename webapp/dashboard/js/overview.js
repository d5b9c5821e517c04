// The overview: one row per tree (its newest kernel; its builds and boots in the window), boots
// per day, latest failed boots. The whole view is one
// POST /batch; the trees whose counts it asks for are the ones seen last time (or kernelci's).
import {runOperations, daysOf, MAX_OPERATIONS} from './api.js';
import {el, showStatus, showError, catchAll, state, saveState, windowPicker, WINDOWS, dateRangeOf, BOOT_STATUSES} from './page.js';
import {knownTrees, rememberNewTrees, overviewOperations, readEntries, treesSection, perDayTable, failedBootsSection,
  failuresSection} from './overview-tables.js';
import {drawBootsPerDay} from './chart.js';

const DEFAULTS = {days: 5};

catchAll();
const view = state(DEFAULTS);
if (!WINDOWS.includes(view.days)) view.days = DEFAULTS.days;

/** Runs the planned operations and reads each entry into the model. */
async function run(planned) {
  const answer = await runOperations(planned.ops.map((o) => o.op));
  readEntries(planned, answer.entries);
  return answer;
}

async function load() {
  const main = document.getElementById('overview');
  showStatus('Loading…');
  const trees = knownTrees();
  let planned = overviewOperations(trees, view.days);
  let answer = await run(planned);
  let batches = answer.batches;
  let ms = answer.ms;
  if (rememberNewTrees(trees, planned.model)) {
    // Trees this browser had not seen: ask once more, for their counts too.
    planned = overviewOperations(knownTrees(), view.days);
    answer = await run(planned);
    batches += answer.batches;
    ms += answer.ms;
  }
  render(main, planned.model, view.days);
  const operationsCount = planned.ops.length;
  showStatus(`This view: ${batches} POST /batch (${operationsCount} operations${operationsCount > MAX_OPERATIONS ? ', more than one batch carries' : ''}), ${Math.round(ms)} ms.`);
}

function render(main, model, days) {
  const dayList = daysOf(dateRangeOf(days));
  const canvas = el('canvas', {id: 'boots-chart', role: 'img', 'aria-label': 'Boots per day by status; the table below has the numbers'});
  const chart = el('section', {'aria-labelledby': 'chart-heading'},
    el('h2', {id: 'chart-heading'}, 'Boots per day'),
    el('div', {class: 'chart-box'}, canvas),
    el('details', {},
      el('summary', {}, 'Boots per day as a table'),
      perDayTable(model, days)));
  main.replaceChildren(...[failuresSection(model), treesSection(model, days), chart, failedBootsSection(model)].filter(Boolean));
  drawBootsPerDay(canvas, dayList, BOOT_STATUSES.map((status) => ({status, counts: dayList.map((day) => model.perDay[`${day}:${status}`] ?? 0)})));
}

document.getElementById('controls').append(windowPicker(view.days, (days) => {
  view.days = days;
  saveState(view, DEFAULTS);
  load().catch(showError);
}));
load().catch(showError);
