// terraform.tfvars.json for the Phase 4 templates, derived from an azure environment in mac.yaml.
// It never holds a secret: credentials reach Terraform as ARM_* variables at run time.
import { AGENT_NAMES, type AgentName, type AzureEnvironmentConfig } from '../config/schema.js';

export interface AgentResources {
  cpu: number;
  memory: number;
}

/** Must match the `agents` default in templates/terraform/phase4_prod/variables.tf. */
export function defaultAgentResources(agent: AgentName): AgentResources {
  return agent.startsWith('response-generator-') ? { cpu: 1, memory: 2 } : { cpu: 0.5, memory: 1 };
}

export function firstOfMonth(now: Date): string {
  return `${now.toISOString().slice(0, 7)}-01T00:00:00Z`;
}

export function buildTfvars(envName: string, env: AzureEnvironmentConfig, budgetStartDate: string): Record<string, unknown> {
  const agents = Object.fromEntries(AGENT_NAMES.map((a) => [a, env.agents[a] ?? defaultAgentResources(a)]));
  return {
    subscription_id: env.subscription,
    environment: envName,
    location: env.region,
    name_prefix: env.namePrefix,
    resource_group_name: env.resourceGroup,
    budget_amount: env.budget.amount,
    alert_thresholds: env.budget.thresholds,
    alert_emails: env.budget.contactEmails,
    budget_start_date: budgetStartDate,
    agents,
    image_registry: env.images.registry ?? `${env.namePrefix}acr.azurecr.io`,
    image_tag: env.images.tag,
  };
}
