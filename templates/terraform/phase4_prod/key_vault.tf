# The identity Application Gateway uses to read its TLS certificate from Key Vault.
resource "azurerm_user_assigned_identity" "gateway" {
  name                = "id-${local.name}-gateway"
  location            = azurerm_resource_group.main.location
  resource_group_name = azurerm_resource_group.main.name
  tags                = local.tags
}

resource "azurerm_key_vault" "main" {
  name                       = local.key_vault_name
  location                   = azurerm_resource_group.main.location
  resource_group_name        = azurerm_resource_group.main.name
  tenant_id                  = data.azurerm_client_config.current.tenant_id
  sku_name                   = "standard"
  soft_delete_retention_days = 90
  purge_protection_enabled   = true
  tags                       = local.tags

  # Agents and the gateway reach the vault through its private endpoint; the
  # public endpoint stays open because `mac secrets rotate` and Terraform run
  # from the operator's machine. Every call still needs Entra ID + a policy below.
  public_network_access_enabled = true

  network_acls {
    bypass         = "AzureServices"
    default_action = "Allow"
  }

  # Agents only read secrets.
  access_policy {
    tenant_id          = data.azurerm_client_config.current.tenant_id
    object_id          = azurerm_user_assigned_identity.agents.principal_id
    secret_permissions = ["Get", "List"]
  }

  # The gateway reads its certificate as a secret.
  access_policy {
    tenant_id          = data.azurerm_client_config.current.tenant_id
    object_id          = azurerm_user_assigned_identity.gateway.principal_id
    secret_permissions = ["Get"]
  }

  # The deploying principal: mac writes and rotates secrets (new versions,
  # rollback from backup, recovery of soft-deleted ones) and may import the
  # gateway certificate. No Purge: purge protection forbids it anyway.
  access_policy {
    tenant_id               = data.azurerm_client_config.current.tenant_id
    object_id               = data.azurerm_client_config.current.object_id
    secret_permissions      = ["Get", "List", "Set", "Delete", "Recover", "Backup", "Restore"]
    certificate_permissions = ["Get", "List", "Create", "Import", "Update", "Delete", "Recover", "Backup", "Restore"]
  }
}

# Seeded once from the resources Terraform created; mac owns rotation after
# that, so a later apply must not write the old value back.
resource "azurerm_key_vault_secret" "cosmos_connection_string" {
  name         = "cosmos-connection-string"
  value        = module.cosmos.primary_mongodb_connection_string
  key_vault_id = azurerm_key_vault.main.id
  content_type = "text/plain"
  tags         = local.tags

  lifecycle {
    ignore_changes = [value]
  }
}

resource "azurerm_key_vault_secret" "openai_api_key" {
  name         = "azure-openai-api-key"
  value        = azurerm_cognitive_account.openai.primary_access_key
  key_vault_id = azurerm_key_vault.main.id
  content_type = "text/plain"
  tags         = local.tags

  lifecycle {
    ignore_changes = [value]
  }
}

# The agents' telemetry connection string. The output is sensitive and mac
# never reads sensitive outputs, so `mac deploy` reads it from here and gives
# it to every agent as a secure environment value.
resource "azurerm_key_vault_secret" "appinsights_connection_string" {
  name         = "applicationinsights-connection-string"
  value        = module.monitoring.application_insights_connection_string
  key_vault_id = azurerm_key_vault.main.id
  content_type = "text/plain"
  tags         = local.tags

  lifecycle {
    ignore_changes = [value]
  }
}

# Without a certificate of the operator's own, the gateway still serves HTTPS
# with a self-signed one; replace it by setting tls_certificate_secret_id.
resource "azurerm_key_vault_certificate" "gateway_self_signed" {
  count        = var.tls_certificate_secret_id == null ? 1 : 0
  name         = "gateway-tls-self-signed"
  key_vault_id = azurerm_key_vault.main.id
  tags         = local.tags

  certificate_policy {
    issuer_parameters {
      name = "Self"
    }

    key_properties {
      exportable = true
      key_size   = 2048
      key_type   = "RSA"
      reuse_key  = false
    }

    lifetime_action {
      action {
        action_type = "AutoRenew"
      }

      trigger {
        days_before_expiry = 30
      }
    }

    secret_properties {
      content_type = "application/x-pkcs12"
    }

    x509_certificate_properties {
      subject            = "CN=${local.name}"
      validity_in_months = 12
      key_usage          = ["digitalSignature", "keyEncipherment"]
      extended_key_usage = ["1.3.6.1.5.5.7.3.1"]
    }
  }
}
