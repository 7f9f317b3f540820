variable "name" {
  description = "Agent name, e.g. intent-classifier; also the image repository name and the AGENT_NAME the runtime starts as."
  type        = string
}

variable "group_name" {
  description = "Name of the container group resource."
  type        = string
}

variable "location" {
  description = "Azure region."
  type        = string
}

variable "resource_group_name" {
  description = "Resource group that holds the container group."
  type        = string
}

variable "subnet_id" {
  description = "ID of the subnet delegated to Microsoft.ContainerInstance/containerGroups."
  type        = string
}

variable "identity_id" {
  description = "Resource ID of the user-assigned identity the agent runs as (Key Vault, registry pulls)."
  type        = string
}

variable "identity_client_id" {
  description = "Client ID of that identity, passed as AZURE_CLIENT_ID so the SDK credential picks it."
  type        = string
}

variable "image_registry" {
  description = "Registry and namespace of the images, e.g. myacr.azurecr.io/mac."
  type        = string
}

variable "image_tag" {
  description = "Image tag for the first deployment; later releases come from `mac deploy`."
  type        = string
}

variable "cpu" {
  description = "vCPU of the agent container."
  type        = number
}

variable "memory" {
  description = "Memory (GB) of the agent container."
  type        = number
}

variable "port" {
  description = "HTTP port the agent serves /health and /ready on."
  type        = number
  default     = 8080
}

variable "nats_url" {
  description = "NATS URL of the event bus, e.g. nats://10.40.1.4:4222."
  type        = string
}

variable "key_vault_uri" {
  description = "URI of the Key Vault the agent reads its secrets from."
  type        = string
}

variable "appinsights_connection_string" {
  description = "Application Insights connection string; passed as a secure environment variable."
  type        = string
  sensitive   = true
}

variable "environment_variables" {
  description = "Extra plain environment variables for the agent."
  type        = map(string)
  default     = {}
}

variable "tags" {
  description = "Tags for the container group."
  type        = map(string)
  default     = {}
}
