// The product catalogue, held in memory (a shop's catalogue is small) and refreshed from the commerce API
// when product webhooks arrive, so a product question costs no network round trip.
import type { Product } from '../runtime/contracts.js';
import { foldText } from '../escalation/lexicon.js';

const STOP = new Set(
  'the a an and or of for to in on with my your is are do does have has i me you it this that what which how much many price cost stock le la les un une des de du et ou pour avec mon ma mes est sont quel quelle combien prix el los las unos unas del y o para con mi mis es son cual cuanto precio'.split(
    ' ',
  ),
);

interface Indexed {
  product: Product;
  words: Set<string>;
}

export class Catalog {
  private indexed: Indexed[] = [];

  constructor(products: Product[] = []) {
    this.replace(products);
  }

  replace(products: Product[]): void {
    this.indexed = products
      .filter((p) => p.status !== 'archived')
      .map((product) => ({ product, words: new Set(words(`${product.title} ${product.type} ${product.tags.join(' ')}`)) }));
  }

  get products(): Product[] {
    return this.indexed.map((i) => i.product);
  }

  byTitle(titles: string[]): Product[] {
    const wanted = new Set(titles.map((t) => foldText(t)));
    return this.indexed.filter((i) => wanted.has(foldText(i.product.title))).map((i) => i.product);
  }

  /** Products whose title, type or tags share the most words with the query (stems by prefix). */
  search(query: string, k = 3): Product[] {
    const q = words(query).filter((w) => w.length > 2 && !STOP.has(w));
    if (q.length === 0) return [];
    const scored: { p: Product; score: number }[] = [];
    for (const { product, words: pw } of this.indexed) {
      let score = 0;
      for (const w of q) {
        if (pw.has(w)) score += 2;
        else for (const x of pw) if (x.length > 3 && (x.startsWith(w) || w.startsWith(x))) { score += 1; break; }
      }
      if (score > 0) scored.push({ p: product, score });
    }
    return scored.sort((a, b) => b.score - a.score).slice(0, k).map((s) => s.p);
  }
}

function words(text: string): string[] {
  return foldText(text).split(/[^a-z0-9]+/).filter(Boolean);
}
