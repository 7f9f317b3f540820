// The DR drill on an azure environment — the seed's quarterly "full Terraform destroy/rebuild", with mac doing what
// the seed's script left to hand:
//
//   preflight        the agents' container groups run a release of the journal, and the gateway answers /ready
//   record-state     Terraform's resource addresses (a plan read with `terraform show -json`), the container groups,
//                    the Key Vault's secrets (names and current versions)
//   capture          the Cosmos DB restore point, BEFORE anything is destroyed: the restorable account id and its
//                    latest restorable timestamp (CosmosBackups.snapshot)
//   destroy          terraform destroy; the restore points, an armed restore and the release journal are kept
//   wait             --wait (the seed waits 5 minutes; Azure also needs a moment to free a deleted account's name)
//   arm-restore      the captured point becomes the rebuild's -var-file (cosmos_restore_source_id/_timestamp)
//   rebuild          terraform apply: the Cosmos DB account is created in restore mode from that point, so the
//                    restored account is the one Terraform manages; the provider recovers the soft-deleted vault
//   recover-secrets  secrets of the vault from before that are still soft-deleted are recovered
//   redeploy         the release's container groups, as mac deploy rolls them out, then /ready
//   smoke            the deploy's smoke test
//   disarm           the armed restore is removed once the rebuild succeeded (a later re-creation starts empty)
//   verify           the account really was restored from the captured point; resources before vs after
//
// RTO = destroy start → smoke green; RPO = destroy start − the restore timestamp (the newest data that came back).
// A step that fails halts the drill; the report then says what was destroyed, what was rebuilt and what to run next.
import { createHash } from 'node:crypto';
import path from 'node:path';
import { smokeStep } from '../deploy/deploy.js';
import type { Io } from '../io.js';
import { COSMOS_RESTORE_VAR_FILE } from '../terraform/stack.js';
import type { CosmosBackupPoint } from '../targets/azure/cosmos-backups.js';
import type { AzureTarget } from '../targets/azure/target.js';
import type { Progress, Release } from '../targets/target.js';
import { recoverDeletedSecrets } from './key-vault.js';
import { formatDuration } from './render.js';
import type { HaltReport, InfrastructureDiff, RestorePointResult } from './report.js';
import { describeProcesses, DrillRun, runningRelease, secondsBetween, sleep, stateDiff, type DrillOutcome, type DrillRunOptions } from './steps.js';

/** The seed's pause between destroy and rebuild ("Wait 5 minutes (simulate disaster recovery delay)"). */
export const AZURE_DEFAULT_WAIT_MS = 5 * 60_000;

interface RecordedState {
  values: Record<string, string>;
  addresses: string[];
  secrets: string[];
}

