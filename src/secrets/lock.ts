// An advisory lock file next to the thing it guards: created with O_EXCL, holding the owner's pid, host and a nonce.
// A lock whose owner process is gone (same host, pid no longer alive) is stale and is taken over — through a
// per-lock takeover marker, also O_EXCL, so two processes that both find the same stale lock cannot both remove it,
// and the one that wins re-checks the lock is still the stale one before deleting it (it never deletes a live lock).
import { randomBytes } from 'node:crypto';
import { open, readFile, stat, unlink } from 'node:fs/promises';
import os from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import { PreconditionError } from '../errors.js';

export interface LockOwner {
  pid: number;
  host: string;
  nonce: string;
  createdAt: string;
  purpose?: string;
}

export interface FileLockOptions {
  /** How long to wait for a live owner to release the lock (default 10 s). */
  timeoutMs?: number;
  /** What the lock is for, recorded in the file and named in the error. */
  purpose?: string;
  /** Whether a process is alive (default: signal 0). Tests substitute it. */
  isAlive?: (pid: number) => boolean;
}

export interface HeldLock {
  readonly file: string;
  readonly owner: LockOwner;
  /** The dead owner whose stale lock this one replaced, if any. */
  readonly tookOverFrom?: LockOwner;
  release(): Promise<void>;
}

/** The lock is held by a live process and was not released in time (exit 4). */
export class LockHeldError extends PreconditionError {
  constructor(
    readonly file: string,
    readonly owner: LockOwner | undefined,
  ) {
    super(
      owner
        ? `${file} is held by process ${owner.pid} on ${owner.host}${owner.purpose ? ` (${owner.purpose})` : ''} since ${owner.createdAt}.`
        : `${file} is held by another process.`,
      owner && owner.host !== os.hostname()
        ? `It was taken on another machine; if no mac runs there any more, delete ${file}.`
        : `Wait for it to finish and retry; if no mac process is running, delete ${file}.`,
    );
  }
}

/** A lock file being written this long ago with no readable owner is the trace of a crash, not a live lock. */
const UNREADABLE_STALE_MS = 5_000;

export function processIsAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: the process exists but belongs to someone else.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export async function acquireLock(file: string, options: FileLockOptions = {}): Promise<HeldLock> {
  const timeoutMs = options.timeoutMs ?? 10_000;
  const isAlive = options.isAlive ?? processIsAlive;
  const owner: LockOwner = {
    pid: process.pid,
    host: os.hostname(),
    nonce: randomBytes(12).toString('hex'),
    createdAt: new Date().toISOString(),
    ...(options.purpose ? { purpose: options.purpose } : {}),
  };
  const deadline = Date.now() + timeoutMs;
  let tookOverFrom: LockOwner | undefined;
  let delay = 5;
  for (;;) {
    if (await tryCreate(file, owner)) {
      return { file, owner, tookOverFrom, release: () => releaseLock(file, owner) };
    }
    const current = await readOwner(file);
    if (current === 'gone') continue; // released between our attempt and our read
    const stale =
      current === 'unreadable'
        ? await olderThan(file, UNREADABLE_STALE_MS)
        : current.host === os.hostname() && !isAlive(current.pid);
    if (stale) {
      if (await takeOver(file, current, isAlive)) tookOverFrom = current === 'unreadable' ? undefined : current;
      continue;
    }
    if (Date.now() >= deadline) throw new LockHeldError(file, current === 'unreadable' ? undefined : current);
    await sleep(delay);
    delay = Math.min(delay * 2, 50);
  }
}

export async function withLock<T>(file: string, fn: (lock: HeldLock) => Promise<T>, options?: FileLockOptions): Promise<T> {
  const lock = await acquireLock(file, options);
  try {
    return await fn(lock);
  } finally {
    await lock.release();
  }
}

async function tryCreate(file: string, owner: LockOwner): Promise<boolean> {
  let handle;
  try {
    handle = await open(file, 'wx', 0o600);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw err;
  }
  try {
    await handle.writeFile(`${JSON.stringify(owner)}\n`);
  } finally {
    await handle.close();
  }
  return true;
}

async function readOwner(file: string): Promise<LockOwner | 'gone' | 'unreadable'> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return 'gone';
    throw err;
  }
  try {
    const o = JSON.parse(text) as Partial<LockOwner>;
    if (typeof o.pid === 'number' && typeof o.nonce === 'string' && typeof o.host === 'string') return o as LockOwner;
  } catch {
    // being written, or a crash left it half-written
  }
  return 'unreadable';
}

async function olderThan(file: string, ms: number): Promise<boolean> {
  const s = await stat(file).catch(() => undefined);
  return s !== undefined && Date.now() - s.mtimeMs > ms;
}

/**
 * Removes a stale lock if it is still the one we judged stale. Only the holder of that lock's takeover marker may
 * remove it, and it checks the nonce again first, so a live lock created meanwhile is never deleted.
 */
async function takeOver(file: string, stale: LockOwner | 'unreadable', isAlive: (pid: number) => boolean): Promise<boolean> {
  const id = stale === 'unreadable' ? 'unreadable' : stale.nonce.replace(/[^0-9a-z]/gi, '');
  const marker = `${file}.takeover-${id}`;
  const me: LockOwner = { pid: process.pid, host: os.hostname(), nonce: randomBytes(12).toString('hex'), createdAt: new Date().toISOString() };
  if (!(await tryCreate(marker, me))) {
    // Someone else is taking it over; if they died doing so, clear their marker and let the loop try again.
    const other = await readOwner(marker);
    if (other === 'gone') return false;
    const dead = other === 'unreadable' ? await olderThan(marker, UNREADABLE_STALE_MS) : other.host === os.hostname() && !isAlive(other.pid);
    if (dead) await unlink(marker).catch(ignoreMissing);
    else await sleep(5);
    return false;
  }
  try {
    const now = await readOwner(file);
    const same =
      stale === 'unreadable'
        ? now === 'unreadable' && (await olderThan(file, UNREADABLE_STALE_MS))
        : now !== 'gone' && now !== 'unreadable' && now.nonce === stale.nonce;
    if (!same) return false;
    await unlink(file).catch(ignoreMissing);
    return true;
  } finally {
    await unlink(marker).catch(ignoreMissing);
  }
}

async function releaseLock(file: string, owner: LockOwner): Promise<void> {
  const current = await readOwner(file);
  // Only our own lock: never remove one that replaced ours.
  if (current !== 'gone' && current !== 'unreadable' && current.nonce === owner.nonce) await unlink(file).catch(ignoreMissing);
}

function ignoreMissing(err: NodeJS.ErrnoException): void {
  if (err.code !== 'ENOENT') throw err;
}
