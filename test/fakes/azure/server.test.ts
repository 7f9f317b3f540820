// The Azure wire fake itself: TLS trust, the token endpoint, ARM auth, the request log and fault injection.
import https from 'node:https';
import { ClientSecretCredential } from '@azure/identity';
import { ResourceManagementClient } from '@azure/arm-resources';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { blockNonLoopback, type NetworkGuard } from '../../setup/no-network.js';
import { seedResourceGroup } from './arm-resources.js';
import { on, startAzureFake, type AzureFake } from './server.js';

interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** A plain node:https request — certificate verification stays on (no rejectUnauthorized: false anywhere). */
function request(
  fake: AzureFake,
  method: string,
  path: string,
  opts: { headers?: Record<string, string>; body?: string } = {},
): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = https.request(`${fake.url}${path}`, { method, headers: opts.headers }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end(opts.body);
  });
}

async function getToken(fake: AzureFake, secret = fake.clientSecret, scope = `${fake.url}/.default`): Promise<RawResponse> {
  return request(fake, 'POST', `/${fake.tenantId}/oauth2/v2.0/token`, {
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ client_id: fake.clientId, client_secret: secret, scope, grant_type: 'client_credentials' }).toString(),
  });
}

async function armToken(fake: AzureFake): Promise<string> {
  const res = await getToken(fake);
  return (JSON.parse(res.body) as { access_token: string }).access_token;
}

const API = 'api-version=2025-04-01';

let fake: AzureFake;
let guard: NetworkGuard;

beforeAll(async () => {
  guard = blockNonLoopback();
  fake = await startAzureFake();
});
afterAll(async () => {
  await fake?.close();
  guard?.restore();
});
afterEach(() => {
  fake.reset();
  expect(guard.attempts).toEqual([]);
});

describe('TLS', () => {
  it('is trusted by a test worker through NODE_EXTRA_CA_CERTS, with verification on', async () => {
    expect(process.env.NODE_TLS_REJECT_UNAUTHORIZED).toBeUndefined();
    expect(process.env.MAC_TEST_TLS_DIR).toBeTruthy();
    const res = await new Promise<{ status: number; authorized: boolean }>((resolve, reject) => {
      https
        .get(`${fake.url}/${fake.tenantId}/v2.0/.well-known/openid-configuration`, (r) => {
          const socket = r.socket as import('node:tls').TLSSocket;
          r.resume();
          r.on('end', () => resolve({ status: r.statusCode ?? 0, authorized: socket.authorized }));
        })
        .on('error', reject);
    });
    expect(res).toEqual({ status: 200, authorized: true });
  });

  it('is also trusted by name (localhost)', async () => {
    const res = await new Promise<number>((resolve, reject) => {
      https
        .get(`https://localhost:${fake.port}/${fake.tenantId}/v2.0/.well-known/openid-configuration`, (r) => {
          r.resume();
          r.on('end', () => resolve(r.statusCode ?? 0));
        })
        .on('error', reject);
    });
    expect(res).toBe(200);
  });
});

describe('Entra token endpoint', () => {
  it('serves the openid-configuration pointing back at the fake', async () => {
    const res = await request(fake, 'GET', `/${fake.tenantId}/v2.0/.well-known/openid-configuration`);
    const doc = JSON.parse(res.body) as Record<string, string>;
    expect(doc.token_endpoint).toBe(`${fake.url}/${fake.tenantId}/oauth2/v2.0/token`);
    expect(doc.issuer).toBe(`${fake.url}/${fake.tenantId}/v2.0`);
    expect(doc.authorization_endpoint).toBe(`${fake.url}/${fake.tenantId}/oauth2/v2.0/authorize`);
  });

  it('issues an opaque bearer token for a client-credentials request', async () => {
    const res = await getToken(fake);
    expect(res.status).toBe(200);
    const body = JSON.parse(res.body) as Record<string, unknown>;
    expect(body).toMatchObject({ token_type: 'Bearer', expires_in: 3600, ext_expires_in: 3600 });
    expect(body.access_token).toEqual(expect.any(String));
    expect(fake.state.tokens.has(body.access_token as string)).toBe(true);
  });

  it('rejects a wrong client secret with AADSTS7000215', async () => {
    const res = await getToken(fake, 'not-the-secret');
    expect(res.status).toBe(401);
    expect(JSON.parse(res.body)).toMatchObject({
      error: 'invalid_client',
      error_description: 'AADSTS7000215: Invalid client secret provided.',
    });
  });

  it('rejects an unknown tenant', async () => {
    const res = await request(fake, 'GET', '/00000000-0000-0000-0000-00000000beef/v2.0/.well-known/openid-configuration');
    expect(res.status).toBe(400);
    expect(JSON.parse(res.body)).toMatchObject({ error: 'invalid_tenant' });
  });

  it('never logs the client secret', async () => {
    await getToken(fake);
    const logged = fake.requests.find((r) => r.route === 'entra token');
    expect(logged?.body).toContain('client_secret=[redacted]');
    expect(JSON.stringify(fake.requests)).not.toContain(fake.clientSecret);
  });
});

