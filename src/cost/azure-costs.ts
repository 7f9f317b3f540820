// What an azure environment's subscription actually costs this month: month-to-date cost by service (Cost Management
// query, daily, grouped by ServiceName), the forecast to the month's end (Cost Management forecast), and the budget's
// currentSpend/forecastSpend (Consumption budgets) — set against the seed's budget lines (the local report's estimate)
// and the traced workload.
//
//   - Cost Management has no GA JavaScript package (only a beta), so the query and forecast go through a core-client
//     ServiceClient with a pinned api-version; budgets and usage details through @azure/arm-consumption.
//   - The consumption client builds `/{scope}/providers/…` without encoding the scope, so a scope that starts with `/`
//     becomes `//subscriptions/…`: scopes are passed as `subscriptions/<id>`.
//   - Both clients retry through one policy (costRetryPolicy) that honours Cost Management's throttling header
//     `x-ms-ratelimit-microsoft.costmanagement-qpu-retry-after` (seconds) as well as `Retry-After`.
//   - Results are cached 4 h under .mac/<env>/cache/ keyed by scope + month (Cost Management data refreshes a few
//     times a day, and its query quota is small); `refresh` bypasses the cache.
//   - A subscription whose offer Cost Management does not cover (sponsorship, CSP, free trial …) is a clear
//     UnsupportedOfferError, not a stack trace.
import { createHash } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { TokenCredential } from '@azure/identity';
import { ServiceClient } from '@azure/core-client';
import { createHttpHeaders, createPipelineRequest, retryPolicy, type Pipeline, type PipelinePolicy, type PipelineResponse, type RetryStrategy } from '@azure/core-rest-pipeline';
import type { AzureEnvironmentConfig } from '../config/schema.js';
import { PreconditionError, UserError } from '../errors.js';
import { conversations, type SpanRecord } from '../traces/read.js';
import { estimateCost, monthBounds } from './estimate.js';
import { SERVICES, type Service } from './prices.js';

/** Cost Management REST api-version for query and forecast (GA). */
export const COST_MANAGEMENT_API_VERSION = '2023-11-01';
/** Cost Management's throttling header: seconds until the query quota (QPU) allows another query. */
export const QPU_RETRY_AFTER = 'x-ms-ratelimit-microsoft.costmanagement-qpu-retry-after';
/** How long a fetched month stays fresh. */
export const CACHE_TTL_MS = 4 * 3_600_000;

// ---------------------------------------------------------------- retry policy

export interface CostRetryOptions {
  maxRetries?: number;
  /** Base of the exponential delay for 5xx / connection errors without a header (default 1 s). */
  retryDelayInMs?: number;
  /** Longest wait honoured from a header or backoff (default 60 s); a longer ask fails instead of hanging. */
  maxRetryDelayInMs?: number;
}

/** Seconds (or an HTTP date) from Retry-After / the QPU header → milliseconds; undefined when absent or unreadable. */
export function retryAfterMs(response: PipelineResponse | undefined, now = Date.now()): number | undefined {
  if (!response) return undefined;
  for (const name of [QPU_RETRY_AFTER, 'retry-after-ms', 'x-ms-retry-after-ms', 'retry-after']) {
    const raw = response.headers.get(name);
    if (raw === undefined || raw.trim() === '') continue;
    const n = Number(raw);
    if (Number.isFinite(n) && n >= 0) return name.endsWith('-ms') ? n : n * 1000;
    const at = Date.parse(raw);
    if (Number.isFinite(at)) return Math.max(0, at - now);
  }
  return undefined;
}

/** A retry strategy: 429/503 wait what the service asks (QPU header first); other 5xx and network errors back off. */
export function costRetryStrategy(o: CostRetryOptions = {}): RetryStrategy {
  const base = o.retryDelayInMs ?? 1000;
  const cap = o.maxRetryDelayInMs ?? 60_000;
  return {
    name: 'macCostRetryStrategy',
    retry({ retryCount, response, responseError }) {
      const status = response?.status;
      const asked = retryAfterMs(response);
      if ((status === 429 || status === 503) && asked !== undefined) {
        if (asked > cap) return { errorToThrow: responseError };
        return { retryAfterInMs: asked };
      }
      const transient = status === 429 || status === 408 || (status !== undefined && status >= 500 && status !== 501 && status !== 505) || (!response && responseError);
      if (!transient) return { skipStrategy: true };
      const delay = Math.min(cap, base * 2 ** retryCount);
      return { retryAfterInMs: delay / 2 + Math.random() * (delay / 2) };
    },
  };
}

