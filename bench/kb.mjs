// Knowledge base: ingest time, search latency (P50/P95/P99) and throughput for BM25-only, vector-only and hybrid
// (BM25-only is the baseline of the ratios), and the top-3 hit rate of each on the retrieval query table.
// Needs the compiled runtime: npx tsc -p tsconfig.build.json. Prints figures; asserts nothing.
//   BENCH_ROUNDS=40 node bench/kb.mjs
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const { openKnowledgeBase } = await import(path.join(root, 'dist/agents/knowledge/store.js'));
const { HashedNgramEmbedder } = await import(path.join(root, 'dist/agents/knowledge/embed.js'));

const KB = path.join(root, 'data/demo-shop/kb');
const { queries } = JSON.parse(readFileSync(path.join(root, 'test/agents/knowledge/retrieval-queries.json'), 'utf8'));
const rounds = Number(process.env.BENCH_ROUNDS ?? 40);
const MODES = ['bm25', 'vector', 'hybrid'];

const ms = (ns) => Number(ns) / 1e6;
const pct = (xs, p) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
};
const median = (xs) => pct(xs, 50);

console.log(`node ${process.version} · ${os.cpus()[0]?.model ?? 'cpu'} ×${os.cpus().length} · load average ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`);

// ---- ingest ---------------------------------------------------------------------------------------------------------
const embedder = new HashedNgramEmbedder();
const tmp = await mkdtemp(path.join(os.tmpdir(), 'mac-bench-kb-'));
const cold = [];
const warm = [];
let summary;
for (let i = 0; i < 5; i++) {
  const db = new Database(path.join(tmp, `kb-${i}.db`));
  db.pragma('journal_mode = WAL');
  const kb = openKnowledgeBase(db);
  let t = process.hrtime.bigint();
  summary = await kb.ingest(KB, embedder);
  cold.push(ms(process.hrtime.bigint() - t));
  t = process.hrtime.bigint();
  const again = await kb.ingest(KB, embedder);
  warm.push(ms(process.hrtime.bigint() - t));
  if (again.unchanged !== summary.documents) console.log('warning: re-ingest was not a no-op', again);
  db.close();
}
await rm(tmp, { recursive: true, force: true });
console.log(`\ningest ${summary.documents} documents → ${summary.chunks} chunks (${embedder.id}, ${embedder.dims} dims), file-backed SQLite, 5 runs`);
console.log(`  first ingest   median ${median(cold).toFixed(1)} ms  (min ${Math.min(...cold).toFixed(1)})`);
console.log(`  re-ingest      median ${median(warm).toFixed(1)} ms  (unchanged: hash check only)`);

// ---- search -----------------------------------------------------------------------------------------------------------
const db = new Database(':memory:');
const kb = openKnowledgeBase(db);
await kb.ingest(KB, embedder);

const hitRate = async (mode, expand = true) => {
  let dev = 0;
  let held = 0;
  let nDev = 0;
  let nHeld = 0;
  for (const q of queries) {
    const hits = await kb.search(q.query, { k: 3, language: q.language, mode, expand });
    const ok = hits.some((h) => h.source === q.expected);
    if (q.set === 'heldout') (nHeld++, (held += ok));
    else (nDev++, (dev += ok));
  }
  return { all: (dev + held) / (nDev + nHeld), hits: dev + held, n: nDev + nHeld, dev: `${dev}/${nDev}`, held: `${held}/${nHeld}` };
};

for (let i = 0; i < 5; i++) for (const mode of MODES) for (const q of queries) await kb.search(q.query, { k: 5, language: q.language, mode });

// Interleave the modes query by query, so that machine noise hits all three alike.
const samples = Object.fromEntries(MODES.map((m) => [m, []]));
for (let r = 0; r < rounds; r++) {
  for (const q of queries) {
    for (const mode of MODES) {
      const t = process.hrtime.bigint();
      await kb.search(q.query, { k: 5, language: q.language, mode });
      samples[mode].push(Number(process.hrtime.bigint() - t) / 1e3);
    }
  }
}
// Throughput: back-to-back queries of one mode.
const throughput = {};
for (const mode of MODES) {
  const t = process.hrtime.bigint();
  let n = 0;
  for (let r = 0; r < Math.max(5, rounds / 4); r++) for (const q of queries) (await kb.search(q.query, { k: 5, language: q.language, mode }), n++);
  throughput[mode] = n / (ms(process.hrtime.bigint() - t) / 1000);
}

const rates = {};
for (const mode of MODES) rates[mode] = await hitRate(mode);
const plain = {};
for (const mode of MODES) plain[mode] = await hitRate(mode, false);

const base = pct(samples.bm25, 50);
console.log(`\nsearch, k = 5, ${queries.length} queries × ${rounds} rounds per mode (µs; ratio = P50 / BM25-only P50)`);
console.log(
  'mode'.padEnd(8),
  'p50'.padStart(8),
  'p95'.padStart(8),
  'p99'.padStart(8),
  'ratio'.padStart(7),
  'q/s'.padStart(8),
  '  top-3 hit rate (dev, held-out)'.padEnd(36),
  '  without thesaurus+spelling',
);
for (const mode of MODES) {
  const xs = samples[mode];
  const r = rates[mode];
  const p = plain[mode];
  console.log(
    mode.padEnd(8),
    pct(xs, 50).toFixed(0).padStart(8),
    pct(xs, 95).toFixed(0).padStart(8),
    pct(xs, 99).toFixed(0).padStart(8),
    (pct(xs, 50) / base).toFixed(2).padStart(7),
    throughput[mode].toFixed(0).padStart(8),
    `  ${(r.all * 100).toFixed(1)} % ${r.hits}/${r.n} (${r.dev}, ${r.held})`.padEnd(36),
    `  ${(p.all * 100).toFixed(1)} % ${p.hits}/${p.n}`,
  );
}

// Where the time of one hybrid query goes (same queries, each phase alone).
const phase = (fn) => {
  const xs = [];
  for (let r = 0; r < Math.max(5, rounds / 4); r++) for (const q of queries) {
    const t = process.hrtime.bigint();
    fn(q);
    xs.push(Number(process.hrtime.bigint() - t) / 1e3);
  }
  return pct(xs, 50).toFixed(0);
};
const plans = new Map(queries.map((q) => [q.query, kb.explain(q.query, { language: q.language })]));
console.log(
  `\nhybrid P50 by phase (µs): plan (words, spelling, thesaurus) ${phase((q) => kb.explain(q.query, { language: q.language }))}` +
    ` · embed ${phase((q) => embedder.embedOne(plans.get(q.query).embedText))}` +
    ` · BM25+fusion ${phase((q) => kb.searchWithVector(q.query, undefined, { k: 5, language: q.language, mode: 'bm25' }))}` +
    ` · KNN+fusion ${phase((q) => kb.searchWithVector(q.query, embedder.embedOne(plans.get(q.query).embedText), { k: 5, language: q.language, mode: 'vector' }))}`,
);
db.close();
