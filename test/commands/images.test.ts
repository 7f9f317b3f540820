// mac images build|push through the real program; only the process boundary (the Runner) is a fake, which answers
// `az version` / `docker info` / git as present or absent and records every argv.
import { readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AGENT_NAMES } from '../../src/config/schema.js';
import type { RunOptions, RunResult, Runner } from '../../src/exec.js';
import { packageRoot } from '../../src/paths.js';
import { runCli, tempDir } from '../helpers/cli.js';

const SUBSCRIPTION = '11111111-2222-3333-4444-555555555555';
const VERSION = (JSON.parse(readFileSync(path.join(packageRoot, 'package.json'), 'utf8')) as { version: string }).version;
const TAG = `${VERSION}-abc1234`;

type Answer = Partial<RunResult> | ((args: string[]) => Partial<RunResult>);

interface Call {
  argv: string[];
  cwd?: string;
}

/** Answers per "binary subcommand" (e.g. "az version", "docker push"); anything unlisted is "not installed". */
function recordingRunner(answers: Record<string, Answer>): Runner & { calls: Call[]; argv(): string[][] } {
  const calls: Call[] = [];
  return {
    calls,
    argv: () => calls.map((c) => c.argv),
    async run(file: string, args: string[], options?: RunOptions) {
      calls.push({ argv: [file, ...args], cwd: options?.cwd });
      const answer = answers[`${file} ${args[0] ?? ''}`] ?? answers[file];
      if (!answer) return { exitCode: undefined, stdout: '', stderr: '', notFound: true, timedOut: false };
      const a = typeof answer === 'function' ? answer(args) : answer;
      return { exitCode: 0, stdout: '', stderr: '', notFound: false, timedOut: false, ...a };
    },
  };
}

const git = { 'git rev-parse': { stdout: 'abc1234\n' }, 'git status': { stdout: '' } };
const az = { 'az version': { stdout: '{"azure-cli": "2.67.0"}' }, 'az acr': { stdout: 'Run ID: ca1 was successful after 3m2s' } };
const docker = { 'docker info': { stdout: '27.3.1' }, 'docker build': {}, 'docker push': {} };

