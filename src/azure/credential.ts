// One way to authenticate everywhere: DefaultAzureCredential with the environment's cloud endpoints.
import { DefaultAzureCredential, type TokenCredential } from '@azure/identity';
import type { AzureEnvironmentConfig } from '../config/schema.js';

const PUBLIC_AUTHORITY = 'https://login.microsoftonline.com';

export function createCredential(cloud: AzureEnvironmentConfig['cloud']): TokenCredential {
  const authorityHost = cloud.authorityHost.replace(/\/$/, '');
  return new DefaultAzureCredential({
    authorityHost,
    // Instance discovery always asks the public cloud; sovereign and private clouds must skip it.
    disableInstanceDiscovery: authorityHost !== PUBLIC_AUTHORITY,
  });
}

/** The token scope an ARM client asks for at a given endpoint. */
export function armScope(armEndpoint: string): string {
  return `${armEndpoint.replace(/\/$/, '')}/.default`;
}
