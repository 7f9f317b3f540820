// src/azure/cosmos.ts and the Cosmos DB part of the HTTPS Azure fake, with the real @azure/arm-cosmosdb client and the
// real credential of src/azure/credential.ts (EnvironmentCredential only: a service principal from AZURE_* variables,
// never IMDS): the restore point captured before a destroy, then a restore from it, as the Azure DR drill does.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { CosmosDBManagementClient } from '@azure/arm-cosmosdb';
import { createCredential } from '../../src/azure/credential.js';
import { captureCosmosRestorePoint, createCosmosClient, shortLocationId, type CosmosCaptureOptions } from '../../src/azure/cosmos.js';
import { ExitCode, PreconditionError } from '../../src/errors.js';
import { cosmos, SEED_DATA } from '../fakes/azure/cosmos.js';
import { on, startAzureFake, type AzureFake } from '../fakes/azure/server.js';
import { blockNonLoopback, type NetworkGuard } from '../setup/no-network.js';
import { isolateAzureEnv } from '../fakes/azure/process-env.js';
import { fakeCredentialEnv } from '../fakes/azure/sign-in.js';

const RG = 'rg-mac-prod';
let fake: AzureFake;
let guard: NetworkGuard;
let restoreEnv: (() => void) | undefined;
let n = 0;
let name: string;

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
  Object.assign(process.env, fakeCredentialEnv(fake));
  name = `cosmos-mac-prod-t${++n}`;
});
afterEach(() => {
  restoreEnv?.();
  const db = cosmos(fake);
  db.provisioningDelayMs = 0;
  db.backupInfoDelayMs = 0;
  db.latestRestorable.clear();
  db.restoreFailures.length = 0;
  fake.reset();
  expect(guard.attempts, 'connections attempted outside loopback').toEqual([]);
});

function options(accountName = name): CosmosCaptureOptions {
  return {
    credential: createCredential({ armEndpoint: fake.url, authorityHost: fake.url, keyVaultDnsSuffix: 'vault.azure.net' }),
    subscriptionId: fake.subscriptionId,
    armEndpoint: fake.url,
    resourceGroup: RG,
    accountName,
    pollIntervalMs: 10,
  };
}

async function client(): Promise<CosmosDBManagementClient> {
  const o = options();
  return createCosmosClient(o.credential, o.subscriptionId, o.armEndpoint);
}

