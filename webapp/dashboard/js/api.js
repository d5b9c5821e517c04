// The service as the pages see it: the token, POST /batch, and the wire format's values.
// Every URL is relative, so the pages work under any context path (/, /kci, ...).

const TOKEN_KEY = 'kci-batch.token';
/** The service's default limit of operations per batch (KCI_MAX_OPERATIONS). */
export const MAX_OPERATIONS = 1000;
export const BATCH_URL = new URL('../batch', document.baseURI).href;
const WHOAMI_URL = new URL('../whoami', document.baseURI).href;

/**
 * The user the servlet container signed in (KCI_AUTH=container), or null: then the pages use a
 * token. Asked once per page, with the container's session cookie and no token; anything but a
 * 200 for a container user (403: nobody signed in; 404: a service without /whoami) means tokens.
 */
export const containerUser = fetch(WHOAMI_URL, {credentials: 'same-origin', cache: 'no-store', headers: {'Accept': 'application/json'}})
  .then(async (response) => {
    const who = response.status === 200 ? (await response.json()).result?.[0] : null;
    return who && who.auth === 'container' && typeof who.user === 'string' ? who.user : null;
  })
  .catch(() => null);

containerUser.then((user) => {
  const slot = document.getElementById('signed-in');
  if (user && slot) {
    slot.textContent = 'signed in as ' + user;
    slot.hidden = false;
  }
});

/** An id as the wire renders it: {"$oid": "<hex>"} (CONTRACT section 1) or a plain string. */
export function idOf(value) {
  if (value !== null && typeof value === 'object' && typeof value.$oid === 'string') {
    return value.$oid;
  }
  return typeof value === 'string' ? value : '';
}

/** A timestamp as the wire renders it: {"$date": ms}, or ms. Returns a Date or null. */
export function dateOf(value) {
  const ms = value !== null && typeof value === 'object' ? value.$date : value;
  return typeof ms === 'number' ? new Date(ms) : null;
}

/** "2026-12-01 14:03 UTC" */
export function formatDate(value) {
  const date = dateOf(value);
  return date ? date.toISOString().slice(0, 16).replace('T', ' ') + ' UTC' : '';
}

/** The UTC days a date_range=N covers, oldest first, as YYYY-MM-DD (CONTRACT section 2). */
export function daysOf(dateRange, today = new Date()) {
  const days = [];
  for (let back = dateRange; back >= 0; back--) {
    const day = new Date(Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate() - back));
    days.push(day.toISOString().slice(0, 10));
  }
  return days;
}

/** Query strings from [key, value] pairs, encoded as the service decodes them. */
export function query(pairs) {
  return pairs.filter(([, value]) => value !== undefined && value !== null && value !== '')
    .map(([key, value]) => encodeURIComponent(key) + '=' + encodeURIComponent(value)).join('&');
}

export class ServiceError extends Error {
  constructor(message, status) {
    super(message);
    this.status = status;
  }
}

function storedToken() {
  return sessionStorage.getItem(TOKEN_KEY);
}

/**
 * Asks for the token in a modal dialog. Resolves with the token; rejects when the user cancels.
 */
export function askToken(reason) {
  return new Promise((resolve, reject) => {
    const dialog = document.createElement('dialog');
    dialog.className = 'token-dialog';
    dialog.id = 'token-dialog';
    const form = document.createElement('form');
    form.method = 'dialog';
    const heading = document.createElement('h2');
    heading.textContent = 'Token';
    const why = document.createElement('p');
    why.id = 'token-reason';
    why.textContent = reason;
    const label = document.createElement('label');
    label.htmlFor = 'token-input';
    label.textContent = 'API token (kept in this tab only)';
    const input = document.createElement('input');
    input.id = 'token-input';
    input.type = 'password';
    input.autocomplete = 'off';
    input.required = true;
    const buttons = document.createElement('div');
    buttons.className = 'buttons';
    const ok = document.createElement('button');
    ok.type = 'submit';
    ok.id = 'token-submit';
    ok.textContent = 'Use token';
    const cancel = document.createElement('button');
    cancel.type = 'button';
    cancel.textContent = 'Cancel';
    buttons.append(ok, cancel);
    form.append(heading, why, label, input, buttons);
    dialog.append(form);
    document.body.append(dialog);
    let settled = false;
    const finish = (token) => {
      if (settled) return;
      settled = true;
      dialog.remove();
      if (token) {
        resolve(token);
      } else {
        reject(new ServiceError('No token: the service answers only with a token. Reload the page to enter one.', 403));
      }
    };
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      const token = input.value.trim();
      if (token) finish(token);
    });
    cancel.addEventListener('click', () => finish(null));
    dialog.addEventListener('cancel', (event) => {
      event.preventDefault();
      finish(null);
    });
    dialog.showModal();
    input.focus();
  });
}

