// The projected monthly cost of a Terraform plan: every resource that will exist once the plan is applied
// (`terraform show -json` resource_changes, their `change.after` values), priced with the price table of the local
// cost report (prices.ts) and its per-turn assumptions (estimate.ts), plus the environment's `usage` block for the
// workload. Each resource type is priced, classified free (with the reason), or — a type this table does not know —
// listed as unpriced, never silently $0. The cost gate of `mac infra apply` and `mac deploy` compares the total with
// the budget.
import type { EnvironmentConfig } from '../config/schema.js';
import { BudgetBreachedError } from '../errors.js';
import {
  APP_GATEWAY_AVG_CAPACITY_UNITS,
  budgetThresholds,
  BLOB_STORAGE_GB,
  COSMOS_RUS_PER_TURN,
  COSMOS_STORAGE_GB,
  EMBEDDING_TOKENS_PER_TURN,
  FRONT_DOOR_EGRESS_GB,
  GPT4O_INPUT_TOKENS_PER_TURN,
  GPT4O_MINI_INPUT_TOKENS_PER_TURN,
  GPT4O_MINI_OUTPUT_TOKENS_PER_TURN,
  GPT4O_OUTPUT_TOKENS_PER_TURN,
  KEY_VAULT_OPS_PER_CONTAINER_HOUR,
  KEY_VAULT_OPS_PER_TURN,
  LOG_ANALYTICS_FREE_GB,
  monthBounds,
  TELEMETRY_BASELINE_GB,
  TELEMETRY_KB_PER_TURN,
  type ServiceTotal,
  type ThresholdVerdict,
} from './estimate.js';
import { PRICES, SERVICES, type Price, type Service } from './prices.js';

/** Tokens per turn of the cost report's mix (gpt-4o-mini 600, gpt-4o 500, embeddings 50). */
export const TOKENS_PER_TURN =
  GPT4O_MINI_INPUT_TOKENS_PER_TURN + GPT4O_MINI_OUTPUT_TOKENS_PER_TURN + GPT4O_INPUT_TOKENS_PER_TURN + GPT4O_OUTPUT_TOKENS_PER_TURN + EMBEDDING_TOKENS_PER_TURN;

export interface PlanLine {
  address: string;
  type: string;
  /** null for unpriced lines (a type the table does not know, or a configuration it cannot price). */
  service: Service | null;
  /** What the line counts, e.g. `vCPU + memory` or `gpt-4o input tokens`. */
  line: string;
  monthlyUsd: number;
  basis: string;
  status: 'priced' | 'free' | 'unpriced';
  kind: 'fixed' | 'usage';
}

export interface PlanUsage {
  conversationsPerMonth: number;
  turnsPerConversation: number;
  tokensPerConversation: number;
  turnsPerMonth: number;
}

export interface PlanEstimate {
  month: string;
  hoursInMonth: number;
  usage: PlanUsage;
  /** Resource instances priced (those the plan keeps or creates; deleted ones and data sources are left out). */
  resources: number;
  lines: PlanLine[];
  services: ServiceTotal[];
  /** Resources this estimate could not price: listed, and not in the total. */
  unpriced: { address: string; type: string; reason: string }[];
  totalUsd: number;
  budget: { amountUsd: number; thresholds: ThresholdVerdict[]; percentOfBudget: number; exceeded: boolean };
  prices: Price[];
  notes: string[];
}

/** A resource instance as it will be after the apply. */
export interface PlannedResource {
  address: string;
  type: string;
  action: string;
  values: Record<string, unknown>;
}

