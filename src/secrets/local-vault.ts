// The local target's secret store: one file, .mac/<env>/vault (0600), a JSON envelope whose every value is encrypted
// with AES-256-GCM under a key derived from the project master key. Each write is a new version with its own random
// 12-byte IV; the associated data binds a ciphertext to its secret name and version id, so entries cannot be swapped
// or moved. Writes take a lock file and replace the vault atomically (temp file 0600 + fsync + rename), so concurrent
// writers queue instead of losing a version. Plain values live only in memory: never on disk, in logs or in errors.
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';
import { mkdir, open, readFile, rename, unlink } from 'node:fs/promises';
import path from 'node:path';
import { UsageError, UserError } from '../errors.js';
import { withLock } from './lock.js';
import {
  MAX_SECRET_BYTES,
  SECRET_NAME_PATTERN,
  newVersionId,
  type RollbackOptions,
  type SecretInfo,
  type SecretMeta,
  type SecretStore,
  type SecretVersion,
  type StoreCheck,
} from './store.js';

export const VAULT_FILE = 'vault';

/** The vault key (32 bytes, already purpose-derived), or how to find it: `create: false` must not make a new one. */
export type VaultKeySource = Buffer | ((o: { create: boolean }) => Promise<Buffer | undefined>);

export interface LocalVaultOptions {
  /** The vault file, normally .mac/<env>/vault. */
  file: string;
  key: VaultKeySource;
  /** Clock for version timestamps (default: the system clock). */
  now?: () => Date;
  /** What to tell the operator about where the key came from, when it cannot decrypt the vault. */
  keyHint?: string;
  /** How long a write waits for another writer's lock (default 10 s). */
  lockTimeoutMs?: number;
  /** Liveness check for lock owners (tests). */
  isAlive?: (pid: number) => boolean;
}

interface StoredVersion {
  version: string;
  createdAt: string;
  contentType?: string;
  tags: Record<string, string>;
  iv: string;
  tag: string;
  ciphertext: string;
}

interface StoredEntry {
  versions: StoredVersion[];
}

interface VaultFile {
  version: 1;
  kdf: 'hkdf-sha256';
  cipher: 'aes-256-gcm';
  /** A one-way fingerprint of the key: tells "encrypted with another key" apart from "tampered with". */
  keyId: string;
  entries: Record<string, StoredEntry>;
}

interface Keys {
  enc: Buffer;
  id: string;
}

const DEFAULT_KEY_HINT = 'Use the key the vault was written with (MAC_VAULT_KEY or the key file).';

export class LocalVault implements SecretStore {
  readonly kind = 'local-vault';
  private readonly now: () => Date;
  private keys?: Keys;

  constructor(private readonly o: LocalVaultOptions) {
    this.now = o.now ?? (() => new Date());
  }

  get location(): string {
    return this.o.file;
  }

  async set(name: string, value: string, meta: SecretMeta = {}): Promise<SecretVersion> {
    checkName(name);
    const plain = Buffer.from(value, 'utf8');
    if (plain.length > MAX_SECRET_BYTES) {
      throw new UsageError(`The value of ${name} is ${plain.length} bytes; a secret holds at most ${MAX_SECRET_BYTES} (Key Vault's limit).`);
    }
    return this.write(async (vault, keys) => {
      const entry = (vault.entries[name] ??= { versions: [] });
      return this.append(vault, entry, name, plain, keys, meta);
    });
  }

  async get(name: string, version?: string): Promise<string | undefined> {
    const vault = await this.read();
    const versions = vault?.entries[name]?.versions;
    if (!vault || !versions?.length) return undefined;
    const stored = version === undefined ? versions[versions.length - 1] : versions.find((v) => v.version === version);
    if (!stored) return undefined;
    const keys = await this.keysFor(vault);
    return decrypt(stored, name, keys, this.o.file).toString('utf8');
  }

