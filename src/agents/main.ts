// Process entrypoint of the runtime: `node dist/agents/main.js --role platform|integrations --state-dir DIR`.
// The launch settings, secrets included, arrive as one JSON document on stdin — never in argv or the environment —
// so `ps` and /proc show nothing sensitive. The process records itself in <state>/run/<role>.json once it serves,
// logs one line per event to stdout (the launcher points it at <state>/logs/<role>.log), and stops cleanly on
// SIGTERM/SIGINT.
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { ROLES, runFile, type Launch, type Role, type RunRecord } from './launch.js';
import { SqliteBackups, scheduleBackups } from './runtime/backups.js';

function log(role: Role, level: 'info' | 'warn' | 'error', message: string): void {
  process.stdout.write(`${new Date().toISOString()} ${level} ${role} ${message}\n`);
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

async function writeRecord(stateDir: string, record: RunRecord): Promise<void> {
  const file = runFile(stateDir, record.role);
  await mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
  await writeFile(`${file}.tmp`, `${JSON.stringify(record)}\n`, { mode: 0o600 });
  await rename(`${file}.tmp`, file);
}

async function start(role: Role, stateDir: string, launch: Launch): Promise<{ urls: Record<string, string>; close(): Promise<void> }> {
  if (launch.role === 'integrations') {
    const { startMockServers } = await import('./integrations/mocks/index.js');
    const mocks = await startMockServers({ dataDir: launch.dataDir, settings: { acceptWellFormedCredentials: true } });
    for (const [name, url] of Object.entries(mocks.urls)) log(role, 'info', `${name} stand-in on ${url}`);
    return { urls: mocks.urls, close: () => mocks.close() };
  }
  const { startPlatform } = await import('./runtime/platform.js');
  const platform = await startPlatform({
    dataDir: launch.dataDir,
    kbDir: launch.kbDir,
    stateDir,
    port: launch.port,
    policy: launch.policy,
    integrations: launch.integrations,
    vaultKey: Buffer.from(launch.piiVaultKey, 'hex'),
    log: (line) => log(role, 'info', line),
  });
  const backups = new SqliteBackups(path.join(stateDir, 'data', 'platform.db'), path.join(stateDir, 'backups'), {
    keep: launch.backups.keep,
    companions: launch.backups.companions,
  });
  const schedule = scheduleBackups(backups, launch.backups.intervalSeconds * 1000, (err) => log(role, 'error', `backup failed: ${err.message}`));
  log(role, 'info', `backups every ${launch.backups.intervalSeconds}s, keeping ${launch.backups.keep}`);
  return {
    urls: { gateway: platform.url },
    async close() {
      await schedule.stop();
      await platform.flush();
      await platform.close();
    },
  };
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { role: { type: 'string' }, 'state-dir': { type: 'string' } } });
  const role = values.role as Role;
  const stateDir = values['state-dir'];
  if (!ROLES.includes(role) || !stateDir) {
    process.stderr.write('usage: main.js --role integrations|platform --state-dir DIR  (launch settings as JSON on stdin)\n');
    process.exitCode = 2;
    return;
  }
  let launch: Launch;
  try {
    launch = JSON.parse(await readStdin()) as Launch;
  } catch {
    // Never quote the input: it holds secrets.
    throw new Error('the launch settings on stdin are not valid JSON');
  }
  const running = await start(role, stateDir, launch);
  await writeRecord(stateDir, { role, pid: process.pid, releaseId: launch.releaseId, startedAt: new Date().toISOString(), urls: running.urls });
  log(role, 'info', `ready (release ${launch.releaseId}, pid ${process.pid})`);

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log(role, 'info', `${signal}: stopping`);
    try {
      await running.close();
      await rm(runFile(stateDir, role), { force: true });
      log(role, 'info', 'stopped');
    } finally {
      process.exit(0);
    }
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
}

main().catch((err: Error) => {
  log((process.argv.includes('platform') ? 'platform' : 'integrations') as Role, 'error', `failed to start: ${err.message}`);
  process.exit(1);
});
