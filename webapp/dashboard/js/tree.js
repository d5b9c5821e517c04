// A tree's page: its kernels, builds (by arch and status), boots (by lab and board), failures
// first, each list paged. Every change of the view (window, filter, page) is one POST /batch.
import {runOperations, failureOf, idOf, formatDate, query} from './api.js';
import {el, showStatus, showError, catchAll, state, saveState, windowPicker, pager, WINDOWS, dateRangeOf,
  BUILD_STATUSES, BOOT_STATUSES} from './page.js';
import {countOperations, countChips} from './tree-counts.js';

const DEFAULTS = {job: '', days: 5, arch: '', lab: '', kernels: 0, builds: 0, boots: 0};
const PAGE = {kernels: 10, builds: 20, boots: 20};

catchAll();
const view = state(DEFAULTS);
if (!WINDOWS.includes(view.days)) view.days = DEFAULTS.days;

function operations() {
  const ops = [];
  const range = ['date_range', dateRangeOf(view.days)];
  const tree = ['job', view.job];
  const fields = (...names) => names.map((name) => ['field', name]);
  const list = (id, collection, pairs) => ops.push({method: 'GET', operation_id: id, collection, query: query(pairs)});
  // The kernels, builds and boots of the window, kernels newest first.
  list('kernels', 'job', [tree, range, ['sort', 'created_on'], ...fields('kernel', 'status', 'git_branch', 'git_commit', 'created_on'),
    ['limit', PAGE.kernels], ['skip', view.kernels]]);
  list('arches', 'defconfig', [tree, range, ['aggregate', 'arch'], ...fields('arch')]);
  list('labs', 'boot', [tree, range, ['aggregate', 'lab_name'], ...fields('lab_name')]);
  // Ascending status puts FAIL first (FAIL < OFFLINE < PASS < UNKNOWN/UNTRIED).
  list('builds', 'defconfig', [tree, range, ['arch', view.arch], ['sort', 'status'], ['sort', 'arch'], ['sort', 'defconfig'],
    ['sort_order', 1], ...fields('kernel', 'arch', 'defconfig', 'status', 'created_on'), ['limit', PAGE.builds], ['skip', view.builds]]);
  list('boots', 'boot', [tree, range, ['lab_name', view.lab], ['sort', 'status'], ['sort', 'lab_name'], ['sort', 'board'],
    ['sort_order', 1], ...fields('kernel', 'lab_name', 'board', 'arch', 'defconfig', 'status', 'boot_result_description', 'created_on'),
    ['limit', PAGE.boots], ['skip', view.boots]]);
  ops.push(...countOperations(view.job, dateRangeOf(view.days), view.arch, view.lab));
  return ops;
}

function change(values) {
  Object.assign(view, values);
  saveState(view, DEFAULTS);
  load().catch(showError);
}

function listSection(id, title, entry, columns, row, extra) {
  const body = entry.code !== 200 ? el('p', {class: 'error'}, failureOf(entry)) :
    entry.result.length === 0 ? el('p', {class: 'empty'}, 'None.') :
      el('div', {class: 'table-wrap'}, el('table', {id},
        el('thead', {}, el('tr', {}, columns.map((name) => el('th', {scope: 'col'}, name)))),
        el('tbody', {}, entry.result.map(row))));
  return el('section', {'aria-labelledby': id + '-heading'},
    el('div', {class: 'title-row'}, el('h2', {id: id + '-heading'}, title), extra),
    body,
    entry.code === 200 ? pager(id, entry.count, entry.skip, PAGE[id], (skip) => change({[id]: skip})) : null);
}

function statusCell(status) {
  return el('td', {class: 'status-cell ' + String(status || '').toLowerCase()}, status || '');
}

function filter(id, label, entry, field, current, key) {
  const values = entry.code === 200 ? entry.result.map((doc) => doc[field]).filter((value) => typeof value === 'string') : [];
  return el('label', {class: 'filter'}, label + ' ',
    el('select', {id, onchange: (event) => change({[key]: event.target.value, [id === 'arch-filter' ? 'builds' : 'boots']: 0})},
      el('option', {value: ''}, 'all'),
      values.map((value) => el('option', {value, selected: value === current}, value))));
}

async function load() {
  if (!view.job) {
    throw new Error('No tree given: open a tree from the overview.');
  }
  document.getElementById('tree-title').textContent = view.job;
  document.title = view.job + ' · kci-batch';
  showStatus('Loading…');
  const ops = operations();
  const {entries, batches, ms} = await runOperations(ops);
  const [kernels, arches, labs, builds, boots] = entries;
  const buildCounts = entries.slice(5, 5 + BUILD_STATUSES.length);
  const bootCounts = entries.slice(5 + BUILD_STATUSES.length);
  const main = document.getElementById('tree');
  main.replaceChildren(
    listSection('kernels', 'Kernels, newest first', kernels, ['Kernel', 'Job status', 'Branch', 'Commit', 'When'], (job) => el('tr', {'data-id': idOf(job._id)},
      el('td', {}, job.kernel || ''), statusCell(job.status), el('td', {}, job.git_branch || ''),
      el('td', {class: 'mono'}, (job.git_commit || '').slice(0, 12)), el('td', {class: 'when'}, formatDate(job.created_on)))),
    listSection('builds', 'Builds by arch and status', builds, ['Status', 'Arch', 'Defconfig', 'Kernel', 'When'], (build) => el('tr', {'data-id': idOf(build._id)},
      statusCell(build.status), el('td', {}, build.arch || ''), el('td', {}, build.defconfig || ''), el('td', {}, build.kernel || ''),
      el('td', {class: 'when'}, formatDate(build.created_on))),
    el('div', {class: 'filters'}, filter('arch-filter', 'Arch', arches, 'arch', view.arch, 'arch'), countChips('build-counts', BUILD_STATUSES, buildCounts))),
    listSection('boots', 'Boots by lab and board', boots, ['Status', 'Lab', 'Board', 'Arch', 'Defconfig', 'Result', 'When'], (boot) => el('tr', {'data-id': idOf(boot._id)},
      statusCell(boot.status), el('td', {}, boot.lab_name || ''), el('td', {class: 'board'}, boot.board || ''), el('td', {}, boot.arch || ''),
      el('td', {}, boot.defconfig || ''), el('td', {}, boot.boot_result_description || ''), el('td', {class: 'when'}, formatDate(boot.created_on))),
    el('div', {class: 'filters'}, filter('lab-filter', 'Lab', labs, 'lab_name', view.lab, 'lab'), countChips('boot-counts', BOOT_STATUSES, bootCounts))));
  const failed = entries.map(failureOf).filter(Boolean);
  showStatus(`This view: ${batches} POST /batch (${ops.length} operations), ${Math.round(ms)} ms.` +
    (failed.length ? ` ${failed.length} failed: ${failed.join('; ')}` : ''));
  document.getElementById('back').href = 'index.html?' + new URLSearchParams({days: view.days}).toString();
}

document.getElementById('controls').append(windowPicker(view.days, (days) => change({days, kernels: 0, builds: 0, boots: 0})));
load().catch(showError);
