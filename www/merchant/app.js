// Demo Shop: uses the built package exactly as a merchant would.
import { loadClink, ClinkError, CLINK_ERROR_CODES } from '/pkg/index.js';

// loadClink's sandbox bootstrap goes to Clink's UAT API; the demo sends it to the local Clink instead.
const SANDBOX_API = 'https://uat-api.clinkbill.com';
const LOG_LIMIT = 200;

const $ = (id) => document.getElementById(id);
const sdkStatus = $('sdk-status');
const redirectButton = $('redirect-button');
const restartButton = $('restart-button');
const embeddedStatus = $('embedded-status');
const embeddedResult = $('embedded-result');
const embeddedResultText = $('embedded-result-text');
const logList = $('event-log');

let config = null;
let clink = null;
let embedded = null; // the live EmbeddedCheckout
let generation = 0; // which embedded checkout is current (#1, #2, …)
const startedAt = performance.now();

// ---------------------------------------------------------------- event log

function stringify(value) {
  try {
    return JSON.stringify(value) ?? '';
  } catch {
    return String(value);
  }
}

/** kind: 'sdk' (an SDK event), 'note' (what the demo did), 'error' (a failure). */
function log(type, payload, { kind = 'sdk', checkout = null } = {}) {
  const li = document.createElement('li');
  li.className = `log-entry kind-${kind}`;
  li.dataset.type = type;
  li.dataset.kind = kind;
  if (checkout !== null) li.dataset.checkout = String(checkout);
  const json = payload === undefined ? '' : stringify(payload);
  li.dataset.payload = json;

  const head = document.createElement('div');
  head.className = 'log-head';
  const time = document.createElement('span');
  time.className = 'log-time';
  time.textContent = `${((performance.now() - startedAt) / 1000).toFixed(2)} s`;
  const name = document.createElement('span');
  name.className = 'log-type';
  name.textContent = type;
  head.append(time, name);
  if (checkout !== null) {
    const tag = document.createElement('span');
    tag.className = 'log-tag';
    tag.textContent = `checkout #${checkout}`;
    head.append(tag);
  }
  li.append(head);
  if (json && json !== '{}') {
    const code = document.createElement('code');
    code.className = 'log-payload';
    code.textContent = json;
    li.append(code);
  }
  logList.prepend(li);
  while (logList.children.length > LOG_LIMIT) logList.lastElementChild.remove();
}

const HINTS = {
  [CLINK_ERROR_CODES.BOOTSTRAP_REQUEST_FAILED]: 'Is the local Clink running?',
  [CLINK_ERROR_CODES.INVALID_PUBLIC_KEY]: 'Use a publishable key: pk_test_…, pk_uat_… or pk_prod_….',
  [CLINK_ERROR_CODES.SESSION_ID_FETCH_FAILED]: 'The merchant backend did not create a session.',
  [CLINK_ERROR_CODES.EMBEDDED_CHECKOUT_DISABLED]: 'Embedded checkout is turned off for this key.',
};

function logError(where, err, checkout = null) {
  if (err instanceof ClinkError) {
    const payload = { where, code: err.code, message: err.message };
    if (HINTS[err.code]) payload.hint = HINTS[err.code];
    if (err.cause) payload.cause = String(err.cause?.message ?? err.cause);
    log('ClinkError', payload, { kind: 'error', checkout });
  } else {
    log(err?.name || 'Error', { where, message: String(err?.message ?? err) }, { kind: 'error', checkout });
  }
}

function describeError(err) {
  return err instanceof ClinkError ? `${err.code}: ${err.message}` : String(err?.message ?? err);
}

$('clear-log').addEventListener('click', () => logList.replaceChildren());
window.addEventListener('unhandledrejection', (event) => logError('unhandled', event.reason));

// ---------------------------------------------------------------- merchant backend calls

function selectedOutcome() {
  return document.querySelector('input[name="outcome"]:checked')?.value ?? 'success';
}

async function createCheckoutSession(outcome) {
  const response = await fetch('/api/clink/checkout-session', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ outcome }),
  });
  const body = await response.json().catch(() => ({}));
  if (!response.ok) throw new Error(body.message || `checkout-session answered HTTP ${response.status}`);
  return body; // { sessionId, checkoutUrl, orderId }
}

/** The fetch loadClink uses: Clink's sandbox API is answered by the local Clink. */
function localClinkFetch(input, init) {
  const url = input instanceof Request ? input.url : String(input);
  if (url === SANDBOX_API || url.startsWith(`${SANDBOX_API}/`)) {
    const local = config.clinkOrigin + url.slice(SANDBOX_API.length);
    log('fetch', { from: url, to: local }, { kind: 'note' });
    return fetch(input instanceof Request ? new Request(local, input) : local, init);
  }
  return fetch(input, init);
}

// ---------------------------------------------------------------- redirect checkout

redirectButton.addEventListener('click', async () => {
  redirectButton.disabled = true;
  try {
    const session = await createCheckoutSession(selectedOutcome());
    // checkoutUrl is …/pay/sess_…%23tok_…; the decoded segment is the sessionParam.
    const segment = new URL(session.checkoutUrl).pathname.split('/pay/')[1] ?? '';
    const sessionParam = decodeURIComponent(segment);
    log('redirectToCheckout', { sessionParam }, { kind: 'note' });
    await clink.redirectToCheckout({ sessionParam });
  } catch (err) {
    logError('redirectToCheckout', err);
    redirectButton.disabled = false;
  }
});

