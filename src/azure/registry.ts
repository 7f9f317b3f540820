// Does an image exist in its registry? Asked over the OCI distribution API (HTTPS), so no Docker and no `az` is
// needed, with Azure Container Registry's exchange of an Entra ID token for registry tokens:
//
//   POST https://<registry>/oauth2/exchange   form grant_type=access_token, service=<registry host>, [tenant],
//                                              access_token=<Entra token for https://containerregistry.azure.net>
//                                              → { refresh_token }         (one per registry, ~3 h; cached here)
//   POST https://<registry>/oauth2/token      form grant_type=refresh_token, service, scope=repository:<repo>:pull,
//                                              refresh_token               → { access_token }   (one per repository)
//   HEAD https://<registry>/v2/<repo>/manifests/<tag>   Authorization: Bearer <access_token>,
//                                              Accept: OCI index/manifest and Docker manifest list/v2 manifest
//                                              → 200 exists · 404 missing
//
// `https://containerregistry.azure.net/.default` is the audience the Azure SDKs ask for by default; it is valid in
// every cloud (the registry also accepts ARM tokens). For *.azurecr.* hosts the exchange happens up front. Any other
// host (a registry behind a private endpoint, a test fake, a public registry) is probed first: a 401 answer carries
// `WWW-Authenticate: Bearer realm=…,service=…,scope=…`, and a realm at the registry's own /oauth2/token is the ACR
// flow above; another realm gets the anonymous token request of the distribution spec (`GET realm?service&scope`).
import { randomUUID } from 'node:crypto';
import type { TokenCredential } from '@azure/identity';
import pRetry, { AbortError } from 'p-retry';
import { PreconditionError, UserError } from '../errors.js';

/** The Entra ID scope exchanged for registry tokens (the Azure SDKs' default audience, valid in every cloud). */
export const ACR_AAD_SCOPE = 'https://containerregistry.azure.net/.default';

/** What a manifest HEAD accepts: multi-arch indexes and single manifests, OCI and Docker. */
export const MANIFEST_MEDIA_TYPES = [
  'application/vnd.oci.image.index.v1+json',
  'application/vnd.oci.image.manifest.v1+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
  'application/vnd.docker.distribution.manifest.v2+json',
] as const;

const ACR_HOST = /\.azurecr\.(io|cn|us|de)$/i;
const RETRIES = 3;

export interface ImageRef {
  /** Registry host, with the port when there is one: `myacr.azurecr.io`, `127.0.0.1:8443`. */
  registry: string;
  /** Repository path inside the registry: `mac/intent-classifier`. */
  repository: string;
  /** Tag, or a digest (`sha256:…`) when the reference had `@sha256:…`. */
  tag: string;
}

export interface RegistryOptions {
  /**
   * Base URL of a registry's API; default `https://<registry host>`. For a fake in tests, a reverse proxy or a
   * private cloud: a string applies to every registry, a function maps each host.
   */
  baseUrl?: string | ((registryHost: string) => string);
  /** Tenant of the Entra token, sent to /oauth2/exchange when known (the registry's tenant otherwise). */
  tenantId?: string;
  /** Entra ID scope to exchange (default ACR_AAD_SCOPE). */
  aadScope?: string;
  /** Per request (default 30 s). */
  timeoutMs?: number;
}

export interface MissingImagesOptions extends RegistryOptions {
  /** How many images are checked at once (default 4). */
  concurrency?: number;
}

/** Splits `host[:port]/path/name[:tag|@digest]` the way Docker does (no host → Docker Hub, no tag → latest). */
export function parseImageRef(image: string): ImageRef {
  let rest = image.trim();
  if (!rest || /\s/.test(rest)) throw new UserError(`Not an image reference: "${image}".`, 'Expected registry/repository:tag, e.g. myacr.azurecr.io/mac/intent-classifier:0.1.0-abc1234');
  let tag: string | undefined;
  const at = rest.indexOf('@');
  if (at >= 0) {
    tag = rest.slice(at + 1);
    rest = rest.slice(0, at);
  }
  const slash = rest.indexOf('/');
  const first = slash >= 0 ? rest.slice(0, slash) : '';
  let registry: string;
  let path: string;
  if (slash >= 0 && (first.includes('.') || first.includes(':') || first === 'localhost')) {
    registry = first;
    path = rest.slice(slash + 1);
  } else {
    registry = 'registry-1.docker.io';
    path = rest.includes('/') ? rest : `library/${rest}`;
  }
  const colon = path.lastIndexOf(':');
  if (colon > path.lastIndexOf('/')) {
    tag ??= path.slice(colon + 1);
    path = path.slice(0, colon);
  }
  if (!path || tag === '') throw new UserError(`Not an image reference: "${image}".`, 'Expected registry/repository:tag.');
  return { registry, repository: path, tag: tag ?? 'latest' };
}

