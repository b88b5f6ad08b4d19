// The shop's HTTP plumbing (Node standard library only): answers, JSON and raw bodies, static
// files, a route table, the shop's account cookie. The demo is a model merchant, so it carries its
// own small helpers rather than reaching into the local Clink's internals.
import { randomBytes } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { extname, join, normalize, resolve, sep } from 'node:path';

const MIME = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.wasm': 'application/wasm',
  '.ts': 'text/plain; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
};

/** Bodies the shop reads: its own small JSON requests, and Clink's events (a few KB). */
export const BODY_LIMIT = 1024 * 1024;

/** An error the shop answers as Clink-style envelope `{ code, msg }` with HTTP status = code. */
export class ApiError extends Error {
  constructor(status, msg, headers = {}) {
    super(msg);
    this.name = 'ApiError';
    this.status = status;
    this.msg = msg;
    this.headers = headers;
  }
}

export function send(res, status, body, headers = {}) {
  if (res.headersSent) return;
  const buf = typeof body === 'string' ? Buffer.from(body) : body ?? Buffer.alloc(0);
  res.writeHead(status, {
    'X-Content-Type-Options': 'nosniff', 'Cache-Control': 'no-store', 'Content-Length': buf.length, ...headers,
  });
  res.end(res.req?.method === 'HEAD' ? undefined : buf);
}

export const sendJson = (res, status, value, headers = {}) => send(res, status, JSON.stringify(value), { 'Content-Type': MIME['.json'], ...headers });
export const sendHtml = (res, status, html, headers = {}) => send(res, status, html, { 'Content-Type': MIME['.html'], ...headers });

export function sendEnvelope(res, status, msg, data, headers = {}) {
  sendJson(res, status, data === undefined ? { code: status, msg } : { code: status, msg, data }, headers);
}

/** An ApiError as its envelope; anything else as a 500 envelope. */
export function sendError(res, err, headers = {}) {
  if (err instanceof ApiError) return sendEnvelope(res, err.status, err.msg, undefined, { ...headers, ...err.headers });
  return sendEnvelope(res, 500, `internal error: ${String(err?.message || err)}`, undefined, headers);
}

/** See other: after a form POST, the browser GETs `location`. */
export function redirect(res, location) {
  send(res, 303, '', { Location: location });
}

/**
 * The body as bytes, exactly as sent (a webhook's signature covers these bytes: never parse and
 * re-serialize). Rejects with ApiError 413 past `limit`, decided from Content-Length when it says so.
 */
export function readRawBody(req, limit = BODY_LIMIT) {
  return new Promise((resolvePromise, reject) => {
    const tooLarge = () => Object.assign(new ApiError(413, `request body larger than ${limit} bytes`, { Connection: 'close' }), { closeConnection: true });
    if (Number(req.headers['content-length']) > limit) return reject(tooLarge()); // refused unread
    const chunks = [];
    let size = 0;
    const onData = (chunk) => {
      size += chunk.length;
      if (size > limit) {
        req.off('data', onData);
        req.pause();
        reject(tooLarge());
        return;
      }
      chunks.push(chunk);
    };
    req.on('data', onData);
    req.once('error', () => reject(new ApiError(400, 'request body could not be read')));
    req.once('end', () => resolvePromise(Buffer.concat(chunks)));
  });
}

/** A JSON object body (`{}` when empty). ApiError 400 for a wrong type or bad JSON, 413 when too large. */
export async function readJson(req) {
  const type = String(req.headers['content-type'] || '').split(';')[0].trim().toLowerCase();
  if (type !== 'application/json') throw new ApiError(400, `Content-Type must be application/json (got ${type ? JSON.stringify(type) : 'none'})`);
  const text = (await readRawBody(req, 64 * 1024)).toString('utf8');
  if (!text.trim()) return {};
  let value;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new ApiError(400, `request body is not valid JSON (${err.message})`);
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new ApiError(400, 'request body must be a JSON object');
  return value;
}

/** Serves `relPath` from `root`; false when there is no such file under it (the caller answers 404). */
export async function serveFile(req, res, root, relPath, headers = {}) {
  const base = resolve(root);
  const target = resolve(join(base, normalize(`/${relPath}`)));
  if (target !== base && !target.startsWith(base + sep)) return false;
  try {
    if (!(await stat(target)).isFile()) return false;
  } catch {
    return false;
  }
  send(res, 200, await readFile(target), { 'Content-Type': MIME[extname(target).toLowerCase()] || 'application/octet-stream', ...headers });
  return true;
}

/**
 * A route table of `[method, pattern, handler]`; a pattern's segments may be `:name` or a final `*`.
 * match() → `{ handler, params }`, `{ status: 404 }` or `{ status: 405, allow }`.
 */
export function createRouter(rows) {
  const routes = rows.map(([method, pattern, handler]) => ({ method, handler, parts: pattern.split('/').slice(1) }));
  const decode = (s) => {
    try {
      return decodeURIComponent(s);
    } catch {
      return null;
    }
  };
  function matchPath(parts, segments) {
    const params = {};
    for (const [i, part] of parts.entries()) {
      if (part === '*' && i === parts.length - 1) {
        params['*'] = decode(segments.slice(i).join('/'));
        return params['*'] === null ? null : params;
      }
      if (segments[i] === undefined) return null;
      if (part.startsWith(':')) {
        const value = decode(segments[i]);
        if (!value) return null;
        params[part.slice(1)] = value;
      } else if (part !== segments[i]) {
        return null;
      }
    }
    return segments.length === parts.length ? params : null;
  }
  return {
    match(method, path) {
      const segments = path.split('/').slice(1);
      const allowed = new Set();
      for (const route of routes) {
        const params = matchPath(route.parts, segments);
        if (!params) continue;
        if (route.method === method || (method === 'HEAD' && route.method === 'GET')) return { handler: route.handler, params };
        allowed.add(route.method);
      }
      return allowed.size ? { status: 405, allow: [...allowed].join(', ') } : { status: 404 };
    },
  };
}

/** `http://host:port` of a listening server (a wildcard host shown as loopback, IPv6 bracketed). */
export function originOf(server, host) {
  const { port } = server.address();
  let shown = host === '0.0.0.0' || !host ? '127.0.0.1' : host === '::' ? '::1' : host;
  if (shown.includes(':') && !shown.startsWith('[')) shown = `[${shown}]`;
  return `http://${shown}:${port}`;
}

// ------------------------------------------------------------------ the shop's account cookie

export const ACCOUNT_COOKIE = 'demo_account';
const ACCOUNT_ID_RE = /^acct_[0-9a-f]{24}$/;

export const newAccountId = () => `acct_${randomBytes(12).toString('hex')}`;

/** The account id the browser's cookie names, or null (a malformed value counts as none). */
export function accountIdFromCookie(header) {
  for (const part of String(header ?? '').split(';')) {
    const [name, ...rest] = part.trim().split('=');
    if (name === ACCOUNT_COOKIE) {
      const value = rest.join('=');
      return ACCOUNT_ID_RE.test(value) ? value : null;
    }
  }
  return null;
}

/** The Set-Cookie value that signs this browser in as `accountId` (script cannot read it; no cross-site POSTs carry it). */
export function accountCookie(accountId) {
  return `${ACCOUNT_COOKIE}=${accountId}; Path=/; HttpOnly; SameSite=Lax`;
}
