// mac cost budget apply: the subscription budget of an azure environment (amount, one Actual notification per
// threshold, contact emails) written through @azure/arm-consumption — for subscriptions where Terraform does not
// manage it. The templates declare it (budget_alerts.tf, azurerm_consumption_budget_subscription); when the
// environment's Terraform folder declares one, this refuses unless --force, because the next `terraform apply` would
// put its own values back (and a budget made here under that name would have to be imported first).
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { Command } from 'commander';
import type { Deps } from '../deps.js';
import { InterruptedError, PreconditionError, UsageError, UserError } from '../errors.js';
import type { AzureEnvironmentConfig } from '../config/schema.js';

export interface BudgetApplyOptions {
  force?: boolean;
  yes?: boolean;
  json?: boolean;
}

/** A budget notification as the Consumption API takes it. */
export interface BudgetNotification {
  enabled: boolean;
  operator: 'GreaterThan';
  threshold: number;
  thresholdType: 'Actual';
  contactEmails: string[];
  contactRoles: string[];
}

export interface BudgetBody {
  eTag?: string;
  properties: {
    category: 'Cost';
    amount: number;
    timeGrain: 'Monthly';
    timePeriod: { startDate: string; endDate?: string };
    notifications: Record<string, BudgetNotification>;
  };
}

/** Azure wants whole percentages; 0.83 × 100 is not exactly 83 in floating point (as budget_alerts.tf rounds). */
export const thresholdPercent = (fraction: number) => Math.floor(fraction * 100 + 0.5);

/** The body mac would PUT: amount, Monthly, one `Actual_GreaterThan_<n>_Percent` notification per threshold. */
export function desiredBudget(config: AzureEnvironmentConfig, startDate: string): BudgetBody {
  const notifications: Record<string, BudgetNotification> = {};
  for (const f of config.budget.thresholds) {
    const threshold = thresholdPercent(f);
    notifications[`Actual_GreaterThan_${threshold}_Percent`] = {
      enabled: true,
      operator: 'GreaterThan',
      threshold,
      thresholdType: 'Actual',
      contactEmails: [...config.budget.contactEmails],
      // Owners are told even when no email is configured (as the templates do).
      contactRoles: ['Owner'],
    };
  }
  return { properties: { category: 'Cost', amount: config.budget.amount, timeGrain: 'Monthly', timePeriod: { startDate }, notifications } };
}

interface ExistingBudget {
  eTag?: string;
  amount?: number;
  timeGrain?: string;
  timePeriod?: { startDate?: Date | string; endDate?: Date | string };
  notifications?: Record<string, { enabled?: boolean; operator?: string; threshold?: number; thresholdType?: string; contactEmails?: string[]; contactRoles?: string[] }>;
}

/** Human lines describing what a PUT would change ([] = nothing). Keys compare case-insensitively, as Azure does. */
export function budgetDiff(existing: ExistingBudget | undefined, desired: BudgetBody): string[] {
  const d = desired.properties;
  const describe = (n: { threshold?: number; enabled?: boolean; contactEmails?: string[]; contactRoles?: string[] }) =>
    `${n.threshold ?? '?'} % actual, ${n.enabled === false ? 'disabled, ' : ''}emails [${(n.contactEmails ?? []).join(', ')}], roles [${(n.contactRoles ?? []).join(', ')}]`;
  if (!existing) {
    return [
      `+ amount: $${d.amount}`,
      `+ timeGrain: ${d.timeGrain}, from ${d.timePeriod.startDate}`,
      ...Object.entries(d.notifications).map(([k, n]) => `+ notification ${k}: ${describe(n)}`),
    ];
  }
  const lines: string[] = [];
  if (existing.amount !== d.amount) lines.push(`~ amount: $${existing.amount ?? '?'} → $${d.amount}`);
  if ((existing.timeGrain ?? '') !== d.timeGrain) lines.push(`~ timeGrain: ${existing.timeGrain ?? '?'} → ${d.timeGrain}`);
  const have = new Map(Object.entries(existing.notifications ?? {}).map(([k, n]) => [k.toLowerCase(), { key: k, n }]));
  const sorted = (a?: string[]) => [...(a ?? [])].map((s) => s.toLowerCase()).sort().join(',');
  for (const [key, want] of Object.entries(d.notifications)) {
    const got = have.get(key.toLowerCase());
    have.delete(key.toLowerCase());
    if (!got) {
      lines.push(`+ notification ${key}: ${describe(want)}`);
      continue;
    }
    const n = got.n;
    const same =
      n.enabled === want.enabled &&
      n.operator === want.operator &&
      n.threshold === want.threshold &&
      (n.thresholdType ?? 'Actual') === want.thresholdType &&
      sorted(n.contactEmails) === sorted(want.contactEmails) &&
      sorted(n.contactRoles) === sorted(want.contactRoles);
    if (!same) lines.push(`~ notification ${key}: ${describe(n)} → ${describe(want)}`);
  }
  for (const { key, n } of have.values()) lines.push(`- notification ${key}: ${describe(n)}`);
  return lines;
}

