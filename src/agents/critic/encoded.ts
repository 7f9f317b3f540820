// Encoded payloads hidden in a customer message: base64 (and base64url), hex (plain, spaced, \x-escaped), URL
// percent-encoding, ROT13 and reversed text. Each candidate is decoded and kept only when the result reads as text,
// so that the input guardrail can check the decoded text like any other message.
import { looksLikeText, STOPWORDS } from './text.js';

export type Encoding = 'base64' | 'hex' | 'url' | 'rot13' | 'reversed';

export interface DecodedPayload {
  encoding: Encoding;
  /** Span of the encoded text in the input (the whole input for rot13/reversed). */
  start: number;
  end: number;
  decoded: string;
}

const BASE64_RE = /(?<![A-Za-z0-9+/=_-])[A-Za-z0-9+/_-]{16,}={0,2}(?![A-Za-z0-9+/=_-])/g;
const HEX_RE = /(?<![0-9A-Za-z])(?:[0-9A-Fa-f]{2}){8,}(?![0-9A-Za-z])/g;
const HEX_SEP_RE = /(?<![0-9A-Za-z])(?:[0-9A-Fa-f]{2}[ :,-]){7,}[0-9A-Fa-f]{2}(?![0-9A-Za-z])|(?:\\x[0-9A-Fa-f]{2}){6,}|(?:0x[0-9A-Fa-f]{2}[ ,]*){6,}/g;
const URL_RE = /(?<![^\s])[^\s%]*(?:%[0-9A-Fa-f]{2}[^\s%]*){3,}/g;
const ROT13_HINT_RE = /\brot[ -]?13\b|\bc[ée]sar\b|\bcaesar\b/i;

const utf8 = new TextDecoder('utf-8', { fatal: true });

function decodeBytes(bytes: Uint8Array): string | undefined {
  try {
    return utf8.decode(bytes);
  } catch {
    return undefined;
  }
}

export function rot13(s: string): string {
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 65 && c <= 90) out += String.fromCharCode(((c - 52) % 26) + 65);
    else if (c >= 97 && c <= 122) out += String.fromCharCode(((c - 84) % 26) + 97);
    else out += s[i];
  }
  return out;
}

function reverse(s: string): string {
  let out = '';
  for (let i = s.length - 1; i >= 0; i--) out += s[i];
  return out;
}

// ---- cheap necessary conditions ---------------------------------------------------------------------------
// A base64 blob is a run of at least 16 base64 characters; a hex blob (plain or separated by space, ':', ',' or
// '-') a run of at least 16 characters of hex digits and those separators, unless written \x41… or 0x41…. One
// pass over the text measures the longest runs; the regexes only run when a blob is possible.

const B64 = 1;
const HEX = 2;
const CHAR_CLASS = new Uint8Array(128);
for (let c = 0; c < 128; c++) {
  const ch = String.fromCharCode(c);
  if (/[A-Za-z0-9+/_-]/.test(ch)) CHAR_CLASS[c]! |= B64;
  if (/[0-9A-Fa-f :,-]/.test(ch)) CHAR_CLASS[c]! |= HEX;
}

function longestRuns(text: string): { b64: number; hex: number } {
  let b64 = 0;
  let hex = 0;
  let runB64 = 0;
  let runHex = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    const k = c < 128 ? CHAR_CLASS[c]! : 0;
    if (k & B64) {
      if (++runB64 > b64) b64 = runB64;
    } else runB64 = 0;
    if (k & HEX) {
      if (++runHex > hex) hex = runHex;
    } else runHex = 0;
  }
  return { b64, hex };
}

function base64Candidates(text: string, out: DecodedPayload[]): void {
  BASE64_RE.lastIndex = 0;
  for (let m = BASE64_RE.exec(text); m; m = BASE64_RE.exec(text)) {
    const s = m[0];
    // Text encoded in base64 mixes cases; a plain long word or an all-digit number does not.
    if (!/[a-z]/.test(s) || !/[A-Z0-9]/.test(s) || /^[0-9A-Fa-f]+$/.test(s)) continue;
    const body = s.replace(/=+$/, '');
    if (body.length % 4 === 1) continue;
    const decoded = decodeBytes(Buffer.from(body.replace(/-/g, '+').replace(/_/g, '/'), 'base64'));
    if (decoded && looksLikeText(decoded)) out.push({ encoding: 'base64', start: m.index, end: m.index + s.length, decoded });
  }
}

