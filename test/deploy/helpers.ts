// A throwaway project for deploy tests: mac.yaml with one local environment on a free port, the real program run
// in-process (runCli) or as a child process, and a cleanup that leaves no runtime process behind.
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { cp, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { stringify } from 'yaml';
import { expect } from 'vitest';
import type { Role, RunRecord } from '../../src/agents/launch.js';
import { ReleaseJournal } from '../../src/deploy/journal.js';
import { findProcesses, readRunRecord } from '../../src/targets/local/processes.js';
import { demoShopDir as DEMO_SHOP } from '../../src/paths.js';
import { runCli, tempDir, type CliRun } from '../helpers/cli.js';

export interface ShopSettings {
  data?: string;
  policy?: Record<string, unknown>;
}

export interface Project {
  dir: string;
  stateDir: string;
  /** The environment the CLI runs with (in-process); a child process gets process.env plus this. */
  env: NodeJS.ProcessEnv;
  mac(args: string[]): Promise<CliRun>;
  /** Rewrites mac.yaml's local environment with these shop settings. */
  configure(shop?: ShopSettings): Promise<void>;
  journal: ReleaseJournal;
  runRecord(role: Role): Promise<RunRecord | undefined>;
  /** destroy --yes, then SIGKILL whatever runtime process is left, and check none is; removes the folder. */
  cleanup(): Promise<void>;
}

export async function newProject(prefix: string): Promise<Project> {
  const { dir, cleanup } = await tempDir(prefix);
  const stateDir = path.join(dir, '.mac', 'local');
  const env: NodeJS.ProcessEnv = { MAC_VAULT_KEY: randomBytes(32).toString('base64'), CI: '1', NO_COLOR: '1' };
  const configure = async (shop: ShopSettings = {}) => {
    const local: Record<string, unknown> = { target: 'local', port: 0, backups: { intervalSeconds: 60 } };
    if (shop.data || shop.policy) local.shop = { ...(shop.data ? { data: shop.data } : {}), ...(shop.policy ? { policy: shop.policy } : {}) };
    await writeFile(path.join(dir, 'mac.yaml'), stringify({ environments: { local } }));
  };
  await configure();
  const mac = (args: string[]) => runCli(args, { cwd: dir, env });
  return {
    dir,
    stateDir,
    env,
    mac,
    configure,
    journal: new ReleaseJournal(stateDir),
    runRecord: (role) => readRunRecord(stateDir, role),
    async cleanup() {
      try {
        const destroyed = await mac(['destroy', '--yes']);
        expect(destroyed.code, destroyed.stderr).toBe(0);
      } finally {
        await killLeftovers(stateDir);
        await cleanup();
      }
      expect(await findProcesses(stateDir)).toEqual([]);
    },
  };
}

/** SIGKILLs every runtime process of the state folder and waits until ps no longer lists them. */
export async function killLeftovers(stateDir: string): Promise<void> {
  for (let i = 0; i < 50; i++) {
    const left = await findProcesses(stateDir);
    if (!left.length) return;
    for (const p of left) {
      try {
        process.kill(p.pid, 'SIGKILL');
      } catch {
        // gone meanwhile
      }
    }
    await sleep(100);
  }
}

/** A copy of the demo shop whose Shopify orders are not JSON: the integrations process cannot start on it. */
export async function brokenShop(projectDir: string, name = 'broken-shop'): Promise<string> {
  const dir = path.join(projectDir, name);
  await cp(DEMO_SHOP, dir, { recursive: true });
  await writeFile(path.join(dir, 'shopify', 'orders.json'), '{ "orders": [ {"id": 1, ');
  return name;
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  // A zombie (exited, not reaped: PID 1 here may not reap) still answers signal 0.
  return !/\) Z /.test(readProcStat(pid));
}

function readProcStat(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return '';
  }
}

export interface StatusDoc {
  healthy: boolean;
  url?: string;
  release?: { id: string; version: string; configHash: string; fingerprint: string; gitSha?: string; spec: { dataDir: string } };
  processes: { name: string; state: string; pid?: number; releaseId?: string; url?: string }[];
}

export async function status(project: Project): Promise<StatusDoc> {
  const run = await project.mac(['status', '--json']);
  expect(run.code, run.stderr).toBe(0);
  return JSON.parse(run.stdout) as StatusDoc;
}

/** The journal's lines: every one parses, except possibly a torn last line. */
export async function journalLines(project: Project): Promise<unknown[]> {
  const text = await readFile(project.journal.file, 'utf8');
  const lines = text.split('\n').filter((l) => l.trim());
  const parsed: unknown[] = [];
  lines.forEach((line, i) => {
    try {
      parsed.push(JSON.parse(line));
    } catch (err) {
      if (i !== lines.length - 1 || text.endsWith('\n')) throw new Error(`journal line ${i + 1} does not parse: ${line.slice(0, 120)}`, { cause: err });
    }
  });
  return parsed;
}
