import { describe, expect, it } from 'vitest';
import { cosine, HashedNgramEmbedder } from '../../../src/agents/knowledge/embed.js';
import { expansionTerms } from '../../../src/agents/knowledge/lexicon.js';
import { contentWords, fold } from '../../../src/agents/knowledge/text.js';

describe('hashed-ngrams-v1 embedder', () => {
  const e = new HashedNgramEmbedder();

  it('returns unit vectors of the declared size, deterministically', () => {
    const [a, b] = e.embed(['Return policy', 'Return policy']);
    expect(e.id).toBe('hashed-ngrams-v1');
    expect(a).toHaveLength(512);
    expect(cosine(a as Float32Array, a as Float32Array)).toBeCloseTo(1, 5);
    expect(Array.from(a as Float32Array)).toEqual(Array.from(b as Float32Array));
    expect(e.embed([''])[0]?.every((x) => x === 0)).toBe(true);
  });

  it('is robust to accents, case, typos and inflection, and separates topics', () => {
    const sim = (x: string, y: string) => cosine(e.embedOne(x), e.embedOne(y));
    expect(sim('Envío a México', 'envio a mexico')).toBeCloseTo(1, 5);
    expect(sim('retrun policy', 'return policy')).toBeGreaterThan(sim('retrun policy', 'descaling the kettle'));
    expect(sim('retourner un article', 'retours des articles')).toBeGreaterThan(0.3);
    expect(sim('grinder burrs', 'kettle limescale')).toBeLessThan(0.2);
  });
});

describe('text and thesaurus', () => {
  it('folds accents and drops en/fr/es stop words', () => {
    expect(fold('Québec Envío ÉTÉ')).toBe('quebec envio ete');
    expect(contentWords('How do I return my order?')).toEqual(['return', 'order']);
    expect(contentWords('Puis-je retourner un article ?')).toEqual(['retourner', 'article']);
    expect(contentWords('¿Cuánto cuesta el envío a México?')).toEqual(['cuesta', 'envio', 'mexico']);
  });

  it('adds the KB wording, and English terms to fr/es questions', () => {
    expect(expansionTerms('how long to send something back', 'en')).toContain('return');
    expect(expansionTerms('my package never arrived', 'en')).toEqual(expect.arrayContaining(['parcel', 'received']));
    expect(expansionTerms('mon moulin fait du bruit', 'fr')).toEqual(expect.arrayContaining(['grinder', 'noise']));
    expect(expansionTerms('garantía del molinillo', 'es')).toEqual(expect.arrayContaining(['warranty', 'grinder']));
    expect(expansionTerms('cold brew ratio', 'en')).not.toContain('ratio');
  });
});
