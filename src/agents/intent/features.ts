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
import { Arena, FeatureBuffer, fnv, fnvChar, hashString } from './hash.js';
import { compileLexicon, matchConcepts, matchConceptsFrom, phraseCodes, restWord, type CompiledLexicon } from './lexicon.js';
import type { LinearModel } from './linear.js';
import { CACHE_LIMITS, hasLongToken, newOwnerGeneration, tokenInfos, type TokenInfo } from './tokens.js';
import { stem } from './nlpjs.js';
import { HAS_AT, HAS_CURRENCY, HAS_EXCLAMATION, HAS_QUESTION, isDigits, normalize, textFacts, tokenize } from './text.js';

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

/** The hashes of the character n-grams (lengths lo..hi) of "<tok>": position 0 is '<', 1..len the token, len+1 '>'. */
function charGrams(tok: string, [lo, hi]: readonly [number, number], visit: (hash: number) => void): void {
  const L = tok.length + 2;
  for (let j = 0; j < L; j++) {
    let h = H_C;
    for (let k = j; k < L && k - j < hi; k++) {
      h = fnvChar(h, k === 0 ? 60 : k === L - 1 ? 62 : tok.charCodeAt(k - 1));
      if (k - j + 1 >= lo) visit(h);
    }
  }
}
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
      charGrams(tok, opt.chars, (h) => buf.push(h, wC));
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

// ---- scoring without a FeatureBuffer -------------------------------------------------------------------------------

// Arena record of one token in one language, at offset o (in doubles; see Arena):
//   i32[2o]   number of known feature ids      i32[2o+1] how many of them (leading) have the word value (0 or 1)
//   i32[2o+2] bigram head hash                 i32[2o+3] record number (< 2^16: the bigram cache packs two)
//   i32[2o+4] number of lexicon phrase codes   i32[2o+5] lexicon rest-word number (lexicon.ts restWord)
//   f64[o+3 .. o+3+classes)  Σ weight row · value over the ids
//   then the ids, then the phrase codes (lexicon.ts phraseCodes: pairs), as int32. The lexicon part does not
//   depend on the language; it is kept here because this record is read for the token anyway.
const REC_HEAD = 3;
const NO_CODES = new Int32Array(0);
/** Bigram cache: 2^BIGRAM_SETS sets of two entries. */
const BIGRAM_SETS = 13;
const MAX_MESSAGE_TOKENS = 4096;
const SHAPE_Q = 0;
const SHAPE_EXCL = 1;
const SHAPE_ORDER = 2;
const SHAPE_AT = 3;
const SHAPE_MONEY = 4;
const SHAPE_LEN = 5;

/**
 * The intent model applied to a message's tokens: the same features as extractFeatures, in the same order (so
 * merged counts and the norm are bit-identical), fed to LinearModel's incremental path. What a token contributes
 * in a language (its feature ids and the sum of their weight rows) is computed once and kept in one flat arena,
 * found from the token's shared record (tokens.ts); bigram ids are kept in a small cache keyed by the two tokens'
 * records. A known word then costs a few reads of adjacent memory instead of ~10 hashes, hash-table probes and
 * weight-row reads. Probabilities equal model.score(extractFeatures(...)) up to ~1e-15 (the order of a
 * floating-point sum).
 */
