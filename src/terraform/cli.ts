// A narrow wrapper over the `terraform` binary (after azd's TerraformCli). Every call goes through the injected
// Runner, always with -chdir, -input=false and -no-color, and -json wherever Terraform has it. State locking stays on
// (-lock-timeout); a held lock becomes StateLockedError, whose hint names `terraform force-unlock <ID>`.
// Credentials reach Terraform only as ARM_* environment variables, never as arguments.
import { chmod, mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import semver from 'semver';
import { FailedError, PreconditionError, UsageError } from '../errors.js';
import type { RunOptions, RunResult, Runner } from '../exec.js';

export const MIN_TERRAFORM_VERSION = '1.6.0';
/** `terraform init -json` exists from 1.9 on. */
const INIT_JSON_VERSION = '1.9.0';
export const TERRAFORM_INSTALL_HINT = 'Install Terraform ≥ 1.6: https://developer.hashicorp.com/terraform/install';

/** A progress line for the operator (`terraform_data.x: created (1.2s)`). */
export type Progress = (message: string) => void;

/** One line of Terraform's machine-readable UI (`-json`). Only the fields mac reads are typed. */
export interface TerraformEvent {
  type: string;
  '@level'?: string;
  '@message'?: string;
  '@timestamp'?: string;
  hook?: {
    resource?: { addr: string };
    action?: string;
    elapsed_seconds?: number;
    id_value?: string;
  };
  changes?: { add: number; change: number; import?: number; remove: number; operation: string };
  diagnostic?: Diagnostic;
  [key: string]: unknown;
}

export interface Diagnostic {
  severity: 'error' | 'warning';
  summary: string;
  detail?: string;
  address?: string;
  range?: { filename: string; start: { line: number } };
}

export interface StreamOptions {
  /** Human progress lines: resources starting, still running, done (with elapsed time), failed; warnings. */
  onProgress?: Progress;
  /** Every `-json` event, as Terraform emits it. */
  onEvent?: (event: TerraformEvent) => void;
}

export interface TerraformCliOptions {
  /** The root module (absolute). */
  dir: string;
  runner: Runner;
  /** Extra environment for every run: ARM_* credentials, TF_IN_AUTOMATION… (see terraformEnv). */
  env?: Record<string, string | undefined>;
  /** How long to wait for the state lock (default 30 s). */
  lockTimeoutSeconds?: number;
  /** The binary (default `terraform` on PATH). */
  binary?: string;
}

export interface InitOptions {
  /** `-backend-config=KEY=VALUE` pairs (never secrets: those come from ARM_* variables). */
  backendConfig?: Record<string, string>;
  upgrade?: boolean;
}

export interface PlanOptions extends StreamOptions {
  /** Where to save the plan (absolute, or relative to the root module). */
  out: string;
  destroy?: boolean;
  varFile?: string;
}

export interface ChangeCounts {
  add: number;
  change: number;
  destroy: number;
}

export interface PlanRun {
  /** Whether applying the plan would change anything (resources or outputs): `-detailed-exitcode` 2. */
  changes: boolean;
  /** Terraform's own `change_summary` (resources only). */
  counts?: ChangeCounts;
}

export type ResourceAction = 'create' | 'update' | 'delete' | 'replace' | 'read' | 'no-op' | 'forget';

export interface PlanSummary extends ChangeCounts {
  /** Every resource instance of the plan with what applying it does, in address order. */
  resources: { address: string; action: ResourceAction }[];
  /** Root-module outputs whose value changes. */
  outputs: { name: string; action: ResourceAction }[];
}

export interface ApplyResult extends ChangeCounts {
  /** Resource instances Terraform finished, in completion order. */
  resources: { address: string; action: string; seconds: number }[];
}

export interface TerraformOutputs {
  /** Non-sensitive outputs, name → value. */
  values: Record<string, unknown>;
  /** Names of the sensitive outputs; their values are never read into mac. */
  sensitive: string[];
}

/** The state is locked by another Terraform run (exit 4); the hint names the force-unlock command. */
export class StateLockedError extends PreconditionError {
  constructor(
    readonly lockId: string | undefined,
    readonly dir: string,
    readonly holder: { who?: string; operation?: string; created?: string } = {},
  ) {
    const by = [holder.operation?.replace(/^OperationType/, '').toLowerCase(), holder.who && `by ${holder.who}`, holder.created && `since ${holder.created}`]
      .filter(Boolean)
      .join(' ');
    super(
      `The Terraform state of ${dir} is locked by another run${lockId ? ` (lock ${lockId}${by ? `, ${by}` : ''})` : ''}.`,
      lockId
        ? `Wait for that run to finish and try again. If it died, release the lock with: terraform -chdir=${dir} force-unlock ${lockId}`
        : `Wait for that run to finish and try again. If it died, release the lock with: terraform -chdir=${dir} force-unlock <ID> (the ID is in Terraform's lock message).`,
    );
  }
}

export class TerraformCli {
  readonly dir: string;
  private readonly runner: Runner;
  private readonly env: Record<string, string>;
  private readonly lockTimeout: string;
  private readonly binary: string;
  private versionPromise?: Promise<string>;

  constructor(options: TerraformCliOptions) {
    this.dir = options.dir;
    this.runner = options.runner;
    this.env = { TF_IN_AUTOMATION: '1', ...definedOnly(options.env ?? {}) };
    this.lockTimeout = `-lock-timeout=${Math.max(0, Math.round(options.lockTimeoutSeconds ?? 30))}s`;
    this.binary = options.binary ?? 'terraform';
  }

  /** The installed version; PreconditionError when Terraform is missing or older than 1.6. Cached. */
  version(): Promise<string> {
    this.versionPromise ??= (async () => {
      const result = await this.exec(['version', '-json']);
      let version: string | undefined;
      try {
        version = (JSON.parse(result.stdout) as { terraform_version?: string }).terraform_version;
      } catch {
        version = /Terraform v(\d+\.\d+\.\d+\S*)/.exec(result.stdout)?.[1];
      }
      const parsed = version ? semver.coerce(version)?.version : undefined;
      if (result.exitCode !== 0 || !parsed) {
        throw new PreconditionError(`Could not read the Terraform version (exit ${result.exitCode ?? '?'}).`, TERRAFORM_INSTALL_HINT);
      }
      if (semver.lt(parsed, MIN_TERRAFORM_VERSION)) {
        throw new PreconditionError(`Terraform ${parsed} is too old: mac needs ${MIN_TERRAFORM_VERSION} or newer.`, TERRAFORM_INSTALL_HINT);
      }
      return parsed;
    })();
    this.versionPromise.catch(() => (this.versionPromise = undefined));
    return this.versionPromise;
  }

  async init(options: InitOptions = {}): Promise<void> {
    const version = await this.version();
    const args = ['init', '-input=false', '-no-color', this.lockTimeout];
    if (semver.gte(version, INIT_JSON_VERSION)) args.push('-json');
    for (const [key, value] of Object.entries(options.backendConfig ?? {})) {
      if (SECRET_BACKEND_KEYS.has(key)) {
        throw new UsageError(
          `The backend setting ${key} is a secret and would show in the process list as an argument.`,
          'Give it as an environment variable instead (ARM_ACCESS_KEY, ARM_SAS_TOKEN, ARM_CLIENT_SECRET…).',
        );
      }
      args.push(`-backend-config=${key}=${value}`);
    }
    if (options.upgrade) args.push('-upgrade');
    await this.run('init', args, {});
  }

  /** Saves a plan to `out`; `changes` says whether applying it would change anything. */
  async plan(options: PlanOptions): Promise<PlanRun> {
    const args = ['plan', '-input=false', '-no-color', '-json', '-detailed-exitcode', this.lockTimeout, `-out=${options.out}`];
    if (options.destroy) args.push('-destroy');
    if (options.varFile) args.push(`-var-file=${options.varFile}`);
    let counts: ChangeCounts | undefined;
    const result = await this.run('plan', args, {
      ...options,
      onEvent: (e) => {
        if (e.type === 'change_summary' && e.changes) counts = { add: e.changes.add, change: e.changes.change, destroy: e.changes.remove };
        options.onEvent?.(e);
      },
      okExitCodes: [0, 2],
    });
    return { changes: result.exitCode === 2, counts };
  }

  /** What a saved plan does, per resource instance, and the add/change/destroy totals. */
  async show(planFile: string): Promise<PlanSummary> {
    return summarizePlan(await this.showJson(planFile));
  }

  /** `terraform show -json` of a saved plan as Terraform prints it (resource_changes with their after values). */
  async showJson(planFile: string): Promise<unknown> {
    const result = await this.run('show', ['show', '-json', '-no-color', planFile], { jsonEvents: false });
    return parseJson(result.stdout, 'terraform show -json');
  }

  /** Applies a saved plan, reporting each resource as it starts and completes. */
  async apply(planFile: string, options: StreamOptions = {}): Promise<ApplyResult> {
    return this.applyLike('apply', ['apply', '-input=false', '-no-color', '-json', this.lockTimeout, planFile], options);
  }

  /** Destroys everything in the state, without asking (the caller has confirmed). */
  async destroy(options: StreamOptions & { varFile?: string } = {}): Promise<ApplyResult> {
    const args = ['destroy', '-auto-approve', '-input=false', '-no-color', '-json', this.lockTimeout];
    if (options.varFile) args.push(`-var-file=${options.varFile}`);
    return this.applyLike('destroy', args, options);
  }

  /** Root-module outputs; sensitive values are left out (only their names are returned). */
  async output(): Promise<TerraformOutputs> {
    const result = await this.run('output', ['output', '-json', '-no-color'], { jsonEvents: false });
    const doc = parseJson(result.stdout || '{}', 'terraform output -json') as Record<string, { sensitive?: boolean; value?: unknown }>;
    const values: Record<string, unknown> = {};
    const sensitive: string[] = [];
    for (const [name, o] of Object.entries(doc)) {
      if (o.sensitive) sensitive.push(name);
      else values[name] = o.value;
    }
    return { values, sensitive: sensitive.sort() };
  }

  private async applyLike(command: string, args: string[], options: StreamOptions): Promise<ApplyResult> {
    const resources: ApplyResult['resources'] = [];
    let counts: ChangeCounts = { add: 0, change: 0, destroy: 0 };
    await this.run(command, args, {
      ...options,
      onEvent: (e) => {
        if (e.type === 'change_summary' && e.changes) counts = { add: e.changes.add, change: e.changes.change, destroy: e.changes.remove };
        options.onEvent?.(e);
      },
      onResource: (r) => resources.push(r),
    });
    return { ...counts, resources };
  }

  /**
   * Runs one Terraform command. With `-json` events, each is parsed, turned into progress and handed on as it
   * arrives (when the runner streams) or once the process ends (when it does not), exactly once either way.
   */
  private async run(
    command: string,
    args: string[],
    o: StreamOptions & { okExitCodes?: number[]; jsonEvents?: boolean; onResource?: (r: ApplyResult['resources'][number]) => void },
  ): Promise<RunResult> {
    const jsonEvents = o.jsonEvents ?? true;
    const progress = progressTracker(o.onProgress, o.onResource);
    const diagnostics: Diagnostic[] = [];
    let streamed = false;
    const onLine = (line: string) => {
      const event = parseEvent(line);
      if (!event) return;
      if (event.type === 'diagnostic' && event.diagnostic) diagnostics.push(event.diagnostic);
      progress(event);
      o.onEvent?.(event);
    };
    const runOptions: RunOptions = {
      env: this.env,
      ...(jsonEvents
        ? {
            onStdoutLine: (line: string) => {
              streamed = true;
              onLine(line);
            },
          }
        : {}),
    };
    const result = await this.exec(args, runOptions);
    // A runner that does not stream (a test's recording runner) gets its events replayed at the end.
    if (jsonEvents && !streamed) for (const line of result.stdout.split('\n')) onLine(line);
    if (!(o.okExitCodes ?? [0]).includes(result.exitCode ?? -1)) throw this.failure(command, result, diagnostics);
    return result;
  }

  private async exec(args: string[], options: RunOptions = { env: this.env }): Promise<RunResult> {
    const result = await this.runner.run(this.binary, [`-chdir=${this.dir}`, ...args], options);
    if (result.notFound) throw new PreconditionError(`${this.binary} was not found on PATH.`, TERRAFORM_INSTALL_HINT);
    return result;
  }

  private failure(command: string, result: RunResult, diagnostics: Diagnostic[]): Error {
    const text = `${result.stdout}\n${result.stderr}`;
    if (/Error acquiring the state lock/i.test(text)) {
      const detail = diagnostics.find((d) => /state lock/i.test(d.summary))?.detail ?? text;
      const field = (name: string) => new RegExp(`^\\s*│?\\s*${name}:[ \\t]*(\\S[^\\n]*)$`, 'm').exec(detail)?.[1]?.trim();
      return new StateLockedError(field('ID'), this.dir, { who: field('Who'), operation: field('Operation'), created: field('Created') });
    }
    if (result.timedOut) return new FailedError(`terraform ${command} timed out in ${this.dir}.`);
    const errors = diagnostics.filter((d) => d.severity === 'error');
    const found = [...new Map((errors.length ? errors : parsePlainDiagnostics(result.stderr || result.stdout)).map((d) => [describeDiagnostic(d), d])).values()];
    const [first] = found;
    const headline = first ? `${oneLine(first.summary)}${where(first)}` : firstLines(result.stderr || result.stdout, 1) || `exit ${result.exitCode ?? '?'}`;
    const details = found.slice(0, 5).map(describeDiagnostic);
    return new FailedError(
      [`terraform ${command} failed in ${this.dir}: ${headline}`, ...details.map((d) => `  ${d}`)].join('\n'),
      `Run terraform -chdir=${this.dir} ${command} yourself to see the full output.`,
    );
  }
}

/** Backend settings that are credentials: refused as arguments (they belong in ARM_* variables). */
const SECRET_BACKEND_KEYS = new Set(['access_key', 'sas_token', 'client_secret', 'client_certificate_password', 'oidc_token', 'oidc_request_token']);

/**
 * The environment for Terraform's azurerm provider and backend: ARM_* from the caller's environment, with the Azure
 * SDK's AZURE_CLIENT_ID / AZURE_CLIENT_SECRET / AZURE_TENANT_ID as fallbacks, the environment's subscription, the
 * cloud (ARM_ENVIRONMENT for the known sovereign clouds, ARM_METADATA_HOSTNAME for others), TF_* settings, and
 * TF_IN_AUTOMATION=1.
 */
export function terraformEnv(
  env: NodeJS.ProcessEnv,
  azure?: { subscription?: string; cloud?: { armEndpoint: string } },
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(env)) {
    if (value !== undefined && (key.startsWith('ARM_') || key.startsWith('TF_') || key === 'CHECKPOINT_DISABLE')) out[key] = value;
  }
  const fallback = (arm: string, azureName: string) => {
    const v = env[arm] || env[azureName];
    if (v) out[arm] = v;
  };
  fallback('ARM_CLIENT_ID', 'AZURE_CLIENT_ID');
  fallback('ARM_CLIENT_SECRET', 'AZURE_CLIENT_SECRET');
  fallback('ARM_TENANT_ID', 'AZURE_TENANT_ID');
  if (azure?.subscription) out.ARM_SUBSCRIPTION_ID = azure.subscription;
  else fallback('ARM_SUBSCRIPTION_ID', 'AZURE_SUBSCRIPTION_ID');
  if (azure?.cloud && !out.ARM_ENVIRONMENT && !out.ARM_METADATA_HOSTNAME) {
    const host = new URL(azure.cloud.armEndpoint).host.toLowerCase();
    const known: Record<string, string> = {
      'management.azure.com': 'public',
      'management.usgovcloudapi.net': 'usgovernment',
      'management.chinacloudapi.cn': 'china',
    };
    const name = known[host];
    if (!name) out.ARM_METADATA_HOSTNAME = host;
    else if (name !== 'public') out.ARM_ENVIRONMENT = name;
  }
  out.TF_IN_AUTOMATION = '1';
  return out;
}

