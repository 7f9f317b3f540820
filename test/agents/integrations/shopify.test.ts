import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { basicAuth, IntegrationError } from '../../../src/agents/integrations/http.js';
import { normalizeOrder, refundAmount, ShopifyClient } from '../../../src/agents/integrations/shopify.js';
import { DEMO_SHOP, requestsTo, startHarness, type Harness } from './helpers.js';
import { startMockServers } from '../../../src/agents/integrations/mocks/index.js';

let h: Harness;

beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h.mocks.close();
});
beforeEach(() => {
  h.mocks.state.reset();
  h.mocks.state.settings.shopifyMaxLimit = 250;
});

describe('ShopifyClient against the mock (demo shop)', () => {
  it('normalises order #10252: failed USPS delivery, tracking, money as numbers', async () => {
    const order = await h.shopify.orderByNumber('#10252');
    expect(order).not.toBeNull();
    expect(order).toMatchObject({
      name: '#10252',
      orderNumber: 10252,
      email: 'daniel.okafor@example.com',
      customerId: 7391050004052,
      financialStatus: 'paid',
      fulfillmentStatus: 'fulfilled',
      cancelledAt: null,
      currency: 'USD',
      subtotal: 67,
      tax: 5.02,
      shipping: 6.95,
      total: 78.97,
      refunds: [],
    });
    expect(order?.items.map((i) => [i.sku, i.quantity, i.price])).toEqual([
      ['CF-FPR-BSC-34', 1, 49],
      ['CF-COF-FIR-CRS', 1, 18],
    ]);
    expect(order?.fulfillments).toEqual([
      {
        status: 'success',
        carrier: 'USPS',
        trackingNumber: '9400111206213877430915',
        trackingUrl: 'https://tools.usps.com/go/TrackConfirmAction?tLabels=9400111206213877430915',
        shipmentStatus: 'failure',
        createdAt: '2026-11-03T14:45:00-08:00',
        updatedAt: '2026-11-07T06:12:00-08:00',
      },
    ]);
    // The client asked exactly as the real API expects.
    const [request] = requestsTo(h.mocks, 'shopify', '/orders.json');
    expect(request?.path).toBe('/admin/api/2024-10/orders.json');
    expect(request?.query).toEqual({ name: '#10252', status: 'any' });
  });

  it('finds closed orders (status=any) and accepts 10201, "10201" and "#10201"', async () => {
    for (const n of [10201, '10201', '#10201']) {
      const order = await h.shopify.orderByNumber(n);
      expect(order?.name).toBe('#10201');
      expect(order?.fulfillments[0]).toMatchObject({ shipmentStatus: 'delivered', updatedAt: '2026-06-18T15:12:00-07:00' });
    }
    expect(await h.shopify.orderByNumber(99999)).toBeNull();
  });

  it('the mock, like Shopify, hides closed orders unless status=any', async () => {
    const url = `${h.mocks.urls.shopify}/admin/api/2024-10/orders.json?name=%2310201`;
    const res = await fetch(url, { headers: { 'X-Shopify-Access-Token': h.mocks.credentials.shopify.accessToken } });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { orders: unknown[] }).orders).toEqual([]);
  });

  it('refund amounts come from refund transactions (shipping and goodwill refunds included)', async () => {
    const cancelled = await h.shopify.orderByNumber(10222);
    expect(cancelled).toMatchObject({ financialStatus: 'refunded', fulfillmentStatus: null });
    expect(cancelled?.cancelledAt).toBe('2026-09-11T08:05:00-07:00');
    expect(cancelled?.refunds).toEqual([
      {
        createdAt: '2026-09-11T08:06:00-07:00',
        amount: 164.95,
        note: 'Cancelled before fulfilment at customer request.',
        lineItems: [
          { lineItemId: 15200400000219, quantity: 1 },
          { lineItemId: 15200400000236, quantity: 1 },
        ],
      },
    ]);
    // #10233: no refund_line_items at all, only an adjustment; the transaction says 15.45.
    const partial = await h.shopify.orderByNumber(10233);
    expect(partial?.financialStatus).toBe('partially_refunded');
    expect(partial?.refunds.map((r) => r.amount)).toEqual([15.45]);
    const defective = await h.shopify.orderByNumber(10229);
    expect(defective?.refunds.map((r) => r.amount)).toEqual([108.03]);
  });

  it('keeps the order lines’ ids and the lines each refund was for (refund_line_items line_item_id and quantity)', async () => {
    const defective = await h.shopify.orderByNumber(10229);
    expect(defective?.items.map((i) => [i.id, i.title])).toEqual([
      [15200400000253, 'Canopy Insulated Tumbler 16 oz - Moss'],
      [15200400000270, 'Canopy Insulated Tumbler 16 oz - Slate'],
      [15200400000287, 'Trueweight Digital Brew Scale with Timer'],
    ]);
    expect(defective?.refunds[0]?.lineItems).toEqual([
      { lineItemId: 15200400000253, quantity: 1 },
      { lineItemId: 15200400000270, quantity: 1 },
      { lineItemId: 15200400000287, quantity: 1 },
    ]);
    // #10233: a goodwill refund that names no line.
    expect((await h.shopify.orderByNumber(10233))?.refunds[0]).not.toHaveProperty('lineItems');
    // A refund line without a line item id names nothing; one without a quantity is one unit.
    const order = normalizeOrder({
      id: 1,
      line_items: [{ id: 11, title: 'Mug', quantity: 3, price: '10.00' }],
      refunds: [{ refund_line_items: [{ line_item_id: 11, quantity: 2 }, { quantity: 1 }, { line_item_id: 11 }, { line_item_id: 11, quantity: 0 }] }],
    });
    expect(order.items[0]?.id).toBe(11);
    expect(order.refunds[0]?.lineItems).toEqual([
      { lineItemId: 11, quantity: 2 },
      { lineItemId: 11, quantity: 1 },
    ]);
  });

  it('without transactions, a refund is its line items (with tax) plus adjustments', () => {
    expect(
      refundAmount({
        refund_line_items: [
          { subtotal: '119.00', total_tax: '0.00' },
          { subtotal: '18.00', total_tax: '1.50' },
        ],
        order_adjustments: [{ kind: 'shipping_refund', amount: '-27.95', tax_amount: '0.00' }],
      }),
    ).toBe(166.45);
    const order = normalizeOrder({ id: 1, name: '#1', shipping_lines: [{ price: '4.50' }, { price: '1.00' }] });
    expect(order.shipping).toBe(5.5);
    expect(order.orderNumber).toBe(1);
  });

  it('ordersByEmail returns every order of the customer, newest first', async () => {
    const orders = await h.shopify.ordersByEmail('olivia.bennett@example.com');
    expect(orders.map((o) => o.name)).toEqual(['#10271', '#10207']);
    expect(orders[0]).toMatchObject({ fulfillmentStatus: 'partial' });
    expect(orders[0]?.fulfillments[0]).toMatchObject({ carrier: 'UPS', shipmentStatus: 'in_transit' });
    expect(await h.shopify.ordersByEmail('nobody@example.com')).toEqual([]);
  });

  it('customer() and ordersByEmail() asked together search the customer once', async () => {
    const [customer, orders] = await Promise.all([h.shopify.customer('olivia.bennett@example.com'), h.shopify.ordersByEmail('Olivia.Bennett@example.com')]);
    expect(customer?.email).toBe('olivia.bennett@example.com');
    expect(orders.map((o) => o.name)).toEqual(['#10271', '#10207']);
    expect(requestsTo(h.mocks, 'shopify', '/customers/search.json')).toHaveLength(1);
    await h.shopify.customer('olivia.bennett@example.com'); // once answered, the next asks again
    expect(requestsTo(h.mocks, 'shopify', '/customers/search.json')).toHaveLength(2);
  });

  it('ordersByEmail never hands over other customers’ orders: GET /orders.json ignores an email filter', async () => {
    const res = await fetch(`${h.mocks.urls.shopify}/admin/api/2024-10/orders.json?email=ava.martinez%40example.net&status=any`, {
      headers: { 'x-shopify-access-token': h.mocks.credentials.shopify.accessToken },
    });
    const emails = new Set(((await res.json()) as { orders: { email: string }[] }).orders.map((o) => o.email));
    expect(emails.size).toBeGreaterThan(1); // what a client relying on the filter would have shown
    const orders = await h.shopify.ordersByEmail('Ava.Martinez@example.net');
    expect(orders.length).toBeGreaterThan(0);
    expect(new Set(orders.map((o) => o.email.toLowerCase()))).toEqual(new Set(['ava.martinez@example.net']));
  });

  it('customer(email) fills loyalty from metafields and auto-delivery from the tag', async () => {
    const olivia = await h.shopify.customer('Olivia.Bennett@example.com');
    expect(olivia).toMatchObject({
      id: 7391050001013,
      email: 'olivia.bennett@example.com',
      firstName: 'Olivia',
      lastName: 'Bennett',
      phone: '+15035550117',
      country: 'US',
      tags: ['auto-delivery', 'newsletter'],
      autoDelivery: true,
      loyalty: { points: 1240, tier: 'Silver' },
      language: 'en',
    });
    expect(olivia?.note).toMatch(/Paused on 2026-09-01/);

    const sofia = await h.shopify.customer('sofia.hernandez@example.com');
    expect(sofia).toMatchObject({ autoDelivery: false, country: 'MX', loyalty: { points: 1320, tier: 'Silver' }, language: 'es' });
    expect(sofia?.phone).toBeUndefined();

    // customerByEmail alone has no loyalty; the REST customer object carries no metafields.
    const plain = await h.shopify.customerByEmail('olivia.bennett@example.com');
    expect(plain?.loyalty).toBeUndefined();
    expect(await h.shopify.customer('nobody@example.com')).toBeNull();
  });

  it('customerMetafields returns the loyalty namespace; state changes show up', async () => {
    const metafields = await h.shopify.customerMetafields(7391050001013, 'loyalty');
    expect(metafields.map((m) => [m.key, m.value, m.type])).toEqual([
      ['points', '1240', 'number_integer'],
      ['tier', 'Silver', 'single_line_text_field'],
    ]);
    h.mocks.state.setMetafield('olivia.bennett@example.com', 'loyalty', 'points', '2600');
    h.mocks.state.setMetafield('olivia.bennett@example.com', 'loyalty', 'tier', 'Gold');
    expect((await h.shopify.customer('olivia.bennett@example.com'))?.loyalty).toEqual({ points: 2600, tier: 'Gold' });
  });

  it('normalises products: variants, prices, stock, plain-text description', async () => {
    const grinder = await h.shopify.product(8203141000103);
    expect(grinder).toMatchObject({
      title: 'Summit Hand Grinder',
      handle: 'summit-hand-grinder',
      type: 'Grinders',
      vendor: 'Cinderfell',
      status: 'active',
      tags: ['grinder', 'manual', 'burr', 'travel', 'espresso-capable'],
    });
    expect(grinder?.variants).toEqual([
      { id: 44120300001011, title: 'Graphite', price: 89, sku: 'CF-GRD-SUM-GRA', inventory: 34 },
      { id: 44120300001022, title: 'Sandstone', price: 89, sku: 'CF-GRD-SUM-SND', inventory: 12 },
    ]);
    expect(grinder?.description).toMatch(/^A hand grinder built for the trail/);
    expect(grinder?.description).toContain('\n- Holds up to 30 g of beans');
    expect(grinder?.description).not.toMatch(/<[a-z]/);

    const kettle = await h.shopify.product(8203141000124);
    expect(kettle?.variants.map((v) => [v.title, v.price, v.inventory])).toEqual([
      ['Matte Black', 139, 9],
      ['Birch White', 139, 0],
    ]);
    expect(await h.shopify.product(1)).toBeNull();
  });

  it('listProducts follows Link rel="next" through every page', async () => {
    h.mocks.state.settings.shopifyMaxLimit = 5;
    const products = await h.shopify.listProducts();
    expect(products).toHaveLength(28);
    expect(new Set(products.map((p) => p.id)).size).toBe(28);
    expect(products.filter((p) => p.status === 'archived').map((p) => p.title)).toEqual([
      'Trailhead Aluminum Percolator (discontinued)',
    ]);
    const pages = requestsTo(h.mocks, 'shopify', '/products.json');
    expect(pages).toHaveLength(6);
    expect(pages[0]?.query).toEqual({ limit: '250' });
    for (const page of pages.slice(1)) expect(Object.keys(page.query).sort()).toEqual(['limit', 'page_info']);

    const active = await h.shopify.listProducts({ status: 'active' });
    expect(active).toHaveLength(27);
  });

  it('the mock rejects page_info combined with filters, as Shopify does', async () => {
    h.mocks.state.settings.shopifyMaxLimit = 5;
    const headers = { 'X-Shopify-Access-Token': h.mocks.credentials.shopify.accessToken };
    const first = await fetch(`${h.mocks.urls.shopify}/admin/api/2024-10/products.json?limit=5`, { headers });
    const next = /<([^>]+)>; rel="next"/.exec(first.headers.get('link') ?? '')?.[1];
    expect(next).toMatch(/page_info=/);
    const mixed = await fetch(`${next}&status=active`, { headers });
    expect(mixed.status).toBe(400);
  });

  it('a wrong token surfaces as IntegrationError(401) without the token in the message', async () => {
    const token = 'shpat_wrong_secret_123456';
    const client = new ShopifyClient({ baseUrl: h.mocks.urls.shopify, accessToken: token });
    const error = await client.orderByNumber(10252).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(IntegrationError);
    expect(error).toMatchObject({ service: 'shopify', status: 401, code: 'http', attempts: 1 });
    const message = (error as Error).message;
    expect(message).toContain('401');
    expect(message).toContain('Invalid API key or access token');
    expect(message).not.toContain(token);
    expect(JSON.stringify(error)).not.toContain(token);
    expect(requestsTo(h.mocks, 'shopify')).toHaveLength(1); // 401 is not retried
  });
});

