import { describe, expect, it } from 'vitest';
import { KNOWN_SECRETS, knownSecret, requiredSecrets, validateSecret } from '../../src/secrets/catalog.js';
import { formatAge, parseDuration } from '../../src/secrets/status.js';

const PEM = '-----BEGIN PRIVATE KEY-----\nMIIEvQ...\n-----END PRIVATE KEY-----\n';
const GA_KEY = JSON.stringify({ type: 'service_account', client_email: 'mac@proj.iam.gserviceaccount.com', private_key: PEM });

describe('known secrets', () => {
  it('are the seed\'s six and the two webhook signing secrets, each with a description and consumers', () => {
    expect(KNOWN_SECRETS.map((s) => s.name)).toEqual([
      'shopify-api-token',
      'zendesk-api-token',
      'mailchimp-api-key',
      'google-analytics-credentials',
      'shopify-webhook-secret',
      'zendesk-webhook-secret',
      'azure-openai-api-key',
      'cosmos-connection-string',
    ]);
    for (const s of KNOWN_SECRETS) {
      expect(s.description.length).toBeGreaterThan(10);
      expect(s.consumers.length).toBeGreaterThan(0);
    }
    expect(knownSecret('google-analytics-credentials')?.contentType).toBe('application/json');
  });

  it('azure needs all eight; local needs none unless it is production, and then only the integrations', () => {
    expect(requiredSecrets({ target: 'azure', production: false })).toHaveLength(8);
    expect(requiredSecrets({ target: 'local', production: false })).toEqual([]);
    expect(requiredSecrets({ target: 'local', production: true }).map((s) => s.name)).toEqual([
      'shopify-api-token',
      'zendesk-api-token',
      'mailchimp-api-key',
      'google-analytics-credentials',
      'shopify-webhook-secret',
      'zendesk-webhook-secret',
    ]);
  });

  it('accepts well-formed values', () => {
    const good: Record<string, string> = {
      'shopify-api-token': 'shpat_0123456789abcdef0123456789abcdef',
      'zendesk-api-token': 'a'.repeat(20) + 'B'.repeat(20),
      'mailchimp-api-key': `${'0'.repeat(32)}-us21`,
      'google-analytics-credentials': GA_KEY,
      'shopify-webhook-secret': 'shpss_0123456789abcdef0123456789abcdef',
      'zendesk-webhook-secret': 'dGhpc19zZWNyZXRfaXNfZm9yX3Rlc3Rpbmdfb25seQ==',
      'azure-openai-api-key': '0123456789abcdef0123456789abcdef',
      'cosmos-connection-string': 'AccountEndpoint=https://acct.documents.azure.com:443/;AccountKey=abc==;',
    };
    for (const [name, value] of Object.entries(good)) expect(validateSecret(name, value), name).toMatchObject({ errors: [], warnings: [] });
  });

  it('rejects what cannot work, warns on what merely looks unusual, and never quotes the value', () => {
    const cases: [string, string, RegExp][] = [
      ['google-analytics-credentials', '{not json: hunter2', /not valid JSON/],
      ['google-analytics-credentials', JSON.stringify({ client_email: 'a@b.c' }), /private_key/],
      ['google-analytics-credentials', JSON.stringify({ private_key: PEM }), /client_email/],
      ['google-analytics-credentials', JSON.stringify({ type: 'authorized_user', client_email: 'a@b.c', private_key: PEM }), /service_account/],
      ['google-analytics-credentials', '["hunter2"]', /JSON object/],
      ['mailchimp-api-key', 'hunter2hunter2', /data-center suffix/],
      ['cosmos-connection-string', 'AccountEndpoint=http://hunter2;', /AccountEndpoint=https/],
      ['shopify-api-token', 'shpat_hunter2 shpat_again', /whitespace/],
      ['zendesk-api-token', 'hunter2\nhunter2', /line break/],
      ['azure-openai-api-key', 'hunter2 x', /whitespace/],
      ['shopify-webhook-secret', 'hunter2', /shorter than 16/],
      ['zendesk-webhook-secret', 'hunter2hunter2hunter2 x', /whitespace/],
    ];
    for (const [name, value, message] of cases) {
      const r = validateSecret(name, value);
      expect(r.errors.join(' '), `${name}: ${value}`).toMatch(message);
      expect(r.errors.join(' ')).not.toContain('hunter2');
    }
    const odd = validateSecret('shopify-api-token', 'not-a-shopify-looking-token');
    expect(odd.errors).toEqual([]);
    expect(odd.warnings.join(' ')).toMatch(/does not look like an Admin API access token/);
    expect(validateSecret('zendesk-api-token', '').errors.join(' ')).toMatch(/empty/);
  });

  it('allows unknown names that follow Key Vault\'s rule, with a warning', () => {
    expect(validateSecret('my-webhook-secret', 'x')).toMatchObject({ known: undefined, errors: [], warnings: [expect.stringMatching(/not a known secret/)] });
    for (const bad of ['a', 'My-Secret', '9lives', 'under_score', `a${'b'.repeat(127)}`]) {
      expect(validateSecret(bad, 'x').errors.join(' '), bad).toMatch(/Invalid secret name/);
    }
    expect(validateSecret(`a${'b'.repeat(126)}`, 'x').errors).toEqual([]);
  });
});

