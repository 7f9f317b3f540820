// Signing in as the fake's service principal: DefaultAzureCredential reads process.env, so tests put these variables
// there (after isolateAzureEnv) and pass them to the commands they run. EnvironmentCredential only, so nothing probes
// IMDS or any other credential source.
import type { AzureFake } from './server.js';

export function fakeCredentialEnv(fake: AzureFake): Record<string, string> {
  return {
    AZURE_TENANT_ID: fake.tenantId,
    AZURE_CLIENT_ID: fake.clientId,
    AZURE_CLIENT_SECRET: fake.clientSecret,
    AZURE_TOKEN_CREDENTIALS: 'EnvironmentCredential',
  };
}
