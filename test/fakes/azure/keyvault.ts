// Azure Key Vault, secrets data plane, as @azure/keyvault-secrets 4.11 (api-version 2025-07-01) sees it.
//
// Shapes follow the REST examples in Azure/azure-rest-api-specs
// (specification/keyvault/data-plane/Microsoft.KeyVault/stable/7.5/examples/SetSecret-example.json, GetSecret-,
// GetSecretVersions-, GetSecrets-, DeleteSecret-, GetDeletedSecret-, RecoverDeletedSecret-, UpdateSecret-example.json):
// timestamps are Unix seconds, a version id is 32 hex digits, a list is `{ value, nextLink }` paged with `maxresults`
// (1-25) and a `$skiptoken`, and `nextLink` is null on the last page.
//
// The challenge flow (keyvault-common's keyVaultAuthenticationPolicy): the client's FIRST request carries no token and
// no body; the vault answers 401 with
//   WWW-Authenticate: Bearer authorization="<authority>/<tenant>", resource="https://vault.azure.net"
// and the client asks Entra for `<resource>/.default`, then resends the request with its body. The SDK checks that the
// vault's host ends with `.<resource host>` unless the client is built with `disableChallengeResourceVerification`,
// which the fake (127.0.0.1) always needs.
//
// Vaults are told apart by the Host header: `keyVault(fake)` is the one at the fake's own URL (`keyVaultUrl(fake)`);
// `addKeyVault(fake, { host: 'localhost:<port>' })` makes another. Every request is checked in this order: vault known
// → bearer token for the vault's resource (401 + challenge) → api-version → the caller's permission on the secret
// (403, RBAC- or access-policy-shaped) → the route. Soft delete and recovery take effect after `transitionReads`
// requests about that name (default 1), like the real service's short delay that the SDK's pollers wait out.
import { randomBytes } from 'node:crypto';
import type { AzureFake, FakeRequest, FakeResponse, Route } from './server.js';
import { verifyBearer } from './entra.js';
import { json } from './respond.js';

declare module './server.js' {
  interface AzureFakeState {
    /** Key Vaults by lower-case host (`127.0.0.1:<port>`); set by registerKeyVault. */
    keyVaults?: Map<string, FakeVault>;
  }
}

export type SecretPermission = 'get' | 'list' | 'set' | 'delete' | 'recover' | 'purge';
export const ALL_SECRET_PERMISSIONS: readonly SecretPermission[] = ['get', 'list', 'set', 'delete', 'recover', 'purge'];

export interface FakeSecretAttributes {
  enabled: boolean;
  /** Unix seconds. */
  created: number;
  updated: number;
  nbf?: number;
  exp?: number;
  recoverableDays: number;
  recoveryLevel: string;
}

export interface FakeSecretVersion {
  version: string;
  value: string;
  contentType?: string;
  tags?: Record<string, string>;
  attributes: FakeSecretAttributes;
}

export interface FakeSecret {
  /** As first written (Key Vault names are case-insensitive but keep their case). */
  name: string;
  /** In the order they were written; the last is the current version. */
  versions: FakeSecretVersion[];
}

export interface FakeDeletedSecret {
  secret: FakeSecret;
  deletedDate: number;
  scheduledPurgeDate: number;
}

export interface FakeVault {
  name: string;
  /** Lower-case `host:port` the vault answers on. */
  host: string;
  /** `https://<host>/` */
  url: string;
  /** The token audience the challenge names (the public cloud's `https://vault.azure.net` by default). */
  resource: string;
  /** How a denied caller is told: `rbac` (ForbiddenByRbac) or `access-policy` (AccessDenied). */
  authorization: 'rbac' | 'access-policy';
  /** Secret permissions by client id; a caller not here is denied everything. */
  access: Map<string, Set<SecretPermission>>;
  /** Live secrets by lower-case name. */
  secrets: Map<string, FakeSecret>;
  /** Soft-deleted secrets by lower-case name. */
  deleted: Map<string, FakeDeletedSecret>;
  /** Deletions and recoveries still in progress, by lower-case name. */
  pending: Map<string, { kind: 'deleting' | 'recovering'; remaining: number }>;
  /** How many requests about a name see a delete or recover still in progress (default 1). */
  transitionReads: number;
  softDeleteRetentionDays: number;
  /** The vault's clock (Unix ms), for timestamps; tests may move it. */
  now: () => number;
}

