# Blob storage for the knowledge base (published through the CDN) and the NATS
# JetStream share. The public endpoint stays on: the CDN pulls from it, and
# azurerm 3.x manages containers and shares through the data plane. Agents
# use the blob private endpoint instead.
resource "azurerm_storage_account" "main" {
  name                            = local.storage_account_name
  location                        = azurerm_resource_group.main.location
  resource_group_name             = azurerm_resource_group.main.name
  account_kind                    = "StorageV2"
  account_tier                    = "Standard"
  account_replication_type        = "LRS"
  min_tls_version                 = "TLS1_2"
  public_network_access_enabled   = true
  allow_nested_items_to_be_public = true
  tags                            = local.tags

  blob_properties {
    delete_retention_policy {
      days = 7
    }

    container_delete_retention_policy {
      days = 7
    }
  }
}

# Anonymous read of single blobs (no listing) so the CDN can serve the
# customer-facing articles; put nothing private in this container.
resource "azurerm_storage_container" "knowledge_base" {
  name                  = "knowledge-base"
  storage_account_name  = azurerm_storage_account.main.name
  container_access_type = "blob"
}

# Azure Front Door Standard is the CDN: Azure CDN from Microsoft (classic),
# i.e. azurerm_cdn_profile/azurerm_cdn_endpoint, no longer accepts new profiles.
resource "azurerm_cdn_frontdoor_profile" "main" {
  name                = "afd-${local.name}"
  resource_group_name = azurerm_resource_group.main.name
  sku_name            = "Standard_AzureFrontDoor"
  tags                = local.tags
}

resource "azurerm_cdn_frontdoor_endpoint" "knowledge_base" {
  name                     = "kb-${local.name}-${local.suffix}"
  cdn_frontdoor_profile_id = azurerm_cdn_frontdoor_profile.main.id
  tags                     = local.tags
}

resource "azurerm_cdn_frontdoor_origin_group" "knowledge_base" {
  name                     = "knowledge-base"
  cdn_frontdoor_profile_id = azurerm_cdn_frontdoor_profile.main.id

  load_balancing {}
}

resource "azurerm_cdn_frontdoor_origin" "blob" {
  name                           = "blob"
  cdn_frontdoor_origin_group_id  = azurerm_cdn_frontdoor_origin_group.knowledge_base.id
  host_name                      = azurerm_storage_account.main.primary_blob_host
  origin_host_header             = azurerm_storage_account.main.primary_blob_host
  certificate_name_check_enabled = true
  http_port                      = 80
  https_port                     = 443
  priority                       = 1
  weight                         = 1000
}

resource "azurerm_cdn_frontdoor_rule_set" "caching" {
  name                     = "caching"
  cdn_frontdoor_profile_id = azurerm_cdn_frontdoor_profile.main.id
}

# No conditions: the rule applies to every request on the route (the global
# delivery rule of the classic CDN), overriding the blobs' own cache headers.
resource "azurerm_cdn_frontdoor_rule" "cache_ttl" {
  name                      = "cachettl"
  cdn_frontdoor_rule_set_id = azurerm_cdn_frontdoor_rule_set.caching.id
  order                     = 1
  match_processing_behavior = "Continue"

  actions {
    route_configuration_override_action {
      cdn_frontdoor_origin_group_id = azurerm_cdn_frontdoor_origin_group.knowledge_base.id
      forwarding_protocol           = "HttpsOnly"
      query_string_caching_behavior = "IgnoreQueryString"
      compression_enabled           = true
      cache_behavior                = "OverrideAlways"
      cache_duration                = local.cdn_cache_duration
    }
  }

  depends_on = [
    azurerm_cdn_frontdoor_origin_group.knowledge_base,
    azurerm_cdn_frontdoor_origin.blob,
  ]
}

resource "azurerm_cdn_frontdoor_route" "knowledge_base" {
  name                          = "knowledge-base"
  cdn_frontdoor_endpoint_id     = azurerm_cdn_frontdoor_endpoint.knowledge_base.id
  cdn_frontdoor_origin_group_id = azurerm_cdn_frontdoor_origin_group.knowledge_base.id
  cdn_frontdoor_origin_ids      = [azurerm_cdn_frontdoor_origin.blob.id]
  cdn_frontdoor_rule_set_ids    = [azurerm_cdn_frontdoor_rule_set.caching.id]
  cdn_frontdoor_origin_path     = "/${azurerm_storage_container.knowledge_base.name}"
  supported_protocols           = ["Http", "Https"]
  patterns_to_match             = ["/*"]
  forwarding_protocol           = "HttpsOnly"
  https_redirect_enabled        = true

  cache {
    query_string_caching_behavior = "IgnoreQueryString"
    compression_enabled           = true
    content_types_to_compress     = ["text/markdown", "text/plain", "text/html", "application/json"]
  }
}
