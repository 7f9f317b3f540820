// The settings of one agent in a container (`main.js --agent <name>`): read from the environment the azure target
// gives each container group (src/targets/azure/target.ts), secrets among them as secure environment values. A
// missing or malformed setting is named with what was expected; a value is never quoted (it may be a secret).
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { WebhookSecrets } from './gateway/webhook-auth.js';
import { AZURE_OPENAI_API_VERSION, DEFAULT_RESPONSE_DEPLOYMENT, RESPONSE_STRATEGIES, type ResponseStrategy } from './response/strategy.js';
import { LANGUAGES, type Language } from './runtime/contracts.js';
import { DEPLOYED_AGENTS, type DeployedAgent } from './runtime/services.js';

export interface AgentSettings {
  agent: DeployedAgent;
  port: number;
  /** Where the gateway listens (intent-classifier): every interface by default, as a container must. */
  host: string;
  natsUrl: string;
  environment?: string;
  languages: Language[];
  policy?: Record<string, unknown>;
  /** The shop's data folder (shop.json, kb/); default: the demo shop shipped in the image. */
  dataDir: string;
  kbDir?: string;
  shopify?: { baseUrl: string; accessToken: string };
  zendesk?: { baseUrl: string; email: string; apiToken: string };
  ga4?: { measurementId: string; apiSecret: string };
  /** Signing secrets of the Shopify and Zendesk webhooks (intent-classifier, which hosts the gateway). */
  webhookSecrets?: WebhookSecrets;
  /** 32-byte key of the PII token vault (intent-classifier, which hosts the conversations). */
  piiVaultKey?: Buffer;
  /** Who writes the replies (response-generator-*): MAC_RESPONSE_STRATEGY, and AZURE_OPENAI_* for azure-openai. */
  response?: ResponseStrategy;
}

export class SettingsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SettingsError';
  }
}

/** The packaged demo shop: <package>/data/demo-shop, from dist/agents or src/agents alike. */
const PACKAGED_SHOP_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'data', 'demo-shop');

/** Which integrations each agent calls. */
const NEEDS: Partial<Record<DeployedAgent, ('shopify' | 'zendesk')[]>> = {
  'intent-classifier': ['shopify'],
  'knowledge-retrieval': ['shopify', 'zendesk'],
  'escalation-handler': ['zendesk'],
};

