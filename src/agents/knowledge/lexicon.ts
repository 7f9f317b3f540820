// The shop's thesaurus: how customers say it → how the knowledge base says it, in en, fr and es.
//
// Query expansion, the classic companion of BM25 (what an Elasticsearch synonym filter does): a customer writes
// "send it back", "package" or "customer service"; the policies say "return", "parcel" and "support". A French or
// Spanish question about a topic documented only in English ("voyant", "molinillo") gains the English terms, so the
// English guide can be found. Each group lists equivalent expressions per language; an expression matches when all
// its words occur in the query (in any order; plurals in -s/-x/-es included). Matched groups add the words of their
// expressions in the query's language and in English. Data, not code: extend it from real conversations.
import type { Language } from '../runtime/contracts.js';
import { contentWords, words } from './text.js';

type Group = Partial<Record<Language, string[]>>;

const GROUPS: Group[] = [
  // returns, refunds, exchanges
  { en: ['return', 'returns', 'send back', 'take back'], fr: ['retour', 'retourner', 'renvoyer'], es: ['devolucion', 'devolver'] },
  { en: ['refund', 'refunded', 'money back'], fr: ['remboursement', 'rembourser', 'rembourse'], es: ['reembolso', 'reembolsar', 'devuelven el dinero', 'devolver el dinero'] },
  { en: ['exchange', 'swap'], fr: ['echange', 'echanger'], es: ['cambio', 'cambiar'] },
  { en: ['return window', 'how long to return'], fr: ['delai de retour'], es: ['plazo de devolucion'] },
  // shipping, parcels, tracking
  { en: ['shipping', 'delivery', 'ship'], fr: ['livraison', 'expedition', 'envoi'], es: ['envio', 'entrega'] },
  { en: ['parcel', 'package'], fr: ['colis', 'paquet'], es: ['paquete'] },
  { en: ['tracking', 'track'], fr: ['suivi', 'suivre'], es: ['seguimiento', 'rastrear'] },
  { en: ['not received', 'never got', 'never arrived', 'did not arrive', 'didnt arrive'], fr: ['jamais recu', 'pas recu'], es: ['no recibi', 'nunca llego', 'no llego'] },
  { en: ['lost', 'missing'], fr: ['perdu'], es: ['perdido'] },
  { en: ['stolen'], fr: ['vole'], es: ['robado'] },
  { en: ['damaged', 'broken'], fr: ['endommage', 'abime', 'casse'], es: ['danado', 'roto'] },
  { en: ['free shipping'], fr: ['livraison gratuite'], es: ['envio gratis', 'envio gratuito'] },
  { en: ['customs', 'duties'], fr: ['douane', 'droits de douane'], es: ['aduana', 'aranceles'] },
  // orders, payment, account
  { en: ['order'], fr: ['commande'], es: ['pedido', 'orden'] },
  { en: ['cancel', 'cancellation'], fr: ['annuler', 'annulation'], es: ['cancelar', 'cancelacion'] },
  { en: ['payment', 'charged twice', 'double charge'], fr: ['paiement', 'payer', 'debite'], es: ['pago', 'pagar', 'cobro', 'cobraron'] },
  { en: ['invoice', 'receipt'], fr: ['facture', 'recu'], es: ['factura', 'recibo'] },
  { en: ['account', 'sign in', 'log in', 'login'], fr: ['compte', 'connexion'], es: ['cuenta', 'iniciar sesion'] },
  { en: ['password'], fr: ['mot de passe'], es: ['contrasena'] },
  { en: ['personal data', 'privacy'], fr: ['donnees personnelles', 'confidentialite'], es: ['datos personales', 'privacidad'] },
  { en: ['gift card'], fr: ['carte cadeau'], es: ['tarjeta regalo', 'tarjeta de regalo'] },
  { en: ['subscription', 'auto delivery'], fr: ['abonnement', 'livraison automatique'], es: ['suscripcion', 'entrega automatica'] },
  { en: ['wholesale', 'b2b', 'bulk'], fr: ['vente en gros', 'grossiste'], es: ['mayorista', 'al por mayor'] },
  // loyalty
  { en: ['loyalty', 'rewards'], fr: ['fidelite'], es: ['fidelidad'] },
  { en: ['points'], fr: ['points'], es: ['puntos'] },
  { en: ['redeem'], fr: ['utiliser mes points', 'echanger mes points'], es: ['canjear'] },
  { en: ['expire', 'expiry'], fr: ['expirer', 'expiration'], es: ['caducar', 'caducidad', 'vencer'] },
  { en: ['tier', 'level'], fr: ['niveau'], es: ['nivel'] },
  { en: ['gold'], fr: ['niveau or'], es: ['oro'] },
  // support
  { en: ['support', 'customer service', 'agent', 'human'], fr: ['service client', 'conseiller'], es: ['atencion al cliente', 'soporte'] },
  { en: ['hours', 'open', 'what time'], fr: ['horaires', 'heures', 'ouvert'], es: ['horario', 'abierto'] },
  // products and care
  { en: ['warranty', 'guarantee'], fr: ['garantie'], es: ['garantia'] },
  { en: ['defect', 'defective', 'faulty'], fr: ['defaut', 'defectueux'], es: ['defecto', 'defectuoso'] },
  { en: ['grinder'], fr: ['moulin'], es: ['molinillo', 'molino'] },
  { en: ['kettle'], fr: ['bouilloire'], es: ['hervidor', 'tetera'] },
  { en: ['espresso machine'], fr: ['machine a expresso', 'machine espresso'], es: ['cafetera espresso', 'maquina de espresso'] },
  { en: ['scale'], fr: ['balance'], es: ['bascula', 'balanza'] },
  { en: ['descale', 'descaling', 'limescale'], fr: ['detartrer', 'detartrage', 'tartre', 'calcaire'], es: ['descalcificar', 'descalcificacion', 'sarro'] },
  { en: ['clean', 'cleaning'], fr: ['nettoyer', 'nettoyage'], es: ['limpiar', 'limpieza'] },
  { en: ['light', 'status light', 'blinking'], fr: ['voyant', 'clignote'], es: ['luz', 'parpadea'] },
  { en: ['amber'], fr: ['orange'], es: ['ambar', 'naranja'] },
  { en: ['noise', 'clicking'], fr: ['bruit', 'clic'], es: ['ruido', 'clic'] },
  { en: ['voltage'], fr: ['tension', 'voltage'], es: ['voltaje'] },
  { en: ['recipe', 'brew', 'brewing'], fr: ['recette', 'preparation'], es: ['receta', 'preparacion'] },
];

