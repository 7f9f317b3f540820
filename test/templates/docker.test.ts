// templates/docker/Dockerfile and the root .dockerignore, checked structurally (no Docker engine here): a small
// line-based parse (comments, `\` continuations, stages), then what an operator relies on — a multi-stage build whose
// final stage runs as a non-root user, holds no devDependencies and no secrets, and reports health.
import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '../..');
const exec = promisify(execFile);

interface Instruction {
  keyword: string;
  /** Everything after the keyword, continuations joined. */
  args: string;
  line: number;
}

interface Stage {
  image: string;
  name?: string;
  instructions: Instruction[];
}

function parseDockerfile(text: string): { stages: Stage[]; global: Instruction[] } {
  const instructions: Instruction[] = [];
  let pending: { text: string; line: number } | undefined;
  text.split('\n').forEach((raw, i) => {
    const line = raw.trimEnd();
    if (!pending && (line.trim() === '' || line.trim().startsWith('#'))) return;
    if (pending && line.trim().startsWith('#')) return; // comments inside a continuation are dropped by Docker too
    const chunk = line.endsWith('\\') ? line.slice(0, -1) : line;
    pending = pending ? { text: `${pending.text} ${chunk.trim()}`, line: pending.line } : { text: chunk.trim(), line: i + 1 };
    if (!line.endsWith('\\')) {
      const m = /^(\S+)\s*(.*)$/.exec(pending.text)!;
      instructions.push({ keyword: m[1]!.toUpperCase(), args: m[2]!.trim(), line: pending.line });
      pending = undefined;
    }
  });
  const stages: Stage[] = [];
  const global: Instruction[] = [];
  for (const ins of instructions) {
    if (ins.keyword === 'FROM') {
      const m = /^(?:--platform=\S+\s+)?(\S+)(?:\s+AS\s+(\S+))?$/i.exec(ins.args)!;
      stages.push({ image: m[1]!, name: m[2], instructions: [] });
    } else if (stages.length === 0) global.push(ins);
    else stages.at(-1)!.instructions.push(ins);
  }
  return { stages, global };
}

/** `COPY [--from=x] [--chown=…] src… dest` → its flags, sources and destination. */
function parseCopy(args: string): { from?: string; sources: string[]; dest: string } {
  const words = args.split(/\s+/);
  const flags = words.filter((w) => w.startsWith('--'));
  const rest = words.filter((w) => !w.startsWith('--'));
  const from = flags.find((f) => f.startsWith('--from='))?.slice('--from='.length);
  return { from, sources: rest.slice(0, -1), dest: rest.at(-1)! };
}

const text = readFileSync(path.join(root, 'templates/docker/Dockerfile'), 'utf8');
const { stages, global } = parseDockerfile(text);
const build = stages[0]!;
const final = stages.at(-1)!;
const all = (stage: Stage, keyword: string) => stage.instructions.filter((i) => i.keyword === keyword);
const jsonArgs = (ins: Instruction | undefined) => JSON.parse(ins?.args ?? 'null') as string[];

