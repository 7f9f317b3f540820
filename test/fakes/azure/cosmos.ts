// Microsoft.DocumentDB: Cosmos DB accounts (MongoDB API), continuous backup and point-in-time restore — what the
// Azure DR drill needs (issue 6 items 4 and 5).
//
//   const db = cosmos(fake);                       // this fake's controller
//   db.seedAccount({ resourceGroup: 'rg-mac-prod', name: 'cosmos-mac-prod-x1', location: 'eastus' });  // fixtures
//   db.deleteAccount('cosmos-mac-prod-x1');        // what `terraform destroy` does (the restorable entry stays)
//   db.account('cosmos-restored')?.restoredFrom    // the data marker: { source, timestamp, documents }
//
// Routes (api-version 2024-11-15 shapes, from the REST examples in Azure/azure-rest-api-specs:
// specification/cosmos-db/resource-manager/Microsoft.DocumentDB/stable/2024-11-15/examples/ CosmosDBDatabaseAccountGet.json,
// CosmosDBRestoreDatabaseAccountCreateUpdate.json, CosmosDBRestorableDatabaseAccountList.json,
// CosmosDBMongoDBCollectionBackupInformation.json, CosmosDBMongoDBDatabaseList.json …):
//   GET    …/databaseAccounts/{name}                the account (instanceId, backupPolicy, createMode, restoreParameters)
//   PUT    …/databaseAccounts/{name}                create/update; createMode Restore + restoreParameters {restoreMode
//                                                   PointInTime, restoreSource, restoreTimestampInUtc} copies the source's
//                                                   data as of that time. 200, provisioningState Creating/Initializing,
//                                                   Azure-AsyncOperation → operationsStatus
//   DELETE …/databaseAccounts/{name}                202 + Azure-AsyncOperation + Location; the restorable entry gets its
//                                                   deletionTime (and stays restorable)
//   GET    …/databaseAccounts/{name}/mongodbDatabases[/{db}/collections]   lists
//   POST   …/mongodbDatabases/{db}/collections/{c}/retrieveContinuousBackupInformation   202 + Azure-AsyncOperation +
//                                                   Location → operationResults: { continuousBackupInformation:
//                                                   { latestRestorableTimestamp } }
//   GET    /subscriptions/{sub}/providers/Microsoft.DocumentDB/locations/{loc}/restorableDatabaseAccounts[/{instanceId}]
//   GET    /subscriptions/{sub}/providers/Microsoft.DocumentDB/restorableDatabaseAccounts
//   GET    /subscriptions/{sub}/providers/Microsoft.DocumentDB/locations/{loc}/operationsStatus/{id}   { status: Dequeued |
//                                                   Succeeded | Failed, error? }
//   GET    /subscriptions/{sub}/providers/Microsoft.DocumentDB/locations/{loc}/operationResults/{id}   202 while running,
//                                                   then 200 with the result (or 204)
// Operations last `provisioningDelayMs` / `backupInfoDelayMs` and advance lazily, on the next request (no timers).
import { randomUUID } from 'node:crypto';
import type { AzureFake, FakeRequest, FakeResponse, Route } from './server.js';
import { armRoute, SUBSCRIPTION } from './arm.js';
import { putResourceGroup } from './arm-resources.js';
import { armError, empty, json } from './respond.js';

export const ACCOUNT_TYPE = 'Microsoft.DocumentDB/databaseAccounts';
export const RESTORABLE_TYPE = 'Microsoft.DocumentDB/locations/restorableDatabaseAccounts';

/** Documents per collection, by database then collection: the data the fake "holds". */
export type CosmosData = Record<string, Record<string, number>>;

export interface RestoreParameters {
  restoreMode?: string;
  restoreSource?: string;
  restoreTimestampInUtc?: string;
  [key: string]: unknown;
}

export interface AccountBody {
  location?: string;
  kind?: string;
  tags?: Record<string, string>;
  properties?: {
    databaseAccountOfferType?: string;
    locations?: { locationName?: string; failoverPriority?: number; isZoneRedundant?: boolean }[];
    createMode?: string;
    restoreParameters?: RestoreParameters;
    backupPolicy?: { type?: string; [key: string]: unknown };
    capabilities?: { name: string }[];
    consistencyPolicy?: Record<string, unknown>;
    apiProperties?: Record<string, unknown>;
    [key: string]: unknown;
  };
}

