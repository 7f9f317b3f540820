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
import { FeatureBuffer, fnv, fnvChar, hashString } from './hash.js';
import { LinearModel, type LinearModelJSON } from './linear.js';
import { normalize, tokenize } from './text.js';

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

export class LanguageIdentifier {
  private readonly probs: Float64Array;
  private readonly buf = new FeatureBuffer();
  constructor(
    private readonly model: LinearModel,
    private readonly options: LanguageOptions = DEFAULT_LANGUAGE_OPTIONS,
  ) {
    if (model.classes.join() !== LANGS.join()) throw new Error(`language model classes ${model.classes.join()} != ${LANGS.join()}`);
    this.probs = new Float64Array(LANGS.length);
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

  /** `tokens` = tokenize(normalize(text)) when the caller already has them. */
  detect(text: string, fallback: Language = 'en', tokens?: readonly string[]): LanguageGuess {
    const letters = countLetters(text);
    if (letters === 0) return { language: fallback, confidence: 0, source: 'default' };
    const p = this.model.score(languageFeatures(text, this.buf, tokens), this.probs);
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
}

function countLetters(text: string): number {
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i) | 32;
    if ((c >= 97 && c <= 122) || (text.charCodeAt(i) >= 0xc0 && text.charCodeAt(i) <= 0x24f)) n++;
  }
  return n;
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