describe('ARM authentication', () => {
  it('answers 401 with a WWW-Authenticate challenge when there is no token', async () => {
    const res = await request(fake, 'GET', `/subscriptions/${fake.subscriptionId}/resourcegroups?${API}`);
    expect(res.status).toBe(401);
    expect(res.headers['www-authenticate']).toMatch(/^Bearer authorization_uri="https:\/\/127\.0\.0\.1:\d+\/[^"]+", error="invalid_token"/);
    expect(JSON.parse(res.body)).toMatchObject({ error: { code: 'InvalidAuthenticationToken', message: expect.any(String) } });
    expect(fake.requests.at(-1)?.token?.status).toBe('missing');
  });

  it('answers 401 to a token it did not issue', async () => {
    const res = await request(fake, 'GET', `/subscriptions/${fake.subscriptionId}/resourcegroups?${API}`, {
      headers: { authorization: 'Bearer made-up' },
    });
    expect(res.status).toBe(401);
    expect(JSON.parse(res.body)).toMatchObject({ error: { code: 'InvalidAuthenticationToken' } });
  });

  it('answers 401 to a token for another audience', async () => {
    const other = JSON.parse((await getToken(fake, fake.clientSecret, 'https://vault.azure.net/.default')).body) as {
      access_token: string;
    };
    const res = await request(fake, 'GET', `/subscriptions/${fake.subscriptionId}/resourcegroups?${API}`, {
      headers: { authorization: `Bearer ${other.access_token}` },
    });
    expect(res.status).toBe(401);
    expect(JSON.parse(res.body)).toMatchObject({ error: { code: 'InvalidAuthenticationTokenAudience' } });
  });

  it('answers 404 SubscriptionNotFound for an unknown subscription', async () => {
    const token = await armToken(fake);
    const res = await request(fake, 'GET', `/subscriptions/00000000-0000-0000-0000-000000000404/resourcegroups?${API}`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(res.status).toBe(404);
    expect(JSON.parse(res.body)).toMatchObject({ error: { code: 'SubscriptionNotFound' } });
  });

  it('requires an api-version', async () => {
    const token = await armToken(fake);
    const res = await request(fake, 'GET', `/subscriptions/${fake.subscriptionId}/resourcegroups`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(res.status).toBe(400);
    expect(JSON.parse(res.body)).toMatchObject({ error: { code: 'MissingApiVersionParameter' } });
  });
});

describe('request log', () => {
  it('records method, path, query and headers, with the Authorization value redacted', async () => {
    const token = await armToken(fake);
    await request(fake, 'GET', `/subscriptions/${fake.subscriptionId}/resourcegroups?${API}&$top=5`, {
      headers: { authorization: `Bearer ${token}`, 'x-ms-client-request-id': 'abc' },
    });
    const entry = fake.requests.at(-1);
    expect(entry).toMatchObject({
      method: 'GET',
      path: `/subscriptions/${fake.subscriptionId}/resourcegroups`,
      query: { 'api-version': '2025-04-01', $top: '5' },
      route: 'arm resourcegroups list',
      status: 200,
      token: { status: 'valid', clientId: fake.clientId },
    });
    expect(entry?.headers['x-ms-client-request-id']).toBe('abc');
    expect(entry?.headers.authorization).toBe('Bearer [redacted]');
    expect(JSON.stringify(fake.requests)).not.toContain(token);
  });

  it('answers an unknown route with an ARM 404 that names the request, and flags it', async () => {
    const token = await armToken(fake);
    const res = await request(fake, 'GET', `/subscriptions/${fake.subscriptionId}/providers/Microsoft.Nope/things?${API}`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(res.status).toBe(404);
    const body = JSON.parse(res.body) as { error: { code: string; message: string } };
    expect(body.error.code).toBe('FakeRouteNotFound');
    expect(body.error.message).toContain(`GET /subscriptions/${fake.subscriptionId}/providers/Microsoft.Nope/things?${API}`);
    expect(fake.unmatched().map((r) => r.path)).toEqual([`/subscriptions/${fake.subscriptionId}/providers/Microsoft.Nope/things`]);
  });
});

describe('fault injection', () => {
  it('answers a matching request with the fault once, then normally', async () => {
    const token = await armToken(fake);
    fake.faults.push({ match: on('GET', /\/resourcegroups$/i), status: 429, headers: { 'Retry-After': '1' } });
    const path = `/subscriptions/${fake.subscriptionId}/resourcegroups?${API}`;
    const headers = { authorization: `Bearer ${token}` };
    const first = await request(fake, 'GET', path, { headers });
    expect(first.status).toBe(429);
    expect(first.headers['retry-after']).toBe('1');
    expect(JSON.parse(first.body)).toMatchObject({ error: { code: 'TooManyRequests' } });
    expect((await request(fake, 'GET', path, { headers })).status).toBe(200);
    expect(fake.faults).toEqual([]);
    expect(fake.requests.filter((r) => r.path.endsWith('/resourcegroups')).map((r) => [r.status, r.fault ?? false])).toEqual([
      [429, true],
      [200, false],
    ]);
  });

  it('applies a fault N times', async () => {
    fake.faults.push({ match: (req) => req.path.includes('/oauth2/'), status: 503, times: 2 });
    expect((await getToken(fake)).status).toBe(503);
    expect((await getToken(fake)).status).toBe(503);
    expect((await getToken(fake)).status).toBe(200);
  });

  it('leaves requests it does not match alone', async () => {
    fake.faults.push({ match: on('PUT', /.*/), status: 500 });
    expect((await getToken(fake)).status).toBe(200);
    expect(fake.faults).toHaveLength(1);
  });
});

describe('resource groups through the real ARM client', () => {
  it('creates, reads, checks and lists resource groups, following nextLink', async () => {
    const credential = new ClientSecretCredential(fake.tenantId, fake.clientId, fake.clientSecret, {
      authorityHost: fake.url,
      disableInstanceDiscovery: true,
    });
    const client = new ResourceManagementClient(credential, fake.subscriptionId, { endpoint: fake.url });

    const created = await client.resourceGroups.createOrUpdate('multi-agent-rg', { location: 'eastus', tags: { env: 'test' } });
    expect(created).toMatchObject({
      id: `/subscriptions/${fake.subscriptionId}/resourceGroups/multi-agent-rg`,
      name: 'multi-agent-rg',
      type: 'Microsoft.Resources/resourceGroups',
      location: 'eastus',
      tags: { env: 'test' },
      properties: { provisioningState: 'Succeeded' },
    });
    expect((await client.resourceGroups.get('MULTI-AGENT-RG')).name).toBe('multi-agent-rg');
    expect((await client.resourceGroups.checkExistence('multi-agent-rg')).body).toBe(true);
    expect((await client.resourceGroups.checkExistence('nope')).body).toBe(false);
    await expect(client.resourceGroups.get('nope')).rejects.toMatchObject({ statusCode: 404, code: 'ResourceGroupNotFound' });

    seedResourceGroup(fake, 'second');
    seedResourceGroup(fake, 'third');
    const pages: string[][] = [];
    for await (const page of client.resourceGroups.list({ top: 2 }).byPage()) pages.push(page.map((g) => g.name ?? ''));
    expect(pages).toEqual([['multi-agent-rg', 'second'], ['third']]);
    expect(fake.unmatched()).toEqual([]);
  });
});
