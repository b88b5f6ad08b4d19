// The inspector page: polls /inspector/data and shows keys, the clock, sessions, orders, the
// catalogue, customers, subscriptions with their invoices, refunds and webhook deliveries. Built
// with DOM nodes and textContent only (payloads are data, never markup). Its buttons call the test
// controls of the REST API with the secret key the page shows (it is served to loopback only).
const POLL_MS = 1000;
const app = document.getElementById('app');
const live = document.getElementById('live');
const openDeliveries = new Set();
let lastText = '';
let lastData = null;
let actionNote = ''; // what the last button did (or why it failed)

function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null || v === false) continue;
    if (k === 'class') el.className = v;
    else if (k.startsWith('on')) el.addEventListener(k.slice(2), v);
    else el.setAttribute(k, v === true ? '' : v);
  }
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    el.append(child instanceof Node ? child : String(child));
  }
  return el;
}

const time = (ms) => (ms ? new Date(ms).toLocaleTimeString([], { hour12: false }) : '');
function money(amount, currency) {
  try {
    const nf = new Intl.NumberFormat(undefined, { style: 'currency', currency });
    return nf.format(amount / 10 ** nf.resolvedOptions().maximumFractionDigits);
  } catch {
    return `${amount} ${currency}`;
  }
}

const TONE = {
  open: 'info', complete: 'ok', expired: 'warn',
  payment: 'info', pending: 'warn', success: 'ok', cancelled: '', error: 'bad',
  paid: 'ok', failed: 'bad', delivered: 'ok', abandoned: '',
  incomplete: 'warn', incomplete_expired: '', trialing: 'info', active: 'ok', past_due: 'bad', canceled: '',
  void: '', succeeded: 'ok',
};
const day = (ms) => (ms ? new Date(ms).toLocaleDateString([], { day: 'numeric', month: 'short', year: 'numeric' }) : '—');
const DAY_MS = 24 * 3600 * 1000;

/** A test control of the REST API (docs/local-clink.md), then a fresh look at the data. */
async function control(path, body, done) {
  const d = lastData;
  try {
    const response = await fetch(path, {
      method: 'POST',
      headers: { 'X-API-Key': d.keys.secretKey, 'X-Timestamp': String(Date.now()), 'Content-Type': 'application/json' },
      body: JSON.stringify(body ?? {}),
    });
    const answer = await response.json();
    if (answer.code !== 200) throw new Error(answer.msg);
    actionNote = done(answer.data);
  } catch (err) {
    actionNote = `Failed: ${err.message}`;
  }
  lastText = '';
  await refresh();
}

function actionButton(label, onclick, extra = {}) {
  return h('button', { type: 'button', class: 'action', onclick, ...extra }, label);
}
const pill = (text, tone = TONE[text] ?? '') => h('span', { class: `pill ${tone}` }, text);

function copyButton(value, label) {
  return h('button', {
    type: 'button', class: 'copy', 'aria-label': `Copy ${label}`,
    onclick: async (event) => {
      const button = event.currentTarget;
      try {
        await navigator.clipboard.writeText(value);
        button.textContent = 'Copied';
      } catch {
        button.textContent = 'Select + copy';
      }
      button.classList.add('done');
      setTimeout(() => { button.textContent = 'Copy'; button.classList.remove('done'); }, 1500);
    },
  }, 'Copy');
}

function keysCard(d) {
  const rows = [
    ['URL (API + checkout)', d.url],
    ['Secret key · X-API-Key', d.keys.secretKey],
    ['Publishable key · browser', d.keys.publishableKey],
    ['Webhook signing secret', d.keys.webhookSecret],
  ];
  return h('section', { class: 'card', id: 'keys' },
    h('h2', {}, 'Keys'),
    h('div', { class: 'keys' }, rows.map(([label, value]) => h('div', { class: 'key' },
      h('div', { class: 'label' }, label),
      h('div', { class: 'value' }, h('code', {}, value), copyButton(value, label))))),
    h('div', { class: 'meta' },
      h('span', {}, `Sessions expire after ${d.settings.sessionTtlSeconds} s`),
      h('span', {}, `Webhook retries: ${d.settings.webhookRetryBaseMs} ms × 2^(n-1), 10 attempts`),
      h('span', {}, 'Webhook endpoints: ', d.endpoints.length
        ? d.endpoints.map((e, i) => [i ? ', ' : '', h('code', {}, e.url)])
        : h('em', {}, 'none registered'))));
}

