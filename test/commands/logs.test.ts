// mac logs reads the local target's log files: every process or one, --since, --json, and --follow printing lines as
// they are written until Ctrl-C.
import { spawn } from 'node:child_process';
import { appendFile, mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli, tempDir } from '../helpers/cli.js';

const root = path.resolve(import.meta.dirname, '../..');
// Log lines are written by the clock: the fixtures sit just before the real now, so followed lines come after them.
const NOW = new Date();
const at = (minutesAgo: number) => new Date(NOW.getTime() - minutesAgo * 60_000).toISOString();

describe('mac logs', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  let logs: string;
  beforeEach(async () => {
    ({ dir, cleanup } = await tempDir('mac-logs-'));
    logs = path.join(dir, '.mac', 'local', 'logs');
    await mkdir(logs, { recursive: true });
    await writeFile(
      path.join(logs, 'platform.log'),
      [`${at(60)} info platform gateway on http://127.0.0.1:8080`, `${at(5)} info platform ready (release r1, pid 42)`, ''].join('\n'),
    );
    await writeFile(path.join(logs, 'integrations.log'), `${at(6)} info integrations shopify stand-in on http://127.0.0.1:9001\n`);
  });
  afterEach(() => cleanup());

  const mac = (args: string[]) => runCli(args, { cwd: dir, env: { NO_COLOR: '1' }, now: NOW });

  it('merges every process in time order, or shows the one hosting an agent; --since cuts by time', async () => {
    const all = await mac(['logs']);
    expect(all.code, all.stderr).toBe(0);
    expect(all.stdout.trim().split('\n').map((l) => l.split(/\s+/)[0])).toEqual(['platform', 'integrations', 'platform']);

    const agent = await mac(['logs', 'intent-classifier', '--since', '10m', '--json']);
    expect(agent.code, agent.stderr).toBe(0);
    expect(JSON.parse(agent.stdout).lines).toEqual([
      { process: 'platform', ts: at(5), text: `${at(5)} info platform ready (release r1, pid 42)` },
    ]);

    const unknown = await mac(['logs', 'billing-agent']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/No process or agent named "billing-agent"/);
    expect((await mac(['logs', '--since', 'yesterday'])).code).toBe(2);
  });

  it('--follow prints lines written after it started, until interrupted', { timeout: 30_000 }, async () => {
    const child = spawn(process.execPath, [path.join(root, 'bin/mac.js'), 'logs', 'platform', '--follow', '-C', dir], {
      env: { ...process.env, NO_COLOR: '1' },
    });
    let out = '';
    const seen = (text: string) =>
      new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`"${text}" not printed; got: ${out}`)), 20_000);
        const check = () => {
          if (out.includes(text)) {
            clearTimeout(timer);
            resolve();
          } else setTimeout(check, 50);
        };
        check();
      });
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    await seen('ready (release r1, pid 42)');
    await appendFile(path.join(logs, 'platform.log'), `${new Date().toISOString()} info platform SIGTERM: stopping\n`);
    await seen('SIGTERM: stopping');
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    child.kill('SIGINT');
    expect(await exited).toBe(0);
    expect(out.match(/ready \(release r1/g)).toHaveLength(1);
  });
});
