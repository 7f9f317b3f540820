// Sparse features of one message for the intent model, hashed into a reusable FeatureBuffer (hash.ts).
// Accent- and case-insensitive (everything goes through normalize), typo-tolerant (character n-grams inside
// words), multilingual (language-specific Snowball stems from NLP.js, plus language-independent concept features
// from the lexicon, which carry what an English example teaches over to French and Spanish).
//
// Families (the first letter of the feature's name, which is what is hashed):
//   w:<stem>            stemmed word                 b:<stem>_<stem>   stemmed bigram
//   c:<ngram>           char n-gram of "<word>"      k:<CONCEPT>       lexicon concept
//   p:<C1>_<C2>         pair of concepts             s:<shape>         "?", "!", order number, "@", money, length
import type { Language } from '../runtime/contracts.js';
import { FeatureBuffer, fnv, fnvChar, hashString } from './hash.js';
import { compileLexicon, matchConcepts, type CompiledLexicon } from './lexicon.js';
import { stem } from './nlpjs.js';
import { isDigits, normalize, tokenize } from './text.js';

export interface FeatureOptions {
  /** Stemmed word unigrams "w:". */
  words: boolean;
  /** Stemmed word bigrams "b:". */
  bigrams: boolean;
  /** Character n-gram sizes inside "<word>" boundaries, e.g. [3, 5]; null for none. */
  chars: [number, number] | null;
  /** Concept features "k:" from the lexicon. */
  concepts: boolean;
  /** Pairs of concepts found in the same message "p:". */
  conceptPairs: boolean;
  /** Shape features "s:". */
  shape: boolean;
  /** Value of one occurrence of a feature, per family letter (w, b, c, k, p, s); default 1. */
  weights: Partial<Record<'w' | 'b' | 'c' | 'k' | 'p' | 's', number>>;
}

export const DEFAULT_FEATURES: FeatureOptions = {
  words: true,
  bigrams: true,
  chars: [3, 5],
  concepts: true,
  conceptPairs: true,
  shape: true,
  weights: {},
};

let lexicon: CompiledLexicon | undefined;
let conceptHash: Int32Array | undefined;
let pairPrefix: Int32Array | undefined;

export function getLexicon(): CompiledLexicon {
  if (!lexicon) {
    lexicon = compileLexicon();
    conceptHash = Int32Array.from(lexicon.names, (n) => hashString('k:' + n));
    pairPrefix = Int32Array.from(lexicon.names, (n) => hashString('p:' + n + '_'));
  }
  return lexicon;
}

const H_W = hashString('w:');
const H_B = hashString('b:');
const H_C = hashString('c:');
const H_N = [hashString('w:<n>'), hashString('w:<n>'), hashString('w:<n>'), hashString('w:<n3>'), hashString('w:<n4>')];
const S_Q = hashString('s:q');
const S_EXCL = hashString('s:!');
const S_ORDER = hashString('s:order#');
const S_AT = hashString('s:@');
const S_MONEY = hashString('s:$');
const S_LEN = [hashString('s:len0'), hashString('s:len1'), hashString('s:len2'), hashString('s:len5'), hashString('s:len10'), hashString('s:len20')];

