// Critic/supervisor guardrails and PII detection: quality (recall per label, false positives) on the labelled sets,
// and latency P50/P95/P99 + throughput per check, next to a naive baseline measured in the same run (one
// lowercase + includes scan over a keyword list), with the ratio. Figures only, no asserts.
// Needs the compiled runtime: npx tsc -p tsconfig.build.json
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const { checkInput } = await import(path.join(root, 'dist/agents/critic/input-guardrail.js'));
const { checkOutput } = await import(path.join(root, 'dist/agents/critic/output-guardrail.js'));
const { detectPii } = await import(path.join(root, 'dist/agents/pii/detect.js'));

const json = (p) => JSON.parse(readFileSync(path.join(root, p), 'utf8'));
const dev = json('src/agents/critic/corpus/guardrail-set.json');
const heldInput = json('test/agents/critic/heldout-input.json');
const heldOutput = json('test/agents/critic/heldout-output.json');
const intent = [];
for (const f of ['train.json', 'dev.json']) {
  for (const byLang of Object.values(json(`src/agents/intent/corpus/${f}`))) for (const texts of Object.values(byLang)) intent.push(...texts);
}
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 20);

// ---- the baseline: what a keyword filter does ------------------------------------------------------------
const KEYWORDS = [
  'ignore all previous', 'ignore previous instructions', 'disregard', 'system prompt', 'jailbreak', 'dan', 'developer mode',
  'pretend you are', 'act as', 'no restrictions', 'your instructions', 'repeat your', 'all customers', 'customer 42',
  'bomb', 'kill myself', 'suicide', 'stolen card', 'fake receipt', 'base64', 'rot13', 'decode',
  'ignore toutes', 'oublie tes', 'prompt système', 'mode développeur', 'tous les clients', 'bombe',
  'ignora todas', 'olvida tus', 'prompt de sistema', 'modo desarrollador', 'todos los clientes', 'bomba',
];
function baseline(text) {
  const t = text.toLowerCase();
  for (const k of KEYWORDS) if (t.includes(k)) return true;
  return false;
}

// ---- quality ---------------------------------------------------------------------------------------------
function quality(items, categoriesOf) {
  const byLabel = {};
  let safe = 0, fp = 0, threats = 0, caught = 0, tripped = 0;
  items.forEach((item, i) => {
    const cats = categoriesOf(item, i);
    if (item.label === 'safe') {
      safe++;
      if (cats.length) fp++;
      return;
    }
    const s = (byLabel[item.label] ??= { n: 0, caught: 0, tripped: 0 });
    s.n++; threats++;
    if (cats.length) { s.tripped++; tripped++; }
    if (cats.includes(item.label)) { s.caught++; caught++; }
  });
  return { byLabel, recall: caught / threats, trippedRate: tripped / threats, fpRate: fp / safe, threats, safe, fp };
}
const pct = (x) => `${(100 * x).toFixed(1)} %`.padStart(8);

function printQuality(title, q, base) {
  console.log(`\n${title}`);
  console.log(`  ${'label'.padEnd(26)}${'n'.padStart(4)}  ${'recall'.padStart(8)}  ${'tripped'.padStart(8)}${base ? `  ${'baseline'.padStart(8)}` : ''}`);
  for (const [label, s] of Object.entries(q.byLabel)) {
    const b = base?.byLabel[label];
    console.log(`  ${label.padEnd(26)}${String(s.n).padStart(4)}  ${pct(s.caught / s.n)}  ${pct(s.tripped / s.n)}${b ? `  ${pct(b.tripped / b.n)}` : ''}`);
  }
  console.log(`  ${'overall recall'.padEnd(26)}${String(q.threats).padStart(4)}  ${pct(q.recall)}  ${pct(q.trippedRate)}${base ? `  ${pct(base.trippedRate)}` : ''}`);
  console.log(`  ${'false positives (safe)'.padEnd(26)}${String(q.safe).padStart(4)}  ${pct(q.fpRate)}  ${`${q.fp}`.padStart(8)}${base ? `  ${pct(base.fpRate)}` : ''}`);
}

