// A tree's counts by status in a window, shared by the tree's page and its tile: the operations,
// and the chips that show them.
import {countOf, query} from './api.js';
import {el, BUILD_STATUSES, BOOT_STATUSES, statusName} from './page.js';

/** Its builds by status (of an arch, or all), then its boots by status (of a lab, or all). */
export function countOperations(job, dateRange, arch, lab) {
  const tree = ['job', job];
  const range = ['date_range', dateRange];
  return [
    ...BUILD_STATUSES.map((status) => ({method: 'GET', operation_id: `builds:${status}`, collection: 'count', document_id: 'defconfig',
      query: query([tree, range, ['arch', arch], ['status', status]])})),
    ...BOOT_STATUSES.map((status) => ({method: 'GET', operation_id: `boots:${status}`, collection: 'count', document_id: 'boot',
      query: query([tree, range, ['lab_name', lab], ['status', status]])})),
  ];
}

/** One chip per status with its count (a dash when its operation failed). */
export function countChips(id, statuses, entries) {
  return el('p', {class: 'summary', id}, statuses.map((status, i) =>
    el('span', {class: 'chip ' + status.toLowerCase(), 'data-status': status}, `${statusName(status)} `,
      el('strong', {}, countOf(entries[i]) ?? '—'))));
}