/** The managed resource instances that exist after applying `plan` (creates, updates, replaces, no-ops). */
export function plannedResources(plan: unknown): PlannedResource[] {
  const doc = (plan ?? {}) as {
    resource_changes?: { address: string; type: string; mode?: string; change?: { actions?: string[]; after?: unknown } }[];
  };
  return (doc.resource_changes ?? [])
    .filter((r) => r.mode !== 'data')
    .filter((r) => {
      const actions = r.change?.actions ?? [];
      return !(actions.length === 1 && (actions[0] === 'delete' || actions[0] === 'forget' || actions[0] === 'read'));
    })
    .map((r) => ({
      address: r.address,
      type: r.type,
      action: (r.change?.actions ?? ['no-op']).join('+'),
      values: r.change?.after && typeof r.change.after === 'object' ? (r.change.after as Record<string, unknown>) : {},
    }))
    .sort((a, b) => a.address.localeCompare(b.address));
}

/**
 * Types that cost nothing by themselves, with the reason: their cost (if any) is billed on another resource, or Azure
 * does not charge for them.
 */
export const FREE_TYPES: Readonly<Record<string, string>> = {
  azurerm_resource_group: 'no charge: a container for resources',
  azurerm_virtual_network: 'no charge (virtual networks and subnets are free; peering and egress are not used here)',
  azurerm_subnet: 'no charge',
  azurerm_network_security_group: 'no charge',
  azurerm_subnet_network_security_group_association: 'no charge',
  azurerm_private_dns_zone_virtual_network_link: 'no charge for the link; the zone is billed',
  azurerm_user_assigned_identity: 'no charge: managed identities are free',
  azurerm_role_assignment: 'no charge: Azure RBAC is free',
  azurerm_monitor_diagnostic_setting: 'no charge for the setting; what it sends is billed as workspace ingestion',
  azurerm_web_application_firewall_policy: 'included in the Application Gateway WAF_v2 price',
  azurerm_consumption_budget_subscription: 'no charge: Cost Management budgets are free',
  azurerm_consumption_budget_resource_group: 'no charge: Cost Management budgets are free',
  azurerm_monitor_action_group: 'email notifications: the first 1,000 a month are free',
  azurerm_key_vault_secret: 'operations billed on the vault',
  azurerm_storage_container: 'capacity billed on the storage account',
  azurerm_cosmosdb_mongo_database: 'serverless: request units and storage billed on the account',
  azurerm_cosmosdb_mongo_collection: 'serverless: request units and storage billed on the account',
  azurerm_cognitive_account: 'S0 has no fixed fee: tokens are billed per deployment',
  azurerm_application_insights: 'workspace-based: ingestion billed on the Log Analytics workspace, not twice',
  azurerm_cdn_frontdoor_endpoint: 'included in the Front Door profile base fee',
  azurerm_cdn_frontdoor_origin_group: 'included in the Front Door profile base fee',
  azurerm_cdn_frontdoor_origin: 'included in the Front Door profile base fee',
  azurerm_cdn_frontdoor_rule_set: 'included in the Front Door profile base fee',
  azurerm_cdn_frontdoor_rule: 'included in the Front Door profile base fee',
  azurerm_cdn_frontdoor_route: 'included in the Front Door profile base fee',
};

export interface PlanEstimateInput {
  /** `terraform show -json <planfile>`. */
  plan: unknown;
  env: EnvironmentConfig;
  /** YYYY-MM: the month whose hours the fixed lines use (the cost report's convention). */
  month: string;
  /** Overrides the environment's usage.conversationsPerMonth. */
  conversationsPerMonth?: number;
}

const round2 = (n: number) => Math.round(n * 100) / 100;
const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
const list = (v: unknown): Record<string, unknown>[] => (Array.isArray(v) ? v.filter((x): x is Record<string, unknown> => !!x && typeof x === 'object') : []);
const first = (v: unknown): Record<string, unknown> => list(v)[0] ?? {};
const fmt = (n: number) => (Number.isInteger(n) ? String(n) : String(round2(n)));
const count = (n: number) => Math.round(n).toLocaleString('en-US');

/** Cost of `quantity` units of a price; "1M" / "10K" units are handled by the divisor. */
function cost(price: Price, quantity: number): number {
  const divisor = price.unit.startsWith('1M') ? 1_000_000 : price.unit.startsWith('10K') ? 10_000 : 1;
  return (quantity / divisor) * price.unitPrice;
}