export interface AddKeyVaultOptions {
  name?: string;
  /** `host:port` the vault answers on (default: the fake's own). */
  host?: string;
  resource?: string;
  authorization?: FakeVault['authorization'];
  /** Permissions of the fake's service principal (default: all). */
  permissions?: readonly SecretPermission[];
  transitionReads?: number;
}

const MAX_PAGE = 25;
const MAX_TAGS = 15;
const NAME = String.raw`(?<name>[^/]+)`;
const API_VERSION = /^(\d+\.\d+|\d{4}-\d{2}-\d{2})(-preview(\.\d+)?)?$/;

/** The vault at the fake's own URL. */
export function keyVault(fake: AzureFake, host = new URL(fake.url).host): FakeVault {
  const vault = vaults(fake).get(host.toLowerCase());
  if (!vault) throw new Error(`The Azure fake has no Key Vault on ${host}.`);
  return vault;
}

/** `https://127.0.0.1:<port>/`, the vault URL a SecretClient (or mac.yaml's keyVaultUrl) takes. */
export function keyVaultUrl(fake: AzureFake): string {
  return keyVault(fake).url;
}

export function addKeyVault(fake: AzureFake, options: AddKeyVaultOptions = {}): FakeVault {
  const host = (options.host ?? new URL(fake.url).host).toLowerCase();
  const vault: FakeVault = {
    name: options.name ?? 'kv-mac-test',
    host,
    url: `https://${host}/`,
    resource: options.resource ?? 'https://vault.azure.net',
    authorization: options.authorization ?? 'access-policy',
    access: new Map([[fake.clientId, new Set(options.permissions ?? ALL_SECRET_PERMISSIONS)]]),
    secrets: new Map(),
    deleted: new Map(),
    pending: new Map(),
    transitionReads: options.transitionReads ?? 1,
    softDeleteRetentionDays: 90,
    now: () => Date.now(),
  };
  vaults(fake).set(host, vault);
  return vault;
}

/** Writes a version directly (no request), e.g. to start a test from a vault with history. */
export function seedSecret(
  vault: FakeVault,
  name: string,
  value: string,
  o: { contentType?: string; tags?: Record<string, string>; created?: Date } = {},
): FakeSecretVersion {
  const key = name.toLowerCase();
  const secret = vault.secrets.get(key) ?? { name, versions: [] };
  vault.secrets.set(key, secret);
  const t = Math.floor((o.created?.getTime() ?? vault.now()) / 1000);
  const version: FakeSecretVersion = {
    version: randomBytes(16).toString('hex'),
    value,
    ...(o.contentType !== undefined ? { contentType: o.contentType } : {}),
    ...(o.tags ? { tags: { ...o.tags } } : {}),
    attributes: attributes(vault, t),
  };
  secret.versions.push(version);
  return version;
}