export async function runAzureDrill(target: AzureTarget, io: Io, o: DrillRunOptions): Promise<DrillOutcome> {
  const env = target.environment;
  const drill = await DrillRun.start(target, io, o);
  const readyTimeoutMs = o.readyTimeoutMs ?? 90_000;
  let release: Release | undefined;
  let before: RecordedState | undefined;
  let after: RecordedState | undefined;
  let point: CosmosBackupPoint | undefined;
  let restoredFrom: RestorePointResult['restoredFrom'];
  let destroyedAt: string | undefined;
  let recoveredAt: string | undefined;
  let halt: HaltReport | undefined;

  try {
    await drill.step('preflight', async (p) => {
      const status = await target.status();
      if (!status.length || status.some((s) => s.state !== 'running')) {
        throw new Error(`the platform is not healthy (${describeProcesses(status) || 'no container groups'}); deploy it first: mac deploy -e ${env.name}`);
      }
      release = await runningRelease(target, status);
      if (!release) throw new Error(`the container groups do not run a release recorded in the journal; deploy it first: mac deploy -e ${env.name}`);
      await target.waitReady(p, readyTimeoutMs);
      return `healthy: ${status.length} container groups running release ${release.id}, ${await target.gatewayUrl()} ready`;
    });

    await drill.step('record-state', async (p) => {
      before = await recordState(target, release, p);
      return `${before.addresses.length} Terraform resources (plan: ${before.values.plan}), ${Object.keys(before.values).filter((k) => k.startsWith('group.')).length} container groups, ${before.secrets.length} secrets`;
    });

    await drill.step('capture', async () => {
      point = await target.backups.snapshot();
      const age = formatDuration((Date.parse(point.capturedAt) - Date.parse(point.createdAt)) / 1000);
      return `restore point ${point.id}: ${point.accountName} restorable to ${point.latestRestorableTimestamp} (${age} before the capture)`;
    });

    await drill.step('destroy', async (p) => {
      destroyedAt = drill.iso();
      await target.destroy(p, { keepData: false, keepBackups: true });
      const left = await target.status();
      if (left.length) throw new Error(`container groups still present after terraform destroy: ${describeProcesses(left)}`);
      return `terraform destroy of ${before!.addresses.length} resources; restore points and the release journal kept`;
    });

    await drill.step('wait', async (p) => {
      if (!o.waitMs) return 'no wait (--wait 0)';
      p(`waiting ${formatDuration(o.waitMs / 1000)} before rebuilding (--wait)`);
      await sleep(o.waitMs);
      return `waited ${formatDuration(o.waitMs / 1000)}`;
    });

    await drill.step('arm-restore', async () => {
      await target.backups.restore(point!.id);
      return `${COSMOS_RESTORE_VAR_FILE}: the rebuild creates ${point!.accountName} in restore mode from ${point!.restorableSourceId} at ${point!.latestRestorableTimestamp}`;
    });

    await drill.step('rebuild', async (p) => {
      // The rebuild recreates infrastructure that was accepted when it was first deployed: no cost gate mid-drill.
      await target.provision(p, { overBudgetOk: true });
      return 'terraform apply done, outputs saved';
    });

    await drill.step('recover-secrets', async (p) => {
      const live = new Set((await target.secrets.list()).map((s) => s.name));
      const gone = before!.secrets.filter((n) => !live.has(n));
      if (!gone.length) return `all ${before!.secrets.length} secrets present; none to recover`;
      const { recovered, lost } = await recoverDeletedSecrets(await target.keyVaultAccess(), gone, p);
      if (lost.length) {
        throw new Error(`${lost.length} secret(s) of the vault are gone, neither live nor soft-deleted: ${lost.join(', ')}`);
      }
      return `recovered from soft delete: ${recovered.join(', ')}`;
    });

    await drill.step('redeploy', async (p) => {
      await target.rollout(release!, p);
      await target.waitReady(p, readyTimeoutMs);
      return `release ${release!.id} ready at ${await target.gatewayUrl()}`;
    });

    await drill.step(
      'smoke',
      async () => {
        const result = await smokeStep(target, io, release!, 'smoke');
        if (!result.ok) throw new Error(`smoke check ${result.failed?.name} failed after the rebuild: ${result.failed?.detail}`);
        recoveredAt = drill.iso();
        return result.checks.map((c) => `${c.name} ${c.skipped ? 'skipped' : '✓'}`).join(', ');
      },
      { ownsIoStep: true },
    );

    // Once the apply created the account from the point, the armed restore has done its work, whatever failed after.
    if (drill.ok('rebuild')) {
      await drill.step(
        'disarm',
        async () => {
          await target.backups.disarm();
          return `removed ${COSMOS_RESTORE_VAR_FILE}: a later re-creation of the account starts empty`;
        },
        { evenIfHalted: true },
      );
    } else {
      drill.skip('disarm', `the restore stays armed for the next terraform apply: ${drill.halted ?? 'the rebuild'} failed`);
    }

    await drill.step('verify', async (p) => {
      const created = await target.backups.created();
      restoredFrom = created ? { createMode: created.createMode, ...(created.source ? { source: created.source } : {}), ...(created.timestamp ? { timestamp: created.timestamp } : {}) } : undefined;
      after = await recordState(target, release, p);
      const diff = infrastructureDiff(before!, after);
      const problems: string[] = [];
      if (!created) problems.push(`Azure has no Cosmos DB account ${point!.accountName} after the rebuild`);
      else if (created.createMode !== 'Restore' || created.source?.toLowerCase() !== point!.restorableSourceId.toLowerCase() || created.timestamp !== point!.latestRestorableTimestamp) {
        problems.push(
          `the Cosmos DB account ${created.accountName} was not restored from the captured point (createMode ${created.createMode}` +
            `${created.source ? `, source ${created.source} at ${created.timestamp}` : ''}; captured ${point!.restorableSourceId} at ${point!.latestRestorableTimestamp})`,
        );
      }
      if (diff.missing.length) problems.push(`the rebuild did not bring back ${diff.missing.length} resource(s): ${diff.missing.join(', ')}`);
      if (problems.length) throw new Error(problems.join('; '));
      return (
        `${point!.accountName} restored from ${point!.restorableSourceId} at ${point!.latestRestorableTimestamp}; ` +
        `${after.addresses.length} resources (none missing${diff.added.length ? `, ${diff.added.length} added` : ''}), plan: ${after.values.plan}`
      );
    });

    if (drill.halted) {
      // What is there now, for the state report (verify did not run, or stopped before reading it).
      if (destroyedAt && !after) after = await recordState(target, release, () => {}).catch(() => undefined);
      halt = await haltReport(target, drill, { before, after, point, release, destroyed: Boolean(destroyedAt) });
    }
  } finally {
    await drill.release();
  }

  // ---- the verdict
  const rto = secondsBetween(destroyedAt, recoveredAt);
  const rpo = drill.ok('rebuild') ? secondsBetween(point?.latestRestorableTimestamp, destroyedAt) : null;
  const policies = drill.policies(o, rto, rpo, 'RPO not measured: no restore point was restored.');
  if (halt) drill.reasons.push(halt.summary);
  const restorePoint: RestorePointResult | undefined = point && {
    id: point.id,
    accountName: point.accountName,
    restorableSourceId: point.restorableSourceId,
    timestamp: point.latestRestorableTimestamp,
    capturedAt: point.capturedAt,
    ...(restoredFrom ? { restoredFrom } : {}),
  };
  return drill.finish({
    policies,
    ...(restorePoint ? { restorePoint } : {}),
    ...(before && after ? { infrastructure: infrastructureDiff(before, after) } : {}),
    ...(halt ? { halt } : {}),
    ...(destroyedAt ? { destroyedAt } : {}),
    ...(recoveredAt ? { recoveredAt } : {}),
    stateBefore: before?.values ?? {},
    stateAfter: after?.values ?? {},
    stateDiff: before && after ? stateDiff(before.values, after.values) : [],
  });
}

