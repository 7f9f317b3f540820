// Words that trigger escalation rules, per language, accent-folded and lowercase.
// Kept as data so an operator's config can extend them (escalation.keywords in the runtime config).

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

export function foldText(text: string): string {
  return text.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
}

const compiled = new Map<string, RegExp>();

/**
 * Whole words or phrases (plural/past endings allowed: "fires", "burned"); an entry ending in `*` is a stem
 * ("injur*" matches "injured", "injury"). So "fire" matches "caught fire" but not "firefox".
 */
export function matchesAny(folded: string, words: string[]): string | undefined {
  for (const w of words) {
    let re = compiled.get(w);
    if (!re) {
      const stem = w.endsWith('*');
      const body = (stem ? w.slice(0, -1) : w).replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/ /g, '\\s+');
      re = new RegExp(`(?<![a-z0-9])${body}${stem ? '' : '(?:s|es|d|ed)?(?![a-z0-9])'}`);
      compiled.set(w, re);
    }
    if (re.test(folded)) return w;
  }
  return undefined;
}
