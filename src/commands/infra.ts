// mac infra: the azure environment's infrastructure, through the real `terraform` binary.
//   mac infra plan [--fail-on-changes]   init + plan to .mac/<env>/tfplan; what would change, per resource
//   mac infra apply [--yes]              plan, show it, confirm, apply that plan with live progress, save the outputs
//   mac infra destroy [--yes]            plan -destroy, show it, confirm, apply it with live progress
//   mac infra output                     the outputs (sensitive ones by name only), saved for the rest of mac
// Outputs land in .mac/<env>/terraform-outputs.json (0600, non-sensitive only) for the azure target and Key Vault.
import { Command } from 'commander';
import type { Deps } from '../deps.js';
import { ChangesPendingError, UsageError } from '../errors.js';
import type { Io } from '../io.js';
import { infraBootstrapCommand } from './infra-bootstrap.js';
import type { ApplyResult, PlanSummary, Progress } from '../terraform/cli.js';
import type { StackPlan, TerraformStack } from '../terraform/stack.js';

export interface InfraOptions {
  /** Seconds to wait for the Terraform state lock. */
  lockTimeout: number;
  /** Extra `-backend-config` settings (`key=value`), over .mac/<env>/terraform-backend.json. */
  backendConfig?: string[];
}

export interface InfraApplyOptions extends InfraOptions {
  /** Apply even when the projected monthly cost exceeds the budget (the cost gate). */
  overBudgetOk?: boolean;
}

export interface InfraPlanOptions extends InfraOptions {
  failOnChanges?: boolean;
}

export interface InfraPlanResult {
  environment: string;
  terraformDir: string;
  planFile: string;
  /** Whether applying would change anything (resources or outputs). */
  changes: boolean;
  add: number;
  change: number;
  destroy: number;
  /** Resource instances the plan changes (no-ops left out). */
  resources: PlanSummary['resources'];
  outputs: PlanSummary['outputs'];
}

export interface InfraApplyResult extends InfraPlanResult {
  applied: boolean;
  /** Resource instances Terraform finished, with their time. */
  completed: ApplyResult['resources'];
  /** Non-sensitive outputs (also in outputsFile). */
  values: Record<string, unknown>;
  sensitive: string[];
  outputsFile: string;
}

export interface InfraDestroyResult extends InfraPlanResult {
  destroyed: boolean;
  completed: ApplyResult['resources'];
}

export interface InfraOutputResult {
  environment: string;
  terraformDir: string;
  values: Record<string, unknown>;
  sensitive: string[];
  outputsFile: string;
}

const collect = (value: string, previous: string[] = []) => [...previous, value];

function withCommonOptions(command: Command): Command {
  return command
    .option('--lock-timeout <seconds>', 'how long to wait for the Terraform state lock', parseSeconds, 30)
    .option('--backend-config <key=value>', 'a terraform init -backend-config setting (repeatable; never a secret)', collect);
}

