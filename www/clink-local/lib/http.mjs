// The local Clink's HTTP plumbing (Node standard library only): answers and envelopes, body
// reading with its limits, static files, the route table, pagination and `listen`. The HTML side
// (escaping, amounts, page shells) is html.mjs.
import { readFile, stat } from 'node:fs/promises';
import { extname, join, normalize, resolve, sep } from 'node:path';

export const MIME = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.cjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.wasm': 'application/wasm',
  '.ts': 'text/plain; charset=utf-8', // .d.ts: readable in a browser tab
  '.mts': 'text/plain; charset=utf-8',
  '.md': 'text/markdown; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
};

export function mimeFor(file) {
  return MIME[extname(file).toLowerCase()] || 'application/octet-stream';
}

/** Headers every answer carries. */
export const BASE_HEADERS = {
  'X-Content-Type-Options': 'nosniff',
  'Cache-Control': 'no-store',
};

export function send(res, status, body, headers = {}) {
  if (res.headersSent) return;
  const buf = typeof body === 'string' ? Buffer.from(body) : body ?? Buffer.alloc(0);
  res.writeHead(status, { ...BASE_HEADERS, 'Content-Length': buf.length, ...headers });
  res.end(res.req?.method === 'HEAD' ? undefined : buf);
}

export function sendJson(res, status, value, headers = {}) {
  send(res, status, JSON.stringify(value), { 'Content-Type': MIME['.json'], ...headers });
}

export function sendHtml(res, status, html, headers = {}) {
  send(res, status, html, { 'Content-Type': MIME['.html'], ...headers });
}

/**
 * Serves `relPath` (already URL-decoded, from the URL path) from `root`. Returns false when the
 * file does not exist (the caller answers 404), true when an answer was sent.
 */
export async function serveFile(req, res, root, relPath, headers = {}) {
  const base = resolve(root);
  const target = resolve(join(base, normalize('/' + relPath)));
  if (target !== base && !target.startsWith(base + sep)) return false;
  let info;
  try {
    info = await stat(target);
  } catch {
    return false;
  }
  if (!info.isFile()) return false;
  const body = await readFile(target);
  send(res, 200, body, { 'Content-Type': mimeFor(target), ...headers });
  return true;
}

/** Decodes a URL path segment; null when it is not valid percent-encoding. */
export function decodeSegment(segment) {
  try {
    return decodeURIComponent(segment);
  } catch {
    return null;
  }
}

/** `http://host:port` for a listening server (IPv6 hosts bracketed, wildcard hosts shown as loopback). */
export function originOf(server, host) {
  const { port } = server.address();
  let shown = host;
  if (host === '0.0.0.0' || host === '' || host == null) shown = '127.0.0.1';
  if (host === '::') shown = '[::1]';
  else if (shown.includes(':') && !shown.startsWith('[')) shown = `[${shown}]`;
  return `http://${shown}:${port}`;
}

/** A valid http(s) origin string, or null. */
export function asOrigin(value) {
  if (typeof value !== 'string' || !value) return null;
  try {
    const url = new URL(value);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
    return url.origin;
  } catch {
    return null;
  }
}

// ---------------------------------------------------------------------------------------------
// The API side of the common module: one error type, one error body (Clink's envelope), one route
// table, and body reading that refuses oversized bodies without reading them.

/** Clink's answer shape: `{ code, msg, data? }`, with the HTTP status equal to `code`. */
export function envelope(code, msg, data) {
  return data === undefined ? { code, msg } : { code, msg, data };
}

/** The one error type of the API: thrown anywhere, answered as an envelope by the server shell. */
export class ApiError extends Error {
  /**
   * @param {number} status HTTP status (also the envelope's `code`)
   * @param {string} msg what went wrong, for a person reading a log
   * @param {Record<string, string>} [headers] extra answer headers (e.g. `Allow`)
   */
  constructor(status, msg, headers = {}) {
    super(msg);
    this.name = 'ApiError';
    this.status = status;
    this.msg = msg;
    this.headers = headers;
  }
}

