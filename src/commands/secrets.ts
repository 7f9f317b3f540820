// mac secrets: the environment's secrets — the local vault (.mac/<env>/vault) or, later, Azure Key Vault.
//   mac secrets set NAME [--from-env VAR | --from-file F]   new version; the value never comes from argv
//   mac secrets list [--versions]                            names, versions, ages, required-but-missing; never values
//   mac secrets audit [--max-age 90d] [--fail-on-stale]      the quarterly rotation policy
//   mac secrets rotate NAME|--all --generate|--from-env VAR  new version → restart consumers → smoke → keep or roll back
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { Command } from 'commander';
import type { ResolvedEnvironment } from '../config/load.js';
import type { Deps } from '../deps.js';
import { FailedError, InterruptedError, UsageError } from '../errors.js';
import type { RotationResult } from '../secrets/rotate.js';
import type { SecretStatus } from '../secrets/status.js';
import type { SecretStore, StoreCheck } from '../secrets/store.js';

export interface SecretsSetOptions {
  name: string;
  fromEnv?: string;
  fromFile?: string;
}

export interface SecretsListOptions {
  versions?: boolean;
}

export interface SecretsAuditOptions {
  maxAge?: string;
  failOnStale?: boolean;
}

export interface SecretsRotateOptions {
  name?: string;
  all?: boolean;
  generate?: boolean;
  fromEnv?: string;
  /** Seconds to wait for /ready after each restart. */
  readyTimeout?: number;
  /** Seconds to wait for a deploy of the environment to finish. */
  lockTimeout?: number;
}

export interface SecretsRotateResult {
  environment: string;
  rotations: RotationResult[];
}

export interface SecretsSetResult {
  name: string;
  version: string;
  createdAt: Date;
  known: boolean;
  warnings: string[];
}

export interface SecretsListResult {
  environment: string;
  target: string;
  store: { kind: string; location: string; ok: boolean; problem?: string; suggestion?: string };
  secrets: SecretStatus[];
  /** Required secrets this environment does not have. */
  missing: string[];
}

export interface SecretsAuditRow {
  name: string;
  required: boolean;
  present: boolean;
  currentVersion?: string;
  updatedAt?: Date;
  ageDays?: number;
  stale: boolean;
}

export interface SecretsAuditResult {
  environment: string;
  target: string;
  maxAge: string;
  checkedAt: Date;
  secrets: SecretsAuditRow[];
  stale: string[];
  missing: string[];
  problems: string[];
  ok: boolean;
}

/** Where the text comes from for `--from-file -` (process.stdin; a stream in tests). */
export type SecretInput = AsyncIterable<string | Buffer> & { isTTY?: boolean };

export interface SecretsCommandIo {
  /** The store of an environment (default: the target's store, see secrets/open.ts). */
  openStore?: (env: ResolvedEnvironment, deps: Deps) => Promise<SecretStore>;
  /** Reads a value without echoing it (default: @inquirer/prompts `password`). */
  readHidden?: (message: string) => Promise<string>;
  stdin?: SecretInput;
}

const NO_VALUE_ON_ARGV =
  'The value is never taken from the command line (it would stay in shell history and show in the process list).';
const SOURCES_HINT = 'Give the value with --from-env VAR or --from-file F (use "-" for stdin), or run in a terminal to be prompted.';

