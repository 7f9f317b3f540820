// What the toolkit and a runtime process (main.ts) agree on: the roles, the launch settings sent on stdin, and the
// run record a process writes once it serves. Importing this module starts nothing.
import path from 'node:path';
import type { WebhookSecrets } from './gateway/webhook-auth.js';
import type { LiveIntegrations } from './runtime/platform.js';

export const ROLES = ['integrations', 'platform'] as const;
export type Role = (typeof ROLES)[number];

/**
 * Node flags of a runtime process the toolkit starts. A 64 MB young generation (V8's default is 16): under load a
 * turn lives longer than the gap between two scavenges of a 16 MB one, so its objects were copied twice and
 * promoted: in the gateway bench scavenges took 0.10 ms per request; with 64 MB 0.04 ms, for 36 MB more peak memory.
 */
export const RUNTIME_NODE_FLAGS: readonly string[] = ['--max-semi-space-size=64'];

export interface IntegrationsLaunch {
  role: 'integrations';
  dataDir: string;
  releaseId: string;
}

export interface PlatformLaunch {
  role: 'platform';
  dataDir: string;
  kbDir?: string;
  port: number;
  policy?: Record<string, unknown>;
  integrations: LiveIntegrations;
  webhookSecrets?: WebhookSecrets;
  /** Hex of the 32-byte PII vault key. */
  piiVaultKey: string;
  backups: { intervalSeconds: number; keep: number; companions: string[] };
  releaseId: string;
}

export type Launch = IntegrationsLaunch | PlatformLaunch;

/** What a running process tells the toolkit about itself: <state>/run/<role>.json. */
export interface RunRecord {
  role: Role;
  pid: number;
  releaseId: string;
  startedAt: string;
  /** The gateway (platform) or the mock services (integrations). */
  urls: Record<string, string>;
}

export function runFile(stateDir: string, role: Role): string {
  return path.join(stateDir, 'run', `${role}.json`);
}