function walk(history) {
  const states = history.map((x) => x.state);
  return h('div', { class: 'walk', title: history.map((x) => `${time(x.at)} ${x.state}${x.reason ? ` (${x.reason})` : ''}`).join('\n') },
    states.map((s, i) => [i ? h('span', { class: 'arrow', 'aria-hidden': 'true' }, '→') : null, pill(s)]));
}

function sessionsCard(d) {
  return h('section', { class: 'card', id: 'sessions' },
    h('h2', {}, 'Checkout sessions', h('span', { class: 'count' }, String(d.totals.sessions))),
    d.sessions.length === 0
      ? h('p', { class: 'empty' }, 'No sessions yet. Create one with POST /api/checkout/session.')
      : h('table', {},
        h('thead', {}, h('tr', {}, h('th', {}, 'Session'), h('th', {}, 'Status'), h('th', {}, 'Checkout states'), h('th', { class: 'num' }, 'Amount'))),
        h('tbody', {}, d.sessions.map((s) => h('tr', { 'data-session': s.sessionId, id: `session-${s.sessionId}` },
          h('td', {},
            h('code', { class: 'id' }, s.sessionId),
            h('span', { class: 'sub' }, `${time(s.createdAt)}${s.merchantReferenceId ? ` · ref ${s.merchantReferenceId}` : ''}${s.orderId ? ` · ${s.orderId}` : ''}`),
            s.subscriptionId ? h('a', { class: 'sub', href: `#subscription-${s.subscriptionId}` }, `subscription ${s.subscriptionId}`) : null),
          h('td', {}, pill(s.status)),
          h('td', {}, walk(s.history)),
          h('td', { class: 'num' }, money(s.originalAmount, s.originalCurrency)))))));
}

function ordersCard(d) {
  return h('section', { class: 'card', id: 'orders' },
    h('h2', {}, 'Orders', h('span', { class: 'count' }, String(d.totals.orders))),
    d.orders.length === 0
      ? h('p', { class: 'empty' }, 'No orders yet: an order is created at a session\'s first payment attempt.')
      : h('table', {},
        h('thead', {}, h('tr', {}, h('th', {}, 'Order'), h('th', {}, 'Status'), h('th', {}, 'Payment attempts'), h('th', { class: 'num' }, 'Amount'))),
        h('tbody', {}, d.orders.map((o) => h('tr', { 'data-order': o.orderId, id: `order-${o.orderId}` },
          h('td', {}, h('code', { class: 'id' }, o.orderId), h('span', { class: 'sub' }, time(o.createdAt)),
            h('a', { class: 'sub', href: `#session-${o.sessionId}` }, `session ${o.sessionId}`)),
          h('td', {}, pill(o.status),
            o.refundedAmount ? h('span', { class: 'sub' }, `refunded ${money(o.refundedAmount, o.originalCurrency)}`) : null,
            o.status === 'paid' && o.refundedAmount < o.originalAmount
              ? actionButton('Refund', () => control(`/api/test/order/${encodeURIComponent(o.orderId)}/refund`, {}, (r) => `Refunded ${money(r.amount, r.currency)} of ${o.orderId} (${r.refundId})`), { 'data-refund': o.orderId })
              : null),
          h('td', {}, o.attempts.map((a) => h('span', { class: 'sub' }, `#${a.attempt} · card •••• ${a.cardLast4} · ${a.result ?? 'processing'} · ${time(a.startedAt)}`))),
          h('td', { class: 'num' }, money(o.originalAmount, o.originalCurrency)))))));
}

function pretty(text) {
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return text;
  }
}

