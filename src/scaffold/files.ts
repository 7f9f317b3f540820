// Writes scaffolded files without ever losing an operator's edits.
// A manifest (.mac/scaffold.json) remembers the hash of what we wrote: a file still matching it is ours to
// update; a file that differs from both it and the new content was changed by the operator and is kept
// unless --force.
import { createHash } from 'node:crypto';
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';

export type FileAction = 'created' | 'updated' | 'unchanged' | 'kept' | 'overwritten';

export interface PlannedFile {
  /** Path relative to the project directory, with forward slashes. */
  path: string;
  content: string;
  mode?: number;
}

export interface FileOutcome {
  path: string;
  action: FileAction;
}

interface Manifest {
  files: Record<string, string>;
}

const MANIFEST = '.mac/scaffold.json';

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

async function readText(file: string): Promise<string | undefined> {
  try {
    return await readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}

export async function writeScaffold(dir: string, files: PlannedFile[], force: boolean): Promise<FileOutcome[]> {
  const manifestPath = path.join(dir, MANIFEST);
  const manifestText = await readText(manifestPath);
  const manifest: Manifest = manifestText ? (JSON.parse(manifestText) as Manifest) : { files: {} };
  const outcomes: FileOutcome[] = [];

  for (const file of files) {
    const target = path.join(dir, file.path);
    const current = await readText(target);
    const wanted = sha256(file.content);
    let action: FileAction;
    if (current === undefined) action = 'created';
    else if (current === file.content) action = 'unchanged';
    else if (manifest.files[file.path] === sha256(current)) action = 'updated';
    else action = force ? 'overwritten' : 'kept';

    if (action === 'created' || action === 'updated' || action === 'overwritten') {
      await mkdir(path.dirname(target), { recursive: true });
      await writeFile(target, file.content, { mode: file.mode ?? 0o644 });
    }
    // The mode matters even when the content is unchanged (e.g. a tfvars file copied without it).
    if (file.mode !== undefined && action !== 'kept') await chmod(target, file.mode);
    if (action !== 'kept') manifest.files[file.path] = wanted;
    outcomes.push({ path: file.path, action });
  }

  const next = `${JSON.stringify(manifest, null, 2)}\n`;
  if (next !== manifestText) {
    await mkdir(path.dirname(manifestPath), { recursive: true });
    await writeFile(manifestPath, next);
  }
  return outcomes;
}

/** Appends the lines .gitignore lacks, once, under a marker comment. Returns the lines added. */
export async function ensureGitignore(dir: string, lines: string[]): Promise<string[]> {
  const file = path.join(dir, '.gitignore');
  const current = (await readText(file)) ?? '';
  const present = new Set(current.split(/\r?\n/).map((l) => l.trim()));
  const missing = lines.filter((l) => !present.has(l));
  if (missing.length === 0) return [];
  const prefix = current === '' || current.endsWith('\n') ? current : `${current}\n`;
  const header = present.has(GITIGNORE_MARKER) ? [] : [GITIGNORE_MARKER];
  await writeFile(file, `${prefix}${[...header, ...missing].join('\n')}\n`);
  return missing;
}

export const GITIGNORE_MARKER = '# mac: Terraform variable values, state and caches; local platform state';
