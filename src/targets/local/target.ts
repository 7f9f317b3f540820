// The local target: the platform as two detached processes on this machine — `integrations` (stand-ins for
// Shopify, Zendesk, Mailchimp and GA4, seeded from the shop data) and `platform` (gateway and the six agents,
// in-process transport) — with everything under .mac/<env>/: data/ (SQLite), vault, backups/, logs/, run/, traces/.
import { createHash } from 'node:crypto';
import { readdir, readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { execa } from 'execa';
import { webhookSecretsFrom } from '../../agents/gateway/webhook-auth.js';
import { ROLES, type PlatformLaunch, type Role } from '../../agents/launch.js';
import type { ResolvedEnvironment } from '../../config/load.js';
import { AGENT_NAMES, type LocalEnvironmentConfig } from '../../config/schema.js';
import { UsageError } from '../../errors.js';
import { demoShopDir, packageRoot } from '../../paths.js';
import type { SecretStore } from '../../secrets/store.js';
import type { BackupStore, LogLine, LogQuery, ProcessStatus, Progress, Release, ReleaseSpec, RestorePoint, Target } from '../target.js';
import { findProcesses, logFile, readRunRecord, startProcess, stopProcesses, tail } from './processes.js';
import { hashTree, mustBeDir } from '../shop-folder.js';

/** In-process transport: the platform process hosts every agent. */
const AGENTS_OF: Record<Role, readonly string[]> = { integrations: [], platform: AGENT_NAMES };

interface LocalSpec extends ReleaseSpec {
  dataDir: string;
  kbDir?: string;
  port: number;
  backupIntervalSeconds: number;
  backupKeep: number;
  policy: LocalEnvironmentConfig['shop']['policy'];
}

export class LocalTarget implements Target {
  readonly kind = 'local';
  readonly backups: BackupStore;
  private readonly config: LocalEnvironmentConfig;

  constructor(
    readonly environment: ResolvedEnvironment,
    readonly secrets: SecretStore,
    private readonly processEnv: NodeJS.ProcessEnv,
    private readonly now: () => Date = () => new Date(),
  ) {
    if (environment.config.target !== 'local') throw new Error(`${environment.name} is not a local environment`);
    this.config = environment.config;
    this.backups = new LocalBackups(this.stateDir, secrets.location, this.config.backups.keep, now);
  }

  get stateDir(): string {
    return this.environment.stateDir;
  }

  get dbFile(): string {
    return path.join(this.stateDir, 'data', 'platform.db');
  }

  async plan(): Promise<Release> {
    const { projectDir } = this.environment;
    const shop = this.config.shop;
    const dataDir = shop.data ? path.resolve(projectDir, shop.data) : demoShopDir;
    const kbDir = shop.kb ? path.resolve(projectDir, shop.kb) : undefined;
    await mustBeDir(dataDir, 'shop.data');
    if (kbDir) await mustBeDir(kbDir, 'shop.kb');
    const spec: LocalSpec = {
      dataDir,
      ...(kbDir ? { kbDir } : {}),
      port: this.config.port,
      backupIntervalSeconds: this.config.backups.intervalSeconds,
      backupKeep: this.config.backups.keep,
      policy: shop.policy,
    };
    const version = JSON.parse(await readFile(path.join(packageRoot, 'package.json'), 'utf8')).version as string;
    const hash = createHash('sha256').update(JSON.stringify(this.config));
    for (const dir of [dataDir, kbDir]) if (dir) await hashTree(dir, hash);
    const configHash = hash.digest('hex').slice(0, 16);
    const fingerprint = createHash('sha256').update(`${version}\n${configHash}`).digest('hex').slice(0, 16);
    const createdAt = this.now().toISOString();
    const git = await execa('git', ['-C', projectDir, 'rev-parse', 'HEAD'], { reject: false });
    return {
      id: `${createdAt.replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z')}-${fingerprint.slice(0, 8)}`,
      version,
      ...(git.exitCode === 0 ? { gitSha: git.stdout.trim() } : {}),
      configHash,
      fingerprint,
      createdAt,
      spec,
    };
  }

  async provision(p: Progress): Promise<void> {
    const { mkdir } = await import('node:fs/promises');
    for (const dir of ['data', 'backups', 'logs', 'run', 'traces']) await mkdir(path.join(this.stateDir, dir), { recursive: true, mode: 0o700 });
    p(`state in ${this.stateDir}`);
  }

  async rollout(release: Release, p: Progress): Promise<void> {
    await this.startRoles(['integrations', 'platform'], release, p);
  }

  async restart(agents: readonly string[], release: Release, p: Progress): Promise<void> {
    const running = new Set((await findProcesses(this.stateDir)).map((r) => r.role));
    const roles = ROLES.filter((r) => !running.has(r) || AGENTS_OF[r].some((a) => agents.includes(a)));
    // New stand-ins listen on new ports, which only a platform started after them knows.
    await this.startRoles(roles.includes('integrations') ? [...ROLES] : roles, release, p);
  }

  /** Restarts the given processes one at a time, in dependency order (the platform needs the integrations' URLs). */
  private async startRoles(roles: Role[], release: Release, p: Progress): Promise<void> {
    const spec = release.spec as LocalSpec;
    const running = await findProcesses(this.stateDir);
    for (const role of roles) {
      const old = running.filter((r) => r.role === role);
      if (old.length) {
        p(`stopping ${role} (pid ${old.map((o) => o.pid).join(', ')})`);
        await stopProcesses(old);
      }
      p(`starting ${role}`);
      const launch =
        role === 'integrations'
          ? ({ role, dataDir: spec.dataDir, releaseId: release.id } as const)
          : await this.platformLaunch(release, spec);
      const record = await startProcess(this.stateDir, launch);
      p(`${role} running (pid ${record.pid}) ${Object.values(record.urls).join(' ')}`);
    }
  }

  private async platformLaunch(release: Release, spec: LocalSpec): Promise<PlatformLaunch> {
    const integrations = await readRunRecord(this.stateDir, 'integrations');
    if (!integrations) throw new Error('the integrations process is not running');
    const [{ DEFAULT_MOCK_CREDENTIALS }, { masterKey, deriveKey }] = await Promise.all([
      import('../../agents/integrations/mocks/index.js'),
      import('../../secrets/key.js'),
    ]);
    const secret = async (name: string) => (await this.secrets.get(name)) ?? undefined;
    const u = integrations.urls;
    return {
      role: 'platform',
      dataDir: spec.dataDir,
      kbDir: spec.kbDir,
      port: spec.port,
      policy: spec.policy,
      integrations: {
        mode: 'live',
        shopify: { baseUrl: u.shopify!, accessToken: (await secret('shopify-api-token')) ?? DEFAULT_MOCK_CREDENTIALS.shopify.accessToken },
        zendesk: {
          baseUrl: u.zendesk!,
          email: DEFAULT_MOCK_CREDENTIALS.zendesk.email,
          apiToken: (await secret('zendesk-api-token')) ?? DEFAULT_MOCK_CREDENTIALS.zendesk.apiToken,
        },
        ga4: { ...DEFAULT_MOCK_CREDENTIALS.ga4, baseUrl: u.ga4 },
      },
      webhookSecrets: await webhookSecretsFrom(secret),
      piiVaultKey: deriveKey(await masterKey(this.environment.projectDir, this.processEnv), 'pii-vault').toString('hex'),
      backups: { intervalSeconds: spec.backupIntervalSeconds, keep: spec.backupKeep, companions: [this.secrets.location] },
      releaseId: release.id,
    };
  }

  async waitReady(p: Progress, timeoutMs = 60_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    let last = '';
    let reported = Date.now();
    while (Date.now() < deadline) {
      const url = await this.gatewayUrl();
      const alive = (await findProcesses(this.stateDir)).some((r) => r.role === 'platform');
      if (!alive) throw new Error(`the platform process is not running: ${await tail(logFile(this.stateDir, 'platform'), 3)}`);
      if (url) {
        const res = await fetch(new URL('/ready', url), { signal: AbortSignal.timeout(2_000) }).catch((err: Error) => err);
        if (!(res instanceof Error) && res.ok) return;
        last = res instanceof Error ? res.message : `HTTP ${res.status}`;
      }
      if (Date.now() - reported >= 1_000) {
        p(`waiting for ${url ?? 'the gateway'}/ready${last ? ` (${last})` : ''}`);
        reported = Date.now();
      }
      await new Promise((r) => setTimeout(r, 200));
    }
    throw new Error(`the gateway did not become ready within ${timeoutMs / 1000}s${last ? ` (last answer: ${last})` : ''}`);
  }

  async status(): Promise<ProcessStatus[]> {
    const running = await findProcesses(this.stateDir);
    const out: ProcessStatus[] = [];
    for (const role of ROLES) {
      const pids = running.filter((r) => r.role === role).map((r) => r.pid);
      const record = await readRunRecord(this.stateDir, role);
      const pid = record && pids.includes(record.pid) ? record.pid : pids[0];
      let state: ProcessStatus['state'] = pid === undefined ? 'stopped' : 'running';
      const url = record?.urls.gateway;
      if (state === 'running' && role === 'platform' && url) {
        const res = await fetch(new URL('/health', url), { signal: AbortSignal.timeout(2_000) }).catch(() => undefined);
        if (!res?.ok) state = 'unhealthy';
      }
      out.push({
        name: role,
        agents: [...AGENTS_OF[role]],
        state,
        ...(pid !== undefined ? { pid } : {}),
        ...(url ? { url } : {}),
        ...(record && record.pid === pid ? { startedAt: record.startedAt, releaseId: record.releaseId } : {}),
        log: logFile(this.stateDir, role),
      });
    }
    return out;
  }

  async gatewayUrl(): Promise<string | undefined> {
    return (await readRunRecord(this.stateDir, 'platform'))?.urls.gateway;
  }

  async logs(q: LogQuery): Promise<LogLine[]> {
    const roles = ROLES.filter((r) => !q.name || q.name === r || AGENTS_OF[r].includes(q.name));
    if (!roles.length) {
      throw new UsageError(`No process or agent named "${q.name}".`, `Known: integrations, platform, ${AGENT_NAMES.join(', ')}.`);
    }
    const lines: LogLine[] = [];
    for (const role of roles) {
      const text = await readFile(logFile(this.stateDir, role), 'utf8').catch(() => '');
      for (const line of text.split('\n')) {
        if (!line) continue;
        const ts = /^(\d{4}-\d\d-\d\dT[\d:.]+Z) /.exec(line)?.[1];
        if (q.since && (!ts || new Date(ts) < q.since)) continue;
        lines.push({ process: role, ...(ts ? { ts } : {}), text: line });
      }
    }
    return lines.sort((a, b) => (a.ts ?? '').localeCompare(b.ts ?? ''));
  }

  async stop(p: Progress): Promise<void> {
    const running = await findProcesses(this.stateDir);
    if (running.length) {
      p(`stopping ${running.map((r) => `${r.role} (pid ${r.pid})`).join(', ')}`);
      await stopProcesses(running.sort((a) => (a.role === 'platform' ? -1 : 1)));
    }
    await rm(path.join(this.stateDir, 'run'), { recursive: true, force: true });
  }

  /**
   * Stops everything and deletes the environment's state. `keepData` keeps the data, vault and backups (only logs,
   * traces and run records go); `keepBackups` deletes the live data but keeps the backups, as Azure keeps them
   * through a destroy (the DR drill). The release journal and drill reports stay unless everything goes.
   */
  async destroy(p: Progress, o: { keepData: boolean; keepBackups?: boolean }): Promise<void> {
    await this.stop(p);
    const keep = o.keepData
      ? ['data', 'vault', 'backups', 'releases.jsonl', 'drills']
      : o.keepBackups
        ? ['backups', 'releases.jsonl', 'drills']
        : [];
    const entries = await readdir(this.stateDir).catch(() => [] as string[]);
    const removed = entries.filter((name) => !keep.includes(name) && name !== 'deploy.lock');
    for (const name of removed) await rm(path.join(this.stateDir, name), { recursive: true, force: true });
    p(`removed ${removed.length ? removed.join(', ') : 'nothing'} from ${this.stateDir}${keep.length ? `; kept ${keep.filter((k) => entries.includes(k)).join(', ')}` : ''}`);
  }
}

class LocalBackups implements BackupStore {
  constructor(
    private readonly stateDir: string,
    private readonly vaultFile: string,
    private readonly keep: number,
    private readonly now: () => Date,
  ) {}

  private async store() {
    const { SqliteBackups } = await import('../../agents/runtime/backups.js');
    return new SqliteBackups(path.join(this.stateDir, 'data', 'platform.db'), path.join(this.stateDir, 'backups'), {
      keep: this.keep,
      now: this.now,
      companions: [this.vaultFile],
    });
  }

  async snapshot(): Promise<RestorePoint> {
    const b = await (await this.store()).snapshot();
    return { id: b.id, createdAt: b.createdAt };
  }

  async list(): Promise<RestorePoint[]> {
    return (await (await this.store()).list()).map((b) => ({ id: b.id, createdAt: b.createdAt }));
  }

  async restore(id?: string): Promise<RestorePoint> {
    const b = await (await this.store()).restore(id);
    return { id: b.id, createdAt: b.createdAt };
  }
}

export async function openLocalTarget(env: ResolvedEnvironment, processEnv: NodeJS.ProcessEnv, now?: () => Date): Promise<LocalTarget> {
  const { openLocalVault } = await import('../../secrets/local-vault.js');
  return new LocalTarget(env, await openLocalVault(env, processEnv, now), processEnv, now);
}
