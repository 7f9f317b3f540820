// The Deps object: everything a command needs from the outside world, created lazily and cached.
// Commands receive it explicitly; nothing is a module-level singleton, so tests build their own.
import path from 'node:path';
import type { LoadedConfig, ResolvedEnvironment } from './config/load.js';
import type { Runner } from './exec.js';
import type { Io } from './io.js';
import type { Prompter } from './prompter.js';
import type { OpenTargetOptions } from './targets/open.js';
import type { Target } from './targets/target.js';

export interface GlobalOptions {
  env?: string;
  json?: boolean;
  yes?: boolean;
  prompt?: boolean;
  debug?: boolean;
  color?: boolean;
  cwd?: string;
}

export interface Clock {
  now(): Date;
}

export interface DepsInit {
  io: Io;
  cwd: string;
  env: NodeJS.ProcessEnv;
  runner?: Runner;
  prompter?: Prompter;
  clock?: Clock;
  /** How targets are opened (the azure target's poll interval and retries): tests make Azure fast. */
  targetOptions?: Pick<OpenTargetOptions, 'azure'>;
}

// The runner and the prompters load on first use: `mac --help` starts no process and asks nothing.
const execaRunner: Runner = {
  run: async (file, args, options) => (await import('./exec.js')).execaRunner.run(file, args, options),
};

export class Deps {
  readonly io: Io;
  readonly env: NodeJS.ProcessEnv;
  readonly runner: Runner;
  readonly clock: Clock;
  private baseCwd: string;
  private globals: GlobalOptions = {};
  private explicitPrompter?: Prompter;
  private readonly targetOptions: Pick<OpenTargetOptions, 'azure'>;
  private configPromise?: Promise<LoadedConfig>;

  constructor(init: DepsInit) {
    this.io = init.io;
    this.baseCwd = init.cwd;
    this.env = init.env;
    this.runner = init.runner ?? execaRunner;
    this.clock = init.clock ?? { now: () => new Date() };
    this.explicitPrompter = init.prompter;
    this.targetOptions = init.targetOptions ?? {};
  }

  /** Called once the global flags are parsed (program's preAction hook). */
  configure(globals: GlobalOptions): void {
    this.globals = globals;
    this.io.configure(globals);
    this.configPromise = undefined;
  }

  get cwd(): string {
    return this.globals.cwd ? path.resolve(this.baseCwd, this.globals.cwd) : this.baseCwd;
  }

  get yes(): boolean {
    return Boolean(this.globals.yes);
  }

  get prompter(): Prompter {
    if (this.explicitPrompter) return this.explicitPrompter;
    const interactive = this.io.promptsAllowed;
    const prompter = () => import('./prompter.js').then((m) => (interactive ? m.inquirerPrompter() : m.nonInteractivePrompter()));
    return {
      input: async (q) => (await prompter()).input(q),
      select: async (q) => (await prompter()).select(q),
      confirm: async (q) => (await prompter()).confirm(q),
    };
  }

  /** mac.yaml of the working directory, validated once. */
  config(): Promise<LoadedConfig> {
    this.configPromise ??= import('./config/load.js').then((m) => m.loadConfig(this.cwd));
    return this.configPromise;
  }

  /** The environment named by -e/--env, MAC_ENV, defaultEnvironment, or `local`. */
  async environment(name = this.globals.env ?? this.env.MAC_ENV): Promise<ResolvedEnvironment> {
    const [{ resolveEnvironment }, loaded] = await Promise.all([import('./config/load.js'), this.config()]);
    return resolveEnvironment(loaded, name || undefined);
  }

  /** The target that runs an environment (local or azure, same interface); its binaries run through `runner`. */
  async target(env?: ResolvedEnvironment): Promise<Target> {
    const [{ openTarget }, resolved] = await Promise.all([import('./targets/open.js'), env ?? this.environment()]);
    return openTarget(resolved, this.env, { now: () => this.clock.now(), runner: this.runner, ...this.targetOptions });
  }
}
