// The shapes of well-formed provider credentials, shared by the CLI's secret validators (src/secrets/catalog.ts)
// and the mock servers (which, with `acceptWellFormedCredentials`, accept any credential of the right shape, as the
// real provider accepts every token it issued). Part of the runtime: imports nothing outside src/agents/.

/** Shopify Admin API access token: `shpat_` (or `shpca_`, `shppa_`, `shpss_`) and 32 hex digits. */
export const SHOPIFY_ACCESS_TOKEN = /^shp(?:at|ca|pa|ss)_[0-9a-f]{32}$/;

/** Zendesk API token: 40 letters and digits. */
export const ZENDESK_API_TOKEN = /^[A-Za-z0-9]{40}$/;

/** The data-center suffix every Mailchimp key ends with (e.g. `-us21`); the API host is derived from it. */
export const MAILCHIMP_DATA_CENTER_SUFFIX = /-[a-z]+\d+$/;

/** Mailchimp Marketing API key: 32 hex digits, `-`, and the data center (e.g. `…-us21`). */
export const MAILCHIMP_API_KEY = /^[0-9a-f]{32}-[a-z]+\d+$/;

/** GA4 Measurement Protocol api_secret (the `api_secret` query parameter): 22 URL-safe characters. */
export const GA4_API_SECRET = /^[A-Za-z0-9_-]{22}$/;

/** Whether `value` is the configured credential, or — when well-formed credentials are accepted — matches `format`. */
export function credentialAccepted(
  value: unknown,
  configured: string,
  format: RegExp,
  acceptWellFormed: boolean,
): boolean {
  if (typeof value !== 'string') return false;
  return value === configured || (acceptWellFormed && format.test(value));
}
