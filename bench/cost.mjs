// Azure cost report: time to turn 100,000 usage rows — a Cost Management query answer in its columnar shape, as JSON
// text — into the report (parse, rows to daily service costs, fold into the budget table, thresholds, notes), next to
// a baseline measured in the same run: JSON.parse of the same text and one plain loop summing its cost column.
// Goal: ≤ 1 s for the report. Needs the compiled toolkit (npm run build). Prints figures; asserts nothing.
//   BENCH_ROWS=100000 BENCH_ROUNDS=15 node bench/cost.mjs
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const { buildAzureReport, dailyCosts } = await import(path.join(root, 'dist/cost/azure-costs.js'));
const { environmentSchema } = await import(path.join(root, 'dist/config/schema.js'));

const ROWS = Number(process.env.BENCH_ROWS ?? 100_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 15);
const MONTH = '2026-11';
const SERVICES = [
  'Container Instances',
  'Azure Cosmos DB',
  'Cognitive Services',
  'Application Gateway',
  'Storage',
  'Key Vault',
  'Log Analytics',
  'Virtual Network',
  'Bandwidth',
  'Azure Monitor',
  'Container Registry',
  'Azure DNS',
];

// Cost Management's query answer: columns by name, rows as arrays (UsageDate as yyyymmdd), in a seeded sequence.
let seed = 42;
const random = () => ((seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648) / 2_147_483_648);
const rows = Array.from({ length: ROWS }, (_, i) => [
  Math.round(random() * 4_000) / 1_000,
  Number(`202611${String((i % 26) + 1).padStart(2, '0')}`),
  SERVICES[Math.floor(random() * SERVICES.length)],
  'USD',
]);
const text = JSON.stringify({
  columns: [
    { name: 'Cost', type: 'Number' },
    { name: 'UsageDate', type: 'Number' },
    { name: 'ServiceName', type: 'String' },
    { name: 'Currency', type: 'String' },
  ],
  rows,
});
const config = environmentSchema.parse({ target: 'azure', subscription: '00000000-0000-4000-8000-000000000001' });
const budget = { name: 'mac-prod', exists: true, amountUsd: 360, currentSpendUsd: 250, forecastSpendUsd: 340 };
const now = new Date('2026-11-27T12:00:00Z');

function report() {
  const { daily, currency } = dailyCosts(JSON.parse(text), MONTH);
  const costs = { scope: '/subscriptions/x', month: MONTH, fetchedAt: now.toISOString(), asOf: now.toISOString(), currency, daily, forecastUsd: 80, budget };
  return buildAzureReport({ environment: 'prod', config, costs, spans: [], now });
}

function baseline() {
  const parsed = JSON.parse(text);
  let sum = 0;
  for (const r of parsed.rows) sum += r[0];
  return sum;
}

const ms = (t0) => Number(process.hrtime.bigint() - t0) / 1e6;
const pct = (xs, p) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))];

console.log(`node ${process.version} · ${os.cpus()[0]?.model ?? 'cpu'} ×${os.cpus().length} · load average ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`);
console.log(`${ROWS.toLocaleString('en')} usage rows, ${(text.length / 1e6).toFixed(1)} MB of JSON, ${ROUNDS} rounds (baseline and report interleaved)`);
report(); // warm-up
baseline();
const times = { baseline: [], report: [] };
let last;
for (let i = 0; i < ROUNDS; i++) {
  let t = process.hrtime.bigint();
  baseline();
  times.baseline.push(ms(t));
  t = process.hrtime.bigint();
  last = report();
  times.report.push(ms(t));
}
for (const [name, xs] of Object.entries(times)) {
  console.log(`${name.padEnd(8)}  P50 ${pct(xs, 50).toFixed(1).padStart(7)} ms  P95 ${pct(xs, 95).toFixed(1).padStart(7)} ms  max ${Math.max(...xs).toFixed(1).padStart(7)} ms`);
}
console.log(`report / baseline (P50) = ${(pct(times.report, 50) / pct(times.baseline, 50)).toFixed(2)}; goal: report ≤ 1000 ms`);
console.log(`check: actual $${last.actualUsd} over ${last.services.length} budget lines, thresholds fired ${last.thresholds.filter((t) => t.fired).length}/${last.thresholds.length}`);
