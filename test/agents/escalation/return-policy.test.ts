// The return policy's edges: the deadline day on the shop's calendar, the auto-approve limit over every return
// approved for an order (not each request alone), and order lines already refunded.
import { describe, expect, it } from 'vitest';
import type { Order } from '../../../src/agents/runtime/contracts.js';
import { evaluateReturn, LEGACY_LINE, returnDeadline, withinReturnWindow, type ReturnLine, type RmaIssuer } from '../../../src/agents/policy/returns.js';
import { TEST_POLICY as policy } from './fixtures.js';


const order = (over: Partial<Order> = {}, deliveredAt = '2026-11-01T10:34:00-08:00'): Order => ({
  id: 6120040010246,
  name: '#10246',
  orderNumber: 10246,
  email: 'a@example.com',
  createdAt: '2026-10-25T09:00:00-07:00',
  financialStatus: 'paid',
  fulfillmentStatus: 'fulfilled',
  cancelledAt: null,
  currency: 'USD',
  subtotal: 125,
  tax: 0,
  shipping: 0,
  total: 125,
  items: [
    { id: 372, title: 'Summit Hand Grinder', quantity: 1, price: 89 },
    { id: 389, title: 'Firelight Roast', quantity: 2, price: 18 },
  ],
  fulfillments: [{ status: 'success', shipmentStatus: 'delivered', createdAt: '2026-10-26T09:00:00-07:00', updatedAt: deliveredAt }],
  refunds: [],
  ...over,
});

/** An in-memory returns ledger: the lines approved per order, the first approval of a line kept. */
function ledger(): RmaIssuer & { lines: Map<string, ReturnLine[]> } {
  const lines = new Map<string, ReturnLine[]>();
  const issue = (o: Order, amount: number, approved: ReturnLine[] = [{ key: LEGACY_LINE, amount }]) => {
    const kept = lines.get(o.name) ?? [];
    for (const l of approved) if (!kept.some((k) => k.key === l.key)) kept.push(l);
    lines.set(o.name, kept);
    return `RMA-${o.orderNumber}`;
  };
  return Object.assign(issue, { lines, approved: (o: Order) => lines.get(o.name) ?? [] });
}

describe('return deadline: calendar days in the shop’s time, the last day included', () => {
  const rma = () => 'RMA-1';

  it('accepts a return all through the day the customer was told was the last', () => {
    const o = order(); // delivered Nov 1, 10:34 shop time
    for (const now of ['2026-12-01T00:00:00-08:00', '2026-12-01T11:00:00-08:00', '2026-12-01T23:59:00-08:00']) {
      expect(evaluateReturn(o, policy, new Date(now), rma), now).toMatchObject({ status: 'approved', deadline: '2026-12-01' });
    }
    expect(evaluateReturn(o, policy, new Date('2026-12-02T00:00:00-08:00'), rma)).toMatchObject({
      status: 'needs_review',
      reason: 'outside_window',
      deadline: '2026-12-01',
    });
  });

  it('counts a delivery from the shop’s calendar day, not the UTC one, on either side of UTC', () => {
    // 5:30 pm on Nov 1 in the shop is already Nov 2 in UTC.
    const evening = order({}, '2026-11-01T17:30:00-08:00');
    expect(evaluateReturn(evening, policy, new Date('2026-12-01T18:00:00-08:00'), rma)).toMatchObject({ status: 'approved', deadline: '2026-12-01' });
    expect(evaluateReturn(evening, policy, new Date('2026-12-02T01:00:00-08:00'), rma)).toMatchObject({ reason: 'outside_window', deadline: '2026-12-01' });
    // 00:30 on Nov 1 east of UTC is still Oct 31 in UTC.
    const earlyEast = order({}, '2026-11-01T00:30:00+02:00');
    expect(evaluateReturn(earlyEast, policy, new Date('2026-12-01T23:00:00+02:00'), rma)).toMatchObject({ status: 'approved', deadline: '2026-12-01' });
    expect(evaluateReturn(earlyEast, policy, new Date('2026-12-02T00:10:00+02:00'), rma)).toMatchObject({ reason: 'outside_window' });
  });

  it('approves exactly while the shop’s date is on or before the deadline it states', () => {
    for (const delivered of ['2026-11-01T00:05:00-08:00', '2026-11-01T12:00:00-05:00', '2026-11-01T23:55:00-08:00', '2026-11-01T23:55:00+09:00', '2026-11-01T08:00:00Z']) {
      const o = order({}, delivered);
      const offset = delivered.endsWith('Z') ? '+00:00' : delivered.slice(-6);
      for (let hour = 0; hour < 48; hour++) {
        // From 00:30 on the deadline day (Dec 1) to 23:30 the day after, shop time.
        const now = new Date(`2026-12-01T00:30:00${offset}`);
        now.setTime(now.getTime() + hour * 3_600_000);
        const d = evaluateReturn(o, policy, now, rma);
        expect(d.deadline, delivered).toBe('2026-12-01');
        expect(d.status, `${delivered} + ${hour}h`).toBe(hour < 24 ? 'approved' : 'needs_review');
        expect(withinReturnWindow(delivered, 30, now)).toBe(hour < 24);
      }
      expect(returnDeadline(delivered, 30)).toBe('2026-12-01');
    }
  });
});

