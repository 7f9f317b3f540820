// Entity extraction for customer messages: order numbers, emails, phone numbers, money amounts and catalogue
// products. Regexes are compiled once; libphonenumber-js (~50 µs a call, ~100 ms to load) only runs on messages
// with enough digits to hold a phone number, and is loaded on first use or by warmPhoneLibrary().
import { createRequire } from 'node:module';
import type { CountryCode, findPhoneNumbersInText as FindPhones } from 'libphonenumber-js';
import type { Entities, Language, Product } from '../runtime/contracts.js';
import { HAS_AT, normalize, textFacts, tokenize } from './text.js';
import { newOwnerGeneration, tokenInfo, type TokenInfo } from './tokens.js';

let findPhones: typeof FindPhones | undefined;
function phoneFinder(): typeof FindPhones {
  findPhones ??= (createRequire(import.meta.url)('libphonenumber-js') as { findPhoneNumbersInText: typeof FindPhones }).findPhoneNumbersInText;
  return findPhones;
}

/** Loads libphonenumber-js in the background (after start-up) so that the first phone number costs nothing extra. */
export function warmPhoneLibrary(): void {
  if (!findPhones) setTimeout(() => phoneFinder(), 50).unref();
}

// ---- order numbers --------------------------------------------------------------------------------------------

