// Cost Management (query, forecast) and Consumption (budgets, usage details) as the SDK and `mac cost` see them.
// Shapes follow the REST examples in Azure/azure-rest-api-specs:
//   specification/cost-management/.../stable/2023-11-01/examples/BillingAccountQueryGrouping.json — POST
//     {scope}/providers/Microsoft.CostManagement/query: `properties.columns` [{name, type}] + `properties.rows` (one array
//     per row, in column order), `properties.nextLink` to POST the same body to for the next page;
//   .../examples/BillingAccountForecast.json — POST {scope}/providers/Microsoft.CostManagement/forecast: rows
//     [cost, UsageDate (yyyymmdd number), CostStatus "Forecast"|"Actual", Currency];
//   specification/consumption/.../CreateOrUpdateBudget.json / Budget.json — PUT/GET
//     {scope}/providers/Microsoft.Consumption/budgets/{name}: `properties.amount|timeGrain|timePeriod|notifications`
//     and the read-only `currentSpend`/`forecastSpend` ({amount, unit}); `eTag` for optimistic concurrency;
//   .../UsageDetailsList.json — GET {scope}/providers/Microsoft.Consumption/usageDetails: `{value, nextLink}` of legacy
//     usage details ({kind: "legacy", properties: {date, cost, consumedService, meterDetails…}}).
//
// Faults: `throttle(fake, …)` answers 429 with `x-ms-ratelimit-microsoft.costmanagement-qpu-retry-after` (what Cost
// Management sends when the query quota is spent) or `Retry-After`; `costs(fake).unsupportedOffers` marks a
// subscription whose offer Cost Management does not cover, answered as Azure does (mivano/azure-cost-cli#24):
//   400 {"error":{"code":"400","message":"Cost Management supports only Enterprise Agreement, Web direct and Microsoft
//   Customer Agreement offer types. offerId: MS-AZR-0036P is associated with offerType: None (Request ID: …)"}}
import { randomUUID } from 'node:crypto';
import type { AzureFake, FakeRequest, FakeResponse, Route } from './server.js';
import { on } from './server.js';
import { armRoute, SUBSCRIPTION } from './arm.js';
import { armError, json } from './respond.js';

/** One day of one service's cost (what a ServiceName-grouped daily query row carries). */
export interface DailyCost {
  /** YYYY-MM-DD */
  date: string;
  service: string;
  cost: number;
  meter?: string;
}

export interface FakeBudget {
  id: string;
  name: string;
  type: 'Microsoft.Consumption/budgets';
  eTag: string;
  properties: {
    category: string;
    amount: number;
    timeGrain: string;
    timePeriod: { startDate: string; endDate?: string };
    notifications?: Record<string, unknown>;
    filter?: unknown;
    currentSpend?: { amount: number; unit: string };
    forecastSpend?: { amount: number; unit: string };
  };
}

export interface CostFake {
  /** Actual daily cost by lower-case subscription id. */
  actual: Map<string, DailyCost[]>;
  /** Forecast daily totals (service '' ) by lower-case subscription id. */
  forecast: Map<string, DailyCost[]>;
  /** Budgets by `<lower-case subscription id>/<lower-case name>`. */
  budgets: Map<string, FakeBudget>;
  /** Subscriptions (lower-case id) whose offer Cost Management does not support → the offer id. */
  unsupportedOffers: Map<string, string>;
  /** Rows per page of query results and usage details. */
  pageSize: number;
  /** Every body PUT to a budget, in order. */
  budgetPuts: { name: string; body: unknown }[];
}

const states = new WeakMap<AzureFake, CostFake>();

export function costs(fake: AzureFake): CostFake {
  let s = states.get(fake);
  if (!s) {
    s = { actual: new Map(), forecast: new Map(), budgets: new Map(), unsupportedOffers: new Map(), pageSize: 100, budgetPuts: [] };
    states.set(fake, s);
  }
  return s;
}

