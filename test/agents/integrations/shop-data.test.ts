import { cpSync, mkdtempSync, rmSync, writeFileSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadDataFolder, loadShop, ShopDataError } from '../../../src/agents/integrations/shop-data.js';
import { DEMO_SHOP } from './helpers.js';

const temps: string[] = [];
afterEach(() => {
  for (const dir of temps.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A copy of the demo shop's data files (not the KB) that a test may break. */
function demoCopy(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'mac-shopdata-'));
  temps.push(dir);
  for (const file of ['shop.json', 'shopify', 'zendesk', 'mailchimp']) {
    cpSync(path.join(DEMO_SHOP, file), path.join(dir, file), { recursive: true });
  }
  return dir;
}

function edit(dir: string, file: string, change: (json: any) => void): void {
  const full = path.join(dir, file);
  const json = JSON.parse(readFileSync(full, 'utf8'));
  change(json);
  writeFileSync(full, JSON.stringify(json));
}

function errorOf(fn: () => unknown): ShopDataError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(ShopDataError);
    return error as ShopDataError;
  }
  throw new Error('expected a ShopDataError');
}

describe('loadShop', () => {
  it('reads the demo shop policy', () => {
    expect(loadShop(DEMO_SHOP)).toEqual({
      name: 'Cinderfell Outfitters',
      currency: 'USD',
      supportEmail: 'support@cinderfell.example.com',
      supportPhone: '+15095550142',
      timeZone: 'America/Los_Angeles',
      policy: {
        returnWindowDays: 30,
        autoApproveReturnLimit: 150,
        freeShippingThreshold: 75,
        loyalty: {
          pointsPerDollar: 1,
          redeemPoints: 500,
          redeemValue: 10,
          tiers: [
            { name: 'Bronze', minPoints: 0 },
            { name: 'Silver', minPoints: 1000 },
            { name: 'Gold', minPoints: 2500 },
          ],
        },
        giftCards: { min: 10, max: 500 },
      },
    });
  });

  it('merges policy overrides deeply (arrays replace)', () => {
    const shop = loadShop(DEMO_SHOP, {
      returnWindowDays: 60,
      loyalty: { pointsPerDollar: 2, tiers: [{ name: 'Member', minPoints: 0 }] },
    });
    expect(shop.policy.returnWindowDays).toBe(60);
    expect(shop.policy.autoApproveReturnLimit).toBe(150);
    expect(shop.policy.loyalty).toEqual({ pointsPerDollar: 2, redeemPoints: 500, redeemValue: 10, tiers: [{ name: 'Member', minPoints: 0 }] });
  });

  it('names the file and the field of a malformed value', () => {
    const dir = demoCopy();
    edit(dir, 'shop.json', (shop) => {
      shop.policy.returnWindowDays = '30';
    });
    const error = errorOf(() => loadShop(dir));
    expect(error.file).toBe('shop.json');
    expect(error.field).toBe('policy.returnWindowDays');
    expect(error.message).toMatch(/^shop\.json: policy\.returnWindowDays: .*expected number/);
  });

  it('names a time zone it does not know', () => {
    const dir = demoCopy();
    edit(dir, 'shop.json', (shop) => {
      shop.timezone = 'Pacific Time';
    });
    expect(errorOf(() => loadShop(dir)).message).toMatch(/^shop\.json: timezone: expected an IANA time zone such as "America\/Los_Angeles"/);
  });

  it('names a missing field, and cross-field problems', () => {
    const dir = demoCopy();
    edit(dir, 'shop.json', (shop) => {
      delete shop.policy.loyalty.tiers;
      shop.policy.giftCards = { min: 600, max: 500 };
    });
    const error = errorOf(() => loadShop(dir));
    expect(error.message).toContain('policy.loyalty.tiers');
    expect(error.issues.map((i) => i.field)).toContain('policy.giftCards.min');
  });

  it('blames the overrides when an override is invalid', () => {
    const error = errorOf(() => loadShop(DEMO_SHOP, { freeShippingThreshold: -5 }));
    expect(error.file).toBe('policy overrides');
    expect(error.field).toBe('policy.freeShippingThreshold');
  });

  it('reports a missing shop.json and invalid JSON by file name', () => {
    const dir = demoCopy();
    rmSync(path.join(dir, 'shop.json'));
    expect(errorOf(() => loadShop(dir)).message).toMatch(/^shop\.json: file not found in /);
    writeFileSync(path.join(dir, 'shop.json'), '{"name": "x",');
    expect(errorOf(() => loadShop(dir)).message).toMatch(/^shop\.json: invalid JSON/);
  });
});

describe('loadDataFolder', () => {
  it('reads every service export of the demo shop', () => {
    const data = loadDataFolder(DEMO_SHOP);
    expect(data.shopify.products).toHaveLength(28);
    expect(data.shopify.customers).toHaveLength(16);
    expect(data.shopify.orders).toHaveLength(22);
    expect(data.zendesk.tickets).toHaveLength(14);
    expect(data.zendesk.users).toHaveLength(20);
    expect(data.mailchimp.lists.map((l) => l.members.length)).toEqual([10, 3]);
  });

  it('names file, field and record of a malformed order', () => {
    const dir = demoCopy();
    edit(dir, 'shopify/orders.json', (json) => {
      json.orders[2].line_items[1].price = 18;
    });
    const error = errorOf(() => loadDataFolder(dir));
    expect(error.file).toBe('shopify/orders.json');
    expect(error.field).toBe('orders[2].line_items[1].price (#10215)');
    expect(error.message).toMatch(/^shopify\/orders\.json: orders\[2\]\.line_items\[1\]\.price \(#10215\): .*expected string/);
  });

  it('names a missing required field in a customer', () => {
    const dir = demoCopy();
    edit(dir, 'shopify/customers.json', (json) => {
      delete json.customers[0].id;
    });
    expect(errorOf(() => loadDataFolder(dir)).message).toMatch(/^shopify\/customers\.json: customers\[0\]\.id \(olivia\.bennett@example\.com\)/);
  });

  it('rejects duplicate ids', () => {
    const dir = demoCopy();
    edit(dir, 'zendesk/tickets.json', (json) => {
      json.tickets[3].id = json.tickets[0].id;
    });
    expect(errorOf(() => loadDataFolder(dir)).message).toBe(
      'zendesk/tickets.json: tickets[3].id: duplicate id 5101 (also tickets[0])',
    );
  });

  it('treats optional files as empty and required ones as errors', () => {
    const dir = demoCopy();
    rmSync(path.join(dir, 'mailchimp'), { recursive: true });
    rmSync(path.join(dir, 'zendesk', 'users.json'));
    const data = loadDataFolder(dir);
    expect(data.mailchimp.lists).toEqual([]);
    expect(data.zendesk.users).toEqual([]);
    expect(data.zendesk.tickets).toHaveLength(14);

    rmSync(path.join(dir, 'shopify', 'products.json'));
    expect(errorOf(() => loadDataFolder(dir)).message).toMatch(/^shopify\/products\.json: file not found/);
    expect(errorOf(() => loadDataFolder(path.join(dir, 'missing'))).message).toMatch(/data folder not found/);
  });
});
