// Entra ID (Azure AD v2) as MSAL Node sees it, client-credentials only.
//
// What @azure/identity 4.13 (msal-node 5) asks for, observed on the wire with `authorityHost` = the fake and
// `disableInstanceDiscovery: true` (with instance discovery on it would ask login.microsoftonline.com first):
//   1. GET  /{tenant}/v2.0/.well-known/openid-configuration         (authority metadata; once per credential)
//   2. POST /{tenant}/oauth2/v2.0/token?client-request-id=<uuid>
//      form: client_id, scope=<resource>/.default, grant_type=client_credentials, client_secret,
//            x-client-SKU/VER/OS/CPU, x-ms-lib-capability, x-client-current-telemetry, …, client-request-id
import { randomBytes } from 'node:crypto';
import type { AzureFake, FakeRequest, Route, TokenStatus } from './server.js';
import { entraError, json } from './respond.js';

export interface ServicePrincipal {
  clientId: string;
  tenantId: string;
  clientSecret: string;
  displayName: string;
}

export interface IssuedToken {
  clientId: string;
  tenantId: string;
  /** The resource the token is for: the scope without `/.default` (no trailing slash). */
  audience: string;
  scope: string;
  expiresAt: number;
}

export const TOKEN_LIFETIME_S = 3600;

const TENANT = String.raw`(?<tenant>[^/]+)`;

export function registerEntra(fake: AzureFake, register: (route: Route) => void): void {
  register({
    name: 'entra openid-configuration',
    method: 'GET',
    pattern: new RegExp(String.raw`^/${TENANT}/v2\.0/\.well-known/openid-configuration$`),
    handler: (req) => {
      const tenant = req.params.tenant ?? '';
      if (!fake.state.tenants.has(tenant)) return tenantNotFound(tenant);
      return json(200, openIdConfiguration(fake.url, tenant));
    },
  });

  register({
    name: 'entra token',
    method: 'POST',
    pattern: new RegExp(String.raw`^/${TENANT}/oauth2/v2\.0/token$`),
    handler: (req) => {
      const tenant = req.params.tenant ?? '';
      if (!fake.state.tenants.has(tenant)) return tenantNotFound(tenant);
      const form = req.form();
      const grantType = form.get('grant_type');
      if (grantType !== 'client_credentials') {
        return entraError(400, 'unsupported_grant_type', 70003, `The app requested an unsupported grant type '${grantType ?? ''}'.`);
      }
      const clientId = form.get('client_id') ?? '';
      const principal = fake.state.principals.get(clientId);
      if (!principal || principal.tenantId !== tenant) {
        return entraError(
          400,
          'unauthorized_client',
          700016,
          `Application with identifier '${clientId}' was not found in the directory '${tenant}'.`,
        );
      }
      const secret = form.get('client_secret');
      if (secret === null) {
        return entraError(
          401,
          'invalid_client',
          7000218,
          "The request body must contain the following parameter: 'client_assertion' or 'client_secret'.",
        );
      }
      if (secret !== principal.clientSecret) {
        return entraError(401, 'invalid_client', 7000215, 'Invalid client secret provided.');
      }
      const scope = form.get('scope') ?? '';
      const resource = scope.split(' ').find((s) => s.endsWith('/.default'));
      if (!resource) {
        return entraError(
          400,
          'invalid_scope',
          1002012,
          `The provided value for scope ${scope} is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier (application ID URI).`,
        );
      }
      const accessToken = `fake-at.${randomBytes(24).toString('base64url')}`;
      fake.state.tokens.set(accessToken, {
        clientId,
        tenantId: tenant,
        audience: normalizeAudience(resource.slice(0, -'/.default'.length)),
        scope: resource,
        expiresAt: Date.now() + TOKEN_LIFETIME_S * 1000,
      });
      return json(200, {
        token_type: 'Bearer',
        expires_in: TOKEN_LIFETIME_S,
        ext_expires_in: TOKEN_LIFETIME_S,
        access_token: accessToken,
      });
    },
  });
}

export interface BearerCheck {
  status: TokenStatus;
  token?: IssuedToken;
}

/** Checks `Authorization: Bearer <token>` against the tokens the fake issued for `audience`; annotates the log. */
export function verifyBearer(fake: AzureFake, req: FakeRequest, audience: string): BearerCheck {
  const header = req.headers.authorization ?? '';
  const match = /^Bearer\s+(\S+)$/i.exec(header);
  let check: BearerCheck;
  if (!match?.[1]) check = { status: 'missing' };
  else {
    const token = fake.state.tokens.get(match[1]);
    if (!token) check = { status: 'unknown' };
    else if (token.expiresAt <= Date.now()) check = { status: 'expired', token };
    else if (token.audience.toLowerCase() !== normalizeAudience(audience).toLowerCase()) check = { status: 'wrong-audience', token };
    else check = { status: 'valid', token };
  }
  req.log.token = {
    status: check.status,
    ...(check.token ? { clientId: check.token.clientId, audience: check.token.audience } : {}),
  };
  return check;
}

export function normalizeAudience(resource: string): string {
  return resource.replace(/\/+$/, '');
}

function tenantNotFound(tenant: string) {
  return entraError(
    400,
    'invalid_tenant',
    90002,
    `Tenant '${tenant}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud.`,
  );
}

function openIdConfiguration(base: string, tenant: string): Record<string, unknown> {
  const t = `${base}/${tenant}`;
  return {
    token_endpoint: `${t}/oauth2/v2.0/token`,
    token_endpoint_auth_methods_supported: ['client_secret_post', 'private_key_jwt', 'client_secret_basic'],
    jwks_uri: `${t}/discovery/v2.0/keys`,
    response_modes_supported: ['query', 'fragment', 'form_post'],
    subject_types_supported: ['pairwise'],
    id_token_signing_alg_values_supported: ['RS256'],
    response_types_supported: ['code', 'id_token', 'code id_token', 'id_token token'],
    scopes_supported: ['openid', 'profile', 'email', 'offline_access'],
    issuer: `${t}/v2.0`,
    request_uri_parameter_supported: false,
    userinfo_endpoint: `${base}/oidc/userinfo`,
    authorization_endpoint: `${t}/oauth2/v2.0/authorize`,
    device_authorization_endpoint: `${t}/oauth2/v2.0/devicecode`,
    http_logout_supported: true,
    frontchannel_logout_supported: true,
    end_session_endpoint: `${t}/oauth2/v2.0/logout`,
    claims_supported: ['sub', 'iss', 'aud', 'exp', 'iat', 'auth_time', 'nonce', 'tid', 'oid'],
    kerberos_endpoint: `${t}/kerberos`,
    tenant_region_scope: 'NA',
    cloud_instance_name: new URL(base).host,
    cloud_graph_host_name: new URL(base).host,
    msgraph_host: new URL(base).host,
    rbac_url: base,
  };
}