const armCalls = () =>
  fake.requests.filter((r) => !/\/(v2\.0|oauth2|discovery)\b|\/\.well-known\//.test(r.path)).map((r) => `${r.method} ${r.path} ${r.status}`);

async function restore(target: string, source: string, timestamp: string, c?: CosmosDBManagementClient) {
  const cosmosClient = c ?? (await client());
  return cosmosClient.databaseAccounts.beginCreateOrUpdateAndWait(
    RG,
    target,
    {
      location: 'eastus',
      kind: 'MongoDB',
      databaseAccountOfferType: 'Standard',
      locations: [{ locationName: 'eastus', failoverPriority: 0, isZoneRedundant: false }],
      createMode: 'Restore',
      restoreParameters: { restoreMode: 'PointInTime', restoreSource: source, restoreTimestampInUtc: new Date(timestamp) },
      backupPolicy: { type: 'Continuous' },
    },
    { updateIntervalInMs: 10 },
  );
}

describe('captureCosmosRestorePoint', () => {
  it('captures the restorable source id, the earliest collection timestamp and the region, through the real SDK', async () => {
    const db = cosmos(fake);
    const account = db.seedAccount({ resourceGroup: RG, name, location: 'eastus' });
    db.latestRestorable.set(`${name}/customer-service/orders`, '2026-11-27T01:59:58Z');
    db.latestRestorable.set(`${name}/customer-service/tickets`, '2026-11-27T01:59:41Z');
    db.latestRestorable.set(`${name}/customer-service/knowledge-base`, '2026-11-27T02:00:03Z');
    db.latestRestorable.set(`${name}/customer-service/analytics`, '2026-11-27T01:59:59Z');

    const point = await captureCosmosRestorePoint(options());

    expect(point).toMatchObject({
      restorableSourceId: `/subscriptions/${fake.subscriptionId}/providers/Microsoft.DocumentDB/locations/eastus/restorableDatabaseAccounts/${account.instanceId}`,
      latestRestorableTimestamp: '2026-11-27T01:59:41Z',
      location: 'East US',
      accountName: name,
      instanceId: account.instanceId,
      basis: 'collections',
    });
    expect(point.collections).toEqual([
      { database: 'customer-service', collection: 'orders', latestRestorableTimestamp: '2026-11-27T01:59:58Z' },
      { database: 'customer-service', collection: 'tickets', latestRestorableTimestamp: '2026-11-27T01:59:41Z' },
      { database: 'customer-service', collection: 'knowledge-base', latestRestorableTimestamp: '2026-11-27T02:00:03Z' },
      { database: 'customer-service', collection: 'analytics', latestRestorableTimestamp: '2026-11-27T01:59:59Z' },
    ]);
    expect(point.creationTime).toBe(new Date(account.createdAt).toISOString().replace(/\.\d{3}Z$/, 'Z'));

    const calls = armCalls();
    const sub = `/subscriptions/${fake.subscriptionId}`;
    const acct = `${sub}/resourceGroups/${RG}/providers/Microsoft.DocumentDB/databaseAccounts/${name}`;
    expect(calls.slice(0, 4)).toEqual([
      `GET ${acct} 200`,
      `GET ${sub}/providers/Microsoft.DocumentDB/locations/East%20US/restorableDatabaseAccounts 200`,
      `GET ${acct}/mongodbDatabases 200`,
      `GET ${acct}/mongodbDatabases/customer-service/collections 200`,
    ]);
    expect(calls.filter((c) => c.includes('/retrieveContinuousBackupInformation'))).toHaveLength(4);
    expect(calls).toContain(`POST ${acct}/mongodbDatabases/customer-service/collections/orders/retrieveContinuousBackupInformation 202`);
    // The LRO result comes from the Location URL (operationResults), as the SDK's resourceLocationConfig says.
    expect(calls.filter((c) => /\/operationResults\/[^ ]+ 200$/.test(c))).toHaveLength(4);
    const post = fake.requests.find((r) => r.path.endsWith('/orders/retrieveContinuousBackupInformation'));
    expect(JSON.parse(post!.body!)).toEqual({ location: 'East US' });
    expect(post!.query['api-version']).toBe('2025-10-15');
    expect(fake.unmatched()).toEqual([]);
  });

  it('follows a backup-information operation that takes a while (operationsStatus Dequeued, then Succeeded)', async () => {
    const db = cosmos(fake);
    db.seedAccount({ resourceGroup: RG, name, data: { 'customer-service': { orders: 3 } } });
    db.backupInfoDelayMs = 150;
    const before = Date.now();
    const point = await captureCosmosRestorePoint(options());
    expect(Date.now() - before).toBeGreaterThanOrEqual(140);
    const statuses = fake.requests.filter((r) => r.path.includes('/operationsStatus/'));
    expect(statuses.length).toBeGreaterThanOrEqual(2);
    // Lag 30 s behind the operation's end, in whole seconds.
    const ts = Date.parse(point.latestRestorableTimestamp);
    expect(point.latestRestorableTimestamp).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect(ts).toBeGreaterThan(before - 32_000);
    expect(ts).toBeLessThan(Date.now() - 29_000);
  });

  it('retries a throttled backup-information request (429 + Retry-After)', async () => {
    cosmos(fake).seedAccount({ resourceGroup: RG, name, data: { 'customer-service': { orders: 3 } } });
    fake.faults.push({ match: on('POST', /retrieveContinuousBackupInformation$/), status: 429, headers: { 'Retry-After': '1' } });
    const point = await captureCosmosRestorePoint(options());
    expect(point.collections).toHaveLength(1);
    const posts = fake.requests.filter((r) => r.method === 'POST' && r.path.endsWith('retrieveContinuousBackupInformation'));
    expect(posts.map((p) => p.status)).toEqual([429, 202]);
    expect(posts[1]!.at - posts[0]!.at).toBeGreaterThanOrEqual(950);
  });

  it('an account with periodic backup cannot be drilled: precondition, exit 4', async () => {
    cosmos(fake).seedAccount({ resourceGroup: RG, name, backup: 'Periodic' });
    const err = await captureCosmosRestorePoint(options()).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PreconditionError);
    expect((err as PreconditionError).exitCode).toBe(ExitCode.precondition);
    expect((err as Error).message).toContain('has Periodic backup, not Continuous');
    expect((err as PreconditionError).suggestion).toContain('backup { type = "Continuous" }');
  });

  it('a missing account, or one not yet listed as restorable, is a precondition naming it', async () => {
    const missing = await captureCosmosRestorePoint(options('cosmos-nowhere')).catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(PreconditionError);
    expect((missing as Error).message).toContain('Cosmos DB account cosmos-nowhere (resource group rg-mac-prod) was not found');

    const db = cosmos(fake);
    const account = db.seedAccount({ resourceGroup: RG, name });
    db.restorable.delete(account.instanceId.toLowerCase());
    const early = await captureCosmosRestorePoint(options()).catch((e: unknown) => e);
    expect(early).toBeInstanceOf(PreconditionError);
    expect((early as Error).message).toContain(`(instance ${account.instanceId}) is not among the restorable accounts of East US yet`);
  });

  it('an account without collections falls back to the time of capture', async () => {
    cosmos(fake).seedAccount({ resourceGroup: RG, name, data: {} });
    const point = await captureCosmosRestorePoint(options(), undefined, () => new Date('2026-11-27T02:10:00.456Z'));
    expect(point).toMatchObject({ basis: 'capture-time', latestRestorableTimestamp: '2026-11-27T02:10:00Z', collections: [] });
  });
});

