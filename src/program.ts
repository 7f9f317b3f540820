// The root command: global flags, the command list, and help that stays fast. Only the command a command line runs
// (or asks help for) is imported and built; the others are listed by name and description, which is all the root
// help shows. Command modules are the bulk of start-up: each one, and what it imports, costs time on every run.
import { createRequire } from 'node:module';
import type { Command, Help, Option } from 'commander';
import type { Deps, GlobalOptions } from './deps.js';
import { UsageError } from './errors.js';

// commander is CommonJS. Imported from ESM, Node 20 loads it through the ESM loader (package exports resolved, the
// CommonJS source scanned for export names), which took 40 ms against require()'s 28 ms here; required, it is the
// same module instance that the command files' `import ... from 'commander'` get, so its classes are shared.
const commander = createRequire(import.meta.url)('commander') as typeof import('commander');
/** For main.ts, which maps commander's own exits (help, version, usage) to exit codes. */
export const { CommanderError } = commander;

interface CommandEntry {
  /** How the root help lists it: the name, then `[options]` and arguments as commander's term for the full command. */
  term: string;
  /** The full command's description, word for word (test/cli.test.ts checks both against the built command). */
  description: string;
  build(deps: Deps): Promise<Command>;
}

// In the order the root help lists them.
const COMMANDS: readonly CommandEntry[] = [
  {
    term: 'init [options]',
    description: 'Scaffold mac.yaml, the Azure Terraform (terraform/phase4_prod, terraform/modules) and CI',
    build: async (deps) => (await import('./commands/init.js')).initCommand(deps),
  },
  {
    term: 'doctor [options]',
    description: 'Check prerequisites: Node, Terraform, Azure CLI, gh, kubectl, and Azure access for azure environments',
    build: async (deps) => (await import('./commands/doctor.js')).doctorCommand(deps),
  },
  {
    term: 'config',
    description: 'Validate mac.yaml and show resolved environments',
    build: async (deps) => (await import('./commands/config.js')).configCommand(deps),
  },
  {
    term: 'deploy [options]',
    description: 'Deploy the platform to the environment: provision, start, wait until ready, smoke-test, roll back on failure',
    build: async (deps) => (await import('./commands/deploy.js')).deployCommand(deps),
  },
  {
    term: 'infra',
    description: "Provision the azure environment's infrastructure with Terraform: plan, apply, destroy, outputs",
    build: async (deps) => (await import('./commands/infra.js')).infraCommand(deps),
  },
  {
    term: 'dr-drill [options]',
    description: 'Disaster-recovery drill: destroy the environment, rebuild it, restore its data, redeploy, measure RTO/RPO — asks first',
    build: async (deps) => (await import('./commands/dr-drill.js')).drDrillCommand(deps),
  },
  {
    term: 'status',
    description: "Show the environment's running processes, their health and the deployed release",
    build: async (deps) => (await import('./commands/status.js')).statusCommand(deps),
  },
  {
    term: 'smoke',
    description: 'Smoke-test the running platform: health, a greeting, an order-status question against the shop data',
    build: async (deps) => (await import('./commands/smoke.js')).smokeCommand(deps),
  },
  {
    term: 'logs [options] [name]',
    description: "Show the platform's logs (every process, or the one hosting an agent)",
    build: async (deps) => (await import('./commands/logs.js')).logsCommand(deps),
  },
  {
    term: 'destroy [options]',
    description: "Stop the environment's platform and delete its state (data, vault, backups, logs) — asks first",
    build: async (deps) => (await import('./commands/destroy.js')).destroyCommand(deps),
  },
  {
    term: 'dev [options]',
    description: 'Run the platform (gateway, six agents, mock Shopify/Zendesk/Mailchimp/GA4) in the foreground',
    build: async (deps) => (await import('./commands/dev.js')).devCommand(deps),
  },
  {
    term: 'eval [options]',
    description: 'Run conversation scenarios against a gateway and report the pass rate, overall and by priority',
    build: async (deps) => (await import('./commands/eval.js')).evalCommand(deps),
  },
  {
    term: 'kb',
    description: "Build and query the knowledge agent's knowledge base (SQLite FTS5 + sqlite-vec)",
    build: async (deps) => (await import('./commands/kb.js')).kbCommand(deps),
  },
  {
    term: 'pii',
    description: 'Find personal data (PII) in text, as the agents do before text leaves the platform',
    build: async (deps) => (await import('./commands/pii.js')).piiCommand(deps),
  },
  {
    term: 'traces [options]',
    description: "Show conversations from the platform's traces: each turn's stages, latency, cost and reasoning",
    build: async (deps) => (await import('./commands/traces.js')).tracesCommand(deps),
  },
  {
    term: 'secrets',
    description: "Manage the environment's secrets: set, list and audit versions (local vault or Azure Key Vault)",
    build: async (deps) => (await import('./commands/secrets.js')).secretsCommand(deps),
  },
  {
    term: 'cost',
    description: 'Cost reports: projected Azure spend against the budget',
    build: async (deps) => (await import('./commands/cost.js')).costCommand(deps),
  },
  {
    term: 'images',
    description: 'Build and push the agent runtime image (one build, tagged per agent) for an azure environment',
    build: async (deps) => (await import('./commands/images.js')).imagesCommand(deps),
  },
];

