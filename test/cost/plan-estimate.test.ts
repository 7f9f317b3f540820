// The plan estimate against a `terraform show -json` of the scaffolded templates (fixtures/phase4-plan.json: a first
// plan of templates/terraform/phase4_prod with its defaults — every resource instance the templates declare, with
// the `after` values Terraform knows at plan time). The template list of resource types comes from parsing the
// templates themselves (hcl2json), so a resource added to them without a price fails here.
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { environmentSchema } from '../../src/config/schema.js';
import { biggestLines, checkBudget, estimatePlan, FREE_TYPES, plannedResources } from '../../src/cost/plan-estimate.js';
import { PRICES } from '../../src/cost/prices.js';
import { BudgetBreachedError, ExitCode } from '../../src/errors.js';
import { loadHclDirectory, resources } from '../helpers/hcl.js';

const root = path.resolve(import.meta.dirname, '../..');
const templates = path.join(root, 'templates/terraform');
const fixture = async () => JSON.parse(await readFile(path.join(import.meta.dirname, 'fixtures/phase4-plan.json'), 'utf8')) as { resource_changes: any[] };
const env = (extra: Record<string, unknown> = {}) => environmentSchema.parse({ target: 'azure', subscription: '11111111-2222-3333-4444-555555555555', ...extra });
/** November: 30 days, 720 hours (the cost report's convention: the month's own hours). */
const MONTH = '2026-11';

async function templateResourceTypes(): Promise<Set<string>> {
  const dirs = [path.join(templates, 'phase4_prod'), ...(await readdir(path.join(templates, 'modules'))).map((m) => path.join(templates, 'modules', m))];
  const types = new Set<string>();
  for (const dir of dirs) for (const [type] of resources((await loadHclDirectory(dir)).merged)) types.add(type);
  return types;
}

