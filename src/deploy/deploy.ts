// Deploy, written once over the Target seam: lock → plan → provision → secrets check → roll out → wait ready →
// smoke → record the release; a failed start or smoke rolls back to the previous release. Every step is in the
// append-only journal before it starts, so a deploy killed at any point is finished by the next one.
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { Io } from '../io.js';
import { FailedError, PreconditionError } from '../errors.js';
import { acquireLock } from '../secrets/lock.js';
import { requiredSecrets } from '../secrets/catalog.js';
import type { Release, Target } from '../targets/target.js';
import { ReleaseJournal } from './journal.js';
import { runSmoke, type SmokeResult } from './smoke.js';

export interface DeployResult {
  environment: string;
  outcome: 'deployed' | 'up-to-date' | 'restarted';
  release: Release;
  previous?: string;
  url?: string;
  smoke?: SmokeResult;
  tookOverLockFrom?: number;
}

export interface DeployOptions {
  /** How long to wait for another deploy's lock (default 0: fail at once). */
  lockTimeoutMs?: number;
  readyTimeoutMs?: number;
  /** Provision even when the plan's projected monthly cost exceeds the budget (azure's cost gate). */
  overBudgetOk?: boolean;
}

export async function deploy(target: Target, io: Io, o: DeployOptions = {}): Promise<DeployResult> {
  const env = target.environment;
  await mkdir(env.stateDir, { recursive: true, mode: 0o700 });
  const lock = await acquireLock(path.join(env.stateDir, 'deploy.lock'), { purpose: 'mac deploy', timeoutMs: o.lockTimeoutMs ?? 0 });
  try {
    if (lock.tookOverFrom) io.warn(`took over the deploy lock of process ${lock.tookOverFrom.pid}, which is no longer running`);
    const journal = new ReleaseJournal(env.stateDir);
    const release = await target.plan();
    const current = await journal.current();

    await step(io, 'provision', (p) => target.provision(p, { overBudgetOk: o.overBudgetOk }));
    await step(io, 'secrets', async () => {
      const present = new Set((await target.secrets.list()).map((s) => s.name));
      const missing = requiredSecrets(env.config).filter((s) => !present.has(s.name));
      if (missing.length) {
        throw new PreconditionError(
          `Environment ${env.name} needs ${missing.length} secret(s) that are not set: ${missing.map((s) => s.name).join(', ')}.`,
          `Set each with: mac secrets set <name> -e ${env.name}   (the value is read from a hidden prompt, --from-env or --from-file)`,
        );
      }
      return present.size ? `${present.size} set, none missing` : 'none required';
    });

    if (current?.fingerprint === release.fingerprint && (await isServing(target, current))) {
      io.info(`Up to date: release ${current.id} is running and healthy; nothing restarted.`);
      return { environment: env.name, outcome: 'up-to-date', release: current, url: await target.gatewayUrl() };
    }
    const sameAsCurrent = current?.fingerprint === release.fingerprint;
    await journal.append({ type: 'deploying', ts: new Date().toISOString(), release });
    const failure = await tryRelease(target, io, release, o);
    if (!failure.error) {
      await journal.append({ type: 'released', ts: new Date().toISOString(), release });
      return {
        environment: env.name,
        outcome: sameAsCurrent ? 'restarted' : 'deployed',
        release,
        ...(current && !sameAsCurrent ? { previous: current.id } : {}),
        url: await target.gatewayUrl(),
        smoke: failure.smoke,
        ...(lock.tookOverFrom ? { tookOverLockFrom: lock.tookOverFrom.pid } : {}),
      };
    }

    await journal.append({ type: 'failed', ts: new Date().toISOString(), releaseId: release.id, reason: failure.error });
    if (!current || sameAsCurrent) {
      await step(io, 'stop the failed release', (p) => target.stop(p));
      throw new FailedError(`Release ${release.id} failed: ${failure.error}. No earlier release to roll back to; the platform is stopped.`, logsHint(env.name));
    }
    const back = await tryRelease(target, io, current, o, 'roll back');
    if (back.error) {
      throw new FailedError(`Release ${release.id} failed (${failure.error}), and rolling back to ${current.id} failed too: ${back.error}.`, logsHint(env.name));
    }
    await journal.append({ type: 'rolled-back', ts: new Date().toISOString(), releaseId: release.id, to: current.id });
    throw new FailedError(`Release ${release.id} failed: ${failure.error}. Rolled back to release ${current.id}, which is healthy.`, logsHint(env.name));
  } finally {
    await lock.release();
  }
}

/** Rolls out a release, waits until ready and smoke-tests it; returns the first failure instead of throwing. */
async function tryRelease(
  target: Target,
  io: Io,
  release: Release,
  o: DeployOptions,
  verb = 'start',
): Promise<{ error?: string; smoke?: SmokeResult }> {
  const label = (s: string) => (verb === 'start' ? s : `${verb}: ${s}`);
  try {
    await step(io, label(`roll out ${release.id}`), (p) => target.rollout(release, p));
    await step(io, label('wait for /ready'), (p) => target.waitReady(p, o.readyTimeoutMs));
  } catch (err) {
    return { error: `ready check: ${(err as Error).message}` };
  }
  const smoke = await smokeStep(target, io, release, label('smoke test'));
  if (!smoke.ok) return { error: `smoke check "${smoke.failed?.name}" failed: ${smoke.failed?.detail}`, smoke };
  return { smoke };
}

export async function smokeStep(target: Target, io: Io, release: Release, label = 'smoke test'): Promise<SmokeResult> {
  const s = io.step(label);
  const url = await target.gatewayUrl();
  if (!url) {
    s.fail('no gateway URL');
    return { ok: false, url: '', checks: [], failed: { name: 'health', ok: false, detail: 'the gateway is not running', ms: 0 } };
  }
  const result = await runSmoke(url, release.spec.dataDir);
  if (result.ok) s.done(result.checks.map((c) => `${c.name} ${c.skipped ? 'skipped' : '✓'}`).join(', '));
  else s.fail(`${result.failed?.name}: ${result.failed?.detail}`);
  return result;
}

async function isServing(target: Target, release: Release): Promise<boolean> {
  const status = await target.status();
  return status.length > 0 && status.every((s) => s.state === 'running' && s.releaseId === release.id);
}

/** Runs one step with a progress line (and NDJSON events under --json); progress messages update it. */
export async function step(io: Io, label: string, fn: (p: (m: string) => void) => Promise<unknown>): Promise<void> {
  const s = io.step(label);
  try {
    const detail = await fn((m) => {
      io.event('step.progress', { step: label, message: m });
      if (!io.json) io.info(`  ${m}`);
    });
    s.done(typeof detail === 'string' ? detail : undefined);
  } catch (err) {
    s.fail((err as Error).message.split('\n')[0]);
    throw err;
  }
}

function logsHint(env: string): string {
  return `See what happened with: mac logs -e ${env} --since 10m`;
}
