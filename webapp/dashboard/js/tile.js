// A tile for a portal page: one view of the dashboard, alone in an iframe (no navigation), its
// parameters in the URL, asked again every `refresh` seconds with the last answer's ETag, so that
// an idle tile costs a 304 (README "Embedding in a portal"). Each poll is one POST /batch.
//   view=tree&job=<tree>: the tree's newest kernel and its builds and boots by status;
//   view=overview&table=trees|per-day|failed-boots: one of the overview's tables.
import {sendBatch, entriesOf, takeTokensFrom, formatDate, failureOf, query, ServiceError, MAX_OPERATIONS} from './api.js';
import {el, showStatus, showError, catchAll, state, dateRangeOf, BUILD_STATUSES, BOOT_STATUSES} from './page.js';
import {TABLES, knownTrees, rememberNewTrees, overviewOperations, readEntries, treesSection, perDayTable,
  failedBootsSection, failuresSection} from './overview-tables.js';
import {countOperations, countChips} from './tree-counts.js';

const DEFAULTS = {view: 'tree', job: '', table: 'trees', days: 5, refresh: 60, parent: ''};
/** Below this many seconds a tile full of portal pages would be a load test; 0 turns polling off. */
const MIN_REFRESH = 10;
const MAX_DAYS = 31;

catchAll();

/** The tree's newest kernel, then its counts by status in the window. */
function treeTile(job, days) {
  const operations = [{method: 'GET', operation_id: 'newest-kernel', collection: 'job',
    query: query([['job', job], ['sort', 'created_on'], ['limit', 1], ['field', 'kernel'], ['field', 'created_on']])},
  ...countOperations(job, dateRangeOf(days), '', '')];
  return {
    operations: () => operations,
    show(entries) {
      const [newest, ...counts] = entries;
      const latest = newest.code === 200 ? newest.result[0] : null;
      const failed = entries.map(failureOf).filter(Boolean);
      const link = el('a', {href: 'tree.html?' + new URLSearchParams({job, days}).toString(), target: '_blank', rel: 'noopener'}, job);
      return [
        el('h1', {id: 'tile-title'}, link),
        el('p', {}, 'Latest kernel ', el('strong', {id: 'kernel'}, latest ? latest.kernel || '' : '—'), ' ',
          el('span', {class: 'when'}, latest ? formatDate(latest.created_on) : '')),
        el('h2', {}, `Builds, last ${days} day${days === 1 ? '' : 's'}`),
        countChips('build-counts', BUILD_STATUSES, counts.slice(0, BUILD_STATUSES.length)),
        el('h2', {}, 'Boots'),
        countChips('boot-counts', BOOT_STATUSES, counts.slice(BUILD_STATUSES.length)),
        failed.length ? el('p', {class: 'error'}, `${failed.length} failed: ${failed.join('; ')}`) : null,
      ].filter(Boolean);
    },
  };
}

/** One of the overview's tables; the trees' table asks again when it finds trees not yet asked for. */
function overviewTile(table, days) {
  return {
    operations: () => overviewOperations(knownTrees(), days, [table]).ops.map((o) => o.op),
    show(entries) {
      const trees = knownTrees();
      const planned = overviewOperations(trees, days, [table]);
      readEntries(planned, entries);
      if (rememberNewTrees(trees, planned.model)) return null;
      const model = planned.model;
      const shown = table === 'trees' ? treesSection(model, days, '_blank')
        : table === 'per-day' ? el('section', {}, el('h2', {}, 'Boots per day'), perDayTable(model, days))
          : failedBootsSection(model);
      return [failuresSection(model), shown].filter(Boolean);
    },
  };
}

/** The tile the URL asks for; a parameter it cannot use is said in the tile. */
function tileOf(view) {
  if (!Number.isInteger(view.days) || view.days < 1 || view.days > MAX_DAYS) {
    throw new Error(`days must be a whole number of days from 1 to ${MAX_DAYS}`);
  }
  if (view.view === 'tree') {
    if (!view.job) throw new Error('No tree given: add job=<tree> to the URL.');
    return treeTile(view.job, view.days);
  }
  if (view.view === 'overview') {
    if (!TABLES.includes(view.table)) throw new Error('table must be one of ' + TABLES.join(', '));
    return overviewTile(view.table, view.days);
  }
  throw new Error('view must be tree or overview');
}