interface Expression {
  group: number;
  language: Language;
  words: string[];
}

const EXPRESSIONS: Expression[] = GROUPS.flatMap((group, index) =>
  (Object.entries(group) as [Language, string[]][]).flatMap(([language, list]) =>
    list.map((text) => ({ group: index, language, words: words(text) })).filter((e) => e.words.length > 0),
  ),
);
/** Expressions by their first word: a query only looks at the expressions that can match it. */
const BY_FIRST_WORD = new Map<string, Expression[]>();
for (const e of EXPRESSIONS) {
  const first = e.words[0] as string;
  BY_FIRST_WORD.set(first, [...(BY_FIRST_WORD.get(first) ?? []), e]);
}
/** Content words each group contributes, per language. */
const GROUP_WORDS: Partial<Record<Language, string[]>>[] = GROUPS.map((group) =>
  Object.fromEntries(
    (Object.entries(group) as [Language, string[]][]).map(([language, list]) => [language, [...new Set(list.flatMap((t) => contentWords(t)))]]),
  ),
);

/** The query's words, each also without a plural ending (-s, -x, -es). */
function queryForms(query: string): Set<string> {
  const forms = new Set<string>();
  for (const w of words(query)) {
    forms.add(w);
    if (w.length > 3 && (w.endsWith('s') || w.endsWith('x'))) forms.add(w.slice(0, -1));
    if (w.length > 4 && w.endsWith('es')) forms.add(w.slice(0, -2));
  }
  return forms;
}

/**
 * Words to add to a query: from every group with an expression found in the query, the content words of the
 * group's expressions in the query's language and in English (the language every topic is documented in).
 */
export function expansionTerms(query: string, language?: Language): string[] {
  return expansions(query, language).map((e) => e.word);
}

/** The expansion words with the language of the expression each came from. */
export function expansions(query: string, language?: Language): { word: string; language: Language }[] {
  const forms = queryForms(query);
  const matched = new Map<number, Language>(); // group → language of the first expression that matched
  for (const form of forms) {
    for (const e of BY_FIRST_WORD.get(form) ?? []) {
      if (!matched.has(e.group) && e.words.every((w) => forms.has(w))) matched.set(e.group, e.language);
    }
  }
  if (!matched.size) return [];
  const seen = new Set(contentWords(query));
  const out: { word: string; language: Language }[] = [];
  for (const [group, matchedLanguage] of [...matched].sort((a, b) => a[0] - b[0])) {
    const targets = language ? (['en', language] as const) : (['en', matchedLanguage] as const);
    for (const target of new Set(targets)) {
      for (const w of GROUP_WORDS[group]?.[target] ?? []) {
        if (!seen.has(w)) {
          seen.add(w);
          out.push({ word: w, language: target });
        }
      }
    }
  }
  return out;
}
