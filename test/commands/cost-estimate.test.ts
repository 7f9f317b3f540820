// mac cost estimate and the cost gate of `mac infra apply` / the azure target's provision, with the real terraform
// binary on `terraform_data` stacks (no provider can be downloaded offline).
//
// How a terraform_data stack carries priceable resources: each stand-in's `input` is `{ type, values }` — the azurerm
// type it stands for and the `after` values Terraform would plan for it. Terraform really plans, shows and applies the
// stack; the test's Runner (the process boundary, the only thing tests swap) rewrites the one `terraform show -json`
// output so those resource changes carry the stood-in type and values. Everything else — the plan file, the gate,
// the apply or its refusal, the state — is real.
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig, resolveEnvironment } from '../../src/config/load.js';
import { BudgetBreachedError } from '../../src/errors.js';
import { execaRunner, type Runner } from '../../src/exec.js';
import type { SecretStore } from '../../src/secrets/store.js';
import { AzureTarget } from '../../src/targets/azure/target.js';
import type { AzureEnvironment } from '../../src/terraform/stack.js';
import { runCli, tempDir } from '../helpers/cli.js';
import { hasTerraform } from '../helpers/terraform.js';

if (!hasTerraform) console.warn('SKIPPING the cost estimate tests that run Terraform: no `terraform` binary on PATH.');

const SUBSCRIPTION = '11111111-2222-3333-4444-555555555555';
const ENV = { TF_CLI_CONFIG_FILE: '/dev/null', CHECKPOINT_DISABLE: '1' };
/** November 2026: 720 hours. */
const NOW = new Date('2026-11-20T12:00:00Z');

/** Rewrites `terraform show -json`: a terraform_data whose input is `{type, values}` becomes that resource. */
const mimicRunner: Runner = {
  async run(command, args, options) {
    const result = await execaRunner.run(command, args, options);
    if (!(args.includes('show') && args.includes('-json')) || result.exitCode !== 0) return result;
    const doc = JSON.parse(result.stdout) as { resource_changes?: { type: string; address: string; change: { after?: { input?: { type?: string; values?: unknown } } } }[] };
    for (const r of doc.resource_changes ?? []) {
      const input = r.change.after?.input;
      if (r.type !== 'terraform_data' || !input?.type) continue;
      r.type = input.type;
      r.change.after = input.values as never;
    }
    return { ...result, stdout: JSON.stringify(doc) };
  },
};

const AGENTS = ['intent-classifier', 'knowledge-retrieval', 'response-generator-en', 'response-generator-fr', 'response-generator-es', 'escalation-handler', 'analytics-processor', 'critic-supervisor'];

/** A WAF_v2 gateway ($329.33 in November) and one 1 vCPU / 2 GB group ($42.77) — $372.10 — plus the outputs provision reads. */
const PRICED_STACK = `
resource "terraform_data" "gateway" {
  input = {
    type   = "azurerm_application_gateway"
    values = { sku = [{ name = "WAF_v2", tier = "WAF_v2" }], autoscale_configuration = [{ min_capacity = 0, max_capacity = 2 }] }
  }
}

resource "terraform_data" "agent" {
  input = {
    type   = "azurerm_container_group"
    values = { os_type = "Linux", container = [{ name = "response-generator-en", cpu = 1, memory = 2 }] }
  }
}

resource "terraform_data" "vnet" {
  input = { type = "azurerm_virtual_network", values = { name = "vnet" } }
}

output "container_group_names" {
  value = { ${AGENTS.map((a) => `"${a}" = "ci-${a}"`).join(', ')} }
}

output "agents_identity_id" {
  value = "/subscriptions/${SUBSCRIPTION}/resourceGroups/rg/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id-agents"
}
`;

/** Plain terraform_data: nothing the price table knows. */
const PLAIN_STACK = `
resource "terraform_data" "a" {
  input = "alpha"
}

resource "terraform_data" "b" {
  input = "beta"
}
`;

const macYaml = (budget: number) => `version: 1
environments:
  prod:
    target: azure
    subscription: ${SUBSCRIPTION}
    terraformDir: infra/stack
    budget:
      amount: ${budget}
`;

