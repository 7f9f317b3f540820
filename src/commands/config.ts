// mac config: validate mac.yaml and show the resolved environment (defaults applied).
import { Command } from 'commander';
import type { Deps } from '../deps.js';

export function configCommand(deps: Deps): Command {
  const config = new Command('config').description('Validate mac.yaml and show resolved environments');
  config
    .command('validate')
    .description('Check mac.yaml; every problem is listed with file, line and key (exit 2 when invalid)')
    .addHelpText('after', '\nExample:\n  $ mac config validate')
    .action(async () => {
      const loaded = await deps.config();
      const names = Object.keys(loaded.config.environments);
      if (deps.io.json) return deps.io.result({ file: loaded.file ?? null, valid: true, environments: names });
      deps.io.out(
        loaded.file
          ? `${loaded.file} is valid: ${names.length} environment(s)${names.length ? ` (${names.join(', ')})` : ''}.`
          : 'No mac.yaml here: the implicit environment "local" is used.',
      );
    });
  config
    .command('show')
    .description('Print the selected environment with every default filled in')
    .addHelpText('after', '\nExamples:\n  $ mac config show\n  $ mac -e prod config show --json')
    .action(async () => {
      const env = await deps.environment();
      const doc = { name: env.name, stateDir: env.stateDir, ...env.config };
      if (deps.io.json) return deps.io.result(doc);
      const { stringify } = await import('yaml');
      deps.io.out(stringify(doc).trimEnd());
    });
  return config;
}