export function secretsCommand(deps: Deps, io: SecretsCommandIo = {}): Command {
  const secrets = new Command('secrets')
    .description("Manage the environment's secrets: set, list and audit versions (local vault or Azure Key Vault)")
    .addHelpText(
      'after',
      '\nExamples:\n  $ mac secrets set zendesk-api-token --from-env ZENDESK_API_TOKEN\n  $ mac secrets list\n  $ mac secrets audit --fail-on-stale\n  $ mac secrets rotate zendesk-api-token --from-env NEW_ZENDESK_TOKEN',
    );

  secrets
    .command('set')
    .description('Store a new version of a secret, read from a hidden prompt, an environment variable or a file')
    .argument('<name>', 'secret name, e.g. shopify-api-token (lowercase letters, digits, dashes)')
    .option('--from-env <VAR>', 'read the value from environment variable VAR')
    .option('--from-file <F>', 'read the value from file F ("-" for stdin); a trailing newline is dropped')
    // Extra words are caught in the action to explain why a value on the command line is refused.
    .allowExcessArguments(true)
    .addHelpText(
      'after',
      `
The value is never an argument: it would stay in shell history and show in the process list.

Examples:
  $ mac secrets set zendesk-api-token                     # hidden prompt
  $ mac secrets set shopify-api-token --from-env SHOPIFY_API_TOKEN
  $ mac secrets set google-analytics-credentials --from-file ga-service-account.json
  $ printf %s "$TOKEN" | mac secrets set mailchimp-api-key --from-file -`,
    )
    .action(async (name: string, flags: { fromEnv?: string; fromFile?: string }, cmd: Command) => {
      if (cmd.args.length > 1) {
        throw new UsageError(`mac secrets set takes one NAME, got ${cmd.args.length} arguments. ${NO_VALUE_ON_ARGV}`, SOURCES_HINT);
      }
      if (flags.fromEnv !== undefined && flags.fromFile !== undefined) {
        throw new UsageError('--from-env and --from-file are alternatives: give one of them.', 'Run mac secrets set --help for usage.');
      }
      const result = await secretsSetRun({ name, fromEnv: flags.fromEnv, fromFile: flags.fromFile }, deps, io);
      if (deps.io.json) deps.io.result({ name: result.name, version: result.version, createdAt: result.createdAt });
      else deps.io.out(`set ${result.name} version ${result.version}`);
    });

  secrets
    .command('list')
    .description('List the secrets: versions, current version, age and whether the environment needs them — never values')
    .option('--versions', 'one row per version instead of one per secret')
    .addHelpText('after', '\nExamples:\n  $ mac secrets list\n  $ mac secrets list --versions\n  $ mac -e staging secrets list --json')
    .action(async (flags: { versions?: boolean }) => {
      await printList(await secretsListRun({ versions: flags.versions }, deps, io), deps, Boolean(flags.versions));
    });

  secrets
    .command('audit')
    .description('Check every secret against the rotation policy: the current version must be younger than --max-age')
    .option('--max-age <duration>', 'oldest acceptable current version: 90d (quarterly), 12h, 2w', '90d')
    .option('--fail-on-stale', 'exit 1 when a secret is stale or a required one is missing')
    .addHelpText('after', '\nExamples:\n  $ mac secrets audit\n  $ mac secrets audit --max-age 30d --fail-on-stale\n  $ mac secrets audit --json')
    .action(async (flags: SecretsAuditOptions) => {
      const result = await secretsAuditRun(flags, deps, io);
      await printAudit(result, deps);
      if (flags.failOnStale && !result.ok) {
        const parts = [
          result.stale.length ? `${result.stale.length} stale (${result.stale.join(', ')})` : '',
          result.missing.length ? `${result.missing.length} required missing (${result.missing.join(', ')})` : '',
          ...result.problems,
        ].filter(Boolean);
        throw new FailedError(`Secrets audit failed: ${parts.join('; ')}.`, 'Write new versions with mac secrets set NAME --from-env VAR, then audit again.');
      }
    });
  secrets
    .command('rotate')
    .description('Rotate a secret: write a new version, restart the agents that read it, smoke-test, keep it or roll back')
    .argument('[name]', 'the secret to rotate (it must be set already); or --all')
    .option('--all', 'every known secret that is set in the environment (with --generate)')
    .option('--generate', 'a fresh random well-formed value from the secret catalog (refused on production environments)')
    .option('--from-env <VAR>', 'the new value from environment variable VAR (one NAME only)')
    .option('--ready-timeout <seconds>', 'how long to wait for /ready after each restart', (v) => Number.parseFloat(v), 90)
    .option('--lock-timeout <seconds>', 'how long to wait for a deploy of this environment to finish', (v) => Number.parseFloat(v), 0)
    .addHelpText(
      'after',
      `
For each secret: validate the new value (a refused value writes nothing), store it as a new version, restart the
agents that read it, wait until ready and smoke-test. When the restart, /ready or the smoke test fails, the previous
value is written back as a new version, the agents are restarted on it and checked again, and mac exits 1 naming
the failing check. With --all, rotation stops at the first failure; the secrets after it are left as they were.
When the platform is not running, the new version is stored and takes effect at the next mac deploy.
--all with no known secret set prints "Nothing to rotate" and exits 0. A rotation holds the deploy lock: while a
deploy of the environment runs, it exits 4 (see --lock-timeout). The value is never printed or logged.

Examples:
  $ mac secrets rotate zendesk-api-token --from-env NEW_ZENDESK_TOKEN
  $ mac secrets rotate shopify-api-token --generate -e local
  $ mac secrets rotate --all --generate --json`,
    )
    .action(async (name: string | undefined, flags: Omit<SecretsRotateOptions, 'name'>) => {
      try {
        printRotations(await secretsRotateRun({ ...flags, name }, deps), deps);
      } catch (err) {
        // A rolled-back rotation is reported like a finished one (the JSON document too), then fails with exit 1.
        const { RotationFailedError } = await import('../secrets/rotate.js');
        if (err instanceof RotationFailedError) printRotations({ environment: (await deps.environment()).name, rotations: err.results }, deps);
        throw err;
      }
    });
  return secrets;
}

