// The agent's fast paths against the plain computations they replace: per-token caches and arenas (tokens.ts,
// features.ts IntentScorer, language.ts), the character-by-character normalisation (text.ts), and the sentiment and
// product matching that read per-token facts. Whatever the caches hold, results must be those of the reference.
// (Sentiment and entities have no plain reference left: recorded.test.ts holds their results from before.)
import { beforeAll, describe, expect, it } from 'vitest';
import { createIntentAgent } from '../../../src/agents/intent/agent.js';
import { loadClassifier, type IntentClassifier } from '../../../src/agents/intent/classifier.js';
import { extractEntities, indexProducts } from '../../../src/agents/intent/entities.js';
import { getLexicon } from '../../../src/agents/intent/features.js';
import { flatten, SUPPLEMENT, TRAIN } from '../../../src/agents/intent/corpus.js';
import { INTENTS } from '../../../src/agents/runtime/contracts.js';
import { matchConcepts, matchConceptsFrom, phraseCodes, restWord } from '../../../src/agents/intent/lexicon.js';
import { analyzeSentiment } from '../../../src/agents/intent/sentiment.js';
import { normalize, normalizeSlow, tokenize } from '../../../src/agents/intent/text.js';
import { CACHE_LIMITS, MAX_CACHED_TOKEN, tokenInfo, tokenInfos } from '../../../src/agents/intent/tokens.js';
import { LANGUAGES, type Language } from '../../../src/agents/runtime/contracts.js';
import { demoProducts, devSet } from './helpers.js';

let classifier: IntentClassifier;
beforeAll(() => {
  classifier = loadClassifier();
});

const EXTRA = [
  '',
  '   ',
  '👍',
  '10234',
  'ok',
  'banana banana banana nanana', // repeated n-grams inside and across tokens (merged float32 counts)
  'aaaa aaaa aaaa aaaa aaaa',
  'très très très bien bien bien',
  "l'adresse d'expédition n'est pas la bonne, j'ai déménagé",
  'I don’t want it anymore, can’t you just refund?',
  '¿Dónde está mi pedido #10234? ¡Urgente!',
  'abc123def 4567xyz ord-10234 rma 5555',
  'Straße Œuvre æther naïve façade Ångström',
  'e\u0301te\u0301 combining accents',
  'ǅemal ǈ ẞ ﬁ ﬀ ı İ',
  'x'.repeat(3000),
  'refund '.repeat(400),
  'constructor constructors __proto__ toString hasOwnProperty',
  'I paid 45 dolares, 3 euros, 10 pesos, 5 USD, CAD 7, £3, €4 and $5',
  'usdollars eurostar pesoss dollar_bill _usd_',
  'ordre #1234 rma 5678 ord-9012',
  '\u212Aettle KELVIN \u212A', // Kelvin sign: not ASCII, but its lowercase form is
  'İstanbul ǅemal',
  // Tokens longer than the caches keep (scored the plain way), ASCII and not, between ordinary ones.
  `refund my ${'a'.repeat(MAX_CACHED_TOKEN + 1)} grinder please`,
  `remboursement ${'é'.repeat(MAX_CACHED_TOKEN + 6)} merci`,
  `${'b'.repeat(MAX_CACHED_TOKEN)} ${'c'.repeat(MAX_CACHED_TOKEN + 1)}1 où est ma commande`,
];

function texts(): string[] {
  return [...devSet().map((d) => d.text), ...EXTRA];
}

describe('intent model fast path', () => {
  it('gives the probabilities of the reference scoring (model.score over extractFeatures) in every language', () => {
    for (const text of texts()) {
      for (const lang of LANGUAGES) {
        const ref = classifier.scores(text, lang);
        const fast = classifier.classify(text, lang);
        const order = Array.from(ref.keys()).sort((a, b) => ref[b]! - ref[a]! || a - b);
        expect(Math.abs(fast.confidence - ref[order[0]!]!), text).toBeLessThan(1e-12);
        expect(fast.alternatives.map((a) => Math.abs(a.score - ref[classifier.model.classes.indexOf(a.intent)]!)).every((d) => d < 1e-12), text).toBe(true);
        expect(ref[classifier.model.classes.indexOf(fast.intent)], text).toBe(ref[order[0]!]);
      }
    }
  });

  it('gives the language model probabilities of the reference scoring', () => {
    for (const text of texts()) {
      const ref = classifier.languageId.modelScores(text);
      const g = classifier.languageId.detect(text, 'en');
      if (g.source !== 'model') continue;
      expect(Math.abs(g.confidence - Math.max(...ref)), text).toBeLessThan(1e-12);
    }
  });

  it('stays right after its caches fill up and start over', () => {
    const saved = { ...CACHE_LIMITS };
    Object.assign(CACHE_LIMITS, { tokens: 300, intentRecords: 500, languageRecords: 400, arenaBytes: 96 << 10 });
    try {
      let seed = 7;
      const rnd = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 4294967296;
      const word = () => Array.from({ length: 4 + Math.floor(rnd() * 6) }, () => String.fromCharCode(97 + Math.floor(rnd() * 26))).join('');
      const sample = [...devSet().slice(0, 60).map((d) => d.text), ...EXTRA];
      for (let round = 0; round < 40; round++) {
        // New words (some messages longer than the caches) between known messages.
        const msg = Array.from({ length: round % 5 === 0 ? 700 : 60 }, word).join(' ');
        classifier.classify(msg, 'fr');
        classifier.languageId.detect(msg, 'en');
        for (const t of sample.slice(round, round + 8)) {
          for (const lang of LANGUAGES) {
            const ref = classifier.scores(t, lang);
            expect(Math.abs(classifier.classify(t, lang).confidence - Math.max(...ref)), t).toBeLessThan(1e-12);
          }
          const lref = classifier.languageId.modelScores(t);
          const g = classifier.languageId.detect(t, 'en');
          if (g.source === 'model') expect(Math.abs(g.confidence - Math.max(...lref)), t).toBeLessThan(1e-12);
        }
      }
    } finally {
      Object.assign(CACHE_LIMITS, saved);
    }
  });
});

