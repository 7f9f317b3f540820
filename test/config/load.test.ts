import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig, parseConfig, resolveEnvironment } from '../../src/config/load.js';
import { ConfigError, UsageError } from '../../src/errors.js';
import { runCli, tempDir } from '../helpers/cli.js';

const THREE_MISTAKES = `version: 1
environments:
  prod:
    target: azure
    subscription: not-a-guid
    region: eastus
    budget:
      amount: -5
    agnets:
      intent-classifier: { cpu: 1, memory: 2 }
`;

describe('mac.yaml validation', () => {
  it('reports every problem at once with line, key path and what was expected', () => {
    let error: unknown;
    try {
      parseConfig(THREE_MISTAKES, '/p/mac.yaml');
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const diags = (error as ConfigError).diagnostics;
    expect(diags.map((d) => [d.path, d.line])).toEqual(
      expect.arrayContaining([
        ['environments.prod.subscription', 5],
        ['environments.prod.budget.amount', 8],
        ['environments.prod.agnets', 9],
      ]),
    );
    expect(diags).toHaveLength(3);
    expect(diags.find((d) => d.path.endsWith('subscription'))?.message).toMatch(/GUID/);
    expect(diags.find((d) => d.path.endsWith('agnets'))?.message).toMatch(/unknown key/);
  });

  it('names a missing required key and the union of targets', () => {
    const err = catchError(() => parseConfig('environments:\n  prod:\n    target: azur\n  stage:\n    target: azure\n', 'mac.yaml'));
    expect(err.diagnostics.map((d) => d.path)).toEqual(['environments.prod.target', 'environments.stage.subscription']);
    expect(err.diagnostics[0]?.message).toMatch(/local or azure/);
    expect(err.diagnostics[1]?.message).toMatch(/missing/);
  });

  it('locates YAML syntax errors', () => {
    const err = catchError(() => parseConfig('environments:\n  prod:\n    target: [azure\n', 'mac.yaml'));
    expect(err.diagnostics[0]?.line).toBeGreaterThanOrEqual(3);
    expect(err.message).toMatch(/mac\.yaml:\d+/);
  });

  it('fills in the seed defaults for an azure environment', () => {
    const cfg = parseConfig(
      'environments:\n  prod:\n    target: azure\n    subscription: 00000000-0000-0000-0000-000000000000\n',
      'mac.yaml',
    );
    const prod = cfg.environments.prod;
    expect(prod?.target).toBe('azure');
    if (prod?.target !== 'azure') return;
    expect(prod.region).toBe('eastus');
    expect(prod.budget).toEqual({ amount: 360, thresholds: [0.83, 0.93], contactEmails: [] });
    expect(prod.languages).toEqual(['en', 'fr', 'es']);
    expect(prod.cloud).toEqual({
      armEndpoint: 'https://management.azure.com',
      authorityHost: 'https://login.microsoftonline.com',
      keyVaultDnsSuffix: 'vault.azure.net',
    });
  });
});

describe('environments', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  beforeEach(async () => ({ dir, cleanup } = await tempDir()));
  afterEach(() => cleanup());

  it('without mac.yaml there is one implicit local environment', async () => {
    const loaded = await loadConfig(dir);
    expect(loaded.file).toBeUndefined();
    const env = resolveEnvironment(loaded);
    expect(env.name).toBe('local');
    expect(env.config.target).toBe('local');
    expect(env.stateDir).toBe(path.join(dir, '.mac', 'local'));
    expect(() => resolveEnvironment(loaded, 'prod')).toThrow(UsageError);
  });

  it('the CLI exits 2 and lists all three mistakes in one error', async () => {
    await writeFile(path.join(dir, 'mac.yaml'), THREE_MISTAKES);
    const run = await runCli(['config', 'validate'], { cwd: dir });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/3 problems in configuration/);
    expect(run.stderr).toMatch(/mac\.yaml:5:\d+ +environments\.prod\.subscription/);
    expect(run.stderr).toMatch(/mac\.yaml:8:\d+ +environments\.prod\.budget\.amount/);
    expect(run.stderr).toMatch(/mac\.yaml:9:\d+ +environments\.prod\.agnets: unknown key/);
    expect(run.stdout).toBe('');
  });

  it('selects by -e, then MAC_ENV, then defaultEnvironment', async () => {
    await writeFile(
      path.join(dir, 'mac.yaml'),
      'defaultEnvironment: staging\nenvironments:\n  staging:\n    target: local\n    port: 9090\n  other:\n    target: local\n',
    );
    const show = async (args: string[], env: NodeJS.ProcessEnv = {}) =>
      JSON.parse((await runCli([...args, 'config', 'show', '--json'], { cwd: dir, env })).stdout).name;
    expect(await show([])).toBe('staging');
    expect(await show([], { MAC_ENV: 'other' })).toBe('other');
    expect(await show(['-e', 'local'], { MAC_ENV: 'other' })).toBe('local');
    const unknown = await runCli(['-e', 'nope', 'config', 'show'], { cwd: dir });
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/Unknown environment "nope".*\n.*Known environments: local, staging, other/);
  });
});

function catchError(fn: () => unknown): ConfigError {
  try {
    fn();
  } catch (err) {
    if (err instanceof ConfigError) return err;
    throw err;
  }
  throw new Error('expected a ConfigError');
}

describe('defaultEnvironment', () => {
  it('must name a defined environment', () => {
    const err = catchError(() => parseConfig('defaultEnvironment: prod\nenvironments:\n  staging:\n    target: local\n', 'mac.yaml'));
    expect(err.diagnostics).toEqual([
      expect.objectContaining({ path: 'defaultEnvironment', line: 1, message: 'no environment named "prod" under environments' }),
    ]);
  });
});