export function infraCommand(deps: Deps): Command {
  const infra = new Command('infra')
    .description("Provision the azure environment's infrastructure with Terraform: plan, apply, destroy, outputs")
    .addHelpText(
      'after',
      `
The Terraform root module is the environment's terraformDir (mac.yaml), relative to the project.
Credentials reach Terraform only as ARM_* environment variables (AZURE_CLIENT_ID/SECRET/TENANT_ID work too).

Examples:
  $ mac infra plan -e prod
  $ mac infra apply -e prod --yes
  $ mac infra output -e prod --json`,
    );

  infra.addCommand(
    withCommonOptions(new Command('plan'))
      .description('Show what applying the configuration would change, per resource, with the add/change/destroy totals')
      .option('--fail-on-changes', 'exit 3 when changes are pending (for CI drift checks)')
      .addHelpText(
        'after',
        `
Examples:
  $ mac infra plan -e prod
  $ mac infra plan -e prod --fail-on-changes   exit 3 when the infrastructure drifted or the config changed
  $ mac infra plan -e prod --json`,
      )
      .action(async (_flags, cmd: Command) => {
        const opts = cmd.optsWithGlobals() as InfraPlanOptions;
        const result = await infraPlanRun(opts, deps);
        printPlan(result, deps.io, 'out');
        if (deps.io.json) deps.io.result(result);
        if (opts.failOnChanges && result.changes) {
          throw new ChangesPendingError(`Changes are pending for ${result.environment}.`, `Apply them with: mac infra apply -e ${result.environment}`);
        }
      }),
  );

  infra.addCommand(
    withCommonOptions(new Command('apply'))
      .description('Plan, show the plan, confirm, and apply exactly that plan with live progress; saves the outputs')
      .option('--over-budget-ok', "apply even when the plan's projected monthly cost exceeds the budget (otherwise exit 5)")
      .addHelpText(
        'after',
        `
Examples:
  $ mac infra apply -e prod
  $ mac infra apply -e prod --yes --json       NDJSON progress events, the result last
  $ mac infra apply -e prod --over-budget-ok   apply although the projection exceeds budget.amount`,
      )
      .action(async (_flags, cmd: Command) => {
        deps.io.streaming = true;
        const result = await infraApplyRun(cmd.optsWithGlobals() as InfraApplyOptions, deps);
        if (!result) return;
        const { io } = deps;
        if (io.json) return io.result(result);
        if (result.applied) io.out(`Applied ${result.environment}: ${result.add} added, ${result.change} changed, ${result.destroy} destroyed.`);
        else io.out(`No changes: ${result.environment} matches its configuration.`);
        io.out(`Outputs saved to ${result.outputsFile}${result.sensitive.length ? ` (sensitive left out: ${result.sensitive.join(', ')})` : ''}.`);
      }),
  );

  infra.addCommand(
    withCommonOptions(new Command('destroy'))
      .description("Destroy every resource in the environment's Terraform state — shows the plan and asks first")
      .addHelpText(
        'after',
        `
Examples:
  $ mac infra destroy -e staging
  $ mac infra destroy -e staging --yes --json`,
      )
      .action(async (_flags, cmd: Command) => {
        deps.io.streaming = true;
        const result = await infraDestroyRun(cmd.optsWithGlobals() as InfraOptions, deps);
        if (!result) return;
        const { io } = deps;
        if (io.json) return io.result(result);
        io.out(result.destroyed ? `Destroyed ${result.destroy} resource(s) of ${result.environment}.` : `Nothing to destroy in ${result.environment}.`);
      }),
  );

  infra.addCommand(
    withCommonOptions(new Command('output'))
      .description("The environment's Terraform outputs (sensitive ones by name only); saves them for the rest of mac")
      .addHelpText(
        'after',
        `
Examples:
  $ mac infra output -e prod
  $ mac infra output -e prod --json`,
      )
      .action(async (_flags, cmd: Command) => {
        const result = await infraOutputRun(cmd.optsWithGlobals() as InfraOptions, deps);
        const { io } = deps;
        if (io.json) return io.result(result);
        const rows = [
          ...Object.entries(result.values).map(([name, value]) => ({ name, value: typeof value === 'string' ? value : JSON.stringify(value) })),
          ...result.sensitive.map((name) => ({ name, value: '(sensitive)' })),
        ].sort((a, b) => a.name.localeCompare(b.name));
        if (!rows.length) io.out(`No outputs: ${result.environment} has not been applied (mac infra apply -e ${result.environment}).`);
        else io.out(io.table(rows, [{ header: 'output', value: (r) => r.name }, { header: 'value', value: (r) => r.value }]));
      }),
  );

  // mac infra bootstrap: the Terraform state storage and backend config (src/commands/infra-bootstrap.ts).
  infra.addCommand(infraBootstrapCommand(deps));

  return infra;
}

// ---- run functions: the work, callable without commander ----

/** Resolves the azure environment and its Terraform root module, and checks Terraform itself. */
async function openInfra(opts: InfraOptions, deps: Deps): Promise<TerraformStack> {
  // Loaded on use: `mac --help` stays free of Terraform and semver.
  const { azureEnvironment, TerraformStack } = await import('../terraform/stack.js');
  const env = azureEnvironment(await deps.environment(), 'mac infra');
  return TerraformStack.open(env, { runner: deps.runner, processEnv: deps.env, lockTimeoutSeconds: opts.lockTimeout ?? 30 });
}

async function init(stack: TerraformStack, opts: InfraOptions, io: Io): Promise<void> {
  await step(io, 'terraform init', () => stack.init(parseBackendConfig(opts.backendConfig)));
}

/** init + plan to .mac/<env>/tfplan + show. */
async function planTo(stack: TerraformStack, opts: InfraOptions, io: Io, destroy: boolean): Promise<InfraPlanResult> {
  await init(stack, opts, io);
  let plan: StackPlan | undefined;
  await step(io, destroy ? 'terraform plan -destroy' : 'terraform plan', async (p) => {
    plan = await stack.plan({ destroy, onProgress: p });
  });
  return { environment: stack.env.name, terraformDir: stack.dir, ...(plan as StackPlan) };
}

export async function infraPlanRun(opts: InfraPlanOptions, deps: Deps): Promise<InfraPlanResult> {
  const stack = await openInfra(opts, deps);
  return planTo(stack, opts, deps.io, false);
}

/** Plans, shows, confirms (or refuses without --yes when it cannot ask), applies that plan, saves the outputs. */
export async function infraApplyRun(opts: InfraApplyOptions, deps: Deps): Promise<InfraApplyResult | undefined> {
  const { io } = deps;
  const stack = await openInfra(opts, deps);
  const plan = await planTo(stack, opts, io, false);
  let completed: ApplyResult['resources'] = [];
  if (plan.changes) {
    // The cost gate: exit 5 before anything is asked or applied when the projection exceeds the budget.
    const { gatePlan } = await import('../cost/plan-estimate.js');
    await step(io, 'cost gate', (p) =>
      gatePlan(stack, { now: deps.clock.now(), command: `mac infra apply -e ${plan.environment}`, overBudgetOk: opts.overBudgetOk, progress: p }).catch(async (err) => {
        await stack.discardPlan();
        throw err;
      }),
    );
    preview(plan, io);
    const what = `change ${plan.environment}: ${totals(plan)}`;
    if (!(await confirmed(deps, `mac infra apply would ${what}`, `This will ${what}. Apply?`))) return undefined;
    await step(io, 'terraform apply', async (p) => {
      completed = await stack.apply(p);
    });
  }
  await stack.discardPlan();
  const outputs = await stack.saveOutputs();
  return { ...plan, applied: plan.changes, completed, ...outputs };
}

