// The intent-classifier agent, offline strategy: language, intent (+ confidence and the next two), entities,
// sentiment and profanity of one customer message, from a model trained at build time on our own corpus.
//
// classify() is SYNCHRONOUS and allocation-light (~15-25 µs of CPU a message once its words have been seen). The
// message is lowercased, normalised and tokenised once; every token is looked up once in the table of token records
// (tokens.ts), where language id, the intent model, the lexicon, sentiment and product matching keep what they
// computed about that word (feature ids and weight sums, concepts, polarity, catalogue words), so a known word is
// not re-hashed, re-stemmed or looked up again by each part. Results are those of the plain computations
// (test/agents/intent/fastpath.test.ts). The model is loaded synchronously, once per process and file, when the
// agent is created (see classifier.ts for the file and the in-process fallback).
import { INTENTS, LANGUAGES, type Entities, type Intent, type IntentResult, type Language, type Product } from '../runtime/contracts.js';
import type { LanguageHint } from '../runtime/ports.js';
import { loadClassifier, type IntentClassifier } from './classifier.js';
import { extractEntities, indexProducts, warmPhoneLibrary, type EntityContext } from './entities.js';
import { analyzeSentiment } from './sentiment.js';
import { forgetTextFacts, HAS_NON_ASCII, normalizeLower, textFacts } from './text.js';
import { tokenizeInfos, type TokenInfo } from './tokens.js';

export interface IntentAgentOptions {
  /** The catalogue that product mentions are matched against (titles are returned). */
  products: Product[];
  /** Model file; default dist/agents/intent/model.json next to the compiled module. */
  modelFile?: string;
}

export interface OfflineIntentAgent {
  readonly name: 'intent-classifier';
  classify(text: string, hint?: LanguageHint): IntentResult;
  /** Replaces the catalogue used for product mentions (call it when the catalogue is refreshed). */
  setProducts(products: Product[]): void;
}

/** Longer messages are classified on their first MAX_CHARS characters (bounded cost for hostile input). */
export const MAX_CHARS = 2000;
/** Entities are looked for in the first MAX_ENTITY_CHARS characters. */
export const MAX_ENTITY_CHARS = 8000;

const INTENT_SET: ReadonlySet<string> = new Set(INTENTS);

export function createIntentAgent(opts: IntentAgentOptions): OfflineIntentAgent {
  const classifier: IntentClassifier = loadClassifier(opts.modelFile);
  const ctx: EntityContext = { products: indexProducts(opts.products) };
  warmPhoneLibrary();

  /** classify() of a string: one normalisation pass, one token list and one record per token, shared by every part. */
  function classifyText(raw: string, hinted: Language | undefined, fallback: Language = 'en'): IntentResult {
    const head = raw.length > MAX_CHARS ? raw.slice(0, MAX_CHARS) : raw;
    const lower = head.toLowerCase();
    const norm = textFacts(head).flags & HAS_NON_ASCII ? normalizeLower(lower) : lower; // (ASCII: as it is)
    const tokens: string[] = [];
    const infos: TokenInfo[] = [];
    tokenizeInfos(norm, tokens, infos);
    const language: Language =
      hinted && (LANGUAGES as readonly string[]).includes(hinted) ? hinted : classifier.languageId.detect(head, fallback, tokens, infos, lower).language;
    const top = classifier.classify(head, language, norm, tokens, infos);
    const entitiesText = raw.length > MAX_ENTITY_CHARS ? raw.slice(0, MAX_ENTITY_CHARS) : raw;
    const entities: Entities =
      entitiesText === head ? extractEntities(head, language, ctx, norm, tokens, infos) : extractEntities(entitiesText, language, ctx);
    const s = analyzeSentiment(head, language, tokens, undefined, infos);
    let score = s.score;
    let label = s.label;
    // A confident complaint is negative even when its words are not in the sentiment lexicon ("the tea tasted
    // like dust"): the classifier knows complaints better than a word list does.
    if (top.intent === 'complaint' && top.confidence >= 0.5 && score > -0.3) {
      score = -0.3;
      label = 'negative';
    }
    const intent: Intent = INTENT_SET.has(top.intent) ? top.intent : 'general_inquiry';
    return {
      language,
      intent,
      confidence: round(top.confidence),
      alternatives: top.alternatives.map((a) => ({ intent: a.intent, score: round(a.score) })),
      entities,
      sentiment: { score, label },
      profanity: s.profanity,
    };
  }

  return {
    name: 'intent-classifier',
    setProducts(products: Product[]) {
      ctx.products = indexProducts(products);
    },
    classify(text: string, hint?: LanguageHint): IntentResult {
      try {
        return classifyText(typeof text === 'string' ? text : '', hint?.language, hint?.fallback);
      } finally {
        forgetTextFacts();
      }
    },
  };
}

function round(x: number): number {
  return Math.round(x * 10000) / 10000;
}
