// mac deploy on the local target, end to end: the real runtime processes, started detached, in a temp project.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { findProcesses } from '../../src/targets/local/processes.js';
import { brokenShop, isAlive, newProject, status, type Project } from './helpers.js';

const RELEASE_ID = /^\d{8}T\d{6}Z-[0-9a-f]{8}$/;

describe('mac deploy (local target)', () => {
  let project: Project;
  beforeEach(async () => {
    project = await newProject('mac-deploy-');
  });
  afterEach(async () => {
    await project.cleanup();
  }, 120_000);

  async function deployOk(): Promise<string> {
    const run = await project.mac(['deploy']);
    expect(run.code, run.stderr).toBe(0);
    const id = /Deployed release (\S+) /.exec(run.stdout)?.[1];
    expect(id, run.stdout).toMatch(RELEASE_ID);
    return id!;
  }

  it('deploys: status, smoke and logs see it; a rerun changes nothing; a config change restarts on a new release', async () => {
    const deployed = await project.mac(['deploy']);
    expect(deployed.code, deployed.stderr).toBe(0);
    const id = /Deployed release (\S+) \(version (\S+?)[,)]/.exec(deployed.stdout);
    expect(id?.[1], deployed.stdout).toMatch(RELEASE_ID);
    expect(deployed.stdout).toMatch(/Gateway: http:\/\/127\.0\.0\.1:\d+/);
    for (const s of ['provision', 'secrets', `roll out ${id![1]}`, 'wait for /ready', 'smoke test']) expect(deployed.stderr).toContain(`✓ ${s}`);

    const first = await status(project);
    expect(first.healthy).toBe(true);
    expect(first.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(first.release).toMatchObject({ id: id![1], version: id![2], configHash: expect.stringMatching(/^[0-9a-f]{16}$/) });
    expect(first.release).not.toHaveProperty('gitSha');
    expect(first.processes.map((p) => [p.name, p.state, p.releaseId])).toEqual([
      ['integrations', 'running', id![1]],
      ['platform', 'running', id![1]],
    ]);
    const pids = first.processes.map((p) => p.pid!);
    for (const pid of pids) expect(isAlive(pid), `pid ${pid}`).toBe(true);
    expect((await findProcesses(project.stateDir)).map((p) => p.pid).sort()).toEqual([...pids].sort());
    // Started with the runtime's node flags (its young-generation size).
    for (const pid of pids) expect(readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0')).toContain('--max-semi-space-size=64');

    const smoke = await project.mac(['smoke', '--json']);
    expect(smoke.code, smoke.stderr).toBe(0);
    const smokeDoc = JSON.parse(smoke.stdout);
    expect(smokeDoc).toMatchObject({ environment: 'local', ok: true, url: first.url });
    expect(smokeDoc.checks.map((c: { name: string; ok: boolean }) => [c.name, c.ok])).toEqual([
      ['health', true],
      ['greeting', true],
      ['order-status', true],
    ]);

    const logs = await project.mac(['logs', 'platform', '--since', '10m', '--json']);
    expect(logs.code, logs.stderr).toBe(0);
    const lines = JSON.parse(logs.stdout).lines as { process: string; text: string }[];
    expect(lines.length).toBeGreaterThan(0);
    expect(lines.every((l) => l.process === 'platform')).toBe(true);
    expect(lines.some((l) => l.text.includes(`ready (release ${id![1]}`))).toBe(true);
    const nope = await project.mac(['logs', 'nope']);
    expect(nope.code).toBe(2);
    expect(nope.stderr).toContain('No process or agent named "nope"');

    // The same configuration again: nothing restarts.
    const again = await project.mac(['deploy']);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stderr).toContain(`Up to date: release ${id![1]} is running and healthy`);
    expect(again.stderr).not.toContain('roll out');
    const unchanged = await status(project);
    expect(unchanged.processes.map((p) => p.pid)).toEqual(pids);
    expect(unchanged.release?.id).toBe(id![1]);

    // A crashed platform: the same configuration is restarted, not reported up to date.
    process.kill(pids[1]!, 'SIGKILL');
    await expect.poll(() => isAlive(pids[1]!)).toBe(false);
    const crashed = await status(project);
    expect(crashed.healthy).toBe(false);
    expect(crashed.processes.map((p) => p.state)).toEqual(['running', 'stopped']);
    const restarted = await project.mac(['deploy']);
    expect(restarted.code, restarted.stderr).toBe(0);
    expect(restarted.stdout).toMatch(/^Restarted release \S+ /);
    const revived = await status(project);
    expect(revived.healthy).toBe(true);
    expect(revived.release?.fingerprint).toBe(first.release!.fingerprint);
    const revivedPids = revived.processes.map((p) => p.pid!);
    expect(revivedPids[1]).not.toBe(pids[1]);
    pids.splice(0, 2, ...revivedPids);
    const restartedId = revived.release!.id;
    expect(restartedId).not.toBe(id![1]);

    // A policy change is a new release: both processes restart.
    await project.configure({ policy: { returnWindowDays: 45 } });
    const changed = await project.mac(['deploy', '--json']);
    expect(changed.code, changed.stderr).toBe(0);
    const events = changed.stdout.trim().split('\n').map((l) => JSON.parse(l));
    const result = events.at(-1);
    expect(result.type).toBe('result');
    expect(result.data).toMatchObject({ outcome: 'deployed', previous: restartedId, release: { spec: { policy: { returnWindowDays: 45 } } } });
    const newId = result.data.release.id as string;
    expect(newId).toMatch(RELEASE_ID);
    expect(newId).not.toBe(restartedId);
    expect(result.data.release.configHash).not.toBe(first.release!.configHash);
    const after = await status(project);
    expect(after.healthy).toBe(true);
    expect(after.release?.id).toBe(newId);
    const newPids = after.processes.map((p) => p.pid!);
    for (const [i, pid] of newPids.entries()) {
      expect(pid).not.toBe(pids[i]);
      expect(isAlive(pid)).toBe(true);
    }
    for (const pid of pids) expect(isAlive(pid), `old pid ${pid}`).toBe(false);
    expect(after.processes.map((p) => p.releaseId)).toEqual([newId, newId]);
    expect((await project.journal.released()).map((r) => r.id)).toEqual([id![1], restartedId, newId]);
    expect((await project.journal.current())?.id).toBe(newId);
  }, 240_000);

  it('a release that does not start is rolled back to the previous one, which keeps serving', async () => {
    const previous = await deployOk();
    await project.configure({ data: await brokenShop(project.dir) });
    const broken = await project.mac(['deploy']);
    expect(broken.code).toBe(1);
    expect(broken.stderr).toMatch(/error: Release \S+ failed: ready check: .*orders\.json/);
    expect(broken.stderr).toContain(`Rolled back to release ${previous}`);
    expect(broken.stderr).toContain(`✓ roll back: smoke test`);

    const after = await status(project);
    expect(after.healthy).toBe(true);
    expect(after.release?.id).toBe(previous);
    expect(after.processes.map((p) => [p.state, p.releaseId])).toEqual([
      ['running', previous],
      ['running', previous],
    ]);
    const smoke = await project.mac(['smoke']);
    expect(smoke.code, smoke.stderr).toBe(0);
    expect((await project.journal.current())?.id).toBe(previous);
    const events = await project.journal.events();
    expect(events.map((e) => e.type)).toEqual(['deploying', 'released', 'deploying', 'failed', 'rolled-back']);
    expect(events.at(-1)).toMatchObject({ type: 'rolled-back', to: previous });
  }, 240_000);

  it('a first deploy that fails leaves nothing running', async () => {
    await project.configure({ data: await brokenShop(project.dir) });
    const run = await project.mac(['deploy']);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/Release \S+ failed: ready check: .*No earlier release to roll back to; the platform is stopped/);
    expect(await findProcesses(project.stateDir)).toEqual([]);
    const after = await status(project);
    expect(after.healthy).toBe(false);
    expect(after.release).toBeUndefined();
    expect(after.processes.map((p) => p.state)).toEqual(['stopped', 'stopped']);
    const smoke = await project.mac(['smoke']);
    expect(smoke.code).toBe(4);
  }, 180_000);

  it('waits for no one: a live lock holder stops the deploy (exit 4); a dead one is taken over', async () => {
    const lockFile = path.join(project.stateDir, 'deploy.lock');
    await mkdir(project.stateDir, { recursive: true });
    const live = { pid: process.pid, host: os.hostname(), nonce: 'a1b2c3d4e5f6a1b2c3d4e5f6', createdAt: new Date().toISOString(), purpose: 'mac deploy' };
    await writeFile(lockFile, `${JSON.stringify(live)}\n`);
    const held = await project.mac(['deploy']);
    expect(held.code).toBe(4);
    expect(held.stderr).toContain(`is held by process ${process.pid} on ${os.hostname()} (mac deploy) since ${live.createdAt}`);
    expect(JSON.parse(await readFile(lockFile, 'utf8'))).toEqual(live);
    expect(await findProcesses(project.stateDir)).toEqual([]);

    const exited = spawnSync(process.execPath, ['-e', '']);
    expect(exited.status).toBe(0);
    expect(isAlive(exited.pid!)).toBe(false);
    await writeFile(lockFile, `${JSON.stringify({ ...live, pid: exited.pid })}\n`);
    const run = await project.mac(['deploy']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toContain(`took over the deploy lock of process ${exited.pid}, which is no longer running`);
    expect(run.stdout).toMatch(/Deployed release /);
    expect((await status(project)).healthy).toBe(true);
    await expect(readFile(lockFile)).rejects.toMatchObject({ code: 'ENOENT' });
  }, 180_000);

  it('destroy asks for --yes without a TTY; with it, stops everything and empties .mac/local', async () => {
    await deployOk();
    const pids = (await findProcesses(project.stateDir)).map((p) => p.pid);
    expect(pids).toHaveLength(2);

    const refused = await project.mac(['destroy']);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('Run again with --yes to confirm.');
    expect((await findProcesses(project.stateDir)).map((p) => p.pid).sort()).toEqual([...pids].sort());
    expect((await status(project)).healthy).toBe(true);

    const destroyed = await project.mac(['destroy', '--yes']);
    expect(destroyed.code, destroyed.stderr).toBe(0);
    expect(destroyed.stdout).toContain('Destroyed local.');
    expect(await findProcesses(project.stateDir)).toEqual([]);
    for (const pid of pids) expect(isAlive(pid), `pid ${pid}`).toBe(false);
    expect(await readdir(project.stateDir)).toEqual([]);
    const after = await status(project);
    expect(after.healthy).toBe(false);
    expect(after.processes.map((p) => p.state)).toEqual(['stopped', 'stopped']);
  }, 180_000);
});