describe('mac cost estimate and the cost gate', () => {
  let dir: string;
  let stack: string;
  let cleanup: () => Promise<void>;
  beforeEach(async () => {
    ({ dir, cleanup } = await tempDir('mac-cost-estimate-'));
    stack = path.join(dir, 'infra', 'stack');
    await mkdir(stack, { recursive: true });
  });
  afterEach(() => cleanup());

  const setup = async (tf: string, budget: number) => {
    await writeFile(path.join(stack, 'main.tf'), tf);
    await writeFile(path.join(dir, 'mac.yaml'), macYaml(budget));
  };
  const mac = (args: string[], runner?: Runner) => runCli(args, { cwd: dir, env: ENV, runner, now: NOW });
  const stateResources = async () => {
    const file = path.join(stack, 'terraform.tfstate');
    if (!existsSync(file)) return [];
    return (JSON.parse(await readFile(file, 'utf8')) as { resources: { name: string }[] }).resources.map((r) => r.name).sort();
  };

  it.skipIf(!hasTerraform)('on a terraform_data stack, an unknown type is listed unpriced, not $0 — and nothing is applied', async () => {
    await setup(PLAIN_STACK, 360);
    const run = await mac(['cost', 'estimate', '-e', 'prod', '--json']);
    expect(run.code, run.stderr).toBe(0);
    const doc = JSON.parse(run.stdout);
    expect(doc).toMatchObject({ environment: 'prod', source: stack, month: '2026-11', hoursInMonth: 720, resources: 2, totalUsd: 0 });
    expect(doc.unpriced).toEqual([
      { address: 'terraform_data.a', type: 'terraform_data', reason: "resource type terraform_data is not in mac's price table" },
      { address: 'terraform_data.b', type: 'terraform_data', reason: "resource type terraform_data is not in mac's price table" },
    ]);
    expect(doc.lines.map((l: { status: string }) => l.status)).toEqual(['unpriced', 'unpriced']);
    expect(await stateResources()).toEqual([]);
    expect(existsSync(path.join(dir, '.mac', 'prod', 'tfplan'))).toBe(false);

    const table = await mac(['cost', 'estimate', '-e', 'prod']);
    expect(table.code).toBe(0);
    expect(table.stdout).toMatch(/^terraform_data\.a\s+—\s+unpriced\s+unpriced\s+resource type terraform_data is not in mac's price table$/m);
    expect(table.stdout).toMatch(/2 resource\(s\) could not be priced and are not in the total/);
  });

  it.skipIf(!hasTerraform)('prices the stood-in resources, prints table/markdown/csv, and --fail-on exits 5', async () => {
    await setup(PRICED_STACK, 360);
    const run = await mac(['cost', 'estimate', '-e', 'prod', '--json'], mimicRunner);
    expect(run.code, run.stderr).toBe(0);
    const doc = JSON.parse(run.stdout);
    expect(doc.totalUsd).toBe(372.1);
    expect(doc.unpriced).toEqual([]);
    expect(doc.budget).toMatchObject({ amountUsd: 360, exceeded: true, thresholds: [{ percent: 83, fires: true }, { percent: 93, fires: true }] });
    expect(doc.lines.find((l: { type: string }) => l.type === 'azurerm_container_group')).toMatchObject({ address: 'terraform_data.agent', monthlyUsd: 42.77, status: 'priced' });
    expect(doc.lines.find((l: { type: string }) => l.type === 'azurerm_virtual_network')).toMatchObject({ status: 'free', monthlyUsd: 0 });

    const table = await mac(['cost', 'estimate', '-e', 'prod'], mimicRunner);
    expect(table.stdout).toMatch(/^terraform_data\.gateway\s+Networking\s+WAF_v2 fixed\s+\$318\.96\s+720 h × \$0\.443\/gateway-h/m);
    expect(table.stdout).toMatch(/^TOTAL\s+\$372\.10$/m);
    expect(table.stdout).toMatch(/Budget \$360\.00: projection is 103\.36% of it — over budget/);
    expect(table.stdout).toMatch(/1 resource\(s\) free: azurerm_virtual_network\./);

    const md = await mac(['cost', 'estimate', '-e', 'prod', '--format', 'markdown'], mimicRunner);
    expect(md.stdout).toMatch(/^\| \*\*Total\*\* \| \| \| \| \*\*372\.10\*\* \| \|$/m);
    const csv = await mac(['cost', 'estimate', '-e', 'prod', '--format', 'csv'], mimicRunner);
    expect(csv.stdout.split('\r\n')[0]).toBe('address,type,service,line,status,monthly_usd,basis');
    expect(csv.stdout).toContain('terraform_data.agent,azurerm_container_group,Container Instances,');

    const fail = await mac(['cost', 'estimate', '-e', 'prod', '--fail-on', '93'], mimicRunner);
    expect(fail.code).toBe(5);
    expect(fail.stderr).toMatch(/Projected \$372\.10\/month is 103\.36% of the \$360 budget \(fail-on 93%\)/);
    expect(await stateResources()).toEqual([]);
  });

  it('--plan-json prices a saved show -json without Terraform (the scaffolded templates: $709.47 in November)', async () => {
    await setup(PLAIN_STACK, 360);
    const run = await mac(['cost', 'estimate', '-e', 'prod', '--plan-json', path.resolve(import.meta.dirname, '../cost/fixtures/phase4-plan.json'), '--json']);
    expect(run.code, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ totalUsd: 709.47, unpriced: [], budget: { percentOfBudget: 197.08, exceeded: true } });
  });

  it.skipIf(!hasTerraform)('mac infra apply refuses a plan projected over budget (exit 5, nothing applied); --over-budget-ok applies it', async () => {
    await setup(PRICED_STACK, 300);
    const refused = await mac(['infra', 'apply', '-e', 'prod', '--yes'], mimicRunner);
    expect(refused.code, refused.stderr).toBe(5);
    expect(refused.stderr).toMatch(/✗ cost gate/);
    expect(refused.stderr).toContain(
      'error: The planned infrastructure of prod is projected at $372.10/month, over its $300.00 budget (124.03%). Biggest lines: terraform_data.gateway $329.33, terraform_data.agent $42.77. Nothing was applied.',
    );
    expect(refused.stderr).toMatch(/hint: .*mac infra apply -e prod --over-budget-ok/);
    expect(refused.stderr).not.toMatch(/terraform apply/);
    expect(await stateResources()).toEqual([]);
    expect(existsSync(path.join(dir, '.mac', 'prod', 'tfplan'))).toBe(false);

    const applied = await mac(['infra', 'apply', '-e', 'prod', '--yes', '--over-budget-ok'], mimicRunner);
    expect(applied.code, applied.stderr).toBe(0);
    expect(applied.stderr).toMatch(/cost gate: projected \$372\.10\/month of the \$300\.00 budget \(124\.03%\) — over budget, applying anyway \(--over-budget-ok\)/);
    expect(applied.stdout).toMatch(/Applied prod: 3 added/);
    expect(await stateResources()).toEqual(['agent', 'gateway', 'vnet']);
  });

  it.skipIf(!hasTerraform)('mac infra apply within budget passes the gate without the flag', async () => {
    await setup(PRICED_STACK, 400);
    const run = await mac(['infra', 'apply', '-e', 'prod', '--yes'], mimicRunner);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toMatch(/cost gate: projected \$372\.10\/month of the \$400\.00 budget \(93\.03%\)\n/);
    expect(await stateResources()).toEqual(['agent', 'gateway', 'vnet']);
  });

  it.skipIf(!hasTerraform)("mac deploy's azure provision: refuses over budget, applies with overBudgetOk passed down", async () => {
    await setup(PRICED_STACK, 300);
    const env = resolveEnvironment(await loadConfig(dir), 'prod') as AzureEnvironment;
    const target = new AzureTarget(env, {} as SecretStore, ENV, { runner: mimicRunner, now: () => NOW });
    const progress: string[] = [];
    const p = (m: string) => progress.push(m);
    const refused = await target.provision(p).then(
      () => undefined,
      (err: unknown) => err,
    );
    expect(refused).toBeInstanceOf(BudgetBreachedError);
    expect((refused as Error).message).toMatch(/^The planned infrastructure of prod is projected at \$372\.10\/month, over its \$300\.00 budget/);
    expect((refused as BudgetBreachedError).suggestion).toMatch(/mac deploy -e prod --over-budget-ok/);
    expect(await stateResources()).toEqual([]);
    expect(progress.some((m) => m.startsWith('terraform apply'))).toBe(false);

    await target.provision(p, { overBudgetOk: true });
    expect(progress).toContain('cost gate: projected $372.10/month of the $300.00 budget (124.03%) — over budget, applying anyway (--over-budget-ok)');
    expect(await stateResources()).toEqual(['agent', 'gateway', 'vnet']);
  });
});
