// The local target's process supervisor: starts runtime processes detached from the toolkit (they outlive
// `mac deploy`), with their launch settings on stdin and their output appended to a log file; finds them again by
// their command line (`--role R --state-dir D`), which also catches a process whose launcher was killed before it
// recorded anything; stops them with SIGTERM, then SIGKILL.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdir, open, readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { execa } from 'execa';
import { RUNTIME_NODE_FLAGS, runFile, type Launch, type Role, type RunRecord } from '../../agents/launch.js';
import { packageRoot } from '../../paths.js';

export const RUNTIME_ENTRY = path.join(packageRoot, 'dist', 'agents', 'main.js');

export interface RuntimeProcess {
  pid: number;
  role: Role;
}

export function logFile(stateDir: string, role: Role): string {
  return path.join(stateDir, 'logs', `${role}.log`);
}

/** Every runtime process of this state folder, found by command line (pid reuse cannot fool it). */
export async function findProcesses(stateDir: string): Promise<RuntimeProcess[]> {
  const found: RuntimeProcess[] = [];
  for (const { pid, args } of await commandLines()) {
    const entry = args.indexOf(RUNTIME_ENTRY);
    if (entry < 0) continue;
    const role = args[args.indexOf('--role', entry) + 1] as Role | undefined;
    const dir = args[args.indexOf('--state-dir', entry) + 1];
    if (role && dir === stateDir) found.push({ pid, role });
  }
  return found;
}

/** Each process's argv: from /proc on Linux (exact arguments, no `ps` needed), else from `ps`. */
async function commandLines(): Promise<{ pid: number; args: string[] }[]> {
  const pids = await readdir('/proc').catch(() => undefined);
  if (pids) {
    const out: { pid: number; args: string[] }[] = [];
    for (const name of pids) {
      if (!/^\d+$/.test(name)) continue;
      const raw = await readFile(`/proc/${name}/cmdline`, 'utf8').catch(() => '');
      if (raw.includes(RUNTIME_ENTRY)) out.push({ pid: Number(name), args: raw.split('\0') });
    }
    return out;
  }
  // Without /proc (macOS), split `ps` output on spaces: the state folder is the last argument, so it is read whole.
  const { stdout } = await execa('ps', ['-eo', 'pid=,args='], { reject: false });
  return stdout.split('\n').flatMap((line) => {
    const m = /^\s*(\d+)\s+(.*)$/.exec(line);
    if (!m?.[2]) return [];
    const [before, dir] = m[2].split(' --state-dir ');
    return [{ pid: Number(m[1]), args: [...(before ?? '').split(' '), ...(dir !== undefined ? ['--state-dir', dir] : [])] }];
  });
}

export async function readRunRecord(stateDir: string, role: Role): Promise<RunRecord | undefined> {
  try {
    return JSON.parse(await readFile(runFile(stateDir, role), 'utf8')) as RunRecord;
  } catch {
    return undefined;
  }
}

/** Starts a process detached; resolves once it has recorded itself as serving, or rejects with its last log lines. */
export async function startProcess(stateDir: string, launch: Launch, timeoutMs = 60_000): Promise<RunRecord> {
  const log = logFile(stateDir, launch.role);
  await mkdir(path.dirname(log), { recursive: true, mode: 0o700 });
  const out = await open(log, 'a', 0o600);
  // What this process writes starts here: errors quote its lines, not those of the process it replaced.
  const from = (await out.stat()).size;
  const child = spawn(process.execPath, [...RUNTIME_NODE_FLAGS, RUNTIME_ENTRY, '--role', launch.role, '--state-dir', stateDir], {
    detached: true,
    stdio: ['pipe', out.fd, out.fd],
    env: runtimeEnv(process.env),
  });
  await out.close();
  let exited: number | null | undefined;
  child.on('exit', (code) => {
    exited = code;
  });
  child.stdin?.end(JSON.stringify(launch));
  child.unref();
  const pid = child.pid;
  if (pid === undefined) throw new Error(`could not start the ${launch.role} process`);

  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const record = await readRunRecord(stateDir, launch.role);
    if (record?.pid === pid) return record;
    if (exited !== undefined) throw new Error(`the ${launch.role} process exited (code ${exited}) before serving: ${await tail(log, 3, from)}`);
    await sleep(100);
  }
  throw new Error(`the ${launch.role} process did not start within ${timeoutMs / 1000}s: ${await tail(log, 3, from)}`);
}

/**
 * The environment a runtime process gets: only what Node and the OS need. Its settings and secrets come on stdin, so
 * nothing the toolkit holds (MAC_VAULT_KEY, AZURE_CLIENT_SECRET, a rotation's --from-env variable) is inherited.
 */
function runtimeEnv(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const keep = ['PATH', 'HOME', 'USER', 'LANG', 'LC_ALL', 'TZ', 'TMPDIR', 'NODE_ENV'];
  return Object.fromEntries(keep.filter((k) => env[k] !== undefined).map((k) => [k, env[k]]));
}

/** Stops the given processes: SIGTERM, and SIGKILL for any still alive after the grace period. */
export async function stopProcesses(procs: RuntimeProcess[], graceMs = 10_000): Promise<void> {
  for (const p of procs) signal(p.pid, 'SIGTERM');
  const deadline = Date.now() + graceMs;
  let alive = procs.filter((p) => isAlive(p.pid));
  while (alive.length && Date.now() < deadline) {
    await sleep(100);
    alive = alive.filter((p) => isAlive(p.pid));
  }
  for (const p of alive) signal(p.pid, 'SIGKILL');
  while (alive.some((p) => isAlive(p.pid))) await sleep(50);
}

function signal(pid: number, sig: NodeJS.Signals): void {
  try {
    process.kill(pid, sig);
  } catch {
    // already gone
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return !isZombie(pid);
  } catch {
    return false;
  }
}

/** A child of this process that exited but was not reaped still answers signal 0. */
function isZombie(pid: number): boolean {
  try {
    // Linux only; elsewhere a zombie is reaped by the time our own child handle's exit fires.
    return /\) Z /.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

/** The last lines of a log file (from a byte offset), on one line, for an error message. */
export async function tail(file: string, lines: number, from = 0): Promise<string> {
  const text = (await readFile(file).catch(() => Buffer.alloc(0))).subarray(from).toString('utf8');
  return text.trim().split('\n').slice(-lines).join(' | ') || '(no output)';
}
