// The secrets the platform knows by name (the seed's Key Vault list): what each is for, which agents read it (what
// a rotation restarts), when an environment needs it, and a validator that catches a wrong paste before it is stored.
// Validators describe problems without ever quoting the value; generators make fresh well-formed random values (for
// local environments and drills) that pass their validator without a single problem.
import { randomBytes } from 'node:crypto';
import {
  MAILCHIMP_API_KEY,
  MAILCHIMP_DATA_CENTER_SUFFIX,
  SHOPIFY_ACCESS_TOKEN,
  ZENDESK_API_TOKEN,
} from '../agents/integrations/credential-formats.js';
import type { AgentName, EnvironmentConfig } from '../config/schema.js';
import { MAX_SECRET_BYTES, SECRET_NAME_PATTERN } from './store.js';

export interface SecretProblem {
  level: 'error' | 'warning';
  message: string;
}

/**
 * When an environment needs a secret:
 * - `integration`: a real third-party API (Shopify, Zendesk, Mailchimp, GA). Azure environments always talk to the
 *   real services; a local environment only when it is marked `production: true` — otherwise it runs the mock
 *   integrations and needs no credentials.
 * - `azure`: an Azure service that only the azure target uses (Azure OpenAI, Cosmos DB); local runs offline models
 *   and SQLite instead.
 */
export type SecretNeed = 'integration' | 'azure';

export interface KnownSecret {
  name: string;
  description: string;
  need: SecretNeed;
  contentType?: string;
  /** The agents that read it: the processes a rotation must restart. */
  consumers: readonly AgentName[];
  validate(value: string): SecretProblem[];
  /** A fresh random well-formed value (not a working credential): `validate` finds no problem in it. */
  generate(): string;
  /**
   * The service that signs with this secret (webhook signing secrets): only the value it holds verifies its
   * webhooks, and no smoke test would notice a generated one, so `mac secrets rotate --generate` leaves it alone.
   */
  signedBy?: string;
}

const ALL_AGENTS: readonly AgentName[] = [
  'intent-classifier',
  'knowledge-retrieval',
  'response-generator-en',
  'response-generator-fr',
  'response-generator-es',
  'escalation-handler',
  'analytics-processor',
  'critic-supervisor',
];

const error = (message: string): SecretProblem => ({ level: 'error', message });
const warning = (message: string): SecretProblem => ({ level: 'warning', message });

const hex = (bytes: number): string => randomBytes(bytes).toString('hex');

const ALPHANUMERIC = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** `length` random letters and digits (unbiased: bytes past the last whole multiple of 62 are drawn again). */
function alphanumeric(length: number): string {
  let out = '';
  while (out.length < length) {
    for (const byte of randomBytes(length)) {
      if (byte < 248 && out.length < length) out += ALPHANUMERIC[byte % 62];
    }
  }
  return out;
}

/** A service-account key file for local use; its private_key is a PEM-wrapped placeholder, not a real key. */
function generateServiceAccount(): string {
  const body = Buffer.from(`mac-local placeholder, not a real private key ${hex(32)}`, 'utf8').toString('base64');
  const pem = `-----BEGIN PRIVATE KEY-----\n${(body.match(/.{1,64}/g) ?? []).join('\n')}\n-----END PRIVATE KEY-----\n`;
  const email = 'mac-local@mac-local.iam.gserviceaccount.com';
  return JSON.stringify({
    type: 'service_account',
    project_id: 'mac-local',
    private_key_id: hex(20),
    private_key: pem,
    client_email: email,
    client_id: String(100_000_000_000_000_000_000n + (BigInt(`0x${hex(8)}`) % 900_000_000_000_000_000_000n)),
    auth_uri: 'https://accounts.google.com/o/oauth2/auth',
    token_uri: 'https://oauth2.googleapis.com/token',
    auth_provider_x509_cert_url: 'https://www.googleapis.com/oauth2/v1/certs',
    client_x509_cert_url: `https://www.googleapis.com/robot/v1/metadata/x509/${encodeURIComponent(email)}`,
    universe_domain: 'googleapis.com',
  });
}

