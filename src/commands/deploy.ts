// mac deploy: provision, check secrets, start the platform, wait until ready, smoke-test, record the release —
// or roll back to the previous release when the new one does not pass.
import { Command } from 'commander';
import type { Deps } from '../deps.js';

export function deployCommand(deps: Deps): Command {
  return new Command('deploy')
    .description('Deploy the platform to the environment: provision, start, wait until ready, smoke-test, roll back on failure')
    .option('--ready-timeout <seconds>', 'how long to wait for /ready', (v) => Number.parseFloat(v), 90)
    .option('--lock-timeout <seconds>', 'how long to wait for another deploy of this environment to finish', (v) => Number.parseFloat(v), 0)
    .option('--over-budget-ok', "azure: provision even when the infrastructure's projected monthly cost exceeds the budget (otherwise exit 5)")
    .addHelpText(
      'after',
      `
Examples:
  $ mac deploy                      the local target: the platform runs on this machine (port 8080)
  $ mac deploy -e staging --json    NDJSON progress events, the result last
  $ mac deploy && mac status
  $ mac deploy -e prod --over-budget-ok   apply infrastructure projected over budget.amount anyway`,
    )
    .action(async (_flags, cmd: Command) => {
      const opts = cmd.optsWithGlobals() as { readyTimeout: number; lockTimeout: number; overBudgetOk?: boolean };
      const { io } = deps;
      io.streaming = true;
      const { deploy } = await import('../deploy/deploy.js');
      const env = await deps.environment();
      const target = await deps.target(env);
      const result = await deploy(target, io, { readyTimeoutMs: opts.readyTimeout * 1000, lockTimeoutMs: opts.lockTimeout * 1000, overBudgetOk: opts.overBudgetOk });
      if (io.json) return io.result(result);
      if (result.outcome !== 'up-to-date') {
        io.out(`${result.outcome === 'deployed' ? 'Deployed' : 'Restarted'} release ${result.release.id} (version ${result.release.version}${result.release.gitSha ? `, git ${result.release.gitSha.slice(0, 8)}` : ''}) to ${result.environment}.`);
      }
      if (result.url) io.out(`Gateway: ${result.url}  (POST /v1/chat)`);
    });
}
