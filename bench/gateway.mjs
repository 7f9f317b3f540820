// Gateway throughput and latency at 100 concurrent connections, next to a trivial Node HTTP server measured in
// the same run on the same machine (the load generator shares the 2 cores). Prints figures; asserts nothing.
// Goal: ≥ 5,000 req/s (≥ 0.2 of the trivial server) and P95 ≤ 40 ms.
//
// Deployment shape: the platform and the Shopify/Zendesk/GA4 stand-ins run as two processes
// (dist/agents/main.js --role platform|integrations), as the local target runs them — every order, customer and
// ticket lookup is a real HTTP round trip to another process, and the stand-ins' CPU is not the gateway's.
//
// Workload: the shipped scenarios played as conversations — multi-turn ones send their follow-up with the
// session id the first reply returned (so the rate limiter and session store are on the path), identified
// customers send their email. Each conversation opens and closes in its customer's own words: a greeting or
// none, a thank-you or none, in the scenario's language — so messages vary as real ones do, and no stage is
// measured answering the same ~100 strings over and over from a cache.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const seconds = Number(process.env.BENCH_SECONDS ?? 10);
const connections = Number(process.env.BENCH_CONNECTIONS ?? 100);

/** Starts a child; resolves with its URLs once `ready` matches its stdout. `stop()` resolves once it has exited. */
function startChild(args, { env = {}, stdin, ready }) {
  const child = spawn(process.execPath, args, { cwd: root, env: { ...process.env, ...env }, stdio: ['pipe', 'pipe', 'inherit'] });
  child.stdin.end(stdin ?? '');
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
      if (ready.test(out)) {
        const urls = Object.fromEntries([...out.matchAll(/(\w+)(?: stand-in)? on (http:\/\/127\.0\.0\.1:\d+)/g)].map((m) => [m[1], m[2]]));
        resolve({ urls, url: /(http:\/\/127\.0\.0\.1:\d+)/.exec(out)?.[1], pid: child.pid, stop: () => stopChild(child) });
      }
    });
    child.on('exit', (code) => reject(new Error(`${args.join(' ')} exited ${code}: ${out.slice(-2000)}`)));
  });
}

/** SIGINT, then SIGKILL if the child has not exited 15 s later. */
function stopChild(child) {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  const exited = new Promise((r) => child.once('exit', r));
  const kill = setTimeout(() => child.kill('SIGKILL'), 15_000);
  child.kill('SIGINT');
  return exited.finally(() => clearTimeout(kill));
}

/** CPU seconds (user + system) a process has used so far (Linux /proc; undefined elsewhere). */
function cpuSeconds(pid) {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100; // utime, stime in clock ticks (USER_HZ = 100)
  } catch {
    return undefined;
  }
}

// BENCH_LATENCY_LOG=FILE: every gateway response's end time (epoch ms), latency (ms), connection number and the
// response's number on its connection, one a line (tail analysis).
let latencyLog;

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
    const clients = new Map();
    instance.on('response', (client, _status, _bytes, ms) => {
      times.push(ms);
      if (!latencyLog) return;
      const c = clients.get(client) ?? { id: clients.size, n: 0 };
      clients.set(client, c);
      c.n += 1;
      latencyLog.push(`${Date.now()} ${ms.toFixed(1)} ${c.id} ${c.n}`);
    });
  });
}

const trivialServer = `
  const http = require('node:http');
  const s = http.createServer((req, res) => { let b = ''; req.on('data', (c) => (b += c)); req.on('end', () => {
    const body = JSON.stringify({ response: 'ok', echo: b.length }); res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) }); res.end(body); }); });
  s.listen(0, '127.0.0.1', () => console.log('http://127.0.0.1:' + s.address().port));`;