const ORDER_LIKE = /(?:#\s?\d{3,}|\bord[-\s]?\d{3,}|\brma[-\s]?\d{3,})/i;
const MONEY = /[$€£]|\b(?:usd|cad|eur|dollars?|dolares|euros?|pesos)\b/;

// Scratch arrays reused by every call.
const found: number[] = [];
let stemScratch: string[] = [];

/**
 * Writes the features of `text` into `buf` (reset first) and returns it. `norm` and `tokens` may be passed when
 * the caller already has them (normalize(text) and tokenize(norm)).
 */
export function extractFeatures(
  text: string,
  language: Language,
  opt: FeatureOptions = DEFAULT_FEATURES,
  buf: FeatureBuffer = new FeatureBuffer(),
  norm: string = normalize(text),
  tokens: readonly string[] = tokenize(norm),
): FeatureBuffer {
  buf.reset();
  const wW = opt.weights.w ?? 1;
  const wB = opt.weights.b ?? 1;
  const wC = opt.weights.c ?? 1;
  const wK = opt.weights.k ?? 1;
  const wP = opt.weights.p ?? 1;
  const wS = opt.weights.s ?? 1;
  if (stemScratch.length < tokens.length) stemScratch = new Array<string>(tokens.length * 2).fill('');
  const stems = stemScratch;
  for (let i = 0; i < tokens.length; i++) {
    const tok = tokens[i]!;
    const digits = isDigits(tok);
    if (digits) {
      stems[i] = tok.length >= 4 ? '<n4>' : tok.length === 3 ? '<n3>' : '<n>';
      if (opt.words) buf.push(H_N[Math.min(tok.length, 4)]!, wW);
      continue;
    }
    const s = tok.length > 2 ? stem(tok, language) : tok;
    stems[i] = s;
    if (opt.words) buf.push(fnv(H_W, s), wW);
    if (opt.chars && tok.length > 1) {
      // n-grams of "<tok>": position 0 is '<', 1..len the token, len+1 is '>'.
      const [lo, hi] = opt.chars;
      const L = tok.length + 2;
      for (let j = 0; j < L; j++) {
        let h = H_C;
        for (let k = j; k < L && k - j < hi; k++) {
          h = fnvChar(h, k === 0 ? 60 : k === L - 1 ? 62 : tok.charCodeAt(k - 1));
          if (k - j + 1 >= lo) buf.push(h, wC);
        }
      }
    }
  }
  if (opt.bigrams) {
    for (let i = 0; i + 1 < tokens.length; i++) buf.push(fnv(fnvChar(fnv(H_B, stems[i]!), 95), stems[i + 1]!), wB);
  }
  if (opt.concepts) {
    const lex = getLexicon();
    matchConcepts(lex, tokens, found);
    for (const c of found) buf.push(conceptHash![c]!, wK);
    if (opt.conceptPairs && found.length > 1) {
      found.sort((a, b) => a - b);
      for (let a = 0; a < found.length; a++)
        for (let b = a + 1; b < found.length; b++) buf.push(fnv(pairPrefix![found[a]!]!, lex.names[found[b]!]!), wP);
    }
  }
  if (opt.shape) {
    if (text.includes('?') || text.includes('¿')) buf.push(S_Q, wS);
    if (text.includes('!') || text.includes('¡')) buf.push(S_EXCL, wS);
    if (ORDER_LIKE.test(text)) buf.push(S_ORDER, wS);
    if (text.includes('@')) buf.push(S_AT, wS);
    if (MONEY.test(norm)) buf.push(S_MONEY, wS);
    const n = tokens.length;
    buf.push(S_LEN[n <= 2 ? n : n <= 5 ? 3 : n <= 10 ? 4 : 5]!, wS);
  }
  return buf;
}

/** Human-readable feature names of `text` (for debugging and tests; the model only sees their hashes). */
export function featureNames(text: string, language: Language, opt: FeatureOptions = DEFAULT_FEATURES): string[] {
  const tokens = tokenize(normalize(text));
  const out: string[] = [];
  const st = tokens.map((t) => (isDigits(t) ? (t.length >= 4 ? '<n4>' : t.length === 3 ? '<n3>' : '<n>') : t.length > 2 ? stem(t, language) : t));
  if (opt.words) out.push(...st.map((s) => 'w:' + s));
  if (opt.bigrams) for (let i = 0; i + 1 < st.length; i++) out.push(`b:${st[i]}_${st[i + 1]}`);
  if (opt.concepts) {
    const lex = getLexicon();
    out.push(...matchConcepts(lex, tokens).map((c) => 'k:' + lex.names[c]));
  }
  return out;
}

