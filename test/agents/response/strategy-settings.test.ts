// Choosing the response generator's strategy in a container: MAC_RESPONSE_STRATEGY and the AZURE_OPENAI_* settings.
import { describe, expect, it } from 'vitest';
import { agentSettingsFromEnv, responseStrategyFromEnv, SettingsError } from '../../../src/agents/container-settings.js';
import { AZURE_OPENAI_API_VERSION, describeResponseStrategy } from '../../../src/agents/response/strategy.js';

const KEY = '0123456789abcdef0123456789abcdef';
const AZURE = { MAC_RESPONSE_STRATEGY: 'azure-openai', AZURE_OPENAI_ENDPOINT: 'https://oai-mac-prod.openai.azure.com/', AZURE_OPENAI_API_KEY: KEY };

function error(env: NodeJS.ProcessEnv): string {
  try {
    responseStrategyFromEnv(env);
  } catch (err) {
    expect(err).toBeInstanceOf(SettingsError);
    return (err as Error).message;
  }
  throw new Error('expected a SettingsError');
}

describe('responseStrategyFromEnv', () => {
  it('is offline when nothing is set', () => {
    expect(responseStrategyFromEnv({})).toEqual({ kind: 'offline' });
    expect(responseStrategyFromEnv({ MAC_RESPONSE_STRATEGY: 'offline', AZURE_OPENAI_ENDPOINT: 'https://x.openai.azure.com' })).toEqual({ kind: 'offline' });
  });

  it('reads azure-openai with its defaults: gpt-4o-mini, the pinned api-version, PII tokenized', () => {
    expect(responseStrategyFromEnv(AZURE)).toEqual({
      kind: 'azure-openai',
      endpoint: 'https://oai-mac-prod.openai.azure.com',
      apiKey: KEY,
      deployment: 'gpt-4o-mini',
      apiVersion: AZURE_OPENAI_API_VERSION,
      insidePerimeter: false,
    });
  });

  it('takes the deployment, api-version and perimeter setting', () => {
    const s = responseStrategyFromEnv({ ...AZURE, AZURE_OPENAI_DEPLOYMENT: 'gpt-4o', AZURE_OPENAI_API_VERSION: '2025-01-01-preview', AZURE_OPENAI_INSIDE_PERIMETER: 'true' });
    expect(s).toMatchObject({ deployment: 'gpt-4o', apiVersion: '2025-01-01-preview', insidePerimeter: true });
    expect(describeResponseStrategy(s)).toBe('azure-openai (deployment gpt-4o on oai-mac-prod.openai.azure.com; inside the perimeter: PII sent as is)');
    expect(describeResponseStrategy(s)).not.toContain(KEY);
  });

  it('names what is missing or malformed, never quoting the key', () => {
    expect(error({ MAC_RESPONSE_STRATEGY: 'gpt' })).toBe('MAC_RESPONSE_STRATEGY: expected "offline" or "azure-openai" (got "gpt")');
    expect(error({ ...AZURE, AZURE_OPENAI_ENDPOINT: '' })).toMatch(/^AZURE_OPENAI_ENDPOINT is not set: expected the Azure OpenAI endpoint/);
    expect(error({ ...AZURE, AZURE_OPENAI_ENDPOINT: 'http://oai.example.com' })).toMatch(/^AZURE_OPENAI_ENDPOINT: expected an https:\/\/ URL/);
    expect(error({ ...AZURE, AZURE_OPENAI_API_KEY: ' ' })).toBe('AZURE_OPENAI_API_KEY is not set: expected the Azure OpenAI API key (Key Vault secret azure-openai-api-key)');
    expect(error({ ...AZURE, AZURE_OPENAI_DEPLOYMENT: 'gpt 4o/mini' })).toMatch(/^AZURE_OPENAI_DEPLOYMENT: expected a deployment name/);
    expect(error({ ...AZURE, AZURE_OPENAI_API_VERSION: 'latest' })).toMatch(/^AZURE_OPENAI_API_VERSION: expected a version such as/);
    expect(error({ ...AZURE, AZURE_OPENAI_INSIDE_PERIMETER: 'maybe' })).toBe('AZURE_OPENAI_INSIDE_PERIMETER: expected true or false');
  });
});

describe('agentSettingsFromEnv', () => {
  const base = { NATS_URL: 'nats://10.0.1.4:4222' };

  it('gives the response generators their strategy, and no other agent one', () => {
    expect(agentSettingsFromEnv('response-generator-fr', { ...base, ...AZURE }).response).toMatchObject({ kind: 'azure-openai', deployment: 'gpt-4o-mini' });
    expect(agentSettingsFromEnv('response-generator-en', base).response).toEqual({ kind: 'offline' });
    expect(agentSettingsFromEnv('critic-supervisor', { ...base, ...AZURE }).response).toBeUndefined();
  });

  it('fails a response generator whose azure-openai settings are incomplete', () => {
    expect(() => agentSettingsFromEnv('response-generator-es', { ...base, MAC_RESPONSE_STRATEGY: 'azure-openai', AZURE_OPENAI_ENDPOINT: 'https://oai.openai.azure.com' })).toThrow(
      /AZURE_OPENAI_API_KEY is not set/,
    );
  });
});
