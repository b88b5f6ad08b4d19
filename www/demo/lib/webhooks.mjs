// The shop's webhook endpoint: the server SDK's verifyWebhook checks Clink's signature on the raw
// body and refuses stale or future timestamps; this receiver drops duplicate event ids (Clink's
// retries keep the id) and hands each new event to the shop's records.
import { ClinkWebhookError, verifyWebhook } from '@clink-ai/clink-typescript-sdk';
import { readRawBody, sendEnvelope, sendError } from './http.mjs';

const MAX_SEEN_EVENTS = 20_000;

/** The ids of events already applied (bounded: the oldest are forgotten first). */
export class SeenEvents {
  #ids = new Set();

  has(id) {
    return this.#ids.has(id);
  }

  add(id) {
    this.#ids.add(id);
    if (this.#ids.size > MAX_SEEN_EVENTS) this.#ids.delete(this.#ids.values().next().value);
  }
}

/**
 * POST with a signed JSON body → 200 (applied, a duplicate ignored, or about nothing of this shop)
 * or 400 (refused: the SDK's reason and message), as envelopes `{ code, msg, data? }`.
 * @param {{ secret: string, apply: (event: object) => { outcome: string }, log?: (line: string) => void,
 *           gate?: () => Promise<void> }} deps
 *   apply: the shop's records take the event. gate: awaited after verifying and before applying
 *   (tests hold deliveries back with it, as a slow receiver would).
 */
export function createWebhookReceiver({ secret, apply, log = () => {}, gate = async () => {} }) {
  const seen = new SeenEvents();
  return async function receiveWebhook(req, res) {
    let body;
    try {
      body = await readRawBody(req);
    } catch (err) {
      sendError(res, err, { Connection: 'close' }); // the rest of the body is not read: close
      res.on('finish', () => req.destroy());
      return;
    }
    let event;
    try {
      event = await verifyWebhook({ body, headers: req.headers, secret });
    } catch (err) {
      if (!(err instanceof ClinkWebhookError)) throw err;
      log(`[merchant] webhook refused (${err.reason}): ${err.message}`);
      return sendEnvelope(res, 400, `webhook refused: ${err.message}`, { reason: err.reason });
    }
    if (seen.has(event.id)) return sendEnvelope(res, 200, 'received', { outcome: 'duplicate' });
    await gate();
    // A retry of the same event may have been applied while this one waited.
    if (seen.has(event.id)) return sendEnvelope(res, 200, 'received', { outcome: 'duplicate' });
    const result = apply(event); // synchronous: nothing else runs between the check above and add()
    seen.add(event.id); // after apply: an event whose apply threw (a 500) is applied on Clink's retry
    log(`[merchant] webhook ${event.type} ${event.id}: ${result.outcome}`);
    // An event about nothing of this shop is still acknowledged: a non-2xx would only make Clink send it again.
    return sendEnvelope(res, 200, 'received', { outcome: result.outcome });
  };
}
