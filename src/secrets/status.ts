// What an environment's secrets look like against what it needs: one row per stored secret plus one per required
// secret that is missing, with ages. Used by `mac secrets list|audit` (and `mac deploy`'s secrets check). No values.
import type { EnvironmentConfig } from '../config/schema.js';
import { UsageError } from '../errors.js';
import { isRequired, KNOWN_SECRETS, knownSecret } from './catalog.js';
import type { SecretStore, SecretVersion } from './store.js';

export interface SecretStatus {
  name: string;
  /** One of the platform's known secrets (see catalog.ts). */
  known: boolean;
  /** This environment needs it. */
  required: boolean;
  /** At least one version is stored. */
  present: boolean;
  description?: string;
  currentVersion?: string;
  /** Absent where the store's listing does not count versions (Key Vault) and versions were not asked for. */
  versionCount?: number;
  createdAt?: Date;
  updatedAt?: Date;
  /** Age of the current version in milliseconds, at `now`. */
  ageMs?: number;
  tags?: Record<string, string>;
  versions?: SecretVersion[];
}

export async function secretsStatus(
  store: SecretStore,
  env: Pick<EnvironmentConfig, 'target' | 'production'>,
  now: Date,
  options: { versions?: boolean } = {},
): Promise<SecretStatus[]> {
  const stored = await store.list();
  const rows: SecretStatus[] = [];
  for (const s of stored) {
    const known = knownSecret(s.name);
    const versions = options.versions ? await store.versions(s.name) : undefined;
    // The versions, when read, say what a listing may not (Key Vault's names no version and counts none).
    const currentVersion = s.currentVersion ?? versions?.at(-1)?.version;
    const versionCount = s.versionCount ?? versions?.length;
    const createdAt = s.createdAt ?? versions?.[0]?.createdAt;
    rows.push({
      name: s.name,
      known: Boolean(known),
      required: known ? isRequired(known, env) : false,
      present: true,
      ...(known ? { description: known.description } : {}),
      ...(currentVersion !== undefined ? { currentVersion } : {}),
      ...(versionCount !== undefined ? { versionCount } : {}),
      ...(createdAt ? { createdAt } : {}),
      updatedAt: s.updatedAt,
      ageMs: Math.max(0, now.getTime() - s.updatedAt.getTime()),
      tags: s.tags,
      ...(versions ? { versions } : {}),
    });
  }
  for (const known of KNOWN_SECRETS) {
    if (!isRequired(known, env) || stored.some((s) => s.name === known.name)) continue;
    rows.push({ name: known.name, known: true, required: true, present: false, description: known.description, versionCount: 0 });
  }
  return rows.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

const UNIT_MS = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 7 * 86_400_000 } as const;

/** `90d`, `12h`, `10m`, `30s`, `2w` → milliseconds (`m` is minutes, as in `--since 10m`). */
export function parseDuration(text: string, flag = '--max-age'): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*([smhdw])\s*$/.exec(text);
  const n = m ? Number(m[1]) : NaN;
  if (!m || !(n > 0)) {
    throw new UsageError(`${flag}: expected a duration like 90d, 12h or 10m, got "${text}".`, 'Units: s (seconds), m (minutes), h (hours), d (days), w (weeks).');
  }
  return n * UNIT_MS[m[2] as keyof typeof UNIT_MS];
}

/** A short age, in the largest whole unit up to days: `just now`, `5m`, `3h`, `3d`, `120d`. */
export function formatAge(ms: number): string {
  if (ms < UNIT_MS.h) return ms < 60_000 ? 'just now' : `${Math.floor(ms / 60_000)}m`;
  if (ms < UNIT_MS.d) return `${Math.floor(ms / UNIT_MS.h)}h`;
  return `${Math.floor(ms / UNIT_MS.d)}d`;
}