export interface FakeCosmosAccount {
  subscriptionId: string;
  resourceGroup: string;
  name: string;
  /** Display name, as Azure returns it ("East US"). */
  location: string;
  kind: string;
  instanceId: string;
  createMode: 'Default' | 'Restore';
  restoreParameters?: RestoreParameters;
  backupType: 'Continuous' | 'Periodic';
  provisioningState: 'Creating' | 'Initializing' | 'Updating' | 'Succeeded' | 'Failed' | 'Deleting';
  pending?: CosmosOperation;
  body: AccountBody;
  tags: Record<string, string>;
  data: CosmosData;
  /** Set on an account made by a restore: where its data came from. */
  restoredFrom?: { source: string; timestamp: string; instanceId: string };
  createdAt: number;
}

export interface FakeRestorableAccount {
  subscriptionId: string;
  instanceId: string;
  accountName: string;
  location: string;
  apiType: string;
  creationTime: number;
  deletionTime?: number;
  /** The account while it lives; its last data once deleted. */
  data: () => CosmosData;
}

export type CosmosOperationKind = 'create' | 'update' | 'restore' | 'delete' | 'backup-information';

export interface CosmosOperation {
  id: string;
  kind: CosmosOperationKind;
  subscriptionId: string;
  /** Short region name of the operation URLs. */
  location: string;
  account: string;
  resourceGroup: string;
  seq: number;
  startedAt: number;
  finishesAt: number;
  status: 'Dequeued' | 'Succeeded' | 'Failed';
  error?: { code: string; message: string };
  /** Body of operationResults once Succeeded (backup information). */
  result?: unknown;
  /** Applied when the operation succeeds. */
  complete?: () => void;
}

export interface SeedAccountSpec {
  resourceGroup: string;
  name: string;
  /** Short or display region name (default eastus). */
  location?: string;
  /** Default: the seed's customer-service database with its four collections. */
  data?: CosmosData;
  backup?: 'Continuous' | 'Periodic';
  /** When the account was created (default: 3 days ago). */
  createdAt?: Date;
  instanceId?: string;
}

export interface CosmosFake {
  /** How long create/update/restore/delete operations stay Dequeued (default 0). */
  provisioningDelayMs: number;
  /** How long a retrieveContinuousBackupInformation operation runs (default 0). */
  backupInfoDelayMs: number;
  /** How far the latest restorable timestamp trails the present (default 30 s; Azure's is usually under 100 s). */
  backupLagMs: number;
  /** Per-collection latest restorable timestamps ("account/db/collection" → RFC 3339), overriding the lag. */
  latestRestorable: Map<string, string>;
  /** Next restore PUTs that fail asynchronously (the operation ends Failed). */
  restoreFailures: { code?: string; message?: string }[];
  /** Accounts by `sub/rg/name` (lower case). */
  accounts: Map<string, FakeCosmosAccount>;
  /** Restorable accounts by instanceId (lower case), deleted ones included. */
  restorable: Map<string, FakeRestorableAccount>;
  operations: CosmosOperation[];
  /** Every account PUT body as received. */
  puts: { seq: number; account: string; body: AccountBody }[];
  account(name: string, resourceGroup?: string): FakeCosmosAccount | undefined;
  seedAccount(spec: SeedAccountSpec): FakeCosmosAccount;
  /** Removes an account at once, as `terraform destroy` would; it stays restorable until its retention ends. */
  deleteAccount(name: string, resourceGroup?: string): void;
  advance(now?: number): void;
}

/** The seed's database (templates/terraform/phase4_prod/cosmos_db.tf) with a few documents per collection. */
export const SEED_DATA: CosmosData = {
  'customer-service': { orders: 1284, tickets: 342, 'knowledge-base': 96, analytics: 5210 },
};

const DISPLAY: Record<string, string> = {
  eastus: 'East US',
  eastus2: 'East US 2',
  westus: 'West US',
  westus2: 'West US 2',
  westus3: 'West US 3',
  centralus: 'Central US',
  southcentralus: 'South Central US',
  northeurope: 'North Europe',
  westeurope: 'West Europe',
  uksouth: 'UK South',
  swedencentral: 'Sweden Central',
};
const RETENTION_MS = 30 * 86_400_000;

