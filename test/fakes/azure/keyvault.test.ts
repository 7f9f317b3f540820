// The Key Vault part of the Azure fake, driven by the real @azure/keyvault-secrets client (and raw HTTPS where the
// SDK would hide what is on the wire): the challenge flow, versions and paging, soft delete and recovery,
// permissions, api-version, and fault injection on Key Vault routes.
import https from 'node:https';
import { ClientSecretCredential } from '@azure/identity';
import { SecretClient } from '@azure/keyvault-secrets';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { blockNonLoopback, type NetworkGuard } from '../../setup/no-network.js';
import { addKeyVault, keyVault, keyVaultUrl, seedSecret, type FakeVault } from './keyvault.js';
import { on, startAzureFake, type AzureFake } from './server.js';

interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

function request(url: string, method: string, opts: { headers?: Record<string, string>; body?: string } = {}): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = https.request(url, { method, headers: opts.headers }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end(opts.body);
  });
}

async function rawToken(fake: AzureFake, scope: string): Promise<string> {
  const res = await request(`${fake.url}/${fake.tenantId}/oauth2/v2.0/token`, 'POST', {
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ client_id: fake.clientId, client_secret: fake.clientSecret, scope, grant_type: 'client_credentials' }).toString(),
  });
  return (JSON.parse(res.body) as { access_token: string }).access_token;
}

const API = 'api-version=2025-07-01';
const FAST = { intervalInMs: 10 };

let fake: AzureFake;
let guard: NetworkGuard;
let vault: FakeVault;

function client(o: { verify?: boolean; url?: string } = {}): SecretClient {
  const credential = new ClientSecretCredential(fake.tenantId, fake.clientId, fake.clientSecret, {
    authorityHost: fake.url,
    disableInstanceDiscovery: true,
  });
  return new SecretClient(o.url ?? keyVaultUrl(fake), credential, {
    disableChallengeResourceVerification: !o.verify,
    retryOptions: { retryDelayInMs: 10, maxRetryDelayInMs: 50 },
  });
}

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
});
afterEach(() => {
  fake.reset();
  expect(guard.attempts).toEqual([]);
});

describe('Key Vault challenge flow', () => {
  it('answers the body-less first request with a Bearer challenge, then accepts the token it names', async () => {
    const secret = await client().setSecret('zendesk-api-token', 'first-value', { contentType: 'text/plain', tags: { source: 'test' } });

    expect(secret.properties.version).toMatch(/^[0-9a-f]{32}$/);
    expect(secret.properties.vaultUrl).toBe(fake.url);
    expect(secret.properties.createdOn).toBeInstanceOf(Date);
    expect(secret.properties.recoveryLevel).toBe('Recoverable+Purgeable');
    expect(secret.properties.tags).toEqual({ source: 'test' });

    const [challenged, , token, put] = fake.requests;
    expect(challenged).toMatchObject({ method: 'PUT', path: '/secrets/zendesk-api-token', status: 401, token: { status: 'missing' } });
    expect(challenged?.body).toBeUndefined(); // the SDK holds the body back until it has a token
    expect(new URLSearchParams(token?.body).get('scope')).toBe('https://vault.azure.net/.default');
    expect(put).toMatchObject({
      method: 'PUT',
      status: 200,
      headers: { authorization: 'Bearer [redacted]' },
      token: { status: 'valid', clientId: fake.clientId, audience: 'https://vault.azure.net' },
    });
    expect(put?.query['api-version']).toBe('2025-07-01');
    expect(JSON.parse(put?.body ?? '{}')).toMatchObject({ value: 'first-value', contentType: 'text/plain' });
    expect(fake.unmatched()).toEqual([]);
  });

  it('sends the challenge header the SDK parses: authority with the tenant, and the resource', async () => {
    const res = await request(`${keyVaultUrl(fake)}secrets?${API}`, 'GET');
    expect(res.status).toBe(401);
    expect(res.headers['www-authenticate']).toBe(`Bearer authorization="${fake.url}/${fake.tenantId}", resource="https://vault.azure.net"`);
    expect(JSON.parse(res.body)).toEqual({ error: { code: 'Unauthorized', message: 'AKV10000: Request is missing a Bearer or PoP token.' } });
  });

  it('refuses a token for another audience (an ARM token) with 401 naming the expected one', async () => {
    const arm = await rawToken(fake, `${fake.url}/.default`);
    const res = await request(`${keyVaultUrl(fake)}secrets?${API}`, 'GET', { headers: { authorization: `Bearer ${arm}` } });
    expect(res.status).toBe(401);
    expect(res.body).toContain(`Invalid audience. Expected https://vault.azure.net, found: ${fake.url}`);
    expect(fake.requests.at(-1)?.token).toMatchObject({ status: 'wrong-audience' });
  });

  it('requires an api-version', async () => {
    const kv = await rawToken(fake, 'https://vault.azure.net/.default');
    const res = await request(`${keyVaultUrl(fake)}secrets`, 'GET', { headers: { authorization: `Bearer ${kv}` } });
    expect(res.status).toBe(400);
    expect(JSON.parse(res.body)).toMatchObject({ error: { code: 'BadParameter' } });
  });

  it('is refused by the SDK unless challenge resource verification is off (127.0.0.1 is not *.vault.azure.net)', async () => {
    await expect(client({ verify: true }).setSecret('zendesk-api-token', 'v')).rejects.toThrow(/does not match the requested domain/);
    expect(fake.requests.filter((r) => r.route === 'entra token')).toEqual([]);
  });

  it('names the configured resource in the challenge (a sovereign cloud vault)', async () => {
    const port = new URL(fake.url).port;
    addKeyVault(fake, { host: `localhost:${port}`, name: 'kv-china', resource: 'https://vault.azure.cn' });
    await client({ url: `https://localhost:${port}/` }).setSecret('zendesk-api-token', 'v');
    const token = fake.requests.find((r) => r.route === 'entra token');
    expect(new URLSearchParams(token?.body).get('scope')).toBe('https://vault.azure.cn/.default');
    expect(keyVault(fake, `localhost:${port}`).secrets.size).toBe(1);
    expect(vault.secrets.size).toBe(0); // vaults are told apart by host
  });
});

