// Language identification restricted to the shop's languages (en, fr, es), built for chat messages: most are short,
// many have no accents, some are Québec French or Latin-American Spanish.
//
// Primary: a softmax model (same LinearModel as the intent classifier) over character 1-4-grams of the lowercased
// words (accents kept: "é", "ñ", "¿" are strong clues), accent-stripped words and punctuation marks, trained on
// every utterance of the intent corpus with its language as the label, plus a few hand-written one-word messages.
// Secondary: franc-min (trigram profiles) restricted to eng/fra/spa, blended in when the model hesitates on a
// longer message, where franc is reliable (on one or two words it is not: it says "merci" is English).
// Fallback: when neither is confident (e.g. "ok", "👍", "10234"), the caller's default (the request's language,
// else English).
import { francAll } from 'franc-min';
import type { Language } from '../runtime/contracts.js';
import { Arena, FeatureBuffer, fnv, fnvChar, FNV_OFFSET, hashString, TextIndex } from './hash.js';
import { CountSet, LinearModel, type LinearModelJSON } from './linear.js';
import { HAS_APOSTROPHE, HAS_INVERTED, HAS_NON_ASCII, normalize, textFacts, tokenize } from './text.js';
import { CACHE_LIMITS, hasLongToken, MAX_CACHED_TOKEN, newOwnerGeneration, ownString, TokenInfo, tokenInfos } from './tokens.js';

export const LANGS: readonly Language[] = ['en', 'fr', 'es'];
const FRANC_CODES: Record<string, Language> = { eng: 'en', fra: 'fr', spa: 'es' };
const FRANC_OPTS = { only: ['eng', 'fra', 'spa'], minLength: 1 };

export interface LanguageGuess {
  language: Language;
  /** Probability of `language` in [0, 1] (for 'default', the best, not confident enough, probability). */
  confidence: number;
  source: 'model' | 'ensemble' | 'default';
}

export interface LanguageOptions {
  /** Below this probability the fallback language is returned. */
  minConfidence: number;
  /** Messages with at least this many letters also consult franc-min. */
  francMinLetters: number;
  /** Weight of franc-min's distribution in the blend (0..1). */
  francWeight: number;
  /** franc-min is only consulted when the model's best probability is below this (it costs ~10x the model). */
  francBelow: number;
}

export const DEFAULT_LANGUAGE_OPTIONS: LanguageOptions = { minConfidence: 0.5, francMinLetters: 20, francWeight: 0.3, francBelow: 0.9 };

/**
 * One-word and two-word messages customers really send, so the model knows them whatever the corpus holds.
 * Words used alike in several of the languages are in AMBIGUOUS instead: taught as all three, so the model stays
 * unsure about them and the caller's default applies.
 */
export const SHORT_MESSAGES: Record<Language, string[]> = {
  en: ['hi', 'hey', 'hello', 'thanks', 'thank you', 'thx', 'yes', 'yeah', 'yep', 'nope', 'sure', 'great', 'cool', 'bye', 'please', 'help', 'sorry', 'what', 'why', 'when', 'where', 'good morning', 'ok thanks', 'got it', 'awesome', 'perfect thanks', 'refund', 'order status', 'human', 'agent'],
  fr: ['merci', 'merci beaucoup', 'bonjour', 'bonsoir', 'salut', 'allo', 'allô', 'oui', 'ouais', 'non merci', "d'accord", 'parfait', 'génial', 'svp', "s'il vous plaît", 'au revoir', 'bonne journée', 'pardon', 'quoi', 'pourquoi', 'quand', 'où', 'remboursement', 'commande', 'humain', 'coucou', 'ok merci', 'pas pire', 'correct merci', 'bon matin'],
  es: ['gracias', 'muchas gracias', 'hola', 'buenas', 'buenos días', 'buenas tardes', 'sí', 'si claro', 'vale', 'claro', 'perfecto', 'genial', 'por favor', 'porfa', 'adiós', 'chao', 'perdón', 'qué', 'por qué', 'cuándo', 'dónde', 'reembolso', 'pedido', 'humano', 'ok gracias', 'de nada', 'órale', 'sale gracias', 'qué onda', 'ayuda', 'mande', 'híjole', 'neta', 'joder', 'hostia', 'chale', 'vale gracias'],
};
SHORT_MESSAGES.fr.push('tabarnak', 'câlisse', 'crisse', 'osti', 'ciboire', 'maudit', 'pantoute', 'chu', 'pis', 'tsé', 'bin', 'ben oui', 'icitte');

