// Microsoft.Resources: resource groups (ResourceGroups_List / _Get / _CheckExistence / _CreateOrUpdate).
// Shapes follow the REST examples in Azure/azure-rest-api-specs
// (specification/resources/resource-manager/Microsoft.Resources/resources/examples/2025-04-01/ResourceGroups_Get.json,
// CreateResourceGroup.json); a list is `{ value: ResourceGroup[], nextLink? }`, paged with `$top` + a skip token.
import type { AzureFake, Route } from './server.js';
import { armRoute, SUBSCRIPTION } from './arm.js';
import { armError, empty, json } from './respond.js';

export interface ResourceGroup {
  id: string;
  name: string;
  type: 'Microsoft.Resources/resourceGroups';
  location: string;
  tags?: Record<string, string>;
  managedBy?: string;
  properties: { provisioningState: string };
}

export interface FakeSubscription {
  subscriptionId: string;
  tenantId: string;
  displayName: string;
  /** By lower-case name (resource group names are case-insensitive). */
  resourceGroups: Map<string, ResourceGroup>;
}

const NAME = String.raw`(?<resourceGroupName>[^/]+)`;

export function registerResourceGroups(_fake: AzureFake, register: (route: Route) => void): void {
  register(
    armRoute('arm resourcegroups list', 'GET', new RegExp(String.raw`^${SUBSCRIPTION}/resourcegroups$`, 'i'), (req, ctx, fake) => {
      const all = [...ctx.subscription!.resourceGroups.values()];
      const top = Number(req.query.get('$top') ?? '') || undefined;
      const skip = Number(req.query.get('$skiptoken') ?? '0') || 0;
      const page = top === undefined ? all.slice(skip) : all.slice(skip, skip + top);
      const body: { value: ResourceGroup[]; nextLink?: string } = { value: page };
      if (top !== undefined && skip + top < all.length) {
        const next = new URL(`${fake.url}${req.path}`);
        next.searchParams.set('api-version', ctx.apiVersion);
        next.searchParams.set('$top', String(top));
        next.searchParams.set('$skiptoken', String(skip + top));
        body.nextLink = next.toString();
      }
      return json(200, body);
    }),
  );

  const one = new RegExp(String.raw`^${SUBSCRIPTION}/resourcegroups/${NAME}$`, 'i');

  register(
    armRoute('arm resourcegroups get', 'GET', one, (req, ctx) => {
      const group = ctx.subscription!.resourceGroups.get((req.params.resourceGroupName ?? '').toLowerCase());
      return group ? json(200, group) : notFound(req.params.resourceGroupName ?? '');
    }),
  );

  register(
    armRoute('arm resourcegroups head', 'HEAD', one, (req, ctx) =>
      empty(ctx.subscription!.resourceGroups.has((req.params.resourceGroupName ?? '').toLowerCase()) ? 204 : 404),
    ),
  );

  register(
    armRoute('arm resourcegroups put', 'PUT', one, (req, ctx) => {
      let body: { location?: unknown; tags?: unknown; managedBy?: unknown } | undefined;
      try {
        body = req.json();
      } catch {
        return armError(400, 'InvalidRequestContent', 'The request content was invalid and could not be deserialized.');
      }
      if (typeof body?.location !== 'string' || !body.location) {
        return armError(400, 'LocationRequired', 'The location property is required for this definition.');
      }
      const name = req.params.resourceGroupName ?? '';
      const existing = ctx.subscription!.resourceGroups.get(name.toLowerCase());
      if (existing && existing.location.toLowerCase() !== body.location.toLowerCase()) {
        return armError(
          409,
          'InvalidResourceGroupLocation',
          `Invalid resource group location '${body.location}'. The Resource group already exists in location '${existing.location}' in resource group '${existing.name}'. A resource group with the same name cannot be created in location '${body.location}'. Please select a new resource group name.`,
        );
      }
      const group = putResourceGroup(ctx.subscription!, existing?.name ?? name, {
        location: body.location,
        ...(isTags(body.tags) ? { tags: body.tags } : {}),
        ...(typeof body.managedBy === 'string' ? { managedBy: body.managedBy } : {}),
      });
      return json(existing ? 200 : 201, group);
    }),
  );
}

/** Creates or replaces a resource group in the fake's state (also for seeding from a test). */
export function putResourceGroup(
  subscription: FakeSubscription,
  name: string,
  spec: { location: string; tags?: Record<string, string>; managedBy?: string },
): ResourceGroup {
  const group: ResourceGroup = {
    id: `/subscriptions/${subscription.subscriptionId}/resourceGroups/${name}`,
    name,
    type: 'Microsoft.Resources/resourceGroups',
    location: spec.location,
    ...(spec.tags ? { tags: spec.tags } : {}),
    ...(spec.managedBy ? { managedBy: spec.managedBy } : {}),
    properties: { provisioningState: 'Succeeded' },
  };
  subscription.resourceGroups.set(name.toLowerCase(), group);
  return group;
}

/** Seeds a resource group in the fake's default subscription. */
export function seedResourceGroup(
  fake: AzureFake,
  name: string,
  spec: { location: string; tags?: Record<string, string> } = { location: 'eastus' },
): ResourceGroup {
  const subscription = fake.state.subscriptions.get(fake.subscriptionId.toLowerCase());
  if (!subscription) throw new Error(`the fake has no subscription ${fake.subscriptionId}`);
  return putResourceGroup(subscription, name, spec);
}

function notFound(name: string) {
  return armError(404, 'ResourceGroupNotFound', `Resource group '${name}' could not be found.`);
}

function isTags(value: unknown): value is Record<string, string> {
  return typeof value === 'object' && value !== null && Object.values(value).every((v) => typeof v === 'string');
}
