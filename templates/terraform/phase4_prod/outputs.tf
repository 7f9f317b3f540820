output "resource_group_name" {
  description = "Resource group that holds the platform."
  value       = azurerm_resource_group.main.name
}

output "location" {
  description = "Azure region of the platform."
  value       = azurerm_resource_group.main.location
}

output "key_vault_name" {
  description = "Name of the Key Vault."
  value       = azurerm_key_vault.main.name
}

output "key_vault_uri" {
  description = "URI of the Key Vault (secrets, PII tokens, gateway certificate)."
  value       = azurerm_key_vault.main.vault_uri
}

output "cosmos_account_id" {
  description = "Resource ID of the Cosmos DB account (the DR drill restores from it)."
  value       = module.cosmos.id
}

output "cosmos_account_name" {
  description = "Name of the Cosmos DB account."
  value       = module.cosmos.name
}

output "cosmos_database_name" {
  description = "Name of the MongoDB database."
  value       = module.cosmos.database_name
}

output "openai_endpoint" {
  description = "Endpoint of the Azure OpenAI account."
  value       = azurerm_cognitive_account.openai.endpoint
}

output "openai_deployments" {
  description = "Azure OpenAI deployment names by model."
  value = {
    "gpt-4o-mini"            = azurerm_cognitive_deployment.gpt4o_mini.name
    "gpt-4o"                 = azurerm_cognitive_deployment.gpt4o.name
    "text-embedding-3-large" = azurerm_cognitive_deployment.embedding.name
  }
}

output "app_gateway_public_ip" {
  description = "Public IP address of the Application Gateway (the platform's HTTPS entry point)."
  value       = azurerm_public_ip.app_gateway.ip_address
}

output "container_group_ids" {
  description = "Container group resource IDs by agent name; `mac deploy` rolls releases out to these."
  value       = { for agent, m in module.agent : agent => m.id }
}

output "container_group_names" {
  description = "Container group names by agent name."
  value       = { for agent, m in module.agent : agent => m.name }
}

output "agent_private_ips" {
  description = "Private IP of each agent's container group."
  value       = { for agent, m in module.agent : agent => m.ip_address }
}

output "nats_url" {
  description = "NATS JetStream URL inside the virtual network."
  value       = local.nats_url
}

output "agents_identity_id" {
  description = "Resource ID of the user-assigned identity the agents run as."
  value       = azurerm_user_assigned_identity.agents.id
}

output "agents_identity_client_id" {
  description = "Client ID of the agents' identity."
  value       = azurerm_user_assigned_identity.agents.client_id
}

output "tags" {
  description = "Tags every resource carries; mac deploy puts them on the container groups it rolls out."
  value       = local.tags
}

output "container_subnet_id" {
  description = "ID of the subnet the agent container groups run in."
  value       = azurerm_subnet.containers.id
}

output "knowledge_base_cdn_url" {
  description = "HTTPS base URL of the knowledge base on the CDN."
  value       = "https://${azurerm_cdn_frontdoor_endpoint.knowledge_base.host_name}/"
}

output "storage_account_name" {
  description = "Name of the storage account holding the knowledge-base container."
  value       = azurerm_storage_account.main.name
}

output "application_insights_connection_string" {
  description = "Application Insights connection string."
  value       = module.monitoring.application_insights_connection_string
  sensitive   = true
}
