// The release journal: append-only JSONL whose reader skips a line torn by a crash, and whose writer does not glue
// the next event onto such a line.
import { appendFile, readFile } from 'node:fs/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ReleaseJournal } from '../../src/deploy/journal.js';
import type { Release } from '../../src/targets/target.js';
import { tempDir } from '../helpers/cli.js';

function release(id: string): Release {
  return {
    id,
    version: '0.1.0',
    configHash: 'c'.repeat(16),
    fingerprint: id.padEnd(16, '0'),
    createdAt: '2025-01-10T09:00:00.000Z',
    spec: { dataDir: '/data', port: 0, backupIntervalSeconds: 60, backupKeep: 10 },
  };
}

describe('ReleaseJournal', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  beforeEach(async () => ({ dir, cleanup } = await tempDir('mac-journal-')));
  afterEach(() => cleanup());

  it('current is the last released release, or the one a failed release rolled back to', async () => {
    const j = new ReleaseJournal(dir);
    expect(await j.current()).toBeUndefined();
    await j.append({ type: 'deploying', ts: 't1', release: release('a') });
    expect(await j.current()).toBeUndefined();
    await j.append({ type: 'released', ts: 't2', release: release('a') });
    await j.append({ type: 'deploying', ts: 't3', release: release('b') });
    await j.append({ type: 'failed', ts: 't4', releaseId: 'b', reason: 'ready check: no' });
    await j.append({ type: 'rolled-back', ts: 't5', releaseId: 'b', to: 'a' });
    expect((await j.current())?.id).toBe('a');
    expect((await j.releases()).map((r) => r.id)).toEqual(['a', 'b']);
  });

  it('skips a torn last line, and the next append starts a new line instead of joining it', async () => {
    const j = new ReleaseJournal(dir);
    await j.append({ type: 'deploying', ts: 't1', release: release('a') });
    await j.append({ type: 'released', ts: 't2', release: release('a') });
    const torn = JSON.stringify({ type: 'deploying', ts: 't3', release: release('b') }).slice(0, 30);
    await appendFile(j.file, torn);
    expect((await j.events()).map((e) => e.type)).toEqual(['deploying', 'released']);

    await j.append({ type: 'deploying', ts: 't4', release: release('c') });
    await j.append({ type: 'released', ts: 't5', release: release('c') });
    expect((await j.events()).map((e) => e.ts)).toEqual(['t1', 't2', 't4', 't5']);
    expect((await j.releases()).map((r) => r.id)).toEqual(['a', 'c']);
    expect((await j.current())?.id).toBe('c');
    expect((await readFile(j.file, 'utf8')).split('\n')).toHaveLength(6);
  });
});
