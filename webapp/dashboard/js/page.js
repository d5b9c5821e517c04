// What every page shares: building elements (text only, never HTML), the status line, errors.

/**
 * An element with attributes and children; strings become text nodes, so a document's text is
 * always text (a board named "<img src=x onerror=...>" stays those characters).
 */
export function el(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === null || value === false) continue;
    if (name === 'class') element.className = value;
    else if (name === 'text') element.textContent = String(value);
    else if (name.startsWith('on')) element.addEventListener(name.slice(2), value);
    else element.setAttribute(name, value === true ? '' : String(value));
  }
  for (const child of children.flat()) {
    if (child === undefined || child === null) continue;
    element.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return element;
}

/** A number cell: the count, or a marked gap when its operation failed. */
export function countCell(count, attributes = {}) {
  const classes = ['num', attributes.class, count === 0 ? 'zero' : null].filter(Boolean).join(' ');
  return el('td', {...attributes, class: classes}, count === null || count === undefined ? '—' : String(count));
}

/** The page's message area: a status line, or an error that stays visible. */
export function showStatus(text) {
  const status = document.getElementById('status');
  status.className = 'status';
  status.textContent = text;
}

export function showError(error) {
  const status = document.getElementById('status');
  status.className = 'status error';
  status.setAttribute('role', 'alert');
  status.textContent = 'Error: ' + (error && error.message ? error.message : String(error));
}

/** An error anywhere ends in the page, never as a blank page. */
export function catchAll() {
  window.addEventListener('error', (event) => showError(event.error || event.message));
  window.addEventListener('unhandledrejection', (event) => showError(event.reason));
}

/** The page's state, kept in its URL's query string (never the token). */
export function state(defaults) {
  const params = new URLSearchParams(location.search);
  const values = {};
  for (const [key, value] of Object.entries(defaults)) {
    const given = params.get(key);
    values[key] = given === null ? value : typeof value === 'number' ? Number(given) || 0 : given;
  }
  return values;
}

export function saveState(values, defaults) {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(values)) {
    if (value !== defaults[key] && value !== '' && value !== null) params.set(key, value);
  }
  const search = params.toString();
  history.replaceState(null, '', search ? '?' + search : location.pathname);
}

/** "Previous / rows a–b of n / Next" for one list; `go(skip)` shows another page. */
export function pager(id, count, skip, limit, go) {
  const last = Math.min(skip + limit, count);
  return el('nav', {class: 'pager', 'aria-label': id + ' pages', id: id + '-pager'},
    el('button', {type: 'button', id: id + '-prev', disabled: skip === 0, onclick: () => go(Math.max(0, skip - limit))}, '← Previous'),
    el('span', {id: id + '-range'}, count === 0 ? 'none' : `${skip + 1}–${last} of ${count}`),
    el('button', {type: 'button', id: id + '-next', disabled: last >= count, onclick: () => go(skip + limit)}, 'Next →'));
}

/** The window choices of the overview and the tree pages: the last N UTC days, today included. */
export const WINDOWS = [1, 5, 14];

/**
 * The date_range of a window of N days: date_range=N reaches N days back from today's 00:00 UTC,
 * so it covers N + 1 days (CONTRACT section 2, as the original computed it).
 */
export function dateRangeOf(days) {
  return days - 1;
}

/**
 * The statuses both pages count, in ascending order (failures first, as the lists sort); the
 * overview and the tree page name each as its lower case, so their numbers read the same.
 */
export const BUILD_STATUSES = ['FAIL', 'PASS', 'UNKNOWN'];
export const BOOT_STATUSES = ['FAIL', 'OFFLINE', 'PASS', 'UNTRIED'];

export function statusName(status) {
  return status.toLowerCase();
}

export function windowPicker(current, choose) {
  const select = el('select', {id: 'window', onchange: (event) => choose(Number(event.target.value))},
    WINDOWS.map((days) => el('option', {value: days, selected: days === current}, `last ${days} day${days === 1 ? '' : 's'}`)));
  return el('label', {class: 'window'}, 'Window: ', select);
}
