// Loads mac.yaml: YAML syntax errors and schema problems are all collected, located and reported once.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { LineCounter, parseDocument, isNode, type Document } from 'yaml';
import type { z } from 'zod';
import { ConfigError, UsageError, type ConfigDiagnostic } from '../errors.js';
import { configSchema, environmentSchema, type EnvironmentConfig, type MacConfig } from './schema.js';

export const CONFIG_FILE = 'mac.yaml';

export interface LoadedConfig {
  /** Absolute path of mac.yaml, or undefined when running on the implicit local environment. */
  file?: string;
  /** Project directory: where mac.yaml lives (or the working directory). */
  dir: string;
  config: MacConfig;
}

export interface ResolvedEnvironment {
  name: string;
  config: EnvironmentConfig;
  /** Per-environment state: .mac/<env>/ (git-ignored). */
  stateDir: string;
  projectDir: string;
}

export async function loadConfig(dir: string): Promise<LoadedConfig> {
  const file = path.join(dir, CONFIG_FILE);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { dir, config: configSchema.parse({}) };
    throw err;
  }
  return { file, dir, config: parseConfig(text, file) };
}

/** Parses and validates mac.yaml text; throws one ConfigError naming every problem. */
export function parseConfig(text: string, file: string): MacConfig {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const diagnostics: ConfigDiagnostic[] = doc.errors.map((e) => {
    const pos = lineCounter.linePos(e.pos[0]);
    return { file, line: pos.line, column: pos.col, path: '', message: e.message.split('\n')[0] ?? e.message };
  });
  if (diagnostics.length > 0) throw new ConfigError(diagnostics, `Fix the YAML syntax in ${path.basename(file)}.`);

  const result = configSchema.safeParse(doc.toJS() ?? {});
  if (result.success) return result.data;
  throw new ConfigError(
    result.error.issues
      .flatMap((issue) => toDiagnostics(issue, doc, lineCounter, file))
      .sort((a, b) => (a.line ?? 0) - (b.line ?? 0) || (a.column ?? 0) - (b.column ?? 0)),
    'See "Configuration" in the README for every key and its expected value.',
  );
}

function toDiagnostics(issue: z.core.$ZodIssue, doc: Document, lc: LineCounter, file: string): ConfigDiagnostic[] {
  const keyPath = issue.path.map(String);
  if (issue.code === 'unrecognized_keys') {
    return issue.keys.map((key) => ({
      file,
      ...locate(doc, lc, [...keyPath, key], true),
      path: [...keyPath, key].join('.'),
      message: 'unknown key (check the spelling)',
    }));
  }
  return [{ file, ...locate(doc, lc, keyPath, false), path: keyPath.join('.'), message: describe(issue) }];
}

function describe(issue: z.core.$ZodIssue): string {
  if (issue.code === 'invalid_type' && /received undefined/.test(issue.message)) {
    return `missing; expected ${issue.expected}`;
  }
  return issue.message.replace(/^Invalid input: /, '');
}

/** Line/column of the deepest node that exists on the path (a missing key points at its parent). */
function locate(doc: Document, lc: LineCounter, keyPath: string[], wantKey: boolean): { line?: number; column?: number } {
  for (let n = keyPath.length; n >= 0; n--) {
    const sub = keyPath.slice(0, n);
    const node = sub.length === 0 ? doc.contents : doc.getIn(sub, true);
    if (!isNode(node) || !node.range) continue;
    let offset = node.range[0];
    if (wantKey && n === keyPath.length && n > 0) {
      // For an unknown key, point at the key rather than its value.
      const parent = n === 1 ? doc.contents : doc.getIn(sub.slice(0, -1), true);
      const pair = (parent as { items?: { key: unknown }[] })?.items?.find(
        (p) => isNode(p.key) && String((p.key as { value?: unknown }).value) === sub[sub.length - 1],
      );
      if (pair && isNode(pair.key) && pair.key.range) offset = pair.key.range[0];
    }
    const pos = lc.linePos(offset);
    return { line: pos.line, column: pos.col };
  }
  return {};
}

/** Picks the environment: --env, then MAC_ENV, then defaultEnvironment, then `local`. */
export function resolveEnvironment(loaded: LoadedConfig, requested?: string): ResolvedEnvironment {
  const { config } = loaded;
  const name = requested ?? config.defaultEnvironment ?? 'local';
  let env = config.environments[name];
  if (!env && name === 'local') env = environmentSchema.parse({ target: 'local' });
  if (!env) {
    const known = [...new Set(['local', ...Object.keys(config.environments)])].join(', ');
    throw new UsageError(
      `Unknown environment "${name}"${loaded.file ? ` in ${loaded.file}` : ' (no mac.yaml here)'}.`,
      `Known environments: ${known}. Create one with: mac init --env ${name}`,
    );
  }
  return { name, config: env, stateDir: path.join(loaded.dir, '.mac', name), projectDir: loaded.dir };
}
