// The azure target: the platform as Azure Container Instances, one container group per agent, in the infrastructure
// Terraform keeps (templates/terraform/phase4_prod) — the same Target seam as the local target, so `mac deploy`,
// `mac status|logs|smoke|destroy` and `mac secrets rotate` run the one orchestration of src/deploy and src/secrets.
//
//   plan       the release: per agent `<registry>/<agent>:<tag>` (tag = images.tag, or `<version>-<sha>` as
//              `mac images build` tags them) and its cpu/memory; read-only, and it checks that the registry has every
//              image, so a missing one stops the deploy (exit 4) before anything changes.
//   provision  terraform init (backend settings from .mac/<env>/terraform-backend.json) + plan + apply when there are
//              changes, with live progress; refuses a plan that deletes or replaces resources (that is for
//              `mac infra apply`, which shows the plan and asks); saves the outputs the rollout reads.
//   rollout    the eight agents' container groups (names, identity, subnet, location, tags from the outputs), their
//              environment, and secure environment values read from Key Vault now — each agent gets only the
//              secrets its catalog entry says it reads — deployed side by side by ContainerDeployer; when one fails,
//              every group goes back to the journal's previous release.
//   backups    Cosmos DB continuous-backup restore points (cosmos-backups.ts): snapshot captures and records one,
//              restore arms the next rebuild's apply (-var-file) to create the account in restore mode from it.
//   restart    a rotation: the groups are deployed again with freshly read secure values (Azure never returns them,
//              and restarting a group does not re-read them); the groups whose values did not change are skipped.
//
// NATS stays Terraform's: its group mounts the JetStream share with the storage account key, which lives only in
// Terraform state, and its image is not part of a release. Nothing here reads or writes it.
//
// Which release a group runs: .mac/<env>/azure-rollout.json records, after each rollout or restart, the release and the
// spec hash (the `mac-spec-hash` tag) of each group; a group whose tag still matches runs that release. The hash covers
// the secure values, so the record holds no value — only hashes.
import { createHash } from 'node:crypto';
import { chmod, mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { TokenCredential } from '@azure/identity';
import type { ResolvedEnvironment } from '../../config/load.js';
import { AGENT_NAMES, type AgentName, type AzureEnvironmentConfig, type ShopPolicyOverrides } from '../../config/schema.js';
import { ReleaseJournal } from '../../deploy/journal.js';
import { PreconditionError, UsageError } from '../../errors.js';
import { execaRunner, type Runner } from '../../exec.js';
import { packageRoot } from '../../paths.js';
import { KNOWN_SECRETS } from '../../secrets/catalog.js';
import type { RollbackOptions, SecretInfo, SecretMeta, SecretStore, SecretVersion, StoreCheck } from '../../secrets/store.js';
import { readTerraformOutputs, terraformOutputsPath } from '../../terraform/cli.js';
import { TerraformStack, type AzureEnvironment } from '../../terraform/stack.js';
import { defaultAgentResources } from '../../terraform/tfvars.js';
import type { LogLine, LogQuery, ProcessStatus, Progress, ProvisionOptions, Release, ReleaseSpec, Target } from '../target.js';
import { CosmosBackups } from './cosmos-backups.js';
import { ContainerDeployer, specHash, type DeployOutcome, type GroupSpec } from './containers.js';
import { hashTree, mustBeDir } from '../shop-folder.js';

/** How the target talks to Azure. The defaults suit Azure; tests make them fast (Deps targetOptions). */
export interface AzureTuning {
  /** Interval between polls of long-running operations and instance views (default 5 s). */
  pollIntervalMs?: number;
  /** Retries of the Azure SDK pipelines and of ContainerDeployer (429 with Retry-After, 5xx, resets). */
  retry?: { maxRetries?: number; retryDelayInMs?: number; maxRetryDelayInMs?: number };
  /** How long a provisioned group's containers may take to run (default 10 min). */
  groupReadyTimeoutMs?: number;
}

export interface AzureTargetOptions {
  now?: () => Date;
  runner?: Runner;
  azure?: AzureTuning;
  /** Default: createCredential(cloud) — a service principal from ARM_* / AZURE_*, else DefaultAzureCredential. */
  credential?: TokenCredential;
}

/** The port the agent runtime serves /health and /ready on (templates/terraform/modules/agent). */
export const AGENT_PORT = 8080;
/** The runtime in the image (templates/docker/Dockerfile's entrypoint). */
const AGENT_COMMAND = ['node', 'dist/agents/main.js'];
/** Where the rollout record lives under .mac/<env>/. */
export const ROLLOUT_FILE = 'azure-rollout.json';
/**
 * Terraform seeds the Application Insights connection string into Key Vault (key_vault.tf), since its output is
 * sensitive and mac never reads sensitive outputs; every agent gets it as a secure value when the vault has it.
 */
export const TELEMETRY_SECRET = 'applicationinsights-connection-string';

/** What an azure release runs: the spec kept in the journal (no secret in it). */
export interface AzureSpec extends ReleaseSpec {
  target: 'azure';
  /** Registry and namespace, e.g. multiagentacr.azurecr.io or myacr.azurecr.io/mac. */
  registry: string;
  imageTag: string;
  agents: Record<string, { image: string; cpu: number; memoryGb: number }>;
  languages: string[];
  policy: ShopPolicyOverrides;
}

/** The Terraform outputs the rollout reads (templates/terraform/phase4_prod/outputs.tf). */
interface RolloutOutputs {
  resourceGroup: string;
  location: string;
  groupNames: Record<string, string>;
  identityId: string;
  identityClientId?: string;
  subnetId?: string;
  keyVaultUri?: string;
  natsUrl?: string;
  openaiEndpoint?: string;
  /** Azure OpenAI deployment names by model (openai_deployments output). */
  openaiDeployments: Record<string, string>;
  cosmosDatabase?: string;
  tags: Record<string, string>;
  gatewayIp?: string;
  agentIps: Record<string, string>;
}

interface RolloutRecord {
  releaseId: string;
  at: string;
  /** Group name → spec hash deployed. */
  groups: Record<string, string>;
}

/** Where the agents reach Shopify and Zendesk (container-settings.ts in the runtime reads these). */
function integrationsEnvironment(i: AzureEnvironmentConfig['integrations']): Record<string, string> {
  return i ? { SHOPIFY_URL: i.shopifyUrl, ZENDESK_URL: i.zendeskUrl, ZENDESK_EMAIL: i.zendeskEmail } : {};
}

/** `shopify-api-token` → `SHOPIFY_API_TOKEN`: the secure environment variable a secret reaches its agents as. */
export function secretEnvName(secret: string): string {
  return secret.toUpperCase().replace(/-/g, '_');
}

/** A secure value and the Key Vault version it was read at. */
interface SecureValue {
  value: string;
  version?: string;
}

export class AzureTarget implements Target {
  readonly kind = 'azure';
  readonly secrets: SecretStore;
  /** Cosmos DB restore points; restore() arms the next rebuild's apply (see cosmos-backups.ts). */
  readonly backups: CosmosBackups;
  private readonly config: AzureEnvironmentConfig;
  private readonly runner: Runner;
  private readonly tuning: AzureTuning;
  private credentialValue?: TokenCredential;

  constructor(
    readonly environment: AzureEnvironment,
    secrets: SecretStore,
    private readonly processEnv: NodeJS.ProcessEnv,
    private readonly o: AzureTargetOptions = {},
  ) {
    this.config = environment.config;
    this.secrets = secrets;
    this.runner = o.runner ?? execaRunner;
    this.tuning = o.azure ?? {};
    this.backups = new CosmosBackups(environment, {
      credential: () => this.credential,
      now: () => this.now,
      ...(this.tuning.pollIntervalMs !== undefined ? { pollIntervalMs: this.tuning.pollIntervalMs } : {}),
    });
  }

  private get now(): Date {
    return (this.o.now ?? (() => new Date()))();
  }

  private get credential(): TokenCredential {
    return (this.credentialValue ??= this.o.credential ?? lazyCredential(this.config, this.processEnv));
  }

  // ---- plan ------------------------------------------------------------------------------------------------------

  async plan(): Promise<Release> {
    const { projectDir } = this.environment;
    const cfg = this.config;
    if (!cfg.integrations) {
      // The intent-classifier, knowledge-retrieval and escalation-handler containers would exit at start without them.
      throw new PreconditionError(
        `${this.environment.name} does not say where the agents reach Shopify and Zendesk: the intent-classifier, knowledge-retrieval and escalation-handler containers cannot start without it.`,
        `Add to environments.${this.environment.name} in mac.yaml:\n  integrations:\n    shopifyUrl: https://<shop>.myshopify.com\n    zendeskUrl: https://<account>.zendesk.com\n    zendeskEmail: <the Zendesk agent the API token belongs to>`,
      );
    }
    const version = JSON.parse(await readFile(path.join(packageRoot, 'package.json'), 'utf8')).version as string;
    const imageTag = cfg.images.tag !== 'latest' ? cfg.images.tag : await defaultImageTag(this.runner, packageRoot);
    const registry = (cfg.images.registry ?? `${cfg.namePrefix}acr.azurecr.io`).replace(/\/+$/, '');
    const agents = Object.fromEntries(
      AGENT_NAMES.map((agent) => {
        const size = cfg.agents[agent] ?? defaultAgentResources(agent);
        return [agent, { image: `${registry}/${agent}:${imageTag}`, cpu: size.cpu, memoryGb: size.memory }];
      }),
    );
    const dataDir = cfg.shop.data ? path.resolve(projectDir, cfg.shop.data) : undefined;
    if (dataDir) await mustBeDir(dataDir, 'shop.data');
    const spec: AzureSpec = {
      target: 'azure',
      ...(dataDir ? { dataDir } : {}),
      registry,
      imageTag,
      agents,
      languages: cfg.languages,
      policy: cfg.shop.policy,
    };

    const hash = createHash('sha256').update(JSON.stringify(cfg)).update(`\n${imageTag}\n`);
    if (dataDir) await hashTree(dataDir, hash);
    const configHash = hash.digest('hex').slice(0, 16);
    const fingerprint = createHash('sha256').update(`${version}\n${configHash}`).digest('hex').slice(0, 16);
    const createdAt = this.now.toISOString();
    const git = await this.runner.run('git', ['-C', projectDir, 'rev-parse', 'HEAD'], { timeoutMs: 15_000 });

    // Read-only, before anything changes: a release whose images are not in the registry cannot start.
    const images = Object.values(agents).map((a) => a.image);
    const { missingImages } = await import('../../azure/registry.js');
    const tenantId = this.processEnv.AZURE_TENANT_ID ?? this.processEnv.ARM_TENANT_ID;
    const missing = await missingImages(images, this.credential, tenantId ? { tenantId } : {});
    if (missing.length) {
      throw new PreconditionError(
        `The registry ${registry.split('/')[0]} lacks ${missing.length} of the release's ${images.length} images: ${missing.join(', ')}.`,
        `Build and push them with: mac images build -e ${this.environment.name}${cfg.images.tag !== 'latest' ? ` --tag ${imageTag}` : ''}`,
      );
    }

    return {
      id: `${createdAt.replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z')}-${fingerprint.slice(0, 8)}`,
      version,
      ...(git.exitCode === 0 && /^[0-9a-f]{40}$/.test(git.stdout.trim()) ? { gitSha: git.stdout.trim() } : {}),
      configHash,
      fingerprint,
      createdAt,
      spec,
    };
  }

  // ---- provision -------------------------------------------------------------------------------------------------

  async provision(p: Progress, o: ProvisionOptions = {}): Promise<void> {
    const stack = await TerraformStack.open(this.environment, { runner: this.runner, processEnv: this.processEnv });
    p(`terraform init (${stack.dir})`);
    await stack.init();
    const plan = await stack.plan({ onProgress: p });
    if (plan.changes && plan.destroy > 0) {
      await stack.discardPlan();
      const doomed = plan.resources.filter((r) => r.action === 'delete' || r.action === 'replace').map((r) => `${r.address} (${r.action})`);
      throw new PreconditionError(
        `The infrastructure plan for ${this.environment.name} deletes or replaces ${plan.destroy} resource(s): ${doomed.join(', ')}. ` +
          'mac deploy applies only additions and in-place changes.',
        `Review the plan with mac infra plan -e ${this.environment.name}, apply it with mac infra apply -e ${this.environment.name}, then deploy again.`,
      );
    }
    if (plan.changes) {
      // The cost gate: exit 5 before applying when the projection exceeds the budget, unless --over-budget-ok.
      const { gatePlan } = await import('../../cost/plan-estimate.js');
      await gatePlan(stack, { now: this.now, command: `mac deploy -e ${this.environment.name}`, overBudgetOk: o.overBudgetOk, progress: p }).catch(async (err) => {
        await stack.discardPlan();
        throw err;
      });
      p(`terraform apply: ${plan.add} to add, ${plan.change} to change`);
      await stack.apply(p);
    } else {
      p('infrastructure up to date (no Terraform changes)');
    }
    await stack.discardPlan();
    const saved = await stack.saveOutputs();
    rolloutOutputs(saved.values, this.environment);
    p(`outputs saved to ${saved.outputsFile}`);
  }

  // ---- rollout / restart -----------------------------------------------------------------------------------------

  async rollout(release: Release, p: Progress): Promise<void> {
    const spec = azureSpec(release);
    const outputs = await this.outputs();
    const values = await this.secretValues();
    const specs = this.groupSpecs(spec, outputs, values);
    const previous = await new ReleaseJournal(this.environment.stateDir).current();
    const rollbackTo = previous && previous.id !== release.id ? this.groupSpecs(azureSpec(previous), outputs, values) : undefined;
    if (rollbackTo) p(`on failure every group goes back to release ${previous!.id}`);
    const outcome = await this.deployer(outputs).deploy(specs, p, rollbackTo ? { rollbackTo } : {});
    p(summarize(outcome));
    await this.writeRecord(release, specs);
    await this.repointGateway(outcome, outputs, p);
  }

  async restart(agents: readonly string[], release: Release, p: Progress): Promise<void> {
    const outputs = await this.outputs();
    // Every group of the release, with secure values read now: the groups of `agents` change (their value did),
    // the others are skipped by their spec hash unless one is missing or stopped.
    const specs = this.groupSpecs(azureSpec(release), outputs, await this.secretValues());
    p(`redeploying the groups of ${agents.join(', ')} with the secure values Key Vault holds now`);
    const outcome = await this.deployer(outputs).deploy(specs, p);
    p(summarize(outcome));
    await this.writeRecord(release, specs);
    await this.repointGateway(outcome, outputs, p);
  }

  /**
   * The Application Gateway sends traffic to intent-classifier's private IP, which Terraform read when it built the
   * gateway. Container Instances may hand a redeployed group another IP: then apply again, which re-points the pool.
   */
  private async repointGateway(outcome: DeployOutcome, outputs: RolloutOutputs, p: Progress): Promise<void> {
    const known = outputs.agentIps['intent-classifier'];
    const now = outcome.groups.find((g) => g.agent === 'intent-classifier')?.ip;
    if (!known || !now || known === now) return;
    p(`intent-classifier moved from ${known} to ${now}: re-pointing the Application Gateway (terraform apply)`);
    // Only the backend pool's address changes: the cost the deploy's provision already passed through the gate.
    await this.provision(p, { overBudgetOk: true });
  }

  /** The container groups of a release: what each agent runs, with the secure values given. */
  private groupSpecs(spec: AzureSpec, o: RolloutOutputs, values: Map<string, SecureValue>): GroupSpec[] {
    const keyVaultUri = this.config.keyVaultUrl ?? o.keyVaultUri;
    const telemetry = values.get(TELEMETRY_SECRET);
    return AGENT_NAMES.filter((agent) => spec.agents[agent]).map((agent) => {
      const a = spec.agents[agent]!;
      const environment: Record<string, string> = {
        AGENT_NAME: agent,
        PORT: String(AGENT_PORT),
        MAC_ENVIRONMENT: this.environment.name,
        MAC_TRANSPORT: 'nats',
        MAC_LANGUAGES: spec.languages.join(','),
        ...(o.natsUrl ? { NATS_URL: o.natsUrl } : {}),
        ...(keyVaultUri ? { KEY_VAULT_URI: keyVaultUri } : {}),
        ...(o.identityClientId ? { AZURE_CLIENT_ID: o.identityClientId } : {}),
        ...(o.openaiEndpoint ? { AZURE_OPENAI_ENDPOINT: o.openaiEndpoint } : {}),
        ...(o.cosmosDatabase ? { COSMOS_DATABASE: o.cosmosDatabase } : {}),
        ...(Object.keys(spec.policy).length ? { MAC_SHOP_POLICY: JSON.stringify(spec.policy) } : {}),
        ...integrationsEnvironment(this.config.integrations),
        ...(agent.startsWith('response-generator-') ? this.responseEnvironment(o) : {}),
      };
      const secureEnvironment: Record<string, string> = {};
      const secureVersions: Record<string, string> = {};
      const secure = (envName: string, v: SecureValue): void => {
        secureEnvironment[envName] = v.value;
        if (v.version) secureVersions[envName] = v.version;
      };
      for (const secret of KNOWN_SECRETS) {
        const v = values.get(secret.name);
        if (v !== undefined && secret.consumers.includes(agent as AgentName)) secure(secretEnvName(secret.name), v);
      }
      if (telemetry !== undefined) secure('APPLICATIONINSIGHTS_CONNECTION_STRING', telemetry);
      return {
        name: o.groupNames[agent]!,
        agent,
        image: a.image,
        cpu: a.cpu,
        memoryGb: a.memoryGb,
        port: AGENT_PORT,
        environment,
        secureEnvironment,
        secureVersions,
        identityId: o.identityId,
        ...(o.subnetId ? { subnetId: o.subnetId } : {}),
        location: o.location,
        tags: o.tags,
        // Container Instances' command replaces the image's entrypoint: the runtime as one agent
        // (templates/docker/Dockerfile, DESIGN §2), its settings from this environment and Key Vault.
        command: [...AGENT_COMMAND, '--agent', agent, '--state-dir', '/home/node/state'],
      };
    });
  }

  /** How the response generators write replies: offline templates, or Azure OpenAI's deployment of responseModel. */
  private responseEnvironment(o: RolloutOutputs): Record<string, string> {
    const { responseStrategy, responseModel } = this.config;
    if (responseStrategy === 'offline') return { MAC_RESPONSE_STRATEGY: 'offline' };
    const deployment = o.openaiDeployments[responseModel];
    if (!deployment || !o.openaiEndpoint) {
      throw new PreconditionError(
        `responseStrategy is azure-openai but Terraform's outputs name no ${!o.openaiEndpoint ? 'openai_endpoint' : `deployment of ${responseModel} (openai_deployments)`}.`,
        `Run mac infra apply -e ${this.environment.name}, or set responseStrategy: offline in mac.yaml.`,
      );
    }
    return { MAC_RESPONSE_STRATEGY: 'azure-openai', AZURE_OPENAI_DEPLOYMENT: deployment };
  }

  /** Current values of the secrets agents read (known secrets and the telemetry string), read from Key Vault now. */
  private async secretValues(): Promise<Map<string, SecureValue>> {
    const names = [...KNOWN_SECRETS.map((s) => s.name), TELEMETRY_SECRET];
    const present = new Set((await this.secrets.list()).map((s) => s.name));
    const values = new Map<string, SecureValue>();
    await Promise.all(
      names
        .filter((n) => present.has(n))
        .map(async (name) => {
          // The version goes into the group's spec hash in place of the value (see containers.ts).
          const read = this.secrets.current ? await this.secrets.current(name) : undefined;
          const value = read?.value ?? (await this.secrets.get(name));
          if (value !== undefined) values.set(name, { value, ...(read ? { version: read.version } : {}) });
        }),
    );
    return values;
  }

  // ---- readiness, status, logs -----------------------------------------------------------------------------------

  async waitReady(p: Progress, timeoutMs = 90_000): Promise<void> {
    const url = await this.gatewayUrl();
    if (!url) {
      throw new PreconditionError(
        `${this.environment.name} has no gateway URL: no gatewayUrl in mac.yaml and no app_gateway_public_ip output.`,
        `Set environments.${this.environment.name}.gatewayUrl, or run mac infra apply -e ${this.environment.name}.`,
      );
    }
    const deadline = Date.now() + timeoutMs;
    let last = '';
    let reported = Date.now();
    while (Date.now() < deadline) {
      const res = await fetch(new URL('/ready', url), { signal: AbortSignal.timeout(5_000) }).catch((err: Error) => err);
      if (!(res instanceof Error) && res.ok) return;
      last = res instanceof Error ? (res.cause instanceof Error ? res.cause.message : res.message) : `HTTP ${res.status}`;
      if (Date.now() - reported >= 2_000) {
        p(`waiting for ${url}/ready (${last})`);
        reported = Date.now();
      }
      await new Promise((r) => setTimeout(r, Math.min(1_000, this.tuning.pollIntervalMs ?? 1_000)));
    }
    throw new Error(`the gateway ${url} did not become ready within ${timeoutMs / 1000}s (last answer: ${last})`);
  }

  async gatewayUrl(): Promise<string | undefined> {
    if (this.config.gatewayUrl) return this.config.gatewayUrl;
    const ip = (await readTerraformOutputs(this.environment.stateDir))?.app_gateway_public_ip;
    return typeof ip === 'string' && ip ? `https://${ip}` : undefined;
  }

  async status(): Promise<ProcessStatus[]> {
    const outputs = await this.outputs({ required: false });
    let groups;
    try {
      groups = await this.deployer(outputs).status();
    } catch (err) {
      // No resource group yet: nothing runs.
      if ((err as { statusCode?: number }).statusCode === 404) return [];
      throw err;
    }
    const record = await this.readRecord();
    return groups.map((g) => {
      const releaseId = record && g.specHash && record.groups[g.name] === g.specHash ? record.releaseId : undefined;
      return { ...g, ...(releaseId ? { releaseId } : {}) };
    });
  }

  async logs(q: LogQuery): Promise<LogLine[]> {
    const outputs = await this.outputs({ required: false });
    const groups = (await this.status()).map((s) => ({ name: s.name, agent: s.agents[0] ?? s.name }));
    const wanted = groups.filter((g) => !q.name || q.name === g.agent || q.name === g.name);
    if (!wanted.length) {
      if (q.name && !AGENT_NAMES.includes(q.name as AgentName) && !groups.some((g) => g.name === q.name)) {
        throw new UsageError(`No agent or container group named "${q.name}".`, `Known agents: ${AGENT_NAMES.join(', ')}.`);
      }
      return [];
    }
    const deployer = this.deployer(outputs);
    const all = await Promise.all(
      wanted.map(async (g) => (await deployer.logs(g.name)).map((l) => ({ ...l, process: g.agent }))),
    );
    return all
      .flat()
      .filter((l) => !q.since || (l.ts !== undefined && new Date(l.ts) >= q.since))
      .sort((a, b) => (a.ts ?? '').localeCompare(b.ts ?? ''));
  }

  // ---- stop / destroy --------------------------------------------------------------------------------------------

  /** Stops every agent group (Azure stops billing their containers); a later deploy starts them again. */
  async stop(p: Progress): Promise<void> {
    const outputs = await this.outputs({ required: false });
    const names = Object.values(outputs.groupNames);
    if (!names.length) return;
    await this.deployer(outputs).stop(names, p);
  }

  /**
   * terraform destroy of the whole environment. The Key Vault goes into soft delete (recoverable for 90 days); the
   * Cosmos DB account and its data are deleted. keepData is refused: mac cannot yet destroy around the data.
   * keepBackups (the DR drill): what outlives the resources stays — the recorded Cosmos DB restore points and an armed
   * restore (Azure keeps the continuous backups of a deleted account), and the release journal the rebuild redeploys.
   */
  async destroy(p: Progress, o: { keepData: boolean; keepBackups?: boolean }): Promise<void> {
    if (o.keepData) throw keepDataRefused(this.environment.name);
    const stack = await TerraformStack.open(this.environment, { runner: this.runner, processEnv: this.processEnv });
    p(`terraform init (${stack.dir})`);
    await stack.init();
    const plan = await stack.plan({ destroy: true, onProgress: p });
    if (plan.changes) {
      p(`terraform destroy: ${plan.destroy} resource(s)`);
      await stack.apply(p);
    } else {
      p('nothing to destroy');
    }
    await stack.discardPlan();
    await stack.forgetOutputs();
    // The journal and rollout record describe what no longer exists; terraform-backend.json (the state's storage,
    // which outlives the environment) stays for the next mac infra apply.
    const dir = this.environment.stateDir;
    const removed: string[] = [];
    for (const name of [ROLLOUT_FILE, ...(o.keepBackups ? [] : ['releases.jsonl'])]) {
      if (await stat(path.join(dir, name)).catch(() => undefined)) removed.push(name);
      await rm(path.join(dir, name), { force: true });
    }
    const kept = (await readdir(dir).catch(() => [] as string[])).filter((n) => n !== 'deploy.lock');
    p(`removed ${[path.basename(terraformOutputsPath(dir)), ...removed].join(', ')} from ${dir}${kept.length ? `; kept ${kept.join(', ')}` : ''}`);
  }

  // ---- what the DR drill reads ------------------------------------------------------------------------------------

  /**
   * The managed resource instances Terraform's state holds (refreshed, every module, tainted ones left out) and what a
   * plan would change now: a plan saved and read with `terraform show -json` (its prior_state), then discarded.
   * Nothing is applied.
   */
  async infrastructure(p: Progress): Promise<{ addresses: string[]; pending: { add: number; change: number; destroy: number } }> {
    const stack = await TerraformStack.open(this.environment, { runner: this.runner, processEnv: this.processEnv });
    await stack.init();
    try {
      const plan = await stack.plan({ onProgress: p });
      const shown = (await stack.tf.showJson(plan.planFile)) as { prior_state?: { values?: { root_module?: StateModule } } };
      const addresses = stateAddresses(shown.prior_state?.values?.root_module);
      return { addresses, pending: { add: plan.add, change: plan.change, destroy: plan.destroy } };
    } finally {
      await stack.discardPlan();
    }
  }

  /** The Key Vault's URL (mac.yaml's keyVaultUrl or the key_vault_uri output) and how to reach it, for the drill's recovery. */
  async keyVaultAccess(): Promise<{ vaultUrl: string; credential: TokenCredential; keyVaultDnsSuffix: string; retry?: AzureTuning['retry']; pollIntervalMs?: number }> {
    const { terraformKeyVaultUri } = await import('../../secrets/open.js');
    const vaultUrl = this.config.keyVaultUrl ?? (await terraformKeyVaultUri(this.environment.stateDir));
    if (!vaultUrl) {
      throw new PreconditionError(
        `${this.environment.name} has no keyVaultUrl in mac.yaml and no key_vault_uri output: mac cannot tell which Key Vault to recover secrets in.`,
        `Run mac infra apply -e ${this.environment.name}, or set environments.${this.environment.name}.keyVaultUrl in mac.yaml.`,
      );
    }
    return {
      vaultUrl,
      credential: this.credential,
      keyVaultDnsSuffix: this.config.cloud.keyVaultDnsSuffix,
      ...(this.tuning.retry ? { retry: this.tuning.retry } : {}),
      ...(this.tuning.pollIntervalMs !== undefined ? { pollIntervalMs: this.tuning.pollIntervalMs } : {}),
    };
  }

  // ---- helpers -----------------------------------------------------------------------------------------------------

  private deployer(o: RolloutOutputs): ContainerDeployer {
    return new ContainerDeployer(this.credential, this.config.subscription, o.resourceGroup, {
      endpoint: this.config.cloud.armEndpoint,
      ...(this.tuning.pollIntervalMs !== undefined ? { pollIntervalMs: this.tuning.pollIntervalMs } : {}),
      ...(this.tuning.groupReadyTimeoutMs !== undefined ? { readyTimeoutMs: this.tuning.groupReadyTimeoutMs } : {}),
      ...(this.tuning.retry ? { retry: this.tuning.retry } : {}),
    });
  }

  /** The saved Terraform outputs the rollout needs; `required: false` settles for the config's resource group. */
  private async outputs(o: { required?: boolean } = {}): Promise<RolloutOutputs> {
    const values = await readTerraformOutputs(this.environment.stateDir);
    if (values) return rolloutOutputs(values, this.environment);
    if (o.required === false) {
      return { resourceGroup: this.config.resourceGroup, location: this.config.region, groupNames: {}, identityId: '', openaiDeployments: {}, tags: {}, agentIps: {} };
    }
    throw new PreconditionError(
      `${this.environment.name} has no Terraform outputs (${terraformOutputsPath(this.environment.stateDir)}): the infrastructure was not applied from here.`,
      `Run mac infra apply -e ${this.environment.name} (or mac deploy -e ${this.environment.name}, which applies it).`,
    );
  }

  private recordFile(): string {
    return path.join(this.environment.stateDir, ROLLOUT_FILE);
  }

  private async writeRecord(release: Release, specs: GroupSpec[]): Promise<void> {
    const record: RolloutRecord = { releaseId: release.id, at: this.now.toISOString(), groups: Object.fromEntries(specs.map((s) => [s.name, specHash(s)])) };
    await mkdir(this.environment.stateDir, { recursive: true, mode: 0o700 });
    const file = this.recordFile();
    const tmp = `${file}.${process.pid}.tmp`;
    await writeFile(tmp, `${JSON.stringify(record, null, 2)}\n`, { mode: 0o600 });
    await chmod(tmp, 0o600);
    await rename(tmp, file);
  }

  private async readRecord(): Promise<RolloutRecord | undefined> {
    try {
      return JSON.parse(await readFile(this.recordFile(), 'utf8')) as RolloutRecord;
    } catch {
      return undefined;
    }
  }
}

/**
 * The Key Vault, opened on first use: mac.yaml's keyVaultUrl, or the key_vault_uri output that provision saves — so a
 * first `mac deploy` can create the vault before anything reads it.
 */
class VaultOnDemand implements SecretStore {
  readonly kind = 'azure-key-vault';
  private store?: Promise<SecretStore>;
  private opened?: SecretStore;

  constructor(
    private readonly open: () => Promise<SecretStore>,
    private readonly fallbackLocation: string,
  ) {}

  get location(): string {
    return this.opened?.location ?? this.fallbackLocation;
  }

  private async vault(): Promise<SecretStore> {
    if (!this.store) {
      this.store = this.open().then((s) => (this.opened = s));
      this.store.catch(() => (this.store = undefined));
    }
    return this.store;
  }

  async set(name: string, value: string, meta?: SecretMeta): Promise<SecretVersion> {
    return (await this.vault()).set(name, value, meta);
  }
  async get(name: string, version?: string): Promise<string | undefined> {
    return (await this.vault()).get(name, version);
  }
  async current(name: string): Promise<{ value: string; version: string } | undefined> {
    const vault = await this.vault();
    return vault.current?.(name);
  }
  async list(): Promise<SecretInfo[]> {
    return (await this.vault()).list();
  }
  async versions(name: string): Promise<SecretVersion[]> {
    return (await this.vault()).versions(name);
  }
  async rollback(name: string, options?: RollbackOptions): Promise<SecretVersion> {
    return (await this.vault()).rollback(name, options);
  }
  async check(): Promise<StoreCheck> {
    const vault = await this.vault();
    return vault.check ? vault.check() : { ok: true };
  }
}

function keepDataRefused(env: string): UsageError {
  return new UsageError(
    `--keep-data is not available on azure: terraform destroy removes the Cosmos DB account (the data) and the Key Vault with the rest, and mac cannot yet destroy around them.`,
    `Run mac destroy -e ${env} --yes to remove everything (the Key Vault stays recoverable for 90 days in soft delete), or remove single resources with terraform yourself.`,
  );
}

/** Refuses early (before any prompt) what AzureTarget.destroy refuses. */
export function checkDestroyOptions(env: ResolvedEnvironment, o: { keepData: boolean }): void {
  if (env.config.target === 'azure' && o.keepData) throw keepDataRefused(env.name);
}

function azureSpec(release: Release): AzureSpec {
  const spec = release.spec as Partial<AzureSpec>;
  if (spec.target !== 'azure' || !spec.agents || !spec.registry) {
    throw new UsageError(`Release ${release.id} was not planned for azure: it cannot run on the azure target.`, 'Deploy a new release with mac deploy.');
  }
  return spec as AzureSpec;
}

/** Reads and checks the outputs the rollout needs; PreconditionError naming what is missing. */
function rolloutOutputs(v: Record<string, unknown>, env: AzureEnvironment): RolloutOutputs {
  const str = (name: string): string | undefined => (typeof v[name] === 'string' && v[name] ? (v[name] as string) : undefined);
  const map = (name: string): Record<string, string> => {
    const m = v[name];
    if (!m || typeof m !== 'object' || Array.isArray(m)) return {};
    return Object.fromEntries(Object.entries(m).filter((e): e is [string, string] => typeof e[1] === 'string'));
  };
  const groupNames = map('container_group_names');
  const problems: string[] = [];
  const missingAgents = AGENT_NAMES.filter((a) => !groupNames[a]);
  if (missingAgents.length) problems.push(`container_group_names lacks ${missingAgents.join(', ')}`);
  if (!str('agents_identity_id')) problems.push('agents_identity_id is missing');
  if (problems.length) {
    throw new PreconditionError(
      `The Terraform outputs of ${env.name} do not describe the agents' container groups: ${problems.join('; ')}.`,
      `terraformDir (${env.config.terraformDir}) must be the Phase 4 root module (templates/terraform/phase4_prod), applied with mac infra apply -e ${env.name}.`,
    );
  }
  return {
    resourceGroup: str('resource_group_name') ?? env.config.resourceGroup,
    location: str('location') ?? env.config.region,
    groupNames,
    identityId: str('agents_identity_id')!,
    ...(str('agents_identity_client_id') ? { identityClientId: str('agents_identity_client_id') } : {}),
    ...(str('container_subnet_id') ? { subnetId: str('container_subnet_id') } : {}),
    ...(str('key_vault_uri') ? { keyVaultUri: str('key_vault_uri') } : {}),
    ...(str('nats_url') ? { natsUrl: str('nats_url') } : {}),
    ...(str('openai_endpoint') ? { openaiEndpoint: str('openai_endpoint') } : {}),
    openaiDeployments: map('openai_deployments'),
    ...(str('cosmos_database_name') ? { cosmosDatabase: str('cosmos_database_name') } : {}),
    tags: Object.keys(map('tags')).length ? map('tags') : { environment: env.name },
    ...(str('app_gateway_public_ip') ? { gatewayIp: str('app_gateway_public_ip') } : {}),
    agentIps: map('agent_private_ips'),
  };
}

interface StateModule {
  resources?: { address: string; mode?: string; tainted?: boolean }[];
  child_modules?: StateModule[];
}

/**
 * Managed resource addresses of a `terraform show -json` module tree, sorted. A tainted instance (its creation failed
 * part-way) does not count as there: the next apply replaces it.
 */
function stateAddresses(m: StateModule | undefined): string[] {
  const out: string[] = [];
  const walk = (mod: StateModule | undefined): void => {
    for (const r of mod?.resources ?? []) if (r.mode !== 'data' && !r.tainted) out.push(r.address);
    for (const c of mod?.child_modules ?? []) walk(c);
  };
  walk(m);
  return out.sort();
}

function summarize(o: DeployOutcome): string {
  const by = (action: string) => o.groups.filter((g) => g.action === action).length;
  const parts = (['created', 'updated', 'started', 'unchanged'] as const).filter((a) => by(a)).map((a) => `${by(a)} ${a}`);
  return `${o.groups.length} container groups: ${parts.join(', ')}`;
}

/** createCredential(cloud), built on first use: opening the target loads no Azure SDK. */
function lazyCredential(cfg: AzureEnvironmentConfig, processEnv: NodeJS.ProcessEnv): TokenCredential {
  let real: Promise<TokenCredential> | undefined;
  return {
    async getToken(scopes, options) {
      real ??= import('../../azure/credential.js').then((m) => m.createCredential(cfg.cloud, processEnv));
      return (await real).getToken(scopes, options);
    },
  };
}

async function defaultImageTag(runner: Runner, dir: string): Promise<string> {
  const { defaultImageTag: tag } = await import('../../azure/image-tag.js');
  return tag(runner, dir);
}

export async function openAzureTarget(env: ResolvedEnvironment, processEnv: NodeJS.ProcessEnv, o: AzureTargetOptions = {}): Promise<AzureTarget> {
  if (env.config.target !== 'azure') throw new Error(`${env.name} is not an azure environment`);
  const azureEnv = env as AzureEnvironment;
  const { openSecretStore } = await import('../../secrets/open.js');
  const retry = o.azure?.retry;
  const vault = new VaultOnDemand(
    () => openSecretStore(env, { processEnv, ...(retry ? { keyVault: { retryOptions: retry } } : {}) }),
    azureEnv.config.keyVaultUrl ?? `the Key Vault of ${env.name} (Terraform output key_vault_uri)`,
  );
  return new AzureTarget(azureEnv, vault, processEnv, o);
}