describe('generated values', () => {
  it('pass their own validator with no problem at all, warnings included, and differ from call to call', () => {
    for (const s of KNOWN_SECRETS) {
      for (let i = 0; i < 20; i++) {
        const value = s.generate();
        expect(s.validate(value), s.name).toEqual([]);
        expect(validateSecret(s.name, value), s.name).toMatchObject({ errors: [], warnings: [] });
      }
      expect(s.generate(), s.name).not.toBe(s.generate());
    }
  });

  it('have the providers\' shapes', () => {
    const gen = (name: string) => knownSecret(name)?.generate() ?? '';
    expect(gen('shopify-api-token')).toMatch(/^shpat_[0-9a-f]{32}$/);
    expect(gen('zendesk-api-token')).toMatch(/^[A-Za-z0-9]{40}$/);
    expect(gen('mailchimp-api-key')).toMatch(/^[0-9a-f]{32}-us21$/);
    expect(gen('azure-openai-api-key')).toMatch(/^[0-9a-f]{32}$/);
    expect(gen('cosmos-connection-string')).toMatch(/^AccountEndpoint=https:\/\/localhost:8081\/;AccountKey=[A-Za-z0-9+/]{86}==;$/);
    const ga = JSON.parse(gen('google-analytics-credentials')) as Record<string, string>;
    expect(ga).toMatchObject({ type: 'service_account', project_id: 'mac-local', client_email: 'mac-local@mac-local.iam.gserviceaccount.com' });
    expect(ga.private_key_id).toMatch(/^[0-9a-f]+$/);
    expect(ga.private_key).toMatch(/^-----BEGIN PRIVATE KEY-----\n[\s\S]+\n-----END PRIVATE KEY-----\n$/);
    const body = ga.private_key?.split('\n').slice(1, -2).join('') ?? '';
    expect(Buffer.from(body, 'base64').toString('utf8')).toMatch(/not a real private key/);
  });
});

describe('durations and ages', () => {
  it('parses 90d, 12h, 2w, 10m, 30s and refuses anything else', () => {
    expect(parseDuration('90d')).toBe(90 * 86_400_000);
    expect(parseDuration('12h')).toBe(12 * 3_600_000);
    expect(parseDuration('2w')).toBe(14 * 86_400_000);
    expect(parseDuration('10m')).toBe(600_000);
    expect(parseDuration('30s')).toBe(30_000);
    for (const bad of ['90', '3M', '3mo', 'd', '-1d', '0d', 'ninety days']) expect(() => parseDuration(bad), bad).toThrow(/expected a duration like 90d/);
  });

  it('formats ages in the largest whole unit up to days', () => {
    expect(formatAge(5_000)).toBe('just now');
    expect(formatAge(5 * 60_000)).toBe('5m');
    expect(formatAge(3 * 3_600_000 + 1)).toBe('3h');
    expect(formatAge(3 * 86_400_000 + 5)).toBe('3d');
    expect(formatAge(120 * 86_400_000)).toBe('120d');
  });
});
