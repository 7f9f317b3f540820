// Shopify Admin REST client (read side used by the knowledge agent), normalised to the runtime's domain types.

import type { Customer, Fulfillment, Order, OrderItem, Product, Variant } from '../runtime/contracts.js';
import { HttpClient, parseLinkHeader, type QueryValue, type RetryOptions } from './http.js';
import type {
  ShopifyCustomerWire,
  ShopifyFulfillmentWire,
  ShopifyMetafieldWire,
  ShopifyOrderWire,
  ShopifyProductWire,
  ShopifyRefundWire,
} from './wire.js';

export const SHOPIFY_API_VERSION = '2024-10';
/** Shopify's maximum page size. */
export const SHOPIFY_MAX_LIMIT = 250;
/** Customer tag that marks an active auto-delivery subscription. */
export const AUTO_DELIVERY_TAG = 'auto-delivery';
export const LOYALTY_NAMESPACE = 'loyalty';

export interface ShopifyClientOptions {
  /** The shop's base URL, e.g. https://cinderfell.myshopify.com, or a mock's URL. */
  baseUrl: string;
  accessToken: string;
  apiVersion?: string;
  timeoutMs?: number;
  retry?: RetryOptions;
  fetch?: typeof fetch;
  /** Safety stop for pagination (default 100 pages). */
  maxPages?: number;
  /** The shop's order-name prefix/suffix (Shopify settings), used by orderByNumber; by default read off the shop's
   *  latest order (its name around its order_number: "#10234", "CF-1001"). */
  orderNamePrefix?: string;
  orderNameSuffix?: string;
}

export interface Metafield {
  id?: number;
  namespace: string;
  key: string;
  value: string;
  type?: string;
}

/** Customer plus the extra facts Shopify holds that the contracts do not name. */
export interface ShopifyCustomer extends Customer {
  /** Free-text customer note (in the demo data: the auto-delivery schedule, pauses, preferences). */
  note?: string;
  /** Preferred language from metafield preferences.language, else the customer's locale prefix. */
  language?: string;
  ordersCount?: number;
  totalSpent?: number;
}

/** How the shop names its orders around their number: "#" + 10234, "CF-" + 1001 + "-B". */
interface NameFormat {
  prefix: string;
  suffix: string;
}

export class ShopifyClient {
  readonly apiVersion: string;
  private readonly http: HttpClient;
  private readonly customerSearches = new Map<string, Promise<ShopifyCustomer | null>>();
  private readonly maxPages: number;
  private nameFormat?: Promise<NameFormat>;

