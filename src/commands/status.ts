// mac status: the environment's processes (or container groups), their health and release.
import { Command } from 'commander';
import type { Deps } from '../deps.js';

export function statusCommand(deps: Deps): Command {
  return new Command('status')
    .description("Show the environment's running processes, their health and the deployed release")
    .addHelpText('after', '\nExamples:\n  $ mac status\n  $ mac status -e local --json')
    .action(async () => {
      const { ReleaseJournal } = await import('../deploy/journal.js');
      const env = await deps.environment();
      const target = await deps.target(env);
      const [processes, release, url] = await Promise.all([target.status(), new ReleaseJournal(env.stateDir).current(), target.gatewayUrl()]);
      const healthy = processes.length > 0 && processes.every((p) => p.state === 'running');
      const { io } = deps;
      if (io.json) return io.result({ environment: env.name, target: target.kind, healthy, url: healthy ? url : undefined, release, processes });
      io.out(`Environment ${env.name} (${target.kind}): ${healthy ? io.style('green', 'healthy') : io.style('red', processes.some((p) => p.state !== 'stopped') ? 'degraded' : 'stopped')}`);
      if (release) io.out(`Release ${release.id} (version ${release.version}, config ${release.configHash})`);
      else io.out('No release deployed yet: run mac deploy');
      if (healthy && url) io.out(`Gateway ${url}`);
      io.out();
      io.out(io.table(processes, [
        { header: 'process', value: (p) => p.name },
        { header: 'state', value: (p) => p.state },
        { header: 'pid', value: (p) => p.pid ?? '-', align: 'right' },
        { header: 'since', value: (p) => p.startedAt ?? '-' },
        { header: 'agents', value: (p) => (p.agents.length === 1 ? p.agents[0]! : p.agents.length ? `${p.agents.length} agents` : 'stand-ins: shopify, zendesk, mailchimp, ga4') },
      ]));
    });
}
