// One agent in its own process (a container group on Azure): it serves its actions on NATS (queue group = agent
// name, so replicas share the work) and answers /health and /ready on PORT. The intent-classifier also hosts the
// front door — gateway, sessions, PII vault, pipeline — and calls the other agents over NATS; events travel on
// JetStream.
import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import type { NatsConnection } from '@nats-io/transport-node';
import type { AgentSettings } from '../container-settings.js';
import { loadShop } from '../integrations/shop-data.js';
import { AGENTS, LANGUAGES } from './contracts.js';
import type { EventBus } from './bus.js';
import { coalesced } from './coalesce.js';
import { Closers, commerceOf, openStateDb, searchableKnowledgeBase, startFrontDoor } from './parts.js';
import { AgentClient, analyticsActions, criticActions, escalationActions, intentActions, knowledgeActions, responseActions, responseAgentName, serveAgent } from './services.js';

/** A call that needs Shopify or Zendesk must finish inside the caller's wait (AgentClient's 30 s): bounded tries. */
const BOUNDED = { timeoutMs: 5_000, retry: { retries: 2, maxRetryAfterMs: 5_000 } };

export interface RunningAgent {
  /** The gateway (intent-classifier) or the health endpoint. */
  urls: Record<string, string>;
  close(): Promise<void>;
}

export async function startAgent(s: AgentSettings, stateDir: string, log: (line: string) => void): Promise<RunningAgent> {
  const closers = new Closers();
  try {
    const [{ connectNats, natsTransport }, { createNatsBus }] = await Promise.all([import('./nats-transport.js'), import('./nats-bus.js')]);
    const nc: NatsConnection = await connectNats(s.natsUrl, `mac-${s.agent}`);
    closers.push(() => nc.drain());
    log(`connected to NATS at ${nc.getServer()}`);
    const transport = natsTransport(nc, { onError: (err, where) => log(`${where} failed: ${err.stack ?? err.message}`) });
    closers.push(() => transport.close());
    // The client reconnects forever: readiness follows the connection's status, not whether it is closed.
    let linked = true;
    void (async () => {
      for await (const status of nc.status()) {
        if (status.type === 'disconnect') linked = false;
        else if (status.type === 'reconnect') linked = true;
      }
    })().catch(() => {});
    const connected = () => linked && !nc.isClosed();
    const bus = async (): Promise<EventBus> => {
      const b = await createNatsBus(nc, { onError: (err) => log(`event bus: ${err.message}`) });
      closers.push(() => b.close());
      return b;
    };
    // Durable consumers are per agent: two agents refreshing their catalogues must each see every product event.
    const subscriber = (what: string) => `${s.agent}-${what}`;

    const agent = s.agent;
    if (agent === AGENTS.critic) {
      const { createCriticAgent } = await import('../critic/agent.js');
      await serveAgent(transport, agent, criticActions(createCriticAgent()));
    } else if (agent === 'response-generator-en' || agent === 'response-generator-fr' || agent === 'response-generator-es') {
      const { createResponseAgent, describeResponseStrategy } = await import('../response/agent.js');
      log(`response strategy: ${describeResponseStrategy(s.response)}`);
      await serveAgent(transport, agent, responseActions(createResponseAgent({ strategy: s.response, log })));
    } else if (agent === AGENTS.escalation) {
      const [{ createEscalationAgent }, { ZendeskClient }] = await Promise.all([import('../escalation/agent.js'), import('../integrations/zendesk.js')]);
      await serveAgent(transport, agent, escalationActions(createEscalationAgent({ helpdesk: new ZendeskClient({ ...s.zendesk!, ...BOUNDED }) })));
    } else if (agent === AGENTS.knowledge) {
      const [{ createKnowledgeAgent }, { Catalog }, { ShopifyClient }, { ZendeskClient }, { cachedCommerce, cachedHelpdesk }] = await Promise.all([
        import('../knowledge/agent.js'),
        import('../knowledge/catalog.js'),
        import('../integrations/shopify.js'),
        import('../integrations/zendesk.js'),
        import('./cached-commerce.js'),
      ]);
      const db = await openStateDb(stateDir, closers, 'knowledge.db', log);
      const direct = commerceOf(new ShopifyClient({ ...s.shopify!, ...BOUNDED }));
      const catalog = new Catalog(await direct.listProducts());
      const kb = await searchableKnowledgeBase(db, s.kbDir ?? path.join(s.dataDir, 'kb'), log);
      const events = await bus();
      const commerce = cachedCommerce(direct, events, 60_000, subscriber('commerce-cache'));
      events.subscribe('events.shopify.products.>', subscriber('catalog-refresh'), coalesced(async () => catalog.replace(await commerce.listProducts())));
      const helpdesk = cachedHelpdesk(new ZendeskClient({ ...s.zendesk!, ...BOUNDED }), events, {
        subscriber: subscriber('helpdesk-cache'),
        ticketsOpenedElsewhere: true, // by the escalation-handler's process
      });
      await serveAgent(transport, agent, knowledgeActions(createKnowledgeAgent({ kb, catalog, commerce, helpdesk })));
    } else if (agent === AGENTS.analytics) {
      const [{ createAnalyticsAgent }, { Ga4Client }] = await Promise.all([import('../analytics/agent.js'), import('../integrations/ga4.js')]);
      const db = await openStateDb(stateDir, closers, 'analytics.db', log);
      const analytics = createAnalyticsAgent(db, await bus(), s.ga4 ? new Ga4Client(s.ga4) : undefined);
      closers.push(() => analytics.close());
      await serveAgent(transport, agent, analyticsActions(analytics));
    } else {
      return await startFrontDoorAgent(s, stateDir, log, closers, transport, await bus(), subscriber, connected);
    }
    const health = await startHealthServer(s.port, agent, connected);
    closers.push(() => new Promise<void>((resolve) => health.close(() => resolve())));
    const url = `http://127.0.0.1:${(health.address() as AddressInfo).port}`;
    log(`serving agents.${agent}.* on NATS; health on ${url}`);
    return {
      urls: { health: url },
      // Stop taking requests first: the ones in hand finish before the database and the bus close under them.
      async close() {
        await transport.close();
        await closers.close();
      },
    };
  } catch (err) {
    await closers.close();
    throw err;
  }
}

