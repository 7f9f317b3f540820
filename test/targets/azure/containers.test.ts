// Container Instances deploys through the real @azure/arm-containerinstance client, against the HTTPS Azure fake:
// what the SDK PUTs, that the groups go up side by side, skip-if-unchanged, rollback of every group when one fails,
// throttling and 5xx on every kind of request, list paging, status/logs/restart/remove, and no secure value anywhere
// but the PUT bodies.
//
// Credential: the fake's service principal through DefaultAzureCredential (src/azure/credential.ts) restricted to
// EnvironmentCredential, so nothing ever probes IMDS; a loopback-only guard proves no other connection was tried.
import { inspect } from 'node:util';
import { createHash, randomUUID } from 'node:crypto';
import { ContainerInstanceManagementClient } from '@azure/arm-containerinstance';
import type { TokenCredential } from '@azure/identity';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createCredential } from '../../../src/azure/credential.js';
import { AGENT_NAMES } from '../../../src/config/schema.js';
import { FailedError } from '../../../src/errors.js';
import {
  AGENT_TAG,
  ContainerDeployer,
  ContainerDeployError,
  SPEC_HASH_TAG,
  specHash,
  type ContainerDeployerOptions,
  type GroupSpec,
} from '../../../src/targets/azure/containers.js';
import { blockNonLoopback, type NetworkGuard } from '../../setup/no-network.js';
import { seedResourceGroup } from '../../fakes/azure/arm-resources.js';
import { containerInstance, type ContainerInstanceFake, type EnvVar } from '../../fakes/azure/container-instance.js';
import { on, startAzureFake, type AzureFake, type FakeRequest } from '../../fakes/azure/server.js';
import { isolateAzureEnv } from '../../fakes/azure/process-env.js';
import { fakeCredentialEnv } from '../../fakes/azure/sign-in.js';

const REGISTRY = 'macprodacr.azurecr.io';
const SECRET_OPENAI = `sk-canary-${randomUUID()}`;
const SECRET_INSIGHTS = `InstrumentationKey=${randomUUID()};IngestionEndpoint=https://canary.example`;
const SECRET_NATS = `nats-canary-${randomUUID()}`;
const SECRETS = [SECRET_OPENAI, SECRET_INSIGHTS, SECRET_NATS];
/** Key Vault version ids of the secure values (what the spec hash covers instead of the values). */
const VERSIONS = {
  AZURE_OPENAI_API_KEY: 'a1f0c3e5b7d94e2f8a6c0b1d2e3f4a5b',
  APPLICATIONINSIGHTS_CONNECTION_STRING: 'b2e1d4f6c8e05f3a9b7d1c2e3f4a5b6c',
  NATS_AUTH_TOKEN: 'c3d2e5a7d9f16a4b0c8e2d3f4a5b6c7d',
};

let fake: AzureFake;
let ci: ContainerInstanceFake;
let guard: NetworkGuard;
let credential: TokenCredential;
let restoreEnv: (() => void) | undefined;
let rg: string;
let rgCount = 0;
/** Every progress line of the test (checked for secure values after each test). */
let lines: string[];
const progress = (line: string): void => {
  lines.push(line);
};

beforeAll(async () => {
  guard = blockNonLoopback();
  fake = await startAzureFake();
  ci = containerInstance(fake);
  restoreEnv = isolateAzureEnv();
  Object.assign(process.env, fakeCredentialEnv(fake));
  credential = createCredential({ armEndpoint: fake.url, authorityHost: fake.url, keyVaultDnsSuffix: 'vault.localhost' });
});
afterAll(async () => {
  restoreEnv?.();
  await fake?.close();
  guard?.restore();
});
beforeEach(() => {
  rg = `mac-ci-${++rgCount}`;
  seedResourceGroup(fake, rg, { location: 'eastus' });
  ci.reset();
  lines = [];
});
afterEach(() => {
  const unmatched = fake.unmatched();
  fake.reset();
  expect(guard.attempts, 'connections attempted outside loopback').toEqual([]);
  expect(unmatched.map((r) => `${r.method} ${r.path}`), 'requests the fake has no route for').toEqual([]);
  for (const secret of SECRETS) expect(lines.join('\n')).not.toContain(secret);
});

function deployer(options: Partial<ContainerDeployerOptions> = {}): ContainerDeployer {
  return new ContainerDeployer(credential, fake.subscriptionId, rg, {
    endpoint: fake.url,
    pollIntervalMs: 50,
    readyTimeoutMs: 5_000,
    retry: { maxRetries: 3, retryDelayInMs: 10, maxRetryDelayInMs: 100 },
    ...options,
  });
}