describe('restore from the captured point (the rebuild of the drill)', () => {
  it('after the account is destroyed, a Restore-mode PUT from the captured source and timestamp brings its data back', async () => {
    const db = cosmos(fake);
    const source = db.seedAccount({ resourceGroup: RG, name, location: 'eastus' });
    const point = await captureCosmosRestorePoint(options());
    db.deleteAccount(name); // terraform destroy

    const c = await client();
    const listed = [];
    for await (const r of c.restorableDatabaseAccounts.listByLocation('eastus')) listed.push(r);
    const gone = listed.find((r) => r.name === source.instanceId);
    expect(gone?.deletionTime).toBeInstanceOf(Date);
    expect(shortLocationId(gone!.id!)).toBe(point.restorableSourceId);

    db.provisioningDelayMs = 100;
    const restored = await restore(name, point.restorableSourceId, point.latestRestorableTimestamp, c);
    expect(restored).toMatchObject({
      name,
      provisioningState: 'Succeeded',
      createMode: 'Restore',
      restoreParameters: { restoreMode: 'PointInTime', restoreSource: point.restorableSourceId },
      backupPolicy: { type: 'Continuous' },
    });
    expect(restored.instanceId).not.toBe(source.instanceId);
    const account = db.account(name)!;
    expect(account.restoredFrom).toEqual({
      source: point.restorableSourceId,
      timestamp: new Date(point.latestRestorableTimestamp).toISOString(),
      instanceId: source.instanceId,
    });
    expect(account.data).toEqual(SEED_DATA);
    expect(fake.requests.some((r) => r.path.includes('/operationsStatus/') && r.status === 200)).toBe(true);

    // The restored account is itself restorable (continuous backup), so the next drill can capture it.
    const again = await captureCosmosRestorePoint(options());
    expect(again.instanceId).toBe(restored.instanceId);
  });

  it('refuses a timestamp outside the restorable window, an unknown source, and a restore onto an existing account', async () => {
    const db = cosmos(fake);
    db.seedAccount({ resourceGroup: RG, name });
    const point = await captureCosmosRestorePoint(options());
    const c = await client();

    const early = await restore(`${name}-r1`, point.restorableSourceId, '2020-01-01T00:00:00Z', c).catch((e: unknown) => e);
    expect(early).toMatchObject({ statusCode: 400, code: 'BadRequest' });
    expect((early as Error).message).toContain('outside the restorable window');

    const unknown = point.restorableSourceId.replace(/[^/]+$/, '00000000-0000-0000-0000-000000000000');
    const missing = await restore(`${name}-r2`, unknown, point.latestRestorableTimestamp, c).catch((e: unknown) => e);
    expect(missing).toMatchObject({ statusCode: 404 });

    const onto = await restore(name, point.restorableSourceId, point.latestRestorableTimestamp, c).catch((e: unknown) => e);
    expect(onto).toMatchObject({ statusCode: 400 });
    expect((onto as Error).message).toContain('Restore is only supported for new accounts');
    expect(db.account(`${name}-r1`)).toBeUndefined();
  });

  it('a restore whose operation fails ends the poller with the error', async () => {
    const db = cosmos(fake);
    db.seedAccount({ resourceGroup: RG, name });
    const point = await captureCosmosRestorePoint(options());
    db.restoreFailures.push({ code: 'RestoreFailed', message: 'Restore failed: capacity in East US.' });
    const err = await restore(`${name}-r`, point.restorableSourceId, point.latestRestorableTimestamp).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Error);
    expect((err as Error).message).toContain('capacity in East US');
    expect(db.account(`${name}-r`)?.provisioningState).toBe('Failed');
  });
});