/**
 * The portal page's origin when this tile is framed and the URL names it (parent=<origin>), else
 * null. The browser lets only KCI_FRAME_ANCESTORS frame the tile, and the tile takes a token only
 * from the window that frames it, from that origin: any other message is ignored.
 */
function portalOrigin(given) {
  if (!given) return null;
  let url = null;
  try {
    url = new URL(given);
  } catch (ignored) {
    // said below
  }
  if (!url || url.origin !== given || !['http:', 'https:'].includes(url.protocol)) {
    throw new Error('parent must be an origin, such as https://portal.example.com');
  }
  return window.parent === window ? null : given;
}

/**
 * Takes tokens from the portal page: it answers {type: "kci-token-wanted"} with {type:
 * "kci-token", token}; a token it sends before it is asked serves the first need. A second
 * refused token in a row stops the tile (no endless round of refusals).
 */
function tokensFromPortal(origin) {
  let offered = null;
  let waiting = null;
  let given = 0;
  window.addEventListener('message', (event) => {
    const data = event.data;
    if (!data || data.type !== 'kci-token' || typeof data.token !== 'string' || data.token.trim() === '') return;
    if (event.source !== window.parent || event.origin !== origin) {
      // Said (and counted) for the portal's developer; the origin is the browser's, never the sender's text.
      document.body.dataset.ignoredTokens = String(Number(document.body.dataset.ignoredTokens || 0) + 1);
      console.warn(`kci-batch tile: ignored a token from ${event.origin}: only the framing page at ${origin} is trusted`);
      return;
    }
    if (waiting) {
      waiting(data.token.trim());
      waiting = null;
    } else {
      offered = data.token.trim();
    }
  });
  takeTokensFrom((reason) => {
    if (++given > 2) {
      return Promise.reject(new ServiceError('The service refused the portal page\'s token (403).', 403));
    }
    if (offered) {
      const token = offered;
      offered = null;
      return Promise.resolve(token);
    }
    showStatus('Waiting for the token from ' + origin + '…');
    return new Promise((resolve) => {
      waiting = resolve;
      window.parent.postMessage({type: 'kci-token-wanted', reason}, origin);
    });
  });
  return () => { given = 0; };
}

function time(date) {
  return date.toISOString().slice(11, 19) + ' UTC';
}

const view = state(DEFAULTS);
const refresh = view.refresh === 0 ? 0 : Math.max(MIN_REFRESH, view.refresh);
const main = document.getElementById('tile');
let tile;
let tokenWorked = () => {};
let etag = null;
let changed = null;
let polls = 0;

/** One POST /batch, conditional once the tile has an answer; a 304 leaves the tile as it is. */
async function poll() {
  const operations = tile.operations();
  if (operations.length > MAX_OPERATIONS) {
    throw new Error(`This tile needs ${operations.length} operations, more than one batch takes (${MAX_OPERATIONS}).`);
  }
  const answer = await sendBatch(JSON.stringify({batch: operations}), etag);
  tokenWorked();
  polls++;
  const checked = new Date();
  // What a test or a portal can read: how many polls, and what the last one answered.
  document.body.dataset.polls = String(polls);
  document.body.dataset.lastStatus = String(answer.status);
  if (answer.status !== 304) {
    const shown = tile.show(entriesOf(answer));
    if (shown === null) {
      etag = null;
      return poll();
    }
    main.replaceChildren(...shown);
    etag = answer.headers.get('ETag');
    changed = checked;
  }
  const unchanged = answer.status === 304 ? ' (unchanged)' : '';
  showStatus(`Changed ${time(changed)}, checked ${time(checked)}${unchanged}` + (refresh ? `; every ${refresh} s.` : '.'));
  document.getElementById('status').dataset.changed = changed.toISOString();
}

/** Polls, then again after `refresh` seconds; a tile the browser hides skips its turns. */
async function pollAndRepeat() {
  try {
    if (!document.hidden || polls === 0) await poll();
  } catch (error) {
    showError(error);
    if (error instanceof ServiceError && error.status === 403) return;
  }
  if (refresh) setTimeout(pollAndRepeat, refresh * 1000);
}

try {
  tile = tileOf(view);
  const origin = portalOrigin(view.parent);
  if (origin) tokenWorked = tokensFromPortal(origin);
  pollAndRepeat();
} catch (error) {
  showError(error);
}
