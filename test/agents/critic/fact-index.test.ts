import { describe, expect, it } from 'vitest';
import { factKeys } from '../../../src/agents/critic/numbers.js';
import { indexFragment } from '../../../src/agents/critic/output-guardrail.js';
import { detectPii } from '../../../src/agents/pii/detect.js';

/** The index of a fragment read as one text. */
function whole(fragment: string) {
  const pii = detectPii(fragment, { kinds: ['phone', 'street_address'] });
  return { pii, keys: [...factKeys(fragment, pii)].sort() };
}

const indexed = (fragment: string) => {
  const { pii, keys } = indexFragment(fragment);
  return { pii, keys: [...keys].sort() };
};

describe('indexFragment: a JSON record, member by member', () => {
  it('equals the index of the whole text', () => {
    for (const record of [
      { source: 'returns.md', text: 'Returns within 30 days; refunds in 5-10 business days.', language: 'en', score: 1, ranks: { bm25: 1, vector: 2 }, similarity: 0.4595 },
      { text: 'You may return it by June 14, 2024', score: 0.5 },
      { date: '14', month: 'juin', note: 'livré le 14 juin 2024 au 12 rue de la Paix, tél. 06 12 34 56 78' },
      { phone: '+1 514-555-0123', address: '123 Main Street, Apt 4', order: 10234, total: 78.97, createdAt: '2026-11-02' },
      { es: 'Envíelo a C/ Mayor, 5 o a Calle Mayor no 5', n: 5 },
      { list: ['1. Unplug', '2) Descale', '3-5 days', '$24.99', '1,240', '14h30', '09/27', '2x'] },
      { hangul: '한국어 3개', text: 'ǅ 12 décembre', n: 1 },
      { a: '5 mar2', b: 'mar 5', c: 'may' },
    ]) {
      const fragment = JSON.stringify(record);
      expect(indexed(fragment), fragment).toEqual(whole(fragment));
    }
  });

  it('equals the index of the whole text when members differ from one turn to the next', () => {
    const passage = { source: 'shipping.md', text: 'Orders ship in 1-2 business days from our warehouse at 12 Harbour Road, call 1-800-555-0199.', language: 'en' };
    for (let i = 0; i < 50; i++) {
      const fragment = JSON.stringify({ ...passage, score: i % 3, ranks: { bm25: i, vector: (i * 7) % 11 }, similarity: i / 97 });
      expect(indexed(fragment), fragment).toEqual(whole(fragment));
    }
  });

  it('equals the index of the whole text on texts that are not JSON', () => {
    for (const text of ['a,"b', ',"', '"x":1,"y":2', 'call 514-555-0123,"then" 12 Main St,"x"', '1,"2",3', 'June,"14"']) {
      expect(indexed(text), text).toEqual(whole(text));
    }
  });
});
