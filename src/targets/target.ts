// The target seam: what differs between running the platform on this machine and on Azure, and nothing else.
// Deploy, smoke, secret rotation and the DR drill are written once, over this interface (src/deploy, src/drill).
import type { ResolvedEnvironment } from '../config/load.js';
import type { SecretStore } from '../secrets/store.js';

/** What a deploy puts in place, recorded in the environment's release journal. */
export interface Release {
  /** Sortable id: `<UTC timestamp>-<first 8 of the fingerprint>`. */
  id: string;
  /** The toolkit/runtime version (package.json); on Azure, the image tag's version. */
  version: string;
  gitSha?: string;
  /** Hash of the environment's configuration and of the shop data it serves. */
  configHash: string;
  /** version + configHash: two releases with the same fingerprint run the same thing. */
  fingerprint: string;
  createdAt: string;
  /**
   * What the target needs to run this release again (rollback), in the target's own shape (local: the data folders
   * and settings; azure: the images and their sizes). Orchestration reads only the keys of ReleaseSpec.
   */
  spec: ReleaseSpec;
}

/** The part of a release's spec that orchestration (smoke, drill) reads; each target keeps its own typed spec. */
export interface ReleaseSpec {
  /**
   * The shop data folder the platform serves. The smoke test asks about one of its orders; without one the
   * order-status check is reported as skipped (the platform talks to a shop mac has no copy of).
   */
  dataDir?: string;
  /** How often the running platform takes a restore point by itself (the DR drill waits for one); absent: never. */
  backupIntervalSeconds?: number;
  [key: string]: unknown;
}

/** Progress of a long step: a line for the operator, an event under --json. */
export interface Progress {
  (message: string): void;
}

export interface ProcessStatus {
  /** `platform`, `integrations` (local) or an agent's container group (azure). */
  name: string;
  /** The agents this process or container group hosts. */
  agents: string[];
  state: 'running' | 'stopped' | 'unhealthy';
  pid?: number;
  url?: string;
  startedAt?: string;
  releaseId?: string;
  log?: string;
}

export interface LogLine {
  process: string;
  ts?: string;
  text: string;
}

export interface LogQuery {
  /** A process name or an agent name; every process when absent. */
  name?: string;
  /** Only lines at or after this time. */
  since?: Date;
}

export interface RestorePoint {
  id: string;
  createdAt: string;
}

export interface BackupStore {
  /** Takes a restore point now. */
  snapshot(): Promise<RestorePoint>;
  list(): Promise<RestorePoint[]>;
  /** Restores live data from a restore point (the latest by default); the platform must be stopped. */
  restore(id?: string): Promise<RestorePoint>;
}

export interface ProvisionOptions {
  /** Azure: apply even when the plan's projected monthly cost exceeds the budget (the cost gate). */
  overBudgetOk?: boolean;
}

export interface Target {
  readonly kind: 'local' | 'azure';
  readonly environment: ResolvedEnvironment;
  readonly secrets: SecretStore;
  readonly backups: BackupStore;
  /** The release this configuration would deploy (nothing is changed). */
  plan(): Promise<Release>;
  /** Creates what the platform needs before it can start: local state folders; on Azure, terraform apply. */
  provision(p: Progress, o?: ProvisionOptions): Promise<void>;
  /** Starts (or restarts, one process at a time) the platform on a release; returns once every process started. */
  rollout(release: Release, p: Progress): Promise<void>;
  /**
   * Restarts the processes hosting these agents on the release (after a secret rotation, so they read the new
   * value), and starts any process of the release that is not running.
   */
  restart(agents: readonly string[], release: Release, p: Progress): Promise<void>;
  /** Resolves once the gateway answers /ready, or rejects naming what is wrong. */
  waitReady(p: Progress, timeoutMs?: number): Promise<void>;
  status(): Promise<ProcessStatus[]>;
  gatewayUrl(): Promise<string | undefined>;
  logs(q: LogQuery): Promise<LogLine[]>;
  /** Stops every process; keeps data. */
  stop(p: Progress): Promise<void>;
  /**
   * Stops everything and deletes the environment's state. keepData keeps data, secrets and backups; keepBackups
   * deletes the live data but keeps the backups, as a cloud's backups outlive a destroy (the DR drill).
   */
  destroy(p: Progress, o: { keepData: boolean; keepBackups?: boolean }): Promise<void>;
}
