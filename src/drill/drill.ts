// The DR drill, written once over the Target seam: preflight → record state → keep writing canary conversations →
// destroy (stop everything, delete the live data; the backups survive, as Azure's do) → rebuild → restore the latest
// backup → redeploy → smoke → verify which canaries survived. RTO = destroy → smoke green; RPO = destroy − the newest
// surviving canary. A failing step halts the drill, but the report is always written.
import { createHash } from 'node:crypto';
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { smokeStep } from '../deploy/deploy.js';
import type { Io } from '../io.js';
import type { ProcessStatus, Release, RestorePoint, Target } from '../targets/target.js';
import { formatDuration } from './render.js';
import type { CanaryResult } from './report.js';
import { describeProcesses, DrillRun, runningRelease, secondsBetween, sleep, stateDiff, type DrillOutcome, type DrillRunOptions } from './steps.js';

export type { DrillFiles, DrillOutcome } from './steps.js';

export interface DrillOptions extends DrillRunOptions {
  /** Pause between canary conversations (default 200 ms). */
  canaryIntervalMs?: number;
  /** How long to wait for the platform's next scheduled backup (default 2 × backups.intervalSeconds + 30 s). */
  backupWaitMs?: number;
  /** How long canaries keep coming after that backup, so that some are newer than it (default 1 s). */
  writeOnMs?: number;
}

/** Canaries acknowledged before a backup's start before we trust that backup to hold some of them. */
const CANARIES_BEFORE_BACKUP = 3;
/** Consecutive unanswered canaries after which the platform counts as down (before the destroy). */
const MAX_CANARY_FAILURES = 5;