export const COST_RETRY_POLICY = 'macCostRetryPolicy';

export function costRetryPolicy(o: CostRetryOptions = {}): PipelinePolicy {
  const policy = retryPolicy([costRetryStrategy(o)], { maxRetries: o.maxRetries ?? 4 });
  return { name: COST_RETRY_POLICY, sendRequest: (req, next) => policy.sendRequest(req, next) };
}

/** Replaces a client pipeline's retry policies (which ignore the QPU header) with costRetryPolicy. */
export function useCostRetry(pipeline: Pipeline, o: CostRetryOptions = {}): void {
  pipeline.removePolicy({ phase: 'Retry' });
  pipeline.addPolicy(costRetryPolicy(o), { phase: 'Retry' });
}

// ---------------------------------------------------------------- errors

/** Cost Management refuses the subscription's offer type (sponsorship, CSP, free trial, …). */
export class UnsupportedOfferError extends PreconditionError {}

/** Azure's wording for an offer Cost Management does not cover (400/422, code "400"/"422"/"BadRequest"). */
export function isUnsupportedOffer(message: string): boolean {
  return /supports only Enterprise Agreement, Web direct and Microsoft Customer Agreement offer types|offer .{0,40}is not supported|not associated with a valid offer type|doesn't have valid WebDirect/i.test(message);
}

function unsupportedOffer(subscription: string, azureMessage: string): UnsupportedOfferError {
  const offer = /offerId:\s*([\w-]+)/i.exec(azureMessage)?.[1] ?? /offer ([\w-]+) is not supported/i.exec(azureMessage)?.[1];
  return new UnsupportedOfferError(
    `Cost Management has no cost data for subscription ${subscription}: its offer${offer ? ` (${offer})` : ''} is not one Cost Management supports (Enterprise Agreement, pay-as-you-go/Web direct, Microsoft Customer Agreement).\nAzure said: ${azureMessage.replace(/\s*\(Request ID:[^)]*\)\s*$/, '')}`,
    "Actual spend and budgets are unavailable for this offer; 'mac cost estimate -e <env>' still prices the plan, and 'mac cost report -e local' projects this configuration's monthly cost.",
  );
}

// ---------------------------------------------------------------- fetching

export interface ServiceCost {
  /** The Azure ServiceName (Container Instances, Azure Cosmos DB, Cognitive Services, …). */
  azureService: string;
  /** YYYY-MM-DD */
  date: string;
  costUsd: number;
}

export interface BudgetSnapshot {
  name: string;
  exists: boolean;
  amountUsd?: number;
  currentSpendUsd?: number;
  forecastSpendUsd?: number;
  timeGrain?: string;
}

/** What one fetch of a month returns; this is what the cache holds. */
export interface MonthCosts {
  scope: string;
  month: string;
  /** ISO time of the fetch. */
  fetchedAt: string;
  /** The end of the actual-cost window (now, or the month's end for a past month). */
  asOf: string;
  currency: string;
  daily: ServiceCost[];
  /** Forecast from asOf to the month's end (0 for a past month). */
  forecastUsd: number;
  budget: BudgetSnapshot;
}

export interface FetchOptions {
  config: AzureEnvironmentConfig;
  credential: TokenCredential;
  month: string;
  now: Date;
  budgetName: string;
  retry?: CostRetryOptions;
}

interface QueryResult {
  properties?: { nextLink?: string | null; columns?: { name: string; type: string }[]; rows?: unknown[][] };
}

const iso = (d: Date) => d.toISOString().replace(/\.\d{3}Z$/, 'Z');

/** The Cost Management ServiceClient: pinned api-version, ARM endpoint of the environment's cloud, our retry policy. */
export class CostManagementClient {
  private readonly client: ServiceClient;
  private readonly endpoint: string;

  constructor(
    credential: TokenCredential,
    armEndpoint: string,
    retry: CostRetryOptions = {},
  ) {
    this.endpoint = armEndpoint.replace(/\/$/, '');
    this.client = new ServiceClient({ endpoint: this.endpoint, credential, credentialScopes: `${this.endpoint}/.default` });
    useCostRetry(this.client.pipeline, retry);
  }