export const COST_QUERY_PATH = /\/providers\/Microsoft\.CostManagement\/query$/i;
export const COST_FORECAST_PATH = /\/providers\/Microsoft\.CostManagement\/forecast$/i;

/** The next `times` cost queries answer 429, with the QPU header (Cost Management's own) or Retry-After. */
export function throttle(fake: AzureFake, o: { header: 'qpu' | 'retry-after'; seconds: number; times?: number; path?: RegExp }): void {
  const name = o.header === 'qpu' ? 'x-ms-ratelimit-microsoft.costmanagement-qpu-retry-after' : 'Retry-After';
  fake.faults.push({
    match: on('POST', o.path ?? COST_QUERY_PATH),
    status: 429,
    headers: { [name]: String(o.seconds) },
    body: { error: { code: '429', message: 'Too many requests. Please retry.' } },
    times: o.times ?? 1,
  });
}

// ---- fixtures ----

/**
 * A month of this platform's spend by Azure ServiceName, in whole cents per day, so every total is exact: $12.00 a
 * day, $360 over a 30-day month — the seed's lines (Container Instances ~$36, Azure OpenAI ~$90, Cosmos DB ~$45, …).
 */
export const DAILY_FIXTURE: readonly { service: string; meter: string; cost: number }[] = [
  { service: 'Container Instances', meter: 'Standard vCPU Duration', cost: 1.2 },
  { service: 'Cognitive Services', meter: 'gpt-4o Output Tokens', cost: 3.0 },
  { service: 'Azure Cosmos DB', meter: '1M RUs', cost: 1.5 },
  { service: 'Key Vault', meter: 'Operations', cost: 0.1 },
  { service: 'Storage', meter: 'Hot LRS Data Stored', cost: 0.2 },
  { service: 'Azure Front Door Service', meter: 'Standard Base Fees', cost: 1.3 },
  { service: 'Log Analytics', meter: 'Analytics Logs Data Ingestion', cost: 0.8 },
  { service: 'Application Gateway', meter: 'Standard Fixed Cost', cost: 3.3 },
  { service: 'Virtual Network', meter: 'Standard Private Endpoint', cost: 0.5 },
  { service: 'Bandwidth', meter: 'Standard Data Transfer Out', cost: 0.1 },
];

/**
 * Seeds a month for a subscription: actual rows from the 1st up to (not including) `today`, forecast rows (daily
 * totals) from `today` to the month's end, and — when `budget` is given — a budget whose currentSpend/forecastSpend
 * agree with them.
 */
export function seedMonth(
  fake: AzureFake,
  o: { subscriptionId?: string; month: string; today: string; daily?: readonly { service: string; meter: string; cost: number }[] },
): { actual: number; forecast: number } {
  const sub = (o.subscriptionId ?? fake.subscriptionId).toLowerCase();
  const daily = o.daily ?? DAILY_FIXTURE;
  const [y, m] = o.month.split('-').map(Number) as [number, number];
  const days = new Date(Date.UTC(y, m, 0)).getUTCDate();
  const actual: DailyCost[] = [];
  const forecast: DailyCost[] = [];
  const perDay = cents(daily.reduce((s, d) => s + d.cost, 0));
  for (let d = 1; d <= days; d++) {
    const date = `${o.month}-${String(d).padStart(2, '0')}`;
    if (date < o.today) for (const row of daily) actual.push({ date, service: row.service, cost: row.cost, meter: row.meter });
    else forecast.push({ date, service: '', cost: perDay });
  }
  const s = costs(fake);
  s.actual.set(sub, actual);
  s.forecast.set(sub, forecast);
  return { actual: cents(actual.reduce((t, r) => t + r.cost, 0)), forecast: cents(forecast.reduce((t, r) => t + r.cost, 0)) };
}