export const shortLocation = (location: string): string => location.replace(/\s+/g, '').toLowerCase();
export const displayLocation = (location: string): string => DISPLAY[shortLocation(location)] ?? location;
const iso = (ms: number): string => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
const key = (sub: string, rg: string, name: string): string => `${sub}/${rg}/${name}`.toLowerCase();
const clone = (data: CosmosData): CosmosData => JSON.parse(JSON.stringify(data)) as CosmosData;

const controllers = new WeakMap<AzureFake, { db: CosmosFake; routes: Route[] }>();

/** The Cosmos DB controller of a fake (made on first use). */
export function cosmos(fake: AzureFake): CosmosFake {
  return controllerOf(fake).db;
}

/** Adds the Cosmos DB routes to a fake (called once, by startAzureFake). */
export function registerCosmos(fake: AzureFake, register: (route: Route) => void): void {
  for (const route of controllerOf(fake).routes) register(route);
}

function controllerOf(fake: AzureFake): { db: CosmosFake; routes: Route[] } {
  let entry = controllers.get(fake);
  if (!entry) {
    entry = createController(fake);
    controllers.set(fake, entry);
  }
  return entry;
}

function createController(fake: AzureFake): { db: CosmosFake; routes: Route[] } {
  const db: CosmosFake = {
    provisioningDelayMs: 0,
    backupInfoDelayMs: 0,
    backupLagMs: 30_000,
    latestRestorable: new Map(),
    restoreFailures: [],
    accounts: new Map(),
    restorable: new Map(),
    operations: [],
    puts: [],
    account(name, resourceGroup) {
      for (const a of db.accounts.values()) {
        if (a.name.toLowerCase() !== name.toLowerCase()) continue;
        if (resourceGroup === undefined || a.resourceGroup.toLowerCase() === resourceGroup.toLowerCase()) return a;
      }
      return undefined;
    },
    seedAccount(spec) {
      const subscription = fake.state.subscriptions.get(fake.subscriptionId.toLowerCase());
      if (!subscription) throw new Error(`the fake has no subscription ${fake.subscriptionId}`);
      const location = spec.location ?? 'eastus';
      const rg = subscription.resourceGroups.get(spec.resourceGroup.toLowerCase()) ?? putResourceGroup(subscription, spec.resourceGroup, { location });
      const createdAt = (spec.createdAt ?? new Date(Date.now() - 3 * 86_400_000)).getTime();
      const backup = spec.backup ?? 'Continuous';
      const a = addAccount({
        subscriptionId: subscription.subscriptionId,
        resourceGroup: rg.name,
        name: spec.name,
        location: displayLocation(location),
        kind: 'MongoDB',
        instanceId: spec.instanceId ?? randomUUID(),
        createMode: 'Default',
        backupType: backup,
        provisioningState: 'Succeeded',
        body: {
          location,
          kind: 'MongoDB',
          properties: {
            databaseAccountOfferType: 'Standard',
            locations: [{ locationName: location, failoverPriority: 0, isZoneRedundant: false }],
            capabilities: [{ name: 'EnableServerless' }, { name: 'EnableMongo' }],
            consistencyPolicy: { defaultConsistencyLevel: 'Session', maxIntervalInSeconds: 5, maxStalenessPrefix: 100 },
            apiProperties: { serverVersion: '4.2' },
            backupPolicy: backup === 'Continuous' ? { type: 'Continuous', continuousModeProperties: { tier: 'Continuous30Days' } } : { type: 'Periodic' },
          },
        },
        tags: {},
        data: clone(spec.data ?? SEED_DATA),
        createdAt,
      });
      return a;
    },
    deleteAccount(name, resourceGroup) {
      const a = db.account(name, resourceGroup);
      if (!a) throw new Error(`the fake has no Cosmos DB account ${name}`);
      removeAccount(a, Date.now());
    },
    advance(at = Date.now()) {
      for (const op of db.operations) {
        if (op.status !== 'Dequeued' || op.finishesAt > at) continue;
        if (op.error) op.status = 'Failed';
        else {
          op.status = 'Succeeded';
          op.complete?.();
        }
        const a = db.accounts.get(key(op.subscriptionId, op.resourceGroup, op.account));
        if (a?.pending === op) {
          a.pending = undefined;
          if (op.status === 'Failed') a.provisioningState = 'Failed';
        }
      }
    },
  };

  function addAccount(a: FakeCosmosAccount): FakeCosmosAccount {
    db.accounts.set(key(a.subscriptionId, a.resourceGroup, a.name), a);
    if (a.backupType === 'Continuous') {
      db.restorable.set(a.instanceId.toLowerCase(), {
        subscriptionId: a.subscriptionId,
        instanceId: a.instanceId,
        accountName: a.name,
        location: a.location,
        apiType: a.kind === 'MongoDB' ? 'MongoDB' : 'Sql',
        creationTime: a.createdAt,
        data: () => a.data,
      });
    }
    return a;
  }

  function removeAccount(a: FakeCosmosAccount, at: number): void {
    db.accounts.delete(key(a.subscriptionId, a.resourceGroup, a.name));
    const r = db.restorable.get(a.instanceId.toLowerCase());
    if (r) {
      const last = clone(a.data);
      r.deletionTime = at;
      r.data = () => last;
    }
  }

  function startOperation(
    req: FakeRequest,
    kind: CosmosOperationKind,
    a: { subscriptionId: string; resourceGroup: string; name: string; location: string },
    delayMs: number,
    extra: Partial<Pick<CosmosOperation, 'error' | 'result' | 'complete'>> = {},
  ): CosmosOperation {
    const startedAt = Date.now();
    const op: CosmosOperation = {
      id: randomUUID(),
      kind,
      subscriptionId: a.subscriptionId,
      location: shortLocation(a.location),
      account: a.name,
      resourceGroup: a.resourceGroup,
      seq: req.log.seq,
      startedAt,
      finishesAt: startedAt + Math.max(0, delayMs),
      status: 'Dequeued',
      ...extra,
    };
    db.operations.push(op);
    return op;
  }

  const opUrl = (op: CosmosOperation, what: 'operationsStatus' | 'operationResults', apiVersion: string): string =>
    `${fake.url}/subscriptions/${op.subscriptionId}/providers/Microsoft.DocumentDB/locations/${op.location}/${what}/${op.id}?api-version=${encodeURIComponent(apiVersion)}`;

  function latestRestorable(a: FakeCosmosAccount, database: string, collection: string, at = Date.now()): string {
    return db.latestRestorable.get(`${a.name}/${database}/${collection}`.toLowerCase()) ?? iso(Math.max(a.createdAt, at - db.backupLagMs));
  }

  function renderAccount(a: FakeCosmosAccount): unknown {
    const short = shortLocation(a.location);
    const region = {
      id: `${a.name}-${short}`,
      locationName: a.location,
      documentEndpoint: `https://${a.name}-${short}.documents.azure.com:443/`,
      provisioningState: a.provisioningState,
      failoverPriority: 0,
      isZoneRedundant: false,
    };
    const p = a.body.properties ?? {};
    return {
      id: `/subscriptions/${a.subscriptionId}/resourceGroups/${a.resourceGroup}/providers/${ACCOUNT_TYPE}/${a.name}`,
      name: a.name,
      location: a.location,
      type: ACCOUNT_TYPE,
      kind: a.kind,
      tags: a.tags,
      properties: {
        provisioningState: a.provisioningState,
        documentEndpoint: `https://${a.name}.documents.azure.com:443/`,
        databaseAccountOfferType: 'Standard',
        ipRules: [],
        isVirtualNetworkFilterEnabled: false,
        publicNetworkAccess: p.publicNetworkAccess ?? 'Enabled',
        capabilities: p.capabilities ?? [],
        apiProperties: p.apiProperties ?? {},
        consistencyPolicy: p.consistencyPolicy ?? { defaultConsistencyLevel: 'Session', maxIntervalInSeconds: 5, maxStalenessPrefix: 100 },
        writeLocations: [region],
        readLocations: [region],
        locations: [region],
        failoverPolicies: [{ id: region.id, locationName: a.location, failoverPriority: 0 }],
        instanceId: a.instanceId,
        createMode: a.createMode,
        ...(a.restoreParameters ? { restoreParameters: a.restoreParameters } : {}),
        backupPolicy:
          a.backupType === 'Continuous'
            ? { type: 'Continuous', continuousModeProperties: { tier: 'Continuous30Days' } }
            : { type: 'Periodic', periodicModeProperties: { backupIntervalInMinutes: 240, backupRetentionIntervalInHours: 8, backupStorageRedundancy: 'Geo' } },
        minimalTlsVersion: 'Tls12',
      },
      systemData: { createdAt: iso(a.createdAt) },
    };
  }

  function renderRestorable(r: FakeRestorableAccount): unknown {
    const oldest = Math.max(r.creationTime, Date.now() - RETENTION_MS);
    return {
      id: `/subscriptions/${r.subscriptionId}/providers/Microsoft.DocumentDB/locations/${r.location}/restorableDatabaseAccounts/${r.instanceId}`,
      name: r.instanceId,
      location: r.location,
      type: RESTORABLE_TYPE,
      properties: {
        accountName: r.accountName,
        creationTime: iso(r.creationTime),
        ...(r.deletionTime !== undefined ? { deletionTime: iso(r.deletionTime) } : {}),
        oldestRestorableTime: iso(oldest),
        apiType: r.apiType,
        restorableLocations: [
          {
            locationName: r.location,
            regionalDatabaseAccountInstanceId: regionalId(r.instanceId),
            creationTime: iso(r.creationTime),
            ...(r.deletionTime !== undefined ? { deletionTime: iso(r.deletionTime) } : {}),
          },
        ],
      },
    };
  }

  /** The restore's checks, in Azure's order; a response when the request is refused. */
  function checkRestore(sub: string, params: RestoreParameters | undefined): FakeResponse | FakeRestorableAccount {
    if (!params?.restoreSource || !params.restoreTimestampInUtc)
      return armError(400, 'BadRequest', 'restoreParameters.restoreSource and restoreParameters.restoreTimestampInUtc are required when createMode is Restore.');
    if (params.restoreMode !== 'PointInTime')
      return armError(400, 'BadRequest', `Restore mode '${params.restoreMode ?? ''}' is not supported; the supported restore mode is PointInTime.`);
    const m = /^\/subscriptions\/([^/]+)\/providers\/Microsoft\.DocumentDB\/locations\/([^/]+)\/restorableDatabaseAccounts\/([^/]+)\/?$/i.exec(params.restoreSource);
    if (!m) return armError(400, 'BadRequest', `The restore source '${params.restoreSource}' is not a restorable database account id.`);
    const r = db.restorable.get(decodeURIComponent(m[3]!).toLowerCase());
    if (!r || r.subscriptionId.toLowerCase() !== decodeURIComponent(m[1]!).toLowerCase() || r.subscriptionId.toLowerCase() !== sub.toLowerCase())
      return armError(404, 'NotFound', `Restorable database account with instance id '${decodeURIComponent(m[3]!)}' was not found.`);
    if (shortLocation(decodeURIComponent(m[2]!)) !== shortLocation(r.location))
      return armError(400, 'BadRequest', `Restorable database account '${r.instanceId}' is in location '${r.location}', not '${decodeURIComponent(m[2]!)}'.`);
    const at = Date.parse(params.restoreTimestampInUtc);
    const oldest = Math.max(r.creationTime, Date.now() - RETENTION_MS);
    const latest = r.deletionTime ?? Date.now() - db.backupLagMs;
    if (Number.isNaN(at) || at < Math.floor(oldest / 1000) * 1000 || at > latest)
      return armError(
        400,
        'BadRequest',
        `The restore timestamp '${params.restoreTimestampInUtc}' is outside the restorable window of account '${r.accountName}' [${iso(oldest)}, ${iso(latest)}].`,
      );
    return r;
  }

  const routes: Route[] = [];
  const register = (route: Route): void => {
    routes.push(route);
  };
  const RG = String.raw`/resourceGroups/(?<resourceGroupName>[^/]+)`;
  const one = String.raw`${SUBSCRIPTION}${RG}/providers/Microsoft\.DocumentDB/databaseAccounts/(?<accountName>[^/]+)`;
  const lookup = (req: FakeRequest, sub: string): FakeCosmosAccount | undefined =>
    db.accounts.get(key(sub, req.params.resourceGroupName ?? '', req.params.accountName ?? ''));
  const accountNotFound = (req: FakeRequest): FakeResponse =>
    armError(
      404,
      'ResourceNotFound',
      `The Resource '${ACCOUNT_TYPE}/${req.params.accountName ?? ''}' under resource group '${req.params.resourceGroupName ?? ''}' was not found. For more details please go to https://aka.ms/ARMResourceNotFoundFix`,
    );

  register(
    armRoute('cosmos account get', 'GET', new RegExp(`^${one}$`, 'i'), (req, ctx) => {
      db.advance();
      const a = lookup(req, ctx.subscription!.subscriptionId);
      return a ? json(200, renderAccount(a)) : accountNotFound(req);
    }),
  );

  register(
    armRoute('cosmos account put', 'PUT', new RegExp(`^${one}$`, 'i'), (req, ctx) => {
      db.advance();
      const sub = ctx.subscription!;
      const rgName = req.params.resourceGroupName ?? '';
      const name = req.params.accountName ?? '';
      const rg = sub.resourceGroups.get(rgName.toLowerCase());
      if (!rg) return armError(404, 'ResourceGroupNotFound', `Resource group '${rgName}' could not be found.`);
      let body: AccountBody | undefined;
      try {
        body = req.json<AccountBody>();
      } catch {
        return armError(400, 'InvalidRequestContent', 'The request content was invalid and could not be deserialized.');
      }
      if (!body?.location) return armError(400, 'LocationRequired', 'The location property is required for this definition.');
      if (!body.properties?.locations?.length || body.properties.databaseAccountOfferType !== 'Standard')
        return armError(400, 'BadRequest', 'properties.locations and properties.databaseAccountOfferType (Standard) are required.');
      db.puts.push({ seq: req.log.seq, account: name, body });
      const existing = lookup(req, sub.subscriptionId);
      const restoring = body.properties.createMode === 'Restore';
      if (existing && existing.pending?.status === 'Dequeued')
        return armError(409, 'Conflict', `Operation '${existing.pending.kind}' is in progress on account '${name}'; retry when it completes.`);

      if (existing) {
        if (restoring) return armError(400, 'BadRequest', `Restore is only supported for new accounts: '${name}' already exists.`);
        existing.body = body;
        existing.tags = body.tags ?? {};
        existing.provisioningState = 'Updating';
        const op = startOperation(req, 'update', existing, db.provisioningDelayMs, {
          complete: () => (existing.provisioningState = 'Succeeded'),
        });
        existing.pending = op;
        return json(200, renderAccount(existing), { 'Azure-AsyncOperation': opUrl(op, 'operationsStatus', ctx.apiVersion) });
      }

      let source: FakeRestorableAccount | undefined;
      if (restoring) {
        const checked = checkRestore(sub.subscriptionId, body.properties.restoreParameters);
        if ('status' in checked) return checked;
        source = checked;
      }
      const backupType = body.properties.backupPolicy?.type === 'Continuous' ? 'Continuous' : 'Periodic';
      const a: FakeCosmosAccount = {
        subscriptionId: sub.subscriptionId,
        resourceGroup: rg.name,
        name,
        location: displayLocation(body.location),
        kind: body.kind ?? 'GlobalDocumentDB',
        instanceId: randomUUID(),
        createMode: restoring ? 'Restore' : 'Default',
        ...(restoring ? { restoreParameters: body.properties.restoreParameters } : {}),
        backupType,
        provisioningState: restoring ? 'Initializing' : 'Creating',
        body,
        tags: body.tags ?? {},
        data: {},
        createdAt: Date.now(),
      };
      addAccount(a);
      const failure = restoring ? db.restoreFailures.shift() : undefined;
      const params = body.properties.restoreParameters;
      const op = startOperation(req, restoring ? 'restore' : 'create', a, db.provisioningDelayMs, {
        ...(failure
          ? { error: { code: failure.code ?? 'RestoreFailed', message: failure.message ?? `The restore of account '${name}' failed (injected by the Azure fake).` } }
          : {}),
        complete: () => {
          a.provisioningState = 'Succeeded';
          if (source && params) {
            a.data = clone(source.data());
            a.restoredFrom = { source: params.restoreSource!, timestamp: params.restoreTimestampInUtc!, instanceId: source.instanceId };
          }
        },
      });
      a.pending = op;
      return json(200, renderAccount(a), { 'Azure-AsyncOperation': opUrl(op, 'operationsStatus', ctx.apiVersion) });
    }),
  );

  register(
    armRoute('cosmos account delete', 'DELETE', new RegExp(`^${one}$`, 'i'), (req, ctx) => {
      db.advance();
      const a = lookup(req, ctx.subscription!.subscriptionId);
      if (!a) return empty(204);
      a.provisioningState = 'Deleting';
      const op = startOperation(req, 'delete', a, db.provisioningDelayMs, { complete: () => removeAccount(a, Date.now()) });
      a.pending = op;
      return empty(202, {
        'Azure-AsyncOperation': opUrl(op, 'operationsStatus', ctx.apiVersion),
        Location: opUrl(op, 'operationResults', ctx.apiVersion),
      });
    }),
  );

  register(
    armRoute('cosmos mongodb databases list', 'GET', new RegExp(`^${one}/mongodbDatabases$`, 'i'), (req, ctx) => {
      db.advance();
      const a = lookup(req, ctx.subscription!.subscriptionId);
      if (!a) return accountNotFound(req);
      const base = `/subscriptions/${a.subscriptionId}/resourceGroups/${a.resourceGroup}/providers/${ACCOUNT_TYPE}/${a.name}/mongodbDatabases`;
      return json(200, {
        value: Object.keys(a.data).map((d) => ({
          id: `${base}/${d}`,
          name: d,
          type: `${ACCOUNT_TYPE}/mongodbDatabases`,
          properties: { resource: { id: d } },
        })),
      });
    }),
  );

  register(
    armRoute(
      'cosmos mongodb collections list',
      'GET',
      new RegExp(`^${one}/mongodbDatabases/(?<databaseName>[^/]+)/collections$`, 'i'),
      (req, ctx) => {
        db.advance();
        const a = lookup(req, ctx.subscription!.subscriptionId);
        if (!a) return accountNotFound(req);
        const d = req.params.databaseName ?? '';
        const collections = a.data[d];
        if (!collections) return armError(404, 'NotFound', `Database '${d}' was not found in account '${a.name}'.`);
        const base = `/subscriptions/${a.subscriptionId}/resourceGroups/${a.resourceGroup}/providers/${ACCOUNT_TYPE}/${a.name}/mongodbDatabases/${d}/collections`;
        return json(200, {
          value: Object.keys(collections).map((c) => ({
            id: `${base}/${c}`,
            name: c,
            type: `${ACCOUNT_TYPE}/mongodbDatabases/collections`,
            properties: { resource: { id: c, indexes: [{ key: { keys: ['_id'] }, options: { unique: true } }] } },
          })),
        });
      },
    ),
  );

  register(
    armRoute(
      'cosmos mongodb collection backup information',
      'POST',
      new RegExp(`^${one}/mongodbDatabases/(?<databaseName>[^/]+)/collections/(?<collectionName>[^/]+)/retrieveContinuousBackupInformation$`, 'i'),
      (req, ctx) => {
        db.advance();
        const a = lookup(req, ctx.subscription!.subscriptionId);
        if (!a) return accountNotFound(req);
        const d = req.params.databaseName ?? '';
        const c = req.params.collectionName ?? '';
        if (a.data[d]?.[c] === undefined) return armError(404, 'NotFound', `Collection '${d}/${c}' was not found in account '${a.name}'.`);
        let body: { location?: unknown } | undefined;
        try {
          body = req.json();
        } catch {
          body = undefined;
        }
        if (typeof body?.location !== 'string' || !body.location)
          return armError(400, 'BadRequest', 'The request body must name the continuous backup restore location: { "location": "<region>" }.');
        if (a.backupType !== 'Continuous')
          return armError(400, 'BadRequest', `Continuous backup information is only available for accounts with continuous backup; '${a.name}' has periodic backup.`);
        const op = startOperation(req, 'backup-information', a, db.backupInfoDelayMs);
        const at = op.finishesAt;
        op.complete = () => {
          op.result = { continuousBackupInformation: { latestRestorableTimestamp: latestRestorable(a, d, c, at) } };
        };
        return empty(202, {
          'Azure-AsyncOperation': opUrl(op, 'operationsStatus', ctx.apiVersion),
          Location: opUrl(op, 'operationResults', ctx.apiVersion),
        });
      },
    ),
  );

  const providers = String.raw`${SUBSCRIPTION}/providers/Microsoft\.DocumentDB`;
  const forSubscription = (sub: string): FakeRestorableAccount[] =>
    [...db.restorable.values()].filter((r) => r.subscriptionId.toLowerCase() === sub.toLowerCase());

  register(
    armRoute('cosmos restorable accounts list', 'GET', new RegExp(`^${providers}/restorableDatabaseAccounts$`, 'i'), (_req, ctx) =>
      json(200, { value: forSubscription(ctx.subscription!.subscriptionId).map(renderRestorable) }),
    ),
  );

  register(
    armRoute(
      'cosmos restorable accounts list by location',
      'GET',
      new RegExp(`^${providers}/locations/(?<location>[^/]+)/restorableDatabaseAccounts$`, 'i'),
      (req, ctx) => {
        db.advance();
        const loc = shortLocation(req.params.location ?? '');
        return json(200, {
          value: forSubscription(ctx.subscription!.subscriptionId)
            .filter((r) => shortLocation(r.location) === loc)
            .map(renderRestorable),
        });
      },
    ),
  );

  register(
    armRoute(
      'cosmos restorable account get',
      'GET',
      new RegExp(`^${providers}/locations/(?<location>[^/]+)/restorableDatabaseAccounts/(?<instanceId>[^/]+)$`, 'i'),
      (req, ctx) => {
        db.advance();
        const r = db.restorable.get((req.params.instanceId ?? '').toLowerCase());
        if (!r || r.subscriptionId.toLowerCase() !== ctx.subscription!.subscriptionId.toLowerCase() || shortLocation(r.location) !== shortLocation(req.params.location ?? ''))
          return armError(404, 'NotFound', `Restorable database account with instance id '${req.params.instanceId ?? ''}' was not found.`);
        return json(200, renderRestorable(r));
      },
    ),
  );

  const findOp = (req: FakeRequest): CosmosOperation | undefined => db.operations.find((o) => o.id === req.params.operationId);
  register(
    armRoute(
      'cosmos operation status',
      'GET',
      new RegExp(`^${providers}/locations/(?<location>[^/]+)/operationsStatus/(?<operationId>[^/]+)$`, 'i'),
      (req, ctx) => {
        db.advance();
        const op = findOp(req);
        if (!op) return armError(404, 'NotFound', `The operation '${req.params.operationId ?? ''}' could not be found.`);
        return json(200, {
          id: `/subscriptions/${ctx.subscription!.subscriptionId}/providers/Microsoft.DocumentDB/locations/${op.location}/operationsStatus/${op.id}`,
          name: op.id,
          status: op.status,
          ...(op.error ? { error: op.error } : {}),
        });
      },
    ),
  );

  register(
    armRoute(
      'cosmos operation results',
      'GET',
      new RegExp(`^${providers}/locations/(?<location>[^/]+)/operationResults/(?<operationId>[^/]+)$`, 'i'),
      (req, ctx) => {
        db.advance();
        const op = findOp(req);
        if (!op) return armError(404, 'NotFound', `The operation '${req.params.operationId ?? ''}' could not be found.`);
        if (op.status === 'Dequeued') return empty(202, { Location: opUrl(op, 'operationResults', ctx.apiVersion) });
        if (op.status === 'Failed') return armError(400, op.error?.code ?? 'Failed', op.error?.message ?? 'The operation failed.');
        return op.result === undefined ? empty(204) : json(200, op.result);
      },
    ),
  );

  return { db, routes };
}

function regionalId(instanceId: string): string {
  let h = 2166136261;
  const bytes: number[] = [];
  for (let i = 0; i < 16; i++) {
    for (const ch of `${instanceId}#${i}`) h = Math.imul(h ^ ch.charCodeAt(0), 16777619);
    bytes.push((h >>> 0) & 0xff);
  }
  const hex = bytes.map((b) => b.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}
