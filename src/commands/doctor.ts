// mac doctor: what this machine and the selected environment still need.
import { Command } from 'commander';
import type { Deps } from '../deps.js';
import { PreconditionError } from '../errors.js';
import type { CheckResult } from '../doctor/checks.js';

export interface DoctorOptions {
  timeout: number;
}

export interface DoctorResult {
  environment: string;
  target: string;
  checks: CheckResult[];
  ok: boolean;
}

export function doctorCommand(deps: Deps, run = doctorRun): Command {
  return new Command('doctor')
    .description('Check prerequisites: Node, Terraform, Azure CLI, gh, kubectl, and Azure access for azure environments')
    .option('--timeout <seconds>', 'time allowed for the Azure credential and subscription checks', (v) => Number(v), 15)
    .addHelpText('after', '\nExamples:\n  $ mac doctor\n  $ mac doctor -e prod --json')
    .action(async (_flags, cmd: Command) => {
      const result = await run(cmd.optsWithGlobals() as DoctorOptions, deps);
      printDoctor(result, deps);
      if (!result.ok) {
        const failed = result.checks.filter((c) => c.required && c.status === 'fail').map((c) => c.name);
        throw new PreconditionError(`Required check(s) failed: ${failed.join(', ')}.`, 'Apply the fixes listed above, then run mac doctor again.');
      }
    });
}

export async function doctorRun(opts: DoctorOptions, deps: Deps): Promise<DoctorResult> {
  const { checkNode, checkTool, checkAzureAccess, TOOLS } = await import('../doctor/checks.js');
  const env = await deps.environment();
  const azure = env.config.target === 'azure';
  const tfEnv = { TF_IN_AUTOMATION: '1', CHECKPOINT_DISABLE: '1' };
  const checks: CheckResult[] = [
    checkNode(),
    ...(await Promise.all([
      // Terraform is required to provision azure environments; the local target does not use it.
      checkTool(deps.runner, TOOLS.terraform, azure, tfEnv),
      checkTool(deps.runner, TOOLS.az, false),
      checkTool(deps.runner, TOOLS.gh, false),
      checkTool(deps.runner, TOOLS.kubectl, false),
    ])),
    ...(await checkAzureAccess(env, (opts.timeout ?? 15) * 1000)),
  ];
  const ok = !checks.some((c) => c.required && c.status === 'fail');
  return { environment: env.name, target: env.config.target, checks, ok };
}

function printDoctor(result: DoctorResult, deps: Deps): void {
  const { io } = deps;
  if (io.json) return io.result(result);
  const mark = { ok: io.style('green', 'ok'), warn: io.style('yellow', 'warn'), fail: io.style('red', 'fail') };
  io.out(`Environment ${result.environment} (${result.target})`);
  io.out(
    io.table(result.checks, [
      { header: 'check', value: (c) => c.name },
      { header: 'status', value: (c) => mark[c.status] },
      { header: 'detail', value: (c) => c.detail },
      { header: 'fix', value: (c) => c.fix ?? '' },
    ]),
  );
}
