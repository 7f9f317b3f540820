// KeyVaultStore — the azure target's SecretStore — against the Key Vault part of the HTTPS Azure fake, through the real
// @azure/keyvault-secrets and @azure/identity clients; then `mac secrets set|list|audit` on an azure environment
// through the whole program. No network: a guard refuses every connection that is not to loopback.
import { randomBytes } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { ClientSecretCredential } from '@azure/identity';
import { SecretClient } from '@azure/keyvault-secrets';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { PreconditionError } from '../../src/errors.js';
import { KeyVaultStore, ORDER_TAG } from '../../src/secrets/key-vault.js';
import { runCli, tempDir } from '../helpers/cli.js';
import { blockNonLoopback, type NetworkGuard } from '../setup/no-network.js';
import { keyVault, keyVaultUrl, seedSecret, type FakeVault } from '../fakes/azure/keyvault.js';
import { startAzureFake, type AzureFake, type FakeRequest, type LoggedRequest } from '../fakes/azure/server.js';
import { isolateAzureEnv } from '../fakes/azure/process-env.js';

let fake: AzureFake;
let guard: NetworkGuard;
let vault: FakeVault;

beforeAll(async () => {
  guard = blockNonLoopback();
  fake = await startAzureFake();
});
afterAll(async () => {
  await fake?.close();
  guard?.restore();
});
beforeEach(() => {
  vault = keyVault(fake);
  vault.secrets.clear();
  vault.deleted.clear();
  vault.pending.clear();
  vault.resource = 'https://vault.azure.net';
  vault.authorization = 'access-policy';
  vault.access.set(fake.clientId, new Set(['get', 'list', 'set', 'delete', 'recover', 'purge']));
});
afterEach(() => {
  fake.reset();
  expect(guard.attempts, 'connections attempted outside loopback').toEqual([]);
});

function credential(): ClientSecretCredential {
  return new ClientSecretCredential(fake.tenantId, fake.clientId, fake.clientSecret, { authorityHost: fake.url, disableInstanceDiscovery: true });
}

function store(o: { suffix?: string } = {}): KeyVaultStore {
  return new KeyVaultStore({
    vaultUrl: keyVaultUrl(fake),
    credential: credential(),
    keyVaultDnsSuffix: o.suffix ?? 'vault.azure.net',
    pollIntervalMs: 10,
    retryOptions: { retryDelayInMs: 10, maxRetryDelayInMs: 100 },
  });
}

/** The SDK directly, for what the store does not do (delete). */
function sdk(): SecretClient {
  return new SecretClient(keyVaultUrl(fake), credential(), { disableChallengeResourceVerification: true });
}

const canary = (): string => `canary-${randomBytes(12).toString('hex')}`;

/** Log entries that mention `value` anywhere (path, query, headers or body). */
const mentioning = (value: string): LoggedRequest[] => fake.requests.filter((r) => JSON.stringify(r).includes(value));

