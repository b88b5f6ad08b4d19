// The local Clink on a developer's machine, over HTTP (docs/local-clink.md, "Limits and safety"):
// the Host allow-list before anything else, a request line URL cannot parse, a body over 1 MB
// answered 413 and read by the client, a body that trickles in cut off at the deadline, an
// unexpected exception answered as a 500 envelope, and no unhandled rejection from anything a
// client or a webhook endpoint can do.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { request } from 'node:http';
import { connect } from 'node:net';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { WWW, api, createSession, installedClink, sessionBody } from './support.mjs';

const TEST = { timeout: 60_000 };

async function start(options) {
  const { startClink } = (await installedClink()).module;
  return startClink({ port: 0, ...options });
}

/** Sends `text` on a fresh socket; resolves { status, headers, body, json } of the first answer (or { error }). */
function raw(port, text, { keepWriting = null } = {}) {
  return new Promise((resolvePromise) => {
    const socket = connect(port, '127.0.0.1');
    let out = '';
    socket.on('connect', () => {
      socket.write(text);
      keepWriting?.(socket);
    });
    socket.on('data', (chunk) => {
      out += chunk.toString('latin1');
      const end = out.indexOf('\r\n\r\n');
      if (end === -1) return;
      const length = Number(/\r\ncontent-length: *(\d+)/i.exec(out.slice(0, end))?.[1] ?? NaN);
      if (out.length - end - 4 >= length) socket.destroy();
    });
    socket.on('error', (err) => resolvePromise({ error: err.code, out }));
    socket.on('close', () => {
      const end = out.indexOf('\r\n\r\n');
      if (end === -1) return resolvePromise({ error: 'no answer', out });
      const head = out.slice(0, end);
      const body = out.slice(end + 4);
      let json = null;
      try {
        json = JSON.parse(body);
      } catch {
        // not JSON: the test says what it expected
      }
      return resolvePromise({ status: Number(head.split(' ')[1]), head, body, json });
    });
  });
}