export async function secretsRotateRun(opts: SecretsRotateOptions, deps: Deps): Promise<SecretsRotateResult> {
  const help = 'Run mac secrets rotate --help for usage.';
  if (opts.name !== undefined && opts.all) throw new UsageError('Give a secret NAME or --all, not both.', help);
  if (opts.name === undefined && !opts.all) throw new UsageError('Which secret? Give a NAME, or --all for every known secret that is set.', help);
  if (opts.generate && opts.fromEnv !== undefined) throw new UsageError('--generate and --from-env are alternatives: give one of them.', help);
  if (!opts.generate && opts.fromEnv === undefined) {
    throw new UsageError(`No new value: give --generate or --from-env VAR. ${NO_VALUE_ON_ARGV}`, help);
  }
  if (opts.all && opts.fromEnv !== undefined) {
    throw new UsageError('--from-env reads one value, so it rotates one secret: give a NAME instead of --all.', 'Rotate several secrets with --all --generate, or one at a time with NAME --from-env VAR.');
  }
  for (const [flag, v] of [['--ready-timeout', opts.readyTimeout], ['--lock-timeout', opts.lockTimeout]] as const) {
    if (v !== undefined && !(Number.isFinite(v) && v >= 0)) throw new UsageError(`${flag} must be a number of seconds, got ${String(v)}.`, help);
  }
  const [{ SECRET_NAME_PATTERN }, { KNOWN_SECRETS, knownSecret }] = await Promise.all([import('../secrets/store.js'), import('../secrets/catalog.js')]);
  if (opts.name !== undefined && !SECRET_NAME_PATTERN.test(opts.name)) {
    throw new UsageError(
      `Invalid secret name "${opts.name}": expected 2-127 characters of lowercase letters, digits and dashes, starting with a letter.`,
      "Names follow Key Vault's rule so they work on both targets, e.g. zendesk-api-token.",
    );
  }
  if (opts.generate && opts.name !== undefined && !knownSecret(opts.name)) {
    throw new UsageError(`${opts.name} is not a known secret, so mac cannot generate a value for it.`, `Give the value with --from-env VAR (known: ${KNOWN_SECRETS.map((s) => s.name).join(', ')}).`);
  }
  let fromEnvValue: string | undefined;
  if (opts.fromEnv !== undefined) {
    fromEnvValue = deps.env[opts.fromEnv];
    if (fromEnvValue === undefined || fromEnvValue === '') {
      throw new UsageError(
        `--from-env ${opts.fromEnv}: the environment variable ${opts.fromEnv} is ${fromEnvValue === undefined ? 'not set' : 'empty'}.`,
        `Export ${opts.fromEnv} with the new value first, or use --generate.`,
      );
    }
  }

  const { rotateSecrets } = await import('../secrets/rotate.js');
  const env = await deps.environment();
  if (opts.generate && env.config.production) {
    throw new UsageError(
      `${env.name} is marked production: a generated value is not a credential any provider issued, so it would only fail there.`,
      `Create the new credential with the provider, then: mac secrets rotate ${opts.name ?? 'NAME'} --from-env VAR -e ${env.name}`,
    );
  }
  const signedBy = opts.name !== undefined ? knownSecret(opts.name)?.signedBy : undefined;
  if (opts.generate && signedBy) {
    throw new UsageError(
      `${opts.name} is the key ${signedBy} signs its webhooks with: a generated value would refuse every webhook ${signedBy} sends.`,
      `Take the new secret from ${signedBy} (or reset it there), then: mac secrets rotate ${opts.name} --from-env VAR -e ${env.name}`,
    );
  }
  const target = await deps.target(env);
  let names: string[];
  if (opts.all) {
    const set = new Set((await target.secrets.list()).map((s) => s.name));
    const present = KNOWN_SECRETS.filter((s) => set.has(s.name));
    const skipped = present.filter((s) => s.signedBy);
    if (skipped.length) deps.io.warn(`not rotated: ${skipped.map((s) => `${s.name} (${s.signedBy} issues it)`).join(', ')}; rotate each with --from-env VAR once the service has a new one.`);
    names = present.filter((s) => !s.signedBy).map((s) => s.name);
    if (!names.length) return { environment: env.name, rotations: [] };
  } else {
    names = [opts.name as string];
  }
  const rotations = await rotateSecrets(target, deps.io, {
    names,
    valueFor: (n) => (fromEnvValue !== undefined ? fromEnvValue : (knownSecret(n) as NonNullable<ReturnType<typeof knownSecret>>).generate()),
    source: opts.fromEnv !== undefined ? `env:${opts.fromEnv}` : 'generated',
    ...(opts.readyTimeout !== undefined ? { readyTimeoutMs: opts.readyTimeout * 1000 } : {}),
    ...(opts.lockTimeout !== undefined ? { lockTimeoutMs: opts.lockTimeout * 1000 } : {}),
  });
  return { environment: env.name, rotations };
}