export function isAcrHost(registryHost: string): boolean {
  return ACR_HOST.test(registryHost.replace(/:\d+$/, ''));
}

export function registryBaseUrl(registryHost: string, options: RegistryOptions = {}): string {
  const { baseUrl } = options;
  const url = typeof baseUrl === 'function' ? baseUrl(registryHost) : (baseUrl ?? `https://${registryHost}`);
  return url.replace(/\/+$/, '');
}

interface Challenge {
  realm: string;
  service?: string;
  scope?: string;
}

/**
 * Checks images against their registries, caching the registry refresh token and each repository's access token,
 * so checking every agent's image costs one exchange, and one token and one HEAD per repository.
 */
export class RegistryClient {
  private readonly refreshTokens = new Map<string, Promise<string>>();
  private readonly accessTokens = new Map<string, Promise<string | undefined>>();

  constructor(
    private readonly credential: TokenCredential | undefined,
    private readonly options: RegistryOptions = {},
  ) {}

  async imageExists(registryHost: string, repository: string, tag: string): Promise<boolean> {
    const base = registryBaseUrl(registryHost, this.options);
    const manifest = `${base}/v2/${repository.split('/').map(encodeURIComponent).join('/')}/manifests/${encodeURIComponent(tag)}`;
    const scope = `repository:${repository}:pull`;
    const image = `${registryHost}/${repository}:${tag}`;

    let token: string | undefined;
    if (isAcrHost(registryHost)) {
      token = await this.accessToken({ realm: `${base}/oauth2/token`, service: registryHost.replace(/:\d+$/, ''), scope }, base, registryHost);
    }
    let res = await this.request('HEAD', manifest, { headers: this.manifestHeaders(token) }, image);
    if (res.status === 401 && token === undefined) {
      const challenge = parseBearerChallenge(res.headers.get('www-authenticate'));
      if (!challenge) {
        throw new PreconditionError(
          `${registryHost} asks for credentials mac cannot give (${res.headers.get('www-authenticate') ?? 'no WWW-Authenticate challenge'}) for ${image}.`,
          'mac checks Azure Container Registry (with your Azure credential) and registries that allow anonymous pulls.',
        );
      }
      token = await this.accessToken({ ...challenge, scope: challenge.scope ?? scope }, base, registryHost);
      res = await this.request('HEAD', manifest, { headers: this.manifestHeaders(token) }, image);
    }
    if (res.status === 200) return true;
    if (res.status === 404) return false;
    if (res.status === 401 || res.status === 403) {
      throw new PreconditionError(
        `${registryHost} refused to show ${image} (HTTP ${res.status}).`,
        isAcrHost(registryHost) || token !== undefined
          ? `Give the identity mac runs as the AcrPull role on the registry (az role assignment create --role AcrPull --assignee <id> --scope <registry id>).`
          : undefined,
      );
    }
    throw new UserError(`Unexpected answer from ${registryHost} for ${image}: HTTP ${res.status}.`);
  }

  private manifestHeaders(token: string | undefined): Record<string, string> {
    return { accept: MANIFEST_MEDIA_TYPES.join(', '), ...(token ? { authorization: `Bearer ${token}` } : {}) };
  }

  /** A registry access token for the challenge's scope: ACR exchange when the realm is the registry's own. */
  private accessToken(challenge: Challenge, base: string, registryHost: string): Promise<string | undefined> {
    const key = `${challenge.realm} ${challenge.service ?? ''} ${challenge.scope ?? ''}`;
    let pending = this.accessTokens.get(key);
    if (!pending) {
      pending = this.fetchAccessToken(challenge, base, registryHost);
      // A failure is not cached: the next image asks again.
      pending.catch(() => this.accessTokens.delete(key));
      this.accessTokens.set(key, pending);
    }
    return pending;
  }

