// Process entrypoint of the runtime, in two forms:
//  - `node dist/agents/main.js --role platform|integrations --state-dir DIR` (the local target): the launch settings,
//    secrets included, arrive as one JSON document on stdin — never in argv or the environment — so `ps` and /proc
//    show nothing sensitive. The process records itself in <state>/run/<role>.json once it serves.
//  - `node dist/agents/main.js --agent <name> --state-dir DIR` (a container, e.g. on Azure Container Instances): one
//    agent, its settings from the environment the container group sets (container-settings.ts; secrets are secure
//    environment values there), talking to the other agents over NATS (runtime/agent-process.ts).
// Either way it logs one line per event to stdout and stops cleanly on SIGTERM/SIGINT.
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { ROLES, runFile, type Launch, type Role, type RunRecord } from './launch.js';
import { SqliteBackups, scheduleBackups } from './runtime/backups.js';

function log(who: string, level: 'info' | 'warn' | 'error', message: string): void {
  process.stdout.write(`${new Date().toISOString()} ${level} ${who} ${message}\n`);
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
    webhookSecrets: launch.webhookSecrets,
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

function stopOn(signals: NodeJS.Signals[], who: string, close: () => Promise<void>): void {
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log(who, 'info', `${signal}: stopping`);
    try {
      await close();
      log(who, 'info', 'stopped');
      process.exit(0);
    } catch (err) {
      log(who, 'error', `stopping failed: ${(err as Error).message}`);
      process.exit(1);
    }
  };
  for (const s of signals) process.on(s, () => void stop(s));
}

async function runRole(role: Role, stateDir: string): Promise<void> {
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
  stopOn(['SIGTERM', 'SIGINT'], role, async () => {
    await running.close();
    await rm(runFile(stateDir, role), { force: true });
  });
}

async function runAgent(agent: string, stateDir: string): Promise<void> {
  const [{ agentSettingsFromEnv }, { startAgent }] = await Promise.all([import('./container-settings.js'), import('./runtime/agent-process.js')]);
  const settings = agentSettingsFromEnv(agent, process.env);
  const running = await startAgent(settings, stateDir, (line) => log(agent, 'info', line));
  log(agent, 'info', `ready (${Object.entries(running.urls).map(([k, v]) => `${k} ${v}`).join(', ')}, pid ${process.pid})`);
  stopOn(['SIGTERM', 'SIGINT'], agent, () => running.close());
}

const USAGE =
  'usage: main.js --role integrations|platform --state-dir DIR   (launch settings as JSON on stdin)\n' +
  '       main.js --agent <agent-name> --state-dir DIR           (settings from the environment: NATS_URL, PORT, …)\n';

let who = 'runtime';

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { role: { type: 'string' }, agent: { type: 'string' }, 'state-dir': { type: 'string' } } });
  const stateDir = values['state-dir'];
  who = values.agent ?? values.role ?? who;
  if (stateDir && values.agent && !values.role) return runAgent(values.agent, stateDir);
  if (stateDir && ROLES.includes(values.role as Role) && !values.agent) return runRole(values.role as Role, stateDir);
  process.stderr.write(USAGE);
  process.exitCode = 2;
}

main().catch((err: Error) => {
  log(who, 'error', `failed to start: ${err.message}`);
  process.exit(1);
});