/** `terraform show -json <plan>` → per-resource actions and the add/change/destroy totals Terraform would print. */
export function summarizePlan(plan: unknown): PlanSummary {
  const doc = (plan ?? {}) as {
    resource_changes?: { address: string; mode?: string; change: { actions: string[] } }[];
    output_changes?: Record<string, { actions: string[] }>;
  };
  const resources = (doc.resource_changes ?? [])
    .filter((r) => r.mode !== 'data')
    .map((r) => ({ address: r.address, action: toAction(r.change.actions) }))
    .sort((a, b) => a.address.localeCompare(b.address));
  const count = (...actions: ResourceAction[]) => resources.filter((r) => actions.includes(r.action)).length;
  const outputs = Object.entries(doc.output_changes ?? {})
    .map(([name, c]) => ({ name, action: toAction(c.actions) }))
    .filter((o) => o.action !== 'no-op')
    .sort((a, b) => a.name.localeCompare(b.name));
  return { resources, outputs, add: count('create', 'replace'), change: count('update'), destroy: count('delete', 'replace') };
}

function toAction(actions: string[]): ResourceAction {
  if (actions.length === 2 && actions.includes('delete') && actions.includes('create')) return 'replace';
  const [a] = actions;
  return a === 'create' || a === 'update' || a === 'delete' || a === 'read' || a === 'forget' ? a : 'no-op';
}