let tokenSource = askToken;

/**
 * Where a missing or refused token comes from: the dialog, unless the page says otherwise (a
 * tile takes it from its portal page). `source(reason)` resolves with a token.
 */
export function takeTokensFrom(source) {
  tokenSource = source;
}

/**
 * POSTs a body (any text) to /batch: with the container's session when it signed someone in,
 * else with the token (kept in sessionStorage only: never in a URL or a cookie), and a 403
 * forgets the token and asks again. With an ETag, asks If-None-Match: a 304 then means the
 * answer is the one that ETag tagged. Resolves with {status, headers, text, json (or
 * undefined), ms}: ms is the whole round trip.
 */
export async function sendBatch(body, etag) {
  const user = await containerUser;
  let token = user ? null : storedToken() || await newToken('Paste the API token (the run command prints a demo token).');
  for (;;) {
    const headers = {'Content-Type': 'application/json', 'Accept': 'application/json'};
    if (token) headers['Authorization'] = token;
    if (etag) headers['If-None-Match'] = etag;
    const started = performance.now();
    let response;
    try {
      response = await fetch(BATCH_URL, {
        method: 'POST',
        headers,
        body,
        credentials: user ? 'same-origin' : 'omit',
        cache: 'no-store',
      });
    } catch (error) {
      throw new ServiceError('The service did not answer: ' + error.message, 0);
    }
    const text = await response.text();
    const ms = performance.now() - started;
    if (response.status === 403 && user) {
      throw new ServiceError('The service refused this batch to ' + user + ' (403): ask for a role that may read.', 403);
    }
    if (response.status === 403) {
      sessionStorage.removeItem(TOKEN_KEY);
      token = await newToken('The service refused that token (403). Paste a valid token.');
      continue;
    }
    let json;
    try {
      json = JSON.parse(text);
    } catch (ignored) {
      json = undefined;
    }
    return {status: response.status, headers: response.headers, text, json, ms};
  }
}

async function newToken(reason) {
  const token = await tokenSource(reason);
  sessionStorage.setItem(TOKEN_KEY, token);
  return token;
}

/**
 * Runs kernelci batch operations and returns their entries in order. The service takes at most
 * MAX_OPERATIONS per batch: a longer list goes in several batches, and `batches` says how many.
 */
export async function runOperations(operations) {
  const entries = [];
  let batches = 0;
  let ms = 0;
  for (let start = 0; start < operations.length; start += MAX_OPERATIONS) {
    const answer = await sendBatch(JSON.stringify({batch: operations.slice(start, start + MAX_OPERATIONS)}));
    batches++;
    ms += answer.ms;
    entries.push(...entriesOf(answer));
  }
  return {entries, batches, ms};
}

/** The entries of a 200 answer to a kernelci batch; any other answer is an error. */
export function entriesOf(answer) {
  if (answer.status !== 200 || !answer.json || !Array.isArray(answer.json.result)) {
    const reason = answer.json && answer.json.reason ? answer.json.reason : answer.text.slice(0, 200);
    throw new ServiceError('POST /batch answered ' + answer.status + ': ' + reason, answer.status);
  }
  return answer.json.result.map(asDocuments);
}

/**
 * A list entry in the seeds' shape. A service set to answer lists in the original's shape
 * (KCI_BATCH_LISTS=original: `result: [{result: [documents], count, limit}]`) is read the same.
 */
function asDocuments(entry) {
  const inner = entry && Array.isArray(entry.result) && entry.result.length === 1 ? entry.result[0] : null;
  if (inner && Array.isArray(inner.result) && 'limit' in inner && !('_id' in inner)) {
    return {...entry, count: inner.count, limit: inner.limit, result: inner.result};
  }
  return entry;
}

/** The count of a count entry, or null when the entry failed. */
export function countOf(entry) {
  return entry && entry.code === 200 && Array.isArray(entry.result) && entry.result[0]
    ? entry.result[0].count : null;
}

/** The failure reason of an entry, or null when it succeeded. */
export function failureOf(entry) {
  if (!entry) return 'no entry in the answer';
  return entry.code === 200 ? null : entry.code + ': ' + (entry.reason || 'failed');
}