// Coming back with the Back button restores this page from the back/forward cache.
window.addEventListener('pageshow', (event) => {
  if (event.persisted && clink) redirectButton.disabled = false;
});

// ---------------------------------------------------------------- embedded checkout

function setEmbeddedStatus(text, tone = '') {
  embeddedStatus.textContent = text;
  embeddedStatus.dataset.tone = tone;
}

function showResult(text, tone) {
  embeddedResultText.textContent = text;
  embeddedResult.dataset.tone = tone;
  embeddedResult.hidden = false;
}

function stopEmbedded() {
  if (embedded) {
    embedded.destroy();
    embedded = null;
  }
  embeddedResult.hidden = true;
}

const STATE_TEXT = {
  payment: 'Waiting for the buyer to pay…',
  pending: 'Payment processing…',
  success: 'Payment succeeded.',
  cancelled: 'The buyer cancelled.',
  expired: 'The checkout session expired.',
  error: 'The payment failed.',
};

function onCheckoutEvent(event, checkout, session) {
  if (checkout !== generation) return; // an older checkout (already destroyed)
  const { type, payload } = event;
  switch (type) {
    case 'ready':
      setEmbeddedStatus('Checkout ready.');
      break;
    case 'state_change':
      setEmbeddedStatus(STATE_TEXT[payload.state] ?? payload.state, payload.state);
      break;
    case 'complete':
      if (payload.state === 'success') {
        // autoDestroyOnComplete (the default) has removed the iframe.
        const orderId = payload.orderId ?? session?.orderId;
        showResult(`Paid. Thank you for your order${orderId ? ` ${orderId}` : ''}!`, 'success');
      } else if (payload.state === 'expired') {
        showResult('The checkout expired before it was paid.', 'expired');
      } else if (payload.state === 'error') {
        showResult('The payment failed.', 'error');
      }
      break;
    case 'hosted_return':
      // The hosted success / cancel page handed control back: clean up and say what happened.
      stopEmbedded();
      showResult(payload.state === 'success' ? 'Payment complete.' : 'Checkout cancelled. Nothing was charged.',
        payload.state === 'success' ? 'success' : 'cancelled');
      break;
    case 'error':
      setEmbeddedStatus(`${payload.code}: ${payload.message}`, 'error');
      break;
    default:
      break;
  }
}

async function startEmbedded() {
  const checkout = ++generation;
  stopEmbedded();
  const outcome = selectedOutcome();
  setEmbeddedStatus('Creating a checkout session…');
  log('initEmbeddedCheckout', { outcome }, { kind: 'note', checkout });
  let session = null;
  try {
    const instance = await clink.initEmbeddedCheckout({
      async fetchSession() {
        session = await createCheckoutSession(outcome);
        log('session', session, { kind: 'note', checkout });
        return session;
      },
      onEvent(event) {
        log(event.type, event.payload, { checkout });
        onCheckoutEvent(event, checkout, session);
      },
      pollIntervalMs: 1000,
      async pollStatus({ sessionId, orderId, attempt }) {
        const response = await fetch(`/api/clink/checkout-status?sessionId=${encodeURIComponent(sessionId)}`);
        if (!response.ok) throw new Error(`checkout-status answered HTTP ${response.status}`);
        const result = await response.json();
        if (result.state === 'pending' || result.state === 'payment') {
          return null;
        }
        return { state: result.state, payload: { orderId, attempt } };
      },
    });
    if (checkout !== generation) {
      instance.destroy(); // restarted while this one was starting
      return;
    }
    embedded = instance;
    instance.mount('#clink-checkout');
    setEmbeddedStatus('Loading the checkout…');
  } catch (err) {
    if (checkout !== generation) return;
    logError('initEmbeddedCheckout', err, checkout);
    setEmbeddedStatus(`Could not start the checkout: ${describeError(err)}`, 'error');
  }
}

restartButton.addEventListener('click', () => startEmbedded());
$('new-checkout-button').addEventListener('click', () => startEmbedded());

// ---------------------------------------------------------------- start

function setSdkStatus(state, text) {
  sdkStatus.dataset.state = state;
  sdkStatus.textContent = text;
}

async function main() {
  try {
    const response = await fetch('/demo-config.json');
    config = await response.json();
  } catch (err) {
    setSdkStatus('error', 'Could not read /demo-config.json from the demo server.');
    logError('demo-config', err);
    return;
  }
  $('product-price').textContent = config.product.label;
  try {
    clink = await loadClink(config.publishableKey, { checkoutEnvironment: 'sandbox', fetchImpl: localClinkFetch });
  } catch (err) {
    logError('loadClink', err);
    setSdkStatus('error', `loadClink failed: ${describeError(err)}`);
    setEmbeddedStatus('The SDK did not load.', 'error');
    return;
  }
  log('loadClink', { checkoutBaseUrl: clink.checkoutBaseUrl }, { kind: 'note' });
  setSdkStatus('ready', `SDK ready · checkout host ${clink.checkoutBaseUrl}`);
  redirectButton.disabled = false;
  restartButton.disabled = false;
  startEmbedded();
}

main();
