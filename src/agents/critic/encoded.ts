// Encoded payloads hidden in a customer message: base64 (and base64url), hex (plain, spaced, \x-escaped), URL
// percent-encoding, ROT13 and reversed text. Each candidate is decoded and kept only when the result reads as text,
// so that the input guardrail can check the decoded text like any other message.
import { looksLikeText, stopwordCount } from './text.js';

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
const WORD_RE = /\p{L}+/gu;

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

/** ROT13 or reversed text: decoded when asked for (a "rot13" hint) or when the decoded form reads clearly better
 *  (many more common function words) than the text as written. */
function wholeTextCandidates(text: string, out: DecodedPayload[]): void {
  const words = text.toLowerCase().match(WORD_RE);
  if (!words || words.length < 4) return;
  const asIs = stopwordCount(words);
  // Judged word by word: the transformed text is only built when it reads clearly better.
  const readsBetter = (transformed: string[]) => {
    const stop = stopwordCount(transformed);
    return stop >= 2 && stop >= 3 * Math.max(1, asIs) && stop >= 0.2 * words.length;
  };
  if (ROT13_HINT_RE.test(text) || readsBetter(words.map(rot13))) {
    out.push({ encoding: 'rot13', start: 0, end: text.length, decoded: rot13(text) });
  }
  if (readsBetter(words.map(reverse))) {
    out.push({ encoding: 'reversed', start: 0, end: text.length, decoded: [...text].reverse().join('') });
  }
}

/** Every encoded blob in `text` that decodes to readable text. */
export function findEncodedPayloads(text: string): DecodedPayload[] {
  const out: DecodedPayload[] = [];
  base64Candidates(text, out);
  hexCandidates(text, out);
  urlCandidates(text, out);
  wholeTextCandidates(text, out);
  return out;
}