export class IntentScorer {
  private readonly vW: number;
  private readonly vB: number;
  private readonly vC: number;
  private readonly vK: number;
  private readonly vP: number;
  private readonly vS: number;
  private readonly nC: number;
  private readonly nameCount: number;
  private readonly conceptIds: Int32Array;
  /** pairIds[a * nameCount + b] (a < b): id of "p:<A>_<B>", -1 unknown. */
  private readonly pairIds: Int32Array;
  private readonly conceptRows: Int32Array;
  private readonly pairRows: Int32Array;
  /** Ids of the shape features, in SHAPE_* order, and their rows in `fixed` (-1 unknown). */
  private readonly shapeIds: Int32Array;
  private readonly shapeRows: Int32Array;
  /**
   * Weight rows of the concept, concept-pair and shape features (conceptRows, pairRows, shapeRows index them),
   * copied side by side: they recur in most messages, and in the model they are spread over megabytes.
   */
  private readonly fixed: Float32Array;
  private gen = 0;
  private readonly arena = new Arena(1 << 16);
  private records = 0;
  private stems: string[] = [];
  /** Bigram cache: [key, id] per entry, key = the two tokens' record numbers. */
  private readonly pairs = new Int32Array(4 << BIGRAM_SETS);
  private slots = new Int32Array(64);
  /** Per token of the message: where its phrase codes start in the arena, how many, its rest-word number. */
  private codeStart = new Int32Array(64);
  private codeCount = new Int32Array(64);
  private words = new Int32Array(64);
  private scratchIds: number[] = [];
  private infos: TokenInfo[] = [];
  private readonly buf = new FeatureBuffer();

  constructor(
    private readonly model: LinearModel,
    private readonly opt: FeatureOptions,
  ) {
    const f = (x: number | undefined) => Math.fround(x ?? 1);
    this.vW = f(opt.weights.w);
    this.vB = f(opt.weights.b);
    this.vC = f(opt.weights.c);
    this.vK = f(opt.weights.k);
    this.vP = f(opt.weights.p);
    this.vS = f(opt.weights.s);
    this.nC = model.classes.length;
    const lex = getLexicon();
    const n = lex.names.length;
    this.nameCount = n;
    this.conceptIds = Int32Array.from(conceptHash!, (h) => model.idOf(h));
    this.pairIds = new Int32Array(n * n).fill(-1);
    for (let a = 0; a < n; a++) for (let b = a + 1; b < n; b++) this.pairIds[a * n + b] = model.idOf(fnv(pairPrefix![a]!, lex.names[b]!));
    this.shapeIds = Int32Array.from([S_Q, S_EXCL, S_ORDER, S_AT, S_MONEY, ...S_LEN], (h) => model.idOf(h));
    const fixedIds = new Set<number>();
    for (const id of [...this.conceptIds, ...this.pairIds, ...this.shapeIds])
      if (id >= 0) fixedIds.add(id);
    const nC = model.classes.length;
    this.fixed = new Float32Array(fixedIds.size * nC);
    const fixedRow = new Map<number, number>();
    const unit = new Float64Array(nC);
    for (const id of fixedIds) {
      const r = fixedRow.size;
      fixedRow.set(id, r);
      unit.fill(0);
      model.addRow(id, 1, unit); // the float32 weights, exactly
      this.fixed.set(unit, r * nC);
    }
    const rowOf = (id: number) => (id >= 0 ? fixedRow.get(id)! : -1);
    this.conceptRows = Int32Array.from(this.conceptIds, rowOf);
    this.pairRows = Int32Array.from(this.pairIds, rowOf);
    this.shapeRows = Int32Array.from(this.shapeIds, rowOf);
    this.reset();
  }

  private reset(): void {
    this.gen = newOwnerGeneration();
    this.arena.clear();
    this.records = 0;
    this.stems = [];
    this.pairs.fill(-1);
  }

