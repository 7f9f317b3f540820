// What every DR drill shares, whatever the target: the run (id, report folder, the deploy lock), steps that each
// report their elapsed time and halt the drill when one fails, the policies measured against their targets, and the
// report written once at the end. The local drill (drill.ts) and the azure drill (azure.ts) differ only in their steps.
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { ReleaseJournal } from '../deploy/journal.js';
import type { Io } from '../io.js';
import { acquireLock } from '../secrets/lock.js';
import type { ProcessStatus, Progress, Release, Target } from '../targets/target.js';
import { formatDuration, writeDrillReport } from './render.js';
import type { DrillReport, DrillStep, PolicyResult, StateDiffEntry } from './report.js';

/** What both drills take from the command line. */
export interface DrillRunOptions {
  rtoSeconds: number;
  rpoSeconds: number;
  /** Where the report goes (default .mac/<env>/drills/<runId>). */
  reportDir?: string;
  runId?: string;
  /** Pause between the destroy and the rebuild (the time to notice and react; it counts in the RTO). */
  waitMs?: number;
  /** How long the redeployed platform may take to answer /ready (default 90 s). */
  readyTimeoutMs?: number;
  now?: () => Date;
}

export interface DrillFiles {
  json: string;
  markdown: string;
  html: string;
}

export interface DrillOutcome {
  report: DrillReport;
  files: DrillFiles;
}

/**
 * One drill run: its id and report folder, the environment's deploy lock (no deploy or other drill may change the
 * environment underneath it), and its steps. A step that throws is recorded as failed with its first line, the reason
 * is noted, and every later step is recorded as skipped — unless it is marked to run even after a halt.
 */
export class DrillRun {
  readonly steps: DrillStep[] = [];
  readonly reasons: string[] = [];
  /** The step that failed, once one has. */
  halted?: string;

  private constructor(
    readonly target: Target,
    private readonly io: Io,
    readonly runId: string,
    readonly startedAt: string,
    readonly reportDir: string,
    private readonly now: () => Date,
    private readonly lock: { release(): Promise<void> },
  ) {}

  static async start(target: Target, io: Io, o: Pick<DrillRunOptions, 'reportDir' | 'runId' | 'now'>): Promise<DrillRun> {
    const now = o.now ?? (() => new Date());
    const env = target.environment;
    const startedAt = now().toISOString();
    const runId = o.runId ?? startedAt.replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
    const reportDir = o.reportDir ?? (await freeDir(path.join(env.stateDir, 'drills'), runId));
    const lock = await acquireLock(path.join(env.stateDir, 'deploy.lock'), { purpose: 'mac dr-drill', timeoutMs: 0 });
    return new DrillRun(target, io, runId, startedAt, reportDir, now, lock);
  }

  iso(): string {
    return this.now().toISOString();
  }

  /** Whether a step ran and succeeded. */
  ok(name: string): boolean {
    return this.steps.some((s) => s.name === name && s.status === 'ok');
  }

  /**
   * Runs one step. `ownsIoStep`: the step prints its own progress line (the smoke test does); `evenIfHalted`: it runs
   * after an earlier step failed (putting things in order, not going on with the drill).
   */
  async step(
    name: string,
    fn: (p: Progress) => Promise<string | undefined>,
    o: { ownsIoStep?: boolean; evenIfHalted?: boolean } = {},
  ): Promise<void> {
    if (this.halted && !o.evenIfHalted) return this.skip(name, `not run: ${this.halted} failed`);
    const begun = this.iso();
    const s = o.ownsIoStep ? undefined : this.io.step(name);
    const p: Progress = (m) => {
      this.io.event('step.progress', { step: name, message: m });
      if (!this.io.json) this.io.info(`  ${m}`);
    };
    try {
      const detail = await fn(p);
      this.steps.push({ name, startedAt: begun, endedAt: this.iso(), status: 'ok', ...(detail ? { detail } : {}) });
      s?.done(detail);
    } catch (err) {
      const detail = (err as Error).message.split('\n')[0] ?? String(err);
      this.steps.push({ name, startedAt: begun, endedAt: this.iso(), status: 'failed', detail });
      s?.fail(detail);
      this.reasons.push(`Step ${name} failed: ${detail}`);
      this.halted ??= name;
    }
  }

