import { readFile, readdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { acquireLock, LockHeldError, withLock } from '../../src/secrets/lock.js';
import { tempDir } from '../helpers/cli.js';

describe('file lock', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  beforeEach(async () => ({ dir, cleanup } = await tempDir('mac-lock-')));
  afterEach(() => cleanup());

  it('admits one holder at a time; the file names the owner and disappears on release', async () => {
    const file = path.join(dir, 'x.lock');
    let inside = 0;
    let most = 0;
    const order: number[] = [];
    await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        withLock(file, async (lock) => {
          inside++;
          most = Math.max(most, inside);
          const owner = JSON.parse(await readFile(file, 'utf8'));
          expect(owner).toMatchObject({ pid: process.pid, host: os.hostname(), nonce: lock.owner.nonce, purpose: 'test' });
          await sleep(1);
          order.push(i);
          inside--;
        }, { purpose: 'test' }),
      ),
    );
    expect(most).toBe(1);
    expect(order).toHaveLength(12);
    expect(await readdir(dir)).toEqual([]);
  });

  it('many waiters racing to take over the same stale lock still admit one holder at a time', async () => {
    const file = path.join(dir, 'x.lock');
    const deadPid = 999_999;
    await writeFile(file, JSON.stringify({ pid: deadPid, host: os.hostname(), nonce: 'stale', createdAt: '2025-01-01T00:00:00Z' }));
    const isAlive = (pid: number) => pid !== deadPid;
    let inside = 0;
    let most = 0;
    const tookOver: string[] = [];
    await Promise.all(
      Array.from({ length: 10 }, () =>
        withLock(
          file,
          async (lock) => {
            if (lock.tookOverFrom) tookOver.push(lock.tookOverFrom.nonce);
            inside++;
            most = Math.max(most, inside);
            await sleep(1);
            inside--;
          },
          { isAlive },
        ),
      ),
    );
    expect(most).toBe(1);
    expect(tookOver).toEqual(['stale']);
    expect(await readdir(dir)).toEqual([]);
  });

  it('a lock on another host is never judged stale by pid', async () => {
    const file = path.join(dir, 'x.lock');
    await writeFile(file, JSON.stringify({ pid: 999_999, host: 'some-other-host', nonce: 'remote', createdAt: '2025-01-01T00:00:00Z' }));
    const err = await acquireLock(file, { timeoutMs: 20, isAlive: () => false }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(LockHeldError);
    expect((err as LockHeldError).message).toMatch(/held by process 999999 on some-other-host/);
    expect((err as LockHeldError).suggestion).toMatch(/another machine/);
  });

  it('release leaves a lock that is not its own', async () => {
    const file = path.join(dir, 'x.lock');
    const lock = await acquireLock(file);
    await writeFile(file, JSON.stringify({ pid: process.pid, host: os.hostname(), nonce: 'replaced', createdAt: '2025-01-01T00:00:00Z' }));
    await lock.release();
    expect(JSON.parse(await readFile(file, 'utf8')).nonce).toBe('replaced');
  });
});
