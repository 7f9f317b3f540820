// Gateway throughput and latency at 100 concurrent connections, next to a trivial Node HTTP server measured in
// the same run on the same machine (the load generator shares the 2 cores). Prints figures; asserts nothing.
// Goal: ≥ 5,000 req/s (≥ 0.2 of the trivial server) and P95 ≤ 40 ms. Mock integrations run inside the gateway
// process (as in `mac dev`), so their work is counted too.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const seconds = Number(process.env.BENCH_SECONDS ?? 10);
const connections = Number(process.env.BENCH_CONNECTIONS ?? 100);

function startChild(args, env = {}) {
  const child = spawn(process.execPath, args, { cwd: root, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
      const m = /(http:\/\/127\.0\.0\.1:\d+)/.exec(out);
      if (m) resolve({ url: m[1], stop: () => child.kill('SIGINT') });
    });
    child.on('exit', (code) => reject(new Error(`${args.join(' ')} exited ${code}`)));
  });
}

// autocannon's summary has no P95, so every response time is recorded and the percentiles computed here.
function run(url, requests) {
  const times = [];
  return new Promise((resolve, reject) => {
    const instance = autocannon({ url, connections, duration: seconds, requests }, (err, r) => {
      if (err) return reject(err);
      times.sort((a, b) => a - b);
      const pct = (p) => times[Math.min(times.length - 1, Math.floor((p / 100) * times.length))] ?? 0;
      resolve({ ...r, pct: { p50: pct(50), p95: pct(95), p99: pct(99) } });
    });
    instance.on('response', (_client, _status, _bytes, ms) => times.push(ms));
  });
}

const trivialServer = `
  const http = require('node:http');
  const s = http.createServer((req, res) => { let b = ''; req.on('data', (c) => (b += c)); req.on('end', () => {
    const body = JSON.stringify({ response: 'ok', echo: b.length }); res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) }); res.end(body); }); });
  s.listen(0, '127.0.0.1', () => console.log('http://127.0.0.1:' + s.address().port));`;

// A varied, realistic mix: every message of the shipped scenarios (first turns), identified or not.
const scenarios = JSON.parse(readFileSync(path.join(root, 'scenarios/demo-shop.json'), 'utf8')).scenarios;
const bodies = scenarios.map((s) => JSON.stringify({ message: s.turns[0].message, customer_email: s.customer_email }));
let i = 0;
const requests = [{ method: 'POST', path: '/v1/chat', headers: { 'content-type': 'application/json' }, setupRequest: (req) => ({ ...req, body: bodies[i++ % bodies.length] }) }];

const state = mkdtempSync(path.join(os.tmpdir(), 'mac-bench-'));
const trivial = await startChild(['-e', trivialServer]);
const gateway = await startChild([path.join(root, 'bin/mac.js'), '-C', state, 'dev', '--port', '0', '--json'], { MAC_VAULT_KEY: Buffer.alloc(32, 7).toString('base64') });
try {
  await run(`${gateway.url}/v1/chat`, requests); // warm-up: JIT, caches, first KB queries
  const base = await run(`${trivial.url}/`, requests);
  const gw = await run(`${gateway.url}/v1/chat`, requests);
  const ms = (v) => v.toFixed(1).padStart(8);
  const fmt = (name, r) =>
    `${name.padEnd(16)} ${String(Math.round(r.requests.average)).padStart(8)} ${ms(r.pct.p50)} ${ms(r.pct.p95)} ${ms(r.pct.p99)} ${String(r.non2xx).padStart(7)} ${String(r.errors).padStart(7)}`;
  console.log(`gateway load: ${connections} connections, ${seconds}s each, ${bodies.length} distinct messages`);
  console.log(`${'server'.padEnd(16)} ${'req/s'.padStart(8)} ${'p50 ms'.padStart(8)} ${'p95 ms'.padStart(8)} ${'p99 ms'.padStart(8)} ${'non2xx'.padStart(7)} ${'errors'.padStart(7)}`);
  console.log(fmt('trivial node', base));
  console.log(fmt('gateway', gw));
  console.log(`gateway / trivial throughput = ${(gw.requests.average / base.requests.average).toFixed(3)} (goal ≥ 0.2 and ≥ 5,000 req/s)`);
} finally {
  trivial.stop();
  gateway.stop();
}
