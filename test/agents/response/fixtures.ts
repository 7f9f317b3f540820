// Realistic ResponseContexts built from the demo shop (data/demo-shop): the Shopify JSON mapped minimally to the
// contract types, the KB folder cut into sections as KB hits. Nothing here depends on the other agents' code.
import { readFileSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import type {
  Customer,
  EscalationDecision,
  Intent,
  IntentResult,
  KbHit,
  KnowledgeResult,
  Language,
  Order,
  Product,
  ResponseContext,
  ReturnDecision,
  SentimentLabel,
  Shop,
} from '../../../src/agents/runtime/contracts.js';

const DEMO = fileURLToPath(new URL('../../../data/demo-shop/', import.meta.url));
const KB_DIR = join(DEMO, 'kb');
const readJson = (path: string): any => JSON.parse(readFileSync(join(DEMO, path), 'utf8'));

/** The data's reference date ("today"), US Thanksgiving. */
export const NOW = new Date('2026-11-26T10:00:00-08:00');

// ---- Shopify → contract ------------------------------------------------------------------------------------------

const shopJson = readJson('shop.json');
export const SHOP: Shop = {
  name: shopJson.name,
  currency: shopJson.currency,
  supportEmail: shopJson.supportEmail,
  policy: shopJson.policy,
};

const tags = (s: string | null | undefined): string[] =>
  (s ?? '')
    .split(',')
    .map((x) => x.trim())
    .filter(Boolean);

export const PRODUCTS: Product[] = readJson('shopify/products.json').products.map(
  (p: any): Product => ({
    id: p.id,
    title: p.title,
    handle: p.handle,
    type: p.product_type,
    vendor: p.vendor,
    tags: tags(p.tags),
    description: p.body_html,
    status: p.status,
    variants: p.variants.map((v: any) => ({ id: v.id, title: v.title, price: Number(v.price), sku: v.sku, inventory: v.inventory_quantity })),
  }),
);

export const CUSTOMERS: Customer[] = readJson('shopify/customers.json').customers.map((c: any): Customer => {
  const meta = (key: string): string | undefined => c.metafields.find((m: any) => m.namespace === 'loyalty' && m.key === key)?.value;
  const points = meta('points');
  const tier = meta('tier');
  const customer: Customer = {
    id: c.id,
    email: c.email,
    firstName: c.first_name,
    lastName: c.last_name,
    tags: tags(c.tags),
    country: c.default_address?.country_code,
    autoDelivery: tags(c.tags).includes('auto-delivery'),
  };
  if (c.phone) customer.phone = c.phone;
  if (points !== undefined && tier !== undefined) customer.loyalty = { points: Number(points), tier };
  return customer;
});

export const ORDERS: Order[] = readJson('shopify/orders.json').orders.map(
  (o: any): Order => ({
    id: o.id,
    name: o.name,
    orderNumber: o.order_number,
    email: o.email,
    customerId: o.customer?.id,
    createdAt: o.created_at,
    financialStatus: o.financial_status,
    fulfillmentStatus: o.fulfillment_status,
    cancelledAt: o.cancelled_at,
    currency: o.currency,
    subtotal: Number(o.subtotal_price),
    tax: Number(o.total_tax),
    shipping: Number(o.total_shipping_price_set?.shop_money?.amount ?? 0),
    total: Number(o.total_price),
    items: o.line_items.map((l: any) => ({
      title: l.title,
      quantity: l.quantity,
      price: Number(l.price),
      productId: l.product_id,
      variantId: l.variant_id,
      sku: l.sku,
    })),
    fulfillments: o.fulfillments.map((f: any) => ({
      status: f.status,
      carrier: f.tracking_company ?? undefined,
      trackingNumber: f.tracking_number ?? undefined,
      trackingUrl: f.tracking_url ?? undefined,
      shipmentStatus: f.shipment_status ?? undefined,
      createdAt: f.created_at,
      updatedAt: f.updated_at ?? undefined,
    })),
    refunds: o.refunds.map((r: any) => ({
      createdAt: r.created_at,
      amount: r.transactions.reduce((sum: number, t: any) => sum + Number(t.amount), 0),
      note: r.note ?? undefined,
    })),
  }),
);

export const customer = (email: string): Customer => {
  const c = CUSTOMERS.find((x) => x.email === email);
  if (!c) throw new Error(`no demo customer ${email}`);
  return c;
};
export const order = (name: string): Order => {
  const o = ORDERS.find((x) => x.name === name);
  if (!o) throw new Error(`no demo order ${name}`);
  return o;
};
export const product = (title: string): Product => {
  const p = PRODUCTS.find((x) => x.title === title);
  if (!p) throw new Error(`no demo product ${title}`);
  return p;
};
export const ordersOf = (c: Customer): Order[] => ORDERS.filter((o) => o.customerId === c.id);

// ---- KB folder → hits ------------------------------------------------------------------------------------------

function walk(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(join(dir, e.name)) : [join(dir, e.name)]));
}

