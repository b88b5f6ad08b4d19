// Products and prices: the fixtures a local Clink starts with (`--catalog FILE`,
// `startClink({ catalog })`, or the default catalogue below; docs/local-clink.md, "Catalogue").
// Checking a catalogue is pure; a Catalog answers the product and price endpoints.
import { CLINK_CURRENCIES } from './validate.mjs';

export const INTERVALS = ['week', 'month', 'year'];
const ID_RE = /^[A-Za-z0-9_-]{1,64}$/;
const MAX_AMOUNT = 99_999_999_999;
const MAX_TRIAL_DAYS = 730;

/** The default catalogue (documented): a one-off lamp and a monthly plan, with and without a trial. */
export const DEFAULT_CATALOG = Object.freeze({
  products: [
    {
      productId: 'prd_desk_lamp',
      name: 'Desk lamp',
      description: 'A one-off purchase.',
      prices: [{ priceId: 'price_desk_lamp', type: 'one_time', unitAmount: 4900, currency: 'USD' }],
    },
    {
      productId: 'prd_pro_plan',
      name: 'Pro plan',
      description: 'A monthly subscription.',
      prices: [
        { priceId: 'price_pro_monthly', type: 'recurring', unitAmount: 1500, currency: 'USD', recurring: { interval: 'month' } },
        { priceId: 'price_pro_monthly_trial', type: 'recurring', unitAmount: 1500, currency: 'USD', recurring: { interval: 'month', trialPeriodDays: 14 } },
      ],
    },
  ],
});

const kind = (value) => (value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value);

/**
 * Checks a catalogue as given (JSON) and builds its products and prices.
 * @returns {{ ok: true, products: object[] } | { ok: false, msg: string }} msg names the field
 *   (`catalog.products[1].prices[0].unitAmount must be …`)
 */
export function readCatalog(value, createdAt) {
  const fail = (at, msg) => ({ ok: false, msg: `${at} ${msg}` });
  if (kind(value) !== 'object') return fail('catalog', 'must be an object { products: [...] }');
  if (!Array.isArray(value.products)) return fail('catalog.products', 'must be an array of products');
  if (value.products.length > 1000) return fail('catalog.products', 'must hold at most 1000 products');
  const products = [];
  const productIds = new Set();
  const priceIds = new Set();
  for (const [i, p] of value.products.entries()) {
    const at = `catalog.products[${i}]`;
    if (kind(p) !== 'object') return fail(at, 'must be an object { productId, name, description?, prices }');
    if (typeof p.productId !== 'string' || !ID_RE.test(p.productId)) return fail(`${at}.productId`, 'must be 1-64 letters, digits, _ or -');
    if (productIds.has(p.productId)) return fail(`${at}.productId`, `repeats ${p.productId}: product ids must be unique`);
    productIds.add(p.productId);
    if (typeof p.name !== 'string' || p.name.trim() === '' || p.name.length > 255) return fail(`${at}.name`, 'must be a non-empty string of at most 255 characters');
    if (p.description !== undefined && p.description !== null && (typeof p.description !== 'string' || p.description.length > 1000)) {
      return fail(`${at}.description`, 'must be a string of at most 1000 characters, or null');
    }
    if (!Array.isArray(p.prices) || p.prices.length === 0 || p.prices.length > 100) return fail(`${at}.prices`, 'must be a non-empty array (at most 100) of prices');
    const prices = [];
    for (const [j, q] of p.prices.entries()) {
      const price = readPrice(q, `${at}.prices[${j}]`, p.productId, createdAt);
      if (!price.ok) return price;
      if (priceIds.has(price.price.priceId)) return fail(`${at}.prices[${j}].priceId`, `repeats ${price.price.priceId}: price ids must be unique`);
      priceIds.add(price.price.priceId);
      prices.push(price.price);
    }
    products.push({
      productId: p.productId, name: p.name, description: p.description ?? null, active: true, createdAt, prices,
    });
  }
  return { ok: true, products };
}