/**
 * What the drill compares: Terraform's resources (count and a hash of the addresses) and whether a plan would change
 * anything, the release, each container group's state, and when each secret's current version was written (a secret
 * Terraform writes gets a new version on a rebuild; one recovered from soft delete keeps its own).
 */
async function recordState(target: AzureTarget, release: Release | undefined, p: Progress): Promise<RecordedState> {
  const [infra, groups, secrets] = await Promise.all([target.infrastructure(p), target.status(), target.secrets.list()]);
  const { add, change, destroy } = infra.pending;
  const values: Record<string, string> = {
    resources: `${infra.addresses.length} · ${createHash('sha256').update(infra.addresses.join('\n')).digest('hex').slice(0, 12)}`,
    plan: add + change + destroy ? `${add} to add, ${change} to change, ${destroy} to destroy` : 'in sync',
    release: release?.id ?? '(none)',
  };
  for (const g of [...groups].sort((a, b) => a.name.localeCompare(b.name))) values[`group.${g.name}`] = g.state;
  for (const s of secrets) values[`secret.${s.name}`] = `updated ${s.updatedAt.toISOString()}`;
  return { values, addresses: infra.addresses, secrets: secrets.map((s) => s.name) };
}

function infrastructureDiff(before: RecordedState, after: RecordedState): InfrastructureDiff {
  const now = new Set(after.addresses);
  const then = new Set(before.addresses);
  return {
    before: before.addresses,
    after: after.addresses,
    missing: before.addresses.filter((a) => !now.has(a)),
    added: after.addresses.filter((a) => !then.has(a)),
  };
}

/**
 * Where a halted drill leaves the environment: what is destroyed and not back, what the rebuild brought back, and the
 * commands that finish the recovery. A drill that destroyed and did not rebuild leaves the restore ARMED, so the next
 * apply (mac deploy) still creates the Cosmos DB account from the captured point.
 */
