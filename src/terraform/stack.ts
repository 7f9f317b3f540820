// An azure environment's Terraform root module (its terraformDir) driven the way `mac infra` and the azure target's
// provision both need: resolve and check the directory and the binary, init with the saved backend settings, plan to
// .mac/<env>/tfplan (owner-only), summarize, apply exactly that plan, save the non-sensitive outputs.
//
// Environments may share a terraformDir (the default, terraform/phase4_prod, is every environment's), while each has
// its own state (.mac/<env>/terraform-backend.json's key, `<env>.tfstate`). Terraform remembers the backend it was
// initialised with in its data directory, by default <terraformDir>/.terraform — shared, so the second environment's
// init would stop at "Backend configuration changed", and a command that skips init would read the other's state.
// So each environment has its own data directory, .mac/<env>/.terraform (TF_DATA_DIR).
import { chmod, mkdir, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import type { ResolvedEnvironment } from '../config/load.js';
import type { AzureEnvironmentConfig } from '../config/schema.js';
import { PreconditionError, UsageError } from '../errors.js';
import type { Runner } from '../exec.js';
import {
  readTerraformBackendConfig,
  removeTerraformOutputs,
  TerraformCli,
  terraformEnv,
  writeTerraformOutputs,
  type ApplyResult,
  type PlanSummary,
  type Progress,
} from './cli.js';

export type AzureEnvironment = ResolvedEnvironment & { config: AzureEnvironmentConfig };

/**
 * The armed Cosmos DB restore under .mac/<env>/ (src/targets/azure/cosmos-backups.ts writes it): when present, every
 * plan passes it with -var-file, so the apply that creates the account creates it in restore mode.
 */
export const COSMOS_RESTORE_VAR_FILE = 'cosmos-restore.tfvars.json';

export interface StackPlan {
  planFile: string;
  /** Whether applying would change anything (resources or outputs). */
  changes: boolean;
  add: number;
  change: number;
  destroy: number;
  /** Resource instances the plan changes (no-ops left out). */
  resources: PlanSummary['resources'];
  outputs: PlanSummary['outputs'];
}

export interface SavedOutputs {
  /** Non-sensitive outputs (also in outputsFile). */
  values: Record<string, unknown>;
  /** Names of the sensitive outputs; their values are never read. */
  sensitive: string[];
  outputsFile: string;
}

export interface OpenStackOptions {
  runner: Runner;
  /** The caller's environment: ARM_* / AZURE_* credentials and TF_* settings reach Terraform from it. */
  processEnv: NodeJS.ProcessEnv;
  /** Seconds to wait for the state lock (default 30). */
  lockTimeoutSeconds?: number;
}

/** The environment as an azure one, or a UsageError saying what `what` is for. */
export function azureEnvironment(env: ResolvedEnvironment, what: string): AzureEnvironment {
  if (env.config.target !== 'azure') {
    throw new UsageError(
      `${what} is for azure environments; ${env.name} is a ${env.config.target} environment.`,
      env.config.target === 'local' ? 'Local environments need no infrastructure: mac deploy sets up .mac/<env>/. Pick an azure one with -e <env>.' : undefined,
    );
  }
  return env as AzureEnvironment;
}

export class TerraformStack {
  readonly planFile: string;

  private constructor(
    readonly env: AzureEnvironment,
    readonly dir: string,
    readonly tf: TerraformCli,
  ) {
    this.planFile = path.join(env.stateDir, 'tfplan');
  }

  /** The environment's root module, checked to exist, with a Terraform that is installed and recent enough. */
  static async open(env: AzureEnvironment, o: OpenStackOptions): Promise<TerraformStack> {
    const dir = path.resolve(env.projectDir, env.config.terraformDir);
    const found = await stat(dir).catch(() => undefined);
    if (!found?.isDirectory()) {
      throw new PreconditionError(
        `No Terraform configuration at ${dir} (terraformDir of ${env.name}).`,
        'Scaffold it with mac init, or set terraformDir in mac.yaml to your Terraform root module.',
      );
    }
    const tfEnv = { ...terraformEnv(o.processEnv, env.config), TF_DATA_DIR: dataDir(env) };
    const tf = new TerraformCli({ dir, runner: o.runner, env: tfEnv, lockTimeoutSeconds: o.lockTimeoutSeconds ?? 30 });
    await tf.version();
    return new TerraformStack(env, dir, tf);
  }

  /** `terraform init` with .mac/<env>/terraform-backend.json's settings, then `extra` over them. */
  async init(extra: Record<string, string> = {}): Promise<void> {
    await mkdir(this.env.stateDir, { recursive: true, mode: 0o700 });
    await this.tf.init({ backendConfig: { ...(await readTerraformBackendConfig(this.env.stateDir)), ...extra } });
  }

  /** Whether the module was initialised for this environment before (a local backend's outputs can be read without init). */
  async initialised(): Promise<boolean> {
    return Boolean(await stat(dataDir(this.env)).catch(() => undefined));
  }

  /**
   * Plans to .mac/<env>/tfplan (owner-only: a plan can hold sensitive values) and summarizes it; an armed Cosmos DB
   * restore (COSMOS_RESTORE_VAR_FILE) is passed with -var-file.
   */
  async plan(o: { destroy?: boolean; onProgress?: Progress } = {}): Promise<StackPlan> {
    await mkdir(this.env.stateDir, { recursive: true, mode: 0o700 });
    const restoreVars = path.join(this.env.stateDir, COSMOS_RESTORE_VAR_FILE);
    const varFile = (await stat(restoreVars).catch(() => undefined))?.isFile() ? restoreVars : undefined;
    const { changes } = await this.tf.plan({ out: this.planFile, destroy: o.destroy, onProgress: o.onProgress, ...(varFile ? { varFile } : {}) });
    await chmod(this.planFile, 0o600);
    const summary = await this.tf.show(this.planFile);
    return {
      planFile: this.planFile,
      changes,
      add: summary.add,
      change: summary.change,
      destroy: summary.destroy,
      resources: summary.resources.filter((r) => r.action !== 'no-op'),
      outputs: summary.outputs,
    };
  }

  /** Applies the saved plan with live progress; returns the resource instances Terraform finished. */
  async apply(onProgress?: Progress): Promise<ApplyResult['resources']> {
    return (await this.tf.apply(this.planFile, { onProgress })).resources;
  }

  async discardPlan(): Promise<void> {
    await rm(this.planFile, { force: true });
  }

  /** Reads the outputs and saves the non-sensitive ones to .mac/<env>/terraform-outputs.json (0600). */
  async saveOutputs(): Promise<SavedOutputs> {
    const { values, sensitive } = await this.tf.output();
    const outputsFile = await writeTerraformOutputs(this.env.stateDir, values);
    return { values, sensitive, outputsFile };
  }

  /** After a destroy: the saved outputs describe nothing any more. */
  async forgetOutputs(): Promise<void> {
    await removeTerraformOutputs(this.env.stateDir);
  }
}

/** The environment's own Terraform data directory (TF_DATA_DIR): see the header. */
function dataDir(env: ResolvedEnvironment): string {
  return path.join(env.stateDir, '.terraform');
}
