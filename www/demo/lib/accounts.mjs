// The shop's customer accounts and what it knows of their subscriptions and invoices. An account
// is this browser's sign-in (a cookie; the demo has no passwords); its Clink customer id is learnt
// from Clink's answers to the shop's own calls and from verified webhooks. Subscriptions and
// invoices are recorded from verified `subscription.*` and `invoice.*` webhooks only, never from a
// URL or the browser: the account page shows these records.
//
// subscriptionAfter() / invoiceAfter() are the pure rules; AccountBook keeps the records.

const MAX_RECORDS = 5000;

/** Which of two versions of a Clink object is newer: its `updatedAt`, else the event's `createdAt`. */
function versionOf(data, event) {
  return Number.isFinite(data.updatedAt) ? data.updatedAt : Number.isFinite(event.createdAt) ? event.createdAt : 0;
}

/**
 * A Clink object record after an event about it. Events arrive in any order: an older version never
 * replaces a newer one, and a `*.created` never replaces what an `*.updated` already brought.
 */
function recordAfter(record, event, receivedAt) {
  const version = versionOf(event.data, event);
  const seen = { id: event.id, type: event.type, receivedAt };
  if (!record) return { ...event.data, version, events: [seen] };
  const events = [...record.events, seen];
  const stale = version < record.version || (version === record.version && event.type.endsWith('.created'));
  return stale ? { ...record, events } : { ...event.data, version, events };
}

export const subscriptionAfter = recordAfter;
export const invoiceAfter = recordAfter;

export class AccountBook {
  #accounts = new Map(); // account id → { id, email, customerId, createdAt }
  #subscriptions = new Map(); // Clink subscriptionId → record
  #invoices = new Map(); // Clink invoiceId → record
  #now;

  constructor({ now = Date.now } = {}) {
    this.#now = now;
  }

  /** The account, created on first sight of its id. */
  ensure(id) {
    let account = this.#accounts.get(id);
    if (!account) {
      account = { id, email: `buyer+${id.slice(-8)}@example.com`, customerId: null, createdAt: this.#now() };
      this.#accounts.set(id, account);
      if (this.#accounts.size > MAX_RECORDS) this.#accounts.delete(this.#accounts.keys().next().value);
    }
    return account;
  }

  get(id) {
    return (typeof id === 'string' && this.#accounts.get(id)) || null;
  }

  /** Records the Clink customer of an account (from Clink's answer to the shop, or a verified event about its order). */
  linkCustomer(accountId, customerId) {
    const account = this.get(accountId);
    if (account && typeof customerId === 'string' && customerId && !account.customerId) account.customerId = customerId;
    return account;
  }

  /** Applies a verified subscription.* or invoice.* event: 'applied' or 'unmatched' (another family). */
  applyEvent(event) {
    const data = event.data;
    if (event.type.startsWith('subscription.') && typeof data?.subscriptionId === 'string') {
      this.#put(this.#subscriptions, data.subscriptionId, subscriptionAfter(this.#subscriptions.get(data.subscriptionId), event, this.#now()));
      return { outcome: 'applied', subscriptionId: data.subscriptionId };
    }
    if (event.type.startsWith('invoice.') && typeof data?.invoiceId === 'string') {
      this.#put(this.#invoices, data.invoiceId, invoiceAfter(this.#invoices.get(data.invoiceId), event, this.#now()));
      return { outcome: 'applied', invoiceId: data.invoiceId };
    }
    return { outcome: 'unmatched' };
  }

  /** An account's subscriptions (newest first), each with its invoices (newest last changed first). */
  subscriptionsOf(accountId) {
    const customerId = this.get(accountId)?.customerId;
    if (!customerId) return [];
    const invoices = [...this.#invoices.values()];
    return [...this.#subscriptions.values()]
      .filter((s) => s.customerId === customerId)
      .sort((a, b) => (b.createdAt ?? 0) - (a.createdAt ?? 0))
      .map((s) => ({ ...s, invoices: invoices.filter((i) => i.subscriptionId === s.subscriptionId).reverse() }));
  }

  /** The account's subscription to `priceId` that still gives access, if any. */
  liveSubscription(accountId, priceId) {
    return this.subscriptionsOf(accountId).find((s) => s.priceId === priceId && ['active', 'trialing', 'past_due'].includes(s.status)) ?? null;
  }

  #put(map, id, record) {
    map.delete(id); // re-inserted last: the newest-changed record is last
    map.set(id, record);
    if (map.size > MAX_RECORDS) map.delete(map.keys().next().value);
  }
}
