// Shopify Admin REST mock: orders, products, customers (search), customer metafields, with cursor pagination
// (`Link: <…?limit=N&page_info=…>; rel="next"`) like the real API.

import { credentialAccepted, SHOPIFY_ACCESS_TOKEN } from '../credential-formats.js';
import type { ShopifyCustomerWire, ShopifyMetafieldWire, ShopifyOrderWire, ShopifyProductWire } from '../wire.js';
import { intParam, json, parseSearchQuery, type MockRequest, type MockResponse, type MockServiceDefinition } from './server.js';
import type { MockState } from './state.js';

const MESSAGES: Record<number, string> = {
  400: 'Bad Request',
  401: '[API] Invalid API key or access token (unrecognized login or wrong password)',
  402: 'Unavailable Shop',
  403: 'Forbidden',
  404: 'Not Found',
  406: 'Not Acceptable',
  422: 'Unprocessable Entity',
  429: 'Exceeded 2 calls per second for api client. Reduce request rates to resume uninterrupted service.',
  500: 'Internal Server Error',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
};

function error(status: number, message?: string): MockResponse {
  return json(status, { errors: message ?? MESSAGES[status] ?? 'Error' });
}

const ROUTE = /^\/admin\/api\/([^/]+)\/(.+)$/;

export const shopifyMock: MockServiceDefinition = {
  name: 'shopify',
  error,
  handle(request) {
    const { state, method, path, req } = request;
    const token = req.headers['x-shopify-access-token'];
    const { accessToken } = state.credentials.shopify;
    const accept = state.settings.acceptWellFormedCredentials;
    if (!credentialAccepted(token, accessToken, SHOPIFY_ACCESS_TOKEN, accept)) return error(401);
    const route = ROUTE.exec(path);
    if (!route || method !== 'GET') return error(404);
    const [, version = '', resource = ''] = route;
    if (!/^(\d{4}-\d{2}|unstable)$/.test(version)) return error(404);
    const ctx: Ctx = { request, version };

    let m: RegExpExecArray | null;
    if (resource === 'orders.json') return listOrders(ctx, {});
    if ((m = /^orders\/(\d+)\.json$/.exec(resource))) {
      const order = state.orders.find((o) => String(o.id) === m?.[1]);
      return order ? json(200, { order }) : error(404);
    }
    if (resource === 'products.json') return listProducts(ctx);
    if ((m = /^products\/(\d+)\.json$/.exec(resource))) {
      const product = state.products.find((p) => String(p.id) === m?.[1]);
      return product ? json(200, { product }) : error(404);
    }
    if (resource === 'customers.json') return listCustomers(ctx, undefined);
    if (resource === 'customers/search.json') return listCustomers(ctx, request.query.get('query') ?? '');
    if ((m = /^customers\/(\d+)\.json$/.exec(resource))) {
      const customer = state.customers.find((c) => String(c.id) === m?.[1]);
      return customer ? json(200, { customer: customerOut(customer) }) : error(404);
    }
    if ((m = /^customers\/(\d+)\/orders\.json$/.exec(resource))) {
      const customerId = Number(m[1]);
      if (!state.customers.some((c) => c.id === customerId)) return error(404);
      return listOrders(ctx, { customer_id: String(customerId) });
    }
    if ((m = /^customers\/(\d+)\/metafields\.json$/.exec(resource))) {
      const customer = state.customers.find((c) => String(c.id) === m?.[1]);
      if (!customer) return error(404);
      return json(200, { metafields: metafieldsOut(customer, request.query) });
    }
    return error(404);
  },
};

interface Ctx {
  request: MockRequest;
  version: string;
}

// ---- cursor pagination -----------------------------------------------------------------------------------------------

interface Cursor {
  /** The filters of the first page, re-applied on every page. */
  f: Record<string, string>;
  o: number;
}

const PAGING_PARAMS = new Set(['limit', 'page_info', 'fields']);

/**
 * Serves one page of `all(filters)`. On the first page the filters come from the query; later pages carry them in
 * page_info (and, as in Shopify, page_info may not be combined with filters).
 */
