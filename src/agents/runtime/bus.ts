// The embedded event bus: publish writes to a SQLite outbox (batched per tick, in the tick's shared transaction —
// tick-commit.ts — which also holds what the subscribers write synchronously on delivery), then delivers to
// subscribers. An event every subscriber handled synchronously is written already marked delivered (its handlers'
// writes commit with it); one still being handled is marked when it is done. A failing handler is retried after 1,
// 2, 4, 8 and 16 s, then the event goes to the dead-letter subject. Delivered events are kept 7 days.
import type { Database, Statement } from 'better-sqlite3';
import type { BusEvent } from './contracts.js';
import { timeOrderedId } from './ids.js';
import { deadLetterSubject, RETENTION_DAYS, RETRY_DELAYS_S, SUBJECTS } from './events.js';
import { tickCommitter, type TickWriter } from './tick-commit.js';

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
  const insert: Statement = db.prepare(
    'INSERT INTO bus_outbox (id, subject, type, ts, data, created_at, delivered_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
  );
  const markDelivered: Statement = db.prepare('UPDATE bus_outbox SET delivered_at = ? WHERE id = ?');
  const recordDelivery: Statement = db.prepare(
    `INSERT INTO bus_deliveries (event_id, subscriber, attempts, status, last_error) VALUES (?, ?, ?, ?, ?)
     ON CONFLICT (event_id, subscriber) DO UPDATE SET attempts = excluded.attempts, status = excluded.status, last_error = excluded.last_error`,
  );
  const purge: Statement = db.prepare('DELETE FROM bus_outbox WHERE delivered_at IS NOT NULL AND delivered_at < ?');
  const pendingRows: Statement = db.prepare('SELECT id, subject, type, ts, data FROM bus_outbox WHERE delivered_at IS NULL ORDER BY created_at');

  const subs: Subscription[] = [];
  let queue: BusEvent[] = [];
  const inFlight = new Set<Promise<void>>();
  const timers = new Map<NodeJS.Timeout, () => void>();
  let closed = false;

  // One savepoint per batch: each event's synchronous deliveries (an analytics subscriber's insert), then its outbox
  // row. The payload is serialised before any handler sees the event.
  const writeAndDispatch = db.transaction((events: BusEvent[]) => {
    for (const e of events) {
      const data = JSON.stringify(e.data);
      const createdAt = now();
      const handled = dispatch(e);
      insert.run(e.id, e.subject, e.type, e.ts, data, createdAt, handled ? now() : null);
    }
  });
  const ticks = tickCommitter(db);
  const tickWriter: TickWriter = {
    write: flush,
    // A failed outbox write leaves the tick as an uncaught error, as it always did: events would be lost silently.
    settle: (failure) => {
      if (failure) throw failure.error;
    },
  };
  function track(p: Promise<void>): void {
    inFlight.add(p);
    void p.finally(() => inFlight.delete(p));
  }

  function flush(): void {
    const batch = queue;
    queue = [];
    if (batch.length === 0 || closed) return;
    writeAndDispatch(batch);
  }

  /**
   * Hands the event to every matching subscriber. True when all of them handled it synchronously (the caller marks
   * it delivered); otherwise it is marked once the last delivery is done, or dead.
   */
  function dispatch(event: BusEvent): boolean {
    const waiting: Promise<void>[] = [];
    for (const s of subs.filter((s) => s.pattern.test(event.subject))) {
      const p = deliver(event, s, 1);
      if (p) waiting.push(p);
    }
    if (waiting.length === 0) return true;
    track(
      Promise.all(waiting).then(() => {
        if (!closed) markDelivered.run(now(), event.id);
      }),
    );
    return false;
  }

  /** One attempt; undefined when the handler succeeded synchronously, else the promise of this delivery. */
  function deliver(event: BusEvent, sub: Subscription, attempt: number): Promise<void> | undefined {
    let result: unknown;
    try {
      result = sub.handler(event);
    } catch (err) {
      return failed(event, sub, attempt, err);
    }
    if (!isPromiseLike(result)) {
      delivered(event, sub, attempt);
      return undefined;
    }
    return Promise.resolve(result).then(
      () => delivered(event, sub, attempt),
      (err: unknown) => failed(event, sub, attempt, err),
    );
  }

  function delivered(event: BusEvent, sub: Subscription, attempt: number): void {
    if (attempt > 1 && !closed) recordDelivery.run(event.id, sub.name, attempt, 'delivered', null);
  }

  async function failed(event: BusEvent, sub: Subscription, attempt: number, err: unknown): Promise<void> {
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

  function publish(subject: string, data: Record<string, unknown>): BusEvent {
    const type = SUBJECTS[subject] ?? (subject.startsWith('dlq.') ? 'dead_letter' : undefined);
    if (!type) throw new Error(`unknown event subject "${subject}"`);
    const at = now();
    // Time-ordered ids (UUIDv7) put a tick's new outbox and analytics rows on the last page of their indexes: a
    // random id dirties a page of its own per event, and every dirty page is a WAL write at commit.
    const event: BusEvent = { id: timeOrderedId(at), subject, type, ts: new Date(at).toISOString(), data };
    queue.push(event);
    ticks.schedule(tickWriter);
    return event;
  }

  // Events written before a crash and never delivered are delivered now.
  const recovered = pendingRows.all() as { id: string; subject: string; type: string; ts: string; data: string }[];
  if (recovered.length > 0) {
    setImmediate(() => {
      for (const r of recovered) {
        if (dispatch({ ...r, data: JSON.parse(r.data) as Record<string, unknown> }) && !closed) markDelivered.run(now(), r.id);
      }
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
      while (queue.length > 0 || inFlight.size > 0) {
        flush();
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

function isPromiseLike(value: unknown): value is PromiseLike<unknown> {
  return typeof (value as PromiseLike<unknown> | null)?.then === 'function';
}
