// Runs the real program in-process with in-memory output; only the process boundary (Runner) may be swapped.
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Command } from 'commander';
import { Deps, type DepsInit } from '../../src/deps.js';
import type { Runner } from '../../src/exec.js';
import { memoryIo } from '../../src/io.js';
import { main, reportError } from '../../src/main.js';

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

export async function runCli(
  args: string[],
  options: { cwd: string; env?: NodeJS.ProcessEnv; runner?: Runner; now?: Date; targetOptions?: DepsInit['targetOptions'] } = { cwd: process.cwd() },
): Promise<CliRun> {
  const io = memoryIo({ env: options.env ?? {} });
  const deps = new Deps({
    io,
    cwd: options.cwd,
    env: options.env ?? {},
    runner: options.runner,
    clock: options.now ? { now: () => options.now as Date } : undefined,
    targetOptions: options.targetOptions,
  });
  const code = await main(['node', 'mac', ...args], deps);
  return { code, stdout: io.stdoutText(), stderr: io.stderrText() };
}

/**
 * One command under a root carrying the global flags, as program.ts registers it — for tests that replace what
 * the real program cannot (stdin, a hidden prompt). `deps.io` must be a memoryIo.
 */
export async function runCommand(deps: Deps, command: Command, args: string[]): Promise<CliRun> {
  const io = deps.io as ReturnType<typeof memoryIo>;
  const program = new Command('mac')
    .option('--json')
    .option('--debug')
    .option('--no-prompt')
    .hook('preAction', (_root, action) => deps.configure(action.optsWithGlobals()));
  program.addCommand(command);
  const quiet = (c: Command): void => {
    c.exitOverride().configureOutput({ writeOut: () => {}, writeErr: () => {} });
    c.commands.forEach(quiet);
  };
  quiet(program);
  let code = 0;
  try {
    await program.parseAsync(['node', 'mac', ...args]);
  } catch (err) {
    code = reportError(err, deps);
  }
  return { code, stdout: io.stdoutText(), stderr: io.stderrText() };
}

export async function tempDir(prefix = 'mac-test-'): Promise<{ dir: string; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(path.join(os.tmpdir(), prefix));
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}
