// Microsoft.Storage, management plane: what `mac infra bootstrap` (@azure/arm-storage 19, api-version 2025-06-01) asks.
//   POST  /subscriptions/{s}/providers/Microsoft.Storage/checkNameAvailability          StorageAccounts_CheckNameAvailability
//   GET   /subscriptions/{s}/providers/Microsoft.Storage/storageAccounts                 StorageAccounts_List
//   GET   /subscriptions/{s}/resourceGroups/{rg}/providers/Microsoft.Storage/storageAccounts   _ListByResourceGroup
//   PUT   …/storageAccounts/{name}   StorageAccounts_Create: a long-running operation — 202 + Location (an
//         asyncoperations URL) + Retry-After; the Location answers 202 `createPolls` times, then 200 with the account
//   GET   …/storageAccounts/{name}   StorageAccounts_GetProperties        PATCH  StorageAccounts_Update
//   GET / PUT  …/storageAccounts/{name}/blobServices/default                BlobServices_Get/SetServiceProperties
//   GET / PUT  …/blobServices/default/containers/{container}                BlobContainers_Get / _Create
// Shapes follow the REST examples in Azure/azure-rest-api-specs (specification/storage/resource-manager/
// Microsoft.Storage: StorageAccountCheckNameAvailability.json, StorageAccountCreate.json, BlobServicesGet/Put.json,
// BlobContainersPut.json, BlobContainersGet*.json). Storage account names are global across Azure, so the accounts
// live in one map keyed by name, each remembering its subscription and resource group.
import { randomUUID } from 'node:crypto';
import type { AzureFake, FakeRequest, FakeResponse, Route } from './server.js';
import { armRoute, SUBSCRIPTION } from './arm.js';
import { armError, json } from './respond.js';

type Json = Record<string, unknown>;

export interface FakeStorageAccount {
  subscriptionId: string;
  resourceGroup: string;
  name: string;
  location: string;
  kind: string;
  sku: { name: string; tier: string };
  tags: Record<string, string>;
  /** The account's `properties` as GET returns them. */
  properties: Json;
  /** blobServices/default `properties`. */
  blobService: Json;
  /** Containers by name. */
  containers: Map<string, Json>;
}

export interface FakeStorageState {
  /** By lower-case account name (names are global). */
  accounts: Map<string, FakeStorageAccount>;
  /** Pending create operations by id: the account name and how many more polls answer 202. */
  operations: Map<string, { account: string; pending: number }>;
  /** How many times a create's operation URL answers 202 before 200 (default 1). */
  createPolls: number;
}

const states = new WeakMap<AzureFake, FakeStorageState>();

export function storageState(fake: AzureFake): FakeStorageState {
  let state = states.get(fake);
  if (!state) {
    state = { accounts: new Map(), operations: new Map(), createPolls: 1 };
    states.set(fake, state);
  }
  return state;
}