describe('mac images', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  beforeEach(async () => {
    ({ dir, cleanup } = await tempDir());
    await useRegistry(undefined);
  });
  afterEach(() => cleanup());

  async function useRegistry(registry: string | undefined): Promise<void> {
    const images = registry ? ['    images:', `      registry: ${registry}`] : [];
    await writeFile(
      path.join(dir, 'mac.yaml'),
      ['version: 1', 'environments:', '  prod:', '    target: azure', `    subscription: ${SUBSCRIPTION}`, '    namePrefix: shop', ...images, ''].join('\n'),
    );
  }

  const images = (registry: string) => AGENT_NAMES.map((agent) => `${registry}/${agent}:${TAG}`);

  it('build with az: one remote az acr build, the image tagged <version>-<sha> once per agent', async () => {
    const runner = recordingRunner({ ...git, ...az, ...docker });
    const run = await runCli(['-e', 'prod', 'images', 'build', '--json'], { cwd: dir, runner });
    expect(run.code, run.stderr).toBe(0);
    expect(runner.calls.find((c) => c.argv[0] === 'git')).toEqual({ argv: ['git', 'rev-parse', '--short=7', 'HEAD'], cwd: packageRoot });
    const build = runner.calls.find((c) => c.argv[1] === 'acr');
    expect(build).toEqual({
      argv: [
        'az', 'acr', 'build', '--registry', 'shopacr',
        ...AGENT_NAMES.flatMap((agent) => ['--image', `${agent}:${TAG}`]),
        '--subscription', SUBSCRIPTION, '--platform', 'linux/amd64', '--file', 'templates/docker/Dockerfile', '.',
      ],
      cwd: packageRoot,
    });
    expect(runner.argv().some((a) => a[0] === 'docker' && a[1] !== 'info')).toBe(false);
    const doc = JSON.parse(run.stdout);
    expect(doc).toEqual({
      environment: 'prod',
      registry: 'shopacr.azurecr.io',
      tag: TAG,
      builder: 'az',
      pushed: true,
      images: AGENT_NAMES.map((agent) => ({ agent, image: `shopacr.azurecr.io/${agent}:${TAG}` })),
    });
  });

  it('a registry namespace goes into each --image; the progress is on stderr and the images on stdout', async () => {
    await useRegistry('myacr.azurecr.io/mac');
    const runner = recordingRunner({ ...git, ...az });
    const run = await runCli(['-e', 'prod', 'images', 'build'], { cwd: dir, runner });
    expect(run.code, run.stderr).toBe(0);
    const build = runner.argv().find((a) => a[1] === 'acr')!;
    expect(build.slice(0, 7)).toEqual(['az', 'acr', 'build', '--registry', 'myacr', '--image', `mac/intent-classifier:${TAG}`]);
    expect(run.stdout.trim().split('\n')).toEqual(images('myacr.azurecr.io/mac'));
    expect(run.stderr).toMatch(/✓ build 8 images in myacr with az acr build/);
  });

  it('build without az uses docker build with every agent tag, and push pushes each of them', async () => {
    const runner = recordingRunner({ ...git, ...docker });
    const build = await runCli(['-e', 'prod', 'images', 'build', '--json'], { cwd: dir, runner });
    expect(build.code, build.stderr).toBe(0);
    const expected = images('shopacr.azurecr.io');
    expect(runner.calls.find((c) => c.argv[1] === 'build')).toEqual({
      argv: ['docker', 'build', '--platform', 'linux/amd64', '--file', 'templates/docker/Dockerfile', ...expected.flatMap((i) => ['--tag', i]), '.'],
      cwd: packageRoot,
    });
    expect(JSON.parse(build.stdout)).toMatchObject({ builder: 'docker', pushed: false, tag: TAG });

    runner.calls.length = 0;
    const push = await runCli(['-e', 'prod', 'images', 'push', '--json'], { cwd: dir, runner });
    expect(push.code, push.stderr).toBe(0);
    expect(runner.argv().filter((a) => a[1] === 'push')).toEqual(expected.map((i) => ['docker', 'push', i]));
    expect(JSON.parse(push.stdout)).toMatchObject({ builder: 'docker', pushed: true, images: expected.map((image, i) => ({ agent: AGENT_NAMES[i], image })) });
  });

  it('a registry that is not an ACR is built with docker even when az is installed', async () => {
    await useRegistry('ghcr.io/acme');
    const runner = recordingRunner({ ...git, ...az, ...docker });
    const run = await runCli(['-e', 'prod', 'images', 'build'], { cwd: dir, runner });
    expect(run.code, run.stderr).toBe(0);
    expect(runner.argv().some((a) => a[0] === 'az')).toBe(false);
    expect(runner.argv().find((a) => a[1] === 'build')).toContain(`ghcr.io/acme/intent-classifier:${TAG}`);
  });

  it('neither az nor a Docker engine: a precondition error (exit 4) naming both', async () => {
    const runner = recordingRunner({ ...git, 'docker info': { exitCode: 1, stderr: 'Cannot connect to the Docker daemon' } });
    const run = await runCli(['-e', 'prod', 'images', 'build'], { cwd: dir, runner });
    expect(run.code).toBe(4);
    expect(run.stderr).toMatch(/az \(the Azure CLI\) is not installed, and docker is installed but its daemon is not answering/);
    expect(run.stderr).toMatch(/hint: .*az acr build.*Docker/);
    expect(runner.argv()).toEqual(expect.arrayContaining([['az', 'version', '--output', 'json']]));
  });

  it('push without docker is a precondition error (exit 4)', async () => {
    const run = await runCli(['-e', 'prod', 'images', 'push'], { cwd: dir, runner: recordingRunner({ ...git, ...az }) });
    expect(run.code).toBe(4);
    expect(run.stderr).toMatch(/docker is not installed/);
  });

  it('a failed push shows the tail of its output and how to sign in to the registry (exit 1)', async () => {
    const runner = recordingRunner({
      ...git,
      ...docker,
      'docker push': { exitCode: 1, stderr: 'unauthorized: authentication required' },
    });
    const run = await runCli(['-e', 'prod', 'images', 'push'], { cwd: dir, runner });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/✗ push shopacr\.azurecr\.io\/intent-classifier/);
    expect(run.stderr).toMatch(/unauthorized: authentication required/);
    expect(run.stderr).toMatch(/hint: Sign in to the registry first: az acr login --name shopacr/);
    expect(runner.argv().filter((a) => a[1] === 'push')).toHaveLength(1);
  });

  it('without git the tag cannot be made: a usage error asking for --tag; --tag needs no git', async () => {
    const noGit = recordingRunner({ ...az });
    const run = await runCli(['-e', 'prod', 'images', 'build'], { cwd: dir, runner: noGit });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/git is not installed/);
    expect(run.stderr).toMatch(/hint: Give the tag yourself: --tag/);

    const tagged = recordingRunner({ ...az });
    const ok = await runCli(['-e', 'prod', 'images', 'build', '--tag', '0.1.0-rc1', '--json'], { cwd: dir, runner: tagged });
    expect(ok.code, ok.stderr).toBe(0);
    expect(tagged.argv().some((a) => a[0] === 'git')).toBe(false);
    expect(JSON.parse(ok.stdout).tag).toBe('0.1.0-rc1');
    expect(tagged.argv().find((a) => a[1] === 'acr')).toContain('intent-classifier:0.1.0-rc1');
  });

  it('an invalid --tag is a usage error', async () => {
    const run = await runCli(['-e', 'prod', 'images', 'build', '--tag', '-bad/tag'], { cwd: dir, runner: recordingRunner({ ...az }) });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/not a valid image tag/);
  });

  it('a local environment has no images: a usage error (exit 2), and nothing is run', async () => {
    const runner = recordingRunner({ ...git, ...az, ...docker });
    const run = await runCli(['images', 'build'], { cwd: dir, runner });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/local target, which starts the runtime from the installed package/);
    expect(runner.calls).toEqual([]);
  });

  it('no argv carries a secret', async () => {
    const runner = recordingRunner({ ...git, ...az, ...docker });
    await runCli(['-e', 'prod', 'images', 'build'], { cwd: dir, runner });
    await runCli(['-e', 'prod', 'images', 'push'], { cwd: dir, runner });
    for (const argv of runner.argv()) expect(argv.join(' ')).not.toMatch(/password|secret|--token|-p\b|--username/i);
  });
});
