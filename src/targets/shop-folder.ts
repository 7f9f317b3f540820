// The shop data folder a release serves, as both targets read it: checked to be a folder, and hashed into the
// release's fingerprint (a changed file is a new release).
import type { createHash } from 'node:crypto';
import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { UsageError } from '../errors.js';

export async function mustBeDir(dir: string, key: string): Promise<void> {
  const s = await stat(dir).catch(() => undefined);
  if (!s?.isDirectory()) throw new UsageError(`${key}: ${dir} is not a directory.`, 'Point it at a shop data folder (see "Shop data folder" in the README).');
}

/** Adds every file's relative path and content under dir to the hash, in a stable order. */
export async function hashTree(dir: string, hash: ReturnType<typeof createHash>): Promise<void> {
  const entries = (await readdir(dir, { recursive: true, withFileTypes: true })).filter((e) => e.isFile());
  const files = entries.map((e) => path.join(e.parentPath, e.name)).sort();
  for (const file of files) hash.update(`${path.relative(dir, file)}\0`).update(await readFile(file));
}
