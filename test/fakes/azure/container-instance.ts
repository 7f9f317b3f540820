// Microsoft.ContainerInstance: container groups with long-running operations, instance views, logs and paging.
//
//   const ci = containerInstance(fake);          // this fake's controller (state, knobs, timeline)
//   ci.provisioningDelayMs = 1000;               // every create/update/restart/delete runs 1 s
//   ci.failures.push({ group: 'ci-intent-classifier', image: 'acr.io/intent-classifier:2.0.0-bbb' });
//   ci.crashes.push({ group: 'ci-critic-supervisor' });   // provisions, but its containers never reach Running
//   ci.pageSize = 3;                             // list pages of 3, with nextLink
//   ci.operations / ci.puts                      // what arrived when, and when each operation finished
//
// Routes (api-version 2023-05-01 shapes, from the REST examples in Azure/azure-rest-api-specs:
// specification/containerinstance/resource-manager/Microsoft.ContainerInstance/stable/2023-05-01/examples/
// ContainerGroupsCreateOrUpdate.json, ContainerGroupsGet.json, ContainerGroupsList.json, ContainerListLogs.json …):
//   PUT    …/containerGroups/{name}           201 (create) / 200 (update), provisioningState Creating/Updating,
//                                              Azure-AsyncOperation → the operation status below
//   GET    …/containerGroups/{name}           the group with properties.instanceView and each container's instanceView
//   DELETE …/containerGroups/{name}           202 + Azure-AsyncOperation (204 when there is no such group)
//   POST   …/containerGroups/{name}/restart   202 + Azure-AsyncOperation
//   POST   …/containerGroups/{name}/stop      204; the containers end, instanceView.state Stopped (a PUT or start runs
//                                              them again)
//   POST   …/containerGroups/{name}/start     202 + Azure-AsyncOperation
//   GET    …/containerGroups/{name}/containers/{container}/logs?tail=&timestamps=   { content }
//   GET    …/resourceGroups/{rg}/providers/Microsoft.ContainerInstance/containerGroups   paged with nextLink
//   GET    /subscriptions/{sub}/providers/Microsoft.ContainerInstance/containerGroups     paged with nextLink
//   GET    /subscriptions/{sub}/providers/Microsoft.ContainerInstance/locations/{loc}/operations/{id}
//          { id, name, status: InProgress | Succeeded | Failed | Canceled, startTime, endTime?, error? }
// An operation is InProgress until `provisioningDelayMs` after its request arrived (state advances lazily, on the next
// request, so no timer outlives a test). Secure environment values are stored but never returned, as in Azure.
import { randomUUID } from 'node:crypto';
import type { AzureFake, FakeRequest, Route } from './server.js';
import { armRoute, SUBSCRIPTION } from './arm.js';
import { armError, empty, json } from './respond.js';

export const CONTAINER_GROUP_TYPE = 'Microsoft.ContainerInstance/containerGroups';

/** A create/update whose operation ends Failed. `image` narrows it to PUTs of that image (so a rollback succeeds). */
export interface ProvisioningFailure {
  /** Container group name (case-insensitive). */
  group: string;
  image?: string;
  code?: string;
  message?: string;
  /** How many matching PUTs fail (default: all of them). */
  times?: number;
}

/** A group that provisions but whose containers never reach Running (crash loop). */
export interface CrashRule {
  group: string;
  image?: string;
}

export type OperationKind = 'create' | 'update' | 'delete' | 'restart' | 'start';
export type OperationStatus = 'InProgress' | 'Succeeded' | 'Failed' | 'Canceled';

export interface FakeOperation {
  id: string;
  kind: OperationKind;
  /** Container group name as created. */
  group: string;
  resourceGroup: string;
  /** Request log sequence number of the request that started it. */
  seq: number;
  /** When the starting request arrived (ms since the epoch, sub-millisecond precision). */
  startedAt: number;
  /** When the operation is over (startedAt + provisioningDelayMs at the time). */
  finishesAt: number;
  status: OperationStatus;
  error?: { code: string; message: string };
  /** When a client was first told the terminal status (the LRO "finished" from the client's side). */
  reportedAt?: number;
  /** Images of the PUT that started it (create/update). */
  images?: string[];
}

