// Start-up cost of the CLI: median wall time of `mac --help` against `node -e 0`, measured in the same run,
// interleaved so that machine noise hits both alike. Goal: ratio ≤ 1.6.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const runs = Number(process.env.BENCH_RUNS ?? 30);
const cases = {
  'node -e 0': [process.execPath, ['-e', '0']],
  'mac --help': [process.execPath, [path.join(root, 'bin/mac.js'), '--help']],
  'mac --version': [process.execPath, [path.join(root, 'bin/mac.js'), '--version']],
};

function time([file, args]) {
  const start = process.hrtime.bigint();
  const r = spawnSync(file, args, { stdio: 'ignore' });
  if (r.status !== 0) throw new Error(`${file} ${args.join(' ')} exited ${r.status}`);
  return Number(process.hrtime.bigint() - start) / 1e6;
}

const samples = Object.fromEntries(Object.keys(cases).map((k) => [k, []]));
for (const c of Object.values(cases)) time(c); // warm the file cache
for (let i = 0; i < runs; i++) for (const [name, c] of Object.entries(cases)) samples[name].push(time(c));

const pct = (xs, p) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
};
const base = pct(samples['node -e 0'], 50);
console.log(`start-up, ${runs} interleaved runs each (ms)`);
console.log('case'.padEnd(16), 'p50'.padStart(8), 'p95'.padStart(8), 'ratio p50'.padStart(10));
for (const [name, xs] of Object.entries(samples)) {
  const p50 = pct(xs, 50);
  console.log(name.padEnd(16), p50.toFixed(1).padStart(8), pct(xs, 95).toFixed(1).padStart(8), (p50 / base).toFixed(2).padStart(10));
}
console.log(`mac --help / node -e 0 = ${(pct(samples['mac --help'], 50) / base).toFixed(2)} (goal ≤ 1.6)`);
