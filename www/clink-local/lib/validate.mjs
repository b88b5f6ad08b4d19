// The fields of POST /api/checkout/session, checked the way a strict server would: a missing or
// wrong-typed field is refused with a message naming it; and the webhook URLs it accepts. Pure.
import { TEST_OUTCOMES } from './checkout-walk.mjs';

/** The currencies Clink lists; no other is accepted (docs/local-clink.md, "Limits and safety"). */
export const CLINK_CURRENCIES = Object.freeze(['USD', 'EUR', 'CNY', 'CAD', 'JPY', 'AUD', 'SGD', 'HKD', 'KRW', 'GBP', 'AED']);
const CURRENCY_HINT = `one of Clink's currencies: ${CLINK_CURRENCIES.join(', ')}`;
const EMAIL_RE = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const MAX_AMOUNT = 99_999_999_999; // minor units; far above any one checkout
const MAX_TEXT = 255;
const MAX_URL = 2048;
const MAX_ITEMS = 100;

const kind = (value) => (value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value);

/**
 * @param {object} body the parsed JSON object
 * @param {{ testOutcomeHeader?: string }} [extra]
 * @returns {{ ok: true, fields: object } | { ok: false, field: string, msg: string }}
 */
export function validateSessionCreate(body, { testOutcomeHeader } = {}) {
  const problems = [];
  const fail = (field, msg) => problems.push({ field, msg: `${field} ${msg}` });
  // null counts as absent for optional fields (many server SDKs send unset fields as null).
  const has = (key) => body[key] !== undefined && body[key] !== null;

  const amount = body.originalAmount;
  if (!has('originalAmount')) fail('originalAmount', 'is required: an integer amount in minor units (1999 for 19.99)');
  else if (!Number.isSafeInteger(amount) || amount <= 0 || amount > MAX_AMOUNT) {
    fail('originalAmount', `must be an integer number of minor units greater than 0 (got ${kind(amount) === 'number' ? amount : kind(amount)})`);
  }
  if (!has('originalCurrency')) fail('originalCurrency', 'is required: 3 upper-case letters, e.g. "USD"');
  else if (!CLINK_CURRENCIES.includes(body.originalCurrency)) {
    fail('originalCurrency', `must be ${CURRENCY_HINT} (got ${JSON.stringify(body.originalCurrency)})`);
  }

  const hasList = has('priceDataList');
  const hasPrice = has('priceId') || has('productId');
  if (hasList && hasPrice) {
    fail('priceDataList', 'and priceId/productId cannot both be given: send either priceDataList or priceId + productId');
  } else if (!hasList && !hasPrice) {
    fail('priceDataList', 'or priceId + productId is required');
  } else if (hasList) {
    const list = body.priceDataList;
    if (!Array.isArray(list) || list.length === 0 || list.length > MAX_ITEMS) {
      fail('priceDataList', `must be a non-empty array (at most ${MAX_ITEMS} items) of { name, quantity, unitAmount, currency }`);
    } else {
      list.forEach((item, i) => itemProblems(item, `priceDataList[${i}]`, fail, body.originalCurrency));
    }
  } else {
    for (const key of ['priceId', 'productId']) {
      if (!has(key)) fail(key, `is required with ${key === 'priceId' ? 'productId' : 'priceId'}`);
      else if (!isText(body[key])) fail(key, `must be a non-empty string of at most ${MAX_TEXT} characters`);
    }
  }

  if (has('customerEmail') && (!isText(body.customerEmail) || !EMAIL_RE.test(body.customerEmail))) {
    fail('customerEmail', 'must be an email address');
  }
  for (const key of ['customerId', 'merchantReferenceId']) {
    if (has(key) && !isText(body[key])) fail(key, `must be a non-empty string of at most ${MAX_TEXT} characters`);
  }
  for (const key of ['successUrl', 'cancelUrl']) {
    if (has(key) && !httpUrl(body[key])) fail(key, 'must be an absolute http(s) URL');
  }
  if (has('allowPromotionCodes') && typeof body.allowPromotionCodes !== 'boolean') {
    fail('allowPromotionCodes', 'must be a boolean');
  }
  const testOutcome = has('testOutcome') ? body.testOutcome : testOutcomeHeader;
  if (testOutcome !== undefined && testOutcome !== '' && !TEST_OUTCOMES.includes(testOutcome)) {
    fail(has('testOutcome') ? 'testOutcome' : 'X-Clink-Test-Outcome', `must be one of ${TEST_OUTCOMES.join(', ')}`);
  }

  if (problems.length > 0) return { ok: false, field: problems[0].field, msg: problems[0].msg };
  const pick = (key) => (has(key) ? body[key] : null);
  return {
    ok: true,
    fields: {
      originalAmount: amount,
      originalCurrency: body.originalCurrency,
      priceDataList: hasList ? body.priceDataList.map(({ name, quantity, unitAmount, currency }) => ({ name, quantity, unitAmount, currency })) : null,
      priceId: pick('priceId'),
      productId: pick('productId'),
      customerEmail: pick('customerEmail'),
      customerId: pick('customerId'),
      successUrl: has('successUrl') ? new URL(body.successUrl).href : null,
      cancelUrl: has('cancelUrl') ? new URL(body.cancelUrl).href : null,
      merchantReferenceId: pick('merchantReferenceId'),
      allowPromotionCodes: has('allowPromotionCodes') ? body.allowPromotionCodes : false,
      testOutcome: testOutcome || null,
    },
  };
}