/** A PUT as received, secure values included (tests assert on what the SDK sent). */
export interface ReceivedPut {
  seq: number;
  at: number;
  group: string;
  resourceGroup: string;
  body: ContainerGroupBody;
}

export interface EnvVar {
  name: string;
  value?: string;
  secureValue?: string;
}

export interface ContainerBody {
  name: string;
  properties: {
    image: string;
    command?: string[];
    ports?: { port: number; protocol?: string }[];
    environmentVariables?: EnvVar[];
    resources: { requests: { cpu: number; memoryInGB: number }; limits?: unknown };
    livenessProbe?: unknown;
    readinessProbe?: unknown;
    [key: string]: unknown;
  };
}

export interface ContainerGroupBody {
  location: string;
  tags?: Record<string, string>;
  zones?: string[];
  identity?: { type?: string; userAssignedIdentities?: Record<string, object> };
  properties: {
    containers: ContainerBody[];
    osType: string;
    restartPolicy?: string;
    imageRegistryCredentials?: { server: string; identity?: string; username?: string; password?: string }[];
    ipAddress?: { type: string; ports: { port: number; protocol?: string }[]; dnsNameLabel?: string };
    subnetIds?: { id: string; name?: string }[];
    [key: string]: unknown;
  };
}

export interface FakeContainerGroup {
  subscriptionId: string;
  resourceGroup: string;
  name: string;
  /** The last accepted PUT body (secure values kept: this is the service's side). */
  body: ContainerGroupBody;
  provisioningState: 'Creating' | 'Updating' | 'Succeeded' | 'Failed' | 'Deleting' | 'Restarting';
  /** The operation in flight, if any. */
  pending?: FakeOperation;
  /** Containers run from this time on (undefined: not started). */
  runningFrom?: number;
  crashing: boolean;
  /** Stopped by POST …/stop (until a PUT or a start). */
  stopped?: boolean;
  failure?: { code: string; message: string };
  restartCount: number;
  ip: string;
  createdOrder: number;
  /** Log lines per container. */
  logs: Map<string, { at: number; text: string }[]>;
}

export interface ContainerInstanceFake {
  /** How long each create/update/restart/delete operation stays InProgress (default 0). */
  provisioningDelayMs: number;
  /** After an operation succeeds, how long containers stay Waiting before Running (default 0). */
  startupDelayMs: number;
  /** Page size of the list operations (default 100). */
  pageSize: number;
  failures: ProvisioningFailure[];
  crashes: CrashRule[];
  /** Every operation started, in arrival order. */
  operations: FakeOperation[];
  /** Every PUT accepted, in arrival order. */
  puts: ReceivedPut[];
  /** Container groups by `sub/rg/name` (lower case). */
  groups: Map<string, FakeContainerGroup>;
  /** The group named so (in any resource group when rg is omitted). */
  group(name: string, resourceGroup?: string): FakeContainerGroup | undefined;
  /** Adds a log line to a container (as if the process wrote it). */
  appendLog(group: string, container: string, text: string, resourceGroup?: string): void;
  /** Brings every operation whose time has come to its end (routes call it; tests may too). */
  advance(now?: number): void;
  /** Restores the defaults and forgets the history (operations, puts); keeps the groups. */
  reset(): void;
}

const controllers = new WeakMap<AzureFake, { ci: ContainerInstanceFake; routes: Route[] }>();

/** The Container Instances controller of a fake (made on first use). */
export function containerInstance(fake: AzureFake): ContainerInstanceFake {
  return controllerOf(fake).ci;
}

/** Adds the Container Instances routes to a fake (called once, by startAzureFake). */
export function registerContainerInstance(fake: AzureFake, register: (route: Route) => void): void {
  for (const route of controllerOf(fake).routes) register(route);
}

function controllerOf(fake: AzureFake): { ci: ContainerInstanceFake; routes: Route[] } {
  let entry = controllers.get(fake);
  if (!entry) {
    entry = createController(fake);
    controllers.set(fake, entry);
  }
  return entry;
}

const now = (): number => performance.timeOrigin + performance.now();