// ---- the workload ------------------------------------------------------------------------------------------
const scenarios = JSON.parse(readFileSync(path.join(root, 'scenarios/demo-shop.json'), 'utf8')).scenarios;
const OPENINGS = {
  en: ['', 'Hi, ', 'Hello, ', 'Hi there! ', 'Good morning, ', 'Hey, '],
  fr: ['', 'Bonjour, ', 'Bonsoir, ', 'Salut, ', 'Bonjour ! '],
  es: ['', 'Hola, ', 'Buenas, ', 'Buenos días, ', '¡Hola! '],
};
const CLOSINGS = {
  en: ['', ' Thanks.', ' Thank you!', ' Thanks a lot.', ' Cheers.'],
  fr: ['', ' Merci.', ' Merci beaucoup !', ' Merci d’avance.'],
  es: ['', ' Gracias.', ' ¡Muchas gracias!', ' Gracias de antemano.'],
};
const languageOf = (id) => ({ en: 'en', fr: 'fr', qc: 'fr', es: 'es' })[id.split('-').pop()] ?? 'en';
// A plan of two requests: a two-turn conversation, or two one-turn conversations.
const single = scenarios.filter((s) => s.turns.length === 1);
const multi = scenarios.filter((s) => s.turns.length === 2);
const pairs = multi.map((s) => [s]);
for (let i = 0; i < single.length; i += 2) pairs.push([single[i], single[(i + 1) % single.length]]);
let conversation = 0;
let pairIndex = 0;
function say(s, turn, variant) {
  const lang = languageOf(s.id);
  const open = OPENINGS[lang][variant % OPENINGS[lang].length];
  const close = CLOSINGS[lang][Math.floor(variant / 7) % CLOSINGS[lang].length];
  let m = s.turns[turn].message;
  if (open && turn === 0) m = open + m.charAt(0).toLowerCase() + m.slice(1);
  if (close) m = m + close;
  return m;
}
const body = (s, turn, variant, sessionId) => JSON.stringify({ message: say(s, turn, variant), customer_email: s.customer_email, ...(sessionId ? { session_id: sessionId } : {}) });
const sessionOf = (raw) => {
  try {
    return JSON.parse(raw).session_id;
  } catch {
    return undefined;
  }
};
const headers = { 'content-type': 'application/json' };
const chatRequests = [
  {
    method: 'POST', path: '/v1/chat', headers,
    setupRequest: (req, ctx) => {
      ctx.pair = pairs[pairIndex++ % pairs.length];
      ctx.variant = conversation++;
      return { ...req, body: body(ctx.pair[0], 0, ctx.variant) };
    },
    onResponse: (_status, raw, ctx) => {
      if (ctx.pair.length === 1) ctx.sessionId = sessionOf(raw);
    },
  },
  {
    method: 'POST', path: '/v1/chat', headers,
    setupRequest: (req, ctx) =>
      ctx.pair.length === 1
        ? { ...req, body: body(ctx.pair[0], 1, ctx.variant, ctx.sessionId) }
        : { ...req, body: body(ctx.pair[1], 0, conversation++) },
  },
];
// The trivial server gets the same bodies.
const trivialRequests = chatRequests.map((r) => ({ ...r, onResponse: undefined, setupRequest: (req, ctx) => (ctx.pair ? r.setupRequest(req, ctx) : chatRequests[0].setupRequest(req, ctx)) }));