export function agentSettingsFromEnv(agent: string, env: NodeJS.ProcessEnv): AgentSettings {
  if (!(DEPLOYED_AGENTS as readonly string[]).includes(agent)) {
    throw new SettingsError(`--agent: no agent named "${agent}"; expected one of ${DEPLOYED_AGENTS.join(', ')}`);
  }
  const name = agent as DeployedAgent;
  if (env.AGENT_NAME && env.AGENT_NAME !== name) throw new SettingsError(`AGENT_NAME is "${env.AGENT_NAME}" but --agent is "${name}"; they must agree`);
  const transport = env.MAC_TRANSPORT ?? 'nats';
  if (transport !== 'nats') throw new SettingsError(`MAC_TRANSPORT: one agent per process needs "nats" (got "${transport}")`);
  const natsUrl = required(env, 'NATS_URL', 'the NATS server, e.g. nats://10.0.1.4:4222');
  if (!/^(nats|tls|wss?):\/\//.test(natsUrl.split(',')[0]!.trim())) throw new SettingsError('NATS_URL: expected a nats:// (or tls://) URL');

  const portText = env.PORT?.trim() || '8080';
  const port = Number(portText);
  // 0 (any free port) only when asked for explicitly: an empty PORT is not a wish for a random port.
  if (!/^\d+$/.test(portText) || port > 65535) throw new SettingsError('PORT: expected a port number 1-65535 (0: any free port)');
  const languages = (env.MAC_LANGUAGES ?? LANGUAGES.join(','))
    .split(',')
    .map((l) => l.trim())
    .filter(Boolean);
  const unknown = languages.filter((l) => !(LANGUAGES as readonly string[]).includes(l));
  if (languages.length === 0 || unknown.length > 0) throw new SettingsError(`MAC_LANGUAGES: expected a comma-separated list of ${LANGUAGES.join(', ')}`);

  let policy: Record<string, unknown> | undefined;
  if (env.MAC_SHOP_POLICY) {
    try {
      policy = JSON.parse(env.MAC_SHOP_POLICY) as Record<string, unknown>;
    } catch {
      throw new SettingsError('MAC_SHOP_POLICY: expected a JSON object of shop policy overrides');
    }
    if (!policy || typeof policy !== 'object' || Array.isArray(policy)) throw new SettingsError('MAC_SHOP_POLICY: expected a JSON object of shop policy overrides');
  }

  const settings: AgentSettings = {
    agent: name,
    port,
    host: env.HOST?.trim() || '0.0.0.0',
    natsUrl,
    environment: env.MAC_ENVIRONMENT,
    languages: languages as Language[],
    policy,
    dataDir: env.MAC_DATA_DIR ?? PACKAGED_SHOP_DIR,
    kbDir: env.MAC_KB_DIR,
  };
  const needs = NEEDS[name] ?? [];
  if (needs.includes('shopify')) {
    settings.shopify = {
      baseUrl: url(env, 'SHOPIFY_URL', "the shop's Shopify Admin URL, e.g. https://my-shop.myshopify.com"),
      accessToken: required(env, 'SHOPIFY_API_TOKEN', 'the Shopify Admin API token (Key Vault secret shopify-api-token)'),
    };
  }
  if (needs.includes('zendesk')) {
    settings.zendesk = {
      baseUrl: url(env, 'ZENDESK_URL', 'the Zendesk account URL, e.g. https://my-shop.zendesk.com'),
      email: required(env, 'ZENDESK_EMAIL', "the Zendesk agent's email the API token belongs to"),
      apiToken: required(env, 'ZENDESK_API_TOKEN', 'the Zendesk API token (Key Vault secret zendesk-api-token)'),
    };
  }
  if (name === 'analytics-processor' && env.GA4_MEASUREMENT_ID && env.GA4_API_SECRET) {
    settings.ga4 = { measurementId: env.GA4_MEASUREMENT_ID, apiSecret: env.GA4_API_SECRET };
  }
  if (name === 'intent-classifier') {
    settings.webhookSecrets = { shopify: env.SHOPIFY_WEBHOOK_SECRET?.trim() || undefined, zendesk: env.ZENDESK_WEBHOOK_SECRET?.trim() || undefined };
  }
  if (name === 'intent-classifier' && env.MAC_PII_VAULT_KEY) {
    if (!/^[0-9a-f]{64}$/i.test(env.MAC_PII_VAULT_KEY)) throw new SettingsError('MAC_PII_VAULT_KEY: expected 64 hex digits (a 32-byte key)');
    settings.piiVaultKey = Buffer.from(env.MAC_PII_VAULT_KEY, 'hex');
  }
  if (name.startsWith('response-generator-')) settings.response = responseStrategyFromEnv(env);
  return settings;
}

/**
 * MAC_RESPONSE_STRATEGY=offline (default) | azure-openai. azure-openai needs AZURE_OPENAI_ENDPOINT (the azure target
 * sets it from the Terraform output) and AZURE_OPENAI_API_KEY (the secure value of the Key Vault secret
 * azure-openai-api-key); AZURE_OPENAI_DEPLOYMENT defaults to gpt-4o-mini, AZURE_OPENAI_API_VERSION to the pinned
 * version; AZURE_OPENAI_INSIDE_PERIMETER=true sends PII as is (DESIGN §4: Azure OpenAI inside the perimeter is
 * exempt by config), otherwise it is tokenized before it leaves.
 */
export function responseStrategyFromEnv(env: NodeJS.ProcessEnv): ResponseStrategy {
  const kind = env.MAC_RESPONSE_STRATEGY?.trim() || 'offline';
  if (!(RESPONSE_STRATEGIES as readonly string[]).includes(kind)) {
    throw new SettingsError(`MAC_RESPONSE_STRATEGY: expected ${RESPONSE_STRATEGIES.map((s) => `"${s}"`).join(' or ')} (got "${kind}")`);
  }
  if (kind === 'offline') return { kind: 'offline' };
  const endpoint = required(env, 'AZURE_OPENAI_ENDPOINT', 'the Azure OpenAI endpoint, e.g. https://oai-mac-prod.openai.azure.com');
  if (!/^https:\/\/[^\s/]+/.test(endpoint)) throw new SettingsError('AZURE_OPENAI_ENDPOINT: expected an https:// URL such as https://oai-mac-prod.openai.azure.com (the API key goes with every request)');
  const apiKey = required(env, 'AZURE_OPENAI_API_KEY', 'the Azure OpenAI API key (Key Vault secret azure-openai-api-key)');
  const deployment = env.AZURE_OPENAI_DEPLOYMENT?.trim() || DEFAULT_RESPONSE_DEPLOYMENT;
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/.test(deployment)) throw new SettingsError('AZURE_OPENAI_DEPLOYMENT: expected a deployment name (letters, digits, ".", "_", "-"), e.g. gpt-4o-mini');
  const apiVersion = env.AZURE_OPENAI_API_VERSION?.trim() || AZURE_OPENAI_API_VERSION;
  if (!/^\d{4}-\d{2}-\d{2}(-preview)?$/.test(apiVersion)) throw new SettingsError(`AZURE_OPENAI_API_VERSION: expected a version such as ${AZURE_OPENAI_API_VERSION}`);
  const perimeter = (env.AZURE_OPENAI_INSIDE_PERIMETER?.trim() || 'false').toLowerCase();
  if (!['true', 'false', '1', '0', 'yes', 'no'].includes(perimeter)) throw new SettingsError('AZURE_OPENAI_INSIDE_PERIMETER: expected true or false');
  return {
    kind: 'azure-openai',
    endpoint: endpoint.replace(/\/+$/, ''),
    apiKey,
    deployment,
    apiVersion,
    insidePerimeter: ['true', '1', 'yes'].includes(perimeter),
  };
}

function required(env: NodeJS.ProcessEnv, name: string, what: string): string {
  const v = env[name]?.trim();
  if (!v) throw new SettingsError(`${name} is not set: expected ${what}`);
  return v;
}

function url(env: NodeJS.ProcessEnv, name: string, what: string): string {
  const v = required(env, name, what);
  if (!/^https?:\/\/[^\s/]+/.test(v)) throw new SettingsError(`${name}: expected ${what}`);
  return v.replace(/\/+$/, '');
}
