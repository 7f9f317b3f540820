import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { createSqliteBus, subjectPattern } from '../../../src/agents/runtime/bus.js';
import { SUBJECTS, EVENT_TYPES } from '../../../src/agents/runtime/events.js';
import { SessionStore } from '../../../src/agents/runtime/sessions.js';

describe('event catalogue', () => {
  it('has 12 event types on 21 subjects', () => {
    expect(EVENT_TYPES).toHaveLength(12);
    expect(Object.keys(SUBJECTS)).toHaveLength(21);
    expect(new Set(Object.values(SUBJECTS))).toEqual(new Set(EVENT_TYPES));
  });
});

describe('embedded bus', () => {
  it('matches NATS-style wildcards', () => {
    expect(subjectPattern('events.shopify.>').test('events.shopify.orders.created')).toBe(true);
    expect(subjectPattern('events.*.orders.created').test('events.shopify.orders.created')).toBe(true);
    expect(subjectPattern('events.*.created').test('events.shopify.orders.created')).toBe(false);
  });

  it('writes every event to the outbox and delivers it to matching subscribers', async () => {
    const db = new Database(':memory:');
    const bus = createSqliteBus(db);
    const got: string[] = [];
    bus.subscribe('events.shopify.>', 'test', (e) => void got.push(e.subject));
    bus.publish('events.shopify.orders.created', { id: 1 });
    bus.publish('events.zendesk.tickets.created', { id: 2 });
    await bus.drain();
    expect(got).toEqual(['events.shopify.orders.created']);
    const rows = db.prepare('SELECT subject, delivered_at IS NOT NULL delivered FROM bus_outbox ORDER BY created_at').all();
    expect(rows).toEqual([
      { subject: 'events.shopify.orders.created', delivered: 1 },
      { subject: 'events.zendesk.tickets.created', delivered: 1 },
    ]);
    expect(() => bus.publish('events.nope', {})).toThrow(/unknown event subject/);
    await bus.close();
  });

  it('gives events time-ordered ids (UUIDv7), so the outbox index grows at its end', async () => {
    let now = Date.parse('2026-11-27T07:00:00Z');
    const bus = createSqliteBus(new Database(':memory:'), { now: () => now });
    const first = bus.publish('events.scheduled.reports.daily', {});
    now += 1;
    const second = bus.publish('events.scheduled.reports.daily', {});
    expect(first.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(first.id.slice(0, 13)).toBe('01a21bcd-c580');
    expect(second.id > first.id).toBe(true);
    await bus.close();
  });

  it('commits a turn and its event in one transaction: an event its subscribers handled at once is stored delivered', async () => {
    const db = new Database(':memory:');
    const bus = createSqliteBus(db);
    const sessions = new SessionStore(db);
    db.exec('CREATE TABLE seen (id TEXT)');
    const seen = db.prepare('INSERT INTO seen VALUES (?)');
    bus.subscribe('events.platform.>', 'sync', (e) => void seen.run(e.id));
    sessions.record({ sessionId: 's', role: 'customer', text: 'hello' });
    sessions.record({ sessionId: 's', role: 'assistant', text: 'hi' });
    const event = bus.publish('events.platform.conversations.turn', { session_id: 's' });
    await sessions.written();
    expect(db.prepare('SELECT COUNT(*) n FROM conversation_turns').get()).toEqual({ n: 2 });
    expect(db.prepare('SELECT id, delivered_at IS NOT NULL delivered FROM bus_outbox').all()).toEqual([{ id: event.id, delivered: 1 }]);
    expect(db.prepare('SELECT id FROM seen').all()).toEqual([{ id: event.id }]);
    await bus.close();
  });

  it('retries a failing handler on the schedule, then dead-letters the event', async () => {
    const db = new Database(':memory:');
    const bus = createSqliteBus(db, { retryDelaysS: [0.001, 0.001] });
    let calls = 0;
    const dead: unknown[] = [];
    bus.subscribe('events.platform.escalations.created', 'flaky', () => {
      calls += 1;
      throw new Error('downstream unavailable');
    });
    bus.subscribe('dlq.>', 'dlq-watch', (e) => void dead.push(e.data));
    bus.publish('events.platform.escalations.created', { reason: 'safety' });
    await bus.drain();
    expect(calls).toBe(3);
    expect(dead).toEqual([expect.objectContaining({ subscriber: 'flaky', error: 'downstream unavailable' })]);
    expect(db.prepare("SELECT attempts, status FROM bus_deliveries WHERE subscriber = 'flaky'").get()).toEqual({ attempts: 3, status: 'dead' });
    await bus.close();
  });

  it('delivers events left undelivered by a crash when it starts again', async () => {
    const db = new Database(':memory:');
    const first = createSqliteBus(db);
    first.publish('events.scheduled.reports.daily', { day: '2026-11-26' });
    await new Promise((r) => setImmediate(r)); // written to the outbox, nobody subscribed yet
    db.prepare('UPDATE bus_outbox SET delivered_at = NULL').run();
    await first.close();
    const second = createSqliteBus(db);
    const got: unknown[] = [];
    second.subscribe('events.scheduled.>', 'reports', (e) => void got.push(e.data));
    await new Promise((r) => setTimeout(r, 10));
    await second.drain();
    expect(got).toEqual([{ day: '2026-11-26' }]);
    await second.close();
  });
});