function attemptView(a) {
  const ok = a.statusCode >= 200 && a.statusCode <= 299;
  const outcome = a.statusCode ? `HTTP ${a.statusCode}` : a.error ? a.error : 'in flight';
  return h('div', { class: `attempt ${a.statusCode || a.error ? (ok ? 'ok' : 'bad') : ''}` },
    h('h3', {}, `Attempt ${a.attempt}`, pill(outcome, ok ? 'ok' : a.statusCode || a.error ? 'bad' : 'warn'),
      h('span', { class: 'sub' }, `${time(a.at)}${a.durationMs !== null ? ` · ${a.durationMs} ms` : ''}`)),
    a.error && a.statusCode ? h('p', { class: 'note' }, a.error) : null,
    h('div', { class: 'label-small' }, 'Request headers'),
    h('pre', {}, Object.entries(a.requestHeaders).map(([k, v]) => `${k}: ${v}`).join('\n')),
    a.responseBody ? [h('div', { class: 'label-small' }, 'Response body'), h('pre', {}, a.responseBody)] : null);
}

function deliveriesCard(d) {
  return h('section', { class: 'card', id: 'deliveries' },
    h('h2', {}, 'Webhook deliveries', h('span', { class: 'count' }, String(d.totals.deliveries))),
    d.deliveries.length === 0
      ? h('p', { class: 'empty' }, d.endpoints.length ? 'No events yet.' : 'No webhook endpoint is registered: start with --webhook URL, or POST /api/webhook/endpoints.')
      : h('div', { class: 'deliveries' }, d.deliveries.map((x) => {
        const last = x.attempts[x.attempts.length - 1];
        const details = h('details', { class: 'delivery', 'data-delivery': x.deliveryId, open: openDeliveries.has(x.deliveryId) },
          h('summary', {},
            pill(x.status, x.status === 'failed' ? 'bad' : TONE[x.status]),
            h('span', { class: 'what' },
              h('strong', {}, x.type), ' ', h('code', {}, x.eventId),
              h('span', { class: 'sub' }, `→\u00a0${x.url}`),
              subjectLink(d, x.payload)),
            h('span', { class: 'sub' }, `${x.attempts.length} attempt${x.attempts.length === 1 ? '' : 's'}${last?.statusCode ? ` · last ${last.statusCode}` : ''}${x.nextAttemptAt ? ` · retry at ${time(x.nextAttemptAt)}` : ''}`)),
          h('div', { class: 'attempts' },
            h('div', {}, actionButton('Resend event', () => control(`/api/test/webhook-event/${encodeURIComponent(x.eventId)}/resend`, {}, () => `Resent ${x.type} ${x.eventId} to every endpoint`), { 'data-resend': x.eventId })),
            x.attempts.slice().reverse().map(attemptView),
            h('div', { class: 'label-small' }, 'Payload (the same body on every attempt)'),
            h('pre', {}, pretty(x.payload))));
        details.addEventListener('toggle', () => {
          if (details.open) openDeliveries.add(x.deliveryId);
          else openDeliveries.delete(x.deliveryId);
        });
        return details;
      })));
}

/** The link from a delivery to what it is about: its subscription, or its checkout session. */
function subjectLink(d, payload) {
  let data;
  try {
    data = JSON.parse(payload).data ?? {};
  } catch {
    return null;
  }
  if (data.subscriptionId) return h('a', { class: 'sub subject', href: `#subscription-${data.subscriptionId}` }, `subscription ${data.subscriptionId}`);
  let { sessionId } = data;
  if (!sessionId && data.orderId) sessionId = d.orders.find((o) => o.orderId === data.orderId)?.sessionId;
  return sessionId ? h('a', { class: 'sub subject', href: `#session-${sessionId}` }, `session ${sessionId}`) : null;
}

function clockCard(d) {
  const advance = (label, ms) => actionButton(label, () => control('/api/test/clock/advance', { ms }, (c) => `Clock advanced ${label.replace('+', '')}: ${c.timersRun} timer${c.timersRun === 1 ? '' : 's'} ran`), { 'data-advance': String(ms) });
  return h('section', { class: 'card', id: 'clock' },
    h('h2', {}, 'Clock'),
    h('p', { class: 'note' }, 'Local Clink time: ', h('span', { id: 'clock-now' }, clockNow(d)),
      d.clock.offsetMs ? ` (advanced ${advancedText(d.clock.offsetMs)})` : ' (real time)'),
    h('div', { class: 'actions' }, advance('+1 hour', 3600000), advance('+1 day', DAY_MS), advance('+1 week', 7 * DAY_MS), advance('+31 days', 31 * DAY_MS)),
    actionNote ? h('p', { class: 'note action-note', role: 'status' }, actionNote) : null);
}

