// The DR drill's report model: what was done when, what was measured against which policy, and the verdict.
// Rendered as JSON, Markdown and a self-contained HTML page (render.ts).

export interface DrillStep {
  /**
   * local: preflight, record-state, canaries, destroy, rebuild, restore, redeploy, smoke, verify; azure: preflight,
   * record-state, capture, destroy, wait, arm-restore, rebuild, recover-secrets, redeploy, smoke, disarm, verify
   */
  name: string;
  startedAt: string;
  endedAt: string;
  status: 'ok' | 'failed' | 'skipped';
  detail?: string;
}

export interface PolicyResult {
  policy: 'RTO' | 'RPO';
  targetSeconds: number;
  /** null when it could not be measured (the drill stopped before). */
  measuredSeconds: number | null;
  verdict: 'PolicyMet' | 'PolicyBreached';
}

export interface CanaryResult {
  written: number;
  survived: number;
  lost: number;
  /** When the newest canary that survived the restore was written. */
  newestSurvivingAt?: string;
  /** When the oldest lost canary was written. */
  oldestLostAt?: string;
  /** When the restored backup was taken: canaries after it are expected to be lost. */
  restoredBackupAt?: string;
  /** Canaries written before the restored backup that were nevertheless lost (should be 0). */
  lostBeforeBackup: number;
}

/** A Cosmos DB restore point as the azure drill captured and used it. */
export interface RestorePointResult {
  id: string;
  accountName: string;
  /** The restorable account (Terraform's cosmos_restore_source_id). */
  restorableSourceId: string;
  /** The point in time the data comes back to (Terraform's cosmos_restore_timestamp). */
  timestamp: string;
  capturedAt: string;
  /** What the rebuilt account says it was created from (read back after the rebuild). */
  restoredFrom?: { createMode: string; source?: string; timestamp?: string };
}

/** Terraform resource addresses (managed, every module) before the destroy and after the rebuild. */
export interface InfrastructureDiff {
  before: string[];
  after: string[];
  /** Before, not after: what the rebuild did not bring back. */
  missing: string[];
  /** After, not before. */
  added: string[];
}

/** Where a halted drill leaves the environment. */
export interface HaltReport {
  /** The step that failed. */
  step: string;
  /** One sentence: what state the environment is in. */
  summary: string;
  /** Resources the drill destroyed that are not back. */
  destroyed: string[];
  /** Resources the rebuild brought back before the drill stopped. */
  rebuilt: string[];
  /** What to run next, in order. */
  next: string[];
}

export interface StateDiffEntry {
  key: string;
  before: string;
  after: string;
  same: boolean;
}

export interface DrillReport {
  runId: string;
  environment: string;
  target: 'local' | 'azure';
  startedAt: string;
  endedAt: string;
  verdict: 'PASS' | 'FAIL';
  /** Why the verdict is FAIL (empty on PASS). */
  reasons: string[];
  steps: DrillStep[];
  policies: PolicyResult[];
  /** Local: the canary conversations written before the destroy, and which survived. */
  canaries?: CanaryResult;
  /** Azure: the Cosmos DB restore point captured before the destroy, from which the rebuild restored the data. */
  restorePoint?: RestorePointResult;
  /** Azure: Terraform's managed resources before the destroy and after the rebuild. */
  infrastructure?: InfrastructureDiff;
  /** When a step failed: where that leaves the environment, and what to run next. */
  halt?: HaltReport;
  /** Destroy started → smoke green. */
  destroyedAt?: string;
  recoveredAt?: string;
  stateBefore: Record<string, string>;
  stateAfter: Record<string, string>;
  stateDiff: StateDiffEntry[];
}
