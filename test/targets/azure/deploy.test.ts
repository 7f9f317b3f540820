// The azure target end to end: the real program (runCli) runs `mac deploy|status|logs|smoke|destroy` and
// `mac secrets rotate` on an azure environment, with the real terraform binary on a `terraform_data` stack whose
// outputs mimic templates/terraform/phase4_prod, and the real @azure/* clients against the HTTPS Azure fake
// (Container Instances, Key Vault, the registry).
//
// The containers cannot run here, so a stand-in plays the one thing the operator reaches: the gateway (gatewayUrl in
// mac.yaml). It serves the real platform, in this process, started on the Shopify token the knowledge-retrieval
// group was last deployed with (its secure value as the fake received it): a group that is not running means no
// gateway; a rotated token means the platform starts again on it; a token Shopify refuses means it cannot start —
// what an agent container would do with its secure environment.
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { ClientSecretCredential } from '@azure/identity';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startMockServers, DEFAULT_MOCK_CREDENTIALS, type MockServers } from '../../../src/agents/integrations/mocks/index.js';
import { startPlatform, type RunningPlatform } from '../../../src/agents/runtime/platform.js';
import { defaultImageTag } from '../../../src/azure/image-tag.js';
import { AGENT_NAMES } from '../../../src/config/schema.js';
import type { DepsInit } from '../../../src/deps.js';
import { execaRunner, type RunOptions, type Runner } from '../../../src/exec.js';
import { packageRoot } from '../../../src/paths.js';
import { KNOWN_SECRETS } from '../../../src/secrets/catalog.js';
import { KeyVaultStore } from '../../../src/secrets/key-vault.js';
import { TELEMETRY_SECRET } from '../../../src/targets/azure/target.js';
import { runCli, type CliRun } from '../../helpers/cli.js';
import { blockNonLoopback, type NetworkGuard } from '../../setup/no-network.js';
import { registryHost, registryState } from '../../fakes/azure/acr.js';
import { seedResourceGroup } from '../../fakes/azure/arm-resources.js';
import { containerInstance, type ContainerInstanceFake, type EnvVar, type FakeContainerGroup } from '../../fakes/azure/container-instance.js';
import { keyVault, keyVaultUrl, type FakeVault } from '../../fakes/azure/keyvault.js';
import { startAzureFake, type AzureFake, type FakeRequest } from '../../fakes/azure/server.js';
import { isolateAzureEnv } from '../../fakes/azure/process-env.js';
import { hasTerraform } from '../../helpers/terraform.js';
import { startGatewayProxy } from '../../helpers/gateway-proxy.js';
import { spawnAgent, until, type AgentProcess } from '../../helpers/agent-process.js';
import { hasNatsServer, startNatsServer } from '../../helpers/nats.js';
import { runSmoke } from '../../../src/deploy/smoke.js';

if (!hasTerraform) console.warn('SKIPPING the azure target tests: they run the real terraform binary, and there is no `terraform` on PATH (install Terraform ≥ 1.6).');

const DEMO = path.join(packageRoot, 'data', 'demo-shop');
const TAG = '1.4.0-abc1234';
const SHOP_URL = 'https://demo-shop.myshopify.com';
const ZENDESK_URL = 'https://demo-shop.zendesk.com';
const NEXT_TAG = '1.5.0-def5678';
/** The fake polls fast; retries wait milliseconds (Deps targetOptions: a constructor option, no user-facing knob). */
const TUNING: DepsInit['targetOptions'] = {
  azure: { pollIntervalMs: 40, groupReadyTimeoutMs: 5_000, retry: { maxRetries: 6, retryDelayInMs: 5, maxRetryDelayInMs: 40 } },
};

let fake: AzureFake;
let ci: ContainerInstanceFake;
let vault: FakeVault;
let guard: NetworkGuard;
let mocks: MockServers;
let gateway: GatewayStandIn;
let restoreEnv: (() => void) | undefined;
let credentials: Record<string, string>;
let worlds = 0;

/** One test's environment: a resource group in the fake, a project folder with mac.yaml and the Terraform stack. */
interface World {
  dir: string;
  rg: string;
  prefix: string;
  /** Every command run, for the canary checks. */
  runs: CliRun[];
  /** Every process spawned (file, argv, environment). */
  spawned: { file: string; args: string[]; env: Record<string, string | undefined> }[];
  group(agent: string): FakeContainerGroup | undefined;
  groupName(agent: string): string;
  mac(args: string[], env?: NodeJS.ProcessEnv): Promise<CliRun>;
  yaml(o?: MacYaml): Promise<void>;
  stack(o?: Parameters<typeof stack>[1]): Promise<void>;
}

interface MacYaml {
  tag?: string | null;
  shopData?: boolean;
  agents?: string;
  integrations?: boolean;
  responseStrategy?: 'offline' | 'azure-openai';
}

beforeAll(async () => {
  guard = blockNonLoopback();
  fake = await startAzureFake();
  ci = containerInstance(fake);
  vault = keyVault(fake);
  restoreEnv = isolateAzureEnv();
  // DefaultAzureCredential reads process.env; EnvironmentCredential only, so nothing probes IMDS.
  credentials = {
    AZURE_TENANT_ID: fake.tenantId,
    AZURE_CLIENT_ID: fake.clientId,
    AZURE_CLIENT_SECRET: fake.clientSecret,
    AZURE_TOKEN_CREDENTIALS: 'EnvironmentCredential',
  };
  Object.assign(process.env, credentials);
  mocks = await startMockServers({ dataDir: DEMO, settings: { acceptWellFormedCredentials: true } });
  gateway = await startGatewayStandIn();
});

