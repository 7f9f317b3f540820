// mac images build|push: the agent runtime image, for azure environments.
//
// One image (templates/docker/Dockerfile, built from this toolkit's checkout) serves every agent: the container
// groups run `${registry}/${agent}:${tag}` (templates/terraform/modules/agent), so the one build is tagged once per
// agent name and each container starts it with its own agent name. The tag is `<package version>-<short git SHA>`
// unless --tag says otherwise.
//   build: `az acr build` when az answers and the registry is an Azure Container Registry (a remote build: no local
//          Docker, and the registry has the images when it ends); else `docker build` (then `mac images push`).
//   push:  `docker push` of each agent's tag built by `docker build`.
// Registry sign-in is the operator's (`az login`; `az acr login --name <registry>` before docker push): mac never
// handles a registry password, and no secret is ever an argument.
import { Command, Option } from 'commander';
import type { Deps } from '../deps.js';
import type { RunResult } from '../exec.js';
import { PreconditionError, UsageError, UserError } from '../errors.js';

export type Builder = 'az' | 'docker';

export interface ImagesOptions {
  /** Image tag; default `<version>-<short sha>` of the toolkit checkout. */
  tag?: string;
  /** Force a builder instead of detecting one (build only). */
  builder?: Builder;
}

export interface ImageEntry {
  agent: string;
  image: string;
}

export interface ImagesResult {
  environment: string;
  /** Registry and namespace, e.g. myacr.azurecr.io/mac. */
  registry: string;
  tag: string;
  builder: Builder;
  /** Whether the registry has the images when the command ends. */
  pushed: boolean;
  images: ImageEntry[];
}

export interface ImagesIo {
  /** Root of the toolkit checkout: the build context (default: the package root). */
  contextDir?: string;
}

const DOCKERFILE = 'templates/docker/Dockerfile';
/** Container Instances runs linux/amd64; a build on an arm64 laptop must not produce an arm64 image. */
const PLATFORM = 'linux/amd64';
const TAG = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;
const BUILD_TIMEOUT_MS = 60 * 60_000;

export function imagesCommand(deps: Deps, io: ImagesIo = {}): Command {
  const images = new Command('images')
    .description('Build and push the agent runtime image (one build, tagged per agent) for an azure environment')
    .addHelpText(
      'after',
      `
Examples:
  $ mac -e prod images build                 # az acr build in the registry, or docker build locally
  $ mac -e prod images push                  # after a docker build: docker push every agent's tag
  $ mac -e prod images build --tag 0.1.0-hotfix1 --json`,
    );

  const tagOption = () => new Option('--tag <tag>', 'image tag (default: <package version>-<short git SHA> of this toolkit checkout)');

  images
    .command('build')
    .description("Build the runtime image for every agent: az acr build in the registry if az is installed, else docker build")
    .addOption(tagOption())
    .addOption(new Option('--builder <builder>', 'use this builder instead of detecting one').choices(['az', 'docker']))
    .addHelpText(
      'after',
      `
The image is ${DOCKERFILE}, built from this toolkit's checkout for ${PLATFORM}, tagged <registry>/<agent>:<tag>
for each agent (images.registry in mac.yaml, default <namePrefix>acr.azurecr.io).

Examples:
  $ mac -e prod images build
  $ mac -e prod images build --builder docker && mac -e prod images push
  $ mac -e prod images build --tag 0.1.0-rc1 --json`,
    )
    .action(async (_flags, cmd: Command) => print(await imagesBuildRun(cmd.optsWithGlobals() as ImagesOptions, deps, io), deps));

  images
    .command('push')
    .description('Push the images a docker build made (az acr build pushes by itself)')
    .addOption(tagOption())
    .addHelpText(
      'after',
      `
Sign in to the registry first: az acr login --name <registry> (or docker login for another registry).

Examples:
  $ mac -e prod images push
  $ mac -e prod images push --tag 0.1.0-rc1 --json`,
    )
    .action(async (_flags, cmd: Command) => print(await imagesPushRun(cmd.optsWithGlobals() as ImagesOptions, deps, io), deps));

  return images;
}

interface Plan {
  environment: string;
  subscription: string;
  registry: string;
  registryHost: string;
  tag: string;
  images: ImageEntry[];
  contextDir: string;
}

