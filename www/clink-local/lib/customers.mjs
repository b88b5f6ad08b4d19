// Customers: made by a checkout that names none (from its customerEmail, or without an email),
// and named by later checkouts and billing portal sessions (docs/local-clink.md, "Customers").
import { randomBytes } from 'node:crypto';

const MAX_CUSTOMERS = 10_000;

export class CustomerStore {
  #customers = new Map();
  #now;

  /** @param {{ now: () => number }} opts */
  constructor({ now }) {
    this.#now = now;
  }

  /** A new customer (email may be null). */
  create(email) {
    const customer = { customerId: `cus_${randomBytes(8).toString('hex')}`, email: email ?? null, createdAt: this.#now() };
    this.#customers.set(customer.customerId, customer);
    // Bounded memory for long runs: the oldest customers go first.
    while (this.#customers.size > MAX_CUSTOMERS) this.#customers.delete(this.#customers.keys().next().value);
    return { ...customer };
  }

  get(customerId) {
    const customer = typeof customerId === 'string' ? this.#customers.get(customerId) : undefined;
    return customer ? { ...customer } : null;
  }

  /** Newest first. */
  list() {
    return [...this.#customers.values()].reverse().map((c) => ({ ...c }));
  }
}
