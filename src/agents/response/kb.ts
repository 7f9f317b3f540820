// Turning knowledge-base hits into short quotes. Only hits in the customer's language are ever quoted; when a
// customer writes in French or Spanish and only English KB text exists, compose.ts summarises from policy numbers.
import { LRUCache } from 'lru-cache';
import type { KbHit, Language } from '../runtime/contracts.js';

export interface QuoteOptions {
  /** Prefer hits whose source path matches (e.g. /returns|retours|devoluciones/). */
  source?: RegExp;
  /** Keep only sentences or list items that match. */
  match?: RegExp;
  /** Only hits whose source matches `source` (otherwise they are just preferred). */
  strict?: boolean;
  /** Never quote a unit that matches (e.g. the informal register in a formal reply). */
  avoid?: RegExp;
  maxUnits?: number;
  maxChars?: number;
}

/** Hits in the customer's language, best first: a matching source first, then by score. */
export function hitsIn(hits: readonly KbHit[], language: Language, source?: RegExp, strict = false): KbHit[] {
  const ranked: Ranked[] = [];
  for (const h of hits) {
    if (h.language !== language) continue;
    const preferred = source ? source.test(h.source) : false;
    if (strict && source && !preferred) continue;
    ranked.push({ h, preferred, i: ranked.length });
  }
  // Hits mostly arrive in this order already, and checking is cheaper than sorting even three.
  if (!inRankOrder(ranked)) ranked.sort(byRank);
  return ranked.map(({ h }) => h);
}

interface Ranked {
  h: KbHit;
  preferred: boolean;
  i: number;
}

const byRank = (a: Ranked, b: Ranked): number => Number(b.preferred) - Number(a.preferred) || b.h.score - a.h.score || a.i - b.i;

/** Sorted already. Not with a NaN score: against one, `byRank` is no order and the sort's own result stands. */
function inRankOrder(ranked: readonly Ranked[]): boolean {
  for (let k = 0; k < ranked.length; k++) {
    if (Number.isNaN(ranked[k]!.h.score)) return false;
    if (k > 0 && byRank(ranked[k - 1]!, ranked[k]!) > 0) return false;
  }
  return true;
}

/** Sentences and list items of a chunk, without Markdown. Table rows become "first cell: other cells". */
export function kbUnits(text: string): string[] {
  const units: string[] = [];
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const raw = (lines[i] ?? '').trim();
    if (!raw || /^#{1,6}\s/.test(raw)) continue;
    if (raw.startsWith('|')) {
      if (/^\|[\s|:-]+\|?$/.test(raw)) continue; // separator row
      const next = (lines[i + 1] ?? '').trim();
      if (/^\|[\s|:-]+\|?$/.test(next)) continue; // header row
      const cells = raw
        .replace(/^\||\|$/g, '')
        .split('|')
        .map((c) => clean(c))
        .filter(Boolean);
      const [first, ...rest] = cells;
      if (first) units.push(rest.length ? `${first}: ${rest.join(', ')}` : first);
      continue;
    }
    const item = /^(?:[-*+•]|\d+[.)])\s+(.*)$/.exec(raw);
    if (item) {
      const t = clean(item[1] ?? '');
      if (t) units.push(t);
      continue;
    }
    for (const s of sentences(clean(raw))) units.push(s);
  }
  return units;
}

export interface KbQuote {
  /** Sentences or list items, cleaned of Markdown. */
  units: string[];
  /** Title of the document the (first) unit comes from. */
  title: string;
}

/** A short quote from the best hit(s) in the customer's language, or undefined when there is none. */
export function kbQuote(hits: readonly KbHit[], language: Language, opts: QuoteOptions = {}): KbQuote | undefined {
  const maxUnits = opts.maxUnits ?? 3;
  const maxChars = opts.maxChars ?? 480;
  const candidates = hitsIn(hits, language, opts.source, opts.strict);
  // A stateless `avoid` is applied once per chunk. A stateful one (g or y flag), or one next to a stateful `match`
  // (tested on every unit first), runs unit by unit as it always did.
  const avoidOnce = opts.avoid && isStateless(opts.avoid) && (!opts.match || isStateless(opts.match)) ? opts.avoid : undefined;
  const picked: string[] = [];
  let title = '';
  let chars = 0;
  // Without a `match`, quote from the single most relevant chunk; with one, gather matching units across chunks.
  for (const hit of opts.match ? candidates : candidates.slice(0, 1)) {
    // With a `match`, quote the matching sentences rather than whole list items.
    const units = unitsOf(hit.text, Boolean(opts.match), avoidOnce);
    for (const unit of units) {
      if (opts.match && !opts.match.test(unit)) continue;
      if (!avoidOnce && opts.avoid?.test(unit)) continue;
      if (picked.includes(unit)) continue;
      if (picked.length > 0 && chars + unit.length > maxChars) break;
      picked.push(unit);
      if (!title) title = hit.title;
      chars += unit.length;
      if (picked.length >= maxUnits) break;
    }
    if (picked.length >= maxUnits || chars >= maxChars) break;
  }
  return picked.length > 0 ? { units: picked, title } : undefined;
}

interface Units {
  units: readonly string[];
  /** The units split further into sentences. */
  sentences: readonly string[];
}

interface ChunkUnits extends Units {
  /** The units left once an `avoid` pattern is applied, per pattern. */
  without: WeakMap<RegExp, Units>;
}

// Hits are chunks of a fixed knowledge base, quoted again and again: each one is taken apart once.
const chunkCache = new LRUCache<string, ChunkUnits>({ max: 2048 });

/** The chunk's units (or sentences), without those matching `avoid` (a stateless pattern). */
function unitsOf(text: string, bySentence: boolean, avoid: RegExp | undefined): readonly string[] {
  let c = chunkCache.get(text);
  if (!c) {
    const units = kbUnits(text);
    c = { units, sentences: units.flatMap(sentences), without: new WeakMap() };
    chunkCache.set(text, c);
  }
  let kept: Units | undefined = c;
  if (avoid) {
    kept = c.without.get(avoid);
    if (!kept) {
      kept = { units: c.units.filter((u) => !avoid.test(u)), sentences: c.sentences.filter((u) => !avoid.test(u)) };
      c.without.set(avoid, kept);
    }
  }
  return bySentence ? kept.sentences : kept.units;
}

function isStateless(re: RegExp): boolean {
  return !re.global && !re.sticky;
}

function clean(s: string): string {
  return s
    .replace(/\[([^\]]+)\]\([^)]*\)/g, '$1')
    .replace(/\*\*|__|`/g, '')
    .replace(/(^|\s)\*(\S[^*]*\S|\S)\*(?=\s|[.,;:!?]|$)/g, '$1$2')
    .replace(/\s+/g, ' ')
    .trim();
}

function sentences(paragraph: string): string[] {
  if (!paragraph) return [];
  return paragraph
    .split(/(?<=[.!?…])\s+(?=[«"“¿¡(]?[A-ZÀ-ÖØ-Þ])/u)
    .map((s) => s.trim())
    .filter(Boolean);
}
