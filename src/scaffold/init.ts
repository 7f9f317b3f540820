// The work behind `mac init`, loaded only when init runs.
import { readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { isMap, parseDocument, type Document } from 'yaml';
import { CONFIG_FILE, parseConfig } from '../config/load.js';
import type { AzureEnvironmentConfig } from '../config/schema.js';
import type { Deps } from '../deps.js';
import { UsageError } from '../errors.js';
import type { CiKind, InitOptions, InitResult } from '../commands/init.js';
import { templatesDir } from '../paths.js';
import { buildTfvars, firstOfMonth } from '../terraform/tfvars.js';
import { ensureGitignore, writeScaffold, type FileOutcome, type PlannedFile } from './files.js';

/** The seed's ignore lines, generalised to wherever terraform/ lives, plus mac's own state. */
export const GITIGNORE_LINES = ['*.tfvars', '*.tfvars.json', '.terraform/', '*.tfstate', '*.tfstate.backup', '.terraform.lock.hcl', '.mac/'];

const CI_FILES: Record<CiKind, { template: string; dest: string }> = {
  'azure-devops': { template: 'ci/azure-pipelines.yml', dest: 'azure-pipelines.yml' },
  github: { template: 'ci/github-deploy.yml', dest: '.github/workflows/deploy.yml' },
};

const NEW_CONFIG_HEADER = `# mac.yaml — environments of the multi-agent customer-service platform.
# Reference: the "Configuration" section of mac's README. Secrets never go here: use \`mac secrets set\`.
`;

type Answers = InitOptions & { env: string; target: 'local' | 'azure' };

export async function scaffoldProject(opts: Answers, deps: Deps): Promise<InitResult> {
  const dir = path.resolve(deps.cwd, opts.dir ?? '.');
  const configPath = path.join(dir, CONFIG_FILE);
  const { text: configText, outcome: configOutcome } = await mergeEnvironment(configPath, opts);
  const config = parseConfig(configText, configPath);
  const env = config.environments[opts.env];
  if (!env) throw new Error(`environment ${opts.env} missing after merge`);

  const files: PlannedFile[] = [];
  if (env.target === 'azure') files.push(...(await terraformFiles(dir, opts.env, env, deps.clock.now())));
  if (opts.ci) {
    const ci = CI_FILES[opts.ci];
    files.push({ path: ci.dest, content: await readFile(path.join(templatesDir, ci.template), 'utf8') });
  }
  const outcomes = await writeScaffold(dir, files, opts.force);
  const gitignoreAdded = await ensureGitignore(dir, GITIGNORE_LINES);
  return { environment: opts.env, target: env.target, dir, files: [configOutcome, ...outcomes], gitignoreAdded };
}

/** Adds or updates the environment in mac.yaml, keeping the operator's comments and other keys. */
async function mergeEnvironment(configPath: string, opts: Answers): Promise<{ text: string; outcome: FileOutcome }> {
  let current: string | undefined;
  try {
    current = await readFile(configPath, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  if (current !== undefined) parseConfig(current, configPath); // refuse to edit a file that is already invalid

  const doc: Document = current !== undefined ? parseDocument(current) : parseDocument(`${NEW_CONFIG_HEADER}version: 1\n`);
  if (!isMap(doc.contents)) doc.contents = doc.createNode({});
  if (!doc.has('environments')) doc.set('environments', doc.createNode({}));
  if (current === undefined && !doc.has('defaultEnvironment')) doc.set('defaultEnvironment', opts.env);

  const conflicts: string[] = [];
  for (const [keyPath, value] of Object.entries(requestedSettings(opts))) {
    const fullPath = ['environments', opts.env, ...keyPath.split('.')];
    const existing = doc.getIn(fullPath);
    const existingJs = existing && typeof existing === 'object' && 'toJSON' in existing ? (existing as { toJSON(): unknown }).toJSON() : existing;
    if (existingJs === undefined || opts.force) doc.setIn(fullPath, value);
    else if (JSON.stringify(existingJs) !== JSON.stringify(value)) {
      conflicts.push(`${keyPath}: mac.yaml has ${JSON.stringify(existingJs)}, the flags say ${JSON.stringify(value)}`);
    }
  }
  if (conflicts.length > 0) {
    throw new UsageError(
      `Environment "${opts.env}" in ${configPath} already differs from the flags:\n  ${conflicts.join('\n  ')}`,
      'Edit mac.yaml, or re-run with --force to replace those settings.',
    );
  }
  const text = doc.toString({ lineWidth: 0 });
  const action = current === undefined ? 'created' : text === current ? 'unchanged' : 'updated';
  if (action !== 'unchanged') await writeFile(configPath, text);
  return { text, outcome: { path: CONFIG_FILE, action } };
}

function requestedSettings(opts: Answers): Record<string, unknown> {
  const s: Record<string, unknown> = { target: opts.target };
  if (opts.subscription !== undefined) s.subscription = opts.subscription;
  if (opts.region !== undefined) s.region = opts.region;
  if (opts.budget !== undefined) s['budget.amount'] = opts.budget;
  if (opts.alertEmails !== undefined) s['budget.contactEmails'] = opts.alertEmails;
  return s;
}

async function terraformFiles(dir: string, envName: string, env: AzureEnvironmentConfig, now: Date): Promise<PlannedFile[]> {
  const stackDir = env.terraformDir.replace(/\\/g, '/').replace(/\/$/, '');
  const modulesDir = path.posix.join(path.posix.dirname(stackDir), 'modules');
  const files: PlannedFile[] = [];
  for (const [from, to] of [
    ['terraform/phase4_prod', stackDir],
    ['terraform/modules', modulesDir],
  ] as const) {
    for (const rel of await listFiles(path.join(templatesDir, from))) {
      files.push({ path: path.posix.join(to, rel), content: await readFile(path.join(templatesDir, from, rel), 'utf8') });
    }
  }
  const tfvarsPath = path.posix.join(stackDir, 'terraform.tfvars.json');
  const startDate = (await existingBudgetStart(path.join(dir, tfvarsPath))) ?? firstOfMonth(now);
  files.push({ path: tfvarsPath, content: `${JSON.stringify(buildTfvars(envName, env, startDate), null, 2)}\n`, mode: 0o600 });
  return files;
}

/** Keeps the budget's start date stable across re-runs (Azure refuses to move it back). */
async function existingBudgetStart(file: string): Promise<string | undefined> {
  try {
    const value = (JSON.parse(await readFile(file, 'utf8')) as { budget_start_date?: unknown }).budget_start_date;
    return typeof value === 'string' ? value : undefined;
  } catch {
    return undefined;
  }
}

async function listFiles(root: string, rel = ''): Promise<string[]> {
  const entries = await readdir(path.join(root, rel), { withFileTypes: true });
  const out: string[] = [];
  for (const e of entries.sort((a, b) => a.name.localeCompare(b.name))) {
    const child = rel ? `${rel}/${e.name}` : e.name;
    if (e.isDirectory()) out.push(...(await listFiles(root, child)));
    else out.push(child);
  }
  return out;
}