async function plan(opts: ImagesOptions, deps: Deps, io: ImagesIo): Promise<Plan> {
  const env = await deps.environment();
  if (env.config.target !== 'azure') {
    throw new UsageError(
      `Environment "${env.name}" runs on the local target, which starts the runtime from the installed package: it has no images.`,
      'Build images for an azure environment: mac -e <env> images build (mac init --env prod creates one).',
    );
  }
  const [{ AGENT_NAMES }, { existsSync }, path, { packageRoot }] = await Promise.all([
    import('../config/schema.js'),
    import('node:fs'),
    import('node:path'),
    import('../paths.js'),
  ]);
  const contextDir = io.contextDir ?? packageRoot;
  const missing = [DOCKERFILE, 'package-lock.json', 'src/agents/main.ts'].filter((f) => !existsSync(path.join(contextDir, f)));
  if (missing.length > 0) {
    throw new PreconditionError(
      `${contextDir} is not a checkout of the toolkit's source (missing ${missing.join(', ')}): images are built from the source.`,
      'Run mac images from a clone of the toolkit repository (npm ci there first).',
    );
  }
  const { defaultImageTag } = await import('../azure/image-tag.js');
  const tag = opts.tag ?? (await defaultImageTag(deps.runner, contextDir, (m) => deps.io.warn(m)));
  if (!TAG.test(tag)) {
    throw new UsageError(`"${tag}" is not a valid image tag.`, 'A tag is letters, digits, "_", "." and "-" (up to 128), not starting with "." or "-".');
  }
  // Same default as the Terraform variables (src/terraform/tfvars.ts): the registry the container groups pull from.
  const registry = (env.config.images.registry ?? `${env.config.namePrefix}acr.azurecr.io`).replace(/\/+$/, '');
  return {
    environment: env.name,
    subscription: env.config.subscription,
    registry,
    registryHost: registry.split('/')[0]!,
    tag,
    images: AGENT_NAMES.map((agent) => ({ agent, image: `${registry}/${agent}:${tag}` })),
    contextDir,
  };
}

interface Tools {
  az: boolean;
  docker: boolean;
  /** docker is installed but its daemon does not answer. */
  dockerDown: boolean;
}

async function detectTools(deps: Deps, want: Builder[]): Promise<Tools> {
  const [az, docker] = await Promise.all([
    want.includes('az') ? deps.runner.run('az', ['version', '--output', 'json'], { timeoutMs: 30_000 }) : undefined,
    want.includes('docker') ? deps.runner.run('docker', ['info', '--format', '{{.ServerVersion}}'], { timeoutMs: 30_000 }) : undefined,
  ]);
  return {
    az: answered(az),
    docker: answered(docker),
    dockerDown: docker !== undefined && !docker.notFound && !answered(docker),
  };
}

function answered(r: RunResult | undefined): boolean {
  return r !== undefined && !r.notFound && !r.timedOut && r.exitCode === 0;
}

export async function imagesBuildRun(opts: ImagesOptions, deps: Deps, io: ImagesIo = {}): Promise<ImagesResult> {
  const p = await plan(opts, deps, io);
  const acr = /\.azurecr\.(io|cn|us|de)$/i.test(p.registryHost);
  const tools = await detectTools(deps, opts.builder ? [opts.builder] : acr ? ['az', 'docker'] : ['docker']);
  let builder: Builder;
  if (opts.builder === 'az' && !acr) {
    throw new UsageError(`az acr build needs an Azure Container Registry; ${p.registryHost} is not one.`, 'Use --builder docker, or set images.registry to <name>.azurecr.io in mac.yaml.');
  }
  if ((opts.builder ?? 'az') === 'az' && acr && tools.az) builder = 'az';
  else if (opts.builder !== 'az' && tools.docker) builder = 'docker';
  else throw noBuilder(tools, opts.builder, acr);

  const result: ImagesResult = { environment: p.environment, registry: p.registry, tag: p.tag, builder, pushed: builder === 'az', images: p.images };
  if (builder === 'az') {
    const acrName = p.registryHost.split('.')[0]!;
    const namespace = p.registry.slice(p.registryHost.length + 1);
    const args = ['acr', 'build', '--registry', acrName];
    for (const { agent } of p.images) args.push('--image', `${namespace ? `${namespace}/` : ''}${agent}:${p.tag}`);
    args.push('--subscription', p.subscription, '--platform', PLATFORM, '--file', DOCKERFILE, '.');
    await runStep(deps, `build ${p.images.length} images in ${acrName} with az acr build (tag ${p.tag})`, 'az', args, p.contextDir, () =>
      acrHint(p.registryHost),
    );
  } else {
    const args = ['build', '--platform', PLATFORM, '--file', DOCKERFILE];
    for (const { image } of p.images) args.push('--tag', image);
    args.push('.');
    await runStep(deps, `build ${p.images.length} image tags with docker build (tag ${p.tag})`, 'docker', args, p.contextDir);
    if (!deps.io.json) deps.io.info(`Next: mac -e ${p.environment} images push${opts.tag ? ` --tag ${p.tag}` : ''}`);
  }
  return result;
}

