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

/** The program with every command built, as `args` would build it, or in full without. */
function program(args?: string[]): Promise<Command> {
  return buildProgram(new Deps({ io: memoryIo(), cwd: root, env: {} }), '0.0.0', args);
}

/** Every command path the program registers, leaves only (e.g. ['secrets', 'rotate']). */
async function commandPaths(): Promise<string[][]> {
  const walk = (c: Command, prefix: string[]): string[][] =>
    c.commands.length ? c.commands.flatMap((sub) => walk(sub, [...prefix, sub.name()])) : [prefix];
  return walk(await program(), []);
}

describe('mac binary', () => {
  it('--help lists every command and loads no Azure SDK, OpenTelemetry, config or model code', async () => {
    const run = await mac(['--help'], ['--import', path.join(root, 'test/helpers/import-tracer.mjs')]);
    expect(run.code).toBe(0);
    const topLevel = [...new Set((await commandPaths()).map((p) => p[0]))];
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

  it('--help lists each command as the command itself describes it (program.ts builds only the one a command line runs)', async () => {
    const full = await program();
    const listed = await program(['--help']);
    // Only names and descriptions were built for --help; the listing must read exactly like the full program's.
    expect(listed.commands.every((c) => c.commands.length === 0 && c.options.length === 0)).toBe(true);
    const help = (p: Command) => p.helpInformation().replace(/^Usage:.*$/m, '');
    const mismatched = full.commands
      .filter((c) => listed.commands.find((l) => l.name() === c.name())?.description() !== c.description())
      .map((c) => `${c.name()}: "${c.description()}"`);
    expect(mismatched, 'update the command\'s description in COMMANDS (src/program.ts)').toEqual([]);
    expect(help(listed)).toBe(help(full));
  });

  it('builds the command a command line names, after global options and their values', async () => {
    // A command only listed for the root help has no options at all, not even --help.
    const built = async (args: string[]) =>
      (await program(args)).commands.filter((c) => c.createHelp().visibleOptions(c).length > 0).map((c) => c.name());
    expect(await built(['secrets', 'rotate', '--help'])).toEqual(['secrets']);
    expect(await built(['-e', 'cost', '--json', 'secrets', 'list'])).toEqual(['secrets']);
    expect(await built(['--env=prod', '-C', '/tmp', 'infra', 'plan'])).toEqual(['infra']);
    expect(await built(['-ye', 'prod', 'deploy'])).toEqual(['deploy']);
    expect(await built(['-eprod', '--no-prompt', 'deploy'])).toEqual(['deploy']);
    expect(await built(['help', 'kb'])).toEqual(['kb']);
    expect(await built(['--', 'pii', 'scan'])).toEqual(['pii']);
    expect(await built(['--version'])).toEqual([]);
    expect(await built(['deploi'])).toEqual([]);
    // An option the root does not know might take the next word: build everything, let commander decide.
    expect((await built(['--rto', '5m', 'dr-drill'])).length).toBe((await program()).commands.length);
  });

  it('runs a command named after global options, and shows help for one named by help', async () => {
    const run = await mac(['-e', 'local', '--json', 'secrets', 'rotate', '--help']);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/--from-env/);
    const help = await mac(['help', 'cost']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/^  report \[options\]/m);
  });

  it('prints its version', async () => {
    const run = await mac(['--version']);
    expect(run.stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
  });

  it('every command has an example in its help', async () => {
    const paths = await commandPaths();
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
