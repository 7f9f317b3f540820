// Azure Container Registry's data plane: the token exchange and the OCI distribution manifest endpoints, served by
// the one fake HTTPS server (the registry host is `127.0.0.1:<port>`, so its service name is that too).
//
//   POST /oauth2/exchange    form grant_type=access_token, service, [tenant], access_token=<Entra token the fake
//                            issued, audience containerregistry.azure.net or ARM> → 200 { refresh_token } (JWT-shaped,
//                            3 h, as the SDKs decode its `exp`)
//   POST /oauth2/token       form grant_type=refresh_token, service, scope=repository:<repo>:pull (repeatable or
//                            space-separated), refresh_token → 200 { access_token }
//   GET  /v2/                401 + challenge without a token; 200 {} with one
//   HEAD|GET /v2/<repo>/manifests/<tag|digest>
//                            no/unknown token → 401 `WWW-Authenticate: Bearer realm="<url>/oauth2/token",
//                            service="<host>",scope="repository:<repo>:pull"` + {errors:[{code:UNAUTHORIZED}]};
//                            token without pull on <repo> → 401 (insufficient scope, same challenge);
//                            present → 200 + Docker-Content-Digest + Content-Type (the manifest on GET);
//                            unknown repository → 404 NAME_UNKNOWN; unknown tag, or no acceptable media type in
//                            Accept → 404 MANIFEST_UNKNOWN.
// Shapes follow the ACR REST spec (specification/containerregistry/data-plane, AcrRefreshToken/AcrAccessToken) and the
// OCI distribution spec's error codes. Tests declare what exists:
//   registryState(fake).images.add('mac/intent-classifier:0.1.0-abc1234');
//   registryState(fake).denyPull.add(fake.clientId);   // the principal lacks AcrPull: tokens grant nothing
import { createHash, randomBytes } from 'node:crypto';
import type { AzureFake, FakeRequest, FakeResponse, Route } from './server.js';
import { json } from './respond.js';

export interface FakeRegistryState {
  /** `repository:tag` of every image the registry holds. */
  images: Set<string>;
  /** Client ids whose registry tokens carry no pull permission (no AcrPull role assignment). */
  denyPull: Set<string>;
  /** Service names the token endpoints accept: the fake's host, plus any a test adds (e.g. myacr.azurecr.io reached
   *  through a base-URL override). */
  services: Set<string>;
  /** Entra token audiences /oauth2/exchange accepts (no trailing slash). */
  audiences: Set<string>;
  refreshTokens: Map<string, { clientId: string; tenantId: string; service: string; expiresAt: number }>;
  accessTokens: Map<string, { clientId: string; service: string; scopes: string[]; expiresAt: number }>;
}

export const OCI_MANIFEST = 'application/vnd.oci.image.manifest.v1+json';
const REFRESH_LIFETIME_S = 3 * 3600;
const ACCESS_LIFETIME_S = 75 * 60;

const states = new WeakMap<AzureFake, FakeRegistryState>();

export function registryState(fake: AzureFake): FakeRegistryState {
  let state = states.get(fake);
  if (!state) {
    state = {
      images: new Set(),
      denyPull: new Set(),
      services: new Set([registryHost(fake)]),
      audiences: new Set([
        'https://containerregistry.azure.net',
        'https://management.azure.com',
        'https://management.core.windows.net',
        fake.url,
      ]),
      refreshTokens: new Map(),
      accessTokens: new Map(),
    };
    states.set(fake, state);
  }
  return state;
}

/** The registry host of the fake (`127.0.0.1:<port>`): images are `<host>/<repo>:<tag>`. */
export function registryHost(fake: AzureFake): string {
  return new URL(fake.url).host;
}

export function registerAcr(fake: AzureFake, register: (route: Route) => void): void {
  register({ name: 'acr oauth2 exchange', method: 'POST', pattern: /^\/oauth2\/exchange$/, handler: (req) => exchange(fake, req) });
  register({ name: 'acr oauth2 token', method: 'POST', pattern: /^\/oauth2\/token$/, handler: (req) => token(fake, req) });
  register({
    name: 'acr v2 base',
    method: 'GET',
    pattern: /^\/v2\/?$/,
    handler: (req) => (bearer(fake, req) ? json(200, {}) : unauthorized(fake)),
  });
  for (const method of ['HEAD', 'GET']) {
    register({
      name: `acr ${method} manifest`,
      method,
      pattern: /^\/v2\/(?<repository>.+)\/manifests\/(?<reference>[^/]+)$/,
      handler: (req) => manifest(fake, req),
    });
  }
}

function exchange(fake: AzureFake, req: FakeRequest): FakeResponse {
  const state = registryState(fake);
  const form = req.form();
  if (form.get('grant_type') !== 'access_token') return oauthError(400, 'grant_type must be access_token');
  const service = form.get('service') ?? '';
  if (!state.services.has(service)) return oauthError(400, `unknown service "${service}"`);
  const aad = fake.state.tokens.get(form.get('access_token') ?? '');
  if (!aad) return registryError(401, 'UNAUTHORIZED', 'invalid or missing AAD access token');
  if (aad.expiresAt <= Date.now()) return registryError(401, 'UNAUTHORIZED', 'AAD access token expired');
  if (!state.audiences.has(aad.audience)) return registryError(401, 'UNAUTHORIZED', `AAD access token audience "${aad.audience}" is not accepted`);
  const tenant = form.get('tenant');
  if (tenant && tenant !== aad.tenantId) return registryError(401, 'UNAUTHORIZED', 'tenant does not match the AAD access token');
  req.log.token = { status: 'valid', clientId: aad.clientId, audience: aad.audience };
  const expiresAt = Date.now() + REFRESH_LIFETIME_S * 1000;
  const refreshToken = jwtShaped({ exp: Math.floor(expiresAt / 1000), aud: service, tid: aad.tenantId, grant_type: 'refresh_token' });
  state.refreshTokens.set(refreshToken, { clientId: aad.clientId, tenantId: aad.tenantId, service, expiresAt });
  return json(200, { refresh_token: refreshToken });
}