const identityId = (): string =>
  `/subscriptions/${fake.subscriptionId}/resourceGroups/${rg}/providers/Microsoft.ManagedIdentity/userAssignedIdentities/mac-agents`;
const subnetId = (): string =>
  `/subscriptions/${fake.subscriptionId}/resourceGroups/${rg}/providers/Microsoft.Network/virtualNetworks/mac-vnet/subnets/containers`;

const SIZES: Record<string, [cpu: number, memoryGb: number]> = {
  'intent-classifier': [1, 2],
  'knowledge-retrieval': [1, 2],
  'critic-supervisor': [0.5, 1],
};

/** Eight agent groups + NATS, as a release `<version>-<sha>` would deploy them. */
function release(version: string, sha: string, natsVersion = '2.10.22'): GroupSpec[] {
  const agents = AGENT_NAMES.map((agent): GroupSpec => {
    const [cpu, memoryGb] = SIZES[agent] ?? [0.5, 1.5];
    return {
      name: `ci-${agent}`,
      agent,
      image: `${REGISTRY}/${agent}:${version}-${sha}`,
      cpu,
      memoryGb,
      port: 8080,
      environment: { AGENT_NAME: agent, NATS_URL: 'nats://ci-nats:4222', MAC_TRANSPORT: 'nats', LOG_LEVEL: 'info' },
      secureEnvironment: { AZURE_OPENAI_API_KEY: SECRET_OPENAI, APPLICATIONINSIGHTS_CONNECTION_STRING: SECRET_INSIGHTS },
      secureVersions: { AZURE_OPENAI_API_KEY: VERSIONS.AZURE_OPENAI_API_KEY, APPLICATIONINSIGHTS_CONNECTION_STRING: VERSIONS.APPLICATIONINSIGHTS_CONNECTION_STRING },
      identityId: identityId(),
      subnetId: subnetId(),
      location: 'eastus',
      tags: { environment: 'prod', release: `${version}-${sha}` },
    };
  });
  const nats: GroupSpec = {
    name: 'ci-nats',
    agent: 'nats',
    image: `${REGISTRY}/nats:${natsVersion}`,
    cpu: 0.5,
    memoryGb: 1,
    port: 4222,
    command: ['nats-server', '-js', '-sd', '/data', '-m', '8222'],
    probes: { liveness: '/healthz', readiness: '/healthz?js-enabled-only=true', port: 8222 },
    environment: {},
    secureEnvironment: { NATS_AUTH_TOKEN: SECRET_NATS },
    secureVersions: { NATS_AUTH_TOKEN: VERSIONS.NATS_AUTH_TOKEN },
    identityId: identityId(),
    subnetId: subnetId(),
    location: 'eastus',
    tags: { environment: 'prod' },
  };
  return [...agents, nats];
}

const envOf = (vars: EnvVar[] | undefined): Record<string, EnvVar> => Object.fromEntries((vars ?? []).map((e) => [e.name, e]));
const putsIn = () => ci.puts.filter((p) => p.resourceGroup === rg);

const isArm = (req: FakeRequest): boolean => req.path.toLowerCase().startsWith('/subscriptions/');

