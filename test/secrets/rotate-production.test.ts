// A production environment never gets generated secrets: no provider issued them, so they could only break it.
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { runCli, tempDir } from '../helpers/cli.js';

let dir: string;
let cleanup: () => Promise<void>;
beforeEach(async () => {
  ({ dir, cleanup } = await tempDir('mac-rotate-prod-'));
  await writeFile(path.join(dir, 'mac.yaml'), 'environments:\n  local:\n    target: local\n    production: true\n');
});
afterEach(() => cleanup());

it('refuses --generate on an environment marked production, before anything is written', async () => {
  const run = await runCli(['secrets', 'rotate', 'shopify-api-token', '--generate'], {
    cwd: dir,
    env: { MAC_VAULT_KEY: randomBytes(32).toString('base64'), CI: '1' },
  });
  expect(run.code).toBe(2);
  expect(run.stderr).toMatch(/local is marked production: a generated value is not a credential any provider issued/);
  expect(run.stderr).toMatch(/mac secrets rotate shopify-api-token --from-env VAR -e local/);
  await expect(import('node:fs/promises').then((fs) => fs.stat(path.join(dir, '.mac', 'local', 'vault')))).rejects.toThrow();
});
