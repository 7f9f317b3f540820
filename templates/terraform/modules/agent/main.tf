# One agent = one container group on the private subnet.
#
# Terraform creates the group; releases (image, environment) are rolled out by
# `mac deploy` through the Azure SDK. ignore_changes on `container` keeps a
# later `terraform apply` from reverting a release, so a release never needs
# an apply and an apply never undoes a release. `tags` too: mac adds its own
# (the agent, the hash of the spec it deployed) to the ones it reads from the
# root module's `tags` output.

locals {
  registry_host = split("/", var.image_registry)[0]
}

resource "azurerm_container_group" "this" {
  name                = var.group_name
  location            = var.location
  resource_group_name = var.resource_group_name
  os_type             = "Linux"
  ip_address_type     = "Private"
  subnet_ids          = [var.subnet_id]
  restart_policy      = "Always"
  tags                = var.tags

  identity {
    type         = "UserAssigned"
    identity_ids = [var.identity_id]
  }

  # Azure Container Registry pulls with the identity (it needs AcrPull there),
  # so no registry password exists anywhere. Other registries must be public.
  dynamic "image_registry_credential" {
    for_each = endswith(local.registry_host, ".azurecr.io") ? [local.registry_host] : []
    content {
      server                    = image_registry_credential.value
      user_assigned_identity_id = var.identity_id
    }
  }

  exposed_port {
    port     = var.port
    protocol = "TCP"
  }

  container {
    name   = var.name
    image  = "${var.image_registry}/${var.name}:${var.image_tag}"
    cpu    = var.cpu
    memory = var.memory

    ports {
      port     = var.port
      protocol = "TCP"
    }

    environment_variables = merge(var.environment_variables, {
      AGENT_NAME      = var.name
      PORT            = tostring(var.port)
      NATS_URL        = var.nats_url
      KEY_VAULT_URI   = var.key_vault_uri
      AZURE_CLIENT_ID = var.identity_client_id
    })

    secure_environment_variables = {
      APPLICATIONINSIGHTS_CONNECTION_STRING = var.appinsights_connection_string
    }

    liveness_probe {
      http_get {
        path   = "/health"
        port   = var.port
        scheme = "Http"
      }
      initial_delay_seconds = 15
      period_seconds        = 10
      failure_threshold     = 3
      timeout_seconds       = 5
    }

    readiness_probe {
      http_get {
        path   = "/ready"
        port   = var.port
        scheme = "Http"
      }
      initial_delay_seconds = 5
      period_seconds        = 10
      failure_threshold     = 3
      timeout_seconds       = 5
    }
  }

  lifecycle {
    ignore_changes = [
      container,
      image_registry_credential,
      tags,
    ]
  }
}