export function estimatePlan(input: PlanEstimateInput): PlanEstimate {
  const { env, month } = input;
  const { start, end } = monthBounds(month);
  const hours = (end.getTime() - start.getTime()) / 3_600_000;
  const seconds = hours * 3600;
  const P = PRICES;

  const conversationsPerMonth = input.conversationsPerMonth ?? env.usage.conversationsPerMonth;
  const turnsPerConversation = env.usage.turnsPerConversation;
  const tokensPerConversation = env.usage.tokensPerConversation ?? turnsPerConversation * TOKENS_PER_TURN;
  const turns = conversationsPerMonth * turnsPerConversation;
  /** tokensPerConversation scales the per-turn mix; 1 with the defaults. */
  const tokenScale = tokensPerConversation / (turnsPerConversation * TOKENS_PER_TURN);
  const usage: PlanUsage = { conversationsPerMonth, turnsPerConversation, tokensPerConversation, turnsPerMonth: turns };

  const resources = plannedResources(input.plan);
  const containerGroups = resources.filter((r) => r.type === 'azurerm_container_group').length;
  const lines: PlanLine[] = [];
  const unpriced: PlanEstimate['unpriced'] = [];
  const notes: string[] = [];

  for (const r of resources) {
    const v = r.values;
    const add = (service: Service, line: string, monthlyUsd: number, basis: string, kind: PlanLine['kind'] = 'fixed') =>
      lines.push({ address: r.address, type: r.type, service, line, monthlyUsd: round2(monthlyUsd), basis, status: 'priced', kind });
    const unknown = (reason: string) => {
      unpriced.push({ address: r.address, type: r.type, reason });
      lines.push({ address: r.address, type: r.type, service: null, line: 'unpriced', monthlyUsd: 0, basis: reason, status: 'unpriced', kind: 'fixed' });
    };
    const free = FREE_TYPES[r.type];
    if (free !== undefined) {
      lines.push({ address: r.address, type: r.type, service: null, line: 'free', monthlyUsd: 0, basis: free, status: 'free', kind: 'fixed' });
      continue;
    }
    switch (r.type) {
      case 'azurerm_container_group': {
        if (str(v.os_type) && str(v.os_type) !== 'Linux') {
          unknown(`${str(v.os_type)} container groups are not in the price table (Linux only)`);
          break;
        }
        const containers = list(v.container);
        const cpu = containers.reduce((s, c) => s + (num(c.cpu) ?? Number.NaN), 0);
        const memory = containers.reduce((s, c) => s + (num(c.memory) ?? Number.NaN), 0);
        if (!containers.length || !Number.isFinite(cpu) || !Number.isFinite(memory)) {
          unknown('cpu/memory of its containers are unknown until apply');
          break;
        }
        const vcpuSeconds = cpu * seconds;
        const gbSeconds = memory * seconds;
        add(
          'Container Instances',
          `${fmt(cpu)} vCPU + ${fmt(memory)} GB, always on`,
          cost(P.aciVcpuSecond, vcpuSeconds) + cost(P.aciGbSecond, gbSeconds),
          `${fmt(cpu)} vCPU × ${hours} h × 3600 s = ${count(vcpuSeconds)} vCPU-s × $${P.aciVcpuSecond.unitPrice} + ${fmt(memory)} GB × ${hours} h × 3600 s = ${count(gbSeconds)} GB-s × $${P.aciGbSecond.unitPrice}`,
        );
        break;
      }
      case 'azurerm_application_gateway': {
        const sku = first(v.sku);
        const name = str(sku.name) ?? str(sku.tier);
        if (name !== 'WAF_v2' && name !== 'Standard_v2') {
          unknown(name ? `SKU ${name} is not in the price table (v2 SKUs only)` : 'SKU unknown until apply');
          break;
        }
        const fixed = name === 'WAF_v2' ? P.appGatewayWafV2Fixed : P.appGatewayStandardV2Fixed;
        const capacity = name === 'WAF_v2' ? P.appGatewayWafV2Capacity : P.appGatewayV2Capacity;
        const autoscale = list(v.autoscale_configuration)[0];
        // An instance is 10 capacity units: reserved instances (min_capacity, or a fixed capacity) bill at least that.
        const reserved = autoscale ? (num(autoscale.min_capacity) ?? 0) : (num(sku.capacity) ?? 1);
        const units = Math.max(APP_GATEWAY_AVG_CAPACITY_UNITS, reserved * 10);
        add('Networking', `${name} fixed`, hours * fixed.unitPrice, `${hours} h × $${fixed.unitPrice}/gateway-h (billed even when idle)`);
        add(
          'Networking',
          `${name} capacity units`,
          units * hours * capacity.unitPrice,
          `${units} CU × ${hours} h × $${capacity.unitPrice}/CU-h (${autoscale ? `autoscale ${num(autoscale.min_capacity) ?? 0}–${num(autoscale.max_capacity) ?? '?'}` : `${reserved} instance(s)`})`,
        );
        break;
      }
      case 'azurerm_public_ip':
        add('Networking', `${str(v.sku) ?? 'Standard'} ${str(v.allocation_method)?.toLowerCase() ?? 'static'} public IP`, hours * P.publicIpHour.unitPrice, `${hours} h × $${P.publicIpHour.unitPrice}/IP-h`);
        break;
      case 'azurerm_private_endpoint':
        add('Networking', 'private endpoint', hours * P.privateEndpointHour.unitPrice, `${hours} h × $${P.privateEndpointHour.unitPrice}/endpoint-h (data processed at $0.01/GB not counted)`);
        break;
      case 'azurerm_private_dns_zone':
        add('Networking', 'private DNS zone', P.privateDnsZone.unitPrice, `$${P.privateDnsZone.unitPrice}/zone-month`);
        break;
      case 'azurerm_key_vault': {
        if (str(v.sku_name) === 'premium') notes.push(`${r.address} is premium: HSM-protected key operations cost more than the standard operations priced here.`);
        const groupOps = containerGroups * hours * KEY_VAULT_OPS_PER_CONTAINER_HOUR;
        add('Key Vault', 'secret reads by container groups', cost(P.keyVaultOps, groupOps), `${containerGroups} groups × ${hours} h × ${KEY_VAULT_OPS_PER_CONTAINER_HOUR} op × $${P.keyVaultOps.unitPrice}/10K`);
        add('Key Vault', 'PII tokenization operations', cost(P.keyVaultOps, turns * KEY_VAULT_OPS_PER_TURN), `${count(turns)} turns × ${KEY_VAULT_OPS_PER_TURN} ops × $${P.keyVaultOps.unitPrice}/10K`, 'usage');
        break;
      }
      case 'azurerm_key_vault_certificate': {
        const policy = first(v.certificate_policy);
        const months = num(first(policy.x509_certificate_properties).validity_in_months) ?? 12;
        add('Key Vault', 'certificate renewal', P.keyVaultCertificateRenewal.unitPrice / months, `$${P.keyVaultCertificateRenewal.unitPrice}/renewal ÷ ${months}-month validity`);
        break;
      }
      case 'azurerm_storage_account': {
        if (str(v.account_tier) === 'Premium') {
          unknown('Premium storage accounts are not in the price table');
          break;
        }
        const replication = str(v.account_replication_type) ?? 'LRS';
        add(
          'Blob Storage + CDN',
          `hot ${replication} blob storage`,
          cost(P.blobHotLrs, BLOB_STORAGE_GB),
          `${BLOB_STORAGE_GB} GB × $${P.blobHotLrs.unitPrice}/GB-month${replication === 'LRS' ? '' : ` (the LRS price: ${replication} costs more)`}`,
        );
        break;
      }
      case 'azurerm_storage_share': {
        const quota = num(v.quota) ?? 100;
        add('NATS JetStream', `Azure Files share, ${quota} GB quota`, cost(P.filesTransactionOptimizedLrs, quota), `${quota} GB (the quota, an upper bound) × $${P.filesTransactionOptimizedLrs.unitPrice}/GB-month`);
        break;
      }
      case 'azurerm_cdn_frontdoor_profile': {
        const sku = str(v.sku_name);
        const base = sku === 'Premium_AzureFrontDoor' ? P.frontDoorPremiumBase : sku === 'Standard_AzureFrontDoor' ? P.frontDoorBase : undefined;
        if (!base) {
          unknown(`SKU ${sku ?? '(unknown)'} is not in the price table`);
          break;
        }
        add('Blob Storage + CDN', `Front Door ${sku === 'Premium_AzureFrontDoor' ? 'Premium' : 'Standard'} base fee`, base.unitPrice, `$${base.unitPrice}/month`);
        add('Blob Storage + CDN', 'Front Door egress', cost(P.frontDoorEgress, FRONT_DOOR_EGRESS_GB), `${FRONT_DOOR_EGRESS_GB} GB × $${P.frontDoorEgress.unitPrice}/GB`);
        break;
      }
      case 'azurerm_cosmosdb_account': {
        const serverless = list(v.capabilities).some((c) => c.name === 'EnableServerless');
        if (!serverless) {
          unknown('provisioned throughput is not in the price table (serverless only)');
          break;
        }
        add('Cosmos DB', 'serverless request units', cost(P.cosmosRu, turns * COSMOS_RUS_PER_TURN), `${count(turns)} turns × ${COSMOS_RUS_PER_TURN} RU × $${P.cosmosRu.unitPrice}/1M RU`, 'usage');
        add('Cosmos DB', 'storage', cost(P.cosmosStorage, COSMOS_STORAGE_GB), `${COSMOS_STORAGE_GB} GB × $${P.cosmosStorage.unitPrice}/GB-month`);
        const backup = first(v.backup);
        if (str(backup.type) === 'Continuous') {
          const backupPrice = str(backup.tier) === 'Continuous7Days' ? P.cosmosBackup7Days : P.cosmosBackup;
          add('Cosmos DB', backupPrice.meter, cost(backupPrice, COSMOS_STORAGE_GB), `${COSMOS_STORAGE_GB} GB × $${backupPrice.unitPrice}/GB-month`);
        }
        break;
      }
      case 'azurerm_cognitive_deployment': {
        const model = str(first(v.model).name);
        const scaleType = str(first(v.scale).type) ?? str(first(v.sku).name) ?? 'Standard';
        if (/provisioned/i.test(scaleType)) {
          unknown(`${scaleType} deployments (PTUs) are not in the price table`);
          break;
        }
        const perTurn = (tokens: number) => turns * tokens * tokenScale;
        const tokenLine = (label: string, price: Price, tokens: number) =>
          add('Azure OpenAI', label, cost(price, perTurn(tokens)), `${count(turns)} turns × ${fmt(tokens * tokenScale)} tokens × $${price.unitPrice}/1M`, 'usage');
        if (model === 'gpt-4o-mini') {
          tokenLine('gpt-4o-mini input tokens (intent + critic)', P.gpt4oMiniInput, GPT4O_MINI_INPUT_TOKENS_PER_TURN);
          tokenLine('gpt-4o-mini output tokens (intent + critic)', P.gpt4oMiniOutput, GPT4O_MINI_OUTPUT_TOKENS_PER_TURN);
        } else if (model === 'gpt-4o') {
          tokenLine('gpt-4o input tokens (response)', P.gpt4oInput, GPT4O_INPUT_TOKENS_PER_TURN);
          tokenLine('gpt-4o output tokens (response)', P.gpt4oOutput, GPT4O_OUTPUT_TOKENS_PER_TURN);
        } else if (model === 'text-embedding-3-large') {
          tokenLine('text-embedding-3-large tokens (retrieval)', P.embeddingLarge, EMBEDDING_TOKENS_PER_TURN);
        } else {
          unknown(`model ${model ?? '(unknown)'} is not in the price table`);
        }
        break;
      }
      case 'azurerm_log_analytics_workspace': {
        const sku = str(v.sku) ?? 'PerGB2018';
        if (sku !== 'PerGB2018') {
          unknown(`SKU ${sku} is not in the price table (PerGB2018 only)`);
          break;
        }
        const billableBaseline = Math.max(0, TELEMETRY_BASELINE_GB - LOG_ANALYTICS_FREE_GB);
        const freeLeft = Math.max(0, LOG_ANALYTICS_FREE_GB - TELEMETRY_BASELINE_GB);
        const traceGb = (turns * TELEMETRY_KB_PER_TURN) / 1_048_576;
        add('Application Insights', 'logs + metrics ingestion (baseline)', cost(P.logAnalyticsIngestion, billableBaseline), `${TELEMETRY_BASELINE_GB} GB − ${LOG_ANALYTICS_FREE_GB} GB free × $${P.logAnalyticsIngestion.unitPrice}/GB`);
        add('Application Insights', 'trace ingestion (50 % sampling)', cost(P.logAnalyticsIngestion, Math.max(0, traceGb - freeLeft)), `${count(turns)} turns × ${TELEMETRY_KB_PER_TURN} KB × $${P.logAnalyticsIngestion.unitPrice}/GB`, 'usage');
        break;
      }
      case 'azurerm_monitor_scheduled_query_rules_alert_v2': {
        const minutes = isoMinutes(str(v.evaluation_frequency));
        const price = minutes === undefined || minutes >= 15 ? P.logAlertRule15m : minutes >= 10 ? P.logAlertRule10m : minutes >= 5 ? P.logAlertRule5m : P.logAlertRule1m;
        add('Application Insights', 'log search alert rule', price.unitPrice, `every ${str(v.evaluation_frequency) ?? 'PT15M'}: $${price.unitPrice}/rule-month`);
        break;
      }
      default:
        unknown(`resource type ${r.type} is not in mac's price table`);
    }
  }

  const priced = lines.filter((l) => l.status === 'priced');
  const services = SERVICES.map((service) => ({ service, monthlyUsd: round2(priced.filter((l) => l.service === service).reduce((s, l) => s + l.monthlyUsd, 0)) }));
  const totalUsd = round2(priced.reduce((s, l) => s + l.monthlyUsd, 0));
  const amount = env.budget.amount;
  const thresholds = budgetThresholds(env, totalUsd);

  if (unpriced.length) notes.push(`${unpriced.length} resource(s) could not be priced and are not in the total: ${unpriced.map((u) => `${u.address} (${u.type})`).join(', ')}.`);
  const gateway = priced.find((l) => l.type === 'azurerm_application_gateway' && l.line === 'WAF_v2 fixed');
  if (gateway)
    notes.push(
      `The WAF_v2 Application Gateway's fixed fee alone is $${gateway.monthlyUsd.toFixed(2)}/month, billed even when idle. Standard_v2 is $${(hours * P.appGatewayStandardV2Fixed.unitPrice).toFixed(2)}/month fixed (WAF then at Front Door), or no gateway (Front Door in front of the container groups).`,
    );
  notes.push(
    `Usage: ${count(conversationsPerMonth)} conversations × ${fmt(turnsPerConversation)} turns = ${count(turns)} turns a month, ${count(tokensPerConversation)} Azure OpenAI tokens per conversation (mac.yaml usage.*; --conversations-per-month overrides).`,
  );
  notes.push(`Prices are Azure list prices (East US, USD, pay-as-you-go) as of ${P.aciVcpuSecond.asOf}; re-check them against the pricing pages listed.`);

  return {
    month,
    hoursInMonth: hours,
    usage,
    resources: resources.length,
    lines,
    services,
    unpriced,
    totalUsd,
    budget: { amountUsd: amount, thresholds, percentOfBudget: round2((totalUsd / amount) * 100), exceeded: totalUsd > amount },
    prices: Object.values(PRICES),
    notes,
  };
}