  async list(): Promise<SecretInfo[]> {
    const vault = await this.read();
    if (!vault) return [];
    return Object.entries(vault.entries)
      .filter(([, e]) => e.versions.length > 0)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([name, e]) => {
        const first = e.versions[0] as StoredVersion;
        const current = e.versions[e.versions.length - 1] as StoredVersion;
        return {
          name,
          currentVersion: current.version,
          createdAt: new Date(first.createdAt),
          updatedAt: new Date(current.createdAt),
          versionCount: e.versions.length,
          ...(current.contentType ? { contentType: current.contentType } : {}),
          tags: { ...current.tags },
        };
      });
  }

  async versions(name: string): Promise<SecretVersion[]> {
    const vault = await this.read();
    return (vault?.entries[name]?.versions ?? []).map((v) => toVersion(name, v));
  }

  async rollback(name: string, options: RollbackOptions = {}): Promise<SecretVersion> {
    checkName(name);
    return this.write(async (vault, keys) => {
      const entry = vault.entries[name];
      if (!entry?.versions.length) throw new UserError(`No secret named ${name} in ${this.o.file}.`, 'mac secrets list shows the secrets this environment has.');
      const current = entry.versions[entry.versions.length - 1] as StoredVersion;
      const target = options.to === undefined ? entry.versions[entry.versions.length - 2] : entry.versions.find((v) => v.version === options.to);
      if (!target) {
        throw new UserError(
          options.to === undefined
            ? `${name} has a single version: there is no earlier value to roll back to.`
            : `${name} has no version ${options.to}.`,
          `mac secrets list --versions shows the versions of ${name}.`,
        );
      }
      const plain = decrypt(target, name, keys, this.o.file);
      const tags = { ...options.meta?.tags, 'restored-from': target.version, 'replaced': current.version };
      const contentType = options.meta?.contentType ?? target.contentType;
      return this.append(vault, entry, name, plain, keys, { tags, ...(contentType ? { contentType } : {}) });
    });
  }

  async check(): Promise<StoreCheck> {
    try {
      const vault = await this.read();
      if (vault) await this.keysFor(vault);
      return { ok: true };
    } catch (err) {
      if (err instanceof UserError) return { ok: false, problem: err.message, suggestion: err.suggestion };
      throw err;
    }
  }

  // ---- internals ----

  private append(vault: VaultFile, entry: StoredEntry, name: string, plain: Buffer, keys: Keys, meta: SecretMeta): SecretVersion {
    const createdAt = this.now();
    const version = newVersionId(createdAt, newestId(vault));
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', keys.enc, iv);
    cipher.setAAD(associatedData(name, version));
    const ciphertext = Buffer.concat([cipher.update(plain), cipher.final()]);
    const stored: StoredVersion = {
      version,
      createdAt: createdAt.toISOString(),
      ...(meta.contentType ? { contentType: meta.contentType } : {}),
      tags: { ...meta.tags },
      iv: iv.toString('base64'),
      tag: cipher.getAuthTag().toString('base64'),
      ciphertext: ciphertext.toString('base64'),
    };
    entry.versions.push(stored);
    return toVersion(name, stored);
  }

  /** Read-modify-write under the lock; the vault is replaced atomically only when `change` succeeds. */
  private async write<T>(change: (vault: VaultFile, keys: Keys) => Promise<T>): Promise<T> {
    const dir = path.dirname(this.o.file);
    await mkdir(dir, { recursive: true, mode: 0o700 });
    return withLock(
      `${this.o.file}.lock`,
      async () => {
        const existing = await this.read();
        const keys = existing ? await this.keysFor(existing) : await this.loadKeys(true);
        if (!keys) throw new UserError(`No key to encrypt ${this.o.file} with.`, this.o.keyHint ?? DEFAULT_KEY_HINT);
        const vault: VaultFile = existing ?? { version: 1, kdf: 'hkdf-sha256', cipher: 'aes-256-gcm', keyId: keys.id, entries: {} };
        const result = await change(vault, keys);
        await writeAtomic(this.o.file, `${JSON.stringify(vault, null, 2)}\n`);
        return result;
      },
      { timeoutMs: this.o.lockTimeoutMs, purpose: 'secrets vault write', isAlive: this.o.isAlive },
    );
  }

  private async read(): Promise<VaultFile | undefined> {
    let text: string;
    try {
      text = await readFile(this.o.file, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw err;
    }
    return parseVault(text, this.o.file);
  }

  private async keysFor(vault: VaultFile): Promise<Keys> {
    const keys = await this.loadKeys(false);
    if (!keys) {
      throw new UserError(`cannot decrypt ${this.o.file}: no key found (MAC_VAULT_KEY is unset and there is no key file) — was MAC_VAULT_KEY changed?`, this.o.keyHint ?? DEFAULT_KEY_HINT);
    }
    if (keys.id !== vault.keyId) {
      throw new UserError(`cannot decrypt ${this.o.file}: it was encrypted with a different key — was MAC_VAULT_KEY changed?`, this.o.keyHint ?? DEFAULT_KEY_HINT);
    }
    return keys;
  }

  private async loadKeys(create: boolean): Promise<Keys | undefined> {
    if (this.keys) return this.keys;
    const key = Buffer.isBuffer(this.o.key) ? this.o.key : await this.o.key({ create });
    if (!key) return undefined;
    if (key.length !== 32) throw new Error('The secrets vault key must be 32 bytes.');
    this.keys = {
      enc: Buffer.from(hkdfSync('sha256', key, Buffer.alloc(0), 'mac/secrets-vault/aes-256-gcm', 32)),
      id: Buffer.from(hkdfSync('sha256', key, Buffer.alloc(0), 'mac/secrets-vault/key-id', 16)).toString('hex'),
    };
    return this.keys;
  }
}

