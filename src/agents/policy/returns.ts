// The shop's return policy applied to one order: approve (with an RMA), send to review, or explain why not.
import type { Order, OrderItem, ReturnDecision, ShopPolicy } from '../runtime/contracts.js';

const DAY = 86_400_000;

/** The ledger key of what the first returns ledger recorded: an order's approved amount, lines unknown. */
export const LEGACY_LINE = '*';

/** One order line a return covers: its key in the returns ledger, and the value of the units sent back. */
export interface ReturnLine {
  key: string;
  amount: number;
}

/**
 * Issues the RMA number of an approved return (stable for the order) and records the lines it covers. A ledger that
 * keeps them also answers `approved`: the order's lines already approved for return, so that the auto-approve limit
 * applies to everything approved for the order, not to each request on its own (one return split item by item).
 */
export type RmaIssuer = ((order: Order, amount: number, lines?: ReturnLine[]) => string) & {
  approved?: (order: Order) => ReturnLine[];
};

/** The latest delivery of the order, as the store wrote it (ISO timestamp with the store's UTC offset). */
export function deliveredAt(order: Order): string | undefined {
  let latest: { iso: string; t: number } | undefined;
  for (const f of order.fulfillments) {
    if (f.shipmentStatus !== 'delivered') continue;
    const iso = f.updatedAt ?? f.createdAt;
    const t = Date.parse(iso);
    if (Number.isFinite(t) && (!latest || t > latest.t)) latest = { iso, t };
  }
  return latest?.iso;
}

/**
 * The last day a return is accepted: the calendar day of delivery in the shop's time (the date the delivery
 * timestamp carries, written in the shop's UTC offset) plus the window. The same day is stated to the customer.
 */
export function returnDeadline(delivered: string, windowDays: number, timeZone?: string): string | undefined {
  const day = timeZone && Number.isFinite(Date.parse(delivered)) ? dayIn(timeZone, new Date(delivered)) : shopDay(delivered);
  return day === undefined ? undefined : new Date(Date.parse(`${day}T00:00:00Z`) + windowDays * DAY).toISOString().slice(0, 10);
}

/**
 * Whether `now`, on the shop's calendar, is on or before the deadline day of a delivery at `delivered`. The shop's
 * calendar is its time zone's when known, else the UTC offset the delivery timestamp was written in (which is off by
 * an hour when daylight saving time began or ended since).
 */
export function withinReturnWindow(delivered: string, windowDays: number, now: Date, timeZone?: string): boolean {
  const deadline = returnDeadline(delivered, windowDays, timeZone);
  return deadline !== undefined && (timeZone ? dayIn(timeZone, now) : shopToday(now, delivered)) <= deadline;
}

/**
 * `items` narrows the return to the order lines the customer named; by default the whole order's goods. Units
 * already refunded are not returnable. `issueRma` is called only for an approved return.
 */
export function evaluateReturn(order: Order, policy: ShopPolicy, now: Date, issueRma: RmaIssuer, items?: string[], timeZone?: string): ReturnDecision {
  const lines = returnableLines(order);
  const named = items && items.length > 0 ? lines.filter((l) => items.some((t) => l.item.title.toLowerCase().includes(t.toLowerCase()))) : [];
  const asked = named.length > 0 ? named : lines;
  const wanted = asked.filter((l) => l.quantity > 0).map((l) => ({ key: l.key, amount: round2(l.item.price * l.quantity) }));
  const requested = sum(wanted);
  const base = { order, amount: requested };
  if (order.cancelledAt) return { ...base, status: 'not_eligible', reason: 'cancelled' };
  // Every unit asked for was refunded already (a partial refund of those lines, or the whole order).
  if (order.financialStatus === 'refunded' || (asked.length > 0 && wanted.length === 0)) return { ...base, status: 'not_eligible', reason: 'already_refunded' };
  const delivered = deliveredAt(order);
  const deadline = delivered && returnDeadline(delivered, policy.returnWindowDays, timeZone);
  if (!delivered || !deadline) return { ...base, status: 'not_eligible', reason: 'not_delivered' };
  if (!withinReturnWindow(delivered, policy.returnWindowDays, now, timeZone)) {
    return { ...base, deadline, status: 'needs_review', reason: 'outside_window' };
  }
  // Lines approved by earlier requests count towards the limit; one asked for again is not counted twice. A row of
  // the first ledger (LEGACY_LINE: lines unknown) may cover this very request: the larger of the two counts, so that
  // asking again for a return approved before the upgrade is not refused as over the limit.
  const earlier = issueRma.approved?.(order) ?? [];
  const legacy = sum(earlier.filter((l) => l.key === LEGACY_LINE));
  const others = sum(earlier.filter((l) => l.key !== LEGACY_LINE && !wanted.some((w) => w.key === l.key)));
  const total = round2(others + Math.max(legacy, requested));
  const before = round2(total - requested);
  const counted = { ...base, amount: total, ...(before > 0 ? { approvedBefore: before } : {}), deadline };
  if (counted.amount > policy.autoApproveReturnLimit) return { ...counted, status: 'needs_review', reason: 'over_limit' };
  return { ...counted, status: 'approved', reason: 'within_policy', rma: issueRma(order, requested, wanted) };
}

/** Each order line with the units still returnable (its quantity less the units refunded). */
function returnableLines(order: Order): { item: OrderItem; key: string; quantity: number }[] {
  const refunded = new Map<number, number>();
  for (const r of order.refunds) for (const l of r.lineItems ?? []) refunded.set(l.lineItemId, (refunded.get(l.lineItemId) ?? 0) + l.quantity);
  return order.items.map((item, i) => ({
    item,
    key: item.id !== undefined ? `line:${item.id}` : `#${i}:${item.title}`,
    quantity: item.quantity - (item.id !== undefined ? (refunded.get(item.id) ?? 0) : 0),
  }));
}

/** The calendar day (YYYY-MM-DD) of an ISO timestamp as written, i.e. in the UTC offset it carries. */
function shopDay(iso: string): string | undefined {
  const written = /^\d{4}-\d{2}-\d{2}/.exec(iso)?.[0];
  if (written && Number.isFinite(Date.parse(`${written}T00:00:00Z`))) return written;
  const t = Date.parse(iso);
  return Number.isFinite(t) ? new Date(t).toISOString().slice(0, 10) : undefined;
}

/** Today's date on the shop's calendar, taking the shop's UTC offset from a timestamp it wrote (none: UTC). */
function shopToday(now: Date, like: string): string {
  const m = /T[\d:.]+([+-])(\d{2}):?(\d{2})$/.exec(like);
  const offset = m ? (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3])) * 60_000 : 0;
  return new Date(now.getTime() + offset).toISOString().slice(0, 10);
}

/** The calendar day (YYYY-MM-DD) of an instant in an IANA time zone. */
function dayIn(timeZone: string, at: Date): string {
  let format = dayFormats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
    dayFormats.set(timeZone, format);
  }
  const parts = format.formatToParts(at);
  const part = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return `${part('year')}-${part('month')}-${part('day')}`;
}
const dayFormats = new Map<string, Intl.DateTimeFormat>();

const sum = (lines: ReturnLine[]) => round2(lines.reduce((s, l) => s + l.amount, 0));
const round2 = (n: number) => Math.round(n * 100) / 100;
