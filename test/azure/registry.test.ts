// src/azure/registry.ts against the ACR part of the HTTPS Azure fake, with the real credential of
// src/azure/credential.ts (EnvironmentCredential only: a service principal from AZURE_* variables, never IMDS).
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createCredential } from '../../src/azure/credential.js';
import { ACR_AAD_SCOPE, imageExists, missingImages, parseBearerChallenge, parseImageRef } from '../../src/azure/registry.js';
import { PreconditionError, UserError } from '../../src/errors.js';
import { registryHost, registryState } from '../fakes/azure/acr.js';
import { on, startAzureFake, type AzureFake } from '../fakes/azure/server.js';
import { blockNonLoopback, type NetworkGuard } from '../setup/no-network.js';
import { isolateAzureEnv } from '../fakes/azure/process-env.js';
import { fakeCredentialEnv } from '../fakes/azure/sign-in.js';

const TAG = '0.1.0-abc1234';
let fake: AzureFake;
let guard: NetworkGuard;
let host: string;
let restoreEnv: (() => void) | undefined;

beforeAll(async () => {
  guard = blockNonLoopback();
  fake = await startAzureFake();
  host = registryHost(fake);
  const images = registryState(fake).images;
  images.add(`mac/intent-classifier:${TAG}`);
  images.add(`mac/knowledge-retrieval:${TAG}`);
  images.add('mac/intent-classifier:0.0.9-0000000');
});
afterAll(async () => {
  await fake?.close();
  guard?.restore();
});

beforeEach(() => {
  restoreEnv = isolateAzureEnv();
  Object.assign(process.env, fakeCredentialEnv(fake));
});
afterEach(() => {
  restoreEnv?.();
  registryState(fake).denyPull.clear();
  fake.reset();
  expect(guard.attempts, 'connections attempted outside loopback').toEqual([]);
});

function credential() {
  return createCredential({ armEndpoint: fake.url, authorityHost: fake.url, keyVaultDnsSuffix: 'vault.azure.net' });
}

