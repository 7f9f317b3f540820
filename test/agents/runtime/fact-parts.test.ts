// The facts the output guardrail checks a reply against: one JSON fragment per record, timestamps cut to dates.
import { describe, expect, it } from 'vitest';
import type { Customer, KnowledgeResult } from '../../../src/agents/runtime/contracts.js';
import { factPartsOf } from '../../../src/agents/runtime/pipeline.js';
import { SHOP } from '../response/fixtures.js';

const knowledge = (createdAt: string): KnowledgeResult => ({
  kb: [],
  orders: [],
  products: [],
  tickets: [{ id: 4211, subject: 'Kettle leaks', status: 'open', priority: 'high', tags: [], createdAt }],
  notes: ['anonymous'],
});

describe('factPartsOf', () => {
  it('gives the shop, each record, the other findings, the decision and the message, in that order', () => {
    const parts = factPartsOf(knowledge('2026-11-23T19:26:15Z'), undefined, { escalate: false }, SHOP, undefined, 'Any news on my ticket?');
    expect(parts).toEqual([
      JSON.stringify(SHOP),
      '{"id":4211,"subject":"Kettle leaks","status":"open","priority":"high","tags":[],"createdAt":"2026-11-23"}',
      '{"notes":["anonymous"]}',
      '{"escalate":false}',
      'Any news on my ticket?',
    ]);
  });

  it.each([
    ['2026-11-23T19:26:15Z', '2026-11-23'],
    ['2026-11-23T19:26:15.250+01:00', '2026-11-23'],
    ['2026-11-23T19:26', '2026-11-23'],
    ['26-11-23T19:26:15Z', '26-11-23T19:26:15Z'], // not a four-digit year: left as it is
    ['2026-11-23 19:26', '2026-11-23 19:26'],
  ])('states %s as %s (replies give days, never clock times)', (at, stated) => {
    const [, ticketPart] = factPartsOf(knowledge(at), undefined, { escalate: false }, SHOP, undefined, '');
    expect(JSON.parse(ticketPart!).createdAt).toBe(stated);
  });

  it('reads each record object once, and a changed record (a new object from a new lookup) afresh', () => {
    const first = knowledge('2026-11-23T19:26:15Z');
    const again = factPartsOf(first, undefined, { escalate: false }, SHOP, undefined, '');
    // Read once: a change made in place (which lookups never make) is not read again.
    Object.assign(first.tickets[0]!, { status: 'pending' });
    expect(factPartsOf(first, undefined, { escalate: false }, SHOP, undefined, '')).toEqual(again);
    const moved = { ...first, tickets: [{ ...first.tickets[0]!, status: 'solved' }] };
    const [, ticketPart] = factPartsOf(moved, undefined, { escalate: false }, SHOP, undefined, '');
    expect(JSON.parse(ticketPart!).status).toBe('solved');
  });

  it('gives the customer’s record a fragment of its own, after the tickets', () => {
    const customer: Customer = { id: 7, email: 'ana@example.com', firstName: 'Ana', lastName: 'Ruiz', tags: [], loyalty: { points: 120, tier: 'Silver' }, autoDelivery: false };
    const parts = factPartsOf(knowledge(''), undefined, { escalate: false }, SHOP, customer, '');
    expect(JSON.parse(parts[2]!)).toEqual(customer);
  });

  it('cuts timestamps in the customer’s message too', () => {
    const parts = factPartsOf(knowledge(''), undefined, { escalate: false }, SHOP, undefined, 'Delivered 2026-11-20T08:00:00Z?');
    expect(parts.at(-1)).toBe('Delivered 2026-11-20?');
  });
});