  /** POSTs a query/forecast definition and follows nextLink (same body) to the last page. */
  async post(scope: string, operation: 'query' | 'forecast', body: unknown): Promise<{ columns: { name: string; type: string }[]; rows: unknown[][] }> {
    let url: string | undefined = `${this.endpoint}/${scope.replace(/^\//, '')}/providers/Microsoft.CostManagement/${operation}?api-version=${COST_MANAGEMENT_API_VERSION}`;
    let columns: { name: string; type: string }[] = [];
    const rows: unknown[][] = [];
    for (let pages = 0; url && pages < 1000; pages++) {
      const response = await this.client.sendRequest(
        createPipelineRequest({ url, method: 'POST', body: JSON.stringify(body), headers: createHttpHeaders({ 'content-type': 'application/json' }) }),
      ).catch((err: unknown) => {
        throw new UserError(`Cost Management ${operation} failed: ${err instanceof Error ? err.message : String(err)}`);
      });
      const parsed = parseJson(response.bodyAsText ?? undefined);
      if (response.status !== 200) {
        const message = errorMessage(parsed) ?? `HTTP ${response.status}`;
        throw Object.assign(new Error(message), { statusCode: response.status, azureMessage: message });
      }
      const props = (parsed as QueryResult | undefined)?.properties;
      if (props?.columns?.length) columns = props.columns;
      rows.push(...(props?.rows ?? []));
      url = props?.nextLink ?? undefined;
    }
    return { columns, rows };
  }
}

