// The CI pipelines `mac init --ci …` copies verbatim into the operator's project: stage order and gating, the
// commands they run, and where the Azure credentials may (and may not) appear.
import { readFileSync } from 'node:fs';
import { describe, it, expect } from 'vitest';
import { parse } from 'yaml';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Node = any;

const ciDir = new URL('../../templates/ci/', import.meta.url);
const load = (file: string): { text: string; doc: Node } => {
  const text = readFileSync(new URL(file, ciDir), 'utf8');
  return { text, doc: parse(text) };
};

const azure = load('azure-pipelines.yml');
const github = load('github-deploy.yml');

const MAIN_ONLY_AZURE = "eq(variables['Build.SourceBranch'], 'refs/heads/main')";
const MAIN_ONLY_GITHUB = "github.ref == 'refs/heads/main'";

// ---------------------------------------------------------------------------------------------------------------
// YAML walking

interface Leaf {
  path: string[];
  value: string;
}

/** Every string scalar (and every mapping key, as a leaf of its own) with the path that leads to it. */
function leaves(node: Node, path: string[] = []): Leaf[] {
  if (typeof node === 'string') return [{ path, value: node }];
  if (Array.isArray(node)) return node.flatMap((child, i) => leaves(child, [...path, String(i)]));
  if (node && typeof node === 'object') {
    return Object.entries(node).flatMap(([key, child]) => [
      { path: [...path, key], value: key },
      ...leaves(child, [...path, key]),
    ]);
  }
  return [];
}

const SECRET_REFS = ['ARM_CLIENT_SECRET'];

/** Places where a client secret (or a reference to one) appears outside an `env:` mapping. */
function secretLeaks(doc: Node): string[] {
  return leaves(doc)
    .filter((leaf) => SECRET_REFS.some((name) => leaf.value.includes(name)))
    .filter((leaf) => {
      const n = leaf.path.length;
      const isEnvKey = leaf.path[n - 2] === 'env' && leaf.value === leaf.path[n - 1];
      const isEnvValue = leaf.path[n - 2] === 'env' && SECRET_REFS.includes(leaf.path[n - 1] ?? '');
      return !isEnvKey && !isEnvValue;
    })
    .map((leaf) => `${leaf.path.join('.')}: ${leaf.value}`);
}

