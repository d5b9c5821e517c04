// The overview's operations and tables, shared by the overview page and its tiles: the trees
// (each tree's newest job, its builds and boots in the window), boots per day, latest failed boots.
import {countOf, failureOf, idOf, dateOf, formatDate, daysOf, query} from './api.js';
import {el, countCell, dateRangeOf, BUILD_STATUSES, BOOT_STATUSES, statusName} from './page.js';

/** kernelci's trees: the first view asks for their counts before it has seen any tree. */
const KERNELCI_TREES = ['mainline', 'next', 'stable', 'stable-rc', 'arm-soc', 'linusw', 'broonie-regmap', 'tegra', 'omap', 'renesas'];
const TREES_KEY = 'kci-batch.trees';
const FAILED_BOOTS = 15;
/** The overview's tables, in its order. */
export const TABLES = ['trees', 'per-day', 'failed-boots'];

/** The trees this browser has seen (kernelci's before it saw any): the trees' counts ask for these. */
export function knownTrees() {
  try {
    const stored = JSON.parse(localStorage.getItem(TREES_KEY));
    if (Array.isArray(stored) && stored.every((tree) => typeof tree === 'string')) return stored;
  } catch (ignored) {
    // a damaged list: start again from kernelci's trees
  }
  return KERNELCI_TREES;
}

/**
 * The trees of the answer this browser had not seen, remembered from now on; the counts of a
 * tree not asked for are missing, so a view that finds some asks again.
 */
export function rememberNewTrees(trees, model) {
  const seen = model.trees.map((doc) => doc.job).filter((tree) => typeof tree === 'string');
  const unknown = seen.filter((tree) => !trees.includes(tree));
  if (unknown.length > 0) localStorage.setItem(TREES_KEY, JSON.stringify([...trees, ...unknown]));
  return unknown.length > 0;
}

/**
 * The operations of these tables, each with a function that reads its entry into the model;
 * the trees' counts are those of the given trees.
 */
export function overviewOperations(trees, days, tables = TABLES) {
  const ops = [];
  const add = (op, read) => ops.push({op: {method: 'GET', ...op}, read});
  const model = {trees: [], counts: {}, perDay: {}, failed: null, failures: []};
  const range = ['date_range', dateRangeOf(days)];
  if (tables.includes('trees')) {
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
  }
  if (tables.includes('per-day')) {
    for (const day of daysOf(dateRangeOf(days))) {
      for (const status of BOOT_STATUSES) {
        add({operation_id: `day:${day}:${status}`, collection: 'count', document_id: 'boot',
          query: query([['created_on', day], ['status', status]])},
        (entry) => { model.perDay[`${day}:${status}`] = countOf(entry); });
      }
    }
  }
  if (tables.includes('failed-boots')) {
    add({operation_id: 'latest-failed-boots', collection: 'boot',
      query: query([['status', 'FAIL'], range, ['sort', 'created_on'], ['limit', FAILED_BOOTS],
        ['field', 'job'], ['field', 'kernel'], ['field', 'board'], ['field', 'lab_name'], ['field', 'arch'],
        ['field', 'defconfig'], ['field', 'boot_result_description'], ['field', 'created_on']])},
    (entry) => { model.failed = entry; });
  }
  return {ops, model};
}

/** Reads each entry of an answer into the planned model; a failed entry is listed by its operation. */
export function readEntries(planned, entries) {
  entries.forEach((entry, i) => {
    const failure = failureOf(entry);
    if (failure) planned.model.failures.push(`${JSON.stringify(planned.ops[i].op.operation_id)}: ${failure}`);
    planned.ops[i].read(entry);
  });
}

