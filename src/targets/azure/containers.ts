// Azure Container Instances: one container group per agent (and one for NATS), deployed through
// @azure/arm-containerinstance.
//
//   const deployer = new ContainerDeployer(credential, subscriptionId, 'multi-agent-rg', { endpoint: cloud.armEndpoint });
//   await deployer.deploy(specs, p, { rollbackTo: previousRelease.specs });
//
// A deploy PUTs every changed group at once and polls the long-running operations side by side, then waits until each
// group's containers are Running. A group whose spec hash (tag `mac-spec-hash`) matches and that provisioned is left
// alone, or, when it was stopped, started. If any group fails, every group goes back to the previous release's spec and
// the deploy fails naming the groups.
//
// Secure values are never returned by Azure, so the hash is what tells a changed one — but the tag is readable by
// anyone with Reader on the group, and a hash of a value is a test for guesses of it (a short token falls to a
// dictionary). So the hash covers each secure value's Key Vault version (GroupSpec.secureVersions: a new value is a new
// version), never the value. A secure value given without a version cannot be shown unchanged: its group is sent
// again on every deploy.
//
// Transient failures: the SDK pipeline retries 429 (Retry-After) and 5xx itself; on top of that a poll that still fails
// resumes the same operation from the poller's saved state (core-lro otherwise marks the whole operation failed), and a
// create whose first request or first poll failed is sent again (a PUT is idempotent).
//
// Secure environment values go into the PUT body and nowhere else: not into progress lines, errors or their causes
// (SDK errors carry the request, body included, so they are never passed on from a deploy).
import { createHash } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { TokenCredential } from '@azure/identity';
import {
  ContainerInstanceManagementClient,
  type Container,
  type ContainerGroup,
  type ContainerProbe,
  type EnvironmentVariable,
} from '@azure/arm-containerinstance';
import { FailedError, UserError } from '../../errors.js';
import type { LogLine, ProcessStatus, Progress } from '../target.js';
import pRetry, { AbortError } from 'p-retry';

/** Tag holding the hash of the spec a group was deployed from. */
export const SPEC_HASH_TAG = 'mac-spec-hash';
/** Tag naming the agent a group hosts; `status()` lists only groups that carry it. */
export const AGENT_TAG = 'mac-agent';

export interface ProbeSpec {
  /** HTTP path of the liveness probe (default `/health`). */
  liveness?: string;
  /** HTTP path of the readiness probe (default `/ready`). */
  readiness?: string;
  /** Port the probes call (default: the spec's port). */
  port?: number;
}

/** One container group: one agent (or NATS) in one container. */
export interface GroupSpec {
  /** Container group name, e.g. `ci-intent-classifier`. */
  name: string;
  /** Agent name; also the container's name. */
  agent: string;
  /** `<registry>/<agent>:<version>-<sha>`. */
  image: string;
  cpu: number;
  memoryGb: number;
  port: number;
  environment: Record<string, string>;
  /** Values resolved from Key Vault by the caller; sent as `secureValue`, never logged. */
  secureEnvironment: Record<string, string>;
  /**
   * By secure environment name: the Key Vault version id its value was read at (any id that changes with the value and
   * reveals nothing of it). The spec hash covers these instead of the values; a secure name without one makes the
   * group redeploy on every deploy.
   */
  secureVersions?: Record<string, string>;
  /** Resource id of the user-assigned identity the group runs as (and pulls from ACR with). */
  identityId: string;
  /** Subnet for a private IP; without it the group gets a public IP. */
  subnetId?: string;
  location: string;
  tags: Record<string, string>;
  /** Overrides the image's command (e.g. NATS: `['nats-server', '-js', '-sd', '/data']`). */
  command?: string[];
  /** HTTP probes; default `/health` + `/ready` on `port` (the agent runtime's); `null` for none. */
  probes?: ProbeSpec | null;
}

