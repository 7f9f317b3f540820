import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { startCheckpointer } from '../../../src/agents/runtime/checkpointer.js';

function walDb() {
  const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'mac-ckpt-')), 'state.db');
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.exec('CREATE TABLE rows (id INTEGER PRIMARY KEY, text TEXT NOT NULL)');
  return { db, file };
}

const until = async (ok: () => boolean) => {
  while (!ok()) await new Promise((r) => setTimeout(r, 10));
};

describe('startCheckpointer', () => {
  it('copies committed pages into the database file from its own thread, the platform connection never checkpointing', async () => {
    const { db, file } = walDb();
    const checkpointer = startCheckpointer(db, { intervalMs: 20 });
    expect(db.pragma('wal_autocheckpoint', { simple: true })).toBe(20_000);
    const before = statSync(file).size;
    const insert = db.prepare('INSERT INTO rows (text) VALUES (?)');
    db.transaction(() => {
      for (let i = 0; i < 2_000; i++) insert.run(`row ${i} ${'x'.repeat(200)}`);
    })();
    // ~500 KB committed to the WAL, far below the connection's own threshold: only the worker moves it.
    await until(() => statSync(file).size > before + 400_000);
    await checkpointer.stop();
    db.close();
    expect(existsSync(`${file}-wal`)).toBe(false);
    const reopened = new Database(file, { readonly: true });
    expect(reopened.prepare('SELECT count(*) AS n FROM rows').get()).toEqual({ n: 2_000 });
    reopened.close();
    rmSync(path.dirname(file), { recursive: true, force: true });
  });

  it('tells when its worker cannot open the database, the connection then checkpointing itself past the fallback', async () => {
    const { db, file } = walDb();
    rmSync(path.dirname(file), { recursive: true, force: true }); // the connection's open files stay usable
    const errors: string[] = [];
    const checkpointer = startCheckpointer(db, { intervalMs: 20, fallbackPages: 500, onError: (m) => errors.push(m) });
    await until(() => errors.length > 0);
    expect(errors).toEqual(['WAL checkpointer stopped: Cannot open database because the directory does not exist']);
    expect(db.pragma('wal_autocheckpoint', { simple: true })).toBe(500);
    await checkpointer.stop();
    db.close();
  });
});