/** A single-line token: no spaces or line breaks inside (a classic copy-paste accident). */
function token(value: string, what: string, expected: RegExp, expectedText: string): SecretProblem[] {
  if (/\s/.test(value)) return [error(`${what} contains whitespace or a line break; a token is one word.`)];
  if (!expected.test(value)) return [warning(`${what} does not look like ${expectedText}; stored anyway.`)];
  return [];
}

/** A webhook signing secret: a token, and long enough that its signatures cannot be guessed. */
function signingSecret(value: string, what: string, expected: RegExp, expectedText: string): SecretProblem[] {
  if (value.length < 16) return [error(`${what} is shorter than 16 characters; expected ${expectedText}.`)];
  return token(value, what, expected, expectedText);
}

export const KNOWN_SECRETS: readonly KnownSecret[] = [
  {
    name: 'shopify-api-token',
    description: 'Shopify Admin API access token (orders, products, customers, loyalty metafields)',
    need: 'integration',
    consumers: ['knowledge-retrieval', 'intent-classifier'],
    validate: (v) => token(v, 'The Shopify token', SHOPIFY_ACCESS_TOKEN, 'an Admin API access token (shpat_…)'),
    generate: () => `shpat_${hex(16)}`,
  },
  {
    name: 'zendesk-api-token',
    description: 'Zendesk API token (tickets for escalations and ticket lookups)',
    need: 'integration',
    consumers: ['escalation-handler', 'knowledge-retrieval'],
    validate: (v) => token(v, 'The Zendesk token', ZENDESK_API_TOKEN, 'a Zendesk API token (40 letters and digits)'),
    generate: () => alphanumeric(40),
  },
  {
    name: 'mailchimp-api-key',
    description: 'Mailchimp Marketing API key, with its data-center suffix (e.g. …-us21)',
    need: 'integration',
    consumers: ['analytics-processor'],
    validate: (v) => {
      if (/\s/.test(v)) return [error('The Mailchimp key contains whitespace or a line break; a key is one word.')];
      if (!MAILCHIMP_DATA_CENTER_SUFFIX.test(v)) return [error('The Mailchimp key must end with its data-center suffix, e.g. -us21: the API host is derived from it.')];
      return MAILCHIMP_API_KEY.test(v) ? [] : [warning('The Mailchimp key does not look like 32 hex digits and a suffix; stored anyway.')];
    },
    generate: () => `${hex(16)}-us21`,
  },
  {
    name: 'google-analytics-credentials',
    description: 'Google Analytics service-account key (JSON with client_email and private_key)',
    need: 'integration',
    contentType: 'application/json',
    consumers: ['analytics-processor'],
    validate: (v) => {
      let doc: unknown;
      try {
        doc = JSON.parse(v);
      } catch {
        // The parser's message quotes the text: never repeat it.
        return [error('The Google Analytics credentials are not valid JSON; expected the service-account key file Google gives you.')];
      }
      if (!doc || typeof doc !== 'object' || Array.isArray(doc)) return [error('The Google Analytics credentials must be a JSON object (a service-account key file).')];
      const o = doc as Record<string, unknown>;
      const problems: SecretProblem[] = [];
      if (typeof o.client_email !== 'string' || !/^[^@\s]+@[^@\s]+$/.test(o.client_email)) problems.push(error('The Google Analytics credentials lack "client_email" (the service account\'s address).'));
      if (typeof o.private_key !== 'string' || !/-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(o.private_key)) problems.push(error('The Google Analytics credentials lack a PEM "private_key".'));
      if (o.type !== undefined && o.type !== 'service_account') problems.push(error('The Google Analytics credentials are not a service-account key ("type" must be "service_account").'));
      return problems;
    },
    generate: generateServiceAccount,
  },
  {
    name: 'shopify-webhook-secret',
    description: "Shopify app's API secret key: the gateway checks each Shopify webhook's signature (X-Shopify-Hmac-Sha256) with it",
    need: 'integration',
    consumers: ['intent-classifier'],
    signedBy: 'Shopify',
    validate: (v) =>
      signingSecret(v, 'The Shopify webhook secret', /^((shpss_)?[0-9a-f]{32}|[0-9a-f]{64})$/, "an app's API secret key (32 hex digits, or shpss_…) or the key the shop's admin shows under Notifications → Webhooks (64 hex digits)"),
    generate: () => `shpss_${hex(16)}`,
  },
  {
    name: 'zendesk-webhook-secret',
    description: "Zendesk webhook signing secret: the gateway checks each Zendesk webhook's signature (X-Zendesk-Webhook-Signature) with it",
    need: 'integration',
    consumers: ['intent-classifier'],
    signedBy: 'Zendesk',
    validate: (v) => signingSecret(v, 'The Zendesk webhook secret', /^[A-Za-z0-9+/=_-]{32,}$/, "a webhook's signing secret (Zendesk shows it under Webhooks → Signing secret)"),
    generate: () => randomBytes(32).toString('base64'),
  },
  {
    name: 'azure-openai-api-key',
    description: 'Azure OpenAI API key (gpt-4o-mini, gpt-4o, text-embedding-3-large)',
    need: 'azure',
    consumers: ['intent-classifier', 'knowledge-retrieval', 'response-generator-en', 'response-generator-fr', 'response-generator-es', 'critic-supervisor'],
    validate: (v) => token(v, 'The Azure OpenAI key', /^([0-9a-f]{32}|[A-Za-z0-9]{84})$/i, 'an Azure OpenAI key (32 hex digits, or 84 characters)'),
    generate: () => hex(16),
  },
  {
    name: 'cosmos-connection-string',
    description: 'Cosmos DB connection string (AccountEndpoint=https://…;AccountKey=…;)',
    need: 'azure',
    consumers: ALL_AGENTS,
    validate: (v) => {
      if (/[\r\n]/.test(v)) return [error('The Cosmos DB connection string contains a line break.')];
      const parts = new Map(
        v
          .split(';')
          .filter(Boolean)
          .map((p) => {
            const i = p.indexOf('=');
            return [i < 0 ? p.trim() : p.slice(0, i).trim(), i < 0 ? '' : p.slice(i + 1)] as const;
          }),
      );
      const problems: SecretProblem[] = [];
      if (!/^https:\/\/\S+$/.test(parts.get('AccountEndpoint') ?? '')) problems.push(error('The Cosmos DB connection string lacks "AccountEndpoint=https://…;".'));
      if (!parts.get('AccountKey')) problems.push(error('The Cosmos DB connection string lacks "AccountKey=…;".'));
      return problems;
    },
    generate: () => `AccountEndpoint=https://localhost:8081/;AccountKey=${randomBytes(64).toString('base64')};`,
  },
];

