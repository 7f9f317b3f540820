// The secret store seam: what the local vault and Azure Key Vault both offer. Shaped after Key Vault: every write is
// a new version (never an update in place), a rollback writes the earlier value again as a NEW version, and listing
// gives names and metadata, never values.
import { randomBytes } from 'node:crypto';

/** Key Vault's rule for secret names, in lowercase (the names mac knows are all lowercase). */
export const SECRET_NAME_PATTERN = /^[a-z][a-z0-9-]{1,126}$/;

/** Key Vault refuses values above 25 KB; the local vault does too, so both targets accept the same secrets. */
export const MAX_SECRET_BYTES = 25 * 1024;

export interface SecretMeta {
  /** e.g. `application/json` for the Google Analytics service-account key. */
  contentType?: string;
  /** Free-form metadata kept with the version (where the value came from, what it restored). Never secret. */
  tags?: Record<string, string>;
}

export interface SecretVersion {
  name: string;
  /** Sortable id: versions of a store sort by id in the order they were written. */
  version: string;
  createdAt: Date;
  contentType?: string;
  tags: Record<string, string>;
}

/**
 * A secret as `list()` gives it. A store whose listing does not say (Key Vault: a list item names no version and
 * counts none) leaves out `currentVersion`, `createdAt` and `versionCount` rather than ask once per secret;
 * `versions(name)` has them.
 */
export interface SecretInfo {
  name: string;
  /** The id of the current (newest) version. */
  currentVersion?: string;
  /** When the first version was written. */
  createdAt?: Date;
  /** When the current version was written: the age that rotation policy looks at. */
  updatedAt: Date;
  versionCount?: number;
  contentType?: string;
  tags: Record<string, string>;
}

export interface RollbackOptions {
  /** The version whose value to restore (default: the one before the current version). */
  to?: string;
  meta?: SecretMeta;
}

/** The outcome of a store's self-check: whether it can be read and written with the credentials at hand. */
export interface StoreCheck {
  ok: boolean;
  problem?: string;
  suggestion?: string;
}

export interface SecretStore {
  /** `local-vault` or `azure-key-vault`. */
  readonly kind: string;
  /** Where the secrets live, for messages: a file path or a vault URL. */
  readonly location: string;
  /** Writes a new version and makes it current. */
  set(name: string, value: string, meta?: SecretMeta): Promise<SecretVersion>;
  /** The current value, or that of one version; undefined when the secret or version does not exist. */
  get(name: string, version?: string): Promise<string | undefined>;
  /**
   * The current value with its version id, for what records which value it used without keeping the value (a
   * container group's spec hash); undefined when the secret does not exist. Where offered, one request like `get`.
   */
  current?(name: string): Promise<{ value: string; version: string } | undefined>;
  /** Every secret's metadata, sorted by name. Never values. */
  list(): Promise<SecretInfo[]>;
  /** A secret's versions, oldest first; empty when the secret does not exist. */
  versions(name: string): Promise<SecretVersion[]>;
  /** Writes the value of an earlier version (default: the previous one) as a NEW current version. */
  rollback(name: string, options?: RollbackOptions): Promise<SecretVersion>;
  /** Whether the store is usable with the current key/credentials, without reading any value. */
  check?(): Promise<StoreCheck>;
}

/**
 * A new version id: 12 hex digits of milliseconds since the epoch, 4 of a sequence within that millisecond, 16
 * random — 32 lowercase hex characters like Key Vault's, and sortable. `after` (the newest id the writer knows)
 * keeps ids increasing even when two writes share a millisecond or the clock steps back.
 */
export function newVersionId(now: Date, after?: string): string {
  let ms = Math.max(0, Math.floor(now.getTime()));
  let seq = 0;
  if (after && /^[0-9a-f]{32}$/.test(after)) {
    const lastMs = Number.parseInt(after.slice(0, 12), 16);
    const lastSeq = Number.parseInt(after.slice(12, 16), 16);
    if (ms <= lastMs) {
      ms = lastMs;
      seq = lastSeq + 1;
      if (seq > 0xffff) {
        ms += 1;
        seq = 0;
      }
    }
  }
  return `${ms.toString(16).padStart(12, '0')}${seq.toString(16).padStart(4, '0')}${randomBytes(8).toString('hex')}`;
}
