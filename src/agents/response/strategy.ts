// Which strategy writes the response generator's replies, and its settings: plain data, so that the settings of a
// container (container-settings.ts) can name them without loading the composers or the SDK.

export const RESPONSE_STRATEGIES = ['offline', 'azure-openai'] as const;
export type ResponseStrategyName = (typeof RESPONSE_STRATEGIES)[number];

/** The data-plane API version the requests carry (GA; chat completions with content-filter results). */
export const AZURE_OPENAI_API_VERSION = '2024-10-21';
export const DEFAULT_RESPONSE_DEPLOYMENT = 'gpt-4o-mini';

export interface AzureOpenAIResponseConfig {
  /** The resource endpoint, e.g. https://oai-mac-prod.openai.azure.com (no /openai suffix). */
  endpoint: string;
  apiKey: string;
  /** Model deployment name (default gpt-4o-mini). */
  deployment?: string;
  /** Data-plane api-version (default AZURE_OPENAI_API_VERSION). */
  apiVersion?: string;
  /** The endpoint is inside the security perimeter (DESIGN §4): the context is sent as it is, PII not tokenized. */
  insidePerimeter?: boolean;
  /** Time budget of one reply, retries included (default 8 s); past it the offline reply is sent. */
  budgetMs?: number;
  /** Retries of a 408/409/429/5xx or a connection error by the SDK (default 2), within the budget. */
  maxRetries?: number;
}

/** Who writes the replies, with its settings. */
export type ResponseStrategy = { kind: 'offline' } | ({ kind: 'azure-openai' } & AzureOpenAIResponseConfig);

/** One line for the logs: the strategy and where it sends text (never the key). */
export function describeResponseStrategy(s: ResponseStrategy | undefined): string {
  if (!s || s.kind === 'offline') return 'offline (shipped templates, no network)';
  let host = 'an invalid endpoint';
  try {
    host = new URL(s.endpoint).host;
  } catch {
    // named as invalid
  }
  return `azure-openai (deployment ${s.deployment ?? DEFAULT_RESPONSE_DEPLOYMENT} on ${host}; ${s.insidePerimeter ? 'inside the perimeter: PII sent as is' : 'PII tokenized'})`;
}