/** The local Clink's time: the wall clock plus what was advanced. */
const clockNow = (d) => new Date(Date.now() + d.clock.offsetMs).toLocaleString([], { hour12: false });

function advancedText(ms) {
  const days = Math.floor(ms / DAY_MS);
  const hours = Math.round((ms - days * DAY_MS) / 3600000);
  return `${days ? `${days} d ` : ''}${hours} h`;
}

function productsCard(d) {
  const priceText = (p) => `${money(p.unitAmount, p.currency)}${p.recurring ? ` / ${p.recurring.interval}${p.recurring.trialPeriodDays ? ` · ${p.recurring.trialPeriodDays}-day trial` : ''}` : ' one-off'}`;
  return h('section', { class: 'card', id: 'products' },
    h('h2', {}, 'Products and prices', h('span', { class: 'count' }, String(d.products.length))),
    h('table', {},
      h('thead', {}, h('tr', {}, h('th', {}, 'Product'), h('th', {}, 'Prices'))),
      h('tbody', {}, d.products.map((p) => h('tr', { 'data-product': p.productId },
        h('td', {}, h('strong', {}, p.name), h('code', { class: 'sub id' }, p.productId)),
        h('td', {}, p.prices.map((q) => h('span', { class: 'sub price' }, h('code', {}, q.priceId), ` ${priceText(q)}`))))))));
}

function customersCard(d) {
  return h('section', { class: 'card', id: 'customers' },
    h('h2', {}, 'Customers', h('span', { class: 'count' }, String(d.billingTotals.customers))),
    d.customers.length === 0
      ? h('p', { class: 'empty' }, 'No customers yet: a checkout with customerEmail (or of a recurring price) makes one.')
      : h('table', {},
        h('thead', {}, h('tr', {}, h('th', {}, 'Customer'), h('th', {}, 'Email'), h('th', {}, 'Subscriptions'))),
        h('tbody', {}, d.customers.map((c) => h('tr', { 'data-customer': c.customerId, id: `customer-${c.customerId}` },
          h('td', {}, h('code', { class: 'id' }, c.customerId), h('span', { class: 'sub' }, time(c.createdAt))),
          h('td', {}, c.email ?? h('em', {}, 'no email')),
          h('td', {}, d.subscriptions.filter((s) => s.customerId === c.customerId)
            .map((s) => h('a', { class: 'sub', href: `#subscription-${s.subscriptionId}` }, `${s.subscriptionId} · ${s.status}`))))))));
}