function hexCandidates(text: string, out: DecodedPayload[]): void {
  for (const re of [HEX_RE, HEX_SEP_RE]) {
    re.lastIndex = 0;
    for (let m = re.exec(text); m; m = re.exec(text)) {
      const hex = m[0].replace(/\\x|0x|[ :,-]/g, '');
      if (hex.length % 2 !== 0) continue;
      const decoded = decodeBytes(Buffer.from(hex, 'hex'));
      if (decoded && looksLikeText(decoded)) out.push({ encoding: 'hex', start: m.index, end: m.index + m[0].length, decoded });
    }
  }
}

function urlCandidates(text: string, out: DecodedPayload[]): void {
  if (!text.includes('%')) return;
  URL_RE.lastIndex = 0;
  for (let m = URL_RE.exec(text); m; m = URL_RE.exec(text)) {
    let decoded: string;
    try {
      decoded = decodeURIComponent(m[0].replace(/\+/g, ' '));
    } catch {
      continue;
    }
    if (looksLikeText(decoded)) out.push({ encoding: 'url', start: m.index, end: m.index + m[0].length, decoded });
  }
}

// A word's readings as a function word: as written, once ROT13-decoded, once reversed (both transforms are
// one-to-one, so "rot13(w) is a stopword" is "w is the rot13 of a stopword").
const AS_IS = 1;
const ROT13 = 2;
const REVERSED = 4;
const STOP_READINGS = new Map<string, number>();
for (const w of STOPWORDS) {
  STOP_READINGS.set(w, (STOP_READINGS.get(w) ?? 0) | AS_IS);
  STOP_READINGS.set(rot13(w), (STOP_READINGS.get(rot13(w)) ?? 0) | ROT13);
  STOP_READINGS.set(reverse(w), (STOP_READINGS.get(reverse(w)) ?? 0) | REVERSED);
}
const STOP_MAX = Math.max(...[...STOP_READINGS.keys()].map((w) => w.length));

// Letters (\p{L}), per BMP code unit: 0 not known yet, 1 letter, 2 not a letter.
const LETTER_RE = /^\p{L}$/u;
const BMP_LETTER = new Uint8Array(0x10000);

function isLetter(cp: number): boolean {
  if (cp < 128) return (cp >= 97 && cp <= 122) || (cp >= 65 && cp <= 90);
  if (cp > 0xffff) return LETTER_RE.test(String.fromCodePoint(cp));
  let k = BMP_LETTER[cp]!;
  if (k === 0) BMP_LETTER[cp] = k = LETTER_RE.test(String.fromCharCode(cp)) ? 1 : 2;
  return k === 1;
}

/** ROT13 or reversed text: decoded when asked for (a "rot13" hint) or when the decoded form reads clearly better
 *  (many more common function words) than the text as written. Words are the \p{L}+ runs of the lower-cased
 *  text; the transformed text is only built when it reads clearly better. */
function wholeTextCandidates(text: string, out: DecodedPayload[]): void {
  const lower = text.toLowerCase();
  let words = 0;
  let asIs = 0;
  let rot = 0;
  let rev = 0;
  for (let i = 0; i < lower.length; ) {
    const cp = lower.codePointAt(i)!;
    if (!isLetter(cp)) {
      i += cp > 0xffff ? 2 : 1;
      continue;
    }
    const start = i;
    i += cp > 0xffff ? 2 : 1;
    for (let c = lower.codePointAt(i); c !== undefined && isLetter(c); c = lower.codePointAt(i)) i += c > 0xffff ? 2 : 1;
    words++;
    if (i - start <= STOP_MAX) {
      const k = STOP_READINGS.get(lower.slice(start, i));
      if (k !== undefined) {
        asIs += k & AS_IS;
        rot += (k & ROT13) >> 1;
        rev += (k & REVERSED) >> 2;
      }
    }
  }
  if (words < 4) return;
  const readsBetter = (stop: number) => stop >= 2 && stop >= 3 * Math.max(1, asIs) && stop >= 0.2 * words;
  if (ROT13_HINT_RE.test(text) || readsBetter(rot)) {
    out.push({ encoding: 'rot13', start: 0, end: text.length, decoded: rot13(text) });
  }
  if (readsBetter(rev)) {
    out.push({ encoding: 'reversed', start: 0, end: text.length, decoded: [...text].reverse().join('') });
  }
}

/** Every encoded blob in `text` that decodes to readable text. */
export function findEncodedPayloads(text: string): DecodedPayload[] {
  const out: DecodedPayload[] = [];
  const runs = longestRuns(text);
  if (runs.b64 >= 16) base64Candidates(text, out);
  if (runs.hex >= 16 || text.includes('\\x') || text.includes('0x')) hexCandidates(text, out);
  urlCandidates(text, out);
  wholeTextCandidates(text, out);
  return out;
}