/** The intent-classifier: classifies, and hosts the conversations and the gateway the customers reach. */
async function startFrontDoorAgent(
  s: AgentSettings,
  stateDir: string,
  log: (line: string) => void,
  closers: Closers,
  transport: Parameters<typeof serveAgent>[0],
  events: EventBus,
  subscriber: (what: string) => string,
  connected: () => boolean,
): Promise<RunningAgent> {
  const [{ createIntentAgent }, { ShopifyClient }] = await Promise.all([import('../intent/agent.js'), import('../integrations/shopify.js')]);
  const shopify = commerceOf(new ShopifyClient({ ...s.shopify!, ...BOUNDED }));
  const intent = createIntentAgent({ products: await shopify.listProducts() });
  events.subscribe('events.shopify.products.>', subscriber('catalog-refresh'), coalesced(async () => intent.setProducts(await shopify.listProducts())));
  await serveAgent(transport, AGENTS.intent, intentActions(intent));

  if (!s.piiVaultKey) log('MAC_PII_VAULT_KEY is not set: PII tokens of this process cannot be read back after a restart');
  const agents = new AgentClient(transport);
  // The agents a turn cannot do without; analytics hears about turns on the event bus and may lag.
  const needed = [AGENTS.critic, AGENTS.knowledge, AGENTS.escalation, ...LANGUAGES.filter((l) => s.languages.includes(l)).map(responseAgentName)];
  const front = await startFrontDoor({
    db: await openStateDb(stateDir, closers, 'platform.db', log),
    stateDir,
    agents,
    bus: events,
    shop: loadShop(s.dataDir, s.policy),
    vaultKey: s.piiVaultKey ?? randomBytes(32),
    port: s.port,
    host: s.host,
    webhookSecrets: s.webhookSecrets,
    ready: async () => connected() && (await Promise.allSettled(needed.map((a) => agents.ping(a)))).every((r) => r.status === 'fulfilled'),
    log,
    closers,
  });
  return {
    urls: { gateway: front.url },
    async close() {
      try {
        await front.flush();
      } catch (err) {
        log(`flushing before the stop failed: ${(err as Error).message}`);
      } finally {
        await closers.close();
      }
    },
  };
}

/** /health: the process is up; /ready: it is connected to NATS and serving. */
function startHealthServer(port: number, agent: string, connected: () => boolean): Promise<Server> {
  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    const [status, body] =
      path === '/health' ? [200, { status: 'ok', agent }] : path === '/ready' ? (connected() ? [200, { status: 'ready', agent }] : [503, { status: 'disconnected', agent }]) : [404, { error: 'not found' }];
    res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, () => resolve(server));
  });
}