const nameOf = (entry: CommandEntry): string => entry.term.split(' ', 1)[0]!;

/**
 * The program for one command line. `args` are the user's words (process.argv without node and the script): only
 * the command they run, or ask help for, is built in full. Without `args`, every command is built.
 */
export async function buildProgram(deps: Deps, version: string, args?: readonly string[]): Promise<Command> {
  const program = rootCommand(deps, version);
  const wanted = args ? requestedCommand(program, args) : ALL;
  const listed = new Map<Command, string>();
  const commands = await Promise.all(
    COMMANDS.map((entry) => {
      if (wanted === ALL || wanted === nameOf(entry)) return entry.build(deps);
      const command = listing(entry);
      listed.set(command, entry.term);
      return command;
    }),
  );
  for (const command of commands) program.addCommand(command);
  if (listed.size) {
    program.configureHelp({
      subcommandTerm(this: Help, command: Command): string {
        return listed.get(command) ?? commander.Help.prototype.subcommandTerm.call(this, command);
      },
    });
  }
  // Subcommands report usage errors the same way as the root.
  for (const command of program.commands) inheritErrorHandling(command, program);
  return program;
}

function rootCommand(deps: Deps, version: string): Command {
  return new commander.Command('mac')
    .description('Operator toolkit for the multi-agent customer-service platform, locally or on Azure.')
    .version(version, '-V, --version', 'print the version')
    .option('-e, --env <name>', 'environment from mac.yaml (default: MAC_ENV, defaultEnvironment, or local)')
    .option('--json', 'print one JSON document (NDJSON events for long-running commands)')
    .option('-y, --yes', 'answer yes to confirmations (required for destructive commands without a TTY)')
    .option('--no-prompt', 'never prompt (automatic when CI is set or stdin is not a TTY)')
    .option('--no-color', 'no colour (also NO_COLOR)')
    .option('--debug', 'print stack traces and debug detail')
    .addOption(new commander.Option('-C, --cwd <dir>', 'run as if started in <dir>'))
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
}

/**
 * A command that is only listed: its name and description for the root help. requestedCommand builds every command
 * a command line can reach, so reaching this one is a bug in that reading — reported as one, never a silent no-op.
 */
function listing(entry: CommandEntry): Command {
  const name = nameOf(entry);
  return new commander.Command(name)
    .description(entry.description)
    .helpOption(false)
    .allowUnknownOption()
    .allowExcessArguments()
    .action(() => {
      throw new Error(`mac ${name} was parsed before it was loaded.`);
    });
}

const ALL = Symbol('all commands');

/**
 * The top-level command that `args` run or ask help for, read the way commander reads them: the root's options
 * first (skipping the values of those that take one), then the command word, or `help <command>`. `undefined` when
 * no command runs (root help, --version, no or an unknown command word: commander answers those from the root);
 * ALL when the words cannot be read without commander (an option the root does not know, so its value is unknown).
 */
function requestedCommand(program: Command, args: readonly string[]): string | undefined | typeof ALL {
  const names = new Set(COMMANDS.map(nameOf));
  const option = (flag: string) => program.options.find((o) => o.short === flag || o.long === flag);
  const takesValue = (o: Option, next: string | undefined) => o.required || (o.optional && next !== undefined && !next.startsWith('-'));
  let operandsOnly = false;
  let helpFor = false;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (!operandsOnly && arg === '--') {
      operandsOnly = true;
      continue;
    }
    if (!operandsOnly && arg.length > 1 && arg.startsWith('-')) {
      if (arg === '-h' || arg === '--help') return undefined; // the root's help, whatever follows
      if (arg.startsWith('--')) {
        const eq = arg.indexOf('=');
        const o = option(eq < 0 ? arg : arg.slice(0, eq));
        if (!o) return ALL;
        if (eq < 0 && takesValue(o, args[i + 1])) i++;
        continue;
      }
      // -y, -e prod, -eprod, -ye prod: short flags combine, and one that takes a value takes the rest or the next word.
      for (let j = 1; j < arg.length; j++) {
        const o = option(`-${arg[j]}`);
        if (!o) return ALL;
        if (!o.required && !o.optional) continue;
        if (j === arg.length - 1 && takesValue(o, args[i + 1])) i++;
        break;
      }
      continue;
    }
    if (arg === 'help' && !helpFor) {
      helpFor = true;
      continue;
    }
    return names.has(arg) ? arg : undefined;
  }
  return undefined;
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
