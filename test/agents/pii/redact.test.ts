import { randomBytes } from 'node:crypto';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { detokenize, maskPii, tokenizePii } from '../../../src/agents/pii/redact.js';
import { SqlitePiiVault, type PiiVault } from '../../../src/agents/pii/vault.js';

const newVault = () => new SqlitePiiVault(new Database(':memory:'), randomBytes(32));

describe('tokenizePii / detokenize', () => {
  const text = 'Hi, I am jane@example.com, call 514-555-0123; card 4111 1111 1111 1111; ship to 12 rue de la Paix.';

  it('replaces every entity by its token and puts the values back', () => {
    const vault = newVault();
    const { text: out, entities } = tokenizePii(text, vault);
    expect(entities.map((e) => e.kind)).toEqual(['email', 'phone', 'card', 'street_address']);
    for (const e of entities) {
      expect(out).toContain(e.token);
      expect(out).not.toContain(e.value);
      expect(text.slice(e.start, e.end)).toBe(e.value); // offsets into the original
    }
    expect(out).toMatch(/^Hi, I am TOKEN_[0-9a-f-]{36}, call TOKEN_[0-9a-f-]{36}; card TOKEN_[0-9a-f-]{36}; ship to TOKEN_[0-9a-f-]{36}\.$/);
    expect(detokenize(out, vault)).toBe(text);
  });

  it('keeps tokens stable over a conversation, and is idempotent on tokenised text', () => {
    const vault = newVault();
    const first = tokenizePii('email: jane@example.com', vault);
    const second = tokenizePii('again jane@example.com and (514) 555-0123', vault);
    expect(second.entities[0]!.token).toBe(first.entities[0]!.token);
    expect(tokenizePii(second.text, vault).text).toBe(second.text);
  });

  it('keeps the kinds it is told to keep', () => {
    const { text: out, entities } = tokenizePii(text, newVault(), { keep: ['email', 'street_address'] });
    expect(entities.map((e) => e.kind)).toEqual(['phone', 'card']);
    expect(out).toContain('jane@example.com');
    expect(out).toContain('12 rue de la Paix');
  });

  it('leaves unknown tokens and text without tokens alone', () => {
    const vault: PiiVault = { tokenize: () => 'unused', detokenize: () => undefined };
    const t = 'ref TOKEN_00000000-0000-4000-8000-000000000000 ok';
    expect(detokenize(t, vault)).toBe(t);
    expect(detokenize('plain', vault)).toBe('plain');
  });
});

describe('maskPii', () => {
  it('masks each kind with a fixed label, without a vault', () => {
    expect(
      maskPii(
        'jane@example.com / +33 6 12 34 56 78 / 4242-4242-4242-4242 / GB82WEST12345698765432 / 12345678Z / Calle Mayor 5 / 10.1.2.3',
      ),
    ).toBe('[EMAIL] / [PHONE] / [CARD] / [IBAN] / [NATIONAL_ID] / [ADDRESS] / [IP]');
  });
  it('leaves text without PII unchanged', () => {
    const t = 'Order #10234 shipped on 2024-05-02 for $79.00 with tracking 1Z999AA10123456784.';
    expect(maskPii(t)).toBe(t);
  });
});