// "#10234", "# 10234", "ORD-10234", "ord 10234", "ORD10234".
const ORDER_PREFIXED = /(?:^|[^\w#&])(?:#\s?|ord(?:er)?[-_ ]?#?)(\d{4,9})(?![\d,.]?\d)(?!\s?(?:[$€£](?!\s?\d)|(?:usd|cad|eur|mxn|dollars?|euros?|pesos)\b|%))(?!\s?(?:units?|unites?|unidades|pieces|piezas|pcs|bags|sacs|bolsas|kg|lbs?|ml|oz)\b)/giu;
// "order 10234", "order number is 10234", "order no. 10234", "commande n° 10234", "numéro de commande : 10234",
// "pedido número 10234", "orden #10234", "my order is 10234". Applied to normalised (accent-free, lowercase) text.
const ORDER_ANCHORED = new RegExp(
  String.raw`\b(?:orders?|commandes?|pedidos?|ordenes|orden|compras?|achats?|purchases?)` +
    String.raw`(?:\s+(?:number|num|nb|no|nr|numero|n|#)\.?)?` +
    String.raw`(?:\s*(?:is|was|est|es|era|:|=|-))?` +
    String.raw`\s*(?:#|n[o°º]\.?\s*)?\s*(\d{4,9})(?![\d,.]?\d)(?!\s?(?:[$€£](?!\s?\d)|(?:usd|cad|eur|mxn|dollars?|dolares|euros?|pesos)\b|%))` +
    String.raw`(?!\s?(?:units?|unites?|unidades|pieces|piezas|pcs|bags|sacs|bolsas|kg|lbs?|ml|oz)\b)`,
  'g',
);
// "numéro de commande 10234", "number of my order: 10234" style: the keyword comes before "order".
const ORDER_NUMBER_OF = /\b(?:numero|number|num|no|n)\.?\s+(?:de\s+(?:la\s+|mi\s+|ma\s+)?|of\s+(?:my\s+|the\s+)?)?(?:commande|pedido|orden|order|compra)\s*(?::|=|-|es|est|is)?\s*#?\s*(\d{4,9})(?![\d,.]?\d)/g;
// Words before a "#1234" that make it something else than an order.
const NOT_ORDER_BEFORE = /(?:ticket|case|caso|dossier|billet|rma|apt|apartment|appartement|suite|unit|unite|depto|departamento|room|chambre|habitacion|invoice|facture|factura|item|article|articulo|sku|ref|reference|referencia|tracking|suivi|guia|code|codigo|card|carte|tarjeta|gc)\s*[-:#]?\s*$/;

// ---- emails, phones, amounts -----------------------------------------------------------------------------------

const EMAIL = /[a-z0-9][a-z0-9._%+-]*@[a-z0-9-]+(?:\.[a-z0-9-]+)*\.[a-z]{2,}/gi;
// A 7-digit national number right after a phone word: "phone number to 555-0142", "tel: 555 0142".
const LOCAL_PHONE = /\b(?:phone|tel|telephone|telefono|cel|celular|cell|mobile|movil|portable|numero de (?:telephone|telefono|tel|cel))\b[^\d]{0,25}(\d{3}[-. ]?\d{4})(?![-. ]?\d)/g;

const CURRENCY_WORDS = String.raw`(?:dollars?|dolares|dolar|bucks|euros?|pesos|usd|cad|eur|mxn)`;
const NUM = String.raw`(\d{1,3}(?:[ \u00a0\u202f.,]\d{3})+(?:[.,]\d{1,2})?|\d+(?:[.,]\d{1,2})?)`;
// "$45", "$ 45.50", "US$45", "€45", "£45", "USD 45"
const AMOUNT_BEFORE = new RegExp(String.raw`(?:[$€£]|\b(?:usd|cad|eur|mxn)\s?)\s?` + NUM + String.raw`(?![\d])`, 'gi');
// "45 $", "45,50 €", "45 dollars", "45 USD", "1 299,99 $"
const AMOUNT_AFTER = new RegExp(NUM + String.raw`\s?(?:[$€£](?!\s?\d)|` + CURRENCY_WORDS + String.raw`\b)`, 'gi');

/** "1 299,99" / "1.299,99" / "1,299.99" / "45,50" / "5.000" -> number. */
export function parseAmount(raw: string): number | null {
  const s = raw.replace(/[\s\u00a0\u202f]/g, '');
  const lastDot = s.lastIndexOf('.');
  const lastComma = s.lastIndexOf(',');
  let normalized: string;
  if (lastDot >= 0 && lastComma >= 0) {
    const dec = lastDot > lastComma ? '.' : ',';
    const thou = dec === '.' ? ',' : '.';
    normalized = s.split(thou).join('').replace(dec, '.');
  } else if (lastDot >= 0 || lastComma >= 0) {
    const sep = lastDot >= 0 ? '.' : ',';
    const parts = s.split(sep);
    const tail = parts[parts.length - 1] ?? '';
    // One separator followed by exactly 3 digits is a thousands separator ("5.000", "1,299"); else decimal.
    normalized = parts.length > 2 || tail.length === 3 ? parts.join('') : parts.join('.');
  } else normalized = s;
  const n = Number(normalized);
  return Number.isFinite(n) ? n : null;
}

// ---- products ----------------------------------------------------------------------------------------------------

/** Generic product nouns and descriptors in French and Spanish -> the English words catalogue titles use. */
const PRODUCT_WORDS: Record<string, string[]> = {
  moulin: ['grinder'], moulins: ['grinder'], molinillo: ['grinder'], molinillos: ['grinder'], molino: ['grinder'], moledor: ['grinder'],
  bouilloire: ['kettle'], bouilloires: ['kettle'], hervidor: ['kettle'], hervidores: ['kettle'], pava: ['kettle'], tetera: ['kettle', 'teapot'],
  theiere: ['teapot'], theieres: ['teapot'],
  cafetiere: ['press', 'maker'], piston: ['press'], presse: ['press'], prensa: ['press'], francesa: ['french'], francaise: ['french'],
  gotero: ['dripper'], goteros: ['dripper'], filtre: ['filter'], filtres: ['filter'], filtro: ['filter'], filtros: ['filter'],
  tasse: ['mug'], tasses: ['mug'], taza: ['mug'], tazas: ['mug'], gobelet: ['tumbler'], gobelets: ['tumbler'], termo: ['tumbler'], vaso: ['tumbler'],
  balance: ['scale'], bascula: ['scale'], balanza: ['scale'], infuseur: ['infuser'], infusor: ['infuser'], bouteille: ['bottle'], botella: ['bottle'],
  percolateur: ['percolator'], percolador: ['percolator'], machine: ['machine'], maquina: ['machine'], cafetera: ['machine', 'maker'],
  detartrant: ['descaling'], descalcificador: ['descaling'], desincrustante: ['descaling'], cafe: ['coffee'], the: ['tea'], te: ['tea'],
  deca: ['decaf'], decafeine: ['decaf'], descafeinado: ['decaf'], meules: ['burr'], meule: ['burr'], muelas: ['burr'], fresas: ['burr'],
  carte: ['card'], tarjeta: ['card'], cadeau: ['gift'], regalo: ['gift'], cygne: ['gooseneck'], cisne: ['gooseneck'],
  electrique: ['electric'], electrico: ['electric'], electrica: ['electric'], manuel: ['hand'], manual: ['hand'], main: ['hand'], mano: ['hand'],
  verre: ['glass'], vidrio: ['glass'], fonte: ['iron'], hierro: ['iron'], titane: ['titanium'], titanio: ['titanium'], acier: ['steel'], acero: ['steel'],
  trousse: ['kit'], rouleau: ['roll'], tisane: ['herbal', 'tea'], infusion: ['herbal'], poche: ['pocket'], bolsillo: ['pocket'],
  isotherme: ['insulated'], termico: ['insulated'], termica: ['insulated'], emaillee: ['enamel'], esmaltada: ['enamel'], camping: ['camp'],
  filets: ['mesh'], malla: ['mesh'], papier: ['paper'], papel: ['paper'], espresso: ['espresso'], expresso: ['espresso'], cafeteras: ['machine'],
};

// Own entries only: a plain-object lookup would also find "constructor" on Object.prototype.
const PRODUCT_WORD_MAP = new Map<string, string[]>(Object.entries(PRODUCT_WORDS));

/** Title words too generic to name a product on their own ("coffee", "home", the shop's name). */
const GENERIC_WORDS = new Set([
  'coffee', 'cafe', 'tea', 'home', 'set', 'pack', 'bag', 'kit', 'roll', 'care', 'part', 'replacement', 'glass', 'black', 'white',
  'medium', 'single', 'with', 'and', 'for', 'the', 'of', 'oz', 'ml', 'lb', 'g', 'l', 'cinderfell', 'whole', 'bean', 'new', 'original',
  // Words of everyday speech: "I burned my hand" names no Hand Grinder ("my hand grinder" still does, by "grinder").
  'hand',
]);

interface ProductIndex {
  titles: string[];
  /**
   * This index's generation (a fresh number per index): token records remember which index their product word
   * numbers are for by this number, so that they keep no reference to a catalogue that has been replaced.
   */
  gen: number;
  /** Title words that are not GENERIC_WORDS: a message without one of them names no product. */
  specific: Set<string>;
  /** The title and tag words, numbered; by number: the products with it in their title, in their tags, generic. */
  words: Map<string, number>;
  titleOf: number[][];
  tagOf: number[][];
  generic: Uint8Array;
  /**
   * matchProducts' scratch. Per product: generation stamp, whether a specific title word was met, and the title
   * and tag words met (word numbers, in slices of titleWords/tagWords of the product's capacity, with counts).
   */
  scratch: {
    gen: number;
    stamp: Int32Array;
    specific: Uint8Array;
    hits: Int32Array;
    titleAt: Int32Array;
    titleCount: Int32Array;
    titleWords: Int32Array;
    tagAt: Int32Array;
    tagCount: Int32Array;
    tagWords: Int32Array;
  };
}

function singular(tok: string): string {
  if (tok.length > 4 && /(?:ss|sh|ch|x)es$/.test(tok)) return tok.slice(0, -2);
  if (tok.length > 3 && tok.endsWith('s') && !tok.endsWith('ss')) return tok.slice(0, -1);
  return tok;
}

function productTokens(text: string): string[] {
  return tokenize(normalize(text)).filter((t) => !/^\d/.test(t)).map(singular);
}

export function indexProducts(products: readonly Product[]): ProductIndex {
  const titles: string[] = [];
  const byTitle = new Map<string, number[]>();
  const byTag = new Map<string, number[]>();
  const add = (map: Map<string, number[]>, tok: string, i: number) => {
    const list = map.get(tok);
    if (!list) map.set(tok, [i]);
    else if (!list.includes(i)) list.push(i);
  };
  products.forEach((p, i) => {
    titles.push(p.title);
    for (const tok of productTokens(p.title)) add(byTitle, tok, i);
    // Tags describe the product ("manual", "burr", "gooseneck"): they break ties, they never name it alone.
    for (const tag of p.tags) for (const tok of productTokens(tag)) add(byTag, tok, i);
  });
  const specific = new Set<string>();
  for (const tok of byTitle.keys()) if (!GENERIC_WORDS.has(tok)) specific.add(tok);
  const words = new Map<string, number>();
  for (const w of [...byTitle.keys(), ...byTag.keys()]) if (!words.has(w)) words.set(w, words.size);
  const titleOf: number[][] = [];
  const tagOf: number[][] = [];
  const generic = new Uint8Array(words.size);
  for (const [w, k] of words) {
    titleOf[k] = byTitle.get(w) ?? [];
    tagOf[k] = byTag.get(w) ?? [];
    generic[k] = GENERIC_WORDS.has(w) ? 1 : 0;
  }
  // Room per product for each distinct title (tag) word that can be met.
  const n = titles.length;
  const titleAt = new Int32Array(n + 1);
  const tagAt = new Int32Array(n + 1);
  for (const list of titleOf) for (const i of list) titleAt[i + 1]!++;
  for (const list of tagOf) for (const i of list) tagAt[i + 1]!++;
  for (let i = 0; i < n; i++) {
    titleAt[i + 1]! += titleAt[i]!;
    tagAt[i + 1]! += tagAt[i]!;
  }
  const scratch = {
    gen: 0,
    stamp: new Int32Array(n),
    specific: new Uint8Array(n),
    hits: new Int32Array(n),
    titleAt,
    titleCount: new Int32Array(n),
    titleWords: new Int32Array(titleAt[n]!),
    tagAt,
    tagCount: new Int32Array(n),
    tagWords: new Int32Array(tagAt[n]!),
  };
  return { titles, gen: newOwnerGeneration(), specific, words, titleOf, tagOf, generic, scratch };
}

/**
 * The catalogue words a message token stands for: its singular, then the English words of a French or Spanish
 * product noun (PRODUCT_WORDS, looked up as written, else as singular), except the singular itself.
 */
function lookupWords(raw: string): readonly string[] {
  const tok = singular(raw);
  const en = PRODUCT_WORD_MAP.get(raw) ?? PRODUCT_WORD_MAP.get(tok);
  if (!en) return [tok];
  const words = [tok];
  for (const w of en) if (w !== tok) words.push(w);
  return words;
}

function productWordsOf(info: TokenInfo): readonly string[] {
  return (info.productWords ??= lookupWords(info.text));
}

/** The numbers (ProductIndex.words) of the token's catalogue words, computed once per token and index. */
function productWordIds(index: ProductIndex, info: TokenInfo): Int32Array {
  if (info.productGen !== index.gen) {
    const ids: number[] = [];
    for (const w of productWordsOf(info)) {
      const k = index.words.get(w);
      if (k !== undefined) ids.push(k);
    }
    info.productIds = ids.length ? Int32Array.from(ids) : NO_IDS;
    info.specific = productWordsOf(info).some((x) => index.specific.has(x));
    info.productGen = index.gen;
  }
  return info.productIds!;
}
const NO_IDS = new Int32Array(0);

/**
 * Products named in the message (their titles, catalogue order). A product is named when the message shares a
 * non-generic title word with it, unless another product shares a strict superset of those title words (then that
 * one is meant: "burr grinder" is the Burr Grinder, not the Hand Grinder) or exactly the same words (ambiguous:
 * "the grinder" with two grinders in the catalogue names neither). Tag words break ties the same way.
 */
export function matchProducts(index: ProductIndex, tokens: readonly string[], infos?: readonly TokenInfo[]): string[] {
  if (index.titles.length === 0) return [];
  const n = tokens.length;
  // Only a product sharing a specific (non-generic) title word with the message can be named: most messages
  // share none, and stop here.
  let any = false;
  for (let i = 0; i < n; i++) {
    const info = infos ? infos[i]! : tokenInfo(tokens[i]!);
    productWordIds(index, info);
    if (info.specific) any = true;
  }
  if (!any) return [];
  const sc = index.scratch;
  if (++sc.gen >= 0x3fffffff) {
    sc.gen = 1;
    sc.stamp.fill(0);
  }
  let nHits = 0;
  for (let i = 0; i < n; i++) {
    const ids = productWordIds(index, infos ? infos[i]! : tokenInfo(tokens[i]!));
    for (let k = 0; k < ids.length; k++) {
      // The word's products: the title ones (a specific word makes them candidates), then the tag ones.
      const w = ids[k]!;
      for (const p of index.titleOf[w]!) {
        if (sc.stamp[p] !== sc.gen) nHits = hitProduct(sc, p, nHits);
        if (!has(sc.titleWords, sc.titleAt[p]!, sc.titleCount[p]!, w)) sc.titleWords[sc.titleAt[p]! + sc.titleCount[p]!++] = w;
        if (!index.generic[w]) sc.specific[p] = 1;
      }
      for (const p of index.tagOf[w]!) {
        if (sc.stamp[p] !== sc.gen) nHits = hitProduct(sc, p, nHits);
        if (!has(sc.tagWords, sc.tagAt[p]!, sc.tagCount[p]!, w)) sc.tagWords[sc.tagAt[p]! + sc.tagCount[p]!++] = w;
      }
    }
  }
  const cands: number[] = [];
  for (let h = 0; h < nHits; h++) if (sc.specific[sc.hits[h]!]) cands.push(sc.hits[h]!);
  const keep: number[] = [];
  for (const i of cands) {
    let drop = false;
    for (const j of cands) {
      if (i === j) continue;
      const cmp = compareSets(sc.titleWords, sc.titleAt[i]!, sc.titleCount[i]!, sc.titleAt[j]!, sc.titleCount[j]!);
      if (cmp === 'sub') drop = true;
      else if (cmp === 'equal' && compareSets(sc.tagWords, sc.tagAt[i]!, sc.tagCount[i]!, sc.tagAt[j]!, sc.tagCount[j]!) !== 'super') drop = true;
      if (drop) break;
    }
    if (!drop) keep.push(i);
  }
  keep.sort((x, y) => x - y);
  return keep.map((i) => index.titles[i]!);
}

function hitProduct(sc: ProductIndex['scratch'], p: number, nHits: number): number {
  sc.stamp[p] = sc.gen;
  sc.titleCount[p] = 0;
  sc.tagCount[p] = 0;
  sc.specific[p] = 0;
  sc.hits[nHits] = p;
  return nHits + 1;
}

function has(a: Int32Array, at: number, count: number, v: number): boolean {
  for (let k = at; k < at + count; k++) if (a[k] === v) return true;
  return false;
}

/**
 * Sets as slices of `a` (no repeats): 'sub': a[ai..] is a strict subset of a[bi..]; 'super': strict superset;
 * 'equal'; 'other'.
 */
function compareSets(a: Int32Array, ai: number, an: number, bi: number, bn: number): 'sub' | 'super' | 'equal' | 'other' {
  let aInB = true;
  for (let k = ai; k < ai + an; k++) if (!has(a, bi, bn, a[k]!)) aInB = false;
  let bInA = true;
  for (let k = bi; k < bi + bn; k++) if (!has(a, ai, an, a[k]!)) bInA = false;
  if (aInB && bInA) return 'equal';
  if (aInB) return 'sub';
  if (bInA) return 'super';
  return 'other';
}

// ---- extraction ----------------------------------------------------------------------------------------------------

const PHONE_COUNTRIES: Record<Language, CountryCode[]> = { en: ['US'], fr: ['FR', 'CA'], es: ['MX', 'ES'] };

/**
 * The matches of global regex `re` in `s`, as s.matchAll(re) yields them but without the copy of the RegExp that
 * matchAll makes on every call (none of the patterns here matches the empty string).
 */
function allMatches(re: RegExp, s: string): RegExpExecArray[] {
  const out: RegExpExecArray[] = [];
  re.lastIndex = 0;
  for (let m = re.exec(s); m !== null; m = re.exec(s)) {
    out.push(m);
    if (m[0].length === 0) re.lastIndex++;
  }
  re.lastIndex = 0;
  return out;
}

function pushUnique<T>(list: T[], v: T): void {
  if (!list.includes(v)) list.push(v);
}

function overlaps(spans: [number, number][], start: number, end: number): boolean {
  for (const [s, e] of spans) if (start < e && end > s) return true;
  return false;
}

export interface EntityContext {
  products: ProductIndex;
}

/**
 * All entities of one message. `norm`/`tokens` are the normalised text and its tokens when the caller already has
 * them (the agent computes them once per message).
 */
export function extractEntities(
  text: string,
  language: Language,
  ctx: EntityContext,
  norm: string = normalize(text),
  tokens: readonly string[] = tokenize(norm),
  infos?: readonly TokenInfo[],
): Entities {
  // (Arrays made one by one: a literal holding array literals is copied by a slow runtime path on every call.)
  const orderNumbers: string[] = [];
  const emails: string[] = [];
  const phones: string[] = [];
  const amounts: number[] = [];
  const entities: Entities = { orderNumbers, emails, phones, amounts, products: [] };
  const taken: [number, number][] = []; // spans (in `text`) already used by emails and phones

  const { flags, digits } = textFacts(text);
  if (flags & HAS_AT) {
    for (const m of allMatches(EMAIL, text)) {
      pushUnique(entities.emails, m[0].toLowerCase());
      taken.push([m.index, m.index + m[0].length]);
    }
  }

  if (digits >= 8) {
    const countries = [...PHONE_COUNTRIES[language], ...(['US', 'FR', 'MX', 'ES'] as CountryCode[]).filter((c) => !PHONE_COUNTRIES[language].includes(c))];
    const windows = phoneWindows(text);
    for (const country of countries) {
      const found = windows
        .flatMap((w) => phoneFinder()(w.text, country).map((f) => ({ number: f.number.number, start: w.start + f.startsAt, end: w.start + f.endsAt })))
        .filter((f) => !overlaps(taken, f.start, f.end) && looksLikePhone(text.slice(f.start, f.end)));
      if (found.length === 0) continue;
      for (const f of found) {
        pushUnique(entities.phones, f.number);
        taken.push([f.start, f.end]);
      }
      break;
    }
  }
  if (digits >= 7) {
    // Same length as `text` apart from rare characters whose lowercase form is longer; spans are only a guard.
    for (const m of allMatches(LOCAL_PHONE, norm)) {
      const d = m[1]!.replace(/\D/g, '');
      const start = m.index + m[0].length - m[1]!.length;
      if (overlaps(taken, start, start + m[1]!.length)) continue;
      pushUnique(entities.phones, d);
      taken.push([start, start + m[1]!.length]);
    }
  }

  if (digits >= 4) {
    const addOrder = (num: string, start: number) => {
      if (overlaps(taken, start, start + num.length)) return;
      pushUnique(entities.orderNumbers, num.replace(/^0+(?=\d{4})/, ''));
    };
    for (const m of allMatches(ORDER_PREFIXED, text)) {
      const num = m[1]!;
      const start = m.index + m[0].length - num.length;
      const before = normalize(text.slice(Math.max(0, m.index - 14), m.index + 1));
      if (m[0].includes('#') && NOT_ORDER_BEFORE.test(before)) continue;
      addOrder(num, start);
    }
    for (const re of [ORDER_ANCHORED, ORDER_NUMBER_OF]) {
      for (const m of allMatches(re, norm)) {
        const num = m[1]!;
        addOrder(num, m.index + m[0].length - num.length);
      }
    }
  }

  if (digits > 0) {
    // On the normalised text: "dólares" -> "dolares", "USD" -> "usd"; same offsets as `text` in practice.
    const amountSpans: [number, number][] = [];
    for (const re of [AMOUNT_BEFORE, AMOUNT_AFTER]) {
      for (const m of allMatches(re, norm)) {
        const start = m.index;
        const end = start + m[0].length;
        if (overlaps(amountSpans, start, end) || overlaps(taken, start, end)) continue;
        const v = parseAmount(m[1]!);
        if (v === null) continue;
        amountSpans.push([start, end]);
        pushUnique(entities.amounts, v);
      }
    }
  }

  entities.products = matchProducts(ctx.products, tokens, infos);
  return entities;
}

/** libphonenumber also accepts things like "10234 45.50": insist on a phone-looking span. */
// libphonenumber's matcher tries a parse at every digit it meets: over a 4,096-character run of "1 1 1 …" that took
// 200–350 ms, the event loop blocked for every customer. It reads only stretches of digits and phone separators
// shaped like one or two phone numbers (up to 40 characters, 30 digits and 8 groups, at most 2 of them a single
// digit, as in "+1 800 555 0199" or "+33 1 99 00 12 34"), and the first PHONE_WINDOWS of them; a stretch of another
// shape is read again from its second group.
const PHONE_WINDOW = /[+(]?\d[\d\s().-]{5,38}\d/g;
const PHONE_WINDOWS = 8;

function phoneWindows(text: string): { text: string; start: number }[] {
  const windows: { text: string; start: number }[] = [];
  PHONE_WINDOW.lastIndex = 0;
  for (let m = PHONE_WINDOW.exec(text); m && windows.length < PHONE_WINDOWS; m = PHONE_WINDOW.exec(text)) {
    if (phoneShaped(m[0])) windows.push({ text: m[0], start: m.index });
    else {
      // A phone may follow other numbers ("ref 1 2 3 415-555-0142"): go on from the window's second group.
      const first = /\d+/.exec(m[0])!;
      PHONE_WINDOW.lastIndex = m.index + first.index + first[0].length;
    }
  }
  return windows;
}

function phoneShaped(window: string): boolean {
  const groups = window.match(/\d+/g)!;
  if (groups.length > 8) return false;
  let digits = 0;
  let single = 0;
  for (const g of groups) {
    digits += g.length;
    if (g.length === 1) single++;
  }
  return digits <= 30 && single <= 2;
}

function looksLikePhone(span: string): boolean {
  const d = span.replace(/\D/g, '');
  if (d.length < 8) return false;
  if (span.trim().startsWith('+')) return true;
  // National formats group their digits: "514-555-0199", "(415) 555 0142", "01 99 00 12 34", "55 1234 5678".
  return /[\s().-]/.test(span.trim()) || d.length === 10;
}