/** The trees' table; `linkTarget` is where a tree's link opens (a tile opens the dashboard in a new tab). */
export function treesSection(model, days, linkTarget) {
  const rows = model.trees.map((doc) => {
    const tree = doc.job;
    const link = el('a', {href: 'tree.html?' + new URLSearchParams({job: tree, days}).toString(), class: 'tree-link',
      target: linkTarget, rel: linkTarget ? 'noopener' : null}, tree);
    const cell = (collection, status) => countCell(model.counts[`${tree}:${collection}:${status}`],
      {'data-metric': `${collection}-${status}`, class: status.toLowerCase()});
    return el('tr', {'data-tree': tree},
      el('th', {scope: 'row'}, link),
      el('td', {'data-metric': 'kernel'}, doc.kernel || ''),
      el('td', {class: 'when'}, formatDate(doc.created_on)),
      BUILD_STATUSES.map((status) => cell('defconfig', status)),
      BOOT_STATUSES.map((status) => cell('boot', status)));
  });
  return el('section', {'aria-labelledby': 'trees-heading'},
    el('h2', {id: 'trees-heading'}, `Trees: builds and boots of the last ${days} day${days === 1 ? '' : 's'}`),
    rows.length === 0 ? el('p', {class: 'empty'}, 'No job yet.') :
      el('div', {class: 'table-wrap'}, el('table', {id: 'trees'},
        el('thead', {},
          el('tr', {}, el('th', {rowspan: 2, scope: 'col'}, 'Tree'), el('th', {rowspan: 2, scope: 'col'}, 'Latest kernel'),
            el('th', {rowspan: 2, scope: 'col'}, 'Latest job'), el('th', {colspan: BUILD_STATUSES.length, scope: 'colgroup'}, 'Builds'),
            el('th', {colspan: BOOT_STATUSES.length, scope: 'colgroup'}, 'Boots')),
          el('tr', {}, [...BUILD_STATUSES, ...BOOT_STATUSES].map((status) => el('th', {scope: 'col', class: 'num'}, statusName(status))))),
        el('tbody', {}, rows))));
}

/** Boots per day by status, one row per day of the window. */
export function perDayTable(model, days) {
  const rows = daysOf(dateRangeOf(days)).map((day) => el('tr', {'data-day': day}, el('th', {scope: 'row'}, day),
    BOOT_STATUSES.map((status) => countCell(model.perDay[`${day}:${status}`], {'data-status': status}))));
  return el('div', {class: 'table-wrap'}, el('table', {id: 'per-day'},
    el('thead', {}, el('tr', {}, el('th', {scope: 'col'}, 'Day (UTC)'), BOOT_STATUSES.map((status) => el('th', {scope: 'col', class: 'num'}, statusName(status))))),
    el('tbody', {}, rows)));
}

export function failedBootsSection(model) {
  const failed = model.failed;
  const rows = failed && failed.code === 200 ? failed.result.map((boot) => el('tr', {'data-id': idOf(boot._id)},
    el('td', {}, boot.job || ''), el('td', {}, boot.kernel || ''), el('td', {class: 'board'}, boot.board || ''),
    el('td', {}, boot.lab_name || ''), el('td', {}, boot.arch || ''), el('td', {}, boot.defconfig || ''),
    el('td', {}, boot.boot_result_description || ''), el('td', {class: 'when'}, formatDate(boot.created_on)))) : [];
  return el('section', {'aria-labelledby': 'failed-heading'},
    el('h2', {id: 'failed-heading'}, 'Latest failed boots'),
    failed && failed.code !== 200 ? el('p', {class: 'error'}, failureOf(failed)) :
      rows.length === 0 ? el('p', {class: 'empty'}, 'No failed boot in this window.') :
        el('div', {class: 'table-wrap'}, el('table', {id: 'failed-boots'},
          el('thead', {}, el('tr', {}, ['Tree', 'Kernel', 'Board', 'Lab', 'Arch', 'Defconfig', 'Result', 'When'].map((name) => el('th', {scope: 'col'}, name)))),
          el('tbody', {}, rows))));
}

/** The operations that failed, or null. */
export function failuresSection(model) {
  return model.failures.length === 0 ? null :
    el('section', {class: 'error', role: 'alert'}, el('h2', {}, 'Operations that failed'),
      el('ul', {}, model.failures.map((text) => el('li', {}, text))));
}