  private async fetchAccessToken(challenge: Challenge, base: string, registryHost: string): Promise<string | undefined> {
    const service = challenge.service ?? registryHost;
    const acrRealm = challenge.realm.replace(/\/+$/, '') === `${base}/oauth2/token`;
    if (acrRealm && this.credential) {
      const refreshToken = await this.refreshToken(base, service, registryHost);
      const form = new URLSearchParams({ grant_type: 'refresh_token', service, refresh_token: refreshToken });
      if (challenge.scope) form.set('scope', challenge.scope);
      const body = await this.tokenRequest(`${base}/oauth2/token`, form, registryHost, 'access_token');
      return body.access_token as string;
    }
    // The distribution spec's anonymous token: GET realm?service=…&scope=…
    const url = new URL(challenge.realm);
    if (challenge.service) url.searchParams.set('service', challenge.service);
    if (challenge.scope) url.searchParams.set('scope', challenge.scope);
    const res = await this.request('GET', url.toString(), {}, registryHost);
    const text = await res.text();
    if (res.status === 401 || res.status === 403) {
      throw new PreconditionError(
        `${registryHost} allows no anonymous pulls and is not an Azure Container Registry mac can sign in to.`,
        'Use an Azure Container Registry (images.registry in mac.yaml), or make the repository public.',
      );
    }
    const body = parseJson(text);
    const token = (body?.token ?? body?.access_token) as unknown;
    if (res.status !== 200 || typeof token !== 'string') {
      throw new UserError(`The token service of ${registryHost} (${url.origin}${url.pathname}) answered HTTP ${res.status} without a token.`);
    }
    return token;
  }

  private refreshToken(base: string, service: string, registryHost: string): Promise<string> {
    let pending = this.refreshTokens.get(base);
    if (!pending) {
      pending = this.exchange(base, service, registryHost);
      pending.catch(() => this.refreshTokens.delete(base));
      this.refreshTokens.set(base, pending);
    }
    return pending;
  }

  private async exchange(base: string, service: string, registryHost: string): Promise<string> {
    if (!this.credential) throw new PreconditionError(`Checking ${registryHost} needs an Azure credential.`, 'Run az login, or set AZURE_CLIENT_ID, AZURE_TENANT_ID and AZURE_CLIENT_SECRET.');
    const scope = this.options.aadScope ?? ACR_AAD_SCOPE;
    let aad;
    try {
      aad = await this.credential.getToken(scope, { abortSignal: AbortSignal.timeout(this.options.timeoutMs ?? 30_000) });
    } catch (err) {
      throw new PreconditionError(
        `No Azure token for ${registryHost}: ${firstLine(err)}`,
        'Run az login, or set AZURE_CLIENT_ID, AZURE_TENANT_ID and AZURE_CLIENT_SECRET for a service principal.',
      );
    }
    if (!aad) throw new PreconditionError(`No Azure token for ${registryHost}.`, 'Run az login.');
    const form = new URLSearchParams({ grant_type: 'access_token', service });
    if (this.options.tenantId) form.set('tenant', this.options.tenantId);
    form.set('access_token', aad.token);
    const body = await this.tokenRequest(`${base}/oauth2/exchange`, form, registryHost, 'refresh_token');
    return body.refresh_token as string;
  }

  /** POSTs a token form; the field must come back as a string. Never puts a token in an error message. */
  private async tokenRequest(url: string, form: URLSearchParams, registryHost: string, field: string): Promise<Record<string, unknown>> {
    const res = await this.request('POST', url, { headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: form.toString() }, registryHost);
    const text = await res.text();
    const body = parseJson(text);
    if (res.status === 200 && typeof body?.[field] === 'string') return body;
    const detail = registryErrorMessage(body) ?? `HTTP ${res.status}`;
    if (res.status === 401 || res.status === 403 || res.status === 400) {
      throw new PreconditionError(
        `${registryHost} refused the token request to ${new URL(url).pathname}: ${detail}.`,
        'Check that the signed-in identity has the AcrPull role on the registry, and that the registry name is right.',
      );
    }
    throw new UserError(`${registryHost} answered ${new URL(url).pathname} with HTTP ${res.status}: ${detail}.`);
  }

