import { describe, expect, it } from 'vitest';
import { DEFAULT_ESCALATION, decideEscalation } from '../../../src/agents/escalation/rules.js';
import type { Intent, IntentResult, Order } from '../../../src/agents/runtime/contracts.js';
import { evaluateReturn } from '../../../src/agents/policy/returns.js';
import { intentResult, TEST_POLICY as policy } from './fixtures.js';

const intent = intentResult;

const order = (over: Partial<Order> = {}): Order => ({
  id: 1,
  name: '#10241',
  orderNumber: 10241,
  email: 'a@example.com',
  createdAt: '2026-10-20T10:00:00Z',
  financialStatus: 'paid',
  fulfillmentStatus: 'fulfilled',
  cancelledAt: null,
  currency: 'USD',
  subtotal: 80,
  tax: 5,
  shipping: 8,
  total: 93,
  items: [{ title: 'Ceramic Dripper', quantity: 1, price: 80 }],
  fulfillments: [{ status: 'success', shipmentStatus: 'delivered', createdAt: '2026-10-25T10:00:00Z', updatedAt: '2026-10-29T10:00:00Z' }],
  refunds: [],
  ...over,
});


describe('escalation rules', () => {
  const decide = (message: string, i: IntentResult, orders: Order[] = []) => decideEscalation({ message, intent: i, orders });

  it('health and safety, and threats, are urgent in every language', () => {
    expect(decide('The kettle gave me an electric shock', intent('technical_support'))).toMatchObject({ escalate: true, reason: 'safety', priority: 'urgent' });
    expect(decide('La bouilloire a pris feu', intent('technical_support', { language: 'fr' }))).toMatchObject({ reason: 'safety' });
    expect(decide('Me quemé con la tetera', intent('complaint', { language: 'es' }))).toMatchObject({ reason: 'safety' });
    expect(decide('I will talk to my lawyer', intent('complaint'))).toMatchObject({ reason: 'threat', priority: 'urgent' });
  });

  it('an angry or swearing customer is escalated as frustration', () => {
    expect(decide('this is ridiculous', intent('complaint', { sentiment: { score: -0.8, label: 'negative' } }))).toMatchObject({ reason: 'frustration', priority: 'urgent' });
    expect(decide('where is my damn order', intent('order_status', { profanity: true }))).toMatchObject({ reason: 'frustration' });
    const negative = { sentiment: { score: -0.8, label: 'negative' as const } };
    expect(decide('This is unacceptable, where is my order?', intent('order_status', negative))).toMatchObject({ reason: 'frustration' });
    expect(decide('WHERE IS MY ORDER', intent('order_status', negative))).toMatchObject({ reason: 'frustration' });
    expect(decide('Estoy harta, nadie me responde', intent('general_inquiry', negative))).toMatchObject({ reason: 'frustration' });
    // A bad situation told calmly is not anger: no urgent ticket for a lost password.
    expect(decide("J'ai perdu mon mot de passe", intent('account_help', negative)).escalate).toBe(false);
    expect(decide('I have an upset stomach from the regular coffee, is the decaf gentler?', intent('product_info', negative)).escalate).toBe(false);
    expect(decide('my USPS tracking for the RMA shows nothing', intent('order_status', negative)).escalate).toBe(false);
  });

  it('lost parcels and defects are high; a human request is normal; B2B goes to sales', () => {
    expect(decide('my parcel never arrived', intent('order_status'))).toMatchObject({ reason: 'lost_or_stolen', priority: 'high' });
    const failed = order({ fulfillments: [{ status: 'failure', shipmentStatus: 'failure', createdAt: '2026-11-01T00:00:00Z' }] });
    expect(decide('where is my order?', intent('order_status'), [failed])).toMatchObject({ reason: 'lost_or_stolen' });
    // Not a parcel: an email that did not come.
    expect(decide('I have not received the password reset email', intent('account_help')).escalate).toBe(false);
    expect(decide("je n'ai pas reçu le courriel de confirmation", intent('general_inquiry')).escalate).toBe(false);
    expect(decide('the grinder arrived broken', intent('return_request'))).toMatchObject({ reason: 'defect', priority: 'high' });
    expect(decide('I want to talk to a person', intent('escalation_request'))).toMatchObject({ reason: 'explicit_request', priority: 'normal' });
    expect(decide('do you sell wholesale to cafés?', intent('b2b_inquiry'))).toMatchObject({ reason: 'b2b', team: 'sales', priority: 'normal' });
  });

  it('ordinary questions are not escalated', () => {
    expect(decide('how much is shipping to Canada?', intent('shipping_question'))).toEqual({ escalate: false });
    expect(decide('Is the Firefox extension supported?', intent('technical_support'))).toEqual({ escalate: false });
  });

  it("an operator's lexicon is used in place of the default one, each with its own compiled words", () => {
    const lexicon = { ...DEFAULT_ESCALATION.lexicon, safety: ['scald*'], bulk: [] };
    const cfg = { ...DEFAULT_ESCALATION, lexicon };
    expect(decideEscalation({ message: 'The kettle scalded me', intent: intent('technical_support'), orders: [] }, cfg)).toMatchObject({ reason: 'safety' });
    expect(decideEscalation({ message: 'The kettle caught fire', intent: intent('technical_support'), orders: [] }, cfg)).toEqual({ escalate: false });
    expect(decideEscalation({ message: 'do you sell wholesale?', intent: intent('shipping_question'), orders: [] }, cfg)).toEqual({ escalate: false });
    expect(decide('The kettle caught fire', intent('technical_support'))).toMatchObject({ reason: 'safety' });
  });
});

