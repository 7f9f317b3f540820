// The azure target's secret store: Azure Key Vault through @azure/keyvault-secrets. Key Vault already works the way the
// SecretStore seam is shaped: every set is a new version, nothing is updated in place, listing gives metadata only.
//
// - Order. Key Vault's version ids are random and its `created` has one-second resolution, so two versions written
//   in the same second (a rotation and its rollback) cannot be told apart by the service's metadata. Each version
//   mac writes carries a `mac-order` tag: a sortable id (store.ts newVersionId: milliseconds + a sequence). Versions
//   sort by it; versions written by other tools (no tag) sort by `created`. The tag is hidden from callers.
// - Tokens. The SDK learns which token to ask for from the vault's 401 challenge. Its own check (the challenge
//   resource must be a DNS suffix of the vault's host) is turned off, always, and replaced by a stricter one: the
//   credential handed to the client gives out a token for exactly `https://<cloud.keyVaultDnsSuffix>/.default` and
//   for nothing else. So a real vault (`*.vault.azure.net`), a private-endpoint alias or the test fake work alike, and
//   no vault URL can talk mac into sending it a token for another resource (ARM, Graph, …).
// - Soft delete. A name that is soft-deleted cannot be set (409 ObjectIsDeletedButRecoverable): `set` recovers it
//   (with all its versions) and then writes the new version. Purge is never done (the vault has purge protection).
// - Errors name the cause (no token, no permission, unreachable, conflict) and never carry a value: the SDK's errors
//   (which hold the request) are not passed on, only their status, codes and the service's message.
import type { TokenCredential } from '@azure/identity';
import pRetry from 'p-retry';
import type { SecretClient, SecretClientOptions, SecretProperties } from '@azure/keyvault-secrets';
import { PreconditionError, UsageError, UserError } from '../errors.js';
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

/** The tag that orders versions mac wrote (see the header). */
export const ORDER_TAG = 'mac-order';

export interface KeyVaultStoreOptions {
  /** e.g. https://kv-multiagent-prod.vault.azure.net/ */
  vaultUrl: string;
  credential: TokenCredential;
  /** cloud.keyVaultDnsSuffix: the vault's token audience is `https://<suffix>`. */
  keyVaultDnsSuffix: string;
  /** Clock for the order tag (default: the system clock, which is what real write order needs). */
  now?: () => Date;
  /** How often the recovery of a soft-deleted secret is polled (default 2 s, the SDK's). */
  pollIntervalMs?: number;
  /** The SDK's retry policy (429 with Retry-After, 5xx, connection resets); defaults are the SDK's. */
  retryOptions?: { maxRetries?: number; retryDelayInMs?: number; maxRetryDelayInMs?: number };
}

/** A version as listed by Key Vault, before mac's ordering. */
interface Listed {
  props: SecretProperties;
  order?: string;
}

export class KeyVaultStore implements SecretStore {
  readonly kind = 'azure-key-vault';
  readonly location: string;
  private readonly now: () => Date;
  private readonly scope: string;
  private client?: Promise<SecretClient>;
  private lastOrder?: string;
  /** Key Vault's error of each failed request, by request: list (paging) errors do not carry it themselves. */
  private readonly failures = new WeakMap<object, ServiceError>();

  constructor(private readonly o: KeyVaultStoreOptions) {
    this.location = o.vaultUrl;
    this.now = o.now ?? (() => new Date());
    this.scope = `https://${o.keyVaultDnsSuffix.replace(/^\.+|\/+$/g, '')}/.default`;
  }

  /** The vault's name (its first DNS label) for messages and az commands. */
  get vaultName(): string {
    const host = new URL(this.o.vaultUrl).hostname;
    return host.endsWith(`.${this.o.keyVaultDnsSuffix}`) ? (host.split('.')[0] ?? host) : host;
  }

  async set(name: string, value: string, meta: SecretMeta = {}): Promise<SecretVersion> {
    checkName(name);
    const bytes = Buffer.byteLength(value, 'utf8');
    if (bytes > MAX_SECRET_BYTES) {
      throw new UsageError(`The value of ${name} is ${bytes} bytes; a secret holds at most ${MAX_SECRET_BYTES} (Key Vault's limit).`);
    }
    const client = await this.sdk();
    const order = newVersionId(this.now(), this.lastOrder);
    this.lastOrder = order;
    const options = {
      ...(meta.contentType ? { contentType: meta.contentType } : {}),
      tags: { ...withoutOrder(meta.tags ?? {}), [ORDER_TAG]: order },
    };
    const write = async () => (await client.setSecret(name, value, options)).properties;
    let props: SecretProperties;
    try {
      props = await write();
    } catch (err) {
      const inner = this.serviceError(err)?.inner;
      if (inner !== 'ObjectIsDeletedButRecoverable' && inner !== 'ObjectIsBeingDeleted') throw this.explain(err, `set ${name}`, value);
      await this.recover(name, value);
      try {
        props = await write();
      } catch (again) {
        throw this.explain(again, `set ${name}`, value);
      }
    }
    return toVersion(name, { props, order });
  }

