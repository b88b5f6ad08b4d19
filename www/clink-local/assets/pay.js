// The local Clink's hosted checkout. The server decides every outcome (by the test card typed);
// this page starts attempts, follows the session's state, and tells the framing merchant page.
//   payment → pending → success                        (4242 4242 4242 4242)
//   payment → pending → payment + error CARD_DECLINED  (4000 0000 0000 0002; the buyer may retry)
//   payment → pending → error                          (4000 0000 0000 0119)
import { connectToParent } from './frame.js';

const POLL_PENDING_MS = 150;
const POLL_IDLE_MS = 1000;
const SUCCESS_PAUSE_MS = 700;

const root = document.getElementById('checkout');
const data = root.dataset;
const sessionId = data.sessionId;
const channel = connectToParent({ parentOrigin: data.parentOrigin, merchantOrigin: data.merchantOrigin });

const $ = (id) => document.getElementById(id);
const form = $('pay-form');
const cardInput = $('card-input');
const payButton = $('pay-button');
const cancelButton = $('cancel-button');
const expireButton = $('expire-button');
const notice = $('notice');
const processing = $('processing');
const result = $('result');

let state = data.state;
let busy = false;
let finished = false;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function call(action, extra = {}) {
  const response = await fetch(`/pay-api/sessions/${encodeURIComponent(sessionId)}${action ? `/${action}` : ''}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ token: data.token, ...extra }),
  });
  const body = await response.json().catch(() => ({}));
  if (body.code !== 200) {
    const err = new Error(body.msg || `HTTP ${response.status}`);
    err.status = response.status;
    throw err;
  }
  return body.data;
}

/** Records a state the server reported and tells the merchant page when it changed. */
function see(next) {
  if (next === state) return false;
  state = next;
  root.dataset.state = state;
  channel.post('state_change', { state });
  return true;
}

function showNotice(text, kind = 'error') {
  notice.textContent = text;
  notice.className = `notice ${kind}`;
  notice.hidden = false;
}

const payLabel = payButton.textContent;
function setBusy(on, label) {
  busy = on;
  for (const el of [payButton, cancelButton, expireButton, cardInput]) el.disabled = on;
  payButton.classList.toggle('working', on && Boolean(label));
  payButton.textContent = on && label ? label : payLabel;
}

function showResult(kind, title, text, link) {
  finished = true;
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

/** Shows the end of the checkout for a terminal state. */
async function showEnd() {
  if (state === 'success') {
    showResult('ok', 'Payment successful', `Thank you! ${data.merchantName} has received your payment.`);
    await sleep(SUCCESS_PAUSE_MS);
    returnTo('success');
  } else if (state === 'cancelled') {
    showResult('cancelled', 'Checkout cancelled', 'This checkout was cancelled.');
  } else if (state === 'expired') {
    const link = !channel.framed && data.expiredUrl ? { href: data.expiredUrl, text: `Back to ${data.merchantName}` } : null;
    showResult('expired', 'This checkout has expired', 'Go back to the shop to start a new checkout.', link);
  } else if (state === 'error') {
    showResult('failed', 'Payment failed', 'The payment could not be processed. Go back to the shop to try again.');
  }
}

/** Follows a pending attempt until the server settles it. */
async function followAttempt() {
  processing.hidden = false;
  setBusy(true, 'Processing…');
  while (state === 'pending') {
    await sleep(POLL_PENDING_MS);
    see((await call('')).state);
  }
  processing.hidden = true;
  if (state === 'payment') {
    setBusy(false);
    const message = 'Your card was declined. Check the number or try another card.';
    showNotice(message);
    channel.post('error', { code: 'CARD_DECLINED', message });
    cardInput.focus();
    cardInput.select();
    return;
  }
  await showEnd();
}

async function pay() {
  if (busy || state !== 'payment') return;
  notice.hidden = true;
  setBusy(true, 'Processing…');
  try {
    const answer = await call('pay', { card: cardInput.value });
    see(answer.state);
    await followAttempt();
  } catch (err) {
    if (err.status === 400) {
      setBusy(false);
      showNotice(err.message);
      cardInput.focus();
    } else {
      failed(err);
    }
  }
}

async function act(action) {
  if (busy || state !== 'payment') return;
  setBusy(true);
  try {
    see((await call(action)).state);
    if (state === 'cancelled') returnTo('cancelled');
    else await showEnd();
  } catch (err) {
    failed(err);
  }
}

// While the buyer looks at the form, the session can move without them (TTL expiry, test controls).
async function watchIdle() {
  while (!finished) {
    await sleep(POLL_IDLE_MS);
    if (busy || finished) continue;
    try {
      const changed = see((await call('')).state);
      if (!changed) continue;
      if (state === 'pending') await followAttempt();
      else if (state !== 'payment') await showEnd();
    } catch {
      // A missed poll is retried on the next tick.
    }
  }
}

form.addEventListener('submit', (event) => {
  event.preventDefault();
  pay();
});
cancelButton.addEventListener('click', () => act('cancel'));
expireButton.addEventListener('click', () => act('expire'));
for (const button of document.querySelectorAll('.card-fill')) {
  button.addEventListener('click', () => {
    if (busy || finished) return;
    cardInput.value = button.dataset.card;
    notice.hidden = true;
  });
}

// Start: tell the merchant page we are here, and where the checkout stands.
channel.post('ready', {});
channel.post('state_change', { state });
channel.watchHeight();

if (state === 'payment') {
  watchIdle();
} else if (state === 'pending') {
  followAttempt().catch(failed).then(() => watchIdle());
} else if (state === 'success') {
  showResult('ok', 'Payment successful', 'This checkout is already paid.');
} else {
  showEnd();
}
