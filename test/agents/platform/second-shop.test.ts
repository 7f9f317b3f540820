// Another shop's data folder in the documented layout is served with no code change.
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chat, demoPlatform } from './helpers.js';

let dir: string;
let p: Awaited<ReturnType<typeof demoPlatform>>;

async function write(file: string, value: unknown): Promise<void> {
  await mkdir(path.dirname(path.join(dir, file)), { recursive: true });
  await writeFile(path.join(dir, file), typeof value === 'string' ? value : JSON.stringify(value, null, 2));
}

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'mac-second-shop-'));
  await write('shop.json', {
    name: 'Tidewater Tea Co.',
    currency: 'USD',
    supportEmail: 'hello@tidewater.example.org',
    policy: {
      returnWindowDays: 14,
      autoApproveReturnLimit: 80,
      freeShippingThreshold: 40,
      loyalty: { pointsPerDollar: 2, redeemPoints: 200, redeemValue: 5, tiers: [{ name: 'Leaf', minPoints: 0 }, { name: 'Pearl', minPoints: 800 }] },
      giftCards: { min: 5, max: 200 },
    },
  });
  await write('shopify/products.json', {
    products: [
      {
        id: 101,
        title: 'Tidal Sencha',
        body_html: '<p>Steamed green tea from Shizuoka.</p>',
        vendor: 'Tidewater',
        product_type: 'Tea',
        handle: 'tidal-sencha',
        tags: 'tea, green',
        status: 'active',
        variants: [{ id: 1001, product_id: 101, title: '50 g', price: '11.50', sku: 'TW-SEN', inventory_quantity: 7 }],
      },
    ],
  });
  await write('shopify/customers.json', {
    customers: [
      {
        id: 501,
        email: 'ines.duarte@example.org',
        first_name: 'Inês',
        last_name: 'Duarte',
        phone: null,
        tags: '',
        default_address: { country_code: 'PT' },
        metafields: [
          { namespace: 'loyalty', key: 'points', value: '930', type: 'number_integer' },
          { namespace: 'loyalty', key: 'tier', value: 'Pearl', type: 'single_line_text_field' },
        ],
      },
    ],
  });
  await write('shopify/orders.json', {
    orders: [
      {
        id: 9001,
        name: '#5001',
        order_number: 5001,
        email: 'ines.duarte@example.org',
        customer: { id: 501 },
        created_at: '2026-11-20T10:00:00+00:00',
        cancelled_at: null,
        financial_status: 'paid',
        fulfillment_status: 'fulfilled',
        currency: 'USD',
        subtotal_price: '23.00',
        total_tax: '0.00',
        total_price: '23.00',
        shipping_lines: [{ title: 'Free', price: '0.00' }],
        line_items: [{ id: 1, product_id: 101, variant_id: 1001, title: 'Tidal Sencha', quantity: 2, price: '11.50', sku: 'TW-SEN' }],
        fulfillments: [
          { id: 77, status: 'success', tracking_company: 'UPS', tracking_number: '1ZTIDEWATER0001', shipment_status: 'in_transit', created_at: '2026-11-21T10:00:00+00:00' },
        ],
        refunds: [],
      },
    ],
  });
  await write('zendesk/tickets.json', { tickets: [] });
  await write('zendesk/users.json', { users: [] });
  await write('kb/returns.md', '# Returns\n\n## Window\n\nUnopened tea can be returned within 14 days of delivery.\n');
  p = await demoPlatform({ dataDir: dir });
});

afterAll(async () => {
  await p.cleanup();
  await rm(dir, { recursive: true, force: true });
});

describe('another shop', () => {
  it('answers from its own data and policy', async () => {
    const order = await chat(p.url, { message: 'Where is my order #5001?', customer_email: 'ines.duarte@example.org' });
    expect(order.json.response).toContain('1ZTIDEWATER0001');
    const loyalty = await chat(p.url, { message: 'How many loyalty points do I have?', customer_email: 'ines.duarte@example.org' });
    expect(loyalty.json.response).toContain('Pearl');
    const returns = await chat(p.url, { message: 'How many days do I have to return something?' });
    expect(returns.json.response).toContain('14');
    expect(returns.json.response).not.toContain('30');
  });
});
