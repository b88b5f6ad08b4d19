// Demo Shop: uses the built package exactly as a merchant would. Nothing is created per page view:
// the buyer's click (Buy, Subscribe, Pay on Clink's page) asks the shop's backend for an order and
// a Clink session. The page shows the shop's records; it never decides on its own that an order is paid.
import { loadClink, ClinkError, CLINK_ERROR_CODES } from '/pkg/index.js';

// loadClink's sandbox bootstrap goes to Clink's UAT API; the demo sends it to the local Clink instead.
const SANDBOX_API = 'https://uat-api.clinkbill.com';
const LOG_LIMIT = 200;
const ORDER_POLL_MS = 1000;
const ORDER_POLL_LIMIT = 120; // two minutes, then the result says to reload
const FIRST_CHECKOUT_HEIGHT = 520; // what the box holds before the first checkout said its height (as style.css)

const $ = (id) => document.getElementById(id);
const sdkStatus = $('sdk-status');
const redirectButton = $('redirect-button');
const buyButtons = [$('buy-lamp'), $('subscribe-button')];
const closeButton = $('close-checkout');
const embeddedStatus = $('embedded-status');
const embeddedResult = $('embedded-result');
const checkoutBox = $('checkout-box');
const logList = $('event-log');

let config = null;
let clink = null;
let embedded = null; // the live EmbeddedCheckout
let generation = 0; // which embedded checkout is current (#1, #2, …)
let currentItem = 'lamp'; // what the current (or last) embedded checkout sells
let orderWatch = null; // the timer of the order-status poll of the current result
let lastCheckoutHeight = FIRST_CHECKOUT_HEIGHT;
const startedAt = performance.now();

// ---------------------------------------------------------------- event log

const ONE_LINE = 64; // payloads up to this long stay on one line; longer ones are indented