function parseJson(text: string | undefined): unknown {
  if (!text) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function errorMessage(body: unknown): string | undefined {
  const e = (body as { error?: { message?: unknown } } | undefined)?.error;
  return typeof e?.message === 'string' ? e.message : undefined;
}

/** Reads a columnar result: the cost column (the aggregation's name, else the first Number that is not UsageDate). */
export function columnIndex(columns: { name: string; type: string }[], names: string[]): number {
  const lower = columns.map((c) => c.name.toLowerCase());
  for (const n of names) {
    const i = lower.indexOf(n.toLowerCase());
    if (i >= 0) return i;
  }
  return -1;
}

function usageDate(v: unknown): string {
  const s = String(v);
  return /^\d{8}$/.test(s) ? `${s.slice(0, 4)}-${s.slice(4, 6)}-${s.slice(6, 8)}` : s.slice(0, 10);
}

/** The rows of a daily cost query grouped by ServiceName, as {service, date, cost} (columns found by name). */
export function dailyCosts(result: { columns: { name: string; type: string }[]; rows: unknown[][] }, month: string): { daily: ServiceCost[]; currency: string } {
  const costCol = Math.max(0, columnIndex(result.columns, ['Cost', 'PreTaxCost', 'CostUSD']));
  const dateCol = columnIndex(result.columns, ['UsageDate']);
  const serviceCol = columnIndex(result.columns, ['ServiceName']);
  const currencyCol = columnIndex(result.columns, ['Currency']);
  const daily: ServiceCost[] = result.rows.map((r) => ({
    azureService: serviceCol >= 0 ? String(r[serviceCol] ?? '') || 'Unassigned' : 'Unassigned',
    date: dateCol >= 0 ? usageDate(r[dateCol]) : month,
    costUsd: Number(r[costCol]) || 0,
  }));
  return { daily, currency: currencyCol >= 0 && result.rows[0] ? String(result.rows[0][currencyCol]) : 'USD' };
}

/** Fetches the month's actual cost by service and day, its forecast, and the budget. */
export async function fetchMonthCosts(o: FetchOptions): Promise<MonthCosts> {
  const { config, credential, month, now } = o;
  const scope = `subscriptions/${config.subscription}`;
  const { start, end } = monthBounds(month);
  const current = now >= start && now < end;
  const asOf = current ? now : end;
  const cm = new CostManagementClient(credential, config.cloud.armEndpoint, o.retry);
  const aggregation = { totalCost: { name: 'Cost', function: 'Sum' } };
  const guard = async <T>(p: Promise<T>): Promise<T> => {
    try {
      return await p;
    } catch (err) {
      const message = (err as { azureMessage?: string; message?: string }).azureMessage ?? (err as Error).message ?? String(err);
      if (isUnsupportedOffer(message)) throw unsupportedOffer(config.subscription, message);
      if (err instanceof UserError) throw err;
      throw new UserError(`Cost Management refused the request for subscription ${config.subscription}: ${message}`, 'Check that the identity has the Cost Management Reader role on the subscription.');
    }
  };

  const actual = await guard(
    cm.post(scope, 'query', {
      type: 'ActualCost',
      timeframe: 'Custom',
      timePeriod: { from: iso(start), to: iso(new Date(asOf.getTime() - 1000)) },
      dataset: { granularity: 'Daily', aggregation, grouping: [{ type: 'Dimension', name: 'ServiceName' }] },
    }),
  );
  const { daily, currency } = dailyCosts(actual, month);

  let forecastUsd = 0;
  if (current) {
    const f = await guard(
      cm.post(scope, 'forecast', {
        type: 'ActualCost',
        timeframe: 'Custom',
        timePeriod: { from: iso(now), to: iso(new Date(end.getTime() - 1000)) },
        dataset: { granularity: 'Daily', aggregation },
        includeActualCost: false,
        includeFreshPartialCost: false,
      }),
    );
    const fc = Math.max(0, columnIndex(f.columns, ['Cost', 'PreTaxCost', 'CostUSD']));
    const status = columnIndex(f.columns, ['CostStatus']);
    forecastUsd = round2(f.rows.filter((r) => status < 0 || r[status] === 'Forecast').reduce((s, r) => s + (Number(r[fc]) || 0), 0));
  }

  const budget = await guard(readBudget(credential, config, o.budgetName, o.retry));
  return { scope: `/${scope}`, month, fetchedAt: now.toISOString(), asOf: asOf.toISOString(), currency, daily, forecastUsd, budget };
}

async function consumptionClient(credential: TokenCredential, config: AzureEnvironmentConfig, retry: CostRetryOptions = {}) {
  const { ConsumptionManagementClient } = await import('@azure/arm-consumption');
  const client = new ConsumptionManagementClient(credential, config.subscription, { endpoint: config.cloud.armEndpoint.replace(/\/$/, '') });
  useCostRetry(client.pipeline, retry);
  return client;
}

/** The subscription budget by name via @azure/arm-consumption (scope without a leading `/`: see the header). */
export async function readBudget(credential: TokenCredential, config: AzureEnvironmentConfig, name: string, retry?: CostRetryOptions): Promise<BudgetSnapshot> {
  const client = await consumptionClient(credential, config, retry);
  try {
    const b = await client.budgets.get(`subscriptions/${config.subscription}`, name);
    return {
      name,
      exists: true,
      ...(b.amount !== undefined ? { amountUsd: b.amount } : {}),
      ...(b.currentSpend?.amount !== undefined ? { currentSpendUsd: b.currentSpend.amount } : {}),
      ...(b.forecastSpend?.amount !== undefined ? { forecastSpendUsd: b.forecastSpend.amount } : {}),
      ...(b.timeGrain ? { timeGrain: b.timeGrain } : {}),
    };
  } catch (err) {
    if ((err as { statusCode?: number }).statusCode === 404) return { name, exists: false };
    throw Object.assign(err as Error, { azureMessage: (err as Error).message });
  }
}

/** Every usage-detail row of a scope (all nextLink pages), as {service, date, cost}. */
export async function listUsageDetails(credential: TokenCredential, config: AzureEnvironmentConfig, retry?: CostRetryOptions): Promise<ServiceCost[]> {
  const client = await consumptionClient(credential, config, retry);
  const out: ServiceCost[] = [];
  for await (const u of client.usageDetails.list(`subscriptions/${config.subscription}`)) {
    const p = u as unknown as { consumedService?: string; date?: Date; cost?: number; costInBillingCurrency?: number };
    out.push({ azureService: p.consumedService ?? 'Unassigned', date: p.date ? p.date.toISOString().slice(0, 10) : '', costUsd: p.cost ?? p.costInBillingCurrency ?? 0 });
  }
  return out;
}

// ---------------------------------------------------------------- cache

export function cacheFile(stateDir: string, scope: string, month: string): string {
  const key = createHash('sha256').update(`${scope.toLowerCase()}|${month}`).digest('hex').slice(0, 16);
  return path.join(stateDir, 'cache', `azure-costs-${month}-${key}.json`);
}

export async function readCache(file: string, now: Date): Promise<MonthCosts | undefined> {
  try {
    const c = JSON.parse(await readFile(file, 'utf8')) as MonthCosts;
    const age = now.getTime() - Date.parse(c.fetchedAt);
    return age >= 0 && age < CACHE_TTL_MS ? c : undefined;
  } catch {
    return undefined;
  }
}

export async function writeCache(file: string, data: MonthCosts): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
  const tmp = `${file}.${process.pid}.tmp`;
  await writeFile(tmp, JSON.stringify(data), { mode: 0o600 });
  await rename(tmp, file);
}

