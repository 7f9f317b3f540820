// Embedders: text → vector, behind one strategy interface.
//
// `hashed-ngrams-v1` is the offline embedder. No model can be downloaded on the machines this ships to, so it is
// not a neural sentence encoder and does not pretend to be one: it is a feature-hashed bag of accent-folded words
// and character 3/4-grams (signed hashing into 512 dims, sublinear tf, L2-normalised). Character n-grams make it
// robust to typos ("retrun"), inflection ("retourner" ~ "retours") and accents ("envio" = "envío") in en/fr/es; it
// captures shared surface forms, not meaning, so paraphrases with no word in common are left to BM25 and to the
// language preference. The azure-openai embedder (text-embedding-3-large) implements the same interface; the index
// records the embedder's id and dims, and a different embedder forces a re-ingest.
import { contentWords } from './text.js';

export interface Embedder {
  /** Stable identifier of the model and its preprocessing; stored in the index. */
  readonly id: string;
  readonly dims: number;
  /** One unit-length vector per text, in order. */
  embed(texts: string[]): Float32Array[] | Promise<Float32Array[]>;
}

export const HASHED_NGRAMS_ID = 'hashed-ngrams-v1';

// Relative weight of the feature families (changing them changes the vectors: bump the id).
const WORD_WEIGHT = 1;
const GRAM_WEIGHT = 0.3;
const SEED_WORD = 0x811c9dc5;
const SEED_GRAM3 = 0x050c5d1f;
const SEED_GRAM4 = 0x2b8ee1c3;

/** Feature-hashed words + character 3/4-grams. Synchronous and allocation-light: a query embeds in microseconds. */
export class HashedNgramEmbedder implements Embedder {
  readonly id = HASHED_NGRAMS_ID;
  readonly dims: number;

  constructor(options: { dims?: number } = {}) {
    this.dims = options.dims ?? 512;
  }

  embed(texts: string[]): Float32Array[] {
    return texts.map((t) => this.embedOne(t));
  }

  embedOne(text: string): Float32Array {
    const words = new Map<number, number>();
    const grams = new Map<number, number>();
    for (const word of contentWords(text)) {
      bump(words, hashRange(word, 0, word.length, SEED_WORD));
      const padded = ` ${word} `;
      for (let i = 0; i + 3 <= padded.length; i++) bump(grams, hashRange(padded, i, i + 3, SEED_GRAM3));
      for (let i = 0; i + 4 <= padded.length; i++) bump(grams, hashRange(padded, i, i + 4, SEED_GRAM4));
    }
    const v = new Float32Array(this.dims);
    this.scatter(v, words, WORD_WEIGHT);
    this.scatter(v, grams, GRAM_WEIGHT);
    let norm = 0;
    for (let i = 0; i < v.length; i++) norm += (v[i] ?? 0) * (v[i] ?? 0);
    if (norm > 0) {
      const inv = 1 / Math.sqrt(norm);
      for (let i = 0; i < v.length; i++) v[i] = (v[i] ?? 0) * inv;
    }
    return v;
  }

  private scatter(v: Float32Array, features: Map<number, number>, weight: number): void {
    for (const [h, tf] of features) {
      const index = (h >>> 0) % this.dims;
      const sign = h & 0x40000000 ? -1 : 1;
      v[index] = (v[index] ?? 0) + sign * weight * (1 + Math.log(tf));
    }
  }
}

function bump(map: Map<number, number>, key: number): void {
  map.set(key, (map.get(key) ?? 0) + 1);
}

/** FNV-1a over UTF-16 code units of s[start, end), finished with murmur3's fmix32 so every bit is mixed. */
function hashRange(s: string, start: number, end: number, seed: number): number {
  let h = seed;
  for (let i = start; i < end; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h;
}

/** Cosine similarity of two vectors (they are unit length, so a dot product). */
export function cosine(a: Float32Array, b: Float32Array): number {
  let dot = 0;
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) dot += (a[i] ?? 0) * (b[i] ?? 0);
  return dot;
}