  /** Arena offset of the token's record in `language`, computing it the first time. */
  private record(info: TokenInfo, language: Language): number {
    if (info.intentGen === this.gen) {
      const o = language === 'en' ? info.intentEn : language === 'fr' ? info.intentFr : info.intentEs;
      if (o >= 0) return o;
    } else {
      info.intentGen = this.gen;
      info.intentEn = info.intentFr = info.intentEs = -1;
    }
    const { model, opt } = this;
    const tok = info.text;
    const ids = this.scratchIds;
    ids.length = 0;
    let nW = 0;
    let stemmed: string;
    if (info.digits) {
      stemmed = tok.length >= 4 ? '<n4>' : tok.length === 3 ? '<n3>' : '<n>';
      if (opt.words) {
        const id = model.idOf(H_N[Math.min(tok.length, 4)]!);
        if (id >= 0) {
          ids.push(id);
          nW = 1;
        }
      }
    } else {
      stemmed = tok.length > 2 ? stem(tok, language) : tok;
      if (opt.words) {
        const id = model.idOf(fnv(H_W, stemmed));
        if (id >= 0) {
          ids.push(id);
          nW = 1;
        }
      }
      if (opt.chars && tok.length > 1) {
        charGrams(tok, opt.chars, (h) => {
          const id = model.idOf(h);
          if (id >= 0) ids.push(id);
        });
      }
    }
    const nC = this.nC;
    const lex = getLexicon();
    const codes = opt.concepts ? phraseCodes(lex, tok) : NO_CODES;
    const o = this.arena.alloc(REC_HEAD + nC + ((ids.length + codes.length + 1) >> 1));
    const { f64, i32 } = this.arena;
    i32[2 * o] = ids.length;
    i32[2 * o + 1] = nW;
    i32[2 * o + 2] = fnvChar(fnv(H_B, stemmed), 95);
    i32[2 * o + 3] = this.records;
    i32[2 * o + 4] = codes.length >> 1;
    i32[2 * o + 5] = restWord(lex, tok);
    i32.set(codes, 2 * (o + REC_HEAD + nC) + ids.length);
    this.stems.push(stemmed);
    this.records++;
    const sum = f64.subarray(o + REC_HEAD, o + REC_HEAD + nC);
    sum.fill(0);
    const idsAt = 2 * (o + REC_HEAD + nC);
    for (let k = 0; k < ids.length; k++) {
      i32[idsAt + k] = ids[k]!;
      model.addRow(ids[k]!, k < nW ? this.vW : this.vC, sum);
    }
    if (language === 'en') info.intentEn = o;
    else if (language === 'fr') info.intentFr = o;
    else info.intentEs = o;
    return o;
  }

