// The DR drill's report model: what was done when, what was measured against which policy, and the verdict.
// Rendered as JSON, Markdown and a self-contained HTML page (render.ts).

export interface DrillStep {
  /** preflight, record-state, canaries, destroy, rebuild, restore, redeploy, smoke, verify */
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
  canaries: CanaryResult;
  /** Destroy started → smoke green. */
  destroyedAt?: string;
  recoveredAt?: string;
  stateBefore: Record<string, string>;
  stateAfter: Record<string, string>;
  stateDiff: StateDiffEntry[];
}
