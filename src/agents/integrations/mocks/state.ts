// Mutable state behind the mock servers, seeded from a data folder. Tests read and change it directly
// (`state.orders.push(…)`, `state.faults.zendesk = { status: 503, times: 1 }`) or through the helpers.

import type { DataFolder, MailchimpListSeed } from '../shop-data.js';
import type {
  ShopifyCustomerWire,
  ShopifyMetafieldWire,
  ShopifyOrderWire,
  ShopifyProductWire,
  ZendeskTicketWire,
  ZendeskUserWire,
} from '../wire.js';

export type MockService = 'shopify' | 'zendesk' | 'mailchimp' | 'ga4';
export const MOCK_SERVICES: readonly MockService[] = ['shopify', 'zendesk', 'mailchimp', 'ga4'];

/**
 * A fault injected into one service:
 * - `'down'`: every request has its connection reset (a network error), until the fault is removed;
 * - `{ status, times?, retryAfter? }`: answer with that status (in the service's error shape), `times` times
 *   (default: until removed), with a `Retry-After` header when given;
 * - `{ down: true, times }`: reset the connection `times` times;
 * - `{ lostReply: true, times }`: carry the request out, then reset the connection instead of answering;
 * - `delayMs` delays the answer (alone: a slow but otherwise normal answer — for timeout tests);
 * - `method` / `path` (substring or RegExp on the path) restrict the fault to matching requests.
 */
export type Fault =
  | 'down'
  | {
      status?: number;
      down?: boolean;
      times?: number;
      retryAfter?: number | string;
      delayMs?: number;
      method?: string;
      path?: string | RegExp;
      /** Overrides the error body. */
      body?: unknown;
      /** The request is carried out, then the connection is reset before the answer: the client cannot tell. */
      lostReply?: boolean;
    };

export interface MockCredentials {
  shopify: { accessToken: string };
  zendesk: { email: string; apiToken: string };
  mailchimp: { apiKey: string };
  ga4: { measurementId: string; apiSecret: string };
}

export const DEFAULT_MOCK_CREDENTIALS: MockCredentials = {
  shopify: { accessToken: 'shpat_mock_token' },
  zendesk: { email: 'agent@mock.example.com', apiToken: 'zendesk-mock-token' },
  mailchimp: { apiKey: 'mailchimpmockkey-us21' },
  ga4: { measurementId: 'G-MOCK000001', apiSecret: 'ga4-mock-secret' },
};

export interface RecordedRequest {
  service: MockService;
  method: string;
  path: string;
  query: Record<string, string>;
  /** 0 when the connection was reset by a fault. */
  status: number;
  body?: unknown;
}

export interface Ga4ReceivedRequest {
  endpoint: 'collect' | 'debug';
  measurementId: string | null;
  clientId: string | null;
  userId?: string;
  events: { name: string; params: Record<string, unknown> }[];
  /** False when the mock dropped the payload (what the real service does silently). */
  accepted: boolean;
  reasons: string[];
  receivedAt: string;
}

export interface Ga4StoredEvent {
  clientId: string;
  userId?: string;
  name: string;
  params: Record<string, unknown>;
  receivedAt: string;
}

/** A comment on a Zendesk ticket, as the comments API lists it; `public: false` is an internal note. */
export interface ZendeskCommentRecord {
  id: number;
  type: 'Comment';
  author_id: number | null;
  body: string;
  public: boolean;
  created_at: string;
}

export interface MockSettings {
  /** Largest page the Shopify mock serves (real: 250). Lower it to exercise pagination. */
  shopifyMaxLimit: number;
  /** Largest page of Zendesk search results (real: 100). */
  zendeskMaxPerPage: number;
  /**
   * Also accept any well-formed credential (see ../credential-formats.ts), not only the configured one: a stand-in
   * for the real provider, which accepts every token it issued, so a rotated token works and a malformed one gets 401.
   * Default false (exact match only).
   */
  acceptWellFormedCredentials: boolean;
}

export class MockState {
  readonly dataDir: string;
  products: ShopifyProductWire[] = [];
  customers: ShopifyCustomerWire[] = [];
  orders: ShopifyOrderWire[] = [];
  tickets: ZendeskTicketWire[] = [];
  users: ZendeskUserWire[] = [];
  /** Comments the Zendesk mock received per ticket id (a seeded ticket's description is its first, unstored). */
  ticketComments = new Map<number, ZendeskCommentRecord[]>();
  /** Zendesk's Idempotency-Key: the ticket a key created (a repeat of the key answers with it). */
  ticketsByIdempotencyKey = new Map<string, number>();
  lists: MailchimpListSeed[] = [];
  ga4: { requests: Ga4ReceivedRequest[]; events: Ga4StoredEvent[] } = { requests: [], events: [] };
  faults: Partial<Record<MockService, Fault>> = {};
  requests: RecordedRequest[] = [];
  settings: MockSettings;
  readonly credentials: MockCredentials;
  /** Next ids handed out by the mocks (always above every existing id). */
  nextIds = { ticket: 1, user: 1, metafield: 1 };