describe('per-token facts', () => {
  it('concepts from kept phrase codes, sentiment and products from token records equal the plain computation', () => {
    const lex = getLexicon();
    const ctx = { products: indexProducts(demoProducts()) };
    for (const text of texts()) {
      const tokens = tokenize(normalize(text));
      const infos = tokenInfos(tokens, []);
      // Per-token codes laid out the way IntentScorer keeps them (in its arena).
      const codes = tokens.map((t) => phraseCodes(lex, t));
      const src = new Int32Array(codes.reduce((n, c) => n + c.length, 0));
      const start = new Int32Array(tokens.length);
      const count = new Int32Array(tokens.length);
      let at = 0;
      codes.forEach((c, i) => {
        start[i] = at;
        count[i] = c.length / 2;
        src.set(c, at);
        at += c.length;
      });
      const words = Int32Array.from(tokens, (t) => restWord(lex, t));
      expect(matchConceptsFrom(lex, tokens, src, start, count, words, []), text).toEqual(matchConcepts(lex, tokens, []));
      for (const lang of LANGUAGES as readonly Language[]) {
        expect(analyzeSentiment(text, lang, tokens, undefined, infos), text).toEqual(analyzeSentiment(text, lang));
        expect(extractEntities(text, lang, ctx, normalize(text), tokens, infos), text).toEqual(extractEntities(text, lang, ctx));
      }
    }
  });

  it('token records keep no reference to a catalogue index, and follow a refreshed one', () => {
    const first = indexProducts(demoProducts());
    const refreshed = demoProducts().map((p, i) => (i % 2 ? { ...p, title: `${p.title} Deluxe` } : p)).slice(1);
    const second = indexProducts(refreshed);
    const sample = texts().filter((_, i) => i % 4 === 0);
    for (const index of [first, second, first]) {
      const ctx = { products: index };
      for (const text of sample) {
        const tokens = tokenize(normalize(text));
        const infos = tokenInfos(tokens, []);
        expect(extractEntities(text, 'en', ctx, normalize(text), tokens, infos), text).toEqual(extractEntities(text, 'en', ctx));
        for (const info of infos) for (const v of Object.values(info)) expect(v === first || v === second, text).toBe(false);
      }
    }
  });

  it('long tokens get records of their own, kept by nobody', () => {
    const short = 'x'.repeat(MAX_CACHED_TOKEN);
    const long = 'x'.repeat(MAX_CACHED_TOKEN + 1);
    expect(tokenInfo(short)).toBe(tokenInfo(short));
    expect(tokenInfo(long)).not.toBe(tokenInfo(long));
    expect(tokenInfo(long).text).toBe(long);
  });

  it('a token named like an Object.prototype member is an ordinary word', () => {
    const agent = createIntentAgent({ products: demoProducts() });
    const names = ['constructor', 'toString', '__proto__', 'hasOwnProperty', 'valueOf', 'isPrototypeOf', '__defineGetter__'];
    const texts = ['the constructor is bad', 'constructors', ...names.map((w) => `very ${w} good`), names.join(' ')];
    for (const text of texts)
      for (const language of [undefined, 'en', 'fr', 'es'] as const) {
        const r = agent.classify(text, language ? { language } : undefined);
        expect(Number.isFinite(r.sentiment.score), text).toBe(true);
        expect(r.entities.products, text).toEqual([]);
      }
    // Not an intensifier: the word between "very" and "good" takes the boost away, as any other word does.
    for (const w of names)
      for (const lang of LANGUAGES as readonly Language[])
        expect(analyzeSentiment(`very ${w} good`, lang).score, w).toBe(analyzeSentiment('very word good', lang).score);
  });
});

/** normalize() as it was written before the character-by-character path. */
function refNormalize(text: string): string {
  const lower = text.toLowerCase();
  return /[^\x00-\x7f]/.test(lower) ? normalizeSlow(lower) : lower;
}

describe('normalisation', () => {
  it('character by character equals the full NFD pipeline for every mapped character, next to any other', () => {
    const mapped: string[] = ['`'];
    for (const [lo, hi] of [
      [0x80, 0x24f],
      [0x1e00, 0x1eff],
      [0x2000, 0x20cf],
    ] as const)
      for (let c = lo; c <= hi; c++) mapped.push(String.fromCharCode(c));
    // Neighbours: ASCII, letters with and without decompositions, combining marks, ligatures, quotes, an emoji.
    const around = ['a', 'Z', '0', ' ', "'", '`', 'é', 'Ǖ', 'ẛ', 'œ', 'ß', '’', '´', '\u0301', '\u0323', '\u0483', 'ı', 'İ', '👍', 'Ω'];
    let bad = 0;
    for (const c of mapped)
      for (const b of around) for (const s of [c + b, b + c, b + c + c + b]) if (normalize(s) !== refNormalize(s)) bad++;
    expect(bad).toBe(0);
  });

  it('falls back to the full pipeline for other characters', () => {
    for (const s of ['e\u0301', 'ı İ ǅ ﬁ', '👍 café', 'Ωmega Kelvin', 'ﾊﾝｶｸ', '한국어', 'a\u0323\u0302']) expect(normalize(s)).toBe(refNormalize(s));
  });
});
