// `mac doctor`'s Azure checks, through the real code path: mac.yaml → resolveEnvironment → checkAzureAccess →
// DefaultAzureCredential (EnvironmentCredential from AZURE_* env) + ResourceManagementClient, against the HTTPS fake.
//
// No network here: the service principal is always configured in the environment so DefaultAzureCredential's chain
// ends at EnvironmentCredential (a wrong secret is an AuthenticationError, which also ends the chain — it does not fall
// through to ManagedIdentityCredential's IMDS probe). A loopback-only guard proves it: every test asserts that nothing
// tried to connect anywhere but 127.0.0.1.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { parseConfig, resolveEnvironment, type ResolvedEnvironment } from '../../src/config/load.js';
import { checkAzureAccess } from '../../src/doctor/checks.js';
import { blockNonLoopback, type NetworkGuard } from '../setup/no-network.js';
import { on, startAzureFake, type AzureFake } from '../fakes/azure/server.js';
import { isolateAzureEnv } from '../fakes/azure/process-env.js';

const TIMEOUT_MS = 20_000;

let fake: AzureFake;
let guard: NetworkGuard;
let restoreEnv: (() => void) | undefined;

beforeAll(async () => {
  guard = blockNonLoopback();
  fake = await startAzureFake();
});
afterAll(async () => {
  await fake?.close();
  guard?.restore();
});

beforeEach(() => {
  restoreEnv = isolateAzureEnv();
  useServicePrincipal(fake.clientSecret);
});
afterEach(() => {
  restoreEnv?.();
  fake.reset();
  expect(guard.attempts, 'connections attempted outside loopback').toEqual([]);
});

function useServicePrincipal(secret: string): void {
  process.env.AZURE_TENANT_ID = fake.tenantId;
  process.env.AZURE_CLIENT_ID = fake.clientId;
  process.env.AZURE_CLIENT_SECRET = secret;
}

/** The environment as `mac doctor -e prod` would resolve it from this mac.yaml. */
function azureEnvironment(subscription = fake.subscriptionId): ResolvedEnvironment {
  const text = [
    'version: 1',
    'defaultEnvironment: prod',
    'environments:',
    '  prod:',
    '    target: azure',
    `    subscription: ${subscription}`,
    '    cloud:',
    `      armEndpoint: ${fake.url}`,
    `      authorityHost: ${fake.url}`,
    '      keyVaultDnsSuffix: vault.localhost',
  ].join('\n');
  const file = '/project/mac.yaml';
  return resolveEnvironment({ file, dir: '/project', config: parseConfig(text, file) }, 'prod');
}

const byName = <T extends { name: string }>(results: T[]): Record<string, T | undefined> =>
  Object.fromEntries(results.map((r) => [r.name, r]));

describe('checkAzureAccess against the Azure fake', () => {
  it('passes both checks with a valid service principal and a known subscription', async () => {
    const results = await checkAzureAccess(azureEnvironment(), TIMEOUT_MS);

    expect(results.map((r) => [r.name, r.status])).toEqual([
      ['azure credential', 'ok'],
      ['azure subscription', 'ok'],
    ]);
    expect(byName(results)['azure credential']?.detail).toBe(`token for ${fake.url}`);
    expect(byName(results)['azure subscription']?.detail).toBe(fake.subscriptionId);

    const token = fake.requests.find((r) => r.route === 'entra token');
    expect(token, 'a token request').toBeDefined();
    expect(token?.path).toBe(`/${fake.tenantId}/oauth2/v2.0/token`);
    const form = new URLSearchParams(token?.body);
    expect(form.get('grant_type')).toBe('client_credentials');
    expect(form.get('client_id')).toBe(fake.clientId);
    expect(form.get('scope')).toBe(`${fake.url}/.default`);

    const list = fake.requests.find((r) => r.route === 'arm resourcegroups list');
    expect(list, 'a resource-group list request').toMatchObject({
      method: 'GET',
      path: `/subscriptions/${fake.subscriptionId}/resourcegroups`,
      status: 200,
      headers: { authorization: 'Bearer [redacted]' },
      token: { status: 'valid', clientId: fake.clientId },
    });
    expect(list?.query['api-version']).toMatch(/^\d{4}-\d{2}-\d{2}/);
    expect(fake.unmatched()).toEqual([]);
  });

  it('fails the subscription check, with a fix, for a subscription the identity cannot see', async () => {
    const unknown = '00000000-0000-0000-0000-000000000404';
    const results = byName(await checkAzureAccess(azureEnvironment(unknown), TIMEOUT_MS));

    expect(results['azure credential']?.status).toBe('ok');
    expect(results['azure subscription']).toMatchObject({ status: 'fail', required: true });
    expect(results['azure subscription']?.detail).toContain(unknown);
    expect(results['azure subscription']?.detail).toMatch(/could not be found/);
    expect(results['azure subscription']?.fix).toMatch(/subscription id in mac\.yaml/);
    expect(fake.requests.filter((r) => r.route === 'arm resourcegroups list').map((r) => r.status)).toEqual([404]);
  });

  it('fails the credential check, with a fix, when the client secret is wrong — without probing managed identity', async () => {
    useServicePrincipal('not-the-secret');
    const results = await checkAzureAccess(azureEnvironment(), TIMEOUT_MS);

    expect(results).toHaveLength(1);
    expect(results[0]).toMatchObject({ name: 'azure credential', status: 'fail', required: true });
    expect(results[0]?.detail).toMatch(/EnvironmentCredential authentication failed/);
    expect(results[0]?.fix).toMatch(/AZURE_CLIENT_SECRET/);
    expect(fake.requests.filter((r) => r.route === 'entra token').map((r) => r.status)).toContain(401);
    expect(fake.requests.some((r) => r.path.includes('/resourcegroups'))).toBe(false);
    expect(guard.attempts).toEqual([]); // no IMDS (169.254.169.254) probe, no login.microsoftonline.com
  });

  it('still passes when ARM answers 503 once (the SDK retries)', async () => {
    fake.faults.push({ match: on('GET', /\/resourcegroups$/i), status: 503 });
    const results = await checkAzureAccess(azureEnvironment(), TIMEOUT_MS);

    expect(results.map((r) => [r.name, r.status])).toEqual([
      ['azure credential', 'ok'],
      ['azure subscription', 'ok'],
    ]);
    const lists = fake.requests.filter((r) => r.path.endsWith('/resourcegroups'));
    expect(lists.map((r) => [r.status, r.fault ?? false])).toEqual([
      [503, true],
      [200, false],
    ]);
  });

  it('skips a local environment', async () => {
    const env = resolveEnvironment({ dir: '/project', config: parseConfig('version: 1\n', '/project/mac.yaml') }, 'local');
    expect(await checkAzureAccess(env, TIMEOUT_MS)).toEqual([]);
    expect(fake.requests).toEqual([]);
  });
});