function createController(fake: AzureFake): { ci: ContainerInstanceFake; routes: Route[] } {
  let created = 0;
  const failuresUsed = new WeakMap<ProvisioningFailure, number>();
  const ci: ContainerInstanceFake = {
    provisioningDelayMs: 0,
    startupDelayMs: 0,
    pageSize: 100,
    failures: [],
    crashes: [],
    operations: [],
    puts: [],
    groups: new Map(),
    group(name, resourceGroup) {
      for (const g of ci.groups.values()) {
        if (g.name.toLowerCase() !== name.toLowerCase()) continue;
        if (resourceGroup === undefined || g.resourceGroup.toLowerCase() === resourceGroup.toLowerCase()) return g;
      }
      return undefined;
    },
    appendLog(group, container, text, resourceGroup) {
      const g = ci.group(group, resourceGroup);
      if (!g) throw new Error(`the fake has no container group ${group}`);
      const lines = g.logs.get(container) ?? [];
      lines.push({ at: Date.now(), text });
      g.logs.set(container, lines);
    },
    advance(at = now()) {
      for (const g of [...ci.groups.values()]) {
        const op = g.pending;
        if (!op || op.finishesAt > at) continue;
        finish(g, op);
      }
    },
    reset() {
      ci.provisioningDelayMs = 0;
      ci.startupDelayMs = 0;
      ci.pageSize = 100;
      ci.failures.length = 0;
      ci.crashes.length = 0;
      ci.operations.length = 0;
      ci.puts.length = 0;
    },
  };

  function finish(g: FakeContainerGroup, op: FakeOperation): void {
    g.pending = undefined;
    const key = groupKey(g.subscriptionId, g.resourceGroup, g.name);
    if (op.status !== 'InProgress') return; // superseded
    if (op.error) {
      op.status = 'Failed';
      g.provisioningState = 'Failed';
      g.failure = op.error;
      g.runningFrom = undefined;
      return;
    }
    op.status = 'Succeeded';
    if (op.kind === 'delete') {
      ci.groups.delete(key);
      return;
    }
    if (op.kind === 'restart') g.restartCount += 1;
    g.provisioningState = 'Succeeded';
    g.failure = undefined;
    g.stopped = false;
    g.runningFrom = op.finishesAt + ci.startupDelayMs;
    const when = Math.round(op.finishesAt);
    for (const c of g.body.properties.containers) {
      const lines = g.logs.get(c.name) ?? [];
      lines.push({ at: when, text: `${op.kind === 'restart' ? 'restarted' : 'started'} ${c.name} from ${c.properties.image}` });
      if (!g.crashing) lines.push({ at: when, text: `listening on :${c.properties.ports?.[0]?.port ?? 80}` });
      g.logs.set(c.name, lines);
    }
  }

  /** A failure rule for this PUT, counted as used. */
  function takeFailure(name: string, images: string[]): { code: string; message: string } | undefined {
    for (const rule of ci.failures) {
      if (rule.group.toLowerCase() !== name.toLowerCase()) continue;
      if (rule.image !== undefined && !images.includes(rule.image)) continue;
      const used = (failuresUsed.get(rule) ?? 0) + 1;
      if (used > (rule.times ?? Infinity)) continue;
      failuresUsed.set(rule, used);
      return {
        code: rule.code ?? 'ContainerGroupDeploymentFailed',
        message: rule.message ?? `The container group '${name}' failed to provision (injected by the Azure fake).`,
      };
    }
    return undefined;
  }

  function crashes(name: string, images: string[]): boolean {
    return ci.crashes.some(
      (r) => r.group.toLowerCase() === name.toLowerCase() && (r.image === undefined || images.includes(r.image)),
    );
  }

  function startOperation(
    g: FakeContainerGroup,
    req: FakeRequest,
    kind: OperationKind,
    extra: { error?: { code: string; message: string }; images?: string[] } = {},
  ): FakeOperation {
    const startedAt = now();
    if (g.pending?.status === 'InProgress') {
      // A new request supersedes the one in flight (ARM's last-writer-wins on the resource).
      g.pending.status = 'Canceled';
      g.pending.error = { code: 'OperationCanceled', message: 'Superseded by a later request.' };
    }
    const op: FakeOperation = {
      id: randomUUID(),
      kind,
      group: g.name,
      resourceGroup: g.resourceGroup,
      seq: req.log.seq,
      startedAt,
      finishesAt: startedAt + Math.max(0, ci.provisioningDelayMs),
      status: 'InProgress',
      ...(extra.error ? { error: extra.error } : {}),
      ...(extra.images ? { images: extra.images } : {}),
    };
    ci.operations.push(op);
    g.pending = op;
    return op;
  }

  function operationUrl(g: FakeContainerGroup, op: FakeOperation, apiVersion: string): string {
    const location = encodeURIComponent(g.body.location.replace(/\s+/g, '').toLowerCase());
    return `${fake.url}/subscriptions/${g.subscriptionId}/providers/Microsoft.ContainerInstance/locations/${location}/operations/${op.id}?api-version=${encodeURIComponent(apiVersion)}`;
  }

  function render(g: FakeContainerGroup, at = now()): unknown {
    const body = g.body;
    const running = g.runningFrom !== undefined && at >= g.runningFrom && !g.crashing && g.provisioningState === 'Succeeded';
    const containers = body.properties.containers.map((c) => {
      let currentState: Record<string, unknown>;
      let previousState: Record<string, unknown> | undefined;
      if (g.stopped) {
        currentState = { state: 'Terminated', detailStatus: 'Stopped', exitCode: 0 };
      } else if (running) {
        currentState = { state: 'Running', startTime: new Date(g.runningFrom!).toISOString(), detailStatus: '' };
      } else if (g.provisioningState === 'Failed') {
        currentState = { state: 'Waiting', detailStatus: g.failure?.message ?? 'Failed' };
      } else if (g.crashing && g.runningFrom !== undefined && at >= g.runningFrom) {
        currentState = { state: 'Waiting', detailStatus: 'CrashLoopBackOff: Back-off restarting failed container' };
        previousState = {
          state: 'Terminated',
          exitCode: 1,
          startTime: new Date(g.runningFrom).toISOString(),
          finishTime: new Date(Math.round(at)).toISOString(),
          detailStatus: 'Error',
        };
      } else {
        currentState = { state: 'Waiting', detailStatus: 'ContainerCreating' };
      }
      const crashRestarts = g.crashing && g.runningFrom !== undefined ? Math.max(0, Math.floor((at - g.runningFrom) / 1000)) : 0;
      return {
        name: c.name,
        properties: {
          ...c.properties,
          // Secure values are write-only: a read returns the name alone.
          environmentVariables: (c.properties.environmentVariables ?? []).map((e) =>
            e.secureValue !== undefined ? { name: e.name } : { name: e.name, value: e.value ?? '' },
          ),
          instanceView: {
            restartCount: g.restartCount + crashRestarts,
            currentState,
            ...(previousState ? { previousState } : {}),
            events: [],
          },
        },
      };
    });
    const identities = body.identity?.userAssignedIdentities;
    return {
      id: resourceId(g),
      name: g.name,
      type: CONTAINER_GROUP_TYPE,
      location: body.location,
      ...(body.tags ? { tags: body.tags } : {}),
      ...(body.zones ? { zones: body.zones } : {}),
      ...(body.identity
        ? {
            identity: {
              type: body.identity.type,
              ...(identities
                ? {
                    userAssignedIdentities: Object.fromEntries(
                      Object.keys(identities).map((id) => [id, { principalId: stableUuid(`p:${id}`), clientId: stableUuid(`c:${id}`) }]),
                    ),
                  }
                : {}),
            },
          }
        : {}),
      properties: {
        ...body.properties,
        provisioningState: g.provisioningState,
        containers,
        // Registry passwords are write-only too.
        ...(body.properties.imageRegistryCredentials
          ? { imageRegistryCredentials: body.properties.imageRegistryCredentials.map(({ password: _p, ...rest }) => rest) }
          : {}),
        ...(body.properties.ipAddress ? { ipAddress: { ...body.properties.ipAddress, ip: g.ip } } : {}),
        initContainers: [],
        instanceView: {
          state: g.stopped ? 'Stopped' : running ? 'Running' : g.provisioningState === 'Failed' ? 'Failed' : 'Pending',
          events: [],
        },
      },
    };
  }

  const routes: Route[] = [];
  const register = (route: Route): void => {
    routes.push(route);
  };
  {
    const base = String.raw`${SUBSCRIPTION}/resourceGroups/(?<resourceGroupName>[^/]+)/providers/Microsoft\.ContainerInstance/containerGroups`;
    const one = String.raw`${base}/(?<containerGroupName>[^/]+)`;

    const lookup = (req: FakeRequest, subscriptionId: string): FakeContainerGroup | undefined =>
      ci.groups.get(groupKey(subscriptionId, req.params.resourceGroupName ?? '', req.params.containerGroupName ?? ''));

    register(
      armRoute('aci containergroups put', 'PUT', new RegExp(`^${one}$`, 'i'), (req, ctx) => {
        ci.advance();
        const sub = ctx.subscription!;
        const rgName = req.params.resourceGroupName ?? '';
        const name = req.params.containerGroupName ?? '';
        const rg = sub.resourceGroups.get(rgName.toLowerCase());
        if (!rg) return armError(404, 'ResourceGroupNotFound', `Resource group '${rgName}' could not be found.`);
        let body: ContainerGroupBody | undefined;
        try {
          body = req.json<ContainerGroupBody>();
        } catch {
          return armError(400, 'InvalidRequestContent', 'The request content was invalid and could not be deserialized.');
        }
        const invalid = validate(body, name);
        if (invalid) return invalid;
        const valid = body!;
        const key = groupKey(sub.subscriptionId, rg.name, name);
        const existing = ci.groups.get(key);
        if (existing && existing.body.location.replace(/\s+/g, '').toLowerCase() !== valid.location.replace(/\s+/g, '').toLowerCase()) {
          return armError(
            409,
            'ContainerGroupLocationMismatch',
            `The container group '${name}' already exists in location '${existing.body.location}'; it cannot be moved to '${valid.location}'.`,
          );
        }
        const images = valid.properties.containers.map((c) => c.properties.image);
        const g: FakeContainerGroup = existing ?? {
          subscriptionId: sub.subscriptionId,
          resourceGroup: rg.name,
          name,
          body: valid,
          provisioningState: 'Creating',
          crashing: false,
          restartCount: 0,
          ip: '',
          createdOrder: ++created,
          logs: new Map(),
        };
        g.body = valid;
        g.provisioningState = existing ? 'Updating' : 'Creating';
        g.crashing = crashes(name, images);
        g.stopped = false;
        g.runningFrom = undefined;
        g.failure = undefined;
        g.ip = valid.properties.ipAddress?.type === 'Private' ? `10.0.1.${4 + (g.createdOrder % 250)}` : `20.81.${Math.floor(g.createdOrder / 250)}.${g.createdOrder % 250}`;
        if (!existing) ci.groups.set(key, g);
        const error = takeFailure(name, images);
        const op = startOperation(g, req, existing ? 'update' : 'create', { images, ...(error ? { error } : {}) });
        ci.puts.push({ seq: req.log.seq, at: op.startedAt, group: name, resourceGroup: rg.name, body: valid });
        // Even with a zero delay the answer says Creating/Updating; the next request sees the outcome.
        return json(existing ? 200 : 201, render(g), { 'Azure-AsyncOperation': operationUrl(g, op, ctx.apiVersion) });
      }),
    );

    register(
      armRoute('aci containergroups get', 'GET', new RegExp(`^${one}$`, 'i'), (req, ctx) => {
        ci.advance();
        const g = lookup(req, ctx.subscription!.subscriptionId);
        return g ? json(200, render(g)) : notFound(req);
      }),
    );

    register(
      armRoute('aci containergroups delete', 'DELETE', new RegExp(`^${one}$`, 'i'), (req, ctx) => {
        ci.advance();
        const g = lookup(req, ctx.subscription!.subscriptionId);
        if (!g) return empty(204);
        g.provisioningState = 'Deleting';
        const op = startOperation(g, req, 'delete');
        const url = operationUrl(g, op, ctx.apiVersion);
        return json(202, render(g), { 'Azure-AsyncOperation': url });
      }),
    );

    register(
      armRoute('aci containergroups restart', 'POST', new RegExp(`^${one}/restart$`, 'i'), (req, ctx) => {
        ci.advance();
        const g = lookup(req, ctx.subscription!.subscriptionId);
        if (!g) return notFound(req);
        g.provisioningState = 'Restarting';
        g.runningFrom = undefined;
        const op = startOperation(g, req, 'restart');
        return empty(202, { 'Azure-AsyncOperation': operationUrl(g, op, ctx.apiVersion) });
      }),
    );

    register(
      armRoute('aci containergroups stop', 'POST', new RegExp(`^${one}/stop$`, 'i'), (req, ctx) => {
        ci.advance();
        const g = lookup(req, ctx.subscription!.subscriptionId);
        if (!g) return notFound(req);
        g.stopped = true;
        g.runningFrom = undefined;
        for (const c of g.body.properties.containers) {
          const lines = g.logs.get(c.name) ?? [];
          lines.push({ at: Date.now(), text: `stopped ${c.name}` });
          g.logs.set(c.name, lines);
        }
        return empty(204);
      }),
    );

    register(
      armRoute('aci containergroups start', 'POST', new RegExp(`^${one}/start$`, 'i'), (req, ctx) => {
        ci.advance();
        const g = lookup(req, ctx.subscription!.subscriptionId);
        if (!g) return notFound(req);
        g.provisioningState = 'Updating';
        const op = startOperation(g, req, 'start');
        return empty(202, { 'Azure-AsyncOperation': operationUrl(g, op, ctx.apiVersion) });
      }),
    );

    register(
      armRoute('aci containers logs', 'GET', new RegExp(`^${one}/containers/(?<containerName>[^/]+)/logs$`, 'i'), (req, ctx) => {
        ci.advance();
        const g = lookup(req, ctx.subscription!.subscriptionId);
        if (!g) return notFound(req);
        const container = req.params.containerName ?? '';
        if (!g.body.properties.containers.some((c) => c.name === container)) {
          return armError(404, 'ContainerNotFound', `The container '${container}' could not be found in container group '${g.name}'.`);
        }
        let lines = g.logs.get(container) ?? [];
        const tail = Number(req.query.get('tail') ?? '');
        if (Number.isInteger(tail) && tail > 0) lines = lines.slice(-tail);
        const stamped = req.query.get('timestamps') === 'true';
        const content = lines.map((l) => (stamped ? `${new Date(l.at).toISOString()} ${l.text}` : l.text)).join('\n');
        return json(200, { content: content ? `${content}\n` : '' });
      }),
    );

    const list = (subscriptionId: string, resourceGroup: string | undefined, req: FakeRequest, apiVersion: string) => {
      ci.advance();
      const all = [...ci.groups.values()]
        .filter(
          (g) =>
            g.subscriptionId.toLowerCase() === subscriptionId.toLowerCase() &&
            (resourceGroup === undefined || g.resourceGroup.toLowerCase() === resourceGroup.toLowerCase()),
        )
        .sort((a, b) => a.createdOrder - b.createdOrder);
      const skip = Number(req.query.get('$skiptoken') ?? '0') || 0;
      const size = Math.max(1, ci.pageSize);
      const page = all.slice(skip, skip + size);
      const body: { value: unknown[]; nextLink?: string } = { value: page.map((g) => render(g)) };
      if (skip + size < all.length) {
        const next = new URL(`${fake.url}${req.path}`);
        next.searchParams.set('api-version', apiVersion);
        next.searchParams.set('$skiptoken', String(skip + size));
        body.nextLink = next.toString();
      }
      return json(200, body);
    };

    register(
      armRoute('aci containergroups list by resource group', 'GET', new RegExp(`^${base}$`, 'i'), (req, ctx) => {
        const sub = ctx.subscription!;
        const rgName = req.params.resourceGroupName ?? '';
        if (!sub.resourceGroups.has(rgName.toLowerCase())) {
          return armError(404, 'ResourceGroupNotFound', `Resource group '${rgName}' could not be found.`);
        }
        return list(sub.subscriptionId, rgName, req, ctx.apiVersion);
      }),
    );

    register(
      armRoute(
        'aci containergroups list',
        'GET',
        new RegExp(String.raw`^${SUBSCRIPTION}/providers/Microsoft\.ContainerInstance/containerGroups$`, 'i'),
        (req, ctx) => list(ctx.subscription!.subscriptionId, undefined, req, ctx.apiVersion),
      ),
    );

    register(
      armRoute(
        'aci operation status',
        'GET',
        new RegExp(String.raw`^${SUBSCRIPTION}/providers/Microsoft\.ContainerInstance/locations/(?<location>[^/]+)/operations/(?<operationId>[^/]+)$`, 'i'),
        (req) => {
          const at = now();
          ci.advance(at);
          const op = ci.operations.find((o) => o.id === req.params.operationId);
          if (!op) return armError(404, 'OperationNotFound', `The operation '${req.params.operationId ?? ''}' could not be found.`);
          if (op.status !== 'InProgress') op.reportedAt ??= at;
          return json(200, {
            id: req.path,
            name: op.id,
            status: op.status,
            startTime: new Date(Math.round(op.startedAt)).toISOString(),
            ...(op.status !== 'InProgress' ? { endTime: new Date(Math.round(op.finishesAt)).toISOString() } : {}),
            ...(op.status === 'Failed' || op.status === 'Canceled' ? { error: op.error } : {}),
          });
        },
      ),
    );
  }

  return { ci, routes };
}

