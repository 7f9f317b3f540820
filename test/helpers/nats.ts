// A real nats-server for the NATS transport and JetStream bus suites: each caller gets its own server (JetStream on,
// store in a fresh temporary folder, a free port on 127.0.0.1). Suites skip, naming why, where the binary is absent
// (.ci/run installs Debian's package, which puts it at /usr/sbin/nats-server).
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createConnection, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

function findNatsServer(): string | undefined {
  for (const bin of ['nats-server', '/usr/sbin/nats-server']) {
    if (bin.startsWith('/') && !existsSync(bin)) continue;
    if (spawnSync(bin, ['--version']).status === 0) return bin;
  }
  return undefined;
}

export const natsServerBin = findNatsServer();
export const hasNatsServer = natsServerBin !== undefined;
export const noNatsServerReason = 'nats-server is not installed (apt-get install -y nats-server; .ci/run does it): NATS suites SKIPPED';

export interface NatsServer {
  url: string;
  port: number;
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as { port: number }).port;
      srv.close(() => resolve(port));
    });
  });
}

/** Resolves once the server sends its INFO line on a fresh TCP connection (it is then accepting clients). */
function greets(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const sock = createConnection({ host: '127.0.0.1', port });
    let buf = '';
    const done = (ok: boolean) => {
      sock.destroy();
      resolve(ok);
    };
    sock.setTimeout(1000, () => done(false));
    sock.on('data', (d) => {
      buf += d.toString();
      if (buf.startsWith('INFO ')) done(true);
    });
    sock.on('error', () => done(false));
  });
}

function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

/** Starts `nats-server -js -sd <tempdir> -p <free port> -a 127.0.0.1` and waits until it accepts connections.
 *  `{jetstream: false}` leaves out `-js` (to see what a client does against a server without JetStream). */
export async function startNatsServer(opts: { jetstream?: boolean } = {}): Promise<NatsServer> {
  if (!natsServerBin) throw new Error(noNatsServerReason);
  let lastError = '';
  for (let attempt = 0; attempt < 3; attempt++) {
    const port = await freePort();
    const storeDir = mkdtempSync(join(tmpdir(), 'mac-nats-'));
    const child = spawn(natsServerBin, [...(opts.jetstream === false ? [] : ['-js']), '-sd', storeDir, '-p', String(port), '-a', '127.0.0.1'], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr!.on('data', (d) => (stderr = (stderr + d.toString()).slice(-4000)));
    const stop = async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited(child);
      rmSync(storeDir, { recursive: true, force: true });
    };
    const deadline = Date.now() + 15_000;
    while (Date.now() < deadline && child.exitCode === null) {
      if (await greets(port)) return { url: `nats://127.0.0.1:${port}`, port, stop };
      await new Promise((r) => setTimeout(r, 50));
    }
    await stop();
    lastError = stderr.trim() || `nats-server did not accept connections on port ${port}`;
    if (!/address already in use/i.test(lastError)) break; // another process took the port in between: try another
  }
  throw new Error(`could not start nats-server: ${lastError}`);
}
