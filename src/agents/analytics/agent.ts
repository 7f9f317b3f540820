// The analytics agent: records every conversation turn from the event bus (off the request path) and
// summarises automation rate, escalations, intents, sentiment, latency percentiles and cost.
import type { Database, Statement } from 'better-sqlite3';
import type { EventBus } from '../runtime/bus.js';
import type { BusEvent } from '../runtime/contracts.js';
import type { AnalyticsSink } from '../runtime/ports.js';

export interface AnalyticsSummary {
  conversations: number;
  turns: number;
  automation_rate: number;
  blocked: number;
  escalations: { total: number; by_reason: Record<string, number> };
  intents: Record<string, number>;
  languages: Record<string, number>;
  sentiment: { average: number; negative: number; neutral: number; positive: number };
  latency_ms: { p50: number; p95: number; p99: number };
  cost_usd: { total: number; per_conversation: number };
}

interface TurnEvent {
  session_id: string;
  intent: string;
  language: string;
  sentiment: number;
  blocked: boolean;
  escalated: boolean;
  escalation_reason: string | null;
  latency_ms: number;
  cost_usd: number;
}

export function createAnalyticsAgent(db: Database, bus: EventBus, ga4?: AnalyticsSink) {
  db.exec(`CREATE TABLE IF NOT EXISTS analytics_turns (
    event_id TEXT PRIMARY KEY, ts TEXT NOT NULL, session_id TEXT NOT NULL, intent TEXT NOT NULL, language TEXT NOT NULL,
    sentiment REAL NOT NULL, blocked INTEGER NOT NULL, escalated INTEGER NOT NULL, escalation_reason TEXT,
    latency_ms REAL NOT NULL, cost_usd REAL NOT NULL)`);
  const insert: Statement = db.prepare('INSERT OR IGNORE INTO analytics_turns VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)');
  const record = (e: BusEvent) => {
    const t = e.data as unknown as TurnEvent;
    insert.run(e.id, e.ts, t.session_id, t.intent, t.language, t.sentiment, t.blocked ? 1 : 0, t.escalated ? 1 : 0, t.escalation_reason, t.latency_ms, t.cost_usd);
  };
  // GA4 gets the turns in batches (≤ 25 events a request, at most every 2 s), not one request per turn: the
  // platform reports as one server-side client and each event carries its conversation's session id.
  let outgoing: { name: string; params: Record<string, unknown> }[] = [];
  let sending: Promise<void> = Promise.resolve();
  const sendBatch = () => {
    const batch = outgoing;
    outgoing = [];
    if (batch.length === 0) return;
    sending = sending.then(() => ga4?.sendEvents(GA4_CLIENT_ID, batch).then(() => undefined, () => undefined));
  };
  const timer = ga4 ? setInterval(sendBatch, 2000) : undefined;
  timer?.unref();
  const unsubscribe = bus.subscribe('events.platform.conversations.turn', 'analytics-processor', (e) => {
    record(e);
    if (!ga4) return;
    const t = e.data as unknown as TurnEvent;
    outgoing.push({
      name: 'support_turn',
      params: { session_id: t.session_id, intent: t.intent, language: t.language, escalated: t.escalated, blocked: t.blocked, latency_ms: t.latency_ms },
    });
    if (outgoing.length >= 25) sendBatch();
  });
  const close = async () => {
    unsubscribe();
    if (timer) clearInterval(timer);
    sendBatch();
    await sending;
  };

  function summary(): AnalyticsSummary {
    const totals = db
      .prepare(
        `SELECT COUNT(*) turns, COUNT(DISTINCT session_id) conversations, COALESCE(SUM(blocked),0) blocked,
                COALESCE(SUM(escalated),0) escalated, COALESCE(AVG(sentiment),0) avg_sentiment,
                COALESCE(SUM(sentiment < -0.2),0) neg, COALESCE(SUM(sentiment > 0.2),0) pos, COALESCE(SUM(cost_usd),0) cost
         FROM analytics_turns`,
      )
      .get() as { turns: number; conversations: number; blocked: number; escalated: number; avg_sentiment: number; neg: number; pos: number; cost: number };
    const counts = (sql: string) => Object.fromEntries((db.prepare(sql).all() as { k: string; n: number }[]).map((r) => [r.k, r.n]));
    const latencies = (db.prepare('SELECT latency_ms v FROM analytics_turns ORDER BY latency_ms').all() as { v: number }[]).map((r) => r.v);
    const pct = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))] ?? 0;
    const answered = totals.turns - totals.blocked;
    return {
      conversations: totals.conversations,
      turns: totals.turns,
      automation_rate: answered > 0 ? round((answered - totals.escalated) / answered) : 0,
      blocked: totals.blocked,
      escalations: {
        total: totals.escalated,
        by_reason: counts('SELECT escalation_reason k, COUNT(*) n FROM analytics_turns WHERE escalated = 1 GROUP BY 1 ORDER BY 2 DESC'),
      },
      intents: counts('SELECT intent k, COUNT(*) n FROM analytics_turns GROUP BY 1 ORDER BY 2 DESC'),
      languages: counts('SELECT language k, COUNT(*) n FROM analytics_turns GROUP BY 1 ORDER BY 2 DESC'),
      sentiment: {
        average: round(totals.avg_sentiment),
        negative: totals.neg,
        neutral: totals.turns - totals.neg - totals.pos,
        positive: totals.pos,
      },
      latency_ms: { p50: round(pct(50)), p95: round(pct(95)), p99: round(pct(99)) },
      cost_usd: { total: round(totals.cost), per_conversation: totals.conversations ? round(totals.cost / totals.conversations) : 0 },
    };
  }

  return { name: 'analytics-processor' as const, summary, close };
}

const round = (n: number) => Math.round(n * 10_000) / 10_000;
const GA4_CLIENT_ID = 'mac-platform';