const calls = () => fake.requests.filter((r) => !/\/v2\.0\//.test(r.path)).map((r) => `${r.method} ${r.path} ${r.status}`);

describe('imageExists against the registry', () => {
  it('an image the registry has → true, through the challenge, the ACR token exchange and an authorised HEAD', async () => {
    expect(await imageExists(host, 'mac/intent-classifier', TAG, credential())).toBe(true);
    expect(calls()).toEqual([
      `HEAD /v2/mac/intent-classifier/manifests/${TAG} 401`,
      'POST /oauth2/exchange 200',
      'POST /oauth2/token 200',
      `HEAD /v2/mac/intent-classifier/manifests/${TAG} 200`,
    ]);
    // The Entra token was asked for the registry audience, and exchanged as the distribution spec's form.
    const entra = fake.requests.find((r) => r.path.endsWith('/oauth2/v2.0/token'));
    expect(new URLSearchParams(entra?.body).get('scope')).toBe(ACR_AAD_SCOPE);
    const exchange = new URLSearchParams(fake.requests.find((r) => r.path === '/oauth2/exchange')?.body);
    expect(exchange.get('grant_type')).toBe('access_token');
    expect(exchange.get('service')).toBe(host);
    const token = new URLSearchParams(fake.requests.find((r) => r.path === '/oauth2/token')?.body);
    expect(token.get('grant_type')).toBe('refresh_token');
    expect(token.get('scope')).toBe('repository:mac/intent-classifier:pull');
    const head = fake.requests.at(-1)!;
    expect(head.headers.accept).toContain('application/vnd.oci.image.manifest.v1+json');
    expect(head.headers.accept).toContain('application/vnd.docker.distribution.manifest.v2+json');
    expect(head.token).toMatchObject({ status: 'valid', clientId: fake.clientId });
  });

  it('a tag the repository lacks, or a repository the registry lacks → false', async () => {
    const cred = credential();
    expect(await imageExists(host, 'mac/intent-classifier', '9.9.9-fffffff', cred)).toBe(false);
    expect(await imageExists(host, 'mac/escalation-handler', TAG, cred)).toBe(false);
    expect(fake.requests.filter((r) => r.method === 'HEAD').map((r) => r.status)).toEqual([401, 404, 401, 404]);
  });

  it('an *.azurecr.io registry reached through a base-URL override exchanges up front, with its own service name', async () => {
    registryState(fake).services.add('myacr.azurecr.io');
    const found = await imageExists('myacr.azurecr.io', 'mac/intent-classifier', TAG, credential(), { baseUrl: fake.url, tenantId: fake.tenantId });
    expect(found).toBe(true);
    expect(calls()).toEqual(['POST /oauth2/exchange 200', 'POST /oauth2/token 200', `HEAD /v2/mac/intent-classifier/manifests/${TAG} 200`]);
    const exchange = new URLSearchParams(fake.requests.find((r) => r.path === '/oauth2/exchange')?.body);
    expect(exchange.get('service')).toBe('myacr.azurecr.io');
    expect(exchange.get('tenant')).toBe(fake.tenantId);
  });

  it('a throttled registry is retried after Retry-After', async () => {
    fake.faults.push({ match: on('HEAD', /\/manifests\//), status: 429, headers: { 'Retry-After': '0' } });
    expect(await imageExists(host, 'mac/knowledge-retrieval', TAG, credential())).toBe(true);
    expect(fake.requests.filter((r) => r.method === 'HEAD').map((r) => r.status)).toEqual([429, 401, 200]);
  });

  it('a registry that keeps failing is tried four times, and the operator is told its last answer', async () => {
    fake.faults.push(
      { match: on('HEAD', /\/manifests\//), status: 503, headers: { 'Retry-After': '0' }, times: 3 },
      { match: on('HEAD', /\/manifests\//), status: 429, headers: { 'Retry-After': '0' } },
    );
    const err = await imageExists(host, 'mac/knowledge-retrieval', TAG, credential()).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UserError);
    expect((err as Error).message).toBe(`Unexpected answer from ${host} for ${host}/mac/knowledge-retrieval:${TAG}: HTTP 429.`);
    expect(fake.requests.filter((r) => r.method === 'HEAD').map((r) => r.status)).toEqual([503, 503, 503, 429]);
  });

  it('an answer that is not 429 or 5xx is not asked again', async () => {
    fake.faults.push({ match: on('HEAD', /\/manifests\//), status: 400 });
    const err = await imageExists(host, 'mac/knowledge-retrieval', TAG, credential()).catch((e: unknown) => e);
    expect((err as Error).message).toMatch(/HTTP 400\.$/);
    expect(fake.requests.filter((r) => r.method === 'HEAD').map((r) => r.status)).toEqual([400]);
  });

  it('a registry that never answers is tried four times (250 ms, 500 ms, 1 s apart), then named with the reason', async () => {
    const connections: number[] = [];
    const hangUp = createServer((req) => {
      connections.push(Date.now());
      req.socket.destroy();
    });
    await new Promise<void>((resolve) => hangUp.listen(0, '127.0.0.1', resolve));
    const { port } = hangUp.address() as AddressInfo;
    try {
      const err = await imageExists(`127.0.0.1:${port}`, 'mac/intent-classifier', TAG, credential(), { baseUrl: `http://127.0.0.1:${port}` }).catch(
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(UserError);
      expect((err as UserError).message).toMatch(new RegExp(`^Cannot reach the registry for 127\\.0\\.0\\.1:${port}/mac/intent-classifier:${TAG} \\(http://127\\.0\\.0\\.1:${port}\\): \\S`));
      expect((err as UserError).suggestion).toMatch(/images\.registry/);
      expect(connections).toHaveLength(4);
      const gaps = connections.slice(1).map((t, i) => t - connections[i]!);
      expect(gaps[0]).toBeGreaterThanOrEqual(240);
      expect(gaps[2]).toBeGreaterThanOrEqual(990);
    } finally {
      hangUp.closeAllConnections();
      await new Promise((resolve) => hangUp.close(resolve));
    }
  });

  it('an identity without AcrPull is a precondition error that names the role', async () => {
    registryState(fake).denyPull.add(fake.clientId);
    const err = await imageExists(host, 'mac/intent-classifier', TAG, credential()).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PreconditionError);
    expect((err as PreconditionError).message).toMatch(/refused to show .*HTTP 401/);
    expect((err as PreconditionError).suggestion).toMatch(/AcrPull/);
  });

  it('a credential Entra refuses is a precondition error, and no token reaches the registry', async () => {
    process.env.AZURE_CLIENT_SECRET = 'wrong';
    const err = await imageExists(host, 'mac/intent-classifier', TAG, credential()).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PreconditionError);
    expect((err as Error).message).toMatch(/No Azure token for 127\.0\.0\.1/);
    expect(fake.requests.some((r) => r.path === '/oauth2/exchange')).toBe(false);
  });
});

describe('missingImages', () => {
  it('lists exactly the missing images, in the order given, with one token exchange for the registry', async () => {
    const images = [
      `${host}/mac/intent-classifier:${TAG}`,
      `${host}/mac/response-generator-en:${TAG}`,
      `${host}/mac/knowledge-retrieval:${TAG}`,
      `${host}/mac/intent-classifier:0.1.0-def5678`,
    ];
    expect(await missingImages(images, credential())).toEqual([images[1], images[3]]);
    expect(fake.requests.filter((r) => r.path === '/oauth2/exchange')).toHaveLength(1);
    // One registry token per repository, not per image.
    expect(fake.requests.filter((r) => r.path === '/oauth2/token')).toHaveLength(3);
  });

  it('nothing missing → an empty list', async () => {
    expect(await missingImages([`${host}/mac/intent-classifier:${TAG}`], credential())).toEqual([]);
  });
});

describe('the fake registry without a token', () => {
  it('answers 401 with a Bearer challenge naming the realm, the service and the repository scope', async () => {
    const res = await fetch(`${fake.url}/v2/mac/intent-classifier/manifests/${TAG}`, { method: 'HEAD' });
    expect(res.status).toBe(401);
    const challenge = parseBearerChallenge(res.headers.get('www-authenticate'));
    expect(challenge).toEqual({ realm: `${fake.url}/oauth2/token`, service: host, scope: 'repository:mac/intent-classifier:pull' });
    const base = await fetch(`${fake.url}/v2/`);
    expect(base.status).toBe(401);
    expect(await base.json()).toMatchObject({ errors: [{ code: 'UNAUTHORIZED' }] });
  });

  it('refuses an exchange without a valid Entra token', async () => {
    const res = await fetch(`${fake.url}/oauth2/exchange`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'access_token', service: host, access_token: 'forged' }).toString(),
    });
    expect(res.status).toBe(401);
  });
});

describe('parseImageRef', () => {
  it('splits registry, repository and tag the way Docker does', () => {
    expect(parseImageRef('myacr.azurecr.io/mac/intent-classifier:0.1.0-abc1234')).toEqual({
      registry: 'myacr.azurecr.io',
      repository: 'mac/intent-classifier',
      tag: '0.1.0-abc1234',
    });
    expect(parseImageRef('127.0.0.1:8443/critic-supervisor:1')).toEqual({ registry: '127.0.0.1:8443', repository: 'critic-supervisor', tag: '1' });
    expect(parseImageRef('localhost/x')).toEqual({ registry: 'localhost', repository: 'x', tag: 'latest' });
    expect(parseImageRef('nats:2.10-alpine')).toEqual({ registry: 'registry-1.docker.io', repository: 'library/nats', tag: '2.10-alpine' });
    expect(parseImageRef('myacr.azurecr.io/a@sha256:abc')).toEqual({ registry: 'myacr.azurecr.io', repository: 'a', tag: 'sha256:abc' });
    expect(() => parseImageRef('myacr.azurecr.io/a:')).toThrow(/Not an image reference/);
  });
});