// ---- the outputs file: the non-sensitive outputs, for code that needs them without running Terraform ----

/** `.mac/<env>/terraform-outputs.json`: name → value of the non-sensitive outputs after the last apply/output. */
export function terraformOutputsPath(stateDir: string): string {
  return path.join(stateDir, 'terraform-outputs.json');
}

/** Writes the outputs file atomically, owner-only (0600). */
export async function writeTerraformOutputs(stateDir: string, values: Record<string, unknown>): Promise<string> {
  await mkdir(stateDir, { recursive: true, mode: 0o700 });
  const file = terraformOutputsPath(stateDir);
  const tmp = `${file}.${process.pid}.tmp`;
  await writeFile(tmp, `${JSON.stringify(values, null, 2)}\n`, { mode: 0o600 });
  await chmod(tmp, 0o600);
  await rename(tmp, file);
  return file;
}

/** The outputs file, or undefined when Terraform has not been applied (or was destroyed) for this environment. */
export async function readTerraformOutputs(stateDir: string): Promise<Record<string, unknown> | undefined> {
  try {
    return JSON.parse(await readFile(terraformOutputsPath(stateDir), 'utf8')) as Record<string, unknown>;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}

export async function removeTerraformOutputs(stateDir: string): Promise<void> {
  await rm(terraformOutputsPath(stateDir), { force: true });
}

/**
 * `.mac/<env>/terraform-backend.json`: `-backend-config` settings for `terraform init` (name → string, e.g.
 * `{"storage_account_name": "tfstatemultiagent"}`), written by `mac infra bootstrap`; never credentials.
 */
export function terraformBackendConfigPath(stateDir: string): string {
  return path.join(stateDir, 'terraform-backend.json');
}

/** The backend settings file, or an empty record when there is none. */
export async function readTerraformBackendConfig(stateDir: string): Promise<Record<string, string>> {
  const file = terraformBackendConfigPath(stateDir);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw err;
  }
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    doc = undefined;
  }
  if (!doc || typeof doc !== 'object' || Array.isArray(doc) || Object.values(doc).some((v) => typeof v !== 'string')) {
    throw new UsageError(`${file} is not a JSON object of string settings.`, 'Fix or delete it; mac infra bootstrap writes it again.');
  }
  return doc as Record<string, string>;
}

