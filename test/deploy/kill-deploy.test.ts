// A test kills `mac deploy` with SIGKILL at each step in turn and checks the next deploy converges: healthy, no
// orphan process, a readable journal, and the data written before still there.
import { spawn } from 'node:child_process';
import { appendFile, readFile } from 'node:fs/promises';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { setTimeout as sleep } from 'node:timers/promises';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { packageRoot } from '../../src/paths.js';
import { findProcesses } from '../../src/targets/local/processes.js';
import { isAlive, journalLines, newProject, status, type Project } from './helpers.js';

const MAC_BIN = path.join(packageRoot, 'bin', 'mac.js');
const SESSION = 'kill-test-session';

interface DeployEvent {
  type: 'step.start' | 'step.end' | 'step.progress' | 'result' | 'error';
  ts: string;
  data: { step?: string; message?: string; [key: string]: unknown };
}

/** Where to kill the deploy: the first event it streams that matches. */
const KILL_POINTS: { name: string; at: (e: DeployEvent) => boolean; orphan?: boolean }[] = [
  { name: 'provision', at: (e) => e.type === 'step.start' && e.data.step === 'provision' },
  { name: 'secrets', at: (e) => e.type === 'step.start' && e.data.step === 'secrets' },
  { name: 'roll out', at: (e) => e.type === 'step.start' && Boolean(e.data.step?.startsWith('roll out ')) },
  { name: 'roll out: starting integrations', at: (e) => e.type === 'step.progress' && e.data.message === 'starting integrations' },
  { name: 'roll out: starting platform', at: (e) => e.type === 'step.progress' && e.data.message === 'starting platform' },
  // The platform takes seconds to start: kill the deploy once the new one is spawned but has not recorded itself yet.
  { name: 'roll out: platform spawned, not serving yet', at: (e) => e.type === 'step.progress' && e.data.message === 'starting platform', orphan: true },
  { name: 'wait for /ready', at: (e) => e.type === 'step.start' && e.data.step === 'wait for /ready' },
  { name: 'smoke test', at: (e) => e.type === 'step.start' && e.data.step === 'smoke test' },
];

/** A platform process of the project that has not recorded itself (yet). */
async function unrecordedPlatform(project: Project): Promise<number | undefined> {
  const recorded = (await project.runRecord('platform'))?.pid;
  return (await findProcesses(project.stateDir)).find((p) => p.role === 'platform' && p.pid !== recorded)?.pid;
}

/**
 * Runs `node bin/mac.js deploy --json` in the project and SIGKILLs it on the first event matching `at` — with
 * `orphan`, only once a platform process it spawned is running but not yet serving.
 */