export async function runDrill(target: Target, io: Io, o: DrillOptions): Promise<DrillOutcome> {
  const now = o.now ?? (() => new Date());
  const iso = () => now().toISOString();
  const env = target.environment;
  const drill = await DrillRun.start(target, io, o);
  const runId = drill.runId;
  const run = (name: string, fn: Parameters<DrillRun['step']>[1], ownsIoStep = false) => drill.step(name, fn, { ownsIoStep });
  let release: Release | undefined;
  let before: RecordedState | undefined;
  let after: RecordedState | undefined;
  let writer: CanaryWriter | undefined;
  let destroyedAt: string | undefined;
  let recoveredAt: string | undefined;
  let restored: RestorePoint | undefined;
  let canaries: CanaryResult = { written: 0, survived: 0, lost: 0, lostBeforeBackup: 0 };
  const probe = dataProbe(target);

  try {
    await run('preflight', async () => {
      const status = await target.status();
      const unwell = status.filter((s) => s.state !== 'running');
      if (!status.length || unwell.length) {
        throw new Error(`the platform is not healthy (${describeProcesses(status)}); deploy it first: mac deploy -e ${env.name}`);
      }
      release = await runningRelease(target, status);
      if (!release) throw new Error(`the platform is not running a release recorded in the journal; deploy it first: mac deploy -e ${env.name}`);
      if (!(await target.gatewayUrl())) throw new Error('the platform has no gateway URL');
      const backups = await target.backups.list();
      if (backups.length) return `healthy (${describeProcesses(status)}), release ${release.id}, ${backups.length} backup(s), newest ${backups.at(-1)!.createdAt}`;
      const taken = await target.backups.snapshot();
      return `healthy (${describeProcesses(status)}), release ${release.id}; no backup existed, took one (${taken.id})`;
    });

    await run('record-state', async () => {
      before = await recordState(target, probe);
      const tables = Object.keys(before.tables).length;
      return `${before.values.processes}; release ${before.values.release}; ${tables} tables, ${sum(Object.values(before.tables).map((t) => t.rows))} rows`;
    });

    await run('canaries', async (p) => {
      const url = await target.gatewayUrl();
      if (!url) throw new Error('the platform has no gateway URL');
      writer = new CanaryWriter(url, runId, o.canaryIntervalMs ?? 200, now);
      writer.start();
      const intervalS = release!.spec.backupIntervalSeconds;
      if (!intervalS) throw new Error(`release ${release!.id} takes no scheduled backups, so no canary can be seen in one`);
      const waitMs = o.backupWaitMs ?? (2 * intervalS + 30) * 1000;
      const deadline = Date.now() + waitMs;
      p(`writing a canary conversation every ${o.canaryIntervalMs ?? 200} ms; waiting for the next backup (every ${intervalS}s)`);
      let backup: RestorePoint | undefined;
      while (!backup) {
        if (writer.consecutiveFailures >= MAX_CANARY_FAILURES) throw new Error(`the platform stopped answering canaries: ${writer.lastError}`);
        const newest = (await target.backups.list()).at(-1);
        if (newest && writer.ackedBefore(newest.createdAt) >= CANARIES_BEFORE_BACKUP) backup = newest;
        else if (Date.now() > deadline) {
          throw new Error(`no backup was taken within ${formatDuration(waitMs / 1000)} of the first canaries (backups.intervalSeconds is ${intervalS}): are scheduled backups running?`);
        } else await sleep(200);
      }
      p(`backup ${backup.id} taken after ${writer.ackedBefore(backup.createdAt)} canaries; writing on`);
      await sleep(o.writeOnMs ?? 1000);
      if (writer.consecutiveFailures >= MAX_CANARY_FAILURES) throw new Error(`the platform stopped answering canaries: ${writer.lastError}`);
      return `${writer.acked.length} acknowledged so far; backup ${backup.id} holds the first ${writer.ackedBefore(backup.createdAt)}; still writing`;
    });

    await run('destroy', async (p) => {
      destroyedAt = iso();
      await writer?.stop();
      p(`canary writer stopped: ${writer?.acked.length ?? 0} acknowledged${writer?.failed ? `, ${writer.failed} unanswered` : ''}`);
      // The live data and the vault go; the backups (and the release journal) survive, as they do on Azure.
      await target.destroy(p, { keepData: false, keepBackups: true });
      const left = await target.status();
      if (left.some((s) => s.state !== 'stopped')) throw new Error(`processes still running after the destroy: ${describeProcesses(left)}`);
      if (await probe.exists()) throw new Error('the live database still exists after the destroy');
      return `everything stopped, live data deleted; ${(await target.backups.list()).length} backup(s) kept`;
    });

    await run('rebuild', async (p) => {
      if (o.waitMs) {
        p(`waiting ${formatDuration(o.waitMs / 1000)} before rebuilding (--wait)`);
        await sleep(o.waitMs);
      }
      // The rebuild recreates infrastructure that was accepted when it was first deployed: no cost gate mid-drill.
      await target.provision(p, { overBudgetOk: true });
      return undefined;
    });

    await run('restore', async () => {
      restored = await target.backups.restore();
      const age = destroyedAt ? ` (${formatDuration((Date.parse(destroyedAt) - Date.parse(restored.createdAt)) / 1000)} before the destroy)` : '';
      return `backup ${restored.id} taken at ${restored.createdAt}${age}`;
    });

    await run('redeploy', async (p) => {
      await target.rollout(release!, p);
      await target.waitReady(p, o.readyTimeoutMs ?? 90_000);
      return `release ${release!.id} ready at ${await target.gatewayUrl()}`;
    });

    await run(
      'smoke',
      async () => {
        const result = await smokeStep(target, io, release!, 'smoke');
        if (!result.ok) throw new Error(`smoke check ${result.failed?.name} failed: ${result.failed?.detail}`);
        recoveredAt = iso();
        return result.checks.map((c) => `${c.name} ✓`).join(', ');
      },
      true,
    );

    await run('verify', async () => {
      const written = writer?.acked ?? [];
      const present = await probe.sessions(`drill-${runId}-`);
      const survived = written.filter((c) => present.has(c.sessionId));
      const lost = written.filter((c) => !present.has(c.sessionId));
      const backupAt = restored!.createdAt;
      canaries = {
        written: written.length,
        survived: survived.length,
        lost: lost.length,
        ...(survived.length ? { newestSurvivingAt: survived.map((c) => c.ackedAt).sort().at(-1)! } : {}),
        ...(lost.length ? { oldestLostAt: lost.map((c) => c.ackedAt).sort()[0]! } : {}),
        restoredBackupAt: backupAt,
        lostBeforeBackup: lost.filter((c) => c.ackedAt < backupAt).length,
      };
      after = await recordState(target, probe, before);
      const diff = stateDiff(before!.values, after.values);
      const changed = diff.filter((d) => !d.same);
      return (
        `${survived.length} of ${written.length} canaries survived, ${lost.length} lost` +
        (lost.length ? ` (${canaries.lostBeforeBackup === 0 ? 'all' : `${lost.length - canaries.lostBeforeBackup}`} written after the backup)` : '') +
        `; state ${changed.length ? `changed: ${changed.map((d) => d.key).join(', ')}` : 'unchanged'}`
      );
    });
  } finally {
    await writer?.stop();
    await drill.release();
  }

  // ---- the verdict
  const rto = secondsBetween(destroyedAt, recoveredAt);
  const rpo = drill.halted ? null : secondsBetween(canaries.newestSurvivingAt, destroyedAt);
  const policies = drill.policies(o, rto, rpo, 'RPO not measured: no canary survived the restore.');
  if (canaries.lostBeforeBackup > 0) {
    drill.reasons.push(`${canaries.lostBeforeBackup} canaries written before the restored backup (${canaries.restoredBackupAt}) were lost: the backup did not hold what it should.`);
  }
  if (drill.halted) drill.reasons.push(await leftAs(target, Boolean(destroyedAt), Boolean(recoveredAt)));

  return drill.finish({
    policies,
    canaries,
    ...(destroyedAt ? { destroyedAt } : {}),
    ...(recoveredAt ? { recoveredAt } : {}),
    stateBefore: before?.values ?? {},
    stateAfter: after?.values ?? {},
    stateDiff: before && after ? stateDiff(before.values, after.values) : [],
  });
}