describe('ContainerDeployer.deploy', () => {
  it('creates the eight agent groups and NATS with the right image, size, identity, environment and secure values', async () => {
    const specs = release('1.4.0', 'a1b2c3d');
    const outcome = await deployer().deploy(specs, progress);

    expect(outcome.changed).toBe(9);
    expect(outcome.unchanged).toBe(0);
    expect(outcome.groups.map((g) => [g.name, g.action, g.provisioningState])).toEqual(
      specs.map((s) => [s.name, 'created', 'Succeeded']),
    );
    expect(outcome.groups.every((g) => /^10\.0\.1\.\d+$/.test(g.ip ?? ''))).toBe(true);

    const puts = putsIn();
    expect(puts.map((p) => p.group).sort()).toEqual(specs.map((s) => s.name).sort());
    for (const spec of specs) {
      const body = puts.find((p) => p.group === spec.name)!.body;
      const container = body.properties.containers[0]!;
      expect(body.properties.containers).toHaveLength(1);
      expect(container.name).toBe(spec.agent);
      expect(container.properties.image).toBe(spec.image);
      expect(container.properties.resources.requests).toEqual({ cpu: spec.cpu, memoryInGB: spec.memoryGb });
      expect(container.properties.ports).toEqual([{ port: spec.port, protocol: 'TCP' }]);
      expect(body.location).toBe('eastus');
      expect(body.identity).toEqual({ type: 'UserAssigned', userAssignedIdentities: { [identityId()]: {} } });
      expect(body.properties.osType).toBe('Linux');
      expect(body.properties.restartPolicy).toBe('Always');
      expect(body.properties.ipAddress).toEqual({ type: 'Private', ports: [{ port: spec.port, protocol: 'TCP' }] });
      expect(body.properties.subnetIds).toEqual([{ id: subnetId() }]);
      // ACR pulls with the group's identity: no registry password anywhere.
      expect(body.properties.imageRegistryCredentials).toEqual([{ server: REGISTRY, identity: identityId() }]);
      expect(body.tags).toMatchObject({ ...spec.tags, [AGENT_TAG]: spec.agent, [SPEC_HASH_TAG]: expect.stringMatching(/^[0-9a-f]{32}$/) });

      const env = envOf(container.properties.environmentVariables);
      for (const [name, value] of Object.entries(spec.environment)) expect(env[name]).toEqual({ name, value });
      for (const [name, secureValue] of Object.entries(spec.secureEnvironment)) expect(env[name]).toEqual({ name, secureValue });
      expect(Object.keys(env).sort()).toEqual([...Object.keys(spec.environment), ...Object.keys(spec.secureEnvironment)].sort());
    }
    const nats = puts.find((p) => p.group === 'ci-nats')!.body.properties.containers[0]!.properties;
    expect(nats.command).toEqual(['nats-server', '-js', '-sd', '/data', '-m', '8222']);
    expect(nats.livenessProbe).toMatchObject({ httpGet: { path: '/healthz', port: 8222, scheme: 'http' } });
    const intent = puts.find((p) => p.group === 'ci-intent-classifier')!.body.properties.containers[0]!.properties;
    expect(intent.livenessProbe).toMatchObject({ httpGet: { path: '/health', port: 8080, scheme: 'http' } });
    expect(intent.readinessProbe).toMatchObject({ httpGet: { path: '/ready', port: 8080, scheme: 'http' } });

    // The SDK spoke the 2023-05-01 API with an ARM token, and polled each operation to its end.
    const putLog = fake.requests.filter((r) => r.route === 'aci containergroups put');
    expect(putLog).toHaveLength(9);
    expect(putLog.every((r) => r.query['api-version'] === '2023-05-01' && r.token?.status === 'valid' && r.status === 201)).toBe(true);
    expect(fake.requests.filter((r) => r.route === 'aci operation status').length).toBeGreaterThanOrEqual(9);

    // Azure never gives a secure value back.
    const group = await new ContainerInstanceManagementClient(credential, fake.subscriptionId, { endpoint: fake.url }).containerGroups.get(
      rg,
      'ci-intent-classifier',
    );
    expect(group.containers[0]?.environmentVariables?.find((e) => e.name === 'AZURE_OPENAI_API_KEY')).toEqual({
      name: 'AZURE_OPENAI_API_KEY',
    });

    expect(lines).toContain(`ci-intent-classifier: Creating ${REGISTRY}/intent-classifier:1.4.0-a1b2c3d`);
    expect(lines.some((l) => /^ci-intent-classifier: Creating → Succeeded \(\d+\.\d+s\)$/.test(l))).toBe(true);
    expect(lines.some((l) => /^ci-nats: Running at 10\.0\.1\.\d+$/.test(l))).toBe(true);
  });

  it('creates every group concurrently: all PUTs arrive before the first operation finishes', async () => {
    ci.provisioningDelayMs = 1_000;
    await deployer().deploy(release('1.4.0', 'a1b2c3d'), progress);

    const ops = ci.operations.filter((o) => o.resourceGroup === rg && o.kind === 'create');
    expect(ops).toHaveLength(9);
    const lastPut = Math.max(...ops.map((o) => o.startedAt));
    const firstDone = Math.min(...ops.map((o) => o.reportedAt!));
    const lastDone = Math.max(...ops.map((o) => o.reportedAt!));
    const firstPut = Math.min(...ops.map((o) => o.startedAt));
    expect(ops.every((o) => o.status === 'Succeeded' && o.reportedAt! - o.startedAt >= 1_000)).toBe(true);
    expect(lastPut).toBeLessThan(firstDone);
    expect(lastDone - firstPut).toBeLessThan(2 * 1_000);
  });

  it('skips groups whose spec is unchanged, and redeploys one whose secure value changed', async () => {
    const v1 = release('1.4.0', 'a1b2c3d');
    await deployer().deploy(v1, progress);
    ci.puts.length = 0;
    fake.reset();

    const again = await deployer().deploy(release('1.4.0', 'a1b2c3d'), progress);
    expect(again).toMatchObject({ changed: 0, unchanged: 9 });
    expect(putsIn()).toEqual([]);
    expect(lines).toContain('ci-nats: unchanged (2.10.22)');

    const v2 = release('1.5.0', 'd4e5f6a'); // a new agent image; NATS stays as it is
    const second = await deployer().deploy(v2, progress);
    expect(second).toMatchObject({ changed: 8, unchanged: 1 });
    expect(second.groups.find((g) => g.name === 'ci-nats')?.action).toBe('unchanged');
    expect(putsIn().map((p) => p.group).sort()).toEqual(v2.filter((s) => s.agent !== 'nats').map((s) => s.name).sort());
    expect(fake.requests.filter((r) => r.route === 'aci containergroups put').every((r) => r.status === 200)).toBe(true);
    ci.puts.length = 0;

    // A rotated secret changes nothing Azure shows, but the spec hash sees its new Key Vault version.
    const rotated = release('1.5.0', 'd4e5f6a').map((s) =>
      s.agent === 'nats'
        ? { ...s, secureEnvironment: { NATS_AUTH_TOKEN: `${SECRET_NATS}-v2` }, secureVersions: { NATS_AUTH_TOKEN: 'd4c3f6b8e0a27b5c1d9f3e4a5b6c7d8e' } }
        : s,
    );
    const third = await deployer().deploy(rotated, progress);
    expect(third).toMatchObject({ changed: 1, unchanged: 8 });
    expect(putsIn().map((p) => p.group)).toEqual(['ci-nats']);
    expect(envOf(putsIn()[0]?.body.properties.containers[0]?.properties.environmentVariables).NATS_AUTH_TOKEN).toEqual({
      name: 'NATS_AUTH_TOKEN',
      secureValue: `${SECRET_NATS}-v2`,
    });
  });

  it('the spec-hash tag, readable with Reader, is no test for guesses of a secure value; a new version changes it', async () => {
    // A weak token, the kind a dictionary holds.
    const weak = 'changeme1';
    const spec: GroupSpec = { ...release('1.4.0', 'a1b2c3d').find((s) => s.agent === 'nats')!, secureEnvironment: { NATS_AUTH_TOKEN: weak } };
    await deployer().deploy([spec], progress);

    // What anyone with Reader on the group sees.
    const reader = new ContainerInstanceManagementClient(credential, fake.subscriptionId, { endpoint: fake.url });
    const seen = await reader.containerGroups.get(rg, spec.name);
    const tag = seen.tags?.[SPEC_HASH_TAG] ?? '';
    expect(tag).toMatch(/^[0-9a-f]{32}$/);
    const sha = (text: string) => createHash('sha256').update(text).digest('hex');
    const digests = [sha(weak), sha(JSON.stringify([['NATS_AUTH_TOKEN', weak]]))];
    for (const value of Object.values(seen.tags ?? {})) {
      for (const d of digests) {
        expect(value).not.toContain(d);
        expect(value).not.toContain(d.slice(0, 32));
      }
    }
    // Guessing: the tag comes out the same whatever value is tried, so it confirms none.
    for (const guess of ['password', 'changeme', weak, '123456']) {
      expect(specHash({ ...spec, secureEnvironment: { NATS_AUTH_TOKEN: guess } })).toBe(tag);
    }
    // A new Key Vault version (a rotation) is a new hash, and the group is sent again.
    const rotated: GroupSpec = { ...spec, secureEnvironment: { NATS_AUTH_TOKEN: 'changeme2' }, secureVersions: { NATS_AUTH_TOKEN: 'e5f4a7c9b1d38c6d2e0a4f5b6c7d8e9f' } };
    expect(specHash(rotated)).not.toBe(tag);
    ci.puts.length = 0;
    expect((await deployer().deploy([rotated], progress)).groups[0]?.action).toBe('updated');
    expect(putsIn()).toHaveLength(1);
    expect((await deployer().deploy([rotated], progress)).groups[0]?.action).toBe('unchanged');
  });

  it('sends a group with a secure value but no version again on every deploy, saying why', async () => {
    const { secureVersions: _none, ...spec } = release('1.4.0', 'a1b2c3d').find((s) => s.agent === 'nats')!;
    await deployer().deploy([spec], progress);
    ci.puts.length = 0;
    lines = [];
    const again = await deployer().deploy([spec], progress);
    expect(again.groups[0]?.action).toBe('updated');
    expect(putsIn()).toHaveLength(1);
    expect(lines).toContain('ci-nats: sending it again: no Key Vault version for NATS_AUTH_TOKEN, so an unchanged value cannot be told');
  });

  it('rolls every group back to the previous images when one operation fails, and names the group', async () => {
    const v1 = release('1.4.0', 'a1b2c3d');
    await deployer().deploy(v1, progress);
    ci.puts.length = 0;
    lines = [];

    const v2 = release('1.5.0', 'd4e5f6a');
    const bad = `${REGISTRY}/knowledge-retrieval:1.5.0-d4e5f6a`;
    // The service's message even echoes a secure value: it must not get through.
    ci.failures.push({
      group: 'ci-knowledge-retrieval',
      image: bad,
      code: 'ContainerGroupDeploymentFailed',
      message: `Container 'knowledge-retrieval' exited with code 1: invalid AZURE_OPENAI_API_KEY '${SECRET_OPENAI}'.`,
    });
    ci.provisioningDelayMs = 200;

    const err = await deployer()
      .deploy(v2, progress, { rollbackTo: v1 })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(FailedError);
    expect(err).toBeInstanceOf(ContainerDeployError);
    const failure = err as ContainerDeployError;
    expect(failure.failed.map((f) => f.name)).toEqual(['ci-knowledge-retrieval']);
    expect(failure.rolledBack).toBe(true);
    expect(failure.message).toMatch(/^Container groups failed: ci-knowledge-retrieval\n/);
    expect(failure.message).toContain('ContainerGroupDeploymentFailed');
    expect(failure.message).toContain('Rolled back 9 container groups to the previous release (8 changed back).');
    expect(failure.message).toContain("invalid AZURE_OPENAI_API_KEY '[secure]'");
    for (const secret of SECRETS) {
      expect(inspect(err, { depth: Infinity })).not.toContain(secret);
      expect(JSON.stringify(failure.failed)).not.toContain(secret);
    }

    // Forward: the 8 agent groups got the new image (NATS was unchanged). Back: the same 8 got the previous one.
    const agentGroups = v1.filter((s) => s.agent !== 'nats').map((s) => s.name).sort();
    const puts = putsIn();
    expect(puts).toHaveLength(16);
    const forward = puts.slice(0, 8);
    const back = puts.slice(8);
    expect(forward.map((p) => p.group).sort()).toEqual(agentGroups);
    expect(forward.every((p) => p.body.properties.containers[0]?.properties.image.endsWith(':1.5.0-d4e5f6a'))).toBe(true);
    expect(back.map((p) => p.group).sort()).toEqual(agentGroups);
    for (const p of back) {
      const spec = v1.find((s) => s.name === p.group)!;
      expect(p.body.properties.containers[0]?.properties.image).toBe(spec.image);
      expect(p.body.tags?.release).toBe('1.4.0-a1b2c3d');
    }
    // Every rollback PUT came after the failure was known.
    const failedOp = ci.operations.find((o) => o.resourceGroup === rg && o.status === 'Failed')!;
    expect(failedOp.group).toBe('ci-knowledge-retrieval');
    expect(Math.min(...back.map((p) => p.at))).toBeGreaterThan(failedOp.reportedAt!);

    const status = await deployer().status();
    expect(status.map((s) => [s.name, s.state, s.image])).toEqual(
      [...v1].sort((a, b) => a.name.localeCompare(b.name)).map((s) => [s.name, 'running', s.image]),
    );
    expect(lines).toContain('1 of 9 container groups failed: ci-knowledge-retrieval');
    expect(lines).toContain('rolling back 9 container groups to the previous release');
    expect(lines.some((l) => /^ci-knowledge-retrieval: Updating → Failed \(\d+\.\d+s\): ContainerGroupDeploymentFailed: /.test(l))).toBe(true);
  });

  it('fails a group whose containers never run (bounded wait), rolls back, and removes a group the previous release did not have', async () => {
    const v1 = release('1.4.0', 'a1b2c3d');
    await deployer().deploy(v1, progress);
    ci.puts.length = 0;

    const extra: GroupSpec = { ...v1[0]!, name: 'ci-extra', tags: { environment: 'prod' } };
    const v2 = [...release('1.5.0', 'd4e5f6a'), extra];
    ci.crashes.push({ group: 'ci-critic-supervisor', image: `${REGISTRY}/critic-supervisor:1.5.0-d4e5f6a` });

    const err = (await deployer({ readyTimeoutMs: 600 })
      .deploy(v2, progress, { rollbackTo: v1 })
      .catch((e: unknown) => e)) as ContainerDeployError;
    expect(err).toBeInstanceOf(ContainerDeployError);
    expect(err.failed.map((f) => f.name)).toEqual(['ci-critic-supervisor']);
    expect(err.failed[0]?.reason).toMatch(/^not Running after \d+\.\ds: critic-supervisor Waiting \(CrashLoopBackOff/);
    expect(err.message).toContain('and removed ci-extra');
    expect(ci.group('ci-extra', rg)).toBeUndefined();
    expect(ci.group('ci-critic-supervisor', rg)?.body.properties.containers[0]?.properties.image).toBe(
      `${REGISTRY}/critic-supervisor:1.4.0-a1b2c3d`,
    );
    expect((await deployer().status()).every((s) => s.state === 'running')).toBe(true);
  });

  it('without a previous release, fails naming the group and leaves the rest as deployed', async () => {
    ci.failures.push({ group: 'ci-nats' });
    const err = (await deployer()
      .deploy(release('1.4.0', 'a1b2c3d'), progress)
      .catch((e: unknown) => e)) as ContainerDeployError;
    expect(err).toBeInstanceOf(FailedError);
    expect(err.rolledBack).toBe(false);
    expect(err.failed.map((f) => f.name)).toEqual(['ci-nats']);
    expect(err.message).toMatch(/^Container groups failed: ci-nats\n  ci-nats: ContainerGroupDeploymentFailed: /);
    const states = Object.fromEntries((await deployer().status()).map((s) => [s.name, s.provisioningState]));
    expect(states['ci-nats']).toBe('Failed');
    expect(Object.values(states).filter((s) => s === 'Succeeded')).toHaveLength(8);
  });

  it('succeeds when every fifth ARM request is answered 429 (Retry-After) or 503', async () => {
    ci.provisioningDelayMs = 300;
    // Every fifth ARM request fails, alternately 429 (with Retry-After) and 503; and one PUT for certain.
    let armCount = 0;
    const verdicts = new Map<number, number | undefined>();
    const verdict = (req: FakeRequest): number | undefined => {
      if (!verdicts.has(req.log.seq)) {
        const n = isArm(req) ? ++armCount : 0;
        verdicts.set(req.log.seq, n > 0 && n % 5 === 0 ? (n % 10 === 0 ? 503 : 429) : undefined);
      }
      return verdicts.get(req.log.seq);
    };
    fake.faults.push(
      { match: on('PUT', /\/containerGroups\/ci-intent-classifier$/i), status: 503 },
      { match: (req) => verdict(req) === 429, status: 429, headers: { 'Retry-After': '0' }, times: Infinity },
      { match: (req) => verdict(req) === 503, status: 503, times: Infinity },
    );
    const specs = release('1.4.0', 'a1b2c3d');
    const outcome = await deployer().deploy(specs, progress);
    expect(outcome.groups.map((g) => g.action)).toEqual(specs.map(() => 'created'));

    const status = await deployer().status();
    expect(status.map((s) => s.state)).toEqual(specs.map(() => 'running'));
    expect((await deployer().logs('ci-nats', 'nats')).length).toBeGreaterThan(0);

    const arm = fake.requests.filter((r) => r.path.toLowerCase().startsWith('/subscriptions/'));
    const faulted = arm.filter((r) => r.fault);
    expect(faulted.length / arm.length).toBeGreaterThanOrEqual(0.19);
    expect(faulted.some((r) => r.status === 429)).toBe(true);
    expect(faulted.some((r) => r.status === 503)).toBe(true);
    // Faults hit operation polls and PUTs too, and both survived.
    expect(faulted.some((r) => r.path.includes('/operations/'))).toBe(true);
    expect(faulted.some((r) => r.method === 'PUT')).toBe(true);
  });

  it('keeps polling an operation through more consecutive 503s than the SDK pipeline retries', async () => {
    ci.provisioningDelayMs = 300;
    // Every poll of one group's operation but the first (made inside beginCreateOrUpdate) fails 7 times in a row:
    // the pipeline gives up after 1 + 3 tries, the deployer resumes the operation from its saved state.
    let seen = 0;
    const intentOp = (req: FakeRequest): boolean =>
      req.path.includes('/operations/') &&
      ci.operations.find((o) => req.path.endsWith(o.id))?.group === 'ci-intent-classifier' &&
      ++seen > 1;
    fake.faults.push({ match: intentOp, status: 503, times: 7 });

    const outcome = await deployer().deploy(release('1.4.0', 'a1b2c3d'), progress);
    expect(outcome.groups.every((g) => g.provisioningState === 'Succeeded')).toBe(true);
    const polls = fake.requests.filter((r) => r.route === 'aci operation status' || (r.fault && r.path.includes('/operations/')));
    const intent = polls.filter((r) => r.fault);
    expect(intent).toHaveLength(7);
    // Only one PUT per group: the operation was resumed, not started again.
    expect(putsIn()).toHaveLength(9);
  });

  it('gives up on an operation after as many failed tries in a row as allowed, resuming (never re-sending) it in between', async () => {
    ci.provisioningDelayMs = 300;
    // maxRetries 1: the pipeline tries each poll twice, the deployer 1 + 2 = 3 times in a row, so 6 failed polls.
    let seen = 0;
    const natsOp = (req: FakeRequest): boolean =>
      req.path.includes('/operations/') && ci.operations.find((o) => req.path.endsWith(o.id))?.group === 'ci-nats' && ++seen > 1;
    fake.faults.push({ match: natsOp, status: 503, times: Infinity });

    const err = (await deployer({ retry: { maxRetries: 1, retryDelayInMs: 10, maxRetryDelayInMs: 40 } })
      .deploy(release('1.4.0', 'a1b2c3d'), progress)
      .catch((e: unknown) => e)) as ContainerDeployError;
    expect(err).toBeInstanceOf(ContainerDeployError);
    expect(err.failed.map((f) => f.name)).toEqual(['ci-nats']);
    // The operator sees the service's last answer, as is.
    expect(err.failed[0]?.reason).toMatch(/^503\b/);
    expect(fake.requests.filter((r) => r.fault && r.path.includes('/operations/'))).toHaveLength(6);
    expect(putsIn().filter((p) => p.group === 'ci-nats')).toHaveLength(1);
    expect(lines.some((l) => /^ci-nats: Creating → Failed \(\d+\.\ds\): 503\b/.test(l))).toBe(true);
  });

  it('does not send a refused PUT again: a 4xx is the group\'s failure at once', async () => {
    fake.faults.push({ match: on('PUT', /\/containerGroups\/ci-nats$/i), status: 400, times: Infinity });
    const err = (await deployer()
      .deploy(release('1.4.0', 'a1b2c3d'), progress)
      .catch((e: unknown) => e)) as ContainerDeployError;
    expect(err.failed.map((f) => f.name)).toEqual(['ci-nats']);
    expect(err.failed[0]?.reason).toMatch(/^400\b/);
    expect(fake.requests.filter((r) => r.method === 'PUT' && /ci-nats$/.test(r.path))).toHaveLength(1);
  });

  it('stops waiting for an operation after operationTimeoutMs, naming the limit', async () => {
    ci.provisioningDelayMs = 5_000;
    const specs = release('1.4.0', 'a1b2c3d').filter((s) => s.agent === 'nats');
    const err = (await deployer({ operationTimeoutMs: 1_000 })
      .deploy(specs, progress)
      .catch((e: unknown) => e)) as ContainerDeployError;
    expect(err.failed).toEqual([{ name: 'ci-nats', reason: 'the operation did not finish within 1 s' }]);
  });
});

describe('ContainerDeployer status, logs, restart and remove', () => {
  it('lists every group across pages', async () => {
    ci.pageSize = 3;
    const specs = release('1.4.0', 'a1b2c3d');
    await deployer().deploy(specs, progress);
    fake.reset();

    const status = await deployer().status();
    expect(status.map((s) => s.name)).toEqual(specs.map((s) => s.name).sort());
    expect(status.every((s) => s.state === 'running' && s.provisioningState === 'Succeeded')).toBe(true);
    const listCalls = fake.requests.filter((r) => r.route === 'aci containergroups list by resource group');
    expect(listCalls).toHaveLength(3);
    expect(listCalls.slice(1).every((r) => r.query.$skiptoken !== undefined)).toBe(true);

    // The subscription-wide list pages the same way (and sees this resource group's nine among the rest).
    const client = new ContainerInstanceManagementClient(credential, fake.subscriptionId, { endpoint: fake.url });
    const all: string[] = [];
    for await (const g of client.containerGroups.list()) if (g.id?.includes(`/resourceGroups/${rg}/`)) all.push(g.name ?? '');
    expect(all.sort()).toEqual(specs.map((s) => s.name).sort());
  });

  it('reports each group from its instance view', async () => {
    ci.startupDelayMs = 150;
    const specs = release('1.4.0', 'a1b2c3d');
    await deployer().deploy(specs, progress);

    const status = await deployer().status();
    const intent = status.find((s) => s.name === 'ci-intent-classifier')!;
    expect(intent).toMatchObject({
      agents: ['intent-classifier'],
      state: 'running',
      provisioningState: 'Succeeded',
      image: `${REGISTRY}/intent-classifier:1.4.0-a1b2c3d`,
      url: expect.stringMatching(/^http:\/\/10\.0\.1\.\d+:8080$/),
      startedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      specHash: expect.stringMatching(/^[0-9a-f]{32}$/),
      containers: [{ name: 'intent-classifier', state: 'Running', restartCount: 0 }],
    });
    expect(status.find((s) => s.name === 'ci-nats')?.url).toMatch(/:4222$/);

    // A group not deployed by mac (no mac-agent tag) is not ours to report.
    const client = new ContainerInstanceManagementClient(credential, fake.subscriptionId, { endpoint: fake.url });
    await client.containerGroups.beginCreateOrUpdateAndWait(rg, 'someone-else', {
      location: 'eastus',
      osType: 'Linux',
      containers: [{ name: 'web', image: 'nginx', resources: { requests: { cpu: 1, memoryInGB: 1 } } }],
      ipAddress: { type: 'Public', ports: [{ port: 80 }] },
    }, { updateIntervalInMs: 10 });
    expect((await deployer().status()).map((s) => s.name)).not.toContain('someone-else');
  });

  it('reads a container log, with timestamps and a tail', async () => {
    await deployer().deploy(release('1.4.0', 'a1b2c3d'), progress);
    ci.appendLog('ci-intent-classifier', 'intent-classifier', 'handled 3 messages', rg);

    const all = await deployer().logs('ci-intent-classifier', 'intent-classifier');
    expect(all.map((l) => l.text)).toEqual([
      `started intent-classifier from ${REGISTRY}/intent-classifier:1.4.0-a1b2c3d`,
      'listening on :8080',
      'handled 3 messages',
    ]);
    expect(all.every((l) => l.process === 'ci-intent-classifier' && /^\d{4}-\d\d-\d\dT.*Z$/.test(l.ts ?? ''))).toBe(true);

    const tail = await deployer().logs('ci-intent-classifier', undefined, { tail: 1 });
    expect(tail.map((l) => l.text)).toEqual(['handled 3 messages']);
    expect(fake.requests.filter((r) => r.route === 'aci containers logs').at(-1)?.query).toMatchObject({ tail: '1', timestamps: 'true' });
  });

  it('restarts groups and waits until they run again', async () => {
    await deployer().deploy(release('1.4.0', 'a1b2c3d'), progress);
    ci.provisioningDelayMs = 200;
    ci.startupDelayMs = 100;
    lines = [];

    await deployer().restart(['ci-intent-classifier', 'ci-nats'], progress);
    const restarts = ci.operations.filter((o) => o.resourceGroup === rg && o.kind === 'restart');
    expect(restarts.map((o) => [o.group, o.status]).sort()).toEqual([
      ['ci-intent-classifier', 'Succeeded'],
      ['ci-nats', 'Succeeded'],
    ]);
    expect(lines.some((l) => /^ci-nats: restarted \(\d+\.\ds\)$/.test(l))).toBe(true);
    expect(lines.some((l) => /^ci-intent-classifier: Running at /.test(l))).toBe(true);
    const intent = (await deployer().status()).find((s) => s.name === 'ci-intent-classifier');
    expect(intent).toMatchObject({ state: 'running', containers: [{ restartCount: 1 }] });
    expect((await deployer().logs('ci-nats')).at(-2)?.text).toBe(`restarted nats from ${REGISTRY}/nats:2.10.22`);
  });

  it('removes groups, and a group that is already gone is not an error', async () => {
    await deployer().deploy(release('1.4.0', 'a1b2c3d'), progress);
    ci.provisioningDelayMs = 100;

    await deployer().remove(['ci-analytics-processor', 'ci-escalation-handler', 'ci-never-existed'], progress);
    const names = (await deployer().status()).map((s) => s.name);
    expect(names).toHaveLength(7);
    expect(names).not.toContain('ci-analytics-processor');
    expect(names).not.toContain('ci-escalation-handler');
    expect(lines.some((l) => /^ci-never-existed: removed \(\d+\.\ds\)$/.test(l))).toBe(true);
    expect(fake.requests.filter((r) => r.method === 'DELETE').map((r) => r.status).sort()).toEqual([202, 202, 204]);
  });
});
