// Webhook endpoints, events and their deliveries. Each registered endpoint gets every event as a
// signed POST; a delivery is retried with exponential backoff until a 2xx answer or the last
// attempt. The dispatcher owns its retry timers and in-flight requests; close() ends them all.
import { randomBytes } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { ApiError } from './http.mjs';
import {
  ATTEMPT_TIMEOUT_MS, MAX_ATTEMPTS, isDelivered, retryDelayMs, webhookHeaders,
} from './webhook-signing.mjs';

const MAX_DELIVERIES = 5000;
const MAX_EVENTS = 5000;
const MAX_RESPONSE_KEPT = 1024; // bytes of each answer kept for the inspector
const newId = (prefix) => `${prefix}${randomBytes(12).toString('hex')}`;

/** An absolute http(s) URL as a string, or null. */
export function webhookUrl(value) {
  if (typeof value !== 'string' || value.length > 2048) return null;
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : null;
  } catch {
    return null;
  }
}

export class WebhookDispatcher {
  #endpoints = [];
  #events = new Map();
  #deliveries = new Map();
  #timers = new Set();
  #requests = new Set();
  #closed = false;
  #opts;

  /**
   * @param {{ secret: string, retryBaseMs: number, timeoutMs?: number, now?: () => number,
   *           log?: (line: string) => void }} opts
   */
  constructor(opts) {
    this.#opts = { timeoutMs: ATTEMPT_TIMEOUT_MS, now: Date.now, log: () => {}, ...opts };
  }

  get secret() {
    return this.#opts.secret;
  }