  constructor(options: ShopifyClientOptions) {
    this.apiVersion = options.apiVersion ?? SHOPIFY_API_VERSION;
    this.maxPages = options.maxPages ?? 100;
    if (options.orderNamePrefix !== undefined || options.orderNameSuffix !== undefined) {
      this.nameFormat = Promise.resolve({ prefix: options.orderNamePrefix ?? '', suffix: options.orderNameSuffix ?? '' });
    }
    this.http = new HttpClient({
      service: 'shopify',
      baseUrl: options.baseUrl,
      headers: { 'X-Shopify-Access-Token': options.accessToken },
      secrets: [options.accessToken],
      ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}),
      ...(options.retry ? { retry: options.retry } : {}),
      ...(options.fetch ? { fetch: options.fetch } : {}),
    });
  }

  private path(resource: string): string {
    return `/admin/api/${this.apiVersion}/${resource}`;
  }

  /** GETs every page of a list endpoint by following `Link: <…page_info=…>; rel="next"`. */
  private async paginate<T>(resource: string, key: string, query: Record<string, QueryValue>): Promise<T[]> {
    const items: T[] = [];
    let next: string | undefined = this.path(resource);
    let params: Record<string, QueryValue> | undefined = { limit: SHOPIFY_MAX_LIMIT, ...query };
    for (let page = 0; next !== undefined; page++) {
      if (page >= this.maxPages) break;
      const response: { headers: Headers; data: Record<string, T[] | undefined> } = await this.http.get<
        Record<string, T[] | undefined>
      >(next, params ? { query: params } : {});
      items.push(...(response.data?.[key] ?? []));
      // The next URL carries page_info (and limit); no other parameter may accompany it.
      next = parseLinkHeader(response.headers.get('link'))['next'];
      params = undefined;
    }
    return items;
  }

  /**
   * An order by its number (10234 or "10234": the shop's prefix/suffix is added) or by its full name ("#10234",
   * "TW-1001"); null when there is none.
   */
  async orderByNumber(orderNumber: number | string): Promise<Order | null> {
    const input = String(orderNumber).trim();
    let name = input;
    if (/^\d+$/.test(input)) {
      const { prefix, suffix } = await this.orderNameFormat();
      name = `${prefix}${input}${suffix}`;
    }
    const { data } = await this.http.get<{ orders?: ShopifyOrderWire[] }>(this.path('orders.json'), {
      query: { name, status: 'any' },
    });
    const orders = data?.orders ?? [];
    const bare = (n: string) => n.replace(/^#/, '');
    const exact = orders.find((o) => bare(o.name ?? '') === bare(name));
    return exact ? normalizeOrder(exact) : null;
  }

  /** The shop's order-name format, read once (a failed read is tried again next time). */
  private orderNameFormat(): Promise<NameFormat> {
    this.nameFormat ??= this.readNameFormat().catch((err: unknown) => {
      this.nameFormat = undefined;
      throw err;
    });
    return this.nameFormat;
  }

  private async readNameFormat(): Promise<NameFormat> {
    const { data } = await this.http.get<{ orders?: ShopifyOrderWire[] }>(this.path('orders.json'), {
      query: { status: 'any', limit: 1, fields: 'name,order_number' },
    });
    const latest = data?.orders?.[0];
    const number = latest?.order_number != null ? String(latest.order_number) : '';
    const at = number && latest?.name ? latest.name.lastIndexOf(number) : -1;
    return at >= 0 ? { prefix: latest!.name!.slice(0, at), suffix: latest!.name!.slice(at + number.length) } : { prefix: '#', suffix: '' };
  }

  /**
   * Every order (any status) of the customer with this email, newest first. Through the customer's own orders
   * (customers/{id}/orders.json): `email` is not one of GET /orders.json's filters, and Shopify ignores a filter it
   * does not know, which would hand over the whole shop's orders.
   */
  async ordersByEmail(email: string): Promise<Order[]> {
    const customer = await this.customerByEmail(email);
    if (!customer) return [];
    const orders = await this.paginate<ShopifyOrderWire>(`customers/${customer.id}/orders.json`, 'orders', { status: 'any' });
    return orders.map(normalizeOrder).sort((a, b) => Date.parse(b.createdAt) - Date.parse(a.createdAt));
  }

  /** The whole catalogue (every page), including archived/draft products unless a status is given. */
  async listProducts(options: { status?: 'active' | 'archived' | 'draft' } = {}): Promise<Product[]> {
    const products = await this.paginate<ShopifyProductWire>('products.json', 'products', { status: options.status });
    return products.map(normalizeProduct);
  }

  async product(id: number): Promise<Product | null> {
    const { status, data } = await this.http.get<{ product?: ShopifyProductWire }>(this.path(`products/${id}.json`), {
      allowStatuses: [404],
    });
    return status === 404 || !data?.product ? null : normalizeProduct(data.product);
  }

  /** The customer with exactly this email (case-insensitive), without loyalty; null when unknown. */
  customerByEmail(email: string): Promise<ShopifyCustomer | null> {
    const wanted = email.trim().toLowerCase();
    // customer() and ordersByEmail() of one turn ask at the same time: one search answers both.
    let search = this.customerSearches.get(wanted);
    if (!search) {
      search = this.searchCustomer(wanted).finally(() => this.customerSearches.delete(wanted));
      this.customerSearches.set(wanted, search);
    }
    return search;
  }

  private async searchCustomer(wanted: string): Promise<ShopifyCustomer | null> {
    const { data } = await this.http.get<{ customers?: ShopifyCustomerWire[] }>(this.path('customers/search.json'), {
      query: { query: `email:${wanted}`, limit: 10 },
    });
    const found = (data?.customers ?? []).find((c) => (c.email ?? '').toLowerCase() === wanted);
    return found ? normalizeCustomer(found) : null;
  }

  async customerMetafields(customerId: number, namespace?: string): Promise<Metafield[]> {
    const { data } = await this.http.get<{ metafields?: ShopifyMetafieldWire[] }>(
      this.path(`customers/${customerId}/metafields.json`),
      { query: { namespace, limit: SHOPIFY_MAX_LIMIT } },
    );
    return (data?.metafields ?? []).map(normalizeMetafield);
  }

  /** The customer with loyalty (metafields loyalty.points / loyalty.tier) and preferred language filled in. */
  async customer(email: string): Promise<ShopifyCustomer | null> {
    const customer = await this.customerByEmail(email);
    if (!customer) return null;
    const metafields = await this.customerMetafields(customer.id);
    return applyMetafields(customer, metafields);
  }
}

// ---- normalisation (exported for reuse and tests) ------------------------------------------------------------------

/** "12.30" → 12.3; anything unparsable → 0. Rounded to cents. */
export function money(value: unknown): number {
  const n = typeof value === 'number' ? value : typeof value === 'string' ? Number(value.trim()) : NaN;
  return Number.isFinite(n) ? Math.round(n * 100) / 100 : 0;
}

