// The Cosmos DB restore point the Azure DR drill captures before anything is destroyed (issue 6 item 4):
//
//   account (GET databaseAccounts/{name})           its instanceId; the backup policy must be Continuous
//   → restorable account (restorableDatabaseAccounts.listByLocation): the live entry whose name is that instanceId,
//     whose id is the `restoreSource` of a later restore (and Terraform's cosmos_restore_source_id)
//   → latest restorable timestamp: Cosmos reports it per collection (POST …/collections/{c}/
//     retrieveContinuousBackupInformation, an LRO), so the account's is the EARLIEST of its collections' — the latest
//     instant every collection can be restored to.
//
// The seed's account is the MongoDB API (templates/terraform/modules/cosmos), so collections are read through
// mongoDBResources. The returned id names the region by its short name (`locations/eastus/…`), the form the restore
// examples and the template variable use; Azure lists it under the display name ("East US") and accepts both.
import type { CosmosDBManagementClient, DatabaseAccountGetResults, RestorableDatabaseAccountGetResult } from '@azure/arm-cosmosdb';
import type { TokenCredential } from '@azure/identity';
import { PreconditionError, UserError } from '../errors.js';

export interface CosmosCaptureOptions {
  credential: TokenCredential;
  subscriptionId: string;
  /** The environment's ARM endpoint (mac.yaml cloud.armEndpoint). */
  armEndpoint: string;
  resourceGroup: string;
  accountName: string;
  /** Polling interval of the backup-information LROs (default: the SDK's). */
  pollIntervalMs?: number;
}

export interface CollectionRestorePoint {
  database: string;
  collection: string;
  latestRestorableTimestamp: string;
}

export interface CosmosRestorePoint {
  /** `/subscriptions/<id>/providers/Microsoft.DocumentDB/locations/<region>/restorableDatabaseAccounts/<instanceId>`. */
  restorableSourceId: string;
  /** RFC 3339 UTC, whole seconds: restore to this instant (Terraform's cosmos_restore_timestamp). */
  latestRestorableTimestamp: string;
  /** The account's region as Azure reports it (e.g. "East US"). */
  location: string;
  accountName: string;
  resourceGroup: string;
  instanceId: string;
  /** When the restorable account was created (RFC 3339 UTC). */
  creationTime?: string;
  /** The earliest instant the account can be restored to (RFC 3339 UTC). */
  oldestRestorableTime?: string;
  /** Per collection; the account's timestamp is the earliest of them. Empty when the account has no collection. */
  collections: CollectionRestorePoint[];
  /** `collections`: the earliest collection timestamp; `capture-time`: no collection, so the time of capture. */
  basis: 'collections' | 'capture-time';
}

/** A Cosmos DB management client for the environment's cloud (its endpoint, and a token for that endpoint). */
export async function createCosmosClient(
  credential: TokenCredential,
  subscriptionId: string,
  armEndpoint: string,
): Promise<CosmosDBManagementClient> {
  const { CosmosDBManagementClient } = await import('@azure/arm-cosmosdb');
  const endpoint = armEndpoint.replace(/\/$/, '');
  return new CosmosDBManagementClient(credential, subscriptionId, { endpoint, credentialScopes: [`${endpoint}/.default`] });
}