  /**
   * One request, tried RETRIES more times (p-retry) when it gets no answer or a 429/5xx: after the answer's Retry-After
   * (at most 10 s), else after 250 ms, 500 ms, 1 s. The last 429/5xx is handed back as it is; no answer at all becomes
   * a UserError naming the reason.
   */
  private async request(method: string, url: string, init: { headers?: Record<string, string>; body?: string }, what: string): Promise<Response> {
    const requestId = randomUUID();
    const attempt = async (n: number): Promise<Response> => {
      let res: Response;
      try {
        res = await fetch(url, {
          method,
          headers: { 'x-ms-client-request-id': requestId, ...init.headers },
          body: init.body,
          redirect: 'follow',
          signal: AbortSignal.timeout(this.options.timeoutMs ?? 30_000),
        });
      } catch (err) {
        if (n > RETRIES) {
          throw new AbortError(
            new UserError(`Cannot reach the registry for ${what} (${new URL(url).origin}): ${networkReason(err)}.`, 'Check the registry name (images.registry in mac.yaml) and your network.'),
          );
        }
        throw new Unanswered(err);
      }
      if ((res.status === 429 || res.status >= 500) && n <= RETRIES) throw new Busy(res);
      if (method === 'HEAD') await res.body?.cancel();
      return res;
    };
    return pRetry(attempt, {
      retries: RETRIES,
      // The waits are onFailedAttempt's (a Retry-After is not something p-retry's own schedule can follow).
      minTimeout: 0,
      maxTimeout: 0,
      onFailedAttempt: async (err) => {
        if (err instanceof Busy) {
          await err.response.body?.cancel();
          await sleep(retryAfter(err.response.headers.get('retry-after')) ?? backoff(err.attemptNumber - 1));
        } else {
          await sleep(backoff(err.attemptNumber - 1));
        }
      },
    });
  }
}

/** A request that got no answer (DNS, connection, TLS, timeout): tried again. */
class Unanswered extends Error {
  constructor(readonly reason: unknown) {
    super('no answer');
  }
}

/** A 429 or 5xx answer: tried again while tries remain. */
class Busy extends Error {
  constructor(readonly response: Response) {
    super(`HTTP ${response.status}`);
  }
}

/** Whether one image exists; see RegistryClient for the wire. */
export function imageExists(
  registryHost: string,
  repository: string,
  tag: string,
  credential: TokenCredential | undefined,
  options: RegistryOptions = {},
): Promise<boolean> {
  return new RegistryClient(credential, options).imageExists(registryHost, repository, tag);
}

/** The images (as given) that their registries do not have, in the order given; checked concurrently. */
export async function missingImages(images: string[], credential: TokenCredential | undefined, options: MissingImagesOptions = {}): Promise<string[]> {
  const { default: pLimit } = await import('p-limit');
  const limit = pLimit(options.concurrency ?? 4);
  const client = new RegistryClient(credential, options);
  const found = await Promise.all(
    images.map((image) =>
      limit(async () => {
        const ref = parseImageRef(image);
        return client.imageExists(ref.registry, ref.repository, ref.tag);
      }),
    ),
  );
  return images.filter((_, i) => !found[i]);
}

/** `Bearer realm="…",service="…",scope="…"` → its parameters; undefined for any other scheme. */
export function parseBearerChallenge(header: string | null | undefined): Challenge | undefined {
  if (!header || !/^\s*bearer\s/i.test(header)) return undefined;
  const params: Record<string, string> = {};
  for (const m of header.replace(/^\s*bearer\s+/i, '').matchAll(/([A-Za-z_]+)\s*=\s*(?:"([^"]*)"|([^,\s]*))/g)) {
    params[m[1]!.toLowerCase()] = m[2] ?? m[3] ?? '';
  }
  if (!params.realm) return undefined;
  return { realm: params.realm, service: params.service, scope: params.scope };
}

function parseJson(text: string): Record<string, unknown> | undefined {
  try {
    const v = JSON.parse(text) as unknown;
    return v && typeof v === 'object' ? (v as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** The distribution spec's `{errors:[{code,message}]}`, or an OAuth `{error, error_description}`. */
function registryErrorMessage(body: Record<string, unknown> | undefined): string | undefined {
  const errors = body?.errors;
  if (Array.isArray(errors) && errors.length > 0) {
    return errors.map((e: { code?: string; message?: string }) => [e.code, e.message].filter(Boolean).join(': ')).join('; ');
  }
  if (typeof body?.error === 'string') return [body.error, body.error_description].filter(Boolean).join(': ');
  return undefined;
}

function retryAfter(value: string | null): number | undefined {
  if (!value) return undefined;
  const seconds = Number(value);
  const ms = Number.isFinite(seconds) ? seconds * 1000 : Date.parse(value) - Date.now();
  return Number.isFinite(ms) ? Math.min(Math.max(ms, 0), 10_000) : undefined;
}

function backoff(attempt: number): number {
  return Math.min(250 * 2 ** attempt, 4000);
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function networkReason(err: unknown): string {
  const cause = (err as { cause?: { code?: string; message?: string } })?.cause;
  if (cause?.code) return `${cause.code}${cause.message ? ` (${cause.message})` : ''}`;
  return firstLine(err);
}

function firstLine(err: unknown): string {
  const message = err instanceof Error ? err.message : String(err);
  return message.split('\n')[0] ?? message;
}
