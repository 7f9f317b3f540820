// PII detection for customer messages and replies (en/fr/es): one precompiled regex pass per kind, then a
// validator (libphonenumber-js, Luhn + card IIN, ibantools, national-ID check digits) so that order numbers, prices,
// dates and carrier tracking numbers are not mistaken for PII. Offsets are UTF-16 code units into the input.
import { isIPv6 } from 'node:net';
import { countrySpecs, isValidIBAN } from 'ibantools';
import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js/max';

export const PII_KINDS = ['email', 'phone', 'card', 'iban', 'national_id', 'street_address', 'ip'] as const;
export type PiiKind = (typeof PII_KINDS)[number];

export type NationalIdType = 'us_ssn' | 'ca_sin' | 'es_dni' | 'es_nie' | 'fr_nir';

export interface PiiEntity {
  kind: PiiKind;
  /** Offset of the first UTF-16 code unit in the original text. */
  start: number;
  /** Offset just past the last code unit (text.slice(start, end) === value). */
  end: number;
  value: string;
  /** Finer type where one exists: the national ID scheme, ipv4/ipv6. */
  subtype?: NationalIdType | 'ipv4' | 'ipv6';
}

/** When two detections overlap, the longer wins; at equal length, the more specific kind (higher) wins. */
const SPECIFICITY: Record<PiiKind, number> = {
  card: 7,
  iban: 6,
  national_id: 5,
  email: 4,
  ip: 3,
  phone: 2,
  street_address: 1,
};

// ---- validators (exported for reuse and tests) --------------------------------------------------------------

export function digitsOf(s: string): string {
  return s.replace(/\D+/g, '');
}

export function luhnValid(digits: string): boolean {
  if (!/^\d+$/.test(digits) || digits.length < 2) return false;
  let sum = 0;
  let double = false;
  for (let i = digits.length - 1; i >= 0; i--) {
    let d = digits.charCodeAt(i) - 48;
    if (double) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
    double = !double;
  }
  return sum % 10 === 0;
}

/** A payment-card number: 13–19 digits, an issuer prefix in use (Visa, Mastercard, Amex, Discover, JCB, Diners,
 *  UnionPay, Maestro) and a valid Luhn check digit. Carrier tracking numbers (UPS, Canada Post, USPS) fail this. */
export function isCardNumber(digits: string): boolean {
  const n = digits.length;
  if (n < 13 || n > 19 || !/^\d+$/.test(digits)) return false;
  const p2 = Number(digits.slice(0, 2));
  const p4 = Number(digits.slice(0, 4));
  const issuer =
    digits[0] === '4' || // Visa (13, 16, 19)
    (p2 >= 51 && p2 <= 55) || // Mastercard
    (p4 >= 2221 && p4 <= 2720) || // Mastercard 2-series
    ((p2 === 34 || p2 === 37) && n === 15) || // Amex
    (p2 >= 35 && p2 <= 36) || // JCB, Diners
    p2 === 30 || p2 === 38 || p2 === 39 || // Diners
    p2 === 50 || (p2 >= 56 && p2 <= 69); // Maestro, Discover (6011, 64x, 65), UnionPay (62)
  return issuer && luhnValid(digits);
}

export function isValidIban(raw: string): boolean {
  const iban = raw.replace(/[\s-]+/g, '').toUpperCase();
  const spec = countrySpecs[iban.slice(0, 2)];
  if (!spec?.chars || spec.chars !== iban.length) return false;
  return isValidIBAN(iban);
}

/** US Social Security Number: area 001–899 except 666, group 01–99, serial 0001–9999. */
export function ssnValid(raw: string): boolean {
  const d = digitsOf(raw);
  if (d.length !== 9) return false;
  const area = Number(d.slice(0, 3));
  return area > 0 && area !== 666 && area < 900 && d.slice(3, 5) !== '00' && d.slice(5) !== '0000';
}

/** Canadian Social Insurance Number: 9 digits and a Luhn check digit (8 is the business-number prefix, not a SIN). */
export function sinValid(raw: string): boolean {
  const d = digitsOf(raw);
  return d.length === 9 && d[0] !== '8' && luhnValid(d);
}

const DNI_LETTERS = 'TRWAGMYFPDXBNJZSQVHLCKE';

/** Spanish DNI: 8 digits and the check letter of (number mod 23). */
export function dniValid(raw: string): boolean {
  const m = /^(\d{8})[\s-]?([A-Z])$/i.exec(raw.trim());
  if (!m) return false;
  return DNI_LETTERS[Number(m[1]) % 23] === m[2]!.toUpperCase();
}