function validate(body: ContainerGroupBody | undefined, name: string) {
  if (!/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(name) || name.length > 63) {
    return armError(
      400,
      'InvalidContainerGroupName',
      `The container group name '${name}' is invalid. The name must contain no more than 63 characters, only lowercase letters, numbers and '-', and start and end with a letter or number.`,
    );
  }
  if (typeof body?.location !== 'string' || !body.location) {
    return armError(400, 'LocationRequired', 'The location property is required for this definition.');
  }
  const props = body.properties;
  if (!props || !Array.isArray(props.containers) || props.containers.length === 0) {
    return armError(400, 'InvalidContainerGroupDefinition', `The container group '${name}' must have at least one container.`);
  }
  if (props.osType !== 'Linux' && props.osType !== 'Windows') {
    return armError(400, 'InvalidOsType', `The osType '${String(props.osType)}' is invalid; expected 'Linux' or 'Windows'.`);
  }
  for (const c of props.containers) {
    if (!c?.name || !c.properties?.image) {
      return armError(400, 'InvalidContainerDefinition', `Every container of '${name}' needs a name and an image.`);
    }
    const req = c.properties.resources?.requests;
    if (!req || !(req.cpu > 0) || !(req.memoryInGB > 0)) {
      return armError(400, 'InvalidResourceRequests', `The container '${c.name}' must request cpu and memoryInGB greater than 0.`);
    }
    for (const e of c.properties.environmentVariables ?? []) {
      if (!e?.name) return armError(400, 'InvalidEnvironmentVariable', `An environment variable of container '${c.name}' has no name.`);
    }
  }
  const identities = Object.keys(body.identity?.userAssignedIdentities ?? {}).map((id) => id.toLowerCase());
  for (const cred of props.imageRegistryCredentials ?? []) {
    if (cred.identity !== undefined && !identities.includes(cred.identity.toLowerCase())) {
      return armError(
        400,
        'InvalidImageRegistryCredentialIdentity',
        `The identity '${cred.identity}' of the registry credential for '${cred.server}' is not assigned to the container group.`,
      );
    }
  }
  if (props.ipAddress?.type === 'Private' && !(props.subnetIds?.length ?? 0)) {
    return armError(400, 'PrivateIPAddressNotSupported', 'A private IP address needs the container group to be in a subnet (subnetIds).');
  }
  return undefined;
}

function notFound(req: FakeRequest) {
  return armError(
    404,
    'ResourceNotFound',
    `The Resource '${CONTAINER_GROUP_TYPE}/${req.params.containerGroupName ?? ''}' under resource group '${req.params.resourceGroupName ?? ''}' was not found. For more details please go to https://aka.ms/ARMResourceNotFoundFix`,
  );
}

function groupKey(subscriptionId: string, resourceGroup: string, name: string): string {
  return `${subscriptionId}/${resourceGroup}/${name}`.toLowerCase();
}

function resourceId(g: FakeContainerGroup): string {
  return `/subscriptions/${g.subscriptionId}/resourceGroups/${g.resourceGroup}/providers/${CONTAINER_GROUP_TYPE}/${g.name}`;
}

function stableUuid(seed: string): string {
  let h = 2166136261;
  const bytes: number[] = [];
  for (let i = 0; i < 16; i++) {
    for (const ch of `${seed}#${i}`) h = Math.imul(h ^ ch.charCodeAt(0), 16777619);
    bytes.push((h >>> 0) & 0xff);
  }
  const hex = bytes.map((b) => b.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}