/** Shopify's comma-separated tag string → trimmed, non-empty tags. */
export function splitTags(tags: unknown): string[] {
  if (Array.isArray(tags)) return tags.map(String).map((t) => t.trim()).filter(Boolean);
  if (typeof tags !== 'string') return [];
  return tags
    .split(',')
    .map((t) => t.trim())
    .filter(Boolean);
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ' };

/** Product body HTML → plain text (list items become "- " lines). */
export function htmlToText(html: string | null | undefined): string {
  if (!html) return '';
  return html
    .replace(/<\s*li[^>]*>/gi, '\n- ')
    .replace(/<\s*br\s*\/?>/gi, '\n')
    .replace(/<\/\s*(p|div|ul|ol|h[1-6])\s*>/gi, '\n')
    .replace(/<[^>]*>/g, '')
    .replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, code: string) => {
      if (code.startsWith('#x') || code.startsWith('#X')) return String.fromCodePoint(parseInt(code.slice(2), 16));
      if (code.startsWith('#')) return String.fromCodePoint(parseInt(code.slice(1), 10));
      const name = code.toLowerCase();
      return Object.hasOwn(ENTITIES, name) ? ENTITIES[name]! : whole; // own keys: "&constructor;" is not an entity
    })
    .split('\n')
    .map((line) => line.replace(/[ \t]+/g, ' ').trim())
    .filter(Boolean)
    .join('\n');
}

export function normalizeProduct(p: ShopifyProductWire): Product {
  return {
    id: p.id,
    title: p.title ?? '',
    handle: p.handle ?? '',
    type: p.product_type ?? '',
    vendor: p.vendor ?? '',
    tags: splitTags(p.tags),
    description: htmlToText(p.body_html),
    status: p.status ?? 'active',
    variants: (p.variants ?? []).map(
      (v): Variant => ({
        id: v.id,
        title: v.title ?? '',
        price: money(v.price),
        sku: v.sku ?? '',
        inventory: typeof v.inventory_quantity === 'number' ? v.inventory_quantity : 0,
      }),
    ),
  };
}

export function normalizeFulfillment(f: ShopifyFulfillmentWire): Fulfillment {
  const out: Fulfillment = { status: f.status ?? 'success', createdAt: f.created_at ?? '' };
  const trackingNumber = f.tracking_number ?? f.tracking_numbers?.[0];
  const trackingUrl = f.tracking_url ?? f.tracking_urls?.[0];
  if (f.tracking_company) out.carrier = f.tracking_company;
  if (trackingNumber) out.trackingNumber = trackingNumber;
  if (trackingUrl) out.trackingUrl = trackingUrl;
  if (f.shipment_status) out.shipmentStatus = f.shipment_status;
  const updatedAt = f.shipment_status === 'delivered' ? (f.delivered_at ?? f.updated_at) : f.updated_at;
  if (updatedAt) out.updatedAt = updatedAt;
  return out;
}

/**
 * The money a refund returned: the successful refund transactions when present (they include shipping refunds and
 * goodwill adjustments), else refunded line items (subtotal + tax) plus order adjustments (negative = refunded).
 */
export function refundAmount(r: ShopifyRefundWire): number {
  const transactions = (r.transactions ?? []).filter(
    (t) => (t.kind ?? 'refund') === 'refund' && (t.status ?? 'success') === 'success',
  );
  if (transactions.length > 0) return money(transactions.reduce((sum, t) => sum + money(t.amount), 0));
  const items = (r.refund_line_items ?? []).reduce((sum, li) => sum + money(li.subtotal) + money(li.total_tax), 0);
  const adjustments = (r.order_adjustments ?? []).reduce(
    (sum, a) => sum - money(a.amount) - money(a.tax_amount),
    0,
  );
  return money(items + adjustments);
}

/** The order lines a refund was for (refund_line_items[].line_item_id) and how many units of each. */
export function refundedLines(r: ShopifyRefundWire): { lineItemId: number; quantity: number }[] {
  const lines: { lineItemId: number; quantity: number }[] = [];
  for (const li of r.refund_line_items ?? []) {
    const id = li.line_item_id;
    const quantity = li.quantity;
    if (typeof id !== 'number' || !Number.isSafeInteger(id)) continue;
    // Shopify always sends the quantity; a line without one counts as one unit.
    const units = typeof quantity === 'number' && Number.isFinite(quantity) ? quantity : 1;
    if (units > 0) lines.push({ lineItemId: id, quantity: units });
  }
  return lines;
}