/** Reads the account's restore point. `client` defaults to one made from the options (tests may pass their own). */
export async function captureCosmosRestorePoint(
  opts: CosmosCaptureOptions,
  client?: CosmosDBManagementClient,
  now: () => Date = () => new Date(),
): Promise<CosmosRestorePoint> {
  const cosmos = client ?? (await createCosmosClient(opts.credential, opts.subscriptionId, opts.armEndpoint));
  const { resourceGroup: rg, accountName: name } = opts;
  const what = `Cosmos DB account ${name} (resource group ${rg})`;

  let account: DatabaseAccountGetResults;
  try {
    account = await cosmos.databaseAccounts.get(rg, name);
  } catch (err) {
    if (statusOf(err) === 404)
      throw new PreconditionError(
        `${what} was not found in subscription ${opts.subscriptionId}: there is no restore point to capture.`,
        'Check the environment (mac.yaml azure.subscription, the resource group) or that `mac infra apply` created the account.',
      );
    throw explain(err, `Reading ${what}`);
  }

  const backup = account.backupPolicy?.type;
  if (backup !== 'Continuous')
    throw new PreconditionError(
      `${what} has ${backup ?? 'no'} backup, not Continuous: it cannot be restored to a point in time, so a destroy would lose its data.`,
      'Set backup { type = "Continuous" } on azurerm_cosmosdb_account (templates/terraform/modules/cosmos does) and apply before drilling.',
    );
  const instanceId = account.instanceId;
  const location = account.location ?? account.writeLocations?.[0]?.locationName;
  if (!instanceId || !location) throw new UserError(`Azure returned ${what} without ${instanceId ? 'a location' : 'an instanceId'}.`);
  if (account.kind !== undefined && account.kind !== 'MongoDB')
    throw new PreconditionError(
      `${what} is of kind ${account.kind}; the drill reads restore points of MongoDB API accounts (the templates' kind).`,
    );

  let restorable: RestorableDatabaseAccountGetResult | undefined;
  try {
    for await (const r of cosmos.restorableDatabaseAccounts.listByLocation(location)) {
      if (r.name?.toLowerCase() === instanceId.toLowerCase() && !r.deletionTime) {
        restorable = r;
        break;
      }
    }
  } catch (err) {
    throw explain(err, `Listing the restorable Cosmos DB accounts in ${location}`, 'Microsoft.DocumentDB/locations/restorableDatabaseAccounts/read');
  }
  if (!restorable?.id)
    throw new PreconditionError(
      `${what} (instance ${instanceId}) is not among the restorable accounts of ${location} yet.`,
      'Azure lists a continuous-backup account as restorable a few minutes after it is created; try again shortly.',
    );

  const collections: CollectionRestorePoint[] = [];
  try {
    for await (const db of cosmos.mongoDBResources.listMongoDBDatabases(rg, name)) {
      const database = db.resource?.id ?? db.name;
      if (!database) continue;
      for await (const c of cosmos.mongoDBResources.listMongoDBCollections(rg, name, database)) {
        const collection = c.resource?.id ?? c.name;
        if (!collection) continue;
        const info = await cosmos.mongoDBResources.beginRetrieveContinuousBackupInformationAndWait(
          rg,
          name,
          database,
          collection,
          { location },
          opts.pollIntervalMs === undefined ? {} : { updateIntervalInMs: opts.pollIntervalMs },
        );
        const ts = info.continuousBackupInformation?.latestRestorableTimestamp;
        if (!ts) throw new UserError(`Azure gave no latest restorable timestamp for ${database}/${collection} of ${what}.`);
        collections.push({ database, collection, latestRestorableTimestamp: rfc3339(ts) });
      }
    }
  } catch (err) {
    if (err instanceof UserError) throw err;
    throw explain(err, `Reading the continuous backup information of ${what}`);
  }

  const earliest = collections.map((c) => c.latestRestorableTimestamp).sort()[0];
  const oldest = restorable.oldestRestorableTime ? rfc3339(restorable.oldestRestorableTime) : undefined;
  return {
    restorableSourceId: shortLocationId(restorable.id),
    latestRestorableTimestamp: earliest ?? rfc3339(now()),
    location,
    accountName: account.name ?? name,
    resourceGroup: rg,
    instanceId,
    ...(restorable.creationTime ? { creationTime: rfc3339(restorable.creationTime) } : {}),
    ...(oldest ? { oldestRestorableTime: oldest } : {}),
    collections,
    basis: earliest ? 'collections' : 'capture-time',
  };
}

/** `…/locations/East US/restorableDatabaseAccounts/<id>` → `…/locations/eastus/restorableDatabaseAccounts/<id>`. */
export function shortLocationId(id: string): string {
  return id.replace(/\/locations\/([^/]+)\//i, (_m, loc: string) => `/locations/${shortLocation(decodeURIComponent(loc))}/`);
}

/** "East US 2" → "eastus2". */
export function shortLocation(location: string): string {
  return location.replace(/\s+/g, '').toLowerCase();
}

/** RFC 3339 UTC in whole seconds (what Terraform's restore_timestamp_in_utc and the restore API take). */
export function rfc3339(value: Date | string): string {
  const d = value instanceof Date ? value : new Date(value);
  if (Number.isNaN(d.getTime())) throw new UserError(`Azure returned an unreadable timestamp: ${String(value)}`);
  return d.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function statusOf(err: unknown): number | undefined {
  return (err as { statusCode?: number } | undefined)?.statusCode;
}

function explain(err: unknown, doing: string, permission?: string): UserError {
  const message = err instanceof Error ? err.message : String(err);
  const status = statusOf(err);
  if (status === 401 || status === 403)
    return new PreconditionError(
      `${doing} was refused (${status}): ${message}`,
      permission
        ? `The identity needs ${permission} (the Cosmos DB Operator role has it) on the subscription.`
        : 'Check that the identity `mac` signs in as may read the account (Cosmos DB Operator or Reader).',
    );
  return new UserError(`${doing} failed: ${message}`);
}
