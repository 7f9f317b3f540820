// Text normalisation for the guardrails: one canonical form so that one rule covers accents, case, zero-width
// characters, look-alike letters, spaced-out letters and l33t spellings.

// Cyrillic and Greek letters that render like Latin ones (a common way to slip past keyword filters).
const HOMOGLYPHS: Record<string, string> = {
  а: 'a', е: 'e', о: 'o', р: 'p', с: 'c', у: 'y', х: 'x', і: 'i', ј: 'j', ѕ: 's', ԁ: 'd', ɡ: 'g', һ: 'h', ӏ: 'l',
  А: 'A', В: 'B', Е: 'E', К: 'K', М: 'M', Н: 'H', О: 'O', Р: 'P', С: 'C', Т: 'T', Х: 'X', І: 'I',
  α: 'a', ε: 'e', ο: 'o', ρ: 'p', τ: 't', υ: 'u', ν: 'v', ι: 'i', κ: 'k',
  Α: 'A', Β: 'B', Ε: 'E', Ι: 'I', Κ: 'K', Μ: 'M', Ν: 'N', Ο: 'O', Ρ: 'P', Τ: 'T', Χ: 'X', Υ: 'Y', Ζ: 'Z',
};
const HOMOGLYPH_RE = new RegExp(`[${Object.keys(HOMOGLYPHS).join('')}]`, 'g');
const NON_ASCII_RE = /[^\x00-\x7f]/;
// Cheap pre-checks: three single letters in a row ("i g n", "i.g.n"); a letter next to a l33t digit.
const SPACED_HINT_RE = /(?:^|[^a-z\d])[a-z][ \t.\-_*]+[a-z][ \t.\-_*]+[a-z](?![a-z\d])/;
const LEET_HINT_RE = /[a-z][013457$]|[013457$][a-z]/;
const INVISIBLE_RE = /[\u200B-\u200F\u2060-\u2064\uFEFF\u00AD\u034F\u180E]/g;
const COMBINING_RE = /[\u0300-\u036f]/g;
const LEET: Record<string, string> = { '0': 'o', '1': 'i', '3': 'e', '4': 'a', '5': 's', '7': 't', $: 's' };
// A word that mixes letters with l33t digits ("1gn0re", "pr3v10us"), but not an order or tracking number, and not
// part of an email address.
const LEET_WORD_RE = /(?<![\w@$.])(?=[0-9$]*[a-z][0-9$]*[a-z])(?=[a-z]*[013457$])[a-z0-9$]{3,40}(?![\w@$]|\.\w)/g;
const SPACED_LETTERS_RE = /(?<![\p{L}\d])(?:\p{L}[.\-_*]){3,}\p{L}(?![\p{L}\d])/gu;
// "i g n o r e   a l l": single letters; a wider gap is a word break.
const SPACED_WORDS_RE = /(?<![\p{L}\d])\p{L}(?:[ \t]+\p{L}(?![\p{L}\d])){3,}/gu;

