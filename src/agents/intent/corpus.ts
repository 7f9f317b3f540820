// The intent corpus as data: train.json (the project's corpus) and data/supplement.json (hand-written extra
// training utterances, written without looking at dev.json). Imported statically so that tsc copies both files
// next to the compiled module (dist/agents/intent/corpus/, dist/agents/intent/data/) and the in-process fallback
// training works from dist too. dev.json is deliberately NOT imported here: it is never trained on.
import type { Intent, Language } from '../runtime/contracts.js';
import train from './corpus/train.json' with { type: 'json' };
import supplement from './data/supplement.json' with { type: 'json' };

export type CorpusFile = Record<string, Record<string, string[]>>;

export interface Utterance {
  text: string;
  intent: Intent;
  language: Language;
}

export const TRAIN: CorpusFile = train;
export const SUPPLEMENT: CorpusFile = supplement;

/** Flattens `{label: {lang: [...]}}` into utterances, in a stable order. */
export function flatten(file: CorpusFile, intents: readonly Intent[], languages: readonly Language[]): Utterance[] {
  const out: Utterance[] = [];
  for (const intent of intents) {
    const byLang = file[intent];
    if (!byLang) continue;
    for (const language of languages) for (const text of byLang[language] ?? []) out.push({ text, intent, language });
  }
  return out;
}
