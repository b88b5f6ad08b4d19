// Customer portal sessions (POST /api/billing/session): a time-limited link to the hosted portal
// page of one customer. The link is `{local Clink}/portal/{token}`, where the token is the
// portal session's id and a secret, compared in constant time.
import { randomBytes, timingSafeEqual } from 'node:crypto';

/** A portal link works this long after it was made (local Clink's choice). */
export const PORTAL_TTL_MS = 60 * 60 * 1000;
const MAX_PORTAL_SESSIONS = 10_000;
const TOKEN_RE = /^(bps_[0-9a-f]{16})_([A-Za-z0-9_-]{32})$/;

export class PortalSessions {
  #sessions = new Map(); // id → { id, secret, customerId, returnUrl, createdAt, expiresAt }
  #now;
  #origin;

  /** @param {{ now: () => number, origin: () => string }} opts */
  constructor({ now, origin }) {
    this.#now = now;
    this.#origin = origin;
  }

  /** A new portal session of a customer; answers the REST `data`. */
  create({ customerId, returnUrl }) {
    const createdAt = this.#now();
    const portal = {
      id: `bps_${randomBytes(8).toString('hex')}`,
      secret: randomBytes(24).toString('base64url'),
      customerId,
      returnUrl,
      createdAt,
      expiresAt: createdAt + PORTAL_TTL_MS,
    };
    this.#sessions.set(portal.id, portal);
    while (this.#sessions.size > MAX_PORTAL_SESSIONS) this.#sessions.delete(this.#sessions.keys().next().value);
    return { url: this.urlOf(portal), customerId, returnUrl, expiresAt: portal.expiresAt };
  }

  urlOf(portal) {
    return `${this.#origin()}/portal/${portal.id}_${portal.secret}`;
  }

  /**
   * The portal session a token names: { ok: true, portal } or { ok: false, why: 'unknown' | 'expired' }.
   */
  find(token) {
    const match = typeof token === 'string' ? TOKEN_RE.exec(token) : null;
    const portal = match ? this.#sessions.get(match[1]) : undefined;
    if (!portal || !timingSafeEqual(Buffer.from(match[2]), Buffer.from(portal.secret))) return { ok: false, why: 'unknown' };
    if (this.#now() >= portal.expiresAt) return { ok: false, why: 'expired' };
    return { ok: true, portal };
  }
}
