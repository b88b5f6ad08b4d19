// The subscription business beside the checkout: catalogue, customers, subscriptions with their
// invoices, refunds and customer portal sessions, and how checkout sessions feed them (a checkout
// of a recurring price starts a subscription; its payment or expiry moves it on).
import { ApiError } from './http.mjs';
import { formatAmount } from './html.mjs';
import { Catalog } from './catalog.mjs';
import { CustomerStore } from './customers.mjs';
import { SubscriptionStore } from './subscriptions.mjs';
import { RefundStore } from './refunds.mjs';
import { PortalSessions } from './portal-sessions.mjs';

/**
 * @param {{ clock: import('./clock.mjs').Clock, products: object[],
 *           checkouts: import('./sessions.mjs').CheckoutStore,
 *           emit: (type: string, data: object) => void, origin: () => string }} deps
 */
export function createBilling({ clock, products, checkouts, emit, origin }) {
  const now = () => clock.now();
  const catalog = new Catalog(products);
  const customers = new CustomerStore({ now });
  const subscriptions = new SubscriptionStore({ clock, emit });
  const refunds = new RefundStore({ now, emit });
  const portal = new PortalSessions({ now, origin });

  return {
    catalog,
    customers,
    subscriptions,
    refunds,
    portal,

    /**
     * Checks a new session's catalogue price and customer, before it exists (ApiError 400 naming
     * the field), and completes its fields: a customer is made from customerEmail when no
     * customerId was given (always for a subscription checkout, whose customer owns the card).
     * @returns {{ fields: object, price: object | null }}
     */
    prepareSession(fields) {
      let price = null;
      if (fields.priceId !== null) {
        const problem = catalog.checkoutProblem(fields);
        if (problem) throw new ApiError(400, problem);
        price = catalog.price(fields.priceId);
      }
      let { customerId } = fields;
      if (customerId !== null) {
        if (!customers.get(customerId)) throw new ApiError(400, `customerId ${customerId} is not a customer of this local Clink: leave it out (with customerEmail) and one is created at checkout`);
      } else if (fields.customerEmail !== null || price?.type === 'recurring') {
        customerId = customers.create(fields.customerEmail).customerId;
      }
      return { fields: { ...fields, customerId }, price };
    },

    /** A session was created: a recurring price starts its subscription (incomplete). */
    sessionCreated(session, price) {
      if (!price) return;
      session.catalogLine = {
        name: catalog.product(price.productId).name, terms: priceTerms(price), trial: Boolean(price.recurring?.trialPeriodDays),
      };
      if (price.type !== 'recurring') return;
      session.subscriptionId = subscriptions.startCheckout(session, price).subscriptionId;
    },

    /**
     * Follows the checkout's events (after they were published): a paid subscription checkout
     * activates its subscription, an expired one leaves it incomplete_expired.
     */
    onCheckoutEvent(type, data) {
      if (type !== 'session.completed' && type !== 'session.expired') return;
      const session = checkouts.get(data.sessionId);
      if (!session?.subscriptionId) return;
      if (type === 'session.expired') {
        subscriptions.checkoutExpired(session.subscriptionId);
        return;
      }
      const order = checkouts.getOrder(session.orderId);
      const last = order?.attempts[order.attempts.length - 1];
      // Only a successful card pays, so the card kept for renewals is the one that paid.
      subscriptions.checkoutPaid(session.subscriptionId, {
        orderId: session.orderId,
        card: { last4: last?.cardLast4 ?? '4242', result: 'paid' },
      });
    },

    /** Refunds (part of) a paid order; the order shows refundedAmount and refundIds. */
    refundOrder(orderId, body) {
      const order = checkouts.getOrder(orderId);
      if (!order) throw new ApiError(404, `no order ${orderId}`);
      // A checkout that started a free trial charged nothing (its invoice is 0): nothing to refund.
      const session = checkouts.get(order.sessionId);
      const sub = session?.subscriptionId ? subscriptions.get(session.subscriptionId) : null;
      const invoice = sub && subscriptions.invoicesOf(sub).find((inv) => inv.orderId === orderId);
      if (invoice && invoice.amount === 0) {
        throw new ApiError(409, `order ${orderId} started a free trial: nothing was charged, so there is nothing to refund`);
      }
      return refunds.create(checkouts.orderView(order), body, (refund) => {
        order.refundedAmount = (order.refundedAmount ?? 0) + refund.amount;
        order.refundIds = [...(order.refundIds ?? []), refund.refundId];
        order.updatedAt = now();
        emit('order.updated', checkouts.orderView(order));
      });
    },

    close() {
      subscriptions.close();
    },
  };
}

/** "$15.00 / month", "14-day free trial, then $15.00 / month", "one-off" for the hosted checkout. */
export function priceTerms(price) {
  if (!price.recurring) return 'one-off';
  const each = `${formatAmount(price.unitAmount, price.currency)} / ${price.recurring.interval}`;
  return price.recurring.trialPeriodDays ? `${price.recurring.trialPeriodDays}-day free trial, then ${each}` : each;
}