describe('Key Vault secrets', () => {
  it('keeps every set as a new version; gets the current one or any by id', async () => {
    const kv = client();
    const v1 = await kv.setSecret('shopify-api-token', 'one');
    const v2 = await kv.setSecret('shopify-api-token', 'two');
    expect(v1.properties.version).not.toBe(v2.properties.version);
    expect((await kv.getSecret('shopify-api-token')).value).toBe('two');
    expect((await kv.getSecret('shopify-api-token', { version: v1.properties.version })).value).toBe('one');
    await expect(kv.getSecret('shopify-api-token', { version: '0'.repeat(32) })).rejects.toMatchObject({ statusCode: 404, code: 'SecretNotFound' });
    await expect(kv.getSecret('no-such-secret')).rejects.toMatchObject({ statusCode: 404, code: 'SecretNotFound' });
  });

  it('pages versions and secrets with maxresults and a nextLink the SDK follows; lists never carry values', async () => {
    const kv = client();
    for (const v of ['a1', 'a2', 'a3', 'a4', 'a5']) await kv.setSecret('mailchimp-api-key', v);
    for (const n of ['s-one', 's-two', 's-three']) await kv.setSecret(n, 'x');
    fake.reset();

    const pages: string[][] = [];
    for await (const p of kv.listPropertiesOfSecretVersions('mailchimp-api-key').byPage({ maxPageSize: 2 })) {
      pages.push(p.map((x) => x.version ?? ''));
    }
    expect(pages.map((p) => p.length)).toEqual([2, 2, 1]);
    expect(new Set(pages.flat()).size).toBe(5);
    const gets = fake.requests.filter((r) => r.route === 'keyvault secret versions' && r.status === 200);
    expect(gets).toHaveLength(3);
    expect(gets[1]?.query).toMatchObject({ 'api-version': '2025-07-01', maxresults: '2' });
    expect(gets[1]?.query.$skiptoken).toBeTruthy();

    const names: string[] = [];
    for await (const p of kv.listPropertiesOfSecrets().byPage({ maxPageSize: 1 })) names.push(...p.map((x) => x.name));
    expect(names).toEqual(['mailchimp-api-key', 's-one', 's-three', 's-two']);

    const token = await rawToken(fake, 'https://vault.azure.net/.default');
    const raw = await request(`${keyVaultUrl(fake)}secrets/mailchimp-api-key/versions?${API}`, 'GET', { headers: { authorization: `Bearer ${token}` } });
    const body = JSON.parse(raw.body) as { value: Record<string, unknown>[]; nextLink: string | null };
    expect(body.nextLink).toBeNull();
    expect(body.value.every((item) => !('value' in item))).toBe(true);
    await expect(
      request(`${keyVaultUrl(fake)}secrets?${API}&maxresults=26`, 'GET', { headers: { authorization: `Bearer ${token}` } }),
    ).resolves.toMatchObject({ status: 400 });
  });

  it('soft-deletes: the name is refused (409 ObjectIsDeletedButRecoverable) until recovered with all its versions', async () => {
    const kv = client();
    await kv.setSecret('cosmos-connection-string', 'c1');
    await kv.setSecret('cosmos-connection-string', 'c2');

    const deleting = await kv.beginDeleteSecret('cosmos-connection-string', FAST);
    const deleted = await deleting.pollUntilDone();
    expect(deleted.recoveryId).toBe(`${keyVaultUrl(fake)}deletedsecrets/cosmos-connection-string`);
    expect(deleted.scheduledPurgeDate?.getTime()).toBeGreaterThan(Date.now() + 89 * 86_400_000);
    // The deletion is visible only after a short delay, which the SDK's poller waits out.
    const polls = fake.requests.filter((r) => r.route === 'keyvault deleted secret get').map((r) => r.status);
    expect(polls).toEqual([404, 200]);

    await expect(kv.getSecret('cosmos-connection-string')).rejects.toMatchObject({ statusCode: 404 });
    const refused = await kv.setSecret('cosmos-connection-string', 'c3').catch((e: unknown) => e);
    expect(refused).toMatchObject({ statusCode: 409, code: 'Conflict', details: { error: { innerError: { code: 'ObjectIsDeletedButRecoverable' } } } });
    expect((await kv.getDeletedSecret('cosmos-connection-string')).name).toBe('cosmos-connection-string');

    const recovering = await kv.beginRecoverDeletedSecret('cosmos-connection-string', FAST);
    await recovering.pollUntilDone();
    expect((await kv.getSecret('cosmos-connection-string')).value).toBe('c2');
    const versions: string[] = [];
    for await (const v of kv.listPropertiesOfSecretVersions('cosmos-connection-string')) versions.push(v.version ?? '');
    expect(versions).toHaveLength(2);
    await expect(kv.getDeletedSecret('cosmos-connection-string')).rejects.toMatchObject({ statusCode: 404 });
  });

  it('updates tags and attributes of one version (PATCH); a disabled version cannot be read', async () => {
    const kv = client();
    const v1 = await kv.setSecret('sendgrid-api-key', 'one', { tags: { a: '1' } });
    const updated = await kv.updateSecretProperties('sendgrid-api-key', v1.properties.version ?? '', { tags: { b: '2' }, enabled: false });
    expect(updated.tags).toEqual({ b: '2' });
    expect(updated.enabled).toBe(false);
    await expect(kv.getSecret('sendgrid-api-key')).rejects.toMatchObject({ statusCode: 403, details: { error: { innerError: { code: 'SecretDisabled' } } } });
  });

  it('denies what the caller has no permission for: 403 shaped like an access policy or like RBAC', async () => {
    seedSecret(vault, 'zendesk-api-token', 'seeded');
    vault.access.set(fake.clientId, new Set(['list']));
    const kv = client();
    const names: string[] = [];
    for await (const s of kv.listPropertiesOfSecrets()) names.push(s.name);
    expect(names).toEqual(['zendesk-api-token']);
    await expect(kv.getSecret('zendesk-api-token')).rejects.toMatchObject({
      statusCode: 403,
      message: expect.stringContaining(`'appid=${fake.clientId};`) as unknown,
      details: { error: { code: 'Forbidden', innerError: { code: 'AccessDenied' } } },
    });
    vault.authorization = 'rbac';
    await expect(kv.setSecret('zendesk-api-token', 'x')).rejects.toMatchObject({
      statusCode: 403,
      message: expect.stringContaining("Microsoft.KeyVault/vaults/secrets/setSecret/action") as unknown,
      details: { error: { innerError: { code: 'ForbiddenByRbac' } } },
    });
    vault.access.set(fake.clientId, new Set(['get', 'list', 'set', 'delete', 'recover', 'purge']));
    vault.authorization = 'access-policy';
  });
});

describe('fault injection on Key Vault routes', () => {
  it('answers injected 429/503 before routing; the SDK retries them', async () => {
    const kv = client();
    await kv.setSecret('zendesk-api-token', 'v1'); // challenge done
    fake.reset();
    fake.faults.push(
      { match: on('PUT', /^\/secrets\//), status: 429, headers: { 'Retry-After': '0' } },
      { match: on('GET', /^\/secrets\//), status: 503, times: 2 },
    );
    await kv.setSecret('zendesk-api-token', 'v2');
    expect((await kv.getSecret('zendesk-api-token')).value).toBe('v2');
    expect(fake.requests.map((r) => [r.method, r.status, r.fault ?? false])).toEqual([
      ['PUT', 429, true],
      ['PUT', 200, false],
      ['GET', 503, true],
      ['GET', 503, true],
      ['GET', 200, false],
    ]);
    expect(fake.faults).toEqual([]);
  });
});
