// The azure target's backups: Cosmos DB continuous-backup restore points (issue 6 item 4).
//
// Azure takes the backups by itself (the account's Continuous backup policy); what mac keeps is the *restore point*:
// the restorable account's id and the latest instant every collection can be restored to, captured while the account
// still exists (src/azure/cosmos.ts) and recorded in .mac/<env>/cosmos-restore-points.json (oldest first).
//
//   snapshot()   captures the live account's restore point (account name from the saved Terraform output
//                cosmos_account_name, resource group from resource_group_name or mac.yaml) and records it.
//   list()       the recorded points, oldest first; a point's createdAt is its restore timestamp (the data's age).
//   restore(id)  ARMS a restore; it does not move any data by itself. It writes cosmos_restore_source_id and
//                cosmos_restore_timestamp to .mac/<env>/cosmos-restore.tfvars.json, which TerraformStack.plan passes
//                with -var-file. On Azure the data comes back DURING THE REBUILD'S APPLY: Terraform creates the
//                Cosmos DB account in restore mode from that source and timestamp (templates/terraform/modules/cosmos),
//                so the restored account is the one Terraform manages. Arm it after the destroy and before the apply
//                that recreates the account; an apply while the old account still exists does not restore anything
//                (create_mode and restore are ignore_changes: only read at creation).
//   disarm()     removes the var file, so a later account re-creation starts empty instead of restoring a stale point.
//   created()    how the account Terraform manages now was created (after a drill: Restore, from which point).
import { chmod, mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { TokenCredential } from '@azure/identity';
import type { CosmosRestorePoint } from '../../azure/cosmos.js';
import { PreconditionError, UsageError } from '../../errors.js';
import { readTerraformOutputs, terraformOutputsPath } from '../../terraform/cli.js';
import { COSMOS_RESTORE_VAR_FILE, type AzureEnvironment } from '../../terraform/stack.js';
import type { BackupStore, RestorePoint } from '../target.js';

/** Where the recorded restore points live under .mac/<env>/. */
export const COSMOS_RESTORE_POINTS_FILE = 'cosmos-restore-points.json';

/** A recorded Cosmos DB restore point. */
export interface CosmosBackupPoint extends RestorePoint {
  /** The restore timestamp (RFC 3339 UTC, whole seconds): the point in time the data comes back to. */
  createdAt: string;
  /** When mac captured it. */
  capturedAt: string;
  restorableSourceId: string;
  latestRestorableTimestamp: string;
  location: string;
  accountName: string;
  resourceGroup: string;
  instanceId: string;
}

/** What restore() writes: the template variables of templates/terraform/phase4_prod/variables.tf. */
export interface CosmosRestoreVars {
  cosmos_restore_source_id: string;
  cosmos_restore_timestamp: string;
}

export interface CosmosBackupsOptions {
  /** The target's credential, built on first use. */
  credential: () => TokenCredential;
  now: () => Date;
  /** Polling interval of the backup-information LROs (the target's tuning). */
  pollIntervalMs?: number;
}

export class CosmosBackups implements BackupStore {
  constructor(
    private readonly env: AzureEnvironment,
    private readonly o: CosmosBackupsOptions,
  ) {}

  get pointsFile(): string {
    return path.join(this.env.stateDir, COSMOS_RESTORE_POINTS_FILE);
  }

  get varFile(): string {
    return path.join(this.env.stateDir, COSMOS_RESTORE_VAR_FILE);
  }

  async snapshot(): Promise<CosmosBackupPoint> {
    const { accountName, resourceGroup } = await this.account();
    const { captureCosmosRestorePoint } = await import('../../azure/cosmos.js');
    const captured = await captureCosmosRestorePoint(
      {
        credential: this.o.credential(),
        subscriptionId: this.env.config.subscription,
        armEndpoint: this.env.config.cloud.armEndpoint,
        resourceGroup,
        accountName,
        ...(this.o.pollIntervalMs !== undefined ? { pollIntervalMs: this.o.pollIntervalMs } : {}),
      },
      undefined,
      this.o.now,
    );
    const point = toPoint(captured, this.o.now());
    const points = (await this.list()).filter((p) => p.id !== point.id);
    points.push(point);
    points.sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.capturedAt.localeCompare(b.capturedAt));
    await writePrivateJson(this.pointsFile, { points });
    return point;
  }

  async list(): Promise<CosmosBackupPoint[]> {
    let text: string;
    try {
      text = await readFile(this.pointsFile, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw err;
    }
    const doc = JSON.parse(text) as { points?: CosmosBackupPoint[] };
    return Array.isArray(doc.points) ? doc.points : [];
  }

  /**
   * Arms the restore of a recorded point (the latest by default) for the next rebuild: writes the template variables
   * to the var file TerraformStack.plan passes. No data moves now — on Azure the data comes back during the
   * rebuild's terraform apply, which creates the Cosmos DB account in restore mode.
   */
  async restore(id?: string): Promise<CosmosBackupPoint> {
    const points = await this.list();
    const point = id === undefined ? points.at(-1) : points.find((p) => p.id === id);
    if (!point) {
      if (id !== undefined) {
        throw new UsageError(
          `No Cosmos DB restore point ${id} is recorded for ${this.env.name} (${this.pointsFile}).`,
          points.length ? `Recorded: ${points.map((p) => p.id).join(', ')}.` : undefined,
        );
      }
      throw new PreconditionError(
        `No Cosmos DB restore point is recorded for ${this.env.name}: there is nothing to restore from.`,
        'A restore point is captured while the account exists (the DR drill does it before destroying).',
      );
    }
    const vars: CosmosRestoreVars = { cosmos_restore_source_id: point.restorableSourceId, cosmos_restore_timestamp: point.latestRestorableTimestamp };
    await writePrivateJson(this.varFile, vars);
    return point;
  }

  /** The armed restore, if any. */
  async armed(): Promise<CosmosRestoreVars | undefined> {
    try {
      return JSON.parse(await readFile(this.varFile, 'utf8')) as CosmosRestoreVars;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw err;
    }
  }

  /** Removes the armed restore: the next account creation starts empty. */
  async disarm(): Promise<void> {
    await rm(this.varFile, { force: true });
  }

  /**
   * How the account Terraform now manages (the cosmos_account_name output) was created: after a drill's rebuild,
   * createMode Restore from the armed source and timestamp. Undefined when Azure has no such account.
   */
  async created(): Promise<{ accountName: string; createMode: string; source?: string; timestamp?: string } | undefined> {
    const { accountName, resourceGroup } = await this.account();
    const { createCosmosClient, rfc3339 } = await import('../../azure/cosmos.js');
    const client = await createCosmosClient(this.o.credential(), this.env.config.subscription, this.env.config.cloud.armEndpoint);
    try {
      const a = await client.databaseAccounts.get(resourceGroup, accountName);
      const r = a.restoreParameters;
      return {
        accountName,
        createMode: a.createMode ?? 'Default',
        ...(r?.restoreSource ? { source: r.restoreSource } : {}),
        ...(r?.restoreTimestampInUtc ? { timestamp: rfc3339(r.restoreTimestampInUtc) } : {}),
      };
    } catch (err) {
      if ((err as { statusCode?: number }).statusCode === 404) return undefined;
      throw err;
    }
  }

  /** The account to capture, from the saved Terraform outputs. */
  private async account(): Promise<{ accountName: string; resourceGroup: string }> {
    const outputs = await readTerraformOutputs(this.env.stateDir);
    const str = (name: string) => (typeof outputs?.[name] === 'string' && outputs[name] ? (outputs[name] as string) : undefined);
    const accountName = str('cosmos_account_name');
    if (!accountName) {
      throw new PreconditionError(
        outputs
          ? `The Terraform outputs of ${this.env.name} (${terraformOutputsPath(this.env.stateDir)}) have no cosmos_account_name: mac cannot tell which Cosmos DB account to capture.`
          : `${this.env.name} has no Terraform outputs (${terraformOutputsPath(this.env.stateDir)}): mac cannot tell which Cosmos DB account to capture.`,
        `terraformDir must be the Phase 4 root module (templates/terraform/phase4_prod); run mac infra apply -e ${this.env.name}.`,
      );
    }
    return { accountName, resourceGroup: str('resource_group_name') ?? this.env.config.resourceGroup };
  }
}

function toPoint(c: CosmosRestorePoint, capturedAt: Date): CosmosBackupPoint {
  const ts = c.latestRestorableTimestamp;
  return {
    id: `${ts.replace(/[-:]/g, '')}-${c.instanceId.slice(0, 8)}`,
    createdAt: ts,
    capturedAt: capturedAt.toISOString(),
    restorableSourceId: c.restorableSourceId,
    latestRestorableTimestamp: ts,
    location: c.location,
    accountName: c.accountName,
    resourceGroup: c.resourceGroup,
    instanceId: c.instanceId,
  };
}

async function writePrivateJson(file: string, value: unknown): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
  const tmp = `${file}.${process.pid}.tmp`;
  await writeFile(tmp, `${JSON.stringify(value, null, 2)}\n`, { mode: 0o600 });
  await chmod(tmp, 0o600);
  await rename(tmp, file);
}
