// The projected monthly Azure cost of one environment's configuration: fixed lines from the price table for the
// resources templates/terraform/phase4_prod creates, and usage lines from the month's traces (conversations, turns).
import { AGENT_NAMES, type EnvironmentConfig } from '../config/schema.js';
import { defaultAgentResources } from '../terraform/tfvars.js';
import { conversations, type SpanRecord } from '../traces/read.js';
import { PRICES, SERVICES, type Price, type Service } from './prices.js';

// ---- Assumptions (the azure-openai strategy; the local offline strategy spends 0 tokens) ----
/** Intent classification + critic validation on gpt-4o-mini: ~600 tokens per turn. */
export const GPT4O_MINI_INPUT_TOKENS_PER_TURN = 500;
export const GPT4O_MINI_OUTPUT_TOKENS_PER_TURN = 100;
/** Response generation on gpt-4o: ~500 tokens per turn. */
export const GPT4O_INPUT_TOKENS_PER_TURN = 350;
export const GPT4O_OUTPUT_TOKENS_PER_TURN = 150;
/** Embedding the query for knowledge retrieval (text-embedding-3-large). */
export const EMBEDDING_TOKENS_PER_TURN = 50;
/** Cosmos DB: vector search + session read/write per turn. */
export const COSMOS_RUS_PER_TURN = 40;
export const COSMOS_STORAGE_GB = 10;
/** Key Vault: PII tokenize/detokenize per turn, plus secret reads by the container groups (hourly refresh). */
export const KEY_VAULT_OPS_PER_TURN = 4;
export const KEY_VAULT_OPS_PER_CONTAINER_HOUR = 1;
export const BLOB_STORAGE_GB = 20;
export const FRONT_DOOR_EGRESS_GB = 20;
/** Telemetry: container logs + metrics baseline, and traces per turn after 50 % sampling. */
export const TELEMETRY_BASELINE_GB = 18;
export const TELEMETRY_KB_PER_TURN = 10;
export const LOG_ANALYTICS_FREE_GB = 5;
/** The templates: 3 private endpoints (Cosmos, Key Vault, Storage), 1 public IP, 1 WAF_v2 gateway (autoscale 0–2). */
export const PRIVATE_ENDPOINTS = 3;
export const PUBLIC_IPS = 1;
export const APP_GATEWAY_AVG_CAPACITY_UNITS = 1;
/** NATS container group (variables nats_cpu / nats_memory defaults). */
export const NATS_RESOURCES = { cpu: 0.5, memory: 1 };
/** Turns per conversation when no traces say otherwise (with --conversations-per-month). */
export const DEFAULT_TURNS_PER_CONVERSATION = 3;

export interface CostLine {
  service: Service;
  line: string;
  monthlyUsd: number;
  basis: string;
  kind: 'fixed' | 'usage';
}

export interface ServiceTotal {
  service: Service;
  monthlyUsd: number;
}

export interface ThresholdVerdict {
  fraction: number;
  percent: number;
  amountUsd: number;
  fires: boolean;
}

export interface Usage {
  /** Distinct conversations and turns seen in the month's traces. */
  observedConversations: number;
  observedTurns: number;
  /** Full month divided by the part of the month the traces cover (1 for a past month). */
  extrapolationFactor: number;
  conversationsPerMonth: number;
  turnsPerMonth: number;
  source: 'traces' | 'flag';
}

export interface CostEstimate {
  month: string;
  hoursInMonth: number;
  actualSpendUsd: number;
  usage: Usage;
  lines: CostLine[];
  services: ServiceTotal[];
  totalUsd: number;
  costPerConversationUsd: number | null;
  costPerTurnUsd: number | null;
  budget: { amountUsd: number; thresholds: ThresholdVerdict[]; percentOfBudget: number };
  prices: Price[];
  notes: string[];
}

export interface EstimateInput {
  env: EnvironmentConfig;
  spans: SpanRecord[];
  /** YYYY-MM */
  month: string;
  now: Date;
  conversationsPerMonth?: number;
}

const HOUR_MS = 3_600_000;

export function monthBounds(month: string): { start: Date; end: Date } {
  const [y, m] = month.split('-').map(Number) as [number, number];
  return { start: new Date(Date.UTC(y, m - 1, 1)), end: new Date(Date.UTC(y, m, 1)) };
}

/** Cost of `quantity` units of a price; unit prices "per 1M" / "per 10K" are handled by the divisor. */
function cost(price: Price, quantity: number): number {
  const divisor = price.unit.startsWith('1M') ? 1_000_000 : price.unit.startsWith('10K') ? 10_000 : 1;
  return (quantity / divisor) * price.unitPrice;
}