describe('KeyVaultStore', () => {
  it('every set is a new version; versions come back oldest first, with their metadata and without the order tag', async () => {
    const s = store();
    const written = [];
    for (const value of ['one', 'two', 'three', 'four', 'five']) {
      written.push(await s.set('shopify-api-token', value, { contentType: 'text/plain', tags: { source: `env:${value}` } }));
    }
    expect(new Set(written.map((v) => v.version)).size).toBe(5);
    expect(written[0]?.version).toMatch(/^[0-9a-f]{32}$/);

    // All five share a second or two, and the vault lists versions by (random) id: the order comes from the tag.
    const versions = await s.versions('shopify-api-token');
    expect(versions.map((v) => v.version)).toEqual(written.map((v) => v.version));
    expect(versions.map((v) => v.tags)).toEqual(['one', 'two', 'three', 'four', 'five'].map((x) => ({ source: `env:${x}` })));
    expect(versions[0]).toMatchObject({ name: 'shopify-api-token', contentType: 'text/plain' });
    expect(versions[0]?.createdAt).toBeInstanceOf(Date);
    // On the wire the tag is there.
    const stored = vault.secrets.get('shopify-api-token')?.versions ?? [];
    expect(stored.every((v) => /^[0-9a-f]{32}$/.test(v.tags?.[ORDER_TAG] ?? ''))).toBe(true);
    expect(await s.versions('no-such-secret')).toEqual([]);
  });

  it('gets the current value or one version; undefined for what does not exist', async () => {
    const s = store();
    const v1 = await s.set('zendesk-api-token', 'first');
    const v2 = await s.set('zendesk-api-token', 'second');
    fake.reset();
    // The current value with its version id, in one request (what a container group's spec hash records).
    expect(await s.current('zendesk-api-token')).toEqual({ value: 'second', version: v2.version });
    expect(fake.requests.filter((r) => r.route?.startsWith('keyvault')).map((r) => r.route)).toEqual(['keyvault secret get']);
    expect(await s.current('no-such-secret')).toBeUndefined();
    expect(await s.get('zendesk-api-token')).toBe('second');
    expect(await s.get('zendesk-api-token', v1.version)).toBe('first');
    expect(await s.get('zendesk-api-token', 'f'.repeat(32))).toBeUndefined();
    expect(await s.get('no-such-secret')).toBeUndefined();
  });

  it('lists names and metadata sorted by name, reading no value over the wire', async () => {
    const s = store();
    const values = [canary(), canary(), canary()];
    await s.set('zendesk-api-token', values[0] as string, { tags: { source: 'prompt' } });
    await s.set('mailchimp-api-key', values[1] as string);
    const current = await s.set('zendesk-api-token', values[2] as string, { contentType: 'text/plain', tags: { source: 'env:Z' } });
    seedSecret(vault, 'azure-openai-api-key', 'written-by-terraform', { created: new Date('2025-01-01T00:00:00Z') });
    fake.reset();

    const list = await s.list();
    expect(list.map((x) => x.name)).toEqual(['azure-openai-api-key', 'mailchimp-api-key', 'zendesk-api-token']);
    // A version written by another tool (no order tag) keeps its own created date.
    expect(list[0]).toEqual({ name: 'azure-openai-api-key', tags: {}, updatedAt: new Date('2025-01-01T00:00:00Z') });
    // The current version's metadata; Key Vault's list items name no version and count none.
    const z = list.find((x) => x.name === 'zendesk-api-token');
    expect(z).toEqual({ name: 'zendesk-api-token', contentType: 'text/plain', tags: { source: 'env:Z' }, updatedAt: current.createdAt });
    const text = JSON.stringify(list);
    for (const v of values) expect(text).not.toContain(v);
    expect(new Set(fake.requests.map((r) => r.route))).toEqual(new Set(['keyvault secrets list']));
  });

  it('listing N secrets costs the listing\'s pages and nothing per secret', async () => {
    const s = store();
    await s.set('zendesk-api-token', 'first');
    await s.set('zendesk-api-token', 'second', { contentType: 'text/plain', tags: { source: 'env:Z' } });
    for (let i = 0; i < 39; i++) seedSecret(vault, `other-secret-${String(i).padStart(2, '0')}`, `v${i}`, { tags: { n: String(i) } });
    fake.reset();
    const list = await s.list();
    expect(list).toHaveLength(40);
    // 40 items, 25 a page: two pages, and no request about any one secret.
    const vaultRequests = fake.requests.filter((r) => r.route?.startsWith('keyvault'));
    expect(vaultRequests.map((r) => `${r.method} ${r.route} ${r.status}`)).toEqual(['GET keyvault secrets list 200', 'GET keyvault secrets list 200']);
    expect(list.find((x) => x.name === 'other-secret-07')?.tags).toEqual({ n: '7' });
    const stored = vault.secrets.get('zendesk-api-token')?.versions.at(-1);
    expect(list.find((x) => x.name === 'zendesk-api-token')).toEqual({
      name: 'zendesk-api-token',
      contentType: 'text/plain',
      tags: { source: 'env:Z' },
      updatedAt: new Date((stored?.attributes.created ?? 0) * 1000),
    });
  });

  it('rollback writes the previous value again as a NEW version, tagged with where it came from', async () => {
    const s = store();
    const v1 = await s.set('shopify-api-token', 'good', { contentType: 'text/plain' });
    const v2 = await s.set('shopify-api-token', 'bad');
    const v3 = await s.rollback('shopify-api-token');

    expect(v3.version).not.toBe(v1.version);
    expect(await s.get('shopify-api-token')).toBe('good');
    expect(v3.tags).toEqual({ 'restored-from': v1.version, replaced: v2.version });
    expect(v3.contentType).toBe('text/plain');
    expect((await s.versions('shopify-api-token')).map((v) => v.version)).toEqual([v1.version, v2.version, v3.version]);

    const v4 = await s.rollback('shopify-api-token', { to: v2.version, meta: { tags: { reason: 'drill' } } });
    expect(await s.get('shopify-api-token')).toBe('bad');
    expect(v4.tags).toEqual({ reason: 'drill', 'restored-from': v2.version, replaced: v3.version });

    await s.set('single-one', 'x');
    await expect(s.rollback('single-one')).rejects.toThrow(/single version/);
    await expect(s.rollback('no-such-secret')).rejects.toThrow(/No secret named no-such-secret/);
  });

  it('set on a soft-deleted name recovers it (with its versions), then writes the new version', async () => {
    const s = store();
    const v1 = await s.set('cosmos-connection-string', 'before-delete');
    await (await sdk().beginDeleteSecret('cosmos-connection-string', { intervalInMs: 10 })).pollUntilDone();
    fake.reset();

    const v2 = await s.set('cosmos-connection-string', 'after-recovery');
    expect(await s.get('cosmos-connection-string')).toBe('after-recovery');
    expect((await s.versions('cosmos-connection-string')).map((v) => v.version)).toEqual([v1.version, v2.version]);
    expect(vault.deleted.size).toBe(0);
    const steps = fake.requests.filter((r) => r.status !== 401 && r.route?.startsWith('keyvault')).map((r) => `${r.method} ${r.path} ${r.status}`);
    expect(steps.slice(0, 3)).toEqual([
      'PUT /secrets/cosmos-connection-string 409',
      'GET /deletedsecrets/cosmos-connection-string 200',
      'GET /secrets/cosmos-connection-string/ 404', // the recover poller's first look
    ]);
    expect(steps).toContain('POST /deletedsecrets/cosmos-connection-string/recover 200');
    expect(steps.filter((x) => x.startsWith('PUT')).at(-1)).toBe('PUT /secrets/cosmos-connection-string 200');
  });

  it('set while a deletion is still in progress waits for it, recovers and writes', async () => {
    const s = store();
    await s.set('mailchimp-api-key', 'one');
    vault.transitionReads = 3;
    try {
      await sdk().beginDeleteSecret('mailchimp-api-key', { intervalInMs: 10 }); // not waited for
      await s.set('mailchimp-api-key', 'two');
      expect(await s.get('mailchimp-api-key')).toBe('two');
      expect(fake.requests.some((r) => r.status === 409 && r.path === '/secrets/mailchimp-api-key')).toBe(true);
    } finally {
      vault.transitionReads = 1;
    }
  });

  it('still succeeds when 20 % of requests are answered 429 (Retry-After 0 or 1) or 503: the SDK retries', async () => {
    const s = store();
    await s.set('zendesk-api-token', 'warm-up'); // the challenge, outside the faults
    // Every 5th Key Vault request is answered by one of these, in turn (decided once per request).
    const kinds = [
      { status: 429, headers: { 'Retry-After': '0' } },
      { status: 503 },
      { status: 429, headers: { 'Retry-After': '1' } },
      { status: 503, headers: { 'Retry-After': '0' } },
    ];
    const decided = new WeakMap<FakeRequest, number>();
    let n = 0;
    let fired = 0;
    const pick = (req: FakeRequest): number => {
      if (!decided.has(req)) decided.set(req, /^\/(deleted)?secrets/.test(req.path) && ++n % 5 === 0 ? fired++ % kinds.length : -1);
      return decided.get(req) as number;
    };
    kinds.forEach((kind, i) => fake.faults.push({ match: (req) => pick(req) === i, ...kind, times: Infinity }));

    const v1 = await s.set('zendesk-api-token', 'a');
    await s.set('zendesk-api-token', 'b');
    for (const name of ['mailchimp-api-key', 'sendgrid-api-key', 'twilio-auth-token']) {
      for (const value of ['m1', 'm2', 'm3']) await s.set(name, `${name}:${value}`);
      expect(await s.get(name)).toBe(`${name}:m3`);
    }
    expect(await s.get('zendesk-api-token')).toBe('b');
    expect(await s.get('zendesk-api-token', v1.version)).toBe('a');
    const names = (await s.list()).map((x) => x.name);
    expect(await Promise.all(names.map(async (name) => [name, (await s.versions(name)).length]))).toEqual([
      ['mailchimp-api-key', 3],
      ['sendgrid-api-key', 3],
      ['twilio-auth-token', 3],
      ['zendesk-api-token', 3],
    ]);
    await s.rollback('zendesk-api-token');
    expect(await s.get('zendesk-api-token')).toBe('a');

    const faults = fake.requests.filter((r) => r.fault);
    expect(fired).toBeGreaterThanOrEqual(4);
    expect(faults.length).toBe(fired);
    expect(new Set(faults.map((r) => `${r.status}`))).toEqual(new Set(['429', '503']));
    const kvRequests = fake.requests.filter((r) => /^\/(deleted)?secrets/.test(r.path)).length;
    expect(faults.length / kvRequests).toBeGreaterThan(0.15);
  });

  describe('check() and errors', () => {
    it('is ok with a permitted identity, without reading any value', async () => {
      expect(await store().check()).toEqual({ ok: true });
      expect(fake.requests.filter((r) => r.route?.startsWith('keyvault')).every((r) => r.route === 'keyvault secrets list')).toBe(true);
    });

    it('names the missing Key Vault Secrets Officer grant on a 403 (access policy and RBAC vaults)', async () => {
      vault.access.set(fake.clientId, new Set());
      const check = await store().check();
      expect(check.ok).toBe(false);
      expect(check.problem).toContain(`the identity (appid ${fake.clientId}) lacks Key Vault Secrets Officer on 127.0.0.1`);
      expect(check.suggestion).toMatch(/az keyvault set-policy --name 127\.0\.0\.1 --spn .* --secret-permissions get list set/);

      vault.authorization = 'rbac';
      const rbac = await store().check();
      expect(rbac.problem).toContain('lacks the Key Vault Secrets Officer role on 127.0.0.1');
      expect(rbac.suggestion).toContain('az role assignment create --role "Key Vault Secrets Officer"');

      const value = canary();
      const err = await store().set('zendesk-api-token', value).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(PreconditionError);
      expect(JSON.stringify({ m: (err as Error).message, s: (err as PreconditionError).suggestion, k: Object.keys(err as object) })).not.toContain(value);
    });

    it('reports a 401 the vault keeps answering after the challenge', async () => {
      fake.route('GET', /^\/secrets\/?$/, () => ({
        status: 401,
        headers: { 'WWW-Authenticate': `Bearer authorization="${fake.url}/${fake.tenantId}", resource="https://vault.azure.net"` },
        body: { error: { code: 'Unauthorized', message: 'AKV10032: Invalid issuer.' } },
      }));
      const check = await store().check();
      expect(check).toMatchObject({ ok: false, problem: expect.stringContaining('refused the token (401: AKV10032: Invalid issuer.)') as unknown });
    });

    it('sends no token to a vault whose challenge names another resource than cloud.keyVaultDnsSuffix', async () => {
      vault.resource = fake.url; // a "vault" asking for an ARM token
      const check = await store().check();
      expect(check.ok).toBe(false);
      expect(check.problem).toContain(`asked for a token for ${fake.url}/.default, but Key Vault tokens are for https://vault.azure.net/.default`);
      expect(fake.requests.filter((r) => r.route === 'entra token')).toEqual([]);

      vault.resource = 'https://vault.azure.cn';
      expect(await store({ suffix: 'vault.azure.cn' }).check()).toEqual({ ok: true });
    });

    it('never puts the value in an error, even when the service quotes the request', async () => {
      const value = canary();
      fake.route('PUT', /^\/secrets\//, (req) =>
        req.body ? { status: 400, body: { error: { code: 'BadParameter', message: `Invalid request body: ${req.body}` } } } : { status: 401, headers: { 'WWW-Authenticate': `Bearer authorization="${fake.url}/${fake.tenantId}", resource="https://vault.azure.net"` } },
      );
      const err = (await store().set('zendesk-api-token', value).catch((e: unknown) => e)) as Error & { suggestion?: string };
      expect(err.message).toContain('Key Vault answered 400');
      expect(err.message).toContain('[redacted]');
      expect(`${err.message} ${err.suggestion ?? ''} ${err.stack ?? ''}`).not.toContain(value);
      expect((err as { cause?: unknown }).cause).toBeUndefined();
    });

    it('refuses a value over 25 KB and a bad name before any request', async () => {
      await expect(store().set('zendesk-api-token', 'x'.repeat(25 * 1024 + 1))).rejects.toThrow(/at most 25600/);
      await expect(store().set('Bad_Name', 'x')).rejects.toThrow(/Invalid secret name/);
      expect(fake.requests).toEqual([]);
    });
  });
});

