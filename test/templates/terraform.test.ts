// The Phase 4 Terraform templates `mac init` copies verbatim. Offline there is no azurerm provider, so `terraform
// validate` cannot run: these tests parse every file and check the architecture, the variable contract with
// `mac init` and that every reference resolves; `terraform fmt` and `terraform console` run where terraform exists.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  block,
  blocks,
  dynamicBlock,
  expr,
  type HclBody,
  type HclDirectory,
  loadHclDirectory,
  local,
  localNames,
  moduleCall,
  output,
  referencedNames,
  resource,
  resources,
  stripComments,
  variable,
} from '../helpers/hcl.js';

const TEMPLATES = fileURLToPath(new URL('../../templates/terraform/', import.meta.url));
const PROD = path.join(TEMPLATES, 'phase4_prod');
const MODULES = ['agent', 'cosmos', 'monitoring'] as const;

const PROD_FILES = [
  'main.tf',
  'variables.tf',
  'outputs.tf',
  'providers.tf',
  'resource_groups.tf',
  'networking.tf',
  'container_instances.tf',
  'cosmos_db.tf',
  'key_vault.tf',
  'openai.tf',
  'storage.tf',
  'monitoring.tf',
  'app_gateway.tf',
  'budget_alerts.tf',
];

const AGENTS = [
  'intent-classifier',
  'knowledge-retrieval',
  'response-generator-en',
  'response-generator-fr',
  'response-generator-es',
  'escalation-handler',
  'analytics-processor',
  'critic-supervisor',
];

// Arguments Terraform itself handles on a module call; everything else must be a declared input.
const MODULE_META_ARGS = new Set(['source', 'version', 'for_each', 'count', 'depends_on', 'providers']);

// Every resource type used must be classified, so a new one forces a decision about tags.
const TAGGABLE = new Set([
  'azurerm_resource_group',
  'azurerm_virtual_network',
  'azurerm_network_security_group',
  'azurerm_private_dns_zone',
  'azurerm_private_dns_zone_virtual_network_link',
  'azurerm_private_endpoint',
  'azurerm_user_assigned_identity',
  'azurerm_container_group',
  'azurerm_cosmosdb_account',
  'azurerm_key_vault',
  'azurerm_key_vault_secret',
  'azurerm_key_vault_certificate',
  'azurerm_cognitive_account',
  'azurerm_storage_account',
  'azurerm_cdn_frontdoor_profile',
  'azurerm_cdn_frontdoor_endpoint',
  'azurerm_log_analytics_workspace',
  'azurerm_application_insights',
  'azurerm_monitor_action_group',
  'azurerm_monitor_scheduled_query_rules_alert_v2',
  'azurerm_public_ip',
  'azurerm_web_application_firewall_policy',
  'azurerm_application_gateway',
]);
const UNTAGGABLE = new Set([
  'azurerm_subnet',
  'azurerm_subnet_network_security_group_association',
  'azurerm_cosmosdb_mongo_database',
  'azurerm_cosmosdb_mongo_collection',
  'azurerm_cognitive_deployment',
  'azurerm_storage_container',
  'azurerm_storage_share',
  'azurerm_cdn_frontdoor_origin_group',
  'azurerm_cdn_frontdoor_origin',
  'azurerm_cdn_frontdoor_rule_set',
  'azurerm_cdn_frontdoor_rule',
  'azurerm_cdn_frontdoor_route',
  'azurerm_consumption_budget_subscription',
]);

const TF_ENV = { ...process.env, TF_CLI_CONFIG_FILE: '/dev/null', CHECKPOINT_DISABLE: '1', TF_IN_AUTOMATION: '1' };

function terraformAvailable(): boolean {
  const r = spawnSync('terraform', ['version'], { env: TF_ENV, stdio: 'ignore' });
  return r.error === undefined && r.status === 0;
}
const hasTerraform = terraformAvailable();
if (!hasTerraform) {
  console.warn(
    'SKIPPING terraform fmt/console checks: no `terraform` binary on PATH. Install Terraform >= 1.6 to run them.',
  );
}