describe('return policy', () => {
  const now = new Date('2026-11-26T12:00:00Z');
  const rma = () => 'RMA-10241-1234';

  it('approves within the window and at or under the limit, with an RMA', () => {
    expect(evaluateReturn(order(), policy, now, rma)).toMatchObject({ status: 'approved', rma: 'RMA-10241-1234', deadline: '2026-11-28', amount: 80 });
  });

  it('sends returns over the limit or outside the window to review, and escalates them', () => {
    const big = order({ items: [{ title: 'Summit Grinder', quantity: 1, price: 215 }] });
    const r = evaluateReturn(big, policy, now, rma);
    expect(r).toMatchObject({ status: 'needs_review', reason: 'over_limit', amount: 215 });
    expect(r.rma).toBeUndefined();
    expect(decideEscalation({ message: 'return please', intent: intent('return_request'), orders: [big], returnDecision: r })).toMatchObject({ reason: 'return_over_limit', priority: 'normal' });
    expect(evaluateReturn(order(), policy, new Date('2026-12-05T00:00:00Z'), rma)).toMatchObject({ status: 'needs_review', reason: 'outside_window' });
  });

  it('explains orders that cannot be returned', () => {
    expect(evaluateReturn(order({ fulfillments: [] }), policy, now, rma)).toMatchObject({ status: 'not_eligible', reason: 'not_delivered' });
    expect(evaluateReturn(order({ cancelledAt: '2026-10-21T00:00:00Z' }), policy, now, rma)).toMatchObject({ reason: 'cancelled' });
    expect(evaluateReturn(order({ financialStatus: 'refunded' }), policy, now, rma)).toMatchObject({ reason: 'already_refunded' });
  });

  it('prices only the lines the customer names', () => {
    const two = order({ items: [{ title: 'Summit Grinder', quantity: 1, price: 215 }, { title: 'Mug', quantity: 2, price: 20 }] });
    expect(evaluateReturn(two, policy, now, rma, ['mug'])).toMatchObject({ status: 'approved', amount: 40 });
  });
});

