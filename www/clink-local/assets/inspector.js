// The inspector page: polls /inspector/data and shows keys, sessions, orders and webhook
// deliveries. Built with DOM nodes and textContent only (payloads are data, never markup).
const POLL_MS = 1000;
const app = document.getElementById('app');
const live = document.getElementById('live');
const openDeliveries = new Set();
let lastText = '';

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
};
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
        h('tbody', {}, d.sessions.map((s) => h('tr', { 'data-session': s.sessionId },
          h('td', {},
            h('code', { class: 'id' }, s.sessionId),
            h('span', { class: 'sub' }, `${time(s.createdAt)}${s.merchantReferenceId ? ` · ref ${s.merchantReferenceId}` : ''}${s.orderId ? ` · ${s.orderId}` : ''}`)),
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
        h('tbody', {}, d.orders.map((o) => h('tr', { 'data-order': o.orderId },
          h('td', {}, h('code', { class: 'id' }, o.orderId), h('span', { class: 'sub' }, time(o.createdAt))),
          h('td', {}, pill(o.status)),
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
              h('span', { class: 'sub' }, `→\u00a0${x.url}`)),
            h('span', { class: 'sub' }, `${x.attempts.length} attempt${x.attempts.length === 1 ? '' : 's'}${last?.statusCode ? ` · last ${last.statusCode}` : ''}${x.nextAttemptAt ? ` · retry at ${time(x.nextAttemptAt)}` : ''}`)),
          h('div', { class: 'attempts' },
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

function render(d) {
  app.replaceChildren(
    keysCard(d),
    sessionsCard(d),
    ordersCard(d),
    deliveriesCard(d),
  );
}

async function poll() {
  try {
    const response = await fetch('/inspector/data', { cache: 'no-store' });
    const text = await response.text();
    const body = JSON.parse(text);
    if (body.code !== 200) throw new Error(body.msg);
    live.textContent = `live · updated ${time(Date.now())}`;
    live.className = 'live on';
    if (text !== lastText) {
      lastText = text;
      render(body.data);
    }
  } catch (err) {
    live.textContent = `not connected (${err.message})`;
    live.className = 'live off';
  }
  setTimeout(poll, POLL_MS);
}

poll();