export function registerKeyVault(fake: AzureFake, register: (route: Route) => void): void {
  fake.state.keyVaults ??= new Map();
  addKeyVault(fake);

  const route = (name: string, method: string, pattern: RegExp, permission: SecretPermission, handler: VaultHandler): void =>
    register(vaultRoute(`keyvault ${name}`, method, pattern, permission, handler));

  route('secrets list', 'GET', /^\/secrets\/?$/i, 'list', (req, vault) => {
    const items = [...vault.secrets.values()]
      .filter((s) => !inTransition(vault, s.name, 'recovering', false))
      .sort((a, b) => compare(a.name.toLowerCase(), b.name.toLowerCase()))
      .map((s) => secretItem(vault, s, current(s), false));
    return page(req, vault, items);
  });

  route('secret versions', 'GET', new RegExp(String.raw`^/secrets/${NAME}/versions/?$`, 'i'), 'list', (req, vault) => {
    const secret = live(vault, req.params.name ?? '');
    // The service lists versions in no particular order (here: by id); clients sort by `created`.
    const items = (secret?.versions ?? [])
      .slice()
      .sort((a, b) => compare(a.version, b.version))
      .map((v) => secretItem(vault, secret as FakeSecret, v, true));
    return page(req, vault, items);
  });

  route('secret get', 'GET', new RegExp(String.raw`^/secrets/${NAME}(?:/(?<version>[^/]*))?$`, 'i'), 'get', (req, vault) => {
    const name = req.params.name ?? '';
    const secret = live(vault, name);
    const version = req.params.version ?? '';
    const v = secret && (version ? secret.versions.find((x) => x.version.toLowerCase() === version.toLowerCase()) : current(secret));
    if (!secret || !v) return secretNotFound(version ? `${name}/${version}` : name);
    if (!v.attributes.enabled) {
      return kvError(403, 'Forbidden', 'Operation get is not allowed on a disabled secret.', 'SecretDisabled');
    }
    return json(200, bundle(vault, secret, v, true));
  });

  route('secret set', 'PUT', new RegExp(String.raw`^/secrets/${NAME}/?$`, 'i'), 'set', (req, vault) => {
    const name = req.params.name ?? '';
    if (!/^[0-9a-zA-Z-]{1,127}$/.test(name)) {
      return kvError(400, 'BadParameter', `The request URI contains an invalid name: ${name}`);
    }
    const key = name.toLowerCase();
    if (inTransition(vault, name, 'deleting')) return conflict(`Secret ${name} is currently being deleted.`, 'ObjectIsBeingDeleted');
    if (inTransition(vault, name, 'recovering')) return conflict(`Secret ${name} is currently being recovered.`, 'ObjectIsBeingRecovered');
    if (vault.deleted.has(key)) {
      return conflict(
        `Secret ${name} is currently in a deleted but recoverable state, and its name cannot be reused; in this state, the secret can only be recovered or purged.`,
        'ObjectIsDeletedButRecoverable',
      );
    }
    const body = parseBody<{ value?: unknown; contentType?: unknown; tags?: unknown; attributes?: Partial<FakeSecretAttributes> }>(req);
    if (body === undefined) return kvError(400, 'BadParameter', 'The request body is not valid JSON.');
    if (typeof body.value !== 'string') return kvError(400, 'BadParameter', 'Property value is required.');
    const tagsProblem = checkTags(body.tags);
    if (tagsProblem) return tagsProblem;
    const secret = vault.secrets.get(key) ?? { name, versions: [] };
    vault.secrets.set(key, secret);
    const t = seconds(vault);
    const v: FakeSecretVersion = {
      version: randomBytes(16).toString('hex'),
      value: body.value,
      ...(typeof body.contentType === 'string' ? { contentType: body.contentType } : {}),
      ...(body.tags ? { tags: { ...(body.tags as Record<string, string>) } } : {}),
      attributes: { ...attributes(vault, t), ...pickAttributes(body.attributes) },
    };
    secret.versions.push(v);
    return json(200, bundle(vault, secret, v, true));
  });

  route('secret update', 'PATCH', new RegExp(String.raw`^/secrets/${NAME}/(?<version>[^/]*)$`, 'i'), 'set', (req, vault) => {
    const name = req.params.name ?? '';
    const secret = live(vault, name);
    const version = req.params.version ?? '';
    const v = secret && (version ? secret.versions.find((x) => x.version.toLowerCase() === version.toLowerCase()) : current(secret));
    if (!secret || !v) return secretNotFound(version ? `${name}/${version}` : name);
    const body = parseBody<{ contentType?: unknown; tags?: unknown; attributes?: Partial<FakeSecretAttributes> }>(req);
    if (body === undefined) return kvError(400, 'BadParameter', 'The request body is not valid JSON.');
    const tagsProblem = checkTags(body.tags);
    if (tagsProblem) return tagsProblem;
    if (typeof body.contentType === 'string') v.contentType = body.contentType;
    if (body.tags) v.tags = { ...(body.tags as Record<string, string>) };
    Object.assign(v.attributes, pickAttributes(body.attributes), { updated: seconds(vault) });
    return json(200, bundle(vault, secret, v, false));
  });

  route('secret delete', 'DELETE', new RegExp(String.raw`^/secrets/${NAME}/?$`, 'i'), 'delete', (req, vault) => {
    const name = req.params.name ?? '';
    const secret = live(vault, name);
    if (!secret) return secretNotFound(name);
    const key = name.toLowerCase();
    vault.secrets.delete(key);
    const t = seconds(vault);
    const entry: FakeDeletedSecret = { secret, deletedDate: t, scheduledPurgeDate: t + vault.softDeleteRetentionDays * 86_400 };
    vault.deleted.set(key, entry);
    if (vault.transitionReads > 0) vault.pending.set(key, { kind: 'deleting', remaining: vault.transitionReads });
    return json(200, deletedBundle(vault, entry));
  });

  route('deleted secrets list', 'GET', /^\/deletedsecrets\/?$/i, 'list', (req, vault) => {
    const items = [...vault.deleted.values()]
      .filter((d) => !inTransition(vault, d.secret.name, 'deleting', false))
      .sort((a, b) => compare(a.secret.name.toLowerCase(), b.secret.name.toLowerCase()))
      .map((d) => ({ ...secretItem(vault, d.secret, current(d.secret), false), ...deletedFields(vault, d) }));
    return page(req, vault, items);
  });

  route('deleted secret get', 'GET', new RegExp(String.raw`^/deletedsecrets/${NAME}$`, 'i'), 'list', (req, vault) => {
    const name = req.params.name ?? '';
    const entry = vault.deleted.get(name.toLowerCase());
    if (!entry || inTransition(vault, name, 'deleting')) return kvError(404, 'SecretNotFound', `Deleted Secret not found: ${name}`);
    return json(200, deletedBundle(vault, entry));
  });

  route('deleted secret recover', 'POST', new RegExp(String.raw`^/deletedsecrets/${NAME}/recover$`, 'i'), 'recover', (req, vault) => {
    const name = req.params.name ?? '';
    const key = name.toLowerCase();
    const entry = vault.deleted.get(key);
    if (!entry || inTransition(vault, name, 'deleting')) return kvError(404, 'SecretNotFound', `Deleted Secret not found: ${name}`);
    vault.deleted.delete(key);
    vault.secrets.set(key, entry.secret);
    if (vault.transitionReads > 0) vault.pending.set(key, { kind: 'recovering', remaining: vault.transitionReads });
    return json(200, bundle(vault, entry.secret, current(entry.secret), false));
  });

  route('deleted secret purge', 'DELETE', new RegExp(String.raw`^/deletedsecrets/${NAME}$`, 'i'), 'purge', (req, vault) => {
    const name = req.params.name ?? '';
    if (!vault.deleted.delete(name.toLowerCase())) return kvError(404, 'SecretNotFound', `Deleted Secret not found: ${name}`);
    return { status: 204 };
  });
}