function itemProblems(item, at, fail, sessionCurrency) {
  if (kind(item) !== 'object') return fail(at, 'must be an object { name, quantity, unitAmount, currency }');
  if (!isText(item.name)) fail(`${at}.name`, `must be a non-empty string of at most ${MAX_TEXT} characters`);
  if (!Number.isSafeInteger(item.quantity) || item.quantity < 1) fail(`${at}.quantity`, 'must be an integer of at least 1');
  if (!Number.isSafeInteger(item.unitAmount) || item.unitAmount < 0 || item.unitAmount > MAX_AMOUNT) {
    fail(`${at}.unitAmount`, 'must be an integer number of minor units, 0 or more');
  }
  if (!CLINK_CURRENCIES.includes(item.currency)) {
    fail(`${at}.currency`, `must be ${CURRENCY_HINT} (got ${JSON.stringify(item.currency)})`);
  } else if (CLINK_CURRENCIES.includes(sessionCurrency) && item.currency !== sessionCurrency) {
    fail(`${at}.currency`, `must be the session's originalCurrency ${sessionCurrency} (got ${item.currency}): one checkout is paid in one currency`);
  }
}

function isText(value) {
  return typeof value === 'string' && value.trim() !== '' && value.length <= MAX_TEXT;
}

function httpUrl(value) {
  if (typeof value !== 'string' || value.length > MAX_URL) return false;
  try {
    const url = new URL(value);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== '';
  } catch {
    return false;
  }
}

/**
 * Why a webhook endpoint URL is refused, or null. Accepted: an absolute http(s) URL with a host and
 * without credentials (user-info), at most 2048 characters: one that can always be requested.
 */
export function webhookUrlProblem(value) {
  const shape = 'must be an absolute http(s) URL, e.g. "http://127.0.0.1:3000/webhooks/clink"';
  if (typeof value !== 'string' || value.length > MAX_URL) return shape;
  let url;
  try {
    url = new URL(value);
  } catch {
    return shape;
  }
  if ((url.protocol !== 'http:' && url.protocol !== 'https:') || url.hostname === '') return shape;
  // Port 0 cannot be connected to (http.request would quietly use the scheme's default port instead).
  if (url.port === '0') return 'must name a port from 1 to 65535 (0 is no port)';
  if (url.username !== '' || url.password !== '') {
    return 'must not carry credentials (user:password@): the local Clink signs every delivery instead (X-Clink-Signature); verify that in your endpoint';
  }
  return null;
}
