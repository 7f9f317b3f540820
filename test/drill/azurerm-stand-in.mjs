// What the azurerm provider would do to Azure, for the terraform_data stack of test/drill/azure-drill.test.ts: Terraform
// runs this through local-exec provisioners when it creates or destroys a stand-in resource, so the Azure fake sees
// the provider's requests in Terraform's own order, with the credentials Terraform hands its provider (ARM_*).
//
//   node azurerm-stand-in.mjs cosmos-create   RG ACCOUNT LOCATION [RESTORE_SOURCE RESTORE_TIMESTAMP]: creates the
//                                             account (in restore mode when a source is given) and waits for it; an
//                                             existing account without a restore is adopted (as after an import);
//                                             one an earlier create left Failed is deleted first (tainted: replaced)
//   node azurerm-stand-in.mjs cosmos-delete   RG ACCOUNT: deletes it and waits
//   node azurerm-stand-in.mjs groups-delete   RG GROUPS (comma-separated): what deleting the resource group does to them
//   node azurerm-stand-in.mjs secret-delete   VAULT_URL SECRET: the secret goes into soft delete
// Settings come as environment variables (FAKE_URL and the names above); failures exit 1 with a line on stderr.
const e = process.env;
const fake = e.FAKE_URL;
const sub = e.ARM_SUBSCRIPTION_ID;
const tokens = new Map();

async function token(resource) {
  if (!tokens.has(resource)) {
    const res = await fetch(`${fake}/${e.ARM_TENANT_ID}/oauth2/v2.0/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'client_credentials', client_id: e.ARM_CLIENT_ID, client_secret: e.ARM_CLIENT_SECRET, scope: `${resource}/.default` }),
    });
    if (!res.ok) throw new Error(`token for ${resource}: HTTP ${res.status} ${await res.text()}`);
    tokens.set(resource, (await res.json()).access_token);
  }
  return tokens.get(resource);
}

async function call(method, url, { resource = fake, body } = {}) {
  const res = await fetch(url.startsWith('http') ? url : `${fake}${url}`, {
    method,
    headers: { authorization: `Bearer ${await token(resource)}`, ...(body ? { 'content-type': 'application/json' } : {}) },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, json: text ? JSON.parse(text) : undefined, text };
}

/** Polls an Azure-AsyncOperation URL until the operation ends; throws when it failed. */
async function settle(res, what) {
  const url = res.headers.get('azure-asyncoperation');
  if (!url) return;
  for (let i = 0; i < 500; i++) {
    const op = await call('GET', url);
    const status = op.json?.status;
    if (status === 'Succeeded') return;
    if (status === 'Failed' || status === 'Canceled') throw new Error(`${what}: ${status}: ${op.json?.error?.message ?? op.text}`);
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`${what}: still running`);
}

const account = () => `/subscriptions/${sub}/resourceGroups/${e.RG}/providers/Microsoft.DocumentDB/databaseAccounts/${e.ACCOUNT}?api-version=2024-11-15`;

const ops = {
  async 'cosmos-create'() {
    const restore = e.RESTORE_SOURCE ? { createMode: 'Restore', restoreParameters: { restoreMode: 'PointInTime', restoreSource: e.RESTORE_SOURCE, restoreTimestampInUtc: e.RESTORE_TIMESTAMP } } : {};
    const existing = await call('GET', account());
    if (existing.status === 200 && !e.RESTORE_SOURCE) return;
    // An account an earlier create left Failed is what Terraform replaces as tainted (destroy-time provisioners do not
    // run for a tainted resource, so the provider's delete is done here).
    if (existing.status === 200 && existing.json?.properties?.provisioningState === 'Failed') await ops['cosmos-delete']();
    const res = await call('PUT', account(), {
      body: {
        location: e.LOCATION,
        kind: 'MongoDB',
        properties: {
          databaseAccountOfferType: 'Standard',
          locations: [{ locationName: e.LOCATION, failoverPriority: 0, isZoneRedundant: false }],
          backupPolicy: { type: 'Continuous', continuousModeProperties: { tier: 'Continuous30Days' } },
          capabilities: [{ name: 'EnableServerless' }, { name: 'EnableMongo' }],
          ...restore,
        },
      },
    });
    if (res.status >= 300) throw new Error(`PUT ${e.ACCOUNT}: HTTP ${res.status} ${res.text}`);
    await settle(res, `creating ${e.ACCOUNT}`);
  },
  async 'cosmos-delete'() {
    const res = await call('DELETE', account());
    if (res.status >= 300 && res.status !== 404) throw new Error(`DELETE ${e.ACCOUNT}: HTTP ${res.status} ${res.text}`);
    await settle(res, `deleting ${e.ACCOUNT}`);
  },
  async 'groups-delete'() {
    for (const group of e.GROUPS.split(',')) {
      const res = await call('DELETE', `/subscriptions/${sub}/resourceGroups/${e.RG}/providers/Microsoft.ContainerInstance/containerGroups/${group}?api-version=2023-05-01`);
      if (res.status >= 300) throw new Error(`DELETE ${group}: HTTP ${res.status} ${res.text}`);
      await settle(res, `deleting ${group}`);
    }
  },
  async 'secret-delete'() {
    const res = await call('DELETE', `${e.VAULT_URL.replace(/\/+$/, '')}/secrets/${e.SECRET}?api-version=7.5`, { resource: 'https://vault.azure.net' });
    if (res.status >= 300 && res.status !== 404) throw new Error(`DELETE secret ${e.SECRET}: HTTP ${res.status} ${res.text}`);
  },
};

const op = ops[process.argv[2]];
if (!op) {
  console.error(`unknown operation ${process.argv[2]}`);
  process.exit(2);
}
op().catch((err) => {
  console.error(`azurerm stand-in: ${err.message}`);
  process.exit(1);
});