export interface ContainerDeployerOptions {
  /** The cloud's ARM endpoint, e.g. https://management.azure.com. */
  endpoint: string;
  /** Interval between polls of an operation or of a group's instance view (default 5 s). */
  pollIntervalMs?: number;
  /** How long a group may take to provision (default 30 min). */
  operationTimeoutMs?: number;
  /** How long a provisioned group's containers may take to be Running (default 10 min). */
  readyTimeoutMs?: number;
  /** The SDK pipeline's retries (429 with Retry-After, 5xx, network) and this class's own retries of what remains. */
  retry?: { maxRetries?: number; retryDelayInMs?: number; maxRetryDelayInMs?: number };
}

export type GroupAction = 'created' | 'updated' | 'started' | 'unchanged';

export interface GroupOutcome {
  name: string;
  agent: string;
  image: string;
  action: GroupAction;
  provisioningState: string;
  /** Seconds the create/update took (absent when unchanged). */
  seconds?: number;
  ip?: string;
}

export interface DeployOutcome {
  groups: GroupOutcome[];
  changed: number;
  unchanged: number;
}

export interface ContainerStatus {
  name: string;
  image: string;
  /** Running, Waiting, Terminated … as Azure reports it. */
  state: string;
  detail?: string;
  restartCount: number;
}

export interface GroupStatus extends ProcessStatus {
  provisioningState: string;
  image?: string;
  ip?: string;
  specHash?: string;
  containers: ContainerStatus[];
}

export interface GroupFailure {
  name: string;
  reason: string;
}

/** A deploy (or restart) in which some groups failed; `rolledBack` says whether the previous specs were put back. */
export class ContainerDeployError extends FailedError {
  constructor(
    message: string,
    readonly failed: GroupFailure[],
    readonly rolledBack: boolean,
    suggestion?: string,
  ) {
    super(message, suggestion);
  }
}

interface Poller<T> {
  poll(): Promise<void>;
  isDone(): boolean;
  getResult(): T | undefined;
  getOperationState(): { status: string; error?: Error };
  toString(): string;
}

type Redact = (text: string) => string;

interface ApplyResult {
  spec: GroupSpec;
  outcome?: GroupOutcome;
  failure?: GroupFailure;
}

const DEFAULT_POLL_MS = 5_000;
const DEFAULT_OPERATION_TIMEOUT_MS = 30 * 60_000;
const DEFAULT_READY_TIMEOUT_MS = 10 * 60_000;

export class ContainerDeployer {
  private readonly client: ContainerInstanceManagementClient;
  private readonly pollMs: number;
  private readonly operationTimeoutMs: number;
  private readonly readyTimeoutMs: number;
  private readonly attempts: number;
  private readonly backoffMs: number;
  private readonly maxBackoffMs: number;

  constructor(
    credential: TokenCredential,
    readonly subscriptionId: string,
    readonly resourceGroup: string,
    options: ContainerDeployerOptions,
  ) {
    const endpoint = options.endpoint.replace(/\/+$/, '');
    this.client = new ContainerInstanceManagementClient(credential, subscriptionId, {
      endpoint,
      credentialScopes: [`${endpoint}/.default`],
      ...(options.retry ? { retryOptions: options.retry } : {}),
    });
    this.pollMs = options.pollIntervalMs ?? DEFAULT_POLL_MS;
    this.operationTimeoutMs = options.operationTimeoutMs ?? DEFAULT_OPERATION_TIMEOUT_MS;
    this.readyTimeoutMs = options.readyTimeoutMs ?? DEFAULT_READY_TIMEOUT_MS;
    this.attempts = Math.max(1, (options.retry?.maxRetries ?? 3) + 2);
    this.backoffMs = options.retry?.retryDelayInMs ?? 1_000;
    this.maxBackoffMs = options.retry?.maxRetryDelayInMs ?? 30_000;
  }

