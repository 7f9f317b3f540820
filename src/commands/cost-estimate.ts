// mac cost estimate: the projected monthly cost of an azure environment's Terraform plan (nothing is applied), priced
// with the cost report's price table and the environment's usage assumptions, against its budget.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { Command, Option } from 'commander';
import type { Deps } from '../deps.js';
import { BudgetBreachedError, UsageError } from '../errors.js';
import type { PlanEstimate } from '../cost/plan-estimate.js';

export interface CostEstimateOptions {
  format?: 'table' | 'json' | 'markdown' | 'csv';
  failOn?: number;
  conversationsPerMonth?: number;
  /** Price this `terraform show -json` document instead of planning. */
  planJson?: string;
  lockTimeout?: number;
  json?: boolean;
}

/** --fail-on of the cost commands: a percent of the budget. */
export function failOnPercent(v: string): number {
  const n = Number(v);
  if (!Number.isFinite(n) || n < 1 || n > 200) throw new UsageError(`--fail-on expects a percent from 1 to 200, got "${v}".`);
  return n;
}

export function nonNegative(flag: string) {
  return (v: string): number => {
    const n = Number(v);
    if (!Number.isFinite(n) || n < 0) throw new UsageError(`${flag} expects a number ≥ 0, got "${v}".`);
    return n;
  };
}

export function costEstimateCommand(deps: Deps): Command {
  return new Command('estimate')
    .description("Projected monthly cost of the azure environment's Terraform plan (nothing is applied), against its budget")
    .addOption(new Option('--format <format>', 'output format').choices(['table', 'json', 'markdown', 'csv']).default('table'))
    .option('--fail-on <percent>', 'exit 5 when the projection reaches this percent of the budget (1-200)', failOnPercent)
    .option('--conversations-per-month <n>', "override mac.yaml's usage.conversationsPerMonth", nonNegative('--conversations-per-month'))
    .option('--plan-json <file>', 'price this `terraform show -json` output instead of running terraform plan')
    .option('--lock-timeout <seconds>', 'how long to wait for the Terraform state lock', nonNegative('--lock-timeout'), 30)
    .addHelpText(
      'after',
      `
Every resource of the plan is priced, classified free (with the reason), or listed as unpriced (not in the total).
Usage lines (tokens, request units, operations) come from mac.yaml's usage block: conversationsPerMonth (3000),
turnsPerConversation (3), tokensPerConversation (turns × 1,150).

Examples:
  $ mac cost estimate -e prod
  $ mac cost estimate -e prod --format markdown > cost.md
  $ mac cost estimate -e prod --conversations-per-month 10000 --fail-on 93
  $ terraform show -json tfplan > plan.json && mac cost estimate -e prod --plan-json plan.json --json`,
    )
    .action(async (_flags, cmd: Command) => {
      const opts = cmd.optsWithGlobals() as CostEstimateOptions;
      const estimate = await costEstimateRun(opts, deps);
      const format = opts.json || deps.io.json ? 'json' : (opts.format ?? 'table');
      const env = await deps.environment();
      print(estimate, env.name, format, deps);
      if (opts.failOn !== undefined && estimate.budget.percentOfBudget >= opts.failOn) {
        throw new BudgetBreachedError(
          `Projected $${estimate.totalUsd.toFixed(2)}/month is ${estimate.budget.percentOfBudget}% of the $${estimate.budget.amountUsd} budget (fail-on ${opts.failOn}%).`,
          'See the biggest lines above and the notes for what to cut.',
        );
      }
    });
}

/** Plans the environment's Terraform (init + plan, never apply) or reads --plan-json, and prices it. */
export async function costEstimateRun(opts: CostEstimateOptions, deps: Deps): Promise<PlanEstimate & { environment: string; source: string }> {
  const env = await deps.environment();
  const month = deps.clock.now().toISOString().slice(0, 7);
  const { estimatePlan } = await import('../cost/plan-estimate.js');
  if (opts.planJson) {
    const file = path.resolve(deps.cwd, opts.planJson);
    let plan: unknown;
    try {
      plan = JSON.parse(await readFile(file, 'utf8'));
    } catch (err) {
      throw new UsageError(`Could not read ${file} as JSON: ${(err as Error).message}`, 'Give the output of terraform show -json <planfile>.');
    }
    return { environment: env.name, source: file, ...estimatePlan({ plan, env: env.config, month, conversationsPerMonth: opts.conversationsPerMonth }) };
  }
  const { azureEnvironment, TerraformStack } = await import('../terraform/stack.js');
  const stack = await TerraformStack.open(azureEnvironment(env, 'mac cost estimate'), {
    runner: deps.runner,
    processEnv: deps.env,
    lockTimeoutSeconds: opts.lockTimeout ?? 30,
  });
  const { io } = deps;
  const run = async <T>(label: string, fn: () => Promise<T>): Promise<T> => {
    const s = io.step(label);
    try {
      const result = await fn();
      s.done();
      return result;
    } catch (err) {
      s.fail((err as Error).message.split('\n')[0]);
      throw err;
    }
  };
  await run('terraform init', () => stack.init());
  try {
    await run('terraform plan', () => stack.plan());
    const plan = await stack.tf.showJson(stack.planFile);
    return { environment: env.name, source: stack.dir, ...estimatePlan({ plan, env: env.config, month, conversationsPerMonth: opts.conversationsPerMonth }) };
  } finally {
    await stack.discardPlan();
  }
}

