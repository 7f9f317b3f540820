// mac infra bootstrap: create (or find) the Terraform state storage of an azure environment and write backend.hcl.
import path from 'node:path';
import { Command } from 'commander';
import type { Deps } from '../deps.js';
import { UsageError } from '../errors.js';
import type { BootstrapStep, StateBackend } from '../azure/bootstrap.js';

export interface InfraBootstrapOptions {
  storageAccount?: string;
}

export interface InfraBootstrapResult {
  environment: string;
  subscription: string;
  resourceGroup: string;
  storageAccount: string;
  container: string;
  key: string;
  /** backend.hcl, relative to the project directory. */
  backendConfig: string;
  /** The same settings as JSON, relative to the project directory: what `mac infra plan|apply` pass to terraform init. */
  backendSettings: string;
  changed: boolean;
  steps: BootstrapStep[];
}

const STATUS_TEXT: Record<BootstrapStep['status'], string> = { created: 'created', exists: 'already exists', updated: 'updated' };

export function infraBootstrapCommand(deps: Deps, run = infraBootstrapRun): Command {
  return new Command('bootstrap')
    .description(
      'Create the Terraform state storage (resource group tfstate-rg, a locked-down storage account with versioning and ' +
        '30-day soft delete, container tfstate) and write the backend config for terraform init; safe to re-run',
    )
    .option('--storage-account <name>', 'storage account name to use instead of the one derived from the subscription id')
    .addHelpText(
      'after',
      [
        '',
        'The account name defaults to tfstate + 10 hex digits of a hash of the subscription id, or to the name already',
        'recorded in backend.hcl. Writes <terraformDir>/backend.hcl (terraform init -backend-config=backend.hcl) and',
        '.mac/<env>/terraform-backend.json (read by mac infra plan|apply); neither holds a secret. Authentication:',
        'az login, or AZURE_* / ARM_* service-principal variables; the identity needs Contributor on the subscription.',
        '',
        'Examples:',
        '  $ mac infra bootstrap -e prod',
        '  $ mac infra bootstrap -e prod --storage-account contosotfstate01',
        '  $ mac infra bootstrap -e prod --json',
      ].join('\n'),
    )
    .action(async (_flags, cmd: Command) => {
      const result = await run(cmd.optsWithGlobals() as InfraBootstrapOptions, deps);
      printBootstrap(result, deps);
    });
}

export async function infraBootstrapRun(opts: InfraBootstrapOptions, deps: Deps): Promise<InfraBootstrapResult> {
  const env = await deps.environment();
  if (env.config.target !== 'azure') {
    throw new UsageError(
      `mac infra bootstrap creates Azure resources; environment "${env.name}" has target ${env.config.target}.`,
      'Select an azure environment from mac.yaml with -e <name> (the local target keeps no Terraform state).',
    );
  }
  const azure = env.config;
  const [{ bootstrapState, openBootstrapClients }, { terraformBackendConfigPath }] = await Promise.all([
    import('../azure/bootstrap.js'),
    import('../terraform/cli.js'),
  ]);
  const clients = await openBootstrapClients(azure, deps.env);
  const terraformDir = path.resolve(env.projectDir, azure.terraformDir);
  const { io } = deps;
  const relative = (file: string) => path.relative(env.projectDir, file);
  let progress: ReturnType<typeof io.step> | undefined;
  const result = await bootstrapState(clients, {
    environment: env.name,
    subscriptionId: azure.subscription,
    location: azure.region,
    armEndpoint: azure.cloud.armEndpoint,
    terraformDir,
    storageAccount: opts.storageAccount,
    backendSettingsFile: terraformBackendConfigPath(env.stateDir),
    onStart: (step, name) => {
      progress = io.step(`${step} ${step === 'backend config' ? relative(name) : name}`);
    },
    onStep: (step) => {
      progress?.done(STATUS_TEXT[step.status]);
      progress = undefined;
    },
  }).catch((err: unknown) => {
    progress?.fail();
    throw err;
  });
  const backend: StateBackend = result.backend;
  return {
    environment: env.name,
    subscription: backend.subscriptionId,
    resourceGroup: backend.resourceGroup,
    storageAccount: backend.storageAccount,
    container: backend.container,
    key: backend.key,
    backendConfig: relative(result.backendFile),
    backendSettings: relative(result.backendSettingsFile ?? ''),
    changed: result.changed,
    steps: result.steps.map((s) => (s.step === 'backend config' ? { ...s, name: relative(s.name) } : s)),
  };
}

function printBootstrap(result: InfraBootstrapResult, deps: Deps): void {
  const { io } = deps;
  if (io.json) return io.result(result);
  io.out(`Terraform state of ${result.environment} (subscription ${result.subscription})`);
  io.out(
    io.table(result.steps, [
      { header: 'step', value: (s) => s.step },
      { header: 'name', value: (s) => s.name },
      { header: 'status', value: (s) => STATUS_TEXT[s.status] },
      { header: 'detail', value: (s) => s.detail },
    ]),
  );
  if (!result.changed) {
    io.out('Nothing changed: the state storage and backend config were already in place.');
  } else {
    const stack = path.dirname(result.backendConfig);
    io.out(`Next: mac infra plan -e ${result.environment}  (by hand: terraform -chdir=${stack} init -backend-config=${path.basename(result.backendConfig)})`);
  }
  if (result.steps.some((s) => s.step === 'storage account' && s.status === 'created')) {
    io.info(
      `hint: the identity that runs Terraform signs in to the state with Azure AD (use_azuread_auth) and needs the ` +
        `"Storage Blob Data Contributor" role on storage account ${result.storageAccount}.`,
    );
  }
}