  private readonly seed: DataFolder;

  constructor(seed: DataFolder, credentials: MockCredentials, settings: Partial<MockSettings> = {}) {
    this.seed = seed;
    this.dataDir = seed.dir;
    this.credentials = credentials;
    this.settings = { shopifyMaxLimit: 250, zendeskMaxPerPage: 100, acceptWellFormedCredentials: false, ...settings };
    this.reset();
  }

  /** Back to the data folder's content; clears faults, the request log and received GA4 events. */
  reset(): void {
    const copy = structuredClone(this.seed);
    this.products = copy.shopify.products;
    this.customers = copy.shopify.customers;
    this.orders = copy.shopify.orders;
    this.tickets = copy.zendesk.tickets;
    this.users = copy.zendesk.users;
    this.ticketComments = new Map();
    this.ticketsByIdempotencyKey = new Map();
    this.lists = copy.mailchimp.lists;
    this.ga4 = { requests: [], events: [] };
    this.faults = {};
    this.requests = [];
    const maxId = (ids: number[], floor: number) => Math.max(floor, ...ids) + 1;
    this.nextIds = {
      ticket: maxId(
        this.tickets.map((t) => t.id),
        0,
      ),
      user: maxId(
        this.users.map((u) => u.id),
        0,
      ),
      metafield: 1,
    };
    // Seeds carry metafields without ids; give them stable ones as Shopify would.
    let metafieldId = 30_000_000_000;
    for (const customer of this.customers) {
      for (const m of customer.metafields ?? []) {
        if (typeof m.id !== 'number') m.id = ++metafieldId;
        metafieldId = Math.max(metafieldId, m.id);
      }
    }
    this.nextIds.metafield = metafieldId + 1;
  }

  // ---- Shopify helpers ----------------------------------------------------------------------------------------------

  /** An order by "#10234", "10234" or 10234. */
  order(nameOrNumber: string | number): ShopifyOrderWire | undefined {
    const digits = String(nameOrNumber).replace(/^#/, '');
    return this.orders.find((o) => String(o.name ?? '').replace(/^#/, '') === digits || String(o.order_number) === digits);
  }

  /** Shallow-merges a patch into an order (e.g. `{ fulfillment_status: null }`); throws when there is none. */
  updateOrder(nameOrNumber: string | number, patch: Partial<ShopifyOrderWire>): ShopifyOrderWire {
    const order = this.order(nameOrNumber);
    if (!order) throw new Error(`mock state: no order ${String(nameOrNumber)}`);
    Object.assign(order, patch);
    return order;
  }

  customerByEmail(email: string): ShopifyCustomerWire | undefined {
    const wanted = email.trim().toLowerCase();
    return this.customers.find((c) => (c.email ?? '').toLowerCase() === wanted);
  }

  /** Creates or updates a customer metafield (e.g. `setMetafield(email, 'loyalty', 'points', '1500')`). */
  setMetafield(customer: string | number, namespace: string, key: string, value: string, type?: string): void {
    const target =
      typeof customer === 'number' ? this.customers.find((c) => c.id === customer) : this.customerByEmail(customer);
    if (!target) throw new Error(`mock state: no customer ${String(customer)}`);
    target.metafields ??= [];
    const existing = target.metafields.find((m) => m.namespace === namespace && m.key === key);
    if (existing) {
      existing.value = value;
      if (type) existing.type = type;
      existing.updated_at = new Date().toISOString();
      return;
    }
    const metafield: ShopifyMetafieldWire = {
      id: this.nextIds.metafield++,
      namespace,
      key,
      value,
      type: type ?? 'single_line_text_field',
    };
    target.metafields.push(metafield);
  }

  // ---- Zendesk helpers -----------------------------------------------------------------------------------------------

  userByEmail(email: string): ZendeskUserWire | undefined {
    const wanted = email.trim().toLowerCase();
    return this.users.find((u) => (u.email ?? '').toLowerCase() === wanted);
  }

  ticketsByEmail(email: string): ZendeskTicketWire[] {
    const user = this.userByEmail(email);
    return user ? this.tickets.filter((t) => t.requester_id === user.id) : [];
  }

  /** A ticket's comments, oldest first: its description, then what was added through the API. */
  commentsOf(ticketId: number): ZendeskCommentRecord[] {
    const ticket = this.tickets.find((t) => t.id === ticketId);
    if (!ticket) return [];
    const stored = this.ticketComments.get(ticketId) ?? [];
    if (stored.length > 0 || !ticket.description) return stored;
    // A seeded ticket: its description is its first comment, as Zendesk has it.
    return [{ id: ticketId * 1000, type: 'Comment', author_id: ticket.requester_id ?? null, body: ticket.description, public: true, created_at: ticket.created_at ?? '' }];
  }

  // ---- Mailchimp helpers ---------------------------------------------------------------------------------------------

  list(id: string): MailchimpListSeed | undefined {
    return this.lists.find((l) => l.id === id);
  }
}
