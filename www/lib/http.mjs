// Small HTTP helpers shared by the merchant demo and the local Clink (Node standard library only).
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

export function methodNotAllowed(res, allow, headers = {}) {
  sendJson(res, 405, { error: 'method_not_allowed', allow }, { Allow: allow, ...headers });
}

export function escapeHtml(value) {
  return String(value ?? '').replace(/[&<>"']/g, (c) => (
    { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c]
  ));
}

/** Reads a JSON request body (at most `limit` bytes). Empty body → {}. Throws {status, message}. */
export function readJsonBody(req, limit = 64 * 1024) {
  return new Promise((resolvePromise, reject) => {
    const chunks = [];
    let size = 0;
    req.on('data', (chunk) => {
      size += chunk.length;
      if (size > limit) {
        reject({ status: 413, message: `request body larger than ${limit} bytes` });
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('error', () => reject({ status: 400, message: 'request body could not be read' }));
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8').trim();
      if (!text) return resolvePromise({});
      try {
        const value = JSON.parse(text);
        if (value === null || typeof value !== 'object' || Array.isArray(value)) {
          reject({ status: 400, message: 'request body must be a JSON object' });
        } else {
          resolvePromise(value);
        }
      } catch {
        reject({ status: 400, message: 'request body is not valid JSON' });
      }
    });
  });
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
