// The installed binary, as an operator runs it.
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import type { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { Deps } from '../src/deps.js';
import { memoryIo } from '../src/io.js';
import { buildProgram } from '../src/program.js';

const exec = promisify(execFile);
const root = path.resolve(import.meta.dirname, '..');
const bin = path.join(root, 'bin/mac.js');

async function mac(args: string[], nodeArgs: string[] = []) {
  try {
    const r = await exec(process.execPath, [...nodeArgs, bin, ...args], { cwd: root, env: { ...process.env, NO_COLOR: '1' } });
    return { code: 0, stdout: r.stdout, stderr: r.stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

/** Every command path the program registers, leaves only (e.g. ['secrets', 'rotate']). */
function commandPaths(): string[][] {
  const program = buildProgram(new Deps({ io: memoryIo(), cwd: root, env: {} }), '0.0.0');
  const walk = (c: Command, prefix: string[]): string[][] =>
    c.commands.length ? c.commands.flatMap((sub) => walk(sub, [...prefix, sub.name()])) : [prefix];
  return walk(program, []);
}

describe('mac binary', () => {
  it('--help lists every command and loads no Azure SDK, OpenTelemetry, config or model code', async () => {
    const run = await mac(['--help'], ['--import', path.join(root, 'test/helpers/import-tracer.mjs')]);
    expect(run.code).toBe(0);
    const topLevel = [...new Set(commandPaths().map((p) => p[0]))];
    expect(topLevel).toEqual(expect.arrayContaining(['init', 'doctor', 'deploy', 'status', 'smoke', 'logs', 'destroy', 'dr-drill', 'secrets', 'cost']));
    for (const command of topLevel) expect(run.stdout).toMatch(new RegExp(`^  ${command}\\b`, 'm'));
    const imports: string[] = JSON.parse(/IMPORTS (.*)/.exec(run.stderr)?.[1] ?? '[]');
    expect(imports.some((u) => u.includes('/dist/main.js'))).toBe(true);
    // The runtime's message contracts are plain constants; any other agent module would pull in models or SQLite.
    const heavy = imports.filter(
      (u) => /@azure|@opentelemetry|@nlpjs|better-sqlite3|\/zod\/|\/yaml\/|\/semver\/|\/terraform\/|\/agents\//.test(u) && !u.endsWith('/agents/runtime/contracts.js'),
    );
    expect(heavy).toEqual([]);
  });

  it('prints its version', async () => {
    const run = await mac(['--version']);
    expect(run.stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
  });

  it('every command has an example in its help', async () => {
    const paths = commandPaths();
    expect(paths).toEqual(expect.arrayContaining([['secrets', 'rotate'], ['deploy'], ['dr-drill']]));
    for (const args of paths) {
      const run = await mac([...args, '--help']);
      expect(run.code, args.join(' ')).toBe(0);
      expect(run.stdout, args.join(' ')).toMatch(/Examples?:\n\s+\$ mac /);
    }
  });

  it('an unknown command is a usage error (exit 2) with a hint', async () => {
    const run = await mac(['deploi']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/unknown command 'deploi'/);
    expect(run.stderr).toMatch(/hint:/);
  });
});
