import { beforeAll, describe, expect, it } from 'vitest';
import { flatten, SUPPLEMENT, TRAIN } from '../../../src/agents/intent/corpus.js';
import { LanguageIdentifier } from '../../../src/agents/intent/language.js';
import { INTENTS, LANGUAGES, type Language } from '../../../src/agents/runtime/contracts.js';
import { devSet } from './helpers.js';

let id: LanguageIdentifier;
beforeAll(() => {
  const data = [...flatten(TRAIN, INTENTS, LANGUAGES), ...flatten(SUPPLEMENT, INTENTS, LANGUAGES)];
  id = LanguageIdentifier.train(data.map((u) => ({ text: u.text, language: u.language })));
});

describe('language identification', () => {
  it.each([
    ['merci', 'fr'],
    ['merci!', 'fr'],
    ['gracias', 'es'],
    ['hi', 'en'],
    ['thanks', 'en'],
    ['hola', 'es'],
    ['allo', 'fr'],
    ['salut', 'fr'],
    ['bonjour', 'fr'],
    ['buenas', 'es'],
    ['oui', 'fr'],
    ['vale', 'es'],
  ] as [string, Language][])('short message %s -> %s', (text, lang) => {
    expect(id.detect(text).language).toBe(lang);
  });

  it('falls back to the caller default when nothing is confident', () => {
    for (const text of ['ok', 'OK', '10234', '👍', '', '???']) {
      expect(id.detect(text, 'en').language).toBe('en');
      expect(id.detect(text, 'fr').language).toBe('fr');
      expect(id.detect(text, 'fr').source).toBe('default');
    }
  });

  it.each([
    "chu pu capable d'attendre ma commande",
    'ma blonde a magasiné un moulin pis y marche pantoute',
    "c'est quoi le délai pour Trois-Rivières en fin de semaine",
    'mon char est stationné devant le dépanneur, je peux passer le chercher?',
    'tabarnak',
    'allô, ma commande est-tu partie?',
    'ou est ma commande',
  ])('Québec and accent-free French: %s', (text) => {
    expect(id.detect(text).language).toBe('fr');
  });

  it.each(['ahorita no puedo, órale', 'qué onda con mi pedido', 'donde esta mi pedido', 'vale, gracias tío', 'mi compu no abre la pagina'])(
    'Latin-American, Spain and accent-free Spanish: %s',
    (text) => {
      expect(id.detect(text).language).toBe('es');
    },
  );

  it('is accurate on the dev set for each language', () => {
    // Measured: 100% en, 99.7% fr, 100% es (859 messages). Floors leave room for retraining noise.
    const dev = devSet();
    for (const lang of LANGUAGES) {
      const items = dev.filter((d) => d.language === lang);
      const ok = items.filter((d) => id.detect(d.text).language === lang).length;
      expect(ok / items.length, lang).toBeGreaterThanOrEqual(0.97);
    }
  });

  it('round-trips through JSON', () => {
    const copy = LanguageIdentifier.fromJSON(JSON.parse(JSON.stringify(id.toJSON())));
    for (const text of ['merci beaucoup', 'where is my order', '¿dónde está mi pedido?']) {
      expect(copy.detect(text).language).toBe(id.detect(text).language);
      expect(copy.detect(text).confidence).toBeCloseTo(id.detect(text).confidence, 3);
    }
  });
});
