# Shared names and tags. Everything here derives from variables, so the files
# can be copied verbatim by `mac init`.

locals {
  # Required tags win over var.tags so cost reports can always group by them.
  tags = merge(var.tags, {
    environment   = var.environment
    "cost-center" = var.cost_center
    "managed-by"  = "terraform"
  })

  # Name helper: <prefix>-<environment>, e.g. multiagent-production.
  name = "${var.name_prefix}-${var.environment}"

  # Key Vault, storage, Cosmos DB, OpenAI and Front Door names are global. A
  # short hash of subscription, resource group and environment keeps them unique
  # per install yet stable across a destroy/rebuild drill (a soft-deleted vault
  # is recovered by name).
  suffix       = substr(sha1("${var.subscription_id}/${var.resource_group_name}/${var.environment}"), 0, 6)
  name_compact = substr(lower(replace("${var.name_prefix}${var.environment}", "/[^a-zA-Z0-9]/", "")), 0, 16)

  # Key Vault: 3-24 letters/digits/dashes, starting with a letter.
  key_vault_name = "kv${local.name_compact}${local.suffix}"
  # Storage: 3-24 lowercase letters and digits only.
  storage_account_name = "st${local.name_compact}${local.suffix}"
  # Cosmos DB: 3-44 lowercase letters, digits and dashes.
  cosmos_account_name = substr(replace(lower("cosmos-${local.name}-${local.suffix}"), "/[^a-z0-9-]/", ""), 0, 44)
  # Azure OpenAI custom subdomain (needed for Entra ID tokens): 2-64 characters.
  openai_subdomain = substr(replace(lower("oai-${local.name}-${local.suffix}"), "/[^a-z0-9-]/", ""), 0, 64)

  subnet_prefixes = {
    containers        = cidrsubnet(var.vnet_address_space[0], 8, 1)
    private_endpoints = cidrsubnet(var.vnet_address_space[0], 8, 2)
    app_gateway       = cidrsubnet(var.vnet_address_space[0], 8, 3)
  }

  # Front Door wants HH:MM:SS below one day and d.HH:MM:SS above; "0.01:00:00" is rejected.
  cdn_ttl_days       = floor(var.cdn_cache_ttl_seconds / 86400)
  cdn_ttl_rest       = var.cdn_cache_ttl_seconds - local.cdn_ttl_days * 86400
  cdn_ttl_hms        = format("%02d:%02d:%02d", floor(local.cdn_ttl_rest / 3600), floor((local.cdn_ttl_rest % 3600) / 60), local.cdn_ttl_rest % 60)
  cdn_cache_duration = local.cdn_ttl_days > 0 ? format("%d.%s", local.cdn_ttl_days, local.cdn_ttl_hms) : local.cdn_ttl_hms

  nats_url = "nats://${azurerm_container_group.nats.ip_address}:4222"

  tls_secret_id = var.tls_certificate_secret_id != null ? var.tls_certificate_secret_id : one(azurerm_key_vault_certificate.gateway_self_signed[*].versionless_secret_id)
}
