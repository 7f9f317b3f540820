// Runs dist/agents/main.js --agent <name> as a container would: its own process, only the environment given.
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { packageRoot } from '../../src/paths.js';

export const RUNTIME_MAIN = path.join(packageRoot, 'dist', 'agents', 'main.js');

export interface AgentProcess {
  child: ChildProcess;
  output: string[];
  /** Resolves with the gateway's (intent-classifier) or the health endpoint's URL once the agent serves. */
  ready: Promise<string>;
  stop(): Promise<void>;
}

export function spawnAgent(agent: string, env: Record<string, string>, stateDir: string): AgentProcess {
  const child = spawn(process.execPath, [RUNTIME_MAIN, '--agent', agent, '--state-dir', stateDir], {
    cwd: packageRoot,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  const ready = new Promise<string>((resolve, reject) => {
    child.stdout!.on('data', (d: Buffer) => {
      output.push(d.toString());
      const m = /ready \((?:gateway|health) (http:\/\/[^\s,]+)/.exec(output.join(''));
      if (m) resolve(m[1]!);
    });
    child.stderr!.on('data', (d: Buffer) => output.push(d.toString()));
    child.once('exit', (code) => reject(new Error(`${agent} exited (${code}): ${output.join('')}`)));
  });
  ready.catch(() => {});
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    child,
    output,
    ready,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}

/** Polls `probe` until it returns a value. */
export async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe().catch(() => undefined);
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}