function paginate<T>(
  ctx: Ctx,
  resource: string,
  key: string,
  fixed: Record<string, string>,
  all: (filters: Record<string, string>) => T[],
  map: (item: T) => unknown = (item) => item,
): MockResponse {
  const { query, state, origin } = ctx.request;
  const limit = intParam(query, 'limit', 50, Math.min(250, state.settings.shopifyMaxLimit));
  let filters: Record<string, string>;
  let offset = 0;
  const pageInfo = query.get('page_info');
  if (pageInfo !== null) {
    const extra = [...query.keys()].filter((k) => !PAGING_PARAMS.has(k));
    if (extra.length > 0) {
      return json(400, { errors: { page_info: [`cannot be combined with other parameters (${extra.join(', ')})`] } });
    }
    const cursor = decodeCursor(pageInfo);
    if (!cursor) return error(400, 'page_info - Invalid value.');
    filters = cursor.f;
    offset = cursor.o;
  } else {
    filters = {};
    for (const [k, v] of query) if (!PAGING_PARAMS.has(k)) filters[k] = v;
  }
  const items = all({ ...filters, ...fixed });
  const page = items.slice(offset, offset + limit);
  const links: string[] = [];
  const base = `${origin}/admin/api/${ctx.version}/${resource}`;
  const link = (o: number, rel: string) =>
    `<${base}?limit=${limit}&page_info=${encodeCursor({ f: filters, o })}>; rel="${rel}"`;
  if (offset > 0) links.push(link(Math.max(0, offset - limit), 'previous'));
  if (offset + limit < items.length) links.push(link(offset + limit, 'next'));
  return json(200, { [key]: page.map(map) }, links.length > 0 ? { link: links.join(', ') } : undefined);
}

function encodeCursor(cursor: Cursor): string {
  return Buffer.from(JSON.stringify(cursor), 'utf8').toString('base64url');
}

function decodeCursor(value: string): Cursor | undefined {
  try {
    const parsed = JSON.parse(Buffer.from(value, 'base64url').toString('utf8')) as Partial<Cursor>;
    if (typeof parsed.o !== 'number' || typeof parsed.f !== 'object' || parsed.f === null) return undefined;
    return { f: parsed.f, o: parsed.o };
  } catch {
    return undefined;
  }
}

// ---- orders --------------------------------------------------------------------------------------------------------

function listOrders(ctx: Ctx, fixed: Record<string, string>): MockResponse {
  const resource = fixed.customer_id ? `customers/${fixed.customer_id}/orders.json` : 'orders.json';
  return paginate(ctx, resource, 'orders', fixed, (f) => filterOrders(ctx.request.state, f));
}

