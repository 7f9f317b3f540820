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

  it('keeps no index on session ids (each turn would dirty a page of its own); a database made with one loses it', () => {
    const db = new Database(':memory:');
    db.exec(`CREATE TABLE conversation_turns (id INTEGER PRIMARY KEY, session_id TEXT NOT NULL, ts TEXT NOT NULL, role TEXT NOT NULL,
      text TEXT NOT NULL, intent TEXT, language TEXT, trace_id TEXT);
      CREATE INDEX conversation_turns_session ON conversation_turns (session_id, id);
      INSERT INTO conversation_turns (session_id, ts, role, text) VALUES ('s-1', '2026-11-27T10:00:00.000Z', 'customer', 'hello');`);
    const store = new SessionStore(db);
    expect(db.prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'conversation_turns'").all()).toEqual([]);
    store.record({ sessionId: 's-1', role: 'assistant', text: 'How can I help?' });
    expect(store.history('s-1').map((t) => t.text)).toEqual(['hello', 'How can I help?']);
    expect(store.history('s-1', 1).map((t) => t.text)).toEqual(['How can I help?']);
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

  it('counts a session resumed after going idle as the most recent, not the oldest', () => {
    let now = 0;
    const store = new SessionStore(undefined, { maxSessions: 2, idleMs: 1000, now: () => now });
    store.get('a');
    now = 10;
    store.get('b').turns = 3;
    now = 5000; // both idle
    store.get('a').turns = 1; // a fresh session under the same id
    store.get('c');
    expect(store.get('a').turns).toBe(1);
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