function printRotations(r: SecretsRotateResult, deps: Deps): void {
  const { io } = deps;
  if (io.json) return io.result(r);
  if (!r.rotations.length) {
    io.out(`Nothing to rotate: no known secret that mac can generate is set in ${r.environment}.`);
    return;
  }
  for (const x of r.rotations) {
    if (x.outcome === 'rotated' && x.failure) io.out(`${x.name}: version ${x.to} is current but failed (${x.failure})`);
    else if (x.outcome === 'rotated') io.out(`rotated ${x.name}: version ${x.from} → ${x.to}${x.smoke ? ', smoke test passed' : ''}`);
    else if (x.outcome === 'rolled-back') io.out(`rolled back ${x.name}: version ${x.to} failed (${x.failure}); the previous value is current again as version ${x.restored}`);
    else io.out(`stored ${x.name} version ${x.to} (was ${x.from}); it takes effect at the next mac deploy -e ${r.environment}`);
  }
}

async function environmentStore(deps: Deps, io: SecretsCommandIo): Promise<{ env: ResolvedEnvironment; store: SecretStore }> {
  const env = await deps.environment();
  if (io.openStore) return { env, store: await io.openStore(env, deps) };
  const { openSecretStore } = await import('../secrets/open.js');
  return { env, store: await openSecretStore(env, { processEnv: deps.env, now: () => deps.clock.now() }) };
}

export async function secretsSetRun(opts: SecretsSetOptions, deps: Deps, io: SecretsCommandIo = {}): Promise<SecretsSetResult> {
  const [{ SECRET_NAME_PATTERN }, { validateSecret }] = await Promise.all([import('../secrets/store.js'), import('../secrets/catalog.js')]);
  if (!SECRET_NAME_PATTERN.test(opts.name)) {
    throw new UsageError(
      `Invalid secret name "${opts.name}": expected 2-127 characters of lowercase letters, digits and dashes, starting with a letter.`,
      "Names follow Key Vault's rule so they work on both targets, e.g. zendesk-api-token.",
    );
  }
  const { env, store } = await environmentStore(deps, io);
  const { value, source } = await readValue(opts, deps, io);
  const check = validateSecret(opts.name, value);
  if (check.errors.length) {
    throw new UsageError(`Not stored: ${check.errors.join(' ')}`, check.known ? `Expected: ${check.known.description}.` : undefined);
  }
  for (const w of check.warnings) deps.io.warn(w);
  const version = await store.set(opts.name, value, {
    ...(check.known?.contentType ? { contentType: check.known.contentType } : {}),
    tags: { source },
  });
  // A deploy of an unchanged release restarts nothing: the agents would keep the value they started with.
  const { ReleaseJournal } = await import('../deploy/journal.js');
  if (check.known && (await new ReleaseJournal(env.stateDir).current())) {
    deps.io.info(
      `${env.name} has a release deployed: its running agents keep the value they started with. To apply this one now (restart, smoke test, roll back on failure): mac secrets rotate ${opts.name} --from-env VAR -e ${env.name}`,
    );
  }
  return { name: opts.name, version: version.version, createdAt: version.createdAt, known: Boolean(check.known), warnings: check.warnings };
}