/** fetchMonthCosts behind the 4 h cache (keyed by scope + month); `refresh` asks Azure whatever the cache holds. */
export async function monthCosts(o: FetchOptions & { stateDir: string; refresh?: boolean }): Promise<MonthCosts & { fromCache: boolean }> {
  const file = cacheFile(o.stateDir, `/subscriptions/${o.config.subscription}`, o.month);
  if (!o.refresh) {
    const cached = await readCache(file, o.now);
    if (cached && cached.budget.name === o.budgetName) return { ...cached, fromCache: true };
  }
  const data = await fetchMonthCosts(o);
  await writeCache(file, data);
  return { ...data, fromCache: false };
}

// ---------------------------------------------------------------- report

/** Azure ServiceName → the seed's budget row. */
const SERVICE_MAP: Record<string, Service> = {
  'container instances': 'Container Instances',
  'azure container instances': 'Container Instances',
  'cognitive services': 'Azure OpenAI',
  'azure openai': 'Azure OpenAI',
  'azure openai service': 'Azure OpenAI',
  'foundry models': 'Azure OpenAI',
  'azure cosmos db': 'Cosmos DB',
  'cosmos db': 'Cosmos DB',
  'key vault': 'Key Vault',
  storage: 'Blob Storage + CDN',
  'azure front door service': 'Blob Storage + CDN',
  'content delivery network': 'Blob Storage + CDN',
  'azure cdn': 'Blob Storage + CDN',
  'log analytics': 'Application Insights',
  'application insights': 'Application Insights',
  'azure monitor': 'Application Insights',
  'application gateway': 'Networking',
  'virtual network': 'Networking',
  'azure private link': 'Networking',
  bandwidth: 'Networking',
  'ip addresses': 'Networking',
  'load balancer': 'Networking',
};

export type ReportService = Service | 'Other';

export function seedService(azureService: string): ReportService {
  return SERVICE_MAP[azureService.trim().toLowerCase()] ?? 'Other';
}

export interface ServiceReportLine {
  service: ReportService;
  /** The Azure ServiceNames counted in this row. */
  azureServices: string[];
  /** The seed's budget line: the local report's estimate of a full month. */
  estimatedMonthlyUsd: number;
  actualUsd: number;
  /** actual ÷ elapsed fraction of the month. */
  runRateUsd: number;
  /** Run rate as a percent of the estimated line (null when the line is $0). */
  percentOfEstimate: number | null;
}

export interface ThresholdState {
  fraction: number;
  percent: number;
  amountUsd: number;
  /** Actual month-to-date spend has reached it. */
  fired: boolean;
  /** The month-end projection (actual + forecast) reaches it. */
  willFire: boolean;
}

export interface AzureCostReport {
  environment: string;
  subscription: string;
  scope: string;
  month: string;
  asOf: string;
  fetchedAt: string;
  fromCache: boolean;
  currency: string;
  /** Elapsed fraction of the month at asOf (1 for a past month). */
  elapsedFraction: number;
  services: ServiceReportLine[];
  azureServices: { azureService: string; service: ReportService; actualUsd: number }[];
  daily: { date: string; actualUsd: number }[];
  actualUsd: number;
  forecastUsd: number;
  projectedUsd: number;
  estimatedMonthlyUsd: number;
  budget: BudgetSnapshot & { amountUsd: number; source: 'azure' | 'config'; percentActual: number; percentProjected: number };
  thresholds: ThresholdState[];
  usage: { conversations: number; turns: number; costPerConversationUsd: number | null; costPerTurnUsd: number | null };
  notes: string[];
}

const round2 = (n: number) => Math.round(n * 100) / 100;
const round4 = (n: number) => Math.round(n * 10_000) / 10_000;