/** Spanish NIE: X/Y/Z (read as 0/1/2), 7 digits and the DNI check letter. */
export function nieValid(raw: string): boolean {
  const m = /^([XYZ])[\s-]?(\d{7})[\s-]?([A-Z])$/i.exec(raw.trim());
  if (!m) return false;
  const prefix = 'XYZ'.indexOf(m[1]!.toUpperCase());
  return DNI_LETTERS[Number(`${prefix}${m[2]}`) % 23] === m[3]!.toUpperCase();
}

/** French NIR (numéro de sécurité sociale): 13 characters + a 2-digit key = 97 − (number mod 97); Corsica's 2A/2B
 *  count as 19/18. */
export function nirValid(raw: string): boolean {
  const s = raw.replace(/[\s.]+/g, '').toUpperCase();
  if (!/^[1-478]\d{4}(?:\d{2}|2A|2B)\d{6}\d{2}$/.test(s)) return false;
  const month = Number(s.slice(3, 5));
  if (!((month >= 1 && month <= 12) || (month >= 20 && month <= 42) || (month >= 50 && month <= 99))) return false;
  const body = s.slice(0, 13).replace('2A', '19').replace('2B', '18');
  const key = Number(s.slice(13));
  return key === 97 - Number(BigInt(body) % 97n);
}

// ---- precompiled patterns ------------------------------------------------------------------------------------

