// The image tag a release runs when none is pinned: `<package version>-<short git SHA>` of the toolkit checkout the
// images are built from. `mac images build` tags the images so, and the azure target deploys them so.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { UsageError } from '../errors.js';
import type { Runner } from '../exec.js';

/** `<version>-<sha7>` of the checkout at contextDir; `onDirty` hears when it has uncommitted changes (the images include them). */
export async function defaultImageTag(runner: Runner, contextDir: string, onDirty?: (message: string) => void): Promise<string> {
  const pkg = JSON.parse(await readFile(path.join(contextDir, 'package.json'), 'utf8')) as { version: string };
  return `${pkg.version}-${await shortSha(runner, contextDir, onDirty)}`;
}

async function shortSha(runner: Runner, cwd: string, onDirty?: (message: string) => void): Promise<string> {
  const r = await runner.run('git', ['rev-parse', '--short=7', 'HEAD'], { cwd, timeoutMs: 15_000 });
  const sha = r.stdout.trim();
  if (r.notFound || r.exitCode !== 0 || !/^[0-9a-f]{7,}$/.test(sha)) {
    throw new UsageError(
      r.notFound
        ? 'git is not installed, so the image tag (<version>-<git SHA>) cannot be made.'
        : `${cwd} is not a git checkout (${r.stderr.trim().split('\n')[0] || 'git rev-parse failed'}), so the image tag (<version>-<git SHA>) cannot be made.`,
      'Give the tag yourself: --tag <tag> (mac images), or images.tag in mac.yaml (mac deploy), e.g. 0.1.0-rc1',
    );
  }
  if (onDirty) {
    const status = await runner.run('git', ['status', '--porcelain', '--untracked-files=no'], { cwd, timeoutMs: 15_000 });
    if (status.exitCode === 0 && status.stdout.trim() !== '') {
      onDirty(`The checkout has uncommitted changes: the images tagged ${sha} include them. Commit first, or pass --tag.`);
    }
  }
  return sha;
}
