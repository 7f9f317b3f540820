// Azure list prices for what templates/terraform/phase4_prod creates: East US, USD, pay-as-you-go.
// These are LIST PRICES FROM THE PUBLISHED PRICING PAGES AS BEST KNOWN ON `asOf`; re-check them against each entry's
// `source` page before relying on them (both fields are printed in the report). No discounts, reservations or credits.

export const PRICES_AS_OF = '2026-11';

export interface Price {
  service: string;
  meter: string;
  unitPrice: number;
  unit: string;
  source: string;
  asOf: string;
}

const ACI = 'https://azure.microsoft.com/en-us/pricing/details/container-instances/';
const AOAI = 'https://azure.microsoft.com/en-us/pricing/details/cognitive-services/openai-service/';
const COSMOS = 'https://azure.microsoft.com/en-us/pricing/details/cosmos-db/serverless/';
const KV = 'https://azure.microsoft.com/en-us/pricing/details/key-vault/';
const BLOB = 'https://azure.microsoft.com/en-us/pricing/details/storage/blobs/';
const AFD = 'https://azure.microsoft.com/en-us/pricing/details/frontdoor/';
const MONITOR = 'https://azure.microsoft.com/en-us/pricing/details/monitor/';
const PRIVATE_LINK = 'https://azure.microsoft.com/en-us/pricing/details/private-link/';
const APPGW = 'https://azure.microsoft.com/en-us/pricing/details/application-gateway/';
const IP = 'https://azure.microsoft.com/en-us/pricing/details/ip-addresses/';
const VNET = 'https://azure.microsoft.com/en-us/pricing/details/virtual-network/';
const DNS = 'https://azure.microsoft.com/en-us/pricing/details/dns/';
const FILES = 'https://azure.microsoft.com/en-us/pricing/details/storage/files/';

const p = (service: string, meter: string, unitPrice: number, unit: string, source: string): Price => ({ service, meter, unitPrice, unit, source, asOf: PRICES_AS_OF });

/** The price table, keyed by a stable id the estimate refers to. */
export const PRICES = {
  aciVcpuSecond: p('Container Instances', 'Linux vCPU duration', 0.0000135, 'vCPU-second', ACI),
  aciGbSecond: p('Container Instances', 'Linux memory duration', 0.0000015, 'GB-second', ACI),
  gpt4oMiniInput: p('Azure OpenAI', 'gpt-4o-mini input tokens', 0.15, '1M tokens', AOAI),
  gpt4oMiniOutput: p('Azure OpenAI', 'gpt-4o-mini output tokens', 0.6, '1M tokens', AOAI),
  gpt4oInput: p('Azure OpenAI', 'gpt-4o input tokens', 2.5, '1M tokens', AOAI),
  gpt4oOutput: p('Azure OpenAI', 'gpt-4o output tokens', 10, '1M tokens', AOAI),
  embeddingLarge: p('Azure OpenAI', 'text-embedding-3-large tokens', 0.13, '1M tokens', AOAI),
  cosmosRu: p('Cosmos DB', 'serverless request units', 0.25, '1M RUs', COSMOS),
  cosmosStorage: p('Cosmos DB', 'transactional storage', 0.25, 'GB-month', COSMOS),
  cosmosBackup: p('Cosmos DB', 'continuous backup (30-day)', 0.2, 'GB-month', COSMOS),
  keyVaultOps: p('Key Vault', 'standard secret operations', 0.03, '10K operations', KV),
  blobHotLrs: p('Blob Storage + CDN', 'hot LRS block blob capacity', 0.018, 'GB-month', BLOB),
  frontDoorBase: p('Blob Storage + CDN', 'Front Door Standard base fee', 35, 'month', AFD),
  frontDoorEgress: p('Blob Storage + CDN', 'Front Door data transfer to client (North America)', 0.083, 'GB', AFD),
  logAnalyticsIngestion: p('Application Insights', 'Log Analytics analytics-logs ingestion (first 5 GB/month free)', 2.3, 'GB', MONITOR),
  appInsightsIngestion: p('Application Insights', 'workspace-based ingestion (billed as Log Analytics, not twice)', 0, 'GB', MONITOR),
  vnet: p('Networking', 'virtual network', 0, 'month', VNET),
  privateEndpointHour: p('Networking', 'private endpoint', 0.01, 'endpoint-hour', PRIVATE_LINK),
  appGatewayWafV2Fixed: p('Networking', 'Application Gateway WAF_v2 fixed', 0.443, 'gateway-hour', APPGW),
  appGatewayWafV2Capacity: p('Networking', 'Application Gateway WAF_v2 capacity unit', 0.0144, 'CU-hour', APPGW),
  appGatewayStandardV2Fixed: p('Networking', 'Application Gateway Standard_v2 fixed (alternative)', 0.246, 'gateway-hour', APPGW),
  appGatewayV2Capacity: p('Networking', 'Application Gateway Standard_v2 capacity unit', 0.008, 'CU-hour', APPGW),
  publicIpHour: p('Networking', 'standard static public IP', 0.005, 'IP-hour', IP),
  privateDnsZone: p('Networking', 'private DNS zone (first 25 zones; queries ~$0.40/1M are negligible here)', 0.5, 'zone-month', DNS),
  // Priced by mac cost estimate (the plan's resources) beyond the local report's lines:
  frontDoorPremiumBase: p('Blob Storage + CDN', 'Front Door Premium base fee', 330, 'month', AFD),
  cosmosBackup7Days: p('Cosmos DB', 'continuous backup (7-day)', 0, 'GB-month', COSMOS),
  keyVaultCertificateRenewal: p('Key Vault', 'certificate renewal request', 3, 'renewal', KV),
  logAlertRule1m: p('Application Insights', 'log search alert rule, 1-minute frequency', 3, 'rule-month', MONITOR),
  logAlertRule5m: p('Application Insights', 'log search alert rule, 5-minute frequency', 1.5, 'rule-month', MONITOR),
  logAlertRule10m: p('Application Insights', 'log search alert rule, 10-minute frequency', 1, 'rule-month', MONITOR),
  logAlertRule15m: p('Application Insights', 'log search alert rule, 15-minute (or slower) frequency', 0.5, 'rule-month', MONITOR),
  filesTransactionOptimizedLrs: p('NATS JetStream', 'Azure Files standard transaction-optimized LRS (the JetStream share)', 0.06, 'GB-month', FILES),
  nats: p('NATS JetStream', 'runs in a container group (counted under Container Instances)', 0, 'month', ACI),
} as const satisfies Record<string, Price>;

export type PriceId = keyof typeof PRICES;

/** The seed's budget rows (deployment guide, Cost Management), in its order. */
export const SERVICES = [
  'Container Instances',
  'Azure OpenAI',
  'Cosmos DB',
  'Key Vault',
  'Blob Storage + CDN',
  'Application Insights',
  'Networking',
  'NATS JetStream',
] as const;
export type Service = (typeof SERVICES)[number];
