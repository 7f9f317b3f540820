// What every ARM (management plane) route shares, in the order ARM applies it:
// bearer token for the ARM audience → api-version present → subscription exists. Then the route's own handler.
import type { AzureFake, FakeRequest, FakeResponse, Route } from './server.js';
import type { FakeSubscription } from './arm-resources.js';
import { verifyBearer } from './entra.js';
import { armError } from './respond.js';

export interface ArmContext {
  /** Set when the route's pattern has a `subscriptionId` group. */
  subscription: FakeSubscription | undefined;
  apiVersion: string;
}

export type ArmHandler = (req: FakeRequest, ctx: ArmContext, fake: AzureFake) => FakeResponse | Promise<FakeResponse>;

/** `/subscriptions/{subscriptionId}` as a pattern fragment (ARM paths are case-insensitive: use the `i` flag). */
export const SUBSCRIPTION = String.raw`/subscriptions/(?<subscriptionId>[^/]+)`;

export function armRoute(name: string, method: string, pattern: RegExp, handler: ArmHandler): Route {
  return {
    name,
    method: method.toUpperCase(),
    pattern,
    handler: (req, fake) => {
      const denied = requireArmToken(fake, req);
      if (denied) return denied;
      const apiVersion = req.query.get('api-version');
      if (!apiVersion) {
        return armError(
          400,
          'MissingApiVersionParameter',
          "The api-version query parameter (?api-version=) is required for all requests.",
        );
      }
      let subscription: FakeSubscription | undefined;
      const subscriptionId = req.params.subscriptionId;
      if (subscriptionId !== undefined) {
        subscription = fake.state.subscriptions.get(subscriptionId.toLowerCase());
        if (!subscription) {
          return armError(404, 'SubscriptionNotFound', `The subscription '${subscriptionId}' could not be found.`);
        }
      }
      return handler(req, { subscription, apiVersion }, fake);
    },
  };
}

/** 401 unless the request carries a token the fake issued for the ARM endpoint (the fake's own URL). */
export function requireArmToken(fake: AzureFake, req: FakeRequest): FakeResponse | undefined {
  const check = verifyBearer(fake, req, fake.url);
  if (check.status === 'valid') return undefined;
  const reasons: Record<Exclude<typeof check.status, 'valid'>, [code: string, message: string]> = {
    missing: ['InvalidAuthenticationToken', "The access token is missing: the request has no 'Authorization: Bearer' header."],
    unknown: ['InvalidAuthenticationToken', 'The access token is invalid (it was not issued by this authority).'],
    expired: ['ExpiredAuthenticationToken', 'The access token expiry UTC time is earlier than current UTC time.'],
    'wrong-audience': [
      'InvalidAuthenticationTokenAudience',
      `The access token has been obtained for wrong audience or resource '${check.token?.audience ?? ''}'. It should exactly match with one of the allowed audiences '${fake.url}', '${fake.url}/'.`,
    ],
  };
  const [code, message] = reasons[check.status];
  return armError(401, code, message, {
    'WWW-Authenticate': `Bearer authorization_uri="${fake.url}/${fake.tenantId}", error="invalid_token", error_description="${message.replace(/"/g, "'")}"`,
  });
}
