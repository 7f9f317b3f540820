// The root command: global flags, the command list, and help that stays fast (commands load heavy code lazily).
import { Command, Option } from 'commander';
import type { Deps, GlobalOptions } from './deps.js';
import { UsageError } from './errors.js';
import { initCommand } from './commands/init.js';
import { doctorCommand } from './commands/doctor.js';
import { configCommand } from './commands/config.js';
import { devCommand } from './commands/dev.js';
import { evalCommand } from './commands/eval.js';
import { kbCommand } from './commands/kb.js';
import { piiCommand } from './commands/pii.js';
import { tracesCommand } from './commands/traces.js';
import { secretsCommand } from './commands/secrets.js';
import { costCommand } from './commands/cost.js';
import { deployCommand } from './commands/deploy.js';
import { infraCommand } from './commands/infra.js';
import { drDrillCommand } from './commands/dr-drill.js';
import { statusCommand } from './commands/status.js';
import { smokeCommand } from './commands/smoke.js';
import { logsCommand } from './commands/logs.js';
import { destroyCommand } from './commands/destroy.js';
import { imagesCommand } from './commands/images.js';

export function buildProgram(deps: Deps, version: string): Command {
  const program = new Command('mac')
    .description('Operator toolkit for the multi-agent customer-service platform, locally or on Azure.')
    .version(version, '-V, --version', 'print the version')
    .option('-e, --env <name>', 'environment from mac.yaml (default: MAC_ENV, defaultEnvironment, or local)')
    .option('--json', 'print one JSON document (NDJSON events for long-running commands)')
    .option('-y, --yes', 'answer yes to confirmations (required for destructive commands without a TTY)')
    .option('--no-prompt', 'never prompt (automatic when CI is set or stdin is not a TTY)')
    .option('--no-color', 'no colour (also NO_COLOR)')
    .option('--debug', 'print stack traces and debug detail')
    .addOption(new Option('-C, --cwd <dir>', 'run as if started in <dir>'))
    .showSuggestionAfterError(true)
    .configureOutput({
      writeOut: (s) => process.stdout.write(s),
      writeErr: (s) => process.stderr.write(s),
      // Usage errors are reported once, by main.ts, with a hint.
      outputError: () => {},
    })
    .exitOverride((err) => {
      if (err.code === 'commander.helpDisplayed' || err.code === 'commander.version' || err.code === 'commander.help') {
        throw err;
      }
      throw new UsageError(err.message.replace(/^error: /, ''), 'Run mac <command> --help for usage.');
    })
    .addHelpText(
      'after',
      `
Examples:
  $ mac init                 scaffold mac.yaml and the Azure Terraform (interactive)
  $ mac doctor               check this machine's prerequisites
  $ mac -e prod doctor --json`,
    )
    .hook('preAction', (_root, action) => deps.configure(action.optsWithGlobals<GlobalOptions>()));

  for (const command of [
    initCommand(deps),
    doctorCommand(deps),
    configCommand(deps),
    deployCommand(deps),
    infraCommand(deps),
    drDrillCommand(deps),
    statusCommand(deps),
    smokeCommand(deps),
    logsCommand(deps),
    destroyCommand(deps),
    devCommand(deps),
    evalCommand(deps),
    kbCommand(deps),
    piiCommand(deps),
    tracesCommand(deps),
    secretsCommand(deps),
    costCommand(deps),
    imagesCommand(deps),
  ]) {
    program.addCommand(command);
  }
  // Subcommands report usage errors the same way as the root.
  for (const command of program.commands) inheritErrorHandling(command, program);
  return program;
}

/** "mac secrets set" for a nested command. */
function commandPath(command: Command): string {
  const names: string[] = [];
  for (let c: Command | null = command; c; c = c.parent) names.unshift(c.name());
  return names.join(' ');
}

function inheritErrorHandling(command: Command, root: Command): void {
  command.exitOverride((err) => {
    if (err.code === 'commander.helpDisplayed' || err.code === 'commander.help' || err.code === 'commander.version') {
      throw err;
    }
    throw new UsageError(err.message.replace(/^error: /, ''), `Run ${commandPath(command)} --help for usage.`);
  });
  command.configureOutput(root.configureOutput());
  for (const sub of command.commands) inheritErrorHandling(sub, root);
}
