// The release journal of an environment: .mac/<env>/releases.jsonl, append-only, one event per line. Appends are
// single writes, so a crash leaves at worst a torn last line, which is skipped; nothing already written is lost.
import { appendFile, mkdir, open, readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Release } from '../targets/target.js';

export type JournalEvent =
  | { type: 'deploying'; ts: string; release: Release }
  | { type: 'released'; ts: string; release: Release }
  | { type: 'failed'; ts: string; releaseId: string; reason: string }
  | { type: 'rolled-back'; ts: string; releaseId: string; to: string };

export class ReleaseJournal {
  readonly file: string;

  constructor(stateDir: string) {
    this.file = path.join(stateDir, 'releases.jsonl');
  }

  async append(event: JournalEvent): Promise<void> {
    await mkdir(path.dirname(this.file), { recursive: true, mode: 0o700 });
    const line = `${JSON.stringify(event)}\n`;
    // After a torn last line, start a new one: appended to the fragment, this event would be unreadable too.
    await appendFile(this.file, (await this.endsTorn()) ? `\n${line}` : line, { mode: 0o600 });
  }

  /** Whether the file's last byte is not a newline (a crash mid-append). */
  private async endsTorn(): Promise<boolean> {
    const handle = await open(this.file, 'r').catch(() => undefined);
    if (!handle) return false;
    try {
      const { size } = await handle.stat();
      if (size === 0) return false;
      const last = Buffer.alloc(1);
      await handle.read(last, 0, 1, size - 1);
      return last[0] !== 0x0a;
    } finally {
      await handle.close();
    }
  }

  async events(): Promise<JournalEvent[]> {
    const text = await readFile(this.file, 'utf8').catch(() => '');
    const out: JournalEvent[] = [];
    for (const line of text.split('\n')) {
      if (!line.trim()) continue;
      try {
        out.push(JSON.parse(line) as JournalEvent);
      } catch {
        // a torn line from a crash mid-append
      }
    }
    return out;
  }

  /** Every release ever attempted, oldest first. */
  async releases(): Promise<Release[]> {
    const out: Release[] = [];
    for (const e of await this.events()) if (e.type === 'deploying') out.push(e.release);
    return out;
  }

  /** The releases that passed their smoke test, oldest first; the last one is what should be running. */
  async released(): Promise<Release[]> {
    const all = await this.events();
    const byId = new Map(all.flatMap((e) => (e.type === 'deploying' ? [[e.release.id, e.release] as const] : [])));
    const out: Release[] = [];
    for (const e of all) {
      if (e.type === 'released') out.push(e.release);
      if (e.type === 'rolled-back') {
        const to = byId.get(e.to) ?? out.find((r) => r.id === e.to);
        if (to) out.push(to);
      }
    }
    return out;
  }

  async current(): Promise<Release | undefined> {
    return (await this.released()).at(-1);
  }
}
