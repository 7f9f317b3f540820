// Conversation sessions: multi-turn context kept in memory (bounded, idle ones expire) and every turn persisted
// to the embedded database in batches, PII already tokenised by the caller.
import { randomUUID } from 'node:crypto';
import type { Database, Statement } from 'better-sqlite3';
import type { Awaiting, EscalationReason, Intent, Language, Priority } from './contracts.js';
import { tickCommitter, type TickCommitter, type TickWriter } from './tick-commit.js';

export interface Session {
  id: string;
  language?: Language;
  customerEmail?: string;
  /** An email the customer typed, used with an order number to verify an anonymous order lookup. */
  statedEmail?: string;
  orderNumber?: string;
  awaiting?: Awaiting;
  previousIntent?: Intent;
  /** The helpdesk ticket already opened in this conversation (no duplicates). */
  ticketId?: string;
  /** That ticket's priority and the reasons it was escalated for: a later, more serious request updates it. */
  ticketPriority?: Priority;
  ticketReasons?: EscalationReason[];
  turns: number;
  lastSeen: number;
}

export interface TurnRecord {
  sessionId: string;
  role: 'customer' | 'assistant';
  text: string;
  intent?: Intent;
  language?: Language;
  traceId?: string;
}

interface Commit {
  promise: Promise<void>;
  resolve: () => void;
  reject: (err: unknown) => void;
}

export class SessionStore {
  private readonly sessions = new Map<string, Session>();
  private pending: (TurnRecord & { ts: string })[] = [];
  private flushTimer?: NodeJS.Timeout;
  private commit?: Commit;
  private closed = false;
  private readonly insert?: Statement;
  private readonly writeBatch?: (rows: (TurnRecord & { ts: string })[]) => void;
  private readonly ticks?: TickCommitter;
  /** The commit the tick's transaction is writing (it resolves once that transaction has committed). */
  private inTick?: Commit;
  private readonly tickWriter: TickWriter = {
    write: () => {
      this.inTick = this.commit;
      this.commit = undefined;
      this.writePending();
    },
    settle: (failure) => {
      const commit = this.inTick;
      this.inTick = undefined;
      if (!failure) return commit?.resolve();
      if (!commit) throw failure.error;
      commit.reject(failure.error);
    },
  };

  constructor(
    private readonly db: Database | undefined,
    private readonly opts: { maxSessions?: number; idleMs?: number; now?: () => number } = {},
  ) {
    if (db) {
      // No index on session_id: session ids are random, so every turn would dirty an index page of its own (a WAL
      // page write at commit, ~2% of the platform's CPU under load), and nothing on the request path reads turns
      // back. history() scans; databases made with the index lose it.
      db.exec(`CREATE TABLE IF NOT EXISTS conversation_turns (
        id INTEGER PRIMARY KEY, session_id TEXT NOT NULL, ts TEXT NOT NULL, role TEXT NOT NULL, text TEXT NOT NULL,
        intent TEXT, language TEXT, trace_id TEXT);
        DROP INDEX IF EXISTS conversation_turns_session;`);
      const insert = db.prepare(
        'INSERT INTO conversation_turns (session_id, ts, role, text, intent, language, trace_id) VALUES (?, ?, ?, ?, ?, ?, ?)',
      );
      this.insert = insert;
      this.writeBatch = db.transaction((rows: (TurnRecord & { ts: string })[]) => {
        for (const r of rows) insert.run(r.sessionId, r.ts, r.role, r.text, r.intent ?? null, r.language ?? null, r.traceId ?? null);
      });
      this.ticks = tickCommitter(db);
    }
  }

  private get now(): number {
    return (this.opts.now ?? Date.now)();
  }

  /** The session for an id (created when new or expired); a missing id starts a new session. */
  get(id: string | undefined): Session {
    const now = this.now;
    const idle = this.opts.idleMs ?? 30 * 60_000;
    if (id) {
      const s = this.sessions.get(id);
      if (s && now - s.lastSeen <= idle) {
        s.lastSeen = now;
        // Map order = recency order: re-insert so eviction drops the least recently used.
        this.sessions.delete(id);
        this.sessions.set(id, s);
        return s;
      }
    }
    const session: Session = { id: id ?? randomUUID(), turns: 0, lastSeen: now };
    this.sessions.delete(session.id); // an idle one it replaces: the new one is the most recent
    this.sessions.set(session.id, session);
    const max = this.opts.maxSessions ?? 100_000;
    if (this.sessions.size > max) {
      const oldest = this.sessions.keys().next().value;
      if (oldest !== undefined) this.sessions.delete(oldest);
    }
    return session;
  }