async function haltReport(
  target: AzureTarget,
  drill: DrillRun,
  s: { before?: RecordedState; after?: RecordedState; point?: CosmosBackupPoint; release?: Release; destroyed: boolean },
): Promise<HaltReport> {
  const env = target.environment.name;
  const step = drill.halted!;
  const rerun = `mac dr-drill -e ${env} --confirm ${env} --yes`;
  if (!s.destroyed) {
    return { step, summary: `Nothing was destroyed: the drill stopped at ${step}, before terraform destroy.`, destroyed: [], rebuilt: [], next: [`fix the cause above, then run the drill again: ${rerun}`] };
  }
  const now = new Set(s.after?.addresses ?? []);
  const destroyed = (s.before?.addresses ?? []).filter((a) => !now.has(a));
  const rebuilt = drill.steps.some((x) => x.name === 'rebuild' && x.status !== 'skipped') ? (s.before?.addresses ?? []).filter((a) => now.has(a)) : [];
  const varFile = path.join(target.environment.stateDir, COSMOS_RESTORE_VAR_FILE);
  const deploy = `mac deploy -e ${env}`;
  const counted = `${destroyed.length} resource(s) destroyed and not back${s.after ? '' : ' (Terraform could not be read: the lists may be incomplete)'}, ${rebuilt.length} rebuilt`;

  if (step === 'destroy' && s.after && !destroyed.length) {
    return {
      step,
      summary: 'Nothing was destroyed: terraform destroy failed before it removed any resource.',
      destroyed,
      rebuilt,
      next: [`mac status -e ${env}   (the platform should still run)`, `fix the cause above, then run the drill again: ${rerun}`],
    };
  }
  if (!drill.ok('rebuild')) {
    let armed = Boolean(await target.backups.armed().catch(() => undefined));
    if (!armed && s.point) armed = Boolean(await target.backups.restore(s.point.id).catch(() => undefined));
    const restore = s.point
      ? armed
        ? `The restore of ${s.point.id} (${s.point.accountName} at ${s.point.latestRestorableTimestamp}) is armed in ${varFile}: the next terraform apply creates the account from it.`
        : `The restore of ${s.point.id} could not be armed: the next apply would create ${s.point.accountName} EMPTY.`
      : 'No Cosmos DB restore point was captured.';
    const vault = await target.keyVaultAccess().then((a) => new URL(a.vaultUrl).hostname.split('.')[0], () => '<vault>');
    return {
      step,
      summary: `The environment is partly destroyed: the drill stopped at ${step}; ${counted}. ${restore}`,
      destroyed,
      rebuilt,
      next: [
        `mac infra apply -e ${env}   (shows the plan, asks, applies it with the armed restore: what is missing is created again, the Cosmos DB account from the captured point)`,
        `${deploy}   (rolls out release ${s.release?.id ?? 'the journal\'s current'} again and smoke-tests it)`,
        `az keyvault secret list-deleted --vault-name ${vault}   (recover what the agents need: az keyvault secret recover --vault-name ${vault} --name <name>)`,
        `once healthy, remove the armed restore so a later re-creation starts empty: rm ${varFile}`,
      ],
    };
  }
  const infra = `The infrastructure was rebuilt and the Cosmos DB data restored from ${s.point?.id ?? 'the captured point'}; ${counted}.`;
  if (step === 'recover-secrets') {
    return {
      step,
      summary: `${infra} The drill stopped recovering Key Vault secrets; the agents were not redeployed.`,
      destroyed,
      rebuilt,
      next: [`set each secret that is gone again: mac secrets set <name> -e ${env}`, deploy, `mac status -e ${env}`],
    };
  }
  if (step === 'redeploy' || step === 'smoke') {
    return {
      step,
      summary: `${infra} The agents ${step === 'smoke' ? 'were redeployed but failed the smoke test' : 'did not come up healthy'}.`,
      destroyed,
      rebuilt,
      next: [`mac status -e ${env}`, `mac logs -e ${env} --since 15m`, `${deploy}   (once the cause is fixed)`, `mac smoke -e ${env}`],
    };
  }
  return {
    step,
    summary: `${infra} The drill stopped at ${step}.`,
    destroyed,
    rebuilt,
    next: [`mac infra plan -e ${env}   (what Terraform would still change)`, `mac infra apply -e ${env}`, `mac status -e ${env}`],
  };
}
