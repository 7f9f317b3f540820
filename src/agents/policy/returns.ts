// The shop's return policy applied to one order: approve (with an RMA), send to review, or explain why not.
import type { Order, ReturnDecision, ShopPolicy } from '../runtime/contracts.js';

const DAY = 86_400_000;

export function deliveredAt(order: Order): Date | undefined {
  const delivered = order.fulfillments.filter((f) => f.shipmentStatus === 'delivered');
  const last = delivered.map((f) => Date.parse(f.updatedAt ?? f.createdAt)).filter(Number.isFinite).sort((a, b) => b - a)[0];
  return last === undefined ? undefined : new Date(last);
}

/**
 * `items` narrows the return to the order lines the customer named; by default the whole order's goods.
 * `issueRma` is called only for an approved return and must return a stable number for the order.
 */
export function evaluateReturn(
  order: Order,
  policy: ShopPolicy,
  now: Date,
  issueRma: (order: Order, amount: number) => string,
  items?: string[],
): ReturnDecision {
  const lines = items && items.length > 0 ? order.items.filter((i) => items.some((t) => i.title.toLowerCase().includes(t.toLowerCase()))) : [];
  const amount = round2((lines.length > 0 ? lines : order.items).reduce((sum, i) => sum + i.price * i.quantity, 0));
  const base = { order, amount };
  if (order.cancelledAt) return { ...base, status: 'not_eligible', reason: 'cancelled' };
  if (order.financialStatus === 'refunded') return { ...base, status: 'not_eligible', reason: 'already_refunded' };
  const delivered = deliveredAt(order);
  if (!delivered) return { ...base, status: 'not_eligible', reason: 'not_delivered' };
  const deadline = new Date(delivered.getTime() + policy.returnWindowDays * DAY).toISOString().slice(0, 10);
  if (now.getTime() > delivered.getTime() + policy.returnWindowDays * DAY) {
    return { ...base, deadline, status: 'needs_review', reason: 'outside_window' };
  }
  if (amount > policy.autoApproveReturnLimit) return { ...base, deadline, status: 'needs_review', reason: 'over_limit' };
  return { ...base, deadline, status: 'approved', reason: 'within_policy', rma: issueRma(order, amount) };
}

const round2 = (n: number) => Math.round(n * 100) / 100;