/** GET /orders.json's documented filters. Like Shopify, a filter it does not know (`email`) is ignored. */
function filterOrders(state: MockState, f: Record<string, string>): ShopifyOrderWire[] {
  const status = f.status ?? 'open';
  const ids = f.ids ? new Set(f.ids.split(',').map((s) => s.trim())) : undefined;
  const name = f.name !== undefined ? f.name.trim().replace(/^#/, '') : undefined;
  return state.orders
    .filter((o) => {
      if (ids && !ids.has(String(o.id))) return false;
      if (name !== undefined && String(o.name ?? '').replace(/^#/, '') !== name) return false;
      if (f.customer_id && String(o.customer?.id) !== f.customer_id) return false;
      if (status === 'open' && (o.closed_at || o.cancelled_at)) return false;
      if (status === 'closed' && !o.closed_at) return false;
      if (status === 'cancelled' && !o.cancelled_at) return false;
      if (f.financial_status && f.financial_status !== 'any' && o.financial_status !== f.financial_status) return false;
      if (f.fulfillment_status && !fulfillmentMatches(o.fulfillment_status ?? null, f.fulfillment_status)) return false;
      if (f.since_id && !(o.id > Number(f.since_id))) return false;
      return true;
    })
    .sort((a, b) => Date.parse(b.created_at ?? '') - Date.parse(a.created_at ?? '') || b.id - a.id);
}

function fulfillmentMatches(actual: string | null, wanted: string): boolean {
  switch (wanted) {
    case 'any':
      return true;
    case 'shipped':
      return actual === 'fulfilled';
    case 'partial':
      return actual === 'partial';
    case 'unshipped':
      return actual === null;
    case 'unfulfilled':
      return actual === null || actual === 'partial';
    default:
      return actual === wanted;
  }
}

// ---- products --------------------------------------------------------------------------------------------------------

function listProducts(ctx: Ctx): MockResponse {
  return paginate(ctx, 'products.json', 'products', {}, (f) => filterProducts(ctx.request.state, f));
}

function filterProducts(state: MockState, f: Record<string, string>): ShopifyProductWire[] {
  const ids = f.ids ? new Set(f.ids.split(',').map((s) => s.trim())) : undefined;
  const statuses = f.status ? new Set(f.status.split(',').map((s) => s.trim())) : undefined;
  return state.products
    .filter((p) => {
      if (ids && !ids.has(String(p.id))) return false;
      if (statuses && !statuses.has(p.status ?? 'active')) return false;
      if (f.product_type && p.product_type !== f.product_type) return false;
      if (f.vendor && p.vendor !== f.vendor) return false;
      if (f.handle && !f.handle.split(',').includes(p.handle ?? '')) return false;
      if (f.title && !(p.title ?? '').toLowerCase().includes(f.title.toLowerCase())) return false;
      if (f.since_id && !(p.id > Number(f.since_id))) return false;
      return true;
    })
    .sort((a, b) => a.id - b.id);
}

// ---- customers -------------------------------------------------------------------------------------------------------

/** The REST customer object does not carry metafields; the seed's are served by metafields.json. */
function customerOut(c: ShopifyCustomerWire): ShopifyCustomerWire {
  const { metafields: _metafields, ...rest } = c;
  return rest;
}

function listCustomers(ctx: Ctx, search: string | undefined): MockResponse {
  const resource = search === undefined ? 'customers.json' : 'customers/search.json';
  return paginate(
    ctx,
    resource,
    'customers',
    {},
    (f) => {
      const list = f.query !== undefined ? searchCustomers(ctx.request.state.customers, f.query) : ctx.request.state.customers;
      return [...list].sort((a, b) => a.id - b.id);
    },
    (c) => customerOut(c),
  );
}

const CUSTOMER_FIELDS: Record<string, (c: ShopifyCustomerWire) => string[]> = {
  email: (c) => [c.email ?? ''],
  first_name: (c) => [c.first_name ?? ''],
  last_name: (c) => [c.last_name ?? ''],
  phone: (c) => [c.phone ?? ''],
  tag: (c) => splitTags(c.tags),
  tags: (c) => splitTags(c.tags),
  country: (c) => [String(c.default_address?.country_code ?? ''), String(c.default_address?.['country'] ?? '')],
  id: (c) => [String(c.id)],
};

function searchCustomers(customers: ShopifyCustomerWire[], query: string): ShopifyCustomerWire[] {
  const terms = parseSearchQuery(query);
  return customers.filter((c) =>
    terms.every((term) => {
      let hit: boolean;
      const value = term.value.toLowerCase();
      const field = term.key !== undefined ? CUSTOMER_FIELDS[term.key] : undefined;
      if (field) {
        hit = field(c).some((v) => v.toLowerCase() === value);
      } else {
        const text = [c.email, c.first_name, c.last_name, c.phone, term.key ? `${term.key}:` : '']
          .join(' ')
          .toLowerCase();
        hit = text.includes(term.key ? `${term.key}:${value}` : value);
      }
      return term.negate ? !hit : hit;
    }),
  );
}

function splitTags(tags: unknown): string[] {
  return typeof tags === 'string'
    ? tags
        .split(',')
        .map((t) => t.trim())
        .filter(Boolean)
    : [];
}

function metafieldsOut(customer: ShopifyCustomerWire, query: URLSearchParams): ShopifyMetafieldWire[] {
  const namespace = query.get('namespace');
  const key = query.get('key');
  const stamp = String(customer['updated_at'] ?? customer['created_at'] ?? '');
  return (customer.metafields ?? [])
    .filter((m) => (namespace === null || m.namespace === namespace) && (key === null || m.key === key))
    .map((m) => ({
      id: m.id,
      namespace: m.namespace,
      key: m.key,
      value: m.value,
      description: null,
      owner_id: customer.id,
      created_at: (m['created_at'] as string | undefined) ?? stamp,
      updated_at: (m['updated_at'] as string | undefined) ?? stamp,
      owner_resource: 'customer',
      type: m.type ?? 'single_line_text_field',
      admin_graphql_api_id: `gid://shopify/Metafield/${String(m.id)}`,
    }));
}