/** Answers `{ code: status, msg, data? }` with HTTP status `status`. */
export function sendEnvelope(res, status, msg, data, headers = {}) {
  sendJson(res, status, envelope(status, msg, data), headers);
}

/** Answers an ApiError (or any other thrown value, as a 500) as an envelope. */
export function sendError(res, err, headers = {}) {
  if (err instanceof ApiError) return sendEnvelope(res, err.status, err.msg, undefined, { ...headers, ...err.headers });
  return sendEnvelope(res, 500, `internal error: ${String(err?.message || err)}`, undefined, headers);
}

export const MAX_BODY_BYTES = 1024 * 1024;

/**
 * Reads a JSON object body. Throws ApiError: 400 for a wrong Content-Type, unreadable, non-JSON or
 * non-object body; 413 when the body is over `limit`, decided from Content-Length before reading
 * anything, or as soon as the running count passes it.
 */
export function readJson(req, { limit = MAX_BODY_BYTES } = {}) {
  const type = String(req.headers['content-type'] || '').split(';')[0].trim().toLowerCase();
  if (type !== 'application/json') {
    return Promise.reject(new ApiError(400, `Content-Type must be application/json (got ${type ? JSON.stringify(type) : 'none'})`));
  }
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) {
    return Promise.reject(tooLarge(limit));
  }
  return new Promise((resolvePromise, reject) => {
    const chunks = [];
    let size = 0;
    let done = false;
    const finish = (fn, value) => {
      if (done) return;
      done = true;
      req.off('data', onData);
      fn(value);
    };
    const onData = (chunk) => {
      size += chunk.length;
      if (size > limit) {
        req.pause();
        finish(reject, tooLarge(limit));
        return;
      }
      chunks.push(chunk);
    };
    req.on('data', onData);
    req.on('error', () => finish(reject, new ApiError(400, 'request body could not be read')));
    // Cut off (the body deadline, or the client went away): nothing more will come.
    req.on('close', () => finish(reject, new ApiError(400, 'request body was cut off before its end')));
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      if (!text.trim()) return finish(reject, new ApiError(400, 'request body is empty: send a JSON object'));
      let value;
      try {
        value = JSON.parse(text);
      } catch (err) {
        return finish(reject, new ApiError(400, `request body is not valid JSON (${err.message})`));
      }
      if (value === null || typeof value !== 'object' || Array.isArray(value)) {
        return finish(reject, new ApiError(400, 'request body must be a JSON object'));
      }
      finish(resolvePromise, value);
    });
  });
}

// The server shell reads and discards the rest after answering (app.mjs discardBody), so the
// client reads this answer instead of a reset connection.
function tooLarge(limit) {
  return new ApiError(413, `request body is larger than ${limit} bytes: send at most ${limit} bytes`);
}

/** List endpoints: `?limit=` from 1 to PAGE_MAX, PAGE_DEFAULT when absent. */
export const PAGE_DEFAULT = 50;
export const PAGE_MAX = 100;

/**
 * One page of a list (docs/local-clink.md, "Limits and safety"): `?limit=` (1 to 100, default 50)
 * and `?startingAfter=<id>` (the id of the last item of the page before). Answers
 * `{ items, hasMore }`, items in the list's order. Throws ApiError 400 for a bad limit or an unknown
 * cursor.
 * @template T
 * @param {T[]} items the whole list, in answer order
 * @param {URLSearchParams} params the request's query
 * @param {(item: T) => string} idOf the id a cursor names
 */