export async function imagesPushRun(opts: ImagesOptions, deps: Deps, io: ImagesIo = {}): Promise<ImagesResult> {
  const p = await plan(opts, deps, io);
  const tools = await detectTools(deps, ['docker']);
  if (!tools.docker) {
    throw new PreconditionError(
      tools.dockerDown ? 'docker is installed but its daemon is not answering (docker info failed).' : 'docker is not installed: there is nothing built locally to push.',
      'mac images build with az (az acr build) builds in the registry and pushes by itself; docker push needs a running Docker engine.',
    );
  }
  for (const { image } of p.images) {
    await runStep(deps, `push ${image}`, 'docker', ['push', image], p.contextDir, () => pushHint(p.registryHost));
  }
  return { environment: p.environment, registry: p.registry, tag: p.tag, builder: 'docker', pushed: true, images: p.images };
}

function noBuilder(tools: Tools, forced: Builder | undefined, acr: boolean): PreconditionError {
  const dockerState = tools.dockerDown ? 'docker is installed but its daemon is not answering' : 'docker is not installed';
  if (forced === 'az') return new PreconditionError('az (the Azure CLI) is not installed or not answering (az version failed).', 'Install the Azure CLI and run az login, or use --builder docker.');
  if (forced === 'docker') return new PreconditionError(`No Docker engine: ${dockerState}.`, 'Start Docker, or build in the registry with --builder az.');
  return new PreconditionError(
    acr ? `Nothing can build the image: az (the Azure CLI) is not installed, and ${dockerState}.` : `Nothing can build the image: ${dockerState} (az acr build needs an Azure Container Registry).`,
    acr
      ? 'Install the Azure CLI and run az login (az acr build builds in the registry, no local Docker needed), or install and start Docker.'
      : 'Install and start Docker.',
  );
}

function acrHint(registryHost: string): string {
  return `Sign in with az login and check that the registry ${registryHost} exists in the environment's subscription (terraform apply creates it).`;
}

function pushHint(registryHost: string): string {
  const name = registryHost.split('.')[0] ?? registryHost;
  return /\.azurecr\./i.test(registryHost) ? `Sign in to the registry first: az acr login --name ${name}` : `Sign in to the registry first: docker login ${registryHost}`;
}

/** One step: the binary's output is kept and only its tail is shown when it fails. */
async function runStep(deps: Deps, label: string, file: string, args: string[], cwd: string, hint?: () => string): Promise<void> {
  const step = deps.io.step(label);
  const r = await deps.runner.run(file, args, { cwd, timeoutMs: BUILD_TIMEOUT_MS });
  if (!r.notFound && !r.timedOut && r.exitCode === 0) {
    step.done();
    return;
  }
  step.fail(r.timedOut ? 'timed out' : `exit ${r.exitCode ?? '?'}`);
  const tail = `${r.stderr}\n${r.stdout}`.trim().split('\n').slice(-15).join('\n');
  if (tail) deps.io.info(tail);
  const why = r.notFound ? `${file} is not installed` : r.timedOut ? 'timed out' : `${file} exited with ${r.exitCode ?? '?'}`;
  throw new UserError(`${label[0]!.toUpperCase()}${label.slice(1)} failed: ${why}.`, hint?.());
}

function print(result: ImagesResult, deps: Deps): void {
  if (deps.io.json) return deps.io.result(result);
  for (const { image } of result.images) deps.io.out(image);
}

function firstLine(text: string): string {
  return text.trim().split('\n')[0] ?? '';
}
