// Snapshots of the local target's embedded database: SQLite's online backup API (consistent while the platform
// writes), kept as the last N files with a checksum each; restore copies one back and checks its integrity.
// Companion files (the encrypted secrets vault) are copied with each snapshot and restored with it.
import { createHash } from 'node:crypto';
import { copyFile, mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import Database from 'better-sqlite3';

export interface BackupInfo {
  id: string;
  createdAt: string;
  file: string;
  bytes: number;
  sha256: string;
  /** Copies of the companion files taken with this snapshot (absent when the file did not exist). */
  companions?: { source: string; file: string; sha256: string }[];
}

export interface BackupOptions {
  /** How many snapshots to keep (oldest deleted first). */
  keep?: number;
  now?: () => Date;
  /** Files copied with every snapshot and put back by restore (e.g. the secrets vault). */
  companions?: string[];
}

export class SqliteBackups {
  private readonly keep: number;
  private readonly now: () => Date;
  private readonly companions: string[];

  constructor(
    private readonly dbFile: string,
    private readonly dir: string,
    opts: BackupOptions = {},
  ) {
    this.keep = opts.keep ?? 10;
    this.now = opts.now ?? (() => new Date());
    this.companions = opts.companions ?? [];
  }

  /** Takes a consistent snapshot while other connections keep writing. */
  async snapshot(): Promise<BackupInfo> {
    await mkdir(this.dir, { recursive: true, mode: 0o700 });
    const createdAt = this.now().toISOString();
    const id = createdAt.replace(/[-:.]/g, '').replace('T', '-').replace('Z', '');
    const file = path.join(this.dir, `${id}.db`);
    const partial = `${file}.partial`;
    const source = new Database(this.dbFile, { readonly: true, fileMustExist: true });
    try {
      await source.backup(partial);
    } finally {
      source.close();
    }
    const bytes = await readFile(partial);
    const info: BackupInfo = { id, createdAt, file, bytes: bytes.length, sha256: sha256(bytes) };
    const companions: NonNullable<BackupInfo['companions']> = [];
    for (const source of this.companions) {
      const content = await readFile(source).catch(() => undefined);
      if (!content) continue;
      const copy = `${file}.${path.basename(source)}`;
      await writeFile(copy, content, { mode: 0o600 });
      companions.push({ source, file: copy, sha256: sha256(content) });
    }
    if (companions.length) info.companions = companions;
    await rename(partial, file);
    await writeFile(`${file}.json`, `${JSON.stringify(info, null, 2)}\n`, { mode: 0o600 });
    await this.prune();
    return info;
  }

  /** Snapshots, oldest first; one whose file no longer matches its checksum is left out. */
  async list(): Promise<BackupInfo[]> {
    const names = await readdir(this.dir).catch(() => [] as string[]);
    const infos: BackupInfo[] = [];
    for (const name of names.filter((n) => n.endsWith('.db.json')).sort()) {
      const info = JSON.parse(await readFile(path.join(this.dir, name), 'utf8')) as BackupInfo;
      const s = await stat(info.file).catch(() => undefined);
      if (s?.size === info.bytes) infos.push(info);
    }
    return infos;
  }

  async latest(): Promise<BackupInfo | undefined> {
    return (await this.list()).at(-1);
  }

  /**
   * Copies a snapshot over the database file (the platform must be stopped), after checking its checksum;
   * returns what was restored. Stale WAL files of the replaced database are removed.
   */
  async restore(id?: string): Promise<BackupInfo> {
    const all = await this.list();
    const info = id ? all.find((b) => b.id === id) : all.at(-1);
    if (!info) throw new Error(id ? `no backup ${id} in ${this.dir}` : `no backup in ${this.dir}`);
    if (sha256(await readFile(info.file)) !== info.sha256) throw new Error(`backup ${info.id} is corrupt (checksum mismatch)`);
    await mkdir(path.dirname(this.dbFile), { recursive: true });
    const staging = `${this.dbFile}.restoring`;
    await copyFile(info.file, staging);
    const check = new Database(staging);
    try {
      const result = check.pragma('integrity_check', { simple: true });
      if (result !== 'ok') throw new Error(`backup ${info.id} failed integrity_check: ${String(result)}`);
    } finally {
      check.close();
    }
    await rm(`${this.dbFile}-wal`, { force: true });
    await rm(`${this.dbFile}-shm`, { force: true });
    await rename(staging, this.dbFile);
    for (const c of info.companions ?? []) {
      const content = await readFile(c.file);
      if (sha256(content) !== c.sha256) throw new Error(`backup ${info.id}: ${path.basename(c.file)} is corrupt (checksum mismatch)`);
      await mkdir(path.dirname(c.source), { recursive: true });
      await writeFile(`${c.source}.restoring`, content, { mode: 0o600 });
      await rename(`${c.source}.restoring`, c.source);
    }
    return info;
  }

  private async prune(): Promise<void> {
    const all = await this.list();
    for (const old of all.slice(0, Math.max(0, all.length - this.keep))) {
      await rm(old.file, { force: true });
      await rm(`${old.file}.json`, { force: true });
      for (const c of old.companions ?? []) await rm(c.file, { force: true });
    }
  }
}

/** Snapshots every `intervalMs` while the platform runs; a failed snapshot is reported and retried next time. */
export function scheduleBackups(backups: SqliteBackups, intervalMs: number, onError: (err: Error) => void): { stop(): Promise<void> } {
  let running: Promise<unknown> = Promise.resolve();
  const timer = setInterval(() => {
    running = running.then(() => backups.snapshot()).catch((err: Error) => onError(err));
  }, intervalMs);
  timer.unref();
  return {
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}

function sha256(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex');
}
