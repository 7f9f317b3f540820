// The mac.yaml schema. One zod schema is the single source of truth for validation, defaults and types.
import { z } from 'zod';

export const AGENT_NAMES = [
  'intent-classifier',
  'knowledge-retrieval',
  'response-generator-en',
  'response-generator-fr',
  'response-generator-es',
  'escalation-handler',
  'analytics-processor',
  'critic-supervisor',
] as const;
export type AgentName = (typeof AGENT_NAMES)[number];

export const LANGUAGES = ['en', 'fr', 'es'] as const;

const uuid = z.string().regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i, {
  message: 'expected a subscription id in GUID form (00000000-0000-0000-0000-000000000000)',
});
const email = z.email({ message: 'expected an email address' });
const httpsUrl = z.url({ protocol: /^https$/, message: 'expected an https:// URL' });
const envName = z.string().regex(/^[a-z][a-z0-9-]{0,23}$/, {
  message: 'expected a lowercase name of letters, digits and dashes, starting with a letter (max 24)',
});

const budgetSchema = z
  .strictObject({
    amount: z.number().positive().default(360),
    thresholds: z
      .array(z.number().gt(0, 'a threshold is a fraction above 0').max(1, 'a threshold is a fraction up to 1'))
      .min(1)
      .default([0.83, 0.93]),
    contactEmails: z.array(email).default([]),
  })
  .prefault({});

/** Workload assumptions for `mac cost estimate` and the pre-apply cost gate (no traces exist before a deploy). */
const usageSchema = z
  .strictObject({
    conversationsPerMonth: z.number().nonnegative().default(3000).describe('conversations a month the projection assumes (default 3000, ~100 a day)'),
    turnsPerConversation: z.number().positive().default(3).describe('messages per conversation (default 3)'),
    tokensPerConversation: z
      .number()
      .positive()
      .optional()
      .describe('Azure OpenAI tokens per conversation, all models; default: turnsPerConversation × 1,150 (the cost report per-turn mix)'),
  })
  .prefault({});

const resourcesSchema = z.strictObject({
  cpu: z.number().positive().max(4, 'Container Instances allow at most 4 vCPU per container'),
  memory: z.number().positive().max(16, 'expected memory in GB, at most 16'),
});

const agentsSchema = z
  .partialRecord(z.enum(AGENT_NAMES, { message: `expected one of: ${AGENT_NAMES.join(', ')}` }), resourcesSchema)
  .default({});

const cloudSchema = z
  .strictObject({
    armEndpoint: httpsUrl.default('https://management.azure.com'),
    authorityHost: httpsUrl.default('https://login.microsoftonline.com'),
    keyVaultDnsSuffix: z.string().min(1).default('vault.azure.net'),
  })
  .prefault({});

const imagesSchema = z
  .strictObject({
    registry: z.string().min(1).optional(),
    tag: z.string().min(1).default('latest'),
  })
  .prefault({});

const loyaltySchema = z.strictObject({
  pointsPerDollar: z.number().nonnegative(),
  redeemPoints: z.number().int().positive(),
  redeemValue: z.number().positive(),
  tiers: z.array(z.strictObject({ name: z.string().min(1), minPoints: z.number().int().nonnegative() })).min(1),
});

/** Shop policy overrides; unset keys come from the data folder's shop.json. */
export const policySchema = z.strictObject({
  returnWindowDays: z.number().int().positive().optional(),
  autoApproveReturnLimit: z.number().nonnegative().optional(),
  freeShippingThreshold: z.number().nonnegative().optional(),
  loyalty: loyaltySchema.optional(),
  giftCards: z.strictObject({ min: z.number().positive(), max: z.number().positive() }).optional(),
});

const shopSchema = z
  .strictObject({
    data: z.string().min(1).optional().describe('data folder in the documented layout; default: the demo shop'),
    kb: z.string().min(1).optional().describe('knowledge-base folder; default: <data>/kb'),
    policy: policySchema.default({}),
  })
  .prefault({});

