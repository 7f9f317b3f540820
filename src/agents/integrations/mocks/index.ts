// Mock Shopify / Zendesk / Mailchimp / GA4 servers speaking the real wire shapes, seeded from a data folder.
//
//   const mocks = await startMockServers({ dataDir: 'data/demo-shop' });
//   const shopify = new ShopifyClient({ baseUrl: mocks.urls.shopify, accessToken: mocks.credentials.shopify.accessToken });
//   mocks.state.faults.zendesk = { status: 503, times: 1 };
//   await mocks.close();

import type http from 'node:http';
import { loadDataFolder } from '../shop-data.js';
import { ga4Mock } from './ga4.js';
import { mailchimpMock } from './mailchimp.js';
import { closeServer, startService, type MockServiceDefinition } from './server.js';
import { shopifyMock } from './shopify.js';
import {
  DEFAULT_MOCK_CREDENTIALS,
  MOCK_SERVICES,
  MockState,
  type MockCredentials,
  type MockService,
  type MockSettings,
} from './state.js';
import { zendeskMock } from './zendesk.js';

export {
  DEFAULT_MOCK_CREDENTIALS,
  MockState,
  type Fault,
  type Ga4ReceivedRequest,
  type Ga4StoredEvent,
  type MockCredentials,
  type MockService,
  type MockSettings,
  type RecordedRequest,
} from './state.js';

export interface StartMockServersOptions {
  dataDir: string;
  /** Default 127.0.0.1. */
  host?: string;
  /** Port per service; 0 or absent = a random free port. */
  ports?: Partial<Record<MockService, number>>;
  /** Credentials the mocks accept; missing ones default to DEFAULT_MOCK_CREDENTIALS. */
  credentials?: { [S in MockService]?: Partial<MockCredentials[S]> };
  settings?: Partial<MockSettings>;
}

export interface MockServers {
  urls: Record<MockService, string>;
  state: MockState;
  /** The credentials the mocks accept (for building clients). */
  credentials: MockCredentials;
  close(): Promise<void>;
}

const DEFINITIONS: Record<MockService, MockServiceDefinition> = {
  shopify: shopifyMock,
  zendesk: zendeskMock,
  mailchimp: mailchimpMock,
  ga4: ga4Mock,
};

export async function startMockServers(options: StartMockServersOptions): Promise<MockServers> {
  const data = loadDataFolder(options.dataDir);
  const credentials: MockCredentials = {
    shopify: { ...DEFAULT_MOCK_CREDENTIALS.shopify, ...options.credentials?.shopify },
    zendesk: { ...DEFAULT_MOCK_CREDENTIALS.zendesk, ...options.credentials?.zendesk },
    mailchimp: { ...DEFAULT_MOCK_CREDENTIALS.mailchimp, ...options.credentials?.mailchimp },
    ga4: { ...DEFAULT_MOCK_CREDENTIALS.ga4, ...options.credentials?.ga4 },
  };
  const state = new MockState(data, credentials, options.settings);
  const host = options.host ?? '127.0.0.1';

  const servers: http.Server[] = [];
  const urls = {} as Record<MockService, string>;
  try {
    for (const service of MOCK_SERVICES) {
      const started = await startService(DEFINITIONS[service], state, host, options.ports?.[service] ?? 0);
      servers.push(started.server);
      urls[service] = started.url;
    }
  } catch (error) {
    await Promise.all(servers.map(closeServer));
    throw error;
  }

  let closed: Promise<void> | undefined;
  return {
    urls,
    state,
    credentials,
    close() {
      closed ??= Promise.all(servers.map(closeServer)).then(() => undefined);
      return closed;
    },
  };
}