describe('return deadline across a daylight-saving change', () => {
  const rma = () => 'RMA-1';
  // Delivered on Oct 20 in summer time (-07:00); the deadline, Nov 19, is in winter time (-08:00).
  const o = order({}, '2026-10-20T10:00:00-07:00');
  const lastEvening = new Date('2026-11-19T23:30:00-08:00');

  it("counts the delivery day on the shop's time zone too, whatever offset the timestamp is written in", () => {
    // 03:00 UTC on Oct 21 is still Oct 20 in Los Angeles: the deadline is Nov 19, as for '2026-10-20T20:00:00-07:00'.
    expect(returnDeadline('2026-10-21T03:00:00Z', 30, 'America/Los_Angeles')).toBe('2026-11-19');
    expect(returnDeadline('2026-10-21T03:00:00Z', 30)).toBe('2026-11-20');
  });

  it("counts today on the shop's time zone when the shop names one", () => {
    expect(evaluateReturn(o, policy, lastEvening, rma, undefined, 'America/Los_Angeles')).toMatchObject({ status: 'approved', deadline: '2026-11-19' });
    expect(withinReturnWindow('2026-10-20T10:00:00-07:00', 30, lastEvening, 'America/Los_Angeles')).toBe(true);
    expect(evaluateReturn(o, policy, new Date('2026-11-20T00:10:00-08:00'), rma, undefined, 'America/Los_Angeles')).toMatchObject({
      status: 'needs_review',
      reason: 'outside_window',
    });
  });
});

