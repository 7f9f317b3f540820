// mac destroy: stop the platform and delete the environment's state (or keep its data with --keep-data).
import { Command } from 'commander';
import type { Deps } from '../deps.js';
import { UsageError } from '../errors.js';

export function destroyCommand(deps: Deps): Command {
  return new Command('destroy')
    .description("Stop the environment's platform and delete its state (data, vault, backups, logs) — asks first")
    .option('--keep-data', 'keep the database, the secrets vault and the backups; remove only processes, logs and traces (local only)')
    .addHelpText('after', '\nOn an azure environment: terraform destroy of everything the environment has.\n\nExamples:\n  $ mac destroy\n  $ mac destroy --yes --keep-data\n  $ mac destroy -e local --yes --json\n  $ mac destroy -e staging --yes')
    .action(async (_flags, cmd: Command) => {
      const opts = cmd.optsWithGlobals() as { keepData?: boolean };
      const { io } = deps;
      const env = await deps.environment();
      let what: string;
      if (env.config.target === 'azure') {
        const { checkDestroyOptions } = await import('../targets/azure/target.js');
        checkDestroyOptions(env, { keepData: Boolean(opts.keepData) });
        what = `DESTROY every Azure resource of ${env.name} with terraform destroy (container groups, Cosmos DB and its data; the Key Vault goes into soft delete)`;
      } else {
        what = opts.keepData ? `stop the platform of ${env.name} and remove its logs and traces` : `stop the platform of ${env.name} and DELETE ${env.stateDir} (data, secrets vault, backups)`;
      }
      if (!deps.yes) {
        if (!io.promptsAllowed) throw new UsageError(`mac destroy would ${what}.`, 'Run again with --yes to confirm.');
        if (!(await deps.prompter.confirm({ message: `This will ${what}. Continue?`, flag: '--yes', default: false }))) {
          io.info('Nothing changed.');
          return;
        }
      }
      const { step } = await import('../deploy/deploy.js');
      const target = await deps.target(env);
      await step(io, 'destroy', (p) => target.destroy(p, { keepData: Boolean(opts.keepData) }));
      const left = await target.status();
      if (io.json) return io.result({ environment: env.name, destroyed: true, keptData: Boolean(opts.keepData), processes: left });
      io.out(`Destroyed ${env.name}${opts.keepData ? ' (data, vault and backups kept)' : ''}.`);
    });
}
