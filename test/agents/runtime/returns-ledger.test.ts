// The RMA ledger in the platform's SQLite database: one RMA per order, a row per order line approved for return.
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { evaluateReturn } from '../../../src/agents/policy/returns.js';
import type { Order } from '../../../src/agents/runtime/contracts.js';
import { returnsLedger } from '../../../src/agents/runtime/parts.js';
import { rmaFor } from '../../../src/agents/runtime/pipeline.js';
import { TEST_POLICY as policy } from '../escalation/fixtures.js';


const order: Order = {
  id: 6120040010266,
  name: '#10266',
  orderNumber: 10266,
  email: 'ava.martinez@example.net',
  createdAt: '2026-11-14T09:00:00-08:00',
  financialStatus: 'paid',
  fulfillmentStatus: 'fulfilled',
  cancelledAt: null,
  currency: 'USD',
  subtotal: 155,
  tax: 0,
  shipping: 0,
  total: 155,
  items: [
    { id: 15200400000559, title: 'Pocket Espresso Press', quantity: 1, price: 119 },
    { id: 15200400000576, title: 'Canvas Brew Kit Roll - Waxed Olive', quantity: 1, price: 36 },
  ],
  fulfillments: [{ status: 'success', shipmentStatus: 'delivered', createdAt: '2026-11-16T09:00:00-08:00', updatedAt: '2026-11-19T13:26:00-08:00' }],
  refunds: [],
};
const now = new Date('2026-11-26T10:00:00-08:00');

let db: Database.Database | undefined;
afterEach(() => db?.close());

describe('returns ledger', () => {
  it('records each approved line under the order’s one RMA, so a split return meets the limit', () => {
    db = new Database(':memory:');
    const rmas = returnsLedger(db);
    const first = evaluateReturn(order, policy, now, rmas, ['Pocket Espresso Press']);
    expect(first).toMatchObject({ status: 'approved', amount: 119, rma: rmaFor(order) });
    // The same line again: the same RMA, not counted twice.
    expect(evaluateReturn(order, policy, now, rmas, ['Pocket Espresso Press'])).toMatchObject({ status: 'approved', amount: 119, rma: first.rma });
    expect(evaluateReturn(order, policy, now, rmas, ['Canvas Brew Kit Roll'])).toMatchObject({ status: 'needs_review', reason: 'over_limit', amount: 155, approvedBefore: 119 });
    expect(db.prepare('SELECT order_name, line, rma, amount FROM returns').all()).toEqual([
      { order_name: '#10266', line: 'line:15200400000559', rma: first.rma, amount: 119 },
    ]);
    // A ledger opened again on the same database (a restart) still knows.
    expect(evaluateReturn(order, policy, now, returnsLedger(db), ['Canvas Brew Kit Roll'])).toMatchObject({ reason: 'over_limit' });
  });

  it('keeps an amount per approved line, each counted once', () => {
    db = new Database(':memory:');
    const rmas = returnsLedger(db);
    const cheap = { ...order, items: [order.items[1]!, { id: 7, title: 'Filters', quantity: 2, price: 7.5 }] };
    expect(evaluateReturn(cheap, policy, now, rmas, ['Canvas'])).toMatchObject({ status: 'approved', amount: 36 });
    expect(evaluateReturn(cheap, policy, now, rmas, ['Filters'])).toMatchObject({ status: 'approved', amount: 51, approvedBefore: 36 });
    expect(rmas.approved?.(cheap)).toHaveLength(2);
    expect(rmas.approved?.(cheap)).toEqual(
      expect.arrayContaining([
        { key: 'line:15200400000576', amount: 36 },
        { key: 'line:7', amount: 15 },
      ]),
    );
  });

  it('carries over the rows of the first ledger (one per order, lines unknown), which count as that much already approved', () => {
    db = new Database(':memory:');
    db.exec('CREATE TABLE returns (rma TEXT PRIMARY KEY, order_name TEXT NOT NULL UNIQUE, amount REAL NOT NULL, created_at TEXT NOT NULL)');
    db.prepare('INSERT INTO returns VALUES (?, ?, ?, ?)').run('RMA-10266-1000', '#10266', 119, '2026-11-20T00:00:00Z');
    const rmas = returnsLedger(db);
    expect(rmas.approved?.(order)).toEqual([{ key: '*', amount: 119 }]);
    // Which lines it covered is unknown: asking again for at most as much is taken as that return again.
    expect(evaluateReturn(order, policy, now, rmas, ['Pocket Espresso Press'])).toMatchObject({ status: 'approved', amount: 119 });
    expect(evaluateReturn(order, policy, now, rmas)).toMatchObject({ status: 'needs_review', reason: 'over_limit', amount: 155 });
    // Opening it again changes nothing.
    expect(returnsLedger(db).approved?.(order)).toEqual([
      { key: '*', amount: 119 },
      { key: 'line:15200400000559', amount: 119 },
    ]);
  });
});
