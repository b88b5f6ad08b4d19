#!/usr/bin/env node
// clink-local: starts a local Clink (REST API, signed webhooks, hosted checkout, inspector).
// Exit status: 0 after Ctrl-C/SIGTERM, 2 for a bad flag or a refused combination (usage on stderr),
// 1 when the server cannot start (e.g. the port is taken).
import { readFileSync } from 'node:fs';
import { startClink } from '../index.mjs';
import { CLINK_FLAGS, UsageError, flagHelp, flagOf, parseFlags } from '../lib/options.mjs';

const USAGE = `Usage: npx @clink-ai/clink-local [options]

A local stand-in for Clink's test environment: REST API, signed webhooks, hosted checkout,
bootstrap for @clink-ai/clink-js, and an inspector page at its URL.

Options:
${flagHelp(CLINK_FLAGS)}`;

/** The parsed JSON of a --catalog file, or exit 2 saying why it cannot be read. */
function readCatalogFile(file) {
  let text;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    fail(`--catalog ${file}: cannot read it (${err.code || err.message})`);
  }
  try {
    return JSON.parse(text);
  } catch (err) {
    fail(`--catalog ${file}: not valid JSON (${err.message})`);
  }
  return undefined;
}

function fail(message) {
  console.error(`clink-local: ${message}\n\n${USAGE}`);
  process.exit(2);
}

async function main() {
  let options;
  try {
    options = parseFlags(process.argv.slice(2), CLINK_FLAGS);
  } catch (err) {
    if (err instanceof UsageError) fail(err.message);
    throw err;
  }
  if (options.help) {
    console.log(USAGE);
    return;
  }
  const { json = false } = options;
  delete options.json;
  delete options.help;
  options.port ??= 8081;
  // --catalog names a JSON file; startClink checks what it holds (an error names the field).
  if (typeof options.catalog === 'string') options.catalog = readCatalogFile(options.catalog);
  // With --json, stdout carries exactly one line: the log goes to stderr.
  options.log = json ? (line) => console.error(line) : (line) => console.log(line);

  let clink;
  try {
    clink = await startClink(options);
  } catch (err) {
    // An option startClink refused: name the flag that set it.
    const flag = err?.option ? flagOf(CLINK_FLAGS, err.option) : null;
    if (flag) fail(`${flag}: ${err.message}`);
    console.error(`clink-local: ${err?.message || err}`);
    process.exit(1);
  }

  const { url, publishableKey, secretKey, webhookSecret } = clink;
  if (json) {
    process.stdout.write(`${JSON.stringify({ url, publishableKey, secretKey, webhookSecret })}\n`);
  } else {
    const webhooks = options.webhooks ?? [];
    console.log([
      '',
      'Local Clink running',
      `  URL (API + hosted checkout):  ${url}`,
      `  Inspector:                    ${url}/`,
      `  Secret key (X-API-Key):       ${secretKey}`,
      `  Publishable key (browser):    ${publishableKey}`,
      `  Webhook signing secret:       ${webhookSecret}`,
      `  Webhook endpoints:            ${webhooks.length ? webhooks.join(', ') : 'none (add with --webhook URL)'}`,
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

main().catch((err) => {
  console.error(`clink-local: ${err?.stack || err}`);
  process.exit(1);
});
