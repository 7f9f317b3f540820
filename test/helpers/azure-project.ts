// A project folder for an azure environment `prod` against the HTTPS Azure fake: mac.yaml (subscription, resource
// group, terraformDir `infra`, the fake as ARM endpoint and authority, plus the caller's extra keys), the Terraform
// stand-in stack as infra/main.tf, the shop's integration URLs, and the empty backend settings `mac infra bootstrap` writes for a local backend.
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { AzureFake } from '../fakes/azure/server.js';

export async function writeAzureProject(dir: string, fake: AzureFake, o: { resourceGroup: string; stack: string; yaml?: string[] }): Promise<void> {
  await mkdir(path.join(dir, 'infra'), { recursive: true });
  await writeFile(path.join(dir, 'infra', 'main.tf'), o.stack);
  const lines = [
    'version: 1',
    'environments:',
    '  prod:',
    '    target: azure',
    `    subscription: ${fake.subscriptionId}`,
    `    resourceGroup: ${o.resourceGroup}`,
    '    terraformDir: infra',
    '    cloud:',
    `      armEndpoint: ${fake.url}`,
    `      authorityHost: ${fake.url}`,
    // Where the containers would reach the shop; nothing here calls them (the containers do not run).
    '    integrations:',
    '      shopifyUrl: https://demo-shop.myshopify.com',
    '      zendeskUrl: https://demo-shop.zendesk.com',
    '      zendeskEmail: agent@mock.example.com',
    ...(o.yaml ?? []).map((l) => `    ${l}`),
  ];
  await writeFile(path.join(dir, 'mac.yaml'), `${lines.join('\n')}\n`);
  await mkdir(path.join(dir, '.mac', 'prod'), { recursive: true, mode: 0o700 });
  await writeFile(path.join(dir, '.mac', 'prod', 'terraform-backend.json'), '{}\n');
}