  /**
   * Class probabilities of the message into `out`; `norm` = normalize(text), `tokens` = tokenize(norm), `infos` =
   * tokenInfos(tokens) when the caller has them.
   */
  score(text: string, language: Language, norm: string, tokens: readonly string[], out: Float64Array, infos?: readonly TokenInfo[]): Float64Array {
    const { model, opt, nC } = this;
    const nT = tokens.length;
    // Beyond this many tokens (the agent never gets there) the message is scored the plain way: the records of one
    // message must fit in one arena generation, and their numbers in 16 bits.
    // So is a message with a token longer than MAX_CACHED_TOKEN: such a token has no shared record, and is not kept.
    if (nT > MAX_MESSAGE_TOKENS || hasLongToken(tokens)) return model.score(extractFeatures(text, language, opt, this.buf, norm, tokens), out);
    const recs = infos ?? tokenInfos(tokens, this.infos);
    if (this.records + nT > Math.min(CACHE_LIMITS.intentRecords, 0xffff - MAX_MESSAGE_TOKENS) || this.arena.over(CACHE_LIMITS.arenaBytes)) this.reset();
    if (this.slots.length < nT) this.slots = new Int32Array(nT * 2);
    const slots = this.slots;
    if (this.codeStart.length < nT) {
      this.codeStart = new Int32Array(nT * 2);
      this.codeCount = new Int32Array(nT * 2);
      this.words = new Int32Array(nT * 2);
    }
    const { codeStart, codeCount, words } = this;
    const acc = model.begin();
    const occ = model.occ;
    let moneyWord = false;
    for (let i = 0; i < nT; i++) {
      if (recs[i]!.moneyWord) moneyWord = true;
      const o = this.record(recs[i]!, language);
      slots[i] = o;
      const { f64, i32 } = this.arena; // (a new record may have grown it)
      const n = i32[2 * o]!;
      const idsAt = 2 * (o + REC_HEAD + nC);
      codeStart[i] = idsAt + n;
      codeCount[i] = i32[2 * o + 4]!;
      words[i] = i32[2 * o + 5]!;
      if (n === 0) continue;
      const nW = i32[2 * o + 1]!;
      occ.addRun(i32, idsAt, n, nW, this.vW, this.vC);
      for (let c = 0; c < nC; c++) acc[c]! += f64[o + REC_HEAD + c]!;
    }
    if (opt.bigrams) {
      const pairs = this.pairs;
      const i32 = this.arena.i32;
      for (let i = 0; i + 1 < nT; i++) {
        const ra = i32[2 * slots[i]! + 3]!;
        const rb = i32[2 * slots[i + 1]! + 3]!;
        const key = (ra << 16) | rb;
        // Two-way set: [key, id, key, id]; a miss moves the first entry to the second place.
        const h = (Math.imul(key, 0x9e3779b1) >>> (32 - BIGRAM_SETS)) << 2;
        let id: number;
        if (pairs[h] === key) id = pairs[h + 1]!;
        else if (pairs[h + 2] === key) id = pairs[h + 3]!;
        else {
          id = model.idOf(fnv(i32[2 * slots[i]! + 2]!, this.stems[rb]!));
          pairs[h + 2] = pairs[h]!;
          pairs[h + 3] = pairs[h + 1]!;
          pairs[h] = key;
          pairs[h + 1] = id;
        }
        if (id >= 0) {
          model.occur(id, this.vB);
          model.addRow(id, this.vB, acc);
        }
      }
    }
    if (opt.concepts) {
      matchConceptsFrom(getLexicon(), tokens, this.arena.i32, codeStart, codeCount, words, found);
      for (const c of found) {
        const id = this.conceptIds[c]!;
        if (id >= 0) {
          model.occur(id, this.vK);
          this.addFixed(this.conceptRows[c]!, this.vK, acc);
        }
      }
      if (opt.conceptPairs && found.length > 1) {
        sortSmall(found);
        const n = this.nameCount;
        for (let x = 0; x < found.length; x++)
          for (let y = x + 1; y < found.length; y++) {
            const k = found[x]! * n + found[y]!;
            const id = this.pairIds[k]!;
            if (id >= 0) {
              model.occur(id, this.vP);
              this.addFixed(this.pairRows[k]!, this.vP, acc);
            }
          }
      }
    }
    if (opt.shape) {
      const { flags, digits } = textFacts(text);
      if (flags & HAS_QUESTION) this.shapeFeature(SHAPE_Q, acc);
      if (flags & HAS_EXCLAMATION) this.shapeFeature(SHAPE_EXCL, acc);
      if (digits >= 3 && ORDER_LIKE.test(text)) this.shapeFeature(SHAPE_ORDER, acc); // (it needs 3 digits)
      if (flags & HAS_AT) this.shapeFeature(SHAPE_AT, acc);
      // (MONEY needs a currency sign or one of its words, which lies inside a token)
      if ((flags & HAS_CURRENCY || moneyWord) && MONEY.test(norm)) this.shapeFeature(SHAPE_MONEY, acc);
      this.shapeFeature(SHAPE_LEN + (nT <= 2 ? nT : nT <= 5 ? 3 : nT <= 10 ? 4 : 5), acc);
    }
    return model.finish(out);
  }

  private shapeFeature(k: number, acc: Float64Array): void {
    const id = this.shapeIds[k]!;
    if (id < 0) return;
    this.model.occur(id, this.vS);
    this.addFixed(this.shapeRows[k]!, this.vS, acc);
  }

  /** acc += row `r` of `fixed` · v (the products addRow would form: float32 weight times float32 value). */
  private addFixed(r: number, v: number, acc: Float64Array): void {
    const { fixed, nC } = this;
    const o = r * nC;
    for (let c = 0; c < nC; c++) acc[c]! += fixed[o + c]! * v;
  }
}

/** Ascending insertion sort (the few concepts of a message; Array.prototype.sort costs more to call). */
function sortSmall(a: number[]): void {
  for (let i = 1; i < a.length; i++) {
    const v = a[i]!;
    let j = i - 1;
    while (j >= 0 && a[j]! > v) {
      a[j + 1] = a[j]!;
      j--;
    }
    a[j + 1] = v;
  }
}
