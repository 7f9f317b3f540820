# Cosmos DB for MongoDB, serverless, reachable only through its private endpoint.
# Continuous backup gives point-in-time restore, which the DR drill exercises by
# creating a new account in Restore mode from the two restore inputs.

locals {
  restoring = var.restore_source_id != null && var.restore_timestamp != null
}

resource "azurerm_cosmosdb_account" "this" {
  name                          = var.account_name
  location                      = var.location
  resource_group_name           = var.resource_group_name
  offer_type                    = "Standard"
  kind                          = "MongoDB"
  mongo_server_version          = "4.2"
  public_network_access_enabled = false
  create_mode                   = local.restoring ? "Restore" : null
  tags                          = var.tags

  capabilities {
    name = "EnableServerless"
  }

  capabilities {
    name = "EnableMongo"
  }

  consistency_policy {
    consistency_level = "Session"
  }

  geo_location {
    location          = var.location
    failover_priority = 0
  }

  backup {
    type = "Continuous"
  }

  dynamic "restore" {
    for_each = local.restoring ? [1] : []
    content {
      source_cosmosdb_account_id = var.restore_source_id
      restore_timestamp_in_utc   = var.restore_timestamp
    }
  }

  lifecycle {
    # Both are only read when the account is created (and both force a replacement when they change): once a drill
    # has restored the account, a later apply without the restore variables must not replace it with an empty one.
    ignore_changes = [create_mode, restore]

    precondition {
      condition     = (var.restore_source_id == null) == (var.restore_timestamp == null)
      error_message = "Set cosmos_restore_source_id and cosmos_restore_timestamp together (DR drill) or leave both null."
    }
  }
}

# A restored account already holds the database and its collections; creating
# them again would fail, so they are only managed for a fresh account.
resource "azurerm_cosmosdb_mongo_database" "this" {
  count               = local.restoring ? 0 : 1
  name                = var.database_name
  resource_group_name = var.resource_group_name
  account_name        = azurerm_cosmosdb_account.this.name
}

resource "azurerm_cosmosdb_mongo_collection" "this" {
  for_each            = local.restoring ? toset([]) : toset(var.collections)
  name                = each.value
  resource_group_name = var.resource_group_name
  account_name        = azurerm_cosmosdb_account.this.name
  database_name       = azurerm_cosmosdb_mongo_database.this[0].name

  # MongoDB 3.6+ requires the _id index to be declared, or every plan shows a diff.
  index {
    keys   = ["_id"]
    unique = true
  }
}
