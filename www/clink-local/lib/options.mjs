// Flags and options, in one place for every launcher: a flag table turns a command line into an
// options object (parseFlags), the same table writes the usage text, and checkClinkOptions checks
// startClink's options (TypeError/RangeError naming the option). Pure: printing and exit codes
// belong to the launchers (bin/clink-local.mjs, and the demo's launcher with its own flags).
import { parseArgs } from 'node:util';
import { isLoopbackHost } from './auth.mjs';
import { webhookUrlProblem } from './validate.mjs';

/** The secret key of every local Clink unless you choose another (public: tests may hard-code it). */
export const DEFAULT_SECRET_KEY = 'sk_test_clink_local_0000000000000000';
/** The publishable key the local Clink reports (any well-formed pk_test_/pk_uat_ key works in bootstrap). */
export const DEFAULT_PUBLISHABLE_KEY = 'pk_test_clink_local';
/** The webhook signing secret unless you choose another. */
export const DEFAULT_WEBHOOK_SECRET = 'whsec_clink_local_0000000000000000';

/** `--session-ttl` bounds, in whole seconds: at least 1 s, at most 7 days. */
export const SESSION_TTL_MIN_SECONDS = 1;
export const SESSION_TTL_MAX_SECONDS = 7 * 24 * 3600;
/** A request body must arrive whole within this long (docs/local-clink.md, "Limits and safety"). */
export const BODY_TIMEOUT_MS = 60_000;

/** A bad command line: `flag` is the flag at fault (null when the parser cannot tell). */
export class UsageError extends Error {
  constructor(flag, message) {
    super(message);
    this.name = 'UsageError';
    this.flag = flag;
  }
}

/**
 * The local Clink's flags. A row: `flag` (without --), `option` (startClink's name), `kind`
 * (`integer`, `string`, `list` (repeatable), `boolean`), `value` (shown in the usage), `help`.
 */
export const CLINK_FLAGS = [
  { flag: 'port', short: 'p', option: 'port', kind: 'integer', value: '<n>', help: 'port to listen on (default 8081; 0 picks a free port)' },
  { flag: 'host', option: 'host', kind: 'string', value: '<host>', help: 'address to listen on (default 127.0.0.1)' },
  { flag: 'allowed-host', option: 'allowedHosts', kind: 'list', value: '<name>', help: 'also serve requests whose Host is this name (repeatable); loopback names and --host always are' },
  { flag: 'secret-key', option: 'secretKey', kind: 'string', value: '<sk_test_…>', help: `the REST API's secret key (default ${DEFAULT_SECRET_KEY}; required off loopback)` },
  { flag: 'webhook', option: 'webhooks', kind: 'list', value: '<url>', help: 'register a webhook endpoint, an http(s) URL without credentials (repeatable)' },
  { flag: 'webhook-secret', option: 'webhookSecret', kind: 'string', value: '<secret>', help: `webhook signing secret (default ${DEFAULT_WEBHOOK_SECRET})` },
  { flag: 'webhook-retry-base-ms', option: 'webhookRetryBaseMs', kind: 'integer', value: '<n>', help: 'first retry delay; the n-th retry waits base × 2^(n-1) (default 1000)' },
  { flag: 'session-ttl', option: 'sessionTtl', kind: 'integer', value: '<seconds>', help: `checkout sessions expire this long after creation (default 1800; ${SESSION_TTL_MIN_SECONDS} to ${SESSION_TTL_MAX_SECONDS})` },
  { flag: 'catalog', option: 'catalog', kind: 'string', value: '<file>', help: 'products and prices from a JSON file { "products": [...] } instead of the default catalogue (docs/local-clink.md, "Catalogue")' },
  { flag: 'merchant-name', option: 'merchantName', kind: 'string', value: '<name>', help: 'the merchant name the hosted checkout shows (default "Test merchant")' },
  { flag: 'json', option: 'json', kind: 'boolean', help: 'print one JSON line {url, publishableKey, secretKey, webhookSecret} on start and nothing else on stdout (logs go to stderr)' },
  { flag: 'help', short: 'h', option: 'help', kind: 'boolean', help: 'show this help' },
];

