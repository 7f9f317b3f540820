// The PII token vault: a detected value is replaced by `TOKEN_<uuid v4>` before text leaves for a third-party model
// or a trace; the value itself is kept encrypted (AES-256-GCM) and found again by an HMAC-SHA256 index, so one value
// always maps to one token and a conversation keeps stable tokens. The 32-byte key is never written to the database.
import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes, randomUUID } from 'node:crypto';
import type { Database, Statement } from 'better-sqlite3';
import type { PiiKind } from './detect.js';

export interface PiiVault {
  /** The token for this value: the same value always gets the same token. */
  tokenize(value: string, kind: PiiKind): string;
  /** The original value, or undefined for a token this vault does not hold. */
  detokenize(token: string): string | undefined;
}

export const TOKEN_PATTERN = /TOKEN_[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}/g;
const TOKEN_EXACT = /^TOKEN_[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

/** The form of a value used for the lookup index: formatting differences do not make a new token. */
export function indexForm(value: string, kind: PiiKind): string {
  const v = value.normalize('NFC').trim();
  switch (kind) {
    case 'email':
      return v.toLowerCase();
    case 'phone':
      return v.startsWith('+') ? `+${v.replace(/\D+/g, '')}` : v.replace(/\D+/g, '');
    case 'card':
    case 'iban':
    case 'national_id':
      return v.replace(/[\s.-]+/g, '').toUpperCase();
    default:
      return v.replace(/\s+/g, ' ');
  }
}

interface Row {
  token: string;
  iv: Buffer;
  tag: Buffer;
  ciphertext: Buffer;
}

export interface SqlitePiiVaultOptions {
  /** Table name (default `pii_tokens`). */
  table?: string;
}

export class SqlitePiiVault implements PiiVault {
  private readonly encKey: Buffer;
  private readonly macKey: Buffer;
  private readonly insert: Statement<[string, string, string, Buffer, Buffer, Buffer]>;
  private readonly byHmac: Statement<[string], { token: string }>;
  private readonly byToken: Statement<[string], Row>;

  constructor(
    private readonly db: Database,
    key: Uint8Array,
    options: SqlitePiiVaultOptions = {},
  ) {
    if (!(key instanceof Uint8Array) || key.length !== 32) {
      throw new Error('PII vault key must be 32 bytes (AES-256).');
    }
    const table = options.table ?? 'pii_tokens';
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(table)) throw new Error(`Invalid PII vault table name: ${table}`);
    // Separate subkeys for encryption and for the index, both derived from the one key.
    this.encKey = Buffer.from(hkdfSync('sha256', key, Buffer.alloc(0), 'mac/pii-vault/aes-256-gcm', 32));
    this.macKey = Buffer.from(hkdfSync('sha256', key, Buffer.alloc(0), 'mac/pii-vault/hmac-index', 32));
    db.exec(`CREATE TABLE IF NOT EXISTS ${table} (
      token      TEXT PRIMARY KEY,
      kind       TEXT NOT NULL,
      value_hmac TEXT NOT NULL UNIQUE,
      iv         BLOB NOT NULL,
      tag        BLOB NOT NULL,
      ciphertext BLOB NOT NULL,
      created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
    )`);
    this.insert = db.prepare<[string, string, string, Buffer, Buffer, Buffer]>(
      `INSERT INTO ${table} (token, kind, value_hmac, iv, tag, ciphertext) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT(value_hmac) DO NOTHING`,
    );
    this.byHmac = db.prepare<[string], { token: string }>(`SELECT token FROM ${table} WHERE value_hmac = ?`);
    this.byToken = db.prepare<[string], Row>(`SELECT token, iv, tag, ciphertext FROM ${table} WHERE token = ?`);
  }

  tokenize(value: string, kind: PiiKind): string {
    const hmac = createHmac('sha256', this.macKey).update(indexForm(value, kind), 'utf8').digest('hex');
    const existing = this.byHmac.get(hmac);
    if (existing) return existing.token;
    const token = `TOKEN_${randomUUID()}`;
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.encKey, iv);
    // The token is authenticated with the value: a ciphertext moved to another row does not decrypt.
    cipher.setAAD(Buffer.from(token, 'utf8'));
    const ciphertext = Buffer.concat([cipher.update(value, 'utf8'), cipher.final()]);
    this.insert.run(token, kind, hmac, iv, cipher.getAuthTag(), ciphertext);
    // Another writer may have stored the same value first: its token wins.
    return this.byHmac.get(hmac)?.token ?? token;
  }

  detokenize(token: string): string | undefined {
    if (!TOKEN_EXACT.test(token)) return undefined;
    const row = this.byToken.get(token);
    if (!row) return undefined;
    try {
      const decipher = createDecipheriv('aes-256-gcm', this.encKey, row.iv);
      decipher.setAAD(Buffer.from(row.token, 'utf8'));
      decipher.setAuthTag(row.tag);
      return Buffer.concat([decipher.update(row.ciphertext), decipher.final()]).toString('utf8');
    } catch {
      throw new Error(`PII vault: ${token} does not decrypt (wrong key or tampered row).`);
    }
  }
}