// ---- event and diagnostic parsing ----

/** action → [verb, while running, when done] */
const VERBS: Record<string, [string, string, string]> = {
  create: ['create', 'creating', 'created'],
  update: ['update', 'updating', 'updated'],
  delete: ['destroy', 'destroying', 'destroyed'],
  read: ['read', 'reading', 'read'],
  noop: ['check', 'checking', 'unchanged'],
};

/** Turns apply_start / apply_progress / apply_complete / apply_errored events into progress lines with elapsed time. */
function progressTracker(onProgress?: Progress, onResource?: (r: ApplyResult['resources'][number]) => void): (e: TerraformEvent) => void {
  const started = new Map<string, number>();
  return (e) => {
    const addr = e.hook?.resource?.addr;
    const action = e.hook?.action ?? '';
    const [verb, ing, ed] = VERBS[action] ?? [action || 'apply', action ? `${action}ing` : 'applying', action ? `${action} done` : 'done'];
    const key = `${addr}\u0000${action}`;
    const ts = e['@timestamp'] ? Date.parse(e['@timestamp']) : Number.NaN;
    switch (e.type) {
      case 'apply_start':
        if (!addr) return;
        if (!Number.isNaN(ts)) started.set(key, ts);
        onProgress?.(`${addr}: ${ing}…`);
        return;
      case 'apply_progress':
        if (addr) onProgress?.(`${addr}: still ${ing} (${e.hook?.elapsed_seconds ?? '?'}s)`);
        return;
      case 'apply_complete':
      case 'apply_errored': {
        if (!addr) return;
        const start = started.get(key);
        const seconds = start !== undefined && !Number.isNaN(ts) ? Math.max(0, ts - start) / 1000 : (e.hook?.elapsed_seconds ?? 0);
        started.delete(key);
        const failed = e.type === 'apply_errored';
        onProgress?.(`${addr}: ${failed ? `${verb} failed` : ed} (${seconds.toFixed(1)}s)`);
        if (!failed) onResource?.({ address: addr, action, seconds: Number(seconds.toFixed(1)) });
        return;
      }
      case 'diagnostic':
        if (e.diagnostic?.severity === 'warning') onProgress?.(`warning: ${e.diagnostic.summary}`);
        return;
      default:
    }
  };
}