function readPrice(q, at, productId, createdAt) {
  const fail = (where, msg) => ({ ok: false, msg: `${where} ${msg}` });
  if (kind(q) !== 'object') return fail(at, 'must be an object { priceId, type, unitAmount, currency, recurring? }');
  if (typeof q.priceId !== 'string' || !ID_RE.test(q.priceId)) return fail(`${at}.priceId`, 'must be 1-64 letters, digits, _ or -');
  if (q.type !== 'one_time' && q.type !== 'recurring') return fail(`${at}.type`, 'must be "one_time" or "recurring"');
  if (!Number.isSafeInteger(q.unitAmount) || q.unitAmount <= 0 || q.unitAmount > MAX_AMOUNT) {
    return fail(`${at}.unitAmount`, 'must be an integer number of minor units greater than 0');
  }
  if (!CLINK_CURRENCIES.includes(q.currency)) return fail(`${at}.currency`, `must be one of Clink's currencies: ${CLINK_CURRENCIES.join(', ')}`);
  let recurring = null;
  if (q.type === 'one_time') {
    if (q.recurring !== undefined && q.recurring !== null) return fail(`${at}.recurring`, 'must be absent for a one_time price');
  } else {
    const r = q.recurring;
    if (kind(r) !== 'object') return fail(`${at}.recurring`, 'is required for a recurring price: { interval, trialPeriodDays? }');
    if (!INTERVALS.includes(r.interval)) return fail(`${at}.recurring.interval`, `must be one of ${INTERVALS.join(', ')}`);
    if (r.intervalCount !== undefined && r.intervalCount !== 1) return fail(`${at}.recurring.intervalCount`, 'must be 1 (the local Clink bills every interval)');
    const trial = r.trialPeriodDays ?? null;
    if (trial !== null && (!Number.isInteger(trial) || trial < 1 || trial > MAX_TRIAL_DAYS)) {
      return fail(`${at}.recurring.trialPeriodDays`, `must be a whole number of days from 1 to ${MAX_TRIAL_DAYS}, or null`);
    }
    recurring = { interval: r.interval, intervalCount: 1, trialPeriodDays: trial };
  }
  return {
    ok: true,
    price: {
      priceId: q.priceId, productId, type: q.type, unitAmount: q.unitAmount, currency: q.currency, recurring, active: true, createdAt,
    },
  };
}

export class Catalog {
  #products = new Map();
  #prices = new Map();

  /** @param {object[]} products from readCatalog */
  constructor(products) {
    for (const product of products) {
      this.#products.set(product.productId, product);
      for (const price of product.prices) this.#prices.set(price.priceId, price);
    }
  }

  products() {
    return [...this.#products.values()].map(productView);
  }

  product(productId) {
    const product = this.#products.get(productId);
    return product ? productView(product) : null;
  }

  prices() {
    return [...this.#prices.values()].map(priceView);
  }

  price(priceId) {
    const price = this.#prices.get(priceId);
    return price ? priceView(price) : null;
  }

  /**
   * Why a checkout of `priceId` + `productId` for this amount cannot be created, or null
   * (a 400 naming the field).
   */
  checkoutProblem({ priceId, productId, originalAmount, originalCurrency }) {
    const price = this.#prices.get(priceId);
    if (!price) return `priceId ${priceId} is not in the catalogue (GET /api/price lists the prices)`;
    if (price.productId !== productId) return `productId ${productId} does not match priceId ${priceId}, which belongs to ${price.productId}`;
    if (originalCurrency !== price.currency) return `originalCurrency must be the price's currency, ${price.currency}`;
    if (originalAmount !== price.unitAmount) return `originalAmount must be the price's unitAmount, ${price.unitAmount}`;
    return null;
  }
}

const priceView = (price) => ({ ...price, recurring: price.recurring && { ...price.recurring } });
const productView = (product) => ({ ...product, prices: product.prices.map(priceView) });

/**
 * startClink's `catalog` option: the default catalogue when absent, else the given one checked.
 * @returns {object[]} products as readCatalog builds them
 * @throws {TypeError} naming the field (`.option` is 'catalog')
 */
export function catalogOption(value, createdAt) {
  const read = readCatalog(value ?? DEFAULT_CATALOG, createdAt);
  if (!read.ok) throw Object.assign(new TypeError(read.msg), { option: 'catalog' });
  return read.products;
}