// Local parts and domains may hold non-ASCII letters (RFC 6531 / IDN): "zoé.l@exemple.fr"; local parts apostrophes
// ("o'brien@example.com").
const EMAIL_RE =
  /(?<![\p{L}\p{N}_.%+-])[\p{L}\p{N}](?:[\p{L}\p{N}._%+'-]{0,62}[\p{L}\p{N}_%+-])?@(?:[\p{L}\p{N}](?:[\p{L}\p{N}-]{0,61}[\p{L}\p{N}])?\.)+\p{L}{2,24}(?![\p{L}\p{N}_-])/gu;

// Phone candidates: a maximal run of digits and phone separators, validated afterwards (no nested quantifiers, so
// no catastrophic backtracking on long digit strings).
const PHONE_RUN_RE = /(?:\+|\(\+?)?\d(?:[\d()-]|[ \u00A0.](?=[\d(+]))*/g;

const EXTENSION_RE = /^x\d{1,5}(?![\w])/i;

// 13–19 digits, optionally grouped by a space, two spaces, a dash or a dot, letters allowed around them
// ("card4111…"). More digits may follow after a space (an expiry date, a CVV): cards() then cuts the candidate back
// to a card number ending at a group boundary.
const CARD_RE = /(?<![\d_.,-])\d(?:(?:[ .-]| {2})?\d){12,18}(?![\d_]|[.,-]?\d)/g;

// The IBAN start; the length comes from the country's spec.
const IBAN_START_RE = /(?<![A-Za-z0-9])[A-Za-z]{2}\d{2}(?=[ ]?[A-Za-z0-9])/g;

// National IDs, one pass: a bare 9-digit SSN/SIN only after a keyword that names it; otherwise the usual layouts.
const NATIONAL_ID_RE = new RegExp(
  [
    /(?<kw>\b(?<kwName>ssn|social security(?: number| no\.?| #)?|sin|nas|social insurance(?: number)?|num[ée]ro d['’]assurance sociale)\b[\s:#.-]{0,4}(?:is|est|es|:)?\s{0,2}(?<kwDigits>\d{9})(?!\d))/.source,
    /(?<ssn>(?<![\w-])\d{3}(?<ssnSep>[- ])\d{2}\k<ssnSep>\d{4}(?![\w-]|[ ]\d))/.source,
    /(?<sin>(?<![\w-])\d{3}(?<sinSep>[- ])\d{3}\k<sinSep>\d{3}(?![\w-]|[ ]\d))/.source,
    /(?<nir>(?<![\w-])[1-478][ .]?\d{2}[ .]?\d{2}[ .]?(?:\d{2}|2[AB])(?:[ .]?\d){6}[ .]?\d{2}(?![\w]|[ .]\d))/.source,
    /(?<dni>(?<![\w-])\d{8}[- ]?[A-Z](?![\w-]))/.source,
    /(?<nie>(?<![\w-])[XYZ][- ]?\d{7}[- ]?[A-Z](?![\w-]))/.source,
  ].join('|'),
  'gi',
);

const IPV4_OCTET = '(?:25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)';
const IP_RE = new RegExp(
  `(?<v6>(?<![\\w:.])(?:[0-9A-Fa-f]{0,4}:){2,7}(?:\\d{1,3}(?:\\.\\d{1,3}){3}|[0-9A-Fa-f]{1,4})?(?![\\w:.]))` +
    `|(?<v4>(?<![\\w.])${IPV4_OCTET}(?:\\.${IPV4_OCTET}){3}(?![\\w]|\\.\\d))`,
  'g',
);
const VERSION_BEFORE_RE = /(?:version|firmware|v\.?)\s*$/i;

// Street addresses. Names are capitalised words (lower-case particles allowed in fr/es); a number is required.
const CAP = "[A-ZÀ-ÖØ-Þ][\\p{L}'’.-]*";
const EN_SUFFIX =
  '(?:Street|Avenue|Road|Boulevard|Lane|Drive|Court|Place|Terrace|Circle|Parkway|Highway|Square|Trail|Crescent|Close|Alley|St|Ave|Av|Rd|Blvd|Ln|Dr|Ct|Pl|Way|Ter|Cir|Pkwy|Hwy|Sq|Trl|Cres)';
const EN_UNIT = "(?:,?\\s+(?:Apt|Apartment|Suite|Ste|Unit|Fl|Floor|Bldg|apt|suite|unit)\\.?\\s*#?[A-Za-z0-9-]{1,6}|,?\\s+#\\s?\\d{1,5}[A-Za-z]?)?";
const EN_ADDR = (
  `(?<![\\w#.,/-])\\d{1,6}[A-Za-z]?(?:-\\d{1,4})?\\s+(?:(?:[NSEW]\\.?|North|South|East|West)\\s+)?` +
    `(?:(?:[A-Z][A-Za-z'’-]*|\\d{1,3}(?:st|nd|rd|th))\\s+){1,4}${EN_SUFFIX}(?![\\p{L}\\d])\\.?` +
    `(?:\\s+(?:NE|NW|SE|SW|N|S|E|W)(?![\\p{L}\\d]))?${EN_UNIT}` +
    // Typed in lower case: one name word and a common abbreviation ("123 main st").
    `|(?<![\\w#.,/-])\\d{1,5}\\s+[a-z]{3,}\\s+(?:st|ave|blvd|rd)(?![\\p{L}\\d])\\.?`
);
const FR_TYPE =
  "(?:[Rr]ue|[Aa]venue|[Aa]v\\.|[Bb]oulevard|[Bb]d|[Bb]lvd|[Cc]hemin|[Pp]lace|[Aa]ll[ée]e|[Ii]mpasse|[Qq]uai|[Cc]ours|[Rr]oute|[Rr]ang|[Mm]ont[ée]e|[Cc][ôo]te|[Pp]assage|[Ss]quare|[Vv]oie|[Pp]romenade|[Ee]splanade|[Rr]ond-[Pp]oint)";
const FR_PARTICLE = "(?:de la |de l['’]|du |des |de |d['’]|la |le |les |l['’]|et |sur |sous |aux |au )";
const FR_ADDR = `(?<![\\w#.,/-])\\d{1,5}(?:\\s?(?:bis|ter|[A-Da-d])(?![\\p{L}\\d]))?,?\\s+${FR_TYPE}\\s+${FR_PARTICLE}*${CAP}(?:[ ]${FR_PARTICLE}*${CAP}){0,4}`;
const ES_TYPE =
  '(?:[Cc]alle|C/|[Aa]venida|[Aa]vda\\.?|[Aa]v\\.|[Pp]aseo|P[º°]|[Pp]laza|[Pp]za\\.?|[Cc]amino|[Cc]arrera|[Cc]alzada|[Bb]ulevar|[Rr]onda|[Tt]raves[íi]a|[Gg]lorieta|[Cc]arretera|[Cc]tra\\.|[Cc]allej[óo]n|[Pp]rivada|[Cc]errada|[Aa]ndador|[Cc]ircuito|[Pp]rolongaci[óo]n)';
const ES_PARTICLE = '(?:de la |de los |de las |del |de |la |el |los |las |y )';
const ES_ADDR = (
  `(?<![\\p{L}\\d])${ES_TYPE}\\s*${ES_PARTICLE}*(?:${CAP}|\\d{1,2} de ${CAP})(?:[ ]${ES_PARTICLE}*${CAP}){0,4}` +
    `\\s*,?\\s*(?:[Nn][º°o.]\\s*|#\\s*|No\\.\\s*)?\\d{1,5}[A-Za-z]?(?![\\p{L}\\d])` +
    `(?:\\s*,\\s*\\d{1,3}\\s*[º°ª]?\\s*[A-Za-z]?(?![\\p{L}\\d]))?`
);
// One pass for the three languages.
const ADDRESS_RE = new RegExp(`${ES_ADDR}|${FR_ADDR}|${EN_ADDR}`, 'gu');

const ABBREVIATION_END = /(?:^|\s)(?:St|Ave|Av|Rd|Blvd|Ln|Dr|Ct|Pl|Ter|Cir|Pkwy|Hwy|Sq|Trl|Cres|Apt|Ste|av|bd|ch|Avda|Pza|Ctra)\.$/;

const TOKEN_RE = /TOKEN_[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g;

// ---- cheap necessary conditions ---------------------------------------------------------------------------
// Most texts hold no PII of a kind, and the detectors' regexes (look-behinds first) are tried at every position.
// Most kinds need digits in some arrangement: the runs of digits are found once (one plain scan), and a detector
// whose arrangement is absent cannot find anything and does not run. A street number can only start a run, so
// the address regex is only tried there. Each condition is implied by its detector's regex (comments).

/** The runs of ASCII digits of a text, as [start, end) pairs, and what they allow. */
interface Digits {
  runs: number[];
  total: number;
  /** The most digits in one group of runs joined by a single ' ' or '-' (CARD_RE: 13 to 19 such digits). */
  cardGroup: number;
  /** The same with ' ', '-' or '.' as joiners (NATIONAL_ID_RE: every layout has 7 such digits or more: 9 after a
   *  keyword, 3-2-4, 3-3-3, 8 or 7 for a DNI/NIE, 8 after the 2A/2B of a NIR). */
  idGroup: number;
  /** Four runs joined by single dots (IP_RE's IPv4 octets). */
  dotted4: boolean;
  /** A run of 2 digits or more right after two ASCII letters (IBAN_START_RE). */
  ibanStart: boolean;
}

const DIGIT_RUN_RE = /\d+/g;

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

function isAsciiLetter(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
}

/** In a Spanish address the house number follows the street's name, a capitalised word (CAP), perhaps then
 *  spaces, a comma and "nº", "no", "n.", "No." or "#" (ES_ADDR). Going back from the run: over spaces , # . to the
 *  end of a word of [A-Za-z'.-], which holds the name's capital, or is "no"/"n" with the name before it.
 *  Non-ASCII characters are not told apart (any could be a letter, a space, º or °): then the answer is yes. */
function esNumberAt(text: string, start: number): boolean {
  let i = start - 1;
  for (let round = 0; round < 2; round++) {
    for (; i >= 0; i--) {
      const c = text.charCodeAt(i);
      if (!(c === 32 || (c >= 9 && c <= 13) || c === 44 || c === 35 || c === 46)) break;
    }
    const end = i;
    let capital = false;
    for (; i >= 0; i--) {
      const c = text.charCodeAt(i);
      if (c >= 128) return true;
      if (c >= 65 && c <= 90) capital = true;
      else if (!((c >= 97 && c <= 122) || c === 39 || c === 45 || c === 46)) break;
    }
    if (capital) return true;
    const word = text.slice(i + 1, end + 1);
    if (word !== 'no' && word !== 'n') return false;
  }
  return false;
}

const NO_DIGITS: Digits = Object.freeze({ runs: Object.freeze([]) as unknown as number[], total: 0, cardGroup: 0, idGroup: 0, dotted4: false, ibanStart: false });

function digitsIn(text: string): Digits {
  DIGIT_RUN_RE.lastIndex = 0;
  let m = DIGIT_RUN_RE.exec(text);
  if (!m) return NO_DIGITS;
  const runs: number[] = [];
  let total = 0;
  let cardGroup = 0;
  let idGroup = 0;
  let card = 0;
  let id = 0;
  let dots = 0;
  let dotted4 = false;
  let ibanStart = false;
  let prevEnd = -2;
  for (; m; m = DIGIT_RUN_RE.exec(text)) {
    const start = m.index;
    const n = m[0].length;
    runs.push(start, start + n);
    total += n;
    const joiner = start === prevEnd + 1 ? text.charCodeAt(prevEnd) : 0;
    const twoSpaces = start === prevEnd + 2 && text.charCodeAt(prevEnd) === 32 && text.charCodeAt(prevEnd + 1) === 32;
    card = joiner === 32 || joiner === 45 || joiner === 46 || twoSpaces ? card + n : n;
    id = joiner === 32 || joiner === 45 || joiner === 46 ? id + n : n;
    dots = joiner === 46 ? dots + 1 : 0;
    if (card > cardGroup) cardGroup = card;
    if (id > idGroup) idGroup = id;
    if (dots >= 3) dotted4 = true;
    if (n >= 2 && start >= 2 && isAsciiLetter(text.charCodeAt(start - 1)) && isAsciiLetter(text.charCodeAt(start - 2))) ibanStart = true;
    prevEnd = start + n;
  }
  return { runs, total, cardGroup, idGroup, dotted4, ibanStart };
}

// IP_RE: an IPv6 address has two colons with at most four hex digits between them.
const IPV6_HINT = /:[0-9A-Fa-f]{0,4}:/;

// ADDRESS_RE: English and French addresses start with a number after neither a word character nor one of #.,/- ,
// so the regex is only tried there; a Spanish one starts with a street type (ES_TYPE) and ends with a house number
// (then, rarely, the regex runs everywhere).
const ADDRESS_AT_RE = new RegExp(ADDRESS_RE.source, 'uy');
const ES_TYPE_RE = new RegExp(ES_TYPE, 'u');

/** What a Spanish address (ES_ADDR) is made of before its house number: the street type (letters, '/', '.', º, °)
 *  and then spaces, names and particles (letters, ' ’ . -), "12 de" (digits), a comma, "nº"/"No."/"#". Non-ASCII
 *  characters are not told apart (allowed). */
function esBetween(c: number): boolean {
  if (c >= 128) return true;
  return isAsciiLetter(c) || (c >= 48 && c <= 57) || c === 32 || (c >= 9 && c <= 13) || c === 39 || c === 46 || c === 45 || c === 44 || c === 35 || c === 47;
}

/** Whether a Spanish address can end at one of the runs: the run can be a house number (esNumberAt), and a street
 *  type occurs in the stretch of esBetween characters before it (the whole address is in that stretch).
 *  Consecutive stretches that join are searched once (a street type holds no digit, so none spans a run). */
function esAddressPossible(text: string, runs: readonly number[]): boolean {
  let searched = 0; // the stretch before this index was searched, for the previous candidate run
  for (let r = 0; r < runs.length; r += 2) {
    const start = runs[r]!;
    if (!esNumberAt(text, start)) continue;
    let i = start - 1;
    while (i >= searched && esBetween(text.charCodeAt(i))) i--;
    // Reaching the searched part: this stretch joins the previous one (same start), only the new part is left.
    const from = i < searched ? searched : i + 1;
    if (ES_TYPE_RE.test(text.slice(from, start))) return true;
    searched = start;
  }
  return false;
}

// An email's local part is the whole run of [\p{L}\p{N}._%+'-] before its '@' (EMAIL_RE's look-behind refuses a
// start inside such a run), of at most 64 characters, less the quotes it starts with ('jane@example.com'): one try
// per '@', where that run starts.
const EMAIL_AT_RE = new RegExp(EMAIL_RE.source, 'uy');
const LOCAL_PART_CHAR = /^[\p{L}\p{N}._%+'-]$/u;
const ASCII_LOCAL_PART = new Uint8Array(128);
for (let c = 0; c < 128; c++) ASCII_LOCAL_PART[c] = LOCAL_PART_CHAR.test(String.fromCharCode(c)) ? 1 : 0;

/** Where the run of local-part characters ending just before `at` starts; -1 when longer than 64 characters. */
function localPartStart(text: string, at: number): number {
  let i = at;
  for (let n = 0; i > 0; n++) {
    if (n === 64) return LOCAL_PART_CHAR.test(charBefore(text, i)) ? -1 : i;
    const c = text.charCodeAt(i - 1);
    if (c < 128) {
      if (ASCII_LOCAL_PART[c] === 0) break;
      i--;
      continue;
    }
    const ch = charBefore(text, i);
    if (!LOCAL_PART_CHAR.test(ch)) break;
    i -= ch.length;
  }
  return i;
}

/** The code point that ends at `i` (a surrogate pair as one character). */
function charBefore(text: string, i: number): string {
  const c = text.charCodeAt(i - 1);
  if (c >= 0xdc00 && c <= 0xdfff && i >= 2) {
    const h = text.charCodeAt(i - 2);
    if (h >= 0xd800 && h <= 0xdbff) return text.slice(i - 2, i);
  }
  return text.charAt(i - 1);
}

// ---- detectors ----------------------------------------------------------------------------------------------

type Found = PiiEntity;

/** Runs a global regex over the text. When `each` returns false (a candidate failed validation), scanning resumes
 *  one character after the candidate's start, so an overlapping candidate is still found. */
function scan(re: RegExp, text: string, each: (m: RegExpExecArray) => boolean | void): void {
  re.lastIndex = 0;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    if (m[0].length === 0) {
      re.lastIndex++;
      continue;
    }
    if (each(m) === false) re.lastIndex = m.index + 1;
  }
}

/** EMAIL_RE's matches, in order, as scan() finds them: the next match starts at or after `from` and ends with the
 *  first '@' after its start, so it can only start where the local-part run before that '@' starts. */
function emails(text: string, out: Found[], _digits: Digits): void {
  let from = 0;
  for (let at = text.indexOf('@'); at >= 0; at = text.indexOf('@', Math.max(from, at + 1))) {
    let start = localPartStart(text, at);
    while (start >= 0 && start < at && text.charCodeAt(start) === 39) start++; // an opening quote '
    if (start < from || start === at) continue;
    EMAIL_AT_RE.lastIndex = start;
    const m = EMAIL_AT_RE.exec(text);
    if (!m) continue;
    out.push({ kind: 'email', start: m.index, end: m.index + m[0].length, value: m[0] });
    from = m.index + m[0].length;
  }
}

// libphonenumber takes tens of µs per parse; the same numbers (the shop's own line, the customer's) come back in
// every message of a conversation, so results are memoised (bounded, pure: same input, same answer).
const PHONE_MEMO = new Map<string, boolean>();
const PHONE_MEMO_MAX = 2048;

function phoneValid(candidate: string): boolean {
  let valid = PHONE_MEMO.get(candidate);
  if (valid === undefined) {
    valid = phoneValidUncached(candidate);
    if (PHONE_MEMO.size >= PHONE_MEMO_MAX) PHONE_MEMO.delete(PHONE_MEMO.keys().next().value!);
    PHONE_MEMO.set(candidate, valid);
  }
  return valid;
}

/** National formats accepted without a country code: NANP (US/CA), France, Spain, Mexico. */
function phoneValidUncached(candidate: string): boolean {
  const digits = digitsOf(candidate);
  if (digits.length < 7 || digits.length > 15) return false;
  const intl = /^\s*(?:\(\s*)?\+/.test(candidate);
  if (intl) return parsePhoneNumberFromString(candidate)?.isValid() ?? false;
  if (digits.startsWith('00') && digits.length > 9) {
    return parsePhoneNumberFromString(`+${digits.slice(2)}`)?.isValid() ?? false;
  }
  // Shapes that no national plan accepts are rejected before the (slower) library parse.
  if (digits.length === 9 && !/^[6-9]/.test(digits)) return false; // Spain: mobiles 6/7, landlines 8/9
  if (digits.length === 11 && !digits.startsWith('1')) return false; // NANP with its leading 1
  if (digits.length === 8 || digits.length === 7 || digits.length > 11) return false;
  const tries: CountryCode[] =
    digits.length === 9 ? ['ES'] : digits.startsWith('0') ? ['FR', 'MX'] : digits.length === 11 ? ['US'] : ['US', 'MX'];
  return tries.some((c) => parsePhoneNumberFromString(candidate, c)?.isValid() ?? false);
}

/** Whether `s` holds at least `n` ASCII digits. */
function hasDigits(s: string, n: number): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 48 && c <= 57 && --n === 0) return true;
  }
  return false;
}

function phones(text: string, out: Found[], digits: Digits): void {
  if (digits.total < 7) return;
  scan(PHONE_RUN_RE, text, (m) => {
    // A phone has at least 7 digits: a shorter run (a price, an order number, a date) is never one, nor its parts.
    if (!hasDigits(m[0], 7)) return;
    let start = m.index;
    let raw = m[0];
    // Trim trailing separators (and an unbalanced closing parenthesis).
    const trimmed = raw.replace(/[\s.(-]+$/, '');
    raw = trimmed.endsWith(')') && !trimmed.includes('(') ? trimmed.slice(0, -1) : trimmed;
    const before = text[start - 1] ?? '';
    // Part of a word, an order number (#10234, ORD-10234), a price, a path or a version: not a phone.
    if (/[\w@#/$€£.,]/.test(before)) return;
    if (before === '-' && /[A-Za-z0-9]/.test(text[start - 2] ?? '')) return;
    const after = text[start + raw.length] ?? '';
    // An extension written right after the number ("514-555-0123x12") leaves the number a phone.
    const extension = (after === 'x' || after === 'X') && EXTENSION_RE.test(text.slice(start + raw.length, start + raw.length + 8));
    if ((/[\w@/%$€£]/.test(after) && !extension) || (/[.,]/.test(after) && /\d/.test(text[start + raw.length + 1] ?? ''))) return;
    if (/^\d{4}-\d{1,2}-\d{1,2}$/.test(raw) || /^\d{1,3}(?:[.,]\d{3})+$/.test(raw)) return; // a date, a number
    const pieces = [{ s: start, v: raw }];
    if (!phoneValid(raw)) {
      pieces.length = 0;
      // A short number glued on either side ("call 514-555-0123 2 times", "at 5 514-555-0123", a PIN after it):
      // drop it once.
      const lead = /^\d{1,3} +/.exec(raw);
      const tail = / +\d{1,4}$/.exec(raw);
      const rest = tail ? raw.slice(0, tail.index).replace(/[\s.(-]+$/, '') : '';
      if (lead && phoneValid(raw.slice(lead[0].length))) pieces.push({ s: start + lead[0].length, v: raw.slice(lead[0].length) });
      else if (tail && phoneValid(rest)) pieces.push({ s: start, v: rest });
    }
    for (const p of pieces) {
      start = p.s;
      out.push({ kind: 'phone', start, end: start + p.v.length, value: p.v });
    }
  });
}

function cards(text: string, out: Found[], digits: Digits): void {
  if (digits.cardGroup < 13) return;
  CARD_RE.lastIndex = 0;
  for (let m = CARD_RE.exec(text); m; m = CARD_RE.exec(text)) {
    const value = cardIn(m[0]);
    if (value !== undefined) {
      out.push({ kind: 'card', start: m.index, end: m.index + value.length, value });
      CARD_RE.lastIndex = m.index + value.length; // another card may follow ("4111 … 1111 5555 … 4444")
    } else {
      // A card may start at a later group ("order 10234 4111 1111 1111 1111"): at the next one a card issuer's
      // number can start with (2–6).
      CARD_RE.lastIndex = nextIssuerGroup(m[0], m.index);
    }
  }
}

/** The offset in the text of the first group after the first in `candidate` (at `at`) that starts with 2–6; past
 *  the candidate when there is none. */
function nextIssuerGroup(candidate: string, at: number): number {
  for (let i = 1; i < candidate.length; i++) {
    const c = candidate.charCodeAt(i);
    if (c >= 50 && c <= 54 && !isDigit(candidate.charCodeAt(i - 1))) return at + i;
  }
  return at + candidate.length;
}

/** The candidate if it is a card number, else its longest prefix that is and ends where a digit group does
 *  ("4111 1111 1111 1111 12" of "… 12/26"). */
function cardIn(candidate: string): string | undefined {
  if (isCardNumber(digitsOf(candidate))) return candidate;
  let digitCount = 0;
  const ends: number[] = [];
  for (let i = 0; i < candidate.length; i++) {
    if (!isDigit(candidate.charCodeAt(i))) continue;
    digitCount++;
    if (digitCount >= 13 && i + 1 < candidate.length && !isDigit(candidate.charCodeAt(i + 1))) ends.push(i + 1);
  }
  for (let k = ends.length - 1; k >= 0; k--) {
    const prefix = candidate.slice(0, ends[k]);
    if (isCardNumber(digitsOf(prefix))) return prefix;
  }
  return undefined;
}

function ibans(text: string, out: Found[], digits: Digits): void {
  if (!digits.ibanStart) return;
  scan(IBAN_START_RE, text, (m) => {
    const spec = countrySpecs[m[0].slice(0, 2).toUpperCase()];
    if (!spec?.chars) return;
    // Collect spec.chars alphanumerics, allowing single spaces between them.
    let i = m.index;
    let n = 0;
    let end = i;
    while (i < text.length && n < spec.chars) {
      const c = text[i]!;
      if (/[A-Za-z0-9]/.test(c)) {
        n++;
        end = i + 1;
      } else if (c !== ' ' || text[i + 1] === ' ') break;
      i++;
    }
    if (n !== spec.chars || /[A-Za-z0-9]/.test(text[end] ?? '')) return;
    const value = text.slice(m.index, end);
    if (isValidIban(value)) out.push({ kind: 'iban', start: m.index, end, value });
  });
}

function nationalIds(text: string, out: Found[], digits: Digits): void {
  if (digits.idGroup < 7) return;
  const push = (start: number, value: string, subtype: NationalIdType) =>
    out.push({ kind: 'national_id', start, end: start + value.length, value, subtype });
  scan(NATIONAL_ID_RE, text, (m) => {
    const g = m.groups!;
    const v = m[0];
    if (g.kw) {
      const digits = g.kwDigits!;
      const keyword = g.kwName!.toLowerCase();
      const ssn = keyword.startsWith('ssn') || keyword.startsWith('social security');
      if (!(ssn ? ssnValid(digits) : sinValid(digits))) return false;
      push(m.index + v.length - digits.length, digits, ssn ? 'us_ssn' : 'ca_sin');
    } else if (g.ssn && ssnValid(v)) push(m.index, v, 'us_ssn');
    else if (g.sin && sinValid(v)) push(m.index, v, 'ca_sin');
    else if (g.nir && nirValid(v)) push(m.index, v, 'fr_nir');
    // "… 12345678 y …": a lower-case letter after a space is a word (y, a, e), not a check letter.
    else if (g.dni && !/ [a-z]$/.test(v) && dniValid(v)) push(m.index, v, 'es_dni');
    else if (g.nie && !/ [a-z]$/.test(v) && nieValid(v)) push(m.index, v, 'es_nie');
    else return false;
    return true;
  });
}

function ips(text: string, out: Found[], digits: Digits): void {
  if (!digits.dotted4 && !(text.includes(':') && IPV6_HINT.test(text))) return;
  scan(IP_RE, text, (m) => {
    const v = m[0];
    if (m.groups!.v4) {
      if (VERSION_BEFORE_RE.test(text.slice(Math.max(0, m.index - 12), m.index))) return false;
      out.push({ kind: 'ip', start: m.index, end: m.index + v.length, value: v, subtype: 'ipv4' });
      return true;
    }
    if ((v.match(/[0-9A-Fa-f]+/g)?.length ?? 0) < 2 || !isIPv6(v)) return false;
    out.push({ kind: 'ip', start: m.index, end: m.index + v.length, value: v, subtype: 'ipv6' });
    return true;
  });
}

function streetAddresses(text: string, out: Found[], digits: Digits): void {
  if (digits.total === 0) return;
  const each = (m: RegExpExecArray) => {
    let value = m[0].replace(/[\s,]+$/, '');
    // A sentence's full stop is not part of the address; an abbreviation's is ("123 Main St.").
    if (value.endsWith('.') && !ABBREVIATION_END.test(value)) value = value.slice(0, -1);
    out.push({ kind: 'street_address', start: m.index, end: m.index + value.length, value });
  };
  if (esAddressPossible(text, digits.runs)) {
    scan(ADDRESS_RE, text, each);
    return;
  }
  // The matches of ADDRESS_RE in order, as scan() finds them: each starts with a run's first digit (EN_ADDR,
  // FR_ADDR), a number of at most 6 digits followed by a space, a letter (12b, 3 bis, 12 Main), '-' (12-14) or ", ".
  const runs = digits.runs;
  let from = 0;
  for (let r = 0; r < runs.length; r += 2) {
    const start = runs[r]!;
    const end = runs[r + 1]!;
    if (start < from || end - start > 6) continue;
    const b = text.charCodeAt(start - 1); // NaN at the start of the text
    if (isAsciiLetter(b) || b === 95 || b === 35 || b === 46 || b === 44 || b === 47 || b === 45) continue; // [A-Za-z_#.,/-]
    const a = text.charCodeAt(end);
    const spaceAt = (c: number) => c === 32 || (c >= 9 && c <= 13) || c >= 128;
    if (!(spaceAt(a) || isAsciiLetter(a) || a === 45 || (a === 44 && spaceAt(text.charCodeAt(end + 1))))) continue;
    ADDRESS_AT_RE.lastIndex = start;
    const m = ADDRESS_AT_RE.exec(text);
    if (!m) continue;
    each(m);
    from = m.index + m[0].length;
  }
}

// In PII_KINDS order (detectPii calls them directly when all kinds are wanted).
const DETECTORS: Record<PiiKind, (text: string, out: Found[], digits: Digits) => void> = {
  email: emails,
  phone: phones,
  card: cards,
  iban: ibans,
  national_id: nationalIds,
  street_address: streetAddresses,
  ip: ips,
};

export interface DetectOptions {
  /** Only these kinds (default: all). */
  kinds?: readonly PiiKind[];
}

/** Every PII entity in `text`, sorted by offset, without overlaps (the longer, then the more specific, wins).
 *  Vault tokens (`TOKEN_<uuid>`) already in the text are never detected as PII. */
export function detectPii(text: string, options: DetectOptions = {}): PiiEntity[] {
  const digits = digitsIn(text);
  if (digits.total === 0 && !text.includes('@')) return [];
  const found: Found[] = [];
  if (options.kinds) for (const kind of options.kinds) DETECTORS[kind](text, found, digits);
  else {
    emails(text, found, digits);
    phones(text, found, digits);
    cards(text, found, digits);
    ibans(text, found, digits);
    nationalIds(text, found, digits);
    streetAddresses(text, found, digits);
    ips(text, found, digits);
  }
  if (found.length === 0) return found;
  if (text.includes('TOKEN_')) {
    const tokens: [number, number][] = [];
    scan(TOKEN_RE, text, (m) => {
      tokens.push([m.index, m.index + m[0].length]);
    });
    for (let i = found.length - 1; i >= 0; i--) {
      const e = found[i]!;
      if (tokens.some(([s, t]) => e.start < t && s < e.end)) found.splice(i, 1);
    }
  }
  return resolveOverlaps(found);
}

export function resolveOverlaps(found: PiiEntity[]): PiiEntity[] {
  if (found.length <= 1) return found;
  const ranked = [...found].sort(
    (a, b) => b.end - b.start - (a.end - a.start) || SPECIFICITY[b.kind] - SPECIFICITY[a.kind] || a.start - b.start,
  );
  const kept: PiiEntity[] = [];
  for (const e of ranked) {
    if (!kept.some((k) => e.start < k.end && k.start < e.end)) kept.push(e);
  }
  return kept.sort((a, b) => a.start - b.start);
}