function parseEvent(line: string): TerraformEvent | undefined {
  const trimmed = line.trim();
  if (!trimmed.startsWith('{')) return undefined;
  try {
    const e = JSON.parse(trimmed) as TerraformEvent;
    return typeof e.type === 'string' ? e : undefined;
  } catch {
    return undefined;
  }
}

function parseJson(text: string, what: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new FailedError(`${what} printed something that is not JSON: ${firstLines(text, 2)}`);
  }
}

/** `Error: <summary>` blocks of Terraform's human output (stderr of show/output/flag errors). */
function parsePlainDiagnostics(text: string): Diagnostic[] {
  const lines = text.split('\n').map((l) => l.replace(/^[│╷╵]\s?/, '').trimEnd());
  const found: Diagnostic[] = [];
  lines.forEach((line, i) => {
    const m = /^Error: (.+)$/.exec(line.trim());
    if (!m?.[1]) return;
    const detail = lines.slice(i + 1).find((l) => l.trim() && !/^(Error|Warning):/.test(l.trim()));
    found.push({ severity: 'error', summary: m[1], detail: detail?.trim() });
  });
  return found;
}

function where(d: Diagnostic): string {
  return d.range ? ` (${d.range.filename}:${d.range.start.line})` : d.address ? ` (${d.address})` : '';
}

function describeDiagnostic(d: Diagnostic): string {
  const detail = d.detail ? `: ${oneLine(firstLines(d.detail, 3))}` : '';
  return `Error: ${oneLine(d.summary)}${where(d)}${detail}`;
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

function firstLines(text: string, n: number): string {
  return text
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean)
    .slice(0, n)
    .join('\n');
}

function definedOnly(env: Record<string, string | undefined>): Record<string, string> {
  return Object.fromEntries(Object.entries(env).filter((e): e is [string, string] => e[1] !== undefined));
}