/** Seeds a budget (e.g. one Terraform made) without going through PUT. */
export function seedBudget(fake: AzureFake, name: string, properties: FakeBudget['properties'], subscriptionId = fake.subscriptionId): FakeBudget {
  const budget: FakeBudget = {
    id: `/subscriptions/${subscriptionId}/providers/Microsoft.Consumption/budgets/${name}`,
    name,
    type: 'Microsoft.Consumption/budgets',
    eTag: `"${randomUUID().replace(/-/g, '').slice(0, 15)}"`,
    properties,
  };
  costs(fake).budgets.set(`${subscriptionId.toLowerCase()}/${name.toLowerCase()}`, budget);
  return budget;
}

// ---- routes ----

export function registerCost(fake: AzureFake, register: (route: Route) => void): void {
  const s = costs(fake);
  const unsupported = (subscriptionId: string): FakeResponse | undefined => {
    const offer = s.unsupportedOffers.get(subscriptionId.toLowerCase());
    if (!offer) return undefined;
    return armError(
      400,
      '400',
      `Cost Management supports only Enterprise Agreement, Web direct and Microsoft Customer Agreement offer types. offerId: ${offer} is associated with offerType: None (Request ID: ${randomUUID()})`,
    );
  };

  register(
    armRoute('costmanagement query', 'POST', new RegExp(String.raw`^${SUBSCRIPTION}/providers/Microsoft\.CostManagement/query$`, 'i'), (req, ctx) => {
      const sub = ctx.subscription!.subscriptionId;
      const refused = unsupported(sub);
      if (refused) return refused;
      const body = parse(req);
      if (!body) return armError(400, 'BadRequest', 'Invalid query definition: the request body could not be deserialized.');
      const range = timeRange(body);
      if ('error' in range) return range.error;
      const aggregation = Object.values(body.dataset?.aggregation ?? {})[0]?.name ?? 'Cost';
      const grouping = (body.dataset?.grouping ?? []).map((g) => g.name);
      if (grouping.some((g) => g !== 'ServiceName')) return armError(400, 'BadRequest', `The fake groups only by ServiceName, not ${grouping.join(', ')}.`);
      const daily = body.dataset?.granularity === 'Daily';
      const inRange = (s.actual.get(sub.toLowerCase()) ?? []).filter((r) => r.date >= range.from && r.date <= range.to);
      const sums = new Map<string, { cost: number; date: string; service: string }>();
      for (const r of inRange) {
        const key = `${daily ? r.date : ''}|${grouping.length ? r.service : ''}`;
        const e = sums.get(key) ?? { cost: 0, date: r.date, service: r.service };
        e.cost += r.cost;
        sums.set(key, e);
      }
      const columns = [
        { name: aggregation, type: 'Number' },
        ...(daily ? [{ name: 'UsageDate', type: 'Number' }] : []),
        ...(grouping.length ? [{ name: 'ServiceName', type: 'String' }] : []),
        { name: 'Currency', type: 'String' },
      ];
      const rows = [...sums.values()].map((e) => [cents(e.cost), ...(daily ? [Number(e.date.replace(/-/g, ''))] : []), ...(grouping.length ? [e.service] : []), 'USD']);
      return page(req, ctx.apiVersion, fake, rows, columns, 'query');
    }),
  );

  register(
    armRoute('costmanagement forecast', 'POST', new RegExp(String.raw`^${SUBSCRIPTION}/providers/Microsoft\.CostManagement/forecast$`, 'i'), (req, ctx) => {
      const sub = ctx.subscription!.subscriptionId;
      const refused = unsupported(sub);
      if (refused) return refused;
      const body = parse(req);
      if (!body) return armError(400, 'BadRequest', 'Invalid forecast definition: the request body could not be deserialized.');
      const range = timeRange(body);
      if ('error' in range) return range.error;
      const aggregation = Object.values(body.dataset?.aggregation ?? {})[0]?.name ?? 'Cost';
      const rows: unknown[][] = [];
      if (body.includeActualCost) {
        const byDay = new Map<string, number>();
        for (const r of s.actual.get(sub.toLowerCase()) ?? []) if (r.date >= range.from && r.date <= range.to) byDay.set(r.date, (byDay.get(r.date) ?? 0) + r.cost);
        for (const [date, cost] of byDay) rows.push([cents(cost), Number(date.replace(/-/g, '')), 'Actual', 'USD']);
      }
      for (const r of s.forecast.get(sub.toLowerCase()) ?? []) if (r.date >= range.from && r.date <= range.to) rows.push([r.cost, Number(r.date.replace(/-/g, '')), 'Forecast', 'USD']);
      const columns = [
        { name: aggregation, type: 'Number' },
        { name: 'UsageDate', type: 'Number' },
        { name: 'CostStatus', type: 'String' },
        { name: 'Currency', type: 'String' },
      ];
      return page(req, ctx.apiVersion, fake, rows, columns, 'forecast');
    }),
  );

  const BUDGET = new RegExp(String.raw`^${SUBSCRIPTION}/providers/Microsoft\.Consumption/budgets/(?<budgetName>[^/]+)$`, 'i');

  register(
    armRoute('consumption budget get', 'GET', BUDGET, (req, ctx) => {
      const sub = ctx.subscription!.subscriptionId;
      const refused = unsupported(sub);
      if (refused) return refused;
      const budget = s.budgets.get(`${sub.toLowerCase()}/${(req.params.budgetName ?? '').toLowerCase()}`);
      if (!budget) return armError(404, 'NotFound', `Budget '${req.params.budgetName ?? ''}' was not found for scope '/subscriptions/${sub}'.`);
      return json(200, withSpend(s, budget, sub));
    }),
  );

  register(
    armRoute('consumption budget put', 'PUT', BUDGET, (req, ctx) => {
      const sub = ctx.subscription!.subscriptionId;
      const refused = unsupported(sub);
      if (refused) return refused;
      const name = req.params.budgetName ?? '';
      let body: { eTag?: string; properties?: FakeBudget['properties'] } | undefined;
      try {
        body = req.json();
      } catch {
        return armError(400, 'BadRequest', 'The request content was invalid and could not be deserialized.');
      }
      s.budgetPuts.push({ name, body });
      const p = body?.properties;
      if (!p || typeof p.amount !== 'number' || !p.timeGrain || !p.timePeriod?.startDate || !p.category)
        return armError(400, 'BadRequest', 'Budget properties category, amount, timeGrain and timePeriod.startDate are required.');
      for (const [key, n] of Object.entries(p.notifications ?? {}) as [string, { contactEmails?: unknown[]; contactRoles?: unknown[]; contactGroups?: unknown[]; threshold?: number }][]) {
        if (!n.contactEmails?.length && !n.contactRoles?.length && !n.contactGroups?.length)
          return armError(400, 'BadRequest', `Notification '${key}': at least one of contactEmails, contactRoles or contactGroups is required.`);
        if (typeof n.threshold !== 'number' || n.threshold <= 0 || n.threshold > 1000)
          return armError(400, 'BadRequest', `Notification '${key}': threshold must be greater than 0 and at most 1000.`);
      }
      const key = `${sub.toLowerCase()}/${name.toLowerCase()}`;
      const existing = s.budgets.get(key);
      if (existing && body?.eTag !== undefined && body.eTag !== existing.eTag)
        return armError(412, 'PreconditionFailed', `The eTag '${body.eTag}' does not match the budget's current eTag '${existing.eTag}'.`);
      const { currentSpend: _c, forecastSpend: _f, ...props } = p;
      const budget = seedBudget(fake, existing?.name ?? name, props, sub);
      return json(existing ? 200 : 201, withSpend(s, budget, sub));
    }),
  );

  register(
    armRoute('consumption usagedetails list', 'GET', new RegExp(String.raw`^${SUBSCRIPTION}/providers/Microsoft\.Consumption/usageDetails$`, 'i'), (req, ctx) => {
      const sub = ctx.subscription!.subscriptionId;
      const refused = unsupported(sub);
      if (refused) return refused;
      const all = s.actual.get(sub.toLowerCase()) ?? [];
      const skip = Number(req.query.get('$skiptoken') ?? '0') || 0;
      const top = Math.min(Number(req.query.get('$top') ?? '') || s.pageSize, s.pageSize);
      const value = all.slice(skip, skip + top).map((r, i) => ({
        id: `/subscriptions/${sub}/providers/Microsoft.Billing/billingPeriods/${r.date.slice(0, 7).replace('-', '')}/providers/Microsoft.Consumption/usageDetails/${skip + i}`,
        name: String(skip + i),
        type: 'Microsoft.Consumption/usageDetails',
        kind: 'legacy',
        properties: {
          billingAccountId: 'xxxxxxxx',
          subscriptionId: sub,
          date: `${r.date}T00:00:00.0000000Z`,
          consumedService: r.service,
          meterDetails: { meterName: r.meter ?? r.service, meterCategory: r.service },
          quantity: 1,
          effectivePrice: r.cost,
          cost: r.cost,
          unitPrice: r.cost,
          billingCurrency: 'USD',
          resourceLocation: 'eastus',
          chargeType: 'Usage',
        },
      }));
      const body: { value: unknown[]; nextLink?: string } = { value };
      if (skip + top < all.length) {
        const next = new URL(`${fake.url}${req.path}`);
        next.searchParams.set('api-version', ctx.apiVersion);
        next.searchParams.set('$skiptoken', String(skip + top));
        body.nextLink = next.toString();
      }
      return json(200, body);
    }),
  );
}

