// The facts the output guardrail checks a reply against: one JSON fragment per record, timestamps cut to dates.
import { describe, expect, it } from 'vitest';
import type { KnowledgeResult } from '../../../src/agents/runtime/contracts.js';
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

  it('cuts timestamps in the customer’s message too', () => {
    const parts = factPartsOf(knowledge(''), undefined, { escalate: false }, SHOP, undefined, 'Delivered 2026-11-20T08:00:00Z?');
    expect(parts.at(-1)).toBe('Delivered 2026-11-20?');
  });
});