describe('auto-approve limit: everything approved for the order plus this request', () => {
  const ava = (): Order =>
    order({
      name: '#10266',
      orderNumber: 10266,
      items: [
        { id: 559, title: 'Pocket Espresso Press', quantity: 1, price: 119 },
        { id: 576, title: 'Canvas Brew Kit Roll - Waxed Olive', quantity: 1, price: 36 },
      ],
    });
  const now = new Date('2026-11-26T10:00:00-08:00');

  it('a return split item by item is sent to review once the order’s approved returns pass the limit', () => {
    const rmas = ledger();
    expect(evaluateReturn(ava(), policy, now, rmas)).toMatchObject({ status: 'needs_review', reason: 'over_limit', amount: 155 });
    expect(evaluateReturn(ava(), policy, now, rmas, ['Pocket Espresso Press'])).toMatchObject({ status: 'approved', amount: 119, rma: 'RMA-10266' });
    const second = evaluateReturn(ava(), policy, now, rmas, ['Canvas Brew Kit Roll']);
    expect(second).toMatchObject({ status: 'needs_review', reason: 'over_limit', amount: 155, approvedBefore: 119 });
    expect(second.rma).toBeUndefined();
    expect(rmas.lines.get('#10266')).toEqual([{ key: 'line:559', amount: 119 }]);
  });

  it('records each approved amount, and a line asked for again is not counted twice', () => {
    const rmas = ledger();
    const o = order(); // 89 + 2 × 18 = 125
    expect(evaluateReturn(o, policy, now, rmas, ['Firelight Roast'])).toMatchObject({ status: 'approved', amount: 36 });
    expect(evaluateReturn(o, policy, now, rmas, ['Summit Hand Grinder'])).toMatchObject({ status: 'approved', amount: 125, approvedBefore: 36 });
    expect(rmas.lines.get('#10246')).toEqual([
      { key: 'line:389', amount: 36 },
      { key: 'line:372', amount: 89 },
    ]);
    // The whole order again, or one of its lines again: still 125, still approved.
    expect(evaluateReturn(o, policy, now, rmas)).toMatchObject({ status: 'approved', amount: 125 });
    expect(evaluateReturn(o, policy, now, rmas, ['Summit Hand Grinder'])).toMatchObject({ status: 'approved', amount: 125 });
  });

  it('a return the first ledger approved (lines unknown) asked for again is approved again, not counted twice', () => {
    const rmas = ledger();
    const o = order(); // 125
    rmas.lines.set('#10246', [{ key: LEGACY_LINE, amount: 125 }]);
    expect(evaluateReturn(o, policy, now, rmas)).toMatchObject({ status: 'approved', amount: 125, rma: 'RMA-10246' });
    // Another line on top of it still counts: 125 + the other order lines already approved.
    rmas.lines.set('#10246', [{ key: LEGACY_LINE, amount: 125 }, { key: 'line:999', amount: 40 }]);
    expect(evaluateReturn(o, policy, now, rmas)).toMatchObject({ status: 'needs_review', reason: 'over_limit', amount: 165 });
  });
});

describe('lines already refunded are not returnable', () => {
  const now = new Date('2026-11-26T10:00:00-08:00');
  const refunded = (lineItems: { lineItemId: number; quantity: number }[]): Order =>
    order({ financialStatus: 'partially_refunded', refunds: [{ createdAt: '2026-11-10T10:00:00-08:00', amount: 18, lineItems }] });

  it('a return of only refunded lines is not eligible and issues no RMA', () => {
    const calls: unknown[] = [];
    const rma = (o: Order, amount: number) => (calls.push(amount), 'RMA-1');
    const d = evaluateReturn(refunded([{ lineItemId: 372, quantity: 1 }]), policy, now, rma, ['Summit Hand Grinder']);
    expect(d).toMatchObject({ status: 'not_eligible', reason: 'already_refunded' });
    expect(d.rma).toBeUndefined();
    expect(calls).toEqual([]);
  });

  it('the rest of the order stays returnable, priced without the refunded units', () => {
    const rma = () => 'RMA-1';
    // The grinder refunded: the whole order is the coffee only.
    expect(evaluateReturn(refunded([{ lineItemId: 372, quantity: 1 }]), policy, now, rma)).toMatchObject({ status: 'approved', amount: 36 });
    // One of the two bags refunded: one bag left to return.
    expect(evaluateReturn(refunded([{ lineItemId: 389, quantity: 1 }]), policy, now, rma, ['Firelight Roast'])).toMatchObject({ status: 'approved', amount: 18 });
    // Both bags, over two refunds.
    const twice = order({
      financialStatus: 'partially_refunded',
      refunds: [
        { createdAt: '2026-11-10T10:00:00-08:00', amount: 18, lineItems: [{ lineItemId: 389, quantity: 1 }] },
        { createdAt: '2026-11-12T10:00:00-08:00', amount: 18, lineItems: [{ lineItemId: 389, quantity: 1 }] },
      ],
    });
    expect(evaluateReturn(twice, policy, now, rma, ['Firelight Roast'])).toMatchObject({ status: 'not_eligible', reason: 'already_refunded' });
    // A goodwill refund that names no line leaves every line returnable.
    const goodwill = order({ financialStatus: 'partially_refunded', refunds: [{ createdAt: '2026-11-10T10:00:00-08:00', amount: 15 }] });
    expect(evaluateReturn(goodwill, policy, now, rma)).toMatchObject({ status: 'approved', amount: 125 });
  });
});