  /**
   * Creates or updates every group at once and waits until all run. Unchanged groups are skipped. If any group fails
   * and `rollbackTo` (the previous release's specs) is given, every group goes back to its spec there and groups it
   * does not have are deleted; then a ContainerDeployError (a FailedError) names the failed groups.
   */
  async deploy(specs: readonly GroupSpec[], p: Progress, o: { rollbackTo?: readonly GroupSpec[] } = {}): Promise<DeployOutcome> {
    checkSpecs(specs);
    if (o.rollbackTo) checkSpecs(o.rollbackTo);
    const redact = redactor([...specs, ...(o.rollbackTo ?? [])]);
    const say: Progress = (line) => p(redact(line));

    const results = await this.apply(specs, say, redact);
    const failed = results.flatMap((r) => (r.failure ? [r.failure] : []));
    if (failed.length === 0) return summarize(results);

    const names = failed.map((f) => f.name).join(', ');
    const detail = failed.map((f) => `  ${f.name}: ${f.reason}`).join('\n');
    say(`${failed.length} of ${specs.length} container group${specs.length === 1 ? '' : 's'} failed: ${names}`);
    if (!o.rollbackTo) {
      throw new ContainerDeployError(
        redact(`Container groups failed: ${names}\n${detail}`),
        failed,
        false,
        'See `mac status` and `mac logs <agent>`; no previous release was given, so nothing was rolled back.',
      );
    }

    const previous = o.rollbackTo;
    const keep = new Set(previous.map((s) => s.name.toLowerCase()));
    // A group the previous release did not have does not belong after a rollback.
    const extra = specs.filter((s) => !keep.has(s.name.toLowerCase())).map((s) => s.name);
    say(`rolling back ${previous.length} container group${previous.length === 1 ? '' : 's'} to the previous release`);
    const [back, removed] = await Promise.all([
      this.apply(previous, say, redact),
      Promise.all(extra.map((name) => this.removeOne(name, say, redact))),
    ]);
    const rollbackFailed = [
      ...back.flatMap((r) => (r.failure ? [r.failure] : [])),
      ...removed.flatMap((f) => (f ? [f] : [])),
    ];
    if (rollbackFailed.length > 0) {
      const rb = rollbackFailed.map((f) => `  ${f.name}: ${f.reason}`).join('\n');
      throw new ContainerDeployError(
        redact(
          `Container groups failed: ${names}\n${detail}\n` +
            `The rollback to the previous release also failed for ${rollbackFailed.map((f) => f.name).join(', ')}:\n${rb}`,
        ),
        failed,
        false,
        'The environment runs a mix of releases: fix the cause and deploy again, or redeploy the previous release.',
      );
    }
    const changedBack = back.filter((r) => r.outcome && r.outcome.action !== 'unchanged').length;
    throw new ContainerDeployError(
      redact(
        `Container groups failed: ${names}\n${detail}\n` +
          `Rolled back ${previous.length} container group${previous.length === 1 ? '' : 's'} to the previous release ` +
          `(${changedBack} changed back)` +
          (extra.length ? ` and removed ${extra.join(', ')}` : '') +
          '.',
      ),
      failed,
      true,
      'The previous release is running again; see `mac logs <agent>` for why the new one failed.',
    );
  }

  /** Every container group of the resource group that mac deployed (tag `mac-agent`), with its instance view. */
  async status(): Promise<GroupStatus[]> {
    return this.transient(async () => {
      const out: GroupStatus[] = [];
      for await (const g of this.client.containerGroups.listByResourceGroup(this.resourceGroup)) {
        if (!g.tags?.[AGENT_TAG]) continue;
        out.push(toStatus(g));
      }
      return out.sort((a, b) => a.name.localeCompare(b.name));
    });
  }

  /** A container's log (the group's only container when `container` is omitted); `tail` keeps the last lines. */
  async logs(group: string, container?: string, o: { tail?: number } = {}): Promise<LogLine[]> {
    const name =
      container ?? (await this.transient(() => this.client.containerGroups.get(this.resourceGroup, group))).containers[0]?.name;
    if (!name) throw new UserError(`The container group ${group} has no containers.`);
    const res = await this.transient(() =>
      this.client.containers.listLogs(this.resourceGroup, group, name, {
        timestamps: true,
        ...(o.tail !== undefined ? { tail: o.tail } : {}),
      }),
    );
    const lines = (res.content ?? '').split('\n');
    if (lines.at(-1) === '') lines.pop();
    return lines.map((line) => {
      const m = /^(\d{4}-\d{2}-\d{2}T\S+Z) (.*)$/.exec(line);
      return m ? { process: group, ts: m[1], text: m[2] ?? '' } : { process: group, text: line };
    });
  }