// ---- the processes ------------------------------------------------------------------------------------------
// BENCH_RUNTIME=DIR: run the platform built in another checkout (A/B comparisons in one session).
const runtime = path.resolve(process.env.BENCH_RUNTIME ?? root);
const main = path.join(runtime, 'dist/agents/main.js');
const dataDir = path.join(root, 'data/demo-shop');
const state = mkdtempSync(path.join(os.tmpdir(), 'mac-bench-'));
// The node flags the local target starts its runtime processes with (none in a build from before they existed).
const { RUNTIME_NODE_FLAGS: nodeFlags = [] } = await import(path.join(runtime, 'dist/agents/launch.js'));
const trivial = await startChild(['-e', trivialServer], { ready: /http:/ });
const integrations = await startChild([...nodeFlags, main, '--role', 'integrations', '--state-dir', state], {
  stdin: JSON.stringify({ role: 'integrations', dataDir, releaseId: 'bench' }),
  ready: /ready \(release/,
});
const { DEFAULT_MOCK_CREDENTIALS: creds } = await import(path.join(runtime, 'dist/agents/integrations/mocks/index.js'));
const u = integrations.urls;
// BENCH_CPU_PROF=DIR: the platform process writes a V8 CPU profile there when it stops (node --cpu-prof).
const profile = process.env.BENCH_CPU_PROF ? ['--cpu-prof', '--cpu-prof-dir', process.env.BENCH_CPU_PROF] : [];
const gateway = await startChild([...nodeFlags, ...profile, main, '--role', 'platform', '--state-dir', state], {
  stdin: JSON.stringify({
    role: 'platform',
    dataDir,
    port: 0,
    integrations: {
      mode: 'live',
      shopify: { baseUrl: u.shopify, accessToken: creds.shopify.accessToken },
      zendesk: { baseUrl: u.zendesk, email: creds.zendesk.email, apiToken: creds.zendesk.apiToken },
      ga4: { ...creds.ga4, baseUrl: u.ga4 },
    },
    piiVaultKey: Buffer.alloc(32, 7).toString('hex'),
    backups: { intervalSeconds: 3600, keep: 1, companions: [] },
    releaseId: 'bench',
  }),
  ready: /ready \(release/,
});
gateway.url = gateway.urls.gateway;
try {
  await run(`${gateway.url}/v1/chat`, chatRequests); // warm-up: JIT, caches, first KB queries
  const trivialCpu0 = [cpuSeconds(trivial.pid), process.cpuUsage()];
  const base = await run(`${trivial.url}/`, trivialRequests);
  const trivialCpu1 = [cpuSeconds(trivial.pid), process.cpuUsage(trivialCpu0[1])];
  const cpu0 = [cpuSeconds(gateway.pid), cpuSeconds(integrations.pid), process.cpuUsage()];
  if (process.env.BENCH_LATENCY_LOG) latencyLog = [];
  const gw = await run(`${gateway.url}/v1/chat`, chatRequests);
  if (latencyLog) writeFileSync(process.env.BENCH_LATENCY_LOG, `${latencyLog.join('\n')}\n`);
  latencyLog = undefined;
  const cpu1 = [cpuSeconds(gateway.pid), cpuSeconds(integrations.pid), process.cpuUsage(cpu0[2])];
  const ms = (v) => v.toFixed(1).padStart(8);
  const fmt = (name, r) =>
    `${name.padEnd(16)} ${String(Math.round(r.requests.average)).padStart(8)} ${ms(r.pct.p50)} ${ms(r.pct.p95)} ${ms(r.pct.p99)} ${String(r.non2xx).padStart(7)} ${String(r.errors).padStart(7)}`;
  console.log(`gateway load: ${connections} connections, ${seconds}s each; ${scenarios.length} scenarios played as conversations (multi-turn ones with their session id), greetings/thanks varied per conversation`);
  console.log(`deployment shape: platform and Shopify/Zendesk/GA4 stand-ins in separate processes (node ${[...nodeFlags, 'dist/agents/main.js'].join(' ')} --role platform|integrations)`);
  console.log(`${'server'.padEnd(16)} ${'req/s'.padStart(8)} ${'p50 ms'.padStart(8)} ${'p95 ms'.padStart(8)} ${'p99 ms'.padStart(8)} ${'non2xx'.padStart(7)} ${'errors'.padStart(7)}`);
  console.log(fmt('trivial node', base));
  console.log(fmt('gateway', gw));
  // The machine is shared: CPU per request is the figure that other processes' load does not move much.
  const msPer = (seconds, total) => (Number.isNaN(seconds) ? 'n/a' : `${((1000 * seconds) / total).toFixed(3)} ms`);
  const generator = (usage, total) => msPer((usage.user + usage.system) / 1e6, total);
  const perRequest = (i) => msPer(cpu1[i] - cpu0[i], gw.requests.total);
  console.log(`CPU per request: platform ${perRequest(0)}, integration stand-ins ${perRequest(1)}, load generator ${generator(cpu1[2], gw.requests.total)} (${gw.requests.total} requests)`);
  console.log(`CPU per request, trivial run: server ${msPer(trivialCpu1[0] - trivialCpu0[0], base.requests.total)}, load generator ${generator(trivialCpu1[1], base.requests.total)} (${base.requests.total} requests)`);
  console.log(`gateway / trivial throughput = ${(gw.requests.average / base.requests.average).toFixed(3)} (goal ≥ 0.2 and ≥ 5,000 req/s)`);
} finally {
  const stopped = [trivial.stop(), gateway.stop()];
  // The stand-ins stop once the platform has (turns still running at the end would otherwise retry against a
  // closed port after the figures are taken).
  await Promise.all(stopped);
  await integrations.stop();
  rmSync(state, { recursive: true, force: true }); // the run's databases and traces (tens of MB)
}