  record(turn: TurnRecord): void {
    if (!this.writeBatch || this.closed) return;
    this.pending.push({ ...turn, ts: new Date(this.now).toISOString() });
    // The assistant's turn closes an exchange: it is written (with the customer's) before the reply leaves — the
    // caller awaits written() — so an acknowledged conversation is in the database and in the next backup. The
    // exchanges closed in the same tick share one transaction (group commit), with the event bus's writes of that
    // tick (tick-commit.ts). A lone turn waits for company briefly.
    if (turn.role === 'assistant') this.scheduleCommit();
    else this.flushTimer ??= setTimeout(() => this.flush(), 50);
  }

  /** Resolves once every turn recorded so far is in the database; rejects when writing them failed. */
  written(): Promise<void> {
    if (this.pending.length === 0) return Promise.resolve();
    this.scheduleCommit();
    return this.commit!.promise;
  }

  private scheduleCommit(): void {
    if (this.commit) return;
    let resolve!: () => void;
    let reject!: (err: unknown) => void;
    const promise = new Promise<void>((res, rej) => {
      resolve = res;
      reject = rej;
    });
    this.commit = { promise, resolve, reject };
    this.ticks!.schedule(this.tickWriter);
  }

  /** Writes what is pending; later turns are not recorded (the database is about to close). */
  close(): void {
    this.flush();
    this.closed = true;
  }

  /** Writes what is pending now, in a transaction of its own. */
  flush(): void {
    const commit = this.commit;
    this.commit = undefined;
    try {
      this.writePending();
    } catch (err) {
      if (!commit) throw err;
      commit.reject(err);
      return;
    }
    commit?.resolve();
  }

  private writePending(): void {
    if (this.flushTimer) clearTimeout(this.flushTimer);
    this.flushTimer = undefined;
    const rows = this.pending;
    this.pending = [];
    if (rows.length > 0) this.writeBatch?.(rows);
  }

  /** The session's last `limit` turns, oldest first (a scan of the turns: for tools and tests, not the request path). */
  history(sessionId: string, limit = 20): TurnRecord[] {
    if (!this.db) return [];
    this.flush();
    const rows = this.db
      .prepare('SELECT session_id, role, text, intent, language, trace_id FROM conversation_turns WHERE session_id = ? ORDER BY id DESC LIMIT ?')
      .all(sessionId, limit) as { session_id: string; role: 'customer' | 'assistant'; text: string; intent: Intent | null; language: Language | null; trace_id: string | null }[];
    return rows.reverse().map((r) => ({
      sessionId: r.session_id,
      role: r.role,
      text: r.text,
      intent: r.intent ?? undefined,
      language: r.language ?? undefined,
      traceId: r.trace_id ?? undefined,
    }));
  }
}

/** Per-key token bucket: `burst` requests at once, refilled at `perMinute`. */
export class RateLimiter {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();
  constructor(
    private readonly perMinute = 30,
    private readonly burst = 5,
    private readonly now: () => number = Date.now,
  ) {}

  /** Takes a token; returns the seconds to wait when none is left. */
  take(key: string): { ok: true } | { ok: false; retryAfterS: number } {
    const now = this.now();
    const rate = this.perMinute / 60_000;
    const b = this.buckets.get(key) ?? { tokens: this.burst, at: now };
    b.tokens = Math.min(this.burst, b.tokens + (now - b.at) * rate);
    b.at = now;
    this.buckets.set(key, b);
    if (this.buckets.size > 200_000) this.buckets.delete(this.buckets.keys().next().value as string);
    if (b.tokens >= 1) {
      b.tokens -= 1;
      return { ok: true };
    }
    return { ok: false, retryAfterS: Math.ceil((1 - b.tokens) / rate / 1000) };
  }
}
