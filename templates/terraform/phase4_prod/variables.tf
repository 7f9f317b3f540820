# The contract with `mac init`, which writes these values into terraform.tfvars.json.
# Rename nothing here without changing mac init at the same time.

variable "subscription_id" {
  description = "Azure subscription ID (GUID) to deploy into. Credentials are not variables: they come from ARM_* environment variables."
  type        = string

  validation {
    condition     = can(regex("^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$", var.subscription_id))
    error_message = "subscription_id must be a subscription GUID (00000000-0000-0000-0000-000000000000)."
  }
}

variable "environment" {
  description = "Environment name; used in resource names and the environment tag."
  type        = string
  default     = "production"

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{0,23}$", var.environment))
    error_message = "environment must be lowercase letters, digits and dashes, starting with a letter (max 24)."
  }
}

variable "location" {
  description = "Azure region for every resource (e.g. eastus)."
  type        = string
  default     = "eastus"
}

variable "name_prefix" {
  description = "Prefix of every resource name (2-12 lowercase letters/digits)."
  type        = string
  default     = "multiagent"

  validation {
    condition     = can(regex("^[a-z][a-z0-9]{1,11}$", var.name_prefix))
    error_message = "name_prefix must be 2-12 lowercase letters/digits, starting with a letter."
  }
}

variable "resource_group_name" {
  description = "Name of the resource group that holds the platform."
  type        = string
  default     = "multi-agent-rg"
}

variable "cost_center" {
  description = "Value of the cost-center tag on every resource."
  type        = string
  default     = "customer-service"
}

variable "budget_amount" {
  description = "Monthly subscription budget in USD."
  type        = number
  default     = 360

  validation {
    condition     = var.budget_amount > 0
    error_message = "budget_amount must be a positive amount in USD."
  }
}

variable "alert_thresholds" {
  description = "Budget alert thresholds as fractions of budget_amount (0.83 = 83 %); one notification per entry."
  type        = list(number)
  default     = [0.83, 0.93]

  validation {
    condition     = length(var.alert_thresholds) >= 1 && length(var.alert_thresholds) <= 5 && alltrue([for t in var.alert_thresholds : t > 0 && t <= 1])
    error_message = "alert_thresholds must hold 1 to 5 fractions, each greater than 0 and at most 1 (Azure allows 5 notifications per budget)."
  }
}

variable "alert_emails" {
  description = "Email addresses that receive budget and latency alerts."
  type        = list(string)

  validation {
    condition     = alltrue([for e in var.alert_emails : can(regex("^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$", e))])
    error_message = "Every entry of alert_emails must be an email address."
  }
}

variable "budget_start_date" {
  description = "First day of the budget period in RFC 3339, at midnight UTC on the first of a month (e.g. 2026-12-01T00:00:00Z)."
  type        = string

  validation {
    condition     = can(regex("^[0-9]{4}-(0[1-9]|1[0-2])-01T00:00:00Z$", var.budget_start_date))
    error_message = "budget_start_date must be the first of a month at midnight UTC, e.g. 2026-12-01T00:00:00Z."
  }
}

variable "agents" {
  description = "Agent container groups to create, by agent name, with vCPU and memory (GB) each."
  type = map(object({
    cpu    = number
    memory = number
  }))
  default = {
    "intent-classifier"     = { cpu = 0.5, memory = 1 }
    "knowledge-retrieval"   = { cpu = 0.5, memory = 1 }
    "response-generator-en" = { cpu = 1, memory = 2 }
    "response-generator-fr" = { cpu = 1, memory = 2 }
    "response-generator-es" = { cpu = 1, memory = 2 }
    "escalation-handler"    = { cpu = 0.5, memory = 1 }
    "analytics-processor"   = { cpu = 0.5, memory = 1 }
    "critic-supervisor"     = { cpu = 0.5, memory = 1 }
  }

  validation {
    condition     = contains(keys(var.agents), "intent-classifier")
    error_message = "agents must include intent-classifier: its container group serves the Application Gateway backend."
  }

  validation {
    condition     = alltrue([for a in values(var.agents) : a.cpu > 0 && a.cpu <= 4 && a.memory > 0 && a.memory <= 16])
    error_message = "Each agent needs cpu in (0, 4] and memory in (0, 16] GB (Container Instances limits)."
  }
}

variable "nats_cpu" {
  description = "vCPU of the NATS JetStream container."
  type        = number
  default     = 0.5
}

variable "nats_memory" {
  description = "Memory (GB) of the NATS JetStream container."
  type        = number
  default     = 1
}