/**
 * Reads a command line with a flag table.
 * @param {string[]} argv the arguments (without node and the script)
 * @param {typeof CLINK_FLAGS} table
 * @returns {Record<string, unknown>} the options given (absent flags are absent)
 * @throws {UsageError}
 */
export function parseFlags(argv, table) {
  const spec = {};
  for (const row of table) {
    spec[row.flag] = { type: row.kind === 'boolean' ? 'boolean' : 'string', multiple: row.kind === 'list' };
    if (row.short) spec[row.flag].short = row.short;
  }
  let values;
  try {
    ({ values } = parseArgs({ args: argv, options: spec, strict: true, allowPositionals: false }));
  } catch (err) {
    const named = /'(-{1,2}[^' ]+)/.exec(err.message);
    throw new UsageError(named ? named[1] : null, err.message);
  }
  const options = {};
  for (const row of table) {
    const value = values[row.flag];
    if (value === undefined) continue;
    if (row.kind === 'integer') {
      if (!/^\d{1,15}$/.test(value)) throw new UsageError(`--${row.flag}`, `--${row.flag} must be a whole number, got "${value}"`);
      options[row.option] = Number(value);
    } else if (row.kind === 'list' || row.kind === 'string') {
      const list = row.kind === 'list' ? value : [value];
      const empty = list.find((v) => v.trim() === '');
      if (empty !== undefined) throw new UsageError(`--${row.flag}`, `--${row.flag} needs a value, got an empty one`);
      options[row.option] = value;
    } else {
      options[row.option] = value;
    }
  }
  return options;
}

/** The flag of a table that sets `option` (`--session-ttl` for sessionTtl), or null. */
export function flagOf(table, option) {
  const row = table.find((r) => r.option === option);
  return row ? `--${row.flag}` : null;
}

/** The option list of a usage text, from the table (so the usage cannot miss a flag). */
export function flagHelp(table) {
  const left = (row) => `${row.short ? `-${row.short}, ` : ''}--${row.flag}${row.value ? ` ${row.value}` : ''}`;
  const width = Math.max(...table.map((row) => left(row).length)) + 2;
  return table.map((row) => `  ${left(row).padEnd(width)}${row.help}`).join('\n');
}

// A host name, an IPv4 address, or an IPv6 address with or without brackets (no scheme, no port).
const HOST_NAME_RE = /^(?:\[[0-9a-f:.]+\]|[0-9a-f]*:[0-9a-f]*:[0-9a-f:.]*|[0-9a-z.-]+)$/i;

/**
 * Checks startClink's options and completes them with the defaults.
 * Throws TypeError/RangeError naming the option (and `.option` set to its name), or an Error with
 * code `CLINK_PUBLIC_KEY_OFF_LOOPBACK` when a non-loopback address would be served with the
 * documented default secret key.
 */
