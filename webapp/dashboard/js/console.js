// The batch console: any body the user writes goes to POST /batch as written; the answer is
// shown entry by entry, in either shape (kernelci: {"result": [{code, ...}]}; Appery.io: a bare
// array of {"success": ...} or {"error": {code, description}}).
import {sendBatch, idOf, BATCH_URL, ServiceError} from './api.js';
import {el, showStatus, showError, catchAll} from './page.js';

catchAll();
const body = document.getElementById('batch-body');
const example = document.getElementById('example');
const BODY_KEY = 'kci-batch.console';

body.value = sessionStorage.getItem(BODY_KEY) || '{\n "batch": [\n  {"method": "GET", "operation_id": "boots", "collection": "count", "document_id": "boot"}\n ]\n}';
body.addEventListener('input', () => {
  sessionStorage.setItem(BODY_KEY, body.value);
  showCurl();
});

/** The id of the newest boot, for the examples' BOOT_ID placeholder; null when there is none. */
async function newestBootId() {
  const answer = await sendBatch(JSON.stringify({batch: [{method: 'GET', operation_id: 'newest-boot', collection: 'boot',
    query: 'sort=created_on&limit=1&field=_id'}]}));
  const entry = answer.json && Array.isArray(answer.json.result) ? answer.json.result[0] : null;
  return entry && entry.code === 200 && entry.result[0] ? idOf(entry.result[0]._id) : null;
}

example.addEventListener('change', async () => {
  if (!example.value) return;
  try {
    const response = await fetch('examples/' + example.value, {cache: 'no-store'});
    if (!response.ok) throw new ServiceError('The example ' + example.value + ' answered ' + response.status, response.status);
    let text = await response.text();
    if (text.includes('BOOT_ID')) {
      const id = await newestBootId();
      if (id) {
        text = text.replaceAll('BOOT_ID', id);
        showStatus('Example loaded; BOOT_ID is the newest boot, ' + id + '.');
      } else {
        showStatus('Example loaded; no boot found to stand for BOOT_ID: replace it by hand.');
      }
    } else {
      showStatus('Example loaded.');
    }
    body.value = text;
    sessionStorage.setItem(BODY_KEY, text);
    showCurl();
  } catch (error) {
    showError(error);
  }
});

function pretty(value) {
  return JSON.stringify(value, null, 1);
}

/** One row per entry: its position, operation_id, code, and its result or reason. */
function entryRows(json) {
  if (Array.isArray(json)) {
    return json.map((entry, i) => {
      const failed = entry && typeof entry === 'object' && entry.error;
      const code = failed ? String(entry.error.code) : entry && 'success' in entry ? 'success' : '?';
      const detail = failed ? entry.error.description : entry && 'success' in entry ? entry.success : entry;
      return [i, '', code, detail, !failed];
    });
  }
  if (json && Array.isArray(json.result)) {
    return json.result.map((entry, i) => {
      const {operation_id: id, code, ...rest} = entry;
      const ok = code === 200;
      return [i, id === undefined ? '' : JSON.stringify(id), String(code), ok ? rest : entry.reason, ok];
    });
  }
  return [];
}

/** A line for an entry's result: its count, or how many documents of how many it holds. */
function summarize(detail) {
  if (!detail || typeof detail !== 'object') return JSON.stringify(detail);
  const docs = Array.isArray(detail.result) ? detail.result : null;
  if (docs && docs.length === 1 && typeof docs[0].count === 'number' && !('_id' in docs[0])) {
    const named = docs[0].collection || docs[0].resource || docs[0].field || '';
    return `count ${docs[0].count}${named ? ' (' + named + ')' : ''}`;
  }
  if (docs && Array.isArray(docs) && docs.every((doc) => doc && typeof doc.count === 'number' && !('_id' in doc))) {
    return docs.map((doc) => `${doc.collection || doc.resource}: ${doc.count}`).join(', ');
  }
  if (docs) {
    return `${docs.length} document${docs.length === 1 ? '' : 's'}` +
      (typeof detail.count === 'number' ? ` of ${detail.count} (skip ${detail.skip ?? 0}, limit ${detail.limit ?? '-'})` : '');
  }
  return '_id' in detail ? 'document ' + idOf(detail._id) : 'JSON';
}

function showAnswer(answer) {
  const section = document.getElementById('answer');
  section.hidden = false;
  const errors = answer.headers.get('X-Batch-Errors');
  const rows = entryRows(answer.json);
  document.getElementById('answer-summary').textContent = `HTTP ${answer.status} · ${Math.round(answer.ms)} ms · ` +
    `${rows.length} entr${rows.length === 1 ? 'y' : 'ies'}` + (errors ? ` · X-Batch-Errors: ${errors}` : '') +
    (answer.json && !Array.isArray(answer.json) && answer.json.reason ? ` · ${answer.json.reason}` : '');
  document.querySelector('#entries tbody').replaceChildren(...rows.map(([i, id, code, detail, ok]) =>
    el('tr', {class: ok ? 'ok' : 'failed', 'data-code': code},
      el('td', {class: 'num'}, String(i)), el('td', {class: 'mono'}, id),
      el('td', {class: 'code'}, code),
      el('td', {}, typeof detail === 'string' ? detail :
        el('details', {}, el('summary', {}, summarize(detail)), el('pre', {class: 'entry'}, pretty(detail)))))));
  document.getElementById('answer-body').textContent = answer.json === undefined ? answer.text : pretty(answer.json);
}

async function run() {
  const text = body.value;
  sessionStorage.setItem(BODY_KEY, text);
  showStatus('Running…');
  const answer = await sendBatch(text);
  showAnswer(answer);
  showStatus(`Answered ${answer.status} in ${Math.round(answer.ms)} ms.`);
}

/** The request as a shell command; the token stays a variable, so it never lands in a clipboard. */
export function curlCommand(url, text) {
  const quoted = "'" + text.replaceAll("'", "'\\''") + "'";
  return `curl -sS -X POST -H 'Content-Type: application/json' -H "Authorization: $KCI_TOKEN" \\\n  --data-binary ${quoted} \\\n  '${url}'`;
}

document.getElementById('console-form').addEventListener('submit', (event) => {
  event.preventDefault();
  run().catch(showError);
});
body.addEventListener('keydown', (event) => {
  if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
    event.preventDefault();
    run().catch(showError);
  }
});
/**
 * Writes the "As curl" box from the body as it is now, on every edit (Copy as curl shows the box).
 * A body that does not parse gets no command but a message that says why: the service would
 * refuse it (422), and a command from an earlier body would be a lie. Returns the command or null.
 */
function showCurl() {
  const area = document.getElementById('curl');
  const problem = document.getElementById('curl-problem');
  try {
    JSON.parse(body.value);
  } catch (error) {
    area.value = '';
    area.hidden = true;
    problem.textContent = 'The body is not JSON (' + error.message + '): no curl command until it parses.';
    problem.hidden = false;
    return null;
  }
  problem.hidden = true;
  area.hidden = false;
  area.value = curlCommand(BATCH_URL, body.value);
  return area.value;
}

document.getElementById('copy-curl').addEventListener('click', async () => {
  document.getElementById('curl-box').hidden = false;
  const command = showCurl();
  if (command === null) {
    showStatus('Nothing copied: the body is not JSON.');
    return;
  }
  document.getElementById('curl').select();
  try {
    await navigator.clipboard.writeText(command);
    showStatus('curl command copied.');
  } catch (ignored) {
    showStatus('Select the curl command below and copy it (this page may not write the clipboard).');
  }
});
