// The few NLP.js pieces the intent agent uses, loaded through require (NLP.js is CommonJS without type
// declarations) and typed here. Only synchronous APIs are used: stemmers and the sentiment dictionaries.
import { createRequire } from 'node:module';
import type { Language } from '../runtime/contracts.js';
import { MAX_CACHED_TOKEN, ownString } from './tokens.js';

const require = createRequire(import.meta.url);

interface NlpjsStemmer {
  stemWord(word: string): string;
  cache: Record<string, string>;
}

export interface SentimentDictionary {
  /** Word (stemmed when `stemmed`) -> polarity in [-1, 1]. */
  words: Record<string, number>;
  negations: string[];
  stemmed: boolean;
}

let stemmers: Record<Language, NlpjsStemmer> | undefined;

function loadStemmers(): Record<Language, NlpjsStemmer> {
  if (!stemmers) {
    const en = require('@nlpjs/lang-en') as { StemmerEn: new () => NlpjsStemmer };
    const fr = require('@nlpjs/lang-fr') as { StemmerFr: new () => NlpjsStemmer };
    const es = require('@nlpjs/lang-es') as { StemmerEs: new () => NlpjsStemmer };
    stemmers = { en: new en.StemmerEn(), fr: new fr.StemmerFr(), es: new es.StemmerEs() };
  }
  return stemmers;
}

const MAX_CACHE = 20_000;
const caches: Record<Language, Map<string, string>> = { en: new Map(), fr: new Map(), es: new Map() };

/**
 * Snowball stem (NLP.js) of one normalised word, memoised in a bounded map per language (NLP.js's own memo has no
 * bound, so it is emptied together with ours). Only words of at most MAX_CACHED_TOKEN characters are remembered, as
 * copies: a word cut from a message (tokenize) can be a view of the whole message, which a key would keep alive.
 */
export function stem(word: string, language: Language): string {
  const cache = caches[language];
  const hit = cache.get(word);
  if (hit !== undefined) return hit;
  const s = loadStemmers()[language];
  if (word.length > MAX_CACHED_TOKEN) {
    const result = s.stemWord(word) || word;
    delete s.cache[`.${word}`];
    return result;
  }
  // (The stem is cut from the word it is given: from the copy, then.)
  const own = ownString(word);
  const result = s.stemWord(own) || own;
  if (cache.size >= MAX_CACHE) {
    cache.clear();
    s.cache = {};
  }
  cache.set(own, result);
  return result;
}

/** NLP.js sentiment lexicons: Senticon for en/es, Pattern for fr; all keyed by stems. */
export function sentimentDictionary(language: Language): SentimentDictionary {
  const pkg = { en: '@nlpjs/lang-en', fr: '@nlpjs/lang-fr', es: '@nlpjs/lang-es' }[language];
  const mod = require(pkg) as Record<string, unknown>;
  const key = { en: 'SentimentEn', fr: 'SentimentFr', es: 'SentimentEs' }[language];
  const dict = mod[key] as
    | { senticon?: Record<string, number>; pattern?: Record<string, number>; afinn?: Record<string, number>; negations: { words: string[] }; stemmed?: boolean }
    | undefined;
  if (!dict) return { words: {}, negations: [], stemmed: false };
  return { words: dict.senticon ?? dict.pattern ?? dict.afinn ?? {}, negations: dict.negations.words, stemmed: dict.stemmed ?? false };
}
