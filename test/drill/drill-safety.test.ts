// mac dr-drill's safety checks, through the real program: an azure environment needs --confirm <its name>, a
// production environment needs --allow-production — refused before any prompt and before anything is touched (no
// process spawned, no .mac/ state written, no request sent: the azure environment's endpoints are a closed port, so
// reaching them would fail with a connection error instead of the refusal).
import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { drDrillCommand } from '../../src/commands/dr-drill.js';
import { Deps } from '../../src/deps.js';
import type { Runner } from '../../src/exec.js';
import { memoryIo } from '../../src/io.js';
import { runCli, tempDir } from '../helpers/cli.js';

const SUBSCRIPTION = '00000000-0000-4000-8000-000000000001';
const BOGUS = 'https://127.0.0.1:9';

let dir: string;
let cleanup: () => Promise<void>;
let spawned: string[];
const runner: Runner = {
  async run(file, args) {
    spawned.push([file, ...args].join(' '));
    return { exitCode: 127, stdout: '', stderr: 'not allowed in this test' } as Awaited<ReturnType<Runner['run']>>;
  },
};

beforeEach(async () => {
  ({ dir, cleanup } = await tempDir('mac-drill-safety-'));
  spawned = [];
  await writeFile(
    path.join(dir, 'mac.yaml'),
    [
      'version: 1',
      'environments:',
      '  local:',
      '    target: local',
      '    port: 0',
      '  shop:',
      '    target: local',
      '    port: 0',
      '    production: true',
      ...['staging', 'prod'].flatMap((name) => [
        `  ${name}:`,
        '    target: azure',
        `    subscription: ${SUBSCRIPTION}`,
        `    resourceGroup: rg-${name}`,
        `    keyVaultUrl: ${BOGUS}/`,
        `    gatewayUrl: ${BOGUS}`,
        ...(name === 'prod' ? ['    production: true'] : []),
        '    cloud:',
        `      armEndpoint: ${BOGUS}`,
        `      authorityHost: ${BOGUS}`,
      ]),
      '',
    ].join('\n'),
  );
});
afterEach(async () => {
  // Nothing was touched: no binary ran, no state folder was created.
  expect(spawned).toEqual([]);
  expect(existsSync(path.join(dir, '.mac'))).toBe(false);
  await cleanup();
});

const mac = (args: string[]) => runCli(['dr-drill', ...args], { cwd: dir, env: { CI: '1' }, runner });

describe('mac dr-drill safety', () => {
  it('refuses an azure environment without --confirm, naming the flag and the expected value (exit 2), even with --yes', async () => {
    const run = await mac(['-e', 'staging', '--yes']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('--confirm staging');
    expect(run.stderr).not.toMatch(/ECONNREFUSED|127\.0\.0\.1/);
  });

  it('refuses a --confirm that is not the environment name (exit 2)', async () => {
    const run = await mac(['-e', 'staging', '--yes', '--confirm', 'prod']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('--confirm prod does not match');
    expect(run.stderr).toContain('--confirm staging');
  });

  it('refuses a production azure environment without --allow-production, even when confirmed (exit 2)', async () => {
    const run = await mac(['-e', 'prod', '--yes', '--confirm', 'prod']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('production: true');
    expect(run.stderr).toContain('--allow-production');
  });

  it('refuses a production local environment without --allow-production (exit 2)', async () => {
    const run = await mac(['-e', 'shop', '--yes']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('--allow-production');
  });

  it('checks safety before the prompt: a correctly confirmed azure drill gets as far as asking for --yes', async () => {
    const run = await mac(['-e', 'staging', '--confirm', 'staging']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('Run again with --yes');
    const prod = await mac(['-e', 'prod', '--confirm', 'prod', '--allow-production']);
    expect(prod.code).toBe(2);
    expect(prod.stderr).toContain('Run again with --yes');
    // A local, non-production environment needs neither flag.
    const local = await mac(['-e', 'local']);
    expect(local.code).toBe(2);
    expect(local.stderr).toContain('Run again with --yes');
  });

  it('documents both flags and the exit code in its help', async () => {
    const command = drDrillCommand(new Deps({ io: memoryIo({ env: {} }), cwd: dir, env: {}, runner }));
    let help = '';
    command.configureOutput({ writeOut: (s) => (help += s) }).outputHelp();
    expect(help).toContain('--confirm <env-name>');
    expect(help).toContain('--allow-production');
    expect(help).toContain('mac dr-drill -e staging --confirm staging --yes');
    // The azure drill: what it does, and its pause between destroy and rebuild.
    expect(help).toContain('--wait <duration>');
    expect(help).toMatch(/captures the Cosmos DB restore point\s+\(restorable account and latest restorable timestamp\) BEFORE anything is destroyed/);
    expect(help).toMatch(/exits 2/);
  });
});
