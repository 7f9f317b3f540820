import { describe, expect, it } from 'vitest';
import { analyzeSentiment, hasProfanity } from '../../../src/agents/intent/sentiment.js';
import type { Language } from '../../../src/agents/runtime/contracts.js';

describe('sentiment', () => {
  it.each([
    ['I love this grinder, thank you!', 'en', 'positive'],
    ['the kettle is amazing, great job', 'en', 'positive'],
    ['merci beaucoup, c’est parfait', 'fr', 'positive'],
    ["c'est pas pire pantoute, bravo", 'fr', 'positive'],
    ['me encanta, muchas gracias', 'es', 'positive'],
    ["this is the worst service, I'm furious", 'en', 'negative'],
    ['not happy at all', 'en', 'negative'],
    ["c'est inacceptable, je suis très déçu", 'fr', 'negative'],
    ['pésimo servicio, ya estoy harto', 'es', 'negative'],
    ['where is my order?', 'en', 'neutral'],
    ['quels transporteurs utilisez-vous', 'fr', 'neutral'],
    ['¿cuánto cuesta el envío a México?', 'es', 'neutral'],
    ["what's a good grinder for espresso", 'en', 'neutral'],
  ] as [string, Language, string][])('%s -> %s', (text, lang, label) => {
    const s = analyzeSentiment(text, lang);
    expect(s.label).toBe(label);
    expect(s.score).toBeGreaterThanOrEqual(-1);
    expect(s.score).toBeLessThanOrEqual(1);
  });

  it('is stronger with intensifiers, exclamation marks and shouting', () => {
    const base = analyzeSentiment('this is bad', 'en').score;
    expect(analyzeSentiment('this is really bad', 'en').score).toBeLessThan(base);
    expect(analyzeSentiment('THIS IS REALLY BAD!!!', 'en').score).toBeLessThan(analyzeSentiment('this is really bad', 'en').score);
  });
});

describe('profanity', () => {
  it.each([
    ['this is fucking ridiculous', 'en'],
    ['what the f*ck is going on', 'en'],
    ['holy shit, still nothing', 'en'],
    ['you guys are idiots', 'en'],
    ['tabarnak, ma commande est encore en retard', 'fr'],
    ['câlisse que c’est long', 'fr'],
    ['osti de commande', 'fr'],
    ['crisse, ça marche pas', 'fr'],
    ['mon ciboire de moulin', 'fr'],
    ['putain de livraison', 'fr'],
    ['chu en tabarnak', 'fr'],
    ['qué pinche servicio', 'es'],
    ['esta mierda no sirve', 'es'],
    ['son unos pendejos', 'es'],
    ['chingada madre, otra vez tarde', 'es'],
    ['joder, qué lento', 'es'],
    ['¡coño! llegó roto', 'es'],
    ['hijo de puta', 'es'],
  ] as [string, Language][])('%s', (text, lang) => {
    expect(hasProfanity(text, lang)).toBe(true);
    expect(analyzeSentiment(text, lang).profanity).toBe(true);
  });

  it.each([
    ['café con leche por favor', 'es'],
    ['filtros de cono de papel', 'es'],
    ['quiero conocer sus productos', 'es'],
    ['the screw on the lid is loose', 'en'],
    ['first class shipping, can I pass on the assistant?', 'en'],
    ['la douche de la machine espresso', 'fr'],
    ['is the kettle from Arsenal?', 'en'],
    ['I need to cancel my order', 'en'],
    ["c'est con-tent que je suis", 'es'],
  ] as [string, Language][])('no false positive: %s', (text, lang) => {
    expect(hasProfanity(text, lang)).toBe(false);
  });
});
