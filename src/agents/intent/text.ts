// Text normalisation and tokenising shared by the intent agent's parts (language id, features, lexicon,
// sentiment). Everything here is synchronous and allocation-light: it runs on every customer message.

const COMBINING = /[\u0300-\u036f]/g;
const NON_ASCII = /[^\x00-\x7f]/;

/** Lowercase and strip accents ("Café Ñandú" -> "cafe nandu"); curly apostrophes become "'". */
export function normalize(text: string): string {
  return normalizeLower(text.toLowerCase());
}

/** normalize() of text already lowercased (`lower` = text.toLowerCase()); pure ASCII is returned as it is. */
export function normalizeLower(lower: string): string {
  if (!NON_ASCII.test(lower)) return lower;
  // Character by character when every character is in CHAR_MAP (the common case: accented Latin letters,
  // typographic quotes), else the full pipeline.
  let out = '';
  let start = 0;
  for (let i = 0; i < lower.length; i++) {
    const c = lower.charCodeAt(i);
    if (c < 128 && c !== 96) continue;
    const m = CHAR_MAP[c];
    if (m === undefined) return normalizeSlow(lower);
    if (m.length === 1 && m.charCodeAt(0) === c) continue;
    out += lower.slice(start, i) + m;
    start = i + 1;
  }
  return start === 0 ? lower : out + lower.slice(start);
}

/** The reference pipeline (NFD, accents dropped, typographic characters replaced) for non-ASCII text. */
export function normalizeSlow(t: string): string {
  t = t.normalize('NFD').replace(COMBINING, '');
  // Ligatures and typographic characters NFD leaves alone.
  return t.replace(/[’‘`´]/g, "'").replace(/œ/g, 'oe').replace(/æ/g, 'ae').replace(/ß/g, 'ss');
}

/**
 * normalizeSlow of single characters, for the ranges where it is applied character by character with the same
 * result: Latin letters (Latin-1 Supplement, Latin Extended-A/B and Additional), general punctuation and currency
 * signs. None of them is a combining mark, and their canonical decompositions are a letter followed by marks in
 * U+0300-U+036F, so NFD of a string of them is the concatenation of their NFDs (no reordering across characters);
 * the replacements after NFD are character by character too. Entries whose NFD does not have that shape are left
 * out (those characters take the full pipeline). Checked for every mapped character next to others in the intent
 * tests (fastpath.test.ts).
 */
const CHAR_MAP: (string | undefined)[] = [];
for (const [lo, hi] of [
  [0x80, 0x24f],
  [0x1e00, 0x1eff],
  [0x2000, 0x20cf],
] as const) {
  for (let c = lo; c <= hi; c++) {
    const ch = String.fromCharCode(c);
    const d = ch.normalize('NFD');
    let ok = d.charCodeAt(0) < 0x300 || d.charCodeAt(0) > 0x36f;
    for (let k = 1; k < d.length && ok; k++) ok = d.charCodeAt(k) >= 0x300 && d.charCodeAt(k) <= 0x36f;
    if (ok) CHAR_MAP[c] = normalizeSlow(ch);
  }
}
CHAR_MAP[96] = normalizeSlow('`');

export function isWordChar(c: number): boolean {
  // a-z, 0-9 (input is already normalised, so letters are ASCII apart from rare scripts)
  return (c >= 97 && c <= 122) || (c >= 48 && c <= 57) || c > 127;
}

/**
 * Splits normalised text into word tokens: runs of letters/digits. Apostrophes, hyphens, punctuation and spaces
 * separate tokens, so French elisions ("l'adresse", "j'ai") give "l", "adresse", "j", "ai".
 */
export function tokenize(normalized: string): string[] {
  const out: string[] = [];
  let start = -1;
  for (let i = 0; i < normalized.length; i++) {
    const c = normalized.charCodeAt(i);
    if (isWordChar(c)) {
      if (start < 0) start = i;
    } else if (start >= 0) {
      out.push(normalized.slice(start, i));
      start = -1;
    }
  }
  if (start >= 0) out.push(normalized.slice(start));
  return out;
}

export function isDigits(token: string): boolean {
  for (let i = 0; i < token.length; i++) {
    const c = token.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return token.length > 0;
}

/** A small bounded memo: cleared when full, so hostile input cannot grow it without limit. */
export class BoundedCache<V> {
  private map = new Map<string, V>();
  constructor(private readonly max: number) {}
  get(key: string): V | undefined {
    return this.map.get(key);
  }
  set(key: string, value: V): void {
    if (this.map.size >= this.max) this.map.clear();
    this.map.set(key, value);
  }
}

// ---- one pass over the raw message for the character facts several parts ask about ------------------------------

export const HAS_QUESTION = 1; // "?" or "¿"
export const HAS_EXCLAMATION = 2; // "!" or "¡"
export const HAS_AT = 4; // "@"
export const HAS_INVERTED = 8; // "¿" or "¡"
export const HAS_APOSTROPHE = 16; // "'" or "’"
export const HAS_ENYE = 32; // "ñ" or "Ñ"
export const HAS_CURRENCY = 64; // "$", "€" or "£"
export const HAS_NON_ASCII = 128; // any character above U+007F

export interface TextFacts {
  /** Letters as language id counts them: ASCII letters and U+00C0-U+024F. */
  letters: number;
  /** ASCII digits. */
  digits: number;
  /** "!" characters. */
  bangs: number;
  /** ASCII letters, and the upper-case ones among them. */
  asciiLetters: number;
  asciiUpper: number;
  /** HAS_* bits. */
  flags: number;
}

let facts: Readonly<TextFacts> | undefined;
let factsOf: string | undefined;

/**
 * The character facts of `text`. The agent's parts all ask about the same message in turn, so the last answer is
 * kept and returned again for the same text (until forgetTextFacts); each new text gets a new object (never changed
 * afterwards).
 */
export function textFacts(text: string): Readonly<TextFacts> {
  if (text === factsOf && facts !== undefined) return facts;
  let letters = 0;
  let digits = 0;
  let bangs = 0;
  let asciiLetters = 0;
  let asciiUpper = 0;
  let flags = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 128) {
      if (code >= 97 && code <= 122) {
        letters++;
        asciiLetters++;
      } else if (code >= 65 && code <= 90) {
        letters++;
        asciiLetters++;
        asciiUpper++;
      } else if (code >= 48 && code <= 57) digits++;
      else if (code === 33) {
        bangs++;
        flags |= HAS_EXCLAMATION;
      } else if (code === 63) flags |= HAS_QUESTION;
      else if (code === 64) flags |= HAS_AT;
      else if (code === 39) flags |= HAS_APOSTROPHE;
      else if (code === 36) flags |= HAS_CURRENCY;
    } else {
      flags |= HAS_NON_ASCII;
      if (code >= 0xc0 && code <= 0x24f) letters++;
      if (code === 0xbf) flags |= HAS_QUESTION | HAS_INVERTED;
      else if (code === 0xa1) flags |= HAS_EXCLAMATION | HAS_INVERTED;
      else if (code === 0x2019) flags |= HAS_APOSTROPHE;
      else if (code === 0xf1 || code === 0xd1) flags |= HAS_ENYE;
      else if (code === 0x20ac || code === 0xa3) flags |= HAS_CURRENCY;
    }
  }
  facts = { letters, digits, bangs, asciiLetters, asciiUpper, flags };
  factsOf = text;
  return facts;
}

/** Drops the kept text: a message's head is a view of the whole message, which it would keep alive. */
export function forgetTextFacts(): void {
  facts = undefined;
  factsOf = undefined;
}
