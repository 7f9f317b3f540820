// Another shop's data folder, same layout, served and read with no code change.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MailchimpClient } from '../../../src/agents/integrations/mailchimp.js';
import { startMockServers, type MockServers } from '../../../src/agents/integrations/mocks/index.js';
import { loadShop } from '../../../src/agents/integrations/shop-data.js';
import { ShopifyClient } from '../../../src/agents/integrations/shopify.js';
import { ZendeskClient } from '../../../src/agents/integrations/zendesk.js';
import { fastRetry } from './helpers.js';

let dir: string;
let mocks: MockServers;

function write(file: string, value: unknown): void {
  mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
  writeFileSync(path.join(dir, file), JSON.stringify(value, null, 2));
}

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'mac-tidewater-'));
  write('shop.json', {
    name: 'Tidewater Tea Co.',
    currency: 'EUR',
    policy: {
      returnWindowDays: 14,
      autoApproveReturnLimit: 80,
      freeShippingThreshold: 40,
      loyalty: { pointsPerDollar: 2, redeemPoints: 200, redeemValue: 5, tiers: [{ name: 'Leaf', minPoints: 0 }, { name: 'Pearl', minPoints: 800 }] },
      giftCards: { min: 5, max: 200 },
    },
  });
  write('shopify/products.json', {
    products: Array.from({ length: 7 }, (_, i) => ({
      id: 100 + i,
      title: `Sencha No. ${i + 1}`,
      body_html: '<p>Steamed green tea &amp; nothing else.</p>',
      vendor: 'Tidewater',
      product_type: 'Tea',
      handle: `sencha-${i + 1}`,
      tags: 'tea, green',
      status: 'active',
      variants: [{ id: 1000 + i, product_id: 100 + i, title: '50 g', price: `${9 + i}.50`, sku: `TW-SEN-${i + 1}`, inventory_quantity: i }],
    })),
  });
  write('shopify/customers.json', {
    customers: [
      {
        id: 501,
        email: 'ines.duarte@example.org',
        first_name: 'Inês',
        last_name: 'Duarte',
        phone: null,
        tags: 'subscriber, auto-delivery',
        default_address: { country_code: 'PT' },
        metafields: [
          { namespace: 'loyalty', key: 'points', value: '930', type: 'number_integer' },
          { namespace: 'loyalty', key: 'tier', value: 'Pearl', type: 'single_line_text_field' },
        ],
      },
    ],
  });
  write('shopify/orders.json', {
    orders: [
      {
        id: 9001,
        name: 'TW-1001',
        order_number: 1001,
        email: 'ines.duarte@example.org',
        customer: { id: 501 },
        created_at: '2026-01-05T10:00:00+00:00',
        closed_at: null,
        cancelled_at: null,
        financial_status: 'paid',
        fulfillment_status: null,
        currency: 'EUR',
        subtotal_price: '21.00',
        total_tax: '4.83',
        total_price: '29.78',
        shipping_lines: [{ price: '3.95' }],
        line_items: [{ title: 'Sencha No. 1', quantity: 2, price: '10.50', product_id: 100, variant_id: 1000 }],
        fulfillments: [],
        refunds: [],
      },
    ],
  });
  write('zendesk/tickets.json', {
    tickets: [{ id: 900, subject: 'Steeping time?', status: 'solved', priority: null, requester_id: 77, tags: [], created_at: '2026-01-06T09:00:00Z' }],
  });
  write('zendesk/users.json', { users: [{ id: 77, name: 'Inês Duarte', email: 'ines.duarte@example.org', role: 'end-user' }] });
  // No mailchimp/ folder at all.
  mocks = await startMockServers({
    dataDir: dir,
    credentials: { shopify: { accessToken: 'tidewater-token' } },
    settings: { shopifyMaxLimit: 3 },
  });
});

afterAll(async () => {
  await mocks?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('a second data folder', () => {
  it('loads its own shop policy', () => {
    const shop = loadShop(dir);
    expect(shop).toMatchObject({ name: 'Tidewater Tea Co.', currency: 'EUR', policy: { returnWindowDays: 14 } });
    expect(shop.supportEmail).toBeUndefined();
  });

  it('serves its Shopify data through the same client', async () => {
    const shopify = new ShopifyClient({ baseUrl: mocks.urls.shopify, accessToken: 'tidewater-token', retry: fastRetry() });
    const products = await shopify.listProducts();
    expect(products.map((p) => p.variants[0]?.price)).toEqual([9.5, 10.5, 11.5, 12.5, 13.5, 14.5, 15.5]);
    expect(products[0]?.description).toBe('Steamed green tea & nothing else.');
    expect(mocks.state.requests.filter((r) => r.path.endsWith('/products.json'))).toHaveLength(3);

    // This shop's order names carry a custom prefix (a Shopify setting): by full name, or by number, the prefix read
    // off the shop's latest order once, or configured.
    expect((await shopify.orderByNumber('TW-1001'))?.orderNumber).toBe(1001);
    expect((await shopify.orderByNumber(1001))?.name).toBe('TW-1001');
    expect((await shopify.orderByNumber('1001'))?.name).toBe('TW-1001');
    expect(mocks.state.requests.filter((r) => r.path.endsWith('/orders.json') && r.query.fields !== undefined)).toHaveLength(1);
    const prefixed = new ShopifyClient({ baseUrl: mocks.urls.shopify, accessToken: 'tidewater-token', orderNamePrefix: 'TW-' });
    const order = await prefixed.orderByNumber(1001);
    expect(order).toMatchObject({ name: 'TW-1001', currency: 'EUR', total: 29.78, shipping: 3.95, fulfillments: [], fulfillmentStatus: null });
    expect(await shopify.customer('ines.duarte@example.org')).toMatchObject({
      firstName: 'Inês',
      country: 'PT',
      autoDelivery: true,
      loyalty: { points: 930, tier: 'Pearl' },
    });
  });

  it('numbers new Zendesk tickets after its own highest id; Mailchimp is simply empty', async () => {
    const zendesk = new ZendeskClient({ baseUrl: mocks.urls.zendesk, ...mocks.credentials.zendesk });
    const created = await zendesk.createTicket({
      subject: 'Order TW-1001',
      comment: 'Where is it?',
      priority: 'normal',
      tags: [],
      requester: { email: 'ines.duarte@example.org' },
    });
    expect(created.id).toBe(901);
    expect((await zendesk.ticketsByRequesterEmail('ines.duarte@example.org')).map((t) => [t.id, t.priority])).toEqual([
      [901, 'normal'],
      [900, null],
    ]);
    const mailchimp = new MailchimpClient({ baseUrl: mocks.urls.mailchimp, apiKey: mocks.credentials.mailchimp.apiKey });
    expect(await mailchimp.lists()).toEqual([]);
  });
});