// ---- the checks every Key Vault route shares ----

type VaultHandler = (req: FakeRequest, vault: FakeVault, fake: AzureFake) => FakeResponse;

const ACTIONS: Record<SecretPermission, string> = {
  get: 'Microsoft.KeyVault/vaults/secrets/getSecret/action',
  list: 'Microsoft.KeyVault/vaults/secrets/readMetadata/action',
  set: 'Microsoft.KeyVault/vaults/secrets/setSecret/action',
  delete: 'Microsoft.KeyVault/vaults/secrets/delete',
  recover: 'Microsoft.KeyVault/vaults/secrets/recover/action',
  purge: 'Microsoft.KeyVault/vaults/secrets/purge/action',
};

function vaultRoute(name: string, method: string, pattern: RegExp, permission: SecretPermission, handler: VaultHandler): Route {
  return {
    name,
    method,
    pattern,
    handler: (req, fake) => {
      const host = (req.headers.host ?? '').toLowerCase();
      const vault = vaults(fake).get(host);
      if (!vault) return kvError(404, 'VaultNotFound', `The Azure fake has no Key Vault on ${host} (see addKeyVault).`);
      const challenge = `Bearer authorization="${fake.url}/${fake.tenantId}", resource="${vault.resource}"`;
      const check = verifyBearer(fake, req, vault.resource);
      if (check.status !== 'valid') {
        const message = {
          missing: 'AKV10000: Request is missing a Bearer or PoP token.',
          unknown: 'AKV10022: Invalid token: it was not issued by this authority.',
          expired: 'AKV10032: The token is expired.',
          'wrong-audience': `AKV10022: Invalid audience. Expected ${vault.resource}, found: ${check.token?.audience ?? ''}.`,
        }[check.status];
        return kvError(401, 'Unauthorized', message, undefined, { 'WWW-Authenticate': challenge });
      }
      const apiVersion = req.query.get('api-version');
      if (!apiVersion) return kvError(400, 'BadParameter', 'The api-version query parameter is missing.');
      if (!API_VERSION.test(apiVersion)) {
        return kvError(400, 'BadParameter', `The specified version (${apiVersion}) is not recognized. Consider using the latest supported version.`);
      }
      const clientId = check.token?.clientId ?? '';
      if (!vault.access.get(clientId)?.has(permission)) return denied(fake, vault, clientId, permission);
      return handler(req, vault, fake);
    },
  };
}