afterAll(async () => {
  await gateway?.close();
  await mocks?.close();
  await fake?.close();
  restoreEnv?.();
  guard?.restore();
});

let world: World;
beforeEach(async () => {
  ci.reset();
  registryState(fake).images.clear();
  vault.secrets.clear();
  vault.deleted.clear();
  world = await newWorld();
});

afterEach(async () => {
  const unmatched = fake.unmatched();
  fake.reset();
  expect(guard.attempts, 'connections attempted outside loopback').toEqual([]);
  expect(unmatched.map((r) => `${r.method} ${r.path}`), 'requests the fake has no route for').toEqual([]);
  // Canary: no value the vault ever held is in any argv or environment of a spawned process, any output, or any
  // file mac wrote under .mac/.
  const values = [...vault.secrets.values()].flatMap((s) => s.versions.map((v) => v.value)).filter((v) => v.length >= 8);
  expect(values.length).toBeGreaterThan(0);
  const files = await filesUnder(path.join(world.dir, '.mac'));
  for (const value of values) {
    for (const s of world.spawned) {
      expect(s.args.join(' '), `argv of ${s.file}`).not.toContain(value);
      expect(JSON.stringify(s.env), `environment of ${s.file}`).not.toContain(value);
    }
    for (const run of world.runs) expect(run.stdout + run.stderr).not.toContain(value);
    for (const [file, text] of files) expect(text, file).not.toContain(value);
  }
  await gateway.stop();
  await rm(world.dir, { recursive: true, force: true });
});