function pretty(value) {
  try {
    const flat = JSON.stringify(value) ?? '';
    return flat.length <= ONE_LINE ? flat.replace(/([,:])(?=["{[\d-tfn])/g, '$1 ') : JSON.stringify(value, null, 2);
  } catch {
    return String(value);
  }
}

/** kind: 'sdk' (an SDK event), 'note' (what the demo did), 'error' (a failure). */
function log(type, payload, { kind = 'sdk', checkout = null } = {}) {
  const li = document.createElement('li');
  const isError = kind === 'error' || type === 'error';
  li.className = `log-entry kind-${kind}${isError ? ' is-error' : ''}`;
  li.dataset.type = type;
  li.dataset.kind = kind;
  if (checkout !== null) li.dataset.checkout = String(checkout);
  li.dataset.payload = payload === undefined ? '' : JSON.stringify(payload) ?? '';

  const head = document.createElement('div');
  head.className = 'log-head';
  const time = document.createElement('span');
  time.className = 'log-time';
  time.textContent = `${((performance.now() - startedAt) / 1000).toFixed(2)} s`;
  const name = document.createElement('span');
  name.className = 'log-type';
  name.textContent = type;
  head.append(time, name);
  if (isError && payload?.code) {
    const code = document.createElement('span');
    code.className = 'log-code';
    code.textContent = payload.code;
    head.append(code);
  }
  if (checkout !== null) {
    const tag = document.createElement('span');
    tag.className = 'log-tag';
    tag.textContent = `checkout #${checkout}`;
    head.append(tag);
  }
  li.append(head);
  if (payload !== undefined && li.dataset.payload !== '{}') {
    const pre = document.createElement('pre');
    pre.className = 'log-payload';
    pre.textContent = pretty(payload);
    li.append(pre);
  }
  logList.prepend(li);
  while (logList.children.length > LOG_LIMIT) logList.lastElementChild.remove();
  countLog();
}

function countLog() {
  const n = logList.children.length;
  $('log-count').textContent = `${n} event${n === 1 ? '' : 's'}`;
}

const HINTS = {
  [CLINK_ERROR_CODES.BOOTSTRAP_REQUEST_FAILED]: 'Is the local Clink running?',
  [CLINK_ERROR_CODES.INVALID_PUBLIC_KEY]: 'Use a publishable key: pk_test_…, pk_uat_… or pk_prod_….',
  [CLINK_ERROR_CODES.SESSION_ID_FETCH_FAILED]: 'The shop\'s backend did not create a session.',
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

$('clear-log').addEventListener('click', () => {
  logList.replaceChildren();
  countLog();
});
window.addEventListener('unhandledrejection', (event) => logError('unhandled', event.reason));

// ---------------------------------------------------------------- the shop's backend

const selectedOutcome = () => $('outcome').value;

async function createCheckoutSession(item, outcome) {
  const response = await fetch('/api/clink/checkout-session', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ item, outcome }),
  });
  const body = await response.json().catch(() => ({}));
  if (!response.ok) throw new Error(body.msg || `checkout-session answered HTTP ${response.status}`);
  return body; // { sessionId, checkoutUrl, sessionParam, orderId }
}

async function readOrder(orderId) {
  const response = await fetch(`/api/orders/${encodeURIComponent(orderId)}`);
  if (!response.ok) throw new Error(`/api/orders answered HTTP ${response.status}`);
  return response.json();
}

/** Asks the shop's backend to check the session with Clink (it records a checkout that ended unpaid). */
async function checkWithClink(sessionId) {
  const response = await fetch(`/api/clink/checkout-status?sessionId=${encodeURIComponent(sessionId)}`);
  if (!response.ok) throw new Error(`checkout-status answered HTTP ${response.status}`);
  return response.json();
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
    const session = await createCheckoutSession('lamp', selectedOutcome());
    log('redirectToCheckout', { sessionParam: session.sessionParam, orderId: session.orderId }, { kind: 'note' });
    await clink.redirectToCheckout({ sessionParam: session.sessionParam });
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
  embeddedStatus.hidden = !embeddedResult.hidden;
  embeddedStatus.textContent = text;
  embeddedStatus.dataset.tone = tone;
}

/** The box keeps the last checkout's height while the next one loads: no jump to an empty box. */
function rememberCheckoutHeight() {
  const current = checkoutBox.getBoundingClientRect().height;
  if (!checkoutBox.hidden && checkoutBox.dataset.loading === 'false' && current > 200) lastCheckoutHeight = current;
}

function showPlaceholder(text) {
  checkoutBox.style.minHeight = `${lastCheckoutHeight}px`;
  $('checkout-placeholder-text').textContent = text;
  checkoutBox.dataset.loading = 'true';
  checkoutBox.hidden = false;
}

function checkoutShown() {
  checkoutBox.dataset.loading = 'false';
  checkoutBox.style.minHeight = '';
}

const RESULT_BADGE = { paid: '✓', waiting: '…', cancelled: '←', expired: '!', error: '×' };

function showResult(tone, text, detail = '', { retry = true, account = false } = {}) {
  $('embedded-result-text').textContent = text;
  $('embedded-result-detail').textContent = detail;
  $('embedded-result-badge').textContent = RESULT_BADGE[tone] ?? '';
  $('new-checkout-button').hidden = !retry;
  $('new-checkout-button').textContent = tone === 'paid' ? 'Buy another' : 'Try again';
  $('account-link').hidden = !account;
  embeddedResult.dataset.tone = tone;
  embeddedResult.hidden = false;
  embeddedStatus.hidden = true; // the result says it all: not twice
  checkoutBox.hidden = true;
  checkoutBox.style.minHeight = '';
}

function stopOrderWatch() {
  clearTimeout(orderWatch);
  orderWatch = null;
}

function stopEmbedded() {
  stopOrderWatch();
  rememberCheckoutHeight();
  if (embedded) {
    embedded.destroy();
    embedded = null;
  }
  embeddedResult.hidden = true;
}

/** Back to the start: no checkout, the buttons to begin one. */
function closeCheckout() {
  generation += 1;
  stopEmbedded();
  checkoutBox.hidden = true;
  closeButton.hidden = true;
  $('embedded-title').textContent = 'Checkout';
  embeddedStatus.hidden = false;
  embeddedStatus.dataset.tone = '';
  embeddedStatus.innerHTML = 'Choose <strong>Buy</strong> or <strong>Subscribe</strong>: Clink\'s checkout opens here.';
}

function paidResult(item, orderId, event) {
  log('order paid', { orderId, status: 'paid', confirmedBy: event?.id }, { kind: 'note', checkout: generation });
  if (item === 'plan') {
    showResult('paid', 'Subscribed to the Pro plan.', 'Confirmed by Clink\'s signed session.completed webhook. Your account page shows the plan.', { retry: false, account: true });
    refreshAccount();
  } else {
    showResult('paid', `Paid. Thank you for your order ${orderId}!`, 'Confirmed by Clink\'s signed session.completed webhook.');
  }
  setEmbeddedStatus('Order paid.', 'success');
}

/**
 * After the checkout says "paid", the shop's own record decides what the buyer is told: "paid" only
 * once Clink's session.completed webhook reached the backend.
 */
function watchOrder(orderId, checkout, item) {
  let polls = 0;
  const check = async () => {
    orderWatch = null;
    if (checkout !== generation) return;
    let order;
    try {
      order = await readOrder(orderId);
    } catch (err) {
      logError('order status', err, checkout);
    }
    if (checkout !== generation) return;
    if (order?.status === 'paid') {
      paidResult(item, orderId, order.events.find((e) => e.type === 'session.completed'));
      refreshOrders();
      return;
    }
    if (++polls >= ORDER_POLL_LIMIT) {
      showResult('waiting', `Order ${orderId}: still no confirmation from Clink.`, 'The shop has not received the session.completed webhook. The local Clink\'s inspector shows its deliveries.');
      return;
    }
    orderWatch = setTimeout(check, ORDER_POLL_MS);
  };
  showResult('waiting', 'Waiting for confirmation from Clink…', `The checkout is done. The shop marks order ${orderId} paid when Clink's signed webhook arrives.`, { retry: false });
  check();
}

const STATE_TEXT = {
  payment: 'Waiting for the buyer to pay…',
  pending: 'Payment processing…',
  success: 'Payment accepted by Clink.',
  cancelled: 'The buyer cancelled.',
  expired: 'The checkout session expired.',
  error: 'The payment failed.',
};

/** A checkout that ended unpaid: the shop asks Clink and records it; the list shows it. */
function endedUnpaid(session, checkout) {
  if (!session) return;
  checkWithClink(session.sessionId)
    .then((answer) => log('shop records', { orderId: answer.orderId, orderStatus: answer.orderStatus, clinkState: answer.state }, { kind: 'note', checkout }))
    .catch((err) => logError('checkout-status', err, checkout))
    .finally(refreshOrders);
}

function onCheckoutEvent(event, checkout, session, item) {
  if (checkout !== generation) return; // an older checkout (already destroyed)
  const { type, payload } = event;
  switch (type) {
    case 'ready':
      setEmbeddedStatus('Checkout ready.');
      break;
    case 'resize':
      // Its first height is known: the checkout can replace the placeholder without a jump.
      checkoutShown();
      break;
    case 'state_change':
      setEmbeddedStatus(STATE_TEXT[payload.state] ?? payload.state, payload.state);
      if (payload.state === 'pending' || payload.state === 'payment') refreshOrders();
      break;
    case 'complete':
      // Every outcome ends the same way: the checkout goes, a result says what happened.
      if (payload.state === 'success') {
        watchOrder(session.orderId, checkout, item); // autoDestroyOnComplete has removed the iframe
      } else {
        stopEmbedded();
        if (payload.state === 'expired') {
          showResult('expired', 'The checkout session expired before it was paid.', 'Nothing was charged. Start a new checkout to try again.');
        } else if (payload.state === 'cancelled') {
          showResult('cancelled', 'Checkout cancelled.', 'Nothing was charged. Your cart is still here.');
        } else {
          showResult('error', 'The payment failed.', 'Nothing was charged. Start a new checkout to try again.');
        }
        endedUnpaid(session, checkout);
      }
      break;
    case 'hosted_return':
      // The hosted cancel page handed control back (a success already ended at `complete`).
      if (payload.state !== 'success' && embedded) {
        stopEmbedded();
        showResult('cancelled', 'Checkout cancelled.', 'Nothing was charged. Your cart is still here.');
        endedUnpaid(session, checkout);
      }
      break;
    case 'error':
      // A declined card is shown inside the checkout, where the buyer retries; the log has the details.
      if (payload?.code !== 'CARD_DECLINED') setEmbeddedStatus(`${payload.code}: ${payload.message}`, 'error');
      else refreshOrders();
      break;
    default:
      break;
  }
}

/** The buyer clicked Buy or Subscribe: now (not on page view) the shop creates an order and a session. */
async function startEmbedded(item) {
  const checkout = ++generation;
  currentItem = item;
  stopEmbedded();
  const outcome = selectedOutcome();
  $('embedded-title').textContent = `Checkout · ${config.items[item].name}`;
  closeButton.hidden = false;
  showPlaceholder('Loading the checkout…');
  setEmbeddedStatus('Creating a checkout session…');
  log('initEmbeddedCheckout', { item, outcome }, { kind: 'note', checkout });
  $('checkout-card').scrollIntoView({ block: 'start', behavior: 'smooth' });
  let session = null;
  try {
    const instance = await clink.initEmbeddedCheckout({
      async fetchSession() {
        session = await createCheckoutSession(item, outcome);
        log('session', session, { kind: 'note', checkout });
        refreshOrders(); // now rather than at the next tick
        return session;
      },
      onEvent(event) {
        log(event.type, event.payload, { checkout });
        onCheckoutEvent(event, checkout, session, item);
      },
      pollIntervalMs: 1000,
      async pollStatus({ sessionId, orderId, attempt }) {
        const result = await checkWithClink(sessionId);
        if (result.state === 'pending' || result.state === 'payment') {
          return null;
        }
        return { state: result.state, payload: { orderId, attempt } };
      },
    });
    if (checkout !== generation) {
      instance.destroy(); // restarted or closed while this one was starting
      return;
    }
    embedded = instance;
    instance.mount('#clink-checkout');
    setEmbeddedStatus('Loading the checkout…');
  } catch (err) {
    if (checkout !== generation) return;
    logError('initEmbeddedCheckout', err, checkout);
    showResult('error', 'Could not start the checkout.', describeError(err));
    setEmbeddedStatus('The checkout did not start.', 'error');
  }
}

$('buy-lamp').addEventListener('click', () => startEmbedded('lamp'));
$('subscribe-button').addEventListener('click', () => startEmbedded('plan'));
$('new-checkout-button').addEventListener('click', () => startEmbedded(currentItem));
closeButton.addEventListener('click', closeCheckout);

// ---------------------------------------------------------------- the shop's records

const ORDER_LIST_MS = 1500;
const ORDER_LABEL = {
  awaiting_payment: 'awaiting payment', processing: 'processing', declined: 'declined, may retry', paid: 'paid',
  failed: 'payment failed', cancelled: 'cancelled', expired: 'expired',
};
let orderListTimer = null; // owned by the page: runs while it is visible
let ordersInFlight = false;

function renderOrders(list) {
  const items = list.map((order) => {
    const li = document.createElement('li');
    li.className = 'order-row';
    li.dataset.orderId = order.id;
    li.dataset.status = order.status;
    const what = document.createElement('span');
    what.className = 'order-what';
    const id = document.createElement('code');
    id.textContent = order.id;
    what.append(id, ` ${order.product}`);
    const status = document.createElement('span');
    status.className = `order-status status-${order.status}`;
    status.textContent = ORDER_LABEL[order.status] ?? order.status;
    if (order.refundedAmount > 0) {
      li.dataset.refunded = order.refundedAmount >= order.amount ? 'full' : 'partial';
      status.textContent += order.refundedAmount >= order.amount ? ' · refunded' : ' · partly refunded';
    }
    const events = document.createElement('span');
    events.className = 'order-events';
    events.textContent = order.events.length ? order.events.map((e) => e.type).join(' · ') : 'no webhook yet';
    li.append(what, status, events);
    return li;
  });
  $('order-list').replaceChildren(...items);
}

/** Reads the records now; then every ORDER_LIST_MS while the page is visible (one loop, one request at a time). */
async function refreshOrders() {
  clearTimeout(orderListTimer);
  orderListTimer = null;
  if (ordersInFlight) return; // that request's loop goes on
  ordersInFlight = true;
  try {
    const response = await fetch('/api/orders');
    if (response.ok) renderOrders((await response.json()).orders);
  } catch {
    // The next tick tries again.
  } finally {
    ordersInFlight = false;
  }
  if (document.visibilityState === 'visible' && orderListTimer === null) orderListTimer = setTimeout(refreshOrders, ORDER_LIST_MS);
}

/** Whether this account already has the plan (from the shop's records): then no Subscribe button. */
async function refreshAccount() {
  try {
    const response = await fetch('/api/account');
    if (!response.ok) return;
    const { subscriptions } = await response.json();
    const owned = subscriptions.some((s) => ['active', 'trialing', 'past_due'].includes(s.status));
    $('subscribe-button').hidden = owned;
    $('plan-owned').hidden = !owned;
  } catch {
    // The button stays; the backend refuses a second subscription anyway.
  }
}

document.addEventListener('visibilitychange', () => {
  if (document.visibilityState === 'visible') refreshOrders();
});

// ---------------------------------------------------------------- start

function setSdkStatus(state, text) {
  sdkStatus.dataset.state = state;
  sdkStatus.textContent = text;
}

async function main() {
  refreshOrders();
  refreshAccount();
  try {
    const response = await fetch('/demo-config.json');
    config = await response.json();
  } catch (err) {
    setSdkStatus('error', 'Could not read /demo-config.json from the demo server.');
    logError('demo-config', err);
    return;
  }
  $('lamp-price').textContent = config.items.lamp.label;
  $('plan-price').textContent = config.items.plan.label;
  try {
    clink = await loadClink(config.publishableKey, { checkoutEnvironment: 'sandbox', fetchImpl: localClinkFetch });
  } catch (err) {
    logError('loadClink', err);
    setSdkStatus('error', `loadClink failed: ${describeError(err)}`);
    showResult('error', 'The SDK did not load.', describeError(err), { retry: false });
    return;
  }
  log('loadClink', { checkoutBaseUrl: clink.checkoutBaseUrl }, { kind: 'note' });
  setSdkStatus('ready', `SDK ready · checkout host ${clink.checkoutBaseUrl}`);
  redirectButton.disabled = false;
  for (const button of buyButtons) button.disabled = false;
}

main();
