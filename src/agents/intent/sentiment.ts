// Sentiment in [-1, 1] and profanity for en/fr/es customer messages.
//
// Score: a hand-written customer-service polarity lexicon (below; accent-free, prefix patterns), backed by the
// NLP.js sentiment dictionaries (Senticon en/es, Pattern fr; stemmed) for words the lexicon does not know, at a
// lower weight because they are general-purpose and noisy. Negators flip the next few words, intensifiers scale
// them, "!" and SHOUTING amplify. The raw sum is squashed into [-1, 1] with x / sqrt(x² + 4).
//
// Profanity: swear words and insults in the three languages, Québec sacres included (tabarnak, câlisse, osti,
// crisse, ciboire, ...) and Spanish/Mexican ones (mierda, chingada, pinche, pendejo, cabrón, ...), plus common
// obfuscations (f*ck, sh!t). Reported, never blocked: the escalation rules decide what to do with it.
import type { Language, SentimentLabel } from '../runtime/contracts.js';
import { sentimentDictionary, stem } from './nlpjs.js';
import { HAS_ENYE, normalize, textFacts, tokenize } from './text.js';
import { tokenInfos, type TokenInfo } from './tokens.js';

// ---- polarity lexicon ---------------------------------------------------------------------------------------------
// word -> polarity; "*" = prefix. Accent-free (messages are normalised before lookup).

const POLARITY: Record<string, number> = {};
function words(polarity: number, list: string): void {
  for (const w of list.split(/\s+/)) if (w) POLARITY[w] = polarity;
}
// strong positive
words(
  2.5,
  `love* loving amazing awesome excellent* fantastic* wonderful perfect* outstanding superb brilliant incredible
   delicious exceptional flawless adore* adorer ador* genial* parfait* parfaite* merveilleu* excellente* fantastique*
   incroyable* delicieu* magnifique* superbe* encant* encanta excelente* fantastico* fantastica* increible* maravill*
   perfecto* perfecta* delicios* buenisim* buenaso padrisim* chingon* bacan* espectacular* exquis*`,
);
// positive
words(
  1.5,
  `great good nice happy glad pleased thanks thank thx ty appreciate* appreciated helpful smooth
   impressed impressive enjoy* enjoyed beautiful lovely cool kudos bravo congrats satisfied
   merci remerci* content contente ravi ravie heureu* bon bonne super chouette sympa* aimable
   gentil* satisfait* impressionn* felicit* chapeau top gracias agradec* contento contenta feliz bueno buena buen rico rica
   amable chido chida padre guay satisfech* impresionad* bonito bonita lindo linda hermos* agradable`,
);
// negative
words(
  -1.5,
  `bad poor problem problems issue issues wrong broken broke damaged defective missing late slow difficult confusing
   unfortunately annoying annoyed upset unhappy disappointing mediocre cheap flimsy leak* leaking stuck fail* failed
   error errors lost confused worried worry concerned unclear mauvais mauvaise probleme problemes casse cassee brise
   brisee endommag* defectu* manquant* retard* lent lente difficile decevant* ennuy* enerv* inquiet* inquiete
   malheureusement perdu perdue fuit poche plate malo mala problema problemas roto rota danad* defectuos* tarde lento
   lenta dificil molest* preocupad* desafortunadamente perdido perdida falla fallo atrasad* chafa worse misleading
   trompeu* engan* ruined ruin gache* arruin* wet mouill* mojad* noisy bruyant* ruidos* erronee* erroneo* equivocad*
   farce joke regret* regrett* arrepient* arrepiento mal insatisf* inconforme* unreliable`,
);
// strong negative
words(
  -2.5,
  `terrible horrible awful worst disgusting unacceptable ridiculous scam* fraud* furious angry hate hated useless
   garbage trash junk pathetic disappointed disappoint* frustrat* outraged outrageous nightmare incompetent rude
   lousy sucks ripped ripoff rip-off shameful disgrace* pire nul nulle inacceptable ridicule* arnaque* fache fachee
   furieu* deteste decu decue decevant frustr* cauchemar incompetent* impoli* honteu* poubelle cochonnerie camelote
   degueulasse degoutant* tanne tannee ecoeure* pesim* peor inaceptable ridicul* estafa* estafad* furios* enojad*
   enfadad* odio inutil basura porqueria decepcionad* pesadilla grosero grosera vergonzos* asqueros* harto harta
   fatal lamentable patetic* desastre disaster horrendo horrenda mecontent* exasperant* exaspera* fastidio`,
);