/** The .tf file of the environment's Terraform folder that declares the subscription budget, if any. */
export async function terraformBudgetFile(dir: string): Promise<string | undefined> {
  const names = await readdir(dir).catch(() => [] as string[]);
  for (const name of names.filter((n) => n.endsWith('.tf')).sort()) {
    const text = await readFile(path.join(dir, name), 'utf8').catch(() => '');
    if (/^\s*resource\s+"azurerm_consumption_budget_subscription"/m.test(text)) return path.join(dir, name);
  }
  return undefined;
}

export function costBudgetCommand(deps: Deps): Command {
  const apply = new Command('apply')
    .description("Create or update the subscription budget of an azure environment from mac.yaml (amount, alert thresholds, contact emails), showing the difference first")
    .option('--force', "write the budget even though the environment's Terraform declares it (its next apply reverts this)")
    .addHelpText(
      'after',
      [
        '',
        'The budget is named as the templates name it: budget-<namePrefix>-<env>-monthly, Monthly, one "Actual" notification',
        'per budget.thresholds entry (83 %, 93 % by default) to budget.contactEmails and the subscription Owners.',
        'When terraform/phase4_prod (environments.<env>.terraformDir) declares azurerm_consumption_budget_subscription,',
        'Terraform owns the budget: change mac.yaml and run `mac infra apply` instead, or pass --force.',
        '',
        'Examples:',
        '  $ mac cost budget apply -e prod            # shows the difference, asks',
        '  $ mac cost budget apply -e prod --yes      # no question (CI)',
        '  $ mac cost budget apply -e prod --force    # although Terraform declares the budget',
      ].join('\n'),
    )
    .action(async (_flags, cmd: Command) => {
      await budgetApplyRun(cmd.optsWithGlobals() as BudgetApplyOptions, deps);
    });
  return new Command('budget').description("The environment's Azure budget and its alerts").addCommand(apply);
}

export interface BudgetApplyResult {
  environment: string;
  budget: string;
  scope: string;
  action: 'created' | 'updated' | 'unchanged' | 'preview';
  changes: string[];
  terraformManaged: string | null;
}

