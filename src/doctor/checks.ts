// Prerequisite checks for `mac doctor`. Each returns ok / warn / fail with a one-line fix.
import semver from 'semver';
import type { ResolvedEnvironment } from '../config/load.js';
import type { Runner } from '../exec.js';

export type CheckStatus = 'ok' | 'warn' | 'fail';

export interface CheckResult {
  name: string;
  status: CheckStatus;
  detail: string;
  fix?: string;
  required: boolean;
}

interface ToolSpec {
  name: string;
  args: string[];
  min: string;
  parse: (stdout: string) => string | undefined;
  install: string;
}

export const TOOLS: Record<'terraform' | 'az' | 'gh' | 'kubectl', ToolSpec> = {
  terraform: {
    name: 'terraform',
    args: ['version', '-json'],
    min: '1.6.0',
    parse: (s) => (JSON.parse(s) as { terraform_version?: string }).terraform_version,
    install: 'install Terraform ≥ 1.6: https://developer.hashicorp.com/terraform/install',
  },
  az: {
    name: 'az',
    args: ['version', '--output', 'json'],
    min: '2.50.0',
    parse: (s) => (JSON.parse(s) as Record<string, string>)['azure-cli'],
    install: 'install the Azure CLI ≥ 2.50: https://learn.microsoft.com/cli/azure/install-azure-cli',
  },
  gh: {
    name: 'gh',
    args: ['--version'],
    min: '2.30.0',
    parse: (s) => /gh version (\S+)/.exec(s)?.[1],
    install: 'install the GitHub CLI ≥ 2.30: https://cli.github.com',
  },
  kubectl: {
    name: 'kubectl',
    args: ['version', '--client', '--output=json'],
    min: '1.28.0',
    parse: (s) => (JSON.parse(s) as { clientVersion?: { gitVersion?: string } }).clientVersion?.gitVersion,
    install: 'install kubectl ≥ 1.28 (only for a future AKS migration): https://kubernetes.io/docs/tasks/tools/',
  },
};

export function checkNode(version = process.versions.node): CheckResult {
  const ok = semver.gte(version, '20.17.0');
  return {
    name: 'node',
    status: ok ? 'ok' : 'fail',
    detail: `v${version}`,
    fix: ok ? undefined : 'install Node.js 20.17 or newer',
    required: true,
  };
}

export async function checkTool(runner: Runner, spec: ToolSpec, required: boolean, env?: Record<string, string>): Promise<CheckResult> {
  const missing: CheckStatus = required ? 'fail' : 'warn';
  const result = await runner.run(spec.name, spec.args, { timeoutMs: 15_000, env });
  if (result.notFound) return { name: spec.name, status: missing, detail: 'not found on PATH', fix: spec.install, required };
  let version: string | undefined;
  try {
    version = result.exitCode === 0 ? semver.coerce(spec.parse(result.stdout) ?? '')?.version : undefined;
  } catch {
    version = undefined;
  }
  if (!version) {
    const why = result.timedOut ? 'timed out' : `could not read its version (exit ${result.exitCode ?? '?'})`;
    return { name: spec.name, status: missing, detail: why, fix: spec.install, required };
  }
  if (semver.lt(version, spec.min)) {
    return { name: spec.name, status: missing, detail: `${version} (< ${spec.min})`, fix: spec.install, required };
  }
  return { name: spec.name, status: 'ok', detail: version, required };
}

/** Whether a credential is available and the subscription readable (azure environments only). */
export async function checkAzureAccess(env: ResolvedEnvironment, timeoutMs: number): Promise<CheckResult[]> {
  if (env.config.target !== 'azure') return [];
  const azure = env.config;
  const [{ createCredential, armScope }, { ResourceManagementClient }] = await Promise.all([
    import('../azure/credential.js'),
    import('@azure/arm-resources'),
  ]);
  const credential = createCredential(azure.cloud);
  const login: CheckResult = { name: 'azure credential', status: 'ok', detail: '', required: true };
  try {
    const token = await credential.getToken(armScope(azure.cloud.armEndpoint), { abortSignal: AbortSignal.timeout(timeoutMs) });
    login.detail = token ? `token for ${azure.cloud.armEndpoint}` : 'no token';
    if (!token) throw new Error('no token returned');
  } catch (err) {
    return [
      {
        ...login,
        status: 'fail',
        detail: firstLine(err),
        fix: 'run `az login`, or set AZURE_CLIENT_ID, AZURE_TENANT_ID and AZURE_CLIENT_SECRET for a service principal',
      },
    ];
  }
  const client = new ResourceManagementClient(credential, azure.subscription, { endpoint: azure.cloud.armEndpoint });
  const subscription: CheckResult = { name: 'azure subscription', status: 'ok', detail: azure.subscription, required: true };
  try {
    await client.resourceGroups.list({ top: 1, abortSignal: AbortSignal.timeout(timeoutMs) }).byPage().next();
  } catch (err) {
    subscription.status = 'fail';
    subscription.detail = `${azure.subscription}: ${firstLine(err)}`;
    subscription.fix = 'check the subscription id in mac.yaml and that the identity has Reader (or Contributor) on it';
  }
  return [login, subscription];
}

function firstLine(err: unknown): string {
  const message = err instanceof Error ? err.message : String(err);
  return (message.split('\n')[0] ?? message).slice(0, 200);
}