/** Why the drill stopped leaves the platform in one of a few states: say which, and what is left to do. */
async function leftAs(target: Target, destroyed: boolean, recovered: boolean): Promise<string> {
  const status = await target.status().catch(() => [] as ProcessStatus[]);
  const running = status.length > 0 && status.every((s) => s.state === 'running');
  const what = `The platform is left ${running ? 'running' : 'stopped'} (${describeProcesses(status) || 'no processes'})`;
  if (!destroyed) return `${what}; nothing was destroyed.`;
  if (recovered) return `${what}; it was restored and passed its smoke test.`;
  return `${what} after the destroy; its backups are kept in ${path.join(target.environment.stateDir, 'backups')}.`;
}

const sum = (ns: number[]) => ns.reduce((a, b) => a + b, 0);

// ---------------------------------------------------------------- canaries

interface Canary {
  n: number;
  sessionId: string;
  sentAt: string;
  ackedAt: string;
}

/** Writes one conversation after another to the gateway and records when each was acknowledged. */
class CanaryWriter {
  readonly acked: Canary[] = [];
  failed = 0;
  consecutiveFailures = 0;
  lastError?: string;
  private stopped = false;
  private readonly abort = new AbortController();
  private loop?: Promise<void>;
  private wake?: () => void;

  constructor(
    private readonly url: string,
    private readonly runId: string,
    private readonly intervalMs: number,
    private readonly now: () => Date,
  ) {}

  start(): void {
    this.loop = this.run();
  }

  /** Acknowledged canaries older than a time (an ISO timestamp). */
  ackedBefore(at: string): number {
    return this.acked.filter((c) => c.ackedAt < at).length;
  }

  /** Stops writing at once: a canary in flight is abandoned and does not count as written. */
  async stop(): Promise<void> {
    if (this.stopped) return this.loop;
    this.stopped = true;
    this.abort.abort();
    this.wake?.();
    await this.loop;
  }

  private async run(): Promise<void> {
    for (let n = 1; !this.stopped; n++) {
      const started = Date.now();
      const sessionId = `drill-${this.runId}-${n}`;
      const sentAt = this.now().toISOString();
      try {
        const res = await fetch(new URL('/v1/chat', this.url), {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ session_id: sessionId, message: `DR drill canary ${this.runId} #${n}` }),
          signal: AbortSignal.any([this.abort.signal, AbortSignal.timeout(10_000)]),
        });
        const body = (await res.json().catch(() => ({}))) as { session_id?: string };
        if (!res.ok) throw new Error(`POST /v1/chat answered HTTP ${res.status}`);
        if (body.session_id !== sessionId) throw new Error(`POST /v1/chat answered for session ${body.session_id ?? '(none)'}, not ${sessionId}`);
        if (this.stopped) break; // acknowledged after the destroy began: not a canary of this drill
        this.acked.push({ n, sessionId, sentAt, ackedAt: this.now().toISOString() });
        this.consecutiveFailures = 0;
      } catch (err) {
        if (this.stopped) break;
        this.failed++;
        this.consecutiveFailures++;
        this.lastError = (err as Error).message;
      }
      const pause = this.intervalMs - (Date.now() - started);
      if (pause > 0 && !this.stopped) {
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, pause);
          this.wake = () => {
            clearTimeout(timer);
            resolve();
          };
        });
      }
    }
  }
}

// ---------------------------------------------------------------- state

interface TableState {
  rows: number;
  /** The highest rowid when recorded (null for a WITHOUT ROWID table or an empty one). */
  lastRowid: number | null;
  checksum: string;
}

interface RecordedState {
  values: Record<string, string>;
  tables: Record<string, TableState>;
}

/**
 * What the drill compares before and after: the processes, the release and its configuration hash, the secrets
 * (names and versions), and per table the rows that existed when the state was first recorded — their count and a
 * checksum. Rows written since (the canaries, the smoke test) are left out, so "same" means "nothing that existed
 * before the drill was lost or altered by it".
 */
