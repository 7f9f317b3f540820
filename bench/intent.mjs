// Intent agent (offline strategy): dev-set accuracy (intent and language id, per language), the worst labels,
// confidence calibration, and classify() latency/throughput next to a keyword-regex baseline measured in the same
// run. Build first: npx tsc -p tsconfig.build.json && node dist/agents/intent/train.js
// Prints figures; asserts nothing.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dist = (p) => path.join(root, 'dist/agents/intent', p);

const t0 = process.hrtime.bigint();
const { createIntentAgent } = await import(dist('agent.js'));
const tImport = Number(process.hrtime.bigint() - t0) / 1e6;
const { loadClassifier, DEFAULT_MODEL_FILE } = await import(dist('classifier.js'));
const { extractEntities, indexProducts } = await import(dist('entities.js'));
const { analyzeSentiment } = await import(dist('sentiment.js'));
const { normalize, tokenize } = await import(dist('text.js'));
const { existsSync, statSync } = await import('node:fs');

const rawProducts = JSON.parse(readFileSync(path.join(root, 'data/demo-shop/shopify/products.json'), 'utf8')).products;
const products = rawProducts.map((p) => ({
  id: p.id,
  title: p.title,
  handle: p.handle,
  type: p.product_type,
  vendor: p.vendor,
  tags: String(p.tags ?? '').split(',').map((t) => t.trim()).filter(Boolean),
  description: '',
  status: p.status,
  variants: [],
}));

const hasModel = existsSync(DEFAULT_MODEL_FILE);
const t1 = process.hrtime.bigint();
const agent = createIntentAgent({ products });
const tLoad = Number(process.hrtime.bigint() - t1) / 1e6;
console.log(
  `model: ${hasModel ? `${DEFAULT_MODEL_FILE} (${(statSync(DEFAULT_MODEL_FILE).size / 1e6).toFixed(1)} MB)` : 'MISSING -> trained in-process'}; ` +
    `import ${tImport.toFixed(0)} ms, createIntentAgent (load) ${tLoad.toFixed(0)} ms`,
);

const dev = JSON.parse(readFileSync(path.join(root, 'src/agents/intent/corpus/dev.json'), 'utf8'));
const LANGS = ['en', 'fr', 'es'];
const items = [];
for (const label of Object.keys(dev)) for (const lang of LANGS) for (const text of dev[label][lang]) items.push({ text, label, lang });

// ---- accuracy ---------------------------------------------------------------------------------------------------
const per = Object.fromEntries(LANGS.map((l) => [l, { n: 0, intent: 0, intentHinted: 0, lang: 0 }]));
const confusion = new Map(); // label -> Map(predicted -> n)
const calib = []; // [confidence, correct]
for (const it of items) {
  const r = agent.classify(it.text);
  const h = agent.classify(it.text, { language: it.lang });
  const p = per[it.lang];
  p.n++;
  if (r.intent === it.label) p.intent++;
  if (h.intent === it.label) p.intentHinted++;
  if (r.language === it.lang) p.lang++;
  calib.push([r.confidence, r.intent === it.label]);
  if (!confusion.has(it.label)) confusion.set(it.label, new Map());
  const m = confusion.get(it.label);
  m.set(r.intent, (m.get(r.intent) ?? 0) + 1);
}
const pct = (a, b) => `${((100 * a) / b).toFixed(1)}%`;
const tot = Object.values(per).reduce((a, p) => ({ n: a.n + p.n, intent: a.intent + p.intent, intentHinted: a.intentHinted + p.intentHinted, lang: a.lang + p.lang }), { n: 0, intent: 0, intentHinted: 0, lang: 0 });
console.log('\ndev set accuracy      n    intent (auto lang)  intent (lang hint)  language id');
for (const [l, p] of [...Object.entries(per), ['all', tot]])
  console.log(`  ${l.padEnd(6)}          ${String(p.n).padStart(4)}    ${pct(p.intent, p.n).padStart(8)}            ${pct(p.intentHinted, p.n).padStart(8)}         ${pct(p.lang, p.n).padStart(7)}`);

const labels = [...confusion.entries()].map(([label, m]) => {
  const n = [...m.values()].reduce((a, b) => a + b, 0);
  const ok = m.get(label) ?? 0;
  const wrong = [...m.entries()].filter(([k]) => k !== label).sort((a, b) => b[1] - a[1]);
  return { label, n, ok, wrong };
});
labels.sort((a, b) => a.ok / a.n - b.ok / b.n);
console.log('\nworst 5 labels (recall; most frequent confusions)');
for (const l of labels.slice(0, 5))
  console.log(`  ${l.label.padEnd(24)} ${pct(l.ok, l.n).padStart(6)}  -> ${l.wrong.slice(0, 3).map(([k, n]) => `${k} ${n}`).join(', ')}`);