const inputCats = (x) => checkInput(x.text, {}).info.categories;
const baseCats = (x) => (baseline(x.text) ? ['keyword'] : []);
const outputCats = (x) => checkOutput(x.text, { facts: x.context, customerEmail: x.customerEmail }).info.categories;
console.log('Guardrail quality (recall = caught in the right category; tripped = blocked at all; baseline = keyword scan, tripped)');
printQuality('input, dev set (src/agents/critic/corpus — used while writing the rules)', quality(dev.input, inputCats), quality(dev.input, baseCats));
printQuality('input, held-out set (test/agents/critic/heldout-input.json)', quality(heldInput, inputCats), quality(heldInput, baseCats));
printQuality('output, dev set', quality(dev.output, outputCats));
printQuality('output, held-out set', quality(heldOutput, outputCats));
const intentBlocked = intent.filter((t) => checkInput(t, {}).tripwireTriggered).length;
const intentBase = intent.filter((t) => baseline(t)).length;
console.log(`\ninput, ordinary customer messages (intent corpus, ${intent.length}): blocked ${intentBlocked} (${pct(intentBlocked / intent.length).trim()}); baseline blocks ${intentBase} (${pct(intentBase / intent.length).trim()})`);

// ---- latency ---------------------------------------------------------------------------------------------
const inputTexts = [...dev.input, ...heldInput].map((x) => x.text);
const outputItems = [...dev.output, ...heldOutput];
const piiTexts = [...inputTexts, ...outputItems.map((x) => x.text), ...outputItems.map((x) => x.context)];

const cases = {
  'baseline (keywords)': { items: inputTexts, fn: (t) => baseline(t) },
  'checkInput': { items: inputTexts, fn: (t) => checkInput(t, {}) },
  'checkOutput': { items: outputItems, fn: (x) => checkOutput(x.text, { facts: x.context }) },
  'detectPii': { items: piiTexts, fn: (t) => detectPii(t) },
};
const samples = Object.fromEntries(Object.keys(cases).map((k) => [k, []]));
const totals = Object.fromEntries(Object.keys(cases).map((k) => [k, 0]));
for (const c of Object.values(cases)) for (const x of c.items) c.fn(x); // warm up (JIT, lazy metadata)
for (let r = 0; r < ROUNDS; r++) {
  // Interleaved so that machine noise hits every case alike.
  for (const [name, c] of Object.entries(cases)) {
    for (const x of c.items) {
      const t0 = process.hrtime.bigint();
      c.fn(x);
      const dt = Number(process.hrtime.bigint() - t0) / 1000;
      samples[name].push(dt);
      totals[name] += dt;
    }
  }
}
const q = (xs, p) => xs[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))];
const base50 = q([...samples['baseline (keywords)']].sort((a, b) => a - b), 50);
console.log(`\nLatency per call (µs), ${ROUNDS} interleaved rounds over the sets above`);
console.log(`  ${'check'.padEnd(22)}${'calls'.padStart(7)}${'p50'.padStart(9)}${'p95'.padStart(9)}${'p99'.padStart(9)}${'calls/s'.padStart(11)}${'p50 / baseline'.padStart(16)}`);
for (const [name, xs] of Object.entries(samples)) {
  const s = [...xs].sort((a, b) => a - b);
  const perSec = (xs.length / totals[name]) * 1e6;
  console.log(
    `  ${name.padEnd(22)}${String(xs.length).padStart(7)}${q(s, 50).toFixed(1).padStart(9)}${q(s, 95).toFixed(1).padStart(9)}${q(s, 99).toFixed(1).padStart(9)}${Math.round(perSec).toLocaleString('en-US').padStart(11)}${`${(q(s, 50) / base50).toFixed(1)}x`.padStart(16)}`,
  );
}
const avgLen = (xs) => Math.round(xs.reduce((a, t) => a + t.length, 0) / xs.length);
console.log(`  (mean text length: input ${avgLen(inputTexts)} chars, reply ${avgLen(outputItems.map((x) => x.text))}, detectPii ${avgLen(piiTexts)})`);
