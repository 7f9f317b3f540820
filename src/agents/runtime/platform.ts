// Assembles the platform in one process (the `inproc` transport): embedded database, PII vault, knowledge base,
// integration clients (real, or mocks seeded from the data folder), the six agents, the pipeline and the gateway.
import { chmod, mkdir } from 'node:fs/promises';
import path from 'node:path';
import Database from 'better-sqlite3';
import { LRUCache } from 'lru-cache';
import pLimit from 'p-limit';
import { createAnalyticsAgent } from '../analytics/agent.js';
import { createCriticAgent } from '../critic/agent.js';
import type { EscalationConfig } from '../escalation/rules.js';
import { startGateway } from '../gateway/server.js';
import { Ga4Client } from '../integrations/ga4.js';
import { startMockServers, type MockServers } from '../integrations/mocks/index.js';
import { loadShop } from '../integrations/shop-data.js';
import { ShopifyClient } from '../integrations/shopify.js';
import { ZendeskClient } from '../integrations/zendesk.js';
import { createIntentAgent } from '../intent/agent.js';
import { createKnowledgeAgent } from '../knowledge/agent.js';
import { createEscalationAgent } from '../escalation/agent.js';
import { Catalog } from '../knowledge/catalog.js';
import { HashedNgramEmbedder } from '../knowledge/embed.js';
import { openKnowledgeBase } from '../knowledge/store.js';
import { maskPii, tokenizePii } from '../pii/redact.js';
import { SqlitePiiVault } from '../pii/vault.js';
import { createResponseAgent } from '../response/agent.js';
import { createSqliteBus } from './bus.js';
import { AgentClient, serveAllAgents } from './services.js';
import { inprocTransport } from './transport.js';
import type { KbHit, Language, Order } from './contracts.js';
import { Pipeline, rmaFor } from './pipeline.js';
import type { Commerce } from './ports.js';
import { cachedCommerce } from './cached-commerce.js';
import { SessionStore } from './sessions.js';
import { createTracing } from './tracing.js';

export interface LiveIntegrations {
  mode: 'live';
  shopify: { baseUrl: string; accessToken: string };
  zendesk: { baseUrl: string; email: string; apiToken: string };
  /** baseUrl: the Measurement Protocol endpoint (default Google's; a stand-in's URL when the integrations are mocks). */
  ga4?: { measurementId: string; apiSecret: string; baseUrl?: string };
}

export interface PlatformOptions {
  dataDir: string;
  kbDir?: string;
  stateDir: string;
  port: number;
  host?: string;
  policy?: Parameters<typeof loadShop>[1];
  integrations: { mode: 'mock' } | LiveIntegrations;
  /** 32-byte key of the PII token vault. */
  vaultKey: Uint8Array;
  escalation?: EscalationConfig;
  /** Conversation turns processed at once (default 16); the rest wait their turn. */
  maxConcurrentTurns?: number;
  now?: () => Date;
  log?: (line: string) => void;
}

export interface RunningPlatform {
  url: string;
  mocks?: Record<string, string>;
  mockState?: MockServers['state'];
  tracesDir: string;
  pipeline: Pipeline;
  /** Writes pending spans and conversation turns. */
  flush(): Promise<void>;
  close(): Promise<void>;
}

