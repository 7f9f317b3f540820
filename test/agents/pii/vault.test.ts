import { randomBytes } from 'node:crypto';
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SqlitePiiVault, TOKEN_PATTERN } from '../../../src/agents/pii/vault.js';
import { tempDir } from '../../helpers/cli.js';

const TOKEN = /^TOKEN_[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('SqlitePiiVault', () => {
  let db: Database.Database;
  const key = randomBytes(32);
  beforeEach(() => {
    db = new Database(':memory:');
  });
  afterEach(() => db.close());

  it('round-trips values through TOKEN_<uuid v4> tokens', () => {
    const vault = new SqlitePiiVault(db, key);
    const values = ['jane@example.com', '514-555-0123', '4111 1111 1111 1111', 'Calle Mayor 14, 3ºB', 'zoé 😀'];
    const tokens = values.map((v) => vault.tokenize(v, 'email'));
    for (const t of tokens) expect(t).toMatch(TOKEN);
    expect(new Set(tokens).size).toBe(values.length);
    expect(tokens.map((t) => vault.detokenize(t))).toEqual(values);
  });

  it('gives the same value the same token, across vault instances on the same db', () => {
    const a = new SqlitePiiVault(db, key);
    const t1 = a.tokenize('jane@example.com', 'email');
    expect(a.tokenize('jane@example.com', 'email')).toBe(t1);
    const b = new SqlitePiiVault(db, key); // CREATE TABLE IF NOT EXISTS: the table is reused
    expect(b.tokenize('jane@example.com', 'email')).toBe(t1);
    expect(db.prepare('SELECT count(*) AS n FROM pii_tokens').get()).toEqual({ n: 1 });
  });

  it('treats formatting variants of one value as one value (email case, phone and card separators)', () => {
    const vault = new SqlitePiiVault(db, key);
    expect(vault.tokenize('Jane@Example.com', 'email')).toBe(vault.tokenize('jane@example.com', 'email'));
    expect(vault.tokenize('(514) 555-0123', 'phone')).toBe(vault.tokenize('514.555.0123', 'phone'));
    expect(vault.tokenize('4111-1111-1111-1111', 'card')).toBe(vault.tokenize('4111111111111111', 'card'));
    expect(vault.tokenize('+15145550123', 'phone')).not.toBe(vault.tokenize('15145550123', 'phone'));
  });

  it('returns undefined for unknown or malformed tokens', () => {
    const vault = new SqlitePiiVault(db, key);
    expect(vault.detokenize('TOKEN_00000000-0000-4000-8000-000000000000')).toBeUndefined();
    expect(vault.detokenize("TOKEN_x' OR 1=1 --")).toBeUndefined();
    expect(vault.detokenize('hello')).toBeUndefined();
  });

  it('another key finds no token for a value and cannot decrypt the stored ones', () => {
    const vault = new SqlitePiiVault(db, key);
    const token = vault.tokenize('jane@example.com', 'email');
    const other = new SqlitePiiVault(db, randomBytes(32));
    expect(() => other.detokenize(token)).toThrow(/does not decrypt/);
    expect(other.tokenize('jane@example.com', 'email')).not.toBe(token);
  });

  it('detects a ciphertext moved to another row (the token is authenticated)', () => {
    const vault = new SqlitePiiVault(db, key);
    const a = vault.tokenize('a@example.com', 'email');
    const b = vault.tokenize('b@example.com', 'email');
    const rowA = db.prepare('SELECT iv, tag, ciphertext FROM pii_tokens WHERE token = ?').get(a) as Record<string, Buffer>;
    db.prepare('UPDATE pii_tokens SET iv = ?, tag = ?, ciphertext = ? WHERE token = ?').run(rowA.iv, rowA.tag, rowA.ciphertext, b);
    expect(() => vault.detokenize(b)).toThrow(/does not decrypt/);
  });

  it('refuses a key that is not 32 bytes', () => {
    expect(() => new SqlitePiiVault(db, randomBytes(16))).toThrow(/32 bytes/);
  });
});

describe('SqlitePiiVault on disk', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  beforeEach(async () => ({ dir, cleanup } = await tempDir('mac-vault-')));
  afterEach(() => cleanup());

  it('stores neither the values nor the key in the database files', () => {
    const key = randomBytes(32);
    const file = path.join(dir, 'vault.db');
    const db = new Database(file);
    db.pragma('journal_mode = WAL');
    const vault = new SqlitePiiVault(db, key);
    const values = ['unique.person.4821@example.com', '4111111111111111', 'X1234567L', '12 rue de la Paix'];
    for (const v of values) vault.tokenize(v, 'email');
    db.close();
    const bytes = Buffer.concat(readdirSync(dir).map((f) => readFileSync(path.join(dir, f))));
    for (const v of values) {
      expect(bytes.includes(Buffer.from(v, 'utf8')), v).toBe(false);
      expect(bytes.includes(Buffer.from(v, 'utf16le')), v).toBe(false);
    }
    expect(bytes.includes(key)).toBe(false);
    expect(bytes.includes(Buffer.from(key.toString('hex')))).toBe(false);
    // Reopened with the same key, the values come back.
    const again = new SqlitePiiVault(new Database(file), key);
    const token = again.tokenize(values[0]!, 'email');
    expect(again.detokenize(token)).toBe(values[0]);
  });
});

describe('TOKEN_PATTERN', () => {
  it('matches the tokens the vault makes', () => {
    const vault = new SqlitePiiVault(new Database(':memory:'), randomBytes(32));
    const t = vault.tokenize('x@example.com', 'email');
    expect(`see ${t}.`.match(TOKEN_PATTERN)).toEqual([t]);
  });
});