export function pageOf(items, params, idOf) {
  let limit = PAGE_DEFAULT;
  const limitText = params.get('limit');
  if (limitText !== null) {
    limit = /^\d{1,3}$/.test(limitText) ? Number(limitText) : 0;
    if (limit < 1 || limit > PAGE_MAX) {
      throw new ApiError(400, `limit must be a whole number from 1 to ${PAGE_MAX} (got ${JSON.stringify(limitText.slice(0, 20))})`);
    }
  }
  let start = 0;
  const after = params.get('startingAfter');
  if (after !== null) {
    const index = items.findIndex((item) => idOf(item) === after);
    if (index === -1) {
      throw new ApiError(400, `startingAfter ${JSON.stringify(after.slice(0, 80))} is not in this list (evicted, or of another list): start again without startingAfter`);
    }
    start = index + 1;
  }
  return { items: items.slice(start, start + limit), hasMore: start + limit < items.length };
}

/**
 * A route table: rows of `[method, pattern, handler]`. Patterns are paths whose segments may be
 * `:name` (one URL-decoded segment) or a final `*` (the decoded rest). `match` answers the row, or
 * `{ status: 404 }`, or `{ status: 405, allow }` with the methods the table has for that path
 * (GET implies HEAD).
 * @template H
 * @param {Array<[string, string, H]>} rows
 */
export function createRouter(rows) {
  const routes = rows.map(([method, pattern, handler]) => ({
    method, pattern, handler, parts: pattern.split('/').slice(1),
  }));

  function matchPath(parts, path) {
    const segments = path.split('/').slice(1);
    const params = {};
    for (let i = 0; i < parts.length; i++) {
      const part = parts[i];
      if (part === '*' && i === parts.length - 1) {
        const rest = decodeSegment(segments.slice(i).join('/'));
        if (rest === null) return null;
        params['*'] = rest;
        return params;
      }
      const segment = segments[i];
      if (segment === undefined) return null;
      if (part.startsWith(':')) {
        const value = decodeSegment(segment);
        if (value === null || value === '') return null;
        params[part.slice(1)] = value;
      } else if (part !== segment) {
        return null;
      }
    }
    return segments.length === parts.length ? params : null;
  }

  return {
    rows: routes.map(({ method, pattern }) => [method, pattern]),
    /** @returns {{ handler: H, params: Record<string, string>, pattern: string } | { status: 404 } | { status: 405, allow: string }} */
    match(method, path) {
      const allowed = new Set();
      for (const route of routes) {
        const params = matchPath(route.parts, path);
        if (!params) continue;
        if (route.method === method || (method === 'HEAD' && route.method === 'GET')) {
          return { handler: route.handler, params, pattern: route.pattern };
        }
        allowed.add(route.method);
        if (route.method === 'GET') allowed.add('HEAD');
      }
      if (allowed.size === 0) return { status: 404 };
      return { status: 405, allow: [...allowed].join(', ') };
    },
  };
}

/** True for a loopback peer address (127.0.0.0/8, ::1, and IPv4-mapped loopback). */
export function isLoopbackAddress(address) {
  if (typeof address !== 'string') return false;
  const v4 = address.startsWith('::ffff:') ? address.slice(7) : address;
  return address === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(v4);
}

/**
 * Starts `server` on port/host; resolves once it listens. A port in use or not allowed rejects
 * with an Error (code EADDRINUSE/EACCES) saying so in words, naming `what` and the `flag` to change.
 * @param {import('node:http').Server} server
 * @param {{ port: number, host: string, what?: string, flag?: string }} where
 */
export function listen(server, { port, host, what = 'the local Clink', flag = '--port' }) {
  return new Promise((resolvePromise, reject) => {
    const onError = (err) => {
      server.off('listening', onListening);
      if (err.code === 'EADDRINUSE' || err.code === 'EACCES') {
        const why = err.code === 'EADDRINUSE' ? 'is already in use' : 'is not allowed (privileged port?)';
        reject(Object.assign(new Error(`Cannot start ${what}: port ${port} on ${host} ${why}. Stop the program using it, or choose another port with ${flag} <number> (0 picks a free one).`), { code: err.code, port, host, flag, cause: err }));
      } else {
        reject(err);
      }
    };
    const onListening = () => {
      server.off('error', onError);
      resolvePromise();
    };
    server.once('error', onError);
    server.once('listening', onListening);
    server.listen(port, host);
  });
}
