// WAL checkpoints on a thread of their own. SQLite's automatic checkpoint runs inside the commit that crosses its
// threshold: on the event loop, copying pages into the database file and syncing it (half the CPU of the platform's
// commits under load, and a stall for every reply waiting behind it). Here a worker thread with its own connection
// checkpoints PASSIVE (never blocking a writer) every `intervalMs`; the platform's connection checkpoints itself
// only past `fallbackPages`, should the worker fall behind or stop.
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type { Database } from 'better-sqlite3';

// Plain CommonJS evaluated in the worker: the same code whether the platform runs from dist/ or from sources.
const WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.file, { fileMustExist: true });
let failing; // the last failure told, so a lasting one is told once
const timer = setInterval(() => {
  try {
    db.pragma('wal_checkpoint(PASSIVE)');
    failing = undefined;
  } catch (err) {
    const error = String(err && err.message);
    if (error !== failing) parentPort.postMessage({ error: (failing = error) });
  }
}, workerData.intervalMs);
parentPort.on('message', () => { clearInterval(timer); db.close(); parentPort.close(); });
`;

export interface Checkpointer {
  /** Stops the worker and closes its connection (before the platform's own connection closes). */
  stop(): Promise<void>;
}

export function startCheckpointer(
  db: Database,
  opts: { intervalMs?: number; fallbackPages?: number; onError?: (message: string) => void } = {},
): Checkpointer {
  db.pragma(`wal_autocheckpoint = ${opts.fallbackPages ?? 20_000}`);
  const worker = new Worker(WORKER, {
    eval: true,
    workerData: { driver: createRequire(import.meta.url).resolve('better-sqlite3'), file: db.name, intervalMs: opts.intervalMs ?? 250 },
  });
  worker.on('message', (m: { error?: string }) => m.error && opts.onError?.(`WAL checkpoint failed: ${m.error}`));
  worker.on('error', (err) => opts.onError?.(`WAL checkpointer stopped: ${err.message}`));
  worker.unref();
  const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
  return {
    async stop() {
      worker.ref(); // an unref'd worker would let the process end while stop() waits for it
      worker.postMessage('stop');
      await exited;
    },
  };
}