/** A GET/POST with an explicit Host header (fetch does not let a caller set Host). */
function withHost(clink, host, path, { method = 'GET', headers = {}, body } = {}) {
  const { port } = new URL(clink.url);
  return new Promise((resolvePromise, reject) => {
    const req = request({
      host: '127.0.0.1', port, method, path, agent: false,
      headers: { Host: host, 'X-API-Key': clink.secretKey, 'X-Timestamp': String(Date.now()), ...headers },
    }, (res) => {
      let text = '';
      res.on('data', (c) => { text += c; });
      res.on('end', () => resolvePromise({ status: res.statusCode, type: res.headers['content-type'], cors: res.headers['access-control-allow-origin'], text }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

describe('the Host allow-list (DNS rebinding)', () => {
  test('a page on another name gets 403 from the inspector, the REST API, bootstrap and the hosted pages', TEST, async () => {
    const clink = await start();
    try {
      const s = await createSession(clink);
      const evil = 'rebind.attacker.example';
      const port = new URL(clink.url).port;
      const inspectorData = await withHost(clink, `${evil}:${port}`, '/inspector/data');
      assert.equal(inspectorData.status, 403);
      assert.doesNotMatch(inspectorData.text, new RegExp(clink.secretKey), 'no secret key for a foreign Host');
      assert.doesNotMatch(inspectorData.text, new RegExp(clink.webhookSecret));
      const inspectorPage = await withHost(clink, evil, '/');
      assert.equal(inspectorPage.status, 403);
      assert.match(inspectorPage.type, /text\/html/);
      assert.match(inspectorPage.text, /--allowed-host/);
      const read = await withHost(clink, evil, `/api/checkout/session/${s.sessionId}`);
      assert.equal(read.status, 403);
      assert.equal(JSON.parse(read.text).code, 403);
      assert.match(JSON.parse(read.text).msg, /Host "rebind\.attacker\.example" is not served.*--allowed-host/);
      const created = await withHost(clink, evil, '/api/checkout/session', {
        method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(sessionBody({ merchantReferenceId: 'from-evil' })),
      });
      assert.equal(created.status, 403);
      const hook = await withHost(clink, evil, '/api/webhook/endpoints', {
        method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ url: 'http://127.0.0.1:9/x' }),
      });
      assert.equal(hook.status, 403);
      const bootstrap = await withHost(clink, evil, '/api/sdk/bootstrap?publishableKey=pk_test_x');
      assert.equal(bootstrap.status, 403);
      assert.equal(bootstrap.cors, '*', 'the SDK on a page of that name can read why');
      assert.doesNotMatch(bootstrap.text, /checkoutBaseUrl/);
      assert.equal((await withHost(clink, evil, `/pay/${encodeURIComponent(s.sessionParam)}`)).status, 403);
      assert.equal((await withHost(clink, evil, '/assets/pay.js')).status, 403);
      // Nothing the refused requests asked for happened.
      assert.equal((await api(clink, 'GET', '/api/webhook/endpoints')).json.data.items.length, 0);
      // A request without any Host (HTTP/1.0) is refused too.
      const noHost = await raw(port, 'GET /inspector/data HTTP/1.0\r\n\r\n');
      assert.equal(noHost.status, 403);
      assert.doesNotMatch(noHost.body, new RegExp(clink.secretKey));
    } finally {
      await clink.close();
    }
  });

  test('loopback names, the --host address and each allowedHosts name are served', TEST, async () => {
    const clink = await start({ allowedHosts: ['shop.test', 'Tunnel.Example.com'] });
    try {
      const { port } = new URL(clink.url);
      for (const host of [`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`, 'app.localhost', 'LOCALHOST.', `shop.test:${port}`, 'tunnel.example.com']) {
        const r = await withHost(clink, host, '/api/sdk/bootstrap?publishableKey=pk_test_x');
        assert.equal(r.status, 200, `${host}: ${r.text}`);
      }
      for (const host of ['shop.test.evil.example', 'notlocalhost', '127.0.0.1.nip.io', 'evil.example']) {
        assert.equal((await withHost(clink, host, '/api/sdk/bootstrap?publishableKey=pk_test_x')).status, 403, host);
      }
    } finally {
      await clink.close();
    }
  });
});

describe('no request goes unanswered', () => {
  test('a request line URL cannot parse (GET http://[/) gets a 400 envelope; the server stays up', TEST, async () => {
    const clink = await start();
    try {
      const { port } = new URL(clink.url);
      for (const target of ['http://[/', 'http://[::1/api/x', '//[']) {
        const r = await raw(port, `GET ${target} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n`);
        assert.equal(r.status, 400, `${target}: ${r.error ?? r.head}`);
        assert.equal(r.json.code, 400);
        assert.match(r.json.msg, /malformed request target/);
      }
      assert.equal((await api(clink, 'GET', '/api/webhook/events')).status, 200);
    } finally {
      await clink.close();
    }
  });

  test('an 8 MB upload is answered 413 and the client, writing it all before reading, reads the answer: 20 times, chunked and announced', { timeout: 120_000 }, async () => {
    const clink = await start();
    try {
      const { port } = new URL(clink.url);
      // A client that writes its whole upload before it reads (as a simple uploader does): when the
      // server closes the connection under the upload, the reset throws the 413 away unread.
      const upload = (announce) => new Promise((resolvePromise) => {
        const socket = connect(port, '127.0.0.1');
        socket.pause();
        let out = '';
        let failed = null;
        const head = `POST /api/checkout/session HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nX-API-Key: ${clink.secretKey}\r\n`
          + `X-Timestamp: ${Date.now()}\r\nContent-Type: application/json\r\n`
          + (announce ? `Content-Length: ${8 * 1024 * 1024}\r\n\r\n` : 'Transfer-Encoding: chunked\r\n\r\n');
        const payload = Buffer.alloc(8 * 1024 * 1024, 0x20);
        const body = announce ? payload : Buffer.concat([Buffer.from(`${payload.length.toString(16)}\r\n`), payload, Buffer.from('\r\n0\r\n\r\n')]);
        socket.on('data', (c) => {
          out += c.toString('latin1');
          const end = out.indexOf('\r\n\r\n');
          const length = Number(/\r\ncontent-length: *(\d+)/i.exec(out)?.[1] ?? NaN);
          if (end !== -1 && out.length - end - 4 >= length) socket.destroy();
        });
        socket.on('error', (err) => { failed = err.code; });
        socket.on('close', () => {
          const end = out.indexOf('\r\n\r\n');
          if (end === -1) return resolvePromise({ error: failed ?? 'closed without an answer' });
          return resolvePromise({ status: Number(out.split(' ')[1]), text: out.slice(end + 4) });
        });
        // Read only once the upload is written (or could not be).
        socket.write(head + body.toString('latin1'), 'latin1', () => socket.resume());
        socket.once('error', () => socket.resume());
      });
      const outcomes = [];
      for (let i = 0; i < 20; i += 1) outcomes.push(await upload(i % 2 === 0));
      const bad = outcomes.filter((o) => o.status !== 413);
      assert.deepEqual(bad, [], `${bad.length} of 20 uploads were not answered 413`);
      for (const o of outcomes) assert.match(JSON.parse(o.text).msg, /larger than 1048576 bytes/);
      assert.equal((await api(clink, 'POST', '/api/checkout/session', { body: sessionBody() })).status, 200);
    } finally {
      await clink.close();
    }
  });

  test('a body that trickles in is cut off at the body deadline with a 408 envelope', TEST, async () => {
    const clink = await start({ bodyTimeoutMs: 300 });
    try {
      const { port } = new URL(clink.url);
      const head = `POST /api/checkout/session HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nX-API-Key: ${clink.secretKey}\r\n`
        + `X-Timestamp: ${Date.now()}\r\nContent-Type: application/json\r\nContent-Length: 500\r\n\r\n{"originalAmount"`;
      let drips = 0;
      const r = await raw(port, head, {
        keepWriting(socket) {
          // One byte now and then, never the whole body: only the deadline ends this request.
          const timer = setInterval(() => {
            drips += 1;
            if (!socket.destroyed) socket.write(' ');
          }, 50);
          socket.on('close', () => clearInterval(timer));
        },
      });
      assert.equal(r.status, 408, r.error ?? r.head);
      assert.equal(r.json.code, 408);
      assert.match(r.json.msg, /did not arrive within 0\.3 s/);
      assert.ok(drips >= 1, 'the body was still trickling in when it was cut off');
      assert.equal((await api(clink, 'GET', '/api/webhook/events')).status, 200);
    } finally {
      await clink.close();
    }
  });

  test('an unexpected exception in a handler is a 500 envelope, and the server answers after it', TEST, async () => {
    const { createClink } = await import(pathToFileURL(join(WWW, 'lib', 'app.mjs')).href);
    const { checkClinkOptions } = await import(pathToFileURL(join(WWW, 'lib', 'options.mjs')).href);
    const { listen } = await import(pathToFileURL(join(WWW, 'lib', 'http.mjs')).href);
    const config = checkClinkOptions({ port: 0 });
    const clink = createClink(config);
    await listen(clink.server, { port: 0, host: '127.0.0.1' });
    const url = clink.originOf('127.0.0.1');
    clink.setOrigin(url);
    const local = { url, secretKey: config.secretKey };
    try {
      clink.store.get = () => {
        throw new Error('a bug in the store');
      };
      const r = await api(local, 'GET', '/api/checkout/session/sess_anything');
      assert.equal(r.status, 500);
      assert.equal(r.json.code, 500);
      assert.match(r.json.msg, /internal error: a bug in the store/);
      delete clink.store.get;
      assert.equal((await api(local, 'POST', '/api/checkout/session', { body: sessionBody() })).status, 200);
      assert.equal((await api(local, 'GET', '/api/webhook/events')).status, 200);
    } finally {
      clink.store.close();
      clink.webhooks.close();
      clink.stopDeadlines();
      await new Promise((r) => {
        clink.server.close(r);
        clink.server.closeAllConnections();
      });
    }
  });
});

// A child process runs a local Clink with process-wide 'unhandledRejection' and 'uncaughtException'
// hooks, and is put through what a careless client or a hostile webhook endpoint can do.
const CHILD = `
const problems = [];
process.on('unhandledRejection', (e) => problems.push('unhandledRejection: ' + (e && e.stack || e)));
process.on('uncaughtException', (e) => problems.push('uncaughtException: ' + (e && e.stack || e)));
const { createServer } = await import('node:http');
const net = await import('node:net');
const { startClink } = await import(process.env.CLINK_ENTRY);
// Endpoints that misbehave: one resets the connection, one answers garbage, one never answers.
// (Their own sockets ignore errors: a hook below must hear only the local Clink's.)
const rude = net.createServer((s) => { s.on('error', () => {}); s.on('data', () => s.resetAndDestroy ? s.resetAndDestroy() : s.destroy()); });
const garbage = net.createServer((s) => { s.on('error', () => {}); s.on('data', () => s.end('NOT HTTP AT ALL\\r\\n\\r\\n')); });
const silent = createServer(() => {});
for (const srv of [rude, garbage, silent]) await new Promise((r) => srv.listen(0, '127.0.0.1', r));
const at = (srv) => 'http://127.0.0.1:' + srv.address().port + '/hook';
const clink = await startClink({ port: 0, webhooks: [at(rude), at(garbage)], webhookRetryBaseMs: 1, webhookTimeoutMs: 100 });
clink.addWebhook(at(silent));
try { clink.addWebhook('http://u:%zz@127.0.0.1:9/hook'); } catch {}
const headers = { 'X-API-Key': clink.secretKey, 'X-Timestamp': String(Date.now()), 'Content-Type': 'application/json' };
const call = (path, init = {}) => fetch(clink.url + path, { headers, ...init }).then((r) => r.text()).catch(() => null);
const refused = await fetch(clink.url + '/api/webhook/endpoints', { method: 'POST', headers, body: JSON.stringify({ url: 'http://u:%zz@127.0.0.1:9/hook' }) });
const session = JSON.parse(await call('/api/checkout/session', { method: 'POST', body: JSON.stringify({
  originalAmount: 100, originalCurrency: 'USD', priceDataList: [{ name: 'x', quantity: 1, unitAmount: 100, currency: 'USD' }] }) })).data;
await call('/api/test/session/' + session.sessionId + '/pay', { method: 'POST', body: '{}' });
await call('/api/checkout/session', { method: 'POST', body: '{"broken' });
await call('/api/checkout/session', { method: 'POST', body: 'x'.repeat(2 * 1024 * 1024) });
await call('/api/webhook/deliveries?limit=abc');
await call('/api/webhook/deliveries?startingAfter=whd_nope');
// Every delivery gets to its last attempt (10 attempts of 100 ms at most each).
for (let i = 0; i < 400; i += 1) {
  const d = JSON.parse(await call('/api/webhook/deliveries?limit=100')).data.items;
  if (d.length > 0 && d.every((x) => x.status !== 'pending')) break;
  await new Promise((r) => setTimeout(r, 25));
}
const deliveries = JSON.parse(await call('/api/webhook/deliveries?limit=100')).data.items;
await clink.close();
for (const srv of [rude, garbage, silent]) { srv.close(); srv.closeAllConnections?.(); }
await new Promise((r) => setTimeout(r, 100));
process.stdout.write(JSON.stringify({ refused: refused.status, statuses: deliveries.map((d) => d.status), problems }) + '\\n');
process.exit(0);
`;

describe('no unhandled rejection', () => {
  test('misbehaving endpoints and a credentialed URL: every delivery fails alone, nothing escapes', { timeout: 90_000 }, async () => {
    const { project } = await installedClink();
    const entry = pathToFileURL(join(project, 'node_modules', '@clink-ai', 'clink-local', 'index.mjs')).href;
    const child = spawn(process.execPath, ['--input-type=module', '-e', CHILD], {
      env: { ...process.env, CLINK_ENTRY: entry }, stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (c) => { out += c; });
    child.stderr.on('data', (c) => { err += c; });
    const code = await new Promise((r) => child.on('exit', r));
    assert.equal(code, 0, `child exited ${code}: ${err}`);
    const report = JSON.parse(out.trim().split('\n').pop());
    assert.deepEqual(report.problems, [], 'no unhandled rejection or exception');
    assert.equal(report.refused, 400, 'a webhook URL with credentials is refused at registration');
    // order.created, order.updated (paid), session.completed to three endpoints: all failed, none pending.
    assert.equal(report.statuses.length, 9, JSON.stringify(report.statuses));
    assert.ok(report.statuses.every((s) => s === 'failed'), JSON.stringify(report.statuses));
  });
});