const baseEnvironment = {
  languages: z.array(z.enum(LANGUAGES, { message: 'expected one of: en, fr, es' })).min(1).default(['en', 'fr', 'es']),
  budget: budgetSchema,
  usage: usageSchema,
  agents: agentsSchema,
  shop: shopSchema,
  production: z.boolean().default(false),
};

const localEnvironment = z.strictObject({
  target: z.literal('local'),
  ...baseEnvironment,
  port: z.number().int().min(0, 'expected a port 1-65535, or 0 for any free port').max(65535).default(8080),
  backups: z
    .strictObject({
      intervalSeconds: z.number().positive().default(60).describe('how often the running platform snapshots its database'),
      keep: z.number().int().min(1).default(10).describe('how many snapshots to keep'),
    })
    .prefault({}),
});

const azureEnvironment = z.strictObject({
  target: z.literal('azure'),
  ...baseEnvironment,
  subscription: uuid,
  region: z.string().min(1).default('eastus'),
  resourceGroup: z.string().min(1).default('multi-agent-rg'),
  namePrefix: z
    .string()
    .regex(/^[a-z][a-z0-9]{1,11}$/, { message: 'expected 2-12 lowercase letters/digits (used in Azure resource names)' })
    .default('multiagent'),
  terraformDir: z.string().min(1).default('terraform/phase4_prod'),
  keyVaultUrl: httpsUrl.optional().describe("the environment's Key Vault; default: Terraform's key_vault_uri output, saved by mac infra apply"),
  gatewayUrl: z
    .url({ protocol: /^https?$/, message: 'expected an http:// or https:// URL' })
    .optional()
    .describe("where the platform's gateway answers (health, readiness, smoke); default: https://<app_gateway_public_ip output>"),
  images: imagesSchema,
  cloud: cloudSchema,
  responseStrategy: z
    .enum(['offline', 'azure-openai'], { message: 'expected offline or azure-openai' })
    .default('offline')
    .describe('how the response generators write replies: offline templates, or Azure OpenAI (PII tokenised before it leaves)'),
  responseModel: z.enum(['gpt-4o-mini', 'gpt-4o'], { message: 'expected gpt-4o-mini or gpt-4o' }).default('gpt-4o').describe('the Azure OpenAI model of the azure-openai strategy'),
  integrations: z
    .strictObject({
      shopifyUrl: httpsUrl.describe("the shop's Shopify Admin URL, e.g. https://my-shop.myshopify.com"),
      zendeskUrl: httpsUrl.describe('the Zendesk account URL, e.g. https://my-shop.zendesk.com'),
      zendeskEmail: email.describe("the Zendesk agent's email the API token belongs to"),
    })
    .optional()
    .describe('where the agents reach Shopify and Zendesk (their tokens live in Key Vault)'),
});

export const environmentSchema = z.discriminatedUnion('target', [localEnvironment, azureEnvironment], {
  error: (issue) => (issue.code === 'invalid_union' ? 'expected target: local or azure' : undefined),
});

export const configSchema = z
  .strictObject({
    version: z.literal(1, { message: 'expected version: 1' }).default(1),
    defaultEnvironment: envName.optional(),
    environments: z.record(envName, environmentSchema).default({}),
  })
  .superRefine((cfg, ctx) => {
    const name = cfg.defaultEnvironment;
    if (name && name !== 'local' && !(name in cfg.environments)) {
      ctx.addIssue({ code: 'custom', path: ['defaultEnvironment'], message: `no environment named "${name}" under environments` });
    }
  });

export type MacConfig = z.output<typeof configSchema>;
export type EnvironmentConfig = z.output<typeof environmentSchema>;
export type LocalEnvironmentConfig = z.output<typeof localEnvironment>;
export type AzureEnvironmentConfig = z.output<typeof azureEnvironment>;
export type ShopPolicyOverrides = z.output<typeof policySchema>;
