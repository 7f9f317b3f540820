// DefaultAzureCredential reads process.env, so tests that sign in as the fake's principal set it there. These
// helpers clear every variable that can steer the credential chain, and put them back afterwards.

/** Every variable that can steer DefaultAzureCredential (and the ARM_* service principal mac prefers). */
export const AZURE_CREDENTIAL_ENV = [
  'AZURE_TENANT_ID',
  'AZURE_CLIENT_ID',
  'AZURE_CLIENT_SECRET',
  'AZURE_CLIENT_CERTIFICATE_PATH',
  'AZURE_USERNAME',
  'AZURE_PASSWORD',
  'AZURE_AUTHORITY_HOST',
  'AZURE_TOKEN_CREDENTIALS',
  'AZURE_FEDERATED_TOKEN_FILE',
  'IDENTITY_ENDPOINT',
  'IDENTITY_HEADER',
  'MSI_ENDPOINT',
  'MSI_SECRET',
  'ARM_TENANT_ID',
  'ARM_CLIENT_ID',
  'ARM_CLIENT_SECRET',
] as const;

/** Clears every credential variable; returns the function that restores them as they were. */
export function isolateAzureEnv(): () => void {
  const saved = Object.fromEntries(AZURE_CREDENTIAL_ENV.map((name) => [name, process.env[name]]));
  for (const name of AZURE_CREDENTIAL_ENV) delete process.env[name];
  return () => {
    for (const name of AZURE_CREDENTIAL_ENV) {
      const value = saved[name];
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  };
}