// Québec: "écoeurant" is praise ("c'est écoeurant!"), "pas pire" means good; fixed phrases override single words.
const PHRASES: [string[], number][] = [
  [['pas', 'pire'], 1.5],
  [['c', 'est', 'ecoeurant'], 2.5],
  [['vous', 'etes', 'ecoeurant'], 2.5],
  [['not', 'bad'], 1],
  [['no', 'esta', 'mal'], 1],
  [['pas', 'mal'], 1],
  [['no', 'way'], -0.5],
  [['waste', 'of'], -2.5],
  [['ripped', 'off'], -2.5],
  [['fed', 'up'], -2.5],
  [['en', 'ai', 'marre'], -2.5],
  [['j', 'en', 'ai', 'marre'], -2.5],
  [['hasta', 'la', 'madre'], -2.5],
  [['never', 'again'], -2],
  [['plus', 'jamais'], -2],
  [['nunca', 'mas'], -2],
  [['keep', 'it', 'up'], 2],
  [['sigan', 'asi'], 2],
  [['well', 'done'], 2],
  [['bien', 'joue'], 2],
  [['thank', 'you'], 1.5],
  [['no', 'thanks'], 0],
  [['tres', 'bien'], 1.5],
  [['what', 'a', 'joke'], -2.5],
  [['quelle', 'farce'], -2.5],
  [['que', 'chiste'], -2],
  [['not', 'ok'], -2],
  [['not', 'okay'], -2],
  [['pas', 'correct'], -2],
  [['pas', 'correcte'], -2],
  [['no', 'se', 'vale'], -2],
  [['bon', 'marche'], -1.5],
  [['puerto', 'rico'], 0],
  [['no', 'problem'], 0.5],
  [['pas', 'de', 'probleme'], 0.5],
  [['no', 'hay', 'problema'], 0.5],
  [['tell', 'me', 'a', 'joke'], 0],
  [['cuentame', 'un', 'chiste'], 0],
  [['raconte', 'moi', 'une', 'blague'], 0],
  [['muy', 'bien'], 1.5],
  [['todo', 'bien'], 1],
  [['ca', 'va', 'bien'], 1],
];

const PHRASES_BY_FIRST = new Map<string, [string[], number][]>();
for (const ph of PHRASES) {
  const list = PHRASES_BY_FIRST.get(ph[0][0]!);
  if (list) list.push(ph);
  else PHRASES_BY_FIRST.set(ph[0][0]!, [ph]);
}

const NEGATORS = new Set([
  'not', 'no', 'never', 'dont', 'didnt', 'doesnt', 'isnt', 'wasnt', 'arent', 'cant', 'cannot', 'wont', 'hardly', 'nothing',
  'ne', 'n', 'pas', 'jamais', 'rien', 'aucun', 'aucune', 'nunca', 'jamas', 'ni', 'tampoco', 'nada', 'ningun', 'ninguna', 'sin',
  'without', 'sans', 'less', 'moins', 'menos',
]);
// Determiners before "good"/"bon"/"buen": a request ("a good gift"), not praise.
const DETERMINERS = new Set(['a', 'an', 'any', 'some', 'un', 'une', 'des', 'una', 'uno', 'unos', 'unas', 'algun', 'alguna', 'quelque']);
const GOOD = new Set(['good', 'great', 'nice', 'bon', 'bonne', 'bons', 'bonnes', 'buen', 'buena', 'bueno', 'buenos', 'buenas']);
// "don't" tokenises as "don" "t": the "t" is the negator.
const NEG_CONTRACTIONS = new Set(['don', 'didn', 'doesn', 'isn', 'wasn', 'aren', 'can', 'won', 'couldn', 'wouldn', 'shouldn', 'haven', 'hasn']);
const INTENSIFIERS: Record<string, number> = {
  very: 1.5, really: 1.4, so: 1.3, extremely: 1.8, totally: 1.5, absolutely: 1.6, too: 1.3, incredibly: 1.6, truly: 1.4,
  tres: 1.5, vraiment: 1.5, tellement: 1.5, trop: 1.3, extremement: 1.8, totalement: 1.5, absolument: 1.6, full: 1.3, ben: 1.2,
  muy: 1.5, realmente: 1.4, demasiado: 1.4, extremadamente: 1.8, totalmente: 1.5, re: 1.3, bastante: 1.2,
};