async function readValue(opts: SecretsSetOptions, deps: Deps, io: SecretsCommandIo): Promise<{ value: string; source: string }> {
  if (opts.fromEnv !== undefined) {
    const value = deps.env[opts.fromEnv];
    if (value === undefined || value === '') {
      throw new UsageError(`--from-env ${opts.fromEnv}: the environment variable ${opts.fromEnv} is ${value === undefined ? 'not set' : 'empty'}.`, `Export ${opts.fromEnv} with the value first, or use --from-file F.`);
    }
    return { value, source: `env:${opts.fromEnv}` };
  }
  if (opts.fromFile !== undefined) {
    if (opts.fromFile === '-') return { value: trimNewlines(await readStdin(io.stdin ?? process.stdin)), source: 'stdin' };
    const file = path.resolve(deps.cwd, opts.fromFile);
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a directory' : code === 'EACCES' ? 'permission denied' : 'cannot read it';
      throw new UsageError(`--from-file ${opts.fromFile}: ${why}.`, 'Give the path of a file that holds the value (and only the value).');
    }
    return { value: trimNewlines(text), source: 'file' };
  }
  if (!deps.io.promptsAllowed) {
    throw new UsageError(`No value for ${opts.name}: prompts are off (CI, no TTY or --no-prompt) and neither --from-env nor --from-file was given.`, SOURCES_HINT);
  }
  const value = await (io.readHidden ?? promptHidden)(`Value for ${opts.name} (hidden):`);
  return { value: trimNewlines(value), source: 'prompt' };
}

async function promptHidden(message: string): Promise<string> {
  const { password } = await import('@inquirer/prompts');
  try {
    return await password({ message, mask: '*' });
  } catch (err) {
    if ((err as Error).name === 'ExitPromptError') throw new InterruptedError('Interrupted.');
    throw err;
  }
}

async function readStdin(input: SecretInput): Promise<string> {
  if (input.isTTY) throw new UsageError('--from-file -: stdin is a terminal, not a pipe.', 'Pipe the value in (printf %s "$TOKEN" | mac secrets set NAME --from-file -), or omit --from-file to be prompted.');
  const chunks: Buffer[] = [];
  for await (const chunk of input) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk);
  return Buffer.concat(chunks).toString('utf8');
}

/** Files and pipes end with a newline that is not part of the value. */
function trimNewlines(text: string): string {
  return text.replace(/[\r\n]+$/, '');
}

async function storeCheck(store: SecretStore): Promise<StoreCheck> {
  return store.check ? store.check() : { ok: true };
}

export async function secretsListRun(opts: SecretsListOptions, deps: Deps, io: SecretsCommandIo = {}): Promise<SecretsListResult> {
  const { env, store } = await environmentStore(deps, io);
  const { secretsStatus } = await import('../secrets/status.js');
  const [check, secrets] = await Promise.all([storeCheck(store), secretsStatus(store, env.config, deps.clock.now(), { versions: opts.versions })]);
  return {
    environment: env.name,
    target: env.config.target,
    store: { kind: store.kind, location: store.location, ...check },
    secrets,
    missing: secrets.filter((s) => s.required && !s.present).map((s) => s.name),
  };
}

export async function secretsAuditRun(opts: SecretsAuditOptions, deps: Deps, io: SecretsCommandIo = {}): Promise<SecretsAuditResult> {
  const { parseDuration, secretsStatus } = await import('../secrets/status.js');
  const maxAge = (opts.maxAge ?? '90d').trim();
  const maxAgeMs = parseDuration(maxAge);
  const { env, store } = await environmentStore(deps, io);
  const now = deps.clock.now();
  const [check, status] = await Promise.all([storeCheck(store), secretsStatus(store, env.config, now)]);
  const secrets: SecretsAuditRow[] = status.map((s) => ({
    name: s.name,
    required: s.required,
    present: s.present,
    ...(s.present ? { currentVersion: s.currentVersion, updatedAt: s.updatedAt, ageDays: Math.floor(((s.ageMs ?? 0) / 86_400_000) * 10) / 10 } : {}),
    stale: s.present && (s.ageMs ?? 0) > maxAgeMs,
  }));
  const stale = secrets.filter((s) => s.stale).map((s) => s.name);
  const missing = secrets.filter((s) => s.required && !s.present).map((s) => s.name);
  const problems = check.ok ? [] : [check.problem ?? `${store.location} cannot be read`];
  return {
    environment: env.name,
    target: env.config.target,
    maxAge,
    checkedAt: now,
    secrets,
    stale,
    missing,
    problems,
    ok: stale.length === 0 && missing.length === 0 && problems.length === 0,
  };
}

function statusText(s: SecretStatus, deps: Deps): string {
  if (!s.present) return deps.io.style('red', 'MISSING (required)');
  if (s.required) return 'required';
  return s.known ? 'known' : 'not a known secret';
}

