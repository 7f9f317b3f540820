// The embedded event bus: publish writes to a SQLite outbox (batched per tick, so a burst costs one
// transaction — which also holds what the subscribers write synchronously on delivery), then delivers to
// subscribers asynchronously. A failing handler is retried after 1, 2, 4, 8 and
// 16 s, then the event goes to the dead-letter subject. Delivered events are kept 7 days.
import { randomUUID } from 'node:crypto';
import type { Database, Statement } from 'better-sqlite3';
import type { BusEvent } from './contracts.js';
import { deadLetterSubject, RETENTION_DAYS, RETRY_DELAYS_S, SUBJECTS } from './events.js';

export type Handler = (event: BusEvent) => void | Promise<void>;

export interface EventBus {
  publish(subject: string, data: Record<string, unknown>): BusEvent;
  subscribe(pattern: string, name: string, handler: Handler): () => void;
  /** Resolves once every event published so far has been delivered or scheduled for retry. */
  drain(): Promise<void>;
  close(): Promise<void>;
}

interface Subscription {
  pattern: RegExp;
  name: string;
  handler: Handler;
}

/** NATS-style wildcards: `*` one token, `>` the rest. */
export function subjectPattern(pattern: string): RegExp {
  const re = pattern
    .split('.')
    .map((t) => (t === '*' ? '[^.]+' : t === '>' ? '.+' : t.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
    .join('\\.');
  return new RegExp(`^${re}$`);
}

export function createSqliteBus(db: Database, opts: { now?: () => number; retryDelaysS?: readonly number[] } = {}): EventBus {
  const now = opts.now ?? Date.now;
  const delays = opts.retryDelaysS ?? RETRY_DELAYS_S;
  db.exec(`
    CREATE TABLE IF NOT EXISTS bus_outbox (
      id TEXT PRIMARY KEY, subject TEXT NOT NULL, type TEXT NOT NULL, ts TEXT NOT NULL, data TEXT NOT NULL,
      delivered_at INTEGER, created_at INTEGER NOT NULL
    );
    CREATE INDEX IF NOT EXISTS bus_outbox_pending ON bus_outbox (delivered_at) WHERE delivered_at IS NULL;
    CREATE TABLE IF NOT EXISTS bus_deliveries (
      event_id TEXT NOT NULL, subscriber TEXT NOT NULL, attempts INTEGER NOT NULL, status TEXT NOT NULL,
      last_error TEXT, PRIMARY KEY (event_id, subscriber)
    );
  `);
  const insert: Statement = db.prepare('INSERT INTO bus_outbox (id, subject, type, ts, data, created_at) VALUES (?, ?, ?, ?, ?, ?)');
  const markDelivered: Statement = db.prepare('UPDATE bus_outbox SET delivered_at = ? WHERE id = ?');
  const recordDelivery: Statement = db.prepare(
    `INSERT INTO bus_deliveries (event_id, subscriber, attempts, status, last_error) VALUES (?, ?, ?, ?, ?)
     ON CONFLICT (event_id, subscriber) DO UPDATE SET attempts = excluded.attempts, status = excluded.status, last_error = excluded.last_error`,
  );
  const purge: Statement = db.prepare('DELETE FROM bus_outbox WHERE delivered_at IS NOT NULL AND delivered_at < ?');
  const pendingRows: Statement = db.prepare('SELECT id, subject, type, ts, data FROM bus_outbox WHERE delivered_at IS NULL ORDER BY created_at');

  const subs: Subscription[] = [];
  let queue: BusEvent[] = [];
  let flushScheduled = false;
  const inFlight = new Set<Promise<void>>();
  const timers = new Map<NodeJS.Timeout, () => void>();
  let closed = false;

  // One transaction per batch: the outbox rows, then the deliveries' synchronous parts (an analytics subscriber's
  // insert), instead of one commit per row.
  const writeAndDispatch = db.transaction((events: BusEvent[]) => {
    for (const e of events) insert.run(e.id, e.subject, e.type, e.ts, JSON.stringify(e.data), now());
    for (const event of events) track(dispatch(event));
  });
  function track(p: Promise<void>): void {
    inFlight.add(p);
    void p.finally(() => inFlight.delete(p));
  }

  function flush(): void {
    flushScheduled = false;
    const batch = queue;
    queue = [];
    if (batch.length === 0 || closed) return;
    writeAndDispatch(batch);
  }

  async function dispatch(event: BusEvent): Promise<void> {
    const targets = subs.filter((s) => s.pattern.test(event.subject));
    await Promise.all(targets.map((s) => deliver(event, s, 1)));
    if (!closed) markDelivered.run(now(), event.id);
  }

  async function deliver(event: BusEvent, sub: Subscription, attempt: number): Promise<void> {
    try {
      await sub.handler(event);
      if (attempt > 1 && !closed) recordDelivery.run(event.id, sub.name, attempt, 'delivered', null);
    } catch (err) {
      if (closed) return; // shutting down: the event stays undelivered in the outbox and is retried on restart
      const message = (err as Error).message ?? String(err);
      const delay = delays[attempt - 1];
      if (delay === undefined) {
        recordDelivery.run(event.id, sub.name, attempt, 'dead', message);
        if (!event.subject.startsWith('dlq.')) publish(deadLetterSubject(event.subject), { event, subscriber: sub.name, error: message });
        return;
      }
      recordDelivery.run(event.id, sub.name, attempt, 'retrying', message);
      await new Promise<void>((resolve) => {
        const t = setTimeout(() => {
          timers.delete(t);
          resolve();
        }, delay * 1000);
        t.unref();
        timers.set(t, resolve);
      });
      if (!closed) await deliver(event, sub, attempt + 1);
    }
  }

  function publish(subject: string, data: Record<string, unknown>): BusEvent {
    const type = SUBJECTS[subject] ?? (subject.startsWith('dlq.') ? 'dead_letter' : undefined);
    if (!type) throw new Error(`unknown event subject "${subject}"`);
    const event: BusEvent = { id: randomUUID(), subject, type, ts: new Date(now()).toISOString(), data };
    queue.push(event);
    if (!flushScheduled) {
      flushScheduled = true;
      setImmediate(flush);
    }
    return event;
  }

  // Events written before a crash and never delivered are delivered now.
  const recovered = pendingRows.all() as { id: string; subject: string; type: string; ts: string; data: string }[];
  if (recovered.length > 0) {
    setImmediate(() => {
      for (const r of recovered) track(dispatch({ ...r, data: JSON.parse(r.data) as Record<string, unknown> }));
    });
  }
  const purgeTimer = setInterval(() => purge.run(now() - RETENTION_DAYS * 86_400_000), 3_600_000);
  purgeTimer.unref();

  return {
    publish,
    subscribe(pattern, name, handler) {
      const sub = { pattern: subjectPattern(pattern), name, handler };
      subs.push(sub);
      return () => {
        const i = subs.indexOf(sub);
        if (i >= 0) subs.splice(i, 1);
      };
    },
    async drain() {
      while (queue.length > 0 || flushScheduled || inFlight.size > 0) {
        if (queue.length > 0 && !flushScheduled) flush();
        await new Promise((r) => setImmediate(r));
        await Promise.all([...inFlight]);
      }
    },
    async close() {
      if (queue.length > 0) flush();
      closed = true;
      clearInterval(purgeTimer);
      // Pending retries end now; their events stay undelivered in the outbox for the next start.
      for (const [t, resolve] of timers) {
        clearTimeout(t);
        resolve();
      }
      timers.clear();
      await Promise.allSettled([...inFlight]);
    },
  };
}
