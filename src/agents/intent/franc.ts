// francAll(text, { only: ['eng', 'fra', 'spa'], minLength: 1 }) from franc-min 6.2.0, computed without its
// general machinery when the text is mostly Latin script (every message that gets this far, in practice): franc
// first counts the characters of ~30 scripts with one global regex each (an array of matches per script), then
// builds its trigram table as a plain object keyed by trigram. Here: one pass that counts Latin letters, and Maps.
// The result is the same array francAll returns (same entries, same order, same numbers); any other text goes to
// francAll itself. Checked against francAll in the intent tests.
import { francAll } from 'franc-min';
import { data } from 'franc-min/data.js';
import { expressions } from 'franc-min/expressions.js';

const ONLY = ['eng', 'fra', 'spa'];
const OPTIONS = { only: ONLY, minLength: 1 };
// franc-min's constants.
const MAX_LENGTH = 2048;
const MAX_DIFFERENCE = 300;

interface Models {
  /** Languages of franc's Latin table that `only` keeps, in franc's order, with their trigram ranks. */
  languages: { code: string; ranks: Map<number, number> }[];
  /** 1 for each BMP code unit that franc's Latin expression matches on its own. */
  latin: Uint8Array;
}

let models: Models | undefined;

function load(): Models {
  if (models) return models;
  const languages: Models['languages'] = [];
  const latinData = data.Latin!;
  for (const code of Object.keys(latinData)) {
    if (!ONLY.includes(code)) continue;
    // franc: trigrams[model[weight]] = weight, weight counting down, so a repeated trigram keeps its first rank.
    const model = latinData[code]!.split('|');
    const ranks = new Map<number, number>();
    for (let weight = model.length - 1; weight >= 0; weight--) {
      const t = model[weight]!;
      // (franc's trigrams are 3 code units; anything else could never match a message trigram)
      if (t.length === 3) ranks.set(trigramKey(t, 0), weight);
    }
    languages.push({ code, ranks });
  }
  const single = new RegExp(`^(?:${expressions.Latin!.source})$`);
  const latin = new Uint8Array(0x10000);
  for (let c = 0; c < 0x10000; c++) if ((c < 0xd800 || c > 0xdfff) && single.test(String.fromCharCode(c))) latin[c] = 1;
  return (models = { languages, latin });
}

/** francAll(text, { only: ['eng', 'fra', 'spa'], minLength: 1 }). */
export function francLatin(text: string): [string, number][] {
  if (!text) return francAll(text, OPTIONS);
  const value = text.slice(0, MAX_LENGTH);
  const { languages, latin } = load();
  // franc takes the script with the highest share of the text: Latin surely, when its letters (counting only
  // single code units, so a lower bound) are more than half the code units, since scripts do not overlap.
  let latinCount = 0;
  for (let i = 0; i < value.length; i++) latinCount += latin[value.charCodeAt(i)]!;
  if (latinCount * 2 <= value.length) return francAll(text, OPTIONS);
  // trigram-utils: clean() (punctuation and digits to spaces, white space collapsed, trimmed, lower case), padded
  // with a space each side, every 3-character slice counted.
  const padded = ' ' + value.replace(/[\u0021-\u0040]+/g, ' ').replace(/\s+/g, ' ').trim().toLowerCase() + ' ';
  const counts = new Map<number, number>();
  for (let i = 0; i + 3 <= padded.length; i++) {
    const t = trigramKey(padded, i);
    counts.set(t, (counts.get(t) ?? 0) + 1);
  }
  const distances: [string, number][] = [];
  for (const { code, ranks } of languages) {
    let distance = 0;
    for (const [t, count] of counts) {
      const rank = ranks.get(t);
      let difference = MAX_DIFFERENCE;
      if (rank !== undefined) {
        difference = count - rank - 1;
        if (difference < 0) difference = -difference;
      }
      distance += difference;
    }
    distances.push([code, distance]);
  }
  if (distances.length === 0) return [['und', 1]];
  distances.sort((a, b) => a[1] - b[1]);
  const min = distances[0]![1];
  const max = value.length * MAX_DIFFERENCE - min;
  for (const d of distances) d[1] = 1 - (d[1] - min) / max || 0;
  return distances;
}

/** The 3 code units of s at i as one number (exact: below 2^48). */
function trigramKey(s: string, i: number): number {
  return (s.charCodeAt(i) * 0x10000 + s.charCodeAt(i + 1)) * 0x10000 + s.charCodeAt(i + 2);
}