describe.skipIf(!hasTerraform)('mac deploy on an azure environment', () => {
  it('creates the eight agent groups side by side with their images, sizes, identity and only their own secure values; smoke, status, logs; a rerun is up to date', async () => {
    registerImages(TAG);
    const seeded = await seedSecrets();
    ci.provisioningDelayMs = 1_000;

    const run = await world.mac(['deploy', '-e', 'prod']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/^Deployed release \S+ \(version \d+\.\d+\.\d+.*\) to prod\.$/m);
    expect(run.stdout).toContain(`Gateway: ${gateway.url}`);
    expect(run.stderr).toMatch(/✓ provision/);
    expect(run.stderr).toMatch(/terraform_data\.network: created/);
    expect(run.stderr).toMatch(/✓ secrets — \d+ set, none missing/);
    expect(run.stderr).toMatch(/8 container groups: 8 created/);
    expect(run.stderr).toMatch(/✓ smoke test — health ✓, greeting ✓, order-status ✓/);

    // What the SDK PUT, per agent (NATS is Terraform's: no group here but the eight agents').
    const puts = ci.puts.filter((p) => p.resourceGroup === world.rg);
    expect(puts.map((p) => p.group).sort()).toEqual(AGENT_NAMES.map((a) => world.groupName(a)).sort());
    for (const agent of AGENT_NAMES) {
      const body = puts.find((p) => p.group === world.groupName(agent))!.body;
      const container = body.properties.containers[0]!;
      expect(container.name).toBe(agent);
      expect(container.properties.image).toBe(`${registry()}/${agent}:${TAG}`);
      expect(container.properties.command).toEqual(['node', 'dist/agents/main.js', '--agent', agent, '--state-dir', '/home/node/state']);
      const [cpu, memoryInGB] = agent === 'intent-classifier' ? [1, 3] : agent.startsWith('response-generator-') ? [1, 2] : [0.5, 1];
      expect(container.properties.resources.requests).toEqual({ cpu, memoryInGB });
      expect(body.location).toBe('eastus');
      expect(body.identity).toEqual({ type: 'UserAssigned', userAssignedIdentities: { [identityId()]: {} } });
      expect(body.properties.subnetIds).toEqual([{ id: subnetId() }]);
      expect(body.properties.ipAddress).toEqual({ type: 'Private', ports: [{ port: 8080, protocol: 'TCP' }] });
      expect(body.tags).toMatchObject({ environment: 'prod', 'cost-center': 'customer-service', 'mac-agent': agent });
      const env = Object.fromEntries((container.properties.environmentVariables ?? []).filter((e) => e.value !== undefined).map((e) => [e.name, e.value]));
      expect(env).toMatchObject({
        AGENT_NAME: agent,
        PORT: '8080',
        NATS_URL: 'nats://10.40.1.4:4222',
        KEY_VAULT_URI: keyVaultUrl(fake),
        AZURE_CLIENT_ID: 'c0ffee00-0000-4000-8000-000000000001',
        AZURE_OPENAI_ENDPOINT: 'https://oai-test.openai.azure.com/',
        COSMOS_DATABASE: 'multiagent',
        SHOPIFY_URL: SHOP_URL,
        ZENDESK_URL,
        ZENDESK_EMAIL: DEFAULT_MOCK_CREDENTIALS.zendesk.email,
      });
      // The response generators write with the configured strategy (offline unless mac.yaml says azure-openai).
      expect(env.MAC_RESPONSE_STRATEGY).toBe(agent.startsWith('response-generator-') ? 'offline' : undefined);
      // Each agent gets exactly the secrets the catalog says it reads, plus the telemetry connection string.
      const secure = secureValues(container.properties.environmentVariables);
      const expected: Record<string, string> = { APPLICATIONINSIGHTS_CONNECTION_STRING: seeded[TELEMETRY_SECRET]! };
      for (const s of KNOWN_SECRETS) if ((s.consumers as readonly string[]).includes(agent)) expected[s.name.toUpperCase().replace(/-/g, '_')] = seeded[s.name]!;
      expect(secure, agent).toEqual(expected);
    }
    expect(secureValues(world.group('analytics-processor')!.body.properties.containers[0]!.properties.environmentVariables)).not.toHaveProperty('SHOPIFY_API_TOKEN');

    // Concurrency from the fake's timeline, not wall time: every create arrived before the first one finished,
    // and all eight were over (as the client saw it) within two provisioning delays of the first arrival.
    const creates = ci.operations.filter((o) => o.resourceGroup === world.rg && o.kind === 'create');
    expect(creates).toHaveLength(8);
    const firstDone = Math.min(...creates.map((o) => o.finishesAt));
    expect(creates.every((o) => o.startedAt < firstDone)).toBe(true);
    const span = Math.max(...creates.map((o) => o.reportedAt ?? Infinity)) - Math.min(...creates.map((o) => o.startedAt));
    expect(span).toBeLessThan(2 * 1_000);

    // The release journal and the saved outputs.
    const journal = (await readFile(path.join(world.dir, '.mac', 'prod', 'releases.jsonl'), 'utf8')).trim().split('\n').map((l) => JSON.parse(l));
    expect(journal.map((e) => e.type)).toEqual(['deploying', 'released']);
    const release = journal[1].release;
    expect(release.spec).toMatchObject({ target: 'azure', imageTag: TAG, registry: registry(), dataDir: DEMO });
    expect(release.spec.agents['intent-classifier']).toEqual({ image: `${registry()}/intent-classifier:${TAG}`, cpu: 1, memoryGb: 3 });
    expect(JSON.parse(await readFile(path.join(world.dir, '.mac', 'prod', 'terraform-outputs.json'), 'utf8'))).toHaveProperty('container_group_names');

    // mac status from the instance views.
    const status = await world.mac(['status', '-e', 'prod', '--json']);
    expect(status.code, status.stderr).toBe(0);
    const doc = JSON.parse(status.stdout);
    expect(doc).toMatchObject({ environment: 'prod', target: 'azure', healthy: true, url: gateway.url, release: { id: release.id } });
    expect(doc.processes).toHaveLength(8);
    for (const p of doc.processes) {
      expect(p).toMatchObject({ state: 'running', provisioningState: 'Succeeded', releaseId: release.id });
      expect(p.image).toMatch(new RegExp(`:${TAG}$`));
    }
    expect(doc.processes.map((p: { agents: string[] }) => p.agents[0]).sort()).toEqual([...AGENT_NAMES].sort());
    const table = await world.mac(['status', '-e', 'prod']);
    expect(table.stdout).toMatch(/^Environment prod \(azure\): healthy$/m);
    expect(table.stdout).toMatch(new RegExp(`^${world.groupName('critic-supervisor')}\\s+running\\s+-\\s+\\S+\\s+critic-supervisor$`, 'm'));

    // mac logs of one agent, from the container logs API.
    ci.appendLog(world.groupName('intent-classifier'), 'intent-classifier', 'classified "hello" as greeting (0.97)', world.rg);
    const logs = await world.mac(['logs', 'intent-classifier', '-e', 'prod']);
    expect(logs.code, logs.stderr).toBe(0);
    expect(logs.stdout).toContain(`intent-classifier started intent-classifier from ${registry()}/intent-classifier:${TAG}\n`);
    expect(logs.stdout).toContain('intent-classifier classified "hello" as greeting (0.97)\n');
    expect(logs.stdout).not.toContain('critic-supervisor');
    const unknown = await world.mac(['logs', 'no-such-agent', '-e', 'prod']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('No agent or container group named "no-such-agent"');

    // mac smoke on demand.
    const smoke = await world.mac(['smoke', '-e', 'prod', '--json']);
    expect(smoke.code, smoke.stderr).toBe(0);
    expect(JSON.parse(smoke.stdout).checks.map((c: { name: string; ok: boolean }) => [c.name, c.ok])).toEqual([
      ['health', true],
      ['greeting', true],
      ['order-status', true],
    ]);

    // A rerun with nothing changed: up to date, nothing PUT.
    const putsBefore = ci.puts.length;
    const again = await world.mac(['deploy', '-e', 'prod']);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stderr).toContain(`Up to date: release ${release.id} is running and healthy; nothing restarted.`);
    expect(again.stderr).toMatch(/infrastructure up to date \(no Terraform changes\)/);
    expect(ci.puts.length).toBe(putsBefore);

    // Terraform ran through mac's runner with the usual flags (and never a secret, per the canary).
    const tf = world.spawned.filter((s) => s.file === 'terraform').map((s) => s.args[1]);
    expect(tf).toEqual(expect.arrayContaining(['init', 'plan', 'show', 'apply', 'output']));
  });

  it.skipIf(!hasNatsServer)('the groups it PUT run the platform: each container\'s command and environment, started here over a real nats-server, pass the smoke test', async () => {
    await world.yaml();
    registerImages(TAG);
    await seedSecrets();
    const run = await world.mac(['deploy', '-e', 'prod']);
    expect(run.code, run.stderr).toBe(0);

    // Each group as Container Instances would start it: its command (node → this node, the image's /app → the
    // package root, its state folder → a temporary one) and its environment, secure values included. Only where the
    // agents reach each other and the shop differs here: this machine's nats-server and the stand-ins.
    const nats = await startNatsServer();
    const stateRoot = await mkdtemp(path.join(os.tmpdir(), 'mac-aci-contract-'));
    const processes: AgentProcess[] = [];
    try {
      for (const agent of AGENT_NAMES) {
        const container = ci.puts.filter((p) => p.group === world.groupName(agent)).at(-1)!.body.properties.containers[0]!;
        const [node, main, ...args] = container.properties.command!;
        expect([node, main, args[0], args[1], args[2]]).toEqual(['node', 'dist/agents/main.js', '--agent', agent, '--state-dir']);
        const env = Object.fromEntries((container.properties.environmentVariables ?? []).map((e) => [e.name, e.value ?? e.secureValue ?? '']));
        processes.push(
          spawnAgent(agent, { ...env, PORT: '0', NATS_URL: nats.url, SHOPIFY_URL: mocks.urls.shopify, ZENDESK_URL: mocks.urls.zendesk }, path.join(stateRoot, agent)),
        );
      }
      const urls = await Promise.all(processes.map((p) => p.ready));
      const front = urls[AGENT_NAMES.indexOf('intent-classifier')]!;
      await until('the gateway to be ready', async () => ((await fetch(new URL('/ready', front))).ok ? true : undefined));
      const smoke = await runSmoke(front, DEMO);
      expect(smoke.checks.map((c) => [c.name, c.ok])).toEqual([
        ['health', true],
        ['greeting', true],
        ['order-status', true],
      ]);
    } finally {
      await Promise.all(processes.map((p) => p.stop()));
      await nats.stop();
      await rm(stateRoot, { recursive: true, force: true });
    }
  });

  it('with 20 % of ARM and Key Vault requests answered 429 or 503 still deploys; without shop data the order-status check is skipped', async () => {
    registerImages(TAG);
    await seedSecrets();
    await world.yaml({ shopData: false });
    const injected = injectFaults(0.2);

    const run = await world.mac(['deploy', '-e', 'prod']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toMatch(/✓ smoke test — health ✓, greeting ✓, order-status skipped/);
    expect(injected.arm).toBeGreaterThan(5);
    expect(injected.keyVault).toBeGreaterThan(0);
    expect(fake.requests.filter((r) => r.fault).map((r) => r.status).sort()).toEqual(expect.arrayContaining([429, 503]));
    for (const agent of AGENT_NAMES) expect(world.group(agent)?.provisioningState, agent).toBe('Succeeded');

    const smoke = await world.mac(['smoke', '-e', 'prod']);
    expect(smoke.code, smoke.stderr).toBe(0);
    expect(smoke.stdout).toMatch(/^- order-status\s+skipped: the release has no shop data folder/m);
  });

  it('a failed LRO on one group: the deploy names it, every group goes back to the previous release, exit 1', async () => {
    registerImages(TAG);
    registerImages(NEXT_TAG);
    await seedSecrets();
    const first = await world.mac(['deploy', '-e', 'prod', '--json']);
    expect(first.code, first.stderr).toBe(0);
    const previous = JSON.parse(first.stdout.trim().split('\n').at(-1)!).data.release;

    await world.yaml({ tag: NEXT_TAG });
    const failing = world.groupName('knowledge-retrieval');
    ci.failures.push({ group: failing, image: `${registry()}/knowledge-retrieval:${NEXT_TAG}`, code: 'InaccessibleImage', message: 'The image could not be pulled.' });
    const putsBefore = ci.puts.length;
    const run = await world.mac(['deploy', '-e', 'prod']);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`Container groups failed: ${failing}`);
    expect(run.stderr).toContain('InaccessibleImage: The image could not be pulled.');
    expect(run.stderr).toMatch(/Rolled back 8 container groups to the previous release/);
    expect(run.stderr).toMatch(new RegExp(`error: Release \\S+ failed: .*Rolled back to release ${previous.id}, which is healthy\\.`, 's'));

    // The new images went out to every group, then every group came back to the previous release's images.
    const puts = ci.puts.slice(putsBefore).filter((p) => p.resourceGroup === world.rg);
    expect(puts.filter((p) => p.body.properties.containers[0]!.properties.image.endsWith(`:${NEXT_TAG}`))).toHaveLength(8);
    expect(puts.filter((p) => p.body.properties.containers[0]!.properties.image.endsWith(`:${TAG}`))).toHaveLength(8);
    for (const agent of AGENT_NAMES) {
      const g = world.group(agent)!;
      expect(g.provisioningState, agent).toBe('Succeeded');
      expect(g.body.properties.containers[0]!.properties.image, agent).toBe(`${registry()}/${agent}:${TAG}`);
    }
    const journal = (await readFile(path.join(world.dir, '.mac', 'prod', 'releases.jsonl'), 'utf8')).trim().split('\n').map((l) => JSON.parse(l));
    expect(journal.map((e) => e.type)).toEqual(['deploying', 'released', 'deploying', 'failed', 'rolled-back']);
    const status = JSON.parse((await world.mac(['status', '-e', 'prod', '--json'])).stdout);
    expect(status).toMatchObject({ healthy: true, release: { id: previous.id } });
    expect(status.processes.every((p: { releaseId?: string }) => p.releaseId === previous.id)).toBe(true);
  });

  it('a first release that fails stops its groups; the next deploy starts the stopped ones and recreates the failed one', async () => {
    registerImages(TAG);
    await seedSecrets();
    ci.failures.push({ group: world.groupName('critic-supervisor'), times: 1 });
    const run = await world.mac(['deploy', '-e', 'prod']);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`Container groups failed: ${world.groupName('critic-supervisor')}`);
    expect(run.stderr).toMatch(/No earlier release to roll back to; the platform is stopped\./);
    expect(world.group('intent-classifier')?.stopped).toBe(true);
    const stopped = JSON.parse((await world.mac(['status', '-e', 'prod', '--json'])).stdout);
    expect(stopped.healthy).toBe(false);
    expect(stopped.processes.find((p: { agents: string[] }) => p.agents[0] === 'intent-classifier').state).toBe('stopped');

    const again = await world.mac(['deploy', '-e', 'prod']);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stderr).toMatch(/8 container groups: 1 updated, 7 started/);
    expect(ci.operations.filter((o) => o.resourceGroup === world.rg && o.kind === 'start')).toHaveLength(7);
  });

  it('re-points the gateway when intent-classifier moved; refuses an infrastructure plan that deletes resources (exit 4)', async () => {
    registerImages(TAG);
    await seedSecrets();
    await world.stack({ legacy: true, gatewayBackendIp: '10.9.9.9' });
    const run = await world.mac(['deploy', '-e', 'prod']);
    expect(run.code, run.stderr).toBe(0);
    const ip = world.group('intent-classifier')!.ip;
    expect(run.stderr).toContain(`intent-classifier moved from 10.9.9.9 to ${ip}: re-pointing the Application Gateway (terraform apply)`);
    expect(world.spawned.filter((s) => s.file === 'terraform' && s.args[1] === 'plan')).toHaveLength(2);

    await world.stack({ gatewayBackendIp: ip });
    await world.yaml({ tag: NEXT_TAG });
    registerImages(NEXT_TAG);
    const putsBefore = ci.puts.length;
    const refused = await world.mac(['deploy', '-e', 'prod']);
    expect(refused.code).toBe(4);
    expect(refused.stderr).toContain('The infrastructure plan for prod deletes or replaces 1 resource(s): terraform_data.legacy (delete).');
    expect(refused.stderr).toContain('hint: Review the plan with mac infra plan -e prod, apply it with mac infra apply -e prod, then deploy again.');
    expect(ci.puts.length).toBe(putsBefore);
    expect(existsSync(path.join(world.dir, '.mac', 'prod', 'tfplan'))).toBe(false);
  });

  it('responseStrategy azure-openai: the response generators get the strategy and the deployment of responseModel, the others nothing of it', async () => {
    await world.yaml({ responseStrategy: 'azure-openai' });
    registerImages(TAG);
    await seedSecrets();
    const run = await world.mac(['deploy', '-e', 'prod']);
    expect(run.code, run.stderr).toBe(0);
    for (const agent of AGENT_NAMES) {
      const vars = ci.puts.filter((p) => p.group === world.groupName(agent)).at(-1)!.body.properties.containers[0]!.properties.environmentVariables ?? [];
      const env = Object.fromEntries(vars.filter((e) => e.value !== undefined).map((e) => [e.name, e.value]));
      if (agent.startsWith('response-generator-')) {
        expect(env).toMatchObject({ MAC_RESPONSE_STRATEGY: 'azure-openai', AZURE_OPENAI_DEPLOYMENT: 'gpt4o-dep', AZURE_OPENAI_ENDPOINT: 'https://oai-test.openai.azure.com/' });
        expect(secureValues(vars)).toHaveProperty('AZURE_OPENAI_API_KEY');
      } else {
        expect(env).not.toHaveProperty('MAC_RESPONSE_STRATEGY');
      }
    }
  });

  it('without integrations in mac.yaml: exit 4 saying what to add, before anything changes', async () => {
    await world.yaml({ integrations: false });
    registerImages(TAG);
    await seedSecrets();
    const run = await world.mac(['deploy', '-e', 'prod']);
    expect(run.code).toBe(4);
    expect(run.stderr).toContain('prod does not say where the agents reach Shopify and Zendesk');
    expect(run.stderr).toContain('shopifyUrl: https://<shop>.myshopify.com');
    expect(ci.puts).toHaveLength(0);
    expect(world.spawned.filter((s) => s.file === 'terraform')).toEqual([]);
  });

  it('missing images: exit 4 naming them (tag <version>-<sha> as mac images makes it), before anything changes', async () => {
    await world.yaml({ tag: null });
    const tag = await defaultImageTag(execaRunner, packageRoot);
    registerImages(tag, ['analytics-processor', 'critic-supervisor']);
    await seedSecrets();
    const run = await world.mac(['deploy', '-e', 'prod']);
    expect(run.code).toBe(4);
    expect(run.stderr).toContain(
      `lacks 2 of the release's 8 images: ${registry()}/analytics-processor:${tag}, ${registry()}/critic-supervisor:${tag}.`,
    );
    expect(run.stderr).toContain('hint: Build and push them with: mac images build -e prod');
    expect(world.spawned.filter((s) => s.file === 'terraform')).toEqual([]);
    expect(ci.puts.filter((p) => p.resourceGroup === world.rg)).toEqual([]);
    expect(existsSync(path.join(world.dir, '.mac', 'prod', 'releases.jsonl'))).toBe(false);
  });
});