export const AMBIGUOUS_MESSAGES = ['ok', 'okay', 'k', 'no', 'super', 'ciao', 'lol', 'hmm', 'oh', 'ah', 'bravo', 'taxi', 'express', 'email', 'chat', 'menu', 'stop', 'simple', 'total', 'normal', 'final'];

const H_C = hashString('c:');
const H_W = hashString('w:');
const S_INV = hashString('s:inv');
const S_ELISION = hashString('s:elision');
const S_NT = hashString("s:n't");
const ELISION = /\b[ldjmnstc]['’][a-zà-ÿ]/i;
const NT = /n['’]t\b/i;

function isLetter(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 0xe0 && c <= 0xff && c !== 0xf7) || c === 0x153;
}

/**
 * Features for language id, hashed into `buf`: character 1-4-grams of the lowercased words with their accents
 * (boundaries marked), accent-free words, and telltale punctuation (¿ ¡, French elisions, English "n't").
 */
export function languageFeatures(text: string, buf: FeatureBuffer = new FeatureBuffer(), tokens: readonly string[] = tokenize(normalize(text))): FeatureBuffer {
  buf.reset();
  const lower = text.toLowerCase();
  let i = 0;
  while (i < lower.length) {
    if (!isLetter(lower.charCodeAt(i))) {
      i++;
      continue;
    }
    let e = i;
    while (e < lower.length && isLetter(lower.charCodeAt(e))) e++;
    // "<word>": position 0 is '<', 1..len the word, len+1 is '>'.
    const L = e - i + 2;
    for (let j = 0; j < L; j++) {
      let h = H_C;
      for (let k = j; k < L && k - j < 4; k++) {
        h = fnvChar(h, k === 0 ? 60 : k === L - 1 ? 62 : lower.charCodeAt(i + k - 1));
        // Skip the lone boundary marks.
        if (k === j && (k === 0 || k === L - 1)) continue;
        buf.push(h, 1);
      }
    }
    i = e;
  }
  for (const w of tokens) buf.push(fnv(H_W, w), 1);
  if (text.includes('¿') || text.includes('¡')) buf.push(S_INV, 1);
  if (ELISION.test(text)) buf.push(S_ELISION, 1);
  if (NT.test(text)) buf.push(S_NT, 1);
  return buf;
}

// Arena record of a word's language features, at offset o (in doubles; see Arena): i32[2o] number of known
// feature ids, f64[o+1 .. o+4) Σ weight rows, then the ids as int32.
const LREC_HEAD = 4;
const MAX_MESSAGE_CHARS = 8192;

export class LanguageIdentifier {
  private readonly probs: Float64Array;
  private readonly buf = new FeatureBuffer();
  private gen = 0;
  private readonly arena = new Arena(1 << 15);
  private records = 0;
  /**
   * Letter runs that are not a whole token (accented words, letters next to digits), as records of their own with
   * the arena offset in langSlot (the same class as the token records, so lookups stay monomorphic).
   */
  private readonly runs = new TextIndex<TokenInfo>(1024);
  private readonly ids: number[] = [];
  private infos: TokenInfo[] = [];
  private readonly sInv: number;
  private readonly sElision: number;
  private readonly sNt: number;
  private readonly counts = new CountSet();
  private readonly acc = new Float64Array(3);

  constructor(
    private readonly model: LinearModel,
    private readonly options: LanguageOptions = DEFAULT_LANGUAGE_OPTIONS,
  ) {
    if (model.classes.join() !== LANGS.join()) throw new Error(`language model classes ${model.classes.join()} != ${LANGS.join()}`);
    this.probs = new Float64Array(LANGS.length);
    this.sInv = model.idOf(S_INV);
    this.sElision = model.idOf(S_ELISION);
    this.sNt = model.idOf(S_NT);
    this.reset();
  }

  static train(samples: readonly { text: string; language: Language }[], options?: LanguageOptions): LanguageIdentifier {
    const all = [...samples];
    for (const l of LANGS) for (const t of SHORT_MESSAGES[l]) all.push({ text: t, language: l });
    for (const t of AMBIGUOUS_MESSAGES) for (const l of LANGS) all.push({ text: t, language: l });
    const buf = new FeatureBuffer();
    const model = LinearModel.train(
      all.map((s) => languageFeatures(s.text, buf).snapshot()),
      all.map((s) => LANGS.indexOf(s.language)),
      [...LANGS],
      { epochs: 10, learningRate: 0.5, l2: 1e-5 },
    );
    return new LanguageIdentifier(model, options);
  }

  static fromJSON(json: LinearModelJSON, options?: LanguageOptions): LanguageIdentifier {
    return new LanguageIdentifier(LinearModel.fromJSON(json), options);
  }

  toJSON(): LinearModelJSON {
    return this.model.toJSON();
  }

  /** Model probabilities only (no franc, no fallback), in LANGS order. For evaluation. */
  modelScores(text: string): Float64Array {
    return Float64Array.from(this.model.score(languageFeatures(text, this.buf), this.probs));
  }

  /**
   * `tokens` = tokenize(normalize(text)) and `infos` = tokenInfos(tokens) when the caller already has them, `lower`
   * = text.toLowerCase().
   */
  detect(text: string, fallback: Language = 'en', tokens?: readonly string[], infos?: readonly TokenInfo[], lower?: string): LanguageGuess {
    const { letters, flags } = textFacts(text);
    if (letters === 0) return { language: fallback, confidence: 0, source: 'default' };
    const low = lower ?? text.toLowerCase();
    const toks = tokens ?? tokenize(normalize(text));
    const p = this.score(text, low, toks, infos ?? tokenInfos(toks, this.infos), flags);
    let source: LanguageGuess['source'] = 'model';
    const top = Math.max(p[0]!, p[1]!, p[2]!);
    if (top < this.options.francBelow && letters >= this.options.francMinLetters && this.options.francWeight > 0) {
      const q = francDistribution(text);
      if (q) {
        const w = this.options.francWeight;
        for (let i = 0; i < LANGS.length; i++) p[i] = (1 - w) * p[i]! + w * q[i]!;
        source = 'ensemble';
      }
    }
    let best = 0;
    for (let i = 1; i < LANGS.length; i++) if (p[i]! > p[best]!) best = i;
    const confidence = p[best]!;
    if (confidence < this.options.minConfidence) return { language: fallback, confidence, source: 'default' };
    return { language: LANGS[best]!, confidence, source };
  }

  private reset(): void {
    this.gen = newOwnerGeneration();
    this.arena.clear();
    this.records = 0;
    this.runs.clear();
  }

  /**
   * model.score(languageFeatures(text)) without building the feature list: every word's n-gram ids and weight sum
   * come from an arena record (made once per word). All feature values are 1, so merged counts and the norm are
   * exact whatever the order; only the association of the weighted sum differs (~1e-15).
   */
  private score(text: string, lower: string, tokens: readonly string[], infos: readonly TokenInfo[], flags: number): Float64Array {
    // Beyond this length (the agent never gets there) the message is scored the plain way: the records of one
    // message must fit in one arena generation.
    // So is a message with a token longer than MAX_CACHED_TOKEN (such a token has no shared record, and is not kept).
    if (lower.length > MAX_MESSAGE_CHARS || hasLongToken(tokens)) return this.model.score(languageFeatures(text, this.buf, tokens), this.probs);
    // A message makes at most one record per character (runs and tokens are 1+ characters, separated).
    if (this.records + lower.length + 1 > CACHE_LIMITS.languageRecords || this.arena.over(CACHE_LIMITS.arenaBytes)) this.reset();
    const acc = this.acc;
    acc[0] = acc[1] = acc[2] = 0;
    this.counts.reset();
    if (!(flags & HAS_NON_ASCII)) {
      // Pure ASCII: normalize() leaves the text as it is, so every letter run lies in one token; a token made
      // only of letters is one run, and its record holds the run's n-grams and the token's word feature. (Other
      // texts take the general path below, even the rare ones whose lowercase form is ASCII.)
      for (let i = 0; i < infos.length; i++) {
        const info = infos[i]!;
        this.own(info);
        if (info.letters) {
          if (info.langSlot < 0) info.langSlot = this.record(info.text, true);
          this.add(info.langSlot, acc);
        } else {
          if (info.langW === -2) info.langW = this.model.idOf(fnv(H_W, info.text));
          if (info.langW >= 0) this.addFeature(info.langW, acc);
          if (!info.digits) this.addRuns(info.text, acc);
        }
      }
    } else {
      this.addRuns(lower, acc);
      for (let i = 0; i < infos.length; i++) {
        const info = infos[i]!;
        this.own(info);
        if (info.langW === -2) info.langW = this.model.idOf(fnv(H_W, info.text));
        if (info.langW >= 0) this.addFeature(info.langW, acc);
      }
    }
    if (this.sInv >= 0 && flags & HAS_INVERTED) this.addFeature(this.sInv, acc);
    if (flags & HAS_APOSTROPHE) {
      if (this.sElision >= 0 && ELISION.test(text)) this.addFeature(this.sElision, acc);
      if (this.sNt >= 0 && NT.test(text)) this.addFeature(this.sNt, acc);
    }
    return this.model.finishFrom(acc, this.counts.sumSq, this.probs);
  }

  private addFeature(id: number, acc: Float64Array): void {
    this.counts.add(id);
    this.model.addRow(id, 1, acc);
  }

  /** Feeds the letter runs of `s` (languageFeatures' words) to the model, making their records as needed. */
  private addRuns(s: string, acc: Float64Array): void {
    const n = s.length;
    let i = 0;
    while (i < n) {
      let c = s.charCodeAt(i);
      if (!isLetter(c)) {
        i++;
        continue;
      }
      let h = FNV_OFFSET;
      let e = i;
      while (e < n && isLetter((c = s.charCodeAt(e)))) {
        h = Math.imul(h ^ c, 0x01000193);
        e++;
      }
      if (e - i > MAX_CACHED_TOKEN) {
        // Not kept. (detect() never gets here: a run this long lies inside a token as long, and a message with one
        // is scored the plain way. A guard for callers whose tokens do not match the text.)
        this.collect(s.slice(i, e), false);
        for (const id of this.ids) this.addFeature(id, acc);
        i = e;
        continue;
      }
      let run = this.runs.get(s, i, e, h);
      if (run === undefined) {
        run = new TokenInfo(ownString(i === 0 && e === n ? s : s.slice(i, e)));
        run.langSlot = this.record(run.text, false);
        this.runs.set(h, run);
      }
      this.add(run.langSlot, acc);
      i = e;
    }
  }

  /** Makes this identifier the token record's owner: what another model (or generation) cached there is dropped. */
  private own(info: TokenInfo): void {
    if (info.langGen === this.gen) return;
    info.langGen = this.gen;
    info.langW = -2;
    info.langSlot = -1;
  }

  private add(o: number, acc: Float64Array): void {
    const { f64, i32 } = this.arena;
    const n = i32[2 * o]!;
    if (n === 0) return;
    this.counts.addRun(i32, 2 * (o + LREC_HEAD), n);
    acc[0]! += f64[o + 1]!;
    acc[1]! += f64[o + 2]!;
    acc[2]! += f64[o + 3]!;
  }

  /** A new arena record: the n-grams of the letter run `word`, plus its word feature when `withWord`. */
  private record(word: string, withWord: boolean): number {
    const { model, ids } = this;
    this.collect(word, withWord);
    const o = this.arena.alloc(LREC_HEAD + ((ids.length + 1) >> 1));
    const { f64, i32 } = this.arena;
    this.records++;
    i32[2 * o] = ids.length;
    const sum = f64.subarray(o + 1, o + 4);
    sum.fill(0);
    const at = 2 * (o + LREC_HEAD);
    for (let k = 0; k < ids.length; k++) {
      i32[at + k] = ids[k]!;
      model.addRow(ids[k]!, 1, sum);
    }
    return o;
  }

  /** The known feature ids of the letter run `word` (its n-grams, then its word feature when `withWord`) into `ids`. */
  private collect(word: string, withWord: boolean): void {
    const { model, ids } = this;
    ids.length = 0;
    const L = word.length + 2;
    for (let j = 0; j < L; j++) {
      let h = H_C;
      for (let k = j; k < L && k - j < 4; k++) {
        h = fnvChar(h, k === 0 ? 60 : k === L - 1 ? 62 : word.charCodeAt(k - 1));
        if (k === j && (k === 0 || k === L - 1)) continue;
        const id = model.idOf(h);
        if (id >= 0) ids.push(id);
      }
    }
    if (withWord) {
      const id = model.idOf(fnv(H_W, word));
      if (id >= 0) ids.push(id);
    }
  }
}

/** franc-min's scores (best = 1, others relative) turned into a distribution over LANGS; null if it has no opinion. */
function francDistribution(text: string): number[] | null {
  const all = francAll(text, FRANC_OPTS);
  const q = [0, 0, 0];
  let sum = 0;
  for (const [code, score] of all) {
    const l = FRANC_CODES[code];
    if (!l) continue;
    // Sharpen: franc's relative scores are close together (0.8 for the runner-up is common).
    const s = score ** 8;
    q[LANGS.indexOf(l)] = s;
    sum += s;
  }
  if (sum <= 0) return null;
  return q.map((x) => x / sum);
}
