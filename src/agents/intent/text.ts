// Text normalisation and tokenising shared by the intent agent's parts (language id, features, lexicon,
// sentiment). Everything here is synchronous and allocation-light: it runs on every customer message.

const COMBINING = /[\u0300-\u036f]/g;
const NON_ASCII = /[^\x00-\x7f]/;

/** Lowercase and strip accents ("Café Ñandú" -> "cafe nandu"); curly apostrophes become "'". */
export function normalize(text: string): string {
  let t = text.toLowerCase();
  if (NON_ASCII.test(t)) {
    t = t.normalize('NFD').replace(COMBINING, '');
    // Ligatures and typographic characters NFD leaves alone.
    t = t.replace(/[’‘`´]/g, "'").replace(/œ/g, 'oe').replace(/æ/g, 'ae').replace(/ß/g, 'ss');
  }
  return t;
}

function isWordChar(c: number): boolean {
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
