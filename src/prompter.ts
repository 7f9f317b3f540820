// Prompts, or a clear usage error naming the flag when prompts are off (CI, no TTY, --no-prompt).
import { UsageError, InterruptedError } from './errors.js';

export interface Choice<T extends string> {
  value: T;
  name?: string;
  description?: string;
}

export interface Prompter {
  /** `flag` names the option that answers the question in non-interactive use. */
  input(q: { message: string; flag: string; default?: string; validate?: (v: string) => true | string }): Promise<string>;
  select<T extends string>(q: { message: string; flag: string; choices: Choice<T>[]; default?: T }): Promise<T>;
  confirm(q: { message: string; flag: string; default?: boolean }): Promise<boolean>;
}

export function nonInteractivePrompter(): Prompter {
  const refuse = (q: { message: string; flag: string }): never => {
    throw new UsageError(
      `${q.message.replace(/[?:]\s*$/, '')}: no answer given and prompts are off (CI, no TTY or --no-prompt).`,
      `Pass ${q.flag}.`,
    );
  };
  return { input: async (q) => refuse(q), select: async (q) => refuse(q), confirm: async (q) => refuse(q) };
}

/** @inquirer/prompts, loaded on first use. Ctrl-C becomes InterruptedError (exit 130). */
export function inquirerPrompter(): Prompter {
  const guard = async <T>(ask: () => Promise<T>): Promise<T> => {
    try {
      return await ask();
    } catch (err) {
      if ((err as Error).name === 'ExitPromptError') throw new InterruptedError('Interrupted.');
      throw err;
    }
  };
  return {
    input: (q) =>
      guard(async () => (await import('@inquirer/prompts')).input({ message: q.message, default: q.default, validate: q.validate })),
    select: (q) =>
      guard(async () =>
        (await import('@inquirer/prompts')).select({ message: q.message, choices: q.choices, default: q.default }),
      ),
    confirm: (q) =>
      guard(async () => (await import('@inquirer/prompts')).confirm({ message: q.message, default: q.default })),
  };
}
