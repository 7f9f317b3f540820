// `mac cost report -e <azure env>` and `mac cost budget apply` through the real program (runCli), with the real
// @azure/core-client and @azure/arm-consumption clients against the HTTPS Azure fake (Cost Management query and
// forecast, Consumption budgets). The fixture: $12.00 a day by ten Azure services (test/fakes/azure/cost.ts),
// 25 days spent on 2026-11-26 → $300.00 actual (83.33 % of $360), $60.00 forecast → $360.00 projected (100 %).
import { randomUUID } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { runCli, tempDir } from '../helpers/cli.js';
import { turnSpans, writeTraces } from '../cost/helpers.js';
import { blockNonLoopback, type NetworkGuard } from '../setup/no-network.js';
import { costs, seedBudget, seedMonth, throttle } from '../fakes/azure/cost.js';
import { startAzureFake, type AzureFake } from '../fakes/azure/server.js';
import { isolateAzureEnv } from '../fakes/azure/process-env.js';

const now = new Date('2026-11-26T00:00:00Z');
const BUDGET = 'budget-macshop-prod-monthly';

let fake: AzureFake;
let guard: NetworkGuard;
let restoreEnv: (() => void) | undefined;
let dir: string;
let cleanup: () => Promise<void>;

beforeAll(async () => {
  guard = blockNonLoopback();
  fake = await startAzureFake();
  restoreEnv = isolateAzureEnv();
  // DefaultAzureCredential reads process.env; EnvironmentCredential only, so nothing probes IMDS.
  Object.assign(process.env, {
    AZURE_TENANT_ID: fake.tenantId,
    AZURE_CLIENT_ID: fake.clientId,
    AZURE_CLIENT_SECRET: fake.clientSecret,
    AZURE_TOKEN_CREDENTIALS: 'EnvironmentCredential',
  });
});

afterAll(async () => {
  await fake?.close();
  restoreEnv?.();
  guard?.restore();
});

async function yaml(o: { amount?: number; subscription?: string; name?: string } = {}): Promise<void> {
  await writeFile(
    path.join(dir, 'mac.yaml'),
    [
      'version: 1',
      'environments:',
      `  ${o.name ?? 'prod'}:`,
      '    target: azure',
      `    subscription: ${o.subscription ?? fake.subscriptionId}`,
      '    namePrefix: macshop',
      '    budget:',
      `      amount: ${o.amount ?? 360}`,
      '      contactEmails: [ops@example.com, finance@example.com]',
      '    cloud:',
      `      armEndpoint: ${fake.url}`,
      `      authorityHost: ${fake.url}`,
      '',
    ].join('\n'),
  );
}