  /** Records a step as not run. */
  skip(name: string, detail: string): void {
    const at = this.iso();
    this.io.step(name).skip(detail);
    this.steps.push({ name, startedAt: at, endedAt: at, status: 'skipped', detail });
  }

  /** RTO and RPO against their targets; a breach or a policy the drill could not measure becomes a reason. */
  policies(o: { rtoSeconds: number; rpoSeconds: number }, rto: number | null, rpo: number | null, rpoUnmeasured: string): PolicyResult[] {
    const policies = [policy('RTO', o.rtoSeconds, rto), policy('RPO', o.rpoSeconds, rpo)];
    for (const pr of policies) {
      if (pr.verdict === 'PolicyMet') continue;
      if (pr.measuredSeconds !== null) this.reasons.push(`${pr.policy} ${formatDuration(pr.measuredSeconds)} exceeds the target ${formatDuration(pr.targetSeconds)}.`);
      else if (pr.policy === 'RPO' && !this.halted) this.reasons.push(rpoUnmeasured);
      else this.reasons.push(`${pr.policy} not measured: the drill stopped at ${this.halted}.`);
    }
    return policies;
  }

  /** The report with what the run recorded (verdict FAIL when any reason was noted), written as JSON, Markdown, HTML. */
  async finish(
    fields: Omit<DrillReport, 'runId' | 'environment' | 'target' | 'startedAt' | 'endedAt' | 'verdict' | 'reasons' | 'steps'>,
  ): Promise<DrillOutcome> {
    const report: DrillReport = {
      runId: this.runId,
      environment: this.target.environment.name,
      target: this.target.kind,
      startedAt: this.startedAt,
      endedAt: this.iso(),
      verdict: this.reasons.length ? 'FAIL' : 'PASS',
      reasons: this.reasons,
      steps: this.steps,
      ...fields,
    };
    const files = await writeDrillReport(this.reportDir, report);
    return { report, files };
  }

  async release(): Promise<void> {
    await this.lock.release();
  }
}

/** Seconds from one ISO time to another, null when either is unknown. */
export function secondsBetween(from?: string, to?: string): number | null {
  return from && to ? (Date.parse(to) - Date.parse(from)) / 1000 : null;
}

function policy(name: 'RTO' | 'RPO', targetSeconds: number, measured: number | null): PolicyResult {
  const measuredSeconds = measured === null ? null : Math.round(measured * 1000) / 1000;
  return {
    policy: name,
    targetSeconds,
    measuredSeconds,
    verdict: measuredSeconds !== null && measuredSeconds >= 0 && measuredSeconds <= targetSeconds ? 'PolicyMet' : 'PolicyBreached',
  };
}

/** Every key of either recorded state, before against after. */
export function stateDiff(before: Record<string, string>, after: Record<string, string>): StateDiffEntry[] {
  const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])];
  return keys.map((key) => {
    const b = before[key] ?? '(absent)';
    const a = after[key] ?? '(absent)';
    return { key, before: b, after: a, same: a === b };
  });
}

export function describeProcesses(status: ProcessStatus[]): string {
  return [...status]
    .sort((a, b) => a.name.localeCompare(b.name))
    .map((s) => `${s.name} ${s.state}`)
    .join(', ');
}

/** The release the platform runs, as the journal recorded it. */
export async function runningRelease(target: Target, status: ProcessStatus[]): Promise<Release | undefined> {
  const journal = new ReleaseJournal(target.environment.stateDir);
  const ids = new Set(status.map((s) => s.releaseId).filter(Boolean));
  const releases = await journal.releases();
  if (ids.size === 1) return releases.findLast((r) => ids.has(r.id));
  return ids.size === 0 ? journal.current() : undefined;
}

async function freeDir(parent: string, name: string): Promise<string> {
  for (let i = 1; ; i++) {
    const dir = path.join(parent, i === 1 ? name : `${name}-${i}`);
    if (!(await stat(dir).catch(() => undefined))) return dir;
  }
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
