// Secret rotation, written once over the Target seam (the azure target reuses it): under the deploy lock, per
// secret — validate the new value, write it as a new version, restart the agents that read it, wait until ready,
// smoke-test — and keep it; when restart, ready or smoke fails, write the previous value back as a NEW version,
// restart again, re-check, and fail (exit 1) saying the previous value is back. When the platform is not running,
// the new version is stored and takes effect at the next deploy. Values never appear in any output, error or log.
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { smokeStep, step } from '../deploy/deploy.js';
import { ReleaseJournal } from '../deploy/journal.js';
import type { SmokeResult } from '../deploy/smoke.js';
import { AGENT_NAMES } from '../config/schema.js';
import { FailedError, UsageError, UserError } from '../errors.js';
import type { Io } from '../io.js';
import type { Release, Target } from '../targets/target.js';
import { knownSecret, validateSecret } from './catalog.js';
import { acquireLock } from './lock.js';

export type RotationOutcome = 'rotated' | 'rolled-back' | 'stored-not-running';

export interface RotationResult {
  name: string;
  /** The version that was current before the rotation. */
  from: string;
  /** The version the rotation wrote. */
  to: string;
  outcome: RotationOutcome;
  /** The smoke test of the new value (rotated) or, after a rollback, of the restored value. */
  smoke?: SmokeResult;
  /** rolled-back: the version that holds the previous value again (a new version, written by the rollback). */
  restored?: string;
  /** rolled-back: the check that failed with the new value. */
  failure?: string;
}

export interface RotateOptions {
  names: string[];
  /** The new value of a secret (generated, or read from the environment); called once per name, before any write. */
  valueFor: (name: string) => Promise<string> | string;
  /** Where the value came from, kept as the version's `source` tag (e.g. `generated`, `env:VAR`). */
  source?: string;
  /** How long to wait for /ready after a restart (default: the target's). */
  readyTimeoutMs?: number;
  /** How long to wait for a deploy's lock (default 0: fail at once with exit 4). */
  lockTimeoutMs?: number;
}

/** A rotation failed and was rolled back (exit 1); `results` has every rotation done so far, the failed one last. */
export class RotationFailedError extends FailedError {
  constructor(
    message: string,
    suggestion: string,
    readonly results: RotationResult[],
  ) {
    super(message, suggestion);
  }
}

