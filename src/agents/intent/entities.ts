// Entity extraction for customer messages: order numbers, emails, phone numbers, money amounts and catalogue
// products. Regexes are compiled once; libphonenumber-js (~50 µs a call, ~100 ms to load) only runs on messages
// with enough digits to hold a phone number, and is loaded on first use or by warmPhoneLibrary().
import { createRequire } from 'node:module';
import type { CountryCode, findPhoneNumbersInText as FindPhones } from 'libphonenumber-js';
import type { Entities, Language, Product } from '../runtime/contracts.js';
import { normalize, tokenize } from './text.js';

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
const DIGIT = /\d/g;
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

/** Title words too generic to name a product on their own ("coffee", "home", the shop's name). */
const GENERIC_WORDS = new Set([
  'coffee', 'cafe', 'tea', 'home', 'set', 'pack', 'bag', 'kit', 'roll', 'care', 'part', 'replacement', 'glass', 'black', 'white',
  'medium', 'single', 'with', 'and', 'for', 'the', 'of', 'oz', 'ml', 'lb', 'g', 'l', 'cinderfell', 'whole', 'bean', 'new', 'original',
]);

interface ProductIndex {
  titles: string[];
  /** token -> product indices whose title contains it */
  byTitle: Map<string, number[]>;
  /** token -> product indices whose tags contain it */
  byTag: Map<string, number[]>;
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
  return { titles, byTitle, byTag };
}

interface Hit {
  title: Set<string>;
  tags: Set<string>;
  specific: boolean;
}

/**
 * Products named in the message (their titles, catalogue order). A product is named when the message shares a
 * non-generic title word with it, unless another product shares a strict superset of those title words (then that
 * one is meant: "burr grinder" is the Burr Grinder, not the Hand Grinder) or exactly the same words (ambiguous:
 * "the grinder" with two grinders in the catalogue names neither). Tag words break ties the same way.
 */
export function matchProducts(index: ProductIndex, tokens: readonly string[]): string[] {
  if (index.titles.length === 0) return [];
  const hits = new Map<number, Hit>();
  const hit = (i: number): Hit => {
    let h = hits.get(i);
    if (!h) hits.set(i, (h = { title: new Set(), tags: new Set(), specific: false }));
    return h;
  };
  const visit = (tok: string) => {
    const t = index.byTitle.get(tok);
    if (t)
      for (const i of t) {
        const h = hit(i);
        h.title.add(tok);
        if (!GENERIC_WORDS.has(tok)) h.specific = true;
      }
    const g = index.byTag.get(tok);
    if (g) for (const i of g) hit(i).tags.add(tok);
  };
  for (const raw of tokens) {
    const tok = singular(raw);
    visit(tok);
    // Own keys only: a customer's word such as "constructor" must not find Object.prototype's.
    const en = (Object.hasOwn(PRODUCT_WORDS, raw) ? PRODUCT_WORDS[raw] : undefined) ?? (Object.hasOwn(PRODUCT_WORDS, tok) ? PRODUCT_WORDS[tok] : undefined);
    if (en) for (const w of en) if (w !== tok) visit(w);
  }
  const cands: [number, Hit][] = [];
  for (const [i, h] of hits) if (h.specific) cands.push([i, h]);
  const keep: number[] = [];
  for (const [i, a] of cands) {
    let drop = false;
    for (const [j, b] of cands) {
      if (i === j) continue;
      const cmp = compareSets(a.title, b.title);
      if (cmp === 'sub') drop = true;
      else if (cmp === 'equal' && compareSets(a.tags, b.tags) !== 'super') drop = true;
      if (drop) break;
    }
    if (!drop) keep.push(i);
  }
  keep.sort((x, y) => x - y);
  return keep.map((i) => index.titles[i]!);
}

/** 'sub': a is a strict subset of b; 'super': strict superset; 'equal'; 'other'. */
function compareSets(a: Set<string>, b: Set<string>): 'sub' | 'super' | 'equal' | 'other' {
  let aInB = true;
  for (const x of a) if (!b.has(x)) aInB = false;
  let bInA = true;
  for (const x of b) if (!a.has(x)) bInA = false;
  if (aInB && bInA) return 'equal';
  if (aInB) return 'sub';
  if (bInA) return 'super';
  return 'other';
}

// ---- extraction ----------------------------------------------------------------------------------------------------

const PHONE_COUNTRIES: Record<Language, CountryCode[]> = { en: ['US'], fr: ['FR', 'CA'], es: ['MX', 'ES'] };

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
): Entities {
  const entities: Entities = { orderNumbers: [], emails: [], phones: [], amounts: [], products: [] };
  const taken: [number, number][] = []; // spans (in `text`) already used by emails and phones

  if (text.includes('@')) {
    for (const m of text.matchAll(EMAIL)) {
      pushUnique(entities.emails, m[0].toLowerCase());
      taken.push([m.index, m.index + m[0].length]);
    }
  }

  const digits = text.match(DIGIT)?.length ?? 0;
  if (digits >= 8) {
    const countries = [...PHONE_COUNTRIES[language], ...(['US', 'FR', 'MX', 'ES'] as CountryCode[]).filter((c) => !PHONE_COUNTRIES[language].includes(c))];
    for (const country of countries) {
      const found = phoneFinder()(text, country).filter((f) => !overlaps(taken, f.startsAt, f.endsAt) && looksLikePhone(text.slice(f.startsAt, f.endsAt)));
      if (found.length === 0) continue;
      for (const f of found) {
        pushUnique(entities.phones, f.number.number);
        taken.push([f.startsAt, f.endsAt]);
      }
      break;
    }
  }
  if (digits >= 7) {
    // Same length as `text` apart from rare characters whose lowercase form is longer; spans are only a guard.
    for (const m of norm.matchAll(LOCAL_PHONE)) {
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
    for (const m of text.matchAll(ORDER_PREFIXED)) {
      const num = m[1]!;
      const start = m.index + m[0].length - num.length;
      const before = normalize(text.slice(Math.max(0, m.index - 14), m.index + 1));
      if (m[0].includes('#') && NOT_ORDER_BEFORE.test(before)) continue;
      addOrder(num, start);
    }
    for (const re of [ORDER_ANCHORED, ORDER_NUMBER_OF]) {
      for (const m of norm.matchAll(re)) {
        const num = m[1]!;
        addOrder(num, m.index + m[0].length - num.length);
      }
    }
  }

  if (digits > 0) {
    // On the normalised text: "dólares" -> "dolares", "USD" -> "usd"; same offsets as `text` in practice.
    const amountSpans: [number, number][] = [];
    for (const re of [AMOUNT_BEFORE, AMOUNT_AFTER]) {
      for (const m of norm.matchAll(re)) {
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

  entities.products = matchProducts(ctx.products, tokens);
  return entities;
}

/** libphonenumber also accepts things like "10234 45.50": insist on a phone-looking span. */
function looksLikePhone(span: string): boolean {
  const d = span.replace(/\D/g, '');
  if (d.length < 8) return false;
  if (span.trim().startsWith('+')) return true;
  // National formats group their digits: "514-555-0199", "(415) 555 0142", "01 99 00 12 34", "55 1234 5678".
  return /[\s().-]/.test(span.trim()) || d.length === 10;
}
