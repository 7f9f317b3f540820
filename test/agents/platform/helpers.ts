// Starts the real platform (inproc) on the demo shop with mock integrations, in a temp state folder.
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { startPlatform, type RunningPlatform } from '../../../src/agents/runtime/platform.js';

export const DEMO = path.resolve(import.meta.dirname, '../../../data/demo-shop');
/** The demo data is written around this day. */
export const DEMO_TODAY = new Date('2026-11-26T18:00:00Z');

export async function demoPlatform(opts: { dataDir?: string } = {}): Promise<RunningPlatform & { stateDir: string; cleanup(): Promise<void> }> {
  const stateDir = await mkdtemp(path.join(os.tmpdir(), 'mac-platform-'));
  const p = await startPlatform({
    dataDir: opts.dataDir ?? DEMO,
    stateDir,
    port: 0,
    integrations: { mode: 'mock' },
    vaultKey: Buffer.alloc(32, 9),
    now: () => DEMO_TODAY,
  });
  return Object.assign(p, {
    stateDir,
    async cleanup() {
      await p.close();
      await rm(stateDir, { recursive: true, force: true });
    },
  });
}

export async function chat(url: string, body: unknown, raw?: string | Buffer): Promise<{ status: number; json: Record<string, unknown> }> {
  const res = await fetch(new URL('/v1/chat', url), {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: typeof raw === 'string' || raw === undefined ? (raw ?? JSON.stringify(body)) : new Uint8Array(raw),
  });
  return { status: res.status, json: (await res.json()) as Record<string, unknown> };
}