describe('mocks with acceptWellFormedCredentials (a stand-in for the real provider, which accepts every token it issued)', () => {
  const ordersPath = '/admin/api/2024-10/orders.json?name=%2310252&status=any';
  const shopifyStatus = async (baseUrl: string, token: string) =>
    (await fetch(`${baseUrl}${ordersPath}`, { headers: { 'X-Shopify-Access-Token': token } })).status;

  it('on: a different well-formed Shopify token gets 200 (real client too); a malformed one and none get 401', async () => {
    const mocks = await startMockServers({ dataDir: DEMO_SHOP, settings: { acceptWellFormedCredentials: true } });
    try {
      const rotated = `shpat_${randomBytes(16).toString('hex')}`;
      expect(rotated).not.toBe(mocks.credentials.shopify.accessToken);
      expect(await shopifyStatus(mocks.urls.shopify, rotated)).toBe(200);
      expect(await shopifyStatus(mocks.urls.shopify, mocks.credentials.shopify.accessToken)).toBe(200);
      expect(await shopifyStatus(mocks.urls.shopify, 'shpat_oops')).toBe(401);
      expect((await fetch(`${mocks.urls.shopify}${ordersPath}`)).status).toBe(401);
      const client = new ShopifyClient({ baseUrl: mocks.urls.shopify, accessToken: rotated });
      expect((await client.orderByNumber(10252))?.name).toBe('#10252');
    } finally {
      await mocks.close();
    }
  });

  it('off (the default): a different well-formed Shopify token gets 401, only the configured one works', async () => {
    expect(h.mocks.state.settings.acceptWellFormedCredentials).toBe(false);
    expect(await shopifyStatus(h.mocks.urls.shopify, `shpat_${randomBytes(16).toString('hex')}`)).toBe(401);
    expect(await shopifyStatus(h.mocks.urls.shopify, h.mocks.credentials.shopify.accessToken)).toBe(200);
  });

  it('Zendesk, Mailchimp and GA4 follow the setting too', async () => {
    const mocks = await startMockServers({ dataDir: DEMO_SHOP });
    try {
      const { urls, credentials, state } = mocks;
      const zendesk = async (token: string) =>
        (await fetch(`${urls.zendesk}/api/v2/tickets.json`, { headers: { Authorization: basicAuth(`${credentials.zendesk.email}/token`, token) } }))
          .status;
      const mailchimp = async (key: string) =>
        (await fetch(`${urls.mailchimp}/3.0/ping`, { headers: { Authorization: basicAuth('anystring', key) } })).status;
      const ga4 = async (secret: string) => {
        const url = `${urls.ga4}/debug/mp/collect?measurement_id=${credentials.ga4.measurementId}&api_secret=${encodeURIComponent(secret)}`;
        const res = await fetch(url, { method: 'POST', body: JSON.stringify({ client_id: 'c1', events: [{ name: 'page_view', params: {} }] }) });
        const body = (await res.json()) as { validationMessages: { fieldPath: string }[] };
        return body.validationMessages.some((m) => m.fieldPath === 'api_secret') ? 'refused' : 'accepted';
      };
      const zendeskToken = randomBytes(30).toString('base64').replace(/[^A-Za-z0-9]/g, 'x').slice(0, 40);
      const mailchimpKey = `${randomBytes(16).toString('hex')}-us21`;
      const ga4Secret = randomBytes(16).toString('base64url').slice(0, 22);

      expect([await zendesk(zendeskToken), await mailchimp(mailchimpKey), await ga4(ga4Secret)]).toEqual([401, 401, 'refused']);
      state.settings.acceptWellFormedCredentials = true;
      expect([await zendesk(zendeskToken), await mailchimp(mailchimpKey), await ga4(ga4Secret)]).toEqual([200, 200, 'accepted']);
      expect([await zendesk('too-short'), await mailchimp('0123-us21'), await ga4('nope')]).toEqual([401, 401, 'refused']);
      expect([
        await zendesk(credentials.zendesk.apiToken),
        await mailchimp(credentials.mailchimp.apiKey),
        await ga4(credentials.ga4.apiSecret),
      ]).toEqual([200, 200, 'accepted']);
    } finally {
      await mocks.close();
    }
  });
});