/** Evaluates expressions with `terraform console` in a scratch directory holding `files`. */
function tfConsole(
  files: Record<string, string>,
  expressions: string[],
  vars: Record<string, unknown> = {},
): unknown[] {
  const dir = mkdtempSync(path.join(tmpdir(), 'mac-tf-console-'));
  try {
    for (const [name, text] of Object.entries(files)) writeFileSync(path.join(dir, name), text);
    writeFileSync(path.join(dir, 'test.auto.tfvars.json'), JSON.stringify(vars));
    return expressions.map((e) => {
      const r = spawnSync('terraform', ['console'], { cwd: dir, env: TF_ENV, input: `jsonencode(${e})\n` });
      // console exits 0 even when a variable fails validation; the diagnostics are on stderr.
      const stderr = r.stderr.toString().replace(/\u001b\[[0-9;]*m/g, '');
      if (r.status !== 0 || /Error:/.test(stderr)) throw new Error(`terraform console failed for ${e}:\n${stderr}`);
      // The JSON document comes last on stdout, printed as an HCL string literal.
      const lines = r.stdout.toString().trim().split('\n');
      return JSON.parse(JSON.parse(lines[lines.length - 1]!) as string);
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Normalises a type expression: `"${map(object({ cpu = number }))}"` → `map(object({cpu=number}))`. */
function typeOf(v: HclBody): string {
  return expr(v.type).replace(/[\s,]+/g, '');
}

let prod: HclDirectory;
const mods: Record<string, HclDirectory> = {};

beforeAll(async () => {
  prod = await loadHclDirectory(PROD);
  for (const m of MODULES) mods[m] = await loadHclDirectory(path.join(TEMPLATES, 'modules', m));
});

function allDirs(): HclDirectory[] {
  return [prod, ...MODULES.map((m) => mods[m]!)];
}

describe('template files', () => {
  it('phase4_prod holds exactly the 14 files of the deployment guide', () => {
    const tf = readdirSync(PROD).filter((f) => f.endsWith('.tf'));
    expect(tf.sort()).toEqual([...PROD_FILES].sort());
  });

  it.each(MODULES)('module %s has main.tf, variables.tf and outputs.tf', (m) => {
    const tf = readdirSync(path.join(TEMPLATES, 'modules', m)).filter((f) => f.endsWith('.tf'));
    expect(tf.sort()).toEqual(['main.tf', 'outputs.tf', 'variables.tf']);
  });

  it('every file parses to HCL with content', () => {
    for (const d of allDirs()) {
      for (const [name, doc] of Object.entries(d.files)) {
        expect(Object.keys(doc).length, `${d.dir}/${name} is empty`).toBeGreaterThan(0);
      }
    }
    expect(Object.keys(prod.files)).toHaveLength(14);
  });

  it('contains no templating placeholders, since mac init copies the files verbatim', () => {
    for (const d of allDirs()) {
      for (const [name, text] of Object.entries(d.raw)) {
        expect(text, name).not.toMatch(/\{\{|<%|__[A-Z_]+__/);
      }
    }
  });
});

describe('the variable contract with mac init', () => {
  const contract: Array<[string, string, unknown]> = [
    ['subscription_id', 'string', undefined],
    ['environment', 'string', 'production'],
    ['location', 'string', 'eastus'],
    ['name_prefix', 'string', 'multiagent'],
    ['resource_group_name', 'string', 'multi-agent-rg'],
    ['cost_center', 'string', 'customer-service'],
    ['budget_amount', 'number', 360],
    ['alert_thresholds', 'list(number)', [0.83, 0.93]],
    ['alert_emails', 'list(string)', undefined],
    ['budget_start_date', 'string', undefined],
    ['agents', 'map(object({cpu=numbermemory=number}))', 'checked below'],
    ['nats_cpu', 'number', 0.5],
    ['nats_memory', 'number', 1],
    ['image_registry', 'string', undefined],
    ['image_tag', 'string', 'latest'],
    ['vnet_address_space', 'list(string)', ['10.40.0.0/16']],
    ['gpt4o_mini_capacity', 'number', 60],
    ['gpt4o_capacity', 'number', 30],
    ['embedding_capacity', 'number', 60],
    ['log_retention_days', 'number', 7],
    ['appinsights_sampling_percentage', 'number', 50],
    ['latency_alert_threshold_ms', 'number', 2000],
    ['cdn_cache_ttl_seconds', 'number', 3600],
    ['tls_certificate_secret_id', 'string', null],
    ['cosmos_restore_source_id', 'string', null],
    ['cosmos_restore_timestamp', 'string', null],
    ['tags', 'map(string)', {}],
  ];

  it.each(contract)('variable %s has type %s and the agreed default', (name, type, def) => {
    const v = variable(prod.merged, name);
    expect(typeOf(v)).toBe(type);
    if (def === undefined) expect('default' in v, `${name} must be required (no default)`).toBe(false);
    else if (def !== 'checked below') expect(v.default).toEqual(def);
  });

  it('declares no variables beyond the contract', () => {
    expect(Object.keys(prod.merged.variable).sort()).toEqual(contract.map(([n]) => n).sort());
  });

  it('defaults the eight agents, response generators at 1 vCPU / 2 GB and the rest at 0.5 / 1', () => {
    const def = variable(prod.merged, 'agents').default as Record<string, { cpu: number; memory: number }>;
    expect(Object.keys(def).sort()).toEqual([...AGENTS].sort());
    for (const [name, r] of Object.entries(def)) {
      expect(r, name).toEqual(name.startsWith('response-generator-') ? { cpu: 1, memory: 2 } : { cpu: 0.5, memory: 1 });
    }
  });

  it('validates each alert threshold as a fraction in (0, 1]', () => {
    const conds = blocks(variable(prod.merged, 'alert_thresholds'), 'validation').map((b) => expr(b.condition));
    expect(conds.join(' ')).toMatch(/for (\w+) in var\.alert_thresholds\s*:\s*\1 > 0 && \1 <= 1/);
  });

  it('gives every variable of every directory a description', () => {
    for (const d of allDirs()) {
      for (const [name, bodies] of Object.entries<HclBody[]>(d.merged.variable ?? {})) {
        expect(String(bodies[0]!.description ?? '').trim().length, `${d.dir}: ${name}`).toBeGreaterThan(10);
      }
    }
  });

  it('has no credential variables: they come from ARM_* environment variables', () => {
    for (const d of allDirs()) {
      for (const name of ['client_secret', 'client_id', 'tenant_id']) {
        expect(d.merged.variable?.[name], `${d.dir} declares ${name}`).toBeUndefined();
        expect(stripComments(Object.values(d.raw).join('\n')), `${d.dir} references var.${name}`).not.toMatch(
          new RegExp(`\\bvar\\.${name}\\b`),
        );
      }
    }
  });
});

describe('references resolve (what terraform validate would check)', () => {
  it('every var.X used in a directory is declared in its variables.tf', () => {
    for (const d of allDirs()) {
      const declared = Object.keys(d.files['variables.tf']?.variable ?? {});
      const used = referencedNames(d.raw, /\bvar\.([a-zA-Z_][a-zA-Z0-9_]*)/);
      expect(used.size, d.dir).toBeGreaterThan(0);
      for (const name of used) expect(declared, `${d.dir} uses undeclared var.${name}`).toContain(name);
    }
  });

  it('every variable is used somewhere in its directory', () => {
    for (const d of allDirs()) {
      const used = referencedNames(
        Object.fromEntries(Object.entries(d.raw).filter(([f]) => f !== 'variables.tf')),
        /\bvar\.([a-zA-Z_][a-zA-Z0-9_]*)/,
      );
      for (const name of Object.keys(d.merged.variable ?? {})) {
        expect([...used], `${d.dir}: var.${name} is never used`).toContain(name);
      }
    }
  });

  it('every local.X used is declared in a locals block', () => {
    for (const d of allDirs()) {
      const declared = localNames(d.merged);
      for (const name of referencedNames(d.raw, /\blocal\.([a-zA-Z_][a-zA-Z0-9_]*)/)) {
        expect(declared, `${d.dir} uses undeclared local.${name}`).toContain(name);
      }
    }
  });

  it('every resource and data source referenced is declared in the same directory', () => {
    for (const d of allDirs()) {
      const code = Object.values(d.raw).map(stripComments).join('\n');
      for (const m of code.matchAll(/(data\.)?\b(azurerm_[a-z0-9_]+)\.([a-z0-9_]+)/g)) {
        const [, isData, type, name] = m;
        const decl = isData ? d.merged.data?.[type!]?.[name!] : d.merged.resource?.[type!]?.[name!];
        expect(decl, `${d.dir} references undeclared ${isData ?? ''}${type}.${name}`).toBeDefined();
      }
    }
  });

  it('every module.X.Y used exists and Y is an output of that module', () => {
    const code = Object.values(prod.raw).map(stripComments).join('\n');
    const refs = [...code.matchAll(/\bmodule\.([a-z_]+)(?:\[[^\]]+\])?\.([a-z_]+)/g)];
    expect(refs.length).toBeGreaterThan(3);
    for (const [, mod, out] of refs) {
      const call = moduleCall(prod.merged, mod!);
      const src = path.basename(call.source as string);
      expect(Object.keys(mods[src]!.merged.output), `module.${mod}.${out}`).toContain(out);
    }
    // `for agent, m in module.agent : agent => m.id` style references
    for (const [, out] of code.matchAll(/for \w+, m in module\.agent : \w+ => m\.([a-z_]+)/g)) {
      expect(Object.keys(mods.agent!.merged.output)).toContain(out);
    }
  });

  it('every module call passes each input without a default and no unknown input', () => {
    const calls = Object.keys(prod.merged.module ?? {});
    expect(calls.sort()).toEqual(['agent', 'cosmos', 'monitoring']);
    for (const name of calls) {
      const call = moduleCall(prod.merged, name);
      expect(call.source).toBe(`../modules/${name}`);
      const inputs = mods[name]!.merged.variable as Record<string, HclBody[]>;
      const passed = Object.keys(call).filter((k) => !MODULE_META_ARGS.has(k));
      for (const p of passed) expect(Object.keys(inputs), `module ${name} has no input ${p}`).toContain(p);
      for (const [input, [body]] of Object.entries(inputs)) {
        if (!('default' in body!)) expect(passed, `module ${name} misses required input ${input}`).toContain(input);
      }
    }
  });
});

describe('providers.tf', () => {
  it('pins terraform >= 1.6 and azurerm ~> 3.80', () => {
    const tf = prod.files['providers.tf']!.terraform[0];
    expect(tf.required_version).toBe('>= 1.6');
    expect(tf.required_providers[0].azurerm).toEqual({ source: 'hashicorp/azurerm', version: '~> 3.80' });
  });

  it('keeps remote state in azurerm with a partial config that mac infra bootstrap completes (account and per-environment key)', () => {
    const backend = block(prod.files['providers.tf']!.terraform[0].backend, 'azurerm');
    // No key here: one baked into the template would be every environment's, and they would share one state.
    expect(backend).toEqual({
      resource_group_name: 'tfstate-rg',
      container_name: 'tfstate',
    });
    expect(prod.raw['providers.tf']).toMatch(/mac infra bootstrap/);
  });

  it('configures the provider from the subscription only, with the key vault and resource group features', () => {
    const p = block(prod.merged.provider, 'azurerm');
    expect(expr(p.subscription_id)).toBe('var.subscription_id');
    for (const k of ['client_id', 'client_secret', 'tenant_id', 'client_certificate_password']) {
      expect(p[k]).toBeUndefined();
    }
    const features = block(p, 'features');
    expect(block(features, 'key_vault')).toMatchObject({
      purge_soft_delete_on_destroy: false,
      recover_soft_deleted_key_vaults: true,
    });
    expect(block(features, 'resource_group')).toEqual({ prevent_deletion_if_contains_resources: false });
    expect(prod.merged.data.azurerm_client_config.current).toHaveLength(1);
  });
});

describe('tags', () => {
  it('common tags carry environment and cost-center from variables, merged with var.tags', () => {
    const tags = expr(local(prod.merged, 'tags')).replace(/\s+/g, ' ');
    expect(tags).toMatch(/^merge\(var\.tags, \{/);
    expect(tags).toMatch(/\benvironment = var\.environment\b/);
    expect(tags).toMatch(/"cost-center" = var\.cost_center\b/);
  });

  it('every taggable resource in the root carries local.tags, in modules var.tags', () => {
    const check = (d: HclDirectory, expected: string) => {
      for (const [type, name, body] of resources(d.merged)) {
        const known = TAGGABLE.has(type) || UNTAGGABLE.has(type);
        expect(known, `classify ${type} as taggable or not in this test`).toBe(true);
        if (TAGGABLE.has(type)) expect(expr(body.tags), `${d.dir}: ${type}.${name}`).toBe(expected);
      }
    };
    check(prod, 'local.tags');
    for (const m of MODULES) check(mods[m]!, 'var.tags');
    for (const m of MODULES) expect(expr(moduleCall(prod.merged, m).tags), `module ${m}`).toBe('local.tags');
  });
});

describe('resource group and networking', () => {
  it('creates the resource group from its variables', () => {
    const rg = resource(prod.merged, 'azurerm_resource_group', 'main');
    expect(expr(rg.name)).toBe('var.resource_group_name');
    expect(expr(rg.location)).toBe('var.location');
  });

  it('delegates the container subnet to Container Instances and keeps three subnets', () => {
    const subnets = Object.keys(prod.merged.resource.azurerm_subnet).sort();
    expect(subnets).toEqual(['app_gateway', 'containers', 'private_endpoints']);
    const delegation = block(resource(prod.merged, 'azurerm_subnet', 'containers'), 'delegation');
    expect(block(delegation, 'service_delegation').name).toBe('Microsoft.ContainerInstance/containerGroups');
  });

  it('associates an NSG ending in deny-all to every subnet', () => {
    for (const subnet of ['containers', 'private_endpoints', 'app_gateway']) {
      const assoc = resource(prod.merged, 'azurerm_subnet_network_security_group_association', subnet);
      expect(expr(assoc.subnet_id)).toBe(`azurerm_subnet.${subnet}.id`);
      expect(expr(assoc.network_security_group_id)).toBe(`azurerm_network_security_group.${subnet}.id`);
      const rules = blocks(resource(prod.merged, 'azurerm_network_security_group', subnet), 'security_rule');
      const last = rules.reduce((a, b) => (a.priority > b.priority ? a : b));
      expect(last).toMatchObject({ access: 'Deny', direction: 'Inbound', source_address_prefix: '*' });
    }
    const agents = blocks(resource(prod.merged, 'azurerm_network_security_group', 'containers'), 'security_rule');
    const http = agents.find((r) => r.destination_port_range === '8080');
    expect(expr(http?.source_address_prefix)).toBe('local.subnet_prefixes.app_gateway');
  });

  it.each([
    ['cosmos', 'MongoDB', 'privatelink.mongo.cosmos.azure.com', 'module.cosmos.id'],
    ['key_vault', 'vault', 'privatelink.vaultcore.azure.net', 'azurerm_key_vault.main.id'],
    ['blob', 'blob', 'privatelink.blob.core.windows.net', 'azurerm_storage_account.main.id'],
  ])('reaches %s through a private endpoint (%s) with private DNS', (name, subresource, zone, target) => {
    const pe = resource(prod.merged, 'azurerm_private_endpoint', name);
    expect(expr(pe.subnet_id)).toBe('azurerm_subnet.private_endpoints.id');
    const conn = block(pe, 'private_service_connection');
    expect(conn.subresource_names).toEqual([subresource]);
    expect(expr(conn.private_connection_resource_id)).toBe(target);
    expect(block(pe, 'private_dns_zone_group').private_dns_zone_ids.map(expr)).toEqual([
      `azurerm_private_dns_zone.${name}.id`,
    ]);
    expect(resource(prod.merged, 'azurerm_private_dns_zone', name).name).toBe(zone);
    const link = resource(prod.merged, 'azurerm_private_dns_zone_virtual_network_link', name);
    expect(expr(link.virtual_network_id)).toBe('azurerm_virtual_network.main.id');
  });
});

describe('agents and NATS', () => {
  it('creates one agent module per entry of var.agents, running as the agents identity', () => {
    const call = moduleCall(prod.merged, 'agent');
    expect(expr(call.for_each)).toBe('var.agents');
    expect(expr(call.name)).toBe('each.key');
    expect(expr(call.cpu)).toBe('each.value.cpu');
    expect(expr(call.memory)).toBe('each.value.memory');
    expect(expr(call.identity_id)).toBe('azurerm_user_assigned_identity.agents.id');
    expect(expr(call.subnet_id)).toBe('azurerm_subnet.containers.id');
    expect(expr(call.nats_url)).toBe('local.nats_url');
    expect(resource(prod.merged, 'azurerm_user_assigned_identity', 'agents')).toBeDefined();
  });

  it('runs NATS with JetStream on a private IP in the container subnet', () => {
    const nats = resource(prod.merged, 'azurerm_container_group', 'nats');
    expect(nats.ip_address_type).toBe('Private');
    expect(nats.subnet_ids.map(expr)).toEqual(['azurerm_subnet.containers.id']);
    const c = block(nats, 'container');
    expect(c.image).toMatch(/(^|\/)nats:/);
    expect(c.commands).toContain('-js');
    expect(expr(c.cpu)).toBe('var.nats_cpu');
    expect(expr(c.memory)).toBe('var.nats_memory');
    expect(blocks(c, 'ports').map((p) => p.port)).toContain(4222);
    const vol = block(c, 'volume');
    expect(c.commands[c.commands.indexOf('-sd') + 1]).toMatch(new RegExp(`^${vol.mount_path}/`));
    expect(expr(local(prod.merged, 'nats_url'))).toBe('nats://${azurerm_container_group.nats.ip_address}:4222');
  });

  describe('modules/agent', () => {
    const group = () => resource(mods.agent!.merged, 'azurerm_container_group', 'this');

    it('is a private Linux container group on the given subnet with the user-assigned identity', () => {
      const g = group();
      expect(g).toMatchObject({ os_type: 'Linux', ip_address_type: 'Private' });
      expect(g.subnet_ids.map(expr)).toEqual(['var.subnet_id']);
      expect(block(g, 'identity').type).toBe('UserAssigned');
      expect(block(g, 'identity').identity_ids.map(expr)).toEqual(['var.identity_id']);
    });

    it('runs <registry>/<agent>:<tag> with the given cpu and memory on port 8080', () => {
      const c = block(group(), 'container');
      expect(c.image).toBe('${var.image_registry}/${var.name}:${var.image_tag}');
      expect(expr(c.cpu)).toBe('var.cpu');
      expect(expr(c.memory)).toBe('var.memory');
      expect(blocks(c, 'ports').map((p) => expr(p.port))).toEqual(['var.port']);
      expect(variable(mods.agent!.merged, 'port').default).toBe(8080);
    });

    it('probes /health for liveness and /ready for readiness', () => {
      const c = block(group(), 'container');
      expect(block(block(c, 'liveness_probe'), 'http_get').path).toBe('/health');
      expect(block(block(c, 'readiness_probe'), 'http_get').path).toBe('/ready');
    });

    it('passes AGENT_NAME, NATS_URL, KEY_VAULT_URI and the telemetry connection string as a secure variable', () => {
      const c = block(group(), 'container');
      const env = expr(c.environment_variables);
      const wanted: Array<[string, string]> = [
        ['AGENT_NAME', 'name'],
        ['NATS_URL', 'nats_url'],
        ['KEY_VAULT_URI', 'key_vault_uri'],
      ];
      for (const [k, v] of wanted) expect(env).toMatch(new RegExp(`\\b${k}\\s*=\\s*var\\.${v}\\b`));
      expect(c.secure_environment_variables).toEqual({
        APPLICATIONINSIGHTS_CONNECTION_STRING: '${var.appinsights_connection_string}',
      });
      expect(env).not.toMatch(/APPLICATIONINSIGHTS_CONNECTION_STRING/);
      expect(variable(mods.agent!.merged, 'appinsights_connection_string').sensitive).toBe(true);
    });

    it('ignores container and registry credential changes so mac deploy releases never need an apply', () => {
      const ignored = block(group(), 'lifecycle').ignore_changes.map(expr);
      expect(ignored).toEqual(expect.arrayContaining(['container', 'image_registry_credential']));
    });

    it('outputs id, name and ip_address', () => {
      expect(Object.keys(mods.agent!.merged.output).sort()).toEqual(['id', 'ip_address', 'name']);
      expect(expr(output(mods.agent!.merged, 'ip_address').value)).toBe('azurerm_container_group.this.ip_address');
    });
  });
});

describe('Cosmos DB', () => {
  const account = () => resource(mods.cosmos!.merged, 'azurerm_cosmosdb_account', 'this');

  it('is serverless MongoDB with Session consistency, continuous backup and no public access', () => {
    const a = account();
    expect(a.kind).toBe('MongoDB');
    expect(blocks(a, 'capabilities').map((c) => c.name).sort()).toEqual(['EnableMongo', 'EnableServerless']);
    expect(block(a, 'consistency_policy').consistency_level).toBe('Session');
    expect(block(a, 'backup').type).toBe('Continuous');
    expect(a.public_network_access_enabled).toBe(false);
  });

  it('is created in Restore mode from the two restore variables for the DR drill', () => {
    const a = account();
    expect(expr(a.create_mode)).toBe('local.restoring ? "Restore" : null');
    expect(expr(local(mods.cosmos!.merged, 'restoring'))).toBe(
      'var.restore_source_id != null && var.restore_timestamp != null',
    );
    const restore = dynamicBlock(a, 'restore');
    expect(expr(restore.for_each)).toBe('local.restoring ? [1] : []');
    expect(block(restore, 'content')).toEqual({
      source_cosmosdb_account_id: '${var.restore_source_id}',
      restore_timestamp_in_utc: '${var.restore_timestamp}',
    });
    expect(block(block(a, 'lifecycle'), 'precondition').condition).toContain('var.restore_timestamp == null');
    // After a drill, an apply without the restore variables must not replace the restored account (both force new).
    expect(block(a, 'lifecycle').ignore_changes).toEqual(['${create_mode}', '${restore}']);
    const call = moduleCall(prod.merged, 'cosmos');
    expect(expr(call.restore_source_id)).toBe('var.cosmos_restore_source_id');
    expect(expr(call.restore_timestamp)).toBe('var.cosmos_restore_timestamp');
  });

  it('creates the orders, tickets, knowledge-base and analytics collections with an _id index', () => {
    expect(moduleCall(prod.merged, 'cosmos').collections).toEqual(['orders', 'tickets', 'knowledge-base', 'analytics']);
    const coll = resource(mods.cosmos!.merged, 'azurerm_cosmosdb_mongo_collection', 'this');
    expect(expr(coll.for_each)).toBe('local.restoring ? toset([]) : toset(var.collections)');
    expect(block(coll, 'index')).toEqual({ keys: ['_id'], unique: true });
  });
});

describe('Key Vault', () => {
  const kv = () => resource(prod.merged, 'azurerm_key_vault', 'main');

  it('keeps soft-deleted data 90 days with purge protection', () => {
    expect(kv()).toMatchObject({ soft_delete_retention_days: 90, purge_protection_enabled: true });
    expect(expr(kv().tenant_id)).toBe('data.azurerm_client_config.current.tenant_id');
  });

  it('lets the agents identity only Get and List secrets', () => {
    const p = blocks(kv(), 'access_policy').find(
      (a) => expr(a.object_id) === 'azurerm_user_assigned_identity.agents.principal_id',
    );
    expect(p?.secret_permissions).toEqual(['Get', 'List']);
    expect(p?.key_permissions).toBeUndefined();
  });

  it('lets the deploying principal manage secret versions so mac can rotate them', () => {
    const p = blocks(kv(), 'access_policy').find(
      (a) => expr(a.object_id) === 'data.azurerm_client_config.current.object_id',
    );
    expect(p?.secret_permissions).toEqual(
      expect.arrayContaining(['Get', 'List', 'Set', 'Delete', 'Recover', 'Backup', 'Restore']),
    );
    expect(p?.secret_permissions).not.toContain('Purge');
  });

  it('seeds secrets once and leaves their rotation to mac', () => {
    for (const [, body] of Object.entries<HclBody[]>(prod.merged.resource.azurerm_key_vault_secret)) {
      expect(block(body[0]!, 'lifecycle').ignore_changes.map(expr)).toEqual(['value']);
    }
  });
});

describe('Azure OpenAI', () => {
  it('is an S0 OpenAI account', () => {
    const account = resource(prod.merged, 'azurerm_cognitive_account', 'openai');
    expect(account).toMatchObject({ kind: 'OpenAI', sku_name: 'S0' });
  });

  it.each([
    ['gpt4o_mini', 'gpt-4o-mini', '2024-07-18', 'var.gpt4o_mini_capacity'],
    ['gpt4o', 'gpt-4o', '2024-08-06', 'var.gpt4o_capacity'],
    ['embedding', 'text-embedding-3-large', '1', 'var.embedding_capacity'],
  ])('deploys %s as %s version %s sized by %s', (res, model, version, capacity) => {
    const d = resource(prod.merged, 'azurerm_cognitive_deployment', res);
    expect(expr(d.cognitive_account_id)).toBe('azurerm_cognitive_account.openai.id');
    expect(block(d, 'model')).toEqual({ format: 'OpenAI', name: model, version });
    // azurerm 3.x schema: `scale` (renamed `sku` only in 4.0).
    expect(d.sku).toBeUndefined();
    expect(block(d, 'scale').type).toBe('Standard');
    expect(expr(block(d, 'scale').capacity)).toBe(capacity);
  });
});

describe('storage and CDN', () => {
  it('has a knowledge-base container', () => {
    const c = resource(prod.merged, 'azurerm_storage_container', 'knowledge_base');
    expect(c.name).toBe('knowledge-base');
    expect(expr(c.storage_account_name)).toBe('azurerm_storage_account.main.name');
  });

  it('caches every CDN response for var.cdn_cache_ttl_seconds through one unconditioned rule', () => {
    const rule = resource(prod.merged, 'azurerm_cdn_frontdoor_rule', 'cache_ttl');
    expect(rule.conditions).toBeUndefined();
    const action = block(block(rule, 'actions'), 'route_configuration_override_action');
    expect(action.cache_behavior).toBe('OverrideAlways');
    expect(expr(action.cache_duration)).toBe('local.cdn_cache_duration');
    expect(expr(local(prod.merged, 'cdn_ttl_days'))).toContain('var.cdn_cache_ttl_seconds');
    const route = resource(prod.merged, 'azurerm_cdn_frontdoor_route', 'knowledge_base');
    expect(route.cdn_frontdoor_rule_set_ids.map(expr)).toEqual(['azurerm_cdn_frontdoor_rule_set.caching.id']);
    expect(route.cdn_frontdoor_origin_path).toBe('/${azurerm_storage_container.knowledge_base.name}');
  });
});

describe('monitoring', () => {
  const m = () => mods.monitoring!.merged;

  it('passes the retention, sampling and latency variables to the module', () => {
    const call = moduleCall(prod.merged, 'monitoring');
    expect(expr(call.log_retention_days)).toBe('var.log_retention_days');
    expect(expr(call.sampling_percentage)).toBe('var.appinsights_sampling_percentage');
    expect(expr(call.latency_threshold_ms)).toBe('var.latency_alert_threshold_ms');
    expect(expr(call.alert_emails)).toBe('var.alert_emails');
  });

  it('retains logs for log_retention_days, raised to the 30-day floor azurerm 3.x allows', () => {
    const ws = resource(m(), 'azurerm_log_analytics_workspace', 'this');
    expect(ws.sku).toBe('PerGB2018');
    expect(expr(ws.retention_in_days)).toBe('max(30, var.log_retention_days)');
  });

  it('samples Application Insights at the given percentage, workspace-based', () => {
    const ai = resource(m(), 'azurerm_application_insights', 'this');
    expect(expr(ai.sampling_percentage)).toBe('var.sampling_percentage');
    expect(expr(ai.workspace_id)).toBe('azurerm_log_analytics_workspace.this.id');
  });

  it('alerts by email when P95 request duration exceeds the threshold', () => {
    const alert = resource(m(), 'azurerm_monitor_scheduled_query_rules_alert_v2', 'p95_latency');
    const c = block(alert, 'criteria');
    expect(c.query).toMatch(/^requests\b/);
    expect(c.query).toMatch(/percentile\(duration,\s*95\)/);
    expect(c.operator).toBe('GreaterThan');
    expect(expr(c.threshold)).toBe('var.latency_threshold_ms');
    expect(c.query).toContain(c.metric_measure_column);
    expect(alert.scopes.map(expr)).toEqual(['azurerm_application_insights.this.id']);
    expect(block(alert, 'action').action_groups.map(expr)).toEqual(['azurerm_monitor_action_group.this.id']);
    const email = dynamicBlock(resource(m(), 'azurerm_monitor_action_group', 'this'), 'email_receiver');
    expect(expr(email.for_each)).toBe('var.alert_emails');
  });

  it('uses no metric alert aggregation Azure rejects (Percentile95 is not one)', () => {
    for (const d of allDirs()) {
      for (const [, body] of Object.entries<HclBody[]>(d.merged.resource?.azurerm_monitor_metric_alert ?? {})) {
        for (const c of blocks(body[0]!, 'criteria')) {
          expect(['Average', 'Count', 'Minimum', 'Maximum', 'Total']).toContain(c.aggregation);
        }
      }
    }
  });
});

describe('Application Gateway', () => {
  const agw = () => resource(prod.merged, 'azurerm_application_gateway', 'main');

  it('is WAF_v2 with an OWASP 3.2 policy in Prevention mode', () => {
    expect(block(agw(), 'sku')).toMatchObject({ name: 'WAF_v2', tier: 'WAF_v2' });
    expect(expr(agw().firewall_policy_id)).toBe('azurerm_web_application_firewall_policy.main.id');
    const waf = resource(prod.merged, 'azurerm_web_application_firewall_policy', 'main');
    expect(block(waf, 'policy_settings')).toMatchObject({ enabled: true, mode: 'Prevention' });
    expect(block(block(waf, 'managed_rules'), 'managed_rule_set')).toEqual({ type: 'OWASP', version: '3.2' });
  });

  it('terminates TLS (1.2 minimum) with a Key Vault certificate read through its identity', () => {
    const g = agw();
    expect(block(g, 'ssl_policy')).toEqual({ policy_type: 'Predefined', policy_name: 'AppGwSslPolicy20220101S' });
    expect(expr(block(g, 'ssl_certificate').key_vault_secret_id)).toBe('local.tls_secret_id');
    expect(expr(local(prod.merged, 'tls_secret_id'))).toMatch(
      /^var\.tls_certificate_secret_id != null \? var\.tls_certificate_secret_id : /,
    );
    const https = blocks(g, 'http_listener').find((l) => l.protocol === 'Https');
    expect(https?.ssl_certificate_name).toBeDefined();
    expect(block(g, 'identity').identity_ids.map(expr)).toEqual(['azurerm_user_assigned_identity.gateway.id']);
    const policy = blocks(resource(prod.merged, 'azurerm_key_vault', 'main'), 'access_policy').find(
      (a) => expr(a.object_id) === 'azurerm_user_assigned_identity.gateway.principal_id',
    );
    expect(policy?.secret_permissions).toEqual(['Get']);
    const ip = resource(prod.merged, 'azurerm_public_ip', 'app_gateway');
    expect(ip).toMatchObject({ sku: 'Standard', allocation_method: 'Static' });
  });

  it('sends traffic to the intent-classifier group on 8080, probing /health', () => {
    const g = agw();
    expect(block(g, 'backend_address_pool').ip_addresses.map(expr)).toEqual([
      'module.agent["intent-classifier"].ip_address',
    ]);
    expect(block(g, 'backend_http_settings')).toMatchObject({ port: 8080, protocol: 'Http' });
    expect(block(g, 'probe').path).toBe('/health');
  });
});

describe('budget', () => {
  const budget = () => resource(prod.merged, 'azurerm_consumption_budget_subscription', 'monthly');

  it('is a monthly budget of var.budget_amount from var.budget_start_date', () => {
    const b = budget();
    expect(expr(b.amount)).toBe('var.budget_amount');
    expect(b.time_grain).toBe('Monthly');
    expect(expr(block(b, 'time_period').start_date)).toBe('var.budget_start_date');
    expect(b.subscription_id).toBe('/subscriptions/${var.subscription_id}');
  });

  it('sends one notification per alert threshold, in percent, to the alert emails', () => {
    const b = budget();
    expect(b.notification, 'no hard-coded notification blocks').toBeUndefined();
    const n = dynamicBlock(b, 'notification');
    expect(expr(n.for_each)).toBe('var.alert_thresholds');
    const content = block(n, 'content');
    expect(expr(content.threshold)).toMatch(/\bnotification\.value \* 100\b/);
    expect(content.operator).toBe('GreaterThan');
    expect(expr(content.contact_emails)).toBe('var.alert_emails');
  });
});

describe('outputs', () => {
  it.each([
    'resource_group_name',
    'key_vault_uri',
    'key_vault_name',
    'cosmos_account_id',
    'cosmos_account_name',
    'openai_endpoint',
    'app_gateway_public_ip',
    'container_group_ids',
    'application_insights_connection_string',
    'agents_identity_id',
  ])('exports %s with a description', (name) => {
    expect(String(output(prod.merged, name).description).length).toBeGreaterThan(5);
  });

  it('marks the connection string sensitive and keys container groups by agent', () => {
    expect(output(prod.merged, 'application_insights_connection_string').sensitive).toBe(true);
    const ids = expr(output(prod.merged, 'container_group_ids').value);
    expect(ids).toBe('{ for agent, m in module.agent : agent => m.id }');
  });
});

describe('with the terraform binary', () => {
  it.skipIf(!hasTerraform)('terraform fmt -check -recursive finds nothing to change', () => {
    let out: string;
    try {
      out = execFileSync('terraform', ['fmt', '-check', '-recursive', '-diff', TEMPLATES], { env: TF_ENV }).toString();
    } catch (err) {
      // Non-zero exit: the files needing formatting and their diffs are on stdout.
      out = `terraform fmt -check failed:\n${(err as { stdout?: Buffer }).stdout?.toString() ?? String(err)}`;
    }
    expect(out).toBe('');
  });

  // Evaluates main.tf's own locals (minus those that reference resources) with variables.tf's validations.
  const evalLocals = async (exprs: string[], vars: Record<string, unknown>) => {
    const main = (await readFile(path.join(PROD, 'main.tf'), 'utf8'))
      .split('\n')
      .filter((line) => !/\b(azurerm_[a-z_]+\.|module\.)/.test(line))
      .join('\n');
    const variables = await readFile(path.join(PROD, 'variables.tf'), 'utf8');
    const required = {
      subscription_id: '11111111-2222-3333-4444-555555555555',
      alert_emails: ['ops@example.com'],
      budget_start_date: '2026-12-01T00:00:00Z',
      image_registry: 'example.azurecr.io/mac',
    };
    return tfConsole({ 'main.tf': main, 'variables.tf': variables }, exprs, { ...required, ...vars });
  };

  it.skipIf(!hasTerraform)('turns cdn_cache_ttl_seconds into the HH:MM:SS or d.HH:MM:SS Front Door takes', async () => {
    for (const [seconds, duration] of [
      [3600, '01:00:00'],
      [59, '00:00:59'],
      [86400, '1.00:00:00'],
      [90061, '1.01:01:01'],
    ] as const) {
      expect(await evalLocals(['local.cdn_cache_duration'], { cdn_cache_ttl_seconds: seconds })).toEqual([duration]);
    }
  });

  it.skipIf(!hasTerraform)('budget notifications come out at 83 % and 93 % for the default thresholds', async () => {
    const budget = resource(prod.merged, 'azurerm_consumption_budget_subscription', 'monthly');
    const threshold = expr(block(dynamicBlock(budget, 'notification'), 'content').threshold);
    const perThreshold = `[for notification in [for t in var.alert_thresholds : { value = t }] : ${threshold}]`;
    expect(await evalLocals([perThreshold], {})).toEqual([[83, 93]]);
  });

  it.skipIf(!hasTerraform)('derives global names within Azure limits even for the longest inputs', async () => {
    const [kv, st, cosmos, tags] = (await evalLocals(
      ['local.key_vault_name', 'local.storage_account_name', 'local.cosmos_account_name', 'local.tags'],
      {
        name_prefix: 'abcdefghijkl',
        environment: 'staging-eu-west-canary01',
        tags: { environment: 'spoofed', team: 'cs' },
      },
    )) as [string, string, string, Record<string, string>];
    expect(kv).toMatch(/^[a-z][a-z0-9]{2,23}$/);
    expect(st).toMatch(/^[a-z0-9]{3,24}$/);
    expect(cosmos).toMatch(/^[a-z0-9][a-z0-9-]{2,43}$/);
    expect(tags).toEqual({
      environment: 'staging-eu-west-canary01',
      'cost-center': 'customer-service',
      'managed-by': 'terraform',
      team: 'cs',
    });
  });

  it.skipIf(!hasTerraform)('rejects an alert threshold outside (0, 1]', async () => {
    await expect(evalLocals(['var.alert_thresholds'], { alert_thresholds: [0.83, 1.5] })).rejects.toThrow(
      /alert_thresholds must hold 1 to 5 fractions/,
    );
  });
});

it('templates directory exists where mac init looks for it', () => {
  expect(existsSync(PROD)).toBe(true);
});