  async get(name: string, version?: string): Promise<string | undefined> {
    return (await this.read(name, version))?.value;
  }

  /**
   * The current value and the id of its version, in the one request `get` makes. The version is what a container
   * group's spec hash records in place of the value (GroupSpec.secureVersions).
   */
  async current(name: string): Promise<{ value: string; version: string } | undefined> {
    const secret = await this.read(name);
    return secret?.value !== undefined && secret.version ? { value: secret.value, version: secret.version } : undefined;
  }

  /**
   * Names and the current version's metadata, from the listing alone: its pages are the only requests, whatever the
   * number of secrets. Key Vault's list items name no version and count none, so `currentVersion`, `versionCount` and
   * `createdAt` (of the first version) are left out; `versions(name)` has them, one secret at a time.
   */
  async list(): Promise<SecretInfo[]> {
    const client = await this.sdk();
    const infos: SecretInfo[] = [];
    try {
      for await (const props of client.listPropertiesOfSecrets()) {
        // Secrets backing Key Vault certificates belong to the certificate, not to mac.
        if (props.managed) continue;
        infos.push({
          name: props.name,
          // A list item carries its current version's attributes: `created` is when that version was written.
          updatedAt: props.createdOn ?? props.updatedOn ?? new Date(0),
          ...(props.contentType ? { contentType: props.contentType } : {}),
          tags: withoutOrder(props.tags ?? {}),
        });
      }
    } catch (err) {
      throw this.explain(err, 'list the secrets');
    }
    return infos.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  async versions(name: string): Promise<SecretVersion[]> {
    return (await this.listed(name)).map((l) => toVersion(name, l));
  }

  async rollback(name: string, options: RollbackOptions = {}): Promise<SecretVersion> {
    checkName(name);
    const versions = await this.listed(name);
    const current = versions[versions.length - 1];
    if (!current) throw new UserError(`No secret named ${name} in ${this.location}.`, 'mac secrets list shows the secrets this environment has.');
    const target = options.to === undefined ? versions[versions.length - 2] : versions.find((v) => v.props.version === options.to);
    if (!target?.props.version) {
      throw new UserError(
        options.to === undefined
          ? `${name} has a single version: there is no earlier value to roll back to.`
          : `${name} has no version ${options.to} in ${this.location}.`,
        `mac secrets list --versions shows the versions of ${name}.`,
      );
    }
    const value = await this.get(name, target.props.version);
    if (value === undefined) throw new UserError(`Version ${target.props.version} of ${name} could not be read from ${this.location}.`);
    const contentType = options.meta?.contentType ?? target.props.contentType;
    return this.set(name, value, {
      ...(contentType ? { contentType } : {}),
      tags: { ...options.meta?.tags, 'restored-from': target.props.version, replaced: current.props.version ?? '' },
    });
  }

  /** Lists one secret's metadata (the least a caller can be allowed), reading no value. */
  async check(): Promise<StoreCheck> {
    try {
      const client = await this.sdk();
      await client.listPropertiesOfSecrets().byPage({ maxPageSize: 1 }).next();
      return { ok: true };
    } catch (err) {
      const e = err instanceof UserError ? err : this.explain(err, 'list the secrets');
      return { ok: false, problem: e.message, ...(e.suggestion ? { suggestion: e.suggestion } : {}) };
    }
  }

  // ---- internals ----

  /** Key Vault's `{ error: { code, message, innererror } }` for a failed request, from the error or as recorded. */
  private serviceError(err: unknown): ServiceError | undefined {
    const details = (err as { details?: KvErrorDetails } | null)?.details?.error;
    if (details?.message) return { code: details.code, message: details.message, inner: details.innerError?.code };
    const request = (err as { request?: unknown } | null)?.request;
    return request && typeof request === 'object' ? this.failures.get(request) : undefined;
  }

  private sdk(): Promise<SecretClient> {
    this.client ??= import('@azure/keyvault-secrets').then(
      ({ SecretClient }) =>
        new SecretClient(this.o.vaultUrl, pinScope(this.o.credential, this.scope, this.o.vaultUrl, this.o.keyVaultDnsSuffix), {
          // Replaced by pinScope: see the header.
          disableChallengeResourceVerification: true,
          ...(this.o.retryOptions ? { retryOptions: this.o.retryOptions } : {}),
          additionalPolicies: [{ position: 'perCall', policy: recordFailures(this.failures) }],
        }),
    );
    return this.client;
  }

  /** A value and its version id; undefined when the secret (or that version) does not exist. */
  private async read(name: string, version?: string): Promise<{ value?: string; version?: string } | undefined> {
    const client = await this.sdk();
    try {
      const secret = await client.getSecret(name, version ? { version } : {});
      return { value: secret.value, version: secret.properties.version };
    } catch (err) {
      if (status(err) === 404) return undefined;
      throw this.explain(err, `read ${name}${version ? ` version ${version}` : ''}`);
    }
  }

  /** Every version of a secret, oldest first; empty when there is none. */
  private async listed(name: string): Promise<Listed[]> {
    // No name check: the vault may hold names other tools chose (list() passes them through).
    const client = await this.sdk();
    const out: Listed[] = [];
    try {
      for await (const props of client.listPropertiesOfSecretVersions(name)) {
        const order = props.tags?.[ORDER_TAG];
        out.push({ props, ...(order ? { order } : {}) });
      }
    } catch (err) {
      if (status(err) === 404) return [];
      throw this.explain(err, `list the versions of ${name}`);
    }
    return out.sort(byWriteOrder);
  }

  /** Recovers a soft-deleted secret and waits until it can be written again. */
  private async recover(name: string, value: string): Promise<void> {
    const client = await this.sdk();
    const interval = this.o.pollIntervalMs ?? 2000;
    try {
      // A deletion still in progress cannot be recovered yet: wait (404) until Key Vault lists it as deleted.
      await pRetry(() => client.getDeletedSecret(name), {
        retries: 30,
        factor: 1,
        minTimeout: interval,
        randomize: false,
        shouldRetry: (err) => status(err) === 404,
      });
      const poller = await client.beginRecoverDeletedSecret(name, { intervalInMs: interval });
      await poller.pollUntilDone();
    } catch (err) {
      throw this.explain(err, `recover the soft-deleted secret ${name}`, value);
    }
  }

  /** An SDK or credential error as a UserError naming the cause; `value` is scrubbed from anything quoted. */
  private explain(err: unknown, action: string, value?: string): UserError {
    if (err instanceof UserError) return err;
    const scrub = (text: string): string => (value && value.length >= 4 ? text.split(value).join('[redacted]') : text);
    const vault = this.location;
    const code = status(err);
    const e = err as { name?: string; message?: string; code?: string };
    const service = this.serviceError(err);
    const serviceMessage = scrub(firstLine(service?.message || e.message || String(err)).replace(/\s*For help resolving this issue.*$/, ''));

    if (e.name === 'ScopeRefused') return new PreconditionError(scrub(e.message ?? ''), SUFFIX_HINT);
    if (e.name === 'CredentialUnavailableError' || e.name === 'AuthenticationError' || e.name === 'AggregateAuthenticationError') {
      return new PreconditionError(
        `Cannot ${action} in ${vault}: no Azure token (${serviceMessage}).`,
        'Run az login, or set AZURE_TENANT_ID, AZURE_CLIENT_ID and AZURE_CLIENT_SECRET (or ARM_*) for a service principal.',
      );
    }
    if (code === 401) {
      return new PreconditionError(
        `Cannot ${action}: ${vault} refused the token (401: ${serviceMessage}).`,
        'Check that the identity belongs to the vault\'s tenant and that cloud.authorityHost and cloud.keyVaultDnsSuffix in mac.yaml match its cloud.',
      );
    }
    if (code === 403) {
      if (service?.inner === 'SecretDisabled') {
        return new UserError(`Cannot ${action}: the version is disabled in ${vault}.`, 'Enable it (az keyvault secret set-attributes --enabled true) or choose another version.');
      }
      const appid = /appid=([0-9a-f-]{36})/i.exec(service?.message ?? '')?.[1];
      const who = appid ? `the identity (appid ${appid})` : 'the identity';
      const rbac = service?.inner === 'ForbiddenByRbac';
      return new PreconditionError(
        rbac
          ? `Cannot ${action}: ${who} lacks the Key Vault Secrets Officer role on ${this.vaultName} (403).`
          : `Cannot ${action}: ${who} lacks Key Vault Secrets Officer on ${this.vaultName} — no access policy grants it the secret permissions mac needs (403: ${serviceMessage}).`,
        rbac
          ? `az role assignment create --role "Key Vault Secrets Officer" --assignee ${appid ?? '<client id>'} --scope $(az keyvault show --name ${this.vaultName} --query id -o tsv)`
          : `Run mac infra apply (it grants the deploying identity), or: az keyvault set-policy --name ${this.vaultName} --spn ${appid ?? '<client id>'} --secret-permissions get list set delete recover backup restore`,
      );
    }
    if (code === 409) return new UserError(`Cannot ${action} in ${vault}: ${serviceMessage}`, 'Wait a minute and try again.');
    if (code !== undefined && code > 0) return new UserError(`Cannot ${action} in ${vault}: Key Vault answered ${code} (${serviceMessage}).`);
    const net = e.code && /^(ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ECONNRESET|ETIMEDOUT|CERT_|UNABLE_TO_|DEPTH_ZERO|SELF_SIGNED)/.test(e.code);
    if (net || e.name === 'RestError') {
      return new UserError(
        `Cannot ${action}: ${vault} is unreachable (${serviceMessage}).`,
        'Check the vault URL (mac.yaml keyVaultUrl or .mac/<env>/terraform-outputs.json), DNS and the network (a private endpoint needs its VNet).',
      );
    }
    return new UserError(`Cannot ${action} in ${vault}: ${serviceMessage}`);
  }
}

type PipelinePolicy = NonNullable<SecretClientOptions['additionalPolicies']>[number]['policy'];

const SUFFIX_HINT = 'Set cloud.keyVaultDnsSuffix in mac.yaml to the Key Vault suffix of the vault\'s cloud (vault.azure.net for the public cloud).';

/**
 * The credential the SecretClient gets: tokens for `scope` only. A vault whose challenge names another resource gets
 * an error (typed `ScopeRefused`) instead of a token.
 */
export function pinScope(credential: TokenCredential, scope: string, vaultUrl: string, suffix: string): TokenCredential {
  return {
    getToken(scopes, options) {
      const asked = (Array.isArray(scopes) ? scopes : [scopes]).map((s) => s.replace(/\/+\.default$/, '/.default'));
      const other = asked.find((s) => s.toLowerCase() !== scope.toLowerCase());
      if (other !== undefined) {
        const err = new Error(
          `${vaultUrl} asked for a token for ${other}, but Key Vault tokens are for ${scope} (cloud.keyVaultDnsSuffix ${suffix}); mac sent none.`,
        );
        err.name = 'ScopeRefused';
        return Promise.reject(err);
      }
      return credential.getToken(scope, options);
    },
  };
}

function checkName(name: string): void {
  if (!SECRET_NAME_PATTERN.test(name)) {
    throw new UsageError(
      `Invalid secret name "${name}": expected 2-127 characters of lowercase letters, digits and dashes, starting with a letter.`,
      "Secret names follow Key Vault's rule so the same names work on both targets, e.g. zendesk-api-token.",
    );
  }
}

function withoutOrder(tags: Record<string, string>): Record<string, string> {
  const { [ORDER_TAG]: _drop, ...rest } = tags;
  return rest;
}

function createdMs(l: Listed): number {
  return l.props.createdOn?.getTime() ?? 0;
}

function orderMs(l: Listed): number {
  if (l.order && /^[0-9a-f]{32}$/.test(l.order)) return Number.parseInt(l.order.slice(0, 12), 16);
  return createdMs(l);
}

/** mac's order tag where there is one, else `created`; ties broken by the tag, then the id. */
function byWriteOrder(a: Listed, b: Listed): number {
  const d = orderMs(a) - orderMs(b);
  if (d !== 0) return d;
  const ta = a.order ?? '';
  const tb = b.order ?? '';
  if (ta !== tb) return ta < tb ? -1 : 1;
  const va = a.props.version ?? '';
  const vb = b.props.version ?? '';
  return va < vb ? -1 : va > vb ? 1 : 0;
}

function toVersion(name: string, l: Listed): SecretVersion {
  return {
    name,
    version: l.props.version ?? '',
    createdAt: l.props.createdOn ?? new Date(0),
    ...(l.props.contentType ? { contentType: l.props.contentType } : {}),
    tags: withoutOrder(l.props.tags ?? {}),
  };
}

function status(err: unknown): number | undefined {
  const s = (err as { statusCode?: unknown } | null)?.statusCode;
  return typeof s === 'number' ? s : undefined;
}

interface KvErrorDetails {
  error?: { code?: string; message?: string; innerError?: { code?: string } };
}

interface ServiceError {
  code?: string;
  message?: string;
  inner?: string;
}

/** A pipeline policy keeping the code and message of each failed response (Key Vault's errors never hold values). */
function recordFailures(into: WeakMap<object, ServiceError>): PipelinePolicy {
  return {
    name: 'macRecordKeyVaultErrors',
    async sendRequest(request, next) {
      const response = await next(request);
      if (response.status >= 400 && response.bodyAsText) {
        try {
          const body = JSON.parse(response.bodyAsText) as { error?: { code?: string; message?: string; innererror?: { code?: string } } };
          if (body.error) into.set(request, { code: body.error.code, message: body.error.message, inner: body.error.innererror?.code });
        } catch {
          // not Key Vault's JSON error: the status says enough
        }
      }
      return response;
    },
  };
}

function firstLine(text: string): string {
  return (text.split(/\r?\n/)[0] ?? '').trim();
}
