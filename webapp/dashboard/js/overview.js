// The overview: one row per tree (its newest kernel; its builds and boots in the window), boots
// per day, latest failed boots. The whole view is one
// POST /batch; the trees whose counts it asks for are the ones seen last time (or kernelci's).
import {runOperations, countOf, failureOf, idOf, dateOf, formatDate, daysOf, query, MAX_OPERATIONS} from './api.js';
import {el, countCell, showStatus, showError, catchAll, state, saveState, windowPicker, WINDOWS, dateRangeOf,
  BUILD_STATUSES, BOOT_STATUSES, statusName} from './page.js';
import {drawBootsPerDay} from './chart.js';

const DEFAULTS = {days: 5};
/** kernelci's trees: the first view asks for their counts before it has seen any tree. */
const KERNELCI_TREES = ['mainline', 'next', 'stable', 'stable-rc', 'arm-soc', 'linusw', 'broonie-regmap', 'tegra', 'omap', 'renesas'];
const TREES_KEY = 'kci-batch.trees';
const FAILED_BOOTS = 15;

catchAll();
const view = state(DEFAULTS);
if (!WINDOWS.includes(view.days)) view.days = DEFAULTS.days;

function knownTrees() {
  try {
    const stored = JSON.parse(localStorage.getItem(TREES_KEY));
    if (Array.isArray(stored) && stored.every((tree) => typeof tree === 'string')) return stored;
  } catch (ignored) {
    // a damaged list: start again from kernelci's trees
  }
  return KERNELCI_TREES;
}

/** The view's operations, each with a function that reads its entry into the model. */
function operations(trees, days) {
  const ops = [];
  const add = (op, read) => ops.push({op: {method: 'GET', ...op}, read});
  const model = {trees: [], counts: {}, perDay: {}, failed: null, failures: []};
  const range = ['date_range', dateRangeOf(days)];
  add({operation_id: 'trees', collection: 'job',
    query: query([['aggregate', 'job'], ['sort', 'created_on'],
      ['field', 'job'], ['field', 'kernel'], ['field', 'git_branch'], ['field', 'created_on']])},
  (entry) => {
    // Every tree with its newest job; the most recently active first.
    const newest = (doc) => { const date = dateOf(doc.created_on); return date ? date.getTime() : 0; };
    model.trees = entry.code === 200 ? [...entry.result].sort((a, b) => newest(b) - newest(a)) : [];
  });
  for (const tree of trees) {
    for (const [collection, statuses] of [['defconfig', BUILD_STATUSES], ['boot', BOOT_STATUSES]]) {
      for (const status of statuses) {
        add({operation_id: `${tree}:${collection}:${status}`, collection: 'count', document_id: collection,
          query: query([['job', tree], ['status', status], range])},
        (entry) => { model.counts[`${tree}:${collection}:${status}`] = countOf(entry); });
      }
    }
  }
  for (const day of daysOf(dateRangeOf(days))) {
    for (const status of BOOT_STATUSES) {
      add({operation_id: `day:${day}:${status}`, collection: 'count', document_id: 'boot',
        query: query([['created_on', day], ['status', status]])},
      (entry) => { model.perDay[`${day}:${status}`] = countOf(entry); });
    }
  }
  add({operation_id: 'latest-failed-boots', collection: 'boot',
    query: query([['status', 'FAIL'], range, ['sort', 'created_on'], ['limit', FAILED_BOOTS],
      ['field', 'job'], ['field', 'kernel'], ['field', 'board'], ['field', 'lab_name'], ['field', 'arch'],
      ['field', 'defconfig'], ['field', 'boot_result_description'], ['field', 'created_on']])},
  (entry) => { model.failed = entry; });
  return {ops, model};
}

/** Runs the planned operations and reads each entry into the model. */
async function run(planned) {
  const answer = await runOperations(planned.ops.map((o) => o.op));
  answer.entries.forEach((entry, i) => {
    const failure = failureOf(entry);
    if (failure) planned.model.failures.push(`${JSON.stringify(planned.ops[i].op.operation_id)}: ${failure}`);
    planned.ops[i].read(entry);
  });
  return answer;
}

async function load() {
  const main = document.getElementById('overview');
  showStatus('Loading…');
  let trees = knownTrees();
  let planned = operations(trees, view.days);
  let answer = await run(planned);
  let batches = answer.batches;
  let ms = answer.ms;
  const seen = planned.model.trees.map((doc) => doc.job).filter((tree) => typeof tree === 'string');
  const unknown = seen.filter((tree) => !trees.includes(tree));
  if (unknown.length > 0) {
    // Trees this browser had not seen: remember them, and ask once more for their counts.
    trees = [...trees, ...unknown];
    localStorage.setItem(TREES_KEY, JSON.stringify(trees));
    planned = operations(trees, view.days);
    answer = await run(planned);
    batches += answer.batches;
    ms += answer.ms;
  }
  render(main, planned.model, view.days);
  const operationsCount = planned.ops.length;
  showStatus(`This view: ${batches} POST /batch (${operationsCount} operations${operationsCount > MAX_OPERATIONS ? ', more than one batch carries' : ''}), ${Math.round(ms)} ms.`);
}