export async function rotateSecrets(target: Target, io: Io, o: RotateOptions): Promise<RotationResult[]> {
  const env = target.environment;
  const store = target.secrets;
  if (!o.names.length) return [];
  await mkdir(env.stateDir, { recursive: true, mode: 0o700 });
  const lock = await acquireLock(path.join(env.stateDir, 'deploy.lock'), { purpose: 'mac secrets rotate', timeoutMs: o.lockTimeoutMs ?? 0 });
  const values = new Map<string, string>();
  const redact = (text: string) => redactValues(text, values.values());
  try {
    if (lock.tookOverFrom) io.warn(`took over the deploy lock of process ${lock.tookOverFrom.pid}, which is no longer running`);

    // Every check before any write: each secret exists (a rotation needs a previous value to fall back to) and its
    // new value passes validation. One refused value means nothing is written.
    const plans: { name: string; from: string; contentType?: string }[] = [];
    for (const name of o.names) {
      const s = io.step(`validate ${name}`);
      const from = (await store.versions(name)).at(-1)?.version;
      if (!from) {
        s.fail('not set');
        throw new UsageError(`${name} is not set in ${env.name}: there is no current value to rotate.`, `Set it first with: mac secrets set ${name} -e ${env.name}`);
      }
      let value: string;
      try {
        value = await o.valueFor(name);
      } catch (err) {
        s.fail('no new value');
        throw err;
      }
      values.set(name, value);
      const check = validateSecret(name, value);
      if (check.errors.length) {
        s.fail(`${check.errors.length} problem${check.errors.length === 1 ? '' : 's'}`);
        throw new UsageError(`Not rotated: ${redact(check.errors.join(' '))} Nothing was written.`, check.known ? `Expected: ${check.known.description}.` : undefined);
      }
      s.done(check.warnings.length ? `${check.warnings.length} warning${check.warnings.length === 1 ? '' : 's'}` : 'well-formed');
      for (const w of check.warnings) io.warn(redact(w));
      plans.push({ name, from, ...(check.known?.contentType ? { contentType: check.known.contentType } : {}) });
    }

    const release = await new ReleaseJournal(env.stateDir).current();
    const running = Boolean(release && (await target.gatewayUrl()));
    const results: RotationResult[] = [];
    for (const plan of plans) {
      const { name, from } = plan;
      let to = '';
      await redacted(io, redact, `store a new version of ${name}`, async () => {
        const v = await store.set(name, values.get(name) as string, {
          ...(plan.contentType ? { contentType: plan.contentType } : {}),
          tags: { rotated: 'true', previousVersion: from, ...(o.source ? { source: o.source } : {}) },
        });
        to = v.version;
        return `version ${v.version} (was ${from})`;
      });
      if (!running || !release) {
        io.step(`restart the consumers of ${name}`).skip('the platform is not running');
        io.info(`  ${name}: the platform of ${env.name} is not running; version ${to} takes effect at the next mac deploy -e ${env.name}.`);
        results.push({ name, from, to, outcome: 'stored-not-running' });
        continue;
      }

      const consumers = knownSecret(name)?.consumers ?? AGENT_NAMES;
      const attempt = await restartAndCheck(target, io, redact, release, consumers, o, name);
      if (!attempt.error) {
        results.push({ name, from, to, outcome: 'rotated', ...(attempt.smoke ? { smoke: attempt.smoke } : {}) });
        continue;
      }

      // The new value does not work: put the previous one back (as a new version) and bring the consumers back on it.
      let restored = '';
      try {
        await redacted(io, redact, `roll back ${name}`, async () => {
          const v = await store.rollback(name, { meta: { tags: { rotated: 'rolled-back', reason: (attempt.error as string).slice(0, 200) } } });
          restored = v.version;
          return `version ${v.version} holds the previous value (of ${from}) again`;
        });
      } catch (err) {
        results.push({ name, from, to, outcome: 'rotated', failure: attempt.error, ...(attempt.smoke ? { smoke: attempt.smoke } : {}) });
        throw new RotationFailedError(
          redact(`Rotating ${name} failed: ${attempt.error}; writing the previous value back failed too: ${(err as Error).message}. The new version ${to} is still current.`),
          `The previous value is still in the store as version ${from}: once the store is writable, rotate ${name} again with a working value.`,
          results,
        );
      }
      const back = await restartAndCheck(target, io, redact, release, consumers, o, name, 'roll back');
      const result: RotationResult = {
        name,
        from,
        to,
        outcome: 'rolled-back',
        restored,
        failure: attempt.error,
        ...(back.smoke ?? attempt.smoke ? { smoke: back.smoke ?? attempt.smoke } : {}),
      };
      results.push(result);
      const after = back.error
        ? ` The previous value is back (version ${restored}), but the platform still fails with it: ${back.error}.`
        : ` The previous value is back (version ${restored}) and the platform is healthy with it.`;
      const skipped = plans.slice(plans.indexOf(plan) + 1).map((p) => p.name);
      throw new RotationFailedError(
        redact(`Rotating ${name} failed: ${attempt.error}.${after}${skipped.length ? ` Not rotated: ${skipped.join(', ')}.` : ''}`),
        back.error ? `See what happened with: mac logs -e ${env.name} --since 10m` : `Check the new value of ${name}, then rotate again; mac logs -e ${env.name} --since 10m shows what failed.`,
        results,
      );
    }
    return results;
  } finally {
    await lock.release();
  }
}

/** Restarts the consumers, waits until ready and smoke-tests; returns the first failure instead of throwing. */
async function restartAndCheck(
  target: Target,
  io: Io,
  redact: (text: string) => string,
  release: Release,
  consumers: readonly string[],
  o: RotateOptions,
  name: string,
  verb?: string,
): Promise<{ error?: string; smoke?: SmokeResult }> {
  const label = (s: string) => (verb ? `${verb}: ${s}` : s);
  try {
    await redacted(io, redact, label(`restart the consumers of ${name} (${consumers.join(', ')})`), (p) => target.restart(consumers, release, p));
  } catch (err) {
    return { error: `restart: ${redact((err as Error).message)}` };
  }
  try {
    await redacted(io, redact, label('wait for /ready'), (p) => target.waitReady(p, o.readyTimeoutMs));
  } catch (err) {
    return { error: `ready check: ${redact((err as Error).message)}` };
  }
  const smoke = await smokeStep(target, io, release, label('smoke test'));
  if (!smoke.ok) return { error: redact(`smoke check "${smoke.failed?.name}" failed: ${smoke.failed?.detail}`), smoke };
  return { smoke };
}

/** deploy's step, with the values being rotated blanked out of progress lines and errors. */
async function redacted(io: Io, redact: (text: string) => string, label: string, fn: (p: (m: string) => void) => Promise<unknown>): Promise<void> {
  await step(io, label, async (p) => {
    try {
      return await fn((m) => p(redact(m)));
    } catch (err) {
      throw redactError(err, redact);
    }
  });
}

function redactError(err: unknown, redact: (text: string) => string): unknown {
  if (!(err instanceof Error)) return err;
  err.message = redact(err.message);
  if (err.stack) err.stack = redact(err.stack);
  if (err instanceof UserError && err.suggestion) (err as { suggestion?: string }).suggestion = redact(err.suggestion);
  return err;
}

/** Blanks every occurrence of the given values (too short a value would blank ordinary words: those are left). */
export function redactValues(text: string, values: Iterable<string>): string {
  let out = text;
  for (const v of values) if (v.length >= 6) out = out.split(v).join('[redacted]');
  return out;
}
