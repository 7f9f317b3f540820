variable "account_name" {
  description = "Globally unique Cosmos DB account name (3-44 lowercase letters, digits, dashes)."
  type        = string
}

variable "location" {
  description = "Azure region of the single (serverless) write region."
  type        = string
}

variable "resource_group_name" {
  description = "Resource group that holds the account."
  type        = string
}

variable "database_name" {
  description = "Name of the MongoDB database."
  type        = string
}

variable "collections" {
  description = "Collections to create in the database."
  type        = list(string)
}

variable "restore_source_id" {
  description = "ID of the restorable database account to restore from (DR drill); null for a new empty account."
  type        = string
  default     = null
}

variable "restore_timestamp" {
  description = "RFC 3339 UTC point in time to restore to (DR drill); null for a new empty account."
  type        = string
  default     = null
}

variable "tags" {
  description = "Tags for the account."
  type        = map(string)
  default     = {}
}