  /** Restarts the groups side by side and waits until their containers run again. */
  async restart(groups: readonly string[], p: Progress): Promise<void> {
    const failures = await Promise.all(
      groups.map(async (name): Promise<GroupFailure | undefined> => {
        const started = performance.now();
        try {
          await this.runOperation<void>((resumeFrom) =>
            this.client.containerGroups.beginRestart(this.resourceGroup, name, resumeFrom ? { resumeFrom } : {}),
          );
        } catch (err) {
          const reason = describe(err);
          p(`${name}: restart failed (${seconds(started)}): ${reason}`);
          return { name, reason };
        }
        p(`${name}: restarted (${seconds(started)})`);
        const ready = await this.waitRunning(name, p, (s) => s);
        return ready.failure;
      }),
    );
    const failed = failures.flatMap((f) => (f ? [f] : []));
    if (failed.length) {
      throw new ContainerDeployError(
        `Restart failed for ${failed.map((f) => f.name).join(', ')}\n${failed.map((f) => `  ${f.name}: ${f.reason}`).join('\n')}`,
        failed,
        false,
      );
    }
  }

  /**
   * Stops the groups side by side: their containers end and Azure stops billing them; the groups, their spec and their
   * IP stay. A later deploy starts them again. A group that does not exist is already stopped.
   */
  async stop(groups: readonly string[], p: Progress): Promise<void> {
    const failures = await Promise.all(
      groups.map(async (name): Promise<GroupFailure | undefined> => {
        try {
          await this.transient(() => this.client.containerGroups.stop(this.resourceGroup, name));
        } catch (err) {
          if (statusOf(err) === 404) return undefined;
          const reason = describe(err);
          p(`${name}: stop failed: ${reason}`);
          return { name, reason };
        }
        p(`${name}: stopped`);
        return undefined;
      }),
    );
    const failed = failures.flatMap((f) => (f ? [f] : []));
    if (failed.length) {
      throw new ContainerDeployError(
        `Could not stop ${failed.map((f) => f.name).join(', ')}\n${failed.map((f) => `  ${f.name}: ${f.reason}`).join('\n')}`,
        failed,
        false,
      );
    }
  }

  /** Deletes the groups side by side; a group that does not exist is already removed. */
  async remove(groups: readonly string[], p: Progress): Promise<void> {
    const failed = (await Promise.all(groups.map((name) => this.removeOne(name, p, (s) => s)))).flatMap((f) => (f ? [f] : []));
    if (failed.length) {
      throw new ContainerDeployError(
        `Could not remove ${failed.map((f) => f.name).join(', ')}\n${failed.map((f) => `  ${f.name}: ${f.reason}`).join('\n')}`,
        failed,
        false,
      );
    }
  }

  // ---------------------------------------------------------------------------------------------------------------

  private async apply(specs: readonly GroupSpec[], p: Progress, redact: Redact): Promise<ApplyResult[]> {
    return Promise.all(specs.map((spec) => this.applyOne(spec, p, redact)));
  }