const mac = (args: string[]) => runCli(args, { cwd: dir, now, env: {} });
const costRequests = () => fake.requests.filter((r) => /Microsoft\.(CostManagement|Consumption)\//i.test(r.path));

beforeEach(async () => {
  ({ dir, cleanup } = await tempDir('mac-cost-azure-'));
  fake.reset();
  const c = costs(fake);
  c.budgets.clear();
  c.budgetPuts.length = 0;
  c.unsupportedOffers.clear();
  c.pageSize = 100;
  seedMonth(fake, { month: '2026-11', today: '2026-11-26' });
  await yaml();
  // 3 conversations, 4 requests traced this month; one in October that must not count.
  await writeTraces(path.join(dir, '.mac', 'prod', 'traces'), [
    ...turnSpans('s1', '2026-11-02T10:00:00Z'),
    ...turnSpans('s1', '2026-11-02T10:01:00Z'),
    ...turnSpans('s2', '2026-11-10T10:00:00Z'),
    ...turnSpans('s3', '2026-11-20T10:00:00Z'),
    ...turnSpans('s0', '2026-10-30T10:00:00Z'),
  ]);
});
afterEach(() => cleanup());

interface Report {
  month: string;
  actualUsd: number;
  forecastUsd: number;
  projectedUsd: number;
  services: { service: string; actualUsd: number; azureServices: string[]; estimatedMonthlyUsd: number; runRateUsd: number }[];
  budget: { name: string; exists: boolean; amountUsd: number; source: string; currentSpendUsd?: number; forecastSpendUsd?: number; percentActual: number; percentProjected: number };
  thresholds: { percent: number; amountUsd: number; fired: boolean; willFire: boolean }[];
  usage: { conversations: number; turns: number; costPerConversationUsd: number; costPerTurnUsd: number };
  fromCache: boolean;
}

describe('mac cost report -e <azure env>', () => {
  it('per-service actuals, forecast, budget spend and threshold states match the fixture exactly', async () => {
    seedBudget(fake, BUDGET, { category: 'Cost', amount: 360, timeGrain: 'Monthly', timePeriod: { startDate: '2026-11-01T00:00:00Z' } });
    const run = await mac(['cost', 'report', '-e', 'prod', '--json']);
    expect(run.code, run.stderr).toBe(0);
    const r = JSON.parse(run.stdout) as Report;
    expect(Object.fromEntries(r.services.map((s) => [s.service, s.actualUsd]))).toEqual({
      'Container Instances': 30,
      'Azure OpenAI': 75,
      'Cosmos DB': 37.5,
      'Key Vault': 2.5,
      'Blob Storage + CDN': 37.5,
      'Application Insights': 20,
      Networking: 97.5,
      'NATS JetStream': 0,
    });
    expect(r.services.find((s) => s.service === 'Networking')?.azureServices).toEqual(['Application Gateway', 'Virtual Network', 'Bandwidth']);
    expect(r.services.find((s) => s.service === 'Container Instances')?.runRateUsd).toBe(36);
    expect(r.services.every((s) => s.estimatedMonthlyUsd >= 0)).toBe(true);
    expect([r.actualUsd, r.forecastUsd, r.projectedUsd]).toEqual([300, 60, 360]);
    expect(r.budget).toMatchObject({ name: BUDGET, exists: true, source: 'azure', amountUsd: 360, currentSpendUsd: 300, forecastSpendUsd: 360, percentActual: 83.33, percentProjected: 100 });
    expect(r.thresholds).toEqual([
      { fraction: 0.83, percent: 83, amountUsd: 298.8, fired: true, willFire: true },
      { fraction: 0.93, percent: 93, amountUsd: 334.8, fired: false, willFire: true },
    ]);
    expect(r.usage).toEqual({ conversations: 3, turns: 4, costPerConversationUsd: 100, costPerTurnUsd: 75 });

    // Daily rows grouped by service: 250 rows over three pages, each nextLink POSTed with the same body.
    const queries = fake.requests.filter((q) => /CostManagement\/query$/i.test(q.path));
    expect(queries.map((q) => q.query.$skiptoken ?? '')).toEqual(['', '100', '200']);
    expect(new Set(queries.map((q) => q.body))).toHaveProperty('size', 1);
    expect(JSON.parse(queries[0]!.body!)).toMatchObject({
      type: 'ActualCost',
      timeframe: 'Custom',
      timePeriod: { from: '2026-11-01T00:00:00Z', to: '2026-11-25T23:59:59Z' },
      dataset: { granularity: 'Daily', grouping: [{ type: 'Dimension', name: 'ServiceName' }] },
    });
    // The `//` quirk of the consumption client is avoided, and the pinned api-version is sent.
    for (const q of costRequests()) expect(q.path).not.toMatch(/^\/\//);
    expect(queries[0]!.query['api-version']).toBe('2023-11-01');
    expect(fake.unmatched()).toEqual([]);
  });

  it('a table with the fired and forecast thresholds; csv and markdown carry the same totals', async () => {
    const run = await mac(['cost', 'report', '-e', 'prod']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/Forecast to month end \$60\.00 → projected \$360\.00/);
    expect(run.stdout).toMatch(/83% \(\$298\.80\): fired/);
    expect(run.stdout).toMatch(/93% \(\$334\.80\): will fire \(forecast\)/);
    expect(run.stdout).toMatch(/not in Azure/);
    expect(run.stdout).toMatch(/mac cost budget apply -e prod/);
    const csv = await mac(['cost', 'report', '-e', 'prod', '--format', 'csv']);
    const rows = csv.stdout.trimEnd().split('\r\n');
    expect(rows[0]).toBe('service,azure_services,estimated_monthly_usd,actual_usd,run_rate_usd,percent_of_estimate,forecast_usd,projected_usd');
    expect(rows.find((l) => l.startsWith('Networking,'))).toMatch(/^Networking,Application Gateway; Virtual Network; Bandwidth,[\d.]+,97\.50,117\.00,/);
    expect(rows.at(-1)).toMatch(/^TOTAL,,[\d.]+,300\.00,,,60\.00,360\.00$/);
    const md = await mac(['cost', 'report', '-e', 'prod', '--format', 'markdown']);
    expect(md.stdout).toContain('| Service | Estimated / month | Actual to date | Run rate / month | % of estimate |');
    expect(md.stdout).toMatch(/- 93% \(\$334\.80\): \*\*will fire\*\* \(forecast\)/);
  });

  it('the second run is answered from the 4 h cache without a request; --refresh asks again', async () => {
    expect((await mac(['cost', 'report', '-e', 'prod', '--json'])).code).toBe(0);
    const first = costRequests().length;
    expect(first).toBe(5); // 3 query pages + forecast + budget
    const cached = await mac(['cost', 'report', '-e', 'prod', '--json']);
    expect(cached.code, cached.stderr).toBe(0);
    expect(costRequests().length).toBe(first);
    expect((JSON.parse(cached.stdout) as Report)).toMatchObject({ fromCache: true, actualUsd: 300, forecastUsd: 60 });
    const refreshed = await mac(['cost', 'report', '-e', 'prod', '--json', '--refresh']);
    expect(refreshed.code, refreshed.stderr).toBe(0);
    expect(costRequests().length).toBe(2 * first);
    expect((JSON.parse(refreshed.stdout) as Report).fromCache).toBe(false);
    // Older than 4 h: asked again.
    const later = await runCli(['cost', 'report', '-e', 'prod', '--json'], { cwd: dir, now: new Date(now.getTime() + 4 * 3_600_000 + 1000), env: {} });
    expect(later.code, later.stderr).toBe(0);
    expect(costRequests().length).toBe(3 * first);
  });

  it('a 429 with the Cost Management QPU header is retried after the delay it gives', async () => {
    throttle(fake, { header: 'qpu', seconds: 1 });
    const run = await mac(['cost', 'report', '-e', 'prod', '--json']);
    expect(run.code, run.stderr).toBe(0);
    const q = fake.requests.filter((r) => /CostManagement\/query$/i.test(r.path));
    expect(q[0]).toMatchObject({ status: 429, fault: true });
    expect(q[1]?.status).toBe(200);
    const waited = q[1]!.at - q[0]!.at;
    expect(waited).toBeGreaterThanOrEqual(950);
    expect(waited).toBeLessThan(1900);
    expect((JSON.parse(run.stdout) as Report).actualUsd).toBe(300);
  });

  it('a 429 with Retry-After on the forecast is retried after its delay too', async () => {
    throttle(fake, { header: 'retry-after', seconds: 1, path: /CostManagement\/forecast$/i });
    const run = await mac(['cost', 'report', '-e', 'prod', '--json', '--refresh']);
    expect(run.code, run.stderr).toBe(0);
    const f = fake.requests.filter((r) => /CostManagement\/forecast$/i.test(r.path));
    expect(f.map((r) => r.status)).toEqual([429, 200]);
    expect(f[1]!.at - f[0]!.at).toBeGreaterThanOrEqual(950);
    expect(f[1]!.at - f[0]!.at).toBeLessThan(1900);
  });

  it('an unsupported offer exits 4 with a clear message naming the offer and mac cost estimate', async () => {
    const sponsored = randomUUID();
    fake.state.subscriptions.set(sponsored, { subscriptionId: sponsored, tenantId: fake.tenantId, displayName: 'sponsorship', resourceGroups: new Map() });
    costs(fake).unsupportedOffers.set(sponsored, 'MS-AZR-0036P');
    await yaml({ subscription: sponsored });
    const run = await mac(['cost', 'report', '-e', 'prod']);
    expect(run.code).toBe(4);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain(`Cost Management has no cost data for subscription ${sponsored}: its offer (MS-AZR-0036P) is not one Cost Management supports`);
    expect(run.stderr).toMatch(/mac cost estimate -e <env>' still prices the plan/);
    expect(run.stderr).not.toMatch(/please report|at .*\.js:/);
  });

  it('--fail-on exits 5 when the month-end projection passes it, after printing the report', async () => {
    const run = await mac(['cost', 'report', '-e', 'prod', '--fail-on', '80']);
    expect(run.code).toBe(5);
    expect(run.stdout).toMatch(/TOTAL/);
    expect(run.stderr).toMatch(/Projected \$360\.00 this month \(actual \$300\.00 \+ forecast \$60\.00\) is 100% of the \$360 budget \(fail-on 80%\)/);
    expect((await mac(['cost', 'report', '-e', 'prod', '--fail-on', '101'])).code).toBe(0);
  });
});

describe('mac cost budget apply', () => {
  const expectedBody = (amount: number) => ({
    properties: {
      category: 'Cost',
      amount,
      timeGrain: 'Monthly',
      timePeriod: { startDate: '2026-11-01T00:00:00.000Z' },
      notifications: {
        Actual_GreaterThan_83_Percent: { enabled: true, operator: 'GreaterThan', threshold: 83, thresholdType: 'Actual', contactEmails: ['ops@example.com', 'finance@example.com'], contactRoles: ['Owner'] },
        Actual_GreaterThan_93_Percent: { enabled: true, operator: 'GreaterThan', threshold: 93, thresholdType: 'Actual', contactEmails: ['ops@example.com', 'finance@example.com'], contactRoles: ['Owner'] },
      },
    },
  });

  it('shows the difference, refuses without --yes when it cannot ask, creates with --yes, then has nothing to change', async () => {
    const preview = await mac(['cost', 'budget', 'apply', '-e', 'prod']);
    expect(preview.code).toBe(2);
    expect(preview.stdout).toContain(`Budget ${BUDGET} on /subscriptions/${fake.subscriptionId} (create):`);
    expect(preview.stdout).toContain('+ amount: $360');
    expect(preview.stdout).toContain('+ notification Actual_GreaterThan_93_Percent: 93 % actual, emails [ops@example.com, finance@example.com], roles [Owner]');
    expect(preview.stderr).toMatch(/run again with --yes/);
    expect(costs(fake).budgetPuts).toEqual([]);

    const created = await mac(['cost', 'budget', 'apply', '-e', 'prod', '--yes']);
    expect(created.code, created.stderr).toBe(0);
    expect(created.stdout).toContain(`Budget ${BUDGET} created.`);
    expect(costs(fake).budgetPuts).toEqual([{ name: BUDGET, body: expectedBody(360) }]);
    const put = fake.requests.find((r) => r.method === 'PUT')!;
    expect(put.path).toBe(`/subscriptions/${fake.subscriptionId}/providers/Microsoft.Consumption/budgets/${BUDGET}`);

    const again = await mac(['cost', 'budget', 'apply', '-e', 'prod', '--yes']);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toMatch(/matches mac\.yaml: nothing to change/);
    expect(costs(fake).budgetPuts).toHaveLength(1);

    // The report now reads Azure's budget.
    const report = JSON.parse((await mac(['cost', 'report', '-e', 'prod', '--json', '--refresh'])).stdout) as Report;
    expect(report.budget).toMatchObject({ exists: true, source: 'azure', currentSpendUsd: 300, forecastSpendUsd: 360 });
  });

  it('updates a changed amount with the budget eTag, keeping its start date', async () => {
    const seeded = seedBudget(fake, BUDGET, {
      category: 'Cost',
      amount: 300,
      timeGrain: 'Monthly',
      timePeriod: { startDate: '2026-06-01T00:00:00Z' },
      notifications: { Actual_GreaterThan_80_Percent: { enabled: true, operator: 'GreaterThan', threshold: 80, thresholdType: 'Actual', contactEmails: ['old@example.com'] } },
    });
    await yaml({ amount: 400 });
    const run = await mac(['cost', 'budget', 'apply', '-e', 'prod', '--yes', '--json']);
    expect(run.code, run.stderr).toBe(0);
    const doc = JSON.parse(run.stdout) as { action: string; changes: string[] };
    expect(doc.action).toBe('updated');
    expect(doc.changes).toEqual([
      '~ amount: $300 → $400',
      '+ notification Actual_GreaterThan_83_Percent: 83 % actual, emails [ops@example.com, finance@example.com], roles [Owner]',
      '+ notification Actual_GreaterThan_93_Percent: 93 % actual, emails [ops@example.com, finance@example.com], roles [Owner]',
      '- notification Actual_GreaterThan_80_Percent: 80 % actual, emails [old@example.com], roles []',
    ]);
    const body = expectedBody(400);
    expect(costs(fake).budgetPuts).toEqual([{ name: BUDGET, body: { eTag: seeded.eTag, properties: { ...body.properties, timePeriod: { startDate: '2026-06-01T00:00:00.000Z' } } } }]);
  });

  it('refuses when the Terraform folder declares the budget, unless --force', async () => {
    const tf = path.join(dir, 'terraform', 'phase4_prod');
    await mkdir(tf, { recursive: true });
    await writeFile(path.join(tf, 'budget_alerts.tf'), 'resource "azurerm_consumption_budget_subscription" "monthly" {\n  name = "x"\n}\n');
    const refused = await mac(['cost', 'budget', 'apply', '-e', 'prod', '--yes']);
    expect(refused.code).toBe(4);
    expect(refused.stderr).toMatch(/Terraform manages the budget of "prod": terraform\/phase4_prod\/budget_alerts\.tf declares azurerm_consumption_budget_subscription/);
    expect(refused.stderr).toMatch(/mac infra apply -e prod.*--force/s);
    expect(costRequests()).toEqual([]);
    const forced = await mac(['cost', 'budget', 'apply', '-e', 'prod', '--yes', '--force']);
    expect(forced.code, forced.stderr).toBe(0);
    expect(costs(fake).budgetPuts).toHaveLength(1);
  });

  it('a local environment has no budget to apply (exit 2)', async () => {
    expect((await mac(['cost', 'budget', 'apply', '-e', 'local', '--yes'])).code).toBe(2);
  });
});