export function knownSecret(name: string): KnownSecret | undefined {
  return KNOWN_SECRETS.find((s) => s.name === name);
}

/** Whether this environment's configuration needs the secret (see SecretNeed). */
export function isRequired(secret: KnownSecret, env: Pick<EnvironmentConfig, 'target' | 'production'>): boolean {
  if (env.target === 'azure') return true;
  return secret.need === 'integration' && env.production;
}

export function requiredSecrets(env: Pick<EnvironmentConfig, 'target' | 'production'>): KnownSecret[] {
  return KNOWN_SECRETS.filter((s) => isRequired(s, env));
}

export interface SecretValidation {
  known?: KnownSecret;
  errors: string[];
  warnings: string[];
}

/** Checks a name and value before they are stored: name rule, size, emptiness, and the known secret's validator. */
export function validateSecret(name: string, value: string): SecretValidation {
  const known = knownSecret(name);
  const errors: string[] = [];
  const warnings: string[] = [];
  if (!SECRET_NAME_PATTERN.test(name)) {
    errors.push(`Invalid secret name "${name}": expected 2-127 characters of lowercase letters, digits and dashes, starting with a letter.`);
    return { known, errors, warnings };
  }
  if (!known) warnings.push(`${name} is not a known secret (known: ${KNOWN_SECRETS.map((s) => s.name).join(', ')}); stored anyway.`);
  if (value.length === 0) errors.push(`The value of ${name} is empty.`);
  else if (Buffer.byteLength(value, 'utf8') > MAX_SECRET_BYTES) errors.push(`The value of ${name} is larger than ${MAX_SECRET_BYTES} bytes (Key Vault's limit).`);
  else if (known) {
    for (const p of known.validate(value)) (p.level === 'error' ? errors : warnings).push(p.message);
  }
  return { known, errors, warnings };
}