const $ = (n: number) => `$${n.toFixed(2)}`;
const mdCell = (s: string) => s.replace(/\|/g, '\\|');

function print(e: PlanEstimate & { environment: string; source: string }, environment: string, format: string, deps: Deps): void {
  const { io } = deps;
  if (format === 'json') return io.result(e);
  if (format === 'csv') {
    const field = (v: string | number) => {
      const s = String(v);
      return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
    };
    const rows = [['address', 'type', 'service', 'line', 'status', 'monthly_usd', 'basis'], ...e.lines.map((l) => [l.address, l.type, l.service ?? '', l.line, l.status, l.monthlyUsd.toFixed(2), l.basis])];
    return io.out(rows.map((r) => r.map(field).join(',')).join('\r\n') + '\r\n');
  }
  if (format === 'markdown') {
    const out: string[] = [`## Projected Azure cost of the Terraform plan — ${environment}, ${e.month}`, ''];
    out.push('| Resource | Type | Service | Line | Monthly (USD) | Basis |', '|---|---|---|---|---:|---|');
    for (const l of e.lines)
      out.push(`| ${mdCell(l.address)} | ${mdCell(l.type)} | ${mdCell(l.service ?? '—')} | ${mdCell(l.line)} | ${l.status === 'unpriced' ? '**unpriced**' : l.monthlyUsd.toFixed(2)} | ${mdCell(l.basis)} |`);
    out.push(`| **Total** | | | | **${e.totalUsd.toFixed(2)}** | |`, '', '| Service | Monthly (USD) |', '|---|---:|');
    for (const s of e.services) out.push(`| ${mdCell(s.service)} | ${s.monthlyUsd.toFixed(2)} |`);
    out.push('', `Budget $${e.budget.amountUsd.toFixed(2)}: projection is ${e.budget.percentOfBudget}% of it${e.budget.exceeded ? ' (**over budget**)' : ''}.`, '');
    for (const t of e.budget.thresholds) out.push(`- ${t.percent}% ($${t.amountUsd.toFixed(2)}): ${t.fires ? '**would fire**' : 'would not fire'}`);
    out.push('', '### Notes', '', ...e.notes.map((n) => `- ${mdCell(n)}`));
    return io.out(out.join('\n') + '\n');
  }
  io.out(`Environment ${environment} — projected monthly Azure cost of its Terraform plan (${e.resources} resources, ${e.month}: ${e.hoursInMonth} h)`);
  io.out('');
  io.out(
    io.table(
      e.lines.filter((l) => l.status !== 'free'),
      [
        { header: 'resource', value: (l) => l.address },
        { header: 'service', value: (l) => l.service ?? '—' },
        { header: 'line', value: (l) => l.line },
        { header: 'monthly', value: (l) => (l.status === 'unpriced' ? io.style('yellow', 'unpriced') : $(l.monthlyUsd)), align: 'right' },
        { header: 'basis', value: (l) => l.basis },
      ],
    ),
  );
  const free = e.lines.filter((l) => l.status === 'free');
  if (free.length) io.out(`\n${free.length} resource(s) free: ${[...new Set(free.map((l) => l.type))].join(', ')}.`);
  io.out('');
  io.out(
    io.table([...e.services, { service: 'TOTAL', monthlyUsd: e.totalUsd }], [
      { header: 'service', value: (s) => s.service },
      { header: 'monthly', value: (s) => $(s.monthlyUsd), align: 'right' },
    ]),
  );
  io.out('');
  io.out(`Budget ${$(e.budget.amountUsd)}: projection is ${e.budget.percentOfBudget}% of it${e.budget.exceeded ? ` — ${io.style('red', 'over budget')}: mac infra apply and mac deploy refuse it without --over-budget-ok` : ''}`);
  for (const t of e.budget.thresholds) io.out(`  ${t.percent}% (${$(t.amountUsd)}): ${t.fires ? io.style('red', 'would fire') : io.style('green', 'would not fire')}`);
  io.out('');
  io.out('Notes:');
  for (const n of e.notes) io.out(`  - ${n}`);
}