export function normalizeOrder(o: ShopifyOrderWire): Order {
  const shippingFromSet = o.total_shipping_price_set?.shop_money?.amount;
  const shipping =
    shippingFromSet !== undefined && shippingFromSet !== null
      ? money(shippingFromSet)
      : money((o.shipping_lines ?? []).reduce((sum, l) => sum + money(l.price), 0));
  const orderNumber = o.order_number ?? Number(String(o.name ?? '').replace(/\D/g, ''));
  const order: Order = {
    id: o.id,
    name: o.name ?? `#${orderNumber}`,
    orderNumber,
    email: o.email ?? o.contact_email ?? '',
    createdAt: o.created_at ?? '',
    financialStatus: o.financial_status ?? 'unknown',
    fulfillmentStatus: o.fulfillment_status ?? null,
    cancelledAt: o.cancelled_at ?? null,
    currency: o.currency ?? '',
    subtotal: money(o.subtotal_price),
    tax: money(o.total_tax),
    shipping,
    total: money(o.total_price),
    items: (o.line_items ?? []).map((li) => {
      const title =
        li.name ?? (li.variant_title ? `${li.title ?? ''} - ${li.variant_title}` : (li.title ?? ''));
      const item: OrderItem = { title, quantity: li.quantity ?? 1, price: money(li.price) };
      if (typeof li.id === 'number') item.id = li.id;
      if (typeof li.product_id === 'number') item.productId = li.product_id;
      if (typeof li.variant_id === 'number') item.variantId = li.variant_id;
      if (li.sku) item.sku = li.sku;
      return item;
    }),
    fulfillments: (o.fulfillments ?? []).map(normalizeFulfillment),
    refunds: (o.refunds ?? []).map((r) => {
      const refund: Order['refunds'][number] = {
        createdAt: r.processed_at ?? r.created_at ?? '',
        amount: refundAmount(r),
      };
      if (r.note) refund.note = r.note;
      const lineItems = refundedLines(r);
      if (lineItems.length > 0) refund.lineItems = lineItems;
      return refund;
    }),
  };
  if (typeof o.customer?.id === 'number') order.customerId = o.customer.id;
  return order;
}

export function normalizeCustomer(c: ShopifyCustomerWire): ShopifyCustomer {
  const tags = splitTags(c.tags);
  const customer: ShopifyCustomer = {
    id: c.id,
    email: c.email ?? '',
    firstName: c.first_name ?? '',
    lastName: c.last_name ?? '',
    tags,
    autoDelivery: tags.some((t) => t.toLowerCase() === AUTO_DELIVERY_TAG),
  };
  if (c.phone) customer.phone = c.phone;
  const country = c.default_address?.country_code ?? c.addresses?.[0]?.country_code;
  if (country) customer.country = country;
  if (c.note) customer.note = c.note;
  if (typeof c.orders_count === 'number') customer.ordersCount = c.orders_count;
  if (c.total_spent !== undefined && c.total_spent !== null) customer.totalSpent = money(c.total_spent);
  const localeLanguage = typeof c.locale === 'string' ? c.locale.split('-')[0]?.toLowerCase() : undefined;
  if (localeLanguage) customer.language = localeLanguage;
  return customer;
}

export function normalizeMetafield(m: ShopifyMetafieldWire): Metafield {
  const value = typeof m.value === 'string' ? m.value : JSON.stringify(m.value);
  const out: Metafield = { namespace: m.namespace, key: m.key, value };
  if (typeof m.id === 'number') out.id = m.id;
  if (m.type) out.type = m.type;
  return out;
}

/** Loyalty from metafields loyalty.points / loyalty.tier; undefined when the customer has neither. */
export function loyaltyFromMetafields(metafields: Metafield[]): { points: number; tier: string } | undefined {
  const points = metafields.find((m) => m.namespace === LOYALTY_NAMESPACE && m.key === 'points');
  const tier = metafields.find((m) => m.namespace === LOYALTY_NAMESPACE && m.key === 'tier');
  if (!points && !tier) return undefined;
  const n = points ? Number(points.value) : 0;
  return { points: Number.isFinite(n) ? n : 0, tier: tier?.value ?? '' };
}

/** Fills loyalty, preferred language and (if a subscriptions.auto_delivery metafield exists) auto-delivery. */
export function applyMetafields(customer: ShopifyCustomer, metafields: Metafield[]): ShopifyCustomer {
  const out: ShopifyCustomer = { ...customer };
  const loyalty = loyaltyFromMetafields(metafields);
  if (loyalty) out.loyalty = loyalty;
  const language = metafields.find((m) => m.namespace === 'preferences' && m.key === 'language');
  if (language?.value) out.language = language.value;
  const autoDelivery = metafields.find((m) => m.namespace === 'subscriptions' && m.key === 'auto_delivery');
  if (autoDelivery) out.autoDelivery = autoDelivery.value === 'true';
  return out;
}