function token(fake: AzureFake, req: FakeRequest): FakeResponse {
  const state = registryState(fake);
  const form = req.form();
  if (form.get('grant_type') !== 'refresh_token') return oauthError(400, 'grant_type must be refresh_token');
  const service = form.get('service') ?? '';
  if (!state.services.has(service)) return oauthError(400, `unknown service "${service}"`);
  const refresh = state.refreshTokens.get(form.get('refresh_token') ?? '');
  if (!refresh || refresh.expiresAt <= Date.now() || refresh.service !== service) {
    return registryError(401, 'UNAUTHORIZED', 'invalid or expired refresh token');
  }
  const requested = form.getAll('scope').flatMap((s) => s.split(' ')).filter(Boolean);
  const scopes = state.denyPull.has(refresh.clientId) ? [] : requested;
  const accessToken = `fake-acr-at.${randomBytes(24).toString('base64url')}`;
  state.accessTokens.set(accessToken, { clientId: refresh.clientId, service, scopes, expiresAt: Date.now() + ACCESS_LIFETIME_S * 1000 });
  return json(200, { access_token: accessToken });
}

function manifest(fake: AzureFake, req: FakeRequest): FakeResponse {
  const state = registryState(fake);
  const repository = req.params.repository ?? '';
  const reference = req.params.reference ?? '';
  const access = bearer(fake, req);
  if (!access || !grants(access.scopes, repository)) return unauthorized(fake, `repository:${repository}:pull`, repository);
  const tags = [...state.images].filter((i) => i.slice(0, i.lastIndexOf(':')) === repository);
  if (tags.length === 0) return registryError(404, 'NAME_UNKNOWN', `repository name not known to registry`, { Name: repository });
  const found = tags.find((i) => i.slice(i.lastIndexOf(':') + 1) === reference || digestOf(i) === reference);
  const accept = String(req.headers.accept ?? '');
  const acceptable = !accept || accept.includes(OCI_MANIFEST) || accept.includes('*/*');
  if (!found || !acceptable) {
    return registryError(404, 'MANIFEST_UNKNOWN', `manifest tagged by "${reference}" is not found`, { Tag: reference });
  }
  const body = manifestBody(found);
  return {
    status: 200,
    headers: {
      'content-type': OCI_MANIFEST,
      'docker-content-digest': digestOf(found),
      'docker-distribution-api-version': 'registry/2.0',
    },
    body: req.method === 'GET' ? JSON.stringify(body) : undefined,
  };
}

function bearer(fake: AzureFake, req: FakeRequest) {
  const match = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '');
  const access = match?.[1] ? registryState(fake).accessTokens.get(match[1]) : undefined;
  const ok = access && access.expiresAt > Date.now();
  req.log.token = { status: !match ? 'missing' : !access ? 'unknown' : ok ? 'valid' : 'expired', ...(access ? { clientId: access.clientId } : {}) };
  return ok ? access : undefined;
}

function grants(scopes: string[], repository: string): boolean {
  return scopes.some((s) => {
    const [type, name, actions] = [s.slice(0, s.indexOf(':')), s.slice(s.indexOf(':') + 1, s.lastIndexOf(':')), s.slice(s.lastIndexOf(':') + 1)];
    return type === 'repository' && name === repository && actions.split(',').some((a) => a === 'pull' || a === '*');
  });
}

function unauthorized(fake: AzureFake, scope?: string, repository?: string): FakeResponse {
  const params = [`realm="${fake.url}/oauth2/token"`, `service="${registryHost(fake)}"`, ...(scope ? [`scope="${scope}"`] : [])];
  return {
    status: 401,
    headers: { 'www-authenticate': `Bearer ${params.join(',')}`, 'docker-distribution-api-version': 'registry/2.0' },
    body: {
      errors: [
        {
          code: 'UNAUTHORIZED',
          message: 'authentication required, visit https://aka.ms/acr/authorization for more information.',
          detail: repository ? [{ Type: 'repository', Name: repository, Action: 'pull' }] : null,
        },
      ],
    },
  };
}

function registryError(status: number, code: string, message: string, detail?: unknown): FakeResponse {
  return { status, body: { errors: [{ code, message, ...(detail ? { detail } : {}) }] } };
}

function oauthError(status: number, description: string): FakeResponse {
  return { status, body: { errors: [{ code: 'INVALID_REQUEST', message: description }] } };
}

function digestOf(image: string): string {
  return `sha256:${createHash('sha256').update(JSON.stringify(manifestBody(image))).digest('hex')}`;
}

function manifestBody(image: string): Record<string, unknown> {
  const layer = createHash('sha256').update(image).digest('hex');
  return {
    schemaVersion: 2,
    mediaType: OCI_MANIFEST,
    config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: `sha256:${layer}`, size: 1469 },
    layers: [{ mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip', digest: `sha256:${layer}`, size: 29_150_000 }],
  };
}

function jwtShaped(payload: Record<string, unknown>): string {
  const part = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
  return `${part({ alg: 'RS256', typ: 'JWT' })}.${part({ ...payload, jti: randomBytes(8).toString('hex') })}.${randomBytes(32).toString('base64url')}`;
}
