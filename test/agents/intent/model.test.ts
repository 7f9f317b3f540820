// The trained intent model and the agent around it. Trains once in this file (a few seconds), saves the model to
// a temporary file and loads it back through createIntentAgent, as production does with the build-time file.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createIntentAgent, type OfflineIntentAgent } from '../../../src/agents/intent/agent.js';
import { IntentClassifier, saveModel, trainClassifier, trainingUtterances, type ModelFile } from '../../../src/agents/intent/classifier.js';
import { flatten, SUPPLEMENT } from '../../../src/agents/intent/corpus.js';
import { normalize, tokenize } from '../../../src/agents/intent/text.js';
import { INTENTS, LANGUAGES } from '../../../src/agents/runtime/contracts.js';
import { demoProducts, devSet } from './helpers.js';

let dir: string;
let modelFile: string;
let classifier: IntentClassifier;
let agent: OfflineIntentAgent;

beforeAll(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'intent-model-'));
  modelFile = path.join(dir, 'model.json');
  const trained = trainClassifier();
  classifier = trained.classifier;
  saveModel(classifier, trained.meta, modelFile);
  agent = createIntentAgent({ products: demoProducts(), modelFile });
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('training data', () => {
  it('never contains a dev line (after lowercasing, removing accents and punctuation)', () => {
    const key = (t: string) => tokenize(normalize(t)).join(' ');
    const dev = new Set(devSet().map((d) => key(d.text)));
    const leaks = trainingUtterances().filter((u) => dev.has(key(u.text)));
    expect(leaks.map((u) => u.text)).toEqual([]);
  });

  it('the supplement only uses known labels and languages', () => {
    expect(Object.keys(SUPPLEMENT).every((l) => (INTENTS as readonly string[]).includes(l))).toBe(true);
    expect(flatten(SUPPLEMENT, INTENTS, LANGUAGES).length).toBeGreaterThan(1000);
  });
});

describe('intent model', () => {
  it('classifies held-out dev examples in each language above a floor', () => {
    // Measured on dev (never trained on): en 88.9%, fr 86.4%, es 84.3%, all 86.5% with the language detected.
    // Floors sit ~5 points under, so retraining noise passes and a broken model (22 labels: chance is 4.5%) or a
    // regression of a few points in one language fails.
    const floors = { en: 0.84, fr: 0.81, es: 0.79 };
    const dev = devSet();
    let okAll = 0;
    for (const lang of LANGUAGES) {
      const items = dev.filter((d) => d.language === lang);
      const ok = items.filter((d) => agent.classify(d.text).intent === d.intent).length;
      okAll += ok;
      expect(ok / items.length, lang).toBeGreaterThanOrEqual(floors[lang]);
    }
    expect(okAll / dev.length).toBeGreaterThanOrEqual(0.82);
  });

  it('fits its own training data', () => {
    const data = trainingUtterances();
    const ok = data.filter((u) => classifier.classify(u.text, u.language).intent === u.intent).length;
    expect(ok / data.length).toBeGreaterThan(0.97);
  });

  it('always returns labels from INTENTS, a confidence in [0, 1] and two distinct lower alternatives', () => {
    const odd = ['', '   ', '👍', '10234', '?!?!', 'a'.repeat(5000), 'ok', 'asdfgh qwerty', '<script>alert(1)</script>', 'SELECT * FROM orders;'];
    for (const text of [...odd, ...devSet().map((d) => d.text)]) {
      const r = agent.classify(text);
      expect(INTENTS).toContain(r.intent);
      expect(r.confidence).toBeGreaterThanOrEqual(0);
      expect(r.confidence).toBeLessThanOrEqual(1);
      expect(r.alternatives).toHaveLength(2);
      const [a, b] = r.alternatives;
      expect(INTENTS).toContain(a!.intent);
      expect(INTENTS).toContain(b!.intent);
      expect(new Set([r.intent, a!.intent, b!.intent]).size).toBe(3);
      expect(a!.score).toBeLessThanOrEqual(r.confidence);
      expect(b!.score).toBeLessThanOrEqual(a!.score);
      expect(LANGUAGES).toContain(r.language);
    }
  });

  it('is accent-, case- and typo-tolerant', () => {
    expect(agent.classify('OÙ EST MA COMMANDE #10234').intent).toBe('order_status');
    expect(agent.classify('ou est ma commande 10234').intent).toBe('order_status');
    expect(agent.classify('wher is my ordr').intent).toBe('order_status');
    expect(agent.classify('quiero un reembolso').intent).toBe('refund_status');
    expect(agent.classify('i want to speek to a humman').intent).toBe('escalation_request');
  });

  it('the saved file loads back to the same predictions', () => {
    const json = JSON.parse(readFileSync(modelFile, 'utf8')) as ModelFile;
    expect(json.format).toBe('mac-intent-model');
    const loaded = IntentClassifier.fromJSON(json);
    for (const d of devSet().slice(0, 200)) {
      const a = classifier.classify(d.text, d.language);
      const b = loaded.classify(d.text, d.language);
      expect(b.intent).toBe(a.intent);
      expect(b.confidence).toBeCloseTo(a.confidence, 2);
    }
  });

  it('training is deterministic', () => {
    const again = trainClassifier({ utterances: trainingUtterances().slice(0, 600), typos: false }).classifier;
    const once = trainClassifier({ utterances: trainingUtterances().slice(0, 600), typos: false }).classifier;
    for (const d of devSet().slice(0, 50)) expect(again.scores(d.text, d.language)).toEqual(once.scores(d.text, d.language));
  });
});

describe('intent agent', () => {
  it('puts it all together', () => {
    const r = agent.classify('Where is my order #10234? email is Sam.Lee@example.com');
    expect(r.intent).toBe('order_status');
    expect(r.language).toBe('en');
    expect(r.entities.orderNumbers).toEqual(['10234']);
    expect(r.entities.emails).toEqual(['sam.lee@example.com']);
    expect(r.profanity).toBe(false);
  });

  it('uses the language hint when given, and ignores an invalid one', () => {
    expect(agent.classify('where is my order', { language: 'fr' }).language).toBe('fr');
    expect(agent.classify('où est ma commande', { language: 'xx' as never }).language).toBe('fr');
    expect(agent.classify('¿dónde está mi pedido?').language).toBe('es');
  });

  it('names catalogue products and follows catalogue updates', () => {
    expect(agent.classify('my burr grinder makes a weird noise').entities.products).toEqual(['Hearthline Electric Burr Grinder']);
    const other = createIntentAgent({ products: [], modelFile });
    expect(other.classify('my burr grinder makes a weird noise').entities.products).toEqual([]);
    other.setProducts(demoProducts());
    expect(other.classify('my burr grinder makes a weird noise').entities.products).toEqual(['Hearthline Electric Burr Grinder']);
  });

  it('reports profanity and negative sentiment without refusing to classify', () => {
    const r = agent.classify("tabarnak, ça fait 3 semaines que j'attends ma commande!");
    expect(r.profanity).toBe(true);
    expect(r.sentiment.label).toBe('negative');
    expect(r.language).toBe('fr');
    expect(INTENTS).toContain(r.intent);
  });

  it('a confident complaint is negative', () => {
    const r = agent.classify('this is unacceptable, the worst service ever');
    expect(r.intent).toBe('complaint');
    expect(r.sentiment.label).toBe('negative');
    expect(r.sentiment.score).toBeLessThan(0);
  });
});
