# The public entry point: WAF + TLS termination in front of the agents.
#
# Backend: the intent-classifier container group on port 8080. It is the first
# stage of the pipeline and serves the platform's HTTP gateway (POST /v1/chat),
# which hands each message on to the other agents over NATS. Should its private
# IP change (Container Instances may reassign it on restart), the next
# `terraform apply` re-points the pool.

resource "azurerm_public_ip" "app_gateway" {
  name                = "pip-${local.name}-agw"
  location            = azurerm_resource_group.main.location
  resource_group_name = azurerm_resource_group.main.name
  allocation_method   = "Static"
  sku                 = "Standard"
  tags                = local.tags
}

resource "azurerm_web_application_firewall_policy" "main" {
  name                = "waf-${local.name}"
  location            = azurerm_resource_group.main.location
  resource_group_name = azurerm_resource_group.main.name
  tags                = local.tags

  policy_settings {
    enabled                     = true
    mode                        = "Prevention"
    request_body_check          = true
    max_request_body_size_in_kb = 128
    file_upload_limit_in_mb     = 10
  }

  managed_rules {
    managed_rule_set {
      type    = "OWASP"
      version = "3.2"
    }
  }
}

locals {
  agw = {
    frontend_ip     = "public"
    https_port      = "https"
    http_port       = "http"
    https_listener  = "https"
    http_listener   = "http"
    backend_pool    = "intent-classifier"
    backend_setting = "agents-http"
    probe           = "agents-health"
    certificate     = "gateway-tls"
    redirect        = "http-to-https"
  }
}

resource "azurerm_application_gateway" "main" {
  name                              = "agw-${local.name}"
  location                          = azurerm_resource_group.main.location
  resource_group_name               = azurerm_resource_group.main.name
  firewall_policy_id                = azurerm_web_application_firewall_policy.main.id
  force_firewall_policy_association = true
  enable_http2                      = true
  tags                              = local.tags

  sku {
    name = "WAF_v2"
    tier = "WAF_v2"
  }

  # Scales to zero extra instances when idle; the fixed gateway fee remains.
  autoscale_configuration {
    min_capacity = 0
    max_capacity = 2
  }

  identity {
    type         = "UserAssigned"
    identity_ids = [azurerm_user_assigned_identity.gateway.id]
  }

  # TLS 1.2 minimum with TLS 1.3 enabled and only strong cipher suites.
  ssl_policy {
    policy_type = "Predefined"
    policy_name = "AppGwSslPolicy20220101S"
  }

  gateway_ip_configuration {
    name      = "gateway"
    subnet_id = azurerm_subnet.app_gateway.id
  }

  frontend_ip_configuration {
    name                 = local.agw.frontend_ip
    public_ip_address_id = azurerm_public_ip.app_gateway.id
  }

  frontend_port {
    name = local.agw.https_port
    port = 443
  }

  frontend_port {
    name = local.agw.http_port
    port = 80
  }

  # Versionless secret ID: the gateway picks up a renewed certificate by itself.
  ssl_certificate {
    name                = local.agw.certificate
    key_vault_secret_id = local.tls_secret_id
  }

  http_listener {
    name                           = local.agw.https_listener
    frontend_ip_configuration_name = local.agw.frontend_ip
    frontend_port_name             = local.agw.https_port
    protocol                       = "Https"
    ssl_certificate_name           = local.agw.certificate
  }

  http_listener {
    name                           = local.agw.http_listener
    frontend_ip_configuration_name = local.agw.frontend_ip
    frontend_port_name             = local.agw.http_port
    protocol                       = "Http"
  }

  backend_address_pool {
    name         = local.agw.backend_pool
    ip_addresses = [module.agent["intent-classifier"].ip_address]
  }

  probe {
    name                                      = local.agw.probe
    protocol                                  = "Http"
    path                                      = "/health"
    interval                                  = 15
    timeout                                   = 10
    unhealthy_threshold                       = 3
    pick_host_name_from_backend_http_settings = true

    match {
      status_code = ["200-399"]
    }
  }

  backend_http_settings {
    name                                = local.agw.backend_setting
    cookie_based_affinity               = "Disabled"
    port                                = 8080
    protocol                            = "Http"
    request_timeout                     = 60
    probe_name                          = local.agw.probe
    pick_host_name_from_backend_address = true
  }

  request_routing_rule {
    name                       = "agents"
    priority                   = 100
    rule_type                  = "Basic"
    http_listener_name         = local.agw.https_listener
    backend_address_pool_name  = local.agw.backend_pool
    backend_http_settings_name = local.agw.backend_setting
  }

  redirect_configuration {
    name                 = local.agw.redirect
    redirect_type        = "Permanent"
    target_listener_name = local.agw.https_listener
    include_path         = true
    include_query_string = true
  }

  request_routing_rule {
    name                        = "http-to-https"
    priority                    = 200
    rule_type                   = "Basic"
    http_listener_name          = local.agw.http_listener
    redirect_configuration_name = local.agw.redirect
  }

  # The gateway's identity must be able to read the certificate before the
  # gateway is created; the access policy lives on the vault.
  depends_on = [
    azurerm_key_vault.main,
    azurerm_subnet_network_security_group_association.app_gateway,
  ]
}
