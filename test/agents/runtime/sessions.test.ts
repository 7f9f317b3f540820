import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { RateLimiter, SessionStore } from '../../../src/agents/runtime/sessions.js';

describe('sessions', () => {
  it('keeps context per session id, expires idle ones, and persists turns', () => {
    let now = 0;
    const store = new SessionStore(new Database(':memory:'), { idleMs: 1000, now: () => now });
    const s = store.get(undefined);
    s.awaiting = 'order_reference';
    expect(store.get(s.id).awaiting).toBe('order_reference');
    store.record({ sessionId: s.id, role: 'customer', text: 'where is my order', intent: 'order_status' });
    store.record({ sessionId: s.id, role: 'assistant', text: 'which order?' });
    expect(store.history(s.id).map((t) => t.role)).toEqual(['customer', 'assistant']);
    now = 5000;
    expect(store.get(s.id).awaiting).toBeUndefined();
  });

  it('evicts the least recently used session beyond the bound', () => {
    const store = new SessionStore(undefined, { maxSessions: 2 });
    const a = store.get('a');
    a.turns = 7;
    store.get('b');
    store.get('a');
    store.get('c');
    expect(store.get('a').turns).toBe(7);
    expect(store.get('b').turns).toBe(0);
  });
});

describe('rate limiter', () => {
  it('allows a burst of 5, then 30 per minute', () => {
    let now = 0;
    const rl = new RateLimiter(30, 5, () => now);
    for (let i = 0; i < 5; i++) expect(rl.take('s').ok).toBe(true);
    const denied = rl.take('s');
    expect(denied).toEqual({ ok: false, retryAfterS: 2 });
    expect(rl.take('other').ok).toBe(true);
    now = 2000;
    expect(rl.take('s').ok).toBe(true);
    expect(rl.take('s').ok).toBe(false);
  });
});