/** Plans the destroy, shows it, confirms, and applies exactly that plan; the saved outputs go with it. */
export async function infraDestroyRun(opts: InfraOptions, deps: Deps): Promise<InfraDestroyResult | undefined> {
  const { io } = deps;
  const stack = await openInfra(opts, deps);
  const plan = await planTo(stack, opts, io, true);
  let completed: ApplyResult['resources'] = [];
  if (plan.destroy > 0) {
    preview(plan, io);
    const what = `DESTROY ${plan.destroy} resource(s) of ${plan.environment} (${stack.dir})`;
    if (!(await confirmed(deps, `mac infra destroy would ${what}`, `This will ${what}. Continue?`))) return undefined;
    await step(io, 'terraform destroy', async (p) => {
      completed = await stack.apply(p);
    });
  } else if (plan.changes) {
    // Only outputs left in the state: applying the destroy plan clears them, nothing is deleted.
    await step(io, 'terraform destroy', (p) => stack.apply(p));
  }
  await stack.discardPlan();
  await stack.forgetOutputs();
  return { ...plan, destroyed: plan.destroy > 0, completed };
}

export async function infraOutputRun(opts: InfraOptions, deps: Deps): Promise<InfraOutputResult> {
  const stack = await openInfra(opts, deps);
  // A fresh checkout (or a remote backend) needs init before outputs can be read; a local one does not.
  if (!(await stack.initialised())) await init(stack, opts, deps.io);
  return { environment: stack.env.name, terraformDir: stack.dir, ...(await stack.saveOutputs()) };
}

// ---- helpers ----

async function confirmed(deps: Deps, refusal: string, question: string): Promise<boolean> {
  if (deps.yes) return true;
  if (!deps.io.promptsAllowed) throw new UsageError(`${refusal}.`, 'Review the plan above, then run again with --yes to confirm.');
  if (await deps.prompter.confirm({ message: question, flag: '--yes', default: false })) return true;
  deps.io.info('Nothing changed.');
  return false;
}

function totals(p: { add: number; change: number; destroy: number }): string {
  return `${p.add} to add, ${p.change} to change, ${p.destroy} to destroy`;
}

/** The plan as the operator reads it: a table of changed resources and Terraform's totals line. */
function printPlan(plan: InfraPlanResult, io: Io, to: 'out' | 'info'): void {
  if (io.json) return;
  const write = (text: string) => (to === 'out' ? io.out(text) : io.info(text));
  if (!plan.changes) {
    write(`No changes: ${plan.environment} matches its configuration (${plan.terraformDir}).`);
    return;
  }
  if (plan.resources.length) {
    write(io.table(plan.resources, [{ header: 'action', value: (r) => colourAction(io, r.action) }, { header: 'resource', value: (r) => r.address }]));
    write('');
  }
  if (plan.outputs.length) write(`Outputs changing: ${plan.outputs.map((o) => o.name).join(', ')}`);
  write(`Plan for ${plan.environment}: ${totals(plan)}.`);
}

/** Before a confirmation: the plan on stderr (stdout carries the result), an event under --json. */
function preview(plan: InfraPlanResult, io: Io): void {
  io.event('plan', { ...plan });
  printPlan(plan, io, 'info');
}

function colourAction(io: Io, action: string): string {
  const style = action === 'create' ? 'green' : action === 'update' ? 'yellow' : action === 'delete' || action === 'replace' ? 'red' : 'dim';
  return io.style(style, action);
}

/** A step line closed with its outcome and time; its progress lines indented under it (events under --json). */
async function step(io: Io, label: string, fn: (p: Progress) => Promise<unknown>): Promise<void> {
  const s = io.step(label);
  try {
    await fn((message) => {
      io.event('step.progress', { step: label, message });
      if (!io.json) io.info(`  ${message}`);
    });
    s.done();
  } catch (err) {
    s.fail((err as Error).message.split('\n')[0]);
    throw err;
  }
}

function parseSeconds(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0) throw new UsageError(`--lock-timeout expects seconds (a number ≥ 0), not "${value}".`);
  return n;
}

function parseBackendConfig(pairs: string[] = []): Record<string, string> {
  const out: Record<string, string> = {};
  for (const pair of pairs) {
    const at = pair.indexOf('=');
    if (at <= 0) throw new UsageError(`--backend-config expects key=value, not "${pair}".`);
    out[pair.slice(0, at)] = pair.slice(at + 1);
  }
  return out;
}
