// mac init: mac.yaml, the Phase 4 Terraform, terraform.tfvars.json (0600, no secrets), .gitignore lines, CI.
import { Command, Option } from 'commander';
import type { Deps } from '../deps.js';
import { UsageError } from '../errors.js';
import type { FileOutcome } from '../scaffold/files.js';

export const CI_KINDS = ['azure-devops', 'github'] as const;
export type CiKind = (typeof CI_KINDS)[number];

export interface InitOptions {
  env?: string;
  target?: 'local' | 'azure';
  subscription?: string;
  region?: string;
  budget?: number;
  alertEmails?: string[];
  dir?: string;
  ci?: CiKind;
  force: boolean;
}

export interface InitResult {
  environment: string;
  target: 'local' | 'azure';
  dir: string;
  files: FileOutcome[];
  gitignoreAdded: string[];
}

export function initCommand(deps: Deps, run = initRun): Command {
  return new Command('init')
    .description('Scaffold mac.yaml, the Azure Terraform (terraform/phase4_prod, terraform/modules) and CI')
    .addOption(new Option('--target <target>', 'where the environment runs').choices(['local', 'azure']))
    .option('--subscription <id>', 'Azure subscription id (azure target)')
    .option('--region <region>', 'Azure region (default: eastus)')
    .option('--budget <usd>', 'monthly budget in USD (default: 360)', parseBudget)
    .option('--alert-emails <list>', 'comma-separated budget alert recipients', parseEmails)
    .option('--dir <path>', 'project directory to write into (default: the working directory)')
    .addOption(new Option('--ci <kind>', 'also write a CI pipeline').choices([...CI_KINDS]))
    .option('--force', 'overwrite files you changed since mac wrote them', false)
    .addHelpText(
      'after',
      `
The environment name comes from the global -e/--env flag (prompted for when missing).

Examples:
  $ mac init
  $ mac init --no-prompt --env prod --target azure --subscription 00000000-0000-0000-0000-000000000000 \\
      --region eastus --budget 360 --alert-emails ops@example.com --ci github`,
    )
    .action(async (_flags, cmd: Command) => {
      const o = cmd.optsWithGlobals();
      const result = await run({ ...o, force: Boolean(o.force) } as InitOptions, deps);
      printInit(result, deps);
    });
}

function parseBudget(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new UsageError(`--budget: expected a positive number of USD, got "${value}".`);
  return n;
}

function parseEmails(value: string): string[] {
  const emails = value.split(',').map((s) => s.trim()).filter(Boolean);
  const bad = emails.filter((e) => !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(e));
  if (bad.length > 0) throw new UsageError(`--alert-emails: not an email address: ${bad.join(', ')}`);
  return emails;
}

export async function initRun(opts: InitOptions, deps: Deps): Promise<InitResult> {
  const { scaffoldProject } = await import('../scaffold/init.js');
  return scaffoldProject(await askMissing(opts, deps), deps);
}

/** Fills in what the flags did not say, by prompting (or failing with the flag to pass). */
async function askMissing(opts: InitOptions, deps: Deps): Promise<Required<Pick<InitOptions, 'env' | 'target'>> & InitOptions> {
  const p = deps.prompter;
  const target =
    opts.target ??
    (await p.select({
      message: 'Where does this environment run?',
      flag: '--target local|azure',
      choices: [
        { value: 'local' as const, name: 'local — on this machine, $0' },
        { value: 'azure' as const, name: 'azure — Terraform + Container Instances' },
      ],
    }));
  const env =
    opts.env ??
    (await p.input({
      message: 'Environment name:',
      flag: '--env <name>',
      default: target === 'azure' ? 'prod' : 'local',
      validate: (v) => /^[a-z][a-z0-9-]{0,23}$/.test(v) || 'lowercase letters, digits and dashes, starting with a letter',
    }));
  if (target === 'local') return { ...opts, env, target };

  const subscription =
    opts.subscription ??
    (await p.input({
      message: 'Azure subscription id:',
      flag: '--subscription <id>',
      validate: (v) => /^[0-9a-f-]{36}$/i.test(v) || 'a GUID like 00000000-0000-0000-0000-000000000000',
    }));
  const region = opts.region ?? (deps.io.promptsAllowed ? await p.input({ message: 'Region:', flag: '--region', default: 'eastus' }) : undefined);
  const budget =
    opts.budget ??
    (deps.io.promptsAllowed
      ? parseBudget(await p.input({ message: 'Monthly budget (USD):', flag: '--budget', default: '360' }))
      : undefined);
  const alertEmails =
    opts.alertEmails ??
    parseEmails(
      await p.input({
        message: 'Budget alert emails (comma-separated):',
        flag: '--alert-emails a@x,b@y',
        validate: (v) => /@/.test(v) || 'at least one email: Azure budgets need a recipient',
      }),
    );
  const ci =
    opts.ci ??
    (deps.io.promptsAllowed
      ? await p.select<CiKind | 'none'>({
          message: 'CI pipeline:',
          flag: '--ci',
          choices: [{ value: 'none' }, { value: 'github' }, { value: 'azure-devops' }],
          default: 'none',
        }).then((c) => (c === 'none' ? undefined : c))
      : undefined);
  return { ...opts, env, target, subscription, region, budget, alertEmails, ci };
}

function printInit(result: InitResult, deps: Deps): void {
  const { io } = deps;
  if (io.json) return io.result(result);
  const marks: Record<string, string> = { created: '+', updated: '~', overwritten: '!', unchanged: '=', kept: '?' };
  for (const f of result.files) {
    if (f.action !== 'unchanged') io.info(`${marks[f.action]} ${f.path} (${f.action})`);
  }
  if (result.gitignoreAdded.length > 0) io.info(`~ .gitignore (+${result.gitignoreAdded.length} lines)`);
  const kept = result.files.filter((f) => f.action === 'kept');
  if (kept.length > 0) {
    io.warn(`${kept.length} file(s) differ from what mac would write and were kept: ${kept.map((f) => f.path).join(', ')}`);
    io.info('  Re-run with --force to overwrite them.');
  }
  const changed = result.files.some((f) => f.action !== 'unchanged') || result.gitignoreAdded.length > 0;
  io.out(changed ? `Environment "${result.environment}" (${result.target}) scaffolded in ${result.dir}.` : 'Up to date: nothing to change.');
  if (result.target === 'azure') {
    io.info(`Next: mac doctor -e ${result.environment}`);
  } else {
    io.info('Next: mac deploy');
  }
}
