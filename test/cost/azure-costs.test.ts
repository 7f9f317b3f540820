// src/cost/azure-costs.ts against the HTTPS Azure fake: the Cost Management ServiceClient (query + forecast, nextLink
// pages), @azure/arm-consumption (budgets, usage details), the retry policy's headers, and the pure report model.
import { ClientSecretCredential } from '@azure/identity';
import { ConsumptionManagementClient } from '@azure/arm-consumption';
import { createHttpHeaders, createPipelineRequest, type PipelineResponse } from '@azure/core-rest-pipeline';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { environmentSchema, type AzureEnvironmentConfig } from '../../src/config/schema.js';
import {
  buildAzureReport,
  cacheFile,
  fetchMonthCosts,
  listUsageDetails,
  readBudget,
  readCache,
  retryAfterMs,
  seedService,
  UnsupportedOfferError,
  writeCache,
  type MonthCosts,
} from '../../src/cost/azure-costs.js';
import { blockNonLoopback, type NetworkGuard } from '../setup/no-network.js';
import { costs, seedBudget, seedMonth, throttle } from '../fakes/azure/cost.js';
import { on, startAzureFake, type AzureFake } from '../fakes/azure/server.js';
import { tempDir } from '../helpers/cli.js';

let fake: AzureFake;
let guard: NetworkGuard;
let credential: ClientSecretCredential;
let config: AzureEnvironmentConfig;
const now = new Date('2026-11-26T00:00:00Z');

beforeAll(async () => {
  guard = blockNonLoopback();
  fake = await startAzureFake();
  credential = new ClientSecretCredential(fake.tenantId, fake.clientId, fake.clientSecret, { authorityHost: fake.url, disableInstanceDiscovery: true });
  config = environmentSchema.parse({ target: 'azure', subscription: fake.subscriptionId, cloud: { armEndpoint: fake.url, authorityHost: fake.url } }) as AzureEnvironmentConfig;
});
afterAll(async () => {
  await fake?.close();
  guard?.restore();
});
beforeEach(() => {
  fake.reset();
  const c = costs(fake);
  c.budgets.clear();
  c.unsupportedOffers.clear();
  c.pageSize = 100;
  seedMonth(fake, { month: '2026-11', today: '2026-11-26' });
});

function response(headers: Record<string, string>, status = 429): PipelineResponse {
  return { status, headers: createHttpHeaders(headers), request: createPipelineRequest({ url: 'https://x' }) };
}

describe('retryAfterMs', () => {
  it('reads the QPU header first, then Retry-After in seconds or as an HTTP date', () => {
    expect(retryAfterMs(response({ 'x-ms-ratelimit-microsoft.costmanagement-qpu-retry-after': '3', 'retry-after': '9' }))).toBe(3000);
    expect(retryAfterMs(response({ 'retry-after': '2' }))).toBe(2000);
    expect(retryAfterMs(response({ 'retry-after': new Date(10_000).toUTCString() }), 4000)).toBe(6000);
    expect(retryAfterMs(response({}))).toBeUndefined();
  });
});

