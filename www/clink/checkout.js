// The local Clink's hosted checkout: payment → pending → success (or cancel / expire / decline).
import { connectToParent } from './frame.js';

const PROCESSING_MS = 900;
const SUCCESS_PAUSE_MS = 700;
const DECLINE_MS = 600;
const AUTO_EXPIRE_MS = 2000;

const root = document.getElementById('checkout');
const data = root.dataset;
const sessionId = data.sessionId;
const outcome = data.outcome;
const channel = connectToParent({ parentOrigin: data.parentOrigin, merchantOrigin: data.merchantOrigin });

const $ = (id) => document.getElementById(id);
const form = $('pay-form');
const payButton = $('pay-button');
const cancelButton = $('cancel-button');
const expireButton = $('expire-button');
const notice = $('notice');
const processing = $('processing');
const result = $('result');

let state = data.state;
let busy = false;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function moveTo(next, reason) {
  const response = await fetch(`/pay-api/sessions/${encodeURIComponent(sessionId)}/state`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ state: next, reason }),
  });
  const body = await response.json().catch(() => ({}));
  if (!response.ok) throw new Error(body.message || `HTTP ${response.status}`);
  state = body.state;
  root.dataset.state = state;
  channel.post('state_change', { state });
}

function showNotice(text, kind = 'error') {
  notice.textContent = text;
  notice.className = `notice ${kind}`;
  notice.hidden = false;
}

const payLabel = payButton.textContent;
function setBusy(on, label) {
  busy = on;
  payButton.disabled = on;
  cancelButton.disabled = on;
  expireButton.disabled = on;
  payButton.classList.toggle('working', on && Boolean(label));
  payButton.textContent = on && label ? label : payLabel;
}

function showResult(kind, title, text, link) {
  form.hidden = true;
  processing.hidden = true;
  $('result-icon').className = `result-icon ${kind}`;
  $('result-title').textContent = title;
  $('result-text').textContent = text;
  const a = $('result-link');
  if (link) {
    a.href = link.href;
    a.textContent = link.text;
    a.hidden = false;
  } else {
    a.hidden = true;
  }
  result.hidden = false;
  expireButton.disabled = true;
}

function returnTo(nextState) {
  const params = new URLSearchParams({ state: nextState });
  if (channel.parentOrigin) params.set('parentOrigin', channel.parentOrigin);
  location.assign(`/return/${encodeURIComponent(sessionId)}?${params}`);
}

function failed(err) {
  const message = `Could not update the checkout: ${err.message}`;
  showNotice(message);
  channel.post('error', { code: 'CHECKOUT_UPDATE_FAILED', message });
  setBusy(false);
}

async function finishPayment() {
  processing.hidden = false;
  await sleep(PROCESSING_MS);
  await moveTo('success');
  showResult('ok', 'Payment successful', `Thank you! ${data.merchantName} has received your payment.`);
  await sleep(SUCCESS_PAUSE_MS);
  returnTo('success');
}

async function pay() {
  if (busy || state !== 'payment') return;
  notice.hidden = true;
  if (outcome === 'decline') {
    setBusy(true, 'Authorising…');
    await sleep(DECLINE_MS);
    setBusy(false);
    const message = 'Your card was declined. Try another card (this test session always declines).';
    showNotice(message);
    channel.post('error', { code: 'CARD_DECLINED', message });
    return;
  }
  setBusy(true, 'Processing…');
  try {
    await moveTo('pending');
    await finishPayment();
  } catch (err) {
    failed(err);
  }
}

async function cancel() {
  if (busy || state !== 'payment') return;
  setBusy(true);
  try {
    await moveTo('cancelled', 'buyer cancelled');
    returnTo('cancelled');
  } catch (err) {
    failed(err);
  }
}

async function expire(reason) {
  if (busy || state !== 'payment') return;
  setBusy(true);
  try {
    await moveTo('expired', reason);
    showExpired();
  } catch (err) {
    failed(err);
  }
}

function showExpired() {
  const link = !channel.framed && data.expiredUrl
    ? { href: data.expiredUrl, text: `Back to ${data.merchantName}` } : null;
  showResult('expired', 'This checkout has expired', 'Go back to the shop to start a new checkout.', link);
}

form.addEventListener('submit', (event) => {
  event.preventDefault();
  pay();
});
cancelButton.addEventListener('click', cancel);
expireButton.addEventListener('click', () => expire('simulated expiry'));

// Start: tell the merchant page we are here, and where the checkout stands.
channel.post('ready', {});
channel.post('state_change', { state });
channel.watchHeight();

if (state === 'payment') {
  if (outcome === 'expire') setTimeout(() => expire('test session expired'), AUTO_EXPIRE_MS);
} else if (state === 'pending') {
  setBusy(true, 'Processing…');
  finishPayment().catch(failed);
} else if (state === 'success') {
  showResult('ok', 'Payment successful', 'This checkout is already paid.');
} else if (state === 'cancelled') {
  showResult('cancelled', 'Checkout cancelled', 'This checkout was cancelled.');
} else if (state === 'expired') {
  showExpired();
} else {
  showResult('failed', 'Payment failed', 'This checkout ended with an error.');
}