describe('templates/docker/Dockerfile', () => {
  it('is multi-stage: a build stage and a runtime stage, both on node:20-bookworm-slim', () => {
    expect(stages.length).toBeGreaterThanOrEqual(2);
    expect(build).toMatchObject({ image: 'node:20-bookworm-slim', name: 'build' });
    expect(final.image).toBe('node:20-bookworm-slim');
    expect(final.name).not.toBe('build');
  });

  it('the build stage has the native toolchain, installs from the lockfile, builds, then drops the devDependencies', () => {
    const runs = all(build, 'RUN').map((r) => r.args);
    const at = (re: RegExp) => runs.findIndex((r) => re.test(r));
    expect(at(/apt-get install .*python3.*make.*g\+\+/)).toBeGreaterThanOrEqual(0);
    expect(at(/\bnpm ci\b/)).toBeGreaterThanOrEqual(0);
    expect(at(/\bnpm run build\b/)).toBeGreaterThan(at(/\bnpm ci\b/));
    expect(at(/\bnpm prune --omit=dev\b/)).toBeGreaterThan(at(/\bnpm run build\b/));
    // Nothing installs dependencies again after the prune.
    expect(runs.slice(at(/npm prune/) + 1).some((r) => /\bnpm (ci|install|i)\b/.test(r))).toBe(false);
    expect(all(build, 'COPY').some((c) => parseCopy(c.args).sources.includes('package-lock.json'))).toBe(true);
  });

  it('the final stage runs as a non-root user, set before the entrypoint', () => {
    const users = all(final, 'USER');
    expect(users.length).toBeGreaterThan(0);
    const user = users.at(-1)!;
    expect(user.args).not.toMatch(/^(root|0)(:|$)/);
    expect(user.args).toBe('node');
    const entry = final.instructions.findIndex((i) => i.keyword === 'ENTRYPOINT');
    expect(final.instructions.indexOf(user)).toBeLessThan(entry);
  });

  it('the final stage installs nothing and carries no devDependencies: node_modules and dist come from the pruned build stage', () => {
    expect(all(final, 'RUN').some((r) => /\bnpm\b|\byarn\b|\bpnpm\b|apt-get install/.test(r.args))).toBe(false);
    const copies = all(final, 'COPY').map((c) => parseCopy(c.args));
    for (const needed of ['/app/node_modules', '/app/dist']) {
      expect(copies.find((c) => c.sources.includes(needed))?.from, needed).toBe('build');
    }
    for (const c of copies) {
      if (c.sources.some((s) => /(^|\/)(dist|node_modules)(\/|$)/.test(s))) expect(c.from, c.sources.join(' ')).toBe('build');
      if (c.from !== undefined) expect(stages.slice(0, -1).map((s) => s.name)).toContain(c.from);
    }
    expect(copies.some((c) => c.sources.includes('package.json'))).toBe(true);
    expect(copies.some((c) => c.sources.includes('data/demo-shop'))).toBe(true);
    expect(all(final, 'ENV').map((e) => e.args).join(' ')).toMatch(/\bNODE_ENV=production\b/);
  });

  it('holds no secret: no ARG or ENV with a secret-looking name, no secret files copied', () => {
    const secretish = /secret|password|passwd|token|credential|api[_-]?key|private[_-]?key|connection[_-]?string|\bauth/i;
    const declared = [...global, ...stages.flatMap((s) => s.instructions)].filter((i) => i.keyword === 'ARG' || i.keyword === 'ENV');
    for (const d of declared) {
      const names = d.args.split(/\s+/).map((kv) => kv.split('=')[0]!);
      for (const name of names) expect(name, `${d.keyword} ${d.args}`).not.toMatch(secretish);
    }
    const copied = stages.flatMap((s) => all(s, 'COPY').flatMap((c) => parseCopy(c.args).sources));
    for (const source of copied) expect(source).not.toMatch(/\.npmrc|\.env\b|\.mac\b|tfvars|tfstate|\.pem$|\.key$/);
    expect(text).not.toMatch(/--mount=type=secret|NPM_TOKEN/);
  });

  it('exposes 8080, health-checks /health with node, and starts dist/agents/main.js', () => {
    expect(all(final, 'EXPOSE').map((e) => e.args)).toEqual(['8080']);
    const health = all(final, 'HEALTHCHECK');
    expect(health).toHaveLength(1);
    const cmd = JSON.parse(/\bCMD\s+(\[.*\])$/.exec(health[0]!.args)![1]!) as string[];
    expect(cmd.slice(0, 2)).toEqual(['node', '-e']);
    expect(cmd[2]).toMatch(/\/health/);
    expect(health[0]!.args).not.toMatch(/curl|wget/);
    expect(jsonArgs(all(final, 'ENTRYPOINT').at(-1))).toEqual(['node', 'dist/agents/main.js']);
    expect(jsonArgs(all(final, 'CMD').at(-1))).toEqual(['--role', 'platform', '--state-dir', '/home/node/state']);
    expect(existsSync(path.join(root, 'src/agents/main.ts'))).toBe(true);
  });

  it('its health check exits 0 on a healthy /health and 1 on a failing one or on no server', async () => {
    const health = all(final, 'HEALTHCHECK')[0]!;
    const script = (JSON.parse(/\bCMD\s+(\[.*\])$/.exec(health.args)![1]!) as string[])[2]!;
    let status = 200;
    const seen: string[] = [];
    const server = http.createServer((req, res) => {
      seen.push(req.url ?? '');
      res.writeHead(status).end('{}');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = String((server.address() as AddressInfo).port);
    const probe = () =>
      exec(process.execPath, ['-e', script], { env: { ...process.env, PORT: port }, timeout: 10_000 }).then(
        () => 0,
        (e: { code?: number }) => e.code ?? -1,
      );
    try {
      expect(await probe()).toBe(0);
      status = 503;
      expect(await probe()).toBe(1);
      expect(seen).toEqual(['/health', '/health']);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
    expect(await probe()).toBe(1);
  });

  it('copies only files that exist and that .dockerignore lets into the context', () => {
    const ignore = readFileSync(path.join(root, '.dockerignore'), 'utf8')
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l && !l.startsWith('#'));
    const ignored = (p: string) => ignore.some((pattern) => !pattern.startsWith('!') && (pattern === p || p.startsWith(`${pattern}/`)));
    const sources = stages.flatMap((s) => all(s, 'COPY').map((c) => parseCopy(c.args)).filter((c) => c.from === undefined).flatMap((c) => c.sources));
    expect(sources.length).toBeGreaterThan(0);
    for (const source of sources) {
      expect(existsSync(path.join(root, source)), source).toBe(true);
      expect(ignored(source), source).toBe(false);
    }
    // Never in the context: local state and vaults, Terraform state and values, version control, host builds.
    for (const never of ['.mac', '.git', 'node_modules', 'dist', '**/*.tfvars', '**/*.tfvars.json', '**/*.tfstate', '**/.env']) {
      expect(ignore).toContain(never);
    }
    // The Dockerfile itself must reach `az acr build`, which uploads the filtered context.
    expect(ignored('templates/docker/Dockerfile') || ignored('templates')).toBe(false);
  });
});
