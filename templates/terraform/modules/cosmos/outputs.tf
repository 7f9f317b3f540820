output "id" {
  description = "Resource ID of the Cosmos DB account."
  value       = azurerm_cosmosdb_account.this.id
}

output "name" {
  description = "Name of the Cosmos DB account."
  value       = azurerm_cosmosdb_account.this.name
}

output "endpoint" {
  description = "Endpoint of the Cosmos DB account."
  value       = azurerm_cosmosdb_account.this.endpoint
}

output "database_name" {
  description = "Name of the MongoDB database."
  value       = var.database_name
}

output "primary_mongodb_connection_string" {
  description = "Primary MongoDB connection string (stored in Key Vault by the root module)."
  value       = azurerm_cosmosdb_account.this.primary_mongodb_connection_string
  sensitive   = true
}