async function printList(r: SecretsListResult, deps: Deps, versions: boolean): Promise<void> {
  const { io } = deps;
  if (io.json) {
    const now = deps.clock.now().getTime();
    return io.result({
      ...r,
      secrets: r.secrets.map(({ ageMs, ...s }) => ({ ...s, ...(ageMs !== undefined ? { ageSeconds: Math.floor(ageMs / 1000) } : {}), ...(s.versions ? { versions: s.versions.map((v) => ({ ...v, ageSeconds: Math.floor((now - v.createdAt.getTime()) / 1000) })) } : {}) })),
    });
  }
  if (!r.store.ok) io.warn(`${r.store.problem}${r.store.suggestion ? `\n  ${r.store.suggestion}` : ''}`);
  if (r.secrets.length === 0) {
    io.out(`No secrets in ${r.store.location} (environment ${r.environment}, ${r.target}).`);
    return;
  }
  const { formatAge } = await import('../secrets/status.js');
  const now = deps.clock.now().getTime();
  if (versions) {
    const rows = r.secrets.flatMap((s) =>
      s.versions?.length
        ? s.versions.map((v, i, all) => ({ s, version: v.version, created: v.createdAt.toISOString(), age: formatAge(now - v.createdAt.getTime()), note: versionNote(v.tags, i === all.length - 1) }))
        : [{ s, version: '-', created: '-', age: '-', note: statusText(s, deps) }],
    );
    io.out(
      io.table(rows, [
        { header: 'name', value: (x) => x.s.name },
        { header: 'version', value: (x) => x.version },
        { header: 'created', value: (x) => x.created },
        { header: 'age', value: (x) => x.age, align: 'right' },
        { header: 'note', value: (x) => x.note },
      ]),
    );
  } else {
    io.out(
      io.table(r.secrets, [
        { header: 'name', value: (s) => s.name },
        { header: 'versions', value: (s) => s.versionCount ?? '-', align: 'right' },
        { header: 'current', value: (s) => s.currentVersion ?? '-' },
        { header: 'age', value: (s) => (s.ageMs === undefined ? '-' : formatAge(s.ageMs)), align: 'right' },
        { header: 'status', value: (s) => statusText(s, deps) },
      ]),
    );
  }
  if (r.missing.length) {
    io.warn(`${r.missing.length} required secret${r.missing.length === 1 ? '' : 's'} missing for ${r.environment} (${r.target}): ${r.missing.join(', ')}`);
    io.info(`  Set ${r.missing.length === 1 ? 'it' : 'each'} with: mac secrets set NAME --from-env VAR`);
  }
}

function versionNote(tags: Record<string, string>, current: boolean): string {
  const parts = [current ? 'current' : '', tags['restored-from'] ? `restored from ${tags['restored-from']}` : tags.source ? `from ${tags.source}` : ''];
  return parts.filter(Boolean).join(', ');
}

async function printAudit(r: SecretsAuditResult, deps: Deps): Promise<void> {
  const { io } = deps;
  if (io.json) return io.result(r);
  for (const p of r.problems) io.warn(p);
  if (r.secrets.length === 0) {
    io.out(`No secrets to audit in environment ${r.environment} (${r.target}).`);
    return;
  }
  const { formatAge } = await import('../secrets/status.js');
  const now = r.checkedAt.getTime();
  io.out(
    io.table(r.secrets, [
      { header: 'name', value: (s) => s.name },
      { header: 'updated', value: (s) => s.updatedAt?.toISOString().slice(0, 10) ?? '-' },
      { header: 'age', value: (s) => (s.updatedAt ? formatAge(now - s.updatedAt.getTime()) : '-'), align: 'right' },
      {
        header: `policy (max ${r.maxAge})`,
        value: (s) => (!s.present ? io.style('red', 'MISSING (required)') : s.stale ? io.style('red', 'STALE') : io.style('green', 'ok')),
      },
    ]),
  );
  const present = r.secrets.filter((s) => s.present).length;
  if (r.ok) {
    io.out(`\nAll ${present} secret${present === 1 ? '' : 's'} rotated within ${r.maxAge}.`);
    return;
  }
  const lines = [
    r.stale.length ? `${r.stale.length} of ${present} secret${present === 1 ? '' : 's'} older than ${r.maxAge}: ${r.stale.join(', ')}` : '',
    r.missing.length ? `${r.missing.length} required secret${r.missing.length === 1 ? '' : 's'} missing: ${r.missing.join(', ')}` : '',
  ].filter(Boolean);
  io.out(`\n${lines.join('\n')}`);
}
