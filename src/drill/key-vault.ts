// The azure drill's Key Vault step: the secrets the vault held before the destroy that are now soft-deleted come back
// (each with all its versions) through @azure/keyvault-secrets. Terraform's provider recovers the vault itself
// (recover_soft_deleted_key_vaults) and the secrets it manages (recover_soft_deleted_secrets); this catches the rest —
// a secret mac or an operator wrote that a destroy left in the deleted state, which no apply brings back.
//
// The SecretStore seam has no "recover" (KeyVaultStore recovers only to write a new value over it), so the drill talks
// to the SDK directly, with the same guard as the store: the client's tokens are for the cloud's Key Vault audience
// and nothing else, whatever resource a vault's 401 challenge names.
import type { TokenCredential } from '@azure/identity';
import type { SecretClient } from '@azure/keyvault-secrets';
import type { Progress } from '../targets/target.js';
import { pinScope } from '../secrets/key-vault.js';

export interface VaultAccess {
  vaultUrl: string;
  credential: TokenCredential;
  keyVaultDnsSuffix: string;
  retry?: { maxRetries?: number; retryDelayInMs?: number; maxRetryDelayInMs?: number };
  pollIntervalMs?: number;
}

export interface SecretRecovery {
  /** Soft-deleted, now recovered. */
  recovered: string[];
  /** Neither live nor soft-deleted: gone (purged, or never in this vault). */
  lost: string[];
}

/** Recovers those of `names` that are soft-deleted in the vault; names that are live are left alone. */
export async function recoverDeletedSecrets(access: VaultAccess, names: readonly string[], p: Progress): Promise<SecretRecovery> {
  if (!names.length) return { recovered: [], lost: [] };
  const { SecretClient } = await import('@azure/keyvault-secrets');
  const audience = `https://${access.keyVaultDnsSuffix.replace(/^\.+|\/+$/g, '')}/.default`;
  const client = new SecretClient(access.vaultUrl, pinScope(access.credential, audience, access.vaultUrl, access.keyVaultDnsSuffix), {
    disableChallengeResourceVerification: true,
    ...(access.retry ? { retryOptions: access.retry } : {}),
  });
  const fail = (err: unknown, what: string): Error => {
    const e = err as { statusCode?: number; code?: string; message?: string };
    const why = e.statusCode ? `HTTP ${e.statusCode}${e.code ? ` ${e.code}` : ''}` : (e.message ?? String(err)).split('\n')[0];
    return new Error(`Key Vault ${access.vaultUrl}: ${what} failed (${why})`);
  };

  // A deletion Key Vault is still carrying out is not visible as deleted yet (and cannot be recovered yet): each name is
  // asked for until it shows up as deleted, or the wait is over (then it is lost: purged, or never in this vault).
  const interval = access.pollIntervalMs ?? 2000;
  const recovered: string[] = [];
  const lost: string[] = [];
  for (const name of names) {
    if (!(await deletedSoon(client, name, interval, fail))) {
      lost.push(name);
      continue;
    }
    p(`recovering the soft-deleted secret ${name}`);
    try {
      const poller = await client.beginRecoverDeletedSecret(name, { intervalInMs: interval });
      await poller.pollUntilDone();
    } catch (err) {
      throw fail(err, `recovering ${name}`);
    }
    recovered.push(name);
  }
  return { recovered, lost };
}

/** Whether the secret is (or within 15 polls becomes) soft-deleted. */
async function deletedSoon(client: SecretClient, name: string, intervalMs: number, fail: (err: unknown, what: string) => Error): Promise<boolean> {
  for (let attempt = 0; attempt < 15; attempt++) {
    if (attempt) await new Promise((r) => setTimeout(r, intervalMs));
    try {
      await client.getDeletedSecret(name);
      return true;
    } catch (err) {
      if ((err as { statusCode?: number }).statusCode !== 404) throw fail(err, `reading the soft-deleted secret ${name}`);
    }
  }
  return false;
}