  private async applyOne(spec: GroupSpec, p: Progress, redact: Redact): Promise<ApplyResult> {
    const { name } = spec;
    const fail = (reason: string): ApplyResult => ({ spec, failure: { name, reason: redact(reason) } });
    const hash = specHash(spec);
    const unversioned = unversionedSecrets(spec);
    let current: ContainerGroup | undefined;
    try {
      current = await this.transient(() => this.getOrUndefined(name));
    } catch (err) {
      return fail(`could not read the container group: ${describe(err)}`);
    }
    const stopped = current?.instanceView?.state === 'Stopped';
    const tagMatches = current?.tags?.[SPEC_HASH_TAG] === hash && current.provisioningState === 'Succeeded';
    // Without a version for every secure value, a matching tag does not show that the values are the same.
    const same = tagMatches && unversioned.length === 0;
    if (tagMatches && !same) p(`${name}: sending it again: no Key Vault version for ${unversioned.join(', ')}, so an unchanged value cannot be told`);
    if (current && same && stopped) {
      // Same spec, stopped (mac stop, or a failed first release): start it rather than send the same spec again.
      const started = performance.now();
      p(`${name}: stopped, starting ${imageTag(spec.image)}`);
      try {
        await this.runOperation<void>((resumeFrom) => this.client.containerGroups.beginStart(this.resourceGroup, name, resumeFrom ? { resumeFrom } : {}));
      } catch (err) {
        const reason = describe(err);
        p(`${name}: start failed (${seconds(started)}): ${redact(reason)}`);
        return fail(`start failed: ${reason}`);
      }
      const ready = await this.waitRunning(name, p, redact);
      if (ready.failure) return { spec, failure: ready.failure };
      const took = Math.round((performance.now() - started) / 100) / 10;
      return {
        spec,
        outcome: { name, agent: spec.agent, image: spec.image, action: 'started', provisioningState: 'Succeeded', seconds: took, ...(ready.ip ? { ip: ready.ip } : {}) },
      };
    }
    if (current && same) {
      p(`${name}: unchanged (${imageTag(spec.image)})`);
      return {
        spec,
        outcome: {
          name,
          agent: spec.agent,
          image: spec.image,
          action: 'unchanged',
          provisioningState: 'Succeeded',
          ...(current.ipAddress?.ip ? { ip: current.ipAddress.ip } : {}),
        },
      };
    }

    const action: GroupAction = current ? 'updated' : 'created';
    let initial = current ? 'Updating' : 'Creating';
    const started = performance.now();
    p(`${name}: ${initial} ${spec.image}`);
    let final: ContainerGroup | undefined;
    try {
      final = await this.runOperation((resumeFrom) =>
        this.client.containerGroups.beginCreateOrUpdate(this.resourceGroup, name, containerGroupBody(spec), {
          ...(resumeFrom ? { resumeFrom } : {}),
          onResponse: (raw) => {
            const state = (raw.parsedBody as { properties?: { provisioningState?: unknown } } | undefined)?.properties?.provisioningState;
            if (raw.request.method === 'PUT' && typeof state === 'string') initial = state;
          },
        }),
      );
    } catch (err) {
      const reason = describe(err);
      p(`${name}: ${initial} → Failed (${seconds(started)}): ${redact(reason)}`);
      return fail(reason);
    }
    const state = final?.provisioningState ?? 'Succeeded';
    p(`${name}: ${initial} → ${state} (${seconds(started)})`);
    if (state !== 'Succeeded') return fail(`provisioning ended ${state}`);
    const took = Math.round((performance.now() - started) / 100) / 10;

    const ready = await this.waitRunning(name, p, redact);
    if (ready.failure) return { spec, failure: ready.failure };
    return {
      spec,
      outcome: {
        name,
        agent: spec.agent,
        image: spec.image,
        action,
        provisioningState: 'Succeeded',
        seconds: took,
        ...(ready.ip ? { ip: ready.ip } : {}),
      },
    };
  }