  /** Registers an endpoint (once per URL). Throws ApiError 400 for a URL that is not http(s). */
  addEndpoint(value) {
    const url = webhookUrl(value);
    if (!url) throw new ApiError(400, 'url must be an absolute http(s) URL');
    const known = this.#endpoints.find((e) => e.url === url);
    if (known) return known;
    const endpoint = { id: newId('we_'), url, createdAt: this.#opts.now() };
    this.#endpoints.push(endpoint);
    return endpoint;
  }

  endpoints() {
    return this.#endpoints.map((e) => ({ ...e }));
  }

  /** Creates an event and delivers it to every endpoint. */
  publish(type, data) {
    const event = { id: newId('evt_'), type, createdAt: this.#opts.now(), data };
    event.body = JSON.stringify({ id: event.id, type, createdAt: event.createdAt, data });
    this.#events.set(event.id, event);
    while (this.#events.size > MAX_EVENTS) this.#events.delete(this.#events.keys().next().value);
    for (const endpoint of this.#endpoints) this.#deliver(event, endpoint.url);
    return event;
  }

  /** Delivers an event again to every endpoint (same event id, new deliveries). */
  resend(eventId) {
    const event = this.#events.get(eventId);
    if (!event) throw new ApiError(404, `no webhook event ${eventId}`);
    if (this.#endpoints.length === 0) throw new ApiError(409, 'no webhook endpoint is registered');
    return this.#endpoints.map((endpoint) => this.#deliver(event, endpoint.url));
  }

  eventView(event) {
    return { id: event.id, type: event.type, createdAt: event.createdAt, data: event.data };
  }

  events() {
    return [...this.#events.values()].reverse().map((e) => this.eventView(e));
  }

  getEvent(eventId) {
    const event = this.#events.get(eventId);
    return event ? this.eventView(event) : null;
  }

  deliveryView(delivery) {
    return {
      deliveryId: delivery.id,
      eventId: delivery.eventId,
      type: delivery.type,
      url: delivery.url,
      status: delivery.status,
      createdAt: delivery.createdAt,
      nextAttemptAt: delivery.nextAttemptAt,
      payload: delivery.body,
      attempts: delivery.attempts.map((a) => ({ ...a, requestHeaders: { ...a.requestHeaders } })),
    };
  }

  /** Deliveries, newest first, optionally of one event or one type. */
  deliveries({ eventId, type } = {}) {
    return [...this.#deliveries.values()].reverse()
      .filter((d) => (!eventId || d.eventId === eventId) && (!type || d.type === type))
      .map((d) => this.deliveryView(d));
  }

  getDelivery(deliveryId) {
    const delivery = this.#deliveries.get(deliveryId);
    return delivery ? this.deliveryView(delivery) : null;
  }

  /** Pending retries are dropped and requests in flight aborted; nothing is sent afterwards. */
  close() {
    this.#closed = true;
    for (const t of this.#timers) clearTimeout(t);
    this.#timers.clear();
    for (const req of this.#requests) req.destroy(new Error('local Clink closed'));
    this.#requests.clear();
    for (const d of this.#deliveries.values()) {
      if (d.status === 'pending') {
        d.status = 'abandoned';
        d.nextAttemptAt = null;
      }
    }
  }

  #deliver(event, url) {
    const delivery = {
      id: newId('whd_'), eventId: event.id, type: event.type, url, body: event.body,
      status: 'pending', createdAt: this.#opts.now(), nextAttemptAt: this.#opts.now(), attempts: [],
    };
    this.#deliveries.set(delivery.id, delivery);
    while (this.#deliveries.size > MAX_DELIVERIES) this.#deliveries.delete(this.#deliveries.keys().next().value);
    this.#attempt(delivery);
    return this.deliveryView(delivery);
  }

  async #attempt(delivery) {
    if (this.#closed) return;
    const timestamp = this.#opts.now();
    const headers = webhookHeaders(this.#opts.secret, delivery.body, timestamp);
    const record = {
      attempt: delivery.attempts.length + 1, at: timestamp, requestHeaders: headers,
      statusCode: null, error: null, responseBody: null, durationMs: null,
    };
    delivery.attempts.push(record);
    delivery.nextAttemptAt = null;
    const answer = await this.#post(delivery.url, delivery.body, headers);
    Object.assign(record, answer, { durationMs: this.#opts.now() - timestamp });
    if (this.#closed) return;
    if (isDelivered(answer.statusCode)) {
      delivery.status = 'delivered';
      this.#opts.log(`[clink] webhook ${delivery.type} ${delivery.eventId} → ${delivery.url}: ${answer.statusCode} (attempt ${record.attempt})`);
      return;
    }
    const wait = retryDelayMs(record.attempt + 1, this.#opts.retryBaseMs);
    const why = answer.error ?? `HTTP ${answer.statusCode}`;
    if (wait === null) {
      delivery.status = 'failed';
      this.#opts.log(`[clink] webhook ${delivery.type} ${delivery.eventId} → ${delivery.url}: ${why}; gave up after ${MAX_ATTEMPTS} attempts`);
      return;
    }
    this.#opts.log(`[clink] webhook ${delivery.type} ${delivery.eventId} → ${delivery.url}: ${why}; retry in ${wait} ms`);
    delivery.nextAttemptAt = this.#opts.now() + wait;
    const timer = setTimeout(() => {
      this.#timers.delete(timer);
      this.#attempt(delivery);
    }, wait);
    this.#timers.add(timer);
  }

  /** One POST; resolves { statusCode, responseBody } or { error }, never rejects. */
  #post(url, body, headers) {
    return new Promise((resolvePromise) => {
      let settled = false;
      const done = (answer) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        this.#requests.delete(req);
        resolvePromise(answer);
      };
      const target = new URL(url);
      const send = target.protocol === 'https:' ? httpsRequest : httpRequest;
      const req = send(target, {
        method: 'POST',
        agent: false, // no pooled sockets to outlive close()
        headers: { ...headers, 'Content-Length': Buffer.byteLength(body), 'User-Agent': 'clink-local-webhooks/1' },
      }, (res) => {
        const chunks = [];
        let kept = 0;
        res.on('data', (chunk) => {
          if (kept < MAX_RESPONSE_KEPT) {
            chunks.push(chunk);
            kept += chunk.length;
          }
        });
        res.on('end', () => done({
          statusCode: res.statusCode,
          responseBody: Buffer.concat(chunks).toString('utf8').slice(0, MAX_RESPONSE_KEPT),
        }));
        res.on('error', (err) => done({ statusCode: res.statusCode, error: `answer cut off: ${err.message}` }));
        res.on('close', () => done({ statusCode: res.statusCode, error: 'answer cut off' }));
      });
      const timer = setTimeout(() => {
        req.destroy(new Error(`no answer within ${this.#opts.timeoutMs} ms`));
      }, this.#opts.timeoutMs);
      this.#requests.add(req);
      req.on('error', (err) => done({ error: err.code && err.code !== 'ERR_STREAM_DESTROYED' ? `${err.code}: ${err.message}` : err.message }));
      req.end(body);
    });
  }
}