describe('defects reported under another intent', () => {
  it('a cracked product is a defect even when classified as an order question, not a broken login', () => {
    const i = (name: Intent) => intent(name);
    expect(decideEscalation({ message: 'The handle on my kettle from order #10215 cracked', intent: i('order_status'), orders: [] })).toMatchObject({ reason: 'defect' });
    expect(decideEscalation({ message: 'the password reset link is broken', intent: i('account_help'), orders: [] })).toEqual({ escalate: false });
  });
});

describe('safety and threat words in context', () => {
  const reasonOf = (message: string, language: 'en' | 'fr' | 'es', name: Intent = 'product_info') =>
    decideEscalation({ message, intent: intent(name, { language }), orders: [] }).reason;
  const urgent = (message: string, language: 'en' | 'fr' | 'es') =>
    decideEscalation({ message, intent: intent('complaint', { language }), orders: [] });

  // Everyday shop questions that name a flavour, a cooking fire, an allergy, "continue" or "demand".
  const everyday: [string, 'en' | 'fr' | 'es'][] = [
    ['How do I avoid a burnt taste with my moka pot?', 'en'],
    ['Do you sell a smoked tea?', 'en'],
    ['Do you sell a smoked tea, like lapsang souchong?', 'en'],
    ['Does the dark roast taste burnt?', 'en'],
    ['Which kettle is the best for a camping fire?', 'en'],
    ['Is the Alpine Meadow tea OK if I am allergic to nuts?', 'en'],
    ['this price will kill my budget', 'en'],
    ['the coffee was burnt and bitter, never again', 'en'],
    ['Lapsang is dried over smoke from pine fires, is it strong?', 'en'],
    ['Could the Alpine Meadow tea cause an allergic reaction?', 'en'],
    ['My friend Sue recommended your shop, Sue will love the gift', 'en'],
    ['Puis-je poursuivre ma commande sans créer de compte ?', 'fr'],
    ['Pouvez-vous poursuivre la livraison ?', 'fr'],
    ['Le café goûte le brûlé avec ma cafetière, quels réglages ?', 'fr'],
    ['La tasse de camping peut-elle aller sur le feu ?', 'fr'],
    ['Je suis allergique aux noix, ce thé est-il sans danger ?', 'fr'],
    ['Le thé fumé a-t-il un goût de fumée ?', 'fr'],
    ['¿El molino Summit tiene mucha demanda?', 'es'],
    ['¿El molino Summit tiene mucha demanda? ¿Cuándo vuelve a estar disponible?', 'es'],
    ['El café sabe a quemado, ¿qué molienda uso?', 'es'],
    ['¿Cómo quito el café quemado de la base de la moka?', 'es'],
    ['La taza de campamento se puede poner al fuego', 'es'],
    ['Soy alérgica a los frutos secos, ¿el té Alpine Meadow los contiene?', 'es'],
    ['¿Venden galletas con chispas de chocolate?', 'es'],
    ['¿Puedo poner la tetera Trailhead al fuego directo?', 'es'],
    ['What is the warranty on the motor of the Hearthline grinder?', 'en'],
    ['Your Black Friday deals are on fire! Is the Summit grinder included?', 'en'],
    ["I'm a lawyer and I'd like to order 3 kettles", 'en'],
    ['How do I avoid burning my hand on the kettle handle?', 'en'],
    ['Est-ce que la tasse Canopy existe en vert avocat?', 'fr'],
    ["ça me brûle l'estomac, vous avez du décaf?", 'fr'],
    ['Soy abogado y quiero comprar tres teteras', 'es'],
    ['¿Cómo evito quemarme la mano con el asa?', 'es'],
    ['Will it hurt you to give me free shipping?', 'en'],
    // Trigger words in everyday senses (a probe's false positives).
    ["I spilled coffee all over my son's homework this morning, do you sell a travel mug with a locking lid?", 'en'],
    ['My kid swallowed his whole breakfast in two minutes to get to the new mugs', 'en'],
    ['Something is burning a hole in my pocket — it’s my gift card!', 'en'],
    ['That price gave me a shock, in a good way! Is the Lumen on sale?', 'en'],
    ['The espresso gives me a shock of energy every morning', 'en'],
    ['The flavour zapped me awake this morning, best coffee ever', 'en'],
    ['My wallet is bleeding after Black Friday haha', 'en'],
    ['Every sip is an explosion of flavour!', 'en'],
    ["I'm recovering from a wrist injury, is the electric grinder easier?", 'en'],
    ['I almost cut my finger opening the box with excitement', 'en'],
    ['My daughter burned through her allowance on your mugs lol', 'en'],
    ['I choked up reading the handwritten thank-you card', 'en'],
    ['My lawyer friend recommended your shop', 'en'],
    ['My sister is a lawyer and she loves tea, what gift set would you suggest?', 'en'],
    ["I'll shoot you an email with the photos of my setup later", 'en'],
    ['Nobody can beat you on price! Do you price-match?', 'en'],
    ["It won't hurt you to try decaf, my doctor says", 'en'],
    ['This is a gift for my aunt Sue, your Alpine Meadow tea is her favourite', 'en'],
    ['This new Firelight roast is on fire, do you have it in a 5 lb bag?', 'en'],
    ['La bouilloire fait des étincelles de bonheur chez nous', 'fr'],
    ["Il y a eu des étincelles entre mon café et moi, c'est l'amour !", 'fr'],
    ["Ma tasse a fondu de plaisir quand j'ai goûté le thé Alpine", 'fr'],
    ["Ce café m'a donné un choc de saveurs incroyable !", 'fr'],
    ["J'ai pris un choc en voyant le prix", 'fr'],
    ['Comment éviter de se brûler les doigts avec la théière en fonte ?', 'fr'],
    ["Mon fils s'est coupé les cheveux tout seul", 'fr'],
    ['Je me sens un peu blessé que vous ne livriez pas en Belgique', 'fr'],
    ['Mon chum est avocat et il adore le café', 'fr'],
    ["J'aimerais une toast à l'avocat avec mon café", 'fr'],
    ['Je travaille au tribunal, pouvez-vous livrer à mon bureau ?', 'fr'],
    ['Vos rabais du Vendredi fou sont en feu', 'fr'],
    ['¿El café me da toques de energía?', 'es'],
    ['El precio me dio corriente de emoción', 'es'],
    ['Este café me dio una descarga de energía increíble', 'es'],
    ['Se me quemó la tostada esperando el café jaja', 'es'],
    ['Me corté el pelo y ahora quiero un café nuevo jaja', 'es'],
    ['Me siento herida porque no envían a Argentina', 'es'],
    ['Mi amigo abogado me recomendó su tienda', 'es'],
    ['Quiero denunciar un cargo que no reconozco en mi tarjeta.', 'es'],
    ['Trabajo en un juzgado, ¿pueden enviar el pedido a mi oficina?', 'es'],
    ['Fui al hospital a visitar a mi abuela y olvidé el termo', 'es'],
    ['Este café es una explosión de sabor', 'es'],
    ['I had a panic attack, you guys are so slow to ship', 'en'],
    ['It would not hurt you to answer my emails faster', 'en'],
  ];

  it.each(everyday)('an everyday question is neither safety nor a threat: %s', (message, language) => {
    expect(reasonOf(message, language)).not.toBe('safety');
    expect(reasonOf(message, language)).not.toBe('threat');
  });

  const incidents: [string, 'en' | 'fr' | 'es', 'safety' | 'threat'][] = [
    ['the kettle caught fire', 'en', 'safety'],
    ['my kettle sparked and burned my hand', 'en', 'safety'],
    ['I had an allergic reaction after drinking your tea', 'en', 'safety'],
    ['smoke came out of the grinder', 'en', 'safety'],
    ['the grinder started smoking', 'en', 'safety'],
    ['I got burned by the steam', 'en', 'safety'],
    ['the grinder motor smells burnt', 'en', 'safety'],
    ['After drinking the Alpine tea my throat swelled up', 'en', 'safety'],
    ['I will sue you', 'en', 'threat'],
    ['we are going to sue your company', 'en', 'threat'],
    ['I will kill you', 'en', 'threat'],
    ["I'm going to kill whoever packed this", 'en', 'threat'],
    ['La bouilloire a pris feu', 'fr', 'safety'],
    ['Je me suis brûlé la main avec la bouilloire', 'fr', 'safety'],
    ['De la fumée sort du moulin', 'fr', 'safety'],
    ["J'ai fait une réaction allergique après avoir bu votre thé", 'fr', 'safety'],
    ['je vais vous poursuivre en justice', 'fr', 'threat'],
    ['Je vais vous poursuivre', 'fr', 'threat'],
    ['Je vais vous tuer', 'fr', 'threat'],
    ['La báscula empezó a echar humo mientras se cargaba', 'es', 'safety'],
    ['Salió humo del molino', 'es', 'safety'],
    ['Salieron chispas del enchufe', 'es', 'safety'],
    ['Hola, mi hervidor eléctrico echa chispas', 'es', 'safety'],
    ["the glass infuser bottle shattered in my hand and I'm bleeding", 'en', 'safety'],
    ["Boiling water spilled all over my daughter's leg because the lid popped off", 'en', 'safety'],
    ['the grinder is overheating and smells burnt, I saw flames near the bottom', 'en', 'safety'],
    ['the kettle gave me a shock', 'en', 'safety'],
    ['Smoke was coming from the back of the Hearthline', 'en', 'safety'],
    ['the grinder burst into flame', 'en', 'safety'],
    ['my kettle cought fier', 'en', 'safety'],
    ['the kettle zapped me', 'en', 'safety'],
    ['it smells like something is burning inside the base', 'en', 'safety'],
    ['my toddler swallowed the rubber gasket', 'en', 'safety'],
    ['The kettle is on fire!', 'en', 'safety'],
    ["J'ai reçu une décharge électrique en touchant la bouilloire", 'fr', 'safety'],
    ["Mon fils s'est ébouillanté avec la bouilloire", 'fr', 'safety'],
    ["Ma fille s'est coupée avec le verre de l'infuseur", 'fr', 'safety'],
    ['Il y a eu des étincelles quand je l’ai branchée', 'fr', 'safety'],
    ["La bouilloire m'a donné un choc", 'fr', 'safety'],
    ['Le socle a fondu et ça sent le brûlé partout', 'fr', 'safety'],
    ['la bouilloire me dio toques', 'es', 'safety'],
    ['El hervidor me dio corriente al tocarlo', 'es', 'safety'],
    ['Le salió fuego al molino', 'es', 'safety'],
    ['Mi hijo se cortó con el vidrio de la botella', 'es', 'safety'],
    ['Me salieron ronchas después de tomar el té', 'es', 'safety'],
    ['se me hinchó la garganta con el té', 'es', 'safety'],
    ["I'll burn your warehouse down if I don't get my money back", 'en', 'threat'],
    ["I'm going to come to your office and smash every one of you", 'en', 'threat'],
    ['I will call my lawyer', 'en', 'threat'],
    ['Je vais vous traîner en cour si vous ne me remboursez pas', 'fr', 'threat'],
    ["J'ai parlé à mon avocat", 'fr', 'threat'],
    ['Los voy a llevar a juicio si no me devuelven el dinero', 'es', 'threat'],
    ['Voy a hablar con mi abogado', 'es', 'threat'],
    ['My toddler grabbed the French press and hot coffee went all over her arm, she has blisters.', 'en', 'safety'],
    ['I opened the stovetop espresso maker and it burst, coffee everywhere and my face is red and stinging.', 'en', 'safety'],
    ['My daughter swallowed one of the little rubber gaskets from the Pocket press, what do I do?', 'en', 'safety'],
    ['After drinking the Alpine Meadow tea my throat felt tight and I broke out in a rash.', 'en', 'safety'],
    ['When I touched the metal body of the Lumen machine it zapped my hand.', 'en', 'safety'],
    ["La bouilloire électrique m'a électrisé quand j'ai touché la poignée.", 'fr', 'safety'],
    ['La máquina de espresso me dio un calambre fuerte al tocarla.', 'es', 'safety'],
    ["Keep ignoring me and I'll come down there and hurt someone.", 'en', 'threat'],
    ["On se reverra en cour, c'est une fraude.", 'fr', 'threat'],
    ['Si no me responden voy a ir a su almacén a romperlo todo.', 'es', 'threat'],
    ['I was not careful and burned my hand on the kettle', 'en', 'safety'],
    ["I'm telling you, the grinder is on fire!", 'en', 'safety'],
    ['El molinillo hace chispas y huele raro', 'es', 'safety'],
    ['la linterna suelta humo cuando la cargo', 'es', 'safety'],
    ['Me quemé con la tetera', 'es', 'safety'],
    ['Tuve una reacción alérgica después de tomar su té', 'es', 'safety'],
    ['voy a presentar una demanda contra ustedes', 'es', 'threat'],
    ['Los voy a demandar', 'es', 'threat'],
    ['Te voy a matar', 'es', 'threat'],
    ['My hand got burned by the kettle', 'en', 'safety'],
    ['my fingers were burnt by the steam', 'en', 'safety'],
    ['my tongue is burnt from the kettle spout', 'en', 'safety'],
    ['she burned herself on the kettle', 'en', 'safety'],
    ['my son burned himself with it', 'en', 'safety'],
    ['the grinder is smoking', 'en', 'safety'],
    ['The kettle gives electric shocks when I touch it', 'en', 'safety'],
    ['Electric shock from the kettle!', 'en', 'safety'],
    ["Ma fille s'est brûlée avec la bouilloire", 'fr', 'safety'],
    ['Mi hijo se quemó con la tetera', 'es', 'safety'],
  ];

  it.each(incidents)('an incident or a threat is urgent: %s', (message, language, reason) => {
    expect(urgent(message, language)).toMatchObject({ escalate: true, reason, priority: 'urgent' });
  });

  it('a past tense is its own entry: "smoke" does not match "smoked", "burn" matches "burned" only as listed', () => {
    const lexicon = { ...DEFAULT_ESCALATION.lexicon, safety: ['smoke'] };
    const cfg = { ...DEFAULT_ESCALATION, lexicon };
    const decide = (message: string) => decideEscalation({ message, intent: intent('product_info'), orders: [] }, cfg).reason;
    expect(decide('there is smoke')).toBe('safety');
    expect(decide('a smoked tea')).toBeUndefined();
    expect(decide('clouds of smokes')).toBe('safety'); // plurals still match
  });

  it("an operator's contextual entry counts only next to its context, in the same sentence", () => {
    const lexicon = { ...DEFAULT_ESCALATION.lexicon, safety: [{ words: ['fizz*'], after: ['hand', 'fingers'], within: 3 }] };
    const cfg = { ...DEFAULT_ESCALATION, lexicon };
    const decide = (message: string) => decideEscalation({ message, intent: intent('product_info'), orders: [] }, cfg).reason;
    expect(decide('the battery fizzed on my hand')).toBe('safety');
    expect(decide('a fizzy drink for my fingers')).toBe('safety');
    expect(decide('a fizzy drink. My hand is fine')).toBeUndefined(); // another sentence
    expect(decide('a fizzy drink is what I like in my hand')).toBeUndefined(); // too far
    expect(decide('my hand fizzed')).toBeUndefined(); // context before, not after
  });
});
