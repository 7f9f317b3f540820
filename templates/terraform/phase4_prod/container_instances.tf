# The identity every agent runs as: Key Vault reads, registry pulls. No agent
# holds a password.
resource "azurerm_user_assigned_identity" "agents" {
  name                = "id-${local.name}-agents"
  location            = azurerm_resource_group.main.location
  resource_group_name = azurerm_resource_group.main.name
  tags                = local.tags
}

# JetStream keeps its streams (7-day event retention) on an Azure Files share so
# a restart of the group loses no events. The share is mounted with the account
# key, which Container Instances requires; it lives only in Terraform state.
resource "azurerm_storage_share" "nats" {
  name                 = "nats-jetstream"
  storage_account_name = azurerm_storage_account.main.name
  quota                = 10
}

resource "azurerm_container_group" "nats" {
  name                = "ci-${local.name}-nats"
  location            = azurerm_resource_group.main.location
  resource_group_name = azurerm_resource_group.main.name
  os_type             = "Linux"
  ip_address_type     = "Private"
  subnet_ids          = [azurerm_subnet.containers.id]
  restart_policy      = "Always"
  tags                = local.tags

  exposed_port {
    port     = 4222
    protocol = "TCP"
  }

  container {
    name   = "nats"
    image  = "docker.io/library/nats:2.10-alpine"
    cpu    = var.nats_cpu
    memory = var.nats_memory

    # -js enables JetStream, -sd puts its store on the share, -m serves /healthz.
    commands = ["nats-server", "-js", "-sd", "/data/jetstream", "-m", "8222"]

    ports {
      port     = 4222
      protocol = "TCP"
    }

    volume {
      name                 = "jetstream"
      mount_path           = "/data"
      share_name           = azurerm_storage_share.nats.name
      storage_account_name = azurerm_storage_account.main.name
      storage_account_key  = azurerm_storage_account.main.primary_access_key
    }

    liveness_probe {
      http_get {
        path   = "/healthz"
        port   = 8222
        scheme = "Http"
      }
      initial_delay_seconds = 10
      period_seconds        = 15
    }
  }

  depends_on = [azurerm_subnet_network_security_group_association.containers]
}

module "agent" {
  source   = "../modules/agent"
  for_each = var.agents

  name                = each.key
  group_name          = "ci-${local.name}-${each.key}"
  location            = azurerm_resource_group.main.location
  resource_group_name = azurerm_resource_group.main.name
  subnet_id           = azurerm_subnet.containers.id
  identity_id         = azurerm_user_assigned_identity.agents.id
  identity_client_id  = azurerm_user_assigned_identity.agents.client_id
  image_registry      = var.image_registry
  image_tag           = var.image_tag
  cpu                 = each.value.cpu
  memory              = each.value.memory
  nats_url            = local.nats_url
  key_vault_uri       = azurerm_key_vault.main.vault_uri

  appinsights_connection_string = module.monitoring.application_insights_connection_string

  environment_variables = {
    AZURE_OPENAI_ENDPOINT = azurerm_cognitive_account.openai.endpoint
    COSMOS_DATABASE       = module.cosmos.database_name
  }

  tags = local.tags

  # Without the NSG on the subnet the groups would start unfiltered.
  depends_on = [azurerm_subnet_network_security_group_association.containers]
}