/** `PT5M` → 5, `PT1H` → 60; undefined when not an ISO 8601 duration of minutes/hours. */
function isoMinutes(duration: string | undefined): number | undefined {
  const m = duration ? /^PT(?:(\d+)H)?(?:(\d+)M)?$/.exec(duration) : null;
  if (!m || (!m[1] && !m[2])) return undefined;
  return Number(m[1] ?? 0) * 60 + Number(m[2] ?? 0);
}

/** The priced lines, biggest first (aggregated per resource address). */
export function biggestLines(e: PlanEstimate, n = 3): { address: string; monthlyUsd: number }[] {
  const by = new Map<string, number>();
  for (const l of e.lines) if (l.status === 'priced') by.set(l.address, (by.get(l.address) ?? 0) + l.monthlyUsd);
  return [...by.entries()]
    .map(([address, monthlyUsd]) => ({ address, monthlyUsd: round2(monthlyUsd) }))
    .sort((a, b) => b.monthlyUsd - a.monthlyUsd || a.address.localeCompare(b.address))
    .slice(0, n);
}

/**
 * The cost gate: BudgetBreachedError (exit 5) when the projection exceeds the budget amount, naming the projection,
 * the budget and the biggest lines — unless the operator passed --over-budget-ok.
 */
export function checkBudget(e: PlanEstimate, o: { environment: string; command: string; overBudgetOk?: boolean }): void {
  if (!e.budget.exceeded || o.overBudgetOk) return;
  const $ = (n: number) => `$${n.toFixed(2)}`;
  const biggest = biggestLines(e)
    .map((l) => `${l.address} ${$(l.monthlyUsd)}`)
    .join(', ');
  throw new BudgetBreachedError(
    `The planned infrastructure of ${o.environment} is projected at ${$(e.totalUsd)}/month, over its ${$(e.budget.amountUsd)} budget (${e.budget.percentOfBudget}%). Biggest lines: ${biggest}. Nothing was applied.`,
    `See every line with: mac cost estimate -e ${o.environment}. Shrink the plan, raise budget.amount in mac.yaml, or run ${o.command} --over-budget-ok to apply anyway.`,
  );
}