  /** Polls the instance view until every container is Running, the group failed, or the ready timeout passed. */
  private async waitRunning(name: string, p: Progress, redact: Redact): Promise<{ ip?: string; failure?: GroupFailure }> {
    const started = performance.now();
    const deadline = started + this.readyTimeoutMs;
    for (;;) {
      let group: ContainerGroup;
      try {
        group = await this.transient(() => this.client.containerGroups.get(this.resourceGroup, name));
      } catch (err) {
        return { failure: { name, reason: redact(`could not read the instance view: ${describe(err)}`) } };
      }
      const containers = group.containers.map(containerStatus);
      const ip = group.ipAddress?.ip;
      if (group.provisioningState === 'Succeeded' && containers.length > 0 && containers.every((c) => c.state === 'Running')) {
        p(`${name}: Running${ip ? ` at ${ip}` : ''}`);
        return ip ? { ip } : {};
      }
      const waiting = containers
        .filter((c) => c.state !== 'Running')
        .map((c) => `${c.name} ${c.state}${c.detail ? ` (${c.detail})` : ''}`)
        .join(', ');
      if (group.provisioningState === 'Failed') {
        const reason = redact(`provisioning Failed${waiting ? `: ${waiting}` : ''}`);
        p(`${name}: ${reason}`);
        return { failure: { name, reason } };
      }
      if (performance.now() >= deadline) {
        const reason = redact(`not Running after ${seconds(started)}${waiting ? `: ${waiting}` : ''}`);
        p(`${name}: ${reason}`);
        return { failure: { name, reason } };
      }
      await sleep(Math.min(this.pollMs, Math.max(0, deadline - performance.now())));
    }
  }

  private async removeOne(name: string, p: Progress, redact: Redact): Promise<GroupFailure | undefined> {
    const started = performance.now();
    try {
      await this.runOperation((resumeFrom) =>
        this.client.containerGroups.beginDelete(this.resourceGroup, name, resumeFrom ? { resumeFrom } : {}),
      );
    } catch (err) {
      if (statusOf(err) === 404) {
        p(`${name}: already removed`);
        return undefined;
      }
      const reason = redact(describe(err));
      p(`${name}: removal failed (${seconds(started)}): ${reason}`);
      return { name, reason };
    }
    p(`${name}: removed (${seconds(started)})`);
    return undefined;
  }

  /**
   * Drives a long-running operation to its end: one poll per interval. A poll that fails transiently (after the
   * pipeline's own retries) is retried by resuming the operation from the state saved before it; an initial request
   * that fails transiently is sent again. Each step may fail `attempts` times in a row. The operation's own failure
   * (status Failed) and the last transient error are thrown as they are.
   */
  private async runOperation<T>(start: (resumeFrom?: string) => Promise<Poller<T>>): Promise<T | undefined> {
    const deadline = performance.now() + this.operationTimeoutMs;
    const overdue = (): void => {
      if (performance.now() > deadline) throw new Error(`the operation did not finish within ${Math.round(this.operationTimeoutMs / 1000)} s`);
    };
    let poller = await this.transient((attempt) => {
      if (attempt > 1) overdue();
      return start();
    });
    while (!poller.isDone()) {
      overdue();
      const saved = poller.toString();
      const polling = poller;
      poller = await this.transient(async (attempt) => {
        if (attempt > 1) {
          overdue();
          return start(saved);
        }
        await sleep(this.pollMs);
        await polling.poll();
        return polling;
      });
    }
    const state = poller.getOperationState();
    if (state.status !== 'succeeded') throw state.error ?? new Error(`the operation ended ${state.status}`);
    return poller.getResult();
  }

  /**
   * Runs a call again when it fails transiently (429, 5xx, network) after the pipeline's own retries: `attempts` tries
   * in all, 1 s, 2 s, 4 s … (at most 30 s) apart. Any other error, and the last try's, is thrown as it is.
   */
  private transient<T>(call: (attempt: number) => Promise<T>): Promise<T> {
    return pRetry(
      async (attempt) => {
        try {
          return await call(attempt);
        } catch (err) {
          if (attempt < this.attempts && isTransient(err)) throw err;
          // Not p-retry's choice of error (its most frequent message): this one, unwrapped.
          throw new AbortError(err as Error);
        }
      },
      { retries: this.attempts - 1, factor: 2, minTimeout: this.backoffMs, maxTimeout: this.maxBackoffMs, randomize: false },
    );
  }

  private async getOrUndefined(name: string): Promise<ContainerGroup | undefined> {
    try {
      return await this.client.containerGroups.get(this.resourceGroup, name);
    } catch (err) {
      if (statusOf(err) === 404) return undefined;
      throw err;
    }
  }
}