export function checkClinkOptions(options = {}) {
  if (options === null || typeof options !== 'object' || Array.isArray(options)) throw new TypeError('startClink options must be an object');
  const {
    port = 0, host = '127.0.0.1', allowedHosts = [], secretKey = DEFAULT_SECRET_KEY, webhooks = [],
    webhookSecret = DEFAULT_WEBHOOK_SECRET, webhookRetryBaseMs = 1000, sessionTtl = 1800,
    merchantName = 'Test merchant', quiet = true, log,
    // Internal knobs for the package's own tests (not documented as options).
    processingMs = 900, webhookTimeoutMs = 10_000, bodyTimeoutMs = BODY_TIMEOUT_MS, maxSessions,
  } = options;
  const bad = (Type, option, message) => Object.assign(new Type(`${option} ${message}`), { option });

  if (!Number.isInteger(port) || port < 0 || port > 65535) throw bad(RangeError, 'port', `must be an integer from 0 to 65535, got ${String(port)}`);
  if (typeof host !== 'string' || host === '') throw bad(TypeError, 'host', 'must be a non-empty string');
  if (!Array.isArray(allowedHosts) || allowedHosts.some((h) => typeof h !== 'string' || !HOST_NAME_RE.test(h))) {
    throw bad(TypeError, 'allowedHosts', 'must be an array of host names (e.g. ["shop.test"]), without scheme or port');
  }
  if (typeof secretKey !== 'string' || !/^sk_test_[A-Za-z0-9_]+$/.test(secretKey)) {
    throw bad(TypeError, 'secretKey', 'must look like sk_test_… (letters, digits, _): the local Clink is a test environment');
  }
  if (!Array.isArray(webhooks) || webhooks.some((u) => typeof u !== 'string')) throw bad(TypeError, 'webhooks', 'must be an array of URL strings');
  for (const url of webhooks) {
    const problem = webhookUrlProblem(url);
    if (problem) throw bad(TypeError, 'webhooks', `${JSON.stringify(url.slice(0, 80))}: ${problem}`);
  }
  if (typeof webhookSecret !== 'string' || webhookSecret.length < 8) throw bad(TypeError, 'webhookSecret', 'must be a string of at least 8 characters');
  if (!Number.isInteger(webhookRetryBaseMs) || webhookRetryBaseMs < 1 || webhookRetryBaseMs > 3_600_000) {
    throw bad(RangeError, 'webhookRetryBaseMs', `must be an integer from 1 to 3600000, got ${String(webhookRetryBaseMs)}`);
  }
  if (!Number.isInteger(sessionTtl) || sessionTtl < SESSION_TTL_MIN_SECONDS || sessionTtl > SESSION_TTL_MAX_SECONDS) {
    throw bad(RangeError, 'sessionTtl', `must be a whole number of seconds from ${SESSION_TTL_MIN_SECONDS} to ${SESSION_TTL_MAX_SECONDS} (7 days), got ${String(sessionTtl)}`);
  }
  if (typeof merchantName !== 'string' || merchantName.trim() === '' || merchantName.length > 100) {
    throw bad(TypeError, 'merchantName', 'must be a non-empty string of at most 100 characters');
  }
  for (const [name, value] of [['processingMs', processingMs], ['webhookTimeoutMs', webhookTimeoutMs], ['bodyTimeoutMs', bodyTimeoutMs]]) {
    if (!Number.isInteger(value) || value < 0 || value > 600_000) throw bad(RangeError, name, 'must be an integer from 0 to 600000');
  }
  if (maxSessions !== undefined && (!Number.isInteger(maxSessions) || maxSessions < 1)) throw bad(RangeError, 'maxSessions', 'must be a positive integer');
  if (!isLoopbackHost(host) && secretKey === DEFAULT_SECRET_KEY) {
    throw Object.assign(new Error(
      `refusing to listen on ${host} with the default secret key: that key is published in the documentation, so anyone who can reach ${host} could use the API. `
      + 'Choose your own with --secret-key sk_test_… (startClink({ secretKey })), or keep --host 127.0.0.1.',
    ), { code: 'CLINK_PUBLIC_KEY_OFF_LOOPBACK', option: 'secretKey' });
  }
  return {
    port, host, allowedHosts: [...allowedHosts], secretKey, webhooks: [...webhooks], webhookSecret, webhookRetryBaseMs, merchantName,
    sessionTtlMs: sessionTtl * 1000, processingMs, webhookTimeoutMs, bodyTimeoutMs, maxSessions,
    publishableKey: DEFAULT_PUBLISHABLE_KEY,
    log: typeof log === 'function' ? log : quiet ? () => {} : (line) => console.log(line),
  };
}
