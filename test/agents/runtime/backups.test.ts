import { readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SqliteBackups, scheduleBackups } from '../../../src/agents/runtime/backups.js';
import { tempDir } from '../../helpers/cli.js';

let dir: string;
let cleanup: () => Promise<void>;
beforeEach(async () => ({ dir, cleanup } = await tempDir()));
afterEach(() => cleanup());

function liveDb(file: string): Database.Database {
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.exec('CREATE TABLE IF NOT EXISTS turns (id INTEGER PRIMARY KEY, text TEXT)');
  return db;
}

describe('local backups', () => {
  it('snapshots a database that is being written, keeps the last N, and restores the newest', async () => {
    const file = path.join(dir, 'data/platform.db');
    await import('node:fs/promises').then((fs) => fs.mkdir(path.dirname(file), { recursive: true }));
    const db = liveDb(file);
    let clock = Date.parse('2026-11-26T10:00:00Z');
    const backups = new SqliteBackups(file, path.join(dir, 'backups'), { keep: 2, now: () => new Date((clock += 60_000)) });

    const insert = db.prepare('INSERT INTO turns (text) VALUES (?)');
    for (let round = 1; round <= 3; round++) {
      insert.run(`canary ${round}`);
      const info = await backups.snapshot();
      expect(info.bytes).toBeGreaterThan(0);
      expect((await stat(`${info.file}.json`)).mode & 0o777).toBe(0o600);
    }
    insert.run('after the last backup');
    db.close();

    const kept = await backups.list();
    expect(kept.map((b) => b.createdAt)).toEqual(['2026-11-26T10:02:00.000Z', '2026-11-26T10:03:00.000Z']);

    await writeFile(file, 'destroyed');
    const restored = await backups.restore();
    expect(restored.id).toBe(kept[1]?.id);
    const back = new Database(file, { readonly: true });
    expect(back.prepare('SELECT text FROM turns ORDER BY id').all()).toEqual([{ text: 'canary 1' }, { text: 'canary 2' }, { text: 'canary 3' }]);
    back.close();
  });

  it('refuses a snapshot whose bytes changed', async () => {
    const file = path.join(dir, 'p.db');
    liveDb(file).close();
    const backups = new SqliteBackups(file, path.join(dir, 'b'));
    const info = await backups.snapshot();
    const bytes = await readFile(info.file);
    const last = bytes.length - 1;
    bytes.writeUInt8(bytes.readUInt8(last) ^ 0xff, last);
    await writeFile(info.file, bytes);
    await expect(backups.restore(info.id)).rejects.toThrow(/corrupt/);
  });

  it('takes snapshots on a schedule until stopped', async () => {
    const file = path.join(dir, 'p.db');
    liveDb(file).close();
    const backups = new SqliteBackups(file, path.join(dir, 'b'), { keep: 100 });
    const errors: Error[] = [];
    const schedule = scheduleBackups(backups, 20, (e) => errors.push(e));
    await new Promise((r) => setTimeout(r, 150));
    await schedule.stop();
    const count = (await backups.list()).length;
    expect(count).toBeGreaterThan(0);
    await new Promise((r) => setTimeout(r, 60));
    expect((await backups.list()).length).toBe(count);
    expect(errors).toEqual([]);
  });
});