async function deployKilledAt(
  project: Project,
  at: (e: DeployEvent) => boolean,
  orphan = false,
): Promise<{ signal: NodeJS.Signals | null; code: number | null; events: DeployEvent[]; stderr: string; orphanPid?: number }> {
  const child = spawn(process.execPath, [MAC_BIN, 'deploy', '--json'], {
    cwd: project.dir,
    env: { ...process.env, ...project.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const events: DeployEvent[] = [];
  let stderr = '';
  let orphanPid: number | undefined;
  child.stderr.setEncoding('utf8').on('data', (s: string) => (stderr += s));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  for await (const line of createInterface({ input: child.stdout })) {
    const event = JSON.parse(line) as DeployEvent;
    events.push(event);
    if (at(event)) {
      const deadline = Date.now() + 30_000;
      while (orphan && !(orphanPid = await unrecordedPlatform(project)) && Date.now() < deadline) await sleep(20);
      child.kill('SIGKILL');
      break;
    }
  }
  return { ...(await exited), events, stderr, orphanPid };
}

function sessionTurns(stateDir: string): { role: string; text: string }[] {
  const db = new Database(path.join(stateDir, 'data', 'platform.db'), { readonly: true, fileMustExist: true });
  try {
    return db.prepare('SELECT role, text FROM conversation_turns WHERE session_id = ? ORDER BY id').all(SESSION) as { role: string; text: string }[];
  } finally {
    db.close();
  }
}

describe('mac deploy killed with SIGKILL at each step', () => {
  let project: Project;
  let turns: { role: string; text: string }[];
  let released: string;

  beforeAll(async () => {
    project = await newProject('mac-kill-deploy-');
    const first = await project.mac(['deploy', '--json']);
    expect(first.code, first.stderr).toBe(0);
    released = JSON.parse(first.stdout.trim().split('\n').at(-1)!).data.release.id;
    // One conversation turn before any kill: it must survive every one of them.
    const url = (await status(project)).url!;
    const res = await fetch(new URL('/v1/chat', url), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ session_id: SESSION, message: 'Hello!' }),
    });
    expect(res.status).toBe(200);
    turns = sessionTurns(project.stateDir);
    expect(turns.length).toBeGreaterThan(0);
    expect(turns[0]).toMatchObject({ role: 'customer', text: 'Hello!' });
  }, 180_000);

  afterAll(async () => {
    await project?.cleanup();
  }, 120_000);

  it.each(KILL_POINTS.map((k, i) => [k.name, k, 31 + i] as const))(
    'killed at "%s", the next deploy converges',
    async (_name, { at, orphan }, days) => {
      // A new configuration each time, so the killed deploy was a real restart, not "up to date".
      await project.configure({ policy: { returnWindowDays: days } });
      const killed = await deployKilledAt(project, at, orphan);
      expect(killed.signal, `the deploy ended on its own (code ${killed.code}) before the kill point: ${killed.stderr}`).toBe('SIGKILL');
      expect(killed.events.some((e) => e.type === 'result' || e.type === 'error')).toBe(false);
      // The killed deploy left a platform process behind, starting up and unrecorded: the next deploy must stop it.
      if (orphan) expect(killed.orphanPid, 'an unrecorded platform process when the deploy was killed').toBeDefined();

      const again = await project.mac(['deploy', '--json']);
      expect(again.code, again.stderr).toBe(0);
      expect(again.stderr).toMatch(/took over the deploy lock of process \d+, which is no longer running/);
      const result = JSON.parse(again.stdout.trim().split('\n').at(-1)!) as DeployEvent;
      expect(result.type).toBe('result');
      expect(result.data).toMatchObject({ outcome: 'deployed', previous: released, release: { spec: { policy: { returnWindowDays: days } } } });
      const release = (result.data.release as { id: string }).id;
      released = release;

      // Healthy, on the new release.
      const s = await status(project);
      expect(s.healthy).toBe(true);
      expect(s.release?.id).toBe(release);
      expect(s.processes.map((p) => [p.name, p.state, p.releaseId])).toEqual([
        ['integrations', 'running', release],
        ['platform', 'running', release],
      ]);

      // No orphans: the runtime processes are exactly the two that recorded themselves, and both answer.
      const records = await Promise.all([project.runRecord('integrations'), project.runRecord('platform')]);
      const recorded = records.map((r) => r?.pid);
      const found = await findProcesses(project.stateDir);
      expect(found.map((p) => `${p.role}:${p.pid}`).sort()).toEqual([`integrations:${recorded[0]}`, `platform:${recorded[1]}`].sort());
      for (const pid of recorded) expect(isAlive(pid!)).toBe(true);
      if (killed.orphanPid) expect(isAlive(killed.orphanPid), `the orphan ${killed.orphanPid}`).toBe(false);
      expect(records.map((r) => r?.releaseId)).toEqual([release, release]);
      for (const url of [...Object.values(records[0]!.urls), records[1]!.urls.gateway!]) {
        const res = await fetch(url, { signal: AbortSignal.timeout(5_000) });
        expect(res.status, url).toBeLessThan(500);
      }
      const health = await fetch(new URL('/health', records[1]!.urls.gateway));
      expect(health.status).toBe(200);

      // The journal reads (a torn last line is tolerated) and names the new release as current.
      const lines = await journalLines(project);
      expect(lines.at(-1)).toMatchObject({ type: 'released', release: { id: release } });
      expect((await project.journal.current())?.id).toBe(release);

      // Data written before the kills is kept.
      expect(sessionTurns(project.stateDir)).toEqual(turns);
    },
    240_000,
  );

  it('a journal line torn by a crash mid-append is skipped, and the next deploy is recorded whole', async () => {
    // What a crash in the middle of an append leaves: the start of an event, no newline.
    const torn = JSON.stringify({ type: 'deploying', ts: new Date().toISOString(), release: { id: 'torn' } }).slice(0, 40);
    await appendFile(project.journal.file, torn);
    await project.configure({ policy: { returnWindowDays: 60 } });
    const run = await project.mac(['deploy', '--json']);
    expect(run.code, run.stderr).toBe(0);
    const release = (JSON.parse(run.stdout.trim().split('\n').at(-1)!) as DeployEvent).data.release as { id: string };
    const text = await readFile(project.journal.file, 'utf8');
    expect(text).toContain(`${torn}\n`);
    const events = await project.journal.events();
    expect(events.slice(-2).map((e) => e.type)).toEqual(['deploying', 'released']);
    expect((await project.journal.releases()).at(-1)?.id).toBe(release.id);
    expect((await project.journal.current())?.id).toBe(release.id);
    expect((await status(project)).healthy).toBe(true);
  }, 180_000);
});
