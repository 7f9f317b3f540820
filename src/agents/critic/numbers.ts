// Numbers in a reply and in its facts, normalised so that the same quantity written two ways compares equal:
// "$24.99" = "24.99" = "24,99 $", "1,240" = "1 240" = "1240", "30-day" = "30", "2x" = "2", "09/27" = "9/27",
// "2024-06-14" = "14 June 2024" = "14 juin" (when the facts give no year), "14h30" = "14:30".
// Units count: "3 days" is not supported by "Apt 3" or "3 points", only by a 3 with the same unit or with none.

/** What a number counts, when the text says so. `id` marks identifiers (#62201, Apt 3, +1, a phone's digits). */
export type UnitClass = 'none' | 'id' | 'day' | 'week' | 'month' | 'year' | 'hour' | 'minute' | 'percent' | 'points' | 'money' | 'count';

export interface NumberMention {
  raw: string;
  start: number;
  end: number;
  /** Ways to read the mention: it is supported when ALL keys of ANY reading are in the facts. */
  readings: string[][];
  unit: UnitClass;
}

const UNIT_AFTER: [UnitClass, RegExp][] = [
  ['percent', /^\s?(?:%|pour ?cent|por ?ciento|percent|per cent)/],
  ['money', /^\s?(?:[$€£]|usd|cad|eur|mxn|dollars?|euros?|dolares|pesos?)(?![\p{L}])/u],
  ['points', /^\s?(?:points?|pts?|puntos?)(?![\p{L}])/u],
  ['day', /^\s?-?\s?(?:(?:business|working|calendar) )?(?:days?|jours?|dias?|j)(?![\p{L}])/u],
  ['week', /^\s?-?\s?(?:weeks?|semaines?|semanas?|wks?)(?![\p{L}])/u],
  ['month', /^\s?-?\s?(?:months?|mois|mes|meses)(?![\p{L}])/u],
  ['year', /^\s?-?\s?(?:years?|yrs?|ans?|annees?|anos)(?![\p{L}])/u],
  ['hour', /^\s?-?\s?(?:hours?|hrs?|h|heures?|horas?)(?![\p{L}])/u],
  ['minute', /^\s?-?\s?(?:minutes?|mins?|minutos?)(?![\p{L}])/u],
  ['count', /^\s?(?:x|packs?|pcs|pieces?|items?|units?|bags?|sacs?|bolsas?|paquets?|paquetes?|boxes|boites?|cajas?|bouteilles?|bottles?|botellas?|articles?|articulos?|ct)(?![\p{L}])/u],
];
const UNIT_AFTER_AT = new RegExp(UNIT_AFTER.map(([, re]) => `(${re.source.slice(1)})`).join('|'), 'uy');
const MONEY_BEFORE = /(?:[$€£]|us\$|c\$|ca\$|mx\$)\s?$/;
const ID_BEFORE = /(?:#|\+|\bn[°º]|\bno\.|\bnum(?:ber|ero|éro)?\.?|\bapt\.?|\bapartment|\bsuite|\bste\.?|\bunit|\bfloor|\bpiso|\betage|\bétage|\border|\bcommande|\bpedido|\bticket|\bbillet|\broom|\bbox|\bpo box|\b[a-z]{1,5}-)\s?$/;
const RANGE_GAP = /^\s?(?:-|–|—|to|à|a|and|et|y|or|ou|o)\s?$/;

/** The unit class of the number at [start, end) of `lower` (lower case, no accents). */
function unitOf(lower: string, start: number, end: number, alnumUnit?: string): UnitClass {
  if (alnumUnit) {
    const u = alnumUnit.toLowerCase();
    if (u === 'x' || u === 'ct' || u === 'pcs' || u === 'pc' || u === 'pk') return 'count';
    if (u === 'h' || u === 'hr' || u === 'hrs') return 'hour';
    if (u === 'min' || u === 'mins') return 'minute';
    if (u === 'pts' || u === 'pt') return 'points';
    if (/^(?:days|dias|jours)$/.test(u)) return 'day';
    if (/^(?:ans|an|yr|yrs)$/.test(u)) return 'year';
    return 'none';
  }
  // The first class whose regex matches the 24 characters after the number (none reads past them: at most 17 and a
  // look-ahead), as one sticky regex on the text.
  UNIT_AFTER_AT.lastIndex = end;
  const m = UNIT_AFTER_AT.exec(lower);
  if (m) for (let i = 0; i < UNIT_AFTER.length; i++) if (m[i + 1] !== undefined) return UNIT_AFTER[i]![0];
  const before = lower.slice(Math.max(0, start - 14), start);
  if (MONEY_BEFORE.test(before)) return 'money';
  if (ID_BEFORE.test(before)) return 'id';
  return 'none';
}

const MONTHS: Record<string, number> = {};
const monthNames: [number, string[]][] = [
  [1, ['january', 'jan', 'janvier', 'janv', 'enero', 'ene']],
  [2, ['february', 'feb', 'fevrier', 'fev', 'febrero']],
  [3, ['march', 'mar', 'mars', 'marzo']],
  [4, ['april', 'apr', 'avril', 'avr', 'abril', 'abr']],
  [5, ['may', 'mai', 'mayo']],
  [6, ['june', 'jun', 'juin', 'junio']],
  [7, ['july', 'jul', 'juillet', 'juil', 'julio']],
  [8, ['august', 'aug', 'aout', 'agosto', 'ago']],
  [9, ['september', 'sep', 'sept', 'septembre', 'septiembre', 'setiembre']],
  [10, ['october', 'oct', 'octobre', 'octubre']],
  [11, ['november', 'nov', 'novembre', 'noviembre']],
  [12, ['december', 'dec', 'decembre', 'diciembre', 'dic']],
];
for (const [n, names] of monthNames) for (const name of names) MONTHS[name] = n;
const MONTH_ALT = Object.keys(MONTHS)
  .sort((a, b) => b.length - a.length)
  .join('|');

const UNIT_SUFFIX =
  /^(\d+(?:[.,]\d+)?)(st|nd|rd|th|er|re|e|eme|ème|º|ª|o|a|x|g|kg|mg|ml|l|cl|dl|oz|lb|lbs|mm|cm|m|km|h|hr|hrs|min|mins|s|sec|w|kw|v|mah|gb|mb|tb|k|pt|pts|ct|pcs|pc|pk|bar|ans|an|dias|días|jours|days|yr|yrs)$/i;

// One scanner over the lower-cased, accent-free text; alternatives in priority order (at a given position the first
// that matches wins), each one capture group (numbered, so that a match builds no `groups` object). The month-name
// alternatives are only compiled in for texts that name a month.
type Part = 'iso' | 'dmy' | 'mdy' | 'time' | 'slash' | 'grouped' | 'alnum' | 'num';
const ISO: [Part, string] = ['iso', /(\b\d{4}-\d{1,2}-\d{1,2}\b)/.source];
const DATE_WORDS: [Part, string][] = [
  ['dmy', `(\\b\\d{1,2}(?:er|st|nd|rd|th|º)?\\s+(?:de\\s+)?(?:${MONTH_ALT})\\.?(?:\\s+(?:de\\s+)?\\d{4})?)(?![a-z])`],
  ['mdy', `(\\b(?:${MONTH_ALT})\\.?\\s+\\d{1,2}(?:st|nd|rd|th)?(?:,?\\s+\\d{4})?)(?![a-z\\d])`],
];
const OTHERS: [Part, string][] = [
  ['time', /(\b\d{1,2}[:h]\d{2}\b)/.source],
  ['slash', /(\b\d{1,4}\/\d{1,2}(?:\/\d{2,4})?\b)/.source],
  ['grouped', /(\b\d{1,5}(?:-\d{2,6}){2,}\b|\b\d{1,4}(?:[ \u00A0\u202F]\d{4}){2,}\b)/.source],
  ['alnum', /(\b(?:[a-zº]+\d|\d+[a-zº])[a-zº\d]*\b)/.source],
  ['num', /(\d{1,3}(?:(?:,|\.|[ \u00A0\u202F](?=\d{3}(?!\d)))\d{3})+(?:[.,]\d+)?(?![-–/]\d)|\d+(?:[.,]\d+)?)/.source],
];

interface Scanner {
  re: RegExp;
  /** parts[i]: what capture group i + 1 is. */
  parts: Part[];
  /** Whether a month name may start a match (mdy). */
  dates: boolean;
}

function scanner(alternatives: [Part, string][]): Scanner {
  return {
    re: new RegExp(alternatives.map(([, source]) => source).join('|'), 'g'),
    parts: alternatives.map(([part]) => part),
    dates: alternatives.some(([part]) => part === 'mdy'),
  };
}

// Every match holds a digit, and starts at its first digit, or at the letters right before it (alnum: "v2",
// "abc123"), or at a month name then spaces before it (mdy: "june  14"). So the scanner need not try the text
// between numbers: from the end of a match, the next match starts no earlier than matchStartBefore(the next digit).
const DIGIT_RE = /\d/g;
const MONTH_MAX = Math.max(...Object.keys(MONTHS).map((m) => m.length));

/** \s, and more (all control characters): a superset is safe here. */
function isSpace(c: number): boolean {
  return c <= 32 || c === 0xa0 || c === 0x1680 || (c >= 0x2000 && c <= 0x200a) || c === 0x2028 || c === 0x2029 || c === 0x202f || c === 0x205f || c === 0x3000 || c === 0xfeff;
}

/** The earliest position where a match whose first digit is at `d` can start. */
function matchStartBefore(s: string, d: number, dates: boolean): number {
  let w = d;
  for (let c = s.charCodeAt(w - 1); (c >= 97 && c <= 122) || c === 0xba; c = s.charCodeAt(w - 1)) w--; // [a-zº]
  if (dates) {
    let j = d;
    while (j > 0 && isSpace(s.charCodeAt(j - 1))) j--;
    if (j < d) {
      if (s.charCodeAt(j - 1) === 46) j--; // the month's '.'
      w = Math.min(w, Math.max(0, j - MONTH_MAX));
    }
  }
  return w;
}

const NUMBER_WITH_DATES = scanner([ISO, ...DATE_WORDS, ...OTHERS]);
const NUMBERS = scanner([ISO, ...OTHERS]);
const MONTH_HINT_RE = new RegExp(`(?:\\d\\s+(?:de\\s+)?|\\b)(?:${MONTH_ALT})\\b`);

function canon(n: number): string {
  return `n:${Number.isInteger(n) ? String(n) : String(Number(n.toFixed(6)))}`;
}

/** Integers as strings (no precision loss on long numbers), without leading zeros. */
function canonInt(digits: string): string {
  return `n:${digits.replace(/^0+(?=\d)/, '')}`;
}

/** Readings of a plain number, resolving "," and "." (thousands vs decimal) and spaced thousands. */
function numberReadings(raw: string): string[][] {
  const s = raw.includes('\u00A0') || raw.includes('\u202F') ? raw.replace(/[\u00A0\u202F]/g, ' ') : raw;
  const grouped = /^\d{1,3}(?:([,. ])\d{3})+(?:([.,])(\d+))?$/.exec(s);
  if (grouped) {
    const sep = grouped[1]!;
    const dec = grouped[2];
    if (dec && dec !== sep) return [[canon(Number(`${s.slice(0, s.lastIndexOf(dec)).replace(/[,. ]/g, '')}.${grouped[3]}`))]];
    const whole = canonInt(s.replace(/[,. ]/g, ''));
    if (sep === ' ') return [[whole], s.split(' ').map((p) => canonInt(p))];
    // "1,240" / "1.240": thousands in most locales, decimal in others; with one group both readings stand.
    const oneGroup = s.indexOf(sep) === s.lastIndexOf(sep);
    return oneGroup ? [[whole], [canon(Number(s.replace(sep, '.')))]] : [[whole]];
  }
  // A long integer may be an id written without grouping ("7023456789012345" = "7023 4567 8901 2345").
  if (/^\d+$/.test(s)) return s.length >= 7 ? [[canonInt(s)], [`id:${s}`]] : [[canonInt(s)]];
  return [[canon(Number(s.replace(',', '.')))]];
}

function dateReadings(year: string | undefined, month: number, day: number, textual: boolean): string[][] {
  const md = `${month}-${day}`;
  if (year) return [[`d:${Number(year)}-${md}`], [`md:${md}`]];
  return textual ? [[`md:${md}`], [`mdx:${md}`]] : [[`md:${md}`]];
}

// Non-ASCII characters that NFD leaves alone and that are not combining marks: a text of ASCII and these stays as it
// is through the accent stripping below (which then need not run).
const INERT = [...'’‘“”«»•·—–…€£¥¡¿°ºª\u00A0\u202F'].filter((c) => c.normalize('NFD') === c && !/\p{M}/u.test(c));
const NOT_INERT_RE = new RegExp(`[^\\x00-\\x7f${INERT.join('')}]`);

/** Whether the number at [start, end) of `text` (one or two digits) begins a line and is followed by '.' or ')' and
 *  a space or tab. */
function isListMarker(text: string, start: number, end: number): boolean {
  const a = text.charCodeAt(end);
  const b = text.charCodeAt(end + 1);
  return (a === 46 || a === 41) && (b === 32 || b === 9) && /(?:^|\n)[ \t]*$/.test(text.slice(Math.max(0, start - 8), start));
}

/** The text the numbers are read in: lower case, accents removed for matching month names. Offsets stay valid only
 *  when no character decomposes into two, else the text is read as is (`keepsLength` false). */
function scanTextOf(text: string): { scanText: string; keepsLength: boolean } {
  const lower = text.toLowerCase();
  if (!NOT_INERT_RE.test(lower)) return { scanText: lower, keepsLength: true };
  const stripped = lower.normalize('NFD').replace(/[\u0300-\u036f]/g, '');
  return stripped.length === text.length ? { scanText: stripped, keepsLength: true } : { scanText: lower, keepsLength: false };
}

/** What extractNumbers decides for a text as a whole: whether month names are read (the text names one), and
 *  whether accents are removed without changing its length. */
export interface NumberScanInfo {
  dates: boolean;
  keepsLength: boolean;
}

export function numberScanInfo(text: string): NumberScanInfo {
  const { scanText, keepsLength } = scanTextOf(text);
  return { dates: MONTH_HINT_RE.test(scanText), keepsLength };
}

/** The numbers of `text`, each with the normalised readings it can be matched by. `dates` overrides whether month
 *  names are read (by default: when the text names a month). */
export function extractNumbers(text: string, skip: readonly { start: number; end: number }[] = [], dates?: boolean): NumberMention[] {
  const out: NumberMention[] = [];
  const { scanText } = scanTextOf(text);
  DIGIT_RE.lastIndex = 0;
  if (!DIGIT_RE.test(scanText)) return out;
  const { re: scanner, parts, dates: monthNames } = (dates ?? MONTH_HINT_RE.test(scanText)) ? NUMBER_WITH_DATES : NUMBERS;
  // The matches of a global scan from 0, in order (see matchStartBefore).
  for (let from = 0; ; ) {
    DIGIT_RE.lastIndex = from;
    const digit = DIGIT_RE.exec(scanText);
    if (!digit) break;
    scanner.lastIndex = Math.max(from, matchStartBefore(scanText, digit.index, monthNames));
    const m = scanner.exec(scanText);
    if (!m) break;
    from = scanner.lastIndex;
    const start = m.index;
    const end = start + m[0].length;
    if (skip.length > 0 && skip.some((s) => start < s.end && s.start < end)) continue;
    let k = 0;
    while (m[k + 1] === undefined) k++;
    const part = parts[k]!;
    const value = m[k + 1]!;
    let unitClass: UnitClass = 'none';
    // A list marker ("1. Unplug…", "2) Descale…") is not a quantity.
    if (part === 'num' && value.length <= 2 && isListMarker(text, start, end)) continue;
    let readings: string[][];
    if (part === 'iso') {
      const [y, mo, d] = value.split('-');
      readings = dateReadings(y, Number(mo), Number(d), false);
    } else if (part === 'dmy') {
      const p = /^(\d{1,2})\D*?\s+(?:de\s+)?([a-z]+)\.?(?:\s+(?:de\s+)?(\d{4}))?/.exec(value)!;
      readings = dateReadings(p[3], MONTHS[p[2]!] ?? 0, Number(p[1]), true);
    } else if (part === 'mdy') {
      const p = /^([a-z]+)\.?\s+(\d{1,2})\D*?(?:,?\s+(\d{4}))?$/.exec(value)!;
      readings = dateReadings(p[3], MONTHS[p[1]!] ?? 0, Number(p[2]), true);
    } else if (part === 'time') {
      const [h, mi] = value.split(/[:h]/);
      readings = [[`t:${Number(h)}:${mi}`]];
    } else if (part === 'slash') {
      readings = [[`s:${value.split('/').map(Number).join('/')}`]];
    } else if (part === 'grouped') {
      readings = [[`id:${value.replace(/\D/g, '')}`]];
    } else if (part === 'alnum') {
      const unitMatch = UNIT_SUFFIX.exec(value);
      // A single digit inside a word (B2B, H2O, E5, USB3) is a name, not a quantity.
      if (!unitMatch && (value.match(/\d/g)?.length ?? 0) === 1) continue;
      readings = unitMatch ? numberReadings(unitMatch[1]!) : [[`w:${value}`]];
      if (unitMatch) unitClass = unitOf(scanText, start, end, unitMatch[2]);
    } else {
      readings = numberReadings(value);
      unitClass = unitOf(scanText, start, end);
    }
    const raw = text.slice(start, end);
    out.push({ raw, start, end, readings, unit: unitClass });
  }
  // "3-5 business days", "7 à 12 jours": the first number of a range has the unit of the second.
  for (let i = out.length - 2; i >= 0; i--) {
    const a = out[i]!;
    const b = out[i + 1]!;
    if (a.unit === 'none' && b.unit !== 'none' && b.unit !== 'id' && RANGE_GAP.test(scanText.slice(a.end, b.start))) a.unit = b.unit;
  }
  return out;
}

/** Every key any reading of any number in `facts` can be matched by (a yearless date in the facts matches any
 *  year; a full date in the facts also matches the same day written without a year). Numbers inside `idSpans`
 *  (phones, street addresses) count as identifiers. `dates` as for extractNumbers. */
export function factKeys(facts: string, idSpans: readonly { start: number; end: number }[] = [], dates?: boolean): Set<string> {
  const keys = new Set<string>();
  for (const n of extractNumbers(facts, [], dates)) {
    const dated = n.readings.some((r) => r.some((k) => k.startsWith('d:')));
    const unit = idSpans.some((s) => n.start < s.end && s.start < n.end) ? 'id' : n.unit;
    for (const reading of n.readings) {
      for (const k of reading) {
        if (k.startsWith('d:')) keys.add(`mdx:${k.slice(k.indexOf('-') + 1)}`);
        // A dated fact supports that date (and the same day written without a year: mdx), not other years.
        else if (dated && k.startsWith('md:')) continue;
        keys.add(k);
        if (k.startsWith('n:')) keys.add(`${k}|${unit}`);
      }
    }
    // Parts of a grouped number also count on their own ("1-800-555-0199" → 555, 199).
    if (n.readings[0]?.[0]?.startsWith('id:')) {
      for (const part of n.raw.match(/\d+/g) ?? []) keys.add(canonInt(part)).add(`${canonInt(part)}|id`);
    }
  }
  return keys;
}

/** Fact keys to look up: a Set, or several (the keys of each fact fragment) seen as one. */
export interface KeyLookup {
  has(key: string): boolean;
}

/** The numbers of `reply` that no reading of the facts supports. */
export function unsupportedNumbers(reply: string, facts: string | KeyLookup, skip: readonly { start: number; end: number }[] = []): NumberMention[] {
  const keys = typeof facts === 'string' ? factKeys(facts) : facts;
  // A number with a unit needs the same value with the same unit, or with no unit at all (not an identifier).
  const has = (k: string, unit: UnitClass) =>
    !k.startsWith('n:') || unit === 'none' || unit === 'id' ? keys.has(k) : keys.has(`${k}|${unit}`) || keys.has(`${k}|none`);
  return extractNumbers(reply, skip).filter((n) => !n.readings.some((r) => r.every((k) => has(k, n.unit))));
}