/** Folds daily service costs into the report (pure: the bench feeds it 100,000 rows). */
export function buildAzureReport(input: {
  environment: string;
  config: AzureEnvironmentConfig;
  costs: MonthCosts & { fromCache?: boolean };
  spans: SpanRecord[];
  now: Date;
}): AzureCostReport {
  const { config, costs, month } = { ...input, month: input.costs.month };
  const { start, end } = monthBounds(month);
  const asOf = new Date(costs.asOf);
  const elapsedFraction = Math.min(1, Math.max(0, (asOf.getTime() - start.getTime()) / (end.getTime() - start.getTime())));

  const byAzure = new Map<string, number>();
  const byDay = new Map<string, number>();
  for (const r of costs.daily) {
    byAzure.set(r.azureService, (byAzure.get(r.azureService) ?? 0) + r.costUsd);
    byDay.set(r.date, (byDay.get(r.date) ?? 0) + r.costUsd);
  }
  const azureServices = [...byAzure.entries()]
    .map(([azureService, usd]) => ({ azureService, service: seedService(azureService), actualUsd: round2(usd) }))
    .sort((a, b) => b.actualUsd - a.actualUsd || a.azureService.localeCompare(b.azureService));

  const estimate = estimateCost({ env: config, spans: input.spans, month, now: input.now });
  const rows: ReportService[] = [...SERVICES, ...(azureServices.some((a) => a.service === 'Other') ? (['Other'] as const) : [])];
  const services: ServiceReportLine[] = rows.map((service) => {
    const mine = azureServices.filter((a) => a.service === service);
    const actualUsd = round2(mine.reduce((s, a) => s + a.actualUsd, 0));
    const estimatedMonthlyUsd = estimate.services.find((s) => s.service === service)?.monthlyUsd ?? 0;
    const runRateUsd = elapsedFraction > 0 ? round2(actualUsd / elapsedFraction) : 0;
    return {
      service,
      azureServices: mine.map((a) => a.azureService),
      estimatedMonthlyUsd,
      actualUsd,
      runRateUsd,
      percentOfEstimate: estimatedMonthlyUsd > 0 ? round2((runRateUsd / estimatedMonthlyUsd) * 100) : null,
    };
  });

  const actualUsd = round2(azureServices.reduce((s, a) => s + a.actualUsd, 0));
  const forecastUsd = round2(costs.forecastUsd);
  const projectedUsd = round2(actualUsd + forecastUsd);
  const amount = costs.budget.exists && costs.budget.amountUsd !== undefined ? costs.budget.amountUsd : config.budget.amount;
  const thresholds = config.budget.thresholds.map((fraction) => ({
    fraction,
    percent: round2(fraction * 100),
    amountUsd: round2(amount * fraction),
    fired: actualUsd >= round2(amount * fraction),
    willFire: projectedUsd >= round2(amount * fraction),
  }));

  const monthSpans = input.spans.filter((s) => typeof s.start === 'string' && s.start >= start.toISOString() && s.start < end.toISOString());
  const convs = conversations(monthSpans);
  const turns = convs.reduce((n, c) => n + c.turns.length, 0);

  const notes: string[] = [];
  if (!costs.budget.exists)
    notes.push(`No budget named ${costs.budget.name} in the subscription: thresholds use mac.yaml's $${config.budget.amount}. Create it with: mac cost budget apply -e ${input.environment}`);
  else if (costs.budget.amountUsd !== undefined && costs.budget.amountUsd !== config.budget.amount)
    notes.push(`The Azure budget is $${costs.budget.amountUsd}, mac.yaml says $${config.budget.amount}: thresholds use Azure's (what the alerts fire on).`);
  const other = azureServices.filter((a) => a.service === 'Other');
  if (other.length) notes.push(`Not in the seed's budget table: ${other.map((a) => `${a.azureService} $${a.actualUsd.toFixed(2)}`).join(', ')}.`);
  for (const s of services)
    if (s.percentOfEstimate !== null && s.percentOfEstimate > 120)
      notes.push(`${s.service} runs at $${s.runRateUsd.toFixed(2)}/month, ${s.percentOfEstimate}% of its estimated $${s.estimatedMonthlyUsd.toFixed(2)} line.`);
  if (turns === 0) notes.push(`No traces for ${month} under .mac/${input.environment}/traces: cost per conversation is unknown.`);
  notes.push('Cost Management data lags usage by up to 8–24 hours; the forecast is Azure\'s, from the month so far.');

  return {
    environment: input.environment,
    subscription: config.subscription,
    scope: costs.scope,
    month,
    asOf: costs.asOf,
    fetchedAt: costs.fetchedAt,
    fromCache: Boolean(costs.fromCache),
    currency: costs.currency,
    elapsedFraction: round4(elapsedFraction),
    services,
    azureServices,
    daily: [...byDay.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([date, usd]) => ({ date, actualUsd: round2(usd) })),
    actualUsd,
    forecastUsd,
    projectedUsd,
    estimatedMonthlyUsd: estimate.totalUsd,
    budget: {
      ...costs.budget,
      amountUsd: amount,
      source: costs.budget.exists && costs.budget.amountUsd !== undefined ? 'azure' : 'config',
      percentActual: round2((actualUsd / amount) * 100),
      percentProjected: round2((projectedUsd / amount) * 100),
    },
    thresholds,
    usage: {
      conversations: convs.length,
      turns,
      costPerConversationUsd: convs.length > 0 ? round4(actualUsd / convs.length) : null,
      costPerTurnUsd: turns > 0 ? round4(actualUsd / turns) : null,
    },
    notes,
  };
}