const round2 = (n: number) => Math.round(n * 100) / 100;

/** Which of the budget's alert thresholds a monthly total reaches. */
export function budgetThresholds(env: Pick<EnvironmentConfig, 'budget'>, totalUsd: number): ThresholdVerdict[] {
  const amount = env.budget.amount;
  return env.budget.thresholds.map((fraction) => ({
    fraction,
    percent: round2(fraction * 100),
    amountUsd: round2(amount * fraction),
    fires: totalUsd >= amount * fraction,
  }));
}

export function estimateCost(input: EstimateInput): CostEstimate {
  const { env, month, now } = input;
  const { start, end } = monthBounds(month);
  const monthMs = end.getTime() - start.getTime();
  const hours = monthMs / HOUR_MS;
  const seconds = hours * 3600;
  const notes: string[] = [];

  // ---- usage from the traces of the month ----
  const inMonth = (iso: string) => iso >= start.toISOString() && iso < end.toISOString();
  const monthSpans = input.spans.filter((s) => typeof s.start === 'string' && inMonth(s.start));
  const convs = conversations(monthSpans)
    .map((c) => ({ ...c, turns: c.turns.filter((t) => inMonth(t.start)) }))
    .filter((c) => c.turns.length > 0);
  const observedConversations = convs.length;
  const observedTurns = convs.reduce((n, c) => n + c.turns.length, 0);
  const actualSpendUsd = monthSpans.reduce((sum, s) => sum + (Number.isFinite(s.cost_usd) ? s.cost_usd : 0), 0);
  const coveredMs = Math.min(Math.max(now.getTime(), start.getTime()), end.getTime()) - start.getTime();
  const extrapolationFactor = coveredMs >= monthMs ? 1 : monthMs / Math.max(coveredMs, HOUR_MS);
  let usage: Usage;
  if (input.conversationsPerMonth !== undefined) {
    const perConv = observedConversations > 0 ? observedTurns / observedConversations : DEFAULT_TURNS_PER_CONVERSATION;
    usage = {
      observedConversations,
      observedTurns,
      extrapolationFactor: 1,
      conversationsPerMonth: input.conversationsPerMonth,
      turnsPerMonth: input.conversationsPerMonth * perConv,
      source: 'flag',
    };
    notes.push(
      `Usage from --conversations-per-month ${input.conversationsPerMonth} at ${perConv.toFixed(2)} turns per conversation (${observedConversations > 0 ? 'observed in the traces' : 'assumed'}).`,
    );
  } else {
    usage = {
      observedConversations,
      observedTurns,
      extrapolationFactor,
      conversationsPerMonth: observedConversations * extrapolationFactor,
      turnsPerMonth: observedTurns * extrapolationFactor,
      source: 'traces',
    };
    if (observedTurns === 0) notes.push(`No traces for ${month}: usage lines are $0. Run the platform (mac dev), or pass --conversations-per-month N.`);
    else if (extrapolationFactor !== 1)
      notes.push(`${month} is in progress: ${observedConversations} conversation(s) / ${observedTurns} turn(s) so far, extrapolated ×${extrapolationFactor.toFixed(2)} to the full month.`);
  }
  const turns = usage.turnsPerMonth;

  // ---- lines ----
  const lines: CostLine[] = [];
  const add = (service: Service, line: string, monthlyUsd: number, basis: string, kind: CostLine['kind']) =>
    lines.push({ service, line, monthlyUsd: round2(monthlyUsd), basis, kind });

  const agents = AGENT_NAMES.map((a) => ({ name: a, ...(env.agents[a] ?? defaultAgentResources(a)) }));
  const vcpu = agents.reduce((s, a) => s + a.cpu, 0);
  const memory = agents.reduce((s, a) => s + a.memory, 0);
  const P = PRICES;
  add('Container Instances', `${agents.length} agent container groups, vCPU`, cost(P.aciVcpuSecond, vcpu * seconds), `${vcpu} vCPU × ${hours} h × $${P.aciVcpuSecond.unitPrice}/vCPU-s`, 'fixed');
  add('Container Instances', `${agents.length} agent container groups, memory`, cost(P.aciGbSecond, memory * seconds), `${memory} GB × ${hours} h × $${P.aciGbSecond.unitPrice}/GB-s`, 'fixed');
  add('Container Instances', 'NATS container group', cost(P.aciVcpuSecond, NATS_RESOURCES.cpu * seconds) + cost(P.aciGbSecond, NATS_RESOURCES.memory * seconds), `${NATS_RESOURCES.cpu} vCPU + ${NATS_RESOURCES.memory} GB × ${hours} h`, 'fixed');

  const tok = (n: number) => Math.round(n).toLocaleString('en-US');
  add('Azure OpenAI', 'gpt-4o-mini input (intent + critic)', cost(P.gpt4oMiniInput, turns * GPT4O_MINI_INPUT_TOKENS_PER_TURN), `${tok(turns)} turns × ${GPT4O_MINI_INPUT_TOKENS_PER_TURN} tokens × $${P.gpt4oMiniInput.unitPrice}/1M`, 'usage');
  add('Azure OpenAI', 'gpt-4o-mini output (intent + critic)', cost(P.gpt4oMiniOutput, turns * GPT4O_MINI_OUTPUT_TOKENS_PER_TURN), `${tok(turns)} turns × ${GPT4O_MINI_OUTPUT_TOKENS_PER_TURN} tokens × $${P.gpt4oMiniOutput.unitPrice}/1M`, 'usage');
  add('Azure OpenAI', 'gpt-4o input (response)', cost(P.gpt4oInput, turns * GPT4O_INPUT_TOKENS_PER_TURN), `${tok(turns)} turns × ${GPT4O_INPUT_TOKENS_PER_TURN} tokens × $${P.gpt4oInput.unitPrice}/1M`, 'usage');
  add('Azure OpenAI', 'gpt-4o output (response)', cost(P.gpt4oOutput, turns * GPT4O_OUTPUT_TOKENS_PER_TURN), `${tok(turns)} turns × ${GPT4O_OUTPUT_TOKENS_PER_TURN} tokens × $${P.gpt4oOutput.unitPrice}/1M`, 'usage');
  add('Azure OpenAI', 'text-embedding-3-large (retrieval)', cost(P.embeddingLarge, turns * EMBEDDING_TOKENS_PER_TURN), `${tok(turns)} turns × ${EMBEDDING_TOKENS_PER_TURN} tokens × $${P.embeddingLarge.unitPrice}/1M`, 'usage');

  add('Cosmos DB', 'serverless request units', cost(P.cosmosRu, turns * COSMOS_RUS_PER_TURN), `${tok(turns)} turns × ${COSMOS_RUS_PER_TURN} RU × $${P.cosmosRu.unitPrice}/1M RU`, 'usage');
  add('Cosmos DB', 'storage', cost(P.cosmosStorage, COSMOS_STORAGE_GB), `${COSMOS_STORAGE_GB} GB × $${P.cosmosStorage.unitPrice}/GB-month`, 'fixed');
  add('Cosmos DB', 'continuous backup', cost(P.cosmosBackup, COSMOS_STORAGE_GB), `${COSMOS_STORAGE_GB} GB × $${P.cosmosBackup.unitPrice}/GB-month`, 'fixed');

  const containerGroups = agents.length + 1;
  add('Key Vault', 'secret reads by container groups', cost(P.keyVaultOps, containerGroups * hours * KEY_VAULT_OPS_PER_CONTAINER_HOUR), `${containerGroups} groups × ${hours} h × ${KEY_VAULT_OPS_PER_CONTAINER_HOUR} op × $${P.keyVaultOps.unitPrice}/10K`, 'fixed');
  add('Key Vault', 'PII tokenization operations', cost(P.keyVaultOps, turns * KEY_VAULT_OPS_PER_TURN), `${tok(turns)} turns × ${KEY_VAULT_OPS_PER_TURN} ops × $${P.keyVaultOps.unitPrice}/10K`, 'usage');

  add('Blob Storage + CDN', 'hot LRS blob storage', cost(P.blobHotLrs, BLOB_STORAGE_GB), `${BLOB_STORAGE_GB} GB × $${P.blobHotLrs.unitPrice}/GB-month`, 'fixed');
  add('Blob Storage + CDN', 'Front Door Standard base fee', P.frontDoorBase.unitPrice, `$${P.frontDoorBase.unitPrice}/month`, 'fixed');
  add('Blob Storage + CDN', 'Front Door egress', cost(P.frontDoorEgress, FRONT_DOOR_EGRESS_GB), `${FRONT_DOOR_EGRESS_GB} GB × $${P.frontDoorEgress.unitPrice}/GB`, 'fixed');

  const telemetryTurnGb = (turns * TELEMETRY_KB_PER_TURN) / 1_048_576;
  const billableBaseline = Math.max(0, TELEMETRY_BASELINE_GB - LOG_ANALYTICS_FREE_GB);
  const freeLeft = Math.max(0, LOG_ANALYTICS_FREE_GB - TELEMETRY_BASELINE_GB);
  add('Application Insights', 'logs + metrics ingestion (baseline)', cost(P.logAnalyticsIngestion, billableBaseline), `${TELEMETRY_BASELINE_GB} GB − ${LOG_ANALYTICS_FREE_GB} GB free × $${P.logAnalyticsIngestion.unitPrice}/GB`, 'fixed');
  add('Application Insights', 'trace ingestion (50 % sampling)', cost(P.logAnalyticsIngestion, Math.max(0, telemetryTurnGb - freeLeft)), `${tok(turns)} turns × ${TELEMETRY_KB_PER_TURN} KB × $${P.logAnalyticsIngestion.unitPrice}/GB`, 'usage');

  add('Networking', 'virtual network + subnets', 0, 'free', 'fixed');
  add('Networking', `${PRIVATE_ENDPOINTS} private endpoints`, PRIVATE_ENDPOINTS * hours * P.privateEndpointHour.unitPrice, `${PRIVATE_ENDPOINTS} × ${hours} h × $${P.privateEndpointHour.unitPrice}/h`, 'fixed');
  add('Networking', 'Application Gateway WAF_v2 fixed', hours * P.appGatewayWafV2Fixed.unitPrice, `${hours} h × $${P.appGatewayWafV2Fixed.unitPrice}/h`, 'fixed');
  add('Networking', 'Application Gateway capacity units', APP_GATEWAY_AVG_CAPACITY_UNITS * hours * P.appGatewayWafV2Capacity.unitPrice, `${APP_GATEWAY_AVG_CAPACITY_UNITS} CU avg × ${hours} h × $${P.appGatewayWafV2Capacity.unitPrice}/CU-h`, 'fixed');
  add('Networking', `${PUBLIC_IPS} public IP`, PUBLIC_IPS * hours * P.publicIpHour.unitPrice, `${PUBLIC_IPS} × ${hours} h × $${P.publicIpHour.unitPrice}/h`, 'fixed');

  add('NATS JetStream', 'JetStream server', 0, 'counted under Container Instances', 'fixed');

  // ---- totals ----
  const services = SERVICES.map((service) => ({ service, monthlyUsd: round2(lines.filter((l) => l.service === service).reduce((s, l) => s + l.monthlyUsd, 0)) }));
  const totalUsd = round2(lines.reduce((s, l) => s + l.monthlyUsd, 0));
  const amount = env.budget.amount;
  const thresholds = budgetThresholds(env, totalUsd);

  const waf = lines.find((l) => l.line === 'Application Gateway WAF_v2 fixed')?.monthlyUsd ?? 0;
  notes.push(
    `Application Gateway WAF_v2 alone is $${waf.toFixed(2)}/month (fixed fee, billed even when idle) — more than the seed's whole networking line ($40–50). Use Standard_v2 ($${(hours * P.appGatewayStandardV2Fixed.unitPrice).toFixed(2)}/month fixed, WAF via Front Door) or no gateway (Front Door in front of the container groups).`,
  );
  const aci = services.find((s) => s.service === 'Container Instances')?.monthlyUsd ?? 0;
  if (aci > 40)
    notes.push(`Container Instances at $${aci.toFixed(2)} exceed the seed's $30–40: ${vcpu + NATS_RESOURCES.cpu} vCPU run ${hours} h. Lower agents.<name>.cpu/memory in mac.yaml, or stop groups off-hours (the seed assumes auto-shutdown 2–6 AM).`);
  notes.push(
    `Token assumptions (azure-openai strategy): intent + critic on gpt-4o-mini ${GPT4O_MINI_INPUT_TOKENS_PER_TURN + GPT4O_MINI_OUTPUT_TOKENS_PER_TURN} tokens/turn, response on gpt-4o ${GPT4O_INPUT_TOKENS_PER_TURN + GPT4O_OUTPUT_TOKENS_PER_TURN} tokens/turn, embeddings ${EMBEDDING_TOKENS_PER_TURN} tokens/turn; Cosmos ${COSMOS_RUS_PER_TURN} RU/turn. The local offline strategy spends 0 tokens.`,
  );
  notes.push(`Prices are Azure list prices (East US, USD, pay-as-you-go) as of ${P.aciVcpuSecond.asOf}; re-check them against the pricing pages listed.`);
  if (env.target === 'local') notes.push(`Actual spend of this local environment: $${actualSpendUsd.toFixed(2)} (cost_usd from the traces; local runs cost nothing in Azure).`);

  return {
    month,
    hoursInMonth: hours,
    actualSpendUsd,
    usage,
    lines,
    services,
    totalUsd,
    costPerConversationUsd: usage.conversationsPerMonth > 0 ? totalUsd / usage.conversationsPerMonth : null,
    costPerTurnUsd: turns > 0 ? totalUsd / turns : null,
    budget: { amountUsd: amount, thresholds, percentOfBudget: round2((totalUsd / amount) * 100) },
    prices: Object.values(PRICES),
    notes,
  };
}