/** What the gate needs of a TerraformStack (src/terraform/stack.ts) that has just planned. */
export interface PlannedStack {
  planFile: string;
  env: { name: string; config: EnvironmentConfig };
  tf: { showJson(planFile: string): Promise<unknown> };
}

/**
 * The gate on a stack's saved plan: prices it (the current month's hours), reports one line through `progress`, and
 * throws BudgetBreachedError when it is over budget without --over-budget-ok (the caller discards the plan).
 */
export async function gatePlan(stack: PlannedStack, o: { now: Date; command: string; overBudgetOk?: boolean; progress?: (message: string) => void }): Promise<PlanEstimate> {
  const estimate = estimatePlan({ plan: await stack.tf.showJson(stack.planFile), env: stack.env.config, month: o.now.toISOString().slice(0, 7) });
  o.progress?.(gateSummary(estimate, o.overBudgetOk));
  checkBudget(estimate, { environment: stack.env.name, command: o.command, overBudgetOk: o.overBudgetOk });
  return estimate;
}

/** One line for the operator after the gate passed. */
export function gateSummary(e: PlanEstimate, overBudgetOk?: boolean): string {
  const over = e.budget.exceeded ? (overBudgetOk ? ' — over budget, applying anyway (--over-budget-ok)' : ' — over budget') : '';
  const unpriced = e.unpriced.length ? `; ${e.unpriced.length} resource(s) unpriced` : '';
  return `cost gate: projected $${e.totalUsd.toFixed(2)}/month of the $${e.budget.amountUsd.toFixed(2)} budget (${e.budget.percentOfBudget}%)${unpriced}${over}`;
}