/** The budget the templates create (budget_alerts.tf: `budget-${name_prefix}-${environment}-monthly`). */
export function budgetName(envName: string, config: AzureEnvironmentConfig): string {
  return `budget-${config.namePrefix}-${envName}-monthly`;
}

// ---------------------------------------------------------------- renderings

const csvField = (value: string | number): string => {
  const s = String(value);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
};

/** One row per seed service (RFC 4180), then a TOTAL row carrying the forecast and projection. */
export function azureReportCsv(r: AzureCostReport): string {
  const rows: (string | number)[][] = [['service', 'azure_services', 'estimated_monthly_usd', 'actual_usd', 'run_rate_usd', 'percent_of_estimate', 'forecast_usd', 'projected_usd']];
  for (const s of r.services)
    rows.push([s.service, s.azureServices.join('; '), s.estimatedMonthlyUsd.toFixed(2), s.actualUsd.toFixed(2), s.runRateUsd.toFixed(2), s.percentOfEstimate ?? '', '', '']);
  rows.push(['TOTAL', '', r.estimatedMonthlyUsd.toFixed(2), r.actualUsd.toFixed(2), '', '', r.forecastUsd.toFixed(2), r.projectedUsd.toFixed(2)]);
  return rows.map((row) => row.map(csvField).join(',')).join('\r\n') + '\r\n';
}

const md = (s: string) => s.replace(/\|/g, '\\|');

export function azureReportMarkdown(r: AzureCostReport): string {
  const out: string[] = [];
  out.push(`## Azure cost — ${r.environment}, ${r.month} (as of ${r.asOf.slice(0, 10)})`, '');
  out.push('| Service | Estimated / month | Actual to date | Run rate / month | % of estimate |', '|---|---:|---:|---:|---:|');
  for (const s of r.services)
    out.push(`| ${md(s.service)} | ${s.estimatedMonthlyUsd.toFixed(2)} | ${s.actualUsd.toFixed(2)} | ${s.runRateUsd.toFixed(2)} | ${s.percentOfEstimate === null ? 'n/a' : `${s.percentOfEstimate}%`} |`);
  out.push(`| **Total** | **${r.estimatedMonthlyUsd.toFixed(2)}** | **${r.actualUsd.toFixed(2)}** | | |`, '');
  out.push(`Forecast to month end: $${r.forecastUsd.toFixed(2)} → projected $${r.projectedUsd.toFixed(2)} (${r.budget.percentProjected}% of the $${r.budget.amountUsd.toFixed(2)} budget; actual ${r.budget.percentActual}%).`, '');
  for (const t of r.thresholds) out.push(`- ${t.percent}% ($${t.amountUsd.toFixed(2)}): ${t.fired ? '**fired**' : t.willFire ? '**will fire** (forecast)' : 'not reached'}`);
  const per = (n: number | null) => (n === null ? 'n/a' : `$${n.toFixed(4)}`);
  out.push('', `Cost per conversation ${per(r.usage.costPerConversationUsd)}, per request ${per(r.usage.costPerTurnUsd)} (${r.usage.conversations} conversations, ${r.usage.turns} requests traced).`);
  out.push('', '### Notes', '');
  for (const n of r.notes) out.push(`- ${n}`);
  return out.join('\n') + '\n';
}
