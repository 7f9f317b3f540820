// Words that trigger escalation rules, per language, accent-folded and lowercase.
// Kept as data so an operator's config can extend them (escalation.keywords in the runtime config).
import { LRUCache } from 'lru-cache';

export type EscalationLexicon = Record<'safety' | 'threat' | 'lostOrStolen' | 'defect' | 'humanRequest' | 'bulk', string[]>;

export const DEFAULT_LEXICON: EscalationLexicon = {
  safety: [
    'burn', 'burned', 'burnt', 'injur*', 'hurt myself', 'cut myself', 'fire', 'caught fire', 'smoke', 'smoking', 'sparks',
    'electric shock', 'shocked me', 'exploded', 'explode', 'allergic', 'hospital', 'poison', 'choking',
    'brule', 'brulure', 'blesse', 'incendie', 'feu', 'fumee', 'etincelle', 'choc electrique', 'explose', 'allergi*', 'hopital',
    'quemadura', 'queme', 'quemo', 'herida', 'lastime', 'incendio', 'fuego', 'humo', 'chispa', 'descarga electrica', 'exploto', 'alergi*',
  ],
  threat: [
    'lawyer', 'attorney', 'sue you', 'lawsuit', 'legal action', 'small claims', 'report you', 'kill', 'i will find you',
    'avocat', 'poursuivre', 'poursuite', 'mise en demeure', 'tribunal',
    'abogado', 'demandar', 'demanda', 'denunciar', 'profeco', 'tribunal',
  ],
  lostOrStolen: [
    'stolen', 'never arrived', 'never received', 'not received', 'lost package', 'lost parcel', 'missing package',
    'missing parcel', 'says delivered but', 'marked as delivered',
    'vole', 'jamais recu', 'jamais arrive', 'pas recu', 'colis perdu', 'perdu', 'indique livre',
    'robado', 'robaron', 'nunca llego', 'no llego', 'no he recibido', 'paquete perdido', 'extraviado', 'aparece como entregado',
  ],
  defect: [
    'broken', 'defective', 'stopped working', 'does not work', "doesn't work", 'not working', 'cracked', 'leaking', 'leaks',
    'faulty', 'damaged', 'arrived broken', 'chipped',
    'brise', 'casse', 'defectueux', 'ne fonctionne plus', 'ne marche plus', 'fonctionne pas', 'fissure', 'fuit', 'endommage',
    'roto', 'rota', 'defectuoso', 'dejo de funcionar', 'no funciona', 'agrietado', 'gotea', 'danado', 'estrellado',
  ],
  humanRequest: [
    'human', 'real person', 'agent', 'representative', 'manager', 'supervisor', 'speak to someone', 'talk to someone',
    'humain', 'vraie personne', 'conseiller', 'gerant', 'responsable', 'parler a quelqu',
    'humano', 'persona real', 'agente', 'representante', 'gerente', 'supervisor', 'hablar con alguien',
  ],
  bulk: ['wholesale', 'bulk', 'reseller', 'b2b', 'en gros', 'grossiste', 'revendeur', 'mayoreo', 'al por mayor', 'mayorista', 'distribuidor'],
};

// Every stage folds the same texts (the message in knowledge, escalation and the pipeline; product titles in the
// catalogue), and NFD + mark stripping costs far more than a lookup. Bounded by characters, not entries.
const folded = new LRUCache<string, string>({ maxSize: 1 << 20, sizeCalculation: (value, key) => value.length + key.length });

export function foldText(text: string): string {
  let f = folded.get(text);
  if (f === undefined) {
    f = text.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
    folded.set(text, f);
  }
  return f;
}

export type LexiconCategory = keyof EscalationLexicon;

/** A lexicon as regexes: one per category, and one over every word to rule them all out in a single scan. */
export interface LexiconMatcher {
  any: RegExp;
  category: Record<LexiconCategory, RegExp>;
}

// Keyed by the lexicon object: a configuration's lexicon is built once and not changed afterwards.
const matchers = new WeakMap<EscalationLexicon, LexiconMatcher>();

export function lexiconMatcher(lexicon: EscalationLexicon): LexiconMatcher {
  let m = matchers.get(lexicon);
  if (!m) {
    const categories = Object.keys(lexicon) as LexiconCategory[];
    m = {
      any: wordsPattern(categories.flatMap((c) => lexicon[c])),
      category: Object.fromEntries(categories.map((c) => [c, wordsPattern(lexicon[c])])) as Record<LexiconCategory, RegExp>,
    };
    matchers.set(lexicon, m);
  }
  return m;
}

/**
 * Whole words or phrases (plural/past endings allowed: "fires", "burned"); an entry ending in `*` is a stem
 * ("injur*" matches "injured", "injury"). So "fire" matches "caught fire" but not "firefox". One alternation: it
 * matches a text exactly when one of the words' own patterns would.
 */
function wordsPattern(words: readonly string[]): RegExp {
  // An empty list matches nothing.
  if (words.length === 0) return /(?!)/;
  return new RegExp(`(?<![a-z0-9])(?:${words.map(wordPattern).join('|')})`);
}

function wordPattern(w: string): string {
  const stem = w.endsWith('*');
  const body = (stem ? w.slice(0, -1) : w).replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/ /g, '\\s+');
  return stem ? body : `${body}(?:s|es|d|ed)?(?![a-z0-9])`;
}
