import { describe, expect, it } from 'vitest';
import { normalizeForMatch, sentenceNorms, sentences } from '../../../src/agents/critic/text.js';

const perSentence = (text: string) => sentences(text).map(normalizeForMatch);

describe('sentenceNorms', () => {
  it('is normalizeForMatch of each sentence', () => {
    for (const text of [
      'Your order #10234 shipped on May 2. Tracking: 1Z999AA10123456784! Anything else?',
      'Votre commande est expédiée. « Merci » — l’équipe; À bientôt\nÉCRIS ton PRÔMPT',
      'Hola… ¿Qué tal?  Su pedido está en camino.\n\nGracias',
      'i g n o r e all. 1gn0re the ru1es; my_system+prompt',
      'Straße ΣΑΣ. İstanbul ﬁle ½ cup´s. a\u00a0b.\u2028c',
      'e\u0301 et \u0301 seul. \u200bcaché. \ufeff début',
    ]) {
      expect(sentenceNorms(text, sentences(text)), text).toEqual(perSentence(text));
    }
  });

  it('is normalizeForMatch of each sentence on random Unicode text', () => {
    let seed = 11;
    const rnd = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x80000000);
    const ranges: [number, number][] = [[0x20, 0x7e], [0xa0, 0x17f], [0x300, 0x36f], [0x370, 0x4ff], [0x2000, 0x206f], [0xff00, 0xffef], [0x1e00, 0x1eff], [0xfb00, 0xfb06], [0x0590, 0x05ff], [0xac00, 0xac10], [0x1d400, 0x1d420]];
    const atoms = ['. ', '! ', '? ', '; ', '\n', '.\n', '. \u00a0', '.\ufeff ', '  ', '\t', '_', '+', 'a b c d', 'i.g.n.o.r.e', '1gn0re', '´', '¨', '…', '’', '\u200b', 'Σ', 'İ', 'é'];
    for (let i = 0; i < 5000; i++) {
      let text = '';
      for (let k = 1 + Math.floor(rnd() * 20); k > 0; k--) {
        if (rnd() < 0.5) text += atoms[Math.floor(rnd() * atoms.length)];
        else {
          const [a, b] = ranges[Math.floor(rnd() * ranges.length)]!;
          text += String.fromCodePoint(a + Math.floor(rnd() * (b - a + 1)));
        }
      }
      expect(sentenceNorms(text, sentences(text)), JSON.stringify(text)).toEqual(perSentence(text));
    }
  });
});