function subscriptionsCard(d) {
  return h('section', { class: 'card', id: 'subscriptions' },
    h('h2', {}, 'Subscriptions', h('span', { class: 'count' }, String(d.billingTotals.subscriptions))),
    d.subscriptions.length === 0
      ? h('p', { class: 'empty' }, 'No subscriptions yet: a checkout session with the priceId of a recurring price starts one.')
      : h('div', { class: 'subs' }, d.subscriptions.map((s) => h('article', { class: 'subscription', id: `subscription-${s.subscriptionId}`, 'data-subscription': s.subscriptionId },
        h('div', { class: 'sub-head' },
          h('div', {},
            h('code', { class: 'id' }, s.subscriptionId),
            h('span', { class: 'sub' }, `${s.priceId} · ${money(s.amount, s.currency)} / ${s.interval} · card •••• ${s.cardLast4 ?? '—'}`),
            h('span', { class: 'sub' }, h('a', { href: `#customer-${s.customerId}` }, s.customerId), ' · ', h('a', { href: `#session-${s.sessionId}` }, `checkout ${s.sessionId}`))),
          h('div', { class: 'sub-status' }, pill(s.status), s.cancelAtPeriodEnd && s.status !== 'canceled' ? pill('cancels at period end', 'warn') : null)),
        h('p', { class: 'note' }, s.currentPeriodEnd
          ? `Period ${day(s.currentPeriodStart)} – ${day(s.currentPeriodEnd)}${s.trialEnd ? ` · trial until ${day(s.trialEnd)}` : ''}${s.canceledAt ? ` · canceled ${day(s.canceledAt)}` : ''}`
          : 'Not started: its checkout is not paid.'),
        ['active', 'trialing', 'past_due'].includes(s.status)
          ? h('div', { class: 'actions' },
            actionButton(s.status === 'past_due' ? 'Retry payment now' : 'Advance to period end', () => control(`/api/test/subscription/${encodeURIComponent(s.subscriptionId)}/advance`, {}, (v) => `${v.subscriptionId} is now ${v.status}`), { 'data-advance-sub': s.subscriptionId }),
            actionButton(s.cardLast4 === '0002' ? 'Use a paying card' : 'Use a declining card', () => control(`/api/test/subscription/${encodeURIComponent(s.subscriptionId)}/card`, { number: s.cardLast4 === '0002' ? '4242 4242 4242 4242' : '4000 0000 0000 0002' }, (v) => `${v.subscriptionId} renews with card •••• ${v.cardLast4}`)))
          : null,
        s.invoiceCount > s.invoices.length ? h('p', { class: 'note' }, `The newest ${s.invoices.length} of ${s.invoiceCount} invoices:`) : null,
        h('table', { class: 'invoices' },
          h('thead', {}, h('tr', {}, h('th', {}, 'Invoice'), h('th', {}, 'Status'), h('th', {}, 'Period'), h('th', { class: 'num' }, 'Amount'))),
          h('tbody', {}, s.invoices.map((i) => h('tr', { 'data-invoice': i.invoiceId },
            h('td', {}, h('code', { class: 'id' }, i.invoiceId), h('span', { class: 'sub' }, `${time(i.createdAt)} · ${i.attemptCount} attempt${i.attemptCount === 1 ? '' : 's'}`)),
            h('td', {}, pill(i.status)),
            h('td', {}, `${day(i.periodStart)} – ${day(i.periodEnd)}`),
            h('td', { class: 'num' }, money(i.amount, i.currency))))))))));
}

function refundsCard(d) {
  return h('section', { class: 'card', id: 'refunds' },
    h('h2', {}, 'Refunds', h('span', { class: 'count' }, String(d.billingTotals.refunds))),
    d.refunds.length === 0
      ? h('p', { class: 'empty' }, 'No refunds yet: the Refund button of a paid order, or POST /api/test/order/{id}/refund.')
      : h('table', {},
        h('thead', {}, h('tr', {}, h('th', {}, 'Refund'), h('th', {}, 'Status'), h('th', {}, 'Order'), h('th', { class: 'num' }, 'Amount'))),
        h('tbody', {}, d.refunds.map((r) => h('tr', { 'data-refund-id': r.refundId },
          h('td', {}, h('code', { class: 'id' }, r.refundId), h('span', { class: 'sub' }, `${time(r.createdAt)}${r.reason ? ` · ${r.reason}` : ''}`)),
          h('td', {}, pill(r.status)),
          h('td', {}, h('a', { href: `#order-${r.orderId}` }, h('code', {}, r.orderId))),
          h('td', { class: 'num' }, money(r.amount, r.currency)))))));
}

function render(d) {
  app.replaceChildren(
    keysCard(d),
    clockCard(d),
    sessionsCard(d),
    ordersCard(d),
    subscriptionsCard(d),
    customersCard(d),
    refundsCard(d),
    productsCard(d),
    deliveriesCard(d),
  );
}

async function refresh() {
  try {
    const response = await fetch('/inspector/data', { cache: 'no-store' });
    const text = await response.text();
    const body = JSON.parse(text);
    if (body.code !== 200) throw new Error(body.msg);
    live.textContent = `live · updated ${time(Date.now())}`;
    live.className = 'live on';
    if (text !== lastText) {
      lastText = text;
      lastData = body.data;
      render(body.data);
    }
    // The clock's line ticks without a redraw.
    const now = document.getElementById('clock-now');
    if (now && lastData) now.textContent = clockNow(lastData);
  } catch (err) {
    live.textContent = `not connected (${err.message})`;
    live.className = 'live off';
  }
}

async function poll() {
  await refresh();
  setTimeout(poll, POLL_MS);
}

poll();
