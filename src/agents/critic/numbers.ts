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
  const after = lower.slice(end, end + 24);
  for (const [cls, re] of UNIT_AFTER) if (re.test(after)) return cls;
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
// that matches wins). The month-name alternatives are only compiled in for texts that name a month.
const DATE_WORDS = [
  `(?<dmy>\\b\\d{1,2}(?:er|st|nd|rd|th|º)?\\s+(?:de\\s+)?(?:${MONTH_ALT})\\.?(?:\\s+(?:de\\s+)?\\d{4})?)(?![a-z])`,
  `(?<mdy>\\b(?:${MONTH_ALT})\\.?\\s+\\d{1,2}(?:st|nd|rd|th)?(?:,?\\s+\\d{4})?)(?![a-z\\d])`,
];
const OTHERS = [
  /(?<time>\b\d{1,2}[:h]\d{2}\b)/.source,
  /(?<slash>\b\d{1,4}\/\d{1,2}(?:\/\d{2,4})?\b)/.source,
  /(?<grouped>\b\d{1,5}(?:-\d{2,6}){2,}\b|\b\d{1,4}(?:[ \u00A0\u202F]\d{4}){2,}\b)/.source,
  /(?<alnum>\b(?:[a-zº]+\d|\d+[a-zº])[a-zº\d]*\b)/.source,
  /(?<num>\d{1,3}(?:(?:,|\.|[ \u00A0\u202F](?=\d{3}(?!\d)))\d{3})+(?:[.,]\d+)?(?![-–/]\d)|\d+(?:[.,]\d+)?)/.source,
];
const ISO = /(?<iso>\b\d{4}-\d{1,2}-\d{1,2}\b)/.source;
const NUMBER_WITH_DATES_RE = new RegExp([ISO, ...DATE_WORDS, ...OTHERS].join('|'), 'g');
const NUMBER_RE = new RegExp([ISO, ...OTHERS].join('|'), 'g');
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
  const s = raw.replace(/[\u00A0\u202F]/g, ' ');
  const grouped = /^\d{1,3}(?:([,. ])\d{3})+(?:([.,])(\d+))?$/.exec(s);
  if (grouped) {
    const sep = grouped[1]!;
    const dec = grouped[2];
    if (dec && dec !== sep) return [[canon(Number(`${s.slice(0, s.lastIndexOf(dec)).replace(/[,. ]/g, '')}.${grouped[3]}`))]];
    const whole = canonInt(s.replace(/[,. ]/g, ''));
    if (sep === ' ') return [[whole], s.split(' ').map((p) => canonInt(p))];
    // "1,240" / "1.240": thousands in most locales, decimal in others; with one group both readings stand.
    const groups = s.split(sep).length;
    return groups === 2 ? [[whole], [canon(Number(s.replace(sep, '.')))]] : [[whole]];
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

/** The numbers of `text`, each with the normalised readings it can be matched by. */
export function extractNumbers(text: string, skip: readonly { start: number; end: number }[] = []): NumberMention[] {
  const out: NumberMention[] = [];
  // Accents removed for matching month names; offsets stay valid only when no character decomposes into two, else
  // the text is scanned as is.
  let scanText = text.toLowerCase();
  if (/[^\x00-\x7f]/.test(scanText)) {
    const stripped = scanText.normalize('NFD').replace(/[\u0300-\u036f]/g, '');
    if (stripped.length === text.length) scanText = stripped;
  }
  if (!/\d/.test(scanText)) return out;
  const scanner = MONTH_HINT_RE.test(scanText) ? NUMBER_WITH_DATES_RE : NUMBER_RE;
  scanner.lastIndex = 0;
  for (let m = scanner.exec(scanText); m; m = scanner.exec(scanText)) {
    const start = m.index;
    const end = start + m[0].length;
    if (skip.some((s) => start < s.end && s.start < end)) continue;
    const g = m.groups!;
    const raw = text.slice(start, end);
    let unitClass: UnitClass = 'none';
    // A list marker ("1. Unplug…", "2) Descale…") is not a quantity.
    if (g.num && /^\d{1,2}$/.test(g.num) && /(?:^|\n)[ \t]*$/.test(text.slice(Math.max(0, start - 8), start)) && /^[.)][ \t]/.test(text.slice(end, end + 2))) continue;
    let readings: string[][];
    if (g.iso) {
      const [y, mo, d] = g.iso.split('-');
      readings = dateReadings(y, Number(mo), Number(d), false);
    } else if (g.dmy) {
      const p = /^(\d{1,2})\D*?\s+(?:de\s+)?([a-z]+)\.?(?:\s+(?:de\s+)?(\d{4}))?/.exec(g.dmy)!;
      readings = dateReadings(p[3], MONTHS[p[2]!] ?? 0, Number(p[1]), true);
    } else if (g.mdy) {
      const p = /^([a-z]+)\.?\s+(\d{1,2})\D*?(?:,?\s+(\d{4}))?$/.exec(g.mdy)!;
      readings = dateReadings(p[3], MONTHS[p[1]!] ?? 0, Number(p[2]), true);
    } else if (g.time) {
      const [h, mi] = g.time.split(/[:h]/);
      readings = [[`t:${Number(h)}:${mi}`]];
    } else if (g.slash) {
      readings = [[`s:${g.slash.split('/').map(Number).join('/')}`]];
    } else if (g.grouped) {
      readings = [[`id:${g.grouped.replace(/\D/g, '')}`]];
    } else if (g.alnum) {
      const unitMatch = UNIT_SUFFIX.exec(g.alnum);
      // A single digit inside a word (B2B, H2O, E5, USB3) is a name, not a quantity.
      if (!unitMatch && (g.alnum.match(/\d/g)?.length ?? 0) === 1) continue;
      readings = unitMatch ? numberReadings(unitMatch[1]!) : [[`w:${g.alnum}`]];
      if (unitMatch) unitClass = unitOf(scanText, start, end, unitMatch[2]);
    } else {
      readings = numberReadings(g.num!);
      unitClass = unitOf(scanText, start, end);
    }
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
 *  (phones, street addresses) count as identifiers. */
export function factKeys(facts: string, idSpans: readonly { start: number; end: number }[] = []): Set<string> {
  const keys = new Set<string>();
  for (const n of extractNumbers(facts)) {
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

/** The numbers of `reply` that no reading of the facts supports. */
export function unsupportedNumbers(reply: string, facts: string | Set<string>, skip: readonly { start: number; end: number }[] = []): NumberMention[] {
  const keys = typeof facts === 'string' ? factKeys(facts) : facts;
  // A number with a unit needs the same value with the same unit, or with no unit at all (not an identifier).
  const has = (k: string, unit: UnitClass) =>
    !k.startsWith('n:') || unit === 'none' || unit === 'id' ? keys.has(k) : keys.has(`${k}|${unit}`) || keys.has(`${k}|none`);
  return extractNumbers(reply, skip).filter((n) => !n.readings.some((r) => r.every((k) => has(k, n.unit))));
}