describe('estimatePlan', () => {
  it('the estimate prices every resource in the scaffolded templates (none unsupported)', async () => {
    const declared = await templateResourceTypes();
    expect(declared.size).toBeGreaterThanOrEqual(30);
    const plan = await fixture();
    // The fixture covers every type the templates declare…
    expect([...declared].filter((t) => !plan.resource_changes.some((r) => r.type === t))).toEqual([]);
    const e = estimatePlan({ plan, env: env(), month: MONTH });
    // …and each of its resources is priced or classified free, with a reason.
    expect(e.unpriced).toEqual([]);
    expect(e.lines.filter((l) => l.status === 'unpriced')).toEqual([]);
    expect(e.resources).toBe(plannedResources(plan).length);
    for (const type of declared) {
      const lines = e.lines.filter((l) => l.type === type);
      expect(lines.length, type).toBeGreaterThan(0);
      for (const l of lines) {
        expect(['priced', 'free'], `${l.address}`).toContain(l.status);
        expect(l.basis, l.address).not.toBe('');
        if (l.status === 'free') expect(FREE_TYPES[type], type).toBeDefined();
      }
    }
    // Each resource instance of the plan has at least one line (priced ones may have several).
    expect(new Set(e.lines.map((l) => l.address)).size).toBe(e.resources);
  });

  it('prices Container Instances as vCPU-seconds and GB-seconds of each group over the hours of the month', async () => {
    const e = estimatePlan({ plan: await fixture(), env: env(), month: MONTH });
    const groups = e.lines.filter((l) => l.type === 'azurerm_container_group');
    expect(groups).toHaveLength(9); // 8 agents + NATS
    const seconds = 720 * 3600;
    const intent = groups.find((l) => l.address === 'module.agent["intent-classifier"].azurerm_container_group.this')!;
    expect(intent.monthlyUsd).toBe(Math.round((0.5 * seconds * PRICES.aciVcpuSecond.unitPrice + 1 * seconds * PRICES.aciGbSecond.unitPrice) * 100) / 100);
    expect(intent.monthlyUsd).toBe(21.38); // 1,296,000 vCPU-s × $0.0000135 = $17.496 + 2,592,000 GB-s × $0.0000015 = $3.888
    expect(intent.basis).toContain('1,296,000 vCPU-s × $0.0000135');
    expect(intent.basis).toContain('2,592,000 GB-s × $0.0000015');
    const en = groups.find((l) => l.address === 'module.agent["response-generator-en"].azurerm_container_group.this')!;
    expect(en.monthlyUsd).toBe(42.77); // 2,592,000 vCPU-s = $34.992 + 5,184,000 GB-s = $7.776
    expect(groups.find((l) => l.address === 'azurerm_container_group.nats')!.monthlyUsd).toBe(21.38);
    // A 31-day month has 744 hours.
    const dec = estimatePlan({ plan: await fixture(), env: env(), month: '2026-12' });
    expect(dec.lines.find((l) => l.address === intent.address)!.monthlyUsd).toBe(Math.round(0.5 * 744 * 3600 * 0.0000135 * 100 + 744 * 3600 * 0.0000015 * 100) / 100);
  });

  it('totals per service and overall; the default templates project $709.47 for a 30-day month, 197 % of the $360 budget', async () => {
    const e = estimatePlan({ plan: await fixture(), env: env(), month: MONTH });
    expect(e.usage).toEqual({ conversationsPerMonth: 3000, turnsPerConversation: 3, tokensPerConversation: 3450, turnsPerMonth: 9000 });
    expect(Object.fromEntries(e.services.map((s) => [s.service, s.monthlyUsd]))).toEqual({
      'Container Instances': 256.59,
      'Azure OpenAI': 22.66,
      'Cosmos DB': 4.59,
      'Key Vault': 0.38,
      'Blob Storage + CDN': 37.02,
      'Application Insights': 31.6,
      Networking: 356.03,
      'NATS JetStream': 0.6,
    });
    const priced = e.lines.filter((l) => l.status === 'priced');
    expect(e.totalUsd).toBeCloseTo(priced.reduce((s, l) => s + l.monthlyUsd, 0), 9);
    expect(e.totalUsd).toBeCloseTo(e.services.reduce((s, x) => s + x.monthlyUsd, 0), 9);
    expect(e.totalUsd).toBe(709.47);
    expect(e.budget).toMatchObject({ amountUsd: 360, percentOfBudget: 197.08, exceeded: true });
    // The gateway is the biggest line: its fixed fee alone is $318.96.
    expect(priced.find((l) => l.line === 'WAF_v2 fixed')).toMatchObject({ address: 'azurerm_application_gateway.main', monthlyUsd: 318.96 });
    expect(biggestLines(e, 2)).toEqual([
      { address: 'azurerm_application_gateway.main', monthlyUsd: 329.33 },
      { address: 'module.agent["response-generator-en"].azurerm_container_group.this', monthlyUsd: 42.77 },
    ]);
    expect(e.notes.join('\n')).toMatch(/WAF_v2 Application Gateway's fixed fee alone is \$318\.96\/month/);
  });

  it('says which thresholds (83 %, 93 %) would fire against the budget amount', async () => {
    const plan = await fixture();
    const fires = (amount: number) => estimatePlan({ plan, env: env({ budget: { amount } }), month: MONTH }).budget;
    expect(fires(360).thresholds).toEqual([
      { fraction: 0.83, percent: 83, amountUsd: 298.8, fires: true },
      { fraction: 0.93, percent: 93, amountUsd: 334.8, fires: true },
    ]);
    // $800: 83 % is $664 (709.47 reaches it), 93 % is $744 (it does not); not over budget.
    expect(fires(800)).toMatchObject({ exceeded: false, thresholds: [{ amountUsd: 664, fires: true }, { amountUsd: 744, fires: false }] });
    expect(fires(1000)).toMatchObject({ exceeded: false, percentOfBudget: 70.95, thresholds: [{ fires: false }, { fires: false }] });
  });

  it('usage comes from mac.yaml (conversations, turns, tokens per conversation) or the override', async () => {
    const plan = await fixture();
    const openai = (e: ReturnType<typeof estimatePlan>) => e.services.find((s) => s.service === 'Azure OpenAI')!.monthlyUsd;
    const base = estimatePlan({ plan, env: env(), month: MONTH });
    const ten = estimatePlan({ plan, env: env(), month: MONTH, conversationsPerMonth: 30_000 });
    expect(ten.usage.turnsPerMonth).toBe(90_000);
    // $0.0025165 a turn (gpt-4o-mini 500 in + 100 out, gpt-4o 350 in + 150 out, 50 embedding tokens), per line rounded.
    expect(openai(base)).toBeCloseTo(9_000 * 0.0025165, 1);
    expect(openai(ten)).toBeCloseTo(90_000 * 0.0025165, 1);
    // Twice the tokens per conversation doubles the token lines and nothing else.
    const tokens = estimatePlan({ plan, env: env({ usage: { tokensPerConversation: 6900 } }), month: MONTH });
    expect(openai(tokens)).toBeCloseTo(2 * 9_000 * 0.0025165, 1);
    expect(tokens.services.find((s) => s.service === 'Cosmos DB')).toEqual(base.services.find((s) => s.service === 'Cosmos DB'));
    const idle = estimatePlan({ plan, env: env({ usage: { conversationsPerMonth: 0 } }), month: MONTH });
    expect(openai(idle)).toBe(0);
    expect(idle.lines.filter((l) => l.kind === 'usage' && l.monthlyUsd !== 0 && l.line !== 'PII tokenization operations')).toEqual([]);
  });

  it('lists a type it does not know as unpriced (not silently $0), leaves deleted resources and data sources out', async () => {
    const plan = await fixture();
    plan.resource_changes.push(
      { address: 'azurerm_kubernetes_cluster.aks', mode: 'managed', type: 'azurerm_kubernetes_cluster', name: 'aks', change: { actions: ['create'], after: { name: 'aks' } } },
      { address: 'azurerm_public_ip.old', mode: 'managed', type: 'azurerm_public_ip', name: 'old', change: { actions: ['delete'], after: null } },
      { address: 'data.azurerm_subscription.current', mode: 'data', type: 'azurerm_subscription', name: 'current', change: { actions: ['read'], after: {} } },
    );
    const e = estimatePlan({ plan, env: env(), month: MONTH });
    expect(e.unpriced).toEqual([{ address: 'azurerm_kubernetes_cluster.aks', type: 'azurerm_kubernetes_cluster', reason: "resource type azurerm_kubernetes_cluster is not in mac's price table" }]);
    expect(e.lines.find((l) => l.address === 'azurerm_kubernetes_cluster.aks')).toMatchObject({ status: 'unpriced', service: null, monthlyUsd: 0 });
    expect(e.lines.some((l) => l.address === 'azurerm_public_ip.old' || l.address.startsWith('data.'))).toBe(false);
    expect(e.totalUsd).toBe(709.47);
    expect(e.notes[0]).toBe('1 resource(s) could not be priced and are not in the total: azurerm_kubernetes_cluster.aks (azurerm_kubernetes_cluster).');
    // A known type in a configuration the table cannot price is unpriced too.
    const provisioned = structuredClone(await fixture());
    provisioned.resource_changes.find((r) => r.type === 'azurerm_cosmosdb_account').change.after.capabilities = [{ name: 'EnableMongo' }];
    expect(estimatePlan({ plan: provisioned, env: env(), month: MONTH }).unpriced).toEqual([
      { address: 'module.cosmos.azurerm_cosmosdb_account.this', type: 'azurerm_cosmosdb_account', reason: 'provisioned throughput is not in the price table (serverless only)' },
    ]);
  });

  it('prices a Standard_v2 gateway at its own rates ($563.02 in all: still over $360)', async () => {
    const plan = await fixture();
    const gw = plan.resource_changes.find((r) => r.type === 'azurerm_application_gateway');
    gw.change.after.sku = [{ name: 'Standard_v2', tier: 'Standard_v2' }];
    const e = estimatePlan({ plan, env: env(), month: MONTH });
    expect(e.lines.filter((l) => l.type === 'azurerm_application_gateway').map((l) => [l.line, l.monthlyUsd])).toEqual([
      ['Standard_v2 fixed', 177.12],
      ['Standard_v2 capacity units', 5.76],
    ]);
    expect(e.totalUsd).toBe(563.02);
  });
});

describe('checkBudget (the cost gate)', () => {
  it('refuses an over-budget projection with exit 5, naming the projection, the budget and the biggest lines', async () => {
    const e = estimatePlan({ plan: await fixture(), env: env(), month: MONTH });
    let err: unknown;
    try {
      checkBudget(e, { environment: 'prod', command: 'mac infra apply -e prod' });
    } catch (x) {
      err = x;
    }
    expect(err).toBeInstanceOf(BudgetBreachedError);
    expect((err as BudgetBreachedError).exitCode).toBe(ExitCode.budgetBreached);
    expect((err as Error).message).toBe(
      'The planned infrastructure of prod is projected at $709.47/month, over its $360.00 budget (197.08%). Biggest lines: azurerm_application_gateway.main $329.33, ' +
        'module.agent["response-generator-en"].azurerm_container_group.this $42.77, module.agent["response-generator-es"].azurerm_container_group.this $42.77. Nothing was applied.',
    );
    expect((err as BudgetBreachedError).suggestion).toMatch(/mac infra apply -e prod --over-budget-ok/);
    expect(() => checkBudget(e, { environment: 'prod', command: 'mac infra apply -e prod', overBudgetOk: true })).not.toThrow();
    const roomy = estimatePlan({ plan: await fixture(), env: env({ budget: { amount: 750 } }), month: MONTH });
    expect(() => checkBudget(roomy, { environment: 'prod', command: 'mac deploy -e prod' })).not.toThrow();
  });
});