export const KB: KbHit[] = walk(KB_DIR).flatMap((file): KbHit[] => {
  const source = relative(KB_DIR, file).split('\\').join('/');
  const language: Language = source.startsWith('fr/') ? 'fr' : source.startsWith('es/') ? 'es' : 'en';
  const raw = readFileSync(file, 'utf8');
  if (file.endsWith('.json')) {
    const doc = JSON.parse(raw) as { title: string; sections: { heading: string; body: string }[] };
    return doc.sections.map((s) => ({ source, title: doc.title, heading: s.heading, text: s.body, language, score: 0 }));
  }
  const title = /^#\s+(.+)$/m.exec(raw)?.[1]?.trim() ?? source;
  return raw
    .split(/^##\s+/m)
    .slice(1)
    .map((section) => {
      const [heading = '', ...body] = section.split('\n');
      return { source, title, heading: heading.trim(), text: body.join('\n').trim(), language, score: 0 };
    });
});

/** The English KB document(s) and their French / Spanish versions for each topic. */
const KB_DOCS: Partial<Record<Intent, { en: string[]; fr?: string[]; es?: string[] }>> = {
  general_inquiry: { en: ['contact-and-hours.json'] },
  order_status: { en: ['order-tracking.md', 'lost-stolen-damaged-parcels.md'] },
  order_modification: { en: ['order-changes-and-cancellations.md'] },
  return_request: { en: ['returns-and-refunds.md'], fr: ['fr/retours-et-remboursements.md'], es: ['es/devoluciones-y-reembolsos.md'] },
  refund_status: { en: ['returns-and-refunds.md', 'payment-and-billing.md'], fr: ['fr/retours-et-remboursements.md'], es: ['es/devoluciones-y-reembolsos.md'] },
  exchange_request: { en: ['exchanges.md'] },
  product_info: { en: ['brewing-guides.md'] },
  product_comparison: { en: ['product-comparisons.md'] },
  shipping_question: { en: ['shipping.md'], fr: ['fr/livraison.md'], es: ['es/envios.md'] },
  loyalty_program: { en: ['loyalty-program.md'], fr: ['fr/programme-fidelite.md'], es: ['es/programa-de-fidelidad.md'] },
  subscription_management: { en: ['auto-delivery-subscriptions.md'] },
  gift_card: { en: ['gift-cards.json'] },
  account_help: { en: ['account-help.md'] },
  billing_issue: { en: ['payment-and-billing.md'] },
  technical_support: { en: ['electrical-technical-support.md', 'care-grinders.md'] },
  complaint: { en: ['lost-stolen-damaged-parcels.md'] },
  b2b_inquiry: { en: ['wholesale-b2b.md'] },
};

/**
 * KB hits for a topic, as the knowledge agent would rank them: the customer's language when a translation exists,
 * otherwise the English documents (so French and Spanish replies must not quote them). `headings` picks sections.
 */
export function kbFor(intent: Intent, language: Language, headings?: RegExp, limit = 4): KbHit[] {
  const docs = KB_DOCS[intent];
  if (!docs) return [];
  const sources = (language !== 'en' ? docs[language] : undefined) ?? docs.en;
  return KB.filter((h) => sources.includes(h.source) && (!headings || headings.test(h.heading)))
    .slice(0, limit)
    .map((h, i) => ({ ...h, score: 1 - i * 0.1 }));
}

// ---- contexts --------------------------------------------------------------------------------------------------

export interface CtxOptions {
  language: Language;
  intent: Intent;
  confidence?: number;
  customer?: Customer;
  orders?: Order[];
  orderNumbers?: string[];
  products?: Product[];
  productNames?: string[];
  kb?: KbHit[];
  notes?: string[];
  escalation?: EscalationDecision;
  returnDecision?: ReturnDecision;
  sentiment?: SentimentLabel;
  previousIntent?: Intent;
  alternatives?: { intent: Intent; score: number }[];
}

export function makeCtx(o: CtxOptions): ResponseContext {
  const intent: IntentResult = {
    language: o.language,
    intent: o.intent,
    confidence: o.confidence ?? 0.9,
    alternatives: o.alternatives ?? [],
    entities: {
      orderNumbers: o.orderNumbers ?? [],
      emails: o.customer ? [o.customer.email] : [],
      phones: [],
      amounts: [],
      products: o.productNames ?? [],
    },
    sentiment: { score: o.sentiment === 'negative' ? -0.6 : o.sentiment === 'positive' ? 0.7 : 0, label: o.sentiment ?? 'neutral' },
    profanity: false,
  };
  const knowledge: KnowledgeResult = {
    kb: o.kb ?? [],
    orders: o.orders ?? [],
    products: o.products ?? [],
    tickets: [],
    notes: o.notes ?? (o.customer ? [] : ['anonymous']),
  };
  if (o.customer) knowledge.customer = o.customer;
  const ctx: ResponseContext = {
    language: o.language,
    intent,
    knowledge,
    escalation: o.escalation ?? { escalate: false },
    shop: SHOP,
    now: NOW,
  };
  if (o.customer) ctx.customer = o.customer;
  if (o.previousIntent) ctx.previousIntent = o.previousIntent;
  if (o.returnDecision) ctx.returnDecision = o.returnDecision;
  return ctx;
}

/** What a return-decision step would decide for a whole-order return on NOW (policy from shop.json). */
export function decideReturn(o: Order): ReturnDecision {
  const amount = o.items.reduce((sum, i) => sum + i.price * i.quantity, 0);
  const base = { order: o, amount };
  if (o.cancelledAt) return { ...base, status: 'not_eligible', reason: 'cancelled' };
  if (o.financialStatus === 'refunded') return { ...base, status: 'not_eligible', reason: 'already_refunded' };
  const delivered = o.fulfillments.filter((f) => f.shipmentStatus === 'delivered' && f.updatedAt).map((f) => f.updatedAt as string);
  const last = delivered.sort().at(-1);
  if (!last || o.fulfillmentStatus !== 'fulfilled') return { ...base, status: 'not_eligible', reason: 'not_delivered' };
  const deadlineDate = new Date(`${last.slice(0, 10)}T12:00:00Z`);
  deadlineDate.setUTCDate(deadlineDate.getUTCDate() + SHOP.policy.returnWindowDays);
  const deadline = deadlineDate.toISOString().slice(0, 10);
  if (deadlineDate.getTime() < NOW.getTime()) return { ...base, status: 'needs_review', reason: 'outside_window', deadline };
  if (amount > SHOP.policy.autoApproveReturnLimit) return { ...base, status: 'needs_review', reason: 'over_limit', deadline };
  return { ...base, status: 'approved', reason: 'within_policy', deadline, rma: `RMA-${o.orderNumber}` };
}
