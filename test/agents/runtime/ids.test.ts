import { describe, expect, it } from 'vitest';
import { validate, version } from 'uuid';
import { timeOrderedId } from '../../../src/agents/runtime/ids.js';

describe('timeOrderedId', () => {
  it('is a UUIDv7 carrying the given time in its first 48 bits', () => {
    const at = Date.parse('2026-11-27T12:00:00.123Z');
    const id = timeOrderedId(at);
    expect(validate(id) && version(id)).toBe(7);
    expect(Number.parseInt(id.replace(/-/g, '').slice(0, 12), 16)).toBe(at);
  });

  it('gives distinct ids within one millisecond, across several refills of its random pool', () => {
    const ids = Array.from({ length: 2_000 }, () => timeOrderedId(1_800_000_000_000));
    expect(new Set(ids).size).toBe(ids.length);
    // The random tails differ too, not only an incrementing part.
    expect(new Set(ids.map((id) => id.slice(-12))).size).toBe(ids.length);
  });

  it('sorts by time', () => {
    const ids = [3, 1, 2].map((s) => timeOrderedId(1_800_000_000_000 + s * 1000));
    expect([...ids].sort()).toEqual([ids[1], ids[2], ids[0]]);
  });
});