describe.skipIf(!hasTerraform)('mac secrets rotate on an azure environment', () => {
  it('writes a new Key Vault version, redeploys only its consumers with the new secure value, and verifies with the smoke test', async () => {
    registerImages(TAG);
    const seeded = await seedSecrets();
    const deployed = await world.mac(['deploy', '-e', 'prod']);
    expect(deployed.code, deployed.stderr).toBe(0);
    const startsBefore = gateway.starts;
    const putsBefore = ci.puts.length;

    const run = await world.mac(['secrets', 'rotate', 'shopify-api-token', '--generate', '-e', 'prod']);
    expect(run.code, run.stderr).toBe(0);
    const versions = vault.secrets.get('shopify-api-token')!.versions;
    expect(versions).toHaveLength(2);
    const fresh = versions.at(-1)!.value;
    expect(fresh).not.toBe(seeded['shopify-api-token']);
    expect(fresh).toMatch(/^shpat_[0-9a-f]{32}$/);

    const puts = ci.puts.slice(putsBefore).filter((p) => p.resourceGroup === world.rg);
    const consumers = KNOWN_SECRETS.find((s) => s.name === 'shopify-api-token')!.consumers;
    expect(puts.map((p) => p.group).sort()).toEqual(consumers.map((a) => world.groupName(a)).sort());
    for (const p of puts) expect(secureValues(p.body.properties.containers[0]!.properties.environmentVariables).SHOPIFY_API_TOKEN).toBe(fresh);
    expect(gateway.starts).toBe(startsBefore + 1);
    expect(gateway.token).toBe(fresh);
    expect(run.stderr).toMatch(/✓ smoke test — health ✓, greeting ✓, order-status ✓/);
    expect(run.stdout).toMatch(/shopify-api-token/);

    // The release is still the one running: a deploy now is up to date.
    const again = await world.mac(['deploy', '-e', 'prod']);
    expect(again.stderr).toContain('Up to date');
  });

  it('a new value the platform cannot start with: the previous value comes back as a new version, the consumers run on it, exit 1', async () => {
    registerImages(TAG);
    const seeded = await seedSecrets();
    const deployed = await world.mac(['deploy', '-e', 'prod']);
    expect(deployed.code, deployed.stderr).toBe(0);
    const putsBefore = ci.puts.length;

    const revoked = `shpat_revoked-${randomBytes(12).toString('hex')}`;
    const run = await world.mac(['secrets', 'rotate', 'shopify-api-token', '--from-env', 'NEW_TOKEN', '--ready-timeout', '3', '-e', 'prod'], { NEW_TOKEN: revoked });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/error: Rotating shopify-api-token failed: ready check: .*The previous value is back \(version [0-9a-f]{32}\) and the platform is healthy with it\./);
    expect(run.stderr).toMatch(/✓ roll back: smoke test — health ✓, greeting ✓, order-status ✓/);

    const versions = vault.secrets.get('shopify-api-token')!.versions;
    expect(versions.map((v) => v.value)).toEqual([seeded['shopify-api-token'], revoked, seeded['shopify-api-token']]);
    expect(versions.at(-1)!.tags).toMatchObject({ rotated: 'rolled-back' });
    // The consumers went out with the new value, then again with the previous one.
    const puts = ci.puts.slice(putsBefore).filter((p) => p.resourceGroup === world.rg);
    const tokens = puts.map((p) => secureValues(p.body.properties.containers[0]!.properties.environmentVariables).SHOPIFY_API_TOKEN);
    expect(tokens).toEqual([revoked, revoked, seeded['shopify-api-token'], seeded['shopify-api-token']]);
    expect(gateway.token).toBe(seeded['shopify-api-token']);
  });
});

