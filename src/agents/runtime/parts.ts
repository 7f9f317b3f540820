// The parts the platform is assembled from, shared by the one-process platform (platform.ts) and the one-agent
// processes of a distributed deployment (agent-process.ts).
import { chmod, mkdir } from 'node:fs/promises';
import path from 'node:path';
import Database from 'better-sqlite3';
import { LRUCache } from 'lru-cache';
import pLimit from 'p-limit';
import { startGateway } from '../gateway/server.js';
import { WEBHOOK_SECRET_NAMES, type WebhookSecrets } from '../gateway/webhook-auth.js';
import type { ShopifyClient } from '../integrations/shopify.js';
import { HashedNgramEmbedder } from '../knowledge/embed.js';
import { openKnowledgeBase } from '../knowledge/store.js';
import { maskPii, tokenizePii } from '../pii/redact.js';
import { SqlitePiiVault } from '../pii/vault.js';
import { LEGACY_LINE, type ReturnLine, type RmaIssuer } from '../policy/returns.js';
import type { EventBus } from './bus.js';
import { startCheckpointer } from './checkpointer.js';
import type { KbHit, Language, Order, Shop } from './contracts.js';
import { Pipeline, rmaFor } from './pipeline.js';
import type { Commerce, KnowledgeSearch } from './ports.js';
import { AgentClient } from './services.js';
import { SessionStore } from './sessions.js';
import { createTracing } from './tracing.js';

/** Things to close, in the reverse order they were opened. */
export class Closers {
  private readonly list: (() => Promise<void> | void)[] = [];
  push(close: () => Promise<void> | void): void {
    this.list.push(close);
  }
  async close(): Promise<void> {
    for (const c of this.list.splice(0).reverse()) await c();
  }
}

/** The process's SQLite database in <state>/data, owner-only (conversations and PII tokens live there). */
export async function openStateDb(stateDir: string, closers: Closers, file: string, log: (line: string) => void): Promise<Database.Database> {
  const dataDir = path.join(stateDir, 'data');
  await mkdir(dataDir, { recursive: true, mode: 0o700 });
  const dbFile = path.join(dataDir, file);
  const db = new Database(dbFile);
  // SQLite gives the -wal and -shm files the same mode.
  await chmod(dbFile, 0o600);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  const checkpointer = startCheckpointer(db, { onError: log });
  closers.push(async () => {
    await checkpointer.stop();
    db.close();
  });
  return db;
}

export function commerceOf(shopify: ShopifyClient): Commerce {
  return {
    orderByNumber: async (n) => (await shopify.orderByNumber(n)) ?? undefined,
    ordersByEmail: (email) => shopify.ordersByEmail(email),
    listProducts: () => shopify.listProducts({ status: 'active' }),
    customer: async (email) => (await shopify.customer(email)) ?? undefined,
  };
}

/**
 * Ingests the knowledge folder and answers identical searches from memory (customers ask the same questions). An
 * ingest by another process (`mac kb ingest`) is answered from at the next search.
 */
export async function searchableKnowledgeBase(db: Database.Database, kbDir: string, log: (line: string) => void): Promise<KnowledgeSearch> {
  const kb = openKnowledgeBase(db);
  const ingested = await kb.ingest(kbDir, new HashedNgramEmbedder());
  log(`knowledge base: ${ingested.documents} documents, ${ingested.chunks} chunks`);
  kb.changedElsewhere();
  const cache = new LRUCache<string, KbHit[]>({ max: 5_000 });
  return {
    search(q: string, opts: { k?: number; language?: Language }): KbHit[] {
      if (kb.changedElsewhere()) {
        cache.clear();
        log('knowledge base: changed by another process; searching the new index');
      }
      const key = `${opts.language ?? ''}|${opts.k ?? ''}|${q.trim().toLowerCase()}`;
      let hits = cache.get(key);
      if (!hits) cache.set(key, (hits = kb.searchSync(q, opts)));
      return hits;
    },
  };
}

/**
 * Issues (and records) the RMA number of an approved return: one RMA per order, and a row per order line approved
 * for return with its value, so the auto-approve limit can count everything already approved for the order. A line
 * asked for again keeps its first row.
 */
