// One way to authenticate everywhere: the environment's cloud endpoints, a service principal from ARM_*
// variables when present (what Terraform and the CI pipelines use), else DefaultAzureCredential's chain.
import { ChainedTokenCredential, ClientSecretCredential, DefaultAzureCredential, type TokenCredential } from '@azure/identity';
import type { AzureEnvironmentConfig } from '../config/schema.js';

const PUBLIC_AUTHORITY = 'https://login.microsoftonline.com';

export function createCredential(cloud: AzureEnvironmentConfig['cloud'], env: NodeJS.ProcessEnv = process.env): TokenCredential {
  const authorityHost = cloud.authorityHost.replace(/\/$/, '');
  // Instance discovery always asks the public cloud; sovereign and private clouds must skip it.
  const options = { authorityHost, disableInstanceDiscovery: authorityHost !== PUBLIC_AUTHORITY };
  const fallback = new DefaultAzureCredential(options);
  const { ARM_TENANT_ID: tenant, ARM_CLIENT_ID: client, ARM_CLIENT_SECRET: secret } = env;
  if (tenant && client && secret && !env.AZURE_CLIENT_ID) {
    return new ChainedTokenCredential(new ClientSecretCredential(tenant, client, secret, options), fallback);
  }
  return fallback;
}

/** The token scope an ARM client asks for at a given endpoint. */
export function armScope(armEndpoint: string): string {
  return `${armEndpoint.replace(/\/$/, '')}/.default`;
}
