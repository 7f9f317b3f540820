// Runs the real program in-process with in-memory output; only the process boundary (Runner) may be swapped.
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Deps } from '../../src/deps.js';
import type { Runner } from '../../src/exec.js';
import { memoryIo } from '../../src/io.js';
import { main } from '../../src/main.js';

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

export async function runCli(
  args: string[],
  options: { cwd: string; env?: NodeJS.ProcessEnv; runner?: Runner; now?: Date } = { cwd: process.cwd() },
): Promise<CliRun> {
  const io = memoryIo({ env: options.env ?? {} });
  const deps = new Deps({
    io,
    cwd: options.cwd,
    env: options.env ?? {},
    runner: options.runner,
    clock: options.now ? { now: () => options.now as Date } : undefined,
  });
  const code = await main(['node', 'mac', ...args], deps);
  return { code, stdout: io.stdoutText(), stderr: io.stderrText() };
}

export async function tempDir(prefix = 'mac-test-'): Promise<{ dir: string; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(path.join(os.tmpdir(), prefix));
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}