variable "image_registry" {
  description = "Registry and namespace of the agent images, e.g. myacr.azurecr.io/mac; the image is <registry>/<agent>:<tag>."
  type        = string

  validation {
    condition     = length(trimspace(var.image_registry)) > 0 && !endswith(var.image_registry, "/")
    error_message = "image_registry must be non-empty and must not end with a slash."
  }
}

variable "image_tag" {
  description = "Image tag used when Terraform first creates the agent groups; later releases are rolled out by `mac deploy`."
  type        = string
  default     = "latest"
}

variable "vnet_address_space" {
  description = "Address space of the virtual network; the subnets are /24s carved from the first entry."
  type        = list(string)
  default     = ["10.40.0.0/16"]

  validation {
    condition     = length(var.vnet_address_space) >= 1 && alltrue([for c in var.vnet_address_space : can(cidrhost(c, 0))])
    error_message = "vnet_address_space must hold at least one CIDR block."
  }
}

variable "gpt4o_mini_capacity" {
  description = "gpt-4o-mini deployment capacity in thousands of tokens per minute."
  type        = number
  default     = 60
}

variable "gpt4o_capacity" {
  description = "gpt-4o deployment capacity in thousands of tokens per minute."
  type        = number
  default     = 30
}

variable "embedding_capacity" {
  description = "text-embedding-3-large deployment capacity in thousands of tokens per minute."
  type        = number
  default     = 60
}

variable "log_retention_days" {
  description = "Wanted log retention in days. The Log Analytics workspace cannot go below 30 days in azurerm 3.x (PerGB2018), so smaller values are raised to 30; retention up to 31 days is free, so this costs nothing extra."
  type        = number
  default     = 7

  validation {
    condition     = var.log_retention_days >= 1 && var.log_retention_days <= 730
    error_message = "log_retention_days must be between 1 and 730."
  }
}

variable "appinsights_sampling_percentage" {
  description = "Share of telemetry Application Insights keeps, in percent (50 halves ingestion cost)."
  type        = number
  default     = 50

  validation {
    condition     = var.appinsights_sampling_percentage > 0 && var.appinsights_sampling_percentage <= 100
    error_message = "appinsights_sampling_percentage must be in (0, 100]."
  }
}

variable "latency_alert_threshold_ms" {
  description = "Alert when the 95th percentile of request duration exceeds this many milliseconds."
  type        = number
  default     = 2000
}

variable "cdn_cache_ttl_seconds" {
  description = "How long the CDN caches knowledge-base content, in seconds (3600 = 1 hour)."
  type        = number
  default     = 3600

  validation {
    condition     = var.cdn_cache_ttl_seconds >= 1 && var.cdn_cache_ttl_seconds <= 31622399 && floor(var.cdn_cache_ttl_seconds) == var.cdn_cache_ttl_seconds
    error_message = "cdn_cache_ttl_seconds must be a whole number of seconds between 1 and 31622399 (365 days 23:59:59)."
  }
}

variable "tls_certificate_secret_id" {
  description = "Versionless Key Vault secret ID of the gateway's TLS certificate (https://<vault>.vault.azure.net/secrets/<name>). Null: a self-signed certificate is created in the platform Key Vault."
  type        = string
  default     = null

  validation {
    condition     = var.tls_certificate_secret_id == null || can(regex("^https://[^/]+/secrets/[^/]+/?", var.tls_certificate_secret_id))
    error_message = "tls_certificate_secret_id must be a Key Vault secret ID such as https://myvault.vault.azure.net/secrets/gateway-tls."
  }
}

variable "cosmos_restore_source_id" {
  description = "For a DR drill: ID of the restorable Cosmos DB account (/subscriptions/<id>/providers/Microsoft.DocumentDB/locations/<region>/restorableDatabaseAccounts/<instance>). Set together with cosmos_restore_timestamp; null creates a new empty account."
  type        = string
  default     = null
}

variable "cosmos_restore_timestamp" {
  description = "For a DR drill: point in time to restore Cosmos DB to, RFC 3339 UTC (e.g. 2026-12-05T10:00:00Z). Set together with cosmos_restore_source_id."
  type        = string
  default     = null

  validation {
    condition     = var.cosmos_restore_timestamp == null || can(formatdate("YYYY", var.cosmos_restore_timestamp))
    error_message = "cosmos_restore_timestamp must be an RFC 3339 timestamp such as 2026-12-05T10:00:00Z."
  }
}

variable "tags" {
  description = "Extra tags for every resource; environment and cost-center are always set from their variables."
  type        = map(string)
  default     = {}
}
