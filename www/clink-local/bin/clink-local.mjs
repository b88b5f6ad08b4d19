#!/usr/bin/env node
// clink-local: starts a local Clink (REST API, signed webhooks, hosted checkout, inspector).
import { parseArgs } from 'node:util';
import { DEFAULT_SECRET_KEY, DEFAULT_WEBHOOK_SECRET, startClink } from '../index.mjs';

const USAGE = `Usage: clink-local [options]

A local stand-in for Clink's test environment: REST API, signed webhooks, hosted checkout,
bootstrap for @clink-ai/clink-js, and an inspector page at its URL.

Options:
  --port <n>                   port to listen on (default 8081; 0 picks a free port)
  --host <host>                address to listen on (default 127.0.0.1)
  --secret-key <sk_test_…>     the REST API's secret key (default ${DEFAULT_SECRET_KEY})
  --webhook <url>              register a webhook endpoint (repeatable)
  --webhook-secret <secret>    webhook signing secret (default ${DEFAULT_WEBHOOK_SECRET})
  --webhook-retry-base-ms <n>  first retry delay; the n-th retry waits base × 2^(n-1) (default 1000)
  --session-ttl <seconds>      checkout sessions expire this long after creation (default 1800)
  --merchant-name <name>       the merchant name the hosted checkout shows (default "Test merchant")
  --json                       print one JSON line {url, publishableKey, secretKey, webhookSecret}
                               on start and nothing else on stdout (logs go to stderr)
  -h, --help                   show this help`;

function fail(message) {
  console.error(`clink-local: ${message}\n\n${USAGE}`);
  process.exit(2);
}

function integer(value, flag) {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value)) fail(`${flag} must be a whole number, got "${value}"`);
  return Number(value);
}

function seconds(value) {
  if (value === undefined) return undefined;
  if (!/^\d+(\.\d+)?$/.test(value)) fail(`--session-ttl must be a number of seconds, got "${value}"`);
  return Number(value);
}

async function main() {
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        port: { type: 'string', short: 'p' },
        host: { type: 'string' },
        'secret-key': { type: 'string' },
        webhook: { type: 'string', multiple: true },
        'webhook-secret': { type: 'string' },
        'webhook-retry-base-ms': { type: 'string' },
        'session-ttl': { type: 'string' },
        'merchant-name': { type: 'string' },
        json: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (err) {
    fail(err.message);
  }
  if (values.help) {
    console.log(USAGE);
    return;
  }
  const json = Boolean(values.json);
  const options = {
    port: integer(values.port, '--port') ?? 8081,
    host: values.host,
    secretKey: values['secret-key'],
    webhooks: values.webhook ?? [],
    webhookSecret: values['webhook-secret'],
    webhookRetryBaseMs: integer(values['webhook-retry-base-ms'], '--webhook-retry-base-ms'),
    sessionTtl: seconds(values['session-ttl']),
    merchantName: values['merchant-name'],
    // With --json, stdout carries exactly one line: the log goes to stderr.
    log: json ? (line) => console.error(line) : (line) => console.log(line),
  };
  for (const key of Object.keys(options)) if (options[key] === undefined) delete options[key];

  let clink;
  try {
    clink = await startClink(options);
  } catch (err) {
    console.error(`clink-local: ${err.message}`);
    process.exit(err instanceof TypeError || err instanceof RangeError ? 2 : 1);
  }

  const { url, publishableKey, secretKey, webhookSecret } = clink;
  if (json) {
    process.stdout.write(`${JSON.stringify({ url, publishableKey, secretKey, webhookSecret })}\n`);
  } else {
    console.log([
      '',
      'Local Clink running',
      `  URL (API + hosted checkout):  ${url}`,
      `  Inspector:                    ${url}/`,
      `  Secret key (X-API-Key):       ${secretKey}`,
      `  Publishable key (browser):    ${publishableKey}`,
      `  Webhook signing secret:       ${webhookSecret}`,
      `  Webhook endpoints:            ${options.webhooks.length ? options.webhooks.join(', ') : 'none (add with --webhook URL)'}`,
      '',
      'Press Ctrl-C to stop.',
    ].join('\n'));
  }

  let stopping = false;
  const stop = () => {
    if (stopping) process.exit(130);
    stopping = true;
    clink.close().then(() => process.exit(0));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main();