const GUID = /\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/i;
const CREDENTIAL_ASSIGNMENT = /(password|passwd|secret|token|accountkey|sharedaccesssignature|sig)\s*[=:]\s*['"]?[^\s'"$]/i;

/** Literal values that look like credentials: GUIDs (tenant/client ids), long random tokens, `password=…`. */
function secretLookingValues(doc: Node): string[] {
  const looksRandom = (token: string): boolean =>
    token.length >= 24 && /^[A-Za-z0-9+/=_~-]+$/.test(token) && /[0-9]/.test(token) && /[A-Za-z]/.test(token);
  return leaves(doc)
    .filter(
      (leaf) =>
        GUID.test(leaf.value) ||
        CREDENTIAL_ASSIGNMENT.test(leaf.value) ||
        leaf.value.split(/[\s"'`,;()[\]{}]+/).some(looksRandom),
    )
    .map((leaf) => `${leaf.path.join('.')}: ${leaf.value}`);
}

/** Environment entries whose name says "secret" must be references, never values. */
function literalSecretEnv(doc: Node): string[] {
  return leaves(doc)
    .filter((leaf) => leaf.path.at(-2) === 'env' && leaf.value !== leaf.path.at(-1))
    .filter((leaf) => /SECRET|PASSWORD|TOKEN|KEY/i.test(leaf.path.at(-1) ?? ''))
    .filter((leaf) => !/^\$\([A-Za-z_][\w.]*\)$/.test(leaf.value) && !/^\$\{\{\s*secrets\.\w+\s*\}\}$/.test(leaf.value))
    .map((leaf) => `${leaf.path.join('.')}: ${leaf.value}`);
}

// ---------------------------------------------------------------------------------------------------------------
// Azure DevOps helpers

const stages: Node[] = azure.doc.stages;
const stage = (name: string): Node => {
  const found = stages.find((s) => s.stage === name);
  if (!found) throw new Error(`no stage ${name}`);
  return found;
};
/** Steps of every job of a stage, deployment jobs included. */
const stageSteps = (s: Node): Node[] =>
  (s.jobs as Node[]).flatMap((job) => job.steps ?? job.strategy?.runOnce?.deploy?.steps ?? []);
const scriptOf = (step: Node): string => step.script ?? step.bash ?? step.inputs?.inlineScript ?? '';
const stageScripts = (name: string): string[] => stageSteps(stage(name)).map(scriptOf).filter(Boolean);
const azureVariable = (name: string): unknown =>
  (azure.doc.variables as Node[]).find((v) => v.name === name)?.value;

// ---------------------------------------------------------------------------------------------------------------
// GitHub helpers

const jobs: Record<string, Node> = github.doc.jobs;
const job = (name: string): Node => {
  const found = jobs[name];
  if (!found) throw new Error(`no job ${name}`);
  return found;
};
const runs = (name: string): string[] => (job(name).steps as Node[]).map((s) => s.run ?? '').filter(Boolean);
const needsOf = (name: string): string[] => {
  const needs = job(name).needs;
  return needs === undefined ? [] : Array.isArray(needs) ? needs : [needs];
};

const AZURE_COMMANDS = ['npx mac infra', 'npx mac images', 'npx mac deploy', 'npx mac smoke'];
const talksToAzure = (script: string): boolean => AZURE_COMMANDS.some((c) => script.includes(c));

// ---------------------------------------------------------------------------------------------------------------

describe('templates/ci/azure-pipelines.yml', () => {
  it('has the eight stages in order', () => {
    expect(stages.map((s) => s.stage)).toEqual([
      'Build',
      'Test',
      'TerraformPlan',
      'ManualApproval',
      'TerraformApply',
      'DeployAgents',
      'SmokeTests',
      'Rollback',
    ]);
  });

  it('triggers on main and develop', () => {
    expect(azure.doc.trigger.branches.include).toEqual(['main', 'develop']);
  });

  it('chains each stage to the previous one', () => {
    expect(stages[0].dependsOn).toBeUndefined();
    for (let i = 1; i < 7; i++) expect(stages[i].dependsOn, stages[i].stage).toBe(stages[i - 1].stage);
  });

  it('rolls back only when the rollout or the smoke tests failed, on main', () => {
    const rollback = stage('Rollback');
    expect(rollback.dependsOn).toEqual(['DeployAgents', 'SmokeTests']);
    expect(rollback.condition).toContain('failed()');
    expect(rollback.condition).toContain(MAIN_ONLY_AZURE);
    expect(rollback.condition).toContain("eq(dependencies.SmokeTests.result, 'Failed')");
    // A failed image build replaced nothing: the condition keys on a marker set between build and deploy.
    const marker = /dependencies\.DeployAgents\.outputs\['(\w+)\.(\w+)\.(\w+)'\]/.exec(rollback.condition);
    expect(marker).not.toBeNull();
    const [, jobName, stepName, variable] = marker!;
    const deployJob = (stage('DeployAgents').jobs as Node[]).find((j) => j.job === jobName);
    expect(deployJob).toBeDefined();
    const steps: Node[] = deployJob.steps;
    const markerAt = steps.findIndex((s) => s.name === stepName);
    expect(scriptOf(steps[markerAt])).toContain(`task.setvariable variable=${variable};isOutput=true]true`);
    const images = steps.findIndex((s) => scriptOf(s).includes('npx mac images build'));
    const deploy = steps.findIndex((s) => scriptOf(s).includes('npx mac deploy --yes --json'));
    expect(images).toBeGreaterThanOrEqual(0);
    expect(images).toBeLessThan(markerAt);
    expect(markerAt).toBeLessThan(deploy);
  });

  it('uses Node 20 in every agent job', () => {
    for (const s of stages) {
      for (const j of s.jobs as Node[]) {
        if (j.pool === 'server') continue;
        const steps: Node[] = j.steps ?? j.strategy.runOnce.deploy.steps;
        const node = steps.find((step) => step.task === 'NodeTool@0');
        expect(node?.inputs.versionSpec, `${s.stage}`).toBe('20.x');
      }
    }
  });

  it('installs with npm ci and runs npm test in Test', () => {
    expect(stageScripts('Build')).toContain('npm ci');
    expect(stageScripts('Test')).toEqual(expect.arrayContaining(['npm ci', 'npm test']));
  });

  it('runs the mac commands in their stages', () => {
    const plan = stageScripts('TerraformPlan').join('\n');
    expect(plan).toContain('npx mac infra plan --json > "$(Build.ArtifactStagingDirectory)/plan.json"');
    const publish = stageSteps(stage('TerraformPlan')).find((s) => s.task === 'PublishPipelineArtifact@1');
    expect(publish.inputs.targetPath).toBe('$(Build.ArtifactStagingDirectory)/plan.json');
    expect(stageScripts('TerraformApply')).toContain('npx mac infra apply');
    expect(stageScripts('DeployAgents')).toEqual(
      expect.arrayContaining(['npx mac images build', 'npx mac deploy --yes --json']),
    );
    expect(stageScripts('SmokeTests').join('\n')).toContain('npx mac smoke --json');
    expect(stageScripts('Rollback')).toContain('npx mac deploy --rollback --yes');
  });

  it('treats exit code 3 of the plan (changes pending) as success', () => {
    const plan = stageScripts('TerraformPlan').find((s) => s.includes('npx mac infra plan'));
    expect(plan).toMatch(/-ne 3/);
  });

  it('selects the mac environment with MAC_ENV', () => {
    expect(azureVariable('MAC_ENV')).toBe('prod');
  });

  it('gates with ManualValidation in an agentless job that rejects on timeout', () => {
    const [approve] = stage('ManualApproval').jobs as Node[];
    expect(approve.pool).toBe('server');
    const [task] = approve.steps as Node[];
    expect(task.task).toBe('ManualValidation@0');
    expect(task.inputs.onTimeout).toBe('reject');
    expect(task.timeoutInMinutes).toBeGreaterThan(0);
    expect(approve.timeoutInMinutes).toBeGreaterThan(task.timeoutInMinutes);
  });

  it('applies Terraform in a deployment job bound to an environment named by a variable', () => {
    const [apply] = stage('TerraformApply').jobs as Node[];
    expect(apply.deployment).toBeDefined();
    const variable = /^\$\{\{\s*variables\.(\w+)\s*\}\}$/.exec(apply.environment);
    expect(variable).not.toBeNull();
    expect(azureVariable(variable![1]!)).toEqual(expect.any(String));
    expect(apply.strategy.runOnce.deploy.steps).toContainEqual({ checkout: 'self' });
  });

  it('approves, applies and deploys only from main', () => {
    for (const name of ['ManualApproval', 'TerraformApply', 'DeployAgents', 'SmokeTests', 'Rollback']) {
      expect(stage(name).condition, name).toContain(MAIN_ONLY_AZURE);
    }
  });

  it('hands the client secret to mac through env only', () => {
    expect(secretLeaks(azure.doc)).toEqual([]);
    // Secret variables are not exported to scripts by Azure DevOps: every step that talks to Azure maps it.
    const azureSteps = stages.flatMap(stageSteps).filter((s) => talksToAzure(scriptOf(s)));
    expect(azureSteps.length).toBeGreaterThanOrEqual(6);
    for (const step of azureSteps) expect(step.env?.ARM_CLIENT_SECRET, scriptOf(step)).toBe('$(ARM_CLIENT_SECRET)');
    // …and nothing else gets it (npm ci runs third-party install scripts).
    const others = stages.flatMap(stageSteps).filter((s) => !talksToAzure(scriptOf(s)));
    for (const step of others) expect(step.env?.ARM_CLIENT_SECRET).toBeUndefined();
  });

  it('contains no literal secret-looking values', () => {
    expect(secretLookingValues(azure.doc)).toEqual([]);
    expect(literalSecretEnv(azure.doc)).toEqual([]);
  });
});

describe('templates/ci/github-deploy.yml', () => {
  const order = [
    'build',
    'test',
    'terraform-plan',
    'manual-approval',
    'terraform-apply',
    'deploy-agents',
    'smoke-tests',
    'rollback',
  ];

  it('has the eight jobs in order', () => {
    expect(Object.keys(jobs)).toEqual(order);
  });

  it('runs on push to main and by hand', () => {
    expect(github.doc.on.push.branches).toEqual(['main']);
    expect(github.doc.on).toHaveProperty('workflow_dispatch');
  });

  it('chains the jobs with needs', () => {
    expect(needsOf('build')).toEqual([]);
    for (let i = 1; i < 7; i++) expect(needsOf(order[i]!), order[i]).toEqual([order[i - 1]]);
    expect(needsOf('rollback')).toEqual(['deploy-agents', 'smoke-tests']);
  });

  it('rolls back only on failure of the rollout or the smoke tests, on main', () => {
    const condition: string = job('rollback').if;
    expect(condition).toContain('failure()');
    expect(condition).toContain(MAIN_ONLY_GITHUB);
    expect(condition).toContain("needs.smoke-tests.result == 'failure'");
    const marker = /needs\.deploy-agents\.outputs\.([\w-]+) == 'true'/.exec(condition);
    expect(marker).not.toBeNull();
    const deploy = job('deploy-agents');
    const output = /^\$\{\{\s*steps\.([\w-]+)\.outputs\.(\w+)\s*\}\}$/.exec(deploy.outputs[marker![1]!]);
    expect(output).not.toBeNull();
    const steps: Node[] = deploy.steps;
    const markerAt = steps.findIndex((s) => s.id === output![1]);
    expect(steps[markerAt].run).toContain(`${output![2]}=true`);
    const images = steps.findIndex((s) => s.run === 'npx mac images build');
    const rollout = steps.findIndex((s) => s.run === 'npx mac deploy --yes --json');
    expect(images).toBeGreaterThanOrEqual(0);
    expect(images).toBeLessThan(markerAt);
    expect(markerAt).toBeLessThan(rollout);
  });

  it('gates on an environment with required reviewers', () => {
    expect(job('manual-approval').environment).toEqual(expect.any(String));
    expect(github.text).toMatch(/required reviewers/);
    // Only the gate is bound to the environment, or reviewers would be asked once per job.
    for (const name of order.filter((n) => n !== 'manual-approval')) expect(job(name).environment).toBeUndefined();
  });

  it('uses Node 20 and npm ci in every job that installs', () => {
    for (const name of order) {
      const steps: Node[] = job(name).steps;
      if (!steps.some((s) => s.run === 'npm ci')) continue;
      const setup = steps.find((s) => String(s.uses).startsWith('actions/setup-node@'));
      expect(setup?.uses, name).toBe('actions/setup-node@v4');
      expect(setup.with['node-version']).toBe(20);
    }
    expect(runs('test')).toEqual(['npm ci', 'npm test']);
  });

  it('runs the mac commands in their jobs', () => {
    expect(runs('terraform-plan').join('\n')).toContain('npx mac infra plan --json > plan.json');
    const upload = (job('terraform-plan').steps as Node[]).find((s) => s.uses === 'actions/upload-artifact@v4');
    expect(upload.with.path).toBe('plan.json');
    expect(runs('terraform-apply')).toContain('npx mac infra apply');
    expect(runs('deploy-agents')).toEqual(expect.arrayContaining(['npx mac images build', 'npx mac deploy --yes --json']));
    expect(runs('smoke-tests').join('\n')).toContain('npx mac smoke --json');
    expect(runs('rollback')).toContain('npx mac deploy --rollback --yes');
  });

  it('runs Terraform without the setup-terraform wrapper, so mac sees its real output', () => {
    const setups = Object.values(jobs)
      .flatMap((j) => j.steps as Node[])
      .filter((s) => String(s.uses).startsWith('hashicorp/setup-terraform@'));
    expect(setups.length).toBeGreaterThan(0);
    for (const s of setups) expect(s.with.terraform_wrapper).toBe(false);
  });

  it('selects the mac environment with MAC_ENV', () => {
    expect(github.doc.env.MAC_ENV).toMatch(/'prod'/);
  });

  it('logs in to Azure with OIDC, only in the jobs that talk to Azure', () => {
    expect(github.doc.permissions).toEqual({ contents: 'read' });
    for (const name of order) {
      const steps: Node[] = job(name).steps;
      const firstMac = steps.findIndex((s) => talksToAzure(s.run ?? ''));
      const login = steps.findIndex((s) => s.uses === 'azure/login@v2');
      if (firstMac < 0) {
        expect(login, name).toBe(-1);
        expect(job(name).permissions?.['id-token'], name).toBeUndefined();
        continue;
      }
      expect(job(name).permissions?.['id-token'], name).toBe('write');
      expect(login, name).toBeGreaterThanOrEqual(0);
      expect(login, name).toBeLessThan(firstMac);
      const withs = steps[login].with;
      expect(Object.keys(withs).sort()).toEqual(['client-id', 'subscription-id', 'tenant-id']);
      for (const value of Object.values(withs)) expect(value).toMatch(/^\$\{\{\s*(vars|secrets)\.\w+\s*\}\}$/);
    }
    expect(github.doc.env.ARM_USE_OIDC).toBe('true');
    // The client-secret alternative is documented for those who cannot use OIDC.
    expect(github.text).toContain('${{ secrets.ARM_CLIENT_SECRET }}');
  });

  it('approves, applies and deploys only from main', () => {
    for (const name of ['manual-approval', 'terraform-apply', 'deploy-agents', 'smoke-tests', 'rollback']) {
      expect(job(name).if, name).toContain(MAIN_ONLY_GITHUB);
    }
  });

  it('never puts the client secret on a command line', () => {
    expect(secretLeaks(github.doc)).toEqual([]);
  });

  it('contains no literal secret-looking values', () => {
    expect(secretLookingValues(github.doc)).toEqual([]);
    expect(literalSecretEnv(github.doc)).toEqual([]);
  });
});

describe('the secret checks themselves', () => {
  it('flag a secret on a command line and accept it in env', () => {
    const doc = parse(`
steps:
  - script: az login --service-principal -p $(ARM_CLIENT_SECRET)
  - run: echo "\${{ secrets.ARM_CLIENT_SECRET }}"
  - script: npx mac deploy
    env:
      ARM_CLIENT_SECRET: $(ARM_CLIENT_SECRET)
`);
    expect(secretLeaks(doc)).toEqual([
      'steps.0.script: az login --service-principal -p $(ARM_CLIENT_SECRET)',
      'steps.1.run: echo "${{ secrets.ARM_CLIENT_SECRET }}"',
    ]);
  });

  it('flag literal credentials', () => {
    const doc = parse(`
env:
  ARM_CLIENT_ID: 00000000-1111-2222-3333-444444444444
  ARM_CLIENT_SECRET: Zq8~abcDEF123ghiJKL456mnoPQR789stu
steps:
  - script: curl -u admin:x "https://example.com/?sig=abc123"
  - script: npx mac deploy --yes --json
`);
    expect(secretLookingValues(doc)).toHaveLength(3);
    expect(literalSecretEnv(doc)).toEqual(['env.ARM_CLIENT_SECRET: Zq8~abcDEF123ghiJKL456mnoPQR789stu']);
  });
});