function denied(fake: AzureFake, vault: FakeVault, clientId: string, permission: SecretPermission): FakeResponse {
  const caller = `appid=${clientId};oid=${clientId};iss=https://sts.windows.net/${fake.tenantId}/`;
  if (vault.authorization === 'rbac') {
    return kvError(
      403,
      'Forbidden',
      `Caller is not authorized to perform action on resource.\r\nIf role assignments, deny assignments or role definitions were changed recently, please observe propagation time.\r\nCaller: ${caller}\r\nAction: '${ACTIONS[permission]}'\r\nResource: '/subscriptions/${fake.subscriptionId}/resourcegroups/multi-agent-rg/providers/microsoft.keyvault/vaults/${vault.name}/secrets'\r\nAssignment: (not found)\r\nDecisionReason: 'DeniedWithNoValidRBAC' \r\nVault: ${vault.name};location=eastus\r\n`,
      'ForbiddenByRbac',
    );
  }
  return kvError(
    403,
    'Forbidden',
    `The user, group or application '${caller}' does not have secrets ${permission} permission on key vault '${vault.name};location=eastus'. For help resolving this issue, please see https://go.microsoft.com/fwlink/?linkid=2125287`,
    'AccessDenied',
  );
}

// ---- shapes ----

function vaults(fake: AzureFake): Map<string, FakeVault> {
  return (fake.state.keyVaults ??= new Map());
}

function attributes(vault: FakeVault, t: number): FakeSecretAttributes {
  return { enabled: true, created: t, updated: t, recoverableDays: vault.softDeleteRetentionDays, recoveryLevel: 'Recoverable+Purgeable' };
}

function pickAttributes(a: Partial<FakeSecretAttributes> | undefined): Partial<FakeSecretAttributes> {
  if (!a || typeof a !== 'object') return {};
  return {
    ...(typeof a.enabled === 'boolean' ? { enabled: a.enabled } : {}),
    ...(typeof a.nbf === 'number' ? { nbf: a.nbf } : {}),
    ...(typeof a.exp === 'number' ? { exp: a.exp } : {}),
  };
}

function secretId(vault: FakeVault, secret: FakeSecret, version?: FakeSecretVersion): string {
  return `${vault.url}secrets/${secret.name}${version ? `/${version.version}` : ''}`;
}

/** A SecretBundle (GET, PUT): the value only where the service returns it. */
function bundle(vault: FakeVault, secret: FakeSecret, v: FakeSecretVersion, withValue: boolean): Record<string, unknown> {
  return {
    ...(withValue ? { value: v.value } : {}),
    id: secretId(vault, secret, v),
    ...(v.contentType !== undefined ? { contentType: v.contentType } : {}),
    attributes: { ...v.attributes },
    ...(v.tags ? { tags: { ...v.tags } } : {}),
  };
}

/** A SecretItem (lists): never a value. */
function secretItem(vault: FakeVault, secret: FakeSecret, v: FakeSecretVersion, versioned: boolean): Record<string, unknown> {
  return {
    id: secretId(vault, secret, versioned ? v : undefined),
    attributes: { ...v.attributes },
    ...(v.contentType !== undefined ? { contentType: v.contentType } : {}),
    ...(v.tags ? { tags: { ...v.tags } } : {}),
  };
}

function deletedFields(vault: FakeVault, d: FakeDeletedSecret): Record<string, unknown> {
  return { recoveryId: `${vault.url}deletedsecrets/${d.secret.name}`, deletedDate: d.deletedDate, scheduledPurgeDate: d.scheduledPurgeDate };
}