async function recordState(target: Target, probe: DataProbe, before?: RecordedState): Promise<RecordedState> {
  const status = await target.status();
  const release = await runningRelease(target, status);
  const secrets = await target.secrets.list();
  const secretHash = createHash('sha256');
  for (const s of [...secrets].sort((a, b) => a.name.localeCompare(b.name))) secretHash.update(`${s.name}@${s.currentVersion ?? s.updatedAt.toISOString()}\n`);
  const values: Record<string, string> = {
    processes: describeProcesses(status),
    release: release?.id ?? '(none)',
    configHash: release?.configHash ?? '(unknown)',
    secrets: secrets.length ? `${secrets.length} · ${secretHash.digest('hex').slice(0, 12)}` : 'none',
  };
  const upTo = before ? Object.fromEntries(Object.entries(before.tables).map(([t, s]) => [t, s.lastRowid])) : undefined;
  const tables = await probe.tables(upTo);
  for (const name of Object.keys(before?.tables ?? tables).sort()) {
    const t = tables[name];
    values[`data.${name}`] = t ? `${t.rows} rows · ${t.checksum.slice(0, 12)}` : '(missing)';
  }
  return { values, tables };
}

// ---------------------------------------------------------------- data

/** Reads the environment's live data: which canaries are there, and what each table holds. */
interface DataProbe {
  exists(): Promise<boolean>;
  /** Session ids of conversation turns starting with a prefix. */
  sessions(prefix: string): Promise<Set<string>>;
  /** Per table: rows and a checksum, of the rows up to a recorded rowid when given. */
  tables(upTo?: Record<string, number | null>): Promise<Record<string, TableState>>;
}

function dataProbe(target: Target): DataProbe {
  if (target.kind !== 'local') {
    return {
      exists: async () => true,
      sessions: async () => {
        throw new Error(`reading the data of a ${target.kind} environment is not supported yet`);
      },
      tables: async () => {
        throw new Error(`reading the data of a ${target.kind} environment is not supported yet`);
      },
    };
  }
  const dbFile = path.join(target.environment.stateDir, 'data', 'platform.db');
  const open = async () => {
    const { default: Database } = await import('better-sqlite3');
    return new Database(dbFile, { readonly: true, fileMustExist: true });
  };
  return {
    exists: async () => Boolean(await stat(dbFile).catch(() => undefined)),
    async sessions(prefix) {
      const db = await open();
      try {
        const escaped = prefix.replace(/[\\%_]/g, (c) => `\\${c}`);
        const rows = db.prepare("SELECT DISTINCT session_id FROM conversation_turns WHERE session_id LIKE ? ESCAPE '\\'").pluck().all(`${escaped}%`);
        return new Set(rows as string[]);
      } finally {
        db.close();
      }
    },
    async tables(upTo) {
      const db = await open();
      try {
        const out: Record<string, TableState> = {};
        const all = db.prepare("SELECT name, sql FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY name").all() as { name: string; sql: string | null }[];
        for (const { name, sql } of all) {
          // Virtual tables may need modules this process does not load (sqlite-vec); their shadow tables hold the data.
          if (!sql || /^\s*CREATE\s+VIRTUAL/i.test(sql)) continue;
          const q = `"${name.replace(/"/g, '""')}"`;
          const hasRowid = !/WITHOUT\s+ROWID\s*$/i.test(sql.trim());
          const limit = upTo?.[name];
          const select = !hasRowid
            ? `SELECT * FROM ${q}`
            : upTo
              ? `SELECT rowid, * FROM ${q} WHERE rowid <= ? ORDER BY rowid`
              : `SELECT rowid, * FROM ${q} ORDER BY rowid`;
          if (upTo && hasRowid && (limit === null || limit === undefined)) {
            out[name] = { rows: 0, lastRowid: null, checksum: createHash('sha256').digest('hex') };
            continue;
          }
          const hash = createHash('sha256');
          let rows = 0;
          let lastRowid: number | null = null;
          const stmt = db.prepare(select).raw(true);
          for (const row of (hasRowid && upTo ? stmt.iterate(limit) : stmt.iterate()) as Iterable<unknown[]>) {
            rows++;
            if (hasRowid) lastRowid = Number(row[0]);
            hash.update(JSON.stringify(row.map((v) => (v instanceof Uint8Array ? Buffer.from(v).toString('base64') : v)))).update('\n');
          }
          out[name] = { rows, lastRowid, checksum: hash.digest('hex') };
        }
        return out;
      } finally {
        db.close();
      }
    },
  };
}