/**
 * The hash kept in the `mac-spec-hash` tag: everything that makes a group what it is. Of the secure environment, the
 * names and their versions (secureVersions), never the values: the tag is readable with Reader (see the header).
 */
export function specHash(spec: GroupSpec): string {
  const sorted = (r: Record<string, string>): [string, string][] => Object.entries(r).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const canonical = JSON.stringify({
    v: 2,
    agent: spec.agent,
    image: spec.image,
    cpu: spec.cpu,
    memoryGb: spec.memoryGb,
    port: spec.port,
    environment: sorted(spec.environment),
    secure: Object.keys(spec.secureEnvironment)
      .sort()
      .map((name) => [name, spec.secureVersions?.[name] ?? null]),
    identityId: spec.identityId.toLowerCase(),
    subnetId: spec.subnetId?.toLowerCase() ?? null,
    location: spec.location.replace(/\s+/g, '').toLowerCase(),
    tags: sorted(Object.fromEntries(Object.entries(spec.tags).filter(([k]) => k !== SPEC_HASH_TAG && k !== AGENT_TAG))),
    command: spec.command ?? null,
    probes:
      spec.probes === undefined
        ? 'default'
        : spec.probes === null
          ? null
          : [spec.probes.liveness ?? null, spec.probes.readiness ?? null, spec.probes.port ?? null],
  });
  return createHash('sha256').update(canonical).digest('hex').slice(0, 32);
}

/** The secure environment names the spec gives no version for. */
function unversionedSecrets(spec: GroupSpec): string[] {
  return Object.keys(spec.secureEnvironment)
    .filter((name) => !spec.secureVersions?.[name])
    .sort();
}

/** The ContainerGroup resource for a spec (what `deploy` PUTs). */
export function containerGroupBody(spec: GroupSpec): ContainerGroup {
  const environmentVariables: EnvironmentVariable[] = [
    ...Object.entries(spec.environment)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([name, value]) => ({ name, value })),
    ...Object.entries(spec.secureEnvironment)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([name, secureValue]) => ({ name, secureValue })),
  ];
  const container: Container = {
    name: spec.agent,
    image: spec.image,
    ...(spec.command ? { command: spec.command } : {}),
    ports: [{ port: spec.port, protocol: 'TCP' }],
    environmentVariables,
    resources: { requests: { cpu: spec.cpu, memoryInGB: spec.memoryGb } },
    ...probes(spec),
  };
  const registry = registryHost(spec.image);
  return {
    location: spec.location,
    tags: { ...spec.tags, [AGENT_TAG]: spec.agent, [SPEC_HASH_TAG]: specHash(spec) },
    identity: { type: 'UserAssigned', userAssignedIdentities: { [spec.identityId]: {} } },
    osType: 'Linux',
    restartPolicy: 'Always',
    containers: [container],
    ipAddress: { type: spec.subnetId ? 'Private' : 'Public', ports: [{ port: spec.port, protocol: 'TCP' }] },
    ...(spec.subnetId ? { subnetIds: [{ id: spec.subnetId }] } : {}),
    // ACR pulls with the group's identity (AcrPull), so no registry password exists anywhere.
    ...(registry && /\.azurecr\.[a-z.]+$/i.test(registry) ? { imageRegistryCredentials: [{ server: registry, identity: spec.identityId }] } : {}),
  };
}

function probes(spec: GroupSpec): { livenessProbe?: ContainerProbe; readinessProbe?: ContainerProbe } {
  if (spec.probes === null) return {};
  const port = spec.probes?.port ?? spec.port;
  const probe = (path: string, initialDelaySeconds: number): ContainerProbe => ({
    httpGet: { path, port, scheme: 'http' },
    initialDelaySeconds,
    periodSeconds: 10,
    failureThreshold: 3,
    timeoutSeconds: 5,
  });
  return {
    livenessProbe: probe(spec.probes?.liveness ?? '/health', 15),
    readinessProbe: probe(spec.probes?.readiness ?? '/ready', 5),
  };
}

