// Per-stage latency of the pipeline, in-process (no HTTP), over the shipped scenarios' messages. The baseline in
// the same run is the cost of the gateway's request validation alone. Prints figures; asserts nothing.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startPlatform } from '../dist/agents/runtime/platform.js';
import { validateChatRequest } from '../dist/agents/gateway/validate.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const rounds = Number(process.env.BENCH_ROUNDS ?? 20);
const scenarios = JSON.parse(readFileSync(path.join(root, 'scenarios/demo-shop.json'), 'utf8')).scenarios;
const requests = scenarios.map((s) => ({ message: s.turns[0].message, customer_email: s.customer_email }));

const stateDir = mkdtempSync(path.join(os.tmpdir(), 'mac-bench-pipeline-'));
const platform = await startPlatform({
  dataDir: path.join(root, 'data/demo-shop'),
  stateDir,
  port: 0,
  integrations: { mode: 'mock' },
  vaultKey: Buffer.alloc(32, 3),
});

const stages = new Map();
const totals = [];
const pct = (xs, p) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? 0;
};
try {
  for (let r = 0; r < rounds; r++) {
    for (const req of requests) {
      const res = await platform.pipeline.handle(req);
      if (r >= 2) totals.push(res.processing_time_ms); // the first rounds warm the JIT and caches
    }
  }
  // Stage timings travel on the turn events; read them back from the outbox.
  await platform.flush();
  const Database = (await import('better-sqlite3')).default;
  const db = new Database(path.join(stateDir, 'data/platform.db'), { readonly: true });
  const rows = db.prepare("SELECT data FROM bus_outbox WHERE subject = 'events.platform.conversations.turn' ORDER BY created_at").all();
  for (const { data } of rows.slice(2 * requests.length)) {
    for (const [name, ms] of Object.entries(JSON.parse(data).stages_ms)) {
      if (!stages.has(name)) stages.set(name, []);
      stages.get(name).push(ms * 1000);
    }
  }
  db.close();

  const base = [];
  for (let r = 0; r < rounds; r++) {
    for (const req of requests) {
      const t = performance.now();
      validateChatRequest(req);
      base.push((performance.now() - t) * 1000);
    }
  }

  console.log(`pipeline stages, ${rounds - 2} measured rounds × ${requests.length} messages (µs; mock integrations in-process)`);
  console.log(`${'stage'.padEnd(34)} ${'p50'.padStart(8)} ${'p95'.padStart(8)} ${'p99'.padStart(8)}`);
  for (const [name, xs] of stages) {
    console.log(`${name.padEnd(34)} ${pct(xs, 50).toFixed(0).padStart(8)} ${pct(xs, 95).toFixed(0).padStart(8)} ${pct(xs, 99).toFixed(0).padStart(8)}`);
  }
  const tot = totals.map((ms) => ms * 1000);
  console.log(`${'whole pipeline'.padEnd(34)} ${pct(tot, 50).toFixed(0).padStart(8)} ${pct(tot, 95).toFixed(0).padStart(8)} ${pct(tot, 99).toFixed(0).padStart(8)}`);
  console.log(`${'baseline: request validation'.padEnd(34)} ${pct(base, 50).toFixed(1).padStart(8)} ${pct(base, 95).toFixed(1).padStart(8)} ${pct(base, 99).toFixed(1).padStart(8)}`);
  console.log(`whole pipeline p50 / validation p50 = ${(pct(tot, 50) / pct(base, 50)).toFixed(0)}`);
} finally {
  await platform.close();
  rmSync(stateDir, { recursive: true, force: true });
}