function render(main, model, days) {
  const rows = model.trees.map((doc) => {
    const tree = doc.job;
    const link = el('a', {href: 'tree.html?' + new URLSearchParams({job: tree, days}).toString(), class: 'tree-link'}, tree);
    const cell = (collection, status) => countCell(model.counts[`${tree}:${collection}:${status}`],
      {'data-metric': `${collection}-${status}`, class: status.toLowerCase()});
    return el('tr', {'data-tree': tree},
      el('th', {scope: 'row'}, link),
      el('td', {'data-metric': 'kernel'}, doc.kernel || ''),
      el('td', {class: 'when'}, formatDate(doc.created_on)),
      BUILD_STATUSES.map((status) => cell('defconfig', status)),
      BOOT_STATUSES.map((status) => cell('boot', status)));
  });
  const trees = el('section', {'aria-labelledby': 'trees-heading'},
    el('h2', {id: 'trees-heading'}, `Trees: builds and boots of the last ${days} day${days === 1 ? '' : 's'}`),
    rows.length === 0 ? el('p', {class: 'empty'}, 'No job yet.') :
      el('div', {class: 'table-wrap'}, el('table', {id: 'trees'},
        el('thead', {},
          el('tr', {}, el('th', {rowspan: 2, scope: 'col'}, 'Tree'), el('th', {rowspan: 2, scope: 'col'}, 'Latest kernel'),
            el('th', {rowspan: 2, scope: 'col'}, 'Latest job'), el('th', {colspan: BUILD_STATUSES.length, scope: 'colgroup'}, 'Builds'),
            el('th', {colspan: BOOT_STATUSES.length, scope: 'colgroup'}, 'Boots')),
          el('tr', {}, [...BUILD_STATUSES, ...BOOT_STATUSES].map((status) => el('th', {scope: 'col', class: 'num'}, statusName(status))))),
        el('tbody', {}, rows))));

  const dayList = daysOf(dateRangeOf(days));
  const perDayRows = dayList.map((day) => el('tr', {'data-day': day}, el('th', {scope: 'row'}, day),
    BOOT_STATUSES.map((status) => countCell(model.perDay[`${day}:${status}`], {'data-status': status}))));
  const canvas = el('canvas', {id: 'boots-chart', role: 'img', 'aria-label': 'Boots per day by status; the table below has the numbers'});
  const chart = el('section', {'aria-labelledby': 'chart-heading'},
    el('h2', {id: 'chart-heading'}, 'Boots per day'),
    el('div', {class: 'chart-box'}, canvas),
    el('details', {},
      el('summary', {}, 'Boots per day as a table'),
      el('div', {class: 'table-wrap'}, el('table', {id: 'per-day'},
        el('thead', {}, el('tr', {}, el('th', {scope: 'col'}, 'Day (UTC)'), BOOT_STATUSES.map((status) => el('th', {scope: 'col', class: 'num'}, statusName(status))))),
        el('tbody', {}, perDayRows)))));

  const failed = model.failed;
  const failedRows = failed && failed.code === 200 ? failed.result.map((boot) => el('tr', {'data-id': idOf(boot._id)},
    el('td', {}, boot.job || ''), el('td', {}, boot.kernel || ''), el('td', {class: 'board'}, boot.board || ''),
    el('td', {}, boot.lab_name || ''), el('td', {}, boot.arch || ''), el('td', {}, boot.defconfig || ''),
    el('td', {}, boot.boot_result_description || ''), el('td', {class: 'when'}, formatDate(boot.created_on)))) : [];
  const latest = el('section', {'aria-labelledby': 'failed-heading'},
    el('h2', {id: 'failed-heading'}, 'Latest failed boots'),
    failed && failed.code !== 200 ? el('p', {class: 'error'}, failureOf(failed)) :
      failedRows.length === 0 ? el('p', {class: 'empty'}, 'No failed boot in this window.') :
        el('div', {class: 'table-wrap'}, el('table', {id: 'failed-boots'},
          el('thead', {}, el('tr', {}, ['Tree', 'Kernel', 'Board', 'Lab', 'Arch', 'Defconfig', 'Result', 'When'].map((name) => el('th', {scope: 'col'}, name)))),
          el('tbody', {}, failedRows))));

  const problems = model.failures.length === 0 ? null :
    el('section', {class: 'error', role: 'alert'}, el('h2', {}, 'Operations that failed'),
      el('ul', {}, model.failures.map((text) => el('li', {}, text))));

  main.replaceChildren(...[problems, trees, chart, latest].filter(Boolean));
  drawBootsPerDay(canvas, dayList, BOOT_STATUSES.map((status) => ({status, counts: dayList.map((day) => model.perDay[`${day}:${status}`] ?? 0)})));
}

document.getElementById('controls').append(windowPicker(view.days, (days) => {
  view.days = days;
  saveState(view, DEFAULTS);
  load().catch(showError);
}));
load().catch(showError);
