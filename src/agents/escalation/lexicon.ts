// Words that trigger escalation rules, per language, accent-folded and lowercase. A word that also has an everyday
// sense ("a burnt taste", "mucha demanda", "poursuivre ma commande") counts only in the context of its serious one.
// Kept as data so an operator's config can extend them (escalation.keywords in the runtime config).
import { LRUCache } from 'lru-cache';

/**
 * A word that counts only in context: next to one of its `before` words (ending at most `within` words before it)
 * or `after` words (starting at most `within` words after it), in the same sentence. "smoke" counts in "smoke came
 * out of the grinder", not in "a smoke flavour"; "demanda" in "presentar una demanda", not in "tiene mucha demanda".
 * Words and context words have the syntax of a plain entry (phrases, a trailing `*` for a stem).
 */
export interface ContextualEntry {
  words: string[];
  before?: string[];
  after?: string[];
  /** Words allowed between a word and its context (default 2). */
  within?: number;
  /**
   * Words that cancel it when they end at most `within` words before it, in the same sentence: "avoid burning my
   * hand" is a question, "deals are on fire" praise, "I'm a lawyer" an introduction. An entry with only `unless`
   * (or `unlessAfter`) counts anywhere else.
   */
  unless?: string[];
  /** Words that cancel it when they start at most `within` words after it: "a shock of energy", "de plaisir". */
  unlessAfter?: string[];
}

/** A plain word or phrase (it counts wherever it appears), or a word that counts only in context. */
export type LexiconEntry = string | ContextualEntry;

export type EscalationLexicon = Record<'safety' | 'threat' | 'frustration' | 'lostOrStolen' | 'defect' | 'humanRequest' | 'bulk', LexiconEntry[]>;

// Context shared by the safety words: a part of the body (someone was hurt) per language, and a part of an appliance
// (the appliance itself is failing: "the motor smells burnt", "smoke came out of the base").
const BODY_EN = [
  'hand', 'hands', 'finger', 'fingers', 'fingertip*', 'thumb', 'palm', 'wrist', 'arm', 'arms', 'skin', 'face', 'mouth', 'tongue', 'lip', 'lips',
  'eye', 'eyes', 'leg', 'foot', 'feet', 'chest', 'neck', 'kid', 'child', 'children', 'son', 'daughter', 'baby', 'toddler',
];
/** Parts of a body, not people: "spilled all over my daughter's leg", not "on my son's homework". */
const BODY_PARTS_EN = BODY_EN.filter((w) => !['kid', 'child', 'children', 'son', 'daughter', 'baby', 'toddler'].includes(w));
const BODY_FR = [
  'main', 'mains', 'doigt', 'doigts', 'pouce', 'paume', 'poignet', 'bras', 'peau', 'visage', 'bouche', 'langue',
  'levre', 'levres', 'oeil', 'yeux', 'jambe', 'enfant', 'fils', 'fille', 'bebe',
];
const BODY_ES = [
  'mano', 'manos', 'dedo', 'dedos', 'pulgar', 'palma', 'muneca', 'brazo', 'piel', 'cara', 'boca', 'lengua', 'labio',
  'labios', 'ojo', 'ojos', 'pierna', 'hijo', 'hija', 'nino', 'nina', 'bebe',
];
const PARTS = [
  'motor', 'cord', 'plug', 'outlet', 'socket', 'wire', 'wires', 'wiring', 'cable', 'charger', 'battery', 'power supply', 'circuit*', 'fuse',
  'heating element', 'element', 'base', 'adapter', 'adaptor', 'electronics',
  'moteur', 'cordon', 'fiche', 'prise', 'fil', 'fils electriques', 'chargeur', 'batterie', 'socle', 'interrupteur',
  'adaptateur', 'resistance', 'electronique',
  'enchufe', 'clavija', 'cargador', 'bateria', 'interruptor', 'adaptador', 'resistencia', 'circuito',
];
const SELF_EN = ['myself', 'himself', 'herself', 'themselves', 'yourself', 'ourselves'];
// "How do I avoid burning my hand?", "sans se brûler", "para no quemarme": a question, not an incident.
const PREVENTION = ['avoid', 'avoiding', 'prevent', 'preventing', 'without', 'keep from', 'not to', 'so as not to', 'eviter', 'sans', 'empecher', 'evitar', 'sin', 'para no'];
// "Se me quemó la tostada": food that burned, not someone.
const FOOD_ES = ['la tostada', 'el pan', 'la comida', 'el arroz', 'la cena', 'el cafe', 'la leche', 'el agua'];
const SYMPTOMS = [
  'hives', 'swell*', 'swollen', 'rash', 'throat', 'breath*', 'urticaire', 'gonfl*', 'enfl*', 'respir*', 'gorge',
  'ronchas', 'hinch*', 'sarpullido', 'urticaria', 'garganta',
];