function deletedBundle(vault: FakeVault, d: FakeDeletedSecret): Record<string, unknown> {
  return { ...deletedFields(vault, d), ...bundle(vault, d.secret, current(d.secret), false) };
}

function page(req: FakeRequest, vault: FakeVault, items: unknown[]): FakeResponse {
  const raw = req.query.get('maxresults');
  const size = raw === null ? MAX_PAGE : Number(raw);
  if (!Number.isInteger(size) || size < 1 || size > MAX_PAGE) {
    return kvError(400, 'BadParameter', `maxresults must be an integer between 1 and ${MAX_PAGE}, got ${raw ?? ''}.`);
  }
  const token = req.query.get('$skiptoken');
  let skip = 0;
  if (token) {
    try {
      skip = (JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as { skip: number }).skip;
    } catch {
      return kvError(400, 'BadParameter', 'The $skiptoken is invalid.');
    }
  }
  const value = items.slice(skip, skip + size);
  let nextLink: string | null = null;
  if (skip + size < items.length) {
    const next = new URL(req.path, vault.url);
    next.searchParams.set('api-version', req.query.get('api-version') ?? '');
    next.searchParams.set('$skiptoken', Buffer.from(JSON.stringify({ skip: skip + size })).toString('base64url'));
    if (raw !== null) next.searchParams.set('maxresults', String(size));
    nextLink = next.toString();
  }
  return json(200, { value, nextLink });
}

function kvError(status: number, code: string, message: string, inner?: string, headers: Record<string, string> = {}): FakeResponse {
  return { status, headers, body: { error: { code, message, ...(inner ? { innererror: { code: inner } } : {}) } } };
}

function conflict(message: string, inner: string): FakeResponse {
  return kvError(409, 'Conflict', message, inner);
}

function secretNotFound(what: string): FakeResponse {
  return kvError(
    404,
    'SecretNotFound',
    `A secret with (name/id) ${what} was not found in this key vault. If you recently deleted this secret you may be able to recover it using the correct recovery command. For help resolving this issue, please see https://go.microsoft.com/fwlink/?linkid=2125182`,
  );
}

function checkTags(tags: unknown): FakeResponse | undefined {
  if (tags === undefined || tags === null) return undefined;
  if (typeof tags !== 'object' || Array.isArray(tags) || Object.values(tags).some((v) => typeof v !== 'string')) {
    return kvError(400, 'BadParameter', 'Tags must be an object of string values.');
  }
  const entries = Object.entries(tags as Record<string, string>);
  if (entries.length > MAX_TAGS) return kvError(400, 'BadParameter', `A secret can have at most ${MAX_TAGS} tags.`);
  if (entries.some(([k, v]) => k.length > 512 || v.length > 256)) {
    return kvError(400, 'BadParameter', 'Tag names are at most 512 characters and tag values at most 256.');
  }
  return undefined;
}

function parseBody<T>(req: FakeRequest): T | undefined {
  try {
    return (req.json<T>() ?? {}) as T;
  } catch {
    return undefined;
  }
}

/** The secret, unless it is gone or still being recovered. */
function live(vault: FakeVault, name: string): FakeSecret | undefined {
  if (inTransition(vault, name, 'recovering')) return undefined;
  return vault.secrets.get(name.toLowerCase());
}

function current(secret: FakeSecret): FakeSecretVersion {
  return secret.versions[secret.versions.length - 1] as FakeSecretVersion;
}

/**
 * Whether a delete or recover of `name` is still in progress. Each request about that name that asks (`count`)
 * brings it one step closer to done, so a poller sees it finish after `transitionReads` requests.
 */
function inTransition(vault: FakeVault, name: string, kind: 'deleting' | 'recovering', count = true): boolean {
  const key = name.toLowerCase();
  const p = vault.pending.get(key);
  if (!p || p.kind !== kind) return false;
  if (p.remaining <= 0) {
    vault.pending.delete(key);
    return false;
  }
  if (count) p.remaining -= 1;
  return true;
}

function seconds(vault: FakeVault): number {
  return Math.floor(vault.now() / 1000);
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