describe('fetchMonthCosts', () => {
  it('sums the daily ServiceName rows over every page, and takes the forecast rows only', async () => {
    costs(fake).pageSize = 40;
    seedBudget(fake, 'b', { category: 'Cost', amount: 360, timeGrain: 'Monthly', timePeriod: { startDate: '2026-11-01T00:00:00Z' } });
    const m = await fetchMonthCosts({ config, credential, month: '2026-11', now, budgetName: 'b' });
    expect(m.daily).toHaveLength(250);
    expect(fake.requests.filter((r) => /query$/i.test(r.path))).toHaveLength(7);
    expect(Math.round(m.daily.reduce((s, r) => s + r.costUsd, 0) * 100) / 100).toBe(300);
    expect(m.daily[0]).toEqual({ azureService: 'Container Instances', date: '2026-11-01', costUsd: 1.2 });
    expect(m.forecastUsd).toBe(60);
    expect(m.budget).toEqual({ name: 'b', exists: true, amountUsd: 360, currentSpendUsd: 300, forecastSpendUsd: 360, timeGrain: 'Monthly' });
    expect(m).toMatchObject({ scope: `/subscriptions/${fake.subscriptionId}`, currency: 'USD', asOf: now.toISOString() });
  });

  it('a past month: the whole month, no forecast request', async () => {
    const m = await fetchMonthCosts({ config, credential, month: '2026-10', now, budgetName: 'missing' });
    expect(m.daily).toEqual([]);
    expect(m.forecastUsd).toBe(0);
    expect(m.budget).toEqual({ name: 'missing', exists: false });
    expect(fake.requests.some((r) => /forecast$/i.test(r.path))).toBe(false);
    expect(JSON.parse(fake.requests.find((r) => /query$/i.test(r.path))!.body!)).toMatchObject({ timePeriod: { from: '2026-10-01T00:00:00Z', to: '2026-10-31T23:59:59Z' } });
  });

  it('an unsupported offer becomes UnsupportedOfferError (exit 4) naming the offer', async () => {
    costs(fake).unsupportedOffers.set(fake.subscriptionId.toLowerCase(), 'MS-AZR-0036P');
    const err = await fetchMonthCosts({ config, credential, month: '2026-11', now, budgetName: 'b' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UnsupportedOfferError);
    expect((err as UnsupportedOfferError).exitCode).toBe(4);
    expect((err as Error).message).toMatch(/its offer \(MS-AZR-0036P\) is not one Cost Management supports/);
    expect((err as UnsupportedOfferError).suggestion).toMatch(/mac cost estimate/);
  });

  it('a throttled budget read (QPU header) is retried by the consumption client too', async () => {
    seedBudget(fake, 'b', { category: 'Cost', amount: 100, timeGrain: 'Monthly', timePeriod: { startDate: '2026-11-01T00:00:00Z' } });
    fake.faults.push({ match: on('GET', /budgets\/b$/i), status: 429, headers: { 'x-ms-ratelimit-microsoft.costmanagement-qpu-retry-after': '0' } });
    const b = await readBudget(credential, config, 'b');
    expect(b.amountUsd).toBe(100);
    expect(fake.requests.filter((r) => /budgets\/b$/i.test(r.path)).map((r) => r.status)).toEqual([429, 200]);
  });

  it('a delay longer than the cap is not waited for: the 429 surfaces', async () => {
    throttle(fake, { header: 'qpu', seconds: 3600 });
    const err = await fetchMonthCosts({ config, credential, month: '2026-11', now, budgetName: 'b', retry: { maxRetryDelayInMs: 1000 } }).catch((e: unknown) => e as Error);
    expect(err).toBeInstanceOf(Error);
    expect(String((err as Error).message)).toMatch(/Too many requests/);
    expect(fake.requests.filter((r) => /query$/i.test(r.path))).toHaveLength(1);
  });
});

describe('@azure/arm-consumption', () => {
  it('puts `//` in the path when the scope starts with `/` (why mac passes subscriptions/<id>)', async () => {
    fake.route('GET', /\/budgets\/x$/i, () => ({ status: 404, body: { error: { code: 'NotFound', message: 'no' } } }), 'quirk probe');
    const client = new ConsumptionManagementClient(credential, fake.subscriptionId, { endpoint: fake.url });
    await client.budgets.get(`/subscriptions/${fake.subscriptionId}`, 'x').catch(() => undefined);
    // The request line is `GET //subscriptions/<id>/providers/…`: read as a protocol-relative reference (host
    // "subscriptions"), so the path left is `/<id>/providers/…` — ARM would not find the subscription either.
    expect(fake.requests.at(-1)?.path).toBe(`/${fake.subscriptionId}/providers/Microsoft.Consumption/budgets/x`);
    await client.budgets.get(`subscriptions/${fake.subscriptionId}`, 'x').catch(() => undefined);
    expect(fake.requests.at(-1)?.path).toBe(`/subscriptions/${fake.subscriptionId}/providers/Microsoft.Consumption/budgets/x`);
  });

  it('usage details: every nextLink page', async () => {
    const rows = await listUsageDetails(credential, config);
    expect(rows).toHaveLength(250);
    expect(fake.requests.filter((r) => /usageDetails$/i.test(r.path)).map((r) => r.query.$skiptoken ?? '')).toEqual(['', '100', '200']);
    expect(Math.round(rows.reduce((s, r) => s + r.costUsd, 0) * 100) / 100).toBe(300);
  });
});

describe('the report model and cache', () => {
  const month: MonthCosts = {
    scope: '/subscriptions/s',
    month: '2026-11',
    fetchedAt: now.toISOString(),
    asOf: '2026-11-16T00:00:00.000Z',
    currency: 'USD',
    daily: [
      { azureService: 'Container Instances', date: '2026-11-01', costUsd: 10 },
      { azureService: 'Azure DNS', date: '2026-11-02', costUsd: 0.5 },
    ],
    forecastUsd: 15,
    budget: { name: 'b', exists: false },
  };

  it('maps Azure service names to the seed rows; unknown ones go to Other with a note', () => {
    expect(seedService('Cognitive Services')).toBe('Azure OpenAI');
    expect(seedService('Azure Front Door Service')).toBe('Blob Storage + CDN');
    expect(seedService('Azure DNS')).toBe('Other');
    const r = buildAzureReport({ environment: 'prod', config, costs: month, spans: [], now });
    expect(r.services.at(-1)).toMatchObject({ service: 'Other', actualUsd: 0.5, azureServices: ['Azure DNS'] });
    expect(r.services.find((s) => s.service === 'Container Instances')).toMatchObject({ actualUsd: 10, runRateUsd: 20 });
    expect([r.actualUsd, r.forecastUsd, r.projectedUsd, r.elapsedFraction]).toEqual([10.5, 15, 25.5, 0.5]);
    expect(r.thresholds.map((t) => [t.fired, t.willFire])).toEqual([[false, false], [false, false]]);
    expect(r.notes.join('\n')).toMatch(/Not in the seed's budget table: Azure DNS \$0\.50/);
  });

  it('the cache is fresh for 4 h, keyed by scope and month', async () => {
    const { dir, cleanup } = await tempDir('mac-cost-cache-');
    try {
      const file = cacheFile(dir, month.scope, month.month);
      expect(cacheFile(dir, month.scope, '2026-10')).not.toBe(file);
      await writeCache(file, month);
      expect(await readCache(file, new Date(now.getTime() + 3_600_000))).toEqual(month);
      expect(await readCache(file, new Date(now.getTime() + 4 * 3_600_000))).toBeUndefined();
    } finally {
      await cleanup();
    }
  });
});
