// One record per distinct normalised token, shared by the parts of the intent agent. Each part fills in what it
// needs the first time it meets the token and reads it back on every later message: sentiment its polarity and
// flags, product matching its catalogue words, language id and the intent model where the token's features (ids and
// summed weight rows) are kept in their arenas. A known word then costs one table lookup for the whole agent instead
// of a dozen hash computations, map and set lookups and weight-row reads spread over memory. Everything kept is a
// pure function of the token (and of the model or catalogue it was computed for, which is checked), so results are
// those of computing it afresh. Bounded: the table is emptied when full (CACHE_LIMITS), only tokens of at most
// MAX_CACHED_TOKEN characters are kept (a longer one gets a record of its own that nobody keeps, and the parts that
// keep per-token data score it the plain way), and a kept token is a copy, never a slice of its message. Nothing
// here refers to a model or a catalogue: those are identified by generation numbers.
import { FNV_OFFSET, hashRange, TextIndex } from './hash.js';
import { isDigits, isWordChar } from './text.js';

// The words of features.ts MONEY ("usd", "cad", "eur", "dollars?", "dolares", "euros?", "pesos") as substrings: a
// message can only match one of them inside one of its tokens.
const MONEY_WORD = /usd|cad|eur|dollar|dolares|pesos/;

export class TokenInfo {
  readonly text: string;
  readonly digits: boolean;
  /** Only a-z (the whole token is one "letter run" for language id). */
  readonly letters: boolean;
  /** Holds one of the currency words of the intent features' money pattern (features.ts MONEY). */
  readonly moneyWord: boolean;

  // Sentiment (sentiment.ts): computed once, flags packed in an int.
  sentiment = -1;
  // (NaN, not 0: these hold fractions, and a field that starts as a small integer changes representation later.)
  polarity = NaN;
  intensity = NaN;
  /** Sentiment phrases starting with the token: words and polarity (sentiment.ts PHRASES_BY_FIRST). */
  sentimentPhrases: readonly (readonly [readonly string[], number])[] | null = null;
  /** Profane phrases starting with the token (sentiment.ts PROFANE_BY_FIRST). */
  profanePhrases: readonly (readonly string[])[] | null = null;

  // Product matching (entities.ts): the words looked up in a catalogue index; for the index whose generation is
  // `productGen` (a number, not the index: a record must not keep an old catalogue alive), their numbers there and
  // whether one of them is a specific title word.
  productWords: readonly string[] | null = null;
  productGen = 0;
  productIds: Int32Array | null = null;
  specific = false;

  // Language id (language.ts): owner generation, id of "w:<token>", arena slot of the token's features.
  langGen = 0;
  langW = -1;
  langSlot = -1;

  // Intent model (features.ts): owner generation and arena slot per language.
  intentGen = 0;
  intentEn = -1;
  intentFr = -1;
  intentEs = -1;

  constructor(text: string) {
    this.text = text;
    this.digits = isDigits(text);
    let letters = text.length > 0;
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c < 97 || c > 122) {
        letters = false;
        break;
      }
    }
    this.letters = letters;
    this.moneyWord = MONEY_WORD.test(text);
  }
}

/**
 * Sizes of the per-token caches: the token table (here) and the intent and language arenas (records per
 * generation, and bytes per arena: an arena that passes `arenaBytes` starts over, small). Only tests change them, to see the
 * caches start over.
 */
export const CACHE_LIMITS = { tokens: 30_000, intentRecords: 30_000, languageRecords: 30_000, arenaBytes: 32 << 20 };
/**
 * Tokens longer than this are not kept (nor are their features, stems, concepts: the parts score a message with
 * such a token the plain way), so that what the caches hold per entry is small and bounded.
 */
export const MAX_CACHED_TOKEN = 64;

const table = new TextIndex<TokenInfo>(4096);

/**
 * A copy of `s` that does not share memory with another string: V8 makes a slice of 13+ characters a view of its
 * parent (the whole message), which a cache key would then keep alive.
 */
export function ownString(s: string): string {
  return s.length < 13 ? s : (JSON.parse(JSON.stringify(s)) as string);
}

function intern(s: string, start: number, end: number, h: number): TokenInfo {
  if (end - start > MAX_CACHED_TOKEN) return new TokenInfo(s.slice(start, end)); // (kept by nobody)
  let info = table.get(s, start, end, h);
  if (info === undefined) {
    if (table.size >= CACHE_LIMITS.tokens) table.clear();
    info = new TokenInfo(ownString(start === 0 && end === s.length ? s : s.slice(start, end)));
    table.set(h, info);
  }
  return info;
}

export function tokenInfo(tok: string): TokenInfo {
  return intern(tok, 0, tok.length, hashRange(tok, 0, tok.length));
}

/** Records of `tokens`, written into `out` (its length is set); returns `out`. */
export function tokenInfos(tokens: readonly string[], out: TokenInfo[] = []): TokenInfo[] {
  // (Setting an array's length is a runtime call: only when it shrinks.)
  if (out.length > tokens.length) out.length = tokens.length;
  for (let i = 0; i < tokens.length; i++) out[i] = tokenInfo(tokens[i]!);
  return out;
}

/**
 * tokenize(normalized) and tokenInfos of the result in one pass (known tokens are found without cutting them out
 * of the text), appended to `tokens` and `infos` (pass empty arrays); the token strings are the records' own.
 */
export function tokenizeInfos(normalized: string, tokens: string[], infos: TokenInfo[]): void {
  let start = -1;
  let h = 0;
  const n = normalized.length;
  for (let i = 0; i < n; i++) {
    const c = normalized.charCodeAt(i);
    if (isWordChar(c)) {
      if (start < 0) {
        start = i;
        h = FNV_OFFSET;
      }
      h = Math.imul(h ^ c, 0x01000193);
    } else if (start >= 0) {
      const info = intern(normalized, start, i, h);
      tokens.push(info.text);
      infos.push(info);
      start = -1;
    }
  }
  if (start >= 0) {
    const info = intern(normalized, start, n, h);
    tokens.push(info.text);
    infos.push(info);
  }
}

/** True when one of the tokens is longer than MAX_CACHED_TOKEN (its record is not shared: score it the plain way). */
export function hasLongToken(tokens: readonly string[]): boolean {
  for (let i = 0; i < tokens.length; i++) if (tokens[i]!.length > MAX_CACHED_TOKEN) return true;
  return false;
}

let ownerGen = 0;
/** A fresh owner generation for model-dependent fields (a model's caches are valid while their owner matches). */
export function newOwnerGeneration(): number {
  return ++ownerGen;
}