interface QueryBody {
  type?: string;
  timeframe?: string;
  timePeriod?: { from?: string; to?: string };
  dataset?: { granularity?: string; aggregation?: Record<string, { name: string; function: string }>; grouping?: { type: string; name: string }[] };
  includeActualCost?: boolean;
}

function parse(req: FakeRequest): QueryBody | undefined {
  try {
    return req.json<QueryBody>();
  } catch {
    return undefined;
  }
}

function timeRange(body: QueryBody): { from: string; to: string } | { error: FakeResponse } {
  if (body.timeframe !== 'Custom' || !body.timePeriod?.from || !body.timePeriod.to)
    return { error: armError(400, 'BadRequest', 'The fake answers timeframe Custom with timePeriod.from and timePeriod.to only.') };
  return { from: body.timePeriod.from.slice(0, 10), to: body.timePeriod.to.slice(0, 10) };
}

function page(req: FakeRequest, apiVersion: string, fake: AzureFake, rows: unknown[][], columns: { name: string; type: string }[], kind: 'query' | 'forecast'): FakeResponse {
  const size = costs(fake).pageSize;
  const skip = Number(req.query.get('$skiptoken') ?? '0') || 0;
  let nextLink: string | null = null;
  if (skip + size < rows.length) {
    const next = new URL(`${fake.url}${req.path}`);
    next.searchParams.set('api-version', apiVersion);
    next.searchParams.set('$skiptoken', String(skip + size));
    nextLink = next.toString();
  }
  const id = randomUUID();
  const scope = req.path.replace(/^\//, '').replace(/\/providers\/Microsoft\.CostManagement\/\w+$/i, '');
  return json(200, {
    id: `${scope}/providers/Microsoft.CostManagement/${kind}/${id}`,
    name: id,
    type: `Microsoft.CostManagement/${kind}`,
    location: null,
    sku: null,
    eTag: null,
    properties: { nextLink, columns, rows: rows.slice(skip, skip + size) },
  });
}

function withSpend(s: CostFake, budget: FakeBudget, sub: string): FakeBudget {
  const actual = cents((s.actual.get(sub.toLowerCase()) ?? []).reduce((t, r) => t + r.cost, 0));
  const forecast = cents((s.forecast.get(sub.toLowerCase()) ?? []).reduce((t, r) => t + r.cost, 0));
  return {
    ...budget,
    properties: { ...budget.properties, currentSpend: { amount: actual, unit: 'USD' }, forecastSpend: { amount: cents(actual + forecast), unit: 'USD' } },
  };
}

function cents(n: number): number {
  return Math.round(n * 100) / 100;
}