// ---- profanity -------------------------------------------------------------------------------------------------------

const PROFANITY_WORDS: Record<Language | 'any', string> = {
  en: `fuck* fck fckin fcking fuk fukin motherf* shit* shitty bullshit bs asshole* ass arse bitch* bastard* damn damned
       dammit goddamn* crap crappy dick dickhead* piss pissed twat wanker* jackass* wtf stfu`,
  fr: `merde* merdique putain* pute bordel connard* connasse conne salaud* salope* encule* foutre foutu* chier chiant*
       emmerd* batard* tabarnak tabarnac tabarnack tabernak tabernac calisse caliss calice calvaire
       crisse criss christie ostie osti hostie esti estie sacrament ciboire ciboere viarge maudit maudite maudits mosus`,
  es: `mierda* joder jodid* jodan carajo* chingad* chingar* chingue* chingon pinche* pendej* cabron* cabrona puta* puto*
       verga* culero* culera* gilipollas hostia hostias cojones mamon* mamada* ojete naco idiota estupid* imbecil*
       huevon* weon* boludo* pelotud* culiao malparid* hijueput* marica`,
  any: `idiot* stupid moron* dumbass* imbecile* cretin*`,
};
// Words that are profane only in one language and innocent in another ("con" is "with" in Spanish, "ass" a
// French card) count only in the message's own language. ("cono" is a filter cone: "coño" is matched with its tilde.)
const LANG_ONLY: Record<Language, Set<string>> = {
  en: new Set(['ass', 'bs', 'dick', 'crap', 'piss']),
  fr: new Set(['con', 'cons', 'maudit', 'maudite', 'maudits', 'pute', 'conne']),
  es: new Set(['naco', 'marica']),
};
const CONO = /(?<![a-zñ])coño(?![a-zñ])/i;
const OBFUSCATED = /\bf[\W_*@#]{0,2}[u*@#][\W_*@#]{0,2}[c*][\W_*@#]{0,2}k|\bf\*{2,}|\bsh[\W_*!1i]{1,2}t\b|\bb[\W_*!1i]tch|\bc[*@]l[i*]ss|\bt[a@]b[a@]rn[a@*]k|\bmerd[e3*]\b|\bp[u*]t[a@*]in\b|\bm[i1*][e3*]rd[a@*]/i;

interface Pattern {
  exact: Map<string, number>;
  /** Prefix entries of 3+ characters bucketed by their first three characters (key3), longest first. */
  prefix3: Map<number, { head: string; value: number }[]>;
  /** Prefix entries shorter than 3 characters, longest first. */
  short: { head: string; value: number }[];
}

function key3(tok: string): number {
  if (tok.length < 3) return -1;
  const a = tok.charCodeAt(0);
  const b = tok.charCodeAt(1);
  const c = tok.charCodeAt(2);
  if ((a | b | c) > 255) return -1;
  return (a << 16) | (b << 8) | c;
}

function compile(entries: Iterable<[string, number]>): Pattern {
  const exact = new Map<string, number>();
  const prefix3 = new Map<number, { head: string; value: number }[]>();
  const short: { head: string; value: number }[] = [];
  for (const [w, value] of entries) {
    if (!w.endsWith('*')) {
      exact.set(w, value);
      continue;
    }
    const head = w.slice(0, -1);
    if (head.length < 3) short.push({ head, value });
    else {
      const k = key3(head);
      const list = prefix3.get(k);
      if (list) list.push({ head, value });
      else prefix3.set(k, [{ head, value }]);
    }
  }
  for (const list of prefix3.values()) list.sort((a, b) => b.head.length - a.head.length);
  short.sort((a, b) => b.head.length - a.head.length);
  return { exact, prefix3, short };
}

function lookup(p: Pattern, tok: string): number | undefined {
  const v = p.exact.get(tok);
  if (v !== undefined) return v;
  const list = p.prefix3.get(key3(tok));
  if (list) for (const e of list) if (tok.startsWith(e.head)) return e.value;
  for (const e of p.short) if (tok.startsWith(e.head)) return e.value;
  return undefined;
}

const polarity = compile(Object.entries(POLARITY));
const profanity: Record<Language, Pattern> = { en: compile([]), fr: compile([]), es: compile([]) };
for (const lang of ['en', 'fr', 'es'] as const) {
  const entries: [string, number][] = [];
  for (const src of ['en', 'fr', 'es', 'any'] as const) {
    for (const w of PROFANITY_WORDS[src].split(/\s+/)) {
      if (!w) continue;
      const onlyIn = (['en', 'fr', 'es'] as const).find((l) => LANG_ONLY[l].has(w.replace(/\*$/, '')));
      if (onlyIn && onlyIn !== lang) continue;
      entries.push([w, 1]);
    }
  }
  for (const base of LANG_ONLY[lang]) entries.push([base, 1]);
  profanity[lang] = compile(entries);
}
const PROFANE_PHRASES = [['ta', 'gueule'], ['concha', 'tu', 'madre'], ['hijo', 'de', 'puta'], ['fils', 'de', 'pute'], ['me', 'cago'], ['screw', 'you'], ['va', 'te', 'faire']];
const PROFANE_BY_FIRST = new Map<string, string[][]>();
for (const ph of PROFANE_PHRASES) PROFANE_BY_FIRST.set(ph[0]!, [...(PROFANE_BY_FIRST.get(ph[0]!) ?? []), ph]);

// ---- NLP.js dictionaries ---------------------------------------------------------------------------------------------

const dictionaries: Partial<Record<Language, { words: Record<string, number>; stemmed: boolean }>> = {};
function dictionary(lang: Language) {
  return (dictionaries[lang] ??= sentimentDictionary(lang));
}
/** Weight of NLP.js dictionary polarities relative to the curated lexicon (their values are in [-1, 1]). */
const NLPJS_WEIGHT = 0.6;

export interface SentimentResult {
  score: number;
  label: SentimentLabel;
  profanity: boolean;
}

export interface SentimentOptions {
  /** Use the NLP.js dictionaries for words the curated lexicon does not know. */
  nlpjs: boolean;
  /** |score| at or above this is positive/negative; below is neutral. */
  threshold: number;
}

export const DEFAULT_SENTIMENT_OPTIONS: SentimentOptions = { nlpjs: false, threshold: 0.2 };

// ---- per-token facts ---------------------------------------------------------------------------------------------
// What the scoring loop asks about a token, computed once per token (tokens.ts) and packed in TokenInfo.sentiment.
const T_READY = 1;
const T_NEGATOR = 2;
const T_NEG_CONTRACTION = 4;
const T_GOOD = 8;
const T_DETERMINER = 16;
const T_INTENSIFIER = 32;
const T_POLARITY = 64;
const T_PROFANE: Record<Language, number> = { en: 128, fr: 256, es: 512 };
// Own entries only: a plain-object lookup would also find "constructor" on Object.prototype.
const INTENSIFIER_MAP = new Map<string, number>(Object.entries(INTENSIFIERS));

function tokenFacts(info: TokenInfo): number {
  if (info.sentiment >= 0) return info.sentiment;
  const tok = info.text;
  let f = T_READY;
  if (NEGATORS.has(tok)) f |= T_NEGATOR;
  if (NEG_CONTRACTIONS.has(tok)) f |= T_NEG_CONTRACTION;
  if (GOOD.has(tok)) f |= T_GOOD;
  if (DETERMINERS.has(tok)) f |= T_DETERMINER;
  const inten = INTENSIFIER_MAP.get(tok);
  if (inten !== undefined) {
    f |= T_INTENSIFIER;
    info.intensity = inten;
  }
  const v = tok.length > 1 ? lookup(polarity, tok) : undefined;
  if (v !== undefined) {
    f |= T_POLARITY;
    info.polarity = v;
  }
  for (const lang of ['en', 'fr', 'es'] as const) if (lookup(profanity[lang], tok) !== undefined) f |= T_PROFANE[lang];
  info.sentimentPhrases = PHRASES_BY_FIRST.get(tok) ?? null;
  info.profanePhrases = PROFANE_BY_FIRST.get(tok) ?? null;
  info.sentiment = f;
  return f;
}

const scratchInfos: TokenInfo[] = [];

export function hasProfanity(text: string, language: Language, tokens: readonly string[] = tokenize(normalize(text)), infos?: readonly TokenInfo[]): boolean {
  const recs = infos ?? tokenInfos(tokens, scratchInfos);
  // (a switch, not T_PROFANE[language]: a keyed load whose key varies goes through a slow generic lookup)
  const profane = language === 'en' ? T_PROFANE.en : language === 'fr' ? T_PROFANE.fr : T_PROFANE.es;
  for (let i = 0; i < recs.length; i++) if (tokenFacts(recs[i]!) & profane) return true;
  for (let i = 0; i < tokens.length; i++) {
    const list = recs[i]!.profanePhrases;
    if (list) for (const ph of list) if (ph.every((w, k) => tokens[i + k] === w)) return true;
  }
  // "coño" keeps its tilde to be told from "cono" (a filter cone).
  return OBFUSCATED.test(text) || ((textFacts(text).flags & HAS_ENYE) !== 0 && CONO.test(text));
}

export function analyzeSentiment(
  text: string,
  language: Language,
  tokens: readonly string[] = tokenize(normalize(text)),
  options: SentimentOptions = DEFAULT_SENTIMENT_OPTIONS,
  infos?: readonly TokenInfo[],
): SentimentResult {
  const recs = infos ?? tokenInfos(tokens, scratchInfos);
  const dict = options.nlpjs ? dictionary(language) : undefined;
  let raw = 0;
  let negate = 0; // number of following tokens still negated
  let boost = 1;
  for (let i = 0; i < tokens.length; i++) {
    const tok = tokens[i]!;
    const info = recs[i]!;
    const f = tokenFacts(info);
    // Phrases first.
    let phraseValue: number | undefined;
    let phraseLen = 0;
    const candidates = info.sentimentPhrases;
    if (candidates) for (const [ph, v] of candidates) {
      if (ph.length <= phraseLen) continue;
      let ok = true;
      for (let k = 1; k < ph.length; k++) if (tokens[i + k] !== ph[k]) ok = false;
      if (ok) {
        phraseValue = v;
        phraseLen = ph.length;
      }
    }
    if (phraseValue !== undefined) {
      raw += phraseValue * boost;
      boost = 1;
      negate = 0;
      i += phraseLen - 1;
      continue;
    }
    if (f & T_NEGATOR || (tok === 't' && i > 0 && tokenFacts(recs[i - 1]!) & T_NEG_CONTRACTION)) {
      negate = 3;
      continue;
    }
    if (f & T_INTENSIFIER) {
      boost = info.intensity;
      continue;
    }
    let v = f & T_POLARITY ? info.polarity : undefined;
    if (v !== undefined && f & T_GOOD && i > 0 && tokenFacts(recs[i - 1]!) & T_DETERMINER) v = undefined;
    if (v === undefined && dict && tok.length > 2) {
      const key = dict.stemmed ? stem(tok, language) : tok;
      const d = dict.words[key];
      if (d !== undefined && Math.abs(d) >= 0.25) v = d * 2 * NLPJS_WEIGHT;
    }
    if (v !== undefined && v !== 0) {
      // A negated positive is a mild negative ("not happy"); a negated negative is neutral ("never had such bad",
      // "no problem": the first is a complaint, the second is not; "not bad" is a phrase above).
      const val = negate > 0 ? (v > 0 ? -0.75 * v : 0) : v;
      raw += val * boost;
      boost = 1;
    }
    if (negate > 0) negate--;
  }
  const prof = hasProfanity(text, language, tokens, recs);
  if (prof) raw -= 1;
  if (raw !== 0) {
    const f = textFacts(text);
    const bangs = Math.min(3, f.bangs);
    raw *= 1 + 0.15 * bangs;
    // Shouting: 8+ ASCII letters, more than 70% of them upper case.
    if (f.asciiLetters >= 8 && f.asciiUpper / f.asciiLetters > 0.7) raw *= 1.3;
  }
  const score = Math.max(-1, Math.min(1, raw / Math.sqrt(raw * raw + 4)));
  const label: SentimentLabel = score >= options.threshold ? 'positive' : score <= -options.threshold ? 'negative' : 'neutral';
  return { score: Math.round(score * 1000) / 1000, label, profanity: prof };
}