export function returnsLedger(db: Database.Database): RmaIssuer {
  db.transaction(() => {
    // The first ledger kept one row per order (the first approved amount, lines unknown): its rows carry over as
    // LEGACY_LINE: what was approved for the order before, lines unknown (see evaluateReturn).
    const columns = db.prepare("SELECT name FROM pragma_table_info('returns')").pluck().all() as string[];
    const v1 = columns.length > 0 && !columns.includes('line');
    if (v1) db.exec('ALTER TABLE returns RENAME TO returns_v1');
    db.exec(`CREATE TABLE IF NOT EXISTS returns (
      order_name TEXT NOT NULL, line TEXT NOT NULL, rma TEXT NOT NULL, amount REAL NOT NULL, created_at TEXT NOT NULL,
      PRIMARY KEY (order_name, line))`);
    if (v1) {
      db.prepare('INSERT OR IGNORE INTO returns (order_name, line, rma, amount, created_at) SELECT order_name, ?, rma, amount, created_at FROM returns_v1').run(LEGACY_LINE);
      db.exec('DROP TABLE returns_v1');
    }
  })();
  const insert = db.prepare('INSERT OR IGNORE INTO returns (order_name, line, rma, amount, created_at) VALUES (?, ?, ?, ?, ?)');
  const approved = db.prepare<[string], { key: string; amount: number }>('SELECT line AS key, amount FROM returns WHERE order_name = ?');
  const record = db.transaction((rma: string, orderName: string, lines: ReturnLine[], at: string) => {
    for (const l of lines) insert.run(orderName, l.key, rma, l.amount, at);
  });
  return Object.assign(
    (order: Order, amount: number, lines?: ReturnLine[]) => {
      const rma = rmaFor(order);
      record(rma, order.name, lines ?? [{ key: LEGACY_LINE, amount }], new Date().toISOString());
      return rma;
    },
    { approved: (order: Order) => approved.all(order.name) },
  );
}

export interface FrontDoor {
  url: string;
  tracesDir: string;
  pipeline: Pipeline;
  flush(): Promise<void>;
}

/**
 * The conversation side: sessions, PII vault, tracing, the pipeline calling the agents over `agents`, and the
 * gateway in front of it.
 */
export async function startFrontDoor(o: {
  db: Database.Database;
  stateDir: string;
  agents: AgentClient;
  bus: EventBus;
  shop: Shop;
  vaultKey: Uint8Array;
  port: number;
  host?: string;
  webhookSecrets?: WebhookSecrets;
  maxConcurrentTurns?: number;
  ready?: () => boolean | Promise<boolean>;
  now?: () => Date;
  log: (line: string) => void;
  closers: Closers;
}): Promise<FrontDoor> {
  const { db, closers, bus, agents } = o;
  const tracesDir = path.join(o.stateDir, 'traces');
  const vault = new SqlitePiiVault(db, o.vaultKey);
  const pii = { tokenize: (text: string) => tokenizePii(text, vault).text, mask: maskPii };
  const tracing = createTracing({ dir: tracesDir, redact: maskPii });
  closers.push(() => tracing.shutdown());
  const sessions = new SessionStore(db);
  closers.push(() => sessions.close());
  const pipeline = new Pipeline({ agents, pii, bus, sessions, tracer: tracing.tracer, shop: o.shop, issueRma: returnsLedger(db), now: o.now });

  // A bounded number of conversations in flight: beyond it, requests queue instead of interleaving, so the
  // turns already running (waiting on Shopify or Zendesk) are not starved by the newcomers' CPU work.
  const inFlight = pLimit(o.maxConcurrentTurns ?? 16);
  // Runs once the gateway has closed (closers run in reverse): turns still queued have lost their connection and
  // are dropped; the running ones finish before the sessions, bus and database close under them.
  closers.push(async () => {
    inFlight.clearQueue();
    const deadline = Date.now() + 10_000;
    while (inFlight.activeCount > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
  });
  const gateway = await startGateway(
    {
      // The exchange is in the database before the reply leaves; turns finishing in the same tick share a commit.
      chat: (req) =>
        inFlight(async () => {
          const reply = await pipeline.handle(req);
          await sessions.written();
          return reply;
        }),
      bus,
      ready: o.ready ?? (() => true),
      analyticsSummary: () => agents.analyticsSummary(),
      webhookSecrets: o.webhookSecrets,
      now: o.now,
      log: o.log,
    },
    { port: o.port, host: o.host },
  );
  closers.push(() => gateway.close());
  o.log(`gateway on ${gateway.url}`);
  o.log(`webhooks: ${describeWebhookAuth(o.webhookSecrets)}`);
  return {
    url: gateway.url,
    tracesDir,
    pipeline,
    async flush() {
      sessions.flush();
      await bus.drain();
      await tracing.flush();
    },
  };
}

/** "shopify signed; zendesk refused (no zendesk-webhook-secret)". */
function describeWebhookAuth(secrets: WebhookSecrets = {}): string {
  return (Object.keys(WEBHOOK_SECRET_NAMES) as (keyof WebhookSecrets)[])
    .map((sender) => (secrets[sender] ? `${sender} signed` : `${sender} refused (no ${WEBHOOK_SECRET_NAMES[sender]})`))
    .join('; ');
}
