module "cosmos" {
  source = "../modules/cosmos"

  account_name        = local.cosmos_account_name
  location            = azurerm_resource_group.main.location
  resource_group_name = azurerm_resource_group.main.name
  database_name       = "customer-service"
  collections         = ["orders", "tickets", "knowledge-base", "analytics"]

  # Both set: the account is created in Restore mode from that point in time.
  restore_source_id = var.cosmos_restore_source_id
  restore_timestamp = var.cosmos_restore_timestamp

  tags = local.tags
}