export async function budgetApplyRun(opts: BudgetApplyOptions, deps: Deps): Promise<BudgetApplyResult> {
  const { io } = deps;
  const env = await deps.environment();
  if (env.config.target !== 'azure')
    throw new UsageError(`Environment "${env.name}" is local: it has no Azure budget.`, 'Pick an azure environment: mac cost budget apply -e <env>.');
  const config = env.config;
  const { budgetName } = await import('../cost/azure-costs.js');
  const name = budgetName(env.name, config);
  const scope = `subscriptions/${config.subscription}`;

  const tfDir = path.resolve(deps.cwd, config.terraformDir);
  const declared = await terraformBudgetFile(tfDir);
  if (declared && !opts.force)
    throw new PreconditionError(
      `Terraform manages the budget of "${env.name}": ${path.relative(deps.cwd, declared) || declared} declares azurerm_consumption_budget_subscription (${name}), so a budget written here would be reverted by the next terraform apply, or make it fail until imported.`,
      `Change budget.* in mac.yaml and run: mac infra apply -e ${env.name}. To write it anyway, add --force.`,
    );

  const [{ ConsumptionManagementClient }, { createCredential }, { useCostRetry }] = await Promise.all([
    import('@azure/arm-consumption'),
    import('../azure/credential.js'),
    import('../cost/azure-costs.js'),
  ]);
  const client = new ConsumptionManagementClient(createCredential(config.cloud, deps.env), config.subscription, {
    endpoint: config.cloud.armEndpoint.replace(/\/$/, ''),
  });
  useCostRetry(client.pipeline);
  const { isUnsupportedOffer } = await import('../cost/azure-costs.js');
  const azureCall = async <T>(what: string, p: Promise<T>): Promise<T> => {
    try {
      return await p;
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      if (isUnsupportedOffer(message))
        throw new PreconditionError(
          `Subscription ${config.subscription} cannot have a Consumption budget: its offer is not one Cost Management supports.\nAzure said: ${message}`,
          "Budgets need an Enterprise Agreement, pay-as-you-go or Microsoft Customer Agreement subscription; 'mac cost estimate -e <env>' still works.",
        );
      throw new UserError(`${what} failed: ${message}`);
    }
  };

  let existing: ExistingBudget | undefined;
  try {
    existing = await client.budgets.get(scope, name);
  } catch (err) {
    if ((err as { statusCode?: number }).statusCode !== 404) await azureCall(`Reading budget ${name}`, Promise.reject(err as Error));
  }
  const start = existing?.timePeriod?.startDate;
  const startDate = start ? new Date(start).toISOString().replace(/\.\d{3}Z$/, 'Z') : `${deps.clock.now().toISOString().slice(0, 7)}-01T00:00:00Z`;
  const desired = desiredBudget(config, startDate);
  const changes = budgetDiff(existing, desired);
  const result = (action: BudgetApplyResult['action']): BudgetApplyResult => ({
    environment: env.name,
    budget: name,
    scope: `/${scope}`,
    action,
    changes,
    terraformManaged: declared ? path.relative(deps.cwd, declared) : null,
  });

  if (changes.length === 0) {
    if (io.json) io.result(result('unchanged'));
    else io.out(`Budget ${name} on /${scope} matches mac.yaml: nothing to change.`);
    return result('unchanged');
  }
  if (!io.json) {
    io.out(`Budget ${name} on /${scope} (${existing ? 'update' : 'create'}):`);
    for (const line of changes) io.out(`  ${line}`);
    if (declared) io.warn(`Terraform declares this budget (${path.relative(deps.cwd, declared)}): its next apply will put its own values back.`);
  }
  if (!deps.yes) {
    if (!io.promptsAllowed) {
      if (io.json) io.result(result('preview'));
      throw new UsageError(`mac cost budget apply would ${existing ? 'update' : 'create'} budget ${name}.`, 'Review the difference above, then run again with --yes.');
    }
    if (!(await deps.prompter.confirm({ message: `${existing ? 'Update' : 'Create'} budget ${name}?`, flag: '--yes', default: false })))
      throw new InterruptedError('Budget left as it was.');
  }
  const body = { ...(existing?.eTag ? { eTag: existing.eTag } : {}), ...desired.properties };
  await azureCall(`Writing budget ${name}`, client.budgets.createOrUpdate(scope, name, { ...body, timePeriod: { startDate: new Date(startDate) } }));
  const done = result(existing ? 'updated' : 'created');
  if (io.json) io.result(done);
  else io.out(`Budget ${name} ${done.action}.`);
  return done;
}
