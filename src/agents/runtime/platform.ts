// Assembles the platform in one process (the `inproc` transport): embedded database, PII vault, knowledge base,
// integration clients (real, or mocks seeded from the data folder), the six agents, the pipeline and the gateway.
import path from 'node:path';
import { createAnalyticsAgent } from '../analytics/agent.js';
import { createCriticAgent } from '../critic/agent.js';
import { createEscalationAgent } from '../escalation/agent.js';
import type { EscalationConfig } from '../escalation/rules.js';
import type { WebhookSecrets } from '../gateway/webhook-auth.js';
import { Ga4Client } from '../integrations/ga4.js';
import { startMockServers, type MockServers } from '../integrations/mocks/index.js';
import { loadShop } from '../integrations/shop-data.js';
import { ShopifyClient } from '../integrations/shopify.js';
import { ZendeskClient } from '../integrations/zendesk.js';
import { createIntentAgent } from '../intent/agent.js';
import { createKnowledgeAgent } from '../knowledge/agent.js';
import { Catalog } from '../knowledge/catalog.js';
import { createResponseAgent, describeResponseStrategy, type ResponseStrategy } from '../response/agent.js';
import { createSqliteBus } from './bus.js';
import { cachedCommerce, cachedHelpdesk } from './cached-commerce.js';
import { coalesced } from './coalesce.js';
import { Closers, commerceOf, openStateDb, searchableKnowledgeBase, startFrontDoor } from './parts.js';
import type { Pipeline } from './pipeline.js';
import { AgentClient, serveAllAgents } from './services.js';
import { inprocTransport } from './transport.js';

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
  /** Signing secrets of the Shopify and Zendesk webhooks (see gateway/webhook-auth.ts). */
  webhookSecrets?: WebhookSecrets;
  policy?: Parameters<typeof loadShop>[1];
  integrations: { mode: 'mock' } | LiveIntegrations;
  /** 32-byte key of the PII token vault. */
  vaultKey: Uint8Array;
  escalation?: EscalationConfig;
  /** Who writes the replies: the offline templates (default) or an Azure OpenAI deployment. */
  responseStrategy?: ResponseStrategy;
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
  const closers = new Closers();
  const close = () => closers.close();
  try {
    const db = await openStateDb(o.stateDir, closers, 'platform.db', log);
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
    const direct = commerceOf(new ShopifyClient(live.shopify));
    const ga4 = live.ga4 ? new Ga4Client({ ...live.ga4, baseUrl: mocks?.urls.ga4 ?? live.ga4.baseUrl }) : undefined;
    const catalog = new Catalog(await direct.listProducts());
    const kb = await searchableKnowledgeBase(db, o.kbDir ?? path.join(o.dataDir, 'kb'), log);

    const bus = createSqliteBus(db);
    closers.push(() => bus.close());
    const commerce = cachedCommerce(direct, bus);
    const analytics = createAnalyticsAgent(db, bus, ga4);
    closers.push(() => analytics.close());
    const intent = createIntentAgent({ products: catalog.products });
    bus.subscribe(
      'events.shopify.products.>',
      'catalog-refresh',
      coalesced(async () => {
        catalog.replace(await commerce.listProducts());
        intent.setProducts(catalog.products);
      }),
    );

    log(`response generator: ${describeResponseStrategy(o.responseStrategy)}`);
    const transport = inprocTransport({ onError: (err, where) => log(`${where} failed: ${err.stack ?? err.message}`) });
    closers.push(() => transport.close());
    // Knowledge and escalation share it: a ticket the escalation agent opens drops its requester's cached list.
    const zendesk = cachedHelpdesk(new ZendeskClient(live.zendesk), bus);
    await serveAllAgents(transport, {
      critic: createCriticAgent(),
      intent,
      knowledge: createKnowledgeAgent({ kb, catalog, commerce, helpdesk: zendesk }),
      escalation: createEscalationAgent({ helpdesk: zendesk, config: o.escalation }),
      response: createResponseAgent({ strategy: o.responseStrategy, log }),
      analytics,
    });
    const front = await startFrontDoor({
      db,
      stateDir: o.stateDir,
      agents: new AgentClient(transport),
      bus,
      shop,
      vaultKey: o.vaultKey,
      port: o.port,
      host: o.host,
      webhookSecrets: o.webhookSecrets,
      maxConcurrentTurns: o.maxConcurrentTurns,
      now: o.now,
      log,
      closers,
    });
    return { ...front, mocks: mocks?.urls, mockState: mocks?.state, close };
  } catch (err) {
    await close();
    throw err;
  }
}
