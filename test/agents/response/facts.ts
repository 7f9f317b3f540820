// The facts a reply may draw numbers from, built from a ResponseContext the way an output guardrail sees them, and a
// check that every number in a reply is one of them.
import type { Order, ResponseContext } from '../../../src/agents/runtime/contracts.js';

const money = (n: number): string => `${n} / ${n.toFixed(2)}`;

function orderFacts(o: Order): string[] {
  return [
    `order ${o.name} | number ${o.orderNumber} | placed ${o.createdAt} | cancelled ${o.cancelledAt ?? '-'}`,
    `status ${o.financialStatus} | ${o.fulfillmentStatus ?? '-'} | currency ${o.currency}`,
    `subtotal ${money(o.subtotal)} | tax ${money(o.tax)} | shipping ${money(o.shipping)} | total ${money(o.total)}`,
    ...o.items.map((i) => `item ${i.title} | qty ${i.quantity} | price ${money(i.price)}`),
    ...o.fulfillments.map(
      (f) =>
        `parcel ${f.shipmentStatus ?? f.status} | ${f.carrier ?? ''} | ${f.trackingNumber ?? ''} | ${f.trackingUrl ?? ''} | ${f.createdAt} | ${f.updatedAt ?? ''}`,
    ),
    ...o.refunds.map((r) => `refund ${money(r.amount)} on ${r.createdAt}`),
  ];
}

/** Everything a reply may state, as one string. */
export function factsOf(ctx: ResponseContext): string {
  const { shop, knowledge, escalation, returnDecision } = ctx;
  const p = shop.policy;
  const customer = ctx.customer ?? knowledge.customer;
  const lines = [
    `shop ${shop.name} ${shop.currency} ${shop.supportEmail ?? ''}`,
    `policy return window ${p.returnWindowDays} days, auto-approve ${money(p.autoApproveReturnLimit)}, free shipping ${money(p.freeShippingThreshold)}`,
    `loyalty ${p.loyalty.pointsPerDollar} per dollar, ${p.loyalty.redeemPoints} points = ${money(p.loyalty.redeemValue)}`,
    ...p.loyalty.tiers.map((t) => `tier ${t.name} from ${t.minPoints}`),
    `gift cards ${money(p.giftCards.min)} to ${money(p.giftCards.max)}`,
  ];
  if (customer) {
    lines.push(`customer ${customer.firstName} ${customer.lastName} ${customer.email}`);
    if (customer.loyalty) lines.push(`points ${customer.loyalty.points} | tier ${customer.loyalty.tier}`);
  }
  for (const o of knowledge.orders) lines.push(...orderFacts(o));
  for (const pr of knowledge.products) {
    lines.push(`product ${pr.title} ${pr.description}`);
    for (const v of pr.variants) lines.push(`variant ${v.title} | ${money(v.price)} | stock ${v.inventory}`);
  }
  for (const h of knowledge.kb) lines.push(`kb ${h.title} ${h.heading} ${h.text}`);
  if (escalation.ticketId) lines.push(`ticket ${escalation.ticketId}`);
  if (returnDecision) {
    lines.push(...orderFacts(returnDecision.order));
    lines.push(`return ${money(returnDecision.amount)} | ${returnDecision.deadline ?? ''} | ${returnDecision.rma ?? ''}`);
  }
  return lines.join('\n');
}

/**
 * Digit runs of a text, after joining thousands groups ("1,240", "1 240" with a no-break space as Intl writes it,
 * "1.240" → "1240") and dropping leading
 * zeros ("07" → "7"), so a date like "November 7, 2026" matches "2026-11-07" and "24,99 $" matches "24.99".
 */
export function numbersIn(text: string): string[] {
  let s = text;
  let prev: string;
  do {
    prev = s;
    s = s.replace(/(\d)[,.\u00a0\u202f\u2009](\d{3})(?!\d)/g, '$1$2');
  } while (s !== prev);
  return (s.match(/\d+/g) ?? []).map((d) => d.replace(/^0+(?=\d)/, ''));
}

/** Numbers in the reply that appear nowhere in the facts. */
export function inventedNumbers(reply: string, ctx: ResponseContext): string[] {
  const known = new Set(numbersIn(factsOf(ctx)));
  return [...new Set(numbersIn(reply).filter((n) => !known.has(n)))];
}