export const DEFAULT_LEXICON: EscalationLexicon = {
  // An incident or an injury, not a flavour or a question about a product: "a burnt taste", "a smoked tea", "on the
  // fire", "I am allergic to nuts" are none.
  safety: [
    // Fire, burns and smoke.
    'caught fire', 'catching fire', 'set fire', 'burst into flames', 'burst into flame', 'in flames', 'there was a fire', 'started a fire',
    'cought fire', 'caught fier', 'cought fier', 'saw flames', 'saw a flame', 'flames near', 'flames coming',
    // "the kettle is on fire"; not "your deals are on fire".
    { words: ['on fire'], unless: ['roast', 'game', 'deal', 'deals', 'price', 'prices', 'sale', 'sales', 'discount*', 'friday', 'team', 'service', 'website', 'you guys', 'this shop', 'this store'] },
    'smells like something is burning', 'smells like something burning', 'smell of something burning', 'something is burning inside',
    'something burning inside',
    'burning smell', 'smell of burning', 'smells like burning', 'smelled like burning', 'burning plastic', 'burnt plastic', 'melted plastic',
    'burned myself', 'burnt myself', 'burned me', 'burnt me', 'scalded me', 'scalded myself',
    {
      // "I got burned", not "the coffee was burnt".
      words: [
        'got burned', 'got burnt', 'was burned', 'was burnt', 'were burned', 'were burnt', 'got scalded',
        'was scalded', 'got hurt', 'was hurt',
      ],
      before: ['i', 'he', 'she', 'we', 'they', 'son', 'daughter', 'kid', 'child', 'baby', 'someone', 'wife', 'husband', 'partner'],
      within: 0,
    },
    { words: ['burn', 'burns', 'burned', 'burnt', 'burning', 'scalded', 'scalding'], after: [...BODY_EN, ...SELF_EN], unless: PREVENTION },
    // "my hand got burned", "my tongue is burnt from the spout".
    {
      words: ['burn', 'burns', 'burned', 'burnt', 'burning', 'scalded', 'scalding'],
      before: BODY_EN,
      within: 3,
      unless: PREVENTION,
      // "my daughter burned through her allowance".
      unlessAfter: ['through', 'out of', 'from curiosity'],
    },
    // Hot liquid on someone: "boiling water spilled all over my daughter's leg".
    { words: ['spilled', 'spilt', 'splashed', 'boiling water', 'boiling hot'], after: BODY_PARTS_EN, within: 6, unless: PREVENTION },
    // Marks of a burn or a scald: "she has blisters", "my face is red and stinging".
    'blisters', 'blistered', 'blistering',
    { words: ['stinging', 'stings'], before: BODY_PARTS_EN, within: 3 },
    { words: ['burn', 'burned', 'burnt', 'burning', 'burned out', 'burnt out', 'smoked', 'melted', 'melting'], before: PARTS, within: 4 },
    { words: ['burning', 'burned', 'burnt', 'melted', 'melting'], after: PARTS, within: 1 },
    'there was smoke', 'there is smoke', 'smoke everywhere',
    { words: ['smoking'], before: ['is', 'was', 'are', 'were'], within: 0 },
    {
      words: ['smoke', 'smoking'],
      before: [
        'started', 'began', 'start', 'starts', 'begins', 'kept', 'keeps', 'saw', 'full of', 'puff of', 'cloud of',
        'plume of',
      ],
      within: 1,
    },
    {
      words: ['smoke'],
      after: ['came out', 'coming out', 'comes out', 'came from', 'coming from', 'comes from', 'was coming', 'is coming', 'poured', 'pouring', 'billow*', 'out of', 'started'],
      within: 1,
    },
    { words: ['smoke', 'smoking', 'sparks', 'spark', 'flames'], before: PARTS, after: PARTS, within: 3 },
    'sparked', 'sparking', 'threw sparks', 'throwing sparks', 'sparks flew', 'sparks flying',
    { words: ['spark', 'sparks', 'flames'], after: ['came', 'coming', 'flew', 'flying', 'shot', 'shooting', 'came out'] },
    'pris feu', 'prend feu', 'mis le feu',
    { words: ['en feu'], unless: ['fou', 'rabais', 'prix', 'soldes', 'promo*', 'offres', 'aubaines', 'equipe', 'service', 'vous'] }, 'depart de feu', 'incendie', 'en flammes', 'des flammes', 'brulure*', 'fumait',
    {
      words: ['brule', 'brulee', 'brules', 'brulees', 'bruler', 'brulait'],
      // Not a bare "me": "ça me brûle l'estomac" is heartburn.
      before: ['me suis', "m'a", "m'ont", "t'es", "s'est", 'se sont', "s'etait", 'nous sommes'],
      within: 0,
    },
    { words: ['brule', 'brulee', 'brules', 'brulees', 'bruler', 'brulait'], after: BODY_FR, unless: PREVENTION },
    { words: ['brule', 'brulee', 'brules', 'brulees', 'brulait'], before: BODY_FR, within: 3 },
    { words: ['brule', 'brulee', 'brules', 'brulees', 'brulait', 'fondu', 'fondue', 'grille', 'grillee'], before: PARTS, within: 4 },
    { words: ['fumee', 'fumees'], before: ['plein de', 'il y a', 'il y avait', 'degage*', 'sortir', 'sortait', 'sort', 'a commence a'] },
    {
      words: ['etincelle*', 'flammes'],
      before: ['il y a eu des', 'il y avait des', 'y a eu des', "plein d'", 'des grosses', 'a vu des', 'vu des'],
      within: 0,
      unlessAfter: ['entre', 'de bonheur', 'de joie', 'dans les yeux'],
    },
    'ebouillant*', 'ca sent le brule partout', 'sent le brule partout', 'odeur de brule partout',
    { words: ['sent le brule', 'sentait le brule', 'odeur de brule'], before: PARTS, within: 4 },
    {
      words: ['coupe', 'coupee', 'coupes', 'coupees'],
      before: ["s'est", 'me suis', 'se sont', "t'es", "s'etait"],
      within: 0,
      unlessAfter: ['les cheveux', 'la frange', 'les ongles', 'la parole'],
    },
    { words: ['donne un choc', 'donne des chocs', 'recu un choc', 'pris un choc'], unlessAfter: ['de', "d'", 'en voyant', 'en lisant', 'en apprenant'], within: 0 },
    'pris une decharge', 'recu une decharge', 'decharge electrique',
    { words: ['fumee', 'fumees'], after: ['sort*', 'sorti*', "s'echapp*", 'echapp*', 'partout', 'est sortie'] },
    { words: ['fumee', 'fumees', 'etincelle*', 'flammes'], before: PARTS, after: PARTS, within: 3 },
    {
      words: ['etincelle*'],
      before: ['fait', 'faisait', 'fait des', 'a fait des', 'jete', 'jetait', 'produit', 'lance', 'lancait'],
      unlessAfter: ['de bonheur', 'de joie', 'entre', 'dans les yeux'],
    },
    { words: ['etincelle*'], after: ['sort*', 'sorti*', 'jaill*', 'vole'] },
    'incendio', 'prendio fuego', 'agarro fuego', 'cogio fuego', 'se prendio', 'en llamas', 'salieron llamas', 'salian llamas', 'echo llamas',
    'salio fuego', 'sale fuego', 'echa fuego', 'echo fuego', 'saco fuego',
    {
      words: ['me dio toques', 'me da toques', 'da toques', 'me dio un toque', 'me dio corriente', 'me da corriente', 'me paso corriente', 'me pasa corriente'],
      unlessAfter: ['de'],
      within: 0,
    },
    'se corto con', 'me corte con', 'se ha cortado con', 'me he cortado con', 'salieron ronchas', 'me salieron ronchas', 'le salieron ronchas',
    'echando llamas', 'quemadura*',
    {
      words: ['me queme', 'me quemo'],
      unlessAfter: FOOD_ES,
      within: 0,
    },
    {
      words: ['queme', 'quemo', 'quemado', 'quemada', 'quemados', 'quemadas', 'quemando', 'quemaba'],
      before: ['me', 'te', 'nos', 'le', 'se'],
      within: 0,
      unlessAfter: FOOD_ES,
    },
    { words: ['queme', 'quemo', 'quemado', 'quemada', 'quemando', 'quemaba'], after: BODY_ES },
    { words: ['quemo', 'quemado', 'quemada', 'quemados', 'quemadas'], before: BODY_ES, within: 3 },
    // "el motor huele a quemado", "se quemó el cable"; not "el café quemado de la base".
    { words: ['quemo', 'quemado', 'quemada', 'quemando', 'quemaba', 'derritio', 'derretido', 'fundido', 'fundio'], before: PARTS, within: 4 },
    { words: ['quemo', 'quemando', 'quemaba', 'derritio', 'fundio'], after: PARTS, within: 1 },
    {
      words: ['humo', 'chispa', 'chispas', 'llamas'],
      before: [
        'echar', 'echo', 'echa', 'echan', 'echaba', 'echaron', 'echando', 'sale', 'salio', 'salia', 'saliendo', 'salir',
        'habia', 'hubo', 'lleno de', 'saco', 'saca', 'sacaba', 'sacando', 'hizo', 'hace', 'hacia', 'saltaron', 'salieron',
        'salen', 'salian', 'suelta', 'soltaba', 'solto', 'tira', 'tiraba', 'tiro', 'da', 'daba', 'dio',
      ],
    },
    { words: ['humo', 'chispa', 'chispas'], after: ['sale', 'salio', 'salia', 'saliendo', 'salieron', 'salian', 'saltaron', 'por todas partes'] },
    { words: ['humo', 'chispa', 'chispas'], before: PARTS, after: PARTS, within: 3 },
    // Electric shocks, explosions, cuts and other injuries.
    'shocked me', 'got shocked', 'got a shock',
    {
      // Not "that price gave me a shock", "a shock of energy", "the flavour zapped me awake".
      words: ['gave me a shock', 'gives me a shock', 'giving me shocks', 'gives me shocks', 'zapped me', 'zapped my', 'zaps me', 'zapping me', 'shocks me', 'shocking me'],
      unless: ['price', 'prices', 'flavour', 'flavor', 'taste', 'bill', 'total', 'news', 'sale'],
      unlessAfter: ['of', 'in a good way', 'awake', 'with'],
      within: 2,
    },
    "i'm bleeding", 'im bleeding', 'i am bleeding', 'started bleeding', 'blood everywhere', 'needed stitches', 'got stitches',
    { words: ['bleeding', 'bled'], before: BODY_PARTS_EN, within: 2 },
    'electrocut*',
    // A part, not a meal: "my toddler swallowed the rubber gasket".
    {
      words: ['swallowed', 'swallow'],
      after: ['gasket', 'seal', 'part', 'piece', 'pieces', 'battery', 'batteries', 'magnet', 'screw', 'button', 'cap', 'lid', 'ring', 'glass', 'plastic'],
      within: 6,
    },
    // Not "an explosion of flavour", "our sales exploded", "recovering from a wrist injury".
    {
      words: ['explosion', 'explosions', 'exploded', 'explose', 'explosee', 'a explose', 'exploto', 'estallo'],
      unless: ['sales', 'orders', 'business', 'followers', 'ventes', 'ventas'],
      unlessAfter: ['of flavo*', 'of taste', 'in popularity', 'de saveur*', 'de gout*', 'de sabor*'],
      within: 1,
    },
    { words: ['injur*'], unless: ['recovering from', 'recovered from', 'old', 'previous', 'past', 'sports'], within: 2 },
    'hurt myself', 'cut myself',
    'electric shock', 'electric shocks', 'choc electrique', 'chocs electriques', 'descarga electrica', 'descargas electricas',
    {
      // A bare "descarga" is also a download.
      words: ['descarga'],
      before: [
        'gave', 'giving', 'got', 'getting', 'received', 'felt', 'recu', 'eu', 'pris', 'donne', "m'a", 'dio', 'recibi',
        'senti', 'tuve',
      ],
      unlessAfter: ['de energia', "d'energie", 'of energy', 'de adrenalina', 'de emocion'],
    },
    { words: ['cut', 'sliced', 'hurt', 'gashed'], after: BODY_EN, unless: ['almost', 'nearly'], within: 2 },
    { words: ['blesse', 'blessee'], unless: ['sens', 'senti', 'sentie', 'sentir', 'un peu', 'vraiment'], within: 2 },
    'blessure*', 'me suis coupe', 'me suis blesse', 'electrocute*', 'electrise*', 'calambre', 'lastime', 'me lastime', 'me hice dano',
    { words: ['herida', 'herido'], unless: ['siento', 'sentir', 'senti', 'sentia', 'un poco'], within: 2 },
    { words: ['me corte'], unlessAfter: ['el pelo', 'el cabello', 'las unas', 'la barba', 'el fleco'], within: 0 },
    // Allergic reactions, poisoning, choking and the hospital: something happened to someone, not a question.
    'anaphyla*', 'anafila*', 'epipen', 'poisoned', 'poisoning', { words: ['choked'], unlessAfter: ['up'], within: 0 }, 'choking on', 'intoxication', 'intoxique*',
    'empoisonne*', 'intoxic*', 'envenen*',
    { words: ['choking'], before: ['was', 'were', 'is', 'started', 'began', 'kept'], within: 0 },
    {
      words: ['allergic reaction', 'allergic reactions', 'allergy attack'],
      before: ['had', 'have had', 'got', 'gave me', 'giving me', 'gave my', 'having', 'suffered', 'developed', 'experienced', 'caused', 'triggered'],
    },
    {
      words: ['reaction allergique', 'allergique', 'allergie'],
      before: ["j'ai eu", 'ai eu', "j'ai fait", 'ai fait', 'a fait', "m'a donne", "m'a cause", "m'a provoque", 'a provoque', 'a cause'],
    },
    {
      words: ['reaccion alergica', 'alergia', 'alergico', 'alergica'],
      before: ['me dio', 'le dio', 'me causo', 'le causo', 'me provoco', 'le provoco', 'me produjo', 'tuve', 'tuvo', 'sufri', 'sufrio'],
    },
    // Symptoms, named or with the allergy: "my throat swelled up", "I broke out in hives, I'm allergic to nuts".
    'broke out in hives', 'broke out in a rash', 'broke out in a red rash', "couldn't breathe", 'could not breathe', 'trouble breathing', 'difficulty breathing',
    {
      words: ['throat', 'lips', 'tongue', 'face', 'gorge', 'levres', 'langue', 'visage', 'garganta', 'labios', 'lengua', 'cara'],
      after: ['swell*', 'swollen', 'closing', 'closed', 'tight', 'gonfl*', 'enfl*', 'serre*', 'hinch*', 'cerr*'],
      within: 2,
    },
    // "se me hinchó la garganta", "j'ai la gorge qui gonfle" (the other order).
    { words: ['garganta', 'labios', 'lengua', 'cara', 'gorge', 'levres', 'langue'], before: ['hinch*', 'inflam*', 'gonfl*', 'enfl*', 'cerr*'], within: 1 },
    {
      words: ['allergic', 'allergy', 'allergies', 'allergique', 'allergie', 'alergia', 'alergico', 'alergica'],
      before: SYMPTOMS,
      after: [
        'after drinking', 'after eating', 'after using', 'after trying', 'apres avoir bu', 'apres avoir mange',
        'apres avoir goute', 'apres avoir pris', 'apres avoir utilise', 'despues de tomar', 'despues de beber',
        'despues de comer', 'despues de probar', 'despues de usar', ...SYMPTOMS,
      ],
      within: 5,
    },
    {
      words: ['hospital', 'emergency room', 'the er', 'urgent care', 'hopital', 'urgences', 'urgencias'],
      before: [
        'went', 'go', 'gone', 'been', 'ended up', 'taken', 'rushed', 'admitted', 'trip', 'visit',
        'fini', 'finir', 'aller', 'alle', 'allee', 'emmene*', 'transporte*', 'hospitalise*',
        'fui', 'fue', 'fuimos', 'termine', 'acabe', 'llevaron', 'llevar', 'ingresado', 'ingresada', 'internado', 'internada',
      ],
      within: 3,
      // Not "I went to the hospital to visit my grandmother".
      unlessAfter: ['to visit', 'to see', 'for work', 'a visitar', 'a ver', 'pour visiter', 'voir', 'rendre visite'],
    },
    'hospitalise*', 'hospitaliz*',
  ],
  // A legal threat or a threat of violence: the words in their legal sense ("poursuivre en justice", "presentar una
  // demanda"), not "poursuivre ma commande" (continue) or "mucha demanda" (demand); "kill" aimed at a person.
  threat: [
    {
      words: ['lawyer', 'lawyers', 'attorney', 'attorneys'],
      unless: ["i'm a", 'im a', 'i am a', 'as a', "i'm an", 'am an', 'am a', 'is a', 'is an', 'work as', 'for a', 'for my', 'gift for my'],
      unlessAfter: ['friend', 'friends', 'buddy', 'colleague'],
      within: 0,
    },
    'lawsuit', 'legal action', 'small claims', 'suing', 'take you to court', 'taking you to court',
    'see you in court', 'class action', 'report you', 'i will find you', 'i know where you live', 'burn down your', 'burn your store',
    'burn your warehouse', 'burn your office', 'burn your building', 'burn the place down', 'burn it all down', 'burn you down',
    {
      words: ['smash', 'beat up', 'attack', 'hurt'],
      after: ['you', 'u', 'every one of you', 'all of you', 'each of you', 'your staff', 'your employees', 'your people', 'your driver', 'your team', 'someone', 'somebody'],
      within: 1,
      unless: [
        'will it', 'does it', 'could it', 'can it', 'would it', 'might', "won't", 'wont', 'will not', "doesn't", "wouldn't", 'would not', 'not',
        'heart', 'panic', 'anxiety', 'asthma', 'allergy',
      ],
    },
    {
      words: ['sue'],
      before: [
        'will', 'gonna', 'going to', "i'll", "we'll", 'want to', 'have to', 'need to', 'able to', 'i could', 'i can',
        'i should', 'we could', 'we can',
      ],
      within: 0,
    },
    { words: ['sue'], after: ['you', 'u', 'ya', 'your', 'the company', 'this company', 'the store', 'the shop'], within: 0, unless: ['aunt', 'uncle', 'cousin', 'friend', 'named', 'sister', 'mom', 'grandma'] },
    {
      words: ['kill', 'murder', 'shoot', 'stab', 'strangle', 'punch'],
      after: [
        'you', 'u', 'ya', "y'all", 'yall', 'all of you', 'your staff', 'your employees', 'your people', 'your driver',
        'your team', 'someone', 'somebody', 'everyone', 'him', 'her', 'them', 'whoever',
      ],
      within: 1,
      // "I'll shoot you an email".
      unlessAfter: ['an email', 'an e-mail', 'a message', 'a note', 'a text', 'a dm', 'a line', 'a quick'],
    },
    {
      words: ['avocat', 'avocats'],
      unless: ['vert', 'couleur', 'huile d', 'salade d', 'puree d', 'toast a l', 'tartine a l', 'suis', 'est', 'sont', 'comme', 'en tant que'],
      within: 0,
    },
    'se reverra en cour', 'se voit en cour', 'verrons en cour', 'trainer en cour', 'trainer en justice', 'amener en cour', 'poursuivre en cour', 'mise en demeure',
    { words: ['tribunal', 'tribunaux'], unless: ['travaille au', 'travaille a', 'travaille pour', 'pres du'], within: 0 }, 'en justice', 'action en justice', 'porter plainte',
    'huissier', 'recours collectif', 'petites creances',
    'je sais ou vous habitez', 'vous tuer', 'te tuer', 'vais vous retrouver', 'casser la gueule',
    {
      words: ['poursuivre', 'poursuis', 'poursuit', 'poursuivrai', 'poursuivrons'],
      before: ['vais vous', 'allons vous', 'va vous', 'vais te', 'je vous', 'on vous', 'nous vous'],
      within: 0,
    },
    {
      words: ['poursuivre', 'poursuis', 'poursuivrai', 'poursuivrons', 'poursuite', 'poursuites'],
      after: ['judiciaire*', 'devant', 'au tribunal', 'contre'],
      within: 1,
    },
    {
      words: ['poursuite', 'poursuites'],
      before: ['engager', 'engagerai', 'engagerons', 'intenter', 'intenterai', 'entamer', 'lancer', 'des'],
      within: 1,
    },
    { words: ['abogado', 'abogados', 'abogada'], unless: ['soy', 'es', 'son', 'como', 'soy un', 'soy una', 'trabajo de', 'trabajo como', 'amigo', 'amiga'], within: 0 },
    'llevar a juicio', 'llevare a juicio', 'llevarlos a juicio', 'llevarte a juicio', 'los llevo a juicio', 'demandar*', 'los demando', 'lo demando', 'la demando', 'te demando',
    // Not "denunciar un cargo que no reconozco" (reporting a charge to the bank).
    { words: ['denunciar*'], unlessAfter: ['un cargo', 'el cargo', 'un cobro', 'el cobro', 'cargo', 'cobro', 'mi tarjeta', 'la tarjeta', 'un fraude'], within: 0 },
    'profeco', 'tribunales',
    { words: ['juzgado'], unless: ['trabajo en un', 'trabajo en el', 'trabajo en', 'cerca del'], within: 0 },
    'romperlo todo', 'romper todo', 'voy a romper', 'destrozar su', 'quemar su tienda', 'quemar su almacen',
    'los voy a matar', 'te voy a matar', 'lo voy a matar', 'matarlos', 'matarte', 'se donde viven',
    {
      words: ['demanda', 'demandas', 'denuncia', 'denuncias'],
      before: [
        'poner', 'pongo', 'pondre', 'pondremos', 'presentar', 'presento', 'presentare', 'interponer', 'interpongo',
        'interpondre', 'meter', 'metere', 'levantar', 'levantare', 'entablar', 'hacer', 'hare',
      ],
      within: 1,
    },
    { words: ['demanda', 'demandas', 'denuncia'], after: ['contra', 'judicial', 'legal', 'penal', 'civil'], within: 1 },
  ],
  // Anger or exasperation, said: with a negative tone it makes a frustrated customer ("this is unacceptable"), where
  // a negative situation alone ("I lost my password", "the kettle arrived dented") does not.
  frustration: [
    'frustrat*', 'angry', 'furious', 'livid', 'fed up', 'sick of', 'tired of', 'ridiculous', 'unacceptable', 'outrageous',
    'disgusting', 'disgrace*', 'pathetic', 'useless', { words: ['worst'], unlessAfter: ['case'], within: 0 }, 'terrible service', 'horrible service', 'awful service', 'a joke',
    'rip off', 'ripoff', 'scam', 'enough is enough', 'had enough', 'fuming', { words: ['upset'], unless: ['stomach', 'tummy'], unlessAfter: ['stomach', 'tummy'], within: 2 }, 'annoyed',
    'disappointed', 'waste of',
    'fache', 'fachee', 'furieux', 'furieuse', 'en colere', 'ras le bol', 'marre', 'inacceptable', 'ridicule',
    'honteux', 'honteuse', 'scandaleux', 'scandaleuse', { words: ['pire'], unless: ['au'], within: 0 }, 'decu', 'decue', 'exaspere*', 'tanne', 'tannee', 'ecoeure*',
    'enojad*', { words: ['molest*'], unless: ['por', 'la', 'perdon por', 'disculpe la', 'sin'], within: 0 }, 'furios*', 'harto', 'harta', 'inaceptable', 'ridiculo', 'ridicula', 'vergonzoso', 'vergonzosa',
    'pesimo', 'pesima', 'decepcionad*', 'indignad*', 'ya basta', 'estoy cansad*', 'estafa',
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

/** Whether a (folded) text says something of a category. */
export interface CategoryMatcher {
  test(folded: string): boolean;
}

/** A lexicon compiled: one matcher per category, and one over every word to rule them all out in a single pass. */
export interface LexiconMatcher {
  any: CategoryMatcher;
  category: Record<LexiconCategory, CategoryMatcher>;
}

// Keyed by the lexicon object: a configuration's lexicon is built once and not changed afterwards.
const matchers = new WeakMap<EscalationLexicon, LexiconMatcher>();

export function lexiconMatcher(lexicon: EscalationLexicon): LexiconMatcher {
  let m = matchers.get(lexicon);
  if (!m) {
    const categories = Object.keys(lexicon) as LexiconCategory[];
    m = {
      // A contextual entry needs one of its words: the words alone rule a text out.
      any: anyOf(categories.flatMap((c) => lexicon[c]).flatMap((e) => (typeof e === 'string' ? [e] : e.words))),
      category: Object.fromEntries(categories.map((c) => [c, categoryMatcher(lexicon[c])])) as Record<LexiconCategory, CategoryMatcher>,
    };
    matchers.set(lexicon, m);
  }
  return m;
}

/**
 * Whole words or phrases (plural endings allowed: "fires", "lawyers"; other forms are entries of their own, so
 * "smoke" does not match "smoked"); an entry ending in `*` is a stem ("injur*" matches "injured", "injury"). So
 * "fire" matches "caught fire" but not "firefox". One alternation: it matches a text exactly when one of the words'
 * own patterns would.
 */
function wordsPattern(words: readonly string[], flags = ''): RegExp {
  // An empty list matches nothing.
  if (words.length === 0) return /(?!)/;
  return new RegExp(`(?<![a-z0-9])${alternation(words)}`, flags);
}

// V8 compiles a regex to machine code only below a size; one alternation of every word of the lexicon is above it and
// runs interpreted, 20-40 times slower (7 µs → 280 µs a message here). Chunks of this many words stay compiled.
const WORDS_PER_REGEX = 200;

/** Whether a text has any of `words`: one scan per chunk of the alternation. */
function anyOf(words: readonly string[]): CategoryMatcher {
  const chunks: RegExp[] = [];
  for (let i = 0; i < words.length; i += WORDS_PER_REGEX) chunks.push(wordsPattern(words.slice(i, i + WORDS_PER_REGEX)));
  return { test: (folded) => chunks.some((re) => re.test(folded)) };
}

// Between a word and its context: other words, never a sentence end ("It tastes burnt. My hand…" is two sentences).
const SEPARATOR = '[^a-z0-9.!?;]+';
const gap = (within: number) => `(?:${SEPARATOR}[a-z0-9]+){0,${within}}${SEPARATOR}`;

interface CompiledEntry {
  /** The entry's words, sticky: tried where a word of the category's contextual entries starts. */
  word: RegExp;
  /** Sticky at the word's start: a cancelling word ends at most `within` words before (a lookbehind). */
  unless?: RegExp;
  /** Sticky at the word's end: a cancelling word starts at most `within` words after. */
  unlessAfter?: RegExp;
  /** Sticky at the word's start: its context ends at most `within` words before (a lookbehind). */
  before?: RegExp;
  /** Sticky at the word's end: its context starts at most `within` words after. */
  after?: RegExp;
}

/**
 * Plain entries: one regex. Contextual ones: their words are rare, so the text is scanned for them first and the
 * context is checked around each one found (a regex over every word-context pair would try every context word at
 * every position of every text that has any escalation word at all).
 */
function categoryMatcher(entries: readonly LexiconEntry[]): CategoryMatcher {
  const plain = anyOf(entries.filter((e): e is string => typeof e === 'string'));
  const contextual = entries.filter(
    (e): e is ContextualEntry => typeof e !== 'string' && e.words.length > 0 && Boolean(e.before?.length || e.after?.length || e.unless?.length || e.unlessAfter?.length),
  );
  if (contextual.length === 0) return plain;
  const scan = wordsPattern(contextual.flatMap((e) => e.words), 'g');
  const compiled: CompiledEntry[] = contextual.map((e) => {
    const within = gap(e.within ?? 2);
    return {
      word: new RegExp(alternation(e.words), 'y'),
      ...(e.unless?.length ? { unless: lookbehind(e.unless, within) } : {}),
      ...(e.unlessAfter?.length ? { unlessAfter: new RegExp(`${within}${alternation(e.unlessAfter)}`, 'y') } : {}),
      ...(e.before?.length ? { before: lookbehind(e.before, within) } : {}),
      ...(e.after?.length ? { after: new RegExp(`${within}${alternation(e.after)}`, 'y') } : {}),
    };
  });
  const at = (re: RegExp, text: string, index: number): RegExpExecArray | null => {
    re.lastIndex = index;
    return re.exec(text);
  };
  return {
    test(folded) {
      if (plain.test(folded)) return true;
      scan.lastIndex = 0;
      for (let hit = scan.exec(folded); hit; hit = scan.exec(folded)) {
        const start = hit.index;
        for (const e of compiled) {
          const word = at(e.word, folded, start);
          if (!word) continue;
          const end = start + word[0].length;
          if ((e.unless && at(e.unless, folded, start)) || (e.unlessAfter && at(e.unlessAfter, folded, end))) continue;
          if (!e.before && !e.after) return true;
          if (e.before && at(e.before, folded, start)) return true;
          if (e.after && at(e.after, folded, end)) return true;
        }
        // A word may start inside this one ("burned out" holds "out"): go on from the next character.
        scan.lastIndex = start + 1;
      }
      return false;
    },
  };
}

/** Sticky where a word starts: one of `words` ends at most `within` words before. */
const lookbehind = (words: readonly string[], within: string) => new RegExp(`(?<=(?<![a-z0-9])${alternation(words)}${within})`, 'y');

const alternation = (words: readonly string[]) => `(?:${words.map(wordPattern).join('|')})`;

function wordPattern(w: string): string {
  const stem = w.endsWith('*');
  const body = (stem ? w.slice(0, -1) : w)
    .replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
    .replace(/ /g, '\\s+')
    .replace(/'/g, "['’]");
  // A stem takes the rest of its word, so that context can follow it.
  return stem ? `${body}[a-z0-9]*` : `${body}(?:s|es)?(?![a-z0-9])`;
}