function checkName(name: string): void {
  if (!SECRET_NAME_PATTERN.test(name)) {
    throw new UsageError(
      `Invalid secret name "${name}": expected 2-127 characters of lowercase letters, digits and dashes, starting with a letter.`,
      'Secret names follow Key Vault\'s rule so the same names work on both targets, e.g. zendesk-api-token.',
    );
  }
}

function associatedData(name: string, version: string): Buffer {
  return Buffer.from(`mac-secrets-vault/v1\n${name}\n${version}`, 'utf8');
}

function decrypt(stored: StoredVersion, name: string, keys: Keys, file: string): Buffer {
  try {
    const decipher = createDecipheriv('aes-256-gcm', keys.enc, Buffer.from(stored.iv, 'base64'));
    decipher.setAAD(associatedData(name, stored.version));
    decipher.setAuthTag(Buffer.from(stored.tag, 'base64'));
    return Buffer.concat([decipher.update(Buffer.from(stored.ciphertext, 'base64')), decipher.final()]);
  } catch {
    // The key is the right one (its fingerprint matched), so the entry itself was altered.
    throw new UserError(
      `cannot decrypt ${name} (version ${stored.version}) in ${file}: authentication failed — the entry was modified, damaged or moved.`,
      'Restore the vault from a backup, or set the secret again with mac secrets set.',
    );
  }
}

function toVersion(name: string, v: StoredVersion): SecretVersion {
  return { name, version: v.version, createdAt: new Date(v.createdAt), ...(v.contentType ? { contentType: v.contentType } : {}), tags: { ...v.tags } };
}

function newestId(vault: VaultFile): string | undefined {
  let newest: string | undefined;
  for (const e of Object.values(vault.entries)) {
    for (const v of e.versions) if (newest === undefined || v.version > newest) newest = v.version;
  }
  return newest;
}

function parseVault(text: string, file: string): VaultFile {
  const bad = (why: string) => new UserError(`${file} is not a readable mac secrets vault: ${why}.`, 'Restore it from a backup, or move it aside and set the secrets again.');
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    throw bad('not valid JSON');
  }
  const v = doc as Partial<VaultFile> | null;
  if (!v || typeof v !== 'object') throw bad('not a JSON object');
  if (typeof v.version === 'number' && v.version > 1) {
    throw new UserError(`${file} was written by a newer mac (vault format ${v.version}).`, 'Upgrade mac to read it.');
  }
  if (v.version !== 1 || v.kdf !== 'hkdf-sha256' || v.cipher !== 'aes-256-gcm' || typeof v.keyId !== 'string') throw bad('unknown format');
  if (!v.entries || typeof v.entries !== 'object') throw bad('no entries');
  for (const [name, e] of Object.entries(v.entries)) {
    const ok =
      Array.isArray(e?.versions) &&
      e.versions.every(
        (x) =>
          x && typeof x.version === 'string' && typeof x.createdAt === 'string' && typeof x.iv === 'string' && typeof x.tag === 'string' && typeof x.ciphertext === 'string',
      );
    if (!ok) throw bad(`entry ${name} is malformed`);
    for (const x of e.versions) x.tags ??= {};
  }
  return v as VaultFile;
}

/** Temp file 0600 in the same directory, written and fsynced, then renamed over the target (and the dir fsynced). */
async function writeAtomic(file: string, text: string): Promise<void> {
  const tmp = `${file}.tmp-${process.pid}-${randomBytes(6).toString('hex')}`;
  const handle = await open(tmp, 'wx', 0o600);
  try {
    try {
      await handle.chmod(0o600);
      await handle.writeFile(text, 'utf8');
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(tmp, file);
  } catch (err) {
    await unlink(tmp).catch(() => {});
    throw err;
  }
  const dir = await open(path.dirname(file), 'r').catch(() => undefined);
  if (dir) await dir.sync().catch(() => {}).finally(() => dir.close());
}

/** The vault of an environment: .mac/<env>/vault, keyed by the project master key (MAC_VAULT_KEY or the key file). */
export async function openLocalVault(
  env: { stateDir: string; projectDir: string },
  processEnv: NodeJS.ProcessEnv,
  now?: () => Date,
): Promise<LocalVault> {
  const { deriveKey, findMasterKey, keyFilePath, masterKey } = await import('./key.js');
  const keyHint = processEnv.MAC_VAULT_KEY
    ? 'MAC_VAULT_KEY is set: set it to the key this vault was written with.'
    : `mac read the key file ${keyFilePath(env.projectDir, processEnv)}, which is named after the project's path: if the project moved, ` +
      'set MAC_VAULT_KEY to the content of the old key file (in the same folder); if the key is lost, move the vault aside and set the secrets again.';
  return new LocalVault({
    file: path.join(env.stateDir, VAULT_FILE),
    key: async ({ create }) => {
      const master = create ? await masterKey(env.projectDir, processEnv) : await findMasterKey(env.projectDir, processEnv);
      return master && deriveKey(master, 'secrets-vault');
    },
    now,
    keyHint,
  });
}