export async function startPlatform(o: PlatformOptions): Promise<RunningPlatform> {
  const log = o.log ?? (() => {});
  const dataDir = path.join(o.stateDir, 'data');
  const tracesDir = path.join(o.stateDir, 'traces');
  await mkdir(dataDir, { recursive: true, mode: 0o700 });
  const dbFile = path.join(dataDir, 'platform.db');
  const db = new Database(dbFile);
  // Conversations and PII tokens: owner-only, like the vault (SQLite gives the -wal and -shm files the same mode).
  await chmod(dbFile, 0o600);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  const closers: (() => Promise<void> | void)[] = [
    () => {
      db.close();
    },
  ];
  const close = async () => {
    for (const c of closers.reverse()) await c();
  };

  try {
    const shop = loadShop(o.dataDir, o.policy);
    let mocks: MockServers | undefined;
    let live: LiveIntegrations;
    if (o.integrations.mode === 'mock') {
      mocks = await startMockServers({ dataDir: o.dataDir });
      const m = mocks;
      closers.push(() => m.close());
      live = {
        mode: 'live',
        shopify: { baseUrl: m.urls.shopify, accessToken: m.credentials.shopify.accessToken },
        zendesk: { baseUrl: m.urls.zendesk, email: m.credentials.zendesk.email, apiToken: m.credentials.zendesk.apiToken },
        ga4: { measurementId: m.credentials.ga4.measurementId, apiSecret: m.credentials.ga4.apiSecret },
      };
      log(`mock integrations on ${Object.values(m.urls).join(', ')}`);
    } else {
      live = o.integrations;
    }
    const shopify = new ShopifyClient(live.shopify);
    const zendesk = new ZendeskClient(live.zendesk);
    const ga4 = live.ga4 ? new Ga4Client({ ...live.ga4, baseUrl: mocks?.urls.ga4 ?? live.ga4.baseUrl }) : undefined;
    const direct: Commerce = {
      orderByNumber: async (n) => (await shopify.orderByNumber(n)) ?? undefined,
      ordersByEmail: (email) => shopify.ordersByEmail(email),
      listProducts: () => shopify.listProducts({ status: 'active' }),
      customer: async (email) => (await shopify.customer(email)) ?? undefined,
    };

    const catalog = new Catalog(await direct.listProducts());
    const kb = openKnowledgeBase(db);
    const kbDir = o.kbDir ?? path.join(o.dataDir, 'kb');
    const ingested = await kb.ingest(kbDir, new HashedNgramEmbedder());
    log(`knowledge base: ${ingested.documents} documents, ${ingested.chunks} chunks`);

    // Customers ask the same questions again and again: identical searches are answered from memory.
    const kbCache = new LRUCache<string, KbHit[]>({ max: 5_000 });
    const kbResults = {
      get(q: string, opts: { k?: number; language?: Language }): KbHit[] {
        const key = `${opts.language ?? ''}|${opts.k ?? ''}|${q.trim().toLowerCase()}`;
        let hits = kbCache.get(key);
        if (!hits) kbCache.set(key, (hits = kb.searchSync(q, opts)));
        return hits;
      },
    };

    const vault = new SqlitePiiVault(db, o.vaultKey);
    const pii = { tokenize: (text: string) => tokenizePii(text, vault).text, mask: maskPii };
    const tracing = createTracing({ dir: tracesDir, redact: maskPii });
    closers.push(() => tracing.shutdown());
    const sessions = new SessionStore(db);
    closers.push(() => sessions.close());
    const bus = createSqliteBus(db);
    closers.push(() => bus.close());
    const commerce = cachedCommerce(direct, bus);
    const analytics = createAnalyticsAgent(db, bus, ga4);
    closers.push(() => analytics.close());
    const intent = createIntentAgent({ products: catalog.products });
    bus.subscribe('events.shopify.products.>', 'catalog-refresh', async () => {
      catalog.replace(await commerce.listProducts());
      intent.setProducts(catalog.products);
    });

    db.exec('CREATE TABLE IF NOT EXISTS returns (rma TEXT PRIMARY KEY, order_name TEXT NOT NULL UNIQUE, amount REAL NOT NULL, created_at TEXT NOT NULL)');
    const insertReturn = db.prepare('INSERT OR IGNORE INTO returns (rma, order_name, amount, created_at) VALUES (?, ?, ?, ?)');
    const issueRma = (order: Order, amount: number) => {
      const rma = rmaFor(order);
      insertReturn.run(rma, order.name, amount, new Date().toISOString());
      return rma;
    };

    const transport = inprocTransport();
    closers.push(() => transport.close());
    await serveAllAgents(transport, {
      critic: createCriticAgent(),
      intent,
      knowledge: createKnowledgeAgent({ kb: { search: (q, opts) => kbResults.get(q, opts) }, catalog, commerce }),
      escalation: createEscalationAgent({ helpdesk: zendesk, config: o.escalation }),
      response: createResponseAgent(),
      analytics,
    });
    const agents = new AgentClient(transport);
    const pipeline = new Pipeline({ agents, pii, bus, sessions, tracer: tracing.tracer, shop, issueRma, now: o.now });

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
      { chat: (req) => inFlight(() => pipeline.handle(req)), bus, ready: () => true, analyticsSummary: () => agents.analyticsSummary(), log },
      { port: o.port, host: o.host },
    );
    closers.push(() => gateway.close());
    log(`gateway on ${gateway.url}`);

    return {
      url: gateway.url,
      mocks: mocks?.urls,
      mockState: mocks?.state,
      tracesDir,
      pipeline,
      async flush() {
        sessions.flush();
        await bus.drain();
        await tracing.flush();
      },
      close,
    };
  } catch (err) {
    await close();
    throw err;
  }
}
