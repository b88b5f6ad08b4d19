// Webhook endpoints, events and their deliveries. Each registered endpoint gets every event as a
// signed POST; a delivery is retried with exponential backoff until a 2xx answer or the last
// attempt. The dispatcher owns its retry timers and in-flight requests; close() ends them all.
import { randomBytes } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { ApiError } from './http.mjs';
import { Clock } from './clock.mjs';
import { webhookUrlProblem } from './validate.mjs';
import {
  ATTEMPT_TIMEOUT_MS, MAX_ATTEMPTS, isDelivered, retryDelayMs, webhookHeaders,
} from './webhook-signing.mjs';

// Kept in memory; past these, the oldest go first (finished deliveries before pending ones).
export const MAX_DELIVERIES = 5000;
export const MAX_EVENTS = 5000;
const MAX_RESPONSE_KEPT = 1024; // bytes of each answer kept for the inspector
const newId = (prefix) => `${prefix}${randomBytes(12).toString('hex')}`;

/** An acceptable webhook URL (validate.mjs webhookUrlProblem) as a normalised string, or null. */
export function webhookUrl(value) {
  return webhookUrlProblem(value) === null ? new URL(value).href : null;
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
    // `now` (wall-clock time) stamps events and signatures, so receivers' freshness checks hold
    // after the clock was advanced; `clock` schedules the retries.
    this.#opts = { timeoutMs: ATTEMPT_TIMEOUT_MS, now: Date.now, log: () => {}, ...opts };
    this.#opts.clock ??= new Clock();
  }

  get secret() {
    return this.#opts.secret;
  }

  /** Registers an endpoint (once per URL). Throws ApiError 400 for a URL it could not deliver to. */
  addEndpoint(value) {
    const problem = webhookUrlProblem(value);
    if (problem) throw new ApiError(400, `url ${problem}`);
    const url = new URL(value).href;
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
    for (const t of this.#timers) this.#opts.clock.cancel(t);
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
    this.#evictDeliveries();
    this.#attempt(delivery);
    return this.deliveryView(delivery);
  }

  /** Past MAX_DELIVERIES: the oldest finished delivery goes; only when none is finished, the oldest pending one (abandoned). */
  #evictDeliveries() {
    while (this.#deliveries.size > MAX_DELIVERIES) {
      let victim = null;
      for (const d of this.#deliveries.values()) {
        if (d.status !== 'pending') {
          victim = d;
          break;
        }
      }
      victim ??= this.#deliveries.values().next().value;
      if (victim.status === 'pending') {
        victim.status = 'abandoned';
        victim.nextAttemptAt = null;
      }
      this.#deliveries.delete(victim.id);
    }
  }

  /** One attempt and what follows it. Never rejects: an unexpected failure fails this delivery alone. */
  async #attempt(delivery) {
    try {
      await this.#tryOnce(delivery);
    } catch (err) {
      if (delivery.status === 'pending') {
        delivery.status = 'failed';
        delivery.nextAttemptAt = null;
      }
      this.#opts.log(`[clink] webhook ${delivery.type} ${delivery.eventId} → ${delivery.url}: ${err?.message || err}; delivery failed`);
    }
  }

  async #tryOnce(delivery) {
    if (this.#closed || delivery.status !== 'pending') return;
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
    if (this.#closed || delivery.status !== 'pending') return;
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
    // Retries wait on the local Clink's clock (clock.mjs): advancing it sends them sooner.
    const timer = this.#opts.clock.schedule(wait, () => {
      this.#timers.delete(timer);
      this.#attempt(delivery);
    });
    this.#timers.add(timer);
  }

  /**
   * One POST; resolves { statusCode, responseBody } or { error }, never rejects: whatever goes wrong
   * (a URL http.request refuses, a socket error, no answer in time) is this attempt's error.
   */
  #post(url, body, headers) {
    return new Promise((resolvePromise) => {
      let settled = false;
      let timer = null;
      let req = null;
      const done = (answer) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        if (req) this.#requests.delete(req);
        resolvePromise(answer);
      };
      try {
        this.#send(url, body, headers, done, (r) => {
          req = r;
          timer = setTimeout(() => {
            req.destroy(new Error(`no answer within ${this.#opts.timeoutMs} ms`));
          }, this.#opts.timeoutMs);
          this.#requests.add(req);
        });
      } catch (err) {
        req?.destroy();
        done({ error: `request could not be sent: ${err?.message || err}` });
      }
    });
  }

  /** Starts the request (hands it to `started` at once) and reports its outcome to `done`. May throw. */
  #send(url, body, headers, done, started) {
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
    started(req);
    req.on('error', (err) => done({ error: err.code && err.code !== 'ERR_STREAM_DESTROYED' ? `${err.code}: ${err.message}` : err.message }));
    req.end(body);
  }
}