const RG = String.raw`/resourceGroups/(?<resourceGroupName>[^/]+)`;
const PROVIDER = '/providers/Microsoft\\.Storage';
const ACCOUNT = String.raw`${SUBSCRIPTION}${RG}${PROVIDER}/storageAccounts/(?<accountName>[^/]+)`;
const ACCOUNT_NAME = /^[a-z0-9]{3,24}$/;
const CONTAINER_NAME = /^(?!.*--)[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$/;

export function registerStorage(fake: AzureFake, register: (route: Route) => void): void {
  const state = storageState(fake);

  register(
    armRoute('storage checkNameAvailability', 'POST', new RegExp(`^${SUBSCRIPTION}${PROVIDER}/checkNameAvailability$`, 'i'), (req) => {
      const body = parse<{ name?: unknown; type?: unknown }>(req);
      if (!body || typeof body.name !== 'string') {
        return armError(400, 'InvalidRequestContent', 'The request content was invalid and could not be deserialized.');
      }
      if (body.type !== 'Microsoft.Storage/storageAccounts') {
        return armError(400, 'InvalidResourceType', `The resource type '${String(body.type)}' is not valid for checkNameAvailability.`);
      }
      if (!ACCOUNT_NAME.test(body.name)) {
        return json(200, {
          nameAvailable: false,
          reason: 'AccountNameInvalid',
          message: `${body.name} is not a valid storage account name. Storage account name must be between 3 and 24 characters in length and use numbers and lower-case letters only.`,
        });
      }
      if (state.accounts.has(body.name)) {
        return json(200, { nameAvailable: false, reason: 'AlreadyExists', message: `The storage account named ${body.name} is already taken.` });
      }
      return json(200, { nameAvailable: true });
    }),
  );

  register(
    armRoute('storage accounts list', 'GET', new RegExp(`^${SUBSCRIPTION}${PROVIDER}/storageAccounts$`, 'i'), (_req, ctx) =>
      json(200, { value: inSubscription(ctx.subscription!.subscriptionId).map((a) => accountBody(a)) }),
    ),
  );

  register(
    armRoute('storage accounts listByResourceGroup', 'GET', new RegExp(`^${SUBSCRIPTION}${RG}${PROVIDER}/storageAccounts$`, 'i'), (req, ctx) => {
      const group = req.params.resourceGroupName ?? '';
      if (!ctx.subscription!.resourceGroups.has(group.toLowerCase())) return groupNotFound(group);
      const value = inSubscription(ctx.subscription!.subscriptionId).filter((a) => same(a.resourceGroup, group));
      return json(200, { value: value.map((a) => accountBody(a)) });
    }),
  );

  const account = new RegExp(`^${ACCOUNT}$`, 'i');

  register(
    armRoute('storage account get', 'GET', account, (req, ctx) => {
      const found = lookup(req, ctx.subscription!.subscriptionId, ctx.subscription!.resourceGroups);
      return 'status' in found ? found : json(200, accountBody(found));
    }),
  );

  register(
    armRoute('storage account put', 'PUT', account, (req, ctx) => {
      const subscription = ctx.subscription!;
      const group = req.params.resourceGroupName ?? '';
      const name = req.params.accountName ?? '';
      if (!subscription.resourceGroups.has(group.toLowerCase())) return groupNotFound(group);
      if (!ACCOUNT_NAME.test(name)) {
        return armError(400, 'AccountNameInvalid', `${name} is not a valid storage account name. Storage account name must be between 3 and 24 characters in length and use numbers and lower-case letters only.`);
      }
      const body = parse<{ location?: unknown; kind?: unknown; sku?: { name?: unknown }; tags?: unknown; properties?: Json }>(req);
      if (!body) return armError(400, 'InvalidRequestContent', 'The request content was invalid and could not be deserialized.');
      if (typeof body.location !== 'string' || !body.location) return armError(400, 'LocationRequired', 'The location property is required for this definition.');
      if (typeof body.kind !== 'string' || typeof body.sku?.name !== 'string') {
        return armError(400, 'InvalidRequestContent', 'The request content was invalid: sku.name and kind are required.');
      }
      const existing = state.accounts.get(name);
      if (existing && !same(existing.subscriptionId, subscription.subscriptionId)) {
        return armError(409, 'StorageAccountAlreadyTaken', `The storage account named ${name} is already taken.`);
      }
      if (existing && !same(existing.resourceGroup, group)) {
        return armError(409, 'StorageAccountAlreadyExists', `The storage account named ${name} already exists under the subscription.`);
      }
      const tags = isTags(body.tags) ? body.tags : {};
      if (existing) {
        // A PUT on an existing account updates it in place (synchronously, as ARM does when nothing is provisioned).
        Object.assign(existing.properties, body.properties ?? {});
        existing.sku = sku(body.sku.name);
        existing.kind = body.kind;
        existing.tags = tags;
        return json(200, accountBody(existing));
      }
      const created = putStorageAccount(fake, {
        subscriptionId: subscription.subscriptionId,
        resourceGroup: group,
        name,
        location: body.location,
        kind: body.kind,
        sku: body.sku.name,
        tags,
        properties: { ...(body.properties ?? {}), provisioningState: 'Creating' },
      });
      const id = randomUUID();
      state.operations.set(id, { account: name, pending: state.createPolls });
      return { status: 202, headers: operationHeaders(fake, ctx.apiVersion, subscription.subscriptionId, created.location, id) };
    }),
  );

  register(
    armRoute('storage account patch', 'PATCH', account, (req, ctx) => {
      const found = lookup(req, ctx.subscription!.subscriptionId, ctx.subscription!.resourceGroups);
      if ('status' in found) return found;
      const body = parse<{ sku?: { name?: unknown }; kind?: unknown; tags?: unknown; properties?: Json }>(req);
      if (!body) return armError(400, 'InvalidRequestContent', 'The request content was invalid and could not be deserialized.');
      Object.assign(found.properties, body.properties ?? {});
      if (typeof body.sku?.name === 'string') found.sku = sku(body.sku.name);
      if (typeof body.kind === 'string') found.kind = body.kind;
      if (isTags(body.tags)) found.tags = body.tags;
      return json(200, accountBody(found));
    }),
  );

  register(
    armRoute(
      'storage asyncoperation get',
      'GET',
      new RegExp(`^${SUBSCRIPTION}${PROVIDER}/locations/(?<location>[^/]+)/asyncoperations/(?<operationId>[^/]+)$`, 'i'),
      (req, ctx) => {
        const operation = state.operations.get(req.params.operationId ?? '');
        const target = operation && state.accounts.get(operation.account);
        if (!operation || !target) return armError(404, 'OperationNotFound', `The operation '${req.params.operationId ?? ''}' could not be found.`);
        if (operation.pending > 0) {
          operation.pending -= 1;
          return { status: 202, headers: operationHeaders(fake, ctx.apiVersion, target.subscriptionId, target.location, req.params.operationId ?? '') };
        }
        target.properties.provisioningState = 'Succeeded';
        state.operations.delete(req.params.operationId ?? '');
        return json(200, accountBody(target));
      },
    ),
  );

  const blobService = new RegExp(`^${ACCOUNT}/blobServices/default$`, 'i');

  register(
    armRoute('storage blobServices get', 'GET', blobService, (req, ctx) => {
      const found = lookup(req, ctx.subscription!.subscriptionId, ctx.subscription!.resourceGroups);
      return 'status' in found ? found : json(200, blobServiceBody(found));
    }),
  );

  register(
    armRoute('storage blobServices put', 'PUT', blobService, (req, ctx) => {
      const found = lookup(req, ctx.subscription!.subscriptionId, ctx.subscription!.resourceGroups);
      if ('status' in found) return found;
      const body = parse<{ properties?: Json }>(req);
      if (!body || typeof body.properties !== 'object' || body.properties === null) {
        return armError(400, 'InvalidRequestContent', 'The request content was invalid and could not be deserialized.');
      }
      for (const key of ['deleteRetentionPolicy', 'containerDeleteRetentionPolicy'] as const) {
        const policy = body.properties[key] as { enabled?: boolean; days?: number } | undefined;
        if (policy?.enabled && (typeof policy.days !== 'number' || policy.days < 1 || policy.days > 365)) {
          return armError(400, 'InvalidValuesForRequestParameters', `Values for request parameters are invalid: ${key}.days must be between 1 and 365.`);
        }
      }
      // The service keeps what the body leaves out; each property given replaces the stored one.
      Object.assign(found.blobService, body.properties);
      return json(200, blobServiceBody(found));
    }),
  );

  const container = new RegExp(`^${ACCOUNT}/blobServices/default/containers/(?<containerName>[^/]+)$`, 'i');

  register(
    armRoute('storage container get', 'GET', container, (req, ctx) => {
      const found = lookup(req, ctx.subscription!.subscriptionId, ctx.subscription!.resourceGroups);
      if ('status' in found) return found;
      const item = found.containers.get(req.params.containerName ?? '');
      return item ? json(200, item) : armError(404, 'ContainerNotFound', 'The specified container does not exist.');
    }),
  );

  register(
    armRoute('storage container put', 'PUT', container, (req, ctx) => {
      const found = lookup(req, ctx.subscription!.subscriptionId, ctx.subscription!.resourceGroups);
      if ('status' in found) return found;
      const name = req.params.containerName ?? '';
      if (!CONTAINER_NAME.test(name)) {
        return armError(400, 'ContainerOperationFailure', 'The specifed resource name contains invalid characters.');
      }
      const body = parse<{ properties?: { publicAccess?: unknown; metadata?: unknown } }>(req) ?? {};
      const publicAccess = typeof body.properties?.publicAccess === 'string' ? body.properties.publicAccess : 'None';
      if (publicAccess !== 'None' && found.properties.allowBlobPublicAccess !== true) {
        return armError(409, 'PublicAccessNotPermitted', 'Public access is not permitted on this storage account.');
      }
      const existing = found.containers.get(name);
      const item = existing ?? containerBody(found, name);
      (item.properties as Json).publicAccess = publicAccess;
      if (isTags(body.properties?.metadata)) (item.properties as Json).metadata = body.properties.metadata;
      found.containers.set(name, item);
      return json(existing ? 200 : 201, item);
    }),
  );

  function inSubscription(subscriptionId: string): FakeStorageAccount[] {
    return [...state.accounts.values()].filter((a) => same(a.subscriptionId, subscriptionId));
  }

  function lookup(req: FakeRequest, subscriptionId: string, groups: Map<string, unknown>): FakeStorageAccount | FakeResponse {
    const group = req.params.resourceGroupName ?? '';
    const name = req.params.accountName ?? '';
    if (!groups.has(group.toLowerCase())) return groupNotFound(group);
    const found = state.accounts.get(name);
    if (!found || !same(found.subscriptionId, subscriptionId) || !same(found.resourceGroup, group)) {
      return armError(
        404,
        'ResourceNotFound',
        `The Resource 'Microsoft.Storage/storageAccounts/${name}' under resource group '${group}' was not found. For more details please go to https://aka.ms/ARMResourceNotFoundFix`,
      );
    }
    return found;
  }
}

/** Creates or replaces an account in the fake's state — also for seeding from a test (any subscription id). */
export function putStorageAccount(
  fake: AzureFake,
  spec: {
    subscriptionId: string;
    resourceGroup: string;
    name: string;
    location?: string;
    kind?: string;
    sku?: string;
    tags?: Record<string, string>;
    properties?: Json;
    blobService?: Json;
  },
): FakeStorageAccount {
  const account: FakeStorageAccount = {
    subscriptionId: spec.subscriptionId,
    resourceGroup: spec.resourceGroup,
    name: spec.name,
    location: spec.location ?? 'eastus',
    kind: spec.kind ?? 'StorageV2',
    sku: sku(spec.sku ?? 'Standard_LRS'),
    tags: spec.tags ?? {},
    properties: {
      provisioningState: 'Succeeded',
      creationTime: new Date().toISOString(),
      accessTier: 'Hot',
      supportsHttpsTrafficOnly: true,
      minimumTlsVersion: 'TLS1_0',
      allowBlobPublicAccess: false,
      encryption: {
        keySource: 'Microsoft.Storage',
        services: { blob: { enabled: true, keyType: 'Account' }, file: { enabled: true, keyType: 'Account' } },
      },
      ...(spec.properties ?? {}),
    },
    blobService: { cors: { corsRules: [] }, deleteRetentionPolicy: { allowPermanentDelete: false, enabled: false }, ...(spec.blobService ?? {}) },
    containers: new Map(),
  };
  storageState(fake).accounts.set(spec.name, account);
  return account;
}

function operationHeaders(fake: AzureFake, apiVersion: string, subscriptionId: string, location: string, id: string): Record<string, string> {
  const url = new URL(`${fake.url}/subscriptions/${subscriptionId}/providers/Microsoft.Storage/locations/${location}/asyncoperations/${id}`);
  url.searchParams.set('monitor', 'true');
  url.searchParams.set('api-version', apiVersion);
  return { Location: url.toString(), 'Retry-After': '1' };
}

function accountId(a: FakeStorageAccount): string {
  return `/subscriptions/${a.subscriptionId}/resourceGroups/${a.resourceGroup}/providers/Microsoft.Storage/storageAccounts/${a.name}`;
}

function accountBody(a: FakeStorageAccount): Json {
  const endpoint = (service: string) => `https://${a.name}.${service}.core.windows.net/`;
  return {
    id: accountId(a),
    name: a.name,
    type: 'Microsoft.Storage/storageAccounts',
    location: a.location,
    kind: a.kind,
    sku: a.sku,
    tags: a.tags,
    properties: {
      ...a.properties,
      primaryEndpoints: Object.fromEntries(['blob', 'dfs', 'file', 'queue', 'table', 'web'].map((s) => [s, endpoint(s)])),
      primaryLocation: a.location,
      statusOfPrimary: 'available',
    },
  };
}

function blobServiceBody(a: FakeStorageAccount): Json {
  return {
    id: `${accountId(a)}/blobServices/default`,
    name: 'default',
    type: 'Microsoft.Storage/storageAccounts/blobServices',
    sku: a.sku,
    properties: a.blobService,
  };
}

function containerBody(a: FakeStorageAccount, name: string): Json {
  return {
    id: `${accountId(a)}/blobServices/default/containers/${name}`,
    name,
    type: 'Microsoft.Storage/storageAccounts/blobServices/containers',
    etag: `"0x${Date.now().toString(16).toUpperCase()}"`,
    properties: {
      publicAccess: 'None',
      leaseStatus: 'Unlocked',
      leaseState: 'Available',
      lastModifiedTime: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
      defaultEncryptionScope: '$account-encryption-key',
      denyEncryptionScopeOverride: false,
      deleted: false,
      remainingRetentionDays: 0,
      hasImmutabilityPolicy: false,
      hasLegalHold: false,
    },
  };
}

function sku(name: string): { name: string; tier: string } {
  return { name, tier: name.startsWith('Premium') ? 'Premium' : 'Standard' };
}

function groupNotFound(name: string): FakeResponse {
  return armError(404, 'ResourceGroupNotFound', `Resource group '${name}' could not be found.`);
}

function parse<T>(req: FakeRequest): T | undefined {
  try {
    const body = req.json<T>();
    return typeof body === 'object' && body !== null ? body : undefined;
  } catch {
    return undefined;
  }
}

function same(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase();
}

function isTags(value: unknown): value is Record<string, string> {
  return typeof value === 'object' && value !== null && Object.values(value).every((v) => typeof v === 'string');
}