const buckets = [0, 0.3, 0.5, 0.7, 0.9, 1.01];
console.log('\ncalibration (auto lang): confidence bucket  n  mean confidence  accuracy');
for (let i = 0; i + 1 < buckets.length; i++) {
  const b = calib.filter(([c]) => c >= buckets[i] && c < buckets[i + 1]);
  if (!b.length) continue;
  const mc = b.reduce((a, [c]) => a + c, 0) / b.length;
  const acc = b.filter(([, ok]) => ok).length / b.length;
  console.log(`  [${buckets[i].toFixed(1)}, ${Math.min(1, buckets[i + 1]).toFixed(1)})  ${String(b.length).padStart(4)}   ${mc.toFixed(3)}   ${acc.toFixed(3)}`);
}

// ---- latency ------------------------------------------------------------------------------------------------------
// Baseline: what a keyword toy costs (one precompiled regex per label, first match wins).
const KEYWORDS = {
  order_status: /\b(where|track|status|arriv|deliver|livr|llega|pedido|commande)/i,
  return_request: /\b(return|retour|devol)/i,
  refund_status: /\b(refund|rembours|reembols)/i,
  escalation_request: /\b(human|agent|manager|humain|humano|gerente)/i,
  greeting: /^(hi|hello|hey|bonjour|salut|hola|buenas)\b/i,
};
const baseline = (text) => {
  for (const [k, re] of Object.entries(KEYWORDS)) if (re.test(text)) return k;
  return 'general_inquiry';
};

function measure(fn, texts, minMs = 2000) {
  for (let i = 0; i < 2000; i++) fn(texts[i % texts.length]); // warm-up
  const lat = [];
  let i = 0;
  const start = process.hrtime.bigint();
  let elapsed = 0;
  while (elapsed < minMs * 1e6 || i < texts.length * 3) {
    const t = process.hrtime.bigint();
    fn(texts[i % texts.length]);
    const e = process.hrtime.bigint();
    lat.push(Number(e - t) / 1e3);
    i++;
    elapsed = Number(e - start);
  }
  // Throughput without the timer calls in between.
  const n = Math.max(texts.length * 5, 20000);
  const s2 = process.hrtime.bigint();
  for (let j = 0; j < n; j++) fn(texts[j % texts.length]);
  const thr = n / (Number(process.hrtime.bigint() - s2) / 1e9);
  lat.sort((a, b) => a - b);
  const q = (p) => lat[Math.min(lat.length - 1, Math.floor(p * lat.length))];
  return { n: lat.length, p50: q(0.5), p95: q(0.95), p99: q(0.99), thr };
}

const texts = items.map((i) => i.text);
const classifier = loadClassifier();
const pIndex = indexProducts(products);
const rows = [
  ['baseline: keyword regexes', measure(baseline, texts, 1000)],
  ['baseline: normalize+tokenize', measure((t) => tokenize(normalize(t)), texts, 1000)],
  ['language id only', measure((t) => classifier.languageId.detect(t, 'en'), texts, 1000)],
  ['intent model only (lang given)', measure((t) => classifier.classify(t, 'en'), texts, 1000)],
  ['entities only', measure((t) => extractEntities(t, 'en', { products: pIndex }), texts, 1000)],
  ['sentiment only', measure((t) => analyzeSentiment(t, 'en'), texts, 1000)],
  ['classify() full, auto language', measure((t) => agent.classify(t), texts)],
  ['classify() full, language hint', measure((t) => agent.classify(t, { language: 'en' }), texts)],
];
const full = rows[6][1];
console.log(`\nlatency over the dev set repeated (${texts.length} messages), one core`);
console.log('  what                               calls     P50 µs   P95 µs   P99 µs      msg/s   vs full');
for (const [name, r] of rows)
  console.log(
    `  ${name.padEnd(34)} ${String(r.n).padStart(7)} ${r.p50.toFixed(1).padStart(9)} ${r.p95.toFixed(1).padStart(8)} ${r.p99.toFixed(1).padStart(8)} ${Math.round(r.thr).toString().padStart(10)}   ${(full.thr / r.thr).toFixed(3)}x`,
  );
const base = rows[0][1];
console.log(`\nfull classify() costs ${(base.thr / full.thr).toFixed(0)}x the keyword baseline per message (throughput ratio ${(full.thr / base.thr).toFixed(4)}).`);