describe.skipIf(!hasTerraform)('mac destroy on an azure environment', () => {
  it('refuses --keep-data before asking; with --yes runs terraform destroy and forgets the outputs and the journal', async () => {
    registerImages(TAG);
    await seedSecrets();
    const deployed = await world.mac(['deploy', '-e', 'prod']);
    expect(deployed.code, deployed.stderr).toBe(0);

    const keep = await world.mac(['destroy', '-e', 'prod', '--keep-data', '--yes']);
    expect(keep.code).toBe(2);
    expect(keep.stderr).toContain('--keep-data is not available on azure');

    const ask = await world.mac(['destroy', '-e', 'prod']);
    expect(ask.code).toBe(2);
    expect(ask.stderr).toContain('mac destroy would DESTROY every Azure resource of prod with terraform destroy');

    const run = await world.mac(['destroy', '-e', 'prod', '--yes']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toMatch(/terraform destroy: 2 resource\(s\)/);
    expect(run.stderr).toMatch(/terraform_data\.network: destroyed/);
    expect(run.stdout).toMatch(/^Destroyed prod\.$/m);
    const state = path.join(world.dir, '.mac', 'prod');
    expect(existsSync(path.join(state, 'terraform-outputs.json'))).toBe(false);
    expect(existsSync(path.join(state, 'releases.jsonl'))).toBe(false);
    expect(existsSync(path.join(state, 'terraform-backend.json'))).toBe(true);
    const tfState = JSON.parse(await readFile(path.join(world.dir, 'infra', 'terraform.tfstate'), 'utf8'));
    expect(tfState.resources).toEqual([]);
  });
});

// ---- the world -----------------------------------------------------------------------------------------------------

function registry(): string {
  return `${registryHost(fake)}/mac`;
}
function identityId(): string {
  return `/subscriptions/${fake.subscriptionId}/resourceGroups/${world.rg}/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id-multiagent-prod-agents`;
}
function subnetId(): string {
  return `/subscriptions/${fake.subscriptionId}/resourceGroups/${world.rg}/providers/Microsoft.Network/virtualNetworks/vnet-multiagent-prod/subnets/snet-containers`;
}

async function newWorld(): Promise<World> {
  const n = ++worlds;
  const dir = await mkdtemp(path.join(os.tmpdir(), 'mac-azure-deploy-'));
  const rg = `rg-mac-deploy-${n}`;
  const prefix = `ci-mp${n}-prod`;
  seedResourceGroup(fake, rg, { location: 'eastus' });
  const spawned: World['spawned'] = [];
  const runner: Runner = {
    run(file: string, args: string[], options?: RunOptions) {
      spawned.push({ file, args: [...args], env: { ...(options?.env ?? {}) } });
      return execaRunner.run(file, args, options);
    },
  };
  const w: World = {
    dir,
    rg,
    prefix,
    runs: [],
    spawned,
    groupName: (agent) => `${prefix}-${agent}`,
    group: (agent) => ci.group(`${prefix}-${agent}`, rg),
    async mac(args, env = {}) {
      const run = await runCli(args, {
        cwd: dir,
        env: { NO_COLOR: '1', TF_CLI_CONFIG_FILE: '/dev/null', CHECKPOINT_DISABLE: '1', ...credentials, ...env },
        runner,
        targetOptions: TUNING,
      });
      w.runs.push(run);
      return run;
    },
    async stack(o = {}) {
      await writeFile(path.join(dir, 'infra', 'main.tf'), stack(w, o));
    },
    async yaml(o = {}) {
      const tag = o.tag === undefined ? TAG : o.tag;
      const lines = [
        'version: 1',
        'environments:',
        '  prod:',
        '    target: azure',
        `    subscription: ${fake.subscriptionId}`,
        `    resourceGroup: ${rg}`,
        '    terraformDir: infra',
        `    keyVaultUrl: ${keyVaultUrl(fake)}`,
        `    gatewayUrl: ${gateway.url}`,
        '    images:',
        `      registry: ${registry()}`,
        ...(tag ? [`      tag: ${tag}`] : []),
        '    cloud:',
        `      armEndpoint: ${fake.url}`,
        `      authorityHost: ${fake.url}`,
        '    agents:',
        '      intent-classifier: { cpu: 1, memory: 3 }',
        ...(o.responseStrategy ? [`    responseStrategy: ${o.responseStrategy}`, '    responseModel: gpt-4o'] : []),
        ...(o.integrations === false
          ? []
          : ['    integrations:', `      shopifyUrl: ${SHOP_URL}`, `      zendeskUrl: ${ZENDESK_URL}`, `      zendeskEmail: ${DEFAULT_MOCK_CREDENTIALS.zendesk.email}`]),
        ...(o.shopData === false ? [] : ['    shop:', `      data: ${DEMO}`]),
      ];
      await writeFile(path.join(dir, 'mac.yaml'), `${lines.join('\n')}\n`);
    },
  };
  await mkdir(path.join(dir, 'infra'), { recursive: true });
  await w.stack();
  await mkdir(path.join(dir, '.mac', 'prod'), { recursive: true, mode: 0o700 });
  // What mac infra bootstrap writes; a local backend has no settings, so the file is an empty object.
  await writeFile(path.join(dir, '.mac', 'prod', 'terraform-backend.json'), '{}\n');
  await w.yaml();
  gateway.serve(w);
  return w;
}

/** A terraform_data stand-in for templates/terraform/phase4_prod with the outputs the rollout reads. */
function stack(w: World, o: { legacy?: boolean; gatewayBackendIp?: string } = {}): string {
  const names = AGENT_NAMES.map((a) => `    "${a}" = "${w.groupName(a)}"`).join('\n');
  const legacy = o.legacy ? '\nresource "terraform_data" "legacy" {\n  input = "old"\n}\n' : '';
  const ips = o.gatewayBackendIp ? `\noutput "agent_private_ips" {\n  value = { "intent-classifier" = "${o.gatewayBackendIp}" }\n}\n` : '';
  return `${legacy}${ips}
resource "terraform_data" "network" {
  input = "vnet-multiagent-prod"
}

resource "terraform_data" "identity" {
  input = "id-multiagent-prod-agents"
}

output "resource_group_name" {
  value = "${w.rg}"
}

output "location" {
  value = "eastus"
}

output "container_group_names" {
  value = {
${names}
  }
}

output "agents_identity_id" {
  value = "/subscriptions/${fake.subscriptionId}/resourceGroups/${w.rg}/providers/Microsoft.ManagedIdentity/userAssignedIdentities/\${terraform_data.identity.output}"
}

output "agents_identity_client_id" {
  value = "c0ffee00-0000-4000-8000-000000000001"
}

output "container_subnet_id" {
  value = "/subscriptions/${fake.subscriptionId}/resourceGroups/${w.rg}/providers/Microsoft.Network/virtualNetworks/\${terraform_data.network.output}/subnets/snet-containers"
}

output "key_vault_uri" {
  value = "${keyVaultUrl(fake)}"
}

output "nats_url" {
  value = "nats://10.40.1.4:4222"
}

output "openai_endpoint" {
  value = "https://oai-test.openai.azure.com/"
}

output "openai_deployments" {
  value = { "gpt-4o-mini" = "gpt4o-mini-dep", "gpt-4o" = "gpt4o-dep", "text-embedding-3-large" = "embed-dep" }
}

output "cosmos_database_name" {
  value = "multiagent"
}

output "app_gateway_public_ip" {
  value = "203.0.113.10"
}

output "tags" {
  value = {
    environment   = "prod"
    "cost-center" = "customer-service"
    "managed-by"  = "terraform"
  }
}

output "application_insights_connection_string" {
  value     = "InstrumentationKey=never-read-by-mac"
  sensitive = true
}
`;
}

/** The registry holds `<agent>:<tag>` for every agent but `except`. */
function registerImages(tag: string, except: string[] = []): void {
  for (const agent of AGENT_NAMES) if (!except.includes(agent)) registryState(fake).images.add(`mac/${agent}:${tag}`);
}

/** Every secret an azure environment needs, plus the telemetry string Terraform seeds; unique canary values. */
async function seedSecrets(): Promise<Record<string, string>> {
  const store = new KeyVaultStore({
    vaultUrl: keyVaultUrl(fake),
    credential: new ClientSecretCredential(fake.tenantId, fake.clientId, fake.clientSecret, { authorityHost: fake.url, disableInstanceDiscovery: true }),
    keyVaultDnsSuffix: 'vault.azure.net',
  });
  const values: Record<string, string> = {};
  for (const s of KNOWN_SECRETS) values[s.name] = s.generate();
  values[TELEMETRY_SECRET] = `InstrumentationKey=${randomBytes(16).toString('hex')};IngestionEndpoint=https://eastus-8.in.applicationinsights.azure.com/`;
  for (const [name, value] of Object.entries(values)) await store.set(name, value, { tags: { source: 'test' } });
  fake.reset();
  return values;
}

function secureValues(vars: EnvVar[] | undefined): Record<string, string> {
  return Object.fromEntries((vars ?? []).filter((e) => e.secureValue !== undefined).map((e) => [e.name, e.secureValue!]));
}

/** Answers a share of ARM and Key Vault requests 429 (Retry-After: 0) or 503, from a seeded sequence. */
function injectFaults(share: number): { arm: number; keyVault: number } {
  let seed = 20_240_611;
  const next = () => {
    seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
    return seed / 2_147_483_648;
  };
  const counts = { arm: 0, keyVault: 0 };
  const decided = new WeakMap<FakeRequest, number | undefined>();
  const decide = (req: FakeRequest): number | undefined => {
    if (decided.has(req)) return decided.get(req);
    const arm = /^\/subscriptions\//i.test(req.path);
    const kv = /^\/(deleted)?secrets(\/|$)/i.test(req.path);
    let status: number | undefined;
    if ((arm || kv) && next() < share) {
      status = next() < 0.5 ? 429 : 503;
      counts[arm ? 'arm' : 'keyVault'] += 1;
    }
    decided.set(req, status);
    return status;
  };
  fake.faults.push(
    { match: (req) => decide(req) === 429, status: 429, headers: { 'Retry-After': '0' }, times: Infinity },
    { match: (req) => decide(req) === 503, status: 503, times: Infinity },
  );
  return counts;
}

async function filesUnder(dir: string): Promise<[string, string][]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true }).catch(() => []);
  const out: [string, string][] = [];
  for (const e of entries) {
    if (!e.isFile()) continue;
    const file = path.join(e.parentPath, e.name);
    out.push([file, await readFile(file, 'latin1')]);
  }
  return out;
}

