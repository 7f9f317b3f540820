// mac smoke: the deploy's smoke test on demand — health, a greeting, an order-status question on the shop's data.
import { Command } from 'commander';
import type { Deps } from '../deps.js';
import { FailedError, PreconditionError } from '../errors.js';

export function smokeCommand(deps: Deps): Command {
  return new Command('smoke')
    .description('Smoke-test the running platform: health, a greeting, an order-status question against the shop data')
    .addHelpText('after', '\nExamples:\n  $ mac smoke\n  $ mac smoke -e local --json')
    .action(async () => {
      const [{ ReleaseJournal }, { runSmoke }] = await Promise.all([
        import('../deploy/journal.js'),
        import('../deploy/smoke.js'),
      ]);
      const env = await deps.environment();
      const target = await deps.target(env);
      const [url, release, processes] = await Promise.all([target.gatewayUrl(), new ReleaseJournal(env.stateDir).current(), target.status()]);
      if (!url || !release || processes.every((p) => p.state === 'stopped')) throw new PreconditionError(`The platform of ${env.name} is not running.`, `Start it with: mac deploy -e ${env.name}`);
      const result = await runSmoke(url, release.spec.dataDir);
      const { io } = deps;
      if (io.json) io.result({ environment: env.name, ...result });
      else for (const c of result.checks) io.out(`${c.skipped ? io.style('dim', '-') : c.ok ? io.style('green', '✓') : io.style('red', '✗')} ${c.name.padEnd(13)} ${c.detail}${c.skipped ? '' : ` (${c.ms} ms)`}`);
      if (!result.ok) throw new FailedError(`Smoke check "${result.failed?.name}" failed: ${result.failed?.detail}`, `See: mac logs -e ${env.name} --since 10m`);
    });
}