describe('mac secrets on an azure environment (Key Vault)', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  let restoreEnv: (() => void) | undefined;
  let credentials: Record<string, string>;

  beforeEach(async () => {
    ({ dir, cleanup } = await tempDir('mac-kv-'));
    restoreEnv = isolateAzureEnv();
    // DefaultAzureCredential reads process.env; EnvironmentCredential only, so nothing probes IMDS.
    credentials = {
      AZURE_TENANT_ID: fake.tenantId,
      AZURE_CLIENT_ID: fake.clientId,
      AZURE_CLIENT_SECRET: fake.clientSecret,
      AZURE_TOKEN_CREDENTIALS: 'EnvironmentCredential',
    };
    Object.assign(process.env, credentials);
  });
  afterEach(async () => {
    restoreEnv?.();
    await cleanup();
  });

  async function macYaml(o: { keyVaultUrl?: string } = {}): Promise<void> {
    const lines = [
      'version: 1',
      'defaultEnvironment: prod',
      'environments:',
      '  prod:',
      '    target: azure',
      `    subscription: ${fake.subscriptionId}`,
      ...(o.keyVaultUrl ? [`    keyVaultUrl: ${o.keyVaultUrl}`] : []),
      '    cloud:',
      `      armEndpoint: ${fake.url}`,
      `      authorityHost: ${fake.url}`,
    ];
    await writeFile(path.join(dir, 'mac.yaml'), `${lines.join('\n')}\n`);
  }

  const mac = (args: string[], env: NodeJS.ProcessEnv = {}) => runCli(args, { cwd: dir, env: { NO_COLOR: '1', ...credentials, ...env } });

  it('set, list and audit go to the vault named by keyVaultUrl; the value is only ever in the PUT body', async () => {
    await macYaml({ keyVaultUrl: keyVaultUrl(fake) });
    const token = `shpat_${randomBytes(16).toString('hex')}`;

    const set = await mac(['-e', 'prod', 'secrets', 'set', 'shopify-api-token', '--from-env', 'SHOP_TOKEN', '--json'], { SHOP_TOKEN: token });
    expect(set.code, set.stderr).toBe(0);
    const setDoc = JSON.parse(set.stdout) as { name: string; version: string };
    expect(setDoc).toMatchObject({ name: 'shopify-api-token', version: expect.stringMatching(/^[0-9a-f]{32}$/) as unknown });
    const stored = vault.secrets.get('shopify-api-token')?.versions[0];
    expect(stored?.value).toBe(token);
    expect(stored?.version).toBe(setDoc.version);
    expect(stored?.tags).toMatchObject({ source: 'env:SHOP_TOKEN' });

    const list = await mac(['-e', 'prod', 'secrets', 'list', '--json']);
    expect(list.code, list.stderr).toBe(0);
    const doc = JSON.parse(list.stdout) as {
      target: string;
      store: { kind: string; location: string; ok: boolean };
      secrets: { name: string; present: boolean; currentVersion?: string; versionCount?: number }[];
    };
    expect(doc.target).toBe('azure');
    expect(doc.store).toEqual({ kind: 'azure-key-vault', location: keyVaultUrl(fake), ok: true });
    const listed = doc.secrets.find((s) => s.name === 'shopify-api-token');
    expect(listed).toMatchObject({ present: true, ageSeconds: expect.any(Number) as unknown });
    // Key Vault's listing names no version: --versions reads them.
    expect(listed).not.toHaveProperty('versionCount');
    const withVersions = await mac(['-e', 'prod', 'secrets', 'list', '--versions', '--json']);
    expect(withVersions.code, withVersions.stderr).toBe(0);
    const versionsDoc = JSON.parse(withVersions.stdout) as typeof doc;
    expect(versionsDoc.secrets.find((s) => s.name === 'shopify-api-token')).toMatchObject({ present: true, currentVersion: setDoc.version, versionCount: 1 });

    const audit = await mac(['-e', 'prod', 'secrets', 'audit', '--json']);
    expect(audit.code, audit.stderr).toBe(0);
    expect(JSON.parse(audit.stdout)).toMatchObject({ target: 'azure', problems: [] });

    // Canary: the value is in the PUT body that wrote it and nowhere else — no other request, no output.
    const carriers = mentioning(token);
    expect(carriers.map((r) => `${r.method} ${r.route} ${r.status}`)).toEqual(['PUT keyvault secret set 200']);
    expect(JSON.stringify({ ...carriers[0], body: undefined })).not.toContain(token);
    for (const run of [set, list, withVersions, audit]) expect(run.stdout + run.stderr).not.toContain(token);
    expect(fake.requests.filter((r) => r.route === 'entra token').every((r) => !JSON.stringify(r).includes(fake.clientSecret))).toBe(true);
    expect(fake.unmatched()).toEqual([]);
  });

  it('without keyVaultUrl uses the key_vault_uri Terraform output saved under .mac/<env>/', async () => {
    await macYaml();
    await mkdir(path.join(dir, '.mac', 'prod'), { recursive: true });
    await writeFile(
      path.join(dir, '.mac', 'prod', 'terraform-outputs.json'),
      JSON.stringify({ key_vault_uri: keyVaultUrl(fake), key_vault_name: 'kv-mac-test' }),
    );
    const set = await mac(['-e', 'prod', 'secrets', 'set', 'zendesk-api-token', '--from-env', 'Z'], { Z: 'a'.repeat(40) });
    expect(set.code, set.stderr).toBe(0);
    expect(set.stdout).toMatch(/^set zendesk-api-token version [0-9a-f]{32}\n$/);
    expect(vault.secrets.has('zendesk-api-token')).toBe(true);
  });

  it('without keyVaultUrl or Terraform outputs exits 4 naming both ways to fix it', async () => {
    await macYaml();
    const run = await mac(['-e', 'prod', 'secrets', 'list']);
    expect(run.code).toBe(4);
    expect(run.stderr).toContain('prod (azure) keeps its secrets in Azure Key Vault, but mac does not know which vault');
    expect(run.stderr).toContain('mac infra apply -e prod');
    expect(run.stderr).toContain('keyVaultUrl');
    expect(fake.requests).toEqual([]);
  });

  it('a 403 is a precondition (exit 4) naming the missing grant; list still reports the store problem', async () => {
    await macYaml({ keyVaultUrl: keyVaultUrl(fake) });
    vault.access.set(fake.clientId, new Set(['get']));
    const set = await mac(['-e', 'prod', 'secrets', 'set', 'zendesk-api-token', '--from-env', 'Z'], { Z: 'b'.repeat(40) });
    expect(set.code).toBe(4);
    expect(set.stderr).toContain(`lacks Key Vault Secrets Officer on 127.0.0.1`);
    expect(set.stdout + set.stderr).not.toContain('b'.repeat(40));
  });
});
