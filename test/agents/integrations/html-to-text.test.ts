import { describe, expect, it } from 'vitest';
import { htmlToText } from '../../../src/agents/integrations/shopify.js';

describe('htmlToText (Shopify product descriptions)', () => {
  it('decodes known entities and leaves names of Object.prototype members as written', () => {
    expect(htmlToText('<p>Salt &amp; pepper &lt;3</p><p>&constructor; &toString;</p>')).toBe('Salt & pepper <3\n&constructor; &toString;');
  });
});
