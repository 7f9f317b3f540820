// Shared set-up for the integration client tests: mock servers on random ports, clients with instant retries.
import { fileURLToPath } from 'node:url';
import { Ga4Client } from '../../../src/agents/integrations/ga4.js';
import type { RetryOptions } from '../../../src/agents/integrations/http.js';
import { MailchimpClient } from '../../../src/agents/integrations/mailchimp.js';
import { startMockServers, type MockServers, type StartMockServersOptions } from '../../../src/agents/integrations/mocks/index.js';
import { ShopifyClient } from '../../../src/agents/integrations/shopify.js';
import { ZendeskClient } from '../../../src/agents/integrations/zendesk.js';

export const DEMO_SHOP = fileURLToPath(new URL('../../../data/demo-shop/', import.meta.url));

/** Retry options that never really sleep: p-retry's backoff is 1–2 ms, Retry-After waits are recorded. */
export function fastRetry(): RetryOptions & { waits: number[]; retries: number; retried: number[] } {
  const waits: number[] = [];
  const retried: number[] = [];
  return {
    retries: 3,
    minTimeoutMs: 1,
    maxTimeoutMs: 2,
    waits,
    retried,
    sleep: async (ms) => {
      waits.push(ms);
    },
    onRetry: ({ attempt }) => {
      retried.push(attempt);
    },
  };
}

export interface Harness {
  mocks: MockServers;
  retry: ReturnType<typeof fastRetry>;
  shopify: ShopifyClient;
  zendesk: ZendeskClient;
  mailchimp: MailchimpClient;
  ga4: Ga4Client;
}

export async function startHarness(options: Partial<StartMockServersOptions> = {}): Promise<Harness> {
  const mocks = await startMockServers({ dataDir: DEMO_SHOP, ...options });
  const retry = fastRetry();
  const { credentials, urls } = mocks;
  return {
    mocks,
    retry,
    // The demo shop's order names as configured (a second test shop reads them off its latest order).
    shopify: new ShopifyClient({ baseUrl: urls.shopify, accessToken: credentials.shopify.accessToken, retry, orderNamePrefix: '#' }),
    zendesk: new ZendeskClient({ baseUrl: urls.zendesk, ...credentials.zendesk, retry }),
    mailchimp: new MailchimpClient({ baseUrl: urls.mailchimp, apiKey: credentials.mailchimp.apiKey, retry }),
    ga4: new Ga4Client({ baseUrl: urls.ga4, ...credentials.ga4, retry }),
  };
}

/** Requests the mock received for one service (optionally only those whose path includes `pathPart`). */
export function requestsTo(mocks: MockServers, service: string, pathPart = ''): MockServers['state']['requests'] {
  return mocks.state.requests.filter((r) => r.service === service && r.path.includes(pathPart));
}