const QUOTE_RE = /[’‘`´ʼ]/g;
const DOUBLE_QUOTE_RE = /[“”«»„‟]/g;
const DASH_RE = /[‐‑‒–—―]/g;
const SPACE_RE = /[\u00A0\u2000-\u200A\u202F\u205F\u3000]/g;
// Any character the steps before NFKD change, or the steps after it (other than the accents): one look decides
// whether those replacements would change anything.
const classBody = (re: RegExp) => re.source.slice(1, -1);
const BEFORE_NFKD_RE = new RegExp(`[${classBody(INVISIBLE_RE)}${classBody(HOMOGLYPH_RE)}]`);
const AFTER_NFKD_RE = new RegExp(`[${[QUOTE_RE, DOUBLE_QUOTE_RE, DASH_RE, SPACE_RE].map(classBody).join('')}]`);

/** The Unicode steps: no invisible characters, homoglyphs mapped, no accents, quotes, dashes and spaces unified. */
function unicodeFold(text: string): string {
  let s = text;
  if (BEFORE_NFKD_RE.test(s)) s = s.replace(INVISIBLE_RE, '').replace(HOMOGLYPH_RE, (c) => HOMOGLYPHS[c] ?? c);
  s = s.normalize('NFKD').replace(COMBINING_RE, '');
  if (AFTER_NFKD_RE.test(s)) s = s.replace(QUOTE_RE, "'").replace(DOUBLE_QUOTE_RE, '"').replace(DASH_RE, '-').replace(SPACE_RE, ' ');
  return s;
}

const WORD_JOINER_RE = /(?<=\p{L})[_+](?=\p{L})/gu;

/** Lower case, no accents, no invisible characters, homoglyphs mapped, quotes and spaces unified, words split by
 *  `_`/`+`/`.` joined by spaces, spaced-out letters ("i g n o r e") rejoined, l33t words decoded. */
export function normalizeForMatch(text: string): string {
  let s = text;
  // Most messages are plain ASCII: the Unicode steps only run when needed.
  if (NON_ASCII_RE.test(s)) s = unicodeFold(s);
  s = s.toLowerCase();
  if (s.includes('_') || s.includes('+')) s = s.replace(WORD_JOINER_RE, ' ');
  if (SPACED_HINT_RE.test(s)) {
    s = s.replace(SPACED_LETTERS_RE, (m) => m.replace(/[.\-_*]/g, ''));
    s = s.replace(SPACED_WORDS_RE, (m) => (/\s{2,}/.test(m) ? m.split(/\s{2,}/).map((w) => w.replace(/\s+/g, '')).join(' ') : m.replace(/\s+/g, '')));
  }
  if (LEET_HINT_RE.test(s)) {
    s = s.replace(LEET_WORD_RE, (w) => {
      const digits = w.replace(/[^0-9$]/g, '').length;
      return digits * 2 <= w.length ? w.replace(/[013457$]/g, (c) => LEET[c] ?? c) : w;
    });
  }
  return collapseSpaces(s);
}

function collapseSpaces(s: string): string {
  return s.includes('  ') || s.includes('\t') ? s.replace(/[ \t]+/g, ' ') : s;
}

// ---- sentences of a text, normalised -------------------------------------------------------------------------
// normalizeForMatch of each sentence costs a dozen regex passes per sentence. For most texts it is the same as
// normalising the whole text once and splitting the result like the text: when every non-ASCII character folds
// (unicodeFold) the same wherever it stands — NFKD brings it no combining mark other than those removed, so no
// reordering across characters — into a non-empty text of its own kind (a space into spaces; anything else into
// neither spaces nor . ! ? ;), the sentence breaks are where they were, and each sentence folds into its part of
// the folded text. Lower-casing and the `_`/`+` step look no further than the spaces around a sentence. When no
// spaced-out letters or l33t are hinted in the whole text, none are in a sentence (sentences are bounded by
// spaces), so those steps do nothing either. Otherwise, or if the counts differ, each sentence is normalised.

// Per BMP code unit: 0 not known yet, 1 folds alone (as above), 2 does not (nor do surrogates: astral characters).
const FOLDS_ALONE = new Uint8Array(0x10000);
const OTHER_MARK_RE = /(?![\u0300-\u036f])\p{M}/u;

function foldsAlone(c: number): boolean {
  let k = FOLDS_ALONE[c]!;
  if (k === 0) {
    const ch = String.fromCharCode(c);
    const folded = unicodeFold(ch);
    const ok =
      (c < 0xd800 || c > 0xdfff) &&
      folded.length > 0 &&
      !OTHER_MARK_RE.test(ch.normalize('NFKD')) &&
      (/\s/.test(ch) ? /^\s+$/.test(folded) : !/[\s.!?;]/.test(folded));
    FOLDS_ALONE[c] = k = ok ? 1 : 2;
  }
  return k === 1;
}

function foldsByCharacter(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 128 && !foldsAlone(c)) return false;
  }
  return true;
}

/** normalizeForMatch of each of `parts` = sentences(text), in order. */
export function sentenceNorms(text: string, parts: readonly string[]): string[] {
  const nonAscii = NON_ASCII_RE.test(text);
  if (!nonAscii || foldsByCharacter(text)) {
    let s = (nonAscii ? unicodeFold(text) : text).toLowerCase();
    if (s.includes('_') || s.includes('+')) s = s.replace(WORD_JOINER_RE, ' ');
    if (!SPACED_HINT_RE.test(s) && !LEET_HINT_RE.test(s)) {
      const norms = sentences(s);
      if (norms.length === parts.length) return norms.map(collapseSpaces);
    }
  }
  return parts.map(normalizeForMatch);
}

/** The normalised text, and when a l33t "1" could be an "i" or an "l", both readings. */
export function matchVariants(text: string): string[] {
  const norm = normalizeForMatch(text);
  if (!/[a-z]1|1[a-z]/i.test(text)) return [norm];
  // Inside a word "1" reads as "l" (ru1es, a11); at its start as "i" (1gnore).
  const withL = normalizeForMatch(
    text.replace(/(?<![a-z0-9$])[a-z0-9$]{2,40}(?![a-z0-9$])/gi, (w) => (/[a-z]/i.test(w) ? w[0] + w.slice(1).replace(/1/g, 'l') : w)),
  );
  return withL === norm ? [norm] : [norm, withL];
}

/** Splits on sentence ends (keeps it cheap: ., !, ?, ;, new lines). */
export function sentences(text: string): string[] {
  return text.split(/(?<=[.!?;])\s+|\n+/).filter((s) => s.trim().length > 0);
}

export const STOPWORDS: ReadonlySet<string> = new Set(
  (
    'the and you your all to of is are for with this that it be not from now on my me please ' +
    'les des une et est pour avec tous toutes tes vos ton ta le la du de un que qui ne pas moi ' +
    'el los las y que de del para con tus todos todas tu su sus una por no es lo al'
  ).split(' '),
);

/** Natural-language text: valid, printable, mostly letters, at least `minWords` words. */
export function looksLikeText(s: string, minWords = 2): boolean {
  if (s.length < 4) return false;
  let printable = 0;
  let letters = 0;
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (c === 0xfffd) return false;
    if (c >= 0x20 || c === 0x0a || c === 0x09 || c === 0x0d) printable++;
    if (/\p{L}/u.test(ch)) letters++;
  }
  const n = [...s].length;
  if (printable / n < 0.95 || letters / n < 0.55) return false;
  return (s.match(/\p{L}{2,}/gu)?.length ?? 0) >= minWords;
}