function registryHost(image: string): string | undefined {
  const slash = image.indexOf('/');
  if (slash < 0) return undefined;
  const host = image.slice(0, slash);
  return /[.:]/.test(host) || host === 'localhost' ? host : undefined;
}

function imageTag(image: string): string {
  const at = image.lastIndexOf(':');
  return at > image.lastIndexOf('/') ? image.slice(at + 1) : image;
}

function checkSpecs(specs: readonly GroupSpec[]): void {
  const seen = new Set<string>();
  for (const s of specs) {
    const key = s.name.toLowerCase();
    if (seen.has(key)) throw new UserError(`Two container group specs are named ${s.name}.`);
    seen.add(key);
  }
}

function summarize(results: ApplyResult[]): DeployOutcome {
  const groups = results.flatMap((r) => (r.outcome ? [r.outcome] : []));
  const unchanged = groups.filter((g) => g.action === 'unchanged').length;
  return { groups, changed: groups.length - unchanged, unchanged };
}

function containerStatus(c: Container): ContainerStatus {
  const current = c.instanceView?.currentState;
  return {
    name: c.name,
    image: c.image,
    state: current?.state ?? 'Unknown',
    ...(current?.detailStatus ? { detail: current.detailStatus } : {}),
    restartCount: c.instanceView?.restartCount ?? 0,
  };
}

function toStatus(g: ContainerGroup): GroupStatus {
  const containers = g.containers.map(containerStatus);
  const provisioningState = g.provisioningState ?? 'Unknown';
  const running = provisioningState === 'Succeeded' && containers.length > 0 && containers.every((c) => c.state === 'Running');
  const stopped = g.instanceView?.state === 'Stopped';
  const ip = g.ipAddress?.ip;
  const port = g.ipAddress?.ports[0]?.port;
  const startTime = g.containers[0]?.instanceView?.currentState?.startTime;
  const specHash = g.tags?.[SPEC_HASH_TAG];
  const first = containers[0];
  return {
    name: g.name ?? '',
    agents: [g.tags?.[AGENT_TAG] ?? ''],
    state: running ? 'running' : stopped ? 'stopped' : 'unhealthy',
    provisioningState,
    ...(first ? { image: first.image } : {}),
    ...(ip ? { ip } : {}),
    ...(ip && port ? { url: `http://${ip}:${port}` } : {}),
    ...(running && startTime ? { startedAt: startTime.toISOString() } : {}),
    ...(specHash ? { specHash } : {}),
    containers,
  };
}

/** Replaces every secure value of these specs (4 characters or longer) in a text. */
function redactor(specs: readonly GroupSpec[]): Redact {
  const values = [...new Set(specs.flatMap((s) => Object.values(s.secureEnvironment)))]
    .filter((v) => v.length >= 4)
    .sort((a, b) => b.length - a.length);
  return (text) => values.reduce((t, v) => t.split(v).join('[secure]'), text);
}

function statusOf(err: unknown): number | undefined {
  const code = (err as { statusCode?: unknown } | null)?.statusCode;
  return typeof code === 'number' ? code : undefined;
}

function isTransient(err: unknown): boolean {
  if (!(err instanceof Error) || err.name !== 'RestError') return false;
  const status = statusOf(err);
  return status === undefined || status === 408 || status === 429 || status >= 500;
}

/** A one-line reason from an SDK or LRO error: the ARM error code and message, nothing from the request. */
function describe(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  const lro = /^The long-running operation has failed\.\s*(.*)$/s.exec(err.message);
  if (lro) {
    const [code, ...rest] = (lro[1] ?? '').split('. ');
    return rest.length ? `${code}: ${rest.join('. ')}` : (lro[1] ?? err.message);
  }
  const status = statusOf(err);
  const code = (err as { code?: unknown }).code;
  const prefix = [status, typeof code === 'string' ? code : undefined].filter(Boolean).join(' ');
  return `${prefix ? `${prefix}: ` : ''}${err.message.split('\n')[0] ?? ''}`;
}

function seconds(startedMs: number): string {
  return `${((performance.now() - startedMs) / 1000).toFixed(1)}s`;
}