// ---- the gateway stand-in ------------------------------------------------------------------------------------------

interface GatewayStandIn {
  url: string;
  /** How often the platform was started (once per Shopify token deployed). */
  starts: number;
  /** The Shopify token the running platform uses. */
  token?: string;
  serve(w: World): void;
  stop(): Promise<void>;
  close(): Promise<void>;
}

/**
 * The gateway as the agent containers would serve it: the real platform, started on the secure SHOPIFY_API_TOKEN
 * the knowledge-retrieval group was last deployed with, against the Shopify stand-in (which accepts well-formed
 * tokens only). No running group → 503; a token Shopify refuses → the platform cannot start → 503.
 */
async function startGatewayStandIn(): Promise<GatewayStandIn> {
  let current: { token: string; platform: RunningPlatform; stateDir: string } | undefined;
  let serving: World | undefined;
  let queue: Promise<unknown> = Promise.resolve();
  const self: GatewayStandIn = {
    url: '',
    starts: 0,
    serve(w) {
      serving = w;
    },
    async stop() {
      serving = undefined;
      await (queue = queue.then(() => shutdown()));
    },
    async close() {
      await self.stop();
      await proxy.close();
    },
  };
  const shutdown = async () => {
    if (!current) return;
    const old = current;
    current = undefined;
    self.token = undefined;
    await old.platform.close();
    await rm(old.stateDir, { recursive: true, force: true });
  };
  /** The platform for what is deployed now, (re)started when the deployed token changed. */
  const platform = (): Promise<RunningPlatform | string> => {
    const next = queue.then(async (): Promise<RunningPlatform | string> => {
      const g = serving?.group('knowledge-retrieval');
      if (!g || g.provisioningState !== 'Succeeded' || g.stopped) return 'the knowledge-retrieval container group is not running';
      const token = secureValues(g.body.properties.containers[0]?.properties.environmentVariables).SHOPIFY_API_TOKEN;
      if (!token) return 'the knowledge-retrieval container has no SHOPIFY_API_TOKEN';
      if (current?.token === token) return current.platform;
      await shutdown();
      const stateDir = await mkdtemp(path.join(os.tmpdir(), 'mac-azure-gateway-'));
      try {
        const started = await startPlatform({
          dataDir: DEMO,
          stateDir,
          port: 0,
          integrations: {
            mode: 'live',
            shopify: { baseUrl: mocks.urls.shopify, accessToken: token },
            zendesk: { baseUrl: mocks.urls.zendesk, email: DEFAULT_MOCK_CREDENTIALS.zendesk.email, apiToken: DEFAULT_MOCK_CREDENTIALS.zendesk.apiToken },
          },
          vaultKey: Buffer.alloc(32, 7),
        });
        current = { token, platform: started, stateDir };
        self.token = token;
        self.starts += 1;
        return started;
      } catch (err) {
        await rm(stateDir, { recursive: true, force: true });
        return `the platform did not start: ${(err as Error).message}`;
      }
    });
    queue = next.catch(() => undefined);
    return next;
  };
  const proxy = await startGatewayProxy(async () => {
    const target = await platform();
    return typeof target === 'string' ? { status: 503, body: { status: 'unavailable', reason: target } } : { forward: target.url };
  });
  self.url = proxy.url;
  return self;
}
